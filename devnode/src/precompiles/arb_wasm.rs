//! ArbWasm (0x71): Stylus program activation, keepalive and parameters (Nitro
//! `precompiles/ArbWasm.go`, `arbos/programs/programs.go`, `data_pricer.go`).

use alloy_sol_types::{SolCall, SolError, SolEvent};
use revm::{
    context_interface::{Block, ContextTr, JournalTr, LocalContextTr},
    interpreter::{CallInputs, Gas, InstructionResult, InterpreterResult},
    primitives::{keccak256, Address, Bytes, Log, B256, U256},
    Database,
};

use super::abi::ArbWasm;
use crate::{
    evm::ChainSpec,
    stylus::{
        activation, code, ink, meter,
        program::{self, ArbContext, ProgramRecord, ProgramStatus, STYLUS_VERSION},
    },
};

/// Fixed gas of an activation (Nitro: 1,659,168 plus the compile charge).
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;
/// Gas of an ArbOS storage read, charged by view methods.
pub(super) const STORAGE_READ_GAS: u64 = 800;
/// Gas of an ArbOS storage write.
pub(super) const STORAGE_WRITE_GAS: u64 = 20_000;

/// Data pricer: bytes of demand forgiven per second.
const BYTES_PER_SECOND: u64 = 34_865;
/// Data pricer: minimum price per byte (wei).
const MIN_PRICE: u64 = 82_928_201;
/// Data pricer: inertia.
const INERTIA: u64 = 21_360_419;

/// Nitro's `ApproxExpBasisPoints`: e^(value/10000) in basis points by a Horner-evaluated Taylor
/// series of `accuracy` terms.
pub fn approx_exp_basis_points(value: u64, accuracy: u64) -> u64 {
    const BIPS: u64 = 10_000;
    let mut result = BIPS + value / accuracy;
    for i in 1..accuracy {
        result = BIPS + result.saturating_mul(value) / ((accuracy - i) * BIPS);
    }
    result
}

/// Updates the data pricer with `bytes` of new demand at time `now` and returns the fee in wei.
fn data_fee<DB: Database>(
    ctx: &mut ArbContext<DB>,
    bytes: u64,
    now: u64,
) -> Result<U256, DB::Error> {
    let demand_slot = program::param_slot("data_pricer.demand");
    let last_slot = program::param_slot("data_pricer.last_update");
    let demand: u64 = program::load_word(ctx, demand_slot)?.saturating_to();
    let last = match program::load_word(ctx, last_slot)?.saturating_to::<u64>() {
        0 => program::ARBITRUM_START_TIME,
        last => last,
    };
    let credit = BYTES_PER_SECOND.saturating_mul(now.saturating_sub(last));
    let demand = demand.saturating_sub(credit).saturating_add(bytes);
    program::store_word(ctx, demand_slot, U256::from(demand))?;
    program::store_word(ctx, last_slot, U256::from(now.max(last)))?;
    let exponent = 10_000u64.saturating_mul(demand) / INERTIA;
    let multiplier = approx_exp_basis_points(exponent, 12);
    let per_byte = U256::from(MIN_PRICE) * U256::from(multiplier) / U256::from(10_000);
    Ok(per_byte * U256::from(bytes))
}

/// The ABI error for a program that cannot run.
pub fn status_error(status: ProgramStatus) -> Bytes {
    let data = match status {
        ProgramStatus::Active(_) => Vec::new(),
        ProgramStatus::NotActivated => ArbWasm::ProgramNotActivated {}.abi_encode(),
        ProgramStatus::NeedsUpgrade(version) => ArbWasm::ProgramNeedsUpgrade {
            version,
            stylusVersion: STYLUS_VERSION,
        }
        .abi_encode(),
        ProgramStatus::Expired(age) => ArbWasm::ProgramExpired { ageInSeconds: age }.abi_encode(),
    };
    Bytes::from(data)
}

/// Outcome of a precompile method before it becomes an `InterpreterResult`.
pub(super) enum Outcome {
    Return(Vec<u8>),
    Revert(Vec<u8>),
    /// Non-revert failure: all gas is consumed.
    Fail(String),
}

/// The 4-byte selector of `data`, if it has one.
pub(super) fn selector(data: &[u8]) -> Option<[u8; 4]> {
    data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok())
}

/// Decodes the calldata `$data` of the method `$call`, or returns from the calling method with
/// the failure Nitro gives malformed calldata (all gas consumed).
macro_rules! decode_call {
    ($call:ty, $data:expr) => {
        match <$call as ::alloy_sol_types::SolCall>::abi_decode($data) {
            Ok(call) => call,
            Err(_) => return Ok(Outcome::Fail("bad calldata".into())),
        }
    };
}
pub(super) use decode_call;

/// Runs an ArbWasm call.
///
/// # Errors
/// Database failures, as strings (revm's precompile error channel).
pub fn run<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    serve(ctx, inputs, |ctx, data, gas| {
        dispatch(ctx, spec, inputs, data, gas)
    })
}

/// The start of a non-payable precompile method that reads storage: refuses call value and
/// charges one storage read; `Some` with the failure when either fails.
pub(super) fn non_payable_read(inputs: &CallInputs, gas: &mut Gas) -> Option<Outcome> {
    if !inputs.value.get().is_zero() {
        return Some(Outcome::Fail("method is not payable".into()));
    }
    if !gas.record_regular_cost(STORAGE_READ_GAS) {
        return Some(Outcome::Fail("out of gas".into()));
    }
    None
}

/// Runs one call of an ArbOS precompile: charges 3 gas per calldata word, runs `method` on the
/// calldata and turns its [`Outcome`] into the frame's result (a failure consumes all gas and
/// leaves its reason as the precompile error context).
pub(super) fn serve<DB: Database>(
    ctx: &mut ArbContext<DB>,
    inputs: &CallInputs,
    method: impl FnOnce(&mut ArbContext<DB>, &[u8], &mut Gas) -> Result<Outcome, DB::Error>,
) -> Result<InterpreterResult, String> {
    let data = inputs.input.bytes(ctx);
    let mut gas = Gas::new(inputs.gas_limit);
    let words = (data.len() as u64).div_ceil(32);
    let finish = |mut gas: Gas, outcome: Outcome| match outcome {
        Outcome::Return(out) => InterpreterResult::new(InstructionResult::Return, out.into(), gas),
        Outcome::Revert(out) => InterpreterResult::new(InstructionResult::Revert, out.into(), gas),
        Outcome::Fail(_) => {
            gas.spend_all();
            InterpreterResult::new(InstructionResult::PrecompileError, Bytes::new(), gas)
        }
    };
    if !gas.record_regular_cost(3 * words) {
        return Ok(finish(gas, Outcome::Fail("out of gas".into())));
    }
    let outcome = method(ctx, &data, &mut gas).map_err(|e| e.to_string())?;
    if let Outcome::Fail(reason) = &outcome {
        ctx.local_mut().set_precompile_error_context(reason.clone());
    }
    Ok(finish(gas, outcome))
}

fn dispatch<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
    data: &[u8],
    gas: &mut Gas,
) -> Result<Outcome, DB::Error> {
    let Some(selector) = selector(data) else {
        return Ok(Outcome::Fail("missing selector".into()));
    };
    let value = inputs.value.get();
    let payable = selector == ArbWasm::activateProgramCall::SELECTOR
        || selector == ArbWasm::codehashKeepaliveCall::SELECTOR;
    if !payable && !value.is_zero() {
        return Ok(Outcome::Fail("method is not payable".into()));
    }
    let now = ctx.block().timestamp().saturating_to::<u64>();
    macro_rules! view {
        ($call:ty, $ret:expr) => {{
            if !gas.record_regular_cost(STORAGE_READ_GAS) {
                return Ok(Outcome::Fail("out of gas".into()));
            }
            Outcome::Return(<$call>::abi_encode_returns(&$ret))
        }};
    }
    macro_rules! decode {
        ($call:ty) => {
            decode_call!($call, data)
        };
    }
    // Looks up an active program record or returns the revert for its status.
    macro_rules! active {
        ($hash:expr) => {{
            let record = program::load_record(ctx, $hash)?;
            match record.status(now) {
                ProgramStatus::Active(record) => record,
                status => return Ok(Outcome::Revert(status_error(status).to_vec())),
            }
        }};
    }
    let outcome = match selector {
        ArbWasm::activateProgramCall::SELECTOR => {
            let call = decode!(ArbWasm::activateProgramCall);
            activate(ctx, spec, inputs, call.program, gas, now)?
        }
        ArbWasm::stylusVersionCall::SELECTOR => view!(ArbWasm::stylusVersionCall, STYLUS_VERSION),
        ArbWasm::inkPriceCall::SELECTOR => view!(ArbWasm::inkPriceCall, ink::INK_PRICE as u32),
        ArbWasm::maxStackDepthCall::SELECTOR => {
            let depth: u32 = if spec.arbos_version >= 50 {
                22_000
            } else {
                262_144
            };
            view!(ArbWasm::maxStackDepthCall, depth)
        }
        ArbWasm::freePagesCall::SELECTOR => view!(ArbWasm::freePagesCall, ink::FREE_PAGES),
        ArbWasm::pageGasCall::SELECTOR => view!(ArbWasm::pageGasCall, ink::PAGE_GAS as u16),
        ArbWasm::pageRampCall::SELECTOR => view!(ArbWasm::pageRampCall, ink::PAGE_RAMP),
        ArbWasm::pageLimitCall::SELECTOR => view!(ArbWasm::pageLimitCall, ink::PAGE_LIMIT),
        ArbWasm::minInitGasCall::SELECTOR => view!(
            ArbWasm::minInitGasCall,
            ArbWasm::minInitGasReturn {
                gas: program::MIN_INIT_GAS * 128,
                cached: program::MIN_CACHED_INIT_GAS * 32,
            }
        ),
        ArbWasm::initCostScalarCall::SELECTOR => {
            view!(ArbWasm::initCostScalarCall, program::INIT_COST_SCALAR * 2)
        }
        ArbWasm::expiryDaysCall::SELECTOR => view!(ArbWasm::expiryDaysCall, program::EXPIRY_DAYS),
        ArbWasm::keepaliveDaysCall::SELECTOR => {
            view!(ArbWasm::keepaliveDaysCall, program::KEEPALIVE_DAYS)
        }
        ArbWasm::blockCacheSizeCall::SELECTOR => view!(ArbWasm::blockCacheSizeCall, 32u16),
        ArbWasm::activationGasCall::SELECTOR if spec.arbos_version >= 60 => {
            view!(ArbWasm::activationGasCall, 0u64)
        }
        ArbWasm::codehashVersionCall::SELECTOR => {
            let call = decode!(ArbWasm::codehashVersionCall);
            let record = active!(call.codehash);
            view!(ArbWasm::codehashVersionCall, record.version)
        }
        ArbWasm::codehashAsmSizeCall::SELECTOR => {
            let call = decode!(ArbWasm::codehashAsmSizeCall);
            let record = active!(call.codehash);
            view!(
                ArbWasm::codehashAsmSizeCall,
                record.asm_kb.saturating_mul(1024)
            )
        }
        ArbWasm::programVersionCall::SELECTOR
        | ArbWasm::programInitGasCall::SELECTOR
        | ArbWasm::programMemoryFootprintCall::SELECTOR
        | ArbWasm::programTimeLeftCall::SELECTOR => {
            // All four take one address: decode it past the selector (a full decode would
            // check the selector against `programVersion`'s and refuse the other three).
            let program = match ArbWasm::programVersionCall::abi_decode_raw(&data[4..]) {
                Ok(call) => call.program,
                Err(_) => return Ok(Outcome::Fail("bad calldata".into())),
            };
            let hash = ctx.journal_mut().code_hash(program)?.data;
            let record = active!(hash);
            match selector {
                ArbWasm::programVersionCall::SELECTOR => {
                    view!(ArbWasm::programVersionCall, record.version)
                }
                ArbWasm::programInitGasCall::SELECTOR => {
                    let cached = ProgramRecord {
                        cached: true,
                        ..record
                    }
                    .entry_gas();
                    view!(
                        ArbWasm::programInitGasCall,
                        ArbWasm::programInitGasReturn {
                            gas: ProgramRecord {
                                cached: false,
                                ..record
                            }
                            .entry_gas(),
                            gasWhenCached: cached
                        }
                    )
                }
                ArbWasm::programMemoryFootprintCall::SELECTOR => {
                    view!(ArbWasm::programMemoryFootprintCall, record.footprint)
                }
                _ => {
                    let left =
                        (u64::from(program::EXPIRY_DAYS) * 86_400).saturating_sub(record.age(now));
                    view!(ArbWasm::programTimeLeftCall, left)
                }
            }
        }
        ArbWasm::codehashKeepaliveCall::SELECTOR => {
            let call = decode!(ArbWasm::codehashKeepaliveCall);
            let record = active!(call.codehash);
            let age = record.age(now);
            if age < u64::from(program::KEEPALIVE_DAYS) * 86_400 {
                let error = ArbWasm::ProgramKeepaliveTooSoon { ageInSeconds: age };
                return Ok(Outcome::Revert(error.abi_encode()));
            }
            let fee = data_fee(ctx, u64::from(record.asm_kb) * 1024, now)?;
            if let Some(revert) = settle_fee(ctx, spec, inputs, fee)? {
                return Ok(revert);
            }
            let renewed = ProgramRecord {
                activated_at: program::hours_since_start(now),
                ..record
            };
            program::store_record(ctx, call.codehash, &renewed)?;
            let event = ArbWasm::ProgramLifetimeExtended {
                codehash: call.codehash,
                dataFee: fee,
            };
            ctx.journal_mut().log(Log {
                address: inputs.target_address,
                data: event.encode_log_data(),
            });
            if !gas.record_regular_cost(2 * STORAGE_READ_GAS + STORAGE_WRITE_GAS) {
                return Ok(Outcome::Fail("out of gas".into()));
            }
            Outcome::Return(Vec::new())
        }
        _ => Outcome::Fail("unknown ArbWasm method".into()),
    };
    Ok(outcome)
}

/// Takes `fee` out of the value sent to ArbWasm, pays it to the network fee account and refunds
/// the rest to the caller. Returns the revert when the value is too small.
fn settle_fee<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
    fee: U256,
) -> Result<Option<Outcome>, DB::Error> {
    let value = inputs.value.get();
    if value < fee {
        let error = ArbWasm::ProgramInsufficientValue {
            have: value,
            want: fee,
        };
        return Ok(Some(Outcome::Revert(error.abi_encode())));
    }
    let journal = ctx.journal_mut();
    let me = inputs.target_address;
    if !fee.is_zero() {
        if let Some(error) = journal.transfer(me, spec.network_fee_account, fee)? {
            return Ok(Some(Outcome::Fail(format!(
                "fee transfer failed: {error:?}"
            ))));
        }
    }
    let excess = value - fee;
    if !excess.is_zero() {
        if let Some(error) = journal.transfer(me, inputs.caller, excess)? {
            return Ok(Some(Outcome::Fail(format!("refund failed: {error:?}"))));
        }
    }
    Ok(None)
}

/// A stand-in for Nitro's module hash (the WAVM module hash needs the prover).
pub fn module_hash(code_hash: B256) -> B256 {
    let mut preimage = b"devnode.stylus.module".to_vec();
    preimage.extend_from_slice(code_hash.as_slice());
    preimage.extend_from_slice(&STYLUS_VERSION.to_be_bytes());
    keccak256(preimage)
}

fn activate<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
    address: Address,
    gas: &mut Gas,
    now: u64,
) -> Result<Outcome, DB::Error> {
    let loaded = ctx.journal_mut().code(address)?;
    let cost = if loaded.is_cold { 2_600 } else { 100 };
    let program_code = loaded.data;
    if !gas.record_regular_cost(cost) {
        return Ok(Outcome::Fail("out of gas".into()));
    }
    if !code::is_stylus(&program_code) {
        // ArbOS < 60: a plain error (empty revert); later versions use ProgramNotWasm().
        return Ok(Outcome::Revert(if spec.arbos_version >= 60 {
            ArbWasm::ProgramNotWasm {}.abi_encode()
        } else {
            Vec::new()
        }));
    }
    let code_hash = keccak256(&program_code);
    let existing = program::load_record(ctx, code_hash)?;
    if let ProgramStatus::Active(_) = existing.status(now) {
        return Ok(Outcome::Revert(ArbWasm::ProgramUpToDate {}.abi_encode()));
    }
    let Ok(wasm) = code::decompress(&program_code) else {
        return Ok(Outcome::Revert(Vec::new()));
    };
    let stats = match activation::validate(&wasm, spec.arbos_version) {
        Ok(stats) => stats,
        Err(error) => return Ok(Outcome::Fail(format!("program activation failed: {error}"))),
    };
    // Also make sure wasmi accepts the module it will run (instrumented with the ink meter).
    let compiled = meter::instrument(&wasm).and_then(|metered| {
        wasmi::Module::new(&wasmi::Engine::new(&ink::engine_config()), &metered)
            .map_err(|e| e.to_string())
    });
    if let Err(error) = compiled {
        return Ok(Outcome::Fail(format!(
            "program activation failed: failed to parse wasm: {error}"
        )));
    }
    let activation_gas = ACTIVATION_FIXED_GAS
        .saturating_add(stats.compile_gas())
        .saturating_add(STORAGE_READ_GAS + STORAGE_WRITE_GAS);
    if !gas.record_regular_cost(activation_gas) {
        return Ok(Outcome::Fail(
            "program activation failed: out of gas".into(),
        ));
    }
    let fee = data_fee(ctx, stats.asm_estimate(), now)?;
    if let Some(revert) = settle_fee(ctx, spec, inputs, fee)? {
        return Ok(revert);
    }
    let record = ProgramRecord {
        version: STYLUS_VERSION,
        init_cost: stats.init_cost() as u16,
        cached_cost: stats.cached_init_cost() as u16,
        footprint: stats.footprint,
        activated_at: program::hours_since_start(now),
        asm_kb: stats.asm_estimate().div_ceil(1024).min(0xFF_FFFF) as u32,
        // Nitro keeps the cache flag through re-activation (an expired or outdated cached
        // program comes back cached).
        cached: existing.cached,
    };
    program::store_record(ctx, code_hash, &record)?;
    let event = ArbWasm::ProgramActivated {
        codehash: code_hash,
        moduleHash: module_hash(code_hash),
        program: address,
        dataFee: fee,
        version: STYLUS_VERSION,
    };
    ctx.journal_mut().log(Log {
        address: inputs.target_address,
        data: event.encode_log_data(),
    });
    Ok(Outcome::Return(
        ArbWasm::activateProgramCall::abi_encode_returns(&ArbWasm::activateProgramReturn {
            version: STYLUS_VERSION,
            dataFee: fee,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_nitro_fresh_chain_fee() {
        // Fresh chain, asm estimate 512000: exponent 239 -> multiplier 10241 (Nitro's numbers).
        let exponent = 10_000 * 512_000 / INERTIA;
        assert_eq!(exponent, 239);
        assert_eq!(approx_exp_basis_points(exponent, 12), 10_241);
        assert_eq!(approx_exp_basis_points(0, 12), 10_000);
        let fee = MIN_PRICE * 10_241 / 10_000 * 512_000;
        assert_eq!(fee, 43_482_506_240_000);
    }
}
