//! OML registry end to end: deployed through the deploy library, driven through the `abigen!`
//! bindings of `abi/OmlRegistry.json`, on the embedded devnode (or `RPC_URL`).
//!
//! The scenario: a parent model and its fine-tune, a host's license with ETH collateral,
//! usage fees cascading to both owners, a prover's leaked-copy claim with Merkle proofs of the
//! host's fingerprints finalized after the challenge window, and the collateral slashed; plus the
//! typed errors of bad input with the state checked unchanged.
#![cfg(abi_oml_registry)]

use anyhow::Result;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, U256};
use ethers::utils::keccak256;
use integration_tests::bindings::oml_registry::{OmlRegistry, OmlRegistryErrors};
use integration_tests::{address_of, connect, revert, send, Client, Harness};

/// Challenge window and collateral cooldown of the scenario, seconds (short: CI runs it).
const WINDOW: u64 = 60;
const COOLDOWN: u64 = 120;
/// Claim kind `0`: the license's fingerprints answered a deployment that is not the licensee's.
const LEAKED_COPY: u8 = 0;
/// License state `4`: slashed.
const SLASHED: u8 = 4;

/// A harness with a freshly deployed registry (the deployer is governance and treasury).
async fn setup() -> Result<(Harness, OmlRegistry<Client>)> {
    let params = SystemParams {
        challenge_window: WINDOW,
        collateral_cooldown: COOLDOWN,
        claim_bond_bps: 1_000,
        bounty_bps: 2_000,
        protocol_slash_bps: 1_000,
        ..SystemParams::default()
    };
    let harness = Harness::start().await?;
    let report = harness
        .deploy(&[ContractKind::OmlRegistry], &params)
        .await?;
    let address = address_of(&report, ContractKind::OmlRegistry)?;
    let registry = OmlRegistry::new(address, harness.deployer());
    Ok((harness, registry))
}

/// `keccak256(key ‖ response)`: a fingerprint leaf.
fn leaf(key: &str, response: &str) -> [u8; 32] {
    keccak256([key.as_bytes(), response.as_bytes()].concat())
}

/// Sorted-pair keccak parent (OpenZeppelin `MerkleProof` convention).
fn parent(a: [u8; 32], b: [u8; 32]) -> [u8; 32] {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    keccak256([lo, hi].concat())
}

/// Root and per-leaf proofs of a sorted-pair tree over `leaves` (a power of two in size).
fn tree(leaves: &[[u8; 32]]) -> ([u8; 32], Vec<Vec<[u8; 32]>>) {
    let mut proofs = vec![Vec::new(); leaves.len()];
    let mut level = leaves.to_vec();
    let mut index: Vec<usize> = (0..leaves.len()).collect();
    while level.len() > 1 {
        for (leaf_index, at) in index.iter_mut().enumerate() {
            proofs[leaf_index].push(level[*at ^ 1]);
            *at /= 2;
        }
        level = level.chunks(2).map(|p| parent(p[0], p[1])).collect();
    }
    (level[0], proofs)
}

/// (asset, usageFee, collateral, creator, ancestors, provers, protocol, decay bps, maxDepth):
/// ETH, 60% creator, 20% to the ancestors (the parent takes half of it), 10% provers, 10% protocol.
type Terms = (Address, U256, U256, u16, u16, u16, u16, u16, u8);

fn terms(fee: U256, collateral: U256) -> Terms {
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
    let (root, proofs) = tree(&fingerprints);
    send(connect(&registry, &tuner).set_fingerprint_root(license, root)).await?;

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
    // a 20% bounty and the provers' pool; the treasury 10%; the model owner the rest.
    send(registry.finalize_claim(claim)).await?;
    let (_, _, held, _, state, _, open_claim, _) = registry.license(license).call().await?;
    assert_eq!((held, state, open_claim), (U256::zero(), SLASHED, 0));
    assert_eq!(
        credit(prover.address()).call().await?,
        bond + collateral / 5 + paid / 10
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

    // Every wei is accounted for: the registry holds exactly the unwithdrawn credits.
    let held = harness
        .chain
        .provider()
        .get_balance(registry.address(), None)
        .await?;
    let mut owed = U256::zero();
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
