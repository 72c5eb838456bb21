//! Deploying and calling an EVM contract: code, storage, receipts, logs, `eth_getLogs` filters,
//! reverts as geth reports them, state overrides and gas estimation.

use alloy_primitives::{hex, Address, Bytes, TxKind, B256, U256, U64};
use serde_json::{json, Value};

use crate::support::{counter_runtime, init_code, TestNode, BUMPED_TOPIC};

async fn counter(t: &TestNode) -> Address {
    t.deploy(init_code(5, &counter_runtime())).await
}

fn word(value: u64) -> String {
    format!("0x{value:064x}")
}

#[tokio::test]
async fn deploy_sets_code_and_storage() {
    let t = TestNode::start().await;
    let address = counter(&t).await;
    assert_eq!(address, t.account(0).address.create(0));
    let code: Bytes = t.ok("eth_getCode", params![address, "latest"]).await;
    assert_eq!(code.to_vec(), counter_runtime());
    let slot: B256 = t
        .ok("eth_getStorageAt", params![address, "0x0", "latest"])
        .await;
    assert_eq!(slot, B256::from(U256::from(5)));
    // Before the deployment block there was no code.
    let before: Bytes = t.ok("eth_getCode", params![address, "0x0"]).await;
    assert!(before.is_empty());
}

#[tokio::test]
async fn call_reads_and_historical_state_is_kept() {
    let t = TestNode::start().await;
    let address = counter(&t).await;
    let read = json!({ "to": address, "input": "0x01020304" });
    let value: Bytes = t.ok("eth_call", params![read.clone(), "latest"]).await;
    assert_eq!(hex::encode_prefixed(&value), word(5));
    t.send(1, TxKind::Call(address), U256::ZERO, vec![], 100_000)
        .await;
    let value: Bytes = t.ok("eth_call", params![read.clone()]).await;
    assert_eq!(hex::encode_prefixed(&value), word(6));
    // At the deployment block the counter was still 5; `data` works like `input`.
    let legacy_field = json!({ "to": address, "data": "0x01020304" });
    let value: Bytes = t.ok("eth_call", params![legacy_field, "0x1"]).await;
    assert_eq!(hex::encode_prefixed(&value), word(5));
    let slot: B256 = t
        .ok("eth_getStorageAt", params![address, "0x0", "0x1"])
        .await;
    assert_eq!(slot, B256::from(U256::from(5)));
    // A block hash selects the same state (EIP-1898).
    let block: Value = t.ok("eth_getBlockByNumber", params!["0x1", false]).await;
    let by_hash = json!({ "blockHash": block["hash"] });
    let value: Bytes = t.ok("eth_call", params![read, by_hash]).await;
    assert_eq!(hex::encode_prefixed(&value), word(5));
}

#[tokio::test]
async fn receipt_logs_and_bloom() {
    let t = TestNode::start().await;
    let address = counter(&t).await;
    let caller = t.account(2).address;
    let receipt = t
        .send(2, TxKind::Call(address), U256::from(77), vec![], 100_000)
        .await;
    assert_eq!(receipt["status"], "0x1");
    let logs = receipt["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 1);
    let log = &logs[0];
    assert_eq!(log["address"], json!(address));
    assert_eq!(log["topics"][0], json!(B256::from(BUMPED_TOPIC)));
    assert_eq!(
        log["topics"][1],
        json!(B256::left_padding_from(caller.as_slice()))
    );
    assert_eq!(log["data"], json!(word(77)));
    assert_eq!(log["logIndex"], "0x0");
    assert_eq!(log["transactionHash"], receipt["transactionHash"]);
    assert_eq!(log["blockHash"], receipt["blockHash"]);
    assert_eq!(log["removed"], false);
    let bloom: alloy_primitives::Bloom =
        serde_json::from_value(receipt["logsBloom"].clone()).unwrap();
    assert!(bloom.contains_input(alloy_primitives::BloomInput::Raw(address.as_slice())));
    assert!(bloom.contains_input(alloy_primitives::BloomInput::Raw(&BUMPED_TOPIC)));
    let block: Value = t
        .ok(
            "eth_getBlockByNumber",
            params![receipt["blockNumber"].clone(), false],
        )
        .await;
    assert_eq!(block["logsBloom"], receipt["logsBloom"]);
}

#[tokio::test]
async fn get_logs_filters_by_address_topics_range_and_hash() {
    let t = TestNode::start().await;
    let first = counter(&t).await; // block 1
    let second = counter(&t).await; // block 2
    let r3 = t
        .send(1, TxKind::Call(first), U256::from(1), vec![], 100_000)
        .await; // block 3
    t.send(2, TxKind::Call(second), U256::from(2), vec![], 100_000)
        .await; // block 4
    t.send(1, TxKind::Call(second), U256::from(3), vec![], 100_000)
        .await; // block 5

    let all: Vec<Value> = t
        .ok("eth_getLogs", params![json!({ "fromBlock": "0x0" })])
        .await;
    assert_eq!(all.len(), 3);
    let latest_only: Vec<Value> = t.ok("eth_getLogs", params![json!({})]).await;
    assert_eq!(latest_only.len(), 1);
    let by_address: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![json!({ "fromBlock": "earliest", "address": second })],
        )
        .await;
    assert_eq!(by_address.len(), 2);
    let sender_topic = B256::left_padding_from(t.account(1).address.as_slice());
    let by_topic: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![
                json!({ "fromBlock": "0x0", "topics": [B256::from(BUMPED_TOPIC), sender_topic] })
            ],
        )
        .await;
    assert_eq!(by_topic.len(), 2);
    let any_first_topic: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![json!({ "fromBlock": "0x0", "topics": [null, [sender_topic]] })],
        )
        .await;
    assert_eq!(any_first_topic.len(), 2);
    let no_match: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![json!({ "fromBlock": "0x0", "topics": [B256::with_last_byte(1)] })],
        )
        .await;
    assert!(no_match.is_empty());
    let range: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![json!({ "fromBlock": "0x3", "toBlock": "0x4" })],
        )
        .await;
    assert_eq!(range.len(), 2);
    let by_hash: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![json!({ "blockHash": r3["blockHash"] })],
        )
        .await;
    assert_eq!(by_hash.len(), 1);
    assert_eq!(by_hash[0]["transactionHash"], r3["transactionHash"]);
    let error = t
        .err(
            "eth_getLogs",
            params![json!({ "fromBlock": "0x4", "toBlock": "0x3" })],
        )
        .await;
    assert_eq!(error.code(), -32602);
}

#[tokio::test]
async fn reverts_are_reported_like_geth() {
    let t = TestNode::start().await;
    let address = counter(&t).await;
    let failing = json!({ "to": address, "input": "0x01" });
    let error = t.err("eth_call", params![failing.clone(), "latest"]).await;
    assert_eq!(error.code(), 3);
    assert_eq!(error.message(), "execution reverted: nope");
    let data: String = serde_json::from_str(error.data().unwrap().get()).unwrap();
    assert!(data.starts_with("0x08c379a0"), "{data}");
    assert_eq!(data.len(), 2 + 200);

    let error = t.err("eth_estimateGas", params![failing]).await;
    assert_eq!(error.code(), 3);
    assert_eq!(error.message(), "execution reverted: nope");

    // A revert without data has no reason.
    let empty_revert = json!({ "input": "0x60006000fd" });
    let error = t.err("eth_call", params![empty_revert]).await;
    assert_eq!(error.message(), "execution reverted");
    assert_eq!(error.data().unwrap().get(), "\"0x\"");

    // A mined revert has status 0 and its gas is charged.
    let receipt = t
        .send(1, TxKind::Call(address), U256::ZERO, vec![1], 100_000)
        .await;
    assert_eq!(receipt["status"], "0x0");
}

#[tokio::test]
async fn halts_use_geth_messages() {
    let t = TestNode::start().await;
    // INVALID (0xfe) as init code.
    let error = t.err("eth_call", params![json!({ "input": "0xfe" })]).await;
    assert_eq!(error.code(), -32000);
    assert_eq!(error.message(), "invalid opcode");
    // An infinite loop runs out of gas: JUMPDEST PUSH1 0 JUMP.
    let error = t
        .err(
            "eth_call",
            params![json!({ "input": "0x5b600056", "gas": "0x100000" })],
        )
        .await;
    assert_eq!(error.message(), "out of gas");
    let error = t
        .err("eth_estimateGas", params![json!({ "input": "0x5b600056" })])
        .await;
    assert_eq!(error.message(), "gas required exceeds allowance (32000000)");
}

#[tokio::test]
async fn state_overrides_code_balance_state_and_diff() {
    let t = TestNode::start().await;
    let target = Address::with_last_byte(0x77);
    let code = hex::encode_prefixed(counter_runtime());
    let read = json!({ "to": target, "input": "0x01020304" });
    let overrides = json!({ target.to_string(): { "code": code, "state": { "0x0000000000000000000000000000000000000000000000000000000000000000": word(9) } } });
    let value: Bytes = t
        .ok("eth_call", params![read.clone(), "latest", overrides])
        .await;
    assert_eq!(hex::encode_prefixed(&value), word(9));
    let diff = json!({ target.to_string(): { "code": code, "stateDiff": { "0x0000000000000000000000000000000000000000000000000000000000000000": word(3) } } });
    let value: Bytes = t
        .ok("eth_call", params![read.clone(), "latest", diff])
        .await;
    assert_eq!(hex::encode_prefixed(&value), word(3));

    // cargo-stylus funds a random sender with a balance override and sends value.
    let rich = Address::with_last_byte(0x55);
    let transfer = json!({ "from": rich, "to": target, "value": "0xde0b6b3a7640000" });
    let error = t.err("eth_call", params![transfer.clone(), "latest"]).await;
    assert_eq!(error.code(), -32000);
    let funded = json!({ rich.to_string(): { "balance": "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" } });
    let _: Bytes = t.ok("eth_call", params![transfer, "latest", funded]).await;

    // Overrides never touch the chain.
    let code_now: Bytes = t.ok("eth_getCode", params![target, "latest"]).await;
    assert!(code_now.is_empty());
    let both = json!({ target.to_string(): { "state": {}, "stateDiff": {} } });
    let error = t.err("eth_call", params![read, "latest", both]).await;
    assert_eq!(error.code(), -32602);
}

#[tokio::test]
async fn estimate_gas_is_the_exact_minimum() {
    let t = TestNode::start().await;
    let address = counter(&t).await;
    let from = t.account(1).address;
    let transfer: U64 = t
        .ok(
            "eth_estimateGas",
            params![json!({ "from": from, "to": Address::repeat_byte(0x12), "value": "0x1" })],
        )
        .await;
    assert_eq!(transfer.to::<u64>(), 21_000);
    let bump = json!({ "from": from, "to": address, "value": "0x0" });
    let estimate: U64 = t
        .ok("eth_estimateGas", params![bump.clone(), "pending"])
        .await;
    let estimate = estimate.to::<u64>();
    // 21000 + cold SLOAD + non-zero SSTORE + LOG2: well above a transfer.
    assert!(estimate > 21_000 + 5_000, "{estimate}");
    // One gas less fails (out of gas), the estimate succeeds.
    let short = t
        .send(1, TxKind::Call(address), U256::ZERO, vec![], estimate - 1)
        .await;
    assert_eq!(short["status"], "0x0");
    let exact = t
        .send(1, TxKind::Call(address), U256::ZERO, vec![], estimate)
        .await;
    assert_eq!(exact["status"], "0x1");

    // With a fee cap the balance limits the gas: a poor sender cannot afford it.
    let poor = Address::with_last_byte(0x66);
    let error = t
        .err(
            "eth_estimateGas",
            params![json!({ "from": poor, "to": address, "maxFeePerGas": "0x5f5e100" })],
        )
        .await;
    assert_eq!(error.message(), "gas required exceeds allowance (0)");
    // Deployment estimate (cargo-stylus sends to: null and no block tag).
    let deploy = json!({ "from": from, "to": null, "input": hex::encode_prefixed(init_code(1, &counter_runtime())) });
    let estimate: U64 = t.ok("eth_estimateGas", params![deploy]).await;
    assert!(estimate.to::<u64>() > 53_000);
}

#[tokio::test]
async fn reverted_transactions_keep_no_logs() {
    let t = TestNode::start().await;
    // LOG0(0, 0) then REVERT(0, 0).
    let init = vec![0x60, 0, 0x60, 0, 0xa0, 0x60, 0, 0x60, 0, 0xfd];
    let receipt = t.send(0, TxKind::Create, U256::ZERO, init, 100_000).await;
    assert_eq!(receipt["status"], "0x0");
    assert_eq!(receipt["logs"], json!([]));
    assert_eq!(receipt["logsBloom"], json!(alloy_primitives::Bloom::ZERO));
    let logs: Vec<Value> = t
        .ok("eth_getLogs", params![json!({ "fromBlock": "0x0" })])
        .await;
    assert!(logs.is_empty());
}
