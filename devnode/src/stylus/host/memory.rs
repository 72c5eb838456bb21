//! Calldata, result and memory: `read_args`, `write_result`, `exit_early` and
//! `pay_for_memory_grow`, which the instrumentation calls before every `memory.grow`.

use wasmi::Linker;

use super::{
    support::{
        buy_gas, buy_ink, escape, hooks, out_of_ink, ptr, read_bytes, write_bytes, Ctx, HostResult,
    },
    Escape, HostState,
};
use crate::stylus::ink::{self, HOSTIO_INK};

/// Links the calldata, result, exit and memory-growth host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hooks!(
        linker,
        "vm_hooks",
        [read_args, write_result, exit_early, pay_for_memory_grow]
    );
}

fn read_args(mut c: Ctx<'_>, dest: i32) -> HostResult<()> {
    let args = c.data().args.clone();
    buy_ink(&mut c, HOSTIO_INK + ink::write_price(args.len() as u64))?;
    write_bytes(&mut c, ptr(dest), &args)
}

fn write_result(mut c: Ctx<'_>, data: i32, len: i32) -> HostResult<()> {
    buy_ink(
        &mut c,
        HOSTIO_INK + 2 * ink::read_price(u64::from(ptr(len))),
    )?;
    let bytes = read_bytes(&c, ptr(data), ptr(len))?;
    c.data_mut().output = bytes;
    Ok(())
}

fn exit_early(_c: Ctx<'_>, status: i32) -> HostResult<()> {
    Err(escape(Escape::Exit(ptr(status))))
}

/// Pays for `pages` new wasm pages under the transaction's memory model (Nitro's heap bound).
fn pay_for_memory_grow(mut c: Ctx<'_>, pages: i32) -> HostResult<()> {
    let pages = ptr(pages);
    if pages == 0 {
        return buy_ink(&mut c, HOSTIO_INK);
    }
    let pages = u16::try_from(pages).unwrap_or(u16::MAX);
    let gas = c.data().pages.gas_cost(pages);
    if gas == u64::MAX {
        return Err(out_of_ink(&mut c));
    }
    buy_gas(&mut c, gas)?;
    c.data_mut().pages.open_pages(pages);
    Ok(())
}
