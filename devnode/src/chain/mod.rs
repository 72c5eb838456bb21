//! The chain: current state, mined blocks with transactions and receipts, the transaction queue,
//! snapshots and the clock. It executes through [`crate::evm::transact`] and knows nothing of
//! JSON-RPC.

pub mod accounts;
pub mod block;
pub mod cache_manager;
mod call;
pub mod history;
mod persist;
pub mod tx;

use std::{
    collections::{BTreeMap, HashMap},
    time::{SystemTime, UNIX_EPOCH},
};

use alloy_consensus::Transaction as _;
use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use revm::{
    context::BlockEnv,
    database::CacheDB,
    state::{AccountInfo, Bytecode},
    DatabaseCommit, DatabaseRef,
};
use serde::{Deserialize, Serialize};

use crate::evm::{self, BlockContext, ChainSpec, Checks, ExecutionResult, HaltReason};
use accounts::DevAccount;
use block::{bloom_of, state_commitment, BlockContents, StoredBlock, StoredReceipt};
use history::{StateDb, StateUndo, StateView};
use tx::{AdmissionContext, SignedTx, TxError};

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

fn wall_clock() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
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
            timestamp: wall_clock(),
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

    /// Number of the latest block.
    pub fn block_number(&self) -> u64 {
        self.latest().number()
    }

    /// The latest block.
    pub fn latest(&self) -> &StoredBlock {
        self.data
            .blocks
            .last()
            .expect("the genesis block always exists")
    }

    /// Base fee of the next block.
    pub fn next_base_fee(&self) -> u64 {
        MIN_BASE_FEE
    }

    /// Block by number.
    pub fn block(&self, number: u64) -> Option<&StoredBlock> {
        self.data.blocks.get(usize::try_from(number).ok()?)
    }

    /// Block by hash.
    pub fn block_by_hash(&self, hash: B256) -> Option<&StoredBlock> {
        self.block(*self.data.block_index.get(&hash)?)
    }

    /// The block a tag, number or hash names.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] for a future number or an unknown hash.
    pub fn resolve(&self, id: Option<BlockId>) -> Result<u64, ChainError> {
        match id.unwrap_or(BlockId::Number(BlockNumberOrTag::Latest)) {
            BlockId::Hash(hash) => self
                .data
                .block_index
                .get(&hash.block_hash)
                .copied()
                .ok_or(ChainError::UnknownBlock),
            BlockId::Number(tag) => self.resolve_tag(tag),
        }
    }

    /// The block a tag or number names.
    ///
    /// # Errors
    /// [`ChainError::UnknownBlock`] for a future number.
    pub fn resolve_tag(&self, tag: BlockNumberOrTag) -> Result<u64, ChainError> {
        match tag {
            BlockNumberOrTag::Earliest => Ok(0),
            BlockNumberOrTag::Number(n) if n <= self.block_number() => Ok(n),
            BlockNumberOrTag::Number(_) => Err(ChainError::UnknownBlock),
            _ => Ok(self.block_number()),
        }
    }

    fn view_at(&self, number: u64) -> StateView<'_> {
        StateView::new(&self.data.state, &self.data.blocks, number)
    }

    /// Account info (balance, nonce, code hash) at a block; `None` if it does not exist.
    pub fn account_at(&self, address: Address, number: u64) -> Option<AccountInfo> {
        let view = self.view_at(number);
        view.basic_ref(address)
            .unwrap_or_else(|never| match never {})
    }

    /// Balance at a block.
    pub fn balance(&self, address: Address, number: u64) -> U256 {
        self.account_at(address, number)
            .map_or(U256::ZERO, |a| a.balance)
    }

    /// Nonce at a block.
    pub fn nonce(&self, address: Address, number: u64) -> u64 {
        self.account_at(address, number).map_or(0, |a| a.nonce)
    }

    /// Next nonce counting queued transactions (`"pending"`).
    pub fn pending_nonce(&self, address: Address) -> u64 {
        let queued = self
            .data
            .pending
            .iter()
            .filter(|t| t.sender == address)
            .count() as u64;
        self.nonce(address, self.block_number()) + queued
    }

    /// Deployed code at a block.
    pub fn code(&self, address: Address, number: u64) -> Bytes {
        match self.account_at(address, number) {
            Some(info) => self
                .data
                .state
                .code_by_hash_ref(info.code_hash)
                .unwrap_or_else(|never| match never {})
                .original_bytes(),
            None => Bytes::new(),
        }
    }

    /// Storage slot at a block.
    pub fn storage(&self, address: Address, slot: U256, number: u64) -> U256 {
        let view = self.view_at(number);
        view.storage_ref(address, slot)
            .unwrap_or_else(|never| match never {})
    }

    /// A transaction by hash, mined or queued; queued ones have no block.
    pub fn transaction(&self, hash: B256) -> Option<(&SignedTx, Option<MinedTx<'_>>)> {
        if let Some(mined) = self.mined(hash) {
            return Some((mined.tx, Some(mined)));
        }
        self.data
            .pending
            .iter()
            .find(|t| t.hash == hash)
            .map(|t| (t, None))
    }

    /// A mined transaction by hash.
    pub fn mined(&self, hash: B256) -> Option<MinedTx<'_>> {
        let (number, index) = *self.data.tx_index.get(&hash)?;
        let block = self.block(number)?;
        Some(MinedTx {
            tx: block.transactions.get(index)?,
            receipt: block.receipts.get(index)?,
            block,
            index,
        })
    }

    /// Blocks `from..=to` (clamped to the chain).
    pub fn blocks(&self, from: u64, to: u64) -> impl Iterator<Item = &StoredBlock> {
        let end = to.min(self.block_number());
        (from..=end).filter_map(move |n| self.block(n))
    }

    /// The checks a new transaction from `tx.sender` must pass now.
    fn admission_context(&self, sender: Address) -> AdmissionContext {
        let latest = self.block_number();
        let info = self.account_at(sender, latest).unwrap_or_default();
        let code = self
            .data
            .state
            .code_by_hash_ref(info.code_hash)
            .unwrap_or_else(|never| match never {});
        let has_plain_code = !code.is_empty() && !code.is_eip7702();
        AdmissionContext {
            chain_id: self.spec.chain_id,
            base_fee: self.next_base_fee(),
            next_nonce: self.pending_nonce(sender),
            balance: info.balance,
            sender_code_hash: has_plain_code.then_some(info.code_hash),
            spec: self.spec.spec,
        }
    }

    /// Accepts a signed transaction; with instant mining it is mined before this returns.
    ///
    /// # Errors
    /// [`TxError`] (geth's messages) when it is rejected; nothing changes then.
    pub fn submit(&mut self, tx: SignedTx) -> Result<B256, ChainError> {
        // As in geth, only queued transactions are "known"; a mined one fails the nonce check.
        if self
            .data
            .pending
            .iter()
            .any(|queued| queued.hash == tx.hash)
        {
            return Err(TxError::AlreadyKnown.into());
        }
        tx.check(&self.admission_context(tx.sender))?;
        let hash = tx.hash;
        if self.instant_mining {
            let rejected = self.mine_transactions(vec![tx], None, true);
            if let Some((_, error)) = rejected.into_iter().next() {
                return Err(error.into());
            }
        } else {
            self.data.pending.push(tx);
            self.changed = true;
        }
        Ok(hash)
    }

    /// Signs a transaction for one of the dev accounts and submits it.
    ///
    /// # Errors
    /// [`ChainError::UnknownAccount`] when `from` is not a dev account, estimation errors when no
    /// gas is given, and [`Chain::submit`]'s errors.
    pub fn send_transaction(&mut self, request: CallRequest) -> Result<B256, ChainError> {
        let tx = self.sign_request(request)?;
        self.submit(tx)
    }

    /// Mines one block with every queued transaction (and `timestamp` if given); returns its
    /// number.
    ///
    /// # Errors
    /// [`ChainError::InvalidArgument`] when `timestamp` is before the latest block's.
    pub fn mine(&mut self, timestamp: Option<u64>) -> Result<u64, ChainError> {
        if let Some(ts) = timestamp {
            self.check_timestamp(ts)?;
        }
        let pending = std::mem::take(&mut self.data.pending);
        for (tx, error) in self.mine_transactions(pending, timestamp, false) {
            tracing::warn!(hash = %tx.hash, %error, "dropped a queued transaction");
        }
        Ok(self.block_number())
    }

    fn check_timestamp(&self, timestamp: u64) -> Result<(), ChainError> {
        let latest = self.latest().header.timestamp;
        if timestamp < latest {
            return Err(ChainError::InvalidArgument(format!(
                "timestamp {timestamp} is lower than the previous block's timestamp {latest}"
            )));
        }
        Ok(())
    }

    fn next_timestamp(&mut self, forced: Option<u64>) -> u64 {
        let parent = self.latest().header.timestamp;
        let chosen = forced
            .or(self.data.next_timestamp.take())
            .unwrap_or_else(|| {
                let now = wall_clock().saturating_add_signed(self.data.time_offset);
                now.max(parent)
            });
        // Keep the clock moving on from an explicitly chosen time.
        if forced.is_some() || chosen != parent {
            self.data.time_offset = chosen as i64 - wall_clock() as i64;
        }
        chosen
    }

    /// The block environment transactions of block `number` run in.
    fn block_context(number: u64, timestamp: u64, base_fee: u64) -> BlockContext {
        BlockContext {
            env: BlockEnv {
                number: U256::from(number),
                beneficiary: block::SEQUENCER_COINBASE,
                timestamp: U256::from(timestamp),
                gas_limit: block::HEADER_GAS_LIMIT,
                basefee: base_fee,
                difficulty: U256::from(1),
                prevrandao: Some(B256::with_last_byte(1)),
                ..BlockEnv::default()
            },
            l2_block_number: number,
            recent_programs: Default::default(),
        }
    }

    /// Executes `txs` into a new block. Transactions the EVM refuses are left out and returned.
    /// With `skip_empty`, no block is sealed when nothing was included.
    fn mine_transactions(
        &mut self,
        txs: Vec<SignedTx>,
        timestamp: Option<u64>,
        skip_empty: bool,
    ) -> Vec<(SignedTx, TxError)> {
        let number = self.block_number() + 1;
        let parent_hash = self.latest().hash;
        let parent_root = self.latest().header.state_root;
        let saved_clock = (self.data.time_offset, self.data.next_timestamp);
        let timestamp = self.next_timestamp(timestamp);
        let base_fee = self.next_base_fee();
        let block_ctx = Self::block_context(number, timestamp, base_fee);

        let mut included = Vec::new();
        let mut rejected = Vec::new();
        let mut undo = StateUndo::default();
        let mut cumulative_gas = 0u64;
        let mut log_index = 0u64;
        for tx in txs {
            let view = StateView::new(&self.data.state, &self.data.blocks, number - 1);
            let outcome = evm::transact(
                CacheDB::new(view),
                &self.spec,
                &block_ctx,
                tx.to_tx_env(base_fee),
                Checks::Full,
            );
            let result = match outcome {
                Ok(result) => result,
                Err(error) => {
                    rejected.push((tx, TxError::Rejected(error.to_string())));
                    continue;
                }
            };
            undo.record(&self.data.state, &result.state);
            self.data.state.commit(result.state);
            let gas_used = result.result.tx_gas_used();
            cumulative_gas += gas_used;
            let contract_address = match tx.envelope.kind() {
                TxKind::Create => Some(tx.sender.create(tx.envelope.nonce())),
                TxKind::Call(_) => None,
            };
            let success = result.result.is_success();
            let output = result.result.output().cloned().unwrap_or_default();
            // A failed transaction keeps no logs (geth), whatever the EVM reports.
            let logs = if success {
                result.result.into_logs()
            } else {
                Vec::new()
            };
            let receipt = StoredReceipt {
                success,
                gas_used,
                cumulative_gas_used: cumulative_gas,
                logs_bloom: bloom_of(&logs),
                first_log_index: log_index,
                contract_address,
                effective_gas_price: tx.effective_gas_price(base_fee),
                output,
                logs,
            };
            log_index += receipt.logs.len() as u64;
            included.push((tx, receipt));
        }
        // The state cache also collects every log ever committed; blocks already keep them.
        self.data.state.cache.logs.clear();

        if skip_empty && included.is_empty() {
            (self.data.time_offset, self.data.next_timestamp) = saved_clock;
            return rejected;
        }
        let block = StoredBlock::seal(BlockContents {
            number,
            parent_hash,
            timestamp,
            base_fee,
            state_root: state_commitment(parent_root, &undo),
            transactions: included,
            undo,
        });
        let hashes: Vec<_> = block.transactions.iter().map(|t| t.hash).collect();
        self.data
            .index_block(number, block.hash, hashes.into_iter());
        tracing::info!(
            number,
            txs = block.transactions.len(),
            gas = block.header.gas_used,
            "mined block"
        );
        self.data.blocks.push(block);
        self.changed = true;
        rejected
    }

    /// Moves the clock forward by `seconds`; returns the total offset from the wall clock.
    pub fn increase_time(&mut self, seconds: u64) -> i64 {
        self.data.time_offset = self.data.time_offset.saturating_add(seconds as i64);
        self.changed = true;
        self.data.time_offset
    }

    /// Fixes the timestamp of the next block.
    ///
    /// # Errors
    /// [`ChainError::InvalidArgument`] when it is before the latest block's timestamp.
    pub fn set_next_block_timestamp(&mut self, timestamp: u64) -> Result<(), ChainError> {
        self.check_timestamp(timestamp)?;
        self.data.next_timestamp = Some(timestamp);
        self.changed = true;
        Ok(())
    }

    /// Saves the whole chain; returns the snapshot id.
    pub fn snapshot(&mut self) -> u64 {
        let id = self.next_snapshot_id;
        self.next_snapshot_id += 1;
        self.snapshots.insert(id, self.data.clone());
        id
    }

    /// Restores snapshot `id`, dropping it and every later snapshot; false if it does not exist.
    pub fn revert(&mut self, id: u64) -> bool {
        let Some(data) = self.snapshots.remove(&id) else {
            return false;
        };
        self.snapshots.retain(|other, _| *other < id);
        self.data = data;
        self.changed = true;
        true
    }

    /// Sets an account's balance directly (no block is mined).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.modify_account(address, |info| info.balance = balance);
    }

    /// Sets an account's nonce directly.
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.modify_account(address, |info| info.nonce = nonce);
    }

    /// Sets an account's code directly.
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        let bytecode = Bytecode::new_raw(code);
        self.modify_account(address, |info| {
            info.code_hash = bytecode.hash_slow();
            info.code = Some(bytecode);
        });
    }

    /// Sets a storage slot directly.
    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        self.data
            .state
            .insert_account_storage(address, slot, value)
            .unwrap_or_else(|never| match never {});
        self.changed = true;
    }

    fn modify_account(&mut self, address: Address, change: impl FnOnce(&mut AccountInfo)) {
        let mut info = self
            .account_at(address, self.block_number())
            .unwrap_or_default();
        if info.code.is_none() {
            let code = self.code(address, self.block_number());
            if !code.is_empty() {
                info.code = Some(Bytecode::new_raw(code));
            }
        }
        change(&mut info);
        self.data.state.insert_account_info(address, info);
        self.changed = true;
    }

    /// Outcome of a call for error reporting: output on success, [`ChainError`] otherwise.
    fn call_result(result: ExecutionResult) -> Result<Bytes, ChainError> {
        match result {
            ExecutionResult::Success { output, .. } => Ok(output.into_data()),
            ExecutionResult::Revert { output, .. } => {
                let reason =
                    <alloy_sol_types::Revert as alloy_sol_types::SolError>::abi_decode(&output)
                        .ok()
                        .map(|r| r.reason);
                Err(ChainError::Reverted { output, reason })
            }
            ExecutionResult::Halt { reason, .. } => Err(ChainError::Halted(halt_message(&reason))),
        }
    }
}

/// geth's wording for an exceptional halt.
fn halt_message(reason: &HaltReason) -> String {
    match reason {
        HaltReason::OutOfGas(_) => "out of gas".into(),
        HaltReason::OpcodeNotFound | HaltReason::InvalidFEOpcode => "invalid opcode".into(),
        HaltReason::InvalidJump => "invalid jump destination".into(),
        HaltReason::StackUnderflow => "stack underflow".into(),
        HaltReason::StackOverflow => "stack limit reached 1024".into(),
        HaltReason::CallTooDeep => "max call depth exceeded".into(),
        HaltReason::OutOfFunds => "insufficient balance for transfer".into(),
        HaltReason::CreateCollision => "contract address collision".into(),
        HaltReason::CreateContractSizeLimit => "max code size exceeded".into(),
        HaltReason::CreateContractStartingWithEF => "invalid code: must not begin with 0xef".into(),
        HaltReason::StateChangeDuringStaticCall | HaltReason::CallNotAllowedInsideStatic => {
            "write protection".into()
        }
        other => format!("execution halted: {other:?}"),
    }
}
