//! The transfer tax: rate, exemptions, pool scope, treasury, and their governance setters.
use alloy_primitives::{Address, U256};

use super::*;
use crate::sol::*;
use agentdao_common::errors::{Unauthorized, ZeroAddress};

/// Gives BOB `amount` untaxed (from the exempt governance).
fn fund_bob(vm: &TestVM, token: &mut AgentToken, amount: U256) {
    vm.set_sender(ALICE);
    token.transfer(GOV, amount).unwrap();
    vm.set_sender(GOV);
    token.transfer(BOB, amount).unwrap();
    vm.clear_mocks();
}

#[test]
fn default_tax_is_one_percent_to_treasury() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.transfer(BOB, U256::from(12_345)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(12_222));
    assert_eq!(token.balance_of(TREASURY), U256::from(123));
    assert_eq!(token.balance_of(ALICE), supply() - U256::from(12_345));
    let charged: TaxCharged = only_event(&vm);
    assert_eq!(
        (charged.from, charged.to, charged.tax),
        (ALICE, BOB, U256::from(123))
    );
    assert_eq!(
        transfers(&vm),
        vec![
            (ALICE, BOB, U256::from(12_222)),
            (ALICE, TREASURY, U256::from(123))
        ]
    );
}

#[test]
fn tax_rounds_down() {
    let (vm, mut token) = deploy();
    vm.set_sender(ALICE);
    token.transfer(BOB, U256::from(99)).unwrap();
    assert_eq!(token.balance_of(BOB), U256::from(99));
    assert_eq!(token.balance_of(TREASURY), U256::ZERO);
    token.transfer(BOB, U256::from(199)).unwrap();
    assert_eq!(token.balance_of(TREASURY), U256::from(1));
    assert_eq!(
        token.quote_tax(ALICE, BOB, U256::from(299)).unwrap(),
        U256::from(2)
    );
}

#[test]
fn exempt_sender_or_recipient_pays_nothing() {
    let (vm, mut token) = deploy();
    fund_bob(&vm, &mut token, tokens(100));
    assert_eq!(
        token.balance_of(BOB),
        tokens(100),
        "transfers via exempt governance"
    );
    vm.set_sender(GOV);
    token.set_tax_exempt(BOB, true).unwrap();
    let set: TaxExemptionSet = only_event(&vm);
    assert_eq!((set.account, set.exempt), (BOB, true));
    assert!(token.is_tax_exempt(BOB));
    vm.set_sender(BOB);
    token.transfer(CAROL, tokens(10)).unwrap();
    vm.set_sender(ALICE);
    token.transfer(BOB, tokens(10)).unwrap();
    assert_eq!(token.balance_of(TREASURY), U256::ZERO);
    assert_eq!(token.quote_tax(ALICE, BOB, tokens(10)).unwrap(), U256::ZERO);
    // Ending the exemption taxes again.
    vm.set_sender(GOV);
    token.set_tax_exempt(BOB, false).unwrap();
    assert!(!token.is_tax_exempt(BOB));
    vm.set_sender(BOB);
    token.transfer(CAROL, tokens(10)).unwrap();
    assert_eq!(token.balance_of(TREASURY), tokens(10) / U256::from(100));
}

#[test]
fn pools_only_scope_taxes_only_pool_trades() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.set_pool(POOL, true).unwrap();
    let set: PoolSet = only_event(&vm);
    assert_eq!((set.pool, set.enabled), (POOL, true));
    vm.clear_mocks();
    token.set_pools_only_tax(true).unwrap();
    let scope: TaxScopeSet = only_event(&vm);
    assert!(scope.pools_only);
    assert!(token.pools_only_tax());
    assert!(token.is_pool(POOL));

    vm.set_sender(ALICE);
    token.transfer(BOB, tokens(100)).unwrap(); // wallet to wallet: untaxed
    assert_eq!(token.balance_of(BOB), tokens(100));
    token.transfer(POOL, tokens(100)).unwrap(); // sell into the pool: taxed
    assert_eq!(token.balance_of(POOL), tokens(99));
    vm.set_sender(POOL);
    token.transfer(CAROL, tokens(10)).unwrap(); // buy from the pool: taxed
    assert_eq!(
        token.balance_of(CAROL),
        tokens(10) - tokens(10) / U256::from(100)
    );
    assert_eq!(
        token.balance_of(TREASURY),
        tokens(1) + tokens(10) / U256::from(100)
    );

    // Deregistering the pool ends its taxation; widening the scope taxes everything again.
    vm.set_sender(GOV);
    token.set_pool(POOL, false).unwrap();
    assert_eq!(
        token.quote_tax(POOL, CAROL, tokens(100)).unwrap(),
        U256::ZERO
    );
    token.set_pools_only_tax(false).unwrap();
    assert_eq!(token.quote_tax(BOB, CAROL, tokens(100)).unwrap(), tokens(1));
}

#[test]
fn lower_tax_rate_only_lowers() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.lower_tax_rate(40).unwrap();
    assert_eq!(token.tax_bps(), 40);
    let lowered: TaxRateLowered = only_event(&vm);
    assert_eq!((lowered.previous_bps, lowered.new_bps), (100, 40));
    for requested in [40, 41, 100, 101, u16::MAX] {
        assert_fails_unchanged(
            &vm,
            TaxRateNotLowered {
                current_bps: 40,
                requested_bps: requested,
            },
            || token.lower_tax_rate(requested),
        );
    }
    vm.set_sender(ALICE);
    token.transfer(BOB, U256::from(10_000)).unwrap();
    assert_eq!(token.balance_of(TREASURY), U256::from(40));
    // Down to zero switches the tax off for good.
    vm.set_sender(GOV);
    token.lower_tax_rate(0).unwrap();
    assert_fails_unchanged(
        &vm,
        TaxRateNotLowered {
            current_bps: 0,
            requested_bps: 0,
        },
        || token.lower_tax_rate(0),
    );
    vm.set_sender(ALICE);
    token.transfer(BOB, U256::from(10_000)).unwrap();
    assert_eq!(token.balance_of(TREASURY), U256::from(40));
    assert_eq!(token.quote_tax(ALICE, BOB, tokens(1)).unwrap(), U256::ZERO);
}

#[test]
fn set_treasury_redirects_and_exempts() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.set_treasury(CAROL).unwrap();
    let changed: TreasuryChanged = only_event(&vm);
    assert_eq!((changed.previous, changed.current), (TREASURY, CAROL));
    let exemptions: Vec<(Address, bool)> = events::<TaxExemptionSet>(&vm)
        .into_iter()
        .map(|e| (e.account, e.exempt))
        .collect();
    assert_eq!(exemptions, vec![(TREASURY, false), (CAROL, true)]);
    assert_eq!(token.treasury(), CAROL);
    assert!(token.is_tax_exempt(CAROL));
    assert!(
        !token.is_tax_exempt(TREASURY),
        "the old treasury's exemption ends with its role"
    );
    vm.set_sender(ALICE);
    token.transfer(BOB, tokens(100)).unwrap();
    assert_eq!(token.balance_of(CAROL), tokens(1));
    assert_eq!(token.balance_of(TREASURY), U256::ZERO);
}

#[test]
fn setters_reject_zero_addresses() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    assert_fails_unchanged(&vm, ZeroAddress {}, || token.set_treasury(Address::ZERO));
    assert_fails_unchanged(&vm, ZeroAddress {}, || {
        token.set_tax_exempt(Address::ZERO, true)
    });
    assert_fails_unchanged(&vm, ZeroAddress {}, || token.set_pool(Address::ZERO, true));
}

#[test]
fn tax_administration_is_governance_only() {
    let (vm, mut token) = deploy();
    for caller in [EVE, ALICE, TREASURY] {
        vm.set_sender(caller);
        let denied = Unauthorized {
            caller,
            required: GOV,
        };
        assert_fails_unchanged(&vm, denied.clone(), || token.lower_tax_rate(0));
        assert_fails_unchanged(&vm, denied.clone(), || token.set_treasury(caller));
        assert_fails_unchanged(&vm, denied.clone(), || token.set_tax_exempt(caller, true));
        assert_fails_unchanged(&vm, denied.clone(), || token.set_pool(caller, true));
        assert_fails_unchanged(&vm, denied.clone(), || token.set_pools_only_tax(true));
    }
    assert_eq!(token.tax_bps(), 100);
}

#[test]
fn governance_setters_emit_even_when_value_is_unchanged() {
    // Idempotent calls still leave an audit trail rather than silently succeeding.
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.set_pools_only_tax(false).unwrap();
    token.set_tax_exempt(ALICE, false).unwrap();
    token.set_pool(POOL, false).unwrap();
    assert_eq!(
        event_signatures(&vm),
        vec![
            TaxScopeSet::SIGNATURE_HASH,
            TaxExemptionSet::SIGNATURE_HASH,
            PoolSet::SIGNATURE_HASH
        ]
    );
}

/// The deployer launches holding the supply, the treasury and the governance (`deploy`'s
/// defaults), then hands both roles to the SubDAO. It must not keep trading tax-free.
#[test]
fn deployer_keeps_no_exemption_after_handing_over_its_roles() {
    let vm = TestVM::default();
    let mut token = AgentToken::from(&vm);
    token
        .constructor(
            "Agent".into(),
            "AGT".into(),
            supply(),
            ALICE,
            ALICE,
            ALICE,
            100,
        )
        .unwrap();
    assert!(token.is_tax_exempt(ALICE));
    vm.set_sender(ALICE);
    token.set_treasury(TREASURY).unwrap();
    assert!(
        token.is_tax_exempt(ALICE),
        "still the governance: still exempt"
    );
    token.transfer_governance(GOV).unwrap();
    vm.set_sender(GOV);
    vm.clear_mocks();
    token.accept_governance().unwrap();
    let exemptions: Vec<(Address, bool)> = events::<TaxExemptionSet>(&vm)
        .into_iter()
        .map(|e| (e.account, e.exempt))
        .collect();
    assert_eq!(exemptions, vec![(ALICE, false), (GOV, true)]);
    assert!(!token.is_tax_exempt(ALICE));
    assert!(token.is_tax_exempt(GOV));
    vm.set_sender(ALICE);
    token.transfer(BOB, tokens(100)).unwrap();
    assert_eq!(token.balance_of(BOB), tokens(99));
    assert_eq!(token.balance_of(TREASURY), tokens(1));
}

#[test]
fn role_holders_cannot_lose_their_exemption_by_decree() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    for account in [TREASURY, GOV] {
        assert_fails_unchanged(&vm, ExemptByRole { account }, || {
            token.set_tax_exempt(account, false)
        });
    }
    // Granting on top of a role is allowed and outlives the role.
    token.set_tax_exempt(TREASURY, true).unwrap();
    token.set_treasury(CAROL).unwrap();
    assert!(
        token.is_tax_exempt(TREASURY),
        "granted exemption kept after the role moved"
    );
    token.set_tax_exempt(TREASURY, false).unwrap();
    assert!(!token.is_tax_exempt(TREASURY));
}

#[test]
fn moving_the_treasury_to_itself_changes_nothing() {
    let (vm, mut token) = deploy();
    vm.set_sender(GOV);
    token.set_treasury(TREASURY).unwrap();
    assert!(events::<TaxExemptionSet>(&vm).is_empty());
    assert!(token.is_tax_exempt(TREASURY));
}

#[test]
fn constructor_sets_the_initial_tax_rate() {
    for bps in [0u16, 1, 50, 100] {
        let vm = TestVM::default();
        let mut token = AgentToken::from(&vm);
        token
            .constructor("A".into(), "A".into(), supply(), ALICE, TREASURY, GOV, bps)
            .unwrap();
        assert_eq!(token.tax_bps(), bps);
        vm.set_sender(ALICE);
        token.transfer(BOB, tokens(10_000)).unwrap();
        assert_eq!(token.balance_of(TREASURY), tokens(bps.into()));
    }
}

#[test]
fn constructor_rejects_a_tax_above_one_percent() {
    for bps in [101u16, 10_000, u16::MAX] {
        let vm = TestVM::default();
        let mut token = AgentToken::from(&vm);
        assert_fails_unchanged(
            &vm,
            TaxRateTooHigh {
                max_bps: 100,
                requested_bps: bps,
            },
            || token.constructor("A".into(), "A".into(), supply(), ALICE, TREASURY, GOV, bps),
        );
    }
}
