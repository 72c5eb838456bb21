//! Typed ethers bindings of the tests' Solidity fixtures (`tests/fixtures/*.sol`), generated
//! with `abigen!` from their compiled artifacts (`build.rs` fails the build when one is missing).
//! The contracts' own bindings are `deploy::bindings`.
#![allow(missing_docs, clippy::all)]

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
