//! Step 10: an epoch of the rewards program pays validators by stake times validation quality,
//! the champion's owner and the accepted dataset's contributor, and the validator that keeps
//! backing the worse model is jailed for its low agreement.
use ethers::types::{Bytes, U256};
use ethers::utils::keccak256;

use super::{calldata, ensure, show, tokens, Result, Story, ONE, SESSION_BOND};
use crate::bindings::rewards::Rewards;
use crate::chain::Client;
use crate::lifecycle::driver::Actor;

/// Epoch length the proposal sets (one hour, the shortest allowed).
const EPOCH: u64 = 3_600;
/// Rewards the deployer funds, whole AGENT.
const FUNDING: u64 = 1_000;

impl Story<'_, '_> {
    fn rewards(&self, a: &Actor) -> Rewards<Client> {
        Rewards::new(self.sys.rewards, a.client.clone())
    }

    /// Step 10 (see the module docs).
    pub(in crate::lifecycle) async fn epoch_rewards(&mut self) -> Result<()> {
        self.d.step(
            "10. An epoch pays validators by stake x quality, the champion's owner and the \
             accepted dataset's contributor; the rubber-stamping validator is jailed",
        );
        let deployer = self.deployer.clone();
        let outsider = self.outsider.clone();
        let params = self.rewards(&deployer).set_params(
            EPOCH,
            6_000,
            5_000,
            3,
            1,
            4,
            (ONE / 2) as u64,
            2,
            86_400,
        );
        let emission = self
            .rewards(&deployer)
            .set_emission(U256::zero(), 0, tokens(2), tokens(50));
        let calls = vec![
            (self.sys.rewards, calldata(&params)?),
            (self.sys.rewards, calldata(&emission)?),
        ];
        self.pass(
            "Rewards: one-hour epochs, 60% to validators, half the model side to the champion, \
             top 3, one session per epoch, jail below 50% over 2 sessions (one-day cool-down); \
             2 AGENT per Elo point for datasets and new champions, at most 50",
            calls,
        )
        .await?;

        // Anyone funds the reserve (here the deployer, from its launch supply).
        let call = self
            .token(&deployer)
            .approve(self.sys.rewards, tokens(FUNDING));
        self.send("deployer approves the rewards program", call)
            .await?;
        let call = self.rewards(&deployer).fund(tokens(FUNDING));
        self.send(&format!("deployer funds {FUNDING} AGENT of rewards"), call)
            .await?;
        // The accepted dataset's contributor: a one-time reward for its impact.
        let dataset = U256::one();
        let call = self.rewards(&outsider).reward_dataset(dataset);
        self.send("anyone rewards accepted dataset 1 for its impact", call)
            .await?;
        let call = self.rewards(&outsider).reward_dataset(dataset);
        self.d
            .refused("anyone rewards dataset 1 again", call, "AlreadyRewarded")
            .await?;
        let call = self.rewards(&outsider).reward_dataset(2.into());
        self.d
            .refused(
                "anyone rewards the rejected dataset 2",
                call,
                "DatasetNotAccepted",
            )
            .await?;
        for model in self.models {
            let call = self.rewards(&outsider).nominate(model);
            self.send(&format!("anyone nominates model {model}"), call)
                .await?;
        }

        // Close the epoch running since the deployment (the validators staked after it began,
        // so it pays only the model side); the next one holds a validation session.
        let (_, _, end) = self
            .d
            .view("currentEpoch", self.rewards(&deployer).current_epoch())
            .await?;
        self.d.advance_to(end.as_u64()).await?;
        let call = self.rewards(&outsider).close_epoch();
        let (first, _) = self
            .d
            .send_returning("anyone closes the epoch running since launch", call)
            .await?;
        let champion = self
            .d
            .view("championModel", self.elo(&deployer).champion_model())
            .await?;
        let champion_owner = self.contributors[0].clone();
        let owed = self
            .d
            .view(
                "owed",
                self.rewards(&deployer).owed(champion_owner.address()),
            )
            .await?;
        ensure(!owed.is_zero(), || {
            "the champion's owner got nothing".into()
        })?;
        self.d.note(format!(
            "epoch {first}: champion model {champion} -> its owner {} is credited {} AGENT",
            champion_owner.name,
            show(owed)
        ));

        let session = self.validation_session(champion).await?;
        self.d.increase_time(EPOCH).await?;
        let call = self.rewards(&outsider).close_epoch();
        let (epoch, _) = self
            .d
            .send_returning(
                &format!("anyone closes the epoch of session {session}"),
                call,
            )
            .await?;

        // Validator rewards, claimed by anyone into each validator's vault pool.
        let mut per_stake = Vec::new();
        for v in self.validators.clone() {
            let (amount, stake, quality) = self
                .d
                .view(
                    "validatorReward",
                    self.rewards(&deployer).validator_reward(epoch, v.address()),
                )
                .await?;
            let call = self
                .rewards(&outsider)
                .claim_validator_reward(epoch, v.address());
            if amount.is_zero() {
                self.d
                    .refused(
                        &format!("anyone claims {}'s epoch reward", v.name),
                        call,
                        "NothingToClaim",
                    )
                    .await?;
            } else {
                self.send(
                    &format!("anyone pays {}'s epoch reward into its vault pool", v.name),
                    call,
                )
                .await?;
            }
            self.d.note(format!(
                "{}: stake {} LP x quality {}% -> {} AGENT to its pool ({} AGENT per 1,000 LP)",
                v.name,
                show(stake),
                quality / U256::from(ONE / 100),
                show(amount),
                show(amount * tokens(1_000) / stake.max(U256::one()))
            ));
            per_stake.push((amount * U256::exp10(18) / stake.max(U256::one()), quality));
        }
        ensure(
            per_stake[0].0 > per_stake[2].0 && per_stake[0].1 > per_stake[2].1,
            || {
                format!(
                    "honest {:?} vs rubber stamp {:?}",
                    per_stake[0], per_stake[2]
                )
            },
        )?;
        let v1 = self.validators[0].address();
        let call = self.rewards(&outsider).claim_validator_reward(epoch, v1);
        self.d
            .refused(
                "anyone claims validator-1's reward twice",
                call,
                "AlreadyClaimed",
            )
            .await?;
        let call = self
            .rewards(&outsider)
            .claim_validator_reward(epoch + 1, v1);
        self.d
            .refused("anyone claims the open epoch", call, "EpochNotClosed")
            .await?;
        let delegator = self.delegators[1].clone();
        let pending = self
            .d
            .view(
                "pendingRewards",
                self.vault(&deployer).pending_rewards(delegator.address()),
            )
            .await?;
        self.d.note(format!(
            "{} (delegating to validator-2) can claim {} AGENT in the vault, the pool's part \
             after commission",
            delegator.name,
            show(pending)
        ));

        let before = self.agent_balance(champion_owner.address()).await?;
        let call = self.rewards(&champion_owner).claim();
        self.send(
            &format!(
                "{} claims its champion share and dataset reward",
                champion_owner.name
            ),
            call,
        )
        .await?;
        let received = self.agent_balance(champion_owner.address()).await? - before;
        ensure(received > owed, || {
            format!("claimed {received}, champion share alone {owed}")
        })?;
        self.d.note(format!(
            "{} received {} AGENT (champion share + dataset impact reward)",
            champion_owner.name,
            show(received)
        ));

        // The low-agreement jail: anyone, against the checkpointed records.
        // Since launch: the span covers every session validator-3 took part in.
        let since = U256::one();
        let call = self
            .rewards(&outsider)
            .jail_low_agreement(self.validators[0].address(), since);
        self.d
            .refused("anyone jails honest validator-1", call, "AgreementNotLow")
            .await?;
        let v3 = self.validators[2].clone();
        let call = self
            .rewards(&outsider)
            .jail_low_agreement(v3.address(), since);
        self.send(
            "anyone jails validator-3 for its agreement below 50% over its sessions",
            call,
        )
        .await?;
        let power = self
            .d
            .view("getVotes", self.vault(&deployer).get_votes(v3.address()))
            .await?;
        ensure(power.is_zero(), || format!("validator-3 still has {power}"))?;
        let call = self.rewards(&v3).release_from_jail(v3.address());
        self.d
            .refused(
                "validator-3 leaves jail before its cool-down",
                call,
                "CooldownActive",
            )
            .await?;
        let (funded, paid, claimable, reserve) = self
            .d
            .view("totals", self.rewards(&deployer).totals())
            .await?;
        ensure(funded == paid + claimable + reserve, || {
            "rewards do not add up".into()
        })?;
        self.d.note(format!(
            "validator-3 jailed: voting power 0. Rewards: funded {}, paid {}, claimable {}, \
             reserve {} AGENT",
            show(funded),
            show(paid),
            show(claimable),
            show(reserve)
        ));
        Ok(())
    }

    /// One session of the bad fine-tune against the champion in which validators 1 and 2
    /// judge honestly and validator 3 rubber-stamps the challenger; returns its id.
    async fn validation_session(&mut self, champion: U256) -> Result<U256> {
        let deployer = self.deployer.clone();
        let requester = self.contributors[1].clone();
        let candidate = self.models[2];
        let seed = keccak256(format!("seed of the epoch session {candidate}"));
        let call = self
            .elo(&requester)
            .request_session(candidate, champion)
            .value(SESSION_BOND);
        let (id, _) = self
            .d
            .send_returning(
                &format!(
                    "{} requests model {candidate} vs champion {champion}",
                    requester.name
                ),
                call,
            )
            .await?;
        let call = self
            .elo(&deployer)
            .open_session(id, keccak256(seed))
            .value(SESSION_BOND);
        self.send(&format!("the operator opens session {id}"), call)
            .await?;
        let mut votes = Vec::new();
        for (i, v) in self.validators.clone().iter().enumerate() {
            // A = candidate (worse), B = champion; validator 3 backs the candidate.
            let a_wins = i == 2;
            let x_is_b = keccak256([&seed[..], v.address().as_bytes()].concat())[31] & 1 == 1;
            let code = u8::from(a_wins == x_is_b);
            let results = vec![code; 10];
            let salt = keccak256(format!("epoch salt {id} {}", v.name));
            let commitment = keccak256([&results[..], &salt[..], v.address().as_bytes()].concat());
            let call = self.elo(v).commit_vote(id, commitment);
            self.send(&format!("{} commits in session {id}", v.name), call)
                .await?;
            votes.push((v.clone(), results, salt));
        }
        self.d.increase_time(3_600).await?;
        let call = self.elo(&deployer).reveal_seed(id, seed);
        self.send(
            &format!("the operator reveals the seed of session {id}"),
            call,
        )
        .await?;
        for (v, results, salt) in votes {
            let call = self.elo(&v).reveal_vote(id, Bytes::from(results), salt);
            self.send(&format!("{} reveals in session {id}", v.name), call)
                .await?;
        }
        self.d.increase_time(3_600).await?;
        let call = self.elo(&deployer).finalize_session(id);
        self.send(&format!("anyone finalizes session {id}"), call)
            .await?;
        Ok(id)
    }
}
