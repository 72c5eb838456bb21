//! JSON-RPC protocol behaviour: batches, malformed JSON, unknown methods, wrong parameters.
//! The node must answer each with the right error and keep serving.

use jsonrpsee::core::{client::ClientT, params::BatchRequestBuilder};
use serde_json::{json, Value};

use crate::support::{post_raw, TestNode};

async fn still_serving(t: &TestNode) {
    assert_eq!(t.block_number().await, 0);
}

#[tokio::test]
async fn batch_requests_answer_each_entry() {
    let t = TestNode::start().await;
    let mut batch = BatchRequestBuilder::new();
    batch.insert("eth_chainId", params![]).unwrap();
    batch.insert("eth_blockNumber", params![]).unwrap();
    batch.insert("net_version", params![]).unwrap();
    let answers = t.client.batch_request::<Value>(batch).await.unwrap();
    let values: Vec<Value> = answers.into_iter().map(|a| a.unwrap()).collect();
    assert_eq!(
        values,
        vec![json!("0x64aba"), json!("0x0"), json!("412346")]
    );

    // A batch mixing good and bad entries answers each by id.
    let body = r#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},
                   {"jsonrpc":"2.0","id":2,"method":"eth_nope","params":[]},
                   {"jsonrpc":"2.0","id":3,"method":"eth_getBalance","params":["0xzz"]}]"#;
    let answer = post_raw(&t.node.url(), body).await;
    let answers = answer.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 3);
    let by_id = |id: u64| answers.iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(by_id(1)["result"], "0x64aba");
    assert_eq!(by_id(2)["error"]["code"], -32601);
    assert_eq!(by_id(3)["error"]["code"], -32602);
    still_serving(&t).await;
}

#[tokio::test]
async fn malformed_json_is_a_parse_error() {
    let t = TestNode::start().await;
    let answer = post_raw(&t.node.url(), r#"{"jsonrpc":"2.0","id":1,"method":"#).await;
    assert_eq!(answer["error"]["code"], -32700);
    let answer = post_raw(&t.node.url(), "this is not json").await;
    assert_eq!(answer["error"]["code"], -32700);
    still_serving(&t).await;
}

#[tokio::test]
async fn unknown_method_is_method_not_found() {
    let t = TestNode::start().await;
    let error = t.err("eth_doesNotExist", params![]).await;
    assert_eq!(error.code(), -32601);
    let answer = post_raw(
        &t.node.url(),
        r#"{"jsonrpc":"2.0","id":7,"method":"debug_nothing","params":[]}"#,
    )
    .await;
    assert_eq!(answer["id"], 7);
    assert_eq!(answer["error"]["code"], -32601);
    still_serving(&t).await;
}

#[tokio::test]
async fn wrong_params_are_invalid_params() {
    let t = TestNode::start().await;
    // Not an address.
    let error = t.err("eth_getBalance", params!["0x1234", "latest"]).await;
    assert_eq!(error.code(), -32602);
    // Missing the required address.
    let error = t.err("eth_getCode", params![]).await;
    assert_eq!(error.code(), -32602);
    // Bad block tag.
    let error = t
        .err(
            "eth_getBalance",
            params!["0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E", "sometime"],
        )
        .await;
    assert_eq!(error.code(), -32602);
    // Raw transaction that is not hex.
    let error = t.err("eth_sendRawTransaction", params!["0xnothex"]).await;
    assert_eq!(error.code(), -32602);
    // A string where a call object belongs.
    let error = t.err("eth_call", params!["nope"]).await;
    assert_eq!(error.code(), -32602);
    still_serving(&t).await;
}
