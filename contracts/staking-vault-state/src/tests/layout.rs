//! The storage structs declared with `storage_struct!` keep the layout `#[storage]` gives the
//! same fields: every field written through the vault's structs is read back through `#[storage]`
//! twins on the same host.
use agentdao_common::checkpoints::Checkpoints;
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use alloy_primitives::{Address, U256, U64};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageMap, StorageType, StorageU256, StorageU64, StorageVec,
};
use stylus_sdk::testing::TestVM;

use crate::{Delegation, Error, UnbondingEntry, Validator, Vault};

#[storage]
struct ValidatorTwin {
    meta: StorageU256,
    bonded_tokens: StorageU256,
    total_shares: StorageU256,
    unbonding_tokens: StorageU256,
    unbonding_shares: StorageU256,
    reward_snapshot: StorageU256,
    reward_per_share: StorageU256,
    queue: StorageVec<StorageU64>,
    votes: Checkpoints,
}

#[storage]
struct DelegationTwin {
    shares: StorageU256,
    reward_snapshot: StorageU256,
}

#[storage]
struct EntryTwin {
    owner: StorageAddress,
    stamp: StorageU64,
    validator: StorageAddress,
    amount: StorageU256,
    target: StorageAddress,
}

#[storage]
struct VaultTwin {
    governance: Governance,
    guard: ReentrancyGuard,
    lp_token: StorageAddress,
    reward_token: StorageAddress,
    treasury: StorageAddress,
    params: StorageU256,
    validators: StorageMap<Address, ValidatorTwin>,
    validator_list: StorageVec<StorageAddress>,
    delegations: StorageMap<Address, StorageMap<Address, DelegationTwin>>,
    delegated_to: StorageMap<Address, StorageVec<StorageAddress>>,
    entries: StorageVec<EntryTwin>,
    account_entries: StorageMap<Address, StorageVec<StorageU64>>,
    total_votes: Checkpoints,
    reward_per_power: StorageU256,
    rewards_owed: StorageMap<Address, StorageU256>,
    extension: StorageAddress,
    reward_rate: StorageU256,
    reward_times: StorageU256,
    jailer: StorageAddress,
}

fn a(n: u8) -> Address {
    Address::repeat_byte(n)
}

fn u(n: u64) -> U256 {
    U256::from(n)
}

#[test]
fn structs_span_as_many_slots_as_their_storage_twins() {
    assert_eq!(Vault::REQUIRED_SLOTS, VaultTwin::REQUIRED_SLOTS);
    assert_eq!(Validator::REQUIRED_SLOTS, ValidatorTwin::REQUIRED_SLOTS);
    assert_eq!(Delegation::REQUIRED_SLOTS, DelegationTwin::REQUIRED_SLOTS);
    assert_eq!(UnbondingEntry::REQUIRED_SLOTS, EntryTwin::REQUIRED_SLOTS);
    // Entries sit in a vector: its stride is the entry's slot count.
    assert_eq!(UnbondingEntry::REQUIRED_SLOTS, 4);
}

#[test]
fn every_field_lies_where_storage_puts_it() {
    let vm = TestVM::default();
    let mut vault = Vault::from(&vm);
    vault.governance.init::<Error>(a(1)).unwrap();
    vault.guard.enter::<Error>().unwrap();
    vault.lp_token.set(a(2));
    vault.reward_token.set(a(3));
    vault.treasury.set(a(4));
    vault.params.set(u(5));
    let mut v = vault.validators.setter(a(6));
    v.meta.set(u(7));
    v.bonded_tokens.set(u(8));
    v.total_shares.set(u(9));
    v.unbonding_tokens.set(u(10));
    v.unbonding_shares.set(u(11));
    v.reward_snapshot.set(u(12));
    v.reward_per_share.set(u(13));
    v.queue.push(U64::from(14));
    v.votes.push::<Error>(15, u(16)).unwrap();
    drop(v);
    vault.validator_list.push(a(17));
    let mut outer = vault.delegations.setter(a(18));
    let mut d = outer.setter(a(19));
    d.shares.set(u(20));
    d.reward_snapshot.set(u(21));
    drop(outer);
    vault.delegated_to.setter(a(22)).push(a(23));
    let mut entry = vault.entries.grow();
    entry.owner.set(a(24));
    entry.stamp.set(U64::from(25));
    entry.validator.set(a(26));
    entry.amount.set(u(27));
    entry.target.set(a(37));
    let mut entry = vault.entries.grow();
    entry.owner.set(a(28));
    vault.account_entries.setter(a(29)).push(U64::from(30));
    vault.total_votes.push::<Error>(31, u(32)).unwrap();
    vault.reward_per_power.set(u(33));
    vault.rewards_owed.setter(a(34)).set(u(35));
    vault.extension.set(a(36));
    vault.reward_rate.set(u(38));
    vault.reward_times.set(u(39));
    vault.jailer.set(a(40));

    let twin = VaultTwin::from(&vm);
    assert_eq!(twin.governance.get(), a(1));
    assert!(twin.guard.is_locked());
    let addresses = [&twin.lp_token, &twin.reward_token, &twin.treasury];
    assert_eq!(addresses.map(|s| s.get()), [a(2), a(3), a(4)]);
    assert_eq!(twin.params.get(), u(5));
    let v = twin.validators.getter(a(6));
    let words = [
        &v.meta,
        &v.bonded_tokens,
        &v.total_shares,
        &v.unbonding_tokens,
        &v.unbonding_shares,
        &v.reward_snapshot,
        &v.reward_per_share,
    ];
    assert_eq!(words.map(|s| s.get()), [7, 8, 9, 10, 11, 12, 13].map(u));
    assert_eq!(v.queue.get(0), Some(U64::from(14)));
    assert_eq!(v.votes.at(0), Some((15, u(16))));
    assert_eq!(twin.validator_list.get(0), Some(a(17)));
    let outer = twin.delegations.getter(a(18));
    let d = outer.getter(a(19));
    assert_eq!((d.shares.get(), d.reward_snapshot.get()), (u(20), u(21)));
    assert_eq!(twin.delegated_to.getter(a(22)).get(0), Some(a(23)));
    let entry = twin.entries.getter(0).unwrap();
    assert_eq!(
        (entry.owner.get(), entry.stamp.get(), entry.validator.get()),
        (a(24), U64::from(25), a(26))
    );
    assert_eq!((entry.amount.get(), entry.target.get()), (u(27), a(37)));
    assert_eq!(twin.entries.getter(1).unwrap().owner.get(), a(28));
    assert_eq!(
        twin.account_entries.getter(a(29)).get(0),
        Some(U64::from(30))
    );
    assert_eq!(twin.total_votes.at(0), Some((31, u(32))));
    assert_eq!(twin.reward_per_power.get(), u(33));
    assert_eq!(twin.rewards_owed.get(a(34)), u(35));
    assert_eq!(twin.extension.get(), a(36));
    assert_eq!(twin.reward_rate.get(), u(38));
    assert_eq!(twin.reward_times.get(), u(39));
    assert_eq!(twin.jailer.get(), a(40));
}
