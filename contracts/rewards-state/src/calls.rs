//! The calls the rewards program makes: the reward token (ERC-20), the staking vault (voting
//! power, per-validator rewards, jail) and the Elo ledger (validator records, champion,
//! ratings, owners, datasets). Calldata is encoded by hand (every argument is one word), and
//! a call that reverts or returns too little becomes the callee's typed error.
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

const BALANCE_OF: [u8; 4] = function_selector!("balanceOf", Address);
const TRANSFER: [u8; 4] = function_selector!("transfer", Address, U256);
const TRANSFER_FROM: [u8; 4] = function_selector!("transferFrom", Address, Address, U256);
const APPROVE: [u8; 4] = function_selector!("approve", Address, U256);
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

/// The ABI word `true`.
const TRUE_WORD: U256 = U256::from_limbs([1, 0, 0, 0]);

/// `selector` followed by the argument words.
#[inline(never)]
fn calldata(selector: [u8; 4], args: &[B256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(4 + 32 * args.len());
    data.extend_from_slice(&selector);
    for arg in args {
        data.extend_from_slice(arg.as_slice());
    }
    data
}

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
        let output = static_call(self.vm(), Call::new(), target, &calldata(selector, args)).ok()?;
        words(&output, count)
    }

    /// A state-changing call; `Some(return data)` on success.
    #[inline(never)]
    fn send(&mut self, target: Address, selector: [u8; 4], args: &[B256]) -> Option<Vec<u8>> {
        let data = calldata(selector, args);
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
        let this = self.vm().contract_address().into_word();
        self.view(self.token.get(), BALANCE_OF, &[this], 1)
            .map(|w| w[0])
            .ok_or_else(|| self.token_error())
    }

    /// A token call that must return `true`.
    fn token_call(&mut self, selector: [u8; 4], args: &[B256]) -> Result<(), Error> {
        let token = self.token.get();
        match self.send(token, selector, args) {
            Some(output) if words(&output, 1).is_some_and(|w| w[0] == TRUE_WORD) => Ok(()),
            _ => Err(self.token_error()),
        }
    }

    /// Pulls `amount` from `from` and returns the balance delta received (non-zero).
    pub(crate) fn pull(&mut self, from: Address, amount: U256) -> Result<U256, Error> {
        let before = self.token_balance()?;
        let this = self.vm().contract_address().into_word();
        self.token_call(TRANSFER_FROM, &[from.into_word(), this, arg(amount)])?;
        let after = self.token_balance()?;
        after
            .checked_sub(before)
            .filter(|received| !received.is_zero())
            .ok_or_else(|| self.token_error())
    }

    /// Pays `amount` to `to`.
    pub(crate) fn pay(&mut self, to: Address, amount: U256) -> Result<(), Error> {
        self.token_call(TRANSFER, &[to.into_word(), arg(amount)])
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
        self.token_call(APPROVE, &[vault.into_word(), arg(amount)])?;
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
