//! Events and errors of the Elo ledger.
agentdao_common::static_events! {
    /// `owner` registered model `id` (fine-tuned from `parentId` on `datasetId`, zero for none).
    event ModelRegistered(
        uint256 indexed id,
        address indexed owner,
        bytes32 contentHash,
        uint256 parentId,
        uint256 datasetId,
        string uri
    );
    /// `contributor` registered dataset `id`.
    event DatasetRegistered(
        uint256 indexed id, address indexed contributor, bytes32 contentHash, string uri
    );
    /// Governance made `current` the champion model in place of `previous`.
    event ChampionChanged(uint256 indexed previous, uint256 indexed current);
    /// `requester` asked for a validation session between two models, posting `bond`.
    event SessionRequested(
        uint256 indexed sessionId, address indexed requester, uint256 modelA, uint256 modelB, uint256 bond
    );
    /// The session operator opened a requested session, posting `bond`; votes count with power
    /// at `snapshot`.
    event SessionOpened(
        uint256 indexed sessionId,
        address indexed operator,
        uint256 bond,
        uint256 snapshot,
        uint256 commitEnd,
        uint256 revealEnd
    );
    /// `voter` committed a hidden vote with voting power `weight`.
    event VoteCommitted(uint256 indexed sessionId, address indexed voter, uint256 weight);
    /// A full session's lightest vote, `voter`'s, was dropped for the heavier `by`.
    event VoteDisplaced(uint256 indexed sessionId, address indexed voter, address by);
    /// The operator's seed was revealed: the X/Y assignment of every voter is now public.
    event SeedRevealed(uint256 indexed sessionId, bytes32 seed);
    /// `voter` revealed its ten results (in its own X/Y terms).
    event VoteRevealed(uint256 indexed sessionId, address indexed voter, bytes results);
    /// The session's ten stake-weighted rounds were applied; the two models' new ratings.
    event SessionFinalized(
        uint256 indexed sessionId, uint256 reveals, int256 ratingA, int256 ratingB
    );
    /// The session ended without effect: `reason` 1 = seed never revealed (operator bond
    /// forfeited to governance), 2 = fewer reveals than required, 3 = request withdrawn.
    event SessionVoided(uint256 indexed sessionId, uint8 reason);
    /// `validator`'s agreement with the session consensus and its new moving average (1e18 = 1).
    event AgreementRecorded(
        uint256 indexed sessionId, address indexed validator, uint256 agreement, uint256 average
    );
    /// `validator`'s moving agreement fell below the governance threshold: slashing evidence.
    event LowAgreement(address indexed validator, uint256 average, uint256 threshold);
    /// Dataset `datasetId` was judged by the Elo of model `modelId` minus its parent's.
    event DatasetFinalized(
        uint256 indexed datasetId, uint256 indexed modelId, int256 impact, bool accepted
    );
    /// `amount` wei of session bonds became withdrawable by `account`.
    event BondCredited(address indexed account, uint256 amount);
    /// `account` withdrew `amount` wei of credited bonds.
    event BondWithdrawn(address indexed account, uint256 amount);
    /// Governance appointed the session operator, its bond and the minimum stake to commit.
    event ValidationUpdated(address indexed operator, uint256 operatorBond, uint256 minStake);
    /// Governance changed the parameters (see `setParams`).
    event ParamsUpdated(
        uint256 commitWindow,
        uint256 revealWindow,
        uint256 minReveals,
        uint256 maxVoters,
        uint256 sessionBond,
        uint256 minGames,
        int256 impactThreshold,
        uint256 agreementAlphaBps,
        uint256 agreementThreshold,
        uint256 upgradeResamples
    );

    /// No model has id `id`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownModel(uint256 id);
    /// No dataset has id `id`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownDataset(uint256 id);
    /// No session has id `id`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownSession(uint256 id);
    /// The registry cannot hold more entries (model ids are packed into 22 bits, dataset ids
    /// into 32).
    #[derive(Debug, PartialEq, Eq)]
    error RegistryFull();
    /// A model fine-tuned on a dataset must name the parent it was fine-tuned from.
    #[derive(Debug, PartialEq, Eq)]
    error DatasetWithoutParent();
    /// Only the dataset's `contributor` may register the model that is judged for it.
    #[derive(Debug, PartialEq, Eq)]
    error NotDatasetContributor(address contributor);
    /// The dataset already has its model, `modelId`.
    #[derive(Debug, PartialEq, Eq)]
    error DatasetAlreadyLinked(uint256 modelId);
    /// A session needs two different models.
    #[derive(Debug, PartialEq, Eq)]
    error SameModel();
    /// Only the session operator `operator` may open a session (zero: none appointed).
    #[derive(Debug, PartialEq, Eq)]
    error NotOperator(address caller, address operator);
    /// The operator owns one of the two models and may not open their session.
    #[derive(Debug, PartialEq, Eq)]
    error OperatorOwnsModel();
    /// The session is not a request waiting for the operator.
    #[derive(Debug, PartialEq, Eq)]
    error SessionNotRequested();
    /// Only the requester, `requester`, may withdraw the request.
    #[derive(Debug, PartialEq, Eq)]
    error NotRequester(address requester);
    /// The caller's voting power at the snapshot, `weight`, is below `minimum`.
    #[derive(Debug, PartialEq, Eq)]
    error StakeBelowMinimum(uint256 weight, uint256 minimum);
    /// Votes can be revealed only after the session's seed.
    #[derive(Debug, PartialEq, Eq)]
    error SeedNotRevealed();
    /// The bootstrap cutoff is beyond the `records` stored session records.
    #[derive(Debug, PartialEq, Eq)]
    error CutoffAhead(uint256 cutoff, uint256 records);
    /// Only past timepoints can be looked up; `now` is the current block time.
    #[derive(Debug, PartialEq, Eq)]
    error FutureLookup(uint256 timepoint, uint256 now);
    /// The bond sent is below the required request or operator bond.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientBond(uint256 sent, uint256 required);
    /// The call came at `time`, outside the window `[start, end)` for it.
    #[derive(Debug, PartialEq, Eq)]
    error OutsideWindow(uint256 time, uint256 start, uint256 end);
    /// The session is already finalized or void.
    #[derive(Debug, PartialEq, Eq)]
    error SessionClosed();
    /// The session has as many voters as allowed.
    #[derive(Debug, PartialEq, Eq)]
    error SessionFull(uint256 maxVoters);
    /// The caller had no voting power in the vault at the session `snapshot`.
    #[derive(Debug, PartialEq, Eq)]
    error NotValidator(uint256 snapshot);
    /// The staking vault could not be read.
    #[derive(Debug, PartialEq, Eq)]
    error VaultCallFailed(address vault);
    /// The caller already committed in this session.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyCommitted();
    /// The caller has no commitment in this session.
    #[derive(Debug, PartialEq, Eq)]
    error NoCommitment();
    /// The caller already revealed in this session.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyRevealed();
    /// The results, salt and caller do not hash to the caller's commitment.
    #[derive(Debug, PartialEq, Eq)]
    error CommitmentMismatch();
    /// The results had `got` rounds instead of `expected`.
    #[derive(Debug, PartialEq, Eq)]
    error WrongRoundCount(uint256 got, uint256 expected);
    /// Round `round` had result code `code`; valid codes are 0 (X wins), 1 (Y wins), 2 (tie).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidOutcome(uint256 round, uint8 code);
    /// The seed does not hash to the session's seed commitment.
    #[derive(Debug, PartialEq, Eq)]
    error SeedMismatch();
    /// The seed of the session was already revealed.
    #[derive(Debug, PartialEq, Eq)]
    error SeedAlreadyRevealed();
    /// The dataset's model has `games` games; judging it needs `minGames`.
    #[derive(Debug, PartialEq, Eq)]
    error NotEnoughGames(uint256 games, uint256 minGames);
    /// The dataset has no model registered for it yet.
    #[derive(Debug, PartialEq, Eq)]
    error DatasetHasNoModel();
    /// The dataset was already accepted or rejected.
    #[derive(Debug, PartialEq, Eq)]
    error DatasetAlreadyFinalized();
    /// The model is already the champion.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyChampion();
    /// The candidate's 2.5% bootstrap rating does not exceed the champion's 97.5% rating.
    #[derive(Debug, PartialEq, Eq)]
    error BootstrapNotBeaten(int256 candidateLower, int256 championUpper);
    /// Argument number `position` (0-based) of a parameter setter is out of its bounds.
    #[derive(Debug, PartialEq, Eq)]
    error ParameterOutOfRange(uint8 position);
    /// The caller has no credited bond to withdraw.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToWithdraw();
    /// Sending the caller its ether failed.
    #[derive(Debug, PartialEq, Eq)]
    error TransferFailed();
}
