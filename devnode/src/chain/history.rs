//! Historical state: each block keeps the values its transactions overwrote (an undo log), so the
//! state at an older block is the current state seen through the undo logs of the blocks after it.
//!
//! This keeps one copy of the state however many blocks there are; reading an old block costs one
//! lookup per later block that touched the same account.

use std::{collections::BTreeMap, convert::Infallible};

use revm::{
    database::{CacheDB, EmptyDB},
    primitives::{Address, StorageKey, StorageValue, B256, U256},
    state::{AccountInfo, Bytecode, EvmState},
    DatabaseRef,
};
use serde::{Deserialize, Serialize};

use super::block::StoredBlock;

/// The chain's current state.
pub type StateDb = CacheDB<EmptyDB>;

/// What one account looked like before a block changed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUndo {
    /// Balance, nonce and code hash before the block (`None`: the account did not exist).
    pub info: Option<AccountInfo>,
    /// Previous values of the storage slots the block changed.
    pub storage: BTreeMap<StorageKey, StorageValue>,
}

/// The values a block overwrote, by account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateUndo {
    /// Pre-block values of every account the block touched.
    pub accounts: BTreeMap<Address, AccountUndo>,
}

impl StateUndo {
    /// Records the values `changes` is about to overwrite in `state`. Only the first write to an
    /// account or slot within a block is kept, so the log holds the values from before the block.
    pub fn record(&mut self, state: &StateDb, changes: &EvmState) {
        for (address, account) in changes {
            if !account.is_touched() {
                continue;
            }
            let entry = self
                .accounts
                .entry(*address)
                .or_insert_with(|| AccountUndo {
                    info: state
                        .basic_ref(*address)
                        .unwrap_or_else(|never| match never {})
                        .map(|info| info.without_code()),
                    storage: BTreeMap::new(),
                });
            for (key, slot) in &account.storage {
                if slot.is_changed() {
                    entry.storage.entry(*key).or_insert_with(|| {
                        state
                            .storage_ref(*address, *key)
                            .unwrap_or_else(|never| match never {})
                    });
                }
            }
        }
    }
}

/// A read-only view of the state as of some block: the current state with the undo logs of all
/// later blocks applied, plus the block hashes the `BLOCKHASH` opcode may see.
#[derive(Clone)]
pub struct StateView<'a> {
    state: &'a StateDb,
    blocks: &'a [StoredBlock],
    at: usize,
}

impl<'a> StateView<'a> {
    /// `state` as it was right after block `at` of `blocks` (the whole chain, genesis first).
    pub fn new(state: &'a StateDb, blocks: &'a [StoredBlock], at: u64) -> Self {
        Self {
            state,
            blocks,
            at: usize::try_from(at).unwrap_or(usize::MAX),
        }
    }

    /// Undo logs of the blocks after the viewed one, oldest first.
    fn later_undo(&self) -> impl Iterator<Item = &'a StateUndo> {
        self.blocks
            .get(self.at.saturating_add(1)..)
            .unwrap_or_default()
            .iter()
            .map(|b| &b.undo)
    }

    fn account_undo(&self, address: &Address) -> Option<&'a AccountUndo> {
        self.later_undo()
            .find_map(|undo| undo.accounts.get(address))
    }
}

impl DatabaseRef for StateView<'_> {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        match self.account_undo(&address) {
            Some(undo) => Ok(undo.info.clone()),
            None => self.state.basic_ref(address),
        }
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        // Code is stored by hash and never removed, so the current map serves every block.
        self.state.code_by_hash_ref(code_hash)
    }

    fn storage_ref(
        &self,
        address: Address,
        index: StorageKey,
    ) -> Result<StorageValue, Self::Error> {
        for undo in self.later_undo() {
            if let Some(account) = undo.accounts.get(&address) {
                if account.info.is_none() {
                    return Ok(U256::ZERO);
                }
                if let Some(value) = account.storage.get(&index) {
                    return Ok(*value);
                }
            }
        }
        self.state.storage_ref(address, index)
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        let visible = usize::try_from(number).ok().filter(|n| *n <= self.at);
        Ok(visible
            .and_then(|n| self.blocks.get(n))
            .map(|b| b.hash)
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::block::BlockContents;
    use revm::{
        state::{Account, AccountStatus, EvmStorageSlot},
        DatabaseCommit,
    };

    fn touched(info: AccountInfo, slots: &[(u64, u64, u64)]) -> Account {
        let mut account = Account::from(info);
        account.status = AccountStatus::Touched;
        for (key, original, present) in slots {
            account.storage.insert(
                U256::from(*key),
                EvmStorageSlot::new_changed(
                    U256::from(*original),
                    U256::from(*present),
                    Default::default(),
                ),
            );
        }
        account
    }

    fn block(number: u64, undo: StateUndo) -> StoredBlock {
        StoredBlock::seal(BlockContents {
            number,
            parent_hash: B256::ZERO,
            timestamp: number,
            base_fee: 1,
            transactions: Vec::new(),
            undo,
            state_root: B256::ZERO,
        })
    }

    #[test]
    fn view_rolls_back_balances_and_storage() {
        let alice = Address::with_last_byte(1);
        let mut state = StateDb::default();
        state.insert_account_info(alice, AccountInfo::from_balance(U256::from(10)));
        state
            .insert_account_storage(alice, U256::from(7), U256::from(70))
            .unwrap();

        let mut changes = EvmState::default();
        changes.insert(
            alice,
            touched(
                AccountInfo::from_balance(U256::from(4)),
                &[(7, 70, 71), (8, 0, 80)],
            ),
        );
        let mut undo = StateUndo::default();
        undo.record(&state, &changes);
        state.commit(changes);
        let blocks = vec![block(0, StateUndo::default()), block(1, undo)];

        let now = StateView::new(&state, &blocks, 1);
        assert_eq!(
            now.basic_ref(alice).unwrap().unwrap().balance,
            U256::from(4)
        );
        assert_eq!(
            now.storage_ref(alice, U256::from(7)).unwrap(),
            U256::from(71)
        );
        assert_eq!(now.block_hash_ref(1).unwrap(), blocks[1].hash);

        let before = StateView::new(&state, &blocks, 0);
        assert_eq!(
            before.basic_ref(alice).unwrap().unwrap().balance,
            U256::from(10)
        );
        assert_eq!(
            before.storage_ref(alice, U256::from(7)).unwrap(),
            U256::from(70)
        );
        assert_eq!(
            before.storage_ref(alice, U256::from(8)).unwrap(),
            U256::ZERO
        );
        assert_eq!(before.block_hash_ref(0).unwrap(), blocks[0].hash);
        assert_eq!(before.block_hash_ref(1).unwrap(), B256::ZERO);
    }

    #[test]
    fn first_write_in_a_block_wins_and_new_accounts_read_as_absent() {
        let bob = Address::with_last_byte(2);
        let mut state = StateDb::default();
        let mut undo = StateUndo::default();
        for balance in [5u64, 6] {
            let mut changes = EvmState::default();
            changes.insert(
                bob,
                touched(AccountInfo::from_balance(U256::from(balance)), &[]),
            );
            undo.record(&state, &changes);
            state.commit(changes);
        }
        let blocks = vec![block(0, StateUndo::default()), block(1, undo)];
        let before = StateView::new(&state, &blocks, 0);
        assert_eq!(before.basic_ref(bob).unwrap(), None);
        assert_eq!(before.storage_ref(bob, U256::from(1)).unwrap(), U256::ZERO);
        let after = StateView::new(&state, &blocks, 1);
        assert_eq!(
            after.basic_ref(bob).unwrap().unwrap().balance,
            U256::from(6)
        );
    }
}
