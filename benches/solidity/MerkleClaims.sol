// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title MerkleClaims (Solidity reference)
/// @notice The fingerprint-proof hot path of `contracts/oml-registry` in Solidity: a license's
/// fingerprint root (leaves `keccak256(key ‖ response)`, pairs hashed in sorted order as
/// OpenZeppelin's MerkleProof does) and a claim that must prove each leaf against it. The claim
/// is recorded so a leaf cannot be proven twice.
contract MerkleClaims {
    event FingerprintRootSet(uint64 indexed license, bytes32 root);
    event LeafProven(uint64 indexed license, bytes32 indexed leaf);

    error InvalidProof(uint256 index);
    error LeafAlreadyProven(bytes32 leaf);
    error LengthMismatch(uint256 leaves, uint256 proofs);
    error NoRoot(uint64 license);

    mapping(uint64 => bytes32) public fingerprintRoot;
    mapping(uint64 => mapping(bytes32 => bool)) public proven;

    function setFingerprintRoot(uint64 license, bytes32 root) external {
        fingerprintRoot[license] = root;
        emit FingerprintRootSet(license, root);
    }

    /// Proves `leaves[i]` with `proofs[i]` against the license's root and records them.
    function proveLeaves(uint64 license, bytes32[] calldata leaves, bytes32[][] calldata proofs) external {
        if (leaves.length != proofs.length) revert LengthMismatch(leaves.length, proofs.length);
        bytes32 root = fingerprintRoot[license];
        if (root == bytes32(0)) revert NoRoot(license);
        for (uint256 i = 0; i < leaves.length; i++) {
            bytes32 leaf = leaves[i];
            if (processProof(proofs[i], leaf) != root) revert InvalidProof(i);
            if (proven[license][leaf]) revert LeafAlreadyProven(leaf);
            proven[license][leaf] = true;
            emit LeafProven(license, leaf);
        }
    }

    function processProof(bytes32[] calldata proof, bytes32 leaf) public pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 sibling = proof[i];
            node = node <= sibling
                ? keccak256(abi.encodePacked(node, sibling))
                : keccak256(abi.encodePacked(sibling, node));
        }
    }
}
