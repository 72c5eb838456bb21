//! Tests of the extension program at its own address: every function refuses to run on the
//! extension's own (empty) storage with `NotDelegated`, and nothing gets written.
use agentdao_common::extension::NotDelegated;
use alloy_primitives::{Address, B256, I256, U256};
use stylus_sdk::stylus_core::host::StorageAccess;
use stylus_sdk::testing::TestVM;

use crate::{EloLedgerExtension, Error};

const A: Address = Address::repeat_byte(0x11);

#[test]
fn every_function_refuses_direct_calls() {
    let vm = TestVM::default();
    vm.set_contract_address(Address::repeat_byte(0xE7));
    vm.set_sender(A);
    let mut ext = EloLedgerExtension::from(&vm);
    let no = || Error::NotDelegated(NotDelegated {});
    let one = U256::from(1);
    let hash = B256::repeat_byte(1);
    assert_eq!(
        ext.register_model(hash, "ipfs://m".into(), U256::ZERO, U256::ZERO),
        Err(no())
    );
    assert_eq!(ext.register_dataset(hash, "ipfs://d".into()), Err(no()));
    assert_eq!(ext.upgrade_model(one, one), Err(no()));

    assert_eq!(ext.finalize_dataset(one), Err(no()));
    assert_eq!(ext.withdraw_bond(), Err(no()));
    assert_eq!(
        ext.set_params(60, 60, 1, 1, one, 1, I256::ZERO, 1, 0, 0),
        Err(no())
    );
    assert_eq!(ext.transfer_governance(A), Err(no()));
    assert_eq!(ext.accept_governance(), Err(no()));
    assert_eq!(ext.governance(), Err(no()));
    assert_eq!(ext.pending_governance(), Err(no()));
    assert_eq!(ext.version(), Err(no()));
    assert_eq!(ext.vault(), Err(no()));
    assert_eq!(ext.dataset_info(one), Err(no()));
    assert_eq!(ext.session_info(one), Err(no()));
    assert_eq!(ext.top_models(one), Err(no()));
    assert_eq!(ext.upgrade_gate(one, one), Err(no()));

    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn direct_calls_write_nothing() {
    let vm = TestVM::default();
    vm.set_sender(A);
    let mut ext = EloLedgerExtension::from(&vm);
    assert!(ext.transfer_governance(A).is_err());
    assert!(ext.accept_governance().is_err());
    assert!(ext
        .register_model(B256::ZERO, "x".into(), U256::ZERO, U256::ZERO)
        .is_err());
    assert!(ext.register_dataset(B256::ZERO, "x".into()).is_err());
    assert!(ext
        .set_params(60, 60, 1, 1, U256::ZERO, 1, I256::ZERO, 1, 0, 0)
        .is_err());
    // Every slot of the layout's fixed part (governance, lock, vault, champion, the lengths of
    // the registries, parameters, extension) stays unset.
    for slot in 0..20u64 {
        assert_eq!(vm.storage_load_bytes32(U256::from(slot)), B256::ZERO);
    }
    // A second instance on the same storage still finds it empty.
    let fresh = EloLedgerExtension::from(&vm);
    assert_eq!(
        fresh.governance(),
        Err(Error::NotDelegated(NotDelegated {}))
    );
    assert!(vm.get_emitted_logs().is_empty());
}
