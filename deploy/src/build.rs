//! Building the contracts to wasm and loading the result as deployable [`Artifact`]s.
//!
//! Contracts are built with `cargo build --release --lib --target wasm32-unknown-unknown`
//! (`--lib` matters: a contract's `export-abi` binary builds to the same `<crate>.wasm` name and
//! would overwrite the program). The nested cargo runs in its own target directory, shared with
//! xtask, so it never waits on the lock of the build that started it and the contracts compile
//! once for both tools.
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::compress::{check_size, program_code, MAX_COMPRESSED, TARGET_COMPRESSED};
use crate::error::BuildError;
use crate::system::extension_of;
use crate::toolchain::Rustup;

/// The wasm target the contracts are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Standard-library crates rebuilt from source (`rust-src`) together with the contracts.
///
/// Rebuilding std with the flags of [`WASM_RUSTFLAGS`] is what makes the programs fit Nitro:
/// the prebuilt std carries the formatting panic machinery (20-28 KB of wasm per contract) and is
/// compiled with wasm reference types, whose overlong `call_indirect` encoding Nitro's validator
/// refuses ("zero byte expected").
pub const BUILD_STD: &str = "-Zbuild-std=core,alloc,std,panic_abort";

/// Compiler flags of the contract builds, applied to std as well (see [`BUILD_STD`]):
/// - `-Cpanic=immediate-abort`: a panic is a bare `unreachable` trap (a revert), no message
///   formatting is linked;
/// - `-Zfmt-debug=none -Zlocation-detail=none`: no `Debug` impls nor file/line strings;
/// - `-Ctarget-cpu=mvp` plus the post-MVP features Stylus accepts (bulk memory, sign extension,
///   mutable globals, saturating float-to-int); reference types and multi-value stay off, as on
///   Nitro.
///
/// - `-zstack-size=32768`: a 32 KiB shadow stack (as cargo-stylus' templates) instead of rustc's
///   1 MiB default. The stack is part of the program's initial memory, and Nitro charges every
///   call 1,000 gas (plus a ramp) for each initial page beyond the 2 free ones: with the default
///   stack a program starts with 17 pages, about 15,000 gas of overhead on every call.
///
/// The flags are unstable: the build runs with `RUSTC_BOOTSTRAP=1` on the exact compiler pinned
/// by `rust-toolchain.toml`, so the output is reproducible.
pub const WASM_RUSTFLAGS: &str = "-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none \
     -Zlocation-detail=none -Ctarget-cpu=mvp \
     -Ctarget-feature=+bulk-memory,+sign-ext,+mutable-globals,+nontrapping-fptoint \
     -Clink-arg=-zstack-size=32768";

/// Wasm pages (64 KiB each) of initial memory Nitro does not charge for at a call.
pub const FREE_PAGES: u32 = 2;

/// The cargo workspace the contracts live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// Directory holding the workspace `Cargo.toml`.
    pub root: PathBuf,
}

impl Workspace {
    /// The workspace this crate belongs to (the parent of `deploy/`).
    pub fn locate() -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest.parent().unwrap_or(manifest).to_path_buf();
        Self { root }
    }

    /// Target directory for the nested builds (the wasm programs and the `export-abi`
    /// binaries): `$XTASK_TARGET_DIR`; else, when `$CARGO_TARGET_DIR` is set,
    /// `xtask-<hash of the workspace path>/` inside it; else the workspace's `target/xtask/`.
    ///
    /// A program's wasm (a `cdylib`) has no hash in its file name, so two checkouts of the
    /// workspace building into one target directory would overwrite each other's programs and
    /// each could deploy the other's code. A `CARGO_TARGET_DIR` shared by several checkouts
    /// therefore gets one nested directory per checkout; CI, with a single checkout, sets
    /// `XTASK_TARGET_DIR` to keep its cache at a fixed place.
    pub fn wasm_target_dir(&self) -> PathBuf {
        if let Some(dir) = std::env::var_os("XTASK_TARGET_DIR") {
            return PathBuf::from(dir);
        }
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(shared) => PathBuf::from(shared).join(format!("xtask-{:08x}", fnv1a(&self.root))),
            None => self.root.join("target").join("xtask"),
        }
    }

    /// A `cargo` command rooted at the workspace, building into [`Self::wasm_target_dir`], with
    /// the outer build's compiler flags removed (coverage or sanitizer flags must not leak into
    /// nested builds; neither must a lint wrapper such as CI's clippy-driver, which lints the
    /// outer build only). For native nested builds such as the `export-abi` binaries.
    pub fn native_cargo(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.wasm_target_dir())
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CLIPPY_ARGS");
        cmd
    }

    /// [`Self::native_cargo`] set up for the contract builds: [`WASM_RUSTFLAGS`] and the
    /// `RUSTC_BOOTSTRAP=1` they need.
    pub fn cargo(&self) -> Command {
        let mut cmd = self.native_cargo();
        cmd.env("RUSTFLAGS", WASM_RUSTFLAGS)
            .env("RUSTC_BOOTSTRAP", "1");
        cmd
    }

    /// Path of the release wasm of `package` (`agent-token` -> `agent_token.wasm`).
    pub fn wasm_path(&self, package: &str) -> PathBuf {
        self.wasm_target_dir()
            .join(WASM_TARGET)
            .join("release")
            .join(format!("{}.wasm", package.replace('-', "_")))
    }

    /// Builds `packages` (and the extension program of each split contract, see
    /// [`crate::system::CONTRACTS`]) for wasm32:
    /// `cargo build --release --lib --target wasm32-unknown-unknown -p <program>`, **one cargo
    /// invocation per program**.
    ///
    /// Cargo unifies the features of every package selected in one invocation: building two
    /// programs together would give each the other's dependency features (the SubDAO's
    /// `stylus-sdk/reentrant`, which switches the SDK's reentrancy check off, would reach every
    /// program). One invocation per program makes a program's wasm depend on its own manifest
    /// only, byte-identical whether it is built alone or with all the others; dependencies
    /// compiled with the same features are still shared through the target directory.
    ///
    /// # Errors
    /// [`BuildError::MissingWasmTarget`] when the rustup target is not installed,
    /// [`BuildError::Cargo`] with cargo's output for any other failure.
    pub fn build_wasm<S: AsRef<str>>(&self, packages: &[S]) -> Result<(), BuildError> {
        self.ensure_toolchain()?;
        for program in programs_of(packages) {
            self.build_program(program)?;
        }
        Ok(())
    }

    /// Installs the wasm target and `rust-src` with rustup when they are missing (once per
    /// process; see [`crate::toolchain`]). Without rustup on `PATH` nothing is checked, and a
    /// missing target surfaces as [`BuildError::MissingWasmTarget`] from the build.
    ///
    /// # Errors
    /// [`BuildError::Toolchain`] or [`BuildError::Spawn`] when rustup fails.
    pub fn ensure_toolchain(&self) -> Result<(), BuildError> {
        static CHECKED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
        let mut checked = CHECKED.lock().unwrap_or_else(|e| e.into_inner());
        if *checked {
            return Ok(());
        }
        if let Some(rustup) = Rustup::find(None) {
            rustup.ensure_wasm(&self.root, &mut std::io::stderr())?;
        }
        *checked = true;
        Ok(())
    }

    /// `cargo build --release --lib --target wasm32-unknown-unknown -p <program>`.
    fn build_program(&self, program: &str) -> Result<(), BuildError> {
        let mut cmd = self.cargo();
        cmd.args([
            "build",
            "--release",
            "--lib",
            "--target",
            WASM_TARGET,
            BUILD_STD,
            "-p",
            program,
        ]);
        let output = cmd.output().map_err(|source| BuildError::Spawn {
            command: format!("{cmd:?}"),
            source,
        })?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        Err(classify_cargo_failure(stderr))
    }

    /// Reads the built wasm of `package` and turns it into an [`Artifact`], with the artifact
    /// of its extension program attached when the contract is split over two programs.
    ///
    /// # Errors
    /// [`BuildError::MissingWasm`] when a file does not exist (not built yet).
    pub fn artifact(&self, package: &str) -> Result<Artifact, BuildError> {
        let mut artifact = self.program(package)?;
        if let Some(extension) = extension_of(package) {
            artifact.extension = Some(Box::new(self.program(extension)?));
        }
        Ok(artifact)
    }

    /// The artifact of one program's wasm.
    fn program(&self, package: &str) -> Result<Artifact, BuildError> {
        let path = self.wasm_path(package);
        let wasm = std::fs::read(&path).map_err(|source| BuildError::MissingWasm {
            package: package.to_string(),
            path: path.clone(),
            source,
        })?;
        Ok(Artifact::from_wasm(package, wasm))
    }
}

/// 32-bit FNV-1a of a path's bytes: a short name that is the same on every run.
fn fnv1a(path: &Path) -> u32 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0x811c_9dc5_u32, |hash, &byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        })
}

/// Every program of `packages`: each package followed by its extension program, if any.
pub fn programs_of<S: AsRef<str>>(packages: &[S]) -> Vec<&str> {
    packages
        .iter()
        .flat_map(|package| {
            let package = package.as_ref();
            core::iter::once(package).chain(extension_of(package))
        })
        .collect()
}

/// Maps cargo's stderr to the most specific [`BuildError`].
fn classify_cargo_failure(stderr: String) -> BuildError {
    let target_missing = stderr.contains("target may not be installed")
        || (stderr.contains("can't find crate for `core`") && stderr.contains(WASM_TARGET))
        || stderr.contains(&format!(
            "toolchain does not support target `{WASM_TARGET}`"
        ))
        || stderr.contains("rust-src");
    if target_missing {
        BuildError::MissingWasmTarget
    } else {
        BuildError::Cargo { stderr }
    }
}

/// How the programs were built, recorded with a deployment so anyone can rebuild them and
/// compare code hashes (see `docs/building.md`, "Reproducing a deployed program").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    /// `rustc --version` of the toolchain the workspace pins (`rust-toolchain.toml`).
    pub rustc: String,
    /// The cargo command, run once per program (`<program>` is the package).
    pub command: String,
    /// `RUSTFLAGS` of the build ([`WASM_RUSTFLAGS`], with `RUSTC_BOOTSTRAP=1`).
    pub rustflags: String,
    /// `git describe --always --dirty` of the workspace, when it is a git checkout.
    pub source: Option<String>,
}

impl Workspace {
    /// The toolchain, command, flags and source revision the programs are built with.
    pub fn build_info(&self) -> BuildInfo {
        let output = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .current_dir(&self.root)
                .output()
                .ok()
                .filter(|out| out.status.success())
                .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        };
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        BuildInfo {
            rustc: output(&rustc, &["--version"]).unwrap_or_else(|| "unknown".into()),
            command: format!(
                "cargo build --release --lib --target {WASM_TARGET} {BUILD_STD} -p <program>"
            ),
            rustflags: WASM_RUSTFLAGS.to_string(),
            source: output("git", &["describe", "--always", "--dirty"]),
        }
    }
}

/// A contract ready to deploy: its wasm and the program code that goes on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Cargo package name, e.g. `agent-token`.
    pub package: String,
    /// The release wasm.
    pub wasm: Vec<u8>,
    /// Program code: `EF F0 00 00` + brotli(wasm).
    pub code: Vec<u8>,
    /// The extension program the core delegates to, for a contract split over two programs
    /// (see `ContractKind::extension`).
    pub extension: Option<Box<Artifact>>,
}

/// The form of `wasm` that is deployed, with its program code: packed ([`crate::pack`]) when
/// its compressed code fits `target` bytes or is no larger than the unpacked one. Packing saves
/// gas on every call but can cost compressed bytes (splitting a segment breaks brotli's
/// matches), so it is never what takes a program over the size target.
pub fn deployable(wasm: Vec<u8>, target: usize) -> (Vec<u8>, Vec<u8>) {
    let packed = crate::pack::pack(&wasm);
    let packed_code = program_code(&packed);
    if packed_code.len() <= target {
        return (packed, packed_code);
    }
    let code = program_code(&wasm);
    if code.len() < packed_code.len() {
        (wasm, code)
    } else {
        (packed, packed_code)
    }
}

impl Artifact {
    /// Packs the data segments of `wasm` ([`crate::pack`]) and compresses it into an artifact
    /// named `package`: what is deployed, measured and size-checked (see [`deployable`]).
    pub fn from_wasm(package: &str, wasm: Vec<u8>) -> Self {
        let (wasm, code) = deployable(wasm, TARGET_COMPRESSED);
        Self {
            package: package.to_string(),
            wasm,
            code,
            extension: None,
        }
    }

    /// Bytes of the program code on chain.
    pub fn compressed_bytes(&self) -> usize {
        self.code.len()
    }

    /// Initial memory of the program in 64 KiB pages (its memory section's minimum), `None`
    /// when the wasm declares no memory or does not parse. Nitro charges every call for the
    /// pages beyond [`FREE_PAGES`].
    pub fn initial_pages(&self) -> Option<u64> {
        wasmparser::Parser::new(0)
            .parse_all(&self.wasm)
            .find_map(|payload| match payload {
                Ok(wasmparser::Payload::MemorySection(reader)) => {
                    reader.into_iter().next()?.ok().map(|memory| memory.initial)
                }
                _ => None,
            })
    }

    /// Checks Nitro's limits (24,576 compressed bytes, 128 KiB wasm), for the extension
    /// program too.
    ///
    /// # Errors
    /// [`crate::error::SizeError`] naming this contract (or its extension program).
    pub fn check_size(&self) -> Result<(), crate::error::SizeError> {
        check_size(
            &self.package,
            self.wasm.len(),
            self.code.len(),
            MAX_COMPRESSED,
        )?;
        match &self.extension {
            Some(extension) => extension.check_size(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_pages_reads_the_memory_section() {
        let with = |wat_text: &str| {
            Artifact::from_wasm("toy", wat::parse_str(wat_text).unwrap()).initial_pages()
        };
        assert_eq!(with("(module (memory 3))"), Some(3));
        assert_eq!(with("(module (memory 1 5))"), Some(1));
        assert_eq!(with("(module)"), None);
    }

    #[test]
    fn locates_the_workspace_root() {
        let ws = Workspace::locate();
        assert!(ws.root.join("Cargo.toml").is_file());
        assert!(ws.root.join("deploy").is_dir());
    }

    #[test]
    fn wasm_path_uses_the_crate_file_name() {
        let ws = Workspace {
            root: PathBuf::from("/repo"),
        };
        let path = ws.wasm_path("staking-vault");
        assert!(
            path.ends_with("wasm32-unknown-unknown/release/staking_vault.wasm"),
            "{path:?}"
        );
    }

    #[test]
    fn build_info_names_the_pinned_toolchain_and_the_flags() {
        let ws = Workspace::locate();
        let pinned = std::fs::read_to_string(ws.root.join("rust-toolchain.toml")).unwrap();
        let channel = pinned
            .lines()
            .find_map(|l| l.strip_prefix("channel = "))
            .unwrap()
            .trim_matches('"');
        let info = ws.build_info();
        assert!(
            info.rustc.starts_with(&format!("rustc {channel} ")),
            "{info:?}"
        );
        assert_eq!(info.rustflags, WASM_RUSTFLAGS);
        assert!(info.command.contains(BUILD_STD), "{info:?}");
    }

    #[test]
    fn checkouts_sharing_a_target_dir_build_programs_apart() {
        let a = fnv1a(Path::new("/work/one"));
        assert_ne!(a, fnv1a(Path::new("/work/two")));
        assert_eq!(a, fnv1a(Path::new("/work/one")));
    }

    #[test]
    fn split_contracts_build_both_programs() {
        assert_eq!(
            programs_of(&["agent-token", "subdao"]),
            ["agent-token", "subdao", "subdao-ext"]
        );
    }

    #[test]
    fn missing_target_is_recognised() {
        let stderr = "error[E0463]: can't find crate for `core`\n  = note: the \
                      `wasm32-unknown-unknown` target may not be installed"
            .to_string();
        assert!(matches!(
            classify_cargo_failure(stderr),
            BuildError::MissingWasmTarget
        ));
        let other = classify_cargo_failure("error: could not compile `x`".into());
        assert!(matches!(other, BuildError::Cargo { .. }));
        assert!(BuildError::MissingWasmTarget
            .to_string()
            .contains("rustup target add wasm32-unknown-unknown"));
    }

    #[test]
    fn missing_wasm_file_names_the_package() {
        let ws = Workspace {
            root: PathBuf::from("/nonexistent-root"),
        };
        let err = ws.artifact("no-such-contract").unwrap_err();
        assert!(err.to_string().contains("no-such-contract"), "{err}");
    }

    #[test]
    fn artifact_checks_size() {
        let small = Artifact::from_wasm("tiny", vec![0u8; 100]);
        assert!(small.check_size().is_ok());
        assert_eq!(small.compressed_bytes(), small.code.len());
        // Random bytes do not compress: 30,000 of them stay over the limit.
        let mut state = 0x1234_5678u32;
        let noise: Vec<u8> = (0..30_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        let big = Artifact::from_wasm("noisy", noise);
        let err = big.check_size().unwrap_err().to_string();
        assert!(err.starts_with("noisy is "), "{err}");
        // An oversized extension program fails its core's check, named as itself.
        let mut core = Artifact::from_wasm("core", vec![0u8; 100]);
        core.extension = Some(Box::new(big));
        let err = core.check_size().unwrap_err().to_string();
        assert!(err.starts_with("noisy is "), "{err}");
    }
}
