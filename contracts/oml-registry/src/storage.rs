//! Storage records of models, licenses and claims, and their state codes.
//!
//! Small fields (ids, counters, timestamps, states, basis points) are packed as 64-bit limbs of
//! one `uint256` word per record ([`Model::info`], [`License::info`], [`Claim::info`]): one
//! storage slot instead of several, and a single storage integer type in the whole contract
//! (every `StorageUint` width and every struct field costs its own code in the wasm).
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256, U256};
use stylus_sdk::prelude::*;
use stylus_sdk::storage::{StorageAddress, StorageB256, StorageMap, StorageU256};

use crate::sol::Terms;
use crate::split::SplitBps;

/// Reads the four 64-bit limbs packed in a storage word.
pub fn limbs(word: &StorageU256) -> [u64; 4] {
    word.get().into_limbs()
}

/// Overwrites limb `index` (0..4) of a packed storage word.
pub fn set_limb(word: &mut StorageU256, index: usize, value: u64) {
    let mut fields = limbs(word);
    fields[index] = value;
    word.set(U256::from_limbs(fields));
}

/// License states (`0` means the license does not exist).
pub mod license_state {
    /// Collateral deposited; usage can be reported.
    pub const ACTIVE: u64 = 1;
    /// The licensee is leaving; collateral waits for the cooldown.
    pub const TERMINATING: u64 = 2;
    /// Collateral returned; the license is over.
    pub const CLOSED: u64 = 3;
    /// Collateral slashed by an upheld claim.
    pub const SLASHED: u64 = 4;
}

/// Claim states (`0` means the claim does not exist).
pub mod claim_state {
    /// In its challenge window (or past it, awaiting `finalizeClaim`).
    pub const PENDING: u64 = 1;
    /// Disputed; governance decides.
    pub const DISPUTED: u64 = 2;
    /// The license was slashed.
    pub const UPHELD: u64 = 3;
    /// The bond went to the licensee.
    pub const REJECTED: u64 = 4;
}

/// Claim kinds.
pub mod claim_kind {
    /// A deployment that is not the licensee's answered this license's fingerprints.
    pub const LEAKED_COPY: u8 = 0;
    /// The licensee served more units than it reported.
    pub const UNPAID_USAGE: u8 = 1;
}

/// Limb indices of [`Model::info`].
pub mod model_info {
    /// Parent model id, zero for a root model.
    pub const PARENT: usize = 0;
    /// Number of published versions (registration is version 1).
    pub const VERSIONS: usize = 1;
    /// creator | ancestors << 16 | provers << 32 | protocol << 48 (basis points).
    pub const SPLIT: usize = 2;
    /// decay bps | max depth << 16.
    pub const DECAY_DEPTH: usize = 3;
}

/// Limb indices of [`License::info`].
pub mod license_info {
    /// Licensed model.
    pub const MODEL: usize = 0;
    /// When a terminating license's collateral may be released.
    pub const RELEASE_AT: usize = 1;
    /// The claim pending against this license, zero if none.
    pub const ACTIVE_CLAIM: usize = 2;
    /// One of [`license_state`](super::license_state).
    pub const STATE: usize = 3;
}

/// Limb indices of [`Claim::info`].
pub mod claim_info {
    /// Accused license.
    pub const LICENSE: usize = 0;
    /// End of the challenge window.
    pub const DEADLINE: usize = 1;
    /// One of [`claim_kind`](super::claim_kind).
    pub const KIND: usize = 2;
    /// One of [`claim_state`](super::claim_state).
    pub const STATE: usize = 3;
}

/// A registered model: ownership, lineage, versions, terms and its provers' pool.
#[storage]
pub struct Model {
    /// Current owner (zero: the model does not exist).
    pub owner: StorageAddress,
    /// Nominated next owner, zero if none.
    pub pending_owner: StorageAddress,
    /// Payment asset (zero = ETH).
    pub asset: StorageAddress,
    /// Packed small fields, see [`model_info`].
    pub info: StorageU256,
    /// Fee per usage unit.
    pub usage_fee: StorageU256,
    /// Collateral per license.
    pub collateral: StorageU256,
    /// Fees set aside for provers of this model's licenses (in `asset`).
    pub provers_pool: StorageU256,
    /// Content hash per version number.
    pub versions: StorageMap<u64, StorageB256>,
}

impl Model {
    /// Stores a new model: owner, parent, version 1 and `terms` (already validated).
    pub fn init(&mut self, owner: Address, parent: u64, content_hash: B256, terms: &Terms) {
        self.owner.set(owner);
        self.asset.set(terms.asset);
        self.usage_fee.set(terms.usageFee);
        self.collateral.set(terms.collateral);
        let split = u64::from(terms.creatorBps)
            | u64::from(terms.ancestorsBps) << 16
            | u64::from(terms.proversBps) << 32
            | u64::from(terms.protocolBps) << 48;
        let decay_depth = u64::from(terms.ancestorDecayBps) | u64::from(terms.maxDepth) << 16;
        self.info
            .set(U256::from_limbs([parent, 1, split, decay_depth]));
        self.versions.setter(1).set(content_hash);
    }

    /// Parent model id, zero for a root.
    pub fn parent(&self) -> u64 {
        limbs(&self.info)[model_info::PARENT]
    }

    /// Generations the fee cascade reaches.
    pub fn max_depth(&self) -> usize {
        (limbs(&self.info)[model_info::DECAY_DEPTH] >> 16) as usize
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
            maxDepth: self.max_depth() as u8,
        }
    }

    /// The fee split of this model.
    pub fn split_bps(&self) -> SplitBps {
        let info = limbs(&self.info);
        let split = info[model_info::SPLIT];
        SplitBps {
            creator: split as u16,
            ancestors: (split >> 16) as u16,
            provers: (split >> 32) as u16,
            protocol: (split >> 48) as u16,
            decay: info[model_info::DECAY_DEPTH] as u16,
        }
    }
}

/// A host's license of one model.
#[storage]
pub struct License {
    /// Host that deposited the collateral.
    pub licensee: StorageAddress,
    /// Collateral held (zero once closed or slashed).
    pub collateral: StorageU256,
    /// Fingerprint Merkle root of the host's copy, zero until the owner sets it.
    pub fingerprint_root: StorageB256,
    /// Total usage units paid for.
    pub reported_units: StorageU256,
    /// Packed small fields, see [`license_info`].
    pub info: StorageU256,
}

/// A prover's accusation of a license.
#[storage]
pub struct Claim {
    /// Prover who posted the bond.
    pub prover: StorageAddress,
    /// Bond posted in the license's asset.
    pub bond: StorageU256,
    /// Hash of the off-chain evidence (transcripts, endpoint, usage logs).
    pub evidence_hash: StorageB256,
    /// Packed small fields, see [`claim_info`].
    pub info: StorageU256,
}
