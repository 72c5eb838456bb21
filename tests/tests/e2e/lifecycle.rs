//! The whole system working together: deploy all six contracts, wire them to the
//! SubDAO, verify the wiring from chain, then run the lifecycle story of `deploy::lifecycle`
//! (the same story `cargo run --bin deploy -- --demo` prints) through the ethers bindings.
//!
//! Prints the story's gas per step, total gas and wall time (`--nocapture` shows them).
use std::time::Instant;

use anyhow::{ensure, Result};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::lifecycle::{self, System, Transcript};
use deploy::pipeline::Report;
use deploy::{dex, verify, wiring, Workspace};
use integration_tests::Harness;

/// Deploys every contract (and the agent token's Uniswap V2 pool) on a fresh harness.
async fn deploy_system() -> Result<(Harness, Report)> {
    let harness = Harness::start().await?;
    let report = harness
        .deploy(&ContractKind::ALL, &SystemParams::default())
        .await?;
    Ok((harness, report))
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_wires_the_subdao_and_verify_reads_it_back() -> Result<()> {
    let (harness, mut report) = deploy_system().await?;
    let abi_dir = Workspace::locate().root.join("abi");
    ensure!(
        dex::lp_token(&report.deployments).is_some(),
        "no pool recorded"
    );

    // Freshly deployed, the deployer still governs the token, the vault and the Elo ledger.
    let before = verify::check_wiring(&harness.chain, &report.deployments, &abi_dir).await?;
    let failed: Vec<&str> = before
        .iter()
        .filter(|c| !c.ok())
        .map(|c| c.name.as_str())
        .collect();
    for name in [
        "agent-token.governance()",
        "staking-vault.governance()",
        "elo-ledger.governance()",
        "agent-token.treasury()",
        "agent-token.isTaxExempt(staking-vault)",
        "agent-token.isTaxExempt(revenue)",
        "agent-token.isTaxExempt(rewards)",
        "staking-vault.jailer()",
    ] {
        ensure!(
            failed.contains(&name),
            "{name} passed before wiring: {failed:?}"
        );
    }

    let steps = wiring::wire(&harness.chain, &mut report.deployments, &abi_dir).await?;
    ensure!(!steps.is_empty(), "wiring sent nothing");
    let after = verify::check_wiring(&harness.chain, &report.deployments, &abi_dir).await?;
    ensure!(verify::all_ok(&after), "{}", verify::table(&after));
    ensure!(after.len() >= 20, "only {} checks", after.len());
    ensure!(wiring::wiring_problems(&report.deployments).is_empty());
    // The record carries every link read back from chain.
    let links = &report.deployments.wiring.links;
    let token = format!("{:#x}", report.address(ContractKind::AgentToken).unwrap());
    ensure!(
        links.get("staking-vault.rewardToken()") == Some(&token),
        "{links:?}"
    );
    // The rewards program is governed by the SubDAO, reads the token, the vault and the Elo
    // ledger, pays untaxed and may jail in the vault.
    let subdao = format!("{:#x}", report.address(ContractKind::Subdao).unwrap());
    ensure!(
        links.get("rewards.governance()") == Some(&subdao),
        "{links:?}"
    );
    ensure!(
        links.get("rewards.contracts().token") == Some(&token),
        "{links:?}"
    );
    let rewards = format!("{:#x}", report.address(ContractKind::Rewards).unwrap());
    ensure!(
        links.get("staking-vault.jailer()") == Some(&rewards),
        "{links:?}"
    );

    // Idempotent: a second run has nothing left to send.
    let again = wiring::wire(&harness.chain, &mut report.deployments, &abi_dir).await?;
    ensure!(again.is_empty(), "second wiring sent {again:?}");
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_lifecycle_runs_and_every_attack_is_refused() -> Result<()> {
    let started = Instant::now();
    let (harness, mut report) = deploy_system().await?;
    let abi_dir = Workspace::locate().root.join("abi");
    wiring::wire(&harness.chain, &mut report.deployments, &abi_dir).await?;
    let system = System::from_deployments(&report.deployments)?;

    let mut transcript = Transcript::default();
    let result = lifecycle::run(&harness.chain, system, &mut transcript).await;
    let summary = match result {
        Ok(summary) => summary,
        Err(error) => {
            eprintln!("{}", transcript.lines.join("\n"));
            return Err(error.into());
        }
    };
    eprintln!("lifecycle gas per step:\n{}", summary.table());
    eprintln!(
        "lifecycle: {} transactions, total gas {}, story {:.1?}, with deployment {:.1?}",
        summary.transactions(),
        summary.total_gas(),
        summary.elapsed,
        started.elapsed()
    );
    ensure!(summary.steps.len() == 11, "{} steps", summary.steps.len());
    // Non-validator proposes (2x) and votes, early execution (2x), forged proof, the public
    // fingerprint root passed off as a fingerprint, collateral withdrawal during a claim, an
    // early withdrawal from the vault, model owners opening their sessions on their own seeds
    // (2x), a buyback right after the pool was moved; rewards: a dataset rewarded twice, a
    // rejected dataset, the rubber-stamper's empty claim, a validator reward claimed twice, a
    // claim for the open epoch, jailing an honest validator, leaving jail before the cool-down.
    ensure!(
        summary.attacks_refused == 19,
        "{} attacks",
        summary.attacks_refused
    );
    ensure!(summary.steps.iter().all(|s| s.transactions > 0));
    // Every successful send is recorded with its step and gas (the bench's per-operation rows).
    ensure!(summary.sends.len() >= 50, "{} sends", summary.sends.len());
    ensure!(summary
        .sends
        .iter()
        .all(|t| t.gas > 21_000.into() && !t.step.is_empty()));
    let sent: ethers::types::U256 = summary.sends.iter().fold(0.into(), |a, t| a + t.gas);
    ensure!(
        sent < summary.total_gas(),
        "sends {sent} vs total {}",
        summary.total_gas()
    );
    harness.finish().await
}
