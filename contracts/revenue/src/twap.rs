//! Uniswap V2 price math as pure integer functions.
//!
//! Prices are UQ112x112 fixed-point numbers (`price * 2^112`), the pair's own format: the pair
//! accumulates `price0CumulativeLast += (reserve1 << 112) / reserve0 * seconds` (and the mirror
//! image for token 1), wrapping modulo 2^256. The time-weighted average price between two
//! observations is the difference of the cumulative prices divided by the seconds between them
//! (`wrapping_sub` undoes the wrap, as in Uniswap's `ExampleOracleSimple`). With constant
//! reserves the average equals the spot price bit for bit, since both use the same floor
//! division.
use alloy_primitives::U256;

use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::{checked_mul_u64, div_rem_u64};
use agentdao_common::muldiv::mul_div_floor;

/// The UQ112x112 unit: `1.0` as a fixed-point price.
pub const Q112: U256 = U256::from_limbs([0, 1 << 48, 0, 0]);

/// Basis points in one.
pub const BPS: u64 = 10_000;

/// The spot price `reserve_out / reserve_in` as UQ112x112 (rounded down), `None` for an empty
/// pool.
pub fn spot_price(reserve_in: U256, reserve_out: U256) -> Option<U256> {
    if reserve_in.is_zero() {
        return None;
    }
    mul_div_floor::<ArithmeticOverflow>(reserve_out, Q112, reserve_in).ok()
}

/// The pair's cumulative price now, as Uniswap's `UniswapV2OracleLibrary.currentCumulativePrices`
/// computes it: the stored `cumulative_last` plus the current spot price times the seconds since
/// the pair last updated (`last_update`, a 32-bit timestamp; `now` is truncated the same way).
pub fn current_cumulative(
    cumulative_last: U256,
    reserve_in: U256,
    reserve_out: U256,
    last_update: u32,
    now: u64,
) -> U256 {
    let elapsed = (now as u32).wrapping_sub(last_update);
    match spot_price(reserve_in, reserve_out) {
        Some(price) if elapsed > 0 => {
            cumulative_last.wrapping_add(price.wrapping_mul(U256::from(elapsed)))
        }
        _ => cumulative_last,
    }
}

/// The average UQ112x112 price between an observation `(then, at)` and `(now, now_at)`, `None`
/// when no time has passed.
pub fn average_price(then: U256, at: u64, now: U256, now_at: u64) -> Option<U256> {
    let seconds = now_at.checked_sub(at).filter(|s| *s > 0)?;
    div_rem_u64(now.wrapping_sub(then), seconds).map(|(q, _)| q)
}

/// `amount * price` for a UQ112x112 `price`, rounded down.
///
/// # Errors
/// [`ArithmeticOverflow`] if the result exceeds 256 bits.
pub fn quote(amount: U256, price: U256) -> Result<U256, ArithmeticOverflow> {
    mul_div_floor(amount, price, Q112)
}

/// `value * (10_000 - bps) / 10_000`, rounded down: `value` less `bps` basis points.
///
/// # Errors
/// [`ArithmeticOverflow`] if `bps > 10_000` (callers bound it) or the product overflows.
pub fn less_bps(value: U256, bps: u64) -> Result<U256, ArithmeticOverflow> {
    let keep = BPS.checked_sub(bps).ok_or(ArithmeticOverflow {})?;
    agentdao_common::limb_math::bps_floor(value, keep)
}

/// Whether `spot` differs from `average` by more than `max_bps` basis points of `average`
/// (`|spot - average| * 10_000 > max_bps * average`); a zero average only accepts a zero spot.
pub fn deviates(spot: U256, average: U256, max_bps: u64) -> bool {
    let gap = spot.abs_diff(average);
    match (checked_mul_u64(gap, BPS), checked_mul_u64(average, max_bps)) {
        (Some(lhs), Some(rhs)) => lhs > rhs,
        // Prices are below 2^224, so neither product overflows; refuse if one ever does.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(n: u64) -> U256 {
        U256::from(n) * Q112
    }

    #[test]
    fn q112_is_two_to_the_112() {
        assert_eq!(Q112, U256::from(1) << 112);
    }

    #[test]
    fn spot_of_a_balanced_and_an_empty_pool() {
        assert_eq!(spot_price(U256::from(10), U256::from(20)), Some(q(2)));
        assert_eq!(spot_price(U256::ZERO, U256::from(20)), None);
        // 1/3 rounds down like the pair's `UQ112x112.uqdiv`.
        assert_eq!(
            spot_price(U256::from(3), U256::from(1)),
            Some(Q112 / U256::from(3))
        );
    }

    #[test]
    fn cumulative_adds_spot_times_elapsed_and_wraps() {
        let c = current_cumulative(U256::from(5), U256::from(1), U256::from(4), 100, 110);
        assert_eq!(c, U256::from(5) + q(4) * U256::from(10));
        // Same second: nothing added.
        assert_eq!(
            current_cumulative(U256::from(5), U256::from(1), U256::from(4), 100, 100),
            U256::from(5)
        );
        // The pair's 32-bit clock wrapped between its update and now.
        let now = (1u64 << 32) + 3;
        let c = current_cumulative(U256::ZERO, U256::from(1), U256::from(1), u32::MAX, now);
        assert_eq!(c, q(4));
        // The cumulative itself wraps modulo 2^256.
        let c = current_cumulative(U256::MAX, U256::from(1), U256::from(1), 0, 1);
        assert_eq!(c, q(1) - U256::from(1));
    }

    #[test]
    fn average_needs_elapsed_time() {
        assert_eq!(average_price(U256::ZERO, 10, q(30), 20), Some(q(3)));
        assert_eq!(average_price(U256::ZERO, 10, q(30), 10), None);
        assert_eq!(average_price(U256::ZERO, 10, q(30), 9), None);
        // Across the 2^256 wrap.
        let then = U256::MAX - q(1) + U256::from(1);
        assert_eq!(average_price(then, 0, q(2), 3), Some(q(1)));
    }

    #[test]
    fn deviation_bound_is_inclusive() {
        assert!(!deviates(U256::from(110), U256::from(100), 1_000));
        assert!(deviates(U256::from(111), U256::from(100), 1_000));
        assert!(!deviates(U256::from(90), U256::from(100), 1_000));
        assert!(deviates(U256::from(89), U256::from(100), 1_000));
        assert!(!deviates(U256::ZERO, U256::ZERO, 0));
        assert!(deviates(U256::from(1), U256::ZERO, 10_000));
    }

    #[test]
    fn quotes_and_slippage() {
        assert_eq!(quote(U256::from(7), q(3)), Ok(U256::from(21)));
        assert_eq!(
            quote(U256::from(7), Q112 / U256::from(2)),
            Ok(U256::from(3))
        );
        assert_eq!(less_bps(U256::from(1_000), 250), Ok(U256::from(975)));
        assert_eq!(
            less_bps(U256::from(1_000), 10_001),
            Err(ArithmeticOverflow {})
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// With constant reserves over any span, the TWAP equals the spot price exactly.
        #[test]
        fn constant_reserves_average_to_spot(
            r_in in 1u128..(1u128 << 112),
            r_out in 1u128..(1u128 << 112),
            start in any::<u32>(),
            base in any::<[u64; 4]>(),
            span in 1u64..10_000_000,
        ) {
            let (r_in, r_out) = (U256::from(r_in), U256::from(r_out));
            let base = U256::from_limbs(base);
            let t0 = u64::from(start);
            let c0 = current_cumulative(base, r_in, r_out, start, t0);
            let c1 = current_cumulative(base, r_in, r_out, start, t0 + span);
            let spot = spot_price(r_in, r_out).unwrap();
            prop_assert_eq!(average_price(c0, t0, c1, t0 + span), Some(spot));
            prop_assert!(!deviates(spot, spot, 0));
        }

        /// The deviation test agrees with exact rational arithmetic.
        #[test]
        fn deviation_matches_rational_reference(
            spot in any::<u128>(), average in any::<u128>(), bps in 0u64..=10_000,
        ) {
            let gap = spot.abs_diff(average);
            let expected = U256::from(gap) * U256::from(BPS) > U256::from(average) * U256::from(bps);
            prop_assert_eq!(deviates(U256::from(spot), U256::from(average), bps), expected);
        }

        /// The minimum output never exceeds the TWAP quote and keeps `10_000 - bps` of it.
        #[test]
        fn min_output_is_the_quote_less_slippage(
            amount in any::<u128>(), price in any::<u128>(), bps in 0u64..=10_000,
        ) {
            let full = quote(U256::from(amount), U256::from(price)).unwrap();
            prop_assert_eq!(full, (U256::from(amount) * U256::from(price)) >> 112);
            let min = less_bps(full, bps).unwrap();
            prop_assert!(min <= full);
            prop_assert_eq!(min, full * U256::from(BPS - bps) / U256::from(BPS));
        }
    }
}
