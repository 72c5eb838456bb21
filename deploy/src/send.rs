//! Sending a transaction and waiting for its receipt: the one helper `deploy`, the lifecycle
//! story, the integration tests and the bench runner send through.
//!
//! Every transaction without a gas limit of its own gets the node's estimate plus headroom
//! ([`gas_limit`], the one rule); then it is sent, its receipt awaited and checked. A refusal
//! keeps the node's error (and its revert data) so callers can decode the contract's typed
//! error; [`SendError::reason`] decodes ArbWasm and StylusDeployer errors.
use ethers::contract::{ContractCall, ContractError};
use ethers::providers::{Middleware, ProviderError};
use ethers::types::transaction::eip2718::TypedTransaction;
use ethers::types::{TransactionReceipt, H256, U256, U64};

use crate::chain::Client;

/// Least gas added to a node's estimate by [`gas_limit`]: room for four checkpoint appends (a
/// fresh key and value slot each, 4 x 2 x 22,100 gas).
pub const GAS_HEADROOM: u64 = 176_800;

/// Share of a node's estimate added by [`gas_limit`] when it is more than [`GAS_HEADROOM`],
/// percent.
pub const GAS_MARGIN_PERCENT: u64 = 20;

/// The gas limit of a transaction the node estimated at `estimate`: the estimate plus the larger
/// of [`GAS_HEADROOM`] and [`GAS_MARGIN_PERCENT`] of it.
///
/// Estimates are exact minimums at the latest block's timestamp, and checkpointed contracts (the
/// staking vault, like OpenZeppelin's `Votes`; the Elo ledger's validator records) overwrite the
/// last checkpoint within one second but append a new one in the next: a transaction estimated
/// in one second and mined in the next would run out of gas. An unstake right after a
/// redelegation appends the validator's, the total's and the delegator's checkpoints and its
/// queue entry, more than two appends: hence the fixed headroom. Large transactions (a program
/// deployment through the StylusDeployer, whose activation cost the node estimates from the
/// chain's current pricing) get a fifth more instead. Wallets add headroom for the same reasons.
/// The limit only caps a transaction: the gas it uses, and pays for, does not depend on it.
pub fn gas_limit(estimate: U256) -> U256 {
    let margin = estimate * GAS_MARGIN_PERCENT / 100;
    estimate + margin.max(U256::from(GAS_HEADROOM))
}

/// Why a transaction did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The node refused it, in the estimate or when sending (the revert data, if any, is in
    /// the error: `as_revert()`).
    #[error("{0}")]
    Refused(ContractError<Client>),
    /// Waiting for the receipt failed.
    #[error("waiting for the receipt of {hash:#x}: {source}")]
    Receipt {
        /// The transaction.
        hash: H256,
        /// The node's error.
        source: ProviderError,
    },
    /// The transaction left the pool without being mined.
    #[error("transaction {0:#x} was dropped")]
    Dropped(H256),
    /// Mined, but reverted.
    #[error("transaction {hash:#x} reverted on chain in block {block:?} after {gas_used} gas")]
    Reverted {
        /// The transaction.
        hash: H256,
        /// Its block.
        block: Option<U64>,
        /// The gas it used.
        gas_used: U256,
    },
}

impl SendError {
    /// A readable reason: the decoded ArbWasm or StylusDeployer error, the revert data, or the
    /// node's message.
    pub fn reason(&self) -> String {
        match self {
            SendError::Refused(error) => match error.as_revert() {
                Some(data) if !data.is_empty() => crate::arbitrum::decode_revert(data)
                    .unwrap_or_else(|| format!("reverted with {data}")),
                _ => error.to_string(),
            },
            other => other.to_string(),
        }
    }

    /// The node's error, when it refused the transaction.
    pub fn refusal(&self) -> Option<&ContractError<Client>> {
        match self {
            SendError::Refused(error) => Some(error),
            _ => None,
        }
    }
}

/// Gives `call` the gas limit [`gas_limit`] of its estimate, unless it sets one.
///
/// # Errors
/// [`SendError::Refused`] when the estimate fails (the call would revert).
pub async fn with_gas_limit<D: ethers::abi::Detokenize>(
    mut call: ContractCall<Client, D>,
) -> Result<ContractCall<Client, D>, SendError> {
    if call.tx.gas().is_none() {
        let estimate = call.estimate_gas().await.map_err(SendError::Refused)?;
        call = call.gas(gas_limit(estimate));
    }
    Ok(call)
}

/// Sends `call` (with its estimate plus headroom as gas limit, see [`gas_limit`], unless it
/// sets one), waits for its receipt and checks that it succeeded.
///
/// # Errors
/// [`SendError`]: refused, dropped or reverted.
pub async fn send<D: ethers::abi::Detokenize>(
    call: ContractCall<Client, D>,
) -> Result<TransactionReceipt, SendError> {
    let call = with_gas_limit(call).await?;
    let pending = call.send().await.map_err(SendError::Refused)?;
    let hash = *pending;
    confirm(hash, pending.await)
}

/// Sends `tx` from `client` (with its estimate plus headroom as gas limit, see [`gas_limit`],
/// unless it sets one), waits for its receipt and checks that it succeeded: for transactions
/// that are no contract call of a binding (ETH transfers, raw deployments).
///
/// # Errors
/// [`SendError`]: refused, dropped or reverted.
pub async fn send_transaction(
    client: &Client,
    tx: impl Into<TypedTransaction>,
) -> Result<TransactionReceipt, SendError> {
    let mut tx = tx.into();
    let refused = |e| SendError::Refused(ContractError::MiddlewareError { e });
    if tx.gas().is_none() {
        let estimate = client.estimate_gas(&tx, None).await.map_err(refused)?;
        tx.set_gas(gas_limit(estimate));
    }
    let pending = client.send_transaction(tx, None).await.map_err(refused)?;
    let hash = *pending;
    confirm(hash, pending.await)
}

/// Checks the outcome of waiting for `hash`'s receipt.
fn confirm(
    hash: H256,
    waited: Result<Option<TransactionReceipt>, ProviderError>,
) -> Result<TransactionReceipt, SendError> {
    let receipt = waited
        .map_err(|source| SendError::Receipt { hash, source })?
        .ok_or(SendError::Dropped(hash))?;
    if receipt.status != Some(1.into()) {
        return Err(SendError::Reverted {
            hash,
            block: receipt.block_number,
            gas_used: receipt.gas_used.unwrap_or_default(),
        });
    }
    Ok(receipt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_adds_the_larger_of_the_headroom_and_a_fifth() {
        assert_eq!(gas_limit(21_000.into()), U256::from(21_000 + GAS_HEADROOM));
        // Below 884,000 gas the fixed headroom is the larger.
        assert_eq!(
            gas_limit(884_000.into()),
            U256::from(884_000 + GAS_HEADROOM)
        );
        assert_eq!(gas_limit(5_000_000.into()), U256::from(6_000_000));
        assert_eq!(gas_limit(U256::zero()), U256::from(GAS_HEADROOM));
    }
}
