//! One test per behaviour and per error of the rewards logic.
use super::*;

#[test]
fn constructor_checks_addresses_and_sets_defaults() {
    let env = Env::new();
    assert_eq!(env.rewards.governance(), GOV);
    assert_eq!(env.rewards.contracts(), (TOKEN, VAULT, LEDGER));
    assert_eq!(env.rewards.extension(), EXT);
    assert_eq!(env.rewards.require_delegated(), Ok(()));
    let p = Params::default();
    assert_eq!(env.rewards.params()[0], p.epoch_length);
    assert_eq!(
        env.rewards.current_epoch(),
        (U256::ZERO, u(START), u(START + WEEK))
    );
    assert_eq!(env.events::<ParamsUpdated>().len(), 1);
    let host = CallHost::new(Default::default(), World::default());
    let mut fresh = Rewards::from(&host);
    assert_eq!(
        fresh.init(GOV, TOKEN, Address::ZERO, LEDGER, EXT),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(
        fresh.init(Address::ZERO, TOKEN, VAULT, LEDGER, EXT),
        Err(ZeroAddress {}.into())
    );
    assert_eq!(
        fresh.init(GOV, TOKEN, VAULT, LEDGER, Address::ZERO),
        Err(ZeroAddress {}.into())
    );
    let empty = Rewards::from(&CallHost::new(Default::default(), World::default()));
    assert_eq!(empty.require_delegated(), Err(NotDelegated {}.into()));
}

#[test]
fn funding_credits_the_balance_delta_received() {
    let mut env = Env::new();
    assert_eq!(env.fund(1_000), Ok(u(1_000)));
    env.world().fee_bps.set(100);
    assert_eq!(env.fund(1_000), Ok(u(990)));
    let funded = env.events::<Funded>();
    assert_eq!(funded.len(), 2);
    assert_eq!((funded[1].from, funded[1].amount), (FUNDER, u(990)));
    assert_eq!(
        env.check_totals(),
        (u(1_990), U256::ZERO, U256::ZERO, u(1_990))
    );
    assert_eq!(env.as_(FUNDER).fund(U256::ZERO), Err(ZeroAmount {}.into()));
    // No allowance: the token refuses, nothing credited.
    assert_eq!(
        env.as_(FUNDER).fund(u(5)),
        Err(TokenCallFailed { token: TOKEN }.into())
    );
    assert_eq!(env.check_totals().0, u(1_990));
}

#[test]
fn closing_before_the_epoch_ends_is_refused() {
    let mut env = Env::new();
    env.at(START + WEEK - 1);
    assert_eq!(
        env.as_(EVE).close_epoch(),
        Err(EpochNotOver {
            end: u(START + WEEK),
            now: u(START + WEEK - 1)
        }
        .into())
    );
    env.at(START + WEEK);
    assert_eq!(env.as_(EVE).close_epoch(), Ok(U256::ZERO));
    assert_eq!(
        env.rewards.current_epoch(),
        (u(1), u(START + WEEK), u(START + 2 * WEEK))
    );
}

#[test]
fn a_late_close_covers_every_whole_epoch_elapsed() {
    let mut env = Env::new();
    env.at(START + 3 * WEEK + 5);
    assert_eq!(env.as_(EVE).close_epoch(), Ok(U256::ZERO));
    let info = env.rewards.epoch_info(U256::ZERO).unwrap();
    assert_eq!((info.0, info.1), (u(START), u(START + 3 * WEEK)));
    assert_eq!(
        env.rewards.current_epoch(),
        (u(1), u(START + 3 * WEEK), u(START + 4 * WEEK))
    );
    assert!(env.as_(EVE).close_epoch().is_err());
}

#[test]
fn honest_validator_earns_more_than_a_rubber_stamper_at_equal_stake() {
    let mut env = Env::new();
    env.closed_epoch(&[(V1, 4, ONE), (V2, 4, 3 * ONE / 10)]);
    let closed = &env.events::<EpochClosed>()[0];
    assert_eq!(closed.budget, u(10_000));
    assert_eq!(closed.validatorPot, u(6_000));
    assert_eq!(closed.totalStake, u(300));
    assert_eq!(closed.sessions, u(4));
    // V1: 6,000 x 100 / 300 x 1; V2: x 0.3 (agreement); V3 never validated.
    assert_eq!(
        env.rewards.validator_reward(u(0), V1),
        Ok((u(2_000), u(100), u(ONE)))
    );
    assert_eq!(env.as_(EVE).claim_validator_reward(u(0), V1), Ok(u(2_000)));
    assert_eq!(env.as_(EVE).claim_validator_reward(u(0), V2), Ok(u(600)));
    let pools = env.world().pools.borrow().clone();
    assert_eq!(pools[&V1], u(2_000), "paid into the vault pool");
    assert_eq!(pools[&V2], u(600));
    assert_eq!(env.balance(EVE), U256::ZERO, "the caller gets nothing");
    let rewarded = env.events::<ValidatorRewarded>();
    assert_eq!(rewarded.len(), 2);
    assert_eq!(
        (
            rewarded[1].validator,
            rewarded[1].amount,
            rewarded[1].stake,
            rewarded[1].quality
        ),
        (V2, u(600), u(100), u(3 * ONE / 10))
    );
    let info = env.rewards.epoch_info(u(0)).unwrap();
    assert_eq!((info.3, info.4), (u(6_000), u(2_600)));
    let (funded, paid, claimable, reserve) = env.check_totals();
    assert_eq!((funded, paid, claimable), (u(10_000), u(2_600), u(3_400)));
    assert_eq!(reserve, u(4_000), "no model to pay: the model side stays");
}

#[test]
fn partial_participation_scales_the_share() {
    let mut env = Env::new();
    env.closed_epoch(&[(V1, 1, ONE)]);
    assert_eq!(
        env.rewards.validator_reward(u(0), V1),
        Ok((u(500), u(100), u(ONE / 4)))
    );
}

#[test]
fn a_vault_refusing_the_reward_reverts_the_claim() {
    let mut env = Env::new();
    env.closed_epoch(&[(V1, 4, ONE)]);
    env.world().vault_refuses.set(true);
    // On chain the error reverts the claim's bookkeeping with it.
    assert_eq!(
        env.as_(EVE).claim_validator_reward(u(0), V1),
        Err(VaultCallFailed { vault: VAULT }.into())
    );
    assert!(env.world().pools.borrow().is_empty());
}

#[test]
fn emission_programme_halves_and_never_pays_more_than_the_reserve() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_params(WEEK, 10_000, 5_000, 3, 4, 4, ONE / 2, 5, WEEK)
        .unwrap();
    env.as_(GOV)
        .set_emission(u(1_000), 2, U256::ZERO, U256::ZERO)
        .unwrap();
    assert_eq!(
        env.rewards.emission(),
        (u(1_000), 2, U256::ZERO, U256::ZERO)
    );
    env.fund(2_500).unwrap();
    three_validators(&env);
    for _ in 0..5 {
        env.sessions(1);
        env.close().unwrap();
    }
    let budgets: Vec<U256> = env
        .events::<EpochClosed>()
        .iter()
        .map(|e| e.budget)
        .collect();
    assert_eq!(
        budgets,
        vec![u(1_000), u(1_000), u(500), U256::ZERO, U256::ZERO]
    );
    assert_eq!(env.check_totals().3, U256::ZERO);
}

#[test]
fn model_side_pays_the_champion_and_the_nominated_models_by_rank() {
    let mut env = Env::new();
    env.model(1, ALICE, 1_100);
    env.model(2, BOB, 1_050);
    env.model(3, CAROL, 1_000);
    env.model(4, EVE, 900);
    env.world().champion.set(1);
    env.as_(GOV)
        .set_params(WEEK, 6_000, 5_000, 3, 4, 4, ONE / 2, 5, WEEK)
        .unwrap();
    for id in [3, 1, 4, 2] {
        env.as_(EVE).nominate(u(id)).unwrap();
    }
    env.closed_epoch(&[(V1, 4, ONE)]);
    // Model side 4,000: half to the champion's owner, 2,000 by rank 3:2:1 over the top 3.
    assert_eq!(env.rewards.owed(ALICE), u(2_000 + 1_000));
    assert_eq!(env.rewards.owed(BOB), u(666));
    assert_eq!(env.rewards.owed(CAROL), u(333));
    assert_eq!(
        env.rewards.owed(EVE),
        U256::ZERO,
        "fourth: outside the top 3"
    );
    let rewards = env.events::<ModelRewarded>();
    let ranks: Vec<(u64, u64)> = rewards
        .iter()
        .map(|e| (e.modelId.to(), e.rank.to()))
        .collect();
    assert_eq!(ranks, vec![(1, 0), (1, 1), (2, 2), (3, 3)]);
    assert_eq!(env.events::<EpochClosed>()[0].modelPaid, u(3_999));
    // The rounding dust (1) stays in the reserve.
    assert_eq!(env.check_totals().3, u(10_000 - 6_000 - 3_999));
    assert_eq!(env.as_(ALICE).claim(), Ok(u(3_000)));
    assert_eq!(env.balance(ALICE), u(3_000));
    assert_eq!(env.events::<RewardClaimed>()[0].amount, u(3_000));
    assert_eq!(env.as_(ALICE).claim(), Err(NothingToClaim {}.into()));
    env.check_totals();
}

#[test]
fn nominations_are_bounded_and_displace_the_lowest() {
    let mut env = Env::new();
    for id in 1..=10 {
        env.model(id, ALICE, 1_000 + id as i64);
    }
    for id in 2..=9 {
        env.as_(EVE).nominate(u(id)).unwrap();
    }
    assert_eq!(env.rewards.nominated().len(), MAX_TOP_N as usize);
    assert_eq!(
        env.as_(EVE).nominate(u(5)),
        Err(AlreadyNominated { modelId: u(5) }.into())
    );
    assert_eq!(
        env.as_(EVE).nominate(u(1)),
        Err(RatingTooLow {
            rating: points(1_001),
            lowest: points(1_002)
        }
        .into())
    );
    env.as_(EVE).nominate(u(10)).unwrap();
    let nominated = env.rewards.nominated();
    assert!(nominated.contains(&u(10)) && !nominated.contains(&u(2)));
    let event = env.events::<ModelNominated>().pop().unwrap();
    assert_eq!((event.modelId, event.replaced), (u(10), u(2)));
    assert_eq!(
        env.as_(EVE).nominate(u(77)),
        Err(LedgerCallFailed { ledger: LEDGER }.into())
    );
}

#[test]
fn dataset_rewards_are_one_time_capped_and_for_accepted_datasets() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_emission(U256::ZERO, 0, u(10), u(300))
        .unwrap();
    env.fund(10_000).unwrap();
    {
        let mut datasets = env.world().datasets.borrow_mut();
        datasets.insert(1, (ALICE, 1, points(25)));
        datasets.insert(2, (BOB, 1, points(50)));
        datasets.insert(3, (CAROL, 2, points(80)));
        datasets.insert(4, (CAROL, 1, points(-5)));
        datasets.insert(5, (CAROL, 0, points(0)));
    }
    assert_eq!(env.as_(EVE).reward_dataset(u(1)), Ok(u(250)));
    assert_eq!(env.as_(EVE).reward_dataset(u(2)), Ok(u(300)), "capped");
    assert_eq!(
        env.as_(EVE).reward_dataset(u(1)),
        Err(AlreadyRewarded { id: u(1) }.into())
    );
    for id in [3, 5] {
        assert_eq!(
            env.as_(EVE).reward_dataset(u(id)),
            Err(DatasetNotAccepted { datasetId: u(id) }.into())
        );
    }
    assert_eq!(
        env.as_(EVE).reward_dataset(u(4)),
        Err(NothingToClaim {}.into())
    );
    assert_eq!(
        env.as_(EVE).reward_dataset(u(9)),
        Err(LedgerCallFailed { ledger: LEDGER }.into())
    );
    assert_eq!(env.rewards.owed(ALICE), u(250));
    assert_eq!(env.rewards.owed(BOB), u(300));
    let event = &env.events::<DatasetRewarded>()[0];
    assert_eq!(
        (
            event.datasetId,
            event.contributor,
            event.impact,
            event.amount
        ),
        (u(1), ALICE, points(25), u(250))
    );
    assert_eq!(env.check_totals().3, u(10_000 - 550));
}

#[test]
fn a_dataset_reward_never_exceeds_the_reserve() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_emission(U256::ZERO, 0, u(10), u(300))
        .unwrap();
    env.world()
        .datasets
        .borrow_mut()
        .insert(1, (ALICE, 1, points(25)));
    assert_eq!(
        env.as_(EVE).reward_dataset(u(1)),
        Err(NothingToClaim {}.into()),
        "empty reserve: stays rewardable"
    );
    env.fund(100).unwrap();
    assert_eq!(env.as_(EVE).reward_dataset(u(1)), Ok(u(100)));
    env.check_totals();
}

#[test]
fn a_new_champion_is_rewarded_once_for_its_gain() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_emission(U256::ZERO, 0, u(10), u(1_000))
        .unwrap();
    env.model(1, ALICE, 1_060);
    env.model(2, BOB, 1_100);
    env.world().champion.set(1);
    env.close().unwrap();
    assert!(
        env.events::<ChampionRewarded>().is_empty(),
        "first champion"
    );
    env.fund(10_000).unwrap();
    env.world().champion.set(2);
    env.close().unwrap();
    let event = &env.events::<ChampionRewarded>()[0];
    assert_eq!(
        (event.modelId, event.owner, event.gain, event.amount),
        (u(2), BOB, points(40), u(400))
    );
    assert_eq!(env.rewards.owed(BOB), u(400));
    env.close().unwrap();
    env.world().champion.set(1);
    env.close().unwrap();
    env.world().champion.set(2);
    env.close().unwrap();
    assert_eq!(
        env.events::<ChampionRewarded>().len(),
        2,
        "model 1 once, model 2 once"
    );
    assert_eq!(env.rewards.owed(BOB), u(400));
    assert_eq!(env.rewards.owed(ALICE), U256::ZERO, "a loss earns nothing");
    env.check_totals();
}

#[test]
fn sweep_returns_the_unclaimed_pot_after_the_claim_window() {
    let mut env = Env::new();
    env.closed_epoch(&[(V1, 4, ONE)]);
    env.as_(EVE).claim_validator_reward(u(0), V1).unwrap();
    assert_eq!(
        env.as_(EVE).sweep(u(0)),
        Err(ClaimWindowOpen {
            epoch: u(0),
            until: u(5)
        }
        .into())
    );
    assert_eq!(
        env.as_(EVE).sweep(u(1)),
        Err(EpochNotClosed {
            epoch: u(1),
            closed: u(1)
        }
        .into())
    );
    for _ in 0..4 {
        env.close().unwrap();
    }
    assert_eq!(env.as_(EVE).sweep(u(0)), Ok(u(4_000)));
    assert_eq!(env.events::<EpochSwept>()[0].amount, u(4_000));
    assert_eq!(
        env.as_(EVE).sweep(u(0)),
        Err(ClaimWindowOver { epoch: u(0) }.into())
    );
    assert_eq!(
        env.as_(EVE).claim_validator_reward(u(0), V2),
        Err(ClaimWindowOver { epoch: u(0) }.into())
    );
    assert!(env.rewards.epoch_info(u(0)).unwrap().6);
    assert_eq!(env.check_totals().2, U256::ZERO);
}

#[test]
fn a_rubber_stamper_is_jailed_and_released_after_the_cool_down() {
    let mut env = Env::new();
    three_validators(&env);
    env.at(START + 200);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, U256::ZERO),
        Err(InvalidTimepoint {
            timepoint: U256::ZERO
        }
        .into())
    );
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START + 200)),
        Err(InvalidTimepoint {
            timepoint: u(START + 200)
        }
        .into())
    );
    env.validate(V2, START + 100, 4, 2 * ONE / 10);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START - 1)),
        Err(TooFewSessions {
            have: u(4),
            want: u(5)
        }
        .into())
    );
    env.validate(V2, START + 150, 2, 2 * ONE / 10);
    env.as_(EVE).jail_low_agreement(V2, u(START - 1)).unwrap();
    assert!(env.world().jailed.borrow().contains(&V2));
    let event = &env.events::<LowAgreementJailed>()[0];
    assert_eq!(
        (
            event.validator,
            event.agreement,
            event.sessions,
            event.releasableAt
        ),
        (V2, u(2 * ONE / 10), u(6), u(START + 200 + WEEK))
    );
    assert_eq!(env.rewards.jail_of(V2), (u(START + 200), U256::ZERO));
    // Jailed already: the vault refuses a second jail.
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START - 1)),
        Err(VaultCallFailed { vault: VAULT }.into())
    );
    assert_eq!(
        env.as_(V2).release_from_jail(V1),
        Err(NotJailedHere { validator: V1 }.into())
    );
    env.at(START + 200 + WEEK - 1);
    assert_eq!(
        env.as_(V2).release_from_jail(V2),
        Err(CooldownActive {
            validator: V2,
            until: u(START + 200 + WEEK)
        }
        .into())
    );
    env.at(START + 200 + WEEK);
    env.as_(V2).release_from_jail(V2).unwrap();
    assert!(env.world().jailed.borrow().is_empty());
    assert_eq!(env.events::<ReleasedFromJail>().len(), 1);
    assert_eq!(env.rewards.jail_of(V2), (U256::ZERO, u(START + 200 + WEEK)));
    // A new jail needs a new span after the release.
    env.at(START + 300 + WEEK);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START - 1)),
        Err(InvalidTimepoint {
            timepoint: u(START - 1)
        }
        .into())
    );
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START + 250 + WEEK)),
        Err(TooFewSessions {
            have: U256::ZERO,
            want: u(5)
        }
        .into())
    );
}

#[test]
fn a_zero_threshold_disables_jailing() {
    let mut env = Env::new();
    env.as_(GOV)
        .set_params(WEEK, 6_000, 5_000, 3, 4, 4, 0, 5, WEEK)
        .unwrap();
    env.validate(V2, START + 100, 10, 0);
    env.at(START + 200);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START - 1)),
        Err(AgreementNotLow {
            agreement: U256::ZERO,
            threshold: U256::ZERO
        }
        .into())
    );
}

#[test]
fn governance_sets_parameters_within_bounds() {
    let mut env = Env::new();
    assert_eq!(
        env.as_(EVE)
            .set_params(WEEK, 6_000, 5_000, 3, 4, 4, ONE / 2, 5, WEEK),
        Err(Unauthorized {
            caller: EVE,
            required: GOV
        }
        .into())
    );
    assert_eq!(
        env.as_(GOV)
            .set_params(WEEK, 6_000, 5_000, MAX_TOP_N + 1, 4, 4, ONE / 2, 5, WEEK),
        Err(ParameterOutOfRange { which: 3 }.into())
    );
    assert_eq!(
        env.as_(EVE).set_emission(u(1), 0, U256::ZERO, U256::ZERO),
        Err(Unauthorized {
            caller: EVE,
            required: GOV
        }
        .into())
    );
    env.as_(GOV)
        .set_params(3_600, 7_000, 2_000, 5, 2, 8, ONE / 3, 7, 86_400)
        .unwrap();
    assert_eq!(
        env.rewards.params(),
        [3_600, 7_000, 2_000, 5, 2, 8, ONE / 3, 7, 86_400]
    );
    let event = env.events::<ParamsUpdated>().pop().unwrap();
    assert_eq!((event.epochLength, event.topN), (u(3_600), u(5)));
    // A new length applies to the open epoch.
    assert_eq!(env.rewards.current_epoch().2, u(START + 3_600));
    env.as_(GOV).set_emission(u(5), 3, u(7), u(9)).unwrap();
    let event = env.events::<EmissionUpdated>().pop().unwrap();
    assert_eq!(
        (
            event.perEpoch,
            event.halvingEpochs,
            event.bonusPerElo,
            event.bonusCap
        ),
        (u(5), u(3), u(7), u(9))
    );
    env.as_(GOV).transfer_governance(ALICE).unwrap();
    assert_eq!(env.rewards.pending_governance(), ALICE);
    assert_eq!(
        env.as_(BOB).accept_governance(),
        Err(NotPendingGovernance {
            caller: BOB,
            pending: ALICE
        }
        .into())
    );
    env.as_(ALICE).accept_governance().unwrap();
    assert_eq!(env.rewards.governance(), ALICE);
    assert_eq!(env.rewards.version(), VERSION);
}

#[test]
fn epoch_info_of_an_open_epoch_is_refused() {
    let env = Env::new();
    assert_eq!(
        env.rewards.epoch_info(u(0)),
        Err(EpochNotClosed {
            epoch: u(0),
            closed: u(0)
        }
        .into())
    );
}

/// Every error's compact revert data is exactly the Solidity encoding, one selector each.
#[test]
fn compact_revert_data_matches_the_abi_encoding() {
    assert_eq!(
        Error::assert_compact_encoding(),
        27,
        "one sample per variant"
    );
}

/// Every event's generated `emit` (and `emit_by_ref`) writes exactly the log alloy's
/// `SolEvent` encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 13);
}
