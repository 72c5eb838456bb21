//! Errors of the deploy library, each worded so a user knows what to do next.
use std::path::PathBuf;

/// A contract breaks one of Nitro's size limits.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SizeError {
    /// The compressed program code is over the contract size limit.
    #[error("{contract} is {bytes} bytes compressed, over the {limit}-byte Stylus limit")]
    Compressed {
        /// Package name.
        contract: String,
        /// Program code bytes (prefix + brotli).
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The uncompressed wasm is over Nitro's decompressed-size limit.
    #[error("{contract} is {bytes} bytes of wasm, over the {limit}-byte Stylus limit")]
    Wasm {
        /// Package name.
        contract: String,
        /// Wasm bytes.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

/// Building the contracts failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// cargo could not be started.
    #[error("cannot run {command}: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The rustup target for Stylus or the `rust-src` component (std is rebuilt) is missing.
    #[error(
        "the wasm32-unknown-unknown target or the rust-src component is not installed, and no \
         rustup was found to install them: install rustup (https://rustup.rs), or run \
         `rustup target add wasm32-unknown-unknown && rustup component add rust-src` with the \
         toolchain rust-toolchain.toml pins"
    )]
    MissingWasmTarget,
    /// rustup could not list or install what the contract builds need.
    #[error("`{command}` failed:\n{stderr}")]
    Toolchain {
        /// The rustup command.
        command: String,
        /// rustup's standard error.
        stderr: String,
    },
    /// cargo failed for another reason (a compile error).
    #[error("building the contracts failed:\n{stderr}")]
    Cargo {
        /// cargo's standard error.
        stderr: String,
    },
    /// The wasm of a package is not where the build should have put it.
    #[error("no wasm for {package} at {}: {source}", path.display())]
    MissingWasm {
        /// Package name.
        package: String,
        /// Expected path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Deploying to a chain failed.
#[cfg(feature = "chain")]
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    /// `RPC_URL` is not a URL.
    #[error("invalid RPC_URL `{url}`: {reason}")]
    InvalidRpcUrl {
        /// The URL as given.
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The RPC endpoint does not answer.
    #[error(
        "cannot reach the RPC endpoint {url}: {reason}. Is the node running? (Leave RPC_URL unset \
         to deploy to the embedded devnode.)"
    )]
    Unreachable {
        /// The URL.
        url: String,
        /// The transport error.
        reason: String,
    },
    /// The endpoint serves another chain than the one asked for.
    #[error("{url} serves chain {actual}, but chain {expected} was expected (check RPC_URL and CHAIN_ID)")]
    WrongChainId {
        /// The URL.
        url: String,
        /// `CHAIN_ID` / `--chain-id`.
        expected: u64,
        /// What the node reports.
        actual: u64,
    },
    /// `PRIVATE_KEY` is not a secp256k1 key.
    #[error("invalid PRIVATE_KEY: {reason} (expected 32 bytes of hex)")]
    InvalidKey {
        /// The parse error.
        reason: String,
    },
    /// The deployer account cannot pay.
    #[error(
        "the deployer {address:#x} has {balance} wei but {action} needs about {needed} wei; send it \
         some ETH (on a local nitro-devnode, use the funded dev key)"
    )]
    Unfunded {
        /// Deployer address.
        address: ethers::types::Address,
        /// Its balance.
        balance: ethers::types::U256,
        /// The estimated cost.
        needed: ethers::types::U256,
        /// What the money is for.
        action: String,
    },
    /// Building the wasm failed.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// A contract is too large.
    #[error(transparent)]
    Size(#[from] SizeError),
    /// A contract's ABI file is missing or malformed.
    #[error("ABI of {contract}: {reason}")]
    Abi {
        /// Package name.
        contract: String,
        /// What is wrong.
        reason: String,
    },
    /// A constructor input has no configured value.
    #[error(
        "the constructor of {contract} needs `{param}` ({ty}) and no value is configured; pass \
         --param {param}=<value>"
    )]
    MissingParam {
        /// Package name.
        contract: String,
        /// Input name (`struct.field` for struct components).
        param: String,
        /// Solidity type.
        ty: String,
    },
    /// A configured value does not fit its constructor input.
    #[error("constructor input `{param}` ({ty}) of {contract}: `{value}` is invalid: {reason}")]
    BadParam {
        /// Package name.
        contract: String,
        /// Input name.
        param: String,
        /// Solidity type.
        ty: String,
        /// The configured value.
        value: String,
        /// Why it does not parse.
        reason: String,
    },
    /// ArbWasm refused to activate the program.
    #[error("activating {contract} failed: {reason}")]
    Activation {
        /// Package name.
        contract: String,
        /// The decoded ArbWasm error or the node's message.
        reason: String,
    },
    /// The deployment transaction failed.
    #[error("deploying {contract} failed: {reason}")]
    Deployment {
        /// Package name.
        contract: String,
        /// The decoded StylusDeployer error, revert data or node message.
        reason: String,
    },
    /// The code at the new address is not the program that was sent.
    #[error("{contract} at {address:#x} has code hash {actual:#x}, expected {expected:#x}")]
    CodeHashMismatch {
        /// Package name.
        contract: String,
        /// Its address.
        address: ethers::types::Address,
        /// keccak256 of the program code sent.
        expected: ethers::types::H256,
        /// keccak256 of the code on chain.
        actual: ethers::types::H256,
    },
    /// A constructor needs a contract that is neither deployed nor recorded.
    #[error(
        "{contract} needs the address of {dependency}, which is neither deployed in this run nor \
         recorded for this chain; deploy it first (drop --only) or pass --param {param}=<address>"
    )]
    MissingDependency {
        /// Package name.
        contract: String,
        /// The contract whose address is missing.
        dependency: String,
        /// The constructor input that takes it.
        param: String,
    },
    /// A `--param` name is no constructor input's exact name.
    #[error(
        "--param {param}: no constructor input is named `{param}` (names are exact, as in the \
         ABI): {known}, pool_eth, pool_tokens"
    )]
    UnknownParam {
        /// The name given.
        param: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// The chain has no StylusDeployer.
    #[error(
        "chain {chain_id} has no StylusDeployer at 0xcEcba2F1DC234f70Dd89F2041029807F8D03A990; \
         on a nitro-devnode run its setup script (it deploys the CREATE2 factory, the cache \
         manager and the deployer)"
    )]
    NoStylusDeployer {
        /// The chain.
        chain_id: u64,
    },
    /// Any other RPC failure.
    #[error("RPC {action} failed: {reason}")]
    Rpc {
        /// What was being done.
        action: String,
        /// The node's error.
        reason: String,
    },
    /// The deployment record cannot be read or written.
    #[error("deployment record {}: {reason}", path.display())]
    Record {
        /// The record file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// Deploying or setting up the exchange and the agent token's pool failed.
    #[error("exchange step `{step}` failed: {reason}")]
    Dex {
        /// What was being done, e.g. `factory.createPair(agent-token, weth)`.
        step: String,
        /// Why it failed.
        reason: String,
    },
    /// A wiring transaction failed.
    #[error("wiring step `{step}` failed: {reason}")]
    Wiring {
        /// The step, e.g. `agent-token.transferGovernance(subdao)`.
        step: String,
        /// The node's error.
        reason: String,
    },
}
