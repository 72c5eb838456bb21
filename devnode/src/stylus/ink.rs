//! Ink: Stylus gas accounting, priced as Nitro prices it.
//!
//! wasmi meters execution with *fuel*. One fuel is [`INK_PER_FUEL`] ink, so one gas is
//! [`FUEL_PER_GAS`] fuel at the default ink price of 10,000 ink per gas. Per-opcode costs come
//! from Nitro's `pricing_v1` table (`crates/prover/src/programs/meter.rs`) rounded to whole fuel;
//! Nitro's per-basic-block header (2,450 ink) is folded into the operators that end a block.
//! Host-io prices are Nitro's (`crates/arbutil/src/pricing.rs`) and the memory model is Nitro's
//! `arbos/programs/memory.go`. `devnode/STYLUS.md` lists where this differs from Nitro.

use wasmi::{CompilationMode, Config, CustomFuelCosts, OperatorCost};

/// Ink per gas (`initialInkPrice`).
pub const INK_PRICE: u64 = 10_000;
/// Ink represented by one unit of wasmi fuel.
pub const INK_PER_FUEL: u64 = 100;
/// wasmi fuel per unit of EVM gas.
pub const FUEL_PER_GAS: u64 = INK_PRICE / INK_PER_FUEL;

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

/// Converts ink into fuel, rounding up so the devnode never undercharges.
pub const fn ink_to_fuel(ink: u64) -> u64 {
    ink.div_ceil(INK_PER_FUEL)
}

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

/// Rounds Nitro ink to fuel for the operator table (at most 255 fuel per operator).
const fn op(ink: u64) -> u8 {
    let fuel = (ink + INK_PER_FUEL / 2) / INK_PER_FUEL;
    if fuel > 255 {
        255
    } else {
        fuel as u8
    }
}

/// Nitro's basic-block header, charged here on the operators that end a block.
const BLOCK_HEADER_INK: u64 = 2_450;

/// wasmi operator costs following Nitro's `pricing_v1`. Operators Nitro prices at `u64::MAX`
/// (floats and other unsupported ones that pass activation) get the largest cost wasmi allows.
pub fn operator_costs() -> OperatorCost {
    let mut c = OperatorCost::default();
    let h = BLOCK_HEADER_INK;
    c.unreachable = op(1);
    c.nop = op(1);
    c.block = op(1);
    c.loop_ = op(1 + h);
    c.if_ = op(765 + h);
    c.else_ = op(1 + h);
    c.end = op(1 + h);
    c.br = op(765 + h);
    c.br_if = op(765 + h);
    c.br_table = op(2400 + h);
    c.return_ = op(1 + h);
    c.call = op(3800 + h);
    c.call_indirect = op(13610 + h);
    c.drop = op(9);
    c.select = op(1250);
    c.typed_select = op(1250);
    c.local_get = op(75);
    c.local_tee = op(75);
    c.local_set = op(210);
    c.global_get = op(225);
    c.global_set = op(575);
    for l in [
        &mut c.i32_load,
        &mut c.i32_load8_s,
        &mut c.i32_load8_u,
        &mut c.i32_load16_s,
        &mut c.i32_load16_u,
    ] {
        *l = op(670);
    }
    for l in [
        &mut c.i64_load,
        &mut c.i64_load8_s,
        &mut c.i64_load8_u,
        &mut c.i64_load16_s,
        &mut c.i64_load16_u,
        &mut c.i64_load32_s,
        &mut c.i64_load32_u,
    ] {
        *l = op(680);
    }
    for s in [&mut c.i32_store, &mut c.i32_store8, &mut c.i32_store16] {
        *s = op(825);
    }
    for s in [
        &mut c.i64_store,
        &mut c.i64_store8,
        &mut c.i64_store16,
        &mut c.i64_store32,
    ] {
        *s = op(950);
    }
    c.memory_size = op(3000);
    c.memory_grow = op(8050);
    c.i32_const = op(1);
    c.i64_const = op(1);
    for x in [
        &mut c.i32_eqz,
        &mut c.i32_eq,
        &mut c.i32_ne,
        &mut c.i32_lt_s,
        &mut c.i32_lt_u,
        &mut c.i32_gt_s,
        &mut c.i32_gt_u,
        &mut c.i32_le_s,
        &mut c.i32_le_u,
        &mut c.i32_ge_s,
        &mut c.i32_ge_u,
    ] {
        *x = op(170);
    }
    for x in [
        &mut c.i64_eqz,
        &mut c.i64_eq,
        &mut c.i64_ne,
        &mut c.i64_lt_s,
        &mut c.i64_lt_u,
        &mut c.i64_gt_s,
        &mut c.i64_gt_u,
        &mut c.i64_le_s,
        &mut c.i64_le_u,
        &mut c.i64_ge_s,
        &mut c.i64_ge_u,
    ] {
        *x = op(225);
    }
    for x in [
        &mut c.i32_clz,
        &mut c.i32_ctz,
        &mut c.i64_clz,
        &mut c.i64_ctz,
    ] {
        *x = op(210);
    }
    for x in [
        &mut c.i32_add,
        &mut c.i32_sub,
        &mut c.i32_and,
        &mut c.i32_or,
        &mut c.i32_xor,
        &mut c.i32_shl,
        &mut c.i32_shr_s,
        &mut c.i32_shr_u,
        &mut c.i32_rotl,
        &mut c.i32_rotr,
    ] {
        *x = op(70);
    }
    for x in [
        &mut c.i64_add,
        &mut c.i64_sub,
        &mut c.i64_and,
        &mut c.i64_or,
        &mut c.i64_xor,
        &mut c.i64_shl,
        &mut c.i64_shr_s,
        &mut c.i64_shr_u,
        &mut c.i64_rotl,
        &mut c.i64_rotr,
    ] {
        *x = op(100);
    }
    c.i32_mul = op(160);
    c.i64_mul = op(160);
    for x in [
        &mut c.i32_div_s,
        &mut c.i32_div_u,
        &mut c.i32_rem_s,
        &mut c.i32_rem_u,
    ] {
        *x = op(1120);
    }
    for x in [
        &mut c.i64_div_s,
        &mut c.i64_div_u,
        &mut c.i64_rem_s,
        &mut c.i64_rem_u,
    ] {
        *x = op(1270);
    }
    c.i32_popcnt = op(2650);
    c.i64_popcnt = op(6000);
    for x in [
        &mut c.i32_wrap_i64,
        &mut c.i64_extend_i32_s,
        &mut c.i64_extend_i32_u,
        &mut c.i32_extend8_s,
        &mut c.i32_extend16_s,
        &mut c.i64_extend8_s,
        &mut c.i64_extend16_s,
        &mut c.i64_extend32_s,
    ] {
        *x = op(100);
    }
    c.memory_copy = op(950);
    c.memory_fill = op(950);
    // Operators Nitro never runs (u64::MAX ink) but that may pass activation.
    for x in [
        &mut c.f32_load,
        &mut c.f64_load,
        &mut c.f32_store,
        &mut c.f64_store,
        &mut c.f32_const,
        &mut c.f64_const,
        &mut c.i32_reinterpret_f32,
        &mut c.i64_reinterpret_f64,
        &mut c.f32_reinterpret_i32,
        &mut c.f64_reinterpret_i64,
    ] {
        *x = u8::MAX;
    }
    c
}

/// The wasmi configuration every Stylus program runs with: Nitro's feature set, fuel metering
/// with Nitro's prices, eager compilation (no lazy-compilation fuel) and no start function.
pub fn engine_config() -> Config {
    let mut config = Config::default();
    config
        .consume_fuel(true)
        .operator_cost(operator_costs())
        .fuel_cost(CustomFuelCosts {
            // MemoryCopy/MemoryFill: 100 ink per byte = 1 fuel per byte.
            bytes_copied_per_fuel: 1,
            fuel_per_bytes_translated: 0,
            fuel_per_bytes_validated: 0,
        })
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
        assert_eq!(ink_to_fuel(8_400), 84);
        assert_eq!(ink_to_fuel(5_040), 51);
        assert_eq!(op(70), 1);
        assert_eq!(op(13_610 + BLOCK_HEADER_INK), 161);
    }
}
