//! Events and errors of the staking vault, in Solidity ABI form.
agentdao_common::static_events! {
    /// `validator` registered with `commissionBps` and `metadataURI` (UTF-8 bytes of a URL).
    event ValidatorRegistered(address indexed validator, uint256 commissionBps, bytes metadataURI);
    /// `validator` left the registry (it had no stake left).
    event ValidatorDeregistered(address indexed validator);
    /// `validator` announced a commission change from `currentBps` to `newBps`, applying from
    /// `effectiveAt` (the first interaction at or after that time).
    event CommissionChangeAnnounced(
        address indexed validator,
        uint256 currentBps,
        uint256 newBps,
        uint256 effectiveAt
    );
    /// The announced commission of `validator` took effect.
    event CommissionUpdated(address indexed validator, uint256 previousBps, uint256 newBps);
    /// Governance jailed `validator`: its voting power is zero until unjailed.
    event ValidatorJailed(address indexed validator);
    /// Governance released `validator` from jail.
    event ValidatorUnjailed(address indexed validator);
    /// ERC-5805 style: the voting power of `validator` changed.
    event DelegateVotesChanged(address indexed validator, uint256 previousVotes, uint256 newVotes);
    /// `account` staked `amount` LP (balance delta actually received) with `validator`,
    /// receiving `shares` of its pool.
    event Staked(address indexed account, address indexed validator, uint256 amount, uint256 shares);
    /// `account` started moving `amount` of bonded stake from `from` to `to`: it unbonds from
    /// `from` (entry in the same transaction's `UnbondingStarted`) and bonds to `to` when the
    /// matured entry is withdrawn.
    event Redelegated(address indexed account, address indexed from, address indexed to, uint256 amount);
    /// `account` started unbonding `amount` from `validator` as entry `entryId`, withdrawable
    /// from `maturity`.
    event UnbondingStarted(
        address indexed account,
        address indexed validator,
        uint256 indexed entryId,
        uint256 amount,
        uint256 maturity
    );
    /// `account` withdrew matured entry `entryId` worth `amount` LP (paid out, or bonded to the
    /// destination of a redelegation, see `Staked`).
    event Withdrawn(address indexed account, uint256 indexed entryId, uint256 amount);
    /// `sender` added `amount` reward tokens (balance delta received), streamed pro rata to
    /// voting power over the unbonding period.
    event RewardNotified(address indexed sender, uint256 amount);
    /// `sender` added `amount` reward tokens to `validator`'s pool at once, `commission` of
    /// them to the validator and the rest to its delegators.
    event ValidatorRewardNotified(
        address indexed sender, address indexed validator, uint256 amount, uint256 commission
    );
    /// `account` claimed `amount` reward tokens (delegator rewards plus validator commission).
    event RewardsClaimed(address indexed account, uint256 amount);
    /// Governance slashed `bps` of `validator`'s stake: `bondedSlashed` from the bonded pool and
    /// `unbondingSlashed` from immature unbonding entries, sent to the treasury.
    event ValidatorSlashed(
        address indexed validator,
        uint256 bps,
        uint256 bondedSlashed,
        uint256 unbondingSlashed,
        bytes32 indexed reasonHash
    );
    /// Governance set the parameters (also emitted by the constructor): `jailer` may jail and
    /// unjail validators besides governance (zero: nobody).
    event ParametersUpdated(
        address indexed treasury,
        uint256 unbondingPeriod,
        uint256 maxCommissionBps,
        uint256 maxSlashBps,
        address jailer
    );

    /// An amount that must be positive was zero (or nothing arrived after a transfer).
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAmount();
    /// `amount` is too small to be represented: less than one pool share, or rewards too
    /// small to move the reward-per-power accumulator.
    #[derive(Debug, PartialEq, Eq)]
    error AmountTooSmall(uint256 amount);
    /// `validator` is not registered.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownValidator(address validator);
    /// `validator` is already registered.
    #[derive(Debug, PartialEq, Eq)]
    error ValidatorAlreadyRegistered(address validator);
    /// `validator` is jailed: it accepts no new stake and its stake can only leave by unbonding.
    #[derive(Debug, PartialEq, Eq)]
    error JailedValidator(address validator);
    /// `validator` is not jailed.
    #[derive(Debug, PartialEq, Eq)]
    error ValidatorNotJailed(address validator);
    /// `validator` still has bonded or unbonding stake.
    #[derive(Debug, PartialEq, Eq)]
    error ValidatorHasStake(address validator);
    /// The caller has `have` LP bonded with the validator but asked to move `want`.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientStake(uint256 have, uint256 want);
    /// A commission of `requestedBps` exceeds the maximum `maxBps`.
    #[derive(Debug, PartialEq, Eq)]
    error CommissionTooHigh(uint256 requestedBps, uint256 maxBps);
    /// A commission change from `currentBps` to `requestedBps` exceeds the per-announcement
    /// step (`MAX_COMMISSION_STEP_BPS`).
    #[derive(Debug, PartialEq, Eq)]
    error CommissionStepTooLarge(uint256 currentBps, uint256 requestedBps);
    /// A slash of `bps` exceeds the maximum `maxBps` (or is zero).
    #[derive(Debug, PartialEq, Eq)]
    error SlashOutOfRange(uint256 bps, uint256 maxBps);
    /// Redelegation source and destination are the same validator.
    #[derive(Debug, PartialEq, Eq)]
    error SameValidator();
    /// No unbonding entry has id `entryId`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownEntry(uint256 entryId);
    /// Entry `entryId` belongs to another account.
    #[derive(Debug, PartialEq, Eq)]
    error NotEntryOwner(uint256 entryId);
    /// Entry `entryId` can only be withdrawn from `maturity` on.
    #[derive(Debug, PartialEq, Eq)]
    error EntryNotMature(uint256 entryId, uint256 maturity);
    /// Entry `entryId` was already withdrawn.
    #[derive(Debug, PartialEq, Eq)]
    error EntryAlreadyWithdrawn(uint256 entryId);
    /// The caller has no rewards to claim.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToClaim();
    /// Rewards cannot be distributed while no validator has voting power.
    #[derive(Debug, PartialEq, Eq)]
    error NoVotingPower();
    /// The caller already delegates to `MAX_DELEGATIONS_PER_ACCOUNT` validators.
    #[derive(Debug, PartialEq, Eq)]
    error TooManyDelegations();
    /// A call to `token` reverted, returned false or returned malformed data.
    #[derive(Debug, PartialEq, Eq)]
    error TokenCallFailed(address token);
    /// LP token and reward token must differ (their balances are accounted separately).
    #[derive(Debug, PartialEq, Eq)]
    error IdenticalTokens();
    /// An unbonding period of `period` seconds is outside
    /// `[MIN_UNBONDING_PERIOD, MAX_UNBONDING_PERIOD]`.
    #[derive(Debug, PartialEq, Eq)]
    error UnbondingPeriodOutOfRange(uint256 period);
    /// ERC-5805: `timepoint` is not strictly before the current clock `clock`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);
}
