//! Wasm build and compressed-size measurement, the way Nitro stores programs.
//!
//! On chain a program is `EF F0 00 00` followed by the brotli (quality 11, window 22) stream of
//! the wasm; the whole code must fit Arbitrum's 24,576-byte contract limit, and the wasm itself
//! must decompress to at most 128 KiB.
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::io::Write;

use crate::{run, Contract, Workspace};

/// Nitro's code size limit for one program (EIP-170 size, applied to the compressed code).
pub const MAX_COMPRESSED: usize = 24_576;
/// Nitro's limit for the decompressed wasm.
pub const MAX_WASM: usize = 128 * 1024;
/// The prefix Nitro expects before the brotli stream (`EF F0 00` + dictionary byte 0).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

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
}

/// Brotli quality 11, window 22: what cargo-stylus uses for deployment.
pub fn compress(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(wasm.len() / 2);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(wasm)?;
    }
    Ok(out)
}

/// On-chain code for a wasm program: [`STYLUS_PREFIX`] + [`compress`].
pub fn program_code(wasm: &[u8]) -> Result<Vec<u8>> {
    let mut code = STYLUS_PREFIX.to_vec();
    code.extend(compress(wasm)?);
    Ok(code)
}

/// Builds every contract (one cargo invocation) unless `build` is false, then measures them.
pub fn measure(ws: &Workspace, build: bool) -> Result<Vec<ContractSize>> {
    let contracts = ws.contracts()?;
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
            let wasm = std::fs::read(&path).with_context(|| format!("reading {path:?}"))?;
            let compressed = program_code(&wasm)?.len();
            Ok(ContractSize {
                contract: c.package.clone(),
                wasm_bytes: wasm.len(),
                compressed_bytes: compressed,
                headroom_bytes: MAX_COMPRESSED as i64 - compressed as i64,
            })
        })
        .collect()
}

/// `cargo build --release --lib --target wasm32-unknown-unknown -p <each contract>`.
pub fn build_wasm(ws: &Workspace, contracts: &[Contract]) -> Result<()> {
    let mut cmd = ws.cargo();
    cmd.args(["build", "--release", "--lib", "--target", "wasm32-unknown-unknown"]);
    for c in contracts {
        cmd.args(["-p", &c.package]);
    }
    run(&mut cmd).map(|_| ())
}

/// A Markdown table of the figures.
pub fn table(report: &[ContractSize]) -> String {
    let mut s = String::from(
        "| contract | wasm bytes | compressed bytes | headroom to 24,576 |\n|---|---:|---:|---:|\n",
    );
    for r in report {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.contract, r.wasm_bytes, r.compressed_bytes, r.headroom_bytes
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
        bail!("contracts over the Stylus size limits:\n{}", over.join("\n"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_code_round_trips_through_brotli() {
        let wasm: Vec<u8> = (0..10_000u32).flat_map(|i| (i % 251).to_le_bytes()).collect();
        let code = program_code(&wasm).unwrap();
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
        };
        let big = ContractSize {
            contract: "big".into(),
            wasm_bytes: 90_000,
            compressed_bytes: 25_000,
            headroom_bytes: -424,
        };
        assert!(enforce(std::slice::from_ref(&ok), MAX_COMPRESSED).is_ok());
        let err = enforce(&[ok, big], MAX_COMPRESSED).unwrap_err().to_string();
        assert!(err.contains("big: 25000"), "{err}");
        assert!(!err.contains("small"), "{err}");
    }
}
