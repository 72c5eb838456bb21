//! Private accounting of the vault: settlement of rewards, pool mint/burn, the unbonding queue,
//! voting-power checkpoints and token transfers. Public entry points in `lib.rs` validate input
//! first, then call these.
use agentdao_common::errors::{BpsOutOfRange, ZeroAddress};
use agentdao_common::math::{self, BPS_DENOMINATOR};
use agentdao_common::muldiv::mul_div_floor as mul_div;
use agentdao_common::token;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{aliases::U48, Address, FixedBytes, U256, U64};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageGuard, StorageGuardMut, StorageVec};

use crate::packed::{entry_stamp, entry_unstamp, Params, ValidatorMeta, ACTIVE, JAILED};
use crate::pool;
use crate::sol::*;
use crate::{
    delegation_accrual, Error, UnbondingEntry, Vault, MAX_DELEGATIONS_PER_ACCOUNT,
    MAX_RELEASES_PER_CALL, MAX_SLASH_LIMIT_BPS, MAX_UNBONDING_PERIOD, MIN_UNBONDING_PERIOD, POOLED,
    RELEASED, REWARD_PRECISION, WITHDRAWN,
};

/// Checked `a + b` (one shared copy instead of an inlined one per call site).
#[inline(never)]
pub(crate) fn add(a: U256, b: U256) -> Result<U256, Error> {
    math::add(a, b)
}

/// Checked `a - b`.
#[inline(never)]
pub(crate) fn sub(a: U256, b: U256) -> Result<U256, Error> {
    math::sub(a, b)
}

impl Vault {
    /// The ERC-6372 clock.
    pub(crate) fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    /// `validator`'s packed small fields.
    #[inline(never)]
    pub(crate) fn meta_of(&self, validator: Address) -> ValidatorMeta {
        self.validators.getter(validator).meta()
    }

    /// `(shares, reward snapshot)` of `account`'s delegation to `validator`.
    #[inline(never)]
    pub(crate) fn delegation(&self, account: Address, validator: Address) -> (U256, U256) {
        let map = self.delegations.getter(account);
        let d = map.getter(validator);
        (d.shares.get(), d.reward_snapshot.get())
    }

    /// Stores `account`'s delegation to `validator`.
    #[inline(never)]
    pub(crate) fn set_delegation(
        &mut self,
        account: Address,
        validator: Address,
        shares: U256,
        snapshot: U256,
    ) {
        let mut map = self.delegations.setter(account);
        let mut d = map.setter(validator);
        d.shares.set(shares);
        d.reward_snapshot.set(snapshot);
    }

    /// Unbonding entry `index` (which must exist).
    #[inline(never)]
    pub(crate) fn entry(&self, index: usize) -> StorageGuard<'_, UnbondingEntry> {
        self.entries.getter(index).expect("existing entry")
    }

    /// Unbonding entry `index` (which must exist), writable.
    #[inline(never)]
    pub(crate) fn entry_mut(&mut self, index: usize) -> StorageGuardMut<'_, UnbondingEntry> {
        self.entries.setter(index).expect("existing entry")
    }

    /// The governance-set parameters.
    #[inline(never)]
    pub(crate) fn params(&self) -> Params {
        Params::unpack(self.params.get())
    }

    #[inline(never)]
    pub(crate) fn require_registered(&self, validator: Address) -> Result<(), Error> {
        if !self.meta_of(validator).registered() {
            return Err(UnknownValidator { validator }.into());
        }
        Ok(())
    }

    #[inline(never)]
    pub(crate) fn require_active(&self, validator: Address) -> Result<(), Error> {
        self.require_registered(validator)?;
        if self.meta_of(validator).jailed() {
            return Err(JailedValidator { validator }.into());
        }
        Ok(())
    }

    /// Fails unless `bps` is at most the commission cap; returns it narrowed.
    pub(crate) fn check_commission(&self, bps: U256) -> Result<u16, Error> {
        let max = U256::from(self.params().max_commission_bps);
        if bps > max {
            return Err(CommissionTooHigh {
                requestedBps: bps,
                maxBps: max,
            }
            .into());
        }
        Ok(bps.to())
    }

    /// LP value of `shares` of `validator`'s bonded pool.
    pub(crate) fn value_of_shares(&self, validator: Address, shares: U256) -> Result<U256, Error> {
        let v = self.validators.getter(validator);
        pool::tokens_of::<Error>(shares, v.total_shares.get(), v.bonded_tokens.get())
    }

    /// Fails if bonding with `validator` would exceed the per-account delegation limit.
    pub(crate) fn check_delegation_slot(
        &self,
        account: Address,
        validator: Address,
    ) -> Result<(), Error> {
        let bonded = !self.delegation(account, validator).0.is_zero();
        let used = self.delegated_to.getter(account).len();
        if !bonded && used >= MAX_DELEGATIONS_PER_ACCOUNT {
            return Err(TooManyDelegations {}.into());
        }
        Ok(())
    }

    pub(crate) fn delegated_validators(&self, account: Address) -> Vec<Address> {
        addresses(&self.delegated_to.getter(account))
    }

    pub(crate) fn entry_index(&self, entry_id: U256) -> Result<usize, Error> {
        if entry_id >= U256::from(self.entries.len()) {
            return Err(UnknownEntry { entryId: entry_id }.into());
        }
        Ok(entry_id.to())
    }

    /// Checkpoint key for a past lookup.
    pub(crate) fn past_key(&self, timepoint: U256) -> Result<u64, Error> {
        let now = self.now();
        if timepoint >= U256::from(now) {
            return Err(ERC5805FutureLookup {
                timepoint,
                clock: U48::from(now),
            }
            .into());
        }
        Ok(timepoint.to())
    }

    // ----- rewards -----

    /// The reward-per-power accumulator as of now (the stored value plus what the reward stream
    /// paid per unit of power since the last update; nothing while no validator has power), and
    /// the time up to which that accounts for the stream.
    #[inline(never)]
    fn streamed(&self) -> Result<(U256, u64), Error> {
        let stored = self.reward_per_power.get();
        let [finish, since, ..] = *self.reward_times.get().as_limbs();
        let until = self.now().min(finish);
        let power = self.total_votes.latest();
        if until <= since || power.is_zero() {
            return Ok((stored, until));
        }
        let streamed = mul_div::<Error>(self.reward_rate.get(), U256::from(until - since), power)?;
        Ok((add(stored, streamed)?, until))
    }

    /// The reward-per-power accumulator as of now.
    pub(crate) fn reward_per_power_now(&self) -> Result<U256, Error> {
        Ok(self.streamed()?.0)
    }

    /// Stores the accumulator as of now; called before the total power or the rate changes.
    pub(crate) fn update_rewards(&mut self) -> Result<(), Error> {
        let (accumulated, until) = self.streamed()?;
        self.reward_per_power.set(accumulated);
        let finish = self.reward_times.get().as_limbs()[0];
        self.reward_times
            .set(U256::from_limbs([finish, until, 0, 0]));
        Ok(())
    }

    /// What settling `validator` now would yield: `(commission accrued, new reward-per-share)`.
    #[inline(never)]
    pub(crate) fn validator_accrual(&self, validator: Address) -> Result<(U256, U256), Error> {
        let v = self.validators.getter(validator);
        let meta = v.meta();
        let per_share = v.reward_per_share.get();
        if meta.status != ACTIVE {
            return Ok((U256::ZERO, per_share));
        }
        let delta = sub(self.reward_per_power_now()?, v.reward_snapshot.get())?;
        let earned = mul_div::<Error>(v.bonded_tokens.get(), delta, REWARD_PRECISION)?;
        if earned.is_zero() {
            return Ok((U256::ZERO, per_share));
        }
        split_reward(earned, meta.commission, per_share, v.total_shares.get())
    }

    /// Brings `validator`'s rewards up to date (commission to its owed balance, the rest into
    /// its reward-per-share), then applies a due commission announcement.
    #[inline(never)]
    pub(crate) fn settle_validator(&mut self, validator: Address) -> Result<(), Error> {
        let (commission, per_share) = self.validator_accrual(validator)?;
        let reward_per_power = self.reward_per_power_now()?;
        let now = self.now();
        let mut v = self.validators.setter(validator);
        v.reward_snapshot.set(reward_per_power);
        v.reward_per_share.set(per_share);
        let mut meta = v.meta();
        let change = if meta.pending_at != 0 && now >= meta.pending_at {
            let previous = meta.commission;
            meta.commission = meta.pending_commission;
            meta.pending_at = 0;
            v.set_meta(meta);
            Some((previous, meta.commission))
        } else {
            None
        };
        drop(v);
        if !commission.is_zero() {
            self.credit(validator, commission)?;
        }
        if let Some((previous, next)) = change {
            CommissionUpdated {
                validator,
                previousBps: U256::from(previous),
                newBps: U256::from(next),
            }
            .emit(self.vm());
        }
        Ok(())
    }

    /// Settles `validator`, then `account`'s delegation to it.
    #[inline(never)]
    pub(crate) fn settle(&mut self, account: Address, validator: Address) -> Result<(), Error> {
        self.settle_validator(validator)?;
        let per_share = self.validators.getter(validator).reward_per_share.get();
        let (shares, snapshot) = self.delegation(account, validator);
        let accrued = delegation_accrual(shares, snapshot, per_share)?;
        self.set_delegation(account, validator, shares, per_share);
        if !accrued.is_zero() {
            self.credit(account, accrued)?;
        }
        Ok(())
    }

    fn credit(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        let mut owed = self.rewards_owed.setter(account);
        let total = add(owed.get(), amount)?;
        owed.set(total);
        Ok(())
    }

    // ----- bonded pool -----

    /// Settles `account`'s delegation to `validator`, then mints it pool shares for `amount` LP
    /// (checked by the caller to be an active validator with a free delegation slot).
    ///
    /// # Events
    /// `Staked`, `DelegateVotesChanged`.
    #[inline(never)]
    pub(crate) fn mint_stake(
        &mut self,
        account: Address,
        validator: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        self.settle(account, validator)?;
        let v = self.validators.getter(validator);
        let (total_shares, bonded) = (v.total_shares.get(), v.bonded_tokens.get());
        drop(v);
        let shares = pool::shares_for_deposit::<Error>(amount, total_shares, bonded)?;
        if shares.is_zero() {
            return Err(AmountTooSmall { amount }.into());
        }
        let (held, snapshot) = self.delegation(account, validator);
        self.set_delegation(account, validator, add(held, shares)?, snapshot);
        if held.is_zero() {
            self.delegated_to.setter(account).push(validator);
        }
        let new_bonded = add(bonded, amount)?;
        let mut v = self.validators.setter(validator);
        v.total_shares.set(add(total_shares, shares)?);
        v.bonded_tokens.set(new_bonded);
        drop(v);
        self.record_power(validator, bonded, new_bonded)?;
        Staked {
            account,
            validator,
            amount,
            shares,
        }
        .emit(self.vm());
        Ok(shares)
    }

    /// Burns the shares backing `amount` LP of `account`'s delegation (settle and check first).
    /// Taking the whole value burns every share, so no worthless dust shares remain.
    #[inline(never)]
    pub(crate) fn burn_stake(
        &mut self,
        account: Address,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let v = self.validators.getter(validator);
        let (total_shares, bonded) = (v.total_shares.get(), v.bonded_tokens.get());
        let active = !v.meta().jailed();
        drop(v);
        let (held, snapshot) = self.delegation(account, validator);
        let value = pool::tokens_of::<Error>(held, total_shares, bonded)?;
        if amount > value {
            return Err(InsufficientStake {
                have: value,
                want: amount,
            }
            .into());
        }
        let burn = if amount == value {
            held
        } else {
            pool::shares_for_withdrawal::<Error>(amount, total_shares, bonded)?.min(held)
        };
        self.set_delegation(account, validator, held - burn, snapshot);
        if burn == held {
            self.forget_delegation(account, validator);
        }
        let new_bonded = sub(bonded, amount)?;
        let mut v = self.validators.setter(validator);
        v.total_shares.set(sub(total_shares, burn)?);
        v.bonded_tokens.set(new_bonded);
        drop(v);
        if active {
            self.record_power(validator, bonded, new_bonded)?;
        }
        Ok(())
    }

    fn forget_delegation(&mut self, account: Address, validator: Address) {
        let mut list = self.delegated_to.setter(account);
        let len = list.len();
        if let Some(index) = (0..len).find(|&i| list.get(i) == Some(validator)) {
            if index + 1 != len {
                let last = list.get(len - 1).expect("non-empty");
                list.setter(index).expect("in range").set(last);
            }
            list.erase_last();
        }
    }

    // ----- voting power -----

    /// Checkpoints `validator`'s power change from `old` to `new` and the total alongside.
    #[inline(never)]
    pub(crate) fn record_power(
        &mut self,
        validator: Address,
        old: U256,
        new: U256,
    ) -> Result<(), Error> {
        if old == new {
            return Ok(());
        }
        self.update_rewards()?;
        let now = self.now();
        self.validators
            .setter(validator)
            .votes
            .push::<Error>(now, new)?;
        let total = sub(add(self.total_votes.latest(), new)?, old)?;
        self.total_votes.push::<Error>(now, total)?;
        DelegateVotesChanged {
            validator,
            previousVotes: old,
            newVotes: new,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Jails or unjails `validator` (checked by the caller), settling rewards first so the
    /// jailed period earns nothing.
    pub(crate) fn set_jailed(&mut self, validator: Address, jailed: bool) -> Result<(), Error> {
        self.settle_validator(validator)?;
        let mut v = self.validators.setter(validator);
        let bonded = v.bonded_tokens.get();
        let mut meta = v.meta();
        meta.status = if jailed { JAILED } else { ACTIVE };
        v.set_meta(meta);
        drop(v);
        let (old, new) = if jailed {
            (bonded, U256::ZERO)
        } else {
            (U256::ZERO, bonded)
        };
        self.record_power(validator, old, new)?;
        if jailed {
            ValidatorJailed { validator }.emit_by_ref(self.vm());
        } else {
            ValidatorUnjailed { validator }.emit_by_ref(self.vm());
        }
        Ok(())
    }

    // ----- unbonding queue -----

    /// Releases the matured entries at the head of `validator`'s queue, at most
    /// [`MAX_RELEASES_PER_CALL`] of them. Entries withdrawn before their release are skipped
    /// (they left the pool already). Stops at the first entry not yet mature.
    #[inline(never)]
    pub(crate) fn release_matured(&mut self, validator: Address) -> Result<(), Error> {
        let now = self.now();
        let mut meta = self.meta_of(validator);
        let start = meta.queue_head;
        let end = (self.validators.getter(validator).queue.len() as u64)
            .min(start + MAX_RELEASES_PER_CALL);
        while meta.queue_head < end {
            let queue = &self.validators.getter(validator).queue;
            let index: usize = queue.get(meta.queue_head).expect("below len").to();
            let (maturity, state) = entry_unstamp(self.entry(index).stamp.get().to());
            if state == POOLED {
                if maturity > now {
                    break;
                }
                self.release_entry(validator, index, maturity)?;
            }
            meta.queue_head += 1;
        }
        if meta.queue_head != start {
            self.validators.setter(validator).set_meta(meta);
        }
        Ok(())
    }

    /// Takes matured entry `index` (still pooled, maturing at `maturity`) out of `validator`'s
    /// unbonding pool at the pool's price; from then on the entry holds that LP amount, out of
    /// reach of slashes (released). Returns the amount.
    #[inline(never)]
    pub(crate) fn release_entry(
        &mut self,
        validator: Address,
        index: usize,
        maturity: u64,
    ) -> Result<U256, Error> {
        let mut entry = self.entries.setter(index).expect("existing entry");
        let held = entry.amount.get();
        let v = self.validators.getter(validator);
        let (shares, tokens) = (v.unbonding_shares.get(), v.unbonding_tokens.get());
        drop(v);
        let value = pool::tokens_of::<Error>(held, shares, tokens)?;
        entry.amount.set(value);
        entry.stamp.set(U64::from(entry_stamp(maturity, RELEASED)));
        drop(entry);
        let mut v = self.validators.setter(validator);
        let left = sub(shares, held)?;
        v.unbonding_shares.set(left);
        // A pool left without shares drops its rounding dust: owned by nobody, it stays in the
        // vault outside every pool.
        v.unbonding_tokens.set(if left.is_zero() {
            U256::ZERO
        } else {
            tokens - value
        });
        Ok(value)
    }

    // ----- guarded bodies -----

    pub(crate) fn stake_guarded(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        self.require_active(validator)?;
        let account = self.vm().msg_sender();
        self.check_delegation_slot(account, validator)?;
        // `pull` refuses a zero amount (nothing arrives).
        let received = self.pull(self.lp_token.get(), account, amount)?;
        self.mint_stake(account, validator, received)
    }

    pub(crate) fn withdraw_guarded(&mut self, entry_id: U256) -> Result<U256, Error> {
        let account = self.vm().msg_sender();
        let index = self.entry_index(entry_id)?;
        let entry = self.entry(index);
        let (owner, validator) = (entry.owner.get(), entry.validator.get());
        let (target, mut amount) = (entry.target.get(), entry.amount.get());
        let (maturity, state) = entry_unstamp(entry.stamp.get().to());
        drop(entry);
        if owner != account {
            return Err(NotEntryOwner { entryId: entry_id }.into());
        }
        if state == WITHDRAWN {
            return Err(EntryAlreadyWithdrawn { entryId: entry_id }.into());
        }
        if maturity > self.now() {
            return Err(EntryNotMature {
                entryId: entry_id,
                maturity: U256::from(maturity),
            }
            .into());
        }
        if state == POOLED {
            // Not released yet (queued behind others): released on its own.
            amount = self.release_entry(validator, index, maturity)?;
        }
        self.entry_mut(index)
            .stamp
            .set(U64::from(entry_stamp(maturity, WITHDRAWN)));
        Withdrawn {
            account,
            entryId: entry_id,
            amount,
        }
        .emit(self.vm());
        if self.rebonds(account, target, amount) {
            self.mint_stake(account, target, amount)?;
            return Ok(U256::ZERO);
        }
        if !amount.is_zero() {
            self.send(self.lp_token.get(), account, amount)?;
        }
        Ok(amount)
    }

    /// Whether a matured entry of `amount` LP with destination `target` (zero for a plain
    /// unstake) bonds to it: the destination must still accept stake from `account`. Otherwise
    /// the LP is paid out.
    #[inline(never)]
    fn rebonds(&self, account: Address, target: Address, amount: U256) -> bool {
        !target.is_zero()
            && !amount.is_zero()
            && self.meta_of(target).status == ACTIVE
            && self.check_delegation_slot(account, target).is_ok()
    }

    pub(crate) fn notify_guarded(&mut self, amount: U256) -> Result<(), Error> {
        let power = self.total_votes.latest();
        if power.is_zero() {
            return Err(NoVotingPower {}.into());
        }
        let sender = self.vm().msg_sender();
        // `pull` refuses a zero amount (nothing arrives).
        let received = self.pull(self.reward_token.get(), sender, amount)?;
        // Refuse an amount too small to ever move the accumulator at the current power.
        if mul_div::<Error>(received, REWARD_PRECISION, power)?.is_zero() {
            return Err(AmountTooSmall { amount: received }.into());
        }
        self.update_rewards()?;
        let now = self.now();
        let finish = self.reward_times.get().as_limbs()[0];
        let duration = self.params().unbonding_period;
        let period = U256::from(duration);
        // Synthetix `StakingRewards`: the new amount and what is left of the running stream
        // are paid evenly over a fresh period.
        let mut rate = mul_div::<Error>(received, REWARD_PRECISION, period)?;
        if now < finish {
            let left = U256::from(finish - now);
            rate = add(
                rate,
                mul_div::<Error>(self.reward_rate.get(), left, period)?,
            )?;
        }
        self.reward_rate.set(rate);
        self.reward_times
            .set(U256::from_limbs([now + duration, now, 0, 0]));
        RewardNotified {
            sender,
            amount: received,
        }
        .emit(self.vm());
        Ok(())
    }

    pub(crate) fn notify_validator_guarded(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        self.require_registered(validator)?;
        let sender = self.vm().msg_sender();
        // `pull` refuses a zero amount (nothing arrives).
        let received = self.pull(self.reward_token.get(), sender, amount)?;
        // Accrue the stream first, so the commission in force now applies and nothing streamed
        // before this call is priced at the new reward-per-share.
        self.settle_validator(validator)?;
        let mut v = self.validators.setter(validator);
        let (commission, per_share) = split_reward(
            received,
            v.meta().commission,
            v.reward_per_share.get(),
            v.total_shares.get(),
        )?;
        v.reward_per_share.set(per_share);
        drop(v);
        self.credit(validator, commission)?;
        ValidatorRewardNotified {
            sender,
            validator,
            amount: received,
            commission,
        }
        .emit(self.vm());
        Ok(())
    }

    pub(crate) fn claim_guarded(&mut self) -> Result<U256, Error> {
        let account = self.vm().msg_sender();
        for validator in self.delegated_validators(account) {
            self.settle(account, validator)?;
        }
        if self.meta_of(account).registered() {
            self.settle_validator(account)?;
        }
        let amount = self.rewards_owed.get(account);
        if amount.is_zero() {
            return Err(NothingToClaim {}.into());
        }
        self.rewards_owed.setter(account).set(U256::ZERO);
        self.send(self.reward_token.get(), account, amount)?;
        RewardsClaimed { account, amount }.emit(self.vm());
        Ok(amount)
    }

    pub(crate) fn slash_guarded(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
        jail: bool,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.require_registered(validator)?;
        let max = self.params().max_slash_bps;
        if bps.is_zero() || bps > U256::from(max) {
            return Err(SlashOutOfRange {
                bps,
                maxBps: U256::from(max),
            }
            .into());
        }
        let bps: u64 = bps.to();
        self.settle_validator(validator)?;
        self.release_matured(validator)?;
        let v = self.validators.getter(validator);
        let (bonded, unbonding) = (v.bonded_tokens.get(), v.unbonding_tokens.get());
        let jailed = v.meta().jailed();
        drop(v);
        let bonded_slashed = bps_floor(bonded, bps)?;
        let unbonding_slashed = bps_floor(unbonding, bps)?;
        let mut v = self.validators.setter(validator);
        v.bonded_tokens.set(bonded - bonded_slashed);
        v.unbonding_tokens.set(unbonding - unbonding_slashed);
        drop(v);
        if !jailed {
            self.record_power(validator, bonded, bonded - bonded_slashed)?;
            if jail {
                self.set_jailed(validator, true)?;
            }
        }
        let total = add(bonded_slashed, unbonding_slashed)?;
        if !total.is_zero() {
            self.send(self.lp_token.get(), self.treasury.get(), total)?;
        }
        ValidatorSlashed {
            validator,
            bps: U256::from(bps),
            bondedSlashed: bonded_slashed,
            unbondingSlashed: unbonding_slashed,
            reasonHash: reason_hash,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    // ----- parameters -----

    /// Checks and stores the parameters.
    pub(crate) fn write_parameters(
        &mut self,
        treasury: Address,
        unbonding_period: U256,
        max_commission_bps: U256,
        max_slash_bps: U256,
        jailer: Address,
    ) -> Result<(), Error> {
        if treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if unbonding_period < U256::from(MIN_UNBONDING_PERIOD)
            || unbonding_period > U256::from(MAX_UNBONDING_PERIOD)
        {
            return Err(UnbondingPeriodOutOfRange {
                period: unbonding_period,
            }
            .into());
        }
        check_bps(max_commission_bps, BPS_DENOMINATOR)?;
        check_bps(max_slash_bps, MAX_SLASH_LIMIT_BPS.into())?;
        self.treasury.set(treasury);
        self.jailer.set(jailer);
        let params = Params {
            unbonding_period: unbonding_period.to(),
            max_commission_bps: max_commission_bps.to(),
            max_slash_bps: max_slash_bps.to(),
        };
        self.params.set(params.pack());
        ParametersUpdated {
            treasury,
            unbondingPeriod: unbonding_period,
            maxCommissionBps: max_commission_bps,
            maxSlashBps: max_slash_bps,
            jailer,
        }
        .emit(self.vm());
        Ok(())
    }

    // ----- tokens -----

    /// The vault's balance of `token` (`balanceOf(this)` by static call).
    ///
    /// # Errors
    /// [`TokenCallFailed`] if the call reverts or returns less than one word.
    fn balance_of_self(&self, token: Address) -> Result<U256, Error> {
        token::balance_of(self, token, self.vm().contract_address())
            .ok_or_else(|| TokenCallFailed { token }.into())
    }

    /// Pulls `amount` of `token` from `from` and returns the balance delta received.
    ///
    /// # Errors
    /// [`TokenCallFailed`] if a call fails or the token's answer is refused
    /// (`agentdao_common::token`); [`ZeroAmount`] if nothing arrived.
    fn pull(&mut self, token: Address, from: Address, amount: U256) -> Result<U256, Error> {
        let this = self.vm().contract_address();
        let before = self.balance_of_self(token)?;
        if !token::transfer_from(self, token, from, this, amount) {
            return Err(TokenCallFailed { token }.into());
        }
        let after = self.balance_of_self(token)?;
        let received = after.checked_sub(before).ok_or(TokenCallFailed { token })?;
        if received.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        Ok(received)
    }

    /// Sends `amount` of `token` to `to`.
    ///
    /// # Errors
    /// [`TokenCallFailed`] if the call fails or the token's answer is refused.
    fn send(&mut self, token: Address, to: Address, amount: U256) -> Result<(), Error> {
        if token::transfer(self, token, to, amount) {
            Ok(())
        } else {
            Err(TokenCallFailed { token }.into())
        }
    }
}

/// Every address in `list`, in order (one shared loop for the vault's address lists).
#[inline(never)]
pub(crate) fn addresses(list: &StorageVec<StorageAddress>) -> Vec<Address> {
    let len = list.len();
    let mut out = Vec::with_capacity(len);
    for i in 0..len {
        if let Some(address) = list.get(i) {
            out.push(address);
        }
    }
    out
}

/// Fails unless `value <= max` (basis points).
fn check_bps(value: U256, max: u64) -> Result<(), Error> {
    let max = U256::from(max);
    if value > max {
        return Err(BpsOutOfRange { value, max }.into());
    }
    Ok(())
}

/// Splits `earned` of a validator's pool: its commission (`commission_bps`), and the pool's
/// reward-per-share once the rest is spread over `shares` (all of it is commission while the pool
/// has no shares).
fn split_reward(
    earned: U256,
    commission_bps: u16,
    per_share: U256,
    shares: U256,
) -> Result<(U256, U256), Error> {
    if shares.is_zero() {
        return Ok((earned, per_share));
    }
    let commission = bps_floor(earned, commission_bps.into())?;
    let delta = mul_div::<Error>(earned - commission, REWARD_PRECISION, shares)?;
    Ok((commission, add(per_share, delta)?))
}

/// `floor(amount * bps / 10_000)`.
fn bps_floor(amount: U256, bps: u64) -> Result<U256, Error> {
    mul_div::<Error>(amount, U256::from(bps), U256::from(BPS_DENOMINATOR))
}
