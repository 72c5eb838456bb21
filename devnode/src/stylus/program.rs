//! Activated-program records, stored in the ArbWasm account's storage so they are journaled,
//! committed and persisted with the rest of the state (Nitro keeps them in ArbOS storage).

use revm::{
    context::{BlockEnv, CfgEnv, Context, Journal, TxEnv},
    context_interface::{ContextTr, JournalTr},
    primitives::{keccak256, B256, U256},
    Database,
};

use crate::precompiles::ARB_WASM_ADDRESS;

/// The Stylus version the devnode activates programs at (ArbOS >= 31).
pub const STYLUS_VERSION: u16 = 2;
/// Arbitrum's epoch for `activatedAt` (hours since this Unix time).
pub const ARBITRUM_START_TIME: u64 = 1_421_388_000;
/// Programs expire this many days after (re)activation.
pub const EXPIRY_DAYS: u16 = 365;
/// `codehashKeepalive` is refused until this many days have passed.
pub const KEEPALIVE_DAYS: u16 = 31;
/// `MinInitGas` (units of 128 gas) for Stylus v2.
pub const MIN_INIT_GAS: u64 = 69;
/// `MinCachedInitGas` (units of 32 gas) for Stylus v2.
pub const MIN_CACHED_INIT_GAS: u64 = 11;
/// `InitCostScalar` and `CachedCostScalar` (percent / 2).
pub const INIT_COST_SCALAR: u64 = 50;

/// One activated program, packed as Nitro packs it in a single word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgramRecord {
    /// Stylus version it was activated at (0 = never activated).
    pub version: u16,
    /// Init cost derived at activation.
    pub init_cost: u16,
    /// Cached init cost derived at activation.
    pub cached_cost: u16,
    /// Initial memory pages.
    pub footprint: u16,
    /// Hours since [`ARBITRUM_START_TIME`] at activation (24 bits).
    pub activated_at: u32,
    /// Estimated native size in KiB (24 bits).
    pub asm_kb: u32,
    /// Cached through ArbWasmCache.
    pub cached: bool,
}

/// The state of a codehash as ArbWasm reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramStatus {
    /// Active at the current Stylus version.
    Active(ProgramRecord),
    /// Never activated.
    NotActivated,
    /// Activated at an older Stylus version.
    NeedsUpgrade(u16),
    /// Activated longer than [`EXPIRY_DAYS`] ago (age in seconds).
    Expired(u64),
}

impl ProgramRecord {
    /// Packs the record into a storage word.
    pub fn pack(&self) -> U256 {
        let mut word = [0u8; 32];
        word[0..2].copy_from_slice(&self.version.to_be_bytes());
        word[2..4].copy_from_slice(&self.init_cost.to_be_bytes());
        word[4..6].copy_from_slice(&self.cached_cost.to_be_bytes());
        word[6..8].copy_from_slice(&self.footprint.to_be_bytes());
        word[8..11].copy_from_slice(&self.activated_at.to_be_bytes()[1..]);
        word[11..14].copy_from_slice(&self.asm_kb.to_be_bytes()[1..]);
        word[14] = u8::from(self.cached);
        U256::from_be_bytes(word)
    }

    /// Unpacks a storage word.
    pub fn unpack(value: U256) -> Self {
        let w = value.to_be_bytes::<32>();
        let u24 = |b: &[u8]| u32::from_be_bytes([0, b[0], b[1], b[2]]);
        Self {
            version: u16::from_be_bytes([w[0], w[1]]),
            init_cost: u16::from_be_bytes([w[2], w[3]]),
            cached_cost: u16::from_be_bytes([w[4], w[5]]),
            footprint: u16::from_be_bytes([w[6], w[7]]),
            activated_at: u24(&w[8..11]),
            asm_kb: u24(&w[11..14]),
            cached: w[14] != 0,
        }
    }

    /// Seconds since activation at Unix time `now`.
    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(ARBITRUM_START_TIME + u64::from(self.activated_at) * 3600)
    }

    /// Classifies the record at Unix time `now`.
    pub fn status(self, now: u64) -> ProgramStatus {
        if self.version == 0 {
            ProgramStatus::NotActivated
        } else if self.version != STYLUS_VERSION {
            ProgramStatus::NeedsUpgrade(self.version)
        } else if self.age(now) > u64::from(EXPIRY_DAYS) * 86_400 {
            ProgramStatus::Expired(self.age(now))
        } else {
            ProgramStatus::Active(self)
        }
    }

    /// Gas to start the program (Nitro: init gas when not cached plus cached gas for v2).
    pub fn entry_gas(&self) -> u64 {
        let cached = MIN_CACHED_INIT_GAS * 32
            + (u64::from(self.cached_cost) * INIT_COST_SCALAR * 2).div_ceil(100);
        let init =
            MIN_INIT_GAS * 128 + (u64::from(self.init_cost) * INIT_COST_SCALAR * 2).div_ceil(100);
        if self.cached {
            cached
        } else {
            cached + init
        }
    }
}

/// `activatedAt` for Unix time `now`.
pub fn hours_since_start(now: u64) -> u32 {
    (now.saturating_sub(ARBITRUM_START_TIME) / 3600).min(0xFF_FFFF) as u32
}

/// Storage slot of a codehash's record in the ArbWasm account.
pub fn record_slot(code_hash: B256) -> U256 {
    let mut preimage = b"devnode.stylus.program".to_vec();
    preimage.extend_from_slice(code_hash.as_slice());
    U256::from_be_bytes(keccak256(preimage).0)
}

/// Storage slot of a named ArbWasm parameter or counter.
pub fn param_slot(name: &str) -> U256 {
    U256::from_be_bytes(keccak256(format!("devnode.stylus.{name}")).0)
}

/// The revm context the devnode runs on.
pub type ArbContext<DB> = Context<BlockEnv, TxEnv, CfgEnv, DB, Journal<DB>, ()>;

/// Reads a word from ArbWasm's storage through the journal.
pub fn load_word<DB: Database>(ctx: &mut ArbContext<DB>, slot: U256) -> Result<U256, DB::Error> {
    let journal = ctx.journal_mut();
    journal.load_account(ARB_WASM_ADDRESS)?;
    Ok(journal.sload(ARB_WASM_ADDRESS, slot)?.data)
}

/// Writes a word into ArbWasm's storage through the journal (reverted with its frame).
pub fn store_word<DB: Database>(
    ctx: &mut ArbContext<DB>,
    slot: U256,
    value: U256,
) -> Result<(), DB::Error> {
    let journal = ctx.journal_mut();
    journal.load_account(ARB_WASM_ADDRESS)?;
    journal.sstore(ARB_WASM_ADDRESS, slot, value)?;
    Ok(())
}

/// Reads the record of `code_hash`.
pub fn load_record<DB: Database>(
    ctx: &mut ArbContext<DB>,
    code_hash: B256,
) -> Result<ProgramRecord, DB::Error> {
    Ok(ProgramRecord::unpack(load_word(
        ctx,
        record_slot(code_hash),
    )?))
}

/// Writes the record of `code_hash`.
pub fn store_record<DB: Database>(
    ctx: &mut ArbContext<DB>,
    code_hash: B256,
    record: &ProgramRecord,
) -> Result<(), DB::Error> {
    store_word(ctx, record_slot(code_hash), record.pack())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_round_trip() {
        let record = ProgramRecord {
            version: 2,
            init_cost: 1234,
            cached_cost: 77,
            footprint: 3,
            activated_at: 0xAB_CDEF,
            asm_kb: 700,
            cached: true,
        };
        assert_eq!(ProgramRecord::unpack(record.pack()), record);
        assert_eq!(ProgramRecord::unpack(U256::ZERO).version, 0);
    }

    #[test]
    fn status_and_entry_gas() {
        let now = ARBITRUM_START_TIME + 10 * 3600;
        let record = ProgramRecord {
            version: STYLUS_VERSION,
            activated_at: hours_since_start(now),
            ..Default::default()
        };
        assert_eq!(record.status(now), ProgramStatus::Active(record));
        assert_eq!(
            ProgramRecord::default().status(now),
            ProgramStatus::NotActivated
        );
        let old = ProgramRecord {
            version: 1,
            ..record
        };
        assert_eq!(old.status(now), ProgramStatus::NeedsUpgrade(1));
        let later = now + 366 * 86_400;
        assert!(matches!(record.status(later), ProgramStatus::Expired(_)));
        assert_eq!(record.entry_gas(), 352 + 8_832);
        let costly = ProgramRecord {
            init_cost: 101,
            cached_cost: 3,
            ..record
        };
        assert_eq!(costly.entry_gas(), 352 + 3 + 8_832 + 101);
    }
}
