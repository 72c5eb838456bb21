//! `bench`: one command that measures the project side by side and writes the results.
//!
//! - Gas per operation of the Stylus contracts against Solidity references with the same logic
//!   (`benches/solidity/`, compiled with foundry-compilers and solc from npm), both deployed on
//!   the devnode ([`gas`]). Every Stylus figure is measured twice: on one devnode with the
//!   programs uncached, and on a second, fresh devnode with every program the measured
//!   transactions enter cached through its CacheManager before they run.
//! - Code size of every contract against Nitro's limit ([`sizes`]).
//! - Focused gas figures on a deployed system ([`focused`]): getPastVotes over 1 to 10,000
//!   checkpoints, the Elo upgrade gate over 100 to 100,000 battles, the vault's unbonding queue
//!   flooded with 10 to 5,000 entries, a fee cascade through 8 ancestors, a proof in a
//!   1,024-leaf tree, the revenue program and router swaps, and the Stylus side of the Solidity
//!   reference rows.
//! - Gas of every transaction of the lifecycle story on the whole deployed system
//!   ([`operations`]): each contract's operations as the system uses them.
//! - The devnode against Foundry's anvil on the same JSON-RPC workload ([`throughput`]).
//!
//! Results go to `benches/snapshots/{gas,operations,code-size,nodes}.json` and `benches/RESULTS.md`
//! ([`report`]). `--quick` is the CI smoke mode: small counts, output to a temporary directory.
//! Numbers are measured, never asserted.

mod client;
mod focused;
mod gas;
mod node;
mod operations;
mod references;
mod report;
mod sizes;
mod solidity;
mod throughput;
mod tools;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use deploy::config::{SystemParams, NITRO_DEV_KEY};
use deploy::contracts::ContractKind;
use deploy::Workspace;
use ethers::abi::Abi;
use ethers::signers::Signer as _;
use ethers::types::U256;

use crate::client::{connect, deploy_evm, named_account, Client};
use crate::gas::{OperationGas, StylusRuns, TokenActors};
use crate::node::NodeProcess;
use crate::operations::{Lifecycle, Programs};
use crate::report::Results;
use crate::sizes::{Built, SizeRow};
use crate::solidity::Compiled;
use crate::throughput::{TokenUnderTest, Workload};

/// Command-line flags.
#[derive(Debug, Parser)]
#[command(
    name = "bench",
    about = "Stylus vs Solidity gas, code sizes, devnode vs anvil"
)]
struct Cli {
    /// Smoke mode for CI: small workloads, results written to a temporary directory (or
    /// `--out-dir`) instead of the committed snapshots.
    #[arg(long)]
    quick: bool,
    /// Skip the anvil comparison.
    #[arg(long)]
    skip_anvil: bool,
    /// Directory for the JSON snapshots (default `benches/snapshots`, or a temporary
    /// directory with `--quick`); `RESULTS.md` is written next to it.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Use the contracts' wasm from the last build instead of building them.
    #[arg(long)]
    no_build: bool,
    /// Measure this devnode binary (e.g. `target/release/devnode`) instead of the devnode
    /// built into the bench.
    #[arg(long, value_name = "PATH")]
    devnode_bin: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Internal: run an ephemeral devnode until killed (the benchmark's node process).
    #[command(hide = true)]
    ServeDevnode,
}

/// The name of the token reference in `benches/solidity/`.
const SOLIDITY_TOKEN: &str = "AgentToken";

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    if let Some(Command::ServeDevnode) = cli.command {
        return node::serve_devnode().await;
    }
    let start = Instant::now();
    let benches = tools::benches_dir();
    let (snapshots, results_md) = match (&cli.out_dir, cli.quick) {
        (Some(dir), _) => (dir.clone(), dir.join("RESULTS.md")),
        (None, true) => {
            let dir = std::env::temp_dir().join("agentdao-bench-quick");
            (dir.clone(), dir.join("RESULTS.md"))
        }
        (None, false) => (benches.join("snapshots"), benches.join("RESULTS.md")),
    };
    let workload = if cli.quick {
        Workload {
            eth_transfers: 50,
            token_transfers: 25,
            calls: 100,
        }
    } else {
        Workload {
            eth_transfers: 2_000,
            token_transfers: 1_000,
            calls: 2_000,
        }
    };

    let tools = tools::NodeTools::ensure(&benches)?;
    eprintln!(
        "compiling the Solidity references ({})",
        tools.solc.display()
    );
    let (compiler, compiled) = solidity::compile_dir(&tools.solc, &benches.join("solidity"))?;
    eprintln!("building the Stylus contracts");
    let ws = Workspace::locate();
    let built = sizes::build_all(&ws, !cli.no_build);
    // The devnode's CacheManager (the cached measurements bid in it) is Arbitrum's published
    // npm artifact.
    devnode::chain::cache_manager::npm_ci()?;

    let devnode = start_devnode(&cli).await?;
    eprintln!("devnode at {} (programs uncached)", devnode.url);
    let deployer = connect(&devnode.url, NITRO_DEV_KEY).await?;
    let sol_token = compiled
        .get(SOLIDITY_TOKEN)
        .with_context(|| format!("benches/solidity has no {SOLIDITY_TOKEN}"))?;

    let evm_token = deploy_token(&deployer, sol_token).await?;
    let token_artifact = built.iter().find_map(|(kind, built)| match built {
        Built::Ok(artifact) if *kind == ContractKind::AgentToken => Some(artifact.as_ref()),
        _ => None,
    });
    let token_artifact = token_artifact.filter(|artifact| artifact.check_size().is_ok());
    let stylus_token = match token_artifact {
        Some(artifact) => {
            Some(deploy_stylus_token(&devnode.url, &ws, artifact, Programs::Uncached).await?)
        }
        None => None,
    };

    eprintln!("measuring gas per operation");
    let solidity_token_gas = gas::token_scenario(
        &token_actors(&deployer).await?,
        evm_token.address,
        &evm_token.abi,
    )
    .await?;
    let stylus_token_gas = match (&stylus_token, token_artifact) {
        (Some(token), Some(artifact)) => Some((
            gas::token_scenario(&token_actors(&deployer).await?, token.address, &token.abi).await?,
            gas::cache_discount(&deployer, token.address, &artifact.wasm).await?,
        )),
        _ => None,
    };
    let references = references::run_all(&deployer, &compiled).await?;

    // The node workload runs before the system is deployed, so the devnode holds about as much
    // state as anvil when their speed and memory are compared.
    eprintln!("devnode workload");
    let mut nodes = vec![
        throughput::run(
            "devnode",
            &deployer,
            &evm_token,
            stylus_token.as_ref(),
            workload,
            || devnode.memory(),
        )
        .await?,
    ];
    let scale = if cli.quick {
        focused::Scale::quick()
    } else {
        focused::Scale::full()
    };
    let artifacts = operations::deployable(&built);
    if artifacts.is_none() {
        eprintln!("warning: not every contract built and fits; no system gas");
    }
    let uncached = match &artifacts {
        Some(artifacts) => {
            eprintln!("deploying the whole system: focused measurements and the lifecycle story");
            Some(system_pass(&devnode.url, &ws, artifacts, &scale, Programs::Uncached).await?)
        }
        None => None,
    };
    let chain_id = deployer.signer().chain_id();
    devnode.stop().await?;

    // The same measurements on a fresh devnode, every program cached before it is called.
    let devnode = start_devnode(&cli).await?;
    eprintln!("devnode at {} (every program cached)", devnode.url);
    let cached_deployer = connect(&devnode.url, NITRO_DEV_KEY).await?;
    let stylus_token_cached = match token_artifact {
        Some(artifact) => {
            let token = deploy_stylus_token(&devnode.url, &ws, artifact, Programs::Cached).await?;
            let actors = token_actors(&cached_deployer).await?;
            Some(gas::token_scenario(&actors, token.address, &token.abi).await?)
        }
        None => None,
    };
    let cached = match &artifacts {
        Some(artifacts) => {
            Some(system_pass(&devnode.url, &ws, artifacts, &scale, Programs::Cached).await?)
        }
        None => None,
    };
    devnode.stop().await?;

    let runs = match (&stylus_token_gas, &stylus_token_cached) {
        (Some((uncached, saving)), Some(cached)) => Some(StylusRuns {
            uncached,
            cached,
            saving: *saving,
        }),
        _ => None,
    };
    let mut gas_rows = gas::pair(
        &solidity_token_gas,
        runs,
        Some("agent-token is over the size limit"),
    );
    for (operation, package, solidity) in references {
        gas_rows.push(OperationGas {
            operation,
            solidity,
            stylus: None,
            note: Some(stylus_status(&built, package)),
        });
    }
    let (lifecycle, focused) = match (uncached, cached) {
        (Some((focused_u, story_u)), Some((focused_c, story_c))) => (
            Some(Lifecycle::pair(story_u, story_c)?),
            focused::Focused::pair(focused_u, focused_c)?,
        ),
        _ => (None, focused::Focused::default()),
    };
    for row in &mut gas_rows {
        if let Some((_, stylus)) = focused.references.iter().find(|(n, _)| *n == row.operation) {
            row.stylus = Some(*stylus);
            row.note = None;
        }
    }

    if !cli.skip_anvil {
        eprintln!("anvil workload");
        let anvil = NodeProcess::anvil(&tools.anvil, chain_id).await?;
        let dev = connect(&anvil.url, NITRO_DEV_KEY).await?;
        anvil.fund(dev.address(), 1_000_000).await?;
        let token = deploy_token(&dev, sol_token).await?;
        nodes
            .push(throughput::run("anvil", &dev, &token, None, workload, || anvil.memory()).await?);
        anvil.stop().await?;
    }

    let results = Results {
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        devnode_binary: cli.devnode_bin.as_ref().map(|p| p.display().to_string()),
        quick: cli.quick,
        compiler,
        gas: gas_rows,
        lifecycle,
        focused: focused.rows,
        sizes: built
            .iter()
            .flat_map(|(_, b)| match b {
                Built::Ok(artifact) => SizeRow::rows(artifact),
                Built::Failed(_) => Vec::new(),
            })
            .collect(),
        solidity_sizes: compiled
            .iter()
            .map(|(name, c)| (name.clone(), c.runtime_bytes))
            .collect(),
        workload,
        nodes,
    };
    for (kind, built) in &built {
        if let Built::Failed(reason) = built {
            eprintln!("warning: {kind} did not build: {reason}");
        }
    }
    report::write_snapshots(&results, &snapshots)?;
    let markdown = report::markdown(&results);
    std::fs::write(&results_md, &markdown)
        .with_context(|| format!("writing {}", results_md.display()))?;
    println!("{markdown}");
    eprintln!(
        "wrote {} and {} in {:.1} s",
        snapshots.display(),
        results_md.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Why a row has no Stylus figure: the contract's size or build state.
fn stylus_status(built: &[(ContractKind, Built)], package: &str) -> String {
    match built.iter().find(|(kind, _)| kind.package() == package) {
        Some((_, Built::Ok(artifact))) if artifact.check_size().is_err() => format!(
            "{package} over the size limit ({} B)",
            report::thousands(artifact.compressed_bytes() as u64)
        ),
        Some((_, Built::Ok(_))) => format!("{package} fits; not measured in this run"),
        Some((_, Built::Failed(_))) => format!("{package} did not build"),
        None => format!("{package} unknown"),
    }
}

/// Deploys the Solidity token with the constructor the Stylus token gets from the deploy
/// library's defaults: the deployer is initial holder, treasury and governance.
async fn deploy_token(deployer: &Arc<Client>, token: &Compiled) -> Result<TokenUnderTest> {
    let params = SystemParams::default();
    let me = deployer.address();
    let supply = U256::from(params.token_supply) * U256::exp10(18);
    let address = deploy_evm(
        deployer,
        &token.abi,
        &token.bytecode,
        (
            params.token_name.clone(),
            params.token_symbol.clone(),
            supply,
            me,
            me,
            me,
            params.tax_bps,
        ),
    )
    .await
    .context("deploying the Solidity AgentToken")?;
    Ok(TokenUnderTest {
        address,
        abi: token.abi.clone(),
    })
}

/// Deploys the Stylus agent token through the deploy library (StylusDeployer, default
/// parameters), recording into a scratch directory, and caches it with [`Programs::Cached`].
async fn deploy_stylus_token(
    url: &str,
    ws: &Workspace,
    artifact: &deploy::Artifact,
    programs: Programs,
) -> Result<TokenUnderTest> {
    let (_, report) = operations::deploy_fresh(
        url,
        NITRO_DEV_KEY,
        ws,
        &[(ContractKind::AgentToken, artifact.clone())],
        programs,
    )
    .await
    .context("deploying the Stylus agent-token")?;
    let address = report
        .address(ContractKind::AgentToken)
        .context("agent-token missing from the deployment report")?;
    let abi_path = ws.root.join("abi").join("AgentToken.json");
    let abi: Abi = serde_json::from_str(
        &std::fs::read_to_string(&abi_path)
            .with_context(|| format!("reading {}", abi_path.display()))?,
    )?;
    Ok(TokenUnderTest { address, abi })
}

/// The token scenario's accounts: the same addresses on every node and for both
/// implementations, funded by `deployer`.
async fn token_actors(deployer: &Arc<Client>) -> Result<TokenActors> {
    Ok(TokenActors {
        deployer: deployer.clone(),
        alice: named_account(deployer, "alice", 10).await?,
        bob: named_account(deployer, "bob", 10).await?,
        carol: named_account(deployer, "carol", 10).await?,
    })
}

/// The devnode the bench measures: the one built into the bench (`bench serve-devnode`) or the
/// binary given with `--devnode-bin`.
async fn start_devnode(cli: &Cli) -> Result<NodeProcess> {
    match &cli.devnode_bin {
        Some(binary) => NodeProcess::devnode_binary(binary).await,
        None => {
            let exe = std::env::current_exe().context("locating the bench binary")?;
            NodeProcess::devnode(&exe).await
        }
    }
}

/// The focused measurements and the lifecycle story, each on a system of its own deployed on the
/// devnode at `url`, with `programs` uncached or all cached.
async fn system_pass(
    url: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, deploy::Artifact)],
    scale: &focused::Scale,
    programs: Programs,
) -> Result<(focused::Pass, operations::Story)> {
    let focused = focused::run(url, NITRO_DEV_KEY, ws, artifacts, scale, programs).await?;
    let story = operations::run(url, NITRO_DEV_KEY, ws, artifacts, programs).await?;
    Ok((focused, story))
}
