#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Staking vault, extension program: validator registry, governance functions and the rich
//! views. It is never called at its own address: the core program (`staking-vault`) forwards
//! every selector it does not know here by delegate call, so this code runs in the core's
//! storage ([`Vault`], the only field of both programs) with the original `msg.sender`.
//!
//! At its own address the storage is empty: every function first checks that the core's
//! constructor-set extension address is present and otherwise reverts with `NotDelegated`
//! (`agentdao_common::extension`), so nobody can initialise or use a stand-alone copy.
//! Behaviour, errors and events are documented on the [`Vault`] methods each function calls;
//! every function can additionally fail with `NotDelegated`.
extern crate alloc;

#[cfg(test)]
mod tests;

use agentdao_common::raw_bytes::RawBytes;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{aliases::U48, Address, FixedBytes, U256};
use stylus_sdk::prelude::*;

pub use staking_vault_state::{Error, Vault};

/// The staking vault's extension program.
#[storage]
#[entrypoint]
pub struct StakingVaultExtension {
    /// All of the vault's state (the core's, when delegate-called).
    vault: Vault,
}

/// Tuple returned by `validatorInfo`.
type ValidatorInfo = (bool, bool, U256, U256, U256, U256, U256, U256);

#[public]
impl StakingVaultExtension {
    // ----- validators -----

    /// Registers the caller as a validator with `commission_bps` and a metadata URI (logged).
    /// See [`Vault::register_validator`] for errors and events.
    pub fn register_validator(
        &mut self,
        commission_bps: U256,
        metadata_uri: RawBytes,
    ) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.register_validator(commission_bps, metadata_uri)
    }

    /// Announces a commission change of the caller to `new_bps`.
    /// See [`Vault::announce_commission`] for errors and events.
    pub fn announce_commission(&mut self, new_bps: U256) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.announce_commission(new_bps)
    }

    /// Removes the caller (without stake left) from the registry.
    /// See [`Vault::deregister_validator`] for errors and events.
    pub fn deregister_validator(&mut self) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.deregister_validator()
    }

    // ----- governance -----

    /// Slashes `bps` of `validator`'s stake to the treasury, logging `reason_hash`.
    /// See [`Vault::slash`] for errors and events.
    pub fn slash(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.slash(validator, bps, reason_hash)
    }

    /// Slashes and jails `validator` in one call.
    /// See [`Vault::slash_and_jail`] for errors and events.
    pub fn slash_and_jail(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.slash_and_jail(validator, bps, reason_hash)
    }

    /// Jails `validator`. See [`Vault::jail`] for errors and events.
    pub fn jail(&mut self, validator: Address) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.jail(validator)
    }

    /// Releases `validator` from jail. See [`Vault::unjail`] for errors and events.
    pub fn unjail(&mut self, validator: Address) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.unjail(validator)
    }

    /// Nominates `successor` as governance (step one of two).
    /// See [`Vault::transfer_governance`] for errors and events.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.transfer_governance(successor)
    }

    /// Accepts a governance nomination (step two of two).
    /// See [`Vault::accept_governance`] for errors and events.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.vault.require_delegated()?;
        self.vault.accept_governance()
    }

    // ----- views -----

    /// The extension program the core forwards to (read through the core: the address the
    /// core's constructor stored).
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn extension(&self) -> Result<Address, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.extension())
    }

    /// Current governance.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn governance(&self) -> Result<Address, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.governance())
    }

    /// The account that may jail and unjail validators besides governance (the rewards
    /// program; zero for none). See [`Vault::jailer`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn jailer(&self) -> Result<Address, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.jailer())
    }

    /// Rewards `account` could claim now (settled plus accrued); an `eth_call` of
    /// `claimRewards` from the account previews the same amount.
    /// See [`Vault::pending_rewards`] for errors.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn pending_rewards(&self, account: Address) -> Result<U256, Error> {
        self.vault.require_delegated()?;
        self.vault.pending_rewards(account)
    }

    /// Nominated governance, zero if none.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn pending_governance(&self) -> Result<Address, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.pending_governance())
    }

    /// ERC-6372 clock: the block timestamp (the vote views' timepoints are in its seconds).
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn clock(&self) -> Result<U48, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.clock())
    }

    /// ERC-6372 clock mode (`mode=timestamp`).
    ///
    /// # Errors
    /// `NotDelegated`.
    #[selector(name = "CLOCK_MODE")]
    pub fn clock_mode(&self) -> Result<String, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.clock_mode())
    }

    /// Semantic version.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn version(&self) -> Result<String, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.version())
    }

    /// LP token, reward token, treasury, unbonding period, maximum commission and maximum
    /// slash. See [`Vault::parameters`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn parameters(&self) -> Result<(Address, Address, Address, U256, U256, U256), Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.parameters())
    }

    /// Whether `validator` is registered and not jailed.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn is_validator(&self, validator: Address) -> Result<bool, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.is_validator(validator))
    }

    /// Current total voting power.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn get_total_votes(&self) -> Result<U256, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.get_total_votes())
    }

    /// All registered validators (jailed ones included).
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn validators(&self) -> Result<Vec<Address>, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.validators())
    }

    /// Registry and pool data of `validator`. See [`Vault::validator_info`].
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn validator_info(&self, validator: Address) -> Result<ValidatorInfo, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.validator_info(validator))
    }

    /// `account`'s bonded shares with `validator` and their LP value.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn stake_of(&self, account: Address, validator: Address) -> Result<(U256, U256), Error> {
        self.vault.require_delegated()?;
        self.vault.stake_of(account, validator)
    }

    /// The validators `account` is bonded with and the LP value of each delegation.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn delegations_of(&self, account: Address) -> Result<(Vec<Address>, Vec<U256>), Error> {
        self.vault.require_delegated()?;
        self.vault.delegations_of(account)
    }

    /// Ids of every unbonding entry `account` created.
    ///
    /// # Errors
    /// `NotDelegated`.
    pub fn unbonding_entries_of(&self, account: Address) -> Result<Vec<U256>, Error> {
        self.vault.require_delegated()?;
        Ok(self.vault.unbonding_entries_of(account))
    }

    /// Entry `entry_id`: owner, validator, current LP value, maturity, withdrawn.
    ///
    /// # Errors
    /// `NotDelegated`, `UnknownEntry`.
    pub fn unbonding_entry(
        &self,
        entry_id: U256,
    ) -> Result<(Address, Address, U256, U256, bool), Error> {
        self.vault.require_delegated()?;
        self.vault.unbonding_entry(entry_id)
    }
}
