#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! OML registry, core program: the address model owners, hosts and provers call.
//!
//! The registry is larger than one Stylus program may be, so it runs as two programs sharing one
//! storage layout ([`Registry`], from `oml-registry-state`, is the only field of both):
//! - this core program holds the paid and benchmarked paths: requesting a license (collateral),
//!   reporting usage (fee cascade), submitting and finalizing claims (Merkle proofs, slashing)
//!   and withdrawing credits; every payable function is here, so call value never crosses the
//!   delegate call;
//! - every other selector falls through to the `#[fallback]`, which delegate-calls the
//!   extension program (`oml-registry-ext`: model registration and ownership, fingerprint roots,
//!   license termination, disputes, governance, views) given at construction. The extension
//!   runs in this program's storage with the caller's `msg.sender`; its return or revert data is
//!   passed back unchanged (`agentdao_common::extension::forward`). The fallback is not payable,
//!   so a call with value to an extension function reverts, as it did before the split.
//!
//! Callers see one contract whose ABI (`abi/IOmlRegistry.sol`) is the union of both programs.
//! Behaviour, errors and events are documented on the [`Registry`] methods each function calls.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

pub use oml_registry_state::{Error, Params, Registry, Terms};

/// The OML registry's core program.
#[storage]
#[entrypoint]
pub struct OmlRegistry {
    /// All of the registry's state (shared with the extension program).
    registry: Registry,
}

#[public]
impl OmlRegistry {
    /// Sets governance, the initial parameters and the extension program.
    /// See [`Registry::init`].
    ///
    /// # Arguments
    /// * `governance` - account allowed to set parameters and resolve disputes.
    /// * `params` - see [`Params`].
    /// * `extension` - the deployed `oml-registry-ext` program.
    ///
    /// # Errors
    /// `ZeroAddress` (also for a zero `extension`), `InvalidPeriods`, `ZeroClaimBond`,
    /// `BpsOutOfRange`.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsSet`.
    #[constructor]
    pub fn constructor(
        &mut self,
        governance: Address,
        params: Params,
        extension: Address,
    ) -> Result<(), Error> {
        self.registry.init(governance, params, extension)
    }

    /// Deposits the model's collateral (ETH as exact call value, or an ERC-20 pulled) and opens
    /// a license for the caller; returns its id.
    /// See [`Registry::request_license`] for errors and events.
    #[payable]
    pub fn request_license(&mut self, model_id: u64) -> Result<u64, Error> {
        self.registry.request_license(model_id)
    }

    /// The licensee pays for `units` of usage (ETH as exact call value, or an ERC-20 pulled);
    /// the fee is split along the family tree.
    /// See [`Registry::report_usage`] for errors and events.
    #[payable]
    pub fn report_usage(&mut self, license_id: u64, units: u64) -> Result<(), Error> {
        self.registry.report_usage(license_id, units)
    }

    /// A prover accuses a license with fingerprint Merkle proofs and posts a bond (ETH as exact
    /// call value, or an ERC-20 pulled); returns the claim id.
    /// See [`Registry::submit_claim`] for arguments, errors and events.
    #[payable]
    pub fn submit_claim(
        &mut self,
        license_id: u64,
        kind: u8,
        leaves: Vec<B256>,
        proofs: Vec<Vec<B256>>,
        evidence_hash: B256,
        observed_units: U256,
    ) -> Result<u64, Error> {
        self.registry.submit_claim(
            license_id,
            kind,
            leaves,
            proofs,
            evidence_hash,
            observed_units,
        )
    }

    /// Anyone settles a claim whose time is up: a pending claim after its challenge window is
    /// upheld (the license is slashed), a disputed claim governance left undecided past its
    /// resolution deadline is rejected. See [`Registry::finalize_claim`] for errors and events.
    pub fn finalize_claim(&mut self, claim_id: u64) -> Result<(), Error> {
        self.registry.finalize_claim(claim_id)
    }

    /// Pays the caller everything credited to it in `asset` (zero address = ETH); returns the
    /// amount paid. See [`Registry::withdraw`] for errors and events.
    pub fn withdraw(&mut self, asset: Address) -> Result<U256, Error> {
        self.registry.withdraw(asset)
    }

    /// Pays `payee` everything credited to it in `asset`; anyone may call. See
    /// [`Registry::withdraw_for`] for errors and events.
    pub fn withdraw_for(&mut self, payee: Address, asset: Address) -> Result<U256, Error> {
        self.registry.withdraw_for(payee, asset)
    }

    /// The extension program this core forwards unknown selectors to.
    pub fn extension(&self) -> Address {
        self.registry.extension()
    }

    /// Forwards any other call (the complete calldata) to the extension program by delegate
    /// call and returns its return data, or reverts with its revert data.
    ///
    /// # Errors
    /// Whatever the extension reverts with.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let extension = self.registry.extension();
        agentdao_common::extension::forward(self, extension, calldata)
    }
}
