//! A single-process Arbitrum-like dev chain, compatible with nitro-devnode: revm for the EVM
//! with Stylus programs and the Arbitrum precompiles behind [`evm`], the chain (blocks, receipts,
//! snapshots, state file) in [`chain`] and JSON-RPC in [`rpc`].
//!
//! Embed it with [`spawn`]:
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let node = devnode::spawn(devnode::DevnodeConfig::ephemeral()).await?;
//! println!("{} (chain {})", node.url(), node.chain_id());
//! node.shutdown().await?;
//! # Ok(()) }
//! ```

pub mod chain;
pub mod config;
pub mod evm;
pub mod precompiles;
pub mod rpc;
pub mod stylus;

use std::{
    net::SocketAddr,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::Context as _;
use jsonrpsee::server::ServerHandle;
use tokio::task::JoinHandle;

pub use chain::accounts::DevAccount;
use chain::{accounts::dev_accounts, Chain};
pub use config::{CacheManagerSource, DevnodeConfig};

/// How often a changed chain is written to the state file.
const SAVE_INTERVAL: Duration = Duration::from_secs(1);

/// A running devnode. Dropping it stops the server without saving; call
/// [`DevnodeHandle::shutdown`] to save the state file.
pub struct DevnodeHandle {
    address: SocketAddr,
    chain_id: u64,
    accounts: Vec<DevAccount>,
    chain: Arc<Mutex<Chain>>,
    server: ServerHandle,
    state_file: Option<PathBuf>,
    tasks: Vec<JoinHandle<()>>,
}

/// Starts a devnode: restores the state file if it exists (else a fresh genesis), starts the
/// JSON-RPC server and, with a block time, the interval miner.
///
/// # Errors
/// When the state file cannot be read or the address cannot be bound.
pub async fn spawn(config: DevnodeConfig) -> anyhow::Result<DevnodeHandle> {
    let accounts = dev_accounts(config.extra_accounts);
    let spec = evm::ChainSpec {
        chain_id: config.chain_id,
        arbos_version: config.arbos_version,
        ..evm::ChainSpec::default()
    };
    let instant = config.block_time.is_zero();
    let chain = match &config.state_file {
        Some(path) if path.exists() => {
            tracing::info!(path = %path.display(), "restoring chain from state file");
            Chain::load(spec, accounts.clone(), instant, path)?
        }
        _ => {
            let mut chain = Chain::new(spec, accounts.clone(), config.balance_wei(), instant);
            install_cache_manager(&mut chain, &config.cache_manager)?;
            chain
        }
    };
    let chain = Arc::new(Mutex::new(chain));
    let (server, address) = rpc::serve(SocketAddr::new(config.host, config.port), chain.clone())
        .await
        .with_context(|| format!("cannot serve JSON-RPC on {}:{}", config.host, config.port))?;
    tracing::info!(%address, chain_id = config.chain_id, "devnode listening");

    let mut tasks = Vec::new();
    if !instant {
        tasks.push(tokio::spawn(mine_every(chain.clone(), config.block_time)));
    }
    if let Some(path) = config.state_file.clone() {
        tasks.push(tokio::spawn(save_when_changed(chain.clone(), path)));
    }
    Ok(DevnodeHandle {
        address,
        chain_id: config.chain_id,
        accounts,
        chain,
        server,
        state_file: config.state_file,
        tasks,
    })
}

/// Installs the CacheManager `source` names into a fresh chain.
fn install_cache_manager(chain: &mut Chain, source: &CacheManagerSource) -> anyhow::Result<()> {
    let artifact = match source {
        CacheManagerSource::Off => return Ok(()),
        CacheManagerSource::Artifact(path) => path.clone(),
        CacheManagerSource::Installed => {
            let path = chain::cache_manager::installed_artifact();
            if !path.is_file() {
                tracing::warn!(
                    "no CacheManager: its artifact is not installed (run `npm ci` in devnode/npm)"
                );
                return Ok(());
            }
            path
        }
    };
    let creation = chain::cache_manager::creation_code(&artifact)?;
    let address = chain.install_cache_manager(creation)?;
    tracing::info!(%address, "CacheManager installed");
    Ok(())
}

async fn mine_every(chain: Arc<Mutex<Chain>>, period: Duration) {
    let mut ticks = tokio::time::interval(period);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let mut chain = chain::lock(&chain);
        if let Err(error) = chain.mine(None) {
            tracing::error!(%error, "interval mining failed");
        }
    }
}

async fn save_when_changed(chain: Arc<Mutex<Chain>>, path: PathBuf) {
    let mut ticks = tokio::time::interval(SAVE_INTERVAL);
    loop {
        ticks.tick().await;
        let bytes = {
            let mut chain = chain::lock(&chain);
            if !chain.take_changed() {
                continue;
            }
            chain.to_state_bytes()
        };
        if let Err(error) = Chain::write_state_file(&path, &bytes) {
            tracing::error!(%error, "saving the state file failed");
        }
    }
}

impl DevnodeHandle {
    /// The JSON-RPC URL, e.g. `http://127.0.0.1:8547`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address the server is bound to.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The funded accounts with their keys; the nitro dev account comes first.
    pub fn accounts(&self) -> &[DevAccount] {
        &self.accounts
    }

    /// The chain itself, for in-process use (benchmarks, inspection).
    pub fn chain(&self) -> Arc<Mutex<Chain>> {
        self.chain.clone()
    }

    /// Stops the server and the background tasks and saves the state file.
    ///
    /// # Errors
    /// When the state file cannot be written.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop_tasks();
        let _ = self.server.stop();
        self.server.clone().stopped().await;
        if let Some(path) = &self.state_file {
            let bytes = chain::lock(&self.chain).to_state_bytes();
            Chain::write_state_file(path, &bytes)?;
            tracing::info!(path = %path.display(), "state saved");
        }
        Ok(())
    }

    fn stop_tasks(&mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
    }
}

impl Drop for DevnodeHandle {
    fn drop(&mut self) {
        self.stop_tasks();
        let _ = self.server.stop();
    }
}
