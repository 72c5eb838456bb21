//! # Revenue
//!
//! Where the agent earns: applications pay for its inferences here in ETH, and anyone can turn
//! the accumulated ETH into agent tokens through the agent's Uniswap V2 pool and burn them.
//!
//! * **Payments**: [`pay`](Revenue::pay) takes ETH for one inference request, counts it and
//!   logs [`InferencePaid`] with the payer and the application's request reference. Plain ETH
//!   transfers (a protocol share or fee routed here by another contract's configuration) are
//!   revenue too ([`RevenueReceived`]). The OML registry credits its protocol share to its
//!   treasury; with this program as that treasury, anyone pays the credit out here with the
//!   registry's `withdrawFor(revenue, 0)`. Agent tokens sent here (e.g. the token's tax, when
//!   governance makes this program the token's treasury) are burned by the next buyback.
//! * **Split**: `treasury_share_bps` of every incoming amount (rounded down) is kept for the
//!   treasury and released to it by anyone ([`release_treasury_share`](Revenue::release_treasury_share));
//!   the rest waits for the buyback.
//! * **Buyback-and-burn**: [`buyback_and_burn`](Revenue::buyback_and_burn), callable by anyone,
//!   swaps up to the period's remaining cap of the waiting ETH through the router's
//!   fee-on-transfer swap into the agent token and burns everything the program then holds.
//!   Protected against manipulation and sandwiching:
//!   - the minimum output is the time-weighted average price (the pair's cumulative prices
//!     between a stored observation at least `window` seconds old and now) applied to the amount,
//!     less at most `max_slippage_bps`; the program checks its own balance after the swap, so a
//!     router that under-delivers is refused too;
//!   - the swap is refused ([`SpotDeviatesFromTwap`]) when the pool's spot price is more than
//!     `max_deviation_bps` away from that average, i.e. when someone moved the pool just before;
//!   - at most `cap` wei are swapped per `period`.
//!
//!   Each buyback restarts the observation, so buybacks are also at least `window` apart.
//! * **Governance** (the SubDAO) sets the router and pair, the window and both bounds, the cap,
//!   the treasury and its share, each within hard limits.
//!
//! ## Invariants (checked by property tests)
//! * `received == buybackBalance + treasuryBalance + swapped + released` at all times, and the
//!   program's ETH balance covers `buybackBalance + treasuryBalance`.
//! * The treasury's part of each amount is exactly `floor(amount * share_bps / 10_000)`.
//! * Within a period at most `cap` wei are swapped.
//! * A failing call changes nothing.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod sol;
#[cfg(test)]
mod tests;
pub mod twap;

use alloc::string::String;
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use stylus_sdk::call::{call, static_call, transfer::transfer_eth};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageBool, StorageU16, StorageU256, StorageU32, StorageU64,
};
use stylus_sdk::stylus_core::calls::Call;

use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::governance::Governance;
use agentdao_common::guard::ReentrancyGuard;
use agentdao_common::limb_math::bps_floor;
use agentdao_common::revert::revert_data;
use sol::calls;
use sol::*;

/// Shortest oracle window: one minute.
pub const MIN_WINDOW: u32 = 60;
/// Longest oracle window: one week.
pub const MAX_WINDOW: u32 = 7 * 86_400;
/// Hard bound of the slippage governance may allow below the TWAP quote: 10%.
pub const MAX_SLIPPAGE_BPS: u16 = 1_000;
/// Hard bound of the spot/TWAP deviation governance may allow: 20%.
pub const MAX_DEVIATION_BPS: u16 = 2_000;
/// Shortest cap period: one minute.
pub const MIN_PERIOD: u32 = 60;
/// Longest cap period: thirty days.
pub const MAX_PERIOD: u32 = 30 * 86_400;
/// Basis points in one.
pub const BPS: u16 = 10_000;

agentdao_common::static_errors! {
    /// Every way a call can fail; each variant is an ABI-visible custom error.
    pub enum Error {
        /// A payment of zero wei.
        ZeroPayment {},
        /// The pair does not trade the agent token against the router's WETH.
        PairMismatch { pair, weth },
        /// A window, period or bound is out of range.
        SettingOutOfRange { value, min, max },
        /// A basis-point setting is above 10,000.
        BpsOutOfRange { value, max },
        /// No ETH waits for a buyback.
        NothingToBuy {},
        /// The period's cap is spent.
        CapReached { next_period },
        /// The price observation is younger than the window.
        TwapNotReady { ready_at },
        /// The spot price is too far from the TWAP.
        SpotDeviatesFromTwap { spot, twap },
        /// The swap delivered less than the minimum.
        InsufficientOutput { received, min_out },
        /// A call to the pair, router or token failed.
        DexCallFailed { target },
        /// The pool is empty.
        EmptyPool {},
        /// An ETH transfer failed.
        EthTransferFailed { to, amount },
        /// No treasury share is waiting.
        NothingToRelease {},
        /// The caller is not the governance.
        Unauthorized { caller, required },
        /// An address argument was zero.
        ZeroAddress {},
        /// The caller is not the nominated governance.
        NotPendingGovernance { caller, pending },
        /// A guarded function was re-entered.
        ReentrantCall {},
        /// Checked arithmetic failed.
        ArithmeticOverflow {},
    }
}

/// The revenue program's state.
#[storage]
#[entrypoint]
pub struct Revenue {
    /// The agent token bought and burned.
    agent_token: StorageAddress,
    /// The router's WETH, the pair's other token.
    weth: StorageAddress,
    /// The Uniswap V2 (compatible) router 02 the swaps go through.
    router: StorageAddress,
    /// The AGENT/WETH pair whose prices guard the swap.
    pair: StorageAddress,
    /// Receiver of the treasury share; packed with the share and the oracle settings below.
    treasury: StorageAddress,
    /// Basis points of incoming revenue kept for the treasury.
    treasury_share_bps: StorageU16,
    /// Whether WETH is the pair's token 0 (then `price0Cumulative` prices WETH in agent tokens).
    weth_is_token0: StorageBool,
    /// Minimum age of the price observation a buyback averages from, in seconds.
    window: StorageU32,
    /// Minimum output below the TWAP quote, in basis points.
    max_slippage_bps: StorageU16,
    /// Allowed spot/TWAP deviation, in basis points.
    max_deviation_bps: StorageU16,
    /// Length of a cap period, in seconds.
    period: StorageU32,
    /// Start of the current cap period.
    period_start: StorageU64,
    /// Wei swapped per period at most.
    cap: StorageU256,
    /// Wei swapped in the current period.
    spent: StorageU256,
    /// Wei waiting for a buyback.
    buyback_balance: StorageU256,
    /// Wei waiting for the treasury.
    treasury_balance: StorageU256,
    /// Wei received in total (payments and plain transfers).
    received: StorageU256,
    /// Wei swapped in total.
    swapped: StorageU256,
    /// Wei released to the treasury in total.
    released: StorageU256,
    /// Agent tokens burned in total.
    burned: StorageU256,
    /// Paid inference requests.
    requests: StorageU64,
    /// Time of the price observation.
    observed_at: StorageU64,
    /// The pair's cumulative price of WETH in agent tokens at `observed_at`.
    observed_cumulative: StorageU256,
    /// Two-step governance role.
    governance: Governance,
    /// Lock of the functions that call out while funds are in flight.
    guard: ReentrancyGuard,
}

/// What a buyback would do now: see [`Revenue::buyback_quote`].
type Quote = (U256, U256, U256, U256);

#[public]
impl Revenue {
    /// Creates the program for `agent_token`, trading through `dex_router` on `dex_pair`, and
    /// takes the first price observation.
    ///
    /// # Arguments
    /// * `agent_token` - the token bought and burned.
    /// * `dex_router`, `dex_pair` - a Uniswap V2 router 02 and the AGENT/WETH pair of its factory.
    /// * `treasury`, `treasury_share_bps` - receiver and share of incoming revenue.
    /// * `governance` - the account that administers the settings (the SubDAO).
    /// * `twap_window`, `max_slippage_bps`, `max_deviation_bps` - the price guard.
    /// * `cap_period`, `cap_per_period` - the buyback cap.
    ///
    /// # Errors
    /// [`ZeroAddress`], [`PairMismatch`], [`SettingOutOfRange`], [`BpsOutOfRange`],
    /// [`DexCallFailed`].
    #[constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn constructor(
        &mut self,
        agent_token: Address,
        dex_router: Address,
        dex_pair: Address,
        treasury: Address,
        treasury_share_bps: u16,
        governance: Address,
        twap_window: u32,
        max_slippage_bps: u16,
        max_deviation_bps: u16,
        cap_period: u32,
        cap_per_period: U256,
    ) -> Result<(), Error> {
        if agent_token.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.governance.init::<Error>(governance)?;
        self.agent_token.set(agent_token);
        self.store_dex(dex_router, dex_pair)?;
        self.store_treasury(treasury, treasury_share_bps)?;
        self.store_oracle(twap_window, max_slippage_bps, max_deviation_bps)?;
        self.store_cap(cap_period, cap_per_period)?;
        self.record_observation()
    }

    // ----- revenue -----

    /// Pays `msg.value` wei for the inference request `request`; returns the request's index
    /// (1 for the first paid request).
    ///
    /// # Errors
    /// [`ZeroPayment`] without value.
    ///
    /// # Events
    /// [`InferencePaid`].
    #[payable]
    pub fn pay(&mut self, request: B256) -> Result<u64, Error> {
        let amount = self.vm().msg_value();
        if amount.is_zero() {
            return Err(ZeroPayment {}.into());
        }
        let share = self.book(amount)?;
        let index = self
            .requests
            .get()
            .to::<u64>()
            .checked_add(1)
            .ok_or(ArithmeticOverflow {})?;
        self.requests.set(alloy_primitives::U64::from(index));
        InferencePaid {
            payer: self.vm().msg_sender(),
            request,
            amount,
            treasury_share: share,
            index,
        }
        .emit(self.vm());
        Ok(index)
    }

    /// Receives plain ETH as revenue (e.g. a protocol share routed here by configuration).
    #[receive]
    pub fn receive(&mut self) -> Result<(), Vec<u8>> {
        let amount = self.vm().msg_value();
        let share = self.book(amount)?;
        let from = self.vm().msg_sender();
        RevenueReceived {
            from,
            amount,
            treasury_share: share,
        }
        .emit(self.vm());
        Ok(())
    }

    /// Sends the treasury's waiting share to the treasury; anyone may call.
    ///
    /// # Errors
    /// [`NothingToRelease`]; [`EthTransferFailed`] if the treasury refuses ETH;
    /// [`ReentrantCall`].
    ///
    /// # Events
    /// [`TreasuryShareReleased`].
    pub fn release_treasury_share(&mut self) -> Result<U256, Error> {
        let amount = self.treasury_balance.get();
        if amount.is_zero() {
            return Err(NothingToRelease {}.into());
        }
        self.guard.enter::<Error>()?;
        let to = self.treasury.get();
        self.treasury_balance.set(U256::ZERO);
        let released = self.released.get().checked_add(amount);
        self.released.set(released.ok_or(ArithmeticOverflow {})?);
        transfer_eth(self.vm(), to, amount).map_err(|_| EthTransferFailed { to, amount })?;
        TreasuryShareReleased {
            treasury: to,
            amount,
        }
        .emit(self.vm());
        self.guard.exit();
        Ok(amount)
    }

    // ----- buyback -----

    /// Swaps up to the period's remaining cap of the waiting ETH into the agent token through
    /// the pool, at no less than the TWAP quote minus the slippage bound, and burns every agent
    /// token this program holds; returns the amount burned. Anyone may call.
    ///
    /// # Errors
    /// [`NothingToBuy`], [`CapReached`], [`TwapNotReady`], [`EmptyPool`],
    /// [`SpotDeviatesFromTwap`], [`InsufficientOutput`], [`DexCallFailed`], [`ReentrantCall`].
    ///
    /// # Events
    /// [`BuybackBurned`], [`PriceObserved`].
    pub fn buyback_and_burn(&mut self) -> Result<U256, Error> {
        // Refuse re-entry before anything else (the plan below would fail differently).
        if self.guard.is_locked() {
            return Err(ReentrantCall {}.into());
        }
        let (amount, min_out, _, cumulative) = self.plan()?;
        self.guard.enter::<Error>()?;
        let now = self.vm().block_timestamp();
        // Effects before the calls: the ETH leaves the books, the cap is spent, the
        // observation restarts.
        self.roll_period(now);
        self.spent.set(self.spent.get() + amount);
        self.buyback_balance
            .set(self.buyback_balance.get() - amount);
        let swapped = self.swapped.get().checked_add(amount);
        self.swapped.set(swapped.ok_or(ArithmeticOverflow {})?);
        self.store_observation(cumulative, now);

        let token = self.agent_token.get();
        let this = self.vm().contract_address();
        let before = self.token_balance(token, this)?;
        let router = self.router.get();
        let swap = revert_data(
            calls::swapExactETHForTokensSupportingFeeOnTransferTokensCall::SELECTOR,
            &[
                &min_out,
                &U256::from(128),
                &this,
                &U256::from(now),
                &U256::from(2),
                &self.weth.get(),
                &token,
            ],
        );
        let context = Call::new_payable(self, amount);
        call(self.vm(), context, router, &swap).map_err(|_| DexCallFailed { target: router })?;
        let after = self.token_balance(token, this)?;
        let bought = after.saturating_sub(before);
        if bought < min_out {
            return Err(InsufficientOutput {
                received: bought,
                min_out,
            }
            .into());
        }
        let burn = revert_data(calls::burnCall::SELECTOR, &[&after]);
        let context = Call::new_mutating(self);
        call(self.vm(), context, token, &burn).map_err(|_| DexCallFailed { target: token })?;
        let burned = self.burned.get().checked_add(after);
        self.burned.set(burned.ok_or(ArithmeticOverflow {})?);
        BuybackBurned {
            caller: self.vm().msg_sender(),
            eth_in: amount,
            min_out,
            bought,
            burned: after,
        }
        .emit(self.vm());
        self.guard.exit();
        Ok(after)
    }

    /// What [`buyback_and_burn`](Self::buyback_and_burn) would do now: `(eth_in, min_out, twap,
    /// spot)`, prices as UQ112x112 agent tokens per WETH.
    ///
    /// # Errors
    /// As [`buyback_and_burn`](Self::buyback_and_burn) before its swap.
    pub fn buyback_quote(&self) -> Result<Quote, Error> {
        let (amount, min_out, twap, _) = self.plan()?;
        let (spot, _) = self.pool_prices()?;
        Ok((amount, min_out, twap, spot))
    }

    /// Restarts the price observation from now, when the stored one is at least a window old
    /// (a stale average would make buybacks refuse after a lasting price move); anyone may call.
    ///
    /// # Errors
    /// [`TwapNotReady`] while the observation is younger than the window; [`DexCallFailed`],
    /// [`EmptyPool`].
    ///
    /// # Events
    /// [`PriceObserved`].
    pub fn observe(&mut self) -> Result<(), Error> {
        self.ready_at()?;
        self.record_observation()
    }

    // ----- governance -----

    /// Trades through `dex_router` on `dex_pair` from now on, and restarts the observation.
    ///
    /// # Errors
    /// [`Unauthorized`], [`ZeroAddress`], [`PairMismatch`], [`DexCallFailed`], [`EmptyPool`].
    ///
    /// # Events
    /// [`DexSet`], [`PriceObserved`].
    pub fn set_dex(&mut self, dex_router: Address, dex_pair: Address) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.store_dex(dex_router, dex_pair)?;
        self.record_observation()
    }

    /// Sets the oracle window and the slippage and deviation bounds.
    ///
    /// # Errors
    /// [`Unauthorized`]; [`SettingOutOfRange`] outside [`MIN_WINDOW`]..=[`MAX_WINDOW`],
    /// above [`MAX_SLIPPAGE_BPS`] or [`MAX_DEVIATION_BPS`].
    ///
    /// # Events
    /// [`OracleSet`].
    pub fn set_oracle(
        &mut self,
        twap_window: u32,
        max_slippage_bps: u16,
        max_deviation_bps: u16,
    ) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.store_oracle(twap_window, max_slippage_bps, max_deviation_bps)
    }

    /// Sets the buyback cap: at most `cap_per_period` wei per `cap_period` seconds.
    ///
    /// # Errors
    /// [`Unauthorized`]; [`SettingOutOfRange`] for a period outside
    /// [`MIN_PERIOD`]..=[`MAX_PERIOD`].
    ///
    /// # Events
    /// [`CapSet`].
    pub fn set_cap(&mut self, cap_period: u32, cap_per_period: U256) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.store_cap(cap_period, cap_per_period)
    }

    /// Sets the treasury and its share of revenue received from now on.
    ///
    /// # Errors
    /// [`Unauthorized`], [`ZeroAddress`], [`BpsOutOfRange`].
    ///
    /// # Events
    /// [`TreasurySet`].
    pub fn set_treasury(&mut self, treasury: Address, share_bps: u16) -> Result<(), Error> {
        self.governance.only::<Error>(self.vm().msg_sender())?;
        self.store_treasury(treasury, share_bps)
    }

    /// Nominates `successor` as governance (zero cancels).
    ///
    /// # Errors
    /// [`Unauthorized`].
    pub fn transfer_governance(&mut self, successor: Address) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.begin_transfer::<Error>(caller, successor)
    }

    /// Completes a handover started by [`transfer_governance`](Self::transfer_governance).
    ///
    /// # Errors
    /// [`NotPendingGovernance`].
    pub fn accept_governance(&mut self) -> Result<(), Error> {
        let caller = self.vm().msg_sender();
        self.governance.accept::<Error>(caller)
    }

    // ----- views -----

    /// `(agent_token, weth, router, pair)`.
    pub fn dex(&self) -> (Address, Address, Address, Address) {
        (
            self.agent_token.get(),
            self.weth.get(),
            self.router.get(),
            self.pair.get(),
        )
    }

    /// `(treasury, treasury_share_bps, window, max_slippage_bps, max_deviation_bps, cap_period,
    /// cap_per_period)`.
    pub fn settings(&self) -> (Address, u16, u32, u16, u16, u32, U256) {
        (
            self.treasury.get(),
            self.treasury_share_bps.get().to(),
            self.window.get().to(),
            self.max_slippage_bps.get().to(),
            self.max_deviation_bps.get().to(),
            self.period.get().to(),
            self.cap.get(),
        )
    }

    /// `(received, requests, buyback_balance, treasury_balance, swapped, released, burned)`.
    pub fn totals(&self) -> (U256, u64, U256, U256, U256, U256, U256) {
        (
            self.received.get(),
            self.requests.get().to(),
            self.buyback_balance.get(),
            self.treasury_balance.get(),
            self.swapped.get(),
            self.released.get(),
            self.burned.get(),
        )
    }

    /// `(period_start, spent)`: the current cap period and the wei swapped in it.
    pub fn cap_usage(&self) -> (u64, U256) {
        (self.period_start.get().to(), self.spent.get())
    }

    /// `(cumulative, timestamp)`: the stored price observation.
    pub fn observation(&self) -> (U256, u64) {
        (self.observed_cumulative.get(), self.observed_at.get().to())
    }

    /// The governance account.
    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    /// The nominated successor of the governance, zero if none.
    pub fn pending_governance(&self) -> Address {
        self.governance.pending()
    }

    /// Version of this contract (semver).
    pub fn version(&self) -> String {
        String::from(env!("CARGO_PKG_VERSION"))
    }
}

impl Revenue {
    /// Books `amount` incoming wei: the treasury's share and the rest for buybacks; returns the
    /// share.
    fn book(&mut self, amount: U256) -> Result<U256, Error> {
        let share = bps_floor::<Error>(amount, self.treasury_share_bps.get().to())?;
        let received = self.received.get().checked_add(amount);
        self.received.set(received.ok_or(ArithmeticOverflow {})?);
        self.treasury_balance
            .set(self.treasury_balance.get() + share);
        self.buyback_balance
            .set(self.buyback_balance.get() + (amount - share));
        Ok(share)
    }

    /// The buyback's amount and minimum output, the TWAP, and the pair's cumulative price now.
    fn plan(&self) -> Result<Quote, Error> {
        let now = self.vm().block_timestamp();
        let waiting = self.buyback_balance.get();
        if waiting.is_zero() {
            return Err(NothingToBuy {}.into());
        }
        let period: u64 = self.period.get().to();
        let start: u64 = self.period_start.get().to();
        let spent = if now >= start.saturating_add(period) {
            U256::ZERO
        } else {
            self.spent.get()
        };
        let room = self.cap.get().saturating_sub(spent);
        if room.is_zero() {
            return Err(CapReached {
                next_period: start.saturating_add(period),
            }
            .into());
        }
        let amount = waiting.min(room);
        self.ready_at()?;
        let (spot, cumulative) = self.pool_prices()?;
        let twap = twap::average_price(
            self.observed_cumulative.get(),
            self.observed_at.get().to(),
            cumulative,
            now,
        )
        .ok_or(TwapNotReady {
            ready_at: now.saturating_add(1),
        })?;
        let max_deviation: u64 = self.max_deviation_bps.get().to();
        if twap::deviates(spot, twap, max_deviation) {
            return Err(SpotDeviatesFromTwap { spot, twap }.into());
        }
        let quote = twap::quote(amount, twap)?;
        let min_out = twap::less_bps(quote, self.max_slippage_bps.get().to())?;
        Ok((amount, min_out, twap, cumulative))
    }

    /// Fails with [`TwapNotReady`] while the observation is younger than the window.
    fn ready_at(&self) -> Result<(), Error> {
        let window: u64 = self.window.get().to();
        let at: u64 = self.observed_at.get().to();
        let ready_at = at.saturating_add(window);
        if self.vm().block_timestamp() < ready_at {
            return Err(TwapNotReady { ready_at }.into());
        }
        Ok(())
    }

    /// The pool's spot price of WETH in agent tokens and its cumulative price now (UQ112x112).
    fn pool_prices(&self) -> Result<(U256, U256), Error> {
        let pair = self.pair.get();
        let reserves = self.pair_call(pair, calls::getReservesCall::SELECTOR, 96)?;
        let word = |i: usize| U256::from_be_slice(&reserves[32 * i..32 * i + 32]);
        let (reserve0, reserve1, last) = (word(0), word(1), word(2));
        let weth_is_token0 = self.weth_is_token0.get();
        let (selector, r_weth, r_token) = if weth_is_token0 {
            (
                calls::price0CumulativeLastCall::SELECTOR,
                reserve0,
                reserve1,
            )
        } else {
            (
                calls::price1CumulativeLastCall::SELECTOR,
                reserve1,
                reserve0,
            )
        };
        let spot = twap::spot_price(r_weth, r_token)
            .filter(|_| !r_token.is_zero())
            .ok_or(EmptyPool {})?;
        let last_cumulative = U256::from_be_slice(&self.pair_call(pair, selector, 32)?);
        let cumulative = twap::current_cumulative(
            last_cumulative,
            r_weth,
            r_token,
            last.as_limbs()[0] as u32,
            self.vm().block_timestamp(),
        );
        Ok((spot, cumulative))
    }

    /// Static-calls a no-argument view of `target` and returns its first `words` bytes.
    fn pair_call(&self, target: Address, selector: [u8; 4], len: usize) -> Result<Vec<u8>, Error> {
        static_call(self.vm(), Call::new(), target, &selector)
            .ok()
            .filter(|out| out.len() >= len)
            .ok_or_else(|| DexCallFailed { target }.into())
    }

    /// `token.balanceOf(account)`.
    fn token_balance(&self, token: Address, account: Address) -> Result<U256, Error> {
        agentdao_common::token::balance_of(self, token, account)
            .ok_or_else(|| DexCallFailed { target: token }.into())
    }

    /// Reads an address returned by a no-argument view.
    fn address_view(&self, target: Address, selector: [u8; 4]) -> Result<Address, Error> {
        let out = self.pair_call(target, selector, 32)?;
        Ok(Address::from_slice(&out[12..32]))
    }

    /// Starts a new cap period at `now` when the current one is over.
    fn roll_period(&mut self, now: u64) {
        let period: u64 = self.period.get().to();
        let start: u64 = self.period_start.get().to();
        if now >= start.saturating_add(period) {
            self.period_start.set(alloy_primitives::U64::from(now));
            self.spent.set(U256::ZERO);
        }
    }

    /// Stores the pair's cumulative price now as the observation.
    fn record_observation(&mut self) -> Result<(), Error> {
        let (_, cumulative) = self.pool_prices()?;
        let now = self.vm().block_timestamp();
        self.store_observation(cumulative, now);
        Ok(())
    }

    fn store_observation(&mut self, cumulative: U256, timestamp: u64) {
        self.observed_cumulative.set(cumulative);
        self.observed_at.set(alloy_primitives::U64::from(timestamp));
        PriceObserved {
            cumulative,
            timestamp,
        }
        .emit(self.vm());
    }

    fn store_dex(&mut self, router: Address, pair: Address) -> Result<(), Error> {
        if router.is_zero() || pair.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        let weth = self.address_view(router, calls::WETHCall::SELECTOR)?;
        let token0 = self.address_view(pair, calls::token0Call::SELECTOR)?;
        let token1 = self.address_view(pair, calls::token1Call::SELECTOR)?;
        let token = self.agent_token.get();
        let weth_is_token0 = match (token0, token1) {
            (a, b) if a == weth && b == token => true,
            (a, b) if a == token && b == weth => false,
            _ => return Err(PairMismatch { pair, weth }.into()),
        };
        self.router.set(router);
        self.pair.set(pair);
        self.weth.set(weth);
        self.weth_is_token0.set(weth_is_token0);
        DexSet { router, pair, weth }.emit(self.vm());
        Ok(())
    }

    fn store_oracle(&mut self, window: u32, slippage: u16, deviation: u16) -> Result<(), Error> {
        check_range(u64::from(window), MIN_WINDOW.into(), MAX_WINDOW.into())?;
        check_range(u64::from(slippage), 0, MAX_SLIPPAGE_BPS.into())?;
        check_range(u64::from(deviation), 0, MAX_DEVIATION_BPS.into())?;
        self.window.set(alloy_primitives::U32::from(window));
        self.max_slippage_bps
            .set(alloy_primitives::U16::from(slippage));
        self.max_deviation_bps
            .set(alloy_primitives::U16::from(deviation));
        OracleSet {
            window,
            max_slippage_bps: slippage,
            max_deviation_bps: deviation,
        }
        .emit(self.vm());
        Ok(())
    }

    fn store_cap(&mut self, period: u32, cap: U256) -> Result<(), Error> {
        check_range(u64::from(period), MIN_PERIOD.into(), MAX_PERIOD.into())?;
        self.period.set(alloy_primitives::U32::from(period));
        self.cap.set(cap);
        CapSet { period, cap }.emit(self.vm());
        Ok(())
    }

    fn store_treasury(&mut self, treasury: Address, share_bps: u16) -> Result<(), Error> {
        if treasury.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        if share_bps > BPS {
            return Err(BpsOutOfRange {
                value: U256::from(share_bps),
                max: U256::from(BPS),
            }
            .into());
        }
        self.treasury.set(treasury);
        self.treasury_share_bps
            .set(alloy_primitives::U16::from(share_bps));
        TreasurySet {
            treasury,
            share_bps,
        }
        .emit(self.vm());
        Ok(())
    }
}

/// Fails with [`SettingOutOfRange`] unless `min <= value <= max`.
fn check_range(value: u64, min: u64, max: u64) -> Result<(), Error> {
    if value < min || value > max {
        return Err(SettingOutOfRange {
            value: U256::from(value),
            min: U256::from(min),
            max: U256::from(max),
        }
        .into());
    }
    Ok(())
}
