//! Sending transactions: every type, dev-account signing, receipts, and every rejection with
//! geth's message (the node keeps serving after each).

use alloy_consensus::{TxEip1559, TxEip2930, TxLegacy};
use alloy_primitives::{Address, Bytes, TxKind, B256, U256, U64};
use serde_json::{json, Value};

use crate::support::{sign, sign_1559, TestNode, BASE_FEE};

const ONE_ETH: u128 = 1_000_000_000_000_000_000;

fn recipient() -> Address {
    Address::with_last_byte(0x42)
}

#[tokio::test]
async fn eip1559_transfer_is_mined_with_a_full_receipt() {
    let t = TestNode::start().await;
    let sender = t.account(1).address;
    let before = t.balance(sender).await;
    let receipt = t
        .send(
            1,
            TxKind::Call(recipient()),
            U256::from(ONE_ETH),
            vec![],
            21_000,
        )
        .await;
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(receipt["type"], "0x2");
    assert_eq!(receipt["gasUsed"], "0x5208");
    assert_eq!(receipt["cumulativeGasUsed"], "0x5208");
    assert_eq!(receipt["effectiveGasPrice"], "0x5f5e100");
    assert_eq!(receipt["blockNumber"], "0x1");
    assert_eq!(receipt["transactionIndex"], "0x0");
    assert_eq!(receipt["contractAddress"], Value::Null);
    assert_eq!(receipt["logs"], json!([]));
    assert_eq!(receipt["gasUsedForL1"], "0x0");
    assert_eq!(receipt["from"], json!(sender.to_string().to_lowercase()));
    assert!(receipt["logsBloom"].as_str().unwrap().starts_with("0x000"));
    assert_eq!(t.block_number().await, 1);
    assert_eq!(t.balance(recipient()).await, U256::from(ONE_ETH));
    // Tips are dropped: the sender pays exactly value + 21000 * base fee.
    let fee = U256::from(21_000u128 * BASE_FEE);
    assert_eq!(t.balance(sender).await, before - U256::from(ONE_ETH) - fee);
    assert_eq!(t.nonce(sender).await, 1);

    let block: Value = t.ok("eth_getBlockByNumber", params!["0x1", true]).await;
    assert_eq!(block["transactions"][0]["hash"], receipt["transactionHash"]);
    assert_eq!(block["gasUsed"], "0x5208");
    assert_eq!(
        block["parentHash"],
        t.ok::<Value>("eth_getBlockByNumber", params!["0x0", false])
            .await["hash"]
    );
}

#[tokio::test]
async fn legacy_pre_eip155_and_eip2930_are_accepted() {
    let t = TestNode::start().await;
    let account = t.account(2).clone();
    let legacy = TxLegacy {
        chain_id: Some(t.node.chain_id()),
        nonce: 0,
        gas_price: 3 * BASE_FEE,
        gas_limit: 21_000,
        to: TxKind::Call(recipient()),
        value: U256::from(1),
        input: Bytes::new(),
    };
    let unprotected = TxLegacy {
        chain_id: None,
        nonce: 1,
        ..legacy.clone()
    };
    let access_list = TxEip2930 {
        chain_id: t.node.chain_id(),
        nonce: 2,
        gas_price: BASE_FEE,
        gas_limit: 30_000,
        to: TxKind::Call(recipient()),
        value: U256::from(1),
        access_list: Default::default(),
        input: Bytes::new(),
    };
    let raws = [
        sign(&account, legacy),
        sign(&account, unprotected),
        sign(&account, access_list),
    ];
    for (raw, ty) in raws.into_iter().zip(["0x0", "0x0", "0x1"]) {
        let hash = t.send_raw(raw).await.expect("accepted");
        let receipt = t.receipt(hash).await;
        assert_eq!(receipt["status"], "0x1");
        assert_eq!(receipt["type"], ty);
        // Legacy transactions pay the base fee too, not their gas price.
        assert_eq!(receipt["effectiveGasPrice"], "0x5f5e100");
        let tx: Value = t.ok("eth_getTransactionByHash", params![hash]).await;
        assert_eq!(tx["hash"], json!(hash));
        assert_eq!(
            tx["from"],
            json!(account.address.to_string().to_lowercase())
        );
        assert_eq!(tx["type"], ty);
    }
    assert_eq!(t.balance(recipient()).await, U256::from(3));
    assert_eq!(t.nonce(account.address).await, 3);
}

#[tokio::test]
async fn send_transaction_signs_for_dev_accounts() {
    let t = TestNode::start().await;
    let from = t.account(0).address;
    let request = json!({ "from": from, "to": recipient(), "value": "0x64" });
    let hash: B256 = t.ok("eth_sendTransaction", params![request]).await;
    let receipt = t.receipt(hash).await;
    assert_eq!(receipt["status"], "0x1");
    assert_eq!(receipt["gasUsed"], "0x5208");
    assert_eq!(t.balance(recipient()).await, U256::from(100));
    let legacy =
        json!({ "from": from, "to": recipient(), "value": "0x1", "gasPrice": "0x5f5e100" });
    let hash: B256 = t.ok("eth_sendTransaction", params![legacy]).await;
    assert_eq!(t.receipt(hash).await["type"], "0x0");

    let stranger = json!({ "from": Address::with_last_byte(7), "to": recipient() });
    let error = t.err("eth_sendTransaction", params![stranger]).await;
    assert_eq!(error.message(), "unknown account");
}

#[tokio::test]
async fn unknown_hashes_give_null() {
    let t = TestNode::start().await;
    let tx: Value = t
        .ok("eth_getTransactionByHash", params![B256::with_last_byte(5)])
        .await;
    assert!(tx.is_null());
    let receipt: Value = t
        .ok(
            "eth_getTransactionReceipt",
            params![B256::with_last_byte(5)],
        )
        .await;
    assert!(receipt.is_null());
}

/// Sends `raw`, expects a -32000 error with `message`, and checks nothing was mined.
async fn rejected(t: &TestNode, raw: Vec<u8>, message: &str) {
    let before = t.block_number().await;
    let error = t.send_raw(raw).await.expect_err("must be rejected");
    assert_eq!(error.code(), -32000);
    assert_eq!(error.message(), message);
    assert_eq!(t.block_number().await, before, "nothing may be mined");
}

#[tokio::test]
async fn nonce_too_low_and_too_high() {
    let t = TestNode::start().await;
    let account = t.account(1).clone();
    let id = t.node.chain_id();
    let to = TxKind::Call(recipient());
    t.send(1, to, U256::from(1), vec![], 21_000).await;
    let low = sign_1559(&account, id, 0, to, U256::from(1), vec![], 21_000);
    rejected(
        &t,
        low,
        &format!("nonce too low: address {}, tx: 0 state: 1", account.address),
    )
    .await;
    let high = sign_1559(&account, id, 5, to, U256::from(1), vec![], 21_000);
    rejected(
        &t,
        high,
        &format!(
            "nonce too high: address {}, tx: 5 state: 1",
            account.address
        ),
    )
    .await;
    // Still serving, and the right nonce works.
    assert_eq!(
        t.send(1, to, U256::from(1), vec![], 21_000).await["status"],
        "0x1"
    );
}

#[tokio::test]
async fn insufficient_funds() {
    let t = TestNode::start().await;
    let account = t.account(3).clone();
    let balance = t.balance(account.address).await;
    let raw = sign_1559(
        &account,
        t.node.chain_id(),
        0,
        TxKind::Call(recipient()),
        balance,
        vec![],
        21_000,
    );
    let want = balance + U256::from(21_000u128 * 2 * BASE_FEE);
    rejected(
        &t,
        raw,
        &format!(
            "insufficient funds for gas * price + value: address {} have {balance} want {want}",
            account.address
        ),
    )
    .await;
    assert_eq!(t.balance(account.address).await, balance);
}

#[tokio::test]
async fn intrinsic_gas_too_low_and_block_gas_limit() {
    let t = TestNode::start().await;
    let account = t.account(1).clone();
    let id = t.node.chain_id();
    let to = TxKind::Call(recipient());
    let low = sign_1559(&account, id, 0, to, U256::ZERO, vec![1, 2, 3], 21_000);
    rejected(
        &t,
        low,
        "intrinsic gas too low: gas 21000, minimum needed 21048",
    )
    .await;
    let huge = sign_1559(&account, id, 0, to, U256::ZERO, vec![], 40_000_000);
    rejected(&t, huge, "exceeds block gas limit").await;
}

#[tokio::test]
async fn fee_cap_below_base_fee_and_tip_above_cap() {
    let t = TestNode::start().await;
    let account = t.account(1).clone();
    let mut tx = TxEip1559 {
        chain_id: t.node.chain_id(),
        nonce: 0,
        gas_limit: 21_000,
        max_fee_per_gas: 10,
        max_priority_fee_per_gas: 0,
        to: TxKind::Call(recipient()),
        value: U256::ZERO,
        access_list: Default::default(),
        input: Bytes::new(),
    };
    rejected(
        &t,
        sign(&account, tx.clone()),
        &format!(
            "max fee per gas less than block base fee: address {}, maxFeePerGas: 10, baseFee: {BASE_FEE}",
            account.address
        ),
    )
    .await;
    tx.max_fee_per_gas = BASE_FEE;
    tx.max_priority_fee_per_gas = BASE_FEE + 1;
    rejected(
        &t,
        sign(&account, tx),
        "max priority fee per gas higher than max fee per gas",
    )
    .await;
}

#[tokio::test]
async fn wrong_chain_id_bad_signature_garbage_and_duplicates() {
    let t = TestNode::start().await;
    let account = t.account(1).clone();
    let to = TxKind::Call(recipient());
    let other_chain = sign_1559(&account, 1, 0, to, U256::ZERO, vec![], 21_000);
    rejected(
        &t,
        other_chain,
        "invalid chain id for signer: have 1 want 412346",
    )
    .await;

    // Corrupt the signature's r value so that it no longer recovers to a point.
    let mut bad_signature = sign_1559(
        &account,
        t.node.chain_id(),
        0,
        to,
        U256::ZERO,
        vec![],
        21_000,
    );
    let len = bad_signature.len();
    bad_signature[len - 66..len - 33].fill(0xff);
    let error = t.send_raw(bad_signature).await.expect_err("bad signature");
    assert_eq!(error.code(), -32000);
    assert!(
        error.message() == "invalid sender"
            || error
                .message()
                .starts_with("transaction could not be decoded"),
        "{}",
        error.message()
    );

    let error = t
        .send_raw(vec![0x02, 0xde, 0xad])
        .await
        .expect_err("garbage");
    assert!(
        error
            .message()
            .starts_with("transaction could not be decoded"),
        "{}",
        error.message()
    );

    let good = sign_1559(
        &account,
        t.node.chain_id(),
        0,
        to,
        U256::ZERO,
        vec![],
        21_000,
    );
    t.send_raw(good.clone()).await.expect("accepted");
    // Resending a mined transaction fails the nonce check, as in geth.
    rejected(
        &t,
        good,
        &format!("nonce too low: address {}, tx: 0 state: 1", account.address),
    )
    .await;
    let n: U64 = t.ok("eth_blockNumber", params![]).await;
    assert_eq!(n.to::<u64>(), 1);
}

#[tokio::test]
async fn failed_transaction_is_mined_with_status_zero() {
    let t = TestNode::start().await;
    // Init code that reverts immediately: PUSH1 0 PUSH1 0 REVERT.
    let receipt = t
        .send(
            0,
            TxKind::Create,
            U256::ZERO,
            vec![0x60, 0, 0x60, 0, 0xfd],
            100_000,
        )
        .await;
    assert_eq!(receipt["status"], "0x0");
    let sender = t.account(0).address;
    // geth reports the would-be address of a failed creation too.
    assert_eq!(receipt["contractAddress"], json!(sender.create(0)));
    assert_eq!(t.nonce(sender).await, 1);
}

#[tokio::test]
async fn transactions_by_block_and_index() {
    let t = TestNode::start().await;
    let receipt = t
        .send(1, TxKind::Call(recipient()), U256::from(1), vec![], 21_000)
        .await;
    let block_hash: B256 = serde_json::from_value(receipt["blockHash"].clone()).unwrap();
    let count: U64 = t
        .ok("eth_getBlockTransactionCountByNumber", params!["0x1"])
        .await;
    assert_eq!(count.to::<u64>(), 1);
    let count: U64 = t
        .ok("eth_getBlockTransactionCountByHash", params![block_hash])
        .await;
    assert_eq!(count.to::<u64>(), 1);
    let count: U64 = t
        .ok("eth_getBlockTransactionCountByNumber", params!["earliest"])
        .await;
    assert_eq!(count.to::<u64>(), 0);
    let missing: Value = t
        .ok("eth_getBlockTransactionCountByNumber", params!["0x9"])
        .await;
    assert!(missing.is_null());

    let tx: Value = t
        .ok(
            "eth_getTransactionByBlockNumberAndIndex",
            params!["latest", "0x0"],
        )
        .await;
    assert_eq!(tx["hash"], receipt["transactionHash"]);
    assert_eq!(tx["transactionIndex"], "0x0");
    let tx: Value = t
        .ok(
            "eth_getTransactionByBlockHashAndIndex",
            params![block_hash, "0x0"],
        )
        .await;
    assert_eq!(tx["hash"], receipt["transactionHash"]);
    let none: Value = t
        .ok(
            "eth_getTransactionByBlockHashAndIndex",
            params![block_hash, "0x1"],
        )
        .await;
    assert!(none.is_null());
    let none: Value = t
        .ok(
            "eth_getTransactionByBlockNumberAndIndex",
            params!["0x7", "0x0"],
        )
        .await;
    assert!(none.is_null());
}
