//! propose, the typed helpers, cancel.
use alloy_primitives::{keccak256, Address, Bytes, B256, I256, U256};
use alloy_sol_types::SolCall;
use alloy_sol_types::SolValue;

use super::*;
use crate::sol::calls::{battleRecordsCall, jailCall, slashCall, upgradeModelCall};
use crate::*;

#[test]
fn propose_stores_and_logs() {
    let mut env = Env::new();
    let (targets, values, calldatas) = Env::tax_action(50);
    let id = env.propose_tax(50);
    // The id is OpenZeppelin's hashProposal.
    assert_eq!(
        id,
        proposal_id(&targets, &values, &calldatas, TAX_DESCRIPTION)
    );
    assert_eq!(
        env.dao.proposal(id),
        (
            ALICE,
            T0 + DELAY,
            T0 + DELAY + PERIOD,
            0,
            QUORUM_BPS,
            U256::ZERO,
            U256::ZERO,
            U256::ZERO,
            U256::ZERO
        )
    );
    assert_eq!(env.state(id), ProposalState::Pending);
    assert_eq!(env.dao.participation(ALICE), (0, 1, 1));
    assert_eq!(env.dao.participation(BOB), (0, 0, 1));

    let created: ProposalCreated = env.last_log();
    assert_eq!(created.proposalId, id);
    assert_eq!(created.proposer, ALICE);
    assert_eq!((created.targets, created.values), (targets, values));
    assert_eq!(created.calldatas, calldatas);
    assert_eq!(
        (created.voteStart, created.voteEnd),
        (T0 + DELAY, T0 + DELAY + PERIOD)
    );
    assert_eq!(created.description, TAX_DESCRIPTION);
}

#[test]
fn several_actions_are_published_in_order() {
    let mut env = Env::new();
    let targets = vec![TOKEN, VAULT, TOKEN];
    let values = vec![u(0), u(5), u(7)];
    let calldatas: Vec<Bytes> = vec![vec![1].into(), Bytes::new(), vec![3, 3, 3].into()];
    env.from(ALICE);
    let id = env
        .dao
        .propose(
            targets.clone(),
            values.clone(),
            calldatas.clone(),
            "three".into(),
        )
        .unwrap();
    assert_eq!(id, proposal_id(&targets, &values, &calldatas, "three"));
    let created: ProposalCreated = env.last_log();
    assert_eq!(
        (created.targets, created.values, created.calldatas),
        (targets, values, calldatas)
    );
}

#[test]
fn proposer_needs_threshold_power_one_second_back() {
    let mut env = Env::new();
    let (t, v, c) = Env::tax_action(10);
    env.power(BOB, T0 - 1, THRESHOLD - 1);
    env.from(BOB);
    env.unchanged(
        Error::ProposerBelowThreshold(ProposerBelowThreshold {
            proposer: BOB,
            votes: u(THRESHOLD - 1),
            threshold: u(THRESHOLD),
        }),
        |dao| dao.propose(t.clone(), v.clone(), c.clone(), RawString::default()),
    );
    env.power(BOB, T0 - 1, THRESHOLD);
    env.from(BOB);
    assert!(env.dao.propose(t, v, c, RawString::default()).is_ok());
}

#[test]
fn zero_power_cannot_propose_even_with_zero_threshold() {
    let mut env = Env::new();
    env.dao.proposal_threshold.set(U256::ZERO);
    env.power(EVE, T0 - 1, 0);
    let (t, v, c) = Env::tax_action(10);
    env.from(EVE);
    env.unchanged(
        Error::ProposerBelowThreshold(ProposerBelowThreshold {
            proposer: EVE,
            votes: U256::ZERO,
            threshold: U256::ZERO,
        }),
        |dao| dao.propose(t, v, c, RawString::default()),
    );
}

#[test]
fn empty_and_mismatched_arrays() {
    let mut env = Env::new();
    env.from(ALICE);
    let mismatch = |t: usize, v: usize, c: usize| {
        Error::InvalidProposalLength(InvalidProposalLength {
            targets: u(t as u64),
            values: u(v as u64),
            calldatas: u(c as u64),
        })
    };
    // Empty is reported as OpenZeppelin does: a length error with all three zero.
    env.unchanged(mismatch(0, 0, 0), |dao| {
        dao.propose(vec![], vec![], vec![], "nothing".into())
    });
    env.unchanged(mismatch(1, 0, 1), |dao| {
        dao.propose(
            vec![TOKEN],
            vec![],
            vec![Bytes::new()],
            RawString::default(),
        )
    });
    env.unchanged(mismatch(2, 2, 1), |dao| {
        dao.propose(
            vec![TOKEN, TOKEN],
            vec![u(0), u(0)],
            vec![Bytes::new()],
            RawString::default(),
        )
    });
    env.unchanged(mismatch(0, 1, 0), |dao| {
        dao.propose(vec![], vec![u(1)], vec![], RawString::default())
    });
}

#[test]
fn duplicate_proposal_is_rejected_but_new_description_is_not() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    let (t, v, c) = Env::tax_action(50);
    env.from(ALICE);
    env.unchanged(
        Error::ProposalAlreadyExists(ProposalAlreadyExists { proposalId: id }),
        |dao| dao.propose(t.clone(), v.clone(), c.clone(), "lower the tax".into()),
    );
    let other = env
        .dao
        .propose(t, v, c, "lower the tax, again".into())
        .unwrap();
    assert_ne!(other, id);
    assert_eq!(env.dao.participation(ALICE), (0, 2, 2));
}

#[test]
fn vault_failure_is_typed() {
    let mut env = Env::new();
    let (t, v, c) = Env::tax_action(50);
    let call = getPastVotesCall {
        validator: ALICE,
        timepoint: u(T0 - 1),
    };
    env.host
        .mock_static_call(VAULT, call.abi_encode(), Err(b"boom".to_vec()));
    env.from(ALICE);
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: VAULT,
            reason: b"boom".to_vec().into(),
        }),
        |dao| dao.propose(t, v, c, RawString::default()),
    );
}

fn rating(env: &Env, model: u64, elo: i64) {
    let call = ratingOfCall { modelId: u(model) };
    let wad = I256::try_from(elo).unwrap() * I256::try_from(10u64.pow(18)).unwrap();
    env.host
        .mock_static_call(LEDGER, call.abi_encode(), Ok(wad.abi_encode()));
}

fn champion(env: &Env, model: u64) {
    env.host.mock_static_call(
        LEDGER,
        championModelCall {}.abi_encode(),
        Ok(u(model).abi_encode()),
    );
    env.host.mock_static_call(
        LEDGER,
        battleRecordsCall {}.abi_encode(),
        Ok(u(RECORDS).abi_encode()),
    );
}

/// Session records the mocked ledger holds: the cutoff of the upgrade action.
const RECORDS: u64 = 41;

#[test]
fn model_upgrade_needs_a_better_candidate() {
    let mut env = Env::new();
    champion(&env, 1);
    rating(&env, 1, 1_020);
    rating(&env, 2, 1_020);
    rating(&env, 3, 1_043);
    env.from(ALICE);
    let wad = I256::try_from(10u64.pow(18)).unwrap();
    let r1020 = I256::try_from(1_020).unwrap() * wad;
    env.unchanged(
        Error::ModelNotBetter(ModelNotBetter {
            modelId: u(2),
            rating: r1020,
            championRating: r1020,
        }),
        |dao| dao.propose_model_upgrade(u(2), "tie".into()),
    );
    // The champion itself ties with itself.
    env.unchanged(
        Error::ModelNotBetter(ModelNotBetter {
            modelId: u(1),
            rating: r1020,
            championRating: r1020,
        }),
        |dao| dao.propose_model_upgrade(u(1), "same".into()),
    );
    env.from(ALICE);
    let id = env
        .dao
        .propose_model_upgrade(u(3), "elo 1043 vs 1020".into())
        .unwrap();
    let calldata: Bytes = upgradeModelCall {
        modelId: u(3),
        cutoff: u(RECORDS),
    }
    .abi_encode()
    .into();
    let (t, v, c) = (vec![LEDGER], vec![U256::ZERO], vec![calldata]);
    let description = reserved("elo 1043 vs 1020", ALICE);
    assert_eq!(id, proposal_id(&t, &v, &c, &description));
    let created: ProposalCreated = env.last_log();
    assert_eq!(
        (created.targets, created.values, created.calldatas),
        (t, v, c)
    );
    assert_eq!(created.description, description);
}

#[test]
fn first_model_upgrade_needs_no_comparison() {
    let mut env = Env::new();
    champion(&env, 0);
    env.from(ALICE);
    let id = env
        .dao
        .propose_model_upgrade(u(7), "first model".into())
        .unwrap();
    let calldata: Bytes = upgradeModelCall {
        modelId: u(7),
        cutoff: u(RECORDS),
    }
    .abi_encode()
    .into();
    assert_eq!(
        id,
        proposal_id(
            &[LEDGER],
            &[U256::ZERO],
            &[calldata],
            &reserved("first model", ALICE)
        )
    );
}

#[test]
fn model_upgrade_needs_a_wired_working_ledger() {
    let mut env = Env::new();
    env.from(ALICE);
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: LEDGER,
            reason: b"unmocked static call".to_vec().into(),
        }),
        |dao| dao.propose_model_upgrade(u(3), RawString::default()),
    );
    env.from(DAO);
    let mut settings = env.settings();
    settings.elo_ledger = Address::ZERO;
    env.set(settings).unwrap();
    env.from(ALICE);
    env.unchanged(Error::ZeroAddress(ZeroAddress {}), |dao| {
        dao.propose_model_upgrade(u(3), RawString::default())
    });
}

#[test]
fn slash_helper_targets_the_vault() {
    let mut env = Env::new();
    let reason = B256::repeat_byte(0x99);
    env.from(ALICE);
    let id = env.dao.propose_slash(CAROL, u(2_500), reason).unwrap();
    let calldata: Bytes = slashCall {
        validator: CAROL,
        bps: u(2_500),
        reasonHash: reason,
    }
    .abi_encode()
    .into();
    assert_eq!(
        id,
        proposal_id(
            &[VAULT],
            &[U256::ZERO],
            std::slice::from_ref(&calldata),
            &reserved("", ALICE)
        )
    );
    assert_eq!(env.last_log::<ProposalCreated>().calldatas, vec![calldata]);
    // Same validator, bps and reason: the same proposal.
    env.unchanged(
        Error::ProposalAlreadyExists(ProposalAlreadyExists { proposalId: id }),
        |dao| dao.propose_slash(CAROL, u(2_500), reason),
    );
}

#[test]
fn jail_helper_proposes_the_vault_call_reserved_for_its_proposer() {
    let mut env = Env::new();
    env.from(ALICE);
    let id = env.dao.propose_jail(CAROL).unwrap();
    let calldata: Bytes = jailCall { validator: CAROL }.abi_encode().into();
    assert_eq!(
        id,
        proposal_id(
            &[VAULT],
            &[U256::ZERO],
            std::slice::from_ref(&calldata),
            &reserved("", ALICE)
        )
    );
    assert_eq!(env.last_log::<ProposalCreated>().calldatas, vec![calldata]);
    env.unchanged(
        Error::ProposalAlreadyExists(ProposalAlreadyExists { proposalId: id }),
        |dao| dao.propose_jail(CAROL),
    );
    env.unchanged(Error::ZeroAddress(ZeroAddress {}), |dao| {
        dao.propose_jail(Address::ZERO)
    });
}

#[test]
fn slash_helper_rejects_bad_input() {
    let mut env = Env::new();
    env.from(ALICE);
    env.unchanged(Error::ZeroAddress(ZeroAddress {}), |dao| {
        dao.propose_slash(Address::ZERO, u(100), B256::ZERO)
    });
    env.unchanged(
        Error::BpsOutOfRange(BpsOutOfRange {
            value: u(10_001),
            max: u(5_000),
        }),
        |dao| dao.propose_slash(CAROL, u(10_001), B256::ZERO),
    );
    env.unchanged(
        Error::BpsOutOfRange(BpsOutOfRange {
            value: U256::MAX,
            max: u(5_000),
        }),
        |dao| dao.propose_slash(CAROL, U256::MAX, B256::ZERO),
    );
}

/// A slash above the vault's maximum could pass the vote and then never execute (the vault
/// refuses it): it is refused when proposed, against the vault's current maximum.
#[test]
fn slash_the_vault_can_never_execute_is_refused_when_proposed() {
    let mut env = Env::new();
    env.from(ALICE);
    env.unchanged(
        Error::BpsOutOfRange(BpsOutOfRange {
            value: u(5_001),
            max: u(5_000),
        }),
        |dao| dao.propose_slash(CAROL, u(5_001), B256::ZERO),
    );
    env.dao.propose_slash(CAROL, u(5_000), B256::ZERO).unwrap();
    // Governance raised the vault's maximum: the larger slash can now be proposed.
    env.max_slash(9_000);
    env.dao.propose_slash(CAROL, u(9_000), B256::ZERO).unwrap();
    // A vault that does not answer `parameters()` cannot be slashed through the helper.
    env.host.mock_static_call(
        VAULT,
        parametersCall {}.abi_encode(),
        Err(b"no parameters".to_vec()),
    );
    env.unchanged(
        Error::ExternalCallFailed(ExternalCallFailed {
            target: VAULT,
            reason: b"no parameters".to_vec().into(),
        }),
        |dao| dao.propose_slash(CAROL, u(100), B256::ZERO),
    );
}

/// A squatter with the threshold copies the slash proposal an honest validator is about to
/// make (its content is predictable), submits it first and cancels it: with content-hash ids
/// the honest proposal would then exist already, forever. The helper reserves the proposal for
/// its caller, so the squatter's copy has another id, and a raw copy of the honest proposal's
/// description is refused.
#[test]
fn squatting_a_slash_proposal_is_impossible() {
    let mut env = Env::new();
    env.power(BOB, T0 - 1, 1_000);
    let reason = B256::repeat_byte(0x42);
    // The squatter front-runs with the typed helper and cancels.
    env.from(BOB);
    let squatted = env.dao.propose_slash(CAROL, u(2_500), reason).unwrap();
    env.dao.cancel(squatted).unwrap();
    // The squatter copies the honest proposal exactly, through raw `propose`.
    let calldata: Bytes = slashCall {
        validator: CAROL,
        bps: u(2_500),
        reasonHash: reason,
    }
    .abi_encode()
    .into();
    let honest_description = reserved("", ALICE);
    env.unchanged(
        Error::GovernorRestrictedProposer(GovernorRestrictedProposer { proposer: BOB }),
        |dao| {
            dao.propose(
                vec![VAULT],
                vec![U256::ZERO],
                vec![calldata.clone()],
                honest_description.as_str().into(),
            )
        },
    );
    // The honest validator still makes its proposal.
    env.from(ALICE);
    let id = env.dao.propose_slash(CAROL, u(2_500), reason).unwrap();
    assert_ne!(id, squatted);
    assert_eq!(env.state(id), ProposalState::Pending);
}

#[test]
fn a_reserved_description_is_proposed_by_its_proposer_only() {
    let mut env = Env::new();
    let (t, v, c) = Env::tax_action(50);
    let description = reserved("lower the tax", ALICE);
    env.from(EVE);
    env.unchanged(
        Error::GovernorRestrictedProposer(GovernorRestrictedProposer { proposer: EVE }),
        |dao| dao.propose(t.clone(), v.clone(), c.clone(), description.as_str().into()),
    );
    env.from(ALICE);
    let id = env
        .dao
        .propose(t.clone(), v.clone(), c.clone(), description.as_str().into())
        .unwrap();
    assert_eq!(id, proposal_id(&t, &v, &c, &description));
}

#[test]
fn proposer_cancels_while_pending() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.from(BOB);
    env.unchanged(
        Error::Unauthorized(Unauthorized {
            caller: BOB,
            required: ALICE,
        }),
        |dao| dao.cancel(id),
    );
    env.from(ALICE);
    env.dao.cancel(id).unwrap();
    assert_eq!(env.state(id), ProposalState::Canceled);
    assert_eq!(env.last_log::<ProposalCanceled>().proposalId, id);
    // Canceled stays canceled, and cannot be re-proposed with the same content.
    env.open_voting(id);
    assert_eq!(env.state(id), ProposalState::Canceled);
    env.from(ALICE);
    let (t, v, c) = Env::tax_action(50);
    assert!(env.dao.propose(t, v, c, "lower the tax".into()).is_err());
}

#[test]
fn cancel_after_voting_started_or_unknown_fails() {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    env.from(ALICE);
    env.unchanged(
        Error::UnexpectedProposalState(UnexpectedProposalState {
            proposalId: id,
            current: ProposalState::Active as u8,
            expectedStates: B256::from(u(1)),
        }),
        |dao| dao.cancel(id),
    );
    env.unchanged(
        Error::NonexistentProposal(NonexistentProposal { proposalId: u(42) }),
        |dao| dao.cancel(u(42)),
    );
}

#[test]
fn model_ratings_compare_as_signed_numbers() {
    let mut env = Env::new();
    champion(&env, 1);
    rating(&env, 1, -5);
    rating(&env, 2, 3);
    rating(&env, 3, -6);
    env.from(ALICE);
    let wad = I256::try_from(10u64.pow(18)).unwrap();
    env.unchanged(
        Error::ModelNotBetter(ModelNotBetter {
            modelId: u(3),
            rating: I256::try_from(-6).unwrap() * wad,
            championRating: I256::try_from(-5).unwrap() * wad,
        }),
        |dao| dao.propose_model_upgrade(u(3), "worse".into()),
    );
    assert!(env
        .dao
        .propose_model_upgrade(u(2), "positive beats negative".into())
        .is_ok());
}

#[test]
fn descriptions_are_raw_bytes_as_in_solidity() {
    let mut env = Env::new();
    let (t, v, c) = Env::tax_action(50);
    // Not UTF-8: Solidity never validates `string`, and neither does the SubDAO.
    let raw = Bytes::from(vec![0xff, 0xfe, b'!']);
    env.from(ALICE);
    let id = env
        .dao
        .propose(t.clone(), v.clone(), c.clone(), RawString(raw.clone()))
        .unwrap();
    let content = (t, v, c, keccak256(&raw));
    assert_eq!(
        id,
        U256::from_be_bytes(keccak256(content.abi_encode_params()).0)
    );
    let (topics, data) = env.host.vm.get_emitted_logs().pop().unwrap();
    assert_eq!(topics[0], ProposalCreated::SIGNATURE_HASH);
    // The data ends with the description encoded as `string` (= `bytes`): length, contents.
    let tail = &data[data.len() - 64..];
    assert_eq!(tail[31], 3);
    assert_eq!(&tail[32..35], raw.as_ref());
}
