//! queue, execute, the timelock, the grace window and reentrancy.
use alloy_primitives::{keccak256, Bytes, B256, U256};
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
    assert_eq!(env.dao.proposal(id).3, now + TIMELOCK);
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
    env.at(env.deadline(id) + 1);
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
    assert_eq!(env.execute_tax(50), Ok(id));
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
        .propose(
            targets.clone(),
            values.clone(),
            calldatas.clone(),
            "pay".into(),
        )
        .unwrap();
    env.total_power(env.snapshot(id), TOTAL);
    env.open_voting(id);
    env.vote(id, BOB, 500, 1).unwrap();
    env.at(env.deadline(id) + 1);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta);
    assert_eq!(
        env.dao
            .execute(targets, values, calldatas, keccak256("pay")),
        Ok(id)
    );
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
    env.unchanged(want, |dao| execute_tax(dao, 50));
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
    env.unchanged(want, |dao| execute_tax(dao, 50));
    // Content that was never proposed (another tax rate).
    let (t, v, c) = Env::tax_action(7);
    let unknown = proposal_id(&t, &v, &c, TAX_DESCRIPTION);
    let want = revert_data(Error::NonexistentProposal(NonexistentProposal {
        proposalId: unknown,
    }));
    env.unchanged(want, |dao| execute_tax(dao, 7));
    // Same actions, another description.
    let (t, v, c) = Env::tax_action(50);
    let other = proposal_id(&t, &v, &c, "other");
    let want = revert_data(Error::NonexistentProposal(NonexistentProposal {
        proposalId: other,
    }));
    env.unchanged(want, |dao| dao.execute(t, v, c, keccak256("other")));
}

#[test]
fn executing_twice_fails() {
    let mut env = Env::new();
    let id = env.ready_tax(50);
    env.execute_tax(50).unwrap();
    let want = revert_data(unexpected(
        id,
        ProposalState::Executed,
        ProposalState::Queued,
    ));
    env.unchanged(want, |dao| execute_tax(dao, 50));
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
    env.unchanged(want, |dao| execute_tax(dao, 50));
}

#[test]
fn target_revert_data_bubbles_up_unchanged() {
    let mut env = Env::new();
    env.ready_tax(50);
    let (targets, _, calldatas) = Env::tax_action(50);
    let custom = vec![0x12, 0x34, 0x56, 0x78, 0xab];
    env.host
        .mock_call(targets[0], calldatas[0].to_vec(), Err(custom.clone()));
    assert_eq!(env.execute_tax(50), Err(custom));
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
        env.execute_tax(50),
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
    env.unchanged(want, |dao| execute_tax(dao, 50));
    assert!(env.host.calls_made().is_empty());
    env.dao.guard.exit();
    assert_eq!(env.execute_tax(50), Ok(id));
}

#[test]
fn settings_change_is_a_proposal_executed_on_itself() {
    let mut env = Env::new();
    let mut wanted = env.settings();
    wanted.voting_delay = 77;
    let calldata = setSettingsCall {
        eloLedger: wanted.elo_ledger,
        votingDelay: 77,
        votingPeriod: wanted.voting_period,
        proposalThreshold: wanted.proposal_threshold,
        quorumBps: wanted.quorum_bps,
        timelockDelay: wanted.timelock_delay,
        gracePeriod: wanted.grace_period,
    }
    .abi_encode();
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
    env.total_power(env.snapshot(id), TOTAL);
    env.open_voting(id);
    env.vote(id, BOB, 500, 1).unwrap();
    env.at(env.deadline(id) + 1);
    let eta = env.dao.queue(id).unwrap();
    env.at(eta);
    let calldatas = vec![calldata.clone().into()];
    assert_eq!(
        env.dao
            .execute(vec![DAO], vec![U256::ZERO], calldatas, keccak256("delay")),
        Ok(id)
    );
    assert_eq!(env.host.calls_made(), vec![(DAO, calldata, U256::ZERO)]);
    // The self-call arrives with the SubDAO as sender, which is what the setter requires.
    env.from(DAO);
    env.set(wanted).unwrap();
    assert_eq!(env.settings(), wanted);
}

alloy_sol_types::sol! {
    function setSettings(address eloLedger, uint64 votingDelay, uint64 votingPeriod, uint256 proposalThreshold, uint64 quorumBps, uint64 timelockDelay, uint64 gracePeriod) external;
}

fn execute_tax(dao: &mut SubDaoState, bps: u64) -> Result<U256, Vec<u8>> {
    let (targets, values, calldatas) = Env::tax_action(bps);
    dao.execute(targets, values, calldatas, keccak256(TAX_DESCRIPTION))
}

alloy_sol_types::sol! {
    function acceptGovernance() external;
}

/// A contract that nominated the SubDAO as its governance.
const NOMINATOR: alloy_primitives::Address = alloy_primitives::Address::repeat_byte(0xa4);

fn accept_call() -> Vec<u8> {
    acceptGovernanceCall {}.abi_encode()
}

#[test]
fn anyone_completes_a_handover_to_the_subdao() {
    let mut env = Env::new();
    env.host.vm.set_code(NOMINATOR, vec![0xfe]);
    env.host.mock_call(NOMINATOR, accept_call(), Ok(Vec::new()));
    env.from(EVE);
    assert_eq!(env.dao.accept_governance_of(NOMINATOR), Ok(()));
    assert_eq!(
        env.host.calls_made(),
        vec![(NOMINATOR, accept_call(), U256::ZERO)]
    );
    assert!(!env.dao.guard.is_locked());
}

#[test]
fn refused_handover_is_typed_with_the_reason() {
    let mut env = Env::new();
    env.host.vm.set_code(NOMINATOR, vec![0xfe]);
    let reason = b"not pending governance".to_vec();
    env.host
        .mock_call(NOMINATOR, accept_call(), Err(reason.clone()));
    env.from(EVE);
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: NOMINATOR,
            reason: reason.into(),
        }),
        |dao| dao.accept_governance_of(NOMINATOR),
    );
    assert!(!env.dao.guard.is_locked());
}

#[test]
fn handover_from_an_account_without_code_fails() {
    let mut env = Env::new();
    env.from(EVE);
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: CAROL,
            reason: Bytes::new(),
        }),
        |dao| dao.accept_governance_of(CAROL),
    );
    assert!(
        env.host.calls_made().is_empty(),
        "no call to an empty account"
    );
    assert!(!env.dao.guard.is_locked());
}

#[test]
fn handover_during_an_execution_is_reentrant() {
    let mut env = Env::new();
    env.host.vm.set_code(NOMINATOR, vec![0xfe]);
    env.dao.guard.enter::<Error>().unwrap();
    env.unchanged(Error::ReentrantCall(ReentrantCall {}), |dao| {
        dao.accept_governance_of(NOMINATOR)
    });
    assert!(env.host.calls_made().is_empty());
    assert!(env.dao.guard.is_locked(), "the outer lock is kept");
}
