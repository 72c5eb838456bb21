#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! SubDAO state and logic, shared by the SubDAO's two programs: the core program (`subdao`, the
//! address users call: proposing, voting, queueing, executing, receiving ETH) and its extension
//! (`subdao-ext`: typed proposals, cancel, settings, governance handover and views), reached
//! through the core's fallback by delegate call (see `agentdao_common::extension`). Both programs
//! hold [`SubDaoState`] as their only storage field, so they share one layout; their `#[public]`
//! methods call the methods of [`SubDaoState`] defined here.
//!
//! The agent's SubDAO: proposals, validator voting with vault power, quorum, timelock and
//! execution, in the manner of OpenZeppelin's Governor.
//!
//! # Roles
//! - **Validators** propose (their power just before the proposal must reach the threshold) and
//!   vote For, Against or Abstain with the power delegated to them in the staking vault, read
//!   with `getPastVotes` at the proposal's snapshot, directly or by EIP-712 signature.
//! - **Anyone** queues a succeeded proposal and executes it once its timelock has passed, within
//!   the grace window.
//! - **The SubDAO itself** (its `governance`, initially its own address) changes its settings,
//!   so a settings change is itself a proposal that the SubDAO executes on itself. That needs
//!   stylus-sdk's `reentrant` feature in both programs; `execute` holds its own reentrancy
//!   guard instead.
//!
//! The SubDAO is the governance of the agent token, the vault, the Elo ledger and the OML
//! registry, and the agent's treasury: ETH and agent tokens it holds are spent (treasury spend,
//! buyback-and-burn) only by executed proposals.
//!
//! # Invariants
//! - A proposal's id is `keccak256(abi.encode(targets, values, calldatas, keccak256(description)))`
//!   (OpenZeppelin's `hashProposal`), so identical content cannot be proposed twice. A
//!   description ending in `#proposer=0x…` can only be proposed by that account (see
//!   [`proposer`]), and the typed helpers always reserve their proposals for their caller, so
//!   nobody can squat a proposal's id.
//! - A slash proposal asks for at most the vault's current maximum slash, so every slash that
//!   passes can execute.
//! - Each validator votes at most once per proposal, with its power at the snapshot; stake moved
//!   after the snapshot cannot vote again elsewhere.
//! - Quorum = `quorumBps` (fixed at proposal time) of the vault's total power at the snapshot;
//!   a proposal succeeds iff For + Abstain ≥ quorum and For > Against.
//! - A proposal executes at most once, only from `Queued` with `eta ≤ now ≤ expiry`; it is
//!   marked executed before its first call.
extern crate alloc;

pub mod ballot;
pub mod counting;
pub mod error;
pub mod proposal;
pub mod proposer;
pub mod settings;
pub mod sol;
pub mod surface;

#[cfg(test)]
mod tests;

use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, Bytes, FixedBytes, B256, I256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};
use stylus_sdk::call::RawCall;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageMap, StorageU256};

use agentdao_common::ecdsa;
/// Shared errors the SubDAO raises (variants of [`Error`]).
pub use agentdao_common::ecdsa::{ECDSAInvalidSignature, ECDSAInvalidSignatureS};
use agentdao_common::eip712;
use agentdao_common::emit::{emit_encoded, word};
/// Shared errors the SubDAO raises (variants of [`Error`]).
pub use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::extension;
/// Raised by the extension program when called at its own address (a variant of [`Error`]).
pub use agentdao_common::extension::NotDelegated;
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::raw_string::RawString;

use crate::counting::VoteType;
use crate::error::encode_words;
pub use crate::error::Error;
use crate::proposal::{Proposal, ProposalState, Record};
use crate::settings::Settings;
use crate::sol::calls;
pub use crate::sol::*;

/// The SubDAO's storage: the only field of both of its programs, so both share its layout.
#[storage]
pub struct SubDaoState {
    /// Governance role; the SubDAO's own address unless a proposal handed it over.
    governance: Governance,
    /// Lock held while `execute` runs its calls.
    guard: ReentrancyGuard,
    /// Staking vault: the source of voting power and the target of slash proposals.
    vault: StorageAddress,
    /// Elo ledger: the target of model-upgrade proposals (zero until wired).
    elo_ledger: StorageAddress,
    /// Voting delay and period, timelock delay, grace period, quorum and the number of
    /// proposals ever created, packed by [`Settings::pack`].
    config: StorageU256,
    /// Votes a proposer needs (and at least one).
    proposal_threshold: StorageU256,
    /// Proposals by id.
    proposals: StorageMap<U256, Proposal>,
    /// Per account, one word: limb [`VOTES_CAST`], limb [`PROPOSALS_CREATED`] and the next
    /// vote-by-signature nonce in limb [`NONCE`].
    accounts: StorageMap<Address, StorageU256>,
    /// The extension program the core forwards unknown selectors to (never zero once
    /// constructed; zero in the extension's own storage, which marks a direct call).
    extension: StorageAddress,
}

/// Limb of an account word counting the votes it cast.
pub const VOTES_CAST: usize = 0;
/// Limb of an account word counting the proposals it created.
pub const PROPOSALS_CREATED: usize = 1;
/// Limb of an account word holding its next vote-by-signature nonce.
pub const NONCE: usize = 2;

/// The contract's semantic version.
pub const VERSION: &str = "0.1.0";

/// The SubDAO's entry points, called by the core program (`subdao`) and by the extension
/// program (`subdao-ext`) on the same storage.
impl SubDaoState {
    /// Sets the vault and the settings; the SubDAO becomes its own governance.
    ///
    /// # Arguments
    /// * `vault` - staking vault (voting power source, slash target).
    /// * `elo_ledger` - Elo ledger (model-upgrade target); zero if not deployed yet.
    /// * `voting_delay` - seconds from proposal to snapshot (≤ 30 days).
    /// * `voting_period` - seconds of voting after the snapshot (1 s ..= 90 days).
    /// * `proposal_threshold` - votes a proposer needs.
    /// * `quorum_bps` - quorum in basis points of the total power at the snapshot (≤ 10,000).
    /// * `timelock_delay` - seconds from queue to earliest execution (≤ 30 days).
    /// * `grace_period` - seconds a queued proposal stays executable (1 s ..= 90 days).
    /// * `extension` - the extension program (`subdao-ext`) the core delegates to.
    ///
    /// # Errors
    /// [`ZeroAddress`] for a zero vault or extension; [`InvalidDuration`], [`BpsOutOfRange`]
    /// for settings out of bounds.
    ///
    /// # Events
    /// [`SettingsUpdated`] and
    /// [`GovernanceTransferred`](agentdao_common::errors::GovernanceTransferred).
    #[allow(clippy::too_many_arguments)]
    pub fn init(
        &mut self,
        vault: Address,
        elo_ledger: Address,
        voting_delay: u64,
        voting_period: u64,
        proposal_threshold: U256,
        quorum_bps: u64,
        timelock_delay: u64,
        grace_period: u64,
        extension: Address,
    ) -> Result<(), Error> {
        if vault.is_zero() || extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.vault.set(vault);
        self.extension.set(extension);
        self.apply_settings(Settings {
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
        })?;
        let this = self.vm().contract_address();
        self.governance.init(this)
    }

    /// Creates a proposal; its id is OpenZeppelin's `hashProposal`:
    /// `keccak256(abi.encode(targets, values, calldatas, keccak256(description)))`.
    ///
    /// # Arguments
    /// * `targets`, `values`, `calldatas` - the actions, executed in order.
    /// * `description` - human-readable text; its hash is part of the id.
    ///
    /// # Errors
    /// [`EmptyProposal`], [`InvalidProposalLength`], [`GovernorRestrictedProposer`] if the
    /// description is reserved for another proposer (see [`proposer`]),
    /// [`ProposalAlreadyExists`], [`ProposerBelowThreshold`], [`ExternalCallFailed`] if the
    /// vault read fails.
    ///
    /// # Events
    /// [`ProposalCreated`] with the full content (needed to execute).
    pub fn propose(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Bytes>,
        description: RawString,
    ) -> Result<U256, Error> {
        self.create_proposal(targets, values, calldatas, description)
    }

    /// Proposes making `model_id` the Elo ledger's champion. The candidate's rating must beat
    /// the current champion's (when there is one). The description is `evidence` reserved for
    /// the caller (`evidence ‖ "#proposer=0x…"`, see [`proposer`]). The action is
    /// `upgradeModel(model_id, battleRecords())`: the ledger's bootstrap gate is fixed to the
    /// session records stored when the proposal is made.
    ///
    /// # Arguments
    /// * `model_id` - the candidate model.
    /// * `evidence` - the start of the proposal description (e.g. the bootstrap Elo report and
    ///   its URI).
    ///
    /// # Errors
    /// [`ZeroAddress`] if no Elo ledger is wired; [`ModelNotBetter`] unless the candidate's
    /// rating is strictly above the champion's (so also for the champion itself);
    /// [`ExternalCallFailed`] if a ledger read fails; the errors of [`propose`](Self::propose).
    ///
    /// # Events
    /// [`ProposalCreated`].
    pub fn propose_model_upgrade(
        &mut self,
        model_id: U256,
        evidence: RawString,
    ) -> Result<U256, Error> {
        let ledger = self.elo_ledger.get();
        if ledger.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let champion = self.read_word(
            ledger,
            &encode_words(calls::championModelCall::SELECTOR, &[]),
        )?;
        if !champion.is_zero() {
            let rating = self.rating_of(ledger, model_id)?;
            let champion_rating = self.rating_of(ledger, champion)?;
            // Signed order as unsigned order with the sign bit flipped (no sign-and-abs code).
            let key = |r: I256| r.into_raw() ^ I256::MIN.into_raw();
            if key(rating) <= key(champion_rating) {
                return Err(ModelNotBetter {
                    modelId: model_id,
                    rating,
                    championRating: champion_rating,
                }
                .into());
            }
        }
        // The ledger's bootstrap gate looks back from the records stored now: sessions
        // finalized while the proposal is pending cannot steer its verdict.
        let cutoff = self.read_word(
            ledger,
            &encode_words(calls::battleRecordsCall::SELECTOR, &[]),
        )?;
        let action = encode_words(
            calls::upgradeModelCall::SELECTOR,
            &[model_id.into(), cutoff.into()],
        );
        self.create_reserved_proposal(ledger, action, evidence.as_bytes())
    }

    /// Proposes slashing `bps` of `validator`'s stake in the vault (slashed tokens go to the
    /// treasury). The description is the caller's `#proposer=0x…` suffix alone (see
    /// [`proposer`]): the proposal is reserved for its proposer, and the reason hash makes the
    /// id unique.
    ///
    /// # Arguments
    /// * `validator` - the validator to slash.
    /// * `bps` - share of its bonded and unbonding stake, in basis points, at most the vault's
    ///   current maximum slash (`parameters()`), so that a passed proposal can execute.
    /// * `reason_hash` - hash of the published reason (e.g. its Elo-consensus evidence).
    ///
    /// # Errors
    /// [`ZeroAddress`]; [`BpsOutOfRange`] above the vault's maximum slash; [`ExternalCallFailed`]
    /// if the vault read fails; the errors of [`propose`](Self::propose).
    ///
    /// # Events
    /// [`ProposalCreated`].
    pub fn propose_slash(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<U256, Error> {
        if validator.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let vault = self.vault.get();
        let parameters = encode_words(calls::parametersCall::SELECTOR, &[]);
        let max = self.read_word_at(vault, &parameters, MAX_SLASH_WORD)?;
        if bps > max {
            return Err(BpsOutOfRange { value: bps, max }.into());
        }
        let words = [validator.into_word(), bps.into(), reason_hash];
        let action = encode_words(calls::slashCall::SELECTOR, &words);
        self.create_reserved_proposal(vault, action, &[])
    }

    /// Proposes jailing `validator` in the vault (zero voting power and no rewards until
    /// unjailed): the governance path for a validator whose validation went wrong, next to the
    /// rewards program's permissionless low-agreement jail. Reserved for its proposer like
    /// [`propose_slash`](Self::propose_slash).
    ///
    /// # Arguments
    /// * `validator` - the validator to jail.
    ///
    /// # Errors
    /// [`ZeroAddress`]; the errors of [`propose`](Self::propose).
    ///
    /// # Events
    /// [`ProposalCreated`].
    pub fn propose_jail(&mut self, validator: Address) -> Result<U256, Error> {
        if validator.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let action = encode_words(calls::jailCall::SELECTOR, &[validator.into_word()]);
        self.create_reserved_proposal(self.vault.get(), action, &[])
    }

    /// Withdraws a proposal before voting starts (proposer only).
    ///
    /// # Arguments
    /// * `proposal_id` - the proposal.
    ///
    /// # Errors
    /// [`NonexistentProposal`]; [`Unauthorized`] unless called by the proposer;
    /// [`UnexpectedProposalState`] unless Pending.
    ///
    /// # Events
    /// [`ProposalCanceled`].
    pub fn cancel(&mut self, proposal_id: U256) -> Result<(), Error> {
        let state = self.state_of(proposal_id)?;
        let caller = self.vm().msg_sender();
        let mut record = self.proposals.getter(proposal_id).record();
        if caller != record.proposer {
            return Err(Unauthorized {
                caller,
                required: record.proposer,
            }
            .into());
        }
        expect_state(proposal_id, state, ProposalState::Pending.bit())?;
        record.canceled = true;
        self.proposals.setter(proposal_id).set_header(&record);
        ProposalCanceled {
            proposalId: proposal_id,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Votes on an active proposal with the caller's power at the snapshot.
    ///
    /// # Arguments
    /// * `proposal_id` - the proposal.
    /// * `support` - 0 Against, 1 For, 2 Abstain.
    ///
    /// # Errors
    /// See [`cast_vote_with_reason`](Self::cast_vote_with_reason).
    ///
    /// # Events
    /// [`VoteCast`].
    pub fn cast_vote(&mut self, proposal_id: U256, support: u8) -> Result<U256, Error> {
        let voter = self.vm().msg_sender();
        self.record_vote(proposal_id, voter, support, &[])
    }

    /// Votes with a reason that is logged.
    ///
    /// # Arguments
    /// * `proposal_id` - the proposal.
    /// * `support` - 0 Against, 1 For, 2 Abstain.
    /// * `reason` - free text, logged only.
    ///
    /// # Errors
    /// [`InvalidVoteType`]; [`NonexistentProposal`]; [`UnexpectedProposalState`] unless
    /// Active; [`AlreadyVoted`]; [`NoVotingPower`]; [`ExternalCallFailed`] if a vault read
    /// fails; [`ArithmeticOverflow`].
    ///
    /// # Events
    /// [`VoteCast`].
    pub fn cast_vote_with_reason(
        &mut self,
        proposal_id: U256,
        support: u8,
        reason: RawString,
    ) -> Result<U256, Error> {
        let voter = self.vm().msg_sender();
        self.record_vote(proposal_id, voter, support, reason.as_bytes())
    }

    /// Votes for `voter`, who signed the EIP-712 `Ballot(proposalId, support, voter, nonce)`
    /// with its current nonce; the nonce is then used up.
    ///
    /// # Arguments
    /// * `proposal_id` - the proposal.
    /// * `support` - 0 Against, 1 For, 2 Abstain.
    /// * `voter` - the signing validator.
    /// * `signature` - 65 bytes `r ‖ s ‖ v`.
    ///
    /// # Errors
    /// [`ECDSAInvalidSignature`] if not 65 bytes or unrecoverable; [`ECDSAInvalidSignatureS`]
    /// (malleable `s`); [`InvalidSigner`] if it recovers to another account
    /// (forged, replayed, other proposal or vote); the errors of
    /// [`cast_vote_with_reason`](Self::cast_vote_with_reason).
    ///
    /// # Events
    /// [`VoteCast`].
    pub fn cast_vote_by_sig(
        &mut self,
        proposal_id: U256,
        support: u8,
        voter: Address,
        signature: Bytes,
    ) -> Result<U256, Error> {
        let (r, s, v) = ballot::split_signature(&signature).ok_or(ECDSAInvalidSignature {})?;
        let nonce = U256::from(self.account(voter)[NONCE]);
        let preimage = ballot::ballot_preimage(proposal_id, support, voter, nonce);
        let struct_hash = self.vm().native_keccak256(&preimage);
        let digest = eip712::typed_data_digest(self.domain_separator(), struct_hash);
        let signer = ecdsa::recover::<_, Error>(self.vm(), digest, v, r, s)?;
        if signer != voter {
            return Err(InvalidSigner { signer, voter }.into());
        }
        let weight = self.record_vote(proposal_id, voter, support, &[])?;
        self.count(voter, NONCE);
        Ok(weight)
    }

    /// Puts a succeeded proposal into the timelock.
    ///
    /// # Arguments
    /// * `proposal_id` - the proposal.
    ///
    /// # Errors
    /// [`NonexistentProposal`]; [`UnexpectedProposalState`] unless Succeeded.
    ///
    /// # Events
    /// [`ProposalQueued`] with the eta and the last executable second.
    pub fn queue(&mut self, proposal_id: U256) -> Result<u64, Error> {
        let state = self.state_of(proposal_id)?;
        expect_state(proposal_id, state, ProposalState::Succeeded.bit())?;
        let now = self.vm().block_timestamp();
        let config = self.windows();
        let eta = now.saturating_add(config.timelock_delay);
        let expiry = eta.saturating_add(config.grace_period);
        let mut record = self.proposals.getter(proposal_id).record();
        record.eta = eta;
        record.expiry = expiry;
        self.proposals.setter(proposal_id).set_timeline(&record);
        ProposalQueued {
            proposalId: proposal_id,
            eta,
            expiry,
        }
        .emit(self.vm());
        Ok(eta)
    }

    /// Executes a queued proposal, identified by its content as in OpenZeppelin's Governor,
    /// once the timelock has passed and before the grace window closes: calls each target in
    /// order with its value (from the treasury; ETH sent along joins it).
    ///
    /// # Arguments
    /// * `targets`, `values`, `calldatas` - the actions, as proposed.
    /// * `description_hash` - `keccak256(description)`.
    ///
    /// # Errors
    /// [`ReentrantCall`] when called from within an execution; [`NonexistentProposal`];
    /// [`UnexpectedProposalState`] unless Queued (executed, expired, ...);
    /// [`TimelockNotElapsed`] before the eta; an action's own revert data, unchanged, when it
    /// reverts with data, else [`ActionFailed`].
    ///
    /// # Events
    /// [`ProposalExecuted`].
    pub fn execute(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Bytes>,
        description_hash: FixedBytes<32>,
    ) -> Result<U256, Vec<u8>> {
        self.guard.enter::<Error>()?;
        let result = self.execute_actions((targets, values, calldatas, description_hash));
        self.guard.exit();
        result
    }

    /// Replaces the settings (the SubDAO itself only, i.e. by executed proposal). New voting
    /// settings apply to new proposals; quorum is fixed per proposal at creation; timelock and
    /// grace apply to proposals queued from now on.
    ///
    /// # Arguments
    /// * `elo_ledger` - Elo ledger for model upgrades (zero unwires it).
    /// * `voting_delay`, `voting_period`, `proposal_threshold`, `quorum_bps`,
    ///   `timelock_delay`, `grace_period` - as in the constructor, with the same bounds.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by the governance; [`InvalidDuration`],
    /// [`BpsOutOfRange`].
    ///
    /// # Events
    /// [`SettingsUpdated`].
    #[allow(clippy::too_many_arguments)]
    pub fn set_settings(
        &mut self,
        elo_ledger: Address,
        voting_delay: u64,
        voting_period: u64,
        proposal_threshold: U256,
        quorum_bps: u64,
        timelock_delay: u64,
        grace_period: u64,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.apply_settings(Settings {
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
        })
    }

    /// Step one of a governance handover (the governance only, i.e. by proposal).
    ///
    /// # Arguments
    /// * `successor` - the nominee; zero cancels a pending handover.
    ///
    /// # Errors
    /// [`Unauthorized`].
    ///
    /// # Events
    /// [`GovernanceTransferStarted`](agentdao_common::errors::GovernanceTransferStarted).
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer(caller, successor)
    }

    /// Step two of a governance handover: the nominee accepts.
    ///
    /// # Errors
    /// [`NotPendingGovernance`].
    ///
    /// # Events
    /// [`GovernanceTransferred`](agentdao_common::errors::GovernanceTransferred).
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.accept(caller)
    }
    /// Completes a governance handover to the SubDAO: calls `target.acceptGovernance()`, so a
    /// contract whose governance nominated the SubDAO (`transferGovernance(subdao)`, as the
    /// deployer does for the token, the vault, the Elo ledger and the OML registry) is governed
    /// by it. Anyone may call it: it only completes a handover the target's current governance
    /// started, and the target itself checks that the SubDAO is its nominee.
    ///
    /// # Arguments
    /// * `target` - the contract whose governance the SubDAO accepts.
    ///
    /// # Errors
    /// [`ReentrantCall`] when called from within an execution; [`ExternalCallFailed`] if
    /// `target` has no code or its `acceptGovernance()` reverts (e.g. the SubDAO is not its
    /// pending governance), with the revert data as the reason.
    ///
    /// # Events
    /// None here; the target logs its own `GovernanceTransferred`.
    pub fn accept_governance_of(&mut self, target: Address) -> Result<(), Error> {
        self.guard.enter::<Error>()?;
        let data = encode_words(calls::acceptGovernanceCall::SELECTOR, &[]);
        let result = if self.vm().code_size(target) == 0 {
            Err(Vec::new())
        } else {
            self.call_raw(target, U256::ZERO, &data)
        };
        self.guard.exit();
        result.map_err(|reason| external_failure(target, reason))
    }

    /// The proposal's state: 0 Pending, 1 Active, 2 Canceled, 3 Defeated, 4 Succeeded,
    /// 5 Queued, 6 Expired, 7 Executed.
    ///
    /// # Errors
    /// [`NonexistentProposal`].
    pub fn state(&self, proposal_id: U256) -> Result<u8, Error> {
        Ok(self.state_of(proposal_id)? as u8)
    }

    /// A proposal's record `(proposer, snapshot, deadline, eta, quorumBps, totalPower,
    /// againstVotes, forVotes, abstainVotes)`: the snapshot is where voting power is read,
    /// voting runs over `(snapshot, deadline]`, `eta` is zero until queued, and the quorum is
    /// `quorumBps` of `totalPower`, the vault's total at the snapshot (read at the first vote,
    /// zero before). All zero for an unknown id.
    #[allow(clippy::type_complexity)]
    pub fn proposal(
        &self,
        proposal_id: U256,
    ) -> (Address, u64, u64, u64, u64, U256, U256, U256, U256) {
        let proposal = self.proposals.getter(proposal_id);
        let record = proposal.record();
        let tally = proposal.tally();
        (
            record.proposer,
            record.vote_start,
            record.vote_end,
            record.eta,
            record.quorum_bps,
            proposal.total_power.get(),
            tally.against,
            tally.for_votes,
            tally.abstain,
        )
    }

    /// Whether `account` voted on the proposal.
    pub fn has_voted(&self, proposal_id: U256, account: Address) -> bool {
        self.proposals.getter(proposal_id).has_voted.get(account)
    }

    /// A validator's participation: `(votesCast, proposalsCreated, proposalCount)`, the last
    /// being the number of proposals ever made, for a participation rate.
    pub fn participation(&self, validator: Address) -> (u64, u64, u64) {
        let account = self.account(validator);
        let count = Settings::packed_count(self.config.get());
        (account[VOTES_CAST], account[PROPOSALS_CREATED], count)
    }

    /// The next vote-by-signature nonce of `voter`.
    pub fn nonces(&self, voter: Address) -> U256 {
        U256::from(self.account(voter)[NONCE])
    }

    /// The EIP-712 domain separator of ballots (name "AgentDAO SubDAO", version "1").
    pub fn domain_separator(&self) -> B256 {
        eip712::domain_separator(
            ballot::DOMAIN_NAME_HASH,
            eip712::VERSION_1_HASH,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    /// The vault and the settings: `(vault, eloLedger, votingDelay, votingPeriod,
    /// proposalThreshold, quorumBps, timelockDelay, gracePeriod)`.
    pub fn settings(&self) -> (Address, Address, u64, u64, U256, u64, u64, u64) {
        let s = Settings::unpack(
            self.config.get(),
            self.elo_ledger.get(),
            self.proposal_threshold.get(),
        );
        (
            self.vault.get(),
            s.elo_ledger,
            s.voting_delay,
            s.voting_period,
            s.proposal_threshold,
            s.quorum_bps,
            s.timelock_delay,
            s.grace_period,
        )
    }

    /// The governance account (the SubDAO itself unless handed over).
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// The nominated successor, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// The contract's semantic version.
    pub fn version(&self) -> String {
        VERSION.into()
    }

    /// The extension program the core forwards to (zero in the extension's own storage).
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// Fails unless this code runs in the core's storage (by delegate call from the core).
    ///
    /// # Errors
    /// [`NotDelegated`] when called at the extension's own address.
    #[inline(never)]
    pub fn require_delegated(&self) -> Result<(), Error> {
        extension::require_delegated(self.extension.get())
    }
}

/// Index of `maxSlashBps` among the words the vault's `parameters()` returns.
const MAX_SLASH_WORD: usize = 5;

/// The content a proposal id hashes: `(targets, values, calldatas, descriptionHash)`.
type Content = (Vec<Address>, Vec<U256>, Vec<Bytes>, B256);

/// Private helpers: proposal creation, voting, execution, calls, settings.
impl SubDaoState {
    /// `keccak256(abi.encode(content))` as a number: the proposal id.
    #[inline(never)]
    fn content_id(&self, content: &Content) -> U256 {
        U256::from_be_bytes(self.vm().native_keccak256(&content.abi_encode_params()).0)
    }

    /// A one-action proposal of the typed helpers: `action` on `target`, no value, the
    /// description `description` reserved for the caller (see [`proposer`]).
    fn create_reserved_proposal(
        &mut self,
        target: Address,
        action: Vec<u8>,
        description: &[u8],
    ) -> Result<U256, Error> {
        let description = proposer::reserve(description, self.vm().msg_sender());
        self.create_proposal(
            vec![target],
            vec![U256::ZERO],
            vec![action.into()],
            RawString(description.into()),
        )
    }

    /// Validates and stores a proposal; see [`SubDaoState::propose`].
    fn create_proposal(
        &mut self,
        targets: Vec<Address>,
        values: Vec<U256>,
        calldatas: Vec<Bytes>,
        description: RawString,
    ) -> Result<U256, Error> {
        let n = targets.len();
        if n == 0 || n != values.len() || n != calldatas.len() {
            return Err(InvalidProposalLength {
                targets: U256::from(n),
                values: U256::from(values.len()),
                calldatas: U256::from(calldatas.len()),
            }
            .into());
        }
        let proposer = self.vm().msg_sender();
        if proposer::reserved_for(description.as_bytes()).is_some_and(|only| only != proposer) {
            return Err(GovernorRestrictedProposer { proposer }.into());
        }
        let description_hash = self.vm().native_keccak256(description.as_bytes());
        let content = (targets, values, calldatas, description_hash);
        let proposal_id = self.content_id(&content);
        if self.proposals.getter(proposal_id).exists() {
            return Err(ProposalAlreadyExists {
                proposalId: proposal_id,
            }
            .into());
        }
        let now = self.vm().block_timestamp();
        // Power one second back: stake moved in this very block cannot lift a proposer.
        let votes = self.past_votes(proposer, now.saturating_sub(1))?;
        let threshold = self.proposal_threshold.get();
        if votes.is_zero() || votes < threshold {
            return Err(ProposerBelowThreshold {
                proposer,
                votes,
                threshold,
            }
            .into());
        }

        let word = self.config.get();
        let config = Settings::unpack(word, Address::ZERO, U256::ZERO);
        let vote_start = now.saturating_add(config.voting_delay);
        let vote_end = vote_start.saturating_add(config.voting_period);
        let record = Record {
            proposer,
            vote_start,
            vote_end,
            quorum_bps: config.quorum_bps,
            ..Record::default()
        };
        self.proposals.setter(proposal_id).set_record(&record);
        let count = Settings::packed_count(word).saturating_add(1);
        self.config.set(config.pack(count));
        self.count(proposer, PROPOSALS_CREATED);
        // `ProposalCreated`: the description's bytes are encoded as `bytes`, which is exactly
        // the encoding of `string`.
        let (targets, values, calldatas, _) = content;
        let data = (
            targets,
            values,
            calldatas,
            vote_start,
            vote_end,
            description.0,
        );
        emit_encoded(
            self.vm(),
            &[
                ProposalCreated::SIGNATURE_HASH,
                proposal_id.into(),
                proposer.into_word(),
            ],
            &data.abi_encode_params(),
        );
        Ok(proposal_id)
    }

    /// Validates and counts one vote; returns its weight. Every check and external read
    /// happens before the first write.
    fn record_vote(
        &mut self,
        proposal_id: U256,
        voter: Address,
        support: u8,
        reason: &[u8],
    ) -> Result<U256, Error> {
        let vote = VoteType::from_support(support).ok_or(InvalidVoteType { support })?;
        let state = self.state_of(proposal_id)?;
        expect_state(proposal_id, state, ProposalState::Active.bit())?;
        let proposal = self.proposals.getter(proposal_id);
        if proposal.has_voted.get(voter) {
            return Err(AlreadyVoted {
                proposalId: proposal_id,
                voter,
            }
            .into());
        }
        let mut record = proposal.record();
        let snapshot = record.vote_start;
        let tally = proposal.tally();
        drop(proposal);

        let weight = self.past_votes(voter, snapshot)?;
        if weight.is_zero() {
            return Err(NoVotingPower {
                voter,
                timepoint: snapshot,
            }
            .into());
        }
        let tally = tally.add(vote, weight).ok_or(ArithmeticOverflow {})?;
        // The total power at the snapshot is final once the snapshot has passed: read it once.
        let total_power = if record.quorum_known {
            None
        } else {
            let vault = self.vault.get();
            let data = encode_words(calls::getPastTotalSupplyCall::SELECTOR, &[word(snapshot)]);
            Some(self.read_word(vault, &data)?)
        };

        let mut proposal = self.proposals.setter(proposal_id);
        proposal.has_voted.insert(voter, true);
        proposal.set_tally(tally);
        if let Some(total) = total_power {
            proposal.total_power.set(total);
            record.quorum_known = true;
            proposal.set_header(&record);
        }
        self.count(voter, VOTES_CAST);
        tail::VoteCast {
            voter,
            proposalId: proposal_id,
            support,
            weight,
            reason,
        }
        .emit(self.vm());
        Ok(weight)
    }

    /// `who`'s account word as limbs ([`VOTES_CAST`], [`PROPOSALS_CREATED`], [`NONCE`]).
    fn account(&self, who: Address) -> [u64; 4] {
        self.accounts.get(who).into_limbs()
    }

    /// Adds one to limb `counter` of `who`'s account word (a u64 that cannot realistically
    /// overflow; it saturates rather than wrap).
    #[inline(never)]
    fn count(&mut self, who: Address, counter: usize) {
        let mut limbs = self.account(who);
        limbs[counter] = limbs[counter].saturating_add(1);
        self.accounts.insert(who, U256::from_limbs(limbs));
    }

    /// The body of [`SubDaoState::execute`], run under the reentrancy guard.
    fn execute_actions(&mut self, content: Content) -> Result<U256, Vec<u8>> {
        let proposal_id = self.content_id(&content);
        let state = self.state_of(proposal_id)?;
        expect_state(proposal_id, state, ProposalState::Queued.bit())?;
        let mut record = self.proposals.getter(proposal_id).record();
        if self.vm().block_timestamp() < record.eta {
            return Err(Error::from(TimelockNotElapsed {
                proposalId: proposal_id,
                eta: record.eta,
            })
            .into());
        }
        // Effects before interactions: a re-entrant execute sees the proposal executed.
        record.executed = true;
        self.proposals.setter(proposal_id).set_header(&record);
        let (targets, values, calldatas, _) = content;
        for (index, ((target, value), data)) in
            targets.into_iter().zip(values).zip(calldatas).enumerate()
        {
            if let Err(reason) = self.call_raw(target, value, &data) {
                if reason.is_empty() {
                    let index = U256::from(index);
                    return Err(Error::from(ActionFailed {
                        proposalId: proposal_id,
                        index,
                    })
                    .into());
                }
                return Err(reason);
            }
        }
        ProposalExecuted {
            proposalId: proposal_id,
        }
        .emit(self.vm());
        Ok(proposal_id)
    }

    /// Calls `target` with `value` wei and `data`; the revert data on failure.
    fn call_raw(&self, target: Address, value: U256, data: &[u8]) -> Result<(), Vec<u8>> {
        // Write back and forget cached storage: the callee may be this contract (a settings
        // change), whose writes must be read fresh afterwards.
        self.vm().flush_cache(true);
        // SAFETY: the storage cache was flushed and cleared above, and no storage reference is
        // held across the call (callers re-read what they need).
        unsafe { RawCall::new_with_value(self.vm(), value).call(target, data) }.map(drop)
    }

    /// The first return word of a static call to a system contract.
    fn read_word(&self, target: Address, data: &[u8]) -> Result<U256, Error> {
        self.read_word_at(target, data, 0)
    }

    /// Word `index` of the answer of a static call to `target` with `data`.
    fn read_word_at(&self, target: Address, data: &[u8], index: usize) -> Result<U256, Error> {
        // Persist pending writes for the callee to see, keeping the cache (as the SDK does).
        self.vm().flush_cache(false);
        // SAFETY: a static call changes no state, so the storage cache stays valid.
        let output = unsafe { RawCall::new_static(self.vm()).call(target, data) };
        let at = index * 32;
        match output {
            Ok(answer) if answer.len() >= at + 32 => Ok(U256::from_be_slice(&answer[at..at + 32])),
            Ok(reason) | Err(reason) => Err(external_failure(target, reason)),
        }
    }

    /// The state of an existing proposal.
    #[inline(never)]
    fn state_of(&self, proposal_id: U256) -> Result<ProposalState, Error> {
        let proposal = self.proposals.getter(proposal_id);
        if !proposal.exists() {
            return Err(NonexistentProposal {
                proposalId: proposal_id,
            }
            .into());
        }
        Ok(proposal.state(self.vm().block_timestamp()))
    }

    /// `account`'s voting power in the vault at `timepoint` (`getPastVotes`).
    fn past_votes(&self, account: Address, timepoint: u64) -> Result<U256, Error> {
        let data = encode_words(
            calls::getPastVotesCall::SELECTOR,
            &[account.into_word(), word(timepoint)],
        );
        self.read_word(self.vault.get(), &data)
    }

    /// A model's Elo rating in the ledger (`ratingOf`, 18-decimal fixed point).
    fn rating_of(&self, ledger: Address, model_id: U256) -> Result<I256, Error> {
        let data = encode_words(calls::ratingOfCall::SELECTOR, &[model_id.into()]);
        Ok(I256::from_raw(self.read_word(ledger, &data)?))
    }

    /// The packed settings (windows and quorum); `elo_ledger` and `proposal_threshold` are
    /// stored apart and left zero here (read them where needed).
    fn windows(&self) -> Settings {
        Settings::unpack(self.config.get(), Address::ZERO, U256::ZERO)
    }

    /// Checks and stores the settings.
    fn apply_settings(&mut self, settings: Settings) -> Result<(), Error> {
        settings.check::<Error>()?;
        self.elo_ledger.set(settings.elo_ledger);
        let count = Settings::packed_count(self.config.get());
        self.config.set(settings.pack(count));
        self.proposal_threshold.set(settings.proposal_threshold);
        SettingsUpdated {
            eloLedger: settings.elo_ledger,
            votingDelay: settings.voting_delay,
            votingPeriod: settings.voting_period,
            proposalThreshold: settings.proposal_threshold,
            quorumBps: settings.quorum_bps,
            timelockDelay: settings.timelock_delay,
            gracePeriod: settings.grace_period,
        }
        .emit(self.vm());
        Ok(())
    }
}

/// Fails with [`UnexpectedProposalState`] unless `state`'s bit is in `expected`.
fn expect_state(proposal_id: U256, state: ProposalState, expected: u32) -> Result<(), Error> {
    if state.bit() & expected == 0 {
        return Err(UnexpectedProposalState {
            proposalId: proposal_id,
            current: state as u8,
            expectedStates: B256::from(U256::from(expected)),
        }
        .into());
    }
    Ok(())
}

/// A failed call to a system contract, with its revert data as the reason.
fn external_failure(target: Address, reason: Vec<u8>) -> Error {
    ExternalCallFailed {
        target,
        reason: reason.into(),
    }
    .into()
}
