//! `devnode-bench`: throughput and latency of an embedded devnode over JSON-RPC (HTTP, one
//! client, requests in sequence), plus its memory use. Prints a table and writes
//! `benches/snapshots/devnode.json` so a regression shows in the diff. Not a test: the numbers
//! depend on the machine.

use std::{
    path::PathBuf,
    time::{Duration, Instant},
};

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use alloy_signer::SignerSync;
use anyhow::{ensure, Context};
use clap::Parser;
use devnode::{DevAccount, DevnodeConfig};
use jsonrpsee::{
    core::{client::ClientT, params::ArrayParams},
    http_client::{HttpClient, HttpClientBuilder},
};
use serde::Serialize;
use serde_json::{json, Value};

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(name = "devnode-bench", about)]
struct Cli {
    /// Number of ETH transfers to send.
    #[arg(long, default_value_t = 2000)]
    transfers: u64,
    /// Number of contract storage writes to send.
    #[arg(long, default_value_t = 1000)]
    writes: u64,
    /// Number of eth_call requests to time.
    #[arg(long, default_value_t = 2000)]
    calls: u64,
    /// Where to write the JSON snapshot.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/snapshots/devnode.json"))]
    out: PathBuf,
}

/// The snapshot written to JSON.
#[derive(Debug, Serialize)]
struct Report {
    /// `debug` or `release`: debug builds are several times slower.
    profile: &'static str,
    transfers: u64,
    transfers_per_second: f64,
    contract_writes: u64,
    contract_writes_per_second: f64,
    eth_calls: u64,
    eth_call_p50_micros: u64,
    eth_call_p99_micros: u64,
    rss_start_kib: u64,
    rss_end_kib: u64,
    blocks: u64,
}

/// Runtime of the benchmark contract: with calldata, `sstore(0, calldataload(0))`; without,
/// return `sload(0)`.
const STORE_OR_LOAD: [u8; 23] = [
    0x36, 0x60, 0x0f, 0x57, // CALLDATASIZE PUSH1 15 JUMPI
    0x60, 0x00, 0x54, 0x60, 0x00, 0x52, // MSTORE(0, SLOAD(0))
    0x60, 0x20, 0x60, 0x00, 0xf3, // RETURN(0, 32)
    0x5b, 0x60, 0x00, 0x35, 0x60, 0x00, 0x55, 0x00, // 15: SSTORE(0, CALLDATALOAD(0)) STOP
];

fn init_code(runtime: &[u8]) -> Vec<u8> {
    let len = runtime.len() as u8;
    // PUSH1 len DUP1 PUSH1 11 PUSH1 0 CODECOPY PUSH1 0 RETURN
    let mut code = vec![
        0x60, len, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3,
    ];
    code.extend_from_slice(runtime);
    code
}

fn sign(
    account: &DevAccount,
    chain_id: u64,
    nonce: u64,
    to: TxKind,
    input: Vec<u8>,
    gas: u64,
) -> Bytes {
    let tx = TxEip1559 {
        chain_id,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 200_000_000,
        max_priority_fee_per_gas: 0,
        to,
        value: if input.is_empty() {
            U256::from(1)
        } else {
            U256::ZERO
        },
        access_list: Default::default(),
        input: input.into(),
    };
    let signature = account
        .signer()
        .sign_hash_sync(&tx.signature_hash())
        .expect("signing works");
    TxEnvelope::from(tx.into_signed(signature))
        .encoded_2718()
        .into()
}

fn params(values: Vec<Value>) -> ArrayParams {
    let mut params = ArrayParams::new();
    for value in values {
        params.insert(value).expect("JSON values serialize");
    }
    params
}

async fn send_all(client: &HttpClient, txs: Vec<Bytes>) -> anyhow::Result<(B256, Duration)> {
    let start = Instant::now();
    let mut last = B256::ZERO;
    for raw in txs {
        last = client
            .request("eth_sendRawTransaction", params(vec![json!(raw)]))
            .await?;
    }
    Ok((last, start.elapsed()))
}

/// Resident memory of this process in KiB (Linux), 0 elsewhere.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kib| kib.parse().ok()))
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: usize) -> u64 {
    let index = (sorted.len() * p / 100).min(sorted.len().saturating_sub(1));
    sorted.get(index).map_or(0, |d| d.as_micros() as u64)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rss_start_kib = rss_kib();
    let node = devnode::spawn(DevnodeConfig::ephemeral()).await?;
    let client = HttpClientBuilder::default().build(node.url())?;
    let chain_id = node.chain_id();
    let sender = node.accounts()[1].clone();
    let deployer = node.accounts()[2].clone();

    let contract_receipt: Value = {
        let raw = sign(
            &deployer,
            chain_id,
            0,
            TxKind::Create,
            init_code(&STORE_OR_LOAD),
            200_000,
        );
        let hash: B256 = client
            .request("eth_sendRawTransaction", params(vec![json!(raw)]))
            .await?;
        client
            .request("eth_getTransactionReceipt", params(vec![json!(hash)]))
            .await?
    };
    ensure!(
        contract_receipt["status"] == "0x1",
        "benchmark contract deployment failed"
    );
    let contract = deployer.address.create(0);

    let recipient = Address::repeat_byte(0x42);
    let transfers: Vec<Bytes> = (0..cli.transfers)
        .map(|nonce| {
            sign(
                &sender,
                chain_id,
                nonce,
                TxKind::Call(recipient),
                Vec::new(),
                21_000,
            )
        })
        .collect();
    let (_, transfer_time) = send_all(&client, transfers).await?;

    let writes: Vec<Bytes> = (0..cli.writes)
        .map(|i| {
            let value = U256::from(i + 1).to_be_bytes::<32>().to_vec();
            sign(
                &deployer,
                chain_id,
                i + 1,
                TxKind::Call(contract),
                value,
                100_000,
            )
        })
        .collect();
    let (last_write, write_time) = send_all(&client, writes).await?;
    let receipt: Value = client
        .request("eth_getTransactionReceipt", params(vec![json!(last_write)]))
        .await?;
    ensure!(
        receipt["status"] == "0x1",
        "storage writes failed: {receipt}"
    );

    let call = json!({ "to": contract });
    let mut latencies = Vec::with_capacity(cli.calls as usize);
    for _ in 0..cli.calls {
        let start = Instant::now();
        let value: Bytes = client
            .request("eth_call", params(vec![call.clone(), json!("latest")]))
            .await?;
        latencies.push(start.elapsed());
        ensure!(
            U256::from_be_slice(&value) == U256::from(cli.writes),
            "eth_call read a wrong value"
        );
    }
    latencies.sort();
    let blocks: alloy_primitives::U64 = client
        .request("eth_blockNumber", ArrayParams::new())
        .await?;

    let per_second = |n: u64, time: Duration| n as f64 / time.as_secs_f64().max(1e-9);
    let report = Report {
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        transfers: cli.transfers,
        transfers_per_second: per_second(cli.transfers, transfer_time),
        contract_writes: cli.writes,
        contract_writes_per_second: per_second(cli.writes, write_time),
        eth_calls: cli.calls,
        eth_call_p50_micros: percentile(&latencies, 50),
        eth_call_p99_micros: percentile(&latencies, 99),
        rss_start_kib,
        rss_end_kib: rss_kib(),
        blocks: blocks.to(),
    };
    node.shutdown().await?;

    println!("| metric ({} build) | value |", report.profile);
    println!("|---|---|");
    println!(
        "| ETH transfers/s ({} txs, 1 block each) | {:.0} |",
        report.transfers, report.transfers_per_second
    );
    println!(
        "| contract SSTORE txs/s ({} txs) | {:.0} |",
        report.contract_writes, report.contract_writes_per_second
    );
    println!(
        "| eth_call p50 / p99 ({} calls) | {} µs / {} µs |",
        report.eth_calls, report.eth_call_p50_micros, report.eth_call_p99_micros
    );
    println!(
        "| RSS start / end | {} KiB / {} KiB |",
        report.rss_start_kib, report.rss_end_kib
    );
    println!("| blocks | {} |", report.blocks);

    if let Some(dir) = cli.out.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let json = serde_json::to_string_pretty(&report)?;
    std::fs::write(&cli.out, json + "\n")
        .with_context(|| format!("writing {}", cli.out.display()))?;
    println!("wrote {}", cli.out.display());
    Ok(())
}
