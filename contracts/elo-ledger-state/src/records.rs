//! Packed storage words of the ledger's records.
//!
//! Every small field of a model, dataset, session and the parameters lives in one 256-bit word
//! viewed as four 64-bit lanes, read and written as a whole: one storage access instead of one
//! per field, and a few storage fields per record instead of a dozen (each `#[storage]` field
//! costs code in every accessor of the record). Each record type here is a plain value with
//! `unpack`/`pack`; the bounds the ledger enforces (model ids below `2^22`, dataset ids below
//! `2^32`, at most 256 voters, windows of at most 30 days, ...) guarantee every value fits its
//! bits, which the round-trip tests check at the extremes.
use alloy_primitives::U256;

use crate::battles::MODEL_ID_BITS;

/// `width` bits of `lane` from bit `shift`.
fn bits(lane: u64, shift: u32, width: u32) -> u64 {
    (lane >> shift) & ((1u64 << width) - 1)
}

/// An `i128` from two lanes (low, high).
fn join_i128(low: u64, high: u64) -> i128 {
    (u128::from(low) | u128::from(high) << 64) as i128
}

/// An `i128` as two lanes (low, high).
fn split_i128(value: i128) -> (u64, u64) {
    let raw = value as u128;
    (raw as u64, (raw >> 64) as u64)
}

/// A model's mutable state: rating, games, parent and dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ModelState {
    /// Elo rating, 18-decimal fixed point.
    pub rating: i128,
    /// Rounds played.
    pub games: u64,
    /// Parent model id, zero for none (below `2^32`).
    pub parent: u64,
    /// Dataset id, zero for none (below `2^32`).
    pub dataset: u64,
}

impl ModelState {
    /// Lanes: rating (two), games, parent | dataset << 32.
    #[inline(never)]
    pub fn pack(&self) -> U256 {
        let (low, high) = split_i128(self.rating);
        U256::from_limbs([low, high, self.games, self.parent | self.dataset << 32])
    }

    /// Inverse of [`Self::pack`].
    #[inline(never)]
    pub fn unpack(word: U256) -> Self {
        let l = word.into_limbs();
        ModelState {
            rating: join_i128(l[0], l[1]),
            games: l[2],
            parent: bits(l[3], 0, 32),
            dataset: l[3] >> 32,
        }
    }
}

/// A dataset's mutable state: its model, status and impact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct DatasetState {
    /// Rating of the model minus rating of its parent at finalization.
    pub impact: i128,
    /// The model fine-tuned on it, zero until registered.
    pub model: u64,
    /// 0 pending, 1 accepted, 2 rejected.
    pub status: u64,
}

impl DatasetState {
    /// Lanes: impact (two), model, status.
    #[inline(never)]
    pub fn pack(&self) -> U256 {
        let (low, high) = split_i128(self.impact);
        U256::from_limbs([low, high, self.model, self.status])
    }

    /// Inverse of [`Self::pack`].
    #[inline(never)]
    pub fn unpack(word: U256) -> Self {
        let l = word.into_limbs();
        DatasetState {
            impact: join_i128(l[0], l[1]),
            model: l[2],
            status: l[3],
        }
    }
}

/// A session's header: models, schedule, status and counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SessionHeader {
    /// First model (A).
    pub model_a: u64,
    /// Second model (B).
    pub model_b: u64,
    /// Revealed votes (at most 256).
    pub reveals: u64,
    /// 1 open, 2 finalized, 3 void.
    pub status: u64,
    /// Whether the seed was revealed (the seed word then holds the seed, not its hash).
    pub seed_revealed: bool,
    /// Timestamp of the voting-power snapshot.
    pub snapshot: u64,
    /// Commits are accepted before this timestamp.
    pub commit_end: u64,
    /// Reveals are accepted from `commit_end` until before this timestamp.
    pub reveal_end: u64,
}

/// Bit positions in the first lane of a session header.
const B_SHIFT: u32 = MODEL_ID_BITS;
const REVEALS_SHIFT: u32 = 2 * MODEL_ID_BITS;
const STATUS_SHIFT: u32 = REVEALS_SHIFT + 16;
const SEED_SHIFT: u32 = STATUS_SHIFT + 2;

impl SessionHeader {
    /// Lanes: model A | model B | reveals (16 bits) | status (2) | seed revealed (1),
    /// snapshot, commit end, reveal end.
    #[inline(never)]
    pub fn pack(&self) -> U256 {
        let first = self.model_a
            | self.model_b << B_SHIFT
            | self.reveals << REVEALS_SHIFT
            | self.status << STATUS_SHIFT
            | u64::from(self.seed_revealed) << SEED_SHIFT;
        U256::from_limbs([first, self.snapshot, self.commit_end, self.reveal_end])
    }

    /// Inverse of [`Self::pack`].
    #[inline(never)]
    pub fn unpack(word: U256) -> Self {
        let l = word.into_limbs();
        SessionHeader {
            model_a: bits(l[0], 0, MODEL_ID_BITS),
            model_b: bits(l[0], B_SHIFT, MODEL_ID_BITS),
            reveals: bits(l[0], REVEALS_SHIFT, 16),
            status: bits(l[0], STATUS_SHIFT, 2),
            seed_revealed: bits(l[0], SEED_SHIFT, 1) == 1,
            snapshot: l[1],
            commit_end: l[2],
            reveal_end: l[3],
        }
    }
}

/// The governance parameters that fit in 64-bit lanes (the session bond and the impact
/// threshold have their own words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SmallParams {
    /// Commit window length in seconds (at most 30 days).
    pub commit_window: u64,
    /// Reveal window length in seconds (at most 30 days).
    pub reveal_window: u64,
    /// Reveals needed for a session to count (at most 256).
    pub min_reveals: u64,
    /// Voters a session accepts (at most 256).
    pub max_voters: u64,
    /// Bootstrap resamples of `upgradeModel`'s gate (1 to 32).
    pub upgrade_resamples: u64,
    /// Weight of a new sample in the agreement average, in basis points.
    pub agreement_alpha_bps: u64,
    /// Games the model of a dataset needs before the dataset can be judged.
    pub min_games: u64,
    /// Average agreement below which `LowAgreement` is emitted (1e18 = 1).
    pub agreement_threshold: u64,
}

impl SmallParams {
    /// Lanes: commit | reveal window << 32, min reveals | max voters << 16 | resamples << 32 |
    /// alpha << 48, min games, agreement threshold.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.commit_window | self.reveal_window << 32,
            self.min_reveals
                | self.max_voters << 16
                | self.upgrade_resamples << 32
                | self.agreement_alpha_bps << 48,
            self.min_games,
            self.agreement_threshold,
        ])
    }

    /// Inverse of [`Self::pack`].
    pub fn unpack(word: U256) -> Self {
        let l = word.into_limbs();
        SmallParams {
            commit_window: bits(l[0], 0, 32),
            reveal_window: l[0] >> 32,
            min_reveals: bits(l[1], 0, 16),
            max_voters: bits(l[1], 16, 16),
            upgrade_resamples: bits(l[1], 32, 16),
            agreement_alpha_bps: l[1] >> 48,
            min_games: l[2],
            agreement_threshold: l[3],
        }
    }
}

/// What a validator's validation amounts to, checkpointed at every session it committed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ValidatorRecord {
    /// Moving average of its agreement with the consensus (1e18 = always agrees; a commitment
    /// never revealed is a sample of zero).
    pub agreement: u64,
    /// Samples in the average.
    pub samples: u64,
    /// Sessions it committed a vote in (and whose seed was revealed).
    pub committed: u64,
    /// Of those, sessions it revealed its vote in.
    pub revealed: u64,
}

impl ValidatorRecord {
    /// Lanes: agreement, samples | committed << 32, revealed, `time` (the second from which
    /// the record holds). The counts grow by one per session and stay below `2^32`.
    pub fn pack(&self, time: u64) -> U256 {
        U256::from_limbs([
            self.agreement,
            self.samples | self.committed << 32,
            self.revealed,
            time,
        ])
    }

    /// Inverse of [`Self::pack`] (the time is [`record_time`]).
    pub fn unpack(word: U256) -> Self {
        let l = word.as_limbs();
        ValidatorRecord {
            agreement: l[0],
            samples: bits(l[1], 0, 32),
            committed: l[1] >> 32,
            revealed: l[2],
        }
    }
}

/// The second from which a packed validator record holds.
pub fn record_time(word: U256) -> u64 {
    word.as_limbs()[3]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::battles::MAX_MODEL_ID;
    use proptest::prelude::*;

    #[test]
    fn extremes_round_trip() {
        let model = ModelState {
            rating: i128::MIN + 1,
            games: u64::MAX,
            parent: u64::from(u32::MAX),
            dataset: u64::from(u32::MAX),
        };
        assert_eq!(ModelState::unpack(model.pack()), model);
        let dataset = DatasetState {
            impact: -1,
            model: MAX_MODEL_ID,
            status: 2,
        };
        assert_eq!(DatasetState::unpack(dataset.pack()), dataset);
        let header = SessionHeader {
            model_a: MAX_MODEL_ID,
            model_b: MAX_MODEL_ID - 1,
            reveals: 256,
            status: 3,
            seed_revealed: true,
            snapshot: u64::MAX,
            commit_end: u64::MAX - 1,
            reveal_end: u64::MAX,
        };
        assert_eq!(SessionHeader::unpack(header.pack()), header);
        let params = SmallParams {
            commit_window: 30 * 86_400,
            reveal_window: 30 * 86_400,
            min_reveals: 256,
            max_voters: 256,
            upgrade_resamples: 32,
            agreement_alpha_bps: 10_000,
            min_games: u64::MAX,
            agreement_threshold: 1_000_000_000_000_000_000,
        };
        assert_eq!(SmallParams::unpack(params.pack()), params);
        let record = ValidatorRecord {
            agreement: 1_000_000_000_000_000_000,
            samples: u64::from(u32::MAX),
            committed: u64::from(u32::MAX),
            revealed: u64::from(u32::MAX),
        };
        assert_eq!(ValidatorRecord::unpack(record.pack(u64::MAX)), record);
        assert_eq!(record_time(record.pack(u64::MAX)), u64::MAX);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn records_round_trip(
            rating in any::<i128>(),
            games in any::<u64>(),
            ids in (0..=MAX_MODEL_ID, 0..=MAX_MODEL_ID, 0..=u64::from(u32::MAX)),
            times in (any::<u64>(), any::<u64>(), any::<u64>()),
            small in (0u64..=256, 0u64..4, any::<bool>()),
        ) {
            let model = ModelState { rating, games, parent: ids.0, dataset: ids.2 };
            prop_assert_eq!(ModelState::unpack(model.pack()), model);
            let dataset = DatasetState { impact: rating, model: ids.1, status: small.1 };
            prop_assert_eq!(DatasetState::unpack(dataset.pack()), dataset);
            let header = SessionHeader {
                model_a: ids.0,
                model_b: ids.1,
                reveals: small.0,
                status: small.1,
                seed_revealed: small.2,
                snapshot: times.0,
                commit_end: times.1,
                reveal_end: times.2,
            };
            prop_assert_eq!(SessionHeader::unpack(header.pack()), header);
        }
    }
}
