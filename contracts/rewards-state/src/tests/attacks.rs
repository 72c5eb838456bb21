//! The attacks and bad inputs a user would fear, each named after what it tries.
use super::*;

/// Fund 10,000, V1 honest and V2 rubber-stamping in four sessions of epoch 0, close it.
fn validated_epoch(env: &mut Env) {
    env.closed_epoch(&[(V1, 4, ONE), (V2, 4, 3 * ONE / 10)]);
}

#[test]
fn claiming_twice_is_refused() {
    let mut env = Env::new();
    validated_epoch(&mut env);
    env.as_(EVE).claim_validator_reward(u(0), V1).unwrap();
    let pool = env.world().pools.borrow()[&V1];
    assert_eq!(
        env.as_(V1).claim_validator_reward(u(0), V1),
        Err(AlreadyClaimed {
            epoch: u(0),
            validator: V1
        }
        .into())
    );
    assert_eq!(env.world().pools.borrow()[&V1], pool);
    env.check_totals();
}

#[test]
fn claiming_a_future_or_open_epoch_is_refused() {
    let mut env = Env::new();
    three_validators(&env);
    assert_eq!(
        env.as_(V1).claim_validator_reward(u(0), V1),
        Err(EpochNotClosed {
            epoch: u(0),
            closed: u(0)
        }
        .into())
    );
    validated_epoch(&mut env);
    assert_eq!(
        env.as_(V1).claim_validator_reward(u(7), V1),
        Err(EpochNotClosed {
            epoch: u(7),
            closed: u(1)
        }
        .into())
    );
    assert_eq!(
        env.as_(V1).claim_validator_reward(U256::MAX, V1),
        Err(EpochNotClosed {
            epoch: U256::MAX,
            closed: u(1)
        }
        .into())
    );
}

#[test]
fn claiming_an_unfunded_epoch_is_refused() {
    let mut env = Env::new();
    three_validators(&env);
    env.validate(V1, START + 100, 4, ONE);
    env.sessions(4);
    env.close().unwrap();
    assert_eq!(
        env.as_(V1).claim_validator_reward(u(0), V1),
        Err(EpochUnfunded { epoch: u(0) }.into())
    );
}

#[test]
fn an_epoch_without_validation_rolls_its_budget_over() {
    let mut env = Env::new();
    env.fund(10_000).unwrap();
    three_validators(&env);
    env.model(1, ALICE, 1_100);
    env.world().champion.set(1);
    env.close().unwrap();
    let closed = env.events::<EpochClosed>();
    assert_eq!(closed[0].budget, U256::ZERO);
    assert_eq!(closed[0].sessions, U256::ZERO);
    assert_eq!(
        env.rewards.totals().3,
        u(10_000),
        "nothing left the reserve"
    );
    assert_eq!(env.rewards.owed(ALICE), U256::ZERO, "no model paid either");
    assert_eq!(
        env.as_(V1).claim_validator_reward(u(0), V1),
        Err(EpochUnfunded { epoch: u(0) }.into())
    );
    // The next epoch with validation spends the whole reserve, rolled-over funds included.
    env.validate(V1, START + WEEK + 10, 4, ONE);
    env.sessions(4);
    env.close().unwrap();
    assert_eq!(env.events::<EpochClosed>()[1].budget, u(10_000));
    env.check_totals();
}

#[test]
fn pumping_stake_at_the_epoch_end_neither_earns_nor_dilutes() {
    let honest = |pump: bool| {
        let mut env = Env::new();
        env.fund(10_000).unwrap();
        three_validators(&env);
        env.validate(V1, START + 100, 4, ONE);
        env.validate(V2, START + 100, 4, ONE);
        if pump {
            // V2 bonds 900 more a second before the end (and could leave right after).
            env.power(V2, START + WEEK - 1, 1_000);
        }
        env.sessions(4);
        env.close().unwrap();
        let v1 = env.rewards.validator_reward(u(0), V1).unwrap();
        let v2 = env.rewards.validator_reward(u(0), V2).unwrap();
        (v1, v2)
    };
    let (v1_plain, v2_plain) = honest(false);
    let (v1_pumped, v2_pumped) = honest(true);
    assert_eq!(v2_pumped, v2_plain, "the pump earns nothing");
    assert_eq!(v2_pumped.1, u(100), "stake is the lesser of start and end");
    assert_eq!(v1_pumped, v1_plain, "and dilutes nobody");
    assert_eq!(v1_plain.0, u(2_000));
}

#[test]
fn pumping_agreement_at_the_epoch_end_earns_nothing_extra() {
    let rubber_stamp = |pump: bool| {
        let mut env = Env::new();
        env.fund(10_000).unwrap();
        three_validators(&env);
        env.validate(V2, START + 100, 4, 3 * ONE / 10);
        if pump {
            // Agrees in four late sessions: its average at the end is perfect.
            env.validate(V2, START + WEEK - 1, 4, ONE);
        }
        env.sessions(8);
        env.close().unwrap();
        env.rewards.validator_reward(u(0), V2).unwrap()
    };
    let plain = rubber_stamp(false);
    let pumped = rubber_stamp(true);
    assert_eq!(plain.2, u(3 * ONE / 10));
    assert_eq!(
        pumped.2, plain.2,
        "quality uses the lesser of start and end"
    );
    assert_eq!(pumped.0, plain.0);
    assert_eq!(plain.0, u(600));
}

#[test]
fn a_validator_jailed_mid_epoch_earns_by_its_stake_at_both_ends() {
    let mut env = Env::new();
    env.fund(10_000).unwrap();
    three_validators(&env);
    env.validate(V2, START - 4, 0, ONE);
    for v in [V1, V2, V3] {
        env.validate(v, START + 100, 4, ONE);
    }
    // V2 jailed and released within the epoch: power back at the end, its share stands.
    env.power(V2, START + 1_000, 0);
    env.power(V2, START + 2_000, 100);
    // V3 jailed mid-epoch and still jailed at the end: zero stake, nothing to claim.
    env.power(V3, START + 1_000, 0);
    env.sessions(4);
    env.close().unwrap();
    assert_eq!(env.as_(EVE).claim_validator_reward(u(0), V1), Ok(u(2_000)));
    assert_eq!(env.as_(EVE).claim_validator_reward(u(0), V2), Ok(u(2_000)));
    assert_eq!(
        env.as_(EVE).claim_validator_reward(u(0), V3),
        Err(NothingToClaim {}.into())
    );
    // Its share goes back to the reserve with the sweep.
    for _ in 0..4 {
        env.close().unwrap();
    }
    assert_eq!(env.as_(EVE).sweep(u(0)), Ok(u(2_000)));
    env.check_totals();
}

#[test]
fn an_idle_or_always_disagreeing_validator_earns_nothing() {
    let mut env = Env::new();
    validated_epoch(&mut env);
    assert_eq!(
        env.as_(EVE).claim_validator_reward(u(0), V3),
        Err(NothingToClaim {}.into())
    );
    let mut env = Env::new();
    env.fund(10_000).unwrap();
    three_validators(&env);
    env.validate(V1, START + 100, 4, ONE);
    env.validate(V3, START + 100, 4, 0);
    env.sessions(4);
    env.close().unwrap();
    assert_eq!(
        env.as_(EVE).claim_validator_reward(u(0), V3),
        Err(NothingToClaim {}.into())
    );
}

#[test]
fn reentering_claim_from_the_token_is_refused() {
    let mut env = Env::new();
    env.model(1, ALICE, 1_100);
    env.world().champion.set(1);
    validated_epoch(&mut env);
    let seen: Rc<RefCell<Option<Result<U256, Error>>>> = Rc::default();
    let inner = Rc::clone(&seen);
    *env.world().hook.borrow_mut() = Some(Rc::new(move |host: &CallHost<World>| {
        if inner.borrow().is_none() {
            let mut again = Rewards::from(host);
            *inner.borrow_mut() = Some(again.claim());
        }
    }));
    let owed = env.rewards.owed(ALICE);
    assert_eq!(env.as_(ALICE).claim(), Ok(owed));
    assert_eq!(*seen.borrow(), Some(Err(ReentrantCall {}.into())));
    assert_eq!(env.balance(ALICE), owed, "paid once");
    env.check_totals();
}

#[test]
fn jailing_a_validator_whose_agreement_is_fine_is_refused() {
    let mut env = Env::new();
    three_validators(&env);
    env.validate(V1, START + 100, 6, ONE);
    env.at(START + 200);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V1, u(START - 1)),
        Err(AgreementNotLow {
            agreement: u(ONE),
            threshold: u(ONE / 2)
        }
        .into())
    );
    // A validator that recovered: low before, fine now.
    env.validate(V2, START + 100, 6, 6 * ONE / 10);
    assert_eq!(
        env.as_(EVE).jail_low_agreement(V2, u(START - 1)),
        Err(AgreementNotLow {
            agreement: u(6 * ONE / 10),
            threshold: u(ONE / 2)
        }
        .into())
    );
    assert!(env.world().jailed.borrow().is_empty());
}
