//! Fingerprint Merkle trees: sorted-pair keccak trees (the OpenZeppelin `MerkleProof` pairing)
//! whose leaves are domain-separated from their inner nodes.
//!
//! A fingerprint is `keccak256(key ‖ response)` ([`fingerprint`]): what a prover reveals. Its
//! tree leaf is `keccak256(fingerprint)` ([`leaf`]), a hash of 32 bytes, while an inner node is
//! `keccak256(min(a, b) ‖ max(a, b))` ([`hash_pair`]), a hash of 64 bytes. So no inner node (and
//! not the root) can be passed off as a fingerprint: its "leaf" would be its own hash, which is
//! not in the tree, and finding a 32-byte preimage of an inner node is a keccak preimage attack.
//! This is the double-hashed leaf of OpenZeppelin's `StandardMerkleTree`.
//!
//! Every level with an odd number of nodes pairs its last node with itself, so every leaf of a
//! tree of `n` leaves has a proof of exactly [`depth_for`]`(n)` siblings: the verifier knows the
//! depth (committed with the root) and refuses proofs of any other length.
//!
//! [`verify_fingerprint`] is what contracts run on chain (keccak is the Stylus host function on
//! wasm). [`MerkleTree`] builds a tree and its proofs off chain (provers, tests).
use alloc::vec::Vec;
use alloy_primitives::{keccak256, B256};

/// Deepest fingerprint tree a root can be committed for (2^32 leaves).
pub const MAX_TREE_DEPTH: u8 = 32;

/// The fingerprint `keccak256(key ‖ response)` (Solidity `abi.encodePacked(key, response)` of
/// two `bytes`/`string` values): what a prover submits.
pub fn fingerprint(key: &[u8], response: &[u8]) -> B256 {
    let mut packed = Vec::with_capacity(key.len() + response.len());
    packed.extend_from_slice(key);
    packed.extend_from_slice(response);
    keccak256(packed)
}

/// The tree leaf of a fingerprint: `keccak256(fingerprint)`.
pub fn leaf(fingerprint: B256) -> B256 {
    keccak256(fingerprint)
}

/// Hash of two sibling nodes in sorted order: `keccak256(min ‖ max)`.
pub fn hash_pair(a: B256, b: B256) -> B256 {
    let (lo, hi) = if not_greater(&a, &b) { (a, b) } else { (b, a) };
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(lo.as_slice());
    buf[32..].copy_from_slice(hi.as_slice());
    keccak256(buf)
}

/// `a <= b` as big-endian numbers, compared byte by byte: the derived comparison of 32-byte
/// arrays compiles to 64-bit loads with byte swaps, which wasm has no instruction for.
fn not_greater(a: &B256, b: &B256) -> bool {
    for (x, y) in a.iter().zip(b.iter()) {
        if x != y {
            return x < y;
        }
    }
    true
}

/// The root implied by the tree leaf `leaf` and its sibling path `proof`.
pub fn process_proof(leaf: B256, proof: &[B256]) -> B256 {
    proof
        .iter()
        .fold(leaf, |node, sibling| hash_pair(node, *sibling))
}

/// Why a fingerprint proof was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofError {
    /// The proof does not have exactly `depth` siblings.
    WrongLength,
    /// The fingerprint is the root itself.
    FingerprintIsRoot,
    /// The proof does not lead from the fingerprint's leaf to the root.
    Mismatch,
}

/// Checks that `fingerprint` is a leaf of the tree of depth `depth` with root `root`: the proof
/// has exactly `depth` siblings, the fingerprint is not the root, and the path from
/// [`leaf`]`(fingerprint)` ends at `root`.
pub fn verify_fingerprint(
    proof: &[B256],
    root: B256,
    depth: u8,
    fingerprint: B256,
) -> Result<(), ProofError> {
    if proof.len() != usize::from(depth) {
        return Err(ProofError::WrongLength);
    }
    if fingerprint == root {
        return Err(ProofError::FingerprintIsRoot);
    }
    if process_proof(leaf(fingerprint), proof) != root {
        return Err(ProofError::Mismatch);
    }
    Ok(())
}

/// Depth of a tree over `leaves` leaves: the number of halvings (rounded up) to reach one node.
pub fn depth_for(leaves: usize) -> u8 {
    let mut depth = 0u8;
    let mut width = leaves;
    while width > 1 {
        width = width.div_ceil(2);
        depth += 1;
    }
    depth
}

/// A fingerprint tree kept level by level (leaves first), for building roots and proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    /// The fingerprints, in leaf order.
    fingerprints: Vec<B256>,
    /// `levels[0]` are the leaves, the last level holds the root alone.
    levels: Vec<Vec<B256>>,
}

impl MerkleTree {
    /// Builds the tree over `fingerprints` (leaf `i` is [`leaf`]`(fingerprints[i])`). Returns
    /// `None` for no fingerprints.
    pub fn new(fingerprints: Vec<B256>) -> Option<Self> {
        if fingerprints.is_empty() {
            return None;
        }
        let mut levels = alloc::vec![fingerprints.iter().map(|f| leaf(*f)).collect::<Vec<_>>()];
        while levels[levels.len() - 1].len() > 1 {
            let below = &levels[levels.len() - 1];
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => hash_pair(*a, *b),
                    [single] => hash_pair(*single, *single),
                    _ => unreachable!("chunks(2) yields one or two nodes"),
                })
                .collect();
            levels.push(above);
        }
        Some(Self {
            fingerprints,
            levels,
        })
    }

    /// The root hash.
    pub fn root(&self) -> B256 {
        self.levels[self.levels.len() - 1][0]
    }

    /// The depth: the length of every proof, committed on chain with the root.
    pub fn depth(&self) -> u8 {
        (self.levels.len() - 1) as u8
    }

    /// Number of leaves.
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// Always false: a tree has at least one leaf.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The fingerprint at `index`, if any (what a prover submits).
    pub fn fingerprint(&self, index: usize) -> Option<B256> {
        self.fingerprints.get(index).copied()
    }

    /// Sibling path of the leaf at `index`, bottom up (exactly [`MerkleTree::depth`] hashes);
    /// `None` if out of range.
    pub fn proof(&self, index: usize) -> Option<Vec<B256>> {
        if index >= self.len() {
            return None;
        }
        let mut proof = Vec::new();
        let mut position = index;
        for level in &self.levels[..self.levels.len() - 1] {
            // The last node of an odd level is paired with itself.
            proof.push(*level.get(position ^ 1).unwrap_or(&level[position]));
            position /= 2;
        }
        Some(proof)
    }

    /// An inner node: level `level` (0 = leaves), position `index`; for tests of forged proofs.
    pub fn node(&self, level: usize, index: usize) -> Option<B256> {
        self.levels.get(level)?.get(index).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Independent reference: the root computed recursively over halves of a power-of-two
    /// split, padding the tree's width to a power of two by repeating the last subtree root at
    /// each level (which is what pairing an odd node with itself does).
    fn reference_root(nodes: &[B256], depth: u32) -> B256 {
        if depth == 0 {
            return nodes[0];
        }
        let half = 1usize << (depth - 1);
        let left = reference_root(&nodes[..half.min(nodes.len())], depth - 1);
        let right = if nodes.len() > half {
            reference_root(&nodes[half..], depth - 1)
        } else {
            left
        };
        let (lo, hi) = if left <= right {
            (left, right)
        } else {
            (right, left)
        };
        keccak256([lo.as_slice(), hi.as_slice()].concat())
    }

    fn fingerprints(n: usize, seed: u64) -> Vec<B256> {
        (0..n)
            .map(|i| {
                let key = format!("key-{seed}-{i}");
                let response = format!("response-{i}");
                fingerprint(key.as_bytes(), response.as_bytes())
            })
            .collect()
    }

    #[test]
    fn fingerprint_is_keccak_of_concatenation_and_leaf_hashes_it_again() {
        assert_eq!(fingerprint(b"ab", b"cd"), keccak256(b"abcd"));
        assert_eq!(fingerprint(b"", b""), keccak256([]));
        let f = fingerprint(b"k", b"r");
        assert_eq!(leaf(f), keccak256(f.as_slice()));
        assert_ne!(leaf(f), f);
    }

    #[test]
    fn pair_hash_is_order_independent() {
        let a = keccak256(b"a");
        let b = keccak256(b"b");
        assert_eq!(hash_pair(a, b), hash_pair(b, a));
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        assert_eq!(
            hash_pair(a, b),
            keccak256([lo.as_slice(), hi.as_slice()].concat())
        );
    }

    #[test]
    fn bytewise_order_matches_the_derived_order() {
        let a = keccak256(b"a");
        let mut near = a;
        near[31] ^= 1;
        let mut far = a;
        far[0] ^= 0x80;
        for (x, y) in [
            (a, a),
            (a, near),
            (near, a),
            (a, far),
            (far, a),
            (B256::ZERO, a),
        ] {
            assert_eq!(not_greater(&x, &y), x <= y, "{x} vs {y}");
        }
    }

    #[test]
    fn depth_counts_halvings() {
        let cases = [
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 3),
            (1_023, 10),
            (1_024, 10),
        ];
        for (n, depth) in cases {
            assert_eq!(depth_for(n), depth, "{n} leaves");
        }
        assert_eq!(depth_for(1_025), 11);
    }

    #[test]
    fn single_fingerprint_tree_has_depth_zero() {
        let f = fingerprints(1, 0);
        let tree = MerkleTree::new(f.clone()).unwrap();
        assert_eq!((tree.root(), tree.depth()), (leaf(f[0]), 0));
        assert_eq!(tree.proof(0).unwrap(), Vec::<B256>::new());
        assert_eq!(verify_fingerprint(&[], tree.root(), 0, f[0]), Ok(()));
        assert!(MerkleTree::new(Vec::new()).is_none());
        assert!(tree.proof(1).is_none());
        assert_eq!(tree.fingerprint(0), Some(f[0]));
    }

    #[test]
    fn two_leaf_root_is_pair_hash_of_leaves() {
        let f = fingerprints(2, 1);
        let tree = MerkleTree::new(f.clone()).unwrap();
        assert_eq!(tree.root(), hash_pair(leaf(f[0]), leaf(f[1])));
        assert_eq!(tree.proof(0).unwrap(), vec![leaf(f[1])]);
    }

    #[test]
    fn the_root_or_an_inner_node_is_no_fingerprint() {
        let f = fingerprints(8, 2);
        let tree = MerkleTree::new(f.clone()).unwrap();
        let root = tree.root();
        // The root with an empty proof: wrong length, and at depth 0 it is the root itself.
        assert_eq!(
            verify_fingerprint(&[], root, 3, root),
            Err(ProofError::WrongLength)
        );
        assert_eq!(
            verify_fingerprint(&[], root, 0, root),
            Err(ProofError::FingerprintIsRoot)
        );
        // An inner node (level 1, node 0) with the upper part of leaf 0's proof: the path
        // length is short, and even at the right length its double hash is not in the tree.
        let inner = tree.node(1, 0).unwrap();
        let upper = tree.proof(0).unwrap()[1..].to_vec();
        assert_eq!(process_proof(inner, &upper), root, "the old attack");
        assert_eq!(
            verify_fingerprint(&upper, root, 3, inner),
            Err(ProofError::WrongLength)
        );
        let padded = [vec![leaf(inner)], upper.clone()].concat();
        assert_eq!(
            verify_fingerprint(&padded, root, 3, inner),
            Err(ProofError::Mismatch)
        );
        // A tree leaf submitted as a fingerprint is hashed again and fails.
        let proof = tree.proof(0).unwrap();
        assert_eq!(
            verify_fingerprint(&proof, root, 3, leaf(f[0])),
            Err(ProofError::Mismatch)
        );
        assert_eq!(verify_fingerprint(&proof, root, 3, f[0]), Ok(()));
        // One level short or one level long.
        assert_eq!(
            verify_fingerprint(&proof[..2], root, 3, f[0]),
            Err(ProofError::WrongLength)
        );
        let long = [proof.clone(), vec![root]].concat();
        assert_eq!(
            verify_fingerprint(&long, root, 3, f[0]),
            Err(ProofError::WrongLength)
        );
    }

    #[test]
    fn every_proof_of_every_size_up_to_1024_has_the_tree_depth_and_verifies() {
        for n in [2usize, 3, 5, 7, 8, 33, 100, 255, 256, 257, 1000, 1023, 1024] {
            let f = fingerprints(n, n as u64);
            let tree = MerkleTree::new(f.clone()).unwrap();
            let leaves: Vec<B256> = f.iter().map(|x| leaf(*x)).collect();
            let depth = tree.depth();
            assert_eq!(depth, depth_for(n));
            assert_eq!(
                tree.root(),
                reference_root(&leaves, u32::from(depth)),
                "root of {n} leaves"
            );
            for (i, fp) in f.iter().enumerate() {
                let proof = tree.proof(i).unwrap();
                assert_eq!(proof.len(), usize::from(depth));
                assert_eq!(
                    verify_fingerprint(&proof, tree.root(), depth, *fp),
                    Ok(()),
                    "leaf {i} of {n}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn random_trees_accept_members_and_reject_tampering(
            n in 2usize..=1024,
            pick in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
            level in any::<prop::sample::Index>(),
            seed in any::<u64>(),
        ) {
            let f = fingerprints(n, seed);
            let tree = MerkleTree::new(f.clone()).unwrap();
            let (root, depth) = (tree.root(), tree.depth());
            let i = pick.index(n);
            let proof = tree.proof(i).unwrap();
            prop_assert_eq!(verify_fingerprint(&proof, root, depth, f[i]), Ok(()));
            // A fingerprint that is not in the tree fails.
            let outsider = fingerprint(b"not", b"in tree");
            prop_assert!(verify_fingerprint(&proof, root, depth, outsider).is_err());
            // A corrupted sibling fails.
            let mut bad = proof.clone();
            let j = flip.index(bad.len());
            bad[j] = keccak256(bad[j]);
            prop_assert!(verify_fingerprint(&bad, root, depth, f[i]).is_err());
            // Any node of the path, submitted as a fingerprint with the rest of the path (or the
            // rest padded to full length with the node's own hash), fails.
            let k = level.index(usize::from(depth));
            let node = process_proof(leaf(f[i]), &proof[..k + 1]);
            let rest = &proof[k + 1..];
            prop_assert!(verify_fingerprint(rest, root, depth, node).is_err());
            let mut padded = vec![leaf(node); k + 1];
            padded.extend_from_slice(rest);
            prop_assert!(verify_fingerprint(&padded, root, depth, node).is_err());
            // A truncated proof fails.
            prop_assert!(verify_fingerprint(&proof[..proof.len() - 1], root, depth, f[i]).is_err());
            // The same proof against another root fails.
            prop_assert!(verify_fingerprint(&proof, keccak256(root), depth, f[i]).is_err());
        }
    }
}
