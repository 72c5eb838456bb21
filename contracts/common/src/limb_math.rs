//! Exact `U256` arithmetic by small (`u64`) divisors, written limb by limb.
//!
//! `ruint`'s general division (`U256 / U256`, and the `U512` path of
//! [`mul_div`](crate::math::mul_div)) compiles to roughly 30 KB of wasm, more than a whole
//! contract's budget share. Basis-point math only ever divides by 10,000, so these helpers
//! divide by a `u64` with four 128-by-64-bit steps instead. Results are identical to
//! [`bps_of`](crate::math::bps_of) / [`mul_div_up`](crate::math::mul_div_up) with a 10,000
//! denominator (checked by a property test).
use alloy_primitives::U256;

use crate::errors::ArithmeticOverflow;
use crate::math::BPS_DENOMINATOR;

/// `(x / divisor, x % divisor)`; `None` when `divisor` is zero.
pub fn div_rem_u64(x: U256, divisor: u64) -> Option<(U256, u64)> {
    if divisor == 0 {
        return None;
    }
    let d = u128::from(divisor);
    let limbs = x.as_limbs();
    let mut quotient = [0u64; 4];
    let mut rem: u128 = 0;
    for i in (0..4).rev() {
        let current = (rem << 64) | u128::from(limbs[i]);
        // `rem < d` so `current / d < 2^64`: the cast is exact.
        quotient[i] = (current / d) as u64;
        rem = current % d;
    }
    Some((U256::from_limbs(quotient), rem as u64))
}

/// `amount * bps / 10_000`, rounded down (`round_up == false`) or up.
///
/// # Errors
/// [`ArithmeticOverflow`] if the result does not fit (only possible for `bps > 10_000`).
pub fn bps_mul<E: From<ArithmeticOverflow>>(
    amount: U256,
    bps: u64,
    round_up: bool,
) -> Result<U256, E> {
    // amount = q * D + r  =>  amount * bps / D = q * bps + r * bps / D, with r * bps < 2^64 * D.
    let (q, r) = div_rem_u64(amount, BPS_DENOMINATOR).ok_or(ArithmeticOverflow {})?;
    let tail = u128::from(r) * u128::from(bps);
    let denominator = u128::from(BPS_DENOMINATOR);
    let mut tail_part = tail / denominator;
    if round_up && tail % denominator != 0 {
        tail_part += 1;
    }
    q.checked_mul(U256::from(bps))
        .and_then(|head| head.checked_add(U256::from(tail_part)))
        .ok_or_else(|| ArithmeticOverflow {}.into())
}

/// `floor(amount * bps / 10_000)`.
///
/// # Errors
/// As [`bps_mul`].
pub fn bps_floor<E: From<ArithmeticOverflow>>(amount: U256, bps: u64) -> Result<U256, E> {
    bps_mul(amount, bps, false)
}

/// `ceil(amount * bps / 10_000)`, for amounts that must never be under-charged.
///
/// # Errors
/// As [`bps_mul`].
pub fn bps_ceil<E: From<ArithmeticOverflow>>(amount: U256, bps: u64) -> Result<U256, E> {
    bps_mul(amount, bps, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{bps_of, mul_div_up};
    use proptest::prelude::*;

    type R = Result<U256, ArithmeticOverflow>;

    #[test]
    fn division_by_small_numbers() {
        assert_eq!(div_rem_u64(U256::from(10), 0), None);
        assert_eq!(div_rem_u64(U256::from(17), 5), Some((U256::from(3), 2)));
        assert_eq!(div_rem_u64(U256::MAX, 1), Some((U256::MAX, 0)));
        let (q, r) = div_rem_u64(U256::MAX, 10_000).unwrap();
        assert_eq!(q, U256::MAX / U256::from(10_000));
        assert_eq!(U256::from(r), U256::MAX % U256::from(10_000));
    }

    #[test]
    fn bps_rounding_and_extremes() {
        let floor: R = bps_floor(U256::from(12_345), 100);
        assert_eq!(floor.unwrap(), U256::from(123));
        let ceil: R = bps_ceil(U256::from(12_345), 100);
        assert_eq!(ceil.unwrap(), U256::from(124));
        let exact: R = bps_ceil(U256::from(12_300), 100);
        assert_eq!(exact.unwrap(), U256::from(123));
        let all: R = bps_floor(U256::MAX, 10_000);
        assert_eq!(all.unwrap(), U256::MAX);
        let over: R = bps_floor(U256::MAX, 10_001);
        assert_eq!(over, Err(ArithmeticOverflow {}));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        #[test]
        fn matches_the_general_helpers(
            amount in any::<[u64; 4]>().prop_map(U256::from_limbs),
            bps in 0u64..=10_000,
            divisor in 1u64..,
        ) {
            let floor: R = bps_floor(amount, bps);
            prop_assert_eq!(floor.unwrap(), bps_of::<ArithmeticOverflow>(amount, bps).unwrap());
            let ceil: R = bps_ceil(amount, bps);
            let want: R = mul_div_up(amount, U256::from(bps), U256::from(BPS_DENOMINATOR));
            prop_assert_eq!(ceil.unwrap(), want.unwrap());
            let (q, r) = div_rem_u64(amount, divisor).unwrap();
            prop_assert_eq!(q, amount / U256::from(divisor));
            prop_assert_eq!(U256::from(r), amount % U256::from(divisor));
        }
    }
}
