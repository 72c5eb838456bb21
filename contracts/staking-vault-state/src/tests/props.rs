//! Property tests: random sequences of stake / redelegate / unstake / withdraw / slash / jail /
//! notify / claim across three validators and four delegators, checking the vault's invariants
//! (aggregate ones after every step, per-position ones after each slash and at the end).
use alloy_primitives::{Address, FixedBytes, U256};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;

use super::*;
use crate::*;

const VALIDATORS: [Address; 3] = [VAL1, VAL2, VAL3];
const DELEGATORS: [Address; 4] = [ALICE, BOB, CAROL, VAL1];
const COMMISSIONS: [u16; 3] = [0, 1_000, 2_000];

#[derive(Debug, Clone)]
enum Op {
    Stake {
        who: usize,
        val: usize,
        amount: u128,
    },
    Redelegate {
        who: usize,
        from: usize,
        to: usize,
        percent: u8,
    },
    Unstake {
        who: usize,
        val: usize,
        percent: u8,
    },
    Withdraw {
        who: usize,
    },
    Slash {
        val: usize,
        bps: u16,
        jail: bool,
    },
    Jail {
        val: usize,
        jail: bool,
    },
    Notify {
        amount: u128,
    },
    Claim {
        who: usize,
    },
    Advance {
        seconds: u64,
    },
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![1u128..1_000, 1u128..1_000_000_000_000_000_000_000]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4usize, 0..3usize, amount()).prop_map(|(who, val, amount)| Op::Stake { who, val, amount }),
        2 => (0..4usize, 0..3usize, 0..3usize, 0..=100u8)
            .prop_map(|(who, from, to, percent)| Op::Redelegate { who, from, to, percent }),
        3 => (0..4usize, 0..3usize, 0..=100u8).prop_map(|(who, val, percent)| Op::Unstake { who, val, percent }),
        2 => (0..4usize).prop_map(|who| Op::Withdraw { who }),
        2 => (0..3usize, 1..=DEFAULT_MAX_SLASH_BPS, any::<bool>())
            .prop_map(|(val, bps, jail)| Op::Slash { val, bps, jail }),
        1 => (0..3usize, any::<bool>()).prop_map(|(val, jail)| Op::Jail { val, jail }),
        3 => amount().prop_map(|amount| Op::Notify { amount }),
        2 => (0..4usize).prop_map(|who| Op::Claim { who }),
        2 => prop_oneof![0u64..5, PERIOD / 3..PERIOD + 10].prop_map(|seconds| Op::Advance { seconds }),
    ]
}

/// Per-position LP values: every delegation, then every unwithdrawn entry.
fn positions(env: &Env) -> Vec<U256> {
    let mut values = Vec::new();
    for account in DELEGATORS {
        for v in VALIDATORS {
            values.push(env.stake_value(account, v));
        }
    }
    for account in DELEGATORS {
        for id in env.vault.unbonding_entries_of(account) {
            values.push(env.vault.unbonding_entry(id).unwrap().2);
        }
    }
    values
}

/// Errors a random but well-formed call may legitimately hit.
fn expected(error: &Error) -> bool {
    matches!(
        error,
        Error::ZeroAmount(_)
            | Error::AmountTooSmall(_)
            | Error::InsufficientStake(_)
            | Error::JailedValidator(_)
            | Error::ValidatorNotJailed(_)
            | Error::SameValidator(_)
            | Error::NothingToClaim(_)
            | Error::NoVotingPower(_)
    )
}

struct Totals {
    notified: U256,
    claimed: U256,
}

fn check_invariants(env: &Env, totals: &Totals) -> Result<(), TestCaseError> {
    // Solvency: LP held covers every claim on it.
    let claims = positions(env).into_iter().fold(U256::ZERO, |a, b| a + b);
    prop_assert!(
        env.lp(VAULT) >= claims,
        "LP {} < claims {}",
        env.lp(VAULT),
        claims
    );
    // Powers: each validator's votes are its bonded LP while active; they sum to the total.
    let mut sum = U256::ZERO;
    for v in VALIDATORS {
        let info = env.vault.validator_info(v);
        let want = if info.0 && !info.1 {
            info.5
        } else {
            U256::ZERO
        };
        prop_assert_eq!(env.vault.get_votes(v), want);
        sum += env.vault.get_votes(v);
        let held = DELEGATORS
            .iter()
            .fold(U256::ZERO, |a, d| a + env.stake_value(*d, v));
        prop_assert!(held <= info.5);
    }
    prop_assert_eq!(sum, env.vault.get_total_votes());
    // Rewards: never more paid than received, and what is owed is covered.
    prop_assert!(totals.claimed <= totals.notified);
    let owed = [ALICE, BOB, CAROL, VAL1, VAL2, VAL3]
        .iter()
        .fold(U256::ZERO, |a, d| {
            a + env.vault.pending_rewards(*d).unwrap()
        });
    prop_assert!(
        env.reward(VAULT) >= owed,
        "rewards {} < owed {}",
        env.reward(VAULT),
        owed
    );
    prop_assert_eq!(env.reward(VAULT), totals.notified - totals.claimed);
    Ok(())
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut env = Env::new();
    for (v, bps) in VALIDATORS.iter().zip(COMMISSIONS) {
        env.register(*v, bps);
    }
    for account in DELEGATORS {
        env.host.mint(LP, account, U256::from(u128::MAX));
    }
    env.host.mint(REWARD, GOV, U256::from(u128::MAX));
    let mut totals = Totals {
        notified: U256::ZERO,
        claimed: U256::ZERO,
    };
    let mut times = Vec::new();
    for op in ops {
        let result: Result<(), Error> = match op.clone() {
            Op::Stake { who, val, amount } => env
                .as_(DELEGATORS[who])
                .stake(VALIDATORS[val], U256::from(amount))
                .map(|_| ()),
            Op::Redelegate {
                who,
                from,
                to,
                percent,
            } => {
                let have = env.stake_value(DELEGATORS[who], VALIDATORS[from]);
                let amount = have * U256::from(percent) / U256::from(100);
                env.as_(DELEGATORS[who])
                    .redelegate(VALIDATORS[from], VALIDATORS[to], amount)
                    .map(|_| ())
            }
            Op::Unstake { who, val, percent } => {
                let have = env.stake_value(DELEGATORS[who], VALIDATORS[val]);
                let amount = have * U256::from(percent) / U256::from(100);
                env.as_(DELEGATORS[who])
                    .unstake(VALIDATORS[val], amount)
                    .map(|_| ())
            }
            Op::Withdraw { who } => {
                let account = DELEGATORS[who];
                let now = env.now();
                let ids: Vec<U256> = env
                    .vault
                    .unbonding_entries_of(account)
                    .into_iter()
                    .filter(|id| {
                        let e = env.vault.unbonding_entry(*id).unwrap();
                        !e.4 && e.3 <= U256::from(now)
                    })
                    .collect();
                if ids.is_empty() {
                    Ok(())
                } else {
                    for id in ids {
                        let before = env.lp(account);
                        let paid = env.as_(account).withdraw(id).unwrap();
                        prop_assert_eq!(env.lp(account), before + paid);
                    }
                    Ok(())
                }
            }
            Op::Slash { val, bps, jail } => {
                let before = positions(&env);
                let v = VALIDATORS[val];
                let vault = env.as_(GOV);
                let result = if jail {
                    vault.slash_and_jail(v, U256::from(bps), FixedBytes::ZERO)
                } else {
                    vault.slash(v, U256::from(bps), FixedBytes::ZERO)
                };
                result.unwrap();
                let after = positions(&env);
                prop_assert_eq!(before.len(), after.len());
                for (b, a) in before.iter().zip(&after) {
                    prop_assert!(a <= b, "slash raised a stake: {} -> {}", b, a);
                }
                // Delegations to the other validators keep their value.
                for (i, (b, a)) in before.iter().zip(&after).enumerate() {
                    if i < DELEGATORS.len() * VALIDATORS.len() && i % VALIDATORS.len() != val {
                        prop_assert_eq!(a, b, "slash of {} touched another validator", val);
                    }
                }
                Ok(())
            }
            Op::Jail { val, jail } => {
                let v = VALIDATORS[val];
                if jail {
                    env.as_(GOV).jail(v)
                } else {
                    env.as_(GOV).unjail(v)
                }
            }
            Op::Notify { amount } => {
                let before = env.reward(VAULT);
                let r = env.as_(GOV).notify_reward_amount(U256::from(amount));
                totals.notified += env.reward(VAULT) - before;
                r
            }
            Op::Claim { who } => match env.as_(DELEGATORS[who]).claim_rewards() {
                Ok(paid) => {
                    totals.claimed += paid;
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Op::Advance { seconds } => {
                times.push(env.now());
                env.advance(seconds);
                Ok(())
            }
        };
        if let Err(error) = &result {
            prop_assert!(expected(error), "{:?} failed unexpectedly: {:?}", op, error);
        }
        // Cheap aggregate checks after every step; the per-position ones at the end.
        let mut votes = U256::ZERO;
        let mut pooled = U256::ZERO;
        for v in VALIDATORS {
            votes += env.vault.get_votes(v);
            let info = env.vault.validator_info(v);
            pooled += info.5 + info.7;
        }
        prop_assert_eq!(votes, env.vault.get_total_votes());
        prop_assert!(
            env.lp(VAULT) >= pooled,
            "LP {} < pools {}",
            env.lp(VAULT),
            pooled
        );
        prop_assert!(totals.claimed <= totals.notified);
        prop_assert_eq!(env.reward(VAULT), totals.notified - totals.claimed);
    }
    check_invariants(&env, &totals)?;
    // Checkpointed history: at every past second, validator powers sum to the total.
    env.advance(1);
    times.push(env.now() - 1);
    for t in times {
        let t = U256::from(t);
        let sum = VALIDATORS.iter().fold(U256::ZERO, |a, v| {
            a + env.vault.get_past_votes(*v, t).unwrap()
        });
        prop_assert_eq!(sum, env.vault.get_past_total_supply(t).unwrap());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        // 10,000 by default; `VAULT_PROPTEST_CASES` lowers it for quick local runs.
        cases: std::env::var("VAULT_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000),
        rng_seed: RngSeed::Fixed(0x5741_4b45),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    #[test]
    fn random_sequences_keep_invariants(ops in proptest::collection::vec(op(), 1..24)) {
        run(ops)?;
    }
}
