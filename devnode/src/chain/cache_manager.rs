//! The CacheManager a fresh devnode installs at genesis, so `placeBid` works as on Arbitrum.
//!
//! The contract is Arbitrum's own, from the published npm package `@arbitrum/nitro-contracts`
//! (`build/contracts/src/chain/CacheManager.sol/CacheManager.json`), installed by `npm ci` in
//! `devnode/npm` (its `package-lock.json` pins the version). It is deployed as nitro-devnode's
//! set-up does, with three transactions from [`DEPLOYER`] (an address without a key, so the dev
//! accounts' nonces are untouched): the implementation, an EIP-1167 proxy in front of it (the
//! contract only initializes through a delegate call), and `initialize(CACHE_SIZE, DECAY)`
//! through the proxy. The proxy is then made a cache manager of ArbWasmCache in the genesis
//! state. Its address is [`CACHE_MANAGER_ADDRESS`].

use std::path::{Path, PathBuf};

use alloy_primitives::{address, Address, Bytes, TxKind};
use alloy_sol_types::SolCall;
use anyhow::{bail, Context as _};
use revm::{context::result::Output, context::TxEnv, DatabaseCommit, DatabaseRef};

use super::history::StateDb;
use crate::{
    evm::{self, BlockContext, ChainSpec, Checks, ExecutionResult},
    precompiles::{abi::CacheManager, arb_wasm_cache, ARB_WASM_ADDRESS},
};

/// Sends the set-up transactions (no key exists for it).
pub const DEPLOYER: Address = address!("00000000000000000000000000000000000caced");
/// The CacheManager implementation: `DEPLOYER`'s first creation.
pub const CACHE_MANAGER_IMPLEMENTATION: Address =
    address!("47c9d53ffed885b41cde4337337cffa6a7853a08");
/// The CacheManager (the proxy): `DEPLOYER`'s second creation.
pub const CACHE_MANAGER_ADDRESS: Address = address!("7322a4416a6015f5a0e207df3d28770b1067ae9f");
/// Cache size the devnode's CacheManager starts with (bytes of estimated native code).
pub const CACHE_SIZE: u64 = 512 * 1024 * 1024;
/// Bid decay per second the devnode's CacheManager starts with (none: bids keep their value).
pub const DECAY: u64 = 0;

/// Where `npm ci` in `devnode/npm` puts the published artifact.
pub fn installed_artifact() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "npm/node_modules/@arbitrum/nitro-contracts/build/contracts/src/chain/\
         CacheManager.sol/CacheManager.json",
    )
}

/// Runs `npm ci` in `devnode/npm` when the artifact is not installed yet (tests and tools; node
/// and npm must be installed) and returns the artifact's path.
///
/// # Errors
/// When npm cannot be run or fails.
pub fn npm_ci() -> anyhow::Result<PathBuf> {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = INSTALL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let artifact = installed_artifact();
    if !artifact.is_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("npm");
        let status = std::process::Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .context("running `npm ci` in devnode/npm (node and npm must be installed)")?;
        if !status.success() {
            bail!("`npm ci` in devnode/npm failed ({status})");
        }
    }
    Ok(artifact)
}

/// The creation bytecode of a hardhat artifact (`bytecode`).
///
/// # Errors
/// When the file cannot be read or has no bytecode.
pub fn creation_code(artifact: &Path) -> anyhow::Result<Bytes> {
    let text = std::fs::read_to_string(artifact)
        .with_context(|| format!("reading the CacheManager artifact {}", artifact.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", artifact.display()))?;
    let hex = json
        .get("bytecode")
        .and_then(|b| b.as_str())
        .context("the artifact has no `bytecode`")?;
    let code: Bytes = hex
        .parse()
        .context("the artifact's `bytecode` is not hex")?;
    if code.is_empty() {
        bail!("the artifact's `bytecode` is empty");
    }
    Ok(code)
}

/// EIP-1167 creation code of a minimal proxy delegating every call to `implementation`.
fn minimal_proxy(implementation: Address) -> Bytes {
    let mut code = alloy_primitives::hex!("3d602d80600a3d3981f3363d3d373d3d3d363d73").to_vec();
    code.extend_from_slice(implementation.as_slice());
    code.extend_from_slice(&alloy_primitives::hex!("5af43d82803e903d91602b57fd5bf3"));
    code.into()
}

/// Runs one set-up transaction from [`DEPLOYER`] on `state` and commits it.
fn send(
    state: &mut StateDb,
    spec: &ChainSpec,
    block: &BlockContext,
    kind: TxKind,
    data: Bytes,
) -> anyhow::Result<ExecutionResult> {
    let nonce = state.basic_ref(DEPLOYER)?.map_or(0, |info| info.nonce);
    let tx = TxEnv {
        caller: DEPLOYER,
        gas_limit: 30_000_000,
        gas_price: 0,
        kind,
        data,
        nonce,
        chain_id: Some(spec.chain_id),
        ..Default::default()
    };
    let out = evm::transact(&mut *state, spec, block, tx, Checks::Relaxed)
        .map_err(|e| anyhow::anyhow!("CacheManager set-up transaction refused: {e}"))?;
    if !out.result.is_success() {
        bail!("CacheManager set-up transaction failed: {:?}", out.result);
    }
    state.commit(out.state);
    Ok(out.result)
}

fn created(result: &ExecutionResult) -> Option<Address> {
    match result {
        ExecutionResult::Success {
            output: Output::Create(_, address),
            ..
        } => *address,
        _ => None,
    }
}

/// Deploys the CacheManager from `creation` code into `state` (see the module docs) and returns
/// the proxy's address.
///
/// # Errors
/// When a set-up transaction fails or lands elsewhere than [`CACHE_MANAGER_ADDRESS`].
pub fn install(
    state: &mut StateDb,
    spec: &ChainSpec,
    block: &BlockContext,
    creation: Bytes,
) -> anyhow::Result<Address> {
    let implementation = created(&send(state, spec, block, TxKind::Create, creation)?)
        .context("the CacheManager implementation was not created")?;
    let proxy = created(&send(
        state,
        spec,
        block,
        TxKind::Create,
        minimal_proxy(implementation),
    )?)
    .context("the CacheManager proxy was not created")?;
    if (implementation, proxy) != (CACHE_MANAGER_IMPLEMENTATION, CACHE_MANAGER_ADDRESS) {
        bail!(
            "CacheManager deployed at {implementation} / {proxy}, not at the documented addresses"
        );
    }
    let initialize = CacheManager::initializeCall {
        initCacheSize: CACHE_SIZE,
        initDecay: DECAY,
    };
    send(
        state,
        spec,
        block,
        TxKind::Call(proxy),
        initialize.abi_encode().into(),
    )?;
    for (slot, value) in arb_wasm_cache::genesis_manager_storage(&[proxy]) {
        state.insert_account_storage(ARB_WASM_ADDRESS, slot, value)?;
    }
    Ok(proxy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_addresses_follow_the_deployer_nonces() {
        assert_eq!(DEPLOYER.create(0), CACHE_MANAGER_IMPLEMENTATION);
        assert_eq!(DEPLOYER.create(1), CACHE_MANAGER_ADDRESS);
    }

    #[test]
    fn minimal_proxy_is_eip_1167() {
        let code = minimal_proxy(Address::repeat_byte(0xab));
        assert_eq!(code.len(), 55);
        assert_eq!(&code[20..40], Address::repeat_byte(0xab).as_slice());
    }
}
