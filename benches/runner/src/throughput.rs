//! Node throughput and latency over JSON-RPC: the same workload on the devnode and on anvil,
//! one client sending signed transactions one after the other (each mined in its own block).

use std::sync::Arc;

use anyhow::{ensure, Result};
use devnode::throughput::{
    call_latencies, contract_transactions, eth_transfers, percentile_micros, Rpc, Sender,
};
use ethers::abi::{Abi, Token};
use ethers::contract::Contract;
use ethers::providers::Middleware;
use ethers::types::{Address, U256};
use serde::Serialize;

use crate::client::{funded_account, transact, Client};
use crate::gas::{calldata, tokens};
use crate::node::Memory;

/// How much work one node run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct Workload {
    /// ETH transfers.
    pub eth_transfers: usize,
    /// ERC-20 transfers (per token implementation).
    pub token_transfers: usize,
    /// Timed `eth_call`s.
    pub calls: usize,
}

/// A token to send transfers with: its address and ABI (deployer = exempt initial holder).
#[derive(Clone)]
pub(crate) struct TokenUnderTest {
    /// Address.
    pub address: Address,
    /// ABI with `transfer` and `balanceOf`.
    pub abi: Abi,
}

/// Results on one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct NodeRun {
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

/// Ether given to each fresh sender.
const SENDER_FUNDS_ETH: u64 = 100;

/// Gas limit of a token transfer.
const TOKEN_TRANSFER_GAS: u64 = 300_000;

/// An account of its own (so nonces and token balances start known), funded by `deployer`, as a
/// raw-transaction sender.
async fn fresh_sender(deployer: &Client, rpc: &Rpc) -> Result<(Address, Sender)> {
    let account = funded_account(deployer, SENDER_FUNDS_ETH).await?;
    let key = account.signer().signer().to_bytes();
    let sender = Sender::new(rpc, alloy_primitives::B256::from_slice(&key)).await?;
    Ok((account.address(), sender))
}

/// An ethers address as the devnode's type.
fn alloy_address(address: Address) -> alloy_primitives::Address {
    alloy_primitives::Address::from(address.0)
}

/// Times `count` taxed token transfers of one token from a fresh holder.
async fn token_transfers(
    deployer: &Arc<Client>,
    rpc: &Rpc,
    token: &TokenUnderTest,
    count: usize,
) -> Result<f64> {
    let (holder_address, mut sender) = fresh_sender(deployer, rpc).await?;
    let holder = Contract::new(token.address, token.abi.clone(), deployer.clone());
    transact(
        &holder,
        "transfer",
        (holder_address, tokens(count as u64 + 1)),
    )
    .await?;
    let recipient = Address::random();
    let data = calldata(
        &token.abi,
        "transfer",
        &[Token::Address(recipient), Token::Uint(tokens(1))],
    )?;
    let data = alloy_primitives::Bytes::from(data.to_vec());
    let rate = contract_transactions(
        rpc,
        &mut sender,
        alloy_address(token.address),
        count,
        TOKEN_TRANSFER_GAS,
        |_| data.clone(),
    )
    .await?;
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
    Ok(rate)
}

/// Runs the workload on one node. `evm_token` is the Solidity reference token; `stylus_token`
/// the Stylus one (devnode only).
///
/// # Errors
/// When a transaction fails or a check does not hold.
pub(crate) async fn run(
    node: &str,
    deployer: &Arc<Client>,
    evm_token: &TokenUnderTest,
    stylus_token: Option<&TokenUnderTest>,
    workload: Workload,
    memory: impl Fn() -> Memory,
) -> Result<NodeRun> {
    let rpc = Rpc::connect(deployer.inner().as_ref().url().as_str())?;
    let (_, mut sender) = fresh_sender(deployer, &rpc).await?;
    let eth = eth_transfers(&rpc, &mut sender, workload.eth_transfers).await?;
    let evm = token_transfers(deployer, &rpc, evm_token, workload.token_transfers).await?;
    let stylus = match stylus_token {
        Some(token) => {
            Some(token_transfers(deployer, &rpc, token, workload.token_transfers).await?)
        }
        None => None,
    };
    let balance_of = calldata(
        &evm_token.abi,
        "balanceOf",
        &[Token::Address(deployer.address())],
    )?;
    let latencies = call_latencies(
        &rpc,
        alloy_address(evm_token.address),
        balance_of.to_vec().into(),
        workload.calls,
        |output| {
            ensure!(output.len() == 32, "balanceOf returned {output}");
            Ok(())
        },
    )
    .await?;
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
