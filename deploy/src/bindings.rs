//! Typed ethers bindings of the contracts, generated with `abigen!` from the committed
//! `abi/<Contract>.json` (a missing file fails the build): the one set the lifecycle story,
//! `deploy --demo`, the integration tests and the bench runner drive the system through.
#![allow(missing_docs, clippy::all)]

/// `abi/AgentToken.json`.
pub mod agent_token {
    ethers::contract::abigen!(AgentToken, "../abi/AgentToken.json");
}

/// `abi/StakingVault.json`.
pub mod staking_vault {
    ethers::contract::abigen!(StakingVault, "../abi/StakingVault.json");
}

/// `abi/EloLedger.json`.
pub mod elo_ledger {
    ethers::contract::abigen!(EloLedger, "../abi/EloLedger.json");
}

/// `abi/OmlRegistry.json`.
pub mod oml_registry {
    ethers::contract::abigen!(OmlRegistry, "../abi/OmlRegistry.json");
}

/// `abi/SubDao.json`.
pub mod subdao {
    ethers::contract::abigen!(SubDao, "../abi/SubDao.json");
}

/// `abi/Revenue.json`.
pub mod revenue {
    ethers::contract::abigen!(Revenue, "../abi/Revenue.json");
}

/// `abi/Rewards.json`.
pub mod rewards {
    ethers::contract::abigen!(Rewards, "../abi/Rewards.json");
}

/// The Uniswap V2 router 02 and pair functions the lifecycle and the tests call (a subset of
/// the ABIs `@uniswap/v2-periphery` and `@uniswap/v2-core` publish).
pub mod uniswap_v2 {
    ethers::contract::abigen!(
        UniswapV2Router02,
        r#"[
            function factory() external view returns (address)
            function WETH() external view returns (address)
            function addLiquidityETH(address token, uint256 amountTokenDesired, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline) external payable returns (uint256 amountToken, uint256 amountETH, uint256 liquidity)
            function removeLiquidityETHSupportingFeeOnTransferTokens(address token, uint256 liquidity, uint256 amountTokenMin, uint256 amountETHMin, address to, uint256 deadline) external returns (uint256 amountETH)
            function swapExactETHForTokensSupportingFeeOnTransferTokens(uint256 amountOutMin, address[] path, address to, uint256 deadline) external payable
            function swapExactTokensForETHSupportingFeeOnTransferTokens(uint256 amountIn, uint256 amountOutMin, address[] path, address to, uint256 deadline) external
            function getAmountsOut(uint256 amountIn, address[] path) external view returns (uint256[] amounts)
        ]"#
    );
    ethers::contract::abigen!(
        UniswapV2Pair,
        r#"[
            function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast)
            function token0() external view returns (address)
            function totalSupply() external view returns (uint256)
            function balanceOf(address owner) external view returns (uint256)
            function approve(address spender, uint256 value) external returns (bool)
            function transfer(address to, uint256 value) external returns (bool)
        ]"#
    );
}
