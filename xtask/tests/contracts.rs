//! Whole-workspace checks run by `cargo test --workspace`: every contract builds for wasm32 in
//! release mode, fits Nitro's size limits, and matches its committed ABI files.
use xtask::{abi, sizes, Workspace};

#[test]
fn every_contract_builds_to_wasm_within_the_stylus_limits() {
    let ws = Workspace::locate().unwrap();
    let report = sizes::measure(&ws, true).unwrap();
    print!("{}", sizes::table(&report));
    assert_eq!(report.len(), ws.contracts().unwrap().len());
    sizes::enforce(&report, sizes::MAX_COMPRESSED).unwrap();
}

#[test]
fn committed_abi_matches_the_code() {
    let ws = Workspace::locate().unwrap();
    let exported = abi::export_all(&ws).unwrap();
    abi::check(&ws, &exported).unwrap();
}
