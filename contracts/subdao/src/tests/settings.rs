//! Constructor, self-only settings, governance handover, views.
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;

use super::*;
use crate::settings::*;
use crate::*;
use agentdao_common::errors::{GovernanceTransferStarted, GovernanceTransferred};

fn fresh() -> (MockHost, SubDao) {
    let host = MockHost::default();
    host.vm.set_contract_address(DAO);
    let dao = SubDao::from(&host);
    (host, dao)
}

#[test]
fn constructor_stores_settings_and_logs() {
    let env = Env::new();
    assert_eq!(env.dao.vault(), VAULT);
    assert_eq!(env.dao.elo_ledger(), LEDGER);
    assert_eq!(env.dao.voting_delay(), DELAY);
    assert_eq!(env.dao.voting_period(), PERIOD);
    assert_eq!(env.dao.proposal_threshold(), u(THRESHOLD));
    assert_eq!(env.dao.quorum_bps(), QUORUM_BPS);
    assert_eq!(env.dao.timelock_delay(), TIMELOCK);
    assert_eq!(env.dao.grace_period(), GRACE);
    assert_eq!(env.dao.governance(), DAO, "the SubDAO governs itself");
    assert_eq!(env.dao.pending_governance(), Address::ZERO);
    assert_eq!(env.dao.version(), "0.1.0");
    assert_eq!(
        env.log_topics(),
        vec![
            EloLedgerSet::SIGNATURE_HASH,
            VotingDelaySet::SIGNATURE_HASH,
            VotingPeriodSet::SIGNATURE_HASH,
            ProposalThresholdSet::SIGNATURE_HASH,
            QuorumBpsSet::SIGNATURE_HASH,
            TimelockDelaySet::SIGNATURE_HASH,
            GracePeriodSet::SIGNATURE_HASH,
            GovernanceTransferred::SIGNATURE_HASH,
        ]
    );
}

#[test]
fn constructor_rejects_bad_settings() {
    type Args = (Address, u64, u64, u64, u64, u64);
    let cases: Vec<(Args, Error)> = vec![
        (
            (Address::ZERO, DELAY, PERIOD, QUORUM_BPS, TIMELOCK, GRACE),
            Error::ZeroAddress(ZeroAddress {}),
        ),
        (
            (
                VAULT,
                MAX_VOTING_DELAY + 1,
                PERIOD,
                QUORUM_BPS,
                TIMELOCK,
                GRACE,
            ),
            Error::InvalidDuration(InvalidDuration {
                value: MAX_VOTING_DELAY + 1,
                max: MAX_VOTING_DELAY,
            }),
        ),
        (
            (VAULT, DELAY, 0, QUORUM_BPS, TIMELOCK, GRACE),
            Error::InvalidVotingPeriod(InvalidVotingPeriod {
                period: 0,
                max: MAX_VOTING_PERIOD,
            }),
        ),
        (
            (VAULT, DELAY, PERIOD, 10_001, TIMELOCK, GRACE),
            Error::BpsOutOfRange(BpsOutOfRange {
                value: u(10_001),
                max: u(10_000),
            }),
        ),
        (
            (
                VAULT,
                DELAY,
                PERIOD,
                QUORUM_BPS,
                MAX_TIMELOCK_DELAY + 1,
                GRACE,
            ),
            Error::InvalidDuration(InvalidDuration {
                value: MAX_TIMELOCK_DELAY + 1,
                max: MAX_TIMELOCK_DELAY,
            }),
        ),
        (
            (VAULT, DELAY, PERIOD, QUORUM_BPS, TIMELOCK, 0),
            Error::InvalidDuration(InvalidDuration {
                value: 0,
                max: MAX_GRACE_PERIOD,
            }),
        ),
    ];
    for ((vault, delay, period, quorum, timelock, grace), want) in cases {
        let (_host, mut dao) = fresh();
        let got = dao.constructor(
            vault,
            LEDGER,
            delay,
            period,
            u(THRESHOLD),
            quorum,
            timelock,
            grace,
        );
        assert_eq!(got, Err(want));
    }
    // A ledger deployed later is wired by proposal.
    let (_host, mut dao) = fresh();
    dao.constructor(
        VAULT,
        Address::ZERO,
        DELAY,
        PERIOD,
        u(1),
        QUORUM_BPS,
        TIMELOCK,
        GRACE,
    )
    .unwrap();
    assert_eq!(dao.elo_ledger(), Address::ZERO);
}

fn not_self(caller: Address) -> Error {
    Error::Unauthorized(Unauthorized {
        caller,
        required: DAO,
    })
}

#[test]
fn settings_are_self_only() {
    let mut env = Env::new();
    for caller in [ALICE, EVE, VAULT] {
        env.from(caller);
        env.unchanged(not_self(caller), |dao| dao.set_voting_delay(1));
        env.unchanged(not_self(caller), |dao| dao.set_voting_period(1));
        env.unchanged(not_self(caller), |dao| {
            dao.set_proposal_threshold(U256::ZERO)
        });
        env.unchanged(not_self(caller), |dao| dao.set_quorum_bps(0));
        env.unchanged(not_self(caller), |dao| dao.set_timelock_delay(0));
        env.unchanged(not_self(caller), |dao| dao.set_grace_period(1));
        env.unchanged(not_self(caller), |dao| dao.set_elo_ledger(EVE));
        env.unchanged(not_self(caller), |dao| dao.transfer_governance(caller));
    }
}

#[test]
fn settings_bounds() {
    let mut env = Env::new();
    env.from(DAO);
    env.unchanged(
        Error::InvalidDuration(InvalidDuration {
            value: MAX_VOTING_DELAY + 1,
            max: MAX_VOTING_DELAY,
        }),
        |dao| dao.set_voting_delay(MAX_VOTING_DELAY + 1),
    );
    env.unchanged(
        Error::InvalidVotingPeriod(InvalidVotingPeriod {
            period: 0,
            max: MAX_VOTING_PERIOD,
        }),
        |dao| dao.set_voting_period(0),
    );
    env.unchanged(
        Error::InvalidVotingPeriod(InvalidVotingPeriod {
            period: MAX_VOTING_PERIOD + 1,
            max: MAX_VOTING_PERIOD,
        }),
        |dao| dao.set_voting_period(MAX_VOTING_PERIOD + 1),
    );
    env.unchanged(
        Error::BpsOutOfRange(BpsOutOfRange {
            value: u(10_001),
            max: u(10_000),
        }),
        |dao| dao.set_quorum_bps(10_001),
    );
    env.unchanged(
        Error::InvalidDuration(InvalidDuration {
            value: MAX_TIMELOCK_DELAY + 1,
            max: MAX_TIMELOCK_DELAY,
        }),
        |dao| dao.set_timelock_delay(MAX_TIMELOCK_DELAY + 1),
    );
    env.unchanged(
        Error::InvalidDuration(InvalidDuration {
            value: 0,
            max: MAX_GRACE_PERIOD,
        }),
        |dao| dao.set_grace_period(0),
    );
}

#[test]
fn self_updates_settings_with_events() {
    let mut env = Env::new();
    env.from(DAO);
    env.dao.set_voting_delay(1).unwrap();
    let set: VotingDelaySet = env.last_log();
    assert_eq!((set.oldVotingDelay, set.newVotingDelay), (DELAY, 1));
    env.dao.set_voting_period(2).unwrap();
    assert_eq!(env.last_log::<VotingPeriodSet>().newVotingPeriod, 2);
    env.dao.set_proposal_threshold(u(3)).unwrap();
    assert_eq!(
        env.last_log::<ProposalThresholdSet>().newProposalThreshold,
        u(3)
    );
    env.dao.set_quorum_bps(4).unwrap();
    assert_eq!(env.last_log::<QuorumBpsSet>().oldQuorumBps, QUORUM_BPS);
    env.dao.set_timelock_delay(5).unwrap();
    assert_eq!(env.last_log::<TimelockDelaySet>().newTimelockDelay, 5);
    env.dao.set_grace_period(6).unwrap();
    assert_eq!(env.last_log::<GracePeriodSet>().newGracePeriod, 6);
    env.dao.set_elo_ledger(TOKEN).unwrap();
    assert_eq!(env.last_log::<EloLedgerSet>().newEloLedger, TOKEN);
    assert_eq!(
        (
            env.dao.voting_delay(),
            env.dao.voting_period(),
            env.dao.proposal_threshold(),
            env.dao.quorum_bps(),
            env.dao.timelock_delay(),
            env.dao.grace_period(),
            env.dao.elo_ledger()
        ),
        (1, 2, u(3), 4, 5, 6, TOKEN)
    );
    // New settings apply to new proposals.
    env.power(ALICE, env.now() - 1, 10);
    let id = env.propose_tax(1);
    assert_eq!(env.dao.proposal_snapshot(id), env.now() + 1);
    assert_eq!(env.dao.proposal_deadline(id), env.now() + 3);
}

#[test]
fn governance_handover_by_proposal() {
    let mut env = Env::new();
    env.from(DAO);
    env.dao.transfer_governance(ALICE).unwrap();
    assert_eq!(env.last_log::<GovernanceTransferStarted>().pending, ALICE);
    env.from(EVE);
    env.unchanged(
        Error::NotPendingGovernance(NotPendingGovernance {
            caller: EVE,
            pending: ALICE,
        }),
        |dao| dao.accept_governance(),
    );
    env.from(ALICE);
    env.dao.accept_governance().unwrap();
    assert_eq!(env.dao.governance(), ALICE);
    env.dao.set_voting_delay(3).unwrap();
    env.from(DAO);
    env.unchanged(
        Error::Unauthorized(Unauthorized {
            caller: DAO,
            required: ALICE,
        }),
        |dao| dao.set_voting_delay(4),
    );
}

#[test]
fn views_of_unknown_proposals_are_empty() {
    let env = Env::new();
    let id = u(123);
    assert_eq!(env.dao.proposal_proposer(id), Address::ZERO);
    assert_eq!(env.dao.proposal_snapshot(id), 0);
    assert_eq!(
        env.dao.proposal_votes(id),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
    assert_eq!(env.dao.proposal_actions(id), (vec![], vec![], vec![]));
    assert_eq!(
        env.dao.state(id),
        Err(Error::NonexistentProposal(NonexistentProposal {
            proposalId: id
        }))
    );
}
