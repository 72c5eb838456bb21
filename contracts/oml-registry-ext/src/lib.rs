#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! OML registry, extension program: model registration, versions and ownership, fingerprint
//! roots, license termination and closing, disputes, governance and the views. It is never
//! called at its own address: the core program (`oml-registry`) forwards every selector it does
//! not know here by delegate call, so this code runs in the core's storage ([`Registry`], the
//! only field of both programs) with the original `msg.sender`.
//!
//! No function here is payable: every payable function lives in the core, and a call with
//! value to any of these reverts (in the core's non-payable fallback already).
//!
//! At its own address the storage is empty: every function first checks that the core's
//! constructor-set extension address is present and otherwise reverts with `NotDelegated`
//! (`agentdao_common::extension`), so nobody can initialise or use a stand-alone copy.
//! Behaviour, errors and events are documented on the [`Registry`] methods each function calls;
//! every function can additionally fail with `NotDelegated`.
extern crate alloc;

#[cfg(test)]
mod tests;

use agentdao_common::raw_bytes::RawBytes;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;

pub use oml_registry_state::{Error, Params, Registry, Terms};

/// The OML registry's extension program.
#[storage]
#[entrypoint]
pub struct OmlRegistryExtension {
    /// All of the registry's state (the core's, when delegate-called).
    registry: Registry,
}

/// Tuple returned by `model`: owner, pending owner, parent, versions, provers' pool, terms.
type ModelInfo = (Address, Address, u64, u64, U256, Terms);
/// Tuple returned by `license`: model, licensee, collateral, root, state, release time, open
/// claim, units paid.
type LicenseInfo = (u64, Address, U256, B256, u8, u64, u64, U256);
/// Tuple returned by `claim`: license, prover, kind, state, bond, deadline, evidence hash.
type ClaimInfo = (u64, Address, u8, u8, U256, u64, B256);

#[public]
impl OmlRegistryExtension {
    // ----- models -----

    /// Registers a model (its version 1) with fixed economic terms; the caller owns it.
    /// See [`Registry::register_model`] for arguments, errors and events.
    pub fn register_model(
        &mut self,
        content_hash: B256,
        uri: RawBytes,
        parent_id: u64,
        terms: Terms,
    ) -> Result<u64, Error> {
        self.registry.require_delegated()?;
        self.registry
            .register_model(content_hash, uri, parent_id, terms)
    }

    /// Publishes the next version of a model the caller owns; returns its number.
    /// See [`Registry::publish_version`] for errors and events.
    pub fn publish_version(
        &mut self,
        model_id: u64,
        content_hash: B256,
        uri: RawBytes,
    ) -> Result<u64, Error> {
        self.registry.require_delegated()?;
        self.registry.publish_version(model_id, content_hash, uri)
    }

    /// Step one of a model handover: the owner nominates `new_owner` (zero cancels).
    /// See [`Registry::transfer_model_ownership`] for errors and events.
    pub fn transfer_model_ownership(
        &mut self,
        model_id: u64,
        new_owner: Address,
    ) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.transfer_model_ownership(model_id, new_owner)
    }

    /// Step two: the nominee takes ownership of the model.
    /// See [`Registry::accept_model_ownership`] for errors and events.
    pub fn accept_model_ownership(&mut self, model_id: u64) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.accept_model_ownership(model_id)
    }

    // ----- licenses -----

    /// The model owner commits the fingerprint Merkle root of a license's copy and the tree's
    /// depth (once). See [`Registry::set_fingerprint_root`] for errors and events.
    pub fn set_fingerprint_root(
        &mut self,
        license_id: u64,
        root: B256,
        depth: u8,
    ) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.set_fingerprint_root(license_id, root, depth)
    }

    /// The licensee starts leaving: collateral becomes releasable after the cooldown.
    /// See [`Registry::terminate_license`] for errors and events.
    pub fn terminate_license(&mut self, license_id: u64) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.terminate_license(license_id)
    }

    /// Ends a terminating license after its cooldown and credits the collateral back.
    /// See [`Registry::close_license`] for errors and events.
    pub fn close_license(&mut self, license_id: u64) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.close_license(license_id)
    }

    // ----- claims -----

    /// The licensee or governance disputes a pending claim before its window closes.
    /// See [`Registry::dispute_claim`] for errors and events.
    pub fn dispute_claim(&mut self, claim_id: u64, counter_evidence: B256) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.dispute_claim(claim_id, counter_evidence)
    }

    /// Governance decides a disputed claim before its resolution deadline (uphold slashes,
    /// otherwise the bond goes to the licensee).
    /// See [`Registry::resolve_dispute`] for errors and events.
    pub fn resolve_dispute(&mut self, claim_id: u64, uphold: bool) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.resolve_dispute(claim_id, uphold)
    }

    // ----- governance -----

    /// Governance replaces the parameters. See [`Registry::set_params`] for errors and events.
    pub fn set_params(&mut self, params: Params) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.set_params(params)
    }

    /// Governance nominates its successor (zero cancels).
    /// See [`Registry::transfer_governance`] for errors and events.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.transfer_governance(successor)
    }

    /// The nominee takes over governance.
    /// See [`Registry::accept_governance`] for errors and events.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.registry.require_delegated()?;
        self.registry.accept_governance()
    }

    // ----- views -----

    /// Current governance.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn governance(&self) -> Result<Address, Error> {
        self.registry.require_delegated()?;
        Ok(self.registry.governance())
    }

    /// Nominated governance, zero if none.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn pending_governance(&self) -> Result<Address, Error> {
        self.registry.require_delegated()?;
        Ok(self.registry.pending_governance())
    }

    /// Semantic version of this contract.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn version(&self) -> Result<String, Error> {
        self.registry.require_delegated()?;
        Ok(self.registry.version())
    }

    /// Current parameters.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn params(&self) -> Result<Params, Error> {
        self.registry.require_delegated()?;
        Ok(self.registry.params())
    }

    /// A model: owner, nominated next owner, parent id, number of versions, provers' pool and
    /// terms. See [`Registry::model`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownModel`.
    pub fn model(&self, model_id: u64) -> Result<ModelInfo, Error> {
        self.registry.require_delegated()?;
        self.registry.model(model_id)
    }

    /// Parent of a model, zero for a root model.
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownModel`.
    pub fn parent_of(&self, model_id: u64) -> Result<u64, Error> {
        self.registry.require_delegated()?;
        self.registry.parent_of(model_id)
    }

    /// Up to `depth` ancestors of a model, parent first, stopping at the root.
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownModel`, `DepthAboveCap` (depth > 8).
    pub fn ancestors(&self, model_id: u64, depth: u64) -> Result<Vec<u64>, Error> {
        self.registry.require_delegated()?;
        self.registry.ancestors(model_id, depth)
    }

    /// Content hash of version `version` (1-based) of a model.
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownModel`, `UnknownVersion`.
    pub fn version_hash(&self, model_id: u64, version: u64) -> Result<B256, Error> {
        self.registry.require_delegated()?;
        self.registry.version_hash(model_id, version)
    }

    /// A license: model, licensee, collateral held, fingerprint root, state, release time,
    /// open claim, units paid. See [`Registry::license`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownLicense`.
    pub fn license(&self, license_id: u64) -> Result<LicenseInfo, Error> {
        self.registry.require_delegated()?;
        self.registry.license(license_id)
    }

    /// A claim: license, prover, kind, state, bond, deadline, evidence hash.
    /// See [`Registry::claim`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownClaim`.
    pub fn claim(&self, claim_id: u64) -> Result<ClaimInfo, Error> {
        self.registry.require_delegated()?;
        self.registry.claim(claim_id)
    }

    /// Amount `payee` can withdraw in `asset`.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn credit(&self, asset: Address, payee: Address) -> Result<U256, Error> {
        self.registry.require_delegated()?;
        Ok(self.registry.credit(asset, payee))
    }
}
