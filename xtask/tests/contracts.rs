//! Whole-workspace checks run by `cargo test --workspace`: every contract builds for wasm32 in
//! release mode, fits Nitro's size limits, and matches its committed ABI files.
use alloy_json_abi::JsonAbi;
use alloy_primitives::keccak256;
use std::collections::BTreeSet;
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

/// The surface each split contract declares in its state crate: `(state crate, CORE, EXTENSION)`.
fn declared_surface(
    abi_name: &str,
) -> Option<(
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
)> {
    use elo_ledger_state::surface as elo;
    use oml_registry_state::surface as oml;
    use rewards_state::surface as rewards;
    use staking_vault_state::surface as vault;
    use subdao_state::surface as subdao;
    Some(match abi_name {
        "StakingVault" => ("staking_vault_state", vault::CORE, vault::EXTENSION),
        "EloLedger" => ("elo_ledger_state", elo::CORE, elo::EXTENSION),
        "SubDao" => ("subdao_state", subdao::CORE, subdao::EXTENSION),
        "OmlRegistry" => ("oml_registry_state", oml::CORE, oml::EXTENSION),
        "Rewards" => ("rewards_state", rewards::CORE, rewards::EXTENSION),
        _ => return None,
    })
}

/// The canonical signatures of an ABI's functions.
fn signatures(abi: &JsonAbi) -> BTreeSet<String> {
    abi.functions().map(|f| f.signature()).collect()
}

/// What differs between a program's exported functions and its declared list, if anything.
fn surface_drift(program: &str, served: &BTreeSet<String>, declared: &[&str]) -> Option<String> {
    let declared: BTreeSet<String> = declared.iter().map(|s| s.to_string()).collect();
    let missing: Vec<&String> = served.difference(&declared).collect();
    let extra: Vec<&String> = declared.difference(served).collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!(
            "{program} serves {missing:?}, missing from the list"
        ));
    }
    if !extra.is_empty() {
        parts.push(format!(
            "the list declares {extra:?}, which {program} does not serve"
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Each split contract declares what its core and its extension serve (`<state>::surface`):
/// each program serves exactly its list, no selector is in both lists (the core would shadow the
/// extension's function) and together they are exactly the committed `abi/<Contract>.json`.
#[test]
fn each_program_serves_exactly_its_declared_surface() {
    let ws = Workspace::locate().unwrap();
    let exported = abi::export_all(&ws).unwrap();
    let mut failures = Vec::new();
    for row in deploy::system::CONTRACTS {
        let Some(ext) = row.extension else {
            continue;
        };
        let Some((state, core, extension)) = declared_surface(row.abi_name) else {
            failures.push(format!(
                "{} runs as two programs but declares no surface: add its state crate's `surface` to this test",
                row.abi_name
            ));
            continue;
        };
        let e = exported.iter().find(|e| e.name == row.abi_name).unwrap();
        let programs = e
            .programs
            .as_ref()
            .expect("a split contract exports both programs");
        for (package, abi, list, name) in [
            (row.program.package, &programs.core, core, "CORE"),
            (
                ext.program.package,
                &programs.extension,
                extension,
                "EXTENSION",
            ),
        ] {
            if let Some(drift) = surface_drift(package, &signatures(abi), list) {
                failures.push(format!("{drift}: update `{state}::surface::{name}`"));
            }
        }
        let selector = |sig: &&str| <[u8; 4]>::try_from(&keccak256(sig.as_bytes())[..4]).unwrap();
        let core_selectors: BTreeSet<[u8; 4]> = core.iter().map(selector).collect();
        let shared: Vec<&&str> = extension
            .iter()
            .filter(|sig| core_selectors.contains(&selector(sig)))
            .collect();
        if !shared.is_empty() {
            failures.push(format!(
                "`{state}::surface` declares {shared:?} in both CORE and EXTENSION"
            ));
        }
        let file = ws.root.join("abi").join(format!("{}.json", row.abi_name));
        let committed: JsonAbi =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let both: Vec<&str> = core.iter().chain(extension).copied().collect();
        if let Some(drift) = surface_drift(
            &format!("abi/{}.json", row.abi_name),
            &signatures(&committed),
            &both,
        ) {
            failures.push(format!(
                "{drift}: update `{state}::surface` or run `cargo run -p xtask -- abi`"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
