//! Share ↔ token conversion for a validator's pools (bonded and unbonding).
//!
//! A pool holds `tokens` LP owned pro rata by `shares`. A slash lowers `tokens` only, so every
//! holder loses the same fraction in `O(1)`. Rounding always favours the pool: minting rounds
//! shares down, burning for a token amount rounds shares up, redeeming rounds tokens down. So the
//! sum of all holders' token values never exceeds `tokens`, and the share price (`tokens/shares`)
//! never rises above 1 through rounding, which keeps every positive deposit worth at least one
//! share in a pool that was never drained by rounding.
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::muldiv::{mul_div_ceil as mul_div_up, mul_div_floor as mul_div};
use alloy_primitives::U256;

/// Shares minted for depositing `amount` into a pool of `tokens` backed by `shares`
/// (1:1 for an empty pool). Rounds down.
///
/// # Errors
/// [`ArithmeticOverflow`] if the result does not fit.
pub fn shares_for_deposit<E: From<ArithmeticOverflow>>(
    amount: U256,
    shares: U256,
    tokens: U256,
) -> Result<U256, E> {
    if shares.is_zero() || tokens.is_zero() {
        return Ok(amount);
    }
    mul_div(amount, shares, tokens)
}

/// Token value of `held` shares of a pool. Rounds down.
///
/// # Errors
/// [`ArithmeticOverflow`] if the result does not fit.
pub fn tokens_of<E: From<ArithmeticOverflow>>(
    held: U256,
    shares: U256,
    tokens: U256,
) -> Result<U256, E> {
    if shares.is_zero() {
        return Ok(U256::ZERO);
    }
    mul_div(held, tokens, shares)
}

/// Shares to burn to take `amount` tokens out of a pool. Rounds up.
///
/// # Errors
/// [`ArithmeticOverflow`] if the pool holds no tokens or the result does not fit.
pub fn shares_for_withdrawal<E: From<ArithmeticOverflow>>(
    amount: U256,
    shares: U256,
    tokens: U256,
) -> Result<U256, E> {
    mul_div_up(amount, shares, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type R = Result<U256, ArithmeticOverflow>;

    fn u(v: u128) -> U256 {
        U256::from(v)
    }

    #[test]
    fn empty_pool_is_one_to_one() {
        assert_eq!(
            shares_for_deposit::<ArithmeticOverflow>(u(7), U256::ZERO, U256::ZERO),
            Ok(u(7))
        );
        assert_eq!(
            tokens_of::<ArithmeticOverflow>(u(7), U256::ZERO, u(3)),
            Ok(U256::ZERO)
        );
        let r: R = shares_for_withdrawal(u(1), u(1), U256::ZERO);
        assert_eq!(r, Err(ArithmeticOverflow {}));
    }

    #[test]
    fn rounding_favours_the_pool() {
        // 10 tokens backed by 15 shares (after a slash): price 2/3.
        let r: R = shares_for_deposit(u(1), u(15), u(10));
        assert_eq!(r, Ok(u(1)));
        let r: R = tokens_of(u(1), u(15), u(10));
        assert_eq!(r, Ok(u(0)));
        let r: R = shares_for_withdrawal(u(1), u(15), u(10));
        assert_eq!(r, Ok(u(2)));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        /// Depositing then redeeming never returns more than deposited, and a withdrawal never
        /// burns fewer shares than the tokens are worth.
        #[test]
        fn round_trip_never_gains(
            tokens in 1u128..1u128 << 100,
            extra_shares in 0u128..1u128 << 100,
            amount in 1u128..1u128 << 100,
        ) {
            let shares = tokens + extra_shares; // share price <= 1, as in the vault
            let minted: U256 = shares_for_deposit::<ArithmeticOverflow>(u(amount), u(shares), u(tokens)).unwrap();
            let value: U256 = tokens_of::<ArithmeticOverflow>(minted, u(shares) + minted, u(tokens) + u(amount)).unwrap();
            prop_assert!(value <= u(amount));
            prop_assert!(minted >= u(amount), "price <= 1 mints at least one share per token");
            let burn: U256 = shares_for_withdrawal::<ArithmeticOverflow>(u(amount), u(shares), u(tokens)).unwrap();
            let worth: U256 = tokens_of::<ArithmeticOverflow>(burn, u(shares), u(tokens)).unwrap();
            prop_assert!(worth >= u(amount).min(u(tokens)) || u(amount) > u(tokens));
        }
    }
}
