//! castVote, castVoteWithReason, counting and the outcome.
use alloy_primitives::{B256, U256};
use alloy_sol_types::SolCall;

use super::*;
use crate::*;

fn unexpected(id: U256, current: ProposalState, expected: ProposalState) -> Error {
    Error::UnexpectedProposalState(UnexpectedProposalState {
        proposalId: id,
        current: current as u8,
        expectedStates: B256::from(U256::from(expected.bit())),
    })
}

#[test]
fn votes_are_counted_by_type_with_snapshot_power() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    assert_eq!(env.vote(id, ALICE, 300, 1), Ok(u(300)));
    assert_eq!(env.vote(id, BOB, 200, 0), Ok(u(200)));
    assert_eq!(env.vote(id, CAROL, 50, 2), Ok(u(50)));
    assert_eq!(env.votes(id), (u(200), u(300), u(50)));
    assert!(env.dao.has_voted(id, ALICE) && env.dao.has_voted(id, BOB));
    assert!(!env.dao.has_voted(id, EVE));
    assert_eq!(
        env.dao.proposal(id).5,
        u(TOTAL),
        "total power read at the first vote"
    );
    assert_eq!(env.dao.participation(ALICE), (1, 1, 1));
    assert_eq!(env.dao.participation(CAROL), (1, 0, 1));
    let cast: VoteCast = env.last_log();
    assert_eq!(
        (cast.voter, cast.proposalId, cast.support, cast.weight),
        (CAROL, id, 2, u(50))
    );
    assert_eq!(cast.reason, "");
}

#[test]
fn reason_is_logged() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.power(BOB, env.snapshot(id), 10);
    env.from(BOB);
    let weight = env
        .dao
        .cast_vote_with_reason(id, 0, "tax funds the treasury".into())
        .unwrap();
    assert_eq!(weight, u(10));
    let cast: VoteCast = env.last_log();
    assert_eq!(cast.reason, "tax funds the treasury");
    assert_eq!(cast.support, 0);
}

#[test]
fn power_is_read_at_the_snapshot_only() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    let snapshot = env.snapshot(id);
    env.open_voting(id);
    // Stake delegated to BOB after the snapshot does not count.
    env.power(BOB, snapshot, 120);
    env.power(BOB, snapshot + 1, 9_000);
    env.from(BOB);
    assert_eq!(env.dao.cast_vote(id, 1), Ok(u(120)));
}

#[test]
fn voting_twice_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.vote(id, BOB, 200, 1).unwrap();
    env.from(BOB);
    env.unchanged(
        Error::AlreadyVoted(AlreadyVoted {
            proposalId: id,
            voter: BOB,
        }),
        |dao| dao.cast_vote(id, 0),
    );
    env.unchanged(
        Error::AlreadyVoted(AlreadyVoted {
            proposalId: id,
            voter: BOB,
        }),
        |dao| dao.cast_vote_with_reason(id, 1, "again".into()),
    );
}

#[test]
fn voting_outside_the_window_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    let snapshot = env.snapshot(id);
    env.power(BOB, snapshot, 200);
    env.from(BOB);
    env.unchanged(
        unexpected(id, ProposalState::Pending, ProposalState::Active),
        |dao| dao.cast_vote(id, 1),
    );
    env.at(snapshot);
    env.unchanged(
        unexpected(id, ProposalState::Pending, ProposalState::Active),
        |dao| dao.cast_vote(id, 1),
    );
    env.at(env.deadline(id) + 1);
    env.unchanged(
        unexpected(id, ProposalState::Defeated, ProposalState::Active),
        |dao| dao.cast_vote(id, 1),
    );
    // The deadline second itself is inside.
    env.at(env.deadline(id));
    assert_eq!(env.dao.cast_vote(id, 1), Ok(u(200)));
}

#[test]
fn voting_on_canceled_or_unknown_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.from(ALICE);
    env.dao.cancel(id).unwrap();
    env.open_voting(id);
    env.power(BOB, env.snapshot(id), 200);
    env.from(BOB);
    env.unchanged(
        unexpected(id, ProposalState::Canceled, ProposalState::Active),
        |dao| dao.cast_vote(id, 1),
    );
    env.unchanged(
        Error::NonexistentProposal(NonexistentProposal { proposalId: u(5) }),
        |dao| dao.cast_vote(u(5), 1),
    );
}

#[test]
fn voting_without_power_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    let snapshot = env.snapshot(id);
    env.power(EVE, snapshot, 0);
    env.from(EVE);
    env.unchanged(
        Error::NoVotingPower(NoVotingPower {
            voter: EVE,
            timepoint: snapshot,
        }),
        |dao| dao.cast_vote(id, 1),
    );
}

#[test]
fn invalid_vote_type_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.power(BOB, env.snapshot(id), 200);
    env.from(BOB);
    for support in [3u8, 4, 255] {
        env.unchanged(Error::InvalidVoteType(InvalidVoteType { support }), |dao| {
            dao.cast_vote(id, support)
        });
    }
}

#[test]
fn total_supply_failure_is_typed() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    let snapshot = env.snapshot(id);
    let call = getPastTotalSupplyCall {
        timepoint: u(snapshot),
    };
    env.host
        .mock_static_call(VAULT, call.abi_encode(), Err(vec![0xde, 0xad]));
    env.open_voting(id);
    env.power(BOB, snapshot, 200);
    env.from(BOB);
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: VAULT,
            reason: vec![0xde, 0xad].into(),
        }),
        |dao| dao.cast_vote(id, 1),
    );
}

#[test]
fn vote_sums_cannot_overflow() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    let snapshot = env.snapshot(id);
    env.power_u256(BOB, snapshot, U256::MAX);
    env.from(BOB);
    env.dao.cast_vote(id, 1).unwrap();
    env.power(CAROL, snapshot, 1);
    env.from(CAROL);
    env.unchanged(Error::ArithmeticOverflow(ArithmeticOverflow {}), |dao| {
        dao.cast_vote(id, 1)
    });
}

#[test]
fn quorum_counts_for_and_abstain() {
    // quorum = 400 of 10,000.
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.vote(id, ALICE, 100, 1).unwrap();
    env.vote(id, BOB, 299, 2).unwrap();
    env.at(env.deadline(id) + 1);
    assert_eq!(env.state(id), ProposalState::Defeated, "399 < quorum");

    let id = env.propose_tax(40);
    env.open_voting(id);
    env.vote(id, ALICE, 100, 1).unwrap();
    env.vote(id, BOB, 300, 2).unwrap();
    env.vote(id, CAROL, 99, 0).unwrap();
    env.at(env.deadline(id) + 1);
    assert_eq!(
        env.state(id),
        ProposalState::Succeeded,
        "400 reaches quorum, 100 > 99"
    );
}

#[test]
fn majority_must_be_strict() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.vote(id, ALICE, 500, 1).unwrap();
    env.vote(id, BOB, 500, 0).unwrap();
    env.at(env.deadline(id) + 1);
    assert_eq!(env.state(id), ProposalState::Defeated);
}

#[test]
fn no_votes_means_defeated() {
    let mut env = Env::new();
    env.from(DAO);
    let mut settings = env.settings();
    settings.quorum_bps = 0;
    env.set(settings).unwrap();
    let id = env.propose_tax(50);
    env.at(env.deadline(id) + 1);
    assert_eq!(env.state(id), ProposalState::Defeated);
    assert_eq!(env.dao.proposal(id).5, U256::ZERO);
}

#[test]
fn quorum_is_fixed_at_proposal_time() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    // A later quorum change (by the SubDAO itself) does not move the goalposts.
    env.from(DAO);
    let mut settings = env.settings();
    settings.quorum_bps = 9_000;
    env.set(settings).unwrap();
    env.open_voting(id);
    env.vote(id, BOB, 400, 1).unwrap();
    assert_eq!(env.dao.proposal(id).4, QUORUM_BPS);
    env.at(env.deadline(id) + 1);
    assert_eq!(env.state(id), ProposalState::Succeeded);
}
