// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

interface IVotesMin {
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256);
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
}

/// @title SubDaoVotes (Solidity reference)
/// @notice The voting hot path of `contracts/subdao` in Solidity, Governor-style: a proposal
/// snapshots the vault clock; `castVote` checks the proposal is active and the validator has
/// not voted, reads its voting power at the snapshot from the vault, and adds it to the
/// For / Against / Abstain sums. Functions the benchmark calls keep the Stylus signatures.
contract SubDaoVotes {
    event ProposalCreated(uint256 indexed proposalId, address indexed proposer, uint64 voteStart, uint64 voteEnd);
    event VoteCast(address indexed voter, uint256 indexed proposalId, uint8 support, uint256 weight, string reason);

    error UnknownProposal(uint256 proposalId);
    error ProposalNotActive(uint256 proposalId);
    error AlreadyVoted(uint256 proposalId, address voter);
    error InvalidSupport(uint8 support);
    error NoVotingPower(address voter);

    struct Proposal {
        address proposer;
        uint64 snapshot;
        uint64 voteStart;
        uint64 voteEnd;
        uint256 forVotes;
        uint256 againstVotes;
        uint256 abstainVotes;
    }

    IVotesMin public immutable vault;
    uint64 public immutable votingDelay;
    uint64 public immutable votingPeriod;
    mapping(uint256 => Proposal) internal proposals;
    mapping(uint256 => mapping(address => bool)) public hasVoted;

    constructor(address vault_, uint64 votingDelay_, uint64 votingPeriod_) {
        vault = IVotesMin(vault_);
        votingDelay = votingDelay_;
        votingPeriod = votingPeriod_;
    }

    function propose(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata calldatas,
        string calldata description
    ) external returns (uint256 id) {
        id = uint256(keccak256(abi.encode(targets, values, calldatas, keccak256(bytes(description)))));
        uint64 start = uint64(block.timestamp) + votingDelay;
        proposals[id] = Proposal(msg.sender, uint64(block.timestamp), start, start + votingPeriod, 0, 0, 0);
        emit ProposalCreated(id, msg.sender, start, start + votingPeriod);
    }

    function castVote(uint256 proposalId, uint8 support) external returns (uint256 weight) {
        Proposal storage p = proposals[proposalId];
        if (p.proposer == address(0)) revert UnknownProposal(proposalId);
        if (block.timestamp < p.voteStart || block.timestamp > p.voteEnd) revert ProposalNotActive(proposalId);
        if (hasVoted[proposalId][msg.sender]) revert AlreadyVoted(proposalId, msg.sender);
        weight = vault.getPastVotes(msg.sender, p.snapshot);
        if (weight == 0) revert NoVotingPower(msg.sender);
        hasVoted[proposalId][msg.sender] = true;
        if (support == 0) p.againstVotes += weight;
        else if (support == 1) p.forVotes += weight;
        else if (support == 2) p.abstainVotes += weight;
        else revert InvalidSupport(support);
        emit VoteCast(msg.sender, proposalId, support, weight, "");
    }
}
