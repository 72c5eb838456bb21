//! Stylus: Arbitrum's wasm smart contracts.
//!
//! - [`code`]: the on-chain program format (`EF F0 00` + dictionary + brotli).
//! - [`activation`]: Nitro's activation-time validation and derived costs.
//! - [`program`]: activated-program records in the ArbWasm account's storage.
//! - [`recent`]: ArbOS 60's per-block recent-program cache.
//! - [`ink`]: host-io ink prices, the memory model, the wasmi configuration.
//! - [`meter`]: Nitro's per-basic-block ink meter, injected into the program's wasm.
//! - [`host`]: the `vm_hooks` host functions.
//! - [`run`]: one program frame running on revm's frame stack.

pub mod activation;
pub mod code;
pub mod host;
pub mod ink;
pub mod meter;
pub mod program;
pub mod recent;
pub mod run;

pub use code::{compress, decompress, deploy_prelude, is_stylus, STYLUS_PREFIX};
