//! Compact full-precision `a * b / d` for contracts that divide by arbitrary `U256` values
//! (share prices, reward accumulators).
//!
//! [`math::mul_div`](crate::math::mul_div) is exact but instantiates `ruint`'s general `U256`
//! and `U512` division, tens of kilobytes of wasm. Here the 512-bit product is formed limb by
//! limb and divided by shift-and-subtract long division: one loop over at most 256 quotient
//! bits, a few hundred bytes of code and a few thousand wasm instructions per call (a handful of
//! gas on Stylus). Results equal [`math::mul_div`](crate::math::mul_div) /
//! [`math::mul_div_up`](crate::math::mul_div_up) bit for bit (property-tested below).
use alloy_primitives::U256;

use crate::errors::ArithmeticOverflow;

/// The 512-bit product of `a` and `b` as eight little-endian limbs.
fn widening_mul(a: &U256, b: &U256) -> [u64; 8] {
    let (a, b) = (a.as_limbs(), b.as_limbs());
    let mut product = [0u64; 8];
    for i in 0..4 {
        let mut carry: u128 = 0;
        for j in 0..4 {
            // (2^64-1)^2 + 2(2^64-1) = 2^128 - 1: never overflows.
            let t = u128::from(a[i]) * u128::from(b[j]) + u128::from(product[i + j]) + carry;
            product[i + j] = t as u64;
            carry = t >> 64;
        }
        product[i + 4] = carry as u64;
    }
    product
}

/// Whether `a < b` (little-endian limbs).
fn less(a: &[u64; 4], b: &[u64; 4]) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// `(floor(a * b / d), (a * b) % d != 0)`.
///
/// # Errors
/// [`ArithmeticOverflow`] if `d` is zero or the quotient exceeds `U256::MAX`.
fn mul_div_rem(a: U256, b: U256, d: U256) -> Result<(U256, bool), ArithmeticOverflow> {
    let d = d.as_limbs();
    let product = widening_mul(&a, &b);
    // Invariant: remainder < d (so d is not zero). Bring down the 256 low bits one at a time,
    // most significant first; a bit shifted out of the remainder means it exceeded d. Limb by
    // limb, as the long division works on the words anyway: no general 256-bit shift or
    // comparison is linked.
    let mut remainder = [product[4], product[5], product[6], product[7]];
    if !less(&remainder, d) {
        return Err(ArithmeticOverflow {});
    }
    let mut quotient = [0u64; 4];
    for bit in (0..256).rev() {
        let overflow = remainder[3] >> 63 == 1;
        for i in (1..4).rev() {
            remainder[i] = remainder[i] << 1 | remainder[i - 1] >> 63;
        }
        remainder[0] = remainder[0] << 1 | (product[bit / 64] >> (bit % 64)) & 1;
        if overflow || !less(&remainder, d) {
            let mut borrow = false;
            for (limb, sub) in remainder.iter_mut().zip(d) {
                let (x, o1) = limb.overflowing_sub(*sub);
                let (y, o2) = x.overflowing_sub(u64::from(borrow));
                *limb = y;
                borrow = o1 | o2;
            }
            quotient[bit / 64] |= 1 << (bit % 64);
        }
    }
    Ok((U256::from_limbs(quotient), remainder != [0; 4]))
}

/// `floor(a * b / d)`, exact for every result that fits in 256 bits.
///
/// # Errors
/// [`ArithmeticOverflow`] if `d` is zero or the result exceeds `U256::MAX`.
pub fn mul_div_floor<E: From<ArithmeticOverflow>>(a: U256, b: U256, d: U256) -> Result<U256, E> {
    Ok(mul_div_rem(a, b, d)?.0)
}

/// `ceil(a * b / d)`.
///
/// # Errors
/// [`ArithmeticOverflow`] if `d` is zero or the result exceeds `U256::MAX`.
pub fn mul_div_ceil<E: From<ArithmeticOverflow>>(a: U256, b: U256, d: U256) -> Result<U256, E> {
    let (quotient, inexact) = mul_div_rem(a, b, d)?;
    if inexact {
        return quotient
            .checked_add(U256::from(1u8))
            .ok_or_else(|| ArithmeticOverflow {}.into());
    }
    Ok(quotient)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{mul_div, mul_div_up};
    use proptest::prelude::*;

    type R = Result<U256, ArithmeticOverflow>;

    #[test]
    fn edge_cases() {
        let one = U256::from(1u8);
        let r: R = mul_div_floor(one, one, U256::ZERO);
        assert_eq!(r, Err(ArithmeticOverflow {}));
        let r: R = mul_div_floor(U256::MAX, U256::MAX, U256::MAX);
        assert_eq!(r, Ok(U256::MAX));
        let r: R = mul_div_floor(U256::MAX, U256::from(2u8), U256::from(1u8));
        assert_eq!(r, Err(ArithmeticOverflow {}));
        let r: R = mul_div_ceil(U256::MAX, U256::MAX - one, U256::MAX);
        assert_eq!(r, Ok(U256::MAX - one));
        let r: R = mul_div_ceil(U256::from(10u8), U256::from(3u8), U256::from(4u8));
        assert_eq!(r, Ok(U256::from(8u8)));
        let r: R = mul_div_ceil(U256::ZERO, U256::MAX, U256::from(7u8));
        assert_eq!(r, Ok(U256::ZERO));
    }

    fn word() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<u64>().prop_map(U256::from),
            any::<u128>().prop_map(U256::from),
            any::<[u64; 4]>().prop_map(U256::from_limbs),
            (0usize..256).prop_map(|s| U256::from(1u8) << s),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4_000))]
        /// Bit-for-bit agreement with the `ruint`-based reference in `math`.
        #[test]
        fn matches_reference(a in word(), b in word(), d in word()) {
            let floor: R = mul_div_floor(a, b, d);
            let want: R = mul_div(a, b, d);
            prop_assert_eq!(floor, want);
            let ceil: R = mul_div_ceil(a, b, d);
            let want: R = mul_div_up(a, b, d);
            prop_assert_eq!(ceil, want);
        }
    }
}
