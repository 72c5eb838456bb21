//! Tests of the core program: construction, the fallback's forwarding, and the storage it
//! shares with the extension program (both instantiated on one `TestVM`).
use agentdao_common::errors::ZeroAddress;
use agentdao_common::extension::NotDelegated;
use agentdao_common::raw_bytes::RawBytes;
use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::SolError;
use staking_vault_ext::StakingVaultExtension;
use staking_vault_state::{ERC5805FutureLookup, InsufficientStake, UnknownValidator};
use stylus_sdk::testing::TestVM;

use crate::{Error, StakingVault};

alloy_sol_types::sol! {
    function slash(address validator, uint256 bps, bytes32 reasonHash);
}

const CORE: Address = Address::repeat_byte(0xAA);
const EXT: Address = Address::repeat_byte(0xAB);
const LP: Address = Address::repeat_byte(0x01);
const REWARD: Address = Address::repeat_byte(0x02);
const GOV: Address = Address::repeat_byte(0x60);
const TREASURY: Address = Address::repeat_byte(0x70);
const VAL: Address = Address::repeat_byte(0x11);
const START: u64 = 1_700_000_000;

fn vm() -> TestVM {
    let vm = TestVM::default();
    vm.set_contract_address(CORE);
    vm.set_block_timestamp(START);
    vm.set_sender(GOV);
    vm
}

fn deploy(vm: &TestVM, extension: Address) -> (StakingVault, Result<(), Error>) {
    let mut core = StakingVault::from(vm);
    let period = U256::from(7 * 24 * 3600);
    let result = core.constructor(
        LP,
        REWARD,
        GOV,
        TREASURY,
        period,
        U256::from(2_000),
        extension,
    );
    (core, result)
}

#[test]
fn constructor_requires_an_extension() {
    let vm = vm();
    let (_, result) = deploy(&vm, Address::ZERO);
    assert_eq!(result, Err(Error::ZeroAddress(ZeroAddress {})));
    // Nothing was stored: the extension still refuses this storage.
    let ext = StakingVaultExtension::from(&vm);
    assert_eq!(ext.governance(), Err(Error::NotDelegated(NotDelegated {})));
}

#[test]
fn both_programs_share_the_storage() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let mut ext = StakingVaultExtension::from(&vm);
    // The extension reads what the core's constructor wrote.
    assert_eq!(ext.governance(), Ok(GOV));
    assert_eq!(ext.extension(), Ok(EXT));
    let params = ext.parameters().unwrap();
    assert_eq!((params.0, params.1, params.2), (LP, REWARD, TREASURY));
    // The core sees a validator the extension registered.
    assert_eq!(
        core.unstake(VAL, U256::from(1)),
        Err(Error::UnknownValidator(UnknownValidator { validator: VAL }))
    );
    vm.set_sender(VAL);
    ext.register_validator(U256::from(100), RawBytes::from(&b"ipfs://v"[..]))
        .unwrap();
    assert_eq!(ext.is_validator(VAL), Ok(true));
    assert_eq!(
        core.unstake(VAL, U256::from(1)),
        Err(Error::InsufficientStake(InsufficientStake {
            have: U256::ZERO,
            want: U256::from(1)
        }))
    );
    // Governance acts through the extension on the shared state; the core's views follow.
    vm.set_sender(GOV);
    assert_eq!(ext.jailer(), Ok(Address::ZERO));
    let (_, _, treasury, period, max_commission, max_slash) = ext.parameters().unwrap();
    core.set_parameters(treasury, period, max_commission, max_slash, VAL)
        .unwrap();
    assert_eq!(ext.jailer(), Ok(VAL));
    ext.jail(VAL).unwrap();
    assert_eq!(ext.is_validator(VAL), Ok(false));
    assert_eq!(core.get_votes(VAL), U256::ZERO);
    assert_eq!(ext.get_total_votes(), Ok(U256::ZERO));
}

#[test]
fn core_views_follow_the_clock() {
    let vm = vm();
    let (core, result) = deploy(&vm, EXT);
    result.unwrap();
    // The ERC-6372 clock and its mode are the extension's (not a hot path), read through the
    // same storage.
    let ext = StakingVaultExtension::from(&vm);
    assert_eq!(ext.clock(), Ok(alloy_primitives::aliases::U48::from(START)));
    assert_eq!(ext.clock_mode(), Ok("mode=timestamp".into()));
    assert_eq!(
        core.get_past_total_supply(U256::from(START)),
        Err(Error::ERC5805FutureLookup(ERC5805FutureLookup {
            timepoint: U256::from(START),
            clock: alloy_primitives::aliases::U48::from(START)
        }))
    );
    assert_eq!(
        core.get_past_votes(VAL, U256::from(START - 1)),
        Ok(U256::ZERO)
    );
}

#[test]
fn fallback_forwards_to_the_stored_extension() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = slashCall {
        validator: VAL,
        bps: U256::from(100),
        reasonHash: FixedBytes::ZERO,
    };
    let calldata = alloy_sol_types::SolCall::abi_encode(&calldata);
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(vec![1, 2, 3]));
    assert_eq!(core.fallback(&calldata), Ok(vec![1, 2, 3]));
}

#[test]
fn fallback_bubbles_the_extension_revert() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = vec![0x12, 0x34, 0x56, 0x78];
    let revert = UnknownValidator { validator: VAL }.abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Err(revert.clone()));
    assert_eq!(core.fallback(&calldata), Err(revert));
}
