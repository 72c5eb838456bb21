//! Tests of the program's ABI: construction and the routing of selectors to the state's
//! functions (the behaviour itself is tested in `rewards-state`).
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_sdk::abi::Router;
use stylus_sdk::testing::TestVM;

use crate::RewardsProgram;

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
const T0: u64 = 1_000_000;
const WEEK: u64 = 7 * 86_400;

fn deploy(vm: &TestVM) -> RewardsProgram {
    vm.set_block_timestamp(T0);
    let mut program = RewardsProgram::from(vm);
    program.constructor(GOV, TOKEN, VAULT, LEDGER).unwrap();
    program
}

fn route(program: &mut RewardsProgram, calldata: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    let selector = u32::from_be_bytes(calldata[..4].try_into().unwrap());
    <RewardsProgram as Router<RewardsProgram>>::route(program, selector, &calldata[4..])
        .expect("known selector")
}

#[test]
fn selectors_reach_the_state() {
    let vm = TestVM::default();
    let mut program = deploy(&vm);
    let out = route(&mut program, &contractsCall {}.abi_encode()).unwrap();
    assert_eq!(out, (TOKEN, VAULT, LEDGER).abi_encode_params());
    let out = route(&mut program, &currentEpochCall {}.abi_encode()).unwrap();
    assert_eq!(
        out,
        (U256::ZERO, U256::from(T0), U256::from(T0 + WEEK)).abi_encode_params()
    );
    let out = route(&mut program, &paramsCall {}.abi_encode()).unwrap();
    let decoded = paramsCall::abi_decode_returns(&out).unwrap();
    assert_eq!(decoded[0], WEEK);
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
    let mut program = RewardsProgram::from(&vm);
    assert!(program
        .constructor(GOV, TOKEN, Address::ZERO, LEDGER)
        .is_err());
}
