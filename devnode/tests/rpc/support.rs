//! Helpers shared by the JSON-RPC integration tests: a node per test, a real JSON-RPC client,
//! raw HTTP for malformed input, transaction signing and a tiny EVM assembler.
#![allow(dead_code)]

use std::collections::HashMap;

use alloy_consensus::{SignableTransaction, TxEip1559, TxEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{Address, Bytes, TxKind, B256, U256};
use alloy_signer::SignerSync;
use devnode::{DevAccount, DevnodeConfig, DevnodeHandle};
use jsonrpsee::{
    core::{client::ClientT, params::ArrayParams, ClientError},
    http_client::{HttpClient, HttpClientBuilder},
    types::ErrorObjectOwned,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Base fee of every block (0.1 gwei).
pub(crate) const BASE_FEE: u128 = 100_000_000;

/// A running node and a client for it.
pub(crate) struct TestNode {
    pub node: DevnodeHandle,
    pub client: HttpClient,
}

impl TestNode {
    pub(crate) async fn start() -> Self {
        Self::with_config(DevnodeConfig::ephemeral()).await
    }

    pub(crate) async fn with_config(config: DevnodeConfig) -> Self {
        let node = devnode::spawn(config).await.expect("devnode starts");
        let client = HttpClientBuilder::default()
            .build(node.url())
            .expect("client");
        Self { node, client }
    }

    pub(crate) fn account(&self, index: usize) -> &DevAccount {
        &self.node.accounts()[index]
    }

    /// A call that must succeed.
    pub(crate) async fn ok<T: DeserializeOwned>(&self, method: &str, params: ArrayParams) -> T {
        self.client
            .request(method, params)
            .await
            .unwrap_or_else(|e| panic!("{method} failed: {e}"))
    }

    /// A call that must fail with a JSON-RPC error.
    pub(crate) async fn err(&self, method: &str, params: ArrayParams) -> ErrorObjectOwned {
        match self.client.request::<Value, _>(method, params).await {
            Err(ClientError::Call(error)) => error,
            other => panic!("{method}: expected an error object, got {other:?}"),
        }
    }

    pub(crate) async fn block_number(&self) -> u64 {
        let n: alloy_primitives::U64 = self.ok("eth_blockNumber", ArrayParams::new()).await;
        n.to()
    }

    pub(crate) async fn nonce(&self, address: Address) -> u64 {
        let mut params = ArrayParams::new();
        params.insert(address).unwrap();
        params.insert("latest").unwrap();
        let n: alloy_primitives::U64 = self.ok("eth_getTransactionCount", params).await;
        n.to()
    }

    pub(crate) async fn balance(&self, address: Address) -> U256 {
        let mut params = ArrayParams::new();
        params.insert(address).unwrap();
        self.ok("eth_getBalance", params).await
    }

    /// Sends raw bytes; returns the hash or the error object.
    pub(crate) async fn send_raw(&self, raw: Vec<u8>) -> Result<B256, ErrorObjectOwned> {
        let mut params = ArrayParams::new();
        params.insert(Bytes::from(raw)).unwrap();
        match self
            .client
            .request::<B256, _>("eth_sendRawTransaction", params)
            .await
        {
            Ok(hash) => Ok(hash),
            Err(ClientError::Call(error)) => Err(error),
            Err(other) => panic!("transport error: {other}"),
        }
    }

    pub(crate) async fn receipt(&self, hash: B256) -> Value {
        let mut params = ArrayParams::new();
        params.insert(hash).unwrap();
        self.ok("eth_getTransactionReceipt", params).await
    }

    /// Signs and sends an EIP-1559 transaction from dev account `from`; returns its receipt.
    pub(crate) async fn send(
        &self,
        from: usize,
        to: TxKind,
        value: U256,
        input: Vec<u8>,
        gas: u64,
    ) -> Value {
        let account = self.account(from).clone();
        let nonce = self.nonce(account.address).await;
        let raw = sign_1559(&account, self.node.chain_id(), nonce, to, value, input, gas);
        let hash = self.send_raw(raw).await.expect("transaction accepted");
        self.receipt(hash).await
    }

    /// Deploys `init` code and returns the contract address.
    pub(crate) async fn deploy(&self, init: Vec<u8>) -> Address {
        let receipt = self
            .send(0, TxKind::Create, U256::ZERO, init, 1_000_000)
            .await;
        assert_eq!(receipt["status"], "0x1", "deployment failed: {receipt}");
        receipt["contractAddress"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }
}

/// A signed EIP-1559 transaction paying twice the base fee.
pub(crate) fn sign_1559(
    account: &DevAccount,
    chain_id: u64,
    nonce: u64,
    to: TxKind,
    value: U256,
    input: Vec<u8>,
    gas: u64,
) -> Vec<u8> {
    let tx = TxEip1559 {
        chain_id,
        nonce,
        gas_limit: gas,
        max_fee_per_gas: 2 * BASE_FEE,
        max_priority_fee_per_gas: 0,
        to,
        value,
        access_list: Default::default(),
        input: input.into(),
    };
    sign(account, tx)
}

/// Signs any transaction type.
pub(crate) fn sign<T: SignableTransaction<alloy_primitives::Signature>>(
    account: &DevAccount,
    tx: T,
) -> Vec<u8>
where
    TxEnvelope: From<alloy_consensus::Signed<T>>,
{
    let signature = account
        .signer()
        .sign_hash_sync(&tx.signature_hash())
        .unwrap();
    TxEnvelope::from(tx.into_signed(signature)).encoded_2718()
}

/// Builds positional parameters.
#[macro_export]
macro_rules! params {
    ($($value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut params = jsonrpsee::core::params::ArrayParams::new();
        $(params.insert($value).unwrap();)*
        params
    }};
}

/// Posts a raw HTTP body and returns the parsed JSON answer (the server must answer JSON).
pub(crate) async fn post_raw(url: &str, body: &str) -> Value {
    let address = url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = &rest[size + 2..];
    }
    out
}

/// A tiny EVM assembler with labels (jump targets are PUSH2).
#[derive(Default)]
pub(crate) struct Asm {
    code: Vec<u8>,
    labels: HashMap<&'static str, usize>,
    fixups: Vec<(usize, &'static str)>,
}

impl Asm {
    pub(crate) fn op(mut self, bytes: &[u8]) -> Self {
        self.code.extend_from_slice(bytes);
        self
    }

    pub(crate) fn push(mut self, value: &[u8]) -> Self {
        assert!(!value.is_empty() && value.len() <= 32);
        self.code.push(0x5f + value.len() as u8);
        self.code.extend_from_slice(value);
        self
    }

    pub(crate) fn push_label(mut self, label: &'static str) -> Self {
        self.code.push(0x61);
        self.fixups.push((self.code.len(), label));
        self.code.extend_from_slice(&[0, 0]);
        self
    }

    pub(crate) fn label(mut self, label: &'static str) -> Self {
        self.labels.insert(label, self.code.len());
        self.code.push(0x5b);
        self
    }

    pub(crate) fn build(mut self) -> Vec<u8> {
        for (at, label) in &self.fixups {
            let target = self.labels[label] as u16;
            self.code[*at..*at + 2].copy_from_slice(&target.to_be_bytes());
        }
        self.code
    }
}

/// topic0 of the counter's `Bumped(address indexed caller, uint256 value)`-like log.
pub(crate) const BUMPED_TOPIC: [u8; 32] = [0xaa; 32];

/// Runtime of the test counter:
/// - empty calldata: `counter += 1`, log `[BUMPED_TOPIC, caller]` with data = msg.value;
/// - one byte of calldata: `revert Error("nope")`;
/// - anything else: return the counter (slot 0).
pub(crate) fn counter_runtime() -> Vec<u8> {
    let mut error_selector = [0u8; 32];
    error_selector[..4].copy_from_slice(&[0x08, 0xc3, 0x79, 0xa0]);
    let mut nope = [0u8; 32];
    nope[..4].copy_from_slice(b"nope");
    Asm::default()
        .op(&[0x36, 0x80, 0x15]) // CALLDATASIZE DUP1 ISZERO
        .push_label("bump")
        .op(&[0x57]) // JUMPI
        .op(&[0x80]) // DUP1
        .push(&[1])
        .op(&[0x14]) // EQ
        .push_label("fail")
        .op(&[0x57])
        .push(&[0])
        .op(&[0x54]) // SLOAD
        .push(&[0])
        .op(&[0x52]) // MSTORE
        .push(&[32])
        .push(&[0])
        .op(&[0xf3]) // RETURN
        .label("bump")
        .push(&[0])
        .op(&[0x54])
        .push(&[1])
        .op(&[0x01]) // ADD
        .push(&[0])
        .op(&[0x55]) // SSTORE
        .op(&[0x34]) // CALLVALUE
        .push(&[0])
        .op(&[0x52]) // MSTORE
        .op(&[0x33]) // CALLER
        .push(&BUMPED_TOPIC)
        .push(&[32])
        .push(&[0])
        .op(&[0xa2, 0x00]) // LOG2 STOP
        .label("fail")
        .push(&error_selector)
        .push(&[0])
        .op(&[0x52])
        .push(&[0x20])
        .push(&[4])
        .op(&[0x52])
        .push(&[4])
        .push(&[36])
        .op(&[0x52])
        .push(&nope)
        .push(&[68])
        .op(&[0x52])
        .push(&[100])
        .push(&[0])
        .op(&[0xfd]) // REVERT
        .build()
}

/// Init code that sets the counter to `initial` and deploys `runtime`.
pub(crate) fn init_code(initial: u8, runtime: &[u8]) -> Vec<u8> {
    let len = (runtime.len() as u16).to_be_bytes();
    // PUSH1 initial PUSH1 0 SSTORE | PUSH2 len DUP1 PUSH2 offset PUSH1 0 CODECOPY PUSH1 0 RETURN
    let prefix_len: u16 = 5 + 13;
    let offset = prefix_len.to_be_bytes();
    let mut code = vec![0x60, initial, 0x60, 0x00, 0x55];
    code.extend_from_slice(&[0x61, len[0], len[1], 0x80, 0x61, offset[0], offset[1]]);
    code.extend_from_slice(&[0x60, 0x00, 0x39, 0x60, 0x00, 0xf3]);
    assert_eq!(code.len(), prefix_len as usize);
    code.extend_from_slice(runtime);
    code
}
