//! JSON-RPC clients for the benchmark: signing clients for the measured transactions, sent
//! through the deploy library's one sender (`deploy::send`). Pre-signed transaction batches (the
//! throughput loops) use `devnode::throughput`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use ethers::abi::{Abi, Tokenize};
use ethers::contract::Contract;
use ethers::middleware::SignerMiddleware;
use ethers::providers::{Http, Middleware, Provider};
use ethers::signers::{LocalWallet, Signer};
use ethers::types::{
    Address, Bytes, Eip1559TransactionRequest, TransactionReceipt, TransactionRequest, U256,
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
    deploy::send::send_transaction(funder, tx)
        .await
        .context("funding transfer")?;
    Ok(Arc::new(SignerMiddleware::new(
        funder.inner().clone(),
        wallet,
    )))
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
    let receipt = deploy::send::send_transaction(client, tx)
        .await
        .context("deployment")?;
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
    deploy::send::send(call)
        .await
        .with_context(|| format!("{function} on {:#x}", contract.address()))
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
