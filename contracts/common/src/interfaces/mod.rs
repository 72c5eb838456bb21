//! Interfaces of the contracts the system's contracts call, declared with `sol_interface!`.
//!
//! One module per callee, named after it; each contract's owner keeps its interface here in sync
//! with the contract's ABI.
pub mod agent_token;
pub mod erc20;
pub mod oml_registry;
pub mod elo_ledger;
pub mod staking_vault;
pub mod subdao;
