//! The stake-weighted result of a session and each validator's agreement with it, Yuma-style.
//!
//! **Result.** For each of the ten rounds, model A's score is the stake-weighted mean of the
//! revealed votes' scores (1 for A, 0.5 for a tie, 0 for B), rounded to the nearest basis
//! point: one battle per round, ten Elo updates per session however many validators voted.
//! Validators holding a share `s` of the session's revealed stake therefore move each round's
//! score, and so the session's effect on the ratings, by at most `s` (plus half a basis point
//! of rounding); with one validator the scores are exactly 1, 0.5 or 0 and the session is
//! FastChat's `compute_elo` over its ten battles.
//!
//! **Agreement.**
//! For each round of a session the consensus outcome is the one with the strictly largest total
//! voting power behind it (a plurality among A wins / B wins / tie); rounds where two outcomes
//! tie for the lead have no consensus and are not counted. A validator's agreement in a session
//! is the share of counted rounds it voted with the consensus, in 18-decimal fixed point; the
//! ledger keeps an exponential moving average of it per validator, which governance reads as
//! evidence for slashing.
use alloy_primitives::U256;

use crate::battles::{outcome_at, FULL_SCORE, ROUNDS};
use crate::wide::div_wide;

/// 1.0 in 18-decimal fixed point, as `u64` (agreements are in `[0, 1]`).
pub const ONE: u64 = 1_000_000_000_000_000_000;
/// Largest voting power one vote counts with (`2^96` wei, about `7.9 * 10^10` tokens of 18
/// decimals): it keeps every per-round sum of at most 256 votes exact in `u128`.
pub const MAX_WEIGHT: u128 = 1 << 96;

/// Accumulates stake per outcome per round and yields the result and the consensus.
#[derive(Default)]
pub struct Tally {
    /// `weights[round][outcome code]`.
    weights: [[u128; 3]; ROUNDS],
}

impl Tally {
    /// Adds one vote (packed outcomes in the session's A/B terms) with `weight`, counted as at
    /// most [`MAX_WEIGHT`].
    pub fn add(&mut self, packed: u32, weight: U256) {
        let weight = u128::try_from(weight).unwrap_or(u128::MAX).min(MAX_WEIGHT);
        for (round, slot) in self.weights.iter_mut().enumerate() {
            let code = outcome_at(packed, round) as usize;
            slot[code] += weight;
        }
    }

    /// Model A's stake-weighted mean score in each round, in basis points, rounded to nearest
    /// (a round nobody voted in scores a tie).
    pub fn scores(&self) -> [u16; ROUNDS] {
        let mut scores = [FULL_SCORE / 2; ROUNDS];
        for (score, w) in scores.iter_mut().zip(&self.weights) {
            // In half points: A won = 2, tie = 1, B won = 0; the sums are below 2^106.
            let mut num = 2 * w[0] + w[2];
            let mut den = 2 * (w[0] + w[1] + w[2]);
            if den == 0 {
                continue;
            }
            // Scale both below 2^64 for the 64-bit divisor; the quotient keeps 62 bits.
            let shift = 64u32.saturating_sub(den.leading_zeros());
            num >>= shift;
            den >>= shift;
            *score = div_wide(num * u128::from(FULL_SCORE) + den / 2, den as u64) as u16;
        }
        scores
    }

    /// The consensus outcome code of each round, `None` where the lead is shared.
    pub fn consensus(&self) -> [Option<u8>; ROUNDS] {
        let mut consensus = [None; ROUNDS];
        for (slot, w) in consensus.iter_mut().zip(&self.weights) {
            let mut best = 0;
            let mut shared = false;
            for i in 1..3 {
                if w[i] > w[best] {
                    best = i;
                    shared = false;
                } else if w[i] == w[best] {
                    shared = true;
                }
            }
            if !shared {
                *slot = Some(best as u8);
            }
        }
        consensus
    }
}

/// Share of the rounds with a consensus in which `packed` matched it; `None` when no round had
/// a consensus.
pub fn agreement(packed: u32, consensus: &[Option<u8>; ROUNDS]) -> Option<u64> {
    let mut counted = 0u64;
    let mut matched = 0u64;
    for (round, c) in consensus.iter().enumerate() {
        if let Some(code) = c {
            counted += 1;
            if outcome_at(packed, round) as u8 == *code {
                matched += 1;
            }
        }
    }
    (counted > 0).then(|| matched * ONE / counted)
}

/// Next moving average: `alpha * sample + (1 - alpha) * previous`, `alpha` in basis points;
/// the first sample (`sessions == 0`) becomes the average.
pub fn next_ema(previous: u64, sessions: u64, sample: u64, alpha_bps: u64) -> u64 {
    if sessions == 0 {
        return sample;
    }
    // Both terms < 2^64 * 10^4, no overflow in u128.
    let weighted = u128::from(sample) * u128::from(alpha_bps)
        + u128::from(previous) * u128::from(10_000 - alpha_bps);
    div_wide(weighted, 10_000) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battles::pack_outcomes;
    use crate::elo::Outcome::{self, AWins, BWins, Tie};
    use proptest::prelude::*;

    fn all(o: Outcome) -> u32 {
        pack_outcomes(&[o; ROUNDS])
    }

    #[test]
    fn stake_weighted_plurality() {
        let mut tally = Tally::default();
        tally.add(all(AWins), U256::from(5));
        tally.add(all(BWins), U256::from(3));
        tally.add(all(BWins), U256::from(1));
        let consensus = tally.consensus();
        assert_eq!(consensus, [Some(0); ROUNDS]);
        assert_eq!(agreement(all(AWins), &consensus), Some(ONE));
        assert_eq!(agreement(all(BWins), &consensus), Some(0));
        let mut mixed = [AWins; ROUNDS];
        mixed[..3].copy_from_slice(&[Tie, Tie, BWins]);
        assert_eq!(
            agreement(pack_outcomes(&mixed), &consensus),
            Some(7 * ONE / 10)
        );
    }

    #[test]
    fn shared_lead_has_no_consensus() {
        let mut tally = Tally::default();
        tally.add(all(AWins), U256::from(2));
        tally.add(all(Tie), U256::from(2));
        assert_eq!(tally.consensus(), [None; ROUNDS]);
        assert_eq!(agreement(all(AWins), &tally.consensus()), None);
        let mut saturated = Tally::default();
        saturated.add(all(Tie), U256::MAX);
        saturated.add(all(Tie), U256::from(1));
        saturated.add(all(AWins), U256::from(1));
        assert_eq!(saturated.consensus(), [Some(2); ROUNDS]);
    }

    #[test]
    fn ema_first_sample_then_average() {
        assert_eq!(next_ema(0, 0, ONE / 2, 2_000), ONE / 2);
        assert_eq!(next_ema(ONE, 3, 0, 2_000), 8 * ONE / 10);
        assert_eq!(next_ema(ONE, 3, 0, 10_000), 0);
    }

    /// Votes of random weight (below `2^56`, so the sums of up to 64 votes need no scaling and
    /// the scores are exact means before rounding) and random outcome codes per round.
    fn votes() -> impl Strategy<Value = Vec<(u64, [u8; ROUNDS])>> {
        prop::collection::vec((1u64..1 << 56, prop::array::uniform10(0u8..3)), 1..64)
    }

    fn packed(codes: &[u8; ROUNDS]) -> u32 {
        let outcomes = codes.map(|c| Outcome::from_code(c).unwrap());
        pack_outcomes(&outcomes)
    }

    fn tally(votes: &[(u64, [u8; ROUNDS])]) -> Tally {
        let mut tally = Tally::default();
        for (weight, codes) in votes {
            tally.add(packed(codes), U256::from(*weight));
        }
        tally
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// The Sybil bound the ledger promises: whatever an attacker votes, with a share `s` of
        /// the revealed stake it moves each round's score by at most `s` of the full score plus
        /// one basis point of rounding, and every score stays between the votes' extremes.
        #[test]
        fn a_stake_share_bounds_the_score_shift(
            honest in votes(),
            attacker_weight in 1u64..1 << 56,
            attacker_codes in prop::array::uniform10(0u8..3),
        ) {
            let before = tally(&honest).scores();
            let mut all = honest.clone();
            all.push((attacker_weight, attacker_codes));
            let after = tally(&all).scores();
            let honest_weight: u128 = honest.iter().map(|(w, _)| u128::from(*w)).sum();
            let total = honest_weight + u128::from(attacker_weight);
            for round in 0..ROUNDS {
                prop_assert!(after[round] <= FULL_SCORE);
                let shift = (i128::from(after[round]) - i128::from(before[round])).unsigned_abs();
                // shift <= share * FULL_SCORE + 1, multiplied out by the total weight.
                prop_assert!(
                    shift * total <= u128::from(attacker_weight) * u128::from(FULL_SCORE) + total,
                    "round {round}: {} -> {} with {attacker_weight} of {total}",
                    before[round],
                    after[round]
                );
            }
        }

        /// A session's ten stake-weighted rounds move the two ratings by opposite amounts (the
        /// rating sum is unchanged), each by at most the K-factor per round, and every
        /// validator's agreement is a fraction in `[0, 1]`.
        #[test]
        fn session_updates_are_zero_sum_and_agreement_is_a_fraction(
            all in votes(),
            ra in -4_000i128 * crate::elo::ONE..4_000 * crate::elo::ONE,
            rb in -4_000i128 * crate::elo::ONE..4_000 * crate::elo::ONE,
        ) {
            let tally = tally(&all);
            let (mut a, mut b) = (ra, rb);
            for score in tally.scores() {
                crate::elo::update_bps(&mut a, &mut b, score);
            }
            prop_assert_eq!(a + b, ra + rb);
            prop_assert!((a - ra).abs() <= ROUNDS as i128 * crate::elo::K * crate::elo::ONE);
            let consensus = tally.consensus();
            for (_, codes) in &all {
                if let Some(share) = agreement(packed(codes), &consensus) {
                    prop_assert!(share <= ONE);
                }
            }
        }

        #[test]
        fn ema_stays_between_inputs(prev in 0..=ONE, sample in 0..=ONE, alpha in 1u64..=10_000, n in 1u64..100) {
            let next = next_ema(prev, n, sample, alpha);
            prop_assert!(next >= prev.min(sample) && next <= prev.max(sample));
        }
    }
}
