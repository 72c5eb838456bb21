//! Conservation over random histories: whatever is funded, closed, claimed, swept, credited or
//! refused, `funded == paid + claimable + reserve` and the program holds exactly
//! `claimable + reserve`.
use super::*;
use proptest::prelude::*;

const VALIDATORS: [Address; 3] = [V1, V2, V3];
const ACCOUNTS: [Address; 3] = [ALICE, BOB, CAROL];

#[derive(Clone, Debug)]
enum Op {
    Fund(u64),
    Power(usize, u64),
    Validate(usize, u64, u64),
    Sessions(u64),
    Close,
    ClaimValidator(u64, usize),
    ClaimCredit(usize),
    Sweep(u64),
    Nominate(u64),
    Champion(u64),
    Rating(u64, i64),
    RewardDataset(u64),
    Emission(u64, u64),
    Wait(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u64..20_000).prop_map(Op::Fund),
        (0usize..3, 0u64..1_000).prop_map(|(v, p)| Op::Power(v, p)),
        (0usize..3, 0u64..6, 0..=ONE).prop_map(|(v, s, a)| Op::Validate(v, s, a)),
        (0u64..3).prop_map(Op::Sessions),
        Just(Op::Close),
        Just(Op::Close),
        (0u64..6, 0usize..3).prop_map(|(e, v)| Op::ClaimValidator(e, v)),
        (0usize..3).prop_map(Op::ClaimCredit),
        (0u64..6).prop_map(Op::Sweep),
        (1u64..=5).prop_map(Op::Nominate),
        (0u64..=5).prop_map(Op::Champion),
        (1u64..=5, -200i64..200).prop_map(|(m, d)| Op::Rating(m, d)),
        (1u64..=4).prop_map(Op::RewardDataset),
        (0u64..3_000, 0u64..3).prop_map(|(b, h)| Op::Emission(b, h)),
        (1u64..3 * 86_400).prop_map(Op::Wait),
    ]
}

fn world(env: &mut Env) {
    env.as_(GOV)
        .set_params(WEEK, 6_000, 5_000, 3, 4, 2, ONE / 2, 5, WEEK)
        .unwrap();
    env.as_(GOV)
        .set_emission(U256::ZERO, 0, u(3), u(500))
        .unwrap();
    for id in 1..=5u64 {
        env.model(id, ACCOUNTS[(id % 3) as usize], 1_000 + 10 * id as i64);
    }
    let mut datasets = env.world().datasets.borrow_mut();
    datasets.insert(1, (ALICE, 1, points(30)));
    datasets.insert(2, (BOB, 1, points(400)));
    datasets.insert(3, (CAROL, 2, points(50)));
    datasets.insert(4, (CAROL, 1, points(-3)));
}

fn apply(env: &mut Env, op: &Op) {
    let now = env.now();
    match *op {
        Op::Fund(amount) => {
            let _ = env.fund(amount);
        }
        Op::Power(v, power) => {
            env.at(now + 1);
            env.power(VALIDATORS[v], now + 1, power);
        }
        Op::Validate(v, sessions, agreement) => {
            env.at(now + 1);
            env.validate(VALIDATORS[v], now + 1, sessions, agreement);
        }
        Op::Sessions(count) => env.sessions(count),
        Op::Close => {
            let _ = env.close();
        }
        Op::ClaimValidator(epoch, v) => {
            let _ = env.as_(EVE).claim_validator_reward(u(epoch), VALIDATORS[v]);
        }
        Op::ClaimCredit(account) => {
            let _ = env.as_(ACCOUNTS[account]).claim();
        }
        Op::Sweep(epoch) => {
            let _ = env.as_(EVE).sweep(u(epoch));
        }
        Op::Nominate(model) => {
            let _ = env.as_(EVE).nominate(u(model));
        }
        Op::Champion(model) => env.world().champion.set(model),
        Op::Rating(model, delta) => {
            let mut ratings = env.world().ratings.borrow_mut();
            let rating = ratings.get_mut(&model).unwrap();
            *rating += points(delta);
        }
        Op::RewardDataset(id) => {
            let _ = env.as_(EVE).reward_dataset(u(id));
        }
        Op::Emission(base, halving) => {
            env.as_(GOV)
                .set_emission(u(base), halving, u(3), u(500))
                .unwrap();
        }
        Op::Wait(seconds) => {
            env.at(now + seconds);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// The sum paid plus the sum claimable plus the reserve equals what was funded, after every
    /// operation, and the tokens held back it exactly.
    #[test]
    fn paid_plus_claimable_plus_reserve_is_funded(ops in proptest::collection::vec(op(), 1..40)) {
        let mut env = Env::new();
        world(&mut env);
        for v in VALIDATORS {
            env.power(v, START - 10, 100);
        }
        for op in &ops {
            apply(&mut env, op);
            let (funded, paid, claimable, reserve) = env.rewards.totals();
            prop_assert_eq!(funded, paid + claimable + reserve, "after {:?}", op);
            prop_assert_eq!(env.balance(REWARDS), claimable + reserve, "after {:?}", op);
        }
        // Everything paid went to the vault pools or to credit owners.
        let pools: U256 = env.world().pools.borrow().values().copied().fold(U256::ZERO, |a, b| a + b);
        let owners: U256 = ACCOUNTS.iter().map(|a| env.balance(*a)).fold(U256::ZERO, |a, b| a + b);
        prop_assert_eq!(pools + owners, env.rewards.totals().1);
    }
}
