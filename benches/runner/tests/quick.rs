//! The benchmark's smoke mode, run by `cargo test` so the bench cannot rot: `bench --quick`
//! compiles the Solidity references with npm `solc`, builds and deploys the Stylus contracts on
//! a devnode, measures gas side by side, runs the small throughput workload on the devnode and
//! on anvil, deploys the whole system for the focused measurements and the lifecycle story, and
//! writes the snapshots and `RESULTS.md` into a temporary directory, then measures the Stylus
//! side again on a second devnode with every program cached. The figures are not asserted
//! (timings belong to the bench, never to tests); their presence and shape are, and so is the
//! caching rule: a cached figure is the uncached one minus the init gas caching saves for every
//! program the transaction enters.
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn out_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("agentdao-bench-smoke-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read(dir: &Path, file: &str) -> Value {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} was not written: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn positive(value: &Value) -> bool {
    value.as_f64().is_some_and(|v| v > 0.0)
}

#[test]
fn quick_mode_measures_gas_sizes_and_both_nodes() {
    let dir = out_dir();
    let status = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["--quick", "--out-dir"])
        .arg(&dir)
        .status()
        .expect("running the bench binary");
    assert!(status.success(), "bench --quick failed: {status}");

    let gas = read(&dir, "gas.json");
    let operations = gas["operations"].as_array().expect("operations");
    let transfer = operations
        .iter()
        .find(|op| op["operation"] == "transfer, taxed, existing recipient")
        .expect("the taxed transfer row");
    assert!(positive(&transfer["solidity"]), "{transfer}");
    assert!(positive(&transfer["stylus"]["cached"]), "{transfer}");
    // The token rows enter one program: measured with it cached, they cost exactly the uncached
    // gas minus what `ArbWasm.programInitGas` says caching it saves.
    for op in &operations[..5] {
        let stylus = &op["stylus"];
        assert!(
            stylus["cached"].as_u64() < stylus["uncached"].as_u64(),
            "{op}"
        );
        assert_eq!(stylus["cached"], stylus["core_only_computed"], "{op}");
    }
    // Every Solidity reference ran (Elo, Merkle, cascade, vault, vote).
    assert!(operations.len() >= 10, "{gas}");
    assert!(
        operations.iter().all(|op| positive(&op["solidity"])),
        "{gas}"
    );

    // The whole system ran the lifecycle story: stakes, votes, Elo sessions and OML claims are
    // each a row with their gas.
    let lifecycle = read(&dir, "operations.json");
    let story = lifecycle["lifecycle"]["operations"]
        .as_array()
        .expect("lifecycle operations");
    assert!(story.len() >= 50, "{lifecycle}");
    assert!(
        story.iter().all(|op| {
            let (uncached, cached) = (op["uncached"].as_u64(), op["cached"].as_u64());
            cached.unwrap_or(0) > 21_000 && cached <= uncached
        }),
        "{lifecycle}"
    );
    assert!(
        story
            .iter()
            .filter(|op| op["operation"].as_str().unwrap_or("").contains("votes"))
            .all(|op| op["cached"].as_u64() < op["uncached"].as_u64()),
        "{lifecycle}"
    );
    for needle in ["stake", "vote", "reveal", "claim"] {
        assert!(
            story
                .iter()
                .any(|op| op["operation"].as_str().unwrap_or("").contains(needle)),
            "no {needle} row: {lifecycle}"
        );
    }

    // Every Solidity reference row has its Stylus figure from the deployed system.
    assert!(
        operations
            .iter()
            .all(|op| positive(&op["stylus"]["uncached"])),
        "{gas}"
    );
    // Measured with every program on the path cached: not above caching the core alone (up to
    // 1% for amounts that depend on elapsed time, such as accrued rewards, which differ a little
    // between the two runs), and below it where the transaction enters more programs (a vote
    // reads the vault twice: about 44,000 gas).
    let cached = |op: &Value| op["stylus"]["cached"].as_u64().unwrap_or(u64::MAX);
    let core_only = |op: &Value| op["stylus"]["core_only_computed"].as_u64().unwrap_or(0);
    assert!(
        operations
            .iter()
            .all(|op| cached(op) <= core_only(op) + core_only(op) / 100),
        "{gas}"
    );
    let vote = operations
        .iter()
        .find(|op| op["operation"] == "castVote")
        .expect("the castVote row");
    assert!(cached(vote) < core_only(vote), "{vote}");
    // The focused measurements: each issue's figure is a row with its gas.
    let focused = read(&dir, "focused.json");
    let rows = focused["operations"]
        .as_array()
        .expect("focused operations");
    for needle in [
        "stake (new delegation)",
        "claimRewards",
        "castVoteBySig",
        "slash",
        "getPastVotes, 1 checkpoint",
        "getPastVotes, 10 checkpoints",
        "commitVote",
        "revealVote",
        "finalizeSession",
        "upgradeModel bootstrap gate",
        "requestLicense",
        "reportUsage, depth 1",
        "reportUsage, depth 8",
        "submitClaim, 1 leaf of a 1,024-leaf tree",
        "finalizeClaim",
        "pay (an inference payment in ETH)",
        "buybackAndBurn",
        "Uniswap V2 router: buy AGENT",
        "Uniswap V2 router: sell AGENT",
        "withdraw (entry behind 10 queued entries)",
        "unstake (100 matured entries queued)",
        "slash (1%, 100 matured entries queued)",
        "fund (reserve top-up",
        "closeEpoch (4 validators staked",
        "closeEpoch (10 validators staked",
        "claimValidatorReward (4 validators staked",
        "claimValidatorReward (10 validators staked",
    ] {
        let row = rows
            .iter()
            .find(|op| op["operation"].as_str().unwrap_or("").contains(needle))
            .unwrap_or_else(|| panic!("no {needle} row: {focused}"));
        assert!(row["cached"].as_u64().unwrap_or(0) > 21_000, "{row}");
    }
    // Every focused operation enters at least one Stylus program, so caching lowers it.
    assert!(
        rows.iter()
            .all(|op| op["cached"].as_u64() < op["uncached"].as_u64()),
        "{focused}"
    );

    let sizes = read(&dir, "code-size.json");
    let stylus = sizes["stylus"].as_array().expect("stylus sizes");
    assert!(stylus.len() >= 5, "{sizes}");

    let nodes = read(&dir, "nodes.json");
    let runs = nodes["runs"].as_array().expect("runs");
    let names: Vec<&str> = runs.iter().filter_map(|r| r["node"].as_str()).collect();
    assert_eq!(names, ["devnode", "anvil"], "{nodes}");
    for run in runs {
        assert!(positive(&run["eth_transfers_per_s"]), "{run}");
        assert!(positive(&run["evm_erc20_transfers_per_s"]), "{run}");
    }
    assert!(
        positive(&runs[0]["stylus_erc20_transfers_per_s"]),
        "{nodes}"
    );

    let markdown = std::fs::read_to_string(dir.join("RESULTS.md")).expect("RESULTS.md");
    assert!(markdown.contains("transfer, taxed"), "{markdown}");
    assert!(markdown.contains("## Gas of every operation on the deployed system"));
    let _ = std::fs::remove_dir_all(&dir);
}
