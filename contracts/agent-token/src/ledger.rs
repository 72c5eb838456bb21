//! Balance and allowance bookkeeping: mint, taxed transfer, burn, approvals.
//!
//! Every function here runs all of its checks before its first storage write, so a failing call
//! leaves the state untouched even before the VM's revert undoes it.
use alloy_primitives::{
    aliases::{U16, U8},
    Address, U256,
};
use stylus_sdk::prelude::*;

use agentdao_common::math::add;

use crate::sol::{
    Approval, ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidApprover,
    ERC20InvalidReceiver, ERC20InvalidSender, ERC20InvalidSpender, TaxCharged, TaxExemptionSet,
    Transfer, TreasuryChanged,
};
use crate::tax::tax_amount;
use crate::{exemption, AgentToken, Error};

impl AgentToken {
    /// Creates `value` tokens for `to` (constructor only; the supply never grows afterwards).
    pub(crate) fn mint(&mut self, to: Address, value: U256) {
        self.total_supply.set(value);
        self.balances.setter(to).set(value);
        Transfer {
            from: Address::ZERO,
            to,
            value,
        }
        .emit(self.vm());
    }

    /// The tax a transfer of `value` from `from` to `to` pays under the current settings.
    ///
    /// # Errors
    /// [`ArithmeticOverflow`](agentdao_common::errors::ArithmeticOverflow), unreachable for a
    /// rate of at most 100%.
    pub(crate) fn tax_for(&self, from: Address, to: Address, value: U256) -> Result<U256, Error> {
        let bps = self.current_tax_bps();
        if bps == 0 || self.exemption_bits(from) != 0 || self.exemption_bits(to) != 0 {
            return Ok(U256::ZERO);
        }
        if self.pools_only_tax.get() && !self.pools.get(from) && !self.pools.get(to) {
            return Ok(U256::ZERO);
        }
        tax_amount(value, bps)
    }

    /// Moves `value` from `from`: `value - tax` to `to`, `tax` to the treasury.
    ///
    /// # Errors
    /// [`ERC20InvalidSender`], [`ERC20InvalidReceiver`], [`ERC20InsufficientBalance`].
    pub(crate) fn transfer_checked(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Error> {
        if from.is_zero() {
            return Err(ERC20InvalidSender { sender: from }.into());
        }
        if to.is_zero() {
            return Err(ERC20InvalidReceiver { receiver: to }.into());
        }
        let balance = self.balances.get(from);
        if balance < value {
            return Err(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: value,
            }
            .into());
        }
        let tax = self.tax_for(from, to, value)?;
        // tax <= value because the rate is at most 100%.
        let received = value - tax;
        self.balances.setter(from).set(balance - value);
        self.credit(to, received)?;
        Transfer {
            from,
            to,
            value: received,
        }
        .emit(self.vm());
        if !tax.is_zero() {
            let treasury = self.treasury.get();
            self.credit(treasury, tax)?;
            Transfer {
                from,
                to: treasury,
                value: tax,
            }
            .emit(self.vm());
            TaxCharged { from, to, tax }.emit(self.vm());
        }
        Ok(())
    }

    /// Adds `value` to `account`'s balance. Cannot overflow while `totalSupply == Σ balances`;
    /// checked anyway.
    fn credit(&mut self, account: Address, value: U256) -> Result<(), Error> {
        let balance = add::<Error>(self.balances.get(account), value)?;
        self.balances.setter(account).set(balance);
        Ok(())
    }

    /// Destroys `value` of `owner`'s tokens.
    ///
    /// # Errors
    /// [`ERC20InsufficientBalance`].
    pub(crate) fn burn_checked(&mut self, owner: Address, value: U256) -> Result<(), Error> {
        let balance = self.balances.get(owner);
        if balance < value {
            return Err(ERC20InsufficientBalance {
                sender: owner,
                balance,
                needed: value,
            }
            .into());
        }
        self.balances.setter(owner).set(balance - value);
        // The supply is at least any single balance, so this cannot underflow.
        let supply = self.total_supply.get();
        self.total_supply.set(supply - value);
        Transfer {
            from: owner,
            to: Address::ZERO,
            value,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Sets `owner`'s allowance for `spender`.
    ///
    /// # Errors
    /// [`ERC20InvalidApprover`], [`ERC20InvalidSpender`] for zero addresses.
    pub(crate) fn approve_checked(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Error> {
        if owner.is_zero() {
            return Err(ERC20InvalidApprover { approver: owner }.into());
        }
        if spender.is_zero() {
            return Err(ERC20InvalidSpender { spender }.into());
        }
        self.allowances.setter(owner).setter(spender).set(value);
        Approval {
            owner,
            spender,
            value,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Checks that `spender` may move `value` for `owner` and returns the allowance left
    /// afterwards, `None` for an unlimited (`U256::MAX`) allowance that is never decreased.
    /// Writes nothing: the caller stores the result once the movement succeeded.
    ///
    /// # Errors
    /// [`ERC20InsufficientAllowance`].
    pub(crate) fn allowance_after(
        &self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<Option<U256>, Error> {
        let allowance = self.allowances.getter(owner).get(spender);
        if allowance == U256::MAX {
            return Ok(None);
        }
        if allowance < value {
            return Err(ERC20InsufficientAllowance {
                spender,
                allowance,
                needed: value,
            }
            .into());
        }
        Ok(Some(allowance - value))
    }

    /// Stores an allowance computed by [`Self::allowance_after`] (no `Approval` event, as in
    /// OpenZeppelin's ERC-20).
    pub(crate) fn store_allowance(&mut self, owner: Address, spender: Address, left: Option<U256>) {
        if let Some(left) = left {
            self.allowances.setter(owner).setter(spender).set(left);
        }
    }

    /// Points the tax at `treasury` and moves the treasury role's exemption to it.
    pub(crate) fn set_treasury_unchecked(&mut self, treasury: Address) {
        let previous = self.treasury.get();
        self.treasury.set(treasury);
        TreasuryChanged {
            previous,
            current: treasury,
        }
        .emit(self.vm());
        self.move_role_exemption(exemption::TREASURY, previous, treasury);
    }

    /// The exemption bits of `account` (see [`exemption`]).
    pub(crate) fn exemption_bits(&self, account: Address) -> u8 {
        self.tax_exempt.get(account).as_limbs()[0] as u8
    }

    /// Sets (`on`) or clears one exemption `bit` of `account`; returns whether the account is
    /// exempt afterwards and whether that changed.
    pub(crate) fn update_exemption(&mut self, account: Address, bit: u8, on: bool) -> (bool, bool) {
        let before = self.exemption_bits(account);
        let after = if on { before | bit } else { before & !bit };
        if after != before {
            self.tax_exempt.setter(account).set(U8::from(after));
        }
        (after != 0, (after != 0) != (before != 0))
    }

    /// Moves the role exemption `bit` from the role's previous holder `from` to its new holder
    /// `to` (either may be zero: no holder), emitting [`TaxExemptionSet`] for each account whose
    /// exemption changed.
    pub(crate) fn move_role_exemption(&mut self, bit: u8, from: Address, to: Address) {
        if from == to {
            return;
        }
        for (account, on) in [(from, false), (to, true)] {
            if account.is_zero() {
                continue;
            }
            let (exempt, changed) = self.update_exemption(account, bit, on);
            if changed {
                TaxExemptionSet { account, exempt }.emit(self.vm());
            }
        }
    }

    /// The stored tax rate (a 16-bit slot, so the low limb holds all of it).
    pub(crate) fn current_tax_bps(&self) -> u16 {
        self.tax_bps.get().as_limbs()[0] as u16
    }

    /// Stores a new tax rate.
    pub(crate) fn store_tax_bps(&mut self, bps: u16) {
        self.tax_bps.set(U16::from(bps));
    }
}
