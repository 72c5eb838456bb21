//! End-to-end scenarios, one module per contract (plus the harness's own checks), compiled into a
//! single test binary: the devnode and ethers link once instead of once per file.
//!
//! Each scenario starts its own harness (an embedded devnode on a free port, or `RPC_URL`), so
//! tests stay independent and run in parallel.
mod agent_token;
mod dex;
mod elo_ledger;
mod harness;
mod js_wallet;
mod lifecycle;
mod oml_registry;
mod reentrancy;
mod revenue;
mod rewards;
mod staking_vault;
mod subdao;
