// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface ISubDao {
    event ProposalCreated( uint256 indexed proposalId, address indexed proposer, address[] targets, uint256[] values, bytes[] calldatas, uint64 voteStart, uint64 voteEnd, string description );

    event VoteCast( address indexed voter, uint256 indexed proposalId, uint8 support, uint256 weight, string reason );

    event ProposalCanceled(uint256 indexed proposalId);

    event ProposalQueued(uint256 indexed proposalId, uint64 eta, uint64 expiry);

    event ProposalExecuted(uint256 indexed proposalId);

    event SettingsUpdated( address eloLedger, uint64 votingDelay, uint64 votingPeriod, uint256 proposalThreshold, uint64 quorumBps, uint64 timelockDelay, uint64 gracePeriod );

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function propose(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, string calldata description) external returns (uint256);

    function castVote(uint256 proposal_id, uint8 support) external returns (uint256);

    function castVoteWithReason(uint256 proposal_id, uint8 support, string calldata reason) external returns (uint256);

    function castVoteBySig(uint256 proposal_id, uint8 support, address voter, bytes calldata signature) external returns (uint256);

    function queue(uint256 proposal_id) external returns (uint64);

    function execute(address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 description_hash) external payable returns (uint256);

    function state(uint256 proposal_id) external view returns (uint8);

    function extension() external view returns (address);

    error InvalidProposalLength(uint256, uint256, uint256);

    error ProposalAlreadyExists(uint256);

    error NonexistentProposal(uint256);

    error UnexpectedProposalState(uint256, uint8, bytes32);

    error ProposerBelowThreshold(address, uint256, uint256);

    error InvalidVoteType(uint8);

    error AlreadyVoted(uint256, address);

    error NoVotingPower(address, uint64);

    error InvalidSigner(address, address);

    error TimelockNotElapsed(uint256, uint64);

    error ActionFailed(uint256, uint256);

    error InvalidDuration(uint64, uint64);

    error ModelNotBetter(uint256, int256, int256);

    error ECDSAInvalidSignature();

    error ECDSAInvalidSignatureS(bytes32);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error ArithmeticOverflow();

    error BpsOutOfRange(uint256, uint256);

    error NotDelegated();

    error GovernorRestrictedProposer(address);

    error ExternalCallFailed(address, bytes);

    function proposeModelUpgrade(uint256 model_id, string calldata evidence) external returns (uint256);

    function proposeSlash(address validator, uint256 bps, bytes32 reason_hash) external returns (uint256);

    function proposeJail(address validator) external returns (uint256);

    function cancel(uint256 proposal_id) external;

    function setSettings(address elo_ledger, uint64 voting_delay, uint64 voting_period, uint256 proposal_threshold, uint64 quorum_bps, uint64 timelock_delay, uint64 grace_period) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function acceptGovernanceOf(address target) external;

    function proposal(uint256 proposal_id) external view returns (address, uint64, uint64, uint64, uint64, uint256, uint256, uint256, uint256);

    function hasVoted(uint256 proposal_id, address account) external view returns (bool);

    function participation(address validator) external view returns (uint64, uint64, uint64);

    function nonces(address voter) external view returns (uint256);

    function DOMAIN_SEPARATOR() external view returns (bytes32);

    function settings() external view returns (address, address, uint64, uint64, uint256, uint64, uint64, uint64);

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);
}
