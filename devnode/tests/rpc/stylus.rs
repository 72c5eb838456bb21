//! Stylus over JSON-RPC, the way cargo-stylus 0.10 talks to nitro-devnode: the `check` calls
//! (codehashVersion, activateProgram with state overrides), deployment with the prelude,
//! activation by transaction, calls, and activation surviving a restart with `--state`.

use alloy_primitives::{hex, Address, Bytes, TxKind, U256};
use alloy_sol_types::{SolCall, SolError, SolValue};
use devnode::{
    precompiles::{abi::ArbWasm, ARB_WASM_ADDRESS},
    stylus::{compress, deploy_prelude},
    DevnodeConfig,
};
use serde_json::json;

use crate::support::TestNode;

/// With 32 bytes of calldata: stores them in slot 0 and returns the previous value; with any
/// other calldata: returns slot 0.
const SLOT_PROGRAM: &str = r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $load (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $cache (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $load (i32.const 64) (i32.const 96))
    (if (i32.eq (local.get $len) (i32.const 32))
      (then
        (call $read_args (i32.const 0))
        (call $cache (i32.const 64) (i32.const 0))
        (call $flush (i32.const 0))))
    (call $write_result (i32.const 96) (i32.const 32))
    (i32.const 0)))"#;

/// Program code as deployed: `EF F0 00 00` + brotli(wasm).
fn program_code() -> Vec<u8> {
    compress(&wat::parse_str(SLOT_PROGRAM).unwrap())
}

fn word(n: u64) -> String {
    format!("0x{n:064x}")
}

/// `cargo stylus check`: is it active? If not, simulate the activation with overrides.
async fn check(t: &TestNode, code: &[u8]) -> U256 {
    let codehash = alloy_primitives::keccak256(code);
    let query = json!({
        "to": ARB_WASM_ADDRESS,
        "input": hex::encode_prefixed(ArbWasm::codehashVersionCall { codehash }.abi_encode()),
    });
    let error = t.err("eth_call", params![query, "latest"]).await;
    assert_eq!(error.code(), 3, "{}", error.message());
    let data: String = serde_json::from_str(error.data().unwrap().get()).unwrap();
    assert_eq!(
        hex::decode(data).unwrap(),
        ArbWasm::ProgramNotActivated {}.abi_encode(),
        "a fresh program is not activated"
    );

    let program = Address::repeat_byte(0xd6);
    let sender = Address::repeat_byte(0xa9);
    let simulate = json!({
        "from": sender,
        "to": ARB_WASM_ADDRESS,
        "value": "0xde0b6b3a7640000",
        "input": hex::encode_prefixed(ArbWasm::activateProgramCall { program }.abi_encode()),
    });
    let overrides = json!({
        program.to_string(): { "code": hex::encode_prefixed(code) },
        sender.to_string(): { "balance": format!("0x{}", "f".repeat(64)) },
    });
    let answer: Bytes = t
        .ok("eth_call", params![simulate, "latest", overrides])
        .await;
    let (version, fee) = <(u16, U256)>::abi_decode(&answer).unwrap();
    assert_eq!(version, 2);
    fee
}

/// `cargo stylus deploy --no-verify`: estimate + send the prelude creation, then activate.
async fn deploy_and_activate(t: &TestNode) -> Address {
    let code = program_code();
    let fee = check(t, &code).await;
    let from = t.account(0).address;
    let init = deploy_prelude(&code);
    let estimate = json!({ "from": from, "to": null, "input": hex::encode_prefixed(&init) });
    let gas: alloy_primitives::U64 = t.ok("eth_estimateGas", params![estimate, "pending"]).await;
    let receipt = t.send(0, TxKind::Create, U256::ZERO, init, gas.to()).await;
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    let program: Address = serde_json::from_value(receipt["contractAddress"].clone()).unwrap();
    let deployed: Bytes = t.ok("eth_getCode", params![program, "latest"]).await;
    assert_eq!(deployed.to_vec(), code);

    // Calling it before activation fails.
    let call = json!({ "to": program, "input": "0x" });
    let error = t.err("eth_call", params![call, "latest"]).await;
    assert_ne!(error.code(), 0);

    let activate = ArbWasm::activateProgramCall { program }.abi_encode();
    let value = fee * U256::from(12) / U256::from(10);
    let estimate = json!({
        "from": from, "to": ARB_WASM_ADDRESS, "value": value,
        "input": hex::encode_prefixed(&activate), "chainId": "0x64aba",
    });
    let gas: alloy_primitives::U64 = t.ok("eth_estimateGas", params![estimate, "pending"]).await;
    let receipt = t
        .send(0, TxKind::Call(ARB_WASM_ADDRESS), value, activate, gas.to())
        .await;
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    program
}

#[tokio::test]
async fn cargo_stylus_flow_deploys_activates_and_calls() {
    let t = TestNode::start().await;
    let program = deploy_and_activate(&t).await;
    let store = json!({ "to": program, "input": word(7) });
    let previous: Bytes = t.ok("eth_call", params![store, "latest"]).await;
    assert_eq!(hex::encode_prefixed(&previous), word(0));
    let receipt = t
        .send(
            1,
            TxKind::Call(program),
            U256::ZERO,
            hex::decode(word(7)).unwrap(),
            200_000,
        )
        .await;
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    let read: Bytes = t
        .ok("eth_call", params![json!({ "to": program }), "latest"])
        .await;
    assert_eq!(hex::encode_prefixed(&read), word(7));
    let slot: alloy_primitives::B256 = t
        .ok("eth_getStorageAt", params![program, "0x0", "latest"])
        .await;
    assert_eq!(slot, alloy_primitives::B256::from(U256::from(7)));
}

#[tokio::test]
async fn activation_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = DevnodeConfig {
        state_file: Some(dir.path().join("state.json")),
        ..DevnodeConfig::ephemeral()
    };
    let t = TestNode::with_config(config.clone()).await;
    let program = deploy_and_activate(&t).await;
    t.send(
        1,
        TxKind::Call(program),
        U256::ZERO,
        hex::decode(word(9)).unwrap(),
        200_000,
    )
    .await;
    let TestNode { node, .. } = t;
    node.shutdown().await.unwrap();

    let t = TestNode::with_config(config).await;
    let codehash = alloy_primitives::keccak256(program_code());
    let query = json!({
        "to": ARB_WASM_ADDRESS,
        "input": hex::encode_prefixed(ArbWasm::codehashVersionCall { codehash }.abi_encode()),
    });
    let version: Bytes = t.ok("eth_call", params![query, "latest"]).await;
    assert_eq!(u16::abi_decode(&version).unwrap(), 2);
    let read: Bytes = t
        .ok("eth_call", params![json!({ "to": program }), "latest"])
        .await;
    assert_eq!(hex::encode_prefixed(&read), word(9));
}

#[tokio::test]
async fn a_fresh_devnode_has_the_cache_manager_and_can_start_without_one() {
    use devnode::chain::cache_manager::{npm_ci, CACHE_MANAGER_ADDRESS};
    let artifact = npm_ci().expect("installing the published CacheManager");
    async fn code(t: &TestNode) -> Bytes {
        t.ok("eth_getCode", params![CACHE_MANAGER_ADDRESS, "latest"])
            .await
    }
    let t = TestNode::with_config(DevnodeConfig {
        cache_manager: devnode::CacheManagerSource::Artifact(artifact),
        ..DevnodeConfig::ephemeral()
    })
    .await;
    // The EIP-1167 proxy in front of the CacheManager.
    assert_eq!(code(&t).await.len(), 45);
    let t = TestNode::with_config(DevnodeConfig {
        cache_manager: devnode::CacheManagerSource::Off,
        ..DevnodeConfig::ephemeral()
    })
    .await;
    assert!(code(&t).await.is_empty());
}
