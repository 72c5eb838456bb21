//! Prover claims: checking fingerprint evidence, opening a claim with its bond, and settling
//! it by slashing the license or forfeiting the bond.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{B256, U256};
use stylus_sdk::prelude::*;

use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::{bps_ceil, bps_floor};
use agentdao_common::math::sub;
use agentdao_common::merkle::{self, ProofError};

use crate::sol::{
    ClaimRejected, ClaimSubmitted, ClaimUpheld, FingerprintIsRoot, FingerprintNotSet,
    InvalidClaimKind, InvalidEvidence, InvalidProof, LeavesNotAscending, NothingUnpaid,
    ProverIsParty, WrongProofLength,
};
use crate::storage::table::{CLAIM, GLOBAL, LICENSE, MODEL};
use crate::storage::{claim, claim_kind, claim_state, global, license, license_state, model};
use crate::{Error, Registry};

/// Share of a model's provers' pool one upheld claim pays out, in basis points (half); the
/// payout is further capped at the slashed collateral. See the crate docs for why.
pub const POOL_REWARD_BPS: u64 = 5_000;

impl Registry {
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
        let root: B256 = self.word(LICENSE, license_id, license::ROOT).into();
        if root.is_zero() {
            return Err(FingerprintNotSet {
                licenseId: license_id,
            }
            .into());
        }
        let prover = self.vm().msg_sender();
        if prover == self.address(LICENSE, license_id, license::LICENSEE)
            || prover == self.address(MODEL, info[license::MODEL], model::OWNER)
        {
            return Err(ProverIsParty {
                licenseId: license_id,
                prover,
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
        let depth = self.word(LICENSE, license_id, license::DEPTH).as_limbs()[0] as u8;
        for (index, (leaf, proof)) in leaves.iter().zip(proofs).enumerate() {
            let at = U256::from(index);
            if index > 0 && leaves[index - 1] >= *leaf {
                return Err(LeavesNotAscending { index: at }.into());
            }
            match merkle::verify_fingerprint(proof, root, depth, *leaf) {
                Ok(()) => {}
                Err(ProofError::WrongLength) => {
                    return Err(WrongProofLength {
                        index: at,
                        length: U256::from(proof.len()),
                        depth,
                    }
                    .into())
                }
                Err(ProofError::FingerprintIsRoot) => {
                    return Err(FingerprintIsRoot { index: at }.into())
                }
                Err(ProofError::Mismatch) => return Err(InvalidProof { index: at }.into()),
            }
        }
        let reported = self.word(LICENSE, license_id, license::UNITS);
        if kind == claim_kind::UNPAID_USAGE && observed_units <= reported {
            return Err(NothingUnpaid {
                observed: observed_units,
                reported,
            }
            .into());
        }
        Ok(info)
    }

    /// Takes the bond (collateral × claimBondBps, rounded up; what arrived is held) and records
    /// a pending claim.
    pub(crate) fn open_claim(
        &mut self,
        license_id: u64,
        mut info: [u64; 4],
        kind: u8,
        evidence_hash: B256,
    ) -> Result<u64, Error> {
        let collateral = self.word(LICENSE, license_id, license::COLLATERAL);
        let asset = self.license_asset(info);
        let bond =
            bps_ceil::<ArithmeticOverflow>(collateral, self.info(GLOBAL, 0)[global::BOND_BPS])?;
        let deadline = self.after(global::WINDOW)?;
        let prover = self.vm().msg_sender();
        let bond = self.collect(asset, prover, bond)?;
        let id = self.next_id(global::CLAIMS);
        self.set_address(CLAIM, id, claim::PROVER, prover);
        self.set_word(CLAIM, id, claim::BOND, bond);
        self.set_word(CLAIM, id, claim::EVIDENCE, evidence_hash.into());
        self.set_info(
            CLAIM,
            id,
            [license_id, deadline, u64::from(kind), claim_state::PENDING],
        );
        info[license::ACTIVE_CLAIM] = id;
        self.set_info(LICENSE, license_id, info);
        ClaimSubmitted {
            claimId: id,
            licenseId: license_id,
            prover,
            kind,
            bond,
            evidenceHash: evidence_hash,
            deadline,
        }
        .emit_by_ref(self.vm());
        Ok(id)
    }

    /// Slashes the accused license: the prover gets its bond, the bounty and a bounded reward
    /// from the model's provers' pool ([`POOL_REWARD_BPS`] of it, at most the collateral); the
    /// treasury its share; the model owner the rest (with rounding dust).
    pub(crate) fn uphold(&mut self, claim_id: u64, claim_info: [u64; 4]) -> Result<(), Error> {
        let license_id = claim_info[claim::LICENSE];
        let prover = self.address(CLAIM, claim_id, claim::PROVER);
        let bond = self.word(CLAIM, claim_id, claim::BOND);
        let collateral = self.word(LICENSE, license_id, license::COLLATERAL);
        let mut info = self.info(LICENSE, license_id);
        let model_id = info[license::MODEL];
        let asset = self.address(MODEL, model_id, model::ASSET);
        let owner = self.address(MODEL, model_id, model::OWNER);
        let pool = self.word(MODEL, model_id, model::PROVERS_POOL);
        let reward = bps_floor::<ArithmeticOverflow>(pool, POOL_REWARD_BPS)?.min(collateral);
        let slash_bps = self.info(GLOBAL, 0)[global::SLASH_BPS];
        let bounty = bps_floor::<ArithmeticOverflow>(collateral, slash_bps & 0xffff_ffff)?;
        let protocol = bps_floor::<ArithmeticOverflow>(collateral, slash_bps >> 32)?;
        let owner_part =
            sub::<ArithmeticOverflow>(sub::<ArithmeticOverflow>(collateral, bounty)?, protocol)?;
        let prover_total = bond
            .checked_add(bounty)
            .and_then(|v| v.checked_add(reward))
            .ok_or(ArithmeticOverflow {})?;

        self.set_info_limb(CLAIM, claim_id, claim::STATE, claim_state::UPHELD);
        info[license::STATE] = license_state::SLASHED;
        info[license::ACTIVE_CLAIM] = 0;
        self.set_word(LICENSE, license_id, license::COLLATERAL, U256::ZERO);
        self.set_info(LICENSE, license_id, info);
        self.set_word(MODEL, model_id, model::PROVERS_POOL, pool - reward);

        self.add_credit(asset, prover, prover_total)?;
        let treasury = self.address(GLOBAL, 0, global::TREASURY);
        self.add_credit(asset, treasury, protocol)?;
        self.add_credit(asset, owner, owner_part)?;
        ClaimUpheld {
            claimId: claim_id,
            licenseId: license_id,
            slashed: collateral,
            bounty,
            poolReward: reward,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }

    /// Rejects a claim: its bond goes to the licensee and the license is free again.
    pub(crate) fn reject(&mut self, claim_id: u64, claim_info: [u64; 4]) -> Result<(), Error> {
        let license_id = claim_info[claim::LICENSE];
        let bond = self.word(CLAIM, claim_id, claim::BOND);
        let licensee = self.address(LICENSE, license_id, license::LICENSEE);
        let asset = self.license_asset(self.info(LICENSE, license_id));
        self.set_info_limb(CLAIM, claim_id, claim::STATE, claim_state::REJECTED);
        self.set_info_limb(LICENSE, license_id, license::ACTIVE_CLAIM, 0);
        self.add_credit(asset, licensee, bond)?;
        ClaimRejected {
            claimId: claim_id,
            licenseId: license_id,
            bondForfeited: bond,
        }
        .emit_by_ref(self.vm());
        Ok(())
    }
}
