//! One test per behaviour and per error of every external function.
use std::cell::RefCell;
use std::rc::Rc;

use agentdao_common::errors::{
    BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized, ZeroAddress,
};
use alloy_primitives::{aliases::U48, Address, FixedBytes, U256};

use super::host::{token_host, Quirk, TokenHost, TokenLedger};
use super::*;
use crate::*;
use agentdao_common::extension::NotDelegated;

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

fn unauthorized(caller: Address) -> Error {
    Error::Unauthorized(Unauthorized {
        caller,
        required: GOV,
    })
}

// ----- constructor and parameters -----

/// `setParameters` as `caller`.
fn set_params(
    env: &mut Env,
    caller: Address,
    treasury: Address,
    period: u64,
    max_commission: u64,
    max_slash: u64,
) -> Result<(), Error> {
    env.as_(caller).set_parameters(
        treasury,
        u(period),
        u(max_commission),
        u(max_slash),
        Address::ZERO,
    )
}

#[test]
fn constructor_stores_parameters() {
    let env = Env::new();
    let v = &env.vault;
    assert_eq!(
        v.parameters(),
        (
            LP,
            REWARD,
            TREASURY,
            u(PERIOD),
            u(MAX_COMMISSION.into()),
            u(DEFAULT_MAX_SLASH_BPS.into())
        )
    );
    assert_eq!(v.governance(), GOV);
    assert_eq!(v.extension(), EXT);
    assert_eq!(v.require_delegated(), Ok(()));
    assert_eq!(v.version(), "0.1.0");
    assert_eq!(v.clock_mode(), "mode=timestamp");
    assert_eq!(v.clock(), U48::from(START));
    assert_eq!(env.count_events::<ParametersUpdated>(), 1);
    let event = env.last_event::<ParametersUpdated>();
    assert_eq!(
        (
            event.treasury,
            event.unbondingPeriod,
            event.maxCommissionBps,
            event.maxSlashBps
        ),
        (
            TREASURY,
            u(PERIOD),
            u(MAX_COMMISSION.into()),
            u(DEFAULT_MAX_SLASH_BPS.into())
        )
    );
}

#[test]
fn empty_storage_is_not_delegated() {
    let host = token_host(EXT, &[LP, REWARD]);
    let vault = Vault::from(&host);
    assert_eq!(vault.extension(), Address::ZERO);
    assert_eq!(
        vault.require_delegated(),
        Err(Error::NotDelegated(NotDelegated {}))
    );
}

#[test]
fn reward_precision_is_1e27() {
    assert_eq!(REWARD_PRECISION, U256::from(10u8).pow(U256::from(27u8)));
}

#[test]
fn constructor_rejects_bad_input() {
    let deploy = |lp: Address, reward: Address, gov: Address, treasury: Address, period, bps| {
        let host = token_host(VAULT, &[LP, REWARD]);
        let mut vault = Vault::from(&host);
        vault.init(lp, reward, gov, treasury, u(period), u(bps), EXT)
    };
    let zero = Err(Error::ZeroAddress(ZeroAddress {}));
    assert_eq!(
        deploy(Address::ZERO, REWARD, GOV, TREASURY, PERIOD, 0),
        zero
    );
    assert_eq!(deploy(LP, Address::ZERO, GOV, TREASURY, PERIOD, 0), zero);
    assert_eq!(deploy(LP, REWARD, Address::ZERO, TREASURY, PERIOD, 0), zero);
    assert_eq!(deploy(LP, REWARD, GOV, Address::ZERO, PERIOD, 0), zero);
    let host = token_host(VAULT, &[LP, REWARD]);
    let mut vault = Vault::from(&host);
    assert_eq!(
        vault.init(LP, REWARD, GOV, TREASURY, u(PERIOD), u(0), Address::ZERO),
        zero
    );
    assert_eq!(
        deploy(LP, LP, GOV, TREASURY, PERIOD, 0),
        Err(Error::IdenticalTokens(IdenticalTokens {}))
    );
    let out_of_range = |period: u64| {
        Err(Error::UnbondingPeriodOutOfRange(
            UnbondingPeriodOutOfRange { period: u(period) },
        ))
    };
    assert_eq!(deploy(LP, REWARD, GOV, TREASURY, 59, 0), out_of_range(59));
    let long = MAX_UNBONDING_PERIOD + 1;
    assert_eq!(
        deploy(LP, REWARD, GOV, TREASURY, long, 0),
        out_of_range(long)
    );
    assert_eq!(
        deploy(LP, REWARD, GOV, TREASURY, PERIOD, 10_001),
        Err(Error::BpsOutOfRange(BpsOutOfRange {
            value: u(10_001),
            max: u(10_000)
        }))
    );
    // Bounds are inclusive.
    assert!(deploy(LP, REWARD, GOV, TREASURY, MIN_UNBONDING_PERIOD, 10_000).is_ok());
    assert!(deploy(LP, REWARD, GOV, TREASURY, MAX_UNBONDING_PERIOD, 0).is_ok());
}

#[test]
fn set_parameters_checks_role_and_bounds() {
    let mut env = Env::new();
    let before = env.vault.parameters();
    let events = env.count_events::<ParametersUpdated>();
    assert_eq!(
        set_params(&mut env, EVE, EVE, 3_600, 1, 1),
        Err(unauthorized(EVE))
    );
    assert_eq!(
        set_params(&mut env, GOV, CAROL, 1, 1, 1),
        Err(Error::UnbondingPeriodOutOfRange(
            UnbondingPeriodOutOfRange { period: u(1) }
        ))
    );
    assert_eq!(
        set_params(&mut env, GOV, CAROL, 3_600, 1, 9_001),
        Err(Error::BpsOutOfRange(BpsOutOfRange {
            value: u(9_001),
            max: u(9_000)
        }))
    );
    assert_eq!(
        set_params(&mut env, GOV, CAROL, 3_600, 10_001, 1),
        Err(Error::BpsOutOfRange(BpsOutOfRange {
            value: u(10_001),
            max: u(10_000)
        }))
    );
    assert_eq!(
        set_params(&mut env, GOV, Address::ZERO, 3_600, 1, 1),
        Err(Error::ZeroAddress(ZeroAddress {}))
    );
    assert_eq!(env.vault.parameters(), before);
    assert_eq!(env.count_events::<ParametersUpdated>(), events);

    set_params(&mut env, GOV, CAROL, 3_600, 5_000, 9_000).unwrap();
    assert_eq!(
        env.vault.parameters(),
        (LP, REWARD, CAROL, u(3_600), u(5_000), u(9_000))
    );
    let event = env.last_event::<ParametersUpdated>();
    assert_eq!(
        (
            event.treasury,
            event.unbondingPeriod,
            event.maxCommissionBps,
            event.maxSlashBps
        ),
        (CAROL, u(3_600), u(5_000), u(9_000))
    );
}

#[test]
fn governance_handover_is_two_step() {
    let mut env = Env::new();
    assert_eq!(
        env.as_(EVE).transfer_governance(EVE),
        Err(unauthorized(EVE))
    );
    env.as_(GOV).transfer_governance(CAROL).unwrap();
    assert_eq!(env.vault.pending_governance(), CAROL);
    assert_eq!(
        env.as_(EVE).accept_governance(),
        Err(Error::NotPendingGovernance(NotPendingGovernance {
            caller: EVE,
            pending: CAROL
        }))
    );
    env.as_(CAROL).accept_governance().unwrap();
    assert_eq!(env.vault.governance(), CAROL);
    assert_eq!(
        env.as_(GOV).jail(VAL1),
        Err(Error::Unauthorized(Unauthorized {
            caller: GOV,
            required: CAROL
        }))
    );
}

// ----- validators -----

#[test]
fn register_validator_lists_and_emits() {
    let mut env = Env::new();
    env.register(VAL1, 1_000);
    env.register(VAL2, MAX_COMMISSION);
    assert_eq!(env.vault.validators(), vec![VAL1, VAL2]);
    assert!(env.vault.is_validator(VAL1));
    assert!(!env.vault.is_validator(VAL3));
    let info = env.vault.validator_info(VAL1);
    assert_eq!((info.0, info.1, info.2), (true, false, u(1_000)));
    let event = env.last_event::<ValidatorRegistered>();
    assert_eq!((event.validator, event.commissionBps), (VAL2, u(2_000)));
    assert_eq!(event.metadataURI.as_ref(), b"ipfs://v");
    // Longer than a word and not a multiple of 32: padded ABI encoding that decodes back.
    let uri = b"ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    env.as_(VAL3)
        .register_validator(u(7), RawBytes::from(&uri[..]))
        .unwrap();
    let event = env.last_event::<ValidatorRegistered>();
    assert_eq!(
        (
            event.validator,
            event.commissionBps,
            event.metadataURI.as_ref()
        ),
        (VAL3, u(7), &uri[..])
    );
    let (_, data) = env.host.vm.get_emitted_logs().pop().unwrap();
    assert_eq!(data.len(), 96 + uri.len().next_multiple_of(32));
}

#[test]
fn register_validator_rejects_duplicates_and_high_commission() {
    let mut env = env_with_validators();
    let before = env.observe();
    assert_eq!(
        env.as_(VAL1)
            .register_validator(U256::ZERO, RawBytes::default()),
        Err(Error::ValidatorAlreadyRegistered(
            ValidatorAlreadyRegistered { validator: VAL1 }
        ))
    );
    assert_eq!(
        env.as_(VAL3)
            .register_validator(u(u64::from(MAX_COMMISSION) + 1), RawBytes::default()),
        Err(Error::CommissionTooHigh(CommissionTooHigh {
            requestedBps: u(2_001),
            maxBps: u(2_000)
        }))
    );
    assert_eq!(env.observe(), before);
    assert_eq!(env.vault.validators(), vec![VAL1, VAL2]);
}

#[test]
fn commission_change_is_announced_bounded_and_delayed() {
    let mut env = env_with_validators();
    assert_eq!(
        env.as_(VAL1).announce_commission(u(1_501)),
        Err(Error::CommissionStepTooLarge(CommissionStepTooLarge {
            currentBps: u(1_000),
            requestedBps: u(1_501),
        }))
    );
    assert_eq!(
        env.as_(VAL1).announce_commission(u(499)),
        Err(Error::CommissionStepTooLarge(CommissionStepTooLarge {
            currentBps: u(1_000),
            requestedBps: u(499),
        }))
    );
    assert_eq!(
        env.as_(ALICE).announce_commission(U256::ZERO),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: ALICE
        }))
    );
    set_params(&mut env, GOV, TREASURY, PERIOD, 1_200, 5_000).unwrap();
    assert!(matches!(
        env.as_(VAL1).announce_commission(u(1_300)),
        Err(Error::CommissionTooHigh(_))
    ));

    env.as_(VAL1).announce_commission(u(1_200)).unwrap();
    let event = env.last_event::<CommissionChangeAnnounced>();
    assert_eq!(event.effectiveAt, u(START + COMMISSION_DELAY));
    let info = env.vault.validator_info(VAL1);
    assert_eq!(
        (info.2, info.3, info.4),
        (u(1_000), u(1_200), u(START + COMMISSION_DELAY))
    );

    // Stake and rewards before the delay use the old rate.
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    env.advance(COMMISSION_DELAY - 1 - PERIOD);
    env.as_(ALICE).claim_rewards().unwrap_err();
    assert_eq!(env.vault.validator_info(VAL1).2, u(1_000));
    env.as_(BOB).notify_reward_amount(tokens(10)).unwrap();
    env.stream();
    env.advance(1);
    // First touch at/after the effective time: settles at 10%, then switches.
    assert_eq!(env.as_(VAL1).claim_rewards(), Ok(tokens(1)));
    assert_eq!(env.vault.validator_info(VAL1).2, u(1_200));
    let updated = env.last_event::<CommissionUpdated>();
    assert_eq!((updated.previousBps, updated.newBps), (u(1_000), u(1_200)));
    env.as_(BOB).notify_reward_amount(tokens(10)).unwrap();
    env.stream();
    assert_eq!(env.vault.pending_rewards(VAL1), Ok(tokens(12) / u(10)));
    assert_eq!(
        env.vault.pending_rewards(ALICE),
        Ok(tokens(9) + tokens(88) / u(10))
    );
}

#[test]
fn deregistration_needs_no_stake_and_no_jail() {
    let mut env = Env::new();
    env.register(VAL1, 0);
    env.register(VAL2, 0);
    env.register(VAL3, 0);
    env.as_(ALICE).stake(VAL1, tokens(5)).unwrap();
    assert_eq!(
        env.as_(VAL1).deregister_validator(),
        Err(Error::ValidatorHasStake(ValidatorHasStake {
            validator: VAL1
        }))
    );
    env.as_(ALICE).unstake(VAL1, tokens(5)).unwrap();
    assert_eq!(
        env.as_(VAL1).deregister_validator(),
        Err(Error::ValidatorHasStake(ValidatorHasStake {
            validator: VAL1
        }))
    );
    env.advance(PERIOD);
    assert_eq!(
        env.as_(EVE).deregister_validator(),
        Err(Error::UnknownValidator(UnknownValidator { validator: EVE }))
    );
    env.as_(GOV).jail(VAL2).unwrap();
    assert_eq!(
        env.as_(VAL2).deregister_validator(),
        Err(Error::JailedValidator(JailedValidator { validator: VAL2 }))
    );
    // Matured entries leave the pool: VAL1 can go; VAL3 moves into its list slot.
    env.as_(VAL1).deregister_validator().unwrap();
    assert_eq!(env.vault.validators(), vec![VAL3, VAL2]);
    assert!(!env.vault.validator_info(VAL1).0);
    assert_eq!(env.last_event::<ValidatorDeregistered>().validator, VAL1);
    assert!(matches!(
        env.as_(ALICE).stake(VAL1, tokens(1)),
        Err(Error::UnknownValidator(_))
    ));
    // The entry is still withdrawable, and the validator may come back.
    assert_eq!(env.as_(ALICE).withdraw(U256::ZERO), Ok(tokens(5)));
    env.register(VAL1, 0);
    assert_eq!(env.vault.validators(), vec![VAL3, VAL2, VAL1]);
    env.as_(VAL3).deregister_validator().unwrap();
    assert_eq!(env.vault.validators(), vec![VAL1, VAL2]);
}

#[test]
fn jail_and_unjail_move_voting_power() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(BOB).stake(VAL2, tokens(30)).unwrap();
    assert_eq!(env.as_(EVE).jail(VAL1), Err(unauthorized(EVE)));
    assert_eq!(
        env.as_(GOV).jail(VAL3),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(GOV).unjail(VAL1),
        Err(Error::ValidatorNotJailed(ValidatorNotJailed {
            validator: VAL1
        }))
    );
    env.as_(GOV).jail(VAL1).unwrap();
    assert_eq!(env.last_event::<ValidatorJailed>().validator, VAL1);
    assert_eq!(
        env.as_(GOV).jail(VAL1),
        Err(Error::JailedValidator(JailedValidator { validator: VAL1 }))
    );
    assert!(!env.vault.is_validator(VAL1));
    assert_eq!(env.vault.get_votes(VAL1), U256::ZERO);
    assert_eq!(env.vault.get_total_votes(), tokens(30));
    // A jailed validator accepts no stake, not even redelegated stake; stake leaving it by
    // redelegation unbonds (slashable) like any other.
    assert_eq!(
        env.as_(ALICE).stake(VAL1, tokens(1)),
        Err(Error::JailedValidator(JailedValidator { validator: VAL1 }))
    );
    let moved = env.as_(ALICE).redelegate(VAL1, VAL2, tokens(1)).unwrap();
    assert_eq!(env.vault.unbonding_entry(moved).unwrap().1, VAL1);
    assert_eq!(
        env.as_(BOB).redelegate(VAL2, VAL1, tokens(1)),
        Err(Error::JailedValidator(JailedValidator { validator: VAL1 }))
    );
    // Unbonding still works and does not touch the (zero) voting power.
    env.as_(ALICE).unstake(VAL1, tokens(3)).unwrap();
    assert_eq!(env.vault.get_total_votes(), tokens(30));
    assert_eq!(env.as_(EVE).unjail(VAL1), Err(unauthorized(EVE)));
    env.as_(GOV).unjail(VAL1).unwrap();
    assert_eq!(env.last_event::<ValidatorUnjailed>().validator, VAL1);
    assert_eq!(env.vault.get_votes(VAL1), tokens(6));
    assert_eq!(env.vault.get_total_votes(), tokens(36));
}

// ----- staking -----

#[test]
fn stake_pulls_lp_mints_shares_and_checkpoints() {
    let mut env = env_with_validators();
    let alice_lp = env.lp(ALICE);
    assert_eq!(env.as_(ALICE).stake(VAL1, tokens(100)), Ok(tokens(100)));
    env.as_(BOB).stake(VAL1, tokens(50)).unwrap();
    env.as_(VAL1).stake(VAL1, tokens(10)).unwrap();
    assert_eq!(env.lp(ALICE), alice_lp - tokens(100));
    assert_eq!(env.lp(VAULT), tokens(160));
    assert_eq!(env.vault.get_votes(VAL1), tokens(160));
    assert_eq!(env.vault.get_total_votes(), tokens(160));
    assert_eq!(env.vault.stake_of(BOB, VAL1), Ok((tokens(50), tokens(50))));
    let event = env.last_event::<Staked>();
    assert_eq!(
        (event.account, event.validator, event.amount),
        (VAL1, VAL1, tokens(10))
    );
    let votes = env.last_event::<DelegateVotesChanged>();
    assert_eq!(
        (votes.previousVotes, votes.newVotes),
        (tokens(150), tokens(160))
    );
    assert_eq!(
        env.vault.delegations_of(ALICE),
        Ok((vec![VAL1], vec![tokens(100)]))
    );
}

#[test]
fn stake_credits_the_balance_delta_of_fee_on_transfer_lp() {
    let mut env = env_with_validators();
    env.host.set_quirk(LP, Quirk::FeeOnTransfer(300));
    assert_eq!(env.as_(ALICE).stake(VAL1, tokens(100)), Ok(tokens(97)));
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(97));
    assert_eq!(env.lp(VAULT), tokens(97));
    assert_eq!(env.last_event::<Staked>().amount, tokens(97));
    // Withdrawal pays out exactly what is held (the token takes its fee on the way out).
    env.as_(ALICE).unstake(VAL1, tokens(97)).unwrap();
    env.advance(PERIOD);
    assert_eq!(env.as_(ALICE).withdraw(U256::ZERO), Ok(tokens(97)));
    assert_eq!(env.lp(VAULT), U256::ZERO);
}

#[test]
fn stake_rejects_bad_input_without_state_change() {
    let mut env = env_with_validators();
    env.as_(GOV).jail(VAL2).unwrap();
    let before = env.observe();
    assert_eq!(
        env.as_(ALICE).stake(VAL1, U256::ZERO),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    assert_eq!(
        env.as_(ALICE).stake(VAL3, tokens(1)),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(ALICE).stake(VAL2, tokens(1)),
        Err(Error::JailedValidator(JailedValidator { validator: VAL2 }))
    );
    // More than the balance: the token reverts.
    assert_eq!(
        env.as_(ALICE).stake(VAL1, tokens(2_000_000)),
        Err(Error::TokenCallFailed(TokenCallFailed { token: LP }))
    );
    env.host.set_quirk(LP, Quirk::Revert);
    assert_eq!(
        env.as_(ALICE).stake(VAL1, tokens(1)),
        Err(Error::TokenCallFailed(TokenCallFailed { token: LP }))
    );
    env.host.set_quirk(LP, Quirk::ReturnFalse);
    assert_eq!(
        env.as_(ALICE).stake(VAL1, tokens(1)),
        Err(Error::TokenCallFailed(TokenCallFailed { token: LP }))
    );
    env.host.set_quirk(LP, Quirk::None);
    assert!(!env.vault.guard.is_locked());
    assert_eq!(env.observe(), before);
    // A token that takes everything as fee delivers nothing: refused, nothing credited.
    env.host.set_quirk(LP, Quirk::FeeOnTransfer(10_000));
    assert_eq!(
        env.as_(ALICE).stake(VAL1, tokens(1)),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    assert_eq!(env.stake_value(ALICE, VAL1), U256::ZERO);
    assert_eq!(env.vault.get_total_votes(), U256::ZERO);
}

#[test]
fn delegations_per_account_are_bounded() {
    let mut env = Env::new();
    let validators: Vec<Address> = (0..=MAX_DELEGATIONS_PER_ACCOUNT as u8)
        .map(|i| Address::repeat_byte(0x30 + i))
        .collect();
    for v in &validators {
        env.register(*v, 0);
    }
    for v in &validators[..MAX_DELEGATIONS_PER_ACCOUNT] {
        env.as_(ALICE).stake(*v, tokens(1)).unwrap();
    }
    let last = validators[MAX_DELEGATIONS_PER_ACCOUNT];
    let limit = Error::TooManyDelegations(TooManyDelegations {});
    assert_eq!(env.as_(ALICE).stake(last, tokens(1)), Err(limit));
    // A redelegation that would need a 17th delegation at maturity is paid out instead.
    let half = env
        .as_(ALICE)
        .redelegate(validators[0], last, tokens(1) / u(2))
        .unwrap();
    env.advance(PERIOD);
    let lp = env.lp(ALICE);
    assert_eq!(env.as_(ALICE).withdraw(half), Ok(tokens(1) / u(2)));
    assert_eq!(env.lp(ALICE), lp + tokens(1) / u(2));
    assert_eq!(env.stake_value(ALICE, last), U256::ZERO);
    // Leaving a delegation frees a slot.
    let whole = env
        .as_(ALICE)
        .redelegate(validators[1], last, tokens(1))
        .unwrap();
    env.advance(PERIOD);
    assert_eq!(env.as_(ALICE).withdraw(whole), Ok(U256::ZERO));
    assert_eq!(env.stake_value(ALICE, last), tokens(1));
    assert_eq!(env.vault.delegations_of(ALICE).unwrap().0.len(), 16);
}

#[test]
fn redelegation_unbonds_now_and_bonds_to_the_destination_at_maturity() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    let id = env.as_(ALICE).redelegate(VAL1, VAL2, tokens(40)).unwrap();
    assert_eq!(id, U256::ZERO);
    let event = env.last_event::<Redelegated>();
    assert_eq!(
        (event.account, event.from, event.to, event.amount),
        (ALICE, VAL1, VAL2, tokens(40))
    );
    let started = env.last_event::<UnbondingStarted>();
    assert_eq!((started.entryId, started.amount), (id, tokens(40)));
    // The stake leaves VAL1 at once but counts for VAL2 only once the entry matures.
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(60));
    assert_eq!(env.stake_value(ALICE, VAL2), U256::ZERO);
    assert_eq!(env.vault.get_votes(VAL1), tokens(60));
    assert_eq!(env.vault.get_votes(VAL2), U256::ZERO);
    assert_eq!(env.vault.validator_info(VAL1).7, tokens(40));
    assert_eq!(
        env.vault.unbonding_entry(id),
        Ok((ALICE, VAL1, tokens(40), u(START + PERIOD), false))
    );
    env.advance(PERIOD - 1);
    assert!(matches!(
        env.as_(ALICE).withdraw(id),
        Err(Error::EntryNotMature(_))
    ));
    env.advance(1);
    let lp = env.lp(ALICE);
    // Withdrawing the matured entry bonds it to VAL2: nothing is paid out.
    assert_eq!(env.as_(ALICE).withdraw(id), Ok(U256::ZERO));
    assert_eq!(env.lp(ALICE), lp);
    assert_eq!(env.stake_value(ALICE, VAL2), tokens(40));
    assert_eq!(env.vault.get_votes(VAL2), tokens(40));
    assert_eq!(env.vault.get_total_votes(), tokens(100));
    assert_eq!(env.last_event::<Withdrawn>().amount, tokens(40));
    let staked = env.last_event::<Staked>();
    assert_eq!((staked.validator, staked.amount), (VAL2, tokens(40)));
    assert_eq!(env.lp(VAULT), tokens(100));
    // Moving everything drops the source from the account's list once the entry is made.
    let rest = env.as_(ALICE).redelegate(VAL1, VAL2, tokens(60)).unwrap();
    assert_eq!(
        env.vault.delegations_of(ALICE),
        Ok((vec![VAL2], vec![tokens(40)]))
    );
    // A destination jailed meanwhile accepts no stake: the LP is paid out instead.
    env.as_(GOV).jail(VAL2).unwrap();
    env.advance(PERIOD);
    assert_eq!(env.as_(ALICE).withdraw(rest), Ok(tokens(60)));
    assert_eq!(env.stake_value(ALICE, VAL2), tokens(40));
}

#[test]
fn redelegate_rejects_bad_input_without_state_change() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    let before = env.observe();
    assert_eq!(
        env.as_(ALICE).redelegate(VAL1, VAL2, U256::ZERO),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    env.as_(GOV).jail(VAL2).unwrap();
    assert_eq!(
        env.as_(ALICE).redelegate(VAL1, VAL2, tokens(1)),
        Err(Error::JailedValidator(JailedValidator { validator: VAL2 }))
    );
    env.as_(GOV).unjail(VAL2).unwrap();
    assert_eq!(
        env.as_(ALICE).redelegate(VAL1, VAL1, tokens(1)),
        Err(Error::SameValidator(SameValidator {}))
    );
    assert_eq!(
        env.as_(ALICE).redelegate(VAL1, VAL3, tokens(1)),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(ALICE).redelegate(VAL3, VAL1, tokens(1)),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(ALICE).redelegate(VAL1, VAL2, tokens(11)),
        Err(Error::InsufficientStake(InsufficientStake {
            have: tokens(10),
            want: tokens(11)
        }))
    );
    assert_eq!(env.observe(), before);
}

// ----- unbonding -----

#[test]
fn unstake_queues_an_entry_and_withdraw_pays_after_maturity() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    assert_eq!(env.as_(ALICE).unstake(VAL1, tokens(30)), Ok(U256::ZERO));
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(70));
    assert_eq!(env.vault.get_votes(VAL1), tokens(70));
    let event = env.last_event::<UnbondingStarted>();
    assert_eq!((event.entryId, event.amount), (U256::ZERO, tokens(30)));
    assert_eq!(event.maturity, u(START + PERIOD));
    assert_eq!(
        env.vault.unbonding_entry(U256::ZERO),
        Ok((ALICE, VAL1, tokens(30), u(START + PERIOD), false))
    );
    assert_eq!(env.vault.unbonding_entries_of(ALICE), vec![U256::ZERO]);
    assert_eq!(env.vault.validator_info(VAL1).7, tokens(30));

    env.advance(PERIOD - 1);
    assert_eq!(
        env.as_(ALICE).withdraw(U256::ZERO),
        Err(Error::EntryNotMature(EntryNotMature {
            entryId: U256::ZERO,
            maturity: u(START + PERIOD),
        }))
    );
    env.advance(1);
    let lp = env.lp(ALICE);
    assert_eq!(
        env.as_(BOB).withdraw(U256::ZERO),
        Err(Error::NotEntryOwner(NotEntryOwner {
            entryId: U256::ZERO
        }))
    );
    assert_eq!(env.as_(ALICE).withdraw(U256::ZERO), Ok(tokens(30)));
    assert_eq!(env.lp(ALICE), lp + tokens(30));
    assert_eq!(env.last_event::<Withdrawn>().amount, tokens(30));
    assert_eq!(
        env.as_(ALICE).withdraw(U256::ZERO),
        Err(Error::EntryAlreadyWithdrawn(EntryAlreadyWithdrawn {
            entryId: U256::ZERO
        }))
    );
    assert!(env.vault.unbonding_entry(U256::ZERO).unwrap().4);
    assert_eq!(env.vault.validator_info(VAL1).7, U256::ZERO);
}

#[test]
fn unstake_and_withdraw_reject_bad_input() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    let before = env.observe();
    assert_eq!(
        env.as_(ALICE).unstake(VAL1, U256::ZERO),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    assert_eq!(
        env.as_(ALICE).unstake(VAL3, tokens(1)),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(ALICE).unstake(VAL1, tokens(10) + u(1)),
        Err(Error::InsufficientStake(InsufficientStake {
            have: tokens(10),
            want: tokens(10) + u(1)
        }))
    );
    assert_eq!(
        env.as_(BOB).unstake(VAL1, u(1)),
        Err(Error::InsufficientStake(InsufficientStake {
            have: U256::ZERO,
            want: u(1)
        }))
    );
    assert_eq!(
        env.as_(ALICE).withdraw(u(7)),
        Err(Error::UnknownEntry(UnknownEntry { entryId: u(7) }))
    );
    assert_eq!(env.observe(), before);
}

#[test]
fn entries_withdrawn_before_their_release_are_skipped() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(BOB).stake(VAL1, tokens(10)).unwrap();
    for account in [ALICE, BOB, ALICE] {
        env.as_(account).unstake(VAL1, tokens(2)).unwrap();
    }
    env.advance(PERIOD);
    // Entry 1 is withdrawn straight out of the pool; the head has not moved.
    assert_eq!(env.as_(BOB).withdraw(u(1)), Ok(tokens(2)));
    assert_eq!(env.vault.meta_of(VAL1).queue_head, 0);
    assert_eq!(env.vault.validator_info(VAL1).7, tokens(4));
    // The next touch releases entries 0 and 2 and steps over entry 1.
    env.as_(BOB).unstake(VAL1, tokens(1)).unwrap();
    assert_eq!(env.vault.meta_of(VAL1).queue_head, 3);
    assert_eq!(env.vault.validator_info(VAL1).7, tokens(1));
    env.as_(GOV).slash(VAL1, u(5_000), REASON).unwrap();
    assert_eq!(env.vault.unbonding_entry(u(0)).unwrap().2, tokens(2));
    assert_eq!(env.vault.unbonding_entry(u(2)).unwrap().2, tokens(2));
    assert_eq!(env.vault.unbonding_entry(u(3)).unwrap().2, tokens(1) / u(2));
    assert_eq!(env.as_(ALICE).withdraw(u(2)), Ok(tokens(2)));
    assert_eq!(env.as_(ALICE).withdraw(u(0)), Ok(tokens(2)));
    assert_eq!(
        env.as_(BOB).withdraw(u(1)),
        Err(Error::EntryAlreadyWithdrawn(EntryAlreadyWithdrawn {
            entryId: u(1)
        }))
    );
}

// ----- slashing -----

#[test]
fn slash_cuts_bonded_and_unbonding_pro_rata() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(300)).unwrap();
    env.as_(BOB).stake(VAL1, tokens(100)).unwrap();
    env.as_(CAROL).stake(VAL2, tokens(50)).unwrap();
    env.as_(BOB).unstake(VAL1, tokens(100)).unwrap();
    env.as_(GOV).slash(VAL1, u(1_000), REASON).unwrap();
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(270));
    assert_eq!(env.vault.unbonding_entry(U256::ZERO).unwrap().2, tokens(90));
    assert_eq!(env.stake_value(CAROL, VAL2), tokens(50));
    assert_eq!(env.vault.get_votes(VAL1), tokens(270));
    assert_eq!(env.vault.get_total_votes(), tokens(320));
    assert_eq!(env.lp(TREASURY), tokens(40));
    assert_eq!(env.lp(VAULT), tokens(410));
    let event = env.last_event::<ValidatorSlashed>();
    assert_eq!(event.validator, VAL1);
    assert_eq!(
        (event.bondedSlashed, event.unbondingSlashed),
        (tokens(30), tokens(10))
    );
    assert_eq!(event.reasonHash, REASON);
    assert!(env.vault.is_validator(VAL1), "slash alone does not jail");
    env.advance(PERIOD);
    assert_eq!(env.as_(BOB).withdraw(U256::ZERO), Ok(tokens(90)));
    // New stake after a slash gets shares at the slashed price.
    assert_eq!(env.as_(CAROL).stake(VAL1, tokens(27)), Ok(tokens(30)));
    assert_eq!(env.stake_value(CAROL, VAL1), tokens(27));
}

#[test]
fn matured_entries_are_not_slashed() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    env.as_(ALICE).unstake(VAL1, tokens(10)).unwrap();
    env.advance(PERIOD / 2);
    env.as_(ALICE).unstake(VAL1, tokens(10)).unwrap();
    env.advance(PERIOD / 2);
    // Entry 0 is mature, entry 1 is not.
    env.as_(GOV).slash(VAL1, u(5_000), REASON).unwrap();
    assert_eq!(env.vault.unbonding_entry(u(0)).unwrap().2, tokens(10));
    assert_eq!(env.vault.unbonding_entry(u(1)).unwrap().2, tokens(5));
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(40));
    assert_eq!(env.lp(TREASURY), tokens(45));
    assert_eq!(
        env.last_event::<ValidatorSlashed>().unbondingSlashed,
        tokens(5)
    );
}

#[test]
fn slash_rejects_bad_input_without_state_change() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    let before = env.observe();
    assert_eq!(
        env.as_(EVE).slash(VAL1, u(100), REASON),
        Err(unauthorized(EVE))
    );
    assert_eq!(
        env.as_(ALICE).slash_and_jail(VAL1, u(100), REASON),
        Err(unauthorized(ALICE))
    );
    assert_eq!(
        env.as_(GOV).slash(VAL3, u(100), REASON),
        Err(Error::UnknownValidator(UnknownValidator {
            validator: VAL3
        }))
    );
    assert_eq!(
        env.as_(GOV).slash(VAL1, U256::ZERO, REASON),
        Err(Error::SlashOutOfRange(SlashOutOfRange {
            bps: U256::ZERO,
            maxBps: u(5_000)
        }))
    );
    assert_eq!(
        env.as_(GOV).slash(VAL1, u(5_001), REASON),
        Err(Error::SlashOutOfRange(SlashOutOfRange {
            bps: u(5_001),
            maxBps: u(5_000)
        }))
    );
    assert_eq!(
        env.as_(GOV).slash(VAL1, U256::MAX, REASON),
        Err(Error::SlashOutOfRange(SlashOutOfRange {
            bps: U256::MAX,
            maxBps: u(5_000)
        }))
    );
    assert_eq!(env.observe(), before);
}

#[test]
fn slash_and_jail_jails_and_zeroes_power() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(100)).unwrap();
    env.as_(BOB).stake(VAL2, tokens(100)).unwrap();
    env.as_(GOV).slash_and_jail(VAL1, u(2_000), REASON).unwrap();
    assert!(!env.vault.is_validator(VAL1));
    assert_eq!(env.vault.get_votes(VAL1), U256::ZERO);
    assert_eq!(env.vault.get_total_votes(), tokens(100));
    assert_eq!(env.vault.validator_info(VAL1).5, tokens(80));
    assert_eq!(env.lp(TREASURY), tokens(20));
    // Slashing a jailed validator still cuts its stake, without touching power.
    env.as_(GOV).slash_and_jail(VAL1, u(5_000), REASON).unwrap();
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(40));
    assert_eq!(env.vault.get_total_votes(), tokens(100));
    assert_eq!(env.count_events::<ValidatorJailed>(), 1);
}

// ----- voting power history -----

#[test]
fn past_votes_use_timestamps_and_same_second_updates() {
    let mut env = env_with_validators();
    let t0 = env.now();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(BOB).stake(VAL1, tokens(5)).unwrap();
    env.as_(ALICE).unstake(VAL1, tokens(3)).unwrap();
    env.advance(10);
    let t1 = env.now();
    env.as_(BOB).stake(VAL2, tokens(8)).unwrap();
    env.as_(BOB).redelegate(VAL1, VAL2, tokens(5)).unwrap();
    assert_eq!(
        env.vault.get_past_votes(VAL1, u(t1)),
        Err(Error::ERC5805FutureLookup(ERC5805FutureLookup {
            timepoint: u(t1),
            clock: U48::from(t1)
        }))
    );
    assert_eq!(
        env.vault.get_past_total_supply(u(t1 + 5)),
        Err(Error::ERC5805FutureLookup(ERC5805FutureLookup {
            timepoint: u(t1 + 5),
            clock: U48::from(t1)
        }))
    );
    env.advance(1);
    assert_eq!(env.vault.get_past_votes(VAL1, u(t0 - 1)), Ok(U256::ZERO));
    assert_eq!(env.vault.get_past_votes(VAL1, u(t0)), Ok(tokens(12)));
    assert_eq!(env.vault.get_past_votes(VAL1, u(t1 - 1)), Ok(tokens(12)));
    assert_eq!(env.vault.get_past_votes(VAL1, u(t1)), Ok(tokens(7)));
    // The redelegated 5 count for VAL2 only once their entry matures.
    assert_eq!(env.vault.get_past_votes(VAL2, u(t1)), Ok(tokens(8)));
    assert_eq!(env.vault.get_past_total_supply(u(t0)), Ok(tokens(12)));
    assert_eq!(env.vault.get_past_total_supply(u(t1)), Ok(tokens(15)));
    // One checkpoint per second per validator.
    assert_eq!(env.vault.validators.getter(VAL1).votes.len(), 2);
    assert_eq!(env.vault.total_votes.len(), 2);
}

#[test]
fn past_votes_binary_search_over_many_checkpoints() {
    let mut env = env_with_validators();
    let t0 = env.now();
    for i in 1..=200u64 {
        env.as_(ALICE).stake(VAL1, tokens(i)).unwrap();
        env.advance(3);
    }
    assert_eq!(env.vault.validators.getter(VAL1).votes.len(), 200);
    let mut total = U256::ZERO;
    for i in 1..=200u64 {
        total += tokens(i);
        let t = t0 + (i - 1) * 3;
        assert_eq!(env.vault.get_past_votes(VAL1, u(t)), Ok(total));
        assert_eq!(env.vault.get_past_votes(VAL1, u(t + 2)), Ok(total));
        assert_eq!(env.vault.get_past_total_supply(u(t + 1)), Ok(total));
    }
}

// ----- rewards -----

#[test]
fn rewards_follow_power_and_commission() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(60)).unwrap();
    env.as_(VAL1).stake(VAL1, tokens(20)).unwrap();
    env.as_(BOB).stake(VAL2, tokens(20)).unwrap();
    let vault_before = env.reward(VAULT);
    env.as_(CAROL).notify_reward_amount(tokens(1_000)).unwrap();
    env.stream();
    assert_eq!(env.reward(VAULT), vault_before + tokens(1_000));
    assert_eq!(env.last_event::<RewardNotified>().amount, tokens(1_000));
    // VAL1: 800 (80% of power) -> 80 commission, 720 to 80 LP of shares (ALICE 540, VAL1 180).
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(540)));
    assert_eq!(env.vault.pending_rewards(VAL1), Ok(tokens(260)));
    assert_eq!(env.vault.pending_rewards(BOB), Ok(tokens(200)));
    let alice = env.reward(ALICE);
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(540)));
    assert_eq!(env.reward(ALICE), alice + tokens(540));
    assert_eq!(env.last_event::<RewardsClaimed>().amount, tokens(540));
    assert_eq!(env.as_(VAL1).claim_rewards(), Ok(tokens(260)));
    assert_eq!(env.as_(BOB).claim_rewards(), Ok(tokens(200)));
    assert_eq!(env.reward(VAULT), vault_before);
}

/// The stream's rate (scaled by 1e27) and end.
fn stream_of(env: &Env) -> (U256, u64) {
    let times = env.vault.reward_times.get();
    (env.vault.reward_rate.get(), times.as_limbs()[0])
}

#[test]
fn rewards_stream_over_the_unbonding_period_and_top_ups_carry_the_rest() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(100)).unwrap();
    env.as_(CAROL).notify_reward_amount(tokens(1_000)).unwrap();
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(U256::ZERO));
    // 1e48 (1,000 tokens scaled by 1e27) / 100,000 s: an exact rate (0.01 token per second).
    assert_eq!(
        stream_of(&env),
        (tokens(1_000) * REWARD_PRECISION / u(PERIOD), START + PERIOD)
    );
    env.advance(PERIOD / 4);
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(250)));
    // A top-up streams the new amount plus the 750 left over a fresh full period.
    env.as_(CAROL).notify_reward_amount(tokens(250)).unwrap();
    assert_eq!(stream_of(&env).1, START + PERIOD / 4 + PERIOD);
    env.advance(PERIOD / 2);
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(750)));
    // Stake joining mid-stream shares only what streams afterwards.
    env.as_(BOB).stake(VAL2, tokens(100)).unwrap();
    env.advance(PERIOD);
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(1_000)));
    assert_eq!(env.vault.pending_rewards(BOB), Ok(tokens(250)));
    // Nothing streams after the end.
    env.advance(PERIOD);
    assert_eq!(env.as_(BOB).claim_rewards(), Ok(tokens(250)));
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(1_000)));
    assert_eq!(env.reward(VAULT), U256::ZERO);
}

#[test]
fn a_new_unbonding_period_sets_the_next_stream_length() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(100)).unwrap();
    set_params(
        &mut env,
        GOV,
        TREASURY,
        PERIOD * 2,
        MAX_COMMISSION.into(),
        DEFAULT_MAX_SLASH_BPS.into(),
    )
    .unwrap();
    env.as_(BOB).notify_reward_amount(tokens(200)).unwrap();
    assert_eq!(
        stream_of(&env),
        (
            tokens(200) * REWARD_PRECISION / u(PERIOD * 2),
            START + PERIOD * 2
        )
    );
    env.advance(PERIOD);
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(100)));
    // While nobody has power, the stream pays nobody: those tokens stay in the vault.
    env.as_(ALICE).unstake(VAL2, tokens(100)).unwrap();
    env.advance(PERIOD / 2);
    env.as_(ALICE).stake(VAL2, tokens(100)).unwrap();
    env.advance(PERIOD);
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(150)));
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(150)));
    assert_eq!(env.reward(VAULT), tokens(50));
}

#[test]
fn claim_twice_fails_and_nothing_to_claim_is_typed() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(10)).unwrap();
    assert_eq!(
        env.as_(ALICE).claim_rewards(),
        Err(Error::NothingToClaim(NothingToClaim {}))
    );
    env.as_(BOB).notify_reward_amount(tokens(5)).unwrap();
    env.stream();
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(5)));
    let before = env.observe();
    assert_eq!(
        env.as_(ALICE).claim_rewards(),
        Err(Error::NothingToClaim(NothingToClaim {}))
    );
    assert_eq!(env.observe(), before);
}

#[test]
fn stake_changes_split_rewards_by_time() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(10)).unwrap();
    env.as_(BOB).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    env.as_(BOB).stake(VAL2, tokens(30)).unwrap();
    env.as_(CAROL).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(125)));
    assert_eq!(env.vault.pending_rewards(BOB), Ok(tokens(75)));
    // Unstaked stake earns nothing more, but keeps what it earned.
    env.as_(ALICE).unstake(VAL2, tokens(10)).unwrap();
    env.as_(CAROL).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(125)));
    // 100 / 30 per share is inexact: one wei of dust stays in the vault.
    assert_eq!(env.vault.pending_rewards(BOB), Ok(tokens(175) - u(1)));
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(125)));
}

#[test]
fn jailed_validators_earn_nothing() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(BOB).stake(VAL2, tokens(10)).unwrap();
    env.as_(GOV).jail(VAL1).unwrap();
    env.as_(CAROL).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(U256::ZERO));
    assert_eq!(env.vault.pending_rewards(VAL1), Ok(U256::ZERO));
    assert_eq!(env.vault.pending_rewards(BOB), Ok(tokens(100)));
    env.as_(GOV).unjail(VAL1).unwrap();
    env.as_(CAROL).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(45)));
    assert_eq!(env.vault.pending_rewards(VAL1), Ok(tokens(5)));
}

#[test]
fn notify_rejects_bad_input_without_state_change() {
    let mut env = env_with_validators();
    assert_eq!(
        env.as_(BOB).notify_reward_amount(tokens(1)),
        Err(Error::NoVotingPower(NoVotingPower {}))
    );
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    let before = env.observe();
    assert_eq!(
        env.as_(BOB).notify_reward_amount(U256::ZERO),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    env.host.set_quirk(REWARD, Quirk::ReturnFalse);
    assert_eq!(
        env.as_(BOB).notify_reward_amount(tokens(1)),
        Err(Error::TokenCallFailed(TokenCallFailed { token: REWARD }))
    );
    env.host.set_quirk(REWARD, Quirk::None);
    assert_eq!(env.observe(), before);
    // 1 wei spread over 1e19 power rounds to nothing: refused rather than silently lost.
    let mut big = Env::new();
    big.register(VAL1, 0);
    big.host.mint(LP, ALICE, tokens(1_000_000_000_000));
    big.as_(ALICE)
        .stake(VAL1, tokens(1_000_000_000_000))
        .unwrap();
    assert_eq!(
        big.as_(BOB).notify_reward_amount(u(1)),
        Err(Error::AmountTooSmall(AmountTooSmall { amount: u(1) }))
    );
}

#[test]
fn taxed_reward_token_credits_what_arrived() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL2, tokens(10)).unwrap();
    env.host.set_quirk(REWARD, Quirk::FeeOnTransfer(100));
    env.as_(BOB).notify_reward_amount(tokens(100)).unwrap();
    env.stream();
    assert_eq!(env.last_event::<RewardNotified>().amount, tokens(99));
    assert_eq!(env.vault.pending_rewards(ALICE), Ok(tokens(99)));
    assert_eq!(env.as_(ALICE).claim_rewards(), Ok(tokens(99)));
    assert_eq!(env.reward(VAULT), U256::ZERO);
}

// ----- reentrancy -----

/// Installs a token hook that re-enters the vault with `attack` and records its result.
fn reenter(
    env: &Env,
    attack: impl Fn(&mut Vault) -> Result<(), Error> + 'static,
) -> Rc<RefCell<Vec<Result<(), Error>>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let record = seen.clone();
    env.host.set_hook(Some(Rc::new(move |host: &TokenHost| {
        let mut inner = Vault::from(host);
        record.borrow_mut().push(attack(&mut inner));
    })));
    seen
}

#[test]
fn malicious_lp_token_cannot_reenter_stake_or_withdraw() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(ALICE).unstake(VAL1, tokens(5)).unwrap();
    env.advance(PERIOD);
    let seen = reenter(&env, |v| v.stake(VAL1, tokens(1)).map(|_| ()));
    env.as_(ALICE).stake(VAL1, tokens(1)).unwrap();
    let seen_withdraw = reenter(&env, |v| v.withdraw(U256::ZERO).map(|_| ()));
    env.as_(ALICE).withdraw(U256::ZERO).unwrap();
    env.host.set_hook(None);
    assert_eq!(
        seen.borrow().as_slice(),
        &[Err(Error::ReentrantCall(ReentrantCall {}))]
    );
    assert_eq!(
        seen_withdraw.borrow().as_slice(),
        &[Err(Error::ReentrantCall(ReentrantCall {}))]
    );
    // The outer calls completed exactly once.
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(6));
    assert!(env.vault.unbonding_entry(U256::ZERO).unwrap().4);
}

#[test]
fn malicious_reward_token_cannot_reenter_claim_notify_or_slash() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(BOB).notify_reward_amount(tokens(10)).unwrap();
    env.stream();
    let seen = reenter(&env, |v| {
        v.claim_rewards()?;
        Ok(())
    });
    let paid = env.as_(ALICE).claim_rewards().unwrap();
    assert_eq!(
        seen.borrow().as_slice(),
        &[Err(Error::ReentrantCall(ReentrantCall {}))]
    );
    let seen = reenter(&env, |v| v.notify_reward_amount(tokens(1)));
    env.as_(BOB).notify_reward_amount(tokens(10)).unwrap();
    env.stream();
    assert_eq!(
        seen.borrow().as_slice(),
        &[Err(Error::ReentrantCall(ReentrantCall {}))]
    );
    let seen = reenter(&env, |v| v.slash(VAL1, U256::from(1), REASON));
    env.as_(GOV).slash(VAL1, U256::from(100), REASON).unwrap();
    assert_eq!(
        seen.borrow().as_slice(),
        &[Err(Error::ReentrantCall(ReentrantCall {}))]
    );
    env.host.set_hook(None);
    assert!(paid > U256::ZERO);
    assert_eq!(env.stake_value(ALICE, VAL1), tokens(10) * u(99) / u(100));
    assert!(!env.vault.guard.is_locked());
}

#[test]
fn compact_revert_data_matches_the_abi_encoding() {
    let a = Address::repeat_byte(0x42);
    let n = U256::MAX - U256::from(3);
    let samples: Vec<Error> = vec![
        ZeroAmount {}.into(),
        AmountTooSmall { amount: n }.into(),
        UnknownValidator { validator: a }.into(),
        ValidatorAlreadyRegistered { validator: a }.into(),
        JailedValidator { validator: a }.into(),
        ValidatorNotJailed { validator: a }.into(),
        ValidatorHasStake { validator: a }.into(),
        InsufficientStake {
            have: n,
            want: u(7),
        }
        .into(),
        CommissionTooHigh {
            requestedBps: u(1),
            maxBps: u(2),
        }
        .into(),
        CommissionStepTooLarge {
            currentBps: u(3),
            requestedBps: u(4),
        }
        .into(),
        SlashOutOfRange {
            bps: u(5),
            maxBps: u(6),
        }
        .into(),
        SameValidator {}.into(),
        UnknownEntry { entryId: n }.into(),
        NotEntryOwner { entryId: u(8) }.into(),
        EntryNotMature {
            entryId: u(9),
            maturity: n,
        }
        .into(),
        EntryAlreadyWithdrawn { entryId: u(10) }.into(),
        NothingToClaim {}.into(),
        NoVotingPower {}.into(),
        TooManyDelegations {}.into(),
        TokenCallFailed { token: a }.into(),
        IdenticalTokens {}.into(),
        UnbondingPeriodOutOfRange { period: n }.into(),
        ERC5805FutureLookup {
            timepoint: n,
            clock: U48::MAX,
        }
        .into(),
        Unauthorized {
            caller: a,
            required: GOV,
        }
        .into(),
        ZeroAddress {}.into(),
        NotPendingGovernance {
            caller: a,
            pending: GOV,
        }
        .into(),
        ReentrantCall {}.into(),
        ArithmeticOverflow {}.into(),
        BpsOutOfRange {
            value: n,
            max: u(11),
        }
        .into(),
        agentdao_common::checkpoints::CheckpointUnorderedInsertion {
            last: n,
            key: u(12),
        }
        .into(),
        NotDelegated {}.into(),
    ];
    for error in samples {
        let reference = error.abi_encode_reference();
        assert_eq!(Vec::<u8>::from(error.clone()), reference, "{error:?}");
    }
}

#[test]
fn a_validator_reward_goes_to_its_pool_with_commission() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(30)).unwrap();
    env.as_(BOB).stake(VAL1, tokens(10)).unwrap();
    env.as_(CAROL).stake(VAL2, tokens(10)).unwrap();
    let before = env.reward(EVE);
    env.as_(EVE)
        .notify_validator_reward(VAL1, tokens(100))
        .unwrap();
    assert_eq!(env.reward(EVE), before - tokens(100));
    let event = env.last_event::<ValidatorRewardNotified>();
    assert_eq!(
        (
            event.sender,
            event.validator,
            event.amount,
            event.commission
        ),
        (EVE, VAL1, tokens(100), tokens(10))
    );
    // VAL1 keeps 10% commission; its delegators share the rest 3:1; VAL2's delegator gets
    // nothing of it.
    assert_eq!(env.vault.pending_rewards(VAL1).unwrap(), tokens(10));
    let alice = env.vault.pending_rewards(ALICE).unwrap();
    let bob = env.vault.pending_rewards(BOB).unwrap();
    assert!(tokens(90) * u(3) / u(4) - alice <= u(1), "{alice}");
    assert!(tokens(90) / u(4) - bob <= u(1), "{bob}");
    assert_eq!(env.vault.pending_rewards(CAROL).unwrap(), U256::ZERO);
    assert_eq!(env.as_(ALICE).claim_rewards().unwrap(), alice);
}

#[test]
fn a_validator_reward_reaches_a_jailed_validators_delegators_and_an_empty_pool_goes_to_the_validator(
) {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    env.as_(GOV).jail(VAL1).unwrap();
    env.as_(EVE)
        .notify_validator_reward(VAL1, tokens(10))
        .unwrap();
    assert_eq!(env.vault.pending_rewards(VAL1).unwrap(), tokens(1));
    assert!(tokens(9) - env.vault.pending_rewards(ALICE).unwrap() <= u(1));
    env.as_(EVE)
        .notify_validator_reward(VAL2, tokens(5))
        .unwrap();
    assert_eq!(env.vault.pending_rewards(VAL2).unwrap(), tokens(5));
}

#[test]
fn a_validator_reward_rejects_bad_input() {
    let mut env = env_with_validators();
    assert_eq!(
        env.as_(EVE).notify_validator_reward(VAL1, U256::ZERO),
        Err(Error::ZeroAmount(ZeroAmount {}))
    );
    assert_eq!(
        env.as_(EVE).notify_validator_reward(EVE, tokens(1)),
        Err(Error::UnknownValidator(UnknownValidator { validator: EVE }))
    );
    env.host.set_quirk(REWARD, Quirk::ReturnFalse);
    assert_eq!(
        env.as_(EVE).notify_validator_reward(VAL1, tokens(1)),
        Err(Error::TokenCallFailed(TokenCallFailed { token: REWARD }))
    );
}

#[test]
fn only_governance_appoints_the_jailer_who_may_then_jail_and_unjail() {
    let mut env = env_with_validators();
    env.as_(ALICE).stake(VAL1, tokens(10)).unwrap();
    let (_, _, treasury, period, max_commission, max_slash) = env.vault.parameters();
    let appoint = |env: &mut Env, caller: Address, jailer: Address| {
        env.as_(caller)
            .set_parameters(treasury, period, max_commission, max_slash, jailer)
    };
    assert_eq!(appoint(&mut env, EVE, EVE), Err(unauthorized(EVE)));
    assert_eq!(env.as_(EVE).jail(VAL1), Err(unauthorized(EVE)));
    appoint(&mut env, GOV, CAROL).unwrap();
    assert_eq!(env.vault.jailer(), CAROL);
    assert_eq!(env.last_event::<ParametersUpdated>().jailer, CAROL);
    env.as_(CAROL).jail(VAL1).unwrap();
    assert_eq!(env.vault.get_votes(VAL1), U256::ZERO);
    env.advance(1);
    env.as_(CAROL).unjail(VAL1).unwrap();
    assert_eq!(env.vault.get_votes(VAL1), tokens(10));
    appoint(&mut env, GOV, Address::ZERO).unwrap();
    assert_eq!(env.as_(CAROL).jail(VAL1), Err(unauthorized(CAROL)));
}

/// Every event's generated `emit` and `emit_by_ref` write exactly the log alloy's `SolEvent`
/// encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 16);
}
