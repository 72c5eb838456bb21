//! Stylus execution inside the EVM: hand-written wasm programs (`exec`) and a real stylus-sdk
//! contract (`sdk`), sharing one test binary.
mod support;

mod cache;
mod cache_manager;
mod exec;
mod ink;
mod sdk;
