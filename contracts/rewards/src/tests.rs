//! Tests of the core program: construction, the routing of its selectors to the state's
//! functions and the fallback's forwarding to the extension (the behaviour itself is tested in
//! `rewards-state`).
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_sdk::abi::Router;
use stylus_sdk::testing::TestVM;

use crate::Rewards;

sol! {
    function params() returns (uint64[9]);
    function currentEpoch() returns (uint256, uint256, uint256);
    function closeEpoch() returns (uint256);
    function contracts() returns (address, address, address);
    error EpochNotOver(uint256 end, uint256 now);
    error ZeroAddress();
}

const GOV: Address = Address::repeat_byte(0x60);
const TOKEN: Address = Address::repeat_byte(0x70);
const VAULT: Address = Address::repeat_byte(0x7a);
const LEDGER: Address = Address::repeat_byte(0x7e);
const EXT: Address = Address::repeat_byte(0x78);
const T0: u64 = 1_000_000;
const WEEK: u64 = 7 * 86_400;

fn deploy(vm: &TestVM) -> Rewards {
    vm.set_block_timestamp(T0);
    let mut program = Rewards::from(vm);
    program.constructor(GOV, TOKEN, VAULT, LEDGER, EXT).unwrap();
    program
}

fn route(program: &mut Rewards, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let selector = u32::from_be_bytes(calldata[..4].try_into().unwrap());
    <Rewards as Router<Rewards>>::route(program, selector, &calldata[4..]).expect("known selector")
}

#[test]
fn selectors_reach_the_state() {
    let vm = TestVM::default();
    let mut program = deploy(&vm);
    // Views of the extension are not routed by the core: its fallback forwards them.
    let calldata = contractsCall {}.abi_encode();
    let selector = u32::from_be_bytes(calldata[..4].try_into().unwrap());
    assert!(<Rewards as Router<Rewards>>::route(&mut program, selector, &calldata[4..]).is_none());
    let answer = (TOKEN, VAULT, LEDGER).abi_encode_params();
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(answer.clone()));
    assert_eq!(
        <Rewards as Router<Rewards>>::fallback(&mut program, &calldata),
        Some(Ok(answer))
    );
    for calldata in [currentEpochCall {}.abi_encode(), paramsCall {}.abi_encode()] {
        let selector = u32::from_be_bytes(calldata[..4].try_into().unwrap());
        assert!(
            <Rewards as Router<Rewards>>::route(&mut program, selector, &calldata[4..]).is_none()
        );
    }
    // A typed error comes back as its revert data.
    let err = route(&mut program, &closeEpochCall {}.abi_encode()).unwrap_err();
    assert_eq!(
        err,
        alloy_sol_types::SolError::abi_encode(&EpochNotOver {
            end: U256::from(T0 + WEEK),
            now: U256::from(T0),
        })
    );
}

#[test]
fn constructor_refuses_a_zero_address() {
    let vm = TestVM::default();
    let mut program = Rewards::from(&vm);
    assert!(program
        .constructor(GOV, TOKEN, VAULT, LEDGER, Address::ZERO)
        .is_err());
}
