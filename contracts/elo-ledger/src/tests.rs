//! Tests of the core program: construction, the fallback's forwarding, and the storage it
//! shares with the extension program (both instantiated on one `TestVM`).
use agentdao_common::errors::ZeroAddress;
use agentdao_common::extension::NotDelegated;
use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{SolCall, SolError};
use elo_ledger_ext::EloLedgerExtension;
use elo_ledger_state::{SessionClosed, UnknownModel};
use stylus_sdk::testing::TestVM;

use crate::{commitment, EloLedger, Error};

alloy_sol_types::sol! {
    function getPastVotes(address validator, uint256 timepoint) returns (uint256);
    function topModels(uint256 n) returns (uint256[], int256[], uint256[]);
}

const CORE: Address = Address::repeat_byte(0xAA);
const EXT: Address = Address::repeat_byte(0xAB);
const GOV: Address = Address::repeat_byte(0x60);
const VAULT: Address = Address::repeat_byte(0x7a);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const V1: Address = Address::repeat_byte(0x01);
const START: u64 = 1_000_000;
const DAY: u64 = 86_400;
const SEED: B256 = B256::repeat_byte(0x5e);
/// The initial rating, 1000 in 18-decimal fixed point.
const INITIAL: i128 = 1_000 * 1_000_000_000_000_000_000;

fn vm() -> TestVM {
    let vm = TestVM::default();
    vm.set_contract_address(CORE);
    vm.set_block_timestamp(START);
    vm.set_sender(GOV);
    vm
}

fn deploy(vm: &TestVM, extension: Address) -> (EloLedger, Result<(), Error>) {
    let mut core = EloLedger::from(vm);
    let result = core.constructor(GOV, VAULT, extension);
    (core, result)
}

fn u(x: u64) -> U256 {
    U256::from(x)
}

#[test]
fn constructor_requires_an_extension() {
    let vm = vm();
    let (core, result) = deploy(&vm, Address::ZERO);
    assert_eq!(result, Err(Error::ZeroAddress(ZeroAddress {})));
    assert_eq!(core.extension(), Address::ZERO);
    // Nothing was stored: the extension still refuses this storage.
    let ext = EloLedgerExtension::from(&vm);
    assert_eq!(ext.governance(), Err(Error::NotDelegated(NotDelegated {})));
    assert_eq!(ext.vault(), Err(Error::NotDelegated(NotDelegated {})));
}

#[test]
fn both_programs_share_the_storage() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let mut ext = EloLedgerExtension::from(&vm);
    // The extension reads what the core's constructor wrote.
    assert_eq!(core.extension(), EXT);
    assert_eq!(ext.governance(), Ok(GOV));
    assert_eq!(ext.vault(), Ok(VAULT));
    assert_eq!(ext.version(), Ok("0.2.0".into()));
    // The core sees the models the extension registered.
    assert_eq!(
        core.rating_of(u(1)),
        Err(Error::UnknownModel(UnknownModel { id: u(1) }))
    );
    vm.set_sender(ALICE);
    let a = ext
        .register_model(B256::repeat_byte(1), "a".into(), U256::ZERO, U256::ZERO)
        .unwrap();
    vm.set_sender(BOB);
    let b = ext
        .register_model(B256::repeat_byte(2), "b".into(), U256::ZERO, U256::ZERO)
        .unwrap();
    assert_eq!(core.rating_of(a), Ok(I256::try_from(INITIAL).unwrap()));
    // A session through the core, with the window governance set through the extension.
    vm.set_sender(GOV);
    ext.set_params(
        2 * DAY,
        DAY,
        1,
        64,
        U256::ZERO,
        100,
        I256::ZERO,
        2_000,
        0,
        1,
    )
    .unwrap();
    // Governance appoints the operator (no bond, a minimum stake of 5).
    core.set_validation(GOV, U256::ZERO, u(5)).unwrap();
    let id = core.request_session(a, b).unwrap();
    assert_eq!(ext.session_info(id), Ok((u(0), u(0), u(0))));
    core.open_session(id, alloy_primitives::keccak256(SEED))
        .unwrap();
    assert_eq!(ext.session_info(id), Ok((u(1), u(0), u(0))));
    let vote = getPastVotesCall {
        validator: V1,
        timepoint: u(START - 1),
    };
    vm.mock_static_call(
        VAULT,
        vote.abi_encode(),
        Ok(u(5).to_be_bytes::<32>().to_vec()),
    );
    let results = [0u8; 10];
    let salt = B256::repeat_byte(0x33);
    vm.set_sender(V1);
    core.commit_vote(id, commitment(&vm, &results, salt, V1))
        .unwrap();
    // The two-day commit window set through the extension applies.
    vm.set_block_timestamp(START + 2 * DAY);
    core.reveal_seed(id, SEED).unwrap();
    core.reveal_vote(id, results[..].into(), salt).unwrap();
    assert_eq!(ext.session_info(id), Ok((u(1), u(1), u(1))));
    vm.set_block_timestamp(START + 3 * DAY);
    core.finalize_session(id).unwrap();
    assert_eq!(
        core.finalize_session(id),
        Err(Error::SessionClosed(SessionClosed {}))
    );
    // The extension's views follow the core's Elo update.
    assert_eq!(ext.session_info(id), Ok((u(2), u(1), u(1))));
    let (ids, ratings, games) = ext.top_models(u(2)).unwrap();
    assert_eq!(games, vec![u(10), u(10)]);
    assert_eq!(ratings[0], core.rating_of(ids[0]).unwrap());
    assert_eq!(ratings[1], core.rating_of(ids[1]).unwrap());
    assert!(ratings[0] > ratings[1]);
    let sum = ratings[0].checked_add(ratings[1]).unwrap();
    assert_eq!(sum, I256::try_from(2 * INITIAL).unwrap());
    assert_eq!(core.validator_record(V1, U256::ZERO).unwrap().1, u(1));
    assert_eq!(core.battle_records(), u(1));
    // The gate view in the extension reads the core's records: no champion yet.
    let initial = I256::try_from(INITIAL).unwrap();
    assert_eq!(ext.upgrade_gate(ids[0], u(1)), Ok((initial, initial)));
    // Governance crowns the winner through the extension; the core's view follows.
    assert_eq!(core.champion_model(), U256::ZERO);
    vm.set_sender(GOV);
    ext.upgrade_model(ids[0], u(1)).unwrap();
    assert_eq!(core.champion_model(), ids[0]);
}

#[test]
fn fallback_forwards_to_the_stored_extension() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = topModelsCall { n: u(3) }.abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(vec![1, 2, 3]));
    assert_eq!(core.fallback(&calldata), Ok(vec![1, 2, 3]));
}

#[test]
fn fallback_bubbles_the_extension_revert() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = vec![0x12, 0x34, 0x56, 0x78];
    let revert = UnknownModel { id: u(9) }.abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Err(revert.clone()));
    assert_eq!(core.fallback(&calldata), Err(revert));
}
