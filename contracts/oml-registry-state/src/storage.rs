//! Storage layout: every record field is one `uint256` word of a single map, keyed by
//! `(table, id, field)`, and small fields (ids, counters, timestamps, states, basis points) are
//! packed as 64-bit limbs of one `info` word per record.
//!
//! A `#[storage]` struct per record type would compute every field's slot on each access
//! (kilobytes of wasm per struct) and instantiate the storage code of each field type; one
//! word map keeps the contract small, and each packed `info` word costs one storage slot
//! instead of several.
use alloy_primitives::{Address, B256, U256};

use crate::sol::Terms;
use crate::split::SplitBps;
use crate::Registry;

/// Record tables (the first key component).
pub mod table {
    /// Contract-wide words (id 0): see [`global`](super::global).
    pub const GLOBAL: u64 = 0;
    /// Models by id: see [`model`](super::model).
    pub const MODEL: u64 = 1;
    /// Content hash of each version: id = model id, field = version number.
    pub const VERSION: u64 = 2;
    /// Licenses by id: see [`license`](super::license).
    pub const LICENSE: u64 = 3;
    /// Claims by id: see [`claim`](super::claim).
    pub const CLAIM: u64 = 4;
}

/// Field 0 of every record: its packed small fields.
pub const INFO: u64 = 0;

/// Contract-wide words.
pub mod global {
    /// Packed config: limbs [challenge window, cooldown, bond bps, bounty bps | slash bps << 32].
    pub const CONFIG: u64 = super::INFO;
    /// Packed counts: limbs [models, licenses, claims, 0] (ids of each run from 1).
    pub const COUNTS: u64 = 1;
    /// Receiver of the protocol's shares.
    pub const TREASURY: u64 = 2;
    /// Config limb: seconds a claim can be disputed.
    pub const WINDOW: usize = 0;
    /// Config limb: seconds from termination to collateral release.
    pub const COOLDOWN: usize = 1;
    /// Config limb: prover bond in bps of the collateral.
    pub const BOND_BPS: usize = 2;
    /// Config limb: bounty bps | treasury slash bps << 32.
    pub const SLASH_BPS: usize = 3;
    /// Counts limb: registered models.
    pub const MODELS: usize = 0;
    /// Counts limb: requested licenses.
    pub const LICENSES: usize = 1;
    /// Counts limb: submitted claims.
    pub const CLAIMS: usize = 2;
}

/// Model fields and `info` limbs.
pub mod model {
    /// Current owner (zero: the model does not exist).
    pub const OWNER: u64 = 1;
    /// Nominated next owner, zero if none.
    pub const PENDING_OWNER: u64 = 2;
    /// Payment asset (zero = ETH).
    pub const ASSET: u64 = 3;
    /// Fee per usage unit.
    pub const USAGE_FEE: u64 = 4;
    /// Collateral per license.
    pub const COLLATERAL: u64 = 5;
    /// Fees set aside for provers of this model's licenses (in its asset).
    pub const PROVERS_POOL: u64 = 6;
    /// Info limb: parent model id, zero for a root model.
    pub const PARENT: usize = 0;
    /// Info limb: number of published versions (registration is version 1).
    pub const VERSIONS: usize = 1;
    /// Info limb: creator | ancestors << 16 | provers << 32 | protocol << 48 (bps).
    pub const SPLIT: usize = 2;
    /// Info limb: decay bps | max depth << 16.
    pub const DECAY_DEPTH: usize = 3;
}

/// License fields and `info` limbs.
pub mod license {
    /// Host that deposited the collateral.
    pub const LICENSEE: u64 = 1;
    /// Collateral held (zero once closed or slashed).
    pub const COLLATERAL: u64 = 2;
    /// Fingerprint Merkle root of the host's copy, zero until the owner sets it.
    pub const ROOT: u64 = 3;
    /// Total usage units paid for.
    pub const UNITS: u64 = 4;
    /// Depth of the fingerprint tree (the length of every proof), set with the root.
    pub const DEPTH: u64 = 5;
    /// Info limb: licensed model.
    pub const MODEL: usize = 0;
    /// Info limb: when a terminating license's collateral may be released.
    pub const RELEASE_AT: usize = 1;
    /// Info limb: the claim pending against this license, zero if none.
    pub const ACTIVE_CLAIM: usize = 2;
    /// Info limb: one of [`license_state`](super::license_state).
    pub const STATE: usize = 3;
}

/// Claim fields and `info` limbs.
pub mod claim {
    /// Prover who posted the bond.
    pub const PROVER: u64 = 1;
    /// Bond posted in the license's asset.
    pub const BOND: u64 = 2;
    /// Hash of the off-chain evidence (transcripts, endpoint, usage logs).
    pub const EVIDENCE: u64 = 3;
    /// Info limb: accused license.
    pub const LICENSE: usize = 0;
    /// Info limb: end of the challenge window while pending; once disputed, the end of
    /// governance's time to resolve it.
    pub const DEADLINE: usize = 1;
    /// Info limb: one of [`claim_kind`](super::claim_kind).
    pub const KIND: usize = 2;
    /// Info limb: one of [`claim_state`](super::claim_state).
    pub const STATE: usize = 3;
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
    /// Disputed; governance decides before the resolution deadline, after it the claim is
    /// rejected by default.
    pub const DISPUTED: u64 = 2;
    /// The license was slashed.
    pub const UPHELD: u64 = 3;
    /// Rejected by governance or by default after the resolution deadline: the bond went to
    /// the licensee.
    pub const REJECTED: u64 = 4;
}

/// Claim kinds.
pub mod claim_kind {
    /// A deployment that is not the licensee's answered this license's fingerprints.
    pub const LEAKED_COPY: u8 = 0;
    /// The licensee served more units than it reported.
    pub const UNPAID_USAGE: u8 = 1;
}

/// A word as an address (its low 20 bytes).
pub fn to_address(word: U256) -> Address {
    Address::from_word(B256::from(word))
}

/// An address as a word.
pub fn from_address(address: Address) -> U256 {
    U256::from_be_bytes(address.into_word().0)
}

/// The fee split packed in a model's info word.
pub fn split_of(info: [u64; 4]) -> SplitBps {
    let split = info[model::SPLIT];
    SplitBps {
        creator: split as u16,
        ancestors: (split >> 16) as u16,
        provers: (split >> 32) as u16,
        protocol: (split >> 48) as u16,
        decay: info[model::DECAY_DEPTH] as u16,
    }
}

/// Generations a model's fee cascade reaches, from its info word.
pub fn max_depth_of(info: [u64; 4]) -> usize {
    (info[model::DECAY_DEPTH] >> 16) as usize
}

impl Registry {
    /// The word at `(table, id, field)`.
    #[inline(never)]
    pub(crate) fn word(&self, table: u64, id: u64, field: u64) -> U256 {
        self.records.get(U256::from_limbs([field, id, table, 0]))
    }

    /// Writes the word at `(table, id, field)`.
    #[inline(never)]
    pub(crate) fn set_word(&mut self, table: u64, id: u64, field: u64, value: U256) {
        self.records
            .setter(U256::from_limbs([field, id, table, 0]))
            .set(value);
    }

    /// The address at `(table, id, field)`.
    pub(crate) fn address(&self, table: u64, id: u64, field: u64) -> Address {
        to_address(self.word(table, id, field))
    }

    /// Writes an address at `(table, id, field)`.
    pub(crate) fn set_address(&mut self, table: u64, id: u64, field: u64, value: Address) {
        self.set_word(table, id, field, from_address(value));
    }

    /// The packed small fields of a record.
    pub(crate) fn info(&self, table: u64, id: u64) -> [u64; 4] {
        self.word(table, id, INFO).into_limbs()
    }

    /// Writes the packed small fields of a record.
    pub(crate) fn set_info(&mut self, table: u64, id: u64, info: [u64; 4]) {
        self.set_word(table, id, INFO, U256::from_limbs(info));
    }

    /// Overwrites limb `index` of a record's info word.
    pub(crate) fn set_info_limb(&mut self, table: u64, id: u64, index: usize, value: u64) {
        let mut info = self.info(table, id);
        info[index] = value;
        self.set_info(table, id, info);
    }

    /// Stores a new model: owner, parent, version 1 and `terms` (already validated).
    pub(crate) fn store_model(
        &mut self,
        id: u64,
        owner: Address,
        parent: u64,
        content_hash: B256,
        terms: &Terms,
    ) {
        use table::MODEL;
        self.set_address(MODEL, id, model::OWNER, owner);
        self.set_address(MODEL, id, model::ASSET, terms.asset);
        self.set_word(MODEL, id, model::USAGE_FEE, terms.usageFee);
        self.set_word(MODEL, id, model::COLLATERAL, terms.collateral);
        let split = u64::from(terms.creatorBps)
            | u64::from(terms.ancestorsBps) << 16
            | u64::from(terms.proversBps) << 32
            | u64::from(terms.protocolBps) << 48;
        let decay_depth = u64::from(terms.ancestorDecayBps) | u64::from(terms.maxDepth) << 16;
        self.set_info(MODEL, id, [parent, 1, split, decay_depth]);
        self.set_word(table::VERSION, id, 1, content_hash.into());
    }

    /// The stored terms of a model.
    pub(crate) fn model_terms(&self, id: u64) -> Terms {
        use table::MODEL;
        let info = self.info(MODEL, id);
        let bps = split_of(info);
        Terms {
            asset: self.address(MODEL, id, model::ASSET),
            usageFee: self.word(MODEL, id, model::USAGE_FEE),
            collateral: self.word(MODEL, id, model::COLLATERAL),
            creatorBps: bps.creator,
            ancestorsBps: bps.ancestors,
            proversBps: bps.provers,
            protocolBps: bps.protocol,
            ancestorDecayBps: bps.decay,
            maxDepth: max_depth_of(info) as u8,
        }
    }

    /// Payment asset of the model a license belongs to.
    pub(crate) fn license_asset(&self, license_info: [u64; 4]) -> Address {
        self.address(table::MODEL, license_info[license::MODEL], model::ASSET)
    }
}
