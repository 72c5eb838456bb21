#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
//! Staking vault state and logic, shared by the vault's two programs: the core program
//! (`staking-vault`, the address users call) and its extension (`staking-vault-ext`, reached
//! through the core's fallback by delegate call, see `agentdao_common::extension`). Both programs
//! hold [`Vault`] as their only storage field, so they share one layout; their `#[public]`
//! methods call the methods of [`Vault`] defined here.
//!
//! The vault: liquidity providers stake the agent pool's LP token and delegate it to
//! validators (delegated proof of stake). A validator's voting power in the SubDAO is the stake
//! bonded to it, checkpointed by timestamp (ERC-6372 `mode=timestamp`).
//!
//! Roles:
//! - **governance** (the SubDAO): slashes, jails/unjails, sets the parameters (treasury,
//!   unbonding period, which is also the reward streaming period, maximum commission, maximum
//!   slash); two-step handover.
//! - **validators**: register with a commission, announce commission changes (bounded step,
//!   applied after [`COMMISSION_DELAY`]), deregister once no stake remains.
//! - **delegators** (validators included, for their self-stake): stake, redelegate and unstake
//!   (both through the unbonding queue), withdraw matured entries, claim rewards.
//! - **anyone**: notifies rewards (pulls reward tokens, streamed over the unbonding period).
//!
//! Accounting:
//! - Each validator has a bonded pool and an unbonding pool of LP owned by shares
//!   ([`pool`]); a slash cuts both pools' tokens by the same fraction in `O(1)`.
//! - Unbonding entries sit in a per-validator queue in creation order. An entry matures at its
//!   creation time plus the unbonding period in force then; it is slashable while in the pool
//!   and leaves the pool at a fixed LP amount when *released* (a matured entry at the head of the
//!   queue, lazily, at the next `unstake`, `redelegate`, `slash` or deregistration of that
//!   validator) or when withdrawn.
//! - Rewards: a global reward-per-power accumulator (scaled by [`REWARD_PRECISION`]) fed by a
//!   reward stream; each validator accrues `power × Δaccumulator`, keeps its commission and
//!   spreads the rest over its pool shares through a per-validator reward-per-share accumulator.
//!
//! Design choices (each closes an attack; the tests named after the attacks show it):
//! - **Bounded work per call, whatever the queue's length.** A release handles at most
//!   [`MAX_RELEASES_PER_CALL`] entries and keeps its place (the validator's queue head), and a
//!   withdrawal values an entry still in the pool on its own (its shares at the pool's price)
//!   instead of releasing the whole queue before it. Otherwise anyone with a few wei of stake
//!   could queue thousands of one-wei unstakes and, after maturity, make every `withdraw`,
//!   `unstake` and `slash` of that validator run out of gas (frozen delegators, an unslashable
//!   validator). Chosen over a minimum unstake amount or a per-delegator entry cap, which only
//!   raise the attack's price (many accounts) and need a value for "minimum" that suits every LP
//!   token. Trade-off: when more than [`MAX_RELEASES_PER_CALL`] matured entries wait at the head,
//!   a matured entry behind them stays in the pool, hence slashable, until later calls release it
//!   or its owner withdraws it (which is always possible from maturity on, in `O(1)`).
//! - **Maturity uses the period in force at unstake time**, not `max(that, last maturity)`: a
//!   period shortened by governance applies to every later entry at once. The queue is then not
//!   ordered by maturity; a release stops at the first immature entry, so an entry made after the
//!   change may stay in the pool (slashable) past its maturity until the entries before it
//!   mature, but it is withdrawable from its own maturity.
//! - **Redelegation goes through the source's unbonding queue.** `redelegate(from, to, amount)`
//!   unbonds from `from` into an entry that stays slashable for `from`'s offences until it
//!   matures (the unbonding period), and bonds to `to` when its owner withdraws it. A slash
//!   proposal takes days (delay, vote, timelock), so an instant move would let a validator and
//!   its delegators escape a pending slash; here the slash reaches the moved stake in the same
//!   `O(1)` pool cut, and `to`'s other delegators are never touched. Chosen over Cosmos-style
//!   redelegation entries slashed at the destination (a slash would have to visit every entry
//!   leaving the validator, a loop whose length strangers control, or settle them lazily on every
//!   later move of the stake) and over freezing redelegation while a slash or jail proposal is
//!   pending (the vault cannot see proposals: any proposal, not only `proposeSlash`, may call
//!   `slash`). Cost: the moved stake neither votes nor earns during the unbonding period, like an
//!   unstake followed by a stake, without the LP leaving the vault. If `to` no longer accepts
//!   the stake at withdrawal (jailed, deregistered, or a 17th delegation), the LP is paid out.
//! - **Rewards are streamed** (Synthetix `StakingRewards`): `notifyRewardAmount` adds the amount
//!   plus what is left of the running stream to a rate paid evenly over the next unbonding
//!   period (governance-set, [`MIN_UNBONDING_PERIOD`] to [`MAX_UNBONDING_PERIOD`]). Crediting a
//!   notification at once by the current power paid a full share to stake bonded one block
//!   before a known notification and unstaked right after; streamed, stake earns in proportion
//!   to the time it is bonded. The streaming period is the unbonding period rather than a
//!   parameter of its own: a notification is earned in full only by stake bonded for as long as
//!   leaving takes, and one parameter fewer (setter, bounds, view) keeps both programs within
//!   their size budget. Seconds during which no validator has power stream to nobody (the tokens
//!   stay in the vault).
//! - **Maximum slash.** Governance sets `maxSlashBps` within the hard cap
//!   [`MAX_SLASH_LIMIT_BPS`] (below 100% so a pool with shares never empties); `slash` refuses
//!   anything above it with [`SlashOutOfRange`]. The SubDAO reads the value through the
//!   `parameters()` view (sixth word) to refuse, when proposed, a slash that could never execute.
//!
//! Invariants (checked by the property tests):
//! - the vault's LP balance is at least the sum of every delegator's bonded value and every
//!   unbonding entry's value (all rounding favours the vault);
//! - the sum of validator voting powers equals the total voting power, at every checkpoint;
//! - a slash never raises anyone's stake; rewards paid never exceed rewards received.
//!
//! Dust: each stream update leaves at most `total_power / 1e27` wei undistributed in the
//! accumulator (the rate's own rounding loses less than one wei per notification), each
//! validator settlement at most 1 wei of commission and `shares / 1e27` wei of delegator
//! rewards, each delegator settlement at most 1 wei; LP rounding leaves at most 1 wei per
//! conversion in the pools. Dust stays in the vault; it never makes a claim unpayable.
//!
//! Tokens: the LP token is pulled with `transferFrom` and credited by the balance delta (safe
//! with fee-on-transfer tokens); transfers must return `true`. Reward tokens are credited the
//! same way. Both tokens must differ. Payouts use `transfer`; a taxed reward token (the agent
//! token) taxes payouts unless the vault is tax-exempt.
extern crate alloc;

mod internal;
pub mod layout;
pub mod packed;
pub mod pool;
mod sol;
pub mod surface;
#[cfg(test)]
mod tests;

use agentdao_common::checkpoints::{CheckpointUnorderedInsertion, Checkpoints};
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::extension::{self, NotDelegated};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::muldiv::mul_div_floor as mul_div;
use agentdao_common::raw_bytes::RawBytes;
#[allow(unused_imports)]
use alloc::{string::String, vec, vec::Vec};
use alloy_primitives::{aliases::U48, Address, FixedBytes, U256, U64};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageMap, StorageU256, StorageU64, StorageVec};

use internal::{add, sub};
use packed::entry_unstamp;
pub use packed::{ValidatorMeta, ACTIVE, JAILED, UNREGISTERED};

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
/// Most matured entries one call releases from a validator's unbonding queue (bounds the gas
/// of `unstake`, `redelegate`, `slash`, `slashAndJail` and `deregisterValidator` whatever the
/// queue's length).
pub const MAX_RELEASES_PER_CALL: u64 = 16;

/// Fixed-point scale of the reward accumulators (1e27).
pub const REWARD_PRECISION: U256 = U256::from_limbs([0x9fd0_803c_e800_0000, 0x033b_2e3c, 0, 0]);

agentdao_common::static_errors! {
    /// Every error the vault can raise (compact revert data: every field is static).
    pub enum Error {
        /// See [`ZeroAmount`].
        ZeroAmount {},
        /// See [`AmountTooSmall`].
        AmountTooSmall { amount },
        /// See [`UnknownValidator`].
        UnknownValidator { validator },
        /// See [`ValidatorAlreadyRegistered`].
        ValidatorAlreadyRegistered { validator },
        /// See [`JailedValidator`].
        JailedValidator { validator },
        /// See [`ValidatorNotJailed`].
        ValidatorNotJailed { validator },
        /// See [`ValidatorHasStake`].
        ValidatorHasStake { validator },
        /// See [`InsufficientStake`].
        InsufficientStake { have, want },
        /// See [`CommissionTooHigh`].
        CommissionTooHigh { requestedBps, maxBps },
        /// See [`CommissionStepTooLarge`].
        CommissionStepTooLarge { currentBps, requestedBps },
        /// See [`SlashOutOfRange`].
        SlashOutOfRange { bps, maxBps },
        /// See [`SameValidator`].
        SameValidator {},
        /// See [`UnknownEntry`].
        UnknownEntry { entryId },
        /// See [`NotEntryOwner`].
        NotEntryOwner { entryId },
        /// See [`EntryNotMature`].
        EntryNotMature { entryId, maturity },
        /// See [`EntryAlreadyWithdrawn`].
        EntryAlreadyWithdrawn { entryId },
        /// See [`NothingToClaim`].
        NothingToClaim {},
        /// See [`NoVotingPower`].
        NoVotingPower {},
        /// See [`TooManyDelegations`].
        TooManyDelegations {},
        /// See [`TokenCallFailed`].
        TokenCallFailed { token },
        /// See [`IdenticalTokens`].
        IdenticalTokens {},
        /// See [`UnbondingPeriodOutOfRange`].
        UnbondingPeriodOutOfRange { period },

        /// See [`ERC5805FutureLookup`].
        ERC5805FutureLookup { timepoint, clock },
        /// Caller lacks the governance role.
        Unauthorized { caller, required },
        /// A required address was zero.
        ZeroAddress {},
        /// Governance handover accepted by someone else than the nominee.
        NotPendingGovernance { caller, pending },
        /// A guarded function was re-entered.
        ReentrantCall {},
        /// Checked arithmetic failed.
        ArithmeticOverflow {},
        /// A basis-point parameter exceeded its bound.
        BpsOutOfRange { value, max },
        /// Checkpoints pushed out of order (cannot happen with a monotonic clock).
        CheckpointUnorderedInsertion { last, key },
        /// The extension program was called at its own address, not through the core.
        NotDelegated {},
    }
}

crate::storage_struct! {
    /// A validator: registry data, its two share pools, reward accumulators and vote history.
    pub struct Validator {
        /// Status, commission, announced commission, list position, queue head
        /// ([`ValidatorMeta`]).
        meta: StorageU256,
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
        /// Unbonding entry ids in creation order (the head part up to `queue_head` is released).
        queue: StorageVec<StorageU64>,
        /// Voting power history.
        votes: Checkpoints,
    }
}

impl Validator {
    /// The packed small fields.
    #[inline(never)]
    fn meta(&self) -> ValidatorMeta {
        ValidatorMeta::unpack(self.meta.get())
    }

    /// Stores the packed small fields.
    #[inline(never)]
    fn set_meta(&mut self, meta: ValidatorMeta) {
        self.meta.set(meta.pack());
    }
}

crate::storage_struct! {
    /// One account's stake with one validator.
    pub struct Delegation {
        /// Shares of the validator's bonded pool.
        shares: StorageU256,
        /// Validator's reward-per-share at the last settlement.
        reward_snapshot: StorageU256,
    }
}

/// Unbonding entry state: its shares are in the validator's (slashable) unbonding pool.
pub const POOLED: u8 = 0;
/// Unbonding entry state: matured and released from the pool at a fixed LP amount.
pub const RELEASED: u8 = 1;
/// Unbonding entry state: paid out.
pub const WITHDRAWN: u8 = 2;

crate::storage_struct! {
    /// A queued unstake.
    pub struct UnbondingEntry {
        /// Account that may withdraw it.
        owner: StorageAddress,
        /// Maturity (time from which it can be withdrawn) and state ([`POOLED`], [`RELEASED`] or
        /// [`WITHDRAWN`]), see [`packed::entry_stamp`].
        stamp: StorageU64,
        /// Validator whose unbonding pool held it.
        validator: StorageAddress,
        /// Shares of the validator's unbonding pool while pooled; the LP amount once released.
        amount: StorageU256,
        /// Validator the LP bonds to on withdrawal (a redelegation); zero for an unstake.
        target: StorageAddress,
    }
}

crate::storage_struct! {
    /// The staking vault's storage (the only field of both programs' entrypoint structs).
    pub struct Vault {
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
        /// Unbonding period, maximum commission and maximum slash ([`Params`]).
        params: StorageU256,
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
        /// The extension program the core forwards unknown selectors to (never zero once
        /// constructed; zero in the extension's own storage, which marks a direct call).
        extension: StorageAddress,
        /// Reward stream rate: reward tokens per second, scaled by [`REWARD_PRECISION`].
        reward_rate: StorageU256,
        /// Reward stream times, limbs `[end of the stream, time up to which the stream is
        /// accounted in reward_per_power, 0, 0]`.
        reward_times: StorageU256,
        /// The account that may jail and unjail besides governance (the rewards program, which
        /// jails validators whose agreement stays low); zero for none.
        jailer: StorageAddress,
    }
}

// SAFETY: `Vault` is the only field of each program's entrypoint struct (at slot zero), so
// it spans the program's entire storage exactly like the entrypoint struct does: holding
// `&mut Vault` excludes every other storage reference, which is what the SDK requires of the
// borrow it takes for a state-changing external call.
unsafe impl TopLevelStorage for Vault {}

impl Vault {
    /// Initialises the vault, for the core's constructor (maximum slash
    /// [`DEFAULT_MAX_SLASH_BPS`]).
    ///
    /// # Arguments
    /// * `lp_token` - the staked LP token; `reward_token` - the agent token paid as rewards.
    /// * `governance` - the SubDAO (or a deployer that hands over); `treasury` - slash receiver.
    /// * `unbonding_period` - seconds; `max_commission_bps` - commission cap.
    /// * `extension` - the extension program (`staking-vault-ext`) the core delegates to.
    ///
    /// # Errors
    /// [`ZeroAddress`], [`IdenticalTokens`], [`UnbondingPeriodOutOfRange`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// `GovernanceTransferred`, [`ParametersUpdated`].
    #[allow(clippy::too_many_arguments)]
    pub fn init(
        &mut self,
        lp_token: Address,
        reward_token: Address,
        governance: Address,
        treasury: Address,
        unbonding_period: U256,
        max_commission_bps: U256,
        extension: Address,
    ) -> Result<(), Error> {
        if lp_token.is_zero() || reward_token.is_zero() || extension.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.extension.set(extension);
        if lp_token == reward_token {
            return Err(IdenticalTokens {}.into());
        }
        self.governance.init::<Error>(governance)?;
        self.lp_token.set(lp_token);
        self.reward_token.set(reward_token);
        self.write_parameters(
            treasury,
            unbonding_period,
            max_commission_bps,
            U256::from(DEFAULT_MAX_SLASH_BPS),
            Address::ZERO,
        )
    }

    // ----- validators -----

    /// Registers the caller as a validator.
    ///
    /// # Arguments
    /// * `commission_bps` - commission on rewards; `metadata_uri` - UTF-8 bytes of the
    ///   description URL (only logged, in [`ValidatorRegistered`]).
    ///
    /// # Errors
    /// [`ValidatorAlreadyRegistered`], [`CommissionTooHigh`].
    ///
    /// # Events
    /// [`ValidatorRegistered`].
    pub fn register_validator(
        &mut self,
        commission_bps: U256,
        metadata_uri: RawBytes,
    ) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        let mut meta = self.meta_of(account);
        if meta.registered() {
            return Err(ValidatorAlreadyRegistered { validator: account }.into());
        }
        let bps = self.check_commission(commission_bps)?;
        let rpp = self.reward_per_power_now()?;
        self.validator_list.push(account);
        meta.status = ACTIVE;
        meta.commission = bps;
        meta.pending_at = 0;
        meta.list_position = self.validator_list.len() as u64;
        let mut v = self.validators.setter(account);
        v.set_meta(meta);
        v.reward_snapshot.set(rpp);
        drop(v);
        tail::ValidatorRegistered {
            validator: account,
            commissionBps: commission_bps,
            metadataURI: metadata_uri.as_bytes(),
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Announces a commission change for the caller, applied at the first interaction with the
    /// validator at or after `now + COMMISSION_DELAY` (rewards until then use the old rate).
    /// A new announcement replaces a pending one.
    ///
    /// # Arguments
    /// * `new_bps` - the new commission, within [`MAX_COMMISSION_STEP_BPS`] of the current one.
    ///
    /// # Errors
    /// [`UnknownValidator`], [`CommissionTooHigh`], [`CommissionStepTooLarge`].
    ///
    /// # Events
    /// [`CommissionChangeAnnounced`] (and [`CommissionUpdated`] if an earlier one was due).
    pub fn announce_commission(&mut self, new_bps: U256) -> Result<(), Error> {
        let account = self.vm().msg_sender();
        self.require_registered(account)?;
        let bps = self.check_commission(new_bps)?;
        let now = self.now();
        let current = self.meta_of(account).effective_commission(now);
        if current.abs_diff(bps) > MAX_COMMISSION_STEP_BPS {
            return Err(CommissionStepTooLarge {
                currentBps: U256::from(current),
                requestedBps: new_bps,
            }
            .into());
        }
        self.settle_validator(account)?;
        let effective_at = now + COMMISSION_DELAY;
        let mut v = self.validators.setter(account);
        let mut meta = v.meta();
        meta.pending_commission = bps;
        meta.pending_at = effective_at;
        v.set_meta(meta);
        drop(v);
        CommissionChangeAnnounced {
            validator: account,
            currentBps: U256::from(current),
            newBps: new_bps,
            effectiveAt: U256::from(effective_at),
        }
        .emit_by_ref(self.vm());
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
        self.require_active(account)?;
        self.release_matured(account)?;
        let v = self.validators.getter(account);
        let staked = !v.total_shares.get().is_zero() || !v.unbonding_shares.get().is_zero();
        drop(v);
        if staked {
            return Err(ValidatorHasStake { validator: account }.into());
        }
        self.settle_validator(account)?;
        let mut meta = self.meta_of(account);
        let position = meta.list_position;
        let last_index = self.validator_list.len() - 1;
        let index = position as usize - 1;
        if index != last_index {
            let moved = self.validator_list.get(last_index).expect("non-empty list");
            self.validator_list
                .setter(index)
                .expect("listed")
                .set(moved);
            let mut m = self.validators.setter(moved);
            let mut moved_meta = m.meta();
            moved_meta.list_position = position;
            m.set_meta(moved_meta);
        }
        self.validator_list.erase_last();
        meta.status = UNREGISTERED;
        meta.list_position = 0;
        meta.pending_at = 0;
        self.validators.setter(account).set_meta(meta);
        ValidatorDeregistered { validator: account }.emit_by_ref(self.vm());
        Ok(())
    }

    // ----- delegators -----

    /// Stakes `amount` LP with `validator`. Pulls the LP with `transferFrom` (approve first) and
    /// credits the balance delta actually received. Returns the pool shares minted.
    ///
    /// # Arguments
    /// * `validator` - an active validator; `amount` - LP to pull.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`UnknownValidator`], [`JailedValidator`], [`TooManyDelegations`],
    /// [`AmountTooSmall`], [`TokenCallFailed`], [`ReentrantCall`], [`ArithmeticOverflow`].
    ///
    /// # Events
    /// [`Staked`], [`DelegateVotesChanged`].
    pub fn stake(&mut self, validator: Address, amount: U256) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.stake_guarded(validator, amount);
        self.guard.exit();
        result
    }

    /// Moves `amount` of the caller's bonded stake from `from` to `to` through `from`'s
    /// unbonding queue: the stake leaves `from` now (with its voting power) as an unbonding entry
    /// that stays slashable for `from`'s offences until it matures, and bonds to `to` when the
    /// caller withdraws the matured entry (see [`withdraw`](Self::withdraw)). So redelegation
    /// cannot escape a pending slash of `from`, and a slash of `from` never touches the other
    /// delegators of `to`. Returns the entry id.
    ///
    /// # Arguments
    /// * `from` - a registered (possibly jailed) validator; `to` - an active validator;
    ///   `amount` - LP value to move.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`SameValidator`], [`UnknownValidator`], [`JailedValidator`] (for `to`),
    /// [`InsufficientStake`], [`AmountTooSmall`].
    ///
    /// # Events
    /// [`UnbondingStarted`], [`Redelegated`], [`DelegateVotesChanged`].
    pub fn redelegate(&mut self, from: Address, to: Address, amount: U256) -> Result<U256, Error> {
        if from == to {
            return Err(SameValidator {}.into());
        }
        self.require_active(to)?;
        let id = self.unbond(from, amount, to)?;
        Redelegated {
            account: self.vm().msg_sender(),
            from,
            to,
            amount,
        }
        .emit(self.vm());
        Ok(id)
    }

    /// Unstakes `amount` LP value from `validator` into a new unbonding entry, withdrawable at
    /// `now + unbondingPeriod` (the period in force now) and slashable until then. Returns the
    /// entry id.
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
        self.unbond(validator, amount, Address::ZERO)
    }

    /// Queues `amount` of the caller's stake with `validator` as an unbonding entry bonding to
    /// `target` on withdrawal (zero: paid out), after releasing matured entries.
    #[inline(never)]
    fn unbond(&mut self, validator: Address, amount: U256, target: Address) -> Result<U256, Error> {
        if amount.is_zero() {
            return Err(ZeroAmount {}.into());
        }
        self.require_registered(validator)?;
        let account = self.vm().msg_sender();
        self.release_matured(validator)?;
        let v = self.validators.getter(validator);
        let (pool_shares, pool_tokens) = (v.unbonding_shares.get(), v.unbonding_tokens.get());
        drop(v);
        let entry_shares = pool::shares_for_deposit::<Error>(amount, pool_shares, pool_tokens)?;
        if entry_shares.is_zero() {
            return Err(AmountTooSmall { amount }.into());
        }
        self.settle(account, validator)?;
        self.burn_stake(account, validator, amount)?;
        let maturity = self.now() + self.params().unbonding_period;
        let id = self.entries.len() as u64;
        let mut entry = self.entries.grow();
        entry.owner.set(account);
        entry.validator.set(validator);
        entry.target.set(target);
        entry
            .stamp
            .set(U64::from(packed::entry_stamp(maturity, POOLED)));
        entry.amount.set(entry_shares);
        drop(entry);
        let mut v = self.validators.setter(validator);
        v.unbonding_shares.set(add(pool_shares, entry_shares)?);
        v.unbonding_tokens.set(add(pool_tokens, amount)?);
        v.queue.push(U64::from(id));
        drop(v);
        self.account_entries.setter(account).push(U64::from(id));
        let id = U256::from(id);
        UnbondingStarted {
            account,
            validator,
            entryId: id,
            amount,
            maturity: U256::from(maturity),
        }
        .emit(self.vm());
        Ok(id)
    }

    /// Withdraws the caller's matured unbonding entry `entry_id`: pays its (possibly slashed) LP
    /// for an unstake, or bonds it to its destination for a redelegation (paid out instead if
    /// the destination no longer accepts the caller's stake: jailed, deregistered, or a
    /// delegation beyond [`MAX_DELEGATIONS_PER_ACCOUNT`]). An entry still in the unbonding pool
    /// (not yet released) is valued and taken out of the pool on its own, so the cost does not
    /// depend on the queue. One entry per call: a list argument's ABI decoder alone would not fit
    /// the core program's size budget. Returns the LP paid (zero when rebonded).
    ///
    /// # Arguments
    /// * `entry_id` - an id from [`UnbondingStarted`] / `unbondingEntriesOf`.
    ///
    /// # Errors
    /// [`UnknownEntry`], [`NotEntryOwner`], [`EntryNotMature`], [`EntryAlreadyWithdrawn`],
    /// [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`Withdrawn`]; [`Staked`] and [`DelegateVotesChanged`] when rebonded.
    pub fn withdraw(&mut self, entry_id: U256) -> Result<U256, Error> {
        self.guard.enter::<Error>()?;
        let result = self.withdraw_guarded(entry_id);
        self.guard.exit();
        result
    }

    // ----- rewards -----

    /// Adds reward tokens (pulled with `transferFrom`, balance delta credited), streamed to the
    /// validators in proportion to their voting power over the next `unbondingPeriod` seconds,
    /// together with what is left of the running stream (Synthetix `StakingRewards`).
    ///
    /// # Arguments
    /// * `amount` - reward tokens to pull.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`NoVotingPower`], [`AmountTooSmall`], [`TokenCallFailed`],
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

    /// Adds `amount` reward tokens (pulled with `transferFrom`, balance delta credited) to
    /// `validator`'s pool at once: its commission in force now to the validator, the rest to
    /// its delegators by bonded shares (all to the validator when none are bonded). Anyone may
    /// add to a registered validator's pool; the rewards program pays its quality-weighted
    /// epoch rewards this way.
    ///
    /// # Arguments
    /// * `validator` - a registered validator (jailed ones included: their delegators earned
    ///   the reward before the jail); `amount` - reward tokens to pull.
    ///
    /// # Errors
    /// [`ZeroAmount`], [`UnknownValidator`], [`TokenCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`ValidatorRewardNotified`].
    pub fn notify_validator_reward(
        &mut self,
        validator: Address,
        amount: U256,
    ) -> Result<(), Error> {
        self.guard.enter::<Error>()?;
        let result = self.notify_validator_guarded(validator, amount);
        self.guard.exit();
        result
    }

    /// Pays the caller's rewards: delegator rewards from every validator it is bonded with,
    /// plus its commission if it is a validator. Returns the amount paid (an `eth_call` of this
    /// function previews the claimable amount).
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

    /// Jails `validator` (governance or the jailer): its voting power drops to zero, it earns no
    /// rewards, accepts no stake and its stake can only leave by unbonding.
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
        self.jail_or_release(validator, true)
    }

    /// Releases `validator` from jail (governance or the jailer); its bonded stake counts as
    /// voting power again.
    ///
    /// # Arguments
    /// * `validator` - a jailed validator.
    ///
    /// # Errors
    /// [`Unauthorized`], [`ValidatorNotJailed`] (an unregistered validator is not jailed).
    ///
    /// # Events
    /// [`ValidatorUnjailed`], [`DelegateVotesChanged`].
    pub fn unjail(&mut self, validator: Address) -> Result<(), Error> {
        self.jail_or_release(validator, false)
    }

    /// Sets every parameter at once (pass the current values to keep them; see
    /// [`parameters`](Self::parameters)). A new unbonding period applies to future unstakes, a
    /// new commission cap to future registrations and announcements.
    ///
    /// # Arguments
    /// * `treasury` - receiver of slashed LP, non-zero.
    /// * `unbonding_period` - seconds in `[MIN_UNBONDING_PERIOD, MAX_UNBONDING_PERIOD]`.
    /// * `max_commission_bps` - at most 10,000; `max_slash_bps` - at most
    ///   [`MAX_SLASH_LIMIT_BPS`].
    /// * `jailer` - the account that may [`jail`](Self::jail) and [`unjail`](Self::unjail)
    ///   besides governance (the rewards program, which jails validators whose agreement stays
    ///   low; see [`jailer`](Self::jailer)); zero for none.
    ///
    /// # Errors
    /// [`Unauthorized`], [`ZeroAddress`], [`UnbondingPeriodOutOfRange`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// [`ParametersUpdated`].
    pub fn set_parameters(
        &mut self,
        treasury: Address,
        unbonding_period: U256,
        max_commission_bps: U256,
        max_slash_bps: U256,
        jailer: Address,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.write_parameters(
            treasury,
            unbonding_period,
            max_commission_bps,
            max_slash_bps,
            jailer,
        )
    }

    /// The account that may jail and unjail besides governance (zero for none).
    pub fn jailer(&self) -> Address {
        self.jailer.get()
    }

    /// Jails (`jailed`) or releases `validator`, for governance or the jailer.
    fn jail_or_release(&mut self, validator: Address, jailed: bool) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        if caller.is_zero() || caller != self.jailer.get() {
            self.governance.only::<Error>(caller)?;
        }
        if jailed {
            self.require_active(validator)?;
        } else if !self.meta_of(validator).jailed() {
            return Err(ValidatorNotJailed { validator }.into());
        }
        self.set_jailed(validator, jailed)
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

    /// LP token, reward token, treasury, unbonding period (seconds), maximum commission and
    /// maximum slash (basis points).
    pub fn parameters(&self) -> (Address, Address, Address, U256, U256, U256) {
        let params = self.params();
        (
            self.lp_token.get(),
            self.reward_token.get(),
            self.treasury.get(),
            U256::from(params.unbonding_period),
            U256::from(params.max_commission_bps),
            U256::from(params.max_slash_bps),
        )
    }

    /// ERC-6372 clock: the block timestamp.
    pub fn clock(&self) -> U48 {
        U48::from(self.now())
    }

    /// ERC-6372 clock mode.
    pub fn clock_mode(&self) -> String {
        "mode=timestamp".into()
    }

    /// Current voting power of `validator` (zero when jailed or unregistered).
    pub fn get_votes(&self, validator: Address) -> U256 {
        self.validators.getter(validator).votes.latest()
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
        self.meta_of(validator).status == ACTIVE
    }

    /// All registered validators (jailed ones included).
    pub fn validators(&self) -> Vec<Address> {
        internal::addresses(&self.validator_list)
    }

    /// Registry and pool data of `validator`: registered, jailed, commission, announced
    /// commission and its time (zero if none), bonded LP, bonded shares, unbonding LP.
    #[allow(clippy::type_complexity)]
    pub fn validator_info(
        &self,
        validator: Address,
    ) -> (bool, bool, U256, U256, U256, U256, U256, U256) {
        let v = self.validators.getter(validator);
        let meta = v.meta();
        (
            meta.registered(),
            meta.jailed(),
            U256::from(meta.commission),
            U256::from(meta.pending_commission),
            U256::from(meta.pending_at),
            v.bonded_tokens.get(),
            v.total_shares.get(),
            v.unbonding_tokens.get(),
        )
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
        let len = ids.len();
        let mut out = Vec::with_capacity(len);
        for i in 0..len {
            if let Some(id) = ids.get(i) {
                out.push(U256::from(id));
            }
        }
        out
    }

    /// Entry `entry_id`: owner, validator, current LP value (zero once withdrawn), maturity,
    /// withdrawn.
    ///
    /// # Errors
    /// [`UnknownEntry`].
    pub fn unbonding_entry(
        &self,
        entry_id: U256,
    ) -> Result<(Address, Address, U256, U256, bool), Error> {
        let index = self.entry_index(entry_id)?;
        let entry = self.entry(index);
        let validator = entry.validator.get();
        let (maturity, state) = entry_unstamp(entry.stamp.get().to());
        let amount = match state {
            POOLED => {
                let v = self.validators.getter(validator);
                pool::tokens_of::<Error>(
                    entry.amount.get(),
                    v.unbonding_shares.get(),
                    v.unbonding_tokens.get(),
                )?
            }
            RELEASED => entry.amount.get(),
            _ => U256::ZERO,
        };
        Ok((
            entry.owner.get(),
            validator,
            amount,
            U256::from(maturity),
            state == WITHDRAWN,
        ))
    }
}

impl Vault {
    /// The extension program the core forwards to (zero in the extension's own storage).
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// Fails unless this code runs in the core's storage (by delegate call from the core).
    ///
    /// # Errors
    /// [`NotDelegated`] when called at the extension's own address.
    #[inline(never)]
    pub fn require_delegated(&self) -> Result<(), Error> {
        extension::require_delegated(self.extension.get())
    }

    /// Current total voting power.
    pub fn get_total_votes(&self) -> U256 {
        self.total_votes.latest()
    }

    /// Rewards `account` could claim now (settled plus accrued). Off chain, an `eth_call` of
    /// `claimRewards` from the account gives the same figure.
    ///
    /// # Errors
    /// [`ArithmeticOverflow`] never in practice.
    pub fn pending_rewards(&self, account: Address) -> Result<U256, Error> {
        let mut total = self.rewards_owed.get(account);
        for validator in self.delegated_validators(account) {
            let (_, reward_per_share) = self.validator_accrual(validator)?;
            let (shares, snapshot) = self.delegation(account, validator);
            total = add(
                total,
                delegation_accrual(shares, snapshot, reward_per_share)?,
            )?;
        }
        if self.meta_of(account).registered() {
            total = add(total, self.validator_accrual(account)?.0)?;
        }
        Ok(total)
    }

    /// `account`'s bonded shares with `validator` and their LP value (the per-pair view behind
    /// `delegationsOf`).
    ///
    /// # Errors
    /// [`ArithmeticOverflow`] never in practice.
    pub fn stake_of(&self, account: Address, validator: Address) -> Result<(U256, U256), Error> {
        let shares = self.delegation(account, validator).0;
        Ok((shares, self.value_of_shares(validator, shares)?))
    }
}

/// Rewards accrued by a delegation of `shares` since its last settlement at `snapshot`, given
/// the validator's current reward-per-share.
fn delegation_accrual(shares: U256, snapshot: U256, reward_per_share: U256) -> Result<U256, Error> {
    let delta = sub(reward_per_share, snapshot)?;
    mul_div::<Error>(shares, delta, REWARD_PRECISION)
}
