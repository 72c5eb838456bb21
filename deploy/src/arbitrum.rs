//! Typed bindings of the Arbitrum contracts deployment talks to: the ArbWasm precompile and the
//! StylusDeployer (ABIs from nitro-precompile-interfaces and nitro-contracts), and decoding of
//! their revert data into readable reasons.
#![allow(missing_docs)] // abigen-generated items
use ethers::abi::AbiDecode;
use ethers::contract::abigen;
use ethers::types::{Address, H160};

abigen!(
    ArbWasm,
    r#"[
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee)
        function codehashVersion(bytes32 codehash) external view returns (uint16 version)
        function stylusVersion() external view returns (uint16 version)
        error ProgramNotWasm()
        error ProgramNotActivated()
        error ProgramNeedsUpgrade(uint16 version, uint16 stylusVersion)
        error ProgramExpired(uint64 ageInSeconds)
        error ProgramUpToDate()
        error ProgramKeepaliveTooSoon(uint64 ageInSeconds)
        error ProgramInsufficientValue(uint256 have, uint256 want)
    ]"#
);

abigen!(
    StylusDeployer,
    r#"[
        function deploy(bytes bytecode, bytes initData, uint256 initValue, bytes32 salt) external payable returns (address)
        function requiresActivation(address addr) external view returns (bool)
        event ContractDeployed(address deployedContract)
        error EmptyBytecode()
        error ContractDeploymentError(bytes bytecode)
        error ContractInitializationError(address newContract, bytes data)
        error RefundExcessValueError(uint256 excessValue)
        error InitValueButNotInitData()
    ]"#
);

/// The ArbWasm precompile (0x…71).
pub const ARB_WASM_ADDRESS: Address = precompile(0x71);

/// The StylusDeployer, at the same address on every Arbitrum chain.
pub const STYLUS_DEPLOYER_ADDRESS: Address =
    H160(hex_literal(b"cEcba2F1DC234f70Dd89F2041029807F8D03A990"));

const fn precompile(last: u8) -> Address {
    let mut bytes = [0u8; 20];
    bytes[19] = last;
    H160(bytes)
}

const fn hex_literal(text: &[u8; 40]) -> [u8; 20] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit"),
        }
    }
    let mut out = [0u8; 20];
    let mut i = 0;
    while i < 20 {
        out[i] = nibble(text[2 * i]) << 4 | nibble(text[2 * i + 1]);
        i += 1;
    }
    out
}

/// A readable reason for revert `data` from ArbWasm or the StylusDeployer; `None` when it is
/// neither's error.
pub fn decode_revert(data: &[u8]) -> Option<String> {
    if let Ok(error) = ArbWasmErrors::decode(data) {
        let reason = match error {
            ArbWasmErrors::ProgramNotWasm(_) => {
                "ArbWasm: ProgramNotWasm() - the code is not a Stylus program".to_string()
            }
            ArbWasmErrors::ProgramNotActivated(_) => "ArbWasm: ProgramNotActivated()".to_string(),
            ArbWasmErrors::ProgramNeedsUpgrade(e) => format!(
                "ArbWasm: ProgramNeedsUpgrade(version {}, stylus version {})",
                e.version, e.stylus_version
            ),
            ArbWasmErrors::ProgramExpired(e) => {
                format!("ArbWasm: ProgramExpired(age {} s)", e.age_in_seconds)
            }
            ArbWasmErrors::ProgramUpToDate(_) => {
                "ArbWasm: ProgramUpToDate() - already activated".to_string()
            }
            ArbWasmErrors::ProgramKeepaliveTooSoon(e) => {
                format!(
                    "ArbWasm: ProgramKeepaliveTooSoon(age {} s)",
                    e.age_in_seconds
                )
            }
            ArbWasmErrors::ProgramInsufficientValue(e) => format!(
                "ArbWasm: ProgramInsufficientValue(have {} wei, want {} wei) - the activation \
                 data fee rose; retry",
                e.have, e.want
            ),
            ArbWasmErrors::RevertString(s) => format!("ArbWasm: {s}"),
        };
        return Some(reason);
    }
    let error = StylusDeployerErrors::decode(data).ok()?;
    Some(match error {
        StylusDeployerErrors::EmptyBytecode(_) => "StylusDeployer: EmptyBytecode()".to_string(),
        StylusDeployerErrors::ContractDeploymentError(_) => {
            "StylusDeployer: ContractDeploymentError - CREATE returned no contract".to_string()
        }
        StylusDeployerErrors::ContractInitializationError(e) => format!(
            "StylusDeployer: ContractInitializationError - the constructor of {:#x} reverted \
             with 0x{}",
            e.new_contract,
            ethers::utils::hex::encode(&e.data)
        ),
        StylusDeployerErrors::RefundExcessValueError(e) => {
            format!(
                "StylusDeployer: RefundExcessValueError({} wei)",
                e.excess_value
            )
        }
        StylusDeployerErrors::InitValueButNotInitData(_) => {
            "StylusDeployer: InitValueButNotInitData()".to_string()
        }
        StylusDeployerErrors::RevertString(s) => format!("StylusDeployer: {s}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ethers::abi::AbiEncode;
    use ethers::contract::EthEvent;
    use ethers::types::U256;

    #[test]
    fn addresses_and_selectors_match_nitro() {
        assert_eq!(
            format!("{STYLUS_DEPLOYER_ADDRESS:?}"),
            "0xcecba2f1dc234f70dd89f2041029807f8d03a990"
        );
        assert_eq!(
            format!("{ARB_WASM_ADDRESS:?}"),
            "0x0000000000000000000000000000000000000071"
        );
        assert_eq!(
            ActivateProgramCall {
                program: Address::zero()
            }
            .encode()[..4],
            [0x58, 0xc7, 0x80, 0xc2]
        );
        let deploy = DeployCall {
            bytecode: Default::default(),
            init_data: Default::default(),
            init_value: U256::zero(),
            salt: [0; 32],
        };
        assert_eq!(deploy.encode()[..4], [0xa9, 0xa8, 0xe4, 0xe9]);
        assert_eq!(
            format!("{:?}", ContractDeployedFilter::signature()),
            "0x8ffcdc15a283d706d38281f500270d8b5a656918f555de0913d7455e3e6bc1bf"
        );
    }

    #[test]
    fn decodes_arbwasm_and_deployer_errors() {
        let insufficient = ProgramInsufficientValue {
            have: 1.into(),
            want: 2.into(),
        }
        .encode();
        assert_eq!(insufficient[..4], [0x09, 0x78, 0x1a, 0xb7]);
        let reason = decode_revert(&insufficient).unwrap();
        assert!(reason.contains("have 1 wei, want 2 wei"), "{reason}");
        let init = ContractInitializationError {
            new_contract: Address::repeat_byte(0xab),
            data: vec![0xde, 0xad].into(),
        }
        .encode();
        let reason = decode_revert(&init).unwrap();
        assert!(reason.contains("0xabab"), "{reason}");
        assert!(reason.ends_with("0xdead"), "{reason}");
        assert!(decode_revert(&ProgramUpToDate {}.encode())
            .unwrap()
            .contains("UpToDate"));
        assert_eq!(decode_revert(&[1, 2, 3, 4]), None);
    }
}
