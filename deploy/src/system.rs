//! The list of the system's contracts: one row per contract, read by `deploy`, xtask, the
//! integration tests and the bench runner.
//!
//! A row names the contract (its [`ContractKind`], Cargo package and `abi/` name), the extension
//! program it delegate-calls when it runs as two programs, the size budget of each program and
//! every constructor input by its exact ABI name, with the type and where its value comes from.
//! Rows are in deployment order: each constructor only needs addresses of contracts before it.
//! Adding a contract means adding its [`ContractKind`] variant and its row here, and its own
//! crates; tests check the list against the workspace's program crates and the committed ABIs.
//!
//! This module has no chain dependencies: xtask reads it through the light build of the crate.
use crate::compress::TARGET_COMPRESSED;

/// A contract of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "chain", derive(clap::ValueEnum))]
pub enum ContractKind {
    /// The taxed ERC-20 agent token.
    AgentToken,
    /// LP staking, delegation and voting power.
    StakingVault,
    /// Model registry, validation sessions and Elo ratings.
    EloLedger,
    /// The agent's governor and treasury.
    Subdao,
    /// OML licenses, usage fees and fingerprint claims.
    OmlRegistry,
    /// Inference payments and the TWAP-guarded buyback-and-burn.
    Revenue,
    /// Epoch rewards to validators by stake and validation quality, to the best models and to
    /// datasets by impact; low-agreement jail.
    Rewards,
}

/// One wasm program: its Cargo package and its size budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// Cargo package name (also the key in `deployments/<chainid>.json`), e.g. `agent-token`;
    /// the crate lives in `contracts/<package>`.
    pub package: &'static str,
    /// Most compressed bytes of program code the size test accepts (the project's 20,000-byte
    /// target, [`TARGET_COMPRESSED`]; Nitro's own limit is 24,576).
    pub budget: usize,
}

impl Program {
    /// A program held to the project's size target.
    pub const fn new(package: &'static str) -> Self {
        Self {
            package,
            budget: TARGET_COMPRESSED,
        }
    }
}

/// The extension program of a contract that runs as two programs behind one address: the
/// core's fallback delegate-calls it (see `agentdao_common::extension`). It is built and
/// size-checked with the core, deployed before it, recorded under its package name, and its
/// address is the core's [`Source::Extension`] input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension {
    /// The extension program.
    pub program: Program,
    /// The crate declaring the events both programs emit (its state crate), read by the ABI
    /// export.
    pub events_crate: &'static str,
}

/// Where a constructor input's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The address of this contract, deployed earlier in the run or recorded on the chain;
    /// without one, the deployment parameter named as the input (e.g. `--param vault=0x..` for
    /// a stand-in).
    Contract(ContractKind),
    /// The address of the contract's own extension program, deployed just before it.
    Extension,
    /// The SubDAO once it is deployed (or recorded); before that, the deployment parameter
    /// named as the input, which defaults to the deployer (governance then moves to the SubDAO
    /// during wiring).
    Dao,
    /// The deployment parameter named exactly as the input: a flag of `deploy`
    /// (`config::SystemParams`, with its default and environment variable) or `--param
    /// name=value`. The agent token's pool fills `lp_token`, `dex_pair` and `dex_router` when
    /// they are unset.
    Param,
    /// A struct: its fields, in order, each with its own source.
    Struct(&'static [Input]),
}

/// One constructor input (or one field of a struct input), as the contract's ABI declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input {
    /// Its exact name in the ABI (for a struct field, the field's name in `abi/I<Name>.sol`).
    pub name: &'static str,
    /// Its Solidity type (`tuple` for a struct).
    pub ty: &'static str,
    /// Where its value comes from.
    pub source: Source,
}

const fn input(name: &'static str, ty: &'static str, source: Source) -> Input {
    Input { name, ty, source }
}

const fn param(name: &'static str, ty: &'static str) -> Input {
    input(name, ty, Source::Param)
}

const fn address_of(name: &'static str, contract: ContractKind) -> Input {
    input(name, "address", Source::Contract(contract))
}

const fn dao(name: &'static str) -> Input {
    input(name, "address", Source::Dao)
}

const EXTENSION: Input = input("extension", "address", Source::Extension);

/// One contract of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contract {
    /// Which contract.
    pub kind: ContractKind,
    /// Its name in `abi/` (`abi/<name>.json`, `abi/I<name>.sol`).
    pub abi_name: &'static str,
    /// Its program (the core, for a contract split over two programs).
    pub program: Program,
    /// Its extension program, for a contract split over two programs.
    pub extension: Option<Extension>,
    /// Its constructor's inputs, in order (empty: no constructor).
    pub constructor: &'static [Input],
}

const fn split(package: &'static str, events_crate: &'static str) -> Option<Extension> {
    Some(Extension {
        program: Program::new(package),
        events_crate,
    })
}

/// Every contract, in deployment order: each constructor only needs addresses of contracts
/// before it. The SubDAO needs the vault and the Elo ledger; the OML registry, the revenue
/// program and the rewards program come after the SubDAO so they are created with the SubDAO as
/// governance (and the revenue program's treasury); the revenue program also needs the agent
/// token's pool, set up before the vault.
pub const CONTRACTS: [Contract; 7] = [
    Contract {
        kind: ContractKind::AgentToken,
        abi_name: "AgentToken",
        program: Program::new("agent-token"),
        extension: None,
        constructor: &[
            param("name", "string"),
            param("symbol", "string"),
            param("initial_supply", "uint256"),
            param("initial_holder", "address"),
            dao("treasury"),
            dao("governance"),
            param("tax_bps", "uint16"),
        ],
    },
    Contract {
        kind: ContractKind::StakingVault,
        abi_name: "StakingVault",
        program: Program::new("staking-vault"),
        extension: split("staking-vault-ext", "staking-vault-state"),
        constructor: &[
            param("lp_token", "address"),
            address_of("reward_token", ContractKind::AgentToken),
            dao("governance"),
            dao("treasury"),
            param("unbonding_period", "uint256"),
            param("max_commission_bps", "uint256"),
            EXTENSION,
        ],
    },
    Contract {
        kind: ContractKind::EloLedger,
        abi_name: "EloLedger",
        program: Program::new("elo-ledger"),
        extension: split("elo-ledger-ext", "elo-ledger-state"),
        constructor: &[
            dao("governance"),
            address_of("vault", ContractKind::StakingVault),
            EXTENSION,
        ],
    },
    Contract {
        kind: ContractKind::Subdao,
        abi_name: "SubDao",
        program: Program::new("subdao"),
        extension: split("subdao-ext", "subdao-state"),
        constructor: &[
            address_of("vault", ContractKind::StakingVault),
            address_of("elo_ledger", ContractKind::EloLedger),
            param("voting_delay", "uint64"),
            param("voting_period", "uint64"),
            param("proposal_threshold", "uint256"),
            param("quorum_bps", "uint64"),
            param("timelock_delay", "uint64"),
            param("grace_period", "uint64"),
            EXTENSION,
        ],
    },
    Contract {
        kind: ContractKind::OmlRegistry,
        abi_name: "OmlRegistry",
        program: Program::new("oml-registry"),
        extension: split("oml-registry-ext", "oml-registry-state"),
        constructor: &[
            dao("governance"),
            input(
                "params",
                "tuple",
                Source::Struct(&[
                    dao("treasury"),
                    param("challengeWindow", "uint64"),
                    param("cooldown", "uint64"),
                    param("claimBondBps", "uint16"),
                    param("bountyBps", "uint16"),
                    param("protocolSlashBps", "uint16"),
                ]),
            ),
            EXTENSION,
        ],
    },
    Contract {
        kind: ContractKind::Revenue,
        abi_name: "Revenue",
        program: Program::new("revenue"),
        extension: None,
        constructor: &[
            address_of("agent_token", ContractKind::AgentToken),
            param("dex_router", "address"),
            param("dex_pair", "address"),
            dao("treasury"),
            param("treasury_share_bps", "uint16"),
            dao("governance"),
            param("twap_window", "uint32"),
            param("max_slippage_bps", "uint16"),
            param("max_deviation_bps", "uint16"),
            param("cap_period", "uint32"),
            param("cap_per_period", "uint256"),
        ],
    },
    Contract {
        kind: ContractKind::Rewards,
        abi_name: "Rewards",
        program: Program::new("rewards"),
        extension: split("rewards-ext", "rewards-state"),
        constructor: &[
            dao("governance"),
            address_of("token", ContractKind::AgentToken),
            address_of("vault", ContractKind::StakingVault),
            address_of("ledger", ContractKind::EloLedger),
            EXTENSION,
        ],
    },
];

impl ContractKind {
    /// Every contract in deployment order (the order of [`CONTRACTS`]).
    pub const ALL: [ContractKind; CONTRACTS.len()] = {
        let mut all = [ContractKind::AgentToken; CONTRACTS.len()];
        let mut i = 0;
        while i < CONTRACTS.len() {
            all[i] = CONTRACTS[i].kind;
            i += 1;
        }
        all
    };

    /// This contract's row of [`CONTRACTS`].
    pub fn row(self) -> &'static Contract {
        CONTRACTS
            .iter()
            .find(|c| c.kind == self)
            .expect("every contract kind has a row in CONTRACTS")
    }

    /// Cargo package name of its program (also the key in `deployments/<chainid>.json`).
    pub fn package(self) -> &'static str {
        self.row().program.package
    }

    /// Contract name in `abi/` (`abi/<name>.json`).
    pub fn abi_name(self) -> &'static str {
        self.row().abi_name
    }

    /// The package of its extension program, for a contract split over two programs.
    pub fn extension(self) -> Option<&'static str> {
        self.row().extension.map(|e| e.program.package)
    }

    /// The contract with this package name (of its core program).
    pub fn from_package(package: &str) -> Option<Self> {
        CONTRACTS
            .iter()
            .find(|c| c.program.package == package)
            .map(|c| c.kind)
    }
}

impl core::fmt::Display for ContractKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.package())
    }
}

/// Every program of the system: each contract's program followed by its extension program, in
/// deployment order.
pub fn programs() -> impl Iterator<Item = Program> {
    CONTRACTS
        .iter()
        .flat_map(|c| core::iter::once(c.program).chain(c.extension.map(|e| e.program)))
}

/// The program with this package name.
pub fn program(package: &str) -> Option<Program> {
    programs().find(|p| p.package == package)
}

/// The extension program of the contract whose program is `package`, if it is split.
pub fn extension_of(package: &str) -> Option<&'static str> {
    ContractKind::from_package(package).and_then(ContractKind::extension)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_exactly_one_row() {
        for kind in ContractKind::ALL {
            assert_eq!(CONTRACTS.iter().filter(|c| c.kind == kind).count(), 1);
            assert_eq!(ContractKind::from_package(kind.package()), Some(kind));
        }
        assert_eq!(ContractKind::from_package("nope"), None);
        let packages: std::collections::BTreeSet<_> = programs().map(|p| p.package).collect();
        assert_eq!(
            packages.len(),
            programs().count(),
            "a package is listed twice"
        );
    }

    #[test]
    fn address_inputs_name_contracts_deployed_before() {
        fn check(kind: ContractKind, inputs: &[Input]) {
            let position = |k: ContractKind| ContractKind::ALL.iter().position(|x| *x == k);
            for input in inputs {
                match input.source {
                    Source::Contract(other) => {
                        assert!(position(other) < position(kind), "{kind}.{}", input.name);
                        assert_eq!(input.ty, "address", "{kind}.{}", input.name);
                    }
                    Source::Extension => assert!(kind.extension().is_some(), "{kind}"),
                    Source::Dao => assert_eq!(input.ty, "address", "{kind}.{}", input.name),
                    Source::Struct(fields) => {
                        assert_eq!(input.ty, "tuple");
                        check(kind, fields);
                    }
                    Source::Param => {}
                }
            }
        }
        for contract in &CONTRACTS {
            check(contract.kind, contract.constructor);
        }
    }

    #[test]
    fn split_contracts_list_both_programs() {
        assert_eq!(extension_of("staking-vault"), Some("staking-vault-ext"));
        assert_eq!(extension_of("agent-token"), None);
        assert_eq!(extension_of("staking-vault-ext"), None);
        let all: Vec<_> = programs().map(|p| p.package).collect();
        assert_eq!(
            &all[..3],
            ["agent-token", "staking-vault", "staking-vault-ext"]
        );
        assert!(programs().all(|p| p.budget <= TARGET_COMPRESSED));
        assert_eq!(
            program("subdao-ext").map(|p| p.budget),
            Some(TARGET_COMPRESSED)
        );
    }
}
