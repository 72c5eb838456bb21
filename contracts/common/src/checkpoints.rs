//! Timestamped checkpoints of a value (voting power, total supply, ratings), searchable by time.
//!
//! Semantics follow OpenZeppelin's `Checkpoints.Trace208` with an ERC-6372 timestamp clock:
//! - each checkpoint is `(key, value)` where `key` is a `uint48` timestamp and `value` the amount
//!   in force from that second on; keys are non-decreasing;
//! - several writes in the same second overwrite the last checkpoint, so a lookup for a past
//!   second returns the value as it stood at the *end* of that second;
//! - [`Checkpoints::upper_lookup`] returns the value of the last checkpoint with `key <= t`
//!   (zero before the first one) by binary search, `O(log n)` storage reads.
//!
//! A checkpoint is packed into one storage slot (48-bit key + 208-bit value), so a push costs one
//! slot write and each search step one slot read. Values above `2^208 - 1` are rejected with
//! [`ArithmeticOverflow`] rather than truncated.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Uint, U256};
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageUint, StorageVec};

use crate::errors::ArithmeticOverflow;

/// The 208-bit value stored next to a 48-bit key in one slot.
type U208 = Uint<208, 4>;

/// Largest timestamp a checkpoint key can hold (`uint48`).
pub const MAX_KEY: u64 = (1 << 48) - 1;

sol! {
    /// A checkpoint was pushed with `key` older than the last one, `last`.
    #[derive(Debug, PartialEq, Eq)]
    error CheckpointUnorderedInsertion(uint256 last, uint256 key);
}

/// One `(key, value)` pair, packed into a single slot.
#[storage]
pub struct Checkpoint {
    /// Timestamp from which `value` holds.
    key: StorageUint<48, 1>,
    /// The value in force from `key` on.
    value: StorageUint<208, 4>,
}

/// A history of values ordered by timestamp.
#[storage]
pub struct Checkpoints {
    /// Checkpoints in non-decreasing key order.
    trace: StorageVec<Checkpoint>,
}

impl Checkpoints {
    /// Records `value` as in force from `key` on. Overwrites the last checkpoint if it has the
    /// same key. Returns the previous latest value.
    ///
    /// # Errors
    /// [`CheckpointUnorderedInsertion`] if `key` is before the last checkpoint's key;
    /// [`ArithmeticOverflow`] if `key > MAX_KEY` or `value` does not fit in 208 bits.
    pub fn push<E>(&mut self, key: u64, value: U256) -> Result<U256, E>
    where
        E: From<ArithmeticOverflow> + From<CheckpointUnorderedInsertion>,
    {
        if key > MAX_KEY || value.bit_len() > 208 {
            return Err(ArithmeticOverflow {}.into());
        }
        let packed = U208::from_limbs_slice(value.as_limbs());
        let len = self.trace.len();
        if len > 0 {
            let mut last = self.trace.setter(len - 1).expect("index below len");
            let last_key: u64 = last.key.get().to();
            if key < last_key {
                return Err(CheckpointUnorderedInsertion {
                    last: U256::from(last_key),
                    key: U256::from(key),
                }
                .into());
            }
            let previous = U256::from(last.value.get());
            if key == last_key {
                last.value.set(packed);
                return Ok(previous);
            }
            drop(last);
            self.append(key, packed);
            return Ok(previous);
        }
        self.append(key, packed);
        Ok(U256::ZERO)
    }

    /// Adds `delta` to the latest value (at `key`). Returns the new value.
    ///
    /// # Errors
    /// As [`Checkpoints::push`], and [`ArithmeticOverflow`] on overflow.
    pub fn add<E>(&mut self, key: u64, delta: U256) -> Result<U256, E>
    where
        E: From<ArithmeticOverflow> + From<CheckpointUnorderedInsertion>,
    {
        let new = self
            .latest()
            .checked_add(delta)
            .ok_or(ArithmeticOverflow {})?;
        self.push::<E>(key, new)?;
        Ok(new)
    }

    /// Subtracts `delta` from the latest value (at `key`). Returns the new value.
    ///
    /// # Errors
    /// As [`Checkpoints::push`], and [`ArithmeticOverflow`] on underflow.
    pub fn sub<E>(&mut self, key: u64, delta: U256) -> Result<U256, E>
    where
        E: From<ArithmeticOverflow> + From<CheckpointUnorderedInsertion>,
    {
        let new = self
            .latest()
            .checked_sub(delta)
            .ok_or(ArithmeticOverflow {})?;
        self.push::<E>(key, new)?;
        Ok(new)
    }

    /// The most recent value, zero if there is no checkpoint.
    pub fn latest(&self) -> U256 {
        let len = self.trace.len();
        if len == 0 {
            return U256::ZERO;
        }
        let last = self.trace.getter(len - 1).expect("index below len");
        U256::from(last.value.get())
    }

    /// The value of the last checkpoint with `checkpoint.key <= key`, zero if none.
    pub fn upper_lookup(&self, key: u64) -> U256 {
        // Invariant: every index < low has key <= `key`, every index >= high has key > `key`.
        let mut low = 0usize;
        let mut high = self.trace.len();
        while low < high {
            let mid = low + (high - low) / 2;
            let probe = self.trace.getter(mid).expect("index below len");
            let probe_key: u64 = probe.key.get().to();
            if probe_key > key {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        if high == 0 {
            return U256::ZERO;
        }
        let found = self.trace.getter(high - 1).expect("index below len");
        U256::from(found.value.get())
    }

    /// Number of checkpoints.
    pub fn len(&self) -> usize {
        self.trace.len()
    }

    /// Whether there is no checkpoint.
    pub fn is_empty(&self) -> bool {
        self.trace.is_empty()
    }

    /// The checkpoint at `index` as `(key, value)`, `None` past the end.
    pub fn at(&self, index: usize) -> Option<(u64, U256)> {
        let checkpoint = self.trace.getter(index)?;
        Some((
            checkpoint.key.get().to(),
            U256::from(checkpoint.value.get()),
        ))
    }

    fn append(&mut self, key: u64, value: U208) {
        let mut slot = self.trace.grow();
        slot.key.set(Uint::from(key));
        slot.value.set(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use stylus_sdk::testing::TestVM;

    #[derive(Debug, PartialEq)]
    enum Err {
        Overflow(ArithmeticOverflow),
        Unordered(CheckpointUnorderedInsertion),
    }
    impl From<ArithmeticOverflow> for Err {
        fn from(e: ArithmeticOverflow) -> Self {
            Err::Overflow(e)
        }
    }
    impl From<CheckpointUnorderedInsertion> for Err {
        fn from(e: CheckpointUnorderedInsertion) -> Self {
            Err::Unordered(e)
        }
    }

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn empty_trace_reads_zero() {
        let vm = TestVM::default();
        let c = Checkpoints::from(&vm);
        assert!(c.is_empty());
        assert_eq!(c.latest(), U256::ZERO);
        assert_eq!(c.upper_lookup(0), U256::ZERO);
        assert_eq!(c.upper_lookup(u64::MAX), U256::ZERO);
        assert_eq!(c.at(0), None);
    }

    #[test]
    fn same_second_updates_one_checkpoint() {
        let vm = TestVM::default();
        let mut c = Checkpoints::from(&vm);
        assert_eq!(c.push::<Err>(10, u(5)), Ok(U256::ZERO));
        assert_eq!(c.push::<Err>(10, u(7)), Ok(u(5)));
        assert_eq!(c.add::<Err>(10, u(3)), Ok(u(10)));
        assert_eq!(c.len(), 1);
        assert_eq!(c.at(0), Some((10, u(10))));
        assert_eq!(c.sub::<Err>(11, u(4)), Ok(u(6)));
        assert_eq!(c.len(), 2);
        assert_eq!(c.upper_lookup(9), U256::ZERO);
        assert_eq!(c.upper_lookup(10), u(10));
        assert_eq!(c.upper_lookup(11), u(6));
        assert_eq!(c.upper_lookup(1_000), u(6));
    }

    #[test]
    fn rejects_out_of_order_and_oversized() {
        let vm = TestVM::default();
        let mut c = Checkpoints::from(&vm);
        c.push::<Err>(10, u(1)).unwrap();
        assert_eq!(
            c.push::<Err>(9, u(2)),
            Err(Err::Unordered(CheckpointUnorderedInsertion {
                last: u(10),
                key: u(9)
            }))
        );
        let too_big = U256::from(1) << 208;
        assert_eq!(
            c.push::<Err>(11, too_big),
            Err(Err::Overflow(ArithmeticOverflow {}))
        );
        assert_eq!(
            c.push::<Err>(MAX_KEY + 1, u(1)),
            Err(Err::Overflow(ArithmeticOverflow {}))
        );
        assert_eq!(
            c.sub::<Err>(11, u(2)),
            Err(Err::Overflow(ArithmeticOverflow {}))
        );
        // Nothing changed.
        assert_eq!(c.len(), 1);
        assert_eq!(c.latest(), u(1));
        // The largest representable value round-trips.
        let max = too_big - U256::from(1);
        c.push::<Err>(MAX_KEY, max).unwrap();
        assert_eq!(c.upper_lookup(MAX_KEY), max);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        /// Random pushes (with repeated seconds) against a plain `Vec` model: every lookup agrees.
        #[test]
        fn lookup_matches_linear_model(
            steps in proptest::collection::vec((0u64..3, 0u64..1_000_000), 1..60),
            probes in proptest::collection::vec(0u64..400, 1..20),
        ) {
            let vm = TestVM::default();
            let mut c = Checkpoints::from(&vm);
            let mut model: Vec<(u64, U256)> = Vec::new();
            let mut now = 1u64;
            for (gap, value) in steps {
                now += gap;
                c.push::<Err>(now, u(value)).unwrap();
                match model.last_mut() {
                    Some(last) if last.0 == now => last.1 = u(value),
                    _ => model.push((now, u(value))),
                }
            }
            prop_assert_eq!(c.len(), model.len());
            prop_assert_eq!(c.latest(), model.last().unwrap().1);
            for t in probes {
                let want = model.iter().rev().find(|(k, _)| *k <= t).map_or(U256::ZERO, |p| p.1);
                prop_assert_eq!(c.upper_lookup(t), want);
            }
        }
    }
}
