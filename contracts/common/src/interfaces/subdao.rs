//! The SubDAO's ABI as other contracts and tools see it: proposals, voting, timelock, settings.
//!
//! Kept in sync with `abi/ISubDao.sol` by the SubDAO's owner. Proposal states are OpenZeppelin
//! Governor's: 0 Pending, 1 Active, 2 Canceled, 3 Defeated, 4 Succeeded, 5 Queued, 6 Expired,
//! 7 Executed. Vote types: 0 Against, 1 For, 2 Abstain. Clocks are block timestamps. Proposal
//! ids are OpenZeppelin's `hashProposal`; actions are not stored on chain: `ProposalCreated`
//! publishes them and `execute` takes them back. `proposal(id)` returns `(proposer, snapshot,
//! deadline, eta, quorumBps, totalPower, againstVotes, forVotes, abstainVotes)`; `settings()`
//! returns `(vault, eloLedger, votingDelay, votingPeriod, proposalThreshold, quorumBps,
//! timelockDelay, gracePeriod)`. `acceptGovernanceOf(target)` (anyone may call it) makes the
//! SubDAO call `target.acceptGovernance()`, completing a handover `target` started with
//! `transferGovernance(subdao)`. The SubDAO also receives plain ETH transfers (the treasury).
// The generated `setSettings` client takes the host, the call context and seven settings.
#![allow(clippy::too_many_arguments)]
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// The agent's governor: validators vote with the power delegated to them in the vault.
    interface ISubDao {
        function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) external returns (uint256);
        function proposeModelUpgrade(uint256 model_id, string evidence) external returns (uint256);
        function proposeSlash(address validator, uint256 bps, bytes32 reason_hash) external returns (uint256);
        function cancel(uint256 proposal_id) external;
        function castVote(uint256 proposal_id, uint8 support) external returns (uint256);
        function castVoteWithReason(uint256 proposal_id, uint8 support, string reason) external returns (uint256);
        function castVoteBySig(uint256 proposal_id, uint8 support, address voter, bytes signature) external returns (uint256);
        function queue(uint256 proposal_id) external returns (uint64);
        function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 description_hash) external payable returns (uint256);
        function setSettings(address elo_ledger, uint64 voting_delay, uint64 voting_period, uint256 proposal_threshold, uint64 quorum_bps, uint64 timelock_delay, uint64 grace_period) external;

        function state(uint256 proposal_id) external view returns (uint8);
        function proposal(uint256 proposal_id) external view returns (address, uint64, uint64, uint64, uint64, uint256, uint256, uint256, uint256);
        function hasVoted(uint256 proposal_id, address account) external view returns (bool);
        function participation(address validator) external view returns (uint64, uint64, uint64);
        function nonces(address voter) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function settings() external view returns (address, address, uint64, uint64, uint256, uint64, uint64, uint64);

        function governance() external view returns (address);
        function pendingGovernance() external view returns (address);
        function transferGovernance(address successor) external;
        function acceptGovernance() external;
        function acceptGovernanceOf(address target) external;
        function version() external view returns (string);
    }
}
