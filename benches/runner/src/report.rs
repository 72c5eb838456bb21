//! The results: JSON snapshots (`benches/snapshots/*.json`, committed so a regression shows in
//! the diff) and the Markdown tables of `benches/RESULTS.md`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::focused::FocusRow;
use crate::gas::OperationGas;
use crate::operations::Lifecycle;
use crate::sizes::{SizeRow, TARGET_COMPRESSED};
use crate::solidity::CompilerInfo;
use crate::throughput::{NodeRun, Workload};

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Results {
    /// `debug` or `release` build of the bench (and of the devnode it runs).
    pub profile: &'static str,
    /// The devnode binary measured, when not the one built into the bench.
    pub devnode_binary: Option<String>,
    /// Whether this was the `--quick` smoke run.
    pub quick: bool,
    /// The Solidity compiler.
    pub compiler: CompilerInfo,
    /// Gas per operation.
    pub gas: Vec<OperationGas>,
    /// Gas of every transaction of the lifecycle story on the deployed system, when every
    /// contract fits.
    pub lifecycle: Option<Lifecycle>,
    /// Focused measurements on a deployed system (empty when not every contract fits).
    pub focused: Vec<FocusRow>,
    /// Stylus code sizes.
    pub sizes: Vec<SizeRow>,
    /// Runtime code sizes of the Solidity references (bytes).
    pub solidity_sizes: Vec<(String, usize)>,
    /// Node workload.
    pub workload: Workload,
    /// Node runs (devnode, anvil).
    pub nodes: Vec<NodeRun>,
}

/// How the two figures of each Stylus measurement were taken (recorded in the snapshots).
const PROGRAMS: &str = "uncached: no program cached; cached: measured again on a fresh devnode \
                        with every program of the system cached through its CacheManager";

/// Snapshot files written by [`write_snapshots`].
pub(crate) const SNAPSHOT_FILES: [&str; 5] = [
    "gas.json",
    "operations.json",
    "focused.json",
    "code-size.json",
    "nodes.json",
];

/// Writes `gas.json`, `operations.json`, `focused.json`, `code-size.json` and `nodes.json` into
/// `dir`.
///
/// # Errors
/// When a file cannot be written.
pub(crate) fn write_snapshots(results: &Results, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let gas = serde_json::json!({
        "network": "devnode",
        "compiler": results.compiler,
        "operations": results.gas,
    });
    let operations = serde_json::json!({
        "network": "devnode",
        "programs": PROGRAMS,
        "lifecycle": results.lifecycle,
    });
    let focused = serde_json::json!({
        "network": "devnode",
        "programs": PROGRAMS,
        "operations": results.focused,
    });
    let sizes = serde_json::json!({
        "limit_bytes": deploy::MAX_COMPRESSED,
        "target_bytes": TARGET_COMPRESSED,
        "stylus": results.sizes,
        "solidity_runtime_bytes": results.solidity_sizes.iter()
            .map(|(name, bytes)| serde_json::json!({ "contract": name, "runtime_bytes": bytes }))
            .collect::<Vec<_>>(),
    });
    let nodes = serde_json::json!({
        "profile": results.profile,
        "devnode_binary": results.devnode_binary,
        "workload": results.workload,
        "runs": results.nodes,
    });
    for (file, value) in SNAPSHOT_FILES
        .iter()
        .zip([gas, operations, focused, sizes, nodes])
    {
        let path = dir.join(file);
        std::fs::write(&path, serde_json::to_string_pretty(&value)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn signed_thousands(n: i64) -> String {
    if n < 0 {
        format!("-{}", thousands(n.unsigned_abs()))
    } else {
        thousands(n as u64)
    }
}

fn ratio(value: Option<f64>) -> String {
    value.map_or("–".into(), |r| format!("{r:.2}x"))
}

/// The gas table.
pub(crate) fn gas_table(rows: &[OperationGas]) -> String {
    let mut out = String::from(
        "| Operation | Solidity gas | Stylus gas, uncached | Stylus gas, cached | \
         Stylus/Solidity uncached | Stylus/Solidity cached |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for row in rows {
        let (uncached, cached) = match row.stylus {
            Some(s) => (thousands(s.uncached), thousands(s.cached)),
            None => (
                row.note.clone().unwrap_or_else(|| "–".into()),
                "–".to_string(),
            ),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.operation,
            thousands(row.solidity),
            uncached,
            cached,
            ratio(row.ratio_uncached()),
            ratio(row.ratio_cached()),
        );
    }
    out
}

/// The size table.
pub(crate) fn size_table(rows: &[SizeRow]) -> String {
    let mut out = format!(
        "| Contract | wasm bytes | brotli-11 bytes | headroom to {} | fits | ≤ {} target |\n\
         |---|---:|---:|---:|:---:|:---:|\n",
        thousands(deploy::MAX_COMPRESSED as u64),
        thousands(TARGET_COMPRESSED as u64)
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.contract,
            thousands(row.wasm_bytes as u64),
            thousands(row.compressed_bytes as u64),
            signed_thousands(row.headroom_bytes),
            if row.fits { "yes" } else { "no" },
            if row.compressed_bytes <= TARGET_COMPRESSED {
                "yes"
            } else {
                "no"
            },
        );
    }
    out
}

/// The node comparison table (one column per node).
pub(crate) fn node_table(runs: &[NodeRun], workload: &Workload) -> String {
    let mut out = String::from("| Metric |");
    for run in runs {
        let _ = write!(out, " {} |", run.node);
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(runs.len()));
    out.push('\n');
    let mut line = |label: String, cell: &dyn Fn(&NodeRun) -> String| {
        let _ = write!(out, "| {label} |");
        for run in runs {
            let _ = write!(out, " {} |", cell(run));
        }
        out.push('\n');
    };
    line(
        format!("ETH transfers/s ({})", workload.eth_transfers),
        &|r| format!("{:.0}", r.eth_transfers_per_s),
    );
    line(
        format!(
            "EVM ERC-20 transfers/s ({}, taxed)",
            workload.token_transfers
        ),
        &|r| format!("{:.0}", r.evm_erc20_transfers_per_s),
    );
    line(
        format!(
            "Stylus ERC-20 transfers/s ({}, taxed)",
            workload.token_transfers
        ),
        &|r| {
            r.stylus_erc20_transfers_per_s
                .map_or("n/a".into(), |v| format!("{v:.0}"))
        },
    );
    line(
        format!("eth_call p50 / p99 ({} calls)", workload.calls),
        &|r| {
            format!(
                "{} µs / {} µs",
                r.eth_call_p50_micros, r.eth_call_p99_micros
            )
        },
    );
    line("RSS after the run / peak".into(), &|r| {
        format!(
            "{:.1} MiB / {:.1} MiB",
            r.memory.rss_kib as f64 / 1024.0,
            r.memory.peak_rss_kib as f64 / 1024.0
        )
    });
    out
}

/// The whole `RESULTS.md`.
pub(crate) fn markdown(results: &Results) -> String {
    let command = match (results.profile, results.quick) {
        ("release", false) => "cargo run --release -p bench",
        ("release", true) => "cargo run --release -p bench -- --quick",
        (_, false) => "cargo run -p bench",
        (_, true) => "cargo run -p bench -- --quick",
    };
    let mut out = format!(
        "# Benchmark results\n\n\
         Generated by `{command}` ({} build{}; see `docs/performance.md` for what is measured \
         and how); do not edit by hand. Numbers depend on the machine: compare runs from the \
         same machine.\n\n",
        results.profile,
        if results.quick {
            ", smoke-run workload sizes"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "## Gas per operation: Stylus vs Solidity\n\n\
         Transaction gas used on the devnode (intrinsic 21,000 and calldata included, same \
         calldata on both sides). Solidity: solc {} (optimizer, {} runs, EVM {}). Stylus \
         \"uncached\" is measured with no program cached (each program entered pays its full \
         init gas, as on the first call in a block); \"cached\" is measured in a second run on \
         a fresh devnode where every program the transaction enters (core, delegate-called \
         extension, vault, token) was cached through the chain's CacheManager first, so each \
         pays its cached init gas. `gas.json` also keeps, per row, the figure caching only the \
         called program gives (uncached minus its `ArbWasm.programInitGas` saving).\n",
        results.compiler.version, results.compiler.optimizer_runs, results.compiler.evm_version
    );
    out.push_str(&gas_table(&results.gas));
    out.push_str(&focused_section(&results.focused));
    out.push_str(&lifecycle_section(results.lifecycle.as_ref()));
    out.push_str(
        "\n## Code size\n\nStylus contracts (release wasm and on-chain program code):\n\n",
    );
    out.push_str(&size_table(&results.sizes));
    out.push_str("\nSolidity references, runtime code:\n\n| Contract | bytes |\n|---|---:|\n");
    for (name, bytes) in &results.solidity_sizes {
        let _ = writeln!(out, "| {name} | {} |", thousands(*bytes as u64));
    }
    let _ = writeln!(
        out,
        "\n## Devnode vs anvil\n\n\
         Same workload over JSON-RPC on each node (one client, transactions sent one after the \
         other, one block each; devnode: {}; anvil from `@foundry-rs/anvil`).\n",
        results.devnode_binary.as_ref().map_or(
            format!("{} build in the bench", results.profile),
            |b| format!("`{b}`")
        )
    );
    out.push_str(&node_table(&results.nodes, &results.workload));
    out
}

/// The focused measurements as a table (or why there are none).
pub(crate) fn focused_section(rows: &[FocusRow]) -> String {
    let mut out = String::from(
        "\n## Gas of focused operations\n\n\
         A freshly deployed system (deployer as governance), each operation set up to measure \
         one thing; measured once with the programs uncached and once, on a fresh devnode, with \
         every program of the system cached through the CacheManager. Transactions: gas used; \
         views: `eth_estimateGas` (21,000 intrinsic gas included), what a transaction calling \
         the view would pay.\n\n",
    );
    if rows.is_empty() {
        out.push_str("Not measured: not every contract built and fits.\n");
        return out;
    }
    out.push_str(
        "| Contract | Operation | Gas, uncached | Gas, cached | Measured as |\n\
         |---|---|---:|---:|---|\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            row.contract,
            row.operation.replace('|', "/"),
            thousands(row.uncached),
            thousands(row.cached),
            row.measured_as
        );
    }
    out
}

/// The lifecycle story's transactions as a table (or why there is none).
pub(crate) fn lifecycle_section(lifecycle: Option<&Lifecycle>) -> String {
    let mut out = String::from(
        "\n## Gas of every operation on the deployed system\n\n\
         The whole system deployed and wired on the devnode, then the lifecycle story \
         (`deploy --demo`): every transaction it sends, with its gas, programs uncached and \
         (the same story on a fresh devnode) every program cached.\n\n",
    );
    let Some(lifecycle) = lifecycle else {
        out.push_str("Not measured: not every contract built and fits.\n");
        return out;
    };
    out.push_str("| Step | Operation | Gas, uncached | Gas, cached |\n|---|---|---:|---:|\n");
    for row in &lifecycle.operations {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            row.step.replace('|', "/"),
            row.operation.replace('|', "/"),
            thousands(row.uncached),
            thousands(row.cached)
        );
    }
    let _ = writeln!(
        out,
        "\n{} transactions in all (funding transfers and refused attacks included), {} gas \
         uncached, {} cached; {} attacks refused.",
        lifecycle.transactions,
        thousands(lifecycle.total_gas),
        thousands(lifecycle.total_gas_cached),
        lifecycle.attacks_refused
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gas::StylusGas;
    use crate::node::Memory;

    #[test]
    fn the_lifecycle_section_lists_every_transaction() {
        let lifecycle = Lifecycle {
            operations: vec![
                crate::operations::OperationRow {
                    step: "1. stake".into(),
                    operation: "alice stakes | 1,000 LP".into(),
                    uncached: 452_280,
                    cached: 430_100,
                },
                crate::operations::OperationRow {
                    step: "2. vote".into(),
                    operation: "v1 votes For".into(),
                    uncached: 120_000,
                    cached: 97_000,
                },
            ],
            transactions: 5,
            total_gas: 700_000,
            total_gas_cached: 650_000,
            attacks_refused: 1,
        };
        let text = lifecycle_section(Some(&lifecycle));
        assert!(
            text.contains("| 1. stake | alice stakes / 1,000 LP | 452,280 | 430,100 |"),
            "{text}"
        );
        assert!(
            text.contains("| 2. vote | v1 votes For | 120,000 | 97,000 |"),
            "{text}"
        );
        assert!(
            text.contains("5 transactions in all (funding transfers and refused attacks included), 700,000 gas uncached, 650,000 cached"),
            "{text}"
        );
        assert!(lifecycle_section(None).contains("Not measured"));
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(24_576), "24,576");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(signed_thousands(-4_589), "-4,589");
    }

    #[test]
    fn gas_table_shows_ratios_or_the_reason() {
        let rows = vec![
            OperationGas {
                operation: "transfer".into(),
                solidity: 50_000,
                stylus: Some(StylusGas {
                    uncached: 75_000,
                    cached: 55_000,
                    core_only_computed: 57_000,
                }),
                note: None,
            },
            OperationGas {
                operation: "castVote".into(),
                solidity: 80_000,
                stylus: None,
                note: Some("subdao is over the size limit".into()),
            },
        ];
        let table = gas_table(&rows);
        assert!(table.contains("| transfer | 50,000 | 75,000 | 55,000 | 1.50x | 1.10x |"));
        assert!(table.contains("| castVote | 80,000 | subdao is over the size limit | – | – | – |"));
    }

    #[test]
    fn node_table_has_a_column_per_node() {
        let run = |node: &str, stylus| NodeRun {
            node: node.into(),
            eth_transfers_per_s: 1000.4,
            evm_erc20_transfers_per_s: 800.0,
            stylus_erc20_transfers_per_s: stylus,
            eth_call_p50_micros: 120,
            eth_call_p99_micros: 400,
            memory: Memory {
                rss_kib: 2048,
                peak_rss_kib: 3072,
            },
        };
        let workload = Workload {
            eth_transfers: 10,
            token_transfers: 5,
            calls: 20,
        };
        let table = node_table(
            &[run("devnode", Some(500.0)), run("anvil", None)],
            &workload,
        );
        assert!(table.starts_with("| Metric | devnode | anvil |\n|---|---:|---:|\n"));
        assert!(table.contains("| ETH transfers/s (10) | 1000 | 1000 |"));
        assert!(table.contains("| Stylus ERC-20 transfers/s (5, taxed) | 500 | n/a |"));
        assert!(table.contains("| eth_call p50 / p99 (20 calls) | 120 µs / 400 µs |"));
        assert!(table.contains("2.0 MiB / 3.0 MiB"));
    }

    #[test]
    fn size_table_flags_contracts_over_the_limit() {
        let rows = vec![SizeRow {
            contract: "subdao".into(),
            wasm_bytes: 94_178,
            compressed_bytes: 24_839,
            headroom_bytes: -263,
            fits: false,
        }];
        let table = size_table(&rows);
        assert!(
            table.contains("| subdao | 94,178 | 24,839 | -263 | no | no |"),
            "{table}"
        );
    }
}
