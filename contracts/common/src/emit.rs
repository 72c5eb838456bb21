//! Event emission without a panic path.
//!
//! The SDK's `LogAccess::log` unwraps the result of `encode_topics_raw`, and that `unwrap` links
//! `Debug` for `alloy_sol_types::Error` plus the formatting machinery behind it into every
//! contract (several KB of wasm) although the call cannot fail with four topic slots. [`emit`]
//! writes exactly the same log (topics, then ABI-encoded data) with no panic path.
//!
//! Each generic [`emit`] instance still costs a few hundred bytes per event type; for events
//! whose fields are all static, [`emit_words`] takes the topics and data words directly, one
//! shared function for all of them (tests decode its logs with the `sol!` event types).
use alloc::vec::Vec;
use alloy_primitives::{B256, U256};
use alloy_sol_types::abi::token::WordToken;
use alloy_sol_types::{SolEvent, TopicList};
use stylus_sdk::stylus_core::host::RawLogAccess;

/// Emits `event` as an EVM log through `host`.
pub fn emit<H: RawLogAccess + ?Sized, E: SolEvent>(host: &H, event: &E) {
    let mut topics = [WordToken::default(); 4];
    // Four slots always fit an event's topics (at most four), so this never fails.
    if event.encode_topics_raw(&mut topics).is_err() {
        return;
    }
    let count = E::TopicList::COUNT;
    let mut bytes = Vec::with_capacity(32 * count + event.abi_encoded_size());
    for topic in topics.iter().take(count) {
        bytes.extend_from_slice(topic.as_slice());
    }
    event.encode_data_to(&mut bytes);
    host.emit_log(&bytes, count);
}

/// Emits a log whose topics and data are given as 32-byte words (static fields only).
pub fn emit_words<H: RawLogAccess + ?Sized>(host: &H, topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + data.len()));
    for word in topics.iter().chain(data) {
        bytes.extend_from_slice(word.as_slice());
    }
    host.emit_log(&bytes, topics.len());
}

/// Emits a log whose data is the static `head` words followed by one trailing dynamic `string`
/// or `bytes` field (offset, length, zero-padded contents), e.g. the data of
/// `event E(uint64 indexed id, bytes32 hash, string uri)`; one shared function for all such
/// events instead of a generic [`emit`] instance each.
pub fn emit_words_and_bytes<H: RawLogAccess + ?Sized>(
    host: &H,
    topics: &[B256],
    head: &[B256],
    tail: &[u8],
) {
    let padding = tail.len().next_multiple_of(32) - tail.len();
    let mut bytes = Vec::with_capacity(32 * (topics.len() + head.len() + 2) + tail.len() + padding);
    for word in topics.iter().chain(head) {
        bytes.extend_from_slice(word.as_slice());
    }
    bytes.extend_from_slice(word(32 * (head.len() as u64 + 1)).as_slice());
    bytes.extend_from_slice(word(tail.len() as u64).as_slice());
    bytes.extend_from_slice(tail);
    bytes.resize(bytes.len() + padding, 0);
    host.emit_log(&bytes, topics.len());
}

/// The ABI word of a `u64` (big-endian, left-padded); use `B256::from(u256)` for `U256`.
pub fn word(value: u64) -> B256 {
    B256::from(U256::from_limbs([value, 0, 0, 0]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::sol;
    use stylus_sdk::prelude::*;
    use stylus_sdk::testing::TestVM;

    sol! {
        event Three(address indexed a, uint256 indexed b, bytes32 indexed c, string note);
        event Plain(uint256 x);
        event Anon(uint256 indexed x) anonymous;
    }

    #[test]
    fn same_log_as_the_sdk() {
        let ours = TestVM::default();
        let sdks = TestVM::default();
        let three = Three {
            a: Address::repeat_byte(7),
            b: U256::from(42),
            c: [9u8; 32].into(),
            note: "hello".into(),
        };
        emit(&ours, &three);
        sdks.log(three.clone());
        emit(&ours, &Plain { x: U256::from(1) });
        sdks.log(Plain { x: U256::from(1) });
        emit(&ours, &Anon { x: U256::from(5) });
        sdks.log(Anon { x: U256::from(5) });
        let logs = ours.get_emitted_logs();
        assert_eq!(logs, sdks.get_emitted_logs());
        assert_eq!(logs.len(), 3);
        assert_eq!(logs[0].0.len(), 4);
        assert_eq!(logs[0].0[0], Three::SIGNATURE_HASH);
        assert_eq!(logs[1].0.len(), 1);
        assert_eq!(logs[2].0.len(), 1, "anonymous: the indexed value only");
    }

    sol! {
        event Static(uint64 indexed id, address indexed who, uint8 kind, uint256 amount, bytes32 tag);
    }

    #[test]
    fn word_logs_decode_as_the_event() {
        let vm = TestVM::default();
        let who = Address::repeat_byte(3);
        let tag = B256::repeat_byte(0xab);
        emit_words(
            &vm,
            &[Static::SIGNATURE_HASH, word(7), who.into_word()],
            &[word(2), B256::from(U256::MAX), tag],
        );
        let (topics, data) = vm.get_emitted_logs().remove(0);
        let decoded = Static::decode_raw_log(topics.clone(), &data).unwrap();
        assert_eq!(decoded.id, 7);
        assert_eq!(decoded.who, who);
        assert_eq!(
            (decoded.kind, decoded.amount, decoded.tag),
            (2, U256::MAX, tag)
        );
        let reference = TestVM::default();
        reference.log(decoded);
        assert_eq!(reference.get_emitted_logs(), vec![(topics, data)]);
    }

    sol! {
        event Dynamic(uint64 indexed id, bytes32 hash, uint256 amount, string uri);
    }

    #[test]
    fn trailing_bytes_logs_match_the_sdk() {
        for len in [0usize, 1, 31, 32, 33, 64, 100] {
            let uri: String = "u".repeat(len);
            let event = Dynamic {
                id: 9,
                hash: B256::repeat_byte(0x5c),
                amount: U256::from(len) * U256::MAX / U256::from(200),
                uri: uri.clone(),
            };
            let ours = TestVM::default();
            emit_words_and_bytes(
                &ours,
                &[Dynamic::SIGNATURE_HASH, word(9)],
                &[event.hash, B256::from(event.amount)],
                uri.as_bytes(),
            );
            let sdks = TestVM::default();
            sdks.log(event);
            assert_eq!(
                ours.get_emitted_logs(),
                sdks.get_emitted_logs(),
                "length {len}"
            );
        }
    }
}
