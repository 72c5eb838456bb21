//! Property tests (10,000 cases each) through the contract itself.
//!
//! A reference model (plain maps, tax from the full-precision `common::math::bps_of`) runs next
//! to the token over random sequences of every state-changing call, from random callers. After
//! each call the test checks: success or failure agree with the model, a failure wrote nothing,
//! every balance and allowance equals the model's, `totalSupply == Σ balances`, each
//! transfer's logs show `received + tax == sent`, and every account's tax exemption is its
//! governance grant or its role (treasury, governance) as roles move around.
use std::collections::HashMap;

use alloy_primitives::{Address, U256};
use proptest::prelude::*;

use super::*;
use crate::tax::MAX_TAX_BPS;
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::math::bps_of;

const ACCOUNTS: [Address; 6] = [ALICE, BOB, CAROL, POOL, TREASURY, GOV];

/// An amount: absolute, or per-mille of the relevant balance so that many calls succeed.
#[derive(Debug, Clone)]
enum Amount {
    Absolute(U256),
    PerMille(u16),
}

#[derive(Debug, Clone)]
enum Op {
    Transfer {
        from: usize,
        to: usize,
        amount: Amount,
    },
    TransferFrom {
        spender: usize,
        from: usize,
        to: usize,
        amount: Amount,
    },
    Approve {
        owner: usize,
        spender: usize,
        amount: Amount,
    },
    Burn {
        from: usize,
        amount: Amount,
    },
    BurnFrom {
        spender: usize,
        from: usize,
        amount: Amount,
    },
    LowerTax {
        caller: usize,
        bps: u16,
    },
    SetExempt {
        caller: usize,
        account: usize,
        exempt: bool,
    },
    SetPool {
        caller: usize,
        account: usize,
        enabled: bool,
    },
    SetPoolsOnly {
        caller: usize,
        pools_only: bool,
    },
    SetTreasury {
        caller: usize,
        account: usize,
    },
    /// `transferGovernance(successor)` from `caller`, then `acceptGovernance` from the
    /// successor.
    HandOver {
        caller: usize,
        successor: usize,
    },
}

/// A caller index that stands for whoever is the governance at the time of the call.
const GOVERNANCE: usize = usize::MAX;

fn account() -> impl Strategy<Value = usize> {
    0..ACCOUNTS.len()
}

fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => (0u16..=1100).prop_map(Amount::PerMille),
        1 => (0u64..10_000).prop_map(|v| Amount::Absolute(U256::from(v))),
        1 => any::<u128>().prop_map(|v| Amount::Absolute(U256::from(v))),
        1 => Just(Amount::Absolute(U256::MAX)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    // Governance calls come from the governance most of the time, sometimes from someone else.
    let caller = prop_oneof![3 => Just(GOVERNANCE), 1 => account()];
    prop_oneof![
        6 => (account(), account(), amount()).prop_map(|(from, to, amount)| Op::Transfer { from, to, amount }),
        3 => (account(), account(), account(), amount())
            .prop_map(|(spender, from, to, amount)| Op::TransferFrom { spender, from, to, amount }),
        3 => (account(), account(), amount()).prop_map(|(owner, spender, amount)| Op::Approve { owner, spender, amount }),
        1 => (account(), amount()).prop_map(|(from, amount)| Op::Burn { from, amount }),
        1 => (account(), account(), amount()).prop_map(|(spender, from, amount)| Op::BurnFrom { spender, from, amount }),
        1 => (caller.clone(), 0u16..=120).prop_map(|(caller, bps)| Op::LowerTax { caller, bps }),
        1 => (caller.clone(), account(), any::<bool>())
            .prop_map(|(caller, account, exempt)| Op::SetExempt { caller, account, exempt }),
        1 => (caller.clone(), account(), any::<bool>())
            .prop_map(|(caller, account, enabled)| Op::SetPool { caller, account, enabled }),
        1 => (caller.clone(), any::<bool>()).prop_map(|(caller, pools_only)| Op::SetPoolsOnly { caller, pools_only }),
        1 => (caller.clone(), account()).prop_map(|(caller, account)| Op::SetTreasury { caller, account }),
        1 => (caller, account()).prop_map(|(caller, successor)| Op::HandOver { caller, successor }),
    ]
}

/// The reference model of the token.
#[derive(Debug, Clone)]
struct Model {
    balances: HashMap<Address, U256>,
    allowances: HashMap<(Address, Address), U256>,
    supply: U256,
    bps: u16,
    /// Exemptions granted by governance (roles come on top, see [`Model::exempt`]).
    exempt: HashMap<Address, bool>,
    pools: HashMap<Address, bool>,
    pools_only: bool,
    treasury: Address,
    governance: Address,
}

impl Model {
    fn new(supply: U256) -> Self {
        Model {
            balances: HashMap::from([(ALICE, supply)]),
            allowances: HashMap::new(),
            supply,
            bps: MAX_TAX_BPS,
            exempt: HashMap::new(),
            pools: HashMap::new(),
            pools_only: false,
            treasury: TREASURY,
            governance: GOV,
        }
    }
    /// Exempt by governance's grant or by holding the treasury or governance role.
    fn exempt(&self, a: Address) -> bool {
        Self::flag(&self.exempt, a) || a == self.treasury || a == self.governance
    }
    /// The caller's address (`GOVERNANCE` is the governance of the moment).
    fn who(&self, caller: usize) -> Address {
        if caller == GOVERNANCE {
            self.governance
        } else {
            ACCOUNTS[caller]
        }
    }
    fn balance(&self, a: Address) -> U256 {
        self.balances.get(&a).copied().unwrap_or_default()
    }
    fn allowance(&self, o: Address, s: Address) -> U256 {
        self.allowances.get(&(o, s)).copied().unwrap_or_default()
    }
    fn flag(map: &HashMap<Address, bool>, a: Address) -> bool {
        map.get(&a).copied().unwrap_or(false)
    }
    fn tax(&self, from: Address, to: Address, value: U256) -> U256 {
        let exempt = self.exempt(from) || self.exempt(to);
        let in_scope =
            !self.pools_only || Self::flag(&self.pools, from) || Self::flag(&self.pools, to);
        if exempt || !in_scope {
            return U256::ZERO;
        }
        bps_of::<ArithmeticOverflow>(value, u64::from(self.bps)).unwrap()
    }
    /// Applies a transfer; `None` if it must fail.
    fn transfer(&mut self, from: Address, to: Address, value: U256) -> Option<U256> {
        if self.balance(from) < value {
            return None;
        }
        let tax = self.tax(from, to, value);
        *self.balances.entry(from).or_default() -= value;
        *self.balances.entry(to).or_default() += value - tax;
        *self.balances.entry(self.treasury).or_default() += tax;
        Some(tax)
    }
    fn spend(&mut self, owner: Address, spender: Address, value: U256) -> bool {
        let allowance = self.allowance(owner, spender);
        if allowance == U256::MAX {
            return true;
        }
        if allowance < value {
            return false;
        }
        self.allowances.insert((owner, spender), allowance - value);
        true
    }
    fn burn(&mut self, from: Address, value: U256) -> bool {
        if self.balance(from) < value {
            return false;
        }
        *self.balances.entry(from).or_default() -= value;
        self.supply -= value;
        true
    }
}

fn resolve(amount: &Amount, base: U256) -> U256 {
    match amount {
        Amount::Absolute(v) => *v,
        Amount::PerMille(p) => base / U256::from(1000) * U256::from(*p) + base % U256::from(1000),
    }
}

/// What one op did: the token's result; the model's expectation (`Some(Some(tax))` for a
/// successful transfer, `Some(None)` for another success, `None` for a failure); and for a
/// transfer, `(from, to, value)`.
type Outcome = (
    Result<(), Error>,
    Option<Option<U256>>,
    Option<(Address, Address, U256)>,
);

/// Runs one op on the token and the model and checks that they agree.
fn step(
    vm: &TestVM,
    token: &mut AgentToken,
    model: &mut Model,
    op: &Op,
) -> Result<(), TestCaseError> {
    let storage_before = vm.snapshot().storage;
    let logs_before = vm.get_emitted_logs().len();
    let bps_before = token.tax_bps();
    let (result, expected, sent): Outcome = match op {
        Op::Transfer { from, to, amount } => {
            let (from, to) = (ACCOUNTS[*from], ACCOUNTS[*to]);
            let value = resolve(amount, model.balance(from));
            let quote = token.quote_tax(from, to, value).unwrap();
            let expected = model.clone().transfer(from, to, value);
            if let Some(tax) = expected {
                prop_assert_eq!(quote, tax);
                model.transfer(from, to, value);
            }
            vm.set_sender(from);
            (
                token.transfer(to, value).map(|_| ()),
                expected.map(Some),
                Some((from, to, value)),
            )
        }
        Op::TransferFrom {
            spender,
            from,
            to,
            amount,
        } => {
            let (spender, from, to) = (ACCOUNTS[*spender], ACCOUNTS[*from], ACCOUNTS[*to]);
            let value = resolve(
                amount,
                model.allowance(from, spender).min(model.balance(from)),
            );
            let mut next = model.clone();
            let expected = if next.spend(from, spender, value) {
                next.transfer(from, to, value)
            } else {
                None
            };
            if expected.is_some() {
                *model = next;
            }
            vm.set_sender(spender);
            (
                token.transfer_from(from, to, value).map(|_| ()),
                expected.map(Some),
                Some((from, to, value)),
            )
        }
        Op::Approve {
            owner,
            spender,
            amount,
        } => {
            let (owner, spender) = (ACCOUNTS[*owner], ACCOUNTS[*spender]);
            let value = resolve(amount, model.balance(owner));
            model.allowances.insert((owner, spender), value);
            vm.set_sender(owner);
            (token.approve(spender, value).map(|_| ()), Some(None), None)
        }
        Op::Burn { from, amount } => {
            let from = ACCOUNTS[*from];
            let value = resolve(amount, model.balance(from));
            let ok = model.burn(from, value);
            vm.set_sender(from);
            (token.burn(value), ok.then_some(None), None)
        }
        Op::BurnFrom {
            spender,
            from,
            amount,
        } => {
            let (spender, from) = (ACCOUNTS[*spender], ACCOUNTS[*from]);
            let value = resolve(
                amount,
                model.allowance(from, spender).min(model.balance(from)),
            );
            let mut next = model.clone();
            let ok = next.spend(from, spender, value) && next.burn(from, value);
            if ok {
                *model = next;
            }
            vm.set_sender(spender);
            (token.burn_from(from, value), ok.then_some(None), None)
        }
        Op::LowerTax { caller, bps } => {
            let ok = model.who(*caller) == model.governance && *bps < model.bps;
            if ok {
                model.bps = *bps;
            }
            vm.set_sender(model.who(*caller));
            (token.lower_tax_rate(*bps), ok.then_some(None), None)
        }
        Op::SetExempt {
            caller,
            account,
            exempt,
        } => {
            let role =
                ACCOUNTS[*account] == model.treasury || ACCOUNTS[*account] == model.governance;
            let ok = model.who(*caller) == model.governance && (*exempt || !role);
            if ok {
                model.exempt.insert(ACCOUNTS[*account], *exempt);
            }
            vm.set_sender(model.who(*caller));
            (
                token.set_tax_exempt(ACCOUNTS[*account], *exempt),
                ok.then_some(None),
                None,
            )
        }
        Op::SetPool {
            caller,
            account,
            enabled,
        } => {
            let ok = model.who(*caller) == model.governance;
            if ok {
                model.pools.insert(ACCOUNTS[*account], *enabled);
            }
            vm.set_sender(model.who(*caller));
            (
                token.set_pool(ACCOUNTS[*account], *enabled),
                ok.then_some(None),
                None,
            )
        }
        Op::SetPoolsOnly { caller, pools_only } => {
            let ok = model.who(*caller) == model.governance;
            if ok {
                model.pools_only = *pools_only;
            }
            vm.set_sender(model.who(*caller));
            (
                token.set_pools_only_tax(*pools_only),
                ok.then_some(None),
                None,
            )
        }
        Op::SetTreasury { caller, account } => {
            let ok = model.who(*caller) == model.governance;
            if ok {
                model.treasury = ACCOUNTS[*account];
            }
            vm.set_sender(model.who(*caller));
            (
                token.set_treasury(ACCOUNTS[*account]),
                ok.then_some(None),
                None,
            )
        }
        Op::HandOver { caller, successor } => {
            let (caller, successor) = (model.who(*caller), ACCOUNTS[*successor]);
            let ok = caller == model.governance;
            vm.set_sender(caller);
            let result = token.transfer_governance(successor).and_then(|()| {
                vm.set_sender(successor);
                token.accept_governance()
            });
            if ok {
                model.governance = successor;
            }
            (result, ok.then_some(None), None)
        }
    };

    match (&result, expected) {
        (Ok(()), Some(tax)) => {
            if let (Some(tax), Some((from, to, value))) = (tax, sent) {
                // The transfer's own logs: net to `to`, then the tax to the treasury.
                let logs = &vm.get_emitted_logs()[logs_before..];
                let moved: Vec<_> = logs
                    .iter()
                    .filter(|(t, _)| t[0] == crate::sol::Transfer::SIGNATURE_HASH)
                    .map(|(t, d)| crate::sol::Transfer::decode_raw_log(t.clone(), d).unwrap())
                    .collect();
                prop_assert_eq!(moved[0].from, from);
                prop_assert_eq!(moved[0].to, to);
                let logged_tax = moved.get(1).map(|t| t.value).unwrap_or_default();
                prop_assert_eq!(logged_tax, tax);
                prop_assert_eq!(moved[0].value + logged_tax, value, "received + tax == sent");
            }
        }
        (Err(_), None) => {
            prop_assert_eq!(
                &storage_before,
                &vm.snapshot().storage,
                "failed call wrote storage"
            );
            prop_assert_eq!(
                logs_before,
                vm.get_emitted_logs().len(),
                "failed call logged"
            );
        }
        (got, want) => prop_assert!(false, "{op:?}: token {got:?}, model expected {want:?}"),
    }

    // Whole-state agreement and the supply invariant.
    let mut sum = U256::ZERO;
    for a in ACCOUNTS {
        let balance = token.balance_of(a);
        prop_assert_eq!(balance, model.balance(a), "balance of {}", a);
        sum += balance;
    }
    prop_assert_eq!(token.total_supply(), model.supply);
    prop_assert_eq!(token.total_supply(), sum, "totalSupply == sum of balances");
    prop_assert!(token.tax_bps() <= bps_before && token.tax_bps() <= MAX_TAX_BPS);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Random call sequences keep the token equal to the model and every invariant intact.
    #[test]
    fn random_calls_keep_invariants(
        initial in prop_oneof![any::<u64>().prop_map(U256::from), any::<u128>().prop_map(U256::from), Just(supply())],
        ops in prop::collection::vec(op(), 1..12),
    ) {
        let (vm, mut token) = deploy_with(initial, ALICE);
        let mut model = Model::new(initial);
        for op in &ops {
            vm.clear_mocks();
            step(&vm, &mut token, &mut model, op)?;
        }
        for owner in ACCOUNTS {
            for spender in ACCOUNTS {
                prop_assert_eq!(token.allowance(owner, spender), model.allowance(owner, spender));
            }
            prop_assert_eq!(token.is_tax_exempt(owner), model.exempt(owner));
            prop_assert_eq!(token.is_pool(owner), Model::flag(&model.pools, owner));
        }
        prop_assert_eq!(token.tax_bps(), model.bps);
        prop_assert_eq!(token.pools_only_tax(), model.pools_only);
    }

    /// Sending `value` in `k` transfers instead of one avoids at most `k - 1` units of tax, and
    /// never more tax is paid in parts than at once.
    #[test]
    fn split_transfers_save_at_most_k_minus_one(
        parts in prop::collection::vec(any::<u64>(), 1..16),
        bps in 0u16..=MAX_TAX_BPS,
    ) {
        let parts: Vec<U256> = parts.into_iter().map(U256::from).collect();
        let total = parts.iter().fold(U256::ZERO, |a, &b| a + b);
        // One token, two recipients: BOB gets the value at once, CAROL in parts.
        let (vm, mut token) = deploy_with(total * U256::from(2), ALICE);
        vm.set_sender(GOV);
        if bps < MAX_TAX_BPS {
            token.lower_tax_rate(bps).unwrap();
        }
        vm.set_sender(ALICE);
        token.transfer(BOB, total).unwrap();
        let whole = token.balance_of(TREASURY);
        prop_assert_eq!(token.balance_of(BOB) + whole, total);
        for &part in &parts {
            token.transfer(CAROL, part).unwrap();
        }
        let split = token.balance_of(TREASURY) - whole;
        prop_assert_eq!(token.balance_of(CAROL) + split, total);
        prop_assert!(split <= whole);
        prop_assert!(whole - split <= U256::from(parts.len() - 1), "saved {} with {} parts", whole - split, parts.len());
    }
}
