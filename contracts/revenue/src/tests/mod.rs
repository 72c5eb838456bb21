//! TestVM unit tests against a simulated Uniswap V2 pool, router and agent token.
//!
//! [`Dex`] answers the program's calls the way the real contracts would: the pair keeps
//! reserves and cumulative prices (updated on every swap, like `UniswapV2Pair._update`), the
//! router prices the fee-on-transfer swap with the pair's 0.3% fee and delivers the tokens, and
//! the token keeps balances and a total supply that `burn` lowers. Knobs make the router
//! under-deliver or re-enter the program.
mod props;
mod unit;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use agentdao_test_host::{Answer, Call as HostCall, CallHost, CallKind, Calls};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolValue};
use stylus_sdk::stylus_core::host::{AccountAccess, BlockAccess};
use stylus_sdk::testing::TestVM;

use crate::sol::calls;
use crate::Revenue;

pub(crate) const GOV: Address = Address::repeat_byte(0x60);
pub(crate) const TREASURY: Address = Address::repeat_byte(0x7e);
pub(crate) const ALICE: Address = Address::repeat_byte(0xa1);
pub(crate) const BOB: Address = Address::repeat_byte(0xb0);
pub(crate) const THIS: Address = Address::repeat_byte(0x99);
pub(crate) const TOKEN: Address = Address::repeat_byte(0x70);
pub(crate) const WETH: Address = Address::repeat_byte(0x0e);
pub(crate) const PAIR: Address = Address::repeat_byte(0x50);
pub(crate) const ROUTER: Address = Address::repeat_byte(0x40);

/// Oracle window of the test deployments.
pub(crate) const WINDOW: u32 = 600;
/// Slippage bound of the test deployments (covers the pool's 0.3% fee and the swap's impact).
pub(crate) const SLIPPAGE_BPS: u16 = 500;
/// Deviation bound of the test deployments.
pub(crate) const DEVIATION_BPS: u16 = 200;
/// Cap period of the test deployments.
pub(crate) const PERIOD: u32 = 86_400;
/// Start of the test clock.
pub(crate) const T0: u64 = 1_000_000;

/// `n` whole units (18 decimals).
pub(crate) fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// What the router does with a swap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RouterMode {
    /// Swaps honestly.
    #[default]
    Honest,
    /// Delivers half of what the pool pays and ignores the minimum.
    Skims,
}

/// Code the router runs inside a swap, given the host (to re-enter the program).
pub(crate) type Hook = Rc<dyn Fn(&CallHost<Dex>)>;

/// The simulated pool, router and token.
#[derive(Default)]
pub(crate) struct Dex {
    pub state: RefCell<DexState>,
    /// Run inside the router's swap.
    pub hook: RefCell<Option<Hook>>,
}

/// The simulated contracts' state.
#[derive(Default)]
pub(crate) struct DexState {
    pub weth_is_token0: bool,
    pub reserve_weth: U256,
    pub reserve_token: U256,
    pub last_update: u32,
    /// `price{0,1}CumulativeLast` as `(of WETH in tokens, of the token in WETH)`.
    pub cumulative_weth: U256,
    pub cumulative_token: U256,
    pub balances: HashMap<Address, U256>,
    pub supply: U256,
    pub eth_received: HashMap<Address, U256>,
    pub router_mode: RouterMode,
    /// The pair's `token0`/`token1` answer this instead of the agent token, when set.
    pub foreign_token: Option<Address>,
    pub swaps: u32,
}

impl DexState {
    /// The pair's `_update`: accumulate the old prices over the elapsed time, then store the
    /// new reserves.
    fn update(&mut self, now: u64, reserve_weth: U256, reserve_token: U256) {
        self.accumulate(now);
        self.reserve_weth = reserve_weth;
        self.reserve_token = reserve_token;
    }

    fn accumulate(&mut self, now: u64) {
        let elapsed = (now as u32).wrapping_sub(self.last_update);
        if elapsed > 0 && !self.reserve_weth.is_zero() && !self.reserve_token.is_zero() {
            let q = crate::twap::Q112;
            let e = U256::from(elapsed);
            self.cumulative_weth = self
                .cumulative_weth
                .wrapping_add(self.reserve_token * q / self.reserve_weth * e);
            self.cumulative_token = self
                .cumulative_token
                .wrapping_add(self.reserve_weth * q / self.reserve_token * e);
        }
        self.last_update = now as u32;
    }

    /// Uniswap V2's `getAmountOut` with the 0.3% fee.
    pub(crate) fn amount_out(&self, eth_in: U256) -> U256 {
        let with_fee = eth_in * U256::from(997);
        with_fee * self.reserve_token / (self.reserve_weth * U256::from(1000) + with_fee)
    }

    /// A trader swaps `eth_in` through the pool at `now` (the tokens leave the pool).
    pub(crate) fn trade_eth_for_tokens(&mut self, now: u64, eth_in: U256) -> U256 {
        let out = self.amount_out(eth_in);
        let (w, t) = (self.reserve_weth + eth_in, self.reserve_token - out);
        self.update(now, w, t);
        out
    }

    pub(crate) fn mint(&mut self, to: Address, amount: U256) {
        *self.balances.entry(to).or_default() += amount;
        self.supply += amount;
    }

    pub(crate) fn balance(&self, account: Address) -> U256 {
        self.balances.get(&account).copied().unwrap_or_default()
    }
}

fn word(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

impl Calls for Dex {
    fn answer(host: &CallHost<Self>, call: HostCall<'_>) -> Answer {
        let now = host.vm.block_timestamp();
        let selector: [u8; 4] = call
            .data
            .get(..4)
            .and_then(|s| s.try_into().ok())
            .unwrap_or([0; 4]);
        let dex = &host.calls;
        match (call.to, selector) {
            (PAIR, calls::getReservesCall::SELECTOR) => {
                let s = dex.state.borrow();
                let (r0, r1) = if s.weth_is_token0 {
                    (s.reserve_weth, s.reserve_token)
                } else {
                    (s.reserve_token, s.reserve_weth)
                };
                Ok((r0, r1, U256::from(s.last_update)).abi_encode())
            }
            (PAIR, calls::price0CumulativeLastCall::SELECTOR) => {
                let s = dex.state.borrow();
                Ok(word(if s.weth_is_token0 {
                    s.cumulative_weth
                } else {
                    s.cumulative_token
                }))
            }
            (PAIR, calls::price1CumulativeLastCall::SELECTOR) => {
                let s = dex.state.borrow();
                Ok(word(if s.weth_is_token0 {
                    s.cumulative_token
                } else {
                    s.cumulative_weth
                }))
            }
            (PAIR, calls::token0Call::SELECTOR | calls::token1Call::SELECTOR) => {
                let s = dex.state.borrow();
                let token = s.foreign_token.unwrap_or(TOKEN);
                let first = selector == calls::token0Call::SELECTOR;
                Ok(if first == s.weth_is_token0 {
                    WETH
                } else {
                    token
                }
                .abi_encode())
            }
            (ROUTER, calls::WETHCall::SELECTOR) => Ok(WETH.abi_encode()),
            (ROUTER, calls::swapExactETHForTokensSupportingFeeOnTransferTokensCall::SELECTOR) => {
                let CallKind::Call(value) = call.kind else {
                    return Err(vec![]);
                };
                let args =
                    calls::swapExactETHForTokensSupportingFeeOnTransferTokensCall::abi_decode(
                        call.data,
                    )
                    .map_err(|_| vec![])?;
                if args.path != vec![WETH, TOKEN] {
                    return Err(b"path".to_vec());
                }
                let hook = dex.hook.borrow().clone();
                if let Some(hook) = hook {
                    hook(host);
                }
                let mut s = dex.state.borrow_mut();
                s.swaps += 1;
                let out = s.trade_eth_for_tokens(now, value);
                let delivered = match s.router_mode {
                    RouterMode::Honest => out,
                    RouterMode::Skims => out / U256::from(2),
                };
                *s.balances.entry(args.to).or_default() += delivered;
                // The skimmed rest vanishes from circulation in this model.
                s.supply -= out - delivered;
                // An honest router enforces the minimum; a skimming one ignores it.
                if s.router_mode == RouterMode::Honest && delivered < args.amountOutMin {
                    return Err(b"UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT".to_vec());
                }
                Ok(vec![])
            }
            (TOKEN, calls::balanceOfCall::SELECTOR) => {
                let who = calls::balanceOfCall::abi_decode(call.data).map_err(|_| vec![])?;
                Ok(word(dex.state.borrow().balance(who.account)))
            }
            (TOKEN, calls::burnCall::SELECTOR) => {
                let args = calls::burnCall::abi_decode(call.data).map_err(|_| vec![])?;
                let mut s = dex.state.borrow_mut();
                let from = host.vm.contract_address();
                let balance = s.balance(from);
                if balance < args.value {
                    return Err(b"balance".to_vec());
                }
                s.balances.insert(from, balance - args.value);
                s.supply -= args.value;
                Ok(vec![])
            }
            (to, _) if call.data.is_empty() => match call.kind {
                CallKind::Call(value) => {
                    *dex.state.borrow_mut().eth_received.entry(to).or_default() += value;
                    Ok(vec![])
                }
                _ => Err(vec![]),
            },
            _ => Err(vec![]),
        }
    }
}

/// A deployment: the host (and its VM) and the program.
pub(crate) struct Env {
    pub host: CallHost<Dex>,
    pub vm: TestVM,
    pub revenue: Revenue,
}

impl Env {
    pub(crate) fn dex(&self) -> std::cell::RefMut<'_, DexState> {
        self.host.calls.state.borrow_mut()
    }

    /// Moves the clock forward by `seconds`.
    pub(crate) fn wait(&self, seconds: u64) {
        self.vm
            .set_block_timestamp(self.vm.block_timestamp() + seconds);
    }

    /// `who` calls with `value` wei.
    pub(crate) fn as_(&self, who: Address, value: U256) {
        self.vm.set_sender(who);
        self.vm.set_value(value);
    }

    /// `payer` pays `amount` wei for `request`.
    pub(crate) fn pay(
        &mut self,
        payer: Address,
        amount: U256,
        request: u8,
    ) -> Result<u64, crate::Error> {
        self.as_(payer, amount);
        let result = self
            .revenue
            .pay(alloy_primitives::B256::repeat_byte(request));
        self.vm.set_value(U256::ZERO);
        result
    }

    /// A second handle on the program (for re-entry from a hook).
    pub(crate) fn handle(host: &CallHost<Dex>) -> Revenue {
        Revenue::from(host)
    }
}

/// A pool of 10,000 WETH : 100,000,000 tokens (WETH as token 0 unless `weth_is_token0` is false),
/// the program deployed by `GOV` with a 10% treasury share, [`WINDOW`], [`SLIPPAGE_BPS`],
/// [`DEVIATION_BPS`], a cap of 10 ETH per [`PERIOD`].
pub(crate) fn deploy_with(weth_is_token0: bool) -> Env {
    let host = CallHost::new(TestVM::default(), Dex::default());
    let vm = host.vm.clone();
    vm.set_contract_address(THIS);
    vm.set_block_timestamp(T0);
    {
        let mut s = host.calls.state.borrow_mut();
        s.weth_is_token0 = weth_is_token0;
        s.mint(PAIR, units(100_000_000));
        s.update(T0 - 10_000, units(10_000), units(100_000_000));
        s.accumulate(T0);
    }
    let mut revenue = Revenue::from(&host);
    vm.set_sender(GOV);
    revenue
        .constructor(
            TOKEN,
            ROUTER,
            PAIR,
            TREASURY,
            1_000,
            GOV,
            WINDOW,
            SLIPPAGE_BPS,
            DEVIATION_BPS,
            PERIOD,
            units(10),
        )
        .unwrap();
    vm.clear_mocks();
    Env { host, vm, revenue }
}

/// [`deploy_with`] WETH as token 0.
pub(crate) fn deploy() -> Env {
    deploy_with(true)
}

/// The decoded logs of type `E` emitted so far.
pub(crate) fn logs<E: alloy_sol_types::SolEvent>(vm: &TestVM) -> Vec<E> {
    vm.get_emitted_logs()
        .iter()
        .filter_map(|(topics, data)| E::decode_raw_log(topics.iter().copied(), data).ok())
        .collect()
}

/// Every event's generated `emit` writes exactly the log alloy's `SolEvent` encoding gives.
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 9);
}
