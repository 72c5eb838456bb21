//! Compiles the Solidity reference contracts (`benches/solidity/*.sol`) with foundry-compilers,
//! using solc-js from npm through the `benches/tools/solc` wrapper.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use ethers::abi::Abi;
use ethers::types::Bytes;
use foundry_compilers::artifacts::{EvmVersion, Settings, SolcInput, Source};
use foundry_compilers::solc::Solc;

/// The EVM version the references are compiled for (Arbitrum supports Cancun; so do the devnode
/// and anvil).
pub(crate) const EVM_VERSION: EvmVersion = EvmVersion::Cancun;
/// Optimizer runs (solc's default).
pub(crate) const OPTIMIZER_RUNS: usize = 200;

/// One compiled contract.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    /// Its ABI.
    pub abi: Abi,
    /// Creation code (constructor arguments are appended).
    pub bytecode: Bytes,
    /// Runtime code size in bytes.
    pub runtime_bytes: usize,
}

/// The compiler and the settings used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct CompilerInfo {
    /// solc version as reported by `--version`.
    pub version: String,
    /// Optimizer runs.
    pub optimizer_runs: usize,
    /// Target EVM version.
    pub evm_version: String,
}

/// Compiles every `.sol` file in `dir`; contracts are keyed by name.
///
/// # Errors
/// When solc cannot be run or reports an error.
pub(crate) fn compile_dir(
    solc_path: &Path,
    dir: &Path,
) -> Result<(CompilerInfo, BTreeMap<String, Compiled>)> {
    let solc = Solc::new(solc_path)
        .with_context(|| format!("running {} --version", solc_path.display()))?;
    let sources = Source::read_sol_yul_from(dir)
        .with_context(|| format!("reading Solidity sources in {}", dir.display()))?;
    if sources.is_empty() {
        bail!("no .sol files in {}", dir.display());
    }
    let mut settings = Settings::default();
    settings.optimizer.enable();
    settings.optimizer.runs(OPTIMIZER_RUNS);
    settings.evm_version = Some(EVM_VERSION);
    let mut contracts = BTreeMap::new();
    for input in SolcInput::resolve_and_build(sources, settings) {
        let input = input.sanitized(&solc.version);
        let output = solc.compile_exact(&input).context("solc --standard-json")?;
        if output.has_error() {
            let messages: Vec<String> = output
                .errors
                .iter()
                .filter(|e| e.severity.is_error())
                .map(|e| {
                    e.formatted_message
                        .clone()
                        .unwrap_or_else(|| e.message.clone())
                })
                .collect();
            bail!("solc reported errors:\n{}", messages.join("\n"));
        }
        for (name, contract) in output.contracts_iter() {
            let abi = contract
                .abi
                .as_ref()
                .with_context(|| format!("{name}: no ABI in solc output"))?;
            let abi: Abi = serde_json::from_value(serde_json::to_value(abi)?)
                .with_context(|| format!("{name}: ABI not readable by ethers"))?;
            let evm = contract
                .evm
                .as_ref()
                .with_context(|| format!("{name}: no EVM output"))?;
            let creation = evm
                .bytecode
                .as_ref()
                .and_then(|b| b.object.as_bytes())
                .with_context(|| format!("{name}: no linked creation code"))?;
            if creation.is_empty() {
                // An interface or abstract contract: nothing to deploy.
                continue;
            }
            let runtime = evm
                .deployed_bytecode
                .as_ref()
                .and_then(|d| d.bytecode.as_ref())
                .and_then(|b| b.object.as_bytes())
                .map_or(0, |b| b.len());
            contracts.insert(
                name.clone(),
                Compiled {
                    abi,
                    bytecode: Bytes::from(creation.to_vec()),
                    runtime_bytes: runtime,
                },
            );
        }
    }
    let info = CompilerInfo {
        version: solc.version.to_string(),
        optimizer_runs: OPTIMIZER_RUNS,
        evm_version: EVM_VERSION.to_string(),
    };
    Ok((info, contracts))
}
