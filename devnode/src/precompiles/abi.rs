//! Solidity ABI of the Arbitrum precompiles and the StylusDeployer (nitro-precompile-interfaces,
//! nitro-contracts).

alloy_sol_types::sol! {
    /// ArbSys (0x64), the subset the devnode serves.
    interface ArbSys {
        function arbBlockNumber() external view returns (uint256);
        function arbChainID() external view returns (uint256);
        function arbOSVersion() external view returns (uint256);
    }

    /// ArbWasm (0x71).
    interface ArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashKeepalive(bytes32 codehash) external payable;
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function programTimeLeft(address program) external view returns (uint64 _secs);
        function inkPrice() external view returns (uint32 price);
        function maxStackDepth() external view returns (uint32 depth);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageRamp() external view returns (uint64 ramp);
        function pageLimit() external view returns (uint16 limit);
        function minInitGas() external view returns (uint64 gas, uint64 cached);
        function initCostScalar() external view returns (uint64 percent);
        function expiryDays() external view returns (uint16 _days);
        function keepaliveDays() external view returns (uint16 _days);
        function blockCacheSize() external view returns (uint16 count);
        function activationGas() external view returns (uint64 gas);

        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        event ProgramLifetimeExtended(bytes32 indexed codehash, uint256 dataFee);

        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion);
        error ProgramExpired(uint64 ageInSeconds);
        error ProgramUpToDate();
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds);
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }

    /// ArbWasmCache (0x72): program cache management (ArbOS >= 31 methods).
    interface ArbWasmCache {
        function isCacheManager(address manager) external view returns (bool);
        function allCacheManagers() external view returns (address[] memory managers);
        function cacheProgram(address addr) external;
        function evictCodehash(bytes32 codehash) external;
        function codehashIsCached(bytes32 codehash) external view returns (bool);

        event UpdateProgramCache(address indexed manager, bytes32 indexed codehash, bool cached);
    }

    /// ArbOwner (0x70), the subset the devnode serves: the chain owner appoints cache managers.
    interface ArbOwner {
        function addWasmCacheManager(address manager) external;
        function removeWasmCacheManager(address manager) external;
        function isChainOwner(address addr) external view returns (bool);
    }

    /// ArbOwnerPublic (0x6b), the subset the devnode serves (what the CacheManager asks).
    interface ArbOwnerPublic {
        function isChainOwner(address addr) external view returns (bool);
        function getAllChainOwners() external view returns (address[] memory);
        function getNetworkFeeAccount() external view returns (address);
    }

    /// Arbitrum's CacheManager (`@arbitrum/nitro-contracts` `src/chain/CacheManager.sol`): the
    /// auction that caches Stylus programs through ArbWasmCache.
    interface CacheManager {
        struct Entry {
            bytes32 code;
            uint64 size;
            uint192 bid;
        }

        function initialize(uint64 initCacheSize, uint64 initDecay) external;
        function placeBid(address program) external payable;
        function getMinBid(address program) external view returns (uint192 min);
        function getEntries() external view returns (Entry[] memory);
        function cacheSize() external view returns (uint64);
        function queueSize() external view returns (uint64);
        function decay() external view returns (uint64);
        function isPaused() external view returns (bool);
        function evictAll() external;
        function setCacheSize(uint64 newSize) external;

        error NotChainOwner(address sender);
        error AsmTooLarge(uint256 asm, uint256 queueSize, uint256 cacheSize);
        error AlreadyCached(bytes32 codehash);
        error BidTooLarge(uint256 bid);
        error BidTooSmall(uint192 bid, uint192 min);
        error BidsArePaused();

        event InsertBid(bytes32 indexed codehash, address program, uint192 bid, uint64 size);
        event DeleteBid(bytes32 indexed codehash, uint192 bid, uint64 size);
    }

    /// The StylusDeployer at `0xcEcba2F1DC234f70Dd89F2041029807F8D03A990`.
    interface StylusDeployer {
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);

        event ContractDeployed(address deployedContract);

        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{SolCall, SolError, SolEvent};

    #[test]
    fn selectors_match_nitro() {
        assert_eq!(
            ArbWasm::activateProgramCall::SELECTOR,
            [0x58, 0xc7, 0x80, 0xc2]
        );
        assert_eq!(
            ArbWasm::codehashVersionCall::SELECTOR,
            [0xd7, 0x0c, 0x0c, 0xa7]
        );
        assert_eq!(
            ArbWasm::stylusVersionCall::SELECTOR,
            [0xa9, 0x96, 0xe0, 0xc2]
        );
        assert_eq!(ArbWasm::inkPriceCall::SELECTOR, [0xd1, 0xc1, 0x7a, 0xbc]);
        assert_eq!(
            ArbWasm::codehashKeepaliveCall::SELECTOR,
            [0xc6, 0x89, 0xba, 0xd5]
        );
        assert_eq!(
            ArbWasm::programVersionCall::SELECTOR,
            [0xcc, 0x8f, 0x4e, 0x88]
        );
        assert_eq!(ArbWasm::minInitGasCall::SELECTOR, [0x99, 0xd0, 0xb3, 0x8d]);
        assert_eq!(
            ArbWasm::ProgramNotActivated::SELECTOR,
            [0x6f, 0x80, 0x9c, 0x4e]
        );
        assert_eq!(
            ArbWasm::ProgramInsufficientValue::SELECTOR,
            [0x09, 0x78, 0x1a, 0xb7]
        );
        assert_eq!(ArbWasm::ProgramUpToDate::SELECTOR, [0xcc, 0x94, 0x4b, 0xf2]);
        assert_eq!(
            format!("{}", ArbWasm::ProgramActivated::SIGNATURE_HASH),
            "0xc0e812780707128d9a180db8ee4d1c1f1300b6dd0626d577b5d9ac759b76253c"
        );
        assert_eq!(ArbSys::arbOSVersionCall::SELECTOR, [0x05, 0x10, 0x38, 0xf2]);
        assert_eq!(
            StylusDeployer::deployCall::SELECTOR,
            [0xa9, 0xa8, 0xe4, 0xe9]
        );
        assert_eq!(
            StylusDeployer::initSaltCall::SELECTOR,
            [0x9f, 0x40, 0xb3, 0x85]
        );
        assert_eq!(
            StylusDeployer::requiresActivationCall::SELECTOR,
            [0x83, 0x5d, 0x1d, 0x4c]
        );
        assert_eq!(
            StylusDeployer::EmptyBytecode::SELECTOR,
            [0x21, 0x74, 0x4a, 0x59]
        );
        assert_eq!(
            StylusDeployer::ContractDeploymentError::SELECTOR,
            [0x79, 0x4c, 0x92, 0xce]
        );
        assert_eq!(
            StylusDeployer::ContractInitializationError::SELECTOR,
            [0x88, 0xd8, 0xf5, 0x7d]
        );
        assert_eq!(
            StylusDeployer::InitValueButNotInitData::SELECTOR,
            [0x00, 0xcc, 0x79, 0x71]
        );
        assert_eq!(
            StylusDeployer::RefundExcessValueError::SELECTOR,
            [0x3e, 0xa9, 0x91, 0x69]
        );
        assert_eq!(
            format!("{}", StylusDeployer::ContractDeployed::SIGNATURE_HASH),
            "0x8ffcdc15a283d706d38281f500270d8b5a656918f555de0913d7455e3e6bc1bf"
        );
    }
}
