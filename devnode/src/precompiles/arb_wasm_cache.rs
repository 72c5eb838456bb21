//! ArbWasmCache (0x72) and ArbOwner's cache-manager methods (0x70), as Nitro's
//! `precompiles/ArbWasmCache.go`, `ArbOwner.go` and `Programs.SetProgramCached` define them.
//!
//! A cached program pays only its cached init gas when called, instead of the cached plus the
//! full init gas (see [`ProgramRecord::entry_gas`]). Only cache managers and the chain owner may
//! cache or evict; the chain owner (the dev account, as on nitro-devnode) appoints cache managers
//! through ArbOwner. Caching an active program burns its init cost in gas and emits
//! `UpdateProgramCache`; caching a cached program (or evicting an uncached one) does nothing.
//! Caching needs an active program at the current Stylus version (`ProgramNotActivated`,
//! `ProgramNeedsUpgrade`, `ProgramExpired` otherwise); evicting works on any activated program.

use alloy_sol_types::{SolCall, SolEvent};
use revm::{
    context_interface::{Block, ContextTr, JournalTr},
    interpreter::{CallInputs, Gas, InterpreterResult},
    primitives::{keccak256, Address, Log, B256, U256},
    Database,
};

use super::abi::{ArbOwner, ArbWasmCache};
use super::arb_wasm::{
    decode_call, non_payable_read, selector, serve, status_error, Outcome, STORAGE_WRITE_GAS,
};
use crate::{
    evm::ChainSpec,
    stylus::program::{self, ArbContext, ProgramStatus},
};

/// Runs an ArbWasmCache call.
///
/// # Errors
/// Database failures, as strings (revm's precompile error channel).
pub fn run_cache<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    serve(ctx, inputs, |ctx, data, gas| {
        cache(ctx, spec, inputs, data, gas)
    })
}

/// Runs an ArbOwner call (the cache-manager methods and `isChainOwner`).
///
/// # Errors
/// Database failures, as strings (revm's precompile error channel).
pub fn run_owner<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    serve(ctx, inputs, |ctx, data, gas| {
        owner(ctx, spec, inputs, data, gas)
    })
}

/// Storage slot holding the number of cache managers.
fn managers_len_slot() -> U256 {
    program::param_slot("cache_managers.len")
}

/// Storage slot of the `index`-th cache manager.
fn manager_slot(index: u64) -> U256 {
    program::param_slot("cache_managers.list") + U256::from(index)
}

/// Storage slot of `manager`'s position in the list plus one (zero: not a manager).
fn position_slot(manager: Address) -> U256 {
    let mut preimage = b"devnode.stylus.cache_managers.position".to_vec();
    preimage.extend_from_slice(manager.as_slice());
    U256::from_be_bytes(keccak256(preimage).0)
}

fn is_manager<DB: Database>(ctx: &mut ArbContext<DB>, who: Address) -> Result<bool, DB::Error> {
    Ok(!program::load_word(ctx, position_slot(who))?.is_zero())
}

fn managers<DB: Database>(ctx: &mut ArbContext<DB>) -> Result<Vec<Address>, DB::Error> {
    let len: u64 = program::load_word(ctx, managers_len_slot())?.saturating_to();
    (0..len)
        .map(|i| {
            let word = program::load_word(ctx, manager_slot(i))?;
            Ok(Address::from_word(B256::from(word)))
        })
        .collect()
}

/// Adds `who` to the cache managers (no-op if it is one).
fn add_manager<DB: Database>(ctx: &mut ArbContext<DB>, who: Address) -> Result<(), DB::Error> {
    if is_manager(ctx, who)? {
        return Ok(());
    }
    let len: u64 = program::load_word(ctx, managers_len_slot())?.saturating_to();
    program::store_word(ctx, manager_slot(len), U256::from_be_slice(who.as_slice()))?;
    program::store_word(ctx, position_slot(who), U256::from(len + 1))?;
    program::store_word(ctx, managers_len_slot(), U256::from(len + 1))
}

/// The ArbWasm storage words that make `managers` the cache managers of a fresh chain (for
/// contracts installed at genesis, such as the CacheManager).
pub fn genesis_manager_storage(managers: &[Address]) -> Vec<(U256, U256)> {
    let mut words = vec![(managers_len_slot(), U256::from(managers.len()))];
    for (index, manager) in managers.iter().enumerate() {
        let index = index as u64;
        words.push((manager_slot(index), U256::from_be_slice(manager.as_slice())));
        words.push((position_slot(*manager), U256::from(index + 1)));
    }
    words
}

/// Removes `who` from the cache managers, moving the last one into its place (no-op if it is
/// not one).
fn remove_manager<DB: Database>(ctx: &mut ArbContext<DB>, who: Address) -> Result<(), DB::Error> {
    let position: u64 = program::load_word(ctx, position_slot(who))?.saturating_to();
    if position == 0 {
        return Ok(());
    }
    let len: u64 = program::load_word(ctx, managers_len_slot())?.saturating_to();
    let last = program::load_word(ctx, manager_slot(len - 1))?;
    program::store_word(ctx, manager_slot(position - 1), last)?;
    let moved = Address::from_word(B256::from(last));
    program::store_word(ctx, position_slot(moved), U256::from(position))?;
    program::store_word(ctx, manager_slot(len - 1), U256::ZERO)?;
    program::store_word(ctx, position_slot(who), U256::ZERO)?;
    program::store_word(ctx, managers_len_slot(), U256::from(len - 1))
}

fn cache<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
    data: &[u8],
    gas: &mut Gas,
) -> Result<Outcome, DB::Error> {
    if let Some(failed) = non_payable_read(inputs, gas) {
        return Ok(failed);
    }
    let (codehash, cached) = match selector(data) {
        Some(ArbWasmCache::isCacheManagerCall::SELECTOR) => {
            let call = decode_call!(ArbWasmCache::isCacheManagerCall, data);
            let yes = is_manager(ctx, call.manager)?;
            return Ok(Outcome::Return(
                ArbWasmCache::isCacheManagerCall::abi_encode_returns(&yes),
            ));
        }
        Some(ArbWasmCache::allCacheManagersCall::SELECTOR) => {
            let all = managers(ctx)?;
            return Ok(Outcome::Return(
                ArbWasmCache::allCacheManagersCall::abi_encode_returns(&all),
            ));
        }
        Some(ArbWasmCache::codehashIsCachedCall::SELECTOR) => {
            let call = decode_call!(ArbWasmCache::codehashIsCachedCall, data);
            let cached = program::load_record(ctx, call.codehash)?.cached;
            return Ok(Outcome::Return(
                ArbWasmCache::codehashIsCachedCall::abi_encode_returns(&cached),
            ));
        }
        Some(ArbWasmCache::cacheProgramCall::SELECTOR) => {
            let call = decode_call!(ArbWasmCache::cacheProgramCall, data);
            (ctx.journal_mut().code_hash(call.addr)?.data, true)
        }
        Some(ArbWasmCache::evictCodehashCall::SELECTOR) => {
            let call = decode_call!(ArbWasmCache::evictCodehashCall, data);
            (call.codehash, false)
        }
        _ => return Ok(Outcome::Fail("unknown ArbWasmCache method".into())),
    };
    // Nitro burns all gas of a caller without access.
    let caller = inputs.caller;
    if caller != spec.network_fee_account && !is_manager(ctx, caller)? {
        return Ok(Outcome::Fail(
            "unauthorized caller to access-controlled method".into(),
        ));
    }
    let now = ctx.block().timestamp().saturating_to::<u64>();
    let record = program::load_record(ctx, codehash)?;
    match record.status(now) {
        ProgramStatus::NotActivated => {
            return Ok(Outcome::Revert(
                status_error(ProgramStatus::NotActivated).to_vec(),
            ))
        }
        ProgramStatus::Active(_) => {}
        status if cached => return Ok(Outcome::Revert(status_error(status).to_vec())),
        _ => {}
    }
    if record.cached == cached {
        return Ok(Outcome::Return(Vec::new()));
    }
    let cost = u64::from(record.init_cost).saturating_add(STORAGE_WRITE_GAS);
    if !gas.record_regular_cost(cost) {
        return Ok(Outcome::Fail("out of gas".into()));
    }
    program::store_record(ctx, codehash, &program::ProgramRecord { cached, ..record })?;
    let event = ArbWasmCache::UpdateProgramCache {
        manager: caller,
        codehash,
        cached,
    };
    ctx.journal_mut().log(Log {
        address: inputs.target_address,
        data: event.encode_log_data(),
    });
    Ok(Outcome::Return(Vec::new()))
}

fn owner<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
    data: &[u8],
    gas: &mut Gas,
) -> Result<Outcome, DB::Error> {
    if let Some(failed) = non_payable_read(inputs, gas) {
        return Ok(failed);
    }
    if let Some(ArbOwner::isChainOwnerCall::SELECTOR) = selector(data) {
        let call = decode_call!(ArbOwner::isChainOwnerCall, data);
        let yes = call.addr == spec.network_fee_account;
        return Ok(Outcome::Return(
            ArbOwner::isChainOwnerCall::abi_encode_returns(&yes),
        ));
    }
    if inputs.caller != spec.network_fee_account {
        return Ok(Outcome::Fail(
            "unauthorized caller to access-controlled method".into(),
        ));
    }
    if !gas.record_regular_cost(STORAGE_WRITE_GAS) {
        return Ok(Outcome::Fail("out of gas".into()));
    }
    match selector(data) {
        Some(ArbOwner::addWasmCacheManagerCall::SELECTOR) => {
            let call = decode_call!(ArbOwner::addWasmCacheManagerCall, data);
            add_manager(ctx, call.manager)?;
        }
        Some(ArbOwner::removeWasmCacheManagerCall::SELECTOR) => {
            let call = decode_call!(ArbOwner::removeWasmCacheManagerCall, data);
            if !is_manager(ctx, call.manager)? {
                return Ok(Outcome::Fail("tried to remove non-manager".into()));
            }
            remove_manager(ctx, call.manager)?;
        }
        _ => return Ok(Outcome::Fail("unknown ArbOwner method".into())),
    }
    Ok(Outcome::Return(Vec::new()))
}
