//! Whole-workspace checks run by `cargo test --workspace`: every contract builds for wasm32 in
//! release mode, fits Nitro's size limits, and matches its committed ABI files.
use xtask::{abi, sizes, Workspace};

#[test]
fn every_contract_builds_to_wasm_within_its_size_budget() {
    let ws = Workspace::locate().unwrap();
    let report = sizes::measure(&ws, true).unwrap();
    print!("{}", sizes::table(&report));
    assert_eq!(report.len(), ws.contracts().len());
    let budget = sizes::budget();
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

/// Cargo unifies features across the packages of one invocation, so a program built together
/// with the SubDAO would inherit its `stylus-sdk/reentrant` feature (the SDK's reentrancy check
/// switched off). Each program must come out byte-identical whether built with every other
/// program (`deploy`'s default) or alone (`deploy --only <contract>`).
#[test]
fn every_program_is_byte_identical_built_alone_or_with_the_others() {
    let ws = Workspace::locate().unwrap();
    let builder = ws.builder();
    let contracts = ws.contracts();
    let packages: Vec<&str> = contracts.iter().map(|c| c.package.as_str()).collect();
    let read = |package: &str| std::fs::read(builder.wasm_path(package)).unwrap();
    builder.build_wasm(&packages).unwrap();
    let together: Vec<Vec<u8>> = packages.iter().map(|p| read(p)).collect();
    for (package, with_others) in packages.iter().zip(&together) {
        builder.build_wasm(&[*package]).unwrap();
        let alone = read(package);
        let hash = |wasm: &[u8]| sizes::code_hash(&sizes::program_code(wasm));
        println!(
            "{package}: code hash {} with the others, {} alone",
            hash(with_others),
            hash(&alone)
        );
        assert!(
            alone == *with_others,
            "{package}'s wasm differs when built alone"
        );
    }
}
