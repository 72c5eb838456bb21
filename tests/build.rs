//! Checks that every Solidity fixture (`fixtures/*.sol`) has its compiled artifact
//! (`fixtures/<Name>.json`, written by `tests/js/fixtures.mjs`) that `abigen!` reads in
//! `src/bindings.rs`, failing the build with a message naming the missing file; rebuilds the
//! bindings when a fixture changes. The contracts' own bindings come from `deploy::bindings`.
use std::path::Path;

fn main() {
    // Read at run time, not with `env!`: cargo reuses a build-script binary compiled in another
    // checkout of the workspace (its hash does not depend on the path), and a path baked in at
    // compile time would then point at that checkout's fixtures.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let fixtures = Path::new(&manifest).join("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let entries = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", fixtures.display()));
    let mut sources = 0;
    for entry in entries {
        let source = entry.expect("reading the fixtures directory").path();
        if source.extension().is_none_or(|ext| ext != "sol") {
            continue;
        }
        sources += 1;
        let artifact = source.with_extension("json");
        println!("cargo:rerun-if-changed={}", artifact.display());
        assert!(
            artifact.is_file(),
            "{} has no compiled artifact {}: run `npm ci && node fixtures.mjs` in tests/js \
             to compile the fixtures",
            source.display(),
            artifact.display()
        );
    }
    assert!(
        sources > 0,
        "no Solidity fixtures in {}: the tests' bindings need them",
        fixtures.display()
    );
}
