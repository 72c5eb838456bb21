//! Library behind `cargo run -p xtask`: contract discovery, wasm sizes and ABI export.
//!
//! The tests in `xtask/tests/` run the same code, so `cargo test --workspace` also builds every
//! contract for wasm32, checks it against Nitro's size limits and checks `abi/` for drift.
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod abi;
pub mod sizes;

/// The workspace root and the contracts in it.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Directory holding the workspace `Cargo.toml`.
    pub root: PathBuf,
}

/// One Stylus contract crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// Cargo package name, e.g. `agent-token`.
    pub package: String,
    /// Crate directory.
    pub dir: PathBuf,
}

impl Contract {
    /// File name of the built program, e.g. `agent_token.wasm`.
    pub fn wasm_file_name(&self) -> String {
        format!("{}.wasm", self.package.replace('-', "_"))
    }
}

impl Workspace {
    /// Finds the workspace root from this crate's manifest directory.
    pub fn locate() -> Result<Self> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .context("xtask must live one level below the workspace root")?
            .to_path_buf();
        Ok(Self { root })
    }

    /// Every program of the system ([`deploy::system::programs`]: each contract's program and
    /// its extension program), sorted by name; each crate lives in `contracts/<package>`.
    pub fn contracts(&self) -> Vec<Contract> {
        let mut out: Vec<Contract> = deploy::system::programs()
            .map(|program| Contract {
                package: program.package.to_string(),
                dir: self.root.join("contracts").join(program.package),
            })
            .collect();
        out.sort_by(|a, b| a.package.cmp(&b.package));
        out
    }

    /// The program crates found in the workspace: directories under `contracts/` with a
    /// `Stylus.toml` (cargo-stylus' marker of a program crate) whose sources declare an
    /// `#[entrypoint]`, sorted by name. Library crates (`common`, test support) may mention
    /// `#[entrypoint]` in tests or docs. A test checks that they are the listed programs.
    pub fn discover(&self) -> Result<Vec<Contract>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(self.root.join("contracts"))? {
            let dir = entry?.path();
            let lib = dir.join("src/lib.rs");
            if !lib.is_file() || !dir.join("Stylus.toml").is_file() {
                continue;
            }
            if !sources_contain(&dir.join("src"), "#[entrypoint]")? {
                continue;
            }
            let package = dir
                .file_name()
                .and_then(|n| n.to_str())
                .context("contract directory name is not UTF-8")?
                .to_string();
            out.push(Contract { package, dir });
        }
        out.sort_by(|a, b| a.package.cmp(&b.package));
        Ok(out)
    }

    /// The deploy library's view of this workspace: it owns the nested build rules.
    pub fn builder(&self) -> deploy::Workspace {
        deploy::Workspace {
            root: self.root.clone(),
        }
    }

    /// Target directory for nested builds (see [`deploy::Workspace::wasm_target_dir`]: a
    /// separate directory, so a nested cargo started from a test never waits on the outer
    /// build's lock).
    pub fn target_dir(&self) -> PathBuf {
        self.builder().wasm_target_dir()
    }

    /// A native `cargo` command rooted at the workspace with the nested target dir.
    pub fn cargo(&self) -> Command {
        self.builder().native_cargo()
    }
}

/// Runs `cmd`, failing with its stderr when it exits non-zero; returns stdout.
pub fn run(cmd: &mut Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("spawning {cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed with {}:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8(out.stdout)?)
}

fn sources_contain(dir: &Path, needle: &str) -> Result<bool> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            if sources_contain(&path, needle)? {
                return Ok(true);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && std::fs::read_to_string(&path)?.contains(needle)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_crates_are_the_listed_programs() {
        let ws = Workspace::locate().unwrap();
        let found: Vec<String> = ws
            .discover()
            .unwrap()
            .into_iter()
            .map(|c| c.package)
            .collect();
        let listed: Vec<String> = ws.contracts().into_iter().map(|c| c.package).collect();
        assert_eq!(
            found, listed,
            "every program crate under contracts/ must have its row in deploy::system::CONTRACTS"
        );
        for contract in ws.contracts() {
            assert!(contract.dir.join("Cargo.toml").is_file(), "{contract:?}");
        }
        for library in ["common", "test-host"] {
            assert!(!found.iter().any(|n| n == library), "{library} found");
        }
    }
}
