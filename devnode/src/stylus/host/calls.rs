//! Calls and creates: `call_contract`, `delegate_call_contract`, `static_call_contract`,
//! `create1`, `create2`, and the return data they leave behind.
//!
//! Calls and creates yield to the EVM frame, which runs them as ordinary revm frames; the return
//! data of the last one is kept in the frame's state for `read_return_data`.

use revm::primitives::{Bytes, U256};
use wasmi::Linker;

use super::{
    support::{
        buy_ink, failure, hook, hooks, ptr, read_address, read_bytes, read_u256, write_bytes,
        yield_request, Ctx, HostResult,
    },
    CallKind, HostState, Request,
};
use crate::stylus::ink::{self, HOSTIO_INK};

/// Links the call, create and return-data host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hooks!(
        linker,
        "vm_hooks",
        [
            call_contract,
            create1,
            create2,
            read_return_data,
            return_data_size
        ]
    );
    hook(
        linker,
        "vm_hooks",
        "delegate_call_contract",
        valueless_call::<false>,
    );
    hook(
        linker,
        "vm_hooks",
        "static_call_contract",
        valueless_call::<true>,
    );
}

/// Charges a call, reads its target, calldata and value (none for delegate and static calls),
/// and yields it to the EVM. `pointers` are the target, the calldata and its length, and where
/// the return-data length goes.
fn call(
    c: &mut Ctx<'_>,
    kind: CallKind,
    pointers: [i32; 4],
    value: Option<i32>,
    gas: i64,
) -> HostResult<i32> {
    let [contract, data, len, ret_len] = pointers;
    let base = ink::HOSTIO_INK + 3 * ink::PTR_INK + ink::EVM_API_INK;
    buy_ink(c, base + ink::read_price(u64::from(ptr(len))))?;
    let target = read_address(c, ptr(contract))?;
    let input = Bytes::from(read_bytes(c, ptr(data), ptr(len))?);
    let value = match value {
        Some(p) => read_u256(c, p)?,
        None => U256::ZERO,
    };
    Err(yield_request(
        c,
        Request::Call {
            kind,
            target,
            input,
            value,
            gas: gas as u64,
            return_len_ptr: ptr(ret_len),
        },
    ))
}

fn call_contract(
    mut c: Ctx<'_>,
    contract: i32,
    data: i32,
    len: i32,
    value: i32,
    gas: i64,
    ret_len: i32,
) -> HostResult<i32> {
    let pointers = [contract, data, len, ret_len];
    call(&mut c, CallKind::Call, pointers, Some(value), gas)
}

/// `delegate_call_contract` (`STATIC` false) and `static_call_contract` (`STATIC` true): calls
/// that send no value.
fn valueless_call<const STATIC: bool>(
    mut c: Ctx<'_>,
    contract: i32,
    data: i32,
    len: i32,
    gas: i64,
    ret_len: i32,
) -> HostResult<i32> {
    let kind = if STATIC {
        CallKind::StaticCall
    } else {
        CallKind::DelegateCall
    };
    call(&mut c, kind, [contract, data, len, ret_len], None, gas)
}

/// Charges a create, reads its init code, endowment and salt, and yields it to the EVM.
fn create(
    c: &mut Ctx<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: Option<i32>,
    contract: i32,
    ret_len: i32,
) -> HostResult<()> {
    let base = match salt {
        None => ink::HOSTIO_INK + 3 * ink::PTR_INK + ink::EVM_API_INK,
        Some(_) => ink::HOSTIO_INK + 4 * ink::PTR_INK + ink::EVM_API_INK,
    };
    buy_ink(c, base + ink::read_price(u64::from(ptr(len))))?;
    if c.data().is_static {
        return Err(failure("write protection: create in a static call"));
    }
    let code = Bytes::from(read_bytes(c, ptr(code), ptr(len))?);
    let endowment = read_u256(c, endowment)?;
    let salt = match salt {
        Some(p) => Some(read_u256(c, p)?),
        None => None,
    };
    Err(yield_request(
        c,
        Request::Create {
            code,
            endowment,
            salt,
            contract_ptr: ptr(contract),
            return_len_ptr: ptr(ret_len),
        },
    ))
}

fn create1(
    mut c: Ctx<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    contract: i32,
    ret_len: i32,
) -> HostResult<()> {
    create(&mut c, code, len, endowment, None, contract, ret_len)
}

fn create2(
    mut c: Ctx<'_>,
    code: i32,
    len: i32,
    endowment: i32,
    salt: i32,
    contract: i32,
    ret_len: i32,
) -> HostResult<()> {
    create(&mut c, code, len, endowment, Some(salt), contract, ret_len)
}

fn read_return_data(mut c: Ctx<'_>, dest: i32, offset: i32, size: i32) -> HostResult<i32> {
    let data = c.data().return_data.clone();
    let start = (ptr(offset) as usize).min(data.len());
    let end = start.saturating_add(ptr(size) as usize).min(data.len());
    let slice = &data[start..end];
    buy_ink(
        &mut c,
        HOSTIO_INK + ink::EVM_API_INK + ink::write_price(slice.len() as u64),
    )?;
    write_bytes(&mut c, ptr(dest), slice)?;
    Ok(slice.len() as i32)
}

fn return_data_size(mut c: Ctx<'_>) -> HostResult<i32> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok(c.data().return_data.len() as i32)
}
