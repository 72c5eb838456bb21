//! Reading the chain: blocks by number, hash or tag, and accounts, code and storage as they were
//! after any block.

use alloy_eips::{BlockId, BlockNumberOrTag};
use alloy_primitives::{Address, Bytes, B256, U256};
use revm::{state::AccountInfo, DatabaseRef};

use super::{
    block::StoredBlock, history::StateView, tx::SignedTx, Chain, ChainError, MinedTx, MIN_BASE_FEE,
};

impl Chain {
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
}
