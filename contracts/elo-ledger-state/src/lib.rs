#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! # Elo ledger: state and logic
//!
//! The ledger is larger than one Stylus program may be, so it runs as two programs sharing one
//! storage layout: the core program (`elo-ledger`, the address users call: the session path and
//! the rating views) and its extension (`elo-ledger-ext`: registry, governance, bootstrap and the
//! other views), reached through the core's fallback by delegate call (see
//! `agentdao_common::extension`). Both programs hold [`Ledger`] as their only storage field;
//! their `#[public]` methods call the methods of [`Ledger`] defined here, which carry the
//! documentation of behaviour, errors and events.
//!
//! How the network decides which model is better. Models (content hash, owner, parent model,
//! training dataset) and datasets (content hash, contributor) are registered here; validators
//! compare two models in **validation sessions** and their results move the models' Elo ratings
//! exactly as FastChat's `compute_elo` (K = 4, scale 400, base 10, initial 1000), in 18-decimal
//! fixed point.
//!
//! ## Sessions
//! 1. **Request.** Anyone requests a session between two models with `requestSession`, posting
//!    at least `sessionBond` wei (a deposit returned in every outcome, withdrawable through
//!    `withdrawBond`; it bounds how many open requests one account holds). The requester may
//!    withdraw a request the operator has not answered (`cancelRequest`).
//! 2. **Open.** The **session operator**, an account governance appoints with
//!    `setValidation`, answers a request with `openSession(sessionId, keccak256(seed))`,
//!    posting at least `operatorBond` wei. The operator may not own either model. Voting power
//!    is read from the staking vault at `snapshot = openedAt - 1`, so stake added after the
//!    opening does not count.
//! 3. **Commit window.** Each validator plays ten rounds against two anonymous models "X" and
//!    "Y" served by the operator and commits `keccak256(results ‖ salt ‖ voter)`, `results`
//!    being ten bytes, one per round: 0 = X won, 1 = Y won, 2 = tie. The voter is inside the
//!    hash, so copying another validator's commitment is useless. A commitment needs at least
//!    `minStake` voting power; when the session is full, a commitment with more voting power
//!    than the lightest one displaces it.
//! 4. **Reveal window.** The operator reveals the seed first: no vote can be revealed before
//!    it. Voter `v` saw X = model B and Y = model A when the lowest bit of
//!    `keccak256(seed ‖ v)` is 1, otherwise X = A and Y = B.
//! 5. **Finalization** (anyone, after the reveal window). Without the seed the session is void
//!    and the operator's bond goes to governance. Otherwise every committed validator's record
//!    is updated (a commitment never revealed counts as full disagreement), and with at least
//!    `minReveals` reveals the session's ten stake-weighted rounds move the two ratings and are
//!    stored as one record; with fewer it is void. Both bonds go back in both cases.
//!
//! ## Design choices
//! - **Stake-weighted rounds, not one battle per vote.** A session's result is, per round, the
//!   stake-weighted mean score of the revealed votes (see [`agreement`]): ten Elo updates per
//!   session whatever the number of voters. A vote per battle let anyone with many 1-wei
//!   validators apply hundreds of updates; now validators holding a share `s` of the revealed
//!   stake move the result by at most `s`, and a one-validator session is exactly FastChat's
//!   `compute_elo` over its ten battles.
//! - **Slots cannot be blocked by dust.** `minStake` (governance) keeps dust accounts out, and
//!   a full session gives the lightest slot to any heavier validator, so an honest validator
//!   heavier than the lightest committer can always commit. Finding the lightest costs a scan
//!   of at most `maxVoters` votes, paid only by a displacing commitment.
//! - **A seed no interested party controls.** The seed fixes every voter's X/Y order, so
//!   whoever knows it can de-anonymise the models. Model owners therefore cannot open sessions:
//!   the operator, appointed by governance and never an owner of either model, commits to it,
//!   like the arena operator of Chatbot Arena that serves "model X / model Y". Its bond (a
//!   non-zero default) is forfeited if it withholds the seed to void a session, and because the
//!   seed must be public before any vote reveal, nobody can read revealed votes and then decide
//!   whether to reveal the seed.
//! - **Non-revealers pay in reputation.** A validator that commits and never reveals gets an
//!   agreement sample of zero and a committed-but-not-revealed count: both are in its
//!   checkpointed validator record, the evidence governance slashes on and rewards are based
//!   on. (Taking a share of stake would need the vault's slashing, which is governance's call.)
//! - **A bounded, unsteerable bootstrap gate.** `upgradeModel(modelId, cutoff)` resamples only
//!   the head-to-head battles of the candidate and the champion (the question the gate asks is
//!   whether one beats the other) among the last [`UPGRADE_WINDOW`] session records before
//!   `cutoff` (a record count the SubDAO's `proposeModelUpgrade` fixes when the
//!   proposal is made), with a seed derived from the cutoff and the two ids: sessions finalized
//!   after the proposal cannot change the verdict, and at most `640 x` [`MAX_UPGRADE_RESAMPLES`]
//!   Elo updates run whatever the history length.
//! - **Checkpointed validator records.** Sessions committed, revealed, and the agreement average
//!   are checkpointed per validator at each finalization, so a rewards contract reads them at a
//!   past timestamp instead of trusting a live value that a validator could improve just before
//!   a payout. Each checkpoint is one word holding the record and its time (lane 3), found by
//!   binary search: `agentdao_common::checkpoints` keeps 208-bit values beside 48-bit keys,
//!   whose generic code does not fit the extension program's size budget.
//!
//! ## Invariants
//! - Every Elo update is zero-sum: the sum of all ratings is `1000 * models` exactly.
//! - Replaying the stored session records in order with FastChat's algorithm gives the live
//!   ratings.
//! - A failing call changes nothing (all checks precede effects; errors are typed).
extern crate alloc;

pub mod agreement;
pub mod battles;
pub mod elo;
pub mod records;
mod sol;
pub mod surface;
pub mod wide;

use alloc::{vec, vec::Vec};

use agentdao_common::errors::{NotPendingGovernance, ReentrantCall, Unauthorized, ZeroAddress};
use agentdao_common::extension::{self, NotDelegated};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::raw_bytes::{RawBytes, RawText};
use agentdao_common::static_errors;
use alloy_primitives::{aliases::U64, Address, B256, I256, U256};
use stylus_sdk::call::{static_call, transfer::transfer_eth};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageB256, StorageMap, StorageU256, StorageU64, StorageVec,
};
use stylus_sdk::stylus_core::calls::Call;

use crate::battles::{pack_record, swap_outcomes, Battle, MAX_MODEL_ID, ROUNDS};
use crate::elo::{Outcome, INIT_RATING};
use crate::records::{DatasetState, ModelState, SessionHeader, SmallParams, ValidatorRecord};
pub use crate::sol::*;

/// Most resamples `upgradeModel`'s bootstrap gate may run (bounds its gas, see the crate docs).
pub const MAX_UPGRADE_RESAMPLES: u64 = 32;
/// Resamples of `upgradeModel`'s bootstrap gate until governance changes them.
pub const DEFAULT_UPGRADE_RESAMPLES: u64 = 25;
/// Session records (of ten battles each) before the cutoff that `upgradeModel` looks at.
pub const UPGRADE_WINDOW: u64 = 64;
/// Default request bond, operator bond and minimum stake: 0.01 ether, 0.01 ether, 1 token.
pub const DEFAULT_BONDS_AND_STAKE: [u64; 3] = [
    10_000_000_000_000_000,
    10_000_000_000_000_000,
    1_000_000_000_000_000_000,
];
/// Shortest and longest commit or reveal window, in seconds.
pub const WINDOW_BOUNDS: (u64, u64) = (60, 30 * 24 * 3600);
/// Most voters a session accepts (bounds the gas of finalization).
pub const MAX_VOTERS: u32 = 256;
/// Largest dataset impact threshold in absolute value, in points.
pub const MAX_IMPACT_THRESHOLD_POINTS: i128 = 10_000;

/// Selector of the staking vault's `getPastVotes(address,uint256)` (see
/// `abi/StakingVault.json`).
const GET_PAST_VOTES: [u8; 4] = stylus_sdk::function_selector!("getPastVotes", Address, U256);

/// Session status codes (0: requested, not yet opened by the operator).
const STATUS_REQUESTED: u64 = 0;
const STATUS_OPEN: u64 = 1;
const STATUS_FINALIZED: u64 = 2;
const STATUS_VOID: u64 = 3;
/// Dataset status codes.
const DATASET_ACCEPTED: u64 = 1;
const DATASET_REJECTED: u64 = 2;
/// Reasons in `SessionVoided`.
const VOID_NO_SEED: u8 = 1;
const VOID_TOO_FEW_REVEALS: u8 = 2;
const VOID_WITHDRAWN: u8 = 3;

static_errors! {
    /// Every error the ledger raises.
    pub enum Error {
        /// Caller is not governance.
        Unauthorized { caller, required },
        /// Zero address given where one is required.
        ZeroAddress {},
        /// `acceptGovernance` by someone other than the nominee.
        NotPendingGovernance { caller, pending },
        /// Re-entered bond withdrawal.
        ReentrantCall {},
        /// See [`UnknownModel`].
        UnknownModel { id },
        /// See [`UnknownDataset`].
        UnknownDataset { id },
        /// See [`UnknownSession`].
        UnknownSession { id },
        /// See [`RegistryFull`].
        RegistryFull {},
        /// See [`DatasetWithoutParent`].
        DatasetWithoutParent {},
        /// See [`NotDatasetContributor`].
        NotDatasetContributor { contributor },
        /// See [`DatasetAlreadyLinked`].
        DatasetAlreadyLinked { modelId },
        /// See [`SameModel`].
        SameModel {},
        /// See [`NotOperator`].
        NotOperator { caller, operator },
        /// See [`OperatorOwnsModel`].
        OperatorOwnsModel {},
        /// See [`SessionNotRequested`].
        SessionNotRequested {},
        /// See [`NotRequester`].
        NotRequester { requester },
        /// See [`StakeBelowMinimum`].
        StakeBelowMinimum { weight, minimum },
        /// See [`SeedNotRevealed`].
        SeedNotRevealed {},
        /// See [`CutoffAhead`].
        CutoffAhead { cutoff, records },
        /// See [`FutureLookup`].
        FutureLookup { timepoint, now },
        /// See [`InsufficientBond`].
        InsufficientBond { sent, required },
        /// See [`OutsideWindow`].
        OutsideWindow { time, start, end },
        /// See [`SessionClosed`].
        SessionClosed {},
        /// See [`SessionFull`].
        SessionFull { maxVoters },
        /// See [`NotValidator`].
        NotValidator { snapshot },
        /// See [`VaultCallFailed`].
        VaultCallFailed { vault },
        /// See [`AlreadyCommitted`].
        AlreadyCommitted {},
        /// See [`NoCommitment`].
        NoCommitment {},
        /// See [`AlreadyRevealed`].
        AlreadyRevealed {},
        /// See [`CommitmentMismatch`].
        CommitmentMismatch {},
        /// See [`WrongRoundCount`].
        WrongRoundCount { got, expected },
        /// See [`InvalidOutcome`].
        InvalidOutcome { round, code },
        /// See [`SeedMismatch`].
        SeedMismatch {},
        /// See [`SeedAlreadyRevealed`].
        SeedAlreadyRevealed {},
        /// See [`NotEnoughGames`].
        NotEnoughGames { games, minGames },
        /// See [`DatasetHasNoModel`].
        DatasetHasNoModel {},
        /// See [`DatasetAlreadyFinalized`].
        DatasetAlreadyFinalized {},
        /// See [`AlreadyChampion`].
        AlreadyChampion {},
        /// See [`BootstrapNotBeaten`].
        BootstrapNotBeaten { candidateLower, championUpper },
        /// See [`ParameterOutOfRange`].
        ParameterOutOfRange { position },
        /// See [`NothingToWithdraw`].
        NothingToWithdraw {},
        /// See [`TransferFailed`].
        TransferFailed {},
        /// The extension program was called at its own address, not through the core.
        NotDelegated {},
    }
}

/// A registered model.
#[storage]
pub struct Model {
    /// Registrant; may open sessions for the model.
    owner: StorageAddress,
    /// Hash of the weights (or of their manifest).
    content_hash: StorageB256,
    /// Rating, games, parent and dataset ([`ModelState`]).
    state: StorageU256,
}

/// A contributed dataset.
#[storage]
pub struct Dataset {
    /// Registrant.
    contributor: StorageAddress,
    /// Hash of the data.
    content_hash: StorageB256,
    /// Model, status and impact ([`DatasetState`]).
    state: StorageU256,
}

/// One validator's vote in a session.
#[storage]
pub struct Vote {
    /// `keccak256(results ‖ salt ‖ voter)`.
    commitment: StorageB256,
    /// Voting power at the snapshot; non-zero once committed.
    weight: StorageU256,
    /// Revealed results in the voter's X/Y terms (2 bits per round) plus [`REVEALED`] once
    /// revealed; zero before.
    outcomes: StorageU64,
}

/// Flag in [`Vote::outcomes`] marking a revealed vote (above the 20 outcome bits).
const REVEALED: u64 = 1 << 32;

/// A validation session between two models.
#[storage]
pub struct Session {
    /// Models, schedule, status and counters ([`SessionHeader`]).
    header: StorageU256,
    /// Who requested it and posted the request bond.
    requester: StorageAddress,
    /// Bond posted by the requester, in wei.
    bond: StorageU256,
    /// The operator that opened it (zero while requested).
    operator: StorageAddress,
    /// Bond posted by the operator, in wei.
    operator_bond: StorageU256,
    /// `keccak256(seed)` until the seed is revealed, then the seed itself.
    seed: StorageB256,
    /// Voters in commit order (the order battles are applied in).
    voters: StorageVec<StorageAddress>,
    /// Votes by voter.
    votes: StorageMap<Address, Vote>,
}

/// All of the Elo ledger's state: the only storage field of both of its programs.
#[storage]
pub struct Ledger {
    /// Governance role (the SubDAO).
    governance: Governance,
    /// Lock for bond withdrawals.
    guard: ReentrancyGuard,
    /// Staking vault that defines validators and their voting power.
    vault: StorageAddress,
    /// The champion model id, zero before the first upgrade.
    champion: StorageU64,
    /// Models; id = index + 1.
    models: StorageVec<Model>,
    /// Datasets; id = index + 1.
    datasets: StorageVec<Dataset>,
    /// Sessions; id = index + 1.
    sessions: StorageVec<Session>,
    /// Session records (one per finalized session, ten battles each) in application order
    /// ([`battles::pack_record`]).
    battles: StorageVec<StorageU256>,
    /// Validator records by validator: one word per second in which it changed, in time order
    /// ([`ValidatorRecord::pack`]; the time is in the word, so no separate checkpoint
    /// structure is needed).
    validators: StorageMap<Address, StorageVec<StorageU256>>,
    /// Withdrawable session bonds by account.
    credits: StorageMap<Address, StorageU256>,
    /// Windows, voter bounds, games, agreement and bootstrap parameters ([`SmallParams`]).
    params: StorageU256,
    /// Bond a requester posts with a session request, in wei.
    session_bond: StorageU256,
    /// Impact (points, fixed point) a dataset needs to be accepted, as raw `int256`.
    impact_threshold: StorageU256,
    /// The extension program (`elo-ledger-ext`) the core forwards to; set by [`Ledger::init`],
    /// never zero in the core's storage, zero in the extension's own.
    extension: StorageAddress,
    /// The session operator appointed by governance (zero: none, no session can open).
    operator: StorageAddress,
    /// Bond the operator posts to open a session, in wei.
    operator_bond: StorageU256,
    /// Voting power a validator needs to commit a vote.
    min_stake: StorageU256,
}

/// `i128` to the ABI's `int256` (sign-extended).
#[inline(never)]
fn to_int256(value: i128) -> I256 {
    let raw = value as u128;
    let ext = if value < 0 { u64::MAX } else { 0 };
    I256::from_raw(U256::from_limbs([raw as u64, (raw >> 64) as u64, ext, ext]))
}

/// `int256` to `i128`, `None` if it does not fit.
fn from_int256(value: I256) -> Option<i128> {
    let limbs = value.into_raw().into_limbs();
    let low = (u128::from(limbs[0]) | u128::from(limbs[1]) << 64) as i128;
    let ext = if low < 0 { u64::MAX } else { 0 };
    (limbs[2] == ext && limbs[3] == ext).then_some(low)
}

/// `U256` id to `u64`, `None` if it does not fit.
fn small(value: U256) -> Option<u64> {
    let limbs = value.as_limbs();
    (limbs[1] == 0 && limbs[2] == 0 && limbs[3] == 0).then_some(limbs[0])
}

/// Whether voter `voter` saw model B as "X" (see the crate docs).
fn x_is_b(seed: &[u8; 32], voter: Address, keccak: impl Fn(&[u8]) -> B256) -> bool {
    let mut input = [0u8; 52];
    input[..32].copy_from_slice(seed);
    input[32..].copy_from_slice(voter.as_slice());
    keccak(&input)[31] & 1 == 1
}

impl Ledger {
    /// Sets governance, the staking vault, the extension program and default parameters
    /// (one-day windows, one reveal, 64 voters, a 0.01 ether request bond, 100 games, zero
    /// impact threshold, agreement average weight 20% and alarm at 50%, a 25-resample
    /// bootstrap gate; no operator yet, a 0.01 ether operator bond, a minimum stake of one
    /// token). The core program's constructor.
    ///
    /// # Arguments
    /// * `governance` - the governing account (the SubDAO).
    /// * `vault` - the staking vault read for voting power.
    /// * `extension` - the extension program (`elo-ledger-ext`) the core delegates to.
    ///
    /// # Errors
    /// `ZeroAddress` if any address is zero.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsUpdated`, `ValidationUpdated`.
    pub fn init(
        &mut self,
        governance: Address,
        vault: Address,
        extension: Address,
    ) -> Result<(), Error> {
        if vault.is_zero() || extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.governance.init::<Error>(governance)?;
        self.vault.set(vault);
        self.extension.set(extension);
        self.apply_params(
            86_400,
            86_400,
            1,
            64,
            U256::from(DEFAULT_BONDS_AND_STAKE[0]),
            100,
            I256::ZERO,
            2_000,
            agreement::ONE / 2,
            DEFAULT_UPGRADE_RESAMPLES,
        )?;
        self.apply_validation(
            Address::ZERO,
            U256::from(DEFAULT_BONDS_AND_STAKE[1]),
            U256::from(DEFAULT_BONDS_AND_STAKE[2]),
        );
        Ok(())
    }

    /// Registers a model owned by the caller.
    ///
    /// # Arguments
    /// * `content_hash` - hash of the weights.
    /// * `uri` - where to fetch them (emitted, not stored).
    /// * `parent_id` - model it was fine-tuned from, zero for none.
    /// * `dataset_id` - dataset it was fine-tuned on, zero for none; the caller must be the
    ///   dataset's contributor and the dataset must not have a model yet.
    ///
    /// # Errors
    /// `UnknownModel`, `UnknownDataset`, `DatasetWithoutParent`, `NotDatasetContributor`,
    /// `DatasetAlreadyLinked`, `RegistryFull`.
    ///
    /// # Events
    /// `ModelRegistered`.
    pub fn register_model(
        &mut self,
        content_hash: B256,
        uri: RawText,
        parent_id: U256,
        dataset_id: U256,
    ) -> Result<U256, Error> {
        let caller = self.vm().msg_sender();
        let parent = if parent_id.is_zero() {
            0
        } else {
            self.model_index(parent_id)? as u64 + 1
        };
        let id = self.models.len() as u64 + 1;
        if id > MAX_MODEL_ID {
            return Err(RegistryFull {}.into());
        }
        let mut dataset = 0;
        if !dataset_id.is_zero() {
            let index = self.dataset_index(dataset_id)?;
            if parent == 0 {
                return Err(DatasetWithoutParent {}.into());
            }
            let mut entry = self.datasets.setter(index).unwrap();
            let contributor = entry.contributor.get();
            if caller != contributor {
                return Err(NotDatasetContributor { contributor }.into());
            }
            let mut state = DatasetState::unpack(entry.state.get());
            if state.model != 0 {
                return Err(DatasetAlreadyLinked {
                    modelId: U256::from(state.model),
                }
                .into());
            }
            state.model = id;
            entry.state.set(state.pack());
            dataset = index as u64 + 1;
        }
        let mut model = self.models.grow();
        model.owner.set(caller);
        model.content_hash.set(content_hash);
        model.state.set(
            ModelState {
                rating: INIT_RATING,
                games: 0,
                parent,
                dataset,
            }
            .pack(),
        );
        tail::ModelRegistered {
            id: U256::from(id),
            owner: caller,
            contentHash: content_hash,
            parentId: parent_id,
            datasetId: dataset_id,
            uri: uri.as_bytes(),
        }
        .emit_by_ref(self.vm());
        Ok(U256::from(id))
    }

    /// Registers a dataset contributed by the caller.
    ///
    /// # Arguments
    /// * `content_hash` - hash of the data.
    /// * `uri` - where to fetch it (emitted, not stored).
    ///
    /// # Errors
    /// `RegistryFull` after 2^32 - 1 datasets.
    ///
    /// # Events
    /// `DatasetRegistered`.
    pub fn register_dataset(&mut self, content_hash: B256, uri: RawText) -> Result<U256, Error> {
        let caller = self.vm().msg_sender();
        if self.datasets.len() >= u32::MAX as usize {
            return Err(RegistryFull {}.into());
        }
        let mut dataset = self.datasets.grow();
        dataset.contributor.set(caller);
        dataset.content_hash.set(content_hash);
        let id = U256::from(self.datasets.len());
        tail::DatasetRegistered {
            id,
            contributor: caller,
            contentHash: content_hash,
            uri: uri.as_bytes(),
        }
        .emit_by_ref(self.vm());
        Ok(id)
    }

    /// Makes `model_id` the champion. When a champion exists, the candidate's 2.5% bootstrap
    /// rating must exceed the champion's 97.5% rating: `upgradeResamples` resamples of the
    /// head-to-head battles of the two models among the last [`UPGRADE_WINDOW`] session records before
    /// `cutoff`, seeded by `keccak256(cutoff ‖ candidate ‖ champion)` (see the crate docs).
    ///
    /// # Arguments
    /// * `model_id` - the new champion.
    /// * `cutoff` - number of session records the gate looks back from; at most
    ///   `battleRecords()` (the SubDAO's `proposeModelUpgrade` fixes it when proposing).
    ///
    /// # Errors
    /// `Unauthorized`, `UnknownModel`, `AlreadyChampion`, `CutoffAhead`, `BootstrapNotBeaten`.
    ///
    /// # Events
    /// `ChampionChanged`.
    pub fn upgrade_model(&mut self, model_id: U256, cutoff: U256) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        let candidate = self.model_index(model_id)? as u64 + 1;
        let champion = self.champion.get().as_limbs()[0];
        if candidate == champion {
            return Err(AlreadyChampion {}.into());
        }
        let (lower, upper) = self.gate(candidate, champion, cutoff)?;
        if champion != 0 && lower <= upper {
            return Err(BootstrapNotBeaten {
                candidateLower: lower,
                championUpper: upper,
            }
            .into());
        }
        self.champion.set(U64::from(candidate));
        ChampionChanged {
            previous: U256::from(champion),
            current: U256::from(candidate),
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// What `upgradeModel(model_id, cutoff)`'s bootstrap gate would compare now: the
    /// candidate's 2.5% and the champion's 97.5% bootstrap rating (both the initial rating
    /// when there is no champion); the upgrade needs the first above the second. Lets a
    /// proposer check a candidate before proposing.
    ///
    /// # Errors
    /// `UnknownModel`, `CutoffAhead`.
    pub fn upgrade_gate(&self, model_id: U256, cutoff: U256) -> Result<(I256, I256), Error> {
        let candidate = self.model_index(model_id)? as u64 + 1;
        self.gate(candidate, self.champion.get().as_limbs()[0], cutoff)
    }

    /// The gate's two bounds (see [`Self::upgrade_gate`]) after checking `cutoff`.
    #[inline(never)]
    fn gate(&self, candidate: u64, champion: u64, cutoff: U256) -> Result<(I256, I256), Error> {
        let records = self.battles.len() as u64;
        let end = small(cutoff).filter(|c| *c <= records).ok_or(CutoffAhead {
            cutoff,
            records: U256::from(records),
        })?;
        if champion == 0 {
            let initial = to_int256(INIT_RATING);
            return Ok((initial, initial));
        }
        let bounds = self.upgrade_bounds(candidate, champion, end);
        Ok((to_int256(bounds[0][0]), to_int256(bounds[1][2])))
    }

    /// Requests a validation session between two models, posting at least `sessionBond` wei
    /// (the extension's `requestSession` is payable through the core). The bond comes back
    /// when the session ends or the request is withdrawn.
    ///
    /// # Arguments
    /// * `model_a`, `model_b` - the two models (distinct).
    ///
    /// # Errors
    /// `UnknownModel`, `SameModel`, `InsufficientBond`.
    ///
    /// # Events
    /// `SessionRequested`.
    pub fn request_session(&mut self, model_a: U256, model_b: U256) -> Result<U256, Error> {
        let a = self.model_index(model_a)? as u64 + 1;
        let b = self.model_index(model_b)? as u64 + 1;
        if a == b {
            return Err(SameModel {}.into());
        }
        let caller = self.vm().msg_sender();
        let bond = self.vm().msg_value();
        let required = self.session_bond.get();
        if bond < required {
            return Err(InsufficientBond {
                sent: bond,
                required,
            }
            .into());
        }
        let mut session = self.sessions.grow();
        session.header.set(
            SessionHeader {
                model_a: a,
                model_b: b,
                ..SessionHeader::default()
            }
            .pack(),
        );
        session.requester.set(caller);
        session.bond.set(bond);
        let id = U256::from(self.sessions.len());
        SessionRequested {
            sessionId: id,
            requester: caller,
            modelA: U256::from(a),
            modelB: U256::from(b),
            bond,
        }
        .emit_by_ref(self.vm());
        Ok(id)
    }

    /// The requester withdraws a request the operator has not opened; its bond is credited
    /// back.
    ///
    /// # Errors
    /// `UnknownSession`, `SessionNotRequested`, `NotRequester`.
    ///
    /// # Events
    /// `SessionVoided` (reason 3), `BondCredited`.
    pub fn cancel_request(&mut self, session_id: U256) -> Result<(), Error> {
        let (index, mut header) = self.requested_session(session_id)?;
        let session = self.sessions.getter(index).unwrap();
        let (requester, bond) = (session.requester.get(), session.bond.get());
        drop(session);
        if requester != self.vm().msg_sender() {
            return Err(NotRequester { requester }.into());
        }
        header.status = STATUS_VOID;
        self.sessions
            .setter(index)
            .unwrap()
            .header
            .set(header.pack());
        self.credit(requester, bond);
        self.voided(session_id, VOID_WITHDRAWN);
        Ok(())
    }

    /// The session operator opens a requested session, committing to its secret seed and
    /// posting at least `operatorBond` wei (the core's `openSession` is payable). The commit
    /// window starts now; voting power is read at `now - 1`.
    ///
    /// # Arguments
    /// * `session_id` - a requested session.
    /// * `seed_hash` - `keccak256(seed)` of the operator's secret 32-byte seed.
    ///
    /// # Errors
    /// `NotOperator`, `UnknownSession`, `SessionNotRequested`, `OperatorOwnsModel`,
    /// `InsufficientBond`.
    ///
    /// # Events
    /// `SessionOpened`.
    pub fn open_session(&mut self, session_id: U256, seed_hash: B256) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        let operator = self.operator.get();
        if caller != operator || operator.is_zero() {
            return Err(NotOperator { caller, operator }.into());
        }
        let (index, mut header) = self.requested_session(session_id)?;
        let owner = |id: u64| self.models.getter(id as usize - 1).unwrap().owner.get();
        if owner(header.model_a) == caller || owner(header.model_b) == caller {
            return Err(OperatorOwnsModel {}.into());
        }
        let bond = self.vm().msg_value();
        let required = self.operator_bond.get();
        if bond < required {
            return Err(InsufficientBond {
                sent: bond,
                required,
            }
            .into());
        }
        let params = self.small_params();
        let now = self.vm().block_timestamp();
        header.status = STATUS_OPEN;
        header.snapshot = now.saturating_sub(1);
        header.commit_end = now + params.commit_window;
        header.reveal_end = header.commit_end + params.reveal_window;
        let mut session = self.sessions.setter(index).unwrap();
        session.header.set(header.pack());
        session.operator.set(caller);
        session.operator_bond.set(bond);
        session.seed.set(seed_hash);
        SessionOpened {
            sessionId: session_id,
            operator: caller,
            bond,
            snapshot: U256::from(header.snapshot),
            commitEnd: U256::from(header.commit_end),
            revealEnd: U256::from(header.reveal_end),
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Commits the caller's hidden vote during the commit window. The caller needs at least
    /// `minStake` voting power in the vault at the session snapshot. In a full session the
    /// commitment takes the slot of the lightest committed vote if it is strictly heavier
    /// (that vote is dropped); otherwise the session is full.
    ///
    /// # Arguments
    /// * `session_id` - the session.
    /// * `commitment` - `keccak256(results ‖ salt ‖ caller)` (see [`commitment`]).
    ///
    /// # Errors
    /// `UnknownSession`, `SessionClosed`, `OutsideWindow`, `AlreadyCommitted`,
    /// `VaultCallFailed`, `NotValidator`, `StakeBelowMinimum`, `SessionFull`.
    ///
    /// # Events
    /// `VoteCommitted`; `VoteDisplaced` when it takes a lighter vote's slot.
    pub fn commit_vote(&mut self, session_id: U256, commitment: B256) -> Result<(), Error> {
        let voter = self.vm().msg_sender();
        let now = self.vm().block_timestamp();
        let (index, header) = self.live_session(session_id)?;
        if now >= header.commit_end {
            return Err(window_error(now, header.snapshot + 1, header.commit_end));
        }
        let session = self.sessions.getter(index).unwrap();
        if !session.votes.getter(voter).weight.get().is_zero() {
            return Err(AlreadyCommitted {}.into());
        }
        drop(session);
        let snapshot = U256::from(header.snapshot);
        let vault = self.vault.get();
        let weight = self
            .past_votes(vault, voter, snapshot)
            .ok_or(VaultCallFailed { vault })?;
        if weight.is_zero() {
            return Err(NotValidator { snapshot }.into());
        }
        let minimum = self.min_stake.get();
        if weight < minimum {
            return Err(StakeBelowMinimum { weight, minimum }.into());
        }
        let max_voters = self.small_params().max_voters as usize;
        let session = self.sessions.getter(index).unwrap();
        let count = session.voters.len();
        // The slot to take: a new one, or the lightest vote's (first of equals) when full.
        let mut slot = count;
        if count >= max_voters {
            let mut lightest = weight;
            for i in 0..count {
                let other = session.voters.get(i).unwrap();
                let other_weight = session.votes.getter(other).weight.get();
                if other_weight < lightest {
                    lightest = other_weight;
                    slot = i;
                }
            }
            if slot == count {
                return Err(SessionFull {
                    maxVoters: U256::from(max_voters),
                }
                .into());
            }
        }
        drop(session);
        let mut session = self.sessions.setter(index).unwrap();
        if slot == count {
            session.voters.push(voter);
        } else {
            let mut entry = session.voters.setter(slot).unwrap();
            let displaced = entry.get();
            entry.set(voter);
            let mut old = session.votes.setter(displaced);
            old.commitment.set(B256::ZERO);
            old.weight.set(U256::ZERO);
            VoteDisplaced {
                sessionId: session_id,
                voter: displaced,
                by: voter,
            }
            .emit_by_ref(self.vm());
        }
        let mut session = self.sessions.setter(index).unwrap();
        let mut vote = session.votes.setter(voter);
        vote.commitment.set(commitment);
        vote.weight.set(weight);
        VoteCommitted {
            sessionId: session_id,
            voter,
            weight,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Reveals the operator's seed during the reveal window (anyone holding it may); votes can
    /// be revealed only after it.
    ///
    /// # Arguments
    /// * `session_id` - the session.
    /// * `seed` - the preimage of the session's seed hash.
    ///
    /// # Errors
    /// `UnknownSession`, `SessionClosed`, `OutsideWindow`, `SeedAlreadyRevealed`,
    /// `SeedMismatch`.
    ///
    /// # Events
    /// `SeedRevealed`.
    pub fn reveal_seed(&mut self, session_id: U256, seed: B256) -> Result<(), Error> {
        let (index, mut header) = self.reveal_phase(session_id)?;
        if header.seed_revealed {
            return Err(SeedAlreadyRevealed {}.into());
        }
        let hash = self.vm().native_keccak256(seed.as_slice());
        let mut session = self.sessions.setter(index).unwrap();
        if hash != session.seed.get() {
            return Err(SeedMismatch {}.into());
        }
        session.seed.set(seed);
        header.seed_revealed = true;
        session.header.set(header.pack());
        SeedRevealed {
            sessionId: session_id,
            seed,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Reveals the caller's vote during the reveal window, once the seed is public.
    ///
    /// # Arguments
    /// * `session_id` - the session.
    /// * `results` - ten bytes, one per round: 0 = X won, 1 = Y won, 2 = tie.
    /// * `salt` - the salt used in the commitment.
    ///
    /// # Errors
    /// `UnknownSession`, `SessionClosed`, `OutsideWindow`, `SeedNotRevealed`, `NoCommitment`,
    /// `AlreadyRevealed`, `WrongRoundCount`, `InvalidOutcome`, `CommitmentMismatch`.
    ///
    /// # Events
    /// `VoteRevealed`.
    pub fn reveal_vote(
        &mut self,
        session_id: U256,
        results: RawBytes,
        salt: B256,
    ) -> Result<(), Error> {
        let voter = self.vm().msg_sender();
        let (index, mut header) = self.reveal_phase(session_id)?;
        if !header.seed_revealed {
            return Err(SeedNotRevealed {}.into());
        }
        let results = results.as_bytes();
        let outcomes = parse_results(results)?;
        let expected = commitment(self.vm(), results, salt, voter);
        let mut session = self.sessions.setter(index).unwrap();
        let mut vote = session.votes.setter(voter);
        if vote.weight.get().is_zero() {
            return Err(NoCommitment {}.into());
        }
        if vote.outcomes.get().as_limbs()[0] & REVEALED != 0 {
            return Err(AlreadyRevealed {}.into());
        }
        if vote.commitment.get() != expected {
            return Err(CommitmentMismatch {}.into());
        }
        vote.outcomes.set(U64::from(u64::from(outcomes) | REVEALED));
        header.reveals += 1;
        session.header.set(header.pack());
        // `bytes results` of exactly ten bytes: offset, length, one zero-padded word.
        let mut padded = B256::ZERO;
        padded[..ROUNDS].copy_from_slice(results);
        tail::VoteRevealed {
            sessionId: session_id,
            voter,
            results,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Closes a session after its reveal window (see the crate docs): without the seed it is
    /// void and the operator's bond goes to governance; otherwise every committed validator's
    /// record is updated and, with at least `minReveals` reveals, the ten stake-weighted rounds
    /// move the two ratings (else the session is void). Anyone may call it.
    ///
    /// # Arguments
    /// * `session_id` - the session.
    ///
    /// # Errors
    /// `UnknownSession`, `SessionClosed` (also while only requested), `OutsideWindow` (before
    /// the reveal window ends).
    ///
    /// # Events
    /// `AgreementRecorded` per committed voter, `LowAgreement` per voter under the threshold,
    /// then `SessionFinalized` or `SessionVoided`; `BondCredited` per bond.
    pub fn finalize_session(&mut self, session_id: U256) -> Result<(), Error> {
        let now = self.vm().block_timestamp();
        let (index, mut header) = self.live_session(session_id)?;
        if now < header.reveal_end {
            return Err(window_error(now, header.reveal_end, u64::MAX));
        }
        let params = self.small_params();
        let session = self.sessions.getter(index).unwrap();
        let requester = session.requester.get();
        let bond = session.bond.get();
        let operator = session.operator.get();
        let operator_bond = session.operator_bond.get();
        let (a, b) = (header.model_a, header.model_b);
        // Committed votes: voter, A/B outcomes (`None` if never revealed), weight.
        let mut votes: Vec<(Address, Option<u32>, U256)> = Vec::new();
        if header.seed_revealed {
            let seed = session.seed.get().0;
            for i in 0..session.voters.len() {
                let voter = session.voters.get(i).unwrap();
                let vote = session.votes.getter(voter);
                let stored = vote.outcomes.get().as_limbs()[0];
                let ab = (stored & REVEALED != 0).then(|| {
                    let xy = stored as u32;
                    if x_is_b(&seed, voter, |d| self.vm().native_keccak256(d)) {
                        swap_outcomes(xy)
                    } else {
                        xy
                    }
                });
                votes.push((voter, ab, vote.weight.get()));
            }
        }
        drop(session);
        let mut tally = agreement::Tally::default();
        for &(_, ab, weight) in &votes {
            if let Some(ab) = ab {
                tally.add(ab, weight);
            }
        }
        let void_reason = if !header.seed_revealed {
            VOID_NO_SEED
        } else if header.reveals < params.min_reveals {
            VOID_TOO_FEW_REVEALS
        } else {
            0
        };
        // Effects.
        header.status = if void_reason == 0 {
            STATUS_FINALIZED
        } else {
            STATUS_VOID
        };
        self.sessions
            .setter(index)
            .unwrap()
            .header
            .set(header.pack());
        self.record_validators(session_id, &votes, &tally.consensus(), &params);
        self.credit(requester, bond);
        if void_reason == VOID_NO_SEED {
            let governance = self.governance.get();
            self.credit(governance, operator_bond);
        } else {
            self.credit(operator, operator_bond);
        }
        if void_reason != 0 {
            self.voided(session_id, void_reason);
            return Ok(());
        }
        let scores = tally.scores();
        let mut ma = self.model_state(a);
        let mut mb = self.model_state(b);
        for score in scores {
            elo::update_bps(&mut ma.rating, &mut mb.rating, score);
        }
        self.battles.push(pack_record(a, b, &scores));
        for (id, mut state) in [(a, ma), (b, mb)] {
            state.games += ROUNDS as u64;
            self.models.setter(id - 1).unwrap().state.set(state.pack());
        }
        SessionFinalized {
            sessionId: session_id,
            reveals: U256::from(header.reveals),
            ratingA: to_int256(ma.rating),
            ratingB: to_int256(mb.rating),
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Judges a dataset once its model has played `minGames` rounds: impact = rating of the
    /// model minus rating of its parent; accepted when impact >= `impactThreshold`. Anyone
    /// may call it.
    ///
    /// # Arguments
    /// * `dataset_id` - the dataset.
    ///
    /// # Errors
    /// `UnknownDataset`, `DatasetAlreadyFinalized`, `DatasetHasNoModel`, `NotEnoughGames`.
    ///
    /// # Events
    /// `DatasetFinalized`.
    pub fn finalize_dataset(&mut self, dataset_id: U256) -> Result<(), Error> {
        let index = self.dataset_index(dataset_id)?;
        let mut state = self.dataset_state(index);
        if state.status != 0 {
            return Err(DatasetAlreadyFinalized {}.into());
        }
        if state.model == 0 {
            return Err(DatasetHasNoModel {}.into());
        }
        let model = self.model_state(state.model);
        let min_games = self.small_params().min_games;
        if model.games < min_games {
            return Err(NotEnoughGames {
                games: U256::from(model.games),
                minGames: U256::from(min_games),
            }
            .into());
        }
        let impact = model.rating - self.rating(model.parent);
        let accepted = impact >= self.impact_threshold();
        state.status = if accepted {
            DATASET_ACCEPTED
        } else {
            DATASET_REJECTED
        };
        state.impact = impact;
        self.datasets.setter(index).unwrap().state.set(state.pack());
        DatasetFinalized {
            datasetId: dataset_id,
            modelId: U256::from(state.model),
            impact: to_int256(impact),
            accepted,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Sends the caller its credited session bonds.
    ///
    /// # Errors
    /// `NothingToWithdraw`, `ReentrantCall`, `TransferFailed`.
    ///
    /// # Events
    /// `BondWithdrawn`.
    pub fn withdraw_bond(&mut self) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        let amount = self.credits.get(account);
        if amount.is_zero() {
            return Err(NothingToWithdraw {}.into());
        }
        self.guard.enter::<Error>()?;
        self.credits.setter(account).set(U256::ZERO);
        BondWithdrawn { account, amount }.emit_by_ref(self.vm());
        transfer_eth(self.vm(), account, amount).map_err(|_| TransferFailed {})?;
        self.guard.exit();
        Ok(())
    }

    /// Sets every parameter (governance only).
    ///
    /// # Arguments
    /// * `commit_window`, `reveal_window` - seconds, each in `[60, 30 days]`.
    /// * `min_reveals` - reveals a session needs, in `[1, max_voters]`.
    /// * `max_voters` - voters a session accepts, in `[1, 256]`.
    /// * `session_bond` - wei a requester posts with a session request.
    /// * `min_games` - rounds a dataset's model must play before judging, at least 1.
    /// * `impact_threshold` - impact (fixed point) to accept a dataset, within ±10,000 points.
    /// * `agreement_alpha_bps` - weight of a new agreement sample, in `[1, 10000]`.
    /// * `agreement_threshold` - alarm level of the agreement average, at most 1e18.
    /// * `upgrade_resamples` - resamples of `upgradeModel`'s bootstrap gate, in `[1, 32]` (the
    ///   gate cannot be switched off; 32 keeps it under 10M gas).
    ///
    /// # Errors
    /// `Unauthorized`, `ParameterOutOfRange` naming the first bad argument.
    ///
    /// # Events
    /// `ParamsUpdated`.
    #[allow(clippy::too_many_arguments)]
    pub fn set_params(
        &mut self,
        commit_window: u64,
        reveal_window: u64,
        min_reveals: u32,
        max_voters: u32,
        session_bond: U256,
        min_games: u64,
        impact_threshold: I256,
        agreement_alpha_bps: u64,
        agreement_threshold: u64,
        upgrade_resamples: u64,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.apply_params(
            commit_window,
            reveal_window,
            min_reveals,
            max_voters,
            session_bond,
            min_games,
            impact_threshold,
            agreement_alpha_bps,
            agreement_threshold,
            upgrade_resamples,
        )
    }

    /// Nominates a new governance (step one of two).
    ///
    /// # Arguments
    /// * `successor` - the nominee; zero cancels a pending handover.
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

    /// The nominee accepts governance (step two of two).
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

    /// The governance account.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// The nominated governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Semantic version of this contract.
    pub fn version(&self) -> alloc::string::String {
        alloc::string::String::from("0.2.0")
    }

    /// The staking vault read for voting power.
    pub fn vault(&self) -> Address {
        self.vault.get()
    }

    /// The champion model id, zero before the first upgrade.
    pub fn champion_model(&self) -> U256 {
        U256::from(self.champion.get().as_limbs()[0])
    }

    /// Rating of a model in 18-decimal fixed point.
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn rating_of(&self, model_id: U256) -> Result<I256, Error> {
        let index = self.model_index(model_id)?;
        Ok(to_int256(self.rating(index as u64 + 1)))
    }

    /// The owner of a model (the rewards program pays it model rewards).
    ///
    /// # Errors
    /// `UnknownModel`.
    pub fn model_owner(&self, model_id: U256) -> Result<Address, Error> {
        let index = self.model_index(model_id)?;
        Ok(self.models.getter(index).unwrap().owner.get())
    }

    /// A dataset: contributor, content hash, model id, status (0 pending, 1 accepted,
    /// 2 rejected), impact at finalization.
    ///
    /// # Errors
    /// `UnknownDataset`.
    pub fn dataset_info(&self, dataset_id: U256) -> Result<(Address, B256, U256, u8, I256), Error> {
        let index = self.dataset_index(dataset_id)?;
        let dataset = self.datasets.getter(index).unwrap();
        let state = DatasetState::unpack(dataset.state.get());
        Ok((
            dataset.contributor.get(),
            dataset.content_hash.get(),
            U256::from(state.model),
            state.status as u8,
            to_int256(state.impact),
        ))
    }

    /// A session's status (1 open, 2 finalized, 3 void), voters committed and votes revealed
    /// (its models, opener and windows are in `SessionOpened`).
    ///
    /// # Errors
    /// `UnknownSession`.
    pub fn session_info(&self, session_id: U256) -> Result<(U256, U256, U256), Error> {
        let index = self.session_index(session_id)?;
        let session = self.sessions.getter(index).unwrap();
        let header = SessionHeader::unpack(session.header.get());
        Ok((
            U256::from(header.status),
            U256::from(session.voters.len()),
            U256::from(header.reveals),
        ))
    }

    /// The `n` best-rated models (ties: lower id first): ids, ratings, games played. Returns
    /// all models when `n` exceeds their number.
    pub fn top_models(&self, n: U256) -> (Vec<U256>, Vec<I256>, Vec<U256>) {
        let count = self.models.len();
        let n = small(n).map_or(count, |n| (n as usize).min(count));
        // Sort keys: rating * 2^32 + (2^32 - 1 - id); one integer sort keeps the wasm small.
        let mut keys: Vec<i128> = (1..=count as u64)
            .map(|id| self.rating(id) * (1 << 32) + (i128::from(u32::MAX) - i128::from(id)))
            .collect();
        battles::sort(&mut keys);
        let mut ids = Vec::with_capacity(n);
        let mut ratings = Vec::with_capacity(n);
        let mut games = Vec::with_capacity(n);
        for key in keys.iter().rev().take(n) {
            // Low 32 bits and arithmetic shift: remainder and floor quotient by 2^32.
            let id = u64::from(u32::MAX) - (*key as u64 & u64::from(u32::MAX));
            ids.push(U256::from(id));
            ratings.push(to_int256(key >> 32));
            games.push(U256::from(self.model_state(id).games));
        }
        (ids, ratings, games)
    }

    /// A validator's agreement average (1e18 = always with the consensus) and the number of
    /// samples it covers.
    pub fn agreement_of(&self, validator: Address) -> (U256, U256) {
        let record = ValidatorRecord::unpack(self.record_at(validator, u64::MAX));
        (U256::from(record.agreement), U256::from(record.samples))
    }

    /// `validator`'s packed record as it stood at the end of second `time` (zero before its
    /// first one): binary search for the last word with a time `<= time`.
    fn record_at(&self, validator: Address, time: u64) -> U256 {
        let trace = self.validators.getter(validator);
        let (mut low, mut high) = (0, trace.len());
        while low < high {
            let mid = (low + high) / 2;
            if records::record_time(trace.get(mid).unwrap()) <= time {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        if low == 0 {
            U256::ZERO
        } else {
            trace.get(low - 1).unwrap()
        }
    }

    /// A validator's record: sessions committed, sessions revealed, agreement average and its
    /// samples (see [`ValidatorRecord`]). With `timepoint` zero, the latest record; otherwise
    /// the record as it stood at the end of second `timepoint`, which must be in the past.
    ///
    /// # Errors
    /// `FutureLookup` if `timepoint` is not before the current block's time.
    pub fn validator_record(
        &self,
        validator: Address,
        timepoint: U256,
    ) -> Result<(U256, U256, U256, U256), Error> {
        let time = if timepoint.is_zero() {
            u64::MAX
        } else {
            let now = self.vm().block_timestamp();
            small(timepoint).filter(|t| *t < now).ok_or(FutureLookup {
                timepoint,
                now: U256::from(now),
            })?
        };
        let word = self.record_at(validator, time);
        let r = ValidatorRecord::unpack(word);
        Ok((
            U256::from(r.committed),
            U256::from(r.revealed),
            U256::from(r.agreement),
            U256::from(r.samples),
        ))
    }

    /// The session operator, its bond and the minimum stake to commit (see `setValidation`).
    pub fn validation(&self) -> (Address, U256, U256) {
        (
            self.operator.get(),
            self.operator_bond.get(),
            self.min_stake.get(),
        )
    }

    /// Number of stored session records (ten battles each): the `cutoff` to pass to
    /// `upgradeModel` for a gate over the latest records.
    pub fn battle_records(&self) -> U256 {
        U256::from(self.battles.len())
    }

    /// Appoints the session operator and sets its bond and the minimum stake to commit
    /// (governance only).
    ///
    /// # Arguments
    /// * `operator` - the account that opens requested sessions; zero for none.
    /// * `operator_bond` - wei the operator posts per session, forfeited if it withholds the
    ///   seed.
    /// * `min_stake` - voting power a validator needs to commit.
    ///
    /// # Errors
    /// `Unauthorized`.
    ///
    /// # Events
    /// `ValidationUpdated`.
    pub fn set_validation(
        &mut self,
        operator: Address,
        operator_bond: U256,
        min_stake: U256,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.apply_validation(operator, operator_bond, min_stake);
        Ok(())
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

/// The error for a call at `now` outside `[start, end)`.
#[inline(never)]
fn window_error(now: u64, start: u64, end: u64) -> Error {
    OutsideWindow {
        time: U256::from(now),
        start: U256::from(start),
        end: U256::from(end),
    }
    .into()
}

/// `keccak256(results ‖ salt ‖ voter)`, the commitment a voter submits.
pub fn commitment(host: &impl Host, results: &[u8], salt: B256, voter: Address) -> B256 {
    let mut input = Vec::with_capacity(results.len() + 52);
    input.extend_from_slice(results);
    input.extend_from_slice(salt.as_slice());
    input.extend_from_slice(voter.as_slice());
    host.native_keccak256(&input)
}

/// Validates ten result bytes and packs them (X/Y terms).
fn parse_results(results: &[u8]) -> Result<u32, Error> {
    if results.len() != ROUNDS {
        return Err(WrongRoundCount {
            got: U256::from(results.len()),
            expected: U256::from(ROUNDS),
        }
        .into());
    }
    let mut outcomes = [Outcome::Tie; ROUNDS];
    for (round, &code) in results.iter().enumerate() {
        outcomes[round] = Outcome::from_code(code).ok_or(InvalidOutcome {
            round: U256::from(round),
            code,
        })?;
    }
    Ok(battles::pack_outcomes(&outcomes))
}

impl Ledger {
    /// Index of a model id, or `UnknownModel`.
    fn model_index(&self, id: U256) -> Result<usize, Error> {
        match small(id) {
            Some(i) if i >= 1 && i <= self.models.len() as u64 => Ok(i as usize - 1),
            _ => Err(UnknownModel { id }.into()),
        }
    }

    /// Index of a dataset id, or `UnknownDataset`.
    fn dataset_index(&self, id: U256) -> Result<usize, Error> {
        match small(id) {
            Some(i) if i >= 1 && i <= self.datasets.len() as u64 => Ok(i as usize - 1),
            _ => Err(UnknownDataset { id }.into()),
        }
    }

    /// Index of a session id, or `UnknownSession`.
    fn session_index(&self, id: U256) -> Result<usize, Error> {
        match small(id) {
            Some(i) if i >= 1 && i <= self.sessions.len() as u64 => Ok(i as usize - 1),
            _ => Err(UnknownSession { id }.into()),
        }
    }

    /// Index and header of a session that is still open, or `UnknownSession` /
    /// `SessionClosed`.
    #[inline(never)]
    fn live_session(&self, id: U256) -> Result<(usize, SessionHeader), Error> {
        let index = self.session_index(id)?;
        let header = SessionHeader::unpack(self.sessions.getter(index).unwrap().header.get());
        if header.status != STATUS_OPEN {
            return Err(SessionClosed {}.into());
        }
        Ok((index, header))
    }

    /// Index and header of an open session in its reveal window, or the window error.
    fn reveal_phase(&self, id: U256) -> Result<(usize, SessionHeader), Error> {
        let (index, header) = self.live_session(id)?;
        let (start, end) = (header.commit_end, header.reveal_end);
        let now = self.vm().block_timestamp();
        if now < start || now >= end {
            return Err(window_error(now, start, end));
        }
        Ok((index, header))
    }

    /// `IStakingVault(vault).getPastVotes(voter, snapshot)`, encoded by hand (the call is
    /// static and its arguments are two words); `None` if the call fails or returns too little.
    fn past_votes(&self, vault: Address, voter: Address, snapshot: U256) -> Option<U256> {
        let mut calldata = [0u8; 68];
        calldata[..4].copy_from_slice(&GET_PAST_VOTES);
        calldata[16..36].copy_from_slice(voter.as_slice());
        calldata[36..].copy_from_slice(&snapshot.to_be_bytes::<32>());
        let output = static_call(self.vm(), Call::new(), vault, &calldata).ok()?;
        let word: [u8; 32] = output.get(..32)?.try_into().ok()?;
        Some(U256::from_be_bytes(word))
    }

    /// State of model `id` (1-based, must exist).
    #[inline(never)]
    fn model_state(&self, id: u64) -> ModelState {
        ModelState::unpack(self.models.getter(id - 1).unwrap().state.get())
    }

    /// State of the dataset at `index`.
    fn dataset_state(&self, index: usize) -> DatasetState {
        DatasetState::unpack(self.datasets.getter(index).unwrap().state.get())
    }

    /// Rating of model `id` (1-based; 0 reads as the initial rating).
    fn rating(&self, id: u64) -> i128 {
        if id == 0 {
            INIT_RATING
        } else {
            self.model_state(id).rating
        }
    }

    /// The parameters packed in [`SmallParams`].
    #[inline(never)]
    fn small_params(&self) -> SmallParams {
        SmallParams::unpack(self.params.get())
    }

    /// The dataset impact threshold.
    fn impact_threshold(&self) -> i128 {
        from_int256(I256::from_raw(self.impact_threshold.get())).unwrap_or(0)
    }

    /// Adds `amount` wei to `account`'s withdrawable bonds.
    fn credit(&mut self, account: Address, amount: U256) {
        if amount.is_zero() {
            return;
        }
        let mut slot = self.credits.setter(account);
        let total = slot.get().saturating_add(amount);
        slot.set(total);
        BondCredited { account, amount }.emit_by_ref(self.vm());
    }

    /// Updates every committed voter's record at this block's time: committed + 1; for a
    /// revealed vote, revealed + 1 and its agreement with `consensus` as a sample (none when
    /// no round has a consensus); for a vote never revealed, a sample of zero. Raises
    /// `AgreementRecorded` per sample and `LowAgreement` below the threshold.
    fn record_validators(
        &mut self,
        session_id: U256,
        votes: &[(Address, Option<u32>, U256)],
        consensus: &[Option<u8>; ROUNDS],
        params: &SmallParams,
    ) {
        let threshold = params.agreement_threshold;
        let now = self.vm().block_timestamp();
        for &(voter, ab, _) in votes {
            let mut trace = self.validators.setter(voter);
            let len = trace.len();
            let last = if len == 0 {
                U256::ZERO
            } else {
                trace.get(len - 1).unwrap()
            };
            let mut record = ValidatorRecord::unpack(last);
            record.committed += 1;
            let sample = match ab {
                Some(ab) => {
                    record.revealed += 1;
                    agreement::agreement(ab, consensus)
                }
                None => Some(0),
            };
            if let Some(sample) = sample {
                record.agreement = agreement::next_ema(
                    record.agreement,
                    record.samples,
                    sample,
                    params.agreement_alpha_bps,
                );
                record.samples += 1;
            }
            // One word per second: a later session in the same second overwrites it.
            if len > 0 && records::record_time(last) == now {
                trace.setter(len - 1).unwrap().set(record.pack(now));
            } else {
                trace.push(record.pack(now));
            }
            let Some(sample) = sample else {
                continue;
            };
            let average = record.agreement;
            AgreementRecorded {
                sessionId: session_id,
                validator: voter,
                agreement: U256::from(sample),
                average: U256::from(average),
            }
            .emit_by_ref(self.vm());
            if average < threshold {
                LowAgreement {
                    validator: voter,
                    average: U256::from(average),
                    threshold: U256::from(threshold),
                }
                .emit_by_ref(self.vm());
            }
        }
    }

    /// Emits `SessionVoided`.
    fn voided(&self, session_id: U256, reason: u8) {
        SessionVoided {
            sessionId: session_id,
            reason,
        }
        .emit_by_ref(self.vm());
    }

    /// Index and header of a session that is requested and not yet opened, or
    /// `UnknownSession` / `SessionNotRequested`.
    fn requested_session(&self, id: U256) -> Result<(usize, SessionHeader), Error> {
        let index = self.session_index(id)?;
        let header = SessionHeader::unpack(self.sessions.getter(index).unwrap().header.get());
        if header.status != STATUS_REQUESTED {
            return Err(SessionNotRequested {}.into());
        }
        Ok((index, header))
    }

    /// Bootstrap bounds of `upgradeModel`'s gate: `[candidate, champion]` quantiles over the
    /// head-to-head battles of the two models among the last [`UPGRADE_WINDOW`] records before
    /// `end`.
    #[inline(never)]
    fn upgrade_bounds(&self, candidate: u64, champion: u64, end: u64) -> Vec<[i128; 3]> {
        let mut battles: Vec<Battle> = Vec::new();
        for i in end.saturating_sub(UPGRADE_WINDOW)..end {
            let (a, b, scores) = battles::unpack_record(self.battles.get(i as usize).unwrap());
            let (a, b) = (a as u64, b as u64);
            // Dense indices: 0 = candidate, 1 = champion.
            if (a, b) == (candidate, champion) || (a, b) == (champion, candidate) {
                let first = usize::from(a == champion);
                battles.extend(scores.iter().map(|&score| (first, 1 - first, score)));
            }
        }
        let mut input = [0u8; 24];
        input[..8].copy_from_slice(&end.to_be_bytes());
        input[8..16].copy_from_slice(&candidate.to_be_bytes());
        input[16..].copy_from_slice(&champion.to_be_bytes());
        let digest = self.vm().native_keccak256(&input);
        let seed = u64::from_be_bytes(digest[24..].try_into().unwrap());
        let resamples = self.small_params().upgrade_resamples as usize;
        battles::bootstrap(&battles, 2, &[0, 1], resamples, seed)
    }

    /// Stores the operator, its bond and the minimum stake and emits `ValidationUpdated`.
    fn apply_validation(&mut self, operator: Address, operator_bond: U256, min_stake: U256) {
        self.operator.set(operator);
        self.operator_bond.set(operator_bond);
        self.min_stake.set(min_stake);
        ValidationUpdated {
            operator,
            operatorBond: operator_bond,
            minStake: min_stake,
        }
        .emit_by_ref(self.vm());
    }

    /// Validates and stores every parameter (see [`Self::set_params`]).
    #[allow(clippy::too_many_arguments)]
    fn apply_params(
        &mut self,
        commit_window: u64,
        reveal_window: u64,
        min_reveals: u32,
        max_voters: u32,
        session_bond: U256,
        min_games: u64,
        impact_threshold: I256,
        agreement_alpha_bps: u64,
        agreement_threshold: u64,
        upgrade_resamples: u64,
    ) -> Result<(), Error> {
        let window_ok = |w: u64| (WINDOW_BOUNDS.0..=WINDOW_BOUNDS.1).contains(&w);
        let limit = MAX_IMPACT_THRESHOLD_POINTS * elo::ONE;
        let threshold = from_int256(impact_threshold).filter(|t| t.abs() <= limit);
        let checks = [
            window_ok(commit_window),
            window_ok(reveal_window),
            min_reveals >= 1 && min_reveals <= max_voters,
            (1..=MAX_VOTERS).contains(&max_voters),
            true,
            min_games >= 1,
            threshold.is_some(),
            (1..=10_000).contains(&agreement_alpha_bps),
            agreement_threshold <= agreement::ONE,
            (1..=MAX_UPGRADE_RESAMPLES).contains(&upgrade_resamples),
        ];
        if let Some(position) = checks.iter().position(|ok| !ok) {
            return Err(ParameterOutOfRange {
                position: position as u8,
            }
            .into());
        }
        let params = SmallParams {
            commit_window,
            reveal_window,
            min_reveals: min_reveals.into(),
            max_voters: max_voters.into(),
            upgrade_resamples,
            agreement_alpha_bps,
            min_games,
            agreement_threshold,
        };
        self.params.set(params.pack());
        self.session_bond.set(session_bond);
        self.impact_threshold.set(impact_threshold.into_raw());
        ParamsUpdated {
            commitWindow: U256::from(commit_window),
            revealWindow: U256::from(reveal_window),
            minReveals: U256::from(min_reveals),
            maxVoters: U256::from(max_voters),
            sessionBond: session_bond,
            minGames: U256::from(min_games),
            impactThreshold: impact_threshold,
            agreementAlphaBps: U256::from(agreement_alpha_bps),
            agreementThreshold: U256::from(agreement_threshold),
            upgradeResamples: U256::from(upgrade_resamples),
        }
        .emit_by_ref(self.vm());
        Ok(())
    }
}

#[cfg(test)]
mod tests;
