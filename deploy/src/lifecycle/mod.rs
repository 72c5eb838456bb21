//! The system's whole life as a user drives it, shared by the end-to-end test
//! (`tests/tests/e2e/lifecycle.rs`) and `deploy --demo`:
//!
//! 1. LPs stake LP tokens and delegate to three validators; voting-power checkpoints read back.
//! 2. Trading the agent token pays 1% tax into the treasury (the SubDAO); a treasury proposal
//!    funds vault rewards, streamed over the vault's unbonding period; delegators and validators
//!    claim pro rata, validators with commission.
//! 3. A governance proposal crowns the base model and sets the Elo parameters; two fine-tuned
//!    models and their datasets are registered; commit-reveal validation sessions against the
//!    champion run with the three validators; Elo and the leaderboard move; one dataset is
//!    accepted, one rejected; the validator who backed the bad model loses agreement.
//! 4. A model-upgrade proposal passes (quorum, majority, timelock) and the champion changes.
//! 5. That validator is slashed by proposal; its delegator loses pro rata.
//! 6. OML: the fine-tuned model is licensed with collateral, usage fees cascade to the parent's
//!    owner, a prover's leaked-copy claim is finalized and the collateral slashed.
//! 7. A treasury proposal burns agent tokens and lowers the tax.
//! 8. A delegator redelegates part of its stake (it unbonds from the first validator, slashable
//!    meanwhile) and unbonds another part; after the unbonding period it withdraws both: the
//!    redelegated part bonds to the second validator, the other is paid out.
//! 9. Revenue: traders buy and sell the agent token through the Uniswap V2 router (taxed, the
//!    fee-on-transfer swaps); an application pays for inferences in ETH; after the TWAP window
//!    anyone triggers the buyback, which swaps the ETH through the pool and burns the tokens:
//!    the supply falls by exactly the burned amount. A buyback right after someone moved the
//!    pool is refused.
//! 10. The rewards program (funded by anyone) closes an epoch paying the champion's owner and
//!     the nominated models by rank, rewards the accepted dataset's contributor once, then an
//!     epoch with a validation session pays each validator into its vault pool by stake times
//!     quality (the honest ones earn more per LP than the one rubber-stamping the challenger),
//!     and anyone jails that validator for its low agreement.
//!
//! Along the way the attacks a user would fear are tried and must be refused with their typed
//! error, balances unchanged: a non-validator proposing or voting, executing a proposal early,
//! a slashed validator voting with power it no longer has, a forged fingerprint proof, the
//! public fingerprint root passed off as a fingerprint, a host withdrawing collateral during a
//! claim, a delegator withdrawing before the unbonding period.
//!
//! Every check that fails stops the story with [`LifecycleError::Check`].
mod driver;
pub mod merkle;
mod steps;

use std::time::Duration;

use ethers::types::{Address, U256};

pub use driver::{actor_key, Actor, Clock, Driver, Narrator, Printer, StepGas, Transcript, TxGas};
pub use steps::{text, FromText};

use crate::chain::Chain;
use crate::contracts::ContractKind;
use crate::record::Deployments;

/// Why the story stopped.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// A transaction or read failed.
    #[error("{what}: {reason}")]
    Call {
        /// What was attempted.
        what: String,
        /// The decoded revert or RPC error.
        reason: String,
    },
    /// The chain does not show what the story expects.
    #[error("check failed: {0}")]
    Check(String),
    /// The system is not deployed completely.
    #[error("{0} is not deployed")]
    Missing(String),
}

impl LifecycleError {
    /// A failed call.
    pub fn call(what: &str, reason: impl std::fmt::Display) -> Self {
        Self::Call {
            what: what.to_string(),
            reason: reason.to_string(),
        }
    }

    /// A failed check.
    pub fn check(text: impl Into<String>) -> Self {
        Self::Check(text.into())
    }
}

/// Fails with `message` unless `condition` holds.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<(), LifecycleError> {
    if condition {
        Ok(())
    } else {
        Err(LifecycleError::Check(message()))
    }
}

/// Addresses of a deployed, wired system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct System {
    /// The agent token.
    pub token: Address,
    /// The LP token staked in the vault.
    pub lp_token: Address,
    /// The staking vault.
    pub vault: Address,
    /// The Elo ledger.
    pub elo: Address,
    /// The SubDAO (governance and treasury).
    pub subdao: Address,
    /// The OML registry.
    pub oml: Address,
    /// The rewards program.
    pub rewards: Address,
    /// The revenue program (inference payments, buyback-and-burn).
    pub revenue: Address,
    /// The Uniswap V2 router 02 the agent token trades through.
    pub dex_router: Address,
    /// The router's WETH (the pair's other token).
    pub weth: Address,
}

impl System {
    /// The system recorded in `deployments` (the LP token is the recorded pair).
    ///
    /// # Errors
    /// [`LifecycleError::Missing`] naming the first missing contract.
    pub fn from_deployments(deployments: &Deployments) -> Result<Self, LifecycleError> {
        let get = |name: &str| {
            deployments
                .get(name)
                .map(|r| r.address)
                .ok_or_else(|| LifecycleError::Missing(name.to_string()))
        };
        Ok(Self {
            token: get(ContractKind::AgentToken.package())?,
            lp_token: crate::dex::lp_token(deployments)
                .ok_or_else(|| LifecycleError::Missing("the agent token's pool (dex)".into()))?,
            vault: get(ContractKind::StakingVault.package())?,
            elo: get(ContractKind::EloLedger.package())?,
            subdao: get(ContractKind::Subdao.package())?,
            oml: get(ContractKind::OmlRegistry.package())?,
            rewards: get(ContractKind::Rewards.package())?,
            revenue: get(ContractKind::Revenue.package())?,
            dex_router: deployments
                .dex
                .as_ref()
                .map(|d| d.router)
                .unwrap_or_default(),
            weth: deployments.dex.as_ref().map(|d| d.weth).unwrap_or_default(),
        })
    }
}

/// What the story cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Gas and transactions per step.
    pub steps: Vec<StepGas>,
    /// Every successful transaction the story sent through the driver, in order, with its gas
    /// (the bench records them as the gas of each operation on the deployed system).
    pub sends: Vec<TxGas>,
    /// Attacks refused with their typed error.
    pub attacks_refused: usize,
    /// Wall-clock time of the story.
    pub elapsed: Duration,
}

impl Summary {
    /// Gas of every transaction the story sent.
    pub fn total_gas(&self) -> U256 {
        self.steps.iter().fold(U256::zero(), |a, s| a + s.gas)
    }

    /// Transactions the story sent.
    pub fn transactions(&self) -> usize {
        self.steps.iter().map(|s| s.transactions).sum()
    }

    /// A per-step gas table with the totals.
    pub fn table(&self) -> String {
        let width = self
            .steps
            .iter()
            .map(|s| s.title.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut out = format!("{:<width$}  {:>4}  {:>12}\n", "step", "txs", "gas");
        for step in &self.steps {
            out.push_str(&format!(
                "{:<width$}  {:>4}  {:>12}\n",
                step.title, step.transactions, step.gas
            ));
        }
        out.push_str(&format!(
            "{:<width$}  {:>4}  {:>12}\n",
            "total",
            self.transactions(),
            self.total_gas()
        ));
        out.push_str(&format!(
            "{} attacks refused; {:.1?} wall time\n",
            self.attacks_refused, self.elapsed
        ));
        out
    }
}

/// Runs the whole story on `system` with the deployer of `chain` paying for the actors, and
/// narrates it to `narrator`.
///
/// # Errors
/// The first failed transaction or check.
pub async fn run(
    chain: &Chain,
    system: System,
    narrator: &mut dyn Narrator,
) -> Result<Summary, LifecycleError> {
    run_with_clock(chain, system, narrator, Clock::Wall).await
}

/// [`run`] with the story's transactions placed in time as `clock` says (the bench runs it with
/// [`Clock::SecondPerSend`] so two runs compare transaction by transaction).
///
/// # Errors
/// The first failed transaction or check.
pub async fn run_with_clock(
    chain: &Chain,
    system: System,
    narrator: &mut dyn Narrator,
    clock: Clock,
) -> Result<Summary, LifecycleError> {
    let mut driver = Driver::new(chain, narrator);
    driver.set_clock(clock);
    let mut story = steps::Story::new(&mut driver, system).await?;
    story.stake_and_delegate().await?;
    story.tax_and_rewards().await?;
    story.validate_models().await?;
    story.upgrade_champion().await?;
    story.slash_bad_validator().await?;
    story.oml_license_and_claim().await?;
    story.burn_and_lower_tax().await?;
    story.leave_the_vault().await?;
    story.pay_and_buy_back().await?;
    story.epoch_rewards().await?;
    drop(story);
    Ok(Summary {
        steps: driver.steps.clone(),
        sends: driver.sends.clone(),
        attacks_refused: driver.refused,
        elapsed: driver.started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_totals_and_table() {
        let summary = Summary {
            steps: vec![
                StepGas {
                    title: "one".into(),
                    gas: 100.into(),
                    transactions: 2,
                },
                StepGas {
                    title: "two".into(),
                    gas: 50.into(),
                    transactions: 1,
                },
            ],
            sends: Vec::new(),
            attacks_refused: 3,
            elapsed: Duration::from_millis(1500),
        };
        assert_eq!(summary.total_gas(), 150.into());
        assert_eq!(summary.transactions(), 3);
        let table = summary.table();
        assert!(table.contains("total     3           150"), "{table}");
        assert!(table.contains("3 attacks refused"), "{table}");
    }

    #[test]
    fn the_system_needs_every_contract_and_the_lp_token() {
        let err = System::from_deployments(&Deployments::default()).unwrap_err();
        assert!(matches!(err, LifecycleError::Missing(ref name) if name == "agent-token"));
        assert!(ensure(false, || "x".into()).is_err());
        assert!(ensure(true, || unreachable!()).is_ok());
    }
}
