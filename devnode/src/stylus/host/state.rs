//! The store data of a running program: calldata, result, message and block data, the storage
//! cache and the memory and ink handles the host functions work on.

use std::collections::BTreeMap;

use revm::primitives::{Address, Bytes, B256, U256};
use wasmi::{Memory, ResourceLimiter};
// wasmi does not re-export the limiter's error type under a public path.
use wasmi_core::LimiterError;

use super::Request;
use crate::stylus::{ink::MemoryModel, meter::InkMeter};

/// One slot of a frame's storage cache (Nitro `StorageCache`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheSlot {
    /// Current value seen by the program.
    pub value: B256,
    /// Value known to be in the state (`None` when only written).
    pub known: Option<B256>,
}

/// Block and transaction data a program can read; fixed for a frame.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvmData {
    /// `block_basefee`.
    pub basefee: U256,
    /// `chainid`.
    pub chain_id: u64,
    /// `block_coinbase`.
    pub coinbase: Address,
    /// `block_gas_limit`.
    pub gas_limit: u64,
    /// `block_number` (the L1 block number on Arbitrum).
    pub block_number: u64,
    /// `block_timestamp`.
    pub timestamp: u64,
    /// `tx_gas_price`.
    pub gas_price: U256,
    /// `tx_origin`.
    pub origin: Address,
}

/// The store data of a running program.
#[derive(Debug, Default)]
pub struct HostState {
    /// Calldata.
    pub args: Bytes,
    /// Data passed to `write_result`.
    pub output: Vec<u8>,
    /// Return data of the last call or create.
    pub return_data: Bytes,
    /// `msg_sender`.
    pub sender: Address,
    /// `contract_address` (the acting address).
    pub contract: Address,
    /// `msg_value`.
    pub value: U256,
    /// `msg_reentrant`.
    pub reentrant: bool,
    /// Static context: writes fail.
    pub is_static: bool,
    /// Block and tx data.
    pub evm: EvmData,
    /// The program's linear memory (set after instantiation).
    pub memory: Option<Memory>,
    /// Request waiting for the EVM.
    pub request: Option<Request>,
    /// The frame's storage cache.
    pub cache: BTreeMap<B256, CacheSlot>,
    /// Storage reads so far (for the read-gas schedule).
    pub reads: u64,
    /// Storage writes so far (for the write-gas schedule).
    pub writes: u64,
    /// Per-transaction memory counters, synced with the EVM at frame boundaries.
    pub pages: MemoryModel,
    /// The program's ink meter (set after instantiation).
    pub meter: Option<InkMeter>,
    /// Whether `console`/`debug` host functions print (debug chains).
    pub debug: bool,
}

impl ResourceLimiter for HostState {
    /// Memory growth is paid for by `pay_for_memory_grow`, which the instrumentation calls
    /// before every `memory.grow` (Nitro's heap bound); wasmi only enforces the declared maximum.
    fn memory_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> Result<bool, LimiterError> {
        Ok(desired <= 4096)
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        1
    }

    fn memories(&self) -> usize {
        1
    }
}
