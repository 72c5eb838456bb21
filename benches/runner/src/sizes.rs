//! Code size per contract: release wasm, brotli-11 program code (what goes on chain) and the
//! headroom under Nitro's 24,576-byte limit, from the same build the deploy library uses.

use deploy::contracts::ContractKind;
use deploy::{Artifact, Workspace, MAX_COMPRESSED};
use serde::Serialize;

pub(crate) use deploy::compress::TARGET_COMPRESSED;

/// One contract's sizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SizeRow {
    /// Cargo package.
    pub contract: String,
    /// Release wasm bytes.
    pub wasm_bytes: usize,
    /// Program code bytes (`EF F0 00 00` + brotli-11).
    pub compressed_bytes: usize,
    /// `24,576 - compressed` (negative: does not fit).
    pub headroom_bytes: i64,
    /// Whether Nitro accepts it.
    pub fits: bool,
}

impl SizeRow {
    /// The rows of a contract: its program, then its extension program when it is split over
    /// two (each with its own size).
    pub(crate) fn rows(artifact: &Artifact) -> Vec<Self> {
        let mut rows = vec![Self::of(artifact)];
        if let Some(extension) = artifact.extension.as_deref() {
            rows.push(Self::of(extension));
        }
        rows
    }

    /// The row of a built artifact.
    pub(crate) fn of(artifact: &Artifact) -> Self {
        let compressed = artifact.compressed_bytes();
        Self {
            contract: artifact.package.clone(),
            wasm_bytes: artifact.wasm.len(),
            compressed_bytes: compressed,
            headroom_bytes: MAX_COMPRESSED as i64 - compressed as i64,
            fits: artifact.check_size().is_ok(),
        }
    }
}

/// A contract's build outcome.
pub(crate) enum Built {
    /// Built: its artifact.
    Ok(Box<Artifact>),
    /// The build failed (e.g. a contract mid-edit); the reason.
    Failed(String),
}

/// Builds every contract (all at once; if one fails, each on its own) and loads them; with
/// `build` false, loads what the last build left in the target directory.
pub(crate) fn build_all(ws: &Workspace, build: bool) -> Vec<(ContractKind, Built)> {
    let packages: Vec<&str> = ContractKind::ALL.iter().map(|k| k.package()).collect();
    let together = !build || ws.build_wasm(&packages).is_ok();
    ContractKind::ALL
        .into_iter()
        .map(|kind| {
            let built = if together {
                Ok(())
            } else {
                ws.build_wasm(&[kind.package()])
            };
            let outcome = built
                .map_err(|e| e.to_string())
                .and_then(|()| ws.artifact(kind.package()).map_err(|e| e.to_string()));
            let built = match outcome {
                Ok(artifact) => Built::Ok(Box::new(artifact)),
                Err(reason) => Built::Failed(first_line(&reason)),
            };
            (kind, built)
        })
        .collect()
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headroom_is_signed() {
        let small = Artifact::from_wasm("tiny", vec![0u8; 1000]);
        let mut split = small.clone();
        split.extension = Some(Box::new(Artifact::from_wasm("tiny-ext", vec![0u8; 10])));
        let rows = SizeRow::rows(&split);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].contract, "tiny-ext");
        assert_eq!(SizeRow::rows(&small).len(), 1);
        let row = SizeRow::of(&small);
        assert!(row.fits);
        assert_eq!(
            row.headroom_bytes,
            MAX_COMPRESSED as i64 - small.code.len() as i64
        );
        let mut state = 0x9e37_79b9u32;
        let noise: Vec<u8> = (0..40_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let big = SizeRow::of(&Artifact::from_wasm("noisy", noise));
        assert!(!big.fits);
        assert!(big.headroom_bytes < 0);
    }
}
