// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IStakingVault {
    event ValidatorRegistered(address indexed validator, uint256 commissionBps, bytes metadataURI);

    event ValidatorDeregistered(address indexed validator);

    event CommissionChangeAnnounced( address indexed validator, uint256 currentBps, uint256 newBps, uint256 effectiveAt );

    event CommissionUpdated(address indexed validator, uint256 previousBps, uint256 newBps);

    event ValidatorJailed(address indexed validator);

    event ValidatorUnjailed(address indexed validator);

    event DelegateVotesChanged(address indexed validator, uint256 previousVotes, uint256 newVotes);

    event Staked(address indexed account, address indexed validator, uint256 amount, uint256 shares);

    event Redelegated(address indexed account, address indexed from, address indexed to, uint256 amount);

    event UnbondingStarted( address indexed account, address indexed validator, uint256 indexed entryId, uint256 amount, uint256 maturity );

    event Withdrawn(address indexed account, uint256 indexed entryId, uint256 amount);

    event RewardNotified(address indexed sender, uint256 amount);

    event ValidatorRewardNotified( address indexed sender, address indexed validator, uint256 amount, uint256 commission );

    event RewardsClaimed(address indexed account, uint256 amount);

    event ValidatorSlashed( address indexed validator, uint256 bps, uint256 bondedSlashed, uint256 unbondingSlashed, bytes32 indexed reasonHash );

    event ParametersUpdated( address indexed treasury, uint256 unbondingPeriod, uint256 maxCommissionBps, uint256 maxSlashBps, address jailer );

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function stake(address validator, uint256 amount) external returns (uint256);

    function redelegate(address from, address to, uint256 amount) external returns (uint256);

    function unstake(address validator, uint256 amount) external returns (uint256);

    function withdraw(uint256 entry_id) external returns (uint256);

    function notifyRewardAmount(uint256 amount) external;

    function setParameters(address treasury, uint256 unbonding_period, uint256 max_commission_bps, uint256 max_slash_bps, address jailer) external;

    function notifyValidatorReward(address validator, uint256 amount) external;

    function claimRewards() external returns (uint256);

    function getVotes(address validator) external view returns (uint256);

    function getPastVotes(address validator, uint256 timepoint) external view returns (uint256);

    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);

    error ZeroAmount();

    error AmountTooSmall(uint256);

    error UnknownValidator(address);

    error ValidatorAlreadyRegistered(address);

    error JailedValidator(address);

    error ValidatorNotJailed(address);

    error ValidatorHasStake(address);

    error InsufficientStake(uint256, uint256);

    error CommissionTooHigh(uint256, uint256);

    error CommissionStepTooLarge(uint256, uint256);

    error SlashOutOfRange(uint256, uint256);

    error SameValidator();

    error UnknownEntry(uint256);

    error NotEntryOwner(uint256);

    error EntryNotMature(uint256, uint256);

    error EntryAlreadyWithdrawn(uint256);

    error NothingToClaim();

    error NoVotingPower();

    error TooManyDelegations();

    error TokenCallFailed(address);

    error IdenticalTokens();

    error UnbondingPeriodOutOfRange(uint256);

    error ERC5805FutureLookup(uint256, uint48);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error ArithmeticOverflow();

    error BpsOutOfRange(uint256, uint256);

    error CheckpointUnorderedInsertion(uint256, uint256);

    error NotDelegated();

    function registerValidator(uint256 commission_bps, bytes calldata metadata_uri) external;

    function announceCommission(uint256 new_bps) external;

    function deregisterValidator() external;

    function slash(address validator, uint256 bps, bytes32 reason_hash) external;

    function slashAndJail(address validator, uint256 bps, bytes32 reason_hash) external;

    function jail(address validator) external;

    function unjail(address validator) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function extension() external view returns (address);

    function governance() external view returns (address);

    function jailer() external view returns (address);

    function pendingRewards(address account) external view returns (uint256);

    function pendingGovernance() external view returns (address);

    function clock() external view returns (uint48);

    function CLOCK_MODE() external view returns (string memory);

    function version() external view returns (string memory);

    function parameters() external view returns (address, address, address, uint256, uint256, uint256);

    function isValidator(address validator) external view returns (bool);

    function getTotalVotes() external view returns (uint256);

    function validators() external view returns (address[] memory);

    function validatorInfo(address validator) external view returns (bool, bool, uint256, uint256, uint256, uint256, uint256, uint256);

    function stakeOf(address account, address validator) external view returns (uint256, uint256);

    function delegationsOf(address account) external view returns (address[] memory, uint256[] memory);

    function unbondingEntriesOf(address account) external view returns (uint256[] memory);

    function unbondingEntry(uint256 entry_id) external view returns (address, address, uint256, uint256, bool);
}
