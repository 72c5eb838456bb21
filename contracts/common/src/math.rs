//! Exact integer helpers for money math: basis points and full-precision `mul_div`.
//!
//! All functions are pure and checked: overflow or division by zero returns
//! [`ArithmeticOverflow`](crate::errors::ArithmeticOverflow) through the caller's error type,
//! never a panic and never a wrapped value.
use alloy_primitives::{U256, U512};

use crate::errors::{ArithmeticOverflow, BpsOutOfRange};

/// 100% in basis points.
pub const BPS_DENOMINATOR: u64 = 10_000;

/// 1.0 in 18-decimal fixed point.
pub const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// `floor(a * b / denominator)` computed with a 512-bit intermediate, so it is exact whenever
/// the result fits in 256 bits.
///
/// # Errors
/// [`ArithmeticOverflow`] if `denominator` is zero or the result exceeds `U256::MAX`.
pub fn mul_div<E: From<ArithmeticOverflow>>(
    a: U256,
    b: U256,
    denominator: U256,
) -> Result<U256, E> {
    if denominator.is_zero() {
        return Err(ArithmeticOverflow {}.into());
    }
    if let Some(product) = a.checked_mul(b) {
        return Ok(product / denominator);
    }
    let wide = U512::from(a) * U512::from(b) / U512::from(denominator);
    let limbs = wide.as_limbs();
    if limbs[4..].iter().any(|&l| l != 0) {
        return Err(ArithmeticOverflow {}.into());
    }
    Ok(U256::from_limbs([limbs[0], limbs[1], limbs[2], limbs[3]]))
}

/// `ceil(a * b / denominator)`, for amounts the protocol must never under-charge.
///
/// # Errors
/// [`ArithmeticOverflow`] as [`mul_div`].
pub fn mul_div_up<E: From<ArithmeticOverflow>>(
    a: U256,
    b: U256,
    denominator: U256,
) -> Result<U256, E> {
    let floor = mul_div::<E>(a, b, denominator)?;
    let exact = a.checked_mul(b).map(|p| p % denominator == U256::ZERO);
    let needs_round = match exact {
        Some(divides) => !divides,
        None => !(U512::from(a) * U512::from(b) % U512::from(denominator)).is_zero(),
    };
    if needs_round {
        floor
            .checked_add(U256::from(1))
            .ok_or_else(|| ArithmeticOverflow {}.into())
    } else {
        Ok(floor)
    }
}

/// `floor(amount * bps / 10_000)`.
///
/// # Errors
/// [`ArithmeticOverflow`] never in practice (bps ≤ 10,000 keeps the product exact through
/// [`mul_div`]), but typed for uniformity.
pub fn bps_of<E: From<ArithmeticOverflow>>(amount: U256, bps: u64) -> Result<U256, E> {
    mul_div(amount, U256::from(bps), U256::from(BPS_DENOMINATOR))
}

/// Fails unless `value <= max`.
///
/// # Errors
/// [`BpsOutOfRange`] naming the value and the bound.
pub fn check_bps<E: From<BpsOutOfRange>>(value: u64, max: u64) -> Result<(), E> {
    if value > max {
        return Err(BpsOutOfRange {
            value: U256::from(value),
            max: U256::from(max),
        }
        .into());
    }
    Ok(())
}

/// Checked `a + b`.
///
/// # Errors
/// [`ArithmeticOverflow`] on overflow.
pub fn add<E: From<ArithmeticOverflow>>(a: U256, b: U256) -> Result<U256, E> {
    a.checked_add(b).ok_or_else(|| ArithmeticOverflow {}.into())
}

/// Checked `a - b`.
///
/// # Errors
/// [`ArithmeticOverflow`] on underflow.
pub fn sub<E: From<ArithmeticOverflow>>(a: U256, b: U256) -> Result<U256, E> {
    a.checked_sub(b).ok_or_else(|| ArithmeticOverflow {}.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type R<T> = Result<T, ArithmeticOverflow>;

    #[test]
    fn mul_div_rejects_zero_denominator() {
        let r: R<U256> = mul_div(U256::from(1), U256::from(1), U256::ZERO);
        assert_eq!(r, Err(ArithmeticOverflow {}));
    }

    #[test]
    fn mul_div_uses_wide_intermediate() {
        let r: R<U256> = mul_div(U256::MAX, U256::from(3), U256::from(6));
        assert_eq!(r.unwrap(), U256::MAX / U256::from(2));
        let over: R<U256> = mul_div(U256::MAX, U256::from(2), U256::from(1));
        assert_eq!(over, Err(ArithmeticOverflow {}));
    }

    #[test]
    fn mul_div_up_rounds_only_when_inexact() {
        let r: R<U256> = mul_div_up(U256::from(10), U256::from(3), U256::from(4));
        assert_eq!(r.unwrap(), U256::from(8));
        let r: R<U256> = mul_div_up(U256::from(8), U256::from(3), U256::from(4));
        assert_eq!(r.unwrap(), U256::from(6));
    }

    #[test]
    fn bps_and_bounds() {
        let r: R<U256> = bps_of(U256::from(12_345), 100);
        assert_eq!(r.unwrap(), U256::from(123));
        assert!(check_bps::<BpsOutOfRange>(100, 100).is_ok());
        assert_eq!(
            check_bps::<BpsOutOfRange>(101, 100),
            Err(BpsOutOfRange {
                value: U256::from(101),
                max: U256::from(100)
            })
        );
        assert!(add::<ArithmeticOverflow>(U256::MAX, U256::from(1)).is_err());
        assert!(sub::<ArithmeticOverflow>(U256::ZERO, U256::from(1)).is_err());
    }

    proptest! {
        #[test]
        fn mul_div_matches_u128_reference(a in any::<u64>(), b in any::<u64>(), d in 1u64..) {
            let want = (u128::from(a) * u128::from(b)) / u128::from(d);
            let got: U256 = mul_div::<ArithmeticOverflow>(U256::from(a), U256::from(b), U256::from(d)).unwrap();
            prop_assert_eq!(got, U256::from(want));
            let up: U256 = mul_div_up::<ArithmeticOverflow>(U256::from(a), U256::from(b), U256::from(d)).unwrap();
            let want_up = (u128::from(a) * u128::from(b)).div_ceil(u128::from(d));
            prop_assert_eq!(up, U256::from(want_up));
        }
    }
}
