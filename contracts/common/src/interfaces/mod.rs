//! Interfaces of the contracts the system's contracts call, declared with `sol_interface!`.
//!
//! One module per callee, named after it; each contract's owner keeps its interface here in sync
//! with the contract's ABI.
// Generated call clients mirror Solidity signatures (e.g. `permit` takes seven arguments
// plus the call context), so clippy's argument-count lint does not apply to them.
#![allow(clippy::too_many_arguments)]
pub mod agent_token;
pub mod elo_ledger;
pub mod erc20;
pub mod oml_registry;
pub mod staking_vault;
pub mod subdao;
