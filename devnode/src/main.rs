//! `devnode`: a local Stylus dev chain on 127.0.0.1:8547 (chain 412346), like nitro-devnode but
//! without Docker. Prints the funded accounts and serves JSON-RPC until Ctrl-C.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use clap::Parser;
use devnode::{config, CacheManagerSource, DevnodeConfig};
use tracing_subscriber::EnvFilter;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(name = "devnode", version, about)]
struct Cli {
    /// JSON-RPC port (0 picks a free one).
    #[arg(long, env = "DEVNODE_PORT", default_value_t = config::DEFAULT_PORT)]
    port: u16,
    /// Interface to bind.
    #[arg(long, env = "DEVNODE_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// EIP-155 chain id.
    #[arg(long, default_value_t = config::DEFAULT_CHAIN_ID)]
    chain_id: u64,
    /// Funded accounts besides the nitro dev account.
    #[arg(long, default_value_t = config::DEFAULT_EXTRA_ACCOUNTS)]
    accounts: usize,
    /// Balance of each funded account, in ETH.
    #[arg(long, default_value_t = config::DEFAULT_BALANCE_ETH)]
    balance: u64,
    /// Save the chain to this file and restore it from there on start.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Mine a block every N seconds instead of one per transaction (0).
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    block_time: u64,
    /// ArbOS version to follow (60 turns on the per-block recent-program cache).
    #[arg(long, value_name = "VERSION", default_value_t = devnode::evm::DEFAULT_ARBOS_VERSION)]
    arbos_version: u64,
    /// Install the CacheManager from this artifact (default: the one `npm ci` installs in
    /// devnode/npm, if present).
    #[arg(long, value_name = "FILE", conflicts_with = "no_cache_manager")]
    cache_manager: Option<PathBuf>,
    /// Start without a CacheManager.
    #[arg(long)]
    no_cache_manager: bool,
}

impl From<Cli> for DevnodeConfig {
    fn from(cli: Cli) -> Self {
        Self {
            host: cli.host,
            port: cli.port,
            chain_id: cli.chain_id,
            extra_accounts: cli.accounts,
            balance_eth: cli.balance,
            state_file: cli.state,
            block_time: Duration::from_secs(cli.block_time),
            arbos_version: cli.arbos_version,
            cache_manager: match (cli.cache_manager, cli.no_cache_manager) {
                (_, true) => CacheManagerSource::Off,
                (Some(path), false) => CacheManagerSource::Artifact(path),
                (None, false) => CacheManagerSource::Installed,
            },
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let config = DevnodeConfig::from(Cli::parse());
    let balance = config.balance_eth;
    let node = devnode::spawn(config).await?;

    println!("Available accounts ({balance} ETH each unless restored from a state file)");
    println!("==================");
    for (i, account) in node.accounts().iter().enumerate() {
        println!(
            "({i}) {} 0x{}",
            account.address,
            alloy_primitives::hex::encode(account.private_key)
        );
    }
    println!();
    println!("Chain id: {}", node.chain_id());
    println!("Listening on {}", node.url());

    tokio::signal::ctrl_c().await?;
    tracing::info!("shutting down");
    node.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_map_to_config() {
        let cli = Cli::parse_from([
            "devnode",
            "--port",
            "0",
            "--chain-id",
            "7",
            "--accounts",
            "2",
            "--balance",
            "5",
            "--state",
            "/tmp/x.json",
            "--block-time",
            "3",
            "--arbos-version",
            "60",
            "--cache-manager",
            "/tmp/cm.json",
        ]);
        let config = DevnodeConfig::from(cli);
        assert_eq!(config.port, 0);
        assert_eq!(config.chain_id, 7);
        assert_eq!(config.extra_accounts, 2);
        assert_eq!(config.balance_eth, 5);
        assert_eq!(config.state_file, Some(PathBuf::from("/tmp/x.json")));
        assert_eq!(config.block_time, Duration::from_secs(3));
        assert_eq!(config.arbos_version, 60);
        assert_eq!(
            config.cache_manager,
            CacheManagerSource::Artifact(PathBuf::from("/tmp/cm.json"))
        );
        let off = DevnodeConfig::from(Cli::parse_from(["devnode", "--no-cache-manager"]));
        assert_eq!(off.cache_manager, CacheManagerSource::Off);
    }

    #[test]
    fn defaults_match_nitro_devnode() {
        let config = DevnodeConfig::from(Cli::parse_from(["devnode"]));
        assert_eq!(config, DevnodeConfig::default());
    }
}
