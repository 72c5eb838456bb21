//! The public surface of the OmlRegistry contract, program by program: the Solidity signature of
//! every function the core program (`oml-registry`) and the extension program (`oml-registry-ext`) serve.
//!
//! The lists are declarations, not code the programs run (nothing in a program references them,
//! so they add no bytes to either): xtask's `each_program_serves_exactly_its_declared_surface`
//! test exports both programs and fails unless each serves exactly its list, no selector is in
//! both, and together they are exactly `abi/OmlRegistry.json`. Moving a function from one program to
//! the other means moving its `#[public]` method and its line here.
//!
//! Signatures are canonical (`name(type,..)`, structs as tuples), as
//! `alloy_json_abi::Function::signature` prints them, sorted.

/// The functions the core program `oml-registry` serves (the contract's address).
pub const CORE: &[&str] = &[
    "extension()",
    "finalizeClaim(uint64)",
    "reportUsage(uint64,uint64)",
    "requestLicense(uint64)",
    "submitClaim(uint64,uint8,bytes32[],bytes32[][],bytes32,uint256)",
    "withdraw(address)",
    "withdrawFor(address,address)",
];

/// The functions the extension program `oml-registry-ext` serves, reached through the core's fallback.
pub const EXTENSION: &[&str] = &[
    "acceptGovernance()",
    "acceptModelOwnership(uint64)",
    "ancestors(uint64,uint64)",
    "claim(uint64)",
    "closeLicense(uint64)",
    "credit(address,address)",
    "disputeClaim(uint64,bytes32)",
    "governance()",
    "license(uint64)",
    "model(uint64)",
    "params()",
    "parentOf(uint64)",
    "pendingGovernance()",
    "publishVersion(uint64,bytes32,bytes)",
    "registerModel(bytes32,bytes,uint64,(address,uint256,uint256,uint16,uint16,uint16,uint16,uint16,uint8))",
    "resolveDispute(uint64,bool)",
    "setFingerprintRoot(uint64,bytes32,uint8)",
    "setParams((address,uint64,uint64,uint16,uint16,uint16))",
    "terminateLicense(uint64)",
    "transferGovernance(address)",
    "transferModelOwnership(uint64,address)",
    "version()",
    "versionHash(uint64,uint64)",
];
