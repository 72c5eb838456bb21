//! Arbitrum precompiles the devnode provides: ArbSys (0x64), ArbWasm (0x71), ArbWasmCache (0x72)
//! and the StylusDeployer at its canonical address.

use revm::primitives::{address, Address};

/// ArbSys: L2 block number, chain id, ArbOS version.
pub const ARB_SYS_ADDRESS: Address = address!("0000000000000000000000000000000000000064");
/// ArbWasm: Stylus program activation and parameters.
pub const ARB_WASM_ADDRESS: Address = address!("0000000000000000000000000000000000000071");
/// ArbWasmCache: program cache management.
pub const ARB_WASM_CACHE_ADDRESS: Address = address!("0000000000000000000000000000000000000072");
/// The StylusDeployer (nitro-contracts), deployed at the same address on every Arbitrum chain.
pub const STYLUS_DEPLOYER_ADDRESS: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// The precompile addresses that get marker code at genesis.
pub const ARB_PRECOMPILE_ADDRESSES: [Address; 3] =
    [ARB_SYS_ADDRESS, ARB_WASM_ADDRESS, ARB_WASM_CACHE_ADDRESS];
