//! The story's driver: sends transactions as named actors, counts their gas, moves the chain
//! clock, checks that attacks are refused with the expected typed error and narrates.
use std::sync::Arc;
use std::time::Instant;

use ethers::abi::{Abi, Detokenize};
use ethers::contract::{ContractCall, ContractError};
use ethers::middleware::SignerMiddleware;
use ethers::providers::{Http, Middleware, Provider};
use ethers::signers::{LocalWallet, Signer};
use ethers::types::{Address, TransactionReceipt, TransactionRequest, U256};
use ethers::utils::keccak256;

use super::LifecycleError;
use crate::bindings::{
    agent_token, elo_ledger, oml_registry, revenue, rewards, staking_vault, subdao,
};
use crate::chain::{Chain, Client};
use crate::send::{send, with_gas_limit, SendError};

/// A named account of the story.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Its role, e.g. `validator-1`.
    pub name: String,
    /// Its signing client.
    pub client: Arc<Client>,
}

impl Actor {
    /// The account address.
    pub fn address(&self) -> Address {
        self.client.address()
    }
}

/// The deterministic key of role `name` (`keccak256("agentdao lifecycle: " ‖ name)`), so the
/// demo shows the same accounts on every run. Local chains only: the keys are public.
pub fn actor_key(name: &str) -> [u8; 32] {
    keccak256(format!("agentdao lifecycle: {name}"))
}

/// Where the story's output goes.
pub trait Narrator: Send {
    /// A new step begins.
    fn step(&mut self, title: &str);
    /// Something happened.
    fn note(&mut self, line: &str);
}

/// Prints the story to stdout.
#[derive(Debug, Default, Clone, Copy)]
pub struct Printer;

impl Narrator for Printer {
    fn step(&mut self, title: &str) {
        println!("\n== {title}");
    }
    fn note(&mut self, line: &str) {
        println!("   {line}");
    }
}

/// Keeps the story in memory (tests print it only when they fail).
#[derive(Debug, Default, Clone)]
pub struct Transcript {
    /// Every line, steps prefixed with `== `.
    pub lines: Vec<String>,
}

impl Narrator for Transcript {
    fn step(&mut self, title: &str) {
        self.lines.push(format!("== {title}"));
    }
    fn note(&mut self, line: &str) {
        self.lines.push(format!("   {line}"));
    }
}

/// Gas and transactions of one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepGas {
    /// The step's title.
    pub title: String,
    /// Gas used by its transactions (refused attacks included).
    pub gas: U256,
    /// Transactions sent.
    pub transactions: usize,
}

/// Gas of one successful transaction of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxGas {
    /// The step it belongs to.
    pub step: String,
    /// What it did, as narrated (e.g. `alice stakes 1,000 LP with validator-1`).
    pub what: String,
    /// Gas used (intrinsic and calldata included).
    pub gas: U256,
}

/// How a driver places its transactions in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    /// The chain's own clock (the wall clock plus any time moved forward).
    #[default]
    Wall,
    /// Every transaction sent through [`Driver::send`] is mined exactly one second after the
    /// latest block (`evm_setNextBlockTimestamp`), so two runs of the same story see the same
    /// timestamps however fast they run (a checkpoint written in the same second as the one
    /// before it costs a storage slot less). Needs a devnode or anvil.
    SecondPerSend,
}

/// Runs transactions and records what they cost.
pub struct Driver<'n> {
    pub(super) chain: Chain,
    provider: Provider<Http>,
    narrator: &'n mut dyn Narrator,
    errors: Vec<Abi>,
    pub(super) steps: Vec<StepGas>,
    pub(super) sends: Vec<TxGas>,
    pub(super) refused: usize,
    pub(super) started: Instant,
    clock: Clock,
}

impl<'n> Driver<'n> {
    /// A driver on `chain` narrating to `narrator`.
    pub fn new(chain: &Chain, narrator: &'n mut dyn Narrator) -> Self {
        let errors = vec![
            agent_token::AGENTTOKEN_ABI.clone(),
            staking_vault::STAKINGVAULT_ABI.clone(),
            elo_ledger::ELOLEDGER_ABI.clone(),
            oml_registry::OMLREGISTRY_ABI.clone(),
            subdao::SUBDAO_ABI.clone(),
            revenue::REVENUE_ABI.clone(),
            rewards::REWARDS_ABI.clone(),
        ];
        Self {
            provider: chain.client.inner().clone(),
            chain: chain.clone(),
            narrator,
            errors,
            steps: Vec::new(),
            sends: Vec::new(),
            refused: 0,
            started: Instant::now(),
            clock: Clock::Wall,
        }
    }

    /// Places the transactions sent from now on in time as `clock` says.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Starts step `title`.
    pub fn step(&mut self, title: &str) {
        self.narrator.step(title);
        self.steps.push(StepGas {
            title: title.to_string(),
            gas: U256::zero(),
            transactions: 0,
        });
    }

    /// Narrates `line`.
    pub fn note(&mut self, line: impl AsRef<str>) {
        self.narrator.note(line.as_ref());
    }

    fn count(&mut self, receipt: &TransactionReceipt) {
        if let Some(step) = self.steps.last_mut() {
            step.gas += receipt.gas_used.unwrap_or_default();
            step.transactions += 1;
        }
    }

    /// The actor `name` with a deterministic key, funded with `eth` ether by the deployer.
    ///
    /// # Errors
    /// When the funding transfer fails.
    pub async fn actor(&mut self, name: &str, eth: u64) -> Result<Actor, LifecycleError> {
        let wallet = LocalWallet::from_bytes(&actor_key(name))
            .map_err(|e| LifecycleError::call(name, e))?
            .with_chain_id(self.chain.chain_id);
        let client = Arc::new(SignerMiddleware::new(self.provider.clone(), wallet));
        let value = U256::from(eth) * U256::exp10(18);
        let pay = TransactionRequest::pay(client.address(), value);
        let receipt = crate::send::send_transaction(&self.chain.client, pay)
            .await
            .map_err(|e| LifecycleError::call(name, e.reason()))?;
        self.count(&receipt);
        Ok(Actor {
            name: name.to_string(),
            client,
        })
    }

    /// Sends `call` through [`crate::send`] (its estimate plus headroom as gas limit unless the
    /// call sets one), waits for it and fails unless it succeeded; narrates `what`.
    ///
    /// # Errors
    /// [`LifecycleError::Call`] with the decoded revert reason.
    pub async fn send<D: Detokenize>(
        &mut self,
        what: &str,
        call: ContractCall<Client, D>,
    ) -> Result<TransactionReceipt, LifecycleError> {
        let failed = |this: &Self, e: SendError| match e.refusal() {
            Some(error) => LifecycleError::call(what, this.reason(error)),
            None => LifecycleError::call(what, e),
        };
        let call = with_gas_limit(call).await.map_err(|e| failed(self, e))?;
        if self.clock == Clock::SecondPerSend {
            let next = self.now().await? + 1;
            self.provider
                .request::<_, serde_json::Value>("evm_setNextBlockTimestamp", [U256::from(next)])
                .await
                .map_err(|e| LifecycleError::call("evm_setNextBlockTimestamp", e))?;
        }
        let receipt = send(call).await.map_err(|e| failed(self, e))?;
        self.count(&receipt);
        let gas = receipt.gas_used.unwrap_or_default();
        self.sends.push(TxGas {
            step: self
                .steps
                .last()
                .map(|s| s.title.clone())
                .unwrap_or_default(),
            what: what.to_string(),
            gas,
        });
        self.note(format!("{what}  (gas {gas})"));
        Ok(receipt)
    }

    /// Simulates `call` for its return value, then sends it.
    ///
    /// # Errors
    /// As [`Self::send`].
    pub async fn send_returning<D: Detokenize + Clone>(
        &mut self,
        what: &str,
        call: ContractCall<Client, D>,
    ) -> Result<(D, TransactionReceipt), LifecycleError> {
        let value = call
            .call()
            .await
            .map_err(|e| LifecycleError::call(what, self.reason(&e)))?;
        let receipt = self.send(what, call).await?;
        Ok((value, receipt))
    }

    /// Reads a view.
    ///
    /// # Errors
    /// [`LifecycleError::Call`].
    pub async fn view<D: Detokenize>(
        &self,
        what: &str,
        call: ContractCall<Client, D>,
    ) -> Result<D, LifecycleError> {
        call.call()
            .await
            .map_err(|e| LifecycleError::call(what, self.reason(&e)))
    }

    /// An attack: `call` must be refused with the custom error `expected`. The refusal is shown
    /// twice: `eth_call` returns the typed error, and the transaction really sent (with a fixed
    /// gas limit, so it is mined) fails.
    ///
    /// # Errors
    /// [`LifecycleError::Check`] when it succeeds or fails with another error.
    pub async fn refused<D: Detokenize>(
        &mut self,
        what: &str,
        call: ContractCall<Client, D>,
        expected: &str,
    ) -> Result<(), LifecycleError> {
        let error = match call.call().await {
            Ok(_) => {
                return Err(LifecycleError::check(format!(
                    "attack `{what}` was accepted; expected {expected}"
                )))
            }
            Err(e) => self.reason(&e),
        };
        let name = error.split('(').next().unwrap_or_default();
        if name != expected {
            return Err(LifecycleError::check(format!(
                "attack `{what}` failed with {error}, expected {expected}"
            )));
        }
        let receipt = call
            .gas(3_000_000u64)
            .send()
            .await
            .map_err(|e| LifecycleError::call(what, e))?
            .await
            .map_err(|e| LifecycleError::call(what, e))?
            .ok_or_else(|| LifecycleError::call(what, "transaction dropped"))?;
        self.count(&receipt);
        if receipt.status == Some(1.into()) {
            return Err(LifecycleError::check(format!(
                "attack `{what}` succeeded on chain"
            )));
        }
        self.refused += 1;
        self.note(format!("refused: {what} -> {error}"));
        Ok(())
    }

    /// The revert of `error` as `Name(args)` when it is a custom error of one of the five
    /// contracts, else its text.
    pub fn reason(&self, error: &ContractError<Client>) -> String {
        let text = error.to_string();
        let data = error
            .as_revert()
            .map(|b| b.to_vec())
            .or_else(|| revert_bytes(&text));
        data.and_then(|data| self.decode_error(&data))
            .unwrap_or(text)
    }

    fn decode_error(&self, data: &[u8]) -> Option<String> {
        let selector = data.get(..4)?;
        for abi in &self.errors {
            for error in abi.errors() {
                if error.signature().0[..4] == *selector {
                    let args = error
                        .decode(&data[4..])
                        .map(|tokens| {
                            tokens
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    return Some(format!("{}({args})", error.name));
                }
            }
        }
        None
    }

    /// Moves the chain clock forward by `seconds` and mines a block.
    ///
    /// # Errors
    /// When the node has no `evm_increaseTime`.
    pub async fn increase_time(&mut self, seconds: u64) -> Result<(), LifecycleError> {
        self.provider
            .request::<_, serde_json::Value>("evm_increaseTime", [U256::from(seconds)])
            .await
            .map_err(|e| LifecycleError::call("evm_increaseTime", e))?;
        self.provider
            .request::<_, serde_json::Value>("evm_mine", ())
            .await
            .map_err(|e| LifecycleError::call("evm_mine", e))?;
        Ok(())
    }

    /// The latest block's timestamp.
    ///
    /// # Errors
    /// RPC failures.
    pub async fn now(&self) -> Result<u64, LifecycleError> {
        let block = self
            .provider
            .get_block(ethers::types::BlockNumber::Latest)
            .await
            .map_err(|e| LifecycleError::call("eth_getBlockByNumber", e))?
            .ok_or_else(|| LifecycleError::call("eth_getBlockByNumber", "no block"))?;
        Ok(block.timestamp.as_u64())
    }

    /// Advances the clock until the latest block's timestamp is at least `timestamp`.
    ///
    /// # Errors
    /// RPC failures.
    pub async fn advance_to(&mut self, timestamp: u64) -> Result<(), LifecycleError> {
        let now = self.now().await?;
        if now < timestamp {
            self.increase_time(timestamp - now).await?;
        }
        Ok(())
    }

    /// The ETH balance of `account`.
    ///
    /// # Errors
    /// RPC failures.
    pub async fn eth_balance(&self, account: Address) -> Result<U256, LifecycleError> {
        self.provider
            .get_balance(account, None)
            .await
            .map_err(|e| LifecycleError::call("eth_getBalance", e))
    }
}

/// The `0x…` revert data ethers prints in a contract or provider error, if any.
fn revert_bytes(text: &str) -> Option<Vec<u8>> {
    // ethers formats reverts as `Contract call reverted with data: 0x…` and JSON-RPC errors
    // carry `"data":"0x…"`; take the longest hex run after a `0x`.
    text.match_indices("0x")
        .map(|(i, _)| {
            text[i + 2..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect::<String>()
        })
        .filter(|hex| hex.len() >= 8 && hex.len() % 2 == 0)
        .max_by_key(String::len)
        .and_then(|hex| ethers::utils::hex::decode(hex).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revert_data_is_found_in_error_texts() {
        let text = "Contract call reverted with data: 0x1234abcd00";
        assert_eq!(revert_bytes(text), Some(vec![0x12, 0x34, 0xab, 0xcd, 0x00]));
        let rpc = r#"(code: 3, message: execution reverted, data: Some(String("0xdeadbeef")))"#;
        assert_eq!(revert_bytes(rpc), Some(vec![0xde, 0xad, 0xbe, 0xef]));
        assert_eq!(revert_bytes("no data here 0x12"), None);
    }

    #[test]
    fn actor_keys_are_deterministic_and_distinct() {
        assert_eq!(actor_key("validator-1"), actor_key("validator-1"));
        assert_ne!(actor_key("validator-1"), actor_key("validator-2"));
    }
}
