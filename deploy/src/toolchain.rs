//! What the contract builds need from the Rust toolchain, installed on demand with rustup.
//!
//! `rust-toolchain.toml` pins the compiler and lists the `wasm32-unknown-unknown` target and the
//! `rust-src` component (std is rebuilt for the programs). rustup installs them only when it
//! installs the pinned toolchain itself: on a machine where that toolchain was already installed
//! without them, the first contract build would fail. Before building, [`Rustup::ensure_wasm`]
//! asks rustup (from the workspace directory, so for the pinned toolchain) which targets and
//! components are installed and adds what is missing, saying so on standard error. Only where
//! rustup is absent does the build go ahead without it and, if the target is missing, stop with
//! the instruction of [`BuildError::MissingWasmTarget`].
use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::build::WASM_TARGET;
use crate::error::BuildError;

/// The component that holds std's source (needed by `-Zbuild-std`).
pub const RUST_SRC: &str = "rust-src";

/// A rustup executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rustup {
    /// Path of the executable.
    pub program: PathBuf,
}

impl Rustup {
    /// The `rustup` found in the directories of `path` (a `PATH`-style list; `None` reads the
    /// process's `PATH`), if any.
    pub fn find(path: Option<&OsStr>) -> Option<Self> {
        let path: OsString = match path {
            Some(path) => path.to_os_string(),
            None => std::env::var_os("PATH")?,
        };
        std::env::split_paths(&path)
            .map(|dir| dir.join("rustup"))
            .find(|candidate| candidate.is_file())
            .map(|program| Self { program })
    }

    /// Installs the wasm target and `rust-src` for the toolchain `workspace` pins, when they are
    /// missing, writing one line to `log` for each install; returns the rustup commands it ran.
    ///
    /// # Errors
    /// [`BuildError::Spawn`] when rustup cannot be started, [`BuildError::Toolchain`] when a
    /// query or an install fails.
    pub fn ensure_wasm(
        &self,
        workspace: &Path,
        log: &mut dyn Write,
    ) -> Result<Vec<String>, BuildError> {
        let mut ran = Vec::new();
        let needs = [
            (["target", "list"], ["target", "add"], WASM_TARGET),
            (["component", "list"], ["component", "add"], RUST_SRC),
        ];
        for (list, add, name) in needs {
            let installed = self.run(workspace, &[list[0], list[1], "--installed"])?;
            // Components are listed with their host triple (`rust-src` is listed bare).
            let present = installed
                .lines()
                .any(|line| line.trim() == name || line.trim().starts_with(&format!("{name}-")));
            if present {
                continue;
            }
            let command = format!("rustup {} {} {name}", add[0], add[1]);
            // A failed write to the log must not stop the build.
            let _ = writeln!(
                log,
                "{name} is not installed for the pinned toolchain: running `{command}`"
            );
            self.run(workspace, &[add[0], add[1], name])?;
            ran.push(command);
        }
        Ok(ran)
    }

    /// Runs rustup with `args` in `dir`; its standard output.
    fn run(&self, dir: &Path, args: &[&str]) -> Result<String, BuildError> {
        let mut cmd = Command::new(&self.program);
        cmd.current_dir(dir).args(args);
        let output = cmd.output().map_err(|source| BuildError::Spawn {
            command: format!("{cmd:?}"),
            source,
        })?;
        if !output.status.success() {
            return Err(BuildError::Toolchain {
                command: format!("rustup {}", args.join(" ")),
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stub `rustup` in a fresh directory: it records its arguments (one call per line) and
    /// lists `targets` and `components` as installed.
    fn stub(targets: &str, components: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let calls = dir.path().join("calls");
        let script = format!(
            "#!/bin/sh\necho \"$*\" >> '{}'\ncase \"$1 $2\" in\n  'target list') printf '{targets}' ;;\n  'component list') printf '{components}' ;;\nesac\n",
            calls.display()
        );
        let program = dir.path().join("rustup");
        std::fs::write(&program, script).unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        (dir, calls)
    }

    fn calls(file: &Path) -> Vec<String> {
        std::fs::read_to_string(file)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn installs_the_missing_target_and_component_and_says_so() {
        let (dir, recorded) = stub(
            "x86_64-unknown-linux-gnu\\n",
            "cargo-x86_64-unknown-linux-gnu\\n",
        );
        let path = std::env::join_paths([Path::new("/nonexistent"), dir.path()]).unwrap();
        let rustup = Rustup::find(Some(&path)).expect("the stub is on PATH");
        let mut log = Vec::new();
        let ran = rustup.ensure_wasm(dir.path(), &mut log).unwrap();
        assert_eq!(
            ran,
            [
                "rustup target add wasm32-unknown-unknown",
                "rustup component add rust-src"
            ]
        );
        assert_eq!(
            calls(&recorded),
            [
                "target list --installed",
                "target add wasm32-unknown-unknown",
                "component list --installed",
                "component add rust-src"
            ]
        );
        let log = String::from_utf8(log).unwrap();
        assert!(
            log.contains("running `rustup target add wasm32-unknown-unknown`"),
            "{log}"
        );
        assert!(
            log.contains("running `rustup component add rust-src`"),
            "{log}"
        );
    }

    #[test]
    fn installs_nothing_when_everything_is_there() {
        let (dir, recorded) = stub(
            "wasm32-unknown-unknown\\nx86_64-unknown-linux-gnu\\n",
            "rust-src\\nrustc-x86_64-unknown-linux-gnu\\n",
        );
        let rustup = Rustup::find(Some(dir.path().as_os_str())).unwrap();
        let mut log = Vec::new();
        assert!(rustup.ensure_wasm(dir.path(), &mut log).unwrap().is_empty());
        assert!(log.is_empty());
        assert_eq!(
            calls(&recorded),
            ["target list --installed", "component list --installed"]
        );
    }

    #[test]
    fn a_failing_install_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let program = dir.path().join("rustup");
        std::fs::write(
            &program,
            "#!/bin/sh\n[ \"$2\" = add ] && { echo offline >&2; exit 1; }\nexit 0\n",
        )
        .unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let rustup = Rustup::find(Some(dir.path().as_os_str())).unwrap();
        let err = rustup.ensure_wasm(dir.path(), &mut Vec::new()).unwrap_err();
        assert!(
            matches!(&err, BuildError::Toolchain { command, stderr }
                if command == "rustup target add wasm32-unknown-unknown" && stderr.contains("offline")),
            "{err}"
        );
    }

    #[test]
    fn no_rustup_on_path_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Rustup::find(Some(dir.path().as_os_str())), None);
        assert_eq!(Rustup::find(Some(OsStr::new(""))), None);
    }
}
