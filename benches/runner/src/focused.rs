//! Focused measurements on a freshly deployed system: the operations the contract issues ask
//! figures for, each set up so that it measures one thing (a new delegation, a 10-round Elo
//! update on already rated models, a fee cascading through exactly 8 ancestors, a proof in a
//! 1,024-leaf tree, `getPastVotes` over 1, 100 and 10,000 checkpoints, `upgradeModel`'s bootstrap
//! gate over 100, 10,000 and 100,000 stored battles), and the Stylus side of the Solidity
//! reference rows.
//!
//! The system is deployed through the deploy library and left unwired, so the deployer is the
//! governance of every contract (Elo parameters, slashing) without proposals. Transactions report
//! their gas used; views report `eth_estimateGas` (21,000 intrinsic gas included), as a caller
//! would pay to run them inside a transaction.
//!
//! Every measurement runs twice, each time on a freshly deployed system: with the programs
//! uncached and with every program of the system (cores and extensions) cached through the
//! chain's CacheManager ([`Programs`]); [`Focused::pair`] puts both figures on each row.

use anyhow::{ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::elo_ledger::EloLedger;
use deploy::bindings::oml_registry::OmlRegistry;
use deploy::bindings::staking_vault::StakingVault;
use deploy::bindings::subdao::SubDao;
use deploy::chain::Client as DeployClient;
use deploy::contracts::ContractKind;
use deploy::lifecycle::merkle;
use deploy::lifecycle::{text, Actor, Clock, Driver, Transcript};
use deploy::{Artifact, Workspace};
use ethers::abi::Detokenize;
use ethers::contract::ContractCall;
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, TransactionReceipt, H256, I256, U256};
use ethers::utils::keccak256;
use serde::Serialize;

use crate::client::provider;
use crate::gas::{cache_discount, tokens, typed_data_digest, StylusGas};
use crate::operations::Programs;
use crate::references::{fingerprint_leaves, SESSION};
use crate::report::thousands;
use alloy_primitives::TxKind;
use devnode::throughput::{send_timed, Rpc, Sender};

mod revenue;
mod rewards;

ethers::contract::abigen!(UnstakeFlood, "../../tests/fixtures/UnstakeFlood.json");

/// How big the scaled measurements are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scale {
    /// Checkpoint counts for `getPastVotes`.
    pub checkpoints: Vec<usize>,
    /// Elo sessions judged by four validators (one record of ten battles each) before the
    /// leaderboard and upgrade-gate measurements.
    pub bootstrap_sessions: usize,
    /// Stored battles behind the measurements of `upgradeModel`'s bootstrap gate.
    pub gate_battles: Vec<usize>,
    /// Unbonding-queue lengths behind the vault's flood measurements (one validator each).
    pub queue_lengths: Vec<u64>,
    /// Validators staked in the vault behind the rewards program's epoch close and claim.
    pub rewards_validators: Vec<usize>,
}

impl Scale {
    /// The recorded figures: 1, 100 and 10,000 checkpoints; 25 four-validator Elo sessions; the
    /// upgrade gate over 100, 10,000 and 100,000 stored battles; rewards epochs with 10 and 100
    /// validators.
    pub(crate) fn full() -> Self {
        Self {
            checkpoints: vec![1, 100, 10_000],
            bootstrap_sessions: 25,
            gate_battles: vec![100, 10_000, 100_000],
            queue_lengths: vec![10, 1_000, 5_000],
            rewards_validators: vec![10, 100],
        }
    }

    /// The CI smoke run: small counts, every code path.
    pub(crate) fn quick() -> Self {
        Self {
            checkpoints: vec![1, 10],
            bootstrap_sessions: 1,
            gate_battles: vec![100, 1_000],
            queue_lengths: vec![10, 100],
            rewards_validators: vec![4, 10],
        }
    }
}

/// One focused measurement, uncached and cached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FocusRow {
    /// The contract measured.
    pub contract: String,
    /// What was measured.
    pub operation: String,
    /// Gas used (transactions) or estimated (views), programs uncached.
    pub uncached: u64,
    /// The same, every program cached.
    pub cached: u64,
    /// `transaction` or `eth_estimateGas`.
    pub measured_as: String,
}

/// The focused measurements and the Stylus figures of the Solidity reference rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct Focused {
    /// Every row, in the order measured.
    pub rows: Vec<FocusRow>,
    /// Reference operation name (as `references::run_all` names it) -> Stylus gas.
    pub references: Vec<(String, StylusGas)>,
}

/// One run of the focused measurements (programs uncached or cached).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pass {
    /// Every row, in the order measured.
    rows: Vec<Measured>,
    /// The Stylus figures of the Solidity reference rows.
    references: Vec<Reference>,
}

/// One measurement of a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Measured {
    contract: ContractKind,
    operation: String,
    gas: u64,
    measured_as: String,
}

/// The Stylus figure of a Solidity reference row in a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reference {
    /// The reference row's name.
    name: String,
    /// Gas used.
    gas: u64,
    /// What caching the called (core) program alone saves at entry (`ArbWasm.programInitGas`).
    core_saving: u64,
}

impl Focused {
    /// Pairs the uncached and the cached pass row by row.
    ///
    /// # Errors
    /// When the passes did not measure the same operations.
    pub(crate) fn pair(uncached: Pass, cached: Pass) -> Result<Self> {
        ensure!(
            uncached.rows.len() == cached.rows.len()
                && uncached.references.len() == cached.references.len(),
            "the cached pass measured {} rows, the uncached one {}",
            cached.rows.len(),
            uncached.rows.len()
        );
        let mut rows = Vec::new();
        for (u, c) in uncached.rows.into_iter().zip(cached.rows) {
            ensure!(
                (u.contract, &u.operation) == (c.contract, &c.operation),
                "the passes differ: {} against {}",
                u.operation,
                c.operation
            );
            rows.push(FocusRow {
                contract: u.contract.package().to_string(),
                operation: u.operation,
                uncached: u.gas,
                cached: c.gas,
                measured_as: u.measured_as,
            });
        }
        let mut references = Vec::new();
        for (u, c) in uncached.references.into_iter().zip(cached.references) {
            ensure!(
                u.name == c.name,
                "the passes differ: {} against {}",
                u.name,
                c.name
            );
            references.push((
                u.name,
                StylusGas {
                    uncached: u.gas,
                    cached: c.gas,
                    core_only_computed: u.gas.saturating_sub(u.core_saving),
                },
            ));
        }
        Ok(Self { rows, references })
    }
}

/// Operation names shared with the Solidity reference rows.
pub(crate) mod reference {
    /// Vault stake into a new delegation.
    pub(crate) const STAKE: &str = "vault stake (new delegation)";
    /// Vault reward claim.
    pub(crate) const CLAIM: &str = "vault claimRewards";
    /// A validator's vote.
    pub(crate) const VOTE: &str = "castVote";
    /// Ten Elo rounds applied to two rated models.
    pub(crate) const ELO: &str = "Elo update, 10 rounds";
    /// One leaf proven in a 1,024-leaf tree.
    pub(crate) const MERKLE: &str = "Merkle proof, 1,024-leaf tree";
    /// A usage fee through 8 ancestors.
    pub(crate) const CASCADE: &str = "usage fee cascade, depth 8";
}

const ONE: u128 = 1_000_000_000_000_000_000;
const FOR: u8 = 1;
const AGAINST: u8 = 0;
const LEAKED_COPY: u8 = 0;
const WINDOW: u64 = 3_600;
/// Resamples of the Elo ledger's upgrade gate by default, and the most governance may set.
const UPGRADE_RESAMPLES: u64 = 25;
const MAX_UPGRADE_RESAMPLES: u64 = 32;
/// Nitro's (and the devnode's) gas cap of `eth_call` / `eth_estimateGas`.
const RPC_GAS_CAP: u64 = devnode::chain::RPC_GAS_CAP;
/// Nitro's per-transaction gas cap.
const MAX_TX_GAS: u64 = devnode::chain::MAX_TX_GAS;

/// Deploys the system from `artifacts` on the devnode at `url` (caching every program with
/// [`Programs::Cached`]) and runs every focused measurement.
///
/// # Errors
/// A deployment or caching failure, or a transaction that reverts.
pub(crate) async fn run(
    url: &str,
    key: &str,
    ws: &Workspace,
    artifacts: &[(ContractKind, Artifact)],
    scale: &Scale,
    programs: Programs,
) -> Result<Pass> {
    let (chain, report) =
        crate::operations::deploy_fresh(url, key, ws, artifacts, programs).await?;
    let address = |kind: ContractKind| {
        report
            .address(kind)
            .with_context(|| format!("{kind} missing from the deployment"))
    };
    let dex = report
        .deployments
        .dex
        .clone()
        .context("the agent token's pool is missing from the deployment")?;
    let lp = dex.pair;
    let mut transcript = Transcript::default();
    let mut driver = Driver::new(&chain, &mut transcript);
    // One second per transaction, so both passes see the same timestamps.
    driver.set_clock(Clock::SecondPerSend);
    driver.step("focused measurements");
    let deployer = Actor {
        name: "deployer".into(),
        client: chain.client.clone(),
    };
    let mut bench = Bench {
        d: driver,
        url: url.to_string(),
        deployer,
        token: address(ContractKind::AgentToken)?,
        lp,
        vault: address(ContractKind::StakingVault)?,
        dao: address(ContractKind::Subdao)?,
        elo: address(ContractKind::EloLedger)?,
        oml: address(ContractKind::OmlRegistry)?,
        revenue: address(ContractKind::Revenue)?,
        rewards: address(ContractKind::Rewards)?,
        dex,
        models: Vec::new(),
        validators: Vec::new(),
        out: Pending::default(),
    };
    bench.vault_and_votes().await?;
    bench.elo(scale).await?;
    bench.checkpoints(&scale.checkpoints).await?;
    bench.oml().await?;
    bench.vault_queue(&scale.queue_lengths).await?;
    bench.revenue_and_pool().await?;
    bench.rewards_epochs(&scale.rewards_validators).await?;

    // What caching only the called (core) program would save, for comparison.
    let mut references = Vec::new();
    for (name, kind, gas) in std::mem::take(&mut bench.out.references) {
        let wasm = artifacts
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, a)| a.wasm.as_slice())
            .unwrap_or_default();
        let core_saving = cache_discount(&chain.client, address(kind)?, wasm).await?;
        references.push(Reference {
            name,
            gas,
            core_saving,
        });
    }
    Ok(Pass {
        rows: bench.out.rows,
        references,
    })
}

/// The measurement session: a driver, the contracts and what was measured so far.
struct Bench<'n> {
    d: Driver<'n>,
    url: String,
    deployer: Actor,
    token: Address,
    lp: Address,
    vault: Address,
    dao: Address,
    elo: Address,
    oml: Address,
    revenue: Address,
    rewards: Address,
    dex: deploy::record::DexRecord,
    /// The two models the Elo measurements registered.
    models: Vec<U256>,
    validators: Vec<Actor>,
    out: Pending,
}

/// Rows and reference figures (before the core programs' init gas is known).
#[derive(Default)]
struct Pending {
    rows: Vec<Measured>,
    /// Reference row name, the contract whose core program ran it, gas.
    references: Vec<(String, ContractKind, u64)>,
}

impl Pending {
    fn row(&mut self, contract: ContractKind, operation: &str, gas: u64, measured_as: &str) {
        self.rows.push(Measured {
            contract,
            operation: operation.to_string(),
            gas,
            measured_as: measured_as.to_string(),
        });
    }
}

fn gas(receipt: &TransactionReceipt) -> u64 {
    receipt.gas_used.map_or(0, |g| g.as_u64())
}

type C = DeployClient;

impl Bench<'_> {
    fn vault_as(&self, a: &Actor) -> StakingVault<C> {
        StakingVault::new(self.vault, a.client.clone())
    }
    fn dao_as(&self, a: &Actor) -> SubDao<C> {
        SubDao::new(self.dao, a.client.clone())
    }
    fn elo_as(&self, a: &Actor) -> EloLedger<C> {
        EloLedger::new(self.elo, a.client.clone())
    }
    fn oml_as(&self, a: &Actor) -> OmlRegistry<C> {
        OmlRegistry::new(self.oml, a.client.clone())
    }
    fn lp_as(&self, a: &Actor) -> AgentToken<C> {
        AgentToken::new(self.lp, a.client.clone())
    }

    /// Sends `call` (setup, not recorded).
    async fn setup<D: Detokenize>(
        &mut self,
        what: &str,
        call: ContractCall<C, D>,
    ) -> Result<TransactionReceipt> {
        Ok(self.d.send(what, call).await?)
    }

    /// Sends `call` and records its gas as `operation` of `contract`.
    async fn measure<D: Detokenize>(
        &mut self,
        contract: ContractKind,
        operation: &str,
        call: ContractCall<C, D>,
    ) -> Result<u64> {
        let receipt = self.d.send(operation, call).await?;
        let used = gas(&receipt);
        self.out.row(contract, operation, used, "transaction");
        Ok(used)
    }

    /// Records `used` as the Stylus figure of the Solidity reference row `name`.
    fn reference(&mut self, name: &str, contract: ContractKind, used: u64) {
        self.out.references.push((name.to_string(), contract, used));
    }

    /// `eth_estimateGas` of the view `call`, recorded as `operation` of `contract`.
    async fn estimate<D: Detokenize>(
        &mut self,
        contract: ContractKind,
        operation: &str,
        call: ContractCall<C, D>,
    ) -> Result<u64> {
        // Up to the RPC gas cap (as `eth_call` runs), so a view heavier than one transaction
        // may be (32M on Arbitrum) is still measured, and flagged.
        let estimate = call
            .gas(RPC_GAS_CAP)
            .estimate_gas()
            .await
            .with_context(|| format!("estimating {operation}"))?
            .as_u64();
        let how = if estimate > MAX_TX_GAS {
            "eth_estimateGas (over the 32M per-transaction cap: an eth_call only)"
        } else {
            "eth_estimateGas"
        };
        self.out.row(contract, operation, estimate, how);
        Ok(estimate)
    }

    /// Gives `who` `amount` LP and lets the vault pull all of it.
    async fn fund_lp(&mut self, who: &Actor, amount: U256) -> Result<()> {
        let call = self.lp_as(&self.deployer).transfer(who.address(), amount);
        self.setup("LP funding", call).await?;
        let call = self.lp_as(who).approve(self.vault, U256::MAX);
        self.setup("LP approval", call).await?;
        Ok(())
    }

    /// Four validators with 100 LP self-stake; a delegator's new and repeated stake, a reward
    /// notification and claim, a slash; a proposal, a vote and a vote by signature.
    async fn vault_and_votes(&mut self) -> Result<()> {
        const VAULT: ContractKind = ContractKind::StakingVault;
        for i in 1..=4 {
            let v = self.d.actor(&format!("bench-validator-{i}"), 2).await?;
            let call = self
                .vault_as(&v)
                .register_validator(500.into(), text("https://validator.example"));
            if i == 1 {
                self.measure(VAULT, "registerValidator", call).await?;
            } else {
                self.setup("registerValidator", call).await?;
            }
            self.fund_lp(&v, tokens(100)).await?;
            let call = self.vault_as(&v).stake(v.address(), tokens(100));
            self.setup("self-stake", call).await?;
            self.validators.push(v);
        }
        let delegator = self.d.actor("bench-delegator", 2).await?;
        self.fund_lp(&delegator, tokens(2_000)).await?;
        let v1 = self.validators[0].address();
        let call = self.vault_as(&delegator).stake(v1, tokens(1_000));
        let used = self.measure(VAULT, "stake (new delegation)", call).await?;
        self.reference(reference::STAKE, VAULT, used);
        let call = self.vault_as(&delegator).stake(v1, tokens(500));
        self.measure(VAULT, "stake (existing delegation)", call)
            .await?;

        let reward = AgentToken::new(self.token, self.deployer.client.clone());
        self.setup("reward approval", reward.approve(self.vault, U256::MAX))
            .await?;
        let call = self
            .vault_as(&self.deployer)
            .notify_reward_amount(tokens(100));
        self.measure(VAULT, "notifyRewardAmount", call).await?;
        self.d.increase_time(10).await?;
        let call = self.vault_as(&delegator).claim_rewards();
        let used = self
            .measure(VAULT, "claimRewards (one delegation)", call)
            .await?;
        self.reference(reference::CLAIM, VAULT, used);
        let call =
            self.vault_as(&delegator)
                .redelegate(v1, self.validators[1].address(), tokens(100));
        self.measure(VAULT, "redelegate", call).await?;
        let call = self.vault_as(&delegator).unstake(v1, tokens(100));
        let entry = call.call().await.context("simulating unstake")?;
        self.measure(VAULT, "unstake", call).await?;

        // A proposal by validator-1, votes by validator-1 and (by signature) validator-2.
        const DAO: ContractKind = ContractKind::Subdao;
        let v = self.validators[0].clone();
        let call = self.dao_as(&v).propose(
            vec![self.vault],
            vec![U256::zero()],
            vec![Bytes::new()],
            text("benchmark proposal"),
        );
        let id = call.call().await.context("simulating propose")?;
        self.measure(DAO, "propose (one action)", call).await?;
        let settings = self.d.view("settings", self.dao_as(&v).settings()).await?;
        self.d.increase_time(settings.2 + 1).await?;
        let call = self.dao_as(&v).cast_vote(id, FOR);
        let used = self.measure(DAO, "castVote", call).await?;
        self.reference(reference::VOTE, DAO, used);
        let v2 = self.validators[1].clone();
        let signature = self.sign_ballot(&v2, id, AGAINST).await?;
        let call =
            self.dao_as(&self.deployer)
                .cast_vote_by_sig(id, AGAINST, v2.address(), signature);
        self.measure(DAO, "castVoteBySig (relayed)", call).await?;

        let call = self.vault_as(&self.deployer).slash(
            self.validators[3].address(),
            1_000.into(),
            keccak256("benchmark slash"),
        );
        self.measure(VAULT, "slash (10%, bonded and unbonding)", call)
            .await?;
        let unbonding = self.unbonding_period().await?;
        self.d.increase_time(unbonding + 1).await?;
        let call = self.vault_as(&delegator).withdraw(entry);
        self.measure(VAULT, "withdraw (one entry)", call).await?;
        Ok(())
    }

    /// The vault's unbonding period in seconds.
    async fn unbonding_period(&self) -> Result<u64> {
        let params = self
            .d
            .view("parameters", self.vault_as(&self.deployer).parameters())
            .await?;
        Ok(params.3.as_u64())
    }

    /// A contract floods the unbonding queues of validators 2, 3 and 4 with `lengths` one-wei
    /// unstakes (10, 1,000 and 5,000 in the full run); once they have all matured, per
    /// validator: a withdrawal of an entry queued behind the flood, an unstake and a slash (each
    /// bounded: at most 16 entries released per call).
    async fn vault_queue(&mut self, lengths: &[u64]) -> Result<()> {
        const VAULT: ContractKind = ContractKind::StakingVault;
        let flood = UnstakeFlood::deploy(self.deployer.client.clone(), ())?
            .send()
            .await
            .context("deploying the UnstakeFlood fixture")?;
        let holder = self.d.actor("bench-queue-delegator", 2).await?;
        self.fund_lp(&holder, tokens(300)).await?;
        let mut queues = Vec::new();
        for (i, &length) in lengths.iter().enumerate() {
            let v = self.validators[i + 1].address();
            let stake = U256::from(length * 2);
            let call = self.lp_as(&self.deployer).transfer(flood.address(), stake);
            self.setup("LP for the flood", call).await?;
            let call = flood.stake(self.vault, self.lp, v, stake);
            self.setup("flood stake", call).await?;
            let call = self.vault_as(&holder).stake(v, tokens(100));
            self.setup("queue delegator stake", call).await?;
            let mut queued = 0u64;
            while queued < length {
                let count = (length - queued).min(100);
                let call = flood.flood(self.vault, v, U256::from(count));
                self.setup("one-wei unstakes", call.gas(30_000_000u64))
                    .await?;
                queued += count;
            }
            let call = self.vault_as(&holder).unstake(v, tokens(1));
            let honest = call.call().await.context("simulating unstake")?;
            self.setup("honest unstake", call).await?;
            queues.push((v, length, honest));
        }
        let unbonding = self.unbonding_period().await?;
        self.d.increase_time(unbonding + 1).await?;
        for (v, length, honest) in queues {
            let n = thousands(length);
            let call = self.vault_as(&holder).withdraw(honest);
            let label = format!("withdraw (entry behind {n} queued entries)");
            self.measure(VAULT, &label, call).await?;
            let call = self.vault_as(&holder).unstake(v, tokens(1));
            let label = format!("unstake ({n} matured entries queued)");
            self.measure(VAULT, &label, call).await?;
            let call = self.vault_as(&self.deployer).slash(
                v,
                100.into(),
                keccak256("benchmark queue slash"),
            );
            let label = format!("slash (1%, {n} matured entries queued)");
            self.measure(VAULT, &label, call).await?;
        }
        Ok(())
    }

    /// `voter`'s EIP-712 ballot (r ‖ s ‖ v) under the SubDAO's own domain separator.
    async fn sign_ballot(&self, voter: &Actor, id: U256, support: u8) -> Result<Bytes> {
        let dao = self.dao_as(voter);
        let domain = dao.domain_separator().call().await?;
        let nonce = dao.nonces(voter.address()).call().await?;
        let typehash =
            keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)");
        let encoded = ethers::abi::encode(&[
            ethers::abi::Token::FixedBytes(typehash.to_vec()),
            ethers::abi::Token::Uint(id),
            ethers::abi::Token::Uint(support.into()),
            ethers::abi::Token::Address(voter.address()),
            ethers::abi::Token::Uint(nonce),
        ]);
        let digest = typed_data_digest(domain, &encoded);
        let signature = voter.client.signer().sign_hash(H256(digest))?;
        Ok(signature.to_vec().into())
    }

    /// Elo: one-validator sessions between two models (the second one measured: commit,
    /// reveal, the 10-round update at finalization), `scale.bootstrap_sessions` more sessions
    /// judged by four validators, `topModels`, then `upgradeModel`'s bootstrap gate over
    /// `scale.gate_battles` stored battles.
    async fn elo(&mut self, scale: &Scale) -> Result<()> {
        const ELO: ContractKind = ContractKind::EloLedger;
        let gov = self.deployer.clone();
        let call = self.elo_as(&gov).set_params(
            WINDOW,
            WINDOW,
            1,
            64,
            U256::zero(),
            30,
            I256::from(ONE),
            2_000,
            (ONE / 2) as u64,
            UPGRADE_RESAMPLES,
        );
        self.setup("Elo parameters", call).await?;
        // The deployer (governance here) serves as the session operator, without bond.
        let call = self
            .elo_as(&gov)
            .set_validation(gov.address(), U256::zero(), U256::one());
        self.setup("Elo operator", call).await?;
        // The models belong to someone else: the operator never opens sessions on its own models.
        let owner = self.d.actor("bench-elo-model-owner", 1).await?;
        let mut models = Vec::new();
        for name in ["model A", "model B"] {
            let call = self.elo_as(&owner).register_model(
                keccak256(name),
                text("ipfs://model"),
                U256::zero(),
                U256::zero(),
            );
            let (id, _) = self.d.send_returning(name, call).await?;
            models.push(id);
        }
        self.models = models.clone();
        let judge = self.validators[0].clone();
        for measured in [false, true] {
            let sessions = self
                .sessions(&models, std::slice::from_ref(&judge), 1, measured)
                .await?;
            ensure!(sessions.len() == 1);
        }
        let judges = self.validators.clone();
        let sessions = self
            .sessions(&models, &judges, scale.bootstrap_sessions, false)
            .await?;
        // One record of ten stake-weighted battles per session.
        ensure!(sessions.len() == scale.bootstrap_sessions);
        let call = self.elo_as(&gov).top_models(10.into());
        self.estimate(ELO, "topModels(10)", call).await?;
        self.upgrade_gate(&models, &scale.gate_battles).await
    }

    /// `upgradeModel`'s bootstrap gate (at the most resamples governance may set) with
    /// `counts` stored battles: model B is crowned, then the session records are written
    /// straight into the ledger's storage (`anvil_setStorageAt`: the length of its record
    /// vector and every record, the last 64 all head-to-head A over B so the gate does its full
    /// work) and the candidate's upgrade is estimated at the latest cutoff.
    async fn upgrade_gate(&mut self, models: &[U256], counts: &[usize]) -> Result<()> {
        const ELO: ContractKind = ContractKind::EloLedger;
        let gov = self.deployer.clone();
        let call = self.elo_as(&gov).set_params(
            WINDOW,
            WINDOW,
            1,
            64,
            U256::zero(),
            30,
            I256::from(ONE),
            2_000,
            (ONE / 2) as u64,
            MAX_UPGRADE_RESAMPLES,
        );
        self.setup("Elo parameters", call).await?;
        let call = self.elo_as(&gov).upgrade_model(models[1], U256::zero());
        self.setup("crown model B", call).await?;
        let provider = provider(&self.url)?;
        let stored = self.elo_as(&gov).battle_records().call().await?;
        // An unanswered request makes the session count differ from the record count, so the
        // record vector's length slot is the only fixed slot holding the record count.
        let call = self.elo_as(&gov).request_session(models[0], models[1]);
        self.setup("requestSession", call).await?;
        let mut slot = None;
        for i in 0..64u64 {
            let word = provider
                .get_storage_at(self.elo, H256::from_low_u64_be(i), None)
                .await?;
            if U256::from_big_endian(word.as_bytes()) == stored {
                ensure!(slot.is_none(), "two slots hold the record count");
                slot = Some(i);
            }
        }
        let slot = slot.context("the record vector's length slot")?;
        let base = U256::from_big_endian(&keccak256(H256::from_low_u64_be(slot).as_bytes()));
        let (a, b) = (models[0].as_u64(), models[1].as_u64());
        // A over B, 7,000 basis points every round.
        let scores = 7_000u64 | 7_000 << 16 | 7_000 << 32 | 7_000 << 48;
        let record = U256([a | b << 22, scores, scores, 7_000 | 7_000 << 16]);
        let ledger = self.elo;
        let set = move |key: U256, value: U256| {
            let (mut k, mut v) = ([0u8; 32], [0u8; 32]);
            key.to_big_endian(&mut k);
            value.to_big_endian(&mut v);
            (ledger, H256(k), H256(v))
        };
        // Every record is written (the measured sessions' ones too), so the window holds exactly
        // the head-to-head records described above.
        let mut written = 0;
        for &battles in counts {
            let records = battles / 10;
            for i in written..records {
                let params = set(base + U256::from(i), record);
                provider
                    .request::<_, serde_json::Value>("anvil_setStorageAt", params)
                    .await
                    .context("anvil_setStorageAt")?;
            }
            written = written.max(records);
            let params = set(U256::from(slot), U256::from(records));
            provider
                .request::<_, serde_json::Value>("anvil_setStorageAt", params)
                .await
                .context("anvil_setStorageAt")?;
            let call = self
                .elo_as(&gov)
                .upgrade_model(models[0], U256::from(records));
            let label = format!(
                "upgradeModel bootstrap gate, {MAX_UPGRADE_RESAMPLES} resamples, {} stored battles",
                thousands(battles as u64)
            );
            let used = self.estimate(ELO, &label, call).await?;
            ensure!(used <= 10_000_000, "{label}: {used} gas over 10M");
        }
        Ok(())
    }

    /// Runs `count` sessions between `models` judged by `judges` (commit, seed, reveal,
    /// finalize; sessions overlap in time); with `measure`, records the gas of each phase.
    async fn sessions(
        &mut self,
        models: &[U256],
        judges: &[Actor],
        count: usize,
        measure: bool,
    ) -> Result<Vec<U256>> {
        const ELO: ContractKind = ContractKind::EloLedger;
        let gov = self.deployer.clone();
        self.d.increase_time(2).await?;
        let mut opened = Vec::new();
        for n in 0..count {
            let seed = keccak256(format!("bench seed {n} {}", self.d.now().await?));
            let call = self.elo_as(&gov).request_session(models[0], models[1]);
            let (id, _) = self.d.send_returning("requestSession", call).await?;
            let call = self.elo_as(&gov).open_session(id, keccak256(seed));
            self.setup("openSession", call).await?;
            opened.push((id, seed));
        }
        let mut votes = Vec::new();
        for (id, _) in &opened {
            for judge in judges {
                let results = SESSION.to_vec();
                let salt = keccak256(format!("salt {id} {}", judge.name));
                let commitment =
                    keccak256([&results[..], &salt[..], judge.address().as_bytes()].concat());
                let call = self.elo_as(judge).commit_vote(*id, commitment);
                if measure {
                    self.measure(ELO, "commitVote", call).await?;
                } else {
                    self.setup("commitVote", call).await?;
                }
                votes.push((*id, judge.clone(), results, salt));
            }
        }
        self.d.increase_time(WINDOW).await?;
        for (id, seed) in &opened {
            let call = self.elo_as(&gov).reveal_seed(*id, *seed);
            self.setup("revealSeed", call).await?;
        }
        for (id, judge, results, salt) in votes {
            let call = self
                .elo_as(&judge)
                .reveal_vote(id, Bytes::from(results), salt);
            if measure {
                self.measure(ELO, "revealVote", call).await?;
            } else {
                self.setup("revealVote", call).await?;
            }
        }
        self.d.increase_time(WINDOW).await?;
        for (id, _) in &opened {
            let call = self.elo_as(&gov).finalize_session(*id);
            if measure {
                let used = self
                    .measure(
                        ELO,
                        "finalizeSession (one vote: 10 rounds, validator record, bond)",
                        call,
                    )
                    .await?;
                self.reference(reference::ELO, ELO, used);
            } else {
                self.setup("finalizeSession", call).await?;
            }
        }
        Ok(opened.into_iter().map(|(id, _)| id).collect())
    }

    /// `getPastVotes` of a validator whose power changed once per second `n` times, for each
    /// `n`, at the timepoint in the middle of its history (a full binary search).
    async fn checkpoints(&mut self, counts: &[usize]) -> Result<()> {
        let provider = provider(&self.url)?;
        for &count in counts {
            let v = self
                .d
                .actor(&format!("bench-checkpoints-{count}"), 1)
                .await?;
            let call = self
                .vault_as(&v)
                .register_validator(0.into(), text("https://validator.example"));
            self.setup("registerValidator", call).await?;
            let staker = self.d.actor(&format!("bench-staker-{count}"), 50).await?;
            self.fund_lp(&staker, tokens(count as u64)).await?;
            // Pre-signed stakes (no estimate or nonce query per transaction), one per second.
            let rpc = Rpc::connect(&self.url)?;
            let key = deploy::lifecycle::actor_key(&format!("bench-staker-{count}"));
            let mut sender = Sender::new(&rpc, key.into()).await?;
            let data = self
                .vault_as(&staker)
                .stake(v.address(), tokens(1))
                .calldata()
                .context("stake calldata")?;
            let vault = TxKind::Call(self.vault.0.into());
            let start = self.d.now().await?;
            for _ in 0..count {
                provider
                    .request::<_, serde_json::Value>("evm_increaseTime", [U256::one()])
                    .await
                    .context("evm_increaseTime")?;
                let raw =
                    sender.sign(vault, Default::default(), data.to_vec().into(), 1_500_000)?;
                send_timed(&rpc, vec![raw]).await?;
            }
            self.d.increase_time(2).await?;
            let end = self.d.now().await?;
            let middle = start + (end - start) / 2;
            let probe = self.vault_as(&self.deployer);
            let power = probe.get_votes(v.address()).call().await?;
            ensure!(
                power == tokens(count as u64),
                "checkpoint validator has {power} power after {count} stakes"
            );
            let label = format!(
                "getPastVotes, {} checkpoint{}",
                thousands(count as u64),
                if count == 1 { "" } else { "s" }
            );
            self.estimate(
                ContractKind::StakingVault,
                &label,
                probe.get_past_votes(v.address(), middle.into()),
            )
            .await?;
        }
        Ok(())
    }

    /// OML: nine models in a line (each its own owner, decay 50%, depth cap 8), licenses on the
    /// deepest and on a depth-1 model, usage reports (the second measured), a fingerprint root
    /// over 1,024 leaves (depth 10) and a leaked-copy claim with one proven fingerprint (hashed
    /// into its leaf on chain, proof length checked against the depth), finalized after the
    /// window (the prover takes half of the provers' pool).
    async fn oml(&mut self) -> Result<()> {
        const OML: ContractKind = ContractKind::OmlRegistry;
        let fee = U256::exp10(15);
        let collateral = U256::exp10(17);
        // (asset, usageFee, collateral, creator, ancestors, provers, protocol, decay, maxDepth)
        let terms = (
            Address::zero(),
            fee,
            collateral,
            6_000u16,
            2_000u16,
            1_000u16,
            1_000u16,
            5_000u16,
            8u8,
        );
        let mut line = Vec::new();
        let mut owners = Vec::new();
        for i in 0..9u64 {
            let owner = self.d.actor(&format!("bench-modeler-{i}"), 1).await?;
            let parent = line.last().copied().unwrap_or(0u64);
            let call = self.oml_as(&owner).register_model(
                keccak256(format!("bench model {i}")),
                text("ipfs://bench-model"),
                parent,
                terms,
            );
            let (id, _) = self.d.send_returning("registerModel", call).await?;
            line.push(id);
            owners.push(owner);
        }
        let host = self.d.actor("bench-host", 5).await?;
        let mut licenses = Vec::new();
        for (model, depth) in [(line[8], 8), (line[1], 1)] {
            let call = self.oml_as(&host).request_license(model).value(collateral);
            let (license, receipt) = self.d.send_returning("requestLicense", call).await?;
            if depth == 8 {
                self.out.row(
                    OML,
                    "requestLicense (ETH collateral)",
                    gas(&receipt),
                    "transaction",
                );
            }
            let call = self.oml_as(&host).report_usage(license, 3).value(fee * 3);
            self.setup("first usage report", call).await?;
            let call = self.oml_as(&host).report_usage(license, 1).value(fee);
            let used = self
                .measure(OML, &format!("reportUsage, depth {depth}"), call)
                .await?;
            if depth == 8 {
                self.reference(reference::CASCADE, OML, used);
            }
            licenses.push(license);
        }

        // The same 1,024 values the Solidity reference proves as leaves are fingerprints here:
        // the registry hashes each into its tree leaf and checks the committed depth.
        let fingerprints = fingerprint_leaves(1_024);
        let index = 613;
        let tree = merkle::Tree::new(fingerprints.clone()).context("fingerprint tree")?;
        let proof = tree.proof(index);
        ensure!(
            tree.depth() == 10 && proof.len() == 10,
            "a 1,024-leaf tree has depth 10"
        );
        let call =
            self.oml_as(&owners[8])
                .set_fingerprint_root(licenses[0], tree.root(), tree.depth());
        self.setup("setFingerprintRoot", call).await?;
        let params = self
            .d
            .view("oml.params", self.oml_as(&self.deployer).params())
            .await?;
        let (challenge_window, bond_bps) = (params.1, params.3);
        let bond = collateral * U256::from(bond_bps) / U256::from(10_000u64);
        let prover = self.d.actor("bench-prover", 2).await?;
        let call = self
            .oml_as(&prover)
            .submit_claim(
                licenses[0],
                LEAKED_COPY,
                vec![fingerprints[index]],
                vec![proof],
                keccak256("benchmark evidence"),
                U256::zero(),
            )
            .value(bond);
        let (claim, receipt) = self.d.send_returning("submitClaim", call).await?;
        let used = gas(&receipt);
        self.out.row(
            OML,
            "submitClaim, 1 leaf of a 1,024-leaf tree (10-hash proof)",
            used,
            "transaction",
        );
        self.reference(reference::MERKLE, OML, used);
        self.d.increase_time(challenge_window + 1).await?;
        let call = self.oml_as(&prover).finalize_claim(claim);
        self.measure(OML, "finalizeClaim (collateral slashed)", call)
            .await?;
        let call = self.oml_as(&prover).withdraw(Address::zero());
        self.measure(OML, "withdraw (ETH)", call).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(gas: [u64; 2]) -> Pass {
        Pass {
            rows: vec![
                Measured {
                    contract: ContractKind::StakingVault,
                    operation: "stake".into(),
                    gas: gas[0],
                    measured_as: "transaction".into(),
                },
                Measured {
                    contract: ContractKind::Subdao,
                    operation: "castVote".into(),
                    gas: gas[1],
                    measured_as: "transaction".into(),
                },
            ],
            references: vec![Reference {
                name: reference::VOTE.into(),
                gas: gas[1],
                core_saving: 20_000,
            }],
        }
    }

    #[test]
    fn passes_pair_row_by_row_with_the_core_only_figure_beside() {
        let focused = Focused::pair(pass([300_000, 200_000]), pass([275_000, 150_000])).unwrap();
        assert_eq!(focused.rows[1].contract, "subdao");
        assert_eq!(
            (focused.rows[1].uncached, focused.rows[1].cached),
            (200_000, 150_000)
        );
        assert_eq!(
            focused.references,
            vec![(
                reference::VOTE.to_string(),
                StylusGas {
                    uncached: 200_000,
                    cached: 150_000,
                    core_only_computed: 180_000,
                }
            )]
        );

        let mut other = pass([1, 2]);
        other.rows[0].operation = "unstake".into();
        assert!(Focused::pair(pass([1, 2]), other).is_err());
        let mut shorter = pass([1, 2]);
        shorter.rows.pop();
        assert!(Focused::pair(pass([1, 2]), shorter).is_err());
    }
}
