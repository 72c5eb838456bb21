//! Tests of the extension program at its own address: every function refuses to run on the
//! extension's own (empty) storage with `NotDelegated`, and nothing gets written.
use agentdao_common::extension::NotDelegated;
use agentdao_common::raw_bytes::RawBytes;
use alloy_primitives::{Address, FixedBytes, U256};
use stylus_sdk::stylus_core::host::StorageAccess;
use stylus_sdk::testing::TestVM;

use crate::{Error, StakingVaultExtension};

const A: Address = Address::repeat_byte(0x11);

#[test]
fn every_function_refuses_direct_calls() {
    let vm = TestVM::default();
    vm.set_contract_address(Address::repeat_byte(0xAB));
    vm.set_sender(A);
    let mut ext = StakingVaultExtension::from(&vm);
    let no = || Error::NotDelegated(NotDelegated {});
    let one = U256::from(1);
    let hash = FixedBytes::ZERO;
    let uri = RawBytes::from(&b"ipfs://v"[..]);
    assert_eq!(ext.register_validator(one, uri), Err(no()));
    assert_eq!(ext.announce_commission(one), Err(no()));
    assert_eq!(ext.deregister_validator(), Err(no()));
    assert_eq!(ext.slash(A, one, hash), Err(no()));
    assert_eq!(ext.slash_and_jail(A, one, hash), Err(no()));
    assert_eq!(ext.jail(A), Err(no()));
    assert_eq!(ext.unjail(A), Err(no()));
    assert_eq!(ext.transfer_governance(A), Err(no()));
    assert_eq!(ext.accept_governance(), Err(no()));
    assert_eq!(ext.extension(), Err(no()));
    assert_eq!(ext.governance(), Err(no()));
    assert_eq!(ext.pending_governance(), Err(no()));
    assert_eq!(ext.jailer(), Err(no()));
    assert_eq!(ext.pending_rewards(A), Err(no()));
    assert_eq!(ext.clock(), Err(no()));
    assert_eq!(ext.clock_mode(), Err(no()));
    assert_eq!(ext.version(), Err(no()));
    assert_eq!(ext.parameters(), Err(no()));
    assert_eq!(ext.is_validator(A), Err(no()));
    assert_eq!(ext.get_total_votes(), Err(no()));
    assert_eq!(ext.validators(), Err(no()));
    assert_eq!(ext.validator_info(A), Err(no()));
    assert_eq!(ext.stake_of(A, A), Err(no()));
    assert_eq!(ext.delegations_of(A), Err(no()));
    assert_eq!(ext.unbonding_entries_of(A), Err(no()));
    assert_eq!(ext.unbonding_entry(U256::ZERO), Err(no()));
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn direct_calls_write_nothing() {
    let vm = TestVM::default();
    vm.set_sender(A);
    let mut ext = StakingVaultExtension::from(&vm);
    assert!(ext.transfer_governance(A).is_err());
    assert!(ext.accept_governance().is_err());
    assert!(ext
        .register_validator(U256::from(1), RawBytes::from(&b"x"[..]))
        .is_err());
    // Governance and its nominee (slots 0 and 1, the first fields of the layout) stay unset.
    for slot in [U256::ZERO, U256::from(1)] {
        assert_eq!(vm.storage_load_bytes32(slot), alloy_primitives::B256::ZERO);
    }
    // A second instance on the same storage still finds it empty.
    let fresh = StakingVaultExtension::from(&vm);
    assert_eq!(fresh.extension(), Err(Error::NotDelegated(NotDelegated {})));
    assert!(vm.get_emitted_logs().is_empty());
}
