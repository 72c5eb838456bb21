// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IEloLedger {
    event ModelRegistered( uint256 indexed id, address indexed owner, bytes32 contentHash, uint256 parentId, uint256 datasetId, string uri );

    event DatasetRegistered( uint256 indexed id, address indexed contributor, bytes32 contentHash, string uri );

    event ChampionChanged(uint256 indexed previous, uint256 indexed current);

    event SessionRequested( uint256 indexed sessionId, address indexed requester, uint256 modelA, uint256 modelB, uint256 bond );

    event SessionOpened( uint256 indexed sessionId, address indexed operator, uint256 bond, uint256 snapshot, uint256 commitEnd, uint256 revealEnd );

    event VoteCommitted(uint256 indexed sessionId, address indexed voter, uint256 weight);

    event VoteDisplaced(uint256 indexed sessionId, address indexed voter, address by);

    event SeedRevealed(uint256 indexed sessionId, bytes32 seed);

    event VoteRevealed(uint256 indexed sessionId, address indexed voter, bytes results);

    event SessionFinalized( uint256 indexed sessionId, uint256 reveals, int256 ratingA, int256 ratingB );

    event SessionVoided(uint256 indexed sessionId, uint8 reason);

    event AgreementRecorded( uint256 indexed sessionId, address indexed validator, uint256 agreement, uint256 average );

    event LowAgreement(address indexed validator, uint256 average, uint256 threshold);

    event DatasetFinalized( uint256 indexed datasetId, uint256 indexed modelId, int256 impact, bool accepted );

    event BondCredited(address indexed account, uint256 amount);

    event BondWithdrawn(address indexed account, uint256 amount);

    event ValidationUpdated(address indexed operator, uint256 operatorBond, uint256 minStake);

    event ParamsUpdated( uint256 commitWindow, uint256 revealWindow, uint256 minReveals, uint256 maxVoters, uint256 sessionBond, uint256 minGames, int256 impactThreshold, uint256 agreementAlphaBps, uint256 agreementThreshold, uint256 upgradeResamples );

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function requestSession(uint256 model_a, uint256 model_b) external payable returns (uint256);

    function openSession(uint256 session_id, bytes32 seed_hash) external payable;

    function commitVote(uint256 session_id, bytes32 commitment) external;

    function revealSeed(uint256 session_id, bytes32 seed) external;

    function revealVote(uint256 session_id, bytes calldata results, bytes32 salt) external;

    function finalizeSession(uint256 session_id) external;

    function cancelRequest(uint256 session_id) external;

    function setValidation(address operator, uint256 operator_bond, uint256 min_stake) external;

    function validatorRecord(address validator, uint256 timepoint) external view returns (uint256, uint256, uint256, uint256);

    function validation() external view returns (address, uint256, uint256);

    function battleRecords() external view returns (uint256);

    function championModel() external view returns (uint256);

    function ratingOf(uint256 model_id) external view returns (int256);

    function extension() external view returns (address);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error UnknownModel(uint256);

    error UnknownDataset(uint256);

    error UnknownSession(uint256);

    error RegistryFull();

    error DatasetWithoutParent();

    error NotDatasetContributor(address);

    error DatasetAlreadyLinked(uint256);

    error SameModel();

    error NotOperator(address, address);

    error OperatorOwnsModel();

    error SessionNotRequested();

    error NotRequester(address);

    error StakeBelowMinimum(uint256, uint256);

    error SeedNotRevealed();

    error CutoffAhead(uint256, uint256);

    error FutureLookup(uint256, uint256);

    error InsufficientBond(uint256, uint256);

    error OutsideWindow(uint256, uint256, uint256);

    error SessionClosed();

    error SessionFull(uint256);

    error NotValidator(uint256);

    error VaultCallFailed(address);

    error AlreadyCommitted();

    error NoCommitment();

    error AlreadyRevealed();

    error CommitmentMismatch();

    error WrongRoundCount(uint256, uint256);

    error InvalidOutcome(uint256, uint8);

    error SeedMismatch();

    error SeedAlreadyRevealed();

    error NotEnoughGames(uint256, uint256);

    error DatasetHasNoModel();

    error DatasetAlreadyFinalized();

    error AlreadyChampion();

    error BootstrapNotBeaten(int256, int256);

    error ParameterOutOfRange(uint8);

    error NothingToWithdraw();

    error TransferFailed();

    error NotDelegated();

    function registerModel(bytes32 content_hash, string calldata uri, uint256 parent_id, uint256 dataset_id) external returns (uint256);

    function registerDataset(bytes32 content_hash, string calldata uri) external returns (uint256);

    function upgradeModel(uint256 model_id, uint256 cutoff) external;

    function finalizeDataset(uint256 dataset_id) external;

    function withdrawBond() external;

    function setParams(uint64 commit_window, uint64 reveal_window, uint32 min_reveals, uint32 max_voters, uint256 session_bond, uint64 min_games, int256 impact_threshold, uint64 agreement_alpha_bps, uint64 agreement_threshold, uint64 upgrade_resamples) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);

    function vault() external view returns (address);

    function modelOwner(uint256 model_id) external view returns (address);

    function datasetInfo(uint256 dataset_id) external view returns (address, bytes32, uint256, uint8, int256);

    function sessionInfo(uint256 session_id) external view returns (uint256, uint256, uint256);

    function topModels(uint256 n) external view returns (uint256[] memory, int256[] memory, uint256[] memory);

    function upgradeGate(uint256 model_id, uint256 cutoff) external view returns (int256, int256);
}
