//! `ArbEvm`: revm's EVM with Stylus frames, the StylusDeployer frame and Arbitrum precompiles,
//! driven by revm's own `MainnetHandler` and frame loop (no recursion: a native frame that needs
//! a child call yields it to the loop and resumes when the child returns).

use revm::{
    context::{ContextError, FrameStack},
    context_interface::{context::take_error, local::OutFrame, ContextTr},
    handler::{
        evm::{ContextDbError, FrameInitResult},
        handle_reservoir_remaining_gas,
        instructions::EthInstructions,
        EthFrame, EvmTr, FrameData, FrameInitOrResult, FrameResult, ItemOrResult,
    },
    interpreter::{
        interpreter::EthInterpreter, interpreter_action::FrameInit, FrameInput, InstructionResult,
        InterpreterAction,
    },
    Database,
};

use super::{
    frame::{ArbFrame, NativeFrame},
    ChainSpec,
};
use crate::{
    precompiles::{deployer::DeployerFrame, ArbPrecompiles, STYLUS_DEPLOYER_ADDRESS},
    stylus::{
        code::{is_stylus, STYLUS_PREFIX},
        program::ArbContext,
        recent::RECENT_CACHE_ARBOS_VERSION,
        run::{ChildOutcome, StylusFrame, TxStylusState},
    },
};

/// The devnode EVM for one transaction.
pub struct ArbEvm<DB: Database> {
    /// revm context (block, tx, cfg, journal).
    pub ctx: ArbContext<DB>,
    instruction: EthInstructions<EthInterpreter, ArbContext<DB>>,
    precompiles: ArbPrecompiles,
    frame_stack: FrameStack<ArbFrame>,
    stylus: TxStylusState,
    spec: ChainSpec,
}

impl<DB: Database> ArbEvm<DB> {
    /// Wraps a prepared context.
    pub fn new(ctx: ArbContext<DB>, spec: &ChainSpec, block: &super::BlockContext) -> Self {
        let recent = (spec.arbos_version >= RECENT_CACHE_ARBOS_VERSION)
            .then(|| block.recent_programs.clone());
        Self {
            ctx,
            instruction: EthInstructions::new_mainnet_with_spec(spec.spec),
            precompiles: ArbPrecompiles::new(spec, block.l2_block_number),
            frame_stack: FrameStack::new_prealloc(8),
            stylus: TxStylusState {
                recent,
                ..Default::default()
            },
            spec: spec.clone(),
        }
    }

    /// Which native code (if any) runs for this frame input.
    fn native_for(&self, init: &FrameInit) -> Option<NativeFrame> {
        let FrameInput::Call(inputs) = &init.frame_input else {
            return None;
        };
        if inputs.bytecode_address == STYLUS_DEPLOYER_ADDRESS {
            return Some(NativeFrame::Deployer(DeployerFrame::default()));
        }
        if self.precompiles.is_precompile(&inputs.bytecode_address) {
            return None;
        }
        let (hash, code) = &inputs.known_bytecode;
        is_stylus(code.original_byte_slice()).then(|| {
            NativeFrame::Stylus(StylusFrame::new(
                *hash,
                code.original_bytes(),
                self.spec.arbos_version,
                self.spec.debug,
            ))
        })
    }
}

/// Arbitrum's EIP-3541 rule: new code may start with 0xEF only as a Stylus program.
fn enforce_ef_rule(frame: &ArbFrame, action: &mut InterpreterAction) {
    if !matches!(frame.eth.data, FrameData::Create(_)) {
        return;
    }
    if let InterpreterAction::Return(result) = action {
        if result.result.is_ok()
            && result.output.first() == Some(&0xEF)
            && !result.output.starts_with(&STYLUS_PREFIX)
        {
            result.result = InstructionResult::CreateContractStartingWithEF;
        }
    }
}

impl<DB: Database> EvmTr for ArbEvm<DB> {
    type Context = ArbContext<DB>;
    type Instructions = EthInstructions<EthInterpreter, ArbContext<DB>>;
    type Precompiles = ArbPrecompiles;
    type Frame = ArbFrame;

    fn all(
        &self,
    ) -> (
        &Self::Context,
        &Self::Instructions,
        &Self::Precompiles,
        &FrameStack<Self::Frame>,
    ) {
        (
            &self.ctx,
            &self.instruction,
            &self.precompiles,
            &self.frame_stack,
        )
    }

    fn all_mut(
        &mut self,
    ) -> (
        &mut Self::Context,
        &mut Self::Instructions,
        &mut Self::Precompiles,
        &mut FrameStack<Self::Frame>,
    ) {
        (
            &mut self.ctx,
            &mut self.instruction,
            &mut self.precompiles,
            &mut self.frame_stack,
        )
    }

    fn frame_init(
        &mut self,
        frame_input: FrameInit,
    ) -> Result<FrameInitResult<'_, ArbFrame>, ContextDbError<Self::Context>> {
        let native = self.native_for(&frame_input);
        let is_first_init = self.frame_stack.index().is_none();
        let mut new_frame = if is_first_init {
            self.frame_stack.start_init()
        } else {
            self.frame_stack.get_next()
        };
        let frame = new_frame.get(ArbFrame::invalid);
        frame.native = None;
        let result = EthFrame::init_with_context(
            OutFrame::new_init(&mut frame.eth),
            &mut self.ctx,
            &mut self.precompiles,
            frame_input,
        )?;
        match result {
            ItemOrResult::Result(result) => Ok(ItemOrResult::Result(result)),
            ItemOrResult::Item(_) => {
                frame.native = native.map(Box::new);
                let token = new_frame.consume();
                if is_first_init {
                    // SAFETY: the slot was initialised by `get` above.
                    unsafe { self.frame_stack.end_init(token) };
                } else {
                    // SAFETY: as above.
                    unsafe { self.frame_stack.push(token) };
                }
                Ok(ItemOrResult::Item(self.frame_stack.get()))
            }
        }
    }

    fn frame_run(&mut self) -> Result<FrameInitOrResult<ArbFrame>, ContextDbError<Self::Context>> {
        let frame = self.frame_stack.get();
        let ctx = &mut self.ctx;
        let mut action = match frame.native.as_deref_mut() {
            Some(NativeFrame::Stylus(stylus)) => {
                stylus.run(&mut frame.eth, ctx, &mut self.stylus)?
            }
            Some(NativeFrame::Deployer(deployer)) => deployer.run(&mut frame.eth, ctx)?,
            None => frame.eth.interpreter.run_plain(
                self.instruction.instruction_table(),
                self.instruction.gas_table(),
                ctx,
            ),
        };
        enforce_ef_rule(frame, &mut action);
        let next = frame
            .eth
            .process_next_action::<_, ContextDbError<Self::Context>>(ctx, action)?;
        if next.is_result() {
            frame.eth.set_finished(true);
        }
        Ok(match next {
            ItemOrResult::Item(init) => ItemOrResult::Item(init),
            ItemOrResult::Result(result) => ItemOrResult::Result(result),
        })
    }

    fn frame_return_result(
        &mut self,
        result: FrameResult,
    ) -> Result<Option<FrameResult>, ContextDbError<Self::Context>> {
        if self.frame_stack.get().eth.is_finished() {
            self.frame_stack.pop();
        }
        if self.frame_stack.index().is_none() {
            return Ok(Some(result));
        }
        let parent = self.frame_stack.get();
        let Some(native) = parent.native.as_deref_mut() else {
            parent
                .eth
                .return_result::<_, ContextDbError<Self::Context>>(&mut self.ctx, result)?;
            return Ok(None);
        };
        parent.eth.interpreter.memory.free_child_context();
        take_error::<ContextError<DB::Error>, _>(self.ctx.error())?;
        let (outcome, mut child_gas) = match result {
            FrameResult::Call(call) => (
                ChildOutcome {
                    result: call.result.result,
                    output: call.result.output,
                    address: None,
                },
                call.result.gas,
            ),
            FrameResult::Create(create) => (
                ChildOutcome {
                    result: create.result.result,
                    output: create.result.output,
                    address: create.address,
                },
                create.result.gas,
            ),
        };
        handle_reservoir_remaining_gas(
            outcome.result,
            parent.eth.interpreter.gas.tracker_mut(),
            child_gas.tracker_mut(),
        );
        native.child_returned(outcome);
        Ok(None)
    }
}
