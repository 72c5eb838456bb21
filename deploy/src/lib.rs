//! Deploys the agentdao Stylus contracts: build, compress, size check, deploy through the
//! StylusDeployer with constructor arguments, record, wire.
//!
//! The light part ([`system`], the list of contracts and programs, [`build`], [`pack`],
//! [`compress`], [`error`]) has no chain dependencies and is what xtask uses for its size table
//! and ABI export. The `chain` feature (on by default) adds the deployment
//! pipeline: `config` (flags and `.env`), `contracts` (the constructor arguments of the
//! contracts `system` lists), `chain` (an ethers client for one chain), `arbitrum` (ArbWasm and
//! StylusDeployer bindings), `deployer` (activation fee estimate, StylusDeployer transaction,
//! code hash check), `dex` (the agent token's Uniswap V2 pool), `record`
//! (`deployments/<chainid>.json`), `send` (the one way to send a transaction: gas limit, receipt,
//! revert reason), `pipeline` (the whole run), `wiring` (the SubDAO becomes
//! treasury and governance), `revenue` (the revenue program's wiring and checks),
//! `rewards` (the rewards program's grants and checks), `cache`
//! (`--cache`: CacheManager bids for the hot programs) and `report` (the final table).
//!
//! ```no_run
//! # async fn demo() -> Result<(), deploy::error::DeployError> {
//! use deploy::{chain::Chain, config::SystemParams, pipeline, Workspace};
//! let chain = Chain::connect("http://127.0.0.1:8547", deploy::config::NITRO_DEV_KEY, None).await?;
//! let ws = Workspace::locate();
//! let values = SystemParams::default().values(chain.deployer());
//! let options = pipeline::Options::new(&ws);
//! let report =
//!     pipeline::run(&chain, &ws, values, &options, &indicatif::ProgressBar::hidden()).await?;
//! print!("{}", deploy::report::table(&report));
//! # Ok(()) }
//! ```
pub mod build;
pub mod compress;
pub mod error;
pub mod pack;
pub mod system;
pub mod toolchain;

#[cfg(feature = "chain")]
pub mod arbitrum;
#[cfg(feature = "chain")]
pub mod bindings;
#[cfg(feature = "chain")]
pub mod cache;
#[cfg(feature = "chain")]
pub mod chain;
#[cfg(feature = "chain")]
pub mod config;
#[cfg(feature = "chain")]
pub mod contracts;
#[cfg(feature = "chain")]
pub mod deployer;
#[cfg(feature = "chain")]
pub mod dex;
#[cfg(feature = "chain")]
pub mod lifecycle;
#[cfg(feature = "chain")]
pub mod pipeline;
#[cfg(feature = "chain")]
pub mod record;
#[cfg(feature = "chain")]
pub mod report;
#[cfg(feature = "chain")]
pub mod revenue;
#[cfg(feature = "chain")]
pub mod rewards;
#[cfg(feature = "chain")]
pub mod send;
#[cfg(feature = "chain")]
pub mod verify;
#[cfg(feature = "chain")]
pub mod wiring;

pub use build::{Artifact, Workspace};
pub use compress::{init_code, program_code, MAX_COMPRESSED, MAX_WASM, STYLUS_PREFIX};
#[cfg(feature = "chain")]
pub use indicatif;
