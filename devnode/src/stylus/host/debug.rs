//! Debug-chain host functions: `console.log_*` print through `tracing` (target
//! `stylus::console`) when the chain is a debug chain, `console.tee_*` return their argument, and
//! `debug.null_host` does nothing.

use core::fmt::Display;

use wasmi::Linker;

use super::{
    support::{hook, ptr, read_bytes, Ctx, HostResult},
    HostState,
};

/// Links the `console` and `debug` host functions.
pub(super) fn register(linker: &mut Linker<HostState>) {
    hook(linker, "console", "log_txt", log_txt);
    hook(linker, "console", "log_i32", log::<i32>);
    hook(linker, "console", "log_i64", log::<i64>);
    hook(linker, "console", "log_f32", log::<f32>);
    hook(linker, "console", "log_f64", log::<f64>);
    hook(linker, "console", "tee_i32", tee::<i32>);
    hook(linker, "console", "tee_i64", tee::<i64>);
    hook(linker, "console", "tee_f32", tee::<f32>);
    hook(linker, "console", "tee_f64", tee::<f64>);
    hook(linker, "debug", "null_host", null_host);
}

fn log_txt(c: Ctx<'_>, data: i32, len: i32) -> HostResult<()> {
    if c.data().debug {
        let text = read_bytes(&c, ptr(data), ptr(len))?;
        tracing::info!(target: "stylus::console", "{}", String::from_utf8_lossy(&text));
    }
    Ok(())
}

fn log<V: Display>(c: Ctx<'_>, value: V) -> HostResult<()> {
    if c.data().debug {
        tracing::info!(target: "stylus::console", "{value}");
    }
    Ok(())
}

fn tee<V>(_c: Ctx<'_>, value: V) -> HostResult<V> {
    Ok(value)
}

fn null_host(_c: Ctx<'_>) -> HostResult<()> {
    Ok(())
}
