//! Transaction execution for the devnode: revm (Prague rules) plus Arbitrum's Stylus programs.
//!
//! This module is the only entry point the chain layer uses. Its API is stable:
//!
//! - [`ChainSpec`]: settings fixed for the whole chain (chain id, ArbOS version, Stylus params).
//! - [`BlockContext`]: the per-block environment. `env.number` is what contracts see as
//!   `block.number`; on Arbitrum that is the **L1** block number. The devnode has no L1, so the
//!   chain sets it to the L2 block number as well; `l2_block_number` is what ArbSys
//!   `arbBlockNumber()` reports.
//! - [`transact`]: execute one transaction on a database without committing; the caller commits
//!   the returned [`ResultAndState`] with `DatabaseCommit::commit` (or discards it for
//!   `eth_call`/`eth_estimateGas`).
//! - [`genesis_accounts`]: the accounts that must exist in the genesis state (precompile marker
//!   code, the StylusDeployer).
//!
//! Execution runs on [`arb_evm::ArbEvm`]: revm's mainnet handler and frame loop with Stylus
//! programs and the StylusDeployer as native frames (see `devnode/STYLUS.md`).
//!
//! Every piece of Stylus state (activation records) lives in the storage of the ArbWasm
//! precompile account, so it is committed, snapshotted and persisted with the rest of the state.

pub mod arb_evm;
pub mod frame;

use revm::{
    context::{
        result::{EVMError, InvalidHeader, InvalidTransaction},
        BlockEnv, CfgEnv, Context, TxEnv,
    },
    context_interface::{ContextTr, JournalTr},
    handler::{Handler, MainnetHandler},
    primitives::{address, hardfork::SpecId, Address},
    state::AccountInfo,
    Database,
};

use arb_evm::ArbEvm;
use frame::ArbFrame;

pub use revm::context::result::{ExecutionResult, HaltReason, ResultAndState};

/// The chain id of nitro-devnode, used as the default.
pub const DEFAULT_CHAIN_ID: u64 = 412_346;

/// The ArbOS version the devnode reports and follows (nitro-devnode on nitro master).
pub const DEFAULT_ARBOS_VERSION: u64 = 40;

/// Settings fixed for the whole chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainSpec {
    /// EIP-155 chain id (nitro-devnode: 412346).
    pub chain_id: u64,
    /// ArbOS version reported by ArbSys (`arbOSVersion() = 55 + arbos_version`) and used for the
    /// version-gated Stylus rules.
    pub arbos_version: u64,
    /// The EVM hardfork rules (Nitro runs Prague from ArbOS 40).
    pub spec: SpecId,
    /// Receives Stylus activation data fees (Nitro's network fee account; on nitro-devnode the
    /// chain owner, i.e. the dev account).
    pub network_fee_account: Address,
    /// Debug chain (`AllowDebugPrecompiles`): Stylus `console` host functions print via
    /// `tracing`.
    pub debug: bool,
}

/// nitro-devnode's dev account, which owns the chain and receives network fees.
pub const DEV_ACCOUNT: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");

impl Default for ChainSpec {
    fn default() -> Self {
        Self {
            chain_id: DEFAULT_CHAIN_ID,
            arbos_version: DEFAULT_ARBOS_VERSION,
            spec: SpecId::PRAGUE,
            network_fee_account: DEV_ACCOUNT,
            debug: true,
        }
    }
}

/// The per-block environment a transaction runs in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockContext {
    /// revm's block environment. `number` is the block number contracts see (`block.number`,
    /// the L1 block number on Arbitrum; the devnode uses the L2 number here too).
    pub env: BlockEnv,
    /// The L2 block number reported by ArbSys `arbBlockNumber()`.
    pub l2_block_number: u64,
    /// The block's recently called Stylus programs (used from ArbOS 60); every transaction of
    /// the block shares it, a new block starts empty.
    pub recent_programs: crate::stylus::recent::RecentPrograms,
}

/// How strictly a transaction is validated before execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// Everything a block producer checks (`eth_sendRawTransaction`, `eth_sendTransaction`):
    /// nonce, balance for gas and value, base fee, block gas limit.
    Full,
    /// Simulation (`eth_call`, `eth_estimateGas`): no nonce, balance, base-fee, block gas limit
    /// or chain-id checks.
    Relaxed,
}

/// Why a transaction could not be executed at all (it is then not includable in a block).
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// The transaction is invalid against the state or the block (nonce, funds, fees, gas).
    #[error("invalid transaction: {0}")]
    Transaction(#[from] InvalidTransaction),
    /// The block environment is invalid.
    #[error("invalid block header: {0}")]
    Header(#[from] InvalidHeader),
    /// The state database failed.
    #[error("database error: {0}")]
    Database(String),
    /// Any other failure reported by the EVM.
    #[error("execution error: {0}")]
    Other(String),
}

impl<E: core::fmt::Display> From<EVMError<E, InvalidTransaction>> for ExecError {
    fn from(error: EVMError<E, InvalidTransaction>) -> Self {
        match error {
            EVMError::Transaction(e) => Self::Transaction(e),
            EVMError::Header(e) => Self::Header(e),
            EVMError::Database(e) => Self::Database(e.to_string()),
            EVMError::Custom(e) => Self::Other(e),
            EVMError::CustomAny(e) => Self::Other(e.to_string()),
        }
    }
}

/// Builds the revm configuration for `spec` and `checks`.
pub(crate) fn cfg_env(spec: &ChainSpec, checks: Checks) -> CfgEnv {
    let mut cfg = CfgEnv::new_with_spec(spec.spec);
    cfg.chain_id = spec.chain_id;
    // Stylus code starts with 0xEF F0 00; the Arbitrum rule (only that prefix is allowed) is
    // enforced by the Stylus-aware frame.
    cfg.disable_eip3541 = true;
    // A dev chain has no per-transaction gas cap beyond the block gas limit.
    cfg.tx_gas_limit_cap = Some(u64::MAX);
    if checks == Checks::Relaxed {
        cfg.disable_nonce_check = true;
        cfg.disable_balance_check = true;
        cfg.disable_base_fee = true;
        cfg.disable_block_gas_limit = true;
        cfg.tx_chain_id_check = false;
    }
    cfg
}

/// Executes one transaction on `db` without committing; the caller commits the returned state.
///
/// # Errors
/// [`ExecError`] when the transaction cannot be included (invalid nonce, funds, fees, gas) or the
/// database fails. A transaction that runs and reverts or halts is `Ok` with a non-success
/// [`ExecutionResult`].
pub fn transact<DB: Database>(
    db: DB,
    spec: &ChainSpec,
    block: &BlockContext,
    tx: TxEnv,
    checks: Checks,
) -> Result<ResultAndState, ExecError>
where
    DB::Error: core::fmt::Display,
{
    let ctx = Context::<BlockEnv, TxEnv, CfgEnv, DB>::new(db, spec.spec)
        .with_cfg(cfg_env(spec, checks))
        .with_block(block.env.clone())
        .with_tx(tx);
    let mut evm = ArbEvm::new(ctx, spec, block);
    let outcome =
        MainnetHandler::<ArbEvm<DB>, EVMError<DB::Error, InvalidTransaction>, ArbFrame>::default()
            .run(&mut evm);
    let state = evm.ctx.journal_mut().finalize();
    Ok(ResultAndState::new(outcome?, state))
}

/// Accounts that must exist at genesis: marker code (`0xFE`, as Nitro installs) for the Arbitrum
/// precompiles so `eth_getCode` and `EXTCODESIZE` see them, and the StylusDeployer.
pub fn genesis_accounts(_spec: &ChainSpec) -> Vec<(Address, AccountInfo)> {
    let marker = revm::state::Bytecode::new_raw(revm::primitives::Bytes::from_static(&[0xFE]));
    crate::precompiles::ARB_PRECOMPILE_ADDRESSES
        .iter()
        .copied()
        .chain([crate::precompiles::STYLUS_DEPLOYER_ADDRESS])
        .map(|address| (address, AccountInfo::default().with_code(marker.clone())))
        .collect()
}
