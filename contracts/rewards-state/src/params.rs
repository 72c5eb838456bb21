//! The governance-set parameters, packed in one storage word, and their bounds.
use alloy_primitives::U256;

use crate::math::ONE;

/// Shortest epoch (one hour).
pub const MIN_EPOCH_LENGTH: u64 = 3_600;
/// Longest epoch (one year).
pub const MAX_EPOCH_LENGTH: u64 = 365 * 86_400;
/// Most models paid by rank.
pub const MAX_TOP_N: u64 = 8;
/// Longest claim window, in epochs.
pub const MAX_CLAIM_EPOCHS: u64 = 255;
/// Longest jail cool-down (one year).
pub const MAX_JAIL_COOLDOWN: u64 = 365 * 86_400;

/// Every parameter governance sets with `setParams`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Params {
    /// Seconds per epoch (for epochs that start after the change).
    pub epoch_length: u64,
    /// Share of an epoch's budget for the validators, in basis points (the rest is the model
    /// side).
    pub validator_bps: u64,
    /// Share of the model side for the champion's owner, in basis points (the rest goes to
    /// the nominated models by rank).
    pub champion_bps: u64,
    /// Models paid by rank (0 to [`MAX_TOP_N`]).
    pub top_n: u64,
    /// Sessions a validator reveals in per epoch for full participation (at least one).
    pub participation_target: u64,
    /// Epochs after its close during which an epoch's validator rewards can be claimed (1 to
    /// [`MAX_CLAIM_EPOCHS`]); afterwards the leftover can be swept back to the reserve.
    pub claim_epochs: u64,
    /// Agreement average below which a validator can be jailed (1e18 = 1; zero disables
    /// jailing).
    pub agreement_threshold: u64,
    /// Sessions a low agreement must last to allow a jail (at least one).
    pub low_sessions: u64,
    /// Seconds a jailed validator waits before it can be released.
    pub jail_cooldown: u64,
}

impl Default for Params {
    /// Weekly epochs, 60% to validators, half the model side to the champion, top 3, four
    /// sessions per epoch, four epochs to claim, jail below 50% agreement over five sessions
    /// with a one-week cool-down.
    fn default() -> Self {
        Params {
            epoch_length: 7 * 86_400,
            validator_bps: 6_000,
            champion_bps: 5_000,
            top_n: 3,
            participation_target: 4,
            claim_epochs: 4,
            agreement_threshold: ONE / 2,
            low_sessions: 5,
            jail_cooldown: 7 * 86_400,
        }
    }
}

impl Params {
    /// Lanes: epoch length, agreement threshold, jail cool-down | participation target << 32,
    /// validator bps | champion bps << 16 | top N << 32 | claim epochs << 40 | low sessions
    /// << 48 (every value within its bound fits its bits).
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.epoch_length,
            self.agreement_threshold,
            self.jail_cooldown | self.participation_target << 32,
            self.validator_bps
                | self.champion_bps << 16
                | self.top_n << 32
                | self.claim_epochs << 40
                | self.low_sessions << 48,
        ])
    }

    /// Inverse of [`Self::pack`].
    pub fn unpack(word: U256) -> Self {
        let l = word.as_limbs();
        Params {
            epoch_length: l[0],
            agreement_threshold: l[1],
            jail_cooldown: l[2] & 0xffff_ffff,
            participation_target: l[2] >> 32,
            validator_bps: l[3] & 0xffff,
            champion_bps: (l[3] >> 16) & 0xffff,
            top_n: (l[3] >> 32) & 0xff,
            claim_epochs: (l[3] >> 40) & 0xff,
            low_sessions: l[3] >> 48,
        }
    }

    /// The index (in `setParams` order) of the first parameter out of range, if any.
    pub fn first_out_of_range(&self) -> Option<u8> {
        let checks = [
            (MIN_EPOCH_LENGTH..=MAX_EPOCH_LENGTH).contains(&self.epoch_length),
            self.validator_bps <= 10_000,
            self.champion_bps <= 10_000,
            self.top_n <= MAX_TOP_N,
            (1..=u64::from(u32::MAX)).contains(&self.participation_target),
            (1..=MAX_CLAIM_EPOCHS).contains(&self.claim_epochs),
            self.agreement_threshold <= ONE,
            (1..=u64::from(u16::MAX)).contains(&self.low_sessions),
            self.jail_cooldown <= MAX_JAIL_COOLDOWN,
        ];
        checks.iter().position(|ok| !ok).map(|i| i as u8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extremes_round_trip_and_bounds_hold() {
        let max = Params {
            epoch_length: MAX_EPOCH_LENGTH,
            validator_bps: 10_000,
            champion_bps: 10_000,
            top_n: MAX_TOP_N,
            participation_target: u64::from(u32::MAX),
            claim_epochs: MAX_CLAIM_EPOCHS,
            agreement_threshold: ONE,
            low_sessions: u64::from(u16::MAX),
            jail_cooldown: MAX_JAIL_COOLDOWN,
        };
        assert_eq!(max.first_out_of_range(), None);
        assert_eq!(Params::unpack(max.pack()), max);
        let default = Params::default();
        assert_eq!(default.first_out_of_range(), None);
        assert_eq!(Params::unpack(default.pack()), default);
        let bad = [
            Params {
                epoch_length: MIN_EPOCH_LENGTH - 1,
                ..default
            },
            Params {
                validator_bps: 10_001,
                ..default
            },
            Params {
                champion_bps: 10_001,
                ..default
            },
            Params {
                top_n: MAX_TOP_N + 1,
                ..default
            },
            Params {
                participation_target: 0,
                ..default
            },
            Params {
                claim_epochs: 0,
                ..default
            },
            Params {
                agreement_threshold: ONE + 1,
                ..default
            },
            Params {
                low_sessions: 0,
                ..default
            },
            Params {
                jail_cooldown: MAX_JAIL_COOLDOWN + 1,
                ..default
            },
        ];
        for (i, params) in bad.iter().enumerate() {
            assert_eq!(params.first_out_of_range(), Some(i as u8));
        }
    }
}
