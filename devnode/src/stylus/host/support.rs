//! What every host function family shares: registration, ink and gas charging (Nitro's
//! `ink_ready`, `buy_ink`, `require_gas`), reads and writes of the program's memory, and the
//! errors that stop the program.

use revm::primitives::{Address, B256, U256};
use wasmi::{Caller, IntoFunc, Linker, Memory};

use super::{Escape, HostState, Request};
use crate::stylus::{ink, meter::InkMeter};

/// The context a host function gets: the program's store.
pub(super) type Ctx<'a> = Caller<'a, HostState>;
/// A host function's outcome; an error stops the program (see [`Escape`]).
pub(super) type HostResult<T> = Result<T, wasmi::Error>;

/// Links host function `f` as `module`.`name`.
pub(super) fn hook<Params, Results>(
    linker: &mut Linker<HostState>,
    module: &str,
    name: &str,
    f: impl IntoFunc<HostState, Params, Results>,
) {
    linker
        .func_wrap(module, name, f)
        .expect("host function registered once");
}

/// Links each listed function under its own name in `module`:
/// `hooks!(linker, "vm_hooks", [read_args, write_result])`.
macro_rules! hooks {
    ($linker:expr, $module:literal, [$($name:ident),+ $(,)?]) => {
        $($crate::stylus::host::support::hook($linker, $module, stringify!($name), $name);)+
    };
}
pub(super) use hooks;

/// The error that stops the program with `e`.
pub(super) fn escape(e: Escape) -> wasmi::Error {
    wasmi::Error::host(e)
}

/// Stops the program as a failed host-io.
pub(super) fn failure(reason: impl Into<String>) -> wasmi::Error {
    escape(Escape::Failure(reason.into()))
}

/// The program's ink meter.
fn meter(caller: &Ctx<'_>) -> HostResult<InkMeter> {
    caller
        .data()
        .meter
        .ok_or_else(|| failure("program ink meter missing"))
}

/// The ink left, failing with out-of-ink once the program has run out (Nitro `ink_ready`).
pub(super) fn ink_ready(caller: &Ctx<'_>) -> HostResult<u64> {
    meter(caller)?
        .ink_left(caller)
        .ok_or_else(|| escape(Escape::OutOfInk))
}

/// Marks the program out of ink and returns the error that stops it.
pub(super) fn out_of_ink(caller: &mut Ctx<'_>) -> wasmi::Error {
    if let Some(meter) = caller.data().meter {
        meter.exhaust(caller);
    }
    escape(Escape::OutOfInk)
}

/// Takes `ink` from the program's ink meter, failing with out-of-ink when there is not enough.
pub fn buy_ink(caller: &mut Ctx<'_>, ink: u64) -> HostResult<()> {
    let meter = meter(caller)?;
    let left = ink_ready(caller)?;
    match left.checked_sub(ink) {
        Some(left) => {
            meter.set_ink(caller, left);
            Ok(())
        }
        None => Err(out_of_ink(caller)),
    }
}

/// Requires that at least `gas` is left without spending it (Nitro `require_gas`).
pub(super) fn require_gas(caller: &mut Ctx<'_>, gas: u64) -> HostResult<()> {
    if ink_ready(caller)? < gas.saturating_mul(ink::INK_PRICE) {
        return Err(out_of_ink(caller));
    }
    Ok(())
}

/// Takes `gas` from the program.
pub(super) fn buy_gas(caller: &mut Ctx<'_>, gas: u64) -> HostResult<()> {
    buy_ink(caller, gas.saturating_mul(ink::INK_PRICE))
}

/// The program's linear memory.
fn memory(caller: &Ctx<'_>) -> HostResult<Memory> {
    caller
        .data()
        .memory
        .ok_or_else(|| failure("program memory missing"))
}

/// Reads `len` bytes at `ptr` from the program's memory.
pub fn read_bytes(caller: &Ctx<'_>, ptr: u32, len: u32) -> HostResult<Vec<u8>> {
    let mut buf = vec![0u8; len as usize];
    memory(caller)?
        .read(caller, ptr as usize, &mut buf)
        .map_err(|_| failure("out-of-bounds memory read"))?;
    Ok(buf)
}

/// Reads a 32-byte word at `ptr`.
pub(super) fn read_word(caller: &Ctx<'_>, ptr: u32) -> HostResult<B256> {
    Ok(B256::from_slice(&read_bytes(caller, ptr, 32)?))
}

/// Reads a 20-byte address at `ptr`.
pub(super) fn read_address(caller: &Ctx<'_>, ptr: u32) -> HostResult<Address> {
    Ok(Address::from_slice(&read_bytes(caller, ptr, 20)?))
}

/// Writes `data` at `ptr` into the program's memory.
pub fn write_bytes(caller: &mut Ctx<'_>, ptr: u32, data: &[u8]) -> HostResult<()> {
    let memory = memory(caller)?;
    memory
        .write(caller, ptr as usize, data)
        .map_err(|_| failure("out-of-bounds memory write"))
}

/// A wasm `i32` argument as the pointer or length it is.
pub(super) fn ptr(value: i32) -> u32 {
    value as u32
}

/// Stores `request` for the EVM frame and returns the error that yields to it.
pub(super) fn yield_request(caller: &mut Ctx<'_>, request: Request) -> wasmi::Error {
    caller.data_mut().request = Some(request);
    escape(Escape::Yield)
}

/// Writes a U256 as 32 big-endian bytes.
pub(super) fn write_u256(caller: &mut Ctx<'_>, dest: i32, value: U256) -> HostResult<()> {
    write_bytes(caller, ptr(dest), &value.to_be_bytes::<32>())
}

/// Reads a U256 stored as 32 big-endian bytes.
pub(super) fn read_u256(caller: &Ctx<'_>, p: i32) -> HostResult<U256> {
    Ok(U256::from_be_bytes(read_word(caller, ptr(p))?.0))
}
