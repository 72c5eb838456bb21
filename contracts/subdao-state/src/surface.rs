//! The public surface of the SubDao contract, program by program: the Solidity signature of
//! every function the core program (`subdao`) and the extension program (`subdao-ext`) serve.
//!
//! The lists are declarations, not code the programs run (nothing in a program references them,
//! so they add no bytes to either): xtask's `each_program_serves_exactly_its_declared_surface`
//! test exports both programs and fails unless each serves exactly its list, no selector is in
//! both, and together they are exactly `abi/SubDao.json`. Moving a function from one program to
//! the other means moving its `#[public]` method and its line here.
//!
//! Signatures are canonical (`name(type,..)`, structs as tuples), as
//! `alloy_json_abi::Function::signature` prints them, sorted.

/// The functions the core program `subdao` serves (the contract's address).
pub const CORE: &[&str] = &[
    "castVote(uint256,uint8)",
    "castVoteBySig(uint256,uint8,address,bytes)",
    "castVoteWithReason(uint256,uint8,string)",
    "execute(address[],uint256[],bytes[],bytes32)",
    "extension()",
    "propose(address[],uint256[],bytes[],string)",
    "queue(uint256)",
    "state(uint256)",
];

/// The functions the extension program `subdao-ext` serves, reached through the core's fallback.
pub const EXTENSION: &[&str] = &[
    "DOMAIN_SEPARATOR()",
    "acceptGovernance()",
    "acceptGovernanceOf(address)",
    "cancel(uint256)",
    "governance()",
    "hasVoted(uint256,address)",
    "nonces(address)",
    "participation(address)",
    "pendingGovernance()",
    "proposal(uint256)",
    "proposeJail(address)",
    "proposeModelUpgrade(uint256,string)",
    "proposeSlash(address,uint256,bytes32)",
    "setSettings(address,uint64,uint64,uint256,uint64,uint64,uint64)",
    "settings()",
    "transferGovernance(address)",
    "version()",
];
