//! Private accounting of the vault: settlement of rewards, pool mint/burn, the unbonding queue,
//! voting-power checkpoints and token transfers. Public entry points in `lib.rs` validate input
//! first, then call these.
use agentdao_common::interfaces::erc20::IErc20;
use agentdao_common::math::{add, sub, BPS_DENOMINATOR};
use agentdao_common::muldiv::mul_div_floor as mul_div;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{
    aliases::{U16, U48},
    Address, FixedBytes, U256, U64,
};
use stylus_sdk::prelude::*;
use stylus_sdk::stylus_core::calls::Call;

use crate::pool;
use crate::sol::*;
use crate::{
    delegation_accrual, Error, StakingVault, MAX_DELEGATIONS_PER_ACCOUNT, REWARD_PRECISION,
};

impl StakingVault {
    /// The ERC-6372 clock.
    pub(crate) fn now(&self) -> u64 {
        self.vm().block_timestamp()
    }

    pub(crate) fn require_registered(&self, validator: Address) -> Result<(), Error> {
        if !self.validators.getter(validator).registered.get() {
            return Err(UnknownValidator { validator }.into());
        }
        Ok(())
    }

    pub(crate) fn require_active(&self, validator: Address) -> Result<(), Error> {
        self.require_registered(validator)?;
        if self.validators.getter(validator).jailed.get() {
            return Err(JailedValidator { validator }.into());
        }
        Ok(())
    }

    pub(crate) fn check_commission(&self, bps: u16) -> Result<(), Error> {
        let max: u16 = self.max_commission_bps.get().to();
        if bps > max {
            return Err(CommissionTooHigh {
                requestedBps: U256::from(bps),
                maxBps: U256::from(max),
            }
            .into());
        }
        Ok(())
    }

    /// The commission in force once a due announcement is applied.
    pub(crate) fn effective_commission(&self, validator: Address) -> u16 {
        let v = self.validators.getter(validator);
        let at: u64 = v.pending_commission_at.get().to();
        if at != 0 && self.now() >= at {
            v.pending_commission_bps.get().to()
        } else {
            v.commission_bps.get().to()
        }
    }

    /// LP value of `shares` of `validator`'s bonded pool.
    pub(crate) fn value_of_shares(&self, validator: Address, shares: U256) -> Result<U256, Error> {
        let v = self.validators.getter(validator);
        pool::tokens_of::<Error>(shares, v.total_shares.get(), v.bonded_tokens.get())
    }

    /// Fails unless `account` has at least `amount` LP bonded with `validator`; returns the
    /// LP it has.
    pub(crate) fn check_stake(
        &self,
        account: Address,
        validator: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let shares = self
            .delegations
            .getter(account)
            .getter(validator)
            .shares
            .get();
        let have = self.value_of_shares(validator, shares)?;
        if amount > have {
            return Err(InsufficientStake {
                account,
                validator,
                have,
                want: amount,
            }
            .into());
        }
        Ok(have)
    }

    /// Fails if bonding with `validator` would exceed the per-account delegation limit;
    /// `frees_one` tells that the same operation empties another delegation.
    pub(crate) fn check_delegation_slot(
        &self,
        account: Address,
        validator: Address,
        frees_one: bool,
    ) -> Result<(), Error> {
        let bonded = !self
            .delegations
            .getter(account)
            .getter(validator)
            .shares
            .get()
            .is_zero();
        let used = self.delegated_to.getter(account).len() - usize::from(frees_one);
        if !bonded && used >= MAX_DELEGATIONS_PER_ACCOUNT {
            return Err(TooManyDelegations {
                account,
                max: U256::from(MAX_DELEGATIONS_PER_ACCOUNT),
            }
            .into());
        }
        Ok(())
    }

    pub(crate) fn delegated_validators(&self, account: Address) -> Vec<Address> {
        let list = self.delegated_to.getter(account);
        (0..list.len()).filter_map(|i| list.get(i)).collect()
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

    /// What settling `validator` now would yield: `(commission accrued, new reward-per-share)`.
    pub(crate) fn validator_accrual(&self, validator: Address) -> Result<(U256, U256), Error> {
        let v = self.validators.getter(validator);
        let active = v.registered.get() && !v.jailed.get();
        let per_share = v.reward_per_share.get();
        if !active {
            return Ok((U256::ZERO, per_share));
        }
        let delta = sub::<Error>(self.reward_per_power.get(), v.reward_snapshot.get())?;
        let earned = mul_div::<Error>(v.bonded_tokens.get(), delta, REWARD_PRECISION)?;
        if earned.is_zero() {
            return Ok((U256::ZERO, per_share));
        }
        let commission = bps_floor(earned, v.commission_bps.get().to())?;
        // A validator with power has bonded tokens, hence shares.
        let per_share_delta =
            mul_div::<Error>(earned - commission, REWARD_PRECISION, v.total_shares.get())?;
        Ok((commission, add::<Error>(per_share, per_share_delta)?))
    }

    /// Brings `validator`'s rewards up to date (commission to its owed balance, the rest into
    /// its reward-per-share), then applies a due commission announcement.
    pub(crate) fn settle_validator(&mut self, validator: Address) -> Result<(), Error> {
        let (commission, per_share) = self.validator_accrual(validator)?;
        let reward_per_power = self.reward_per_power.get();
        let now = self.now();
        let mut v = self.validators.setter(validator);
        v.reward_snapshot.set(reward_per_power);
        v.reward_per_share.set(per_share);
        let at: u64 = v.pending_commission_at.get().to();
        let change = if at != 0 && now >= at {
            let previous: u16 = v.commission_bps.get().to();
            let next = v.pending_commission_bps.get();
            v.commission_bps.set(next);
            v.pending_commission_at.set(U64::ZERO);
            Some((previous, next.to::<u16>()))
        } else {
            None
        };
        drop(v);
        if !commission.is_zero() {
            self.credit(validator, commission)?;
        }
        if let Some((previous, next)) = change {
            self.vm().log(CommissionUpdated {
                validator,
                previousBps: U256::from(previous),
                newBps: U256::from(next),
            });
        }
        Ok(())
    }

    /// Settles `validator`, then `account`'s delegation to it.
    pub(crate) fn settle(&mut self, account: Address, validator: Address) -> Result<(), Error> {
        self.settle_validator(validator)?;
        let per_share = self.validators.getter(validator).reward_per_share.get();
        let mut delegations = self.delegations.setter(account);
        let mut d = delegations.setter(validator);
        let accrued = delegation_accrual(&d, per_share)?;
        d.reward_snapshot.set(per_share);
        drop(d);
        drop(delegations);
        if !accrued.is_zero() {
            self.credit(account, accrued)?;
        }
        Ok(())
    }

    fn credit(&mut self, account: Address, amount: U256) -> Result<(), Error> {
        let mut owed = self.rewards_owed.setter(account);
        let total = add::<Error>(owed.get(), amount)?;
        owed.set(total);
        Ok(())
    }

    // ----- bonded pool -----

    /// Mints `validator` pool shares to `account` for `amount` LP (settle first).
    pub(crate) fn mint_stake(
        &mut self,
        account: Address,
        validator: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let v = self.validators.getter(validator);
        let (total_shares, bonded) = (v.total_shares.get(), v.bonded_tokens.get());
        drop(v);
        let shares = pool::shares_for_deposit::<Error>(amount, total_shares, bonded)?;
        if shares.is_zero() {
            return Err(AmountTooSmall { amount }.into());
        }
        let mut delegations = self.delegations.setter(account);
        let mut d = delegations.setter(validator);
        let held = d.shares.get();
        d.shares.set(add::<Error>(held, shares)?);
        drop(d);
        drop(delegations);
        if held.is_zero() {
            self.delegated_to.setter(account).push(validator);
        }
        let new_bonded = add::<Error>(bonded, amount)?;
        let mut v = self.validators.setter(validator);
        v.total_shares.set(add::<Error>(total_shares, shares)?);
        v.bonded_tokens.set(new_bonded);
        drop(v);
        self.record_power(validator, bonded, new_bonded)?;
        Ok(shares)
    }

    /// Burns the shares backing `amount` LP of `account`'s delegation (settle and check first).
    /// Taking the whole value burns every share, so no worthless dust shares remain.
    pub(crate) fn burn_stake(
        &mut self,
        account: Address,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let v = self.validators.getter(validator);
        let (total_shares, bonded) = (v.total_shares.get(), v.bonded_tokens.get());
        let active = !v.jailed.get();
        drop(v);
        let mut delegations = self.delegations.setter(account);
        let mut d = delegations.setter(validator);
        let held = d.shares.get();
        let value = pool::tokens_of::<Error>(held, total_shares, bonded)?;
        if amount > value {
            return Err(InsufficientStake {
                account,
                validator,
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
        d.shares.set(held - burn);
        drop(d);
        drop(delegations);
        if burn == held {
            self.forget_delegation(account, validator);
        }
        let new_bonded = sub::<Error>(bonded, amount)?;
        let mut v = self.validators.setter(validator);
        v.total_shares.set(sub::<Error>(total_shares, burn)?);
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
    pub(crate) fn record_power(
        &mut self,
        validator: Address,
        old: U256,
        new: U256,
    ) -> Result<(), Error> {
        if old == new {
            return Ok(());
        }
        let now = self.now();
        self.validators
            .setter(validator)
            .votes
            .push::<Error>(now, new)?;
        if new > old {
            self.total_votes.add::<Error>(now, new - old)?;
        } else {
            self.total_votes.sub::<Error>(now, old - new)?;
        }
        self.vm().log(DelegateVotesChanged {
            validator,
            previousVotes: old,
            newVotes: new,
        });
        Ok(())
    }

    /// Jails or unjails `validator` (checked by the caller), settling rewards first so the
    /// jailed period earns nothing.
    pub(crate) fn set_jailed(&mut self, validator: Address, jailed: bool) -> Result<(), Error> {
        self.settle_validator(validator)?;
        let mut v = self.validators.setter(validator);
        let bonded = v.bonded_tokens.get();
        v.jailed.set(jailed);
        drop(v);
        if jailed {
            self.record_power(validator, bonded, U256::ZERO)?;
            self.vm().log(ValidatorJailed { validator });
        } else {
            self.record_power(validator, U256::ZERO, bonded)?;
            self.vm().log(ValidatorUnjailed { validator });
        }
        Ok(())
    }

    // ----- unbonding queue -----

    /// Moves every matured entry at the head of `validator`'s queue out of the slashable
    /// unbonding pool, fixing its LP amount. Each entry is released once, so the cost is
    /// amortised `O(1)` per entry.
    pub(crate) fn release_matured(&mut self, validator: Address) -> Result<(), Error> {
        let now = self.now();
        let mut v = self.validators.setter(validator);
        let mut head: u64 = v.queue_head.get().to();
        let len = v.queue.len() as u64;
        let (mut shares, mut tokens) = (v.unbonding_shares.get(), v.unbonding_tokens.get());
        let start = head;
        while head < len {
            let id: u64 = v.queue.get(head).expect("below len").to();
            let mut entry = self.entries.setter(id).expect("queued entries exist");
            if entry.maturity.get().to::<u64>() > now {
                break;
            }
            let entry_shares = entry.shares.get();
            let value = pool::tokens_of::<Error>(entry_shares, shares, tokens)?;
            shares = sub::<Error>(shares, entry_shares)?;
            tokens = sub::<Error>(tokens, value)?;
            entry.tokens.set(value);
            entry.released.set(true);
            head += 1;
        }
        if head == start {
            return Ok(());
        }
        if shares.is_zero() {
            // Rounding dust without owners stays in the vault, outside every pool.
            tokens = U256::ZERO;
        }
        v.queue_head.set(U64::from(head));
        v.unbonding_shares.set(shares);
        v.unbonding_tokens.set(tokens);
        Ok(())
    }

    // ----- guarded bodies -----

    pub(crate) fn stake_guarded(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        self.require_active(validator)?;
        let account = self.vm().msg_sender();
        self.check_delegation_slot(account, validator, false)?;
        let received = self.pull(self.lp_token.get(), account, amount)?;
        self.settle(account, validator)?;
        let shares = self.mint_stake(account, validator, received)?;
        self.vm().log(Staked {
            account,
            validator,
            amount: received,
            shares,
        });
        Ok(shares)
    }

    pub(crate) fn withdraw_guarded(&mut self, entry_ids: Vec<U256>) -> Result<U256, Error> {
        if entry_ids.is_empty() {
            return Err(ZeroAmount {}.into());
        }
        let account = self.vm().msg_sender();
        let now = self.now();
        let mut total = U256::ZERO;
        for entry_id in entry_ids {
            let index = self.entry_index(entry_id)?;
            let entry = self.entries.getter(index).expect("checked index");
            let (owner, validator) = (entry.owner.get(), entry.validator.get());
            let maturity: u64 = entry.maturity.get().to();
            let withdrawn = entry.withdrawn.get();
            drop(entry);
            if owner != account {
                return Err(NotEntryOwner {
                    entryId: entry_id,
                    caller: account,
                    owner,
                }
                .into());
            }
            if withdrawn {
                return Err(EntryAlreadyWithdrawn { entryId: entry_id }.into());
            }
            if maturity > now {
                return Err(EntryNotMature {
                    entryId: entry_id,
                    maturity: U256::from(maturity),
                    now: U256::from(now),
                }
                .into());
            }
            // The queue is ordered by maturity, so this releases the entry itself.
            self.release_matured(validator)?;
            let mut entry = self.entries.setter(index).expect("checked index");
            let amount = entry.tokens.get();
            entry.withdrawn.set(true);
            drop(entry);
            total = add::<Error>(total, amount)?;
            self.vm().log(Withdrawn {
                account,
                entryId: entry_id,
                amount,
            });
        }
        if !total.is_zero() {
            self.send(self.lp_token.get(), account, total)?;
        }
        Ok(total)
    }

    pub(crate) fn notify_guarded(&mut self, amount: U256) -> Result<(), Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        let total_power = self.total_votes.latest();
        if total_power.is_zero() {
            return Err(NoVotingPower {}.into());
        }
        let sender = self.vm().msg_sender();
        let received = self.pull(self.reward_token.get(), sender, amount)?;
        let increment = mul_div::<Error>(received, REWARD_PRECISION, total_power)?;
        if increment.is_zero() {
            return Err(RewardTooSmall { amount: received }.into());
        }
        let accumulated = add::<Error>(self.reward_per_power.get(), increment)?;
        self.reward_per_power.set(accumulated);
        self.vm().log(RewardNotified {
            sender,
            amount: received,
        });
        Ok(())
    }

    pub(crate) fn claim_guarded(&mut self) -> Result<U256, Error> {
        let account = self.vm().msg_sender();
        for validator in self.delegated_validators(account) {
            self.settle(account, validator)?;
        }
        if self.validators.getter(account).registered.get() {
            self.settle_validator(account)?;
        }
        let amount = self.rewards_owed.get(account);
        if amount.is_zero() {
            return Err(NothingToClaim { account }.into());
        }
        self.rewards_owed.setter(account).set(U256::ZERO);
        self.send(self.reward_token.get(), account, amount)?;
        self.vm().log(RewardsClaimed { account, amount });
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
        let max: u16 = self.max_slash_bps.get().to();
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
        let jailed = v.jailed.get();
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
        let total = add::<Error>(bonded_slashed, unbonding_slashed)?;
        if !total.is_zero() {
            self.send(self.lp_token.get(), self.treasury.get(), total)?;
        }
        self.vm().log(ValidatorSlashed {
            validator,
            bps: U256::from(bps),
            bondedSlashed: bonded_slashed,
            unbondingSlashed: unbonding_slashed,
            reasonHash: reason_hash,
        });
        Ok(())
    }

    // ----- parameters -----

    pub(crate) fn write_treasury(&mut self, treasury: Address) {
        let previous = self.treasury.get();
        self.treasury.set(treasury);
        self.vm().log(TreasuryUpdated {
            previous,
            current: treasury,
        });
    }

    pub(crate) fn write_unbonding_period(&mut self, period: u64) {
        let previous = self.unbonding_period.get();
        self.unbonding_period.set(U64::from(period));
        self.vm().log(UnbondingPeriodUpdated {
            previous: U256::from(previous),
            current: U256::from(period),
        });
    }

    pub(crate) fn write_max_commission(&mut self, bps: u16) {
        let previous = self.max_commission_bps.get();
        self.max_commission_bps.set(U16::from(bps));
        self.vm().log(MaxCommissionUpdated {
            previousBps: U256::from(previous),
            currentBps: U256::from(bps),
        });
    }

    pub(crate) fn write_max_slash(&mut self, bps: u16) {
        let previous = self.max_slash_bps.get();
        self.max_slash_bps.set(U16::from(bps));
        self.vm().log(MaxSlashUpdated {
            previousBps: U256::from(previous),
            currentBps: U256::from(bps),
        });
    }

    // ----- tokens -----

    fn balance_of_self(&self, token: Address) -> Result<U256, Error> {
        let this = self.vm().contract_address();
        IErc20::new(token)
            .balance_of(self.vm(), Call::new(), this)
            .map_err(|_| TokenCallFailed { token }.into())
    }

    /// Pulls `amount` of `token` from `from` and returns the balance delta received.
    fn pull(&mut self, token: Address, from: Address, amount: U256) -> Result<U256, Error> {
        let this = self.vm().contract_address();
        let before = self.balance_of_self(token)?;
        let context = Call::new_mutating(self);
        let ok = IErc20::new(token)
            .transfer_from(self.vm(), context, from, this, amount)
            .map_err(|_| Error::from(TokenCallFailed { token }))?;
        if !ok {
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
    fn send(&mut self, token: Address, to: Address, amount: U256) -> Result<(), Error> {
        let context = Call::new_mutating(self);
        let ok = IErc20::new(token)
            .transfer(self.vm(), context, to, amount)
            .map_err(|_| Error::from(TokenCallFailed { token }))?;
        if !ok {
            return Err(TokenCallFailed { token }.into());
        }
        Ok(())
    }
}

/// `floor(amount * bps / 10_000)`.
fn bps_floor(amount: U256, bps: u64) -> Result<U256, Error> {
    mul_div::<Error>(amount, U256::from(bps), U256::from(BPS_DENOMINATOR))
}
