//! The JSON-RPC server end to end: each module starts its own node on a free port (see
//! [`support::TestNode`]); all of them link into this one test binary.
#[macro_use]
mod support;

mod basic;
mod contracts;
mod helpers;
mod protocol;
mod state_file;
mod stylus;
mod transactions;
