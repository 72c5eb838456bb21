//! Small fields packed into single storage words.
//!
//! Every field of a `#[storage]` struct costs code in the struct's constructor (its slot is
//! computed with 256-bit arithmetic each time the struct is reached through a map), so the
//! validator's small fields and the vault's parameters live in one `uint256` word each, read and
//! written whole through the plain structs below (one `SLOAD`/`SSTORE` for all of them, too).
use alloy_primitives::U256;

/// Validator status: not registered.
pub const UNREGISTERED: u8 = 0;
/// Validator status: registered and active.
pub const ACTIVE: u8 = 1;
/// Validator status: registered and jailed.
pub const JAILED: u8 = 2;

/// A validator's small fields. Word layout (limbs, least significant first):
/// `[status | commission << 8 | pending_commission << 24, pending_at, list_position,
/// queue_head]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidatorMeta {
    /// [`UNREGISTERED`], [`ACTIVE`] or [`JAILED`] (jailed: zero voting power, no new stake).
    pub status: u8,
    /// Commission on rewards, in basis points.
    pub commission: u16,
    /// Announced commission, valid when `pending_at` is non-zero.
    pub pending_commission: u16,
    /// Earliest time the announced commission applies; zero when none is announced.
    pub pending_at: u64,
    /// Position in the validator list plus one (zero when not listed).
    pub list_position: u64,
    /// Index in the validator's unbonding queue of the first entry not yet released.
    pub queue_head: u64,
}

impl ValidatorMeta {
    /// Reads the fields from their storage word.
    pub fn unpack(word: U256) -> Self {
        let limbs = word.as_limbs();
        Self {
            status: limbs[0] as u8,
            commission: (limbs[0] >> 8) as u16,
            pending_commission: (limbs[0] >> 24) as u16,
            pending_at: limbs[1],
            list_position: limbs[2],
            queue_head: limbs[3],
        }
    }

    /// The storage word of the fields.
    pub fn pack(&self) -> U256 {
        let flags = u64::from(self.status)
            | u64::from(self.commission) << 8
            | u64::from(self.pending_commission) << 24;
        U256::from_limbs([flags, self.pending_at, self.list_position, self.queue_head])
    }

    /// Whether the validator is registered (jailed or not).
    pub fn registered(&self) -> bool {
        self.status != UNREGISTERED
    }

    /// Whether the validator is jailed.
    pub fn jailed(&self) -> bool {
        self.status == JAILED
    }

    /// The commission in force at `now` once a due announcement is applied.
    pub fn effective_commission(&self, now: u64) -> u16 {
        if self.pending_at != 0 && now >= self.pending_at {
            self.pending_commission
        } else {
            self.commission
        }
    }
}

/// The vault's governance-set parameters. Word layout (limbs): `[unbonding_period,
/// max_commission_bps, max_slash_bps, 0]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// Seconds an unstake waits before withdrawal.
    pub unbonding_period: u64,
    /// Highest commission a validator may set, in basis points.
    pub max_commission_bps: u64,
    /// Highest slash governance may apply at once, in basis points.
    pub max_slash_bps: u64,
}

impl Params {
    /// Reads the parameters from their storage word.
    pub fn unpack(word: U256) -> Self {
        let limbs = word.as_limbs();
        Self {
            unbonding_period: limbs[0],
            max_commission_bps: limbs[1],
            max_slash_bps: limbs[2],
        }
    }

    /// The storage word of the parameters.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.unbonding_period,
            self.max_commission_bps,
            self.max_slash_bps,
            0,
        ])
    }
}

/// An unbonding entry's maturity and state in one `u64` (`maturity << 8 | state`); maturities
/// are timestamps far below `2^56`.
pub fn entry_stamp(maturity: u64, state: u8) -> u64 {
    maturity << 8 | u64::from(state)
}

/// `(maturity, state)` of an entry stamp.
pub fn entry_unstamp(stamp: u64) -> (u64, u8) {
    (stamp >> 8, stamp as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn validator_meta_round_trips(
            status in 0u8..3,
            commission in any::<u16>(),
            pending_commission in any::<u16>(),
            pending_at in any::<u64>(),
            list_position in any::<u64>(),
            queue_head in any::<u64>(),
        ) {
            let meta = ValidatorMeta {
                status,
                commission,
                pending_commission,
                pending_at,
                list_position,
                queue_head,
            };
            prop_assert_eq!(ValidatorMeta::unpack(meta.pack()), meta);
        }

        #[test]
        fn params_and_stamps_round_trip(
            unbonding_period in any::<u64>(),
            max_commission_bps in 0u64..=10_000,
            max_slash_bps in 0u64..=10_000,
            maturity in 0u64..1 << 56,
            state in any::<u8>(),
        ) {
            let params = Params { unbonding_period, max_commission_bps, max_slash_bps };
            prop_assert_eq!(Params::unpack(params.pack()), params);
            prop_assert_eq!(entry_unstamp(entry_stamp(maturity, state)), (maturity, state));
        }
    }

    #[test]
    fn effective_commission_switches_at_the_announced_time() {
        let meta = ValidatorMeta {
            status: ACTIVE,
            commission: 1_000,
            pending_commission: 1_200,
            pending_at: 50,
            ..ValidatorMeta::default()
        };
        assert_eq!(meta.effective_commission(49), 1_000);
        assert_eq!(meta.effective_commission(50), 1_200);
        let none = ValidatorMeta {
            pending_at: 0,
            ..meta
        };
        assert_eq!(none.effective_commission(u64::MAX), 1_000);
        assert!(meta.registered() && !meta.jailed());
        assert!(!ValidatorMeta::default().registered());
    }
}
