// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IRevenue {
    event InferencePaid( address indexed payer, bytes32 indexed request, uint256 amount, uint256 treasury_share, uint64 index );

    event RevenueReceived(address indexed from, uint256 amount, uint256 treasury_share);

    event BuybackBurned( address indexed caller, uint256 eth_in, uint256 min_out, uint256 bought, uint256 burned );

    event PriceObserved(uint256 cumulative, uint64 timestamp);

    event TreasuryShareReleased(address indexed treasury, uint256 amount);

    event DexSet(address indexed router, address indexed pair, address weth);

    event OracleSet(uint32 window, uint16 max_slippage_bps, uint16 max_deviation_bps);

    event CapSet(uint32 period, uint256 cap);

    event TreasurySet(address indexed treasury, uint16 share_bps);

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function pay(bytes32 request) external payable returns (uint64);

    function releaseTreasuryShare() external returns (uint256);

    function buybackAndBurn() external returns (uint256);

    function buybackQuote() external view returns (uint256, uint256, uint256, uint256);

    function observe() external;

    function setDex(address dex_router, address dex_pair) external;

    function setOracle(uint32 twap_window, uint16 max_slippage_bps, uint16 max_deviation_bps) external;

    function setCap(uint32 cap_period, uint256 cap_per_period) external;

    function setTreasury(address treasury, uint16 share_bps) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function dex() external view returns (address, address, address, address);

    function settings() external view returns (address, uint16, uint32, uint16, uint16, uint32, uint256);

    function totals() external view returns (uint256, uint64, uint256, uint256, uint256, uint256, uint256);

    function capUsage() external view returns (uint64, uint256);

    function observation() external view returns (uint256, uint64);

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);

    error ZeroPayment();

    error PairMismatch(address, address);

    error SettingOutOfRange(uint256, uint256, uint256);

    error BpsOutOfRange(uint256, uint256);

    error NothingToBuy();

    error CapReached(uint64);

    error TwapNotReady(uint64);

    error SpotDeviatesFromTwap(uint256, uint256);

    error InsufficientOutput(uint256, uint256);

    error DexCallFailed(address);

    error EmptyPool();

    error EthTransferFailed(address, uint256);

    error NothingToRelease();

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ReentrantCall();

    error ArithmeticOverflow();
}
