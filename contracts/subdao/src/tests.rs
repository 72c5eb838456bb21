//! Tests of the core program: construction, the fallback's forwarding (and its refusal of
//! value), receiving ETH, and the storage it shares with the extension program (both
//! instantiated on one `TestVM`).
use agentdao_common::eip712;
use agentdao_common::errors::ZeroAddress;
use agentdao_common::extension::NotDelegated;
use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use stylus_sdk::abi::Router;
use stylus_sdk::stylus_core::host::ChainAccess;
use stylus_sdk::testing::TestVM;
use subdao_ext::SubDaoExtension;
use subdao_state::ballot::DOMAIN_NAME_HASH;
use subdao_state::{NonexistentProposal, Unauthorized};

use crate::{Error, SubDao};

sol! {
    function getPastVotes(address validator, uint256 timepoint) returns (uint256);
    function cancel(uint256 proposalId);
    function queue(uint256 proposalId) returns (uint64);
    function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256);
}

const CORE: Address = Address::repeat_byte(0xd0);
const EXT: Address = Address::repeat_byte(0xd1);
const VAULT: Address = Address::repeat_byte(0xa1);
const LEDGER: Address = Address::repeat_byte(0xa2);
const TOKEN: Address = Address::repeat_byte(0xa3);
const ALICE: Address = Address::repeat_byte(0x01);
const T0: u64 = 1_000_000;
const DELAY: u64 = 10;

fn vm() -> TestVM {
    let vm = TestVM::default();
    vm.set_contract_address(CORE);
    vm.set_block_timestamp(T0);
    vm
}

fn deploy(vm: &TestVM, extension: Address) -> (SubDao, Result<(), Error>) {
    let mut core = SubDao::from(vm);
    let threshold = U256::from(100);
    let result = core.constructor(
        VAULT, LEDGER, DELAY, 100, threshold, 400, 50, 200, extension,
    );
    (core, result)
}

/// Mocks the vault: `account` had `votes` at `timepoint`.
fn power(vm: &TestVM, account: Address, timepoint: u64, votes: u64) {
    let call = getPastVotesCall {
        validator: account,
        timepoint: U256::from(timepoint),
    };
    let answer = U256::from(votes).abi_encode();
    vm.mock_static_call(VAULT, call.abi_encode(), Ok(answer));
}

/// ALICE, with 1,000 votes just before now, proposes one call to [`TOKEN`] via the core.
fn propose(vm: &TestVM, core: &mut SubDao, description: &str) -> U256 {
    power(vm, ALICE, T0 - 1, 1_000);
    vm.set_sender(ALICE);
    let calldata = vec![0x12, 0x34].into();
    core.propose(
        vec![TOKEN],
        vec![U256::ZERO],
        vec![calldata],
        description.into(),
    )
    .unwrap()
}

#[test]
fn constructor_requires_an_extension() {
    let vm = vm();
    let (core, result) = deploy(&vm, Address::ZERO);
    assert_eq!(result, Err(Error::ZeroAddress(ZeroAddress {})));
    assert_eq!(core.extension(), Address::ZERO);
    // Nothing usable was stored: the extension still refuses this storage.
    let ext = SubDaoExtension::from(&vm);
    assert_eq!(ext.governance(), Err(Error::NotDelegated(NotDelegated {})));
}

#[test]
fn both_programs_share_the_storage() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let mut ext = SubDaoExtension::from(&vm);
    // The extension reads what the core's constructor wrote.
    assert_eq!(core.extension(), EXT);
    assert_eq!(ext.governance(), Ok(CORE), "the SubDAO governs itself");
    let settings = ext.settings().unwrap();
    assert_eq!((settings.0, settings.1, settings.2), (VAULT, LEDGER, DELAY));
    // Ballots are signed for the core's address, where the extension's code runs.
    let domain = eip712::domain_separator(
        DOMAIN_NAME_HASH,
        eip712::VERSION_1_HASH,
        vm.chain_id(),
        CORE,
    );
    assert_eq!(ext.domain_separator(), Ok(domain));
    // A proposal made through the core is visible to the extension's views...
    let id = propose(&vm, &mut core, "first");
    let record = ext.proposal(id).unwrap();
    assert_eq!((record.0, record.1), (ALICE, T0 + DELAY));
    assert_eq!(ext.participation(ALICE), Ok((0, 1, 1)));
    // ...and cancelled through the extension, which the core's state follows.
    assert_eq!(core.state(id), Ok(0));
    ext.cancel(id).unwrap();
    assert_eq!(core.state(id), Ok(2));
    // Settings changed through the extension (by the SubDAO itself) apply to the core.
    vm.set_sender(CORE);
    ext.set_settings(LEDGER, 3 * DELAY, 100, U256::from(100), 400, 50, 200)
        .unwrap();
    let second = propose(&vm, &mut core, "second");
    assert_eq!(ext.proposal(second).unwrap().1, T0 + 3 * DELAY);
    assert_eq!(
        core.state(U256::from(7)),
        Err(Error::NonexistentProposal(NonexistentProposal {
            proposalId: U256::from(7)
        }))
    );
}

#[test]
fn fallback_forwards_to_the_stored_extension() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = cancelCall {
        proposalId: U256::from(1),
    }
    .abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(vec![1, 2, 3]));
    assert_eq!(core.fallback(&calldata), Ok(vec![1, 2, 3]));
}

#[test]
fn fallback_bubbles_the_extension_revert() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = cancelCall {
        proposalId: U256::from(1),
    }
    .abi_encode();
    let revert = Unauthorized {
        caller: ALICE,
        required: CORE,
    }
    .abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Err(revert.clone()));
    assert_eq!(core.fallback(&calldata), Err(revert));
}

#[test]
fn the_router_sends_unknown_selectors_to_the_extension() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = cancelCall {
        proposalId: U256::from(1),
    }
    .abi_encode();
    let selector = u32::from_be_bytes(cancelCall::SELECTOR);
    // The core has no `cancel`: the router falls back, and the fallback forwards.
    assert!(<SubDao as Router<SubDao>>::route(&mut core, selector, &calldata[4..]).is_none());
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(vec![]));
    assert_eq!(
        <SubDao as Router<SubDao>>::fallback(&mut core, &calldata),
        Some(Ok(vec![]))
    );
}

#[test]
fn the_fallback_refuses_value() {
    // A delegate call keeps the caller's `msg.value`; every extension function is non-payable,
    // so the core refuses value before forwarding, with the SDK's non-payable revert (empty).
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = cancelCall {
        proposalId: U256::from(1),
    }
    .abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(vec![9]));
    vm.set_value(U256::from(1));
    assert_eq!(
        <SubDao as Router<SubDao>>::fallback(&mut core, &calldata),
        Some(Err(vec![]))
    );
    // The same call without value is forwarded.
    vm.set_value(U256::ZERO);
    assert_eq!(
        <SubDao as Router<SubDao>>::fallback(&mut core, &calldata),
        Some(Ok(vec![9]))
    );
}

#[test]
fn the_treasury_receives_eth() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    vm.set_value(U256::from(1_000));
    assert_eq!(core.receive(), Ok(()));
    // Empty calldata with value reaches `receive`, not the (non-payable) fallback.
    assert_eq!(<SubDao as Router<SubDao>>::receive(&mut core), Some(Ok(())));
}

#[test]
fn execute_is_payable_and_queue_is_not() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    vm.set_value(U256::from(1));
    // `execute` accepts the value and fails on the (unknown) proposal itself...
    let call = executeCall {
        targets: vec![TOKEN],
        values: vec![U256::ZERO],
        calldatas: vec![vec![0x12].into()],
        descriptionHash: FixedBytes::ZERO,
    }
    .abi_encode();
    let selector = u32::from_be_bytes(executeCall::SELECTOR);
    let answer = <SubDao as Router<SubDao>>::route(&mut core, selector, &call[4..]).unwrap();
    let err = answer.unwrap_err();
    assert_eq!(&err[..4], NonexistentProposal::SELECTOR.as_slice());
    // ...while `queue` refuses it before looking at the proposal.
    let call = queueCall {
        proposalId: U256::from(1),
    }
    .abi_encode();
    let selector = u32::from_be_bytes(queueCall::SELECTOR);
    assert_eq!(
        <SubDao as Router<SubDao>>::route(&mut core, selector, &call[4..]),
        Some(Err(vec![]))
    );
}
