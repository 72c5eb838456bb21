//! Arbitrum's CacheManager, from its published artifact (`@arbitrum/nitro-contracts`, installed
//! by `npm ci` in `devnode/npm`), on the devnode: bids cache programs through ArbWasmCache, a
//! higher bid evicts a lower one when the cache is full, and only the chain owner administers it.

use crate::support::{output, Chain, USER};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use devnode::{
    chain::cache_manager::{self, CACHE_MANAGER_ADDRESS, CACHE_SIZE},
    evm::{ExecutionResult, DEV_ACCOUNT},
    precompiles::{
        abi::{ArbWasm, ArbWasmCache, CacheManager},
        ARB_WASM_ADDRESS, ARB_WASM_CACHE_ADDRESS,
    },
};
use revm::{
    primitives::{Address, Bytes, TxKind, B256, U256},
    DatabaseRef,
};

/// Returns at once with status `$status` (two programs with different code hashes).
fn noop(status: u8) -> String {
    format!(
        r#"(module
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32) (i32.const {status})))"#
    )
}

/// The CacheManager's creation code (`npm ci` in `devnode/npm` first if needed).
fn creation_code() -> Bytes {
    let artifact = cache_manager::npm_ci().expect("installing the published CacheManager");
    cache_manager::creation_code(&artifact).expect("the published CacheManager artifact")
}

fn chain_with_cache_manager() -> Chain {
    let mut chain = Chain::new();
    let address = cache_manager::install(&mut chain.db, &chain.spec, &chain.block, creation_code())
        .expect("CacheManager installs");
    assert_eq!(address, CACHE_MANAGER_ADDRESS);
    chain
}

fn view<C: SolCall>(chain: &mut Chain, to: Address, call: C) -> C::Return {
    let out = chain.view(to, call.abi_encode());
    assert!(out.is_success(), "{out:?}");
    C::abi_decode_returns(&output(&out)).unwrap()
}

fn bid(chain: &mut Chain, program: Address, wei: u64) -> ExecutionResult {
    chain.tx(
        TxKind::Call(CACHE_MANAGER_ADDRESS),
        CacheManager::placeBidCall { program }.abi_encode(),
        U256::from(wei),
        crate::support::GAS,
    )
}

fn codehash(chain: &Chain, program: Address) -> B256 {
    chain.db.basic_ref(program).unwrap().unwrap().code_hash
}

fn is_cached(chain: &mut Chain, program: Address) -> bool {
    let codehash = codehash(chain, program);
    view(
        chain,
        ARB_WASM_CACHE_ADDRESS,
        ArbWasmCache::codehashIsCachedCall { codehash },
    )
}

#[test]
fn the_published_cache_manager_caches_a_program_for_a_bid() {
    let mut chain = chain_with_cache_manager();
    assert!(view(
        &mut chain,
        ARB_WASM_CACHE_ADDRESS,
        ArbWasmCache::isCacheManagerCall {
            manager: CACHE_MANAGER_ADDRESS
        }
    ));
    assert_eq!(
        view(
            &mut chain,
            CACHE_MANAGER_ADDRESS,
            CacheManager::cacheSizeCall {}
        ),
        CACHE_SIZE
    );
    let program = chain.deploy_active(&noop(0));
    let uncached = chain.call(program, Vec::new()).tx_gas_used();
    let init = view(
        &mut chain,
        ARB_WASM_ADDRESS,
        ArbWasm::programInitGasCall { program },
    );
    // An empty cache asks for nothing; any bid caches the program.
    let min = view(
        &mut chain,
        CACHE_MANAGER_ADDRESS,
        CacheManager::getMinBidCall { program },
    );
    assert_eq!(min, alloy_primitives::aliases::U192::ZERO);
    let placed = bid(&mut chain, program, 1_000);
    assert!(placed.is_success(), "{placed:?}");
    let insert = placed
        .logs()
        .iter()
        .find_map(|log| CacheManager::InsertBid::decode_log_data(&log.data).ok())
        .expect("InsertBid");
    assert_eq!(insert.program, program);
    assert_eq!(insert.bid, alloy_primitives::aliases::U192::from(1_000));
    assert!(is_cached(&mut chain, program));
    let entries = view(
        &mut chain,
        CACHE_MANAGER_ADDRESS,
        CacheManager::getEntriesCall {},
    );
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].code, codehash(&chain, program));
    // The cached program now pays its cached init gas.
    assert_eq!(
        chain.call(program, Vec::new()).tx_gas_used(),
        uncached - init.gas + init.gasWhenCached
    );
    // A second bid for a cached program is refused.
    let again = bid(&mut chain, program, 1_000);
    assert_eq!(
        output(&again),
        CacheManager::AlreadyCached {
            codehash: codehash(&chain, program)
        }
        .abi_encode()
    );
    // Only the chain owner may evict everything.
    let evict = CacheManager::evictAllCall {}.abi_encode();
    let refused = chain.call_from(USER, CACHE_MANAGER_ADDRESS, evict.clone());
    assert_eq!(
        output(&refused),
        CacheManager::NotChainOwner { sender: USER }.abi_encode()
    );
    let evicted = chain.call_from(DEV_ACCOUNT, CACHE_MANAGER_ADDRESS, evict);
    assert!(evicted.is_success(), "{evicted:?}");
    assert!(!is_cached(&mut chain, program));
}

#[test]
fn a_higher_bid_evicts_a_lower_one_from_a_full_cache() {
    let mut chain = chain_with_cache_manager();
    let first = chain.deploy_active(&noop(0));
    let second = chain.deploy_active(&noop(1));
    let size = |chain: &mut Chain, program: Address| {
        let codehash = codehash(chain, program);
        u64::from(view(
            chain,
            ARB_WASM_ADDRESS,
            ArbWasm::codehashAsmSizeCall { codehash },
        ))
        .max(4096)
    };
    let (a, b) = (size(&mut chain, first), size(&mut chain, second));
    // Room for one program only.
    let resize = CacheManager::setCacheSizeCall { newSize: a.max(b) }.abi_encode();
    assert!(chain
        .call_from(DEV_ACCOUNT, CACHE_MANAGER_ADDRESS, resize)
        .is_success());
    assert!(bid(&mut chain, first, 10).is_success());
    let low = bid(&mut chain, second, 5);
    assert_eq!(
        output(&low),
        CacheManager::BidTooSmall {
            bid: alloy_primitives::aliases::U192::from(5),
            min: alloy_primitives::aliases::U192::from(10),
        }
        .abi_encode()
    );
    assert!(is_cached(&mut chain, first));
    let high = bid(&mut chain, second, 20);
    assert!(high.is_success(), "{high:?}");
    assert!(high
        .logs()
        .iter()
        .any(|log| CacheManager::DeleteBid::decode_log_data(&log.data).is_ok()));
    assert!(!is_cached(&mut chain, first));
    assert!(is_cached(&mut chain, second));
}
