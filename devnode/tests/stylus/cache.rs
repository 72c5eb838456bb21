//! Program caching: ArbWasmCache (0x72) and ArbOwner's cache managers (0x70).

use crate::support::{output, Chain, USER};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use devnode::{
    evm::DEV_ACCOUNT,
    precompiles::{
        abi::{ArbOwner, ArbWasm, ArbWasmCache},
        ARB_OWNER_ADDRESS, ARB_WASM_ADDRESS, ARB_WASM_CACHE_ADDRESS,
    },
};
use revm::{
    primitives::{address, Address, B256},
    DatabaseRef,
};

/// Returns at once: no storage, no host call, so its gas is intrinsic gas plus entry.
const NOOP: &str = r#"(module
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32) (i32.const 0)))"#;

const MANAGER: Address = address!("00000000000000000000000000000000000ca5e0");

fn init_gas(chain: &mut Chain, program: Address) -> (u64, u64) {
    let out = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programInitGasCall { program }.abi_encode(),
    );
    let r = ArbWasm::programInitGasCall::abi_decode_returns(&output(&out)).unwrap();
    (r.gas, r.gasWhenCached)
}

fn is_cached(chain: &mut Chain, codehash: B256) -> bool {
    let out = chain.view(
        ARB_WASM_CACHE_ADDRESS,
        ArbWasmCache::codehashIsCachedCall { codehash }.abi_encode(),
    );
    ArbWasmCache::codehashIsCachedCall::abi_decode_returns(&output(&out)).unwrap()
}

fn cache(chain: &mut Chain, from: Address, program: Address) -> devnode::evm::ExecutionResult {
    let data = ArbWasmCache::cacheProgramCall { addr: program }.abi_encode();
    chain.call_from(from, ARB_WASM_CACHE_ADDRESS, data)
}

#[test]
fn a_cached_program_pays_its_cached_init_gas_instead_of_the_full_one() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(NOOP);
    let codehash = chain.db.basic_ref(program).unwrap().unwrap().code_hash;
    let uncached = chain.call(program, Vec::new());
    assert!(uncached.is_success(), "{uncached:?}");
    let (init, when_cached) = init_gas(&mut chain, program);
    assert!(init > when_cached);

    // Neither a stranger nor a would-be manager may cache; the chain owner appoints managers.
    assert!(!cache(&mut chain, USER, program).is_success());
    let appoint = ArbOwner::addWasmCacheManagerCall { manager: MANAGER }.abi_encode();
    assert!(!chain
        .call_from(USER, ARB_OWNER_ADDRESS, appoint.clone())
        .is_success());
    assert!(chain
        .call_from(DEV_ACCOUNT, ARB_OWNER_ADDRESS, appoint)
        .is_success());
    let all = chain.view(
        ARB_WASM_CACHE_ADDRESS,
        ArbWasmCache::allCacheManagersCall {}.abi_encode(),
    );
    assert_eq!(
        ArbWasmCache::allCacheManagersCall::abi_decode_returns(&output(&all)).unwrap(),
        vec![MANAGER]
    );
    assert!(!is_cached(&mut chain, codehash));

    let cached = cache(&mut chain, MANAGER, program);
    assert!(cached.is_success(), "{cached:?}");
    let log = &cached.logs()[0];
    let event = ArbWasmCache::UpdateProgramCache::decode_log_data(&log.data).unwrap();
    assert_eq!(
        (event.manager, event.codehash, event.cached),
        (MANAGER, codehash, true)
    );
    assert!(is_cached(&mut chain, codehash));
    // Caching again does nothing (no event).
    assert!(cache(&mut chain, MANAGER, program).logs().is_empty());

    // The same call now costs exactly the uncached gas minus the init gas plus the cached gas.
    let warm = chain.call(program, Vec::new());
    assert!(warm.is_success());
    assert_eq!(
        warm.tx_gas_used(),
        uncached.tx_gas_used() - init + when_cached,
        "init {init}, cached {when_cached}"
    );
    // `programInitGas` keeps reporting both figures.
    assert_eq!(init_gas(&mut chain, program), (init, when_cached));

    // Evicting restores the full price; a removed manager can no longer cache.
    let evict = ArbWasmCache::evictCodehashCall { codehash }.abi_encode();
    assert!(chain
        .call_from(MANAGER, ARB_WASM_CACHE_ADDRESS, evict)
        .is_success());
    assert!(!is_cached(&mut chain, codehash));
    assert_eq!(
        chain.call(program, Vec::new()).tx_gas_used(),
        uncached.tx_gas_used()
    );
    let dismiss = ArbOwner::removeWasmCacheManagerCall { manager: MANAGER }.abi_encode();
    assert!(chain
        .call_from(DEV_ACCOUNT, ARB_OWNER_ADDRESS, dismiss)
        .is_success());
    assert!(!cache(&mut chain, MANAGER, program).is_success());
    // The chain owner itself may cache.
    assert!(cache(&mut chain, DEV_ACCOUNT, program).is_success());
    assert!(is_cached(&mut chain, codehash));
}

#[test]
fn only_activated_programs_can_be_cached() {
    let mut chain = Chain::new();
    let program = chain.deploy_wasm(NOOP);
    let refused = cache(&mut chain, DEV_ACCOUNT, program);
    assert_eq!(
        output(&refused),
        ArbWasm::ProgramNotActivated {}.abi_encode()
    );
}

const DAY: u64 = 86_400;

#[test]
fn an_expired_cached_program_stops_and_comes_back_cached_when_reactivated() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(NOOP);
    let codehash = chain.db.basic_ref(program).unwrap().unwrap().code_hash;
    let uncached = chain.call(program, Vec::new()).tx_gas_used();
    let (init, when_cached) = init_gas(&mut chain, program);
    assert!(cache(&mut chain, DEV_ACCOUNT, program).is_success());

    // A keepalive after 31 days renews the program and keeps it cached.
    chain.block.env.timestamp += revm::primitives::U256::from(32 * DAY);
    let keepalive = ArbWasm::codehashKeepaliveCall { codehash }.abi_encode();
    let renewed = chain.tx(
        revm::primitives::TxKind::Call(ARB_WASM_ADDRESS),
        keepalive,
        revm::primitives::U256::from(crate::support::ONE_ETH),
        crate::support::GAS,
    );
    assert!(renewed.is_success(), "{renewed:?}");
    assert!(is_cached(&mut chain, codehash));
    assert_eq!(
        chain.call(program, Vec::new()).tx_gas_used(),
        uncached - init + when_cached
    );

    // 366 days later it has expired: calls fail, it still counts as cached, and caching it
    // again is refused with the expiry.
    chain.block.env.timestamp += revm::primitives::U256::from(366 * DAY);
    let expired = chain.call(program, Vec::new());
    assert!(!expired.is_success());
    assert!(output(&expired).starts_with(&ArbWasm::ProgramExpired::SELECTOR));
    assert!(is_cached(&mut chain, codehash));

    // Re-activation brings it back cached (Nitro keeps the flag), at the cached price.
    let reactivated = chain.activate(program);
    assert!(reactivated.is_success(), "{reactivated:?}");
    assert!(is_cached(&mut chain, codehash));
    assert_eq!(
        chain.call(program, Vec::new()).tx_gas_used(),
        uncached - init + when_cached
    );
}

#[test]
fn an_expired_program_can_be_evicted_but_not_cached() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(NOOP);
    let codehash = chain.db.basic_ref(program).unwrap().unwrap().code_hash;
    chain.block.env.timestamp += revm::primitives::U256::from(366 * DAY);
    let refused = cache(&mut chain, DEV_ACCOUNT, program);
    assert!(output(&refused).starts_with(&ArbWasm::ProgramExpired::SELECTOR));
    assert!(!is_cached(&mut chain, codehash));

    let mut chain = Chain::new();
    let program = chain.deploy_active(NOOP);
    assert!(cache(&mut chain, DEV_ACCOUNT, program).is_success());
    chain.block.env.timestamp += revm::primitives::U256::from(366 * DAY);
    let evict = ArbWasmCache::evictCodehashCall { codehash }.abi_encode();
    let evicted = chain.call_from(DEV_ACCOUNT, ARB_WASM_CACHE_ADDRESS, evict);
    assert!(evicted.is_success(), "{evicted:?}");
    assert!(!is_cached(&mut chain, codehash));
}

#[test]
fn from_arbos_60_a_program_called_again_in_the_same_block_pays_the_cached_price() {
    for arbos_version in [40, 60] {
        let mut chain = Chain::new();
        chain.spec.arbos_version = arbos_version;
        let program = chain.deploy_active(NOOP);
        let (init, when_cached) = init_gas(&mut chain, program);
        // The test chain runs every transaction in one block: a fresh block first.
        chain.block.recent_programs = Default::default();
        let first = chain.call(program, Vec::new()).tx_gas_used();
        let second = chain.call(program, Vec::new()).tx_gas_used();
        if arbos_version >= 60 {
            assert_eq!(second, first - init + when_cached);
        } else {
            assert_eq!(second, first);
        }
        // The next block starts with an empty cache.
        chain.block.recent_programs = Default::default();
        assert_eq!(chain.call(program, Vec::new()).tx_gas_used(), first);
    }
}
