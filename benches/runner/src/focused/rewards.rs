//! The rewards program: funding the reserve, closing an epoch and a validator's claim into its
//! vault pool, with 10 and 100 validators staked in the vault (`Scale::rewards_validators`).
use anyhow::{ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::rewards::Rewards;
use deploy::contracts::ContractKind;
use deploy::lifecycle::{text, Actor};
use ethers::types::U256;

use super::{Bench, C};
use crate::gas::tokens;

/// LP each extra validator stakes on itself.
const SELF_STAKE: u64 = 100;

impl Bench<'_> {
    fn rewards_as(&self, a: &Actor) -> Rewards<C> {
        Rewards::new(self.rewards, a.client.clone())
    }

    /// Registers and self-stakes validators until the vault has `count`.
    async fn grow_validators(&mut self, count: usize) -> Result<()> {
        while self.validators.len() < count {
            let i = self.validators.len() + 1;
            let v = self.d.actor(&format!("bench-validator-{i}"), 1).await?;
            let call = self
                .vault_as(&v)
                .register_validator(500.into(), text("https://validator.example"));
            self.setup("registerValidator", call).await?;
            self.fund_lp(&v, tokens(SELF_STAKE)).await?;
            let call = self.vault_as(&v).stake(v.address(), tokens(SELF_STAKE));
            self.setup("self-stake", call).await?;
            self.validators.push(v);
        }
        Ok(())
    }

    /// For each count of validators: the vault grows to that many, the running epoch is closed
    /// (so the next one starts with all of them staked), the reserve is topped up, the first
    /// four validators judge one Elo session, and once the epoch is over its close and the first
    /// validator's claim are measured. Closing never loops over validators (claims are pulled
    /// one by one); the claim reads the vault's and the ledger's checkpoints at the epoch's
    /// start and end.
    pub(super) async fn rewards_epochs(&mut self, counts: &[usize]) -> Result<()> {
        const REWARDS: ContractKind = ContractKind::Rewards;
        let deployer = self.deployer.clone();
        let outsider = self.d.actor("bench-rewards-caller", 1).await?;
        // The deploy wiring exempts the program (this system is left unwired).
        let token = AgentToken::new(self.token, deployer.client.clone());
        self.setup(
            "exempt the rewards program",
            token.set_tax_exempt(self.rewards, true),
        )
        .await?;
        self.setup(
            "approve the rewards program",
            token.approve(self.rewards, U256::MAX),
        )
        .await?;
        self.setup(
            "first funding",
            self.rewards_as(&deployer).fund(tokens(1_000)),
        )
        .await?;
        let models = self.models.clone();
        let judges: Vec<Actor> = self.validators.iter().take(4).cloned().collect();
        for (i, &count) in counts.iter().enumerate() {
            self.grow_validators(count).await?;
            let (_, _, end) = self
                .d
                .view("currentEpoch", self.rewards_as(&deployer).current_epoch())
                .await?;
            self.d.advance_to(end.as_u64()).await?;
            let call = self.rewards_as(&outsider).close_epoch();
            self.setup("close the running epoch", call).await?;

            let call = self.rewards_as(&deployer).fund(tokens(1_000));
            if i == 0 {
                self.measure(REWARDS, "fund (reserve top-up, balance delta)", call)
                    .await?;
            } else {
                self.setup("reserve top-up", call).await?;
            }
            let sessions = self.sessions(&models, &judges, 1, false).await?;
            ensure!(sessions.len() == 1);

            let (epoch, _, end) = self
                .d
                .view("currentEpoch", self.rewards_as(&deployer).current_epoch())
                .await?;
            self.d.advance_to(end.as_u64()).await?;
            let call = self.rewards_as(&outsider).close_epoch();
            let label = format!("closeEpoch ({count} validators staked, one session)");
            self.measure(REWARDS, &label, call).await?;

            let judge = judges[0].address();
            let (amount, _, quality) = self
                .d
                .view(
                    "validatorReward",
                    self.rewards_as(&deployer).validator_reward(epoch, judge),
                )
                .await?;
            ensure!(
                !amount.is_zero() && !quality.is_zero(),
                "the judge earned nothing (quality {quality})"
            );
            let call = self
                .rewards_as(&outsider)
                .claim_validator_reward(epoch, judge);
            let label = format!("claimValidatorReward ({count} validators staked, into its pool)");
            self.measure(REWARDS, &label, call)
                .await
                .with_context(|| format!("claiming epoch {epoch}"))?;
        }
        Ok(())
    }
}
