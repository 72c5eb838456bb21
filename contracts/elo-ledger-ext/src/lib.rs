#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Elo ledger, extension program: model and dataset registry, champion upgrades and their
//! bootstrap gate, dataset judgement, bond withdrawal, governance and the registry views (the
//! session, validator-record and rating views are in the core). It is never
//! called at its own address: the core program (`elo-ledger`) forwards every selector it does
//! not know here by delegate call, so this code runs in the core's storage ([`Ledger`], the only
//! field of both programs) with the original `msg.sender`.
//!
//! At its own address the storage is empty: every function first checks that the core's
//! constructor-set extension address is present and otherwise reverts with `NotDelegated`
//! (`agentdao_common::extension`), so nobody can initialise or use a stand-alone copy.
//! Behaviour, errors and events are documented on the [`Ledger`] methods each function calls;
//! every function can additionally fail with `NotDelegated`.
extern crate alloc;

#[cfg(test)]
mod tests;

use agentdao_common::raw_bytes::RawText;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::prelude::*;

pub use elo_ledger_state::{Error, Ledger};

/// The Elo ledger's extension program.
#[storage]
#[entrypoint]
pub struct EloLedgerExtension {
    /// All of the ledger's state (the core's, when delegate-called).
    ledger: Ledger,
}

/// Tuple returned by `datasetInfo`: contributor, content hash, model id, status, impact.
type DatasetInfo = (Address, B256, U256, u8, I256);

/// Three parallel columns, as returned by `topModels`.
type Columns<A, B, C> = (Vec<A>, Vec<B>, Vec<C>);

#[public]
impl EloLedgerExtension {
    // ----- registry -----

    /// Registers a model owned by the caller; returns its id.
    /// See [`Ledger::register_model`] for arguments, errors and events.
    pub fn register_model(
        &mut self,
        content_hash: B256,
        uri: RawText,
        parent_id: U256,
        dataset_id: U256,
    ) -> Result<U256, Error> {
        self.ledger.require_delegated()?;
        self.ledger
            .register_model(content_hash, uri, parent_id, dataset_id)
    }

    /// Registers a dataset contributed by the caller; returns its id.
    /// See [`Ledger::register_dataset`] for errors and events.
    pub fn register_dataset(&mut self, content_hash: B256, uri: RawText) -> Result<U256, Error> {
        self.ledger.require_delegated()?;
        self.ledger.register_dataset(content_hash, uri)
    }

    /// Makes `model_id` the champion (governance) if it passes the bootstrap gate over the
    /// records before `cutoff`. See [`Ledger::upgrade_model`] for errors and events.
    pub fn upgrade_model(&mut self, model_id: U256, cutoff: U256) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.upgrade_model(model_id, cutoff)
    }

    /// Judges dataset `dataset_id` by the impact of its model.
    /// See [`Ledger::finalize_dataset`] for errors and events.
    pub fn finalize_dataset(&mut self, dataset_id: U256) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.finalize_dataset(dataset_id)
    }

    /// Sends the caller its credited session bonds.
    /// See [`Ledger::withdraw_bond`] for errors and events.
    pub fn withdraw_bond(&mut self) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.withdraw_bond()
    }

    // ----- governance -----

    /// Sets every parameter (governance only).
    /// See [`Ledger::set_params`] for the bounds, errors and events.
    #[allow(clippy::too_many_arguments)]
    pub fn set_params(
        &mut self,
        commit_window: u64,
        reveal_window: u64,
        min_reveals: u32,
        max_voters: u32,
        session_bond: U256,
        min_games: u64,
        impact_threshold: I256,
        agreement_alpha_bps: u64,
        agreement_threshold: u64,
        upgrade_resamples: u64,
    ) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.set_params(
            commit_window,
            reveal_window,
            min_reveals,
            max_voters,
            session_bond,
            min_games,
            impact_threshold,
            agreement_alpha_bps,
            agreement_threshold,
            upgrade_resamples,
        )
    }

    /// Nominates `successor` as governance (step one of two).
    /// See [`Ledger::transfer_governance`] for errors and events.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.transfer_governance(successor)
    }

    /// Accepts a governance nomination (step two of two).
    /// See [`Ledger::accept_governance`] for errors and events.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.ledger.require_delegated()?;
        self.ledger.accept_governance()
    }

    // ----- views -----

    /// The governance account.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn governance(&self) -> Result<Address, Error> {
        self.ledger.require_delegated()?;
        Ok(self.ledger.governance())
    }

    /// The nominated governance, zero if none.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn pending_governance(&self) -> Result<Address, Error> {
        self.ledger.require_delegated()?;
        Ok(self.ledger.pending_governance())
    }

    /// Semantic version of the contract.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn version(&self) -> Result<String, Error> {
        self.ledger.require_delegated()?;
        Ok(self.ledger.version())
    }

    /// The staking vault read for voting power.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn vault(&self) -> Result<Address, Error> {
        self.ledger.require_delegated()?;
        Ok(self.ledger.vault())
    }

    /// The owner of model `model_id`. See [`Ledger::model_owner`] for errors.
    pub fn model_owner(&self, model_id: U256) -> Result<Address, Error> {
        self.ledger.require_delegated()?;
        self.ledger.model_owner(model_id)
    }

    /// Dataset `dataset_id`: contributor, content hash, model id, status, impact.
    /// See [`Ledger::dataset_info`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownDataset`.
    pub fn dataset_info(&self, dataset_id: U256) -> Result<DatasetInfo, Error> {
        self.ledger.require_delegated()?;
        self.ledger.dataset_info(dataset_id)
    }

    /// Session `session_id`'s status, voters committed and votes revealed.
    /// See [`Ledger::session_info`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownSession`.
    pub fn session_info(&self, session_id: U256) -> Result<(U256, U256, U256), Error> {
        self.ledger.require_delegated()?;
        self.ledger.session_info(session_id)
    }

    /// The `n` best-rated models: ids, ratings, games played. See [`Ledger::top_models`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn top_models(&self, n: U256) -> Result<Columns<U256, I256, U256>, Error> {
        self.ledger.require_delegated()?;
        Ok(self.ledger.top_models(n))
    }

    /// The candidate's 2.5% and the champion's 97.5% bootstrap rating that
    /// `upgradeModel(model_id, cutoff)` would compare. See [`Ledger::upgrade_gate`].
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownModel`, `CutoffAhead`.
    pub fn upgrade_gate(&self, model_id: U256, cutoff: U256) -> Result<(I256, I256), Error> {
        self.ledger.require_delegated()?;
        self.ledger.upgrade_gate(model_id, cutoff)
    }
}
