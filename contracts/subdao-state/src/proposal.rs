//! A proposal's stored record and its lifecycle (OpenZeppelin Governor's states).
//!
//! The state is derived from timestamps and flags, never stored: `Pending` until the snapshot
//! has passed, `Active` through the deadline, then `Defeated` or `Succeeded` by the count,
//! `Queued` once in the timelock, `Expired` after the grace window, and the terminal `Canceled`
//! and `Executed`.
//!
//! Storage is packed into two words besides the vote sums, so a state check costs two loads
//! and the contract carries little slot arithmetic: the *header* holds the proposer (low 160
//! bits), the quorum in basis points and the flags (top limb); the *timeline* holds the four
//! timestamps, one per limb.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageBool, StorageMap, StorageU256};

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

/// Header flag: set by `cancel`.
const CANCELED: u64 = 1 << 16;
/// Header flag: set by `execute` before any action runs.
const EXECUTED: u64 = 1 << 17;
/// Header flag: `total_power` was read from the vault (done at the first vote).
const QUORUM_KNOWN: u64 = 1 << 18;

/// One proposal. The actions are not stored: `ProposalCreated` publishes them and `execute`
/// takes them back, checked against the id (their hash), as in OpenZeppelin's Governor.
#[storage]
pub struct Proposal {
    /// Proposer (low 160 bits; zero for an unused id), and in the top limb the quorum in basis
    /// points (low 16 bits) and the flags.
    header: StorageU256,
    /// Limbs: snapshot, deadline, eta (zero until queued), expiry (last executable second).
    timeline: StorageU256,
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

/// A proposal's packed fields, copied out of storage so the state rule is a pure function that
/// tests can drive directly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Account that proposed; zero for an unused id.
    pub proposer: Address,
    /// Snapshot timestamp: voting power is read at this time; voting opens just after it.
    pub vote_start: u64,
    /// Deadline timestamp: the last second votes are accepted.
    pub vote_end: u64,
    /// Earliest execution timestamp once queued; zero while not queued.
    pub eta: u64,
    /// Last executable timestamp once queued (eta + grace period at queue time).
    pub expiry: u64,
    /// Quorum in basis points of the total power, fixed at proposal time (≤ 10,000).
    pub quorum_bps: u64,
    /// Set by `cancel`.
    pub canceled: bool,
    /// Set by `execute` before any action runs.
    pub executed: bool,
    /// Whether `total_power` was read from the vault (done at the first vote).
    pub quorum_known: bool,
}

impl Record {
    /// The header word: proposer, quorum and flags.
    fn header(&self) -> U256 {
        let limbs = U256::from_be_bytes(self.proposer.into_word().0).into_limbs();
        let flags = [
            (self.canceled, CANCELED),
            (self.executed, EXECUTED),
            (self.quorum_known, QUORUM_KNOWN),
        ];
        let mut top = self.quorum_bps & 0xffff;
        for (set, bit) in flags {
            if set {
                top |= bit;
            }
        }
        U256::from_limbs([limbs[0], limbs[1], limbs[2], top])
    }

    /// The timeline word.
    fn timeline(&self) -> U256 {
        U256::from_limbs([self.vote_start, self.vote_end, self.eta, self.expiry])
    }

    /// Unpacks the two words.
    fn unpack(header: U256, timeline: U256) -> Self {
        let top = header.as_limbs()[3];
        let [vote_start, vote_end, eta, expiry] = timeline.into_limbs();
        Self {
            proposer: Address::from_word(B256::from(header)),
            vote_start,
            vote_end,
            eta,
            expiry,
            quorum_bps: top & 0xffff,
            canceled: top & CANCELED != 0,
            executed: top & EXECUTED != 0,
            quorum_known: top & QUORUM_KNOWN != 0,
        }
    }

    /// The state at time `now`; `succeeded` tells whether the count passed (quorum reached
    /// and For > Against) and is asked only once voting has ended with a vote cast.
    pub fn state(&self, now: u64, succeeded: impl FnOnce() -> bool) -> ProposalState {
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
        if !self.quorum_known || !succeeded() {
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

impl Proposal {
    /// The packed fields.
    pub fn record(&self) -> Record {
        Record::unpack(self.header.get(), self.timeline.get())
    }

    /// Stores the packed fields (both words).
    pub fn set_record(&mut self, record: &Record) {
        self.header.set(record.header());
        self.timeline.set(record.timeline());
    }

    /// Stores the header word only (proposer, quorum, flags).
    pub fn set_header(&mut self, record: &Record) {
        self.header.set(record.header());
    }

    /// Stores the timeline word only.
    pub fn set_timeline(&mut self, record: &Record) {
        self.timeline.set(record.timeline());
    }

    /// Whether this id was ever proposed.
    pub fn exists(&self) -> bool {
        !self.record().proposer.is_zero()
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

    /// The state at time `now` (reads the votes only when the count decides it).
    pub fn state(&self, now: u64) -> ProposalState {
        let record = self.record();
        record.state(now, || {
            self.tally()
                .succeeded(self.total_power.get(), record.quorum_bps)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counting::VoteType;

    fn passed() -> Record {
        Record {
            proposer: Address::repeat_byte(7),
            vote_start: 100,
            vote_end: 200,
            quorum_known: true,
            quorum_bps: 400,
            ..Record::default()
        }
    }

    fn yes() -> bool {
        true
    }

    #[test]
    fn timeline() {
        let r = passed();
        assert_eq!(r.state(0, yes), ProposalState::Pending);
        assert_eq!(
            r.state(100, yes),
            ProposalState::Pending,
            "snapshot second is not votable"
        );
        assert_eq!(r.state(101, yes), ProposalState::Active);
        assert_eq!(
            r.state(200, yes),
            ProposalState::Active,
            "deadline second is votable"
        );
        assert_eq!(r.state(201, yes), ProposalState::Succeeded);
        let queued = Record {
            eta: 300,
            expiry: 400,
            ..r
        };
        assert_eq!(queued.state(250, yes), ProposalState::Queued);
        assert_eq!(queued.state(400, yes), ProposalState::Queued);
        assert_eq!(queued.state(401, yes), ProposalState::Expired);
        assert_eq!(
            Record {
                executed: true,
                ..queued
            }
            .state(401, yes),
            ProposalState::Executed
        );
        assert_eq!(
            Record {
                canceled: true,
                ..r
            }
            .state(150, yes),
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
            .state(201, yes),
            ProposalState::Defeated
        );
        assert_eq!(r.state(201, || false), ProposalState::Defeated);
        // The count is consulted only once voting is over.
        let never = || -> bool { panic!("count read too early") };
        assert_eq!(r.state(150, never), ProposalState::Active);
        let tally = Tally::default().add(VoteType::For, U256::from(10)).unwrap();
        assert!(tally.succeeded(U256::from(250), 400));
    }

    #[test]
    fn packing_round_trips() {
        let full = Record {
            proposer: Address::repeat_byte(0xff),
            vote_start: u64::MAX,
            vote_end: u64::MAX - 1,
            eta: 3,
            expiry: u64::MAX,
            quorum_bps: 10_000,
            canceled: true,
            executed: true,
            quorum_known: true,
        };
        let cases = [
            full,
            passed(),
            Record::default(),
            Record {
                canceled: false,
                quorum_known: false,
                ..full
            },
            Record {
                executed: false,
                proposer: Address::repeat_byte(1),
                ..full
            },
        ];
        for r in cases {
            assert_eq!(Record::unpack(r.header(), r.timeline()), r);
        }
        // The proposer and the top limb do not overlap.
        assert_eq!(full.header().as_limbs()[2] >> 32, 0);
    }

    #[test]
    fn bits_follow_openzeppelin() {
        assert_eq!(ProposalState::Pending.bit(), 1);
        assert_eq!(ProposalState::Succeeded.bit(), 16);
        assert_eq!(ProposalState::Executed.bit(), 128);
    }
}
