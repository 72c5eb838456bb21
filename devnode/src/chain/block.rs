//! Mined blocks, their transactions and receipts.

use alloy_consensus::{
    proofs::{calculate_receipt_root, calculate_transaction_root},
    Eip658Value, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom, TxType,
};
use alloy_primitives::{address, logs_bloom, Address, Bloom, Bytes, Log, B256, B64, U256};
use serde::{Deserialize, Serialize};

use super::{history::StateUndo, tx::SignedTx};

/// Coinbase of Nitro sequencer blocks (the batch poster address).
pub const SEQUENCER_COINBASE: Address = address!("A4B000000000000000000073657175656e636572");

/// Gas limit written in block headers (Nitro: 2^50; the real per-tx cap is [`super::MAX_TX_GAS`]).
pub const HEADER_GAS_LIMIT: u64 = 1 << 50;

/// The outcome of one mined transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReceipt {
    /// EIP-658 status: true when the transaction succeeded.
    pub success: bool,
    /// Gas used by this transaction.
    pub gas_used: u64,
    /// Gas used by this and all earlier transactions of the block.
    pub cumulative_gas_used: u64,
    /// Logs in emission order.
    pub logs: Vec<Log>,
    /// Block-wide index of the first log.
    pub first_log_index: u64,
    /// Address of the contract created by a creation transaction.
    pub contract_address: Option<Address>,
    /// Price per gas paid.
    pub effective_gas_price: u128,
    /// Bloom filter of the logs.
    pub logs_bloom: Bloom,
    /// Output of the call or revert data (kept for debugging, not part of the receipt).
    pub output: Bytes,
}

impl StoredReceipt {
    /// The consensus receipt envelope for a transaction of type `ty`, with logs mapped by `map`.
    pub fn envelope<T>(&self, ty: TxType, logs: Vec<T>) -> ReceiptEnvelope<T> {
        let receipt = ReceiptWithBloom {
            receipt: Receipt {
                status: Eip658Value::Eip658(self.success),
                cumulative_gas_used: self.cumulative_gas_used,
                logs,
            },
            logs_bloom: self.logs_bloom,
        };
        match ty {
            TxType::Legacy => ReceiptEnvelope::Legacy(receipt),
            TxType::Eip2930 => ReceiptEnvelope::Eip2930(receipt),
            TxType::Eip1559 => ReceiptEnvelope::Eip1559(receipt),
            TxType::Eip4844 => ReceiptEnvelope::Eip4844(receipt),
            TxType::Eip7702 => ReceiptEnvelope::Eip7702(receipt),
        }
    }
}

/// A mined block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredBlock {
    /// The header (its hash is [`Self::hash`]).
    pub header: Header,
    /// keccak256 of the RLP header.
    pub hash: B256,
    /// Transactions in order.
    pub transactions: Vec<SignedTx>,
    /// Receipts, one per transaction.
    pub receipts: Vec<StoredReceipt>,
    /// Values the block overwrote, to serve older blocks' state.
    pub undo: StateUndo,
}

/// Everything needed to seal a block.
pub struct BlockContents {
    /// Number of the new block.
    pub number: u64,
    /// Hash of its parent.
    pub parent_hash: B256,
    /// Its timestamp.
    pub timestamp: u64,
    /// Its base fee.
    pub base_fee: u64,
    /// Transactions with their receipts.
    pub transactions: Vec<(SignedTx, StoredReceipt)>,
    /// Pre-block values of everything the block changed.
    pub undo: StateUndo,
    /// A commitment to the post-block state (not a Merkle-Patricia root, see [`state_commitment`]).
    pub state_root: B256,
}

impl StoredBlock {
    /// Builds the header (roots, bloom, gas) and seals the block.
    pub fn seal(contents: BlockContents) -> Self {
        let (transactions, receipts): (Vec<_>, Vec<_>) = contents.transactions.into_iter().unzip();
        let envelopes: Vec<_> = transactions.iter().map(|tx| tx.envelope.clone()).collect();
        let receipt_envelopes: Vec<ReceiptEnvelope<Log>> = transactions
            .iter()
            .zip(&receipts)
            .map(|(tx, receipt)| receipt.envelope(tx.envelope.tx_type(), receipt.logs.clone()))
            .collect();
        let mut bloom = Bloom::ZERO;
        for receipt in &receipts {
            bloom.accrue_bloom(&receipt.logs_bloom);
        }
        let header = Header {
            parent_hash: contents.parent_hash,
            ommers_hash: alloy_consensus::EMPTY_OMMER_ROOT_HASH,
            beneficiary: SEQUENCER_COINBASE,
            state_root: contents.state_root,
            transactions_root: calculate_transaction_root(&envelopes),
            receipts_root: calculate_receipt_root(&receipt_envelopes),
            logs_bloom: bloom,
            // Arbitrum blocks report difficulty 1.
            difficulty: U256::from(1),
            number: contents.number,
            gas_limit: HEADER_GAS_LIMIT,
            gas_used: receipts.last().map_or(0, |r| r.cumulative_gas_used),
            timestamp: contents.timestamp,
            extra_data: Bytes::new(),
            mix_hash: B256::ZERO,
            nonce: B64::ZERO,
            base_fee_per_gas: Some(contents.base_fee),
            ..Header::default()
        };
        let hash = header.hash_slow();
        Self {
            header,
            hash,
            transactions,
            receipts,
            undo: contents.undo,
        }
    }

    /// Block number.
    pub fn number(&self) -> u64 {
        self.header.number
    }
}

/// Bloom of a list of logs.
pub fn bloom_of(logs: &[Log]) -> Bloom {
    logs_bloom(logs.iter())
}

/// A stand-in for the state root: keccak of the parent's commitment and the block's undo log
/// (which names every account and slot the block changed). It changes whenever the state does,
/// but it is not a Merkle-Patricia root and cannot be used for proofs.
pub fn state_commitment(parent: B256, undo: &StateUndo) -> B256 {
    let encoded = serde_json::to_vec(undo).unwrap_or_default();
    alloy_primitives::keccak256([parent.as_slice(), &encoded].concat())
}
