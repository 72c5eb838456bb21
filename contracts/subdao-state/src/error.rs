//! The SubDAO's error type and its revert encoding.
//!
//! `#[derive(SolidityError)]` encodes each variant with its own generic
//! `SolError::abi_encode` instance, about 150 bytes of wasm per variant. Every SubDAO error but
//! one has only static fields, so here each variant is written as its selector and argument
//! words and one shared function lays them out: the same bytes (a test compares every variant
//! with alloy's encoding) for a fraction of the code. The derive is still used when exporting
//! the ABI, so the errors appear in `abi/SubDao.json`.
use alloc::vec::Vec;
use alloy_primitives::B256;
#[cfg(not(feature = "export-abi"))]
use alloy_sol_types::SolError;

use agentdao_common::ecdsa::{ECDSAInvalidSignature, ECDSAInvalidSignatureS};
#[cfg(not(feature = "export-abi"))]
use agentdao_common::emit::word;
use agentdao_common::errors::{
    ArithmeticOverflow, BpsOutOfRange, NotPendingGovernance, ReentrantCall, Unauthorized,
    ZeroAddress,
};
use agentdao_common::extension::NotDelegated;
#[cfg(feature = "export-abi")]
use stylus_sdk::prelude::SolidityError;

use crate::sol::*;

/// `selector ‖ words`: the ABI encoding of an error (or a call) whose arguments are all static
/// words.
pub fn encode_words(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut data = Vec::with_capacity(4 + 32 * words.len());
    data.extend_from_slice(&selector);
    for word in words {
        data.extend_from_slice(word.as_slice());
    }
    data
}

/// Declares [`Error`] with one variant per error struct, its `From` conversions, and its
/// revert encoding from each variant's argument words.
macro_rules! errors {
    ($($name:ident => |$e:ident| $encode:expr,)*) => {
        /// Every error the SubDAO raises; each variant wraps the Solidity error of its name.
        #[cfg_attr(feature = "export-abi", derive(SolidityError))]
        #[derive(Debug, PartialEq)]
        pub enum Error {
            $(
                #[doc = concat!("See [`", stringify!($name), "`].")]
                $name($name),
            )*
        }

        $(
            #[cfg(not(feature = "export-abi"))]
            impl From<$name> for Error {
                fn from(value: $name) -> Self {
                    Error::$name(value)
                }
            }
        )*

        /// The revert data: the error's selector and ABI-encoded arguments.
        #[cfg(not(feature = "export-abi"))]
        impl From<Error> for Vec<u8> {
            fn from(err: Error) -> Self {
                match err {
                    $(Error::$name($e) => $encode,)*
                }
            }
        }
    };
}

errors! {
    InvalidProposalLength => |e| encode_words(
        InvalidProposalLength::SELECTOR,
        &[e.targets.into(), e.values.into(), e.calldatas.into()],
    ),
    ProposalAlreadyExists => |e| encode_words(
        ProposalAlreadyExists::SELECTOR,
        &[e.proposalId.into()],
    ),
    NonexistentProposal => |e| encode_words(NonexistentProposal::SELECTOR, &[e.proposalId.into()]),
    UnexpectedProposalState => |e| encode_words(
        UnexpectedProposalState::SELECTOR,
        &[e.proposalId.into(), word(e.current.into()), e.expectedStates],
    ),
    ProposerBelowThreshold => |e| encode_words(
        ProposerBelowThreshold::SELECTOR,
        &[e.proposer.into_word(), e.votes.into(), e.threshold.into()],
    ),
    InvalidVoteType => |e| encode_words(InvalidVoteType::SELECTOR, &[word(e.support.into())]),
    AlreadyVoted => |e| encode_words(
        AlreadyVoted::SELECTOR,
        &[e.proposalId.into(), e.voter.into_word()],
    ),
    NoVotingPower => |e| encode_words(
        NoVotingPower::SELECTOR,
        &[e.voter.into_word(), word(e.timepoint)],
    ),
    InvalidSigner => |e| encode_words(
        InvalidSigner::SELECTOR,
        &[e.signer.into_word(), e.voter.into_word()],
    ),
    TimelockNotElapsed => |e| encode_words(
        TimelockNotElapsed::SELECTOR,
        &[e.proposalId.into(), word(e.eta)],
    ),
    ActionFailed => |e| encode_words(
        ActionFailed::SELECTOR,
        &[e.proposalId.into(), e.index.into()],
    ),
    InvalidDuration => |e| encode_words(
        InvalidDuration::SELECTOR,
        &[word(e.value), word(e.max)],
    ),
    ModelNotBetter => |e| encode_words(
        ModelNotBetter::SELECTOR,
        &[e.modelId.into(), e.rating.into_raw().into(), e.championRating.into_raw().into()],
    ),
    ExternalCallFailed => |e| e.abi_encode(),
    ECDSAInvalidSignature => |_e| encode_words(ECDSAInvalidSignature::SELECTOR, &[]),
    ECDSAInvalidSignatureS => |e| encode_words(ECDSAInvalidSignatureS::SELECTOR, &[e.s]),
    Unauthorized => |e| encode_words(
        Unauthorized::SELECTOR,
        &[e.caller.into_word(), e.required.into_word()],
    ),
    ZeroAddress => |_e| encode_words(ZeroAddress::SELECTOR, &[]),
    NotPendingGovernance => |e| encode_words(
        NotPendingGovernance::SELECTOR,
        &[e.caller.into_word(), e.pending.into_word()],
    ),
    ReentrantCall => |_e| encode_words(ReentrantCall::SELECTOR, &[]),
    ArithmeticOverflow => |_e| encode_words(ArithmeticOverflow::SELECTOR, &[]),
    BpsOutOfRange => |e| encode_words(BpsOutOfRange::SELECTOR, &[e.value.into(), e.max.into()]),
    NotDelegated => |_e| encode_words(NotDelegated::SELECTOR, &[]),
    GovernorRestrictedProposer => |e| encode_words(
        GovernorRestrictedProposer::SELECTOR,
        &[e.proposer.into_word()],
    ),
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, Bytes, I256, U256};
    use alloy_sol_types::SolError;

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

    /// Alloy's encoding of the wrapped error (an exhaustive match: a new variant must be added
    /// here and to [`samples`]).
    fn alloy_encoding(err: &Error) -> Vec<u8> {
        match err {
            Error::InvalidProposalLength(e) => e.abi_encode(),
            Error::ProposalAlreadyExists(e) => e.abi_encode(),
            Error::NonexistentProposal(e) => e.abi_encode(),
            Error::UnexpectedProposalState(e) => e.abi_encode(),
            Error::ProposerBelowThreshold(e) => e.abi_encode(),
            Error::InvalidVoteType(e) => e.abi_encode(),
            Error::AlreadyVoted(e) => e.abi_encode(),
            Error::NoVotingPower(e) => e.abi_encode(),
            Error::InvalidSigner(e) => e.abi_encode(),
            Error::TimelockNotElapsed(e) => e.abi_encode(),
            Error::ActionFailed(e) => e.abi_encode(),
            Error::InvalidDuration(e) => e.abi_encode(),
            Error::ModelNotBetter(e) => e.abi_encode(),
            Error::ExternalCallFailed(e) => e.abi_encode(),
            Error::ECDSAInvalidSignature(e) => e.abi_encode(),
            Error::ECDSAInvalidSignatureS(e) => e.abi_encode(),
            Error::Unauthorized(e) => e.abi_encode(),
            Error::ZeroAddress(e) => e.abi_encode(),
            Error::NotPendingGovernance(e) => e.abi_encode(),
            Error::ReentrantCall(e) => e.abi_encode(),
            Error::ArithmeticOverflow(e) => e.abi_encode(),
            Error::BpsOutOfRange(e) => e.abi_encode(),
            Error::NotDelegated(e) => e.abi_encode(),
            Error::GovernorRestrictedProposer(e) => e.abi_encode(),
        }
    }

    #[test]
    fn every_variant_encodes_as_alloy_does() {
        let samples = samples();
        assert_eq!(samples.len(), 24, "one sample per variant");
        for err in samples {
            let want = alloy_encoding(&err);
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
