//! Reentrancy guard for functions that move funds.
//!
//! stylus-sdk 0.10 already reverts on re-entry unless a contract enables the SDK's `reentrant`
//! feature; contracts that must be re-entrant (the SubDAO executes calls to itself) use this
//! guard around every function that makes an external call while funds are in flight.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::StorageBool;

use crate::errors::ReentrantCall;

/// A lock flag in storage.
#[storage]
pub struct ReentrancyGuard {
    /// True while a guarded function is executing.
    locked: StorageBool,
}

impl ReentrancyGuard {
    /// Takes the lock.
    ///
    /// # Errors
    /// [`ReentrantCall`] if the lock is already held.
    pub fn enter<E: From<ReentrantCall>>(&mut self) -> Result<(), E> {
        if self.locked.get() {
            return Err(ReentrantCall {}.into());
        }
        self.locked.set(true);
        Ok(())
    }

    /// Releases the lock. Call it on every path after [`ReentrancyGuard::enter`] succeeded;
    /// a revert undoes the lock together with everything else.
    pub fn exit(&mut self) {
        self.locked.set(false);
    }

    /// Whether a guarded function is running.
    pub fn is_locked(&self) -> bool {
        self.locked.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stylus_sdk::testing::TestVM;

    #[test]
    fn enter_twice_fails_until_exit() {
        let vm = TestVM::default();
        let mut guard = ReentrancyGuard::from(&vm);
        assert!(!guard.is_locked());
        guard.enter::<ReentrantCall>().unwrap();
        assert!(guard.is_locked());
        assert_eq!(guard.enter::<ReentrantCall>(), Err(ReentrantCall {}));
        guard.exit();
        assert!(guard.enter::<ReentrantCall>().is_ok());
    }
}
