//! Tests of the extension program at its own address: every function refuses to run on the
//! extension's own (empty) storage with `NotDelegated`, and nothing gets written.
use agentdao_common::extension::NotDelegated;
use agentdao_common::raw_string::RawString;
use alloy_primitives::{Address, FixedBytes, B256, U256};
use stylus_sdk::stylus_core::host::StorageAccess;
use stylus_sdk::testing::TestVM;

use crate::{Error, SubDaoExtension};

const A: Address = Address::repeat_byte(0x11);

#[test]
fn every_function_refuses_direct_calls() {
    let vm = TestVM::default();
    vm.set_contract_address(Address::repeat_byte(0xd1));
    vm.set_sender(A);
    let mut ext = SubDaoExtension::from(&vm);
    let no = || Error::NotDelegated(NotDelegated {});
    let one = U256::from(1);
    let text = || RawString::from("evidence");
    assert_eq!(ext.propose_model_upgrade(one, text()), Err(no()));
    assert_eq!(ext.propose_slash(A, one, FixedBytes::ZERO), Err(no()));
    assert_eq!(ext.cancel(one), Err(no()));
    assert_eq!(ext.set_settings(A, 1, 1, one, 1, 1, 1), Err(no()));
    assert_eq!(ext.transfer_governance(A), Err(no()));
    assert_eq!(ext.accept_governance(), Err(no()));
    assert_eq!(ext.accept_governance_of(A), Err(no()));
    assert_eq!(ext.proposal(one), Err(no()));
    assert_eq!(ext.has_voted(one, A), Err(no()));
    assert_eq!(ext.participation(A), Err(no()));
    assert_eq!(ext.nonces(A), Err(no()));
    assert_eq!(ext.domain_separator(), Err(no()));
    assert_eq!(ext.settings(), Err(no()));
    assert_eq!(ext.governance(), Err(no()));
    assert_eq!(ext.pending_governance(), Err(no()));
    assert_eq!(ext.version(), Err(no()));
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn direct_calls_write_nothing() {
    let vm = TestVM::default();
    vm.set_sender(A);
    let mut ext = SubDaoExtension::from(&vm);
    assert!(ext.transfer_governance(A).is_err());
    assert!(ext.accept_governance().is_err());
    assert!(ext.set_settings(A, 1, 1, U256::from(1), 1, 1, 1).is_err());
    assert!(ext
        .propose_slash(A, U256::from(1), FixedBytes::ZERO)
        .is_err());
    assert!(ext.accept_governance_of(A).is_err());
    // No slot holds a value: governance (slot 0, the first field of the layout) included.
    assert_eq!(vm.storage_load_bytes32(U256::ZERO), B256::ZERO);
    assert!(vm.snapshot().storage.values().all(|v| v.is_zero()));
    // A second instance on the same storage still finds it empty.
    let fresh = SubDaoExtension::from(&vm);
    assert_eq!(fresh.version(), Err(Error::NotDelegated(NotDelegated {})));
    assert!(vm.get_emitted_logs().is_empty());
}
