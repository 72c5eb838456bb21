//! ArbOS 60's per-block cache of recently called programs (geth's `RecentWasms`): a program
//! called again within the same block, while it is among the block's most recent
//! `BlockCacheSize` (32) programs, pays its cached init gas as if it were cached.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
};

use revm::primitives::B256;

/// How many distinct programs a block remembers (`initialRecentCacheSize`).
pub const BLOCK_CACHE_SIZE: u16 = 32;

/// The ArbOS version from which the recent-program cache applies.
pub const RECENT_CACHE_ARBOS_VERSION: u64 = 60;

/// The recently called programs of one block, most recent last, shared by its transactions.
#[derive(Clone, Debug, Default)]
pub struct RecentPrograms(Arc<Mutex<VecDeque<B256>>>);

impl RecentPrograms {
    /// Records a call of `code_hash`, keeping the `retain` most recent programs (at least one),
    /// and says whether it was already among them (geth `RecentWasms.Insert`).
    pub fn insert(&self, code_hash: B256, retain: u16) -> bool {
        let mut recent = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(position) = recent.iter().position(|hash| *hash == code_hash) {
            recent.remove(position);
            recent.push_back(code_hash);
            return true;
        }
        if recent.len() >= usize::from(retain.max(1)) {
            recent.pop_front();
        }
        recent.push_back(code_hash);
        false
    }

    fn snapshot(&self) -> Vec<B256> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .copied()
            .collect()
    }
}

impl PartialEq for RecentPrograms {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.snapshot() == other.snapshot()
    }
}

impl Eq for RecentPrograms {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_most_recent_programs_of_a_block() {
        let recent = RecentPrograms::default();
        let hash = |n: u8| B256::repeat_byte(n);
        assert!(!recent.insert(hash(1), 2));
        assert!(recent.insert(hash(1), 2));
        assert!(!recent.insert(hash(2), 2));
        // Touching 1 makes 2 the oldest, so 3 pushes 2 out.
        assert!(recent.insert(hash(1), 2));
        assert!(!recent.insert(hash(3), 2));
        assert!(!recent.insert(hash(2), 2));
        assert!(recent.insert(hash(3), 2));
        assert!(!recent.insert(hash(1), 2));
        assert_eq!(recent.snapshot(), vec![hash(3), hash(1)]);
        // A clone is the same block's cache.
        let shared = recent.clone();
        assert!(shared.insert(hash(3), 2));
        assert_eq!(shared, recent);
    }
}
