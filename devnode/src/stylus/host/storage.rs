//! Storage, transient storage and logs: what a program reads from and writes to the state.
//!
//! Storage goes through the frame's cache (Nitro `StorageCache`): loads are cached, stores only
//! write the cache, and `storage_flush_cache` hands the dirty slots to the EVM. Writes (a flush
//! with dirty slots, a transient store, a log) fail in a static call.

use revm::primitives::{Bytes, B256};
use wasmi::Linker;

use super::{
    support::{
        buy_gas, buy_ink, failure, hooks, ptr, read_bytes, read_word, require_gas, write_bytes,
        yield_request, Ctx, HostResult,
    },
    CacheSlot, HostState, Request,
};
use crate::stylus::ink::{self, HOSTIO_INK, PTR_INK};

/// `StorageCache::REQUIRED_ACCESS_GAS`.
const REQUIRED_ACCESS_GAS: u64 = 10;
/// EIP-2200 sentry.
const SSTORE_SENTRY_GAS: u64 = 2_300;
/// EIP-2929 cold SLOAD.
const COLD_SLOAD_GAS: u64 = 2_100;
/// EVM API cost of an SLOAD miss (ArbOS >= 32).
pub const SLOAD_API_GAS: u64 = 5;

/// Nitro's storage read gas schedule: reads 1-32 are free, 33-128 cost 2, later ones 10.
fn read_gas(reads: u64) -> u64 {
    match reads {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// Nitro's storage write gas schedule: writes 1-8 are free, 9-64 cost 7, later ones 10.
fn write_gas(writes: u64) -> u64 {
    match writes {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// Links the storage, transient-storage and log host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hooks!(
        linker,
        "vm_hooks",
        [
            storage_load_bytes32,
            storage_cache_bytes32,
            storage_flush_cache,
            transient_load_bytes32,
            transient_store_bytes32,
            emit_log
        ]
    );
}

fn storage_load_bytes32(mut c: Ctx<'_>, key: i32, dest: i32) -> HostResult<()> {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
    require_gas(&mut c, COLD_SLOAD_GAS + REQUIRED_ACCESS_GAS + SLOAD_API_GAS)?;
    let key = read_word(&c, ptr(key))?;
    c.data_mut().reads += 1;
    let reads = c.data().reads;
    buy_gas(&mut c, read_gas(reads))?;
    match c.data().cache.get(&key).copied() {
        Some(slot) => write_bytes(&mut c, ptr(dest), slot.value.as_slice()),
        None => Err(yield_request(
            &mut c,
            Request::StorageLoad {
                key,
                dest: ptr(dest),
            },
        )),
    }
}

fn storage_cache_bytes32(mut c: Ctx<'_>, key: i32, value: i32) -> HostResult<()> {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
    require_gas(&mut c, SSTORE_SENTRY_GAS + REQUIRED_ACCESS_GAS)?;
    let key = read_word(&c, ptr(key))?;
    let value = read_word(&c, ptr(value))?;
    c.data_mut().writes += 1;
    let writes = c.data().writes;
    buy_gas(&mut c, write_gas(writes))?;
    let slot = c
        .data_mut()
        .cache
        .entry(key)
        .or_insert(CacheSlot { value, known: None });
    slot.value = value;
    Ok(())
}

fn storage_flush_cache(mut c: Ctx<'_>, clear: i32) -> HostResult<()> {
    buy_ink(&mut c, HOSTIO_INK + ink::EVM_API_INK)?;
    require_gas(&mut c, SSTORE_SENTRY_GAS)?;
    let state = c.data_mut();
    let mut slots = Vec::new();
    for (key, slot) in &mut state.cache {
        if slot.known != Some(slot.value) {
            slots.push((*key, slot.value));
            slot.known = Some(slot.value);
        }
    }
    if clear != 0 {
        state.cache.clear();
    }
    if slots.is_empty() {
        return Ok(());
    }
    if state.is_static {
        return Err(failure("write protection: storage flush in a static call"));
    }
    Err(yield_request(&mut c, Request::Flush { slots }))
}

fn transient_load_bytes32(mut c: Ctx<'_>, key: i32, dest: i32) -> HostResult<()> {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
    buy_gas(&mut c, 100)?;
    let key = read_word(&c, ptr(key))?;
    Err(yield_request(
        &mut c,
        Request::TransientLoad {
            key,
            dest: ptr(dest),
        },
    ))
}

fn transient_store_bytes32(mut c: Ctx<'_>, key: i32, value: i32) -> HostResult<()> {
    buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
    buy_gas(&mut c, 100)?;
    if c.data().is_static {
        return Err(failure(
            "write protection: transient store in a static call",
        ));
    }
    let key = read_word(&c, ptr(key))?;
    let value = read_word(&c, ptr(value))?;
    Err(yield_request(
        &mut c,
        Request::TransientStore { key, value },
    ))
}

fn emit_log(mut c: Ctx<'_>, data: i32, len: i32, topics: i32) -> HostResult<()> {
    let (len, topics) = (u64::from(ptr(len)), u64::from(ptr(topics)));
    buy_ink(&mut c, HOSTIO_INK + ink::EVM_API_INK + ink::read_price(len))?;
    if topics > 4 || len < 32 * topics {
        return Err(failure("bad log topics"));
    }
    if c.data().is_static {
        return Err(failure("write protection: log in a static call"));
    }
    buy_gas(&mut c, (1 + topics) * 375 + 8 * (len - 32 * topics))?;
    let bytes = read_bytes(&c, ptr(data), len as u32)?;
    let (topic_bytes, payload) = bytes.split_at(32 * topics as usize);
    let topics = topic_bytes.chunks(32).map(B256::from_slice).collect();
    Err(yield_request(
        &mut c,
        Request::Log {
            topics,
            data: Bytes::copy_from_slice(payload),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_gas_schedules() {
        assert_eq!(read_gas(1), 0);
        assert_eq!(read_gas(33), 2);
        assert_eq!(read_gas(129), 10);
        assert_eq!(write_gas(8), 0);
        assert_eq!(write_gas(9), 7);
        assert_eq!(write_gas(65), 10);
    }
}
