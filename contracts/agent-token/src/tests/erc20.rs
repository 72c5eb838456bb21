//! ERC-20 behaviour: constructor, transfers between exempt parties, allowances, burns, views.
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::TestVM;

use super::*;
use crate::sol::*;
use agentdao_common::errors::{GovernanceTransferred, ZeroAddress};
use agentdao_common::short_string::StringTooLong;

#[test]
fn constructor_mints_and_configures() {
    let vm = TestVM::default();
    let mut token = AgentToken::from(&vm);
    token
        .constructor(
            "Agent".into(),
            "AGT".into(),
            supply(),
            ALICE,
            TREASURY,
            GOV,
            100,
        )
        .unwrap();
    assert_eq!(token.name(), "Agent");
    assert_eq!(token.symbol(), "AGT");
    assert_eq!(token.decimals(), 18);
    assert_eq!(token.total_supply(), supply());
    assert_eq!(token.balance_of(ALICE), supply());
    assert_eq!(token.tax_bps(), 100);
    assert_eq!(token.treasury(), TREASURY);
    assert_eq!(token.governance(), GOV);
    assert_eq!(token.pending_governance(), Address::ZERO);
    assert!(token.is_tax_exempt(TREASURY));
    assert!(token.is_tax_exempt(GOV));
    assert!(!token.is_tax_exempt(ALICE));
    assert!(!token.pools_only_tax());
    assert_eq!(token.version(), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        event_signatures(&vm),
        vec![
            GovernanceTransferred::SIGNATURE_HASH,
            TreasuryChanged::SIGNATURE_HASH,
            TaxExemptionSet::SIGNATURE_HASH,
            TaxExemptionSet::SIGNATURE_HASH,
            Transfer::SIGNATURE_HASH,
        ]
    );
    assert_eq!(transfers(&vm), vec![(Address::ZERO, ALICE, supply())]);
}

#[test]
fn constructor_rejects_zero_addresses() {
    let cases: [(Address, Address, Address, Error); 3] = [
        (
            Address::ZERO,
            TREASURY,
            GOV,
            ERC20InvalidReceiver {
                receiver: Address::ZERO,
            }
            .into(),
        ),
        (ALICE, Address::ZERO, GOV, ZeroAddress {}.into()),
        (ALICE, TREASURY, Address::ZERO, ZeroAddress {}.into()),
    ];
    for (holder, treasury, governance, expected) in cases {
        let vm = TestVM::default();
        let mut token = AgentToken::from(&vm);
        assert_fails_unchanged(&vm, expected, || {
            token.constructor(
                "A".into(),
                "A".into(),
                supply(),
                holder,
                treasury,
                governance,
                100,
            )
        });
        assert_eq!(token.total_supply(), U256::ZERO);
    }
}

#[test]
fn constructor_rejects_names_over_31_bytes() {
    let long = "n".repeat(32);
    for (name, symbol) in [(long.as_str(), "AGT"), ("Agent", long.as_str())] {
        let vm = TestVM::default();
        let mut token = AgentToken::from(&vm);
        assert_fails_unchanged(
            &vm,
            StringTooLong {
                length: U256::from(32),
                max: U256::from(31),
            },
            || {
                token.constructor(
                    name.into(),
                    symbol.into(),
                    supply(),
                    ALICE,
                    TREASURY,
                    GOV,
                    100,
                )
            },
        );
    }
    // 31 bytes, multi-byte characters included, round-trip.
    let vm = TestVM::default();
    let mut token = AgentToken::from(&vm);
    let name = "Ågent Ω ".repeat(3) + "a"; // 31 bytes
    assert_eq!(name.len(), 31);
    token
        .constructor(
            name.clone(),
            "Ω".into(),
            supply(),
            ALICE,
            TREASURY,
            GOV,
            100,
        )
        .unwrap();
    assert_eq!(token.name(), name);
    assert_eq!(token.symbol(), "Ω");
}

#[test]
fn transfer_moves_balance_and_logs() {
    let (vm, mut token) = deploy();
    // Governance is exempt, so a transfer to it is untaxed.
    vm.set_sender(ALICE);
    assert!(token.transfer(GOV, tokens(10)).unwrap());
    assert_eq!(token.balance_of(GOV), tokens(10));
    assert_eq!(token.balance_of(ALICE), supply() - tokens(10));
    assert_eq!(token.balance_of(TREASURY), U256::ZERO);
    assert_eq!(transfers(&vm), vec![(ALICE, GOV, tokens(10))]);
    assert_eq!(
        event_signatures(&vm).len(),
        1,
        "no TaxCharged for an untaxed transfer"
    );
}

#[test]
fn transfer_to_self_keeps_balance_minus_tax() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.transfer(ALICE, tokens(100)).unwrap();
    assert_eq!(token.balance_of(ALICE), supply() - tokens(1));
    assert_eq!(token.balance_of(TREASURY), tokens(1));
    assert_eq!(token.total_supply(), supply());
}

#[test]
fn zero_value_transfer_succeeds() {
    let (vm, mut token) = deploy();
    vm.set_sender(BOB);
    assert!(token.transfer(CAROL, U256::ZERO).unwrap());
    assert_eq!(transfers(&vm), vec![(BOB, CAROL, U256::ZERO)]);
}

#[test]
fn transfer_errors_leave_state_unchanged() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    assert_fails_unchanged(
        &vm,
        ERC20InvalidReceiver {
            receiver: Address::ZERO,
        },
        || token.transfer(Address::ZERO, U256::from(1)),
    );
    let needed = supply() + U256::from(1);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientBalance {
            sender: ALICE,
            balance: supply(),
            needed,
        },
        || token.transfer(BOB, needed),
    );
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientBalance {
            sender: BOB,
            balance: U256::ZERO,
            needed: U256::from(1),
        },
        || token.transfer(ALICE, U256::from(1)),
    );
}

#[test]
fn approve_sets_allowance_and_logs() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    assert!(token.approve(BOB, tokens(5)).unwrap());
    assert_eq!(token.allowance(ALICE, BOB), tokens(5));
    let approval: Approval = only_event(&vm);
    assert_eq!(
        (approval.owner, approval.spender, approval.value),
        (ALICE, BOB, tokens(5))
    );
    // Re-approving replaces.
    token.approve(BOB, U256::from(1)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::from(1));
}

#[test]
fn approve_rejects_zero_spender() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    assert_fails_unchanged(
        &vm,
        ERC20InvalidSpender {
            spender: Address::ZERO,
        },
        || token.approve(Address::ZERO, U256::from(1)),
    );
}

#[test]
fn transfer_from_spends_gross_allowance() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.approve(BOB, tokens(150)).unwrap();
    vm.set_sender(BOB);
    assert!(token.transfer_from(ALICE, CAROL, tokens(100)).unwrap());
    // 1% tax: CAROL receives 99, the treasury 1, and the allowance drops by the full 100.
    assert_eq!(token.balance_of(CAROL), tokens(99));
    assert_eq!(token.balance_of(TREASURY), tokens(1));
    assert_eq!(token.allowance(ALICE, BOB), tokens(50));
    assert_eq!(
        transfers(&vm),
        vec![(ALICE, CAROL, tokens(99)), (ALICE, TREASURY, tokens(1))]
    );
}

#[test]
fn unlimited_allowance_is_not_decreased() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.approve(BOB, U256::MAX).unwrap();
    vm.set_sender(BOB);
    token.transfer_from(ALICE, BOB, tokens(3)).unwrap();
    token.burn_from(ALICE, tokens(3)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), U256::MAX);
}

#[test]
fn transfer_from_errors_leave_state_unchanged() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.approve(BOB, tokens(10)).unwrap();
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientAllowance {
            spender: BOB,
            allowance: tokens(10),
            needed: tokens(11),
        },
        || token.transfer_from(ALICE, CAROL, tokens(11)),
    );
    assert_fails_unchanged(
        &vm,
        ERC20InvalidReceiver {
            receiver: Address::ZERO,
        },
        || token.transfer_from(ALICE, Address::ZERO, tokens(1)),
    );
    // The zero address cannot be a sender, even for a zero-value pull.
    assert_fails_unchanged(
        &vm,
        ERC20InvalidSender {
            sender: Address::ZERO,
        },
        || token.transfer_from(Address::ZERO, CAROL, U256::ZERO),
    );
    // Allowance available but balance short: the allowance must not be spent.
    vm.set_sender(CAROL);
    token.approve(BOB, tokens(10)).unwrap();
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientBalance {
            sender: CAROL,
            balance: U256::ZERO,
            needed: tokens(1),
        },
        || token.transfer_from(CAROL, ALICE, tokens(1)),
    );
    assert_eq!(token.allowance(CAROL, BOB), tokens(10));
}

#[test]
fn burn_reduces_supply() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.burn(tokens(400)).unwrap();
    assert_eq!(token.total_supply(), supply() - tokens(400));
    assert_eq!(token.balance_of(ALICE), supply() - tokens(400));
    assert_eq!(token.balance_of(TREASURY), U256::ZERO, "burns are untaxed");
    assert_eq!(transfers(&vm), vec![(ALICE, Address::ZERO, tokens(400))]);
}

#[test]
fn burn_rejects_more_than_balance() {
    let (vm, mut token) = deploy();
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientBalance {
            sender: BOB,
            balance: U256::ZERO,
            needed: U256::from(1),
        },
        || token.burn(U256::from(1)),
    );
}

#[test]
fn burn_from_spends_allowance() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.approve(BOB, tokens(7)).unwrap();
    vm.set_sender(BOB);
    token.burn_from(ALICE, tokens(5)).unwrap();
    assert_eq!(token.allowance(ALICE, BOB), tokens(2));
    assert_eq!(token.total_supply(), supply() - tokens(5));
    assert_eq!(token.balance_of(ALICE), supply() - tokens(5));
}

#[test]
fn burn_from_errors_leave_state_unchanged() {
    let (vm, mut token) = deploy();
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientAllowance {
            spender: BOB,
            allowance: U256::ZERO,
            needed: U256::from(1),
        },
        || token.burn_from(ALICE, U256::from(1)),
    );
    vm.set_sender(CAROL);
    token.approve(BOB, tokens(1)).unwrap();
    vm.set_sender(BOB);
    assert_fails_unchanged(
        &vm,
        ERC20InsufficientBalance {
            sender: CAROL,
            balance: U256::ZERO,
            needed: tokens(1),
        },
        || token.burn_from(CAROL, tokens(1)),
    );
    assert_eq!(token.allowance(CAROL, BOB), tokens(1));
}

#[test]
fn zero_address_caller_cannot_send_or_approve() {
    // Unreachable on chain (no transaction comes from address zero), checked anyway.
    let (vm, mut token) = deploy();
    vm.set_sender(Address::ZERO);
    assert_fails_unchanged(
        &vm,
        ERC20InvalidSender {
            sender: Address::ZERO,
        },
        || token.transfer(ALICE, U256::ZERO),
    );
    assert_fails_unchanged(
        &vm,
        ERC20InvalidApprover {
            approver: Address::ZERO,
        },
        || token.approve(ALICE, U256::from(1)),
    );
}
