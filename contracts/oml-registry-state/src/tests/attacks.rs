//! Attacks on the registry, each refused with a typed error and nothing changed: forged
//! fingerprint evidence, taxed assets, self-dealt provers' pools, disputes without an end and a
//! token that re-enters the registry from inside a transfer.
use super::*;
use std::cell::RefCell;
use std::rc::Rc;
use stylus_sdk::stylus_core::host::MessageAccess;

// ---------------------------------------------------------------- forged evidence

/// EVE, who knows no fingerprint, accuses license 1 with `leaves` and `proofs` and the bond.
fn accuse(
    vm: &TestVM,
    c: &mut Registry,
    leaves: Vec<B256>,
    proofs: Vec<Vec<B256>>,
) -> Result<u64, Error> {
    as_(vm, EVE, 100);
    c.submit_claim(1, 0, leaves, proofs, hash("forged"), U256::ZERO)
}

/// The claim was refused with `expected` and nothing changed.
fn refused(c: &Registry, result: Result<u64, Error>, expected: Error) {
    assert_eq!(result, Err(expected));
    assert_eq!(c.claim_count(), 0);
    assert_eq!(c.license(1).unwrap().6, 0, "no claim opened");
    assert!(!c.guard.is_locked());
}

/// The published root submitted as a leaf with an empty proof (which `verify(&[], root, root)`
/// used to accept), or with a proof of the right length, is no fingerprint.
#[test]
fn forged_root_as_leaf_is_refused() {
    let (vm, mut c, tree) = licensed();
    let root = tree.root();
    assert_eq!(tree.depth(), 3);
    let r = accuse(&vm, &mut c, vec![root], vec![vec![]]);
    let short: Error = WrongProofLength {
        index: U256::ZERO,
        length: U256::ZERO,
        depth: 3,
    }
    .into();
    refused(&c, r, short);
    let r = accuse(&vm, &mut c, vec![root], vec![tree.proof(0).unwrap()]);
    refused(&c, r, FingerprintIsRoot { index: U256::ZERO }.into());
    // A one-fingerprint tree (depth 0): the root itself as the fingerprint.
    let single = fingerprints(1, "single");
    as_(&vm, HOST, 1_000);
    let l2 = c.request_license(1).unwrap();
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(l2, single.root(), 0).unwrap();
    as_(&vm, EVE, 100);
    let r = c.submit_claim(
        l2,
        0,
        vec![single.root()],
        vec![vec![]],
        B256::ZERO,
        U256::ZERO,
    );
    refused(&c, r, FingerprintIsRoot { index: U256::ZERO }.into());
    // Its real fingerprint is accepted.
    let (leaves, proofs) = evidence(&single, &[0]);
    assert_eq!(
        c.submit_claim(l2, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Ok(1)
    );
}

/// An inner node from an earlier proof, submitted as a leaf with the rest of the path (short)
/// or padded to the depth, is refused; so is a tree leaf passed off as a fingerprint.
#[test]
fn inner_node_as_leaf_is_refused() {
    let (vm, mut c, tree) = licensed();
    let proof = tree.proof(5).unwrap();
    for level in 1..=2 {
        let inner = tree.node(level, 5 >> level).unwrap();
        let rest = proof[level..].to_vec();
        assert_eq!(
            merkle::process_proof(inner, &rest),
            tree.root(),
            "the old attack"
        );
        let r = accuse(&vm, &mut c, vec![inner], vec![rest.clone()]);
        let short: Error = WrongProofLength {
            index: U256::ZERO,
            length: U256::from(3 - level),
            depth: 3,
        }
        .into();
        refused(&c, r, short);
        let mut padded = vec![merkle::leaf(inner); level];
        padded.extend(rest);
        let r = accuse(&vm, &mut c, vec![inner], vec![padded]);
        refused(&c, r, InvalidProof { index: U256::ZERO }.into());
    }
    let leaf = tree.node(0, 5).unwrap();
    let r = accuse(&vm, &mut c, vec![leaf], vec![proof]);
    refused(&c, r, InvalidProof { index: U256::ZERO }.into());
}

#[test]
fn proof_one_level_short_is_refused() {
    let (vm, mut c, tree) = licensed();
    let (leaves, mut proofs) = evidence(&tree, &[2, 6]);
    proofs[1].pop();
    let r = accuse(&vm, &mut c, leaves, proofs);
    let expected: Error = WrongProofLength {
        index: U256::from(1),
        length: U256::from(2),
        depth: 3,
    }
    .into();
    refused(&c, r, expected);
}

#[test]
fn proof_one_level_long_is_refused() {
    let (vm, mut c, tree) = licensed();
    let (leaves, mut proofs) = evidence(&tree, &[2, 6]);
    proofs[0].push(tree.root());
    let r = accuse(&vm, &mut c, leaves, proofs);
    let expected: Error = WrongProofLength {
        index: U256::ZERO,
        length: U256::from(4),
        depth: 3,
    }
    .into();
    refused(&c, r, expected);
}

/// An odd-sized tree: every proof, including the last leaf's (paired with itself), has the
/// tree's depth and is accepted.
#[test]
fn odd_sized_tree_proofs_have_the_full_depth() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let l = c.request_license(m).unwrap();
    let tree = fingerprints(5, "odd");
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(l, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[0, 1, 2, 3, 4]);
    assert!(proofs.iter().all(|p| p.len() == 3));
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(l, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Ok(1)
    );
}

// ---------------------------------------------------------------- self-dealing

/// Root model of ALICE with HOST's license 1 and a provers' pool of 1,000 from HOST's usage.
fn pooled() -> (TestVM, Registry, MerkleTree) {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 10_000);
    c.report_usage(1, 1_000).unwrap();
    assert_eq!(c.provers_pool(1).unwrap(), U256::from(1_000));
    (vm, c, tree)
}

#[test]
fn model_owner_cannot_prove_against_its_own_license() {
    let (vm, mut c, tree) = pooled();
    // The owner licenses its own model and commits its own root.
    as_(&vm, ALICE, 1_000);
    let own = c.request_license(1).unwrap();
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(own, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[0]);
    for license in [own, 1] {
        as_(&vm, ALICE, 100);
        assert_eq!(
            c.submit_claim(
                license,
                0,
                leaves.clone(),
                proofs.clone(),
                B256::ZERO,
                U256::ZERO
            ),
            Err(ProverIsParty {
                licenseId: license,
                prover: ALICE
            }
            .into())
        );
    }
    assert_eq!(c.claim_count(), 0);
    assert_eq!(c.provers_pool(1).unwrap(), U256::from(1_000));
}

#[test]
fn licensee_cannot_prove_against_its_own_license() {
    let (vm, mut c, tree) = pooled();
    let (leaves, proofs) = evidence(&tree, &[0]);
    as_(&vm, HOST, 100);
    assert_eq!(
        c.submit_claim(1, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Err(ProverIsParty {
            licenseId: 1,
            prover: HOST
        }
        .into())
    );
    assert_eq!((c.claim_count(), c.license(1).unwrap().6), (0, 0));
}

/// A model owner working with an accomplice (a prover it controls) against its own cheap
/// license gets at most half of the pool and never more than the collateral slashed.
#[test]
fn self_dealing_through_an_accomplice_takes_a_bounded_share_of_the_pool() {
    let (vm, mut c, tree) = licensed();
    // A second model of ALICE with a tiny collateral of 10 and a large pool of 5,000.
    let cheap = Terms {
        collateral: U256::from(10),
        ..terms(Address::ZERO)
    };
    let m = register(&vm, &mut c, ALICE, 0, cheap);
    as_(&vm, HOST, 10);
    let honest = c.request_license(m).unwrap();
    as_(&vm, HOST, 50_000);
    c.report_usage(honest, 5_000).unwrap();
    assert_eq!(c.provers_pool(m).unwrap(), U256::from(5_000));
    as_(&vm, ALICE, 10);
    let own = c.request_license(m).unwrap();
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(own, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[0]);
    as_(&vm, EVE, 1);
    let id = c
        .submit_claim(own, 0, leaves, proofs, B256::ZERO, U256::ZERO)
        .unwrap();
    vm.set_block_timestamp(WINDOW);
    c.finalize_claim(id).unwrap();
    // EVE: bond 1 + bounty 3 + reward min(2,500, collateral 10) = 10.
    assert_eq!(credit(&c, EVE), U256::from(1 + 3 + 10));
    assert_eq!(c.provers_pool(m).unwrap(), U256::from(4_990));
    let (topics, data) = vm
        .get_emitted_logs()
        .into_iter()
        .rev()
        .find(|l| l.0[0] == ClaimUpheld::SIGNATURE_HASH)
        .unwrap();
    let event = ClaimUpheld::decode_raw_log(topics, &data).unwrap();
    assert_eq!(
        (event.slashed, event.poolReward),
        (U256::from(10), U256::from(10))
    );
}

/// With a collateral above half the pool, an upheld claim takes exactly half (rounded down).
#[test]
fn upheld_claim_takes_half_the_pool() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 70);
    c.report_usage(1, 7).unwrap();
    assert_eq!(c.provers_pool(1).unwrap(), U256::from(7));
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    vm.set_block_timestamp(WINDOW);
    c.finalize_claim(id).unwrap();
    assert_eq!(credit(&c, PROVER), U256::from(100 + 300 + 3));
    assert_eq!(c.provers_pool(1).unwrap(), U256::from(4));
}

// ---------------------------------------------------------------- disputes

/// The licensee disputes, governance never acts: after the resolution deadline anyone settles
/// the claim by the default (rejected, bond to the licensee), governance can no longer decide,
/// and the licensee closes its license and withdraws collateral and bond.
#[test]
fn undecided_dispute_ends_by_default_after_the_deadline() {
    let (vm, mut c, tree) = licensed();
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    as_(&vm, HOST, 0);
    c.terminate_license(1).unwrap();
    vm.set_block_timestamp(10);
    c.dispute_claim(id, hash("counter")).unwrap();
    let resolve_by = 10 + COOLDOWN;
    let (log_topics, data) = vm.get_emitted_logs().pop().unwrap();
    let event = ClaimDisputed::decode_raw_log(log_topics, &data).unwrap();
    assert_eq!((event.claimId, event.resolveBy), (id, resolve_by));
    assert_eq!(c.claim(id).unwrap().5, resolve_by);

    vm.set_block_timestamp(resolve_by - 1);
    as_(&vm, EVE, 0);
    assert_eq!(
        c.finalize_claim(id),
        Err(DisputeOpen {
            resolveBy: resolve_by
        }
        .into())
    );
    as_(&vm, HOST, 0);
    assert_eq!(
        c.close_license(1),
        Err(ClaimPending {
            licenseId: 1,
            claimId: id
        }
        .into())
    );

    vm.set_block_timestamp(resolve_by);
    as_(&vm, GOV, 0);
    for uphold in [true, false] {
        assert_eq!(
            c.resolve_dispute(id, uphold),
            Err(ResolutionDeadlinePassed {
                resolveBy: resolve_by
            }
            .into())
        );
    }
    assert_eq!(c.claim(id).unwrap().3, claim_state::DISPUTED as u8);
    as_(&vm, EVE, 0);
    c.finalize_claim(id).unwrap();
    assert_eq!(c.claim(id).unwrap().3, claim_state::REJECTED as u8);
    assert_eq!(*topics(&vm).last().unwrap(), ClaimRejected::SIGNATURE_HASH);
    assert_eq!(
        c.finalize_claim(id),
        Err(InvalidClaimState {
            claimId: id,
            state: claim_state::REJECTED as u8
        }
        .into())
    );
    as_(&vm, HOST, 0);
    c.close_license(1).unwrap();
    assert_eq!(c.withdraw(Address::ZERO).unwrap(), U256::from(1_000 + 100));
    as_(&vm, PROVER, 0);
    assert_eq!(
        c.withdraw(Address::ZERO),
        Err(NothingToWithdraw {
            asset: Address::ZERO,
            payee: PROVER
        }
        .into()),
        "the bond was forfeited"
    );
}

/// Governance still decides within the deadline, and an upheld dispute slashes.
#[test]
fn governance_decides_a_dispute_before_the_deadline() {
    let (vm, mut c, tree) = licensed();
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    as_(&vm, HOST, 0);
    c.dispute_claim(id, hash("counter")).unwrap();
    vm.set_block_timestamp(COOLDOWN - 1);
    as_(&vm, GOV, 0);
    c.resolve_dispute(id, true).unwrap();
    assert_eq!(c.claim(id).unwrap().3, claim_state::UPHELD as u8);
    assert_eq!(c.license(1).unwrap().4, license_state::SLASHED as u8);
}

// ---------------------------------------------------------------- taxed assets

/// A 1% taxed token as the model's asset: license, usage, a claim and a closed license; the
/// registry holds exactly what it owes at every step, every payee withdraws its whole credit
/// and the registry ends holding only the provers' pool left for later provers.
#[test]
fn taxed_token_flows_stay_solvent() {
    let (host, vm, mut c) = deploy_with_ledger();
    host.set_quirk(TOKEN, Quirk::FeeOnTransfer(100));
    let m = register(&vm, &mut c, ALICE, 0, terms(TOKEN));
    for who in [HOST, EVE, PROVER] {
        host.mint(TOKEN, who, U256::from(100_000));
    }
    let held = |host: &LedgerHost| host.token_balance(TOKEN, THIS);
    let owed = |c: &Registry| {
        let credits = [ALICE, TREASURY, HOST, EVE, PROVER]
            .iter()
            .fold(U256::ZERO, |acc, who| acc + c.credit(TOKEN, *who));
        let licenses =
            (1..=c.license_count()).fold(U256::ZERO, |acc, l| acc + c.license(l).unwrap().2);
        let bonds = (1..=c.claim_count())
            .filter(|id| c.claim(*id).unwrap().3 <= claim_state::DISPUTED as u8)
            .fold(U256::ZERO, |acc, id| acc + c.claim(id).unwrap().4);
        credits + licenses + bonds + c.provers_pool(1).unwrap()
    };

    as_(&vm, HOST, 0);
    let l1 = c.request_license(m).unwrap();
    assert_eq!(c.license(l1).unwrap().2, U256::from(990), "what arrived");
    as_(&vm, EVE, 0);
    let l2 = c.request_license(m).unwrap();
    assert_eq!(
        (held(&host), owed(&c)),
        (U256::from(1_980), U256::from(1_980))
    );

    as_(&vm, HOST, 0);
    c.report_usage(l1, 100).unwrap();
    // 1,000 sent, 990 arrived and split: protocol 99, provers 99, creator 792.
    assert_eq!(c.credit(TOKEN, ALICE), U256::from(792));
    assert_eq!(c.provers_pool(m).unwrap(), U256::from(99));
    assert_eq!(held(&host), owed(&c));

    as_(&vm, ALICE, 0);
    let tree = fingerprints(4, "taxed");
    c.set_fingerprint_root(l1, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[1]);
    as_(&vm, PROVER, 0);
    let id = c
        .submit_claim(l1, 0, leaves, proofs, B256::ZERO, U256::ZERO)
        .unwrap();
    // Bond ceil(990 × 10%) = 99 sent, 99 - 0 (tax rounds down to 0) arrived.
    assert_eq!(c.claim(id).unwrap().4, U256::from(99));
    assert_eq!(held(&host), owed(&c));

    as_(&vm, EVE, 0);
    c.terminate_license(l2).unwrap();
    vm.set_block_timestamp(COOLDOWN);
    c.close_license(l2).unwrap();
    as_(&vm, PROVER, 0);
    c.finalize_claim(id).unwrap();
    assert_eq!(held(&host), owed(&c));

    for who in [ALICE, TREASURY, HOST, EVE, PROVER] {
        let credit = c.credit(TOKEN, who);
        if credit.is_zero() {
            continue;
        }
        as_(&vm, who, 0);
        assert_eq!(c.withdraw(TOKEN).unwrap(), credit, "{who}");
        assert_eq!(c.credit(TOKEN, who), U256::ZERO);
    }
    // Only what later provers can still earn is left.
    let pool = c.provers_pool(m).unwrap();
    assert_eq!(pool, U256::from(50));
    assert_eq!(held(&host), pool);
}

// ---------------------------------------------------------------- re-entrance

/// Every state-changing registry function, called from inside a token transfer.
fn reenter_everything(host: &LedgerHost, seen: &RefCell<Vec<(&'static str, Result<(), Error>)>>) {
    let vm = &host.vm;
    let outer_sender = host.msg_sender();
    let mut inner = Registry::from(host);
    let (leaves, proofs) = evidence(&fingerprints(4, "token"), &[0]);
    let log = |name, result: Result<(), Error>| seen.borrow_mut().push((name, result));
    vm.set_sender(HOST);
    log("requestLicense", inner.request_license(1).map(drop));
    log("reportUsage", inner.report_usage(1, 1));
    log("terminateLicense", inner.terminate_license(1));
    log("closeLicense", inner.close_license(1));
    log("disputeClaim", inner.dispute_claim(1, B256::ZERO));
    log("withdraw", inner.withdraw(TOKEN).map(drop));
    vm.set_sender(EVE);
    let claim = inner.submit_claim(1, 0, leaves, proofs, B256::ZERO, U256::ZERO);
    log("submitClaim", claim.map(drop));
    log("finalizeClaim", inner.finalize_claim(1));
    vm.set_sender(ALICE);
    log(
        "setFingerprintRoot",
        inner.set_fingerprint_root(2, hash("r"), 2),
    );
    vm.set_sender(GOV);
    log("resolveDispute", inner.resolve_dispute(1, true));
    vm.set_sender(outer_sender);
}

/// A malicious token calls back into the registry from inside every transfer the registry
/// makes (collateral, fee, bond pulls and a withdrawal): every state-changing function finds
/// the lock held and fails with `ReentrantCall`, and the outer calls complete normally.
#[test]
fn a_reentering_token_finds_every_state_changing_function_locked() {
    let (host, vm, mut c) = deploy_with_ledger();
    let m = register(&vm, &mut c, ALICE, 0, terms(TOKEN));
    for who in [HOST, EVE] {
        host.mint(TOKEN, who, U256::from(100_000));
    }
    let seen = Rc::new(RefCell::new(Vec::new()));
    let record = Rc::clone(&seen);
    host.set_hook(Some(Rc::new(move |host: &LedgerHost| {
        reenter_everything(host, &record);
    })));
    let check = |what: &str| {
        let calls = std::mem::take(&mut *seen.borrow_mut());
        assert_eq!(calls.len(), 10, "{what}");
        for (name, result) in calls {
            assert_eq!(result, Err(ReentrantCall {}.into()), "{name} inside {what}");
        }
    };
    as_(&vm, HOST, 0);
    let l = c.request_license(m).unwrap();
    check("requestLicense");
    c.report_usage(l, 10).unwrap();
    check("reportUsage");
    let tree = fingerprints(4, "token");
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(l, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[0]);
    as_(&vm, EVE, 0);
    let id = c
        .submit_claim(l, 0, leaves, proofs, B256::ZERO, U256::ZERO)
        .unwrap();
    check("submitClaim");
    as_(&vm, ALICE, 0);
    assert_eq!(c.withdraw(TOKEN).unwrap(), U256::from(80));
    check("withdraw");
    // Nothing the inner calls tried took effect.
    assert_eq!((c.license_count(), c.claim_count()), (1, 1));
    let license = c.license(l).unwrap();
    assert_eq!(
        (license.4, license.6, license.7),
        (license_state::ACTIVE as u8, id, U256::from(10))
    );
    assert_eq!(c.claim(id).unwrap().3, claim_state::PENDING as u8);
    assert!(!c.guard.is_locked());
}
