//! TestVM unit tests of the ledger: every function, every error path, state unchanged after a
//! failing call, and a property test over whole sessions.
use super::*;
use crate::battles::replay;
use crate::elo::ONE;
use alloy_sol_types::{sol, SolCall, SolEvent};
use proptest::prelude::*;
use stylus_sdk::testing::TestVM;

sol! {
    function getPastVotes(address validator, uint256 timepoint) returns (uint256);
}

const GOV: Address = Address::repeat_byte(0x60);
const VAULT: Address = Address::repeat_byte(0x7a);
const EXT: Address = Address::repeat_byte(0xe7);
const ALICE: Address = Address::repeat_byte(0xa1);
const BOB: Address = Address::repeat_byte(0xb0);
const EVE: Address = Address::repeat_byte(0xee);
const V1: Address = Address::repeat_byte(0x01);
const V2: Address = Address::repeat_byte(0x02);
const V3: Address = Address::repeat_byte(0x03);
/// The session operator.
const OP: Address = Address::repeat_byte(0x0b);
const START: u64 = 1_000_000;
const DAY: u64 = 86_400;
const SEED: B256 = B256::repeat_byte(0x5e);

fn u(x: u64) -> U256 {
    U256::from(x)
}

struct Env {
    vm: TestVM,
    ledger: Ledger,
}

impl Env {
    /// Ledger with two base models (ids 1 by ALICE, 2 by BOB), operator `OP` without bond and a
    /// minimum stake of 1 wei (tests use small powers).
    fn new() -> Self {
        let mut env = Env::with_defaults();
        env.as_(GOV).set_validation(OP, U256::ZERO, u(1)).unwrap();
        env
    }

    /// Ledger with the constructor's defaults and two base models.
    fn with_defaults() -> Self {
        let vm = TestVM::default();
        vm.set_block_timestamp(START);
        let mut ledger = Ledger::from(&vm);
        ledger.init(GOV, VAULT, EXT).unwrap();
        let mut env = Env { vm, ledger };
        env.as_(ALICE)
            .register_model(B256::repeat_byte(1), "a".into(), U256::ZERO, U256::ZERO)
            .unwrap();
        env.as_(BOB)
            .register_model(B256::repeat_byte(2), "b".into(), U256::ZERO, U256::ZERO)
            .unwrap();
        env
    }

    fn as_(&mut self, sender: Address) -> &mut Ledger {
        self.vm.set_sender(sender);
        self.vm.set_value(U256::ZERO);
        &mut self.ledger
    }

    fn at(&mut self, time: u64) -> &mut Self {
        self.vm.set_block_timestamp(time);
        self
    }

    fn power(&self, voter: Address, snapshot: u64, power: u64) {
        let data = getPastVotesCall {
            validator: voter,
            timepoint: u(snapshot),
        }
        .abi_encode();
        self.vm
            .mock_static_call(VAULT, data, Ok(u(power).to_be_bytes::<32>().to_vec()));
    }

    /// `requester` requests a session between models `a` and `b` with `bond`.
    fn request_as(&mut self, requester: Address, a: u64, b: u64, bond: U256) -> U256 {
        self.vm.set_sender(requester);
        self.vm.set_value(bond);
        self.ledger.request_session(u(a), u(b)).unwrap()
    }

    /// EVE requests a session between models `a` and `b` and the operator opens it at the
    /// current time (both with the current bonds).
    fn open(&mut self, a: u64, b: u64) -> U256 {
        let bond = self.ledger.session_bond.get();
        let id = self.request_as(EVE, a, b, bond);
        self.vm.set_sender(OP);
        self.vm.set_value(self.ledger.operator_bond.get());
        self.ledger
            .open_session(id, keccak(SEED.as_slice()))
            .unwrap();
        id
    }

    fn commit(&mut self, id: U256, voter: Address, results: &[u8]) -> Result<(), Error> {
        let salt = salt_of(voter);
        let commitment = commitment(&self.vm, results, salt, voter);
        self.as_(voter).commit_vote(id, commitment)
    }

    fn reveal(&mut self, id: U256, voter: Address, results: &[u8]) -> Result<(), Error> {
        self.as_(voter)
            .reveal_vote(id, results.into(), salt_of(voter))
    }

    /// A voter's stored vote: commitment, weight, revealed.
    fn vote(&self, id: U256, voter: Address) -> (B256, U256, bool) {
        let session = self.ledger.sessions.getter(id.to::<usize>() - 1).unwrap();
        let vote = session.votes.getter(voter);
        (
            vote.commitment.get(),
            vote.weight.get(),
            vote.outcomes.get().as_limbs()[0] & REVEALED != 0,
        )
    }

    /// The models `voter` sees as X and Y in session `id` under `SEED`.
    fn models_for(&self, id: U256, voter: Address) -> (U256, U256) {
        let (a, b, ..) = self.session(id);
        if x_is_b(&SEED.0, voter, keccak) {
            (b, a)
        } else {
            (a, b)
        }
    }

    /// A session's stored models, operator, snapshot, commit end, reveal end.
    fn session(&self, id: U256) -> (U256, U256, Address, u64, u64, u64) {
        let s = self.ledger.sessions.getter(id.to::<usize>() - 1).unwrap();
        let h = SessionHeader::unpack(s.header.get());
        let (a, b) = (u(h.model_a), u(h.model_b));
        (
            a,
            b,
            s.operator.get(),
            h.snapshot,
            h.commit_end,
            h.reveal_end,
        )
    }

    /// A model's owner, content hash, parent, dataset, rating and games.
    fn model(&self, id: u64) -> (Address, B256, U256, U256, I256, U256) {
        let m = self.ledger.models.getter(id as usize - 1).unwrap();
        let s = ModelState::unpack(m.state.get());
        let (parent, dataset) = (u(s.parent), u(s.dataset));
        let (rating, games) = (to_int256(s.rating), u(s.games));
        (
            m.owner.get(),
            m.content_hash.get(),
            parent,
            dataset,
            rating,
            games,
        )
    }

    fn credit(&self, account: Address) -> U256 {
        self.ledger.credits.get(account)
    }

    fn counts(&self) -> (U256, U256, U256, U256) {
        let l = &self.ledger;
        (
            u(l.models.len() as u64),
            u(l.datasets.len() as u64),
            u(l.sessions.len() as u64),
            u((l.battles.len() * ROUNDS) as u64),
        )
    }

    fn session_params(&self) -> (u64, u64, u32, u32, U256) {
        let p = SmallParams::unpack(self.ledger.params.get());
        let bond = self.ledger.session_bond.get();
        let (min, max) = (p.min_reveals as u32, p.max_voters as u32);
        (p.commit_window, p.reveal_window, min, max, bond)
    }

    fn scoring_params(&self) -> (u64, I256, u64, u64, u64) {
        let p = SmallParams::unpack(self.ledger.params.get());
        let threshold = to_int256(self.ledger.impact_threshold());
        let (alpha, agree) = (p.agreement_alpha_bps, p.agreement_threshold);
        (p.min_games, threshold, alpha, agree, p.upgrade_resamples)
    }

    /// `setParams` changing only the session parameters.
    fn set_session(
        &mut self,
        sender: Address,
        commit: u64,
        reveal: u64,
        min: u32,
        max: u32,
        bond: U256,
    ) -> Result<(), Error> {
        let s = self.scoring_params();
        self.as_(sender)
            .set_params(commit, reveal, min, max, bond, s.0, s.1, s.2, s.3, s.4)
    }

    /// `setParams` changing only the scoring parameters.
    fn set_scoring(
        &mut self,
        sender: Address,
        games: u64,
        threshold: I256,
        alpha: u64,
        agree: u64,
        resamples: u64,
    ) -> Result<(), Error> {
        let p = self.session_params();
        self.as_(sender).set_params(
            p.0, p.1, p.2, p.3, p.4, games, threshold, alpha, agree, resamples,
        )
    }

    fn topics(&self) -> Vec<B256> {
        self.vm
            .get_emitted_logs()
            .into_iter()
            .map(|l| l.0[0])
            .collect()
    }

    /// Every stored battle, expanded from the session records.
    fn records(&self) -> Vec<Battle> {
        let mut all = Vec::new();
        for i in 0..self.ledger.battles.len() {
            battles::expand(self.ledger.battles.get(i).unwrap(), &mut all);
        }
        all
    }

    /// Full session: commits, seed reveal, reveals, finalization. Returns the session id.
    fn run_session(&mut self, a: u64, b: u64, votes: &[(Address, u64, [u8; 10])]) -> U256 {
        let t0 = self.vm.block_timestamp();
        let id = self.open(a, b);
        for &(voter, power, results) in votes {
            self.power(voter, t0 - 1, power);
            self.commit(id, voter, &results).unwrap();
        }
        self.at(t0 + DAY);
        self.as_(OP).reveal_seed(id, SEED).unwrap();
        for &(voter, _, results) in votes {
            self.reveal(id, voter, &results).unwrap();
        }
        self.at(t0 + 2 * DAY);
        self.as_(EVE).finalize_session(id).unwrap();
        id
    }
}

fn keccak(data: &[u8]) -> B256 {
    alloy_primitives::keccak256(data)
}

fn salt_of(voter: Address) -> B256 {
    keccak(voter.as_slice())
}

fn rating(env: &Env, id: u64) -> i128 {
    from_int256(env.ledger.rating_of(u(id)).unwrap()).unwrap()
}

// ---------------------------------------------------------------- construction and governance

#[test]
fn constructor_sets_roles_and_defaults() {
    let env = Env::new();
    assert_eq!(env.ledger.governance(), GOV);
    assert_eq!(env.ledger.vault(), VAULT);
    assert_eq!(env.ledger.version(), "0.2.0");
    assert_eq!(env.ledger.champion_model(), U256::ZERO);
    assert_eq!(env.ledger.extension(), EXT);
    assert_eq!(env.ledger.require_delegated(), Ok(()));
    let bonds = DEFAULT_BONDS_AND_STAKE.map(U256::from);
    assert_eq!(env.session_params(), (DAY, DAY, 1, 64, bonds[0]));
    assert_eq!(
        env.scoring_params(),
        (100, I256::ZERO, 2_000, agreement::ONE / 2, 25)
    );
    assert_eq!(env.ledger.validation(), (OP, U256::ZERO, u(1)));
    let defaults = Env::with_defaults();
    assert_eq!(
        defaults.ledger.validation(),
        (Address::ZERO, bonds[1], bonds[2])
    );
    assert!(!bonds[1].is_zero() && bonds[2] >= u(ONE as u64));
}

#[test]
fn constructor_rejects_zero_addresses() {
    let vm = TestVM::default();
    let mut ledger = Ledger::from(&vm);
    assert_eq!(
        ledger.init(GOV, Address::ZERO, EXT),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(
        ledger.init(Address::ZERO, VAULT, EXT),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(
        ledger.init(GOV, VAULT, Address::ZERO),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(ledger.vault(), Address::ZERO);
    assert_eq!(ledger.extension(), Address::ZERO);
    // Empty storage (the extension's own address) refuses to run extension code.
    assert_eq!(ledger.require_delegated(), Err(NotDelegated {}.into()));
}

#[test]
fn governance_handover_is_two_step() {
    let mut env = Env::new();
    assert_eq!(
        env.as_(EVE).transfer_governance(EVE),
        Err(Unauthorized {
            caller: EVE,
            required: GOV
        }
        .into())
    );
    env.as_(GOV).transfer_governance(BOB).unwrap();
    assert_eq!(env.ledger.pending_governance(), BOB);
    assert_eq!(
        env.as_(EVE).accept_governance(),
        Err(NotPendingGovernance {
            caller: EVE,
            pending: BOB
        }
        .into())
    );
    env.as_(BOB).accept_governance().unwrap();
    assert_eq!(env.ledger.governance(), BOB);
}

#[test]
fn session_params_are_bounded_and_governed() {
    let mut env = Env::new();
    assert!(matches!(
        env.set_session(EVE, 600, 600, 2, 10, u(5)),
        Err(Error::Unauthorized(_))
    ));
    let bad = [
        (59, 600, 1, 10, 0u8),
        (600, 31 * DAY, 1, 10, 1),
        (600, 600, 0, 10, 2),
        (600, 600, 11, 10, 2),
        (600, 600, 1, 257, 3),
    ];
    for (c, r, min, max, position) in bad {
        assert_eq!(
            env.set_session(GOV, c, r, min, max, u(5)),
            Err(ParameterOutOfRange { position }.into())
        );
    }
    let bond = U256::from(DEFAULT_BONDS_AND_STAKE[0]);
    assert_eq!(env.session_params(), (DAY, DAY, 1, 64, bond));
    env.set_session(GOV, 600, 700, 2, 10, u(5)).unwrap();
    assert_eq!(env.session_params(), (600, 700, 2, 10, u(5)));
    assert_eq!(env.topics().last(), Some(&ParamsUpdated::SIGNATURE_HASH));
}

#[test]
fn scoring_params_are_bounded_and_governed() {
    let mut env = Env::new();
    let threshold = to_int256(-5 * ONE);
    assert!(matches!(
        env.set_scoring(EVE, 10, threshold, 100, 0, 1),
        Err(Error::Unauthorized(_))
    ));
    let too_big = to_int256(10_001 * ONE);
    let bad = [
        (0, threshold, 100, 0, 1, 5u8),
        (10, too_big, 100, 0, 1, 6),
        (10, I256::MIN, 100, 0, 1, 6),
        (10, threshold, 0, 0, 1, 7),
        (10, threshold, 10_001, 0, 1, 7),
        (10, threshold, 100, agreement::ONE + 1, 1, 8),
        (10, threshold, 100, 0, 0, 9),
        (10, threshold, 100, 0, MAX_UPGRADE_RESAMPLES + 1, 9),
    ];
    for (games, t, alpha, agree, resamples, position) in bad {
        assert_eq!(
            env.set_scoring(GOV, games, t, alpha, agree, resamples),
            Err(ParameterOutOfRange { position }.into())
        );
    }
    env.set_scoring(GOV, 10, threshold, 100, 7, 20).unwrap();
    assert_eq!(env.scoring_params(), (10, threshold, 100, 7, 20));
    assert_eq!(env.topics().last(), Some(&ParamsUpdated::SIGNATURE_HASH));
}

// ---------------------------------------------------------------- registry

#[test]
fn register_model_assigns_ids_and_initial_rating() {
    let mut env = Env::new();
    let id = env
        .as_(EVE)
        .register_model(B256::repeat_byte(9), "ipfs://m".into(), u(1), U256::ZERO);
    assert_eq!(id, Ok(u(3)));
    assert_eq!(env.counts().0, u(3));
    let info = env.model(3);
    assert_eq!(
        info,
        (
            EVE,
            B256::repeat_byte(9),
            u(1),
            U256::ZERO,
            to_int256(INIT_RATING),
            U256::ZERO
        )
    );
    assert_eq!(env.topics().last(), Some(&ModelRegistered::SIGNATURE_HASH));
    assert_eq!(env.ledger.model_owner(u(3)), Ok(EVE));
    assert_eq!(env.ledger.model_owner(u(1)), Ok(ALICE));
    assert_eq!(
        env.ledger.model_owner(u(4)),
        Err(UnknownModel { id: u(4) }.into())
    );
    assert_eq!(
        env.ledger.rating_of(u(4)),
        Err(UnknownModel { id: u(4) }.into())
    );
    assert_eq!(
        env.ledger.rating_of(U256::ZERO),
        Err(UnknownModel { id: U256::ZERO }.into())
    );
}

#[test]
fn register_model_rejects_bad_links_without_side_effects() {
    let mut env = Env::new();
    let ds = env
        .as_(ALICE)
        .register_dataset(B256::repeat_byte(7), "ipfs://d".into())
        .unwrap();
    assert_eq!(ds, u(1));
    assert_eq!(env.counts().1, u(1));
    let hash = B256::ZERO;
    let cases: [(Address, U256, U256, Error); 5] = [
        (ALICE, u(9), U256::ZERO, UnknownModel { id: u(9) }.into()),
        (ALICE, u(1), u(2), UnknownDataset { id: u(2) }.into()),
        (ALICE, U256::ZERO, ds, DatasetWithoutParent {}.into()),
        (
            BOB,
            u(1),
            ds,
            NotDatasetContributor { contributor: ALICE }.into(),
        ),
        (
            ALICE,
            U256::MAX,
            U256::ZERO,
            UnknownModel { id: U256::MAX }.into(),
        ),
    ];
    for (sender, parent, dataset, err) in cases {
        assert_eq!(
            env.as_(sender)
                .register_model(hash, "".into(), parent, dataset),
            Err(err)
        );
    }
    assert_eq!(env.counts().0, u(2));
    env.as_(ALICE)
        .register_model(hash, "".into(), u(1), ds)
        .unwrap();
    assert_eq!(env.ledger.dataset_info(ds).unwrap().2, u(3));
    assert_eq!(
        env.as_(ALICE).register_model(hash, "".into(), u(1), ds),
        Err(DatasetAlreadyLinked { modelId: u(3) }.into())
    );
    assert_eq!(env.counts().0, u(3));
}

#[test]
fn register_dataset_records_contributor() {
    let mut env = Env::new();
    let id = env
        .as_(BOB)
        .register_dataset(B256::repeat_byte(3), "ipfs://d".into())
        .unwrap();
    assert_eq!(
        env.ledger.dataset_info(id).unwrap(),
        (BOB, B256::repeat_byte(3), U256::ZERO, 0, I256::ZERO)
    );
    assert_eq!(
        env.topics().last(),
        Some(&DatasetRegistered::SIGNATURE_HASH)
    );
    assert_eq!(
        env.ledger.dataset_info(u(2)),
        Err(UnknownDataset { id: u(2) }.into())
    );
}

// ---------------------------------------------------------------- opening sessions

#[test]
fn request_and_open_check_models_operator_and_bonds() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 1, 3, u(100)).unwrap();
    env.as_(GOV).set_validation(OP, u(40), u(1)).unwrap();
    let h = B256::repeat_byte(4);
    assert_eq!(
        env.as_(EVE).request_session(u(1), u(3)),
        Err(UnknownModel { id: u(3) }.into())
    );
    assert_eq!(
        env.as_(EVE).request_session(u(0), u(1)),
        Err(UnknownModel { id: u(0) }.into())
    );
    assert_eq!(
        env.as_(EVE).request_session(u(2), u(2)),
        Err(SameModel {}.into())
    );
    env.vm.set_value(u(99));
    assert_eq!(
        env.ledger.request_session(u(1), u(2)),
        Err(InsufficientBond {
            sent: u(99),
            required: u(100)
        }
        .into())
    );
    assert_eq!(env.counts().2, U256::ZERO);
    let id = env.request_as(EVE, 2, 1, u(100));
    assert_eq!(id, u(1));
    assert_eq!(env.topics().last(), Some(&SessionRequested::SIGNATURE_HASH));
    assert_eq!(
        env.ledger.session_info(id).unwrap(),
        (U256::ZERO, U256::ZERO, U256::ZERO)
    );
    // A request is not open: no commits, no finalization.
    env.power(V1, START - 1, 5);
    assert_eq!(env.commit(id, V1, &[0; 10]), Err(SessionClosed {}.into()));
    // Only the operator opens, with its bond.
    assert_eq!(
        env.as_(GOV).open_session(id, h),
        Err(NotOperator {
            caller: GOV,
            operator: OP
        }
        .into())
    );
    env.vm.set_sender(OP);
    env.vm.set_value(u(39));
    assert_eq!(
        env.ledger.open_session(id, h),
        Err(InsufficientBond {
            sent: u(39),
            required: u(40)
        }
        .into())
    );
    assert_eq!(
        env.as_(OP).open_session(u(2), h),
        Err(UnknownSession { id: u(2) }.into())
    );
    env.vm.set_value(u(40));
    env.at(START + 5).ledger.open_session(id, h).unwrap();
    assert_eq!(
        env.session(id),
        (
            u(2),
            u(1),
            OP,
            START + 4,
            START + 5 + DAY,
            START + 5 + 2 * DAY
        )
    );
    assert_eq!(
        env.ledger.session_info(id).unwrap(),
        (u(1), U256::ZERO, U256::ZERO)
    );
    assert_eq!(env.topics().last(), Some(&SessionOpened::SIGNATURE_HASH));
    assert_eq!(
        env.as_(OP).open_session(id, h),
        Err(SessionNotRequested {}.into())
    );
    assert_eq!(
        env.ledger.session_info(u(3)),
        Err(UnknownSession { id: u(3) }.into())
    );
    // No operator appointed: nobody opens.
    env.as_(GOV)
        .set_validation(Address::ZERO, U256::ZERO, u(1))
        .unwrap();
    let second = env.request_as(EVE, 1, 2, u(100));
    assert_eq!(
        env.as_(Address::ZERO).open_session(second, h),
        Err(NotOperator {
            caller: Address::ZERO,
            operator: Address::ZERO
        }
        .into())
    );
}

#[test]
fn model_owner_cannot_open_a_session_on_its_own_seed() {
    let mut env = Env::new();
    let h = keccak(SEED.as_slice());
    // ALICE owns model 1: she may request a session, not open it on a seed she chose.
    let id = env.request_as(ALICE, 1, 2, env.ledger.session_bond.get());
    assert_eq!(
        env.as_(ALICE).open_session(id, h),
        Err(NotOperator {
            caller: ALICE,
            operator: OP
        }
        .into())
    );
    // Not even when governance appoints her operator: she owns one of the two models.
    env.as_(GOV)
        .set_validation(ALICE, U256::ZERO, u(1))
        .unwrap();
    assert_eq!(
        env.as_(ALICE).open_session(id, h),
        Err(OperatorOwnsModel {}.into())
    );
    env.as_(GOV).set_validation(BOB, U256::ZERO, u(1)).unwrap();
    assert_eq!(
        env.as_(BOB).open_session(id, h),
        Err(OperatorOwnsModel {}.into())
    );
    assert_eq!(env.ledger.session_info(id).unwrap().0, U256::ZERO);
    // An operator owning neither model opens it.
    env.as_(GOV).set_validation(OP, U256::ZERO, u(1)).unwrap();
    env.as_(OP).open_session(id, h).unwrap();
    assert_eq!(env.ledger.session_info(id).unwrap().0, u(1));
}

#[test]
fn requester_withdraws_an_unanswered_request() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 1, 64, u(30)).unwrap();
    let id = env.request_as(ALICE, 1, 2, u(30));
    assert_eq!(
        env.as_(EVE).cancel_request(id),
        Err(NotRequester { requester: ALICE }.into())
    );
    assert_eq!(
        env.as_(ALICE).cancel_request(u(9)),
        Err(UnknownSession { id: u(9) }.into())
    );
    env.as_(ALICE).cancel_request(id).unwrap();
    assert_eq!(env.credit(ALICE), u(30));
    assert_eq!(env.ledger.session_info(id).unwrap().0, u(3));
    assert_eq!(env.topics().last(), Some(&SessionVoided::SIGNATURE_HASH));
    assert_eq!(
        env.as_(ALICE).cancel_request(id),
        Err(SessionNotRequested {}.into())
    );
    assert_eq!(
        env.as_(OP).open_session(id, SEED),
        Err(SessionNotRequested {}.into())
    );
    // An opened session can no longer be withdrawn.
    let open = env.open(1, 2);
    assert_eq!(
        env.as_(EVE).cancel_request(open),
        Err(SessionNotRequested {}.into())
    );
}

// ---------------------------------------------------------------- commit

#[test]
fn commit_requires_voting_power_at_snapshot() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    env.power(V1, START - 1, 0);
    assert_eq!(
        env.commit(id, V1, &[0; 10]),
        Err(NotValidator {
            snapshot: u(START - 1)
        }
        .into())
    );
    // The vault reverts.
    let data = getPastVotesCall {
        validator: V2,
        timepoint: u(START - 1),
    }
    .abi_encode();
    env.vm.mock_static_call(VAULT, data, Err(vec![]));
    assert_eq!(
        env.commit(id, V2, &[0; 10]),
        Err(VaultCallFailed { vault: VAULT }.into())
    );
    assert_eq!(env.ledger.session_info(id).unwrap().1, U256::ZERO);
    env.power(V1, START - 1, 10);
    env.commit(id, V1, &[0; 10]).unwrap();
    let (commitment, weight, revealed) = env.vote(id, V1);
    assert_eq!(weight, u(10));
    assert!(!revealed);
    assert_ne!(commitment, B256::ZERO);
    assert_eq!(env.topics().last(), Some(&VoteCommitted::SIGNATURE_HASH));
}

#[test]
fn double_commit_and_full_session_are_rejected() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 1, 2, U256::ZERO).unwrap();
    let id = env.open(1, 2);
    for v in [V1, V2, V3] {
        env.power(v, START - 1, 5);
    }
    env.commit(id, V1, &[0; 10]).unwrap();
    assert_eq!(
        env.commit(id, V1, &[1; 10]),
        Err(AlreadyCommitted {}.into())
    );
    env.commit(id, V2, &[0; 10]).unwrap();
    assert_eq!(
        env.commit(id, V3, &[0; 10]),
        Err(SessionFull { maxVoters: u(2) }.into())
    );
    assert_eq!(env.ledger.session_info(id).unwrap().1, u(2));
}

#[test]
fn dust_stake_below_the_minimum_cannot_commit() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_validation(OP, U256::ZERO, u(ONE as u64))
        .unwrap();
    let id = env.open(1, 2);
    env.power(V1, START - 1, 1);
    assert_eq!(
        env.commit(id, V1, &[0; 10]),
        Err(StakeBelowMinimum {
            weight: u(1),
            minimum: u(ONE as u64)
        }
        .into())
    );
    assert_eq!(env.ledger.session_info(id).unwrap().1, U256::ZERO);
    env.power(V2, START - 1, ONE as u64);
    env.commit(id, V2, &[0; 10]).unwrap();
    assert_eq!(env.ledger.session_info(id).unwrap().1, u(1));
}

#[test]
fn dust_commitments_cannot_block_a_heavier_validator() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 1, 3, U256::ZERO).unwrap();
    let id = env.open(1, 2);
    for (v, power) in [(V1, 5), (V2, 3), (V3, 3)] {
        env.power(v, START - 1, power);
        env.commit(id, v, &[0; 10]).unwrap();
    }
    // Not heavier than the lightest: full.
    env.power(EVE, START - 1, 3);
    assert_eq!(
        env.commit(id, EVE, &[1; 10]),
        Err(SessionFull { maxVoters: u(3) }.into())
    );
    // Heavier: takes the first of the lightest slots (V2's), V2's vote is gone.
    env.power(BOB, START - 1, 4);
    env.commit(id, BOB, &[1; 10]).unwrap();
    assert_eq!(env.ledger.session_info(id).unwrap().1, u(3));
    assert_eq!(env.vote(id, V2).1, U256::ZERO);
    assert_eq!(env.vote(id, BOB).1, u(4));
    assert!(env.topics().contains(&VoteDisplaced::SIGNATURE_HASH));
    // V2 cannot reveal a dropped vote; it may commit again if it is heavier than the lightest.
    env.at(START + DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    assert_eq!(env.reveal(id, V2, &[0; 10]), Err(NoCommitment {}.into()));
}

#[test]
fn commit_outside_window_or_unknown_session_fails() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    env.power(V1, START - 1, 5);
    assert_eq!(
        env.commit(u(2), V1, &[0; 10]),
        Err(UnknownSession { id: u(2) }.into())
    );
    env.at(START + DAY);
    assert_eq!(
        env.commit(id, V1, &[0; 10]),
        Err(OutsideWindow {
            time: u(START + DAY),
            start: u(START),
            end: u(START + DAY)
        }
        .into())
    );
    assert_eq!(env.vote(id, V1).1, U256::ZERO);
}

// ---------------------------------------------------------------- reveal

#[test]
fn seed_reveal_checks_window_hash_and_repeat() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    assert_eq!(
        env.as_(EVE).reveal_seed(id, SEED),
        Err(OutsideWindow {
            time: u(START),
            start: u(START + DAY),
            end: u(START + 2 * DAY)
        }
        .into())
    );
    env.at(START + DAY);
    assert_eq!(
        env.as_(EVE).reveal_seed(id, B256::ZERO),
        Err(SeedMismatch {}.into())
    );
    env.as_(EVE).reveal_seed(id, SEED).unwrap();
    assert_eq!(env.topics().last(), Some(&SeedRevealed::SIGNATURE_HASH));
    assert_eq!(
        env.as_(EVE).reveal_seed(id, SEED),
        Err(SeedAlreadyRevealed {}.into())
    );
    env.at(START + 2 * DAY);
    assert!(matches!(
        env.as_(EVE).reveal_seed(id, SEED),
        Err(Error::OutsideWindow(_))
    ));
}

#[test]
fn vote_reveal_rejects_every_bad_input() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    let results = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0];
    for v in [V1, V2] {
        env.power(v, START - 1, 5);
    }
    env.commit(id, V1, &results).unwrap();
    // V2 replays V1's commitment: the voter is in the hash, so V1's reveal cannot be reused.
    let copied = env.vote(id, V1).0;
    env.as_(V2).commit_vote(id, copied).unwrap();
    assert!(matches!(
        env.reveal(id, V1, &results),
        Err(Error::OutsideWindow(_))
    ));
    env.at(START + DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    assert_eq!(
        env.reveal(id, V1, &results[..9]),
        Err(WrongRoundCount {
            got: u(9),
            expected: u(10)
        }
        .into())
    );
    assert_eq!(
        env.reveal(id, V1, &[0; 11]),
        Err(WrongRoundCount {
            got: u(11),
            expected: u(10)
        }
        .into())
    );
    assert_eq!(
        env.reveal(id, V1, &[0, 0, 3, 0, 0, 0, 0, 0, 0, 0]),
        Err(InvalidOutcome {
            round: u(2),
            code: 3
        }
        .into())
    );
    assert_eq!(
        env.reveal(id, V1, &[2; 10]),
        Err(CommitmentMismatch {}.into())
    );
    assert_eq!(env.reveal(id, EVE, &results), Err(NoCommitment {}.into()));
    let replay = env.as_(V2).reveal_vote(id, results[..].into(), salt_of(V1));
    assert_eq!(replay, Err(CommitmentMismatch {}.into()));
    assert!(!env.vote(id, V2).2);
    env.reveal(id, V1, &results).unwrap();
    assert!(env.vote(id, V1).2);
    assert_eq!(env.topics().last(), Some(&VoteRevealed::SIGNATURE_HASH));
    assert_eq!(env.reveal(id, V1, &results), Err(AlreadyRevealed {}.into()));
    assert_eq!(env.ledger.session_info(id).unwrap().2, u(1));
    env.at(START + 2 * DAY);
    assert!(matches!(
        env.reveal(id, V2, &results),
        Err(Error::OutsideWindow(_))
    ));
}

#[test]
fn vote_reveal_before_the_seed_is_refused() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    env.power(V1, START - 1, 5);
    env.commit(id, V1, &[0; 10]).unwrap();
    env.at(START + DAY);
    assert_eq!(env.reveal(id, V1, &[0; 10]), Err(SeedNotRevealed {}.into()));
    assert!(!env.vote(id, V1).2);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    env.reveal(id, V1, &[0; 10]).unwrap();
    assert!(env.vote(id, V1).2);
}

// ---------------------------------------------------------------- finalization

#[test]
fn finalize_too_early_or_twice_fails() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    env.at(START + 2 * DAY - 1);
    assert_eq!(
        env.as_(EVE).finalize_session(id),
        Err(OutsideWindow {
            time: u(START + 2 * DAY - 1),
            start: u(START + 2 * DAY),
            end: u(u64::MAX)
        }
        .into())
    );
    assert_eq!(env.ledger.session_info(id).unwrap().0, u(1));
    env.at(START + 2 * DAY);
    env.as_(EVE).finalize_session(id).unwrap();
    assert_eq!(
        env.as_(EVE).finalize_session(id),
        Err(SessionClosed {}.into())
    );
    assert_eq!(
        env.as_(EVE).finalize_session(u(5)),
        Err(UnknownSession { id: u(5) }.into())
    );
    assert_eq!(env.commit(id, V1, &[0; 10]), Err(SessionClosed {}.into()));
}

#[test]
fn full_session_applies_ten_stake_weighted_rounds_and_stores_them() {
    let votes = [(V1, 30u64), (V2, 20), (V3, 10)];
    // Each voter's X/Y results for "model 1 wins every round" (V1, V2) or "model 2" (V3).
    let env = Env::new();
    let id = u(1);
    let plans = [
        all_won_by_seed(V1, 1),
        all_won_by_seed(V2, 1),
        all_won_by_seed(V3, 2),
    ];
    drop(env);
    let mut env = Env::new();
    let t0 = START;
    assert_eq!(env.open(1, 2), id);
    for (&(v, power), results) in votes.iter().zip(&plans) {
        env.power(v, t0 - 1, power);
        env.commit(id, v, results).unwrap();
    }
    env.at(t0 + DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    for (&(v, _), results) in votes.iter().zip(&plans) {
        env.reveal(id, v, results).unwrap();
    }
    env.at(t0 + 2 * DAY);
    env.as_(EVE).finalize_session(id).unwrap();

    // Ten rounds, each scored 50/60 of the stake for model 1: 8,333 basis points.
    let (mut r1, mut r2) = (INIT_RATING, INIT_RATING);
    for _ in 0..ROUNDS {
        elo::update_bps(&mut r1, &mut r2, 8_333);
    }
    assert_eq!((rating(&env, 1), rating(&env, 2)), (r1, r2));
    assert_eq!(rating(&env, 1) + rating(&env, 2), 2 * INIT_RATING);
    assert_eq!(env.model(1).5, u(10));
    assert_eq!(env.counts().3, u(10));
    assert_eq!(env.ledger.battle_records(), u(1));
    assert_eq!(env.ledger.session_info(id).unwrap(), (u(2), u(3), u(3)));
    // The stored record replays to the live ratings.
    let records = env.records();
    assert_eq!(records, vec![(1, 2, 8_333); ROUNDS]);
    let replayed = replay(&records, 3);
    assert_eq!((replayed[1], replayed[2]), (r1, r2));
    // Agreement: V1 and V2 (50 of 60 power) form the consensus; V3 dissents every round.
    assert_eq!(env.ledger.agreement_of(V1), (u(agreement::ONE), u(1)));
    assert_eq!(env.ledger.agreement_of(V3), (U256::ZERO, u(1)));
    let topics = env.topics();
    let count = |topic| topics.iter().filter(|t| **t == topic).count();
    assert_eq!(count(AgreementRecorded::SIGNATURE_HASH), 3);
    assert_eq!(count(LowAgreement::SIGNATURE_HASH), 1);
    assert_eq!(topics.last(), Some(&SessionFinalized::SIGNATURE_HASH));
}

#[test]
fn one_validator_session_is_fastchat_compute_elo_over_its_ten_battles() {
    let mut env = Env::new();
    let results = [0, 1, 2, 2, 0, 0, 1, 0, 2, 0];
    env.run_session(1, 2, &[(V1, 7, results)]);
    // V1's X/Y results in A/B terms: X is model 2 when x_is_b.
    let swap = x_is_b(&SEED.0, V1, keccak);
    let battles: Vec<(usize, usize, Outcome)> = results
        .iter()
        .map(|&code| {
            let o = Outcome::from_code(code).unwrap();
            (1, 2, if swap { o.swapped() } else { o })
        })
        .collect();
    let fixed = crate::elo::tests::compute_elo_fixed(&battles, 3);
    assert_eq!((rating(&env, 1), rating(&env, 2)), (fixed[1], fixed[2]));
    let reference = crate::elo::tests::compute_elo_f64(&battles, 3);
    for (id, want) in reference.iter().enumerate().skip(1) {
        let got = crate::elo::tests::to_f64(rating(&env, id as u64));
        assert!((got - want).abs() < 1e-9, "{got} vs {want}");
    }
}

/// Results in X/Y terms that mean "model `winner` (of 1 and 2) won every round" for `voter`
/// in a session between models 1 and 2 under `SEED`.
fn all_won_by_seed(voter: Address, winner: u64) -> [u8; 10] {
    let x = if x_is_b(&SEED.0, voter, keccak) { 2 } else { 1 };
    [if x == winner { 0 } else { 1 }; 10]
}

/// A model owner's Sybil attack on one session between models 1 and 2: 64 validators of
/// `sybil_power` each (none if `sybils` is false) fill every slot first and vote model 1 up
/// every round; then V1, V2 and V3 with `honest_power` each commit (displacing the lightest)
/// and vote model 2 up. Returns model 1's rating after the session and the Sybils' share of
/// the revealed stake (in 1e18).
fn sybil_session(env: &mut Env, sybils: bool, sybil_power: u64, honest_power: u64) -> (i128, u128) {
    let t0 = env.vm.block_timestamp();
    let id = env.open(1, 2);
    let sybil_addresses: Vec<Address> = if sybils {
        (0..64u8)
            .map(|i| Address::with_last_byte(0x40 + i))
            .collect()
    } else {
        Vec::new()
    };
    let mut plans = Vec::new();
    for &v in &sybil_addresses {
        env.power(v, t0 - 1, sybil_power);
        let plan = all_won_by_seed(v, 1);
        env.commit(id, v, &plan).unwrap();
        plans.push((v, plan));
    }
    if sybils {
        // Every slot is taken by the attacker.
        assert_eq!(env.ledger.session_info(id).unwrap().1, u(64));
    }
    for v in [V1, V2, V3] {
        env.power(v, t0 - 1, honest_power);
        let plan = all_won_by_seed(v, 2);
        // Honest validators can always commit: each displaces a lighter Sybil.
        env.commit(id, v, &plan).unwrap();
        plans.push((v, plan));
    }
    env.at(t0 + DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    let mut sybil_stake = 0u128;
    let mut total = 0u128;
    for (v, plan) in plans {
        // Displaced Sybils have no vote left to reveal.
        if env.reveal(id, v, &plan).is_ok() {
            let power = if [V1, V2, V3].contains(&v) {
                honest_power
            } else {
                sybil_stake += u128::from(sybil_power);
                sybil_power
            };
            total += u128::from(power);
        }
    }
    env.at(t0 + 2 * DAY);
    env.as_(EVE).finalize_session(id).unwrap();
    env.at(t0 + 2 * DAY + 1);
    (rating(env, 1), sybil_stake * ONE as u128 / total)
}

#[test]
fn sybil_validators_move_ratings_by_at_most_their_stake_share() {
    // The Sybils hold real stake: 64 x 100 against three honest validators of 1,000.
    let (honest, _) = sybil_session(&mut Env::new(), false, 100, 1_000);
    let (attacked, share) = sybil_session(&mut Env::new(), true, 100, 1_000);
    // 61 Sybils remain after three were displaced: share 6,100 / 9,100.
    assert_eq!(share, 6_100 * ONE as u128 / 9_100);
    // Each round's score moves by at most the share (plus half a basis point of rounding),
    // so the session moves model 1 by at most 10 * K * share points (plus the second-order
    // drift of the expected score, well under 1%).
    let moved = (attacked - honest) as u128;
    let bound = ROUNDS as u128 * 4 * (share + ONE as u128 / 20_000) * 101 / 100;
    assert!(moved <= bound, "moved {moved} > bound {bound}");
    assert!(moved > 0, "the Sybils' real stake does count");
}

#[test]
fn dust_sybils_filling_every_slot_cannot_move_ratings() {
    // 64 Sybils of 1 wei each against three honest validators of one token, three sessions in
    // a row: the Sybils' share is ~2e-17, and model 1 loses exactly as without them (one vote
    // per battle used to give the Sybils 640 updates per session and an unbounded climb).
    let mut with = Env::new();
    let mut without = Env::new();
    let mut last = INIT_RATING;
    for _ in 0..3 {
        let (attacked, share) = sybil_session(&mut with, true, 1, ONE as u64);
        let (honest, _) = sybil_session(&mut without, false, 1, ONE as u64);
        assert!(share < 100, "share {share}");
        assert_eq!(attacked, honest);
        assert!(attacked < last, "model 1 keeps losing: {attacked}");
        last = attacked;
    }
    // And with the default minimum stake of one token, 1-wei Sybils cannot even commit.
    let mut env = Env::with_defaults();
    let minimum = U256::from(DEFAULT_BONDS_AND_STAKE[2]);
    env.as_(GOV)
        .set_validation(OP, U256::ZERO, minimum)
        .unwrap();
    let id = env.open(1, 2);
    let sybil = Address::with_last_byte(0x40);
    env.power(sybil, START - 1, 1);
    assert_eq!(
        env.commit(id, sybil, &[0; 10]),
        Err(StakeBelowMinimum {
            weight: u(1),
            minimum
        }
        .into())
    );
}

#[test]
fn x_y_assignment_depends_on_seed_and_voter() {
    let mut env = Env::new();
    let id = env.open(1, 2);
    env.at(START + DAY);
    env.as_(EVE).reveal_seed(id, SEED).unwrap();
    let voters: Vec<Address> = (1..=32u8).map(Address::repeat_byte).collect();
    let swapped = voters
        .iter()
        .filter(|v| env.models_for(id, **v) == (u(2), u(1)))
        .count();
    assert!(
        swapped > 4 && swapped < 28,
        "both assignments occur: {swapped}"
    );
    for v in voters {
        let (x, y) = env.models_for(id, v);
        assert_ne!(x, y);
        assert_eq!(x == u(2), x_is_b(&SEED.0, v, keccak));
    }
}

#[test]
fn non_revealer_is_penalised_and_too_few_reveals_void() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 2, 64, U256::ZERO).unwrap();
    let id = env.open(1, 2);
    for v in [V1, V2] {
        env.power(v, START - 1, 5);
        env.commit(id, v, &[0; 10]).unwrap();
    }
    env.at(START + DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    env.reveal(id, V1, &[0; 10]).unwrap();
    env.at(START + 2 * DAY);
    env.as_(EVE).finalize_session(id).unwrap();
    assert_eq!(env.ledger.session_info(id).unwrap().0, u(3));
    assert_eq!(rating(&env, 1), INIT_RATING);
    assert_eq!(env.counts().3, U256::ZERO);
    assert_eq!(env.topics().last(), Some(&SessionVoided::SIGNATURE_HASH));
    // V2 caused the void: committed, never revealed, agreement sample zero.
    assert_eq!(
        env.ledger.validator_record(V2, U256::ZERO).unwrap(),
        (u(1), U256::ZERO, U256::ZERO, u(1))
    );

    // With one reveal required, the same session applies only V1's vote, and V2, which had
    // agreed fully before, loses agreement for not revealing.
    let mut env = Env::new();
    env.run_session(1, 2, &[(V1, 5, [0; 10]), (V2, 5, [0; 10])]);
    assert_eq!(env.ledger.agreement_of(V2), (u(agreement::ONE), u(1)));
    env.at(START + 3 * DAY);
    let id = env.open(1, 2);
    for v in [V1, V2] {
        env.power(v, START + 3 * DAY - 1, 5);
        env.commit(id, v, &[0; 10]).unwrap();
    }
    env.at(START + 4 * DAY);
    env.as_(OP).reveal_seed(id, SEED).unwrap();
    env.reveal(id, V1, &[0; 10]).unwrap();
    env.at(START + 5 * DAY);
    env.as_(EVE).finalize_session(id).unwrap();
    assert_eq!(env.counts().3, u(20));
    let (average, samples) = env.ledger.agreement_of(V2);
    assert_eq!((average, samples), (u(agreement::ONE * 8 / 10), u(2)));
    assert_eq!(
        env.ledger.validator_record(V2, U256::ZERO).unwrap(),
        (u(2), u(1), average, u(2))
    );
    assert_eq!(
        env.ledger.validator_record(V1, U256::ZERO).unwrap(),
        (u(2), u(2), u(agreement::ONE), u(2))
    );
}

#[test]
fn withheld_seed_forfeits_the_default_operator_bond() {
    // Constructor defaults: a non-zero operator bond.
    let mut env = Env::with_defaults();
    let (_, operator_bond, _) = env.ledger.validation();
    assert!(!operator_bond.is_zero());
    env.as_(GOV)
        .set_validation(OP, operator_bond, u(1))
        .unwrap();
    let request_bond = env.ledger.session_bond.get();
    let withheld = env.open(1, 2);
    let revealed = env.open(1, 2);
    env.power(V1, START - 1, 5);
    env.commit(withheld, V1, &[2; 10]).unwrap();
    env.commit(revealed, V1, &[2; 10]).unwrap();
    env.at(START + DAY);
    env.as_(OP).reveal_seed(revealed, SEED).unwrap();
    env.reveal(revealed, V1, &[2; 10]).unwrap();
    env.at(START + 2 * DAY);
    env.as_(EVE).finalize_session(withheld).unwrap();
    assert_eq!(env.topics().last(), Some(&SessionVoided::SIGNATURE_HASH));
    // The withheld seed: the operator's bond goes to governance, the requester's comes back,
    // and the committed validator is not blamed.
    assert_eq!(env.credit(GOV), operator_bond);
    assert_eq!(env.credit(OP), U256::ZERO);
    assert_eq!(env.credit(EVE), request_bond);
    assert_eq!(env.ledger.agreement_of(V1), (U256::ZERO, U256::ZERO));
    env.as_(EVE).finalize_session(revealed).unwrap();
    assert_eq!(env.credit(OP), operator_bond);
    assert_eq!(env.credit(EVE), request_bond * u(2));
    assert_eq!(env.credit(GOV), operator_bond);
}

#[test]
fn bonds_are_withdrawable_once() {
    let mut env = Env::new();
    env.ledger.credits.setter(ALICE).set(u(70));
    assert_eq!(
        env.as_(BOB).withdraw_bond(),
        Err(NothingToWithdraw {}.into())
    );
    // A failing transfer reverts the whole call (state unchanged).
    env.vm.mock_call(ALICE, vec![], u(70), Err(vec![]));
    assert_eq!(
        env.as_(ALICE).withdraw_bond(),
        Err(TransferFailed {}.into())
    );
    env.vm.mock_call(ALICE, vec![], u(70), Ok(vec![]));
    // (TestVM does not roll back storage on Err, so restore what a revert would have kept.)
    env.ledger.credits.setter(ALICE).set(u(70));
    env.ledger.guard.exit();
    env.as_(ALICE).withdraw_bond().unwrap();
    assert_eq!(env.credit(ALICE), U256::ZERO);
    assert!(env.topics().contains(&BondWithdrawn::SIGNATURE_HASH));
    assert_eq!(
        env.as_(ALICE).withdraw_bond(),
        Err(NothingToWithdraw {}.into())
    );
}

#[test]
fn withdraw_is_guarded_against_reentry() {
    let mut env = Env::new();
    env.ledger.credits.setter(ALICE).set(u(5));
    env.ledger.guard.enter::<Error>().unwrap();
    assert_eq!(env.as_(ALICE).withdraw_bond(), Err(ReentrantCall {}.into()));
    assert_eq!(env.credit(ALICE), u(5));
}

// ---------------------------------------------------------------- datasets

#[test]
fn dataset_is_judged_by_impact_after_min_games() {
    let mut env = Env::new();
    env.set_scoring(GOV, 20, to_int256(ONE), 2_000, agreement::ONE / 2, 1)
        .unwrap();
    let good = env
        .as_(EVE)
        .register_dataset(B256::repeat_byte(5), "good".into())
        .unwrap();
    let bad = env
        .as_(EVE)
        .register_dataset(B256::repeat_byte(6), "bad".into())
        .unwrap();
    assert_eq!(
        env.as_(EVE).finalize_dataset(good),
        Err(DatasetHasNoModel {}.into())
    );
    assert_eq!(
        env.as_(EVE).finalize_dataset(u(3)),
        Err(UnknownDataset { id: u(3) }.into())
    );
    env.as_(EVE)
        .register_model(B256::ZERO, "".into(), u(1), good)
        .unwrap(); // id 3
    env.as_(EVE)
        .register_model(B256::ZERO, "".into(), u(1), bad)
        .unwrap(); // id 4
    assert_eq!(
        env.as_(EVE).finalize_dataset(good),
        Err(NotEnoughGames {
            games: U256::ZERO,
            minGames: u(20)
        }
        .into())
    );
    // 3 beats its parent 1 twice; 4 loses to 1 twice (ten rounds each).
    let x_is_a = !x_is_b(&SEED.0, V1, keccak);
    let a_wins = [if x_is_a { 0 } else { 1 }; 10];
    for (round, (winner, loser)) in [(3u64, 1u64), (3, 1), (1, 4), (1, 4)]
        .into_iter()
        .enumerate()
    {
        env.run_session(winner, loser, &[(V1, 5, a_wins)]);
        if round == 0 {
            assert_eq!(
                env.as_(EVE).finalize_dataset(good),
                Err(NotEnoughGames {
                    games: u(10),
                    minGames: u(20)
                }
                .into())
            );
            assert_eq!(env.ledger.dataset_info(good).unwrap().3, 0);
        }
    }
    assert_eq!(env.model(3).5, u(20));
    env.as_(EVE).finalize_dataset(good).unwrap();
    let (_, _, model, status, impact) = env.ledger.dataset_info(good).unwrap();
    assert_eq!((model, status), (u(3), 1));
    assert_eq!(
        from_int256(impact).unwrap(),
        rating(&env, 3) - rating(&env, 1)
    );
    assert!(from_int256(impact).unwrap() > ONE);
    assert_eq!(env.topics().last(), Some(&DatasetFinalized::SIGNATURE_HASH));
    env.as_(EVE).finalize_dataset(bad).unwrap();
    let (_, _, _, status, impact) = env.ledger.dataset_info(bad).unwrap();
    assert_eq!(status, 2);
    assert!(from_int256(impact).unwrap() < 0);
    assert_eq!(
        env.as_(EVE).finalize_dataset(good),
        Err(DatasetAlreadyFinalized {}.into())
    );
}

// ---------------------------------------------------------------- champion, leaderboard, bootstrap

/// Model 1 beats model 2 in `sessions` sessions of one voter.
fn model_one_dominates(env: &mut Env, sessions: usize) {
    for _ in 0..sessions {
        let x_is_one = !x_is_b(&SEED.0, V1, keccak);
        let results = [if x_is_one { 0 } else { 1 }; 10];
        env.run_session(1, 2, &[(V1, 5, results)]);
    }
}

#[test]
fn upgrade_model_is_governed_and_gated_by_default() {
    let mut env = Env::new();
    let now = |env: &Env| env.ledger.battle_records();
    assert!(matches!(
        env.as_(EVE).upgrade_model(u(1), U256::ZERO),
        Err(Error::Unauthorized(_))
    ));
    assert_eq!(
        env.as_(GOV).upgrade_model(u(3), U256::ZERO),
        Err(UnknownModel { id: u(3) }.into())
    );
    // No champion yet: no gate.
    env.as_(GOV).upgrade_model(u(2), U256::ZERO).unwrap();
    assert_eq!(env.ledger.champion_model(), u(2));
    assert_eq!(env.topics().last(), Some(&ChampionChanged::SIGNATURE_HASH));
    assert_eq!(
        env.as_(GOV).upgrade_model(u(2), U256::ZERO),
        Err(AlreadyChampion {}.into())
    );
    // The gate is on with the defaults: without battles the candidate does not beat the
    // champion's interval.
    assert_eq!(
        env.as_(GOV).upgrade_model(u(1), U256::ZERO),
        Err(BootstrapNotBeaten {
            candidateLower: to_int256(INIT_RATING),
            championUpper: to_int256(INIT_RATING)
        }
        .into())
    );
    assert_eq!(env.ledger.champion_model(), u(2));
    model_one_dominates(&mut env, 3);
    let cutoff = now(&env);
    env.as_(GOV).upgrade_model(u(1), cutoff).unwrap();
    assert_eq!(env.ledger.champion_model(), u(1));
    // And the loser cannot come back.
    assert!(matches!(
        env.as_(GOV).upgrade_model(u(2), cutoff),
        Err(Error::BootstrapNotBeaten(_))
    ));
}

#[test]
fn upgrade_cutoff_beyond_the_stored_records_is_refused() {
    let mut env = Env::new();
    env.as_(GOV).upgrade_model(u(2), U256::ZERO).unwrap();
    model_one_dominates(&mut env, 1);
    for cutoff in [u(2), U256::MAX] {
        assert_eq!(
            env.as_(GOV).upgrade_model(u(1), cutoff),
            Err(CutoffAhead {
                cutoff,
                records: u(1)
            }
            .into())
        );
    }
    assert_eq!(env.ledger.champion_model(), u(2));
}

#[test]
fn battles_added_after_the_proposal_cannot_steer_the_gate() {
    let mut env = Env::new();
    env.as_(GOV).upgrade_model(u(2), U256::ZERO).unwrap();
    model_one_dominates(&mut env, 3);
    // The proposal fixes the cutoff (3 records) ...
    let cutoff = env.ledger.battle_records();
    // ... then sessions where model 2 wins are finalized before execution (the old gate
    // resampled every stored battle with a seed from their count: the executor could add
    // battles until the verdict flipped).
    let x_is_one = !x_is_b(&SEED.0, V1, keccak);
    let two_wins = [if x_is_one { 1 } else { 0 }; 10];
    for _ in 0..8 {
        env.run_session(1, 2, &[(V1, 5, two_wins)]);
    }
    let latest = env.ledger.battle_records();
    assert!(matches!(
        env.as_(GOV).upgrade_model(u(1), latest),
        Err(Error::BootstrapNotBeaten(_))
    ));
    // The verdict over the proposal's records stands.
    env.as_(GOV).upgrade_model(u(1), cutoff).unwrap();
    assert_eq!(env.ledger.champion_model(), u(1));
}

#[test]
fn upgrade_gate_resamples_only_a_bounded_recent_window() {
    let mut env = Env::new();
    for _ in 0..2 {
        env.as_(EVE)
            .register_model(B256::ZERO, "".into(), U256::ZERO, U256::ZERO)
            .unwrap();
    }
    env.as_(GOV).upgrade_model(u(2), U256::ZERO).unwrap();
    model_one_dominates(&mut env, 4);
    let early = env.ledger.battle_records();
    // A full window of sessions between models 3 and 4 (and model 1 against 3: not
    // head-to-head with the champion) pushes the two models' battles out of it.
    env.run_session(1, 3, &[(V1, 5, [0; 10])]);
    for _ in 1..UPGRADE_WINDOW {
        env.run_session(3, 4, &[(V1, 5, [2; 10])]);
    }
    let late = env.ledger.battle_records();
    assert_eq!(late, early + u(UPGRADE_WINDOW));
    assert_eq!(
        env.as_(GOV).upgrade_model(u(1), late),
        Err(BootstrapNotBeaten {
            candidateLower: to_int256(INIT_RATING),
            championUpper: to_int256(INIT_RATING)
        }
        .into())
    );
    // The gate's work is bounded by the window: the two models' 40 battles before `early`.
    let bounds = env.ledger.upgrade_bounds(1, 2, early.to());
    assert!(bounds[0][0] > bounds[1][2]);
    env.as_(GOV).upgrade_model(u(1), early).unwrap();
}

#[test]
fn top_models_sorts_by_rating_then_id() {
    let mut env = Env::new();
    env.as_(EVE)
        .register_model(B256::ZERO, "".into(), U256::ZERO, U256::ZERO)
        .unwrap();
    model_one_dominates(&mut env, 1);
    let (ids, ratings, games) = env.ledger.top_models(u(10));
    assert_eq!(ids, vec![u(1), u(3), u(2)]);
    assert_eq!(ratings[1], to_int256(INIT_RATING));
    assert!(ratings[0] > ratings[1] && ratings[1] > ratings[2]);
    assert_eq!(ratings[0], env.ledger.rating_of(u(1)).unwrap());
    assert_eq!(games, vec![u(10), U256::ZERO, u(10)]);
    let (ids, _, _) = env.ledger.top_models(u(1));
    assert_eq!(ids, vec![u(1)]);
    assert_eq!(env.ledger.top_models(U256::ZERO).0, Vec::<U256>::new());
    assert_eq!(env.ledger.top_models(U256::MAX).0.len(), 3);
}

#[test]
fn upgrade_gate_view_reports_what_the_upgrade_compares() {
    let mut env = Env::new();
    let initial = to_int256(INIT_RATING);
    assert_eq!(
        env.ledger.upgrade_gate(u(1), U256::ZERO),
        Ok((initial, initial))
    );
    env.as_(GOV).upgrade_model(u(2), U256::ZERO).unwrap();
    model_one_dominates(&mut env, 2);
    let cutoff = env.ledger.battle_records();
    let (lower, upper) = env.ledger.upgrade_gate(u(1), cutoff).unwrap();
    let bounds = env.ledger.upgrade_bounds(1, 2, 2);
    assert_eq!(
        (lower, upper),
        (to_int256(bounds[0][0]), to_int256(bounds[1][2]))
    );
    assert!(lower > upper, "a clear winner separates");
    for b in &bounds {
        assert!(b[0] <= b[1] && b[1] <= b[2]);
    }
    // Deterministic for a cutoff.
    assert_eq!(env.ledger.upgrade_gate(u(1), cutoff), Ok((lower, upper)));
    assert_eq!(
        env.ledger.upgrade_gate(u(9), cutoff),
        Err(UnknownModel { id: u(9) }.into())
    );
    assert_eq!(
        env.ledger.upgrade_gate(u(1), u(3)),
        Err(CutoffAhead {
            cutoff: u(3),
            records: u(2)
        }
        .into())
    );
}

#[test]
fn int256_conversions_round_trip() {
    for x in [0i128, 1, -1, i128::MAX, i128::MIN, 1000 * ONE, -37 * ONE] {
        assert_eq!(from_int256(to_int256(x)), Some(x));
        assert_eq!(to_int256(x), I256::try_from(x).unwrap());
    }
    assert_eq!(from_int256(I256::MAX), None);
    assert_eq!(from_int256(I256::MIN), None);
}

// ---------------------------------------------------------------- encodings

#[test]
fn every_error_encodes_like_its_sol_error() {
    let (a, b) = (Address::repeat_byte(0x3c), Address::repeat_byte(0xc3));
    let (x, y, z) = (u(0x1234_5678), U256::MAX - u(9), u(1) << 200);
    let neg = to_int256(-17 * ONE);
    let errors: Vec<Error> = vec![
        Unauthorized {
            caller: a,
            required: b,
        }
        .into(),
        ZeroAddress {}.into(),
        NotPendingGovernance {
            caller: a,
            pending: b,
        }
        .into(),
        ReentrantCall {}.into(),
        UnknownModel { id: x }.into(),
        UnknownDataset { id: y }.into(),
        UnknownSession { id: z }.into(),
        RegistryFull {}.into(),
        DatasetWithoutParent {}.into(),
        NotDatasetContributor { contributor: b }.into(),
        DatasetAlreadyLinked { modelId: y }.into(),
        SameModel {}.into(),
        NotOperator {
            caller: a,
            operator: b,
        }
        .into(),
        OperatorOwnsModel {}.into(),
        SessionNotRequested {}.into(),
        NotRequester { requester: a }.into(),
        StakeBelowMinimum {
            weight: x,
            minimum: y,
        }
        .into(),
        SeedNotRevealed {}.into(),
        CutoffAhead {
            cutoff: z,
            records: x,
        }
        .into(),
        FutureLookup {
            timepoint: y,
            now: x,
        }
        .into(),
        InsufficientBond {
            sent: x,
            required: y,
        }
        .into(),
        OutsideWindow {
            time: x,
            start: y,
            end: z,
        }
        .into(),
        SessionClosed {}.into(),
        SessionFull { maxVoters: x }.into(),
        NotValidator { snapshot: z }.into(),
        VaultCallFailed { vault: b }.into(),
        AlreadyCommitted {}.into(),
        NoCommitment {}.into(),
        AlreadyRevealed {}.into(),
        CommitmentMismatch {}.into(),
        WrongRoundCount {
            got: x,
            expected: y,
        }
        .into(),
        InvalidOutcome {
            round: z,
            code: 0xfe,
        }
        .into(),
        SeedMismatch {}.into(),
        SeedAlreadyRevealed {}.into(),
        NotEnoughGames {
            games: x,
            minGames: z,
        }
        .into(),
        DatasetHasNoModel {}.into(),
        DatasetAlreadyFinalized {}.into(),
        AlreadyChampion {}.into(),
        BootstrapNotBeaten {
            candidateLower: neg,
            championUpper: to_int256(3 * ONE),
        }
        .into(),
        ParameterOutOfRange { position: 9 }.into(),
        NothingToWithdraw {}.into(),
        TransferFailed {}.into(),
        NotDelegated {}.into(),
    ];
    let mut selectors = std::collections::HashSet::new();
    for error in errors {
        let reference = error.abi_encode_reference();
        assert_eq!(Vec::<u8>::from(error.clone()), reference, "{error:?}");
        assert!(selectors.insert(reference[..4].to_vec()), "{error:?}");
    }
    assert_eq!(selectors.len(), 43, "one sample per variant");
}

/// Decodes `log` as event `E` and checks that the SDK's own encoding of the decoded value gives
/// the same log bytes; `None` when the log is not an `E`.
fn decode_exact<E: SolEvent>(log: &(Vec<B256>, Vec<u8>)) -> Option<E> {
    if log.0.first() != Some(&E::SIGNATURE_HASH) {
        return None;
    }
    let decoded = E::decode_raw_log(log.0.clone(), &log.1).expect("log decodes as its event");
    let reference = TestVM::default();
    reference.log(E::decode_raw_log(log.0.clone(), &log.1).unwrap());
    assert_eq!(
        reference.get_emitted_logs(),
        vec![log.clone()],
        "re-encoding differs"
    );
    Some(decoded)
}

#[test]
fn every_log_decodes_as_its_sol_event() {
    let mut env = Env::new();
    env.set_session(GOV, DAY, DAY, 1, 64, u(40)).unwrap();
    let data = env
        .as_(EVE)
        .register_dataset(
            B256::repeat_byte(7),
            "ipfs://data-with-a-longer-uri-than-32-bytes".into(),
        )
        .unwrap();
    let tuned = env
        .as_(EVE)
        .register_model(B256::repeat_byte(8), "m".into(), u(1), data)
        .unwrap();
    env.as_(GOV).upgrade_model(u(1), U256::ZERO).unwrap();
    // A finalized session with a dissenting validator, then a void one.
    env.run_session(
        1,
        tuned.to(),
        &[(V1, 50, [0; 10]), (V2, 30, [0; 10]), (V3, 10, [1; 10])],
    );
    let t = env.vm.block_timestamp();
    env.as_(GOV).set_validation(OP, u(40), u(1)).unwrap();
    let void = env.open(1, 2);
    env.at(t + 3 * DAY);
    env.as_(EVE).finalize_session(void).unwrap();
    env.set_scoring(GOV, 1, I256::ZERO, 2_000, agreement::ONE / 2, 1)
        .unwrap();
    env.as_(EVE).finalize_dataset(data).unwrap();
    env.as_(GOV).withdraw_bond().unwrap();

    let logs = env.vm.get_emitted_logs();
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for log in &logs {
        let name = if let Some(e) = decode_exact::<ModelRegistered>(log) {
            assert!(e.id == u(1) || e.id == u(2) || e.id == tuned);
            "ModelRegistered"
        } else if let Some(e) = decode_exact::<DatasetRegistered>(log) {
            assert_eq!((e.id, e.contributor), (data, EVE));
            assert_eq!(e.uri, "ipfs://data-with-a-longer-uri-than-32-bytes");
            "DatasetRegistered"
        } else if let Some(e) = decode_exact::<ChampionChanged>(log) {
            assert_eq!((e.previous, e.current), (U256::ZERO, u(1)));
            "ChampionChanged"
        } else if let Some(e) = decode_exact::<SessionRequested>(log) {
            assert_eq!((e.requester, e.modelA, e.bond), (EVE, u(1), u(40)));
            "SessionRequested"
        } else if let Some(e) = decode_exact::<SessionOpened>(log) {
            assert_eq!(e.operator, OP);
            assert_eq!(e.revealEnd - e.commitEnd, u(DAY));
            "SessionOpened"
        } else if let Some(e) = decode_exact::<ValidationUpdated>(log) {
            assert!(e.operator == OP || e.operator.is_zero());
            "ValidationUpdated"
        } else if let Some(e) = decode_exact::<VoteDisplaced>(log) {
            assert_ne!(e.voter, e.by);
            "VoteDisplaced"
        } else if let Some(e) = decode_exact::<VoteCommitted>(log) {
            assert!(e.weight == u(50) || e.weight == u(30) || e.weight == u(10));
            "VoteCommitted"
        } else if let Some(e) = decode_exact::<SeedRevealed>(log) {
            assert_eq!(e.seed, SEED);
            "SeedRevealed"
        } else if let Some(e) = decode_exact::<VoteRevealed>(log) {
            assert_eq!(e.results.len(), 10);
            "VoteRevealed"
        } else if let Some(e) = decode_exact::<SessionFinalized>(log) {
            assert_eq!(e.reveals, u(3));
            assert_eq!(e.ratingA, to_int256(rating(&env, 1)));
            assert_eq!(e.ratingB, to_int256(rating(&env, tuned.to())));
            "SessionFinalized"
        } else if let Some(e) = decode_exact::<SessionVoided>(log) {
            assert_eq!((e.sessionId, e.reason), (void, 1));
            "SessionVoided"
        } else if let Some(e) = decode_exact::<AgreementRecorded>(log) {
            let want = if e.validator == V3 { 0 } else { agreement::ONE };
            assert_eq!(e.agreement, u(want));
            "AgreementRecorded"
        } else if let Some(e) = decode_exact::<LowAgreement>(log) {
            assert_eq!((e.validator, e.threshold), (V3, u(agreement::ONE / 2)));
            "LowAgreement"
        } else if let Some(e) = decode_exact::<DatasetFinalized>(log) {
            assert_eq!((e.datasetId, e.modelId), (data, tuned));
            assert_eq!(
                e.impact,
                to_int256(rating(&env, tuned.to()) - rating(&env, 1))
            );
            assert!(e.accepted, "the tuned model won every majority round");
            "DatasetFinalized"
        } else if let Some(e) = decode_exact::<BondCredited>(log) {
            assert!(e.account == GOV || e.account == EVE);
            assert_eq!(e.amount, u(40));
            "BondCredited"
        } else if let Some(e) = decode_exact::<BondWithdrawn>(log) {
            assert_eq!((e.account, e.amount), (GOV, u(40)));
            "BondWithdrawn"
        } else if let Some(e) = decode_exact::<ParamsUpdated>(log) {
            assert!(e.minGames == u(100) || e.minGames == u(1));
            assert!(e.sessionBond == u(DEFAULT_BONDS_AND_STAKE[0]) || e.sessionBond == u(40));
            "ParamsUpdated"
        } else if let Some(e) = decode_exact::<agentdao_common::errors::GovernanceTransferred>(log)
        {
            assert_eq!((e.previous, e.current), (Address::ZERO, GOV));
            "GovernanceTransferred"
        } else {
            "other"
        };
        *seen.entry(name).or_default() += 1;
    }
    let expected = [
        ("ModelRegistered", 3),
        ("DatasetRegistered", 1),
        ("ChampionChanged", 1),
        ("SessionRequested", 2),
        ("SessionOpened", 2),
        ("ValidationUpdated", 3),
        ("VoteCommitted", 3),
        ("SeedRevealed", 1),
        ("VoteRevealed", 3),
        ("SessionFinalized", 1),
        ("SessionVoided", 1),
        ("AgreementRecorded", 3),
        ("LowAgreement", 1),
        ("DatasetFinalized", 1),
        ("BondCredited", 3),
        ("BondWithdrawn", 1),
        ("ParamsUpdated", 3),
        ("GovernanceTransferred", 1),
    ];
    for (name, count) in expected {
        assert_eq!(seen.get(name), Some(&count), "{name}: {seen:?}");
    }
    assert_eq!(seen.get("other"), None, "unexpected logs: {seen:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whole sessions with random votes keep the sum of ratings and replay to the live state.
    #[test]
    fn sessions_preserve_rating_sum_and_replay(
        sessions in prop::collection::vec(
            (0u64..3, 1u64..3, prop::collection::vec((1u64..100, prop::array::uniform10(0u8..3)), 1..4)),
            1..4,
        )
    ) {
        let mut env = Env::new();
        env.as_(EVE).register_model(B256::ZERO, "".into(), U256::ZERO, U256::ZERO).unwrap();
        for (first, offset, votes) in sessions {
            let a = first + 1;
            let b = (first + offset) % 3 + 1;
            let votes: Vec<(Address, u64, [u8; 10])> = votes
                .into_iter()
                .enumerate()
                .map(|(i, (power, results))| (Address::repeat_byte(i as u8 + 1), power, results))
                .collect();
            env.run_session(a, b, &votes);
            let t = env.vm.block_timestamp();
            env.at(t + 1);
        }
        let sum: i128 = (1..=3).map(|id| rating(&env, id)).sum();
        prop_assert_eq!(sum, 3 * INIT_RATING);
        let replayed = replay(&env.records(), 4);
        for id in 1..=3u64 {
            prop_assert_eq!(replayed[id as usize], rating(&env, id));
            let games: u64 = env.model(id).5.to();
            prop_assert!((rating(&env, id) - INIT_RATING).abs() <= 4 * ONE * i128::from(games));
        }
    }
}

#[test]
fn validator_record_is_checkpointed_for_past_lookups() {
    let mut env = Env::new();
    env.run_session(1, 2, &[(V1, 5, [0; 10])]);
    let first = env.vm.block_timestamp();
    env.at(first + DAY);
    env.run_session(1, 2, &[(V1, 5, [0; 10]), (V2, 5, [1; 10])]);
    let second = env.vm.block_timestamp();
    env.at(second + 10);
    let record = |env: &Env, v, t: u64| env.ledger.validator_record(v, u(t)).unwrap();
    assert_eq!(
        record(&env, V1, first - 1),
        (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO)
    );
    assert_eq!(record(&env, V1, first).0, u(1));
    assert_eq!(record(&env, V1, second - 1).0, u(1));
    assert_eq!(record(&env, V1, second).0, u(2));
    assert_eq!(record(&env, V1, 0), record(&env, V1, second));
    assert_eq!(record(&env, V2, second - 1).0, U256::ZERO);
    assert_eq!(record(&env, V2, second).1, u(1));
    let now = env.vm.block_timestamp();
    for t in [u(now), U256::MAX] {
        assert_eq!(
            env.ledger.validator_record(V1, t),
            Err(FutureLookup {
                timepoint: t,
                now: u(now)
            }
            .into())
        );
    }
}

/// Every event's generated `emit` writes exactly the log alloy's `SolEvent` encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 18);
}
