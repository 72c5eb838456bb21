//! Governance wiring after deployment: the SubDAO becomes the treasury and the governance of
//! every other contract (DESIGN §5).
//!
//! The steps are driven by each contract's ABI, read from `abi/<Name>.json`, and by what the
//! chain says, so a re-run only sends what is still missing:
//! 1. a contract with `treasury()` + `setTreasury(address)` whose treasury is not the SubDAO
//!    gets `setTreasury(subdao)` (the deployer is still its governance);
//! 2. a contract with `governance()` + `pendingGovernance()` + `transferGovernance(address)`
//!    still governed by the deployer nominates the SubDAO (step one of the two-step handover);
//! 3. if the SubDAO's ABI has `acceptGovernanceOf(address)` (a permissionless call that makes the
//!    SubDAO accept a nomination it received), the handover is completed; otherwise it stays
//!    pending until a SubDAO proposal calls the contract's `acceptGovernance()`.
//!
//! The result (treasury, governance and pending governance per contract, read back from chain)
//! goes into the deployment record.
use std::path::Path;

use ethers::abi::{Abi, Detokenize, Tokenize};
use ethers::contract::{Contract, ContractError};
use ethers::types::{Address, H256, U256};

use crate::chain::{Chain, Client};
use crate::contracts::ContractKind;
use crate::error::DeployError;
use crate::record::{Deployments, WiringRecord};

/// The staking vault's `parameters()`: LP token, reward token, treasury, unbonding period,
/// maximum commission and maximum slash.
pub type VaultParameters = (Address, Address, Address, U256, U256, U256);

/// A wiring transaction that was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WiringStep {
    /// What it did, e.g. `agent-token.transferGovernance(subdao)`.
    pub step: String,
    /// The transaction.
    pub tx_hash: H256,
    /// Gas it used.
    pub gas_used: U256,
}

/// Reads `abi_dir/<Name>.json` as an ethers ABI.
///
/// # Errors
/// [`DeployError::Abi`] when missing or malformed.
pub fn load_abi(abi_dir: &Path, contract: ContractKind) -> Result<Abi, DeployError> {
    let path = abi_dir.join(format!("{}.json", contract.abi_name()));
    let error = |reason: String| DeployError::Abi {
        contract: contract.package().into(),
        reason: format!("{}: {reason}", path.display()),
    };
    let text = std::fs::read_to_string(&path).map_err(|e| error(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| error(e.to_string()))
}

fn has(abi: &Abi, names: &[&str]) -> bool {
    names.iter().all(|name| abi.functions.contains_key(*name))
}

fn wiring_error(step: &str, error: ContractError<Client>) -> DeployError {
    let reason = match error.as_revert() {
        Some(data) => {
            crate::arbitrum::decode_revert(data).unwrap_or_else(|| format!("reverted with {data}"))
        }
        None => error.to_string(),
    };
    DeployError::Wiring {
        step: step.to_string(),
        reason,
    }
}

/// Calls the view `function` of `contract`; errors name `step`.
///
/// # Errors
/// [`DeployError::Wiring`].
pub async fn read<T: Detokenize>(
    contract: &Contract<Client>,
    step: &str,
    function: &str,
) -> Result<T, DeployError> {
    contract
        .method::<_, T>(function, ())
        .map_err(|e| DeployError::Wiring {
            step: step.to_string(),
            reason: e.to_string(),
        })?
        .call()
        .await
        .map_err(|e| wiring_error(step, e))
}

/// `token.isTaxExempt(account)`.
///
/// # Errors
/// [`DeployError::Wiring`] when the read fails.
pub async fn is_tax_exempt(
    token: &Contract<Client>,
    account: Address,
) -> Result<bool, DeployError> {
    let step = "agent-token.isTaxExempt";
    token
        .method::<_, bool>("isTaxExempt", account)
        .map_err(|e| DeployError::Wiring {
            step: step.to_string(),
            reason: e.to_string(),
        })?
        .call()
        .await
        .map_err(|e| wiring_error(step, e))
}

/// Sends `function(args)` to `contract` through [`crate::send::send`] and waits for a successful
/// receipt; errors name `step`.
///
/// # Errors
/// [`DeployError::Wiring`] with the decoded revert reason.
pub async fn send<A: Tokenize>(
    contract: &Contract<Client>,
    step: String,
    function: &str,
    args: A,
) -> Result<WiringStep, DeployError> {
    let call = contract
        .method::<_, ()>(function, args)
        .map_err(|e| DeployError::Wiring {
            step: step.clone(),
            reason: e.to_string(),
        })?;
    let receipt = crate::send::send(call)
        .await
        .map_err(|e| DeployError::Wiring {
            step: step.clone(),
            reason: e.reason(),
        })?;
    Ok(WiringStep {
        step,
        tx_hash: receipt.transaction_hash,
        gas_used: receipt.gas_used.unwrap_or_default(),
    })
}

/// Wires every recorded contract to the recorded SubDAO and updates `deployments.wiring`.
/// Does nothing without a SubDAO.
///
/// # Errors
/// [`DeployError::Abi`] for a missing ABI, [`DeployError::Wiring`] naming the failed step.
pub async fn wire(
    chain: &Chain,
    deployments: &mut Deployments,
    abi_dir: &Path,
) -> Result<Vec<WiringStep>, DeployError> {
    let Some(subdao) = deployments
        .get(ContractKind::Subdao.package())
        .map(|r| r.address)
    else {
        return Ok(Vec::new());
    };
    let subdao_abi = load_abi(abi_dir, ContractKind::Subdao)?;
    let subdao_contract = Contract::new(subdao, subdao_abi.clone(), chain.client.clone());
    let can_accept = has(&subdao_abi, &["acceptGovernanceOf"]);
    let mut steps = Vec::new();
    let mut wiring = WiringRecord::default();

    // The vault pays rewards in the agent token: exempt it from the transfer tax while the
    // deployer still governs the token (afterwards only a SubDAO proposal could).
    let token = deployments
        .get(ContractKind::AgentToken.package())
        .map(|r| r.address);
    let vault = deployments
        .get(ContractKind::StakingVault.package())
        .map(|r| r.address);
    if let (Some(token), Some(vault)) = (token, vault) {
        let contract = Contract::new(
            token,
            load_abi(abi_dir, ContractKind::AgentToken)?,
            chain.client.clone(),
        );
        let step = "agent-token.setTaxExempt(staking-vault, true)".to_string();
        let exempt = is_tax_exempt(&contract, vault).await?;
        let governance: Address = read(&contract, &step, "governance").await?;
        if !exempt && governance == chain.deployer() {
            steps.push(send(&contract, step, "setTaxExempt", (vault, true)).await?);
        }
    }

    // The rewards program's grants, while the deployer still governs the token and the vault.
    steps.extend(crate::rewards::wire(chain, deployments, abi_dir).await?);
    steps.extend(crate::revenue::wire(chain, deployments, abi_dir).await?);

    for kind in ContractKind::ALL {
        if kind == ContractKind::Subdao {
            continue;
        }
        let Some(address) = deployments.get(kind.package()).map(|r| r.address) else {
            continue;
        };
        let abi = load_abi(abi_dir, kind)?;
        let contract = Contract::new(address, abi.clone(), chain.client.clone());
        let name = kind.package();

        if has(&abi, &["treasury", "setTreasury"]) {
            let step = format!("{name}.setTreasury(subdao)");
            let treasury: Address = read(&contract, &step, "treasury").await?;
            if treasury != subdao {
                steps.push(send(&contract, step, "setTreasury", subdao).await?);
            }
            if kind == ContractKind::AgentToken {
                wiring.treasury = Some(subdao);
            }
        }

        if has(&abi, &["parameters", "setParameters"]) && kind == ContractKind::StakingVault {
            // The vault keeps its treasury among its parameters
            // `(lpToken, rewardToken, treasury, unbondingPeriod, maxCommissionBps, maxSlashBps)`;
            // `setParameters` also takes the jailer, kept as it is (`jailer()`).
            let step = format!("{name}.setParameters(treasury = subdao)");
            let params: VaultParameters = read(&contract, &step, "parameters").await?;
            let governance: Address = read(&contract, &step, "governance").await?;
            if params.2 != subdao && governance == chain.deployer() {
                let jailer: Address = read(&contract, &step, "jailer").await?;
                let args = (subdao, params.3, params.4, params.5, jailer);
                steps.push(send(&contract, step, "setParameters", args).await?);
            }
        }

        if has(
            &abi,
            &["governance", "pendingGovernance", "transferGovernance"],
        ) {
            let step = format!("{name}.transferGovernance(subdao)");
            let governance: Address = read(&contract, &step, "governance").await?;
            let pending: Address = read(&contract, &step, "pendingGovernance").await?;
            if governance == chain.deployer() && pending != subdao {
                steps.push(send(&contract, step.clone(), "transferGovernance", subdao).await?);
            }
            if governance != subdao && can_accept {
                let step = format!("subdao.acceptGovernanceOf({name})");
                steps.push(send(&subdao_contract, step, "acceptGovernanceOf", address).await?);
            }
            let governance: Address = read(&contract, &step, "governance").await?;
            let pending: Address = read(&contract, &step, "pendingGovernance").await?;
            wiring.governance.insert(name.to_string(), governance);
            if !pending.is_zero() {
                wiring.pending_governance.insert(name.to_string(), pending);
            }
        }
    }
    wiring
        .governance
        .insert(ContractKind::Subdao.package().to_string(), subdao);
    deployments.wiring = wiring;
    let checks = crate::verify::check_wiring(chain, deployments, abi_dir).await?;
    deployments.wiring.links = checks
        .into_iter()
        .filter(|c| !c.name.contains(" code at "))
        .map(|c| (c.name, c.actual))
        .collect();
    Ok(steps)
}

/// Differences between the wiring DESIGN §5 asks for and `wiring`: every contract governed by
/// (or at least handed over to) the SubDAO, the token's treasury the SubDAO. Empty when wired.
pub fn wiring_problems(deployments: &Deployments) -> Vec<String> {
    let Some(subdao) = deployments
        .get(ContractKind::Subdao.package())
        .map(|r| r.address)
    else {
        return vec!["no SubDAO deployed".into()];
    };
    let wiring = &deployments.wiring;
    let mut problems = Vec::new();
    for kind in ContractKind::ALL {
        let name = kind.package();
        if kind == ContractKind::Subdao || deployments.get(name).is_none() {
            continue;
        }
        let governed = wiring.governance.get(name) == Some(&subdao);
        let pending = wiring.pending_governance.get(name) == Some(&subdao);
        match (governed, pending) {
            (true, _) => {}
            (false, true) => problems.push(format!(
                "{name}: handed over to the SubDAO, waiting for the SubDAO to accept"
            )),
            (false, false) => problems.push(format!("{name}: not governed by the SubDAO")),
        }
    }
    if deployments
        .get(ContractKind::AgentToken.package())
        .is_some()
        && wiring.treasury != Some(subdao)
    {
        problems.push("agent-token: treasury is not the SubDAO".into());
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::ContractRecord;

    fn record(byte: u8) -> ContractRecord {
        ContractRecord {
            address: Address::repeat_byte(byte),
            code_hash: H256::zero(),
            init_data_hash: H256::zero(),
            tx_hash: H256::zero(),
            block: 1,
            gas_used: U256::zero(),
            data_fee: U256::zero(),
            compressed_bytes: 1,
            wasm_bytes: 1,
        }
    }

    #[test]
    fn reports_every_missing_wiring_step() {
        let mut deployments = Deployments::default();
        assert_eq!(
            wiring_problems(&deployments),
            vec!["no SubDAO deployed".to_string()]
        );
        deployments.contracts.insert("subdao".into(), record(5));
        deployments
            .contracts
            .insert("agent-token".into(), record(1));
        deployments
            .contracts
            .insert("staking-vault".into(), record(2));
        let subdao = Address::repeat_byte(5);
        deployments
            .wiring
            .governance
            .insert("agent-token".into(), Address::repeat_byte(9));
        deployments
            .wiring
            .pending_governance
            .insert("agent-token".into(), subdao);
        let problems = wiring_problems(&deployments);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("waiting for the SubDAO to accept"));
        assert!(problems[1].starts_with("staking-vault: not governed"));
        assert!(problems[2].contains("treasury"));

        deployments
            .wiring
            .governance
            .insert("agent-token".into(), subdao);
        deployments
            .wiring
            .governance
            .insert("staking-vault".into(), subdao);
        deployments.wiring.treasury = Some(subdao);
        assert!(wiring_problems(&deployments).is_empty());
    }

    #[test]
    fn abi_presence_checks_function_names() {
        let abi: Abi = serde_json::from_str(
            r#"[{"type":"function","name":"treasury","inputs":[],"outputs":[{"name":"","type":"address"}],"stateMutability":"view"}]"#,
        )
        .unwrap();
        assert!(has(&abi, &["treasury"]));
        assert!(!has(&abi, &["treasury", "setTreasury"]));
        let dir = tempfile::tempdir().unwrap();
        let err = load_abi(dir.path(), ContractKind::Subdao)
            .unwrap_err()
            .to_string();
        assert!(err.contains("SubDao.json"), "{err}");
    }
}
