#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Rewards program: epoch rewards that follow the quality of the work.
//!
//! Funds (agent tokens) come in through `fund`; each epoch (`closeEpoch`) pays validators by
//! stake times validation quality (claimed per validator into the staking vault, where
//! delegators get their part after the validator's commission), the champion's owner and the
//! nominated top models by rank, and one-time impact rewards to accepted datasets and new
//! champions; validators whose agreement stays low can be jailed by anyone. The state, the
//! logic and the reasons behind them are in the `rewards-state` crate ([`Rewards`]); this
//! program is its ABI.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, U256};
use stylus_sdk::prelude::*;

pub use rewards_state::{EpochInfo, Error, Rewards, ValidatorReward};

/// The rewards program.
#[storage]
#[entrypoint]
pub struct RewardsProgram {
    /// All of the program's state.
    rewards: Rewards,
}

#[public]
impl RewardsProgram {
    /// Deploys the program. See [`Rewards::init`].
    ///
    /// # Arguments
    /// * `governance` - the SubDAO (or a deployer that hands over).
    /// * `token` - the agent token; `vault` - the staking vault; `ledger` - the Elo ledger.
    ///
    /// # Errors
    /// `ZeroAddress`.
    ///
    /// # Events
    /// `GovernanceTransferred`, `ParamsUpdated`.
    #[constructor]
    pub fn constructor(
        &mut self,
        governance: Address,
        token: Address,
        vault: Address,
        ledger: Address,
    ) -> Result<(), Error> {
        self.rewards.init(governance, token, vault, ledger)
    }

    /// Pulls `amount` agent tokens into the reserve; returns the amount received.
    /// See [`Rewards::fund`] for errors and events.
    pub fn fund(&mut self, amount: U256) -> Result<U256, Error> {
        self.rewards.fund(amount)
    }

    /// Closes the open epoch once it is over; returns its number.
    /// See [`Rewards::close_epoch`] for errors and events.
    pub fn close_epoch(&mut self) -> Result<U256, Error> {
        self.rewards.close_epoch()
    }

    /// Pays `validator`'s share of epoch `epoch` into its vault pool; returns the amount.
    /// See [`Rewards::claim_validator_reward`] for errors and events.
    pub fn claim_validator_reward(
        &mut self,
        epoch: U256,
        validator: Address,
    ) -> Result<U256, Error> {
        self.rewards.claim_validator_reward(epoch, validator)
    }

    /// Returns epoch `epoch`'s unclaimed validator pot to the reserve after its claim window.
    /// See [`Rewards::sweep`] for errors and events.
    pub fn sweep(&mut self, epoch: U256) -> Result<U256, Error> {
        self.rewards.sweep(epoch)
    }

    /// Nominates `model_id` for the ranked model rewards.
    /// See [`Rewards::nominate`] for errors and events.
    pub fn nominate(&mut self, model_id: U256) -> Result<(), Error> {
        self.rewards.nominate(model_id)
    }

    /// Credits accepted dataset `dataset_id`'s contributor once for its impact.
    /// See [`Rewards::reward_dataset`] for errors and events.
    pub fn reward_dataset(&mut self, dataset_id: U256) -> Result<U256, Error> {
        self.rewards.reward_dataset(dataset_id)
    }

    /// Pays the caller its credits; returns the amount.
    /// See [`Rewards::claim`] for errors and events.
    pub fn claim(&mut self) -> Result<U256, Error> {
        self.rewards.claim()
    }

    /// Jails `validator` for an agreement below the threshold since `since`.
    /// See [`Rewards::jail_low_agreement`] for errors and events.
    pub fn jail_low_agreement(&mut self, validator: Address, since: U256) -> Result<(), Error> {
        self.rewards.jail_low_agreement(validator, since)
    }

    /// Releases `validator` from a low-agreement jail after its cool-down.
    /// See [`Rewards::release_from_jail`] for errors and events.
    pub fn release_from_jail(&mut self, validator: Address) -> Result<(), Error> {
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
        self.rewards
            .set_emission(per_epoch, halving_epochs, bonus_per_elo, bonus_cap)
    }

    /// Nominates a new governance. See [`Rewards::transfer_governance`].
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        self.rewards.transfer_governance(successor)
    }

    /// Accepts a governance nomination. See [`Rewards::accept_governance`].
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        self.rewards.accept_governance()
    }

    /// What `validator`'s claim for `epoch` would pay now: amount, stake, quality.
    /// See [`Rewards::validator_reward`] for errors.
    pub fn validator_reward(
        &self,
        epoch: U256,
        validator: Address,
    ) -> Result<ValidatorReward, Error> {
        self.rewards.validator_reward(epoch, validator)
    }

    /// Every parameter, in `setParams` order.
    pub fn params(&self) -> [u64; 9] {
        self.rewards.params()
    }

    /// The emission programme and one-time rewards, in `setEmission` order.
    pub fn emission(&self) -> (U256, u64, U256, U256) {
        self.rewards.emission()
    }

    /// The open epoch: number, start, earliest close.
    pub fn current_epoch(&self) -> (U256, U256, U256) {
        self.rewards.current_epoch()
    }

    /// A closed epoch. See [`Rewards::epoch_info`].
    pub fn epoch_info(&self, epoch: U256) -> Result<EpochInfo, Error> {
        self.rewards.epoch_info(epoch)
    }

    /// Funded, paid, claimable, reserve.
    pub fn totals(&self) -> (U256, U256, U256, U256) {
        self.rewards.totals()
    }

    /// Credits `account` can claim.
    pub fn owed(&self, account: Address) -> U256 {
        self.rewards.owed(account)
    }

    /// The nominated model ids.
    pub fn nominated(&self) -> Vec<U256> {
        self.rewards.nominated()
    }

    /// When `validator` was jailed by this program (zero if not) and last released.
    pub fn jail_of(&self, validator: Address) -> (U256, U256) {
        self.rewards.jail_of(validator)
    }

    /// Reward token, staking vault, Elo ledger.
    pub fn contracts(&self) -> (Address, Address, Address) {
        self.rewards.contracts()
    }

    /// Current governance.
    pub fn governance(&self) -> Address {
        self.rewards.governance()
    }

    /// Nominated governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.rewards.pending_governance()
    }

    /// Semantic version.
    pub fn version(&self) -> String {
        self.rewards.version()
    }
}
