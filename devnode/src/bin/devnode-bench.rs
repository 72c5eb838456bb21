//! `devnode-bench`: throughput and latency of an embedded devnode over JSON-RPC (HTTP, one
//! client, requests in sequence), plus its memory use. Prints a table and writes
//! `benches/snapshots/devnode.json` so a regression shows in the diff. Not a test: the numbers
//! depend on the machine.

use std::path::PathBuf;

use alloy_primitives::{Bytes, U256};
use anyhow::{ensure, Context};
use clap::Parser;
use devnode::{
    throughput::{self, Rpc, Sender},
    DevnodeConfig,
};
use serde::Serialize;

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(name = "devnode-bench", about)]
struct Cli {
    /// Number of ETH transfers to send.
    #[arg(long, default_value_t = 2000)]
    transfers: usize,
    /// Number of contract storage writes to send.
    #[arg(long, default_value_t = 1000)]
    writes: usize,
    /// Number of eth_call requests to time.
    #[arg(long, default_value_t = 2000)]
    calls: usize,
    /// Where to write the JSON snapshot.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/snapshots/devnode.json"))]
    out: PathBuf,
}

/// The snapshot written to JSON.
#[derive(Debug, Serialize)]
struct Report {
    /// `debug` or `release`: debug builds are several times slower.
    profile: &'static str,
    transfers: usize,
    transfers_per_second: f64,
    contract_writes: usize,
    contract_writes_per_second: f64,
    eth_calls: usize,
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let rss_start_kib = rss_kib();
    let node = devnode::spawn(DevnodeConfig::ephemeral()).await?;
    let rpc = Rpc::connect(&node.url())?;
    let mut sender = Sender::new(&rpc, node.accounts()[1].private_key).await?;
    let mut deployer = Sender::new(&rpc, node.accounts()[2].private_key).await?;

    let code = init_code(&STORE_OR_LOAD).into();
    let contract = throughput::deploy(&rpc, &mut deployer, code, 200_000).await?;
    let transfers_per_second = throughput::eth_transfers(&rpc, &mut sender, cli.transfers).await?;
    let value = |i: usize| Bytes::from(U256::from(i + 1).to_be_bytes::<32>());
    let contract_writes_per_second = throughput::contract_transactions(
        &rpc,
        &mut deployer,
        contract,
        cli.writes,
        100_000,
        value,
    )
    .await?;
    let latencies = throughput::call_latencies(&rpc, contract, Bytes::new(), cli.calls, |value| {
        ensure!(
            U256::from_be_slice(value) == U256::from(cli.writes),
            "eth_call read a wrong value"
        );
        Ok(())
    })
    .await?;

    let report = Report {
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        transfers: cli.transfers,
        transfers_per_second,
        contract_writes: cli.writes,
        contract_writes_per_second,
        eth_calls: cli.calls,
        eth_call_p50_micros: throughput::percentile_micros(&latencies, 50),
        eth_call_p99_micros: throughput::percentile_micros(&latencies, 99),
        rss_start_kib,
        rss_end_kib: rss_kib(),
        blocks: rpc.block_number().await?,
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
