//! Typed ethers bindings generated with `abigen!` from the committed `abi/<Contract>.json`
//! (each module exists once its contract's ABI is exported; see `build.rs`).
#![allow(missing_docs, clippy::all)]

/// `abi/AgentToken.json`.
#[cfg(abi_agent_token)]
pub mod agent_token {
    ethers::contract::abigen!(AgentToken, "../abi/AgentToken.json");
}

/// `abi/StakingVault.json`.
#[cfg(abi_staking_vault)]
pub mod staking_vault {
    ethers::contract::abigen!(StakingVault, "../abi/StakingVault.json");
}

/// `abi/EloLedger.json`.
#[cfg(abi_elo_ledger)]
pub mod elo_ledger {
    ethers::contract::abigen!(EloLedger, "../abi/EloLedger.json");
}

/// `abi/OmlRegistry.json`.
#[cfg(abi_oml_registry)]
pub mod oml_registry {
    ethers::contract::abigen!(OmlRegistry, "../abi/OmlRegistry.json");
}

/// `abi/SubDao.json`.
#[cfg(abi_subdao)]
pub mod subdao {
    ethers::contract::abigen!(SubDao, "../abi/SubDao.json");
}

/// `abi/Revenue.json`.
#[cfg(abi_revenue)]
pub mod revenue {
    ethers::contract::abigen!(Revenue, "../abi/Revenue.json");
}

/// `tests/fixtures/MaliciousRouter.json`: a router that calls back into its caller during a
/// swap or keeps the ETH (`tests/fixtures/MaliciousRouter.sol`, compiled by
/// `tests/js/fixtures.mjs`).
pub mod malicious_router {
    ethers::contract::abigen!(MaliciousRouter, "fixtures/MaliciousRouter.json");
}

/// `tests/fixtures/VotesStandIn.json`: the Solidity stand-in for the vault's voting power
/// (`tests/fixtures/VotesStandIn.sol`, compiled by `tests/js/fixtures.mjs`).
pub mod votes_stand_in {
    ethers::contract::abigen!(VotesStandIn, "fixtures/VotesStandIn.json");
}

/// `tests/fixtures/ReenteringToken.json`: an ERC-20 whose `transferFrom` calls back into its
/// caller (`tests/fixtures/ReenteringToken.sol`, compiled by `tests/js/fixtures.mjs`).
pub mod reentering_token {
    ethers::contract::abigen!(ReenteringToken, "fixtures/ReenteringToken.json");
}

/// `tests/fixtures/UnstakeFlood.json`: the Solidity attacker that floods a validator's
/// unbonding queue with one-wei unstakes (`tests/fixtures/UnstakeFlood.sol`).
pub mod unstake_flood {
    ethers::contract::abigen!(UnstakeFlood, "fixtures/UnstakeFlood.json");
}
