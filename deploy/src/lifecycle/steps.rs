//! The steps of the story (see the module docs of [`super`]).
use ethers::abi::{AbiEncode, Detokenize};
use ethers::contract::{parse_log, ContractCall};
use ethers::types::{Address, Bytes, TransactionReceipt, I256, U256};
use ethers::utils::{format_units, keccak256};

use super::driver::{Actor, Driver};
use super::{ensure, merkle, LifecycleError, System};
use crate::bindings::agent_token::AgentToken;
use crate::bindings::elo_ledger::EloLedger;
use crate::bindings::oml_registry::OmlRegistry;
use crate::bindings::staking_vault::StakingVault;
use crate::bindings::subdao::{ProposalCreatedFilter, ProposalQueuedFilter, SubDao};
use crate::chain::Client;

mod epoch;
mod revenue;

type Result<T> = std::result::Result<T, LifecycleError>;

/// Proposal states (OpenZeppelin Governor numbering).
const EXECUTED: u8 = 7;
/// Vote types.
const AGAINST: u8 = 0;
const FOR: u8 = 1;
/// Validator commission, basis points.
const COMMISSION_BPS: u16 = 1_000;
/// Elo ledger: 1e18 = one rating point / full agreement.
const ONE: u128 = 1_000_000_000_000_000_000;
/// Session bond a requester posts, and the operator with each session it opens, wei.
const SESSION_BOND: u64 = 10_000_000_000_000_000;
/// OML claim kind: leaked copy.
const LEAKED_COPY: u8 = 0;
/// OML license state after a slash.
const LICENSE_SLASHED: u8 = 4;

/// `n` whole tokens (18 decimals).
fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::exp10(18)
}

/// `value` (18 decimals) as a short decimal string.
fn show(value: U256) -> String {
    let text = format_units(value, 18).unwrap_or_else(|_| value.to_string());
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    trimmed.to_string()
}

/// An Elo rating (18-decimal fixed point) in points with two decimals.
fn points(rating: I256) -> String {
    let hundredths = rating / I256::from(ONE / 100);
    let sign = if hundredths.is_negative() { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, (abs % 100).as_u64())
}

/// A proposal as published in `ProposalCreated` (what `execute` needs).
#[derive(Debug, Clone)]
struct Proposal {
    id: U256,
    targets: Vec<Address>,
    values: Vec<U256>,
    calldatas: Vec<Bytes>,
    description_hash: [u8; 32],
    vote_start: u64,
    vote_end: u64,
}

/// The story's actors, contracts and ids.
pub(super) struct Story<'d, 'n> {
    d: &'d mut Driver<'n>,
    sys: System,
    deployer: Actor,
    validators: Vec<Actor>,
    delegators: Vec<Actor>,
    trader: Actor,
    pool: Actor,
    modeler: Actor,
    contributors: Vec<Actor>,
    host: Actor,
    prover: Actor,
    outsider: Actor,
    /// Elo ids: base, good fine-tune, bad fine-tune.
    models: [U256; 3],
}

impl<'d, 'n> Story<'d, 'n> {
    /// Funds the actors.
    pub(super) async fn new(d: &'d mut Driver<'n>, sys: System) -> Result<Story<'d, 'n>> {
        d.step("0. Accounts");
        let deployer = Actor {
            name: "deployer".into(),
            client: d.chain.client.clone(),
        };
        let mut validators = Vec::new();
        let mut delegators = Vec::new();
        for i in 1..=3 {
            validators.push(d.actor(&format!("validator-{i}"), 2).await?);
            delegators.push(d.actor(&format!("delegator-{i}"), 2).await?);
        }
        let trader = d.actor("trader", 2).await?;
        let pool = d.actor("pool", 1).await?;
        let modeler = d.actor("model-owner", 2).await?;
        let contributors = vec![
            d.actor("contributor-1", 2).await?,
            d.actor("contributor-2", 2).await?,
        ];
        let host = d.actor("host", 5).await?;
        let prover = d.actor("prover", 2).await?;
        let outsider = d.actor("outsider", 1).await?;
        d.note(format!(
            "funded 15 accounts from the deployer {:#x} (keys: keccak256(\"agentdao lifecycle: <role>\"))",
            deployer.address()
        ));
        Ok(Self {
            d,
            sys,
            deployer,
            validators,
            delegators,
            trader,
            pool,
            modeler,
            contributors,
            host,
            prover,
            outsider,
            models: [U256::zero(); 3],
        })
    }

    fn token(&self, a: &Actor) -> AgentToken<Client> {
        AgentToken::new(self.sys.token, a.client.clone())
    }
    fn lp(&self, a: &Actor) -> AgentToken<Client> {
        AgentToken::new(self.sys.lp_token, a.client.clone())
    }
    fn vault(&self, a: &Actor) -> StakingVault<Client> {
        StakingVault::new(self.sys.vault, a.client.clone())
    }
    fn elo(&self, a: &Actor) -> EloLedger<Client> {
        EloLedger::new(self.sys.elo, a.client.clone())
    }
    fn dao(&self, a: &Actor) -> SubDao<Client> {
        SubDao::new(self.sys.subdao, a.client.clone())
    }
    fn oml(&self, a: &Actor) -> OmlRegistry<Client> {
        OmlRegistry::new(self.sys.oml, a.client.clone())
    }

    async fn send<D: Detokenize>(
        &mut self,
        what: &str,
        call: ContractCall<Client, D>,
    ) -> Result<TransactionReceipt> {
        self.d.send(what, call).await
    }

    async fn agent_balance(&self, account: Address) -> Result<U256> {
        self.d
            .view(
                "agent-token.balanceOf",
                self.token(&self.deployer).balance_of(account),
            )
            .await
    }

    async fn lp_balance(&self, account: Address) -> Result<U256> {
        self.d
            .view("lp.balanceOf", self.lp(&self.deployer).balance_of(account))
            .await
    }

    // ----- governance -----

    async fn propose(&mut self, what: &str, call: ContractCall<Client, U256>) -> Result<Proposal> {
        let receipt = self.send(what, call).await?;
        let created = receipt
            .logs
            .iter()
            .find_map(|log| parse_log::<ProposalCreatedFilter>(log.clone()).ok())
            .ok_or_else(|| LifecycleError::check(format!("{what}: no ProposalCreated event")))?;
        Ok(Proposal {
            id: created.proposal_id,
            targets: created.targets,
            values: created.values,
            calldatas: created.calldatas,
            description_hash: keccak256(&created.description),
            vote_start: created.vote_start,
            vote_end: created.vote_end,
        })
    }

    fn execute_call(&self, who: &Actor, p: &Proposal) -> ContractCall<Client, U256> {
        self.dao(who).execute(
            p.targets.clone(),
            p.values.clone(),
            p.calldatas.clone(),
            p.description_hash,
        )
    }

    /// Every validator votes (support per validator) once voting opens; returns the weights.
    async fn vote(&mut self, p: &Proposal, supports: [u8; 3]) -> Result<Vec<U256>> {
        self.d.advance_to(p.vote_start + 1).await?;
        let mut weights = Vec::new();
        for (i, support) in supports.into_iter().enumerate() {
            let v = self.validators[i].clone();
            let word = if support == FOR { "for" } else { "against" };
            let call = self.dao(&v).cast_vote(p.id, support);
            let (weight, _) = self
                .d
                .send_returning(&format!("{} votes {word}", v.name), call)
                .await?;
            weights.push(weight);
        }
        Ok(weights)
    }

    /// Closes voting, queues, waits for the timelock and executes.
    async fn queue_and_execute(&mut self, p: &Proposal) -> Result<()> {
        self.d.advance_to(p.vote_end + 1).await?;
        let call = self.dao(&self.outsider).queue(p.id);
        let receipt = self.send("anyone queues it", call).await?;
        // The eta of the mined transaction (a simulation's answer can be a second early when
        // the block is mined in the next second).
        let queued = receipt
            .logs
            .iter()
            .find_map(|log| parse_log::<ProposalQueuedFilter>(log.clone()).ok())
            .ok_or_else(|| LifecycleError::check("queue: no ProposalQueued event"))?;
        self.d.advance_to(queued.eta).await?;
        let call = self.execute_call(&self.outsider, p);
        self.send("anyone executes it after the timelock", call)
            .await?;
        let state = self
            .d
            .view("subdao.state", self.dao(&self.deployer).state(p.id))
            .await?;
        ensure(state == EXECUTED, || {
            format!("proposal state {state}, want executed")
        })
    }

    /// Proposes `calls` (target, calldata) as validator 1 and passes them with every vote For.
    async fn pass(&mut self, description: &str, calls: Vec<(Address, Bytes)>) -> Result<()> {
        let (targets, calldatas): (Vec<_>, Vec<_>) = calls.into_iter().unzip();
        let values = vec![U256::zero(); targets.len()];
        let v1 = self.validators[0].clone();
        let call = self
            .dao(&v1)
            .propose(targets, values, calldatas, text(description));
        let p = self
            .propose(&format!("validator-1 proposes \"{description}\""), call)
            .await?;
        self.vote(&p, [FOR, FOR, FOR]).await?;
        self.queue_and_execute(&p).await
    }

    // ----- 1 -----

    pub(super) async fn stake_and_delegate(&mut self) -> Result<()> {
        self.d
            .step("1. LPs stake LP tokens and delegate to three validators");
        let delegated = [400u64, 300, 200];
        let t0 = self.d.now().await?;
        self.d.increase_time(10).await?;
        for (i, &delegation) in delegated.iter().enumerate() {
            let v = self.validators[i].clone();
            let call = self.vault(&v).register_validator(
                COMMISSION_BPS.into(),
                text(&format!("https://{}.example/agentdao", v.name)),
            );
            self.send(&format!("{} registers (commission 10%)", v.name), call)
                .await?;
            let stakers = [
                (v.clone(), 100u64),
                (self.delegators[i].clone(), delegation),
            ];
            for (staker, amount) in stakers {
                let call = self
                    .lp(&self.deployer)
                    .transfer(staker.address(), tokens(amount));
                self.send(&format!("deployer sends {} {amount} LP", staker.name), call)
                    .await?;
                let call = self.lp(&staker).approve(self.sys.vault, tokens(amount));
                self.send(&format!("{} approves the vault", staker.name), call)
                    .await?;
                let call = self.vault(&staker).stake(v.address(), tokens(amount));
                self.send(
                    &format!("{} stakes {amount} LP with {}", staker.name, v.name),
                    call,
                )
                .await?;
            }
        }
        let t1 = self.d.now().await?;
        self.d.increase_time(10).await?;
        let deployer = self.deployer.clone();
        for (i, want) in [500u64, 400, 300].into_iter().enumerate() {
            let v = self.validators[i].address();
            let now = self
                .d
                .view("getVotes", self.vault(&deployer).get_votes(v))
                .await?;
            let then = self
                .d
                .view(
                    "getPastVotes",
                    self.vault(&deployer).get_past_votes(v, t1.into()),
                )
                .await?;
            let before = self
                .d
                .view(
                    "getPastVotes",
                    self.vault(&deployer).get_past_votes(v, t0.into()),
                )
                .await?;
            ensure(
                now == tokens(want) && then == tokens(want) && before.is_zero(),
                || {
                    format!(
                        "validator-{} power {now}/{then}/{before}, want {want} LP",
                        i + 1
                    )
                },
            )?;
            self.d.note(format!(
                "validator-{} voting power {} LP (checkpoint at t={t1}: {}, at t={t0}: {})",
                i + 1,
                show(now),
                show(then),
                show(before)
            ));
        }
        let total = self
            .d
            .view(
                "getPastTotalSupply",
                self.vault(&deployer).get_past_total_supply(t1.into()),
            )
            .await?;
        ensure(total == tokens(1_200), || format!("total power {total}"))?;
        self.d
            .note(format!("total voting power {} LP", show(total)));
        Ok(())
    }

    // ----- 2 -----

    pub(super) async fn tax_and_rewards(&mut self) -> Result<()> {
        self.d
            .step("2. Trading pays 1% tax to the treasury; the treasury funds vault rewards");
        let (trader, pool, deployer) = (
            self.trader.clone(),
            self.pool.clone(),
            self.deployer.clone(),
        );
        let call = self
            .token(&deployer)
            .transfer(trader.address(), tokens(100_000));
        self.send("deployer sends the trader 100,000 AGENT", call)
            .await?;
        let treasury_before = self.agent_balance(self.sys.subdao).await?;
        let pool_before = self.agent_balance(pool.address()).await?;
        let amount = tokens(20_000);
        let quoted = self
            .d
            .view(
                "quoteTax",
                self.token(&deployer)
                    .quote_tax(trader.address(), pool.address(), amount),
            )
            .await?;
        let call = self.token(&trader).transfer(pool.address(), amount);
        self.send("trader sells 20,000 AGENT into the pool", call)
            .await?;
        let tax = self.agent_balance(self.sys.subdao).await? - treasury_before;
        let received = self.agent_balance(pool.address()).await? - pool_before;
        ensure(
            tax == tokens(200) && quoted == tax && received == amount - tax,
            || format!("tax {tax} (quoted {quoted}), pool received {received}"),
        )?;
        self.d.note(format!(
            "treasury (SubDAO) received {} AGENT tax; the pool {} AGENT",
            show(tax),
            show(received)
        ));

        // Attack: an account without stake cannot propose.
        let outsider = self.outsider.clone();
        let call = self.dao(&outsider).propose(
            vec![self.sys.token],
            vec![U256::zero()],
            vec![Bytes::from(
                crate::bindings::agent_token::TransferCall {
                    to: outsider.address(),
                    value: tax,
                }
                .encode(),
            )],
            text("give me the treasury"),
        );
        let before = self.agent_balance(self.sys.subdao).await?;
        self.d
            .refused(
                "outsider proposes to take the treasury",
                call,
                "ProposerBelowThreshold",
            )
            .await?;
        ensure(self.agent_balance(self.sys.subdao).await? == before, || {
            "treasury changed".into()
        })?;

        let reward = tokens(120);
        let approve = self.token(&deployer).approve(self.sys.vault, reward);
        let notify = self.vault(&deployer).notify_reward_amount(reward);
        let calls = vec![
            (self.sys.token, calldata(&approve)?),
            (self.sys.vault, calldata(&notify)?),
        ];
        self.pass("Fund vault rewards with 120 AGENT from the treasury", calls)
            .await?;
        // The vault streams a notification over its unbonding period: wait for all of it.
        let (_, _, _, duration, _, _) = self
            .d
            .view("parameters", self.vault(&deployer).parameters())
            .await?;
        self.d.increase_time(duration.as_u64() + 1).await?;
        self.d.note(format!(
            "  the 120 AGENT stream to the stakers over the unbonding period ({} s)",
            duration.as_u64()
        ));

        // Validator i's pool gets reward × power share; it keeps 10% commission and its
        // 100 LP self-stake earns like the delegator's stake.
        let expected = [(36u64, 14u64), (27, 13), (18, 12)];
        for (i, &(delegator_reward, validator_reward)) in expected.iter().enumerate() {
            for (actor, want) in [
                (self.delegators[i].clone(), delegator_reward),
                (self.validators[i].clone(), validator_reward),
            ] {
                let before = self.agent_balance(actor.address()).await?;
                let call = self.vault(&actor).claim_rewards();
                self.send(&format!("{} claims rewards", actor.name), call)
                    .await?;
                let got = self.agent_balance(actor.address()).await? - before;
                // The reward accumulator rounds down per unit of power: allow dust.
                let dust = U256::exp10(6);
                let want = tokens(want);
                ensure(got <= want && want - got <= dust, || {
                    format!("{} claimed {got}, want {want}", actor.name)
                })?;
                self.d
                    .note(format!("  {} received {} AGENT", actor.name, show(got)));
            }
        }
        Ok(())
    }

    // ----- 3 -----

    pub(super) async fn validate_models(&mut self) -> Result<()> {
        self.d.step(
            "3. Models and datasets registered; commit-reveal validation against the champion",
        );
        let (modeler, c1, c2, deployer) = (
            self.modeler.clone(),
            self.contributors[0].clone(),
            self.contributors[1].clone(),
            self.deployer.clone(),
        );
        let call = self.elo(&modeler).register_model(
            keccak256("base model"),
            text("ipfs://base"),
            0.into(),
            0.into(),
        );
        let (base, _) = self
            .d
            .send_returning("model-owner registers the base model", call)
            .await?;
        let mut datasets = Vec::new();
        for (c, name) in [(&c1, "curated-dialogues"), (&c2, "scraped-spam")] {
            let call = self
                .elo(c)
                .register_dataset(keccak256(name), text(&format!("ipfs://{name}")));
            let (id, _) = self
                .d
                .send_returning(&format!("{} registers dataset \"{name}\"", c.name), call)
                .await?;
            datasets.push(id);
        }
        let mut tuned = Vec::new();
        for (c, dataset, name) in [(&c1, datasets[0], "good"), (&c2, datasets[1], "bad")] {
            let call = self.elo(c).register_model(
                keccak256(format!("{name} fine-tune")),
                text(&format!("ipfs://{name}-fine-tune")),
                base,
                dataset,
            );
            let (id, _) = self
                .d
                .send_returning(
                    &format!(
                        "{} registers model {name} fine-tune (parent {base})",
                        c.name
                    ),
                    call,
                )
                .await?;
            tuned.push(id);
        }
        self.models = [base, tuned[0], tuned[1]];

        let set_params = self.elo(&deployer).set_params(
            3_600,
            3_600,
            3,
            64,
            SESSION_BOND.into(),
            10,
            I256::from(ONE),
            2_000,
            (ONE / 2) as u64,
            25,
        );
        // The deployer, who owns no model, serves the sessions as the operator.
        let appoint =
            self.elo(&deployer)
                .set_validation(deployer.address(), SESSION_BOND.into(), ONE.into());
        let crown = self.elo(&deployer).upgrade_model(base, U256::zero());
        let calls = vec![
            (self.sys.elo, calldata(&set_params)?),
            (self.sys.elo, calldata(&appoint)?),
            (self.sys.elo, calldata(&crown)?),
        ];
        self.pass(
            "Elo: one-hour windows, 3 reveals, 10 games (one session) per dataset, 25-resample upgrade gate; \
             the deployer is the session operator (bond, minimum stake 1 LP); crown the base model",
            calls,
        )
        .await?;
        let champion = self
            .d
            .view("championModel", self.elo(&deployer).champion_model())
            .await?;
        ensure(champion == base, || format!("champion {champion}"))?;
        self.d.note(format!("champion: model {champion}"));

        // Two sessions against the champion, requested by the contributors and opened by the
        // operator; validators 1 and 2 judge honestly, validator 3 backs the worse model every
        // round.
        let mut sessions = Vec::new();
        for (requester, candidate, good) in [(&c1, tuned[0], true), (&c2, tuned[1], false)] {
            let seed = keccak256(format!("seed of session {candidate}"));
            let call = self
                .elo(requester)
                .request_session(candidate, base)
                .value(SESSION_BOND);
            let (id, _) = self
                .d
                .send_returning(
                    &format!(
                        "{} requests a session: model {candidate} vs champion {base}",
                        requester.name
                    ),
                    call,
                )
                .await?;
            let call = self.elo(requester).open_session(id, keccak256(seed));
            self.d
                .refused(
                    &format!("{} opens it on a seed of its own", requester.name),
                    call,
                    "NotOperator",
                )
                .await?;
            let call = self
                .elo(&deployer)
                .open_session(id, keccak256(seed))
                .value(SESSION_BOND);
            self.send(
                &format!("the operator opens session {id} on its committed seed"),
                call,
            )
            .await?;
            sessions.push((id, seed, good, deployer.clone()));
        }
        let mut votes = Vec::new();
        for (session, seed, candidate_is_better, _) in &sessions {
            for (i, v) in self.validators.clone().iter().enumerate() {
                let honest = i < 2;
                // A = candidate, B = champion.
                let a_wins = *candidate_is_better == honest;
                let x_is_b = keccak256([&seed[..], v.address().as_bytes()].concat())[31] & 1 == 1;
                // 0 = X won, 1 = Y won.
                let code = u8::from(a_wins == x_is_b);
                let results = vec![code; 10];
                let salt = keccak256(format!("salt {session} {}", v.name));
                let commitment =
                    keccak256([&results[..], &salt[..], v.address().as_bytes()].concat());
                let call = self.elo(v).commit_vote(*session, commitment);
                self.send(
                    &format!("{} commits its hidden vote in session {session}", v.name),
                    call,
                )
                .await?;
                votes.push((*session, v.clone(), results, salt));
            }
        }
        self.d.increase_time(3_600).await?;
        for (session, seed, _, opener) in &sessions {
            let call = self.elo(opener).reveal_seed(*session, *seed);
            self.send(
                &format!("the operator reveals the seed of session {session}"),
                call,
            )
            .await?;
        }
        for (session, v, results, salt) in &votes {
            let call = self
                .elo(v)
                .reveal_vote(*session, Bytes::from(results.clone()), *salt);
            self.send(
                &format!("{} reveals its vote in session {session}", v.name),
                call,
            )
            .await?;
        }
        self.d.increase_time(3_600).await?;
        for (session, ..) in &sessions {
            let call = self.elo(&deployer).finalize_session(*session);
            self.send(&format!("anyone finalizes session {session}"), call)
                .await?;
        }
        let mut ratings = Vec::new();
        for id in self.models {
            let rating = self
                .d
                .view("ratingOf", self.elo(&deployer).rating_of(id))
                .await?;
            self.d.note(format!("model {id} Elo {}", points(rating)));
            ratings.push(rating);
        }
        ensure(ratings[1] > ratings[0] && ratings[2] < ratings[0], || {
            format!("ratings {ratings:?}")
        })?;
        let (ids, ..) = self
            .d
            .view("topModels", self.elo(&deployer).top_models(3.into()))
            .await?;
        ensure(ids.first() == Some(&tuned[0]), || {
            format!("leaderboard {ids:?}")
        })?;
        self.d.note(format!("leaderboard: {ids:?}"));

        for (dataset, want_accepted) in [(datasets[0], true), (datasets[1], false)] {
            let call = self.elo(&deployer).finalize_dataset(dataset);
            self.send(&format!("anyone finalizes dataset {dataset}"), call)
                .await?;
            let (_, _, _, status, impact) = self
                .d
                .view("datasetInfo", self.elo(&deployer).dataset_info(dataset))
                .await?;
            let want = if want_accepted { 1 } else { 2 };
            ensure(status == want, || {
                format!("dataset {dataset} status {status}")
            })?;
            self.d.note(format!(
                "dataset {dataset}: impact {} points -> {}",
                points(impact),
                if want_accepted {
                    "accepted"
                } else {
                    "rejected"
                }
            ));
        }
        for (i, v) in self.validators.clone().iter().enumerate() {
            let (_, _, average, sessions) = self
                .d
                .view(
                    "validatorRecord",
                    self.elo(&deployer)
                        .validator_record(v.address(), U256::zero()),
                )
                .await?;
            let low = average < U256::from(ONE / 2);
            ensure(low == (i == 2), || {
                format!("{} agreement {average}", v.name)
            })?;
            self.d.note(format!(
                "{} agreement with consensus {}% over {sessions} sessions{}",
                v.name,
                average / U256::from(ONE / 100),
                if low {
                    " - below the 50% threshold"
                } else {
                    ""
                }
            ));
        }
        Ok(())
    }

    // ----- 4 -----

    pub(super) async fn upgrade_champion(&mut self) -> Result<()> {
        self.d
            .step("4. A model-upgrade proposal passes and the champion changes");
        let [base, good, _] = self.models;
        let outsider = self.outsider.clone();
        let call = self
            .dao(&outsider)
            .propose_model_upgrade(good, text("outsider's upgrade"));
        self.d
            .refused(
                "outsider proposes an upgrade",
                call,
                "ProposerBelowThreshold",
            )
            .await?;
        let v1 = self.validators[0].clone();
        let call = self.dao(&v1).propose_model_upgrade(
            good,
            text(&format!("Model {good} beats champion {base} in Elo")),
        );
        let p = self
            .propose(
                &format!("validator-1 proposes model {good} as champion"),
                call,
            )
            .await?;
        let call = self.execute_call(&outsider, &p);
        self.d
            .refused("executing before the vote", call, "UnexpectedProposalState")
            .await?;
        self.d.advance_to(p.vote_start + 1).await?;
        let call = self.dao(&outsider).cast_vote(p.id, FOR);
        self.d
            .refused("outsider votes", call, "NoVotingPower")
            .await?;
        let weights = self.vote(&p, [FOR, FOR, AGAINST]).await?;
        self.d.note(format!(
            "for {} LP, against {} LP (quorum 4% of 1200 LP)",
            show(weights[0] + weights[1]),
            show(weights[2])
        ));
        self.d.advance_to(p.vote_end + 1).await?;
        let call = self.dao(&outsider).queue(p.id);
        let receipt = self.send("anyone queues it", call).await?;
        // The eta of the mined transaction, not of a simulation a second earlier.
        let eta = receipt
            .logs
            .iter()
            .find_map(|log| parse_log::<ProposalQueuedFilter>(log.clone()).ok())
            .ok_or_else(|| LifecycleError::check("queue: no ProposalQueued event"))?
            .eta;
        let call = self.execute_call(&outsider, &p);
        self.d
            .refused("executing inside the timelock", call, "TimelockNotElapsed")
            .await?;
        self.d.advance_to(eta).await?;
        let call = self.execute_call(&outsider, &p);
        self.send("anyone executes it after the timelock", call)
            .await?;
        let champion = self
            .d
            .view("championModel", self.elo(&outsider).champion_model())
            .await?;
        ensure(champion == good, || format!("champion {champion}"))?;
        self.d
            .note(format!("champion: model {base} -> model {champion}"));
        Ok(())
    }

    // ----- 5 -----

    pub(super) async fn slash_bad_validator(&mut self) -> Result<()> {
        self.d
            .step("5. The validator who backed the bad model is slashed by proposal");
        let (v1, v3, d3) = (
            self.validators[0].clone(),
            self.validators[2].clone(),
            self.delegators[2].clone(),
        );
        let (stake_before, power_before, treasury_lp) = self.slash_view(&d3, &v3).await?;
        let reason = keccak256("validator-3 approved model 3 against the consensus");
        let call = self
            .dao(&v1)
            .propose_slash(v3.address(), 5_000.into(), reason);
        let p = self
            .propose("validator-1 proposes slashing validator-3 by 50%", call)
            .await?;
        self.vote(&p, [FOR, FOR, AGAINST]).await?;
        self.queue_and_execute(&p).await?;
        let (stake_after, power_after, treasury_after) = self.slash_view(&d3, &v3).await?;
        ensure(
            power_after * 2 == power_before && stake_after * 2 == stake_before,
            || format!("power {power_before}->{power_after}, stake {stake_before}->{stake_after}"),
        )?;
        ensure(
            treasury_after - treasury_lp == power_before - power_after,
            || "slashed LP did not reach the treasury".into(),
        )?;
        self.d.note(format!(
            "validator-3 power {} -> {} LP; delegator-3 stake {} -> {} LP; treasury +{} LP",
            show(power_before),
            show(power_after),
            show(stake_before),
            show(stake_after),
            show(treasury_after - treasury_lp)
        ));
        Ok(())
    }

    async fn oml_credit(&self, who: Address) -> Result<U256> {
        let call = self.oml(&self.deployer).credit(Address::zero(), who);
        self.d.view("oml.credit", call).await
    }

    async fn slash_view(&self, delegator: &Actor, v: &Actor) -> Result<(U256, U256, U256)> {
        let vault = self.vault(&self.deployer);
        let (validators, values) = self
            .d
            .view("delegationsOf", vault.delegations_of(delegator.address()))
            .await?;
        let stake = validators
            .iter()
            .position(|a| *a == v.address())
            .and_then(|i| values.get(i).copied())
            .unwrap_or_default();
        let power = self
            .d
            .view("getVotes", vault.get_votes(v.address()))
            .await?;
        let treasury = self.lp_balance(self.sys.subdao).await?;
        Ok((stake, power, treasury))
    }

    // ----- 6 -----

    pub(super) async fn oml_license_and_claim(&mut self) -> Result<()> {
        self.d
            .step("6. OML: license with collateral, usage fees cascade, a leaked copy is slashed");
        let (modeler, c1, host, prover) = (
            self.modeler.clone(),
            self.contributors[0].clone(),
            self.host.clone(),
            self.prover.clone(),
        );
        let eth = U256::exp10(18);
        let collateral = eth;
        let fee = eth / 100;
        // (asset, usageFee, collateral, creator, ancestors, provers, protocol, decay, maxDepth)
        let terms = (
            Address::zero(),
            fee,
            collateral,
            6_000u16,
            2_000u16,
            1_000u16,
            1_000u16,
            10_000u16,
            2u8,
        );
        let call = self.oml(&modeler).register_model(
            keccak256("base model"),
            text("ipfs://base"),
            0,
            terms,
        );
        let (parent, _) = self
            .d
            .send_returning("model-owner registers the base model in OML", call)
            .await?;
        let call = self.oml(&c1).register_model(
            keccak256("good fine-tune"),
            text("ipfs://good-fine-tune"),
            parent,
            terms,
        );
        let (child, _) = self
            .d
            .send_returning(
                &format!("contributor-1 registers its fine-tune (parent {parent})"),
                call,
            )
            .await?;
        let call = self.oml(&host).request_license(child).value(collateral);
        let (license, _) = self
            .d
            .send_returning("host deposits 1 ETH collateral for a license", call)
            .await?;
        let fingerprints: Vec<[u8; 32]> = (0..4)
            .map(|i| {
                merkle::fingerprint(
                    format!("key-{i}").as_bytes(),
                    format!("response-{i}").as_bytes(),
                )
            })
            .collect();
        let tree = merkle::Tree::new(fingerprints.clone())
            .ok_or_else(|| LifecycleError::check("no fingerprints"))?;
        let call = self
            .oml(&c1)
            .set_fingerprint_root(license, tree.root(), tree.depth());
        self.send(
            "contributor-1 commits the copy's fingerprint root (depth 2)",
            call,
        )
        .await?;
        let units = 10u64;
        let call = self
            .oml(&host)
            .report_usage(license, units)
            .value(fee * units);
        self.send("host reports 10 units of usage and pays 0.1 ETH", call)
            .await?;
        let parent_credit = self.oml_credit(modeler.address()).await?;
        let creator_credit = self.oml_credit(c1.address()).await?;
        let paid = fee * units;
        ensure(
            parent_credit == paid / 5 && creator_credit == paid * 6 / 10,
            || format!("credits parent {parent_credit} creator {creator_credit}"),
        )?;
        self.d.note(format!(
            "fee 0.1 ETH: creator {} ETH, parent's owner {} ETH (cascade)",
            show(creator_credit),
            show(parent_credit)
        ));

        // The host starts leaving; the cooldown passes.
        let call = self.oml(&host).terminate_license(license);
        self.send("host terminates the license (cooldown starts)", call)
            .await?;
        let (_, challenge_window, cooldown, bond_bps, bounty_bps, _) = self
            .d
            .view("oml.params", self.oml(&self.deployer).params())
            .await?;
        self.d.increase_time(cooldown + 1).await?;

        // A prover found the copy answering two fingerprints.
        let mut leaves: Vec<([u8; 32], Vec<[u8; 32]>)> = [1usize, 3]
            .into_iter()
            .map(|i| (fingerprints[i], tree.proof(i)))
            .collect();
        leaves.sort();
        let bond = collateral * U256::from(bond_bps) / U256::from(10_000u64);
        let evidence = keccak256("transcript of the leaked deployment");
        let mut forged = leaves.clone();
        forged[0].0 = merkle::fingerprint(b"key-1", b"a different response");
        forged.sort();
        let prover_eth = self.d.eth_balance(prover.address()).await?;
        let call = self
            .oml(&prover)
            .submit_claim(
                license,
                LEAKED_COPY,
                vec![tree.root()],
                vec![Vec::new()],
                evidence,
                0.into(),
            )
            .value(bond);
        self.d
            .refused(
                "prover passes the public root off as a fingerprint",
                call,
                "WrongProofLength",
            )
            .await?;
        let call = self
            .oml(&prover)
            .submit_claim(
                license,
                LEAKED_COPY,
                forged.iter().map(|l| l.0).collect(),
                forged.iter().map(|l| l.1.clone()).collect(),
                evidence,
                0.into(),
            )
            .value(bond);
        self.d
            .refused("prover claims with a forged proof", call, "InvalidProof")
            .await?;
        let spent = prover_eth - self.d.eth_balance(prover.address()).await?;
        ensure(spent < bond, || "the forged claim kept the bond".into())?;
        let call = self
            .oml(&prover)
            .submit_claim(
                license,
                LEAKED_COPY,
                leaves.iter().map(|l| l.0).collect(),
                leaves.iter().map(|l| l.1.clone()).collect(),
                evidence,
                0.into(),
            )
            .value(bond);
        let (claim, _) = self
            .d
            .send_returning(
                "prover submits a leaked-copy claim with two fingerprints",
                call,
            )
            .await?;
        let host_credit = self.oml_credit(host.address()).await?;
        let call = self.oml(&host).close_license(license);
        self.d
            .refused(
                "host withdraws its collateral during the claim",
                call,
                "ClaimPending",
            )
            .await?;
        ensure(
            self.oml_credit(host.address()).await? == host_credit,
            || "host credit changed".into(),
        )?;
        self.d.increase_time(challenge_window + 1).await?;
        let call = self.oml(&prover).finalize_claim(claim);
        self.send(
            "anyone finalizes the claim after the challenge window",
            call,
        )
        .await?;
        let (_, _, _, _, state, ..) = self
            .d
            .view("license", self.oml(&self.deployer).license(license))
            .await?;
        let prover_credit = self.oml_credit(prover.address()).await?;
        let bounty = collateral * U256::from(bounty_bps) / U256::from(10_000u64);
        // The prover also collects half of the model's provers' pool (10% of the usage fees
        // paid), capped at the collateral.
        let provers_pool = (paid / 10 / 2).min(collateral);
        ensure(
            state == LICENSE_SLASHED && prover_credit == bond + bounty + provers_pool,
            || format!("license state {state}, prover credit {prover_credit}"),
        )?;
        let before = self.d.eth_balance(prover.address()).await?;
        let call = self.oml(&prover).withdraw(Address::zero());
        let receipt = self.send("prover withdraws bond and bounty", call).await?;
        let gas_cost =
            receipt.gas_used.unwrap_or_default() * receipt.effective_gas_price.unwrap_or_default();
        let after = self.d.eth_balance(prover.address()).await?;
        ensure(after + gas_cost - before == prover_credit, || {
            "withdrawal amount".into()
        })?;
        self.d.note(format!(
            "collateral slashed; prover got its {} ETH bond back + {} ETH bounty + {} ETH from the provers' pool",
            show(bond),
            show(bounty),
            show(provers_pool)
        ));
        Ok(())
    }

    // ----- 7 -----

    pub(super) async fn burn_and_lower_tax(&mut self) -> Result<()> {
        self.d
            .step("7. A treasury proposal burns agent tokens and lowers the tax");
        let deployer = self.deployer.clone();
        let supply_before = self
            .d
            .view("totalSupply", self.token(&deployer).total_supply())
            .await?;
        let treasury_before = self.agent_balance(self.sys.subdao).await?;
        let burn_amount = tokens(50);
        let burn = self.token(&deployer).burn(burn_amount);
        let lower = self.token(&deployer).lower_tax_rate(50);
        let (targets, calldatas) = (
            vec![self.sys.token, self.sys.token],
            vec![calldata(&burn)?, calldata(&lower)?],
        );
        let description = "Buyback-and-burn 50 AGENT; lower the tax to 0.5%".to_string();
        let v1 = self.validators[0].clone();
        let call = self.dao(&v1).propose(
            targets,
            vec![U256::zero(); 2],
            calldatas,
            text(&description),
        );
        let p = self
            .propose(&format!("validator-1 proposes \"{description}\""), call)
            .await?;
        let weights = self.vote(&p, [FOR, FOR, FOR]).await?;
        let v3 = self.validators[2].address();
        let power = self
            .d
            .view(
                "getPastVotes",
                self.vault(&deployer)
                    .get_past_votes(v3, p.vote_start.into()),
            )
            .await?;
        ensure(weights[2] == power && power == tokens(150), || {
            format!("validator-3 voted with {} (power {power})", weights[2])
        })?;
        self.d.note(format!(
            "slashed validator-3 votes with {} LP, not the 300 LP it had",
            show(weights[2])
        ));
        self.queue_and_execute(&p).await?;
        let supply_after = self
            .d
            .view("totalSupply", self.token(&deployer).total_supply())
            .await?;
        let treasury_after = self.agent_balance(self.sys.subdao).await?;
        let tax = self
            .d
            .view("taxBps", self.token(&deployer).tax_bps())
            .await?;
        ensure(
            supply_before - supply_after == burn_amount
                && treasury_before - treasury_after == burn_amount
                && tax == 50,
            || format!("supply {supply_before}->{supply_after}, tax {tax}"),
        )?;
        self.d.note(format!(
            "supply {} -> {} AGENT; tax 1% -> {}%",
            show(supply_before),
            show(supply_after),
            f64::from(tax) / 100.0
        ));
        Ok(())
    }

    /// Step 8: delegator-1 moves part of its stake to another validator (through the unbonding
    /// queue), unbonds part, and withdraws both once the unbonding period has passed.
    pub(super) async fn leave_the_vault(&mut self) -> Result<()> {
        self.d
            .step("8. A delegator redelegates, unbonds and withdraws after the unbonding period");
        let delegator = self.delegators[0].clone();
        let (v1, v2) = (self.validators[0].address(), self.validators[1].address());
        let call = self.vault(&delegator).redelegate(v1, v2, tokens(100));
        // Redelegated stake unbonds from validator-1 (slashable for its offences until the
        // entry matures) and bonds to validator-2 when the matured entry is withdrawn.
        let (moved, _) = self
            .d
            .send_returning(
                "delegator-1 redelegates 100 LP from validator-1 to validator-2",
                call,
            )
            .await?;
        let (_, at_v2) = self
            .d
            .view(
                "stakeOf",
                self.vault(&delegator).stake_of(delegator.address(), v2),
            )
            .await?;
        let lp_before = self.lp_balance(delegator.address()).await?;
        let call = self.vault(&delegator).unstake(v1, tokens(100));
        let (entry, _) = self
            .d
            .send_returning("delegator-1 unstakes 100 LP from validator-1", call)
            .await?;
        let early = self.vault(&delegator).withdraw(entry);
        self.d
            .refused(
                "delegator-1 withdraws before the unbonding period ends",
                early,
                "EntryNotMature",
            )
            .await?;
        let (_, _, _, unbonding_period, _, _) = self
            .d
            .view("parameters", self.vault(&delegator).parameters())
            .await?;
        self.d.increase_time(unbonding_period.as_u64() + 1).await?;
        let call = self.vault(&delegator).withdraw(entry);
        self.send("delegator-1 withdraws the matured entry", call)
            .await?;
        let call = self.vault(&delegator).withdraw(moved);
        self.send(
            "delegator-1 withdraws the matured redelegation: it bonds to validator-2",
            call,
        )
        .await?;
        let lp_after = self.lp_balance(delegator.address()).await?;
        ensure(lp_after - lp_before == tokens(100), || {
            format!("withdrew {} LP", show(lp_after - lp_before))
        })?;
        let (_, now_at_v2) = self
            .d
            .view(
                "stakeOf",
                self.vault(&delegator).stake_of(delegator.address(), v2),
            )
            .await?;
        // Minting into a pool slashed earlier rounds down by at most a wei.
        let received = now_at_v2 - at_v2;
        ensure(
            received <= tokens(100) && tokens(100) - received <= U256::one(),
            || format!("validator-2 received {} LP", show(received)),
        )?;
        self.d.note(format!(
            "delegator-1 got {} LP back after the unbonding period",
            show(lp_after - lp_before)
        ));
        Ok(())
    }
}

/// A text argument as the binding wants it: `string` or raw `bytes` (contracts may take
/// strings as bytes to stay small; the ABI decides).
pub trait FromText {
    /// `text` as this type.
    fn from_text(text: &str) -> Self;
}

impl FromText for String {
    fn from_text(text: &str) -> Self {
        text.to_string()
    }
}

impl FromText for Bytes {
    fn from_text(text: &str) -> Self {
        Bytes::from(text.as_bytes().to_vec())
    }
}

/// `value` as the text type a binding parameter has.
pub fn text<T: FromText>(value: &str) -> T {
    T::from_text(value)
}

/// The calldata of `call` (for a proposal action).
fn calldata<D: Detokenize>(call: &ContractCall<Client, D>) -> Result<Bytes> {
    call.calldata()
        .ok_or_else(|| LifecycleError::check("call without calldata"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_ratings_print_short() {
        assert_eq!(show(tokens(120)), "120");
        assert_eq!(show(tokens(3) / 2), "1.5");
        assert_eq!(
            points(I256::from(ONE) * I256::from(1_012) + I256::from(ONE / 4)),
            "1012.25"
        );
        assert_eq!(points(-I256::from(ONE) * I256::from(3)), "-3.00");
    }
}
