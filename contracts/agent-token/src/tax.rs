//! The transfer tax as pure integer math.
//!
//! `tax = floor(value * bps / 10_000)`, computed without a wide intermediate: writing
//! `value = q * 10_000 + r` gives `floor(value * bps / 10_000) = q * bps + floor(r * bps / 10_000)`
//! because `q * bps` is an integer. With `bps <= 10_000` neither term can overflow, so the function
//! is total and exact for every `U256` (and keeps 512-bit division out of the wasm).
//!
//! Rounding down means a single transfer never pays more than `bps` of its value, and splitting a
//! transfer into `k` parts saves at most `k - 1` base units of tax: for reals `x`, `y`,
//! `floor(x) + floor(y) >= floor(x + y) - 1`, applied `k - 1` times.
use alloy_primitives::U256;

/// The hard maximum and the initial transfer tax: 1%.
pub const MAX_TAX_BPS: u16 = 100;

/// Denominator of basis points.
const BPS: u64 = agentdao_common::math::BPS_DENOMINATOR;

/// `floor(value * bps / 10_000)` for `bps <= 10_000`.
pub fn tax_amount(value: U256, bps: u16) -> U256 {
    debug_assert!(u64::from(bps) <= BPS);
    let (whole, rest) = value.div_rem(U256::from(BPS));
    let rest = rest.as_limbs()[0];
    whole * U256::from(bps) + U256::from(rest * u64::from(bps) / BPS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentdao_common::errors::ArithmeticOverflow;
    use agentdao_common::math::bps_of;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert_eq!(tax_amount(U256::from(12_345), 100), U256::from(123));
        assert_eq!(tax_amount(U256::from(99), 100), U256::ZERO);
        assert_eq!(tax_amount(U256::from(100), 100), U256::from(1));
        assert_eq!(tax_amount(U256::from(1_000_000), 0), U256::ZERO);
        assert_eq!(tax_amount(U256::MAX, 100), U256::MAX / U256::from(100));
        assert_eq!(tax_amount(U256::MAX, 10_000), U256::MAX);
    }

    fn any_u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<u64>().prop_map(U256::from),
            any::<[u64; 4]>().prop_map(U256::from_limbs),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// The split formula equals the full-precision reference `common::math::bps_of`.
        #[test]
        fn matches_full_precision_reference(value in any_u256(), bps in 0u16..=10_000) {
            let reference = bps_of::<ArithmeticOverflow>(value, u64::from(bps)).unwrap();
            prop_assert_eq!(tax_amount(value, bps), reference);
        }

        /// Splitting a transfer into `k` parts saves at most `k - 1` units and never costs more.
        #[test]
        fn splitting_saves_at_most_k_minus_one(
            parts in prop::collection::vec(any::<u128>(), 1..32),
            bps in 0u16..=MAX_TAX_BPS,
        ) {
            let parts: Vec<U256> = parts.into_iter().map(U256::from).collect();
            let total: U256 = parts.iter().copied().fold(U256::ZERO, |a, b| a + b);
            let whole = tax_amount(total, bps);
            let split: U256 = parts.iter().map(|&p| tax_amount(p, bps)).fold(U256::ZERO, |a, b| a + b);
            let k = U256::from(parts.len());
            prop_assert!(split <= whole);
            prop_assert!(split + k - U256::from(1) >= whole);
        }
    }
}
