//! 128-by-64-bit division with native 64-bit operations only.
//!
//! `u128 / u128` in Rust compiles to `compiler_builtins`' general division routine (over a
//! kilobyte of wasm, with the signed variant next to it). Every divisor in the ledger's fixed-point
//! math fits in 64 bits (`10^18`, `1 + q <= 2 * 10^18`, `400`, `10_000`, small Taylor indices),
//! so [`div_wide`] divides by a `u64` with two word steps of Knuth's algorithm D in the
//! two-digit form of Hacker's Delight (`divlu`): the same quotient, exactly, in a few dozen
//! instructions. A property test checks it against `u128` division.

/// `(high * 2^64 + low) / divisor` for `high < divisor` (so the quotient fits in 64 bits).
fn div_two_words(high: u64, low: u64, divisor: u64) -> u64 {
    const BASE: u64 = 1 << 32;
    const MASK: u64 = BASE - 1;
    // Normalize so the divisor's top bit is set; the estimates below are then off by at most 2.
    let shift = divisor.leading_zeros();
    let v = divisor << shift;
    let (v1, v0) = (v >> 32, v & MASK);
    let u32_ = if shift == 0 {
        high
    } else {
        (high << shift) | (low >> (64 - shift))
    };
    let u10 = low << shift;
    let (u1, u0) = (u10 >> 32, u10 & MASK);
    let mut q1 = u32_ / v1;
    let mut rhat = u32_ - q1 * v1;
    while q1 >= BASE || q1 * v0 > (rhat << 32) + u1 {
        q1 -= 1;
        rhat += v1;
        if rhat >= BASE {
            break;
        }
    }
    let u21 = (u32_ << 32)
        .wrapping_add(u1)
        .wrapping_sub(q1.wrapping_mul(v));
    let mut q0 = u21 / v1;
    rhat = u21 - q0 * v1;
    while q0 >= BASE || q0 * v0 > (rhat << 32) + u0 {
        q0 -= 1;
        rhat += v1;
        if rhat >= BASE {
            break;
        }
    }
    (q1 << 32) | q0
}

/// `numerator / divisor`, rounded down; `divisor` must not be zero.
#[inline(never)]
pub fn div_wide(numerator: u128, divisor: u64) -> u128 {
    let (high, low) = ((numerator >> 64) as u64, numerator as u64);
    let q_high = high / divisor;
    let q_low = div_two_words(high % divisor, low, divisor);
    (u128::from(q_high) << 64) | u128::from(q_low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn edge_cases() {
        for (n, d) in [
            (0u128, 1u64),
            (u128::MAX, 1),
            (u128::MAX, u64::MAX),
            (u128::MAX, 3),
            (u128::from(u64::MAX) << 64, u64::MAX),
            (1u128 << 127, 1 << 63),
            ((1u128 << 64) - 1, (1 << 32) + 1),
            (10u128.pow(36), 10u64.pow(18)),
            (10u128.pow(36) + 5 * 10u128.pow(17), 2 * 10u64.pow(18) - 1),
        ] {
            assert_eq!(div_wide(n, d), n / u128::from(d), "{n} / {d}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn matches_u128_division(n in any::<u128>(), d in 1u64..) {
            prop_assert_eq!(div_wide(n, d), n / u128::from(d));
        }

        #[test]
        fn matches_with_small_and_top_heavy_divisors(
            n in any::<u128>(),
            small in 1u64..1 << 20,
            top in (1u64 << 63)..,
        ) {
            prop_assert_eq!(div_wide(n, small), n / u128::from(small));
            prop_assert_eq!(div_wide(n, top), n / u128::from(top));
        }
    }
}
