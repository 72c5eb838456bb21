//! `cargo run -p xtask -- <command>`: workspace chores for the Stylus contracts.
use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::{abi, sizes, Workspace};

/// Workspace chores for the agentdao Stylus contracts.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every contract to wasm (release, wasm32), brotli-compress it as Nitro stores it,
    /// print a size table and write `benches/snapshots/sizes.json` and the budgets of
    /// `deploy::system` to `benches/size-budget.json`. Fails over the limit.
    Sizes {
        /// Use the wasm files already built instead of building.
        #[arg(long)]
        no_build: bool,
        /// Fail when a contract exceeds this many compressed bytes (default: Nitro's 24,576).
        #[arg(long, default_value_t = sizes::MAX_COMPRESSED)]
        limit: usize,
    },
    /// Export `abi/<Contract>.json` and `abi/I<Contract>.sol` from each contract's `export-abi`
    /// feature; with `--check`, fail instead of writing when the files differ.
    Abi {
        /// Compare with the committed files instead of writing them.
        #[arg(long)]
        check: bool,
    },
}

fn main() -> Result<()> {
    let ws = Workspace::locate()?;
    match Cli::parse().command {
        Command::Sizes { no_build, limit } => {
            let report = sizes::measure(&ws, !no_build)?;
            print!("{}", sizes::table(&report));
            sizes::write_snapshot(&ws, &report)?;
            sizes::write_budget(&ws)?;
            sizes::enforce(&report, limit)
        }
        Command::Abi { check } => {
            let exported = abi::export_all(&ws)?;
            if check {
                abi::check(&ws, &exported)
            } else {
                abi::write(&ws, &exported)
            }
        }
    }
}
