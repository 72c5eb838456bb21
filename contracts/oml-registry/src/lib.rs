#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! OML collateral registry: model versions and family tree, licenses backed by collateral,
//! usage fees cascading along the tree, fingerprint claims with optimistic slashing.
//!
//! Roles:
//! - **Model owner** registers a model (content hash, URI, parent, [`Terms`]), publishes
//!   versions, hands ownership over in two steps, and commits each license's fingerprint Merkle
//!   root (leaves `keccak256(key ‖ response)`, sorted-pair hashing) because every host receives
//!   a copy with its own fingerprints.
//! - **Host (licensee)** deposits the model's collateral (ETH as call value, or an ERC-20 pulled
//!   with `transferFrom`), reports usage and pays `units × usageFee`, and may leave through
//!   `terminateLicense` → cooldown → `closeLicense`.
//! - **Prover** shows with Merkle proofs that a license's fingerprints answered an unlicensed
//!   deployment (leaked copy) or more usage than was paid (unpaid usage), posting a bond. After
//!   the challenge window, `finalizeClaim` slashes the collateral: bounty, bond and the model's
//!   provers' pool to the prover, a protocol share to the treasury, the rest to the model owner.
//!   A dispute (by the licensee or governance) hands the decision to governance; a rejected claim
//!   forfeits its bond to the licensee.
//! - **Governance** (the SubDAO) sets [`Params`] and resolves disputes.
//!
//! Invariants:
//! - For every asset, the contract holds exactly the sum of active collateral, bonds of open
//!   claims, provers' pools and unwithdrawn credits (checked by a property test).
//! - Every fee is split exactly: creator + ancestors + provers' pool + protocol = fee; rounding
//!   dust and shares no ancestor takes go to the creator ([`split`]).
//! - Collateral leaves only through `closeLicense` (after a cooldown longer than the challenge
//!   window, with no claim open) or a slash, so a pending claim cannot be escaped.
//! - All payouts are pull-based (`withdraw`); functions that call a token or send ETH hold the
//!   reentrancy guard, and state is written before any outgoing transfer.
extern crate alloc;

mod claims;
mod funds;
pub mod sol;
pub mod split;
pub mod storage;

use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, B256, U256, U64};
use alloy_sol_types::SolEvent;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageMap, StorageU16, StorageU256, StorageU64};

use agentdao_common::emit::{emit, emit_words, word};
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::math::{add, check_bps, BPS_DENOMINATOR};

use sol::*;
pub use sol::{Params, Terms};
use split::{SplitBps, MAX_DEPTH};
use storage::{claim_state, license_state, Claim, License, Low, Model};

/// Every error the registry can raise.
#[derive(SolidityError, Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// See [`sol::UnknownModel`].
    UnknownModel(UnknownModel),
    /// See [`sol::UnknownLicense`].
    UnknownLicense(UnknownLicense),
    /// See [`sol::UnknownClaim`].
    UnknownClaim(UnknownClaim),
    /// See [`sol::UnknownVersion`].
    UnknownVersion(UnknownVersion),
    /// See [`sol::NotPendingOwner`].
    NotPendingOwner(NotPendingOwner),
    /// See [`sol::FeeSplitNotExact`].
    FeeSplitNotExact(FeeSplitNotExact),
    /// See [`sol::DepthAboveCap`].
    DepthAboveCap(DepthAboveCap),
    /// See [`sol::ZeroCollateral`].
    ZeroCollateral(ZeroCollateral),
    /// See [`sol::ZeroClaimBond`].
    ZeroClaimBond(ZeroClaimBond),
    /// See [`sol::InvalidPeriods`].
    InvalidPeriods(InvalidPeriods),
    /// See [`sol::WrongPayment`].
    WrongPayment(WrongPayment),
    /// See [`sol::TransferFailed`].
    TransferFailed(TransferFailed),
    /// See [`sol::ZeroAmount`].
    ZeroAmount(ZeroAmount),
    /// See [`sol::InvalidLicenseState`].
    InvalidLicenseState(InvalidLicenseState),
    /// See [`sol::FingerprintAlreadySet`].
    FingerprintAlreadySet(FingerprintAlreadySet),
    /// See [`sol::FingerprintNotSet`].
    FingerprintNotSet(FingerprintNotSet),
    /// See [`sol::ZeroRoot`].
    ZeroRoot(ZeroRoot),
    /// See [`sol::InvalidClaimKind`].
    InvalidClaimKind(InvalidClaimKind),
    /// See [`sol::InvalidEvidence`].
    InvalidEvidence(InvalidEvidence),
    /// See [`sol::LeavesNotAscending`].
    LeavesNotAscending(LeavesNotAscending),
    /// See [`sol::InvalidProof`].
    InvalidProof(InvalidProof),
    /// See [`sol::NothingUnpaid`].
    NothingUnpaid(NothingUnpaid),
    /// See [`sol::ClaimPending`].
    ClaimPending(ClaimPending),
    /// See [`sol::InvalidClaimState`].
    InvalidClaimState(InvalidClaimState),
    /// See [`sol::ChallengeWindowOpen`].
    ChallengeWindowOpen(ChallengeWindowOpen),
    /// See [`sol::ChallengeWindowClosed`].
    ChallengeWindowClosed(ChallengeWindowClosed),
    /// See [`sol::CooldownActive`].
    CooldownActive(CooldownActive),
    /// See [`sol::NothingToWithdraw`].
    NothingToWithdraw(NothingToWithdraw),
    /// Shared: caller lacks the role.
    Unauthorized(Unauthorized),
    /// Shared: a zero address where one is required.
    ZeroAddress(ZeroAddress),
    /// Shared: wrong governance nominee.
    NotPendingGovernance(NotPendingGovernance),
    /// Shared: re-entered a guarded function.
    ReentrantCall(ReentrantCall),
    /// Shared: checked arithmetic failed.
    ArithmeticOverflow(ArithmeticOverflow),
    /// Shared: a basis-point value above its bound.
    BpsOutOfRange(BpsOutOfRange),
}

/// The registry's storage.
#[storage]
#[entrypoint]
pub struct OmlRegistry {
    /// Governance role (the SubDAO).
    governance: Governance,
    /// Lock for functions that call tokens or send ETH.
    guard: ReentrancyGuard,
    /// Receiver of the protocol's shares.
    treasury: StorageAddress,
    /// Seconds a claim can be disputed.
    challenge_window: StorageU64,
    /// Seconds from termination to collateral release.
    cooldown: StorageU64,
    /// Prover bond in bps of the collateral.
    claim_bond_bps: StorageU16,
    /// Prover bounty in bps of slashed collateral.
    bounty_bps: StorageU16,
    /// Treasury share in bps of slashed collateral.
    protocol_slash_bps: StorageU16,
    /// Number of models; ids run from 1.
    model_count: StorageU64,
    /// Models by id.
    models: StorageMap<u64, Model>,
    /// Number of licenses; ids run from 1.
    license_count: StorageU64,
    /// Licenses by id.
    licenses: StorageMap<u64, License>,
    /// Number of claims; ids run from 1.
    claim_count: StorageU64,
    /// Claims by id.
    claims: StorageMap<u64, Claim>,
    /// Withdrawable balances: asset → payee → amount.
    credits: StorageMap<Address, StorageMap<Address, StorageU256>>,
}

#[public]
impl OmlRegistry {
    /// Sets governance and the initial parameters.
    ///
    /// # Arguments
    /// * `governance` - account allowed to set parameters and resolve disputes.
    /// * `params` - see [`Params`].
    ///
    /// # Errors
    /// `ZeroAddress`, `InvalidPeriods`, `ZeroClaimBond`, `BpsOutOfRange` as `setParams`.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsSet`.
    #[constructor]
    pub fn constructor(&mut self, governance: Address, params: Params) -> Result<(), Error> {
        self.governance.init::<Error>(governance)?;
        self.apply_params(params)
    }

    /// Registers a model (its version 1) with fixed economic terms; the caller owns it.
    ///
    /// # Arguments
    /// * `content_hash` - hash of the weights. * `uri` - where they live (kept in the event).
    /// * `parent_id` - the model this one was fine-tuned from, 0 for none.
    /// * `terms` - fee, collateral, asset and split.
    ///
    /// # Errors
    /// `UnknownModel` (parent), `FeeSplitNotExact`, `BpsOutOfRange` (decay), `DepthAboveCap`,
    /// `ZeroCollateral`.
    ///
    /// # Events
    /// `ModelRegistered`, `TermsSet`.
    pub fn register_model(
        &mut self,
        content_hash: B256,
        uri: String,
        parent_id: u64,
        terms: Terms,
    ) -> Result<u64, Error> {
        if parent_id != 0 {
            self.model_owner(parent_id)?;
        }
        validate_terms(&terms)?;
        let id = self.model_count.get().low() + 1;
        self.model_count.set(U64::from(id));
        let owner = self.vm().msg_sender();
        let mut model = self.models.setter(id);
        model.owner.set(owner);
        model.parent.set(U64::from(parent_id));
        model.version_count.set(U64::from(1));
        model.versions.setter(1).set(content_hash);
        model.set_terms(&terms);
        emit(
            self.vm(),
            &ModelRegistered {
                modelId: id,
                owner,
                parentId: parent_id,
                contentHash: content_hash,
                uri,
            },
        );
        emit(self.vm(), &TermsSet { modelId: id, terms });
        Ok(id)
    }

    /// Publishes the next version of a model the caller owns; returns its number.
    ///
    /// # Arguments
    /// * `model_id` - the model. * `content_hash`, `uri` - the new weights.
    ///
    /// # Errors
    /// `UnknownModel`, `Unauthorized` (not the owner).
    ///
    /// # Events
    /// `VersionPublished`.
    pub fn publish_version(
        &mut self,
        model_id: u64,
        content_hash: B256,
        uri: String,
    ) -> Result<u64, Error> {
        self.only_model_owner(model_id)?;
        let mut model = self.models.setter(model_id);
        let version = model.version_count.get().low() + 1;
        model.version_count.set(U64::from(version));
        model.versions.setter(version).set(content_hash);
        emit(
            self.vm(),
            &VersionPublished {
                modelId: model_id,
                version,
                contentHash: content_hash,
                uri,
            },
        );
        Ok(version)
    }

    /// Step one of a model handover: the owner nominates `new_owner` (zero cancels).
    ///
    /// # Arguments
    /// * `model_id` - the model. * `new_owner` - the nominee.
    ///
    /// # Errors
    /// `UnknownModel`, `Unauthorized`.
    ///
    /// # Events
    /// `ModelOwnershipTransferStarted`.
    pub fn transfer_model_ownership(
        &mut self,
        model_id: u64,
        new_owner: Address,
    ) -> Result<(), Error> {
        let owner = self.only_model_owner(model_id)?;
        self.models.setter(model_id).pending_owner.set(new_owner);
        emit_words(
            self.vm(),
            &[
                ModelOwnershipTransferStarted::SIGNATURE_HASH,
                word(model_id),
                owner.into_word(),
                new_owner.into_word(),
            ],
            &[],
        );
        Ok(())
    }

    /// Step two: the nominee takes ownership of the model.
    ///
    /// # Arguments
    /// * `model_id` - the model.
    ///
    /// # Errors
    /// `UnknownModel`, `NotPendingOwner`.
    ///
    /// # Events
    /// `ModelOwnershipTransferred`.
    pub fn accept_model_ownership(&mut self, model_id: u64) -> Result<(), Error> {
        let previous = self.model_owner(model_id)?;
        let caller = self.vm().msg_sender();
        let mut model = self.models.setter(model_id);
        let pending = model.pending_owner.get();
        if pending.is_zero() || pending != caller {
            return Err(NotPendingOwner {
                modelId: model_id,
                caller,
                pending,
            }
            .into());
        }
        model.owner.set(caller);
        model.pending_owner.set(Address::ZERO);
        emit_words(
            self.vm(),
            &[
                ModelOwnershipTransferred::SIGNATURE_HASH,
                word(model_id),
                previous.into_word(),
                caller.into_word(),
            ],
            &[],
        );
        Ok(())
    }

    /// Deposits the model's collateral and opens a license for the caller.
    ///
    /// # Arguments
    /// * `model_id` - the model. ETH models take the collateral as exact call value; ERC-20
    ///   models pull it with `transferFrom` (approve first) and take no value.
    ///
    /// # Errors
    /// `UnknownModel`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `LicenseRequested`.
    #[payable]
    pub fn request_license(&mut self, model_id: u64) -> Result<u64, Error> {
        self.guarded(|this| {
            this.model_owner(model_id)?;
            let model = this.models.get(model_id);
            let (asset, collateral) = (model.asset.get(), model.collateral.get());
            let licensee = this.vm().msg_sender();
            this.collect(asset, licensee, collateral)?;
            let id = this.license_count.get().low() + 1;
            this.license_count.set(U64::from(id));
            let mut license = this.licenses.setter(id);
            license.model_id.set(U64::from(model_id));
            license.licensee.set(licensee);
            license.collateral.set(collateral);
            license
                .state
                .set(alloy_primitives::U8::from(license_state::ACTIVE));
            emit_words(
                this.vm(),
                &[
                    LicenseRequested::SIGNATURE_HASH,
                    word(id),
                    word(model_id),
                    licensee.into_word(),
                ],
                &[B256::from(collateral)],
            );
            Ok(id)
        })
    }

    /// The model owner commits the fingerprint Merkle root of the copy given to this host.
    /// It can be set once, while the license is active.
    ///
    /// # Arguments
    /// * `license_id` - the license. * `root` - sorted-pair keccak root over
    ///   `keccak256(key ‖ response)` leaves.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized` (not the model owner), `InvalidLicenseState`,
    /// `ZeroRoot`, `FingerprintAlreadySet`.
    ///
    /// # Events
    /// `FingerprintRootSet`.
    pub fn set_fingerprint_root(&mut self, license_id: u64, root: B256) -> Result<(), Error> {
        let state = self.license_state(license_id)?;
        let model_id = self.licenses.get(license_id).model_id.get().low();
        self.only_model_owner(model_id)?;
        if state != license_state::ACTIVE {
            return Err(InvalidLicenseState {
                licenseId: license_id,
                state,
            }
            .into());
        }
        if root.is_zero() {
            return Err(ZeroRoot {}.into());
        }
        let mut license = self.licenses.setter(license_id);
        if !license.fingerprint_root.get().is_zero() {
            return Err(FingerprintAlreadySet {
                licenseId: license_id,
            }
            .into());
        }
        license.fingerprint_root.set(root);
        emit_words(
            self.vm(),
            &[FingerprintRootSet::SIGNATURE_HASH, word(license_id)],
            &[root],
        );
        Ok(())
    }

    /// The licensee pays for `units` of usage; the fee is split along the family tree.
    ///
    /// # Arguments
    /// * `license_id` - an active or terminating license of the caller. * `units` - > 0.
    ///   ETH models take `units × usageFee` as exact call value, ERC-20 models pull it.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `ZeroAmount`,
    /// `ArithmeticOverflow`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `UsageReported`, `Credited` per payee, `ProversPoolFunded`.
    #[payable]
    pub fn report_usage(&mut self, license_id: u64, units: U256) -> Result<(), Error> {
        self.guarded(|this| {
            let state = this.only_licensee(license_id)?;
            if state != license_state::ACTIVE && state != license_state::TERMINATING {
                return Err(InvalidLicenseState {
                    licenseId: license_id,
                    state,
                }
                .into());
            }
            if units.is_zero() {
                return Err(ZeroAmount {}.into());
            }
            let license = this.licenses.get(license_id);
            let model_id = license.model_id.get().low();
            let reported = add::<Error>(license.reported_units.get(), units)?;
            let model = this.models.get(model_id);
            let asset = model.asset.get();
            let fee = model
                .usage_fee
                .get()
                .checked_mul(units)
                .ok_or(ArithmeticOverflow {})?;
            let payer = this.vm().msg_sender();
            this.collect(asset, payer, fee)?;
            this.licenses
                .setter(license_id)
                .reported_units
                .set(reported);
            this.distribute(model_id, asset, fee)?;
            emit_words(
                this.vm(),
                &[UsageReported::SIGNATURE_HASH, word(license_id)],
                &[B256::from(units), B256::from(fee)],
            );
            Ok(())
        })
    }

    /// The licensee starts leaving: collateral becomes releasable after the cooldown.
    ///
    /// # Arguments
    /// * `license_id` - an active license of the caller.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `ArithmeticOverflow`.
    ///
    /// # Events
    /// `LicenseTerminating`.
    pub fn terminate_license(&mut self, license_id: u64) -> Result<(), Error> {
        let state = self.only_licensee(license_id)?;
        if state != license_state::ACTIVE {
            return Err(InvalidLicenseState {
                licenseId: license_id,
                state,
            }
            .into());
        }
        let release_at = self
            .vm()
            .block_timestamp()
            .checked_add(self.cooldown.get().low())
            .ok_or(ArithmeticOverflow {})?;
        let mut license = self.licenses.setter(license_id);
        license
            .state
            .set(alloy_primitives::U8::from(license_state::TERMINATING));
        license.release_at.set(U64::from(release_at));
        emit_words(
            self.vm(),
            &[LicenseTerminating::SIGNATURE_HASH, word(license_id)],
            &[word(release_at)],
        );
        Ok(())
    }

    /// Ends a terminating license after its cooldown and credits the collateral back to the
    /// licensee (withdraw it with `withdraw`).
    ///
    /// # Arguments
    /// * `license_id` - a terminating license of the caller.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `CooldownActive`,
    /// `ClaimPending`.
    ///
    /// # Events
    /// `LicenseClosed`, `Credited`.
    pub fn close_license(&mut self, license_id: u64) -> Result<(), Error> {
        let state = self.only_licensee(license_id)?;
        if state != license_state::TERMINATING {
            return Err(InvalidLicenseState {
                licenseId: license_id,
                state,
            }
            .into());
        }
        let license = self.licenses.get(license_id);
        let release_at = license.release_at.get().low();
        if self.vm().block_timestamp() < release_at {
            return Err(CooldownActive {
                releaseAt: release_at,
            }
            .into());
        }
        let claim_id = license.active_claim.get().low();
        if claim_id != 0 {
            return Err(ClaimPending {
                licenseId: license_id,
                claimId: claim_id,
            }
            .into());
        }
        let collateral = license.collateral.get();
        let licensee = license.licensee.get();
        let asset = self.models.get(license.model_id.get().low()).asset.get();
        let mut license = self.licenses.setter(license_id);
        license.collateral.set(U256::ZERO);
        license
            .state
            .set(alloy_primitives::U8::from(license_state::CLOSED));
        self.add_credit(asset, licensee, collateral)?;
        emit_words(
            self.vm(),
            &[LicenseClosed::SIGNATURE_HASH, word(license_id)],
            &[B256::from(collateral)],
        );
        Ok(())
    }

    /// A prover accuses a license, proving with Merkle proofs that the offending deployment
    /// answered this license's fingerprints, and posts a bond in the license's asset.
    ///
    /// # Arguments
    /// * `license_id` - an active or terminating license with a fingerprint root.
    /// * `kind` - 0 leaked copy, 1 unpaid usage.
    /// * `leaves` - fingerprint leaves `keccak256(key ‖ response)` observed, strictly ascending.
    /// * `proofs` - one sorted-pair Merkle proof per leaf.
    /// * `evidence_hash` - hash of the off-chain evidence (deployment, transcripts, logs).
    /// * `observed_units` - for unpaid usage, units observed (must exceed those reported).
    ///
    /// # Errors
    /// `UnknownLicense`, `InvalidLicenseState` (closed or slashed), `ClaimPending`,
    /// `FingerprintNotSet`, `InvalidClaimKind`, `InvalidEvidence`, `LeavesNotAscending`,
    /// `InvalidProof`, `NothingUnpaid`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `ClaimSubmitted`.
    #[payable]
    pub fn submit_claim(
        &mut self,
        license_id: u64,
        kind: u8,
        leaves: Vec<B256>,
        proofs: Vec<Vec<B256>>,
        evidence_hash: B256,
        observed_units: U256,
    ) -> Result<u64, Error> {
        self.guarded(|this| {
            this.check_claim(license_id, kind, &leaves, &proofs, observed_units)?;
            this.open_claim(license_id, kind, evidence_hash)
        })
    }

    /// The licensee or governance disputes a pending claim before its window closes;
    /// governance then decides with `resolveDispute`.
    ///
    /// # Arguments
    /// * `claim_id` - the claim. * `counter_evidence` - hash of the counter-evidence.
    ///
    /// # Errors
    /// `UnknownClaim`, `InvalidClaimState`, `ChallengeWindowClosed`, `Unauthorized`.
    ///
    /// # Events
    /// `ClaimDisputed`.
    pub fn dispute_claim(&mut self, claim_id: u64, counter_evidence: B256) -> Result<(), Error> {
        let claim = self.open_claim_record(claim_id, claim_state::PENDING)?;
        let deadline = claim.deadline.get().low();
        if self.vm().block_timestamp() >= deadline {
            return Err(ChallengeWindowClosed { deadline }.into());
        }
        let licensee = self
            .licenses
            .get(claim.license_id.get().low())
            .licensee
            .get();
        let caller = self.vm().msg_sender();
        if caller != licensee && caller != self.governance.get() {
            return Err(Unauthorized {
                caller,
                required: licensee,
            }
            .into());
        }
        self.claims
            .setter(claim_id)
            .state
            .set(alloy_primitives::U8::from(claim_state::DISPUTED));
        emit_words(
            self.vm(),
            &[
                ClaimDisputed::SIGNATURE_HASH,
                word(claim_id),
                caller.into_word(),
            ],
            &[counter_evidence],
        );
        Ok(())
    }

    /// Governance decides a disputed claim: uphold slashes the license, otherwise the bond
    /// goes to the licensee.
    ///
    /// # Arguments
    /// * `claim_id` - a disputed claim. * `uphold` - the decision.
    ///
    /// # Errors
    /// `Unauthorized`, `UnknownClaim`, `InvalidClaimState`, `ArithmeticOverflow`.
    ///
    /// # Events
    /// `ClaimUpheld` or `ClaimRejected`, `Credited`.
    pub fn resolve_dispute(&mut self, claim_id: u64, uphold: bool) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.open_claim_record(claim_id, claim_state::DISPUTED)?;
        if uphold {
            self.uphold(claim_id)
        } else {
            self.reject(claim_id)
        }
    }

    /// Anyone settles an undisputed claim once its window has passed: the license is slashed.
    ///
    /// # Arguments
    /// * `claim_id` - a pending claim.
    ///
    /// # Errors
    /// `UnknownClaim`, `InvalidClaimState` (e.g. already finalized), `ChallengeWindowOpen`,
    /// `ArithmeticOverflow`.
    ///
    /// # Events
    /// `ClaimUpheld`, `Credited`.
    pub fn finalize_claim(&mut self, claim_id: u64) -> Result<(), Error> {
        let claim = self.open_claim_record(claim_id, claim_state::PENDING)?;
        let deadline = claim.deadline.get().low();
        if self.vm().block_timestamp() < deadline {
            return Err(ChallengeWindowOpen { deadline }.into());
        }
        self.uphold(claim_id)
    }

    /// Pays the caller everything credited to it in `asset` (zero address = ETH).
    ///
    /// # Arguments
    /// * `asset` - the asset to withdraw.
    ///
    /// # Errors
    /// `NothingToWithdraw`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `Withdrawn`.
    pub fn withdraw(&mut self, asset: Address) -> Result<U256, Error> {
        self.guarded(|this| this.pay_out_credit(asset))
    }

    /// Governance replaces the parameters. Running claims keep their deadlines and
    /// terminating licenses their release times.
    ///
    /// # Arguments
    /// * `params` - see [`Params`].
    ///
    /// # Errors
    /// `Unauthorized`, `ZeroAddress`, `InvalidPeriods`, `ZeroClaimBond`, `BpsOutOfRange`.
    ///
    /// # Events
    /// `ParamsSet`.
    pub fn set_params(&mut self, params: Params) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.apply_params(params)
    }

    /// Governance nominates its successor (zero cancels).
    ///
    /// # Arguments
    /// * `successor` - the nominee.
    ///
    /// # Errors
    /// `Unauthorized`.
    ///
    /// # Events
    /// `GovernanceTransferStarted`.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer::<Error>(caller, successor)
    }

    /// The nominee takes over governance.
    ///
    /// # Errors
    /// `NotPendingGovernance`.
    ///
    /// # Events
    /// `GovernanceTransferred`.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.accept::<Error>(caller)
    }

    /// Current governance.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// Nominated governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Semantic version of this contract.
    pub fn version(&self) -> String {
        String::from("0.1.0")
    }

    /// Current parameters.
    pub fn params(&self) -> Params {
        Params {
            treasury: self.treasury.get(),
            challengeWindow: self.challenge_window.get().low(),
            cooldown: self.cooldown.get().low(),
            claimBondBps: self.claim_bond_bps.get().low() as u16,
            bountyBps: self.bounty_bps.get().low() as u16,
            protocolSlashBps: self.protocol_slash_bps.get().low() as u16,
        }
    }

    /// Numbers of models, licenses and claims; ids of each run from 1 to its count.
    pub fn counts(&self) -> (u64, u64, u64) {
        (
            self.model_count.get().low(),
            self.license_count.get().low(),
            self.claim_count.get().low(),
        )
    }

    /// A model: owner, nominated next owner (zero if none), parent id (zero for a root),
    /// number of versions and the fees waiting in its provers' pool.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn model(&self, model_id: u64) -> Result<(Address, Address, u64, u64, U256), Error> {
        let owner = self.model_owner(model_id)?;
        let m = self.models.get(model_id);
        Ok((
            owner,
            m.pending_owner.get(),
            m.parent.get().low(),
            m.version_count.get().low(),
            m.provers_pool.get(),
        ))
    }

    /// Parent of a model, zero for a root model.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn parent_of(&self, model_id: u64) -> Result<u64, Error> {
        self.model_owner(model_id)?;
        Ok(self.models.get(model_id).parent.get().low())
    }

    /// Up to `depth` ancestors of a model, parent first, stopping at the root.
    ///
    /// # Errors
    /// `UnknownModel`, `DepthAboveCap` (depth > 8).
    pub fn ancestors(&self, model_id: u64, depth: u8) -> Result<Vec<u64>, Error> {
        self.model_owner(model_id)?;
        check_depth(depth)?;
        let (ids, count) = self.ancestor_ids(model_id, usize::from(depth));
        Ok(ids[..count].to_vec())
    }

    /// Terms of a model.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn terms(&self, model_id: u64) -> Result<Terms, Error> {
        self.model_owner(model_id)?;
        Ok(self.models.get(model_id).terms())
    }

    /// Content hash of version `version` (1-based) of a model.
    ///
    /// # Errors
    /// `UnknownModel`, `UnknownVersion`.
    pub fn version_hash(&self, model_id: u64, version: u64) -> Result<B256, Error> {
        self.model_owner(model_id)?;
        let model = self.models.get(model_id);
        if version == 0 || version > model.version_count.get().low() {
            return Err(UnknownVersion {
                modelId: model_id,
                version,
            }
            .into());
        }
        Ok(model.versions.get(version))
    }

    /// A license: model, licensee, collateral held, fingerprint root, state
    /// (1 active, 2 terminating, 3 closed, 4 slashed), release time, open claim, units paid.
    ///
    /// # Errors
    /// `UnknownLicense`.
    #[allow(clippy::type_complexity)]
    pub fn license(
        &self,
        license_id: u64,
    ) -> Result<(u64, Address, U256, B256, u8, u64, u64, U256), Error> {
        let state = self.license_state(license_id)?;
        let l = self.licenses.get(license_id);
        Ok((
            l.model_id.get().low(),
            l.licensee.get(),
            l.collateral.get(),
            l.fingerprint_root.get(),
            state,
            l.release_at.get().low(),
            l.active_claim.get().low(),
            l.reported_units.get(),
        ))
    }

    /// A claim: license, prover, kind, state (1 pending, 2 disputed, 3 upheld, 4 rejected),
    /// bond, deadline, evidence hash.
    ///
    /// # Errors
    /// `UnknownClaim`.
    #[allow(clippy::type_complexity)]
    pub fn claim(&self, claim_id: u64) -> Result<(u64, Address, u8, u8, U256, u64, B256), Error> {
        let c = self.claims.get(claim_id);
        let state = c.state.get().low() as u8;
        if state == 0 {
            return Err(UnknownClaim { claimId: claim_id }.into());
        }
        Ok((
            c.license_id.get().low(),
            c.prover.get(),
            c.kind.get().low() as u8,
            state,
            c.bond.get(),
            c.deadline.get().low(),
            c.evidence_hash.get(),
        ))
    }

    /// Amount `payee` can withdraw in `asset`.
    pub fn credit(&self, asset: Address, payee: Address) -> U256 {
        self.credits.getter(asset).get(payee)
    }
}

/// Checks terms before they are stored.
fn validate_terms(terms: &Terms) -> Result<(), Error> {
    let bps = SplitBps {
        creator: terms.creatorBps,
        ancestors: terms.ancestorsBps,
        provers: terms.proversBps,
        protocol: terms.protocolBps,
        decay: terms.ancestorDecayBps,
    };
    if bps.total() != BPS_DENOMINATOR {
        return Err(FeeSplitNotExact {
            sum: U256::from(bps.total()),
        }
        .into());
    }
    check_bps::<Error>(u64::from(bps.decay), BPS_DENOMINATOR)?;
    check_depth(terms.maxDepth)?;
    if terms.collateral.is_zero() {
        return Err(ZeroCollateral {}.into());
    }
    Ok(())
}

/// Fails when `depth` exceeds [`MAX_DEPTH`].
fn check_depth(depth: u8) -> Result<(), Error> {
    if usize::from(depth) > MAX_DEPTH {
        return Err(DepthAboveCap {
            depth: U256::from(depth),
            cap: U256::from(MAX_DEPTH),
        }
        .into());
    }
    Ok(())
}

impl OmlRegistry {
    /// Runs `body` under the reentrancy guard, releasing it on every path.
    fn guarded<T>(&mut self, body: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        self.guard.enter::<Error>()?;
        let result = body(self);
        self.guard.exit();
        result
    }

    /// Validates and stores governance parameters.
    fn apply_params(&mut self, params: Params) -> Result<(), Error> {
        if params.treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if params.challengeWindow == 0 || params.cooldown <= params.challengeWindow {
            return Err(InvalidPeriods {
                challengeWindow: params.challengeWindow,
                cooldown: params.cooldown,
            }
            .into());
        }
        if params.claimBondBps == 0 {
            return Err(ZeroClaimBond {}.into());
        }
        check_bps::<Error>(u64::from(params.claimBondBps), BPS_DENOMINATOR)?;
        check_bps::<Error>(
            u64::from(params.bountyBps) + u64::from(params.protocolSlashBps),
            BPS_DENOMINATOR,
        )?;
        self.treasury.set(params.treasury);
        self.challenge_window.set(U64::from(params.challengeWindow));
        self.cooldown.set(U64::from(params.cooldown));
        self.claim_bond_bps
            .set(alloy_primitives::U16::from(params.claimBondBps));
        self.bounty_bps
            .set(alloy_primitives::U16::from(params.bountyBps));
        self.protocol_slash_bps
            .set(alloy_primitives::U16::from(params.protocolSlashBps));
        emit(self.vm(), &ParamsSet { params });
        Ok(())
    }

    /// Owner of an existing model.
    fn model_owner(&self, model_id: u64) -> Result<Address, Error> {
        let owner = self.models.get(model_id).owner.get();
        if owner.is_zero() {
            return Err(UnknownModel { modelId: model_id }.into());
        }
        Ok(owner)
    }

    /// Fails unless the caller owns the model; returns the owner.
    fn only_model_owner(&self, model_id: u64) -> Result<Address, Error> {
        let owner = self.model_owner(model_id)?;
        let caller = self.vm().msg_sender();
        if caller != owner {
            return Err(Unauthorized {
                caller,
                required: owner,
            }
            .into());
        }
        Ok(owner)
    }

    /// State of an existing license.
    fn license_state(&self, license_id: u64) -> Result<u8, Error> {
        let state = self.licenses.get(license_id).state.get().low() as u8;
        if state == 0 {
            return Err(UnknownLicense {
                licenseId: license_id,
            }
            .into());
        }
        Ok(state)
    }

    /// Fails unless the caller holds the license; returns its state.
    fn only_licensee(&self, license_id: u64) -> Result<u8, Error> {
        let state = self.license_state(license_id)?;
        let licensee = self.licenses.get(license_id).licensee.get();
        let caller = self.vm().msg_sender();
        if caller != licensee {
            return Err(Unauthorized {
                caller,
                required: licensee,
            }
            .into());
        }
        Ok(state)
    }

    /// Up to `depth` ancestor ids of an existing model, parent first.
    fn ancestor_ids(&self, model_id: u64, depth: usize) -> ([u64; MAX_DEPTH], usize) {
        let mut ids = [0u64; MAX_DEPTH];
        let mut count = 0;
        let mut current = self.models.get(model_id).parent.get().low();
        while count < depth.min(MAX_DEPTH) && current != 0 {
            ids[count] = current;
            count += 1;
            current = self.models.get(current).parent.get().low();
        }
        (ids, count)
    }
}

#[cfg(test)]
mod tests;
