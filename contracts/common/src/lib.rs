//! Shared `no_std` building blocks for the agentdao Stylus contracts.
//!
//! Every contract of the system uses the same governance handover, reentrancy guard, basis-point
//! and fixed-point helpers, error declaration ([`static_errors!`]), event declaration and emission
//! ([`static_events!`]), revert and calldata encoder ([`revert`]) and ERC-20 calls ([`token`]). The code is generic over each contract's own error
//! enum: a helper returns `Result<T, E>` where `E` converts from the Solidity error structs in
//! [`errors`], which every contract lists as variants of its `static_errors!` enum (the macro
//! generates the `From` impls). That keeps one implementation here and typed, ABI-visible errors
//! in each contract.
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod checkpoints;
pub mod ecdsa;
pub mod eip712;
pub mod emit;
pub mod errors;
pub mod extension;
pub mod governance;
pub mod guard;
pub mod limb_math;
pub mod math;
pub mod merkle;
pub mod muldiv;
pub mod raw_bytes;
pub mod raw_string;
pub mod revert;
pub mod short_string;
pub mod token;
