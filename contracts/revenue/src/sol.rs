//! Solidity events and errors of the revenue program, and the Uniswap V2 and ERC-20 calls it
//! makes (declared for their selectors).
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
agentdao_common::static_events! {
    /// `payer` paid `amount` wei for the inference request `request` (the application's own
    /// reference), the `index`-th paid request; `treasury_share` of it goes to the treasury.
    event InferencePaid(
        address indexed payer,
        bytes32 indexed request,
        uint256 amount,
        uint256 treasury_share,
        uint64 index
    );
    /// `amount` wei arrived without a request (a protocol share or fee routed here).
    event RevenueReceived(address indexed from, uint256 amount, uint256 treasury_share);
    /// `caller` swapped `eth_in` wei into `bought` agent tokens (at least `min_out`) and burned
    /// `burned` tokens (the bought ones plus any the program held).
    event BuybackBurned(
        address indexed caller,
        uint256 eth_in,
        uint256 min_out,
        uint256 bought,
        uint256 burned
    );
    /// A new price observation: the pair's cumulative price of WETH in agent tokens at `timestamp`.
    event PriceObserved(uint256 cumulative, uint64 timestamp);
    /// `amount` wei of the treasury's share went to `treasury`.
    event TreasuryShareReleased(address indexed treasury, uint256 amount);
    /// Governance chose the router and the AGENT/WETH pair (WETH is `weth`).
    event DexSet(address indexed router, address indexed pair, address weth);
    /// Governance set the oracle window and the price bounds.
    event OracleSet(uint32 window, uint16 max_slippage_bps, uint16 max_deviation_bps);
    /// Governance set the buyback cap: at most `cap` wei per `period` seconds.
    event CapSet(uint32 period, uint256 cap);
    /// Governance set the treasury and its share of incoming revenue.
    event TreasurySet(address indexed treasury, uint16 share_bps);

    /// A payment of zero wei.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroPayment();
    /// `pair` does not trade the agent token against the router's WETH `weth`.
    #[derive(Debug, PartialEq, Eq)]
    error PairMismatch(address pair, address weth);
    /// A setting is outside its bounds: `value` not within `[min, max]`.
    #[derive(Debug, PartialEq, Eq)]
    error SettingOutOfRange(uint256 value, uint256 min, uint256 max);
    /// No ETH is waiting to be swapped.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToBuy();
    /// This period's cap is spent; the next period starts at `next_period`.
    #[derive(Debug, PartialEq, Eq)]
    error CapReached(uint64 next_period);
    /// The price observation is younger than the window; it is old enough at `ready_at`.
    #[derive(Debug, PartialEq, Eq)]
    error TwapNotReady(uint64 ready_at);
    /// The pool's spot price `spot` is more than the allowed bound away from the average
    /// `twap` (both UQ112x112 agent tokens per WETH): the pool was moved just now.
    #[derive(Debug, PartialEq, Eq)]
    error SpotDeviatesFromTwap(uint256 spot, uint256 twap);
    /// The swap delivered `received` agent tokens, below the minimum `min_out`.
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientOutput(uint256 received, uint256 min_out);
    /// A call to `target` (the pair, the router or the token) failed or answered garbage.
    #[derive(Debug, PartialEq, Eq)]
    error DexCallFailed(address target);
    /// The pool holds no reserves.
    #[derive(Debug, PartialEq, Eq)]
    error EmptyPool();
    /// Sending `amount` wei to `to` failed.
    #[derive(Debug, PartialEq, Eq)]
    error EthTransferFailed(address to, uint256 amount);
    /// The treasury has no share waiting.
    #[derive(Debug, PartialEq, Eq)]
    error NothingToRelease();
}

/// The external functions this program calls (only their selectors are used).
pub mod calls {
    #[allow(unused_imports)]
    use alloc::{vec, vec::Vec};
    alloy_sol_types::sol! {
        function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
        function price0CumulativeLast() external view returns (uint256);
        function price1CumulativeLast() external view returns (uint256);
        function token0() external view returns (address);
        function token1() external view returns (address);
        function WETH() external view returns (address);
        function swapExactETHForTokensSupportingFeeOnTransferTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline) external payable;
        function balanceOf(address account) external view returns (uint256);
        function burn(uint256 value) external;
    }
}
