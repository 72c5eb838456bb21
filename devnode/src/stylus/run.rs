//! Running one Stylus program frame: instantiation, resumable execution in wasmi, and serving the
//! host-io requests that need the EVM state through revm's journal.
//!
//! The frame keeps revm's `EthFrame` for its checkpoint, gas and shared memory. Gas is
//! authoritative in the frame's `Gas` whenever control is in Rust; while wasm runs it lives in the
//! program's ink meter (see `stylus::meter`). A nested call or create is handed back to revm's frame loop as
//! `InterpreterAction::NewFrame`; its outcome comes back through [`StylusFrame::child_returned`]
//! and the program resumes on the next [`StylusFrame::run`].

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock},
};

use revm::{
    context_interface::{context::ContextError, Block, Cfg, ContextTr, JournalTr, Transaction},
    handler::{EthFrame, FrameData},
    interpreter::{
        instructions::contract::load_account_delegated, CallInput, CallInputs, CallScheme,
        CallValue, CreateInputs, FrameInput, Gas, InstructionResult, InterpreterAction,
        InterpreterResult,
    },
    primitives::{Address, Bytes, Log, LogData, B256, U256},
    Database,
};
use wasmi::{Engine, Linker, Module, Store, TypedResumableCall, Val};

use super::{
    code,
    host::{self, CacheSlot, CallKind, Escape, EvmData, HostState, Request},
    ink::{self, MemoryModel},
    meter::{self, InkMeter},
    program::{self, ArbContext, ProgramRecord, ProgramStatus},
    recent::{RecentPrograms, BLOCK_CACHE_SIZE},
};

/// Errors the frame loop can return (database failures).
pub type FrameError<DB> = ContextError<<DB as Database>::Error>;

/// Compiled modules by codehash, shared by every EVM in the process.
struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    modules: Mutex<HashMap<B256, Module>>,
}

/// Most compiled modules kept in memory.
const MODULE_CACHE_LIMIT: usize = 256;

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let engine = Engine::new(&ink::engine_config());
        let linker = host::linker(&engine);
        Runtime {
            engine,
            linker,
            modules: Mutex::new(HashMap::new()),
        }
    })
}

/// Compiles (or fetches from the cache) the module of an activated program.
fn module(code_hash: B256, code: &[u8]) -> Result<Module, String> {
    let rt = runtime();
    if let Some(m) = rt
        .modules
        .lock()
        .map_err(|e| e.to_string())?
        .get(&code_hash)
    {
        return Ok(m.clone());
    }
    let wasm = code::decompress(code).map_err(|e| e.to_string())?;
    let wasm = meter::instrument(&wasm)?;
    let module = Module::new(&rt.engine, &wasm).map_err(|e| e.to_string())?;
    let mut cache = rt.modules.lock().map_err(|e| e.to_string())?;
    if cache.len() >= MODULE_CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(code_hash, module.clone());
    Ok(module)
}

/// Per-transaction Stylus state shared by all frames (Nitro keeps it in the TxProcessor/StateDB).
#[derive(Debug, Default)]
pub struct TxStylusState {
    /// Open/ever memory pages.
    pub pages: MemoryModel,
    /// Open Stylus frames per acting address (delegate calls are not counted).
    pub programs: HashMap<Address, u32>,
    /// The block's recent-program cache, from ArbOS 60 on.
    pub recent: Option<RecentPrograms>,
}

/// How a finished child frame came back to a Stylus parent.
#[derive(Debug)]
pub struct ChildOutcome {
    /// Result of the child.
    pub result: InstructionResult,
    /// Its output (return or revert data).
    pub output: Bytes,
    /// Created address for creates.
    pub address: Option<Address>,
}

enum Phase {
    NotStarted,
    Suspended(Box<Running>),
    Finished,
}

struct Running {
    store: Store<HostState>,
    call: Option<wasmi::TypedResumableCallHostTrap<i32>>,
    /// The call or create the program waits on.
    waiting: Option<Request>,
}

/// A Stylus program frame.
pub struct StylusFrame {
    code_hash: B256,
    code: Bytes,
    phase: Phase,
    child: Option<ChildOutcome>,
    /// Ink left below one gas while control is in Rust.
    ink_remainder: u64,
    open_pages_at_entry: u16,
    counted: Option<Address>,
    arbos_version: u64,
    debug: bool,
}

impl core::fmt::Debug for StylusFrame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StylusFrame")
            .field("code_hash", &self.code_hash)
            .finish_non_exhaustive()
    }
}

/// What a served request lets the program do next.
enum Next {
    /// Resume the wasm with these return values.
    Resume(Vec<Val>),
    /// Start a child frame; the request is kept to apply its outcome.
    Frame(FrameInput, Request),
    /// Stop with this result.
    Stop(InstructionResult),
}

/// Ends the frame without output. revm's EVM frames panic on `FatalExternalError` from a child,
/// so internal inconsistencies end as a plain failure (revert, empty data) instead.
fn halt(mut gas: Gas, result: InstructionResult) -> InterpreterAction {
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
        output: Bytes::new(),
        gas,
    })
}

impl StylusFrame {
    /// A frame for program `code` (hash `code_hash`) that has not started yet.
    pub fn new(code_hash: B256, code: Bytes, arbos_version: u64, debug: bool) -> Self {
        Self {
            code_hash,
            code,
            phase: Phase::NotStarted,
            child: None,
            ink_remainder: 0,
            open_pages_at_entry: 0,
            counted: None,
            arbos_version,
            debug,
        }
    }

    /// Records the outcome of the child frame the program waits on.
    pub fn child_returned(&mut self, outcome: ChildOutcome) {
        self.child = Some(outcome);
    }

    /// Ends the frame's bookkeeping (reentrancy count, open pages).
    fn finish(&mut self, tx: &mut TxStylusState) {
        if let Some(address) = self.counted.take() {
            if let Some(count) = tx.programs.get_mut(&address) {
                *count = count.saturating_sub(1);
            }
        }
        if !matches!(self.phase, Phase::NotStarted) {
            tx.pages.open = self.open_pages_at_entry;
        }
        self.phase = Phase::Finished;
    }

    /// Runs the program until it finishes or needs a child frame.
    ///
    /// # Errors
    /// Database failures.
    pub fn run<DB: Database>(
        &mut self,
        eth: &mut EthFrame,
        ctx: &mut ArbContext<DB>,
        tx: &mut TxStylusState,
    ) -> Result<InterpreterAction, FrameError<DB>> {
        let action = self.step(eth, ctx, tx)?;
        if matches!(action, InterpreterAction::Return(_)) {
            self.finish(tx);
        }
        Ok(action)
    }

    fn step<DB: Database>(
        &mut self,
        eth: &mut EthFrame,
        ctx: &mut ArbContext<DB>,
        tx: &mut TxStylusState,
    ) -> Result<InterpreterAction, FrameError<DB>> {
        let (mut running, mut outcome) = match std::mem::replace(&mut self.phase, Phase::Finished) {
            Phase::NotStarted => match self.start(eth, ctx, tx)? {
                Ok(started) => started,
                Err(action) => return Ok(action),
            },
            Phase::Suspended(mut running) => {
                running.store.data_mut().pages = tx.pages;
                let waiting = running.waiting.take();
                let outcome = self.child.take();
                let values = match (waiting, outcome) {
                    (Some(waiting), Some(outcome)) => {
                        match self.apply_child(&mut running, waiting, outcome) {
                            Ok(values) => values,
                            Err(result) => return Ok(self.stop(eth, &mut running, tx, result)),
                        }
                    }
                    _ => {
                        let r = InstructionResult::FatalExternalError;
                        return Ok(self.stop(eth, &mut running, tx, r));
                    }
                };
                let outcome = self.resume(eth, &mut running, values);
                (running, outcome)
            }
            Phase::Finished => {
                return Ok(halt(
                    eth.interpreter.gas,
                    InstructionResult::FatalExternalError,
                ))
            }
        };

        loop {
            self.sync_gas(eth, &mut running);
            let trap = match outcome {
                Ok(TypedResumableCall::Finished(status)) => {
                    return Ok(self.stop(eth, &mut running, tx, status_result(status as u32)));
                }
                Ok(TypedResumableCall::OutOfFuel(_)) => {
                    return Ok(self.stop(eth, &mut running, tx, InstructionResult::OutOfGas));
                }
                Ok(TypedResumableCall::HostTrap(trap)) => trap,
                Err(error) => {
                    let exhausted = running
                        .store
                        .data()
                        .meter
                        .is_some_and(|m| m.ink_left(&running.store).is_none());
                    let result = if exhausted {
                        InstructionResult::OutOfGas
                    } else {
                        classify_error(&error)
                    };
                    running.store.data_mut().output.clear();
                    return Ok(self.stop(eth, &mut running, tx, result));
                }
            };
            match trap.host_error().downcast_ref::<Escape>().cloned() {
                Some(Escape::Yield) => {}
                Some(Escape::Exit(status)) => {
                    return Ok(self.stop(eth, &mut running, tx, status_result(status)));
                }
                Some(Escape::OutOfInk) => {
                    return Ok(self.stop(eth, &mut running, tx, InstructionResult::OutOfGas));
                }
                Some(Escape::Failure(_)) | None => {
                    running.store.data_mut().output.clear();
                    return Ok(self.stop(eth, &mut running, tx, InstructionResult::Revert));
                }
            }
            running.call = Some(trap);
            let Some(request) = running.store.data_mut().request.take() else {
                let r = InstructionResult::FatalExternalError;
                return Ok(self.stop(eth, &mut running, tx, r));
            };
            match self.serve(eth, ctx, &mut running, request)? {
                Next::Resume(values) => outcome = self.resume(eth, &mut running, values),
                Next::Frame(input, waiting) => {
                    running.waiting = Some(waiting);
                    tx.pages = running.store.data().pages;
                    self.phase = Phase::Suspended(running);
                    return Ok(InterpreterAction::NewFrame(input));
                }
                Next::Stop(result) => {
                    if result == InstructionResult::Revert {
                        running.store.data_mut().output.clear();
                    }
                    return Ok(self.stop(eth, &mut running, tx, result));
                }
            }
        }
    }

    /// Resumes the suspended wasm with the host function's return values.
    fn resume(
        &mut self,
        eth: &EthFrame,
        running: &mut Running,
        values: Vec<Val>,
    ) -> Result<TypedResumableCall<i32>, wasmi::Error> {
        let Some(call) = running.call.take() else {
            return Err(wasmi::Error::new("no suspended call"));
        };
        let Some(meter) = running.store.data().meter else {
            return Err(wasmi::Error::new("no ink meter"));
        };
        let ink = eth
            .interpreter
            .gas
            .remaining()
            .saturating_mul(ink::INK_PRICE)
            .saturating_add(self.ink_remainder);
        meter.set_ink(&mut running.store, ink);
        call.resume(&mut running.store, &values)
    }

    /// Moves the ink left in the program's meter into the frame's gas, keeping the sub-gas
    /// remainder (Nitro converts with `ink / ink_price`).
    fn sync_gas(&mut self, eth: &mut EthFrame, running: &mut Running) {
        let ink = running
            .store
            .data()
            .meter
            .and_then(|m| m.ink_left(&running.store))
            .unwrap_or(0);
        let gas_left = ink / ink::INK_PRICE;
        self.ink_remainder = ink % ink::INK_PRICE;
        let spent = eth.interpreter.gas.remaining().saturating_sub(gas_left);
        if !eth.interpreter.gas.record_regular_cost(spent) {
            eth.interpreter.gas.spend_all();
        }
    }

    /// Finishes the program with `result`.
    fn stop(
        &mut self,
        eth: &mut EthFrame,
        running: &mut Running,
        tx: &mut TxStylusState,
        mut result: InstructionResult,
    ) -> InterpreterAction {
        tx.pages = running.store.data().pages;
        let mut gas = eth.interpreter.gas;
        if result == InstructionResult::FatalExternalError {
            result = InstructionResult::Revert;
            running.store.data_mut().output.clear();
        }
        let mut output = Bytes::new();
        if result.is_ok_or_revert() {
            output = Bytes::from(std::mem::take(&mut running.store.data_mut().output));
        }
        if result.is_ok_or_revert() && !output.is_empty() {
            // Return-data floor (ArbOS >= 31): what EVM memory for the output would cost.
            let words = (output.len() as u64).div_ceil(32);
            if !gas.record_regular_cost(3 * words + words * words / 512) {
                result = InstructionResult::OutOfGas;
                output = Bytes::new();
            }
        }
        if !result.is_ok_or_revert() {
            gas.spend_all();
        }
        InterpreterAction::Return(InterpreterResult {
            result,
            output,
            gas,
        })
    }

    /// First run: activation check, entry cost, instantiation and the `user_entrypoint` call.
    #[allow(clippy::type_complexity)]
    fn start<DB: Database>(
        &mut self,
        eth: &mut EthFrame,
        ctx: &mut ArbContext<DB>,
        tx: &mut TxStylusState,
    ) -> Result<
        Result<(Box<Running>, Result<TypedResumableCall<i32>, wasmi::Error>), InterpreterAction>,
        FrameError<DB>,
    > {
        let FrameInput::Call(inputs) = &eth.input else {
            return Ok(Err(halt(
                eth.interpreter.gas,
                InstructionResult::FatalExternalError,
            )));
        };
        let inputs = inputs.clone();
        self.open_pages_at_entry = tx.pages.open;
        let args = inputs.input.bytes(ctx);
        let now = ctx.block().timestamp().saturating_to::<u64>();
        let record = program::load_record(ctx, self.code_hash).map_err(ContextError::Db)?;
        let record = match record.status(now) {
            ProgramStatus::Active(record) => record,
            status => {
                // Nitro: a non-revert error that consumes all gas. The devnode keeps the ArbWasm
                // error as revert data so clients can tell why.
                let mut gas = eth.interpreter.gas;
                gas.spend_all();
                let output = crate::precompiles::arb_wasm::status_error(status);
                return Ok(Err(InterpreterAction::Return(InterpreterResult {
                    result: InstructionResult::Revert,
                    output,
                    gas,
                })));
            }
        };

        // Entry cost: memory footprint plus init costs. From ArbOS 60 a program called earlier
        // in the same block pays as if cached (the call is recorded before the gas is taken).
        let memory_gas = tx.pages.gas_cost(record.footprint);
        let recent_hit = tx
            .recent
            .as_ref()
            .is_some_and(|recent| recent.insert(self.code_hash, BLOCK_CACHE_SIZE));
        let entry_gas = ProgramRecord {
            cached: record.cached || recent_hit,
            ..record
        }
        .entry_gas();
        if !eth
            .interpreter
            .gas
            .record_regular_cost(memory_gas.saturating_add(entry_gas))
        {
            let mut gas = eth.interpreter.gas;
            gas.spend_all();
            return Ok(Err(halt(gas, InstructionResult::OutOfGas)));
        }
        tx.pages.open_pages(record.footprint);

        // Reentrancy: count frames whose acting address is this program (not delegate calls).
        let delegated = matches!(
            inputs.scheme,
            CallScheme::DelegateCall | CallScheme::CallCode
        );
        let mut reentrant = false;
        if !delegated {
            let count = tx.programs.entry(inputs.target_address).or_insert(0);
            *count += 1;
            reentrant = *count > 1;
            self.counted = Some(inputs.target_address);
        }
        // From here on `finish` restores the counters.
        self.phase = Phase::Finished;

        let revert = |eth: &EthFrame| Ok(Err(halt(eth.interpreter.gas, InstructionResult::Revert)));
        let module = match module(self.code_hash, &self.code) {
            Ok(module) => module,
            Err(reason) => {
                tracing::warn!(%reason, "activated program failed to compile");
                self.finish(tx);
                return revert(eth);
            }
        };
        let block = ctx.block();
        let evm = EvmData {
            basefee: U256::from(block.basefee()),
            chain_id: ctx.cfg().chain_id(),
            coinbase: block.beneficiary(),
            gas_limit: block.gas_limit(),
            block_number: block.number().saturating_to::<u64>(),
            timestamp: now,
            gas_price: U256::from(ctx.tx().effective_gas_price(u128::from(block.basefee()))),
            origin: ctx.tx().caller(),
        };
        let state = HostState {
            args: args.clone(),
            sender: inputs.caller,
            contract: inputs.target_address,
            value: inputs.value.get(),
            reentrant,
            is_static: inputs.is_static,
            evm,
            pages: tx.pages,
            debug: self.debug,
            ..Default::default()
        };
        let rt = runtime();
        let mut store = Store::new(&rt.engine, state);
        store.limiter(|state| state as &mut dyn wasmi::ResourceLimiter);
        let instance = rt.linker.instantiate_and_start(&mut store, &module);
        let Ok(instance) = instance else {
            self.finish(tx);
            return revert(eth);
        };
        let memory = instance.get_memory(&store, "memory");
        let entry = instance.get_typed_func::<i32, i32>(&store, "user_entrypoint");
        let meter = InkMeter::of(&instance, &store);
        let (Some(memory), Ok(entry), Some(meter)) = (memory, entry, meter) else {
            self.finish(tx);
            return revert(eth);
        };
        store.data_mut().memory = Some(memory);
        store.data_mut().meter = Some(meter);
        let ink = eth
            .interpreter
            .gas
            .remaining()
            .saturating_mul(ink::INK_PRICE);
        meter.set_ink(&mut store, ink);
        let first = entry.call_resumable(&mut store, args.len() as i32);
        let running = Box::new(Running {
            store,
            call: None,
            waiting: None,
        });
        Ok(Ok((running, first)))
    }

    /// Serves a host-io request through the journal.
    fn serve<DB: Database>(
        &mut self,
        eth: &mut EthFrame,
        ctx: &mut ArbContext<DB>,
        running: &mut Running,
        request: Request,
    ) -> Result<Next, FrameError<DB>> {
        let contract = running.store.data().contract;
        let gas = &mut eth.interpreter.gas;
        let params = ctx.cfg().gas_params().clone();
        macro_rules! charge {
            ($cost:expr) => {
                if !gas.record_regular_cost($cost) {
                    return Ok(Next::Stop(InstructionResult::OutOfGas));
                }
            };
        }
        macro_rules! write {
            ($dest:expr, $data:expr) => {
                let memory = running.store.data().memory;
                let Some(memory) = memory else {
                    return Ok(Next::Stop(InstructionResult::Revert));
                };
                if memory
                    .write(&mut running.store, $dest as usize, $data)
                    .is_err()
                {
                    return Ok(Next::Stop(InstructionResult::Revert));
                }
            };
        }
        let journal = ctx.journal_mut();
        match request {
            Request::StorageLoad { key, dest } => {
                journal.load_account(contract).map_err(ContextError::Db)?;
                let load = journal
                    .sload(contract, key.into())
                    .map_err(ContextError::Db)?;
                let cost = if load.is_cold {
                    params.cold_storage_cost()
                } else {
                    params.warm_storage_read_cost()
                };
                charge!(cost + host::SLOAD_API_GAS);
                let value = B256::from(load.data.to_be_bytes::<32>());
                running.store.data_mut().cache.insert(
                    key,
                    CacheSlot {
                        value,
                        known: Some(value),
                    },
                );
                write!(dest, value.as_slice());
                Ok(Next::Resume(vec![]))
            }
            Request::Flush { slots } => {
                journal.load_account(contract).map_err(ContextError::Db)?;
                for (key, value) in slots {
                    let store = journal
                        .sstore(contract, key.into(), value.into())
                        .map_err(ContextError::Db)?;
                    let cost = params.sstore_static_gas()
                        + params.sstore_dynamic_gas(true, &store.data, store.is_cold);
                    if !gas.record_regular_cost(cost) {
                        // ArbOS >= 50: out of ink; before: the program fails.
                        return Ok(Next::Stop(if self.arbos_version >= 50 {
                            InstructionResult::OutOfGas
                        } else {
                            InstructionResult::Revert
                        }));
                    }
                    gas.record_refund(params.sstore_refund(true, &store.data));
                }
                Ok(Next::Resume(vec![]))
            }
            Request::TransientLoad { key, dest } => {
                let value = journal.tload(contract, key.into());
                write!(dest, &value.to_be_bytes::<32>());
                Ok(Next::Resume(vec![]))
            }
            Request::TransientStore { key, value } => {
                journal.tstore(contract, key.into(), value.into());
                Ok(Next::Resume(vec![]))
            }
            Request::Log { topics, data } => {
                journal.log(Log {
                    address: contract,
                    data: LogData::new_unchecked(topics, data),
                });
                Ok(Next::Resume(vec![]))
            }
            Request::Balance { address, dest } => {
                let account = journal.load_account(address).map_err(ContextError::Db)?;
                let (balance, cold) = (account.info.balance, account.is_cold);
                charge!(if cold { 2_600 } else { 100 });
                write!(dest, &balance.to_be_bytes::<32>());
                Ok(Next::Resume(vec![]))
            }
            Request::CodeHash { address, dest } => {
                let hash = journal.code_hash(address).map_err(ContextError::Db)?;
                charge!(if hash.is_cold { 2_600 } else { 100 });
                write!(dest, hash.data.as_slice());
                Ok(Next::Resume(vec![]))
            }
            Request::Code {
                address,
                offset,
                size,
                dest,
            } => {
                let code = journal.code(address).map_err(ContextError::Db)?;
                charge!(700 + if code.is_cold { 2_600 } else { 100 });
                let code = code.data;
                match dest {
                    None => Ok(Next::Resume(vec![Val::I32(code.len() as i32)])),
                    Some(dest) => {
                        let price = ink::write_price(code.len() as u64);
                        if !buy_ink(gas, &mut self.ink_remainder, price) {
                            return Ok(Next::Stop(InstructionResult::OutOfGas));
                        }
                        let start = (offset as usize).min(code.len());
                        let end = start.saturating_add(size as usize).min(code.len());
                        write!(dest, &code[start..end]);
                        Ok(Next::Resume(vec![Val::I32((end - start) as i32)]))
                    }
                }
            }
            Request::Call {
                kind,
                target,
                ref input,
                value,
                gas: requested,
                ..
            } => {
                let input = input.clone();
                let is_static = running.store.data().is_static;
                let transfers = kind == CallKind::Call && !value.is_zero();
                if transfers && is_static {
                    // Write protection: status 2 at no cost.
                    running.store.data_mut().return_data = Bytes::new();
                    return Ok(Next::Resume(vec![Val::I32(2)]));
                }
                let (scheme, call_value, caller, target_address) = match kind {
                    CallKind::Call => (
                        CallScheme::Call,
                        CallValue::Transfer(value),
                        contract,
                        target,
                    ),
                    CallKind::StaticCall => (
                        CallScheme::StaticCall,
                        CallValue::Transfer(U256::ZERO),
                        contract,
                        target,
                    ),
                    CallKind::DelegateCall => {
                        let data = running.store.data();
                        (
                            CallScheme::DelegateCall,
                            CallValue::Apparent(data.value),
                            data.sender,
                            contract,
                        )
                    }
                };
                let spec = CallSpec {
                    caller,
                    target,
                    target_address,
                    value: call_value,
                    scheme,
                    is_static: is_static || kind == CallKind::StaticCall,
                    input,
                    requested_gas: requested,
                };
                let Some(inputs) = prepare_call(ctx, &mut eth.interpreter.gas, spec)? else {
                    running.store.data_mut().return_data = Bytes::new();
                    return Ok(Next::Resume(vec![Val::I32(2)]));
                };
                Ok(Next::Frame(FrameInput::Call(Box::new(inputs)), request))
            }
            Request::Create {
                ref code,
                endowment,
                salt,
                ..
            } => {
                let code = code.clone();
                let base = match salt {
                    None => params.create_cost(),
                    Some(_) => params.create2_cost(code.len()),
                };
                charge!(base);
                let left = gas.remaining();
                let given = left - left / 64;
                // `given` is below what is left, so this cannot fail.
                let _ = gas.record_regular_cost(given);
                let scheme = match salt {
                    None => revm::context_interface::CreateScheme::Create,
                    Some(salt) => revm::context_interface::CreateScheme::Create2 { salt },
                };
                let inputs =
                    CreateInputs::new(contract, scheme, endowment, code, given, gas.reservoir());
                Ok(Next::Frame(FrameInput::Create(Box::new(inputs)), request))
            }
        }
    }

    /// Writes a finished child's outcome into the program and returns the host function's
    /// return values.
    fn apply_child(
        &mut self,
        running: &mut Running,
        waiting: Request,
        outcome: ChildOutcome,
    ) -> Result<Vec<Val>, InstructionResult> {
        let Some(memory) = running.store.data().memory else {
            return Err(InstructionResult::FatalExternalError);
        };
        match waiting {
            Request::Call { return_len_ptr, .. } => {
                let len = outcome.output.len() as u32;
                running.store.data_mut().return_data = outcome.output;
                memory
                    .write(
                        &mut running.store,
                        return_len_ptr as usize,
                        &len.to_le_bytes(),
                    )
                    .map_err(|_| InstructionResult::Revert)?;
                let status = if outcome.result.is_ok() { 0 } else { 2 };
                Ok(vec![Val::I32(status)])
            }
            Request::Create {
                contract_ptr,
                return_len_ptr,
                ..
            } => {
                let ok = outcome.result.is_ok();
                let address = if ok {
                    outcome.address.unwrap_or_default()
                } else {
                    Address::ZERO
                };
                let data = if outcome.result == InstructionResult::Revert {
                    outcome.output
                } else {
                    Bytes::new()
                };
                let len = data.len() as u32;
                running.store.data_mut().return_data = data;
                memory
                    .write(
                        &mut running.store,
                        contract_ptr as usize,
                        address.as_slice(),
                    )
                    .and_then(|()| {
                        memory.write(
                            &mut running.store,
                            return_len_ptr as usize,
                            &len.to_le_bytes(),
                        )
                    })
                    .map_err(|_| InstructionResult::Revert)?;
                Ok(vec![])
            }
            _ => Err(InstructionResult::FatalExternalError),
        }
    }
}

/// Takes `ink` from a frame's gas plus its sub-gas ink remainder; `false` (nothing taken) when
/// there is not enough.
fn buy_ink(gas: &mut Gas, remainder: &mut u64, ink: u64) -> bool {
    let total = gas
        .remaining()
        .saturating_mul(ink::INK_PRICE)
        .saturating_add(*remainder);
    let Some(left) = total.checked_sub(ink) else {
        return false;
    };
    let spent = gas.remaining() - left / ink::INK_PRICE;
    *remainder = left % ink::INK_PRICE;
    gas.record_regular_cost(spent)
}

/// Maps the status a program returns to revm's result.
fn status_result(status: u32) -> InstructionResult {
    if status == 0 {
        InstructionResult::Return
    } else {
        InstructionResult::Revert
    }
}

/// Maps a wasm trap to revm's result (Nitro: out of ink = out of gas, stack = depth, else fail).
fn classify_error(error: &wasmi::Error) -> InstructionResult {
    use wasmi::TrapCode;
    match error.as_trap_code() {
        Some(TrapCode::OutOfFuel) => InstructionResult::OutOfGas,
        Some(TrapCode::StackOverflow) => InstructionResult::CallTooDeep,
        Some(TrapCode::GrowthOperationLimited) => InstructionResult::OutOfGas,
        _ => match error.downcast_ref::<Escape>() {
            Some(Escape::OutOfInk) => InstructionResult::OutOfGas,
            _ => InstructionResult::Revert,
        },
    }
}

/// Reads the frame data of a Stylus frame created by `make_call_frame`.
pub fn is_call_frame(eth: &EthFrame) -> bool {
    matches!(eth.data, FrameData::Call(_))
}

/// A call a native frame (Stylus program or StylusDeployer) wants to make.
#[derive(Debug, Clone)]
pub struct CallSpec {
    /// `msg.sender` of the callee.
    pub caller: Address,
    /// Account whose code runs.
    pub target: Address,
    /// Acting address (differs from `target` for delegate calls).
    pub target_address: Address,
    /// Value transferred or apparent.
    pub value: CallValue,
    /// Call scheme.
    pub scheme: CallScheme,
    /// Static context.
    pub is_static: bool,
    /// Calldata.
    pub input: Bytes,
    /// Gas the caller asked to forward.
    pub requested_gas: u64,
}

/// Charges the caller for a call with Nitro's rule (`100` + account access + value costs, then
/// at most 63/64 of the rest, plus the stipend when value moves) and builds revm's
/// `CallInputs`. `None` when the base cost is unaffordable (all gas is then charged).
///
/// # Errors
/// Database failures.
pub fn prepare_call<DB: Database>(
    ctx: &mut ArbContext<DB>,
    gas: &mut Gas,
    call: CallSpec,
) -> Result<Option<CallInputs>, FrameError<DB>> {
    let transfers = call.value.transfer().is_some_and(|v| !v.is_zero());
    let params = ctx.cfg().gas_params().clone();
    let gas_left = gas.remaining();
    let spec = ctx.cfg().spec();
    let loaded = load_account_delegated(ctx, *spec, gas_left, call.target, transfers, transfers);
    let (access, _state_gas, bytecode, code_hash) = match loaded {
        Ok(loaded) => loaded,
        Err(revm::context_interface::host::LoadError::DBError) => {
            let error = std::mem::replace(ctx.error(), Ok(())).err();
            return Err(error.unwrap_or_else(|| ContextError::Custom("database error".into())));
        }
        Err(_) => (u64::MAX, 0, Default::default(), B256::ZERO),
    };
    let mut base = 100u64.saturating_add(access);
    if transfers {
        base = base.saturating_add(params.transfer_value_cost());
    }
    if base > gas_left {
        gas.spend_all();
        return Ok(None);
    }
    let available = gas_left - base;
    let given = (available - available / 64).min(call.requested_gas);
    // `base + given` is at most what is left, so this cannot fail.
    let _ = gas.record_regular_cost(base + given);
    let limit = if transfers {
        given + params.call_stipend()
    } else {
        given
    };
    Ok(Some(CallInputs {
        input: CallInput::Bytes(call.input),
        return_memory_offset: 0..0,
        gas_limit: limit,
        reservoir: gas.reservoir(),
        bytecode_address: call.target,
        known_bytecode: (code_hash, bytecode),
        target_address: call.target_address,
        caller: call.caller,
        value: call.value,
        scheme: call.scheme,
        is_static: call.is_static,
        charged_new_account_state_gas: false,
    }))
}
