//! A test host: stylus-sdk's `TestVM` with call mocking that returns each call's own data.
//!
//! `TestVM` 0.10.10 answers `read_return_data` with the data of the most recently *registered*
//! mock rather than of the call just made, so a function that makes two calls with different
//! answers (vault power and total supply; ecrecover and vault power) reads the wrong bytes.
//! `MockHost` delegates everything else to `TestVM` and keeps its own mocks, records every
//! mutating call (to assert what `execute` did), and answers the `ecrecover` precompile with a
//! real secp256k1 recovery so signature tests use real keys.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::slice;

use alloy_primitives::{Address, Signature, B256, U256};
use stylus_sdk::stylus_core::host::{
    AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host,
    MemoryAccess, MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
    UnsafeDeploymentAccess,
};
use stylus_sdk::testing::TestVM;

use agentdao_common::ecdsa::ECRECOVER;

type Answer = Result<Vec<u8>, Vec<u8>>;

#[derive(Default)]
struct Mocks {
    calls: HashMap<(Address, Vec<u8>), Answer>,
    static_calls: HashMap<(Address, Vec<u8>), Answer>,
    return_data: Vec<u8>,
    made: Vec<(Address, Vec<u8>, U256)>,
}

/// `TestVM` plus per-call mocks; clones share state.
#[derive(Clone, Default)]
pub struct MockHost {
    /// The wrapped VM (sender, timestamp, storage, logs).
    pub vm: TestVM,
    mocks: Rc<RefCell<Mocks>>,
}

impl MockHost {
    /// Answers mutating calls to `to` with exactly `data` (any value).
    pub fn mock_call(&self, to: Address, data: Vec<u8>, answer: Answer) {
        self.mocks.borrow_mut().calls.insert((to, data), answer);
    }

    /// Answers static calls to `to` with exactly `data`.
    pub fn mock_static_call(&self, to: Address, data: Vec<u8>, answer: Answer) {
        self.mocks
            .borrow_mut()
            .static_calls
            .insert((to, data), answer);
    }

    /// Mutating calls made so far: `(target, calldata, value)`.
    pub fn calls_made(&self) -> Vec<(Address, Vec<u8>, U256)> {
        self.mocks.borrow().made.clone()
    }

    fn answer(&self, answer: Answer, outs_len: &mut usize) -> u8 {
        let (status, data) = match answer {
            Ok(data) => (0, data),
            Err(data) => (1, data),
        };
        *outs_len = data.len();
        self.mocks.borrow_mut().return_data = data;
        status
    }
}

/// The `ecrecover` precompile: empty output for anything it cannot recover.
fn ecrecover(input: &[u8]) -> Vec<u8> {
    let mut padded = [0u8; 128];
    let len = input.len().min(128);
    padded[..len].copy_from_slice(&input[..len]);
    let digest = B256::from_slice(&padded[..32]);
    let v = U256::from_be_slice(&padded[32..64]);
    let parity = if v == U256::from(27) {
        false
    } else if v == U256::from(28) {
        true
    } else {
        return Vec::new();
    };
    let r = U256::from_be_slice(&padded[64..96]);
    let s = U256::from_be_slice(&padded[96..128]);
    match Signature::new(r, s, parity).recover_address_from_prehash(&digest) {
        Ok(signer) => {
            let mut word = vec![0u8; 32];
            word[12..].copy_from_slice(signer.as_slice());
            word
        }
        Err(_) => Vec::new(),
    }
}

impl Host for MockHost {}

impl CryptographyAccess for MockHost {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

impl CalldataAccess for MockHost {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let mocks = self.mocks.borrow();
        let data = &mocks.return_data;
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.mocks.borrow().return_data.len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data)
    }
}

unsafe impl UnsafeDeploymentAccess for MockHost {
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

impl StorageAccess for MockHost {
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

unsafe impl UnsafeCallAccess for MockHost {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = Address::from_slice(slice::from_raw_parts(to, 20));
        let data = slice::from_raw_parts(data, data_len).to_vec();
        let value = U256::from_be_slice(slice::from_raw_parts(value, 32));
        self.mocks.borrow_mut().made.push((to, data.clone(), value));
        let answer = self.mocks.borrow().calls.get(&(to, data)).cloned();
        self.answer(answer.unwrap_or(Ok(Vec::new())), outs_len)
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = Address::from_slice(slice::from_raw_parts(to, 20));
        let data = slice::from_raw_parts(data, data_len).to_vec();
        if to == ECRECOVER {
            return self.answer(Ok(ecrecover(&data)), outs_len);
        }
        let answer = self.mocks.borrow().static_calls.get(&(to, data)).cloned();
        // An unmocked read reverts, so a test cannot pass on a call it forgot to set up.
        self.answer(
            answer.unwrap_or(Err(b"unmocked static call".to_vec())),
            outs_len,
        )
    }
    unsafe fn delegate_call_contract(
        &self,
        _to: *const u8,
        _data: *const u8,
        _data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        self.answer(Err(b"delegate calls are not used".to_vec()), outs_len)
    }
}

impl BlockAccess for MockHost {
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

impl ChainAccess for MockHost {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl AccountAccess for MockHost {
    fn balance(&self, account: Address) -> U256 {
        self.vm.balance(account)
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

impl MemoryAccess for MockHost {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages)
    }
}

impl MessageAccess for MockHost {
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

impl MeteringAccess for MockHost {
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

impl RawLogAccess for MockHost {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics)
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}
