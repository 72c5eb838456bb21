//! Solidity types, events and errors of the OML registry.
#![allow(missing_docs)] // `sol!` generates items whose docs are the Solidity comments below.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::*;

agentdao_common::static_events! {
    /// Economic terms of a model, fixed at registration.
    #[derive(AbiType, Debug, PartialEq, Eq)]
    struct Terms {
        /// Payment and collateral asset: zero for ETH, else an ERC-20 returning `true`.
        address asset;
        /// Fee per reported usage unit.
        uint256 usageFee;
        /// Collateral a host deposits per license (> 0).
        uint256 collateral;
        /// Share of each fee for the model's creator (the current owner).
        uint16 creatorBps;
        /// Share cascaded to ancestors, parent first, decaying per generation.
        uint16 ancestorsBps;
        /// Share kept for provers who catch offending licenses of this model.
        uint16 proversBps;
        /// Share for the protocol treasury.
        uint16 protocolBps;
        /// Each ancestor takes this share of what is left of the ancestors' pool.
        uint16 ancestorDecayBps;
        /// How many generations the cascade reaches (<= 8).
        uint8 maxDepth;
    }

    /// Governance parameters.
    #[derive(AbiType, Debug, PartialEq, Eq)]
    struct Params {
        /// Receives the protocol's fee and slash shares.
        address treasury;
        /// Seconds after a claim during which it can be disputed (> 0).
        uint64 challengeWindow;
        /// Seconds between `terminateLicense` and `closeLicense` (> challengeWindow).
        uint64 cooldown;
        /// Prover bond as a share of the license's collateral, rounded up (1..=10,000).
        uint16 claimBondBps;
        /// Prover's bounty as a share of slashed collateral.
        uint16 bountyBps;
        /// Treasury's share of slashed collateral (bounty + protocol <= 10,000).
        uint16 protocolSlashBps;
    }

    /// A model was registered; it is version 1.
    event ModelRegistered(uint64 indexed modelId, address indexed owner, uint64 indexed parentId, bytes32 contentHash, bytes uri);
    /// The terms a model was registered with.
    event TermsSet(uint64 indexed modelId, Terms terms);
    /// A new version of a model was published.
    event VersionPublished(uint64 indexed modelId, uint64 indexed version, bytes32 contentHash, bytes uri);
    /// A model's owner nominated `pending` as successor (zero cancels).
    event ModelOwnershipTransferStarted(uint64 indexed modelId, address indexed owner, address indexed pending);
    /// The nominee accepted ownership of a model.
    event ModelOwnershipTransferred(uint64 indexed modelId, address indexed previous, address indexed owner);
    /// A host deposited collateral and received a license.
    event LicenseRequested(uint64 indexed licenseId, uint64 indexed modelId, address indexed licensee, uint256 collateral);
    /// The model owner committed the fingerprint root of a license and its tree's depth (the
    /// length every proof must have).
    event FingerprintRootSet(uint64 indexed licenseId, bytes32 root, uint8 depth);
    /// A licensee paid for usage.
    event UsageReported(uint64 indexed licenseId, uint256 units, uint256 fee);
    /// `amount` of `asset` became withdrawable by `payee`.
    event Credited(address indexed asset, address indexed payee, uint256 amount);
    /// Added to a model's provers' pool.
    event ProversPoolFunded(uint64 indexed modelId, uint256 amount);
    /// `payee` withdrew `amount` of `asset`.
    event Withdrawn(address indexed asset, address indexed payee, uint256 amount);
    /// A licensee started the cooldown; collateral is releasable from `releaseAt`.
    event LicenseTerminating(uint64 indexed licenseId, uint64 releaseAt);
    /// A license ended and its collateral was credited back.
    event LicenseClosed(uint64 indexed licenseId, uint256 collateral);
    /// A prover accused a license.
    event ClaimSubmitted(uint64 indexed claimId, uint64 indexed licenseId, address indexed prover, uint8 kind, uint256 bond, bytes32 evidenceHash, uint64 deadline);
    /// The licensee or governance disputed a claim; governance decides before `resolveBy`, after
    /// which anyone can settle it by the default (rejected, bond to the licensee).
    event ClaimDisputed(uint64 indexed claimId, address indexed disputer, bytes32 counterEvidence, uint64 resolveBy);
    /// A claim succeeded: the license's collateral was slashed.
    event ClaimUpheld(uint64 indexed claimId, uint64 indexed licenseId, uint256 slashed, uint256 bounty, uint256 poolReward);
    /// A claim failed: its bond went to the licensee.
    event ClaimRejected(uint64 indexed claimId, uint64 indexed licenseId, uint256 bondForfeited);
    /// Governance changed the parameters.
    event ParamsSet(Params params);

    /// No model has id `modelId`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownModel(uint64 modelId);
    /// No license has id `licenseId`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownLicense(uint64 licenseId);
    /// No claim has id `claimId`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownClaim(uint64 claimId);
    /// Model `modelId` has no version `version`.
    #[derive(Debug, PartialEq, Eq)]
    error UnknownVersion(uint64 modelId, uint64 version);
    /// `caller` is not the nominated owner `pending` of model `modelId`.
    #[derive(Debug, PartialEq, Eq)]
    error NotPendingOwner(uint64 modelId, address caller, address pending);
    /// The four fee shares add up to `sum` instead of 10,000.
    #[derive(Debug, PartialEq, Eq)]
    error FeeSplitNotExact(uint256 sum);
    /// A depth of `depth` (family generations, or fingerprint tree levels) exceeds the cap `cap`.
    #[derive(Debug, PartialEq, Eq)]
    error DepthAboveCap(uint256 depth, uint256 cap);
    /// A model must require some collateral.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroCollateral();
    /// A claim bond share of zero would make claims free.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroClaimBond();
    /// The periods are unusable: the window must be > 0 and the cooldown longer than it.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidPeriods(uint64 challengeWindow, uint64 cooldown);
    /// The call carried `received` wei (or was owed `received`) where `expected` was due.
    #[derive(Debug, PartialEq, Eq)]
    error WrongPayment(uint256 expected, uint256 received);
    /// Moving `amount` of `asset` to or from `account` failed.
    #[derive(Debug, PartialEq, Eq)]
    error TransferFailed(address asset, address account, uint256 amount);
    /// An amount or a unit count that must be positive was zero.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAmount();
    /// License `licenseId` is in `state`, which does not allow this call.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidLicenseState(uint64 licenseId, uint8 state);
    /// The fingerprint root of `licenseId` is already committed.
    #[derive(Debug, PartialEq, Eq)]
    error FingerprintAlreadySet(uint64 licenseId);
    /// License `licenseId` has no fingerprint root yet, so it cannot be accused.
    #[derive(Debug, PartialEq, Eq)]
    error FingerprintNotSet(uint64 licenseId);
    /// A fingerprint root must not be zero.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroRoot();
    /// `kind` is neither 0 (leaked copy) nor 1 (unpaid usage).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidClaimKind(uint8 kind);
    /// `leaves` leaves came with `proofs` proofs, or none at all.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidEvidence(uint256 leaves, uint256 proofs);
    /// Leaf `index` repeats or is out of ascending order.
    #[derive(Debug, PartialEq, Eq)]
    error LeavesNotAscending(uint256 index);
    /// The Merkle proof of leaf `index` does not lead to the license's root.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidProof(uint256 index);
    /// The proof of leaf `index` has `length` hashes; the license's tree needs exactly `depth`.
    #[derive(Debug, PartialEq, Eq)]
    error WrongProofLength(uint256 index, uint256 length, uint8 depth);
    /// Leaf `index` is the license's root itself, not a fingerprint.
    #[derive(Debug, PartialEq, Eq)]
    error FingerprintIsRoot(uint256 index);
    /// `prover` is the licensee or the model's owner of license `licenseId`: parties to a
    /// license cannot accuse it.
    #[derive(Debug, PartialEq, Eq)]
    error ProverIsParty(uint64 licenseId, address prover);
    /// An unpaid-usage claim must observe more units (`observed`) than were paid (`reported`).
    #[derive(Debug, PartialEq, Eq)]
    error NothingUnpaid(uint256 observed, uint256 reported);
    /// License `licenseId` already has claim `claimId` pending.
    #[derive(Debug, PartialEq, Eq)]
    error ClaimPending(uint64 licenseId, uint64 claimId);
    /// Claim `claimId` is in `state`, which does not allow this call.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidClaimState(uint64 claimId, uint8 state);
    /// The challenge window is still open until `deadline`.
    #[derive(Debug, PartialEq, Eq)]
    error ChallengeWindowOpen(uint64 deadline);
    /// The challenge window closed at `deadline`.
    #[derive(Debug, PartialEq, Eq)]
    error ChallengeWindowClosed(uint64 deadline);
    /// The disputed claim awaits governance until `resolveBy`; only then can anyone settle it.
    #[derive(Debug, PartialEq, Eq)]
    error DisputeOpen(uint64 resolveBy);
    /// Governance's time to decide the disputed claim ended at `resolveBy`.
    #[derive(Debug, PartialEq, Eq)]
    error ResolutionDeadlinePassed(uint64 resolveBy);
    /// The collateral is locked until `releaseAt`.
    #[derive(Debug, PartialEq, Eq)]
    error CooldownActive(uint64 releaseAt);
    /// `payee` has nothing to withdraw in `asset`.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToWithdraw(address asset, address payee);
}
