#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Elo ledger, core program: the address validators, model owners and the SubDAO call.
//!
//! The ledger is larger than one Stylus program may be, so it runs as two programs sharing one
//! storage layout ([`Ledger`], from `elo-ledger-state`, is the only field of both):
//! - this core program holds the hot paths and everything payable (the core's fallback is not):
//!   the session path (`requestSession`, `openSession`, `cancelRequest`, `commitVote`,
//!   `revealSeed`, `revealVote`, `finalizeSession` with its 10-round Elo update), the operator
//!   appointment `setValidation`, and the views `ratingOf`, `championModel`, `validatorRecord`,
//!   `validation` and `battleRecords`;
//! - every other selector falls through to the `#[fallback]`, which delegate-calls the
//!   extension program (`elo-ledger-ext`: model and dataset registry, champion upgrades,
//!   dataset judgement, bond withdrawal, governance, leaderboard, bootstrap and the other views)
//!   given at construction. The extension runs in this program's storage with the caller's
//!   `msg.sender` and `msg.value`; its return or revert data is passed back unchanged
//!   (`agentdao_common::extension::forward`).
//!
//! Callers see one contract whose ABI (`abi/IEloLedger.sol`) is the union of both programs.
//! Behaviour, errors and events are documented on the [`Ledger`] methods each function calls
//! (the crate docs of `elo-ledger-state` describe sessions and invariants).
extern crate alloc;

#[cfg(test)]
mod tests;

use agentdao_common::raw_bytes::RawBytes;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

pub use elo_ledger_state::{commitment, Error, Ledger};

/// The Elo ledger's core program.
#[storage]
#[entrypoint]
pub struct EloLedger {
    /// All of the ledger's state (shared with the extension program).
    ledger: Ledger,
}

#[public]
impl EloLedger {
    /// Deploys the ledger. See [`Ledger::init`].
    ///
    /// # Arguments
    /// * `governance` - the governing account (the SubDAO).
    /// * `vault` - the staking vault read for voting power.
    /// * `extension` - the deployed `elo-ledger-ext` program.
    ///
    /// # Errors
    /// `ZeroAddress` if any address is zero.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsUpdated`.
    #[constructor]
    pub fn constructor(
        &mut self,
        governance: Address,
        vault: Address,
        extension: Address,
    ) -> Result<(), Error> {
        self.ledger.init(governance, vault, extension)
    }

    /// Requests a validation session between `model_a` and `model_b`, sending the request
    /// bond; returns the session id. See [`Ledger::request_session`] for errors and events.
    #[payable]
    pub fn request_session(&mut self, model_a: U256, model_b: U256) -> Result<U256, Error> {
        self.ledger.request_session(model_a, model_b)
    }

    /// The session operator opens requested session `session_id` committing to `seed_hash`,
    /// sending the operator bond. See [`Ledger::open_session`] for errors and events.
    #[payable]
    pub fn open_session(&mut self, session_id: U256, seed_hash: B256) -> Result<(), Error> {
        self.ledger.open_session(session_id, seed_hash)
    }

    /// Commits the caller's hidden vote in session `session_id`.
    /// See [`Ledger::commit_vote`] for errors and events.
    pub fn commit_vote(&mut self, session_id: U256, commitment: B256) -> Result<(), Error> {
        self.ledger.commit_vote(session_id, commitment)
    }

    /// Reveals the operator's seed of session `session_id`.
    /// See [`Ledger::reveal_seed`] for errors and events.
    pub fn reveal_seed(&mut self, session_id: U256, seed: B256) -> Result<(), Error> {
        self.ledger.reveal_seed(session_id, seed)
    }

    /// Reveals the caller's ten results and salt in session `session_id`.
    /// See [`Ledger::reveal_vote`] for errors and events.
    pub fn reveal_vote(
        &mut self,
        session_id: U256,
        results: RawBytes,
        salt: B256,
    ) -> Result<(), Error> {
        self.ledger.reveal_vote(session_id, results, salt)
    }

    /// Applies session `session_id`'s ten stake-weighted rounds to the ratings and updates its
    /// validators' records, or voids it. See [`Ledger::finalize_session`] for errors and events.
    pub fn finalize_session(&mut self, session_id: U256) -> Result<(), Error> {
        self.ledger.finalize_session(session_id)
    }

    /// The requester withdraws unanswered request `session_id`.
    /// See [`Ledger::cancel_request`] for errors and events.
    pub fn cancel_request(&mut self, session_id: U256) -> Result<(), Error> {
        self.ledger.cancel_request(session_id)
    }

    /// Appoints the session operator, its bond and the minimum stake to commit (governance).
    /// See [`Ledger::set_validation`] for errors and events.
    pub fn set_validation(
        &mut self,
        operator: Address,
        operator_bond: U256,
        min_stake: U256,
    ) -> Result<(), Error> {
        self.ledger
            .set_validation(operator, operator_bond, min_stake)
    }

    /// `validator`'s sessions committed, sessions revealed, agreement average and its samples,
    /// latest (`timepoint` zero) or at past second `timepoint`.
    /// See [`Ledger::validator_record`].
    ///
    /// # Errors
    /// `FutureLookup`.
    pub fn validator_record(
        &self,
        validator: Address,
        timepoint: U256,
    ) -> Result<(U256, U256, U256, U256), Error> {
        self.ledger.validator_record(validator, timepoint)
    }

    /// The session operator, its bond and the minimum stake to commit.
    pub fn validation(&self) -> (Address, U256, U256) {
        self.ledger.validation()
    }

    /// Number of stored session records (the `cutoff` for a gate over the latest ones).
    pub fn battle_records(&self) -> U256 {
        self.ledger.battle_records()
    }

    /// The champion model id, zero before the first upgrade.
    pub fn champion_model(&self) -> U256 {
        self.ledger.champion_model()
    }

    /// Rating of model `model_id` in 18-decimal fixed point.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn rating_of(&self, model_id: U256) -> Result<I256, Error> {
        self.ledger.rating_of(model_id)
    }

    /// The extension program this core forwards unknown selectors to.
    pub fn extension(&self) -> Address {
        self.ledger.extension()
    }

    /// Forwards any other call (the complete calldata) to the extension program by delegate
    /// call and returns its return data, or reverts with its revert data.
    ///
    /// # Errors
    /// Whatever the extension reverts with.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let extension = self.ledger.extension();
        agentdao_common::extension::forward(self, extension, calldata)
    }
}
