//! The rewards program on the deployed, wired system: funding by balance delta, an epoch that
//! cannot close early, an epoch without validation rolling its budget over, claims for a
//! future or unfunded epoch, the low-agreement jail refused without sessions, nominations of
//! unknown models, and the SubDAO's typed jail proposal.
use anyhow::{ensure, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::rewards::{EpochClosedFilter, FundedFilter, Rewards, RewardsErrors};
use deploy::bindings::subdao::SubDao;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::{wiring, Workspace};
use ethers::types::{Address, U256};
use integration_tests::{address_of, events, revert, send, tokens, Harness};

const WEEK: u64 = 7 * 86_400;

#[tokio::test(flavor = "multi_thread")]
async fn rewards_are_funded_roll_over_and_refuse_bad_claims() -> Result<()> {
    let harness = Harness::start().await?;
    let mut report = harness
        .deploy(&ContractKind::ALL, &SystemParams::default())
        .await?;
    let abi_dir = Workspace::locate().root.join("abi");
    wiring::wire(&harness.chain, &mut report.deployments, &abi_dir).await?;
    let deployer = harness.deployer();
    let token = AgentToken::new(
        address_of(&report, ContractKind::AgentToken)?,
        deployer.clone(),
    );
    let rewards = Rewards::new(
        address_of(&report, ContractKind::Rewards)?,
        deployer.clone(),
    );

    // Funding credits what arrived.
    let amount = tokens(1_000);
    send(token.approve(rewards.address(), amount)).await?;
    let receipt = send(rewards.fund(amount)).await?;
    let funded_events = events::<FundedFilter>(&receipt);
    ensure!(funded_events.len() == 1, "{funded_events:?}");
    let received = funded_events[0].amount;
    ensure!(received > U256::zero() && received <= amount);
    let (funded, paid, claimable, reserve) = rewards.totals().call().await?;
    ensure!(funded == received && reserve == received);
    ensure!(funded == paid + claimable + reserve);

    // The epoch cannot close early; once over it closes, and with no session finalized its
    // budget stays in the reserve.
    let error = revert::<RewardsErrors, _>(rewards.close_epoch()).await?;
    ensure!(matches!(error, RewardsErrors::EpochNotOver(_)), "{error:?}");
    harness.increase_time(WEEK + 1).await?;
    let receipt = send(rewards.close_epoch()).await?;
    let closed = events::<EpochClosedFilter>(&receipt);
    ensure!(
        closed.len() == 1 && closed[0].budget.is_zero(),
        "{closed:?}"
    );
    ensure!(rewards.totals().call().await?.3 == received, "rolled over");

    // Claims: an unfunded epoch, a future epoch.
    let someone = Address::repeat_byte(0x11);
    let error =
        revert::<RewardsErrors, _>(rewards.claim_validator_reward(U256::zero(), someone)).await?;
    ensure!(
        matches!(error, RewardsErrors::EpochUnfunded(_)),
        "{error:?}"
    );
    let error =
        revert::<RewardsErrors, _>(rewards.claim_validator_reward(5.into(), someone)).await?;
    ensure!(
        matches!(error, RewardsErrors::EpochNotClosed(_)),
        "{error:?}"
    );
    let error = revert::<RewardsErrors, _>(rewards.claim()).await?;
    ensure!(
        matches!(error, RewardsErrors::NothingToClaim(_)),
        "{error:?}"
    );

    // The jail needs sessions sampled; an unknown model cannot be nominated.
    let since = harness.now().await? - 10;
    let error =
        revert::<RewardsErrors, _>(rewards.jail_low_agreement(someone, since.into())).await?;
    ensure!(
        matches!(error, RewardsErrors::TooFewSessions(_)),
        "{error:?}"
    );
    let error = revert::<RewardsErrors, _>(rewards.nominate(99.into())).await?;
    ensure!(
        matches!(error, RewardsErrors::LedgerCallFailed(_)),
        "{error:?}"
    );

    // The SubDAO's typed jail proposal needs a proposer with power (the deployer has none).
    let dao = SubDao::new(address_of(&report, ContractKind::Subdao)?, deployer.clone());
    ensure!(
        dao.propose_jail(someone).call().await.is_err(),
        "proposed without power"
    );
    harness.finish().await
}
