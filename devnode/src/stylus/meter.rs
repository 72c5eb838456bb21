//! Nitro's ink metering, injected into a program's wasm before wasmi compiles it.
//!
//! Nitro does not meter operators one by one: its ink meter middleware
//! (`crates/prover/src/programs/meter.rs`) buffers the operators of each basic block and puts a
//! header in front of the block that checks and takes the whole block's ink at once, the sum of
//! the block's [`pricing_v1`] costs plus [`HEADER_INK`]. A block ends at `end`, `else`, `return`,
//! `loop`, `br`, `br_if`, `br_table`, `if`, `call` and `call_indirect`. The dynamic meter
//! (`dynamic.rs`) charges `memory.fill` and `memory.copy` [`BULK_MEMORY_INK_PER_BYTE`] per byte
//! just before they run, and the heap bound (`heap.rs`) calls `pay_for_memory_grow` before every
//! `memory.grow` of a growable memory. [`instrument`] rewrites the wasm the same way, with the
//! same operators and globals, so a program burns exactly Nitro's ink; wasmi runs it without a
//! fuel meter of its own. Original operators are copied byte for byte.
//!
//! The ink left lives in the exported global [`INK_LEFT`] and the out-of-ink flag in
//! [`INK_STATUS`], as in Nitro; host functions buy ink through [`InkMeter`].

use wasm_encoder::{
    BlockType, ConstExpr, Encode, ExportKind, GlobalType, Instruction, Module, RawSection, ValType,
};
use wasmi::{AsContext, AsContextMut, Instance, Val};
use wasmparser::{CompositeInnerType, Operator, Parser, Payload, TypeRef};

/// Export name of the global holding the ink left (Nitro's `STYLUS_INK_LEFT`).
pub const INK_LEFT: &str = "stylus_ink_left";
/// Export name of the global that is 1 once the program ran out of ink (`STYLUS_INK_STATUS`).
pub const INK_STATUS: &str = "stylus_ink_status";
/// Ink of checking and taking a block's ink (`ink_header_cost`, Stylus versions 1 and 2).
pub const HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.fill` and `memory.copy` (`memory_fill_ink`, `memory_copy_ink`).
pub const BULK_MEMORY_INK_PER_BYTE: u64 = 800 / 8;

/// Nitro's `pricing_v1`: the ink of one operator. `params` gives the parameter count of each
/// type (for `call_indirect`). Operators Nitro does not support cost `u64::MAX`, so a block
/// holding one always runs out of ink.
pub fn pricing_v1(op: &Operator<'_>, params: &[u32]) -> u64 {
    use Operator::*;
    match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Drop => 9,
        Block { .. } | Loop { .. } | Else | End => 1,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1250,
        Call { .. } => 3800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3000,
        MemoryGrow { .. } => 8050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Clz | I64Ctz => 210,
        I64Add | I64Sub => 100,
        I64Mul => 160,
        I64DivS | I64DivU | I64RemS | I64RemU => 1270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2650,
        I64Popcnt => 6000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2400 + 325 * u64::from(targets.len()),
        CallIndirect { type_index, .. } => {
            let inputs = params.get(*type_index as usize).copied().unwrap_or(0);
            13_610 + 650 * u64::from(inputs)
        }
        _ => u64::MAX,
    }
}

/// Whether `op` ends a basic block (Nitro's `OperatorInfo::ends_basic_block`).
pub fn ends_basic_block(op: &Operator<'_>) -> bool {
    use Operator::*;
    matches!(
        op,
        End | Else
            | Return
            | Loop { .. }
            | Br { .. }
            | BrIf { .. }
            | BrTable { .. }
            | If { .. }
            | Call { .. }
            | CallIndirect { .. }
    )
}

/// Indices of the globals the instrumentation adds.
#[derive(Clone, Copy, Debug)]
struct Globals {
    ink: u32,
    status: u32,
    scratch: u32,
}

fn encode_all(out: &mut Vec<u8>, instructions: &[Instruction<'_>]) {
    for instruction in instructions {
        instruction.encode(out);
    }
}

/// The ink meter's 12-operator block header: out of ink (status 1, trap) unless `cost` is left,
/// then take it.
fn block_header(out: &mut Vec<u8>, g: Globals, cost: u64) {
    use Instruction::*;
    // Nitro writes the cost as an `i64.const` of the saturated u64 (`u64::MAX` becomes -1).
    let cost = cost as i64;
    encode_all(
        out,
        &[
            GlobalGet(g.ink),
            I64Const(cost),
            I64LtU,
            If(BlockType::Empty),
            I32Const(1),
            GlobalSet(g.status),
            Unreachable,
            End,
            GlobalGet(g.ink),
            I64Const(cost),
            I64Sub,
            GlobalSet(g.ink),
        ],
    );
}

/// The dynamic meter's 17 operators before `memory.fill`/`memory.copy`: takes
/// `size * per_byte` ink, out of ink when that underflows.
fn bulk_memory_charge(out: &mut Vec<u8>, g: Globals, per_byte: u64) {
    use Instruction::*;
    encode_all(
        out,
        &[
            GlobalSet(g.scratch),
            GlobalGet(g.ink),
            GlobalGet(g.ink),
            GlobalGet(g.scratch),
            I64ExtendI32U,
            I64Const(per_byte as i64),
            I64Mul,
            I64Sub,
            GlobalSet(g.ink),
            GlobalGet(g.ink),
            I64LtU,
            If(BlockType::Empty),
            I32Const(1),
            GlobalSet(g.status),
            Unreachable,
            End,
            GlobalGet(g.scratch),
        ],
    );
}

/// The heap bound's 4 operators before `memory.grow`: pay for the pages first.
fn grow_charge(out: &mut Vec<u8>, g: Globals, pay_for_memory_grow: u32) {
    use Instruction::*;
    encode_all(
        out,
        &[
            GlobalSet(g.scratch),
            GlobalGet(g.scratch),
            GlobalGet(g.scratch),
            Call(pay_for_memory_grow),
        ],
    );
}

/// What the code rewriter needs to know about the module.
struct Context {
    globals: Globals,
    /// Parameter count of each type.
    params: Vec<u32>,
    /// Index of the imported `pay_for_memory_grow` when memory can grow.
    pay_for_memory_grow: Option<u32>,
}

/// Rewrites one function body (`range` in `wasm`) with the meters' instrumentation.
fn instrument_body(
    wasm: &[u8],
    body: &wasmparser::FunctionBody<'_>,
    cx: &Context,
) -> Result<Vec<u8>, String> {
    let range = body.range();
    let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
    let mut out = wasm[range.start..reader.original_position()].to_vec();
    let mut block = Vec::new();
    let mut block_cost = 0u64;
    while !reader.eof() {
        let start = reader.original_position();
        let op = reader.read().map_err(|e| e.to_string())?;
        let bytes = &wasm[start..reader.original_position()];
        block_cost = block_cost.saturating_add(pricing_v1(&op, &cx.params));
        match op {
            Operator::MemoryFill { .. } | Operator::MemoryCopy { .. } => {
                bulk_memory_charge(&mut block, cx.globals, BULK_MEMORY_INK_PER_BYTE);
            }
            Operator::MemoryGrow { .. } => {
                if let Some(pay) = cx.pay_for_memory_grow {
                    grow_charge(&mut block, cx.globals, pay);
                }
            }
            _ => {}
        }
        block.extend_from_slice(bytes);
        if ends_basic_block(&op) {
            block_header(&mut out, cx.globals, block_cost.saturating_add(HEADER_INK));
            out.append(&mut block);
            block_cost = 0;
        }
    }
    // A valid body ends with `end`, which flushed the last block.
    out.append(&mut block);
    Ok(out)
}

/// Section ids (the wasm binary format).
mod section {
    pub(super) const CUSTOM: u8 = 0;
    pub(super) const GLOBAL: u8 = 6;
    pub(super) const EXPORT: u8 = 7;

    /// Where a non-custom section must appear: type, import, function, table, memory, tag,
    /// global, export, start, element, data count, code, data.
    pub(super) fn position(id: u8) -> usize {
        const ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
        ORDER.iter().position(|&x| x == id).unwrap_or(ORDER.len())
    }
}

/// Writes `count` followed by `entries`, as a section body.
fn section_body(count: u32, entries: &[u8]) -> Vec<u8> {
    let mut data = Vec::with_capacity(entries.len() + 5);
    count.encode(&mut data);
    data.extend_from_slice(entries);
    data
}

/// The global entries the instrumentation adds: ink left (i64), status (i32), scratch (i32).
fn added_globals() -> Vec<u8> {
    let mut out = Vec::new();
    for (ty, init) in [
        (ValType::I64, ConstExpr::i64_const(0)),
        (ValType::I32, ConstExpr::i32_const(0)),
        (ValType::I32, ConstExpr::i32_const(0)),
    ] {
        GlobalType {
            val_type: ty,
            mutable: true,
            shared: false,
        }
        .encode(&mut out);
        init.encode(&mut out);
    }
    out
}

/// The export entries for the ink and status globals.
fn added_exports(g: Globals) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, index) in [(INK_LEFT, g.ink), (INK_STATUS, g.status)] {
        name.encode(&mut out);
        ExportKind::Global.encode(&mut out);
        index.encode(&mut out);
    }
    out
}

/// Instruments an activated program's wasm with Nitro's ink meter, dynamic meter and heap bound.
///
/// # Errors
/// A description of the first parse error (activation has validated the program already, so
/// this only happens for wasm that was never activated).
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let parse = |e: wasmparser::BinaryReaderError| e.to_string();

    // First pass: what the rewriter needs (types, imports, memory, global count).
    let mut params = Vec::new();
    let mut imported_funcs = 0u32;
    let mut imported_globals = 0u32;
    let mut pay_import = None;
    let mut growable = false;
    let mut defined_globals = 0u32;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(parse)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for ty in group.map_err(parse)?.into_types() {
                        let inputs = match ty.composite_type.inner {
                            CompositeInnerType::Func(f) => f.params().len() as u32,
                            _ => 0,
                        };
                        params.push(inputs);
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(parse)?;
                    match import.ty {
                        TypeRef::Func(_) => {
                            if import.module == "vm_hooks" && import.name == "pay_for_memory_grow" {
                                pay_import = Some(imported_funcs);
                            }
                            imported_funcs += 1;
                        }
                        TypeRef::Global(_) => imported_globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    let memory = memory.map_err(parse)?;
                    growable = memory.maximum != Some(memory.initial);
                }
            }
            Payload::GlobalSection(reader) => defined_globals = reader.count(),
            _ => {}
        }
    }
    let first = imported_globals + defined_globals;
    let globals = Globals {
        ink: first,
        status: first + 1,
        scratch: first + 2,
    };
    let cx = Context {
        globals,
        params,
        pay_for_memory_grow: if growable { pay_import } else { None },
    };

    // Second pass: copy every section, extending the globals and exports and rewriting code.
    let mut module = Module::new();
    let mut globals_written = false;
    let mut exports_written = false;
    let mut code = wasm_encoder::CodeSection::new();
    let mut code_open = false;
    let write_globals = |module: &mut Module, entries: &[u8], count: u32| {
        let mut all = entries.to_vec();
        all.extend(added_globals());
        module.section(&RawSection {
            id: section::GLOBAL,
            data: &section_body(count + 3, &all),
        });
    };
    let write_exports = |module: &mut Module, entries: &[u8], count: u32| {
        let mut all = entries.to_vec();
        all.extend(added_exports(globals));
        module.section(&RawSection {
            id: section::EXPORT,
            data: &section_body(count + 2, &all),
        });
    };
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(parse)?;
        if let Payload::CodeSectionEntry(body) = &payload {
            code.raw(&instrument_body(wasm, body, &cx)?);
            continue;
        }
        // The payload after the last body (a section or the end) closes the code section.
        if std::mem::take(&mut code_open) {
            module.section(&code);
        }
        let Some((id, range)) = payload.as_section() else {
            continue;
        };
        if id != section::CUSTOM {
            let position = section::position(id);
            if position > section::position(section::GLOBAL) && !globals_written {
                write_globals(&mut module, &[], 0);
                globals_written = true;
            }
            if position > section::position(section::EXPORT) && !exports_written {
                write_exports(&mut module, &[], 0);
                exports_written = true;
            }
        }
        match payload {
            Payload::GlobalSection(reader) => {
                let entries = &wasm[reader.original_position()..reader.range().end];
                write_globals(&mut module, entries, reader.count());
                globals_written = true;
            }
            Payload::ExportSection(reader) => {
                let entries = &wasm[reader.original_position()..reader.range().end];
                write_exports(&mut module, entries, reader.count());
                exports_written = true;
            }
            Payload::CodeSectionStart { .. } => code_open = true,
            _ => {
                module.section(&RawSection {
                    id,
                    data: &wasm[range],
                });
            }
        }
    }
    if code_open {
        module.section(&code);
    }
    if !globals_written || !exports_written {
        return Err("program has no export section".into());
    }
    Ok(module.finish())
}

/// The ink meter of a running program: its [`INK_LEFT`] and [`INK_STATUS`] globals.
#[derive(Clone, Copy, Debug)]
pub struct InkMeter {
    ink: wasmi::Global,
    status: wasmi::Global,
}

impl InkMeter {
    /// The meter of an instance of an instrumented module.
    pub fn of(instance: &Instance, store: impl AsContext) -> Option<Self> {
        let ink = instance.get_global(&store, INK_LEFT)?;
        let status = instance.get_global(&store, INK_STATUS)?;
        Some(Self { ink, status })
    }

    /// The ink left, `None` once the program ran out of ink (Nitro `MachineMeter::Exhausted`).
    pub fn ink_left(&self, store: impl AsContext) -> Option<u64> {
        let status = self.status.get(&store).i32().unwrap_or(1);
        if status != 0 {
            return None;
        }
        self.ink.get(&store).i64().map(|ink| ink as u64)
    }

    /// Sets the ink left and clears the out-of-ink flag.
    pub fn set_ink(&self, mut store: impl AsContextMut, ink: u64) {
        // Both globals are mutable and of the right type, so these cannot fail.
        let _ = self.ink.set(&mut store, Val::I64(ink as i64));
        let _ = self.status.set(&mut store, Val::I32(0));
    }

    /// Marks the program as out of ink (no ink left, status 1).
    pub fn exhaust(&self, mut store: impl AsContextMut) {
        let _ = self.ink.set(&mut store, Val::I64(0));
        let _ = self.status.set(&mut store, Val::I32(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stylus::activation::InstrumentedOps;
    use wasmparser::{ExternalKind, Validator};

    const FIXTURE: &[u8] = include_bytes!("../../tests/fixtures/stylus_counter.wasm");

    /// Operators per function body, in order.
    fn operators(wasm: &[u8]) -> Vec<Vec<String>> {
        let mut funcs = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut reader = body.get_operators_reader().unwrap();
                let mut ops = Vec::new();
                while !reader.eof() {
                    ops.push(format!("{:?}", reader.read().unwrap()));
                }
                funcs.push(ops);
            }
        }
        funcs
    }

    #[test]
    fn adds_nitros_globals_and_exports() {
        let wasm = wat::parse_str(
            r#"(module
                (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
                (global $g (mut i32) (i32.const 5))
                (memory (export "memory") 1)
                (func (export "user_entrypoint") (param i32) (result i32) global.get $g))"#,
        )
        .unwrap();
        let metered = instrument(&wasm).unwrap();
        Validator::new().validate_all(&metered).unwrap();
        let mut globals = 0;
        let mut exports = Vec::new();
        for payload in Parser::new(0).parse_all(&metered) {
            match payload.unwrap() {
                Payload::GlobalSection(reader) => globals = reader.count(),
                Payload::ExportSection(reader) => {
                    for export in reader {
                        let export = export.unwrap();
                        exports.push((export.name.to_owned(), export.kind, export.index));
                    }
                }
                _ => {}
            }
        }
        assert_eq!(globals, 4);
        assert!(exports.contains(&(INK_LEFT.to_owned(), ExternalKind::Global, 1)));
        assert!(exports.contains(&(INK_STATUS.to_owned(), ExternalKind::Global, 2)));
    }

    #[test]
    fn a_block_is_charged_at_its_start_with_the_header() {
        let wasm = wat::parse_str(
            r#"(module
                (memory (export "memory") 1 1)
                (func (export "user_entrypoint") (param i32) (result i32)
                    local.get 0
                    i32.const 1
                    i32.add))"#,
        )
        .unwrap();
        let metered = instrument(&wasm).unwrap();
        Validator::new().validate_all(&metered).unwrap();
        // No global section before: the three added globals are 0, 1 and 2.
        let cost = 75 + 1 + 70 + 1 + HEADER_INK;
        let expected = [
            "GlobalGet { global_index: 0 }".to_owned(),
            format!("I64Const {{ value: {cost} }}"),
            "I64LtU".into(),
            "If { blockty: Empty }".into(),
            "I32Const { value: 1 }".into(),
            "GlobalSet { global_index: 1 }".into(),
            "Unreachable".into(),
            "End".into(),
            "GlobalGet { global_index: 0 }".into(),
            format!("I64Const {{ value: {cost} }}"),
            "I64Sub".into(),
            "GlobalSet { global_index: 0 }".into(),
            "LocalGet { local_index: 0 }".into(),
            "I32Const { value: 1 }".into(),
            "I32Add".into(),
            "End".into(),
        ];
        assert_eq!(operators(&metered), vec![expected.to_vec()]);
    }

    #[test]
    fn fixture_gets_exactly_the_operators_nitro_counts() {
        // `InstrumentedOps` counts Nitro's middlewares including the depth checker (17 + 4 per
        // `return`), which the devnode replaces with wasmi's own stack limit.
        let metered = instrument(FIXTURE).unwrap();
        Validator::new().validate_all(&metered).unwrap();
        let original = operators(FIXTURE);
        let instrumented = operators(&metered);
        assert_eq!(original.len(), instrumented.len());
        let mut growable = false;
        for payload in Parser::new(0).parse_all(FIXTURE) {
            if let Payload::MemorySection(reader) = payload.unwrap() {
                for memory in reader {
                    let memory = memory.unwrap();
                    growable = memory.maximum != Some(memory.initial);
                }
            }
        }
        let mut index = 0;
        for payload in Parser::new(0).parse_all(FIXTURE) {
            let Payload::CodeSectionEntry(body) = payload.unwrap() else {
                continue;
            };
            let mut counter = InstrumentedOps::default();
            let mut returns = 0;
            let mut reader = body.get_operators_reader().unwrap();
            while !reader.eof() {
                let op = reader.read().unwrap();
                if matches!(op, Operator::Return) {
                    returns += 1;
                }
                counter.feed(&op);
            }
            let nitro = counter.total(growable) - 17 - 4 * returns;
            assert_eq!(instrumented[index].len() as u64, nitro, "function {index}");
            index += 1;
        }
    }

    #[test]
    fn prices_follow_pricing_v1() {
        let params = [0, 2];
        let table = wat::parse_str(
            r#"(module (type (func)) (type (func (param i32 i32)))
                (table 1 funcref)
                (func (param i32)
                    block block block local.get 0 br_table 0 1 2 end end end
                    i32.const 0 i32.const 0 i32.const 0 call_indirect (type 1)))"#,
        )
        .unwrap();
        let mut costs = Vec::new();
        for payload in Parser::new(0).parse_all(&table) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut reader = body.get_operators_reader().unwrap();
                while !reader.eof() {
                    let op = reader.read().unwrap();
                    if matches!(op, Operator::BrTable { .. } | Operator::CallIndirect { .. }) {
                        costs.push(pricing_v1(&op, &params));
                    }
                }
            }
        }
        assert_eq!(costs, vec![2_400 + 2 * 325, 13_610 + 2 * 650]);
        assert_eq!(pricing_v1(&Operator::F32Add, &params), u64::MAX);
    }
}
