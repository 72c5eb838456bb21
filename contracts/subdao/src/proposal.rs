//! A proposal's stored record and its lifecycle (OpenZeppelin Governor's states).
//!
//! The state is derived from timestamps and flags, never stored: `Pending` until the snapshot
//! has passed, `Active` through the deadline, then `Defeated` or `Succeeded` by the count,
//! `Queued` once in the timelock, `Expired` after the grace window, and the terminal `Canceled`
//! and `Executed`.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256, U64};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64};

use crate::counting::Tally;

/// Lifecycle states, numbered as in OpenZeppelin's `IGovernor.ProposalState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ProposalState {
    /// Created; voting has not started (now ≤ snapshot).
    Pending = 0,
    /// Voting is open (snapshot < now ≤ deadline).
    Active = 1,
    /// Withdrawn by the proposer.
    Canceled = 2,
    /// Voting ended without quorum or without For > Against.
    Defeated = 3,
    /// Voting passed; waiting to be queued.
    Succeeded = 4,
    /// In the timelock, or executable within the grace window.
    Queued = 5,
    /// Queued but not executed within the grace window.
    Expired = 6,
    /// All actions executed.
    Executed = 7,
}

impl ProposalState {
    /// The state's bit in an `expectedStates` mask (`1 << state`), as OpenZeppelin encodes it.
    pub const fn bit(self) -> u32 {
        1 << self as u8
    }
}

/// One proposal. The actions are not stored: `ProposalCreated` publishes them and `execute`
/// takes them back, checked against the id (their hash), as in OpenZeppelin's Governor.
#[storage]
pub struct Proposal {
    /// Account that proposed; zero for an unused id.
    pub proposer: StorageAddress,
    /// Snapshot timestamp: voting power is read at this time; voting opens just after it.
    pub vote_start: StorageU64,
    /// Deadline timestamp: the last second votes are accepted.
    pub vote_end: StorageU64,
    /// Earliest execution timestamp once queued; zero while not queued.
    pub eta: StorageU64,
    /// Last executable timestamp once queued (eta + grace period at queue time).
    pub expiry: StorageU64,
    /// Quorum in basis points of the total power, fixed at proposal time.
    pub quorum_bps: StorageU64,
    /// Set by `cancel`.
    pub canceled: StorageBool,
    /// Set by `execute` before any action runs.
    pub executed: StorageBool,
    /// Whether `total_power` was read from the vault (done at the first vote).
    pub quorum_known: StorageBool,
    /// The vault's total power at the snapshot; the quorum is `quorum_bps` of it.
    pub total_power: StorageU256,
    /// Sum of Against votes.
    pub against_votes: StorageU256,
    /// Sum of For votes.
    pub for_votes: StorageU256,
    /// Sum of Abstain votes.
    pub abstain_votes: StorageU256,
    /// Validators who voted.
    pub has_voted: StorageMap<Address, StorageBool>,
}

/// The fields that decide a proposal's state, copied out of storage so the rule is a pure
/// function that tests can drive directly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// See [`Proposal::vote_start`].
    pub vote_start: u64,
    /// See [`Proposal::vote_end`].
    pub vote_end: u64,
    /// See [`Proposal::eta`].
    pub eta: u64,
    /// See [`Proposal::expiry`].
    pub expiry: u64,
    /// See [`Proposal::canceled`].
    pub canceled: bool,
    /// See [`Proposal::executed`].
    pub executed: bool,
    /// See [`Proposal::quorum_known`].
    pub quorum_known: bool,
    /// See [`Proposal::total_power`].
    pub total_power: U256,
    /// See [`Proposal::quorum_bps`].
    pub quorum_bps: u64,
    /// The vote sums.
    pub tally: Tally,
}

impl Record {
    /// The state at time `now`.
    pub fn state(&self, now: u64) -> ProposalState {
        if self.executed {
            return ProposalState::Executed;
        }
        if self.canceled {
            return ProposalState::Canceled;
        }
        if now <= self.vote_start {
            return ProposalState::Pending;
        }
        if now <= self.vote_end {
            return ProposalState::Active;
        }
        // No vote at all leaves the quorum unread; For > Against then fails anyway.
        if !self.quorum_known || !self.tally.succeeded(self.total_power, self.quorum_bps) {
            return ProposalState::Defeated;
        }
        if self.eta == 0 {
            return ProposalState::Succeeded;
        }
        if now > self.expiry {
            return ProposalState::Expired;
        }
        ProposalState::Queued
    }
}

/// The value of a 64-bit storage integer, without `Uint::to`'s panic path.
pub fn low(value: U64) -> u64 {
    value.as_limbs()[0]
}

impl Proposal {
    /// Whether this id was ever proposed.
    pub fn exists(&self) -> bool {
        !self.proposer.get().is_zero()
    }

    /// The vote sums.
    pub fn tally(&self) -> Tally {
        Tally {
            against: self.against_votes.get(),
            for_votes: self.for_votes.get(),
            abstain: self.abstain_votes.get(),
        }
    }

    /// Stores new vote sums.
    pub fn set_tally(&mut self, tally: Tally) {
        self.against_votes.set(tally.against);
        self.for_votes.set(tally.for_votes);
        self.abstain_votes.set(tally.abstain);
    }

    /// The state-deciding fields.
    pub fn record(&self) -> Record {
        Record {
            vote_start: low(self.vote_start.get()),
            vote_end: low(self.vote_end.get()),
            eta: low(self.eta.get()),
            expiry: low(self.expiry.get()),
            canceled: self.canceled.get(),
            executed: self.executed.get(),
            quorum_known: self.quorum_known.get(),
            total_power: self.total_power.get(),
            quorum_bps: low(self.quorum_bps.get()),
            tally: self.tally(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counting::VoteType;

    fn passed() -> Record {
        let tally = Tally::default().add(VoteType::For, U256::from(10)).unwrap();
        Record {
            vote_start: 100,
            vote_end: 200,
            quorum_known: true,
            total_power: U256::from(125),
            quorum_bps: 400,
            tally,
            ..Record::default()
        }
    }

    #[test]
    fn timeline() {
        let r = passed();
        assert_eq!(r.state(0), ProposalState::Pending);
        assert_eq!(
            r.state(100),
            ProposalState::Pending,
            "snapshot second is not votable"
        );
        assert_eq!(r.state(101), ProposalState::Active);
        assert_eq!(
            r.state(200),
            ProposalState::Active,
            "deadline second is votable"
        );
        assert_eq!(r.state(201), ProposalState::Succeeded);
        let queued = Record {
            eta: 300,
            expiry: 400,
            ..r
        };
        assert_eq!(queued.state(250), ProposalState::Queued);
        assert_eq!(queued.state(400), ProposalState::Queued);
        assert_eq!(queued.state(401), ProposalState::Expired);
        assert_eq!(
            Record {
                executed: true,
                ..queued
            }
            .state(401),
            ProposalState::Executed
        );
        assert_eq!(
            Record {
                canceled: true,
                ..r
            }
            .state(150),
            ProposalState::Canceled
        );
    }

    #[test]
    fn defeat_rules() {
        let r = passed();
        assert_eq!(
            Record {
                quorum_known: false,
                ..r
            }
            .state(201),
            ProposalState::Defeated
        );
        assert_eq!(
            Record {
                total_power: U256::from(276),
                ..r
            }
            .state(201),
            ProposalState::Defeated
        );
        let tally = r.tally.add(VoteType::Against, U256::from(10)).unwrap();
        assert_eq!(Record { tally, ..r }.state(201), ProposalState::Defeated);
    }

    #[test]
    fn bits_follow_openzeppelin() {
        assert_eq!(ProposalState::Pending.bit(), 1);
        assert_eq!(ProposalState::Succeeded.bit(), 16);
        assert_eq!(ProposalState::Executed.bit(), 128);
    }
}
