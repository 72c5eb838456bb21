//! Prover claims: checking fingerprint evidence, opening a claim with its bond, and settling
//! it by slashing the license or forfeiting the bond.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::prelude::*;

use agentdao_common::emit::{emit_words, word};
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::{bps_ceil, bps_floor};
use agentdao_common::math::sub;
use agentdao_common::merkle;

use crate::sol::{
    ClaimRejected, ClaimSubmitted, ClaimUpheld, FingerprintNotSet, InvalidClaimKind,
    InvalidEvidence, InvalidProof, LeavesNotAscending, NothingUnpaid,
};
use crate::storage::{
    claim_info, claim_kind, claim_state, license_info, license_state, limbs, set_limb,
};
use crate::{config, counts, Error, OmlRegistry};

impl OmlRegistry {
    /// Checks that `license_id` can be accused and that the evidence holds up on chain;
    /// returns the license's packed fields.
    pub(crate) fn check_claim(
        &self,
        license_id: u64,
        kind: u8,
        leaves: &[B256],
        proofs: &[Vec<B256>],
        observed_units: U256,
    ) -> Result<[u64; 4], Error> {
        let info = self.license_info(license_id)?;
        self.require_license_state(
            license_id,
            info,
            license_state::ACTIVE,
            license_state::TERMINATING,
        )?;
        self.require_no_claim(license_id, info)?;
        let license = self.licenses.get(license_id);
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
        Ok(info)
    }

    /// Takes the bond (collateral × claimBondBps, rounded up) and records a pending claim.
    pub(crate) fn open_claim(
        &mut self,
        license_id: u64,
        mut info: [u64; 4],
        kind: u8,
        evidence_hash: B256,
    ) -> Result<u64, Error> {
        let collateral = self.licenses.get(license_id).collateral.get();
        let asset = self.models.get(info[license_info::MODEL]).asset.get();
        let bond = bps_ceil::<Error>(collateral, limbs(&self.config)[config::BOND_BPS])?;
        let deadline = self.after(config::WINDOW)?;
        let prover = self.vm().msg_sender();
        self.collect(asset, prover, bond)?;
        let id = self.next_id(counts::CLAIMS);
        let mut claim = self.claims.setter(id);
        claim.prover.set(prover);
        claim.bond.set(bond);
        claim.evidence_hash.set(evidence_hash);
        claim.info.set(U256::from_limbs([
            license_id,
            deadline,
            u64::from(kind),
            claim_state::PENDING,
        ]));
        info[license_info::ACTIVE_CLAIM] = id;
        self.licenses
            .setter(license_id)
            .info
            .set(U256::from_limbs(info));
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

    /// Slashes the accused license: the prover gets its bond, the bounty and the model's
    /// provers' pool; the treasury its share; the model owner the rest (with rounding dust).
    pub(crate) fn uphold(&mut self, claim_id: u64, claim: [u64; 4]) -> Result<(), Error> {
        let license_id = claim[claim_info::LICENSE];
        let record = self.claims.get(claim_id);
        let (prover, bond) = (record.prover.get(), record.bond.get());
        let license = self.licenses.get(license_id);
        let collateral = license.collateral.get();
        let mut info = limbs(&license.info);
        let model_id = info[license_info::MODEL];
        let model = self.models.get(model_id);
        let (asset, owner, pool) = (
            model.asset.get(),
            model.owner.get(),
            model.provers_pool.get(),
        );
        let slash_bps = limbs(&self.config)[config::SLASH_BPS];
        let bounty = bps_floor::<Error>(collateral, slash_bps & 0xffff_ffff)?;
        let protocol = bps_floor::<Error>(collateral, slash_bps >> 32)?;
        let owner_part = sub::<Error>(sub::<Error>(collateral, bounty)?, protocol)?;
        let prover_total = bond
            .checked_add(bounty)
            .and_then(|v| v.checked_add(pool))
            .ok_or(ArithmeticOverflow {})?;

        set_limb(
            &mut self.claims.setter(claim_id).info,
            claim_info::STATE,
            claim_state::UPHELD,
        );
        info[license_info::STATE] = license_state::SLASHED;
        info[license_info::ACTIVE_CLAIM] = 0;
        let mut license = self.licenses.setter(license_id);
        license.collateral.set(U256::ZERO);
        license.info.set(U256::from_limbs(info));
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
    pub(crate) fn reject(&mut self, claim_id: u64, claim: [u64; 4]) -> Result<(), Error> {
        let license_id = claim[claim_info::LICENSE];
        let bond = self.claims.get(claim_id).bond.get();
        let license = self.licenses.get(license_id);
        let licensee = license.licensee.get();
        let asset = self
            .models
            .get(limbs(&license.info)[license_info::MODEL])
            .asset
            .get();
        set_limb(
            &mut self.claims.setter(claim_id).info,
            claim_info::STATE,
            claim_state::REJECTED,
        );
        set_limb(
            &mut self.licenses.setter(license_id).info,
            license_info::ACTIVE_CLAIM,
            0,
        );
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
