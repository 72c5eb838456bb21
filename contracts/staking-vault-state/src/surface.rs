//! The public surface of the StakingVault contract, program by program: the Solidity signature of
//! every function the core program (`staking-vault`) and the extension program (`staking-vault-ext`) serve.
//!
//! The lists are declarations, not code the programs run (nothing in a program references them,
//! so they add no bytes to either): xtask's `each_program_serves_exactly_its_declared_surface`
//! test exports both programs and fails unless each serves exactly its list, no selector is in
//! both, and together they are exactly `abi/StakingVault.json`. Moving a function from one program to
//! the other means moving its `#[public]` method and its line here.
//!
//! Signatures are canonical (`name(type,..)`, structs as tuples), as
//! `alloy_json_abi::Function::signature` prints them, sorted.

/// The functions the core program `staking-vault` serves (the contract's address).
pub const CORE: &[&str] = &[
    "claimRewards()",
    "getPastTotalSupply(uint256)",
    "getPastVotes(address,uint256)",
    "getVotes(address)",
    "notifyRewardAmount(uint256)",
    "notifyValidatorReward(address,uint256)",
    "redelegate(address,address,uint256)",
    "setParameters(address,uint256,uint256,uint256,address)",
    "stake(address,uint256)",
    "unstake(address,uint256)",
    "withdraw(uint256)",
];

/// The functions the extension program `staking-vault-ext` serves, reached through the core's fallback.
pub const EXTENSION: &[&str] = &[
    "CLOCK_MODE()",
    "acceptGovernance()",
    "announceCommission(uint256)",
    "clock()",
    "delegationsOf(address)",
    "deregisterValidator()",
    "extension()",
    "getTotalVotes()",
    "governance()",
    "isValidator(address)",
    "jail(address)",
    "jailer()",
    "parameters()",
    "pendingGovernance()",
    "pendingRewards(address)",
    "registerValidator(uint256,bytes)",
    "slash(address,uint256,bytes32)",
    "slashAndJail(address,uint256,bytes32)",
    "stakeOf(address,address)",
    "transferGovernance(address)",
    "unbondingEntriesOf(address)",
    "unbondingEntry(uint256)",
    "unjail(address)",
    "validatorInfo(address)",
    "validators()",
    "version()",
];
