//! The SDK's reentrancy check is on in every program but the SubDAO's.
//!
//! stylus-sdk reverts, with empty revert data, any call into a program that is already on the
//! call stack, unless the program is built with the SDK's `reentrant` feature. Only the SubDAO
//! needs that feature (its proposals call the SubDAO itself); every other program is built on
//! its own so that the feature cannot leak into it (see `deploy::build`). Here the staking vault
//! stakes a [`ReenteringToken`] as its LP token: while the vault pulls the tokens, the token
//! calls back into the vault, and the vault refuses.

use anyhow::{ensure, Result};
use deploy::bindings::staking_vault::StakingVault;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::indicatif::ProgressBar;
use deploy::pipeline::{self, Options};
use deploy::Workspace;
use ethers::types::{Bytes, U256};
use integration_tests::bindings::reentering_token::ReenteringToken;
use integration_tests::{address_of, built_artifacts, send, tokens, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn token_reentering_the_vault_during_a_stake_is_refused_by_the_sdk() -> Result<()> {
    let harness = Harness::start().await?;
    let lp = ReenteringToken::deploy(harness.deployer(), ())?
        .send()
        .await?;

    // The reward token and the vault, with the re-entering token as the vault's LP token.
    let params = SystemParams::default();
    let mut values = params.values(harness.chain.deployer());
    values.set("lp_token", format!("{:#x}", lp.address()));
    values.set("max_commission_bps", "2000");
    let ws = Workspace::locate();
    let mut options = Options::new(&ws);
    options.deployments_dir = harness.records_dir();
    options.force = true;
    let artifacts = built_artifacts(&[ContractKind::AgentToken, ContractKind::StakingVault])?;
    let report = pipeline::deploy_artifacts(
        &harness.chain,
        &artifacts,
        values,
        &options,
        &ProgressBar::hidden(),
    )
    .await?;
    let vault_address = address_of(&report, ContractKind::StakingVault)?;

    let validator = harness.funded_account(1).await?;
    let vault = StakingVault::new(vault_address, validator.clone());
    send(vault.register_validator(U256::from(500), Bytes::from(b"ipfs://v".to_vec()))).await?;
    let lp_as_validator = ReenteringToken::new(lp.address(), validator.clone());
    send(lp.mint(validator.address(), tokens(10))).await?;
    send(lp_as_validator.approve(vault_address, tokens(10))).await?;

    // The same call from a fresh frame succeeds: the vault answers it.
    let view = vault
        .get_votes(validator.address())
        .calldata()
        .expect("calldata");
    send(lp.probe(vault_address, view.clone())).await?;
    ensure!(
        lp.last_ok().call().await?,
        "a plain call to the vault succeeds"
    );
    ensure!(lp.calls().call().await? == U256::from(1));

    // During the stake, the token calls the vault back: the SDK reverts that call with no
    // revert data (a guard of the contract's own would name its error), and the stake goes on.
    send(lp.set_hook(view)).await?;
    send(vault.stake(validator.address(), tokens(10))).await?;
    ensure!(lp.calls().call().await? == U256::from(2), "the hook ran");
    ensure!(
        !lp.last_ok().call().await?,
        "the re-entrant call was refused"
    );
    ensure!(
        lp.last_return().call().await?.is_empty(),
        "refused by the SDK's check (empty revert data)"
    );
    ensure!(lp.balance_of(vault_address).call().await? == tokens(10));
    harness.finish().await
}
