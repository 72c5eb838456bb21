//! `cargo run --bin deploy`: deploys the agentdao contracts (see `deploy --help`).
//!
//! Without `RPC_URL` it starts the embedded devnode on 127.0.0.1:8547, deploys, prints the
//! addresses and serves until Ctrl-C (`--exit` stops after deploying).
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use deploy::chain::Chain;
use deploy::config::DeployArgs;
use deploy::pipeline::{self, Options};
use deploy::{report, wiring, Workspace};
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
    options.force = args.force;
    options.dry_run = args.dry_run;
    options.build = !args.no_build;
    options.salt = args.salt_bytes();
    if let Some(dir) = &args.deployments_dir {
        options.deployments_dir = dir.clone();
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
        args.values(chain.deployer()),
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
        for problem in wiring::wiring_problems(&report.deployments) {
            println!("wiring: {problem}");
        }
        report.record_path = Some(report.deployments.save(&options.deployments_dir)?);
    }
    if let Some(path) = &report.record_path {
        println!("record: {}", path.display());
    }
    println!("done in {:.1?}", started.elapsed());

    if let Some(node) = node {
        if args.exit || args.dry_run {
            node.shutdown().await?;
        } else {
            serve_until_ctrl_c(node).await?;
        }
    }
    Ok(())
}

/// The embedded devnode: on the configured port, or a random one for a dry run.
async fn start_devnode(args: &DeployArgs) -> Result<DevnodeHandle> {
    let config = DevnodeConfig {
        port: if args.dry_run { 0 } else { args.devnode_port },
        state_file: args.devnode_state.clone(),
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
