//! Events and errors of the rewards program.
agentdao_common::static_events! {
    /// `from` added `amount` reward tokens (the balance delta received) to the reserve.
    event Funded(address indexed from, uint256 amount);
    /// Epoch `epoch` (`start` to `end`, end excluded) was closed: `budget` left the reserve's
    /// share for it, `validatorPot` is claimable by validators, `modelPaid` was credited to model
    /// owners; `sessions` were finalized since the previous close and `totalStake` is the vault's
    /// total voting power at the epoch's start.
    event EpochClosed(
        uint256 indexed epoch,
        uint256 start,
        uint256 end,
        uint256 budget,
        uint256 validatorPot,
        uint256 modelPaid,
        uint256 sessions,
        uint256 totalStake
    );
    /// `amount` of epoch `epoch`'s validator pot went to `validator`'s pool in the staking vault
    /// (commission to the validator, the rest to its delegators); `stake` and `quality` (1e18 =
    /// full participation and agreement) are the figures it was computed from.
    event ValidatorRewarded(
        uint256 indexed epoch, address indexed validator, uint256 amount, uint256 stake, uint256 quality
    );
    /// `owner` of model `modelId` was credited `amount` for epoch `epoch` at `rank` (zero: the
    /// champion's share; 1 to N: its place among the nominated models).
    event ModelRewarded(
        uint256 indexed epoch, uint256 indexed modelId, address indexed owner, uint256 rank, uint256 amount
    );
    /// The contributor of accepted dataset `datasetId` was credited `amount` for its `impact`.
    event DatasetRewarded(
        uint256 indexed datasetId, address indexed contributor, int256 impact, uint256 amount
    );
    /// The owner of new champion `modelId` was credited `amount` for its Elo `gain` over the
    /// champion it replaced.
    event ChampionRewarded(
        uint256 indexed modelId, address indexed owner, int256 gain, uint256 amount
    );
    /// `account` was paid its credited rewards.
    event RewardClaimed(address indexed account, uint256 amount);
    /// What epoch `epoch`'s validators left unclaimed went back to the reserve.
    event EpochSwept(uint256 indexed epoch, uint256 amount);
    /// Model `modelId` (rating `rating`) joined the nominated models, replacing `replaced`
    /// (zero for none).
    event ModelNominated(uint256 indexed modelId, int256 rating, uint256 replaced);
    /// `validator` was jailed in the vault for an agreement average of `agreement` over
    /// `sessions` sessions; it may be released from `releasableAt`.
    event LowAgreementJailed(
        address indexed validator, uint256 agreement, uint256 sessions, uint256 releasableAt
    );
    /// `validator`, jailed for low agreement, was released after its cool-down.
    event ReleasedFromJail(address indexed validator);
    /// Governance set the parameters (see `params()`).
    event ParamsUpdated(
        uint256 epochLength,
        uint256 validatorBps,
        uint256 championBps,
        uint256 topN,
        uint256 participationTarget,
        uint256 claimEpochs,
        uint256 agreementThreshold,
        uint256 lowAgreementSessions,
        uint256 jailCooldown
    );
    /// Governance set the emission programme and the one-time rewards.
    event EmissionUpdated(
        uint256 perEpoch, uint256 halvingEpochs, uint256 bonusPerElo, uint256 bonusCap
    );

    /// A zero amount was given.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAmount();
    /// A call to the reward token failed, returned `false` or delivered nothing.
    #[derive(Debug, PartialEq, Eq)]
    error TokenCallFailed(address token);
    /// A call to the staking vault reverted or returned too little.
    #[derive(Debug, PartialEq, Eq)]
    error VaultCallFailed(address vault);
    /// A call to the Elo ledger reverted or returned too little.
    #[derive(Debug, PartialEq, Eq)]
    error LedgerCallFailed(address ledger);
    /// Parameter number `which` (in `setParams` / `setEmission` order, from 0) is out of range.
    #[derive(Debug, PartialEq, Eq)]
    error ParameterOutOfRange(uint8 which);
    /// The current epoch ends at `end`; it is `now`.
    #[derive(Debug, PartialEq, Eq)]
    error EpochNotOver(uint256 end, uint256 now);
    /// Epoch `epoch` is not closed yet (`closed` epochs are).
    #[derive(Debug, PartialEq, Eq)]
    error EpochNotClosed(uint256 epoch, uint256 closed);
    /// Epoch `epoch` has no validator pot (nothing funded, no session, or no stake).
    #[derive(Debug, PartialEq, Eq)]
    error EpochUnfunded(uint256 epoch);
    /// `validator`'s reward for epoch `epoch` was already paid.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyClaimed(uint256 epoch, address validator);
    /// Epoch `epoch`'s claim window is over (its leftover went back to the reserve).
    #[derive(Debug, PartialEq, Eq)]
    error ClaimWindowOver(uint256 epoch);
    /// Epoch `epoch`'s claim window lasts until `closed` reaches `until`.
    #[derive(Debug, PartialEq, Eq)]
    error ClaimWindowOpen(uint256 epoch, uint256 until);
    /// Nothing to pay.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToClaim();
    /// Dataset `datasetId` is not accepted.
    #[derive(Debug, PartialEq, Eq)]
    error DatasetNotAccepted(uint256 datasetId);
    /// Dataset or champion `id` has had its one-time reward.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyRewarded(uint256 id);
    /// Model `modelId` is already nominated.
    #[derive(Debug, PartialEq, Eq)]
    error AlreadyNominated(uint256 modelId);
    /// A full nomination list only takes a model rated above its lowest, `lowest`.
    #[derive(Debug, PartialEq, Eq)]
    error RatingTooLow(int256 rating, int256 lowest);
    /// Only `have` sessions were sampled in the span; `want` are required.
    #[derive(Debug, PartialEq, Eq)]
    error TooFewSessions(uint256 have, uint256 want);
    /// The agreement average `agreement` is not below `threshold`.
    #[derive(Debug, PartialEq, Eq)]
    error AgreementNotLow(uint256 agreement, uint256 threshold);
    /// `timepoint` is zero, not in the past, or before the validator's last release.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidTimepoint(uint256 timepoint);
    /// `validator` is not jailed by this program.
    #[derive(Debug, PartialEq, Eq)]
    error NotJailedHere(address validator);
    /// `validator`'s cool-down lasts until `until`.
    #[derive(Debug, PartialEq, Eq)]
    error CooldownActive(address validator, uint256 until);
}
