//! Gas per operation, Stylus against Solidity: the same calls, in the same order and from the
//! same starting state, sent to the Stylus contract and to its Solidity reference on the same
//! devnode. The figure is the transaction's gas used (intrinsic 21,000 + calldata included, the
//! same on both sides).
//!
//! Stylus programs pay an entry cost each time they start: the full init gas when the program is
//! not cached, a small cached gas when it is (ArbWasmCache, or on ArbOS 60 the per-block cache of
//! recent programs). Every Stylus figure is measured twice, on two devnodes: once with the
//! programs uncached, once with every program the transaction enters (core, delegate-called
//! extension, vault, token) cached through the chain's CacheManager before the run. For
//! comparison the rows also keep the figure that caching only the called program gives,
//! computed from `ArbWasm.programInitGas(program) -> (gas, gasWhenCached)` (the devnode charges a
//! cached program exactly `gas - gasWhenCached` less).

use std::sync::Arc;

use anyhow::Result;
use ethers::abi::{Abi, Token};
use ethers::contract::{abigen, Contract};
use ethers::types::{Address, Bytes, H256, U256};
use ethers::utils::keccak256;
use serde::Serialize;

use crate::client::{gas_used, transact, Args, Client};

abigen!(
    ArbWasm,
    r#"[
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached)
    ]"#
);

/// ArbWasm's address.
pub(crate) const ARB_WASM: Address = ethers::types::H160([
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x71,
]);

/// The Stylus figures of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct StylusGas {
    /// Measured with no program cached (first call in a block, no ArbWasmCache).
    pub uncached: u64,
    /// Measured with every program the transaction enters cached through the CacheManager.
    pub cached: u64,
    /// Computed: `uncached` minus what caching only the called program saves at entry
    /// (`ArbWasm.programInitGas`), the figure earlier runs reported as cached. Equal to `cached`
    /// when the transaction enters one program; the difference is what caching the rest of the
    /// path (extension, vault, token) saves.
    pub core_only_computed: u64,
}

/// One row of the gas table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct OperationGas {
    /// What was measured.
    pub operation: String,
    /// Gas used by the Solidity reference.
    pub solidity: u64,
    /// Gas used by the Stylus contract, when it is deployable.
    pub stylus: Option<StylusGas>,
    /// Why there is no Stylus figure, or what to know about the row.
    pub note: Option<String>,
}

impl OperationGas {
    /// Stylus (uncached) gas / Solidity gas.
    pub(crate) fn ratio_uncached(&self) -> Option<f64> {
        self.stylus
            .map(|s| s.uncached as f64 / self.solidity.max(1) as f64)
    }

    /// Stylus (cached) gas / Solidity gas.
    pub(crate) fn ratio_cached(&self) -> Option<f64> {
        self.stylus
            .map(|s| s.cached as f64 / self.solidity.max(1) as f64)
    }
}

/// The entry gas a cached program saves: `gas - gasWhenCached` from
/// `ArbWasm.programInitGas`, or, when the node cannot answer that call, the same figure from the
/// devnode's own activation analysis of `wasm` (Nitro's `MinInitGas` + scaled init cost).
///
/// # Errors
/// When neither source works (not a valid Stylus program).
pub(crate) async fn cache_discount(
    client: &Arc<Client>,
    program: Address,
    wasm: &[u8],
) -> Result<u64> {
    let answer = ArbWasm::new(ARB_WASM, client.clone())
        .program_init_gas(program)
        .call()
        .await;
    match answer {
        Ok((gas, when_cached)) => Ok(gas.saturating_sub(when_cached)),
        Err(error) => {
            eprintln!(
                "ArbWasm.programInitGas failed ({error}); computing the init gas from the wasm"
            );
            init_gas_of(wasm)
        }
    }
}

/// The uncached init gas of `wasm` (what caching saves): `MinInitGas * 128 +
/// ceil(init_cost * InitCostScalar * 2 / 100)`, with the init cost from activation.
///
/// # Errors
/// When activation would reject the program.
pub(crate) fn init_gas_of(wasm: &[u8]) -> Result<u64> {
    use devnode::stylus::program::{INIT_COST_SCALAR, MIN_INIT_GAS};
    let stats = devnode::stylus::activation::validate(wasm, devnode::evm::DEFAULT_ARBOS_VERSION)
        .map_err(|e| anyhow::anyhow!("activation analysis: {e}"))?;
    Ok(MIN_INIT_GAS * 128 + (stats.init_cost() * INIT_COST_SCALAR * 2).div_ceil(100))
}

/// Accounts taking part in the token scenario (the same accounts on both implementations, so
/// the calldata is byte for byte the same).
pub(crate) struct TokenActors {
    /// Deployer: initial holder, treasury and governance (tax exempt, as the constructor makes
    /// it).
    pub deployer: Arc<Client>,
    /// A taxed holder.
    pub alice: Arc<Client>,
    /// A taxed holder that already has a balance.
    pub bob: Arc<Client>,
    /// A spender using alice's allowance.
    pub carol: Arc<Client>,
}

/// Gas of each measured token operation, in the order run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenGas {
    /// (operation, gas used).
    pub operations: Vec<(String, u64)>,
}

/// One whole token: `10^18` base units.
pub(crate) fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::exp10(18)
}

/// Runs the token operations on the token at `address` (either implementation; both share the
/// ABI of the measured functions).
///
/// # Errors
/// When a call reverts.
pub(crate) async fn token_scenario(
    actors: &TokenActors,
    address: Address,
    abi: &Abi,
) -> Result<TokenGas> {
    let as_of = |client: &Arc<Client>| Contract::new(address, abi.clone(), client.clone());
    let deployer = as_of(&actors.deployer);
    let alice = as_of(&actors.alice);
    let carol = as_of(&actors.carol);
    let alice_address = actors.alice.address();
    let bob_address = actors.bob.address();
    let carol_address = actors.carol.address();

    // Setup (not measured): untaxed transfers from the exempt deployer.
    transact(&deployer, "transfer", (alice_address, tokens(1_000_000))).await?;
    transact(&deployer, "transfer", (bob_address, tokens(1_000))).await?;

    let mut operations = Vec::new();
    let mut record = |name: &str, receipt| operations.push((name.to_string(), gas_used(&receipt)));
    record(
        "transfer, taxed, existing recipient",
        transact(&alice, "transfer", (bob_address, tokens(100))).await?,
    );
    let newcomer = Address::from_low_u64_be(0x00be_5eed);
    record(
        "transfer, taxed, new recipient",
        transact(&alice, "transfer", (newcomer, tokens(100))).await?,
    );
    record(
        "approve",
        transact(&alice, "approve", (carol_address, tokens(1_000))).await?,
    );
    record(
        "transferFrom, taxed",
        transact(
            &carol,
            "transferFrom",
            (alice_address, bob_address, tokens(100)),
        )
        .await?,
    );

    let deadline = U256::from(u64::MAX);
    let value = tokens(500);
    let nonce: U256 = alice
        .method::<_, U256>("nonces", alice_address)?
        .call()
        .await?;
    let domain: [u8; 32] = alice
        .method::<_, [u8; 32]>("DOMAIN_SEPARATOR", ())?
        .call()
        .await?;
    let digest = permit_digest(domain, alice_address, bob_address, value, nonce, deadline);
    let signature = actors.alice.signer().sign_hash(H256(digest))?;
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    signature.r.to_big_endian(&mut r);
    signature.s.to_big_endian(&mut s);
    let args = vec![
        Token::Address(alice_address),
        Token::Address(bob_address),
        Token::Uint(value),
        Token::Uint(deadline),
        Token::Uint(U256::from(signature.v)),
        Token::FixedBytes(r.to_vec()),
        Token::FixedBytes(s.to_vec()),
    ];
    record("permit", transact(&carol, "permit", Args(args)).await?);
    Ok(TokenGas { operations })
}

/// The EIP-2612 digest `keccak256(0x1901 ‖ domain ‖ keccak256(PERMIT_TYPEHASH, ...))`.
pub(crate) fn permit_digest(
    domain: [u8; 32],
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> [u8; 32] {
    let typehash = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)",
    );
    let encoded = ethers::abi::encode(&[
        Token::FixedBytes(typehash.to_vec()),
        Token::Address(owner),
        Token::Address(spender),
        Token::Uint(value),
        Token::Uint(nonce),
        Token::Uint(deadline),
    ]);
    typed_data_digest(domain, &encoded)
}

/// The EIP-712 digest `keccak256(0x1901 ‖ domain ‖ keccak256(encoded struct))`, where `encoded`
/// is the ABI encoding of the type hash and the struct's fields.
pub(crate) fn typed_data_digest(domain: [u8; 32], encoded: &[u8]) -> [u8; 32] {
    let mut message = vec![0x19, 0x01];
    message.extend_from_slice(&domain);
    message.extend_from_slice(&keccak256(encoded));
    keccak256(message)
}

/// The Stylus token scenario run with the program uncached and with it cached, and what caching
/// it saves at entry (`ArbWasm.programInitGas`).
pub(crate) struct StylusRuns<'a> {
    /// Programs uncached.
    pub uncached: &'a TokenGas,
    /// Programs cached.
    pub cached: &'a TokenGas,
    /// `gas - gasWhenCached` of the token program.
    pub saving: u64,
}

/// Pairs the Solidity and Stylus runs of the same scenario into table rows.
pub(crate) fn pair(
    solidity: &TokenGas,
    stylus: Option<StylusRuns<'_>>,
    missing_stylus: Option<&str>,
) -> Vec<OperationGas> {
    solidity
        .operations
        .iter()
        .enumerate()
        .map(|(i, (operation, sol_gas))| {
            let stylus_gas = stylus.as_ref().and_then(|runs| {
                let (_, uncached) = runs.uncached.operations.get(i)?;
                let (_, cached) = runs.cached.operations.get(i)?;
                Some(StylusGas {
                    uncached: *uncached,
                    cached: *cached,
                    core_only_computed: uncached.saturating_sub(runs.saving),
                })
            });
            OperationGas {
                operation: operation.clone(),
                solidity: *sol_gas,
                stylus: stylus_gas,
                note: stylus_gas
                    .is_none()
                    .then(|| missing_stylus.unwrap_or("not measured").to_string()),
            }
        })
        .collect()
}

/// Raw calldata of `function(args)` in `abi`.
///
/// # Errors
/// When the function is unknown or the arguments do not match.
pub(crate) fn calldata(abi: &Abi, function: &str, args: &[Token]) -> Result<Bytes> {
    Ok(abi.function(function)?.encode_input(args)?.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permit_digest_matches_a_known_vector() {
        // Deterministic, and bound to the domain and to every signed field (the end-to-end run
        // checks it against both contracts: a wrong digest makes `permit` revert).
        let domain = [7u8; 32];
        let owner = Address::repeat_byte(1);
        let spender = Address::repeat_byte(2);
        let base = permit_digest(domain, owner, spender, U256::one(), U256::zero(), U256::MAX);
        assert_ne!(
            base,
            permit_digest(domain, owner, spender, U256::one(), U256::one(), U256::MAX)
        );
        assert_ne!(
            base,
            permit_digest(
                [8u8; 32],
                owner,
                spender,
                U256::one(),
                U256::zero(),
                U256::MAX
            )
        );
        assert_eq!(
            base,
            permit_digest(domain, owner, spender, U256::one(), U256::zero(), U256::MAX)
        );
    }

    #[test]
    fn init_gas_includes_the_minimum_and_grows_with_code() {
        let tiny = wat::parse_str(
            r#"(module
                (import "vm_hooks" "pay_for_memory_grow" (func (param i32)))
                (memory (export "memory") 1 1)
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
        )
        .unwrap();
        let gas = init_gas_of(&tiny).unwrap();
        assert!(gas >= devnode::stylus::program::MIN_INIT_GAS * 128, "{gas}");
        assert!(init_gas_of(b"not wasm").is_err());
    }

    #[test]
    fn rows_pair_by_position_with_the_measured_cached_run() {
        let solidity = TokenGas {
            operations: vec![("a".into(), 50_000), ("b".into(), 30_000)],
        };
        let stylus = TokenGas {
            operations: vec![("a".into(), 60_000), ("b".into(), 40_000)],
        };
        let cached = TokenGas {
            operations: vec![("a".into(), 50_000), ("b".into(), 29_000)],
        };
        let runs = StylusRuns {
            uncached: &stylus,
            cached: &cached,
            saving: 10_000,
        };
        let rows = pair(&solidity, Some(runs), None);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0].stylus,
            Some(StylusGas {
                uncached: 60_000,
                cached: 50_000,
                core_only_computed: 50_000,
            })
        );
        // The cached column is the cached run, not the subtraction.
        assert_eq!(rows[1].stylus.unwrap().cached, 29_000);
        assert_eq!(rows[1].stylus.unwrap().core_only_computed, 30_000);
        assert_eq!(rows[0].ratio_cached(), Some(1.0));
        assert_eq!(rows[1].ratio_uncached(), Some(40_000.0 / 30_000.0));
        assert!(rows[0].note.is_none());

        let missing = pair(&solidity, None, Some("over the size limit"));
        assert_eq!(missing[1].stylus, None);
        assert_eq!(missing[1].note.as_deref(), Some("over the size limit"));
        assert_eq!(missing[1].ratio_uncached(), None);
    }
}
