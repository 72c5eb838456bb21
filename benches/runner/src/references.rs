//! The hot paths beyond the token, on their Solidity references: vault stake and reward claim,
//! a SubDAO vote, a 10-round Elo update, a Merkle proof against a 1,024-leaf fingerprint tree
//! and a usage fee cascading through 8 ancestors. Each scenario sets up realistic state first
//! (not measured) and reports the gas of the measured transactions.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result};
use ethers::abi::Token;
use ethers::contract::Contract;
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, U256};
use ethers::utils::keccak256;

use crate::client::{deploy_evm, funded_account, gas_used, transact, Args, Client};
use crate::focused::reference;
use crate::gas::tokens;
use crate::solidity::Compiled;

/// Which Stylus contract implements each measured operation.
pub(crate) type Measured = Vec<(String, &'static str, u64)>;

fn contract(client: &Arc<Client>, address: Address, compiled: &Compiled) -> Contract<Client> {
    Contract::new(address, compiled.abi.clone(), client.clone())
}

fn get<'a>(compiled: &'a BTreeMap<String, Compiled>, name: &str) -> Result<&'a Compiled> {
    compiled
        .get(name)
        .with_context(|| format!("benches/solidity has no {name}"))
}

/// Runs every scenario; returns (operation, Stylus package that owns it, Solidity gas).
///
/// # Errors
/// When a transaction reverts.
pub(crate) async fn run_all(
    deployer: &Arc<Client>,
    compiled: &BTreeMap<String, Compiled>,
) -> Result<Measured> {
    let mut rows = Measured::new();
    let (stake, claim, vote) = staking_and_voting(deployer, compiled).await?;
    rows.push((reference::STAKE.into(), "staking-vault", stake));
    rows.push((reference::CLAIM.into(), "staking-vault", claim));
    rows.push((reference::VOTE.into(), "subdao", vote));
    rows.push((
        reference::ELO.into(),
        "elo-ledger",
        elo_update(deployer, get(compiled, "EloRatings")?).await?,
    ));
    rows.push((
        reference::MERKLE.into(),
        "oml-registry",
        merkle_proof(deployer, get(compiled, "MerkleClaims")?).await?,
    ));
    rows.push((
        reference::CASCADE.into(),
        "oml-registry",
        fee_cascade(deployer, get(compiled, "FeeCascade")?).await?,
    ));
    Ok(rows)
}

/// Vault: a validator registers, a delegator stakes (measured), rewards are notified, the
/// delegator claims (measured); then a proposal snapshots the vault and the validator votes
/// (measured).
async fn staking_and_voting(
    deployer: &Arc<Client>,
    compiled: &BTreeMap<String, Compiled>,
) -> Result<(u64, u64, u64)> {
    let token = get(compiled, "BenchToken")?;
    let vault_code = get(compiled, "StakingVotes")?;
    let dao_code = get(compiled, "SubDaoVotes")?;
    let lp = deploy_evm(deployer, &token.abi, &token.bytecode, ()).await?;
    let reward = deploy_evm(deployer, &token.abi, &token.bytecode, ()).await?;
    let vault = deploy_evm(
        deployer,
        &vault_code.abi,
        &vault_code.bytecode,
        (lp, reward),
    )
    .await?;
    let validator = funded_account(deployer, 10).await?;
    let delegator = funded_account(deployer, 10).await?;

    transact(
        &contract(&validator, vault, vault_code),
        "registerValidator",
        (500u16, "ipfs://validator".to_string()),
    )
    .await?;
    let lp_as_delegator = contract(&delegator, lp, token);
    transact(
        &contract(deployer, lp, token),
        "mint",
        (delegator.address(), tokens(10_000)),
    )
    .await?;
    transact(&lp_as_delegator, "approve", (vault, U256::MAX)).await?;
    let vault_as_delegator = contract(&delegator, vault, vault_code);
    let stake = gas_used(
        &transact(
            &vault_as_delegator,
            "stake",
            (validator.address(), tokens(1_000)),
        )
        .await?,
    );

    let reward_as_deployer = contract(deployer, reward, token);
    transact(
        &reward_as_deployer,
        "mint",
        (deployer.address(), tokens(1_000)),
    )
    .await?;
    transact(&reward_as_deployer, "approve", (vault, U256::MAX)).await?;
    transact(
        &contract(deployer, vault, vault_code),
        "notifyRewardAmount",
        tokens(100),
    )
    .await?;
    let claim = gas_used(&transact(&vault_as_delegator, "claimRewards", ()).await?);

    let dao = deploy_evm(
        deployer,
        &dao_code.abi,
        &dao_code.bytecode,
        (vault, 1u64, 86_400u64),
    )
    .await?;
    let dao_as_validator = contract(&validator, dao, dao_code);
    let args = (
        vec![vault],
        vec![U256::zero()],
        vec![Bytes::new()],
        "benchmark proposal".to_string(),
    );
    let id: U256 = dao_as_validator
        .method::<_, U256>("propose", args.clone())?
        .call()
        .await?;
    transact(&dao_as_validator, "propose", args).await?;
    advance_time(deployer, 10).await?;
    let vote = gas_used(&transact(&dao_as_validator, "castVote", (id, 1u8)).await?);
    Ok((stake, claim, vote))
}

/// Moves the node's clock forward and mines a block.
async fn advance_time(client: &Arc<Client>, seconds: u64) -> Result<()> {
    let provider = client.inner();
    provider
        .request::<_, serde_json::Value>("evm_increaseTime", [U256::from(seconds)])
        .await
        .context("evm_increaseTime")?;
    provider
        .request::<_, serde_json::Value>("evm_mine", ())
        .await
        .context("evm_mine")?;
    Ok(())
}

/// The ten outcomes of the measured session (A wins, B wins, tie mixed).
pub(crate) const SESSION: [u8; 10] = [0, 1, 2, 0, 0, 1, 2, 0, 1, 0];

/// Elo: a first session rates two models (setup), the second one is measured (both ratings
/// already stored, as for any model past its first session).
async fn elo_update(deployer: &Arc<Client>, code: &Compiled) -> Result<u64> {
    let elo = deploy_evm(deployer, &code.abi, &code.bytecode, ()).await?;
    let elo = contract(deployer, elo, code);
    let rounds = Token::FixedArray(SESSION.iter().map(|&o| Token::Uint(o.into())).collect());
    let args = vec![Token::Uint(1.into()), Token::Uint(2.into()), rounds];
    transact(&elo, "applyRounds", Args(args.clone())).await?;
    Ok(gas_used(&transact(&elo, "applyRounds", Args(args)).await?))
}

/// keccak256 of the sorted pair, as `common::merkle::hash_pair` and OpenZeppelin do.
pub(crate) fn hash_pair(a: [u8; 32], b: [u8; 32]) -> [u8; 32] {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut buf = [0u8; 64];
    buf[..32].copy_from_slice(&lo);
    buf[32..].copy_from_slice(&hi);
    keccak256(buf)
}

/// Root and proof of `index` in the tree over `leaves` (a power of two).
pub(crate) fn root_and_proof(leaves: &[[u8; 32]], index: usize) -> ([u8; 32], Vec<[u8; 32]>) {
    let mut level = leaves.to_vec();
    let mut position = index;
    let mut proof = Vec::new();
    while level.len() > 1 {
        proof.push(level[position ^ 1]);
        level = level.chunks(2).map(|p| hash_pair(p[0], p[1])).collect();
        position /= 2;
    }
    (level[0], proof)
}

/// The fingerprint leaves: `keccak256(key ‖ response)` for 1,024 pairs.
pub(crate) fn fingerprint_leaves(count: usize) -> Vec<[u8; 32]> {
    (0..count)
        .map(|i| keccak256(format!("key-{i}response-{i}")))
        .collect()
}

/// Merkle: the root of 1,024 fingerprint leaves is set (setup); one leaf is proven with its
/// 10-hash proof (measured).
async fn merkle_proof(deployer: &Arc<Client>, code: &Compiled) -> Result<u64> {
    let leaves = fingerprint_leaves(1_024);
    let index = 613;
    let (root, proof) = root_and_proof(&leaves, index);
    let claims = deploy_evm(deployer, &code.abi, &code.bytecode, ()).await?;
    let claims = contract(deployer, claims, code);
    transact(&claims, "setFingerprintRoot", (1u64, root)).await?;
    let args = vec![
        Token::Uint(1.into()),
        Token::Array(vec![Token::FixedBytes(leaves[index].to_vec())]),
        Token::Array(vec![Token::Array(
            proof
                .iter()
                .map(|h| Token::FixedBytes(h.to_vec()))
                .collect(),
        )]),
    ];
    Ok(gas_used(
        &transact(&claims, "proveLeaves", Args(args)).await?,
    ))
}

/// Fee cascade: nine models in a line, each registered by its own owner (setup), a license on
/// the deepest; the second usage report is measured (credits already non-zero).
async fn fee_cascade(deployer: &Arc<Client>, code: &Compiled) -> Result<u64> {
    let treasury = Address::from_low_u64_be(0x7e55);
    let cascade = deploy_evm(deployer, &code.abi, &code.bytecode, treasury).await?;
    let fee = U256::exp10(15);
    // creator, ancestors, provers, protocol (sum 10,000) and the per-level decay.
    let split = Token::FixedArray(
        [6_000u16, 2_000, 1_000, 1_000, 5_000]
            .iter()
            .map(|&b| Token::Uint(b.into()))
            .collect(),
    );
    for parent in 0u64..9 {
        let owner = funded_account(deployer, 1).await?;
        transact(
            &contract(&owner, cascade, code),
            "registerModel",
            Args(vec![
                Token::Uint(parent.into()),
                Token::Uint(fee),
                split.clone(),
            ]),
        )
        .await?;
    }
    let licensee = contract(deployer, cascade, code);
    transact(&licensee, "requestLicense", 9u64).await?;
    let report = |units: u64| {
        licensee
            .method::<_, ()>("reportUsage", (1u64, U256::from(units)))
            .map(|call| call.value(fee * units).gas(crate::client::TX_GAS_LIMIT))
    };
    deploy::send::send(report(3)?)
        .await
        .context("reportUsage")?;
    let measured = deploy::send::send(report(1)?)
        .await
        .context("reportUsage")?;
    Ok(gas_used(&measured))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proofs_lead_to_the_root() {
        let leaves = fingerprint_leaves(1_024);
        let (root, proof) = root_and_proof(&leaves, 613);
        assert_eq!(proof.len(), 10);
        let computed = proof
            .iter()
            .fold(leaves[613], |node, s| hash_pair(node, *s));
        assert_eq!(computed, root);
        let (root_again, other) = root_and_proof(&leaves, 0);
        assert_eq!(root_again, root);
        let wrong = other.iter().fold(leaves[1], |node, s| hash_pair(node, *s));
        assert_ne!(wrong, root);
    }

    #[test]
    fn pairs_hash_in_sorted_order() {
        let a = [1u8; 32];
        let b = [2u8; 32];
        assert_eq!(hash_pair(a, b), hash_pair(b, a));
        let mut buf = [0u8; 64];
        buf[..32].copy_from_slice(&a);
        buf[32..].copy_from_slice(&b);
        assert_eq!(hash_pair(b, a), keccak256(buf));
    }
}
