//! Elo ledger end to end: two models, three validators, a full commit-reveal session with the
//! seed-hidden X/Y assignment, then ratings, leaderboard, agreement and the dataset verdict read
//! back through the `abigen!` bindings of `abi/EloLedger.json`, on the embedded devnode (or
//! `RPC_URL`). Typed errors on the way (double commit, early reveal and finalization, a reveal
//! that does not match its commitment) leave the session unchanged.
//!
//! Voting power comes from a minimal EVM stand-in for the staking vault whose `getPastVotes`
//! answers the low byte of the validator's address (any selector, any timepoint): the scenario
//! exercises the ledger, not the vault, and needs no staking setup.
#![cfg(abi_elo_ledger)]

use std::sync::Arc;

use anyhow::{ensure, Context, Result};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::indicatif::ProgressBar;
use deploy::pipeline::{self, Options};
use deploy::Workspace;
use ethers::contract::{ContractCall, EthLogDecode};
use ethers::providers::Middleware;
use ethers::signers::Signer;
use ethers::types::{Address, Bytes, TransactionReceipt, TransactionRequest, I256, U256};
use ethers::utils::keccak256;
use integration_tests::bindings::elo_ledger::{EloLedger, EloLedgerErrors, EloLedgerEvents};
use integration_tests::{address_of, built_artifacts, Client, Harness};

/// 1.0 in the ledger's 18-decimal fixed point.
const ONE: u64 = 1_000_000_000_000_000_000;
/// Commit and reveal windows (the ledger's minimum).
const WINDOW: u64 = 60;
/// Bond a model owner posts to open a session.
const BOND: u64 = 1_000_000_000_000_000;

/// Init code of the vault stand-in: returns `uint256(uint8(address argument))`.
fn vault_stand_in() -> Bytes {
    // Runtime: PUSH1 4 CALLDATALOAD PUSH1 0xff AND PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
    let runtime = [
        0x60, 0x04, 0x35, 0x60, 0xff, 0x16, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3,
    ];
    // PUSH14 runtime, PUSH1 0, MSTORE, RETURN(18, 14).
    let mut init = vec![0x6d];
    init.extend_from_slice(&runtime);
    init.extend_from_slice(&[0x60, 0x00, 0x52, 0x60, 0x0e, 0x60, 0x12, 0xf3]);
    init.into()
}

async fn send<D: ethers::abi::Detokenize>(
    call: ContractCall<Client, D>,
) -> Result<TransactionReceipt> {
    let receipt = call.send().await?.await?.context("transaction dropped")?;
    ensure!(receipt.status == Some(1.into()), "transaction reverted");
    Ok(receipt)
}

/// Sends `call` expecting a revert and decodes it into the ledger's typed error.
async fn revert<D: ethers::abi::Detokenize>(
    call: ContractCall<Client, D>,
) -> Result<EloLedgerErrors> {
    match call.send().await {
        Ok(_) => anyhow::bail!("the call succeeded"),
        Err(error) => error
            .decode_contract_revert::<EloLedgerErrors>()
            .with_context(|| format!("undecodable revert: {error}")),
    }
}

fn events(receipt: &TransactionReceipt) -> Vec<EloLedgerEvents> {
    receipt
        .logs
        .iter()
        .filter_map(|log| EloLedgerEvents::decode_log(&log.clone().into()).ok())
        .collect()
}

fn as_user(ledger: &EloLedger<Client>, user: &Arc<Client>) -> EloLedger<Client> {
    EloLedger::new(ledger.address(), user.clone())
}

/// A funded account with non-zero voting power at the stand-in vault.
async fn validator(harness: &Harness) -> Result<Arc<Client>> {
    loop {
        let account = harness.funded_account(1).await?;
        if account.address().0[19] != 0 {
            return Ok(account);
        }
    }
}

/// Ten results in `voter`'s X/Y terms meaning "model B wins every round" (or A when
/// `b_wins` is false): X is model B when the low bit of `keccak256(seed ‖ voter)` is set.
fn results_for(seed: [u8; 32], voter: Address, b_wins: bool) -> Vec<u8> {
    let mut input = seed.to_vec();
    input.extend_from_slice(voter.as_bytes());
    let x_is_b = keccak256(input)[31] & 1 == 1;
    vec![if x_is_b == b_wins { 0 } else { 1 }; 10]
}

/// `keccak256(results ‖ salt ‖ voter)`.
fn commitment(results: &[u8], salt: [u8; 32], voter: Address) -> [u8; 32] {
    let mut input = results.to_vec();
    input.extend_from_slice(&salt);
    input.extend_from_slice(voter.as_bytes());
    keccak256(input)
}

#[tokio::test(flavor = "multi_thread")]
async fn commit_reveal_session_moves_ratings_leaderboard_and_dataset() -> Result<()> {
    let harness = Harness::start().await?;
    let deployer = harness.deployer();
    let vault = deployer
        .send_transaction(TransactionRequest::new().data(vault_stand_in()), None)
        .await?
        .await?
        .and_then(|r| r.contract_address)
        .context("vault stand-in not created")?;
    let ws = Workspace::locate();
    let mut options = Options::new(&ws);
    options.deployments_dir = harness.records_dir();
    options.force = true;
    let mut values = SystemParams::default().values(harness.chain.deployer());
    values.set("vault", format!("{vault:#x}"));
    let report = pipeline::deploy_artifacts(
        &harness.chain,
        &built_artifacts(&[ContractKind::EloLedger])?,
        values,
        &options,
        &ProgressBar::hidden(),
    )
    .await?;
    let ledger = EloLedger::new(
        address_of(&report, ContractKind::EloLedger)?,
        deployer.clone(),
    );
    assert_eq!(ledger.vault().call().await?, vault);
    assert_eq!(ledger.governance().call().await?, harness.chain.deployer());

    // Governance: one-minute windows, two reveals, a bond, ten games to judge a dataset.
    send(ledger.set_params(
        WINDOW,
        WINDOW,
        2,
        64,
        BOND.into(),
        10,
        I256::zero(),
        2_000,
        ONE / 2,
        0,
    ))
    .await?;

    // A base model and its fine-tune on a dataset, all by the same owner.
    let owner = harness.funded_account(1).await?;
    let by_owner = as_user(&ledger, &owner);
    send(by_owner.register_dataset(keccak256("dialogues"), "ipfs://dialogues".into())).await?;
    send(by_owner.register_model(keccak256("base"), "ipfs://base".into(), 0.into(), 0.into()))
        .await?;
    send(by_owner.register_model(
        keccak256("tuned"),
        "ipfs://tuned".into(),
        1.into(),
        1.into(),
    ))
    .await?;
    let (a, b) = (U256::from(1), U256::from(2));

    // The owner opens a session with its bond and a committed seed.
    let seed = keccak256("the opener's secret seed");
    let opened = send(by_owner.open_session(a, b, keccak256(seed)).value(BOND)).await?;
    assert!(events(&opened)
        .iter()
        .any(|e| matches!(e, EloLedgerEvents::SessionOpenedFilter(s) if s.model_a == a)));
    let session = U256::one();

    // Three validators commit: two say the fine-tune wins every round, one says the base does.
    let validators = [
        validator(&harness).await?,
        validator(&harness).await?,
        validator(&harness).await?,
    ];
    let mut votes = Vec::new();
    for (i, v) in validators.iter().enumerate() {
        let results = results_for(seed, v.address(), i < 2);
        let salt = keccak256([i as u8; 4]);
        let hash = commitment(&results, salt, v.address());
        send(as_user(&ledger, v).commit_vote(session, hash)).await?;
        votes.push((v.clone(), results, salt, hash));
    }
    assert_eq!(
        ledger.session_info(session).call().await?,
        (1.into(), 3.into(), 0.into())
    );

    // Typed failures during the commit window; nothing changes.
    let (v1, results1, salt1, hash1) = votes[0].clone();
    let error = revert(as_user(&ledger, &v1).commit_vote(session, hash1)).await?;
    assert!(
        matches!(error, EloLedgerErrors::AlreadyCommitted(_)),
        "{error:?}"
    );
    let error =
        revert(as_user(&ledger, &v1).reveal_vote(session, results1.clone().into(), salt1)).await?;
    assert!(
        matches!(error, EloLedgerErrors::OutsideWindow(_)),
        "{error:?}"
    );
    let error = revert(ledger.finalize_session(session)).await?;
    assert!(
        matches!(error, EloLedgerErrors::OutsideWindow(_)),
        "{error:?}"
    );
    assert_eq!(
        ledger.session_info(session).call().await?,
        (1.into(), 3.into(), 0.into())
    );

    // Reveal window: the seed, then a mismatching reveal (rejected), then the real ones.
    harness.increase_time(WINDOW).await?;
    send(by_owner.reveal_seed(session, seed)).await?;
    let error = revert(as_user(&ledger, &v1).reveal_vote(
        session,
        results1.clone().into(),
        keccak256("wrong salt"),
    ))
    .await?;
    assert!(
        matches!(error, EloLedgerErrors::CommitmentMismatch(_)),
        "{error:?}"
    );
    assert_eq!(ledger.session_info(session).call().await?.2, U256::zero());
    for (v, results, salt, _) in &votes {
        send(as_user(&ledger, v).reveal_vote(session, results.clone().into(), *salt)).await?;
    }
    assert_eq!(ledger.session_info(session).call().await?.2, 3.into());

    // After the reveal window anyone finalizes: 30 rounds, 20 won by the fine-tune.
    harness.increase_time(WINDOW + 1).await?;
    let finalized = send(ledger.finalize_session(session)).await?;
    let low: Vec<Address> = events(&finalized)
        .into_iter()
        .filter_map(|e| match e {
            EloLedgerEvents::LowAgreementFilter(l) => Some(l.validator),
            _ => None,
        })
        .collect();
    assert_eq!(
        low,
        vec![votes[2].0.address()],
        "only the dissenter is flagged"
    );
    let (rating_a, rating_b) = (
        ledger.rating_of(a).call().await?,
        ledger.rating_of(b).call().await?,
    );
    assert!(rating_b > rating_a, "{rating_a} vs {rating_b}");
    assert_eq!(
        rating_a + rating_b,
        I256::from(2_000) * I256::from(ONE),
        "Elo is zero-sum"
    );
    let (ids, ratings, games) = ledger.top_models(10.into()).call().await?;
    assert_eq!(ids, vec![b, a]);
    assert_eq!(ratings, vec![rating_b, rating_a]);
    assert_eq!(games, vec![U256::from(30); 2]);
    assert_eq!(ledger.session_info(session).call().await?.0, 2.into());
    assert_eq!(
        ledger.agreement_of(votes[0].0.address()).call().await?,
        (ONE.into(), 1.into())
    );
    assert_eq!(
        ledger.agreement_of(votes[2].0.address()).call().await?,
        (0.into(), 1.into())
    );

    // The bond comes back to the opener; the dataset is judged by the fine-tune's gain.
    send(by_owner.withdraw_bond()).await?;
    let error = revert(by_owner.withdraw_bond()).await?;
    assert!(
        matches!(error, EloLedgerErrors::NothingToWithdraw(_)),
        "{error:?}"
    );
    send(ledger.finalize_dataset(1.into())).await?;
    let (contributor, _, model, status, impact) = ledger.dataset_info(1.into()).call().await?;
    assert_eq!((contributor, model, status), (owner.address(), b, 1));
    assert_eq!(impact, rating_b - rating_a);

    // Governance crowns the fine-tune.
    send(ledger.upgrade_model(b)).await?;
    assert_eq!(ledger.champion_model().call().await?, b);
    harness.finish().await
}
