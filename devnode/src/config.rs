//! Settings of a devnode: network address, chain id, ArbOS version, funded accounts, mining
//! mode, state file, CacheManager.

use std::{net::IpAddr, path::PathBuf, time::Duration};

use alloy_primitives::U256;

/// The chain id of nitro-devnode.
pub const DEFAULT_CHAIN_ID: u64 = 412_346;
/// The JSON-RPC port of nitro-devnode.
pub const DEFAULT_PORT: u16 = 8547;
/// How many accounts are funded besides the nitro dev account.
pub const DEFAULT_EXTRA_ACCOUNTS: usize = 10;
/// The balance of every funded account, in ETH.
pub const DEFAULT_BALANCE_ETH: u64 = 10_000;

/// Everything needed to start a devnode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DevnodeConfig {
    /// Interface the JSON-RPC server binds to (127.0.0.1 by default).
    pub host: IpAddr,
    /// JSON-RPC port; 0 picks a free port.
    pub port: u16,
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Number of deterministic accounts funded besides the nitro dev account.
    pub extra_accounts: usize,
    /// Balance of each funded account, in ETH.
    pub balance_eth: u64,
    /// File the whole chain is saved to and restored from; `None` keeps it in memory only.
    pub state_file: Option<PathBuf>,
    /// Interval mining period; zero mines one block per transaction.
    pub block_time: Duration,
    /// ArbOS version the chain follows (40 as nitro-devnode; 60 turns on the per-block
    /// recent-program cache).
    pub arbos_version: u64,
    /// Which CacheManager a fresh chain installs at genesis.
    pub cache_manager: CacheManagerSource,
}

/// Where the CacheManager a fresh devnode installs comes from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CacheManagerSource {
    /// The published artifact `npm ci` installs in `devnode/npm`; without it the devnode starts
    /// without a CacheManager and says so.
    #[default]
    Installed,
    /// A CacheManager artifact (hardhat JSON with `bytecode`) at this path; start-up fails if it
    /// cannot be installed.
    Artifact(PathBuf),
    /// No CacheManager.
    Off,
}

impl Default for DevnodeConfig {
    fn default() -> Self {
        Self {
            host: IpAddr::from([127, 0, 0, 1]),
            port: DEFAULT_PORT,
            chain_id: DEFAULT_CHAIN_ID,
            extra_accounts: DEFAULT_EXTRA_ACCOUNTS,
            balance_eth: DEFAULT_BALANCE_ETH,
            state_file: None,
            block_time: Duration::ZERO,
            arbos_version: crate::evm::DEFAULT_ARBOS_VERSION,
            cache_manager: CacheManagerSource::Installed,
        }
    }
}

impl DevnodeConfig {
    /// The defaults with a random free port, for tests and embedding.
    pub fn ephemeral() -> Self {
        Self {
            port: 0,
            ..Self::default()
        }
    }

    /// The balance of each funded account in wei.
    pub fn balance_wei(&self) -> U256 {
        U256::from(self.balance_eth) * U256::from(10u64).pow(U256::from(18u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_nitro_devnode() {
        let config = DevnodeConfig::default();
        assert_eq!(config.port, 8547);
        assert_eq!(config.chain_id, 412_346);
        assert_eq!(config.host.to_string(), "127.0.0.1");
        assert_eq!(config.extra_accounts, 10);
        assert!(config.block_time.is_zero());
        assert_eq!(DevnodeConfig::ephemeral().port, 0);
    }

    #[test]
    fn balance_is_converted_to_wei() {
        let config = DevnodeConfig {
            balance_eth: 3,
            ..DevnodeConfig::default()
        };
        assert_eq!(
            config.balance_wei(),
            U256::from(3_000_000_000_000_000_000u128)
        );
    }
}
