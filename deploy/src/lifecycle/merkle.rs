//! Off-chain side of OML fingerprints: leaves `keccak256(key ‖ response)` and sorted-pair
//! keccak Merkle trees (the convention the OML registry verifies), for the model owner who
//! commits a root and the prover who proves leaves against it.
use ethers::utils::keccak256;

/// The fingerprint leaf of a `(key, response)` pair.
pub fn leaf(key: &[u8], response: &[u8]) -> [u8; 32] {
    keccak256([key, response].concat())
}

/// `keccak256(min(a, b) ‖ max(a, b))`.
pub fn hash_pair(a: [u8; 32], b: [u8; 32]) -> [u8; 32] {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    keccak256([lo, hi].concat())
}

/// A sorted-pair Merkle tree; an odd node at the end of a level is carried up unchanged.
#[derive(Debug, Clone)]
pub struct Tree {
    levels: Vec<Vec<[u8; 32]>>,
}

impl Tree {
    /// The tree over `leaves` (at least one).
    pub fn new(leaves: Vec<[u8; 32]>) -> Option<Self> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = vec![leaves];
        while let Some(below) = levels.last().filter(|level| level.len() > 1) {
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => hash_pair(*a, *b),
                    [a] => *a,
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

    /// The sibling path of leaf `index`, bottom up.
    pub fn proof(&self, mut index: usize) -> Vec<[u8; 32]> {
        let mut proof = Vec::new();
        for level in &self.levels[..self.levels.len() - 1] {
            let sibling = index ^ 1;
            if sibling < level.len() {
                proof.push(level[sibling]);
            }
            index /= 2;
        }
        proof
    }
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(proof: &[[u8; 32]], root: [u8; 32], leaf: [u8; 32]) -> bool {
    proof.iter().fold(leaf, |node, s| hash_pair(node, *s)) == root
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_leaf_proves_and_a_changed_leaf_does_not(n in 1usize..20, seed in any::<u64>()) {
            let leaves: Vec<[u8; 32]> =
                (0..n).map(|i| leaf(&seed.to_be_bytes(), &i.to_be_bytes())).collect();
            let tree = Tree::new(leaves.clone()).unwrap();
            for (i, l) in leaves.iter().enumerate() {
                prop_assert!(verify(&tree.proof(i), tree.root(), *l));
                let mut forged = *l;
                forged[0] ^= 1;
                prop_assert!(!verify(&tree.proof(i), tree.root(), forged));
            }
        }
    }

    #[test]
    fn a_single_leaf_is_its_own_root() {
        let l = leaf(b"key", b"response");
        let tree = Tree::new(vec![l]).unwrap();
        assert_eq!(tree.root(), l);
        assert!(tree.proof(0).is_empty());
        assert!(Tree::new(Vec::new()).is_none());
    }
}
