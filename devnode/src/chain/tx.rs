//! Signed transactions: decoding, sender recovery, geth's admission checks (with geth's error
//! messages, so clients that match on them keep working) and conversion to revm's `TxEnv`.

use alloy_consensus::{transaction::SignerRecoverable, Transaction as _, TxEnvelope};
use alloy_eips::{
    eip2718::{Decodable2718, Encodable2718},
    Typed2718,
};
use alloy_primitives::{Address, B256, U256};
use revm::{
    context::TxEnv,
    context_interface::{cfg::gas::calculate_initial_tx_gas_for_tx, either::Either},
    primitives::hardfork::SpecId,
};
use serde::{Deserialize, Serialize};

/// Per-transaction gas cap (Nitro: 32M per tx from ArbOS 50, 32M per block before).
pub const MAX_TX_GAS: u64 = 32_000_000;

/// Largest init code a creation may carry (EIP-3860: twice the 24 KiB code limit).
pub const MAX_INITCODE_SIZE: usize = 2 * 24_576;

/// Why a transaction was not accepted; the messages are geth's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TxError {
    /// The raw bytes are not a valid EIP-2718 transaction.
    #[error("transaction could not be decoded: {0}")]
    Decode(String),
    /// Blob transactions and unknown types.
    #[error("transaction type not supported")]
    UnsupportedType,
    /// EIP-155 chain id of the signature differs from the chain's.
    #[error("invalid chain id for signer: have {have} want {want}")]
    InvalidChainId {
        /// Chain id in the transaction.
        have: u64,
        /// Chain id of the node.
        want: u64,
    },
    /// The signature does not recover to an address.
    #[error("invalid sender")]
    InvalidSender,
    /// The gas limit is above the per-transaction cap.
    #[error("exceeds block gas limit")]
    GasLimitExceeded,
    /// `maxPriorityFeePerGas > maxFeePerGas`.
    #[error("max priority fee per gas higher than max fee per gas")]
    TipAboveFeeCap,
    /// The gas limit does not cover the intrinsic gas.
    #[error("intrinsic gas too low: gas {gas}, minimum needed {needed}")]
    IntrinsicGas {
        /// Gas limit of the transaction.
        gas: u64,
        /// Intrinsic gas.
        needed: u64,
    },
    /// The gas limit does not cover the EIP-7623 calldata floor.
    #[error("insufficient gas for floor data gas cost: gas {gas}, minimum needed {needed}")]
    FloorDataGas {
        /// Gas limit of the transaction.
        gas: u64,
        /// Floor data gas.
        needed: u64,
    },
    /// Init code above the EIP-3860 limit.
    #[error("max initcode size exceeded: code size {size} limit {limit}")]
    InitCodeTooLarge {
        /// Init code length.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The fee cap is below the block's base fee.
    #[error(
        "max fee per gas less than block base fee: address {address}, maxFeePerGas: {max_fee}, \
         baseFee: {base_fee}"
    )]
    FeeCapTooLow {
        /// The sender.
        address: Address,
        /// The transaction's fee cap.
        max_fee: u128,
        /// The block's base fee.
        base_fee: u64,
    },
    /// The nonce was already used.
    #[error("nonce too low: address {address}, tx: {tx} state: {state}")]
    NonceTooLow {
        /// The sender.
        address: Address,
        /// Nonce of the transaction.
        tx: u64,
        /// Next nonce of the sender.
        state: u64,
    },
    /// The nonce leaves a gap.
    #[error("nonce too high: address {address}, tx: {tx} state: {state}")]
    NonceTooHigh {
        /// The sender.
        address: Address,
        /// Nonce of the transaction.
        tx: u64,
        /// Next nonce of the sender.
        state: u64,
    },
    /// The balance does not cover `gas * feeCap + value`.
    #[error(
        "insufficient funds for gas * price + value: address {address} have {have} want {want}"
    )]
    InsufficientFunds {
        /// The sender.
        address: Address,
        /// Its balance.
        have: U256,
        /// What the transaction may cost.
        want: U256,
    },
    /// EIP-3607: the sender has code.
    #[error("sender not an eoa: address {address}, codehash: {code_hash}")]
    SenderNotEoa {
        /// The sender.
        address: Address,
        /// Its code hash.
        code_hash: B256,
    },
    /// The same transaction was already submitted.
    #[error("already known")]
    AlreadyKnown,
    /// The EVM refused the transaction for a reason the checks above do not cover.
    #[error("{0}")]
    Rejected(String),
}

/// A decoded transaction with its recovered sender.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTx {
    /// The transaction as signed.
    pub envelope: TxEnvelope,
    /// The recovered sender.
    pub sender: Address,
    /// The transaction hash.
    pub hash: B256,
}

/// What the admission checks need to know about the sender and the chain.
#[derive(Clone, Copy, Debug)]
pub struct AdmissionContext {
    /// The chain id transactions must be signed for (pre-EIP-155 legacy ones are accepted).
    pub chain_id: u64,
    /// Base fee of the next block.
    pub base_fee: u64,
    /// The nonce the sender's next transaction must carry (state nonce plus queued ones).
    pub next_nonce: u64,
    /// The sender's balance.
    pub balance: U256,
    /// The sender's code hash, when it has code that is not an EIP-7702 delegation.
    pub sender_code_hash: Option<B256>,
    /// The EVM rules for the intrinsic gas.
    pub spec: SpecId,
}

impl SignedTx {
    /// Decodes EIP-2718 bytes (legacy RLP or typed) and recovers the sender.
    ///
    /// # Errors
    /// [`TxError::Decode`], [`TxError::UnsupportedType`], [`TxError::InvalidSender`].
    pub fn decode(mut raw: &[u8]) -> Result<Self, TxError> {
        let envelope =
            TxEnvelope::decode_2718(&mut raw).map_err(|e| TxError::Decode(e.to_string()))?;
        if !raw.is_empty() {
            return Err(TxError::Decode(
                "trailing bytes after the transaction".into(),
            ));
        }
        Self::from_envelope(envelope)
    }

    /// Recovers the sender of a signed envelope.
    ///
    /// # Errors
    /// [`TxError::UnsupportedType`] for blob transactions, [`TxError::InvalidSender`].
    pub fn from_envelope(envelope: TxEnvelope) -> Result<Self, TxError> {
        if envelope.is_eip4844() {
            return Err(TxError::UnsupportedType);
        }
        let sender = envelope
            .recover_signer()
            .map_err(|_| TxError::InvalidSender)?;
        let hash = *envelope.tx_hash();
        Ok(Self {
            envelope,
            sender,
            hash,
        })
    }

    /// The EIP-2718 encoding.
    pub fn encoded(&self) -> Vec<u8> {
        self.envelope.encoded_2718()
    }

    /// The most the transaction may cost: `gas * feeCap + value` (what geth checks).
    pub fn max_cost(&self) -> U256 {
        U256::from(self.envelope.gas_limit()) * U256::from(self.envelope.max_fee_per_gas())
            + self.envelope.value()
    }

    /// The price per gas actually paid: Arbitrum drops tips, so every transaction pays the base
    /// fee (the checks guarantee the fee cap covers it).
    pub fn effective_gas_price(&self, base_fee: u64) -> u128 {
        u128::from(base_fee)
    }

    /// geth's admission checks, in geth's order.
    ///
    /// # Errors
    /// The first [`TxError`] that applies.
    pub fn check(&self, ctx: &AdmissionContext) -> Result<(), TxError> {
        let tx = &self.envelope;
        if let Some(have) = tx.chain_id() {
            if have != ctx.chain_id {
                return Err(TxError::InvalidChainId {
                    have,
                    want: ctx.chain_id,
                });
            }
        }
        if tx.gas_limit() > MAX_TX_GAS {
            return Err(TxError::GasLimitExceeded);
        }
        if let Some(tip) = tx.max_priority_fee_per_gas() {
            if tip > tx.max_fee_per_gas() {
                return Err(TxError::TipAboveFeeCap);
            }
        }
        if tx.is_create() && tx.input().len() > MAX_INITCODE_SIZE {
            return Err(TxError::InitCodeTooLarge {
                size: tx.input().len(),
                limit: MAX_INITCODE_SIZE,
            });
        }
        let intrinsic =
            calculate_initial_tx_gas_for_tx(self.to_tx_env(ctx.base_fee), ctx.spec, None);
        let needed = intrinsic.initial_regular_gas + intrinsic.initial_state_gas;
        if tx.gas_limit() < needed {
            return Err(TxError::IntrinsicGas {
                gas: tx.gas_limit(),
                needed,
            });
        }
        if tx.gas_limit() < intrinsic.floor_gas {
            return Err(TxError::FloorDataGas {
                gas: tx.gas_limit(),
                needed: intrinsic.floor_gas,
            });
        }
        if tx.max_fee_per_gas() < u128::from(ctx.base_fee) {
            return Err(TxError::FeeCapTooLow {
                address: self.sender,
                max_fee: tx.max_fee_per_gas(),
                base_fee: ctx.base_fee,
            });
        }
        if let Some(code_hash) = ctx.sender_code_hash {
            return Err(TxError::SenderNotEoa {
                address: self.sender,
                code_hash,
            });
        }
        let nonce = tx.nonce();
        if nonce < ctx.next_nonce {
            return Err(TxError::NonceTooLow {
                address: self.sender,
                tx: nonce,
                state: ctx.next_nonce,
            });
        }
        if nonce > ctx.next_nonce {
            return Err(TxError::NonceTooHigh {
                address: self.sender,
                tx: nonce,
                state: ctx.next_nonce,
            });
        }
        let want = self.max_cost();
        if ctx.balance < want {
            return Err(TxError::InsufficientFunds {
                address: self.sender,
                have: ctx.balance,
                want,
            });
        }
        Ok(())
    }

    /// The transaction as revm executes it in a block with `base_fee`. Tips are dropped as on
    /// Arbitrum: the price is the base fee (`gas_price` for legacy transactions, fee cap with a
    /// zero tip for typed ones).
    pub fn to_tx_env(&self, base_fee: u64) -> TxEnv {
        let tx = &self.envelope;
        let base_fee = u128::from(base_fee);
        let (gas_price, gas_priority_fee) = if tx.is_dynamic_fee() {
            (tx.max_fee_per_gas(), Some(0))
        } else {
            (tx.max_fee_per_gas().min(base_fee), None)
        };
        TxEnv {
            tx_type: tx.ty(),
            caller: self.sender,
            gas_limit: tx.gas_limit(),
            gas_price,
            kind: tx.kind(),
            value: tx.value(),
            data: tx.input().clone(),
            nonce: tx.nonce(),
            chain_id: tx.chain_id(),
            access_list: tx.access_list().cloned().unwrap_or_default(),
            gas_priority_fee,
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: 0,
            authorization_list: tx
                .authorization_list()
                .map(|list| list.iter().cloned().map(Either::Left).collect())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::accounts::dev_accounts;
    use alloy_consensus::{SignableTransaction, TxEip1559, TxLegacy};
    use alloy_primitives::{Bytes, TxKind};
    use alloy_signer::SignerSync;

    const BASE_FEE: u64 = 100_000_000;

    fn signed_1559(nonce: u64, gas: u64, max_fee: u128, value: u64) -> SignedTx {
        let account = &dev_accounts(0)[0];
        let tx = TxEip1559 {
            chain_id: 412_346,
            nonce,
            gas_limit: gas,
            max_fee_per_gas: max_fee,
            max_priority_fee_per_gas: 0,
            to: TxKind::Call(Address::with_last_byte(0x42)),
            value: U256::from(value),
            access_list: Default::default(),
            input: Bytes::new(),
        };
        let signature = account
            .signer()
            .sign_hash_sync(&tx.signature_hash())
            .unwrap();
        SignedTx::decode(&TxEnvelope::from(tx.into_signed(signature)).encoded_2718()).unwrap()
    }

    fn ctx(next_nonce: u64, balance: u64) -> AdmissionContext {
        AdmissionContext {
            chain_id: 412_346,
            base_fee: BASE_FEE,
            next_nonce,
            balance: U256::from(balance),
            sender_code_hash: None,
            spec: SpecId::PRAGUE,
        }
    }

    #[test]
    fn decode_recovers_sender_and_rejects_garbage() {
        let tx = signed_1559(0, 21_000, BASE_FEE.into(), 1);
        assert_eq!(tx.sender, dev_accounts(0)[0].address);
        assert_eq!(SignedTx::decode(&tx.encoded()).unwrap(), tx);
        assert!(matches!(
            SignedTx::decode(&[0x02, 0xc0]),
            Err(TxError::Decode(_))
        ));
        let mut trailing = tx.encoded();
        trailing.push(0);
        assert!(matches!(
            SignedTx::decode(&trailing),
            Err(TxError::Decode(_))
        ));
    }

    #[test]
    fn checks_use_geth_messages() {
        let tx = signed_1559(3, 21_000, BASE_FEE.into(), 1);
        let sender = tx.sender;
        assert_eq!(tx.check(&ctx(3, u64::MAX)), Ok(()));
        assert_eq!(
            tx.check(&ctx(4, u64::MAX)).unwrap_err().to_string(),
            format!("nonce too low: address {sender}, tx: 3 state: 4")
        );
        assert_eq!(
            tx.check(&ctx(2, u64::MAX)).unwrap_err().to_string(),
            format!("nonce too high: address {sender}, tx: 3 state: 2")
        );
        let want = 21_000 * BASE_FEE + 1;
        assert_eq!(
            tx.check(&ctx(3, 5)).unwrap_err().to_string(),
            format!(
                "insufficient funds for gas * price + value: address {sender} have 5 want {want}"
            )
        );
        let low_gas = signed_1559(3, 20_000, BASE_FEE.into(), 1);
        assert_eq!(
            low_gas.check(&ctx(3, u64::MAX)).unwrap_err().to_string(),
            "intrinsic gas too low: gas 20000, minimum needed 21000"
        );
        let cheap = signed_1559(3, 21_000, 5, 1);
        assert_eq!(
            cheap.check(&ctx(3, u64::MAX)).unwrap_err(),
            TxError::FeeCapTooLow {
                address: sender,
                max_fee: 5,
                base_fee: BASE_FEE
            }
        );
        let huge = signed_1559(3, MAX_TX_GAS + 1, BASE_FEE.into(), 1);
        assert_eq!(
            huge.check(&ctx(3, u64::MAX)),
            Err(TxError::GasLimitExceeded)
        );
        let mut other_chain = ctx(3, u64::MAX);
        other_chain.chain_id = 1;
        assert_eq!(
            tx.check(&other_chain).unwrap_err().to_string(),
            "invalid chain id for signer: have 412346 want 1"
        );
        let mut contract = ctx(3, u64::MAX);
        contract.sender_code_hash = Some(B256::with_last_byte(1));
        assert!(matches!(
            tx.check(&contract),
            Err(TxError::SenderNotEoa { .. })
        ));
    }

    #[test]
    fn legacy_pays_the_base_fee_and_pre_eip155_is_accepted() {
        let account = &dev_accounts(0)[0];
        let tx = TxLegacy {
            chain_id: None,
            nonce: 0,
            gas_price: 3 * u128::from(BASE_FEE),
            gas_limit: 21_000,
            to: TxKind::Call(Address::with_last_byte(1)),
            value: U256::ZERO,
            input: Bytes::new(),
        };
        let signature = account
            .signer()
            .sign_hash_sync(&tx.signature_hash())
            .unwrap();
        let signed =
            SignedTx::decode(&TxEnvelope::from(tx.into_signed(signature)).encoded_2718()).unwrap();
        assert_eq!(signed.sender, account.address);
        assert_eq!(signed.check(&ctx(0, u64::MAX)), Ok(()));
        let env = signed.to_tx_env(BASE_FEE);
        assert_eq!(env.gas_price, u128::from(BASE_FEE));
        assert_eq!(env.chain_id, None);
        assert_eq!(signed.effective_gas_price(BASE_FEE), u128::from(BASE_FEE));
    }
}
