//! The SubDAO's Solidity events and errors, and the calldata of the calls its typed proposal
//! helpers schedule.
agentdao_common::static_events! {
    /// A proposal was created; voting runs over `(voteStart, voteEnd]`.
    event ProposalCreated(
        uint256 indexed proposalId,
        address indexed proposer,
        address[] targets,
        uint256[] values,
        bytes[] calldatas,
        uint64 voteStart,
        uint64 voteEnd,
        string description
    );
    /// `voter` cast `weight` votes of type `support` (0 Against, 1 For, 2 Abstain).
    event VoteCast(
        address indexed voter,
        uint256 indexed proposalId,
        uint8 support,
        uint256 weight,
        string reason
    );
    /// The proposer withdrew the proposal before voting started.
    event ProposalCanceled(uint256 indexed proposalId);
    /// The proposal entered the timelock; it is executable from `eta` until `expiry`.
    event ProposalQueued(uint256 indexed proposalId, uint64 eta, uint64 expiry);
    /// Every action of the proposal was executed.
    event ProposalExecuted(uint256 indexed proposalId);
    /// The SubDAO changed its settings (by executing a proposal on itself); the new values.
    event SettingsUpdated(
        address eloLedger,
        uint64 votingDelay,
        uint64 votingPeriod,
        uint256 proposalThreshold,
        uint64 quorumBps,
        uint64 timelockDelay,
        uint64 gracePeriod
    );

    /// `targets`, `values` and `calldatas` must be non-empty and of the same length.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidProposalLength(uint256 targets, uint256 values, uint256 calldatas);
    /// A proposal with the same content (same id) already exists.
    #[derive(Debug, PartialEq, Eq)]
    error ProposalAlreadyExists(uint256 proposalId);
    /// No proposal has this id.
    #[derive(Debug, PartialEq, Eq)]
    error NonexistentProposal(uint256 proposalId);
    /// The proposal is in state `current`; the call needs one of the states whose bit
    /// (`1 << state`) is set in `expectedStates`.
    #[derive(Debug, PartialEq, Eq)]
    error UnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates);
    /// The proposer's voting power just before the proposal is below the threshold (or zero).
    #[derive(Debug, PartialEq, Eq)]
    error ProposerBelowThreshold(address proposer, uint256 votes, uint256 threshold);
    /// `support` is not 0 (Against), 1 (For) or 2 (Abstain).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidVoteType(uint8 support);
    /// `voter` already voted on this proposal.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyVoted(uint256 proposalId, address voter);
    /// `voter` had no voting power at the proposal's snapshot `timepoint`.
    #[derive(Debug, PartialEq, Eq)]
    error NoVotingPower(address voter, uint64 timepoint);
    /// A vote signature recovers to `signer`, not to `voter` (forged, replayed or for another
    /// proposal, vote type or nonce).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidSigner(address signer, address voter);
    /// The queued proposal's timelock ends at `eta`; it cannot be executed before.
    #[derive(Debug, PartialEq, Eq)]
    error TimelockNotElapsed(uint256 proposalId, uint64 eta);
    /// Action `index` of the proposal reverted without revert data (a call with revert data
    /// bubbles that data up unchanged instead).
    #[derive(Debug, PartialEq, Eq)]
    error ActionFailed(uint256 proposalId, uint256 index);
    /// A delay or window of `value` seconds exceeds the bound `max`, or is zero where it must not
    /// be (the voting and grace periods).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidDuration(uint64 value, uint64 max);
    /// The candidate's Elo `rating` does not beat the champion's `championRating`.
    #[derive(Debug, PartialEq, Eq)]
    error ModelNotBetter(uint256 modelId, int256 rating, int256 championRating);
    /// A call to a system contract at `target` (a vault or Elo-ledger read, an
    /// `acceptGovernance()`) failed with `reason`, or `target` has no code or answered with
    /// less than one word.
    #[derive(Debug, PartialEq, Eq)]
    error ExternalCallFailed(address target, bytes reason);
    /// The description ends in `#proposer=<proposer>` and only that account may propose it
    /// (OpenZeppelin Governor 5's front-running protection).
    #[derive(Debug, PartialEq, Eq)]
    error GovernorRestrictedProposer(address proposer);
}

/// Calls the SubDAO makes or schedules, with the agreed signatures (CONTRACTS.md): only their
/// selectors are used; the arguments are all static, so the calldata is the selector followed
/// by one word per argument (see `error::encode_words`).
pub mod calls {
    use alloy_sol_types::sol;

    sol! {
        /// Elo ledger: make `modelId` the champion, its bootstrap gate over the session records
        /// before `cutoff`.
        function upgradeModel(uint256 modelId, uint256 cutoff);
        /// Elo ledger: the number of stored session records.
        function battleRecords() returns (uint256);
        /// Staking vault: slash `bps` of `validator`'s stake for `reasonHash`.
        function slash(address validator, uint256 bps, bytes32 reasonHash);
        /// Staking vault: jail `validator` (zero voting power until unjailed).
        function jail(address validator);
        /// Staking vault: `validator`'s voting power at `timepoint`.
        function getPastVotes(address validator, uint256 timepoint) returns (uint256);
        /// Staking vault: the total voting power at `timepoint`.
        function getPastTotalSupply(uint256 timepoint) returns (uint256);
        /// Staking vault: `(lpToken, rewardToken, treasury, unbondingPeriod, maxCommissionBps,
        /// maxSlashBps)`.
        function parameters() returns (address, address, address, uint256, uint256, uint256);
        /// Elo ledger: the champion model (zero if none).
        function championModel() returns (uint256);
        /// Elo ledger: a model's rating, 18-decimal fixed point.
        function ratingOf(uint256 modelId) returns (int256);
        /// Any system contract: the nominee accepts a governance handover.
        function acceptGovernance();
    }
}
