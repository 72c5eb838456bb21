//! The `vm_hooks` host functions and the per-frame state they work on.
//!
//! Host functions that only need the frame's own snapshot (arguments, result, caller, value,
//! block data, the storage cache, math, keccak, memory pricing) are served inside wasmi. Those
//! that need the EVM state (storage misses and flushes, transient storage, logs, account data,
//! calls and creates) store a [`Request`] and trap with [`Escape::Yield`]; the EVM frame serves
//! the request through revm's journal and resumes the program (see `stylus::run`).

use std::collections::BTreeMap;

use revm::primitives::{keccak256, Address, Bytes, B256, U256};
use wasmi::{Caller, Engine, Linker, Memory, ResourceLimiter};
// wasmi does not re-export the limiter's error type under a public path.
use wasmi_core::LimiterError;

use super::{
    ink::{self, MemoryModel},
    meter::InkMeter,
};

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

type Ctx<'a> = Caller<'a, HostState>;
type HostResult<T> = Result<T, wasmi::Error>;

fn escape(e: Escape) -> wasmi::Error {
    wasmi::Error::host(e)
}

fn failure(reason: impl Into<String>) -> wasmi::Error {
    escape(Escape::Failure(reason.into()))
}

fn meter(caller: &Ctx<'_>) -> HostResult<InkMeter> {
    caller
        .data()
        .meter
        .ok_or_else(|| failure("program ink meter missing"))
}

/// The ink left, failing with out-of-ink once the program has run out (Nitro `ink_ready`).
fn ink_ready(caller: &Ctx<'_>) -> HostResult<u64> {
    meter(caller)?
        .ink_left(caller)
        .ok_or_else(|| escape(Escape::OutOfInk))
}

/// Marks the program out of ink and returns the error that stops it.
fn out_of_ink(caller: &mut Ctx<'_>) -> wasmi::Error {
    if let Some(meter) = caller.data().meter {
        meter.exhaust(caller);
    }
    escape(Escape::OutOfInk)
}

/// Takes `ink` from the program's ink meter, failing with out-of-ink when there is not enough.
pub fn buy_ink(caller: &mut Ctx<'_>, ink: u64) -> HostResult<()> {
    let meter = meter(caller)?;
    let left = ink_ready(caller)?;
    match left.checked_sub(ink) {
        Some(left) => {
            meter.set_ink(caller, left);
            Ok(())
        }
        None => Err(out_of_ink(caller)),
    }
}

/// Requires that at least `gas` is left without spending it (Nitro `require_gas`).
fn require_gas(caller: &mut Ctx<'_>, gas: u64) -> HostResult<()> {
    if ink_ready(caller)? < gas.saturating_mul(ink::INK_PRICE) {
        return Err(out_of_ink(caller));
    }
    Ok(())
}

/// Takes `gas` from the program.
fn buy_gas(caller: &mut Ctx<'_>, gas: u64) -> HostResult<()> {
    buy_ink(caller, gas.saturating_mul(ink::INK_PRICE))
}

fn memory(caller: &Ctx<'_>) -> HostResult<Memory> {
    caller
        .data()
        .memory
        .ok_or_else(|| failure("program memory missing"))
}

/// Reads `len` bytes at `ptr` from the program's memory.
pub fn read_bytes(caller: &Ctx<'_>, ptr: u32, len: u32) -> HostResult<Vec<u8>> {
    let mut buf = vec![0u8; len as usize];
    memory(caller)?
        .read(caller, ptr as usize, &mut buf)
        .map_err(|_| failure("out-of-bounds memory read"))?;
    Ok(buf)
}

fn read_word(caller: &Ctx<'_>, ptr: u32) -> HostResult<B256> {
    Ok(B256::from_slice(&read_bytes(caller, ptr, 32)?))
}

fn read_address(caller: &Ctx<'_>, ptr: u32) -> HostResult<Address> {
    Ok(Address::from_slice(&read_bytes(caller, ptr, 20)?))
}

/// Writes `data` at `ptr` into the program's memory.
pub fn write_bytes(caller: &mut Ctx<'_>, ptr: u32, data: &[u8]) -> HostResult<()> {
    let memory = memory(caller)?;
    memory
        .write(caller, ptr as usize, data)
        .map_err(|_| failure("out-of-bounds memory write"))
}

fn ptr(value: i32) -> u32 {
    value as u32
}

fn yield_request(caller: &mut Ctx<'_>, request: Request) -> wasmi::Error {
    caller.data_mut().request = Some(request);
    escape(Escape::Yield)
}

/// Nitro's storage read gas schedule: reads 1-32 are free, 33-128 cost 2, later ones 10.
fn read_gas(reads: u64) -> u64 {
    match reads {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// Nitro's storage write gas schedule: writes 1-8 are free, 9-64 cost 7, later ones 10.
fn write_gas(writes: u64) -> u64 {
    match writes {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// `StorageCache::REQUIRED_ACCESS_GAS`.
const REQUIRED_ACCESS_GAS: u64 = 10;
/// EIP-2200 sentry.
const SSTORE_SENTRY_GAS: u64 = 2_300;
/// EIP-2929 cold SLOAD.
const COLD_SLOAD_GAS: u64 = 2_100;
/// EVM API cost of an SLOAD miss (ArbOS >= 32).
pub const SLOAD_API_GAS: u64 = 5;

/// Writes a U256 as 32 big-endian bytes.
fn write_u256(caller: &mut Ctx<'_>, dest: i32, value: U256) -> HostResult<()> {
    write_bytes(caller, ptr(dest), &value.to_be_bytes::<32>())
}

fn read_u256(caller: &Ctx<'_>, p: i32) -> HostResult<U256> {
    Ok(U256::from_be_bytes(read_word(caller, ptr(p))?.0))
}

/// Builds the linker with every host function Nitro offers user programs.
pub fn linker(engine: &Engine) -> Linker<HostState> {
    let mut l = Linker::<HostState>::new(engine);
    macro_rules! hook {
        ($module:literal, $name:literal, $f:expr) => {
            l.func_wrap($module, $name, $f)
                .expect("host function registered once");
        };
    }
    use ink::{HOSTIO_INK, PTR_INK};

    hook!("vm_hooks", "read_args", |mut c: Ctx<'_>,
                                    dest: i32|
     -> HostResult<()> {
        let args = c.data().args.clone();
        buy_ink(&mut c, HOSTIO_INK + ink::write_price(args.len() as u64))?;
        write_bytes(&mut c, ptr(dest), &args)
    });
    hook!("vm_hooks", "write_result", |mut c: Ctx<'_>,
                                       data: i32,
                                       len: i32|
     -> HostResult<()> {
        buy_ink(
            &mut c,
            HOSTIO_INK + 2 * ink::read_price(u64::from(ptr(len))),
        )?;
        let bytes = read_bytes(&c, ptr(data), ptr(len))?;
        c.data_mut().output = bytes;
        Ok(())
    });
    hook!("vm_hooks", "exit_early", |_c: Ctx<'_>,
                                     status: i32|
     -> HostResult<()> {
        Err(escape(Escape::Exit(ptr(status))))
    });
    hook!("vm_hooks", "storage_load_bytes32", |mut c: Ctx<'_>,
                                               key: i32,
                                               dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&mut c, COLD_SLOAD_GAS + REQUIRED_ACCESS_GAS + SLOAD_API_GAS)?;
        let key = read_word(&c, ptr(key))?;
        c.data_mut().reads += 1;
        let reads = c.data().reads;
        buy_gas(&mut c, read_gas(reads))?;
        match c.data().cache.get(&key).copied() {
            Some(slot) => write_bytes(&mut c, ptr(dest), slot.value.as_slice()),
            None => Err(yield_request(
                &mut c,
                Request::StorageLoad {
                    key,
                    dest: ptr(dest),
                },
            )),
        }
    });
    hook!("vm_hooks", "storage_cache_bytes32", |mut c: Ctx<'_>,
                                                key: i32,
                                                value: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK)?;
        require_gas(&mut c, SSTORE_SENTRY_GAS + REQUIRED_ACCESS_GAS)?;
        let key = read_word(&c, ptr(key))?;
        let value = read_word(&c, ptr(value))?;
        c.data_mut().writes += 1;
        let writes = c.data().writes;
        buy_gas(&mut c, write_gas(writes))?;
        let slot = c
            .data_mut()
            .cache
            .entry(key)
            .or_insert(CacheSlot { value, known: None });
        slot.value = value;
        Ok(())
    });
    hook!("vm_hooks", "storage_flush_cache", |mut c: Ctx<'_>,
                                              clear: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + ink::EVM_API_INK)?;
        require_gas(&mut c, SSTORE_SENTRY_GAS)?;
        let state = c.data_mut();
        let mut slots = Vec::new();
        for (key, slot) in state.cache.iter_mut() {
            if slot.known != Some(slot.value) {
                slots.push((*key, slot.value));
                slot.known = Some(slot.value);
            }
        }
        if clear != 0 {
            state.cache.clear();
        }
        if slots.is_empty() {
            return Ok(());
        }
        if state.is_static {
            return Err(failure("write protection: storage flush in a static call"));
        }
        Err(yield_request(&mut c, Request::Flush { slots }))
    });
    hook!(
        "vm_hooks",
        "transient_load_bytes32",
        |mut c: Ctx<'_>, key: i32, dest: i32| -> HostResult<()> {
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
            buy_gas(&mut c, 100)?;
            let key = read_word(&c, ptr(key))?;
            Err(yield_request(
                &mut c,
                Request::TransientLoad {
                    key,
                    dest: ptr(dest),
                },
            ))
        }
    );
    hook!(
        "vm_hooks",
        "transient_store_bytes32",
        |mut c: Ctx<'_>, key: i32, value: i32| -> HostResult<()> {
            buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
            buy_gas(&mut c, 100)?;
            if c.data().is_static {
                return Err(failure(
                    "write protection: transient store in a static call",
                ));
            }
            let key = read_word(&c, ptr(key))?;
            let value = read_word(&c, ptr(value))?;
            Err(yield_request(
                &mut c,
                Request::TransientStore { key, value },
            ))
        }
    );
    /// Pointers and values passed to the call host functions.
    struct CallArgs {
        contract: i32,
        data: i32,
        len: i32,
        value: Option<i32>,
        gas: i64,
        ret_len: i32,
    }
    fn call_hook(c: &mut Ctx<'_>, kind: CallKind, args: CallArgs) -> HostResult<i32> {
        let CallArgs {
            contract,
            data,
            len,
            value,
            gas,
            ret_len,
        } = args;
        let base = ink::HOSTIO_INK + 3 * ink::PTR_INK + ink::EVM_API_INK;
        buy_ink(c, base + ink::read_price(u64::from(ptr(len))))?;
        let target = read_address(c, ptr(contract))?;
        let input = Bytes::from(read_bytes(c, ptr(data), ptr(len))?);
        let value = match value {
            Some(p) => read_u256(c, p)?,
            None => U256::ZERO,
        };
        Err(yield_request(
            c,
            Request::Call {
                kind,
                target,
                input,
                value,
                gas: gas as u64,
                return_len_ptr: ptr(ret_len),
            },
        ))
    }
    hook!("vm_hooks", "call_contract", |mut c: Ctx<'_>,
                                        contract: i32,
                                        data: i32,
                                        len: i32,
                                        value: i32,
                                        gas: i64,
                                        ret_len: i32|
     -> HostResult<i32> {
        let args = CallArgs {
            contract,
            data,
            len,
            value: Some(value),
            gas,
            ret_len,
        };
        call_hook(&mut c, CallKind::Call, args)
    });
    hook!("vm_hooks", "delegate_call_contract", |mut c: Ctx<'_>,
                                                 contract: i32,
                                                 data: i32,
                                                 len: i32,
                                                 gas: i64,
                                                 ret_len: i32|
     -> HostResult<
        i32,
    > {
        let args = CallArgs {
            contract,
            data,
            len,
            value: None,
            gas,
            ret_len,
        };
        call_hook(&mut c, CallKind::DelegateCall, args)
    });
    hook!("vm_hooks", "static_call_contract", |mut c: Ctx<'_>,
                                               contract: i32,
                                               data: i32,
                                               len: i32,
                                               gas: i64,
                                               ret_len: i32|
     -> HostResult<i32> {
        let args = CallArgs {
            contract,
            data,
            len,
            value: None,
            gas,
            ret_len,
        };
        call_hook(&mut c, CallKind::StaticCall, args)
    });
    fn create_hook(
        c: &mut Ctx<'_>,
        code: i32,
        len: i32,
        endowment: i32,
        salt: Option<i32>,
        contract: i32,
        ret_len: i32,
    ) -> HostResult<()> {
        let base = match salt {
            None => ink::HOSTIO_INK + 3 * ink::PTR_INK + ink::EVM_API_INK,
            Some(_) => ink::HOSTIO_INK + 4 * ink::PTR_INK + ink::EVM_API_INK,
        };
        buy_ink(c, base + ink::read_price(u64::from(ptr(len))))?;
        if c.data().is_static {
            return Err(failure("write protection: create in a static call"));
        }
        let code = Bytes::from(read_bytes(c, ptr(code), ptr(len))?);
        let endowment = read_u256(c, endowment)?;
        let salt = match salt {
            Some(p) => Some(read_u256(c, p)?),
            None => None,
        };
        Err(yield_request(
            c,
            Request::Create {
                code,
                endowment,
                salt,
                contract_ptr: ptr(contract),
                return_len_ptr: ptr(ret_len),
            },
        ))
    }
    hook!("vm_hooks", "create1", |mut c: Ctx<'_>,
                                  code: i32,
                                  len: i32,
                                  endowment: i32,
                                  contract: i32,
                                  ret_len: i32|
     -> HostResult<()> {
        create_hook(&mut c, code, len, endowment, None, contract, ret_len)
    });
    hook!("vm_hooks", "create2", |mut c: Ctx<'_>,
                                  code: i32,
                                  len: i32,
                                  endowment: i32,
                                  salt: i32,
                                  contract: i32,
                                  ret_len: i32|
     -> HostResult<()> {
        create_hook(&mut c, code, len, endowment, Some(salt), contract, ret_len)
    });
    hook!("vm_hooks", "read_return_data", |mut c: Ctx<'_>,
                                           dest: i32,
                                           offset: i32,
                                           size: i32|
     -> HostResult<i32> {
        let data = c.data().return_data.clone();
        let start = (ptr(offset) as usize).min(data.len());
        let end = start.saturating_add(ptr(size) as usize).min(data.len());
        let slice = &data[start..end];
        buy_ink(
            &mut c,
            HOSTIO_INK + ink::EVM_API_INK + ink::write_price(slice.len() as u64),
        )?;
        write_bytes(&mut c, ptr(dest), slice)?;
        Ok(slice.len() as i32)
    });
    hook!(
        "vm_hooks",
        "return_data_size",
        |mut c: Ctx<'_>| -> HostResult<i32> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().return_data.len() as i32)
        }
    );
    hook!("vm_hooks", "emit_log", |mut c: Ctx<'_>,
                                   data: i32,
                                   len: i32,
                                   topics: i32|
     -> HostResult<()> {
        let (len, topics) = (u64::from(ptr(len)), u64::from(ptr(topics)));
        buy_ink(&mut c, HOSTIO_INK + ink::EVM_API_INK + ink::read_price(len))?;
        if topics > 4 || len < 32 * topics {
            return Err(failure("bad log topics"));
        }
        if c.data().is_static {
            return Err(failure("write protection: log in a static call"));
        }
        buy_gas(&mut c, (1 + topics) * 375 + 8 * (len - 32 * topics))?;
        let bytes = read_bytes(&c, ptr(data), len as u32)?;
        let (topic_bytes, payload) = bytes.split_at(32 * topics as usize);
        let topics = topic_bytes.chunks(32).map(B256::from_slice).collect();
        Err(yield_request(
            &mut c,
            Request::Log {
                topics,
                data: Bytes::copy_from_slice(payload),
            },
        ))
    });
    hook!("vm_hooks", "account_balance", |mut c: Ctx<'_>,
                                          address: i32,
                                          dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
        require_gas(&mut c, 2_600)?;
        let address = read_address(&c, ptr(address))?;
        Err(yield_request(
            &mut c,
            Request::Balance {
                address,
                dest: ptr(dest),
            },
        ))
    });
    hook!("vm_hooks", "account_code", |mut c: Ctx<'_>,
                                       address: i32,
                                       offset: i32,
                                       size: i32,
                                       dest: i32|
     -> HostResult<i32> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK + ink::EVM_API_INK)?;
        require_gas(&mut c, 2_600)?;
        let address = read_address(&c, ptr(address))?;
        Err(yield_request(
            &mut c,
            Request::Code {
                address,
                offset: ptr(offset),
                size: ptr(size),
                dest: Some(ptr(dest)),
            },
        ))
    });
    hook!("vm_hooks", "account_code_size", |mut c: Ctx<'_>,
                                            address: i32|
     -> HostResult<i32> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK + ink::EVM_API_INK)?;
        require_gas(&mut c, 2_600)?;
        let address = read_address(&c, ptr(address))?;
        Err(yield_request(
            &mut c,
            Request::Code {
                address,
                offset: 0,
                size: 0,
                dest: None,
            },
        ))
    });
    hook!("vm_hooks", "account_codehash", |mut c: Ctx<'_>,
                                           address: i32,
                                           dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + 2 * PTR_INK + ink::EVM_API_INK)?;
        require_gas(&mut c, 2_600)?;
        let address = read_address(&c, ptr(address))?;
        Err(yield_request(
            &mut c,
            Request::CodeHash {
                address,
                dest: ptr(dest),
            },
        ))
    });
    hook!(
        "vm_hooks",
        "evm_gas_left",
        |mut c: Ctx<'_>| -> HostResult<i64> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok((ink_ready(&c)? / ink::INK_PRICE) as i64)
        }
    );
    hook!(
        "vm_hooks",
        "evm_ink_left",
        |mut c: Ctx<'_>| -> HostResult<i64> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(ink_ready(&c)? as i64)
        }
    );
    hook!("vm_hooks", "block_basefee", |mut c: Ctx<'_>,
                                        dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().evm.basefee;
        write_u256(&mut c, dest, v)
    });
    hook!("vm_hooks", "chainid", |mut c: Ctx<'_>| -> HostResult<i64> {
        buy_ink(&mut c, HOSTIO_INK)?;
        Ok(c.data().evm.chain_id as i64)
    });
    hook!("vm_hooks", "block_coinbase", |mut c: Ctx<'_>,
                                         dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().evm.coinbase;
        write_bytes(&mut c, ptr(dest), v.as_slice())
    });
    hook!(
        "vm_hooks",
        "block_gas_limit",
        |mut c: Ctx<'_>| -> HostResult<i64> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().evm.gas_limit as i64)
        }
    );
    hook!(
        "vm_hooks",
        "block_number",
        |mut c: Ctx<'_>| -> HostResult<i64> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().evm.block_number as i64)
        }
    );
    hook!(
        "vm_hooks",
        "block_timestamp",
        |mut c: Ctx<'_>| -> HostResult<i64> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(c.data().evm.timestamp as i64)
        }
    );
    hook!("vm_hooks", "contract_address", |mut c: Ctx<'_>,
                                           dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().contract;
        write_bytes(&mut c, ptr(dest), v.as_slice())
    });
    fn math2(
        c: &mut Ctx<'_>,
        a: i32,
        b: i32,
        ink: u64,
        f: impl FnOnce(U256, U256) -> U256,
    ) -> HostResult<()> {
        buy_ink(c, ink)?;
        let (x, y) = (read_u256(c, a)?, read_u256(c, b)?);
        write_u256(c, a, f(x, y))
    }
    hook!("vm_hooks", "math_div", |mut c: Ctx<'_>,
                                   a: i32,
                                   b: i32|
     -> HostResult<()> {
        math2(
            &mut c,
            a,
            b,
            HOSTIO_INK + 3 * PTR_INK + ink::DIV_INK,
            |x, y| x.checked_div(y).unwrap_or_default(),
        )
    });
    hook!("vm_hooks", "math_mod", |mut c: Ctx<'_>,
                                   a: i32,
                                   b: i32|
     -> HostResult<()> {
        math2(
            &mut c,
            a,
            b,
            HOSTIO_INK + 3 * PTR_INK + ink::DIV_INK,
            |x, y| x.checked_rem(y).unwrap_or_default(),
        )
    });
    hook!("vm_hooks", "math_pow", |mut c: Ctx<'_>,
                                   a: i32,
                                   b: i32|
     -> HostResult<()> {
        let exponent = read_u256(&c, b)?;
        let zeros = u64::from(exponent.leading_zeros() as u32 / 8);
        math2(
            &mut c,
            a,
            b,
            HOSTIO_INK + 3 * PTR_INK + ink::pow_price(zeros),
            |x, y| x.pow(y),
        )
    });
    fn math3(
        c: &mut Ctx<'_>,
        a: i32,
        b: i32,
        m: i32,
        ink: u64,
        f: impl FnOnce(U256, U256, U256) -> U256,
    ) -> HostResult<()> {
        buy_ink(c, ink)?;
        let (x, y, z) = (read_u256(c, a)?, read_u256(c, b)?, read_u256(c, m)?);
        write_u256(c, a, f(x, y, z))
    }
    hook!("vm_hooks", "math_add_mod", |mut c: Ctx<'_>,
                                       a: i32,
                                       b: i32,
                                       m: i32|
     -> HostResult<()> {
        math3(
            &mut c,
            a,
            b,
            m,
            HOSTIO_INK + 4 * PTR_INK + ink::ADD_MOD_INK,
            |x, y, z| x.add_mod(y, z),
        )
    });
    hook!("vm_hooks", "math_mul_mod", |mut c: Ctx<'_>,
                                       a: i32,
                                       b: i32,
                                       m: i32|
     -> HostResult<()> {
        math3(
            &mut c,
            a,
            b,
            m,
            HOSTIO_INK + 4 * PTR_INK + ink::MUL_MOD_INK,
            |x, y, z| x.mul_mod(y, z),
        )
    });
    hook!(
        "vm_hooks",
        "msg_reentrant",
        |mut c: Ctx<'_>| -> HostResult<i32> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(i32::from(c.data().reentrant))
        }
    );
    hook!("vm_hooks", "msg_sender", |mut c: Ctx<'_>,
                                     dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().sender;
        write_bytes(&mut c, ptr(dest), v.as_slice())
    });
    hook!("vm_hooks", "msg_value", |mut c: Ctx<'_>,
                                    dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().value;
        write_u256(&mut c, dest, v)
    });
    hook!("vm_hooks", "native_keccak256", |mut c: Ctx<'_>,
                                           data: i32,
                                           len: i32,
                                           out: i32|
     -> HostResult<()> {
        buy_ink(&mut c, ink::keccak_price(u64::from(ptr(len))))?;
        let bytes = read_bytes(&c, ptr(data), ptr(len))?;
        write_bytes(&mut c, ptr(out), keccak256(bytes).as_slice())
    });
    hook!("vm_hooks", "tx_gas_price", |mut c: Ctx<'_>,
                                       dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().evm.gas_price;
        write_u256(&mut c, dest, v)
    });
    hook!(
        "vm_hooks",
        "tx_ink_price",
        |mut c: Ctx<'_>| -> HostResult<i32> {
            buy_ink(&mut c, HOSTIO_INK)?;
            Ok(ink::INK_PRICE as i32)
        }
    );
    hook!("vm_hooks", "tx_origin", |mut c: Ctx<'_>,
                                    dest: i32|
     -> HostResult<()> {
        buy_ink(&mut c, HOSTIO_INK + PTR_INK)?;
        let v = c.data().evm.origin;
        write_bytes(&mut c, ptr(dest), v.as_slice())
    });
    hook!("vm_hooks", "pay_for_memory_grow", |mut c: Ctx<'_>,
                                              pages: i32|
     -> HostResult<()> {
        let pages = ptr(pages);
        if pages == 0 {
            return buy_ink(&mut c, HOSTIO_INK);
        }
        let pages = u16::try_from(pages).unwrap_or(u16::MAX);
        let gas = c.data().pages.gas_cost(pages);
        if gas == u64::MAX {
            return Err(out_of_ink(&mut c));
        }
        buy_gas(&mut c, gas)?;
        c.data_mut().pages.open_pages(pages);
        Ok(())
    });
    hook!("console", "log_txt", |c: Ctx<'_>,
                                 data: i32,
                                 len: i32|
     -> HostResult<()> {
        if c.data().debug {
            let text = read_bytes(&c, ptr(data), ptr(len))?;
            tracing::info!(target: "stylus::console", "{}", String::from_utf8_lossy(&text));
        }
        Ok(())
    });
    hook!("console", "log_i32", |c: Ctx<'_>,
                                 v: i32|
     -> HostResult<()> {
        if c.data().debug {
            tracing::info!(target: "stylus::console", "{v}");
        }
        Ok(())
    });
    hook!("console", "log_i64", |c: Ctx<'_>,
                                 v: i64|
     -> HostResult<()> {
        if c.data().debug {
            tracing::info!(target: "stylus::console", "{v}");
        }
        Ok(())
    });
    hook!("console", "log_f32", |c: Ctx<'_>,
                                 v: f32|
     -> HostResult<()> {
        if c.data().debug {
            tracing::info!(target: "stylus::console", "{v}");
        }
        Ok(())
    });
    hook!("console", "log_f64", |c: Ctx<'_>,
                                 v: f64|
     -> HostResult<()> {
        if c.data().debug {
            tracing::info!(target: "stylus::console", "{v}");
        }
        Ok(())
    });
    hook!("console", "tee_i32", |_c: Ctx<'_>,
                                 v: i32|
     -> HostResult<i32> { Ok(v) });
    hook!("console", "tee_i64", |_c: Ctx<'_>,
                                 v: i64|
     -> HostResult<i64> { Ok(v) });
    hook!("console", "tee_f32", |_c: Ctx<'_>,
                                 v: f32|
     -> HostResult<f32> { Ok(v) });
    hook!("console", "tee_f64", |_c: Ctx<'_>,
                                 v: f64|
     -> HostResult<f64> { Ok(v) });
    hook!("debug", "null_host", |_c: Ctx<'_>| -> HostResult<()> {
        Ok(())
    });
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing every allowed host function with its exact signature instantiates
    /// against the linker.
    #[test]
    fn linker_covers_every_allowed_import() {
        let ty = |types: &[wasmparser::ValType]| {
            types
                .iter()
                .map(|t| format!("{t}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let imports: String = super::super::activation::HOST_IMPORTS
            .iter()
            .map(|(module, name, params, results)| {
                format!(
                    "(import \"{module}\" \"{name}\" (func (param {}) (result {})))\n",
                    ty(params),
                    ty(results)
                )
            })
            .collect();
        let wat = format!(
            "(module {imports} (memory (export \"memory\") 1 1)
             (func (export \"user_entrypoint\") (param i32) (result i32) i32.const 0))"
        );
        let wasm = wat::parse_str(&wat).unwrap();
        let engine = Engine::new(&ink::engine_config());
        let module = wasmi::Module::new(&engine, &wasm).unwrap();
        let mut store = wasmi::Store::new(&engine, HostState::default());
        linker(&engine)
            .instantiate_and_start(&mut store, &module)
            .unwrap();
        assert!(super::super::activation::validate(&wasm, 40).is_ok());
    }

    #[test]
    fn storage_gas_schedules() {
        assert_eq!(read_gas(1), 0);
        assert_eq!(read_gas(33), 2);
        assert_eq!(read_gas(129), 10);
        assert_eq!(write_gas(8), 0);
        assert_eq!(write_gas(9), 7);
        assert_eq!(write_gas(65), 10);
    }
}
