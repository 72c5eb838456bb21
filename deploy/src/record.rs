//! `deployments/<chainid>.json`: what was deployed where, so a re-run skips it.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ethers::types::{Address, H256, U256};
use serde::{Deserialize, Serialize};

use crate::error::DeployError;

/// One deployed contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContractRecord {
    /// Its address.
    pub address: Address,
    /// keccak256 of the program code (prefix + brotli).
    pub code_hash: H256,
    /// keccak256 of the constructor call data (`stylus_constructor()` + arguments).
    pub init_data_hash: H256,
    /// The StylusDeployer transaction.
    pub tx_hash: H256,
    /// Block that included it.
    pub block: u64,
    /// Gas used by the deployment transaction.
    pub gas_used: U256,
    /// Activation data fee paid (wei), zero when the code was already active.
    pub data_fee: U256,
    /// Bytes of the program code on chain.
    pub compressed_bytes: usize,
    /// Bytes of the wasm.
    pub wasm_bytes: usize,
}

/// Governance wiring that was completed (or started) for the system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WiringRecord {
    /// The agent token's treasury.
    pub treasury: Option<Address>,
    /// Governance of each contract (package name → governance address) as read from chain.
    pub governance: BTreeMap<String, Address>,
    /// Nominated, not yet accepted, governance per contract.
    pub pending_governance: BTreeMap<String, Address>,
    /// Every link read back from chain after wiring (`staking-vault.rewardToken()`,
    /// `elo-ledger.vault()`, ...) with its value; `deploy --verify-wiring` checks them live.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
}

/// The Uniswap V2 (compatible) exchange the agent token trades on, and its AGENT/WETH pool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DexRecord {
    /// The factory (`router.factory()`).
    pub factory: Address,
    /// The router 02 swaps and liquidity go through.
    pub router: Address,
    /// The router's WETH.
    pub weth: Address,
    /// The AGENT/WETH pair: the pool, and the LP token the vault stakes.
    pub pair: Address,
    /// Where the exchange's code came from when `deploy` put it on chain (the npm packages and
    /// versions); `None` for an exchange that was already there (`DEX_ROUTER`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Everything deployed on one chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployments {
    /// The chain.
    pub chain_id: u64,
    /// The account that deployed.
    pub deployer: Option<Address>,
    /// Contracts by package name.
    pub contracts: BTreeMap<String, ContractRecord>,
    /// The wiring state after the last run.
    #[serde(default)]
    pub wiring: WiringRecord,
    /// The exchange and pool of the agent token (absent when `LP_TOKEN` named a pool
    /// directly and no `DEX_ROUTER` was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dex: Option<DexRecord>,
    /// How the programs of the last run were built (toolchain, command, flags, source
    /// revision): what a rebuild needs to reproduce their code hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<crate::build::BuildInfo>,
}

impl Deployments {
    /// The record file of `chain_id` in `dir`.
    pub fn path(dir: &Path, chain_id: u64) -> PathBuf {
        dir.join(format!("{chain_id}.json"))
    }

    /// Reads the record of `chain_id` from `dir`; an empty record when there is none.
    ///
    /// # Errors
    /// [`DeployError::Record`] when the file exists but cannot be read or parsed, or belongs to
    /// another chain.
    pub fn load(dir: &Path, chain_id: u64) -> Result<Self, DeployError> {
        let path = Self::path(dir, chain_id);
        let error = |reason: String| DeployError::Record {
            path: path.clone(),
            reason,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self {
                    chain_id,
                    ..Self::default()
                })
            }
            Err(e) => return Err(error(e.to_string())),
        };
        let record: Self = serde_json::from_str(&text).map_err(|e| error(e.to_string()))?;
        if record.chain_id != chain_id {
            return Err(error(format!(
                "records chain {}, not {chain_id}",
                record.chain_id
            )));
        }
        Ok(record)
    }

    /// Writes the record to `dir/<chainid>.json` (atomically: temp file + rename).
    ///
    /// # Errors
    /// [`DeployError::Record`] when the directory or file cannot be written.
    pub fn save(&self, dir: &Path) -> Result<PathBuf, DeployError> {
        let path = Self::path(dir, self.chain_id);
        let error = |reason: String| DeployError::Record {
            path: path.clone(),
            reason,
        };
        std::fs::create_dir_all(dir).map_err(|e| error(e.to_string()))?;
        let json = serde_json::to_string_pretty(self).map_err(|e| error(e.to_string()))? + "\n";
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(|e| error(e.to_string()))?;
        std::fs::rename(&tmp, &path).map_err(|e| error(e.to_string()))?;
        Ok(path)
    }

    /// The record of `package`, if deployed.
    pub fn get(&self, package: &str) -> Option<&ContractRecord> {
        self.contracts.get(package)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ContractRecord {
        ContractRecord {
            address: Address::repeat_byte(1),
            code_hash: H256::repeat_byte(2),
            init_data_hash: H256::repeat_byte(3),
            tx_hash: H256::repeat_byte(4),
            block: 7,
            gas_used: 123_456.into(),
            data_fee: 42.into(),
            compressed_bytes: 10_000,
            wasm_bytes: 30_000,
        }
    }

    #[test]
    fn missing_file_is_an_empty_record() {
        let dir = tempfile::tempdir().unwrap();
        let record = Deployments::load(dir.path(), 412_346).unwrap();
        assert_eq!(record.chain_id, 412_346);
        assert!(record.contracts.is_empty());
    }

    #[test]
    fn save_and_load_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let mut record = Deployments {
            chain_id: 421_614,
            deployer: Some(Address::repeat_byte(9)),
            ..Deployments::default()
        };
        record.contracts.insert("agent-token".into(), sample());
        record.wiring.treasury = Some(Address::repeat_byte(5));
        record.build = Some(crate::build::BuildInfo {
            rustc: "rustc 1.95.0 (59807616e 2026-04-14)".into(),
            command: "cargo build -p <program>".into(),
            rustflags: "-Cpanic=immediate-abort".into(),
            source: Some("abc1234".into()),
        });
        let path = record.save(dir.path()).unwrap();
        assert!(path.ends_with("421614.json"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\"codeHash\""), "{text}");
        assert!(text.contains("\"rustflags\""), "{text}");
        assert_eq!(Deployments::load(dir.path(), 421_614).unwrap(), record);
        assert_eq!(record.get("agent-token"), Some(&sample()));
        assert_eq!(record.get("subdao"), None);
    }

    #[test]
    fn corrupt_or_foreign_records_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("1.json"), "{not json").unwrap();
        let err = Deployments::load(dir.path(), 1).unwrap_err().to_string();
        assert!(err.contains("1.json"), "{err}");
        let foreign = Deployments {
            chain_id: 5,
            ..Deployments::default()
        };
        std::fs::write(
            dir.path().join("2.json"),
            serde_json::to_string(&foreign).unwrap(),
        )
        .unwrap();
        let err = Deployments::load(dir.path(), 2).unwrap_err().to_string();
        assert!(err.contains("records chain 5"), "{err}");
    }
}
