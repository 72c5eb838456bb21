#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::StorageU256;
use alloy_primitives::U256;

#[storage]
#[entrypoint]
pub struct AgentToken { total: StorageU256 }

#[public]
impl AgentToken {
    #[constructor]
    pub fn constructor(&mut self, supply: U256) { self.total.set(supply); }
    pub fn total_supply(&self) -> U256 { self.total.get() }
}
