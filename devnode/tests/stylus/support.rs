//! Shared helpers for the Stylus tests: a tiny in-memory chain around `evm::transact`, EVM
//! bytecode builders and result accessors.
// Each test crate uses a different subset of these helpers.
#![allow(dead_code)]

use alloy_sol_types::SolCall;
use devnode::{
    evm::{self, BlockContext, ChainSpec, Checks, ExecutionResult},
    precompiles::{abi::ArbWasm, ARB_WASM_ADDRESS},
    stylus::{compress, deploy_prelude},
};
use revm::{
    context::{BlockEnv, TxEnv},
    database::{CacheDB, EmptyDB},
    primitives::{address, Address, TxKind, U256},
    state::AccountInfo,
    DatabaseCommit, DatabaseRef,
};

pub(crate) const USER: Address = address!("00000000000000000000000000000000000a11ce");
pub(crate) const ONE_ETH: u128 = 1_000_000_000_000_000_000;
pub(crate) const GAS: u64 = 30_000_000;

/// A tiny in-memory chain around `evm::transact`.
pub(crate) struct Chain {
    pub db: CacheDB<EmptyDB>,
    pub spec: ChainSpec,
    pub block: BlockContext,
    pub nonce: u64,
}

impl Chain {
    pub(crate) fn new() -> Self {
        let spec = ChainSpec::default();
        let mut db = CacheDB::new(EmptyDB::default());
        for (address, info) in evm::genesis_accounts(&spec) {
            db.insert_account_info(address, info);
        }
        db.insert_account_info(
            USER,
            AccountInfo {
                balance: U256::from(1_000u128 * ONE_ETH),
                ..Default::default()
            },
        );
        let block = BlockContext {
            env: BlockEnv {
                number: U256::from(1),
                timestamp: U256::from(1_800_000_000u64),
                gas_limit: 1 << 50,
                basefee: 0,
                ..Default::default()
            },
            l2_block_number: 7,
            recent_programs: Default::default(),
        };
        Self {
            db,
            spec,
            block,
            nonce: 0,
        }
    }

    pub(crate) fn tx(
        &mut self,
        to: TxKind,
        data: Vec<u8>,
        value: U256,
        gas: u64,
    ) -> ExecutionResult {
        let tx = TxEnv {
            caller: USER,
            gas_limit: gas,
            gas_price: 0,
            kind: to,
            value,
            data: data.into(),
            nonce: self.nonce,
            chain_id: Some(self.spec.chain_id),
            ..Default::default()
        };
        let out = evm::transact(&mut self.db, &self.spec, &self.block, tx, Checks::Full)
            .expect("transaction is valid");
        self.db.commit(out.state);
        self.nonce += 1;
        out.result
    }

    /// A call to `to` sent by `caller` (its nonce read from the state).
    pub(crate) fn call_from(
        &mut self,
        caller: Address,
        to: Address,
        data: Vec<u8>,
    ) -> ExecutionResult {
        if caller == USER {
            return self.call(to, data);
        }
        let nonce = self
            .db
            .basic_ref(caller)
            .ok()
            .flatten()
            .map_or(0, |info| info.nonce);
        let tx = TxEnv {
            caller,
            gas_limit: GAS,
            gas_price: 0,
            kind: TxKind::Call(to),
            data: data.into(),
            nonce,
            chain_id: Some(self.spec.chain_id),
            ..Default::default()
        };
        let out = evm::transact(&mut self.db, &self.spec, &self.block, tx, Checks::Full)
            .expect("transaction is valid");
        self.db.commit(out.state);
        out.result
    }

    pub(crate) fn call(&mut self, to: Address, data: Vec<u8>) -> ExecutionResult {
        self.tx(TxKind::Call(to), data, U256::ZERO, GAS)
    }

    pub(crate) fn view(&mut self, to: Address, data: Vec<u8>) -> ExecutionResult {
        let tx = TxEnv {
            caller: USER,
            gas_limit: GAS,
            kind: TxKind::Call(to),
            data: data.into(),
            ..Default::default()
        };
        evm::transact(&mut self.db, &self.spec, &self.block, tx, Checks::Relaxed)
            .expect("call is valid")
            .result
    }

    pub(crate) fn create(&mut self, init: Vec<u8>) -> Address {
        let nonce = self.nonce;
        let result = self.tx(TxKind::Create, init, U256::ZERO, GAS);
        assert!(result.is_success(), "create failed: {result:?}");
        USER.create(nonce)
    }

    pub(crate) fn deploy_wasm(&mut self, wat: &str) -> Address {
        let wasm = wat::parse_str(wat).expect("valid wat");
        self.deploy_wasm_bytes(&wasm)
    }

    pub(crate) fn deploy_wasm_bytes(&mut self, wasm: &[u8]) -> Address {
        self.create(deploy_prelude(&compress(wasm)))
    }

    pub(crate) fn activate(&mut self, program: Address) -> ExecutionResult {
        let data = ArbWasm::activateProgramCall { program }.abi_encode();
        self.tx(
            TxKind::Call(ARB_WASM_ADDRESS),
            data,
            U256::from(ONE_ETH),
            GAS,
        )
    }

    pub(crate) fn deploy_active(&mut self, wat: &str) -> Address {
        let program = self.deploy_wasm(wat);
        let result = self.activate(program);
        assert!(result.is_success(), "activation failed: {result:?}");
        program
    }

    pub(crate) fn balance(&self, address: Address) -> U256 {
        self.db
            .basic_ref(address)
            .unwrap()
            .map(|a| a.balance)
            .unwrap_or_default()
    }

    pub(crate) fn storage(&self, address: Address, slot: U256) -> U256 {
        self.db.storage_ref(address, slot).unwrap()
    }
}

pub(crate) fn output(result: &ExecutionResult) -> Vec<u8> {
    match result {
        ExecutionResult::Success { output, .. } => output.data().to_vec(),
        ExecutionResult::Revert { output, .. } => output.to_vec(),
        ExecutionResult::Halt { .. } => Vec::new(),
    }
}

pub(crate) fn word(n: u64) -> [u8; 32] {
    U256::from(n).to_be_bytes()
}

/// EVM init code that deploys `runtime`.
pub(crate) fn evm_init(runtime: &[u8]) -> Vec<u8> {
    let len = runtime.len() as u16;
    let mut init = vec![
        0x61,
        (len >> 8) as u8,
        len as u8,
        0x80,
        0x60,
        0x0c,
        0x60,
        0x00,
        0x39,
    ];
    init.extend_from_slice(&[0x60, 0x00, 0xf3]);
    init.extend_from_slice(runtime);
    init
}

/// EVM runtime returning the word 42.
pub(crate) const EVM_RETURNS_42: [u8; 10] =
    [0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

/// EVM runtime that forwards its calldata to `target` (with its call value) and returns or
/// reverts with the callee's return data.
pub(crate) fn evm_forwarder(target: Address) -> Vec<u8> {
    let mut code = vec![0x36, 0x60, 0x00, 0x60, 0x00, 0x37]; // calldatacopy(0, 0, cds)
    code.extend_from_slice(&[0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x34, 0x73]);
    code.extend_from_slice(target.as_slice());
    code.extend_from_slice(&[0x5a, 0xf1]); // gas, call
    code.extend_from_slice(&[0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e]); // returndatacopy
    let ok = code.len() as u8 + 3 + 4;
    code.extend_from_slice(&[0x60, ok, 0x57]); // jumpi ok
    code.extend_from_slice(&[0x3d, 0x60, 0x00, 0xfd]); // revert(0, rds)
    code.extend_from_slice(&[0x5b, 0x3d, 0x60, 0x00, 0xf3]); // ok: return(0, rds)
    code
}
