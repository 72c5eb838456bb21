//! End-to-end Stylus execution on the devnode's EVM: deployment with the cargo-stylus prelude,
//! activation through ArbWasm, calls in both directions, storage, logs, refunds, reentrancy,
//! creates, value, gas limits, activation failures and the StylusDeployer.

use crate::support::{
    evm_forwarder, evm_init, output, word, Chain, EVM_RETURNS_42, GAS, ONE_ETH, USER,
};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use devnode::{
    evm::ExecutionResult,
    precompiles::{
        abi::{ArbSys, ArbWasm, StylusDeployer},
        ARB_SYS_ADDRESS, ARB_WASM_ADDRESS, STYLUS_DEPLOYER_ADDRESS,
    },
    stylus::{compress, deploy_prelude},
};
use revm::{
    primitives::{keccak256, Address, Bytes, TxKind, B256, U256},
    DatabaseRef,
};

/// Stores args[32..64] at slot args[0..32], logs (topic = slot, data = old value) and returns
/// the old value.
const STORE: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "emit_log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (if (i32.ne (local.get $len) (i32.const 64)) (then (return (i32.const 1))))
    (call $read_args (i32.const 0))
    (call $load (i32.const 0) (i32.const 96))
    (memory.copy (i32.const 64) (i32.const 0) (i32.const 32))
    (call $log (i32.const 64) (i32.const 64) (i32.const 1))
    (call $cache (i32.const 0) (i32.const 32))
    (call $flush (i32.const 0))
    (call $write_result (i32.const 96) (i32.const 32))
    (i32.const 0)))"#;

/// Reverts with "nope".
const REVERTS: &str = r#"(module
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 0) "nope")
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $write_result (i32.const 0) (i32.const 4))
    (i32.const 1)))"#;

/// Never stops.
const LOOPS: &str = r#"(module
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (loop $forever (br $forever))
    (i32.const 0)))"#;

/// Grows memory by the little-endian u32 in its args; traps when growth fails.
const GROWS: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $pay (i32.const 0))
    (call $read_args (i32.const 0))
    (if (i32.eq (memory.grow (i32.load (i32.const 0))) (i32.const -1)) (then unreachable))
    (i32.const 0)))"#;

/// With empty args returns msg_reentrant as a word; with args `address ‖ calldata` calls the
/// address (forwarding msg_value) and returns or reverts with its return data.
const CALLS: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "msg_value" (func $value (param i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $status i32)
    (if (i32.eqz (local.get $len)) (then
      (i32.store8 (i32.const 31) (call $reentrant))
      (call $write_result (i32.const 0) (i32.const 32))
      (return (i32.const 0))))
    (call $read_args (i32.const 0))
    (call $value (i32.const 4000))
    (local.set $status (call $call (i32.const 0) (i32.const 20) (i32.sub (local.get $len) (i32.const 20))
      (i32.const 4000) (i64.const -1) (i32.const 4100)))
    (drop (call $rrd (i32.const 8000) (i32.const 0) (i32.load (i32.const 4100))))
    (call $write_result (i32.const 8000) (i32.load (i32.const 4100)))
    (i32.ne (local.get $status) (i32.const 0))))"#;

/// Args `mode ‖ salt(32) ‖ init code`: mode 1 = create1, 2 = create2; returns the address.
const CREATES: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (if (i32.eq (i32.load8_u (i32.const 0)) (i32.const 1))
      (then (call $create1 (i32.const 33) (i32.sub (local.get $len) (i32.const 33))
              (i32.const 5000) (i32.const 6000) (i32.const 6100)))
      (else (call $create2 (i32.const 33) (i32.sub (local.get $len) (i32.const 33))
              (i32.const 5000) (i32.const 1) (i32.const 6000) (i32.const 6100))))
    (call $write_result (i32.const 6000) (i32.const 20))
    (i32.const 0)))"#;

/// Returns msg_value ‖ its own balance ‖ block_number ‖ chainid (as words).
const INFO: &str = r#"(module
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "msg_value" (func $value (param i32)))
  (import "vm_hooks" "contract_address" (func $me (param i32)))
  (import "vm_hooks" "account_balance" (func $balance (param i32 i32)))
  (import "vm_hooks" "block_number" (func $number (result i64)))
  (import "vm_hooks" "chainid" (func $chainid (result i64)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $value (i32.const 0))
    (call $me (i32.const 200))
    (call $balance (i32.const 200) (i32.const 32))
    (i64.store (i32.const 88) (i64.or (i64.shl (call $number) (i64.const 56)) (i64.const 0)))
    (i64.store8 (i32.const 95) (call $number))
    (i64.store8 (i32.const 127) (call $chainid))
    (i64.store8 (i32.const 126) (i64.shr_u (call $chainid) (i64.const 8)))
    (i64.store8 (i32.const 125) (i64.shr_u (call $chainid) (i64.const 16)))
    (call $write_result (i32.const 0) (i32.const 128))
    (i32.const 0)))"#;

/// Args `mode ‖ address(20) ‖ calldata`; mode 0 = call, 1 = delegatecall, 2 = staticcall.
/// Returns (or reverts with) the callee's return data.
const PROXY: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "call_contract" (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract" (func $dcall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract" (func $scall (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $rrd (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $status i32) (local $mode i32) (local $n i32)
    (call $read_args (i32.const 0))
    (local.set $mode (i32.load8_u (i32.const 0)))
    (local.set $n (i32.sub (local.get $len) (i32.const 21)))
    (if (i32.eqz (local.get $mode))
      (then (local.set $status (call $call (i32.const 1) (i32.const 21) (local.get $n)
              (i32.const 4000) (i64.const -1) (i32.const 4100)))))
    (if (i32.eq (local.get $mode) (i32.const 1))
      (then (local.set $status (call $dcall (i32.const 1) (i32.const 21) (local.get $n)
              (i64.const -1) (i32.const 4100)))))
    (if (i32.eq (local.get $mode) (i32.const 2))
      (then (local.set $status (call $scall (i32.const 1) (i32.const 21) (local.get $n)
              (i64.const -1) (i32.const 4100)))))
    (drop (call $rrd (i32.const 8000) (i32.const 0) (i32.load (i32.const 4100))))
    (call $write_result (i32.const 8000) (i32.load (i32.const 4100)))
    (i32.ne (local.get $status) (i32.const 0))))"#;

/// Stores args[0..32] in transient slot 1, reads it back and returns it plus what was in the
/// slot before the store.
const TRANSIENT: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (i32.store8 (i32.const 31) (i32.const 1))
    (call $read_args (i32.const 32))
    (call $tload (i32.const 0) (i32.const 96))
    (call $tstore (i32.const 0) (i32.const 32))
    (call $tload (i32.const 0) (i32.const 64))
    (call $write_result (i32.const 64) (i32.const 64))
    (i32.const 0)))"#;

/// Args `a(32) ‖ b(32) ‖ m(32)`: returns keccak(args) ‖ a/b ‖ a%b ‖ a^b ‖ (a+b)%m ‖ (a*b)%m,
/// then stops through `exit_early(0)` (the code after it would revert).
const MATH: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32)))
  (import "vm_hooks" "math_div" (func $div (param i32 i32)))
  (import "vm_hooks" "math_mod" (func $mod (param i32 i32)))
  (import "vm_hooks" "math_pow" (func $pow (param i32 i32)))
  (import "vm_hooks" "math_add_mod" (func $addmod (param i32 i32 i32)))
  (import "vm_hooks" "math_mul_mod" (func $mulmod (param i32 i32 i32)))
  (import "vm_hooks" "exit_early" (func $exit (param i32)))
  (memory (export "memory") 1 1)
  (func $copy_a (param $dest i32) (memory.copy (local.get $dest) (i32.const 0) (i32.const 32)))
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 0))
    (call $keccak (i32.const 0) (local.get $len) (i32.const 1000))
    (call $copy_a (i32.const 1032)) (call $div (i32.const 1032) (i32.const 32))
    (call $copy_a (i32.const 1064)) (call $mod (i32.const 1064) (i32.const 32))
    (call $copy_a (i32.const 1096)) (call $pow (i32.const 1096) (i32.const 32))
    (call $copy_a (i32.const 1128)) (call $addmod (i32.const 1128) (i32.const 32) (i32.const 64))
    (call $copy_a (i32.const 1160)) (call $mulmod (i32.const 1160) (i32.const 32) (i32.const 64))
    (call $write_result (i32.const 1000) (i32.const 192))
    (call $exit (i32.const 0))
    (i32.const 1)))"#;

/// Args `address(20)`: returns codehash ‖ code size (u32 LE) ‖ first 4 code bytes ‖ tx_origin
/// ‖ msg_sender ‖ block_timestamp (u64 LE) ‖ evm_gas_left > 0 ‖ tx_ink_price (u32 LE).
const ACCOUNT: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "account_codehash" (func $codehash (param i32 i32)))
  (import "vm_hooks" "account_code_size" (func $code_size (param i32) (result i32)))
  (import "vm_hooks" "account_code" (func $code (param i32 i32 i32 i32) (result i32)))
  (import "vm_hooks" "tx_origin" (func $origin (param i32)))
  (import "vm_hooks" "msg_sender" (func $sender (param i32)))
  (import "vm_hooks" "block_timestamp" (func $timestamp (result i64)))
  (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
  (import "vm_hooks" "tx_ink_price" (func $ink_price (result i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32)
    (call $read_args (i32.const 0))
    (call $codehash (i32.const 0) (i32.const 100))
    (i32.store (i32.const 132) (call $code_size (i32.const 0)))
    (drop (call $code (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 136)))
    (call $origin (i32.const 140))
    (call $sender (i32.const 160))
    (i64.store (i32.const 180) (call $timestamp))
    (i32.store8 (i32.const 188) (i64.gt_u (call $gas_left) (i64.const 0)))
    (i32.store (i32.const 189) (call $ink_price))
    (call $write_result (i32.const 100) (i32.const 93))
    (i32.const 0)))"#;

fn proxy_args(mode: u8, target: Address, calldata: &[u8]) -> Vec<u8> {
    [&[mode][..], target.as_slice(), calldata].concat()
}

fn store_args(slot: u64, value: u64) -> Vec<u8> {
    [word(slot), word(value)].concat()
}

#[test]
fn deploy_activate_call_store_and_log() {
    let mut chain = Chain::new();
    let program = chain.deploy_wasm(STORE);

    // Before activation the program cannot run: all gas is consumed.
    let before = chain.call(program, store_args(1, 5));
    assert!(!before.is_success());
    assert_eq!(before.tx_gas_used(), GAS);
    assert_eq!(
        output(&before),
        ArbWasm::ProgramNotActivated {}.abi_encode()
    );

    let balance_before = chain.balance(USER);
    let activation = chain.activate(program);
    assert!(activation.is_success(), "{activation:?}");
    let ret = ArbWasm::activateProgramCall::abi_decode_returns(&output(&activation)).unwrap();
    assert_eq!(ret.version, 2);
    assert!(ret.dataFee > U256::ZERO);
    // Only the data fee left the account (gas price is zero): the excess came back.
    assert_eq!(balance_before - chain.balance(USER), ret.dataFee);
    let log = &activation.logs()[0];
    assert_eq!(log.address, ARB_WASM_ADDRESS);
    assert_eq!(log.topics()[0], ArbWasm::ProgramActivated::SIGNATURE_HASH);

    // Activating again: up to date.
    let again = chain.activate(program);
    assert_eq!(output(&again), ArbWasm::ProgramUpToDate {}.abi_encode());

    let first = chain.call(program, store_args(1, 5));
    assert!(first.is_success(), "{first:?}");
    assert_eq!(output(&first), word(0));
    assert_eq!(chain.storage(program, U256::from(1)), U256::from(5));
    let log = &first.logs()[0];
    assert_eq!(log.address, program);
    assert_eq!(log.topics(), &[B256::from(word(1))]);
    assert_eq!(log.data.data.to_vec(), word(0));

    let second = chain.call(program, store_args(1, 9));
    assert_eq!(output(&second), word(5));
    assert_eq!(chain.storage(program, U256::from(1)), U256::from(9));
    // Gas: intrinsic + entry cost + a warm SSTORE + the wasm itself, well above a plain call.
    assert!(
        second.tx_gas_used() > 21_000 + 9_000,
        "{}",
        second.tx_gas_used()
    );

    // Bad args: status 1 is a revert with no data.
    let bad = chain.call(program, vec![1, 2, 3]);
    assert!(matches!(bad, ExecutionResult::Revert { .. }));
}

#[test]
fn clearing_storage_from_stylus_earns_a_refund() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(STORE);
    assert!(chain.call(program, store_args(3, 7)).is_success());
    let cleared = chain.call(program, store_args(3, 0));
    assert!(cleared.is_success());
    assert_eq!(chain.storage(program, U256::from(3)), U256::ZERO);
    assert!(cleared.gas().inner_refunded() > 0, "{cleared:?}");
}

#[test]
fn arbwasm_views_report_activation() {
    let mut chain = Chain::new();
    let program = chain.deploy_wasm(STORE);
    let version = ArbWasm::programVersionCall { program }.abi_encode();
    assert_eq!(
        output(&chain.view(ARB_WASM_ADDRESS, version.clone())),
        ArbWasm::ProgramNotActivated {}.abi_encode()
    );
    chain.activate(program);
    assert_eq!(output(&chain.view(ARB_WASM_ADDRESS, version)), word(2));
    let code = chain.db.basic_ref(program).unwrap().unwrap().code_hash;
    let by_hash = ArbWasm::codehashVersionCall { codehash: code }.abi_encode();
    assert_eq!(output(&chain.view(ARB_WASM_ADDRESS, by_hash)), word(2));
    let ink = chain.view(ARB_WASM_ADDRESS, ArbWasm::inkPriceCall {}.abi_encode());
    assert_eq!(output(&ink), word(10_000));
    let stylus = chain.view(ARB_WASM_ADDRESS, ArbWasm::stylusVersionCall {}.abi_encode());
    assert_eq!(output(&stylus), word(2));
    // The other per-program views take the same address argument.
    let init = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programInitGasCall { program }.abi_encode(),
    );
    let init = ArbWasm::programInitGasCall::abi_decode_returns(&output(&init)).unwrap();
    assert!(init.gas > 0 && init.gas >= init.gasWhenCached);
    let footprint = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programMemoryFootprintCall { program }.abi_encode(),
    );
    assert!(
        ArbWasm::programMemoryFootprintCall::abi_decode_returns(&output(&footprint)).unwrap() > 0
    );
    let left = chain.view(
        ARB_WASM_ADDRESS,
        ArbWasm::programTimeLeftCall { program }.abi_encode(),
    );
    assert!(ArbWasm::programTimeLeftCall::abi_decode_returns(&output(&left)).unwrap() > 0);
    // A view called with value is refused, all gas spent.
    let paid = chain.tx(
        TxKind::Call(ARB_WASM_ADDRESS),
        ArbWasm::inkPriceCall {}.abi_encode(),
        U256::from(1),
        100_000,
    );
    assert!(paid.is_halt());
}

#[test]
fn arbsys_reports_l2_block_and_versions() {
    let mut chain = Chain::new();
    let number = chain.view(ARB_SYS_ADDRESS, ArbSys::arbBlockNumberCall {}.abi_encode());
    assert_eq!(output(&number), word(7));
    let version = chain.view(ARB_SYS_ADDRESS, ArbSys::arbOSVersionCall {}.abi_encode());
    assert_eq!(output(&version), word(55 + 40));
    let chain_id = chain.view(ARB_SYS_ADDRESS, ArbSys::arbChainIDCall {}.abi_encode());
    assert_eq!(output(&chain_id), word(412_346));
}

#[test]
fn revert_data_is_returned() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(REVERTS);
    let result = chain.call(program, vec![]);
    assert!(matches!(result, ExecutionResult::Revert { .. }));
    assert_eq!(output(&result), b"nope");
    assert!(result.tx_gas_used() < GAS);
}

#[test]
fn infinite_loop_runs_out_of_gas() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(LOOPS);
    let result = chain.tx(TxKind::Call(program), vec![], U256::ZERO, 2_000_000);
    assert!(result.is_halt(), "{result:?}");
    assert_eq!(result.tx_gas_used(), 2_000_000);
}

#[test]
fn memory_growth_is_priced_and_capped() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(GROWS);
    let small = chain.call(program, 1u32.to_le_bytes().to_vec());
    assert!(small.is_success(), "{small:?}");
    let bigger = chain.call(program, 100u32.to_le_bytes().to_vec());
    assert!(bigger.is_success(), "{bigger:?}");
    assert!(bigger.tx_gas_used() > small.tx_gas_used() + 100_000);
    let runaway = chain.call(program, 200u32.to_le_bytes().to_vec());
    assert!(runaway.is_halt(), "{runaway:?}");
}

#[test]
fn stylus_calls_evm_and_evm_calls_stylus() {
    let mut chain = Chain::new();
    let evm_42 = chain.create(evm_init(&EVM_RETURNS_42));
    let caller = chain.deploy_active(CALLS);
    let result = chain.call(caller, evm_42.to_vec());
    assert!(result.is_success(), "{result:?}");
    assert_eq!(output(&result), word(42));

    let store = chain.deploy_active(STORE);
    let forwarder = chain.create(evm_init(&evm_forwarder(store)));
    let forwarded = chain.call(forwarder, store_args(2, 11));
    assert!(forwarded.is_success(), "{forwarded:?}");
    assert_eq!(chain.storage(store, U256::from(2)), U256::from(11));
    assert_eq!(output(&chain.call(forwarder, store_args(2, 12))), word(11));

    // Revert data crosses both ways: EVM -> Stylus (reverting) -> back out.
    let reverter = chain.deploy_active(REVERTS);
    let evm_to_revert = chain.create(evm_init(&evm_forwarder(reverter)));
    let result = chain.call(evm_to_revert, vec![]);
    assert_eq!(output(&result), b"nope");
    let mut stylus_to_revert = reverter.to_vec();
    stylus_to_revert.push(0);
    let result = chain.call(caller, stylus_to_revert);
    assert!(matches!(result, ExecutionResult::Revert { .. }));
    assert_eq!(output(&result), b"nope");
}

#[test]
fn reentrancy_flag_is_set_when_a_program_is_reentered() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(CALLS);
    assert_eq!(output(&chain.call(program, vec![])), word(0));
    // The program calls itself with empty args: the inner frame sees reentrancy.
    let result = chain.call(program, program.to_vec());
    assert!(result.is_success(), "{result:?}");
    assert_eq!(output(&result), word(1));
}

#[test]
fn create1_and_create2_from_stylus() {
    let mut chain = Chain::new();
    let factory = chain.deploy_active(CREATES);
    let init = evm_init(&EVM_RETURNS_42);

    let mut args = vec![1u8];
    args.extend_from_slice(&[0u8; 32]);
    args.extend_from_slice(&init);
    let result = chain.call(factory, args);
    assert!(result.is_success(), "{result:?}");
    let created = Address::from_slice(&output(&result));
    assert_eq!(created, factory.create(1));
    assert_eq!(output(&chain.call(created, vec![])), word(42));

    let salt = [7u8; 32];
    let mut args = vec![2u8];
    args.extend_from_slice(&salt);
    args.extend_from_slice(&init);
    let result = chain.call(factory, args);
    let created2 = Address::from_slice(&output(&result));
    assert_eq!(created2, factory.create2(salt, keccak256(&init)));
    assert_eq!(output(&chain.call(created2, vec![])), word(42));
}

#[test]
fn value_balance_and_block_data() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(INFO);
    let result = chain.tx(TxKind::Call(program), vec![], U256::from(1234), GAS);
    assert!(result.is_success(), "{result:?}");
    let out = output(&result);
    assert_eq!(&out[0..32], &word(1234));
    assert_eq!(&out[32..64], &word(1234));
    assert_eq!(out[95], 1);
    assert_eq!(
        u32::from_be_bytes([0, out[125], out[126], out[127]]),
        412_346
    );
    assert_eq!(chain.balance(program), U256::from(1234));
}

#[test]
fn activation_rejects_bad_programs() {
    let mut chain = Chain::new();
    // Not wasm at all inside a valid Stylus envelope.
    let garbage = chain.create(deploy_prelude(&compress(b"not wasm")));
    let result = chain.activate(garbage);
    assert!(result.is_halt(), "{result:?}");
    assert_eq!(result.tx_gas_used(), GAS);

    // A forbidden import.
    let forbidden = chain.deploy_wasm(
        r#"(module (import "env" "abort" (func))
           (memory (export "memory") 1 1)
           (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert!(chain.activate(forbidden).is_halt());

    // Missing entrypoint.
    let no_entry = chain.deploy_wasm(r#"(module (memory (export "memory") 1 1))"#);
    assert!(chain.activate(no_entry).is_halt());

    // Decompresses to more than 128 KiB: rejected before validation, gas kept.
    let bomb = chain.create(deploy_prelude(&compress(&vec![0u8; 128 * 1024 + 1])));
    let result = chain.activate(bomb);
    assert!(
        matches!(result, ExecutionResult::Revert { .. }),
        "{result:?}"
    );

    // EVM code is not a Stylus program.
    let evm = chain.create(evm_init(&EVM_RETURNS_42));
    assert!(matches!(
        chain.activate(evm),
        ExecutionResult::Revert { .. }
    ));

    // Not enough value for the data fee.
    let program = chain.deploy_wasm(STORE);
    let result = chain.tx(
        TxKind::Call(ARB_WASM_ADDRESS),
        ArbWasm::activateProgramCall { program }.abi_encode(),
        U256::from(1),
        GAS,
    );
    let expected = ArbWasm::ProgramInsufficientValue::abi_decode(&output(&result)).unwrap();
    assert_eq!(expected.have, U256::from(1));
}

#[test]
fn only_stylus_code_may_start_with_ef() {
    let mut chain = Chain::new();
    let nonce = chain.nonce;
    let result = chain.tx(TxKind::Create, evm_init(&[0xEF, 0x00]), U256::ZERO, GAS);
    assert!(result.is_halt(), "{result:?}");
    assert!(chain
        .db
        .basic_ref(USER.create(nonce))
        .unwrap()
        .is_none_or(|a| a.is_empty_code_hash()));
}

#[test]
fn stylus_deployer_deploys_activates_and_initializes() {
    let mut chain = Chain::new();
    let code = deploy_prelude(&compress(&wat::parse_str(STORE).unwrap()));
    let init_data = store_args(4, 44);
    let call = StylusDeployer::deployCall {
        bytecode: code.clone().into(),
        initData: init_data.clone().into(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let before = chain.balance(USER);
    let result = chain.tx(
        TxKind::Call(STYLUS_DEPLOYER_ADDRESS),
        call.abi_encode(),
        U256::from(ONE_ETH),
        GAS,
    );
    assert!(result.is_success(), "{result:?}");
    let deployed = Address::abi_decode(&output(&result)).unwrap();
    assert_eq!(deployed, STYLUS_DEPLOYER_ADDRESS.create(0));
    let event = result
        .logs()
        .iter()
        .find(|log| log.topics()[0] == StylusDeployer::ContractDeployed::SIGNATURE_HASH)
        .expect("ContractDeployed emitted");
    assert_eq!(event.data.data.to_vec(), deployed.abi_encode());
    assert_eq!(event.address, STYLUS_DEPLOYER_ADDRESS);
    assert_eq!(chain.storage(deployed, U256::from(4)), U256::from(44));
    // Only the data fee was kept; the rest came back.
    let fee = before - chain.balance(USER);
    assert!(
        fee > U256::ZERO && fee < U256::from(ONE_ETH / 1000),
        "{fee}"
    );
    assert_eq!(chain.balance(STYLUS_DEPLOYER_ADDRESS), U256::ZERO);
    assert_eq!(output(&chain.call(deployed, store_args(4, 45))), word(44));

    // CREATE2 with salt = keccak(salt ‖ initData); activation is skipped (same codehash).
    let salt = B256::repeat_byte(9);
    let call = StylusDeployer::deployCall {
        bytecode: code.clone().into(),
        initData: init_data.clone().into(),
        initValue: U256::ZERO,
        salt,
    };
    let result = chain.call(STYLUS_DEPLOYER_ADDRESS, call.abi_encode());
    assert!(result.is_success(), "{result:?}");
    let deployed2 = Address::abi_decode(&output(&result)).unwrap();
    let salted = keccak256([salt.as_slice(), &init_data].concat());
    assert_eq!(
        deployed2,
        STYLUS_DEPLOYER_ADDRESS.create2(salted, keccak256(&code))
    );

    // Errors.
    let empty = StylusDeployer::deployCall {
        bytecode: Bytes::new(),
        initData: Bytes::new(),
        initValue: U256::ZERO,
        salt: B256::ZERO,
    };
    let result = chain.call(STYLUS_DEPLOYER_ADDRESS, empty.abi_encode());
    assert_eq!(
        output(&result),
        StylusDeployer::EmptyBytecode {}.abi_encode()
    );

    let failing_init = StylusDeployer::deployCall {
        bytecode: code.clone().into(),
        initData: vec![1, 2, 3].into(),
        initValue: U256::ZERO,
        salt: B256::repeat_byte(1),
    };
    let result = chain.call(STYLUS_DEPLOYER_ADDRESS, failing_init.abi_encode());
    let error = StylusDeployer::ContractInitializationError::abi_decode(&output(&result)).unwrap();
    assert_ne!(error.newContract, Address::ZERO);

    let value_no_data = StylusDeployer::deployCall {
        bytecode: code.into(),
        initData: Bytes::new(),
        initValue: U256::from(1),
        salt: B256::repeat_byte(2),
    };
    let result = chain.tx(
        TxKind::Call(STYLUS_DEPLOYER_ADDRESS),
        value_no_data.abi_encode(),
        U256::from(1),
        GAS,
    );
    assert_eq!(
        output(&result),
        StylusDeployer::InitValueButNotInitData {}.abi_encode()
    );
}

#[test]
fn delegatecall_and_staticcall_from_stylus() {
    let mut chain = Chain::new();
    let store = chain.deploy_active(STORE);
    let proxy = chain.deploy_active(PROXY);

    // Delegate call: STORE's code runs on the proxy's storage and logs as the proxy.
    let result = chain.call(proxy, proxy_args(1, store, &store_args(5, 55)));
    assert!(result.is_success(), "{result:?}");
    assert_eq!(chain.storage(proxy, U256::from(5)), U256::from(55));
    assert_eq!(chain.storage(store, U256::from(5)), U256::ZERO);
    assert_eq!(result.logs()[0].address, proxy);

    // Plain call writes the callee's storage.
    assert!(chain
        .call(proxy, proxy_args(0, store, &store_args(5, 66)))
        .is_success());
    assert_eq!(chain.storage(store, U256::from(5)), U256::from(66));

    // Static call: the callee's storage flush is a write, so the callee fails and nothing moves.
    let result = chain.call(proxy, proxy_args(2, store, &store_args(5, 77)));
    assert!(
        matches!(result, ExecutionResult::Revert { .. }),
        "{result:?}"
    );
    assert_eq!(chain.storage(store, U256::from(5)), U256::from(66));

    // Static call into read-only EVM code works.
    let evm_42 = chain.create(evm_init(&EVM_RETURNS_42));
    let result = chain.call(proxy, proxy_args(2, evm_42, &[]));
    assert_eq!(output(&result), word(42));
}

#[test]
fn transient_storage_lives_for_one_transaction() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(TRANSIENT);
    let result = chain.call(program, word(9).to_vec());
    assert!(result.is_success(), "{result:?}");
    assert_eq!(output(&result), [word(9), word(0)].concat());
    // A new transaction starts with empty transient storage.
    let result = chain.call(program, word(3).to_vec());
    assert_eq!(output(&result), [word(3), word(0)].concat());
    assert_eq!(chain.storage(program, U256::from(1)), U256::ZERO);
}

#[test]
fn keccak_math_and_exit_early() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(MATH);
    let args = [word(7), word(3), word(5)].concat();
    let result = chain.call(program, args.clone());
    assert!(result.is_success(), "{result:?}");
    let out = output(&result);
    assert_eq!(&out[0..32], keccak256(&args).as_slice());
    assert_eq!(&out[32..64], &word(2));
    assert_eq!(&out[64..96], &word(1));
    assert_eq!(&out[96..128], &word(343));
    assert_eq!(&out[128..160], &word(0));
    assert_eq!(&out[160..192], &word(1));
    // Division by zero gives zero, as in the EVM.
    let result = chain.call(program, [word(7), word(0), word(0)].concat());
    assert_eq!(&output(&result)[32..64], &word(0));
}

#[test]
fn account_and_tx_getters() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(ACCOUNT);
    let evm_42 = chain.create(evm_init(&EVM_RETURNS_42));
    let result = chain.call(program, evm_42.to_vec());
    assert!(result.is_success(), "{result:?}");
    let out = output(&result);
    assert_eq!(&out[0..32], keccak256(EVM_RETURNS_42).as_slice());
    assert_eq!(u32::from_le_bytes(out[32..36].try_into().unwrap()), 10);
    assert_eq!(&out[36..40], &EVM_RETURNS_42[..4]);
    assert_eq!(&out[40..60], USER.as_slice());
    assert_eq!(&out[60..80], USER.as_slice());
    assert_eq!(
        u64::from_le_bytes(out[80..88].try_into().unwrap()),
        1_800_000_000
    );
    assert_eq!(out[88], 1);
    assert_eq!(u32::from_le_bytes(out[89..93].try_into().unwrap()), 10_000);
    // An empty account has a zero codehash and no code.
    let result = chain.call(program, Address::repeat_byte(0x42).to_vec());
    let out = output(&result);
    assert_eq!(&out[0..32], &[0u8; 32]);
    assert_eq!(&out[32..36], &[0u8; 4]);
}
