//! Compact revert data for error enums whose errors have only static fields.
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

/// A static Solidity value as its 32-byte ABI word.
pub trait AbiWord {
    /// The ABI encoding of `self` (big-endian, left-padded; sign-extended for `int256`).
    fn abi_word(&self) -> B256;
}

impl AbiWord for u64 {
    fn abi_word(&self) -> B256 {
        B256::from(U256::from_limbs([*self, 0, 0, 0]))
    }
}

impl AbiWord for alloy_primitives::aliases::U48 {
    fn abi_word(&self) -> B256 {
        B256::from(U256::from(*self))
    }
}

impl AbiWord for u32 {
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for u8 {
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for bool {
    fn abi_word(&self) -> B256 {
        u64::from(*self).abi_word()
    }
}

impl AbiWord for U256 {
    fn abi_word(&self) -> B256 {
        B256::from(*self)
    }
}

impl AbiWord for I256 {
    fn abi_word(&self) -> B256 {
        B256::from(self.into_raw())
    }
}

impl AbiWord for Address {
    fn abi_word(&self) -> B256 {
        self.into_word()
    }
}

impl AbiWord for B256 {
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
    let mut out = Vec::with_capacity(4 + 32 * fields.len());
    out.extend_from_slice(&selector);
    for field in fields {
        out.extend_from_slice(field.abi_word().as_slice());
    }
    out
}

/// Declares a contract's error enum over `sol!` error structs with static fields only: one
/// variant per struct (named like it), `From<Struct>` for each, `From<Enum> for Vec<u8>` through
/// [`revert_data`], the `export-abi` error list, and (under `cfg(test)`)
/// `abi_encode_reference()` with the `SolError::abi_encode` bytes for comparison. List every
/// field of each struct, in declaration order; the structs must be in scope and the calling
/// crate needs `extern crate alloc`.
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
/// }
/// ```
#[macro_export]
macro_rules! static_errors {
    (
        $(#[$enum_meta:meta])*
        pub enum $enum:ident {
            $( $(#[$doc:meta])* $name:ident { $($field:ident),* $(,)? } ),* $(,)?
        }
        $( also_export { $($extra:ty),* $(,)? } )?
    ) => {
        $(#[$enum_meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum $enum {
            $( $(#[$doc])* $name($name), )*
        }

        $(
            impl From<$name> for $enum {
                fn from(value: $name) -> Self {
                    $enum::$name(value)
                }
            }
        )*

        impl From<$enum> for alloc::vec::Vec<u8> {
            fn from(err: $enum) -> alloc::vec::Vec<u8> {
                match err {
                    $(
                        $enum::$name(_e) => $crate::revert::revert_data(
                            <$name as $crate::revert::SolError>::SELECTOR,
                            &[$( &_e.$field as &dyn $crate::revert::AbiWord ),*],
                        ),
                    )*
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
                }
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
    }

    crate::static_errors! {
        /// Test enum.
        pub enum TestError {
            /// Many field types.
            Mixed { who, amount, delta, tag, at, code, flag },
            /// No fields.
            Bare {},
        }
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
