//! # Agent token
//!
//! The ERC-20 of one AI agent, owned by its community through a SubDAO (the governance).
//!
//! * **ERC-20** with 18 decimals and EIP-6093 errors; the constructor mints the whole initial
//!   supply to one holder, and the supply only ever shrinks (`burn`, `burnFrom`).
//! * **EIP-2612 `permit`**: approvals by signature, with a per-owner `nonces` counter and an
//!   EIP-712 `DOMAIN_SEPARATOR` built from the chain id the VM reports at call time, so a permit
//!   signed for one chain is never valid on another. Signatures are recovered through the
//!   `ecrecover` precompile and must have a low `s` (EIP-2).
//! * **Transfer tax**: a transfer that is taxed pays `taxBps` of its value to the `treasury`; the
//!   recipient gets the rest (`sent == received + tax`). The rate is set by the constructor, at
//!   most 100 bps (1%), the hard maximum, and governance can only lower it. A transfer is untaxed
//!   when the sender or recipient is tax-exempt, and, when the scope is *pools only* (the
//!   Virtuals model), unless it comes from or goes to a registered pool. Burns and approvals are
//!   never taxed.
//! * **Exemptions follow roles**: the treasury and the governance are exempt because of their
//!   role, and only while they hold it. Moving the treasury (`setTreasury`) or handing governance
//!   over (`acceptGovernance`) exempts the new holder and ends the old holder's role exemption, so
//!   a deployer that held both roles at launch pays the tax like anyone else once the SubDAO has
//!   taken over. Exemptions granted by governance (`setTaxExempt`: the staking vault, a
//!   reward distributor) are kept apart from role exemptions: an account is exempt while it has
//!   either, and governance cannot end a role holder's exemption (`ExemptByRole`), because a
//!   taxed transfer to the treasury would only pay the treasury.
//! * **Governance**: a two-step handover (`transferGovernance` then `acceptGovernance`); only the
//!   governance lowers the tax, moves the treasury, and edits exemptions, pools and the scope.
//!
//! ## Tax rounding
//! The tax is rounded **down**: `tax = floor(value * taxBps / 10_000)`. A transfer therefore never
//! pays more than the stated rate, and splitting a transfer into `k` smaller ones avoids at most
//! `k - 1` base units (10⁻¹⁸ token each) of tax compared with sending the sum at once, because
//! `floor(x) + floor(y) >= floor(x + y) - 1`. Every extra transfer costs far more gas than the
//! unit it saves. Property tests check the bound both on the pure formula and through the
//! contract.
//!
//! ## Invariants (checked by property tests)
//! * `totalSupply == Σ balanceOf` at all times.
//! * For every transfer: `received + tax == value` and `tax == quoteTax(from, to, value)`.
//! * `taxBps` never increases and never exceeds 100.
//! * A failing call changes nothing (every check happens before the first write).
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod ledger;
mod permit;
pub mod sol;
pub mod tax;
#[cfg(test)]
mod tests;

use alloc::string::String;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageB256, StorageBool, StorageMap, StorageU16, StorageU256, StorageU8,
};

use agentdao_common::ecdsa::{ECDSAInvalidSignature, ECDSAInvalidSignatureS};
use agentdao_common::errors::{
    ArithmeticOverflow, NotPendingGovernance, Unauthorized, ZeroAddress,
};
use agentdao_common::governance::Governance;
use agentdao_common::short_string::{self, StringTooLong};
use sol::*;
use tax::MAX_TAX_BPS;

/// The reasons an account is tax-exempt, as bits of its `tax_exempt` entry.
pub mod exemption {
    /// Exempted by governance (`setTaxExempt`).
    pub const GRANTED: u8 = 1;
    /// The treasury.
    pub const TREASURY: u8 = 2;
    /// The governance.
    pub const GOVERNANCE: u8 = 4;
    /// The bits held because of a role.
    pub const ROLES: u8 = TREASURY | GOVERNANCE;
}

/// Decimals of the token (display only).
pub const DECIMALS: u8 = 18;

agentdao_common::static_errors! {
    /// Every way a call to the token can fail; each variant is an ABI-visible custom error.
    pub enum Error {
        /// The sender's balance is below the amount.
        ERC20InsufficientBalance { sender, balance, needed },
        /// Tokens cannot come from the zero address.
        ERC20InvalidSender { sender },
        /// Tokens cannot go to the zero address.
        ERC20InvalidReceiver { receiver },
        /// The spender's allowance is below the amount.
        ERC20InsufficientAllowance { spender, allowance, needed },
        /// The zero address cannot approve.
        ERC20InvalidApprover { approver },
        /// The zero address cannot be approved.
        ERC20InvalidSpender { spender },
        /// The permit's deadline has passed.
        ERC2612ExpiredSignature { deadline },
        /// The permit was not signed by the owner.
        ERC2612InvalidSigner { signer, owner },
        /// The permit signature recovers to no account.
        ECDSAInvalidSignature {},
        /// The permit signature is malleable (high `s`).
        ECDSAInvalidSignatureS { s },
        /// Governance tried to keep or raise the tax.
        TaxRateNotLowered { current_bps, requested_bps },
        /// The caller is not the governance.
        Unauthorized { caller, required },
        /// An address argument was zero.
        ZeroAddress {},
        /// The caller is not the nominated governance.
        NotPendingGovernance { caller, pending },
        /// Checked arithmetic failed (unreachable while `totalSupply == Σ balances`).
        ArithmeticOverflow {},
        /// The name or symbol is longer than 31 bytes.
        StringTooLong { length, max },
        /// The constructor's tax rate is above the hard maximum.
        TaxRateTooHigh { max_bps, requested_bps },
        /// Governance tried to end the exemption of the treasury or the governance.
        ExemptByRole { account },
    }
}

/// The agent token's state.
#[storage]
#[entrypoint]
pub struct AgentToken {
    /// Sum of all balances.
    total_supply: StorageU256,
    /// Balance of each account.
    balances: StorageMap<Address, StorageU256>,
    /// `allowances[owner][spender]`: how much `spender` may move for `owner`.
    allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Next EIP-2612 nonce of each owner.
    nonces: StorageMap<Address, StorageU256>,
    /// Receiver of the tax. Packed with the two tax settings below into one slot, so a transfer
    /// reads its whole tax configuration with one storage load.
    treasury: StorageAddress,
    /// Current tax in basis points, at most [`MAX_TAX_BPS`], never raised.
    tax_bps: StorageU16,
    /// True: only transfers from or to a registered pool are taxed.
    pools_only_tax: StorageBool,
    /// Why each account is tax-exempt: a set of [`exemption`] bits (granted by governance, the
    /// treasury role, the governance role); exempt while any bit is set. An account exempted by
    /// governance before roles were tracked holds the `GRANTED` bit (a stored `true`).
    tax_exempt: StorageMap<Address, StorageU8>,
    /// Registered trading pools (relevant when `pools_only_tax`).
    pools: StorageMap<Address, StorageBool>,
    /// Token name, at most 31 bytes, packed (also the EIP-712 domain name).
    name: StorageB256,
    /// Token symbol, at most 31 bytes, packed.
    symbol: StorageB256,
    /// Two-step governance role.
    governance: Governance,
}

#[public]
impl AgentToken {
    /// Creates the token, mints `initial_supply` to `initial_holder`, sets the tax to `tax_bps`
    /// paid to `treasury`, and exempts `treasury` and `governance` from it (role exemptions).
    ///
    /// # Arguments
    /// * `name`, `symbol` - token metadata, at most 31 bytes each (the name is also the EIP-712
    ///   domain name).
    /// * `initial_supply` - tokens minted once, in base units.
    /// * `initial_holder` - receiver of the initial supply.
    /// * `treasury` - receiver of the tax.
    /// * `governance` - account allowed to administer the tax (the SubDAO).
    /// * `tax_bps` - the initial transfer tax in basis points, at most [`MAX_TAX_BPS`] (1%); it
    ///   can only be lowered afterwards.
    ///
    /// # Errors
    /// [`ERC20InvalidReceiver`] if `initial_holder` is zero; [`ZeroAddress`] if `treasury` or
    /// `governance` is zero; [`StringTooLong`] if `name` or `symbol` exceeds 31 bytes;
    /// [`TaxRateTooHigh`] if `tax_bps` exceeds [`MAX_TAX_BPS`].
    ///
    /// # Events
    /// `GovernanceTransferred`, [`TreasuryChanged`], [`TaxExemptionSet`] (twice) and [`Transfer`]
    /// from zero (the mint).
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        name: String,
        symbol: String,
        initial_supply: U256,
        initial_holder: Address,
        treasury: Address,
        governance: Address,
        tax_bps: u16,
    ) -> Result<(), Error> {
        if tax_bps > MAX_TAX_BPS {
            return Err(TaxRateTooHigh {
                max_bps: MAX_TAX_BPS,
                requested_bps: tax_bps,
            }
            .into());
        }
        if initial_holder.is_zero() {
            return Err(ERC20InvalidReceiver {
                receiver: Address::ZERO,
            }
            .into());
        }
        if treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let name = short_string::pack::<Error>(&name)?;
        let symbol = short_string::pack::<Error>(&symbol)?;
        self.governance.init::<Error>(governance)?;
        self.name.set(name);
        self.symbol.set(symbol);
        self.store_tax_bps(tax_bps);
        self.set_treasury_unchecked(treasury);
        self.move_role_exemption(exemption::GOVERNANCE, Address::ZERO, governance);
        self.mint(initial_holder, initial_supply);
        Ok(())
    }

    // ----- ERC-20 -----

    /// Moves `value` of the caller's tokens to `to`; a taxed transfer delivers `value - tax`.
    ///
    /// # Arguments
    /// * `to` - recipient.
    /// * `value` - amount debited from the caller, tax included.
    ///
    /// # Errors
    /// [`ERC20InvalidReceiver`] if `to` is zero; [`ERC20InsufficientBalance`] if the caller holds
    /// less than `value`.
    ///
    /// # Events
    /// [`Transfer`] of the net amount; if taxed also [`Transfer`] to the treasury and
    /// [`TaxCharged`].
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        let from = self.vm().msg_sender();
        self.transfer_checked(from, to, value)?;
        Ok(true)
    }

    /// Moves `value` of `from`'s tokens to `to` using the caller's allowance (spent in full,
    /// tax included; an allowance of `U256::MAX` is never decreased).
    ///
    /// # Arguments
    /// * `from` - owner of the tokens.
    /// * `to` - recipient.
    /// * `value` - amount debited from `from`, tax included.
    ///
    /// # Errors
    /// [`ERC20InsufficientAllowance`], then [`ERC20InvalidSender`], [`ERC20InvalidReceiver`],
    /// [`ERC20InsufficientBalance`].
    ///
    /// # Events
    /// As [`transfer`](Self::transfer).
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        let spender = self.vm().msg_sender();
        let remaining = self.allowance_after(from, spender, value)?;
        self.transfer_checked(from, to, value)?;
        self.store_allowance(from, spender, remaining);
        Ok(true)
    }

    /// Lets `spender` move up to `value` of the caller's tokens (replacing any allowance).
    ///
    /// # Arguments
    /// * `spender` - account allowed to spend.
    /// * `value` - the new allowance; `U256::MAX` means unlimited.
    ///
    /// # Errors
    /// [`ERC20InvalidSpender`] if `spender` is zero.
    ///
    /// # Events
    /// [`Approval`].
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        let owner = self.vm().msg_sender();
        self.approve_checked(owner, spender, value)?;
        Ok(true)
    }

    /// Destroys `value` of the caller's tokens (untaxed).
    ///
    /// # Arguments
    /// * `value` - amount to burn.
    ///
    /// # Errors
    /// [`ERC20InsufficientBalance`] if the caller holds less than `value`.
    ///
    /// # Events
    /// [`Transfer`] to the zero address.
    pub fn burn(&mut self, value: U256) -> Result<(), Error> {
        let owner = self.vm().msg_sender();
        self.burn_checked(owner, value)
    }

    /// Destroys `value` of `account`'s tokens using the caller's allowance (untaxed).
    ///
    /// # Arguments
    /// * `account` - owner of the tokens.
    /// * `value` - amount to burn.
    ///
    /// # Errors
    /// [`ERC20InsufficientAllowance`], then [`ERC20InsufficientBalance`].
    ///
    /// # Events
    /// [`Transfer`] to the zero address.
    pub fn burn_from(&mut self, account: Address, value: U256) -> Result<(), Error> {
        let spender = self.vm().msg_sender();
        let remaining = self.allowance_after(account, spender, value)?;
        self.burn_checked(account, value)?;
        self.store_allowance(account, spender, remaining);
        Ok(())
    }

    // ----- EIP-2612 -----

    /// Sets `owner`'s allowance for `spender` to `value` from `owner`'s EIP-712 signature of
    /// `Permit(owner, spender, value, nonces(owner), deadline)`, and uses up that nonce.
    ///
    /// # Arguments
    /// * `owner`, `spender`, `value`, `deadline` - the signed permit (`deadline` is a timestamp,
    ///   inclusive).
    /// * `v`, `r`, `s` - the owner's secp256k1 signature.
    ///
    /// # Errors
    /// [`ERC2612ExpiredSignature`] after the deadline; [`ERC20InvalidApprover`] /
    /// [`ERC20InvalidSpender`] for a zero owner / spender; [`ECDSAInvalidSignatureS`] for a high
    /// `s`; [`ECDSAInvalidSignature`] if nothing is recovered; [`ERC2612InvalidSigner`] if the
    /// signer is not `owner` (also for a replayed permit, whose nonce is spent).
    ///
    /// # Events
    /// [`Approval`].
    #[allow(clippy::too_many_arguments)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        self.permit_checked(owner, spender, value, deadline, v, r, s)
    }

    /// The next permit nonce of `owner`.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// The EIP-712 domain separator: name, version "1", the current chain id, this contract.
    #[selector(name = "DOMAIN_SEPARATOR")]
    pub fn domain_separator(&self) -> B256 {
        self.current_domain_separator()
    }

    // ----- governance: tax administration -----

    /// Lowers the transfer tax to `new_bps`.
    ///
    /// # Arguments
    /// * `new_bps` - the new rate, strictly below the current one.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance; [`TaxRateNotLowered`] if `new_bps` is not
    /// below the current rate.
    ///
    /// # Events
    /// [`TaxRateLowered`].
    pub fn lower_tax_rate(&mut self, new_bps: u16) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        let current = self.tax_bps();
        if new_bps >= current {
            return Err(TaxRateNotLowered {
                current_bps: current,
                requested_bps: new_bps,
            }
            .into());
        }
        self.store_tax_bps(new_bps);
        TaxRateLowered {
            previous_bps: current,
            new_bps,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Sends future tax to `new_treasury` and exempts it (a taxed transfer to the treasury
    /// would only pay the treasury). The old treasury loses its role exemption (it stays exempt
    /// if it is the governance or was exempted by [`set_tax_exempt`](Self::set_tax_exempt)).
    ///
    /// # Arguments
    /// * `new_treasury` - the new tax receiver.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance; [`ZeroAddress`] if `new_treasury` is zero.
    ///
    /// # Events
    /// [`TreasuryChanged`], [`TaxExemptionSet`] for each account whose exemption changed.
    pub fn set_treasury(&mut self, new_treasury: Address) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        if new_treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.set_treasury_unchecked(new_treasury);
        Ok(())
    }

    /// Exempts `account` from the tax or ends the exemption governance granted it.
    ///
    /// # Arguments
    /// * `account` - the account.
    /// * `exempt` - true to exempt.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance; [`ZeroAddress`] if `account` is zero;
    /// [`ExemptByRole`] when ending the exemption of the treasury or the governance.
    ///
    /// # Events
    /// [`TaxExemptionSet`] with the account's exemption afterwards (also when unchanged, as an
    /// audit trail).
    pub fn set_tax_exempt(&mut self, account: Address, exempt: bool) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        if account.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if !exempt && self.exemption_bits(account) & exemption::ROLES != 0 {
            return Err(ExemptByRole { account }.into());
        }
        let (exempt, _) = self.update_exemption(account, exemption::GRANTED, exempt);
        TaxExemptionSet { account, exempt }.emit(self.vm());
        Ok(())
    }

    /// Registers `pool` as a trading pool or removes it.
    ///
    /// # Arguments
    /// * `pool` - the pool's address.
    /// * `enabled` - true to register.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance; [`ZeroAddress`] if `pool` is zero.
    ///
    /// # Events
    /// [`PoolSet`].
    pub fn set_pool(&mut self, pool: Address, enabled: bool) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        if pool.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.pools.setter(pool).set(enabled);
        PoolSet { pool, enabled }.emit(self.vm());
        Ok(())
    }

    /// Chooses the tax scope: only transfers from or to a registered pool, or every transfer.
    ///
    /// # Arguments
    /// * `pools_only` - true for the pool-only scope.
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance.
    ///
    /// # Events
    /// [`TaxScopeSet`].
    pub fn set_pools_only_tax(&mut self, pools_only: bool) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.pools_only_tax.set(pools_only);
        TaxScopeSet { pools_only }.emit(self.vm());
        Ok(())
    }

    // ----- governance handover -----

    /// Nominates `successor` as governance (zero cancels a pending nomination).
    ///
    /// # Arguments
    /// * `successor` - the nominee, who must call [`accept_governance`](Self::accept_governance).
    ///
    /// # Errors
    /// [`Unauthorized`] unless called by governance.
    ///
    /// # Events
    /// `GovernanceTransferStarted`.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer::<Error>(caller, successor)
    }

    /// Completes a handover: the nominee becomes governance, takes over the governance role's
    /// tax exemption, and the previous governance loses it (it stays exempt if it is the
    /// treasury or was exempted by [`set_tax_exempt`](Self::set_tax_exempt)).
    ///
    /// # Errors
    /// [`NotPendingGovernance`] unless called by the nominee.
    ///
    /// # Events
    /// `GovernanceTransferred`, [`TaxExemptionSet`] for each account whose exemption changed.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        let previous = self.governance.get();
        self.governance.accept::<Error>(caller)?;
        self.move_role_exemption(exemption::GOVERNANCE, previous, caller);
        Ok(())
    }

    // ----- views -----

    /// Token name.
    pub fn name(&self) -> String {
        short_string::unpack(&self.name.get())
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        short_string::unpack(&self.symbol.get())
    }

    /// Decimals: 18.
    pub fn decimals(&self) -> u8 {
        DECIMALS
    }

    /// Tokens in existence.
    pub fn total_supply(&self) -> U256 {
        self.total_supply.get()
    }

    /// Balance of `account`.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// How much `spender` may still move for `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Current transfer tax in basis points.
    pub fn tax_bps(&self) -> u16 {
        self.current_tax_bps()
    }

    /// Receiver of the tax.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// Whether transfers from or to `account` are untaxed (by role or by governance's grant).
    pub fn is_tax_exempt(&self, account: Address) -> bool {
        self.exemption_bits(account) != 0
    }

    /// Whether `account` is a registered pool.
    pub fn is_pool(&self, account: Address) -> bool {
        self.pools.get(account)
    }

    /// Whether only transfers from or to a pool are taxed.
    pub fn pools_only_tax(&self) -> bool {
        self.pools_only_tax.get()
    }

    /// The tax a transfer of `value` from `from` to `to` would pay now.
    ///
    /// # Errors
    /// [`ArithmeticOverflow`], unreachable (kept for a panic-free contract).
    pub fn quote_tax(&self, from: Address, to: Address, value: U256) -> Result<U256, Error> {
        self.tax_for(from, to, value)
    }

    /// The governance account.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// The nominated successor of the governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Version of this contract (semver).
    pub fn version(&self) -> String {
        String::from(env!("CARGO_PKG_VERSION"))
    }
}
