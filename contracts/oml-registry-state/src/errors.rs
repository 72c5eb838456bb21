//! The registry's error enum (compact revert encoding through `agentdao_common::static_errors!`).
//!
//! Every variant wraps a typed Solidity custom error from [`crate::sol`] or the shared
//! `agentdao_common::errors`, exactly as `#[derive(SolidityError)]` would declare it; a unit test
//! checks every variant's bytes against `SolError::abi_encode` of the wrapped struct.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};

use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::extension::NotDelegated;

use crate::sol::*;

agentdao_common::static_errors! {
    /// Every error the registry can raise.
    pub enum Error {
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
        /// See [`sol::WrongProofLength`](crate::sol::WrongProofLength).
        WrongProofLength { index, length, depth },
        /// See [`sol::FingerprintIsRoot`](crate::sol::FingerprintIsRoot).
        FingerprintIsRoot { index },
        /// See [`sol::ProverIsParty`](crate::sol::ProverIsParty).
        ProverIsParty { licenseId, prover },
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
        /// See [`sol::DisputeOpen`](crate::sol::DisputeOpen).
        DisputeOpen { resolveBy },
        /// See [`sol::ResolutionDeadlinePassed`](crate::sol::ResolutionDeadlinePassed).
        ResolutionDeadlinePassed { resolveBy },
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
        /// Shared: the extension program was called at its own address, not through the core.
        NotDelegated {},
    }
    // `Terms` reaches the interface only inside `model()`'s return tuple, which the
    // SDK's export does not walk: listed so the ABI defines the struct.
    also_export { crate::sol::Terms }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_encodes_like_its_sol_error() {
        let all = Error::samples();
        assert_eq!(all.len(), 40);
        let mut selectors = std::collections::HashSet::new();
        for error in all {
            let expected = error.abi_encode_reference();
            assert_eq!(Vec::<u8>::from(error.clone()), expected, "{error:?}");
            assert!(selectors.insert(expected[..4].to_vec()), "{error:?}");
        }
    }
}
