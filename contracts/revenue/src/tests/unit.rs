//! Every function and every error path.
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256};

use super::*;
use crate::sol::*;
use crate::twap;
use crate::{Error, MAX_DEVIATION_BPS, MAX_PERIOD, MAX_SLIPPAGE_BPS, MAX_WINDOW, MIN_WINDOW};
use agentdao_common::errors::{BpsOutOfRange, ReentrantCall, Unauthorized, ZeroAddress};

/// The raw storage of the program's first slots (its whole fixed layout).
fn snapshot(env: &Env) -> Vec<alloy_primitives::B256> {
    (0..40u64)
        .map(|slot| env.vm.get_storage(U256::from(slot)))
        .collect()
}

#[test]
fn constructor_reads_the_pair_and_observes() {
    for weth_is_token0 in [true, false] {
        let env = deploy_with(weth_is_token0);
        assert_eq!(env.revenue.dex(), (TOKEN, WETH, ROUTER, PAIR));
        assert_eq!(
            env.revenue.settings(),
            (
                TREASURY,
                1_000,
                WINDOW,
                SLIPPAGE_BPS,
                DEVIATION_BPS,
                PERIOD,
                units(10)
            )
        );
        let (cumulative, at) = env.revenue.observation();
        assert_eq!(at, T0);
        assert_eq!(
            cumulative,
            env.dex().cumulative_weth,
            "WETH priced in tokens"
        );
    }
}

#[test]
fn constructor_refuses_a_pair_of_another_token() {
    let host = CallHost::new(TestVM::default(), Dex::default());
    host.calls.state.borrow_mut().foreign_token = Some(Address::repeat_byte(0x33));
    host.calls.state.borrow_mut().update(T0, units(1), units(1));
    let mut revenue = Revenue::from(&host);
    let result = revenue.constructor(
        TOKEN,
        ROUTER,
        PAIR,
        TREASURY,
        0,
        GOV,
        WINDOW,
        0,
        0,
        PERIOD,
        units(1),
    );
    assert_eq!(
        result,
        Err(PairMismatch {
            pair: PAIR,
            weth: WETH
        }
        .into())
    );
}

#[test]
fn payments_accumulate_split_and_count() {
    let mut env = deploy();
    assert_eq!(env.pay(ALICE, U256::from(1_005), 1), Ok(1));
    assert_eq!(env.pay(BOB, U256::from(20), 2), Ok(2));
    let paid = logs::<InferencePaid>(&env.vm);
    assert_eq!(paid.len(), 2);
    assert_eq!(
        (paid[0].payer, paid[0].request, paid[0].amount),
        (ALICE, B256::repeat_byte(1), U256::from(1_005))
    );
    assert_eq!(paid[0].treasury_share, U256::from(100), "10% rounded down");
    assert_eq!((paid[1].payer, paid[1].index), (BOB, 2));
    let (received, requests, buyback, treasury, swapped, released, burned) = env.revenue.totals();
    assert_eq!((received, requests), (U256::from(1_025), 2));
    assert_eq!((buyback, treasury), (U256::from(923), U256::from(102)));
    assert_eq!(
        (swapped, released, burned),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
}

#[test]
fn a_payment_without_value_is_refused() {
    let mut env = deploy();
    let before = snapshot(&env);
    assert_eq!(env.pay(ALICE, U256::ZERO, 1), Err(ZeroPayment {}.into()));
    assert_eq!(snapshot(&env), before);
}

#[test]
fn plain_transfers_are_revenue_without_a_request() {
    let mut env = deploy();
    env.as_(BOB, U256::from(50));
    env.revenue.receive().unwrap();
    let got = logs::<RevenueReceived>(&env.vm);
    assert_eq!((got[0].from, got[0].amount), (BOB, U256::from(50)));
    let (received, requests, buyback, treasury, ..) = env.revenue.totals();
    assert_eq!(
        (received, requests, buyback, treasury),
        (U256::from(50), 0, U256::from(45), U256::from(5))
    );
}

#[test]
fn the_treasury_share_is_released_to_the_treasury() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.as_(BOB, U256::ZERO);
    assert_eq!(
        env.revenue.release_treasury_share(),
        Ok(units(1) / U256::from(10))
    );
    assert_eq!(env.dex().eth_received[&TREASURY], units(1) / U256::from(10));
    assert_eq!(
        env.revenue.release_treasury_share(),
        Err(NothingToRelease {}.into())
    );
    let (_, _, _, treasury, _, released, _) = env.revenue.totals();
    assert_eq!(
        (treasury, released),
        (U256::ZERO, units(1) / U256::from(10))
    );
}

#[test]
fn a_buyback_before_the_window_is_refused() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW) - 1);
    let before = snapshot(&env);
    assert_eq!(
        env.revenue.buyback_and_burn(),
        Err(TwapNotReady {
            ready_at: T0 + u64::from(WINDOW)
        }
        .into())
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn nothing_to_buy_without_revenue() {
    let mut env = deploy();
    env.wait(u64::from(WINDOW));
    assert_eq!(env.revenue.buyback_and_burn(), Err(NothingToBuy {}.into()));
}

#[test]
fn a_buyback_swaps_at_the_twap_bound_and_burns() {
    for weth_is_token0 in [true, false] {
        let mut env = deploy_with(weth_is_token0);
        env.pay(ALICE, units(2), 1).unwrap();
        // Someone's tax or token payment waiting here is burned too.
        env.dex().mint(THIS, U256::from(7));
        env.wait(u64::from(WINDOW));
        let supply = env.dex().supply;
        let expected_out = env
            .dex()
            .amount_out(units(2) * U256::from(9) / U256::from(10));
        let (eth_in, min_out, twap_price, spot) = env.revenue.buyback_quote().unwrap();
        assert_eq!(eth_in, U256::from(18) * units(1) / U256::from(10));
        // Reserves never moved, so the average is the spot price: 10,000 tokens per WETH.
        assert_eq!(twap_price, spot);
        assert_eq!(
            twap_price,
            twap::spot_price(units(10_000), units(100_000_000)).unwrap()
        );
        let quote = twap::quote(eth_in, twap_price).unwrap();
        assert_eq!(min_out, twap::less_bps(quote, SLIPPAGE_BPS.into()).unwrap());

        env.as_(BOB, U256::ZERO);
        let burned = env.revenue.buyback_and_burn().unwrap();
        assert_eq!(burned, expected_out + U256::from(7));
        assert_eq!(
            env.dex().supply,
            supply - burned,
            "supply falls by the burn"
        );
        assert_eq!(env.dex().balance(THIS), U256::ZERO);
        let event = logs::<BuybackBurned>(&env.vm).pop().unwrap();
        assert_eq!(
            (event.caller, event.eth_in, event.bought, event.burned),
            (BOB, eth_in, expected_out, burned)
        );
        let (_, _, buyback, _, swapped, _, total_burned) = env.revenue.totals();
        assert_eq!(
            (buyback, swapped, total_burned),
            (U256::ZERO, eth_in, burned)
        );
        assert_eq!(env.revenue.observation().1, T0 + u64::from(WINDOW));
        assert_eq!(env.revenue.cap_usage(), (T0 + u64::from(WINDOW), eth_in));
    }
}

#[test]
fn a_pool_moved_just_before_makes_the_buyback_refuse() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW));
    // A large buy right before (same block): fewer tokens per WETH at spot.
    let now = env.vm.block_timestamp();
    env.dex().trade_eth_for_tokens(now, units(500));
    let before = snapshot(&env);
    let result = env.revenue.buyback_and_burn();
    let Err(Error::SpotDeviatesFromTwap(SpotDeviatesFromTwap { spot, twap })) = result else {
        panic!("expected SpotDeviatesFromTwap, got {result:?}");
    };
    assert!(spot < twap);
    assert_eq!(snapshot(&env), before);
    assert_eq!(env.dex().swaps, 0);
}

#[test]
fn a_small_move_within_the_bound_is_tolerated() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW));
    let now = env.vm.block_timestamp();
    // 5 ETH into 10,000 ETH of reserves moves the price about 0.1%, within 2%.
    env.dex().trade_eth_for_tokens(now, units(5));
    env.revenue.buyback_and_burn().unwrap();
}

#[test]
fn the_cap_holds_within_a_period() {
    let mut env = deploy();
    env.pay(ALICE, units(30), 1).unwrap(); // 27 ETH for buybacks, cap 10 per period
    env.wait(u64::from(WINDOW));
    env.revenue.buyback_and_burn().unwrap();
    assert_eq!(env.revenue.cap_usage().1, units(10));
    env.wait(u64::from(WINDOW));
    let start = T0 + u64::from(WINDOW);
    assert_eq!(
        env.revenue.buyback_and_burn(),
        Err(CapReached {
            next_period: start + u64::from(PERIOD)
        }
        .into())
    );
    env.vm.set_block_timestamp(start + u64::from(PERIOD));
    // The pool stood still: the average over the long wait is still the spot price.
    env.revenue.buyback_and_burn().unwrap();
    assert_eq!(
        env.revenue.cap_usage(),
        (start + u64::from(PERIOD), units(10))
    );
    let (_, _, buyback, _, swapped, ..) = env.revenue.totals();
    assert_eq!((buyback, swapped), (units(7), units(20)));
}

#[test]
fn a_router_that_under_delivers_is_refused() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW));
    env.dex().router_mode = RouterMode::Skims;
    let (_, min_out, ..) = env.revenue.buyback_quote().unwrap();
    let delivered = env
        .dex()
        .amount_out(units(1) * U256::from(9) / U256::from(10))
        / U256::from(2);
    assert_eq!(
        env.revenue.buyback_and_burn(),
        Err(InsufficientOutput {
            received: delivered,
            min_out
        }
        .into())
    );
}

#[test]
fn reentering_the_buyback_from_the_router_is_refused() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW));
    let seen: Rc<std::cell::RefCell<Option<Result<U256, Error>>>> = Rc::default();
    let record = Rc::clone(&seen);
    *env.host.calls.hook.borrow_mut() = Some(Rc::new(move |host| {
        let mut again = Env::handle(host);
        *record.borrow_mut() = Some(again.buyback_and_burn());
    }));
    env.revenue.buyback_and_burn().unwrap();
    assert_eq!(
        *seen.borrow(),
        Some(Err(ReentrantCall {}.into())),
        "the nested buyback was refused"
    );
    assert_eq!(env.dex().swaps, 1);
}

#[test]
fn reentering_the_release_from_the_router_is_refused() {
    let mut env = deploy();
    env.pay(ALICE, units(1), 1).unwrap();
    env.wait(u64::from(WINDOW));
    let seen: Rc<std::cell::RefCell<Option<Result<U256, Error>>>> = Rc::default();
    let record = Rc::clone(&seen);
    *env.host.calls.hook.borrow_mut() = Some(Rc::new(move |host| {
        let mut again = Env::handle(host);
        *record.borrow_mut() = Some(again.release_treasury_share());
    }));
    env.revenue.buyback_and_burn().unwrap();
    assert_eq!(*seen.borrow(), Some(Err(ReentrantCall {}.into())));
}

#[test]
fn observe_restarts_a_stale_average_only_after_a_window() {
    let mut env = deploy();
    assert_eq!(
        env.revenue.observe(),
        Err(TwapNotReady {
            ready_at: T0 + u64::from(WINDOW)
        }
        .into())
    );
    // After a long quiet time the price moves for good: the long average lags behind it and
    // buybacks refuse.
    env.wait(10_000);
    let now = env.vm.block_timestamp();
    env.dex().trade_eth_for_tokens(now, units(1_000));
    env.wait(u64::from(WINDOW));
    env.pay(ALICE, units(1), 1).unwrap();
    assert!(matches!(
        env.revenue.buyback_and_burn(),
        Err(Error::SpotDeviatesFromTwap(_))
    ));
    env.revenue.observe().unwrap();
    assert_eq!(env.revenue.observation().1, env.vm.block_timestamp());
    env.wait(u64::from(WINDOW));
    env.revenue.buyback_and_burn().unwrap();
}

#[test]
fn only_governance_changes_settings() {
    let mut env = deploy();
    env.as_(ALICE, U256::ZERO);
    let unauthorized = || -> Error {
        Unauthorized {
            caller: ALICE,
            required: GOV,
        }
        .into()
    };
    assert_eq!(env.revenue.set_oracle(WINDOW, 0, 0), Err(unauthorized()));
    assert_eq!(env.revenue.set_cap(PERIOD, U256::ZERO), Err(unauthorized()));
    assert_eq!(env.revenue.set_treasury(ALICE, 0), Err(unauthorized()));
    assert_eq!(env.revenue.set_dex(ROUTER, PAIR), Err(unauthorized()));
}

#[test]
fn settings_stay_within_their_bounds() {
    let mut env = deploy();
    env.as_(GOV, U256::ZERO);
    let range = |value: u64, min: u64, max: u64| -> Error {
        SettingOutOfRange {
            value: U256::from(value),
            min: U256::from(min),
            max: U256::from(max),
        }
        .into()
    };
    assert_eq!(
        env.revenue.set_oracle(MIN_WINDOW - 1, 0, 0),
        Err(range(59, 60, MAX_WINDOW.into()))
    );
    assert_eq!(
        env.revenue.set_oracle(WINDOW, MAX_SLIPPAGE_BPS + 1, 0),
        Err(range(1_001, 0, 1_000))
    );
    assert_eq!(
        env.revenue.set_oracle(WINDOW, 0, MAX_DEVIATION_BPS + 1),
        Err(range(2_001, 0, 2_000))
    );
    assert_eq!(
        env.revenue.set_cap(MAX_PERIOD + 1, U256::ZERO),
        Err(range(u64::from(MAX_PERIOD) + 1, 60, MAX_PERIOD.into()))
    );
    assert_eq!(
        env.revenue.set_treasury(TREASURY, 10_001),
        Err(BpsOutOfRange {
            value: U256::from(10_001),
            max: U256::from(10_000)
        }
        .into())
    );
    assert_eq!(
        env.revenue.set_treasury(Address::ZERO, 0),
        Err(ZeroAddress {}.into())
    );

    env.revenue.set_oracle(120, 300, 100).unwrap();
    env.revenue.set_cap(3_600, units(1)).unwrap();
    env.revenue.set_treasury(BOB, 2_500).unwrap();
    assert_eq!(
        env.revenue.settings(),
        (BOB, 2_500, 120, 300, 100, 3_600, units(1))
    );
    env.revenue.set_dex(ROUTER, PAIR).unwrap();
    assert_eq!(logs::<DexSet>(&env.vm).pop().unwrap().weth, WETH);
}

#[test]
fn governance_hands_over_in_two_steps() {
    let mut env = deploy();
    env.as_(GOV, U256::ZERO);
    env.revenue.transfer_governance(BOB).unwrap();
    assert_eq!(env.revenue.pending_governance(), BOB);
    env.as_(BOB, U256::ZERO);
    env.revenue.accept_governance().unwrap();
    assert_eq!(env.revenue.governance(), BOB);
}

/// Every error's compact revert data is exactly the Solidity encoding, one selector each.
#[test]
fn compact_revert_data_matches_the_abi_encoding() {
    assert_eq!(
        Error::assert_compact_encoding(),
        18,
        "one sample per variant"
    );
}
