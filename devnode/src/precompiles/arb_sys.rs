//! ArbSys (0x64): the L2 block number, chain id and ArbOS version.

use alloy_sol_types::SolCall;
use revm::{
    interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult},
    primitives::{Bytes, U256},
};

use super::abi::ArbSys;
use crate::evm::ChainSpec;

/// Gas of an ArbSys view (an ArbOS storage read).
const VIEW_GAS: u64 = 800;

/// Runs an ArbSys call with the calldata `data`.
pub fn run(
    spec: &ChainSpec,
    l2_block_number: u64,
    inputs: &CallInputs,
    data: &[u8],
) -> InterpreterResult {
    let mut gas = Gas::new(inputs.gas_limit);
    let fail = |mut gas: Gas| {
        gas.spend_all();
        InterpreterResult::new(InstructionResult::PrecompileError, Bytes::new(), gas)
    };
    if !inputs.value.get().is_zero() || !gas.record_regular_cost(VIEW_GAS) {
        return fail(gas);
    }
    let selector: [u8; 4] = match data.get(..4).map(<[u8; 4]>::try_from) {
        Some(Ok(selector)) => selector,
        _ => return fail(gas),
    };
    let value = match selector {
        ArbSys::arbBlockNumberCall::SELECTOR => U256::from(l2_block_number),
        ArbSys::arbChainIDCall::SELECTOR => U256::from(spec.chain_id),
        ArbSys::arbOSVersionCall::SELECTOR => U256::from(55 + spec.arbos_version),
        _ => return fail(gas),
    };
    InterpreterResult::new(
        InstructionResult::Return,
        value.to_be_bytes::<32>().into(),
        gas,
    )
}
