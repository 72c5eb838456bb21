//! The SubDAO's ABI as other contracts and tools see it: proposals, voting, timelock, settings.
//!
//! Kept in sync with `abi/ISubDao.sol` by the SubDAO's owner. Proposal states are OpenZeppelin
//! Governor's: 0 Pending, 1 Active, 2 Canceled, 3 Defeated, 4 Succeeded, 5 Queued, 6 Expired,
//! 7 Executed. Vote types: 0 Against, 1 For, 2 Abstain. Clocks are block timestamps.
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
        function execute(uint256 proposal_id) external payable;

        function setVotingDelay(uint64 delay) external;
        function setVotingPeriod(uint64 period) external;
        function setProposalThreshold(uint256 threshold) external;
        function setQuorumBps(uint64 quorum_bps) external;
        function setTimelockDelay(uint64 delay) external;
        function setGracePeriod(uint64 period) external;
        function setEloLedger(address elo_ledger) external;

        function state(uint256 proposal_id) external view returns (uint8);
        function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 description_hash) external view returns (uint256);
        function proposalProposer(uint256 proposal_id) external view returns (address);
        function proposalSnapshot(uint256 proposal_id) external view returns (uint64);
        function proposalDeadline(uint256 proposal_id) external view returns (uint64);
        function proposalEta(uint256 proposal_id) external view returns (uint64);
        function proposalVotes(uint256 proposal_id) external view returns (uint256, uint256, uint256);
        function proposalQuorum(uint256 proposal_id) external view returns (uint256);
        function proposalActions(uint256 proposal_id) external view returns (address[], uint256[], bytes[]);
        function hasVoted(uint256 proposal_id, address account) external view returns (bool);
        function participation(address validator) external view returns (uint64, uint64, uint64);
        function proposalCount() external view returns (uint64);
        function nonces(address voter) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);

        function vault() external view returns (address);
        function eloLedger() external view returns (address);
        function votingDelay() external view returns (uint64);
        function votingPeriod() external view returns (uint64);
        function proposalThreshold() external view returns (uint256);
        function quorumBps() external view returns (uint64);
        function timelockDelay() external view returns (uint64);
        function gracePeriod() external view returns (uint64);

        function governance() external view returns (address);
        function pendingGovernance() external view returns (address);
        function transferGovernance(address successor) external;
        function acceptGovernance() external;
        function version() external view returns (string);
    }
}
