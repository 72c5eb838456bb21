//! Accepting transactions and mining blocks: admission checks, the queue for interval mining,
//! and executing transactions into a sealed block with receipts.

use alloy_consensus::Transaction as _;
use alloy_primitives::{Address, TxKind, B256, U256};
use revm::{context::BlockEnv, database::CacheDB, DatabaseCommit, DatabaseRef};

use super::{
    block::{self, bloom_of, state_commitment, BlockContents, StoredBlock, StoredReceipt},
    history::{StateUndo, StateView},
    tx::{AdmissionContext, SignedTx, TxError},
    CallRequest, Chain, ChainError,
};
use crate::evm::{self, BlockContext, Checks};

impl Chain {
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

    /// The block environment transactions of block `number` run in.
    pub(super) fn block_context(number: u64, timestamp: u64, base_fee: u64) -> BlockContext {
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
}
