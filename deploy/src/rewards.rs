//! Wiring of the rewards program (created with the SubDAO as governance): while the deployer
//! still governs the agent token and the vault, the token exempts the program from the
//! transfer tax (it pays rewards and funds validator pools untaxed) and the vault appoints it
//! its jailer among its parameters (it jails validators whose agreement stays low). `--verify-wiring` checks both
//! (the vault's `jailer()` view) and that the program points at the recorded token, vault and
//! Elo ledger.
use std::path::Path;

use ethers::contract::Contract;
use ethers::types::Address;

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::error::DeployError;
use crate::record::Deployments;
use crate::verify::Check;
use crate::wiring::{is_tax_exempt, load_abi, read, send, VaultParameters, WiringStep};

fn address_of(deployments: &Deployments, kind: ContractKind) -> Option<Address> {
    deployments.get(kind.package()).map(|r| r.address)
}

/// Sends what the rewards program still needs (tax exemption, jailer); nothing without a
/// recorded rewards program.
///
/// # Errors
/// [`DeployError::Abi`] for a missing ABI, [`DeployError::Wiring`] naming the failed step.
pub async fn wire(
    chain: &Chain,
    deployments: &Deployments,
    abi_dir: &Path,
) -> Result<Vec<WiringStep>, DeployError> {
    let mut steps = Vec::new();
    let Some(rewards) = address_of(deployments, ContractKind::Rewards) else {
        return Ok(steps);
    };
    if let Some(token) = address_of(deployments, ContractKind::AgentToken) {
        let contract = Contract::new(
            token,
            load_abi(abi_dir, ContractKind::AgentToken)?,
            chain.client.clone(),
        );
        let step = "agent-token.setTaxExempt(rewards, true)".to_string();
        let exempt = is_tax_exempt(&contract, rewards).await?;
        let governance: Address = read(&contract, &step, "governance").await?;
        if !exempt && governance == chain.deployer() {
            steps.push(send(&contract, step, "setTaxExempt", (rewards, true)).await?);
        }
    }
    if let Some(vault) = address_of(deployments, ContractKind::StakingVault) {
        let contract = Contract::new(
            vault,
            load_abi(abi_dir, ContractKind::StakingVault)?,
            chain.client.clone(),
        );
        let step = "staking-vault.setParameters(jailer = rewards)".to_string();
        let governance: Address = read(&contract, &step, "governance").await?;
        let jailer: Address = read(&contract, &step, "jailer").await?;
        if governance == chain.deployer() && jailer != rewards {
            // The other parameters stay as they are.
            let p: VaultParameters = read(&contract, &step, "parameters").await?;
            let args = (p.2, p.3, p.4, p.5, rewards);
            steps.push(send(&contract, step, "setParameters", args).await?);
        }
    }
    Ok(steps)
}

/// The rewards program's wiring checks (empty without a recorded rewards program).
///
/// # Errors
/// [`DeployError::Abi`] for a missing ABI, [`DeployError::Wiring`] for a failed read.
pub async fn checks(
    chain: &Chain,
    deployments: &Deployments,
    abi_dir: &Path,
) -> Result<Vec<Check>, DeployError> {
    let mut checks = Vec::new();
    let Some(rewards) = address_of(deployments, ContractKind::Rewards) else {
        return Ok(checks);
    };
    let token = address_of(deployments, ContractKind::AgentToken);
    let vault = address_of(deployments, ContractKind::StakingVault);
    let ledger = address_of(deployments, ContractKind::EloLedger);
    let program = Contract::new(
        rewards,
        load_abi(abi_dir, ContractKind::Rewards)?,
        chain.client.clone(),
    );
    let (t, v, l): (Address, Address, Address) = read(&program, "rewards", "contracts").await?;
    for (name, expected, actual) in [
        ("rewards.contracts().token", token, t),
        ("rewards.contracts().vault", vault, v),
        ("rewards.contracts().ledger", ledger, l),
    ] {
        if let Some(expected) = expected {
            checks.push(Check::address(name, expected, actual));
        }
    }
    if let Some(token) = token {
        let contract = Contract::new(
            token,
            load_abi(abi_dir, ContractKind::AgentToken)?,
            chain.client.clone(),
        );
        checks.push(Check {
            name: "agent-token.isTaxExempt(rewards)".into(),
            expected: true.to_string(),
            actual: is_tax_exempt(&contract, rewards).await?.to_string(),
        });
    }
    if let Some(vault) = vault {
        let contract = Contract::new(
            vault,
            load_abi(abi_dir, ContractKind::StakingVault)?,
            chain.client.clone(),
        );
        let jailer: Address = read(&contract, "staking-vault", "jailer").await?;
        checks.push(Check::address("staking-vault.jailer()", rewards, jailer));
    }
    Ok(checks)
}
