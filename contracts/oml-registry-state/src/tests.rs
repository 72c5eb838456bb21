//! TestVM unit tests: every function, every error path (state unchanged after a failure).
use super::*;
use agentdao_common::errors::{BpsOutOfRange, NotPendingGovernance, ReentrantCall};
use agentdao_common::extension::NotDelegated;
use agentdao_common::merkle::{self, MerkleTree};
use agentdao_test_host::tokens::{ledger_host, LedgerHost, Quirk};
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::testing::TestVM;

mod attacks;
mod invariants;

pub(super) const GOV: Address = Address::repeat_byte(0x60);
pub(super) const TREASURY: Address = Address::repeat_byte(0x7e);
pub(super) const ALICE: Address = Address::repeat_byte(0xa1);
pub(super) const BOB: Address = Address::repeat_byte(0xb0);
pub(super) const CAROL: Address = Address::repeat_byte(0xc0);
pub(super) const HOST: Address = Address::repeat_byte(0x40);
pub(super) const PROVER: Address = Address::repeat_byte(0x50);
pub(super) const EVE: Address = Address::repeat_byte(0xee);
pub(super) const TOKEN: Address = Address::repeat_byte(0x70);
pub(super) const THIS: Address = Address::repeat_byte(0x99);
/// The extension program the core forwards to (any non-zero address for the state's tests).
pub(super) const EXT: Address = Address::repeat_byte(0xe7);

pub(super) const WINDOW: u64 = 100;
pub(super) const COOLDOWN: u64 = 250;

pub(super) fn params() -> Params {
    Params {
        treasury: TREASURY,
        challengeWindow: WINDOW,
        cooldown: COOLDOWN,
        claimBondBps: 1_000,
        bountyBps: 3_000,
        protocolSlashBps: 1_000,
    }
}

pub(super) fn terms(asset: Address) -> Terms {
    Terms {
        asset,
        usageFee: U256::from(10),
        collateral: U256::from(1_000),
        creatorBps: 6_000,
        ancestorsBps: 2_000,
        proversBps: 1_000,
        protocolBps: 1_000,
        ancestorDecayBps: 5_000,
        maxDepth: 8,
    }
}

pub(super) fn deploy() -> (TestVM, Registry) {
    let vm = TestVM::default();
    vm.set_contract_address(THIS);
    let mut c = Registry::from(&vm);
    vm.set_sender(GOV);
    c.init(GOV, params(), EXT).unwrap();
    (vm, c)
}

/// A registry whose token calls go to a simulated ledger holding `TOKEN` (ETH payouts to any
/// account succeed unless refused); the `TestVM` shares the host's state.
pub(super) fn deploy_with_ledger() -> (LedgerHost, TestVM, Registry) {
    let host = ledger_host(THIS, &[TOKEN]);
    let vm = host.vm.clone();
    let mut c = Registry::from(&host);
    vm.set_sender(GOV);
    c.init(GOV, params(), EXT).unwrap();
    (host, vm, c)
}

pub(super) fn as_(vm: &TestVM, who: Address, value: u64) {
    vm.set_sender(who);
    vm.set_value(U256::from(value));
}

/// Named accessors over the consolidated `model` and `counts` views.
pub(super) trait Views {
    fn owner_of(&self, model: u64) -> Result<Address, Error>;
    fn pending_owner_of(&self, model: u64) -> Result<Address, Error>;
    fn version_count(&self, model: u64) -> Result<u64, Error>;
    fn provers_pool(&self, model: u64) -> Result<U256, Error>;
    fn terms(&self, model: u64) -> Result<Terms, Error>;
    fn model_count(&self) -> u64;
    fn license_count(&self) -> u64;
    fn claim_count(&self) -> u64;
}

impl Views for Registry {
    fn owner_of(&self, model: u64) -> Result<Address, Error> {
        self.model(model).map(|m| m.0)
    }
    fn pending_owner_of(&self, model: u64) -> Result<Address, Error> {
        self.model(model).map(|m| m.1)
    }
    fn version_count(&self, model: u64) -> Result<u64, Error> {
        self.model(model).map(|m| m.3)
    }
    fn provers_pool(&self, model: u64) -> Result<U256, Error> {
        self.model(model).map(|m| m.4)
    }
    fn terms(&self, model: u64) -> Result<Terms, Error> {
        self.model(model).map(|m| m.5)
    }
    fn model_count(&self) -> u64 {
        self.counts()[storage::global::MODELS]
    }
    fn license_count(&self) -> u64 {
        self.counts()[storage::global::LICENSES]
    }
    fn claim_count(&self) -> u64 {
        self.counts()[storage::global::CLAIMS]
    }
}

pub(super) fn hash(s: &str) -> B256 {
    keccak256(s.as_bytes())
}

pub(super) fn register(
    vm: &TestVM,
    c: &mut Registry,
    owner: Address,
    parent: u64,
    t: Terms,
) -> u64 {
    as_(vm, owner, 0);
    c.register_model(hash("weights"), "ipfs://w".into(), parent, t)
        .unwrap()
}

/// Fingerprints of one host's copy.
pub(super) fn fingerprints(n: usize, tag: &str) -> MerkleTree {
    let leaves = (0..n)
        .map(|i| {
            merkle::fingerprint(
                format!("{tag}-key-{i}").as_bytes(),
                format!("resp-{i}").as_bytes(),
            )
        })
        .collect();
    MerkleTree::new(leaves).unwrap()
}

/// Ascending leaves with their proofs, as a prover submits them.
pub(super) fn evidence(tree: &MerkleTree, picks: &[usize]) -> (Vec<B256>, Vec<Vec<B256>>) {
    let mut pairs: Vec<(B256, Vec<B256>)> = picks
        .iter()
        .map(|&i| (tree.fingerprint(i).unwrap(), tree.proof(i).unwrap()))
        .collect();
    pairs.sort_by_key(|p| p.0);
    pairs.into_iter().unzip()
}

pub(super) fn topics(vm: &TestVM) -> Vec<B256> {
    vm.get_emitted_logs().into_iter().map(|l| l.0[0]).collect()
}

/// Root model of ALICE, ETH, with one license for HOST and a fingerprint root set.
pub(super) fn licensed() -> (TestVM, Registry, MerkleTree) {
    let (vm, mut c) = deploy();
    let model = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let lic = c.request_license(model).unwrap();
    let tree = fingerprints(8, "host");
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(lic, tree.root(), tree.depth())
        .unwrap();
    (vm, c, tree)
}

pub(super) fn claim_ok(
    vm: &TestVM,
    c: &mut Registry,
    tree: &MerkleTree,
    kind: u8,
    units: u64,
) -> u64 {
    let (leaves, proofs) = evidence(tree, &[0, 3]);
    as_(vm, PROVER, 100);
    c.submit_claim(1, kind, leaves, proofs, hash("evidence"), U256::from(units))
        .unwrap()
}

pub(super) fn credit(c: &Registry, who: Address) -> U256 {
    c.credit(Address::ZERO, who)
}

// ---------------------------------------------------------------- parameters and governance

#[test]
fn constructor_validates_params() {
    let cases: Vec<(Address, Params, Error)> = vec![
        (Address::ZERO, params(), ZeroAddress {}.into()),
        (
            GOV,
            Params {
                treasury: Address::ZERO,
                ..params()
            },
            ZeroAddress {}.into(),
        ),
        (
            GOV,
            Params {
                challengeWindow: 0,
                ..params()
            },
            InvalidPeriods {
                challengeWindow: 0,
                cooldown: COOLDOWN,
            }
            .into(),
        ),
        (
            GOV,
            Params {
                cooldown: WINDOW,
                ..params()
            },
            InvalidPeriods {
                challengeWindow: WINDOW,
                cooldown: WINDOW,
            }
            .into(),
        ),
        (
            GOV,
            Params {
                claimBondBps: 0,
                ..params()
            },
            ZeroClaimBond {}.into(),
        ),
        (
            GOV,
            Params {
                claimBondBps: 10_001,
                ..params()
            },
            BpsOutOfRange {
                value: U256::from(10_001),
                max: U256::from(10_000),
            }
            .into(),
        ),
        (
            GOV,
            Params {
                bountyBps: 9_001,
                ..params()
            },
            BpsOutOfRange {
                value: U256::from(10_001),
                max: U256::from(10_000),
            }
            .into(),
        ),
    ];
    for (gov, p, want) in cases {
        let vm = TestVM::default();
        let mut c = Registry::from(&vm);
        assert_eq!(c.init(gov, p, EXT), Err(want));
        assert_eq!(c.params().treasury, Address::ZERO, "nothing stored");
    }
    let (vm, c) = deploy();
    assert_eq!(c.params(), params());
    assert_eq!(c.governance(), GOV);
    assert_eq!(c.extension(), EXT);
    assert_eq!(c.require_delegated(), Ok(()));
    assert_eq!(c.version(), "0.2.0");
    assert_eq!(topics(&vm)[1], ParamsSet::SIGNATURE_HASH);
}

#[test]
fn init_requires_an_extension_and_stores_nothing_without_one() {
    let vm = TestVM::default();
    let mut c = Registry::from(&vm);
    assert_eq!(
        c.init(GOV, params(), Address::ZERO),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(c.governance(), Address::ZERO);
    assert_eq!(c.params().treasury, Address::ZERO);
    assert_eq!(c.extension(), Address::ZERO);
    assert_eq!(c.require_delegated(), Err(NotDelegated {}.into()));
    assert!(vm.get_emitted_logs().is_empty());
}

#[test]
fn set_params_is_governance_only_and_validated() {
    let (vm, mut c) = deploy();
    let next = Params {
        challengeWindow: 10,
        cooldown: 11,
        ..params()
    };
    as_(&vm, EVE, 0);
    assert_eq!(
        c.set_params(next.clone()),
        Err(Unauthorized {
            caller: EVE,
            required: GOV
        }
        .into())
    );
    as_(&vm, GOV, 0);
    assert!(c
        .set_params(Params {
            cooldown: 10,
            ..next.clone()
        })
        .is_err());
    assert_eq!(c.params(), params());
    c.set_params(next.clone()).unwrap();
    assert_eq!(c.params(), next);
    assert_eq!(*topics(&vm).last().unwrap(), ParamsSet::SIGNATURE_HASH);
}

#[test]
fn governance_handover_is_two_step() {
    let (vm, mut c) = deploy();
    as_(&vm, EVE, 0);
    assert!(c.transfer_governance(EVE).is_err());
    as_(&vm, GOV, 0);
    c.transfer_governance(CAROL).unwrap();
    assert_eq!(c.pending_governance(), CAROL);
    as_(&vm, EVE, 0);
    assert_eq!(
        c.accept_governance(),
        Err(NotPendingGovernance {
            caller: EVE,
            pending: CAROL
        }
        .into())
    );
    as_(&vm, CAROL, 0);
    c.accept_governance().unwrap();
    assert_eq!(c.governance(), CAROL);
}

// ---------------------------------------------------------------- models

#[test]
fn register_model_assigns_ids_versions_and_terms() {
    let (vm, mut c) = deploy();
    let root = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    let child = register(&vm, &mut c, BOB, root, terms(TOKEN));
    assert_eq!((root, child, c.model_count()), (1, 2, 2));
    assert_eq!(c.owner_of(child).unwrap(), BOB);
    assert_eq!(c.parent_of(child).unwrap(), root);
    assert_eq!(c.parent_of(root).unwrap(), 0);
    assert_eq!(c.terms(child).unwrap(), terms(TOKEN));
    assert_eq!(c.version_count(child).unwrap(), 1);
    assert_eq!(c.version_hash(child, 1).unwrap(), hash("weights"));
    let t = topics(&vm);
    assert!(t.contains(&ModelRegistered::SIGNATURE_HASH));
    assert!(t.contains(&TermsSet::SIGNATURE_HASH));
}

#[test]
fn register_model_rejects_bad_terms_and_unknown_parent() {
    let (vm, mut c) = deploy();
    let bad = |f: fn(&mut Terms)| {
        let mut t = terms(Address::ZERO);
        f(&mut t);
        t
    };
    let cases: Vec<(u64, Terms, Error)> = vec![
        (7, terms(Address::ZERO), UnknownModel { modelId: 7 }.into()),
        (
            0,
            bad(|t| t.creatorBps = 5_999),
            FeeSplitNotExact {
                sum: U256::from(9_999),
            }
            .into(),
        ),
        (
            0,
            bad(|t| t.protocolBps = 1_001),
            FeeSplitNotExact {
                sum: U256::from(10_001),
            }
            .into(),
        ),
        (
            0,
            bad(|t| t.ancestorDecayBps = 10_001),
            BpsOutOfRange {
                value: U256::from(10_001),
                max: U256::from(10_000),
            }
            .into(),
        ),
        (
            0,
            bad(|t| t.maxDepth = 9),
            DepthAboveCap {
                depth: U256::from(9),
                cap: U256::from(8),
            }
            .into(),
        ),
        (
            0,
            bad(|t| t.collateral = U256::ZERO),
            ZeroCollateral {}.into(),
        ),
    ];
    for (parent, t, want) in cases {
        as_(&vm, ALICE, 0);
        assert_eq!(
            c.register_model(hash("w"), "u".into(), parent, t),
            Err(want)
        );
        assert_eq!(c.model_count(), 0);
    }
    assert!(vm.get_emitted_logs().len() == 2, "only constructor events");
}

#[test]
fn publish_version_by_owner_only() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, EVE, 0);
    assert_eq!(
        c.publish_version(m, hash("v2"), "u2".into()),
        Err(Unauthorized {
            caller: EVE,
            required: ALICE
        }
        .into())
    );
    assert_eq!(
        c.publish_version(9, hash("v2"), "u2".into()),
        Err(UnknownModel { modelId: 9 }.into())
    );
    assert_eq!(c.version_count(m).unwrap(), 1);
    as_(&vm, ALICE, 0);
    assert_eq!(c.publish_version(m, hash("v2"), "u2".into()).unwrap(), 2);
    assert_eq!(c.version_hash(m, 2).unwrap(), hash("v2"));
    assert_eq!(
        c.version_hash(m, 3),
        Err(UnknownVersion {
            modelId: m,
            version: 3
        }
        .into())
    );
    assert_eq!(
        c.version_hash(m, 0),
        Err(UnknownVersion {
            modelId: m,
            version: 0
        }
        .into())
    );
    assert_eq!(
        *topics(&vm).last().unwrap(),
        VersionPublished::SIGNATURE_HASH
    );
}

#[test]
fn model_ownership_moves_in_two_steps() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, EVE, 0);
    assert!(matches!(
        c.transfer_model_ownership(m, EVE),
        Err(Error::Unauthorized(_))
    ));
    assert_eq!(
        c.accept_model_ownership(m),
        Err(NotPendingOwner {
            modelId: m,
            caller: EVE,
            pending: Address::ZERO
        }
        .into())
    );
    as_(&vm, ALICE, 0);
    c.transfer_model_ownership(m, BOB).unwrap();
    assert_eq!(c.pending_owner_of(m).unwrap(), BOB);
    as_(&vm, EVE, 0);
    assert!(c.accept_model_ownership(m).is_err());
    assert_eq!(c.owner_of(m).unwrap(), ALICE);
    as_(&vm, BOB, 0);
    c.accept_model_ownership(m).unwrap();
    assert_eq!(c.owner_of(m).unwrap(), BOB);
    assert_eq!(c.pending_owner_of(m).unwrap(), Address::ZERO);
    assert_eq!(
        *topics(&vm).last().unwrap(),
        ModelOwnershipTransferred::SIGNATURE_HASH
    );
    assert_eq!(
        c.accept_model_ownership(7),
        Err(UnknownModel { modelId: 7 }.into())
    );
}

#[test]
fn family_tree_views() {
    let (vm, mut c) = deploy();
    let mut parent = 0;
    for _ in 0..10 {
        parent = register(&vm, &mut c, ALICE, parent, terms(Address::ZERO));
    }
    assert_eq!(c.ancestors(10, 8).unwrap(), vec![9, 8, 7, 6, 5, 4, 3, 2]);
    assert_eq!(c.ancestors(10, 2).unwrap(), vec![9, 8]);
    assert_eq!(c.ancestors(3, 8).unwrap(), vec![2, 1]);
    assert_eq!(c.ancestors(1, 8).unwrap(), Vec::<u64>::new());
    assert_eq!(
        c.ancestors(10, 9),
        Err(DepthAboveCap {
            depth: U256::from(9),
            cap: U256::from(8)
        }
        .into())
    );
    assert_eq!(c.ancestors(11, 1), Err(UnknownModel { modelId: 11 }.into()));
    assert_eq!(c.parent_of(0), Err(UnknownModel { modelId: 0 }.into()));
    assert!(c.terms(11).is_err() && c.version_count(11).is_err() && c.provers_pool(11).is_err());
    assert!(c.owner_of(11).is_err() && c.pending_owner_of(11).is_err());
}

// ---------------------------------------------------------------- licenses

#[test]
fn request_license_with_eth_needs_exact_value() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    for wrong in [0u64, 999, 1_001] {
        as_(&vm, HOST, wrong);
        assert_eq!(
            c.request_license(m),
            Err(WrongPayment {
                expected: U256::from(1_000),
                received: U256::from(wrong)
            }
            .into())
        );
        assert_eq!(c.license_count(), 0);
    }
    assert_eq!(
        c.request_license(5),
        Err(UnknownModel { modelId: 5 }.into())
    );
    as_(&vm, HOST, 1_000);
    let id = c.request_license(m).unwrap();
    assert_eq!(
        c.license(id).unwrap(),
        (m, HOST, U256::from(1_000), B256::ZERO, 1, 0, 0, U256::ZERO)
    );
    assert_eq!(
        *topics(&vm).last().unwrap(),
        LicenseRequested::SIGNATURE_HASH
    );
    assert_eq!(c.license(2), Err(UnknownLicense { licenseId: 2 }.into()));
    assert!(!c.guard.is_locked(), "guard released");
}

#[test]
fn request_license_with_token_pulls_and_checks_the_result() {
    let (host, vm, mut c) = deploy_with_ledger();
    let m = register(&vm, &mut c, ALICE, 0, terms(TOKEN));
    let amount = U256::from(1_000);
    as_(&vm, HOST, 5);
    assert_eq!(
        c.request_license(m),
        Err(WrongPayment {
            expected: U256::ZERO,
            received: U256::from(5)
        }
        .into())
    );
    let failed: Error = TransferFailed {
        asset: TOKEN,
        account: HOST,
        amount,
    }
    .into();
    as_(&vm, HOST, 0);
    // No balance: the pull reverts.
    assert_eq!(c.request_license(m), Err(failed.clone()));
    host.mint(TOKEN, HOST, amount);
    for quirk in [
        Quirk::ReturnFalse,
        Quirk::Revert,
        Quirk::FeeOnTransfer(10_000),
    ] {
        host.set_quirk(TOKEN, quirk);
        assert_eq!(c.request_license(m), Err(failed.clone()), "{quirk:?}");
    }
    assert_eq!(c.license_count(), 0);
    // (The simulated 100% tax burned the host's tokens; a real revert would have undone it.)
    host.set_quirk(TOKEN, Quirk::None);
    host.mint(TOKEN, HOST, amount);
    assert_eq!(c.request_license(m).unwrap(), 1);
    assert_eq!(c.license(1).unwrap().2, amount);
    assert_eq!(host.token_balance(TOKEN, THIS), amount);
    assert!(!c.guard.is_locked());
}

#[test]
fn set_fingerprint_root_rules() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let l = c.request_license(m).unwrap();
    let root = hash("root");
    as_(&vm, HOST, 0);
    assert_eq!(
        c.set_fingerprint_root(l, root, 3),
        Err(Unauthorized {
            caller: HOST,
            required: ALICE
        }
        .into())
    );
    as_(&vm, ALICE, 0);
    assert_eq!(
        c.set_fingerprint_root(9, root, 3),
        Err(UnknownLicense { licenseId: 9 }.into())
    );
    assert_eq!(
        c.set_fingerprint_root(l, B256::ZERO, 3),
        Err(ZeroRoot {}.into())
    );
    assert_eq!(
        c.set_fingerprint_root(l, root, 33),
        Err(DepthAboveCap {
            depth: U256::from(33),
            cap: U256::from(32)
        }
        .into())
    );
    assert_eq!(c.license(l).unwrap().3, B256::ZERO);
    c.set_fingerprint_root(l, root, 32).unwrap();
    let (topics, data) = vm.get_emitted_logs().pop().unwrap();
    let event = FingerprintRootSet::decode_raw_log(topics, &data).unwrap();
    assert_eq!((event.licenseId, event.root, event.depth), (l, root, 32));
    assert_eq!(
        c.set_fingerprint_root(l, hash("other"), 3),
        Err(FingerprintAlreadySet { licenseId: l }.into())
    );
    assert_eq!(c.license(l).unwrap().3, root);
    assert_eq!(c.word(LICENSE, l, storage::license::DEPTH), U256::from(32));
    // A terminating license takes no root.
    as_(&vm, HOST, 1_000);
    let l2 = c.request_license(m).unwrap();
    as_(&vm, HOST, 0);
    c.terminate_license(l2).unwrap();
    as_(&vm, ALICE, 0);
    assert_eq!(
        c.set_fingerprint_root(l2, root, 3),
        Err(InvalidLicenseState {
            licenseId: l2,
            state: 2
        }
        .into())
    );
}

#[test]
fn report_usage_cascades_fees_along_the_tree() {
    let (vm, mut c) = deploy();
    let root = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    let mid = register(&vm, &mut c, BOB, root, terms(Address::ZERO));
    let leaf = register(&vm, &mut c, CAROL, mid, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let l = c.request_license(leaf).unwrap();
    // 7 units × 10 = 70: protocol 7, provers 7, ancestors pool 14 -> BOB 7, ALICE 3 (dust 1),
    // CAROL 42 + 4 left by the ancestors = 46... computed exactly below.
    as_(&vm, HOST, 70);
    c.report_usage(l, 7).unwrap();
    assert_eq!(credit(&c, TREASURY), U256::from(7));
    assert_eq!(c.provers_pool(leaf).unwrap(), U256::from(7));
    assert_eq!(credit(&c, BOB), U256::from(7));
    assert_eq!(credit(&c, ALICE), U256::from(3));
    assert_eq!(credit(&c, CAROL), U256::from(70 - 7 - 7 - 7 - 3));
    assert_eq!(c.license(l).unwrap().7, U256::from(7));
    let t = topics(&vm);
    assert!(t.contains(&UsageReported::SIGNATURE_HASH));
    assert!(t.contains(&ProversPoolFunded::SIGNATURE_HASH));
    assert!(t.contains(&Credited::SIGNATURE_HASH));
}

#[test]
fn cascade_stops_at_the_models_depth_cap() {
    let (vm, mut c) = deploy();
    let root = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    let mid = register(&vm, &mut c, BOB, root, terms(Address::ZERO));
    let shallow = Terms {
        maxDepth: 1,
        ancestorDecayBps: 10_000,
        ..terms(Address::ZERO)
    };
    let leaf = register(&vm, &mut c, CAROL, mid, shallow);
    as_(&vm, HOST, 1_000);
    let l = c.request_license(leaf).unwrap();
    as_(&vm, HOST, 1_000);
    c.report_usage(l, 100).unwrap();
    assert_eq!(
        credit(&c, BOB),
        U256::from(200),
        "parent takes the whole pool"
    );
    assert_eq!(
        credit(&c, ALICE),
        U256::ZERO,
        "grandparent is beyond the cap"
    );
    assert_eq!(credit(&c, CAROL), U256::from(600));
}

#[test]
fn report_usage_failures_leave_state_unchanged() {
    let (vm, mut c, _) = licensed();
    as_(&vm, EVE, 10);
    assert_eq!(
        c.report_usage(1, 1),
        Err(Unauthorized {
            caller: EVE,
            required: HOST
        }
        .into())
    );
    as_(&vm, HOST, 0);
    assert_eq!(c.report_usage(1, 0), Err(ZeroAmount {}.into()));
    assert_eq!(
        c.report_usage(2, 1),
        Err(UnknownLicense { licenseId: 2 }.into())
    );
    as_(&vm, HOST, 11);
    assert_eq!(
        c.report_usage(1, 1),
        Err(WrongPayment {
            expected: U256::from(10),
            received: U256::from(11)
        }
        .into())
    );
    assert_eq!(c.license(1).unwrap().7, U256::ZERO);
    assert_eq!(credit(&c, ALICE), U256::ZERO);
    assert!(!c.guard.is_locked());
    // units × usageFee beyond 256 bits.
    let pricey = Terms {
        usageFee: U256::MAX,
        ..terms(Address::ZERO)
    };
    let m = register(&vm, &mut c, ALICE, 0, pricey);
    as_(&vm, HOST, 1_000);
    let l = c.request_license(m).unwrap();
    as_(&vm, HOST, 0);
    assert_eq!(c.report_usage(l, 2), Err(ArithmeticOverflow {}.into()));
    assert_eq!(c.license(l).unwrap().7, U256::ZERO);
    assert_eq!(credit(&c, ALICE), U256::ZERO);
    assert!(!c.guard.is_locked());
}

#[test]
fn terminate_and_close_after_cooldown() {
    let (vm, mut c, _) = licensed();
    vm.set_block_timestamp(1_000);
    as_(&vm, EVE, 0);
    assert!(matches!(
        c.terminate_license(1),
        Err(Error::Unauthorized(_))
    ));
    as_(&vm, HOST, 0);
    assert_eq!(
        c.close_license(1),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: 1
        }
        .into())
    );
    c.terminate_license(1).unwrap();
    assert_eq!(c.license(1).unwrap().5, 1_000 + COOLDOWN);
    assert_eq!(
        c.terminate_license(1),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: 2
        }
        .into())
    );
    // Usage can still be paid while terminating.
    as_(&vm, HOST, 10);
    c.report_usage(1, 1).unwrap();
    as_(&vm, HOST, 0);
    vm.set_block_timestamp(1_000 + COOLDOWN - 1);
    assert_eq!(
        c.close_license(1),
        Err(CooldownActive {
            releaseAt: 1_000 + COOLDOWN
        }
        .into())
    );
    vm.set_block_timestamp(1_000 + COOLDOWN);
    as_(&vm, EVE, 0);
    assert!(c.close_license(1).is_err());
    as_(&vm, HOST, 0);
    c.close_license(1).unwrap();
    assert_eq!(c.license(1).unwrap().4, 3);
    assert_eq!(c.license(1).unwrap().2, U256::ZERO);
    assert_eq!(credit(&c, HOST), U256::from(1_000));
    assert_eq!(*topics(&vm).last().unwrap(), LicenseClosed::SIGNATURE_HASH);
    as_(&vm, HOST, 10);
    assert_eq!(
        c.report_usage(1, 1),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: 3
        }
        .into())
    );
    as_(&vm, HOST, 0);
    assert!(c.close_license(1).is_err(), "no double close");
    assert_eq!(credit(&c, HOST), U256::from(1_000));
}

// ---------------------------------------------------------------- claims

#[test]
fn submit_claim_verifies_evidence() {
    let (vm, mut c, tree) = licensed();
    let (leaves, proofs) = evidence(&tree, &[1, 5]);
    let ev = hash("ev");
    let submit = |c: &mut Registry, l: u64, k: u8, lv: Vec<B256>, pf: Vec<Vec<B256>>, u: u64| {
        c.submit_claim(l, k, lv, pf, ev, U256::from(u))
    };
    as_(&vm, PROVER, 100);
    assert_eq!(
        submit(&mut c, 3, 0, leaves.clone(), proofs.clone(), 0),
        Err(UnknownLicense { licenseId: 3 }.into())
    );
    assert_eq!(
        submit(&mut c, 1, 2, leaves.clone(), proofs.clone(), 0),
        Err(InvalidClaimKind { kind: 2 }.into())
    );
    assert_eq!(
        submit(&mut c, 1, 0, vec![], vec![], 0),
        Err(InvalidEvidence {
            leaves: U256::ZERO,
            proofs: U256::ZERO
        }
        .into())
    );
    assert_eq!(
        submit(&mut c, 1, 0, leaves.clone(), proofs[..1].to_vec(), 0),
        Err(InvalidEvidence {
            leaves: U256::from(2),
            proofs: U256::from(1)
        }
        .into())
    );
    let reversed: Vec<_> = leaves.iter().rev().copied().collect();
    let reversed_proofs: Vec<_> = proofs.iter().rev().cloned().collect();
    assert_eq!(
        submit(&mut c, 1, 0, reversed, reversed_proofs, 0),
        Err(LeavesNotAscending {
            index: U256::from(1)
        }
        .into())
    );
    assert_eq!(
        submit(
            &mut c,
            1,
            0,
            vec![leaves[0], leaves[0]],
            vec![proofs[0].clone(); 2],
            0
        ),
        Err(LeavesNotAscending {
            index: U256::from(1)
        }
        .into())
    );
    let mut bad = proofs.clone();
    bad[1][0] = hash("forged");
    assert_eq!(
        submit(&mut c, 1, 0, leaves.clone(), bad, 0),
        Err(InvalidProof {
            index: U256::from(1)
        }
        .into())
    );
    let other = fingerprints(8, "someone-else");
    let (foreign, foreign_proofs) = evidence(&other, &[0]);
    assert_eq!(
        submit(&mut c, 1, 0, foreign, foreign_proofs, 0),
        Err(InvalidProof { index: U256::ZERO }.into())
    );
    assert_eq!(
        submit(&mut c, 1, 1, leaves.clone(), proofs.clone(), 0),
        Err(NothingUnpaid {
            observed: U256::ZERO,
            reported: U256::ZERO
        }
        .into())
    );
    as_(&vm, PROVER, 99);
    assert_eq!(
        submit(&mut c, 1, 0, leaves.clone(), proofs.clone(), 0),
        Err(WrongPayment {
            expected: U256::from(100),
            received: U256::from(99)
        }
        .into())
    );
    assert_eq!(c.claim_count(), 0);
    assert_eq!(c.license(1).unwrap().6, 0);
    as_(&vm, PROVER, 100);
    let id = submit(&mut c, 1, 1, leaves.clone(), proofs.clone(), 5).unwrap();
    assert_eq!(
        c.claim(id).unwrap(),
        (
            1,
            PROVER,
            1,
            (claim_state::PENDING as u8),
            U256::from(100),
            WINDOW,
            ev
        )
    );
    assert_eq!(c.license(1).unwrap().6, id);
    assert_eq!(*topics(&vm).last().unwrap(), ClaimSubmitted::SIGNATURE_HASH);
    assert_eq!(
        submit(&mut c, 1, 0, leaves, proofs, 0),
        Err(ClaimPending {
            licenseId: 1,
            claimId: id
        }
        .into())
    );
    assert_eq!(c.claim(9), Err(UnknownClaim { claimId: 9 }.into()));
}

#[test]
fn claim_needs_a_fingerprint_root() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let l = c.request_license(m).unwrap();
    let (leaves, proofs) = evidence(&fingerprints(2, "x"), &[0]);
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(l, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Err(FingerprintNotSet { licenseId: l }.into())
    );
}

#[test]
fn claim_with_a_1024_leaf_tree() {
    let (vm, mut c) = deploy();
    let m = register(&vm, &mut c, ALICE, 0, terms(Address::ZERO));
    as_(&vm, HOST, 1_000);
    let l = c.request_license(m).unwrap();
    let tree = fingerprints(1_024, "big");
    as_(&vm, ALICE, 0);
    c.set_fingerprint_root(l, tree.root(), tree.depth())
        .unwrap();
    let (leaves, proofs) = evidence(&tree, &[0, 511, 1_023, 77]);
    assert!(proofs.iter().all(|p| p.len() == 10));
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(l, 0, leaves, proofs, B256::ZERO, U256::ZERO)
            .unwrap(),
        1
    );
}

#[test]
fn finalize_after_window_slashes_collateral() {
    let (vm, mut c, tree) = licensed();
    // Fund the provers' pool: 10 units × 10 = 100, provers' share 10.
    as_(&vm, HOST, 100);
    c.report_usage(1, 10).unwrap();
    let before_owner = credit(&c, ALICE);
    let before_treasury = credit(&c, TREASURY);
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    as_(&vm, EVE, 0);
    vm.set_block_timestamp(WINDOW - 1);
    assert_eq!(
        c.finalize_claim(id),
        Err(ChallengeWindowOpen { deadline: WINDOW }.into())
    );
    assert_eq!(c.finalize_claim(8), Err(UnknownClaim { claimId: 8 }.into()));
    vm.set_block_timestamp(WINDOW);
    c.finalize_claim(id).unwrap();
    // Collateral 1,000: bounty 300, protocol 100, owner 600; the prover also gets its bond 100
    // and half of the pool of 10.
    assert_eq!(credit(&c, PROVER), U256::from(300 + 100 + 5));
    assert_eq!(credit(&c, TREASURY) - before_treasury, U256::from(100));
    assert_eq!(credit(&c, ALICE) - before_owner, U256::from(600));
    assert_eq!(c.provers_pool(1).unwrap(), U256::from(5));
    let l = c.license(1).unwrap();
    assert_eq!(
        (l.2, l.4, l.6),
        (U256::ZERO, (license_state::SLASHED as u8), 0)
    );
    assert_eq!(c.claim(id).unwrap().3, (claim_state::UPHELD as u8));
    assert_eq!(*topics(&vm).last().unwrap(), ClaimUpheld::SIGNATURE_HASH);
    // Double finalize and claims on a slashed license fail.
    assert_eq!(
        c.finalize_claim(id),
        Err(InvalidClaimState {
            claimId: id,
            state: 3
        }
        .into())
    );
    let (leaves, proofs) = evidence(&tree, &[2]);
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(1, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: 4
        }
        .into())
    );
    as_(&vm, HOST, 0);
    assert!(c.terminate_license(1).is_err());
}

#[test]
fn pending_claim_blocks_collateral_release() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 0);
    c.terminate_license(1).unwrap();
    // A claim arrives during the cooldown, just before it ends.
    vm.set_block_timestamp(COOLDOWN - 1);
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    vm.set_block_timestamp(COOLDOWN);
    as_(&vm, HOST, 0);
    assert_eq!(
        c.close_license(1),
        Err(ClaimPending {
            licenseId: 1,
            claimId: id
        }
        .into())
    );
    assert_eq!(c.license(1).unwrap().2, U256::from(1_000));
    vm.set_block_timestamp(COOLDOWN - 1 + WINDOW);
    c.finalize_claim(id).unwrap();
    assert_eq!(
        c.close_license(1),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: (license_state::SLASHED as u8)
        }
        .into())
    );
    assert_eq!(credit(&c, HOST), U256::ZERO);
}

#[test]
fn claim_on_closed_license_fails() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 0);
    c.terminate_license(1).unwrap();
    vm.set_block_timestamp(COOLDOWN);
    c.close_license(1).unwrap();
    let (leaves, proofs) = evidence(&tree, &[0]);
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(1, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Err(InvalidLicenseState {
            licenseId: 1,
            state: (license_state::CLOSED as u8)
        }
        .into())
    );
}

#[test]
fn dispute_rules_and_rejection_forfeits_bond() {
    let (vm, mut c, tree) = licensed();
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    as_(&vm, EVE, 0);
    assert_eq!(
        c.dispute_claim(id, hash("counter")),
        Err(Unauthorized {
            caller: EVE,
            required: HOST
        }
        .into())
    );
    assert_eq!(
        c.dispute_claim(5, hash("c")),
        Err(UnknownClaim { claimId: 5 }.into())
    );
    as_(&vm, GOV, 0);
    assert_eq!(
        c.resolve_dispute(id, false),
        Err(InvalidClaimState {
            claimId: id,
            state: (claim_state::PENDING as u8)
        }
        .into())
    );
    as_(&vm, HOST, 0);
    c.dispute_claim(id, hash("counter")).unwrap();
    assert_eq!(*topics(&vm).last().unwrap(), ClaimDisputed::SIGNATURE_HASH);
    assert_eq!(
        c.dispute_claim(id, hash("again")),
        Err(InvalidClaimState {
            claimId: id,
            state: (claim_state::DISPUTED as u8)
        }
        .into())
    );
    // A disputed claim cannot be finalized after the window: governance has until the
    // resolution deadline (one cooldown after the dispute).
    vm.set_block_timestamp(WINDOW * 2);
    assert_eq!(
        c.finalize_claim(id),
        Err(DisputeOpen {
            resolveBy: COOLDOWN
        }
        .into())
    );
    assert!(matches!(
        c.resolve_dispute(id, false),
        Err(Error::Unauthorized(_))
    ));
    as_(&vm, GOV, 0);
    c.resolve_dispute(id, false).unwrap();
    assert_eq!(credit(&c, HOST), U256::from(100));
    assert_eq!(credit(&c, PROVER), U256::ZERO);
    assert_eq!(c.claim(id).unwrap().3, (claim_state::REJECTED as u8));
    let l = c.license(1).unwrap();
    assert_eq!(
        (l.2, l.4, l.6),
        (U256::from(1_000), (license_state::ACTIVE as u8), 0)
    );
    assert_eq!(*topics(&vm).last().unwrap(), ClaimRejected::SIGNATURE_HASH);
    assert!(c.resolve_dispute(id, true).is_err());
    // The license can be accused again.
    claim_ok(&vm, &mut c, &tree, 0, 0);
}

#[test]
fn dispute_window_closes_and_governance_can_uphold() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 20);
    c.report_usage(1, 2).unwrap();
    let id = claim_ok(&vm, &mut c, &tree, 1, 3);
    vm.set_block_timestamp(WINDOW);
    as_(&vm, HOST, 0);
    assert_eq!(
        c.dispute_claim(id, hash("late")),
        Err(ChallengeWindowClosed { deadline: WINDOW }.into())
    );
    vm.set_block_timestamp(WINDOW - 1);
    as_(&vm, GOV, 0);
    c.dispute_claim(id, hash("gov looks")).unwrap();
    c.resolve_dispute(id, true).unwrap();
    assert_eq!(c.license(1).unwrap().4, (license_state::SLASHED as u8));
    assert_eq!(c.claim(id).unwrap().3, (claim_state::UPHELD as u8));
    // Bond 100 + bounty 300 + half of the pool (2 units × 10 × 10% = 2).
    assert_eq!(credit(&c, PROVER), U256::from(401));
}

// ---------------------------------------------------------------- withdrawals and reentrancy

#[test]
fn withdraw_eth_pays_and_clears() {
    let (vm, mut c, _) = licensed();
    as_(&vm, HOST, 100);
    c.report_usage(1, 10).unwrap();
    as_(&vm, EVE, 0);
    assert_eq!(
        c.withdraw(Address::ZERO),
        Err(NothingToWithdraw {
            asset: Address::ZERO,
            payee: EVE
        }
        .into())
    );
    let owed = credit(&c, ALICE);
    // The payee's fallback reverts: credit restored, typed error.
    vm.mock_call(ALICE, vec![], owed, Err(b"nope".to_vec()));
    as_(&vm, ALICE, 0);
    assert_eq!(
        c.withdraw(Address::ZERO),
        Err(TransferFailed {
            asset: Address::ZERO,
            account: ALICE,
            amount: owed
        }
        .into())
    );
    assert_eq!(credit(&c, ALICE), owed);
    vm.mock_call(ALICE, vec![], owed, Ok(vec![]));
    assert_eq!(c.withdraw(Address::ZERO).unwrap(), owed);
    assert_eq!(credit(&c, ALICE), U256::ZERO);
    assert_eq!(*topics(&vm).last().unwrap(), Withdrawn::SIGNATURE_HASH);
    assert!(c.withdraw(Address::ZERO).is_err(), "nothing left");
}

#[test]
fn a_stranger_can_only_pay_a_credit_out_to_its_owner() {
    let (vm, mut c, _) = licensed();
    as_(&vm, HOST, 100);
    c.report_usage(1, 10).unwrap();
    let owed = credit(&c, ALICE);
    assert!(!owed.is_zero());
    vm.mock_call(ALICE, vec![], owed, Ok(vec![]));
    as_(&vm, EVE, 0);
    assert_eq!(c.withdraw_for(ALICE, Address::ZERO).unwrap(), owed);
    assert_eq!(credit(&c, ALICE), U256::ZERO);
    assert_eq!(credit(&c, EVE), U256::ZERO, "the caller gains nothing");
    assert_eq!(
        c.withdraw_for(ALICE, Address::ZERO),
        Err(NothingToWithdraw {
            asset: Address::ZERO,
            payee: ALICE
        }
        .into())
    );
}

#[test]
fn withdraw_token_requires_true() {
    let (host, vm, mut c) = deploy_with_ledger();
    let m = register(&vm, &mut c, ALICE, 0, terms(TOKEN));
    host.mint(TOKEN, HOST, U256::from(1_050));
    as_(&vm, HOST, 0);
    c.request_license(m).unwrap();
    c.report_usage(1, 5).unwrap();
    let owed = c.credit(TOKEN, ALICE);
    assert_eq!(owed, U256::from(40));
    as_(&vm, ALICE, 0);
    for quirk in [Quirk::ReturnFalse, Quirk::Revert] {
        host.set_quirk(TOKEN, quirk);
        assert_eq!(
            c.withdraw(TOKEN),
            Err(TransferFailed {
                asset: TOKEN,
                account: ALICE,
                amount: owed
            }
            .into())
        );
        assert_eq!(c.credit(TOKEN, ALICE), owed);
    }
    host.set_quirk(TOKEN, Quirk::None);
    assert_eq!(c.withdraw(TOKEN).unwrap(), owed);
    assert_eq!(c.credit(TOKEN, ALICE), U256::ZERO);
    assert_eq!(host.token_balance(TOKEN, ALICE), owed);
}

/// A malicious token or an ETH recipient calling back while a guarded function runs finds
/// the lock held: the inner call fails with `ReentrantCall` and changes nothing.
#[test]
fn reentrant_calls_are_rejected() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, HOST, 100);
    c.report_usage(1, 10).unwrap();
    let owed = credit(&c, ALICE);
    c.guard.enter::<Error>().unwrap();
    as_(&vm, ALICE, 0);
    assert_eq!(c.withdraw(Address::ZERO), Err(ReentrantCall {}.into()));
    assert_eq!(credit(&c, ALICE), owed);
    as_(&vm, HOST, 1_000);
    assert_eq!(c.request_license(1), Err(ReentrantCall {}.into()));
    as_(&vm, HOST, 10);
    assert_eq!(c.report_usage(1, 1), Err(ReentrantCall {}.into()));
    let (leaves, proofs) = evidence(&tree, &[0]);
    as_(&vm, PROVER, 100);
    assert_eq!(
        c.submit_claim(1, 0, leaves, proofs, B256::ZERO, U256::ZERO),
        Err(ReentrantCall {}.into())
    );
    assert_eq!((c.license_count(), c.claim_count()), (1, 0));
    assert_eq!(c.license(1).unwrap().7, U256::from(10));
    assert!(c.guard.is_locked(), "the outer call still holds the lock");
    c.guard.exit();
    as_(&vm, ALICE, 0);
    assert_eq!(c.withdraw(Address::ZERO).unwrap(), owed);
}

/// Every log the registry writes decodes as the `sol!` event its first topic names (most are
/// written word by word to save code size, so this pins them to the declared ABI).
#[test]
fn every_log_decodes_as_its_declared_event() {
    let (vm, mut c, tree) = licensed();
    as_(&vm, ALICE, 0);
    c.publish_version(1, hash("v2"), "u2".into()).unwrap();
    c.transfer_model_ownership(1, BOB).unwrap();
    as_(&vm, BOB, 0);
    c.accept_model_ownership(1).unwrap();
    as_(&vm, HOST, 100);
    c.report_usage(1, 10).unwrap();
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    as_(&vm, HOST, 0);
    c.dispute_claim(id, hash("counter")).unwrap();
    as_(&vm, GOV, 0);
    c.resolve_dispute(id, false).unwrap();
    c.set_params(params()).unwrap();
    let id = claim_ok(&vm, &mut c, &tree, 0, 0);
    vm.set_block_timestamp(WINDOW);
    c.finalize_claim(id).unwrap();
    as_(&vm, HOST, 1_000);
    let l2 = c.request_license(1).unwrap();
    as_(&vm, HOST, 0);
    c.terminate_license(l2).unwrap();
    vm.set_block_timestamp(WINDOW + COOLDOWN);
    c.close_license(l2).unwrap();
    c.withdraw(Address::ZERO).unwrap();

    let mut seen = std::collections::BTreeSet::new();
    for (topics, data) in vm.get_emitted_logs() {
        let t0 = topics[0];
        macro_rules! check {
            ($($ev:ident),*) => {
                $(if t0 == $ev::SIGNATURE_HASH {
                    $ev::decode_raw_log(topics.iter().copied(), &data)
                        .unwrap_or_else(|e| panic!("{} does not decode: {e}", stringify!($ev)));
                    seen.insert(stringify!($ev));
                    continue;
                })*
            };
        }
        check!(
            ModelRegistered,
            TermsSet,
            VersionPublished,
            ModelOwnershipTransferStarted,
            ModelOwnershipTransferred,
            LicenseRequested,
            FingerprintRootSet,
            UsageReported,
            Credited,
            ProversPoolFunded,
            Withdrawn,
            LicenseTerminating,
            LicenseClosed,
            ClaimSubmitted,
            ClaimDisputed,
            ClaimUpheld,
            ClaimRejected,
            ParamsSet
        );
        use agentdao_common::errors::{GovernanceTransferStarted, GovernanceTransferred};
        assert!(
            t0 == GovernanceTransferred::SIGNATURE_HASH
                || t0 == GovernanceTransferStarted::SIGNATURE_HASH,
            "unknown log {t0}"
        );
    }
    assert_eq!(seen.len(), 18, "every event type was emitted: {seen:?}");
    // Spot-check field order of word-encoded events.
    let logs = vm.get_emitted_logs();
    let submitted = logs
        .iter()
        .rev()
        .find(|l| l.0[0] == ClaimSubmitted::SIGNATURE_HASH)
        .unwrap();
    let ev = ClaimSubmitted::decode_raw_log(submitted.0.iter().copied(), &submitted.1).unwrap();
    assert_eq!(
        (ev.claimId, ev.licenseId, ev.prover, ev.kind),
        (2, 1, PROVER, 0)
    );
    assert_eq!(
        (ev.bond, ev.evidenceHash, ev.deadline),
        (U256::from(100), hash("evidence"), WINDOW)
    );
    let closed = logs
        .iter()
        .find(|l| l.0[0] == LicenseClosed::SIGNATURE_HASH)
        .unwrap();
    let ev = LicenseClosed::decode_raw_log(closed.0.iter().copied(), &closed.1).unwrap();
    assert_eq!((ev.licenseId, ev.collateral), (l2, U256::from(1_000)));
}

/// Every event's generated `emit` writes exactly the log alloy's `SolEvent` encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 18);
}
