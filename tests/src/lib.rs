//! End-to-end test harness: a chain (the embedded devnode, or `RPC_URL` when set), the system
//! deployed through the `deploy` library, funded test accounts, time travel and isolation.
//!
//! - Without `RPC_URL` every [`Harness`] spawns its own devnode on a random port, so tests run
//!   in parallel and leave nothing behind.
//! - With `RPC_URL` (and `PRIVATE_KEY`, default the nitro-devnode dev key) tests share that
//!   chain: they run one at a time, take an `evm_snapshot` where the node supports it and revert
//!   to it in [`Harness::finish`]; on nodes without snapshots (a real nitro-devnode) each test
//!   deploys fresh contracts and funds fresh accounts, so results do not depend on order.
pub mod bindings;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use deploy::build::Artifact;
use deploy::chain::Chain;
use deploy::config::{SystemParams, NITRO_DEV_KEY};
use deploy::contracts::ContractKind;
use deploy::indicatif::ProgressBar;
use deploy::pipeline::{self, Options, Report};
use deploy::Workspace;
use devnode::{DevnodeConfig, DevnodeHandle};
use ethers::abi::Detokenize;
use ethers::contract::{Contract, ContractCall, ContractRevert, EthLogDecode};
use ethers::middleware::SignerMiddleware;
use ethers::providers::{Http, Middleware, Provider};
use ethers::signers::{LocalWallet, Signer};
use ethers::types::transaction::eip712::TypedData;
use ethers::types::{Address, TransactionReceipt, TransactionRequest, U256};
use tokio::sync::{Mutex, MutexGuard};

use crate::bindings::votes_stand_in::VotesStandIn;

/// A test account's client.
pub type Client = SignerMiddleware<Provider<Http>, LocalWallet>;

/// Receipt polling interval on the embedded devnode. Every sent transaction waits at least one
/// interval for its receipt, so this sets the pace of the scenarios (ethers' default is 7 s, the
/// deploy library's 100 ms).
const EMBEDDED_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(5);

/// Tests that share an external chain take turns.
static SHARED_CHAIN: Mutex<()> = Mutex::const_new(());

/// The contracts built so far by this test binary (building is the slow part).
static ARTIFACTS: std::sync::Mutex<BuildCache> = std::sync::Mutex::new(BuildCache {
    artifacts: BTreeMap::new(),
    tried_all: false,
});

/// What [`built_artifacts`] built: the wasm of each contract (size-checked when handed out).
struct BuildCache {
    artifacts: BTreeMap<ContractKind, Artifact>,
    /// Whether building every contract at once was tried.
    tried_all: bool,
}

/// One test's chain.
pub struct Harness {
    /// The deployer's client (the nitro dev account on the embedded devnode).
    pub chain: Chain,
    node: Option<DevnodeHandle>,
    snapshot: Option<U256>,
    records: tempfile::TempDir,
    _turn: Option<MutexGuard<'static, ()>>,
}

impl Harness {
    /// Connects to `RPC_URL` or spawns an embedded devnode.
    ///
    /// # Errors
    /// When the node cannot be started or reached.
    pub async fn start() -> Result<Self> {
        let records = tempfile::tempdir()?;
        match std::env::var("RPC_URL").ok().filter(|u| !u.is_empty()) {
            Some(url) => {
                let turn = SHARED_CHAIN.lock().await;
                let key = std::env::var("PRIVATE_KEY").unwrap_or_else(|_| NITRO_DEV_KEY.into());
                let chain = Chain::connect(&url, &key, None).await?;
                let snapshot = chain
                    .provider()
                    .request::<_, U256>("evm_snapshot", ())
                    .await
                    .ok();
                Ok(Self {
                    chain,
                    node: None,
                    snapshot,
                    records,
                    _turn: Some(turn),
                })
            }
            None => {
                let node = devnode::spawn(DevnodeConfig::ephemeral()).await?;
                let mut chain =
                    Chain::connect(&node.url(), NITRO_DEV_KEY, Some(node.chain_id())).await?;
                // The devnode mines each transaction as it arrives: poll receipts often.
                let provider = chain.provider().clone().interval(EMBEDDED_POLL_INTERVAL);
                let signer = chain.client.signer().clone();
                chain.client = Arc::new(SignerMiddleware::new(provider, signer));
                Ok(Self {
                    chain,
                    node: Some(node),
                    snapshot: None,
                    records,
                    _turn: None,
                })
            }
        }
    }

    /// Whether this harness runs on its own embedded devnode.
    pub fn is_embedded(&self) -> bool {
        self.node.is_some()
    }

    /// The deployer's client.
    pub fn deployer(&self) -> Arc<Client> {
        self.chain.client.clone()
    }

    /// Where this test's deployment records go (a temp dir: tests never touch `deployments/`).
    pub fn records_dir(&self) -> PathBuf {
        self.records.path().to_path_buf()
    }

    /// Deploys `contracts` (in deployment order) with `params` through the deploy library,
    /// always fresh (`--force`), recording into the test's temp dir.
    ///
    /// # Errors
    /// Any [`deploy::error::DeployError`].
    pub async fn deploy(
        &self,
        contracts: &[ContractKind],
        params: &SystemParams,
    ) -> Result<Report> {
        self.deploy_with(contracts, params, &[]).await
    }

    /// [`Harness::deploy`] with constructor parameters set to the given addresses, e.g.
    /// `("vault", stand_in)` to give a contract a stand-in instead of a contract of the system
    /// (named exactly as the constructor's input; see `deploy::system::CONTRACTS`).
    ///
    /// # Errors
    /// Any [`deploy::error::DeployError`].
    pub async fn deploy_with(
        &self,
        contracts: &[ContractKind],
        params: &SystemParams,
        addresses: &[(&str, Address)],
    ) -> Result<Report> {
        let ws = Workspace::locate();
        let selected = built_artifacts(contracts)?;
        let mut options = Options::new(&ws);
        options.deployments_dir = self.records_dir();
        options.force = true;
        let mut values = params.values(self.chain.deployer());
        for (name, address) in addresses {
            values.set(name, format!("{address:#x}"));
        }
        Ok(pipeline::deploy_artifacts(
            &self.chain,
            &selected,
            values,
            &options,
            &ProgressBar::hidden(),
        )
        .await?)
    }

    /// A fresh random account funded with `eth` ether by the deployer.
    ///
    /// # Errors
    /// When the transfer fails.
    pub async fn funded_account(&self, eth: u64) -> Result<Arc<Client>> {
        let wallet = LocalWallet::new(&mut ethers::core::rand::thread_rng())
            .with_chain_id(self.chain.chain_id);
        let value = U256::from(eth) * U256::exp10(18);
        deploy::send::send_transaction(
            &self.chain.client,
            TransactionRequest::pay(wallet.address(), value),
        )
        .await
        .context("funding transfer")?;
        Ok(Arc::new(SignerMiddleware::new(
            self.chain.provider().clone(),
            wallet,
        )))
    }

    /// A fresh [`VotesStandIn`] (the Solidity stand-in for the vault's voting power, see
    /// `tests/fixtures/VotesStandIn.sol`), governed by and bound to the deployer.
    ///
    /// # Errors
    /// When the creation fails.
    pub async fn votes_stand_in(&self) -> Result<VotesStandIn<Client>> {
        VotesStandIn::deploy(self.deployer(), ())?
            .send()
            .await
            .context("deploying the VotesStandIn fixture")
    }

    /// Moves the chain clock forward by `seconds` and mines a block (`evm_increaseTime` +
    /// `evm_mine`; the embedded devnode and anvil-style nodes support it).
    ///
    /// # Errors
    /// When the node has no time travel.
    pub async fn increase_time(&self, seconds: u64) -> Result<()> {
        let provider = self.chain.provider();
        provider
            .request::<_, i64>("evm_increaseTime", [U256::from(seconds)])
            .await
            .context("evm_increaseTime (not supported by this node)")?;
        provider
            .request::<_, String>("evm_mine", ())
            .await
            .context("evm_mine")?;
        Ok(())
    }

    /// The latest block's timestamp.
    ///
    /// # Errors
    /// RPC failures.
    pub async fn now(&self) -> Result<u64> {
        let block = self
            .chain
            .provider()
            .get_block(ethers::types::BlockNumber::Latest)
            .await?
            .ok_or_else(|| anyhow!("no latest block"))?;
        Ok(block.timestamp.as_u64())
    }

    /// Ends the test: reverts to the snapshot on a shared chain, stops the embedded devnode.
    ///
    /// # Errors
    /// When the revert or the shutdown fails.
    pub async fn finish(self) -> Result<()> {
        if let Some(id) = self.snapshot {
            let reverted: bool = self
                .chain
                .provider()
                .request("evm_revert", [id])
                .await
                .context("evm_revert")?;
            anyhow::ensure!(reverted, "evm_revert({id}) found no snapshot");
        }
        if let Some(node) = self.node {
            node.shutdown().await?;
        }
        Ok(())
    }
}

/// `contracts` built for wasm32 and size-checked, in deployment order.
///
/// The first call builds every contract of the system (one cargo invocation per program, see
/// [`Workspace::build_wasm`]; no later test of the binary runs cargo again: parallel scenarios
/// only wait for that one build). If some contract does not build (one being rewritten), it falls
/// back to building just the contracts asked for, so unrelated scenarios still run.
///
/// # Errors
/// The build error, or the size error of a contract over Nitro's limit.
pub fn built_artifacts(contracts: &[ContractKind]) -> Result<Vec<(ContractKind, Artifact)>> {
    let mut cache = ARTIFACTS
        .lock()
        .map_err(|_| anyhow!("an earlier build panicked"))?;
    let ws = Workspace::locate();
    if !cache.tried_all {
        cache.tried_all = true;
        let packages: Vec<&str> = ContractKind::ALL.iter().map(|k| k.package()).collect();
        if ws.build_wasm(&packages).is_ok() {
            for kind in ContractKind::ALL {
                if let Ok(artifact) = ws.artifact(kind.package()) {
                    cache.artifacts.insert(kind, artifact);
                }
            }
        }
    }
    let missing: Vec<ContractKind> = ContractKind::ALL
        .into_iter()
        .filter(|k| contracts.contains(k) && !cache.artifacts.contains_key(k))
        .collect();
    if !missing.is_empty() {
        let built = pipeline::prepare(&ws, &missing, true)?;
        cache.artifacts.extend(missing.into_iter().zip(built));
    }
    let selected: Vec<(ContractKind, Artifact)> = ContractKind::ALL
        .into_iter()
        .filter(|k| contracts.contains(k))
        .filter_map(|k| cache.artifacts.get(&k).map(|a| (k, a.clone())))
        .collect();
    for (_, artifact) in &selected {
        artifact.check_size()?;
    }
    Ok(selected)
}

/// `value` whole tokens in 18-decimal units.
pub fn tokens(value: u64) -> U256 {
    U256::from(value) * U256::exp10(18)
}

/// The address of `contract` in `report`.
///
/// # Errors
/// When it was not deployed.
pub fn address_of(report: &Report, contract: ContractKind) -> Result<Address> {
    report
        .address(contract)
        .ok_or_else(|| anyhow!("{contract} was not deployed"))
}

/// `contract` (an `abigen!` binding) bound to `user` instead of its current client.
pub fn connect<C>(contract: &C, user: &Arc<Client>) -> C
where
    C: std::ops::Deref<Target = Contract<Client>> + From<Contract<Client>>,
{
    C::from(contract.connect(user.clone()))
}

/// Sends `call` through [`deploy::send::send`] (its estimate plus headroom as gas limit unless
/// the call sets one), waits for its receipt and checks that it succeeded.
///
/// # Errors
/// When the call reverts (in estimation or on chain) or the transaction is dropped.
pub async fn send<D: Detokenize>(call: ContractCall<Client, D>) -> Result<TransactionReceipt> {
    Ok(deploy::send::send(call).await?)
}

/// Sends `call` expecting a revert and decodes the revert data as the typed error `E` (the
/// contract's generated `...Errors` enum).
///
/// # Errors
/// When the call succeeds, or reverts with data that is not an `E`.
pub async fn revert<E: ContractRevert, D: Detokenize>(call: ContractCall<Client, D>) -> Result<E> {
    match call.send().await {
        Ok(_) => bail!("the call succeeded"),
        Err(error) => error
            .decode_contract_revert::<E>()
            .with_context(|| format!("undecodable revert: {error}")),
    }
}

/// The logs of `receipt` that decode as `E` (a contract's generated `...Events` enum, or one
/// event filter), in order.
pub fn events<E: EthLogDecode>(receipt: &TransactionReceipt) -> Vec<E> {
    receipt
        .logs
        .iter()
        .filter_map(|log| E::decode_log(&log.clone().into()).ok())
        .collect()
}

/// The gas `receipt` used (zero when the node does not report it).
pub fn gas_used(receipt: &TransactionReceipt) -> u64 {
    receipt.gas_used.map_or(0, |gas| gas.as_u64())
}

/// EIP-712 typed data in the standard domain `(name, version, chainId, verifyingContract)`:
/// `primary` with `fields` (`(name, type)` in order) and the `message` values.
///
/// # Errors
/// When the description is not valid typed data.
pub fn typed_data(
    domain: (&str, &str, u64, Address),
    primary: &str,
    fields: &[(&str, &str)],
    message: serde_json::Value,
) -> Result<TypedData> {
    let (name, version, chain_id, verifying_contract) = domain;
    let fields: Vec<serde_json::Value> = fields
        .iter()
        .map(|(name, ty)| serde_json::json!({"name": name, "type": ty}))
        .collect();
    Ok(serde_json::from_value(serde_json::json!({
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"}
            ],
            primary: fields
        },
        "primaryType": primary,
        "domain": {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": format!("{verifying_contract:#x}")
        },
        "message": message
    }))?)
}
