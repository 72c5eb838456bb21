//! Local Stylus dev chain (work in progress).
pub mod evm;
pub mod precompiles;
