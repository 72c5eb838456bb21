//! The OML registry calls other contracts and dashboards make: licenses, usage, claims,
//! withdrawals and the family-tree views.
//!
//! `registerModel(bytes32,bytes,uint64,Terms)`, `setParams(Params)` and `model(uint64)` take or
//! return structs and are left out here; their full signatures are in `abi/OmlRegistry.json`.
// `submitClaim` has six arguments; the generated client adds the host and call context.
#![allow(clippy::too_many_arguments)]
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// Surface of the OML collateral registry (ids are `uint64`, asset zero = ETH).
    interface IOmlRegistry {
        /// Appends a version (content hash + URI) to a model the caller owns.
        function publishVersion(uint64 model_id, bytes32 content_hash, bytes calldata uri) external returns (uint64);
        /// Deposits the model's required collateral and returns the new license id.
        function requestLicense(uint64 model_id) external payable returns (uint64);
        /// The model owner commits the fingerprint Merkle root of one license (once).
        function setFingerprintRoot(uint64 license_id, bytes32 root) external;
        /// The licensee pays `units * usageFee`, split along the family tree.
        function reportUsage(uint64 license_id, uint64 units) external payable;
        /// The licensee starts the collateral cooldown.
        function terminateLicense(uint64 license_id) external;
        /// After the cooldown and with no claim pending, credits the collateral back.
        function closeLicense(uint64 license_id) external;
        /// A prover accuses a license (kind 0 leaked copy, 1 unpaid usage) with fingerprint proofs.
        function submitClaim(uint64 license_id, uint8 kind, bytes32[] calldata leaves, bytes32[][] calldata proofs, bytes32 evidence_hash, uint256 observed_units) external payable returns (uint64);
        /// The licensee or governance disputes a claim inside its challenge window.
        function disputeClaim(uint64 claim_id, bytes32 counter_evidence) external;
        /// Governance settles a disputed claim.
        function resolveDispute(uint64 claim_id, bool uphold) external;
        /// Anyone slashes the license of an undisputed claim after its window.
        function finalizeClaim(uint64 claim_id) external;
        /// Pays the caller everything credited to it in `asset`.
        function withdraw(address asset) external returns (uint256);
        /// Amount `payee` can withdraw in `asset`.
        function credit(address asset, address payee) external view returns (uint256);
        /// Parent model id (zero for a root model).
        function parentOf(uint64 model_id) external view returns (uint64);
        /// Up to `depth` (<= 8) ancestor ids, parent first.
        function ancestors(uint64 model_id, uint64 depth) external view returns (uint64[] memory);
        /// Content hash of version `version` (1-based) of a model.
        function versionHash(uint64 model_id, uint64 version) external view returns (bytes32);
        /// Semantic version of the contract.
        function version() external pure returns (string memory);
    }
}
