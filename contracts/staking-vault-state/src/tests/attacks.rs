//! Attacks on the vault, each written as the attacker would try it: every test shows the
//! attack is refused or gains nothing.
use alloy_primitives::{FixedBytes, U256};

use super::*;
use crate::*;

fn u(v: u64) -> U256 {
    U256::from(v)
}

const REASON: FixedBytes<32> = FixedBytes::repeat_byte(0x5A);

/// A vault with VAL1 (10% commission) and VAL2 (0%) registered.
fn env_with_validators() -> Env {
    let mut env = Env::new();
    env.register(VAL1, 1_000);
    env.register(VAL2, 0);
    env
}

/// Index of the first unreleased entry of `validator`'s unbonding queue.
fn queue_head(env: &Env, validator: Address) -> u64 {
    env.vault.meta_of(validator).queue_head
}

/// Completes `account`'s matured unbonding and redelegation entries (if any).
fn complete_entries(env: &mut Env, account: Address) {
    for id in env.vault.unbonding_entries_of(account) {
        env.as_(account).withdraw(id).unwrap();
    }
}

/// EVE floods VAL1's unbonding queue with 5,000 one-wei entries; after maturity every call
/// that touches the queue must still do a bounded amount of work: withdrawing an honest entry
/// queued behind the flood, unstaking, and slashing.
#[test]
fn unbonding_queue_flood_cannot_freeze_withdraw_unstake_or_slash() {
    const FLOOD: u64 = 5_000;
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    env.as_(EVE).stake(VAL1, u(FLOOD)).unwrap();
    for _ in 0..FLOOD {
        env.as_(EVE).unstake(VAL1, u(1)).unwrap();
    }
    let honest = env.as_(ALICE).unstake(VAL1, tokens(10)).unwrap();
    assert_eq!(honest, u(FLOOD));
    env.advance(PERIOD);

    // The honest entry behind the flood is paid without releasing the flood ahead of it.
    assert_eq!(env.as_(ALICE).withdraw(honest), Ok(tokens(10)));
    assert_eq!(queue_head(&env, VAL1), 0);
    // Unstaking and slashing each release at most a fixed number of entries.
    env.as_(ALICE).unstake(VAL1, tokens(1)).unwrap();
    let after_unstake = queue_head(&env, VAL1);
    assert!(after_unstake <= MAX_RELEASES_PER_CALL, "{after_unstake}");
    env.as_(GOV).slash(VAL1, u(5_000), REASON).unwrap();
    let after_slash = queue_head(&env, VAL1);
    assert!(
        after_slash - after_unstake <= MAX_RELEASES_PER_CALL,
        "{after_slash}"
    );
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(89) / u(2));
    // Released flood entries are paid one by one, at their value when released.
    assert_eq!(env.as_(EVE).withdraw(U256::ZERO), Ok(u(1)));
}

/// ALICE sees a 50% slash of VAL1 coming (the proposal takes days) and redelegates all of her
/// stake to VAL2 before it executes. The redelegated stake must still lose 50%; BOB, who was
/// bonded with VAL2 all along, must lose nothing.
#[test]
fn redelegating_away_from_a_pending_slash_still_loses_the_slashed_share() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    env.as_(BOB).stake(VAL2, tokens(100)).unwrap();
    env.advance(3_600);
    env.as_(ALICE).redelegate(VAL1, VAL2, tokens(100)).unwrap();
    env.advance(3_600);
    env.as_(GOV).slash(VAL1, u(5_000), REASON).unwrap();
    assert_eq!(env.lp(TREASURY), tokens(50));
    env.advance(PERIOD);
    complete_entries(&mut env, ALICE);
    assert_eq!(env.stake_value(ALICE, VAL2), tokens(50));
    assert_eq!(env.stake_value(BOB, VAL2), tokens(100));
    assert_eq!(env.vault.get_votes(VAL2), tokens(150));
    assert_eq!(env.lp(VAULT), tokens(150));
}

/// EVE stakes one second before a reward notification she knows is coming and unstakes one
/// second after; ALICE has been staked all along with the same amount. EVE may earn at most
/// her time-weighted share of the notified rewards.
#[test]
fn just_in_time_staker_gets_at_most_its_time_weighted_share() {
    let reward = tokens(1_000);
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(100)).unwrap();
    env.advance(30 * 24 * 3_600);
    env.as_(EVE).stake(VAL2, tokens(100)).unwrap();
    env.advance(1);
    env.as_(CAROL).notify_reward_amount(reward).unwrap();
    env.advance(1);
    env.as_(EVE).unstake(VAL2, tokens(100)).unwrap();
    env.advance(30 * 24 * 3_600);
    let eve = env.vault.pending_rewards(EVE).unwrap();
    let alice = env.vault.pending_rewards(ALICE).unwrap();
    // EVE held half the power for at most one second of a stream of `duration` seconds.
    let duration = env.vault.params().unbonding_period;
    assert!(duration >= MIN_UNBONDING_PERIOD);
    let fair = reward / u(duration) / u(2) + u(1);
    assert!(
        eve <= fair,
        "just-in-time staker took {eve}, fair share {fair}"
    );
    assert!(alice + eve <= reward);
    assert!(
        alice + eve + u(10) >= reward,
        "rewards are not lost: {alice} + {eve}"
    );
}

/// Governance shortens the unbonding period; an entry queued before the change must not keep
/// the old, longer period in force for the validator's later entries.
#[test]
fn shortened_unbonding_period_applies_to_later_entries() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(ALICE).unstake(VAL1, tokens(1)).unwrap();
    env.as_(GOV)
        .set_parameters(
            TREASURY,
            u(MIN_UNBONDING_PERIOD),
            u(MAX_COMMISSION.into()),
            u(DEFAULT_MAX_SLASH_BPS.into()),
            Address::ZERO,
        )
        .unwrap();
    let later = env.as_(ALICE).unstake(VAL1, tokens(2)).unwrap();
    assert_eq!(
        env.vault.unbonding_entry(later).unwrap().3,
        u(START + MIN_UNBONDING_PERIOD)
    );
    env.advance(MIN_UNBONDING_PERIOD);
    assert_eq!(env.as_(ALICE).withdraw(later), Ok(tokens(2)));
    // The earlier entry keeps its own (longer) period.
    assert_eq!(
        env.as_(ALICE).withdraw(U256::ZERO),
        Err(Error::EntryNotMature(EntryNotMature {
            entryId: U256::ZERO,
            maturity: u(START + PERIOD),
        }))
    );
}
