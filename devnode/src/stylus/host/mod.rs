//! The `vm_hooks` host functions and the per-frame state they work on.
//!
//! Host functions that only need the frame's own snapshot (arguments, result, caller, value,
//! block data, the storage cache, math, keccak, memory pricing) are served inside wasmi. Those
//! that need the EVM state (storage misses and flushes, transient storage, logs, account data,
//! calls and creates) store a [`Request`] and trap with [`Escape::Yield`]; the EVM frame serves
//! the request through revm's journal and resumes the program (see `stylus::run`).
//!
//! One module per family of host functions, each linking its own:
//!
//! - `storage`: storage through the frame's cache, transient storage, logs.
//! - `calls`: calls, creates and their return data.
//! - `evm_data`: accounts, ink and gas left, block, message and transaction data.
//! - `memory`: calldata, result, early exit, memory growth.
//! - `crypto`: keccak and 256-bit math.
//! - `debug`: the debug chain's `console` and `debug` functions.
//!
//! What they share (ink charging, memory access, the errors that stop a program) is in
//! `support`; the frame's state in `state` and what it hands the EVM in `request`.

mod calls;
mod crypto;
mod debug;
mod evm_data;
mod memory;
mod request;
mod state;
mod storage;
mod support;

use wasmi::{Engine, Linker};

pub use request::{CallKind, Escape, Request};
pub use state::{CacheSlot, EvmData, HostState};
pub use storage::SLOAD_API_GAS;
pub use support::{buy_ink, read_bytes, write_bytes};

/// Builds the linker with every host function Nitro offers user programs.
pub fn linker(engine: &Engine) -> Linker<HostState> {
    let mut linker = Linker::<HostState>::new(engine);
    memory::register(&mut linker);
    storage::register(&mut linker);
    calls::register(&mut linker);
    evm_data::register(&mut linker);
    crypto::register(&mut linker);
    debug::register(&mut linker);
    linker
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stylus::{activation, ink};

    /// A module importing every allowed host function with its exact signature instantiates
    /// against the linker.
    #[test]
    fn linker_covers_every_allowed_import() {
        let ty = |types: &[wasmparser::ValType]| {
            types
                .iter()
                .map(|t| format!("{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let imports: String = activation::HOST_IMPORTS
            .iter()
            .map(|(module, name, params, results)| {
                format!(
                    "(import \"{module}\" \"{name}\" (func (param {}) (result {})))\n",
                    ty(params),
                    ty(results)
                )
            })
            .collect();
        let wat = format!(
            "(module {imports} (memory (export \"memory\") 1 1)
             (func (export \"user_entrypoint\") (param i32) (result i32) i32.const 0))"
        );
        let wasm = wat::parse_str(&wat).unwrap();
        let engine = Engine::new(&ink::engine_config());
        let module = wasmi::Module::new(&engine, &wasm).unwrap();
        let mut store = wasmi::Store::new(&engine, HostState::default());
        linker(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        assert!(activation::validate(&wasm, 40).is_ok());
    }
}
