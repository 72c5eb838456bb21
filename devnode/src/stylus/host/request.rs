//! Why a host function stops the program, and the host-ios it hands to the EVM frame.

use revm::primitives::{Address, Bytes, B256, U256};

/// Why a host function stopped the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// A [`Request`] is waiting to be served by the EVM frame.
    Yield,
    /// `exit_early(status)`.
    Exit(u32),
    /// Not enough ink.
    OutOfInk,
    /// A host-io failed (bad pointer, static-context write, bad log...): the program fails.
    Failure(String),
}

impl core::fmt::Display for Escape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Yield => f.write_str("yield to the EVM"),
            Self::Exit(status) => write!(f, "exit early with status {status}"),
            Self::OutOfInk => f.write_str("out of ink"),
            Self::Failure(reason) => write!(f, "host-io failure: {reason}"),
        }
    }
}

impl wasmi::errors::HostError for Escape {}

/// How a program calls another contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// `call_contract`.
    Call,
    /// `delegate_call_contract`.
    DelegateCall,
    /// `static_call_contract`.
    StaticCall,
}

/// A host-io that needs the EVM state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// A `storage_load_bytes32` cache miss: load `key`, write it to `dest`.
    StorageLoad {
        /// Slot.
        key: B256,
        /// Where the value goes.
        dest: u32,
    },
    /// `storage_flush_cache` with dirty slots (already taken from the cache).
    Flush {
        /// Slots to write, in order.
        slots: Vec<(B256, B256)>,
    },
    /// `transient_load_bytes32`.
    TransientLoad {
        /// Slot.
        key: B256,
        /// Where the value goes.
        dest: u32,
    },
    /// `transient_store_bytes32`.
    TransientStore {
        /// Slot.
        key: B256,
        /// Value.
        value: B256,
    },
    /// `emit_log`.
    Log {
        /// Topics.
        topics: Vec<B256>,
        /// Data after the topics.
        data: Bytes,
    },
    /// `account_balance`.
    Balance {
        /// Account.
        address: Address,
        /// Where the balance goes.
        dest: u32,
    },
    /// `account_code` (returns the bytes written) or `account_code_size` (`dest` is `None`).
    Code {
        /// Account.
        address: Address,
        /// Offset into the code.
        offset: u32,
        /// Bytes wanted.
        size: u32,
        /// Where the code goes, or `None` for `account_code_size`.
        dest: Option<u32>,
    },
    /// `account_codehash`.
    CodeHash {
        /// Account.
        address: Address,
        /// Where the hash goes.
        dest: u32,
    },
    /// `call_contract` / `delegate_call_contract` / `static_call_contract`.
    Call {
        /// Kind of call.
        kind: CallKind,
        /// Callee.
        target: Address,
        /// Calldata.
        input: Bytes,
        /// Value (zero for delegate and static calls).
        value: U256,
        /// Gas requested.
        gas: u64,
        /// Where the return-data length goes.
        return_len_ptr: u32,
    },
    /// `create1` / `create2`.
    Create {
        /// Init code.
        code: Bytes,
        /// Value.
        endowment: U256,
        /// CREATE2 salt.
        salt: Option<U256>,
        /// Where the new address goes.
        contract_ptr: u32,
        /// Where the revert-data length goes.
        return_len_ptr: u32,
    },
}
