//! A test host for the contracts' unit tests: stylus-sdk's `TestVM` for storage, logs, sender,
//! value and time, with every outgoing call answered by the test's own [`Calls`] handler.
//!
//! `TestVM` 0.10.10 keys call mocks by calldata and answers `read_return_data` with the data of
//! the most recently *registered* mock rather than of the call just made, so a contract that
//! makes two calls with different answers (a token's `balanceOf` before and after
//! `transferFrom`, vault power then total supply) reads the wrong bytes. [`CallHost`] keeps the
//! return data of the call actually made and forwards everything else to the wrapped `TestVM`;
//! a contract crate writes only the [`Calls`] handler that models its counterparties.
use std::cell::RefCell;
use std::rc::Rc;
use std::slice;

pub mod tokens;

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::stylus_core::host::{
    AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host,
    MemoryAccess, MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
    UnsafeDeploymentAccess,
};
pub use stylus_sdk::testing::TestVM;

/// A call's outcome: `Ok(return data)` or `Err(revert data)`.
pub type Answer = Result<Vec<u8>, Vec<u8>>;

/// How the contract under test called out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// `call` carrying this value.
    Call(U256),
    /// `staticcall`.
    Static,
    /// `delegatecall`.
    Delegate,
}

/// One outgoing call of the contract under test.
#[derive(Clone, Copy, Debug)]
pub struct Call<'a> {
    /// Call, static call or delegate call.
    pub kind: CallKind,
    /// The callee.
    pub to: Address,
    /// The calldata.
    pub data: &'a [u8],
}

/// The test's model of everything the contract calls.
pub trait Calls: Sized {
    /// Answers `call`; `host` gives access to the VM (caller address, time) and to the handler
    /// itself, e.g. to re-enter the contract from inside a token transfer.
    fn answer(host: &CallHost<Self>, call: Call<'_>) -> Answer;
}

/// `TestVM` plus a [`Calls`] handler; clones share the VM, the handler and the return data.
pub struct CallHost<C> {
    /// The wrapped VM (sender, value, timestamp, storage, logs).
    pub vm: TestVM,
    /// The test's call handler.
    pub calls: Rc<C>,
    return_data: Rc<RefCell<Vec<u8>>>,
}

impl<C> Clone for CallHost<C> {
    fn clone(&self) -> Self {
        Self {
            vm: self.vm.clone(),
            calls: Rc::clone(&self.calls),
            return_data: Rc::clone(&self.return_data),
        }
    }
}

impl<C: Default> Default for CallHost<C> {
    fn default() -> Self {
        Self::new(TestVM::default(), C::default())
    }
}

impl<C> CallHost<C> {
    /// A host around `vm` whose outgoing calls `calls` answers.
    pub fn new(vm: TestVM, calls: C) -> Self {
        Self {
            vm,
            calls: Rc::new(calls),
            return_data: Rc::default(),
        }
    }
}

impl<C: Calls> CallHost<C> {
    /// Runs `call` through the handler, keeps its output as the return data and gives the
    /// hostio status (0 success, 1 revert) and output length.
    fn dispatch(&self, call: Call<'_>, outs_len: &mut usize) -> u8 {
        let (status, data) = match C::answer(self, call) {
            Ok(data) => (0, data),
            Err(data) => (1, data),
        };
        *outs_len = data.len();
        *self.return_data.borrow_mut() = data;
        status
    }
}

/// Reads a hostio address argument.
///
/// # Safety
/// `ptr` points to 20 readable bytes.
unsafe fn address_at(ptr: *const u8) -> Address {
    Address::from_slice(slice::from_raw_parts(ptr, 20))
}

impl<C: Calls> Host for CallHost<C> {}

// SAFETY: each call reads only what the hostio contract gives it (a 20-byte address, `data_len`
// bytes of calldata, a 32-byte value), writes only `outs_len`, and keeps the answer for
// `read_return_data`, as the SDK's call code expects.
unsafe impl<C: Calls> UnsafeCallAccess for CallHost<C> {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let value = U256::from_be_slice(slice::from_raw_parts(value, 32));
        let call = Call {
            kind: CallKind::Call(value),
            to: address_at(to),
            data: slice::from_raw_parts(data, data_len),
        };
        self.dispatch(call, outs_len)
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let call = Call {
            kind: CallKind::Static,
            to: address_at(to),
            data: slice::from_raw_parts(data, data_len),
        };
        self.dispatch(call, outs_len)
    }
    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let call = Call {
            kind: CallKind::Delegate,
            to: address_at(to),
            data: slice::from_raw_parts(data, data_len),
        };
        self.dispatch(call, outs_len)
    }
}

impl<C: Calls> CalldataAccess for CallHost<C> {
    fn read_args(&self, len: usize) -> Vec<u8> {
        self.vm.read_args(len)
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let data = self.return_data.borrow();
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |s| (start + s).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.return_data.borrow().len()
    }
    fn write_result(&self, data: &[u8]) {
        self.vm.write_result(data);
    }
}

impl<C: Calls> CryptographyAccess for CallHost<C> {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        self.vm.native_keccak256(input)
    }
}

// SAFETY: both deployments forward their pointers unchanged to the TestVM's own implementation.
unsafe impl<C: Calls> UnsafeDeploymentAccess for CallHost<C> {
    unsafe fn create1(
        &self,
        code: *const u8,
        code_len: usize,
        endowment: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        self.vm
            .create1(code, code_len, endowment, contract, revert_data_len);
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
            .create2(code, code_len, endowment, salt, contract, revert_data_len);
    }
}

impl<C: Calls> StorageAccess for CallHost<C> {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.vm.storage_load_bytes32(key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        self.vm.storage_cache_bytes32(key, value);
    }
    fn flush_cache(&self, clear: bool) {
        self.vm.flush_cache(clear);
    }
}

impl<C: Calls> BlockAccess for CallHost<C> {
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

impl<C: Calls> ChainAccess for CallHost<C> {
    fn chain_id(&self) -> u64 {
        self.vm.chain_id()
    }
}

impl<C: Calls> AccountAccess for CallHost<C> {
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

impl<C: Calls> MemoryAccess for CallHost<C> {
    fn pay_for_memory_grow(&self, pages: u16) {
        self.vm.pay_for_memory_grow(pages);
    }
}

impl<C: Calls> MessageAccess for CallHost<C> {
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

impl<C: Calls> MeteringAccess for CallHost<C> {
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

impl<C: Calls> RawLogAccess for CallHost<C> {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        self.vm.emit_log(input, num_topics);
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        self.vm.raw_log(topics, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers each call with its kind, callee and calldata; reverts calls to address zero.
    #[derive(Default)]
    struct Echo;

    impl Calls for Echo {
        fn answer(_host: &CallHost<Self>, call: Call<'_>) -> Answer {
            let mut out = match call.kind {
                CallKind::Call(value) => value.to_be_bytes::<32>()[31..].to_vec(),
                CallKind::Static => vec![0xaa],
                CallKind::Delegate => vec![0xdd],
            };
            out.extend_from_slice(call.to.as_slice());
            out.extend_from_slice(call.data);
            if call.to == Address::ZERO {
                Err(out)
            } else {
                Ok(out)
            }
        }
    }

    fn returned(host: &CallHost<Echo>) -> Vec<u8> {
        host.read_return_data(0, None)
    }

    #[test]
    fn each_call_reads_its_own_answer() {
        let host = CallHost::<Echo>::default();
        let to = Address::repeat_byte(7);
        let value = U256::from(5).to_be_bytes::<32>();
        let mut len = 0;
        // SAFETY: `to` and `value` are live 20- and 32-byte arrays, the calldata is 2 bytes.
        let status = unsafe {
            host.call_contract(to.as_ptr(), [1, 2].as_ptr(), 2, value.as_ptr(), 0, &mut len)
        };
        assert_eq!(status, 0);
        let mut expected = vec![5];
        expected.extend_from_slice(to.as_slice());
        expected.extend_from_slice(&[1, 2]);
        assert_eq!(len, expected.len());
        assert_eq!(returned(&host), expected);

        // SAFETY: `to` is a live 20-byte array, the calldata is 1 byte.
        let status =
            unsafe { host.static_call_contract(to.as_ptr(), [3].as_ptr(), 1, 0, &mut len) };
        assert_eq!(status, 0);
        assert_eq!(returned(&host)[0], 0xaa);
        assert_eq!(host.return_data_size(), 1 + 20 + 1);
        assert_eq!(host.read_return_data(21, Some(5)), vec![3]);

        let zero = Address::ZERO;
        // SAFETY: `zero` is a live 20-byte array, the calldata is 1 byte.
        let status =
            unsafe { host.delegate_call_contract(zero.as_ptr(), [9].as_ptr(), 1, 0, &mut len) };
        assert_eq!(status, 1, "a revert answer is a failed call");
        assert_eq!(returned(&host)[0], 0xdd);
    }

    #[test]
    fn clones_share_the_vm_and_the_return_data() {
        let host = CallHost::<Echo>::default();
        let clone = host.clone();
        clone.vm.set_block_timestamp(1_234);
        assert_eq!(host.block_timestamp(), 1_234);
        let to = Address::repeat_byte(1);
        let mut len = 0;
        // SAFETY: `to` is a live 20-byte array, the calldata is 1 byte.
        unsafe { clone.static_call_contract(to.as_ptr(), [4].as_ptr(), 1, 0, &mut len) };
        assert_eq!(returned(&host).last(), Some(&4));
    }
}
