// SPDX-License-Identifier: MIT OR Apache-2.0
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.
pragma solidity ^0.8.23;

interface IAgentToken {
    event Transfer(address indexed from, address indexed to, uint256 value);

    event Approval(address indexed owner, address indexed spender, uint256 value);

    event TaxCharged(address indexed from, address indexed to, uint256 tax);

    event TaxRateLowered(uint16 previous_bps, uint16 new_bps);

    event TaxExemptionSet(address indexed account, bool exempt);

    event TreasuryChanged(address indexed previous, address indexed current);

    event PoolSet(address indexed pool, bool enabled);

    event TaxScopeSet(bool pools_only);

    event GovernanceTransferStarted(address indexed current, address indexed pending);

    event GovernanceTransferred(address indexed previous, address indexed current);

    function transfer(address to, uint256 value) external returns (bool);

    function transferFrom(address from, address to, uint256 value) external returns (bool);

    function approve(address spender, uint256 value) external returns (bool);

    function burn(uint256 value) external;

    function burnFrom(address account, uint256 value) external;

    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;

    function nonces(address owner) external view returns (uint256);

    function DOMAIN_SEPARATOR() external view returns (bytes32);

    function lowerTaxRate(uint16 new_bps) external;

    function setTreasury(address new_treasury) external;

    function setTaxExempt(address account, bool exempt) external;

    function setPool(address pool, bool enabled) external;

    function setPoolsOnlyTax(bool pools_only) external;

    function transferGovernance(address successor) external;

    function acceptGovernance() external;

    function name() external view returns (string memory);

    function symbol() external view returns (string memory);

    function decimals() external view returns (uint8);

    function totalSupply() external view returns (uint256);

    function balanceOf(address account) external view returns (uint256);

    function allowance(address owner, address spender) external view returns (uint256);

    function taxBps() external view returns (uint16);

    function treasury() external view returns (address);

    function isTaxExempt(address account) external view returns (bool);

    function isPool(address account) external view returns (bool);

    function poolsOnlyTax() external view returns (bool);

    function quoteTax(address from, address to, uint256 value) external view returns (uint256);

    function governance() external view returns (address);

    function pendingGovernance() external view returns (address);

    function version() external view returns (string memory);

    error ERC20InsufficientBalance(address, uint256, uint256);

    error ERC20InvalidSender(address);

    error ERC20InvalidReceiver(address);

    error ERC20InsufficientAllowance(address, uint256, uint256);

    error ERC20InvalidApprover(address);

    error ERC20InvalidSpender(address);

    error ERC2612ExpiredSignature(uint256);

    error ERC2612InvalidSigner(address, address);

    error ECDSAInvalidSignature();

    error ECDSAInvalidSignatureS(bytes32);

    error TaxRateNotLowered(uint16, uint16);

    error Unauthorized(address, address);

    error ZeroAddress();

    error NotPendingGovernance(address, address);

    error ArithmeticOverflow();

    error StringTooLong(uint256, uint256);

    error TaxRateTooHigh(uint16, uint16);

    error ExemptByRole(address);
}
