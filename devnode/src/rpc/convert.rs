//! Stored chain data to the JSON-RPC objects (alloy's serde types, plus Nitro's receipt fields).

use alloy_consensus::{transaction::Recovered, Transaction as _};
use alloy_primitives::{U256, U64};
use alloy_rpc_types_eth::{Block, BlockTransactions, Header, Log, Transaction, TransactionReceipt};
use serde::Serialize;

use crate::chain::{block::StoredBlock, tx::SignedTx, MinedTx};

/// A receipt as Nitro returns it: the Ethereum fields plus `gasUsedForL1` (always 0 here: the
/// devnode has no L1 pricing) and `l1BlockNumber`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArbReceipt {
    /// The Ethereum receipt.
    #[serde(flatten)]
    pub inner: TransactionReceipt,
    /// Gas paid for L1 data (0: the devnode charges no L1 fees, as nitro-devnode after
    /// `setL1PricePerUnit(0)`).
    pub gas_used_for_l1: U64,
    /// The L1 block number the transaction saw (the devnode uses the L2 number).
    pub l1_block_number: U64,
}

/// A transaction with its block position (`None` while it is queued).
pub fn transaction(tx: &SignedTx, mined: Option<&MinedTx<'_>>, base_fee: u64) -> Transaction {
    Transaction {
        inner: Recovered::new_unchecked(tx.envelope.clone(), tx.sender),
        block_hash: mined.map(|m| m.block.hash),
        block_number: mined.map(|m| m.block.number()),
        transaction_index: mined.map(|m| m.index as u64),
        effective_gas_price: Some(mined.map_or_else(
            || tx.effective_gas_price(base_fee),
            |m| m.receipt.effective_gas_price,
        )),
        block_timestamp: mined.map(|m| m.block.header.timestamp),
    }
}

/// The logs of one mined transaction with their block-wide indices.
pub fn receipt_logs(mined: &MinedTx<'_>) -> Vec<Log> {
    mined
        .receipt
        .logs
        .iter()
        .enumerate()
        .map(|(i, log)| Log {
            inner: log.clone(),
            block_hash: Some(mined.block.hash),
            block_number: Some(mined.block.number()),
            block_timestamp: Some(mined.block.header.timestamp),
            transaction_hash: Some(mined.tx.hash),
            transaction_index: Some(mined.index as u64),
            log_index: Some(mined.receipt.first_log_index + i as u64),
            removed: false,
        })
        .collect()
}

/// The receipt of a mined transaction.
pub fn receipt(mined: &MinedTx<'_>) -> ArbReceipt {
    let tx = &mined.tx.envelope;
    let inner = TransactionReceipt {
        inner: mined.receipt.envelope(tx.tx_type(), receipt_logs(mined)),
        transaction_hash: mined.tx.hash,
        transaction_index: Some(mined.index as u64),
        block_hash: Some(mined.block.hash),
        block_number: Some(mined.block.number()),
        gas_used: mined.receipt.gas_used,
        effective_gas_price: mined.receipt.effective_gas_price,
        blob_gas_used: None,
        blob_gas_price: None,
        from: mined.tx.sender,
        to: tx.to(),
        contract_address: mined.receipt.contract_address,
    };
    ArbReceipt {
        inner,
        gas_used_for_l1: U64::ZERO,
        l1_block_number: U64::from(mined.block.number()),
    }
}

/// A block with transaction hashes or, with `full`, whole transactions.
pub fn block(block: &StoredBlock, full: bool) -> Block {
    let transactions = if full {
        let base_fee = block.header.base_fee_per_gas.unwrap_or_default();
        BlockTransactions::Full(
            block
                .transactions
                .iter()
                .zip(&block.receipts)
                .enumerate()
                .map(|(index, (tx, receipt))| {
                    let mined = MinedTx {
                        tx,
                        receipt,
                        block,
                        index,
                    };
                    transaction(tx, Some(&mined), base_fee)
                })
                .collect(),
        )
    } else {
        BlockTransactions::Hashes(block.transactions.iter().map(|tx| tx.hash).collect())
    };
    let size = alloy_rlp::Encodable::length(&block.header)
        + block
            .transactions
            .iter()
            .map(|tx| tx.encoded().len())
            .sum::<usize>();
    Block {
        header: Header {
            hash: block.hash,
            inner: block.header.clone(),
            total_difficulty: Some(U256::from(block.number() + 1)),
            size: Some(U256::from(size)),
        },
        uncles: Vec::new(),
        transactions,
        withdrawals: None,
    }
}
