//! Off-chain side of OML fingerprints, the convention the OML registry verifies
//! (`agentdao_common::merkle`): a fingerprint is `keccak256(key ‖ response)`, its tree leaf is
//! `keccak256(fingerprint)` (so no inner node can pass for a leaf), parents are sorted-pair
//! keccak hashes, and the last node of an odd level is paired with itself so every proof is
//! exactly the tree's depth long. For the model owner who commits a root and its depth and the
//! prover who proves fingerprints against it.
use ethers::utils::keccak256;

/// The fingerprint of a `(key, response)` pair: what a prover submits.
pub fn fingerprint(key: &[u8], response: &[u8]) -> [u8; 32] {
    keccak256([key, response].concat())
}

/// The tree leaf of a fingerprint: `keccak256(fingerprint)`.
pub fn leaf(fingerprint: [u8; 32]) -> [u8; 32] {
    keccak256(fingerprint)
}

/// `keccak256(min(a, b) ‖ max(a, b))`.
pub fn hash_pair(a: [u8; 32], b: [u8; 32]) -> [u8; 32] {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    keccak256([lo, hi].concat())
}

/// A fingerprint tree; the last node of an odd level is paired with itself.
#[derive(Debug, Clone)]
pub struct Tree {
    levels: Vec<Vec<[u8; 32]>>,
}

impl Tree {
    /// The tree over `fingerprints` (at least one).
    pub fn new(fingerprints: Vec<[u8; 32]>) -> Option<Self> {
        if fingerprints.is_empty() {
            return None;
        }
        let mut levels = vec![fingerprints.into_iter().map(leaf).collect::<Vec<_>>()];
        while let Some(below) = levels.last().filter(|level| level.len() > 1) {
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => hash_pair(*a, *b),
                    [a] => hash_pair(*a, *a),
                    _ => unreachable!("chunks(2) yields one or two nodes"),
                })
                .collect();
            levels.push(above);
        }
        Some(Self { levels })
    }

    /// The root.
    pub fn root(&self) -> [u8; 32] {
        self.levels[self.levels.len() - 1][0]
    }

    /// The depth: the length of every proof, committed on chain with the root.
    pub fn depth(&self) -> u8 {
        (self.levels.len() - 1) as u8
    }

    /// The sibling path of leaf `index`, bottom up (exactly [`Tree::depth`] hashes).
    pub fn proof(&self, mut index: usize) -> Vec<[u8; 32]> {
        let mut proof = Vec::new();
        for level in &self.levels[..self.levels.len() - 1] {
            proof.push(*level.get(index ^ 1).unwrap_or(&level[index]));
            index /= 2;
        }
        proof
    }
}

/// Whether `proof` leads from the leaf of `fingerprint` to `root` in a tree of `depth`.
pub fn verify(proof: &[[u8; 32]], root: [u8; 32], depth: u8, fingerprint: [u8; 32]) -> bool {
    proof.len() == usize::from(depth)
        && fingerprint != root
        && proof
            .iter()
            .fold(leaf(fingerprint), |node, s| hash_pair(node, *s))
            == root
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_fingerprint_proves_and_a_changed_one_does_not(n in 1usize..40, seed in any::<u64>()) {
            let prints: Vec<[u8; 32]> =
                (0..n).map(|i| fingerprint(&seed.to_be_bytes(), &i.to_be_bytes())).collect();
            let tree = Tree::new(prints.clone()).unwrap();
            let depth = tree.depth();
            prop_assert_eq!(1usize << depth >= n && (depth == 0 || 1usize << (depth - 1) < n), true);
            for (i, f) in prints.iter().enumerate() {
                let proof = tree.proof(i);
                prop_assert_eq!(proof.len(), usize::from(depth));
                prop_assert!(verify(&proof, tree.root(), depth, *f));
                let mut forged = *f;
                forged[0] ^= 1;
                prop_assert!(!verify(&proof, tree.root(), depth, forged));
                prop_assert!(!verify(&proof, tree.root(), depth, leaf(*f)));
            }
        }
    }

    #[test]
    fn a_single_fingerprint_tree_has_depth_zero_and_the_root_is_no_fingerprint() {
        let f = fingerprint(b"key", b"response");
        let tree = Tree::new(vec![f]).unwrap();
        assert_eq!((tree.root(), tree.depth()), (leaf(f), 0));
        assert!(tree.proof(0).is_empty());
        assert!(verify(&[], tree.root(), 0, f));
        assert!(!verify(&[], tree.root(), 0, tree.root()));
        assert!(Tree::new(Vec::new()).is_none());
    }

    /// Pins the shape `agentdao_common::merkle` builds (and the registry verifies): leaves are
    /// hashed fingerprints, the odd last node is paired with itself.
    #[test]
    fn three_fingerprints_pair_the_odd_node_with_itself() {
        let prints: Vec<[u8; 32]> = (0..3u8).map(|i| fingerprint(b"k", &[i])).collect();
        let tree = Tree::new(prints.clone()).unwrap();
        let leaves: Vec<[u8; 32]> = prints.iter().map(|f| leaf(*f)).collect();
        let expected = hash_pair(
            hash_pair(leaves[0], leaves[1]),
            hash_pair(leaves[2], leaves[2]),
        );
        assert_eq!((tree.root(), tree.depth()), (expected, 2));
        assert_eq!(
            tree.proof(2),
            vec![leaves[2], hash_pair(leaves[0], leaves[1])]
        );
    }
}
