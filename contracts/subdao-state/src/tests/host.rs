//! The SubDAO's test host: `agentdao_test_host::CallHost` (TestVM whose calls the test answers)
//! with mocks keyed by target and calldata, a record of every mutating call (to assert what
//! `execute` did), and the `ecrecover` precompile answered by a real secp256k1 recovery so
//! signature tests use real keys.
use std::cell::RefCell;
use std::collections::HashMap;

use agentdao_common::ecdsa::ECRECOVER;
use agentdao_test_host::{Answer, Call, CallHost, CallKind, Calls};
use alloy_primitives::{Address, Signature, B256, U256};

/// The SubDAO under test talks to mocks.
pub(super) type MockHost = CallHost<Mocks>;

/// Mocked answers and the calls made.
#[derive(Default)]
pub(crate) struct Mocks {
    calls: RefCell<HashMap<(Address, Vec<u8>), Answer>>,
    static_calls: RefCell<HashMap<(Address, Vec<u8>), Answer>>,
    made: RefCell<Vec<(Address, Vec<u8>, U256)>>,
}

impl Calls for Mocks {
    fn answer(host: &CallHost<Self>, call: Call<'_>) -> Answer {
        let key = (call.to, call.data.to_vec());
        let mocks = &host.calls;
        match call.kind {
            CallKind::Call(value) => {
                mocks
                    .made
                    .borrow_mut()
                    .push((call.to, key.1.clone(), value));
                mocks
                    .calls
                    .borrow()
                    .get(&key)
                    .cloned()
                    .unwrap_or(Ok(Vec::new()))
            }
            CallKind::Static if call.to == ECRECOVER => Ok(ecrecover(call.data)),
            // An unmocked read reverts, so a test cannot pass on a call it forgot to set up.
            CallKind::Static => mocks
                .static_calls
                .borrow()
                .get(&key)
                .cloned()
                .unwrap_or(Err(b"unmocked static call".to_vec())),
            CallKind::Delegate => Err(b"delegate calls are not used".to_vec()),
        }
    }
}

/// Setting up mocks and reading the calls made, on the host itself.
pub(super) trait MockCalls {
    /// Answers mutating calls to `to` with exactly `data` (any value).
    fn mock_call(&self, to: Address, data: Vec<u8>, answer: Answer);
    /// Answers static calls to `to` with exactly `data`.
    fn mock_static_call(&self, to: Address, data: Vec<u8>, answer: Answer);
    /// Mutating calls made so far: `(target, calldata, value)`.
    fn calls_made(&self) -> Vec<(Address, Vec<u8>, U256)>;
}

impl MockCalls for MockHost {
    fn mock_call(&self, to: Address, data: Vec<u8>, answer: Answer) {
        self.calls.calls.borrow_mut().insert((to, data), answer);
    }
    fn mock_static_call(&self, to: Address, data: Vec<u8>, answer: Answer) {
        self.calls
            .static_calls
            .borrow_mut()
            .insert((to, data), answer);
    }
    fn calls_made(&self) -> Vec<(Address, Vec<u8>, U256)> {
        self.calls.made.borrow().clone()
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
