// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IRewards {
    event Funded(address indexed from, uint256 amount);

    event EpochClosed( uint256 indexed epoch, uint256 start, uint256 end, uint256 budget, uint256 validatorPot, uint256 modelPaid, uint256 sessions, uint256 totalStake );

    event ValidatorRewarded( uint256 indexed epoch, address indexed validator, uint256 amount, uint256 stake, uint256 quality );

    event ModelRewarded( uint256 indexed epoch, uint256 indexed modelId, address indexed owner, uint256 rank, uint256 amount );

    event DatasetRewarded( uint256 indexed datasetId, address indexed contributor, int256 impact, uint256 amount );

    event ChampionRewarded( uint256 indexed modelId, address indexed owner, int256 gain, uint256 amount );

    event RewardClaimed(address indexed account, uint256 amount);

    event EpochSwept(uint256 indexed epoch, uint256 amount);

    event ModelNominated(uint256 indexed modelId, int256 rating, uint256 replaced);

    event LowAgreementJailed( address indexed validator, uint256 agreement, uint256 sessions, uint256 releasableAt );

    event ReleasedFromJail(address indexed validator);

    event ParamsUpdated( uint256 epochLength, uint256 validatorBps, uint256 championBps, uint256 topN, uint256 participationTarget, uint256 claimEpochs, uint256 agreementThreshold, uint256 lowAgreementSessions, uint256 jailCooldown );

    event EmissionUpdated( uint256 perEpoch, uint256 halvingEpochs, uint256 bonusPerElo, uint256 bonusCap );

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function fund(uint256 amount) external returns (uint256);

    function closeEpoch() external returns (uint256);

    function claimValidatorReward(uint256 epoch, address validator) external returns (uint256);

    function sweep(uint256 epoch) external returns (uint256);

    function claim() external returns (uint256);

    function validatorReward(uint256 epoch, address validator) external view returns (uint256, uint256, uint256);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error ArithmeticOverflow();

    error ZeroAmount();

    error TokenCallFailed(address);

    error VaultCallFailed(address);

    error LedgerCallFailed(address);

    error ParameterOutOfRange(uint8);

    error EpochNotOver(uint256, uint256);

    error EpochNotClosed(uint256, uint256);

    error EpochUnfunded(uint256);

    error AlreadyClaimed(uint256, address);

    error ClaimWindowOver(uint256);

    error ClaimWindowOpen(uint256, uint256);

    error NothingToClaim();

    error DatasetNotAccepted(uint256);

    error AlreadyRewarded(uint256);

    error AlreadyNominated(uint256);

    error RatingTooLow(int256, int256);

    error TooFewSessions(uint256, uint256);

    error AgreementNotLow(uint256, uint256);

    error InvalidTimepoint(uint256);

    error NotJailedHere(address);

    error CooldownActive(address, uint256);

    error NotDelegated();

    function nominate(uint256 model_id) external;

    function rewardDataset(uint256 dataset_id) external returns (uint256);

    function jailLowAgreement(address validator, uint256 since) external;

    function releaseFromJail(address validator) external;

    function setParams(uint64 epoch_length, uint64 validator_bps, uint64 champion_bps, uint64 top_n, uint64 participation_target, uint64 claim_epochs, uint64 agreement_threshold, uint64 low_agreement_sessions, uint64 jail_cooldown) external;

    function setEmission(uint256 per_epoch, uint64 halving_epochs, uint256 bonus_per_elo, uint256 bonus_cap) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function params() external view returns (uint64[9] memory);

    function emission() external view returns (uint256, uint64, uint256, uint256);

    function currentEpoch() external view returns (uint256, uint256, uint256);

    function epochInfo(uint256 epoch) external view returns (uint256, uint256, uint256, uint256, uint256, uint256, bool);

    function totals() external view returns (uint256, uint256, uint256, uint256);

    function owed(address account) external view returns (uint256);

    function nominated() external view returns (uint256[] memory);

    function jailOf(address validator) external view returns (uint256, uint256);

    function contracts() external view returns (address, address, address);

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);

    function extension() external view returns (address);
}
