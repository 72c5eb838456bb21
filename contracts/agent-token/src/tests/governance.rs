//! Two-step governance handover of the token.
use alloy_primitives::Address;

use super::*;
use agentdao_common::errors::{
    GovernanceTransferStarted, GovernanceTransferred, NotPendingGovernance, Unauthorized,
};

#[test]
fn handover_takes_two_steps() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.transfer_governance(CAROL).unwrap();
    let started: GovernanceTransferStarted = only_event(&vm);
    assert_eq!((started.current, started.pending), (GOV, CAROL));
    assert_eq!(token.pending_governance(), CAROL);
    assert_eq!(
        token.governance(),
        GOV,
        "old governance rules until acceptance"
    );
    vm.clear_mocks();

    vm.set_sender(CAROL);
    token.accept_governance().unwrap();
    let done: GovernanceTransferred = only_event(&vm);
    assert_eq!((done.previous, done.current), (GOV, CAROL));
    assert_eq!(token.governance(), CAROL);
    assert_eq!(token.pending_governance(), Address::ZERO);

    // Powers moved with the role.
    token.lower_tax_rate(50).unwrap();
    vm.set_sender(GOV);
    assert_fails_unchanged(
        &vm,
        Unauthorized {
            caller: GOV,
            required: CAROL,
        },
        || token.lower_tax_rate(10),
    );
}

#[test]
fn only_governance_nominates() {
    let (vm, mut token) = deploy();
    vm.set_sender(EVE);
    assert_fails_unchanged(
        &vm,
        Unauthorized {
            caller: EVE,
            required: GOV,
        },
        || token.transfer_governance(EVE),
    );
}

#[test]
fn only_the_nominee_accepts() {
    let (vm, mut token) = deploy();
    vm.set_sender(EVE);
    assert_fails_unchanged(
        &vm,
        NotPendingGovernance {
            caller: EVE,
            pending: Address::ZERO,
        },
        || token.accept_governance(),
    );
    vm.set_sender(GOV);
    token.transfer_governance(CAROL).unwrap();
    vm.set_sender(EVE);
    assert_fails_unchanged(
        &vm,
        NotPendingGovernance {
            caller: EVE,
            pending: CAROL,
        },
        || token.accept_governance(),
    );
    // Nominating zero cancels.
    vm.set_sender(GOV);
    token.transfer_governance(Address::ZERO).unwrap();
    vm.set_sender(CAROL);
    assert_fails_unchanged(
        &vm,
        NotPendingGovernance {
            caller: CAROL,
            pending: Address::ZERO,
        },
        || token.accept_governance(),
    );
    assert_eq!(token.governance(), GOV);
}
