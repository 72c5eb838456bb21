#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Rewards state and logic: incentives that follow the quality of the work.
//!
//! The rewards program receives agent tokens (`fund`, from anyone: the treasury by proposal or
//! an emission source outside the agent) into a **reserve** and pays them out per **epoch**
//! (`closeEpoch`, anyone, once the epoch is over):
//!
//! - **Budget.** Without an emission programme an epoch spends the whole reserve; with one
//!   (`setEmission`) it spends the programme's per-epoch amount, halved every `halvingEpochs`
//!   epochs (Bittensor-style), never more than the reserve holds. An epoch in which no session
//!   was finalized spends nothing: its budget stays in the reserve for the next one.
//! - **Validator side** (`validatorBps` of the budget): each validator's share is
//!   `pot × stake / totalStake × quality`, claimed per validator (`claimValidatorReward`,
//!   anyone, lazily: closing never loops over validators) and paid into the validator's pool
//!   in the staking vault (`notifyValidatorReward`), where its commission goes to the validator
//!   and the rest to its delegators. `stake` is the lesser of its voting power at the epoch's
//!   start and end and `totalStake` the total at the start (vault checkpoints), so stake added
//!   at the last second neither earns nor dilutes the others, and the shares never exceed the
//!   pot; a validator jailed at either point has zero. `quality` (1e18 = full) is participation (sessions revealed in
//!   during the epoch, up to `participationTarget`) times agreement (the lesser of its
//!   agreement averages at the epoch's start and end), both from the Elo ledger's checkpointed
//!   validator records at those times, never a live value. What quality and stake leave
//!   unpaid, and what nobody claims within `claimEpochs` epochs, goes back to the reserve
//!   (`sweep`).
//! - **Model side** (the rest): `championBps` of it to the champion's owner, the remainder to
//!   the owners of the nominated models by rank (top `topN` by rating at the close, linear
//!   weights N..1). Nominations (`nominate`, anyone) keep a list of at most [`MAX_TOP_N`]
//!   models: a new model enters while there is room or by displacing a lower-rated one, so the
//!   close reads a bounded list instead of the ledger's whole registry, whose length strangers
//!   control.
//! - **One-time impact rewards** from the reserve, `bonusPerElo` per Elo point of gain and at
//!   most `bonusCap`: an accepted dataset's contributor for its impact (`rewardDataset`), and
//!   the owner of a new champion for its rating gain over the champion it replaced (seen at the
//!   first close after the change).
//! - **Penalty**: a validator whose agreement average was below `agreementThreshold` at a time
//!   `since` and still is, with at least `lowAgreementSessions` sessions sampled in between,
//!   can be jailed in the vault by anyone (`jailLowAgreement`; zero voting power, no rewards);
//!   after `jailCooldown` seconds anyone can release it (`releaseFromJail`), and a new jail
//!   needs a new span of low agreement after the release.
//!
//! Credits (model side, impact rewards) are pulled by their owners (`claim`); every payout and
//! credit is an event. Rounding dust stays in the reserve.
//!
//! Invariant (property tested): `funded == paid + claimable + reserve`, where claimable is the
//! unpaid credits plus the unclaimed validator pots, and the token balance of the program is
//! `claimable + reserve`.
extern crate alloc;

mod calls;
pub mod math;
pub mod params;
mod sol;
pub mod surface;
#[cfg(test)]
mod tests;

use agentdao_common::errors::{
    ArithmeticOverflow, NotPendingGovernance, ReentrantCall, Unauthorized, ZeroAddress,
};
use agentdao_common::extension::{self, NotDelegated};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::math::{add, sub, BPS_DENOMINATOR};
use agentdao_common::muldiv::mul_div_floor;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, I256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageBool, StorageMap, StorageU256, StorageU64, StorageVec,
};

use math::{epoch_budget, impact_reward, quality, rank_share, validator_share};
pub use params::{Params, MAX_TOP_N};
pub use sol::*;

/// Semantic version of this contract.
pub const VERSION: &str = "0.1.0";
/// Dataset status "accepted" in the ledger's `datasetInfo`.
const DATASET_ACCEPTED: u64 = 1;
/// The swept flag in an epoch's `times` word (lowest bit of the last limb).
const SWEPT: U256 = U256::from_limbs([0, 0, 0, 1]);
/// Marks a champion's key in `rewarded` (datasets use their plain id).
const CHAMPION_KEY: U256 = U256::from_limbs([0, 0, 0, 1 << 63]);

agentdao_common::static_errors! {
    /// Every error the rewards program raises.
    pub enum Error {
        /// Caller is not governance.
        Unauthorized { caller, required },
        /// Zero address given where one is required.
        ZeroAddress {},
        /// `acceptGovernance` by someone other than the nominee.
        NotPendingGovernance { caller, pending },
        /// A function that moves funds was re-entered.
        ReentrantCall {},
        /// Checked arithmetic failed.
        ArithmeticOverflow {},
        /// See [`ZeroAmount`].
        ZeroAmount {},
        /// See [`TokenCallFailed`].
        TokenCallFailed { token },
        /// See [`VaultCallFailed`].
        VaultCallFailed { vault },
        /// See [`LedgerCallFailed`].
        LedgerCallFailed { ledger },
        /// See [`ParameterOutOfRange`].
        ParameterOutOfRange { which },
        /// See [`EpochNotOver`].
        EpochNotOver { end, now },
        /// See [`EpochNotClosed`].
        EpochNotClosed { epoch, closed },
        /// See [`EpochUnfunded`].
        EpochUnfunded { epoch },
        /// See [`AlreadyClaimed`].
        AlreadyClaimed { epoch, validator },
        /// See [`ClaimWindowOver`].
        ClaimWindowOver { epoch },
        /// See [`ClaimWindowOpen`].
        ClaimWindowOpen { epoch, until },
        /// See [`NothingToClaim`].
        NothingToClaim {},
        /// See [`DatasetNotAccepted`].
        DatasetNotAccepted { datasetId },
        /// See [`AlreadyRewarded`].
        AlreadyRewarded { id },
        /// See [`AlreadyNominated`].
        AlreadyNominated { modelId },
        /// See [`RatingTooLow`].
        RatingTooLow { rating, lowest },
        /// See [`TooFewSessions`].
        TooFewSessions { have, want },
        /// See [`AgreementNotLow`].
        AgreementNotLow { agreement, threshold },
        /// See [`InvalidTimepoint`].
        InvalidTimepoint { timepoint },
        /// See [`NotJailedHere`].
        NotJailedHere { validator },
        /// See [`CooldownActive`].
        CooldownActive { validator, until },
        /// The extension program was called at its own address, not through the core.
        NotDelegated {},
    }
}

/// A closed epoch.
#[storage]
pub struct Epoch {
    /// Limbs: start, end (excluded), sessions finalized since the previous close,
    /// swept flag | participation target << 8.
    times: StorageU256,
    /// Validator side of the budget (zero when no stake or no session).
    validator_pot: StorageU256,
    /// Paid from the pot so far.
    claimed: StorageU256,
    /// Total voting power at the epoch's start.
    total_stake: StorageU256,
}

/// The rewards program's storage (the only field of the program's entrypoint struct).
#[storage]
pub struct Rewards {
    /// Governance role (the SubDAO).
    governance: Governance,
    /// Lock for functions that move tokens.
    guard: ReentrancyGuard,
    /// The reward token (the agent token).
    token: StorageAddress,
    /// The staking vault (voting power, validator pools, jail).
    vault: StorageAddress,
    /// The Elo ledger (validator records, champion, ratings, datasets).
    ledger: StorageAddress,
    /// Packed [`Params`].
    params: StorageU256,
    /// Emission per epoch before halving (zero: each epoch spends the whole reserve).
    emission: StorageU256,
    /// Epochs between halvings (zero: never).
    halving_epochs: StorageU64,
    /// One-time reward per Elo point of gain.
    bonus_per_elo: StorageU256,
    /// Largest one-time reward.
    bonus_cap: StorageU256,
    /// Limbs: start of the open epoch, ledger session count at the last close, champion at the
    /// last close, 0.
    cursor: StorageU256,
    /// Funds not yet allocated to an epoch or a credit.
    reserve: StorageU256,
    /// Everything ever received.
    funded: StorageU256,
    /// Everything ever paid out (to the vault or to credit owners).
    paid: StorageU256,
    /// Credits not yet claimed.
    credited: StorageU256,
    /// Validator pots of unswept epochs not yet paid.
    outstanding: StorageU256,
    /// Credits per account.
    owed: StorageMap<Address, StorageU256>,
    /// Closed epochs; the index is the epoch number.
    epochs: StorageVec<Epoch>,
    /// `epoch << 160 | validator` => claimed.
    claimed: StorageMap<U256, StorageBool>,
    /// Dataset ids and champion keys ([`CHAMPION_KEY`] | model id) that had their one-time
    /// reward.
    rewarded: StorageMap<U256, StorageBool>,
    /// Nominated model ids (at most [`MAX_TOP_N`]).
    nominated: StorageVec<StorageU64>,
    /// Limbs per validator: jailed at (zero when not jailed by this program), released at.
    jails: StorageMap<Address, StorageU256>,
    /// The extension program the core forwards unknown selectors to (never zero once
    /// constructed; zero in the extension's own storage, which marks a direct call).
    extension: StorageAddress,
}

// SAFETY: `Rewards` is the only field of the program's entrypoint struct (at slot zero), so it
// spans the program's entire storage exactly like the entrypoint struct does: holding
// `&mut Rewards` excludes every other storage reference, which is what the SDK requires of the
// borrow it takes for a state-changing external call.
unsafe impl TopLevelStorage for Rewards {}

/// What a validator's claim for an epoch pays: amount, stake and quality.
pub type ValidatorReward = (U256, U256, U256);
/// A closed epoch: start, end, sessions, validator pot, paid from it, total stake, swept.
pub type EpochInfo = (U256, U256, U256, U256, U256, U256, bool);

impl Rewards {
    /// Initialises the program, for the constructor: default [`Params`], no emission
    /// programme, no one-time rewards, the first epoch starting now.
    ///
    /// # Arguments
    /// * `governance` - the SubDAO (or a deployer that hands over).
    /// * `token` - the reward token; `vault` - the staking vault; `ledger` - the Elo ledger.
    /// * `extension` - the extension program (`rewards-ext`) the core delegates to.
    ///
    /// # Errors
    /// [`ZeroAddress`].
    ///
    /// # Events
    /// `GovernanceTransferred`, [`ParamsUpdated`].
    pub fn init(
        &mut self,
        governance: Address,
        token: Address,
        vault: Address,
        ledger: Address,
        extension: Address,
    ) -> Result<(), Error> {
        if token.is_zero() || vault.is_zero() || ledger.is_zero() || extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.extension.set(extension);
        self.governance.init::<Error>(governance)?;
        self.token.set(token);
        self.vault.set(vault);
        self.ledger.set(ledger);
        self.cursor.set(U256::from(self.now()));
        self.write_params(Params::default())
    }

    // ----- funding -----

    /// Pulls `amount` reward tokens from the caller (approve first) into the reserve, credited
    /// by the balance delta received.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`Funded`].
    pub fn fund(&mut self, amount: U256) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        self.guard.enter::<Error>()?;
        let sender = self.vm().msg_sender();
        let received = self.pull(sender, amount);
        self.guard.exit();
        let received = received?;
        self.reserve
            .set(add::<Error>(self.reserve.get(), received)?);
        self.funded.set(add::<Error>(self.funded.get(), received)?);
        Funded {
            from: sender,
            amount: received,
        }
        .emit(self.vm());
        Ok(received)
    }

    // ----- epochs -----

    /// Closes the open epoch once it is over (anyone): takes its budget from the reserve,
    /// keeps the validator side claimable, credits the model side, and rewards a new champion
    /// once. A late close extends the epoch over every whole epoch length elapsed since its
    /// start (one budget for the whole stretch); the next epoch starts where this one ended.
    /// Returns the epoch number.
    ///
    /// # Errors
    /// [`EpochNotOver`], [`VaultCallFailed`], [`LedgerCallFailed`], [`ArithmeticOverflow`].
    ///
    /// # Events
    /// [`EpochClosed`], [`ModelRewarded`] per credited model, [`ChampionRewarded`].
    pub fn close_epoch(&mut self) -> Result<U256, Error> {
        let p = self.params_value();
        let [start, last_sessions, last_champion, _] = *self.cursor.get().as_limbs();
        let now = self.now();
        if now < start + p.epoch_length {
            return Err(EpochNotOver {
                end: U256::from(start + p.epoch_length),
                now: U256::from(now),
            }
            .into());
        }
        // A late close covers every whole epoch length elapsed: idle time does not pile up
        // empty epochs that would each need a close.
        let end = start + (now - start) / p.epoch_length * p.epoch_length;
        let index = self.epochs.len() as u64;
        let session_count = self.session_count()?;
        let sessions = session_count.saturating_sub(last_sessions);
        let total_stake = self.past_total_stake(start - 1)?;
        let champion = self.champion()?;
        let mut reserve = self.reserve.get();
        let budget = if sessions == 0 {
            U256::ZERO
        } else {
            epoch_budget(
                reserve,
                self.emission.get(),
                self.halving_epochs.get().to(),
                index,
            )
        };
        let validator_side = bps(budget, p.validator_bps)?;
        let validator_pot = if total_stake.is_zero() {
            U256::ZERO
        } else {
            validator_side
        };
        let model_paid = self.pay_models(index, budget - validator_side, champion, &p)?;
        reserve = sub::<Error>(reserve, add::<Error>(validator_pot, model_paid)?)?;
        if champion != 0 && champion != last_champion && last_champion != 0 {
            reserve = self.reward_champion(champion, last_champion, reserve)?;
        }
        self.reserve.set(reserve);
        self.outstanding
            .set(add::<Error>(self.outstanding.get(), validator_pot)?);
        let mut epoch = self.epochs.grow();
        epoch.times.set(U256::from_limbs([
            start,
            end,
            sessions,
            p.participation_target << 8,
        ]));
        epoch.validator_pot.set(validator_pot);
        epoch.total_stake.set(total_stake);
        drop(epoch);
        let next_champion = if champion == 0 {
            last_champion
        } else {
            champion
        };
        self.cursor
            .set(U256::from_limbs([end, session_count, next_champion, 0]));
        EpochClosed {
            epoch: U256::from(index),
            start: U256::from(start),
            end: U256::from(end),
            budget,
            validatorPot: validator_pot,
            modelPaid: model_paid,
            sessions: U256::from(sessions),
            totalStake: total_stake,
        }
        .emit(self.vm());
        Ok(U256::from(index))
    }

    /// Credits the model side of epoch `index`: the champion's share, then the nominated
    /// models by rank. Returns the amount credited (what rounding leaves stays in the reserve).
    fn pay_models(
        &mut self,
        index: u64,
        model_side: U256,
        champion: u64,
        p: &Params,
    ) -> Result<U256, Error> {
        if model_side.is_zero() {
            return Ok(U256::ZERO);
        }
        let mut paid = U256::ZERO;
        let mut rank_pot = model_side;
        if champion != 0 {
            let share = bps(model_side, p.champion_bps)?;
            rank_pot -= share;
            paid += self.credit_model(index, champion, 0, share)?;
        }
        let ranked = self.ranked()?;
        let count = ranked.len().min(p.top_n as usize) as u64;
        for (rank, (model, _)) in ranked.into_iter().take(count as usize).enumerate() {
            let share = rank_share(rank_pot, rank as u64 + 1, count)?;
            paid = add::<Error>(
                paid,
                self.credit_model(index, model, rank as u64 + 1, share)?,
            )?;
        }
        Ok(paid)
    }

    /// Credits `amount` to the owner of `model` for `rank` of epoch `index`.
    fn credit_model(
        &mut self,
        index: u64,
        model: u64,
        rank: u64,
        amount: U256,
    ) -> Result<U256, Error> {
        if amount.is_zero() {
            return Ok(amount);
        }
        let owner = self.model_owner(model)?;
        self.credit(owner, amount)?;
        ModelRewarded {
            epoch: U256::from(index),
            modelId: U256::from(model),
            owner,
            rank: U256::from(rank),
            amount,
        }
        .emit(self.vm());
        Ok(amount)
    }

    /// The one-time reward of a new champion for its gain over `previous`, from `reserve`;
    /// returns the reserve left.
    fn reward_champion(
        &mut self,
        champion: u64,
        previous: u64,
        reserve: U256,
    ) -> Result<U256, Error> {
        let key = CHAMPION_KEY | U256::from(champion);
        if self.rewarded.get(key) {
            return Ok(reserve);
        }
        self.rewarded.setter(key).set(true);
        let gain = self.rating(champion)? - self.rating(previous)?;
        let amount = impact_reward(
            gain,
            self.bonus_per_elo.get(),
            self.bonus_cap.get(),
            reserve,
        )?;
        let owner = self.model_owner(champion)?;
        self.credit(owner, amount)?;
        ChampionRewarded {
            modelId: U256::from(champion),
            owner,
            gain,
            amount,
        }
        .emit(self.vm());
        Ok(reserve - amount)
    }

    /// Pays `validator`'s share of epoch `epoch`'s validator pot into its pool in the vault
    /// (anyone may call; the tokens go to the vault, never to the caller). Returns the amount.
    ///
    /// # Errors
    /// [`EpochNotClosed`] (a future or open epoch), [`ClaimWindowOver`], [`EpochUnfunded`],
    /// [`AlreadyClaimed`], [`NothingToClaim`] (no stake or no quality), [`VaultCallFailed`],
    /// [`LedgerCallFailed`], [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`ValidatorRewarded`].
    pub fn claim_validator_reward(
        &mut self,
        epoch: U256,
        validator: Address,
    ) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.claim_validator_guarded(epoch, validator);
        self.guard.exit();
        result
    }

    fn claim_validator_guarded(&mut self, epoch: U256, validator: Address) -> Result<U256, Error> {
        let (amount, stake, quality) = self.validator_reward(epoch, validator)?;
        if amount.is_zero() {
            return Err(NothingToClaim {}.into());
        }
        let index: usize = epoch.to();
        self.claimed.setter(claim_key(epoch, validator)).set(true);
        let mut e = self.epochs.setter(index).unwrap();
        let claimed = add::<Error>(e.claimed.get(), amount)?;
        e.claimed.set(claimed);
        drop(e);
        self.outstanding
            .set(sub::<Error>(self.outstanding.get(), amount)?);
        self.paid.set(add::<Error>(self.paid.get(), amount)?);
        self.reward_in_vault(validator, amount)?;
        ValidatorRewarded {
            epoch,
            validator,
            amount,
            stake,
            quality,
        }
        .emit(self.vm());
        Ok(amount)
    }

    /// Returns what is left of epoch `epoch`'s validator pot to the reserve once its claim
    /// window (`claimEpochs` later epochs closed) is over (anyone). Returns the amount.
    ///
    /// # Errors
    /// [`EpochNotClosed`], [`ClaimWindowOver`] (already swept), [`ClaimWindowOpen`].
    ///
    /// # Events
    /// [`EpochSwept`].
    pub fn sweep(&mut self, epoch: U256) -> Result<U256, Error> {
        let index = self.closed_index(epoch)?;
        let until = index as u64 + 1 + self.params_value().claim_epochs;
        let closed = self.epochs.len() as u64;
        if closed < until {
            return Err(ClaimWindowOpen {
                epoch,
                until: U256::from(until),
            }
            .into());
        }
        let mut e = self.epochs.setter(index).unwrap();
        let times = e.times.get();
        let leftover = e.validator_pot.get() - e.claimed.get();
        e.times.set(times | SWEPT);
        drop(e);
        self.outstanding
            .set(sub::<Error>(self.outstanding.get(), leftover)?);
        self.reserve
            .set(add::<Error>(self.reserve.get(), leftover)?);
        EpochSwept {
            epoch,
            amount: leftover,
        }
        .emit(self.vm());
        Ok(leftover)
    }

    /// The index of closed, unswept epoch `epoch`.
    fn closed_index(&self, epoch: U256) -> Result<usize, Error> {
        let closed = self.epochs.len();
        if epoch >= U256::from(closed) {
            return Err(EpochNotClosed {
                epoch,
                closed: U256::from(closed),
            }
            .into());
        }
        let index: usize = epoch.to();
        if self.epochs.getter(index).unwrap().times.get().as_limbs()[3] & 1 == 1 {
            return Err(ClaimWindowOver { epoch }.into());
        }
        Ok(index)
    }

    // ----- models and datasets -----

    /// Nominates `model_id` for the ranked model rewards (anyone): it joins while fewer than
    /// [`MAX_TOP_N`] models are nominated, or replaces the lowest-rated one if rated higher.
    ///
    /// # Errors
    /// [`AlreadyNominated`], [`RatingTooLow`], [`LedgerCallFailed`] (an unknown model).
    ///
    /// # Events
    /// [`ModelNominated`].
    pub fn nominate(&mut self, model_id: U256) -> Result<(), Error> {
        let model: u64 = model_id.saturating_to();
        let rating = self.rating(model)?;
        let ranked = self.ranked()?;
        if ranked.iter().any(|(id, _)| *id == model) {
            return Err(AlreadyNominated { modelId: model_id }.into());
        }
        let mut replaced = 0;
        if ranked.len() < MAX_TOP_N as usize {
            self.nominated.push(alloy_primitives::U64::from(model));
        } else {
            let (lowest, lowest_rating) = ranked[ranked.len() - 1];
            if rating <= lowest_rating {
                return Err(RatingTooLow {
                    rating,
                    lowest: lowest_rating,
                }
                .into());
            }
            for i in 0..self.nominated.len() {
                let mut slot = self.nominated.setter(i).unwrap();
                if slot.get().to::<u64>() == lowest {
                    slot.set(alloy_primitives::U64::from(model));
                }
            }
            replaced = lowest;
        }
        ModelNominated {
            modelId: U256::from(model),
            rating,
            replaced: U256::from(replaced),
        }
        .emit(self.vm());
        Ok(())
    }

    /// The nominated models with their ratings now, best first (ties: lower id first).
    fn ranked(&self) -> Result<Vec<(u64, I256)>, Error> {
        let mut ranked = Vec::with_capacity(self.nominated.len());
        for i in 0..self.nominated.len() {
            let id: u64 = self.nominated.get(i).unwrap().to();
            ranked.push((id, self.rating(id)?));
        }
        // Insertion sort, best first (ties: lower id first): at most MAX_TOP_N entries.
        for i in 1..ranked.len() {
            let mut j = i;
            while j > 0 && outranks(ranked[j], ranked[j - 1]) {
                ranked.swap(j, j - 1);
                j -= 1;
            }
        }
        Ok(ranked)
    }

    /// Credits the contributor of accepted dataset `dataset_id` once, for its impact (anyone).
    ///
    /// # Errors
    /// [`AlreadyRewarded`], [`DatasetNotAccepted`], [`NothingToClaim`] (no positive impact, no
    /// one-time rewards configured, or an empty reserve: the dataset stays rewardable),
    /// [`LedgerCallFailed`] (an unknown dataset).
    ///
    /// # Events
    /// [`DatasetRewarded`].
    pub fn reward_dataset(&mut self, dataset_id: U256) -> Result<U256, Error> {
        if self.rewarded.get(dataset_id) {
            return Err(AlreadyRewarded { id: dataset_id }.into());
        }
        let (contributor, status, impact) = self.dataset(dataset_id)?;
        if status != U256::from(DATASET_ACCEPTED) {
            return Err(DatasetNotAccepted {
                datasetId: dataset_id,
            }
            .into());
        }
        let reserve = self.reserve.get();
        let amount = impact_reward(
            impact,
            self.bonus_per_elo.get(),
            self.bonus_cap.get(),
            reserve,
        )?;
        if amount.is_zero() {
            return Err(NothingToClaim {}.into());
        }
        self.rewarded.setter(dataset_id).set(true);
        self.reserve.set(reserve - amount);
        self.credit(contributor, amount)?;
        DatasetRewarded {
            datasetId: dataset_id,
            contributor,
            impact,
            amount,
        }
        .emit(self.vm());
        Ok(amount)
    }

    /// Pays the caller its credits (model side and one-time rewards).
    ///
    /// # Errors
    /// [`NothingToClaim`], [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`RewardClaimed`].
    pub fn claim(&mut self) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.claim_guarded();
        self.guard.exit();
        result
    }

    fn claim_guarded(&mut self) -> Result<U256, Error> {
        let account = self.vm().msg_sender();
        let amount = self.owed.get(account);
        if amount.is_zero() {
            return Err(NothingToClaim {}.into());
        }
        self.owed.setter(account).set(U256::ZERO);
        self.credited
            .set(sub::<Error>(self.credited.get(), amount)?);
        self.paid.set(add::<Error>(self.paid.get(), amount)?);
        self.pay(account, amount)?;
        RewardClaimed { account, amount }.emit(self.vm());
        Ok(amount)
    }

    fn credit(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        let mut owed = self.owed.setter(account);
        let total = add::<Error>(owed.get(), amount)?;
        owed.set(total);
        drop(owed);
        self.credited
            .set(add::<Error>(self.credited.get(), amount)?);
        Ok(())
    }

    // ----- penalty -----

    /// Jails `validator` in the vault (anyone) when its agreement average was below the
    /// threshold at the end of second `since` and is below it now, with at least
    /// `lowAgreementSessions` sessions sampled in between. `since` must be in the past and not
    /// before the validator's last release from a jail of this program.
    ///
    /// # Errors
    /// [`InvalidTimepoint`], [`TooFewSessions`], [`AgreementNotLow`] (also when the threshold
    /// is zero: jailing disabled), [`LedgerCallFailed`], [`VaultCallFailed`] (e.g. already
    /// jailed).
    ///
    /// # Events
    /// [`LowAgreementJailed`] (and the vault's `ValidatorJailed`).
    pub fn jail_low_agreement(&mut self, validator: Address, since: U256) -> Result<(), Error> {
        let now = self.now();
        let [_, released_at, ..] = *self.jails.get(validator).as_limbs();
        let time: u64 = since.saturating_to();
        if time == 0 || time >= now || time < released_at {
            return Err(InvalidTimepoint { timepoint: since }.into());
        }
        let p = self.params_value();
        let before = self.record(validator, time)?;
        let latest = self.record(validator, 0)?;
        let sessions = latest.samples.saturating_sub(before.samples);
        if sessions < p.low_sessions {
            return Err(TooFewSessions {
                have: U256::from(sessions),
                want: U256::from(p.low_sessions),
            }
            .into());
        }
        for agreement in [before.agreement, latest.agreement] {
            if agreement >= p.agreement_threshold {
                return Err(AgreementNotLow {
                    agreement: U256::from(agreement),
                    threshold: U256::from(p.agreement_threshold),
                }
                .into());
            }
        }
        self.jails
            .setter(validator)
            .set(U256::from_limbs([now, released_at, 0, 0]));
        self.set_jailed_in_vault(validator, true)?;
        LowAgreementJailed {
            validator,
            agreement: U256::from(latest.agreement),
            sessions: U256::from(sessions),
            releasableAt: U256::from(now + p.jail_cooldown),
        }
        .emit(self.vm());
        Ok(())
    }

    /// Releases `validator`, jailed by [`jail_low_agreement`](Self::jail_low_agreement), once
    /// its cool-down is over (anyone).
    ///
    /// # Errors
    /// [`NotJailedHere`], [`CooldownActive`], [`VaultCallFailed`].
    ///
    /// # Events
    /// [`ReleasedFromJail`] (and the vault's `ValidatorUnjailed`).
    pub fn release_from_jail(&mut self, validator: Address) -> Result<(), Error> {
        let jailed_at = self.jails.get(validator).as_limbs()[0];
        if jailed_at == 0 {
            return Err(NotJailedHere { validator }.into());
        }
        let until = jailed_at + self.params_value().jail_cooldown;
        let now = self.now();
        if now < until {
            return Err(CooldownActive {
                validator,
                until: U256::from(until),
            }
            .into());
        }
        self.jails
            .setter(validator)
            .set(U256::from_limbs([0, now, 0, 0]));
        self.set_jailed_in_vault(validator, false)?;
        ReleasedFromJail { validator }.emit(self.vm());
        Ok(())
    }

    // ----- governance -----

    /// Sets every parameter (see [`Params`]; pass the current values to keep them). A new epoch
    /// length applies to the open epoch (its end is its start plus the length in force when it
    /// is closed).
    ///
    /// # Errors
    /// [`Unauthorized`], [`ParameterOutOfRange`] with the index of the first bad value.
    ///
    /// # Events
    /// [`ParamsUpdated`].
    #[allow(clippy::too_many_arguments)]
    pub fn set_params(
        &mut self,
        epoch_length: u64,
        validator_bps: u64,
        champion_bps: u64,
        top_n: u64,
        participation_target: u64,
        claim_epochs: u64,
        agreement_threshold: u64,
        low_agreement_sessions: u64,
        jail_cooldown: u64,
    ) -> Result<(), Error> {
        self.only_governance()?;
        self.write_params(Params {
            epoch_length,
            validator_bps,
            champion_bps,
            top_n,
            participation_target,
            claim_epochs,
            agreement_threshold,
            low_sessions: low_agreement_sessions,
            jail_cooldown,
        })
    }

    fn write_params(&mut self, p: Params) -> Result<(), Error> {
        if let Some(which) = p.first_out_of_range() {
            return Err(ParameterOutOfRange { which }.into());
        }
        self.params.set(p.pack());
        ParamsUpdated {
            epochLength: U256::from(p.epoch_length),
            validatorBps: U256::from(p.validator_bps),
            championBps: U256::from(p.champion_bps),
            topN: U256::from(p.top_n),
            participationTarget: U256::from(p.participation_target),
            claimEpochs: U256::from(p.claim_epochs),
            agreementThreshold: U256::from(p.agreement_threshold),
            lowAgreementSessions: U256::from(p.low_sessions),
            jailCooldown: U256::from(p.jail_cooldown),
        }
        .emit(self.vm());
        Ok(())
    }

    /// Sets the emission programme and the one-time rewards.
    ///
    /// # Arguments
    /// * `per_epoch` - budget of an epoch before halving; zero: each epoch spends the whole
    ///   reserve.
    /// * `halving_epochs` - epochs between halvings, zero for none.
    /// * `bonus_per_elo` - one-time reward per Elo point of gain; `bonus_cap` - its maximum.
    ///
    /// # Errors
    /// [`Unauthorized`].
    ///
    /// # Events
    /// [`EmissionUpdated`].
    pub fn set_emission(
        &mut self,
        per_epoch: U256,
        halving_epochs: u64,
        bonus_per_elo: U256,
        bonus_cap: U256,
    ) -> Result<(), Error> {
        self.only_governance()?;
        self.emission.set(per_epoch);
        self.halving_epochs
            .set(alloy_primitives::U64::from(halving_epochs));
        self.bonus_per_elo.set(bonus_per_elo);
        self.bonus_cap.set(bonus_cap);
        EmissionUpdated {
            perEpoch: per_epoch,
            halvingEpochs: U256::from(halving_epochs),
            bonusPerElo: bonus_per_elo,
            bonusCap: bonus_cap,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Nominates a new governance (step one of two).
    ///
    /// # Errors
    /// [`Unauthorized`].
    ///
    /// # Events
    /// `GovernanceTransferStarted`.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer::<Error>(caller, successor)
    }

    /// Accepts a nomination (step two of two).
    ///
    /// # Errors
    /// [`NotPendingGovernance`].
    ///
    /// # Events
    /// `GovernanceTransferred`.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.accept::<Error>(caller)
    }

    // ----- views -----

    /// What `validator`'s claim for epoch `epoch` would pay now: amount, stake (the lesser of
    /// its power at the epoch's start and end) and quality (1e18 = full).
    ///
    /// # Errors
    /// [`EpochNotClosed`], [`ClaimWindowOver`], [`EpochUnfunded`], [`AlreadyClaimed`],
    /// [`VaultCallFailed`], [`LedgerCallFailed`].
    pub fn validator_reward(
        &self,
        epoch: U256,
        validator: Address,
    ) -> Result<ValidatorReward, Error> {
        let index = self.closed_index(epoch)?;
        let e = self.epochs.getter(index).unwrap();
        let [start, end, _, flags] = *e.times.get().as_limbs();
        let pot = e.validator_pot.get();
        let total = e.total_stake.get();
        let left = pot - e.claimed.get();
        drop(e);
        if pot.is_zero() {
            return Err(EpochUnfunded { epoch }.into());
        }
        if self.claimed.get(claim_key(epoch, validator)) {
            return Err(AlreadyClaimed { epoch, validator }.into());
        }
        let stake = self
            .past_votes(validator, start - 1)?
            .min(self.past_votes(validator, end - 1)?);
        let q = quality(
            &self.record(validator, start - 1)?,
            &self.record(validator, end - 1)?,
            flags >> 8,
        );
        let amount = validator_share(pot, stake, total, q)?.min(left);
        Ok((amount, stake, U256::from(q)))
    }

    /// Every parameter, in `setParams` order.
    pub fn params(&self) -> [u64; 9] {
        let p = self.params_value();
        [
            p.epoch_length,
            p.validator_bps,
            p.champion_bps,
            p.top_n,
            p.participation_target,
            p.claim_epochs,
            p.agreement_threshold,
            p.low_sessions,
            p.jail_cooldown,
        ]
    }

    /// The emission programme and one-time rewards, in `setEmission` order.
    pub fn emission(&self) -> (U256, u64, U256, U256) {
        (
            self.emission.get(),
            self.halving_epochs.get().to(),
            self.bonus_per_elo.get(),
            self.bonus_cap.get(),
        )
    }

    /// The open epoch: its number, start and the earliest time it can be closed.
    pub fn current_epoch(&self) -> (U256, U256, U256) {
        let start = self.cursor.get().as_limbs()[0];
        (
            U256::from(self.epochs.len()),
            U256::from(start),
            U256::from(start + self.params_value().epoch_length),
        )
    }

    /// A closed epoch: start, end, sessions, validator pot, paid from it, total stake, swept.
    ///
    /// # Errors
    /// [`EpochNotClosed`].
    pub fn epoch_info(&self, epoch: U256) -> Result<EpochInfo, Error> {
        let closed = self.epochs.len();
        if epoch >= U256::from(closed) {
            return Err(EpochNotClosed {
                epoch,
                closed: U256::from(closed),
            }
            .into());
        }
        let e = self.epochs.getter(epoch.to::<usize>()).unwrap();
        let [start, end, sessions, flags] = *e.times.get().as_limbs();
        Ok((
            U256::from(start),
            U256::from(end),
            U256::from(sessions),
            e.validator_pot.get(),
            e.claimed.get(),
            e.total_stake.get(),
            flags & 1 == 1,
        ))
    }

    /// Funded, paid, claimable (unpaid credits plus unclaimed validator pots) and reserve:
    /// `funded == paid + claimable + reserve`.
    pub fn totals(&self) -> (U256, U256, U256, U256) {
        (
            self.funded.get(),
            self.paid.get(),
            self.credited.get() + self.outstanding.get(),
            self.reserve.get(),
        )
    }

    /// Credits `account` can claim.
    pub fn owed(&self, account: Address) -> U256 {
        self.owed.get(account)
    }

    /// The nominated model ids, in storage order.
    pub fn nominated(&self) -> Vec<U256> {
        (0..self.nominated.len())
            .map(|i| U256::from(self.nominated.get(i).unwrap()))
            .collect()
    }

    /// When `validator` was jailed by this program (zero if it is not) and last released.
    pub fn jail_of(&self, validator: Address) -> (U256, U256) {
        let [jailed_at, released_at, ..] = *self.jails.get(validator).as_limbs();
        (U256::from(jailed_at), U256::from(released_at))
    }

    /// Reward token, staking vault and Elo ledger.
    pub fn contracts(&self) -> (Address, Address, Address) {
        (self.token.get(), self.vault.get(), self.ledger.get())
    }

    /// Current governance.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// Nominated governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Semantic version.
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
    pub fn require_delegated(&self) -> Result<(), Error> {
        extension::require_delegated(self.extension.get())
    }

    // ----- helpers -----

    fn params_value(&self) -> Params {
        Params::unpack(self.params.get())
    }

    fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    fn only_governance(&self) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())
    }
}

/// Whether model `a` ranks above model `b` (higher rating, then lower id).
fn outranks(a: (u64, I256), b: (u64, I256)) -> bool {
    a.1 > b.1 || (a.1 == b.1 && a.0 < b.0)
}

/// `floor(amount × bps / 10,000)`.
fn bps(amount: U256, bps: u64) -> Result<U256, Error> {
    mul_div_floor::<Error>(amount, U256::from(bps), U256::from(BPS_DENOMINATOR))
}

/// The `claimed` key of `validator` in epoch `epoch`.
fn claim_key(epoch: U256, validator: Address) -> U256 {
    epoch << 160 | U256::from_be_slice(validator.as_slice())
}
