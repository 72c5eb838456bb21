//! A whole deployment run: build, size-check, then per contract in dependency order skip /
//! estimate / deploy, recording each deployment as soon as it lands.
use std::path::PathBuf;

use ethers::types::{Address, H256, U256};
use indicatif::ProgressBar;

use crate::build::{Artifact, Workspace};
use crate::chain::Chain;
use crate::config::{has_lp_token, DEX_PAIR, DEX_ROUTER, LP_TOKEN, POOL_ETH, POOL_TOKENS};
use crate::contracts::{keccak, ContractKind, ParamValues};
use crate::deployer::{self, Estimate};
use crate::dex::{self, Pool, PoolConfig};
use crate::error::DeployError;
use crate::record::{ContractRecord, Deployments};

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Contracts to deploy; empty = all.
    pub only: Vec<ContractKind>,
    /// Redeploy even when recorded with the same code and constructor data.
    pub force: bool,
    /// Estimate only, send nothing.
    pub dry_run: bool,
    /// Run cargo (false: use the wasm files already built).
    pub build: bool,
    /// StylusDeployer salt.
    pub salt: [u8; 32],
    /// Where `<chainid>.json` lives.
    pub deployments_dir: PathBuf,
    /// Where `<Name>.json` ABIs live.
    pub abi_dir: PathBuf,
}

impl Options {
    /// Defaults for `ws`: all contracts, build, `deployments/` and `abi/` of the workspace.
    pub fn new(ws: &Workspace) -> Self {
        Self {
            only: Vec::new(),
            force: false,
            dry_run: false,
            build: true,
            salt: [0; 32],
            deployments_dir: ws.root.join("deployments"),
            abi_dir: ws.root.join("abi"),
        }
    }

    /// The contracts this run deploys, in deployment order.
    pub fn selected(&self) -> Vec<ContractKind> {
        ContractKind::ALL
            .into_iter()
            .filter(|k| self.only.is_empty() || self.only.contains(k))
            .collect()
    }
}

/// What happened to one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sent and confirmed in this run.
    Deployed,
    /// Already on chain with the same code and constructor data.
    Skipped,
    /// Dry run: would be deployed; the estimate, or why it could not be made.
    Planned(Result<Estimate, String>),
}

/// One line of the final table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The contract.
    pub contract: ContractKind,
    /// What happened.
    pub outcome: Outcome,
    /// Its address (a placeholder is never shown: `None` in a dry run).
    pub address: Option<Address>,
    /// Program code bytes.
    pub compressed_bytes: usize,
    /// Wasm bytes.
    pub wasm_bytes: usize,
    /// Gas of the deployment transaction (this run or the recorded one).
    pub gas_used: Option<U256>,
    /// Data fee sent.
    pub data_fee: Option<U256>,
}

/// One extension program (of a contract split over two programs), deployed before its core.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionRow {
    /// The contract whose core delegates to it.
    pub core: ContractKind,
    /// Its package name (also its key in `deployments/<chainid>.json`).
    pub package: String,
    /// What happened.
    pub outcome: Outcome,
    /// Its address (`None` in a dry run).
    pub address: Option<Address>,
    /// Program code bytes.
    pub compressed_bytes: usize,
    /// Wasm bytes.
    pub wasm_bytes: usize,
    /// Gas of the deployment transaction (this run or the recorded one).
    pub gas_used: Option<U256>,
    /// Data fee sent.
    pub data_fee: Option<U256>,
}

/// The result of a run.
#[derive(Debug, Clone)]
pub struct Report {
    /// The chain.
    pub chain_id: u64,
    /// One row per selected contract, in deployment order.
    pub rows: Vec<Row>,
    /// The record after the run.
    pub deployments: Deployments,
    /// Where it was written (`None` in a dry run).
    pub record_path: Option<PathBuf>,
    /// The agent token's pool, set up or reused when no LP token was configured.
    pub pool: Option<Pool>,
    /// Extension programs deployed or reused, each before its core.
    pub extensions: Vec<ExtensionRow>,
}

impl Report {
    /// Gas used by the transactions sent in this run.
    pub fn gas_spent(&self) -> U256 {
        let lp = self.pool.as_ref().map(Pool::gas_used).unwrap_or_default();
        let extensions = self
            .extensions
            .iter()
            .filter(|r| r.outcome == Outcome::Deployed)
            .filter_map(|r| r.gas_used);
        self.rows
            .iter()
            .filter(|r| r.outcome == Outcome::Deployed)
            .filter_map(|r| r.gas_used)
            .chain(extensions)
            .fold(lp, |a, b| a + b)
    }

    /// The address of `contract` after the run (deployed or recorded).
    pub fn address(&self, contract: ContractKind) -> Option<Address> {
        self.deployments.get(contract.package()).map(|r| r.address)
    }
}

/// Builds (unless disabled) and loads the artifacts of `contracts`, checking every size before
/// anything is sent.
///
/// # Errors
/// [`DeployError::Build`] or [`DeployError::Size`] naming the contract.
pub fn prepare(
    ws: &Workspace,
    contracts: &[ContractKind],
    build: bool,
) -> Result<Vec<Artifact>, DeployError> {
    if build {
        let packages: Vec<&str> = contracts.iter().map(|c| c.package()).collect();
        ws.build_wasm(&packages)?;
    }
    let artifacts = contracts
        .iter()
        .map(|c| ws.artifact(c.package()))
        .collect::<Result<Vec<_>, _>>()?;
    for artifact in &artifacts {
        artifact.check_size()?;
    }
    Ok(artifacts)
}

/// Deploys `contracts` (with their artifacts) on `chain`, skipping those already recorded with
/// the same code and constructor data, in the given order.
///
/// `values` holds the constructor parameters; each deployed or skipped contract's address is
/// added to it for the ones after it.
///
/// # Errors
/// The first [`DeployError`]; contracts deployed before it stay recorded.
pub async fn deploy_artifacts(
    chain: &Chain,
    artifacts: &[(ContractKind, Artifact)],
    mut values: ParamValues,
    options: &Options,
    progress: &ProgressBar,
) -> Result<Report, DeployError> {
    deployer::ensure_deployer_exists(chain).await?;
    let mut deployments = Deployments::load(&options.deployments_dir, chain.chain_id)?;
    deployments.deployer = Some(chain.deployer());
    deployments.build = Some(Workspace::locate().build_info());
    // Contracts not deployed in this run offer their recorded addresses, if still on chain.
    let deploys_token = artifacts
        .iter()
        .any(|(k, _)| *k == ContractKind::AgentToken);
    if !has_lp_token(&values) && !deploys_token {
        if let Some(record) = deployments.dex.clone() {
            if deployer::code_hash_at(chain, record.pair).await?.is_some() {
                offer_pool(&mut values, record.router, record.pair);
            }
        }
    }
    // A configured pool is the pair the revenue program trades on, unless named apart.
    if let Some(lp) = values.get(LP_TOKEN) {
        if values.get(DEX_PAIR).is_none() {
            let lp = lp.to_string();
            values.set(DEX_PAIR, lp);
        }
    }
    let mut lp = None;
    for kind in ContractKind::ALL {
        if artifacts.iter().any(|(k, _)| *k == kind) {
            continue;
        }
        if let Some(record) = deployments.get(kind.package()).cloned() {
            if deployer::code_hash_at(chain, record.address).await? == Some(record.code_hash) {
                values.set_address(kind, record.address);
            }
        }
    }

    let mut rows = Vec::new();
    let mut extensions = Vec::new();
    let mut record_path = None;
    for (kind, artifact) in artifacts {
        let kind = *kind;
        let package = kind.package();
        // The pool comes before the first contract that needs it: the vault stakes its LP
        // tokens, the revenue program trades on it.
        let needs_pool = matches!(kind, ContractKind::StakingVault | ContractKind::Revenue);
        if needs_pool && !has_lp_token(&values) {
            if let Some(token) = values.address(ContractKind::AgentToken) {
                let (router, pair) = if options.dry_run {
                    (Address::repeat_byte(0xd1), Address::repeat_byte(0xdd))
                } else {
                    progress.set_message("agent token pool: setting up Uniswap V2");
                    let config = pool_config(&values, options.force)?;
                    let ws = Workspace::locate();
                    let done = dex::ensure(
                        chain,
                        &ws,
                        token,
                        &config,
                        &mut deployments,
                        &options.deployments_dir,
                    )
                    .await?;
                    record_path = Some(Deployments::path(&options.deployments_dir, chain.chain_id));
                    let pair = (done.record.router, done.record.pair);
                    lp = Some(done);
                    pair
                };
                offer_pool(&mut values, router, pair);
            }
        }
        values.set_extension(None);
        if let Some(extension) = artifact.extension.as_deref() {
            let row = deploy_extension(chain, kind, extension, &mut deployments, options, progress)
                .await?;
            if row.outcome == Outcome::Deployed {
                record_path = Some(Deployments::path(&options.deployments_dir, chain.chain_id));
            }
            let address = row.address.unwrap_or_else(|| extension_placeholder(kind));
            values.set_extension(Some(address));
            extensions.push(row);
        }
        progress.set_message(format!("{package}: encoding constructor"));
        let init_data = values.init_data(kind)?;
        let code_hash = keccak(&artifact.code);
        let init_data_hash = keccak(&init_data);
        let mut row = Row {
            contract: kind,
            outcome: Outcome::Deployed,
            address: None,
            compressed_bytes: artifact.compressed_bytes(),
            wasm_bytes: artifact.wasm.len(),
            gas_used: None,
            data_fee: None,
        };

        if !options.force {
            if let Some(record) = deployments.get(package).cloned() {
                if is_current(chain, &record, code_hash, init_data_hash).await? {
                    progress.set_message(format!("{package}: up to date"));
                    values.set_address(kind, record.address);
                    row.outcome = Outcome::Skipped;
                    row.address = Some(record.address);
                    row.gas_used = Some(record.gas_used);
                    row.data_fee = Some(record.data_fee);
                    rows.push(row);
                    progress.inc(1);
                    continue;
                }
            }
        }

        if options.dry_run {
            progress.set_message(format!("{package}: estimating"));
            let estimate =
                deployer::estimate(chain, package, &artifact.code, init_data, options.salt)
                    .await
                    .map_err(|e| e.to_string());
            // Later constructors need some address; the dry run cannot know the real one.
            let placeholder = placeholder_address(kind);
            values.set_address(kind, placeholder);
            row.gas_used = estimate.as_ref().ok().map(|e| e.gas);
            row.data_fee = estimate.as_ref().ok().map(|e| e.data_fee);
            row.outcome = Outcome::Planned(estimate);
            rows.push(row);
            progress.inc(1);
            continue;
        }

        progress.set_message(format!(
            "{package}: deploying {} bytes through the StylusDeployer",
            artifact.compressed_bytes()
        ));
        let deployed =
            deployer::deploy(chain, package, &artifact.code, init_data, options.salt).await?;
        let record = ContractRecord {
            address: deployed.address,
            code_hash: deployed.code_hash,
            init_data_hash,
            tx_hash: deployed.tx_hash,
            block: deployed.block,
            gas_used: deployed.gas_used,
            data_fee: deployed.data_fee,
            compressed_bytes: artifact.compressed_bytes(),
            wasm_bytes: artifact.wasm.len(),
        };
        deployments.contracts.insert(package.to_string(), record);
        record_path = Some(deployments.save(&options.deployments_dir)?);
        values.set_address(kind, deployed.address);
        row.address = Some(deployed.address);
        row.gas_used = Some(deployed.gas_used);
        row.data_fee = Some(deployed.data_fee);
        rows.push(row);
        progress.inc(1);
    }
    Ok(Report {
        chain_id: chain.chain_id,
        rows,
        deployments,
        record_path,
        pool: lp,
        extensions,
    })
}

/// Deploys (or reuses, when recorded with the same code and still on chain) the extension
/// program of `core`: no constructor, since it only ever runs in the core's storage.
async fn deploy_extension(
    chain: &Chain,
    core: ContractKind,
    artifact: &Artifact,
    deployments: &mut Deployments,
    options: &Options,
    progress: &ProgressBar,
) -> Result<ExtensionRow, DeployError> {
    let package = artifact.package.as_str();
    let code_hash = keccak(&artifact.code);
    let init_data_hash = keccak(&[]);
    let mut row = ExtensionRow {
        core,
        package: package.to_string(),
        outcome: Outcome::Deployed,
        address: None,
        compressed_bytes: artifact.compressed_bytes(),
        wasm_bytes: artifact.wasm.len(),
        gas_used: None,
        data_fee: None,
    };
    if !options.force {
        if let Some(record) = deployments.get(package).cloned() {
            if is_current(chain, &record, code_hash, init_data_hash).await? {
                progress.set_message(format!("{package}: up to date"));
                row.outcome = Outcome::Skipped;
                row.address = Some(record.address);
                row.gas_used = Some(record.gas_used);
                row.data_fee = Some(record.data_fee);
                return Ok(row);
            }
        }
    }
    if options.dry_run {
        progress.set_message(format!("{package}: estimating"));
        let estimate = deployer::estimate(
            chain,
            package,
            &artifact.code,
            Default::default(),
            options.salt,
        )
        .await
        .map_err(|e| e.to_string());
        row.gas_used = estimate.as_ref().ok().map(|e| e.gas);
        row.data_fee = estimate.as_ref().ok().map(|e| e.data_fee);
        row.outcome = Outcome::Planned(estimate);
        return Ok(row);
    }
    progress.set_message(format!(
        "{package}: deploying {} bytes through the StylusDeployer",
        artifact.compressed_bytes()
    ));
    let deployed = deployer::deploy(
        chain,
        package,
        &artifact.code,
        Default::default(),
        options.salt,
    )
    .await?;
    deployments.contracts.insert(
        package.to_string(),
        ContractRecord {
            address: deployed.address,
            code_hash: deployed.code_hash,
            init_data_hash,
            tx_hash: deployed.tx_hash,
            block: deployed.block,
            gas_used: deployed.gas_used,
            data_fee: deployed.data_fee,
            compressed_bytes: artifact.compressed_bytes(),
            wasm_bytes: artifact.wasm.len(),
        },
    );
    deployments.save(&options.deployments_dir)?;
    row.address = Some(deployed.address);
    row.gas_used = Some(deployed.gas_used);
    row.data_fee = Some(deployed.data_fee);
    Ok(row)
}

/// A recognisable stand-in for the extension program a dry run has not deployed.
pub fn extension_placeholder(core: ContractKind) -> Address {
    let mut bytes = placeholder_address(core).to_fixed_bytes();
    bytes[0] = 0xde;
    Address::from(bytes)
}

/// Builds, checks and deploys the selected contracts: [`prepare`] then [`deploy_artifacts`].
///
/// # Errors
/// The first [`DeployError`].
pub async fn run(
    chain: &Chain,
    ws: &Workspace,
    values: ParamValues,
    options: &Options,
    progress: &ProgressBar,
) -> Result<Report, DeployError> {
    let selected = options.selected();
    progress.set_message(format!("building {} contracts for wasm32", selected.len()));
    let artifacts = prepare(ws, &selected, options.build)?;
    let pairs: Vec<_> = selected.into_iter().zip(artifacts).collect();
    deploy_artifacts(chain, &pairs, values, options, progress).await
}

/// Makes the pool available to the constructors after it: the vault's LP token and the
/// revenue program's router and pair.
fn offer_pool(values: &mut ParamValues, router: Address, pair: Address) {
    values.set(LP_TOKEN, format!("{pair:#x}"));
    values.set(DEX_PAIR, format!("{pair:#x}"));
    if values.get(DEX_ROUTER).is_none() {
        values.set(DEX_ROUTER, format!("{router:#x}"));
    }
}

/// The pool set-up `values` ask for (`DEX_ROUTER`, `POOL_ETH`, `POOL_TOKENS`).
fn pool_config(values: &ParamValues, force: bool) -> Result<PoolConfig, DeployError> {
    let number = |key: &str| -> Result<U256, DeployError> {
        let text = values.get(key).unwrap_or("0");
        crate::config::parse_u256(text).map_err(|reason| DeployError::BadParam {
            contract: "dex".into(),
            param: key.into(),
            ty: "uint256".into(),
            value: text.into(),
            reason,
        })
    };
    let router = match values.get(DEX_ROUTER) {
        Some(text) => Some(text.parse::<Address>().map_err(|e| DeployError::BadParam {
            contract: "dex".into(),
            param: DEX_ROUTER.into(),
            ty: "address".into(),
            value: text.into(),
            reason: e.to_string(),
        })?),
        None => None,
    };
    Ok(PoolConfig {
        router,
        liquidity_eth: number(POOL_ETH)?,
        liquidity_tokens: number(POOL_TOKENS)?,
        force,
    })
}

async fn is_current(
    chain: &Chain,
    record: &ContractRecord,
    code_hash: H256,
    init_data_hash: H256,
) -> Result<bool, DeployError> {
    if record.code_hash != code_hash || record.init_data_hash != init_data_hash {
        return Ok(false);
    }
    Ok(deployer::code_hash_at(chain, record.address).await? == Some(code_hash))
}

/// A recognisable stand-in address for a contract a dry run has not deployed.
pub fn placeholder_address(kind: ContractKind) -> Address {
    let index = ContractKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(0) as u8;
    let mut bytes = [0xdd; 20];
    bytes[19] = index + 1;
    Address::from(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_keeps_deployment_order() {
        let ws = Workspace::locate();
        let mut options = Options::new(&ws);
        assert_eq!(options.selected(), ContractKind::ALL.to_vec());
        options.only = vec![ContractKind::Subdao, ContractKind::AgentToken];
        assert_eq!(
            options.selected(),
            vec![ContractKind::AgentToken, ContractKind::Subdao]
        );
    }

    #[test]
    fn extension_placeholders_differ_from_contract_placeholders() {
        let core = placeholder_address(ContractKind::StakingVault);
        let extension = extension_placeholder(ContractKind::StakingVault);
        assert_ne!(core, extension);
        assert!(ContractKind::ALL
            .into_iter()
            .all(|k| placeholder_address(k) != extension));
    }

    #[test]
    fn placeholders_are_distinct() {
        let all: std::collections::BTreeSet<_> = ContractKind::ALL
            .into_iter()
            .map(placeholder_address)
            .collect();
        assert_eq!(all.len(), ContractKind::ALL.len());
    }
}
