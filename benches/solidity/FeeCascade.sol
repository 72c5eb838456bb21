// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title FeeCascade (Solidity reference)
/// @notice The usage-fee hot path of `contracts/oml-registry` in Solidity: a licensee reports
/// usage and pays `usageFee * units` in ETH; the fee is split into protocol, provers, an
/// ancestors pool that decays along the model's family tree (at most 8 levels, each ancestor
/// taking `decay` bps of what is left) and the creator's remainder, all floor-rounded, and
/// credited for pull-based withdrawal.
contract FeeCascade {
    event ModelRegistered(uint64 indexed model, address indexed owner, uint64 parent);
    event LicenseGranted(uint64 indexed license, uint64 indexed model, address indexed licensee);
    event UsageReported(uint64 indexed license, uint256 units, uint256 fee);

    error UnknownModel(uint64 model);
    error NotLicensee(uint64 license, address caller);
    error ZeroAmount();
    error WrongPayment(uint256 sent, uint256 due);
    error SplitNotExact();

    uint256 public constant MAX_DEPTH = 8;
    uint256 internal constant BPS = 10_000;

    struct Model {
        address owner;
        uint64 parent;
        uint256 usageFee;
        uint16 creatorBps;
        uint16 ancestorsBps;
        uint16 proversBps;
        uint16 protocolBps;
        uint16 decayBps;
    }

    struct License {
        uint64 model;
        address licensee;
        uint256 reportedUnits;
    }

    address public immutable protocolTreasury;
    uint64 public modelCount;
    uint64 public licenseCount;
    mapping(uint64 => Model) public models;
    mapping(uint64 => License) public licenses;
    /// Withdrawable ETH per payee.
    mapping(address => uint256) public credit;
    uint256 public proverPool;

    constructor(address treasury) {
        protocolTreasury = treasury;
    }

    function registerModel(uint64 parent, uint256 usageFee, uint16[5] calldata split)
        external
        returns (uint64 id)
    {
        if (parent != 0 && models[parent].owner == address(0)) revert UnknownModel(parent);
        if (uint256(split[0]) + split[1] + split[2] + split[3] != BPS || split[4] > BPS) {
            revert SplitNotExact();
        }
        id = ++modelCount;
        models[id] = Model(msg.sender, parent, usageFee, split[0], split[1], split[2], split[3], split[4]);
        emit ModelRegistered(id, msg.sender, parent);
    }

    function requestLicense(uint64 model) external returns (uint64 id) {
        if (models[model].owner == address(0)) revert UnknownModel(model);
        id = ++licenseCount;
        licenses[id] = License(model, msg.sender, 0);
        emit LicenseGranted(id, model, msg.sender);
    }

    function reportUsage(uint64 licenseId, uint256 units) external payable {
        License storage license = licenses[licenseId];
        if (license.licensee != msg.sender) revert NotLicensee(licenseId, msg.sender);
        if (units == 0) revert ZeroAmount();
        uint64 modelId = license.model;
        Model storage model = models[modelId];
        uint256 fee = model.usageFee * units;
        if (msg.value != fee) revert WrongPayment(msg.value, fee);
        license.reportedUnits += units;
        _distribute(model, fee);
        emit UsageReported(licenseId, units, fee);
    }

    function _distribute(Model storage model, uint256 fee) private {
        uint256 protocol = fee * model.protocolBps / BPS;
        uint256 provers = fee * model.proversBps / BPS;
        uint256 pool = fee * model.ancestorsBps / BPS;
        uint256 decay = model.decayBps;
        uint256 left = pool;
        uint64 ancestor = model.parent;
        for (uint256 depth = 0; depth < MAX_DEPTH && ancestor != 0; depth++) {
            Model storage up = models[ancestor];
            uint256 part = left * decay / BPS;
            left -= part;
            credit[up.owner] += part;
            ancestor = up.parent;
        }
        credit[protocolTreasury] += protocol;
        proverPool += provers;
        credit[model.owner] += fee - protocol - provers - (pool - left);
    }
}
