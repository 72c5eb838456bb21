//! Wiring of the rewards program (created with the SubDAO as governance): while the deployer
//! still governs the agent token and the vault, the token exempts the program from the
//! transfer tax (it pays rewards and funds validator pools untaxed) and the vault appoints it
//! its jailer (it jails validators whose agreement stays low). `--verify-wiring` checks both
//! and that the program points at the recorded token, vault and Elo ledger.
use std::path::Path;

use ethers::contract::Contract;
use ethers::types::Address;

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::error::DeployError;
use crate::record::Deployments;
use crate::verify::Check;
use crate::wiring::{load_abi, read, send, WiringStep};

/// Selector of the vault's `UnknownValidator(address)`: what `jail(address(0))` reverts with
/// for a caller allowed to jail.
fn unknown_validator_selector() -> [u8; 4] {
    ethers::utils::id("UnknownValidator(address)")
}

fn address_of(deployments: &Deployments, kind: ContractKind) -> Option<Address> {
    deployments.get(kind.package()).map(|r| r.address)
}

/// Whether the vault lets `rewards` jail: a `jail(address(0))` call from it fails on the
/// unknown validator, not on the caller (the vault has no jailer view; its extension program
/// has no room left for one).
///
/// # Errors
/// [`DeployError::Wiring`] when the call does not revert at all.
pub async fn vault_lets_jail(
    vault: &Contract<crate::chain::Client>,
    rewards: Address,
) -> Result<bool, DeployError> {
    let step = "staking-vault.jail(0) from rewards";
    let call = vault
        .method::<_, ()>("jail", Address::zero())
        .map_err(|e| DeployError::Wiring {
            step: step.into(),
            reason: e.to_string(),
        })?
        .from(rewards);
    match call.call().await {
        Ok(()) => Err(DeployError::Wiring {
            step: step.into(),
            reason: "jailing the zero address succeeded".into(),
        }),
        Err(error) => {
            // The revert data comes as a revert, or only inside a JSON-RPC error's text.
            let selector = ethers::utils::hex::encode(unknown_validator_selector());
            let in_data = error
                .as_revert()
                .is_some_and(|data| data.get(..4) == Some(&unknown_validator_selector()[..]));
            Ok(in_data || error.to_string().contains(&format!("0x{selector}")))
        }
    }
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
        let step = "staking-vault.setJailer(rewards)".to_string();
        let governance: Address = read(&contract, &step, "governance").await?;
        if governance == chain.deployer() && !vault_lets_jail(&contract, rewards).await? {
            steps.push(send(&contract, step, "setJailer", rewards).await?);
        }
    }
    Ok(steps)
}

async fn is_tax_exempt(
    token: &Contract<crate::chain::Client>,
    account: Address,
) -> Result<bool, DeployError> {
    let step = "agent-token.isTaxExempt(rewards)";
    token
        .method::<_, bool>("isTaxExempt", account)
        .map_err(|e| DeployError::Wiring {
            step: step.into(),
            reason: e.to_string(),
        })?
        .call()
        .await
        .map_err(|e| DeployError::Wiring {
            step: step.into(),
            reason: e.to_string(),
        })
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
        checks.push(Check {
            name: "staking-vault jailer is rewards".into(),
            expected: true.to_string(),
            actual: vault_lets_jail(&contract, rewards).await?.to_string(),
        });
    }
    Ok(checks)
}
