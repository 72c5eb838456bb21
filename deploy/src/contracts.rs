//! The six contracts of the system, their deployment order and their constructor arguments.
//!
//! Constructor arguments are not hard-coded per contract: the constructor's inputs are read from
//! the contract's committed ABI (`abi/<Name>.json`, kept in sync with the code by xtask) and each
//! input is looked up by name in a [`ParamValues`] table (deployment parameters from the config
//! plus the addresses of contracts deployed earlier in the run). Names are compared without
//! case and underscores, so `voting_delay`, `votingDelay` and `VOTING_DELAY` are the same key.
//! Struct (tuple) inputs are filled component by component the same way. A constructor change in
//! a contract therefore needs no change here unless it introduces a brand-new parameter, and then
//! the error names it and `--param name=value` supplies it.
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use ethers::abi::{self, ParamType, Token};
use ethers::types::{Address, Bytes, H256, I256, U256};
use serde::Deserialize;

use crate::error::DeployError;

/// A contract of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum ContractKind {
    /// The taxed ERC-20 agent token.
    AgentToken,
    /// LP staking, delegation and voting power.
    StakingVault,
    /// Model registry, validation sessions and Elo ratings.
    EloLedger,
    /// OML licenses, usage fees and fingerprint claims.
    OmlRegistry,
    /// The agent's governor and treasury.
    Subdao,
    /// Epoch rewards to validators by stake and validation quality, to the best models and to
    /// datasets by impact; low-agreement jail.
    Rewards,
    /// Inference payments and the TWAP-guarded buyback-and-burn.
    Revenue,
}

impl ContractKind {
    /// Every contract in deployment order: each one's constructor only needs addresses of
    /// contracts before it (the SubDAO needs the vault and the Elo ledger; the OML registry,
    /// the revenue program and the rewards program come after the SubDAO so they are created
    /// with the SubDAO as governance (and the revenue program's treasury); the revenue program
    /// also needs the agent token's pool, set up before the vault).
    pub const ALL: [ContractKind; 7] = [
        ContractKind::AgentToken,
        ContractKind::StakingVault,
        ContractKind::EloLedger,
        ContractKind::Subdao,
        ContractKind::OmlRegistry,
        ContractKind::Revenue,
        ContractKind::Rewards,
    ];

    /// Cargo package name (also the key in `deployments/<chainid>.json`).
    pub fn package(self) -> &'static str {
        match self {
            ContractKind::AgentToken => "agent-token",
            ContractKind::StakingVault => "staking-vault",
            ContractKind::EloLedger => "elo-ledger",
            ContractKind::OmlRegistry => "oml-registry",
            ContractKind::Subdao => "subdao",
            ContractKind::Rewards => "rewards",
            ContractKind::Revenue => "revenue",
        }
    }

    /// Contract name in `abi/` (`abi/<name>.json`).
    pub fn abi_name(self) -> &'static str {
        match self {
            ContractKind::AgentToken => "AgentToken",
            ContractKind::StakingVault => "StakingVault",
            ContractKind::EloLedger => "EloLedger",
            ContractKind::OmlRegistry => "OmlRegistry",
            ContractKind::Subdao => "SubDao",
            ContractKind::Rewards => "Rewards",
            ContractKind::Revenue => "Revenue",
        }
    }

    /// Parameter names under which this contract's address is offered to later constructors.
    pub fn address_keys(self) -> &'static [&'static str] {
        match self {
            ContractKind::AgentToken => &["agentToken", "token", "rewardToken"],
            ContractKind::StakingVault => &["vault", "stakingVault"],
            ContractKind::EloLedger => &["eloLedger", "ledger"],
            ContractKind::OmlRegistry => &["omlRegistry", "registry"],
            ContractKind::Subdao => &["subdao", "subDao", "dao"],
            ContractKind::Rewards => &["rewards", "rewardsProgram"],
            ContractKind::Revenue => &["revenue", "revenueProgram"],
        }
    }

    /// The extension program of a contract that runs as two programs behind one address (the
    /// core's fallback delegate-calls the extension, see `agentdao_common::extension`): it is
    /// built and size-checked with the core, deployed before it, recorded under this package
    /// name, and its address is the core's `extension` constructor input.
    pub fn extension(self) -> Option<&'static str> {
        crate::build::extension_of(self.package())
    }

    /// The contract with this package name.
    pub fn from_package(package: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.package() == package)
    }
}

impl fmt::Display for ContractKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.package())
    }
}

/// Selector of `stylus_constructor()`, the entry the StylusDeployer calls with the
/// constructor arguments.
pub fn stylus_constructor_selector() -> [u8; 4] {
    ethers::utils::id("stylus_constructor()")
}

/// One input of a constructor (or a component of a struct input), as the JSON ABI lists it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct AbiInput {
    /// Parameter name.
    #[serde(default)]
    pub name: String,
    /// Solidity type, `tuple` for structs.
    #[serde(rename = "type")]
    pub ty: String,
    /// Struct components.
    #[serde(default)]
    pub components: Vec<AbiInput>,
}

#[derive(Deserialize)]
struct AbiItem {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    inputs: Vec<AbiInput>,
}

/// The constructor inputs of `contract` from `abi_dir/<Name>.json`; `None` when the contract
/// has no constructor.
///
/// # Errors
/// [`DeployError::Abi`] when the file is missing or not a JSON ABI.
pub fn constructor_inputs(
    abi_dir: &Path,
    contract: ContractKind,
) -> Result<Option<Vec<AbiInput>>, DeployError> {
    let path = abi_dir.join(format!("{}.json", contract.abi_name()));
    let text = std::fs::read_to_string(&path).map_err(|e| DeployError::Abi {
        contract: contract.package().into(),
        reason: format!(
            "cannot read {}: {e} (run `cargo run -p xtask -- abi` to export the ABIs)",
            path.display()
        ),
    })?;
    let mut inputs = parse_constructor(&text).map_err(|reason| DeployError::Abi {
        contract: contract.package().into(),
        reason: format!("{}: {reason}", path.display()),
    })?;
    // The SDK's JSON export leaves struct components unnamed; the Solidity interface names them.
    let needs_names = |inputs: &[AbiInput]| {
        inputs
            .iter()
            .any(|i| i.components.iter().any(|c| c.name.is_empty()))
    };
    if let Some(list) = inputs.as_mut().filter(|list| needs_names(list)) {
        let sol = abi_dir.join(format!("I{}.sol", contract.abi_name()));
        if let Ok(source) = std::fs::read_to_string(&sol) {
            name_components(list, &solidity_structs(&source));
        }
    }
    Ok(inputs)
}

/// The structs declared in a Solidity source: name and `(type, field name)` pairs, in order.
pub fn solidity_structs(source: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut structs = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find("struct ") {
        rest = &rest[start + "struct ".len()..];
        let (Some(open), Some(close)) = (rest.find('{'), rest.find('}')) else {
            break;
        };
        if close < open {
            continue;
        }
        let name = rest[..open].trim().to_string();
        let fields = rest[open + 1..close]
            .split(';')
            .filter_map(|field| {
                let mut words = field.split_whitespace();
                Some((words.next()?.to_string(), words.last()?.to_string()))
            })
            .collect();
        structs.push((name, fields));
        rest = &rest[close..];
    }
    structs
}

/// Names the unnamed components of tuple inputs after the first struct of `structs` whose
/// field types are the tuple's component types.
pub fn name_components(inputs: &mut [AbiInput], structs: &[(String, Vec<(String, String)>)]) {
    for input in inputs.iter_mut().filter(|i| !i.components.is_empty()) {
        name_components(&mut input.components, structs);
        if input.components.iter().all(|c| !c.name.is_empty()) {
            continue;
        }
        let found = structs.iter().find(|(_, fields)| {
            fields.len() == input.components.len()
                && fields
                    .iter()
                    .zip(&input.components)
                    .all(|((ty, _), c)| *ty == c.ty || (c.ty == "tuple" && !ty.is_empty()))
        });
        if let Some((_, fields)) = found {
            for (component, (_, name)) in input.components.iter_mut().zip(fields) {
                if component.name.is_empty() {
                    component.name = name.clone();
                }
            }
        }
    }
}

/// The constructor inputs in a JSON ABI text; `None` when it has no constructor.
///
/// # Errors
/// A message when the text is not a JSON ABI array.
pub fn parse_constructor(json: &str) -> Result<Option<Vec<AbiInput>>, String> {
    let items: Vec<AbiItem> = serde_json::from_str(json).map_err(|e| e.to_string())?;
    Ok(items
        .into_iter()
        .find(|item| item.kind == "constructor")
        .map(|item| item.inputs))
}

/// Deployment parameters by name: config values, `--param` overrides and deployed addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamValues {
    values: BTreeMap<String, String>,
}

/// A parameter name with case and underscores removed.
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

impl ParamValues {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` (normalized) to `value`, replacing an earlier value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(normalize(name), value.into());
    }

    /// Sets every name in `names` to `value`.
    pub fn set_all(&mut self, names: &[&str], value: impl Into<String>) {
        let value = value.into();
        for name in names {
            self.set(name, value.clone());
        }
    }

    /// The value of `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(&normalize(name)).map(String::as_str)
    }

    /// Offers `address` under every key of `contract` ([`ContractKind::address_keys`]).
    pub fn set_address(&mut self, contract: ContractKind, address: Address) {
        self.set_all(contract.address_keys(), format!("{address:#x}"));
    }

    /// ABI-encodes the constructor call for `contract`: `stylus_constructor()` selector +
    /// arguments, or empty bytes when there is no constructor.
    ///
    /// # Errors
    /// [`DeployError::MissingParam`] naming an input with no value, [`DeployError::BadParam`]
    /// for a value that does not parse as the input's type.
    pub fn init_data(
        &self,
        contract: ContractKind,
        inputs: Option<&[AbiInput]>,
    ) -> Result<Bytes, DeployError> {
        let Some(inputs) = inputs else {
            return Ok(Bytes::new());
        };
        let tokens = inputs
            .iter()
            .map(|input| self.token(contract, input, ""))
            .collect::<Result<Vec<_>, _>>()?;
        let mut data = stylus_constructor_selector().to_vec();
        data.extend(abi::encode(&tokens));
        Ok(data.into())
    }

    fn token(
        &self,
        contract: ContractKind,
        input: &AbiInput,
        prefix: &str,
    ) -> Result<Token, DeployError> {
        let path = if prefix.is_empty() {
            input.name.clone()
        } else {
            format!("{prefix}.{}", input.name)
        };
        if input.ty == "tuple" {
            let parts = input
                .components
                .iter()
                .map(|c| self.token(contract, c, &path))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Token::Tuple(parts));
        }
        let value = self
            .get(&input.name)
            .ok_or_else(|| DeployError::MissingParam {
                contract: contract.package().into(),
                param: path.clone(),
                ty: input.ty.clone(),
            })?;
        parse_token(&input.ty, value).map_err(|reason| DeployError::BadParam {
            contract: contract.package().into(),
            param: path,
            ty: input.ty.clone(),
            value: value.to_string(),
            reason,
        })
    }
}

/// Parses `value` as a Solidity value of type `ty` (address, bool, string, uintN, intN, bytesN,
/// bytes), with range checks for sized integers.
///
/// # Errors
/// A message saying why the value does not fit the type.
pub fn parse_token(ty: &str, value: &str) -> Result<Token, String> {
    let kind = abi::param_type::Reader::read(ty).map_err(|e| format!("unknown type: {e}"))?;
    let value = value.trim();
    match kind {
        ParamType::Address => value
            .parse::<Address>()
            .map(Token::Address)
            .map_err(|e| format!("not an address: {e}")),
        ParamType::Bool => match value {
            "true" | "1" => Ok(Token::Bool(true)),
            "false" | "0" => Ok(Token::Bool(false)),
            _ => Err("expected true or false".into()),
        },
        ParamType::String => Ok(Token::String(value.to_string())),
        ParamType::Uint(bits) => {
            let n = parse_uint(value)?;
            if bits < 256 && n >= U256::one() << bits {
                return Err(format!("does not fit in uint{bits}"));
            }
            Ok(Token::Uint(n))
        }
        ParamType::Int(bits) => {
            let n = I256::from_dec_str(value).map_err(|e| format!("not an integer: {e}"))?;
            let limit = I256::one() << (bits - 1);
            if bits < 256 && (n >= limit || n < -limit) {
                return Err(format!("does not fit in int{bits}"));
            }
            Ok(Token::Int(n.into_raw()))
        }
        ParamType::FixedBytes(len) => {
            let bytes = decode_hex(value)?;
            if bytes.len() != len {
                return Err(format!("expected {len} bytes, got {}", bytes.len()));
            }
            Ok(Token::FixedBytes(bytes))
        }
        ParamType::Bytes => decode_hex(value).map(Token::Bytes),
        other => Err(format!(
            "type {other} is not supported as a deployment parameter"
        )),
    }
}

fn parse_uint(value: &str) -> Result<U256, String> {
    let clean: String = value.chars().filter(|c| *c != '_').collect();
    if let Some(hex) = clean.strip_prefix("0x") {
        U256::from_str_radix(hex, 16).map_err(|e| format!("not a hex number: {e}"))
    } else {
        U256::from_dec_str(&clean).map_err(|e| format!("not a decimal number: {e}"))
    }
}

fn decode_hex(value: &str) -> Result<Vec<u8>, String> {
    let hex = value.strip_prefix("0x").unwrap_or(value);
    ethers::utils::hex::decode(hex).map_err(|e| format!("not hex: {e}"))
}

/// keccak256 of `data`.
pub fn keccak(data: &[u8]) -> H256 {
    H256(ethers::utils::keccak256(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SUBDAO_ABI: &str = r#"[
        {"type":"function","name":"vault","inputs":[],"outputs":[{"name":"","type":"address"}]},
        {"type":"constructor","inputs":[
            {"name":"vault","type":"address"},
            {"name":"elo_ledger","type":"address"},
            {"name":"voting_delay","type":"uint64"},
            {"name":"quorumBps","type":"uint64"}
        ]}
    ]"#;

    const STRUCT_ABI: &str = r#"[
        {"type":"constructor","inputs":[
            {"name":"governance","type":"address"},
            {"name":"params","type":"tuple","components":[
                {"name":"treasury","type":"address"},
                {"name":"challengeWindow","type":"uint64"},
                {"name":"claimBondBps","type":"uint16"}
            ]}
        ]}
    ]"#;

    fn addr(byte: u8) -> Address {
        Address::repeat_byte(byte)
    }

    #[test]
    fn unnamed_struct_components_take_the_solidity_field_names() {
        let sol = "interface I { struct Terms {address asset;uint256 fee;} \
                   struct Params {address treasury;uint64 challengeWindow;uint16 bountyBps;} }";
        let structs = solidity_structs(sol);
        assert_eq!(structs.len(), 2);
        assert_eq!(structs[1].0, "Params");
        let mut inputs = parse_constructor(
            r#"[{"type":"constructor","inputs":[{"name":"governance","type":"address"},
                {"name":"params","type":"tuple","components":[{"name":"","type":"address"},
                {"name":"","type":"uint64"},{"name":"","type":"uint16"}]}]}]"#,
        )
        .unwrap()
        .unwrap();
        name_components(&mut inputs, &structs);
        let names: Vec<&str> = inputs[1]
            .components
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["treasury", "challengeWindow", "bountyBps"]);
    }

    #[test]
    fn the_committed_oml_constructor_is_fully_named() {
        let abi_dir = crate::build::Workspace::locate().root.join("abi");
        let inputs = constructor_inputs(&abi_dir, ContractKind::OmlRegistry)
            .unwrap()
            .unwrap();
        for input in &inputs {
            assert!(!input.name.is_empty());
            assert!(
                input.components.iter().all(|c| !c.name.is_empty()),
                "{inputs:?}"
            );
        }
    }

    #[test]
    fn selector_is_stylus_constructor() {
        assert_eq!(stylus_constructor_selector(), [0x55, 0x85, 0x25, 0x8d]);
    }

    #[test]
    fn names_normalize_across_styles() {
        assert_eq!(normalize("voting_delay"), "votingdelay");
        assert_eq!(normalize("votingDelay"), "votingdelay");
        assert_eq!(normalize("VOTING_DELAY"), "votingdelay");
        assert_eq!(normalize("voting-delay"), "votingdelay");
    }

    #[test]
    fn encodes_constructor_by_name() {
        let inputs = parse_constructor(SUBDAO_ABI).unwrap().unwrap();
        let mut values = ParamValues::new();
        values.set_address(ContractKind::StakingVault, addr(1));
        values.set_address(ContractKind::EloLedger, addr(2));
        values.set("VOTING_DELAY", "3600");
        values.set("quorum_bps", "400");
        let data = values
            .init_data(ContractKind::Subdao, Some(&inputs))
            .unwrap();
        assert_eq!(data[..4], stylus_constructor_selector());
        let want = abi::encode(&[
            Token::Address(addr(1)),
            Token::Address(addr(2)),
            Token::Uint(3600.into()),
            Token::Uint(400.into()),
        ]);
        assert_eq!(data[4..], want[..]);
    }

    #[test]
    fn encodes_struct_components_by_name() {
        let inputs = parse_constructor(STRUCT_ABI).unwrap().unwrap();
        let mut values = ParamValues::new();
        values.set("governance", format!("{:#x}", addr(7)));
        values.set("treasury", format!("{:#x}", addr(8)));
        values.set("challenge_window", "0x10");
        values.set("claim_bond_bps", "1_000");
        let data = values
            .init_data(ContractKind::OmlRegistry, Some(&inputs))
            .unwrap();
        let want = abi::encode(&[
            Token::Address(addr(7)),
            Token::Tuple(vec![
                Token::Address(addr(8)),
                Token::Uint(16.into()),
                Token::Uint(1000.into()),
            ]),
        ]);
        assert_eq!(data[4..], want[..]);
    }

    #[test]
    fn missing_param_names_contract_path_and_type() {
        let inputs = parse_constructor(STRUCT_ABI).unwrap().unwrap();
        let mut values = ParamValues::new();
        values.set("governance", format!("{:#x}", addr(7)));
        values.set("treasury", format!("{:#x}", addr(8)));
        let err = values
            .init_data(ContractKind::OmlRegistry, Some(&inputs))
            .unwrap_err()
            .to_string();
        assert!(err.contains("oml-registry"), "{err}");
        assert!(err.contains("params.challengeWindow"), "{err}");
        assert!(err.contains("uint64"), "{err}");
        assert!(err.contains("--param"), "{err}");
    }

    #[test]
    fn no_constructor_means_no_init_data() {
        assert_eq!(parse_constructor("[]").unwrap(), None);
        let data = ParamValues::new()
            .init_data(ContractKind::EloLedger, None)
            .unwrap();
        assert!(data.is_empty());
    }

    #[test]
    fn bad_values_are_refused_with_reason() {
        assert!(parse_token("uint16", "65536")
            .unwrap_err()
            .contains("uint16"));
        assert_eq!(
            parse_token("uint16", "65535").unwrap(),
            Token::Uint(65535.into())
        );
        assert!(parse_token("address", "0x12").is_err());
        assert!(parse_token("bool", "yes").is_err());
        assert!(parse_token("bytes32", "0x1234")
            .unwrap_err()
            .contains("32 bytes"));
        assert!(parse_token("int8", "128").is_err());
        assert_eq!(
            parse_token("int8", "-128").unwrap(),
            Token::Int(I256::from(-128).into_raw())
        );
        assert!(parse_token("uint256[]", "1").is_err());
        let mut values = ParamValues::new();
        values.set("vault", "nope");
        let inputs = parse_constructor(SUBDAO_ABI).unwrap().unwrap();
        let err = values
            .init_data(ContractKind::Subdao, Some(&inputs))
            .unwrap_err();
        assert!(matches!(err, DeployError::BadParam { .. }), "{err}");
    }

    #[test]
    fn reads_abi_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SubDao.json"), SUBDAO_ABI).unwrap();
        let inputs = constructor_inputs(dir.path(), ContractKind::Subdao)
            .unwrap()
            .unwrap();
        assert_eq!(inputs.len(), 4);
        let err = constructor_inputs(dir.path(), ContractKind::AgentToken).unwrap_err();
        assert!(err.to_string().contains("AgentToken.json"), "{err}");
        assert!(err.to_string().contains("xtask -- abi"), "{err}");
    }

    #[test]
    fn kinds_round_trip_through_package_names() {
        for kind in ContractKind::ALL {
            assert_eq!(ContractKind::from_package(kind.package()), Some(kind));
        }
        assert_eq!(ContractKind::from_package("nope"), None);
    }

    proptest! {
        #[test]
        fn uints_round_trip(n in any::<u64>()) {
            prop_assert_eq!(parse_token("uint64", &n.to_string()).unwrap(), Token::Uint(n.into()));
            prop_assert_eq!(
                parse_token("uint256", &format!("{n:#x}")).unwrap(),
                Token::Uint(n.into())
            );
        }
    }
}
