//! The JSON-RPC methods: `eth_*`, `net_*`, `web3_*`, the test helpers `evm_*` and a few
//! `anvil_*` state setters.

use std::sync::{Arc, Mutex, MutexGuard};

use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, Bytes, B256, U256, U64};
use alloy_rpc_types_eth::{
    state::StateOverride, Block, FeeHistory, Filter, FilterBlockOption, Log, Transaction,
    TransactionRequest,
};
use jsonrpsee::{core::RpcResult, proc_macros::rpc};
use serde::{Deserialize, Deserializer};

use super::{
    convert::{self, ArbReceipt},
    error::{invalid_params, to_rpc},
};
use crate::chain::{
    block::{StoredBlock, HEADER_GAS_LIMIT},
    tx::SignedTx,
    Chain, ChainError, MinedTx,
};

/// Client name reported by `web3_clientVersion`.
pub const CLIENT_VERSION: &str = concat!("agentdao-devnode/v", env!("CARGO_PKG_VERSION"));

/// Most blocks `eth_feeHistory` reports at once (geth's limit).
const MAX_FEE_HISTORY_BLOCKS: u64 = 1024;

/// A non-negative integer given as a JSON number or a hex string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity(pub u64);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(u64),
            Hex(U64),
        }
        Ok(Self(match Raw::deserialize(deserializer)? {
            Raw::Number(n) => n,
            Raw::Hex(n) => n.to::<u64>(),
        }))
    }
}

/// `evm_mine` parameters: a timestamp, or anvil's `{timestamp, blocks}`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(untagged)]
pub enum MineParams {
    /// Timestamp of the block to mine.
    Timestamp(Quantity),
    /// Timestamp of the first block and how many blocks to mine.
    Options {
        /// Timestamp of the first block.
        timestamp: Option<Quantity>,
        /// Number of blocks.
        blocks: Option<Quantity>,
    },
}

/// `eth_*` methods.
#[rpc(server, namespace = "eth")]
pub trait EthApi {
    /// EIP-155 chain id.
    #[method(name = "chainId")]
    fn chain_id(&self) -> RpcResult<U64>;
    /// Latest block number.
    #[method(name = "blockNumber")]
    fn block_number(&self) -> RpcResult<U64>;
    /// The dev accounts.
    #[method(name = "accounts")]
    fn accounts(&self) -> RpcResult<Vec<Address>>;
    /// Always false: the devnode is its own source of truth.
    #[method(name = "syncing")]
    fn syncing(&self) -> RpcResult<bool>;
    /// Balance at a block.
    #[method(name = "getBalance")]
    fn get_balance(&self, address: Address, block: Option<BlockId>) -> RpcResult<U256>;
    /// Code at a block.
    #[method(name = "getCode")]
    fn get_code(&self, address: Address, block: Option<BlockId>) -> RpcResult<Bytes>;
    /// Storage slot at a block.
    #[method(name = "getStorageAt")]
    fn get_storage_at(
        &self,
        address: Address,
        slot: U256,
        block: Option<BlockId>,
    ) -> RpcResult<B256>;
    /// Nonce at a block; `"pending"` counts queued transactions.
    #[method(name = "getTransactionCount")]
    fn get_transaction_count(&self, address: Address, block: Option<BlockId>) -> RpcResult<U64>;
    /// Executes a call without a transaction.
    #[method(name = "call", blocking)]
    fn call(
        &self,
        request: TransactionRequest,
        block: Option<BlockId>,
        overrides: Option<StateOverride>,
    ) -> RpcResult<Bytes>;
    /// Smallest gas limit with which the request succeeds.
    #[method(name = "estimateGas", blocking)]
    fn estimate_gas(
        &self,
        request: TransactionRequest,
        block: Option<BlockId>,
        overrides: Option<StateOverride>,
    ) -> RpcResult<U64>;
    /// Price per gas: the base fee (Arbitrum drops tips).
    #[method(name = "gasPrice")]
    fn gas_price(&self) -> RpcResult<U256>;
    /// Suggested tip: zero.
    #[method(name = "maxPriorityFeePerGas")]
    fn max_priority_fee_per_gas(&self) -> RpcResult<U256>;
    /// Base fees and gas use of recent blocks.
    #[method(name = "feeHistory")]
    fn fee_history(
        &self,
        block_count: Quantity,
        newest: BlockNumberOrTag,
        reward_percentiles: Option<Vec<f64>>,
    ) -> RpcResult<FeeHistory>;
    /// Submits a signed transaction.
    #[method(name = "sendRawTransaction", blocking)]
    fn send_raw_transaction(&self, raw: Bytes) -> RpcResult<B256>;
    /// Signs and submits a transaction from a dev account.
    #[method(name = "sendTransaction", blocking)]
    fn send_transaction(&self, request: TransactionRequest) -> RpcResult<B256>;
    /// A transaction by hash.
    #[method(name = "getTransactionByHash")]
    fn get_transaction_by_hash(&self, hash: B256) -> RpcResult<Option<Transaction>>;
    /// A receipt by transaction hash.
    #[method(name = "getTransactionReceipt")]
    fn get_transaction_receipt(&self, hash: B256) -> RpcResult<Option<ArbReceipt>>;
    /// A block by number or tag.
    #[method(name = "getBlockByNumber")]
    fn get_block_by_number(&self, block: BlockNumberOrTag, full: bool) -> RpcResult<Option<Block>>;
    /// A block by hash.
    #[method(name = "getBlockByHash")]
    fn get_block_by_hash(&self, hash: B256, full: bool) -> RpcResult<Option<Block>>;
    /// Number of transactions in a block by number or tag.
    #[method(name = "getBlockTransactionCountByNumber")]
    fn get_block_transaction_count_by_number(
        &self,
        block: BlockNumberOrTag,
    ) -> RpcResult<Option<U64>>;
    /// Number of transactions in a block by hash.
    #[method(name = "getBlockTransactionCountByHash")]
    fn get_block_transaction_count_by_hash(&self, hash: B256) -> RpcResult<Option<U64>>;
    /// A transaction by block number or tag and index.
    #[method(name = "getTransactionByBlockNumberAndIndex")]
    fn get_transaction_by_block_number_and_index(
        &self,
        block: BlockNumberOrTag,
        index: Quantity,
    ) -> RpcResult<Option<Transaction>>;
    /// A transaction by block hash and index.
    #[method(name = "getTransactionByBlockHashAndIndex")]
    fn get_transaction_by_block_hash_and_index(
        &self,
        hash: B256,
        index: Quantity,
    ) -> RpcResult<Option<Transaction>>;
    /// Logs matching a filter.
    #[method(name = "getLogs", blocking)]
    fn get_logs(&self, filter: Filter) -> RpcResult<Vec<Log>>;
}

/// `net_*` methods.
#[rpc(server, namespace = "net")]
pub trait NetApi {
    /// The chain id as a decimal string.
    #[method(name = "version")]
    fn version(&self) -> RpcResult<String>;
    /// Always true.
    #[method(name = "listening")]
    fn listening(&self) -> RpcResult<bool>;
}

/// `web3_*` methods.
#[rpc(server, namespace = "web3")]
pub trait Web3Api {
    /// Name and version of the node.
    #[method(name = "clientVersion")]
    fn client_version(&self) -> RpcResult<String>;
}

/// Test helpers with Ganache/Hardhat/anvil semantics.
#[rpc(server, namespace = "evm")]
pub trait EvmApi {
    /// Saves the chain; returns the snapshot id.
    #[method(name = "snapshot")]
    fn snapshot(&self) -> RpcResult<U64>;
    /// Restores a snapshot (and drops it and later ones); false if unknown.
    #[method(name = "revert")]
    fn revert(&self, id: Quantity) -> RpcResult<bool>;
    /// Mines one block (or `blocks` blocks) with the queued transactions.
    #[method(name = "mine", blocking)]
    fn mine(&self, params: Option<MineParams>) -> RpcResult<String>;
    /// Moves the clock forward; returns the total offset in seconds.
    #[method(name = "increaseTime")]
    fn increase_time(&self, seconds: Quantity) -> RpcResult<i64>;
    /// Fixes the next block's timestamp.
    #[method(name = "setNextBlockTimestamp")]
    fn set_next_block_timestamp(&self, timestamp: Quantity) -> RpcResult<()>;
}

/// anvil-style state setters (no block is mined).
#[rpc(server, namespace = "anvil")]
pub trait AnvilApi {
    /// Sets a balance.
    #[method(name = "setBalance")]
    fn set_balance(&self, address: Address, balance: U256) -> RpcResult<()>;
    /// Sets a nonce.
    #[method(name = "setNonce")]
    fn set_nonce(&self, address: Address, nonce: Quantity) -> RpcResult<()>;
    /// Sets code.
    #[method(name = "setCode")]
    fn set_code(&self, address: Address, code: Bytes) -> RpcResult<()>;
    /// Sets a storage slot.
    #[method(name = "setStorageAt")]
    fn set_storage_at(&self, address: Address, slot: U256, value: B256) -> RpcResult<bool>;
}

/// The server side of every namespace, sharing one chain.
#[derive(Clone)]
pub struct Api {
    chain: Arc<Mutex<Chain>>,
}

impl Api {
    /// An API over `chain`.
    pub fn new(chain: Arc<Mutex<Chain>>) -> Self {
        Self { chain }
    }

    fn chain(&self) -> MutexGuard<'_, Chain> {
        crate::chain::lock(&self.chain)
    }
}

fn rpc<T>(result: Result<T, ChainError>) -> RpcResult<T> {
    result.map_err(to_rpc)
}

fn is_pending(block: &Option<BlockId>) -> bool {
    matches!(block, Some(BlockId::Number(BlockNumberOrTag::Pending)))
}

/// Resolves a tag for block lookups, where an unknown number is `null` rather than an error.
fn lookup(chain: &Chain, tag: BlockNumberOrTag) -> Option<u64> {
    chain.resolve_tag(tag).ok()
}

impl EthApiServer for Api {
    fn chain_id(&self) -> RpcResult<U64> {
        Ok(U64::from(self.chain().chain_id()))
    }

    fn block_number(&self) -> RpcResult<U64> {
        Ok(U64::from(self.chain().block_number()))
    }

    fn accounts(&self) -> RpcResult<Vec<Address>> {
        Ok(self.chain().accounts().iter().map(|a| a.address).collect())
    }

    fn syncing(&self) -> RpcResult<bool> {
        Ok(false)
    }

    fn get_balance(&self, address: Address, block: Option<BlockId>) -> RpcResult<U256> {
        let chain = self.chain();
        let number = rpc(chain.resolve(block))?;
        Ok(chain.balance(address, number))
    }

    fn get_code(&self, address: Address, block: Option<BlockId>) -> RpcResult<Bytes> {
        let chain = self.chain();
        let number = rpc(chain.resolve(block))?;
        Ok(chain.code(address, number))
    }

    fn get_storage_at(
        &self,
        address: Address,
        slot: U256,
        block: Option<BlockId>,
    ) -> RpcResult<B256> {
        let chain = self.chain();
        let number = rpc(chain.resolve(block))?;
        Ok(B256::from(chain.storage(address, slot, number)))
    }

    fn get_transaction_count(&self, address: Address, block: Option<BlockId>) -> RpcResult<U64> {
        let chain = self.chain();
        if is_pending(&block) {
            return Ok(U64::from(chain.pending_nonce(address)));
        }
        let number = rpc(chain.resolve(block))?;
        Ok(U64::from(chain.nonce(address, number)))
    }

    fn call(
        &self,
        request: TransactionRequest,
        block: Option<BlockId>,
        overrides: Option<StateOverride>,
    ) -> RpcResult<Bytes> {
        rpc(self.chain().call(&request, block, overrides.as_ref()))
    }

    fn estimate_gas(
        &self,
        request: TransactionRequest,
        block: Option<BlockId>,
        overrides: Option<StateOverride>,
    ) -> RpcResult<U64> {
        rpc(self
            .chain()
            .estimate_gas(&request, block, overrides.as_ref()))
        .map(U64::from)
    }

    fn gas_price(&self) -> RpcResult<U256> {
        Ok(U256::from(self.chain().next_base_fee()))
    }

    fn max_priority_fee_per_gas(&self) -> RpcResult<U256> {
        Ok(U256::ZERO)
    }

    fn fee_history(
        &self,
        block_count: Quantity,
        newest: BlockNumberOrTag,
        reward_percentiles: Option<Vec<f64>>,
    ) -> RpcResult<FeeHistory> {
        if let Some(percentiles) = &reward_percentiles {
            let in_range = percentiles.iter().all(|p| (0.0..=100.0).contains(p));
            let sorted = percentiles.windows(2).all(|w| w[0] <= w[1]);
            if !in_range || !sorted {
                return Err(invalid_params("invalid reward percentiles"));
            }
        }
        let chain = self.chain();
        let newest = rpc(chain.resolve_tag(newest))?;
        let count = block_count.0.min(MAX_FEE_HISTORY_BLOCKS).min(newest + 1);
        if count == 0 {
            return Ok(FeeHistory::default());
        }
        let oldest = newest + 1 - count;
        let blocks: Vec<_> = chain.blocks(oldest, newest).collect();
        let mut base_fee_per_gas: Vec<u128> = blocks
            .iter()
            .map(|b| u128::from(b.header.base_fee_per_gas.unwrap_or_default()))
            .collect();
        base_fee_per_gas.push(u128::from(chain.next_base_fee()));
        let gas_used_ratio = blocks
            .iter()
            .map(|b| b.header.gas_used as f64 / HEADER_GAS_LIMIT as f64)
            .collect();
        // Tips are dropped on Arbitrum, so every percentile of the rewards paid is zero.
        let reward = reward_percentiles.map(|p| vec![vec![0u128; p.len()]; blocks.len()]);
        Ok(FeeHistory {
            base_fee_per_gas,
            gas_used_ratio,
            base_fee_per_blob_gas: Vec::new(),
            blob_gas_used_ratio: Vec::new(),
            oldest_block: oldest,
            reward,
        })
    }

    fn send_raw_transaction(&self, raw: Bytes) -> RpcResult<B256> {
        let tx = rpc(SignedTx::decode(&raw).map_err(ChainError::from))?;
        rpc(self.chain().submit(tx))
    }

    fn send_transaction(&self, request: TransactionRequest) -> RpcResult<B256> {
        rpc(self.chain().send_transaction(request))
    }

    fn get_transaction_by_hash(&self, hash: B256) -> RpcResult<Option<Transaction>> {
        let chain = self.chain();
        let base_fee = chain.next_base_fee();
        Ok(chain
            .transaction(hash)
            .map(|(tx, mined)| convert::transaction(tx, mined.as_ref(), base_fee)))
    }

    fn get_transaction_receipt(&self, hash: B256) -> RpcResult<Option<ArbReceipt>> {
        Ok(self.chain().mined(hash).as_ref().map(convert::receipt))
    }

    fn get_block_by_number(&self, block: BlockNumberOrTag, full: bool) -> RpcResult<Option<Block>> {
        let chain = self.chain();
        Ok(lookup(&chain, block)
            .and_then(|n| chain.block(n))
            .map(|b| convert::block(b, full)))
    }

    fn get_block_by_hash(&self, hash: B256, full: bool) -> RpcResult<Option<Block>> {
        Ok(self
            .chain()
            .block_by_hash(hash)
            .map(|b| convert::block(b, full)))
    }

    fn get_block_transaction_count_by_number(
        &self,
        block: BlockNumberOrTag,
    ) -> RpcResult<Option<U64>> {
        let chain = self.chain();
        Ok(lookup(&chain, block)
            .and_then(|n| chain.block(n))
            .map(|b| U64::from(b.transactions.len())))
    }

    fn get_block_transaction_count_by_hash(&self, hash: B256) -> RpcResult<Option<U64>> {
        Ok(self
            .chain()
            .block_by_hash(hash)
            .map(|b| U64::from(b.transactions.len())))
    }

    fn get_transaction_by_block_number_and_index(
        &self,
        block: BlockNumberOrTag,
        index: Quantity,
    ) -> RpcResult<Option<Transaction>> {
        let chain = self.chain();
        let block = lookup(&chain, block).and_then(|n| chain.block(n));
        Ok(block.and_then(|b| transaction_at(b, index.0)))
    }

    fn get_transaction_by_block_hash_and_index(
        &self,
        hash: B256,
        index: Quantity,
    ) -> RpcResult<Option<Transaction>> {
        Ok(self
            .chain()
            .block_by_hash(hash)
            .and_then(|b| transaction_at(b, index.0)))
    }

    fn get_logs(&self, filter: Filter) -> RpcResult<Vec<Log>> {
        let chain = self.chain();
        let (from, to) = match filter.block_option {
            FilterBlockOption::AtBlockHash(hash) => {
                let block = chain
                    .block_by_hash(hash)
                    .ok_or_else(|| to_rpc(ChainError::UnknownBlock))?;
                (block.number(), block.number())
            }
            FilterBlockOption::Range {
                from_block,
                to_block,
            } => {
                let resolve = |tag: Option<BlockNumberOrTag>| match tag {
                    // A range may end past the head; it simply has no logs there.
                    Some(BlockNumberOrTag::Number(n)) => n,
                    Some(tag) => lookup(&chain, tag).unwrap_or_default(),
                    None => chain.block_number(),
                };
                (resolve(from_block), resolve(to_block))
            }
        };
        if from > to {
            return Err(invalid_params("invalid block range params"));
        }
        let mut logs = Vec::new();
        for block in chain.blocks(from, to) {
            if !filter.matches_bloom(block.header.logs_bloom) {
                continue;
            }
            for (index, (tx, receipt)) in block.transactions.iter().zip(&block.receipts).enumerate()
            {
                let mined = MinedTx {
                    tx,
                    receipt,
                    block,
                    index,
                };
                logs.extend(
                    convert::receipt_logs(&mined)
                        .into_iter()
                        .filter(|log| filter.rpc_matches(log)),
                );
            }
        }
        Ok(logs)
    }
}

/// The transaction at `index` of `block`, if there is one.
fn transaction_at(block: &StoredBlock, index: u64) -> Option<Transaction> {
    let index = usize::try_from(index).ok()?;
    let mined = MinedTx {
        tx: block.transactions.get(index)?,
        receipt: block.receipts.get(index)?,
        block,
        index,
    };
    let base_fee = block.header.base_fee_per_gas.unwrap_or_default();
    Some(convert::transaction(mined.tx, Some(&mined), base_fee))
}

impl NetApiServer for Api {
    fn version(&self) -> RpcResult<String> {
        Ok(self.chain().chain_id().to_string())
    }

    fn listening(&self) -> RpcResult<bool> {
        Ok(true)
    }
}

impl Web3ApiServer for Api {
    fn client_version(&self) -> RpcResult<String> {
        Ok(CLIENT_VERSION.to_string())
    }
}

impl EvmApiServer for Api {
    fn snapshot(&self) -> RpcResult<U64> {
        Ok(U64::from(self.chain().snapshot()))
    }

    fn revert(&self, id: Quantity) -> RpcResult<bool> {
        Ok(self.chain().revert(id.0))
    }

    fn mine(&self, params: Option<MineParams>) -> RpcResult<String> {
        let (timestamp, blocks) = match params {
            None => (None, 1),
            Some(MineParams::Timestamp(ts)) => (Some(ts.0), 1),
            Some(MineParams::Options { timestamp, blocks }) => {
                (timestamp.map(|t| t.0), blocks.map_or(1, |b| b.0))
            }
        };
        let mut chain = self.chain();
        rpc(chain.mine(timestamp))?;
        for _ in 1..blocks {
            rpc(chain.mine(None))?;
        }
        Ok("0x0".to_string())
    }

    fn increase_time(&self, seconds: Quantity) -> RpcResult<i64> {
        Ok(self.chain().increase_time(seconds.0))
    }

    fn set_next_block_timestamp(&self, timestamp: Quantity) -> RpcResult<()> {
        rpc(self.chain().set_next_block_timestamp(timestamp.0))
    }
}

impl AnvilApiServer for Api {
    fn set_balance(&self, address: Address, balance: U256) -> RpcResult<()> {
        self.chain().set_balance(address, balance);
        Ok(())
    }

    fn set_nonce(&self, address: Address, nonce: Quantity) -> RpcResult<()> {
        self.chain().set_nonce(address, nonce.0);
        Ok(())
    }

    fn set_code(&self, address: Address, code: Bytes) -> RpcResult<()> {
        self.chain().set_code(address, code);
        Ok(())
    }

    fn set_storage_at(&self, address: Address, slot: U256, value: B256) -> RpcResult<bool> {
        self.chain()
            .set_storage(address, slot, U256::from_be_bytes(value.0));
        Ok(true)
    }
}
