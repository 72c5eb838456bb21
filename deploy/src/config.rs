//! Command-line flags and `.env` variables of `deploy`, with safe defaults, turned into the
//! [`ParamValues`] the constructors are encoded from.
//!
//! Every flag can also be set through the environment variable named next to it (the binary
//! loads `.env` first with dotenvy); `.env.example` documents them all.
use std::path::PathBuf;

use clap::{Args, Parser};
use ethers::types::{Address, H256, U256};

use crate::contracts::{param_names, ContractKind, ParamValues};
use crate::error::DeployError;

/// The nitro-devnode dev key (public knowledge: local chains only).
pub const NITRO_DEV_KEY: &str =
    "0xb6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659";

/// `cargo run --bin deploy`: build, size-check, deploy, wire and record the agentdao contracts.
#[derive(Debug, Clone, Parser)]
#[command(name = "deploy", version, about, long_about = None)]
pub struct DeployArgs {
    /// JSON-RPC endpoint. Unset: start the embedded devnode on 127.0.0.1:<devnode-port>, deploy
    /// and keep serving until Ctrl-C.
    #[arg(long, env = "RPC_URL")]
    pub rpc_url: Option<String>,
    /// Deployer key (hex). Defaults to the nitro-devnode dev key, which only exists on local
    /// chains.
    #[arg(long, env = "PRIVATE_KEY", hide_env_values = true)]
    pub private_key: Option<String>,
    /// Refuse to deploy unless the node reports this chain id.
    #[arg(long, env = "CHAIN_ID")]
    pub chain_id: Option<u64>,
    /// Port of the embedded devnode (only without RPC_URL).
    #[arg(long, env = "DEVNODE_PORT", default_value_t = 8547)]
    pub devnode_port: u16,
    /// State file of the embedded devnode, so a restart keeps the deployed contracts.
    #[arg(long, env = "DEVNODE_STATE")]
    pub devnode_state: Option<PathBuf>,
    /// Stop the embedded devnode after deploying instead of serving until Ctrl-C.
    #[arg(long)]
    pub exit: bool,
    /// Redeploy contracts even when the record says they are deployed with the same code.
    #[arg(long)]
    pub force: bool,
    /// Build, check sizes and estimate gas and fees without sending any transaction.
    #[arg(long)]
    pub dry_run: bool,
    /// Deploy only these contracts (repeatable); the others' addresses come from the record.
    #[arg(long, value_enum)]
    pub only: Vec<ContractKind>,
    /// Use the wasm files already built instead of running cargo.
    #[arg(long)]
    pub no_build: bool,
    /// Skip the governance wiring after deployment.
    #[arg(long)]
    pub no_wire: bool,
    /// Only read the wiring recorded in `deployments/<chainid>.json` back from chain and print
    /// one line per check; exits non-zero when a check fails. Deploys nothing.
    #[arg(long, conflicts_with_all = ["demo", "dry_run"])]
    pub verify_wiring: bool,
    /// After deploying, bid in the chain's CacheManager for the agent token, staking vault,
    /// SubDAO and Elo ledger cores (each at least `--cache-bid`); with `--verify-wiring`, check
    /// that they are cached.
    #[arg(long, env = "DEPLOY_CACHE")]
    pub cache: bool,
    /// Smallest CacheManager bid per program, wei (the CacheManager's minimum when higher).
    #[arg(long, env = "CACHE_BID", default_value = "0", value_parser = parse_u256)]
    pub cache_bid: U256,
    /// Deploy a fresh system (on an embedded devnode on a free port unless RPC_URL is set,
    /// recording into a temporary directory), then run the whole lifecycle story step by step:
    /// staking, taxed trading and rewards, model validation, upgrade, slashing, OML, burn.
    #[arg(long, conflicts_with = "dry_run")]
    pub demo: bool,
    /// StylusDeployer salt (32 bytes hex); zero uses CREATE, anything else CREATE2.
    #[arg(long, env = "DEPLOY_SALT")]
    pub salt: Option<H256>,
    /// Directory of the deployment records (default: `deployments/` in the workspace).
    #[arg(long, env = "DEPLOYMENTS_DIR")]
    pub deployments_dir: Option<PathBuf>,
    /// Contract parameters.
    #[command(flatten)]
    pub params: SystemParams,
    /// Any constructor input by its exact ABI name, e.g. `--param voting_delay=60` (repeatable;
    /// overrides the flags above; see `deploy::system::CONTRACTS` for every input).
    #[arg(long = "param", value_parser = parse_key_value)]
    pub extra: Vec<(String, String)>,
}

/// The system's deployment parameters.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct SystemParams {
    /// Agent token name.
    #[arg(long, env = "TOKEN_NAME", default_value = "Agent Token")]
    pub token_name: String,
    /// Agent token symbol.
    #[arg(long, env = "TOKEN_SYMBOL", default_value = "AGENT")]
    pub token_symbol: String,
    /// Initial supply in whole tokens (18 decimals), minted to the deployer.
    #[arg(long, env = "TOKEN_SUPPLY", default_value_t = 1_000_000_000)]
    pub token_supply: u64,
    /// Transfer tax in basis points (at most 100 = 1%).
    #[arg(long, env = "TAX_BPS", default_value_t = 100)]
    pub tax_bps: u16,
    /// LP token staked in the vault: the agent token's Uniswap V2 pair (AGENT/WETH). Unset: the
    /// pair is created (and Uniswap V2 deployed when `DEX_ROUTER` is unset too), given the
    /// initial liquidity and recorded as `dex` (see `deploy::dex`).
    #[arg(long, env = "LP_TOKEN")]
    pub lp_token: Option<Address>,
    /// Uniswap V2-compatible router 02 of the chain (its factory and WETH are read from it).
    /// Unset on a chain without a pool: Uniswap V2 is deployed from its npm artifacts.
    #[arg(long, env = "DEX_ROUTER")]
    pub dex_router: Option<Address>,
    /// Initial liquidity of a new pool: whole ETH (wrapped to WETH by the router).
    #[arg(long, env = "POOL_ETH", default_value_t = 100)]
    pub pool_eth: u64,
    /// Initial liquidity of a new pool: whole agent tokens from the deployer.
    #[arg(long, env = "POOL_TOKENS", default_value_t = 100_000_000)]
    pub pool_tokens: u64,
    /// Revenue: basis points of incoming revenue kept for the treasury (the rest buys back and
    /// burns).
    #[arg(long, env = "REVENUE_TREASURY_SHARE_BPS", default_value_t = 2_000)]
    pub treasury_share_bps: u16,
    /// Revenue: minimum age of the price observation a buyback averages from, seconds.
    #[arg(long, env = "TWAP_WINDOW", default_value_t = 1_800)]
    pub twap_window: u32,
    /// Revenue: the buyback's minimum output below the TWAP quote, basis points (at most
    /// 1,000).
    #[arg(long, env = "MAX_SLIPPAGE_BPS", default_value_t = 300)]
    pub max_slippage_bps: u16,
    /// Revenue: largest spot/TWAP deviation a buyback accepts, basis points (at most 2,000).
    #[arg(long, env = "MAX_DEVIATION_BPS", default_value_t = 200)]
    pub max_deviation_bps: u16,
    /// Revenue: length of a buyback cap period, seconds.
    #[arg(long, env = "BUYBACK_CAP_PERIOD", default_value_t = 86_400)]
    pub cap_period: u32,
    /// Revenue: wei swapped per cap period at most.
    #[arg(
        long,
        env = "BUYBACK_CAP",
        default_value = "10000000000000000000",
        value_parser = parse_u256
    )]
    pub cap_per_period: U256,
    /// Highest commission a validator may charge, basis points of its rewards.
    #[arg(long, env = "MAX_COMMISSION_BPS", default_value_t = 2_000)]
    pub max_commission_bps: u16,
    /// Unbonding period of unstaked LP tokens, seconds.
    #[arg(long, env = "UNBONDING_PERIOD", default_value_t = 7 * 86_400)]
    pub unbonding_period: u64,
    /// Delay between a proposal and the start of voting, seconds.
    #[arg(long, env = "VOTING_DELAY", default_value_t = 3_600)]
    pub voting_delay: u64,
    /// Voting period, seconds.
    #[arg(long, env = "VOTING_PERIOD", default_value_t = 3 * 86_400)]
    pub voting_period: u64,
    /// Voting power needed to propose, in LP token units (wei).
    #[arg(
        long,
        env = "PROPOSAL_THRESHOLD",
        default_value = "1000000000000000000",
        value_parser = parse_u256
    )]
    pub proposal_threshold: U256,
    /// Quorum as basis points of the total voting power at the snapshot.
    #[arg(long, env = "QUORUM_BPS", default_value_t = 400)]
    pub quorum_bps: u64,
    /// Timelock between a passed proposal and its execution, seconds.
    #[arg(long, env = "TIMELOCK_DELAY", default_value_t = 86_400)]
    pub timelock_delay: u64,
    /// How long a queued proposal stays executable, seconds.
    #[arg(long, env = "GRACE_PERIOD", default_value_t = 14 * 86_400)]
    pub grace_period: u64,
    /// OML: how long a fingerprint claim can be disputed, seconds.
    #[arg(long, env = "CHALLENGE_WINDOW", default_value_t = 3 * 86_400)]
    pub challenge_window: u64,
    /// OML: collateral withdrawal cooldown after terminating a license, seconds (longer than
    /// the challenge window).
    #[arg(long, env = "COLLATERAL_COOLDOWN", default_value_t = 7 * 86_400)]
    pub collateral_cooldown: u64,
    /// OML: prover bond as basis points of the accused license's collateral.
    #[arg(long, env = "CLAIM_BOND_BPS", default_value_t = 1_000)]
    pub claim_bond_bps: u16,
    /// OML: prover bounty as basis points of the slashed collateral.
    #[arg(long, env = "BOUNTY_BPS", default_value_t = 1_000)]
    pub bounty_bps: u16,
    /// OML: protocol share (to the treasury) as basis points of a slashed collateral.
    #[arg(long, env = "PROTOCOL_SLASH_BPS", default_value_t = 1_000)]
    pub protocol_slash_bps: u16,
}

impl Default for SystemParams {
    fn default() -> Self {
        Self {
            token_name: "Agent Token".into(),
            token_symbol: "AGENT".into(),
            token_supply: 1_000_000_000,
            tax_bps: 100,
            lp_token: None,
            dex_router: None,
            pool_eth: 100,
            pool_tokens: 100_000_000,
            treasury_share_bps: 2_000,
            twap_window: 1_800,
            max_slippage_bps: 300,
            max_deviation_bps: 200,
            cap_period: 86_400,
            cap_per_period: U256::exp10(19),
            max_commission_bps: 2_000,
            unbonding_period: 7 * 86_400,
            voting_delay: 3_600,
            voting_period: 3 * 86_400,
            proposal_threshold: U256::exp10(18),
            quorum_bps: 400,
            timelock_delay: 86_400,
            grace_period: 14 * 86_400,
            challenge_window: 3 * 86_400,
            collateral_cooldown: 7 * 86_400,
            claim_bond_bps: 1_000,
            bounty_bps: 1_000,
            protocol_slash_bps: 1_000,
        }
    }
}

impl SystemParams {
    /// The deployment parameters these flags give, named exactly as the constructor inputs
    /// they fill (see `deploy::system::CONTRACTS`), with `deployer` as the first governance,
    /// treasury and token holder (governance moves to the SubDAO during wiring).
    pub fn values(&self, deployer: Address) -> ParamValues {
        let mut values = ParamValues::new();
        let deployer = format!("{deployer:#x}");
        for name in ["governance", "treasury", "initial_holder"] {
            values.set(name, deployer.clone());
        }
        values.set("name", self.token_name.clone());
        values.set("symbol", self.token_symbol.clone());
        let supply = U256::from(self.token_supply) * U256::exp10(18);
        values.set("initial_supply", supply.to_string());
        values.set("tax_bps", self.tax_bps.to_string());
        if let Some(lp) = self.lp_token {
            values.set(LP_TOKEN, format!("{lp:#x}"));
        }
        if let Some(router) = self.dex_router {
            values.set(DEX_ROUTER, format!("{router:#x}"));
        }
        values.set(
            POOL_ETH,
            (U256::from(self.pool_eth) * U256::exp10(18)).to_string(),
        );
        values.set(
            POOL_TOKENS,
            (U256::from(self.pool_tokens) * U256::exp10(18)).to_string(),
        );
        let numbers: [(&str, String); 19] = [
            ("treasury_share_bps", self.treasury_share_bps.to_string()),
            ("twap_window", self.twap_window.to_string()),
            ("max_slippage_bps", self.max_slippage_bps.to_string()),
            ("max_deviation_bps", self.max_deviation_bps.to_string()),
            ("cap_period", self.cap_period.to_string()),
            ("cap_per_period", self.cap_per_period.to_string()),
            ("unbonding_period", self.unbonding_period.to_string()),
            ("max_commission_bps", self.max_commission_bps.to_string()),
            ("voting_delay", self.voting_delay.to_string()),
            ("voting_period", self.voting_period.to_string()),
            ("proposal_threshold", self.proposal_threshold.to_string()),
            ("quorum_bps", self.quorum_bps.to_string()),
            ("timelock_delay", self.timelock_delay.to_string()),
            ("grace_period", self.grace_period.to_string()),
            ("challengeWindow", self.challenge_window.to_string()),
            ("cooldown", self.collateral_cooldown.to_string()),
            ("claimBondBps", self.claim_bond_bps.to_string()),
            ("bountyBps", self.bounty_bps.to_string()),
            ("protocolSlashBps", self.protocol_slash_bps.to_string()),
        ];
        for (name, value) in numbers {
            values.set(name, value);
        }
        values
    }
}

/// The vault's constructor input naming the LP token it stakes.
pub const LP_TOKEN: &str = "lp_token";

/// The revenue program's constructor input naming the Uniswap V2 router 02.
pub const DEX_ROUTER: &str = "dex_router";

/// The revenue program's constructor input naming the agent token's AGENT/WETH pair.
pub const DEX_PAIR: &str = "dex_pair";

/// The deployment parameter naming a new pool's initial ETH liquidity (wei).
pub const POOL_ETH: &str = "pool_eth";

/// The deployment parameter naming a new pool's initial agent-token liquidity (base units).
pub const POOL_TOKENS: &str = "pool_tokens";

/// Whether `values` names an LP token for the vault (`--lp-token` / `LP_TOKEN` or
/// `--param lp_token=..`).
pub fn has_lp_token(values: &ParamValues) -> bool {
    values.get(LP_TOKEN).is_some()
}

/// Parses a decimal (or `0x` hex) 256-bit number; ethers' `FromStr` would read decimal digits
/// as hex.
///
/// # Errors
/// A message when it is not a number.
pub fn parse_u256(text: &str) -> Result<U256, String> {
    match text.trim().strip_prefix("0x") {
        Some(hex) => U256::from_str_radix(hex, 16).map_err(|e| e.to_string()),
        None => U256::from_dec_str(text.trim()).map_err(|e| e.to_string()),
    }
}

/// Parses `name=value`.
///
/// # Errors
/// A message when there is no `=` or the name is empty.
pub fn parse_key_value(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected name=value, got `{text}`"))?;
    if key.trim().is_empty() {
        return Err(format!("empty parameter name in `{text}`"));
    }
    Ok((key.trim().to_string(), value.trim().to_string()))
}

impl DeployArgs {
    /// The deployer key: `PRIVATE_KEY` or the nitro-devnode dev key.
    pub fn key(&self) -> &str {
        self.private_key.as_deref().unwrap_or(NITRO_DEV_KEY)
    }

    /// The salt bytes (zero = CREATE).
    pub fn salt_bytes(&self) -> [u8; 32] {
        self.salt.map(|s| s.0).unwrap_or_default()
    }

    /// Constructor values: [`SystemParams::values`] then every `--param`.
    ///
    /// # Errors
    /// [`DeployError::UnknownParam`] for a `--param` name that is no constructor input's exact
    /// name (nor `pool_eth` / `pool_tokens`).
    pub fn values(&self, deployer: Address) -> Result<ParamValues, DeployError> {
        let mut values = self.params.values(deployer);
        let known = param_names();
        for (key, value) in &self.extra {
            if !known.contains(&key.as_str()) && key != POOL_ETH && key != POOL_TOKENS {
                return Err(DeployError::UnknownParam {
                    param: key.clone(),
                    known: known.join(", "),
                });
            }
            values.set(key, value.clone());
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse_and_match_default_impl() {
        let args = DeployArgs::try_parse_from(["deploy"]).unwrap();
        assert_eq!(args.params, SystemParams::default());
        assert_eq!(args.devnode_port, 8547);
        assert_eq!(args.key(), NITRO_DEV_KEY);
        assert_eq!(args.salt_bytes(), [0; 32]);
        assert!(!args.dry_run && !args.force && !args.exit);
        assert!(!args.demo && !args.verify_wiring);
        let args = DeployArgs::try_parse_from(["deploy", "--demo"]).unwrap();
        assert!(args.demo);
        assert!(DeployArgs::try_parse_from(["deploy", "--demo", "--verify-wiring"]).is_err());
        assert!(DeployArgs::try_parse_from(["deploy", "--verify-wiring", "--dry-run"]).is_err());
    }

    #[test]
    fn flags_and_params_become_values() {
        let args = DeployArgs::try_parse_from([
            "deploy",
            "--only",
            "agent-token",
            "--only",
            "subdao",
            "--tax-bps",
            "50",
            "--token-supply",
            "2",
            "--param",
            "voting_delay=60",
            "--param",
            "vault = 0x01",
        ])
        .unwrap();
        assert_eq!(
            args.only,
            vec![ContractKind::AgentToken, ContractKind::Subdao]
        );
        let deployer = Address::repeat_byte(0xaa);
        let values = args.values(deployer).unwrap();
        assert_eq!(values.get("tax_bps"), Some("50"));
        assert_eq!(values.get("initial_supply"), Some("2000000000000000000"));
        assert_eq!(values.get("voting_delay"), Some("60"));
        assert_eq!(values.get("vault"), Some("0x01"));
        assert_eq!(
            values.get("governance"),
            Some(format!("{deployer:#x}").as_str())
        );
        assert_eq!(values.get("lp_token"), None);
        assert_eq!(values.get("dex_router"), None);
        assert_eq!(values.get("twap_window"), Some("1800"));
        assert_eq!(values.get("pool_eth"), Some("100000000000000000000"));
        // Names are exact: another spelling is refused, naming the known ones.
        let args = DeployArgs::try_parse_from(["deploy", "--param", "votingDelay=60"]).unwrap();
        let err = args.values(deployer).unwrap_err().to_string();
        assert!(err.contains("votingDelay"), "{err}");
        assert!(err.contains("voting_delay"), "{err}");
    }

    #[test]
    fn lp_token_is_only_set_when_configured() {
        let values = SystemParams::default().values(Address::zero());
        assert!(!has_lp_token(&values));
        let lp = Address::repeat_byte(0x22);
        let params = SystemParams {
            lp_token: Some(lp),
            ..SystemParams::default()
        };
        let values = params.values(Address::zero());
        assert!(has_lp_token(&values));
        assert_eq!(values.get("lp_token"), Some(format!("{lp:#x}").as_str()));
    }

    #[test]
    fn defaults_fill_every_constructor() {
        let mut values = SystemParams::default().values(Address::repeat_byte(0xaa));
        // The pipeline sets the pool's LP token, router and pair after setting up the pool,
        // each contract's address after deploying it and a split contract's extension address
        // before it.
        for name in [LP_TOKEN, DEX_ROUTER, DEX_PAIR] {
            values.set(name, format!("{:#x}", Address::repeat_byte(0x77)));
        }
        values.set_extension(Some(Address::repeat_byte(0x78)));
        for (i, kind) in ContractKind::ALL.into_iter().enumerate() {
            let data = values.init_data(kind);
            assert!(data.is_ok(), "{kind}: {}", data.unwrap_err());
            values.set_address(kind, Address::repeat_byte(i as u8 + 1));
        }
    }

    #[test]
    fn bad_flags_are_refused() {
        assert!(parse_key_value("novalue").is_err());
        assert_eq!(parse_u256("10").unwrap(), U256::from(10));
        assert_eq!(parse_u256("0x10").unwrap(), U256::from(16));
        assert!(parse_u256("ten").is_err());
        assert!(parse_key_value("=1").is_err());
        assert!(DeployArgs::try_parse_from(["deploy", "--only", "nope"]).is_err());
        assert!(DeployArgs::try_parse_from(["deploy", "--tax-bps", "70000"]).is_err());
    }
}
