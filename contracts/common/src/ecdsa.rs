//! Signature recovery through the `ecrecover` precompile at address `0x01`.
//!
//! Stylus has no native secp256k1 host function, so programs make a static call to the EVM
//! precompile (3,000 gas) rather than ship a curve implementation in their wasm. Signatures
//! are checked the way OpenZeppelin's `ECDSA.recover` checks them: `s` must be in the lower half
//! of the curve order (EIP-2, so a signature cannot be "flipped" into a second valid one) and
//! the recovered signer must not be the zero address (the precompile returns nothing for an
//! invalid `v`, `r` or `s`, and zero would match an unset owner).
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::sol;
use stylus_sdk::prelude::*;

/// Address of the `ecrecover` precompile.
pub const ECRECOVER: Address = address!("0000000000000000000000000000000000000001");

/// Gas handed to the precompile: its price is a flat 3,000; the margin covers repricing.
pub const RECOVER_GAS: u64 = 10_000;

/// Half the secp256k1 group order: the largest `s` EIP-2 allows.
pub const HALF_ORDER: U256 = U256::from_limbs([
    0xdfe9_2f46_681b_20a0,
    0x5d57_6e73_57a4_501d,
    0xffff_ffff_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
]);

sol! {
    /// The signature does not recover to any account (bad `v`, `r` or `s`).
    #[derive(Debug, PartialEq, Eq)]
    error ECDSAInvalidSignature();
    /// The signature's `s` is in the upper half of the curve order (malleable).
    #[derive(Debug, PartialEq, Eq)]
    error ECDSAInvalidSignatureS(bytes32 s);
}

/// Recovers the signer of `digest` from the signature `(v, r, s)`.
///
/// # Arguments
/// * `host` - the contract's VM (`self.vm()`), used for the static call.
/// * `digest` - the 32-byte hash that was signed (e.g. an EIP-712 digest).
/// * `v` - recovery id, 27 or 28.
/// * `r`, `s` - the signature's scalars.
///
/// # Errors
/// [`ECDSAInvalidSignatureS`] if `s > HALF_ORDER`; [`ECDSAInvalidSignature`] if the precompile
/// fails or answers with anything but one word holding a non-zero address.
pub fn recover<H, E>(host: &H, digest: B256, v: u8, r: B256, s: B256) -> Result<Address, E>
where
    H: Host + ?Sized,
    E: From<ECDSAInvalidSignature> + From<ECDSAInvalidSignatureS>,
{
    if U256::from_be_bytes(s.0) > HALF_ORDER {
        return Err(ECDSAInvalidSignatureS { s }.into());
    }
    let input = ecrecover_input(digest, v, r, s);
    let mut out_len = 0usize;
    // SAFETY: the precompile is stateless and cannot re-enter or touch our storage, so neither
    // aliasing nor the storage cache matters; pointers are to live buffers of the stated sizes.
    let status = unsafe {
        host.static_call_contract(
            ECRECOVER.as_ptr(),
            input.as_ptr(),
            input.len(),
            RECOVER_GAS,
            &mut out_len,
        )
    };
    // The precompile answers with exactly one word on success and nothing on failure.
    if status != 0 || out_len != 32 {
        return Err(ECDSAInvalidSignature {}.into());
    }
    let word = host.read_return_data(0, Some(32));
    if word.len() != 32 || word[..12].iter().any(|&b| b != 0) {
        return Err(ECDSAInvalidSignature {}.into());
    }
    let signer = Address::from_slice(&word[12..]);
    if signer.is_zero() {
        return Err(ECDSAInvalidSignature {}.into());
    }
    Ok(signer)
}

/// The 128-byte precompile input `digest ‖ uint256(v) ‖ r ‖ s` (exposed so tests can mock the
/// exact static call).
pub fn ecrecover_input(digest: B256, v: u8, r: B256, s: B256) -> [u8; 128] {
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(digest.as_slice());
    input[63] = v;
    input[64..96].copy_from_slice(r.as_slice());
    input[96..].copy_from_slice(s.as_slice());
    input
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{b256, keccak256};
    use stylus_sdk::testing::TestVM;

    #[derive(Debug, PartialEq)]
    enum Err {
        Invalid(ECDSAInvalidSignature),
        HighS(ECDSAInvalidSignatureS),
    }
    impl From<ECDSAInvalidSignature> for Err {
        fn from(e: ECDSAInvalidSignature) -> Self {
            Err::Invalid(e)
        }
    }
    impl From<ECDSAInvalidSignatureS> for Err {
        fn from(e: ECDSAInvalidSignatureS) -> Self {
            Err::HighS(e)
        }
    }

    fn word(addr: Address) -> Vec<u8> {
        let mut out = vec![0u8; 32];
        out[12..].copy_from_slice(addr.as_slice());
        out
    }

    #[test]
    fn half_order_constant() {
        let n = U256::from_str_radix(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
            16,
        )
        .unwrap();
        assert_eq!(HALF_ORDER, n >> 1);
    }

    #[test]
    fn returns_precompile_answer() {
        let vm = TestVM::default();
        let digest = keccak256("hello");
        let (r, s) = (B256::repeat_byte(1), B256::repeat_byte(2));
        let signer = Address::repeat_byte(0xab);
        vm.mock_static_call(
            ECRECOVER,
            ecrecover_input(digest, 27, r, s).to_vec(),
            Ok(word(signer)),
        );
        assert_eq!(recover::<_, Err>(&vm, digest, 27, r, s), Ok(signer));
    }

    #[test]
    fn rejects_empty_zero_short_and_dirty_output() {
        let digest = keccak256("hello");
        let (r, s) = (B256::repeat_byte(1), B256::repeat_byte(2));
        let input = ecrecover_input(digest, 28, r, s).to_vec();
        let mut dirty = word(Address::repeat_byte(1));
        dirty[0] = 1;
        for out in [Vec::new(), word(Address::ZERO), vec![0u8; 31], dirty] {
            let vm = TestVM::default();
            vm.mock_static_call(ECRECOVER, input.clone(), Ok(out));
            assert_eq!(
                recover::<_, Err>(&vm, digest, 28, r, s),
                Err(Err::Invalid(ECDSAInvalidSignature {}))
            );
        }
        let vm = TestVM::default();
        vm.mock_static_call(ECRECOVER, input, Err(Vec::new()));
        assert_eq!(
            recover::<_, Err>(&vm, digest, 28, r, s),
            Err(Err::Invalid(ECDSAInvalidSignature {}))
        );
    }

    #[test]
    fn answer_for_another_digest_is_not_used() {
        let vm = TestVM::default();
        let (r, s) = (B256::repeat_byte(1), B256::repeat_byte(2));
        let signed = keccak256("signed");
        vm.mock_static_call(
            ECRECOVER,
            ecrecover_input(signed, 27, r, s).to_vec(),
            Ok(word(Address::repeat_byte(5))),
        );
        assert_eq!(
            recover::<_, Err>(&vm, keccak256("other"), 27, r, s),
            Err(Err::Invalid(ECDSAInvalidSignature {}))
        );
        assert_eq!(
            recover::<_, Err>(&vm, signed, 28, r, s),
            Err(Err::Invalid(ECDSAInvalidSignature {}))
        );
    }

    #[test]
    fn rejects_high_s_before_calling() {
        let vm = TestVM::default();
        let high = b256!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a1");
        let r = B256::repeat_byte(1);
        // Even a mocked "valid" answer must not be reached.
        vm.mock_static_call(
            ECRECOVER,
            ecrecover_input(B256::ZERO, 27, r, high).to_vec(),
            Ok(word(Address::repeat_byte(9))),
        );
        assert_eq!(
            recover::<_, Err>(&vm, B256::ZERO, 27, r, high),
            Err(Err::HighS(ECDSAInvalidSignatureS { s: high }))
        );
        let edge = B256::from(HALF_ORDER.to_be_bytes::<32>());
        vm.mock_static_call(
            ECRECOVER,
            ecrecover_input(B256::ZERO, 27, r, edge).to_vec(),
            Ok(word(Address::repeat_byte(9))),
        );
        assert_eq!(
            recover::<_, Err>(&vm, B256::ZERO, 27, r, edge),
            Ok(Address::repeat_byte(9))
        );
    }
}
