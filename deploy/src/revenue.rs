//! The revenue program's wiring and its checks.
//!
//! The revenue program is created with the SubDAO as governance and treasury and with the
//! recorded router and pair (constructor inputs `dexRouter`, `dexPair`). What is left for the
//! wiring: the agent token exempts it from the transfer tax (granted while the deployer still
//! governs the token), so the tokens a buyback receives from the pair arrive untaxed and are all
//! burned. `deploy --verify-wiring` reads back the pool and the program's links.
use std::path::Path;

use ethers::abi::parse_abi;
use ethers::contract::Contract;
use ethers::types::{Address, U256};

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::error::DeployError;
use crate::record::Deployments;
use crate::verify::Check;
use crate::wiring::{is_tax_exempt, load_abi, send, WiringStep};

/// `revenue.dex()`: agent token, WETH, router, pair.
pub type RevenueDex = (Address, Address, Address, Address);

/// `revenue.settings()`: treasury, treasury share, window, slippage, deviation, cap period, cap.
pub type RevenueSettings = (Address, u16, u32, u16, u16, u32, U256);

fn read_error(step: &str, error: impl std::fmt::Display) -> DeployError {
    DeployError::Wiring {
        step: step.to_string(),
        reason: error.to_string(),
    }
}

/// Exempts the recorded revenue program from the agent token's tax while the deployer governs
/// the token.
///
/// # Errors
/// [`DeployError::Abi`], [`DeployError::Wiring`].
pub async fn wire(
    chain: &Chain,
    deployments: &Deployments,
    abi_dir: &Path,
) -> Result<Vec<WiringStep>, DeployError> {
    let address = |kind: ContractKind| deployments.get(kind.package()).map(|r| r.address);
    let (Some(token), Some(revenue)) = (
        address(ContractKind::AgentToken),
        address(ContractKind::Revenue),
    ) else {
        return Ok(Vec::new());
    };
    let contract = Contract::new(
        token,
        load_abi(abi_dir, ContractKind::AgentToken)?,
        chain.client.clone(),
    );
    let step = "agent-token.setTaxExempt(revenue, true)".to_string();
    let governance: Address = crate::wiring::read(&contract, &step, "governance").await?;
    if !is_tax_exempt(&contract, revenue).await? && governance == chain.deployer() {
        return Ok(vec![
            send(&contract, step, "setTaxExempt", (revenue, true)).await?,
        ]);
    }
    Ok(Vec::new())
}

/// The pool's and the revenue program's links, read from chain.
///
/// # Errors
/// [`DeployError::Abi`], [`DeployError::Wiring`] when a read fails.
pub async fn checks(
    chain: &Chain,
    deployments: &Deployments,
    abi_dir: &Path,
    subdao: Address,
) -> Result<Vec<Check>, DeployError> {
    let mut checks = Vec::new();
    let address = |kind: ContractKind| deployments.get(kind.package()).map(|r| r.address);
    let token = address(ContractKind::AgentToken);
    if let (Some(dex), Some(token)) = (&deployments.dex, token) {
        let abi = parse_abi(&["function getPair(address,address) view returns (address)"])
            .map_err(|e| read_error("factory ABI", e))?;
        let factory = Contract::new(dex.factory, abi, chain.client.clone());
        let pair: Address = factory
            .method::<_, Address>("getPair", (token, dex.weth))
            .map_err(|e| read_error("factory.getPair", e))?
            .call()
            .await
            .map_err(|e| read_error("factory.getPair", e))?;
        checks.push(Check::address(
            "uniswap-v2 factory.getPair(agent-token, weth)",
            dex.pair,
            pair,
        ));
        let c = Contract::new(
            token,
            load_abi(abi_dir, ContractKind::AgentToken)?,
            chain.client.clone(),
        );
        let is_pool: bool = c
            .method::<_, bool>("isPool", dex.pair)
            .map_err(|e| read_error("agent-token.isPool", e))?
            .call()
            .await
            .map_err(|e| read_error("agent-token.isPool", e))?;
        checks.push(Check {
            name: "agent-token.isPool(pair)".into(),
            expected: "true".into(),
            actual: is_pool.to_string(),
        });
    }
    let Some(revenue) = address(ContractKind::Revenue) else {
        return Ok(checks);
    };
    let c = Contract::new(
        revenue,
        load_abi(abi_dir, ContractKind::Revenue)?,
        chain.client.clone(),
    );
    let dex: RevenueDex = crate::wiring::read(&c, "revenue", "dex").await?;
    if let Some(token) = token {
        checks.push(Check::address("revenue.dex().agentToken", token, dex.0));
        let t = Contract::new(
            token,
            load_abi(abi_dir, ContractKind::AgentToken)?,
            chain.client.clone(),
        );
        checks.push(Check {
            name: "agent-token.isTaxExempt(revenue)".into(),
            expected: "true".into(),
            actual: is_tax_exempt(&t, revenue).await?.to_string(),
        });
    }
    if let Some(recorded) = &deployments.dex {
        checks.push(Check::address("revenue.dex().weth", recorded.weth, dex.1));
        checks.push(Check::address(
            "revenue.dex().router",
            recorded.router,
            dex.2,
        ));
        checks.push(Check::address("revenue.dex().pair", recorded.pair, dex.3));
    }
    let settings: RevenueSettings = crate::wiring::read(&c, "revenue", "settings").await?;
    checks.push(Check::address(
        "revenue.settings().treasury",
        subdao,
        settings.0,
    ));
    Ok(checks)
}
