//! A stand-in LP token for chains without an agent-token pool (local devnodes, demos, tests).
//!
//! The vault stakes an LP token distinct from its reward token (the agent token). When no
//! `LP_TOKEN` is configured, the run deploys a second instance of the agent-token program named
//! `<name> LP` / `<symbol>-LP`, minted to the deployer, with a zero tax (a constructor input) so
//! it behaves like a plain ERC-20 pool share. It is recorded as `lp-token` in `deployments/<chainid>.json`
//! and reused by later runs like any other contract.
use ethers::types::{Address, U256};

use crate::build::Artifact;
use crate::chain::Chain;
use crate::contracts::{constructor_inputs, keccak, ContractKind, ParamValues};
use crate::deployer;
use crate::error::DeployError;
use crate::pipeline::Options;
use crate::record::{ContractRecord, Deployments};

/// The key of the stand-in LP token in the deployment record.
pub const RECORD_KEY: &str = "lp-token";

/// What [`ensure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LpToken {
    /// The token's address.
    pub address: Address,
    /// Whether it was deployed in this run (false: the recorded one was still current).
    pub deployed: bool,
    /// Gas of the deployment sent in this run.
    pub gas_used: U256,
}

/// The constructor values of the stand-in: the agent token's with ` LP` / `-LP` appended to its
/// name and symbol, and no tax.
pub fn values(values: &ParamValues) -> ParamValues {
    let mut lp = values.clone();
    let name = values.get("name").unwrap_or("Agent Token").to_string();
    let symbol = values.get("symbol").unwrap_or("AGENT").to_string();
    lp.set_all(&["name", "tokenName"], format!("{name} LP"));
    lp.set_all(&["symbol", "tokenSymbol"], format!("{symbol}-LP"));
    lp.set_all(&["taxBps", "tax"], "0");
    lp
}

/// Deploys the stand-in LP token from the agent-token `artifact` (unless the recorded one is
/// current) and records it.
///
/// # Errors
/// Deployment, record and transaction errors.
pub async fn ensure(
    chain: &Chain,
    artifact: &Artifact,
    deployments: &mut Deployments,
    params: &ParamValues,
    options: &Options,
) -> Result<LpToken, DeployError> {
    let inputs = constructor_inputs(&options.abi_dir, ContractKind::AgentToken)?;
    let init_data = values(params).init_data(ContractKind::AgentToken, inputs.as_deref())?;
    let code_hash = keccak(&artifact.code);
    let init_data_hash = keccak(&init_data);
    let mut gas_used = U256::zero();
    let recorded = deployments.get(RECORD_KEY).cloned();
    let current = match &recorded {
        Some(record) if !options.force => {
            record.code_hash == code_hash
                && record.init_data_hash == init_data_hash
                && deployer::code_hash_at(chain, record.address).await? == Some(code_hash)
        }
        _ => false,
    };
    let (address, deployed) = match recorded {
        Some(record) if current => (record.address, false),
        _ => {
            let done = deployer::deploy(chain, RECORD_KEY, &artifact.code, init_data, options.salt)
                .await?;
            gas_used += done.gas_used;
            deployments.contracts.insert(
                RECORD_KEY.to_string(),
                ContractRecord {
                    address: done.address,
                    code_hash: done.code_hash,
                    init_data_hash,
                    tx_hash: done.tx_hash,
                    block: done.block,
                    gas_used: done.gas_used,
                    data_fee: done.data_fee,
                    compressed_bytes: artifact.compressed_bytes(),
                    wasm_bytes: artifact.wasm.len(),
                },
            );
            deployments.save(&options.deployments_dir)?;
            (done.address, true)
        }
    };
    Ok(LpToken {
        address,
        deployed,
        gas_used,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stand_in_is_named_after_the_agent_token() {
        let mut params = ParamValues::new();
        params.set("name", "Agent Token");
        params.set("symbol", "AGENT");
        params.set("initialSupply", "5");
        params.set("taxBps", "100");
        let lp = values(&params);
        assert_eq!(lp.get("tax_bps"), Some("0"));
        assert_eq!(lp.get("name"), Some("Agent Token LP"));
        assert_eq!(lp.get("tokenSymbol"), Some("AGENT-LP"));
        assert_eq!(lp.get("initial_supply"), Some("5"));
    }
}
