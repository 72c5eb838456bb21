//! Sets `abi_<contract>` cfg flags for every contract whose ABI is exported in `../abi`, so the
//! bindings and scenarios of a contract compile as soon as its ABI exists (and the crate still
//! builds while contracts are being written).
use std::path::Path;

const CONTRACTS: [(&str, &str); 5] = [
    ("AgentToken", "abi_agent_token"),
    ("StakingVault", "abi_staking_vault"),
    ("EloLedger", "abi_elo_ledger"),
    ("OmlRegistry", "abi_oml_registry"),
    ("SubDao", "abi_subdao"),
];

fn main() {
    let abi = Path::new(env!("CARGO_MANIFEST_DIR")).join("../abi");
    println!("cargo:rerun-if-changed={}", abi.display());
    for (name, flag) in CONTRACTS {
        println!("cargo:rustc-check-cfg=cfg({flag})");
        let file = abi.join(format!("{name}.json"));
        println!("cargo:rerun-if-changed={}", file.display());
        if file.is_file() {
            println!("cargo:rustc-cfg={flag}");
        }
    }
}
