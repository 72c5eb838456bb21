//! Gas of every operation on the deployed system: the whole system is deployed and wired through
//! the deploy library on the bench's devnode, then the lifecycle story of `deploy::lifecycle`
//! (the same story as `deploy --demo` and the e2e test) runs, and every transaction it sends is
//! recorded with its step, what it did and its gas. Validator registration, stake and
//! delegation, reward claims, redelegation, unstake and withdrawal, proposals, votes, queue and
//! execute (reward funding, a model upgrade, a slash, a burn), Elo sessions (commit, reveal, finalize), dataset finalization, OML
//! licences, usage reports along the family tree, prover claims and their finalization: each
//! appears as a row of `operations.json`, so a gas regression in any of them shows in the diff.
//!
//! The story runs twice, each time on a fresh system: with the programs uncached (each call pays
//! its program's full init gas, as the first call in a block on a chain without caching) and
//! with every program of the system cached through the chain's CacheManager (each call pays the
//! cached init gas, as hot programs do on Arbitrum); [`Lifecycle::pair`] puts both figures on
//! each row.

use anyhow::{ensure, Context, Result};
use deploy::chain::Chain;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::indicatif::ProgressBar;
use deploy::lifecycle::{self, Clock, System, Transcript};
use deploy::pipeline::{self, Options, Report};
use deploy::record::Deployments;
use deploy::{wiring, Artifact, Workspace};
use ethers::types::U256;
use serde::Serialize;

/// Whether a measurement runs with the Stylus programs cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Programs {
    /// No program cached: each program entered pays its full init gas.
    Uncached,
    /// Every program deployed for the measurement cached through the chain's CacheManager
    /// before anything is measured: each program entered pays its cached init gas.
    Cached,
}

/// One transaction of the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct OperationRow {
    /// The lifecycle step it belongs to.
    pub step: String,
    /// What it did.
    pub operation: String,
    /// Gas used with the programs uncached.
    pub uncached: u64,
    /// Gas used by the same transaction of the story with every program cached.
    pub cached: u64,
}

/// The story's transactions and totals, uncached and cached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Lifecycle {
    /// Every successful transaction, in order.
    pub operations: Vec<OperationRow>,
    /// Transactions of the story (funding transfers and refused attacks included).
    pub transactions: usize,
    /// Gas of all of them, programs uncached.
    pub total_gas: u64,
    /// Gas of all of them, programs cached.
    pub total_gas_cached: u64,
    /// Attacks refused with their typed error.
    pub attacks_refused: usize,
}

/// One run of the story: every successful transaction (step, what it did, gas) and the totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Story {
    /// (step, operation, gas used), in order.
    pub sends: Vec<(String, String, u64)>,
    /// Transactions sent (funding transfers and refused attacks included).
    pub transactions: usize,
    /// Gas of all of them.
    pub total_gas: u64,
    /// Attacks refused with their typed error.
    pub attacks_refused: usize,
}

impl Lifecycle {
    /// Pairs the uncached and the cached run of the story transaction by transaction.
    ///
    /// # Errors
    /// When the two runs did not send the same transactions.
    pub(crate) fn pair(uncached: Story, cached: Story) -> Result<Self> {
        ensure!(
            uncached.sends.len() == cached.sends.len()
                && uncached.transactions == cached.transactions
                && uncached.attacks_refused == cached.attacks_refused,
            "the cached story sent {} transactions ({} in all), the uncached one {} ({})",
            cached.sends.len(),
            cached.transactions,
            uncached.sends.len(),
            uncached.transactions
        );
        let operations = uncached
            .sends
            .into_iter()
            .zip(cached.sends)
            .map(
                |((step, operation, gas), (cached_step, cached_operation, cached))| {
                    ensure!(
                        (&step, &operation) == (&cached_step, &cached_operation),
                        "the stories differ: {operation:?} against {cached_operation:?}"
                    );
                    Ok(OperationRow {
                        step,
                        operation,
                        uncached: gas,
                        cached,
                    })
                },
            )
            .collect::<Result<_>>()?;
        Ok(Self {
            operations,
            transactions: uncached.transactions,
            total_gas: uncached.total_gas,
            total_gas_cached: cached.total_gas,
            attacks_refused: uncached.attacks_refused,
        })
    }
}

/// Deploys `artifacts` (every contract of the system) on the chain at `url`, caches every
/// program when `programs` says so, wires them and runs the lifecycle story. Records go to a
/// scratch directory that is removed afterwards.
///
/// # Errors
/// A deployment, caching, wiring or story failure (with the story's reason).
pub(crate) async fn run(
    url: &str,
    key: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, Artifact)],
    programs: Programs,
) -> Result<Story> {
    let (chain, mut report) = deploy_fresh(url, key, ws, artifacts, programs).await?;
    let abi_dir = ws.root.join("abi");
    wiring::wire(&chain, &mut report.deployments, &abi_dir)
        .await
        .context("wiring the system")?;
    let system = System::from_deployments(&report.deployments)?;
    let mut transcript = Transcript::default();
    // One second per transaction, so both runs see the same timestamps.
    let summary = lifecycle::run_with_clock(&chain, system, &mut transcript, Clock::SecondPerSend)
        .await
        .with_context(|| format!("lifecycle story:\n{}", transcript.lines.join("\n")))?;
    Ok(Story {
        sends: summary
            .sends
            .iter()
            .map(|tx| (tx.step.clone(), tx.what.clone(), tx.gas.as_u64()))
            .collect(),
        transactions: summary.transactions(),
        total_gas: summary.total_gas().as_u64(),
        attacks_refused: summary.attacks_refused,
    })
}

/// Deploys `artifacts` through the deploy library (StylusDeployer, default parameters, always
/// fresh) on the chain at `url` with `key`, recording into a scratch directory that is removed
/// afterwards, then with [`Programs::Cached`] caches every program it deployed
/// ([`cache_every_program`]); returns the chain connection and the deployment report.
///
/// # Errors
/// A connection, deployment or caching failure.
pub(crate) async fn deploy_fresh(
    url: &str,
    key: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, Artifact)],
    programs: Programs,
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
    let report = report.context("deploying through the deploy library")?;
    if programs == Programs::Cached {
        cache_every_program(&chain, &report.deployments).await?;
    }
    Ok((chain, report))
}

/// Caches every program recorded in `deployments` (cores and extensions) through the chain's
/// CacheManager with `deploy`'s bidding (`deploy::cache::place_bids_for`, the minimum bid), so
/// every Stylus program a transaction of the system enters pays its cached init gas.
///
/// # Errors
/// When the chain has no CacheManager, a bid fails or a program is not cached afterwards.
pub(crate) async fn cache_every_program(chain: &Chain, deployments: &Deployments) -> Result<()> {
    let packages: Vec<&str> = deployments.contracts.keys().map(String::as_str).collect();
    let states = deploy::cache::place_bids_for(chain, deployments, &packages, U256::zero())
        .await
        .context("caching the programs through the CacheManager")?;
    ensure!(
        states.len() == packages.len(),
        "cached {} of {} programs",
        states.len(),
        packages.len()
    );
    if let Some(state) = states.iter().find(|state| !state.cached) {
        anyhow::bail!("{} is not cached after its bid", state.name);
    }
    Ok(())
}

/// The artifacts of every contract of the system, when all of them built and fit.
pub(crate) fn deployable(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn story(gas: &[u64], total: u64) -> Story {
        Story {
            sends: gas
                .iter()
                .enumerate()
                .map(|(i, g)| ("1. stake".to_string(), format!("stake {i}"), *g))
                .collect(),
            transactions: gas.len() + 1,
            total_gas: total,
            attacks_refused: 1,
        }
    }

    #[test]
    fn the_story_runs_pair_transaction_by_transaction() {
        let lifecycle = Lifecycle::pair(
            story(&[300_000, 90_000], 400_000),
            story(&[280_000, 70_000], 360_000),
        )
        .unwrap();
        assert_eq!(
            lifecycle.operations[1],
            OperationRow {
                step: "1. stake".into(),
                operation: "stake 1".into(),
                uncached: 90_000,
                cached: 70_000,
            }
        );
        assert_eq!(
            (lifecycle.total_gas, lifecycle.total_gas_cached),
            (400_000, 360_000)
        );
        assert_eq!(lifecycle.transactions, 3);

        // Different stories are not paired.
        assert!(Lifecycle::pair(story(&[1, 2], 3), story(&[1], 1)).is_err());
        let mut renamed = story(&[1, 2], 3);
        renamed.sends[0].1 = "something else".into();
        assert!(Lifecycle::pair(story(&[1, 2], 3), renamed).is_err());
    }
}
