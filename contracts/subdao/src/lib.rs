#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! The agent's SubDAO, core program: the address validators, keepers and the other contracts
//! call.
//!
//! The SubDAO is larger than one Stylus program should be, so it runs as two programs sharing
//! one storage layout ([`SubDaoState`], from `subdao-state`, is the only field of both):
//! - this core program holds the hot paths: proposing, the three ways of voting, queueing,
//!   executing, the proposal state and receiving ETH into the treasury;
//! - every other selector falls through to the `#[fallback]`, which delegate-calls the
//!   extension program (`subdao-ext`: typed proposals, cancel, settings, governance handover and
//!   the views) given at construction. The extension runs in this program's storage with the
//!   caller's `msg.sender`; its return or revert data is passed back unchanged
//!   (`agentdao_common::extension::forward`).
//!
//! ETH: `receive` and `execute` are the only payable functions and both run here. The fallback
//! is not payable: a delegate call keeps the caller's `msg.value`, and every extension function
//! is non-payable, so a call with value to one of them is refused here (empty revert data, as
//! the SDK refuses any non-payable function) before the extension runs.
//!
//! Callers see one contract whose ABI (`abi/ISubDao.sol`) is the union of both programs.
//! Behaviour, errors and events are documented on the [`SubDaoState`] methods each function
//! calls.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

use agentdao_common::raw_string::RawString;
pub use subdao_state::{Error, SubDaoState};

/// The SubDAO's core program.
#[storage]
#[entrypoint]
pub struct SubDao {
    /// All of the SubDAO's state (shared with the extension program).
    dao: SubDaoState,
}

#[public]
impl SubDao {
    /// Sets the vault and the settings; the SubDAO becomes its own governance.
    /// See [`SubDaoState::init`].
    ///
    /// # Arguments
    /// * `vault`, `elo_ledger`, `voting_delay`, `voting_period`, `proposal_threshold`,
    ///   `quorum_bps`, `timelock_delay`, `grace_period` - see [`SubDaoState::init`].
    /// * `extension` - the deployed `subdao-ext` program.
    ///
    /// # Errors
    /// `ZeroAddress` (for a zero vault or `extension`), `InvalidDuration`, `BpsOutOfRange`.
    ///
    /// # Events
    /// `SettingsUpdated`, `GovernanceTransferred`.
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        vault: Address,
        elo_ledger: Address,
        voting_delay: u64,
        voting_period: u64,
        proposal_threshold: U256,
        quorum_bps: u64,
        timelock_delay: u64,
        grace_period: u64,
        extension: Address,
    ) -> Result<(), Error> {
        self.dao.init(
            vault,
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
            extension,
        )
    }

    /// Receives ETH into the agent treasury (plain transfers, e.g. bonds the Elo ledger
    /// forfeits to its governance).
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        Ok(())
    }

    /// Creates a proposal; returns its id (OpenZeppelin's `hashProposal`).
    /// See [`SubDaoState::propose`] for errors and events.
    pub fn propose(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Bytes>,
        description: RawString,
    ) -> Result<U256, Error> {
        self.dao.propose(targets, values, calldatas, description)
    }

    /// Votes `support` (0 Against, 1 For, 2 Abstain) on `proposal_id`; returns the weight.
    /// See [`SubDaoState::cast_vote`] for errors and events.
    pub fn cast_vote(&mut self, proposal_id: U256, support: u8) -> Result<U256, Error> {
        self.dao.cast_vote(proposal_id, support)
    }

    /// Votes with a logged `reason`; returns the weight.
    /// See [`SubDaoState::cast_vote_with_reason`] for errors and events.
    pub fn cast_vote_with_reason(
        &mut self,
        proposal_id: U256,
        support: u8,
        reason: RawString,
    ) -> Result<U256, Error> {
        self.dao.cast_vote_with_reason(proposal_id, support, reason)
    }

    /// Votes for `voter` with its EIP-712 ballot `signature`; returns the weight.
    /// See [`SubDaoState::cast_vote_by_sig`] for errors and events.
    pub fn cast_vote_by_sig(
        &mut self,
        proposal_id: U256,
        support: u8,
        voter: Address,
        signature: Bytes,
    ) -> Result<U256, Error> {
        self.dao
            .cast_vote_by_sig(proposal_id, support, voter, signature)
    }

    /// Puts a succeeded proposal into the timelock; returns its eta.
    /// See [`SubDaoState::queue`] for errors and events.
    pub fn queue(&mut self, proposal_id: U256) -> Result<u64, Error> {
        self.dao.queue(proposal_id)
    }

    /// Executes a queued proposal, identified by its content; returns its id. ETH sent along
    /// joins the treasury. See [`SubDaoState::execute`] for errors and events.
    #[payable]
    pub fn execute(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Bytes>,
        description_hash: FixedBytes<32>,
    ) -> Result<U256, Vec<u8>> {
        self.dao
            .execute(targets, values, calldatas, description_hash)
    }

    /// The proposal's state: 0 Pending, 1 Active, 2 Canceled, 3 Defeated, 4 Succeeded,
    /// 5 Queued, 6 Expired, 7 Executed.
    ///
    /// # Errors
    /// `NonexistentProposal`.
    pub fn state(&self, proposal_id: U256) -> Result<u8, Error> {
        self.dao.state(proposal_id)
    }

    /// The extension program this core forwards unknown selectors to.
    pub fn extension(&self) -> Address {
        self.dao.extension()
    }

    /// Forwards any other call (the complete calldata) to the extension program by delegate
    /// call and returns its return data, or reverts with its revert data.
    ///
    /// # Errors
    /// Whatever the extension reverts with; empty revert data for a call with value.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let extension = self.dao.extension();
        agentdao_common::extension::forward(self, extension, calldata)
    }
}
