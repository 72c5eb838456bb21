//! Constructor, self-only settings, governance handover, views.
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolEvent;

use super::*;
use crate::settings::Settings;
use crate::settings::*;
use crate::*;
use agentdao_common::errors::{GovernanceTransferStarted, GovernanceTransferred};

fn fresh() -> (MockHost, SubDaoState) {
    let host = MockHost::default();
    host.vm.set_contract_address(DAO);
    let dao = SubDaoState::from(&host);
    (host, dao)
}

#[test]
fn constructor_stores_settings_and_logs() {
    let env = Env::new();
    assert_eq!(
        env.dao.settings(),
        (
            VAULT,
            LEDGER,
            DELAY,
            PERIOD,
            u(THRESHOLD),
            QUORUM_BPS,
            TIMELOCK,
            GRACE
        )
    );
    assert_eq!(env.dao.governance(), DAO, "the SubDAO governs itself");
    assert_eq!(env.dao.pending_governance(), Address::ZERO);
    assert_eq!(env.dao.version(), "0.1.0");
    assert_eq!(
        env.log_topics(),
        vec![
            SettingsUpdated::SIGNATURE_HASH,
            GovernanceTransferred::SIGNATURE_HASH
        ]
    );
}

#[test]
fn constructor_rejects_bad_settings() {
    type Args = (Address, u64, u64, u64, u64, u64);
    let cases: Vec<(Args, Error)> = vec![
        (
            (Address::ZERO, DELAY, PERIOD, QUORUM_BPS, TIMELOCK, GRACE),
            Error::ZeroAddress(ZeroAddress {}),
        ),
        (
            (
                VAULT,
                MAX_VOTING_DELAY + 1,
                PERIOD,
                QUORUM_BPS,
                TIMELOCK,
                GRACE,
            ),
            Error::InvalidDuration(InvalidDuration {
                value: MAX_VOTING_DELAY + 1,
                max: MAX_VOTING_DELAY,
            }),
        ),
        (
            (VAULT, DELAY, 0, QUORUM_BPS, TIMELOCK, GRACE),
            Error::InvalidDuration(InvalidDuration {
                value: 0,
                max: MAX_VOTING_PERIOD,
            }),
        ),
        (
            (VAULT, DELAY, PERIOD, 10_001, TIMELOCK, GRACE),
            Error::BpsOutOfRange(BpsOutOfRange {
                value: u(10_001),
                max: u(10_000),
            }),
        ),
        (
            (
                VAULT,
                DELAY,
                PERIOD,
                QUORUM_BPS,
                MAX_TIMELOCK_DELAY + 1,
                GRACE,
            ),
            Error::InvalidDuration(InvalidDuration {
                value: MAX_TIMELOCK_DELAY + 1,
                max: MAX_TIMELOCK_DELAY,
            }),
        ),
        (
            (VAULT, DELAY, PERIOD, QUORUM_BPS, TIMELOCK, 0),
            Error::InvalidDuration(InvalidDuration {
                value: 0,
                max: MAX_GRACE_PERIOD,
            }),
        ),
    ];
    for ((vault, delay, period, quorum, timelock, grace), want) in cases {
        let (_host, mut dao) = fresh();
        let got = dao.init(
            vault,
            LEDGER,
            delay,
            period,
            u(THRESHOLD),
            quorum,
            timelock,
            grace,
            EXT,
        );
        assert_eq!(got, Err(want));
    }
    // The extension program the core delegates to must be given.
    let (_host, mut dao) = fresh();
    let got = dao.init(
        VAULT,
        LEDGER,
        DELAY,
        PERIOD,
        u(THRESHOLD),
        QUORUM_BPS,
        TIMELOCK,
        GRACE,
        Address::ZERO,
    );
    assert_eq!(got, Err(Error::ZeroAddress(ZeroAddress {})));
    // A ledger deployed later is wired by proposal.
    let (_host, mut dao) = fresh();
    dao.init(
        VAULT,
        Address::ZERO,
        DELAY,
        PERIOD,
        u(1),
        QUORUM_BPS,
        TIMELOCK,
        GRACE,
        EXT,
    )
    .unwrap();
    assert_eq!(dao.settings().1, Address::ZERO);
}

fn not_self(caller: Address) -> Error {
    Error::Unauthorized(Unauthorized {
        caller,
        required: DAO,
    })
}

#[test]
fn settings_are_self_only() {
    let mut env = Env::new();
    let mut lower = env.settings();
    lower.quorum_bps = 1;
    for caller in [ALICE, EVE, VAULT] {
        env.from(caller);
        let before = env.host.vm.snapshot();
        assert_eq!(env.set(lower), Err(not_self(caller)));
        assert_eq!(before.storage, env.host.vm.snapshot().storage);
        env.unchanged(not_self(caller), |dao| dao.transfer_governance(caller));
    }
}

#[test]
fn settings_bounds() {
    let mut env = Env::new();
    env.from(DAO);
    let base = env.settings();
    let cases: Vec<(Settings, Error)> = vec![
        (
            Settings {
                voting_delay: MAX_VOTING_DELAY + 1,
                ..base
            },
            Error::InvalidDuration(InvalidDuration {
                value: MAX_VOTING_DELAY + 1,
                max: MAX_VOTING_DELAY,
            }),
        ),
        (
            Settings {
                voting_period: 0,
                ..base
            },
            Error::InvalidDuration(InvalidDuration {
                value: 0,
                max: MAX_VOTING_PERIOD,
            }),
        ),
        (
            Settings {
                voting_period: MAX_VOTING_PERIOD + 1,
                ..base
            },
            Error::InvalidDuration(InvalidDuration {
                value: MAX_VOTING_PERIOD + 1,
                max: MAX_VOTING_PERIOD,
            }),
        ),
        (
            Settings {
                quorum_bps: 10_001,
                ..base
            },
            Error::BpsOutOfRange(BpsOutOfRange {
                value: u(10_001),
                max: u(10_000),
            }),
        ),
        (
            Settings {
                timelock_delay: MAX_TIMELOCK_DELAY + 1,
                ..base
            },
            Error::InvalidDuration(InvalidDuration {
                value: MAX_TIMELOCK_DELAY + 1,
                max: MAX_TIMELOCK_DELAY,
            }),
        ),
        (
            Settings {
                grace_period: 0,
                ..base
            },
            Error::InvalidDuration(InvalidDuration {
                value: 0,
                max: MAX_GRACE_PERIOD,
            }),
        ),
    ];
    for (settings, want) in cases {
        let before = env.host.vm.snapshot();
        assert_eq!(env.set(settings), Err(want));
        assert_eq!(before.storage, env.host.vm.snapshot().storage);
        assert_eq!(before.emitted_logs, env.host.vm.snapshot().emitted_logs);
    }
}

#[test]
fn self_updates_settings_with_an_event() {
    let mut env = Env::new();
    env.from(DAO);
    let wanted = Settings {
        elo_ledger: TOKEN,
        voting_delay: 1,
        voting_period: 2,
        proposal_threshold: u(3),
        quorum_bps: 4,
        timelock_delay: 5,
        grace_period: 6,
    };
    env.set(wanted).unwrap();
    assert_eq!(env.settings(), wanted);
    let updated: SettingsUpdated = env.last_log();
    assert_eq!(
        (
            updated.eloLedger,
            updated.votingDelay,
            updated.votingPeriod,
            updated.proposalThreshold,
            updated.quorumBps,
            updated.timelockDelay,
            updated.gracePeriod
        ),
        (TOKEN, 1, 2, u(3), 4, 5, 6)
    );
    // New settings apply to new proposals.
    let id = env.propose_tax(1);
    assert_eq!(env.snapshot(id), env.now() + 1);
    assert_eq!(env.deadline(id), env.now() + 3);
}

#[test]
fn governance_handover_by_proposal() {
    let mut env = Env::new();
    env.from(DAO);
    env.dao.transfer_governance(ALICE).unwrap();
    assert_eq!(env.last_log::<GovernanceTransferStarted>().pending, ALICE);
    env.from(EVE);
    env.unchanged(
        Error::NotPendingGovernance(NotPendingGovernance {
            caller: EVE,
            pending: ALICE,
        }),
        |dao| dao.accept_governance(),
    );
    env.from(ALICE);
    env.dao.accept_governance().unwrap();
    assert_eq!(env.dao.governance(), ALICE);
    let settings = env.settings();
    env.set(settings).unwrap();
    env.from(DAO);
    assert_eq!(
        env.set(settings),
        Err(Error::Unauthorized(Unauthorized {
            caller: DAO,
            required: ALICE
        }))
    );
}

#[test]
fn views_of_unknown_proposals_are_empty() {
    let env = Env::new();
    let id = u(123);
    assert_eq!(env.dao.proposal(id).0, Address::ZERO);
    assert_eq!(env.snapshot(id), 0);
    assert_eq!(env.votes(id), (U256::ZERO, U256::ZERO, U256::ZERO));
    assert_eq!(
        env.dao.state(id),
        Err(Error::NonexistentProposal(NonexistentProposal {
            proposalId: id
        }))
    );
}
