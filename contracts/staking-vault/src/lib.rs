#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Staking vault: liquidity providers stake the agent pool's LP token and delegate it to
//! validators (delegated proof of stake). A validator's voting power in the SubDAO is the stake
//! bonded to it, checkpointed by timestamp (ERC-6372 `mode=timestamp`).
//!
//! Roles:
//! - **governance** (the SubDAO): slashes, jails/unjails, sets the unbonding period, maximum
//!   commission, maximum slash and treasury; two-step handover.
//! - **validators**: register with a commission, announce commission changes (bounded step,
//!   applied after [`COMMISSION_DELAY`]), deregister once no stake remains.
//! - **delegators** (validators included, for their self-stake): stake, redelegate, unstake into
//!   the unbonding queue, withdraw matured entries, claim rewards.
//! - **anyone**: notifies rewards (pulls reward tokens).
//!
//! Accounting:
//! - Each validator has a bonded pool and an unbonding pool of LP owned by shares
//!   ([`pool`]); a slash cuts both pools' tokens by the same fraction in `O(1)`.
//! - Unbonding entries sit in a per-validator queue ordered by maturity; an entry leaves the
//!   slashable pool (is *released* at a fixed amount) once mature, lazily at the next touch of
//!   that validator, always before a slash applies. Hence entries are slashable until mature.
//! - Rewards: a global reward-per-power accumulator (scaled by [`REWARD_PRECISION`]); each
//!   validator accrues `power × Δaccumulator`, keeps its commission and spreads the rest over its
//!   pool shares through a per-validator reward-per-share accumulator.
//!
//! Invariants (checked by the property tests):
//! - the vault's LP balance is at least the sum of every delegator's bonded value and every
//!   unbonding entry's value (all rounding favours the vault);
//! - the sum of validator voting powers equals the total voting power, at every checkpoint;
//! - a slash never raises anyone's stake; rewards paid never exceed rewards received.
//!
//! Dust: each notification leaves at most `total_power / 1e27` wei undistributed in the
//! accumulator, each validator settlement at most 1 wei of commission and `shares / 1e27` wei of
//! delegator rewards, each delegator settlement at most 1 wei; LP rounding leaves at most 1 wei
//! per conversion in the pools. Dust stays in the vault; it never makes a claim unpayable.
//!
//! Tokens: the LP token is pulled with `transferFrom` and credited by the balance delta (safe
//! with fee-on-transfer tokens); transfers must return `true`. Reward tokens are credited the
//! same way. Both tokens must differ. Payouts use `transfer`; a taxed reward token (the agent
//! token) taxes payouts unless the vault is tax-exempt.
extern crate alloc;

mod internal;
pub mod pool;
mod sol;
#[cfg(test)]
mod tests;

use agentdao_common::checkpoints::{CheckpointUnorderedInsertion, Checkpoints};
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::math::{add, check_bps, sub, BPS_DENOMINATOR};
use agentdao_common::muldiv::mul_div_floor as mul_div;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{
    aliases::{U16, U48},
    Address, FixedBytes, U256, U64,
};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageB256, StorageBool, StorageMap, StorageU16, StorageU256, StorageU64,
    StorageVec,
};

pub use sol::*;

/// Semantic version of this contract.
pub const VERSION: &str = "0.1.0";
/// Seconds between announcing a commission change and its earliest application.
pub const COMMISSION_DELAY: u64 = 2 * 24 * 3600;
/// Largest commission change (up or down) per announcement, in basis points.
pub const MAX_COMMISSION_STEP_BPS: u16 = 500;
/// Hard upper bound for the governance-set maximum slash. Below 100% so a slash never empties a
/// pool that still has shares (which would break the share price).
pub const MAX_SLASH_LIMIT_BPS: u16 = 9_000;
/// Maximum slash at deployment.
pub const DEFAULT_MAX_SLASH_BPS: u16 = 5_000;
/// Shortest allowed unbonding period (1 hour).
pub const MIN_UNBONDING_PERIOD: u64 = 3_600;
/// Longest allowed unbonding period (90 days).
pub const MAX_UNBONDING_PERIOD: u64 = 90 * 24 * 3_600;
/// Most validators one account may delegate to at once (bounds `claimRewards`).
pub const MAX_DELEGATIONS_PER_ACCOUNT: usize = 16;
/// Fixed-point scale of the reward accumulators (1e27).
pub const REWARD_PRECISION: U256 = U256::from_limbs([0x9fd0_803c_e800_0000, 0x033b_2e3c, 0, 0]);

/// Every error the vault can raise.
#[derive(SolidityError, Debug, Clone, PartialEq)]
pub enum Error {
    /// See [`ZeroAmount`].
    ZeroAmount(ZeroAmount),
    /// See [`AmountTooSmall`].
    AmountTooSmall(AmountTooSmall),
    /// See [`UnknownValidator`].
    UnknownValidator(UnknownValidator),
    /// See [`ValidatorAlreadyRegistered`].
    ValidatorAlreadyRegistered(ValidatorAlreadyRegistered),
    /// See [`JailedValidator`].
    JailedValidator(JailedValidator),
    /// See [`ValidatorNotJailed`].
    ValidatorNotJailed(ValidatorNotJailed),
    /// See [`ValidatorHasStake`].
    ValidatorHasStake(ValidatorHasStake),
    /// See [`InsufficientStake`].
    InsufficientStake(InsufficientStake),
    /// See [`CommissionTooHigh`].
    CommissionTooHigh(CommissionTooHigh),
    /// See [`CommissionStepTooLarge`].
    CommissionStepTooLarge(CommissionStepTooLarge),
    /// See [`SlashOutOfRange`].
    SlashOutOfRange(SlashOutOfRange),
    /// See [`SameValidator`].
    SameValidator(SameValidator),
    /// See [`UnknownEntry`].
    UnknownEntry(UnknownEntry),
    /// See [`NotEntryOwner`].
    NotEntryOwner(NotEntryOwner),
    /// See [`EntryNotMature`].
    EntryNotMature(EntryNotMature),
    /// See [`EntryAlreadyWithdrawn`].
    EntryAlreadyWithdrawn(EntryAlreadyWithdrawn),
    /// See [`NothingToClaim`].
    NothingToClaim(NothingToClaim),
    /// See [`NoVotingPower`].
    NoVotingPower(NoVotingPower),
    /// See [`RewardTooSmall`].
    RewardTooSmall(RewardTooSmall),
    /// See [`TooManyDelegations`].
    TooManyDelegations(TooManyDelegations),
    /// See [`TokenCallFailed`].
    TokenCallFailed(TokenCallFailed),
    /// See [`IdenticalTokens`].
    IdenticalTokens(IdenticalTokens),
    /// See [`UnbondingPeriodOutOfRange`].
    UnbondingPeriodOutOfRange(UnbondingPeriodOutOfRange),
    /// See [`ERC5805FutureLookup`].
    ERC5805FutureLookup(ERC5805FutureLookup),
    /// Caller lacks the governance role.
    Unauthorized(Unauthorized),
    /// A required address was zero.
    ZeroAddress(ZeroAddress),
    /// Governance handover accepted by someone else than the nominee.
    NotPendingGovernance(NotPendingGovernance),
    /// A guarded function was re-entered.
    ReentrantCall(ReentrantCall),
    /// Checked arithmetic failed.
    ArithmeticOverflow(ArithmeticOverflow),
    /// A basis-point parameter exceeded its bound.
    BpsOutOfRange(BpsOutOfRange),
    /// Checkpoints pushed out of order (cannot happen with a monotonic clock).
    CheckpointUnorderedInsertion(CheckpointUnorderedInsertion),
}

/// A validator: registry data, its two share pools, reward accumulators and vote history.
#[storage]
pub struct Validator {
    /// Whether the validator is registered.
    registered: StorageBool,
    /// Whether governance jailed it (zero voting power, no new stake).
    jailed: StorageBool,
    /// Commission on rewards, in basis points.
    commission_bps: StorageU16,
    /// Announced commission, valid when `pending_commission_at` is non-zero.
    pending_commission_bps: StorageU16,
    /// Earliest time the announced commission applies; zero when none is announced.
    pending_commission_at: StorageU64,
    /// Position in the validator list plus one (zero when not listed).
    list_position: StorageU64,
    /// Bonded LP (the voting power while active).
    bonded_tokens: StorageU256,
    /// Shares of the bonded pool.
    total_shares: StorageU256,
    /// LP in immature unbonding entries (slashable).
    unbonding_tokens: StorageU256,
    /// Shares of the unbonding pool.
    unbonding_shares: StorageU256,
    /// Global reward-per-power at the last settlement.
    reward_snapshot: StorageU256,
    /// Delegator rewards per bonded share, scaled by [`REWARD_PRECISION`].
    reward_per_share: StorageU256,
    /// Unbonding entry ids in maturity order.
    queue: StorageVec<StorageU64>,
    /// Index in `queue` of the first entry not yet released.
    queue_head: StorageU64,
    /// Latest maturity in `queue` (maturities never decrease along the queue).
    last_maturity: StorageU64,
    /// Voting power history.
    votes: Checkpoints,
    /// keccak256 of the metadata URI (the URI itself is in the `ValidatorRegistered` log;
    /// storing only its hash keeps the contract small).
    metadata_hash: StorageB256,
}

/// One account's stake with one validator.
#[storage]
pub struct Delegation {
    /// Shares of the validator's bonded pool.
    shares: StorageU256,
    /// Validator's reward-per-share at the last settlement.
    reward_snapshot: StorageU256,
}

/// A queued unstake.
#[storage]
pub struct UnbondingEntry {
    /// Account that may withdraw it.
    owner: StorageAddress,
    /// Validator whose unbonding pool held it.
    validator: StorageAddress,
    /// Time from which it can be withdrawn.
    maturity: StorageU64,
    /// Whether it left the unbonding pool (its amount is then fixed in `tokens`).
    released: StorageBool,
    /// Whether it was withdrawn.
    withdrawn: StorageBool,
    /// Shares of the validator's unbonding pool while not released.
    shares: StorageU256,
    /// LP amount once released.
    tokens: StorageU256,
}

/// The staking vault.
#[storage]
#[entrypoint]
pub struct StakingVault {
    /// Governance role (two-step handover).
    governance: Governance,
    /// Lock for functions that call tokens.
    guard: ReentrancyGuard,
    /// The staked LP token.
    lp_token: StorageAddress,
    /// The reward token (the agent token).
    reward_token: StorageAddress,
    /// Receiver of slashed LP.
    treasury: StorageAddress,
    /// Seconds an unstake waits before withdrawal.
    unbonding_period: StorageU64,
    /// Highest commission a validator may set, in basis points.
    max_commission_bps: StorageU16,
    /// Highest slash governance may apply at once, in basis points.
    max_slash_bps: StorageU16,
    /// Validators by address.
    validators: StorageMap<Address, Validator>,
    /// Registered validators, in no particular order.
    validator_list: StorageVec<StorageAddress>,
    /// account => validator => delegation.
    delegations: StorageMap<Address, StorageMap<Address, Delegation>>,
    /// Validators each account currently has bonded shares with.
    delegated_to: StorageMap<Address, StorageVec<StorageAddress>>,
    /// All unbonding entries; the id is the index.
    entries: StorageVec<UnbondingEntry>,
    /// Entry ids per account.
    account_entries: StorageMap<Address, StorageVec<StorageU64>>,
    /// Total voting power history.
    total_votes: Checkpoints,
    /// Rewards per unit of voting power, scaled by [`REWARD_PRECISION`].
    reward_per_power: StorageU256,
    /// Settled, unclaimed rewards per account (delegator rewards and commission).
    rewards_owed: StorageMap<Address, StorageU256>,
}

#[public]
impl StakingVault {
    /// Deploys the vault.
    ///
    /// # Arguments
    /// * `lp_token` - the staked LP token; `reward_token` - the agent token paid as rewards.
    /// * `governance` - the SubDAO (or a deployer that hands over); `treasury` - slash receiver.
    /// * `unbonding_period` - seconds; `max_commission_bps` - commission cap.
    ///
    /// # Errors
    /// [`ZeroAddress`], [`IdenticalTokens`], [`UnbondingPeriodOutOfRange`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// `GovernanceTransferred`, [`TreasuryUpdated`], [`UnbondingPeriodUpdated`],
    /// [`MaxCommissionUpdated`], [`MaxSlashUpdated`].
    #[constructor]
    pub fn constructor(
        &mut self,
        lp_token: Address,
        reward_token: Address,
        governance: Address,
        treasury: Address,
        unbonding_period: u64,
        max_commission_bps: u16,
    ) -> Result<(), Error> {
        if lp_token.is_zero() || reward_token.is_zero() || treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if lp_token == reward_token {
            return Err(IdenticalTokens { token: lp_token }.into());
        }
        check_unbonding_period(unbonding_period)?;
        check_bps::<Error>(max_commission_bps.into(), BPS_DENOMINATOR)?;
        self.governance.init::<Error>(governance)?;
        self.lp_token.set(lp_token);
        self.reward_token.set(reward_token);
        self.write_treasury(treasury);
        self.write_unbonding_period(unbonding_period);
        self.write_max_commission(max_commission_bps);
        self.write_max_slash(DEFAULT_MAX_SLASH_BPS);
        Ok(())
    }

    // ----- validators -----

    /// Registers the caller as a validator.
    ///
    /// # Arguments
    /// * `commission_bps` - commission on rewards; `metadata_uri` - description URL.
    ///
    /// # Errors
    /// [`ValidatorAlreadyRegistered`], [`CommissionTooHigh`].
    ///
    /// # Events
    /// [`ValidatorRegistered`].
    pub fn register_validator(
        &mut self,
        commission_bps: u16,
        metadata_uri: String,
    ) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        if self.validators.getter(account).registered.get() {
            return Err(ValidatorAlreadyRegistered { validator: account }.into());
        }
        self.check_commission(commission_bps)?;
        let rpp = self.reward_per_power.get();
        self.validator_list.push(account);
        let position = self.validator_list.len() as u64;
        let mut v = self.validators.setter(account);
        v.registered.set(true);
        v.commission_bps.set(U16::from(commission_bps));
        v.pending_commission_at.set(U64::ZERO);
        v.list_position.set(U64::from(position));
        v.reward_snapshot.set(rpp);
        v.metadata_hash
            .set(stylus_sdk::crypto::keccak(metadata_uri.as_bytes()));
        drop(v);
        self.vm().log(ValidatorRegistered {
            validator: account,
            commissionBps: U256::from(commission_bps),
            metadataURI: metadata_uri,
        });
        Ok(())
    }

    /// Announces a commission change for the caller, applied at the first interaction with the
    /// validator at or after `now + COMMISSION_DELAY` (rewards until then use the old rate).
    /// A new announcement replaces a pending one.
    ///
    /// # Arguments
    /// * `new_bps` - the new commission.
    ///
    /// # Errors
    /// [`UnknownValidator`], [`CommissionTooHigh`], [`CommissionStepTooLarge`].
    ///
    /// # Events
    /// [`CommissionChangeAnnounced`] (and [`CommissionUpdated`] if an earlier one was due).
    pub fn announce_commission(&mut self, new_bps: u16) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        self.require_registered(account)?;
        self.check_commission(new_bps)?;
        let current = self.effective_commission(account);
        if current.abs_diff(new_bps) > MAX_COMMISSION_STEP_BPS {
            return Err(CommissionStepTooLarge {
                currentBps: U256::from(current),
                requestedBps: U256::from(new_bps),
                maxStepBps: U256::from(MAX_COMMISSION_STEP_BPS),
            }
            .into());
        }
        self.settle_validator(account)?;
        let effective_at = self.now() + COMMISSION_DELAY;
        let mut v = self.validators.setter(account);
        v.pending_commission_bps.set(U16::from(new_bps));
        v.pending_commission_at.set(U64::from(effective_at));
        drop(v);
        self.vm().log(CommissionChangeAnnounced {
            validator: account,
            currentBps: U256::from(current),
            newBps: U256::from(new_bps),
            effectiveAt: U256::from(effective_at),
        });
        Ok(())
    }

    /// Removes the caller from the registry. Requires no bonded or unbonding stake left and no
    /// jail (a jailed validator cannot escape jail by re-registering). Settles its commission.
    ///
    /// # Errors
    /// [`UnknownValidator`], [`JailedValidator`], [`ValidatorHasStake`].
    ///
    /// # Events
    /// [`ValidatorDeregistered`].
    pub fn deregister_validator(&mut self) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        self.require_registered(account)?;
        if self.validators.getter(account).jailed.get() {
            return Err(JailedValidator { validator: account }.into());
        }
        self.release_matured(account)?;
        let v = self.validators.getter(account);
        let (bonded, unbonding) = (v.total_shares.get(), v.unbonding_shares.get());
        drop(v);
        if !bonded.is_zero() || !unbonding.is_zero() {
            return Err(ValidatorHasStake {
                validator: account,
                bondedShares: bonded,
                unbondingShares: unbonding,
            }
            .into());
        }
        self.settle_validator(account)?;
        let position: u64 = self.validators.getter(account).list_position.get().to();
        let last_index = self.validator_list.len() - 1;
        let index = position as usize - 1;
        if index != last_index {
            let moved = self.validator_list.get(last_index).expect("non-empty list");
            self.validator_list
                .setter(index)
                .expect("listed")
                .set(moved);
            self.validators
                .setter(moved)
                .list_position
                .set(U64::from(position));
        }
        self.validator_list.pop();
        let mut v = self.validators.setter(account);
        v.registered.set(false);
        v.list_position.set(U64::ZERO);
        v.pending_commission_at.set(U64::ZERO);
        drop(v);
        self.vm().log(ValidatorDeregistered { validator: account });
        Ok(())
    }

    // ----- delegators -----

    /// Stakes `amount` LP with `validator`. Pulls the LP with `transferFrom` (approve first) and
    /// credits the balance delta actually received.
    ///
    /// # Arguments
    /// * `validator` - an active validator; `amount` - LP to pull.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`UnknownValidator`], [`JailedValidator`], [`TooManyDelegations`],
    /// [`TokenCallFailed`], [`ReentrantCall`], [`ArithmeticOverflow`].
    ///
    /// # Events
    /// [`Staked`], [`DelegateVotesChanged`].
    pub fn stake(&mut self, validator: Address, amount: U256) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.stake_guarded(validator, amount);
        self.guard.exit();
        result
    }

    /// Moves `amount` of the caller's bonded stake from `from` to `to` at once. Stake cannot
    /// leave a jailed validator this way (only by unbonding, which stays slashable).
    ///
    /// # Arguments
    /// * `from`, `to` - validators; `amount` - LP value to move.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`SameValidator`], [`UnknownValidator`], [`JailedValidator`],
    /// [`InsufficientStake`], [`TooManyDelegations`], [`AmountTooSmall`].
    ///
    /// # Events
    /// [`Redelegated`], [`DelegateVotesChanged`].
    pub fn redelegate(&mut self, from: Address, to: Address, amount: U256) -> Result<(), Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        if from == to {
            return Err(SameValidator { validator: from }.into());
        }
        self.require_active(from)?;
        self.require_active(to)?;
        let account = self.vm().msg_sender();
        let have = self.check_stake(account, from, amount)?;
        self.check_delegation_slot(account, to, amount == have)?;
        self.settle(account, from)?;
        self.settle(account, to)?;
        self.burn_stake(account, from, amount)?;
        self.mint_stake(account, to, amount)?;
        self.vm().log(Redelegated {
            account,
            from,
            to,
            amount,
        });
        Ok(())
    }

    /// Unstakes `amount` LP value from `validator` into a new unbonding entry, withdrawable at
    /// `max(now + unbondingPeriod, latest maturity queued for the validator)` and slashable
    /// until then. Returns the entry id.
    ///
    /// # Arguments
    /// * `validator` - a registered (possibly jailed) validator; `amount` - LP value.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`UnknownValidator`], [`InsufficientStake`], [`AmountTooSmall`].
    ///
    /// # Events
    /// [`UnbondingStarted`], [`DelegateVotesChanged`].
    pub fn unstake(&mut self, validator: Address, amount: U256) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        self.require_registered(validator)?;
        let account = self.vm().msg_sender();
        self.check_stake(account, validator, amount)?;
        self.release_matured(validator)?;
        let v = self.validators.getter(validator);
        let (pool_shares, pool_tokens) = (v.unbonding_shares.get(), v.unbonding_tokens.get());
        let last_maturity: u64 = v.last_maturity.get().to();
        drop(v);
        let entry_shares = pool::shares_for_deposit::<Error>(amount, pool_shares, pool_tokens)?;
        if entry_shares.is_zero() {
            return Err(AmountTooSmall { amount }.into());
        }
        self.settle(account, validator)?;
        self.burn_stake(account, validator, amount)?;
        let maturity = (self.now() + self.unbonding_period.get().to::<u64>()).max(last_maturity);
        let id = self.entries.len() as u64;
        let mut entry = self.entries.grow();
        entry.owner.set(account);
        entry.validator.set(validator);
        entry.maturity.set(U64::from(maturity));
        entry.shares.set(entry_shares);
        drop(entry);
        let mut v = self.validators.setter(validator);
        v.unbonding_shares
            .set(add::<Error>(pool_shares, entry_shares)?);
        v.unbonding_tokens.set(add::<Error>(pool_tokens, amount)?);
        v.last_maturity.set(U64::from(maturity));
        v.queue.push(U64::from(id));
        drop(v);
        self.account_entries.setter(account).push(U64::from(id));
        self.vm().log(UnbondingStarted {
            account,
            validator,
            entryId: U256::from(id),
            amount,
            maturity: U256::from(maturity),
        });
        Ok(U256::from(id))
    }

    /// Withdraws the caller's matured unbonding entries, paying their (possibly slashed) LP.
    /// Returns the LP paid.
    ///
    /// # Arguments
    /// * `entry_ids` - ids from [`UnbondingStarted`] / `unbondingEntriesOf`.
    ///
    /// # Errors
    /// [`ZeroAmount`] (empty list), [`UnknownEntry`], [`NotEntryOwner`], [`EntryNotMature`],
    /// [`EntryAlreadyWithdrawn`] (also for an id listed twice), [`TokenCallFailed`],
    /// [`ReentrantCall`].
    ///
    /// # Events
    /// [`Withdrawn`] per entry.
    pub fn withdraw(&mut self, entry_ids: Vec<U256>) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.withdraw_guarded(entry_ids);
        self.guard.exit();
        result
    }

    // ----- rewards -----

    /// Adds reward tokens (pulled with `transferFrom`, balance delta credited), shared among
    /// validators in proportion to their current voting power.
    ///
    /// # Arguments
    /// * `amount` - reward tokens to pull.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`NoVotingPower`], [`RewardTooSmall`], [`TokenCallFailed`],
    /// [`ReentrantCall`].
    ///
    /// # Events
    /// [`RewardNotified`].
    pub fn notify_reward_amount(&mut self, amount: U256) -> Result<(), Error> {
        self.guard.enter::<Error>()?;
        let result = self.notify_guarded(amount);
        self.guard.exit();
        result
    }

    /// Pays the caller's rewards: delegator rewards from every validator it is bonded with,
    /// plus its commission if it is a validator. Returns the amount paid.
    ///
    /// # Errors
    /// [`NothingToClaim`], [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`RewardsClaimed`] (and [`CommissionUpdated`] for a due commission change).
    pub fn claim_rewards(&mut self) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.claim_guarded();
        self.guard.exit();
        result
    }

    // ----- governance -----

    /// Slashes `bps` of `validator`'s bonded stake and immature unbonding entries, pro rata for
    /// all its delegators, and sends the LP to the treasury.
    ///
    /// # Arguments
    /// * `validator` - registered validator; `bps` - fraction, `1..=maxSlashBps`;
    ///   `reason_hash` - hash of the justification (e.g. the proposal description).
    ///
    /// # Errors
    /// [`Unauthorized`], [`UnknownValidator`], [`SlashOutOfRange`], [`TokenCallFailed`],
    /// [`ReentrantCall`].
    ///
    /// # Events
    /// [`ValidatorSlashed`], [`DelegateVotesChanged`].
    pub fn slash(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<(), Error> {
        self.guard.enter::<Error>()?;
        let result = self.slash_guarded(validator, bps, reason_hash, false);
        self.guard.exit();
        result
    }

    /// [`slash`](Self::slash) and [`jail`](Self::jail) in one call (jailing only if not jailed).
    ///
    /// # Arguments
    /// As [`slash`](Self::slash).
    ///
    /// # Errors
    /// As [`slash`](Self::slash).
    ///
    /// # Events
    /// [`ValidatorSlashed`], [`ValidatorJailed`], [`DelegateVotesChanged`].
    pub fn slash_and_jail(
        &mut self,
        validator: Address,
        bps: U256,
        reason_hash: FixedBytes<32>,
    ) -> Result<(), Error> {
        self.guard.enter::<Error>()?;
        let result = self.slash_guarded(validator, bps, reason_hash, true);
        self.guard.exit();
        result
    }

    /// Jails `validator`: its voting power drops to zero, it earns no rewards, accepts no stake
    /// and its stake can only leave by unbonding.
    ///
    /// # Arguments
    /// * `validator` - registered, not jailed.
    ///
    /// # Errors
    /// [`Unauthorized`], [`UnknownValidator`], [`JailedValidator`].
    ///
    /// # Events
    /// [`ValidatorJailed`], [`DelegateVotesChanged`].
    pub fn jail(&mut self, validator: Address) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.require_active(validator)?;
        self.set_jailed(validator, true)
    }

    /// Releases `validator` from jail; its bonded stake counts as voting power again.
    ///
    /// # Arguments
    /// * `validator` - a jailed validator.
    ///
    /// # Errors
    /// [`Unauthorized`], [`UnknownValidator`], [`ValidatorNotJailed`].
    ///
    /// # Events
    /// [`ValidatorUnjailed`], [`DelegateVotesChanged`].
    pub fn unjail(&mut self, validator: Address) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.require_registered(validator)?;
        if !self.validators.getter(validator).jailed.get() {
            return Err(ValidatorNotJailed { validator }.into());
        }
        self.set_jailed(validator, false)
    }

    /// Sets the unbonding period for future unstakes.
    ///
    /// # Arguments
    /// * `period` - seconds in `[MIN_UNBONDING_PERIOD, MAX_UNBONDING_PERIOD]`.
    ///
    /// # Errors
    /// [`Unauthorized`], [`UnbondingPeriodOutOfRange`].
    ///
    /// # Events
    /// [`UnbondingPeriodUpdated`].
    pub fn set_unbonding_period(&mut self, period: u64) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        check_unbonding_period(period)?;
        self.write_unbonding_period(period);
        Ok(())
    }

    /// Sets the maximum slash per call.
    ///
    /// # Arguments
    /// * `bps` - at most [`MAX_SLASH_LIMIT_BPS`].
    ///
    /// # Errors
    /// [`Unauthorized`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// [`MaxSlashUpdated`].
    pub fn set_max_slash_bps(&mut self, bps: u16) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        check_bps::<Error>(bps.into(), MAX_SLASH_LIMIT_BPS.into())?;
        self.write_max_slash(bps);
        Ok(())
    }

    /// Sets the commission cap for registrations and announcements (existing commissions are
    /// kept).
    ///
    /// # Arguments
    /// * `bps` - at most 10,000.
    ///
    /// # Errors
    /// [`Unauthorized`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// [`MaxCommissionUpdated`].
    pub fn set_max_commission_bps(&mut self, bps: u16) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        check_bps::<Error>(bps.into(), BPS_DENOMINATOR)?;
        self.write_max_commission(bps);
        Ok(())
    }

    /// Sets the receiver of slashed LP.
    ///
    /// # Arguments
    /// * `treasury` - non-zero address.
    ///
    /// # Errors
    /// [`Unauthorized`], [`ZeroAddress`].
    ///
    /// # Events
    /// [`TreasuryUpdated`].
    pub fn set_treasury(&mut self, treasury: Address) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        if treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.write_treasury(treasury);
        Ok(())
    }

    /// Nominates a new governance (step one of two).
    ///
    /// # Errors
    /// [`Unauthorized`].
    ///
    /// # Events
    /// `GovernanceTransferStarted`.
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer::<Error>(caller, successor)
    }

    /// Accepts a nomination (step two of two).
    ///
    /// # Errors
    /// [`NotPendingGovernance`].
    ///
    /// # Events
    /// `GovernanceTransferred`.
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.accept::<Error>(caller)
    }

    // ----- views -----

    /// Current governance.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// Nominated governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Semantic version.
    pub fn version(&self) -> String {
        VERSION.into()
    }

    /// The staked LP token.
    pub fn lp_token(&self) -> Address {
        self.lp_token.get()
    }

    /// The reward token.
    pub fn reward_token(&self) -> Address {
        self.reward_token.get()
    }

    /// Receiver of slashed LP.
    pub fn treasury(&self) -> Address {
        self.treasury.get()
    }

    /// Unbonding period in seconds.
    pub fn unbonding_period(&self) -> u64 {
        self.unbonding_period.get().to()
    }

    /// Commission cap in basis points.
    pub fn max_commission_bps(&self) -> u16 {
        self.max_commission_bps.get().to()
    }

    /// Slash cap in basis points.
    pub fn max_slash_bps(&self) -> u16 {
        self.max_slash_bps.get().to()
    }

    /// ERC-6372 clock: the block timestamp.
    pub fn clock(&self) -> U48 {
        U48::from(self.now())
    }

    /// ERC-6372 clock mode.
    #[selector(name = "CLOCK_MODE")]
    pub fn clock_mode(&self) -> String {
        "mode=timestamp".into()
    }

    /// Current voting power of `validator` (zero when jailed or unregistered).
    pub fn get_votes(&self, validator: Address) -> U256 {
        self.validators.getter(validator).votes.latest()
    }

    /// Current total voting power.
    pub fn get_total_votes(&self) -> U256 {
        self.total_votes.latest()
    }

    /// Voting power of `validator` at the end of second `timepoint`.
    ///
    /// # Errors
    /// [`ERC5805FutureLookup`] unless `timepoint < clock()`.
    pub fn get_past_votes(&self, validator: Address, timepoint: U256) -> Result<U256, Error> {
        let key = self.past_key(timepoint)?;
        Ok(self.validators.getter(validator).votes.upper_lookup(key))
    }

    /// Total voting power at the end of second `timepoint`.
    ///
    /// # Errors
    /// [`ERC5805FutureLookup`] unless `timepoint < clock()`.
    pub fn get_past_total_supply(&self, timepoint: U256) -> Result<U256, Error> {
        let key = self.past_key(timepoint)?;
        Ok(self.total_votes.upper_lookup(key))
    }

    /// Whether `validator` is registered and not jailed.
    pub fn is_validator(&self, validator: Address) -> bool {
        let v = self.validators.getter(validator);
        v.registered.get() && !v.jailed.get()
    }

    /// All registered validators (jailed ones included).
    pub fn validators(&self) -> Vec<Address> {
        (0..self.validator_list.len())
            .filter_map(|i| self.validator_list.get(i))
            .collect()
    }

    /// Registry and pool data of `validator`: registered, jailed, commission, announced
    /// commission and its time (zero if none), bonded LP, bonded shares, unbonding LP, metadata URI hash.
    #[allow(clippy::type_complexity)]
    pub fn validator_info(
        &self,
        validator: Address,
    ) -> (bool, bool, u16, u16, u64, U256, U256, U256, FixedBytes<32>) {
        let v = self.validators.getter(validator);
        (
            v.registered.get(),
            v.jailed.get(),
            v.commission_bps.get().to(),
            v.pending_commission_bps.get().to(),
            v.pending_commission_at.get().to(),
            v.bonded_tokens.get(),
            v.total_shares.get(),
            v.unbonding_tokens.get(),
            v.metadata_hash.get(),
        )
    }

    /// `account`'s bonded shares with `validator` and their LP value.
    ///
    /// # Errors
    /// [`ArithmeticOverflow`] never in practice.
    pub fn stake_of(&self, account: Address, validator: Address) -> Result<(U256, U256), Error> {
        let shares = self
            .delegations
            .getter(account)
            .getter(validator)
            .shares
            .get();
        Ok((shares, self.value_of_shares(validator, shares)?))
    }

    /// The validators `account` is bonded with and the LP value of each delegation.
    ///
    /// # Errors
    /// [`ArithmeticOverflow`] never in practice.
    pub fn delegations_of(&self, account: Address) -> Result<(Vec<Address>, Vec<U256>), Error> {
        let validators = self.delegated_validators(account);
        let mut values = Vec::with_capacity(validators.len());
        for validator in &validators {
            values.push(self.stake_of(account, *validator)?.1);
        }
        Ok((validators, values))
    }

    /// Ids of every unbonding entry `account` created (withdrawn ones included).
    pub fn unbonding_entries_of(&self, account: Address) -> Vec<U256> {
        let ids = self.account_entries.getter(account);
        (0..ids.len())
            .filter_map(|i| ids.get(i))
            .map(|id| U256::from(id))
            .collect()
    }

    /// Entry `entry_id`: owner, validator, current LP value, maturity, withdrawn.
    ///
    /// # Errors
    /// [`UnknownEntry`].
    pub fn unbonding_entry(
        &self,
        entry_id: U256,
    ) -> Result<(Address, Address, U256, u64, bool), Error> {
        let index = self.entry_index(entry_id)?;
        let entry = self.entries.getter(index).expect("checked index");
        let validator = entry.validator.get();
        let amount = if entry.released.get() {
            entry.tokens.get()
        } else {
            let v = self.validators.getter(validator);
            pool::tokens_of::<Error>(
                entry.shares.get(),
                v.unbonding_shares.get(),
                v.unbonding_tokens.get(),
            )?
        };
        let amount = if entry.withdrawn.get() {
            U256::ZERO
        } else {
            amount
        };
        Ok((
            entry.owner.get(),
            validator,
            amount,
            entry.maturity.get().to(),
            entry.withdrawn.get(),
        ))
    }

    /// Rewards `account` could claim now (settled plus accrued).
    ///
    /// # Errors
    /// [`ArithmeticOverflow`] never in practice.
    pub fn pending_rewards(&self, account: Address) -> Result<U256, Error> {
        let mut total = self.rewards_owed.get(account);
        for validator in self.delegated_validators(account) {
            let (_, reward_per_share) = self.validator_accrual(validator)?;
            let d = self.delegations.getter(account);
            let d = d.getter(validator);
            total = add::<Error>(total, delegation_accrual(&d, reward_per_share)?)?;
        }
        if self.validators.getter(account).registered.get() {
            total = add::<Error>(total, self.validator_accrual(account)?.0)?;
        }
        Ok(total)
    }
}

/// Fails unless `period` is within the allowed unbonding bounds.
fn check_unbonding_period(period: u64) -> Result<(), Error> {
    if !(MIN_UNBONDING_PERIOD..=MAX_UNBONDING_PERIOD).contains(&period) {
        return Err(UnbondingPeriodOutOfRange {
            period: U256::from(period),
            min: U256::from(MIN_UNBONDING_PERIOD),
            max: U256::from(MAX_UNBONDING_PERIOD),
        }
        .into());
    }
    Ok(())
}

/// Rewards accrued by delegation `d` since its last settlement, given the validator's current
/// reward-per-share.
fn delegation_accrual(d: &Delegation, reward_per_share: U256) -> Result<U256, Error> {
    let delta = sub::<Error>(reward_per_share, d.reward_snapshot.get())?;
    mul_div::<Error>(d.shares.get(), delta, REWARD_PRECISION)
}
