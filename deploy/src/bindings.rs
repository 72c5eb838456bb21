//! Typed ethers bindings of the six contracts, generated with `abigen!` from the committed
//! `abi/<Contract>.json` (the lifecycle story and `deploy --demo` drive the system through them).
#![allow(missing_docs, clippy::all)]

/// `abi/AgentToken.json`.
pub mod agent_token {
    ethers::contract::abigen!(AgentToken, "../abi/AgentToken.json");
}

/// `abi/StakingVault.json`.
pub mod staking_vault {
    ethers::contract::abigen!(StakingVault, "../abi/StakingVault.json");
}

/// `abi/EloLedger.json`.
pub mod elo_ledger {
    ethers::contract::abigen!(EloLedger, "../abi/EloLedger.json");
}

/// `abi/OmlRegistry.json`.
pub mod oml_registry {
    ethers::contract::abigen!(OmlRegistry, "../abi/OmlRegistry.json");
}

/// `abi/SubDao.json`.
pub mod subdao {
    ethers::contract::abigen!(SubDao, "../abi/SubDao.json");
}

/// `abi/Rewards.json`.
pub mod rewards {
    ethers::contract::abigen!(Rewards, "../abi/Rewards.json");
}
