//! The StylusDeployer, run natively at its canonical address with the ABI, errors and event of
//! nitro-contracts' `StylusDeployer.sol`: create (or create2 with `salt = keccak(salt ‖
//! initData)`), activate when needed, call the constructor with `initValue`, refund the rest,
//! emit `ContractDeployed(address)`.
//!
//! It must create and call other contracts, so it is a frame (a small state machine that yields
//! child frames to revm's frame loop) rather than a `PrecompileProvider` entry.

use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use revm::{
    context_interface::{context::ContextError, Cfg, ContextTr, CreateScheme, JournalTr},
    handler::EthFrame,
    interpreter::{
        CallScheme, CallValue, CreateInputs, FrameInput, InstructionResult, InterpreterAction,
        InterpreterResult,
    },
    primitives::{keccak256, Address, Bytes, Log, U256},
    Database,
};

use super::{abi::ArbWasm, abi::StylusDeployer, ARB_WASM_ADDRESS};
use crate::stylus::{
    program::{self, ArbContext, ProgramStatus, STYLUS_VERSION},
    run::{prepare_call, CallSpec, ChildOutcome, FrameError},
};

/// Gas the deployer charges for its own work per step (decoding, memory, event), roughly what
/// the Solidity contract spends outside its calls.
const STEP_GAS: u64 = 3_000;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Step {
    #[default]
    Start,
    Created,
    Activated,
    Initialized,
    Refunded,
}

/// A running `deploy` call.
#[derive(Debug, Default)]
pub struct DeployerFrame {
    step: Step,
    child: Option<ChildOutcome>,
    bytecode: Bytes,
    init_data: Bytes,
    init_value: U256,
    deployed: Address,
    should_activate: bool,
    refund: U256,
}

/// Solidity's `Panic(0x11)` (arithmetic underflow).
fn panic_underflow() -> Vec<u8> {
    let mut data = vec![0x4e, 0x48, 0x7b, 0x71];
    data.extend_from_slice(&U256::from(0x11).to_be_bytes::<32>());
    data
}

impl DeployerFrame {
    /// Records the outcome of the child frame the deployer waits on.
    pub fn child_returned(&mut self, outcome: ChildOutcome) {
        self.child = Some(outcome);
    }

    /// Advances the deployment until it needs a child frame or finishes.
    ///
    /// # Errors
    /// Database failures.
    pub fn run<DB: Database>(
        &mut self,
        eth: &mut EthFrame,
        ctx: &mut ArbContext<DB>,
    ) -> Result<InterpreterAction, FrameError<DB>> {
        let FrameInput::Call(inputs) = &eth.input else {
            return Ok(self.finish(eth, InstructionResult::FatalExternalError, Vec::new()));
        };
        let inputs = inputs.clone();
        let me = inputs.target_address;
        let msg_value = inputs.value.get();
        macro_rules! revert {
            ($data:expr) => {
                return Ok(self.finish(eth, InstructionResult::Revert, $data))
            };
        }
        macro_rules! charge {
            ($gas:expr) => {
                if !eth.interpreter.gas.record_regular_cost($gas) {
                    return Ok(self.finish(eth, InstructionResult::OutOfGas, Vec::new()));
                }
            };
        }
        charge!(STEP_GAS);
        loop {
            match self.step {
                Step::Start => {
                    let data = inputs.input.bytes(ctx);
                    charge!(3 * (data.len() as u64).div_ceil(32));
                    let selector = data.get(..4).unwrap_or_default();
                    if selector == StylusDeployer::initSaltCall::SELECTOR {
                        let Ok(call) = StylusDeployer::initSaltCall::abi_decode(&data) else {
                            revert!(Vec::new())
                        };
                        let salt = keccak256((call.salt, call.initData).abi_encode_packed());
                        return Ok(self.finish(eth, InstructionResult::Return, salt.to_vec()));
                    }
                    if selector == StylusDeployer::requiresActivationCall::SELECTOR {
                        let Ok(call) = StylusDeployer::requiresActivationCall::abi_decode(&data)
                        else {
                            revert!(Vec::new())
                        };
                        let needed = requires_activation(ctx, call.addr)?;
                        return Ok(self.finish(
                            eth,
                            InstructionResult::Return,
                            needed.abi_encode(),
                        ));
                    }
                    let Ok(call) = StylusDeployer::deployCall::abi_decode(&data) else {
                        revert!(Vec::new())
                    };
                    if inputs.is_static {
                        revert!(Vec::new())
                    }
                    if call.bytecode.is_empty() {
                        revert!(StylusDeployer::EmptyBytecode {}.abi_encode())
                    }
                    let scheme = if call.salt.is_zero() {
                        CreateScheme::Create
                    } else {
                        let salt =
                            keccak256((call.salt, call.initData.clone()).abi_encode_packed());
                        CreateScheme::Create2 { salt: salt.into() }
                    };
                    let params = ctx.cfg().gas_params().clone();
                    let len = call.bytecode.len();
                    let create_gas = match scheme {
                        CreateScheme::Create2 { .. } => params.create2_cost(len),
                        _ => params.create_cost(),
                    } + params.initcode_cost(len);
                    charge!(create_gas);
                    let gas = &mut eth.interpreter.gas;
                    let given = gas.remaining() - gas.remaining() / 64;
                    // `given` is below what is left, so this cannot fail.
                    let _ = gas.record_regular_cost(given);
                    let create = CreateInputs::new(
                        me,
                        scheme,
                        U256::ZERO,
                        call.bytecode.clone(),
                        given,
                        gas.reservoir(),
                    );
                    self.bytecode = call.bytecode;
                    self.init_data = call.initData;
                    self.init_value = call.initValue;
                    self.step = Step::Created;
                    return Ok(InterpreterAction::NewFrame(FrameInput::Create(Box::new(
                        create,
                    ))));
                }
                Step::Created => {
                    let outcome = self.child.take();
                    let Some(outcome) = outcome else {
                        revert!(Vec::new())
                    };
                    match (outcome.result.is_ok(), outcome.address) {
                        (true, Some(address)) => self.deployed = address,
                        _ if outcome.result == InstructionResult::Revert
                            && !outcome.output.is_empty() =>
                        {
                            revert!(outcome.output.to_vec())
                        }
                        _ => revert!(StylusDeployer::ContractDeploymentError {
                            bytecode: self.bytecode.clone()
                        }
                        .abi_encode()),
                    }
                    self.should_activate = requires_activation(ctx, self.deployed)?;
                    if self.should_activate {
                        let Some(value) = msg_value.checked_sub(self.init_value) else {
                            revert!(panic_underflow())
                        };
                        let input = ArbWasm::activateProgramCall {
                            program: self.deployed,
                        };
                        let spec = CallSpec {
                            caller: me,
                            target: ARB_WASM_ADDRESS,
                            target_address: ARB_WASM_ADDRESS,
                            value: CallValue::Transfer(value),
                            scheme: CallScheme::Call,
                            is_static: false,
                            input: input.abi_encode().into(),
                            requested_gas: u64::MAX,
                        };
                        let Some(inputs) = prepare_call(ctx, &mut eth.interpreter.gas, spec)?
                        else {
                            return Ok(self.finish(eth, InstructionResult::OutOfGas, Vec::new()));
                        };
                        self.step = Step::Activated;
                        return Ok(InterpreterAction::NewFrame(FrameInput::Call(Box::new(
                            inputs,
                        ))));
                    }
                    self.step = Step::Activated;
                }
                Step::Activated => {
                    if self.should_activate {
                        let outcome = self.child.take();
                        match outcome {
                            Some(outcome) if outcome.result.is_ok() => {}
                            Some(outcome) => revert!(outcome.output.to_vec()),
                            None => revert!(Vec::new()),
                        }
                    }
                    if self.init_data.is_empty() {
                        if !self.init_value.is_zero() {
                            revert!(StylusDeployer::InitValueButNotInitData {}.abi_encode())
                        }
                        self.step = Step::Initialized;
                        continue;
                    }
                    let spec = CallSpec {
                        caller: me,
                        target: self.deployed,
                        target_address: self.deployed,
                        value: CallValue::Transfer(self.init_value),
                        scheme: CallScheme::Call,
                        is_static: false,
                        input: self.init_data.clone(),
                        requested_gas: u64::MAX,
                    };
                    let Some(inputs) = prepare_call(ctx, &mut eth.interpreter.gas, spec)? else {
                        return Ok(self.finish(eth, InstructionResult::OutOfGas, Vec::new()));
                    };
                    self.step = Step::Initialized;
                    return Ok(InterpreterAction::NewFrame(FrameInput::Call(Box::new(
                        inputs,
                    ))));
                }
                Step::Initialized => {
                    if !self.init_data.is_empty() {
                        let outcome = self.child.take();
                        match outcome {
                            Some(outcome) if outcome.result.is_ok() => {}
                            other => revert!(StylusDeployer::ContractInitializationError {
                                newContract: self.deployed,
                                data: other.map(|o| o.output).unwrap_or_default(),
                            }
                            .abi_encode()),
                        }
                    }
                    self.step = Step::Refunded;
                    if self.should_activate || msg_value != self.init_value {
                        let journal = ctx.journal_mut();
                        let balance = journal
                            .load_account(me)
                            .map_err(ContextError::Db)?
                            .info
                            .balance;
                        if !balance.is_zero() {
                            self.refund = balance;
                            let spec = CallSpec {
                                caller: me,
                                target: inputs.caller,
                                target_address: inputs.caller,
                                value: CallValue::Transfer(balance),
                                scheme: CallScheme::Call,
                                is_static: false,
                                input: Bytes::new(),
                                requested_gas: u64::MAX,
                            };
                            let Some(call) = prepare_call(ctx, &mut eth.interpreter.gas, spec)?
                            else {
                                return Ok(self.finish(
                                    eth,
                                    InstructionResult::OutOfGas,
                                    Vec::new(),
                                ));
                            };
                            return Ok(InterpreterAction::NewFrame(FrameInput::Call(Box::new(
                                call,
                            ))));
                        }
                    }
                }
                Step::Refunded => {
                    if !self.refund.is_zero() {
                        let outcome = self.child.take();
                        if !outcome.is_some_and(|o| o.result.is_ok()) {
                            revert!(StylusDeployer::RefundExcessValueError {
                                excessValue: self.refund
                            }
                            .abi_encode())
                        }
                    }
                    let event = StylusDeployer::ContractDeployed {
                        deployedContract: self.deployed,
                    };
                    let data = event.encode_log_data();
                    charge!(375 + 375 + 8 * 32);
                    ctx.journal_mut().log(Log { address: me, data });
                    let output = self.deployed.abi_encode();
                    return Ok(self.finish(eth, InstructionResult::Return, output));
                }
            }
        }
    }

    fn finish(
        &mut self,
        eth: &mut EthFrame,
        result: InstructionResult,
        output: Vec<u8>,
    ) -> InterpreterAction {
        let mut gas = eth.interpreter.gas;
        let result = if result == InstructionResult::FatalExternalError {
            InstructionResult::Revert
        } else {
            result
        };
        if !result.is_ok_or_revert() {
            gas.spend_all();
        }
        InterpreterAction::Return(InterpreterResult {
            result,
            output: output.into(),
            gas,
        })
    }
}

/// StylusDeployer's `requiresActivation`: the code at `address` is not active at the current
/// Stylus version.
fn requires_activation<DB: Database>(
    ctx: &mut ArbContext<DB>,
    address: Address,
) -> Result<bool, FrameError<DB>> {
    use revm::context_interface::Block;
    let hash = ctx
        .journal_mut()
        .code_hash(address)
        .map_err(ContextError::Db)?
        .data;
    let now = ctx.block().timestamp().saturating_to::<u64>();
    let record = program::load_record(ctx, hash).map_err(ContextError::Db)?;
    Ok(!matches!(record.status(now), ProgramStatus::Active(r) if r.version == STYLUS_VERSION))
}
