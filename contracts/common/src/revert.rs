//! Compact revert data for error enums whose errors have only static fields, and the one
//! "selector + words" encoder of the contracts' revert data and calldata.
//!
//! `#[derive(SolidityError)]` encodes every variant with its own generic ABI encoder (about
//! 150 bytes of wasm per error, 5 KB for a contract with thirty-odd errors). When every field is
//! static, the revert data is just the 4-byte selector followed by one 32-byte word per field, so
//! [`static_errors!`](crate::static_errors) declares the error enum exactly as the derive would
//! (one variant per `sol!` error struct, `From` conversions, the export-abi error list) and encodes
//! every variant through the one shared [`revert_data`]. Under `cfg(test)` the generated
//! `abi_encode_reference` gives the `SolError::abi_encode` bytes of the wrapped struct, so a unit
//! test in the contract can check that the two encodings agree.
use alloc::vec::Vec;
use alloy_primitives::{Address, B256, I256, U256};

pub use alloy_sol_types::SolError;

/// A static Solidity value as its 32-byte ABI word. The conversions are always inlined: at an
/// event's call site (`emit`) they fold into the words it logs (measured smaller than calls);
/// the values passed as `&dyn AbiWord` ([`revert_data`], `emit_by_ref`) are converted by one
/// shared loop ([`words_after`]).
pub trait AbiWord {
    /// The ABI encoding of `self` (big-endian, left-padded; sign-extended for `int256`).
    fn abi_word(&self) -> B256;
}

impl AbiWord for u64 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        B256::from(U256::from_limbs([*self, 0, 0, 0]))
    }
}

impl AbiWord for alloy_primitives::aliases::U48 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        B256::from(U256::from(*self))
    }
}

impl AbiWord for u32 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for u16 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for u8 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for bool {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for U256 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        B256::from(*self)
    }
}

impl AbiWord for I256 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        B256::from(self.into_raw())
    }
}

impl AbiWord for Address {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        self.into_word()
    }
}

impl AbiWord for B256 {
    #[inline(always)]
    fn abi_word(&self) -> B256 {
        *self
    }
}

/// A distinctive non-zero value per field name, so a test that encodes one sample of every
/// error variant (the `samples()` that [`static_errors!`](crate::static_errors) generates under
/// `cfg(test)`) shows a swapped or dropped field.
pub trait SampleValue {
    /// The sample for the field called `field`.
    fn sample(field: &str) -> Self;
}

fn sample_seed(field: &str) -> [u8; 32] {
    alloy_primitives::keccak256(field.as_bytes()).0
}

impl SampleValue for u64 {
    fn sample(field: &str) -> Self {
        let seed = sample_seed(field);
        u64::from_be_bytes([
            seed[0], seed[1], seed[2], seed[3], seed[4], seed[5], seed[6], seed[7],
        ]) | 1
    }
}

impl SampleValue for u32 {
    fn sample(field: &str) -> Self {
        u64::sample(field) as u32 | 1
    }
}

impl SampleValue for u16 {
    fn sample(field: &str) -> Self {
        u64::sample(field) as u16 | 1
    }
}

impl SampleValue for alloy_primitives::aliases::U48 {
    fn sample(field: &str) -> Self {
        alloy_primitives::aliases::U48::from(u64::sample(field) & 0xffff_ffff_ffff) | Self::from(1)
    }
}

impl SampleValue for u8 {
    fn sample(field: &str) -> Self {
        sample_seed(field)[0] | 1
    }
}

impl SampleValue for bool {
    fn sample(_field: &str) -> Self {
        true
    }
}

impl SampleValue for U256 {
    fn sample(field: &str) -> Self {
        U256::from_be_bytes(sample_seed(field)) | U256::from(1)
    }
}

impl SampleValue for I256 {
    fn sample(field: &str) -> Self {
        I256::from_raw(U256::sample(field))
    }
}

impl SampleValue for Address {
    fn sample(field: &str) -> Self {
        Address::from_slice(&sample_seed(field)[..20])
    }
}

impl SampleValue for B256 {
    fn sample(field: &str) -> Self {
        B256::from(sample_seed(field))
    }
}

/// Revert data: the 4-byte `selector`, then one word per static field. The fields are passed
/// as trait objects so each error variant only lists references (no inlined conversions).
#[inline(never)]
pub fn revert_data(selector: [u8; 4], fields: &[&dyn AbiWord]) -> Vec<u8> {
    words_after(&selector, fields, 0)
}

/// `prefix`, then one ABI word per field, with room reserved for `extra` more bytes: the one
/// loop behind [`revert_data`] and the events emitted by reference
/// ([`emit_fields`](crate::emit::emit_fields)).
#[inline(never)]
pub fn words_after(prefix: &[u8], fields: &[&dyn AbiWord], extra: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len() + 32 * fields.len() + extra);
    out.extend_from_slice(prefix);
    for field in fields {
        out.extend_from_slice(field.abi_word().as_slice());
    }
    out
}

/// Calldata (or revert data) of a function whose arguments are all static: the 4-byte
/// `selector`, then `words`; [`revert_data`] for words already converted (a program uses one of
/// the two, whichever its call sites make smaller).
#[inline(never)]
pub fn encode_words(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for word in words {
        out.extend_from_slice(word.as_slice());
    }
    out
}

/// Declares a contract's error enum over `sol!` error structs: one variant per struct (named
/// like it), `From<Struct>` for each, `From<Enum> for Vec<u8>`, the `export-abi` error list, and
/// (under `cfg(test)`) `abi_encode_reference()` with the `SolError::abi_encode` bytes for
/// comparison and `samples()` with one value of every static variant. This is the one way the
/// contracts declare their errors.
///
/// Errors with static fields only list every field, in declaration order, and encode through the
/// shared [`revert_data`] (or, with `pub enum Error as words`, through [`encode_words`] with the
/// words converted in place, smaller in a program that encodes its calldata that way); the rare
/// error with a dynamic field (`bytes`, `string`) goes in the
/// optional `dynamic { .. }` list and encodes with its own `SolError::abi_encode`. The structs
/// must be in scope and the calling crate needs `extern crate alloc`.
///
/// ```ignore
/// agentdao_common::static_errors! {
///     /// Every error the contract raises.
///     pub enum Error {
///         /// See [`UnknownModel`].
///         UnknownModel { id },
///         /// Shared.
///         ZeroAddress {},
///     }
///     dynamic {
///         /// Carries the callee's revert data.
///         ExternalCallFailed,
///     }
/// }
/// ```
#[macro_export]
macro_rules! static_errors {
    // Static fields passed as trait objects to the shared `revert_data` (the smallest code when
    // a program has many errors of mixed field types).
    (@encode fields ; $e:ident ; $name:ident ; $($field:ident),*) => {
        $crate::revert::revert_data(
            <$name as $crate::revert::SolError>::SELECTOR,
            &[$( &$e.$field as &dyn $crate::revert::AbiWord ),*],
        )
    };
    // Static fields converted to words in place, for `encode_words` (the smallest code in a
    // program that encodes calldata with `encode_words` anyway).
    (@encode words ; $e:ident ; $name:ident ; $($field:ident),*) => {
        $crate::revert::encode_words(
            <$name as $crate::revert::SolError>::SELECTOR,
            &[$( $crate::revert::AbiWord::abi_word(&$e.$field) ),*],
        )
    };
    (
        $(#[$enum_meta:meta])*
        pub enum $enum:ident as words { $($body:tt)* }
        $($rest:tt)*
    ) => {
        $crate::static_errors!(@declare words ; $(#[$enum_meta])* pub enum $enum { $($body)* } $($rest)*);
    };
    (
        $(#[$enum_meta:meta])*
        pub enum $enum:ident { $($body:tt)* }
        $($rest:tt)*
    ) => {
        $crate::static_errors!(@declare fields ; $(#[$enum_meta])* pub enum $enum { $($body)* } $($rest)*);
    };
    (
        @declare $mode:tt ;
        $(#[$enum_meta:meta])*
        pub enum $enum:ident {
            $( $(#[$doc:meta])* $name:ident { $($field:ident),* $(,)? } ),* $(,)?
        }
        $( dynamic { $( $(#[$ddoc:meta])* $dname:ident ),* $(,)? } )?
        $( also_export { $($extra:ty),* $(,)? } )?
    ) => {
        $(#[$enum_meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $enum {
            $( $(#[$doc])* $name($name), )*
            $($( $(#[$ddoc])* $dname($dname), )*)?
        }

        $(
            impl From<$name> for $enum {
                fn from(value: $name) -> Self {
                    $enum::$name(value)
                }
            }
        )*
        $($(
            impl From<$dname> for $enum {
                fn from(value: $dname) -> Self {
                    $enum::$dname(value)
                }
            }
        )*)?

        impl From<$enum> for alloc::vec::Vec<u8> {
            fn from(err: $enum) -> alloc::vec::Vec<u8> {
                match err {
                    $(
                        $enum::$name(_e) => $crate::static_errors!(
                            @encode $mode ; _e ; $name ; $($field),*
                        ),
                    )*
                    $($( $enum::$dname(e) => $crate::revert::SolError::abi_encode(&e), )*)?
                }
            }
        }

        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for $enum {
            fn inner_types() -> alloc::vec::Vec<stylus_sdk::abi::export::internal::InnerType> {
                #[allow(unused_mut)]
                let mut types = alloc::vec::Vec::new();
                // Types the SDK's export does not reach by itself (e.g. a struct returned
                // inside a tuple) are listed here so the interface defines them.
                $($(
                    types.extend(
                        <$extra as stylus_sdk::abi::export::internal::InnerTypes>::inner_types(),
                    );
                )*)?
                types.extend([$(
                    stylus_sdk::abi::export::internal::InnerType {
                        name: alloc::format!(
                            "error {};",
                            <$name as $crate::revert::SolError>::SIGNATURE.replace(',', ", ")
                        ),
                        id: core::any::TypeId::of::<$name>(),
                    }
                ),*]);
                $(types.extend([$(
                    stylus_sdk::abi::export::internal::InnerType {
                        name: alloc::format!(
                            "error {};",
                            <$dname as $crate::revert::SolError>::SIGNATURE.replace(',', ", ")
                        ),
                        id: core::any::TypeId::of::<$dname>(),
                    }
                ),*]);)?
                types
            }
        }

        #[cfg(test)]
        impl $enum {
            /// The revert data `#[derive(SolidityError)]` would produce (`SolError::abi_encode`
            /// of the wrapped struct), to check the compact encoding against.
            pub fn abi_encode_reference(&self) -> alloc::vec::Vec<u8> {
                match self {
                    $( $enum::$name(e) => $crate::revert::SolError::abi_encode(e), )*
                    $($( $enum::$dname(e) => $crate::revert::SolError::abi_encode(e), )*)?
                }
            }

            /// Checks that every static variant's compact revert data is exactly
            /// `abi_encode_reference()` and that no two errors share a selector; returns the
            /// number of variants checked.
            pub fn assert_compact_encoding() -> usize {
                let mut selectors = alloc::vec::Vec::new();
                for error in Self::samples() {
                    let reference = error.abi_encode_reference();
                    assert_eq!(alloc::vec::Vec::<u8>::from(error.clone()), reference, "{error:?}");
                    assert!(!selectors.contains(&reference[..4].to_vec()), "{error:?}");
                    selectors.push(reference[..4].to_vec());
                }
                selectors.len()
            }

            /// One value of every variant, each field a distinctive
            /// [`SampleValue`]($crate::revert::SampleValue).
            pub fn samples() -> alloc::vec::Vec<Self> {
                alloc::vec![$(
                    $enum::$name($name {
                        $( $field: $crate::revert::SampleValue::sample(stringify!($field)) ),*
                    }),
                )*]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use alloy_sol_types::sol;

    sol! {
        #[derive(Debug, PartialEq, Eq)]
        error Mixed(address who, uint256 amount, int256 delta, bytes32 tag, uint64 at, uint8 code, bool flag);
        #[derive(Debug, PartialEq, Eq)]
        error Bare();
        #[derive(Debug, PartialEq, Eq)]
        error WithBytes(address who, bytes data);
    }

    crate::static_errors! {
        /// Test enum.
        pub enum TestError {
            /// Many field types.
            Mixed { who, amount, delta, tag, at, code, flag },
            /// No fields.
            Bare {},
        }
        dynamic {
            /// A dynamic field.
            WithBytes,
        }
    }

    crate::static_errors! {
        /// The same errors, encoded through `encode_words`.
        pub enum WordsError as words {
            /// Many field types.
            Mixed { who, amount, delta, tag, at, code, flag },
            /// No fields.
            Bare {},
        }
        dynamic {
            /// A dynamic field.
            WithBytes,
        }
    }

    #[test]
    fn both_encodings_give_the_same_bytes() {
        for error in WordsError::samples() {
            assert_eq!(
                Vec::<u8>::from(error.clone()),
                error.abi_encode_reference(),
                "{error:?}"
            );
        }
        assert_eq!(WordsError::samples().len(), 2);
        let with_bytes = WithBytes {
            who: Address::repeat_byte(1),
            data: alloy_primitives::Bytes::from(std::vec![7u8; 40]),
        };
        assert_eq!(
            Vec::<u8>::from(WordsError::from(with_bytes.clone())),
            Vec::<u8>::from(TestError::from(with_bytes))
        );
    }

    #[test]
    fn words_match_the_sol_encoding() {
        let samples = [
            TestError::from(Mixed {
                who: Address::repeat_byte(0xab),
                amount: U256::MAX - U256::from(5),
                delta: I256::try_from(-12_345i64).unwrap(),
                tag: B256::repeat_byte(0x17),
                at: u64::MAX - 1,
                code: 200,
                flag: true,
            }),
            TestError::from(Mixed {
                who: Address::ZERO,
                amount: U256::ZERO,
                delta: I256::try_from(7i64).unwrap(),
                tag: B256::ZERO,
                at: 0,
                code: 0,
                flag: false,
            }),
            TestError::from(Bare {}),
            TestError::from(WithBytes {
                who: Address::repeat_byte(0x5e),
                data: alloy_primitives::Bytes::from(std::vec![0xee; 37]),
            }),
        ];
        for error in samples.into_iter().chain(TestError::samples()) {
            let reference = error.abi_encode_reference();
            assert_eq!(Vec::<u8>::from(error.clone()), reference, "{error:?}");
        }
        assert_eq!(TestError::samples().len(), 2, "one sample per variant");
        assert_eq!(
            Vec::<u8>::from(TestError::from(Bare {})),
            Bare::SELECTOR.to_vec()
        );
    }
}
