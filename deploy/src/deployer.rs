//! One contract onto the chain: activation data fee estimate, the StylusDeployer transaction,
//! the new address from its `ContractDeployed` log and a code hash check.
//!
//! This is the flow cargo-stylus 0.10 uses for contracts with a constructor: the data fee comes
//! from an `eth_call` to `ArbWasm.activateProgram` at a random address whose code is overridden
//! with the program (state override), bumped by 20%; the deployer's `deploy(bytecode, initData,
//! initValue, salt)` then creates, activates and runs the constructor in one transaction, so no
//! one can front-run an initializer.
use ethers::abi::AbiEncode;
use ethers::contract::EthEvent;
use ethers::providers::{call_raw::spoof, Middleware, ProviderError, RawCall, RpcError};
use ethers::types::transaction::eip2718::TypedTransaction;
use ethers::types::{
    Address, Bytes, Eip1559TransactionRequest, TransactionReceipt, TransactionRequest, H256, U256,
};

use crate::arbitrum::{
    decode_revert, ActivateProgramCall, ActivateProgramReturn, ArbWasmErrors,
    ContractDeployedFilter, DeployCall, ARB_WASM_ADDRESS, STYLUS_DEPLOYER_ADDRESS,
};
use crate::chain::{rpc_error, Chain};
use crate::compress::init_code;
use crate::contracts::keccak;
use crate::error::DeployError;
use ethers::abi::AbiDecode;

/// Percentage added to the estimated activation data fee (cargo-stylus's default); the
/// StylusDeployer refunds what activation does not use.
pub const DATA_FEE_BUMP_PERCENT: u64 = 20;

/// What a deployment is expected to cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Activation data fee sent as value, bumped; zero when the code is already active.
    pub data_fee: U256,
    /// Gas of the deployment transaction (`eth_estimateGas`, without margin).
    pub gas: U256,
    /// Gas price used for the cost.
    pub gas_price: U256,
}

impl Estimate {
    /// Upper bound of the wei the deployer spends: data fee + gas limit
    /// ([`crate::send::gas_limit`] of the estimate) × price.
    pub fn max_cost(&self) -> U256 {
        self.data_fee + crate::send::gas_limit(self.gas) * self.gas_price
    }
}

/// A contract that is on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    /// Its address.
    pub address: Address,
    /// keccak256 of its code, checked against the code sent.
    pub code_hash: H256,
    /// The deployment transaction.
    pub tx_hash: H256,
    /// Its block.
    pub block: u64,
    /// Gas it used.
    pub gas_used: U256,
    /// Data fee sent with it (bumped estimate; the deployer refunds the excess).
    pub data_fee: U256,
}

fn with_margin(value: U256, percent: u64) -> U256 {
    value + value * percent / 100
}

/// The revert data in a node's error answer, if any.
pub fn revert_data(error: &ProviderError) -> Option<Bytes> {
    let response = error.as_error_response()?;
    if let Some(data) = response.as_revert_data().filter(|d| !d.is_empty()) {
        return Some(data);
    }
    response.data.as_ref()?.as_str()?.parse::<Bytes>().ok()
}

/// A readable reason for a failed call or estimate: the decoded ArbWasm / StylusDeployer error,
/// the raw revert data, or the node's message.
pub fn failure_reason(error: &ProviderError) -> String {
    match revert_data(error) {
        Some(data) if !data.is_empty() => {
            decode_revert(&data).unwrap_or_else(|| format!("reverted with {data}"))
        }
        _ => match error.as_error_response() {
            Some(response) => response.message.clone(),
            None => error.to_string(),
        },
    }
}

fn is_activation_failure(error: &ProviderError) -> bool {
    let arbwasm = revert_data(error).is_some_and(|data| ArbWasmErrors::decode(&data).is_ok());
    arbwasm || failure_reason(error).contains("activation")
}

/// Estimates the activation data fee of `code` (bumped by [`DATA_FEE_BUMP_PERCENT`]); zero when
/// a program with the same code is already active on the chain.
///
/// # Errors
/// [`DeployError::Activation`] with the decoded ArbWasm reason when the chain would refuse to
/// activate the program.
pub async fn estimate_data_fee(
    chain: &Chain,
    contract: &str,
    code: &[u8],
) -> Result<U256, DeployError> {
    let program = Address::random();
    let caller = Address::random();
    let mut state = spoof::state();
    state.account(program).code(code.to_vec().into());
    state.account(caller).balance(U256::MAX);
    let tx: TypedTransaction = TransactionRequest::new()
        .from(caller)
        .to(ARB_WASM_ADDRESS)
        .value(U256::exp10(18))
        .data(ActivateProgramCall { program }.encode())
        .into();
    match chain.provider().call_raw(&tx).state(&state).await {
        Ok(output) => {
            let decoded =
                ActivateProgramReturn::decode(&output).map_err(|e| DeployError::Activation {
                    contract: contract.to_string(),
                    reason: format!("unexpected activateProgram result {output}: {e}"),
                })?;
            Ok(with_margin(decoded.data_fee, DATA_FEE_BUMP_PERCENT))
        }
        Err(error) => {
            let up_to_date = revert_data(&error).is_some_and(|data| {
                matches!(
                    ArbWasmErrors::decode(&data),
                    Ok(ArbWasmErrors::ProgramUpToDate(_))
                )
            });
            if up_to_date {
                return Ok(U256::zero());
            }
            Err(DeployError::Activation {
                contract: contract.to_string(),
                reason: failure_reason(&error),
            })
        }
    }
}

/// The StylusDeployer transaction for `code` with `init_data`, sending `data_fee` as value.
pub fn deploy_transaction(
    from: Address,
    code: &[u8],
    init_data: Bytes,
    salt: [u8; 32],
    data_fee: U256,
) -> TypedTransaction {
    let call = DeployCall {
        bytecode: init_code(code).into(),
        init_data,
        init_value: U256::zero(),
        salt,
    };
    Eip1559TransactionRequest::new()
        .from(from)
        .to(STYLUS_DEPLOYER_ADDRESS)
        .value(data_fee)
        .data(call.encode())
        .into()
}

/// Estimates the data fee and the gas of deploying `code` with `init_data`.
///
/// # Errors
/// [`DeployError::Activation`] / [`DeployError::Deployment`] with the decoded reason when the
/// transaction would fail.
pub async fn estimate(
    chain: &Chain,
    contract: &str,
    code: &[u8],
    init_data: Bytes,
    salt: [u8; 32],
) -> Result<Estimate, DeployError> {
    let data_fee = estimate_data_fee(chain, contract, code).await?;
    let tx = deploy_transaction(chain.deployer(), code, init_data, salt, data_fee);
    let gas = chain
        .provider()
        .estimate_gas(&tx, None)
        .await
        .map_err(|e| deployment_error(contract, &e))?;
    let gas_price = chain.gas_price().await?;
    Ok(Estimate {
        data_fee,
        gas,
        gas_price,
    })
}

fn deployment_error(contract: &str, error: &ProviderError) -> DeployError {
    let reason = failure_reason(error);
    if is_activation_failure(error) {
        DeployError::Activation {
            contract: contract.to_string(),
            reason,
        }
    } else {
        DeployError::Deployment {
            contract: contract.to_string(),
            reason,
        }
    }
}

/// Deploys `code` through the StylusDeployer, running the constructor with `init_data`, and
/// checks that the code on chain is the code sent.
///
/// # Errors
/// [`DeployError::Unfunded`] before sending when the deployer cannot pay;
/// [`DeployError::Activation`] / [`DeployError::Deployment`] with the decoded reason;
/// [`DeployError::CodeHashMismatch`] when the chain holds other code at the new address.
pub async fn deploy(
    chain: &Chain,
    contract: &str,
    code: &[u8],
    init_data: Bytes,
    salt: [u8; 32],
) -> Result<Deployed, DeployError> {
    let estimate = estimate(chain, contract, code, init_data.clone(), salt).await?;
    chain
        .ensure_funded(estimate.max_cost(), &format!("deploying {contract}"))
        .await?;
    let mut tx = deploy_transaction(chain.deployer(), code, init_data, salt, estimate.data_fee);
    tx.set_gas(crate::send::gas_limit(estimate.gas));
    if let TypedTransaction::Eip1559(inner) = &mut tx {
        // Arbitrum ignores tips; twice the current price leaves room for a base fee rise.
        inner.max_fee_per_gas = Some(estimate.gas_price * 2);
        inner.max_priority_fee_per_gas = Some(U256::zero());
    }
    let receipt = send(chain, contract, tx).await?;
    let address = deployed_address(&receipt).ok_or_else(|| DeployError::Deployment {
        contract: contract.to_string(),
        reason: format!(
            "transaction {:#x} has no ContractDeployed log from the StylusDeployer",
            receipt.transaction_hash
        ),
    })?;
    let expected = keccak(code);
    let actual = code_hash_at(chain, address).await?.unwrap_or_default();
    if actual != expected {
        return Err(DeployError::CodeHashMismatch {
            contract: contract.to_string(),
            address,
            expected,
            actual,
        });
    }
    Ok(Deployed {
        address,
        code_hash: expected,
        tx_hash: receipt.transaction_hash,
        block: receipt.block_number.unwrap_or_default().as_u64(),
        gas_used: receipt.gas_used.unwrap_or_default(),
        data_fee: estimate.data_fee,
    })
}

/// Sends `tx` through [`crate::send::send_transaction`] (its estimate plus headroom as gas limit
/// unless it sets one), waits for its receipt and fails unless it succeeded.
///
/// # Errors
/// [`DeployError::Deployment`] naming `contract`, with the decoded reason, when sending fails,
/// the receipt never comes or the transaction reverted.
pub async fn send(
    chain: &Chain,
    contract: &str,
    tx: TypedTransaction,
) -> Result<TransactionReceipt, DeployError> {
    crate::send::send_transaction(&chain.client, tx)
        .await
        .map_err(|e| DeployError::Deployment {
            contract: contract.to_string(),
            reason: e.reason(),
        })
}

/// The address in the StylusDeployer's `ContractDeployed` log of `receipt`.
pub fn deployed_address(receipt: &TransactionReceipt) -> Option<Address> {
    receipt.logs.iter().find_map(|log| {
        let ours = log.address == STYLUS_DEPLOYER_ADDRESS
            && log.topics.first() == Some(&ContractDeployedFilter::signature())
            && log.data.len() == 32;
        ours.then(|| Address::from_slice(&log.data[12..]))
    })
}

/// keccak256 of the code at `address`; `None` when there is no code.
///
/// # Errors
/// [`DeployError::Rpc`].
pub async fn code_hash_at(chain: &Chain, address: Address) -> Result<Option<H256>, DeployError> {
    let code = chain
        .provider()
        .get_code(address, None)
        .await
        .map_err(|e| rpc_error("eth_getCode", e))?;
    Ok((!code.is_empty()).then(|| keccak(&code)))
}

/// Fails unless the chain has the StylusDeployer.
///
/// # Errors
/// [`DeployError::NoStylusDeployer`].
pub async fn ensure_deployer_exists(chain: &Chain) -> Result<(), DeployError> {
    match code_hash_at(chain, STYLUS_DEPLOYER_ADDRESS).await? {
        Some(_) => Ok(()),
        None => Err(DeployError::NoStylusDeployer {
            chain_id: chain.chain_id,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ethers::types::Log;

    #[test]
    fn margins_and_costs_are_exact() {
        assert_eq!(with_margin(100.into(), 20), 120.into());
        let estimate = Estimate {
            data_fee: 1_000.into(),
            gas: 1_000_000.into(),
            gas_price: 100_000_000.into(),
        };
        assert_eq!(
            estimate.max_cost(),
            U256::from(1_000u64 + 1_200_000 * 100_000_000)
        );
    }

    #[test]
    fn deploy_transaction_wraps_code_in_prelude() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 1, 2, 3];
        let tx = deploy_transaction(Address::zero(), &code, vec![0x55].into(), [0; 32], 7.into());
        assert_eq!(tx.to_addr(), Some(&STYLUS_DEPLOYER_ADDRESS));
        assert_eq!(tx.value(), Some(&7.into()));
        let call = DeployCall::decode(tx.data().unwrap()).unwrap();
        assert_eq!(call.bytecode.as_ref(), init_code(&code).as_slice());
        assert_eq!(call.init_data.as_ref(), &[0x55]);
        assert_eq!(call.init_value, U256::zero());
    }

    #[test]
    fn finds_the_address_only_in_the_deployer_log() {
        let new = Address::repeat_byte(0x42);
        let mut data = [0u8; 32];
        data[12..].copy_from_slice(new.as_bytes());
        let good = Log {
            address: STYLUS_DEPLOYER_ADDRESS,
            topics: vec![ContractDeployedFilter::signature()],
            data: data.to_vec().into(),
            ..Log::default()
        };
        let spoofed = Log {
            address: Address::repeat_byte(1),
            ..good.clone()
        };
        let mut receipt = TransactionReceipt {
            logs: vec![spoofed],
            ..TransactionReceipt::default()
        };
        assert_eq!(deployed_address(&receipt), None);
        receipt.logs.push(good);
        assert_eq!(deployed_address(&receipt), Some(new));
    }
}
