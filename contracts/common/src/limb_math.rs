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
    let mut quotient = x.into_limbs();
    if let Ok(small) = u32::try_from(divisor) {
        let rem = div_small_in_place(&mut quotient, small);
        return Some((U256::from_limbs(quotient), rem));
    }
    let d = u128::from(divisor);
    let mut rem: u128 = 0;
    for limb in quotient.iter_mut().rev() {
        let current = (rem << 64) | u128::from(*limb);
        // `rem < d` so `current / d < 2^64`: the cast is exact.
        *limb = (current / d) as u64;
        rem = current % d;
    }
    Some((U256::from_limbs(quotient), rem as u64))
}

/// Divides the little-endian `limbs` in place by a non-zero `divisor` below 2^32 and returns
/// the remainder. Works in 32-bit half-limb steps (`rem < divisor`, so each partial dividend
/// fits a `u64`): only native 64-bit division, no 128-bit division routine in the binary.
fn div_small_in_place(limbs: &mut [u64], divisor: u32) -> u64 {
    let d = u64::from(divisor);
    let mut rem = 0u64;
    for limb in limbs.iter_mut().rev() {
        let high = (rem << 32) | (*limb >> 32);
        let low = ((high % d) << 32) | (*limb & 0xffff_ffff);
        *limb = ((high / d) << 32) | (low / d);
        rem = low % d;
    }
    rem
}

/// `x * m`, or `None` if the product does not fit 256 bits (limb by limb, without `ruint`'s
/// general multiplication).
pub fn checked_mul_u64(x: U256, m: u64) -> Option<U256> {
    let mut out = [0u64; 4];
    let mut carry = 0u64;
    for (o, limb) in out.iter_mut().zip(x.as_limbs()) {
        // (2^64 - 1)^2 + (2^64 - 1) < 2^128: no overflow.
        let product = u128::from(*limb) * u128::from(m) + u128::from(carry);
        *o = product as u64;
        carry = (product >> 64) as u64;
    }
    (carry == 0).then_some(U256::from_limbs(out))
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
    const D: u32 = BPS_DENOMINATOR as u32;
    let mut q = amount.into_limbs();
    let r = div_small_in_place(&mut q, D);
    let tail = u128::from(r) * u128::from(bps);
    let mut tail_limbs = [tail as u64, (tail >> 64) as u64];
    let tail_rem = div_small_in_place(&mut tail_limbs, D);
    // r < D, so r * bps / D < bps < 2^64: the quotient is its low limb.
    let tail_part = tail_limbs[0] + u64::from(round_up && tail_rem != 0);
    checked_mul_u64(U256::from_limbs(q), bps)
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
    use crate::math::{bps_of, mul_div, mul_div_up};
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
        let (q, r) = div_rem_u64(U256::MAX, u64::from(u32::MAX)).unwrap();
        assert_eq!(q, U256::MAX / U256::from(u32::MAX));
        assert_eq!(r, 0);
        assert_eq!(checked_mul_u64(U256::MAX, 1), Some(U256::MAX));
        assert_eq!(checked_mul_u64(U256::MAX, 2), None);
        assert_eq!(
            checked_mul_u64(U256::from(u64::MAX), u64::MAX),
            Some(U256::from(u64::MAX) * U256::from(u64::MAX))
        );
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
            let small = divisor >> 32;
            if small > 0 {
                let (q, r) = div_rem_u64(amount, small).unwrap();
                prop_assert_eq!(q, amount / U256::from(small));
                prop_assert_eq!(U256::from(r), amount % U256::from(small));
            }
            prop_assert_eq!(checked_mul_u64(amount, divisor), amount.checked_mul(U256::from(divisor)));
            let big: R = bps_floor(amount, divisor);
            let want: R = mul_div(amount, U256::from(divisor), U256::from(BPS_DENOMINATOR));
            prop_assert_eq!(big, want);
        }
    }
}
