//! `--state <file>`: a restart keeps balances, nonces, code, storage, blocks and receipts.

use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use devnode::DevnodeConfig;
use serde_json::Value;

use crate::support::{counter_runtime, init_code, TestNode};

#[tokio::test]
async fn restart_with_state_file_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain").join("state.json");
    let config = DevnodeConfig {
        state_file: Some(path.clone()),
        ..DevnodeConfig::ephemeral()
    };
    let target = Address::with_last_byte(0x42);

    let t = TestNode::with_config(config.clone()).await;
    let contract = t.deploy(init_code(5, &counter_runtime())).await;
    let receipt = t
        .send(1, TxKind::Call(contract), U256::ZERO, vec![], 100_000)
        .await;
    t.send(2, TxKind::Call(target), U256::from(12345), vec![], 21_000)
        .await;
    let snapshot_block: Value = t.ok("eth_getBlockByNumber", params!["latest", true]).await;
    let sender_balance = t.balance(t.account(2).address).await;
    let TestNode { node, .. } = t;
    node.shutdown().await.unwrap();
    assert!(path.exists());

    let t = TestNode::with_config(config).await;
    assert_eq!(t.block_number().await, 3);
    assert_eq!(t.balance(target).await, U256::from(12345));
    assert_eq!(t.balance(t.account(2).address).await, sender_balance);
    assert_eq!(t.nonce(t.account(0).address).await, 1);
    let code: Bytes = t.ok("eth_getCode", params![contract, "latest"]).await;
    assert_eq!(code.to_vec(), counter_runtime());
    let slot: B256 = t
        .ok("eth_getStorageAt", params![contract, "0x0", "latest"])
        .await;
    assert_eq!(slot, B256::from(U256::from(6)));
    // History and receipts survive too.
    let old: B256 = t
        .ok("eth_getStorageAt", params![contract, "0x0", "0x1"])
        .await;
    assert_eq!(old, B256::from(U256::from(5)));
    let restored = t
        .receipt(
            receipt["transactionHash"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        )
        .await;
    assert_eq!(restored, receipt);
    let block: Value = t.ok("eth_getBlockByNumber", params!["latest", true]).await;
    assert_eq!(block, snapshot_block);
    let logs: Vec<Value> = t
        .ok(
            "eth_getLogs",
            params![serde_json::json!({ "fromBlock": "0x0" })],
        )
        .await;
    assert_eq!(logs.len(), 1);
    // And the chain goes on from there.
    let next = t
        .send(2, TxKind::Call(target), U256::from(1), vec![], 21_000)
        .await;
    assert_eq!(next["blockNumber"], "0x4");
}

#[tokio::test]
async fn state_file_for_another_chain_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let node = devnode::spawn(DevnodeConfig {
        state_file: Some(path.clone()),
        ..DevnodeConfig::ephemeral()
    })
    .await
    .unwrap();
    node.shutdown().await.unwrap();
    let other = devnode::spawn(DevnodeConfig {
        state_file: Some(path.clone()),
        chain_id: 1,
        ..DevnodeConfig::ephemeral()
    })
    .await;
    let error = other
        .err()
        .expect("a chain id mismatch is refused")
        .to_string();
    assert!(error.contains("chain id 412346, not 1"), "{error}");

    std::fs::write(&path, b"{ not json").unwrap();
    let broken = devnode::spawn(DevnodeConfig {
        state_file: Some(path),
        ..DevnodeConfig::ephemeral()
    })
    .await;
    assert!(broken
        .err()
        .expect("a broken file is refused")
        .to_string()
        .contains("malformed"));
}

#[tokio::test]
async fn state_file_is_written_while_running() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let t = TestNode::with_config(DevnodeConfig {
        state_file: Some(path.clone()),
        ..DevnodeConfig::ephemeral()
    })
    .await;
    t.send(
        1,
        TxKind::Call(Address::with_last_byte(0x42)),
        U256::from(3),
        vec![],
        21_000,
    )
    .await;
    // Without a shutdown (a crash), the background saver still has the block on disk.
    let mut saved_block = None;
    for _ in 0..100 {
        if let Ok(chain) =
            devnode::chain::Chain::load(devnode::evm::ChainSpec::default(), Vec::new(), true, &path)
        {
            saved_block = Some(chain.block_number());
            if saved_block == Some(1) {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(saved_block, Some(1), "the saver never wrote block 1");
    drop(t);
    let restarted = TestNode::with_config(DevnodeConfig {
        state_file: Some(path),
        ..DevnodeConfig::ephemeral()
    })
    .await;
    assert_eq!(
        restarted.balance(Address::with_last_byte(0x42)).await,
        U256::from(3)
    );
}
