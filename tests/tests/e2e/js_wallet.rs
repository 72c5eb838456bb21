//! Wallet and script compatibility, with the real JavaScript tools in `tests/js`
//! (installed with `npm ci` from the committed `package-lock.json`; node 20 and npm required):
//! - ethers.js v6 connects to the devnode as a wallet would, reads the agent token, sends a
//!   taxed transfer, signs and submits an EIP-2612 permit and casts a SubDAO vote
//!   (`tests/js/wallet.mjs`);
//! - solc compiles `abi/I*.sol` and the compiled ABIs match `abi/*.json`
//!   (`tests/js/interfaces.mjs`);
//! - solc compiles the Solidity test fixtures (`tests/fixtures/*.sol`) into exactly the committed
//!   artifacts the bindings are generated from (`tests/js/fixtures.mjs --check`).
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Mutex, OnceLock};

use anyhow::{bail, ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::staking_vault::StakingVault;
use deploy::bindings::subdao::{ProposalCreatedFilter, SubDao};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::lifecycle::text;
use deploy::{dex, wiring, Workspace};
use ethers::contract::parse_log;
use ethers::types::{Address, U256};
use integration_tests::{send, tokens, Client, Harness};

fn js_dir() -> PathBuf {
    Workspace::locate().root.join("tests").join("js")
}

/// Runs `program args` in `tests/js`, failing with its output when it fails.
fn run(program: &str, args: &[&str], envs: &[(&str, String)]) -> Result<Output> {
    let output = Command::new(program)
        .args(args)
        .current_dir(js_dir())
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .with_context(|| {
            format!("running `{program}` (node 20 and npm must be installed to run these tests)")
        })?;
    if !output.status.success() {
        bail!(
            "`{program} {}` failed ({}):\n{}\n{}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output)
}

/// `npm ci` once per test binary, unless the locked packages are already installed.
fn npm_ci() -> Result<()> {
    static DONE: OnceLock<Mutex<bool>> = OnceLock::new();
    let mut done = DONE
        .get_or_init(|| Mutex::new(false))
        .lock()
        .map_err(|_| anyhow::anyhow!("an earlier npm ci panicked"))?;
    let installed = ["ethers", "solc"].iter().all(|p| {
        js_dir()
            .join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    });
    if !*done && !installed {
        run("npm", &["ci", "--no-audit", "--no-fund"], &[])?;
    }
    *done = true;
    Ok(())
}

fn key_hex(client: &Client) -> String {
    format!(
        "0x{}",
        ethers::utils::hex::encode(client.signer().signer().to_bytes())
    )
}

#[test]
fn solidity_interfaces_compile_with_solc_and_match_the_json_abis() -> Result<()> {
    npm_ci()?;
    let output = run("node", &["interfaces.mjs"], &[])?;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let interfaces = report["interfaces"].as_array().context("no interfaces")?;
    // One interface per contract of the system.
    ensure!(interfaces.len() == ContractKind::ALL.len(), "{report}");
    ensure!(
        interfaces.iter().any(|i| i["interface"] == "IRevenue"),
        "{report}"
    );
    Ok(())
}

#[test]
fn committed_solidity_fixtures_are_what_solc_compiles() -> Result<()> {
    npm_ci()?;
    let output = run("node", &["fixtures.mjs", "--check"], &[])?;
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    let fixtures = report["fixtures"].as_array().context("no fixtures")?;
    ensure!(
        fixtures.iter().any(|f| f["contract"] == "VotesStandIn"),
        "{report}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ethers_js_wallet_reads_transfers_permits_and_votes() -> Result<()> {
    npm_ci()?;
    let harness = Harness::start().await?;
    let mut report = harness
        .deploy(&ContractKind::ALL, &SystemParams::default())
        .await?;
    let abi_dir = Workspace::locate().root.join("abi");
    wiring::wire(&harness.chain, &mut report.deployments, &abi_dir).await?;
    let address = |name: &str| -> Result<Address> {
        Ok(report
            .deployments
            .get(name)
            .context("not deployed")?
            .address)
    };
    let deployer = harness.deployer();
    let token = AgentToken::new(address("agent-token")?, deployer.clone());
    let lp_address = dex::lp_token(&report.deployments).context("no pool recorded")?;
    let lp = AgentToken::new(lp_address, deployer.clone());
    let vault_address = address("staking-vault")?;
    let subdao_address = address("subdao")?;

    // A holder with agent tokens, a spender, a validator with stake and an active proposal.
    let holder = harness.funded_account(1).await?;
    let spender = harness.funded_account(1).await?;
    let voter = harness.funded_account(1).await?;
    let recipient = Address::random();
    send(token.transfer(holder.address(), tokens(10_000))).await?;
    send(lp.transfer(voter.address(), tokens(100))).await?;
    let vault = StakingVault::new(vault_address, voter.clone());
    send(vault.register_validator(500u16.into(), text("https://js-validator.example"))).await?;
    send(AgentToken::new(lp.address(), voter.clone()).approve(vault_address, tokens(100))).await?;
    send(vault.stake(voter.address(), tokens(100))).await?;
    harness.increase_time(10).await?;
    let dao = SubDao::new(subdao_address, voter.clone());
    let lower = token.lower_tax_rate(90).calldata().context("calldata")?;
    let receipt = send(dao.propose(
        vec![token.address()],
        vec![U256::zero()],
        vec![lower],
        text("Lower the tax to 0.9% (voted from ethers.js)"),
    ))
    .await?;
    let created = receipt
        .logs
        .iter()
        .find_map(|log| parse_log::<ProposalCreatedFilter>(log.clone()).ok())
        .context("no ProposalCreated")?;
    let now = harness.now().await?;
    harness
        .increase_time(created.vote_start.saturating_sub(now) + 1)
        .await?;

    let treasury_before = token.balance_of(subdao_address).call().await?;
    let envs = [
        ("RPC_URL", harness.chain.url.clone()),
        ("CHAIN_ID", harness.chain.chain_id.to_string()),
        ("TOKEN", format!("{:#x}", token.address())),
        ("SUBDAO", format!("{subdao_address:#x}")),
        ("PROPOSAL_ID", created.proposal_id.to_string()),
        ("HOLDER_KEY", key_hex(&holder)),
        ("SPENDER_KEY", key_hex(&spender)),
        ("VOTER_KEY", key_hex(&voter)),
        ("RECIPIENT", format!("{recipient:#x}")),
    ];
    let output = run("node", &["wallet.mjs"], &envs)?;
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout)
        .with_context(|| String::from_utf8_lossy(&output.stdout).to_string())?;
    eprintln!("ethers.js saw: {seen}");

    // What the wallet did is on chain.
    ensure!(
        seen["symbol"] == "AGENT" && seen["decimals"] == 18,
        "{seen}"
    );
    ensure!(
        seen["replayRefusedWith"] == "ERC2612InvalidSigner",
        "{seen}"
    );
    let tax = tokens(10);
    ensure!(token.balance_of(recipient).call().await? == tokens(1_000) - tax);
    ensure!(token.balance_of(subdao_address).call().await? - treasury_before == tax);
    ensure!(
        token
            .allowance(holder.address(), spender.address())
            .call()
            .await?
            == tokens(250)
    );
    ensure!(token.nonces(holder.address()).call().await? == U256::one());
    ensure!(
        SubDao::new(subdao_address, deployer.clone())
            .has_voted(created.proposal_id, voter.address())
            .call()
            .await?
    );
    ensure!(seen["voteWeight"] == tokens(100).to_string(), "{seen}");
    harness.finish().await
}
