//! Arbitrum precompiles the devnode provides: ArbOwner (0x70, cache managers only),
//! ArbOwnerPublic (0x6b, chain owner and network fee account), ArbSys (0x64), ArbWasm (0x71),
//! ArbWasmCache (0x72) and the StylusDeployer at its canonical address.
//!
//! ArbOwner, ArbOwnerPublic, ArbSys, ArbWasm and ArbWasmCache only touch state, so they are served by
//! [`ArbPrecompiles`], revm's
//! precompile provider wrapped around the Ethereum precompiles. The StylusDeployer creates and
//! calls contracts, so it runs as a native frame ([`deployer::DeployerFrame`]) in `crate::evm`.

pub mod abi;
pub mod arb_owner_public;
pub mod arb_sys;
pub mod arb_wasm;
pub mod arb_wasm_cache;
pub mod deployer;

use revm::{
    context::Cfg,
    context_interface::ContextTr,
    handler::{EthPrecompiles, PrecompileProvider},
    interpreter::{CallInputs, InterpreterResult},
    primitives::{address, Address, AddressSet},
    Database,
};

use crate::{evm::ChainSpec, stylus::program::ArbContext};

/// ArbOwner: chain-owner administration (the devnode serves the cache-manager methods).
pub const ARB_OWNER_ADDRESS: Address = address!("0000000000000000000000000000000000000070");
/// ArbOwnerPublic: who owns the chain and receives its network fees.
pub const ARB_OWNER_PUBLIC_ADDRESS: Address = address!("000000000000000000000000000000000000006b");
/// ArbSys: L2 block number, chain id, ArbOS version.
pub const ARB_SYS_ADDRESS: Address = address!("0000000000000000000000000000000000000064");
/// ArbWasm: Stylus program activation and parameters.
pub const ARB_WASM_ADDRESS: Address = address!("0000000000000000000000000000000000000071");
/// ArbWasmCache: program cache management.
pub const ARB_WASM_CACHE_ADDRESS: Address = address!("0000000000000000000000000000000000000072");
/// The StylusDeployer (nitro-contracts), deployed at the same address on every Arbitrum chain.
pub const STYLUS_DEPLOYER_ADDRESS: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// The precompile addresses that get marker code at genesis.
pub const ARB_PRECOMPILE_ADDRESSES: [Address; 5] = [
    ARB_OWNER_ADDRESS,
    ARB_OWNER_PUBLIC_ADDRESS,
    ARB_SYS_ADDRESS,
    ARB_WASM_ADDRESS,
    ARB_WASM_CACHE_ADDRESS,
];

/// The Arbitrum precompiles [`ArbPrecompiles`] serves natively.
const ARB_SERVED: [Address; 5] = ARB_PRECOMPILE_ADDRESSES;

/// Ethereum precompiles plus ArbOwner, ArbSys, ArbWasm and ArbWasmCache.
#[derive(Debug, Clone)]
pub struct ArbPrecompiles {
    eth: EthPrecompiles,
    addresses: AddressSet,
    spec: ChainSpec,
    l2_block_number: u64,
}

impl ArbPrecompiles {
    /// Precompiles for `spec` in the block whose L2 number is `l2_block_number`.
    pub fn new(spec: &ChainSpec, l2_block_number: u64) -> Self {
        let eth = EthPrecompiles::new(spec.spec);
        let mut addresses = eth.warm_addresses().clone();
        addresses.extend(ARB_SERVED);
        Self {
            eth,
            addresses,
            spec: spec.clone(),
            l2_block_number,
        }
    }
}

impl ArbPrecompiles {
    /// Whether `address` is served by this provider.
    pub fn is_precompile(&self, address: &Address) -> bool {
        self.addresses.contains(address)
    }
}

impl<DB: Database> PrecompileProvider<ArbContext<DB>> for ArbPrecompiles {
    type Output = InterpreterResult;

    fn set_spec(&mut self, spec: <<ArbContext<DB> as ContextTr>::Cfg as Cfg>::Spec) -> bool {
        let changed =
            <EthPrecompiles as PrecompileProvider<ArbContext<DB>>>::set_spec(&mut self.eth, spec);
        if changed {
            let mut addresses = self.eth.warm_addresses().clone();
            addresses.extend(ARB_SERVED);
            self.addresses = addresses;
        }
        changed
    }

    fn run(
        &mut self,
        ctx: &mut ArbContext<DB>,
        inputs: &CallInputs,
    ) -> Result<Option<InterpreterResult>, String> {
        match inputs.bytecode_address {
            ARB_WASM_ADDRESS => arb_wasm::run(ctx, &self.spec, inputs).map(Some),
            ARB_WASM_CACHE_ADDRESS => arb_wasm_cache::run_cache(ctx, &self.spec, inputs).map(Some),
            ARB_OWNER_ADDRESS => arb_wasm_cache::run_owner(ctx, &self.spec, inputs).map(Some),
            ARB_OWNER_PUBLIC_ADDRESS => arb_owner_public::run(ctx, &self.spec, inputs).map(Some),
            ARB_SYS_ADDRESS => {
                let data = inputs.input.bytes(ctx);
                Ok(Some(arb_sys::run(
                    &self.spec,
                    self.l2_block_number,
                    inputs,
                    &data,
                )))
            }
            _ => self.eth.run(ctx, inputs),
        }
    }

    fn warm_addresses(&self) -> &AddressSet {
        &self.addresses
    }

    fn contains(&self, address: &Address) -> bool {
        self.addresses.contains(address)
    }
}
