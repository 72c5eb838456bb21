//! Gas of every operation on the deployed system: the whole system is deployed and wired through
//! the deploy library on the bench's devnode, then the lifecycle story of `deploy::lifecycle`
//! (the same story as `deploy --demo` and the e2e test) runs, and every transaction it sends is
//! recorded with its step, what it did and its gas. Validator registration, stake and
//! delegation, reward claims, redelegation, unstake and withdrawal, proposals, votes, queue and
//! execute (reward funding, a model upgrade, a slash, a burn), Elo sessions (commit, reveal, finalize), dataset finalization, OML
//! licences, usage reports along the family tree, prover claims and their finalization: each
//! appears as a row of `operations.json`, so a gas regression in any of them shows in the diff.
//!
//! The devnode does not cache programs: every figure is the uncached (first-call-in-a-block)
//! cost, the conservative one.

use anyhow::{Context, Result};
use deploy::chain::Chain;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::indicatif::ProgressBar;
use deploy::lifecycle::{self, System, Transcript};
use deploy::pipeline::{self, Options, Report};
use deploy::{wiring, Artifact, Workspace};
use serde::Serialize;

/// One transaction of the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperationRow {
    /// The lifecycle step it belongs to.
    pub step: String,
    /// What it did.
    pub operation: String,
    /// Gas used.
    pub gas: u64,
}

/// The story's transactions and totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lifecycle {
    /// Every successful transaction, in order.
    pub operations: Vec<OperationRow>,
    /// Transactions of the story (funding transfers and refused attacks included).
    pub transactions: usize,
    /// Gas of all of them.
    pub total_gas: u64,
    /// Attacks refused with their typed error.
    pub attacks_refused: usize,
}

/// Deploys `artifacts` (every contract of the system) on the chain at `url`, wires them and runs
/// the lifecycle story. Records go to a scratch directory that is removed afterwards.
///
/// # Errors
/// A deployment, wiring or story failure (with the story's reason).
pub async fn run(
    url: &str,
    key: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, Artifact)],
) -> Result<Lifecycle> {
    let (chain, mut report) = deploy_fresh(url, key, ws, artifacts).await?;
    let abi_dir = ws.root.join("abi");
    wiring::wire(&chain, &mut report.deployments, &abi_dir)
        .await
        .context("wiring the system")?;
    let system = System::from_deployments(&report.deployments)?;
    let mut transcript = Transcript::default();
    let summary = lifecycle::run(&chain, system, &mut transcript)
        .await
        .with_context(|| format!("lifecycle story:\n{}", transcript.lines.join("\n")))?;
    Ok(Lifecycle {
        operations: summary
            .sends
            .iter()
            .map(|tx| OperationRow {
                step: tx.step.clone(),
                operation: tx.what.clone(),
                gas: tx.gas.as_u64(),
            })
            .collect(),
        transactions: summary.transactions(),
        total_gas: summary.total_gas().as_u64(),
        attacks_refused: summary.attacks_refused,
    })
}

/// Deploys `artifacts` through the deploy library (StylusDeployer, default parameters, always
/// fresh) on the chain at `url` with `key`, recording into a scratch directory that is removed
/// afterwards; returns the chain connection and the deployment report.
///
/// # Errors
/// A connection or deployment failure.
pub async fn deploy_fresh(
    url: &str,
    key: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, Artifact)],
) -> Result<(Chain, Report)> {
    let chain = Chain::connect(url, key, None).await?;
    let records = std::env::temp_dir().join(format!(
        "agentdao-bench-{}-{}",
        std::process::id(),
        artifacts.len()
    ));
    let mut options = Options::new(ws);
    options.deployments_dir = records.clone();
    options.force = true;
    let values = SystemParams::default().values(chain.deployer());
    let report =
        pipeline::deploy_artifacts(&chain, artifacts, values, &options, &ProgressBar::hidden())
            .await;
    let _ = std::fs::remove_dir_all(&records);
    Ok((
        chain,
        report.context("deploying through the deploy library")?,
    ))
}

/// The artifacts of every contract of the system, when all of them built and fit.
pub fn deployable(
    built: &[(ContractKind, crate::sizes::Built)],
) -> Option<Vec<(ContractKind, Artifact)>> {
    ContractKind::ALL
        .iter()
        .map(|kind| {
            built.iter().find_map(|(k, b)| match b {
                crate::sizes::Built::Ok(artifact) if k == kind && artifact.check_size().is_ok() => {
                    Some((*kind, artifact.as_ref().clone()))
                }
                _ => None,
            })
        })
        .collect()
}
