//! `deploy --verify-wiring`: reads the system's wiring back from chain and compares it with
//! what the system's design asks for, one check per line.
//!
//! Checks (each only when the contracts it involves are recorded):
//! - every contract's code on chain is the recorded code, and a split contract's core forwards
//!   to its recorded extension program;
//! - the SubDAO governs the agent token, the vault, the Elo ledger, the OML registry and itself,
//!   with no handover left pending;
//! - the SubDAO is the treasury of the token, the vault and the OML registry;
//! - the vault's reward token is the agent token, its LP token the recorded one, and the vault
//!   pays rewards untaxed (tax-exempt in the token); the SubDAO is tax-exempt (its roles) and
//!   the deployer no longer is (it handed both roles over);
//! - the Elo ledger reads voting power from the vault; the SubDAO's settings name the vault and
//!   the Elo ledger;
//! - the pool and the revenue program (see `deploy::revenue`): the vault stakes the recorded
//!   pair, the factory's AGENT/WETH pair is the recorded one and a registered pool of the token,
//!   the revenue program trades through the recorded router and pair, pays the SubDAO and buys
//!   untaxed;
//! - the rewards program points at the token, the vault and the Elo ledger, is tax-exempt and
//!   is the vault's jailer (see `deploy::rewards`).
use std::path::Path;

use ethers::abi::Token;
use ethers::contract::Contract;
use ethers::types::{Address, H256};

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::deployer;
use crate::error::DeployError;
use crate::record::Deployments;
use crate::wiring::{load_abi, read, VaultParameters};

/// One wiring check: what was read from chain against what it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What is read, e.g. `agent-token.treasury()`.
    pub name: String,
    /// The value it should have.
    pub expected: String,
    /// The value read from chain.
    pub actual: String,
}

impl Check {
    /// A check comparing two addresses.
    pub fn address(name: impl Into<String>, expected: Address, actual: Address) -> Self {
        Self {
            name: name.into(),
            expected: format!("{expected:#x}"),
            actual: format!("{actual:#x}"),
        }
    }

    /// Whether the chain holds the expected value.
    pub fn ok(&self) -> bool {
        self.expected == self.actual
    }
}

/// Whether every check passed.
pub fn all_ok(checks: &[Check]) -> bool {
    checks.iter().all(Check::ok)
}

/// The checks as an aligned table with an `ok`/`FAIL` column and a summary line.
pub fn table(checks: &[Check]) -> String {
    let width = |f: fn(&Check) -> &str, title: &str| {
        checks
            .iter()
            .map(|c| f(c).chars().count())
            .chain([title.len()])
            .max()
            .unwrap_or(0)
    };
    let (wn, we) = (
        width(|c| &c.name, "check"),
        width(|c| &c.expected, "expected"),
    );
    let mut out = format!("{:<wn$}  {:<4}  {:<we$}  actual\n", "check", "", "expected");
    out.push_str(&"-".repeat(wn + we + 56));
    out.push('\n');
    for check in checks {
        let status = if check.ok() { "ok" } else { "FAIL" };
        let actual = if check.ok() {
            ""
        } else {
            check.actual.as_str()
        };
        let line = format!(
            "{:<wn$}  {status:<4}  {:<we$}  {actual}",
            check.name, check.expected
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let failed = checks.iter().filter(|c| !c.ok()).count();
    out.push_str(&format!(
        "{} checks, {} passed, {failed} failed\n",
        checks.len(),
        checks.len() - failed
    ));
    out
}

/// Reads the wiring of the system recorded in `deployments` from chain.
///
/// # Errors
/// [`DeployError::Abi`] for a missing ABI, [`DeployError::Wiring`] / RPC errors when a read
/// fails (a contract that does not answer is a failure, not a mismatch).
pub async fn check_wiring(
    chain: &Chain,
    deployments: &Deployments,
    abi_dir: &Path,
) -> Result<Vec<Check>, DeployError> {
    let mut checks = Vec::new();
    for (name, record) in &deployments.contracts {
        let actual = deployer::code_hash_at(chain, record.address).await?;
        checks.push(Check {
            name: format!("{name} code at {:#x}", record.address),
            expected: format!("{:#x}", record.code_hash),
            actual: actual
                .map(|h| format!("{h:#x}"))
                .unwrap_or_else(|| format!("{:#x} (no code)", H256::zero())),
        });
    }
    let address = |kind: ContractKind| deployments.get(kind.package()).map(|r| r.address);
    let Some(subdao) = address(ContractKind::Subdao) else {
        checks.push(Check {
            name: "subdao deployed".into(),
            expected: "yes".into(),
            actual: "no".into(),
        });
        return Ok(checks);
    };
    let contract = |kind: ContractKind, at: Address| -> Result<Contract<_>, DeployError> {
        Ok(Contract::new(
            at,
            load_abi(abi_dir, kind)?,
            chain.client.clone(),
        ))
    };

    for kind in ContractKind::ALL {
        let Some(at) = address(kind) else { continue };
        let c = contract(kind, at)?;
        let name = kind.package();
        let governance: Address = read(&c, name, "governance").await?;
        checks.push(Check::address(
            format!("{name}.governance()"),
            subdao,
            governance,
        ));
        let pending: Address = read(&c, name, "pendingGovernance").await?;
        checks.push(Check::address(
            format!("{name}.pendingGovernance()"),
            Address::zero(),
            pending,
        ));
        // A split contract's core forwards to the extension program it was constructed with.
        if let Some(recorded) = kind
            .extension()
            .and_then(|package| deployments.get(package))
        {
            let stored: Address = read(&c, name, "extension").await?;
            checks.push(Check::address(
                format!("{name}.extension()"),
                recorded.address,
                stored,
            ));
        }
    }

    let token = address(ContractKind::AgentToken);
    let vault = address(ContractKind::StakingVault);
    let elo = address(ContractKind::EloLedger);
    if let Some(token) = token {
        let c = contract(ContractKind::AgentToken, token)?;
        let treasury: Address = read(&c, "agent-token", "treasury").await?;
        checks.push(Check::address("agent-token.treasury()", subdao, treasury));
        // Exemptions follow the roles: the SubDAO (treasury and governance) is exempt, the
        // deployer that held both roles at launch no longer is; the vault is exempt by grant.
        let mut exemptions = vec![("subdao", subdao, true)];
        if let Some(deployer) = deployments.deployer.filter(|d| *d != subdao) {
            exemptions.push(("deployer", deployer, false));
        }
        if let Some(vault) = vault {
            exemptions.push(("staking-vault", vault, true));
        }
        for (who, account, expected) in exemptions {
            let exempt: bool = c
                .method::<_, bool>("isTaxExempt", account)
                .map_err(|e| wiring_read("agent-token.isTaxExempt", e))?
                .call()
                .await
                .map_err(|e| wiring_read("agent-token.isTaxExempt", e))?;
            checks.push(Check {
                name: format!("agent-token.isTaxExempt({who})"),
                expected: expected.to_string(),
                actual: exempt.to_string(),
            });
        }
    }
    if let Some(vault) = vault {
        let c = contract(ContractKind::StakingVault, vault)?;
        // Newer vaults report these three in `parameters()`, older ones one getter each.
        let (lp, reward, treasury): (Address, Address, Address) =
            if c.abi().functions.contains_key("parameters") {
                let p: VaultParameters = read(&c, "staking-vault", "parameters").await?;
                (p.0, p.1, p.2)
            } else {
                (
                    read(&c, "staking-vault", "lpToken").await?,
                    read(&c, "staking-vault", "rewardToken").await?,
                    read(&c, "staking-vault", "treasury").await?,
                )
            };
        checks.push(Check::address("staking-vault.treasury()", subdao, treasury));
        if let Some(token) = token {
            checks.push(Check::address("staking-vault.rewardToken()", token, reward));
        }
        if let Some(pair) = crate::dex::lp_token(deployments) {
            checks.push(Check::address("staking-vault.lpToken()", pair, lp));
        }
    }
    if let (Some(elo), Some(vault)) = (elo, vault) {
        let c = contract(ContractKind::EloLedger, elo)?;
        let actual: Address = read(&c, "elo-ledger", "vault").await?;
        checks.push(Check::address("elo-ledger.vault()", vault, actual));
    }
    if let Some(oml) = address(ContractKind::OmlRegistry) {
        let c = contract(ContractKind::OmlRegistry, oml)?;
        let params: Token = read(&c, "oml-registry", "params").await?;
        let treasury = match params {
            Token::Tuple(fields) => fields.first().cloned().and_then(Token::into_address),
            other => other.into_address(),
        };
        checks.push(Check::address(
            "oml-registry.params().treasury",
            subdao,
            treasury.unwrap_or_default(),
        ));
    }
    checks.extend(crate::revenue::checks(chain, deployments, abi_dir, subdao).await?);
    let c = contract(ContractKind::Subdao, subdao)?;
    type Settings = (
        Address,
        Address,
        u64,
        u64,
        ethers::types::U256,
        u64,
        u64,
        u64,
    );
    let settings: Settings = read(&c, "subdao", "settings").await?;
    if let Some(vault) = vault {
        checks.push(Check::address("subdao.settings().vault", vault, settings.0));
    }
    if let Some(elo) = elo {
        checks.push(Check::address(
            "subdao.settings().eloLedger",
            elo,
            settings.1,
        ));
    }
    checks.extend(crate::rewards::checks(chain, deployments, abi_dir).await?);
    Ok(checks)
}

fn wiring_read(step: &str, error: impl std::fmt::Display) -> DeployError {
    DeployError::Wiring {
        step: step.to_string(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_marks_failures_with_the_value_read() {
        let checks = vec![
            Check::address(
                "a.governance()",
                Address::repeat_byte(1),
                Address::repeat_byte(1),
            ),
            Check::address(
                "b.treasury()",
                Address::repeat_byte(1),
                Address::repeat_byte(2),
            ),
        ];
        assert!(checks[0].ok());
        assert!(!checks[1].ok());
        assert!(!all_ok(&checks));
        assert!(all_ok(&checks[..1]));
        let text = table(&checks);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[2].starts_with("a.governance()") && lines[2].contains(" ok "));
        assert!(lines[3].contains("FAIL"), "{text}");
        assert!(lines[3].ends_with(&format!("{:#x}", Address::repeat_byte(2))));
        assert_eq!(lines[4], "2 checks, 1 passed, 1 failed");
    }
}
