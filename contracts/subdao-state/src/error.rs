//! The SubDAO's error type, declared like every contract's with
//! `agentdao_common::static_errors!` (compact revert data through one shared encoder; a test
//! compares every variant with alloy's encoding).

use agentdao_common::ecdsa::{ECDSAInvalidSignature, ECDSAInvalidSignatureS};
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::extension::NotDelegated;
pub use agentdao_common::revert::encode_words;

use crate::sol::*;

agentdao_common::static_errors! {
    /// Every error the SubDAO raises; each variant wraps the Solidity error of its name.
    pub enum Error as words {
        /// See [`InvalidProposalLength`].
        InvalidProposalLength { targets, values, calldatas },
        /// See [`ProposalAlreadyExists`].
        ProposalAlreadyExists { proposalId },
        /// See [`NonexistentProposal`].
        NonexistentProposal { proposalId },
        /// See [`UnexpectedProposalState`].
        UnexpectedProposalState { proposalId, current, expectedStates },
        /// See [`ProposerBelowThreshold`].
        ProposerBelowThreshold { proposer, votes, threshold },
        /// See [`InvalidVoteType`].
        InvalidVoteType { support },
        /// See [`AlreadyVoted`].
        AlreadyVoted { proposalId, voter },
        /// See [`NoVotingPower`].
        NoVotingPower { voter, timepoint },
        /// See [`InvalidSigner`].
        InvalidSigner { signer, voter },
        /// See [`TimelockNotElapsed`].
        TimelockNotElapsed { proposalId, eta },
        /// See [`ActionFailed`].
        ActionFailed { proposalId, index },
        /// See [`InvalidDuration`].
        InvalidDuration { value, max },
        /// See [`ModelNotBetter`].
        ModelNotBetter { modelId, rating, championRating },
        /// See [`ECDSAInvalidSignature`].
        ECDSAInvalidSignature {},
        /// See [`ECDSAInvalidSignatureS`].
        ECDSAInvalidSignatureS { s },
        /// See [`Unauthorized`].
        Unauthorized { caller, required },
        /// See [`ZeroAddress`].
        ZeroAddress {},
        /// See [`NotPendingGovernance`].
        NotPendingGovernance { caller, pending },
        /// See [`ReentrantCall`].
        ReentrantCall {},
        /// See [`ArithmeticOverflow`].
        ArithmeticOverflow {},
        /// See [`BpsOutOfRange`].
        BpsOutOfRange { value, max },
        /// See [`NotDelegated`].
        NotDelegated {},
        /// See [`GovernorRestrictedProposer`].
        GovernorRestrictedProposer { proposer },
    }
    dynamic {
        /// See [`ExternalCallFailed`].
        ExternalCallFailed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, Bytes, B256, I256, U256};

    /// One sample of every variant, with every field non-trivial (high bits set where the
    /// type allows, to catch a wrong width or padding).
    fn samples() -> Vec<Error> {
        let id = U256::MAX - U256::from(7);
        let a = Address::repeat_byte(0xa1);
        let b = Address::repeat_byte(0xb2);
        vec![
            Error::InvalidProposalLength(InvalidProposalLength {
                targets: U256::from(1),
                values: U256::from(2),
                calldatas: U256::from(3),
            }),
            Error::ProposalAlreadyExists(ProposalAlreadyExists { proposalId: id }),
            Error::NonexistentProposal(NonexistentProposal { proposalId: id }),
            Error::UnexpectedProposalState(UnexpectedProposalState {
                proposalId: id,
                current: 255,
                expectedStates: B256::repeat_byte(0x80),
            }),
            Error::ProposerBelowThreshold(ProposerBelowThreshold {
                proposer: a,
                votes: U256::from(5),
                threshold: U256::MAX,
            }),
            Error::InvalidVoteType(InvalidVoteType { support: 200 }),
            Error::AlreadyVoted(AlreadyVoted {
                proposalId: id,
                voter: a,
            }),
            Error::NoVotingPower(NoVotingPower {
                voter: b,
                timepoint: u64::MAX,
            }),
            Error::InvalidSigner(InvalidSigner {
                signer: a,
                voter: b,
            }),
            Error::TimelockNotElapsed(TimelockNotElapsed {
                proposalId: id,
                eta: u64::MAX - 1,
            }),
            Error::ActionFailed(ActionFailed {
                proposalId: id,
                index: U256::from(9),
            }),
            Error::InvalidDuration(InvalidDuration {
                value: u64::MAX,
                max: 86_400,
            }),
            Error::ModelNotBetter(ModelNotBetter {
                modelId: id,
                rating: I256::MINUS_ONE,
                championRating: I256::MIN,
            }),
            Error::ExternalCallFailed(ExternalCallFailed {
                target: a,
                reason: Bytes::from(vec![0xee; 37]),
            }),
            Error::ECDSAInvalidSignature(ECDSAInvalidSignature {}),
            Error::ECDSAInvalidSignatureS(ECDSAInvalidSignatureS {
                s: B256::repeat_byte(0xff),
            }),
            Error::Unauthorized(Unauthorized {
                caller: a,
                required: b,
            }),
            Error::ZeroAddress(ZeroAddress {}),
            Error::NotPendingGovernance(NotPendingGovernance {
                caller: b,
                pending: Address::ZERO,
            }),
            Error::ReentrantCall(ReentrantCall {}),
            Error::ArithmeticOverflow(ArithmeticOverflow {}),
            Error::BpsOutOfRange(BpsOutOfRange {
                value: U256::MAX,
                max: U256::from(10_000),
            }),
            Error::NotDelegated(NotDelegated {}),
            Error::GovernorRestrictedProposer(GovernorRestrictedProposer { proposer: b }),
        ]
    }

    #[test]
    fn every_variant_encodes_as_alloy_does() {
        let samples = samples();
        assert_eq!(samples.len(), 24, "one sample per variant");
        // The hand-picked extremes, then the macro's distinctive value per field name.
        for err in samples.into_iter().chain(Error::samples()) {
            let want = err.abi_encode_reference();
            let got: Vec<u8> = err.into();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn conversions_wrap_the_struct() {
        assert_eq!(
            Error::from(ZeroAddress {}),
            Error::ZeroAddress(ZeroAddress {})
        );
        let e = InvalidVoteType { support: 3 };
        assert_eq!(Error::from(e.clone()), Error::InvalidVoteType(e));
    }
}
