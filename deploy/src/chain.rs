//! An ethers client for one chain: the RPC provider, the deployer's key and the chain id.
use std::sync::Arc;
use std::time::Duration;

use ethers::middleware::SignerMiddleware;
use ethers::providers::{Http, Middleware, Provider};
use ethers::signers::{LocalWallet, Signer};
use ethers::types::{Address, U256};

use crate::error::DeployError;

/// The client every transaction goes through.
pub type Client = SignerMiddleware<Provider<Http>, LocalWallet>;

/// How long to wait for the first answer of a node before calling it unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Receipt polling interval (instant-mining dev chains answer within milliseconds).
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// A connected chain with the deployer's signing client.
#[derive(Debug, Clone)]
pub struct Chain {
    /// The RPC URL.
    pub url: String,
    /// The chain id the node reports.
    pub chain_id: u64,
    /// Provider + deployer key.
    pub client: Arc<Client>,
}

/// Parses a hex private key (with or without `0x`).
///
/// # Errors
/// [`DeployError::InvalidKey`] when it is not a valid secp256k1 key.
pub fn parse_key(private_key: &str) -> Result<LocalWallet, DeployError> {
    let hex = private_key.trim();
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    hex.parse::<LocalWallet>()
        .map_err(|e| DeployError::InvalidKey {
            reason: e.to_string(),
        })
}

impl Chain {
    /// Connects to `url`, reads the chain id (checking it against `expected` when given) and
    /// binds `private_key` as the deployer.
    ///
    /// # Errors
    /// [`DeployError::InvalidRpcUrl`], [`DeployError::Unreachable`],
    /// [`DeployError::WrongChainId`], [`DeployError::InvalidKey`].
    pub async fn connect(
        url: &str,
        private_key: &str,
        expected: Option<u64>,
    ) -> Result<Self, DeployError> {
        let provider = Provider::<Http>::try_from(url)
            .map_err(|e| DeployError::InvalidRpcUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?
            .interval(POLL_INTERVAL);
        let unreachable = |reason: String| DeployError::Unreachable {
            url: url.to_string(),
            reason,
        };
        let chain_id = tokio::time::timeout(CONNECT_TIMEOUT, provider.get_chainid())
            .await
            .map_err(|_| unreachable(format!("no answer within {CONNECT_TIMEOUT:?}")))?
            .map_err(|e| unreachable(e.to_string()))?
            .as_u64();
        if let Some(expected) = expected {
            if expected != chain_id {
                return Err(DeployError::WrongChainId {
                    url: url.to_string(),
                    expected,
                    actual: chain_id,
                });
            }
        }
        let wallet = parse_key(private_key)?.with_chain_id(chain_id);
        Ok(Self {
            url: url.to_string(),
            chain_id,
            client: Arc::new(SignerMiddleware::new(provider, wallet)),
        })
    }

    /// The deployer's address.
    pub fn deployer(&self) -> Address {
        self.client.address()
    }

    /// The underlying provider (no signer).
    pub fn provider(&self) -> &Provider<Http> {
        self.client.inner()
    }

    /// The deployer's balance.
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn balance(&self) -> Result<U256, DeployError> {
        self.provider()
            .get_balance(self.deployer(), None)
            .await
            .map_err(|e| rpc_error("eth_getBalance", e))
    }

    /// Fails when the deployer cannot pay `needed` wei for `action`.
    ///
    /// # Errors
    /// [`DeployError::Unfunded`] with the balance and the amount.
    pub async fn ensure_funded(&self, needed: U256, action: &str) -> Result<(), DeployError> {
        let balance = self.balance().await?;
        if balance < needed {
            return Err(DeployError::Unfunded {
                address: self.deployer(),
                balance,
                needed,
                action: action.to_string(),
            });
        }
        Ok(())
    }

    /// The current gas price.
    ///
    /// # Errors
    /// [`DeployError::Rpc`].
    pub async fn gas_price(&self) -> Result<U256, DeployError> {
        self.provider()
            .get_gas_price()
            .await
            .map_err(|e| rpc_error("eth_gasPrice", e))
    }
}

/// Wraps any displayable RPC error.
pub fn rpc_error(action: &str, error: impl std::fmt::Display) -> DeployError {
    DeployError::Rpc {
        action: action.to_string(),
        reason: error.to_string(),
    }
}
