//! The JSON-RPC throughput workload: one client sending signed transactions one after the other
//! (each mined in its own block on an instant-mining node), then timing `eth_call`s.
//!
//! `devnode-bench` runs it on an embedded devnode; the bench runner (`benches/runner`) runs it on
//! a devnode and on anvil. Every phase checks its effect, so a broken node fails the run instead
//! of reporting a fast nothing. Rates count until the last receipt is available.

use std::time::{Duration, Instant};

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256, U64};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use anyhow::{bail, ensure, Context};
use jsonrpsee::{
    core::{client::ClientT, params::ArrayParams},
    http_client::{HttpClient, HttpClientBuilder},
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Where the ETH transfers go.
pub const ETH_RECIPIENT: Address = Address::repeat_byte(0x42);

/// Gas limit of an ETH transfer.
const TRANSFER_GAS: u64 = 21_000;

/// How long [`send_timed`] waits for the last receipt while the node mines no new block: a slow
/// node (anvil on a loaded machine takes minutes for a few thousand transactions) is measured,
/// only a stalled one fails the run.
const STALL_TIMEOUT: Duration = Duration::from_secs(60);

/// How often [`send_timed`] asks for the last receipt.
const RECEIPT_POLL: Duration = Duration::from_millis(2);

/// A JSON-RPC client over HTTP.
pub struct Rpc {
    client: HttpClient,
}

impl Rpc {
    /// A client for the node at `url`.
    ///
    /// # Errors
    /// When the URL is malformed.
    pub fn connect(url: &str) -> anyhow::Result<Self> {
        let client = HttpClientBuilder::default()
            .build(url)
            .with_context(|| format!("connecting to {url}"))?;
        Ok(Self { client })
    }

    /// Calls `method` with positional `params`.
    ///
    /// # Errors
    /// When the node answers with an error or an unexpected value.
    pub async fn request<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Vec<Value>,
    ) -> anyhow::Result<T> {
        let mut array = ArrayParams::new();
        for param in params {
            array.insert(param)?;
        }
        self.client
            .request(method, array)
            .await
            .with_context(|| method.to_string())
    }

    /// The latest balance of `address`.
    ///
    /// # Errors
    /// When the node does not answer.
    pub async fn balance(&self, address: Address) -> anyhow::Result<U256> {
        self.request("eth_getBalance", vec![json!(address), json!("latest")])
            .await
    }

    /// The number of the latest block.
    ///
    /// # Errors
    /// When the node does not answer.
    pub async fn block_number(&self) -> anyhow::Result<u64> {
        let number: U64 = self.request("eth_blockNumber", Vec::new()).await?;
        Ok(number.to())
    }
}

/// Signs EIP-1559 transactions offline with consecutive nonces (no per-transaction estimate or
/// nonce query).
pub struct Sender {
    signer: PrivateKeySigner,
    chain_id: u64,
    nonce: u64,
    max_fee: u128,
}

impl Sender {
    /// A sender for private key `key`, starting at its current nonce and paying twice the node's
    /// gas price.
    ///
    /// # Errors
    /// When the key is not a valid secp256k1 key or the node does not answer.
    pub async fn new(rpc: &Rpc, key: B256) -> anyhow::Result<Self> {
        let signer = PrivateKeySigner::from_bytes(&key).context("parsing the private key")?;
        let chain_id: U64 = rpc.request("eth_chainId", Vec::new()).await?;
        let nonce: U64 = rpc
            .request(
                "eth_getTransactionCount",
                vec![json!(signer.address()), json!("latest")],
            )
            .await?;
        let gas_price: U256 = rpc.request("eth_gasPrice", Vec::new()).await?;
        let max_fee = u128::try_from(gas_price.saturating_mul(U256::from(2)) + U256::from(1))
            .context("gas price out of range")?;
        Ok(Self {
            signer,
            chain_id: chain_id.to(),
            nonce: nonce.to(),
            max_fee,
        })
    }

    /// The sending account.
    pub fn address(&self) -> Address {
        self.signer.address()
    }

    /// A signed transaction to `to` with `value`, `input` and gas limit `gas`, using the next
    /// nonce.
    ///
    /// # Errors
    /// When signing fails.
    pub fn sign(
        &mut self,
        to: TxKind,
        value: U256,
        input: Bytes,
        gas: u64,
    ) -> anyhow::Result<Bytes> {
        let tx = TxEip1559 {
            chain_id: self.chain_id,
            nonce: self.nonce,
            gas_limit: gas,
            max_fee_per_gas: self.max_fee,
            max_priority_fee_per_gas: 0,
            to,
            value,
            access_list: Default::default(),
            input,
        };
        let signature = self.signer.sign_hash_sync(&tx.signature_hash())?;
        self.nonce += 1;
        Ok(TxEnvelope::from(tx.into_signed(signature))
            .encoded_2718()
            .into())
    }
}

/// Sends signed transactions one after the other and waits for the last receipt; returns the
/// time from the first send to that receipt.
///
/// # Errors
/// When the node refuses a transaction, or the last one fails, or the node mines no block for
/// 60 s before the last receipt.
pub async fn send_timed(rpc: &Rpc, txs: Vec<Bytes>) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut last = None;
    for raw in txs {
        let hash: B256 = rpc
            .request("eth_sendRawTransaction", vec![json!(raw)])
            .await?;
        last = Some(hash);
    }
    if let Some(hash) = last {
        let mut progress = Progress::new(rpc.block_number().await?);
        loop {
            let receipt: Value = rpc
                .request("eth_getTransactionReceipt", vec![json!(hash)])
                .await?;
            if !receipt.is_null() {
                ensure!(
                    receipt["status"] == "0x1",
                    "transaction {hash} failed: {receipt}"
                );
                break;
            }
            if progress.stalled_since() > STALL_TIMEOUT {
                // Only a node that stopped mining fails; one still mining keeps its time.
                if !progress.advanced(rpc.block_number().await?) {
                    bail!("no receipt for {hash}: the node mined no block in {STALL_TIMEOUT:?}");
                }
            }
            tokio::time::sleep(RECEIPT_POLL).await;
        }
    }
    Ok(start.elapsed())
}

/// The last block number seen and when it was first seen.
struct Progress {
    block: u64,
    since: Instant,
}

impl Progress {
    fn new(block: u64) -> Self {
        Self {
            block,
            since: Instant::now(),
        }
    }

    /// How long the block number has stayed the same.
    fn stalled_since(&self) -> Duration {
        self.since.elapsed()
    }

    /// Records `block`; whether it is newer than the last one seen.
    fn advanced(&mut self, block: u64) -> bool {
        if block == self.block {
            return false;
        }
        *self = Self::new(block);
        true
    }
}

/// Deploys `init_code` from `sender`; returns the new contract's address.
///
/// # Errors
/// When the creation fails.
pub async fn deploy(
    rpc: &Rpc,
    sender: &mut Sender,
    init_code: Bytes,
    gas: u64,
) -> anyhow::Result<Address> {
    let address = sender.address().create(sender.nonce);
    let raw = sender.sign(TxKind::Create, U256::ZERO, init_code, gas)?;
    send_timed(rpc, vec![raw])
        .await
        .context("deploying the workload contract")?;
    Ok(address)
}

/// Sends `count` transfers of 1 wei from `sender` to [`ETH_RECIPIENT`]; returns transfers per
/// second.
///
/// # Errors
/// When a transfer fails or the recipient's balance did not grow by `count` wei.
pub async fn eth_transfers(rpc: &Rpc, sender: &mut Sender, count: usize) -> anyhow::Result<f64> {
    let before = rpc.balance(ETH_RECIPIENT).await?;
    let txs = (0..count)
        .map(|_| {
            sender.sign(
                TxKind::Call(ETH_RECIPIENT),
                U256::from(1),
                Bytes::new(),
                TRANSFER_GAS,
            )
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let elapsed = send_timed(rpc, txs).await?;
    let received = rpc.balance(ETH_RECIPIENT).await?.saturating_sub(before);
    ensure!(
        received == U256::from(count),
        "ETH transfers lost: the recipient received {received} wei, want {count}"
    );
    Ok(per_second(count, elapsed))
}

/// Sends `count` transactions from `sender` to contract `to`, the `i`-th with calldata
/// `input(i)` and gas limit `gas`; returns transactions per second. The caller checks their
/// effect.
///
/// # Errors
/// When the node refuses one or the last one fails.
pub async fn contract_transactions(
    rpc: &Rpc,
    sender: &mut Sender,
    to: Address,
    count: usize,
    gas: u64,
    mut input: impl FnMut(usize) -> Bytes,
) -> anyhow::Result<f64> {
    let txs = (0..count)
        .map(|i| sender.sign(TxKind::Call(to), U256::ZERO, input(i), gas))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let elapsed = send_timed(rpc, txs).await?;
    Ok(per_second(count, elapsed))
}

/// Times `count` `eth_call`s of `data` on `to` at the latest block, checking each output with
/// `check`; returns the latencies, sorted.
///
/// # Errors
/// When a call fails or `check` rejects its output.
pub async fn call_latencies(
    rpc: &Rpc,
    to: Address,
    data: Bytes,
    count: usize,
    check: impl Fn(&Bytes) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<Duration>> {
    let call = json!({ "to": to, "data": data });
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let start = Instant::now();
        let output: Bytes = rpc
            .request("eth_call", vec![call.clone(), json!("latest")])
            .await?;
        latencies.push(start.elapsed());
        check(&output)?;
    }
    latencies.sort();
    Ok(latencies)
}

/// The `p`-th percentile (nearest rank) of sorted durations, in µs.
pub fn percentile_micros(sorted: &[Duration], p: usize) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * p).div_ceil(100).clamp(1, sorted.len());
    sorted[rank - 1].as_micros() as u64
}

/// `count` per second of `elapsed`.
pub fn per_second(count: usize, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64().max(1e-9)
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
    fn only_a_node_that_mines_no_new_block_counts_as_stalled() {
        let mut progress = Progress {
            block: 7,
            since: Instant::now() - 2 * STALL_TIMEOUT,
        };
        assert!(progress.stalled_since() > STALL_TIMEOUT);
        assert!(!progress.advanced(7), "the same block is no progress");
        assert!(progress.stalled_since() > STALL_TIMEOUT);
        assert!(progress.advanced(8), "a new block is progress");
        assert_eq!(progress.block, 8);
        assert!(progress.stalled_since() < STALL_TIMEOUT);
        assert!(!progress.advanced(8));
    }

    #[test]
    fn rates_are_per_second() {
        assert_eq!(per_second(500, Duration::from_millis(250)), 2000.0);
    }

    /// The whole workload on an embedded devnode: every phase checks its effect, so a transfer
    /// the node dropped or a call answering a wrong value fails the run.
    #[tokio::test]
    async fn workload_runs_and_checks_its_effects() {
        let node = crate::spawn(crate::DevnodeConfig::ephemeral())
            .await
            .unwrap();
        let rpc = Rpc::connect(&node.url()).unwrap();
        let mut sender = Sender::new(&rpc, node.accounts()[1].private_key)
            .await
            .unwrap();
        assert!(eth_transfers(&rpc, &mut sender, 3).await.unwrap() > 0.0);
        assert_eq!(rpc.balance(ETH_RECIPIENT).await.unwrap(), U256::from(3));
        // A call whose check rejects the output fails the run.
        let latencies = call_latencies(&rpc, ETH_RECIPIENT, Bytes::new(), 2, |_| Ok(())).await;
        assert_eq!(latencies.unwrap().len(), 2);
        let rejected = call_latencies(&rpc, ETH_RECIPIENT, Bytes::new(), 1, |_| {
            bail!("wrong value")
        })
        .await;
        assert!(rejected.is_err());
        assert_eq!(rpc.block_number().await.unwrap(), 3);
        node.shutdown().await.unwrap();
    }
}
