#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Staking vault, core program: the address users and the SubDAO call.
//!
//! The vault is larger than one Stylus program may be, so it runs as two programs sharing one
//! storage layout ([`Vault`], from `staking-vault-state`, is the only field of both):
//! - this core program holds the hot paths: staking, redelegation, unbonding, withdrawal,
//!   rewards and the ERC-5805 vote views, plus `setParameters` (its checks are here for the
//!   constructor anyway);
//! - every other selector falls through to the `#[fallback]`, which delegate-calls the
//!   extension program (`staking-vault-ext`: validator registry, jail, governance, rich
//!   views such as `pendingRewards`, the ERC-6372 clock) given
//!   at construction. The extension runs in this program's storage with the caller's
//!   `msg.sender`; its return or revert data is passed back unchanged
//!   (`agentdao_common::extension::forward`).
//!
//! Callers see one contract whose ABI (`abi/IStakingVault.sol`) is the union of both programs.
//! Behaviour, errors and events are documented on the [`Vault`] methods each function calls.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

pub use staking_vault_state::{Error, Vault};

/// The staking vault's core program.
#[storage]
#[entrypoint]
pub struct StakingVault {
    /// All of the vault's state (shared with the extension program).
    vault: Vault,
}

#[public]
impl StakingVault {
    /// Deploys the vault. See [`Vault::init`].
    ///
    /// # Arguments
    /// * `lp_token`, `reward_token`, `governance`, `treasury`, `unbonding_period`,
    ///   `max_commission_bps` - see [`Vault::init`].
    /// * `extension` - the deployed `staking-vault-ext` program.
    ///
    /// # Errors
    /// `ZeroAddress` (also for a zero `extension`), `IdenticalTokens`,
    /// `UnbondingPeriodOutOfRange`, `BpsOutOfRange`.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParametersUpdated`.
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        lp_token: Address,
        reward_token: Address,
        governance: Address,
        treasury: Address,
        unbonding_period: U256,
        max_commission_bps: U256,
        extension: Address,
    ) -> Result<(), Error> {
        self.vault.init(
            lp_token,
            reward_token,
            governance,
            treasury,
            unbonding_period,
            max_commission_bps,
            extension,
        )
    }

    /// Stakes `amount` LP with `validator`; returns the pool shares minted.
    /// See [`Vault::stake`] for errors and events.
    pub fn stake(&mut self, validator: Address, amount: U256) -> Result<U256, Error> {
        self.vault.stake(validator, amount)
    }

    /// Moves `amount` of the caller's bonded stake from `from` to `to` through `from`'s
    /// unbonding queue; returns the entry id. See [`Vault::redelegate`] for errors and events.
    pub fn redelegate(&mut self, from: Address, to: Address, amount: U256) -> Result<U256, Error> {
        self.vault.redelegate(from, to, amount)
    }

    /// Unstakes `amount` LP value from `validator` into a new unbonding entry; returns its id.
    /// See [`Vault::unstake`] for errors and events.
    pub fn unstake(&mut self, validator: Address, amount: U256) -> Result<U256, Error> {
        self.vault.unstake(validator, amount)
    }

    /// Withdraws the caller's matured unbonding entry `entry_id`; returns the LP paid.
    /// See [`Vault::withdraw`] for errors and events.
    pub fn withdraw(&mut self, entry_id: U256) -> Result<U256, Error> {
        self.vault.withdraw(entry_id)
    }

    /// Pulls `amount` reward tokens and streams them by voting power.
    /// See [`Vault::notify_reward_amount`] for errors and events.
    pub fn notify_reward_amount(&mut self, amount: U256) -> Result<(), Error> {
        self.vault.notify_reward_amount(amount)
    }

    /// Sets every parameter at once (here rather than in the extension: the constructor's
    /// parameter checks are in this program already).
    /// See [`Vault::set_parameters`] for errors and events.
    pub fn set_parameters(
        &mut self,
        treasury: Address,
        unbonding_period: U256,
        max_commission_bps: U256,
        max_slash_bps: U256,
        jailer: Address,
    ) -> Result<(), Error> {
        self.vault.set_parameters(
            treasury,
            unbonding_period,
            max_commission_bps,
            max_slash_bps,
            jailer,
        )
    }

    /// Pulls `amount` reward tokens into `validator`'s pool at once (commission to the
    /// validator, the rest to its delegators).
    /// See [`Vault::notify_validator_reward`] for errors and events.
    pub fn notify_validator_reward(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        self.vault.notify_validator_reward(validator, amount)
    }

    /// Pays the caller's rewards; returns the amount paid.
    /// See [`Vault::claim_rewards`] for errors and events.
    pub fn claim_rewards(&mut self) -> Result<U256, Error> {
        self.vault.claim_rewards()
    }

    /// Current voting power of `validator`.
    pub fn get_votes(&self, validator: Address) -> U256 {
        self.vault.get_votes(validator)
    }

    /// Voting power of `validator` at the end of second `timepoint`.
    ///
    /// # Errors
    /// `ERC5805FutureLookup` unless `timepoint < clock()`.
    pub fn get_past_votes(&self, validator: Address, timepoint: U256) -> Result<U256, Error> {
        self.vault.get_past_votes(validator, timepoint)
    }

    /// Total voting power at the end of second `timepoint`.
    ///
    /// # Errors
    /// `ERC5805FutureLookup` unless `timepoint < clock()`.
    pub fn get_past_total_supply(&self, timepoint: U256) -> Result<U256, Error> {
        self.vault.get_past_total_supply(timepoint)
    }

    /// Forwards any other call (the complete calldata) to the extension program by delegate
    /// call and returns its return data, or reverts with its revert data.
    ///
    /// # Errors
    /// Whatever the extension reverts with.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let extension = self.vault.extension();
        agentdao_common::extension::forward(self, extension, calldata)
    }
}
