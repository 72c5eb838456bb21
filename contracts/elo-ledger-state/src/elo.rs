//! Fixed-point Elo, exactly the online update of FastChat's `compute_elo`.
//!
//! Ratings are `i128` in 18-decimal fixed point (`1000.0` is `1000 * 10^18`), which holds any
//! reachable rating with room to spare: one round moves a rating by at most `K = 4` points, so
//! even `10^20` rounds stay far below `i128::MAX ≈ 1.7 * 10^38`. `i128` keeps the wasm small
//! and fast compared with 256-bit arithmetic; the ABI exposes ratings as `int256`.
//!
//! The expected score of `a` against `b` is `1 / (1 + 10^((r_b - r_a) / 400))`, computed with
//! [`pow10_neg`]; `b`'s change is the exact negation of `a`'s, so every update is zero-sum and the
//! sum of all ratings never drifts (FastChat's float version computes `e_b` separately, which
//! agrees with `1 - e_a` to within float rounding).
//!
//! Error: [`pow10_neg`] is within 8 units of the last place (`8 * 10^-18`) of the exact `10^-x`
//! (worst seen: 6.1 units over 20,000 random exponents against 60-digit decimal arithmetic; the
//! tests check 50-digit reference values and `f64`), so one expected score is within about
//! `10^-17` and one update within about `10^-16` points of the real-number update; thousands of
//! updates stay many orders of magnitude below the 0.01-point tolerance the float-reference test
//! enforces.

use crate::wide::div_wide;

/// 1.0 in 18-decimal fixed point.
pub const ONE: i128 = 1_000_000_000_000_000_000;
/// FastChat's `K`: the most one round can move a rating, in points.
pub const K: i128 = 4;
/// FastChat's `SCALE`: 400 points of difference mean 10:1 odds.
pub const SCALE: i128 = 400;
/// FastChat's `INIT_RATING`, in fixed point.
pub const INIT_RATING: i128 = 1000 * ONE;

/// `log2(10)` in fixed point (3.321928094887362347870...).
const LOG2_10: u128 = 3_321_928_094_887_362_348;
/// `ln(2)` in fixed point (0.693147180559945309417...).
const LN_2: u128 = 693_147_180_559_945_309;
/// Exponents from which `10^-x` rounds to zero in 18 decimals (`10^-19 < 0.5 * 10^-18`).
const FLUSH_EXPONENT: u128 = 19 * ONE as u128;
/// `ONE` as `u128`.
const ONE_U: u128 = ONE as u128;
/// `ONE` as `u64`.
const ONE_U64: u64 = ONE as u64;

/// The result of one round in the first model's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Outcome {
    /// The first model won.
    AWins = 0,
    /// The second model won.
    BWins = 1,
    /// A tie (FastChat counts `tie` and `tie (bothbad)` alike).
    Tie = 2,
}

impl Outcome {
    /// Decodes a 2-bit code; `None` for 3.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Outcome::AWins),
            1 => Some(Outcome::BWins),
            2 => Some(Outcome::Tie),
            _ => None,
        }
    }

    /// The same result seen from the other model's side.
    pub fn swapped(self) -> Self {
        match self {
            Outcome::AWins => Outcome::BWins,
            Outcome::BWins => Outcome::AWins,
            Outcome::Tie => Outcome::Tie,
        }
    }

    /// The first model's score `s_a` in basis points: 10,000, 0 or 5,000 (1, 0 or 0.5).
    pub fn bps(self) -> u16 {
        match self {
            Outcome::AWins => 10_000,
            Outcome::BWins => 0,
            Outcome::Tie => 5_000,
        }
    }
}

/// One basis point of score (`0.0001`) in fixed point.
pub const BPS: i128 = ONE / 10_000;

/// `round(num / den)` for positive operands (`den < 2^64`).
fn div_round(num: u128, den: u128) -> u128 {
    div_wide(num + den / 2, den as u64)
}

/// `10^-x` in fixed point for a fixed-point exponent `x >= 0`.
///
/// Computed as `2^-(x * log2 10)`: the integer part of the binary exponent is a shift, the
/// fractional part `f` goes through `e^(f ln 2)` by its Taylor series (all terms positive, at
/// most about 20 of them since `f ln 2 < 0.7`) and one division. Returns 0 for `x >= 19`, where
/// the true value is below half a unit of the last place.
pub fn pow10_neg(x: u128) -> u128 {
    if x >= FLUSH_EXPONENT {
        return 0;
    }
    // x < 19 * 10^18, so x * LOG2_10 < 6.4 * 10^37 fits in u128.
    let binary = div_wide(x * LOG2_10, ONE_U64);
    let shift = div_wide(binary, ONE_U64);
    let y = div_wide((binary - shift * ONE_U) * LN_2, ONE_U64);
    let mut exp_y = ONE_U;
    let mut term = ONE_U;
    let mut k = 1u64;
    while term != 0 {
        // floor(floor(a / b) / c) == floor(a / (b * c)) for positive integers.
        term = div_wide(div_wide(term * y, ONE_U64), k);
        exp_y += term;
        k += 1;
    }
    // 2^-f = 1 / e^(f ln 2); rounded to nearest, then the integer part of the exponent.
    let frac = div_round(ONE_U * ONE_U, exp_y);
    (frac + ((1u128 << shift) >> 1)) >> shift
}

/// Expected score of a model rated `ra` against one rated `rb`:
/// `1 / (1 + 10^((rb - ra) / 400))`, in fixed point, rounded to nearest.
pub fn expected_score(ra: i128, rb: i128) -> i128 {
    let diff = rb - ra;
    let x = div_wide(diff.unsigned_abs(), SCALE as u64);
    let q = pow10_neg(x);
    let e = if diff >= 0 {
        // 10^(d/400) = 1/q, so 1/(1 + 1/q) = q/(1 + q).
        div_round(q * ONE_U, ONE_U + q)
    } else {
        div_round(ONE_U * ONE_U, ONE_U + q)
    };
    e as i128
}

/// The change of the first model's rating after one round in which it scored `score_bps`
/// basis points (10,000 = won, 5,000 = tie, 0 = lost, anything between for a stake-weighted
/// split); the second model's change is its negation. `|delta| <= K` points for scores in
/// `[0, 10_000]`.
pub fn rating_delta(ra: i128, rb: i128, score_bps: u16) -> i128 {
    K * (i128::from(score_bps) * BPS - expected_score(ra, rb))
}

/// Applies one round scored `score_bps` for the first model to a pair of ratings in place
/// (FastChat's online update, with a fractional score where the votes split).
pub fn update_bps(ra: &mut i128, rb: &mut i128, score_bps: u16) {
    let delta = rating_delta(*ra, *rb, score_bps);
    *ra += delta;
    *rb -= delta;
}

/// Applies one round with a whole outcome (FastChat's online update).
pub fn update(ra: &mut i128, rb: &mut i128, outcome: Outcome) {
    update_bps(ra, rb, outcome.bps());
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// FastChat's `compute_elo` in `f64`, the reference for the fixed-point version (test only).
    pub(crate) fn compute_elo_f64(battles: &[(usize, usize, Outcome)], models: usize) -> Vec<f64> {
        let mut rating = vec![1000.0f64; models];
        for &(a, b, outcome) in battles {
            let (ra, rb) = (rating[a], rating[b]);
            let ea = 1.0 / (1.0 + 10f64.powf((rb - ra) / 400.0));
            let eb = 1.0 / (1.0 + 10f64.powf((ra - rb) / 400.0));
            let sa = match outcome {
                Outcome::AWins => 1.0,
                Outcome::BWins => 0.0,
                Outcome::Tie => 0.5,
            };
            rating[a] += 4.0 * (sa - ea);
            rating[b] += 4.0 * (1.0 - sa - eb);
        }
        rating
    }

    /// Fixed-point ratings of the same battles, in order.
    pub(crate) fn compute_elo_fixed(
        battles: &[(usize, usize, Outcome)],
        models: usize,
    ) -> Vec<i128> {
        let mut rating = vec![INIT_RATING; models];
        for &(a, b, outcome) in battles {
            let (mut ra, mut rb) = (rating[a], rating[b]);
            update(&mut ra, &mut rb, outcome);
            rating[a] = ra;
            rating[b] = rb;
        }
        rating
    }

    pub(crate) fn to_f64(x: i128) -> f64 {
        x as f64 / ONE as f64
    }

    /// Deterministic xorshift stream for test data (independent of the contract's PRNG).
    pub(crate) struct TestRng(u64);
    impl TestRng {
        pub(crate) fn new(seed: u64) -> Self {
            TestRng(seed | 1)
        }
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        pub(crate) fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Random battles among `models` models with a skill gradient (so ratings spread out) and
    /// ties, like real arena data.
    pub(crate) fn random_battles(
        rng: &mut TestRng,
        count: usize,
        models: usize,
    ) -> Vec<(usize, usize, Outcome)> {
        (0..count)
            .map(|_| {
                let a = rng.below(models as u64) as usize;
                let mut b = rng.below(models as u64 - 1) as usize;
                if b >= a {
                    b += 1;
                }
                // Higher index = stronger: the stronger model wins ~70% of decided rounds.
                let roll = rng.below(100);
                let outcome = if roll < 15 {
                    Outcome::Tie
                } else if (roll < 65) == (a > b) {
                    Outcome::AWins
                } else {
                    Outcome::BWins
                };
                (a, b, outcome)
            })
            .collect()
    }

    #[test]
    fn matches_fastchat_float_reference_on_random_battles() {
        let mut worst = 0.0f64;
        for seed in 1..=5u64 {
            let mut rng = TestRng::new(seed * 7919);
            let models = 12;
            let battles = random_battles(&mut rng, 3_000, models);
            let reference = compute_elo_f64(&battles, models);
            let fixed = compute_elo_fixed(&battles, models);
            for (r, f) in reference.iter().zip(&fixed) {
                worst = worst.max((r - to_f64(*f)).abs());
            }
            // The data must actually move ratings, or the comparison proves nothing.
            let spread = reference.iter().copied().fold(f64::MIN, f64::max)
                - reference.iter().copied().fold(f64::MAX, f64::min);
            assert!(spread > 50.0, "spread {spread}");
        }
        assert!(worst < 0.01, "max error {worst}");
        // Far tighter than required in practice; printed for the closing note.
        println!("max |fixed - f64| rating error over 15,000 battles: {worst:e}");
        assert!(worst < 1e-6, "max error {worst}");
    }

    #[test]
    fn pow10_neg_exact_powers_and_limits() {
        assert_eq!(pow10_neg(0), ONE_U);
        for k in 1..=18u32 {
            let exact = 10u128.pow(18 - k);
            let got = pow10_neg(u128::from(k) * ONE_U);
            let err = got.abs_diff(exact);
            assert!(
                err * 10u128.pow(16) <= exact * 2 + 10u128.pow(16),
                "k={k} got {got}"
            );
        }
        assert_eq!(pow10_neg(19 * ONE_U), 0);
        assert_eq!(pow10_neg(u128::MAX), 0);
    }

    #[test]
    fn pow10_neg_matches_high_precision_vectors() {
        // 10^-x * 10^18 from 60-digit decimal arithmetic (Python `decimal`), rounded.
        let vectors: [(u128, u128); 7] = [
            (1, 999_999_999_999_999_998),
            (509_627_066_529_466_577, 309_295_024_304_346_845),
            (2_500_000_000_000_000_000, 3_162_277_660_168_379),
            (999_999_999_999_999_999, 100_000_000_000_000_000),
            (7_000_000_000_123_456_789, 99_999_999_972),
            (12_345_678_901_234_567_890, 451_150),
            (18_999_999_999_999_999_999, 0),
        ];
        for (x, want) in vectors {
            let got = pow10_neg(x);
            assert!(got.abs_diff(want) <= 8, "x={x} got {got} want {want}");
        }
    }

    #[test]
    fn expected_score_known_values() {
        assert_eq!(expected_score(INIT_RATING, INIT_RATING), ONE / 2);
        // 400 points stronger: 10/11.
        let e = expected_score(1400 * ONE, 1000 * ONE);
        assert!((e - 909_090_909_090_909_091).abs() <= 1, "{e}");
        let e = expected_score(1000 * ONE, 1400 * ONE);
        assert!((e - 90_909_090_909_090_909).abs() <= 1, "{e}");
        // Enormous gaps saturate instead of overflowing.
        assert_eq!(expected_score(0, i128::from(i64::MAX) * ONE), 0);
        assert_eq!(expected_score(i128::from(i64::MAX) * ONE, 0), ONE);
    }

    #[test]
    fn update_direction_and_size() {
        let (mut a, mut b) = (INIT_RATING, INIT_RATING);
        update(&mut a, &mut b, Outcome::AWins);
        assert_eq!(a, INIT_RATING + 2 * ONE);
        assert_eq!(b, INIT_RATING - 2 * ONE);
        update(&mut a, &mut b, Outcome::Tie);
        assert!(
            a < INIT_RATING + 2 * ONE,
            "the favourite loses points on a tie"
        );
        assert_eq!(a + b, 2 * INIT_RATING);
        assert_eq!(Outcome::AWins.swapped(), Outcome::BWins);
        assert_eq!(Outcome::Tie.swapped(), Outcome::Tie);
        assert_eq!(Outcome::from_code(3), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn pow10_neg_matches_f64(x in 0u128..19 * ONE_U) {
            let got = pow10_neg(x) as f64;
            let want = 10f64.powf(-(x as f64) / 1e18) * 1e18;
            // f64 itself is only good to a few 1e-16 relative (its exponent and result both
            // round); the exact-value vectors below pin the real precision.
            prop_assert!((got - want).abs() <= want * 6e-16 + 16.0, "x={x} got {got} want {want}");
        }

        #[test]
        fn pow10_neg_is_monotone(x in 0u128..19 * ONE_U, dx in 1u128..ONE_U) {
            prop_assert!(pow10_neg(x + dx) <= pow10_neg(x));
        }

        #[test]
        fn every_update_is_zero_sum_and_bounded(
            ra in -1_000_000i128 * ONE..1_000_000 * ONE,
            rb in -1_000_000i128 * ONE..1_000_000 * ONE,
            code in 0u8..3,
        ) {
            let outcome = Outcome::from_code(code).unwrap();
            let (mut a, mut b) = (ra, rb);
            update(&mut a, &mut b, outcome);
            prop_assert_eq!(a + b, ra + rb);
            prop_assert!((a - ra).abs() <= K * ONE);
            let e = expected_score(ra, rb);
            prop_assert!((0..=ONE).contains(&e));
            // Symmetry: the two expected scores sum to one up to rounding.
            prop_assert!((e + expected_score(rb, ra) - ONE).abs() <= 1);
        }

        #[test]
        fn ratings_stay_bounded_over_sequences(seed in any::<u64>(), count in 1usize..400) {
            let mut rng = TestRng::new(seed);
            let models = 10;
            let battles = random_battles(&mut rng, count, models);
            let fixed = compute_elo_fixed(&battles, models);
            prop_assert_eq!(fixed.iter().sum::<i128>(), INIT_RATING * models as i128);
            let mut games = vec![0i128; models];
            for &(a, b, _) in &battles {
                games[a] += 1;
                games[b] += 1;
            }
            for (r, g) in fixed.iter().zip(&games) {
                prop_assert!((r - INIT_RATING).abs() <= K * ONE * g);
            }
        }
    }
}
