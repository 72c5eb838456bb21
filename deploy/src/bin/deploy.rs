//! `cargo run --bin deploy`: deploys the agentdao contracts (see `deploy --help`).
//!
//! Without `RPC_URL` it starts the embedded devnode on 127.0.0.1:8547, deploys, wires, verifies
//! the wiring, prints the addresses and serves until Ctrl-C (`--exit` stops after deploying).
//! `--verify-wiring` only checks a recorded deployment; `--demo` deploys a fresh system and runs
//! the lifecycle story on it.
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::Parser;
use deploy::chain::Chain;
use deploy::config::DeployArgs;
use deploy::lifecycle::{self, Printer, System};
use deploy::pipeline::{self, Options};
use deploy::record::Deployments;
use deploy::{cache, report, verify, wiring, Workspace};
use devnode::{DevnodeConfig, DevnodeHandle};
use indicatif::{ProgressBar, ProgressStyle};

#[tokio::main]
async fn main() -> Result<()> {
    // A missing .env is fine: every variable has a default.
    let _ = dotenvy::dotenv();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = DeployArgs::parse();
    let ws = Workspace::locate();

    let (node, url) = match &args.rpc_url {
        Some(url) => (None, url.clone()),
        None => {
            let node = start_devnode(&args).await?;
            let url = node.url();
            (Some(node), url)
        }
    };
    let chain = Chain::connect(&url, args.key(), args.chain_id).await?;
    eprintln!(
        "chain {} at {url}, deployer {:#x}{}",
        chain.chain_id,
        chain.deployer(),
        if args.dry_run { " (dry run)" } else { "" }
    );

    let mut options = Options::new(&ws);
    options.only = args.only.clone();
    options.force = args.force || args.demo;
    options.dry_run = args.dry_run;
    options.build = !args.no_build;
    options.salt = args.salt_bytes();
    if let Some(dir) = &args.deployments_dir {
        options.deployments_dir = dir.clone();
    }
    let demo_records = if args.demo {
        // A demo never touches the real records.
        let dir = std::env::temp_dir().join(format!("agentdao-demo-{}", std::process::id()));
        options.deployments_dir = dir.clone();
        options.only.clear();
        Some(dir)
    } else {
        None
    };

    if args.verify_wiring {
        let deployments = Deployments::load(&options.deployments_dir, chain.chain_id)?;
        if deployments.contracts.is_empty() {
            bail!(
                "no deployment recorded for chain {} in {}",
                chain.chain_id,
                options.deployments_dir.display()
            );
        }
        let mut checks = verify::check_wiring(&chain, &deployments, &options.abi_dir).await?;
        checks.extend(cache::checks(&chain, &deployments, args.cache).await?);
        print!("{}", verify::table(&checks));
        if let Some(node) = node {
            node.shutdown().await?;
        }
        if !verify::all_ok(&checks) {
            bail!("the wiring differs from the design");
        }
        return Ok(());
    }

    let progress = ProgressBar::new(options.selected().len() as u64);
    progress.set_style(
        ProgressStyle::with_template("{spinner} [{pos}/{len}] {elapsed} {wide_msg}")
            .context("progress template")?,
    );
    progress.enable_steady_tick(Duration::from_millis(120));
    let started = Instant::now();
    let result = pipeline::run(
        &chain,
        &ws,
        args.values(chain.deployer())?,
        &options,
        &progress,
    )
    .await;
    progress.finish_and_clear();
    let mut report = result?;
    print!("{}", report::table(&report));

    if !args.dry_run && !args.no_wire {
        let steps = wiring::wire(&chain, &mut report.deployments, &options.abi_dir).await?;
        for step in &steps {
            println!(
                "wired: {} (tx {:#x}, gas {})",
                step.step, step.tx_hash, step.gas_used
            );
        }
        report.record_path = Some(report.deployments.save(&options.deployments_dir)?);
        let checks = verify::check_wiring(&chain, &report.deployments, &options.abi_dir).await?;
        println!();
        print!("{}", verify::table(&checks));
    }
    if args.cache && !args.dry_run {
        let manager = cache::find_cache_manager(&chain).await?;
        let states = cache::place_bids(&chain, &report.deployments, args.cache_bid).await?;
        println!();
        print!("{}", cache::table(manager, &states));
    }
    if let Some(path) = &report.record_path {
        println!("record: {}", path.display());
    }
    println!("done in {:.1?}", started.elapsed());

    if args.demo {
        let system = System::from_deployments(&report.deployments)?;
        let result = lifecycle::run(&chain, system, &mut Printer).await;
        if let Some(dir) = demo_records {
            let _ = std::fs::remove_dir_all(dir);
        }
        let summary = result?;
        println!("\n== Summary");
        print!("{}", summary.table());
        if let Some(node) = node {
            node.shutdown().await?;
        }
        return Ok(());
    }

    if let Some(node) = node {
        if args.exit || args.dry_run {
            node.shutdown().await?;
        } else {
            serve_until_ctrl_c(node).await?;
        }
    }
    Ok(())
}

/// The embedded devnode: on the configured port, or a random one for a dry run or a demo.
async fn start_devnode(args: &DeployArgs) -> Result<DevnodeHandle> {
    let ephemeral = args.dry_run || args.demo;
    if args.cache {
        // The embedded devnode's CacheManager comes from the published npm artifact.
        devnode::chain::cache_manager::npm_ci()?;
    }
    let config = DevnodeConfig {
        port: if ephemeral { 0 } else { args.devnode_port },
        state_file: if args.demo {
            None
        } else {
            args.devnode_state.clone()
        },
        ..DevnodeConfig::default()
    };
    let port = config.port;
    devnode::spawn(config)
        .await
        .with_context(|| format!("starting the embedded devnode on 127.0.0.1:{port}"))
}

async fn serve_until_ctrl_c(node: DevnodeHandle) -> Result<()> {
    println!();
    println!(
        "devnode serving at {} (chain id {})",
        node.url(),
        node.chain_id()
    );
    println!("funded accounts (local use only):");
    for account in node.accounts().iter().take(3) {
        println!(
            "  {:#x}  key 0x{}",
            account.address,
            hex(&account.private_key[..])
        );
    }
    println!("press Ctrl-C to stop");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    node.shutdown().await
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
