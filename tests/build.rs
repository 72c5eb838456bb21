//! Sets `abi_<contract>` cfg flags for every contract whose ABI is exported in `../abi`, so the
//! bindings and scenarios of a contract compile as soon as its ABI exists (and the crate still
//! builds while contracts are being written); rebuilds the bindings when an ABI or a fixture
//! artifact (`fixtures/*.json`) changes.
use std::path::Path;

const CONTRACTS: [(&str, &str); 6] = [
    ("AgentToken", "abi_agent_token"),
    ("StakingVault", "abi_staking_vault"),
    ("EloLedger", "abi_elo_ledger"),
    ("OmlRegistry", "abi_oml_registry"),
    ("SubDao", "abi_subdao"),
    ("Revenue", "abi_revenue"),
];

fn main() {
    // Read at run time, not with `env!`: cargo reuses a build-script binary compiled in another
    // checkout of the workspace (its hash does not depend on the path), and a path baked in at
    // compile time would then point at that checkout's `abi/`.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let abi = Path::new(&manifest).join("../abi");
    println!("cargo:rerun-if-changed={}", abi.display());
    // The fixture artifacts `abigen!` reads (a rerun rebuilds the bindings with them).
    let fixtures = Path::new(&manifest).join("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    for (name, flag) in CONTRACTS {
        println!("cargo:rustc-check-cfg=cfg({flag})");
        let file = abi.join(format!("{name}.json"));
        println!("cargo:rerun-if-changed={}", file.display());
        if file.is_file() {
            println!("cargo:rustc-cfg={flag}");
        }
    }
}
