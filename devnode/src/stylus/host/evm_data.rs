//! EVM and transaction data: accounts (balance, code, code hash), the ink and gas left, block,
//! message and transaction fields.
//!
//! Block, message and transaction data are fixed for a frame and served from its state; account
//! queries yield to the EVM frame, which charges the account access (cold or warm).

use revm::primitives::Address;
use wasmi::Linker;

use super::{
    support::{
        buy_ink, hooks, ink_ready, ptr, read_address, require_gas, write_bytes, yield_request, Ctx,
        HostResult,
    },
    HostState, Request,
};
use crate::stylus::ink::{self, HOSTIO_INK, PTR_INK};

/// EIP-2929 cold account access: what an account query must have left before it yields.
const COLD_ACCOUNT_ACCESS_GAS: u64 = 2_600;

/// Links the account, ink, block, message and transaction host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hooks!(
        linker,
        "vm_hooks",
        [
            account_balance,
            account_code,
            account_code_size,
            account_codehash,
            evm_gas_left,
            evm_ink_left,
            block_basefee,
            chainid,
            block_coinbase,
            block_gas_limit,
            block_number,
            block_timestamp,
            contract_address,
            msg_reentrant,
            msg_sender,
            msg_value,
            tx_gas_price,
            tx_ink_price,
            tx_origin
        ]
    );
}

/// Charges an account query taking `pointers` pointers, reads the account at `address` and
/// yields `query(account)` to the EVM frame.
fn account_query<T>(
    c: &mut Ctx<'_>,
    address: i32,
    pointers: u64,
    query: impl FnOnce(Address) -> Request,
) -> HostResult<T> {
    buy_ink(c, HOSTIO_INK + pointers * PTR_INK + ink::EVM_API_INK)?;
    require_gas(c, COLD_ACCOUNT_ACCESS_GAS)?;
    let address = read_address(c, ptr(address))?;
    Err(yield_request(c, query(address)))
}

/// Charges a host-io without pointers and returns `field` of the frame's state.
fn scalar<T>(c: &mut Ctx<'_>, field: impl FnOnce(&HostState) -> T) -> HostResult<T> {
    buy_ink(c, HOSTIO_INK)?;
    Ok(field(c.data()))
}

/// Charges a one-pointer host-io and writes `field` of the frame's state (an address, or a word
/// as 32 big-endian bytes) at `dest`.
fn write_field<V: AsRef<[u8]>>(
    c: &mut Ctx<'_>,
    dest: i32,
    field: impl FnOnce(&HostState) -> V,
) -> HostResult<()> {
    buy_ink(c, HOSTIO_INK + PTR_INK)?;
    let value = field(c.data());
    write_bytes(c, ptr(dest), value.as_ref())
}

fn account_balance(mut c: Ctx<'_>, address: i32, dest: i32) -> HostResult<()> {
    account_query(&mut c, address, 2, |address| Request::Balance {
        address,
        dest: ptr(dest),
    })
}

fn account_code(
    mut c: Ctx<'_>,
    address: i32,
    offset: i32,
    size: i32,
    dest: i32,
) -> HostResult<i32> {
    account_query(&mut c, address, 1, |address| Request::Code {
        address,
        offset: ptr(offset),
        size: ptr(size),
        dest: Some(ptr(dest)),
    })
}

fn account_code_size(mut c: Ctx<'_>, address: i32) -> HostResult<i32> {
    account_query(&mut c, address, 1, |address| Request::Code {
        address,
        offset: 0,
        size: 0,
        dest: None,
    })
}

fn account_codehash(mut c: Ctx<'_>, address: i32, dest: i32) -> HostResult<()> {
    account_query(&mut c, address, 2, |address| Request::CodeHash {
        address,
        dest: ptr(dest),
    })
}

fn evm_gas_left(mut c: Ctx<'_>) -> HostResult<i64> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok((ink_ready(&c)? / ink::INK_PRICE) as i64)
}

fn evm_ink_left(mut c: Ctx<'_>) -> HostResult<i64> {
    buy_ink(&mut c, HOSTIO_INK)?;
    Ok(ink_ready(&c)? as i64)
}

fn block_basefee(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.evm.basefee.to_be_bytes::<32>())
}

fn chainid(mut c: Ctx<'_>) -> HostResult<i64> {
    scalar(&mut c, |s| s.evm.chain_id as i64)
}

fn block_coinbase(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.evm.coinbase)
}

fn block_gas_limit(mut c: Ctx<'_>) -> HostResult<i64> {
    scalar(&mut c, |s| s.evm.gas_limit as i64)
}

fn block_number(mut c: Ctx<'_>) -> HostResult<i64> {
    scalar(&mut c, |s| s.evm.block_number as i64)
}

fn block_timestamp(mut c: Ctx<'_>) -> HostResult<i64> {
    scalar(&mut c, |s| s.evm.timestamp as i64)
}

fn contract_address(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.contract)
}

fn msg_reentrant(mut c: Ctx<'_>) -> HostResult<i32> {
    scalar(&mut c, |s| i32::from(s.reentrant))
}

fn msg_sender(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.sender)
}

fn msg_value(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.value.to_be_bytes::<32>())
}

fn tx_gas_price(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.evm.gas_price.to_be_bytes::<32>())
}

fn tx_ink_price(mut c: Ctx<'_>) -> HostResult<i32> {
    scalar(&mut c, |_| ink::INK_PRICE as i32)
}

fn tx_origin(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    write_field(&mut c, dest, |s| s.evm.origin)
}
