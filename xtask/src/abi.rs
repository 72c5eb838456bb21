//! ABI export: `abi/I<Contract>.sol` and `abi/<Contract>.json` from each contract's code.
//!
//! The Solidity interface comes from the contract's own `export-abi` binary (the SDK's
//! `print_from_args`, the same generator `cargo stylus export-abi` runs). The SDK prints functions
//! and errors but not events, so events are read from the contract's `sol!` declarations (its own
//! sources plus the shared governance events every contract emits) and added to the interface.
//! The JSON ABI is parsed from those human-readable declarations with `alloy-json-abi`, so the two
//! files always describe the same surface. For a contract split into a core and an extension
//! program, the JSON ABI is the union of the two programs' ABIs (`union`), which refuses a
//! selector both programs declare.
use alloy_json_abi::JsonAbi;
use anyhow::{bail, Context, Result};
use std::path::Path;

use crate::{run, Contract, Workspace};

/// Header written above every generated interface.
const HEADER: &str = "// SPDX-License-Identifier: MIT OR Apache-2.0\n\
// Generated from the contract's code by `cargo run -p xtask -- abi`; do not edit.\n\
pragma solidity ^0.8.23;\n\n";

/// The exported ABI of one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedAbi {
    /// Contract name without the `I` prefix, e.g. `AgentToken`.
    pub name: String,
    /// Full text of `abi/I<name>.sol`.
    pub solidity: String,
    /// Full text of `abi/<name>.json`.
    pub json: String,
    /// For a contract served by a core program and an extension program, each program's own
    /// ABI (the JSON ABI is their union).
    pub programs: Option<Programs>,
}

/// The ABIs of the two programs of a split contract, each parsed on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programs {
    /// The core program's ABI (with the contract's constructor and events).
    pub core: JsonAbi,
    /// The extension program's ABI.
    pub extension: JsonAbi,
}

/// Exports every contract of [`deploy::system::CONTRACTS`]. A contract that runs as a core
/// program plus an extension program behind the core's fallback (delegate call, one address)
/// gets one set of files: the extension's functions and errors are merged into the core's.
pub fn export_all(ws: &Workspace) -> Result<Vec<ExportedAbi>> {
    deploy::system::CONTRACTS
        .iter()
        .map(|row| {
            let contract = Contract {
                package: row.program.package.to_string(),
                dir: ws.root.join("contracts").join(row.program.package),
            };
            let exported = export(ws, &contract)?;
            if exported.name != row.abi_name {
                bail!(
                    "{} exports interface I{}, listed as {} in deploy::system::CONTRACTS",
                    row.program.package,
                    exported.name,
                    row.abi_name
                );
            }
            Ok(exported)
        })
        .collect()
}

/// Exports one contract by running its `export-abi` binary.
pub fn export(ws: &Workspace, contract: &Contract) -> Result<ExportedAbi> {
    let export_pkg = |package: &str, extra: &[&str]| {
        let mut cmd = ws.cargo();
        cmd.args(["run", "-q", "-p", package, "--features", "export-abi"]);
        cmd.args(["--bin", package, "--"]).args(extra);
        run(&mut cmd)
    };
    let export_bin = |extra: &[&str]| export_pkg(&contract.package, extra);
    let core_interface = export_bin(&[])?;
    let mut interface = core_interface.clone();
    let constructor = export_bin(&["constructor"])?;
    let mut events = events_in(&contract.dir.join("src"))?;
    let mut extension = None;
    let split = deploy::system::CONTRACTS
        .iter()
        .filter(|row| row.program.package == contract.package)
        .find_map(|row| row.extension);
    if let Some(split) = split {
        let ext = split.program.package;
        let ext_interface = export_pkg(ext, &[])?;
        interface = merge_interfaces(&interface, &ext_interface)?;
        extension = Some((ext, ext_interface));
        events.extend(events_in(
            &ws.root
                .join("contracts")
                .join(split.events_crate)
                .join("src"),
        )?);
    }
    for shared in events_in(&ws.root.join("contracts/common/src/errors.rs"))? {
        if !events.contains(&shared) {
            events.push(shared);
        }
    }
    let mut exported = assemble(&interface, constructor.trim(), &events)?;
    if let Some((ext, ext_interface)) = extension {
        // The JSON ABI of a split contract is the union of its two programs' ABIs, each parsed
        // on its own, and no selector may be served by both (the core would shadow the
        // extension's function).
        // A struct may be printed by either program: each is parsed knowing both's structs.
        let core_text = with_structs_of(&core_interface, &ext_interface)?;
        let ext_text = with_structs_of(&ext_interface, &core_interface)?;
        let core: JsonAbi =
            serde_json::from_str(&assemble(&core_text, constructor.trim(), &events)?.json)?;
        let ext_abi: JsonAbi = serde_json::from_str(&assemble(&ext_text, "", &[])?.json)?;
        let merged = union(core.clone(), ext_abi.clone())
            .with_context(|| format!("{} and {ext} overlap", contract.package))?;
        exported.json = serde_json::to_string_pretty(&merged)? + "\n";
        exported.programs = Some(Programs {
            core,
            extension: ext_abi,
        });
    }
    Ok(exported)
}

/// The `struct X {..}` declarations printed in `text`.
fn struct_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(pos) = rest.find("struct ") {
        let Some(close) = rest[pos..].find('}') else {
            break;
        };
        blocks.push(&rest[pos..=pos + close]);
        rest = &rest[pos + close + 1..];
    }
    blocks
}

/// `interface` with the struct declarations of `other` it lacks added to its body.
fn with_structs_of(interface: &str, other: &str) -> Result<String> {
    let close = interface
        .rfind('}')
        .context("interface has no closing brace")?;
    let mut out = interface[..close].trim_end().to_string();
    for block in struct_blocks(other) {
        if !interface.contains(block) {
            out.push_str("\n\n    ");
            out.push_str(block);
        }
    }
    out.push('\n');
    out.push_str(&interface[close..]);
    Ok(out)
}

/// The ABI of a contract served by a core program and its extension behind one address: every
/// function of both, and their errors (shared ones once). Fails naming any function selector
/// that both programs declare.
pub fn union(core: JsonAbi, extension: JsonAbi) -> Result<JsonAbi> {
    let core_selectors: Vec<_> = core.functions().map(|f| f.selector()).collect();
    let shared: Vec<String> = extension
        .functions()
        .filter(|f| core_selectors.contains(&f.selector()))
        .map(|f| f.signature())
        .collect();
    if !shared.is_empty() {
        bail!("functions in both programs: {}", shared.join(", "));
    }
    let mut merged = core;
    for function in extension.functions() {
        merged
            .functions
            .entry(function.name.clone())
            .or_default()
            .push(function.clone());
    }
    for error in extension.errors() {
        let known = merged.errors().any(|e| e.selector() == error.selector());
        if !known {
            merged
                .errors
                .entry(error.name.clone())
                .or_default()
                .push(error.clone());
        }
    }
    Ok(merged)
}

/// Appends to the `core` interface text every line of the `extension` interface body that the
/// core does not print already (functions, and errors both programs share only once).
pub fn merge_interfaces(core: &str, extension: &str) -> Result<String> {
    let close = core
        .rfind('}')
        .context("core interface has no closing brace")?;
    let start = extension
        .find("interface I")
        .and_then(|i| extension[i..].find('{').map(|open| i + open + 1))
        .context("extension export printed no interface body")?;
    let end = extension
        .rfind('}')
        .context("extension interface has no closing brace")?;
    let known: Vec<&str> = core.lines().map(str::trim).collect();
    // The SDK's layout: statements separated by blank lines.
    let mut merged = core[..close].trim_end().to_string();
    for line in extension[start..end].lines() {
        if !line.trim().is_empty() && !known.contains(&line.trim()) {
            merged.push_str("\n\n");
            merged.push_str(line);
        }
    }
    merged.push('\n');
    merged.push_str(&core[close..]);
    Ok(merged)
}

/// Builds both files from the SDK's interface text, the constructor signature and the events.
pub fn assemble(interface: &str, constructor: &str, events: &[String]) -> Result<ExportedAbi> {
    // The SDK may print a comment and license/pragma header before the interface itself.
    let start = interface
        .find("interface I")
        .context("export-abi output has no `interface I<Name>`")?;
    let interface = &interface[start..];
    let open = interface
        .find('{')
        .context("export-abi printed no interface body")?;
    let close = interface
        .rfind('}')
        .context("export-abi printed no closing brace")?;
    let head = interface[..open].trim();
    let name = head
        .strip_prefix("interface I")
        .context("export-abi output does not start with `interface I<Name>`")?
        .trim()
        .to_string();
    let (body, structs) = take_structs(&interface[open + 1..close])?;
    let statements: Vec<String> = body
        .split(';')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .map(|s| expand_structs(&s, &structs))
        .collect();

    let mut solidity = String::from(HEADER);
    solidity.push_str(&format!("interface I{name} {{\n"));
    for event in events {
        solidity.push_str(&format!("    {event};\n\n"));
    }
    let printed = interface[open + 1..close].trim_matches('\n');
    solidity.push_str(&with_struct_locations(printed, &structs));
    solidity.push_str("\n}\n");

    let mut human: Vec<String> = statements.clone();
    if !constructor.is_empty() {
        human.push(expand_structs(constructor.trim_end_matches(';'), &structs));
    }
    // Events may carry struct types too (e.g. an emitted `Terms`): tuples in the JSON as well.
    human.extend(events.iter().map(|e| expand_structs(e, &structs)));
    let abi = JsonAbi::parse(human.iter().map(String::as_str))
        .with_context(|| format!("parsing the ABI of {name}"))?;
    let json = serde_json::to_string_pretty(&abi)? + "\n";
    Ok(ExportedAbi {
        name,
        solidity,
        json,
        programs: None,
    })
}

/// A struct type printed by the SDK: its name and its field types.
type StructDef = (String, Vec<String>);

/// Removes `struct X {...}` blocks from an interface body, returning the rest and the structs
/// (the human-readable ABI parser knows tuples, not named structs).
fn take_structs(body: &str) -> Result<(String, Vec<StructDef>)> {
    let mut rest = String::new();
    let mut structs = Vec::new();
    let mut text = body;
    while let Some(pos) = text.find("struct ") {
        rest.push_str(&text[..pos]);
        let tail = &text[pos + "struct ".len()..];
        let open = tail.find('{').context("struct without a body")?;
        let close = tail.find('}').context("unterminated struct")?;
        let name = tail[..open].trim().to_string();
        let fields: Vec<String> = tail[open + 1..close]
            .split(';')
            // The human-readable parser takes unnamed tuple components: keep the types.
            .filter_map(|f| f.split_whitespace().next().map(str::to_string))
            .collect();
        structs.push((name, fields));
        text = &tail[close + 1..];
    }
    rest.push_str(text);
    // Structs may nest: expand field types until no struct name is left.
    for i in 0..structs.len() {
        let expanded: Vec<String> = structs[i]
            .1
            .iter()
            .map(|f| expand_structs(f, &structs))
            .collect();
        structs[i].1 = expanded;
    }
    Ok((rest, structs))
}

/// Replaces every struct type name in a declaration by `tuple(<fields>)`, dropping the
/// `memory`/`calldata` location a tuple cannot carry in the human-readable form.
fn expand_structs(decl: &str, structs: &[StructDef]) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, tokens: &mut Vec<String>| {
        if !word.is_empty() {
            let replaced = structs
                .iter()
                .find(|(name, _)| name == word)
                .map(|(_, fields)| format!("tuple({})", fields.join(",")))
                .unwrap_or_else(|| word.clone());
            tokens.push(replaced);
            word.clear();
        }
    };
    for c in decl.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut tokens);
            tokens.push(c.to_string());
        }
    }
    flush(&mut word, &mut tokens);
    let joined = tokens.concat();
    if structs.is_empty() {
        return joined;
    }
    // `tuple(...) memory x` -> `tuple(...) x`
    joined.replace(") memory", ")").replace(") calldata", ")")
}

/// Gives every struct-typed function parameter a data location: the SDK prints
/// `function f(Terms terms)`, which solc rejects ("Data location must be \"memory\" or
/// \"calldata\""). Parameters that already carry a location, and non-function lines, are kept.
fn with_struct_locations(body: &str, structs: &[StructDef]) -> String {
    let is_struct = |ty: &str| {
        let base = ty.split('[').next().unwrap_or(ty);
        structs.iter().any(|(name, _)| name == base)
    };
    let fix_params = |params: &str| -> String {
        params
            .split(',')
            .map(|param| {
                let words: Vec<&str> = param.split_whitespace().collect();
                match words.as_slice() {
                    [ty, rest @ ..]
                        if is_struct(ty)
                            && !matches!(rest.first(), Some(&"memory" | &"calldata")) =>
                    {
                        let lead = &param[..param.len() - param.trim_start().len()];
                        let mut fixed = format!("{lead}{ty} memory");
                        for word in rest {
                            fixed.push(' ');
                            fixed.push_str(word);
                        }
                        fixed
                    }
                    _ => param.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    };
    body.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            match (
                trimmed.starts_with("function "),
                line.find('('),
                line.find(')'),
            ) {
                (true, Some(open), Some(close)) if open < close => format!(
                    "{}{}{}",
                    &line[..=open],
                    fix_params(&line[open + 1..close]),
                    &line[close..]
                ),
                _ => line.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `event ...` declarations in the Rust sources under `path` (a file or directory), normalised
/// to one line each, in source order.
pub fn events_in(path: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    collect_events(path, &mut out)?;
    Ok(out)
}

fn collect_events(path: &Path, out: &mut Vec<String>) -> Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for e in entries {
            collect_events(&e.path(), out)?;
        }
        return Ok(());
    }
    if path.extension().is_none_or(|e| e != "rs") {
        return Ok(());
    }
    let text = std::fs::read_to_string(path)?;
    let mut rest = text.as_str();
    while let Some(pos) = find_event_keyword(rest) {
        let tail = &rest[pos..];
        let end = tail.find(';').context("unterminated event declaration")?;
        let decl = tail[..end].split_whitespace().collect::<Vec<_>>().join(" ");
        if !out.contains(&decl) {
            out.push(decl);
        }
        rest = &tail[end..];
    }
    Ok(())
}

/// Position of the next `event` keyword that starts a line (after indentation).
fn find_event_keyword(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("event ") {
            return Some(offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    None
}

/// Writes every exported ABI into `abi/`.
pub fn write(ws: &Workspace, exported: &[ExportedAbi]) -> Result<()> {
    let dir = ws.root.join("abi");
    std::fs::create_dir_all(&dir)?;
    for e in exported {
        std::fs::write(dir.join(format!("I{}.sol", e.name)), &e.solidity)?;
        std::fs::write(dir.join(format!("{}.json", e.name)), &e.json)?;
        println!("wrote abi/I{0}.sol and abi/{0}.json", e.name);
    }
    Ok(())
}

/// Fails naming every file in `abi/` that differs from the code.
pub fn check(ws: &Workspace, exported: &[ExportedAbi]) -> Result<()> {
    let dir = ws.root.join("abi");
    let mut drift = Vec::new();
    for e in exported {
        for (file, want) in [
            (format!("I{}.sol", e.name), &e.solidity),
            (format!("{}.json", e.name), &e.json),
        ] {
            let have = std::fs::read_to_string(dir.join(&file)).unwrap_or_default();
            if &have != want {
                drift.push(file);
            }
        }
    }
    if !drift.is_empty() {
        bail!(
            "abi/ is out of date with the contracts ({}); run `cargo run -p xtask -- abi`",
            drift.join(", ")
        );
    }
    println!("abi/ matches the code of {} contracts", exported.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERFACE: &str = "interface IToy {\n    function balanceOf(address account) external view returns (uint256);\n\n    error Nope(address who);\n}\n";

    #[test]
    fn merge_interfaces_adds_new_lines_once() {
        let ext = "// header\ninterface IToyExt {\n    function mint(uint256 amount) external;\n\n    error Nope(address who);\n}\n";
        let merged = merge_interfaces(INTERFACE, ext).unwrap();
        assert_eq!(merged.matches("error Nope").count(), 1);
        assert!(merged.starts_with("interface IToy {"));
        assert!(merged.contains(";\n\n    function mint(uint256 amount) external;\n}"));
        let abi = assemble(&merged, "", &[]).unwrap();
        let parsed: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        assert_eq!(parsed.functions().count(), 2);
        assert!(merge_interfaces(INTERFACE, "no interface").is_err());
    }

    #[test]
    fn union_joins_two_programs_and_refuses_a_shared_selector() {
        let core: JsonAbi =
            serde_json::from_str(&assemble(INTERFACE, "", &[]).unwrap().json).unwrap();
        let ext_text = "interface IToyExt {\n    function mint(uint256 amount) external;\n\n    error Nope(address who);\n\n    error Other();\n}\n";
        let ext: JsonAbi =
            serde_json::from_str(&assemble(ext_text, "", &[]).unwrap().json).unwrap();
        let merged = union(core.clone(), ext).unwrap();
        assert_eq!(merged.functions().count(), 2);
        assert_eq!(merged.errors().count(), 2, "the shared error once");
        let clash = "interface IToyExt {\n    function balanceOf(address who) external view returns (uint256);\n}\n";
        let clash: JsonAbi = serde_json::from_str(&assemble(clash, "", &[]).unwrap().json).unwrap();
        let err = union(core, clash).unwrap_err().to_string();
        assert!(err.contains("balanceOf(address)"), "{err}");
    }

    #[test]
    fn structs_of_the_other_program_are_known() {
        let core = "interface IToy {\n    function get() external view returns (uint256);\n}\n";
        let ext = "interface IToyExt {\n    function set(P calldata p) external;\n\n    struct P {address a;uint16 b;}\n}\n";
        let core_text = with_structs_of(core, ext).unwrap();
        let abi = assemble(&core_text, "constructor(P p)", &[]).unwrap();
        let parsed: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        assert_eq!(parsed.constructor.unwrap().inputs[0].ty, "tuple");
        assert_eq!(
            with_structs_of(ext, core)
                .unwrap()
                .matches("struct P")
                .count(),
            1
        );
    }

    #[test]
    fn assemble_merges_events_and_constructor() {
        let events = vec!["event Moved(address indexed from, uint256 amount)".to_string()];
        let abi = assemble(INTERFACE, "constructor(uint256 supply)", &events).unwrap();
        assert_eq!(abi.name, "Toy");
        assert!(abi
            .solidity
            .contains("    event Moved(address indexed from, uint256 amount);"));
        assert!(abi.solidity.contains("function balanceOf(address account)"));
        let parsed: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        assert!(parsed.function("balanceOf").is_some());
        assert!(parsed.event("Moved").unwrap()[0].inputs[0].indexed);
        assert!(parsed.error("Nope").is_some());
        assert_eq!(parsed.constructor.unwrap().inputs.len(), 1);
    }

    #[test]
    fn assemble_skips_the_sdk_header() {
        let printed = format!("/**\n * generated\n */\n// SPDX-License-Identifier: MIT\npragma solidity ^0.8.23;\n\n{INTERFACE}");
        let abi = assemble(&printed, "", &[]).unwrap();
        assert_eq!(abi.name, "Toy");
        assert_eq!(abi.solidity.matches("pragma solidity").count(), 1);
    }

    #[test]
    fn assemble_expands_struct_types_to_tuples() {
        let iface = "interface IToy {\n    function set(P calldata p) external;\n\n    function get() external view returns (P memory);\n\n    struct P {address a;uint16 b;}\n}\n";
        let abi = assemble(iface, "constructor(address g, P p)", &[]).unwrap();
        let parsed: JsonAbi = serde_json::from_str(&abi.json).unwrap();
        let set = &parsed.function("set").unwrap()[0];
        assert_eq!(set.inputs[0].ty, "tuple");
        assert_eq!(set.inputs[0].components.len(), 2);
        assert_eq!(
            parsed.function("get").unwrap()[0].outputs[0].components[1].ty,
            "uint16"
        );
        assert_eq!(parsed.constructor.unwrap().inputs[1].components.len(), 2);
        assert!(abi.solidity.contains("struct P {address a;uint16 b;}"));
        assert!(abi
            .solidity
            .contains("function set(P calldata p) external;"));
        let with_event = assemble(iface, "", &["event Set(P p)".to_string()]).unwrap();
        let parsed: JsonAbi = serde_json::from_str(&with_event.json).unwrap();
        let event = &parsed.events["Set"][0];
        assert_eq!(event.inputs[0].ty, "tuple");
        assert_eq!(event.inputs[0].components.len(), 2);
    }

    #[test]
    fn struct_parameters_get_a_data_location() {
        let structs = vec![("P".to_string(), vec!["address".to_string()])];
        let body = "    function f(uint64 id, P p, P[] q, P memory r) external returns (P memory);\n    event E(P p);";
        assert_eq!(
            with_struct_locations(body, &structs),
            "    function f(uint64 id, P memory p, P[] memory q, P memory r) external returns (P memory);\n    event E(P p);"
        );
    }

    #[test]
    fn events_are_found_across_lines() {
        let dir = std::env::temp_dir().join(format!("xtask-events-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("a.rs"),
            "sol! {\n    /// doc\n    event A(\n        address indexed who,\n        uint256 v\n    );\n    error E();\n}\n// prevent event in prose\n",
        )
        .unwrap();
        let events = events_in(&dir).unwrap();
        assert_eq!(
            events,
            vec!["event A( address indexed who, uint256 v )".to_string()]
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
