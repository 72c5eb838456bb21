#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! The agent's SubDAO, extension program: typed proposals (model upgrade, slash), cancel, the
//! settings, the governance handover (its own and `acceptGovernanceOf` for the system
//! contracts) and the views. It is never called at its own address: the core program (`subdao`)
//! forwards every selector it does not know here by delegate call, so this code runs in the
//! core's storage ([`SubDaoState`], the only field of both programs) with the original
//! `msg.sender` (and `msg.value`, always zero: the core's fallback is not payable, and neither is
//! any function here).
//!
//! At its own address the storage is empty: every function first checks that the core's
//! constructor-set extension address is present and otherwise reverts with `NotDelegated`
//! (`agentdao_common::extension`), so nobody can initialise or use a stand-alone copy.
//! Behaviour, errors and events are documented on the [`SubDaoState`] methods each function
//! calls; every function can additionally fail with `NotDelegated`.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, FixedBytes, B256, U256};
use stylus_sdk::prelude::*;

use agentdao_common::raw_string::RawString;
pub use subdao_state::{Error, SubDaoState};

/// The SubDAO's extension program.
#[storage]
#[entrypoint]
pub struct SubDaoExtension {
    /// All of the SubDAO's state (the core's, when delegate-called).
    dao: SubDaoState,
}

/// Tuple returned by `proposal`: proposer, snapshot, deadline, eta, quorum (bps), total power,
/// against, for and abstain votes.
type ProposalRecord = (Address, u64, u64, u64, u64, U256, U256, U256, U256);

/// Tuple returned by `settings`: vault, Elo ledger, voting delay, voting period, proposal
/// threshold, quorum (bps), timelock delay, grace period.
type SettingsRecord = (Address, Address, u64, u64, U256, u64, u64, u64);

#[public]
impl SubDaoExtension {
    // ----- typed proposals -----

    /// Proposes making `model_id` the Elo ledger's champion, with `evidence` as description;
    /// returns the proposal id.
    /// See [`SubDaoState::propose_model_upgrade`] for errors and events.
    pub fn propose_model_upgrade(
        &mut self,
        model_id: U256,
        evidence: RawString,
    ) -> Result<U256, Error> {
        self.dao.require_delegated()?;
        self.dao.propose_model_upgrade(model_id, evidence)
    }

    /// Proposes slashing `bps` of `validator`'s stake in the vault for `reason_hash`; returns
    /// the proposal id. See [`SubDaoState::propose_slash`] for errors and events.
    pub fn propose_slash(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<U256, Error> {
        self.dao.require_delegated()?;
        self.dao.propose_slash(validator, bps, reason_hash)
    }

    /// Proposes jailing `validator` in the vault; returns the proposal id.
    /// See [`SubDaoState::propose_jail`] for errors and events.
    pub fn propose_jail(&mut self, validator: Address) -> Result<U256, Error> {
        self.dao.require_delegated()?;
        self.dao.propose_jail(validator)
    }

    /// Withdraws a pending proposal (proposer only).
    /// See [`SubDaoState::cancel`] for errors and events.
    pub fn cancel(&mut self, proposal_id: U256) -> Result<(), Error> {
        self.dao.require_delegated()?;
        self.dao.cancel(proposal_id)
    }

    // ----- governance -----

    /// Replaces the settings (the governance only, i.e. by executed proposal).
    /// See [`SubDaoState::set_settings`] for errors and events.
    #[allow(clippy::too_many_arguments)]
    pub fn set_settings(
        &mut self,
        elo_ledger: Address,
        voting_delay: u64,
        voting_period: u64,
        proposal_threshold: U256,
        quorum_bps: u64,
        timelock_delay: u64,
        grace_period: u64,
    ) -> Result<(), Error> {
        self.dao.require_delegated()?;
        self.dao.set_settings(
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
        )
    }

    /// Nominates `successor` as governance (step one of two).
    /// See [`SubDaoState::transfer_governance`] for errors and events.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.dao.require_delegated()?;
        self.dao.transfer_governance(successor)
    }

    /// Accepts a governance nomination (step two of two).
    /// See [`SubDaoState::accept_governance`] for errors and events.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.dao.require_delegated()?;
        self.dao.accept_governance()
    }

    /// Completes a governance handover of `target` to the SubDAO (`target.acceptGovernance()`).
    /// See [`SubDaoState::accept_governance_of`] for errors.
    pub fn accept_governance_of(&mut self, target: Address) -> Result<(), Error> {
        self.dao.require_delegated()?;
        self.dao.accept_governance_of(target)
    }

    // ----- views -----

    /// A proposal's record; all zero for an unknown id. See [`SubDaoState::proposal`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn proposal(&self, proposal_id: U256) -> Result<ProposalRecord, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.proposal(proposal_id))
    }

    /// Whether `account` voted on the proposal.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn has_voted(&self, proposal_id: U256, account: Address) -> Result<bool, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.has_voted(proposal_id, account))
    }

    /// `(votesCast, proposalsCreated, proposalCount)` of `validator`.
    /// See [`SubDaoState::participation`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn participation(&self, validator: Address) -> Result<(u64, u64, u64), Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.participation(validator))
    }

    /// The next vote-by-signature nonce of `voter`.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn nonces(&self, voter: Address) -> Result<U256, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.nonces(voter))
    }

    /// The EIP-712 domain separator of ballots (for the core's address: this code runs there).
    ///
    /// # Errors
    /// `NotDelegated`.
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> Result<B256, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.domain_separator())
    }

    /// The vault and the settings. See [`SubDaoState::settings`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn settings(&self) -> Result<SettingsRecord, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.settings())
    }

    /// The governance account (the SubDAO itself unless handed over).
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn governance(&self) -> Result<Address, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.governance())
    }

    /// The nominated successor, zero if none.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn pending_governance(&self) -> Result<Address, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.pending_governance())
    }

    /// The contract's semantic version.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn version(&self) -> Result<String, Error> {
        self.dao.require_delegated()?;
        Ok(self.dao.version())
    }
}
