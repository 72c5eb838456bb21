//! SubDAO end to end, through the `abigen!` bindings of `abi/SubDao.json`, on the
//! embedded devnode (or `RPC_URL`): validators propose, vote For, Against and Abstain with the
//! power they had at the snapshot, a proposal passes on quorum and majority, waits out the
//! timelock and executes: the SubDAO, as the agent token's governance, lowers the token tax,
//! burns treasury tokens, pays ETH from the treasury, changes its own settings and slashes a
//! validator voted against by signature; as the Elo ledger's governance it crowns the model a
//! validation session rated higher, and refuses to propose one rated lower. Typed failures on the way (voting twice, before or
//! after the window, without power at the snapshot, queueing a defeated proposal, executing
//! before the timelock or twice, ...) leave the state unchanged.
//!
//! Voting power comes from one of two sources:
//! - [`VotesStandIn`] (`tests/fixtures/VotesStandIn.sol`): per-second checkpoints set by the
//!   test, `getPastVotes`/`getPastTotalSupply` refusing lookups that are not in the past, and a
//!   governance-only `slash`. Most scenarios use it: no staking setup, power set exactly.
//! - the real staking vault (core and extension programs), with LP stake: the same scenario
//!   bodies. The vault is reached through the few functions below (its newest signatures), so
//!   this file compiles whatever the vault's committed ABI is.

use std::sync::Arc;

use anyhow::{bail, ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::subdao::{SubDao, SubDaoErrors, SubDaoEvents};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::providers::Middleware;
use ethers::signers::Signer;
use ethers::types::transaction::eip712::Eip712;
use ethers::types::{Address, Bytes, TransactionRequest, U256};
use ethers::utils::keccak256;
use integration_tests::bindings::votes_stand_in::VotesStandIn;
use integration_tests::{
    address_of, connect, events, gas_used, revert, send, tokens, typed_data, Client, Harness,
};

ethers::contract::abigen!(
    StakingVault,
    r#"[
        function registerValidator(uint256 commissionBps, bytes metadataUri)
        function stake(address validator, uint256 amount) returns (uint256)
        function parameters() view returns (address, address, address, uint256, uint256, uint256)
        function getVotes(address validator) view returns (uint256)
        function governance() view returns (address)
        function transferGovernance(address successor)
        function slash(address validator, uint256 bps, bytes32 reasonHash)
    ]"#
);

/// Seconds from proposal to snapshot.
const DELAY: u64 = 1;
/// Seconds of voting.
const PERIOD: u64 = 60;
/// Seconds from queue to the earliest execution.
const TIMELOCK: u64 = 30;
/// Seconds a queued proposal stays executable.
const GRACE: u64 = 3_600;
/// Quorum: half of the power at the snapshot, so Abstain votes make the difference below.
const QUORUM_BPS: u64 = 5_000;

/// Proposal states (OpenZeppelin's numbering).
const PENDING: u8 = 0;
const ACTIVE: u8 = 1;
const CANCELED: u8 = 2;
const DEFEATED: u8 = 3;
const SUCCEEDED: u8 = 4;
const QUEUED: u8 = 5;
const EXPIRED: u8 = 6;
const EXECUTED: u8 = 7;

/// Vote types.
const AGAINST: u8 = 0;
const FOR: u8 = 1;
const ABSTAIN: u8 = 2;

/// `expectedStates` of `UnexpectedProposalState`: the bit of `state`, as a word.
fn mask(state: u8) -> [u8; 32] {
    let mut word = [0u8; 32];
    (U256::one() << state).to_big_endian(&mut word);
    word
}

/// Checks that `error` is `UnexpectedProposalState(id, current, mask(expected))`.
fn expect_state_error(error: SubDaoErrors, id: U256, current: u8, expected: u8) -> Result<()> {
    match error {
        SubDaoErrors::UnexpectedProposalState(e) => {
            ensure!(
                (e.0, e.1, e.2) == (id, current, mask(expected)),
                "state error {e:?}, wanted ({id}, {current}, bit {expected})"
            );
            Ok(())
        }
        other => bail!("unexpected {other:?}"),
    }
}

/// Where voting power comes from.
enum Power {
    /// The Solidity stand-in: power set directly.
    StandIn(VotesStandIn<Client>),
    /// The real staking vault: power is LP stake.
    Vault(StakingVault<Client>),
}

/// The deployed token, the power source and the SubDAO, each bound to the deployer.
struct System {
    harness: Harness,
    token: AgentToken<Client>,
    power: Power,
    dao: SubDao<Client>,
}

impl System {
    /// Deploys the token and the SubDAO with power from the stand-in, or from the real vault
    /// when `real_vault`.
    async fn deploy(real_vault: bool) -> Result<Self> {
        let params = SystemParams {
            voting_delay: DELAY,
            voting_period: PERIOD,
            timelock_delay: TIMELOCK,
            grace_period: GRACE,
            quorum_bps: QUORUM_BPS,
            proposal_threshold: tokens(1),
            ..SystemParams::default()
        };
        let harness = Harness::start().await?;
        let client = harness.deployer();
        let no_ledger = ("elo_ledger", Address::zero());
        let (report, power) = if real_vault {
            let kinds = [
                ContractKind::AgentToken,
                ContractKind::StakingVault,
                ContractKind::Subdao,
            ];
            let report = harness.deploy_with(&kinds, &params, &[no_ledger]).await?;
            let vault = address_of(&report, ContractKind::StakingVault)?;
            (
                report,
                Power::Vault(StakingVault::new(vault, client.clone())),
            )
        } else {
            let stand_in = harness.votes_stand_in().await?;
            let kinds = [ContractKind::AgentToken, ContractKind::Subdao];
            let vault = ("vault", stand_in.address());
            let report = harness
                .deploy_with(&kinds, &params, &[vault, no_ledger])
                .await?;
            (report, Power::StandIn(stand_in))
        };
        Ok(Self {
            token: AgentToken::new(
                address_of(&report, ContractKind::AgentToken)?,
                client.clone(),
            ),
            dao: SubDao::new(address_of(&report, ContractKind::Subdao)?, client),
            power,
            harness,
        })
    }

    fn dao_as(&self, user: &Arc<Client>) -> SubDao<Client> {
        connect(&self.dao, user)
    }

    /// The address of the power source.
    fn power_address(&self) -> Address {
        match &self.power {
            Power::StandIn(stand_in) => stand_in.address(),
            Power::Vault(vault) => vault.address(),
        }
    }

    /// A funded account with `amount` tokens of voting power from now on (stand-in: set;
    /// vault: registered as a validator with that much LP stake on itself).
    async fn validator(&self, amount: u64) -> Result<Arc<Client>> {
        let validator = self.harness.funded_account(1).await?;
        match &self.power {
            Power::StandIn(stand_in) => {
                send(stand_in.set_votes(validator.address(), tokens(amount))).await?;
            }
            Power::Vault(vault) => {
                let lp_address = vault.parameters().call().await?.0;
                // The LP token is the agent token on chains without a pool: keep its tax off
                // the stake.
                if lp_address == self.token.address() {
                    send(self.token.set_tax_exempt(vault.address(), true)).await?;
                    send(self.token.set_tax_exempt(validator.address(), true)).await?;
                }
                let lp = AgentToken::new(lp_address, self.harness.deployer());
                send(lp.transfer(validator.address(), tokens(amount))).await?;
                let as_validator = connect(vault, &validator);
                let metadata = Bytes::from_static(b"ipfs://validator");
                send(as_validator.register_validator(U256::zero(), metadata)).await?;
                send(connect(&lp, &validator).approve(vault.address(), tokens(amount))).await?;
                send(as_validator.stake(validator.address(), tokens(amount))).await?;
            }
        }
        Ok(validator)
    }

    /// `who`'s current voting power.
    async fn votes(&self, who: Address) -> Result<U256> {
        Ok(match &self.power {
            Power::StandIn(stand_in) => stand_in.get_votes(who).call().await?,
            Power::Vault(vault) => vault.get_votes(who).call().await?,
        })
    }

    /// The power source's governance moves to the SubDAO (nominated by the deployer, accepted
    /// through `acceptGovernanceOf` by `relayer`).
    async fn power_governed_by_the_dao(&self, relayer: &Arc<Client>) -> Result<()> {
        let dao = self.dao.address();
        match &self.power {
            Power::StandIn(stand_in) => send(stand_in.transfer_governance(dao)).await?,
            Power::Vault(vault) => send(vault.transfer_governance(dao)).await?,
        };
        send(
            self.dao_as(relayer)
                .accept_governance_of(self.power_address()),
        )
        .await?;
        let governance = match &self.power {
            Power::StandIn(stand_in) => stand_in.governance().call().await?,
            Power::Vault(vault) => vault.governance().call().await?,
        };
        ensure!(governance == dao, "governance is {governance:?}");
        Ok(())
    }
}

/// One proposal's content, as `propose` takes it and `execute` needs it back.
#[derive(Clone)]
struct Content {
    targets: Vec<Address>,
    values: Vec<U256>,
    calldatas: Vec<Bytes>,
    description: String,
}

impl Content {
    fn new(actions: Vec<(Address, U256, Bytes)>, description: &str) -> Self {
        let mut content = Self {
            targets: Vec::new(),
            values: Vec::new(),
            calldatas: Vec::new(),
            description: description.into(),
        };
        for (target, value, data) in actions {
            content.targets.push(target);
            content.values.push(value);
            content.calldatas.push(data);
        }
        content
    }

    fn propose(&self, dao: &SubDao<Client>) -> ethers::contract::ContractCall<Client, U256> {
        dao.propose(
            self.targets.clone(),
            self.values.clone(),
            self.calldatas.clone(),
            self.description.clone(),
        )
    }

    fn execute(&self, dao: &SubDao<Client>) -> ethers::contract::ContractCall<Client, U256> {
        dao.execute(
            self.targets.clone(),
            self.values.clone(),
            self.calldatas.clone(),
            keccak256(&self.description),
        )
    }
}

/// Proposes `content` as `proposer`; the proposal id.
async fn propose(sys: &System, proposer: &Arc<Client>, content: &Content) -> Result<U256> {
    let call = content.propose(&sys.dao_as(proposer));
    let id = call.call().await?;
    send(call).await?;
    Ok(id)
}

/// Lowering the token tax to `bps`.
fn tax_cut(sys: &System, bps: u16) -> Result<Content> {
    let data = sys
        .token
        .lower_tax_rate(bps)
        .calldata()
        .context("calldata")?;
    Ok(Content::new(
        vec![(sys.token.address(), U256::zero(), data)],
        &format!("lower the token tax to {bps} bps"),
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn tax_cut_passes_on_quorum_and_majority_after_the_timelock() -> Result<()> {
    tax_cut_scenario(false).await
}

#[tokio::test(flavor = "multi_thread")]
async fn tax_cut_passes_with_staking_vault_power() -> Result<()> {
    tax_cut_scenario(true).await
}

async fn tax_cut_scenario(real_vault: bool) -> Result<()> {
    let sys = System::deploy(real_vault).await?;
    // 1,000 votes in all: quorum is 500.
    let alice = sys.validator(400).await?;
    let bob = sys.validator(300).await?;
    let carol = sys.validator(200).await?;
    let dave = sys.validator(100).await?;
    let outsider = sys.harness.funded_account(1).await?;
    let dao_address = sys.dao.address();

    // Governance handover: the deployer nominates the SubDAO, anyone completes it.
    send(sys.token.transfer_governance(dao_address)).await?;
    send(
        sys.dao_as(&outsider)
            .accept_governance_of(sys.token.address()),
    )
    .await?;
    assert_eq!(sys.token.governance().call().await?, dao_address);
    assert_eq!(sys.token.tax_bps().call().await?, 100);
    // The power source never nominated the SubDAO: its typed refusal comes back as the reason.
    match revert(
        sys.dao_as(&outsider)
            .accept_governance_of(sys.power_address()),
    )
    .await?
    {
        SubDaoErrors::ExternalCallFailed(e) => {
            assert_eq!(e.0, sys.power_address());
            ensure!(!e.1.is_empty(), "the refusal's revert data is the reason");
        }
        other => bail!("unexpected {other:?}"),
    }

    // Power one second back counts for proposing.
    sys.harness.increase_time(2).await?;
    let content = tax_cut(&sys, 50)?;

    // An account without power cannot propose; nothing is recorded.
    match revert(content.propose(&sys.dao_as(&outsider))).await? {
        SubDaoErrors::ProposerBelowThreshold(e) => {
            assert_eq!(
                (e.0, e.1, e.2),
                (outsider.address(), U256::zero(), tokens(1))
            );
        }
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(
        sys.dao.participation(outsider.address()).call().await?,
        (0, 0, 0)
    );

    let id = propose(&sys, &alice, &content).await?;
    assert_eq!(sys.dao.state(id).call().await?, PENDING);
    assert_eq!(
        sys.dao.participation(alice.address()).call().await?,
        (0, 1, 1)
    );
    match revert(content.propose(&sys.dao_as(&bob))).await? {
        SubDaoErrors::ProposalAlreadyExists(e) => assert_eq!(e.0, id),
        other => bail!("unexpected {other:?}"),
    }
    // Voting before the snapshot is outside the window.
    expect_state_error(
        revert(sys.dao_as(&alice).cast_vote(id, FOR)).await?,
        id,
        PENDING,
        ACTIVE,
    )?;
    let (_, snapshot, deadline, eta, quorum_bps, ..) = sys.dao.proposal(id).call().await?;
    assert_eq!(
        (deadline - snapshot, eta, quorum_bps),
        (PERIOD, 0, QUORUM_BPS)
    );

    sys.harness.increase_time(DELAY + 1).await?;
    assert_eq!(sys.dao.state(id).call().await?, ACTIVE);
    // Power that arrives after the snapshot does not vote (it would swamp the count).
    let latecomer = sys.validator(10_000).await?;
    match revert(sys.dao_as(&latecomer).cast_vote(id, AGAINST)).await? {
        SubDaoErrors::NoVotingPower(e) => assert_eq!((e.0, e.1), (latecomer.address(), snapshot)),
        other => bail!("unexpected {other:?}"),
    }
    match revert(sys.dao_as(&alice).cast_vote(id, 3)).await? {
        SubDaoErrors::InvalidVoteType(e) => assert_eq!(e.0, 3),
        other => bail!("unexpected {other:?}"),
    }

    // For 400, Against 300, Abstain 200: For alone misses the quorum of 500, with Abstain it
    // is met, and For beats Against.
    let voted = send(sys.dao_as(&alice).cast_vote(id, FOR)).await?;
    let cast: Vec<_> = events::<SubDaoEvents>(&voted)
        .into_iter()
        .filter_map(|e| match e {
            SubDaoEvents::VoteCastFilter(v) => Some((v.voter, v.proposal_id, v.support, v.weight)),
            _ => None,
        })
        .collect();
    assert_eq!(cast, vec![(alice.address(), id, FOR, tokens(400))]);
    send(sys.dao_as(&bob).cast_vote(id, AGAINST)).await?;
    let reason = "the tax funds the treasury";
    let abstained = send(
        sys.dao_as(&carol)
            .cast_vote_with_reason(id, ABSTAIN, reason.into()),
    )
    .await?;
    assert!(events::<SubDaoEvents>(&abstained).iter().any(
        |e| matches!(e, SubDaoEvents::VoteCastFilter(v) if v.reason == reason && v.support == ABSTAIN)
    ));
    let counted = sys.dao.proposal(id).call().await?;
    assert_eq!(
        (counted.5, counted.6, counted.7, counted.8),
        (tokens(1_000), tokens(300), tokens(400), tokens(200)),
        "total power at the snapshot, Against, For, Abstain"
    );
    assert!(sys.dao.has_voted(id, carol.address()).call().await?);
    assert!(!sys.dao.has_voted(id, dave.address()).call().await?);

    // Voting twice fails and the count stays; so does queueing while voting runs.
    match revert(sys.dao_as(&alice).cast_vote(id, FOR)).await? {
        SubDaoErrors::AlreadyVoted(e) => assert_eq!((e.0, e.1), (id, alice.address())),
        other => bail!("unexpected {other:?}"),
    }
    expect_state_error(
        revert(sys.dao_as(&outsider).queue(id)).await?,
        id,
        ACTIVE,
        SUCCEEDED,
    )?;
    assert_eq!(sys.dao.proposal(id).call().await?, counted);

    sys.harness.increase_time(PERIOD).await?;
    assert_eq!(sys.dao.state(id).call().await?, SUCCEEDED);
    // Voting after the deadline is outside the window; executing needs the queue first.
    expect_state_error(
        revert(sys.dao_as(&dave).cast_vote(id, AGAINST)).await?,
        id,
        SUCCEEDED,
        ACTIVE,
    )?;
    expect_state_error(
        revert(content.execute(&sys.dao_as(&outsider))).await?,
        id,
        SUCCEEDED,
        QUEUED,
    )?;
    assert_eq!(sys.dao.proposal(id).call().await?, counted);

    let queued = send(sys.dao_as(&outsider).queue(id)).await?;
    assert_eq!(sys.dao.state(id).call().await?, QUEUED);
    let (eta, expiry) = events::<SubDaoEvents>(&queued)
        .into_iter()
        .find_map(|e| match e {
            SubDaoEvents::ProposalQueuedFilter(q) if q.proposal_id == id => Some((q.eta, q.expiry)),
            _ => None,
        })
        .context("no ProposalQueued")?;
    assert_eq!(expiry - eta, GRACE);
    assert_eq!(sys.dao.proposal(id).call().await?.3, eta);

    // Executing before the timelock fails; the tax is untouched.
    match revert(content.execute(&sys.dao_as(&outsider))).await? {
        SubDaoErrors::TimelockNotElapsed(e) => assert_eq!((e.0, e.1), (id, eta)),
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(sys.dao.state(id).call().await?, QUEUED);
    assert_eq!(sys.token.tax_bps().call().await?, 100);

    sys.harness.increase_time(TIMELOCK).await?;
    let executed = send(content.execute(&sys.dao_as(&outsider))).await?;
    assert!(events::<SubDaoEvents>(&executed)
        .iter()
        .any(|e| matches!(e, SubDaoEvents::ProposalExecutedFilter(x) if x.proposal_id == id)));
    assert_eq!(sys.dao.state(id).call().await?, EXECUTED);
    assert_eq!(sys.token.tax_bps().call().await?, 50);
    // Executing twice fails.
    expect_state_error(
        revert(content.execute(&sys.dao_as(&outsider))).await?,
        id,
        EXECUTED,
        QUEUED,
    )?;
    assert_eq!(
        sys.dao.participation(alice.address()).call().await?,
        (1, 1, 1)
    );
    assert_eq!(
        sys.dao.participation(dave.address()).call().await?,
        (0, 0, 1)
    );
    sys.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn tied_unattended_and_canceled_proposals_never_execute() -> Result<()> {
    let sys = System::deploy(false).await?;
    let alice = sys.validator(400).await?;
    let bob = sys.validator(300).await?;
    let carol = sys.validator(200).await?;
    let dave = sys.validator(100).await?;
    sys.harness.increase_time(2).await?;
    let tied = propose(&sys, &alice, &tax_cut(&sys, 90)?).await?;
    let unattended = propose(&sys, &dave, &tax_cut(&sys, 80)?).await?;
    let withdrawn = propose(&sys, &bob, &tax_cut(&sys, 70)?).await?;

    // Only the proposer cancels, and only while pending.
    match revert(sys.dao_as(&alice).cancel(withdrawn)).await? {
        SubDaoErrors::Unauthorized(e) => assert_eq!((e.0, e.1), (alice.address(), bob.address())),
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(sys.dao.state(withdrawn).call().await?, PENDING);
    send(sys.dao_as(&bob).cancel(withdrawn)).await?;
    assert_eq!(sys.dao.state(withdrawn).call().await?, CANCELED);
    match revert(sys.dao_as(&bob).cancel(U256::from(12_345))).await? {
        SubDaoErrors::NonexistentProposal(e) => assert_eq!(e.0, U256::from(12_345)),
        other => bail!("unexpected {other:?}"),
    }

    sys.harness.increase_time(DELAY + 1).await?;
    expect_state_error(
        revert(sys.dao_as(&alice).cancel(tied)).await?,
        tied,
        ACTIVE,
        PENDING,
    )?;
    expect_state_error(
        revert(sys.dao_as(&bob).cast_vote(withdrawn, FOR)).await?,
        withdrawn,
        CANCELED,
        ACTIVE,
    )?;
    // Tied: quorum met (For 400 + Abstain 200), but For 400 does not beat Against 300 + 100.
    send(sys.dao_as(&alice).cast_vote(tied, FOR)).await?;
    send(sys.dao_as(&carol).cast_vote(tied, ABSTAIN)).await?;
    send(sys.dao_as(&bob).cast_vote(tied, AGAINST)).await?;
    send(sys.dao_as(&dave).cast_vote(tied, AGAINST)).await?;
    // Unattended: For beats Against, but 100 For is far from the quorum of 500.
    send(sys.dao_as(&dave).cast_vote(unattended, FOR)).await?;

    sys.harness.increase_time(PERIOD).await?;
    for id in [tied, unattended] {
        assert_eq!(sys.dao.state(id).call().await?, DEFEATED);
        expect_state_error(revert(sys.dao.queue(id)).await?, id, DEFEATED, SUCCEEDED)?;
    }
    expect_state_error(
        revert(sys.dao.queue(withdrawn)).await?,
        withdrawn,
        CANCELED,
        SUCCEEDED,
    )?;
    assert_eq!(sys.token.tax_bps().call().await?, 100);
    sys.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn treasury_burns_tokens_pays_eth_and_retunes_the_subdao() -> Result<()> {
    let sys = System::deploy(false).await?;
    let alice = sys.validator(1_000).await?;
    let payer = sys.harness.funded_account(3).await?;
    let recipient = Address::random();
    let provider = sys.harness.chain.provider().clone();
    let dao = sys.dao.address();

    // The treasury: agent tokens (the deployer is tax exempt) and ETH sent by plain transfer.
    send(sys.token.transfer(dao, tokens(5_000))).await?;
    let gift = tokens(2);
    let receipt = payer
        .send_transaction(TransactionRequest::pay(dao, gift), None)
        .await?
        .await?
        .context("transfer dropped")?;
    ensure!(
        receipt.status == Some(1.into()),
        "a plain transfer to the SubDAO reverted"
    );
    assert_eq!(provider.get_balance(dao, None).await?, gift);

    // Settings belong to the SubDAO itself: a direct call is a typed refusal, nothing changes.
    let settings = sys.dao.settings().call().await?;
    let retune = |dao: &SubDao<Client>| {
        dao.set_settings(
            Address::zero(),
            DELAY,
            2 * PERIOD,
            tokens(1),
            QUORUM_BPS,
            TIMELOCK,
            GRACE,
        )
    };
    match revert(retune(&sys.dao_as(&payer))).await? {
        SubDaoErrors::Unauthorized(e) => assert_eq!((e.0, e.1), (payer.address(), dao)),
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(sys.dao.settings().call().await?, settings);
    assert_eq!((settings.0, settings.3), (sys.power_address(), PERIOD));

    // One proposal: buy-back-and-burn of 1,000 treasury tokens, 0.5 ETH to a recipient and a
    // longer voting period.
    let burn = sys
        .token
        .burn(tokens(1_000))
        .calldata()
        .context("calldata")?;
    let half = tokens(1) / 2;
    let content = Content::new(
        vec![
            (sys.token.address(), U256::zero(), burn),
            (recipient, half, Bytes::new()),
            (
                dao,
                U256::zero(),
                retune(&sys.dao).calldata().context("calldata")?,
            ),
        ],
        "burn 1,000 treasury tokens, pay 0.5 ETH, vote for two minutes",
    );
    sys.harness.increase_time(2).await?;
    let id = propose(&sys, &alice, &content).await?;
    sys.harness.increase_time(DELAY + 1).await?;
    send(sys.dao_as(&alice).cast_vote(id, FOR)).await?;
    sys.harness.increase_time(PERIOD).await?;
    send(sys.dao.queue(id)).await?;
    sys.harness.increase_time(TIMELOCK).await?;

    let supply = sys.token.total_supply().call().await?;
    let executed = send(content.execute(&sys.dao_as(&payer))).await?;
    assert_eq!(sys.dao.state(id).call().await?, EXECUTED);
    assert_eq!(
        sys.token.total_supply().call().await?,
        supply - tokens(1_000)
    );
    assert_eq!(sys.token.balance_of(dao).call().await?, tokens(4_000));
    assert_eq!(provider.get_balance(recipient, None).await?, half);
    assert_eq!(provider.get_balance(dao, None).await?, gift - half);
    let retuned = sys.dao.settings().call().await?;
    assert_eq!(retuned.3, 2 * PERIOD);
    assert!(events::<SubDaoEvents>(&executed).iter().any(
        |e| matches!(e, SubDaoEvents::SettingsUpdatedFilter(s) if s.voting_period == 2 * PERIOD)
    ));
    sys.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_reentrant_and_expired_proposals_are_refused() -> Result<()> {
    let sys = System::deploy(false).await?;
    let alice = sys.validator(1_000).await?;
    let anyone = sys.harness.funded_account(1).await?;
    send(sys.token.transfer_governance(sys.dao.address())).await?;
    send(
        sys.dao_as(&anyone)
            .accept_governance_of(sys.token.address()),
    )
    .await?;
    sys.harness.increase_time(2).await?;

    // Empty or mismatched actions are refused before anything is recorded.
    let as_alice = sys.dao_as(&alice);
    let call = as_alice.propose(Vec::new(), Vec::new(), Vec::new(), "nothing".into());
    match revert(call).await? {
        SubDaoErrors::InvalidProposalLength(e) => {
            assert_eq!((e.0, e.1, e.2), (0.into(), 0.into(), 0.into()));
        }
        other => bail!("unexpected {other:?}"),
    }
    let call = as_alice.propose(
        vec![sys.token.address()],
        Vec::new(),
        vec![Bytes::new()],
        "x".into(),
    );
    match revert(call).await? {
        SubDaoErrors::InvalidProposalLength(e) => {
            assert_eq!((e.0, e.1, e.2), (1.into(), 0.into(), 1.into()));
        }
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(
        sys.dao.participation(alice.address()).call().await?,
        (0, 0, 0)
    );

    // Three proposals: a tax cut, one whose action executes the tax cut from inside an
    // execution (re-entering the SubDAO), and one left to expire.
    let inner = tax_cut(&sys, 90)?;
    let reenter = inner.execute(&sys.dao).calldata().context("calldata")?;
    let outer = Content::new(
        vec![(sys.dao.address(), U256::zero(), reenter)],
        "execute the tax cut from within",
    );
    let late = tax_cut(&sys, 10)?;
    let mut ids = Vec::new();
    for content in [&inner, &outer, &late] {
        ids.push(propose(&sys, &alice, content).await?);
    }
    sys.harness.increase_time(DELAY + 1).await?;
    for id in &ids {
        send(as_alice.cast_vote(*id, FOR)).await?;
    }
    sys.harness.increase_time(PERIOD).await?;
    for id in &ids {
        send(sys.dao.queue(*id)).await?;
    }
    sys.harness.increase_time(TIMELOCK).await?;

    // The re-entrant execution fails with the guard's error, bubbled up unchanged; neither
    // proposal moved and the tax is untouched.
    let error = revert(outer.execute(&sys.dao_as(&anyone))).await?;
    assert!(matches!(error, SubDaoErrors::ReentrantCall(_)), "{error:?}");
    for id in &ids {
        assert_eq!(sys.dao.state(*id).call().await?, QUEUED);
    }
    assert_eq!(sys.token.tax_bps().call().await?, 100);
    send(inner.execute(&sys.dao_as(&anyone))).await?;
    assert_eq!(sys.token.tax_bps().call().await?, 90);

    // Past the grace period a queued proposal has expired and cannot execute.
    sys.harness.increase_time(GRACE + 1).await?;
    assert_eq!(sys.dao.state(ids[2]).call().await?, EXPIRED);
    expect_state_error(
        revert(late.execute(&sys.dao_as(&anyone))).await?,
        ids[2],
        EXPIRED,
        QUEUED,
    )?;
    assert_eq!(sys.token.tax_bps().call().await?, 90);
    sys.harness.finish().await
}

/// `voter`'s EIP-712 ballot for `castVoteBySig`, signed with ethers' typed-data signer.
async fn sign_ballot(
    dao: &SubDao<Client>,
    voter: &Arc<Client>,
    id: U256,
    support: u8,
) -> Result<Bytes> {
    let chain_id = voter.get_chainid().await?.as_u64();
    let nonce = dao.nonces(voter.address()).call().await?;
    let typed = typed_data(
        ("AgentDAO SubDAO", "1", chain_id, dao.address()),
        "Ballot",
        &[
            ("proposalId", "uint256"),
            ("support", "uint8"),
            ("voter", "address"),
            ("nonce", "uint256"),
        ],
        serde_json::json!({
            "proposalId": id.to_string(),
            "support": support,
            "voter": format!("{:#x}", voter.address()),
            "nonce": nonce.to_string()
        }),
    )?;
    assert_eq!(
        typed.domain_separator()?,
        dao.domain_separator().call().await?,
        "the SubDAO's EIP-712 domain is the standard one"
    );
    let signature = voter.signer().sign_typed_data(&typed).await?;
    Ok(signature.to_vec().into())
}

#[tokio::test(flavor = "multi_thread")]
async fn slash_voted_partly_by_signature_is_executed() -> Result<()> {
    slash_scenario(false).await
}

#[tokio::test(flavor = "multi_thread")]
async fn slash_is_executed_in_the_staking_vault() -> Result<()> {
    slash_scenario(true).await
}

async fn slash_scenario(real_vault: bool) -> Result<()> {
    let sys = System::deploy(real_vault).await?;
    let alice = sys.validator(1_000).await?;
    let bob = sys.validator(3_000).await?;
    let relayer = sys.harness.funded_account(1).await?;
    sys.power_governed_by_the_dao(&relayer).await?;
    sys.harness.increase_time(2).await?;

    let reason = [0x5a; 32];
    // A slash above the power source's maximum (the vault's default 50%; the stand-in's 100%)
    // could pass the vote and never execute: refused when proposed.
    let max = if real_vault { 5_000 } else { 10_000 };
    let too_much = U256::from(max + 1);
    match revert(
        sys.dao_as(&bob)
            .propose_slash(alice.address(), too_much, reason),
    )
    .await?
    {
        SubDaoErrors::BpsOutOfRange(e) => assert_eq!((e.0, e.1), (too_much, U256::from(max))),
        other => bail!("unexpected {other:?}"),
    }
    let bps = U256::from(1_000);
    let propose = sys.dao_as(&bob).propose_slash(alice.address(), bps, reason);
    let id = propose.call().await?;
    let proposed = send(propose).await?;
    sys.harness.increase_time(DELAY + 1).await?;

    let voted = send(sys.dao_as(&bob).cast_vote(id, FOR)).await?;
    // Alice votes against by signature; anyone relays it.
    let ballot = sign_ballot(&sys.dao, &alice, id, AGAINST).await?;
    let relay = || {
        sys.dao_as(&relayer)
            .cast_vote_by_sig(id, AGAINST, alice.address(), ballot.clone())
    };
    let by_sig = send(relay()).await?;
    assert_eq!(sys.dao.nonces(alice.address()).call().await?, U256::one());
    let counted = sys.dao.proposal(id).call().await?;
    assert_eq!((counted.6, counted.7), (tokens(1_000), tokens(3_000)));
    // Replaying the signature fails (the nonce moved on); nothing changes.
    match revert(relay()).await? {
        SubDaoErrors::InvalidSigner(e) => {
            assert_eq!(e.1, alice.address());
            assert_ne!(e.0, alice.address());
        }
        other => bail!("unexpected {other:?}"),
    }
    // A ballot signed by someone else for alice is refused the same way.
    let forged = sign_ballot(&sys.dao, &relayer, id, FOR).await?;
    let call = sys
        .dao_as(&relayer)
        .cast_vote_by_sig(id, FOR, alice.address(), forged);
    match revert(call).await? {
        SubDaoErrors::InvalidSigner(e) => assert_eq!(e.1, alice.address()),
        other => bail!("unexpected {other:?}"),
    }
    assert_eq!(sys.dao.proposal(id).call().await?, counted);
    assert_eq!(sys.dao.nonces(alice.address()).call().await?, U256::one());

    sys.harness.increase_time(PERIOD).await?;
    let queued = send(sys.dao_as(&relayer).queue(id)).await?;
    sys.harness.increase_time(TIMELOCK).await?;
    let slash = match &sys.power {
        Power::StandIn(stand_in) => stand_in.slash(alice.address(), bps, reason).calldata(),
        Power::Vault(vault) => vault.slash(alice.address(), bps, reason).calldata(),
    }
    .context("calldata")?;
    // `proposeSlash` reserves its proposal for its proposer: the description is that suffix.
    let description = format!("#proposer={:#x}", bob.address());
    let executed = send(sys.dao_as(&relayer).execute(
        vec![sys.power_address()],
        vec![U256::zero()],
        vec![slash],
        keccak256(description),
    ))
    .await?;
    assert_eq!(sys.dao.state(id).call().await?, EXECUTED);
    // The executed slash is visible at the power source: 10% of alice's power is gone.
    assert_eq!(sys.votes(alice.address()).await?, tokens(900));
    assert_eq!(sys.votes(bob.address()).await?, tokens(3_000));
    println!(
        "subdao gas: propose {} castVote {} castVoteBySig {} queue {} execute {}",
        gas_used(&proposed),
        gas_used(&voted),
        gas_used(&by_sig),
        gas_used(&queued),
        gas_used(&executed)
    );
    sys.harness.finish().await
}
#[tokio::test(flavor = "multi_thread")]
async fn model_upgrade_backed_by_elo_is_voted_and_executed() -> Result<()> {
    use crate::elo_ledger::{play_session, short_sessions};
    use deploy::bindings::elo_ledger::EloLedger;

    let harness = Harness::start().await?;
    let stand_in = harness.votes_stand_in().await?;
    let mut validators = Vec::new();
    for _ in 0..3 {
        let validator = harness.funded_account(1).await?;
        send(stand_in.set_votes(validator.address(), tokens(100))).await?;
        validators.push(validator);
    }
    // The ledger and the SubDAO share the stand-in as their vault; the SubDAO gets the ledger's
    // address from the deployment.
    let params = SystemParams {
        voting_delay: DELAY,
        voting_period: PERIOD,
        timelock_delay: TIMELOCK,
        grace_period: GRACE,
        quorum_bps: QUORUM_BPS,
        proposal_threshold: tokens(1),
        ..SystemParams::default()
    };
    let kinds = [ContractKind::EloLedger, ContractKind::Subdao];
    let report = harness
        .deploy_with(&kinds, &params, &[("vault", stand_in.address())])
        .await?;
    let client = harness.deployer();
    let ledger = EloLedger::new(address_of(&report, kinds[0])?, client.clone());
    let dao = SubDao::new(address_of(&report, kinds[1])?, client);
    assert_eq!(dao.settings().call().await?.1, ledger.address());
    short_sessions(&ledger).await?;
    send(ledger.transfer_governance(dao.address())).await?;
    send(connect(&dao, &validators[0]).accept_governance_of(ledger.address())).await?;
    assert_eq!(ledger.governance().call().await?, dao.address());

    // A base model and its fine-tune; two of three validators see the fine-tune win.
    let owner = harness.funded_account(1).await?;
    let by_owner = connect(&ledger, &owner);
    send(by_owner.register_model(keccak256("base"), "ipfs://base".into(), 0.into(), 0.into()))
        .await?;
    let tuned = keccak256("tuned");
    send(by_owner.register_model(tuned, "ipfs://tuned".into(), 1.into(), 0.into())).await?;
    let (base, tuned) = (U256::from(1), U256::from(2));
    harness.increase_time(2).await?;
    play_session(
        &harness,
        &ledger,
        &owner,
        (base, tuned),
        &validators,
        &[true, true, false],
    )
    .await?;
    let (rating_base, rating_tuned) = (
        ledger.rating_of(base).call().await?,
        ledger.rating_of(tuned).call().await?,
    );
    assert!(
        rating_tuned > rating_base,
        "{rating_base} vs {rating_tuned}"
    );

    // Nobody governs the ledger but the SubDAO: a direct upgrade is refused.
    let direct = revert::<deploy::bindings::elo_ledger::EloLedgerErrors, _>(
        ledger.upgrade_model(tuned, U256::zero()),
    )
    .await?;
    assert!(
        matches!(
            direct,
            deploy::bindings::elo_ledger::EloLedgerErrors::Unauthorized(_)
        ),
        "{direct:?}"
    );

    // A validator proposes the fine-tune with its evidence; the others vote it through.
    let evidence = "session 1: the fine-tune won 20 of 30 rounds";
    let as_proposer = connect(&dao, &validators[0]);
    let propose = as_proposer.propose_model_upgrade(tuned, evidence.into());
    let id = propose.call().await?;
    send(propose).await?;
    harness.increase_time(DELAY + 1).await?;
    for validator in &validators[..2] {
        send(connect(&dao, validator).cast_vote(id, FOR)).await?;
    }
    harness.increase_time(PERIOD).await?;
    send(dao.queue(id)).await?;
    harness.increase_time(TIMELOCK).await?;
    // The proposal's action carries the ledger's record count at proposal time.
    let cutoff = ledger.battle_records().call().await?;
    let upgrade = ledger
        .upgrade_model(tuned, cutoff)
        .calldata()
        .context("calldata")?;
    let description = format!("{evidence}#proposer={:#x}", validators[0].address());
    send(dao.execute(
        vec![ledger.address()],
        vec![U256::zero()],
        vec![upgrade],
        keccak256(description),
    ))
    .await?;
    assert_eq!(dao.state(id).call().await?, EXECUTED);
    assert_eq!(ledger.champion_model().call().await?, tuned);

    // Neither the weaker base model nor the champion itself can be proposed now.
    for (model, rating) in [(base, rating_base), (tuned, rating_tuned)] {
        match revert(as_proposer.propose_model_upgrade(model, "again".into())).await? {
            SubDaoErrors::ModelNotBetter(e) => {
                assert_eq!((e.0, e.1, e.2), (model, rating, rating_tuned));
            }
            other => bail!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        dao.participation(validators[0].address()).call().await?,
        (1, 1, 1)
    );
    harness.finish().await
}
