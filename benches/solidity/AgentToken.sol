// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title AgentToken (Solidity reference)
/// @notice The benchmark's Solidity twin of `contracts/agent-token`: an ERC-20 with EIP-2612
/// permit and a transfer tax (basis points, floor-rounded) credited to the treasury. Same
/// constructor, same external functions for the measured paths, same events and errors, written
/// the way a Solidity developer would (OpenZeppelin-style, cached domain separator).
contract AgentToken {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event TaxCharged(address indexed from, address indexed to, uint256 tax);
    event TaxExemptionSet(address indexed account, bool exempt);

    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    error ERC20InvalidSender(address sender);
    error ERC20InvalidReceiver(address receiver);
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    error ERC20InvalidApprover(address approver);
    error ERC20InvalidSpender(address spender);
    error ERC2612ExpiredSignature(uint256 deadline);
    error ERC2612InvalidSigner(address signer, address owner);
    error ECDSAInvalidSignature();
    error ZeroAddress();
    error TaxRateTooHigh(uint16 maxBps, uint16 requestedBps);

    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    uint16 public constant MAX_TAX_BPS = 100;

    string public name;
    string public symbol;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    mapping(address => uint256) public nonces;
    address public treasury;
    address public governance;
    uint16 public taxBps;
    bool public poolsOnlyTax;
    mapping(address => bool) public isTaxExempt;
    mapping(address => bool) public isPool;

    bytes32 private immutable nameHash;
    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;

    constructor(
        string memory name_,
        string memory symbol_,
        uint256 initialSupply,
        address initialHolder,
        address treasury_,
        address governance_,
        uint16 taxBps_
    ) {
        if (taxBps_ > MAX_TAX_BPS) revert TaxRateTooHigh(MAX_TAX_BPS, taxBps_);
        if (initialHolder == address(0)) revert ERC20InvalidReceiver(address(0));
        if (treasury_ == address(0) || governance_ == address(0)) revert ZeroAddress();
        name = name_;
        symbol = symbol_;
        governance = governance_;
        taxBps = taxBps_;
        treasury = treasury_;
        isTaxExempt[treasury_] = true;
        emit TaxExemptionSet(treasury_, true);
        isTaxExempt[governance_] = true;
        emit TaxExemptionSet(governance_, true);
        totalSupply = initialSupply;
        balanceOf[initialHolder] = initialSupply;
        emit Transfer(address(0), initialHolder, initialSupply);
        nameHash = keccak256(bytes(name_));
        cachedChainId = block.chainid;
        cachedDomainSeparator = _buildDomainSeparator();
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 current = allowance[from][msg.sender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(msg.sender, current, value);
            unchecked {
                allowance[from][msg.sender] = current - value;
            }
        }
        _transfer(from, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    function permit(
        address owner,
        address spender,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (block.timestamp > deadline) revert ERC2612ExpiredSignature(deadline);
        uint256 nonce = nonces[owner];
        bytes32 structHash =
            keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR(), structHash));
        address signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert ECDSAInvalidSignature();
        if (signer != owner) revert ERC2612InvalidSigner(signer, owner);
        nonces[owner] = nonce + 1;
        _approve(owner, spender, value);
    }

    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() public view returns (bytes32) {
        return block.chainid == cachedChainId ? cachedDomainSeparator : _buildDomainSeparator();
    }

    function quoteTax(address from, address to, uint256 value) public view returns (uint256) {
        uint256 bps = taxBps;
        if (bps == 0 || isTaxExempt[from] || isTaxExempt[to]) return 0;
        if (poolsOnlyTax && !isPool[from] && !isPool[to]) return 0;
        return value * bps / 10_000;
    }

    function _transfer(address from, address to, uint256 value) private {
        if (from == address(0)) revert ERC20InvalidSender(from);
        if (to == address(0)) revert ERC20InvalidReceiver(to);
        uint256 balance = balanceOf[from];
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        uint256 tax = quoteTax(from, to, value);
        uint256 received = value - tax;
        unchecked {
            balanceOf[from] = balance - value;
        }
        balanceOf[to] += received;
        emit Transfer(from, to, received);
        if (tax != 0) {
            address treasury_ = treasury;
            balanceOf[treasury_] += tax;
            emit Transfer(from, treasury_, tax);
            emit TaxCharged(from, to, tax);
        }
    }

    function _approve(address owner, address spender, uint256 value) private {
        if (owner == address(0)) revert ERC20InvalidApprover(owner);
        if (spender == address(0)) revert ERC20InvalidSpender(spender);
        allowance[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, nameHash, keccak256("1"), block.chainid, address(this))
        );
    }
}
