//! Prover claims: checking fingerprint evidence, opening a claim with its bond, and settling
//! it by slashing the license or forfeiting the bond.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{B256, U256, U64, U8};
use alloy_sol_types::SolEvent;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::StorageGuard;

use agentdao_common::emit::{emit_words, word};
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::{bps_ceil, bps_floor};
use agentdao_common::math::sub;
use agentdao_common::merkle;

use crate::sol::{
    ClaimPending, ClaimRejected, ClaimSubmitted, ClaimUpheld, FingerprintNotSet, InvalidClaimKind,
    InvalidClaimState, InvalidEvidence, InvalidLicenseState, InvalidProof, LeavesNotAscending,
    NothingUnpaid, UnknownClaim,
};
use crate::storage::{claim_kind, claim_state, license_state, Claim, Low};
use crate::{Error, OmlRegistry};

impl OmlRegistry {
    /// Checks that `license_id` can be accused and that the evidence holds up on chain.
    pub(crate) fn check_claim(
        &self,
        license_id: u64,
        kind: u8,
        leaves: &[B256],
        proofs: &[Vec<B256>],
        observed_units: U256,
    ) -> Result<(), Error> {
        let state = self.license_state(license_id)?;
        if state != license_state::ACTIVE && state != license_state::TERMINATING {
            return Err(InvalidLicenseState {
                licenseId: license_id,
                state,
            }
            .into());
        }
        let license = self.licenses.get(license_id);
        let open = license.active_claim.get().low();
        if open != 0 {
            return Err(ClaimPending {
                licenseId: license_id,
                claimId: open,
            }
            .into());
        }
        let root = license.fingerprint_root.get();
        if root.is_zero() {
            return Err(FingerprintNotSet {
                licenseId: license_id,
            }
            .into());
        }
        if kind != claim_kind::LEAKED_COPY && kind != claim_kind::UNPAID_USAGE {
            return Err(InvalidClaimKind { kind }.into());
        }
        if leaves.is_empty() || leaves.len() != proofs.len() {
            return Err(InvalidEvidence {
                leaves: U256::from(leaves.len()),
                proofs: U256::from(proofs.len()),
            }
            .into());
        }
        for (index, (leaf, proof)) in leaves.iter().zip(proofs).enumerate() {
            if index > 0 && leaves[index - 1] >= *leaf {
                return Err(LeavesNotAscending {
                    index: U256::from(index),
                }
                .into());
            }
            if !merkle::verify(proof, root, *leaf) {
                return Err(InvalidProof {
                    index: U256::from(index),
                }
                .into());
            }
        }
        let reported = license.reported_units.get();
        if kind == claim_kind::UNPAID_USAGE && observed_units <= reported {
            return Err(NothingUnpaid {
                observed: observed_units,
                reported,
            }
            .into());
        }
        Ok(())
    }

    /// Takes the bond (collateral × claimBondBps, rounded up) and records a pending claim.
    pub(crate) fn open_claim(
        &mut self,
        license_id: u64,
        kind: u8,
        evidence_hash: B256,
    ) -> Result<u64, Error> {
        let license = self.licenses.get(license_id);
        let collateral = license.collateral.get();
        let asset = self.models.get(license.model_id.get().low()).asset.get();
        let bond = bps_ceil::<Error>(collateral, self.claim_bond_bps.get().low())?;
        let deadline = self
            .vm()
            .block_timestamp()
            .checked_add(self.challenge_window.get().low())
            .ok_or(ArithmeticOverflow {})?;
        let prover = self.vm().msg_sender();
        self.collect(asset, prover, bond)?;
        let id = self.claim_count.get().low() + 1;
        self.claim_count.set(U64::from(id));
        let mut claim = self.claims.setter(id);
        claim.license_id.set(U64::from(license_id));
        claim.prover.set(prover);
        claim.kind.set(U8::from(kind));
        claim.state.set(U8::from(claim_state::PENDING));
        claim.deadline.set(U64::from(deadline));
        claim.bond.set(bond);
        claim.evidence_hash.set(evidence_hash);
        self.licenses
            .setter(license_id)
            .active_claim
            .set(U64::from(id));
        emit_words(
            self.vm(),
            &[
                ClaimSubmitted::SIGNATURE_HASH,
                word(id),
                word(license_id),
                prover.into_word(),
            ],
            &[
                word(u64::from(kind)),
                B256::from(bond),
                evidence_hash,
                word(deadline),
            ],
        );
        Ok(id)
    }

    /// An existing claim that is in `expected` state.
    pub(crate) fn open_claim_record(
        &self,
        claim_id: u64,
        expected: u8,
    ) -> Result<StorageGuard<'_, Claim>, Error> {
        let claim = self.claims.get(claim_id);
        let state = claim.state.get().low() as u8;
        if state == 0 {
            return Err(UnknownClaim { claimId: claim_id }.into());
        }
        if state != expected {
            return Err(InvalidClaimState {
                claimId: claim_id,
                state,
            }
            .into());
        }
        Ok(claim)
    }

    /// Slashes the accused license: the prover gets its bond, the bounty and the model's
    /// provers' pool; the treasury its share; the model owner the rest (with rounding dust).
    pub(crate) fn uphold(&mut self, claim_id: u64) -> Result<(), Error> {
        let claim = self.claims.get(claim_id);
        let license_id = claim.license_id.get().low();
        let (prover, bond) = (claim.prover.get(), claim.bond.get());
        let license = self.licenses.get(license_id);
        let collateral = license.collateral.get();
        let model_id = license.model_id.get().low();
        let model = self.models.get(model_id);
        let (asset, owner, pool) = (
            model.asset.get(),
            model.owner.get(),
            model.provers_pool.get(),
        );
        let bounty = bps_floor::<Error>(collateral, self.bounty_bps.get().low())?;
        let protocol = bps_floor::<Error>(collateral, self.protocol_slash_bps.get().low())?;
        let owner_part = sub::<Error>(sub::<Error>(collateral, bounty)?, protocol)?;
        let prover_total = bond
            .checked_add(bounty)
            .and_then(|v| v.checked_add(pool))
            .ok_or(ArithmeticOverflow {})?;

        self.claims
            .setter(claim_id)
            .state
            .set(U8::from(claim_state::UPHELD));
        let mut license = self.licenses.setter(license_id);
        license.collateral.set(U256::ZERO);
        license.state.set(U8::from(license_state::SLASHED));
        license.active_claim.set(U64::ZERO);
        self.models.setter(model_id).provers_pool.set(U256::ZERO);

        self.add_credit(asset, prover, prover_total)?;
        let treasury = self.treasury.get();
        self.add_credit(asset, treasury, protocol)?;
        self.add_credit(asset, owner, owner_part)?;
        emit_words(
            self.vm(),
            &[
                ClaimUpheld::SIGNATURE_HASH,
                word(claim_id),
                word(license_id),
            ],
            &[B256::from(collateral), B256::from(bounty), B256::from(pool)],
        );
        Ok(())
    }

    /// Rejects a claim: its bond goes to the licensee and the license is free again.
    pub(crate) fn reject(&mut self, claim_id: u64) -> Result<(), Error> {
        let claim = self.claims.get(claim_id);
        let license_id = claim.license_id.get().low();
        let bond = claim.bond.get();
        let license = self.licenses.get(license_id);
        let licensee = license.licensee.get();
        let asset = self.models.get(license.model_id.get().low()).asset.get();
        self.claims
            .setter(claim_id)
            .state
            .set(U8::from(claim_state::REJECTED));
        self.licenses.setter(license_id).active_claim.set(U64::ZERO);
        self.add_credit(asset, licensee, bond)?;
        emit_words(
            self.vm(),
            &[
                ClaimRejected::SIGNATURE_HASH,
                word(claim_id),
                word(license_id),
            ],
            &[B256::from(bond)],
        );
        Ok(())
    }
}
