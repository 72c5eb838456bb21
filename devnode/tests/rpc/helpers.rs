//! Test helpers: snapshots, mining, time control, anvil-style setters, interval mining.

use std::time::Duration;

use alloy_primitives::{Address, Bytes, TxKind, B256, U256, U64};
use serde_json::{json, Value};

use crate::support::{sign_1559, TestNode};

async fn timestamp(t: &TestNode, block: &str) -> u64 {
    let block: Value = t.ok("eth_getBlockByNumber", params![block, false]).await;
    u64::from_str_radix(
        block["timestamp"]
            .as_str()
            .unwrap()
            .trim_start_matches("0x"),
        16,
    )
    .unwrap()
}

#[tokio::test]
async fn snapshot_and_revert_restore_everything() {
    let t = TestNode::start().await;
    let target = Address::with_last_byte(0x42);
    let id: U64 = t.ok("evm_snapshot", params![]).await;
    let receipt = t
        .send(1, TxKind::Call(target), U256::from(5), vec![], 21_000)
        .await;
    let hash = receipt["transactionHash"].clone();
    let second: U64 = t.ok("evm_snapshot", params![]).await;
    assert_ne!(id, second);
    assert_eq!(t.balance(target).await, U256::from(5));

    let reverted: bool = t.ok("evm_revert", params![id]).await;
    assert!(reverted);
    assert_eq!(t.balance(target).await, U256::ZERO);
    assert_eq!(t.block_number().await, 0);
    assert_eq!(t.nonce(t.account(1).address).await, 0);
    let gone: Value = t.ok("eth_getTransactionReceipt", params![hash]).await;
    assert!(gone.is_null());
    // Reverting drops this and later snapshots.
    let again: bool = t.ok("evm_revert", params![id]).await;
    assert!(!again);
    let later: bool = t.ok("evm_revert", params![second]).await;
    assert!(!later);
    // The same transaction can be sent again after the revert.
    let receipt = t
        .send(1, TxKind::Call(target), U256::from(5), vec![], 21_000)
        .await;
    assert_eq!(receipt["status"], "0x1");
}

#[tokio::test]
async fn evm_mine_and_time_control() {
    let t = TestNode::start().await;
    let result: String = t.ok("evm_mine", params![]).await;
    assert_eq!(result, "0x0");
    assert_eq!(t.block_number().await, 1);

    let before = timestamp(&t, "latest").await;
    let offset: i64 = t.ok("evm_increaseTime", params![3600]).await;
    assert!(offset >= 3600);
    let _: String = t.ok("evm_mine", params![]).await;
    assert!(timestamp(&t, "latest").await >= before + 3600);

    let target = timestamp(&t, "latest").await + 10_000;
    let _: Value = t
        .ok(
            "evm_setNextBlockTimestamp",
            params![format!("0x{target:x}")],
        )
        .await;
    t.send(
        1,
        TxKind::Call(Address::with_last_byte(0x42)),
        U256::ZERO,
        vec![],
        21_000,
    )
    .await;
    assert_eq!(timestamp(&t, "latest").await, target);
    // Later blocks continue from there.
    let _: String = t.ok("evm_mine", params![]).await;
    assert!(timestamp(&t, "latest").await >= target);

    let _: String = t.ok("evm_mine", params![target + 50]).await;
    assert_eq!(timestamp(&t, "latest").await, target + 50);
    let number_before = t.block_number().await;
    let _: String = t.ok("evm_mine", params![json!({ "blocks": 3 })]).await;
    assert_eq!(t.block_number().await, number_before + 3);

    let error = t.err("evm_setNextBlockTimestamp", params![1]).await;
    assert_eq!(error.code(), -32602);
    let error = t.err("evm_mine", params![1]).await;
    assert_eq!(error.code(), -32602);
}

#[tokio::test]
async fn anvil_setters_change_state_without_blocks() {
    let t = TestNode::start().await;
    let target = Address::with_last_byte(0x31);
    let _: Value = t.ok("anvil_setBalance", params![target, "0x1234"]).await;
    assert_eq!(t.balance(target).await, U256::from(0x1234));
    let _: Value = t.ok("anvil_setNonce", params![target, "0x7"]).await;
    assert_eq!(t.nonce(target).await, 7);
    assert_eq!(t.balance(target).await, U256::from(0x1234));
    let _: Value = t.ok("anvil_setCode", params![target, "0x6001"]).await;
    let code: Bytes = t.ok("eth_getCode", params![target, "latest"]).await;
    assert_eq!(code.to_vec(), vec![0x60, 0x01]);
    let ok: bool = t
        .ok(
            "anvil_setStorageAt",
            params![target, "0x2", B256::with_last_byte(9)],
        )
        .await;
    assert!(ok);
    let slot: B256 = t
        .ok("eth_getStorageAt", params![target, "0x2", "latest"])
        .await;
    assert_eq!(slot, B256::with_last_byte(9));
    assert_eq!(t.block_number().await, 0);
}

#[tokio::test]
async fn queued_transactions_share_the_next_block() {
    // A block time far in the future: only evm_mine mines.
    let t = TestNode::with_config(devnode::DevnodeConfig {
        block_time: Duration::from_secs(3600),
        ..devnode::DevnodeConfig::ephemeral()
    })
    .await;
    let account = t.account(1).clone();
    let to = TxKind::Call(Address::with_last_byte(0x42));
    let id = t.node.chain_id();
    let first_raw = sign_1559(&account, id, 0, to, U256::from(1), vec![], 21_000);
    let first = t.send_raw(first_raw.clone()).await.unwrap();
    assert_eq!(
        t.send_raw(first_raw).await.unwrap_err().message(),
        "already known"
    );
    let second = t
        .send_raw(sign_1559(
            &account,
            id,
            1,
            to,
            U256::from(1),
            vec![],
            21_000,
        ))
        .await
        .unwrap();
    let pending: U64 = t
        .ok(
            "eth_getTransactionCount",
            params![account.address, "pending"],
        )
        .await;
    assert_eq!(pending.to::<u64>(), 2);
    assert_eq!(t.nonce(account.address).await, 0);
    let queued: Value = t.ok("eth_getTransactionByHash", params![first]).await;
    assert!(queued["blockHash"].is_null());
    assert!(t.receipt(first).await.is_null());
    // A gap is still refused while queued.
    let gap = sign_1559(&account, id, 5, to, U256::from(1), vec![], 21_000);
    assert!(t
        .send_raw(gap)
        .await
        .unwrap_err()
        .message()
        .starts_with("nonce too high"));

    let _: String = t.ok("evm_mine", params![]).await;
    let receipt = t.receipt(second).await;
    assert_eq!(
        t.receipt(first).await["blockNumber"],
        receipt["blockNumber"]
    );
    assert_eq!(receipt["blockNumber"], "0x1");
    assert_eq!(receipt["transactionIndex"], "0x1");
    assert_eq!(receipt["cumulativeGasUsed"], "0xa410");
    assert_eq!(receipt["gasUsed"], "0x5208");
    let block: Value = t.ok("eth_getBlockByNumber", params!["0x1", false]).await;
    assert_eq!(block["transactions"], json!([first, second]));
}

#[tokio::test]
async fn interval_miner_mines_on_its_own() {
    let t = TestNode::with_config(devnode::DevnodeConfig {
        block_time: Duration::from_secs(1),
        ..devnode::DevnodeConfig::ephemeral()
    })
    .await;
    let account = t.account(1).clone();
    let to = TxKind::Call(Address::with_last_byte(0x42));
    let hash = t
        .send_raw(sign_1559(
            &account,
            t.node.chain_id(),
            0,
            to,
            U256::from(1),
            vec![],
            21_000,
        ))
        .await
        .unwrap();
    // Bounded wait for the miner (not a timing assertion: it only has to happen eventually).
    let mut receipt = Value::Null;
    for _ in 0..100 {
        receipt = t.receipt(hash).await;
        if !receipt.is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(receipt["status"], "0x1", "the interval miner never mined");
}
