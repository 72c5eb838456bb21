//! `deploy --cache`: bids in the chain's CacheManager for the programs called most (the cores of
//! the agent token, the staking vault, the SubDAO and the Elo ledger), so every call to them pays
//! the cached init gas (about 2,000-3,200 gas) instead of the full one (21,000-25,000).
//!
//! The CacheManager is found through ArbWasmCache (`allCacheManagers`, the first that answers
//! `cacheSize()`); Arbitrum One, Arbitrum Sepolia and the devnode each have one. A program
//! already cached is left alone; otherwise the bid is the larger of the CacheManager's
//! `getMinBid(program)` and the configured bid, sent with `placeBid(program)`.
#![allow(missing_docs)] // abigen-generated items
use ethers::contract::abigen;
use ethers::providers::Middleware;
use ethers::types::{Address, H160, H256, U256};

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::deployer;
use crate::error::DeployError;
use crate::record::Deployments;
use crate::verify::Check;

abigen!(
    ArbWasmCache,
    r#"[
        function allCacheManagers() external view returns (address[] memory managers)
        function codehashIsCached(bytes32 codehash) external view returns (bool)
    ]"#
);

abigen!(
    CacheManager,
    r#"[
        function placeBid(address program) external payable
        function getMinBid(address program) external view returns (uint192 min)
        function cacheSize() external view returns (uint64)
        function queueSize() external view returns (uint64)
    ]"#
);

/// The ArbWasmCache precompile (0x…72).
pub const ARB_WASM_CACHE_ADDRESS: Address = H160([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x72,
]);

/// The programs `--cache` bids for: the cores every user transaction goes through.
pub const HOT_PROGRAMS: [ContractKind; 4] = [
    ContractKind::AgentToken,
    ContractKind::StakingVault,
    ContractKind::Subdao,
    ContractKind::EloLedger,
];

/// The cache state of one hot program after `--cache`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheState {
    /// Package name.
    pub name: String,
    /// Its address.
    pub program: Address,
    /// Whether ArbWasmCache reports its code hash cached.
    pub cached: bool,
    /// The bid placed by this run (wei) and its transaction; `None` when none was needed.
    pub bid: Option<(U256, H256)>,
}

fn rpc(action: &str, error: impl std::fmt::Display) -> DeployError {
    crate::chain::rpc_error(action, error)
}

/// The chain's CacheManager: the first cache manager that answers `cacheSize()`; `None` on a
/// chain without one.
///
/// # Errors
/// RPC failures reading ArbWasmCache.
pub async fn find_cache_manager(chain: &Chain) -> Result<Option<Address>, DeployError> {
    let cache = ArbWasmCache::new(ARB_WASM_CACHE_ADDRESS, chain.client.clone());
    // A chain without ArbWasmCache has no cache manager.
    let Ok(managers) = cache.all_cache_managers().call().await else {
        return Ok(None);
    };
    for manager in managers {
        let code = chain
            .provider()
            .get_code(manager, None)
            .await
            .map_err(|e| rpc("eth_getCode", e))?;
        if code.is_empty() {
            continue;
        }
        let contract = CacheManager::new(manager, chain.client.clone());
        if contract.cache_size().call().await.is_ok() {
            return Ok(Some(manager));
        }
    }
    Ok(None)
}

/// Whether the program with `codehash` is cached.
async fn is_cached(chain: &Chain, codehash: H256) -> Result<bool, DeployError> {
    ArbWasmCache::new(ARB_WASM_CACHE_ADDRESS, chain.client.clone())
        .codehash_is_cached(codehash.0)
        .call()
        .await
        .map_err(|e| rpc("ArbWasmCache.codehashIsCached", e))
}

/// Bids for every recorded hot program that is not cached yet: `max(getMinBid, bid)` wei each.
///
/// # Errors
/// [`DeployError::Wiring`] when the chain has no CacheManager or a bid fails (with the
/// CacheManager's reason), RPC failures.
pub async fn place_bids(
    chain: &Chain,
    deployments: &Deployments,
    bid: U256,
) -> Result<Vec<CacheState>, DeployError> {
    let hot: Vec<&str> = HOT_PROGRAMS.iter().map(|kind| kind.package()).collect();
    place_bids_for(chain, deployments, &hot, bid).await
}

/// Bids for the recorded programs named by `packages` (package names, extensions included) that
/// are not cached yet: `max(getMinBid, bid)` wei each, in the order given. A package without a
/// record is skipped.
///
/// # Errors
/// [`DeployError::Wiring`] when the chain has no CacheManager or a bid fails (with the
/// CacheManager's reason), RPC failures.
pub async fn place_bids_for(
    chain: &Chain,
    deployments: &Deployments,
    packages: &[&str],
    bid: U256,
) -> Result<Vec<CacheState>, DeployError> {
    let failed = |step: String, reason: String| DeployError::Wiring { step, reason };
    let Some(manager) = find_cache_manager(chain).await? else {
        return Err(failed(
            "CacheManager.placeBid".into(),
            "the chain has no CacheManager (ArbWasmCache lists none that answers)".into(),
        ));
    };
    let contract = CacheManager::new(manager, chain.client.clone());
    let mut states = Vec::new();
    for &name in packages {
        let Some(record) = deployments.get(name) else {
            continue;
        };
        let mut state = CacheState {
            name: name.to_string(),
            program: record.address,
            cached: is_cached(chain, record.code_hash).await?,
            bid: None,
        };
        if !state.cached {
            let min = contract
                .get_min_bid(record.address)
                .call()
                .await
                .map_err(|e| failed(format!("CacheManager.getMinBid({name})"), e.to_string()))?;
            let value = bid.max(min);
            let tx = contract.place_bid(record.address).value(value).tx;
            let receipt = deployer::send(chain, &format!("{name} cache bid"), tx).await?;
            state.bid = Some((value, receipt.transaction_hash));
            state.cached = is_cached(chain, record.code_hash).await?;
        }
        states.push(state);
    }
    Ok(states)
}

/// One line per hot program: cached or not, and the bid this run placed.
pub fn table(manager: Option<Address>, states: &[CacheState]) -> String {
    let mut out = match manager {
        Some(manager) => format!("CacheManager {manager:#x}\n"),
        None => "no CacheManager on this chain\n".to_string(),
    };
    for state in states {
        let bid = match state.bid {
            Some((wei, tx)) => format!("bid {wei} wei (tx {tx:#x})"),
            None => "no bid needed".to_string(),
        };
        out.push_str(&format!(
            "{:<14} {:#x}  {}  {bid}\n",
            state.name,
            state.program,
            if state.cached { "cached" } else { "NOT cached" },
        ));
    }
    out
}

/// `--verify-wiring`'s cache lines: every recorded hot program's cache state, expected cached
/// when `expect_cached` (a `--cache` deployment), otherwise only shown.
///
/// # Errors
/// RPC failures.
pub async fn checks(
    chain: &Chain,
    deployments: &Deployments,
    expect_cached: bool,
) -> Result<Vec<Check>, DeployError> {
    let mut checks = Vec::new();
    for kind in HOT_PROGRAMS {
        let Some(record) = deployments.get(kind.package()) else {
            continue;
        };
        let cached = is_cached(chain, record.code_hash).await?;
        checks.push(Check {
            name: format!("{} cached (ArbWasmCache)", kind.package()),
            expected: if expect_cached { true } else { cached }.to_string(),
            actual: cached.to_string(),
        });
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_shows_the_bid_and_the_state() {
        let states = vec![
            CacheState {
                name: "agent-token".into(),
                program: Address::repeat_byte(1),
                cached: true,
                bid: Some((U256::from(7), H256::repeat_byte(2))),
            },
            CacheState {
                name: "subdao".into(),
                program: Address::repeat_byte(3),
                cached: false,
                bid: None,
            },
        ];
        let text = table(Some(Address::repeat_byte(9)), &states);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("CacheManager 0x0909"));
        assert!(lines[1].contains(" cached ") && lines[1].contains("bid 7 wei"));
        assert!(lines[2].contains("NOT cached") && lines[2].ends_with("no bid needed"));
        assert_eq!(ARB_WASM_CACHE_ADDRESS.0[19], 0x72);
    }
}
