//! The chain's clock: block timestamps follow the wall clock plus an offset that
//! `evm_increaseTime` moves and an explicitly chosen timestamp (`evm_setNextBlockTimestamp`,
//! `evm_mine`) resets.

use std::time::{SystemTime, UNIX_EPOCH};

use super::{Chain, ChainError};

/// Seconds since the Unix epoch now.
pub(super) fn wall_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Chain {
    /// Fails unless `timestamp` is at or after the latest block's.
    pub(super) fn check_timestamp(&self, timestamp: u64) -> Result<(), ChainError> {
        let latest = self.latest().header.timestamp;
        if timestamp < latest {
            return Err(ChainError::InvalidArgument(format!(
                "timestamp {timestamp} is lower than the previous block's timestamp {latest}"
            )));
        }
        Ok(())
    }

    /// The next block's timestamp: `forced`, else the one fixed by
    /// [`Chain::set_next_block_timestamp`], else the offset wall clock (never before the parent).
    pub(super) fn next_timestamp(&mut self, forced: Option<u64>) -> u64 {
        let parent = self.latest().header.timestamp;
        let chosen = forced
            .or(self.data.next_timestamp.take())
            .unwrap_or_else(|| {
                let now = wall_clock().saturating_add_signed(self.data.time_offset);
                now.max(parent)
            });
        // Keep the clock moving on from an explicitly chosen time.
        if forced.is_some() || chosen != parent {
            self.data.time_offset = chosen as i64 - wall_clock() as i64;
        }
        chosen
    }

    /// Moves the clock forward by `seconds`; returns the total offset from the wall clock.
    pub fn increase_time(&mut self, seconds: u64) -> i64 {
        self.data.time_offset = self.data.time_offset.saturating_add(seconds as i64);
        self.changed = true;
        self.data.time_offset
    }

    /// Fixes the timestamp of the next block.
    ///
    /// # Errors
    /// [`ChainError::InvalidArgument`] when it is before the latest block's timestamp.
    pub fn set_next_block_timestamp(&mut self, timestamp: u64) -> Result<(), ChainError> {
        self.check_timestamp(timestamp)?;
        self.data.next_timestamp = Some(timestamp);
        self.changed = true;
        Ok(())
    }
}
