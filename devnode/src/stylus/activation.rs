//! Activation-time validation of Stylus wasm, mirroring Nitro's `binary.rs` (`parse_user`) and the
//! numbers it derives (`WasmBinary::instrument`): init costs, asm size estimate, compile gas.

use std::collections::HashSet;

use wasmparser::{
    CompositeInnerType, ExternalKind, Operator, Parser, Payload, TypeRef, ValType, Validator,
    WasmFeatures,
};

/// Limits Nitro enforces on user programs.
pub mod limits {
    /// Most imports (ArbOS >= 32).
    pub const MAX_IMPORTS: usize = 513;
    /// Most exports.
    pub const MAX_EXPORTS: usize = 1024;
    /// Most local functions.
    pub const MAX_FUNCTIONS: usize = 4096;
    /// Most globals.
    pub const MAX_GLOBALS: usize = 32_768;
    /// Most data segments.
    pub const MAX_DATA_SEGMENTS: usize = 128;
    /// Most element segments.
    pub const MAX_ELEMENT_SEGMENTS: usize = 128;
    /// Most locals per function.
    pub const MAX_LOCALS: u32 = 348;
    /// Most opcodes per function.
    pub const MAX_OPCODES: usize = 65_536;
    /// Largest initial table size and element entry count.
    pub const MAX_TABLE_ENTRIES: u64 = 4096;
    /// Longest module, import or export name.
    pub const MAX_NAME_LEN: usize = 512;
    /// Most initial memory pages.
    pub const MAX_INITIAL_PAGES: u64 = 128;
}

/// The host functions a program may import: `(module, name, params, results)`. The signatures
/// are Nitro's (`crates/stylus/src/native.rs`).
pub const HOST_IMPORTS: &[(&str, &str, &[ValType], &[ValType])] = {
    use ValType::{F32, F64, I32, I64};
    &[
        ("vm_hooks", "read_args", &[I32], &[]),
        ("vm_hooks", "write_result", &[I32, I32], &[]),
        ("vm_hooks", "exit_early", &[I32], &[]),
        ("vm_hooks", "storage_load_bytes32", &[I32, I32], &[]),
        ("vm_hooks", "storage_cache_bytes32", &[I32, I32], &[]),
        ("vm_hooks", "storage_flush_cache", &[I32], &[]),
        ("vm_hooks", "transient_load_bytes32", &[I32, I32], &[]),
        ("vm_hooks", "transient_store_bytes32", &[I32, I32], &[]),
        (
            "vm_hooks",
            "call_contract",
            &[I32, I32, I32, I32, I64, I32],
            &[I32],
        ),
        (
            "vm_hooks",
            "delegate_call_contract",
            &[I32, I32, I32, I64, I32],
            &[I32],
        ),
        (
            "vm_hooks",
            "static_call_contract",
            &[I32, I32, I32, I64, I32],
            &[I32],
        ),
        ("vm_hooks", "create1", &[I32, I32, I32, I32, I32], &[]),
        ("vm_hooks", "create2", &[I32, I32, I32, I32, I32, I32], &[]),
        ("vm_hooks", "read_return_data", &[I32, I32, I32], &[I32]),
        ("vm_hooks", "return_data_size", &[], &[I32]),
        ("vm_hooks", "emit_log", &[I32, I32, I32], &[]),
        ("vm_hooks", "account_balance", &[I32, I32], &[]),
        ("vm_hooks", "account_code", &[I32, I32, I32, I32], &[I32]),
        ("vm_hooks", "account_code_size", &[I32], &[I32]),
        ("vm_hooks", "account_codehash", &[I32, I32], &[]),
        ("vm_hooks", "evm_gas_left", &[], &[I64]),
        ("vm_hooks", "evm_ink_left", &[], &[I64]),
        ("vm_hooks", "block_basefee", &[I32], &[]),
        ("vm_hooks", "chainid", &[], &[I64]),
        ("vm_hooks", "block_coinbase", &[I32], &[]),
        ("vm_hooks", "block_gas_limit", &[], &[I64]),
        ("vm_hooks", "block_number", &[], &[I64]),
        ("vm_hooks", "block_timestamp", &[], &[I64]),
        ("vm_hooks", "contract_address", &[I32], &[]),
        ("vm_hooks", "math_div", &[I32, I32], &[]),
        ("vm_hooks", "math_mod", &[I32, I32], &[]),
        ("vm_hooks", "math_pow", &[I32, I32], &[]),
        ("vm_hooks", "math_add_mod", &[I32, I32, I32], &[]),
        ("vm_hooks", "math_mul_mod", &[I32, I32, I32], &[]),
        ("vm_hooks", "msg_reentrant", &[], &[I32]),
        ("vm_hooks", "msg_sender", &[I32], &[]),
        ("vm_hooks", "msg_value", &[I32], &[]),
        ("vm_hooks", "native_keccak256", &[I32, I32, I32], &[]),
        ("vm_hooks", "tx_gas_price", &[I32], &[]),
        ("vm_hooks", "tx_ink_price", &[], &[I32]),
        ("vm_hooks", "tx_origin", &[I32], &[]),
        ("vm_hooks", "pay_for_memory_grow", &[I32], &[]),
        ("console", "log_txt", &[I32, I32], &[]),
        ("console", "log_i32", &[I32], &[]),
        ("console", "log_i64", &[I64], &[]),
        ("console", "log_f32", &[F32], &[]),
        ("console", "log_f64", &[F64], &[]),
        ("console", "tee_i32", &[I32], &[I32]),
        ("console", "tee_i64", &[I64], &[I64]),
        ("console", "tee_f32", &[F32], &[F32]),
        ("console", "tee_f64", &[F64], &[F64]),
        ("debug", "null_host", &[], &[]),
    ]
};

/// Why a program failed activation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The wasm does not parse or validate under Nitro's feature set.
    #[error("failed to parse wasm: {0}")]
    Parse(String),
    /// An import Nitro does not provide, or with the wrong signature or kind.
    #[error("forbidden import {module}.{name}: {reason}")]
    ForbiddenImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A required export is missing or has the wrong type.
    #[error("missing entrypoint: {0}")]
    MissingEntrypoint(&'static str),
    /// A structural rule is broken (start function, limits, unsupported operators...).
    #[error("{0}")]
    Rule(String),
}

/// Facts about a validated program that Nitro stores or derives at activation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProgramStats {
    /// Local (non-imported) functions.
    pub funcs: u64,
    /// Sum of params + results over local functions.
    pub type_len: u64,
    /// Decompressed wasm size in bytes.
    pub wasm_len: u64,
    /// User globals plus Nitro's 4 instrumentation globals.
    pub globals: u64,
    /// Bytes of data in data segments (their payloads).
    pub data_bytes: u64,
    /// Encoded bytes of the data segments (offset expression, length and payload), what Nitro
    /// counts as their length (`Data::range`).
    pub data_segment_bytes: u64,
    /// Encoded bytes of the element segments (`Element::range`), what Nitro counts as their
    /// length, both in its costs and in its 4,096-entry limit.
    pub elem_segment_bytes: u64,
    /// Initial memory pages.
    pub footprint: u16,
    /// Operators across all function bodies after Nitro's instrumentation (see
    /// [`instrumented_ops`]).
    pub opcodes: u64,
}

/// How many operators a function body has once Nitro's middlewares have instrumented it, as
/// Nitro counts them when it prices compilation and bounds a body to 65,536 operators.
///
/// Counted in the order Nitro applies them (`WasmBinary::instrument`):
/// - the ink meter puts a 12-operator header before every basic block, and a block ends at each
///   `end`, `else`, `return`, `loop`, `br`, `br_if`, `br_table`, `if`, `call` and
///   `call_indirect`;
/// - the dynamic meter puts 17 operators before each `memory.fill` and `memory.copy`;
/// - the depth checker adds a 12-operator prologue, a `return` before the final `end`, and
///   4 operators before every `return` (the added one included);
/// - the heap bound puts 4 operators before each `memory.grow` when memory can grow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InstrumentedOps {
    ops: u64,
    block_ends: u64,
    returns: u64,
    bulk_memory: u64,
    grows: u64,
}

impl InstrumentedOps {
    /// Counts one operator of the original body.
    pub fn feed(&mut self, op: &Operator<'_>) {
        use Operator::*;
        self.ops += 1;
        if super::meter::ends_basic_block(op) {
            self.block_ends += 1;
        }
        match op {
            Return => self.returns += 1,
            MemoryFill { .. } | MemoryCopy { .. } => self.bulk_memory += 1,
            MemoryGrow { .. } => self.grows += 1,
            _ => {}
        }
    }

    /// The instrumented count; `growable` when the memory's maximum differs from its minimum.
    pub fn total(&self, growable: bool) -> u64 {
        let heap = if growable { 4 * self.grows } else { 0 };
        self.ops + 12 * self.block_ends + 17 * self.bulk_memory + 17 + 4 * self.returns + heap
    }
}

impl ProgramStats {
    /// Nitro's `asm_estimate`: the size the native code is assumed to have (bytes).
    pub fn asm_estimate(&self) -> u64 {
        512_000u64
            .saturating_add(self.funcs * 996_829 / 1000)
            .saturating_add(self.type_len * 11_416 / 1000)
            .saturating_add(self.wasm_len * 62_628 / 10_000)
    }

    /// Nitro's `cached_init_cost` (must fit a u16).
    pub fn cached_init_cost(&self) -> u64 {
        (self.funcs * 13_420 / 100_000)
            .saturating_add(self.type_len * 89 / 100_000)
            .saturating_add(self.wasm_len * 122 / 100_000)
            .saturating_add(self.globals * 1_628 / 1000)
            .saturating_add((self.data_segment_bytes + self.elem_segment_bytes) * 75_244 / 100_000)
            .saturating_add(u64::from(self.footprint) * 5)
    }

    /// Nitro's `init_cost` for Stylus version 2 (must fit a u16).
    pub fn init_cost(&self) -> u64 {
        (self.funcs * 8_252 / 1000)
            .saturating_add(self.type_len * 1_059 / 1000)
            .saturating_add(self.wasm_len * 1_286 / 10_000)
    }

    /// Gas Nitro charges for compiling the program (28 gas per estimated microsecond).
    pub fn compile_gas(&self) -> u64 {
        let micros = (self.wasm_len * 31_733 / 100_000)
            .saturating_add(self.funcs * 17_263 / 100_000)
            .saturating_add(self.data_bytes * 17_376 / 100_000)
            .saturating_add(self.elem_segment_bytes * 17_376 / 100_000)
            .saturating_add(u64::from(self.footprint) * 2_217)
            .saturating_add(self.opcodes * 535 / 1000);
        micros.saturating_mul(28)
    }
}

/// The wasmparser feature set Nitro enables for user programs.
fn nitro_features(arbos_version: u64) -> WasmFeatures {
    let mut features = WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::FLOATS
        // Not CALL_INDIRECT_OVERLONG: Nitro refuses the overlong table index that Rust >= 1.82
        // emits for `call_indirect` with its default reference-types feature ("zero byte
        // expected"); programs must be built with `-Ctarget-cpu=mvp` (see deploy/src/build.rs).
        | WasmFeatures::GC_TYPES;
    if arbos_version < 60 {
        features |= WasmFeatures::MULTI_VALUE;
    }
    features
}

/// Whether an operator is one Nitro refuses at activation.
fn rejected_operator(op: &Operator<'_>) -> Option<String> {
    let name = format!("{op:?}");
    let name = name
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned();
    let float_ok = matches!(
        op,
        Operator::F32Const { .. }
            | Operator::F64Const { .. }
            | Operator::F32Load { .. }
            | Operator::F64Load { .. }
            | Operator::F32Store { .. }
            | Operator::F64Store { .. }
            | Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64
    );
    if !float_ok && (name.contains("F32") || name.contains("F64")) {
        return Some(format!(
            "No implementation for floating point operation {name}"
        ));
    }
    if matches!(
        op,
        Operator::MemoryInit { .. }
            | Operator::DataDrop { .. }
            | Operator::ElemDrop { .. }
            | Operator::TableInit { .. }
            | Operator::TableCopy { .. }
    ) {
        return Some(format!("opcode not supported {name}"));
    }
    None
}

/// Validates `wasm` as Nitro does at activation and returns its statistics.
///
/// # Errors
/// [`ValidationError`] naming the first rule the program breaks.
pub fn validate(wasm: &[u8], arbos_version: u64) -> Result<ProgramStats, ValidationError> {
    let parse = |e: wasmparser::BinaryReaderError| ValidationError::Parse(e.to_string());
    Validator::new_with_features(nitro_features(arbos_version))
        .validate_all(wasm)
        .map_err(parse)?;

    let mut stats = ProgramStats {
        wasm_len: wasm.len() as u64,
        globals: 4,
        ..Default::default()
    };
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imported_funcs = 0usize;
    let mut import_names = HashSet::new();
    let mut has_memory_grow_import = false;
    let mut memories = Vec::new();
    let mut exports = Vec::new();

    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(parse)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for ty in group.map_err(parse)?.into_types() {
                        match ty.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                types.push((f.params().to_vec(), f.results().to_vec()));
                            }
                            _ => return Err(ValidationError::Rule("non-function type".into())),
                        }
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(parse)?;
                    let forbidden = |reason| ValidationError::ForbiddenImport {
                        module: import.module.to_owned(),
                        name: import.name.to_owned(),
                        reason,
                    };
                    if import.module.len() > limits::MAX_NAME_LEN
                        || import.name.len() > limits::MAX_NAME_LEN
                    {
                        return Err(forbidden("name too long"));
                    }
                    if import.name.starts_with("stylus") {
                        return Err(forbidden("names starting with `stylus` are reserved"));
                    }
                    let TypeRef::Func(index) = import.ty else {
                        return Err(forbidden("only functions can be imported"));
                    };
                    let Some((_, _, params, results)) = HOST_IMPORTS
                        .iter()
                        .find(|(m, n, _, _)| *m == import.module && *n == import.name)
                    else {
                        return Err(forbidden("unknown host function"));
                    };
                    let signature = types
                        .get(index as usize)
                        .ok_or_else(|| forbidden("bad type"))?;
                    if signature.0 != *params || signature.1 != *results {
                        return Err(forbidden("signature mismatch"));
                    }
                    if import.module == "vm_hooks" && import.name == "pay_for_memory_grow" {
                        has_memory_grow_import = true;
                    }
                    import_names.insert(import.name.to_owned());
                    imported_funcs += 1;
                }
                if imported_funcs > limits::MAX_IMPORTS {
                    return Err(ValidationError::Rule(format!(
                        "too many imports: {imported_funcs}"
                    )));
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(parse)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    if table.map_err(parse)?.ty.initial > limits::MAX_TABLE_ENTRIES {
                        return Err(ValidationError::Rule("table too large".into()));
                    }
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    memories.push(memory.map_err(parse)?);
                }
            }
            Payload::GlobalSection(reader) => {
                stats.globals += u64::from(reader.count());
                if reader.count() as usize > limits::MAX_GLOBALS {
                    return Err(ValidationError::Rule("too many globals".into()));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(parse)?;
                    if export.name.len() > limits::MAX_NAME_LEN {
                        return Err(ValidationError::Rule("export name too long".into()));
                    }
                    if export.name.starts_with("stylus") {
                        return Err(ValidationError::Rule(format!(
                            "binary exports reserved symbol {}",
                            export.name
                        )));
                    }
                    exports.push((export.name.to_owned(), export.kind, export.index));
                }
                if exports.len() > limits::MAX_EXPORTS {
                    return Err(ValidationError::Rule("too many exports".into()));
                }
            }
            Payload::StartSection { .. } => {
                return Err(ValidationError::Rule(
                    "start functions are not allowed".into(),
                ))
            }
            Payload::ElementSection(reader) => {
                if reader.count() as usize > limits::MAX_ELEMENT_SEGMENTS {
                    return Err(ValidationError::Rule("too many element segments".into()));
                }
                for element in reader {
                    stats.elem_segment_bytes += element.map_err(parse)?.range.len() as u64;
                }
                if stats.elem_segment_bytes > limits::MAX_TABLE_ENTRIES {
                    return Err(ValidationError::Rule("too many element entries".into()));
                }
            }
            Payload::DataSection(reader) => {
                if reader.count() as usize > limits::MAX_DATA_SEGMENTS {
                    return Err(ValidationError::Rule("too many data segments".into()));
                }
                for data in reader {
                    let data = data.map_err(parse)?;
                    stats.data_bytes += data.data.len() as u64;
                    stats.data_segment_bytes += data.range.len() as u64;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut locals = 0u32;
                for local in body.get_locals_reader().map_err(parse)? {
                    locals = locals.saturating_add(local.map_err(parse)?.0);
                }
                if locals > limits::MAX_LOCALS {
                    return Err(ValidationError::Rule(format!("too many locals: {locals}")));
                }
                let mut counter = InstrumentedOps::default();
                let mut reader = body.get_operators_reader().map_err(parse)?;
                while !reader.eof() {
                    let op = reader.read().map_err(parse)?;
                    if let Some(reason) = rejected_operator(&op) {
                        return Err(ValidationError::Rule(reason));
                    }
                    counter.feed(&op);
                }
                // The memory section precedes the code section.
                let growable = memories
                    .first()
                    .is_some_and(|m| m.maximum != Some(m.initial));
                let opcodes = counter.total(growable);
                if opcodes > limits::MAX_OPCODES as u64 {
                    return Err(ValidationError::Rule(format!(
                        "too many opcodes: {opcodes}"
                    )));
                }
                stats.opcodes += opcodes;
            }
            _ => {}
        }
    }

    stats.funcs = func_types.len() as u64;
    if func_types.len() > limits::MAX_FUNCTIONS {
        return Err(ValidationError::Rule("too many functions".into()));
    }
    for &index in &func_types {
        if let Some((params, results)) = types.get(index as usize) {
            stats.type_len += (params.len() + results.len()) as u64;
        }
    }

    let memory = match memories.as_slice() {
        [memory] => *memory,
        [] => return Err(ValidationError::MissingEntrypoint("missing memory")),
        _ => return Err(ValidationError::Rule("multiple memories".into())),
    };
    if memory.initial > limits::MAX_INITIAL_PAGES {
        return Err(ValidationError::Rule(format!(
            "memory exceeds limit: {} pages",
            memory.initial
        )));
    }
    if memory.maximum != Some(memory.initial) && !has_memory_grow_import {
        return Err(ValidationError::MissingEntrypoint(
            "memory can grow but pay_for_memory_grow is not imported",
        ));
    }
    stats.footprint = memory.initial as u16;

    let mut entrypoint = false;
    let mut memory_export = false;
    for (name, kind, index) in &exports {
        if import_names.contains(name) {
            return Err(ValidationError::Rule(format!(
                "export {name} shadows an import"
            )));
        }
        match (name.as_str(), kind) {
            ("user_entrypoint", ExternalKind::Func) => {
                let local = (*index as usize)
                    .checked_sub(imported_funcs)
                    .and_then(|i| func_types.get(i))
                    .and_then(|t| types.get(*t as usize));
                if local != Some(&(vec![ValType::I32], vec![ValType::I32])) {
                    return Err(ValidationError::MissingEntrypoint(
                        "user_entrypoint must be (i32) -> i32",
                    ));
                }
                entrypoint = true;
            }
            ("memory", ExternalKind::Memory) => memory_export = *index == 0,
            _ => {}
        }
    }
    if !entrypoint {
        return Err(ValidationError::MissingEntrypoint(
            "missing user_entrypoint",
        ));
    }
    if !memory_export {
        return Err(ValidationError::MissingEntrypoint(
            "memory 0 is not exported as `memory`",
        ));
    }
    if stats.init_cost() > u64::from(u16::MAX) || stats.cached_init_cost() > u64::from(u16::MAX) {
        return Err(ValidationError::Rule(
            "program init cost does not fit u16".into(),
        ));
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wasm(text: &str) -> Vec<u8> {
        wat::parse_str(text).unwrap()
    }

    const MINIMAL: &str = r#"(module
        (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
        (memory (export "memory") 1)
        (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

    #[test]
    fn accepts_minimal_program() {
        let stats = validate(&wasm(MINIMAL), 40).unwrap();
        assert_eq!(stats.funcs, 1);
        assert_eq!(stats.type_len, 2);
        assert_eq!(stats.footprint, 1);
        assert_eq!(stats.globals, 4);
        assert!(stats.asm_estimate() > 512_000);
    }

    #[test]
    fn rejects_forbidden_imports() {
        let bad = MINIMAL.replace("\"vm_hooks\" \"pay_for_memory_grow\"", "\"env\" \"abort\"");
        assert!(matches!(
            validate(&wasm(&bad), 40),
            Err(ValidationError::ForbiddenImport {
                reason: "unknown host function",
                ..
            })
        ));
        let wrong_sig = MINIMAL.replace("(func (param i32)))", "(func (param i64)))");
        assert!(matches!(
            validate(&wasm(&wrong_sig), 40),
            Err(ValidationError::ForbiddenImport {
                reason: "signature mismatch",
                ..
            })
        ));
    }

    #[test]
    fn rejects_missing_exports_and_start() {
        let no_entry = MINIMAL.replace("(export \"user_entrypoint\")", "");
        assert_eq!(
            validate(&wasm(&no_entry), 40),
            Err(ValidationError::MissingEntrypoint(
                "missing user_entrypoint"
            ))
        );
        let no_mem = MINIMAL.replace("(export \"memory\")", "");
        assert!(matches!(
            validate(&wasm(&no_mem), 40),
            Err(ValidationError::MissingEntrypoint(_))
        ));
        let start = MINIMAL.replace("(memory", "(func $s) (start $s) (memory");
        assert!(matches!(
            validate(&wasm(&start), 40),
            Err(ValidationError::Rule(_))
        ));
    }

    #[test]
    fn rejects_exports_with_reserved_names() {
        // The ink meter exports `stylus_ink_left` and `stylus_ink_status`: a program may not.
        let reserved = MINIMAL.replace(
            "(memory",
            "(global (export \"stylus_ink_left\") (mut i64) (i64.const 0)) (memory",
        );
        assert_eq!(
            validate(&wasm(&reserved), 40),
            Err(ValidationError::Rule(
                "binary exports reserved symbol stylus_ink_left".into()
            ))
        );
    }

    #[test]
    fn rejects_float_math_and_big_memory() {
        let float = MINIMAL.replace(
            "i32.const 0))",
            "f32.const 1 f32.const 2 f32.add drop i32.const 0))",
        );
        assert!(matches!(
            validate(&wasm(&float), 40),
            Err(ValidationError::Rule(_))
        ));
        let big = MINIMAL.replace(
            "(memory (export \"memory\") 1)",
            "(memory (export \"memory\") 129)",
        );
        assert!(matches!(
            validate(&wasm(&big), 40),
            Err(ValidationError::Rule(_))
        ));
        assert!(matches!(
            validate(b"\0asm\x01\0\0\0garbage", 40),
            Err(ValidationError::Parse(_))
        ));
    }

    #[test]
    fn rejects_overlong_call_indirect_table_index() {
        let text = r#"(module
            (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
            (type $t (func))
            (table 1 funcref)
            (memory (export "memory") 1)
            (func (export "user_entrypoint") (param i32) (result i32)
                i32.const 0 call_indirect (type $t) i32.const 0))"#;
        let plain = wasm(text);
        assert!(validate(&plain, 40).is_ok());
        // Re-encode the table index `0x00` as the 5-byte LEB `80 80 80 80 00` that rustc emits
        // with reference types on; the code section and body sizes grow by 4 (single-byte LEBs
        // in this tiny module).
        let mut overlong = plain.clone();
        let mut at = 8;
        while overlong[at] != 10 {
            at += 2 + overlong[at + 1] as usize;
        }
        assert!(overlong[at + 1] < 124 && overlong[at + 3] < 124);
        overlong[at + 1] += 4;
        overlong[at + 3] += 4;
        let op = at
            + overlong[at + 1..]
                .windows(2)
                .position(|w| w == [0x11, 0x00])
                .unwrap()
            + 1;
        let table = op + 2;
        assert_eq!(overlong[table], 0x00);
        overlong.splice(table..table + 1, [0x80, 0x80, 0x80, 0x80, 0x00]);
        assert!(matches!(
            validate(&overlong, 40),
            Err(ValidationError::Parse(_))
        ));
    }

    #[test]
    fn fixed_memory_needs_no_grow_import() {
        let fixed = r#"(module
            (memory (export "memory") 1 1)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;
        assert!(validate(&wasm(fixed), 40).is_ok());
        let growable = fixed.replace("1 1)", "1)");
        assert!(matches!(
            validate(&wasm(&growable), 40),
            Err(ValidationError::MissingEntrypoint(_))
        ));
    }
}

#[cfg(test)]
mod nitro_figures {
    use super::*;

    /// Activated by Nitro's own `Module::activate` (Stylus version 2, ArbOS 40), the checked-in
    /// counter program gets these figures.
    #[test]
    fn counter_fixture_activates_with_nitros_figures() {
        let wasm = include_bytes!("../../tests/fixtures/stylus_counter.wasm");
        let stats = validate(wasm, 40).unwrap();
        assert_eq!(stats.footprint, 17);
        assert_eq!(stats.asm_estimate(), 849_846);
        assert_eq!(stats.init_cost(), 4_994);
        assert_eq!(stats.cached_init_cost(), 765);
        assert_eq!(stats.compile_gas(), 1_637_076);
    }

    /// One function counted by hand from Nitro's middlewares.
    #[test]
    fn instrumented_operators_follow_nitros_middlewares() {
        let count = |text: &str, growable: bool| {
            let wasm = wat::parse_str(text).unwrap();
            let mut counter = InstrumentedOps::default();
            for payload in Parser::new(0).parse_all(&wasm) {
                if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                    let mut reader = body.get_operators_reader().unwrap();
                    while !reader.eof() {
                        counter.feed(&reader.read().unwrap());
                    }
                }
            }
            counter.total(growable)
        };
        // local.get, if, i32.const, else, i32.const, end, end: 7 operators, 4 of them end a
        // basic block (if, else, end, end): 7 + 4 x 12 + the depth checker's 17.
        let branch = r#"(module (func (param i32) (result i32)
            local.get 0 if (result i32) i32.const 1 else i32.const 2 end))"#;
        assert_eq!(count(branch, false), 7 + 48 + 17);
        // A `block` does not end a basic block; a `return` does, and the depth checker adds
        // 4 operators before it; memory.fill gets the dynamic meter's 17, memory.grow the heap
        // bound's 4 when memory can grow.
        let mixed = r#"(module (memory 1 2) (func (result i32)
            block i32.const 0 i32.const 0 i32.const 0 memory.fill end
            i32.const 1 memory.grow return))"#;
        // block, 3 x i32.const, memory.fill, end, i32.const, memory.grow, return, end: 10 ops;
        // block ends: end, return, end = 3.
        assert_eq!(count(mixed, false), 10 + 36 + 17 + 17 + 4);
        assert_eq!(count(mixed, true), 10 + 36 + 17 + 17 + 4 + 4);
    }
}
