//! Wasm build and compressed-size measurement, the way Nitro stores programs.
//!
//! On chain a program is `EF F0 00 00` followed by the brotli (quality 11, window 22) stream of
//! the wasm; the whole code must fit Arbitrum's 24,576-byte contract limit, and the wasm itself
//! must decompress to at most 128 KiB.
//!
//! Building and compression live in the `deploy` library (its light build without the `chain`
//! feature), so the size table measures exactly the code `deploy` sends.
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

pub use deploy::compress::{
    compress, program_code, MAX_COMPRESSED, MAX_WASM, STYLUS_PREFIX, TARGET_COMPRESSED,
};

use crate::{Contract, Workspace};

/// Size figures for one contract.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ContractSize {
    /// Cargo package name.
    pub contract: String,
    /// Bytes of the release wasm.
    pub wasm_bytes: usize,
    /// Bytes of the on-chain code: prefix + brotli-11 stream.
    pub compressed_bytes: usize,
    /// `MAX_COMPRESSED - compressed_bytes` (negative when over).
    pub headroom_bytes: i64,
    /// `keccak256` of the on-chain code, `0x`-prefixed: what `eth_getCode` of the deployed
    /// program hashes to (`cast codehash <address>`), so anyone can check that a deployment is
    /// this source built this way.
    pub code_hash: String,
}

/// `keccak256(code)` as `0x`-prefixed hex.
pub fn code_hash(code: &[u8]) -> String {
    alloy_primitives::keccak256(code).to_string()
}

/// Builds every contract (one cargo invocation per program) unless `build` is false, then
/// measures them.
pub fn measure(ws: &Workspace, build: bool) -> Result<Vec<ContractSize>> {
    let contracts = ws.contracts();
    if build {
        build_wasm(ws, &contracts)?;
    }
    contracts
        .iter()
        .map(|c| {
            let path = ws
                .target_dir()
                .join("wasm32-unknown-unknown/release")
                .join(c.wasm_file_name());
            let built = std::fs::read(&path).with_context(|| format!("reading {path:?}"))?;
            // Measured as deployed: data segments packed, then compressed.
            let deploy::build::Artifact { wasm, code, .. } =
                deploy::build::Artifact::from_wasm(&c.package, built);
            Ok(ContractSize {
                contract: c.package.clone(),
                wasm_bytes: wasm.len(),
                compressed_bytes: code.len(),
                headroom_bytes: MAX_COMPRESSED as i64 - code.len() as i64,
                code_hash: code_hash(&code),
            })
        })
        .collect()
}

/// `cargo build --release --lib --target wasm32-unknown-unknown -p <program>` for each program,
/// through [`deploy::Workspace::build_wasm`] in xtask's target directory.
pub fn build_wasm(ws: &Workspace, contracts: &[Contract]) -> Result<()> {
    let packages: Vec<&str> = contracts.iter().map(|c| c.package.as_str()).collect();
    ws.builder()
        .build_wasm(&packages)
        .map_err(anyhow::Error::from)
}

/// A Markdown table of the figures.
pub fn table(report: &[ContractSize]) -> String {
    let mut s = String::from(
        "| contract | wasm bytes | compressed bytes | headroom to 24,576 | code hash |\n\
         |---|---:|---:|---:|---|\n",
    );
    for r in report {
        s.push_str(&format!(
            "| {} | {} | {} | {} | `{}` |\n",
            r.contract, r.wasm_bytes, r.compressed_bytes, r.headroom_bytes, r.code_hash
        ));
    }
    s
}

/// Writes `benches/snapshots/sizes.json`.
pub fn write_snapshot(ws: &Workspace, report: &[ContractSize]) -> Result<()> {
    let dir = ws.root.join("benches/snapshots");
    std::fs::create_dir_all(&dir)?;
    let json = serde_json::to_string_pretty(report)? + "\n";
    std::fs::write(dir.join("sizes.json"), json)?;
    Ok(())
}

/// Where the budgets of [`budget`] are published for tools outside the workspace (CI dashboards,
/// reviewers): `benches/size-budget.json`, generated from [`deploy::system::CONTRACTS`] by
/// `cargo run -p xtask -- sizes` and checked against it by a test.
pub const BUDGET_FILE: &str = "benches/size-budget.json";

/// The text of [`BUDGET_FILE`] for `budget`: a JSON object from program to compressed bytes.
///
/// # Errors
/// Never in practice (a map of strings to numbers always serialises).
pub fn budget_json(budget: &SizeBudget) -> Result<String> {
    Ok(serde_json::to_string_pretty(budget)? + "\n")
}

/// Writes [`BUDGET_FILE`] from [`budget`].
///
/// # Errors
/// When the file cannot be written.
pub fn write_budget(ws: &Workspace) -> Result<()> {
    std::fs::write(ws.root.join(BUDGET_FILE), budget_json(&budget())?)?;
    Ok(())
}

/// Fails naming every contract over `limit` compressed bytes or over [`MAX_WASM`].
pub fn enforce(report: &[ContractSize], limit: usize) -> Result<()> {
    let over: Vec<String> = report
        .iter()
        .filter(|r| r.compressed_bytes > limit || r.wasm_bytes > MAX_WASM)
        .map(|r| {
            format!(
                "{}: {} compressed bytes (limit {limit}), {} wasm bytes (limit {MAX_WASM})",
                r.contract, r.compressed_bytes, r.wasm_bytes
            )
        })
        .collect();
    if !over.is_empty() {
        bail!(
            "contracts over the Stylus size limits:\n{}",
            over.join("\n")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_code_round_trips_through_brotli() {
        let wasm: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let code = program_code(&wasm);
        assert_eq!(&code[..4], &STYLUS_PREFIX);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &code[4..], &mut back).unwrap();
        assert_eq!(back, wasm);
        assert!(code.len() < wasm.len());
    }

    #[test]
    fn enforce_names_the_offender() {
        let ok = ContractSize {
            contract: "small".into(),
            wasm_bytes: 1000,
            compressed_bytes: 500,
            headroom_bytes: 24_076,
            code_hash: code_hash(b"small"),
        };
        let big = ContractSize {
            contract: "big".into(),
            wasm_bytes: 90_000,
            compressed_bytes: 25_000,
            headroom_bytes: -424,
            code_hash: code_hash(b"big"),
        };
        assert!(enforce(std::slice::from_ref(&ok), MAX_COMPRESSED).is_ok());
        let err = enforce(&[ok, big], MAX_COMPRESSED).unwrap_err().to_string();
        assert!(err.contains("big: 25000"), "{err}");
        assert!(!err.contains("small"), "{err}");
    }
}

/// Per-program ceilings on compressed bytes.
///
/// A program without an entry must fit Nitro's limit ([`MAX_COMPRESSED`]). An entry is a
/// tighter ceiling: every program currently has the project's 20,000-byte target as its budget,
/// so the size test fails as soon as one grows past it. (An entry above the limit would be a
/// ratchet for a program that does not fit yet: such a program is reported as not deployable
/// and `deploy` refuses it.)
pub type SizeBudget = std::collections::BTreeMap<String, usize>;

/// The budgets of the programs of [`deploy::system::CONTRACTS`] (each program's `budget`).
pub fn budget() -> SizeBudget {
    deploy::system::programs()
        .map(|p| (p.package.to_string(), p.budget))
        .collect()
}

/// Fails naming every contract over its budget (or over [`MAX_COMPRESSED`] without one), or
/// over [`MAX_WASM`]; returns the contracts that keep within their budget but exceed Nitro's
/// limit, so callers can report them.
pub fn enforce_budget(report: &[ContractSize], budget: &SizeBudget) -> Result<Vec<String>> {
    let mut failures = Vec::new();
    let mut not_deployable = Vec::new();
    for r in report {
        let limit = budget.get(&r.contract).copied().unwrap_or(MAX_COMPRESSED);
        if r.compressed_bytes > limit {
            failures.push(format!(
                "{}: {} compressed bytes, budget {limit}",
                r.contract, r.compressed_bytes
            ));
        } else if r.compressed_bytes > MAX_COMPRESSED {
            not_deployable.push(r.contract.clone());
        }
    }
    if !failures.is_empty() {
        bail!("contracts over their size budget:\n{}", failures.join("\n"));
    }
    Ok(not_deployable)
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    fn size(contract: &str, compressed: usize) -> ContractSize {
        ContractSize {
            contract: contract.into(),
            wasm_bytes: 1,
            compressed_bytes: compressed,
            headroom_bytes: MAX_COMPRESSED as i64 - compressed as i64,
            code_hash: code_hash(contract.as_bytes()),
        }
    }

    #[test]
    fn the_published_budget_file_is_the_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let committed = std::fs::read_to_string(root.join(BUDGET_FILE)).unwrap();
        assert_eq!(
            committed,
            budget_json(&budget()).unwrap(),
            "{BUDGET_FILE} differs from deploy::system::CONTRACTS: run `cargo run -p xtask -- sizes`"
        );
    }

    #[test]
    fn contracts_without_budget_must_fit_nitro() {
        let budget = SizeBudget::new();
        assert!(enforce_budget(&[size("a", MAX_COMPRESSED)], &budget)
            .unwrap()
            .is_empty());
        let err = enforce_budget(&[size("a", MAX_COMPRESSED + 1)], &budget).unwrap_err();
        assert!(err.to_string().contains("a: 24577"));
    }

    #[test]
    fn budget_is_a_ratchet_and_reports_undeployable() {
        let budget = SizeBudget::from([("big".to_string(), 30_000)]);
        let over = enforce_budget(&[size("big", 29_000), size("ok", 10)], &budget).unwrap();
        assert_eq!(over, vec!["big".to_string()]);
        assert!(enforce_budget(&[size("big", 30_001)], &budget).is_err());
    }
}
