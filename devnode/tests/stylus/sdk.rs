//! A real stylus-sdk 0.10 contract (`tests/fixtures/stylus-counter`, checked in as
//! `tests/fixtures/stylus_counter.wasm`) on the devnode's EVM: prelude deployment + activation,
//! the StylusDeployer with a payable constructor, events, custom errors, value, calls into EVM
//! code and from EVM code, and the SDK's reentrancy guard.

use crate::support::{
    evm_forwarder, evm_init, output, word, Chain, EVM_RETURNS_42, GAS, ONE_ETH, USER,
};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent, SolValue};
use devnode::{
    evm::ExecutionResult,
    precompiles::{
        abi::{ArbWasm, StylusDeployer},
        ARB_WASM_ADDRESS, STYLUS_DEPLOYER_ADDRESS,
    },
    stylus::{compress, deploy_prelude},
};
use revm::primitives::{Address, Bytes, TxKind, B256, U256};

sol! {
    interface ICounter {
        function count() external view returns (uint256);
        function owner() external view returns (address);
        function received() external view returns (uint256);
        function increment() external returns (uint256);
        function deposit() external payable returns (uint256);
        function reset() external;
        function forward(address target, bytes data) external returns (bytes);
        event Counted(address indexed by, uint256 value);
        error NotOwner(address caller);
    }
}

const COUNTER_WASM: &[u8] = include_bytes!("../fixtures/stylus_counter.wasm");

/// `stylus_constructor()` selector the SDK routes constructors through.
const CONSTRUCTOR_SELECTOR: [u8; 4] = [0x55, 0x85, 0x25, 0x8d];

fn count(chain: &mut Chain, counter: Address) -> U256 {
    let out = output(&chain.view(counter, ICounter::countCall {}.abi_encode()));
    U256::abi_decode(&out).expect("count() returns a uint256")
}

/// Nitro's own activation code (Stylus version 2, ArbOS 40) gives the counter an init cost of
/// 4,994 and a cached init cost of 765 with a 17-page footprint; `programInitGas` turns them
/// into gas as Nitro's `ProgramInitGas` does: `(69 x 128 + 4,994 + cached, 11 x 32 + 765)`.
#[test]
fn counter_reports_nitros_init_gas_and_footprint() {
    let mut chain = Chain::new();
    let counter = chain.deploy_wasm_bytes(COUNTER_WASM);
    assert!(chain.activate(counter).is_success());
    let init = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programInitGasCall { program: counter }.abi_encode(),
    );
    let init = ArbWasm::programInitGasCall::abi_decode_returns(&output(&init)).unwrap();
    assert_eq!((init.gas, init.gasWhenCached), (14_943, 1_117));
    let footprint = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programMemoryFootprintCall { program: counter }.abi_encode(),
    );
    let footprint =
        ArbWasm::programMemoryFootprintCall::abi_decode_returns(&output(&footprint)).unwrap();
    assert_eq!(footprint, 17);
}

#[test]
fn sdk_contract_deploys_activates_and_runs() {
    let mut chain = Chain::new();
    let code = compress(COUNTER_WASM);
    assert!(code.len() < 24_576, "compressed size {}", code.len());
    let counter = chain.deploy_wasm_bytes(COUNTER_WASM);

    // Not activated yet.
    let early = chain.call(counter, ICounter::incrementCall {}.abi_encode());
    assert!(!early.is_success());

    let activation = chain.activate(counter);
    assert!(activation.is_success(), "{activation:?}");
    assert_eq!(count(&mut chain, counter), U256::ZERO);

    let result = chain.call(counter, ICounter::incrementCall {}.abi_encode());
    assert!(result.is_success(), "{result:?}");
    assert_eq!(U256::abi_decode(&output(&result)).unwrap(), U256::from(1));
    let log = &result.logs()[0];
    assert_eq!(log.address, counter);
    assert_eq!(log.topics()[0], ICounter::Counted::SIGNATURE_HASH);
    assert_eq!(log.topics()[1], USER.into_word());
    assert_eq!(count(&mut chain, counter), U256::from(1));

    // Owner was never set (no constructor ran): reset is refused with the custom error.
    let reset = chain.call(counter, ICounter::resetCall {}.abi_encode());
    assert!(matches!(reset, ExecutionResult::Revert { .. }));
    assert_eq!(
        output(&reset),
        ICounter::NotOwner { caller: USER }.abi_encode()
    );

    // Payable method keeps the value.
    let deposit = chain.tx(
        TxKind::Call(counter),
        ICounter::depositCall {}.abi_encode(),
        U256::from(500),
        GAS,
    );
    assert!(deposit.is_success(), "{deposit:?}");
    assert_eq!(chain.balance(counter), U256::from(500));
    // A non-payable method refuses value.
    let refused = chain.tx(
        TxKind::Call(counter),
        ICounter::incrementCall {}.abi_encode(),
        U256::from(1),
        GAS,
    );
    assert!(!refused.is_success());
}

#[test]
fn sdk_contract_through_stylus_deployer_with_constructor() {
    let mut chain = Chain::new();
    let bytecode = deploy_prelude(&compress(COUNTER_WASM));
    let mut init_data = CONSTRUCTOR_SELECTOR.to_vec();
    init_data.extend_from_slice(&U256::from(5).abi_encode());
    let deploy = StylusDeployer::deployCall {
        bytecode: bytecode.into(),
        initData: init_data.into(),
        initValue: U256::from(7),
        salt: B256::ZERO,
    };
    let result = chain.tx(
        TxKind::Call(STYLUS_DEPLOYER_ADDRESS),
        deploy.abi_encode(),
        U256::from(ONE_ETH),
        GAS,
    );
    assert!(result.is_success(), "{result:?}");
    let counter = Address::abi_decode(&output(&result)).unwrap();
    assert_eq!(count(&mut chain, counter), U256::from(5));
    let owner = output(&chain.view(counter, ICounter::ownerCall {}.abi_encode()));
    assert_eq!(
        Address::abi_decode(&owner).unwrap(),
        STYLUS_DEPLOYER_ADDRESS
    );
    let received = output(&chain.view(counter, ICounter::receivedCall {}.abi_encode()));
    assert_eq!(U256::abi_decode(&received).unwrap(), U256::from(7));
    assert_eq!(chain.balance(counter), U256::from(7));

    // The constructor cannot run twice.
    let mut again = CONSTRUCTOR_SELECTOR.to_vec();
    again.extend_from_slice(&U256::from(9).abi_encode());
    assert!(!chain.call(counter, again).is_success());
    assert_eq!(count(&mut chain, counter), U256::from(5));
    // A failing constructor is reported by the deployer.
    let bad = StylusDeployer::deployCall {
        bytecode: deploy_prelude(&compress(COUNTER_WASM)).into(),
        initData: CONSTRUCTOR_SELECTOR.to_vec().into(),
        initValue: U256::ZERO,
        salt: B256::repeat_byte(3),
    };
    let result = chain.call(STYLUS_DEPLOYER_ADDRESS, bad.abi_encode());
    assert!(StylusDeployer::ContractInitializationError::abi_decode(&output(&result)).is_ok());
}

#[test]
fn sdk_contract_calls_evm_and_is_called_by_evm() {
    let mut chain = Chain::new();
    let counter = chain.deploy_wasm_bytes(COUNTER_WASM);
    assert!(chain.activate(counter).is_success());
    let evm_42 = chain.create(evm_init(&EVM_RETURNS_42));

    let call = ICounter::forwardCall {
        target: evm_42,
        data: Bytes::new(),
    };
    let result = chain.call(counter, call.abi_encode());
    assert!(result.is_success(), "{result:?}");
    let returned = Bytes::abi_decode(&output(&result)).unwrap();
    assert_eq!(returned.to_vec(), word(42));

    let forwarder = chain.create(evm_init(&evm_forwarder(counter)));
    let result = chain.call(forwarder, ICounter::incrementCall {}.abi_encode());
    assert!(result.is_success(), "{result:?}");
    assert_eq!(result.logs()[0].topics()[1], forwarder.into_word());
    assert_eq!(count(&mut chain, counter), U256::from(1));
}

#[test]
fn sdk_reentrancy_guard_stops_self_calls() {
    let mut chain = Chain::new();
    let counter = chain.deploy_wasm_bytes(COUNTER_WASM);
    assert!(chain.activate(counter).is_success());
    let call = ICounter::forwardCall {
        target: counter,
        data: ICounter::incrementCall {}.abi_encode().into(),
    };
    let result = chain.call(counter, call.abi_encode());
    assert!(!result.is_success(), "{result:?}");
    assert_eq!(count(&mut chain, counter), U256::ZERO);
}
