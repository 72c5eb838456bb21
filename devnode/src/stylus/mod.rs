//! Stylus: Arbitrum's wasm smart contracts.
//!
//! - [`code`]: the on-chain program format (`EF F0 00` + dictionary + brotli).
//! - [`activation`]: Nitro's activation-time validation and derived costs.
//! - [`program`]: activated-program records in the ArbWasm account's storage.
//! - [`ink`]: ink pricing, wasmi fuel configuration, the memory model.
//! - [`host`]: the `vm_hooks` host functions.
//! - [`run`]: one program frame running on revm's frame stack.

pub mod activation;
pub mod code;
pub mod host;
pub mod ink;
pub mod program;
pub mod run;

pub use code::{compress, decompress, deploy_prelude, is_stylus, STYLUS_PREFIX};
