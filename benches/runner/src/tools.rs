//! The Node.js tools of the benchmark (npm `solc` and Foundry's `@foundry-rs/anvil`), pinned by
//! `benches/package.json` + `package-lock.json` and installed with `npm install` when missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// Paths of the tools once installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeTools {
    /// The `solc` command-line wrapper around solc-js (`benches/tools/solc`).
    pub solc: PathBuf,
    /// The native anvil binary shipped by the npm package for this platform.
    pub anvil: PathBuf,
}

/// `benches/` in this workspace.
pub(crate) fn benches_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The npm platform suffix of the anvil package for this machine (`linux-amd64`, ...).
pub(crate) fn anvil_platform(os: &str, arch: &str) -> Option<&'static str> {
    match (os, arch) {
        ("linux", "x86_64") => Some("linux-amd64"),
        ("linux", "aarch64") => Some("linux-arm64"),
        ("macos", "x86_64") => Some("darwin-amd64"),
        ("macos", "aarch64") => Some("darwin-arm64"),
        _ => None,
    }
}

impl NodeTools {
    /// Where the tools live under `benches` (they may not exist yet).
    ///
    /// # Errors
    /// When anvil has no npm package for this platform.
    pub(crate) fn locate(benches: &Path) -> Result<Self> {
        let platform =
            anvil_platform(std::env::consts::OS, std::env::consts::ARCH).with_context(|| {
                format!(
                    "@foundry-rs/anvil has no binary for {}-{}",
                    std::env::consts::OS,
                    std::env::consts::ARCH
                )
            })?;
        Ok(Self {
            solc: benches.join("tools").join("solc"),
            anvil: benches
                .join("node_modules/@foundry-rs")
                .join(format!("anvil-{platform}"))
                .join("bin/anvil"),
        })
    }

    /// Whether npm has installed the packages the tools need.
    pub(crate) fn installed(&self, benches: &Path) -> bool {
        benches.join("node_modules/solc/package.json").is_file() && self.anvil.is_file()
    }

    /// Locates the tools and runs `npm install` in `benches` first when they are missing.
    ///
    /// `npm install`, not `npm ci`: `@foundry-rs/anvil` lists its per-platform binary packages as
    /// optional dependencies without versions, which npm 11's `npm ci` reports as missing from
    /// any lock file; `npm install` still installs the locked versions.
    ///
    /// # Errors
    /// When npm is missing or fails, or the install did not produce the tools.
    pub(crate) fn ensure(benches: &Path) -> Result<Self> {
        let tools = Self::locate(benches)?;
        if !tools.installed(benches) {
            eprintln!(
                "installing the npm tools (npm install in {})",
                benches.display()
            );
            let status = Command::new("npm")
                .args(["install", "--no-audit", "--no-fund"])
                .current_dir(benches)
                .status()
                .context("running npm (install Node.js 18+ with npm)")?;
            if !status.success() {
                bail!("npm install failed in {} ({status})", benches.display());
            }
            if !tools.installed(benches) {
                bail!(
                    "npm install did not install solc and anvil (expected {})",
                    tools.anvil.display()
                );
            }
        }
        Ok(tools)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anvil_platforms_follow_the_npm_package_names() {
        assert_eq!(anvil_platform("linux", "x86_64"), Some("linux-amd64"));
        assert_eq!(anvil_platform("macos", "aarch64"), Some("darwin-arm64"));
        assert_eq!(anvil_platform("freebsd", "x86_64"), None);
    }

    #[test]
    fn tools_are_found_under_benches() {
        let benches = benches_dir();
        assert!(benches.join("package.json").is_file());
        assert!(benches.join("package-lock.json").is_file());
        let tools = NodeTools::locate(&benches).unwrap();
        assert!(tools.solc.is_file(), "{}", tools.solc.display());
        assert!(tools.anvil.starts_with(benches.join("node_modules")));
        let empty = tempfile_dir();
        assert!(!tools.installed(&empty));
    }

    fn tempfile_dir() -> PathBuf {
        std::env::temp_dir().join("agentdao-bench-no-node-modules")
    }
}
