// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

interface IERC20Min {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
}

/// @title StakingVotes (Solidity reference)
/// @notice The stake / reward / voting-power hot path of `contracts/staking-vault` in Solidity:
/// LP stake delegated to validators as shares of a per-validator pool (so a slash is O(1)),
/// stake measured by balance delta (fee-on-transfer safe), a reward-per-power accumulator with
/// the validator's commission, and timestamp checkpoints of each validator's voting power and
/// of the total (`getPastVotes`, `getPastTotalSupply`, ERC-6372 timestamp clock). Functions the
/// benchmark calls keep the Stylus contract's signatures.
contract StakingVotes {
    event ValidatorRegistered(address indexed validator, uint256 commissionBps, string metadataURI);
    event Staked(address indexed account, address indexed validator, uint256 amount, uint256 shares);
    event RewardNotified(address indexed from, uint256 amount);
    event RewardsClaimed(address indexed account, uint256 amount);
    event DelegateVotesChanged(address indexed validator, uint256 previousVotes, uint256 newVotes);

    error UnknownValidator(address validator);
    error ValidatorAlreadyRegistered(address validator);
    error CommissionTooHigh(uint16 bps, uint16 max);
    error ZeroAmount();
    error NothingToClaim(address account);
    error NoVotingPower();
    error ReentrantCall();
    error TokenCallFailed(address token);
    error FutureLookup(uint256 timepoint, uint48 clock);

    uint256 internal constant PRECISION = 1e18;
    uint256 internal constant BPS = 10_000;
    uint16 public constant MAX_COMMISSION_BPS = 2_000;
    uint256 internal constant MAX_DELEGATIONS = 8;

    struct Checkpoint {
        uint48 key;
        uint208 value;
    }

    struct Validator {
        bool registered;
        uint16 commissionBps;
        uint256 totalShares;
        uint256 totalStake;
        uint256 rewardSnapshot;
        uint256 commissionOwed;
        bytes32 metadataHash;
    }

    struct Delegation {
        uint256 shares;
        uint256 rewardDebt;
        uint256 pending;
    }

    IERC20Min public immutable lpToken;
    IERC20Min public immutable rewardToken;
    uint256 public rewardPerPower;
    uint256 public totalStake;
    uint256 private locked = 1;
    mapping(address => Validator) internal validators;
    mapping(address => mapping(address => Delegation)) internal delegations;
    mapping(address => address[]) internal delegatedTo;
    mapping(address => Checkpoint[]) internal votes;
    Checkpoint[] internal totalVotes;

    modifier nonReentrant() {
        if (locked != 1) revert ReentrantCall();
        locked = 2;
        _;
        locked = 1;
    }

    constructor(address lp, address reward) {
        lpToken = IERC20Min(lp);
        rewardToken = IERC20Min(reward);
    }

    function clock() public view returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    function registerValidator(uint16 commissionBps, string calldata metadataUri) external {
        Validator storage v = validators[msg.sender];
        if (v.registered) revert ValidatorAlreadyRegistered(msg.sender);
        if (commissionBps > MAX_COMMISSION_BPS) revert CommissionTooHigh(commissionBps, MAX_COMMISSION_BPS);
        v.registered = true;
        v.commissionBps = commissionBps;
        v.rewardSnapshot = rewardPerPower;
        v.metadataHash = keccak256(bytes(metadataUri));
        emit ValidatorRegistered(msg.sender, commissionBps, metadataUri);
    }

    function stake(address validator, uint256 amount) external nonReentrant returns (uint256 shares) {
        if (amount == 0) revert ZeroAmount();
        Validator storage v = validators[validator];
        if (!v.registered) revert UnknownValidator(validator);
        _settle(msg.sender, validator);
        uint256 before = lpToken.balanceOf(address(this));
        if (!lpToken.transferFrom(msg.sender, address(this), amount)) revert TokenCallFailed(address(lpToken));
        uint256 received = lpToken.balanceOf(address(this)) - before;
        shares = v.totalStake == 0 ? received : received * v.totalShares / v.totalStake;
        Delegation storage d = delegations[msg.sender][validator];
        if (d.shares == 0) delegatedTo[msg.sender].push(validator);
        d.shares += shares;
        v.totalShares += shares;
        uint256 previous = v.totalStake;
        v.totalStake = previous + received;
        totalStake += received;
        d.rewardDebt = _stakeOf(d, v) * rewardPerPower / PRECISION;
        _push(votes[validator], v.totalStake);
        _push(totalVotes, totalStake);
        emit Staked(msg.sender, validator, received, shares);
        emit DelegateVotesChanged(validator, previous, v.totalStake);
    }

    function notifyRewardAmount(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        if (totalStake == 0) revert NoVotingPower();
        uint256 before = rewardToken.balanceOf(address(this));
        if (!rewardToken.transferFrom(msg.sender, address(this), amount)) revert TokenCallFailed(address(rewardToken));
        uint256 received = rewardToken.balanceOf(address(this)) - before;
        rewardPerPower += received * PRECISION / totalStake;
        emit RewardNotified(msg.sender, received);
    }

    function claimRewards() external nonReentrant returns (uint256 amount) {
        address[] storage list = delegatedTo[msg.sender];
        for (uint256 i = 0; i < list.length && i < MAX_DELEGATIONS; i++) {
            address validator = list[i];
            _settle(msg.sender, validator);
            Delegation storage d = delegations[msg.sender][validator];
            amount += d.pending;
            d.pending = 0;
        }
        Validator storage own = validators[msg.sender];
        if (own.registered) {
            _accrueCommission(own);
            amount += own.commissionOwed;
            own.commissionOwed = 0;
        }
        if (amount == 0) revert NothingToClaim(msg.sender);
        if (!rewardToken.transfer(msg.sender, amount)) revert TokenCallFailed(address(rewardToken));
        emit RewardsClaimed(msg.sender, amount);
    }

    function getVotes(address validator) external view returns (uint256) {
        Checkpoint[] storage list = votes[validator];
        return list.length == 0 ? 0 : list[list.length - 1].value;
    }

    function getPastVotes(address validator, uint256 timepoint) external view returns (uint256) {
        return _lookup(votes[validator], timepoint);
    }

    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return _lookup(totalVotes, timepoint);
    }

    function pendingRewards(address account, address validator) external view returns (uint256) {
        Delegation storage d = delegations[account][validator];
        Validator storage v = validators[validator];
        uint256 accrued = _stakeOf(d, v) * rewardPerPower / PRECISION - d.rewardDebt;
        return d.pending + accrued - accrued * v.commissionBps / BPS;
    }

    function _stakeOf(Delegation storage d, Validator storage v) private view returns (uint256) {
        return v.totalShares == 0 ? 0 : d.shares * v.totalStake / v.totalShares;
    }

    /// Moves the delegation's accrued rewards to `pending`, minus the validator's commission.
    function _settle(address account, address validator) private {
        Validator storage v = validators[validator];
        Delegation storage d = delegations[account][validator];
        _accrueCommission(v);
        uint256 accumulated = _stakeOf(d, v) * rewardPerPower / PRECISION;
        uint256 accrued = accumulated - d.rewardDebt;
        if (accrued != 0) {
            d.pending += accrued - accrued * v.commissionBps / BPS;
        }
        d.rewardDebt = accumulated;
    }

    /// Credits the validator's commission on everything its pool earned since the last time.
    function _accrueCommission(Validator storage v) private {
        uint256 rpp = rewardPerPower;
        uint256 earned = v.totalStake * (rpp - v.rewardSnapshot) / PRECISION;
        v.rewardSnapshot = rpp;
        if (earned != 0) v.commissionOwed += earned * v.commissionBps / BPS;
    }

    function _push(Checkpoint[] storage list, uint256 value) private {
        uint48 key = clock();
        uint256 n = list.length;
        if (n != 0 && list[n - 1].key == key) {
            list[n - 1].value = uint208(value);
        } else {
            list.push(Checkpoint(key, uint208(value)));
        }
    }

    function _lookup(Checkpoint[] storage list, uint256 timepoint) private view returns (uint256) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert FutureLookup(timepoint, now_);
        uint256 low = 0;
        uint256 high = list.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (list[mid].key > timepoint) high = mid;
            else low = mid + 1;
        }
        return high == 0 ? 0 : list[high - 1].value;
    }
}
