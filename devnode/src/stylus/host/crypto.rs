//! Crypto and math: `native_keccak256` and the 256-bit `math_*` operations, which work in place
//! (the result overwrites the first operand).

use revm::primitives::{keccak256, U256};
use wasmi::Linker;

use super::{
    support::{
        buy_ink, hooks, ptr, read_bytes, read_u256, write_bytes, write_u256, Ctx, HostResult,
    },
    HostState,
};
use crate::stylus::ink::{self, HOSTIO_INK, PTR_INK};

/// Links the keccak and math host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hooks!(
        linker,
        "vm_hooks",
        [
            native_keccak256,
            math_div,
            math_mod,
            math_pow,
            math_add_mod,
            math_mul_mod
        ]
    );
}

fn native_keccak256(mut c: Ctx<'_>, data: i32, len: i32, out: i32) -> HostResult<()> {
    buy_ink(&mut c, ink::keccak_price(u64::from(ptr(len))))?;
    let bytes = read_bytes(&c, ptr(data), ptr(len))?;
    write_bytes(&mut c, ptr(out), keccak256(bytes).as_slice())
}

/// Charges `ink`, then stores `f(a, b)` at `a`.
fn math2(
    c: &mut Ctx<'_>,
    a: i32,
    b: i32,
    ink: u64,
    f: impl FnOnce(U256, U256) -> U256,
) -> HostResult<()> {
    buy_ink(c, ink)?;
    let (x, y) = (read_u256(c, a)?, read_u256(c, b)?);
    write_u256(c, a, f(x, y))
}

/// Charges `ink`, then stores `f(a, b, m)` at `a`.
fn math3(
    c: &mut Ctx<'_>,
    a: i32,
    b: i32,
    m: i32,
    ink: u64,
    f: impl FnOnce(U256, U256, U256) -> U256,
) -> HostResult<()> {
    buy_ink(c, ink)?;
    let (x, y, z) = (read_u256(c, a)?, read_u256(c, b)?, read_u256(c, m)?);
    write_u256(c, a, f(x, y, z))
}

fn math_div(mut c: Ctx<'_>, a: i32, b: i32) -> HostResult<()> {
    math2(
        &mut c,
        a,
        b,
        HOSTIO_INK + 3 * PTR_INK + ink::DIV_INK,
        |x, y| x.checked_div(y).unwrap_or_default(),
    )
}

fn math_mod(mut c: Ctx<'_>, a: i32, b: i32) -> HostResult<()> {
    math2(
        &mut c,
        a,
        b,
        HOSTIO_INK + 3 * PTR_INK + ink::DIV_INK,
        |x, y| x.checked_rem(y).unwrap_or_default(),
    )
}

fn math_pow(mut c: Ctx<'_>, a: i32, b: i32) -> HostResult<()> {
    let exponent = read_u256(&c, b)?;
    let zeros = u64::from(exponent.leading_zeros() as u32 / 8);
    math2(
        &mut c,
        a,
        b,
        HOSTIO_INK + 3 * PTR_INK + ink::pow_price(zeros),
        |x, y| x.pow(y),
    )
}

fn math_add_mod(mut c: Ctx<'_>, a: i32, b: i32, m: i32) -> HostResult<()> {
    math3(
        &mut c,
        a,
        b,
        m,
        HOSTIO_INK + 4 * PTR_INK + ink::ADD_MOD_INK,
        |x, y, z| x.add_mod(y, z),
    )
}

fn math_mul_mod(mut c: Ctx<'_>, a: i32, b: i32, m: i32) -> HostResult<()> {
    math3(
        &mut c,
        a,
        b,
        m,
        HOSTIO_INK + 4 * PTR_INK + ink::MUL_MOD_INK,
        |x, y, z| x.mul_mod(y, z),
    )
}
