//! JSON-RPC clients for the benchmark: signing clients for the measured transactions and a raw
//! transaction signer for the throughput loops (no per-transaction estimates or nonce queries).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use ethers::abi::{Abi, Tokenize};
use ethers::contract::Contract;
use ethers::middleware::SignerMiddleware;
use ethers::providers::{Http, Middleware, Provider};
use ethers::signers::{LocalWallet, Signer};
use ethers::types::transaction::eip2718::TypedTransaction;
use ethers::types::{
    Address, Bytes, Eip1559TransactionRequest, TransactionReceipt, TransactionRequest, H256, U256,
};

/// A signing client.
pub(crate) type Client = SignerMiddleware<Provider<Http>, LocalWallet>;

/// Gas limit of every measured transaction (the figure reported is the gas used).
pub(crate) const TX_GAS_LIMIT: u64 = 10_000_000;

/// A provider for `url` that polls quickly (both nodes mine instantly).
///
/// # Errors
/// When the URL is malformed.
pub(crate) fn provider(url: &str) -> Result<Provider<Http>> {
    Ok(Provider::<Http>::try_from(url)?.interval(Duration::from_millis(5)))
}

/// A client for `url` signing with `key` (hex).
///
/// # Errors
/// When the key is malformed or the node does not answer.
pub(crate) async fn connect(url: &str, key: &str) -> Result<Arc<Client>> {
    let provider = provider(url)?;
    let chain_id = provider.get_chainid().await?.as_u64();
    let wallet: LocalWallet = key
        .trim_start_matches("0x")
        .parse()
        .context("parsing the private key")?;
    Ok(Arc::new(SignerMiddleware::new(
        provider,
        wallet.with_chain_id(chain_id),
    )))
}

/// A fresh random account on the same node as `funder`, given `eth` ether.
///
/// # Errors
/// When the funding transfer fails.
pub(crate) async fn funded_account(funder: &Client, eth: u64) -> Result<Arc<Client>> {
    let wallet = LocalWallet::new(&mut ethers::core::rand::thread_rng());
    fund(funder, wallet, eth).await
}

/// The account whose key is `keccak256("agentdao bench: " ‖ name)` (the same address on every
/// node and in every run), on the same node as `funder`, given `eth` ether.
///
/// # Errors
/// When the funding transfer fails.
pub(crate) async fn named_account(funder: &Client, name: &str, eth: u64) -> Result<Arc<Client>> {
    let key = ethers::utils::keccak256(format!("agentdao bench: {name}"));
    let wallet = LocalWallet::from_bytes(&key).context("a named account's key")?;
    fund(funder, wallet, eth).await
}

/// Gives `wallet` `eth` ether from `funder` and returns a client signing with it.
async fn fund(funder: &Client, wallet: LocalWallet, eth: u64) -> Result<Arc<Client>> {
    let wallet = wallet.with_chain_id(funder.signer().chain_id());
    let value = U256::from(eth) * U256::exp10(18);
    let tx = TransactionRequest::pay(wallet.address(), value);
    let receipt = funder
        .send_transaction(tx, None)
        .await?
        .await?
        .context("funding transfer dropped")?;
    ensure_success(&receipt, "funding transfer")?;
    Ok(Arc::new(SignerMiddleware::new(
        funder.inner().clone(),
        wallet,
    )))
}

/// Fails with `what` unless the receipt has status 1.
///
/// # Errors
/// When the transaction reverted.
pub(crate) fn ensure_success(receipt: &TransactionReceipt, what: &str) -> Result<()> {
    if receipt.status != Some(1.into()) {
        bail!(
            "{what} reverted (tx {:#x}, gas used {:?})",
            receipt.transaction_hash,
            receipt.gas_used
        );
    }
    Ok(())
}

/// Deploys creation code `bytecode` with ABI-encoded `args` from `client`.
///
/// # Errors
/// When the deployment fails.
pub(crate) async fn deploy_evm(
    client: &Arc<Client>,
    abi: &Abi,
    bytecode: &Bytes,
    args: impl Tokenize,
) -> Result<Address> {
    let mut data = bytecode.to_vec();
    if let Some(constructor) = abi.constructor() {
        data.extend(constructor.encode_input(Vec::new(), &args.into_tokens())?);
    }
    let tx = Eip1559TransactionRequest::new()
        .data(data)
        .gas(TX_GAS_LIMIT);
    let receipt = client
        .send_transaction(tx, None)
        .await?
        .await?
        .context("deployment dropped")?;
    ensure_success(&receipt, "deployment")?;
    receipt
        .contract_address
        .context("deployment receipt has no contract address")
}

/// Sends `function(args)` on `contract` from its client and returns the receipt.
///
/// # Errors
/// When encoding fails or the transaction reverts.
pub(crate) async fn transact(
    contract: &Contract<Client>,
    function: &str,
    args: impl Tokenize,
) -> Result<TransactionReceipt> {
    let call = contract
        .method::<_, ethers::abi::Token>(function, args)
        .with_context(|| format!("encoding {function}"))?
        .gas(TX_GAS_LIMIT);
    let pending = call
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("{function} on {:#x}: {e}", contract.address()))?;
    let receipt = pending
        .await?
        .with_context(|| format!("{function} dropped"))?;
    ensure_success(&receipt, function)?;
    Ok(receipt)
}

/// Arguments given as a list of tokens (one per parameter).
pub(crate) struct Args(pub Vec<ethers::abi::Token>);

impl Tokenize for Args {
    fn into_tokens(self) -> Vec<ethers::abi::Token> {
        self.0
    }
}

/// Gas used by a receipt.
pub(crate) fn gas_used(receipt: &TransactionReceipt) -> u64 {
    receipt.gas_used.map_or(0, |g| g.as_u64())
}

/// Signs transactions offline with consecutive nonces.
pub(crate) struct RawSigner {
    wallet: LocalWallet,
    nonce: U256,
    max_fee: U256,
}

impl RawSigner {
    /// A signer for `wallet` starting at its current nonce, paying twice the node's gas price.
    ///
    /// # Errors
    /// When the node does not answer.
    pub(crate) async fn new(provider: &Provider<Http>, wallet: LocalWallet) -> Result<Self> {
        let nonce = provider
            .get_transaction_count(wallet.address(), None)
            .await?;
        let max_fee = provider.get_gas_price().await? * 2 + 1;
        Ok(Self {
            wallet,
            nonce,
            max_fee,
        })
    }

    /// A signed EIP-1559 transaction to `to` with `value` and `data`, using the next nonce.
    ///
    /// # Errors
    /// When signing fails.
    pub(crate) fn sign(
        &mut self,
        to: Address,
        value: U256,
        data: Bytes,
        gas: u64,
    ) -> Result<Bytes> {
        let tx: TypedTransaction = Eip1559TransactionRequest::new()
            .from(self.wallet.address())
            .to(to)
            .value(value)
            .data(data)
            .gas(gas)
            .nonce(self.nonce)
            .max_fee_per_gas(self.max_fee)
            .max_priority_fee_per_gas(0)
            .chain_id(self.wallet.chain_id())
            .into();
        let signature = self.wallet.sign_transaction_sync(&tx)?;
        self.nonce += U256::one();
        Ok(tx.rlp_signed(&signature))
    }
}

/// Sends signed transactions one after the other; returns the last hash.
///
/// # Errors
/// When the node refuses one.
pub(crate) async fn send_raw_all(provider: &Provider<Http>, txs: Vec<Bytes>) -> Result<H256> {
    let mut last = H256::zero();
    for raw in txs {
        last = provider
            .request("eth_sendRawTransaction", [raw])
            .await
            .context("eth_sendRawTransaction")?;
    }
    Ok(last)
}

/// Waits for the receipt of `hash` and checks it succeeded.
///
/// # Errors
/// When it does not arrive within 60 s or reverted.
pub(crate) async fn wait_receipt(
    provider: &Provider<Http>,
    hash: H256,
) -> Result<TransactionReceipt> {
    let start = std::time::Instant::now();
    loop {
        if let Some(receipt) = provider.get_transaction_receipt(hash).await? {
            ensure_success(&receipt, "transaction")?;
            return Ok(receipt);
        }
        if start.elapsed() > Duration::from_secs(60) {
            bail!("no receipt for {hash:#x} after 60 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
