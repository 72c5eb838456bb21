// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IOmlRegistry {
    event ModelRegistered(uint64 indexed modelId, address indexed owner, uint64 indexed parentId, bytes32 contentHash, bytes uri);

    event TermsSet(uint64 indexed modelId, Terms terms);

    event VersionPublished(uint64 indexed modelId, uint64 indexed version, bytes32 contentHash, bytes uri);

    event ModelOwnershipTransferStarted(uint64 indexed modelId, address indexed owner, address indexed pending);

    event ModelOwnershipTransferred(uint64 indexed modelId, address indexed previous, address indexed owner);

    event LicenseRequested(uint64 indexed licenseId, uint64 indexed modelId, address indexed licensee, uint256 collateral);

    event FingerprintRootSet(uint64 indexed licenseId, bytes32 root, uint8 depth);

    event UsageReported(uint64 indexed licenseId, uint256 units, uint256 fee);

    event Credited(address indexed asset, address indexed payee, uint256 amount);

    event ProversPoolFunded(uint64 indexed modelId, uint256 amount);

    event Withdrawn(address indexed asset, address indexed payee, uint256 amount);

    event LicenseTerminating(uint64 indexed licenseId, uint64 releaseAt);

    event LicenseClosed(uint64 indexed licenseId, uint256 collateral);

    event ClaimSubmitted(uint64 indexed claimId, uint64 indexed licenseId, address indexed prover, uint8 kind, uint256 bond, bytes32 evidenceHash, uint64 deadline);

    event ClaimDisputed(uint64 indexed claimId, address indexed disputer, bytes32 counterEvidence, uint64 resolveBy);

    event ClaimUpheld(uint64 indexed claimId, uint64 indexed licenseId, uint256 slashed, uint256 bounty, uint256 poolReward);

    event ClaimRejected(uint64 indexed claimId, uint64 indexed licenseId, uint256 bondForfeited);

    event ParamsSet(Params params);

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function requestLicense(uint64 model_id) external payable returns (uint64);

    function reportUsage(uint64 license_id, uint64 units) external payable;

    function submitClaim(uint64 license_id, uint8 kind, bytes32[] memory leaves, bytes32[][] memory proofs, bytes32 evidence_hash, uint256 observed_units) external payable returns (uint64);

    function finalizeClaim(uint64 claim_id) external;

    function withdraw(address asset) external returns (uint256);

    function withdrawFor(address payee, address asset) external returns (uint256);

    function extension() external view returns (address);

    struct Terms {address asset;uint256 usageFee;uint256 collateral;uint16 creatorBps;uint16 ancestorsBps;uint16 proversBps;uint16 protocolBps;uint16 ancestorDecayBps;uint8 maxDepth;}

    error UnknownModel(uint64);

    error UnknownLicense(uint64);

    error UnknownClaim(uint64);

    error UnknownVersion(uint64, uint64);

    error NotPendingOwner(uint64, address, address);

    error FeeSplitNotExact(uint256);

    error DepthAboveCap(uint256, uint256);

    error ZeroCollateral();

    error ZeroClaimBond();

    error InvalidPeriods(uint64, uint64);

    error WrongPayment(uint256, uint256);

    error TransferFailed(address, address, uint256);

    error ZeroAmount();

    error InvalidLicenseState(uint64, uint8);

    error FingerprintAlreadySet(uint64);

    error FingerprintNotSet(uint64);

    error ZeroRoot();

    error InvalidClaimKind(uint8);

    error InvalidEvidence(uint256, uint256);

    error LeavesNotAscending(uint256);

    error InvalidProof(uint256);

    error WrongProofLength(uint256, uint256, uint8);

    error FingerprintIsRoot(uint256);

    error ProverIsParty(uint64, address);

    error NothingUnpaid(uint256, uint256);

    error ClaimPending(uint64, uint64);

    error InvalidClaimState(uint64, uint8);

    error ChallengeWindowOpen(uint64);

    error ChallengeWindowClosed(uint64);

    error DisputeOpen(uint64);

    error ResolutionDeadlinePassed(uint64);

    error CooldownActive(uint64);

    error NothingToWithdraw(address, address);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error ArithmeticOverflow();

    error BpsOutOfRange(uint256, uint256);

    error NotDelegated();

    function registerModel(bytes32 content_hash, bytes calldata uri, uint64 parent_id, Terms memory terms) external returns (uint64);

    function publishVersion(uint64 model_id, bytes32 content_hash, bytes calldata uri) external returns (uint64);

    function transferModelOwnership(uint64 model_id, address new_owner) external;

    function acceptModelOwnership(uint64 model_id) external;

    function setFingerprintRoot(uint64 license_id, bytes32 root, uint8 depth) external;

    function terminateLicense(uint64 license_id) external;

    function closeLicense(uint64 license_id) external;

    function disputeClaim(uint64 claim_id, bytes32 counter_evidence) external;

    function resolveDispute(uint64 claim_id, bool uphold) external;

    function setParams(Params memory params) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);

    function params() external view returns (Params memory);

    function model(uint64 model_id) external view returns (address, address, uint64, uint64, uint256, Terms memory);

    function parentOf(uint64 model_id) external view returns (uint64);

    function ancestors(uint64 model_id, uint64 depth) external view returns (uint64[] memory);

    function versionHash(uint64 model_id, uint64 version) external view returns (bytes32);

    function license(uint64 license_id) external view returns (uint64, address, uint256, bytes32, uint8, uint64, uint64, uint256);

    function claim(uint64 claim_id) external view returns (uint64, address, uint8, uint8, uint256, uint64, bytes32);

    function credit(address asset, address payee) external view returns (uint256);

    struct Params {address treasury;uint64 challengeWindow;uint64 cooldown;uint16 claimBondBps;uint16 bountyBps;uint16 protocolSlashBps;}
}
