//! Tests of the core program: construction, the fallback's forwarding, the storage it shares
//! with the extension program (both instantiated on one `TestVM`), and whole calls through both
//! programs' routers, where the core's delegate call runs the extension's router on the same
//! VM (same storage, sender and call value), as Nitro does.
use agentdao_common::errors::ZeroAddress;
use agentdao_common::extension::NotDelegated;
use agentdao_common::raw_bytes::RawBytes;
use agentdao_test_host::{Answer, Call, CallHost, CallKind, Calls, TestVM};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use oml_registry_ext::OmlRegistryExtension;
use oml_registry_state::sol::{UnknownModel, WrongPayment};
use stylus_sdk::abi::router_entrypoint;
use stylus_sdk::host::VM;

use crate::{Error, OmlRegistry, Params, Terms};

mod abi {
    alloy_sol_types::sol! {
        struct TermsAbi {
            address asset;
            uint256 usageFee;
            uint256 collateral;
            uint16 creatorBps;
            uint16 ancestorsBps;
            uint16 proversBps;
            uint16 protocolBps;
            uint16 ancestorDecayBps;
            uint8 maxDepth;
        }
        function registerModel(bytes32 contentHash, bytes uri, uint64 parentId, TermsAbi terms)
            returns (uint64);
        function requestLicense(uint64 modelId) returns (uint64);
        function reportUsage(uint64 licenseId, uint64 units);
        function license(uint64 licenseId)
            returns (uint64, address, uint256, bytes32, uint8, uint64, uint64, uint256);
        function credit(address asset, address payee) returns (uint256);
        function extension() returns (address);
        function governance() returns (address);
    }
}

const CORE: Address = Address::repeat_byte(0xAA);
const EXT: Address = Address::repeat_byte(0xAB);
const GOV: Address = Address::repeat_byte(0x60);
const TREASURY: Address = Address::repeat_byte(0x7e);
const ALICE: Address = Address::repeat_byte(0xa1);
const HOST: Address = Address::repeat_byte(0x40);
const COLLATERAL: u64 = 1_000;
const FEE: u64 = 10;

fn params() -> Params {
    Params {
        treasury: TREASURY,
        challengeWindow: 100,
        cooldown: 250,
        claimBondBps: 1_000,
        bountyBps: 3_000,
        protocolSlashBps: 1_000,
    }
}

/// ETH terms: the whole fee goes to the creator.
fn terms() -> Terms {
    Terms {
        asset: Address::ZERO,
        usageFee: U256::from(FEE),
        collateral: U256::from(COLLATERAL),
        creatorBps: 10_000,
        ancestorsBps: 0,
        proversBps: 0,
        protocolBps: 0,
        ancestorDecayBps: 0,
        maxDepth: 0,
    }
}

fn vm() -> TestVM {
    let vm = TestVM::default();
    vm.set_contract_address(CORE);
    vm.set_sender(GOV);
    vm
}

fn deploy(vm: &TestVM, extension: Address) -> (OmlRegistry, Result<(), Error>) {
    let mut core = OmlRegistry::from(vm);
    let result = core.constructor(GOV, params(), extension);
    (core, result)
}

fn as_(vm: &TestVM, who: Address, value: u64) {
    vm.set_sender(who);
    vm.set_value(U256::from(value));
}

#[test]
fn constructor_requires_an_extension() {
    let vm = vm();
    let (core, result) = deploy(&vm, Address::ZERO);
    assert_eq!(result, Err(Error::ZeroAddress(ZeroAddress {})));
    assert_eq!(core.extension(), Address::ZERO);
    // Nothing was stored: the extension still refuses this storage.
    let ext = OmlRegistryExtension::from(&vm);
    assert_eq!(ext.governance(), Err(Error::NotDelegated(NotDelegated {})));
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn both_programs_share_the_storage() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    assert_eq!(core.extension(), EXT);
    let mut ext = OmlRegistryExtension::from(&vm);
    // The extension reads what the core's constructor wrote.
    assert_eq!(ext.governance(), Ok(GOV));
    assert_eq!(ext.params(), Ok(params()));
    // The core sees a model the extension registered.
    as_(&vm, HOST, COLLATERAL);
    assert_eq!(
        core.request_license(1),
        Err(Error::UnknownModel(UnknownModel { modelId: 1 }))
    );
    as_(&vm, ALICE, 0);
    let uri = RawBytes::from(&b"ipfs://w"[..]);
    assert_eq!(
        ext.register_model(B256::repeat_byte(1), uri, 0, terms()),
        Ok(1)
    );
    as_(&vm, HOST, COLLATERAL);
    assert_eq!(core.request_license(1), Ok(1));
    // The extension sees the license and the payments the core took.
    let license = ext.license(1).unwrap();
    assert_eq!(
        (license.0, license.1, license.2),
        (1, HOST, U256::from(COLLATERAL))
    );
    as_(&vm, HOST, 3 * FEE);
    core.report_usage(1, 3).unwrap();
    assert_eq!(ext.credit(Address::ZERO, ALICE), Ok(U256::from(3 * FEE)));
    // The core pays out what the extension reports as credit.
    as_(&vm, ALICE, 0);
    assert_eq!(core.withdraw(Address::ZERO), Ok(U256::from(3 * FEE)));
    assert_eq!(ext.credit(Address::ZERO, ALICE), Ok(U256::ZERO));
    // Governance acts through the extension on the shared state.
    as_(&vm, GOV, 0);
    ext.transfer_governance(ALICE).unwrap();
    assert_eq!(ext.pending_governance(), Ok(ALICE));
}

#[test]
fn fallback_forwards_to_the_stored_extension() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = abi::governanceCall {}.abi_encode();
    let answer = GOV.into_word().to_vec();
    vm.mock_delegate_call(EXT, calldata.clone(), Ok(answer.clone()));
    assert_eq!(core.fallback(&calldata), Ok(answer));
}

#[test]
fn fallback_bubbles_the_extension_revert() {
    let vm = vm();
    let (mut core, result) = deploy(&vm, EXT);
    result.unwrap();
    let calldata = vec![0x12, 0x34, 0x56, 0x78];
    let revert = UnknownModel { modelId: 7 }.abi_encode();
    vm.mock_delegate_call(EXT, calldata.clone(), Err(revert.clone()));
    assert_eq!(core.fallback(&calldata), Err(revert));
}

/// Answers the core's outgoing calls: a delegate call to [`EXT`] runs the extension's router on
/// the same VM; a value transfer with empty calldata (an ETH payout) succeeds.
#[derive(Default)]
struct Chain;

impl Calls for Chain {
    fn answer(host: &CallHost<Self>, call: Call<'_>) -> Answer {
        match call.kind {
            CallKind::Delegate if call.to == EXT => {
                router_entrypoint::<OmlRegistryExtension, OmlRegistryExtension>(
                    call.data.to_vec(),
                    VM {
                        host: Box::new(host.clone()),
                    },
                )
            }
            CallKind::Call(_) if call.data.is_empty() => Ok(Vec::new()),
            _ => Err(b"unexpected call".to_vec()),
        }
    }
}

/// A core deployed on a [`Chain`] host.
fn chain() -> CallHost<Chain> {
    let host = CallHost::<Chain>::default();
    host.vm.set_contract_address(CORE);
    host.vm.set_sender(GOV);
    let mut core = OmlRegistry::from(&host);
    core.constructor(GOV, params(), EXT).unwrap();
    host
}

/// Sends `calldata` with `value` from `sender` to the core, as a transaction does.
fn send(host: &CallHost<Chain>, sender: Address, value: u64, calldata: Vec<u8>) -> Answer {
    as_(&host.vm, sender, value);
    router_entrypoint::<OmlRegistry, OmlRegistry>(
        calldata,
        VM {
            host: Box::new(host.clone()),
        },
    )
}

fn register_call() -> Vec<u8> {
    let t = terms();
    abi::registerModelCall {
        contentHash: B256::repeat_byte(1),
        uri: b"ipfs://w".to_vec().into(),
        parentId: 0,
        terms: abi::TermsAbi {
            asset: t.asset,
            usageFee: t.usageFee,
            collateral: t.collateral,
            creatorBps: t.creatorBps,
            ancestorsBps: t.ancestorsBps,
            proversBps: t.proversBps,
            protocolBps: t.protocolBps,
            ancestorDecayBps: t.ancestorDecayBps,
            maxDepth: t.maxDepth,
        },
    }
    .abi_encode()
}

fn word(n: u64) -> Vec<u8> {
    U256::from(n).to_be_bytes::<32>().to_vec()
}

#[test]
fn calls_reach_both_programs_through_one_address() {
    let host = chain();
    // Extension selectors: through the core's fallback and the extension's router.
    assert_eq!(send(&host, ALICE, 0, register_call()), Ok(word(1)));
    let extension = abi::extensionCall {}.abi_encode();
    assert_eq!(
        send(&host, ALICE, 0, extension),
        Ok(EXT.into_word().to_vec())
    );
    // Payable core selectors take the call value.
    let request = abi::requestLicenseCall { modelId: 1 }.abi_encode();
    assert_eq!(send(&host, HOST, COLLATERAL, request), Ok(word(1)));
    let usage = abi::reportUsageCall {
        licenseId: 1,
        units: 2,
    };
    assert_eq!(
        send(&host, HOST, 2 * FEE, usage.abi_encode()),
        Ok(Vec::new())
    );
    // The extension's views read what the core wrote.
    let license = send(
        &host,
        ALICE,
        0,
        abi::licenseCall { licenseId: 1 }.abi_encode(),
    )
    .unwrap();
    let license = abi::licenseCall::abi_decode_returns(&license).unwrap();
    assert_eq!(
        (license._0, license._1, license._2, license._7),
        (1, HOST, U256::from(COLLATERAL), U256::from(2))
    );
    let credit = abi::creditCall {
        asset: Address::ZERO,
        payee: ALICE,
    };
    assert_eq!(send(&host, GOV, 0, credit.abi_encode()), Ok(word(2 * FEE)));
    // An extension revert reaches the caller unchanged.
    let missing = abi::licenseCall { licenseId: 9 }.abi_encode();
    let unknown = oml_registry_state::sol::UnknownLicense { licenseId: 9 }.abi_encode();
    assert_eq!(send(&host, ALICE, 0, missing), Err(unknown));
}

/// Every payable function is in the core, so call value never has to cross the delegate call:
/// value sent to an extension selector is refused (empty revert data, nothing stored), exactly
/// as the non-payable function refused it before the split, and the payable core functions
/// still check the value they receive.
#[test]
fn call_value_stays_with_the_core() {
    let host = chain();
    assert_eq!(send(&host, ALICE, 1, register_call()), Err(Vec::new()));
    assert_eq!(
        send(&host, ALICE, 0, register_call()),
        Ok(word(1)),
        "id 1 still free"
    );
    let governance = abi::governanceCall {}.abi_encode();
    assert_eq!(send(&host, ALICE, 5, governance), Err(Vec::new()));
    // An empty call with value (plain ETH transfer) is refused too, as before (no receive).
    assert_eq!(send(&host, ALICE, 5, Vec::new()), Err(Vec::new()));
    let request = abi::requestLicenseCall { modelId: 1 }.abi_encode();
    let wrong = WrongPayment {
        expected: U256::from(COLLATERAL),
        received: U256::from(COLLATERAL - 1),
    };
    assert_eq!(
        send(&host, HOST, COLLATERAL - 1, request.clone()),
        Err(wrong.abi_encode())
    );
    assert_eq!(send(&host, HOST, COLLATERAL, request), Ok(word(1)));
}
