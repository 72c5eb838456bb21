//! Constructor arguments: the values of the inputs [`CONTRACTS`] lists, ABI-encoded.
//!
//! Each constructor input is listed with its exact ABI name and where its value comes from
//! ([`Source`]): an earlier contract's address, the contract's extension program, the SubDAO (or
//! the deployer before it exists), or the deployment parameter of that exact name (a flag of
//! `deploy` or `--param name=value`). A test checks the list against the committed ABIs
//! (`abi/<Name>.json`, struct fields named by `abi/I<Name>.sol`), so a constructor change fails
//! until the list states where the new input's value comes from.
use std::collections::BTreeMap;
use std::path::Path;

use ethers::abi::{self, ParamType, Token};
use ethers::types::{Address, Bytes, H256, I256, U256};
use serde::Deserialize;

use crate::error::DeployError;
pub use crate::system::{ContractKind, Input, Source, CONTRACTS};

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

/// The values the constructors are encoded from: deployment parameters by exact name (config
/// values and `--param` overrides), the addresses of the contracts deployed (or recorded) so far
/// and the address of the extension program of the contract being deployed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParamValues {
    params: BTreeMap<String, String>,
    addresses: BTreeMap<ContractKind, Address>,
    extension: Option<Address>,
}

impl ParamValues {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the deployment parameter `name` (exact, as the constructor input is named in the
    /// ABI) to `value`, replacing an earlier value.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.params.insert(name.to_string(), value.into());
    }

    /// The deployment parameter `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// The parameter names set, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.params.keys().map(String::as_str)
    }

    /// Records the address of `contract` (deployed or recorded), for the inputs that take it
    /// ([`Source::Contract`], and [`Source::Dao`] for the SubDAO).
    pub fn set_address(&mut self, contract: ContractKind, address: Address) {
        self.addresses.insert(contract, address);
    }

    /// The address of `contract`, if deployed or recorded.
    pub fn address(&self, contract: ContractKind) -> Option<Address> {
        self.addresses.get(&contract).copied()
    }

    /// Sets the address of the extension program of the contract deployed next
    /// ([`Source::Extension`]; `None` for a contract that runs as one program).
    pub fn set_extension(&mut self, address: Option<Address>) {
        self.extension = address;
    }

    /// ABI-encodes the constructor call for `contract` from its inputs in [`CONTRACTS`]:
    /// `stylus_constructor()` selector + arguments, or empty bytes when it has no constructor.
    ///
    /// # Errors
    /// [`DeployError::MissingDependency`] for the address of a contract neither deployed nor
    /// given, [`DeployError::MissingParam`] naming an input with no value,
    /// [`DeployError::BadParam`] for a value that does not parse as the input's type.
    pub fn init_data(&self, contract: ContractKind) -> Result<Bytes, DeployError> {
        let inputs = contract.row().constructor;
        if inputs.is_empty() {
            return Ok(Bytes::new());
        }
        let tokens = inputs
            .iter()
            .map(|input| self.token(contract, input))
            .collect::<Result<Vec<_>, _>>()?;
        let mut data = stylus_constructor_selector().to_vec();
        data.extend(abi::encode(&tokens));
        Ok(data.into())
    }

    /// The value of `input` as text, before parsing.
    fn value(&self, contract: ContractKind, input: &Input) -> Result<String, DeployError> {
        let param = || self.get(input.name).map(str::to_string);
        let value = match input.source {
            Source::Contract(dependency) => self
                .address(dependency)
                .map(|a| format!("{a:#x}"))
                .or_else(param)
                .ok_or_else(|| DeployError::MissingDependency {
                    contract: contract.package().into(),
                    dependency: dependency.package().into(),
                    param: input.name.to_string(),
                })?,
            Source::Dao => self
                .address(ContractKind::Subdao)
                .map(|a| format!("{a:#x}"))
                .or_else(param)
                .ok_or_else(|| missing(contract, input))?,
            Source::Extension => self
                .extension
                .map(|a| format!("{a:#x}"))
                .ok_or_else(|| missing(contract, input))?,
            Source::Param | Source::Struct(_) => param().ok_or_else(|| missing(contract, input))?,
        };
        Ok(value)
    }

    fn token(&self, contract: ContractKind, input: &Input) -> Result<Token, DeployError> {
        if let Source::Struct(fields) = input.source {
            let parts = fields
                .iter()
                .map(|field| self.token(contract, field))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Token::Tuple(parts));
        }
        let value = self.value(contract, input)?;
        parse_token(input.ty, &value).map_err(|reason| DeployError::BadParam {
            contract: contract.package().into(),
            param: input.name.to_string(),
            ty: input.ty.to_string(),
            value,
            reason,
        })
    }
}

fn missing(contract: ContractKind, input: &Input) -> DeployError {
    DeployError::MissingParam {
        contract: contract.package().into(),
        param: input.name.to_string(),
        ty: input.ty.to_string(),
    }
}

/// Every deployment parameter name a constructor input can take its value from (the inputs of
/// [`CONTRACTS`] and their struct fields, except extension addresses), sorted.
pub fn param_names() -> Vec<&'static str> {
    fn collect(inputs: &[Input], out: &mut Vec<&'static str>) {
        for input in inputs {
            match input.source {
                Source::Struct(fields) => collect(fields, out),
                Source::Extension => {}
                _ => out.push(input.name),
            }
        }
    }
    let mut names = Vec::new();
    for contract in &CONTRACTS {
        collect(contract.constructor, &mut names);
    }
    names.sort_unstable();
    names.dedup();
    names
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

    fn addr(byte: u8) -> Address {
        Address::repeat_byte(byte)
    }

    /// An input as `(name, type, struct fields as (name, type))`.
    type Shape = (String, String, Vec<(String, String)>);

    /// The shape of listed inputs, struct fields included.
    fn listed(inputs: &[Input]) -> Vec<Shape> {
        inputs
            .iter()
            .map(|i| {
                let fields = match i.source {
                    Source::Struct(fields) => fields
                        .iter()
                        .map(|f| (f.name.to_string(), f.ty.to_string()))
                        .collect(),
                    _ => Vec::new(),
                };
                (i.name.to_string(), i.ty.to_string(), fields)
            })
            .collect()
    }

    /// The shape of ABI inputs.
    fn committed(inputs: &[AbiInput]) -> Vec<Shape> {
        inputs
            .iter()
            .map(|i| {
                let fields = i
                    .components
                    .iter()
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect();
                (i.name.clone(), i.ty.clone(), fields)
            })
            .collect()
    }

    #[test]
    fn listed_constructor_inputs_are_the_committed_abi_inputs() {
        let abi_dir = crate::build::Workspace::locate().root.join("abi");
        for contract in &CONTRACTS {
            let abi = constructor_inputs(&abi_dir, contract.kind)
                .unwrap()
                .unwrap_or_default();
            assert_eq!(
                listed(contract.constructor),
                committed(&abi),
                "{}: the constructor inputs in deploy::system::CONTRACTS differ from abi/{}.json",
                contract.kind,
                contract.abi_name
            );
        }
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
    fn selector_is_stylus_constructor() {
        assert_eq!(stylus_constructor_selector(), [0x55, 0x85, 0x25, 0x8d]);
    }

    #[test]
    fn encodes_the_listed_inputs_by_exact_name() {
        let mut values = ParamValues::new();
        values.set_address(ContractKind::StakingVault, addr(1));
        values.set_address(ContractKind::EloLedger, addr(2));
        values.set_extension(Some(addr(3)));
        for (name, value) in [
            ("voting_delay", "3600"),
            ("voting_period", "7200"),
            ("proposal_threshold", "0x10"),
            ("quorum_bps", "400"),
            ("timelock_delay", "60"),
            ("grace_period", "1_000"),
        ] {
            values.set(name, value);
        }
        let data = values.init_data(ContractKind::Subdao).unwrap();
        assert_eq!(data[..4], stylus_constructor_selector());
        let uint = |n: u64| Token::Uint(n.into());
        let want = abi::encode(&[
            Token::Address(addr(1)),
            Token::Address(addr(2)),
            uint(3600),
            uint(7200),
            uint(16),
            uint(400),
            uint(60),
            uint(1000),
            Token::Address(addr(3)),
        ]);
        assert_eq!(data[4..], want[..]);
        // Another spelling of a name is another parameter.
        let mut values = values.clone();
        values.params.remove("voting_delay");
        values.set("votingDelay", "3600");
        let err = values.init_data(ContractKind::Subdao).unwrap_err();
        assert!(
            matches!(&err, DeployError::MissingParam { param, .. } if param == "voting_delay"),
            "{err}"
        );
    }

    #[test]
    fn struct_fields_and_dao_inputs_follow_their_sources() {
        let deployer = addr(7);
        let mut values = ParamValues::new();
        values.set("governance", format!("{deployer:#x}"));
        values.set("treasury", format!("{deployer:#x}"));
        values.set_extension(Some(addr(9)));
        for name in [
            "challengeWindow",
            "cooldown",
            "claimBondBps",
            "bountyBps",
            "protocolSlashBps",
        ] {
            values.set(name, "5");
        }
        let five = || Token::Uint(5.into());
        let encode = |values: &ParamValues| values.init_data(ContractKind::OmlRegistry).unwrap();
        let with = |dao: Address| {
            abi::encode(&[
                Token::Address(dao),
                Token::Tuple(vec![
                    Token::Address(dao),
                    five(),
                    five(),
                    five(),
                    five(),
                    five(),
                ]),
                Token::Address(addr(9)),
            ])
        };
        assert_eq!(encode(&values)[4..], with(deployer)[..]);
        // Once the SubDAO exists, it is governance and treasury.
        values.set_address(ContractKind::Subdao, addr(5));
        assert_eq!(encode(&values)[4..], with(addr(5))[..]);
    }

    #[test]
    fn missing_values_name_the_input_or_the_dependency() {
        let mut values = ParamValues::new();
        values.set("governance", format!("{:#x}", addr(7)));
        values.set("treasury", format!("{:#x}", addr(8)));
        values.set_extension(Some(addr(9)));
        let err = values
            .init_data(ContractKind::OmlRegistry)
            .unwrap_err()
            .to_string();
        assert!(err.contains("oml-registry"), "{err}");
        assert!(err.contains("challengeWindow"), "{err}");
        assert!(err.contains("uint64"), "{err}");
        assert!(err.contains("--param challengeWindow="), "{err}");
        let err = values.init_data(ContractKind::Subdao).unwrap_err();
        assert!(
            matches!(&err, DeployError::MissingDependency { dependency, .. } if dependency == "staking-vault"),
            "{err}"
        );
        // A stand-in given by the input's name replaces a contract not deployed.
        values.set("vault", format!("{:#x}", addr(1)));
        let err = values.init_data(ContractKind::Subdao).unwrap_err();
        assert!(
            matches!(&err, DeployError::MissingDependency { dependency, .. } if dependency == "elo-ledger"),
            "{err}"
        );
    }

    #[test]
    fn param_names_cover_every_input_but_extensions() {
        let names = param_names();
        for name in [
            "vault",
            "voting_delay",
            "challengeWindow",
            "treasury",
            "lp_token",
        ] {
            assert!(names.contains(&name), "{name}: {names:?}");
        }
        assert!(!names.contains(&"extension"));
        assert!(!names.contains(&"params"));
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
        let err = values.init_data(ContractKind::Subdao).unwrap_err();
        assert!(matches!(err, DeployError::BadParam { .. }), "{err}");
    }

    #[test]
    fn reads_abi_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("SubDao.json"),
            r#"[{"type":"constructor","inputs":[{"name":"vault","type":"address"}]}]"#,
        )
        .unwrap();
        let inputs = constructor_inputs(dir.path(), ContractKind::Subdao)
            .unwrap()
            .unwrap();
        assert_eq!(inputs.len(), 1);
        assert_eq!(parse_constructor("[]").unwrap(), None);
        let err = constructor_inputs(dir.path(), ContractKind::AgentToken).unwrap_err();
        assert!(err.to_string().contains("AgentToken.json"), "{err}");
        assert!(err.to_string().contains("xtask -- abi"), "{err}");
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
