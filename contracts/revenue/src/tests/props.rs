//! Property tests (10,000 cases): the books always balance.
//!
//! Random sequences of payments, plain transfers, share changes, releases, buybacks and waits,
//! against a model of what each call must do. After every call: success or failure agree with
//! the model, `received == buybackBalance + treasuryBalance + swapped + released`, the
//! treasury's part of each amount is exactly `floor(amount * bps / 10_000)`, no period swaps
//! more than its cap, and every burn lowers the token's supply by exactly the amount burned.
use alloy_primitives::U256;
use proptest::prelude::*;

use super::*;
use crate::sol::*;

#[derive(Debug, Clone)]
enum Op {
    Pay(u64),
    Receive(u64),
    Share(u16),
    Release,
    Buyback,
    Wait(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u64..5_000_000_000_000_000_000).prop_map(Op::Pay),
        1 => (0u64..1_000_000_000_000_000_000).prop_map(Op::Receive),
        1 => (0u16..=10_000).prop_map(Op::Share),
        1 => Just(Op::Release),
        3 => Just(Op::Buyback),
        2 => (0u32..200_000).prop_map(Op::Wait),
    ]
}

#[derive(Default)]
struct Model {
    received: U256,
    buyback: U256,
    treasury: U256,
    swapped: U256,
    released: U256,
    requests: u64,
    share_bps: u16,
}

impl Model {
    fn book(&mut self, amount: U256) -> U256 {
        let share = amount * U256::from(self.share_bps) / U256::from(10_000);
        self.received += amount;
        self.treasury += share;
        self.buyback += amount - share;
        share
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn the_books_always_balance(ops in prop::collection::vec(op(), 1..12)) {
        let mut env = deploy();
        let mut model = Model { share_bps: 1_000, ..Model::default() };
        let cap = units(10);
        let mut period_start = 0u64;
        let mut spent_in_period = U256::ZERO;
        for op in ops {
            env.vm.clear_mocks();
            match op {
                Op::Pay(wei) => {
                    let amount = U256::from(wei);
                    let result = env.pay(ALICE, amount, 1);
                    if amount.is_zero() {
                        prop_assert_eq!(result, Err(ZeroPayment {}.into()));
                    } else {
                        model.requests += 1;
                        prop_assert_eq!(result, Ok(model.requests));
                        let share = model.book(amount);
                        let paid = logs::<InferencePaid>(&env.vm).pop().unwrap();
                        prop_assert_eq!(paid.treasury_share, share);
                    }
                }
                Op::Receive(wei) => {
                    env.as_(BOB, U256::from(wei));
                    prop_assert!(env.revenue.receive().is_ok());
                    env.vm.set_value(U256::ZERO);
                    model.book(U256::from(wei));
                }
                Op::Share(bps) => {
                    env.as_(GOV, U256::ZERO);
                    prop_assert!(env.revenue.set_treasury(TREASURY, bps).is_ok());
                    model.share_bps = bps;
                }
                Op::Release => {
                    env.as_(BOB, U256::ZERO);
                    let result = env.revenue.release_treasury_share();
                    if model.treasury.is_zero() {
                        prop_assert_eq!(result, Err(NothingToRelease {}.into()));
                    } else {
                        prop_assert_eq!(result, Ok(model.treasury));
                        model.released += model.treasury;
                        model.treasury = U256::ZERO;
                    }
                }
                Op::Buyback => {
                    env.as_(BOB, U256::ZERO);
                    let supply = env.dex().supply;
                    let result = env.revenue.buyback_and_burn();
                    match result {
                        Ok(burned) => {
                            let now = env.vm.block_timestamp();
                            if now >= period_start + u64::from(PERIOD) {
                                period_start = now;
                                spent_in_period = U256::ZERO;
                            }
                            let room = cap - spent_in_period;
                            let amount = model.buyback.min(room);
                            prop_assert!(!amount.is_zero());
                            spent_in_period += amount;
                            model.buyback -= amount;
                            model.swapped += amount;
                            prop_assert_eq!(env.dex().supply, supply - burned);
                        }
                        Err(error) => {
                            // Only the refusals the model allows: no ETH, cap spent, or the
                            // observation too young (the pool never moves in this test).
                            let allowed = matches!(
                                error,
                                crate::Error::NothingToBuy(_)
                                    | crate::Error::CapReached(_)
                                    | crate::Error::TwapNotReady(_)
                            );
                            prop_assert!(allowed, "{:?}", error);
                            if matches!(error, crate::Error::NothingToBuy(_)) {
                                prop_assert!(model.buyback.is_zero());
                            }
                        }
                    }
                }
                Op::Wait(seconds) => env.wait(u64::from(seconds)),
            }
            let (received, requests, buyback, treasury, swapped, released, _) =
                env.revenue.totals();
            prop_assert_eq!(received, model.received);
            prop_assert_eq!(requests, model.requests);
            prop_assert_eq!(buyback, model.buyback);
            prop_assert_eq!(treasury, model.treasury);
            prop_assert_eq!(swapped, model.swapped);
            prop_assert_eq!(released, model.released);
            prop_assert_eq!(received, buyback + treasury + swapped + released);
            prop_assert!(env.revenue.cap_usage().1 <= cap);
        }
    }
}
