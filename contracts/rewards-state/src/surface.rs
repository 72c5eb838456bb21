//! The public surface of the Rewards contract, program by program: the Solidity signature of
//! every function the core program (`rewards`) and the extension program (`rewards-ext`) serve.
//!
//! The lists are declarations, not code the programs run (nothing in a program references them,
//! so they add no bytes to either): xtask's `each_program_serves_exactly_its_declared_surface`
//! test exports both programs and fails unless each serves exactly its list, no selector is in
//! both, and together they are exactly `abi/Rewards.json`. Moving a function from one program to
//! the other means moving its `#[public]` method and its line here.
//!
//! Signatures are canonical (`name(type,..)`, structs as tuples), as
//! `alloy_json_abi::Function::signature` prints them, sorted.

/// The functions the core program `rewards` serves (the contract's address).
pub const CORE: &[&str] = &[
    "claim()",
    "claimValidatorReward(uint256,address)",
    "closeEpoch()",
    "fund(uint256)",
    "sweep(uint256)",
    "validatorReward(uint256,address)",
];

/// The functions the extension program `rewards-ext` serves, reached through the core's fallback.
pub const EXTENSION: &[&str] = &[
    "acceptGovernance()",
    "contracts()",
    "currentEpoch()",
    "emission()",
    "epochInfo(uint256)",
    "extension()",
    "governance()",
    "jailLowAgreement(address,uint256)",
    "jailOf(address)",
    "nominate(uint256)",
    "nominated()",
    "owed(address)",
    "params()",
    "pendingGovernance()",
    "releaseFromJail(address)",
    "rewardDataset(uint256)",
    "setEmission(uint256,uint64,uint256,uint256)",
    "setParams(uint64,uint64,uint64,uint64,uint64,uint64,uint64,uint64,uint64)",
    "totals()",
    "transferGovernance(address)",
    "version()",
];
