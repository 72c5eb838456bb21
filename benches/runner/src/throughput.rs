//! Node throughput and latency over JSON-RPC: the same workload on the devnode and on anvil,
//! one client sending signed transactions one after the other (each mined in its own block).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Result};
use ethers::abi::{Abi, Token};
use ethers::contract::Contract;
use ethers::providers::Middleware;
use ethers::signers::{LocalWallet, Signer as _};
use ethers::types::{Address, Bytes, TransactionRequest, U256};
use serde::Serialize;

use crate::client::{send_raw_all, transact, wait_receipt, Client, RawSigner};
use crate::gas::{calldata, tokens};
use crate::node::Memory;

/// How much work one node run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Workload {
    /// ETH transfers.
    pub eth_transfers: usize,
    /// ERC-20 transfers (per token implementation).
    pub token_transfers: usize,
    /// Timed `eth_call`s.
    pub calls: usize,
}

/// A token to send transfers with: its address and ABI (deployer = exempt initial holder).
#[derive(Clone)]
pub struct TokenUnderTest {
    /// Address.
    pub address: Address,
    /// ABI with `transfer` and `balanceOf`.
    pub abi: Abi,
}

/// Results on one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRun {
    /// `devnode` or `anvil`.
    pub node: String,
    /// ETH transfers per second.
    pub eth_transfers_per_s: f64,
    /// Solidity (EVM) ERC-20 transfers per second.
    pub evm_erc20_transfers_per_s: f64,
    /// Stylus ERC-20 transfers per second (devnode only).
    pub stylus_erc20_transfers_per_s: Option<f64>,
    /// `eth_call` (`balanceOf` on the EVM token) median latency, µs.
    pub eth_call_p50_micros: u64,
    /// 99th percentile latency, µs.
    pub eth_call_p99_micros: u64,
    /// Node process memory after the run.
    pub memory: Memory,
}

/// The `p`-th percentile (nearest rank) of sorted durations, in µs.
pub fn percentile_micros(sorted: &[Duration], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1].as_micros() as u64
}

fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64().max(1e-9)
}

async fn fresh_sender(deployer: &Arc<Client>) -> Result<LocalWallet> {
    let chain_id = ethers::signers::Signer::chain_id(deployer.signer());
    let wallet = LocalWallet::new(&mut ethers::core::rand::thread_rng()).with_chain_id(chain_id);
    let tx = TransactionRequest::pay(
        ethers::signers::Signer::address(&wallet),
        U256::exp10(18) * 100,
    );
    let receipt = deployer.send_transaction(tx, None).await?.await?;
    ensure!(
        receipt.and_then(|r| r.status) == Some(1.into()),
        "funding the sender failed"
    );
    Ok(wallet)
}

/// Times `count` ETH transfers from a fresh account.
async fn eth_transfers(deployer: &Arc<Client>, count: usize) -> Result<f64> {
    let provider = deployer.inner();
    let mut signer = RawSigner::new(provider, fresh_sender(deployer).await?).await?;
    let recipient = Address::random();
    let txs = (0..count)
        .map(|_| signer.sign(recipient, U256::one(), Bytes::new(), 21_000))
        .collect::<Result<Vec<_>>>()?;
    let start = Instant::now();
    let last = send_raw_all(provider, txs).await?;
    wait_receipt(provider, last).await?;
    let elapsed = start.elapsed();
    let balance = provider.get_balance(recipient, None).await?;
    ensure!(
        balance == U256::from(count),
        "ETH transfers lost: recipient has {balance} wei, want {count}"
    );
    Ok(per_second(count, elapsed))
}

/// Times `count` taxed token transfers of one token from a fresh holder.
async fn token_transfers(
    deployer: &Arc<Client>,
    token: &TokenUnderTest,
    count: usize,
) -> Result<f64> {
    let provider = deployer.inner();
    let wallet = fresh_sender(deployer).await?;
    let holder = Contract::new(token.address, token.abi.clone(), deployer.clone());
    let sender = ethers::signers::Signer::address(&wallet);
    transact(&holder, "transfer", (sender, tokens(count as u64 + 1))).await?;
    let mut signer = RawSigner::new(provider, wallet).await?;
    let recipient = Address::random();
    let data = calldata(
        &token.abi,
        "transfer",
        &[Token::Address(recipient), Token::Uint(tokens(1))],
    )?;
    let txs = (0..count)
        .map(|_| signer.sign(token.address, U256::zero(), data.clone(), 300_000))
        .collect::<Result<Vec<_>>>()?;
    let start = Instant::now();
    let last = send_raw_all(provider, txs).await?;
    wait_receipt(provider, last).await?;
    let elapsed = start.elapsed();
    let received: U256 = holder
        .method::<_, U256>("balanceOf", recipient)?
        .call()
        .await?;
    // 1% tax, floor: each transfer of one token delivers 0.99.
    let want = tokens(count as u64) * 99 / 100;
    ensure!(
        received == want,
        "token transfers lost: recipient has {received}, want {want}"
    );
    Ok(per_second(count, elapsed))
}

/// Times `count` `eth_call`s of `balanceOf` on the token; returns sorted latencies.
async fn call_latencies(
    deployer: &Arc<Client>,
    token: &TokenUnderTest,
    count: usize,
) -> Result<Vec<Duration>> {
    let provider = deployer.inner();
    let holder = deployer.address();
    let data = calldata(&token.abi, "balanceOf", &[Token::Address(holder)])?;
    let call = serde_json::json!({ "to": token.address, "data": data });
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        let output: Bytes = provider
            .request("eth_call", (call.clone(), "latest"))
            .await?;
        latencies.push(start.elapsed());
        ensure!(output.len() == 32, "balanceOf returned {output}");
    }
    latencies.sort();
    Ok(latencies)
}

/// Runs the workload on one node. `evm_token` is the Solidity reference token; `stylus_token`
/// the Stylus one (devnode only).
///
/// # Errors
/// When a transaction fails or a check does not hold.
pub async fn run(
    node: &str,
    deployer: &Arc<Client>,
    evm_token: &TokenUnderTest,
    stylus_token: Option<&TokenUnderTest>,
    workload: Workload,
    memory: impl Fn() -> Memory,
) -> Result<NodeRun> {
    let eth = eth_transfers(deployer, workload.eth_transfers).await?;
    let evm = token_transfers(deployer, evm_token, workload.token_transfers).await?;
    let stylus = match stylus_token {
        Some(token) => Some(token_transfers(deployer, token, workload.token_transfers).await?),
        None => None,
    };
    let latencies = call_latencies(deployer, evm_token, workload.calls).await?;
    Ok(NodeRun {
        node: node.to_string(),
        eth_transfers_per_s: eth,
        evm_erc20_transfers_per_s: evm,
        stylus_erc20_transfers_per_s: stylus,
        eth_call_p50_micros: percentile_micros(&latencies, 50),
        eth_call_p99_micros: percentile_micros(&latencies, 99),
        memory: memory(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(percentile_micros(&sorted, 50), 50);
        assert_eq!(percentile_micros(&sorted, 99), 99);
        assert_eq!(percentile_micros(&sorted, 100), 100);
        let few = [Duration::from_micros(7), Duration::from_micros(9)];
        assert_eq!(percentile_micros(&few, 50), 7);
        assert_eq!(percentile_micros(&few, 99), 9);
        assert_eq!(percentile_micros(&[], 50), 0);
    }

    #[test]
    fn rates_are_per_second() {
        assert_eq!(per_second(500, Duration::from_millis(250)), 2000.0);
    }
}
