//! The agent token's ABI as other contracts see it (ERC-20 + EIP-2612 + tax administration).
//!
//! Kept in sync with `abi/IAgentToken.sol` by the token's owner. Contracts that only move tokens
//! should prefer [`IErc20`](super::erc20::IErc20), which any ERC-20 satisfies.
// `permit` takes seven arguments plus the generated call context.
#![allow(clippy::too_many_arguments)]
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// The agent's taxed ERC-20: every non-exempt transfer in scope pays `taxBps` of the amount
    /// (rounded down) to `treasury`; governance may only lower the rate.
    interface IAgentToken {
        function name() external view returns (string memory);
        function symbol() external view returns (string memory);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        function burn(uint256 value) external;
        function burnFrom(address account, uint256 value) external;
        function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
        function nonces(address owner) external view returns (uint256);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
        function taxBps() external view returns (uint16);
        function treasury() external view returns (address);
        function isTaxExempt(address account) external view returns (bool);
        function isPool(address account) external view returns (bool);
        function poolsOnlyTax() external view returns (bool);
        function quoteTax(address from, address to, uint256 value) external view returns (uint256);
        function lowerTaxRate(uint16 new_bps) external;
        function setTreasury(address new_treasury) external;
        function setTaxExempt(address account, bool exempt) external;
        function setPool(address pool, bool enabled) external;
        function setPoolsOnlyTax(bool pools_only) external;
        function governance() external view returns (address);
        function pendingGovernance() external view returns (address);
        function transferGovernance(address successor) external;
        function acceptGovernance() external;
        function version() external view returns (string memory);
    }
}
