//! The calls the rewards program makes: the reward token (ERC-20, through
//! `agentdao_common::token`), the staking vault (voting power, per-validator rewards, jail) and
//! the Elo ledger (validator records, champion, ratings, owners, datasets). Calldata is the
//! selector and one word per argument (`agentdao_common::revert::encode_words`), and a call
//! that reverts or returns too little becomes the callee's typed error.
use agentdao_common::revert::encode_words;
use agentdao_common::token;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::call::{call, static_call};
use stylus_sdk::function_selector;
use stylus_sdk::prelude::*;
use stylus_sdk::stylus_core::calls::Call;

use crate::math::Record;
use crate::sol::{LedgerCallFailed, TokenCallFailed, VaultCallFailed};
use crate::{Error, Rewards};

const GET_PAST_VOTES: [u8; 4] = function_selector!("getPastVotes", Address, U256);
const GET_PAST_TOTAL_SUPPLY: [u8; 4] = function_selector!("getPastTotalSupply", U256);
const NOTIFY_VALIDATOR_REWARD: [u8; 4] = function_selector!("notifyValidatorReward", Address, U256);
const JAIL: [u8; 4] = function_selector!("jail", Address);
const UNJAIL: [u8; 4] = function_selector!("unjail", Address);
const VALIDATOR_RECORD: [u8; 4] = function_selector!("validatorRecord", Address, U256);
const BATTLE_RECORDS: [u8; 4] = function_selector!("battleRecords");
const CHAMPION_MODEL: [u8; 4] = function_selector!("championModel");
const RATING_OF: [u8; 4] = function_selector!("ratingOf", U256);
const MODEL_OWNER: [u8; 4] = function_selector!("modelOwner", U256);
const DATASET_INFO: [u8; 4] = function_selector!("datasetInfo", U256);

/// The first `count` words of `output`, if it holds that many.
#[inline(never)]
fn words(output: &[u8], count: usize) -> Option<Vec<U256>> {
    if output.len() < 32 * count {
        return None;
    }
    Some(
        output
            .chunks_exact(32)
            .take(count)
            .map(U256::from_be_slice)
            .collect(),
    )
}

/// An address or integer argument word.
fn arg(value: U256) -> B256 {
    B256::from(value)
}

impl Rewards {
    /// A static call returning `count` words, or `None`.
    #[inline(never)]
    fn view(
        &self,
        target: Address,
        selector: [u8; 4],
        args: &[B256],
        count: usize,
    ) -> Option<Vec<U256>> {
        let output = static_call(
            self.vm(),
            Call::new(),
            target,
            &encode_words(selector, args),
        )
        .ok()?;
        words(&output, count)
    }

    /// A state-changing call; `Some(return data)` on success.
    #[inline(never)]
    fn send(&mut self, target: Address, selector: [u8; 4], args: &[B256]) -> Option<Vec<u8>> {
        let data = encode_words(selector, args);
        let context = Call::new_mutating(self);
        call(self.vm(), context, target, &data).ok()
    }

    // ----- token -----

    fn token_error(&self) -> Error {
        TokenCallFailed {
            token: self.token.get(),
        }
        .into()
    }

    /// The program's balance of the reward token.
    fn token_balance(&self) -> Result<U256, Error> {
        token::balance_of(self, self.token.get(), self.vm().contract_address())
            .ok_or_else(|| self.token_error())
    }

    /// Fails with [`TokenCallFailed`] unless a token call's answer was accepted.
    fn token_ok(&self, accepted: bool) -> Result<(), Error> {
        if accepted {
            Ok(())
        } else {
            Err(self.token_error())
        }
    }

    /// Pulls `amount` from `from` and returns the balance delta received (non-zero).
    pub(crate) fn pull(&mut self, from: Address, amount: U256) -> Result<U256, Error> {
        let before = self.token_balance()?;
        let this = self.vm().contract_address();
        let accepted = token::transfer_from(self, self.token.get(), from, this, amount);
        self.token_ok(accepted)?;
        let after = self.token_balance()?;
        after
            .checked_sub(before)
            .filter(|received| !received.is_zero())
            .ok_or_else(|| self.token_error())
    }

    /// Pays `amount` to `to`.
    pub(crate) fn pay(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        let accepted = token::transfer(self, self.token.get(), to, amount);
        self.token_ok(accepted)
    }

    // ----- vault -----

    fn vault_error(&self) -> Error {
        VaultCallFailed {
            vault: self.vault.get(),
        }
        .into()
    }

    /// `validator`'s voting power at the end of second `time`.
    pub(crate) fn past_votes(&self, validator: Address, time: u64) -> Result<U256, Error> {
        let args = [validator.into_word(), arg(U256::from(time))];
        self.view(self.vault.get(), GET_PAST_VOTES, &args, 1)
            .map(|w| w[0])
            .ok_or_else(|| self.vault_error())
    }

    /// Total voting power at the end of second `time`.
    pub(crate) fn past_total_stake(&self, time: u64) -> Result<U256, Error> {
        let args = [arg(U256::from(time))];
        self.view(self.vault.get(), GET_PAST_TOTAL_SUPPLY, &args, 1)
            .map(|w| w[0])
            .ok_or_else(|| self.vault_error())
    }

    /// Approves the vault for `amount` and has it pull them into `validator`'s pool.
    pub(crate) fn reward_in_vault(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let vault = self.vault.get();
        let accepted = token::approve(self, self.token.get(), vault, amount);
        self.token_ok(accepted)?;
        self.send(
            vault,
            NOTIFY_VALIDATOR_REWARD,
            &[validator.into_word(), arg(amount)],
        )
        .map(|_| ())
        .ok_or_else(|| self.vault_error())
    }

    /// Jails (`true`) or releases `validator` in the vault.
    pub(crate) fn set_jailed_in_vault(
        &mut self,
        validator: Address,
        jailed: bool,
    ) -> Result<(), Error> {
        let selector = if jailed { JAIL } else { UNJAIL };
        self.send(self.vault.get(), selector, &[validator.into_word()])
            .map(|_| ())
            .ok_or_else(|| self.vault_error())
    }

    // ----- ledger -----

    fn ledger_error(&self) -> Error {
        LedgerCallFailed {
            ledger: self.ledger.get(),
        }
        .into()
    }

    /// A ledger view returning `count` words.
    fn ledger_view(
        &self,
        selector: [u8; 4],
        args: &[B256],
        count: usize,
    ) -> Result<Vec<U256>, Error> {
        self.view(self.ledger.get(), selector, args, count)
            .ok_or_else(|| self.ledger_error())
    }

    /// `validator`'s record at the end of second `time` (zero: the latest).
    pub(crate) fn record(&self, validator: Address, time: u64) -> Result<Record, Error> {
        let w = self.ledger_view(
            VALIDATOR_RECORD,
            &[validator.into_word(), arg(U256::from(time))],
            4,
        )?;
        let small = |x: U256| x.saturating_to::<u64>();
        Ok(Record {
            committed: small(w[0]),
            revealed: small(w[1]),
            agreement: small(w[2]),
            samples: small(w[3]),
        })
    }

    /// Session records stored by the ledger (one per finalized session).
    pub(crate) fn session_count(&self) -> Result<u64, Error> {
        Ok(self.ledger_view(BATTLE_RECORDS, &[], 1)?[0].saturating_to())
    }

    /// The champion model id (zero for none).
    pub(crate) fn champion(&self) -> Result<u64, Error> {
        Ok(self.ledger_view(CHAMPION_MODEL, &[], 1)?[0].saturating_to())
    }

    /// Rating of `model` (18-decimal points).
    pub(crate) fn rating(&self, model: u64) -> Result<I256, Error> {
        let w = self.ledger_view(RATING_OF, &[arg(U256::from(model))], 1)?;
        Ok(I256::from_raw(w[0]))
    }

    /// Owner of `model`.
    pub(crate) fn model_owner(&self, model: u64) -> Result<Address, Error> {
        let w = self.ledger_view(MODEL_OWNER, &[arg(U256::from(model))], 1)?;
        Ok(Address::from_word(B256::from(w[0])))
    }

    /// Contributor, status (1 accepted) and impact of dataset `id`.
    pub(crate) fn dataset(&self, id: U256) -> Result<(Address, U256, I256), Error> {
        let w = self.ledger_view(DATASET_INFO, &[arg(id)], 5)?;
        Ok((
            Address::from_word(B256::from(w[0])),
            w[3],
            I256::from_raw(w[4]),
        ))
    }
}
