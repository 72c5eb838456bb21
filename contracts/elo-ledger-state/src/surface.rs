//! The public surface of the EloLedger contract, program by program: the Solidity signature of
//! every function the core program (`elo-ledger`) and the extension program (`elo-ledger-ext`) serve.
//!
//! The lists are declarations, not code the programs run (nothing in a program references them,
//! so they add no bytes to either): xtask's `each_program_serves_exactly_its_declared_surface`
//! test exports both programs and fails unless each serves exactly its list, no selector is in
//! both, and together they are exactly `abi/EloLedger.json`. Moving a function from one program to
//! the other means moving its `#[public]` method and its line here.
//!
//! Signatures are canonical (`name(type,..)`, structs as tuples), as
//! `alloy_json_abi::Function::signature` prints them, sorted.

/// The functions the core program `elo-ledger` serves (the contract's address).
pub const CORE: &[&str] = &[
    "battleRecords()",
    "cancelRequest(uint256)",
    "championModel()",
    "commitVote(uint256,bytes32)",
    "extension()",
    "finalizeSession(uint256)",
    "openSession(uint256,bytes32)",
    "ratingOf(uint256)",
    "requestSession(uint256,uint256)",
    "revealSeed(uint256,bytes32)",
    "revealVote(uint256,bytes,bytes32)",
    "setValidation(address,uint256,uint256)",
    "validation()",
    "validatorRecord(address,uint256)",
];

/// The functions the extension program `elo-ledger-ext` serves, reached through the core's fallback.
pub const EXTENSION: &[&str] = &[
    "acceptGovernance()",
    "datasetInfo(uint256)",
    "finalizeDataset(uint256)",
    "governance()",
    "modelOwner(uint256)",
    "pendingGovernance()",
    "registerDataset(bytes32,string)",
    "registerModel(bytes32,string,uint256,uint256)",
    "sessionInfo(uint256)",
    "setParams(uint64,uint64,uint32,uint32,uint256,uint64,int256,uint64,uint64,uint64)",
    "topModels(uint256)",
    "transferGovernance(address)",
    "upgradeGate(uint256,uint256)",
    "upgradeModel(uint256,uint256)",
    "vault()",
    "version()",
    "withdrawBond()",
];
