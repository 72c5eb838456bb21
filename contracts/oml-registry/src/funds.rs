//! Moving money: collecting payments (ETH value or ERC-20 pull), crediting payees, splitting
//! fees along the family tree and paying out credits.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::call::transfer::transfer_eth;
use stylus_sdk::prelude::*;

use agentdao_common::emit::{emit_words, word};
use agentdao_common::interfaces::erc20::IErc20;
use agentdao_common::math::add;

use crate::sol::{
    Credited, NothingToWithdraw, ProversPoolFunded, TransferFailed, Withdrawn, WrongPayment,
};
use crate::split::{split_fee, MAX_DEPTH};
use crate::{Error, OmlRegistry};

impl OmlRegistry {
    /// Takes `amount` of `asset` from `payer`: exactly `amount` of call value for ETH; for an
    /// ERC-20 no call value and a `transferFrom` that must return `true`.
    pub(crate) fn collect(
        &mut self,
        asset: Address,
        payer: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let value = self.vm().msg_value();
        if asset.is_zero() {
            if value != amount {
                return Err(WrongPayment {
                    expected: amount,
                    received: value,
                }
                .into());
            }
            return Ok(());
        }
        if !value.is_zero() {
            return Err(WrongPayment {
                expected: U256::ZERO,
                received: value,
            }
            .into());
        }
        if amount.is_zero() {
            return Ok(());
        }
        let this = self.vm().contract_address();
        let context = Call::new_mutating(self);
        match IErc20::new(asset).transfer_from(self.vm(), context, payer, this, amount) {
            Ok(true) => Ok(()),
            _ => Err(TransferFailed {
                asset,
                account: payer,
                amount,
            }
            .into()),
        }
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
        let total = add::<Error>(slot.get(), amount)?;
        slot.set(total);
        emit_words(
            self.vm(),
            &[
                Credited::SIGNATURE_HASH,
                asset.into_word(),
                payee.into_word(),
            ],
            &[B256::from(amount)],
        );
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
        let model = self.models.get(model_id);
        let bps = model.split_bps();
        let creator = model.owner.get();
        let depth = model.max_depth();
        let (ids, count) = self.ancestor_ids(model_id, depth);
        let split = split_fee::<Error>(fee, bps, count)?;
        self.add_credit(asset, creator, split.creator)?;
        for (ancestor, share) in ids
            .iter()
            .zip(split.ancestors.iter())
            .take(count.min(MAX_DEPTH))
        {
            let owner = self.models.get(*ancestor).owner.get();
            self.add_credit(asset, owner, *share)?;
        }
        let treasury = self.treasury.get();
        self.add_credit(asset, treasury, split.protocol)?;
        if !split.provers.is_zero() {
            let mut model = self.models.setter(model_id);
            let pool = add::<Error>(model.provers_pool.get(), split.provers)?;
            model.provers_pool.set(pool);
            emit_words(
                self.vm(),
                &[ProversPoolFunded::SIGNATURE_HASH, word(model_id)],
                &[B256::from(split.provers)],
            );
        }
        Ok(())
    }

    /// Pays the caller's whole credit in `asset`. The credit is cleared before the transfer;
    /// if the transfer fails it is restored and the call fails.
    pub(crate) fn pay_out_credit(&mut self, asset: Address) -> Result<U256, Error> {
        let payee = self.vm().msg_sender();
        let amount = self.credits.getter(asset).get(payee);
        if amount.is_zero() {
            return Err(NothingToWithdraw { asset, payee }.into());
        }
        self.credits.setter(asset).setter(payee).set(U256::ZERO);
        let paid = if asset.is_zero() {
            transfer_eth(self.vm(), payee, amount).is_ok()
        } else {
            let context = Call::new_mutating(self);
            matches!(
                IErc20::new(asset).transfer(self.vm(), context, payee, amount),
                Ok(true)
            )
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
        emit_words(
            self.vm(),
            &[
                Withdrawn::SIGNATURE_HASH,
                asset.into_word(),
                payee.into_word(),
            ],
            &[B256::from(amount)],
        );
        Ok(amount)
    }
}
