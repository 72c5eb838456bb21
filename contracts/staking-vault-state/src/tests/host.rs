//! A test host: `TestVM` for storage, logs, sender and time, plus simulated ERC-20 tokens.
//!
//! `TestVM::mock_call` keys a mock by calldata and always returns the last mocked data, so it
//! cannot model the vault's `balanceOf` before/after a `transferFrom`. This host answers token
//! calls from a real in-memory ledger instead, with knobs for fee-on-transfer, failing or
//! `false`-returning tokens and a callback that re-enters the vault from inside a transfer.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_sdk::stylus_core::host::*;
use stylus_sdk::testing::TestVM;

sol! {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// How a simulated token misbehaves.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Quirk {
    /// A well-behaved token.
    #[default]
    None,
    /// Every transfer burns this many basis points of the amount.
    FeeOnTransfer(u64),
    /// Transfers revert.
    Revert,
    /// Transfers return `false` without moving tokens.
    ReturnFalse,
}

/// Code run inside a token transfer, given the host (to build a re-entrant vault handle).
pub type Hook = Rc<dyn Fn(&TokenHost)>;

#[derive(Default)]
struct Token {
    balances: HashMap<Address, U256>,
    quirk: Quirk,
}

#[derive(Default)]
struct Ledger {
    tokens: HashMap<Address, Token>,
    hook: Option<Hook>,
    return_data: Vec<u8>,
}

/// `TestVM` plus simulated tokens; clones share state.
#[derive(Clone)]
pub struct TokenHost {
    /// The wrapped VM (storage, logs, sender, timestamp).
    pub vm: TestVM,
    ledger: Rc<RefCell<Ledger>>,
}

impl TokenHost {
    /// A host with the vault at `vault` and simulated tokens at `tokens`.
    pub fn new(vault: Address, tokens: &[Address]) -> Self {
        let vm = TestVM::default();
        vm.set_contract_address(vault);
        let mut ledger = Ledger::default();
        for token in tokens {
            ledger.tokens.insert(*token, Token::default());
        }
        Self {
            vm,
            ledger: Rc::new(RefCell::new(ledger)),
        }
    }

    /// Credits `amount` of `token` to `account`.
    pub fn mint(&self, token: Address, account: Address, amount: U256) {
        let mut ledger = self.ledger.borrow_mut();
        let balance = ledger
            .tokens
            .get_mut(&token)
            .unwrap()
            .balances
            .entry(account)
            .or_default();
        *balance += amount;
    }

    /// Balance of `account` in `token`.
    pub fn balance(&self, token: Address, account: Address) -> U256 {
        let ledger = self.ledger.borrow();
        ledger.tokens[&token]
            .balances
            .get(&account)
            .copied()
            .unwrap_or_default()
    }

    /// Makes `token` misbehave.
    pub fn set_quirk(&self, token: Address, quirk: Quirk) {
        self.ledger
            .borrow_mut()
            .tokens
            .get_mut(&token)
            .unwrap()
            .quirk = quirk;
    }

    /// Runs `hook` inside the next token transfers (until cleared with `None`).
    pub fn set_hook(&self, hook: Option<Hook>) {
        self.ledger.borrow_mut().hook = hook;
    }

    fn respond(&self, data: Vec<u8>) -> (u8, usize) {
        let len = data.len();
        self.ledger.borrow_mut().return_data = data;
        (0, len)
    }

    fn fail(&self) -> (u8, usize) {
        self.ledger.borrow_mut().return_data = Vec::new();
        (1, 0)
    }

    /// Executes an ERC-20 call from `caller` to `token`.
    fn token_call(&self, caller: Address, token: Address, data: &[u8]) -> (u8, usize) {
        if !self.ledger.borrow().tokens.contains_key(&token) || data.len() < 4 {
            return self.fail();
        }
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        if selector == balanceOfCall::SELECTOR {
            let call = balanceOfCall::abi_decode(data).unwrap();
            return self.respond(self.balance(token, call.account).abi_encode());
        }
        let (from, to, amount) = if selector == transferCall::SELECTOR {
            let call = transferCall::abi_decode(data).unwrap();
            (caller, call.to, call.amount)
        } else if selector == transferFromCall::SELECTOR {
            let call = transferFromCall::abi_decode(data).unwrap();
            (call.from, call.to, call.amount)
        } else {
            return self.fail();
        };
        let hook = self.ledger.borrow().hook.clone();
        if let Some(hook) = hook {
            hook(self);
        }
        let mut ledger = self.ledger.borrow_mut();
        let state = ledger.tokens.get_mut(&token).unwrap();
        let fee = match state.quirk {
            Quirk::Revert => {
                drop(ledger);
                return self.fail();
            }
            Quirk::ReturnFalse => {
                drop(ledger);
                return self.respond(false.abi_encode());
            }
            Quirk::FeeOnTransfer(bps) => amount * U256::from(bps) / U256::from(10_000),
            Quirk::None => U256::ZERO,
        };
        let from_balance = state.balances.get(&from).copied().unwrap_or_default();
        if from_balance < amount {
            drop(ledger);
            return self.fail();
        }
        state.balances.insert(from, from_balance - amount);
        *state.balances.entry(to).or_default() += amount - fee;
        drop(ledger);
        self.respond(true.abi_encode())
    }
}

impl Host for TokenHost {}

impl CryptographyAccess for TokenHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for TokenHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let ledger = self.ledger.borrow();
        let data = &ledger.return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.ledger.borrow().return_data.len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

unsafe impl UnsafeDeploymentAccess for TokenHost {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.vm
            .create1(code, code_len, endowment, contract, revert_data_len)
    }
    unsafe fn create2(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        salt: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.vm
            .create2(code, code_len, endowment, salt, contract, revert_data_len)
    }
}

impl StorageAccess for TokenHost {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value)
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear)
    }
}

unsafe impl UnsafeCallAccess for TokenHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = Address::from_slice(std::slice::from_raw_parts(to, 20));
        let data = std::slice::from_raw_parts(data, data_len).to_vec();
        let (status, len) = self.token_call(self.vm.contract_address(), to, &data);
        *outs_len = len;
        status
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = Address::from_slice(std::slice::from_raw_parts(to, 20));
        let data = std::slice::from_raw_parts(data, data_len).to_vec();
        if data.len() < 4 || data[..4] != balanceOfCall::SELECTOR {
            *outs_len = 0;
            return 1;
        }
        let (status, len) = self.token_call(self.vm.contract_address(), to, &data);
        *outs_len = len;
        status
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        *outs_len = 0;
        1
    }
}

impl BlockAccess for TokenHost {
    fn block_basefee(&self) -> U256 {
        self.vm.block_basefee()
    }
    fn block_coinbase(&self) -> Address {
        self.vm.block_coinbase()
    }
    fn block_number(&self) -> u64 {
        self.vm.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.vm.block_timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        self.vm.block_gas_limit()
    }
}

impl ChainAccess for TokenHost {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for TokenHost {
    fn balance(&self, account: Address) -> U256 {
        AccountAccess::balance(&self.vm, account)
    }
    fn contract_address(&self) -> Address {
        self.vm.contract_address()
    }
    fn code(&self, account: Address) -> Vec<u8> {
        self.vm.code(account)
    }
    fn code_size(&self, account: Address) -> usize {
        self.vm.code_size(account)
    }
    fn code_hash(&self, account: Address) -> B256 {
        self.vm.code_hash(account)
    }
}

impl MemoryAccess for TokenHost {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for TokenHost {
    fn msg_sender(&self) -> Address {
        self.vm.msg_sender()
    }
    fn msg_reentrant(&self) -> bool {
        self.vm.msg_reentrant()
    }
    fn msg_value(&self) -> U256 {
        self.vm.msg_value()
    }
    fn tx_origin(&self) -> Address {
        self.vm.tx_origin()
    }
}

impl MeteringAccess for TokenHost {
    fn evm_gas_left(&self) -> u64 {
        self.vm.evm_gas_left()
    }
    fn evm_ink_left(&self) -> u64 {
        self.vm.evm_ink_left()
    }
    fn tx_gas_price(&self) -> U256 {
        self.vm.tx_gas_price()
    }
    fn tx_ink_price(&self) -> u32 {
        self.vm.tx_ink_price()
    }
}

impl RawLogAccess for TokenHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}
