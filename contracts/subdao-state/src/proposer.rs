//! Proposals reserved for their proposer: OpenZeppelin Governor 5's `#proposer=0x…` suffix.
//!
//! A proposal's id is the hash of its content, so whoever submits some content first owns that
//! id: a squatter with the proposal threshold could copy a pending proposal (or predict a typed
//! one, such as a slash with an empty description), submit it first and cancel it, and the
//! honest proposal could never be made. A description that ends in `#proposer=0x` followed by
//! 40 hexadecimal digits (either case) can only be proposed by that account; any other account
//! gets `GovernorRestrictedProposer(caller)`. A suffix that does not parse as an address
//! restricts nothing, as in OpenZeppelin. The SubDAO's typed helpers (`proposeSlash`,
//! `proposeModelUpgrade`) always append the caller's suffix, so their proposals cannot be
//! squatted.
use alloc::vec::Vec;
use alloy_primitives::Address;

/// The marker before the 40 hex digits of the reserved proposer.
pub const MARKER: &[u8; 12] = b"#proposer=0x";

/// Length of a complete suffix: the marker and 40 hex digits.
const SUFFIX_LEN: usize = MARKER.len() + 40;

/// The account `description` is reserved for, if it ends in a well-formed suffix.
pub fn reserved_for(description: &[u8]) -> Option<Address> {
    let start = description.len().checked_sub(SUFFIX_LEN)?;
    let (marker, digits) = description[start..].split_at(MARKER.len());
    if marker != MARKER {
        return None;
    }
    let mut address = [0u8; 20];
    for (byte, pair) in address.iter_mut().zip(digits.chunks_exact(2)) {
        *byte = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
    }
    Some(Address::from(address))
}

/// `description` followed by the suffix reserving it for `proposer` (lowercase hex).
pub fn reserve(description: &[u8], proposer: Address) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(description.len() + SUFFIX_LEN);
    out.extend_from_slice(description);
    out.extend_from_slice(MARKER);
    for byte in proposer.as_slice() {
        out.push(HEX[usize::from(byte >> 4)]);
        out.push(HEX[usize::from(byte & 0xf)]);
    }
    out
}

/// The value of one hexadecimal digit (`0-9`, `a-f`, `A-F`).
fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_either_case_and_ignores_malformed_suffixes() {
        let a = Address::repeat_byte(0xab);
        assert_eq!(reserved_for(&reserve(b"slash", a)), Some(a));
        let upper = format!("x#proposer=0x{}", "AB".repeat(20));
        assert_eq!(reserved_for(upper.as_bytes()), Some(a));
        for unrestricted in [
            String::new(),
            "plain text".into(),
            format!("#proposer=0x{}", "ab".repeat(19)),
            format!("#proposer=0x{}g", "ab".repeat(19) + "a"),
            format!("#proposer=0X{}", "ab".repeat(20)),
            format!("#proposer=0x{} ", "ab".repeat(20)),
        ] {
            assert_eq!(
                reserved_for(unrestricted.as_bytes()),
                None,
                "{unrestricted}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// Any description reserved for any account parses back to that account.
        #[test]
        fn reserve_round_trips(text in proptest::collection::vec(any::<u8>(), 0..80), raw in any::<[u8; 20]>()) {
            let proposer = Address::from(raw);
            prop_assert_eq!(reserved_for(&reserve(&text, proposer)), Some(proposer));
        }
    }
}
