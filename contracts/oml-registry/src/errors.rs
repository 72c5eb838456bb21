//! The registry's error enum and its revert-data encoding.
//!
//! Every variant wraps a typed Solidity custom error from [`crate::sol`] or the shared
//! `agentdao_common::errors`, exactly as `#[derive(SolidityError)]` would declare it. The derive
//! encodes each variant with its own generic ABI encoder (about 150 bytes of wasm per error, 5 KB
//! for this contract); all these errors have only static fields, so here one shared function
//! writes the selector and the fields' 32-byte words. A unit test checks every variant's bytes
//! against `SolError::abi_encode` of the wrapped struct, so the two cannot drift.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolError;

use agentdao_common::emit::word;
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};

use crate::sol::*;

/// A static Solidity value as its 32-byte ABI word.
trait AbiWord {
    /// The ABI encoding of `self` (big-endian, left-padded).
    fn abi_word(&self) -> B256;
}

impl AbiWord for u64 {
    fn abi_word(&self) -> B256 {
        word(*self)
    }
}

impl AbiWord for u8 {
    fn abi_word(&self) -> B256 {
        word(u64::from(*self))
    }
}

impl AbiWord for U256 {
    fn abi_word(&self) -> B256 {
        B256::from(*self)
    }
}

impl AbiWord for Address {
    fn abi_word(&self) -> B256 {
        self.into_word()
    }
}

/// A 4-byte selector followed by static ABI words: the revert data of an error with static
/// fields, or the calldata of a call with static arguments.
#[inline(never)]
pub(crate) fn selector_and_words(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for w in words {
        out.extend_from_slice(w.as_slice());
    }
    out
}

/// Declares [`Error`] with one variant per listed error struct (named like it), the `From`
/// conversions, the revert encoding and, for `export-abi`, the error list of the interface.
macro_rules! registry_errors {
    ($( $(#[$doc:meta])* $name:ident { $($field:ident),* } ),* $(,)?) => {
        /// Every error the registry can raise.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Error {
            $( $(#[$doc])* $name($name), )*
        }

        $(
            impl From<$name> for Error {
                fn from(value: $name) -> Self {
                    Error::$name(value)
                }
            }
        )*

        impl From<Error> for Vec<u8> {
            fn from(err: Error) -> Vec<u8> {
                match err {
                    $(
                        Error::$name(_e) => selector_and_words(
                            <$name as SolError>::SELECTOR,
                            &[$( _e.$field.abi_word() ),*],
                        ),
                    )*
                }
            }
        }

        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::internal::InnerTypes for Error {
            fn inner_types() -> Vec<stylus_sdk::abi::export::internal::InnerType> {
                use alloc::format;
                use core::any::TypeId;
                use stylus_sdk::abi::export::internal::{InnerType, InnerTypes};
                // `Terms` reaches the interface only inside `model()`'s return tuple, which the
                // SDK's export does not walk: list its struct here so the ABI defines it.
                let mut types = <crate::sol::Terms as InnerTypes>::inner_types();
                types.extend([$(
                    InnerType {
                        name: format!(
                            "error {};",
                            <$name as SolError>::SIGNATURE.replace(',', ", ")
                        ),
                        id: TypeId::of::<$name>(),
                    }
                ),*]);
                types
            }
        }

        /// One value of every variant, for the encoding test.
        #[cfg(test)]
        pub(crate) fn samples() -> Vec<(Error, Vec<u8>)> {
            fn sample<T: SolError + Clone + Into<Error>>(e: T) -> (Error, Vec<u8>) {
                (e.clone().into(), e.abi_encode())
            }
            vec![$(
                sample($name { $( $field: test_value::Sample::sample(stringify!($field)) ),* }),
            )*]
        }
    };
}

registry_errors! {
    /// See [`sol::UnknownModel`](crate::sol::UnknownModel).
    UnknownModel { modelId },
    /// See [`sol::UnknownLicense`](crate::sol::UnknownLicense).
    UnknownLicense { licenseId },
    /// See [`sol::UnknownClaim`](crate::sol::UnknownClaim).
    UnknownClaim { claimId },
    /// See [`sol::UnknownVersion`](crate::sol::UnknownVersion).
    UnknownVersion { modelId, version },
    /// See [`sol::NotPendingOwner`](crate::sol::NotPendingOwner).
    NotPendingOwner { modelId, caller, pending },
    /// See [`sol::FeeSplitNotExact`](crate::sol::FeeSplitNotExact).
    FeeSplitNotExact { sum },
    /// See [`sol::DepthAboveCap`](crate::sol::DepthAboveCap).
    DepthAboveCap { depth, cap },
    /// See [`sol::ZeroCollateral`](crate::sol::ZeroCollateral).
    ZeroCollateral {},
    /// See [`sol::ZeroClaimBond`](crate::sol::ZeroClaimBond).
    ZeroClaimBond {},
    /// See [`sol::InvalidPeriods`](crate::sol::InvalidPeriods).
    InvalidPeriods { challengeWindow, cooldown },
    /// See [`sol::WrongPayment`](crate::sol::WrongPayment).
    WrongPayment { expected, received },
    /// See [`sol::TransferFailed`](crate::sol::TransferFailed).
    TransferFailed { asset, account, amount },
    /// See [`sol::ZeroAmount`](crate::sol::ZeroAmount).
    ZeroAmount {},
    /// See [`sol::InvalidLicenseState`](crate::sol::InvalidLicenseState).
    InvalidLicenseState { licenseId, state },
    /// See [`sol::FingerprintAlreadySet`](crate::sol::FingerprintAlreadySet).
    FingerprintAlreadySet { licenseId },
    /// See [`sol::FingerprintNotSet`](crate::sol::FingerprintNotSet).
    FingerprintNotSet { licenseId },
    /// See [`sol::ZeroRoot`](crate::sol::ZeroRoot).
    ZeroRoot {},
    /// See [`sol::InvalidClaimKind`](crate::sol::InvalidClaimKind).
    InvalidClaimKind { kind },
    /// See [`sol::InvalidEvidence`](crate::sol::InvalidEvidence).
    InvalidEvidence { leaves, proofs },
    /// See [`sol::LeavesNotAscending`](crate::sol::LeavesNotAscending).
    LeavesNotAscending { index },
    /// See [`sol::InvalidProof`](crate::sol::InvalidProof).
    InvalidProof { index },
    /// See [`sol::NothingUnpaid`](crate::sol::NothingUnpaid).
    NothingUnpaid { observed, reported },
    /// See [`sol::ClaimPending`](crate::sol::ClaimPending).
    ClaimPending { licenseId, claimId },
    /// See [`sol::InvalidClaimState`](crate::sol::InvalidClaimState).
    InvalidClaimState { claimId, state },
    /// See [`sol::ChallengeWindowOpen`](crate::sol::ChallengeWindowOpen).
    ChallengeWindowOpen { deadline },
    /// See [`sol::ChallengeWindowClosed`](crate::sol::ChallengeWindowClosed).
    ChallengeWindowClosed { deadline },
    /// See [`sol::CooldownActive`](crate::sol::CooldownActive).
    CooldownActive { releaseAt },
    /// See [`sol::NothingToWithdraw`](crate::sol::NothingToWithdraw).
    NothingToWithdraw { asset, payee },
    /// Shared: caller lacks the role.
    Unauthorized { caller, required },
    /// Shared: a zero address where one is required.
    ZeroAddress {},
    /// Shared: wrong governance nominee.
    NotPendingGovernance { caller, pending },
    /// Shared: re-entered a guarded function.
    ReentrantCall {},
    /// Shared: checked arithmetic failed.
    ArithmeticOverflow {},
    /// Shared: a basis-point value above its bound.
    BpsOutOfRange { value, max },
}

#[cfg(test)]
mod test_value {
    use alloy_primitives::{keccak256, Address, U256};

    /// A distinctive non-zero value per field name, so a swapped or dropped field shows.
    pub trait Sample {
        fn sample(field: &str) -> Self;
    }

    fn seed(field: &str) -> [u8; 32] {
        keccak256(field.as_bytes()).0
    }

    impl Sample for u64 {
        fn sample(field: &str) -> Self {
            u64::from_be_bytes(seed(field)[..8].try_into().unwrap()) | 1
        }
    }

    impl Sample for u8 {
        fn sample(field: &str) -> Self {
            seed(field)[0] | 1
        }
    }

    impl Sample for U256 {
        fn sample(field: &str) -> Self {
            U256::from_be_bytes(seed(field)) | U256::from(1)
        }
    }

    impl Sample for Address {
        fn sample(field: &str) -> Self {
            Address::from_slice(&seed(field)[..20])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_encodes_like_its_sol_error() {
        let all = samples();
        assert_eq!(all.len(), 34);
        for (error, expected) in all {
            let selector: [u8; 4] = expected[..4].try_into().unwrap();
            assert_eq!(Vec::<u8>::from(error.clone()), expected, "{error:?}");
            assert!(expected.len() >= 4 && (expected.len() - 4) % 32 == 0);
            assert_ne!(selector, [0; 4]);
        }
    }
}
