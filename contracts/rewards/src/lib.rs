#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Rewards, core program: the address funders, validators and model owners call.
//!
//! Funds (agent tokens) come in through `fund`; each epoch (`closeEpoch`) pays validators by
//! stake times validation quality (claimed per validator into the staking vault, where
//! delegators get their part after the validator's commission), the champion's owner and the
//! nominated top models by rank, and one-time impact rewards to accepted datasets and new
//! champions; validators whose agreement stays low can be jailed by anyone. The state, the
//! logic and the reasons behind them are in the `rewards-state` crate ([`State`]).
//!
//! Like the vault, the program is split in two sharing one storage layout: this core holds the
//! money paths (`fund`, `closeEpoch`, `claimValidatorReward` and its `validatorReward` preview,
//! `claim`, `sweep`); every other selector falls through to the `#[fallback]`, which
//! delegate-calls the extension program (`rewards-ext`: nominations, dataset rewards, the
//! low-agreement jail, governance and views) given at construction.
extern crate alloc;

#[cfg(test)]
mod tests;

#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{Address, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::ArbResult;

pub use rewards_state::{Error, Rewards as State, ValidatorReward};

/// The rewards core program.
#[storage]
#[entrypoint]
pub struct Rewards {
    /// All of the program's state (shared with the extension program).
    rewards: State,
}

#[public]
impl Rewards {
    /// Deploys the program. See [`State::init`].
    ///
    /// # Arguments
    /// * `governance` - the SubDAO (or a deployer that hands over).
    /// * `token` - the agent token; `vault` - the staking vault; `ledger` - the Elo ledger.
    /// * `extension` - the deployed `rewards-ext` program.
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
        extension: Address,
    ) -> Result<(), Error> {
        self.rewards
            .init(governance, token, vault, ledger, extension)
    }

    /// Pulls `amount` agent tokens into the reserve; returns the amount received.
    /// See [`State::fund`] for errors and events.
    pub fn fund(&mut self, amount: U256) -> Result<U256, Error> {
        self.rewards.fund(amount)
    }

    /// Closes the open epoch once it is over; returns its number.
    /// See [`State::close_epoch`] for errors and events.
    pub fn close_epoch(&mut self) -> Result<U256, Error> {
        self.rewards.close_epoch()
    }

    /// Pays `validator`'s share of epoch `epoch` into its vault pool; returns the amount.
    /// See [`State::claim_validator_reward`] for errors and events.
    pub fn claim_validator_reward(
        &mut self,
        epoch: U256,
        validator: Address,
    ) -> Result<U256, Error> {
        self.rewards.claim_validator_reward(epoch, validator)
    }

    /// Returns epoch `epoch`'s unclaimed validator pot to the reserve after its claim window.
    /// See [`State::sweep`] for errors and events.
    pub fn sweep(&mut self, epoch: U256) -> Result<U256, Error> {
        self.rewards.sweep(epoch)
    }

    /// Pays the caller its credits; returns the amount.
    /// See [`State::claim`] for errors and events.
    pub fn claim(&mut self) -> Result<U256, Error> {
        self.rewards.claim()
    }

    /// What `validator`'s claim for `epoch` would pay now: amount, stake, quality.
    /// See [`State::validator_reward`] for errors.
    pub fn validator_reward(
        &self,
        epoch: U256,
        validator: Address,
    ) -> Result<ValidatorReward, Error> {
        self.rewards.validator_reward(epoch, validator)
    }

    /// Forwards any other call (the complete calldata) to the extension program by delegate
    /// call and returns its return data, or reverts with its revert data.
    ///
    /// # Errors
    /// Whatever the extension reverts with.
    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        let extension = self.rewards.extension();
        agentdao_common::extension::forward(self, extension, calldata)
    }
}
