//! TestVM unit tests and property tests of the agent token.
//!
//! Helpers shared by the test modules: a deployed token, named accounts, log decoding and
//! [`assert_fails_unchanged`], which checks that a failing call returns the expected error,
//! writes no storage and emits no log.
mod erc20;
mod governance;
mod permit;
mod props;
mod tax;

use alloc::string::String;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::TestVM;

use crate::sol::Transfer;
use crate::{AgentToken, Error};

pub(crate) const GOV: Address = Address::repeat_byte(0x60);
pub(crate) const TREASURY: Address = Address::repeat_byte(0x7e);
pub(crate) const ALICE: Address = Address::repeat_byte(0xa1);
pub(crate) const BOB: Address = Address::repeat_byte(0xb0);
pub(crate) const CAROL: Address = Address::repeat_byte(0xca);
pub(crate) const POOL: Address = Address::repeat_byte(0x90);
pub(crate) const EVE: Address = Address::repeat_byte(0xee);

/// One million tokens of 18 decimals.
pub(crate) fn supply() -> U256 {
    U256::from(1_000_000u64) * U256::from(10u64).pow(U256::from(18))
}

/// A token named "Agent"/"AGT" with [`supply`] minted to [`ALICE`], taxed to [`TREASURY`],
/// governed by [`GOV`]; the constructor's logs are cleared.
pub(crate) fn deploy() -> (TestVM, AgentToken) {
    deploy_with(supply(), ALICE)
}

/// As [`deploy`] with a chosen supply and holder.
pub(crate) fn deploy_with(initial_supply: U256, holder: Address) -> (TestVM, AgentToken) {
    let vm = TestVM::default();
    let mut token = AgentToken::from(&vm);
    token
        .constructor(
            String::from("Agent"),
            String::from("AGT"),
            initial_supply,
            holder,
            TREASURY,
            GOV,
            crate::tax::MAX_TAX_BPS,
        )
        .unwrap();
    vm.clear_mocks();
    (vm, token)
}

/// `n` tokens in base units.
pub(crate) fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// The first topic (event signature) of every log emitted so far.
pub(crate) fn event_signatures(vm: &TestVM) -> Vec<B256> {
    vm.get_emitted_logs()
        .into_iter()
        .map(|(topics, _)| topics[0])
        .collect()
}

/// Every `Transfer` log emitted so far as `(from, to, value)`.
pub(crate) fn transfers(vm: &TestVM) -> Vec<(Address, Address, U256)> {
    vm.get_emitted_logs()
        .into_iter()
        .filter(|(topics, _)| topics[0] == Transfer::SIGNATURE_HASH)
        .map(|(topics, data)| {
            let log = Transfer::decode_raw_log(topics, &data).unwrap();
            (log.from, log.to, log.value)
        })
        .collect()
}

/// Decodes the single log of type `E` emitted so far.
pub(crate) fn only_event<E: SolEvent>(vm: &TestVM) -> E {
    let mut found: Vec<E> = events(vm);
    assert_eq!(found.len(), 1, "expected exactly one {}", E::SIGNATURE);
    found.pop().unwrap()
}

/// Every log of event `E` emitted so far, decoded, in order.
pub(crate) fn events<E: SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .into_iter()
        .filter(|(topics, _)| topics[0] == E::SIGNATURE_HASH)
        .map(|(topics, data)| E::decode_raw_log(topics, &data).unwrap())
        .collect()
}

/// Runs `call`, expects `Err(expected)`, and checks that no storage slot changed and no log
/// was emitted.
pub(crate) fn assert_fails_unchanged<T: core::fmt::Debug>(
    vm: &TestVM,
    expected: impl Into<Error>,
    call: impl FnOnce() -> Result<T, Error>,
) {
    let before = vm.snapshot();
    let result = call();
    let after = vm.snapshot();
    assert_eq!(result.unwrap_err(), expected.into());
    assert_eq!(
        before.storage, after.storage,
        "a failing call changed storage"
    );
    assert_eq!(
        before.emitted_logs.len(),
        after.emitted_logs.len(),
        "a failing call emitted a log"
    );
}

/// Every error's compact revert data (selector and words) is exactly what Solidity, and
/// `#[derive(SolidityError)]`, would encode, and no two errors share a selector.
#[test]
fn compact_revert_data_matches_the_abi_encoding() {
    assert_eq!(
        Error::assert_compact_encoding(),
        18,
        "one sample per variant"
    );
}

/// Every event's generated `emit` writes exactly the log alloy's `SolEvent` encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 8);
}
