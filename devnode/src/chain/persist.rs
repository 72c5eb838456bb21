//! The state file (`--state <file>`): the whole chain (accounts, code, storage including the
//! ArbWasm activation records, blocks, receipts, queued transactions, clock) as JSON, written
//! atomically (temporary file + rename).

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use serde::{Deserialize, Serialize};

use super::{accounts::DevAccount, Chain, ChainData};
use crate::evm::ChainSpec;

/// Version of the file layout; bumped when it changes incompatibly.
const FORMAT: u32 = 1;

/// Why the state file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// Reading or writing the file failed.
    #[error("state file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a devnode state file.
    #[error("state file {path} is malformed: {source}")]
    Format {
        /// The file.
        path: PathBuf,
        /// The parse error.
        source: serde_json::Error,
    },
    /// The file was written by another version of the layout.
    #[error("state file {path} has format {found}, this devnode reads format {FORMAT}")]
    Version {
        /// The file.
        path: PathBuf,
        /// Its format number.
        found: u32,
    },
    /// The file belongs to a chain with another id.
    #[error("state file {path} is for chain id {found}, not {expected}")]
    ChainId {
        /// The file.
        path: PathBuf,
        /// Chain id in the file.
        found: u64,
        /// Chain id configured.
        expected: u64,
    },
}

#[derive(Serialize)]
struct StateFileOut<'a> {
    format: u32,
    chain_id: u64,
    data: &'a ChainData,
}

#[derive(Deserialize)]
struct StateFileIn {
    format: u32,
    chain_id: u64,
    data: ChainData,
}

impl Chain {
    /// The chain serialized in the state file layout.
    pub fn to_state_bytes(&self) -> Vec<u8> {
        let file = StateFileOut {
            format: FORMAT,
            chain_id: self.chain_id(),
            data: &self.data,
        };
        serde_json::to_vec(&file).expect("chain data always serializes")
    }

    /// Writes `bytes` (from [`Chain::to_state_bytes`]) to `path` atomically.
    ///
    /// # Errors
    /// [`PersistError::Io`].
    pub fn write_state_file(path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
        let io = |source| PersistError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io)?;
        }
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        fs::write(&tmp, bytes).map_err(io)?;
        fs::rename(&tmp, path).map_err(io)
    }

    /// Saves the chain to `path`.
    ///
    /// # Errors
    /// [`PersistError::Io`].
    pub fn save(&self, path: &Path) -> Result<(), PersistError> {
        Self::write_state_file(path, &self.to_state_bytes())
    }

    /// Restores a chain saved with [`Chain::save`].
    ///
    /// # Errors
    /// [`PersistError`] when the file cannot be read, is malformed, has another format or
    /// belongs to another chain id.
    pub fn load(
        spec: ChainSpec,
        accounts: Vec<DevAccount>,
        instant_mining: bool,
        path: &Path,
    ) -> Result<Self, PersistError> {
        let bytes = fs::read(path).map_err(|source| PersistError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file: StateFileIn =
            serde_json::from_slice(&bytes).map_err(|source| PersistError::Format {
                path: path.to_path_buf(),
                source,
            })?;
        if file.format != FORMAT {
            return Err(PersistError::Version {
                path: path.to_path_buf(),
                found: file.format,
            });
        }
        if file.chain_id != spec.chain_id {
            return Err(PersistError::ChainId {
                path: path.to_path_buf(),
                found: file.chain_id,
                expected: spec.chain_id,
            });
        }
        let mut data = file.data;
        data.rebuild_indexes();
        Ok(Self {
            spec,
            accounts,
            instant_mining,
            data,
            snapshots: BTreeMap::new(),
            next_snapshot_id: 1,
            changed: false,
        })
    }
}
