//! Events: declared once in `sol!` syntax, emitted through one shared encoder.
//!
//! [`static_events!`](crate::static_events) takes a contract's `sol!` block (structs, events,
//! errors, with their doc comments), expands it to exactly that `sol!` block (so the ABI export,
//! the `SolEvent` types and the tests that decode logs with them stay as they are) and adds two
//! `#[inline(always)]` methods per event, `emit` and `emit_by_ref`. A call site names every field
//! of the event, e.g. `Withdrawn { asset, payee, amount }.emit(self.vm())`: a missing, misnamed
//! or mistyped field fails to compile, and the order at the call site does not matter.
//!
//! Both write the signature hash and the indexed fields as topics and the other fields as data
//! words, in declaration order, through one shared encoder, so no per-event function is left in
//! the program (a generic `SolEvent` encoder costs a few hundred bytes of wasm per event type,
//! and the SDK's `LogAccess::log` links a panic path besides). They differ in where the fields
//! become words:
//! - `emit` converts them at the call site ([`AbiWord`] conversions always inlined) and calls
//!   [`emit_words`] (or [`emit_words_and_bytes`] for an event whose last field is a `bytes` or
//!   `string`): the smaller code where the words fold into the call site;
//! - `emit_by_ref` passes them as `&dyn AbiWord` to [`emit_fields`], whose one conversion loop is
//!   the one the compact revert data uses ([`words_after`](crate::revert::words_after)): the
//!   smaller code for events with several `uint256` fields in a program that already links that
//!   loop (the staking vault's validator registry, jail and slash events).
//!
//! A program picks per call site, measured with `cargo run -p xtask -- sizes`.
//! Under `cfg(test)` the macro also generates `assert_event_encoding()`, which emits a sample of
//! every event both ways and checks each log against alloy's `SolEvent::encode_log_data`.
use alloc::vec::Vec;
use alloy_primitives::B256;

use crate::revert::AbiWord;

#[doc(hidden)]
pub use alloy_primitives::{aliases::U48, Address, Bytes, I256, U256};
#[doc(hidden)]
pub use alloy_sol_types::{sol, SolEvent};
#[doc(hidden)]
pub use stylus_sdk::stylus_core::host::RawLogAccess;

/// Emits a log whose topics and data are given as 32-byte words (static fields only): the
/// encoder behind every `emit` that [`static_events!`](crate::static_events) generates.
#[doc(hidden)]
pub fn emit_words<H: RawLogAccess + ?Sized>(host: &H, topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + data.len()));
    for word in topics.iter().chain(data) {
        bytes.extend_from_slice(word.as_slice());
    }
    host.emit_log(&bytes, topics.len());
}

/// Emits a log whose data is the static `head` words followed by one trailing dynamic `string`
/// or `bytes` field (offset, length, zero-padded contents): the encoder behind the `emit` of
/// the events that [`static_events!`](crate::static_events) declares with such a last field.
#[doc(hidden)]
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

/// Emits a log from the signature hash and the event's fields given by reference, the first
/// `topics` of them indexed: the encoder behind every `emit_by_ref` that
/// [`static_events!`](crate::static_events) generates (no conversion at the call sites). The
/// data is the other fields' words, then, with a `tail`, that trailing `bytes`/`string` field
/// (offset, length, zero-padded contents).
#[doc(hidden)]
#[inline(never)]
pub fn emit_fields<H: RawLogAccess + ?Sized>(
    host: &H,
    signature: &B256,
    fields: &[&dyn AbiWord],
    topics: usize,
    tail: Option<&[u8]>,
) {
    let tail_len = tail.map_or(0, |t| 64 + t.len().next_multiple_of(32));
    let mut bytes = crate::revert::words_after(signature.as_slice(), fields, tail_len);
    if let Some(tail) = tail {
        let head = fields.len() - topics;
        bytes.extend_from_slice(word(32 * (head as u64 + 1)).as_slice());
        bytes.extend_from_slice(word(tail.len() as u64).as_slice());
        bytes.extend_from_slice(tail);
        bytes.resize(bytes.len().next_multiple_of(32), 0);
    }
    host.emit_log(&bytes, 1 + topics);
}

/// Emits a log with the given topic words and already ABI-encoded `data`: for the rare event
/// whose data holds arrays, which [`static_events!`](crate::static_events) leaves to the caller.
pub fn emit_encoded<H: RawLogAccess + ?Sized>(host: &H, topics: &[B256], data: &[u8]) {
    let mut bytes = Vec::with_capacity(32 * topics.len() + data.len());
    for topic in topics {
        bytes.extend_from_slice(topic.as_slice());
    }
    bytes.extend_from_slice(data);
    host.emit_log(&bytes, topics.len());
}

/// The ABI word of a `u64` (big-endian, left-padded); use `B256::from(u256)` for `U256`.
pub fn word(value: u64) -> B256 {
    B256::from(U256::from_limbs([value, 0, 0, 0]))
}

/// Sample `bytes`/`string` contents for `assert_event_encoding()`: longer than one word and
/// not a multiple of 32, so the offset, length and padding are all exercised.
#[doc(hidden)]
pub const SAMPLE_TAIL: &str = "a trailing dynamic field of forty-five bytes.";

/// Declares a contract's `sol!` items and generates one `emit` method per event; this is the
/// one way the contracts emit events (see the [module docs](crate::emit)).
///
/// The input is a `sol!` body of `struct`, `event` and `error` items (anonymous events and
/// other items are not accepted). For each event:
/// - all fields static (`address`, `bool`, `bytes32`, `uintN`, `int256`): `emit(&self, host)`
///   and `emit_by_ref(&self, host)` methods on the `sol!` struct itself (the same log; see the
///   [module docs](crate::emit) for which is smaller where);
/// - the last field a `bytes` or `string`, the others static: a struct of the same name in the
///   generated `tail` module, whose fields are those of the event with the last one as a
///   `&[u8]` (no `Bytes`/`String` allocation), e.g.
///   `tail::VoteCast { voter, proposalId, support, weight, reason }.emit(host)` (and
///   `emit_by_ref`);
/// - the data a single `struct` declared in the same block (with static fields): `emit` only, on
///   the `sol!` struct, the struct's fields as data words (`abi_words()`, generated per struct);
/// - any array field: no method (encode the data with `SolValue` and call [`emit_encoded`]).
///
/// Under `cfg(test)` the macro generates `assert_event_encoding()`, which emits a sample of
/// every event with a generated `emit` (each field a distinctive
/// [`SampleValue`](crate::revert::SampleValue)), through `emit_by_ref` as well where there is
/// one, and checks each log against `SolEvent::encode_log_data`; it returns the number of events
/// checked.
///
/// ```ignore
/// agentdao_common::static_events! {
///     /// `payee` withdrew `amount` of `asset`.
///     event Withdrawn(address indexed asset, address indexed payee, uint256 amount);
///     /// A model was registered.
///     event ModelRegistered(uint64 indexed modelId, bytes32 contentHash, bytes uri);
/// }
/// // Withdrawn { asset, payee, amount }.emit(self.vm());
/// // Withdrawn { asset, payee, amount }.emit_by_ref(self.vm()); // the same log
/// // tail::ModelRegistered { modelId, contentHash, uri: uri.as_bytes() }.emit(self.vm());
/// ```
#[macro_export]
macro_rules! static_events {
    // ---- one item ----------------------------------------------------------------------
    (@item $mode:ident event $name:ident ( $($args:tt)* )) => {
        $crate::static_events! { @field $mode $name [] [] [] [] [] ; $($args)* }
    };
    (@item impl struct $name:ident { $( $(#[$fmeta:meta])* $fty:ident $field:ident ; )* }) => {
        impl $name {
            /// The struct's fields as ABI words, in declaration order (its encoding as
            /// event data).
            #[inline]
            pub fn abi_words(&self) -> [$crate::emit::SolWord; 0 $( + $crate::static_events!(@one $field) )*] {
                [$( $crate::revert::AbiWord::abi_word(&self.$field) ),*]
            }
        }

        #[cfg(test)]
        impl $crate::revert::SampleValue for $name {
            fn sample(_field: &str) -> Self {
                $name { $( $field: $crate::revert::SampleValue::sample(stringify!($field)) ),* }
            }
        }
    };
    (@item $mode:ident $kw:ident $name:ident $body:tt) => {};
    (@one $field:ident) => { 1 };

    // ---- the fields of one event, one at a time ------------------------------------------
    // State: [all fields] [topic fields] [data fields] [struct data fields] [view fields].
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ;
        $ty:ident indexed $f:ident $(, $($rest:tt)*)?) => {
        $crate::static_events! { @field $mode $name [$($all)* $f] [$($t)* $f] [$($d)*] [$($s)*]
            [$($v)* $f: $crate::static_events!(@ty $ty),] ; $($($rest)*)? }
    };
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ;
        $ty:ident [ $($len:tt)* ] $($f:ident)+ $(, $($rest:tt)*)?) => {
        $crate::static_events! { @unsupported $mode }
    };
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ;
        bytes $f:ident $(,)?) => {
        $crate::static_events! { @tail $mode $name bytes $f [$($all)*] [$($t)*] [$($d)*] [$($s)*] [$($v)*] }
    };
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ;
        string $f:ident $(,)?) => {
        $crate::static_events! { @tail $mode $name string $f [$($all)*] [$($t)*] [$($d)*] [$($s)*] [$($v)*] }
    };
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ;
        $ty:ident $f:ident $(, $($rest:tt)*)?) => {
        $crate::static_events! { @data $ty $mode $name [$($all)* $f] [$($t)*] [$($d)*] [$($s)*]
            [$($v)* $f: $crate::static_events!(@ty $ty),] $f ; $($($rest)*)? }
    };
    (@field $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] ; ) => {
        $crate::static_events! { @static $mode $name [$($all)*] [$($t)*] [$($d)*] [$($s)*] }
    };

    // A data field: one word for a static type, else a struct declared in the same block.
    (@data address $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data bool $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data bytes32 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint8 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint16 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint32 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint48 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint64 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data uint256 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data int256 $($state:tt)*) => { $crate::static_events! { @word $($state)* } };
    (@data $other:ident $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] $f:ident ; $($rest:tt)*) => {
        $crate::static_events! { @field $mode $name [$($all)*] [$($t)*] [$($d)*] [$($s)* $f] [$($v)*] ; $($rest)* }
    };
    (@word $mode:ident $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [$($s:ident)*] [$($v:tt)*] $f:ident ; $($rest:tt)*) => {
        $crate::static_events! { @field $mode $name [$($all)*] [$($t)*] [$($d)* $f] [$($s)*] [$($v)*] ; $($rest)* }
    };

    // Rust types of the static fields of a `tail` struct (the `sol!` mapping).
    (@ty address) => { $crate::emit::Address };
    (@ty bool) => { bool };
    (@ty bytes32) => { $crate::emit::SolWord };
    (@ty uint8) => { u8 };
    (@ty uint16) => { u16 };
    (@ty uint32) => { u32 };
    (@ty uint48) => { $crate::emit::U48 };
    (@ty uint64) => { u64 };
    (@ty uint256) => { $crate::emit::U256 };
    (@ty int256) => { $crate::emit::I256 };
    (@ty $other:ident) => { $other };

    // ---- what each mode generates for one event --------------------------------------------
    (@unsupported impl) => {};
    (@unsupported view) => {};
    (@unsupported check) => { 0usize };

    // Static fields only (words), or a single struct as the data.
    (@static impl $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] []) => {
        impl $name {
            /// Emits this event: the indexed fields as topics, the others as data words.
            #[inline(always)]
            pub fn emit<H: $crate::emit::RawLogAccess + ?Sized>(&self, host: &H) {
                $crate::emit::emit_words(
                    host,
                    &[
                        <Self as $crate::emit::SolEvent>::SIGNATURE_HASH,
                        $( $crate::revert::AbiWord::abi_word(&self.$t) ),*
                    ],
                    &[$( $crate::revert::AbiWord::abi_word(&self.$d) ),*],
                );
            }

            /// Emits this event like [`Self::emit`], the fields passed by reference and
            /// converted in the shared [`emit_fields`]($crate::emit::emit_fields) (smaller at a
            /// call site with several `uint256` fields).
            #[inline(always)]
            pub fn emit_by_ref<H: $crate::emit::RawLogAccess + ?Sized>(&self, host: &H) {
                $crate::emit::emit_fields(
                    host,
                    &<Self as $crate::emit::SolEvent>::SIGNATURE_HASH,
                    &[
                        $( &self.$t as &dyn $crate::revert::AbiWord, )*
                        $( &self.$d as &dyn $crate::revert::AbiWord, )*
                    ],
                    0 $( + $crate::static_events!(@one $t) )*,
                    None,
                );
            }
        }
    };
    (@static impl $name:ident [$($all:ident)*] [$($t:ident)*] [] [$s:ident]) => {
        impl $name {
            /// Emits this event: the indexed fields as topics, the struct's fields as data words.
            #[inline(always)]
            pub fn emit<H: $crate::emit::RawLogAccess + ?Sized>(&self, host: &H) {
                $crate::emit::emit_words(
                    host,
                    &[
                        <Self as $crate::emit::SolEvent>::SIGNATURE_HASH,
                        $( $crate::revert::AbiWord::abi_word(&self.$t) ),*
                    ],
                    &self.$s.abi_words(),
                );
            }
        }
    };
    (@static impl $name:ident $($rest:tt)*) => {
        compile_error!(concat!(
            "static_events!: a struct in the data of `", stringify!($name),
            "` must be its only non-indexed field"
        ));
    };
    (@static view $($rest:tt)*) => {};
    (@static check $name:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] []) => {{
        let event = $name {
            $( $all: $crate::revert::SampleValue::sample(stringify!($all)) ),*
        };
        let vm = stylus_sdk::testing::TestVM::default();
        event.emit(&vm);
        $crate::emit::assert_log(&vm.get_emitted_logs(), &event, stringify!($name));
        let vm = stylus_sdk::testing::TestVM::default();
        event.emit_by_ref(&vm);
        $crate::emit::assert_log(
            &vm.get_emitted_logs(),
            &event,
            concat!(stringify!($name), " (by reference)"),
        );
        1usize
    }};
    (@static check $name:ident [$($all:ident)*] $($rest:tt)*) => {{
        let event = $name {
            $( $all: $crate::revert::SampleValue::sample(stringify!($all)) ),*
        };
        let vm = stylus_sdk::testing::TestVM::default();
        event.emit(&vm);
        $crate::emit::assert_log(&vm.get_emitted_logs(), &event, stringify!($name));
        1usize
    }};

    // Static fields followed by one `bytes`/`string`.
    (@tail impl $($rest:tt)*) => {};
    (@tail view $name:ident $kind:ident $tail:ident [$($all:ident)*] [$($t:ident)*] [$($d:ident)*] [] [$($f:ident: $fty:ty,)*]) => {
        #[doc = concat!("The fields of [`super::", stringify!($name), "`], the last one as raw bytes; `emit` logs them.")]
        #[allow(non_snake_case)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            $(
                #[doc = concat!("The event's `", stringify!($f), "`.")]
                pub $f: $fty,
            )*
            #[doc = concat!("The event's `", stringify!($tail), "` (trailing dynamic field).")]
            pub $tail: &'a [u8],
        }

        impl $name<'_> {
            /// Emits the event: the indexed fields as topics, the others as data words, then
            /// the trailing field.
            #[inline(always)]
            pub fn emit<H: $crate::emit::RawLogAccess + ?Sized>(&self, host: &H) {
                $crate::emit::emit_words_and_bytes(
                    host,
                    &[
                        <super::$name as $crate::emit::SolEvent>::SIGNATURE_HASH,
                        $( $crate::revert::AbiWord::abi_word(&self.$t) ),*
                    ],
                    &[$( $crate::revert::AbiWord::abi_word(&self.$d) ),*],
                    self.$tail,
                );
            }

            /// Emits the event like [`Self::emit`], the fields passed by reference and
            /// converted in the shared [`emit_fields`]($crate::emit::emit_fields).
            #[inline(always)]
            pub fn emit_by_ref<H: $crate::emit::RawLogAccess + ?Sized>(&self, host: &H) {
                $crate::emit::emit_fields(
                    host,
                    &<super::$name as $crate::emit::SolEvent>::SIGNATURE_HASH,
                    &[
                        $( &self.$t as &dyn $crate::revert::AbiWord, )*
                        $( &self.$d as &dyn $crate::revert::AbiWord, )*
                    ],
                    0 $( + $crate::static_events!(@one $t) )*,
                    Some(self.$tail),
                );
            }
        }
    };
    (@tail view $name:ident $($rest:tt)*) => {
        compile_error!(concat!(
            "static_events!: `", stringify!($name),
            "` mixes a struct with a trailing dynamic field"
        ));
    };
    (@tail check $name:ident $kind:ident $tail:ident [$($all:ident)*] $($rest:tt)*) => {{
        let view = tail::$name {
            $( $all: $crate::revert::SampleValue::sample(stringify!($all)), )*
            $tail: $crate::emit::SAMPLE_TAIL.as_bytes(),
        };
        let vm = stylus_sdk::testing::TestVM::default();
        view.emit(&vm);
        let event = $name {
            $( $all: view.$all, )*
            $tail: $crate::static_events!(@sample_tail $kind),
        };
        $crate::emit::assert_log(&vm.get_emitted_logs(), &event, stringify!($name));
        let vm = stylus_sdk::testing::TestVM::default();
        view.emit_by_ref(&vm);
        $crate::emit::assert_log(
            &vm.get_emitted_logs(),
            &event,
            concat!(stringify!($name), " (by reference)"),
        );
        1usize
    }};
    (@sample_tail bytes) => { $crate::emit::Bytes::from($crate::emit::SAMPLE_TAIL.as_bytes()) };
    (@sample_tail string) => { alloc::string::String::from($crate::emit::SAMPLE_TAIL) };

    // ---- entry ---------------------------------------------------------------------------
    (@items $( $(#[$meta:meta])* $kw:ident $name:ident $body:tt $(;)? )*) => {
        $( $crate::static_events! { @item impl $kw $name $body } )*

        /// One struct per event whose last field is a `bytes` or `string`: the event's fields
        /// with that one borrowed, and its `emit`.
        pub mod tail {
            #[allow(unused_imports)]
            use super::*;
            $( $crate::static_events! { @item view $kw $name $body } )*
        }

        /// Emits a sample of every event that has a generated `emit` and checks each log
        /// against `SolEvent::encode_log_data`; returns the number of events checked.
        #[cfg(test)]
        pub fn assert_event_encoding() -> usize {
            0usize $( + $crate::static_events!(@check $kw $name $body) )*
        }
    };
    (@check event $name:ident ( $($args:tt)* )) => {
        $crate::static_events! { @field check $name [] [] [] [] [] ; $($args)* }
    };
    (@check $kw:ident $name:ident $body:tt) => { 0usize };
    ($($body:tt)*) => {
        $crate::emit::sol! { $($body)* }
        $crate::static_events! { @items $($body)* }
    };
}

#[doc(hidden)]
pub use alloy_primitives::B256 as SolWord;

/// Test support for `assert_event_encoding()`: `logs` is exactly one log, `event`'s
/// `SolEvent::encode_log_data`.
#[doc(hidden)]
pub fn assert_log<E: SolEvent>(logs: &[(Vec<B256>, Vec<u8>)], event: &E, name: &str) {
    let reference = event.encode_log_data();
    assert_eq!(logs.len(), 1, "{name}: one log");
    assert_eq!(logs[0].0, reference.topics().to_vec(), "{name}: topics");
    assert_eq!(logs[0].1, reference.data.to_vec(), "{name}: data");
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use alloy_primitives::{Address, I256, U256};
    use alloy_sol_types::SolError;
    use stylus_sdk::testing::TestVM;

    mod sol {
        // The macro generates `pub` items, as a contract's `sol` module exports them; here the
        // module is private to the tests.
        #![allow(missing_docs, unreachable_pub)]
        crate::static_events! {
            /// A static struct, logged as one event's data.
            #[derive(Debug, PartialEq, Eq)]
            struct Pair {
                /// First.
                address who;
                /// Second.
                uint16 share;
            }
            /// Every static type, indexed and not, the indexed ones not in front.
            #[derive(Debug, PartialEq, Eq)]
            event Mixed(
                address indexed who,
                uint256 amount,
                uint64 indexed at,
                int256 delta,
                bytes32 tag,
                uint8 code,
                bool flag,
                uint16 small,
                uint32 medium,
                uint48 clock,
                bytes32 indexed key
            );
            /// No fields at all.
            event Bare();
            /// Static head, then `bytes`.
            event WithBytes(uint64 indexed id, bytes32 hash, uint256 amount, bytes uri);
            /// Static head, then `string`.
            event WithString(address indexed voter, uint8 support, string reason);
            /// A struct as the data.
            event PairSet(uint64 indexed id, Pair pair);
            /// Arrays: no generated `emit`.
            event Listed(uint256 indexed id, address[] targets);
            /// Not an event: passed through to `sol!`.
            #[derive(Debug, PartialEq, Eq)]
            error Oops(uint256 code);
        }
    }
    use sol::*;

    #[test]
    fn every_event_logs_what_alloy_encodes() {
        // Mixed, Bare, WithBytes, WithString, PairSet; not Listed.
        assert_eq!(sol::assert_event_encoding(), 5);
    }

    #[test]
    fn fields_land_in_declaration_order_whatever_the_call_site_order() {
        let vm = TestVM::default();
        let event = Mixed {
            key: B256::repeat_byte(0x4b),
            flag: true,
            who: Address::repeat_byte(7),
            at: u64::MAX - 3,
            amount: U256::MAX - U256::from(9),
            delta: I256::try_from(-5i64).unwrap(),
            tag: B256::repeat_byte(0x17),
            code: 200,
            small: 65_000,
            medium: 4_000_000_000,
            clock: U48::from(0xffff_ffff_fff0u64),
        };
        event.emit(&vm);
        event.emit_by_ref(&vm);
        let logs = vm.get_emitted_logs();
        assert_eq!(logs.len(), 2);
        assert_eq!(logs[0], logs[1], "both encoders write the same log");
        let (topics, data) = logs[0].clone();
        assert_eq!(topics.len(), 4);
        assert_eq!(topics[0], Mixed::SIGNATURE_HASH);
        assert_eq!(topics[3], event.key);
        assert_eq!(data.len(), 8 * 32);
        assert_eq!(Mixed::decode_raw_log(topics, &data).unwrap(), event);
    }

    #[test]
    fn trailing_dynamic_fields_of_every_length_match_alloy() {
        for len in [0usize, 1, 31, 32, 33, 64, 100] {
            let bytes = std::vec![0xa5u8; len];
            let view = tail::WithBytes {
                id: 9,
                hash: B256::repeat_byte(0x5c),
                amount: U256::from(len),
                uri: &bytes,
            };
            let reference = WithBytes {
                id: 9,
                hash: B256::repeat_byte(0x5c),
                amount: U256::from(len),
                uri: bytes.clone().into(),
            };
            let vm = TestVM::default();
            view.emit(&vm);
            assert_log(&vm.get_emitted_logs(), &reference, "WithBytes");
            let vm = TestVM::default();
            view.emit_by_ref(&vm);
            assert_log(&vm.get_emitted_logs(), &reference, "WithBytes by reference");

            let reason = "r".repeat(len);
            let view = tail::WithString {
                voter: Address::repeat_byte(3),
                support: 2,
                reason: reason.as_bytes(),
            };
            let reference = WithString {
                voter: Address::repeat_byte(3),
                support: 2,
                reason: reason.clone(),
            };
            let vm = TestVM::default();
            view.emit(&vm);
            assert_log(&vm.get_emitted_logs(), &reference, "WithString");
            let vm = TestVM::default();
            view.emit_by_ref(&vm);
            assert_log(
                &vm.get_emitted_logs(),
                &reference,
                "WithString by reference",
            );
        }
    }

    #[test]
    fn a_struct_is_logged_as_its_fields() {
        let pair = Pair {
            who: Address::repeat_byte(1),
            share: 7,
        };
        assert_eq!(
            pair.abi_words(),
            [Address::repeat_byte(1).into_word(), word(7)]
        );
        let vm = TestVM::default();
        PairSet { id: 4, pair }.emit(&vm);
        let (topics, data) = vm.get_emitted_logs().remove(0);
        assert_eq!(topics, std::vec![PairSet::SIGNATURE_HASH, word(4)]);
        assert_eq!(data.len(), 64);
    }

    #[test]
    fn pre_encoded_data_is_logged_after_the_topics() {
        let event = Listed {
            id: U256::from(3),
            targets: std::vec![Address::repeat_byte(2), Address::repeat_byte(9)],
        };
        let vm = TestVM::default();
        let data = alloy_sol_types::SolValue::abi_encode_params(&(event.targets.clone(),));
        emit_encoded(&vm, &[Listed::SIGNATURE_HASH, word(3)], &data);
        assert_log(&vm.get_emitted_logs(), &event, "Listed");
        assert_eq!(Oops::SELECTOR, Oops { code: U256::ZERO }.abi_encode()[..4]);
    }
}
