//! Tests of the extension program at its own address: every function refuses to run on the
//! extension's own (empty) storage with `NotDelegated`, and nothing gets written.
use agentdao_common::extension::NotDelegated;
use agentdao_common::raw_bytes::RawBytes;
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::stylus_core::host::StorageAccess;
use stylus_sdk::testing::TestVM;

use crate::{Error, OmlRegistryExtension, Params, Terms};

const A: Address = Address::repeat_byte(0x11);

fn terms() -> Terms {
    Terms {
        asset: Address::ZERO,
        usageFee: U256::from(10),
        collateral: U256::from(1_000),
        creatorBps: 10_000,
        ancestorsBps: 0,
        proversBps: 0,
        protocolBps: 0,
        ancestorDecayBps: 0,
        maxDepth: 0,
    }
}

fn params() -> Params {
    Params {
        treasury: A,
        challengeWindow: 10,
        cooldown: 20,
        claimBondBps: 1_000,
        bountyBps: 0,
        protocolSlashBps: 0,
    }
}

#[test]
fn every_function_refuses_direct_calls() {
    let vm = TestVM::default();
    vm.set_contract_address(Address::repeat_byte(0xAB));
    vm.set_sender(A);
    let mut ext = OmlRegistryExtension::from(&vm);
    let no = || Error::NotDelegated(NotDelegated {});
    let uri = || RawBytes::from(&b"ipfs://w"[..]);
    assert_eq!(ext.register_model(B256::ZERO, uri(), 0, terms()), Err(no()));
    assert_eq!(ext.publish_version(1, B256::ZERO, uri()), Err(no()));
    assert_eq!(ext.transfer_model_ownership(1, A), Err(no()));
    assert_eq!(ext.accept_model_ownership(1), Err(no()));
    assert_eq!(
        ext.set_fingerprint_root(1, B256::repeat_byte(1), 3),
        Err(no())
    );
    assert_eq!(ext.terminate_license(1), Err(no()));
    assert_eq!(ext.close_license(1), Err(no()));
    assert_eq!(ext.dispute_claim(1, B256::ZERO), Err(no()));
    assert_eq!(ext.resolve_dispute(1, true), Err(no()));
    assert_eq!(ext.set_params(params()), Err(no()));
    assert_eq!(ext.transfer_governance(A), Err(no()));
    assert_eq!(ext.accept_governance(), Err(no()));
    assert_eq!(ext.governance(), Err(no()));
    assert_eq!(ext.pending_governance(), Err(no()));
    assert_eq!(ext.version(), Err(no()));
    assert_eq!(ext.params(), Err(no()));
    assert_eq!(ext.model(1), Err(no()));
    assert_eq!(ext.parent_of(1), Err(no()));
    assert_eq!(ext.ancestors(1, 1), Err(no()));
    assert_eq!(ext.version_hash(1, 1), Err(no()));
    assert_eq!(ext.license(1), Err(no()));
    assert_eq!(ext.claim(1), Err(no()));
    assert_eq!(ext.credit(Address::ZERO, A), Err(no()));
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn direct_calls_write_nothing() {
    let vm = TestVM::default();
    vm.set_sender(A);
    let mut ext = OmlRegistryExtension::from(&vm);
    assert!(ext.transfer_governance(A).is_err());
    assert!(ext.accept_governance().is_err());
    assert!(ext.set_params(params()).is_err());
    assert!(ext
        .register_model(B256::ZERO, RawBytes::from(&b"x"[..]), 0, terms())
        .is_err());
    // Governance and its nominee (slots 0 and 1, the first fields of the layout) stay unset.
    for slot in [U256::ZERO, U256::from(1)] {
        assert_eq!(vm.storage_load_bytes32(slot), B256::ZERO);
    }
    // A second instance on the same storage still finds it empty.
    let fresh = OmlRegistryExtension::from(&vm);
    assert_eq!(
        fresh.governance(),
        Err(Error::NotDelegated(NotDelegated {}))
    );
    assert_eq!(fresh.params(), Err(Error::NotDelegated(NotDelegated {})));
    assert!(vm.get_emitted_logs().is_empty());
}
