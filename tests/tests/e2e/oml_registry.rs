//! OML registry end to end: deployed through the deploy library, driven through the `abigen!`
//! bindings of `abi/OmlRegistry.json`, on the embedded devnode (or `RPC_URL`).
//!
//! The main scenario: a parent model and its fine-tune, a host's license with ETH collateral,
//! usage fees cascading to both owners, a prover's leaked-copy claim with Merkle proofs of the
//! host's fingerprints finalized after the challenge window, and the collateral slashed; plus the
//! typed errors of bad input with the state checked unchanged. Then the attacks: the public
//! fingerprint root (or an inner node) passed off as a fingerprint, and the real agent token
//! (1% transfer tax) as a model's asset with every payee withdrawing in full.

use anyhow::Result;
use deploy::bindings::oml_registry::{OmlRegistry, OmlRegistryErrors};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use deploy::lifecycle::merkle::{self, Tree};
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, U256};
use ethers::utils::keccak256;
use integration_tests::{address_of, connect, revert, send, Client, Harness};

/// Challenge window and collateral cooldown of the scenario, seconds (short: CI runs it).
const WINDOW: u64 = 60;
const COOLDOWN: u64 = 120;
/// Claim kind `0`: the license's fingerprints answered a deployment that is not the licensee's.
const LEAKED_COPY: u8 = 0;
/// License state `4`: slashed.
const SLASHED: u8 = 4;

/// The scenario's parameters: bond 10% of the collateral, bounty 20%, treasury 10%.
fn params() -> SystemParams {
    SystemParams {
        challenge_window: WINDOW,
        collateral_cooldown: COOLDOWN,
        claim_bond_bps: 1_000,
        bounty_bps: 2_000,
        protocol_slash_bps: 1_000,
        ..SystemParams::default()
    }
}

/// A harness with a freshly deployed registry (the deployer is governance and treasury).
async fn setup() -> Result<(Harness, OmlRegistry<Client>)> {
    let harness = Harness::start().await?;
    let report = harness
        .deploy(&[ContractKind::OmlRegistry], &params())
        .await?;
    let address = address_of(&report, ContractKind::OmlRegistry)?;
    let registry = OmlRegistry::new(address, harness.deployer());
    Ok((harness, registry))
}

/// `keccak256(key ‖ response)`: a fingerprint.
fn leaf(key: &str, response: &str) -> [u8; 32] {
    merkle::fingerprint(key.as_bytes(), response.as_bytes())
}

/// Root, depth and per-fingerprint proofs of the fingerprint tree over `fingerprints`.
fn tree(fingerprints: &[[u8; 32]]) -> ([u8; 32], u8, Vec<Vec<[u8; 32]>>) {
    let tree = Tree::new(fingerprints.to_vec()).expect("fingerprints");
    let proofs = (0..fingerprints.len()).map(|i| tree.proof(i)).collect();
    (tree.root(), tree.depth(), proofs)
}

/// (asset, usageFee, collateral, creator, ancestors, provers, protocol, decay bps, maxDepth):
/// ETH, 60% creator, 20% to the ancestors (the parent takes half of it), 10% provers, 10% protocol.
pub(crate) type Terms = (Address, U256, U256, u16, u16, u16, u16, u16, u8);

pub(crate) fn terms(fee: U256, collateral: U256) -> Terms {
    (
        Address::zero(),
        fee,
        collateral,
        6_000,
        2_000,
        1_000,
        1_000,
        5_000,
        2,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn fees_cascade_and_a_leaked_copy_is_slashed() -> Result<()> {
    let (harness, registry) = setup().await?;
    let treasury = harness.chain.deployer();
    let (base_owner, tuner, host, prover) = (
        harness.funded_account(10).await?,
        harness.funded_account(10).await?,
        harness.funded_account(10).await?,
        harness.funded_account(10).await?,
    );
    let gwei = U256::exp10(9);
    let (fee, collateral) = (gwei * 1_000, gwei * 1_000_000);

    // A base model and its fine-tune.
    let base_call = connect(&registry, &base_owner).register_model(
        keccak256("base weights"),
        Bytes::from(b"ipfs://base".to_vec()),
        0,
        terms(fee, collateral),
    );
    let base = base_call.call().await?;
    send(base_call).await?;
    let child_call = connect(&registry, &tuner).register_model(
        keccak256("fine-tuned weights"),
        Bytes::from(b"ipfs://fine-tune".to_vec()),
        base,
        terms(fee, collateral),
    );
    let child = child_call.call().await?;
    send(child_call).await?;
    assert_eq!(registry.parent_of(child).call().await?, base);
    assert_eq!(registry.ancestors(child, 8).call().await?, vec![base]);
    let version = connect(&registry, &tuner).publish_version(
        child,
        keccak256("fine-tuned weights v2"),
        Bytes::from(b"ipfs://fine-tune-2".to_vec()),
    );
    send(version).await?;
    assert_eq!(
        registry.version_hash(child, 2).call().await?,
        keccak256("fine-tuned weights v2")
    );

    // The wrong collateral is refused and opens no license.
    let host_registry = connect(&registry, &host);
    let error: OmlRegistryErrors =
        revert(host_registry.request_license(child).value(collateral - 1)).await?;
    assert!(
        matches!(&error, OmlRegistryErrors::WrongPayment(e) if e.0 == collateral && e.1 == collateral - 1),
        "{error:?}"
    );
    let unknown = revert::<OmlRegistryErrors, _>(registry.license(1)).await;
    assert!(
        matches!(unknown, Ok(OmlRegistryErrors::UnknownLicense(_))),
        "{unknown:?}"
    );

    // The host deposits the collateral; the tuner commits the fingerprints of its copy.
    let license_call = host_registry.request_license(child).value(collateral);
    let license = license_call.call().await?;
    send(license_call).await?;
    let fingerprints: Vec<[u8; 32]> = (0..8)
        .map(|i| leaf(&format!("key-{i}"), &format!("response-{i}")))
        .collect();
    let (root, depth, proofs) = tree(&fingerprints);
    send(connect(&registry, &tuner).set_fingerprint_root(license, root, depth)).await?;

    // 100 units: 10% treasury, 10% provers' pool, parent 10%, creator 60% + the 10% the
    // parent left of the ancestors' share.
    let paid = fee * 100;
    send(host_registry.report_usage(license, 100).value(paid)).await?;
    let credit = |who: Address| registry.credit(Address::zero(), who);
    assert_eq!(credit(base_owner.address()).call().await?, paid / 10);
    assert_eq!(credit(tuner.address()).call().await?, paid * 7 / 10);
    assert_eq!(credit(treasury).call().await?, paid / 10);
    let (_, _, _, _, pool, _) = registry.model(child).call().await?;
    assert_eq!(pool, paid / 10);

    // The base owner withdraws its cascade share.
    let before = harness
        .chain
        .provider()
        .get_balance(base_owner.address(), None)
        .await?;
    let receipt = send(connect(&registry, &base_owner).withdraw(Address::zero())).await?;
    let gas =
        receipt.gas_used.unwrap_or_default() * receipt.effective_gas_price.unwrap_or_default();
    let after = harness
        .chain
        .provider()
        .get_balance(base_owner.address(), None)
        .await?;
    assert_eq!(after + gas - before, paid / 10);
    assert_eq!(credit(base_owner.address()).call().await?, U256::zero());

    // A prover shows two fingerprints answered by a leaked copy. A forged leaf fails the
    // proof and takes no bond.
    let bond = collateral / 10;
    let prover_registry = connect(&registry, &prover);
    let mut evidence: Vec<([u8; 32], Vec<[u8; 32]>)> = [2usize, 5]
        .iter()
        .map(|&i| (fingerprints[i], proofs[i].clone()))
        .collect();
    evidence.sort();
    let (leaves, paths): (Vec<_>, Vec<_>) = evidence.iter().cloned().unzip();
    let mut forged = leaves.clone();
    forged[0] = leaf("key-2", "another response");
    let forged_order = if forged[0] < forged[1] {
        forged.clone()
    } else {
        vec![forged[1], forged[0]]
    };
    let forged_paths = if forged[0] < forged[1] {
        paths.clone()
    } else {
        vec![paths[1].clone(), paths[0].clone()]
    };
    let evidence_hash = keccak256("transcript of the leaked deployment");
    let error: OmlRegistryErrors = revert(
        prover_registry
            .submit_claim(
                license,
                LEAKED_COPY,
                forged_order,
                forged_paths,
                evidence_hash,
                U256::zero(),
            )
            .value(bond),
    )
    .await?;
    assert!(
        matches!(error, OmlRegistryErrors::InvalidProof(_)),
        "{error:?}"
    );
    let none = revert::<OmlRegistryErrors, _>(registry.claim(1)).await;
    assert!(
        matches!(none, Ok(OmlRegistryErrors::UnknownClaim(_))),
        "{none:?}"
    );

    let claim_call = prover_registry
        .submit_claim(
            license,
            LEAKED_COPY,
            leaves,
            paths,
            evidence_hash,
            U256::zero(),
        )
        .value(bond);
    let claim = claim_call.call().await?;
    send(claim_call).await?;

    // The host cannot escape: terminating starts a cooldown, closing fails while the claim is
    // pending; finalizing inside the window fails too. Nothing moves.
    send(host_registry.terminate_license(license)).await?;
    let error: OmlRegistryErrors = revert(registry.finalize_claim(claim)).await?;
    assert!(
        matches!(error, OmlRegistryErrors::ChallengeWindowOpen(_)),
        "{error:?}"
    );
    harness.increase_time(COOLDOWN + 1).await?;
    let error: OmlRegistryErrors = revert(host_registry.close_license(license)).await?;
    assert!(
        matches!(&error, OmlRegistryErrors::ClaimPending(e) if e.0 == license && e.1 == claim),
        "{error:?}"
    );
    assert_eq!(credit(host.address()).call().await?, U256::zero());
    let (_, _, held, _, state, _, open_claim, _) = registry.license(license).call().await?;
    assert_eq!((held, state, open_claim), (collateral, 2, claim));

    // After the window anyone finalizes: the collateral is slashed. The prover gets its bond,
    // a 20% bounty and half of the provers' pool; the treasury 10%; the model owner the rest.
    send(registry.finalize_claim(claim)).await?;
    let (_, _, held, _, state, _, open_claim, _) = registry.license(license).call().await?;
    assert_eq!((held, state, open_claim), (U256::zero(), SLASHED, 0));
    assert_eq!(
        credit(prover.address()).call().await?,
        bond + collateral / 5 + paid / 20
    );
    assert_eq!(credit(treasury).call().await?, paid / 10 + collateral / 10);
    assert_eq!(
        credit(tuner.address()).call().await?,
        paid * 7 / 10 + collateral * 7 / 10
    );
    let error: OmlRegistryErrors = revert(registry.finalize_claim(claim)).await?;
    assert!(
        matches!(&error, OmlRegistryErrors::InvalidClaimState(e) if e.1 == 3),
        "{error:?}"
    );
    let error: OmlRegistryErrors = revert(host_registry.close_license(license)).await?;
    assert!(
        matches!(error, OmlRegistryErrors::InvalidLicenseState(_)),
        "{error:?}"
    );

    // Every wei is accounted for: the registry holds exactly the unwithdrawn credits and the
    // half of the provers' pool left for later provers.
    let held = harness
        .chain
        .provider()
        .get_balance(registry.address(), None)
        .await?;
    let (_, _, _, _, mut owed, _) = registry.model(child).call().await?;
    assert_eq!(owed, paid / 20);
    for who in [
        base_owner.address(),
        tuner.address(),
        host.address(),
        prover.address(),
        treasury,
    ] {
        owed += credit(who).call().await?;
    }
    assert_eq!(held, owed);
    harness.finish().await
}

/// The forged-evidence attack on the devnode: the owner commits a license's fingerprint root; a
/// stranger who knows no fingerprint submits the public root as a "leaf" with an empty proof
/// (which the old verifier accepted), then an inner node with the rest of a proof, then the
/// root with a proof of the right length. Every claim is refused with its typed error, no bond
/// is taken, no claim opens, and after the window there is nothing to finalize.
#[tokio::test(flavor = "multi_thread")]
async fn forged_root_as_leaf_is_refused() -> Result<()> {
    let (harness, registry) = setup().await?;
    let (owner, host, stranger) = (
        harness.funded_account(10).await?,
        harness.funded_account(10).await?,
        harness.funded_account(10).await?,
    );
    let gwei = U256::exp10(9);
    let collateral = gwei * 1_000_000;
    let call = connect(&registry, &owner).register_model(
        keccak256("weights"),
        Bytes::from(b"ipfs://weights".to_vec()),
        0,
        terms(gwei, collateral),
    );
    let model = call.call().await?;
    send(call).await?;
    let license_call = connect(&registry, &host)
        .request_license(model)
        .value(collateral);
    let license = license_call.call().await?;
    send(license_call).await?;
    let fingerprints: Vec<[u8; 32]> = (0..8)
        .map(|i| leaf(&format!("key-{i}"), &format!("response-{i}")))
        .collect();
    let (root, depth, proofs) = tree(&fingerprints);
    send(connect(&registry, &owner).set_fingerprint_root(license, root, depth)).await?;

    let bond = collateral / 10;
    let attacker = connect(&registry, &stranger);
    let before = harness
        .chain
        .provider()
        .get_balance(stranger.address(), None)
        .await?;
    let inner = merkle::hash_pair(merkle::leaf(fingerprints[0]), proofs[0][0]);
    let attempts: Vec<([u8; 32], Vec<[u8; 32]>)> = vec![
        (root, Vec::new()),
        (inner, proofs[0][1..].to_vec()),
        (root, proofs[0].clone()),
        (
            inner,
            [vec![merkle::leaf(inner)], proofs[0][1..].to_vec()].concat(),
        ),
    ];
    let mut refusals = Vec::new();
    for (forged, proof) in attempts {
        let call = attacker
            .submit_claim(
                license,
                LEAKED_COPY,
                vec![forged],
                vec![proof],
                keccak256("no evidence"),
                U256::zero(),
            )
            .value(bond);
        refusals.push(revert::<OmlRegistryErrors, _>(call).await?);
    }
    assert!(
        matches!(&refusals[0], OmlRegistryErrors::WrongProofLength(e) if e.1 == U256::zero() && e.2 == 3),
        "{:?}",
        refusals[0]
    );
    assert!(
        matches!(&refusals[1], OmlRegistryErrors::WrongProofLength(e) if e.1 == U256::from(2)),
        "{:?}",
        refusals[1]
    );
    assert!(
        matches!(refusals[2], OmlRegistryErrors::FingerprintIsRoot(_)),
        "{:?}",
        refusals[2]
    );
    assert!(
        matches!(refusals[3], OmlRegistryErrors::InvalidProof(_)),
        "{:?}",
        refusals[3]
    );

    // Nothing changed: no claim, the license untouched, no bond kept.
    let none = revert::<OmlRegistryErrors, _>(registry.claim(1)).await;
    assert!(
        matches!(none, Ok(OmlRegistryErrors::UnknownClaim(_))),
        "{none:?}"
    );
    let (_, _, held, _, state, _, open_claim, _) = registry.license(license).call().await?;
    assert_eq!((held, state, open_claim), (collateral, 1, 0));
    let after = harness
        .chain
        .provider()
        .get_balance(stranger.address(), None)
        .await?;
    assert_eq!(
        after, before,
        "refused calls cost the stranger nothing on chain"
    );
    harness.increase_time(WINDOW + 1).await?;
    let error: OmlRegistryErrors = revert(registry.finalize_claim(1)).await?;
    assert!(
        matches!(error, OmlRegistryErrors::UnknownClaim(_)),
        "{error:?}"
    );

    // The real fingerprints still prove.
    let call = attacker
        .submit_claim(
            license,
            LEAKED_COPY,
            vec![fingerprints[6]],
            vec![proofs[6].clone()],
            keccak256("transcript"),
            U256::zero(),
        )
        .value(bond);
    assert_eq!(call.call().await?, 1);
    harness.finish().await
}

/// The real agent token (1% transfer tax, the deployer exempt) as a model's asset: licenses,
/// usage, a claim, a closed license and a slash; the registry credits what arrived, every payee
/// withdraws its whole credit (receiving it net of the token's tax) and the registry's token
/// balance ends at zero.
#[tokio::test(flavor = "multi_thread")]
async fn taxed_agent_token_as_asset_keeps_the_registry_solvent() -> Result<()> {
    use deploy::bindings::agent_token::AgentToken;
    use integration_tests::tokens;

    let harness = Harness::start().await?;
    let report = harness
        .deploy(
            &[ContractKind::AgentToken, ContractKind::OmlRegistry],
            &params(),
        )
        .await?;
    let deployer = harness.deployer();
    let registry = OmlRegistry::new(
        address_of(&report, ContractKind::OmlRegistry)?,
        deployer.clone(),
    );
    let token = AgentToken::new(
        address_of(&report, ContractKind::AgentToken)?,
        deployer.clone(),
    );
    assert_eq!(token.tax_bps().call().await?, 100);
    let treasury = harness.chain.deployer();
    let (owner, host, leaver, prover) = (
        harness.funded_account(1).await?,
        harness.funded_account(1).await?,
        harness.funded_account(1).await?,
        harness.funded_account(1).await?,
    );
    // The deployer is exempt: each receives the full amount.
    for who in [&host, &leaver, &prover] {
        send(token.transfer(who.address(), tokens(10_000))).await?;
        send(connect(&token, who).approve(registry.address(), U256::MAX)).await?;
    }
    // 90% creator, 10% protocol, no provers' pool (so the registry can end empty).
    let (fee, collateral) = (tokens(1), tokens(1_000));
    let terms = (token.address(), fee, collateral, 9_000, 0, 0, 1_000, 0, 0);
    let call = connect(&registry, &owner).register_model(
        keccak256("taxed weights"),
        Bytes::from(b"ipfs://taxed".to_vec()),
        0,
        terms,
    );
    let model = call.call().await?;
    send(call).await?;
    let held = || token.balance_of(registry.address());

    // Collateral: 1,000 sent, 990 arrived and held.
    let call = connect(&registry, &host).request_license(model);
    let license = call.call().await?;
    send(call).await?;
    let (_, _, deposited, ..) = registry.license(license).call().await?;
    assert_eq!(deposited, tokens(990));
    let call = connect(&registry, &leaver).request_license(model);
    let second = call.call().await?;
    send(call).await?;
    assert_eq!(held().call().await?, tokens(1_980));

    // Usage: 100 sent, 99 arrived and split 90/10.
    send(connect(&registry, &host).report_usage(license, 100)).await?;
    let credit = |who: Address| registry.credit(token.address(), who);
    assert_eq!(credit(owner.address()).call().await?, tokens(99) * 9 / 10);
    assert_eq!(credit(treasury).call().await?, tokens(99) / 10);

    // The leaver closes its license after the cooldown: its 990 are credited back.
    send(connect(&registry, &leaver).terminate_license(second)).await?;

    // A claim: bond ceil(990 × 10%) = 99 sent, 98.01 arrived; upheld after the window.
    let fingerprints: Vec<[u8; 32]> = (0..4).map(|i| leaf(&format!("k{i}"), "r")).collect();
    let (root, depth, proofs) = tree(&fingerprints);
    send(connect(&registry, &owner).set_fingerprint_root(license, root, depth)).await?;
    let call = connect(&registry, &prover).submit_claim(
        license,
        LEAKED_COPY,
        vec![fingerprints[2]],
        vec![proofs[2].clone()],
        keccak256("leak"),
        U256::zero(),
    );
    let claim = call.call().await?;
    send(call).await?;
    let (_, _, _, _, bond, _, _) = registry.claim(claim).call().await?;
    assert_eq!(bond, tokens(99) * 99 / 100);
    harness.increase_time(COOLDOWN + 1).await?;
    send(connect(&registry, &leaver).close_license(second)).await?;
    send(registry.finalize_claim(claim)).await?;

    // Every payee withdraws in full; the registry ends empty.
    let mut total = U256::zero();
    for who in [&owner, &leaver, &prover, &deployer] {
        let owed = credit(who.address()).call().await?;
        assert!(!owed.is_zero());
        total += owed;
        let before = token.balance_of(who.address()).call().await?;
        let net = owed
            - token
                .quote_tax(registry.address(), who.address(), owed)
                .call()
                .await?;
        send(connect(&registry, who).withdraw(token.address())).await?;
        assert_eq!(credit(who.address()).call().await?, U256::zero());
        assert_eq!(token.balance_of(who.address()).call().await?, before + net);
    }
    assert_eq!(total, tokens(990) * 2 + tokens(99) + bond);
    assert_eq!(held().call().await?, U256::zero());
    let error: OmlRegistryErrors =
        revert(connect(&registry, &host).withdraw(token.address())).await?;
    assert!(
        matches!(error, OmlRegistryErrors::NothingToWithdraw(_)),
        "{error:?}"
    );
    harness.finish().await
}
