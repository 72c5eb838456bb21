//! Bounds of the governance settings.
//!
//! The bounds keep every timestamp sum (`now + delay + period`, `eta + grace`) far below
//! `u64::MAX`, so the timeline arithmetic cannot overflow, and keep a captured SubDAO from
//! setting windows so long that governance freezes for years.
use alloy_primitives::{Address, U256};

use agentdao_common::errors::BpsOutOfRange;
use agentdao_common::math::{check_bps, BPS_DENOMINATOR};

use crate::sol::InvalidDuration;

/// The SubDAO's adjustable settings (everything but the vault).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Elo ledger targeted by model-upgrade proposals (zero: not wired).
    pub elo_ledger: Address,
    /// Seconds from proposal to snapshot.
    pub voting_delay: u64,
    /// Seconds of voting after the snapshot.
    pub voting_period: u64,
    /// Votes a proposer needs (and at least one).
    pub proposal_threshold: U256,
    /// Quorum of new proposals, basis points of the total power at the snapshot.
    pub quorum_bps: u64,
    /// Seconds from queue to earliest execution.
    pub timelock_delay: u64,
    /// Seconds a queued proposal stays executable.
    pub grace_period: u64,
}

impl Settings {
    /// Checks every bound.
    ///
    /// # Errors
    /// [`InvalidDuration`] or [`BpsOutOfRange`] for the first value out of bounds.
    pub fn check<E>(&self) -> Result<(), E>
    where
        E: From<InvalidDuration> + From<BpsOutOfRange>,
    {
        check_voting_delay(self.voting_delay)?;
        check_voting_period(self.voting_period)?;
        check_bps::<E>(self.quorum_bps, BPS_DENOMINATOR)?;
        check_timelock_delay(self.timelock_delay)?;
        check_grace_period(self.grace_period)?;
        Ok(())
    }

    /// The windows and the quorum packed into one storage word: limb 0 holds the voting delay
    /// (low 32 bits) and period (high 32 bits), limb 1 the timelock delay and grace period the
    /// same way, limb 2 the quorum. Lossless for checked settings: every window is below 2^32.
    /// Limb 3 carries `proposal_count`, which is not a setting but shares the slot (proposing
    /// reads the settings and bumps the count in one load and one store).
    pub fn pack(&self, proposal_count: u64) -> U256 {
        U256::from_limbs([
            self.voting_delay | self.voting_period << 32,
            self.timelock_delay | self.grace_period << 32,
            self.quorum_bps,
            proposal_count,
        ])
    }

    /// The proposal count stored in a packed word (see [`Settings::pack`]).
    pub fn packed_count(word: U256) -> u64 {
        word.as_limbs()[3]
    }

    /// The settings from their packed word, the Elo ledger and the threshold.
    pub fn unpack(word: U256, elo_ledger: Address, proposal_threshold: U256) -> Self {
        let [windows, timelock, quorum_bps, _] = word.into_limbs();
        let low = |limb: u64| limb & 0xffff_ffff;
        Self {
            elo_ledger,
            voting_delay: low(windows),
            voting_period: windows >> 32,
            proposal_threshold,
            quorum_bps,
            timelock_delay: low(timelock),
            grace_period: timelock >> 32,
        }
    }
}

/// One day in seconds.
pub const DAY: u64 = 86_400;
/// Longest voting delay: 30 days.
pub const MAX_VOTING_DELAY: u64 = 30 * DAY;
/// Longest voting period: 90 days (the shortest is one second).
pub const MAX_VOTING_PERIOD: u64 = 90 * DAY;
/// Longest timelock delay: 30 days.
pub const MAX_TIMELOCK_DELAY: u64 = 30 * DAY;
/// Longest grace period: 90 days (the shortest is one second).
pub const MAX_GRACE_PERIOD: u64 = 90 * DAY;

/// Checks a voting delay.
///
/// # Errors
/// [`InvalidDuration`] above [`MAX_VOTING_DELAY`].
pub fn check_voting_delay(delay: u64) -> Result<(), InvalidDuration> {
    check_duration(delay, false, MAX_VOTING_DELAY)
}

/// Checks a voting period.
///
/// # Errors
/// [`InvalidDuration`] if zero or above [`MAX_VOTING_PERIOD`].
pub fn check_voting_period(period: u64) -> Result<(), InvalidDuration> {
    check_duration(period, true, MAX_VOTING_PERIOD)
}

/// Checks a timelock delay.
///
/// # Errors
/// [`InvalidDuration`] above [`MAX_TIMELOCK_DELAY`].
pub fn check_timelock_delay(delay: u64) -> Result<(), InvalidDuration> {
    check_duration(delay, false, MAX_TIMELOCK_DELAY)
}

/// Checks a grace period.
///
/// # Errors
/// [`InvalidDuration`] if zero or above [`MAX_GRACE_PERIOD`].
pub fn check_grace_period(period: u64) -> Result<(), InvalidDuration> {
    check_duration(period, true, MAX_GRACE_PERIOD)
}

fn check_duration(value: u64, nonzero: bool, max: u64) -> Result<(), InvalidDuration> {
    if value > max || (nonzero && value == 0) {
        return Err(InvalidDuration { value, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert!(check_voting_delay(0).is_ok());
        assert!(check_voting_delay(MAX_VOTING_DELAY).is_ok());
        assert_eq!(
            check_voting_delay(MAX_VOTING_DELAY + 1),
            Err(InvalidDuration {
                value: MAX_VOTING_DELAY + 1,
                max: MAX_VOTING_DELAY
            })
        );
        assert!(check_voting_period(1).is_ok());
        assert!(check_voting_period(0).is_err());
        assert!(check_voting_period(MAX_VOTING_PERIOD + 1).is_err());
        assert!(check_timelock_delay(0).is_ok());
        assert!(check_timelock_delay(MAX_TIMELOCK_DELAY + 1).is_err());
        assert!(check_grace_period(0).is_err());
        assert!(check_grace_period(1).is_ok());
        assert!(check_grace_period(MAX_GRACE_PERIOD + 1).is_err());
    }

    #[test]
    fn packing_round_trips_at_the_bounds() {
        assert!(MAX_VOTING_PERIOD.max(MAX_GRACE_PERIOD) < 1 << 32);
        let max = Settings {
            elo_ledger: Address::repeat_byte(9),
            voting_delay: MAX_VOTING_DELAY,
            voting_period: MAX_VOTING_PERIOD,
            proposal_threshold: U256::MAX,
            quorum_bps: BPS_DENOMINATOR,
            timelock_delay: MAX_TIMELOCK_DELAY,
            grace_period: MAX_GRACE_PERIOD,
        };
        let min = Settings {
            elo_ledger: Address::ZERO,
            voting_delay: 0,
            voting_period: 1,
            proposal_threshold: U256::ZERO,
            quorum_bps: 0,
            timelock_delay: 0,
            grace_period: 1,
        };
        for s in [max, min] {
            assert!(s.check::<CheckError>().is_ok());
            let word = s.pack(u64::MAX);
            assert_eq!(
                Settings::unpack(word, s.elo_ledger, s.proposal_threshold),
                s
            );
            assert_eq!(Settings::packed_count(word), u64::MAX);
            assert_eq!(Settings::packed_count(s.pack(7)), 7);
        }
    }

    #[derive(Debug)]
    enum CheckError {
        Duration,
        Bps,
    }
    impl From<InvalidDuration> for CheckError {
        fn from(_: InvalidDuration) -> Self {
            Self::Duration
        }
    }
    impl From<BpsOutOfRange> for CheckError {
        fn from(_: BpsOutOfRange) -> Self {
            Self::Bps
        }
    }

    #[test]
    fn check_reports_the_first_bad_value() {
        let mut s = Settings {
            elo_ledger: Address::ZERO,
            voting_delay: 0,
            voting_period: 0,
            proposal_threshold: U256::ZERO,
            quorum_bps: 10_001,
            timelock_delay: 0,
            grace_period: 1,
        };
        assert!(matches!(s.check::<CheckError>(), Err(CheckError::Duration)));
        s.voting_period = 1;
        assert!(matches!(s.check::<CheckError>(), Err(CheckError::Bps)));
    }

    #[test]
    fn timeline_sums_cannot_overflow() {
        let worst = u64::from(u32::MAX) * 1000; // a timestamp far in the future
        let end = worst + MAX_VOTING_DELAY + MAX_VOTING_PERIOD + MAX_TIMELOCK_DELAY;
        assert!(end.checked_add(MAX_GRACE_PERIOD).is_some());
    }
}
