//! Solidity `bytes` and `string` arguments kept as a plain `Vec<u8>`.
//!
//! The SDK decodes a `bytes` argument into `alloy_primitives::Bytes`, which links the `bytes`
//! crate's shared-buffer machinery (about 2 KB of wasm), and a `string` argument into `String`,
//! which links UTF-8 validation and alloy's lossy conversion (about 1.5 KB). A contract that
//! only hashes, checks or logs these values needs neither. [`RawSeq`] has exactly the ABI type
//! it stands for (`bytes` for [`RawBytes`], `string` for [`RawText`]: same selectors, same
//! encoding, same exported ABI) and keeps the bytes as they arrive, as the EVM does (Solidity
//! never checks that a `string` holds UTF-8 either). [`crate::raw_string::RawString`] is the
//! `Bytes`-backed variant for `string` only.
use alloc::vec::Vec;
use alloy_primitives::{keccak256, B256};
use alloy_sol_types::abi::token::PackedSeqToken;
use alloy_sol_types::private::SolTypeValue;
use alloy_sol_types::SolType;
use stylus_sdk::abi::{AbiType, ConstString};

/// The raw bytes of a `bytes` (`STRING = false`) or `string` (`STRING = true`) value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawSeq<const STRING: bool>(pub Vec<u8>);

/// A Solidity `bytes` value as a `Vec<u8>`.
pub type RawBytes = RawSeq<false>;
/// A Solidity `string` value as its unvalidated bytes.
pub type RawText = RawSeq<true>;

impl<const STRING: bool> RawSeq<STRING> {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl<const STRING: bool> From<&[u8]> for RawSeq<STRING> {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl<const STRING: bool> From<&str> for RawSeq<STRING> {
    fn from(text: &str) -> Self {
        Self(text.as_bytes().to_vec())
    }
}

/// The Solidity type (`bytes` or `string`) decoded into [`RawSeq`].
pub struct RawSeqSol<const STRING: bool>;

impl<const STRING: bool> SolType for RawSeqSol<STRING> {
    type RustType = RawSeq<STRING>;
    type Token<'a> = PackedSeqToken<'a>;

    const SOL_NAME: &'static str = if STRING { "string" } else { "bytes" };
    const ENCODED_SIZE: Option<usize> = None;
    const PACKED_ENCODED_SIZE: Option<usize> = None;

    fn valid_token(_token: &Self::Token<'_>) -> bool {
        true
    }

    fn detokenize(token: Self::Token<'_>) -> Self::RustType {
        RawSeq(token.into_vec())
    }
}

impl<const STRING: bool> SolTypeValue<RawSeqSol<STRING>> for RawSeq<STRING> {
    fn stv_abi_encoded_size(&self) -> usize {
        64 + self.0.len().next_multiple_of(32)
    }

    fn stv_to_tokens(&self) -> PackedSeqToken<'_> {
        PackedSeqToken(&self.0)
    }

    fn stv_abi_packed_encoded_size(&self) -> usize {
        self.0.len()
    }

    fn stv_abi_encode_packed_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0);
    }

    fn stv_eip712_data_word(&self) -> B256 {
        keccak256(&self.0)
    }
}

impl<const STRING: bool> AbiType for RawSeq<STRING> {
    type SolType = RawSeqSol<STRING>;

    const ABI: ConstString = ConstString::new(if STRING { "string" } else { "bytes" });
    const EXPORT_ABI_ARG: ConstString = ConstString::new(if STRING {
        "string calldata"
    } else {
        "bytes calldata"
    });
    const EXPORT_ABI_RET: ConstString = ConstString::new(if STRING {
        "string memory"
    } else {
        "bytes memory"
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloy_primitives::{Bytes, U256};
    use alloy_sol_types::sol_data;

    #[test]
    fn same_encoding_as_bytes_and_string() {
        for text in ["", "ten bytes!", &"x".repeat(65)] {
            let ours = <(sol_data::Uint<256>, RawSeqSol<false>)>::abi_encode_params(&(
                U256::from(7),
                RawBytes::from(text),
            ));
            let theirs = <(sol_data::Uint<256>, sol_data::Bytes)>::abi_encode_params(&(
                U256::from(7),
                Bytes::copy_from_slice(text.as_bytes()),
            ));
            assert_eq!(ours, theirs);
            let (_, decoded) =
                <(sol_data::Uint<256>, RawSeqSol<false>)>::abi_decode_params_validate(&theirs)
                    .unwrap();
            assert_eq!(decoded.as_bytes(), text.as_bytes());

            let ours = <(RawSeqSol<true>,)>::abi_encode_params(&(RawText::from(text),));
            let theirs = <(sol_data::String,)>::abi_encode_params(&(String::from(text),));
            assert_eq!(ours, theirs);
            let (decoded,) = <(RawSeqSol<true>,)>::abi_decode_params_validate(&theirs).unwrap();
            assert_eq!(decoded.as_bytes(), text.as_bytes());
        }
    }

    #[test]
    fn invalid_utf8_text_is_kept_as_is() {
        let raw = alloc::vec![0xff, 0xfe, b'a'];
        let encoded = <(sol_data::Bytes,)>::abi_encode_params(&(Bytes::from(raw.clone()),));
        assert!(<(sol_data::String,)>::abi_decode_params_validate(&encoded).is_err());
        let (decoded,) = <(RawSeqSol<true>,)>::abi_decode_params_validate(&encoded).unwrap();
        assert_eq!(decoded.0, raw);
    }

    #[test]
    fn abi_names_match_the_standard_types() {
        assert_eq!(<RawBytes as AbiType>::ABI.as_str(), "bytes");
        assert_eq!(<RawText as AbiType>::ABI.as_str(), "string");
        assert_eq!(
            <RawBytes as AbiType>::EXPORT_ABI_ARG.as_str(),
            <Bytes as AbiType>::EXPORT_ABI_ARG.as_str()
        );
        assert_eq!(
            <RawText as AbiType>::EXPORT_ABI_ARG.as_str(),
            <String as AbiType>::EXPORT_ABI_ARG.as_str()
        );
        assert_eq!(
            <RawText as AbiType>::EXPORT_ABI_RET.as_str(),
            <String as AbiType>::EXPORT_ABI_RET.as_str()
        );
        assert_eq!(RawSeqSol::<false>::SOL_NAME, "bytes");
        assert_eq!(RawSeqSol::<true>::SOL_NAME, "string");
    }
}
