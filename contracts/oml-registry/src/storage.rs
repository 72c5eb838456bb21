//! Storage records of models, licenses and claims, and their state codes.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{
    StorageAddress, StorageB256, StorageMap, StorageU16, StorageU256, StorageU64, StorageU8,
};

use crate::sol::Terms;

/// Reads a one-limb storage integer as `u64`. `ruint`'s checked `to()` carries a formatted panic
/// path (kilobytes of wasm); values stored from narrower types always fit.
pub trait Low {
    /// The value's low 64 bits.
    fn low(&self) -> u64;
}

impl<const BITS: usize> Low for alloy_primitives::Uint<BITS, 1> {
    fn low(&self) -> u64 {
        self.as_limbs()[0]
    }
}
use crate::split::SplitBps;

/// License states (`0` means the license does not exist).
pub mod license_state {
    /// Collateral deposited; usage can be reported.
    pub const ACTIVE: u8 = 1;
    /// The licensee is leaving; collateral waits for the cooldown.
    pub const TERMINATING: u8 = 2;
    /// Collateral returned; the license is over.
    pub const CLOSED: u8 = 3;
    /// Collateral slashed by an upheld claim.
    pub const SLASHED: u8 = 4;
}

/// Claim states (`0` means the claim does not exist).
pub mod claim_state {
    /// In its challenge window (or past it, awaiting `finalizeClaim`).
    pub const PENDING: u8 = 1;
    /// Disputed; governance decides.
    pub const DISPUTED: u8 = 2;
    /// The license was slashed.
    pub const UPHELD: u8 = 3;
    /// The bond went to the licensee.
    pub const REJECTED: u8 = 4;
}

/// Claim kinds.
pub mod claim_kind {
    /// A deployment that is not the licensee's answered this license's fingerprints.
    pub const LEAKED_COPY: u8 = 0;
    /// The licensee served more units than it reported.
    pub const UNPAID_USAGE: u8 = 1;
}

/// A registered model: ownership, lineage, versions, terms and its provers' pool.
#[storage]
pub struct Model {
    /// Current owner (zero: the model does not exist).
    pub owner: StorageAddress,
    /// Nominated next owner, zero if none.
    pub pending_owner: StorageAddress,
    /// Parent model id, zero for a root model.
    pub parent: StorageU64,
    /// Number of published versions (registration is version 1).
    pub version_count: StorageU64,
    /// Content hash per version number.
    pub versions: StorageMap<u64, StorageB256>,
    /// Payment asset (zero = ETH).
    pub asset: StorageAddress,
    /// Fee per usage unit.
    pub usage_fee: StorageU256,
    /// Collateral per license.
    pub collateral: StorageU256,
    /// Creator share in bps.
    pub creator_bps: StorageU16,
    /// Ancestors' pool share in bps.
    pub ancestors_bps: StorageU16,
    /// Provers' pool share in bps.
    pub provers_bps: StorageU16,
    /// Protocol share in bps.
    pub protocol_bps: StorageU16,
    /// Per-generation share of the remaining ancestors' pool, in bps.
    pub decay_bps: StorageU16,
    /// Generations the cascade reaches.
    pub max_depth: StorageU8,
    /// Fees set aside for provers of this model's licenses (in `asset`).
    pub provers_pool: StorageU256,
}

impl Model {
    /// Stores `terms` (already validated).
    pub fn set_terms(&mut self, terms: &Terms) {
        self.asset.set(terms.asset);
        self.usage_fee.set(terms.usageFee);
        self.collateral.set(terms.collateral);
        self.creator_bps
            .set(alloy_primitives::U16::from(terms.creatorBps));
        self.ancestors_bps
            .set(alloy_primitives::U16::from(terms.ancestorsBps));
        self.provers_bps
            .set(alloy_primitives::U16::from(terms.proversBps));
        self.protocol_bps
            .set(alloy_primitives::U16::from(terms.protocolBps));
        self.decay_bps
            .set(alloy_primitives::U16::from(terms.ancestorDecayBps));
        self.max_depth
            .set(alloy_primitives::U8::from(terms.maxDepth));
    }

    /// The stored terms.
    pub fn terms(&self) -> Terms {
        let bps = self.split_bps();
        Terms {
            asset: self.asset.get(),
            usageFee: self.usage_fee.get(),
            collateral: self.collateral.get(),
            creatorBps: bps.creator,
            ancestorsBps: bps.ancestors,
            proversBps: bps.provers,
            protocolBps: bps.protocol,
            ancestorDecayBps: bps.decay,
            maxDepth: self.max_depth.get().low() as u8,
        }
    }

    /// The fee split of this model.
    pub fn split_bps(&self) -> SplitBps {
        SplitBps {
            creator: self.creator_bps.get().low() as u16,
            ancestors: self.ancestors_bps.get().low() as u16,
            provers: self.provers_bps.get().low() as u16,
            protocol: self.protocol_bps.get().low() as u16,
            decay: self.decay_bps.get().low() as u16,
        }
    }
}

/// A host's license of one model.
#[storage]
pub struct License {
    /// Licensed model.
    pub model_id: StorageU64,
    /// Host that deposited the collateral.
    pub licensee: StorageAddress,
    /// Collateral held (zero once closed or slashed).
    pub collateral: StorageU256,
    /// Fingerprint Merkle root of the host's copy, zero until the owner sets it.
    pub fingerprint_root: StorageB256,
    /// One of [`license_state`].
    pub state: StorageU8,
    /// When a terminating license's collateral may be released.
    pub release_at: StorageU64,
    /// The claim pending against this license, zero if none.
    pub active_claim: StorageU64,
    /// Total usage units paid for.
    pub reported_units: StorageU256,
}

/// A prover's accusation of a license.
#[storage]
pub struct Claim {
    /// Accused license.
    pub license_id: StorageU64,
    /// Prover who posted the bond.
    pub prover: StorageAddress,
    /// One of [`claim_kind`].
    pub kind: StorageU8,
    /// One of [`claim_state`].
    pub state: StorageU8,
    /// End of the challenge window.
    pub deadline: StorageU64,
    /// Bond posted in the license's asset.
    pub bond: StorageU256,
    /// Hash of the off-chain evidence (transcripts, endpoint, usage logs).
    pub evidence_hash: StorageB256,
}
