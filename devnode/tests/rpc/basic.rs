//! Chain information methods: ids, versions, blocks, balances, fees.

use alloy_primitives::{address, Address, B256, U256, U64};
use serde_json::Value;

use crate::support::{TestNode, BASE_FEE};

const NITRO_DEV: Address = address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E");

#[tokio::test]
async fn chain_id_and_versions() {
    let t = TestNode::start().await;
    let id: U64 = t.ok("eth_chainId", params![]).await;
    assert_eq!(id, U64::from(412_346));
    let version: String = t.ok("net_version", params![]).await;
    assert_eq!(version, "412346");
    let client: String = t.ok("web3_clientVersion", params![]).await;
    assert!(client.starts_with("agentdao-devnode/v"), "{client}");
    let listening: bool = t.ok("net_listening", params![]).await;
    assert!(listening);
    let syncing: bool = t.ok("eth_syncing", params![]).await;
    assert!(!syncing);
}

#[tokio::test]
async fn custom_chain_id_is_served() {
    let t = TestNode::with_config(devnode::DevnodeConfig {
        chain_id: 1337,
        ..devnode::DevnodeConfig::ephemeral()
    })
    .await;
    let id: U64 = t.ok("eth_chainId", params![]).await;
    assert_eq!(id.to::<u64>(), 1337);
    assert_eq!(t.node.chain_id(), 1337);
}

#[tokio::test]
async fn accounts_are_funded_and_listed() {
    let t = TestNode::with_config(devnode::DevnodeConfig {
        extra_accounts: 3,
        balance_eth: 7,
        ..devnode::DevnodeConfig::ephemeral()
    })
    .await;
    let accounts: Vec<Address> = t.ok("eth_accounts", params![]).await;
    assert_eq!(accounts.len(), 4);
    assert_eq!(accounts[0], NITRO_DEV);
    let expected: Vec<Address> = t.node.accounts().iter().map(|a| a.address).collect();
    assert_eq!(accounts, expected);
    let seven_eth = U256::from(7_000_000_000_000_000_000u128);
    for account in accounts {
        assert_eq!(t.balance(account).await, seven_eth);
    }
    assert_eq!(t.balance(Address::with_last_byte(0x99)).await, U256::ZERO);
}

#[tokio::test]
async fn block_number_starts_at_genesis() {
    let t = TestNode::start().await;
    assert_eq!(t.block_number().await, 0);
}

#[tokio::test]
async fn gas_price_is_the_nitro_minimum_base_fee() {
    let t = TestNode::start().await;
    let price: U256 = t.ok("eth_gasPrice", params![]).await;
    assert_eq!(price, U256::from(BASE_FEE));
    let tip: U256 = t.ok("eth_maxPriorityFeePerGas", params![]).await;
    assert_eq!(tip, U256::ZERO);
}

#[tokio::test]
async fn fee_history_matches_alloys_request() {
    let t = TestNode::start().await;
    // cargo-stylus (alloy) sends ["0xa", "latest", [20.0]].
    let history: Value = t
        .ok("eth_feeHistory", params!["0xa", "latest", vec![20.0]])
        .await;
    assert_eq!(history["oldestBlock"], "0x0");
    assert_eq!(
        history["baseFeePerGas"],
        serde_json::json!(["0x5f5e100", "0x5f5e100"])
    );
    assert_eq!(history["gasUsedRatio"].as_array().unwrap().len(), 1);
    assert_eq!(history["reward"], serde_json::json!([["0x0"]]));
    let numeric: Value = t.ok("eth_feeHistory", params![1, "latest"]).await;
    assert!(numeric.get("reward").is_none());
    let error = t
        .err("eth_feeHistory", params![1, "latest", vec![50.0, 10.0]])
        .await;
    assert_eq!(error.code(), -32602);
}

#[tokio::test]
async fn blocks_by_number_and_hash() {
    let t = TestNode::start().await;
    let genesis: Value = t.ok("eth_getBlockByNumber", params!["0x0", false]).await;
    assert_eq!(genesis["number"], "0x0");
    assert_eq!(genesis["baseFeePerGas"], "0x5f5e100");
    assert_eq!(
        genesis["miner"],
        "0xa4b000000000000000000073657175656e636572"
    );
    assert_eq!(genesis["transactions"], serde_json::json!([]));
    let hash: B256 = serde_json::from_value(genesis["hash"].clone()).unwrap();
    let by_hash: Value = t.ok("eth_getBlockByHash", params![hash, true]).await;
    assert_eq!(by_hash["hash"], genesis["hash"]);
    let latest: Value = t.ok("eth_getBlockByNumber", params!["latest", false]).await;
    assert_eq!(latest["hash"], genesis["hash"]);
    let earliest: Value = t
        .ok("eth_getBlockByNumber", params!["earliest", false])
        .await;
    assert_eq!(earliest["hash"], genesis["hash"]);
    let missing: Value = t.ok("eth_getBlockByNumber", params!["0x10", false]).await;
    assert!(missing.is_null());
    let missing: Value = t
        .ok(
            "eth_getBlockByHash",
            params![B256::with_last_byte(1), false],
        )
        .await;
    assert!(missing.is_null());
}

#[tokio::test]
async fn future_block_is_an_error_for_state_queries() {
    let t = TestNode::start().await;
    let error = t.err("eth_getBalance", params![NITRO_DEV, "0x5"]).await;
    assert_eq!(error.code(), -32000);
    assert_eq!(error.message(), "header not found");
    // The node keeps serving.
    assert_eq!(t.block_number().await, 0);
}

#[tokio::test]
async fn precompiles_and_deployer_have_code() {
    let t = TestNode::start().await;
    for address in [
        address!("0000000000000000000000000000000000000071"),
        address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990"),
    ] {
        let code: alloy_primitives::Bytes = t.ok("eth_getCode", params![address, "latest"]).await;
        assert!(!code.is_empty(), "{address} has no code");
    }
}
