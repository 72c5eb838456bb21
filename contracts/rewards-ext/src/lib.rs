#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Rewards, extension program: nominations, dataset rewards, the low-agreement jail,
//! governance and the views. It is never called at its own address: the core program
//! (`rewards`) forwards every selector it does not know here by delegate call, so this code
//! runs in the core's storage ([`Rewards`], the only field of both programs) with the original
//! `msg.sender`; every function first checks that with `require_delegated` (`NotDelegated`).
//! Behaviour, errors and events are documented on the [`Rewards`] methods each function calls.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, U256};
use stylus_sdk::prelude::*;

pub use rewards_state::{EpochInfo, Error, Rewards};

/// The rewards extension program.
#[storage]
#[entrypoint]
pub struct RewardsExtension {
    /// All of the program's state (the core's, when delegate-called).
    rewards: Rewards,
}

#[public]
impl RewardsExtension {
    /// Nominates `model_id` for the ranked model rewards.
    /// See [`Rewards::nominate`] for errors and events.
    pub fn nominate(&mut self, model_id: U256) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards.nominate(model_id)
    }

    /// Credits accepted dataset `dataset_id`'s contributor once for its impact.
    /// See [`Rewards::reward_dataset`] for errors and events.
    pub fn reward_dataset(&mut self, dataset_id: U256) -> Result<U256, Error> {
        self.rewards.require_delegated()?;
        self.rewards.reward_dataset(dataset_id)
    }

    /// Jails `validator` for an agreement below the threshold since `since`.
    /// See [`Rewards::jail_low_agreement`] for errors and events.
    pub fn jail_low_agreement(&mut self, validator: Address, since: U256) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards.jail_low_agreement(validator, since)
    }

    /// Releases `validator` from a low-agreement jail after its cool-down.
    /// See [`Rewards::release_from_jail`] for errors and events.
    pub fn release_from_jail(&mut self, validator: Address) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards.release_from_jail(validator)
    }

    /// Sets every parameter (governance). See [`Rewards::set_params`] for the arguments,
    /// errors and events.
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
        self.rewards.require_delegated()?;
        self.rewards.set_params(
            epoch_length,
            validator_bps,
            champion_bps,
            top_n,
            participation_target,
            claim_epochs,
            agreement_threshold,
            low_agreement_sessions,
            jail_cooldown,
        )
    }

    /// Sets the emission programme and the one-time rewards (governance).
    /// See [`Rewards::set_emission`] for the arguments, errors and events.
    pub fn set_emission(
        &mut self,
        per_epoch: U256,
        halving_epochs: u64,
        bonus_per_elo: U256,
        bonus_cap: U256,
    ) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards
            .set_emission(per_epoch, halving_epochs, bonus_per_elo, bonus_cap)
    }

    /// Nominates a new governance. See [`Rewards::transfer_governance`].
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards.transfer_governance(successor)
    }

    /// Accepts a governance nomination. See [`Rewards::accept_governance`].
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.rewards.require_delegated()?;
        self.rewards.accept_governance()
    }

    /// Every parameter, in `setParams` order.
    pub fn params(&self) -> Result<[u64; 9], Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.params())
    }

    /// The emission programme and one-time rewards, in `setEmission` order.
    pub fn emission(&self) -> Result<(U256, u64, U256, U256), Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.emission())
    }

    /// The open epoch: number, start, earliest close.
    pub fn current_epoch(&self) -> Result<(U256, U256, U256), Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.current_epoch())
    }

    /// A closed epoch. See [`Rewards::epoch_info`].
    pub fn epoch_info(&self, epoch: U256) -> Result<EpochInfo, Error> {
        self.rewards.require_delegated()?;
        self.rewards.epoch_info(epoch)
    }

    /// Funded, paid, claimable, reserve.
    pub fn totals(&self) -> Result<(U256, U256, U256, U256), Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.totals())
    }

    /// Credits `account` can claim.
    pub fn owed(&self, account: Address) -> Result<U256, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.owed(account))
    }

    /// The nominated model ids.
    pub fn nominated(&self) -> Result<Vec<U256>, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.nominated())
    }

    /// When `validator` was jailed by this program (zero if not) and last released.
    pub fn jail_of(&self, validator: Address) -> Result<(U256, U256), Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.jail_of(validator))
    }

    /// Reward token, staking vault, Elo ledger.
    pub fn contracts(&self) -> Result<(Address, Address, Address), Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.contracts())
    }

    /// Current governance.
    pub fn governance(&self) -> Result<Address, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.governance())
    }

    /// Nominated governance, zero if none.
    pub fn pending_governance(&self) -> Result<Address, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.pending_governance())
    }

    /// Semantic version.
    pub fn version(&self) -> Result<String, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.version())
    }

    /// The extension program's address as the core stored it.
    pub fn extension(&self) -> Result<Address, Error> {
        self.rewards.require_delegated()?;
        Ok(self.rewards.extension())
    }
}
