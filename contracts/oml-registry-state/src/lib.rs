#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! OML registry state and logic, shared by the registry's two programs: the core program
//! (`oml-registry`, the address users call) and its extension (`oml-registry-ext`, reached
//! through the core's fallback by delegate call, see `agentdao_common::extension`). Both programs
//! hold [`Registry`] as their only storage field, so they share one layout; their `#[public]`
//! methods call the methods of [`Registry`] defined here. The core keeps the paid and
//! benchmarked paths (`requestLicense`, `reportUsage`, `submitClaim`, `finalizeClaim`,
//! `withdraw`); the extension holds model registration and ownership, license admin, disputes,
//! governance and the views.
//!
//! The registry: model versions and family tree, licenses backed by collateral, usage fees
//! cascading along the tree, fingerprint claims with optimistic slashing.
//!
//! Roles:
//! - **Model owner** registers a model (content hash, URI, parent, [`Terms`]), publishes
//!   versions, hands ownership over in two steps, and commits each license's fingerprint Merkle
//!   root and tree depth because every host receives a copy with its own fingerprints.
//! - **Host (licensee)** deposits the model's collateral (ETH as call value, or an ERC-20 pulled
//!   with `transferFrom`), reports usage and pays `units × usageFee`, and may leave through
//!   `terminateLicense` → cooldown → `closeLicense`.
//! - **Prover** (anyone but the license's licensee and its model's owner) shows with Merkle
//!   proofs that a license's fingerprints answered an unlicensed deployment (leaked copy) or
//!   more usage than was paid (unpaid usage), posting a bond. After the challenge window,
//!   `finalizeClaim` slashes the collateral: bond, bounty and half of the model's provers' pool
//!   (at most the collateral) to the prover, a protocol share to the treasury, the rest to the
//!   model owner. A dispute (by the licensee or governance) hands the decision to governance
//!   until a resolution deadline; a rejected claim forfeits its bond to the licensee.
//! - **Governance** (the SubDAO) sets [`Params`] and resolves disputes.
//!
//! Invariants:
//! - For every asset, the contract holds exactly the sum of active collateral, bonds of open
//!   claims, provers' pools and unwithdrawn credits (checked by a property test with ETH, a
//!   plain and a taxed token).
//! - Every fee is split exactly: creator + ancestors + provers' pool + protocol = fee; rounding
//!   dust and shares no ancestor takes go to the creator ([`split`]).
//! - Collateral leaves only through `closeLicense` (after a cooldown longer than the challenge
//!   window, with no claim open) or a slash, so a pending claim cannot be escaped; and no claim
//!   stays open longer than its challenge window plus one cooldown.
//! - All payouts are pull-based (`withdraw`); every function that moves value or changes a
//!   license or a claim holds the reentrancy guard, and state is written before any outgoing
//!   transfer.
//!
//! Design choices:
//! - **Fingerprint evidence cannot be forged from public hashes.** A prover submits fingerprints
//!   `keccak256(key ‖ response)`; the contract hashes each once more into its tree leaf
//!   (`agentdao_common::merkle`: a 32-byte preimage, while inner nodes hash 64 bytes), so the
//!   root or an inner node seen in an earlier proof is no fingerprint. The owner commits the
//!   tree's depth with the root, every proof must have exactly that many hashes (levels with an
//!   odd node count pair the last node with itself, so all proofs are equally long), and a
//!   fingerprint equal to the root is refused outright. Domain separation was chosen over
//!   revealing `(key, response)` on chain: 32 bytes of calldata per fingerprint, no dynamic
//!   `bytes[]` decoding in the size-bound core program, and the responses stay in the off-chain
//!   evidence.
//! - **Taxed and fee-on-transfer assets.** An ERC-20 payment counts what arrived: the
//!   registry's `balanceOf` before and after the `transferFrom` (collateral, fee or bond); a
//!   pull that delivers nothing fails. Refusing such tokens would exclude the system's own agent
//!   token (1% tax). Outgoing transfers debit the full credit; what the payee receives after
//!   the token's tax is the token's business.
//! - **No self-dealing from the provers' pool.** The licensee and the model's current owner
//!   cannot accuse the license. An upheld claim takes half of the model's provers' pool
//!   ([`POOL_REWARD_BPS`]), at most the collateral slashed: the pool is filled by every host's
//!   fees and must keep paying later provers, and a prover working for a model owner (a
//!   different address) must lock a license's collateral through a challenge window, lose the
//!   protocol's share of it, and gets no more from the pool than that collateral per claim.
//! - **Disputes end.** A dispute moves the claim's deadline to one collateral cooldown
//!   (`params.cooldown`, longer than the challenge window) after the dispute; governance decides
//!   before it. After it, `finalizeClaim` (anyone) settles the claim by the default: rejected,
//!   the bond to the licensee. The accuser carries the burden of proof, the forfeited bond pays
//!   the licensee for the locked collateral, and claim spam cannot count on governance staying
//!   idle. Reusing the cooldown keeps [`Params`] unchanged.
extern crate alloc;

mod claims;
pub mod errors;
mod funds;
pub mod sol;
pub mod split;
pub mod storage;
pub mod surface;

use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageMap, StorageU256};

use agentdao_common::errors::{ArithmeticOverflow, Unauthorized, ZeroAddress};
use agentdao_common::extension;
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::limb_math::checked_mul_u64;
use agentdao_common::math::{add, check_bps, BPS_DENOMINATOR};
use agentdao_common::merkle;
use agentdao_common::raw_bytes::RawBytes;

pub use claims::POOL_REWARD_BPS;
pub use errors::Error;
use sol::*;
pub use sol::{Params, Terms};
use split::{SplitBps, MAX_DEPTH};
use storage::table::{CLAIM, GLOBAL, LICENSE, MODEL, VERSION};
use storage::{claim, claim_state, global, license, license_state, model};

/// The registry's storage (the only field of both programs' entrypoint structs).
#[storage]
pub struct Registry {
    /// Governance role (the SubDAO).
    governance: Governance,
    /// Lock for functions that call tokens or send ETH.
    guard: ReentrancyGuard,
    /// Every model, version, license and claim field and the contract-wide words, keyed by
    /// `(table, id, field)`: see [`storage`].
    records: StorageMap<U256, StorageU256>,
    /// Withdrawable balances: asset → payee → amount.
    credits: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// The extension program the core forwards unknown selectors to (never zero once
    /// constructed; zero in the extension's own storage, which marks a direct call).
    extension: StorageAddress,
}

// SAFETY: `Registry` is the only field of each program's entrypoint struct (at slot zero), so
// it spans the program's entire storage exactly like the entrypoint struct does: holding
// `&mut Registry` excludes every other storage reference, which is what the SDK requires of the
// borrow it takes for a state-changing external call.
unsafe impl TopLevelStorage for Registry {}

impl Registry {
    /// Initialises the registry, for the core's constructor: governance, the initial
    /// parameters and the extension program.
    ///
    /// # Arguments
    /// * `governance` - account allowed to set parameters and resolve disputes.
    /// * `params` - see [`Params`].
    /// * `extension` - the extension program (`oml-registry-ext`) the core delegates to.
    ///
    /// # Errors
    /// `ZeroAddress` (also for a zero `extension`, checked before anything is stored),
    /// `InvalidPeriods`, `ZeroClaimBond`, `BpsOutOfRange` as `setParams`.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsSet`.
    pub fn init(
        &mut self,
        governance: Address,
        params: Params,
        extension: Address,
    ) -> Result<(), Error> {
        if extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.governance.init::<Error>(governance)?;
        self.apply_params(params)?;
        self.extension.set(extension);
        Ok(())
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
        uri: RawBytes,
        parent_id: u64,
        terms: Terms,
    ) -> Result<u64, Error> {
        if parent_id != 0 {
            self.model_owner(parent_id)?;
        }
        validate_terms(&terms)?;
        let id = self.next_id(global::MODELS);
        let owner = self.vm().msg_sender();
        self.store_model(id, owner, parent_id, content_hash, &terms);
        tail::ModelRegistered {
            modelId: id,
            owner,
            parentId: parent_id,
            contentHash: content_hash,
            uri: uri.as_bytes(),
        }
        .emit_by_ref(self.vm());
        TermsSet { modelId: id, terms }.emit(self.vm());
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
        uri: RawBytes,
    ) -> Result<u64, Error> {
        self.only_model_owner(model_id)?;
        let version = self.info(MODEL, model_id)[model::VERSIONS] + 1;
        self.set_info_limb(MODEL, model_id, model::VERSIONS, version);
        self.set_word(VERSION, model_id, version, content_hash.into());
        tail::VersionPublished {
            modelId: model_id,
            version,
            contentHash: content_hash,
            uri: uri.as_bytes(),
        }
        .emit_by_ref(self.vm());
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
        self.set_address(MODEL, model_id, model::PENDING_OWNER, new_owner);
        ModelOwnershipTransferStarted {
            modelId: model_id,
            owner,
            pending: new_owner,
        }
        .emit_by_ref(self.vm());
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
        let pending = self.address(MODEL, model_id, model::PENDING_OWNER);
        if pending.is_zero() || pending != caller {
            return Err(NotPendingOwner {
                modelId: model_id,
                caller,
                pending,
            }
            .into());
        }
        self.set_address(MODEL, model_id, model::OWNER, caller);
        self.set_address(MODEL, model_id, model::PENDING_OWNER, Address::ZERO);
        ModelOwnershipTransferred {
            modelId: model_id,
            previous,
            owner: caller,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Deposits the model's collateral and opens a license for the caller.
    ///
    /// # Arguments
    /// * `model_id` - the model. ETH models take the collateral as exact call value; ERC-20
    ///   models pull it with `transferFrom` (approve first) and take no value. The license
    ///   holds what arrived (a taxed token delivers less than the terms' collateral).
    ///
    /// # Errors
    /// `UnknownModel`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `LicenseRequested`.
    pub fn request_license(&mut self, model_id: u64) -> Result<u64, Error> {
        self.guarded(|this| {
            this.model_owner(model_id)?;
            let asset = this.address(MODEL, model_id, model::ASSET);
            let terms_collateral = this.word(MODEL, model_id, model::COLLATERAL);
            let licensee = this.vm().msg_sender();
            let collateral = this.collect(asset, licensee, terms_collateral)?;
            let id = this.next_id(global::LICENSES);
            this.set_address(LICENSE, id, license::LICENSEE, licensee);
            this.set_word(LICENSE, id, license::COLLATERAL, collateral);
            this.set_info(LICENSE, id, [model_id, 0, 0, license_state::ACTIVE]);
            LicenseRequested {
                licenseId: id,
                modelId: model_id,
                licensee,
                collateral,
            }
            .emit_by_ref(this.vm());
            Ok(id)
        })
    }

    /// The model owner commits the fingerprint Merkle root of the copy given to this host and
    /// the tree's depth. It can be set once, while the license is active.
    ///
    /// # Arguments
    /// * `license_id` - the license.
    /// * `root` - root of the sorted-pair keccak tree whose leaves are
    ///   `keccak256(keccak256(key ‖ response))` (`agentdao_common::merkle`).
    /// * `depth` - the tree's depth (0..=32): every proof must have exactly this many hashes
    ///   (a level with an odd node count pairs its last node with itself).
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized` (not the model owner), `InvalidLicenseState`,
    /// `ZeroRoot`, `DepthAboveCap` (depth > 32), `FingerprintAlreadySet`, `ReentrantCall`.
    ///
    /// # Events
    /// `FingerprintRootSet`.
    pub fn set_fingerprint_root(
        &mut self,
        license_id: u64,
        root: B256,
        depth: u8,
    ) -> Result<(), Error> {
        self.guarded(|this| {
            let info = this.license_info(license_id)?;
            this.only_model_owner(info[license::MODEL])?;
            this.require_license_state(license_id, info, license_state::ACTIVE, 0)?;
            if root.is_zero() {
                return Err(ZeroRoot {}.into());
            }
            if depth > merkle::MAX_TREE_DEPTH {
                return Err(DepthAboveCap {
                    depth: U256::from(depth),
                    cap: U256::from(merkle::MAX_TREE_DEPTH),
                }
                .into());
            }
            if !this.word(LICENSE, license_id, license::ROOT).is_zero() {
                return Err(FingerprintAlreadySet {
                    licenseId: license_id,
                }
                .into());
            }
            this.set_word(LICENSE, license_id, license::ROOT, root.into());
            this.set_word(LICENSE, license_id, license::DEPTH, U256::from(depth));
            FingerprintRootSet {
                licenseId: license_id,
                root,
                depth,
            }
            .emit_by_ref(this.vm());
            Ok(())
        })
    }

    /// The licensee pays for `units` of usage; the fee is split along the family tree.
    ///
    /// # Arguments
    /// * `license_id` - an active or terminating license of the caller. * `units` - > 0.
    ///   ETH models take `units × usageFee` as exact call value, ERC-20 models pull it; what
    ///   arrived is split (a taxed token delivers less).
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `ZeroAmount`,
    /// `ArithmeticOverflow`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `UsageReported`, `Credited` per payee, `ProversPoolFunded`.
    pub fn report_usage(&mut self, license_id: u64, units: u64) -> Result<(), Error> {
        self.guarded(|this| {
            let info = this.only_licensee(license_id)?;
            this.require_license_state(
                license_id,
                info,
                license_state::ACTIVE,
                license_state::TERMINATING,
            )?;
            if units == 0 {
                return Err(ZeroAmount {}.into());
            }
            let model_id = info[license::MODEL];
            let reported = add::<ArithmeticOverflow>(
                this.word(LICENSE, license_id, license::UNITS),
                U256::from(units),
            )?;
            let asset = this.address(MODEL, model_id, model::ASSET);
            let fee = checked_mul_u64(this.word(MODEL, model_id, model::USAGE_FEE), units)
                .ok_or(ArithmeticOverflow {})?;
            let payer = this.vm().msg_sender();
            let received = this.collect(asset, payer, fee)?;
            this.set_word(LICENSE, license_id, license::UNITS, reported);
            this.distribute(model_id, asset, received)?;
            UsageReported {
                licenseId: license_id,
                units: U256::from(units),
                fee: received,
            }
            .emit_by_ref(this.vm());
            Ok(())
        })
    }

    /// The licensee starts leaving: collateral becomes releasable after the cooldown.
    ///
    /// # Arguments
    /// * `license_id` - an active license of the caller.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `ArithmeticOverflow`,
    /// `ReentrantCall`.
    ///
    /// # Events
    /// `LicenseTerminating`.
    pub fn terminate_license(&mut self, license_id: u64) -> Result<(), Error> {
        self.guarded(|this| {
            let mut info = this.only_licensee(license_id)?;
            this.require_license_state(license_id, info, license_state::ACTIVE, 0)?;
            let release_at = this.after(global::COOLDOWN)?;
            info[license::STATE] = license_state::TERMINATING;
            info[license::RELEASE_AT] = release_at;
            this.set_info(LICENSE, license_id, info);
            LicenseTerminating {
                licenseId: license_id,
                releaseAt: release_at,
            }
            .emit_by_ref(this.vm());
            Ok(())
        })
    }

    /// Ends a terminating license after its cooldown and credits the collateral back to the
    /// licensee (withdraw it with `withdraw`).
    ///
    /// # Arguments
    /// * `license_id` - a terminating license of the caller.
    ///
    /// # Errors
    /// `UnknownLicense`, `Unauthorized`, `InvalidLicenseState`, `CooldownActive`,
    /// `ClaimPending`, `ReentrantCall`.
    ///
    /// # Events
    /// `LicenseClosed`, `Credited`.
    pub fn close_license(&mut self, license_id: u64) -> Result<(), Error> {
        self.guarded(|this| {
            let mut info = this.only_licensee(license_id)?;
            this.require_license_state(license_id, info, license_state::TERMINATING, 0)?;
            let release_at = info[license::RELEASE_AT];
            if this.vm().block_timestamp() < release_at {
                return Err(CooldownActive {
                    releaseAt: release_at,
                }
                .into());
            }
            this.require_no_claim(license_id, info)?;
            let collateral = this.word(LICENSE, license_id, license::COLLATERAL);
            let licensee = this.address(LICENSE, license_id, license::LICENSEE);
            let asset = this.license_asset(info);
            info[license::STATE] = license_state::CLOSED;
            this.set_word(LICENSE, license_id, license::COLLATERAL, U256::ZERO);
            this.set_info(LICENSE, license_id, info);
            this.add_credit(asset, licensee, collateral)?;
            LicenseClosed {
                licenseId: license_id,
                collateral,
            }
            .emit_by_ref(this.vm());
            Ok(())
        })
    }

    /// A prover accuses a license, proving with Merkle proofs that the offending deployment
    /// answered this license's fingerprints, and posts a bond in the license's asset
    /// (collateral × claimBondBps, rounded up; the claim holds what arrived).
    ///
    /// # Arguments
    /// * `license_id` - an active or terminating license with a fingerprint root; the caller
    ///   is neither its licensee nor its model's owner.
    /// * `kind` - 0 leaked copy, 1 unpaid usage.
    /// * `leaves` - fingerprints `keccak256(key ‖ response)` observed, strictly ascending; the
    ///   contract hashes each once more into its tree leaf.
    /// * `proofs` - one sorted-pair Merkle proof per leaf, each exactly the tree's depth long.
    /// * `evidence_hash` - hash of the off-chain evidence (deployment, transcripts, logs).
    /// * `observed_units` - for unpaid usage, units observed (must exceed those reported).
    ///
    /// # Errors
    /// `UnknownLicense`, `InvalidLicenseState` (closed or slashed), `ClaimPending`,
    /// `FingerprintNotSet`, `ProverIsParty`, `InvalidClaimKind`, `InvalidEvidence`,
    /// `LeavesNotAscending`, `WrongProofLength`, `FingerprintIsRoot`, `InvalidProof`,
    /// `NothingUnpaid`, `WrongPayment`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `ClaimSubmitted`.
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
            let info = this.check_claim(license_id, kind, &leaves, &proofs, observed_units)?;
            this.open_claim(license_id, info, kind, evidence_hash)
        })
    }

    /// The licensee or governance disputes a pending claim before its window closes;
    /// governance then has one collateral cooldown (`params.cooldown`, longer than the
    /// challenge window) to decide with `resolveDispute`. After that resolution deadline
    /// anyone settles the claim with `finalizeClaim` by the default: rejected, the bond to the
    /// licensee.
    ///
    /// # Arguments
    /// * `claim_id` - the claim. * `counter_evidence` - hash of the counter-evidence.
    ///
    /// # Errors
    /// `UnknownClaim`, `InvalidClaimState`, `ChallengeWindowClosed`, `Unauthorized`,
    /// `ArithmeticOverflow`, `ReentrantCall`.
    ///
    /// # Events
    /// `ClaimDisputed`.
    pub fn dispute_claim(&mut self, claim_id: u64, counter_evidence: B256) -> Result<(), Error> {
        self.guarded(|this| {
            let mut info = this.claim_in_state(claim_id, claim_state::PENDING)?;
            let deadline = info[claim::DEADLINE];
            if this.vm().block_timestamp() >= deadline {
                return Err(ChallengeWindowClosed { deadline }.into());
            }
            let licensee = this.address(LICENSE, info[claim::LICENSE], license::LICENSEE);
            let caller = this.vm().msg_sender();
            if caller != licensee && caller != this.governance.get() {
                return Err(Unauthorized {
                    caller,
                    required: licensee,
                }
                .into());
            }
            let resolve_by = this.after(global::COOLDOWN)?;
            info[claim::STATE] = claim_state::DISPUTED;
            info[claim::DEADLINE] = resolve_by;
            this.set_info(CLAIM, claim_id, info);
            ClaimDisputed {
                claimId: claim_id,
                disputer: caller,
                counterEvidence: counter_evidence,
                resolveBy: resolve_by,
            }
            .emit_by_ref(this.vm());
            Ok(())
        })
    }

    /// Governance decides a disputed claim before its resolution deadline: uphold slashes the
    /// license, otherwise the bond goes to the licensee.
    ///
    /// # Arguments
    /// * `claim_id` - a disputed claim. * `uphold` - the decision.
    ///
    /// # Errors
    /// `Unauthorized`, `UnknownClaim`, `InvalidClaimState`, `ResolutionDeadlinePassed`,
    /// `ArithmeticOverflow`, `ReentrantCall`.
    ///
    /// # Events
    /// `ClaimUpheld` or `ClaimRejected`, `Credited`.
    pub fn resolve_dispute(&mut self, claim_id: u64, uphold: bool) -> Result<(), Error> {
        self.guarded(|this| {
            this.governance.only::<Error>(this.vm().msg_sender())?;
            let info = this.claim_in_state(claim_id, claim_state::DISPUTED)?;
            let resolve_by = info[claim::DEADLINE];
            if this.vm().block_timestamp() >= resolve_by {
                return Err(ResolutionDeadlinePassed {
                    resolveBy: resolve_by,
                }
                .into());
            }
            if uphold {
                this.uphold(claim_id, info)
            } else {
                this.reject(claim_id, info)
            }
        })
    }

    /// Anyone settles a claim whose time is up: a pending claim past its challenge window is
    /// upheld (the license is slashed); a disputed claim past its resolution deadline, which
    /// governance left undecided, is rejected by default (the bond goes to the licensee).
    ///
    /// # Arguments
    /// * `claim_id` - a pending or disputed claim.
    ///
    /// # Errors
    /// `UnknownClaim`, `InvalidClaimState` (e.g. already settled), `ChallengeWindowOpen`,
    /// `DisputeOpen`, `ArithmeticOverflow`, `ReentrantCall`.
    ///
    /// # Events
    /// `ClaimUpheld` or `ClaimRejected`, `Credited`.
    pub fn finalize_claim(&mut self, claim_id: u64) -> Result<(), Error> {
        self.guarded(|this| {
            let info = this.claim_info(claim_id)?;
            let (state, deadline) = (info[claim::STATE], info[claim::DEADLINE]);
            let open = this.vm().block_timestamp() < deadline;
            match state {
                claim_state::PENDING if open => Err(ChallengeWindowOpen { deadline }.into()),
                claim_state::PENDING => this.uphold(claim_id, info),
                claim_state::DISPUTED if open => Err(DisputeOpen {
                    resolveBy: deadline,
                }
                .into()),
                claim_state::DISPUTED => this.reject(claim_id, info),
                _ => Err(InvalidClaimState {
                    claimId: claim_id,
                    state: state as u8,
                }
                .into()),
            }
        })
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
        let payee = self.vm().msg_sender();
        self.guarded(|this| this.pay_out_credit(payee, asset))
    }

    /// Pays `payee` everything credited to it in `asset` (zero address = ETH); anyone may
    /// call. The credit can only go to its owner, so a stranger can at most choose when it
    /// arrives; this lets a program that cannot call the registry itself (such as the revenue
    /// program, when governance makes it the treasury) receive its protocol share.
    ///
    /// # Arguments
    /// * `payee` - whose credit to pay out.
    /// * `asset` - the asset to pay out.
    ///
    /// # Errors
    /// `NothingToWithdraw`, `TransferFailed`, `ReentrantCall`.
    ///
    /// # Events
    /// `Withdrawn`.
    pub fn withdraw_for(&mut self, payee: Address, asset: Address) -> Result<U256, Error> {
        self.guarded(|this| this.pay_out_credit(payee, asset))
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
        String::from("0.2.0")
    }

    /// Current parameters.
    pub fn params(&self) -> Params {
        let c = self.info(GLOBAL, 0);
        Params {
            treasury: self.address(GLOBAL, 0, global::TREASURY),
            challengeWindow: c[global::WINDOW],
            cooldown: c[global::COOLDOWN],
            claimBondBps: c[global::BOND_BPS] as u16,
            bountyBps: c[global::SLASH_BPS] as u16,
            protocolSlashBps: (c[global::SLASH_BPS] >> 32) as u16,
        }
    }

    /// A model: owner, nominated next owner (zero if none), parent id (zero for a root),
    /// number of versions, the fees waiting in its provers' pool, and its terms.
    ///
    /// # Errors
    /// `UnknownModel`.
    #[allow(clippy::type_complexity)]
    pub fn model(&self, model_id: u64) -> Result<(Address, Address, u64, u64, U256, Terms), Error> {
        let owner = self.model_owner(model_id)?;
        let info = self.info(MODEL, model_id);
        Ok((
            owner,
            self.address(MODEL, model_id, model::PENDING_OWNER),
            info[model::PARENT],
            info[model::VERSIONS],
            self.word(MODEL, model_id, model::PROVERS_POOL),
            self.model_terms(model_id),
        ))
    }

    /// Parent of a model, zero for a root model.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn parent_of(&self, model_id: u64) -> Result<u64, Error> {
        self.model_owner(model_id)?;
        Ok(self.info(MODEL, model_id)[model::PARENT])
    }

    /// Up to `depth` ancestors of a model, parent first, stopping at the root.
    ///
    /// # Errors
    /// `UnknownModel`, `DepthAboveCap` (depth > 8).
    pub fn ancestors(&self, model_id: u64, depth: u64) -> Result<Vec<u64>, Error> {
        self.model_owner(model_id)?;
        check_depth(depth)?;
        let (ids, count) = self.ancestor_ids(model_id, depth as usize);
        Ok(ids[..count].to_vec())
    }

    /// Content hash of version `version` (1-based) of a model.
    ///
    /// # Errors
    /// `UnknownModel`, `UnknownVersion`.
    pub fn version_hash(&self, model_id: u64, version: u64) -> Result<B256, Error> {
        self.model_owner(model_id)?;
        if version == 0 || version > self.info(MODEL, model_id)[model::VERSIONS] {
            return Err(UnknownVersion {
                modelId: model_id,
                version,
            }
            .into());
        }
        Ok(self.word(VERSION, model_id, version).into())
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
        let info = self.license_info(license_id)?;
        Ok((
            info[license::MODEL],
            self.address(LICENSE, license_id, license::LICENSEE),
            self.word(LICENSE, license_id, license::COLLATERAL),
            self.word(LICENSE, license_id, license::ROOT).into(),
            info[license::STATE] as u8,
            info[license::RELEASE_AT],
            info[license::ACTIVE_CLAIM],
            self.word(LICENSE, license_id, license::UNITS),
        ))
    }

    /// A claim: license, prover, kind, state (1 pending, 2 disputed, 3 upheld, 4 rejected),
    /// bond, deadline, evidence hash.
    ///
    /// # Errors
    /// `UnknownClaim`.
    #[allow(clippy::type_complexity)]
    pub fn claim(&self, claim_id: u64) -> Result<(u64, Address, u8, u8, U256, u64, B256), Error> {
        let info = self.claim_info(claim_id)?;
        Ok((
            info[claim::LICENSE],
            self.address(CLAIM, claim_id, claim::PROVER),
            info[claim::KIND] as u8,
            info[claim::STATE] as u8,
            self.word(CLAIM, claim_id, claim::BOND),
            info[claim::DEADLINE],
            self.word(CLAIM, claim_id, claim::EVIDENCE).into(),
        ))
    }

    /// Amount `payee` can withdraw in `asset`.
    pub fn credit(&self, asset: Address, payee: Address) -> U256 {
        self.credits.getter(asset).get(payee)
    }

    /// The extension program the core forwards to (zero in the extension's own storage).
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// Fails unless this code runs in the core's storage (by delegate call from the core).
    ///
    /// # Errors
    /// `NotDelegated` when called at the extension's own address.
    #[inline(never)]
    pub fn require_delegated(&self) -> Result<(), Error> {
        extension::require_delegated(self.extension.get())
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
    check_depth(u64::from(terms.maxDepth))?;
    if terms.collateral.is_zero() {
        return Err(ZeroCollateral {}.into());
    }
    Ok(())
}

/// Fails when `depth` exceeds [`MAX_DEPTH`].
fn check_depth(depth: u64) -> Result<(), Error> {
    if depth > MAX_DEPTH as u64 {
        return Err(DepthAboveCap {
            depth: U256::from(depth),
            cap: U256::from(MAX_DEPTH),
        }
        .into());
    }
    Ok(())
}

impl Registry {
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
        let bond = u64::from(params.claimBondBps);
        let (bounty, protocol) = (
            u64::from(params.bountyBps),
            u64::from(params.protocolSlashBps),
        );
        check_bps::<Error>(bond, BPS_DENOMINATOR)?;
        check_bps::<Error>(bounty + protocol, BPS_DENOMINATOR)?;
        self.set_address(GLOBAL, 0, global::TREASURY, params.treasury);
        self.set_info(
            GLOBAL,
            0,
            [
                params.challengeWindow,
                params.cooldown,
                bond,
                bounty | protocol << 32,
            ],
        );
        ParamsSet { params }.emit(self.vm());
        Ok(())
    }

    /// The packed counts of models, licenses and claims (limbs [`global::MODELS`], ...).
    fn counts(&self) -> [u64; 4] {
        self.word(GLOBAL, 0, global::COUNTS).into_limbs()
    }

    /// Increments the counter at limb `index` of the counts word and returns the new id.
    fn next_id(&mut self, index: usize) -> u64 {
        let mut counts = self.counts();
        counts[index] += 1;
        self.set_word(GLOBAL, 0, global::COUNTS, U256::from_limbs(counts));
        counts[index]
    }

    /// `block.timestamp` plus the period at limb `index` of the config word.
    fn after(&self, index: usize) -> Result<u64, Error> {
        self.vm()
            .block_timestamp()
            .checked_add(self.info(GLOBAL, 0)[index])
            .ok_or_else(|| ArithmeticOverflow {}.into())
    }

    /// Owner of an existing model.
    fn model_owner(&self, model_id: u64) -> Result<Address, Error> {
        let owner = self.address(MODEL, model_id, model::OWNER);
        if owner.is_zero() {
            return Err(UnknownModel { modelId: model_id }.into());
        }
        Ok(owner)
    }

    /// Fails unless the caller owns the model; returns the owner.
    fn only_model_owner(&self, model_id: u64) -> Result<Address, Error> {
        let owner = self.model_owner(model_id)?;
        self.only(owner)?;
        Ok(owner)
    }

    /// Fails with `Unauthorized` unless the caller is `required`.
    fn only(&self, required: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller != required {
            return Err(Unauthorized { caller, required }.into());
        }
        Ok(())
    }

    /// Packed fields of an existing license.
    fn license_info(&self, license_id: u64) -> Result<[u64; 4], Error> {
        let info = self.info(LICENSE, license_id);
        if info[license::STATE] == 0 {
            return Err(UnknownLicense {
                licenseId: license_id,
            }
            .into());
        }
        Ok(info)
    }

    /// Fails unless the caller holds the license; returns its packed fields.
    fn only_licensee(&self, license_id: u64) -> Result<[u64; 4], Error> {
        let info = self.license_info(license_id)?;
        self.only(self.address(LICENSE, license_id, license::LICENSEE))?;
        Ok(info)
    }

    /// Fails with `InvalidLicenseState` unless the license is in state `a` or `b`
    /// (pass 0 for `b` to allow one state only).
    fn require_license_state(
        &self,
        license_id: u64,
        info: [u64; 4],
        a: u64,
        b: u64,
    ) -> Result<(), Error> {
        let state = info[license::STATE];
        if state != a && state != b {
            return Err(InvalidLicenseState {
                licenseId: license_id,
                state: state as u8,
            }
            .into());
        }
        Ok(())
    }

    /// Fails with `ClaimPending` while a claim against the license is open.
    fn require_no_claim(&self, license_id: u64, info: [u64; 4]) -> Result<(), Error> {
        let claim_id = info[license::ACTIVE_CLAIM];
        if claim_id != 0 {
            return Err(ClaimPending {
                licenseId: license_id,
                claimId: claim_id,
            }
            .into());
        }
        Ok(())
    }

    /// Packed fields of an existing claim.
    fn claim_info(&self, claim_id: u64) -> Result<[u64; 4], Error> {
        let info = self.info(CLAIM, claim_id);
        if info[claim::STATE] == 0 {
            return Err(UnknownClaim { claimId: claim_id }.into());
        }
        Ok(info)
    }

    /// Packed fields of an existing claim that is in `expected` state.
    fn claim_in_state(&self, claim_id: u64, expected: u64) -> Result<[u64; 4], Error> {
        let info = self.claim_info(claim_id)?;
        let state = info[claim::STATE];
        if state != expected {
            return Err(InvalidClaimState {
                claimId: claim_id,
                state: state as u8,
            }
            .into());
        }
        Ok(info)
    }

    /// Up to `depth` ancestor ids of an existing model, parent first.
    fn ancestor_ids(&self, model_id: u64, depth: usize) -> ([u64; MAX_DEPTH], usize) {
        let mut ids = [0u64; MAX_DEPTH];
        let mut count = 0;
        let mut current = self.info(MODEL, model_id)[model::PARENT];
        while count < depth.min(MAX_DEPTH) && current != 0 {
            ids[count] = current;
            count += 1;
            current = self.info(MODEL, current)[model::PARENT];
        }
        (ids, count)
    }
}

#[cfg(test)]
mod tests;
