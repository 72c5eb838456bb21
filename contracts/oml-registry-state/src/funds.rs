//! Moving money: collecting payments (ETH value or ERC-20 pull), crediting payees, splitting
//! fees along the family tree and paying out credits.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, U256};
use stylus_sdk::call::transfer::transfer_eth;
use stylus_sdk::prelude::*;

use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::math::add;
use agentdao_common::token;

use crate::sol::{
    Credited, NothingToWithdraw, ProversPoolFunded, TransferFailed, Withdrawn, WrongPayment,
};
use crate::split::{split_fee, Payee};
use crate::storage::table::{GLOBAL, MODEL};
use crate::storage::{global, max_depth_of, model, split_of};
use crate::{Error, Registry};

impl Registry {
    /// Takes `amount` of `asset` from `payer` and returns what arrived: exactly `amount` of
    /// call value for ETH; for an ERC-20 no call value and a `transferFrom` whose answer
    /// `agentdao_common::token` accepts, and the registry's balance change is what counts (a taxed or fee-on-transfer
    /// token delivers less than `amount`; nothing arriving for a non-zero amount fails).
    pub(crate) fn collect(
        &mut self,
        asset: Address,
        payer: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let value = self.vm().msg_value();
        if asset.is_zero() {
            if value != amount {
                return Err(WrongPayment {
                    expected: amount,
                    received: value,
                }
                .into());
            }
            return Ok(amount);
        }
        if !value.is_zero() {
            return Err(WrongPayment {
                expected: U256::ZERO,
                received: value,
            }
            .into());
        }
        if amount.is_zero() {
            return Ok(amount);
        }
        let failed = || -> Error {
            TransferFailed {
                asset,
                account: payer,
                amount,
            }
            .into()
        };
        let this = self.vm().contract_address();
        let before = self.balance_of_self(asset).ok_or_else(failed)?;
        if !token::transfer_from(self, asset, payer, this, amount) {
            return Err(failed());
        }
        self.balance_of_self(asset)
            .and_then(|after| after.checked_sub(before))
            .filter(|received| !received.is_zero())
            .ok_or_else(failed)
    }

    /// The registry's balance of the ERC-20 `asset`; `None` if the call fails or returns less
    /// than a word.
    fn balance_of_self(&self, asset: Address) -> Option<U256> {
        token::balance_of(self, asset, self.vm().contract_address())
    }

    /// Makes `amount` of `asset` withdrawable by `payee`.
    pub(crate) fn add_credit(
        &mut self,
        asset: Address,
        payee: Address,
        amount: U256,
    ) -> Result<(), Error> {
        if amount.is_zero() {
            return Ok(());
        }
        let mut balances = self.credits.setter(asset);
        let mut slot = balances.setter(payee);
        let total = add::<ArithmeticOverflow>(slot.get(), amount)?;
        slot.set(total);
        Credited {
            asset,
            payee,
            amount,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Splits a usage fee of `model_id`: creator, ancestors (up to the model's depth), the
    /// model's provers' pool and the treasury.
    pub(crate) fn distribute(
        &mut self,
        model_id: u64,
        asset: Address,
        fee: U256,
    ) -> Result<(), Error> {
        let info = self.info(MODEL, model_id);
        let bps = split_of(info);
        let creator = self.address(MODEL, model_id, model::OWNER);
        let depth = max_depth_of(info);
        let (ids, count) = self.ancestor_ids(model_id, depth);
        let treasury = self.address(GLOBAL, 0, global::TREASURY);
        split_fee::<Error>(fee, bps, count, |payee, amount| match payee {
            Payee::Creator => self.add_credit(asset, creator, amount),
            Payee::Ancestor(generation) => {
                let owner = self.address(MODEL, ids[generation], model::OWNER);
                self.add_credit(asset, owner, amount)
            }
            Payee::Protocol => self.add_credit(asset, treasury, amount),
            Payee::Provers => self.fund_provers_pool(model_id, amount),
        })
    }

    /// Adds `amount` to the provers' pool of `model_id`.
    fn fund_provers_pool(&mut self, model_id: u64, amount: U256) -> Result<(), Error> {
        if !amount.is_zero() {
            let pool =
                add::<ArithmeticOverflow>(self.word(MODEL, model_id, model::PROVERS_POOL), amount)?;
            self.set_word(MODEL, model_id, model::PROVERS_POOL, pool);
            ProversPoolFunded {
                modelId: model_id,
                amount,
            }
            .emit_by_ref(self.vm());
        }
        Ok(())
    }

    /// Pays `payee`'s whole credit in `asset`. The credit is cleared before the transfer;
    /// if the transfer fails it is restored and the call fails.
    pub(crate) fn pay_out_credit(&mut self, payee: Address, asset: Address) -> Result<U256, Error> {
        let amount = self.credits.getter(asset).get(payee);
        if amount.is_zero() {
            return Err(NothingToWithdraw { asset, payee }.into());
        }
        self.credits.setter(asset).setter(payee).set(U256::ZERO);
        let paid = if asset.is_zero() {
            transfer_eth(self.vm(), payee, amount).is_ok()
        } else {
            token::transfer(self, asset, payee, amount)
        };
        if !paid {
            self.credits.setter(asset).setter(payee).set(amount);
            return Err(TransferFailed {
                asset,
                account: payee,
                amount,
            }
            .into());
        }
        Withdrawn {
            asset,
            payee,
            amount,
        }
        .emit_by_ref(self.vm());
        Ok(amount)
    }
}
