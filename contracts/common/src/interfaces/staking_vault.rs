//! The staking vault's surface used by the SubDAO (voting power snapshots, slashing, jailing)
//! and by any contract that reads validator status.
// Solidity parameter names are camelCase by ABI convention.
#![allow(non_snake_case)]
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// Delegated LP staking vault: checkpointed validator voting power (ERC-6372 timestamp
    /// clock) and governance-only slashing and jailing.
    interface IStakingVault {
        /// Current voting power of `validator` (zero when jailed or unregistered).
        function getVotes(address validator) external view returns (uint256);
        /// Voting power of `validator` at `timepoint`, which must be strictly before `clock()`.
        function getPastVotes(address validator, uint256 timepoint) external view returns (uint256);
        /// Sum of all validators' voting power at `timepoint` (strictly before `clock()`).
        function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
        /// ERC-6372 clock: the current block timestamp.
        function clock() external view returns (uint48);
        /// ERC-6372 clock description: `"mode=timestamp"`.
        function CLOCK_MODE() external view returns (string);
        /// Slashes `bps` of the validator's bonded and unbonding stake to the treasury
        /// (governance only).
        function slash(address validator, uint256 bps, bytes32 reasonHash) external;
        /// Jails `validator`, zeroing its voting power (governance only).
        function jail(address validator) external;
        /// Whether `validator` is registered and not jailed.
        function isValidator(address validator) external view returns (bool);
    }
}
