//! Merkle proofs over sorted-pair keccak trees (the OpenZeppelin `MerkleProof` convention).
//!
//! A parent is `keccak256(min(a, b) ‖ max(a, b))`, so a proof is just the list of sibling
//! hashes from the leaf upwards, with no left/right flags. OML fingerprint leaves are
//! `keccak256(abi.encodePacked(key, response))` ([`leaf`]).
//!
//! [`verify`] is what contracts run on chain (keccak is the Stylus host function on wasm).
//! [`MerkleTree`] builds a tree and its proofs off chain (provers, tests); when a level has an odd
//! number of nodes the last one is carried up unchanged, so its proof skips that level.
use alloc::vec::Vec;
use alloy_primitives::{keccak256, B256};

/// The fingerprint leaf `keccak256(key ‖ response)` (Solidity `abi.encodePacked(key, response)`
/// of two `bytes`/`string` values).
pub fn leaf(key: &[u8], response: &[u8]) -> B256 {
    let mut packed = Vec::with_capacity(key.len() + response.len());
    packed.extend_from_slice(key);
    packed.extend_from_slice(response);
    keccak256(packed)
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

/// The root implied by `leaf` and its sibling path `proof`.
pub fn process_proof(leaf: B256, proof: &[B256]) -> B256 {
    proof
        .iter()
        .fold(leaf, |node, sibling| hash_pair(node, *sibling))
}

/// Whether `proof` shows that `leaf` is in the tree with root `root`.
pub fn verify(proof: &[B256], root: B256, leaf: B256) -> bool {
    process_proof(leaf, proof) == root
}

/// A complete sorted-pair Merkle tree kept level by level (leaves first), for building proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` are the leaves, the last level holds the root alone.
    levels: Vec<Vec<B256>>,
}

impl MerkleTree {
    /// Builds the tree over `leaves` in the given order. Returns `None` for no leaves.
    pub fn new(leaves: Vec<B256>) -> Option<Self> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = alloc::vec![leaves];
        while levels[levels.len() - 1].len() > 1 {
            let below = &levels[levels.len() - 1];
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => hash_pair(*a, *b),
                    [single] => *single,
                    _ => unreachable!("chunks(2) yields one or two nodes"),
                })
                .collect();
            levels.push(above);
        }
        Some(Self { levels })
    }

    /// The root hash.
    pub fn root(&self) -> B256 {
        self.levels[self.levels.len() - 1][0]
    }

    /// Number of leaves.
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// Always false: a tree has at least one leaf.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The leaf at `index`, if any.
    pub fn leaf(&self, index: usize) -> Option<B256> {
        self.levels[0].get(index).copied()
    }

    /// Sibling path of the leaf at `index`, bottom up; `None` if out of range.
    pub fn proof(&self, index: usize) -> Option<Vec<B256>> {
        if index >= self.len() {
            return None;
        }
        let mut proof = Vec::new();
        let mut position = index;
        for level in &self.levels[..self.levels.len() - 1] {
            if let Some(sibling) = level.get(position ^ 1) {
                proof.push(*sibling);
            }
            position /= 2;
        }
        Some(proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Independent reference: the root computed recursively over halves of a power-of-two
    /// split, which matches the level-by-level carry-up construction.
    fn reference_root(nodes: &[B256]) -> B256 {
        if nodes.len() == 1 {
            return nodes[0];
        }
        // The largest power of two strictly below len gives the left subtree in a carry-up tree.
        let split = nodes.len().next_power_of_two() / 2;
        let left = reference_root(&nodes[..split]);
        let right = reference_root(&nodes[split..]);
        let (lo, hi) = if left <= right {
            (left, right)
        } else {
            (right, left)
        };
        let mut buf = Vec::new();
        buf.extend_from_slice(lo.as_slice());
        buf.extend_from_slice(hi.as_slice());
        keccak256(buf)
    }

    fn leaves(n: usize, seed: u64) -> Vec<B256> {
        (0..n)
            .map(|i| {
                let key = format!("key-{seed}-{i}");
                let response = format!("response-{i}");
                leaf(key.as_bytes(), response.as_bytes())
            })
            .collect()
    }

    #[test]
    fn leaf_is_keccak_of_concatenation() {
        assert_eq!(leaf(b"ab", b"cd"), keccak256(b"abcd"));
        assert_eq!(leaf(b"", b""), keccak256([]));
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
    fn single_leaf_tree_has_empty_proof() {
        let l = leaves(1, 0);
        let tree = MerkleTree::new(l.clone()).unwrap();
        assert_eq!(tree.root(), l[0]);
        assert_eq!(tree.proof(0).unwrap(), Vec::<B256>::new());
        assert!(verify(&[], tree.root(), l[0]));
        assert!(MerkleTree::new(Vec::new()).is_none());
        assert!(tree.proof(1).is_none());
    }

    #[test]
    fn two_leaf_root_is_pair_hash() {
        let l = leaves(2, 1);
        let tree = MerkleTree::new(l.clone()).unwrap();
        assert_eq!(tree.root(), hash_pair(l[0], l[1]));
        assert_eq!(tree.proof(0).unwrap(), vec![l[1]]);
    }

    #[test]
    fn every_proof_of_every_size_up_to_1024_verifies() {
        for n in [2usize, 3, 5, 7, 8, 33, 100, 255, 256, 257, 1000, 1023, 1024] {
            let l = leaves(n, n as u64);
            let tree = MerkleTree::new(l.clone()).unwrap();
            assert_eq!(tree.root(), reference_root(&l), "root of {n} leaves");
            for (i, leaf) in l.iter().enumerate() {
                let proof = tree.proof(i).unwrap();
                assert!(proof.len() <= 10);
                assert!(verify(&proof, tree.root(), *leaf), "leaf {i} of {n}");
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
            seed in any::<u64>(),
        ) {
            let l = leaves(n, seed);
            let tree = MerkleTree::new(l.clone()).unwrap();
            prop_assert_eq!(tree.root(), reference_root(&l));
            let i = pick.index(n);
            let proof = tree.proof(i).unwrap();
            prop_assert!(verify(&proof, tree.root(), l[i]));
            // A leaf that is not in the tree fails.
            let outsider = leaf(b"not", b"in tree");
            prop_assert!(!verify(&proof, tree.root(), outsider));
            // A corrupted sibling fails.
            let mut bad = proof.clone();
            let j = flip.index(bad.len());
            bad[j] = keccak256(bad[j]);
            prop_assert!(!verify(&bad, tree.root(), l[i]));
            // A truncated proof fails.
            prop_assert!(!verify(&proof[..proof.len() - 1], tree.root(), l[i]));
            // The same proof against another root fails.
            prop_assert!(!verify(&proof, keccak256(tree.root()), l[i]));
        }
    }
}
