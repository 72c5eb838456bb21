//! A Solidity `string` argument kept as raw bytes.
//!
//! Decoding a `String` argument links UTF-8 validation (`str::from_utf8`) and alloy's lossy
//! conversion (`String::from_utf8_lossy`, `Utf8Chunks`): about 1.5 KB of wasm per contract, for
//! text a contract usually only hashes or logs. [`RawString`] has the same ABI type (`string`:
//! same selectors, same encoding, `string` in the exported ABI) but keeps the bytes as they
//! arrive, without validation, as the EVM itself does: Solidity never checks that a `string`
//! holds UTF-8 either.
use alloc::vec::Vec;
use alloy_primitives::{keccak256, Bytes, B256 as Word};
use alloy_sol_types::abi::token::PackedSeqToken;
use alloy_sol_types::private::SolTypeValue;
use alloy_sol_types::SolType;
use stylus_sdk::abi::{AbiType, ConstString};

/// The bytes of a `string` argument (or return value), unvalidated.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawString(pub Bytes);

impl RawString {
    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl From<&str> for RawString {
    fn from(text: &str) -> Self {
        Self(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl From<alloc::string::String> for RawString {
    fn from(text: alloc::string::String) -> Self {
        Self(text.into_bytes().into())
    }
}

/// The Solidity type `string` decoded into [`RawString`].
pub struct RawStringSol;

impl SolType for RawStringSol {
    type RustType = RawString;
    type Token<'a> = PackedSeqToken<'a>;

    const SOL_NAME: &'static str = "string";
    const ENCODED_SIZE: Option<usize> = None;
    const PACKED_ENCODED_SIZE: Option<usize> = None;

    fn valid_token(_token: &Self::Token<'_>) -> bool {
        true
    }

    fn detokenize(token: Self::Token<'_>) -> Self::RustType {
        RawString(token.into_vec().into())
    }
}

impl SolTypeValue<RawStringSol> for RawString {
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

    fn stv_eip712_data_word(&self) -> Word {
        keccak256(&self.0)
    }
}

impl AbiType for RawString {
    type SolType = RawStringSol;

    const ABI: ConstString = ConstString::new("string");
    const EXPORT_ABI_ARG: ConstString = ConstString::new("string calldata");
    const EXPORT_ABI_RET: ConstString = ConstString::new("string memory");
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloy_sol_types::sol_data;

    type Args = (sol_data::Uint<256>, RawStringSol);
    type StringArgs = (sol_data::Uint<256>, sol_data::String);

    #[test]
    fn same_encoding_as_string() {
        for text in ["", "lower the tax", &"x".repeat(65)] {
            let ours =
                Args::abi_encode_params(&(alloy_primitives::U256::from(7), RawString::from(text)));
            let theirs = StringArgs::abi_encode_params(&(
                alloy_primitives::U256::from(7),
                String::from(text),
            ));
            assert_eq!(ours, theirs);
            let (_, decoded) = Args::abi_decode_params_validate(&theirs).unwrap();
            assert_eq!(decoded.as_bytes(), text.as_bytes());
            assert_eq!(
                <RawStringSol as SolType>::abi_encoded_size(&RawString::from(text)),
                <sol_data::String as SolType>::abi_encoded_size(&String::from(text))
            );
        }
    }

    #[test]
    fn invalid_utf8_is_kept_as_is() {
        let bytes = Bytes::from(alloc::vec![0xff, 0xfe, b'a']);
        let encoded = <(sol_data::Bytes,)>::abi_encode_params(&(bytes.clone(),));
        assert!(<(sol_data::String,)>::abi_decode_params_validate(&encoded).is_err());
        let (decoded,) = <(RawStringSol,)>::abi_decode_params_validate(&encoded).unwrap();
        assert_eq!(decoded.0, bytes);
    }

    #[test]
    fn abi_names_are_string() {
        assert_eq!(RawStringSol::SOL_NAME, "string");
        assert_eq!(<RawString as AbiType>::ABI.as_str(), "string");
        assert_eq!(<String as AbiType>::SELECTOR_ABI.as_str(), "string");
        assert_eq!(
            <RawString as AbiType>::EXPORT_ABI_ARG.as_str(),
            <String as AbiType>::EXPORT_ABI_ARG.as_str()
        );
    }
}
