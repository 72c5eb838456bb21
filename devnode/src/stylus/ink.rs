//! Ink: Stylus gas accounting, priced as Nitro prices it.
//!
//! One gas is [`INK_PRICE`] ink. Operators are metered by the instrumentation in
//! `stylus::meter` (Nitro's per-basic-block ink meter); this module holds the host-io prices
//! (Nitro's `crates/arbutil/src/pricing.rs`), the memory model (Nitro's
//! `arbos/programs/memory.go`) and the wasmi configuration. `devnode/STYLUS.md` lists where the
//! devnode differs from Nitro.

use wasmi::{CompilationMode, Config};

/// Ink per gas (`initialInkPrice`).
pub const INK_PRICE: u64 = 10_000;

/// Base cost of every host-io.
pub const HOSTIO_INK: u64 = 8_400;
/// Cost of passing one pointer to a host-io.
pub const PTR_INK: u64 = 5_040;
/// Cost of a host-io that goes through the EVM API.
pub const EVM_API_INK: u64 = 59_673;
/// `math_div` / `math_mod` extra cost.
pub const DIV_INK: u64 = 20_000;
/// `math_add_mod` extra cost.
pub const ADD_MOD_INK: u64 = 21_000;
/// `math_mul_mod` extra cost.
pub const MUL_MOD_INK: u64 = 24_100;

/// Price of writing `bytes` into wasm memory.
pub const fn write_price(bytes: u64) -> u64 {
    PTR_INK + 30 * bytes.saturating_sub(32)
}

/// Price of reading `bytes` out of wasm memory.
pub const fn read_price(bytes: u64) -> u64 {
    16_381 + 55 * bytes.saturating_sub(32)
}

/// Ink of `native_keccak256` over `bytes` (no base host-io charge).
pub const fn keccak_price(bytes: u64) -> u64 {
    let words = bytes.div_ceil(32);
    121_800 + 21_000 * words.saturating_sub(2)
}

/// Ink of `math_pow` for an exponent whose big-endian form has `leading_zero_bytes` zeros.
pub const fn pow_price(leading_zero_bytes: u64) -> u64 {
    3_000 + 17_500 * (33 - leading_zero_bytes)
}

/// Pages (64 KiB) that cost nothing per transaction.
pub const FREE_PAGES: u16 = 2;
/// Gas per page opened beyond the free pages.
pub const PAGE_GAS: u64 = 1_000;
/// Most pages a transaction may ever have open.
pub const PAGE_LIMIT: u16 = 128;
/// Reported by ArbWasm `pageRamp()`; unused in the cost (as in Nitro).
pub const PAGE_RAMP: u64 = 620_674_314;

/// `exp[p] = floor(31874000^(p/128))`, Nitro's memory expansion table (`memory.go`), computed
/// once; entry 128 is pinned to Nitro's hard-coded 31,873,999.
fn memory_exponents() -> &'static [u64; 129] {
    static TABLE: std::sync::OnceLock<[u64; 129]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u64; 129];
        for (pages, entry) in table.iter_mut().enumerate() {
            *entry = 31_874_000f64.powf(pages as f64 / 128.0).floor() as u64;
        }
        table[128] = 31_873_999;
        table
    })
}

/// Memory expansion cost for reaching `pages` ever-open pages (`u64::MAX` beyond the limit).
fn expansion_exponent(pages: u16) -> u64 {
    memory_exponents()
        .get(pages as usize)
        .copied()
        .unwrap_or(u64::MAX)
}

/// Per-transaction memory counters (Nitro keeps them in the StateDB).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryModel {
    /// Pages open in the current call stack.
    pub open: u16,
    /// High-water mark of open pages in the transaction.
    pub ever: u16,
}

impl MemoryModel {
    /// Gas for opening `new` more pages (Nitro `GasCost(new, open, ever)`); `u64::MAX` when the
    /// transaction would exceed [`PAGE_LIMIT`].
    pub fn gas_cost(&self, new: u16) -> u64 {
        let Some(new_open) = self.open.checked_add(new) else {
            return u64::MAX;
        };
        let new_ever = self.ever.max(new_open);
        if new_ever <= FREE_PAGES {
            return 0;
        }
        if new_ever > PAGE_LIMIT {
            return u64::MAX;
        }
        let adding = u64::from(new_open.saturating_sub(FREE_PAGES))
            - u64::from(self.open.saturating_sub(FREE_PAGES));
        let linear = adding.saturating_mul(PAGE_GAS);
        let expand = expansion_exponent(new_ever) - expansion_exponent(self.ever);
        linear.saturating_add(expand)
    }

    /// Records `new` pages as open.
    pub fn open_pages(&mut self, new: u16) {
        self.open = self.open.saturating_add(new);
        self.ever = self.ever.max(self.open);
    }
}

/// The wasmi configuration every Stylus program runs with: Nitro's feature set, no fuel metering
/// of wasmi's own (the instrumented program meters its ink), eager compilation and no start
/// function.
pub fn engine_config() -> Config {
    let mut config = Config::default();
    config
        .consume_fuel(false)
        .compilation_mode(CompilationMode::Eager)
        .allow_start_fn(false)
        .wasm_mutable_global(true)
        .wasm_saturating_float_to_int(true)
        .wasm_sign_extension(true)
        .wasm_multi_value(true)
        .wasm_bulk_memory(true)
        // Activation (wasmparser without reference types) has refused the proposal already.
        .wasm_reference_types(false)
        .wasm_tail_call(false)
        .wasm_extended_const(false)
        .wasm_multi_memory(false)
        .wasm_custom_page_sizes(false)
        .wasm_wide_arithmetic(false)
        .floats(true);
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_table_is_monotonic_and_pinned() {
        let table = memory_exponents();
        assert_eq!(table[0], 1);
        assert_eq!(table[64], 5_645);
        assert_eq!(table[128], 31_873_999);
        assert!(table.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn memory_cost_follows_nitro() {
        let fresh = MemoryModel::default();
        assert_eq!(fresh.gas_cost(2), 0);
        // Crossing the free pages: linear cost only (exp[3] = exp[0] = 1).
        assert_eq!(fresh.gas_cost(3), 1_000);
        assert_eq!(fresh.gas_cost(129), u64::MAX);
        let mut m = MemoryModel::default();
        m.open_pages(10);
        assert_eq!(m, MemoryModel { open: 10, ever: 10 });
        let expand = 31_873_999 - memory_exponents()[10];
        assert_eq!(m.gas_cost(118), 118_000 + expand);
        assert_eq!(m.gas_cost(119), u64::MAX);
        assert_eq!(m.gas_cost(u16::MAX), u64::MAX);
    }

    #[test]
    fn prices() {
        assert_eq!(write_price(32), 5_040);
        assert_eq!(write_price(64), 5_040 + 960);
        assert_eq!(read_price(10), 16_381);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 142_800);
        assert_eq!(pow_price(32), 3_000 + 17_500);
    }
}
