//! Elo ledger end to end: two models, three validators, a session requested by the model owner
//! and opened by the governance-appointed operator, the seed-hidden X/Y assignment, then
//! ratings, leaderboard, validator records and the dataset verdict read back through the
//! `abigen!` bindings of `abi/EloLedger.json`, on the embedded devnode (or `RPC_URL`); and a
//! model owner's 64 Sybil validators against three honest ones. Typed errors on the way (double commit, early reveal and finalization, a reveal
//! that does not match its commitment, a voter whose power came after the snapshot) leave the
//! session unchanged.
//!
//! Voting power comes from the Solidity stand-in for the staking vault
//! (`tests/fixtures/VotesStandIn.sol`): the test sets each validator's power, and the ledger reads
//! it with `getPastVotes` at the session snapshot. The scenario exercises the ledger, not the
//! vault, and needs no staking setup.

use std::sync::Arc;

use anyhow::{Context, Result};
use deploy::bindings::elo_ledger::{EloLedger, EloLedgerErrors, EloLedgerEvents};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::types::{Address, I256, U256};
use ethers::utils::keccak256;
use integration_tests::bindings::votes_stand_in::VotesStandIn;
use integration_tests::{address_of, connect, events, revert, send, tokens, Client, Harness};

/// 1.0 in the ledger's 18-decimal fixed point.
const ONE: u64 = 1_000_000_000_000_000_000;
/// Commit and reveal windows (the ledger's minimum).
pub(crate) const WINDOW: u64 = 60;
/// Bond a requester posts with a session request, and the operator with its opening.
pub(crate) const BOND: u64 = 1_000_000_000_000_000;

/// Governance (the account `ledger` is connected with) sets the scenario parameters: one-minute
/// windows, `min_reveals` reveals, a bond, ten games to judge a dataset, agreement EMA of 20%
/// with a threshold of one half, the default 25-resample bootstrap gate; and appoints itself
/// session operator with the same bond and a minimum stake of one token.
pub(crate) async fn sessions_with(ledger: &EloLedger<Client>, min_reveals: u32) -> Result<()> {
    let call = ledger.set_params(
        WINDOW,
        WINDOW,
        min_reveals,
        64,
        BOND.into(),
        10,
        I256::zero(),
        2_000,
        ONE / 2,
        25,
    );
    send(call).await?;
    let operator = ledger.client().address();
    send(ledger.set_validation(operator, BOND.into(), ONE.into())).await?;
    Ok(())
}

/// [`sessions_with`] two reveals.
pub(crate) async fn short_sessions(ledger: &EloLedger<Client>) -> Result<()> {
    sessions_with(ledger, 2).await
}

/// `requester` requests a session between `a` and `b` and the operator (the account `ledger`
/// is connected with) opens it on `seed`; returns the session id.
async fn request_and_open(
    ledger: &EloLedger<Client>,
    requester: &Arc<Client>,
    (a, b): (U256, U256),
    seed: [u8; 32],
) -> Result<U256> {
    let call = connect(ledger, requester).request_session(a, b).value(BOND);
    let session = call.call().await?;
    send(call).await?;
    send(ledger.open_session(session, keccak256(seed)).value(BOND)).await?;
    Ok(session)
}

/// `opener` requests a whole session between models `a` and `b` and the operator (the account
/// `ledger` is connected with) runs it (seed, commits, reveals, finalization), where validator
/// `i` reports that `b` wins all ten rounds iff `b_wins[i]`; returns the session id.
pub(crate) async fn play_session(
    harness: &Harness,
    ledger: &EloLedger<Client>,
    opener: &Arc<Client>,
    (a, b): (U256, U256),
    validators: &[Arc<Client>],
    b_wins: &[bool],
) -> Result<U256> {
    let seed = keccak256([a.as_u64().to_be_bytes(), b.as_u64().to_be_bytes()].concat());
    let session = request_and_open(ledger, opener, (a, b), seed).await?;
    let mut votes = Vec::new();
    for (i, (v, wins)) in validators.iter().zip(b_wins).enumerate() {
        let results = results_for(seed, v.address(), *wins);
        let salt = keccak256([i as u8; 8]);
        send(connect(ledger, v).commit_vote(session, commitment(&results, salt, v.address())))
            .await?;
        votes.push((v, results, salt));
    }
    harness.increase_time(WINDOW).await?;
    send(ledger.reveal_seed(session, seed)).await?;
    for (v, results, salt) in votes {
        send(connect(ledger, v).reveal_vote(session, results.into(), salt)).await?;
    }
    harness.increase_time(WINDOW + 1).await?;
    send(ledger.finalize_session(session)).await?;
    Ok(session)
}

/// A funded account with `power` tokens of voting power at the stand-in from now on.
async fn validator(
    harness: &Harness,
    stand_in: &VotesStandIn<Client>,
    power: u64,
) -> Result<Arc<Client>> {
    let account = harness.funded_account(1).await?;
    send(stand_in.set_votes(account.address(), tokens(power))).await?;
    Ok(account)
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
    let stand_in = harness.votes_stand_in().await?;
    let vault = stand_in.address();
    let report = harness
        .deploy_with(
            &[ContractKind::EloLedger],
            &SystemParams::default(),
            &[("vault", vault)],
        )
        .await?;
    let ledger = EloLedger::new(
        address_of(&report, ContractKind::EloLedger)?,
        harness.deployer(),
    );
    assert_eq!(ledger.vault().call().await?, vault);
    assert_eq!(ledger.governance().call().await?, harness.chain.deployer());

    short_sessions(&ledger).await?;

    // A base model and its fine-tune on a dataset, all by the same owner.
    let owner = harness.funded_account(1).await?;
    let by_owner = connect(&ledger, &owner);
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

    // Three validators with equal power before the session opens.
    let validators = [
        validator(&harness, &stand_in, 100).await?,
        validator(&harness, &stand_in, 100).await?,
        validator(&harness, &stand_in, 100).await?,
    ];
    harness.increase_time(2).await?;

    // The owner requests a session with its bond; it cannot open it on a seed of its own.
    let request = by_owner.request_session(a, b).value(BOND);
    let session = request.call().await?;
    send(request).await?;
    let seed = keccak256("the operator's secret seed");
    let error: EloLedgerErrors = revert(by_owner.open_session(session, keccak256(seed))).await?;
    assert!(
        matches!(error, EloLedgerErrors::NotOperator(_)),
        "{error:?}"
    );
    // The operator opens it with its bond and a committed seed; power is read one second
    // before the opening.
    let opened = send(ledger.open_session(session, keccak256(seed)).value(BOND)).await?;
    let snapshot = events::<EloLedgerEvents>(&opened)
        .into_iter()
        .find_map(|e| match e {
            EloLedgerEvents::SessionOpenedFilter(s) if s.session_id == session => Some(s.snapshot),
            _ => None,
        })
        .context("no SessionOpened")?;

    // Power that arrives after the opening does not make a validator of this session.
    let latecomer = validator(&harness, &stand_in, 1_000).await?;
    let results = results_for(seed, latecomer.address(), false);
    let hash = commitment(&results, [7; 32], latecomer.address());
    match revert(connect(&ledger, &latecomer).commit_vote(session, hash)).await? {
        EloLedgerErrors::NotValidator(e) => assert_eq!(e.0, snapshot),
        other => anyhow::bail!("unexpected {other:?}"),
    }

    // Three validators commit: two say the fine-tune wins every round, one says the base does.
    let mut votes = Vec::new();
    for (i, v) in validators.iter().enumerate() {
        let results = results_for(seed, v.address(), i < 2);
        let salt = keccak256([i as u8; 4]);
        let hash = commitment(&results, salt, v.address());
        send(connect(&ledger, v).commit_vote(session, hash)).await?;
        votes.push((v.clone(), results, salt, hash));
    }
    assert_eq!(
        ledger.session_info(session).call().await?,
        (1.into(), 3.into(), 0.into())
    );

    // Typed failures during the commit window; nothing changes.
    let (v1, results1, salt1, hash1) = votes[0].clone();
    let error: EloLedgerErrors = revert(connect(&ledger, &v1).commit_vote(session, hash1)).await?;
    assert!(
        matches!(error, EloLedgerErrors::AlreadyCommitted(_)),
        "{error:?}"
    );
    let error =
        revert(connect(&ledger, &v1).reveal_vote(session, results1.clone().into(), salt1)).await?;
    assert!(
        matches!(error, EloLedgerErrors::OutsideWindow(_)),
        "{error:?}"
    );
    let error: EloLedgerErrors = revert(ledger.finalize_session(session)).await?;
    assert!(
        matches!(error, EloLedgerErrors::OutsideWindow(_)),
        "{error:?}"
    );
    assert_eq!(
        ledger.session_info(session).call().await?,
        (1.into(), 3.into(), 0.into())
    );

    // Reveal window: no vote before the seed; the seed, then a mismatching reveal (rejected),
    // then the real ones.
    harness.increase_time(WINDOW).await?;
    let error: EloLedgerErrors =
        revert(connect(&ledger, &v1).reveal_vote(session, results1.clone().into(), salt1)).await?;
    assert!(
        matches!(error, EloLedgerErrors::SeedNotRevealed(_)),
        "{error:?}"
    );
    send(ledger.reveal_seed(session, seed)).await?;
    let error: EloLedgerErrors = revert(connect(&ledger, &v1).reveal_vote(
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
        send(connect(&ledger, v).reveal_vote(session, results.clone().into(), *salt)).await?;
    }
    assert_eq!(ledger.session_info(session).call().await?.2, 3.into());

    // After the reveal window anyone finalizes: ten rounds, each two thirds for the fine-tune.
    harness.increase_time(WINDOW + 1).await?;
    let finalized = send(ledger.finalize_session(session)).await?;
    let low: Vec<Address> = events::<EloLedgerEvents>(&finalized)
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
    assert_eq!(games, vec![U256::from(10); 2]);
    assert_eq!(ledger.session_info(session).call().await?.0, 2.into());
    assert_eq!(
        ledger
            .validator_record(votes[0].0.address(), U256::zero())
            .call()
            .await?,
        (1.into(), 1.into(), ONE.into(), 1.into())
    );
    assert_eq!(
        ledger
            .validator_record(votes[2].0.address(), U256::zero())
            .call()
            .await?,
        (1.into(), 1.into(), 0.into(), 1.into())
    );

    // The bond comes back to the requester; the dataset is judged by the fine-tune's gain.
    send(by_owner.withdraw_bond()).await?;
    let error: EloLedgerErrors = revert(by_owner.withdraw_bond()).await?;
    assert!(
        matches!(error, EloLedgerErrors::NothingToWithdraw(_)),
        "{error:?}"
    );
    send(ledger.finalize_dataset(1.into())).await?;
    let (contributor, _, model, status, impact) = ledger.dataset_info(1.into()).call().await?;
    assert_eq!((contributor, model, status), (owner.address(), b, 1));
    assert_eq!(impact, rating_b - rating_a);

    // Governance crowns the fine-tune (no champion yet, so no bootstrap gate).
    let cutoff = ledger.battle_records().call().await?;
    assert_eq!(cutoff, U256::one());
    send(ledger.upgrade_model(b, cutoff)).await?;
    assert_eq!(ledger.champion_model().call().await?, b);
    harness.finish().await
}

/// A model owner's Sybil attack, end to end: 64 validators of one token each fill every slot of
/// a session of its model against the champion's and vote its model up; three honest
/// validators of 100 tokens each still commit (each displaces a Sybil) and vote the other way.
/// The attacker's model moves by at most the Sybils' share of the revealed stake.
#[tokio::test(flavor = "multi_thread")]
async fn sybil_validators_move_ratings_by_at_most_their_stake_share() -> Result<()> {
    let harness = Harness::start().await?;
    let stand_in = harness.votes_stand_in().await?;
    let report = harness
        .deploy_with(
            &[ContractKind::EloLedger],
            &SystemParams::default(),
            &[("vault", stand_in.address())],
        )
        .await?;
    let ledger = EloLedger::new(
        address_of(&report, ContractKind::EloLedger)?,
        harness.deployer(),
    );
    sessions_with(&ledger, 1).await?;
    let attacker = harness.funded_account(1).await?;
    let by_attacker = connect(&ledger, &attacker);
    send(by_attacker.register_model(keccak256("mine"), "ipfs://mine".into(), 0.into(), 0.into()))
        .await?;
    let rival = harness.funded_account(1).await?;
    send(connect(&ledger, &rival).register_model(
        keccak256("rival"),
        "ipfs://rival".into(),
        0.into(),
        0.into(),
    ))
    .await?;
    let (mine, theirs) = (U256::from(1), U256::from(2));
    let mut sybils = Vec::new();
    for _ in 0..64 {
        sybils.push(validator(&harness, &stand_in, 1).await?);
    }
    let honest = [
        validator(&harness, &stand_in, 100).await?,
        validator(&harness, &stand_in, 100).await?,
        validator(&harness, &stand_in, 100).await?,
    ];
    harness.increase_time(2).await?;
    let seed = keccak256("sybil session seed");
    let session = request_and_open(&ledger, &attacker, (mine, theirs), seed).await?;
    // A = mine: the Sybils say A wins every round (b_wins false), the honest say B.
    let mut votes = Vec::new();
    for (i, v) in sybils.iter().chain(&honest).enumerate() {
        let is_sybil = i < sybils.len();
        let results = results_for(seed, v.address(), !is_sybil);
        let salt = keccak256((i as u32).to_be_bytes());
        send(connect(&ledger, v).commit_vote(session, commitment(&results, salt, v.address())))
            .await?;
        if is_sybil && i == 63 {
            // Every slot is the attacker's.
            assert_eq!(ledger.session_info(session).call().await?.1, 64.into());
        }
        votes.push((v.clone(), results, salt));
    }
    assert_eq!(ledger.session_info(session).call().await?.1, 64.into());
    harness.increase_time(WINDOW).await?;
    send(ledger.reveal_seed(session, seed)).await?;
    let mut revealed_sybils = 0u64;
    for (i, (v, results, salt)) in votes.iter().enumerate() {
        let call = connect(&ledger, v).reveal_vote(session, results.clone().into(), *salt);
        if i < sybils.len() {
            // Three Sybils were displaced and have nothing left to reveal.
            if call.call().await.is_ok() {
                send(call).await?;
                revealed_sybils += 1;
            }
        } else {
            send(call).await?;
        }
    }
    assert_eq!(revealed_sybils, 61);
    harness.increase_time(WINDOW + 1).await?;
    send(ledger.finalize_session(session)).await?;
    // Sybil share 61 / 361; the same session without them would give A a score of 0 per
    // round (a loss of 20 points over ten rounds at equal ratings, minus the expected-score
    // drift); with them A scores at most the share per round.
    let rating = ledger.rating_of(mine).call().await?;
    let one = I256::from(ONE);
    let share = 61.0 / 361.0;
    let points = rating.as_i128() as f64 / ONE as f64 - 1000.0;
    // Honest-only result: ten losses from 1000/1000.
    let mut honest_only = (1000.0f64, 1000.0f64);
    for _ in 0..10 {
        let e = 1.0 / (1.0 + 10f64.powf((honest_only.1 - honest_only.0) / 400.0));
        honest_only.0 -= 4.0 * e;
        honest_only.1 += 4.0 * e;
    }
    let moved = points - (honest_only.0 - 1000.0);
    assert!(
        moved > 0.0 && moved <= 10.0 * 4.0 * share * 1.01,
        "moved {moved} points with share {share}"
    );
    assert!(
        rating < I256::from(1_000) * one,
        "the attacker's model still lost"
    );
    harness.finish().await
}
