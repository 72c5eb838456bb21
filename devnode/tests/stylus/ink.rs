//! Runtime ink exactly as Nitro meters it: every expected figure below is computed by hand from
//! Nitro's `pricing_v1` table (`crates/prover/src/programs/meter.rs`), its 2,450-ink header per
//! basic block, the dynamic meter's 100 ink per `memory.fill`/`memory.copy` byte and the host-io
//! prices. The programs measure themselves with `evm_ink_left` and return the ink spent.

use crate::support::{output, Chain};

/// Runs `body` between two `evm_ink_left` calls and returns `before - after` as 8 little-endian
/// bytes. `n` is the calldata (a little-endian u32), available in local `$n`; locals `$i`,
/// `$acc`, `$x` (i32) and `$h` (i64) are free for the body.
///
/// Between the two readings the program pays for (besides `body`):
/// - the block `local.set $before` + whatever starts the body, closed by the body's first
///   block-ending operator (counted in each test);
/// - the block `local.get $before`, `call $ink_left`: 75 + 3,800 + 2,450 = 6,325 ink;
/// - the second `evm_ink_left`: HOSTIO_INK = 8,400 ink.
fn measure(body: &str, extra: &str) -> String {
    format!(
        r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "evm_ink_left" (func $ink_left (result i64)))
  (import "vm_hooks" "native_keccak256" (func $keccak (param i32 i32 i32)))
  (memory (export "memory") 1 1)
  {extra}
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $n i32) (local $i i32) (local $acc i32) (local $x i32) (local $h i64) (local $before i64)
    i32.const 0
    call $read_args
    i32.const 0
    i32.load
    local.set $n
    call $ink_left
    local.set $before
    {body}
    local.get $before
    call $ink_left
    i64.sub
    local.set $before
    i32.const 0
    local.get $before
    i64.store
    i32.const 0
    i32.const 8
    call $write_result
    i32.const 0))"#
    )
}

fn ink_spent(chain: &mut Chain, program: revm::primitives::Address, n: u32) -> u64 {
    let result = chain.call(program, n.to_le_bytes().to_vec());
    assert!(result.is_success(), "{result:?}");
    u64::from_le_bytes(output(&result).try_into().expect("8 bytes"))
}

/// The counting loop:
///
/// ```text
/// block C: local.set $before (210), local.get $n (75), local.set $i (210), loop (1)
///          + header 2,450                                               =  2,946
/// block D, once per iteration:
///          local.get $acc 75, local.get $i 75, i32.add 70, local.set $acc 210,
///          local.get $i 75, i32.const 1 1, i32.sub 70, local.tee $i 75, br_if 765
///          = 1,416 + header 2,450                                       =  3,866
/// block E: end of the loop (1) + header 2,450                           =  2,451
/// block F: local.get $before 75 + call 3,800 + header 2,450             =  6,325
/// evm_ink_left                                                          =  8,400
/// ```
///
/// so `n` iterations cost 20,122 + 3,866 n ink.
const LOOP: &str = "local.get $n
    local.set $i
    loop $l
      local.get $acc
      local.get $i
      i32.add
      local.set $acc
      local.get $i
      i32.const 1
      i32.sub
      local.tee $i
      br_if $l
    end";

#[test]
fn a_counting_loop_costs_nitros_ink_per_basic_block() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(&measure(LOOP, ""));
    for n in [1u32, 2, 100, 255] {
        assert_eq!(
            ink_spent(&mut chain, program, n),
            20_122 + 3_866 * u64::from(n),
            "n = {n}"
        );
    }
}

/// `memory.fill` of `n` bytes, then `br_table` with three targets and a `call_indirect` of a
/// two-parameter function:
///
/// ```text
/// block C: local.set $before 210, i32.const 0 1, i32.const 7 1, local.get $n 75,
///          memory.fill 950, block 1, block 1, block 1, local.get $n 75,
///          br_table (3 targets + default) 2,400 + 3 * 325 = 3,375
///          + header 2,450                                               =  7,140
///          + the dynamic meter: 100 ink per byte filled                 =    100 n
/// with n >= 3, br_table takes its default label, the outermost block: execution goes on after
/// that block's `end`, so the headers of the three `end` blocks (inside the blocks) never run.
/// block G: i32.const 5 1, i32.const 6 1, i32.const 0 1,
///          call_indirect (2 params) 13,610 + 2 * 650 = 14,910 + header  = 17,363
/// in $add: local.get 75, local.get 75, i32.add 70, end 1 + header       =  2,671
/// block H: local.set $x 210 + then block F                               (F = 6,325 with it)
/// evm_ink_left                                                          =  8,400
/// ```
const BULK_AND_TABLES: &str = "i32.const 0
    i32.const 7
    local.get $n
    memory.fill
    block $outer
      block $mid
        block $inner
          local.get $n
          br_table $inner $mid $outer $outer
        end
        unreachable
      end
      unreachable
    end
    i32.const 5
    i32.const 6
    i32.const 0
    call_indirect (type $pair)
    local.set $x";

const TABLE: &str = r#"(type $pair (func (param i32 i32) (result i32)))
  (table 1 1 funcref)
  (elem (i32.const 0) $add)
  (func $add (type $pair) local.get 0 local.get 1 i32.add)"#;

#[test]
fn bulk_memory_br_table_and_call_indirect_pay_nitros_extras() {
    let mut chain = Chain::new();
    let program = chain.deploy_active(&measure(BULK_AND_TABLES, TABLE));
    for n in [3u32, 10, 200] {
        let n64 = u64::from(n);
        // C + fill + G + $add + (H + F) + evm_ink_left
        let expected = 7_140 + 100 * n64 + 17_363 + 2_671 + (210 + 6_325) + 8_400;
        assert_eq!(ink_spent(&mut chain, program, n), expected, "n = {n}");
    }
}

#[test]
fn an_exhausted_meter_ends_the_call_out_of_gas_with_all_gas_used() {
    // 255 iterations of block D need about 1,000,000 ink (100 gas): a gas limit just above the
    // entry costs leaves too little.
    let mut chain = Chain::new();
    let program = chain.deploy_active(&measure(LOOP, ""));
    let enough = chain.call(program, 255u32.to_le_bytes().to_vec());
    let needed = enough.tx_gas_used();
    let limit = needed - 50;
    let result = chain.tx(
        revm::primitives::TxKind::Call(program),
        255u32.to_le_bytes().to_vec(),
        revm::primitives::U256::ZERO,
        limit,
    );
    assert!(result.is_halt(), "{result:?}");
    assert_eq!(result.tx_gas_used(), limit);
}

/// The probe's integer arithmetic loop (a 64-bit LCG step per iteration):
///
/// ```text
/// block C: local.set $before 210, local.get $n 75, local.set $i 210, loop 1 + header =  2,946
/// per iteration: local.get $h 75, i64.const 1, i64.mul 160, local.get $i 75,
///          i64.extend_i32_u 100, i64.add 100, local.set $h 210, local.get $i 75,
///          i32.const 1, i32.sub 70, local.tee $i 75, br_if 765 = 1,707 + header =  4,157
/// block E 2,451, block F 6,325, evm_ink_left 8,400
/// ```
///
/// `n` iterations: 20,122 + 4,157 n ink.
const PROBE_ARITHMETIC: &str = "local.get $n
    local.set $i
    loop $l
      local.get $h
      i64.const 6364136223846793005
      i64.mul
      local.get $i
      i64.extend_i32_u
      i64.add
      local.set $h
      local.get $i
      i32.const 1
      i32.sub
      local.tee $i
      br_if $l
    end";

/// The probe's chained `native_keccak256` (hashing 32 bytes in place):
///
/// ```text
/// block C as in the arithmetic loop                                               =   2,946
/// per iteration: i32.const x3 3, call 3,800 + header                              =   6,253
///          keccak of 32 bytes (Nitro `keccak_price`)                               = 121,800
///          local.get $i 75, i32.const 1, i32.sub 70, local.tee $i 75, br_if 765
///          + header                                                                =   3,436
/// block E 2,451, block F 6,325, evm_ink_left 8,400
/// ```
///
/// `n` iterations: 20,122 + 131,489 n ink.
const PROBE_KECCAK: &str = "local.get $n
    local.set $i
    loop $l
      i32.const 64
      i32.const 32
      i32.const 64
      call $keccak
      local.get $i
      i32.const 1
      i32.sub
      local.tee $i
      br_if $l
    end";

/// The probe's fill-and-sum of an `n`-byte vector:
///
/// ```text
/// block C: local.set $before 210, i32.const x2 2, local.get $n 75, memory.fill 950,
///          loop 1 + header                                                        =  3,688
///          memory.fill, dynamic meter: 100 ink per byte                             =  100 n
/// per iteration: local.get $acc 75, local.get $i 75, i32.load8_u 670, i32.add 70,
///          local.set $acc 210, local.get $i 75, i32.const 1, i32.add 70,
///          local.tee $i 75, local.get $n 75, i32.lt_u 170, br_if 765 = 2,331 + header =  4,781
/// block E 2,451, block F 6,325, evm_ink_left 8,400
/// ```
///
/// `n` bytes: 20,864 + 4,881 n ink.
const PROBE_FILL_AND_SUM: &str = "i32.const 64
    i32.const 7
    local.get $n
    memory.fill
    loop $l
      local.get $acc
      local.get $i
      i32.load8_u offset=64
      i32.add
      local.set $acc
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      local.get $n
      i32.lt_u
      br_if $l
    end";

#[test]
fn probe_loops_cost_their_hand_computed_ink_at_ten_thousand_iterations() {
    let mut chain = Chain::new();
    let arithmetic = chain.deploy_active(&measure(PROBE_ARITHMETIC, ""));
    let keccak = chain.deploy_active(&measure(PROBE_KECCAK, ""));
    let fill = chain.deploy_active(&measure(PROBE_FILL_AND_SUM, ""));
    for n in [100u32, 1_000, 10_000] {
        let n64 = u64::from(n);
        assert_eq!(ink_spent(&mut chain, arithmetic, n), 20_122 + 4_157 * n64);
        assert_eq!(ink_spent(&mut chain, keccak, n), 20_122 + 131_489 * n64);
        assert_eq!(ink_spent(&mut chain, fill, n), 20_864 + 4_881 * n64);
    }
}
