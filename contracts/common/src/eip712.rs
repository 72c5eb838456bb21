//! EIP-712 typed-data hashing: domain separator and the final signing digest.
//!
//! Contracts that accept signatures (the agent token's EIP-2612 `permit`, the SubDAO's vote by
//! signature) build their domain from the chain id the VM reports at call time, so a signature
//! made for one chain is never valid on another, even after a fork.
use alloy_primitives::{b256, keccak256, Address, B256, U256};

/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    b256!("8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f");

/// `keccak256("1")`: the domain version used by every contract of the system.
pub const VERSION_1_HASH: B256 =
    b256!("c89efdaa54c0f20c7adf612882df0950f5a951637e0307cdcb4c672f298b8bc6");

/// The EIP-712 domain separator
/// `keccak256(abi.encode(DOMAIN_TYPEHASH, name_hash, version_hash, chainId, verifyingContract))`.
///
/// # Arguments
/// * `name_hash` - `keccak256` of the domain name (contracts store it to save hashing gas).
/// * `version_hash` - `keccak256` of the domain version, usually [`VERSION_1_HASH`].
/// * `chain_id` - the chain id read from the VM.
/// * `verifying_contract` - the contract checking the signature.
pub fn domain_separator(
    name_hash: B256,
    version_hash: B256,
    chain_id: u64,
    verifying_contract: Address,
) -> B256 {
    let mut buf = [0u8; 160];
    buf[..32].copy_from_slice(DOMAIN_TYPEHASH.as_slice());
    buf[32..64].copy_from_slice(name_hash.as_slice());
    buf[64..96].copy_from_slice(version_hash.as_slice());
    buf[96..128].copy_from_slice(&U256::from(chain_id).to_be_bytes::<32>());
    buf[140..160].copy_from_slice(verifying_contract.as_slice());
    keccak256(buf)
}

/// The digest a signer signs: `keccak256("\x19\x01" ‖ domain_separator ‖ struct_hash)`.
pub fn typed_data_digest(domain_separator: B256, struct_hash: B256) -> B256 {
    let mut buf = [0u8; 66];
    buf[0] = 0x19;
    buf[1] = 0x01;
    buf[2..34].copy_from_slice(domain_separator.as_slice());
    buf[34..66].copy_from_slice(struct_hash.as_slice());
    keccak256(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;
    use alloy_sol_types::{eip712_domain, SolStruct};

    #[test]
    fn constants_are_the_hashes_they_claim() {
        assert_eq!(
            DOMAIN_TYPEHASH,
            keccak256(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
            )
        );
        assert_eq!(VERSION_1_HASH, keccak256("1"));
    }

    alloy_sol_types::sol! {
        struct Mail { address to; uint256 amount; }
    }

    #[test]
    fn matches_alloy_reference_implementation() {
        let contract = address!("00000000000000000000000000000000000c0ffe");
        let domain = eip712_domain! {
            name: "Agent",
            version: "1",
            chain_id: 412346,
            verifying_contract: contract,
        };
        let ours = domain_separator(keccak256("Agent"), VERSION_1_HASH, 412346, contract);
        assert_eq!(ours, domain.separator());
        let mail = Mail {
            to: Address::repeat_byte(7),
            amount: U256::from(42),
        };
        assert_eq!(
            typed_data_digest(ours, mail.eip712_hash_struct()),
            mail.eip712_signing_hash(&domain)
        );
        // Another chain gives another domain.
        assert_ne!(
            ours,
            domain_separator(keccak256("Agent"), VERSION_1_HASH, 1, contract)
        );
    }
}
