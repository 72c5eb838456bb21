//! The agent token's Uniswap V2 pool: the exchange it trades on, and the LP token the vault
//! stakes.
//!
//! On a chain without one (the devnode, a demo), `deploy` puts Uniswap V2 itself on chain (WETH9,
//! the factory and router 02) from the compiled artifacts the npm packages `@uniswap/v2-core` and
//! `@uniswap/v2-periphery` publish (installed from `deploy/dex/package-lock.json` with `npm ci`
//! on first use; nothing of them is copied into this repository). Before deploying it checks that
//! the pair code the factory creates hashes to the init-code hash the router has hard-coded
//! (`UniswapV2Library.pairFor`), or every router call would address the wrong pair.
//!
//! With `DEX_ROUTER` set (another chain), the router there is used and its factory and WETH are
//! read from it. Either way the AGENT/WETH pair is created unless it exists, gets the initial
//! liquidity when empty (the deployer's tokens and ETH; the deployer receives the LP tokens),
//! and is registered as a pool on the agent token (taxed trading). The result is recorded as
//! `dex` in `deployments/<chainid>.json` and reused by later runs while it is on chain.
use std::path::{Path, PathBuf};
use std::process::Command;

use ethers::abi::{Abi, Detokenize, Tokenize};
use ethers::contract::{Contract, ContractFactory};
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, H256, U256};

use crate::build::Workspace;
use crate::chain::{Chain, Client};
use crate::error::DeployError;
use crate::record::{Deployments, DexRecord};

/// Where the npm packages are installed, relative to the workspace root.
pub const PACKAGE_DIR: &str = "deploy/dex";

/// The npm packages whose artifacts are deployed, as recorded in `dex.source`.
pub const SOURCE: &str = "npm @uniswap/v2-core@1.0.1 (UniswapV2Factory, UniswapV2Pair), \
                          @uniswap/v2-periphery@1.1.0-beta.0 (UniswapV2Router02, WETH9)";

/// The minimal ERC-20 + agent-token surface the pool set-up calls on the agent token.
const TOKEN_ABI: &str = r#"[
 {"type":"function","name":"approve","stateMutability":"nonpayable","inputs":[{"name":"spender","type":"address"},{"name":"value","type":"uint256"}],"outputs":[{"name":"","type":"bool"}]},
 {"type":"function","name":"isPool","stateMutability":"view","inputs":[{"name":"account","type":"address"}],"outputs":[{"name":"","type":"bool"}]},
 {"type":"function","name":"setPool","stateMutability":"nonpayable","inputs":[{"name":"pool","type":"address"},{"name":"enabled","type":"bool"}],"outputs":[]},
 {"type":"function","name":"governance","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"address"}]}
]"#;

/// A compiled EVM contract from an npm artifact.
#[derive(Debug, Clone)]
pub struct EvmArtifact {
    /// Its ABI.
    pub abi: Abi,
    /// Its creation code.
    pub bytecode: Bytes,
}

/// The four Uniswap V2 contracts.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// `UniswapV2Factory` (v2-core).
    pub factory: EvmArtifact,
    /// `UniswapV2Pair` (v2-core): created by the factory, only its code hash matters here.
    pub pair: EvmArtifact,
    /// `UniswapV2Router02` (v2-periphery).
    pub router: EvmArtifact,
    /// `WETH9` (v2-periphery).
    pub weth: EvmArtifact,
}

fn dex_error(step: &str, reason: impl std::fmt::Display) -> DeployError {
    DeployError::Dex {
        step: step.to_string(),
        reason: reason.to_string(),
    }
}

/// Reads `{abi, bytecode}` from a Waffle/solc artifact JSON file.
///
/// # Errors
/// [`DeployError::Dex`] when the file is missing or malformed.
pub fn read_artifact(path: &Path) -> Result<EvmArtifact, DeployError> {
    let step = format!("reading {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| dex_error(&step, e))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| dex_error(&step, e))?;
    let abi: Abi = serde_json::from_value(json["abi"].clone()).map_err(|e| dex_error(&step, e))?;
    let hex = json["bytecode"]
        .as_str()
        .or_else(|| json["evm"]["bytecode"]["object"].as_str())
        .ok_or_else(|| dex_error(&step, "no bytecode"))?;
    let hex = hex.strip_prefix("0x").unwrap_or(hex);
    let bytes = ethers::utils::hex::decode(hex).map_err(|e| dex_error(&step, e))?;
    Ok(EvmArtifact {
        abi,
        bytecode: bytes.into(),
    })
}

impl Artifacts {
    /// The directory of the installed packages in `ws`.
    pub fn package_dir(ws: &Workspace) -> PathBuf {
        ws.root.join(PACKAGE_DIR)
    }

    /// Loads the artifacts from `ws`'s `deploy/dex/node_modules`, running `npm ci` there first
    /// when the packages are not installed.
    ///
    /// # Errors
    /// [`DeployError::Dex`] when npm fails or an artifact is missing.
    pub fn load(ws: &Workspace) -> Result<Self, DeployError> {
        let dir = Self::package_dir(ws);
        let modules = dir.join("node_modules/@uniswap");
        if !modules
            .join("v2-periphery/build/UniswapV2Router02.json")
            .is_file()
            || !modules.join("v2-core/build/UniswapV2Pair.json").is_file()
        {
            let step = format!("npm ci in {}", dir.display());
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir)
                .output()
                .map_err(|e| dex_error(&step, format!("{e} (Node.js and npm are needed)")))?;
            if !out.status.success() {
                return Err(dex_error(&step, String::from_utf8_lossy(&out.stderr)));
            }
        }
        let core = modules.join("v2-core/build");
        let periphery = modules.join("v2-periphery/build");
        Ok(Self {
            factory: read_artifact(&core.join("UniswapV2Factory.json"))?,
            pair: read_artifact(&core.join("UniswapV2Pair.json"))?,
            router: read_artifact(&periphery.join("UniswapV2Router02.json"))?,
            weth: read_artifact(&periphery.join("WETH9.json"))?,
        })
    }

    /// keccak256 of the pair's creation code: the address of every pair the factory creates
    /// depends on it (CREATE2).
    pub fn pair_init_code_hash(&self) -> H256 {
        H256::from(ethers::utils::keccak256(&self.pair.bytecode))
    }

    /// Whether the router's code pushes the pair's init-code hash (`PUSH32 <hash>` in
    /// `UniswapV2Library.pairFor`), i.e. the router computes the factory's pair addresses.
    pub fn router_knows_pair_code(&self) -> bool {
        pushes_word(&self.router.bytecode, self.pair_init_code_hash())
    }
}

/// Whether EVM `code` contains `PUSH32 word` as an instruction (push data is skipped, so a
/// match inside another push does not count).
pub fn pushes_word(code: &[u8], word: H256) -> bool {
    let mut i = 0;
    while i < code.len() {
        let op = code[i];
        if (0x60..=0x7f).contains(&op) {
            let n = usize::from(op - 0x5f);
            if op == 0x7f && code.get(i + 1..i + 33) == Some(word.as_bytes()) {
                return true;
            }
            i += n;
        }
        i += 1;
    }
    false
}

/// How to set up the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolConfig {
    /// An existing router 02 (`DEX_ROUTER`); `None` deploys Uniswap V2.
    pub router: Option<Address>,
    /// Wei of initial liquidity (only added to an empty pair).
    pub liquidity_eth: U256,
    /// Agent tokens of initial liquidity (base units).
    pub liquidity_tokens: U256,
    /// Deploy again even when recorded.
    pub force: bool,
}

/// What [`ensure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    /// The exchange and pair.
    pub record: DexRecord,
    /// Transactions sent: what, and gas used.
    pub steps: Vec<(String, U256)>,
}

impl Pool {
    /// Gas of the transactions sent.
    pub fn gas_used(&self) -> U256 {
        self.steps.iter().fold(U256::zero(), |a, (_, g)| a + *g)
    }
}

/// Calls view `function` of `contract`.
async fn view<T: Detokenize, A: Tokenize>(
    contract: &Contract<Client>,
    function: &str,
    args: A,
) -> Result<T, DeployError> {
    contract
        .method::<_, T>(function, args)
        .map_err(|e| dex_error(function, e))?
        .call()
        .await
        .map_err(|e| dex_error(function, e))
}

/// Sends `function(args)` with `value` wei through [`crate::send::send`] and returns the gas
/// used.
async fn transact<A: Tokenize>(
    contract: &Contract<Client>,
    step: &str,
    function: &str,
    args: A,
    value: U256,
) -> Result<U256, DeployError> {
    let call = contract
        .method::<_, ()>(function, args)
        .map_err(|e| dex_error(step, e))?
        .value(value);
    let receipt = crate::send::send(call)
        .await
        .map_err(|e| dex_error(step, e.reason()))?;
    Ok(receipt.gas_used.unwrap_or_default())
}

/// Deploys `artifact` with constructor `args`; returns its address and gas.
async fn create<A: Tokenize>(
    chain: &Chain,
    name: &str,
    artifact: &EvmArtifact,
    args: A,
) -> Result<(Address, U256), DeployError> {
    let step = format!("deploying {name}");
    let factory = ContractFactory::new(
        artifact.abi.clone(),
        artifact.bytecode.clone(),
        chain.client.clone(),
    );
    let (contract, receipt) = factory
        .deploy(args)
        .map_err(|e| dex_error(&step, e))?
        .send_with_receipt()
        .await
        .map_err(|e| dex_error(&step, e))?;
    Ok((contract.address(), receipt.gas_used.unwrap_or_default()))
}

async fn has_code(chain: &Chain, address: Address) -> Result<bool, DeployError> {
    let code = chain
        .client
        .get_code(address, None)
        .await
        .map_err(|e| dex_error("eth_getCode", e))?;
    Ok(!code.is_empty())
}

/// Sets up the AGENT/WETH pool of `token` (see the module docs) and records it in
/// `deployments` (saved to `dir`); reuses a recorded pool that is still on chain.
///
/// # Errors
/// [`DeployError::Dex`] naming the failed step.
pub async fn ensure(
    chain: &Chain,
    ws: &Workspace,
    token: Address,
    config: &PoolConfig,
    deployments: &mut Deployments,
    dir: &Path,
) -> Result<Pool, DeployError> {
    let mut steps = Vec::new();
    let client = chain.client.clone();
    let artifacts = Artifacts::load(ws)?;
    let recorded = deployments
        .dex
        .clone()
        .filter(|dex| !config.force && config.router.is_none_or(|router| router == dex.router));
    let (router, source) = match (config.router, recorded) {
        (_, Some(dex)) if has_code(chain, dex.router).await? => (dex.router, dex.source),
        (Some(router), _) => (router, None),
        (None, _) => {
            if !artifacts.router_knows_pair_code() {
                return Err(dex_error(
                    "checking the pair init-code hash",
                    format!(
                        "the router artifact does not use the pair code hash {:#x}",
                        artifacts.pair_init_code_hash()
                    ),
                ));
            }
            let (weth, gas) = create(chain, "WETH9", &artifacts.weth, ()).await?;
            steps.push(("deploy WETH9".to_string(), gas));
            let (factory, gas) = create(
                chain,
                "UniswapV2Factory",
                &artifacts.factory,
                chain.deployer(),
            )
            .await?;
            steps.push(("deploy UniswapV2Factory".to_string(), gas));
            let (router, gas) = create(
                chain,
                "UniswapV2Router02",
                &artifacts.router,
                (factory, weth),
            )
            .await?;
            steps.push(("deploy UniswapV2Router02".to_string(), gas));
            (router, Some(SOURCE.to_string()))
        }
    };
    let router_c = Contract::new(router, artifacts.router.abi.clone(), client.clone());
    let factory: Address = view(&router_c, "factory", ()).await?;
    let weth: Address = view(&router_c, "WETH", ()).await?;
    let factory_c = Contract::new(factory, artifacts.factory.abi.clone(), client.clone());
    let mut pair: Address = view(&factory_c, "getPair", (token, weth)).await?;
    if pair.is_zero() {
        let gas = transact(
            &factory_c,
            "factory.createPair(agent-token, weth)",
            "createPair",
            (token, weth),
            U256::zero(),
        )
        .await?;
        steps.push(("factory.createPair(agent-token, WETH)".to_string(), gas));
        pair = view(&factory_c, "getPair", (token, weth)).await?;
    }
    let pair_c = Contract::new(pair, artifacts.pair.abi.clone(), client.clone());
    let supply: U256 = view(&pair_c, "totalSupply", ()).await?;
    let token_abi: Abi = serde_json::from_str(TOKEN_ABI).map_err(|e| dex_error("token ABI", e))?;
    let token_c = Contract::new(token, token_abi, client.clone());
    if supply.is_zero() {
        let gas = transact(
            &token_c,
            "agent-token.approve(router)",
            "approve",
            (router, config.liquidity_tokens),
            U256::zero(),
        )
        .await?;
        steps.push(("agent-token.approve(router)".to_string(), gas));
        let deadline = U256::from(u64::MAX);
        let gas = transact(
            &router_c,
            "router.addLiquidityETH",
            "addLiquidityETH",
            (
                token,
                config.liquidity_tokens,
                U256::zero(),
                U256::zero(),
                chain.deployer(),
                deadline,
            ),
            config.liquidity_eth,
        )
        .await?;
        steps.push((
            "router.addLiquidityETH (initial liquidity)".to_string(),
            gas,
        ));
    }
    let is_pool: bool = view(&token_c, "isPool", pair).await?;
    let governance: Address = view(&token_c, "governance", ()).await?;
    if !is_pool && governance == chain.deployer() {
        let gas = transact(
            &token_c,
            "agent-token.setPool(pair, true)",
            "setPool",
            (pair, true),
            U256::zero(),
        )
        .await?;
        steps.push(("agent-token.setPool(pair, true)".to_string(), gas));
    }
    let record = DexRecord {
        factory,
        router,
        weth,
        pair,
        source,
    };
    deployments.dex = Some(record.clone());
    deployments.save(dir)?;
    Ok(Pool { record, steps })
}

/// The LP token the vault stakes: the recorded pair.
pub fn lp_token(deployments: &Deployments) -> Option<Address> {
    deployments.dex.as_ref().map(|dex| dex.pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push32_is_found_only_as_an_instruction() {
        let word = H256::repeat_byte(0xab);
        let mut code = vec![0x60, 0x01, 0x7f];
        code.extend_from_slice(word.as_bytes());
        code.push(0x00);
        assert!(pushes_word(&code, word));
        // The same bytes as push data of a PUSH2 followed by data are not an instruction.
        let mut hidden = vec![0x61, 0x7f, 0xab];
        hidden.extend_from_slice(&[0xab; 31]);
        assert!(!pushes_word(&hidden, word));
        assert!(!pushes_word(&[0x7f, 0xab], word));
    }

    #[test]
    fn the_published_router_knows_the_published_pair_code() {
        let ws = Workspace::locate();
        let artifacts = Artifacts::load(&ws).unwrap();
        assert_eq!(
            format!("{:#x}", artifacts.pair_init_code_hash()),
            "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f"
        );
        assert!(artifacts.router_knows_pair_code());
        // Another code hash is not in the router.
        assert!(!pushes_word(
            &artifacts.router.bytecode,
            H256::repeat_byte(1)
        ));
    }
}
