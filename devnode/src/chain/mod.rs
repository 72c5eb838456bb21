//! The chain: current state, mined blocks with transactions and receipts, the transaction queue,
//! snapshots and the clock. It executes through [`crate::evm::transact`] and knows nothing of
//! JSON-RPC.
//!
//! This module holds the [`Chain`] type and what it is made of; its methods are grouped by
//! concern:
//!
//! - `query`: blocks, accounts, code and storage as they were after any block.
//! - `mining`: admitting transactions, the queue, executing them into sealed blocks.
//! - `clock`: block timestamps, the time offset and the next block's fixed timestamp.
//! - `snapshots`: saving and restoring the whole chain.
//! - `setters`: the test helpers that change state directly.
//! - `call`: `eth_call`, `eth_estimateGas` and signing for the dev accounts.
//! - `persist`: the state file.

pub mod accounts;
pub mod block;
pub mod cache_manager;
mod call;
mod clock;
pub mod history;
mod mining;
mod persist;
mod query;
mod setters;
mod snapshots;
pub mod tx;

use std::collections::{BTreeMap, HashMap};

use alloy_primitives::{Address, Bytes, B256, U256};
use revm::state::AccountInfo;
use serde::{Deserialize, Serialize};

use crate::evm::{self, ChainSpec};
use accounts::DevAccount;
use block::{state_commitment, BlockContents, StoredBlock, StoredReceipt};
use history::{StateDb, StateUndo};
use tx::{SignedTx, TxError};

pub use call::CallRequest;
pub use persist::PersistError;
pub use tx::MAX_TX_GAS;

/// Base fee of every block: nitro-devnode's minimum L2 base fee, 0.1 gwei. Nitro keeps the base
/// fee at this floor unless the chain is congested, which a dev chain never is.
pub const MIN_BASE_FEE: u64 = 100_000_000;

/// Gas given to `eth_call` when the request names none (geth's default RPC gas cap).
pub const RPC_GAS_CAP: u64 = 50_000_000;

/// Why a chain operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// The transaction was not accepted.
    #[error(transparent)]
    Tx(#[from] TxError),
    /// The call ran and reverted.
    #[error("execution reverted{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Reverted {
        /// The revert data.
        output: Bytes,
        /// The `Error(string)` message, when the data is one.
        reason: Option<String>,
    },
    /// The call halted (out of gas, invalid opcode, ...); the message is geth's.
    #[error("{0}")]
    Halted(String),
    /// `eth_estimateGas` found no gas limit up to the allowance that makes the call succeed.
    #[error("gas required exceeds allowance ({0})")]
    GasExceedsAllowance(u64),
    /// The block does not exist.
    #[error("header not found")]
    UnknownBlock,
    /// `eth_sendTransaction` from an account whose key the node does not have.
    #[error("unknown account")]
    UnknownAccount,
    /// A parameter is out of range.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The EVM refused to run the call.
    #[error("{0}")]
    Execution(String),
}

/// Everything that changes as the chain runs; cloned for snapshots and saved to the state file.
#[derive(Clone, Serialize, Deserialize)]
struct ChainData {
    state: StateDb,
    blocks: Vec<StoredBlock>,
    /// Accepted transactions waiting for the next block (interval mining only).
    pending: Vec<SignedTx>,
    /// Seconds added to the wall clock (`evm_increaseTime`).
    time_offset: i64,
    /// Timestamp of the next block (`evm_setNextBlockTimestamp`).
    next_timestamp: Option<u64>,
    #[serde(skip)]
    tx_index: HashMap<B256, (u64, usize)>,
    #[serde(skip)]
    block_index: HashMap<B256, u64>,
}

impl ChainData {
    fn rebuild_indexes(&mut self) {
        self.tx_index.clear();
        self.block_index.clear();
        for block in &self.blocks {
            self.block_index.insert(block.hash, block.number());
            for (i, tx) in block.transactions.iter().enumerate() {
                self.tx_index.insert(tx.hash, (block.number(), i));
            }
        }
    }

    fn index_block(&mut self, number: u64, hash: B256, txs: impl Iterator<Item = B256>) {
        self.block_index.insert(hash, number);
        for (i, tx) in txs.enumerate() {
            self.tx_index.insert(tx, (number, i));
        }
    }
}

/// A mined transaction with its position.
pub struct MinedTx<'a> {
    /// The transaction.
    pub tx: &'a SignedTx,
    /// Its receipt.
    pub receipt: &'a StoredReceipt,
    /// The block it is in.
    pub block: &'a StoredBlock,
    /// Its index in the block.
    pub index: usize,
}

/// The dev chain.
pub struct Chain {
    spec: ChainSpec,
    accounts: Vec<DevAccount>,
    instant_mining: bool,
    data: ChainData,
    snapshots: BTreeMap<u64, ChainData>,
    next_snapshot_id: u64,
    changed: bool,
}

/// Locks a shared chain. A panic while the lock was held (a bug in execution) cannot leave the
/// chain half-updated, because state is only committed after execution returns, so the node keeps
/// serving instead of failing every later request.
pub fn lock(shared: &std::sync::Mutex<Chain>) -> std::sync::MutexGuard<'_, Chain> {
    shared.lock().unwrap_or_else(|poisoned| {
        tracing::error!("a request panicked while holding the chain; continuing");
        shared.clear_poison();
        poisoned.into_inner()
    })
}

impl Chain {
    /// A new chain whose genesis funds `accounts` with `balance` each. With `instant_mining`
    /// every accepted transaction is mined at once in its own block; otherwise transactions wait
    /// for [`Chain::mine`].
    pub fn new(
        spec: ChainSpec,
        accounts: Vec<DevAccount>,
        balance: U256,
        instant_mining: bool,
    ) -> Self {
        let mut state = StateDb::default();
        for (address, info) in evm::genesis_accounts(&spec) {
            state.insert_account_info(address, info);
        }
        for account in &accounts {
            state.insert_account_info(account.address, AccountInfo::from_balance(balance));
        }
        let genesis = StoredBlock::seal(BlockContents {
            number: 0,
            parent_hash: B256::ZERO,
            timestamp: clock::wall_clock(),
            base_fee: MIN_BASE_FEE,
            transactions: Vec::new(),
            undo: StateUndo::default(),
            state_root: state_commitment(B256::ZERO, &StateUndo::default()),
        });
        let mut data = ChainData {
            state,
            blocks: vec![genesis],
            pending: Vec::new(),
            time_offset: 0,
            next_timestamp: None,
            tx_index: HashMap::new(),
            block_index: HashMap::new(),
        };
        data.rebuild_indexes();
        Self {
            spec,
            accounts,
            instant_mining,
            data,
            snapshots: BTreeMap::new(),
            next_snapshot_id: 1,
            changed: true,
        }
    }

    /// Installs Arbitrum's CacheManager (creation code `creation`) in the genesis state and
    /// returns its address (see [`cache_manager`]).
    ///
    /// # Errors
    /// When the chain has blocks beyond genesis or a set-up transaction fails.
    pub fn install_cache_manager(&mut self, creation: Bytes) -> anyhow::Result<Address> {
        if self.block_number() != 0 {
            anyhow::bail!("the CacheManager is installed at genesis only");
        }
        let genesis = &self.latest().header;
        let block = Self::block_context(0, genesis.timestamp, MIN_BASE_FEE);
        let address = cache_manager::install(&mut self.data.state, &self.spec, &block, creation)?;
        self.changed = true;
        Ok(address)
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.spec.chain_id
    }

    /// The execution settings.
    pub fn spec(&self) -> &ChainSpec {
        &self.spec
    }

    /// The accounts the node can sign for.
    pub fn accounts(&self) -> &[DevAccount] {
        &self.accounts
    }

    /// Whether every transaction is mined in its own block at once.
    pub fn instant_mining(&self) -> bool {
        self.instant_mining
    }

    /// True when something changed since the last call (used to decide when to save).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }
}
