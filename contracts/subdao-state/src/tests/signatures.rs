//! castVoteBySig with real secp256k1 keys; the ecrecover precompile is emulated by the host.
use alloy_primitives::{Address, Signature, B256, U256};
use alloy_sol_types::{eip712_domain, Eip712Domain, SolStruct};
use k256::ecdsa::SigningKey;

use super::*;
use crate::ballot::DOMAIN_NAME;
use crate::*;

alloy_sol_types::sol! {
    struct Ballot { uint256 proposalId; uint8 support; address voter; uint256 nonce; }
}

/// secp256k1 group order.
const N: U256 = U256::from_limbs([
    0xbfd2_5e8c_d036_4141,
    0xbaae_dce6_af48_a03b,
    0xffff_ffff_ffff_fffe,
    0xffff_ffff_ffff_ffff,
]);

fn key(seed: u8) -> (SigningKey, Address) {
    let key = SigningKey::from_bytes(&[seed; 32].into()).unwrap();
    let address = Address::from_public_key(key.verifying_key());
    (key, address)
}

fn domain(env: &Env) -> Eip712Domain {
    eip712_domain! {
        name: DOMAIN_NAME,
        version: "1",
        chain_id: env.host.vm.chain_id(),
        verifying_contract: DAO,
    }
}

fn digest(env: &Env, id: U256, support: u8, voter: Address, nonce: u64) -> B256 {
    let ballot = Ballot {
        proposalId: id,
        support,
        voter,
        nonce: U256::from(nonce),
    };
    ballot.eip712_signing_hash(&domain(env))
}

fn sign(key: &SigningKey, digest: B256) -> Vec<u8> {
    let (sig, recid) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut out = sig.to_bytes().to_vec();
    out.push(27 + recid.to_byte());
    out
}

fn recovered(signature: &[u8], digest: B256) -> Address {
    Signature::from_raw(signature)
        .unwrap()
        .recover_address_from_prehash(&digest)
        .unwrap()
}

/// A proposal in its voting window, and a validator key with 250 votes at the snapshot.
fn voting() -> (Env, U256, SigningKey, Address) {
    let mut env = Env::new();
    let id = env.propose_tax(50);
    env.open_voting(id);
    let (key, voter) = key(7);
    env.power(voter, env.snapshot(id), 250);
    (env, id, key, voter)
}

#[test]
fn domain_separator_is_eip712() {
    let env = Env::new();
    assert_eq!(env.dao.domain_separator(), domain(&env).separator());
}

#[test]
fn signed_vote_counts_for_the_signer_and_uses_the_nonce() {
    let (mut env, id, key, voter) = voting();
    let signature = sign(&key, digest(&env, id, 1, voter, 0));
    env.from(EVE); // a relayer
    let weight = env
        .dao
        .cast_vote_by_sig(id, 1, voter, signature.into())
        .unwrap();
    assert_eq!(weight, u(250));
    assert_eq!(env.dao.nonces(voter), u(1));
    assert!(env.dao.has_voted(id, voter));
    assert!(!env.dao.has_voted(id, EVE));
    assert_eq!(env.votes(id).1, u(250));
    let cast: VoteCast = env.last_log();
    assert_eq!((cast.voter, cast.support), (voter, 1));
    assert_eq!(env.dao.participation(voter).0, 1);
}

#[test]
fn replayed_signature_fails() {
    let (mut env, id, key, voter) = voting();
    let signature = sign(&key, digest(&env, id, 1, voter, 0));
    env.dao
        .cast_vote_by_sig(id, 1, voter, signature.clone().into())
        .unwrap();
    // With the nonce used up, the same bytes recover to some unrelated account.
    let signer = recovered(&signature, digest(&env, id, 1, voter, 1));
    env.unchanged(
        Error::InvalidSigner(InvalidSigner { signer, voter }),
        |dao| dao.cast_vote_by_sig(id, 1, voter, signature.into()),
    );
}

#[test]
fn forged_signature_fails() {
    let (mut env, id, _key, voter) = voting();
    let (mallory, mallory_address) = key(9);
    let signature = sign(&mallory, digest(&env, id, 1, voter, 0));
    env.unchanged(
        Error::InvalidSigner(InvalidSigner {
            signer: mallory_address,
            voter,
        }),
        |dao| dao.cast_vote_by_sig(id, 1, voter, signature.into()),
    );
    assert_eq!(env.dao.nonces(voter), U256::ZERO);
}

#[test]
fn signature_is_bound_to_support_and_proposal() {
    let (mut env, id, key, voter) = voting();
    let signature = sign(&key, digest(&env, id, 1, voter, 0));
    // Relayed as Against instead of For.
    let signer = recovered(&signature, digest(&env, id, 0, voter, 0));
    assert_ne!(signer, voter);
    env.unchanged(
        Error::InvalidSigner(InvalidSigner { signer, voter }),
        |dao| dao.cast_vote_by_sig(id, 0, voter, signature.clone().into()),
    );
    // Relayed onto another proposal.
    let other = env.propose_tax(10);
    env.open_voting(other);
    let signer = recovered(&signature, digest(&env, other, 1, voter, 0));
    env.unchanged(
        Error::InvalidSigner(InvalidSigner { signer, voter }),
        |dao| dao.cast_vote_by_sig(other, 1, voter, signature.into()),
    );
}

#[test]
fn malformed_signatures_fail() {
    let (mut env, id, key, voter) = voting();
    let good = sign(&key, digest(&env, id, 1, voter, 0));
    env.unchanged(
        Error::ECDSAInvalidSignature(ECDSAInvalidSignature {}),
        |dao| dao.cast_vote_by_sig(id, 1, voter, good[..64].to_vec().into()),
    );
    let mut long = good.clone();
    long.push(0);
    env.unchanged(
        Error::ECDSAInvalidSignature(ECDSAInvalidSignature {}),
        |dao| dao.cast_vote_by_sig(id, 1, voter, long.into()),
    );
    let mut bad_v = good.clone();
    bad_v[64] = 29;
    env.unchanged(
        Error::ECDSAInvalidSignature(ECDSAInvalidSignature {}),
        |dao| dao.cast_vote_by_sig(id, 1, voter, bad_v.into()),
    );
    // The malleable twin (n - s, flipped v) is rejected before recovery.
    let s = U256::from_be_slice(&good[32..64]);
    let high_s = B256::from(N - s);
    let mut twin = good.clone();
    twin[32..64].copy_from_slice(high_s.as_slice());
    twin[64] = if good[64] == 27 { 28 } else { 27 };
    env.unchanged(
        Error::ECDSAInvalidSignatureS(ECDSAInvalidSignatureS { s: high_s }),
        |dao| dao.cast_vote_by_sig(id, 1, voter, twin.into()),
    );
}

#[test]
fn signed_vote_follows_the_voting_rules() {
    let (mut env, id, key, voter) = voting();
    // Already voted directly: the signature is valid but the vote is not, and the nonce stays.
    env.from(voter);
    env.dao.cast_vote(id, 0).unwrap();
    let signature = sign(&key, digest(&env, id, 1, voter, 0));
    env.unchanged(
        Error::AlreadyVoted(AlreadyVoted {
            proposalId: id,
            voter,
        }),
        |dao| dao.cast_vote_by_sig(id, 1, voter, signature.into()),
    );
    assert_eq!(env.dao.nonces(voter), U256::ZERO);
    // A signed invalid vote type is still an invalid vote type.
    let signature = sign(&key, digest(&env, id, 3, voter, 0));
    env.unchanged(
        Error::InvalidVoteType(InvalidVoteType { support: 3 }),
        |dao| dao.cast_vote_by_sig(id, 3, voter, signature.into()),
    );
}
