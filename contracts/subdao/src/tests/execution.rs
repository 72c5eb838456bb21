//! queue, execute, the timelock, the grace window and reentrancy.
use alloy_primitives::{Bytes, B256, U256};
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
fn queue_sets_eta_and_expiry() {
    let mut env = Env::new();
    let id = env.succeeded_tax(50);
    let now = env.now();
    env.from(EVE);
    assert_eq!(env.dao.queue(id), Ok(now + TIMELOCK));
    assert_eq!(env.dao.proposal_eta(id), now + TIMELOCK);
    assert_eq!(env.state(id), ProposalState::Queued);
    let queued: ProposalQueued = env.last_log();
    assert_eq!(
        (queued.eta, queued.expiry),
        (now + TIMELOCK, now + TIMELOCK + GRACE)
    );
}

#[test]
fn queue_needs_succeeded() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.unchanged(
        unexpected(id, ProposalState::Pending, ProposalState::Succeeded),
        |dao| dao.queue(id),
    );
    env.open_voting(id);
    env.unchanged(
        unexpected(id, ProposalState::Active, ProposalState::Succeeded),
        |dao| dao.queue(id),
    );
    env.at(env.dao.proposal_deadline(id) + 1);
    env.unchanged(
        unexpected(id, ProposalState::Defeated, ProposalState::Succeeded),
        |dao| dao.queue(id),
    );
    env.unchanged(
        Error::NonexistentProposal(NonexistentProposal { proposalId: u(9) }),
        |dao| dao.queue(u(9)),
    );
    let id = env.succeeded_tax(40);
    env.dao.queue(id).unwrap();
    env.unchanged(
        unexpected(id, ProposalState::Queued, ProposalState::Succeeded),
        |dao| dao.queue(id),
    );
}

#[test]
fn execute_calls_each_action_once_the_timelock_passed() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    env.from(EVE);
    env.dao.execute(id).unwrap();
    let (targets, _, calldatas) = Env::tax_action(50);
    assert_eq!(
        env.host.calls_made(),
        vec![(targets[0], calldatas[0].to_vec(), U256::ZERO)]
    );
    assert_eq!(env.state(id), ProposalState::Executed);
    assert_eq!(env.last_log::<ProposalExecuted>().proposalId, id);
    assert!(!env.dao.guard.is_locked());
}

#[test]
fn execute_sends_values_from_the_treasury_in_order() {
    let mut env = Env::new();
    let targets = vec![TOKEN, BOB, CAROL];
    let values = vec![u(0), u(5), u(7)];
    let calldatas: Vec<Bytes> = vec![vec![1, 2].into(), Bytes::new(), Bytes::new()];
    env.from(ALICE);
    let id = env
        .dao
        .propose(targets, values, calldatas, "pay".into())
        .unwrap();
    env.total_power(env.dao.proposal_snapshot(id), TOTAL);
    env.open_voting(id);
    env.vote(id, BOB, 500, 1).unwrap();
    env.at(env.dao.proposal_deadline(id) + 1);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta);
    env.dao.execute(id).unwrap();
    assert_eq!(
        env.host.calls_made(),
        vec![
            (TOKEN, vec![1, 2], u(0)),
            (BOB, vec![], u(5)),
            (CAROL, vec![], u(7))
        ]
    );
}

#[test]
fn executing_early_fails() {
    let mut env = Env::new();
    let id = env.succeeded_tax(50);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta - 1);
    let want = revert_data(Error::TimelockNotElapsed(TimelockNotElapsed {
        proposalId: id,
        eta,
    }));
    env.unchanged(want, |dao| dao.execute(id));
    assert!(env.host.calls_made().is_empty());
}

#[test]
fn executing_unqueued_fails() {
    let mut env = Env::new();
    let id = env.succeeded_tax(50);
    let want = revert_data(unexpected(
        id,
        ProposalState::Succeeded,
        ProposalState::Queued,
    ));
    env.unchanged(want, |dao| dao.execute(id));
    let want = revert_data(Error::NonexistentProposal(NonexistentProposal {
        proposalId: u(1),
    }));
    env.unchanged(want, |dao| dao.execute(u(1)));
}

#[test]
fn executing_twice_fails() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    env.dao.execute(id).unwrap();
    let want = revert_data(unexpected(
        id,
        ProposalState::Executed,
        ProposalState::Queued,
    ));
    env.unchanged(want, |dao| dao.execute(id));
    assert_eq!(env.host.calls_made().len(), 1);
}

#[test]
fn executing_late_fails() {
    let mut env = Env::new();
    let id = env.succeeded_tax(50);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta + GRACE);
    assert_eq!(
        env.state(id),
        ProposalState::Queued,
        "last second of the grace window"
    );
    env.at(eta + GRACE + 1);
    assert_eq!(env.state(id), ProposalState::Expired);
    let want = revert_data(unexpected(
        id,
        ProposalState::Expired,
        ProposalState::Queued,
    ));
    env.unchanged(want, |dao| dao.execute(id));
}

#[test]
fn target_revert_data_bubbles_up_unchanged() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    let (targets, _, calldatas) = Env::tax_action(50);
    let custom = vec![0x12, 0x34, 0x56, 0x78, 0xab];
    env.host
        .mock_call(targets[0], calldatas[0].to_vec(), Err(custom.clone()));
    assert_eq!(env.dao.execute(id), Err(custom));
    assert!(!env.dao.guard.is_locked());
}

#[test]
fn silent_target_revert_is_typed() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    let (targets, _, calldatas) = Env::tax_action(50);
    env.host
        .mock_call(targets[0], calldatas[0].to_vec(), Err(Vec::new()));
    assert_eq!(
        env.dao.execute(id),
        Err(revert_data(Error::ActionFailed(ActionFailed {
            proposalId: id,
            index: u(0)
        })))
    );
}

#[test]
fn reentrant_execute_fails() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    // A proposal action calling back into execute finds the guard held.
    env.dao.guard.enter::<Error>().unwrap();
    let want = revert_data(Error::ReentrantCall(ReentrantCall {}));
    env.unchanged(want, |dao| dao.execute(id));
    assert!(env.host.calls_made().is_empty());
    env.dao.guard.exit();
    env.dao.execute(id).unwrap();
}

#[test]
fn settings_change_is_a_proposal_executed_on_itself() {
    let mut env = Env::new();
    let calldata = setVotingDelayCall { delay: 77 }.abi_encode();
    env.from(ALICE);
    let id = env
        .dao
        .propose(
            vec![DAO],
            vec![U256::ZERO],
            vec![calldata.clone().into()],
            "delay".into(),
        )
        .unwrap();
    env.total_power(env.dao.proposal_snapshot(id), TOTAL);
    env.open_voting(id);
    env.vote(id, BOB, 500, 1).unwrap();
    env.at(env.dao.proposal_deadline(id) + 1);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta);
    env.dao.execute(id).unwrap();
    assert_eq!(env.host.calls_made(), vec![(DAO, calldata, U256::ZERO)]);
    // The self-call arrives with the SubDAO as sender, which is what the setter requires.
    env.from(DAO);
    env.dao.set_voting_delay(77).unwrap();
    assert_eq!(env.dao.voting_delay(), 77);
}

#[test]
fn the_treasury_receives_eth() {
    let mut env = Env::new();
    env.host.vm.set_value(u(1_000));
    assert_eq!(env.dao.receive(), Ok(()));
}

alloy_sol_types::sol! {
    function setVotingDelay(uint64 delay) external;
}
