//! Simulation: `eth_call` (with state overrides), `eth_estimateGas` (binary search as geth does)
//! and filling in and signing `eth_sendTransaction` requests for the dev accounts.

use alloy_consensus::SignableTransaction;
use alloy_eips::BlockId;
use alloy_primitives::{Bytes, TxKind, B256, U256};
use alloy_rpc_types_eth::{state::StateOverride, TransactionRequest};
use alloy_signer::SignerSync;
use revm::{
    context::TxEnv,
    database::CacheDB,
    state::{AccountInfo, Bytecode},
    Database, DatabaseRef,
};

use super::{
    history::StateView,
    tx::{SignedTx, TxError, MAX_TX_GAS},
    Chain, ChainError, RPC_GAS_CAP,
};
use crate::evm::{self, Checks, ExecError, ExecutionResult, HaltReason};
use revm::context::result::InvalidTransaction;

/// A call or transaction request as JSON-RPC clients send it (`input` or `data`).
pub type CallRequest = TransactionRequest;

type Overlay<'a> = CacheDB<StateView<'a>>;

impl Chain {
    /// Executes `request` against the state after block `block` without changing anything.
    ///
    /// # Errors
    /// [`ChainError::Reverted`] with the revert data, [`ChainError::Halted`], an unknown block or
    /// a request the EVM refuses.
    pub fn call(
        &self,
        request: &CallRequest,
        block: Option<BlockId>,
        overrides: Option<&StateOverride>,
    ) -> Result<Bytes, ChainError> {
        let number = self.resolve(block)?;
        let mut db = self.overlay(number, overrides)?;
        let gas = request.gas.unwrap_or(RPC_GAS_CAP);
        let env = self.call_env(request, &mut db, gas);
        // revm's relaxed checks skip the balance; geth still wants value + gas * price.
        let want = env.value + U256::from(env.gas_limit) * U256::from(env.gas_price);
        let have = db.basic(env.caller).unwrap_or_else(|never| match never {});
        let have = have.map_or(U256::ZERO, |info| info.balance);
        if have < want {
            return Err(TxError::InsufficientFunds {
                address: env.caller,
                have,
                want,
            }
            .into());
        }
        let result = self.simulate(db, number, env).map_err(execution_error)?;
        Self::call_result(result)
    }

    /// The smallest gas limit with which `request` succeeds, found by binary search.
    ///
    /// # Errors
    /// [`ChainError::Reverted`] when it reverts even with all the gas allowed,
    /// [`ChainError::GasExceedsAllowance`] when it fails otherwise, insufficient funds for the
    /// value, an unknown block.
    pub fn estimate_gas(
        &self,
        request: &CallRequest,
        block: Option<BlockId>,
        overrides: Option<&StateOverride>,
    ) -> Result<u64, ChainError> {
        let number = self.resolve(block)?;
        let mut db = self.overlay(number, overrides)?;
        let mut hi = request.gas.unwrap_or(MAX_TX_GAS);
        let price = request.gas_price.or(request.max_fee_per_gas).unwrap_or(0);
        if price > 0 {
            let from = request.from.unwrap_or_default();
            let balance = db.basic(from).unwrap_or_else(|never| match never {});
            let balance = balance.map_or(U256::ZERO, |info| info.balance);
            let value = request.value.unwrap_or_default();
            if value > balance {
                return Err(TxError::InsufficientFunds {
                    address: from,
                    have: balance,
                    want: value,
                }
                .into());
            }
            let allowance = (balance - value) / U256::from(price);
            hi = hi.min(u64::try_from(allowance).unwrap_or(u64::MAX));
        }
        let run = |gas: u64| -> Result<ExecutionResult, ExecError> {
            let mut attempt = db.clone();
            let env = self.call_env(request, &mut attempt, gas);
            self.simulate(attempt, number, env)
        };
        let first = run(hi).map_err(|error| match error {
            // geth: a limit below the intrinsic gas is "not enough gas", not a hard error.
            ExecError::Transaction(
                InvalidTransaction::CallGasCostMoreThanGasLimit { .. }
                | InvalidTransaction::GasFloorMoreThanGasLimit { .. },
            ) => ChainError::GasExceedsAllowance(hi),
            other => execution_error(other),
        })?;
        let (used, spent) = match first {
            ExecutionResult::Success { gas, .. } => (gas.tx_gas_used(), gas.total_gas_spent()),
            reverted @ ExecutionResult::Revert { .. } => {
                return Err(Self::call_result(reverted).expect_err("a revert is an error"));
            }
            ExecutionResult::Halt { .. } => return Err(ChainError::GasExceedsAllowance(hi)),
        };
        let succeeds = |gas: u64| matches!(run(gas), Ok(ExecutionResult::Success { .. }));
        let mut lo = used.saturating_sub(1);
        // Most calls need little more than what they spent; try that before bisecting.
        let optimistic = (spent.saturating_add(2300)).saturating_mul(64) / 63;
        if optimistic < hi {
            if succeeds(optimistic) {
                hi = optimistic;
            } else {
                lo = optimistic;
            }
        }
        while lo + 1 < hi {
            let mid = lo + (hi - lo) / 2;
            if succeeds(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(hi)
    }

    /// Fills in nonce, chain id, fees and gas for a dev account's request and signs it.
    pub(super) fn sign_request(&self, mut request: CallRequest) -> Result<SignedTx, ChainError> {
        let from = request
            .from
            .ok_or_else(|| ChainError::InvalidArgument("missing \"from\"".into()))?;
        let account = self
            .accounts
            .iter()
            .find(|account| account.address == from)
            .ok_or(ChainError::UnknownAccount)?;
        request.nonce.get_or_insert(self.pending_nonce(from));
        request.chain_id = Some(self.chain_id());
        request.to.get_or_insert(TxKind::Create);
        if request.gas_price.is_none() {
            // Arbitrum drops tips: twice the base fee covers any change and costs nothing extra.
            request
                .max_fee_per_gas
                .get_or_insert(2 * u128::from(self.next_base_fee()));
            request.max_priority_fee_per_gas.get_or_insert(0);
        }
        if request.gas.is_none() {
            request.gas = Some(self.estimate_gas(&request, None, None)?);
        }
        let unsigned = request
            .build_typed_tx()
            .map_err(|_| ChainError::InvalidArgument("incomplete transaction request".into()))?;
        let signature = account
            .signer()
            .sign_hash_sync(&unsigned.signature_hash())
            .map_err(|e| ChainError::InvalidArgument(e.to_string()))?;
        Ok(SignedTx::from_envelope(unsigned.into_envelope(signature))?)
    }

    /// The state after block `number` with `overrides` applied on top, in a throwaway cache.
    fn overlay(
        &self,
        number: u64,
        overrides: Option<&StateOverride>,
    ) -> Result<Overlay<'_>, ChainError> {
        let mut db = CacheDB::new(StateView::new(&self.data.state, &self.data.blocks, number));
        for (address, account) in overrides.into_iter().flatten() {
            if account.state.is_some() && account.state_diff.is_some() {
                return Err(ChainError::InvalidArgument(format!(
                    "account {address} has both 'state' and 'stateDiff'"
                )));
            }
            let mut info: AccountInfo = db
                .basic_ref(*address)
                .unwrap_or_else(|never| match never {})
                .unwrap_or_default();
            if let Some(balance) = account.balance {
                info.balance = balance;
            }
            if let Some(nonce) = account.nonce {
                info.nonce = nonce;
            }
            if let Some(code) = &account.code {
                let bytecode = Bytecode::new_raw(code.clone());
                info.code_hash = bytecode.hash_slow();
                info.code = Some(bytecode);
            }
            db.insert_account_info(*address, info);
            let slot = |key: &B256| U256::from_be_bytes(key.0);
            if let Some(state) = &account.state {
                let slots = state.iter().map(|(k, v)| (slot(k), slot(v))).collect();
                db.replace_account_storage(*address, slots)
                    .unwrap_or_else(|never| match never {});
            }
            if let Some(diff) = &account.state_diff {
                for (key, value) in diff {
                    db.insert_account_storage(*address, slot(key), slot(value))
                        .unwrap_or_else(|never| match never {});
                }
            }
        }
        Ok(db)
    }

    /// revm's view of a call request.
    fn call_env(&self, request: &CallRequest, db: &mut Overlay<'_>, gas: u64) -> TxEnv {
        let caller = request.from.unwrap_or_default();
        let state_nonce = db
            .basic(caller)
            .unwrap_or_else(|never| match never {})
            .map_or(0, |info| info.nonce);
        let dynamic =
            request.max_fee_per_gas.is_some() || request.max_priority_fee_per_gas.is_some();
        let tx_type = if request.authorization_list.is_some() {
            4
        } else if dynamic {
            2
        } else if request.access_list.is_some() {
            1
        } else {
            0
        };
        TxEnv {
            tx_type,
            caller,
            gas_limit: gas,
            gas_price: request.gas_price.or(request.max_fee_per_gas).unwrap_or(0),
            kind: request.to.unwrap_or(TxKind::Create),
            value: request.value.unwrap_or_default(),
            data: request.input.input().cloned().unwrap_or_default(),
            nonce: request.nonce.unwrap_or(state_nonce),
            chain_id: Some(self.chain_id()),
            access_list: request.access_list.clone().unwrap_or_default(),
            gas_priority_fee: dynamic.then(|| request.max_priority_fee_per_gas.unwrap_or(0)),
            blob_hashes: Vec::new(),
            max_fee_per_blob_gas: 0,
            authorization_list: request
                .authorization_list
                .iter()
                .flatten()
                .cloned()
                .map(revm::context_interface::either::Either::Left)
                .collect(),
        }
    }

    /// Runs `env` on `db` in block `number`'s environment without committing.
    fn simulate(
        &self,
        db: Overlay<'_>,
        number: u64,
        env: TxEnv,
    ) -> Result<ExecutionResult, ExecError> {
        let header = &self
            .block(number)
            .expect("callers resolve the block first")
            .header;
        let block = Self::block_context(
            number,
            header.timestamp,
            header.base_fee_per_gas.unwrap_or(self.next_base_fee()),
        );
        evm::transact(db, &self.spec, &block, env, Checks::Relaxed).map(|outcome| outcome.result)
    }
}

fn execution_error(error: ExecError) -> ChainError {
    ChainError::Execution(error.to_string())
}

impl Chain {
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
