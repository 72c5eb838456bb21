//! EIP-712 ballots for `castVoteBySig`.
//!
//! The typed data is OpenZeppelin Governor's
//! `Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)` under the domain
//! `{name: "AgentDAO SubDAO", version: "1", chainId, verifyingContract}`, so wallets and
//! libraries that sign Governor ballots sign ours unchanged. The nonce makes every signature
//! single-use; the domain binds it to one chain and one SubDAO.
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::keccak_const::Keccak256;

/// `keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)")`.
pub const BALLOT_TYPEHASH: B256 = B256::new(
    Keccak256::new()
        .update(b"Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)")
        .finalize(),
);

/// The EIP-712 domain name.
pub const DOMAIN_NAME: &str = "AgentDAO SubDAO";

/// `keccak256(DOMAIN_NAME)`.
pub const DOMAIN_NAME_HASH: B256 =
    B256::new(Keccak256::new().update(DOMAIN_NAME.as_bytes()).finalize());

/// `abi.encode(BALLOT_TYPEHASH, proposalId, support, voter, nonce)`, the preimage of the
/// ballot's struct hash.
pub fn ballot_preimage(proposal_id: U256, support: u8, voter: Address, nonce: U256) -> [u8; 160] {
    let mut buf = [0u8; 160];
    buf[..32].copy_from_slice(BALLOT_TYPEHASH.as_slice());
    buf[32..64].copy_from_slice(&proposal_id.to_be_bytes::<32>());
    buf[95] = support;
    buf[108..128].copy_from_slice(voter.as_slice());
    buf[128..].copy_from_slice(&nonce.to_be_bytes::<32>());
    buf
}

/// Splits a 65-byte `r ‖ s ‖ v` signature; `None` for any other length.
pub fn split_signature(signature: &[u8]) -> Option<(B256, B256, u8)> {
    if signature.len() != 65 {
        return None;
    }
    let r = B256::from_slice(&signature[..32]);
    let s = B256::from_slice(&signature[32..64]);
    Some((r, s, signature[64]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;
    use alloy_sol_types::{eip712_domain, SolStruct};

    alloy_sol_types::sol! {
        struct Ballot { uint256 proposalId; uint8 support; address voter; uint256 nonce; }
    }

    #[test]
    fn constants() {
        assert_eq!(
            BALLOT_TYPEHASH,
            keccak256("Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)")
        );
        assert_eq!(DOMAIN_NAME_HASH, keccak256("AgentDAO SubDAO"));
    }

    #[test]
    fn struct_hash_matches_alloy() {
        let ballot = Ballot {
            proposalId: U256::from(123_456u64),
            support: 2,
            voter: Address::repeat_byte(0x42),
            nonce: U256::from(7),
        };
        let ours = keccak256(ballot_preimage(
            ballot.proposalId,
            2,
            ballot.voter,
            ballot.nonce,
        ));
        assert_eq!(ours, ballot.eip712_hash_struct());
        let contract = Address::repeat_byte(0xc0);
        let domain = eip712_domain! {
            name: DOMAIN_NAME,
            version: "1",
            chain_id: 412346,
            verifying_contract: contract,
        };
        let separator = agentdao_common::eip712::domain_separator(
            DOMAIN_NAME_HASH,
            agentdao_common::eip712::VERSION_1_HASH,
            412346,
            contract,
        );
        assert_eq!(separator, domain.separator());
    }

    #[test]
    fn splits_only_65_bytes() {
        let mut sig = [0u8; 65];
        sig[0] = 1;
        sig[32] = 2;
        sig[64] = 27;
        let (r, s, v) = split_signature(&sig).unwrap();
        assert_eq!((r[0], s[0], v), (1, 2, 27));
        assert_eq!(split_signature(&sig[..64]), None);
        assert_eq!(split_signature(&[0u8; 66]), None);
    }
}
