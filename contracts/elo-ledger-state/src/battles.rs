//! Compact session records, replay and FastChat-style bootstrap confidence intervals.
//!
//! A finalized session is one record: the two model ids and, for each of its ten rounds, the
//! stake-weighted mean score of model A in basis points (`0` = B won, `5_000` = tie,
//! `10_000` = A won, anything between for a split vote). The record is one 256-bit word viewed
//! as four 64-bit lanes: lane 0 holds `a | b << 22`, lanes 1 to 3 hold the ten 16-bit scores,
//! four per lane, round 0 lowest. Each round is one battle, so a session is ten battles and
//! replaying the records in order with [`crate::elo`] reproduces the live ratings exactly (the
//! ledger applies the rounds in the same order).
//!
//! [`bootstrap`] follows FastChat's `get_bootstrap_result`: each resample draws `N` battles with
//! replacement from the `N` given ones (a seeded SplitMix64 stream stands in for pandas'
//! `sample(frac=1.0, replace=True)`), recomputes the online Elo from the initial rating, and the
//! per-model quantiles over the resamples use pandas' default linear interpolation.
use alloc::{vec, vec::Vec};

use alloy_primitives::U256;

use crate::elo::{self, Outcome, INIT_RATING};
use crate::wide::div_wide;

/// Rounds per session (and per vote).
pub const ROUNDS: usize = 10;
/// Bits per model id in a record; ids must be below `2^MODEL_ID_BITS`.
pub const MODEL_ID_BITS: u32 = 22;
/// Largest model id a record can hold.
pub const MAX_MODEL_ID: u64 = (1 << MODEL_ID_BITS) - 1;
/// Quantiles reported by the bootstrap, in basis points: 2.5%, 50%, 97.5%.
pub const QUANTILES_BPS: [u64; 3] = [250, 5_000, 9_750];
/// A score of 1 (model A won the round) in basis points.
pub const FULL_SCORE: u16 = 10_000;

/// One battle: model `a`, model `b` (ids, or dense indices in a bootstrap) and `a`'s score in
/// basis points.
pub type Battle = (usize, usize, u16);

/// Packs the round outcomes of one vote (in X/Y or A/B terms) into 20 bits, round 0 lowest.
pub fn pack_outcomes(outcomes: &[Outcome; ROUNDS]) -> u32 {
    outcomes
        .iter()
        .enumerate()
        .fold(0, |acc, (i, o)| acc | (*o as u32) << (2 * i))
}

/// The outcome of `round` in packed outcomes (code 3 never occurs in packed data; it reads as a
/// tie).
pub fn outcome_at(packed: u32, round: usize) -> Outcome {
    Outcome::from_code(((packed >> (2 * round)) & 3) as u8).unwrap_or(Outcome::Tie)
}

/// Flips every round to the other model's point of view: codes 0 and 1 swap, ties (2) stay.
pub fn swap_outcomes(packed: u32) -> u32 {
    const LOW_BITS: u32 = 0x55555; // the low bit of each of the ten 2-bit codes
    let ties = (packed >> 1) & LOW_BITS;
    packed ^ (!ties & LOW_BITS)
}

/// A stored record: model `a`, model `b` and `a`'s score per round in basis points.
pub fn pack_record(a: u64, b: u64, scores: &[u16; ROUNDS]) -> U256 {
    let mut limbs = [a | b << MODEL_ID_BITS, 0, 0, 0];
    for (round, &score) in scores.iter().enumerate() {
        limbs[1 + round / 4] |= u64::from(score) << (16 * (round % 4));
    }
    U256::from_limbs(limbs)
}

/// Inverse of [`pack_record`]: `(a, b, scores)`.
pub fn unpack_record(record: U256) -> (usize, usize, [u16; ROUNDS]) {
    let l = record.as_limbs();
    let scores = core::array::from_fn(|round| (l[1 + round / 4] >> (16 * (round % 4))) as u16);
    (
        (l[0] & MAX_MODEL_ID) as usize,
        (l[0] >> MODEL_ID_BITS & MAX_MODEL_ID) as usize,
        scores,
    )
}

/// Appends the ten battles of `record` to `battles`.
pub fn expand(record: U256, battles: &mut Vec<Battle>) {
    let (a, b, scores) = unpack_record(record);
    battles.extend(scores.iter().map(|&score| (a, b, score)));
}

/// SplitMix64: a tiny, well-studied generator (Steele, Lea and Flood, 2014); plenty for
/// resampling and small enough for a contract.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (multiply-shift; bias below `n / 2^64`).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// Applies one battle to ratings indexed by model id (or dense index).
fn apply(ratings: &mut [i128], (a, b, score): Battle) {
    let (mut ra, mut rb) = (ratings[a], ratings[b]);
    elo::update_bps(&mut ra, &mut rb, score);
    ratings[a] = ra;
    ratings[b] = rb;
}

/// Replays battles in order; `model_slots` must exceed every model index.
pub fn replay(battles: &[Battle], model_slots: usize) -> Vec<i128> {
    let mut ratings = vec![INIT_RATING; model_slots];
    for &battle in battles {
        apply(&mut ratings, battle);
    }
    ratings
}

/// Sorts ascending by insertion. Quadratic, but ink is cheap (a thousand values cost a few
/// hundred gas) and it compiles to a few hundred bytes where `sort_unstable` costs kilobytes of
/// contract code.
pub fn sort(values: &mut [i128]) {
    for i in 1..values.len() {
        let v = values[i];
        let mut j = i;
        while j > 0 && values[j - 1] > v {
            values[j] = values[j - 1];
            j -= 1;
        }
        values[j] = v;
    }
}

/// `quantile(bps / 10_000)` of sorted values with linear interpolation (pandas' default).
pub fn quantile(sorted: &[i128], bps: u64) -> i128 {
    let scaled = (sorted.len() as u64 - 1) * bps;
    let low = (scaled / 10_000) as usize;
    let frac = i128::from(scaled % 10_000);
    if frac == 0 {
        return sorted[low];
    }
    // Sorted ascending, so the step is non-negative.
    let step = (sorted[low + 1] - sorted[low]) as u128 * frac as u128;
    sorted[low] + div_wide(step, 10_000) as i128
}

/// Bootstrap of `battles`: for each of `models`, the 2.5%, 50% and 97.5% quantiles of its
/// rating over `resamples` resampled replays. Model indices must be below `model_slots`;
/// `resamples` must be positive.
pub fn bootstrap(
    battles: &[Battle],
    model_slots: usize,
    models: &[usize],
    resamples: usize,
    seed: u64,
) -> Vec<[i128; 3]> {
    let count = battles.len() as u64;
    let mut rng = SplitMix64::new(seed);
    let mut ratings = vec![INIT_RATING; model_slots];
    // samples[m * resamples + s] = rating of models[m] in resample s.
    let mut samples = vec![0i128; models.len() * resamples];
    for s in 0..resamples {
        ratings.fill(INIT_RATING);
        for _ in 0..count {
            apply(&mut ratings, battles[rng.below(count) as usize]);
        }
        for (m, &id) in models.iter().enumerate() {
            samples[m * resamples + s] = ratings[id];
        }
    }
    samples
        .chunks_mut(resamples)
        .map(|column| {
            sort(column);
            [
                quantile(column, QUANTILES_BPS[0]),
                quantile(column, QUANTILES_BPS[1]),
                quantile(column, QUANTILES_BPS[2]),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::elo::tests::{compute_elo_f64, random_battles, to_f64, TestRng};
    use crate::elo::ONE;
    use proptest::prelude::*;

    /// Groups battles into records of ten rounds between a fixed pair, as sessions store them,
    /// and expands the records back into battles.
    fn records_from(
        battles: &[(usize, usize, Outcome)],
    ) -> (Vec<Battle>, Vec<(usize, usize, Outcome)>) {
        let mut expanded = Vec::new();
        let mut flat = Vec::new();
        for chunk in battles.chunks(ROUNDS).filter(|c| c.len() == ROUNDS) {
            let (a, b, _) = chunk[0];
            let scores: [u16; ROUNDS] = core::array::from_fn(|i| chunk[i].2.bps());
            expand(pack_record(a as u64, b as u64, &scores), &mut expanded);
            flat.extend(chunk.iter().map(|&(_, _, o)| (a, b, o)));
        }
        (expanded, flat)
    }

    #[test]
    fn record_round_trip() {
        let outcomes = [
            Outcome::AWins,
            Outcome::BWins,
            Outcome::Tie,
            Outcome::AWins,
            Outcome::Tie,
            Outcome::BWins,
            Outcome::BWins,
            Outcome::AWins,
            Outcome::Tie,
            Outcome::AWins,
        ];
        let packed = pack_outcomes(&outcomes);
        let mut scores = outcomes.map(Outcome::bps);
        scores[4] = 3_333;
        let record = pack_record(MAX_MODEL_ID, 12345, &scores);
        assert_eq!(
            unpack_record(record),
            (MAX_MODEL_ID as usize, 12345, scores)
        );
        for (r, o) in outcomes.iter().enumerate() {
            assert_eq!(outcome_at(packed, r), *o);
            assert_eq!(outcome_at(swap_outcomes(packed), r), o.swapped());
        }
        assert_eq!(swap_outcomes(swap_outcomes(packed)), packed);
    }

    #[test]
    fn quantile_interpolates_like_pandas() {
        let v: Vec<i128> = (0..100).map(|i| i * 10).collect();
        // pandas: Series(range(0, 1000, 10)).quantile(0.025) == 24.75
        assert_eq!(quantile(&v, 250), 24);
        assert_eq!(quantile(&v, 5_000), 495);
        assert_eq!(quantile(&v, 9_750), 965);
        assert_eq!(quantile(&[7], 250), 7);
        let w: Vec<i128> = (0..100).map(|i| i * ONE).collect();
        assert_eq!(quantile(&w, 250), 2_475 * ONE / 1000);
    }

    #[test]
    fn replay_matches_float_reference() {
        let mut rng = TestRng::new(42);
        let models = 11;
        // Pairs fixed per record, like sessions; 150 records = 1,500 battles.
        let mut battles = Vec::new();
        for _ in 0..150 {
            let pair = random_battles(&mut rng, 1, models)[0];
            let rounds = random_battles(&mut rng, ROUNDS, models);
            battles.extend(rounds.iter().map(|&(_, _, o)| (pair.0, pair.1, o)));
        }
        let (records, flat) = records_from(&battles);
        let fixed = replay(&records, models);
        let reference = compute_elo_f64(&flat, models);
        for (f, r) in fixed.iter().zip(&reference) {
            assert!((to_f64(*f) - r).abs() < 0.01, "{} vs {r}", to_f64(*f));
        }
    }

    /// The same bootstrap in `f64` with the same index stream, as FastChat computes it.
    fn bootstrap_f64(
        flat: &[(usize, usize, Outcome)],
        models: usize,
        resamples: usize,
        seed: u64,
    ) -> Vec<[f64; 3]> {
        let mut rng = SplitMix64::new(seed);
        let mut columns = vec![Vec::new(); models];
        for _ in 0..resamples {
            let sample: Vec<_> = (0..flat.len())
                .map(|_| flat[rng.below(flat.len() as u64) as usize])
                .collect();
            for (m, r) in compute_elo_f64(&sample, models).into_iter().enumerate() {
                columns[m].push(r);
            }
        }
        columns
            .into_iter()
            .map(|mut c| {
                c.sort_by(|x, y| x.partial_cmp(y).unwrap());
                QUANTILES_BPS.map(|q| {
                    let pos = (c.len() - 1) as f64 * q as f64 / 10_000.0;
                    let low = pos.floor() as usize;
                    let frac = pos - low as f64;
                    if frac == 0.0 {
                        c[low]
                    } else {
                        c[low] + (c[low + 1] - c[low]) * frac
                    }
                })
            })
            .collect()
    }

    #[test]
    fn bootstrap_matches_float_reference_and_orders_intervals() {
        let mut rng = TestRng::new(9);
        let models = 10;
        let battles = random_battles(&mut rng, 1_000, models);
        let (records, flat) = records_from(&battles);
        let ids: Vec<usize> = (0..models).collect();
        let fixed = bootstrap(&records, models, &ids, 50, 77);
        let reference = bootstrap_f64(&flat, models, 50, 77);
        for (f, r) in fixed.iter().zip(&reference) {
            for q in 0..3 {
                assert!((to_f64(f[q]) - r[q]).abs() < 0.01, "{f:?} vs {r:?}");
            }
            assert!(f[0] <= f[1] && f[1] <= f[2]);
            assert!(f[0] < f[2], "resampling must produce an interval");
        }
        // Deterministic for a seed, different for another.
        assert_eq!(bootstrap(&records, models, &ids, 50, 77), fixed);
        assert_ne!(bootstrap(&records, models, &ids, 50, 78), fixed);
    }

    #[test]
    fn bootstrap_of_nothing_is_the_initial_rating() {
        assert_eq!(bootstrap(&[], 3, &[1, 2], 5, 1), vec![[INIT_RATING; 3]; 2]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn sort_matches_std(mut values in prop::collection::vec(any::<i128>(), 0..64)) {
            let mut expected = values.clone();
            expected.sort_unstable();
            sort(&mut values);
            prop_assert_eq!(values, expected);
        }

        #[test]
        fn below_stays_in_range(seed in any::<u64>(), n in 1u64..1_000_000) {
            let mut rng = SplitMix64::new(seed);
            for _ in 0..16 {
                prop_assert!(rng.below(n) < n);
            }
        }

        #[test]
        fn records_round_trip(a in 0..=MAX_MODEL_ID, b in 0..=MAX_MODEL_ID, scores in prop::array::uniform10(0u16..=FULL_SCORE)) {
            prop_assert_eq!(unpack_record(pack_record(a, b, &scores)), (a as usize, b as usize, scores));
        }
    }
}
