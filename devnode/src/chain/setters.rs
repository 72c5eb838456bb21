//! Test-helper setters (`anvil_setBalance`, `anvil_setNonce`, `anvil_setCode`,
//! `anvil_setStorageAt`): the state changed directly, without a transaction or a block.

use alloy_primitives::{Address, Bytes, U256};
use revm::state::{AccountInfo, Bytecode};

use super::Chain;

impl Chain {
    /// Sets an account's balance directly (no block is mined).
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.modify_account(address, |info| info.balance = balance);
    }

    /// Sets an account's nonce directly.
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.modify_account(address, |info| info.nonce = nonce);
    }

    /// Sets an account's code directly.
    pub fn set_code(&mut self, address: Address, code: Bytes) {
        let bytecode = Bytecode::new_raw(code);
        self.modify_account(address, |info| {
            info.code_hash = bytecode.hash_slow();
            info.code = Some(bytecode);
        });
    }

    /// Sets a storage slot directly.
    pub fn set_storage(&mut self, address: Address, slot: U256, value: U256) {
        self.data
            .state
            .insert_account_storage(address, slot, value)
            .unwrap_or_else(|never| match never {});
        self.changed = true;
    }

    fn modify_account(&mut self, address: Address, change: impl FnOnce(&mut AccountInfo)) {
        let mut info = self
            .account_at(address, self.block_number())
            .unwrap_or_default();
        if info.code.is_none() {
            let code = self.code(address, self.block_number());
            if !code.is_empty() {
                info.code = Some(Bytecode::new_raw(code));
            }
        }
        change(&mut info);
        self.data.state.insert_account_info(address, info);
        self.changed = true;
    }
}
