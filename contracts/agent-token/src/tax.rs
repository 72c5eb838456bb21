//! The transfer tax as pure integer math.
//!
//! `tax = floor(value * bps / 10_000)`, computed by `common::limb_math::bps_floor` (limb-wise
//! division by 10,000, exact for every `U256`, without ruint's generic division in the wasm).
//!
//! Rounding down means a single transfer never pays more than `bps` of its value, and splitting a
//! transfer into `k` parts saves at most `k - 1` base units of tax: for reals `x`, `y`,
//! `floor(x) + floor(y) >= floor(x + y) - 1`, applied `k - 1` times.
use alloy_primitives::U256;

use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::bps_floor;

/// The hard maximum and the initial transfer tax: 1%.
pub const MAX_TAX_BPS: u16 = 100;

/// `floor(value * bps / 10_000)`.
///
/// # Errors
/// [`ArithmeticOverflow`] never for `bps <= 10_000` (the result is at most `value`).
pub fn tax_amount<E: From<ArithmeticOverflow>>(value: U256, bps: u16) -> Result<U256, E> {
    bps_floor(value, u64::from(bps))
}

#[cfg(test)]
mod tests {
    use super::*;
    use agentdao_common::math::bps_of;
    use proptest::prelude::*;

    fn tax(value: U256, bps: u16) -> U256 {
        tax_amount::<ArithmeticOverflow>(value, bps).unwrap()
    }

    #[test]
    fn examples() {
        assert_eq!(tax(U256::from(12_345), 100), U256::from(123));
        assert_eq!(tax(U256::from(99), 100), U256::ZERO);
        assert_eq!(tax(U256::from(100), 100), U256::from(1));
        assert_eq!(tax(U256::from(1_000_000), 0), U256::ZERO);
        assert_eq!(tax(U256::MAX, 100), U256::MAX / U256::from(100));
        assert_eq!(tax(U256::MAX, 10_000), U256::MAX);
    }

    fn any_u256() -> impl Strategy<Value = U256> {
        prop_oneof![
            any::<u64>().prop_map(U256::from),
            any::<[u64; 4]>().prop_map(U256::from_limbs),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// The limb-wise formula equals the full-precision reference `common::math::bps_of`.
        #[test]
        fn matches_full_precision_reference(value in any_u256(), bps in 0u16..=10_000) {
            let reference = bps_of::<ArithmeticOverflow>(value, u64::from(bps)).unwrap();
            prop_assert_eq!(tax(value, bps), reference);
        }

        /// Splitting a transfer into `k` parts saves at most `k - 1` units and never costs more.
        #[test]
        fn splitting_saves_at_most_k_minus_one(
            parts in prop::collection::vec(any::<u128>(), 1..32),
            bps in 0u16..=MAX_TAX_BPS,
        ) {
            let parts: Vec<U256> = parts.into_iter().map(U256::from).collect();
            let total: U256 = parts.iter().copied().fold(U256::ZERO, |a, b| a + b);
            let whole = tax(total, bps);
            let split: U256 = parts.iter().map(|&p| tax(p, bps)).fold(U256::ZERO, |a, b| a + b);
            let k = U256::from(parts.len());
            prop_assert!(split <= whole);
            prop_assert!(split + k - U256::from(1) >= whole);
        }
    }
}
