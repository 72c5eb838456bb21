//! EIP-2612 permits signed with real secp256k1 keys.
//!
//! TestVM cannot run precompiles, so each test mocks the static call to `ecrecover` (0x01) with
//! the answer the real precompile gives for that exact input, computed here with `k256`
//! ([`mock_ecrecover`]). The digest the test signs comes from alloy's independent EIP-712
//! implementation, so a contract that hashed anything else would send a different input, find
//! no mocked answer and fail.
use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{eip712_domain, Eip712Domain, SolStruct};
use k256::ecdsa::{RecoveryId, Signature, SigningKey, VerifyingKey};

use super::*;
use crate::permit::PERMIT_TYPEHASH;
use crate::sol::*;
use agentdao_common::ecdsa::{
    ecrecover_input, ECDSAInvalidSignature, ECDSAInvalidSignatureS, ECRECOVER,
};

alloy_sol_types::sol! {
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// A deterministic test key.
fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32].into()).unwrap()
}

fn address_of(key: &VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

/// What the `ecrecover` precompile returns for `(digest, v, r, s)`: the signer's address as one
/// word, or nothing when recovery fails.
fn ecrecover(digest: B256, v: u8, r: B256, s: B256) -> Vec<u8> {
    let recovered = (|| {
        let id = RecoveryId::from_byte(v.checked_sub(27)?)?;
        let signature = Signature::from_scalars(r.0, s.0).ok()?;
        // The precompile accepts any s below the group order; k256 only recovers low-s
        // signatures, and (r, n - s) with the other parity recovers the same key.
        let (signature, id) = match signature.normalize_s() {
            Some(low) => (low, RecoveryId::new(!id.is_y_odd(), id.is_x_reduced())),
            None => (signature, id),
        };
        VerifyingKey::recover_from_prehash(digest.as_slice(), &signature, id).ok()
    })();
    match recovered {
        Some(key) => {
            let mut word = vec![0u8; 32];
            word[12..].copy_from_slice(address_of(&key).as_slice());
            word
        }
        None => Vec::new(),
    }
}

/// Mocks the precompile for exactly this input.
fn mock_ecrecover(vm: &TestVM, digest: B256, v: u8, r: B256, s: B256) {
    let input = ecrecover_input(digest, v, r, s).to_vec();
    vm.mock_static_call(ECRECOVER, input, Ok(ecrecover(digest, v, r, s)));
}

fn domain(vm: &TestVM) -> Eip712Domain {
    let state = vm.snapshot();
    eip712_domain! {
        name: "Agent",
        version: "1",
        chain_id: state.chain_id,
        verifying_contract: state.contract_address,
    }
}

/// A signed permit: the digest per alloy's EIP-712 and a low-`s` signature `(v, r, s)`.
struct Signed {
    digest: B256,
    v: u8,
    r: B256,
    s: B256,
}

fn sign(vm: &TestVM, signer: &SigningKey, permit: &Permit) -> Signed {
    let digest = permit.eip712_signing_hash(&domain(vm));
    let (signature, id) = signer.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let (signature, id) = match signature.normalize_s() {
        Some(low) => (low, RecoveryId::new(!id.is_y_odd(), id.is_x_reduced())),
        None => (signature, id),
    };
    let (r, s) = signature.split_bytes();
    Signed {
        digest,
        v: 27 + id.to_byte(),
        r: B256::from_slice(&r),
        s: B256::from_slice(&s),
    }
}

/// ALICE's key, and a token whose initial holder is ALICE's key address.
fn setup() -> (TestVM, AgentToken, SigningKey, Address) {
    let owner_key = key(0x42);
    let owner = address_of(owner_key.verifying_key());
    let (vm, token) = deploy_with(supply(), owner);
    vm.set_block_timestamp(1_700_000_000);
    (vm, token, owner_key, owner)
}

fn permit_for(owner: Address, value: U256, nonce: U256, deadline: u64) -> Permit {
    Permit {
        owner,
        spender: BOB,
        value,
        nonce,
        deadline: U256::from(deadline),
    }
}

#[test]
fn typehash_constant() {
    assert_eq!(
        PERMIT_TYPEHASH,
        keccak256(
            "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
        )
    );
    assert_eq!(
        PERMIT_TYPEHASH,
        keccak256(Permit::eip712_encode_type().as_bytes())
    );
}

#[test]
fn domain_separator_follows_the_vm_chain_id() {
    let (vm, token) = deploy();
    assert_eq!(token.domain_separator(), domain(&vm).separator());
    vm.set_chain_id(421_614);
    assert_eq!(token.domain_separator(), domain(&vm).separator());
    vm.set_chain_id(412_346);
    let devnode = token.domain_separator();
    assert_eq!(devnode, domain(&vm).separator());
    vm.set_contract_address(Address::repeat_byte(0x33));
    assert_ne!(token.domain_separator(), devnode);
    assert_eq!(token.domain_separator(), domain(&vm).separator());
}

#[test]
fn valid_permit_approves_and_uses_the_nonce() {
    let (vm, mut token, owner_key, owner) = setup();
    let deadline = 1_700_000_000; // inclusive
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, deadline),
    );
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    assert_eq!(
        ecrecover(signed.digest, signed.v, signed.r, signed.s)[12..],
        owner[..]
    );

    vm.set_sender(EVE); // anyone may submit the permit
    token
        .permit(
            owner,
            BOB,
            tokens(5),
            U256::from(deadline),
            signed.v,
            signed.r,
            signed.s,
        )
        .unwrap();
    assert_eq!(token.allowance(owner, BOB), tokens(5));
    assert_eq!(token.nonces(owner), U256::from(1));
    let approval: Approval = only_event(&vm);
    assert_eq!(
        (approval.owner, approval.spender, approval.value),
        (owner, BOB, tokens(5))
    );

    // BOB uses it.
    vm.set_sender(BOB);
    token.transfer_from(owner, BOB, tokens(5)).unwrap();
    assert_eq!(token.allowance(owner, BOB), U256::ZERO);
}

#[test]
fn replayed_permit_fails() {
    let (vm, mut token, owner_key, owner) = setup();
    let deadline = U256::from(1_800_000_000u64);
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000),
    );
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    token
        .permit(
            owner,
            BOB,
            tokens(5),
            deadline,
            signed.v,
            signed.r,
            signed.s,
        )
        .unwrap();
    vm.set_sender(BOB);
    token.transfer_from(owner, BOB, tokens(5)).unwrap();

    // The same signature now stands for nonce 1: it recovers to some unrelated account.
    let replay_digest = permit_for(owner, tokens(5), U256::from(1), 1_800_000_000)
        .eip712_signing_hash(&domain(&vm));
    mock_ecrecover(&vm, replay_digest, signed.v, signed.r, signed.s);
    let stranger =
        Address::from_slice(&ecrecover(replay_digest, signed.v, signed.r, signed.s)[12..]);
    assert_ne!(stranger, owner);
    assert_fails_unchanged(
        &vm,
        ERC2612InvalidSigner {
            signer: stranger,
            owner,
        },
        || {
            token.permit(
                owner,
                BOB,
                tokens(5),
                deadline,
                signed.v,
                signed.r,
                signed.s,
            )
        },
    );
    assert_eq!(token.allowance(owner, BOB), U256::ZERO);
    assert_eq!(token.nonces(owner), U256::from(1));
}

#[test]
fn permit_signed_by_someone_else_fails() {
    let (vm, mut token, _owner_key, owner) = setup();
    let eve_key = key(0xee);
    let eve = address_of(eve_key.verifying_key());
    let signed = sign(
        &vm,
        &eve_key,
        &permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000),
    );
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    assert_fails_unchanged(&vm, ERC2612InvalidSigner { signer: eve, owner }, || {
        token.permit(
            owner,
            BOB,
            tokens(5),
            U256::from(1_800_000_000u64),
            signed.v,
            signed.r,
            signed.s,
        )
    });
}

#[test]
fn permit_with_altered_value_fails() {
    let (vm, mut token, owner_key, owner) = setup();
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000),
    );
    // The submitter inflates the value: the contract hashes a different permit.
    let forged =
        permit_for(owner, tokens(500), U256::ZERO, 1_800_000_000).eip712_signing_hash(&domain(&vm));
    mock_ecrecover(&vm, forged, signed.v, signed.r, signed.s);
    let recovered = Address::from_slice(&ecrecover(forged, signed.v, signed.r, signed.s)[12..]);
    assert_fails_unchanged(
        &vm,
        ERC2612InvalidSigner {
            signer: recovered,
            owner,
        },
        || {
            token.permit(
                owner,
                BOB,
                tokens(500),
                U256::from(1_800_000_000u64),
                signed.v,
                signed.r,
                signed.s,
            )
        },
    );
}

#[test]
fn permit_for_another_chain_fails() {
    let (vm, mut token, owner_key, owner) = setup();
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000),
    );
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    vm.set_chain_id(1);
    // Only the original chain's digest is mocked, so recovery finds nothing for chain 1's.
    assert_fails_unchanged(&vm, ECDSAInvalidSignature {}, || {
        token.permit(
            owner,
            BOB,
            tokens(5),
            U256::from(1_800_000_000u64),
            signed.v,
            signed.r,
            signed.s,
        )
    });
}

#[test]
fn expired_permit_fails() {
    let (vm, mut token, owner_key, owner) = setup();
    let deadline = 1_699_999_999;
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, deadline),
    );
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    assert_fails_unchanged(
        &vm,
        ERC2612ExpiredSignature {
            deadline: U256::from(deadline),
        },
        || {
            token.permit(
                owner,
                BOB,
                tokens(5),
                U256::from(deadline),
                signed.v,
                signed.r,
                signed.s,
            )
        },
    );
}

#[test]
fn malleable_and_garbage_signatures_fail() {
    let (vm, mut token, owner_key, owner) = setup();
    let deadline = U256::from(1_800_000_000u64);
    let signed = sign(
        &vm,
        &owner_key,
        &permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000),
    );
    // The mirrored signature (n - s, flipped v) is valid for the precompile, but malleable.
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap();
    let high_s = B256::from(n - U256::from_be_bytes(signed.s.0));
    let flipped_v = if signed.v == 27 { 28 } else { 27 };
    mock_ecrecover(&vm, signed.digest, flipped_v, signed.r, high_s);
    assert_eq!(
        ecrecover(signed.digest, flipped_v, signed.r, high_s)[12..],
        owner[..]
    );
    assert_fails_unchanged(&vm, ECDSAInvalidSignatureS { s: high_s }, || {
        token.permit(owner, BOB, tokens(5), deadline, flipped_v, signed.r, high_s)
    });
    // v outside {27, 28}: the precompile returns nothing.
    mock_ecrecover(&vm, signed.digest, 29, signed.r, signed.s);
    assert_fails_unchanged(&vm, ECDSAInvalidSignature {}, || {
        token.permit(owner, BOB, tokens(5), deadline, 29, signed.r, signed.s)
    });
    // r = 0 is not a signature.
    mock_ecrecover(&vm, signed.digest, signed.v, B256::ZERO, signed.s);
    assert_fails_unchanged(&vm, ECDSAInvalidSignature {}, || {
        token.permit(
            owner,
            BOB,
            tokens(5),
            deadline,
            signed.v,
            B256::ZERO,
            signed.s,
        )
    });
}

#[test]
fn permit_rejects_zero_spender_after_a_valid_signature() {
    let (vm, mut token, owner_key, owner) = setup();
    let permit = Permit {
        spender: Address::ZERO,
        ..permit_for(owner, tokens(5), U256::ZERO, 1_800_000_000)
    };
    let signed = sign(&vm, &owner_key, &permit);
    mock_ecrecover(&vm, signed.digest, signed.v, signed.r, signed.s);
    assert_fails_unchanged(
        &vm,
        ERC20InvalidSpender {
            spender: Address::ZERO,
        },
        || {
            token.permit(
                owner,
                Address::ZERO,
                tokens(5),
                U256::from(1_800_000_000u64),
                signed.v,
                signed.r,
                signed.s,
            )
        },
    );
    assert_eq!(token.nonces(owner), U256::ZERO, "the nonce is not consumed");
}
