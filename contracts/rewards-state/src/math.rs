//! The reward arithmetic: integer, exact and floor-rounded, so every payout is at most its
//! share and the rounding dust stays in the reserve.
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::muldiv::mul_div_floor;
use alloy_primitives::{I256, U256};

/// Fixed-point one (quality, agreement and participation scale).
pub const ONE: u64 = 1_000_000_000_000_000_000;

/// A validator's checkpointed validation record, as the Elo ledger's `validatorRecord` returns
/// it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Sessions it committed a vote in (and whose seed was revealed).
    pub committed: u64,
    /// Of those, sessions it revealed its vote in.
    pub revealed: u64,
    /// Moving average of its agreement with the stake-weighted consensus (1e18 = always).
    pub agreement: u64,
    /// Samples in that average.
    pub samples: u64,
}

/// A validator's validation quality over an epoch, 1e18 = full: participation times agreement.
///
/// - participation: the sessions it revealed a vote in during the epoch (records at the
///   epoch's start and end), up to `target` sessions, over `target`;
/// - agreement: the lesser of its agreement averages at the epoch's start and end (the end
///   alone for a validator without samples at the start), so agreement pumped in the last
///   sessions of an epoch counts only once it has lasted a whole epoch.
///
/// `target` is at least one (a parameter bound).
pub fn quality(start: &Record, end: &Record, target: u64) -> u64 {
    let revealed = end.revealed.saturating_sub(start.revealed).min(target);
    let participation = u128::from(revealed) * u128::from(ONE) / u128::from(target.max(1));
    let agreement = if start.samples == 0 {
        end.agreement
    } else {
        start.agreement.min(end.agreement)
    }
    .min(ONE);
    (participation * u128::from(agreement) / u128::from(ONE)) as u64
}

/// A validator's share of an epoch's validator pot: `pot × stake / total × quality / 1e18`,
/// floored. With `stake` at most the validator's power at the epoch's start and `total` the
/// total power then, the shares of all validators sum to at most `pot`.
///
/// # Errors
/// `ArithmeticOverflow` never for a `total` at least `stake` (the product is taken in 512 bits).
pub fn validator_share(
    pot: U256,
    stake: U256,
    total: U256,
    quality: u64,
) -> Result<U256, ArithmeticOverflow> {
    if total.is_zero() || stake > total {
        return Ok(U256::ZERO);
    }
    let by_stake = mul_div_floor::<ArithmeticOverflow>(pot, stake, total)?;
    mul_div_floor(by_stake, U256::from(quality.min(ONE)), U256::from(ONE))
}

/// The per-epoch emission of epoch `epoch`: `base` halved every `halving_epochs` epochs (never
/// when zero).
pub fn emission(base: U256, halving_epochs: u64, epoch: u64) -> U256 {
    match epoch.checked_div(halving_epochs) {
        None => base,
        Some(halvings) if halvings >= 256 => U256::ZERO,
        Some(halvings) => base >> halvings as usize,
    }
}

/// What epoch `epoch` may spend from `reserve`: its emission when an emission programme runs
/// (`base` non-zero), the whole reserve otherwise; never more than the reserve.
pub fn epoch_budget(reserve: U256, base: U256, halving_epochs: u64, epoch: u64) -> U256 {
    if base.is_zero() {
        reserve
    } else {
        emission(base, halving_epochs, epoch).min(reserve)
    }
}

/// The share of `pot` for `rank` (1 = best) among `count` ranked models: linear weights
/// `count, count - 1, ..., 1` over their sum, floored.
///
/// # Errors
/// `ArithmeticOverflow` never for `count` below 2^32.
pub fn rank_share(pot: U256, rank: u64, count: u64) -> Result<U256, ArithmeticOverflow> {
    if rank == 0 || rank > count {
        return Ok(U256::ZERO);
    }
    let weight = count - rank + 1;
    let total = count * (count + 1) / 2;
    mul_div_floor(pot, U256::from(weight), U256::from(total))
}

/// A one-time reward for an Elo `gain` (18-decimal points): `gain × per_point / 1e18`, at most
/// `cap` and at most `available`; zero for a gain that is not positive.
///
/// # Errors
/// `ArithmeticOverflow` never (the product is taken in 512 bits).
pub fn impact_reward(
    gain: I256,
    per_point: U256,
    cap: U256,
    available: U256,
) -> Result<U256, ArithmeticOverflow> {
    if gain <= I256::ZERO {
        return Ok(U256::ZERO);
    }
    let raw = mul_div_floor::<ArithmeticOverflow>(gain.into_raw(), per_point, U256::from(ONE))?;
    Ok(raw.min(cap).min(available))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(revealed: u64, agreement: u64, samples: u64) -> Record {
        Record {
            committed: revealed,
            revealed,
            agreement,
            samples,
        }
    }

    #[test]
    fn honest_validator_has_full_quality_and_idle_one_none() {
        let start = record(10, ONE, 10);
        assert_eq!(quality(&start, &record(14, ONE, 14), 4), ONE);
        assert_eq!(quality(&start, &record(20, ONE, 20), 4), ONE, "capped");
        assert_eq!(quality(&start, &start, 4), 0, "no session in the epoch");
        assert_eq!(quality(&start, &record(12, ONE, 12), 4), ONE / 2);
    }

    #[test]
    fn agreement_is_the_lesser_of_start_and_end() {
        let low = record(10, ONE / 4, 10);
        let pumped = record(14, ONE, 14);
        assert_eq!(quality(&low, &pumped, 4), ONE / 4);
        let fallen = record(14, ONE / 5, 14);
        assert_eq!(quality(&record(10, ONE, 10), &fallen, 4), ONE / 5);
        // No samples before the epoch: its end average counts.
        assert_eq!(
            quality(&Record::default(), &record(4, ONE / 2, 4), 4),
            ONE / 2
        );
    }

    #[test]
    fn emission_halves_and_ends() {
        let base = U256::from(1_000u64);
        assert_eq!(emission(base, 0, 1_000), base);
        assert_eq!(emission(base, 4, 3), base);
        assert_eq!(emission(base, 4, 4), U256::from(500u64));
        assert_eq!(emission(base, 4, 9), U256::from(250u64));
        assert_eq!(emission(base, 1, 300), U256::ZERO);
        assert_eq!(
            epoch_budget(U256::from(300u64), base, 0, 0),
            U256::from(300u64)
        );
        assert_eq!(epoch_budget(U256::from(3_000u64), base, 0, 0), base);
        assert_eq!(
            epoch_budget(U256::from(3_000u64), U256::ZERO, 0, 7),
            U256::from(3_000u64)
        );
    }

    #[test]
    fn rank_shares_and_impact_rewards() {
        let pot = U256::from(600u64);
        assert_eq!(rank_share(pot, 1, 3).unwrap(), U256::from(300u64));
        assert_eq!(rank_share(pot, 2, 3).unwrap(), U256::from(200u64));
        assert_eq!(rank_share(pot, 3, 3).unwrap(), U256::from(100u64));
        assert_eq!(rank_share(pot, 4, 3).unwrap(), U256::ZERO);
        let per_point = U256::from(10u64);
        let gain = I256::try_from(25 * i128::from(ONE)).unwrap();
        let big = U256::from(u64::MAX);
        assert_eq!(
            impact_reward(gain, per_point, big, big).unwrap(),
            U256::from(250u64)
        );
        assert_eq!(
            impact_reward(gain, per_point, U256::from(100u64), big).unwrap(),
            U256::from(100u64)
        );
        assert_eq!(
            impact_reward(gain, per_point, big, U256::from(7u64)).unwrap(),
            U256::from(7u64)
        );
        assert_eq!(
            impact_reward(-gain, per_point, big, big).unwrap(),
            U256::ZERO
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// Validator shares never exceed the pot, whatever the stakes and qualities, as long as
        /// the stakes sum to at most the total.
        #[test]
        fn validator_shares_never_exceed_the_pot(
            pot in any::<u128>(),
            stakes in proptest::collection::vec((1u128..u128::MAX / 64, 0..=ONE), 1..20),
            extra in any::<u64>(),
        ) {
            let total = stakes.iter().map(|(s, _)| U256::from(*s)).fold(U256::from(extra), |a, b| a + b);
            let mut paid = U256::ZERO;
            for (stake, quality) in &stakes {
                paid += validator_share(U256::from(pot), U256::from(*stake), total, *quality).unwrap();
            }
            prop_assert!(paid <= U256::from(pot));
        }

        /// Rank shares sum to at most the pot and decrease with the rank.
        #[test]
        fn rank_shares_fit_the_pot(pot in any::<u128>(), count in 1u64..=8) {
            let shares: Vec<U256> = (1..=count).map(|r| rank_share(U256::from(pot), r, count).unwrap()).collect();
            prop_assert!(shares.iter().fold(U256::ZERO, |a, b| a + b) <= U256::from(pot));
            prop_assert!(shares.windows(2).all(|w| w[0] >= w[1]));
        }

        /// Quality stays within [0, 1e18] and never exceeds the agreement at the epoch's end.
        #[test]
        fn quality_is_bounded(
            start in (0u64..1_000, 0..=ONE, 0u64..1_000),
            end in (0u64..2_000, 0..=ONE, 0u64..2_000),
            target in 1u64..100,
        ) {
            let s = record(start.0, start.1, start.2);
            let e = record(start.0 + end.0, end.1, start.2 + end.2);
            let q = quality(&s, &e, target);
            prop_assert!(q <= ONE);
            prop_assert!(q <= e.agreement);
        }
    }
}
