//! Strings of at most 31 bytes packed into one storage word.
//!
//! Token names and symbols, EIP-712 domain names and similar labels are short and never change.
//! Packing them into a single `bytes32` (content left-aligned, length in the last byte, as
//! OpenZeppelin's `ShortStrings` does) costs one storage slot and keeps the SDK's dynamic
//! `StorageString` out of the program; its length decoding alone pulls generic 256-bit division
//! (several kilobytes of wasm) into the binary.
use alloc::string::String;
use alloc::vec::Vec;
use alloy_primitives::B256;
use alloy_sol_types::sol;

/// Longest string that fits: 31 bytes (the last byte holds the length).
pub const MAX_SHORT_STRING: usize = 31;

sol! {
    /// A string of `length` bytes exceeds the `max` bytes that can be stored.
    #[derive(Debug, PartialEq, Eq)]
    error StringTooLong(uint256 length, uint256 max);
}

/// Packs `s` into a word.
///
/// # Errors
/// [`StringTooLong`] if `s` is longer than [`MAX_SHORT_STRING`] bytes.
pub fn pack<E: From<StringTooLong>>(s: &str) -> Result<B256, E> {
    let bytes = s.as_bytes();
    if bytes.len() > MAX_SHORT_STRING {
        return Err(StringTooLong {
            length: alloy_primitives::U256::from(bytes.len()),
            max: alloy_primitives::U256::from(MAX_SHORT_STRING),
        }
        .into());
    }
    let mut word = [0u8; 32];
    word[..bytes.len()].copy_from_slice(bytes);
    word[31] = bytes.len() as u8;
    Ok(B256::from(word))
}

/// The bytes of a word made by [`pack`] (an all-zero word gives the empty string's bytes).
pub fn unpack_bytes(word: &B256) -> &[u8] {
    let len = (word[31] as usize).min(MAX_SHORT_STRING);
    &word[..len]
}

/// The string packed in `word` by [`pack`].
///
/// Invalid UTF-8 (a word not made by [`pack`]) is replaced by U+FFFD rather than panicking.
pub fn unpack(word: &B256) -> String {
    let bytes: Vec<u8> = unpack_bytes(word).to_vec();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U256;
    use proptest::prelude::*;

    #[test]
    fn packs_up_to_31_bytes() {
        let word = pack::<StringTooLong>("Agent").unwrap();
        assert_eq!(&word[..5], b"Agent");
        assert_eq!(word[31], 5);
        assert_eq!(unpack(&word), "Agent");
        assert_eq!(unpack(&B256::ZERO), "");
        let max = "x".repeat(31);
        assert_eq!(unpack(&pack::<StringTooLong>(&max).unwrap()), max);
        assert_eq!(
            pack::<StringTooLong>(&"x".repeat(32)),
            Err(StringTooLong {
                length: U256::from(32),
                max: U256::from(31)
            })
        );
    }

    #[test]
    fn foreign_words_do_not_panic() {
        let mut word = [0xffu8; 32];
        word[31] = 200;
        let text = unpack(&B256::from(word));
        assert_eq!(text.chars().count(), 31);
    }

    proptest! {
        #[test]
        fn round_trips_any_short_string(s in "\\PC{0,10}") {
            prop_assume!(s.len() <= MAX_SHORT_STRING);
            prop_assert_eq!(unpack(&pack::<StringTooLong>(&s).unwrap()), s);
        }
    }
}
