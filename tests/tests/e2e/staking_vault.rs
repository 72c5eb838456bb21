//! Staking vault end to end: an LP token (an agent token with its 1% transfer tax, so a
//! fee-on-transfer LP), a reward token and the vault deployed through the deploy library, driven
//! through the `abigen!` bindings of `abi/StakingVault.json` on the embedded devnode (or
//! `RPC_URL`): stake, streamed rewards, slash by the governance account, unbond, withdraw, typed
//! failures that leave the state unchanged, and a flood of 5,000 one-wei unstakes (through the
//! `UnstakeFlood` Solidity fixture) that must not make withdraw, unstake or slash cost more.
//!
//! The vault runs as two programs behind one address: the core (`staking-vault`) and the
//! extension (`staking-vault-ext`) its fallback delegate-calls. The scenarios call extension
//! functions (`registerValidator`, `slash`, views) at the core's address, and
//! check that the extension refuses calls at its own address (`NotDelegated`). Gas of the main
//! operations is printed (`--nocapture`) for the performance notes.

use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::staking_vault::{StakingVault, StakingVaultErrors, StakingVaultEvents};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::contracts::ParamValues;
use deploy::indicatif::ProgressBar;
use deploy::pipeline::{self, Options, Outcome};
use deploy::Artifact;
use deploy::Workspace;
use ethers::contract::{ContractCall, EthLogDecode};
use ethers::types::{Address, Bytes, TransactionReceipt, H256, U256};
use integration_tests::bindings::unstake_flood::UnstakeFlood;
use integration_tests::{address_of, built_artifacts, send, tokens, Client, Harness};

/// Unbonding period of the scenario: the vault's minimum (one hour of chain time, skipped with
/// `evm_increaseTime`).
const UNBONDING: u64 = 3_600;
/// The validator's commission.
const COMMISSION_BPS: u64 = 1_000;

/// The deployed system and its actors.
struct Setup {
    harness: Harness,
    /// The vault bound to the deployer (governance and treasury).
    vault: StakingVault<Client>,
    lp: AgentToken<Client>,
    reward: AgentToken<Client>,
    validator: Arc<Client>,
    alice: Arc<Client>,
    /// The extension program's own address.
    extension: Address,
    /// What deployed the tokens and the vault, to run it again.
    deployment: Deployment,
}

/// The inputs of the setup's deployment run.
struct Deployment {
    values: ParamValues,
    options: Options,
    artifacts: Vec<(ContractKind, Artifact)>,
}

/// Deploys the LP token (a first agent token), then the reward token and the vault with that
/// LP, funds a validator and a delegator with LP and registers the validator.
async fn setup() -> Result<Setup> {
    let harness = Harness::start().await?;
    let params = SystemParams {
        unbonding_period: UNBONDING,
        ..SystemParams::default()
    };
    let report = harness.deploy(&[ContractKind::AgentToken], &params).await?;
    let lp_address = address_of(&report, ContractKind::AgentToken)?;

    // The vault's LP token and commission cap are not system parameters: pass them by name.
    let deployer = harness.chain.deployer();
    let mut values = params.values(deployer);
    values.set("lp_token", format!("{lp_address:#x}"));
    values.set("max_commission_bps", "2000");
    let ws = Workspace::locate();
    let mut options = Options::new(&ws);
    options.deployments_dir = harness.records_dir();
    options.force = true;
    let artifacts = built_artifacts(&[ContractKind::AgentToken, ContractKind::StakingVault])?;
    let report = pipeline::deploy_artifacts(
        &harness.chain,
        &artifacts,
        values.clone(),
        &options,
        &ProgressBar::hidden(),
    )
    .await?;
    let vault_address = address_of(&report, ContractKind::StakingVault)?;
    let extension = report
        .extensions
        .iter()
        .find(|e| e.core == ContractKind::StakingVault)
        .and_then(|e| e.address)
        .context("the vault's extension program was deployed")?;
    let reward_address = address_of(&report, ContractKind::AgentToken)?;
    ensure!(reward_address != lp_address, "two distinct tokens");

    let owner = harness.deployer();
    let vault = StakingVault::new(vault_address, owner.clone());
    let lp = AgentToken::new(lp_address, owner.clone());
    let reward = AgentToken::new(reward_address, owner);
    // Rewards leave the vault untaxed; LP keeps its tax (a fee-on-transfer LP token).
    send(reward.set_tax_exempt(vault_address, true)).await?;

    let validator = harness.funded_account(1).await?;
    let alice = harness.funded_account(1).await?;
    // The deployer is exempt from the LP tax: both receive the full amounts.
    send(lp.transfer(validator.address(), tokens(1_000))).await?;
    send(lp.transfer(alice.address(), tokens(1_000))).await?;
    send(as_(&vault, &validator).register_validator(
        U256::from(COMMISSION_BPS),
        Bytes::from(b"ipfs://validator-1".to_vec()),
    ))
    .await?;
    Ok(Setup {
        harness,
        vault,
        lp,
        reward,
        validator,
        alice,
        extension,
        deployment: Deployment {
            values,
            options,
            artifacts,
        },
    })
}

fn as_(vault: &StakingVault<Client>, user: &Arc<Client>) -> StakingVault<Client> {
    StakingVault::new(vault.address(), user.clone())
}

fn token_as(token: &AgentToken<Client>, user: &Arc<Client>) -> AgentToken<Client> {
    AgentToken::new(token.address(), user.clone())
}

/// Gas used by the transaction of `receipt`.
fn gas_of(receipt: &TransactionReceipt) -> U256 {
    receipt.gas_used.unwrap_or_default()
}

/// Sends `call` expecting a revert and decodes it into the vault's typed error.
async fn revert<D: ethers::abi::Detokenize>(
    call: ContractCall<Client, D>,
) -> Result<StakingVaultErrors> {
    match call.send().await {
        Ok(_) => anyhow::bail!("the call succeeded"),
        Err(error) => error
            .decode_contract_revert::<StakingVaultErrors>()
            .with_context(|| format!("undecodable revert: {error}")),
    }
}

fn events(receipt: &TransactionReceipt) -> Vec<StakingVaultEvents> {
    receipt
        .logs
        .iter()
        .filter_map(|log| StakingVaultEvents::decode_log(&log.clone().into()).ok())
        .collect()
}

/// What the agent token's tax leaves of `value` sent from `from` to `to`.
async fn net_of_tax(
    token: &AgentToken<Client>,
    from: Address,
    to: Address,
    value: U256,
) -> Result<U256> {
    Ok(value - token.quote_tax(from, to, value).call().await?)
}

#[tokio::test(flavor = "multi_thread")]
async fn stake_reward_slash_unbond_withdraw() -> Result<()> {
    let Setup {
        harness,
        vault,
        lp,
        reward,
        validator,
        alice,
        extension,
        ..
    } = setup().await?;
    let mut gas: Vec<(&str, U256)> = Vec::new();
    // The core forwards to the extension it was deployed with.
    assert_eq!(vault.extension().call().await?, extension);
    let deployer = harness.chain.deployer();
    let (v, a) = (validator.address(), alice.address());
    assert!(vault.is_validator(v).call().await?);
    assert_eq!(vault.validators().call().await?, vec![v]);
    assert_eq!(vault.clock_mode().call().await?, "mode=timestamp");

    // Alice stakes 100 LP: the 1% LP tax is taken on the way in, the vault credits what arrived.
    let stake = tokens(100);
    send(token_as(&lp, &alice).approve(vault.address(), stake)).await?;
    let received = net_of_tax(&lp, a, vault.address(), stake).await?;
    ensure!(received < stake, "the LP token is taxed");
    let receipt = send(as_(&vault, &alice).stake(v, stake)).await?;
    gas.push(("stake (core, first delegation)", gas_of(&receipt)));
    let staked = events(&receipt)
        .into_iter()
        .find_map(|e| match e {
            StakingVaultEvents::StakedFilter(s) => Some(s),
            _ => None,
        })
        .context("Staked event")?;
    assert_eq!((staked.account, staked.validator), (a, v));
    assert_eq!(staked.amount, received);
    assert_eq!(lp.balance_of(vault.address()).call().await?, received);
    assert_eq!(vault.get_votes(v).call().await?, received);
    let (validators, values) = vault.delegations_of(a).call().await?;
    assert_eq!((validators, values), (vec![v], vec![received]));
    let staked_at = harness.now().await?;
    // Later changes land in later seconds, so `staked_at` keeps the stake's power.
    harness.increase_time(1).await?;

    // Rewards: governance notifies 10 tokens, streamed over the rewards duration; the validator
    // keeps 10%, Alice gets the rest.
    send(reward.approve(vault.address(), tokens(10))).await?;
    let receipt = send(vault.notify_reward_amount(tokens(10))).await?;
    gas.push(("notifyRewardAmount (core)", gas_of(&receipt)));
    // Streamed over the unbonding period: next to nothing is owed at once, so a just-in-time
    // staker could not take a share.
    let duration = vault.parameters().call().await?.3;
    ensure!(
        vault.pending_rewards(a).call().await? <= tokens(10) * 2 / duration,
        "rewards are streamed"
    );
    harness.increase_time(duration.as_u64() + 1).await?;
    // pendingRewards previews the claim exactly.
    let pending = vault.pending_rewards(a).call().await?;
    let before = reward.balance_of(a).call().await?;
    let receipt = send(as_(&vault, &alice).claim_rewards()).await?;
    gas.push(("claimRewards (core)", gas_of(&receipt)));
    let paid = reward.balance_of(a).call().await? - before;
    assert_eq!(paid, pending);
    assert_eq!(vault.pending_rewards(a).call().await?, U256::zero());
    ensure!(
        tokens(9) - paid <= U256::from(10),
        "Alice gets 90% of the rewards (up to rounding dust): {paid}"
    );
    assert!(events(&receipt).iter().any(|e| matches!(
        e,
        StakingVaultEvents::RewardsClaimedFilter(c) if c.account == a && c.amount == paid
    )));
    let commission_before = reward.balance_of(v).call().await?;
    send(as_(&vault, &validator).claim_rewards()).await?;
    let commission = reward.balance_of(v).call().await? - commission_before;
    ensure!(
        tokens(1) - commission <= U256::from(10),
        "commission {commission}"
    );

    // Governance slashes 10%: the treasury (the deployer) receives the LP, power drops 10%.
    let treasury_before = lp.balance_of(deployer).call().await?;
    let reason = H256::repeat_byte(0x5a);
    let receipt = send(vault.slash(v, U256::from(1_000u64), reason.0)).await?;
    gas.push(("slash (extension, through the core)", gas_of(&receipt)));
    let slashed = received / 10;
    assert_eq!(
        lp.balance_of(deployer).call().await? - treasury_before,
        slashed
    );
    let after_slash = received - slashed;
    assert_eq!(vault.get_votes(v).call().await?, after_slash);
    assert!(events(&receipt).iter().any(|e| matches!(
        e,
        StakingVaultEvents::ValidatorSlashedFilter(s)
            if s.validator == v && s.bonded_slashed == slashed && s.reason_hash == reason.0
    )));

    // Checkpoints: the power right after the stake is in the past now, and sums to the total.
    harness.increase_time(1).await?;
    assert_eq!(
        vault
            .get_past_votes(v, U256::from(staked_at))
            .call()
            .await?,
        received
    );
    assert_eq!(
        vault
            .get_past_total_supply(U256::from(staked_at))
            .call()
            .await?,
        received
    );

    // Unbond half of what is left; it leaves the voting power at once.
    let half = after_slash / 2;
    let entry_id = as_(&vault, &alice).unstake(v, half).call().await?;
    let receipt = send(as_(&vault, &alice).unstake(v, half)).await?;
    gas.push(("unstake (core)", gas_of(&receipt)));
    assert_eq!(vault.get_votes(v).call().await?, after_slash - half);
    assert_eq!(vault.get_total_votes().call().await?, after_slash - half);
    assert_eq!(
        vault.stake_of(a, v).call().await?.1,
        after_slash - half,
        "stakeOf (extension view) values the remaining delegation"
    );
    assert_eq!(vault.unbonding_entries_of(a).call().await?, vec![entry_id]);
    let (owner, entry_validator, amount, maturity, withdrawn) =
        vault.unbonding_entry(entry_id).call().await?;
    assert_eq!(
        (owner, entry_validator, amount, withdrawn),
        (a, v, half, false)
    );

    // After the unbonding period Alice withdraws; the LP tax applies on the way out.
    harness.increase_time(UNBONDING + 1).await?;
    ensure!(U256::from(harness.now().await?) >= maturity, "matured");
    let before = lp.balance_of(a).call().await?;
    let expected = net_of_tax(&lp, vault.address(), a, half).await?;
    let receipt = send(as_(&vault, &alice).withdraw(entry_id)).await?;
    gas.push(("withdraw (core, one entry)", gas_of(&receipt)));
    assert_eq!(lp.balance_of(a).call().await? - before, expected);
    assert!(vault.unbonding_entry(entry_id).call().await?.4);

    // A second validator registers through the core (an extension write), costed too.
    let second = harness.funded_account(1).await?;
    let receipt = send(as_(&vault, &second).register_validator(
        U256::from(COMMISSION_BPS),
        Bytes::from(b"ipfs://validator-2".to_vec()),
    ))
    .await?;
    gas.push((
        "registerValidator (extension, through the core)",
        gas_of(&receipt),
    ));
    assert_eq!(vault.validators().call().await?, vec![v, second.address()]);
    // The forwarding overhead: two one-slot views, one in each program.
    let core_view = vault.get_votes(v).estimate_gas().await?;
    let forwarded_view = vault.is_validator(v).estimate_gas().await?;
    ensure!(
        forwarded_view > core_view,
        "a forwarded call costs the extra delegate call"
    );
    gas.push(("getVotes (core view, estimate)", core_view));
    gas.push(("isValidator (extension view, estimate)", forwarded_view));
    for (operation, used) in &gas {
        println!("gas {operation}: {used}");
    }
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_extension_refuses_calls_at_its_own_address() -> Result<()> {
    let Setup {
        harness,
        vault,
        validator,
        extension,
        ..
    } = setup().await?;
    let direct = StakingVault::new(extension, harness.deployer());
    // Views and writes alike revert with the typed error, in calls and in transactions.
    match revert(direct.governance()).await? {
        StakingVaultErrors::NotDelegated(_) => {}
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    match revert(direct.slash(validator.address(), U256::from(100u64), [0; 32])).await? {
        StakingVaultErrors::NotDelegated(_) => {}
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    match revert(as_(&direct, &validator).register_validator(
        U256::from(COMMISSION_BPS),
        Bytes::from(b"ipfs://elsewhere".to_vec()),
    ))
    .await?
    {
        StakingVaultErrors::NotDelegated(_) => {}
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    // Through the core the same functions work on the vault's state.
    assert_eq!(vault.governance().call().await?, harness.chain.deployer());
    assert!(vault.is_validator(validator.address()).call().await?);
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rerun_with_unchanged_code_skips_both_programs() -> Result<()> {
    let Setup {
        harness,
        vault,
        extension,
        deployment,
        ..
    } = setup().await?;
    let mut options = deployment.options;
    options.force = false;
    let again = pipeline::deploy_artifacts(
        &harness.chain,
        &deployment.artifacts,
        deployment.values,
        &options,
        &ProgressBar::hidden(),
    )
    .await?;
    assert!(again.rows.iter().all(|r| r.outcome == Outcome::Skipped));
    assert_eq!(again.extensions.len(), 1);
    let ext = &again.extensions[0];
    assert_eq!(
        (ext.outcome.clone(), ext.address),
        (Outcome::Skipped, Some(extension))
    );
    assert_eq!(
        address_of(&again, ContractKind::StakingVault)?,
        vault.address()
    );
    assert_eq!(again.gas_spent(), U256::zero());
    // The record holds both programs with their code hashes.
    let record = again
        .deployments
        .get("staking-vault-ext")
        .context("extension recorded")?;
    assert_eq!(record.address, extension);
    ensure!(record.code_hash != Default::default(), "code hash recorded");
    let table = deploy::report::table(&again);
    ensure!(table.contains("+ staking-vault-ext"), "{table}");
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn typed_errors_leave_the_state_unchanged() -> Result<()> {
    let Setup {
        harness,
        vault,
        lp,
        validator,
        alice,
        ..
    } = setup().await?;
    let (v, a) = (validator.address(), alice.address());
    send(token_as(&lp, &alice).approve(vault.address(), tokens(100))).await?;
    send(as_(&vault, &alice).stake(v, tokens(100))).await?;
    let votes = vault.get_votes(v).call().await?;
    let (_, values) = vault.delegations_of(a).call().await?;
    let vault_lp = lp.balance_of(vault.address()).call().await?;

    // A non-governance account cannot slash.
    match revert(as_(&vault, &alice).slash(v, U256::from(1_000u64), [0; 32])).await? {
        StakingVaultErrors::Unauthorized(e) => {
            assert_eq!((e.0, e.1), (a, harness.chain.deployer()));
        }
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    // Nor can governance slash above the maximum (50% by default).
    match revert(vault.slash(v, U256::from(5_001u64), [0; 32])).await? {
        StakingVaultErrors::SlashOutOfRange(e) => assert_eq!(e.0, U256::from(5_001u64)),
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    // Unstaking more than delegated.
    let over = values[0] + 1;
    match revert(as_(&vault, &alice).unstake(v, over)).await? {
        StakingVaultErrors::InsufficientStake(e) => assert_eq!((e.0, e.1), (values[0], over)),
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    // Withdrawing before maturity.
    let entry_id = as_(&vault, &alice).unstake(v, tokens(1)).call().await?;
    send(as_(&vault, &alice).unstake(v, tokens(1))).await?;
    let votes_after_unstake = vault.get_votes(v).call().await?;
    match revert(as_(&vault, &alice).withdraw(entry_id)).await? {
        StakingVaultErrors::EntryNotMature(e) => assert_eq!(e.0, entry_id),
        other => anyhow::bail!("unexpected error {other:?}"),
    }
    // Staking with an unknown validator.
    match revert(as_(&vault, &alice).stake(a, tokens(1))).await? {
        StakingVaultErrors::UnknownValidator(e) => assert_eq!(e.0, a),
        other => anyhow::bail!("unexpected error {other:?}"),
    }

    assert_eq!(votes_after_unstake, votes - tokens(1));
    assert_eq!(vault.get_votes(v).call().await?, votes_after_unstake);
    assert_eq!(lp.balance_of(vault.address()).call().await?, vault_lp);
    assert!(!vault.unbonding_entry(entry_id).call().await?.4);
    assert!(vault.is_validator(v).call().await?);
    harness.finish().await
}

/// Gas bounds of the calls that touch a validator's unbonding queue, whatever its length (the
/// vault releases at most `MAX_RELEASES_PER_CALL` = 16 entries per call and takes a withdrawn
/// entry out of the pool on its own). Measured on the devnode at 10 / 1,000 / 5,000 entries:
/// withdraw 142,178 / 142,190 / 142,190, unstake 440,461 / 556,309 / 516,820, slash 210,665 /
/// 466,170 / 511,030 gas (16 entries released per call once the flood exceeds 16).
const MAX_WITHDRAW_GAS: u64 = 200_000;
const MAX_UNSTAKE_GAS: u64 = 700_000;
const MAX_SLASH_GAS: u64 = 700_000;

/// An attacker contract floods three validators' unbonding queues with one-wei unstakes (10,
/// 1,000 and 5,000 entries); once all of them have matured, an honest entry queued behind each
/// flood is withdrawn, Alice unstakes and governance slashes: each call stays under a fixed
/// bound, the same at 5,000 entries as at 10.
#[tokio::test(flavor = "multi_thread")]
async fn unbonding_queue_flood_keeps_withdraw_unstake_and_slash_bounded() -> Result<()> {
    let Setup {
        harness,
        vault,
        lp,
        validator,
        alice,
        ..
    } = setup().await?;
    let attacker = UnstakeFlood::deploy(harness.deployer(), ())?.send().await?;
    send(token_as(&lp, &alice).approve(vault.address(), tokens(300))).await?;
    let mut validators = vec![validator.address()];
    for i in 2..=3 {
        let other = harness.funded_account(1).await?;
        send(as_(&vault, &other).register_validator(
            U256::from(COMMISSION_BPS),
            Bytes::from(format!("ipfs://validator-{i}").into_bytes()),
        ))
        .await?;
        validators.push(other.address());
    }
    let lengths = [10u64, 1_000, 5_000];
    let mut honest = Vec::new();
    for (&v, &length) in validators.iter().zip(&lengths) {
        // The deployer is LP-tax exempt; the attacker's stake pays the 1% tax on the way in.
        let stake = U256::from(length * 2);
        send(lp.transfer(attacker.address(), stake)).await?;
        send(attacker.stake(vault.address(), lp.address(), v, stake)).await?;
        send(as_(&vault, &alice).stake(v, tokens(100))).await?;
        let mut queued = 0;
        while queued < length {
            let count = (length - queued).min(100);
            let call = attacker.flood(vault.address(), v, U256::from(count));
            send(call.gas(30_000_000u64)).await?;
            queued += count;
        }
        let call = as_(&vault, &alice).unstake(v, tokens(1));
        honest.push(call.call().await?);
        send(call).await?;
    }
    harness.increase_time(UNBONDING + 1).await?;

    for ((&v, &length), &entry) in validators.iter().zip(&lengths).zip(&honest) {
        let receipt = send(as_(&vault, &alice).withdraw(entry)).await?;
        let withdraw = gas_of(&receipt).as_u64();
        let receipt = send(as_(&vault, &alice).unstake(v, tokens(1))).await?;
        let unstake = gas_of(&receipt).as_u64();
        let receipt = send(vault.slash(v, U256::from(100u64), [7; 32])).await?;
        let slash = gas_of(&receipt).as_u64();
        println!(
            "queue of {length} entries: withdraw {withdraw}, unstake {unstake}, slash {slash} gas"
        );
        ensure!(
            withdraw <= MAX_WITHDRAW_GAS,
            "withdraw {withdraw} gas at {length}"
        );
        ensure!(
            unstake <= MAX_UNSTAKE_GAS,
            "unstake {unstake} gas at {length}"
        );
        ensure!(slash <= MAX_SLASH_GAS, "slash {slash} gas at {length}");
    }
    // Every attacker entry is still queued, each withdrawable on its own.
    assert_eq!(
        vault
            .unbonding_entries_of(attacker.address())
            .call()
            .await?
            .len(),
        6_010
    );
    harness.finish().await
}
