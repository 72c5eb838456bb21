//! The deploy library against the embedded devnode: connection errors, funding, the
//! StylusDeployer check, and (once the devnode runs Stylus) real deployments of a tiny program.
use std::path::Path;

use deploy::build::Artifact;
use deploy::chain::Chain;
use deploy::config::{SystemParams, NITRO_DEV_KEY};
use deploy::contracts::{keccak, ContractKind};
use deploy::deployer;
use deploy::error::DeployError;
use deploy::indicatif::ProgressBar;
use deploy::pipeline::{deploy_artifacts, Options, Outcome};
use deploy::Workspace;
use devnode::{DevnodeConfig, DevnodeHandle};
use ethers::providers::Middleware;
use ethers::types::{Bytes, U256};

async fn node() -> DevnodeHandle {
    devnode::spawn(DevnodeConfig::ephemeral()).await.unwrap()
}

async fn connect(node: &DevnodeHandle) -> Chain {
    Chain::connect(&node.url(), NITRO_DEV_KEY, Some(node.chain_id()))
        .await
        .unwrap()
}

/// The smallest valid Stylus program: exports memory and `user_entrypoint`, returns success.
fn tiny_program() -> Vec<u8> {
    wat::parse_str(
        r#"(module
            (memory (export "memory") 1 1)
            (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap()
}

#[tokio::test]
async fn unreachable_rpc_is_reported_with_the_url() {
    // Port 9 (discard) on loopback: nothing listens there.
    let err = Chain::connect("http://127.0.0.1:9", NITRO_DEV_KEY, None)
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Unreachable { .. }), "{err}");
    assert!(err.to_string().contains("http://127.0.0.1:9"), "{err}");
    let err = Chain::connect("not a url", NITRO_DEV_KEY, None)
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::InvalidRpcUrl { .. }), "{err}");
}

#[tokio::test]
async fn wrong_chain_id_and_bad_key_are_refused() {
    let node = node().await;
    let err = Chain::connect(&node.url(), NITRO_DEV_KEY, Some(421_614))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            DeployError::WrongChainId {
                expected: 421_614,
                actual: 412_346,
                ..
            }
        ),
        "{err}"
    );
    let err = Chain::connect(&node.url(), "0x1234", None)
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::InvalidKey { .. }), "{err}");
    let chain = connect(&node).await;
    assert_eq!(chain.chain_id, 412_346);
    assert_eq!(
        format!("{:#x}", chain.deployer()),
        "0x3f1eae7d46d88f08fc2f8ed27fcb2ab183eb2d0e"
    );
}

#[tokio::test]
async fn unfunded_key_is_refused_before_sending() {
    let node = node().await;
    let empty_key = "0x0101010101010101010101010101010101010101010101010101010101010101";
    let chain = Chain::connect(&node.url(), empty_key, None).await.unwrap();
    let err = chain
        .ensure_funded(U256::exp10(15), "deploying agent-token")
        .await
        .unwrap_err();
    match &err {
        DeployError::Unfunded {
            address, balance, ..
        } => {
            assert_eq!(*address, chain.deployer());
            assert_eq!(*balance, U256::zero());
        }
        other => panic!("unexpected {other}"),
    }
    assert!(err.to_string().contains("deploying agent-token"), "{err}");
    // The funded dev account passes.
    connect(&node)
        .await
        .ensure_funded(U256::exp10(18), "x")
        .await
        .unwrap();
}

#[tokio::test]
async fn a_chain_without_the_stylus_deployer_is_reported() {
    let node = node().await;
    let chain = connect(&node).await;
    deployer::ensure_deployer_exists(&chain).await.unwrap();
    let _: () = chain
        .provider()
        .request(
            "anvil_setCode",
            (deploy::arbitrum::STYLUS_DEPLOYER_ADDRESS, Bytes::new()),
        )
        .await
        .unwrap();
    let err = deployer::ensure_deployer_exists(&chain).await.unwrap_err();
    assert!(
        matches!(err, DeployError::NoStylusDeployer { chain_id: 412_346 }),
        "{err}"
    );
}

#[tokio::test]
async fn oversized_contracts_fail_before_any_transaction() {
    // Incompressible bytes: over 24,576 compressed.
    let mut state = 0x9e37_79b9u32;
    let noise: Vec<u8> = (0..40_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    let artifact = Artifact::from_wasm("staking-vault", noise);
    let err = DeployError::from(artifact.check_size().unwrap_err());
    assert!(err.to_string().starts_with("staking-vault is "), "{err}");
}

fn options(dir: &Path) -> Options {
    let mut options = Options::new(&Workspace::locate());
    options.deployments_dir = dir.join("deployments");
    options
}

#[tokio::test]
async fn deploys_activates_and_verifies_a_program() {
    let node = node().await;
    let chain = connect(&node).await;
    let artifact = Artifact::from_wasm("tiny", tiny_program());
    let fee = deployer::estimate_data_fee(&chain, "tiny", &artifact.code)
        .await
        .unwrap();
    assert!(fee > U256::zero());
    let deployed = deployer::deploy(&chain, "tiny", &artifact.code, Bytes::new(), [0; 32])
        .await
        .unwrap();
    assert_eq!(deployed.code_hash, keccak(&artifact.code));
    assert!(deployed.gas_used > U256::zero());
    let code = chain
        .provider()
        .get_code(deployed.address, None)
        .await
        .unwrap();
    assert_eq!(code.as_ref(), artifact.code.as_slice());
    // The same code is now active: no data fee the second time.
    let fee = deployer::estimate_data_fee(&chain, "tiny", &artifact.code)
        .await
        .unwrap();
    assert_eq!(fee, U256::zero());
}

#[tokio::test]
async fn invalid_wasm_fails_activation_with_a_reason() {
    let node = node().await;
    let chain = connect(&node).await;
    // Valid module, but no `user_entrypoint`: ArbWasm refuses it.
    let wasm = wat::parse_str(r#"(module (memory (export "memory") 1 1))"#).unwrap();
    let artifact = Artifact::from_wasm("broken", wasm);
    let err = deployer::deploy(&chain, "broken", &artifact.code, Bytes::new(), [0; 32])
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Activation { .. }), "{err}");
    assert!(err.to_string().contains("broken"), "{err}");
}

#[tokio::test]
async fn reruns_skip_deployed_contracts_and_force_redeploys() {
    let node = node().await;
    let chain = connect(&node).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(dir.path());
    let artifacts = vec![(
        ContractKind::AgentToken,
        Artifact::from_wasm("agent-token", tiny_program()),
    )];
    let progress = ProgressBar::hidden();
    // The stand-in program accepts any constructor call.
    let values = SystemParams::default().values(chain.deployer());

    let first = deploy_artifacts(&chain, &artifacts, values.clone(), &options, &progress)
        .await
        .unwrap();
    assert_eq!(first.rows[0].outcome, Outcome::Deployed);
    let address = first.address(ContractKind::AgentToken).unwrap();
    let path = first.record_path.clone().unwrap();
    assert!(path.ends_with("412346.json"));

    let second = deploy_artifacts(&chain, &artifacts, values.clone(), &options, &progress)
        .await
        .unwrap();
    assert_eq!(second.rows[0].outcome, Outcome::Skipped);
    assert_eq!(second.address(ContractKind::AgentToken), Some(address));
    assert_eq!(second.gas_spent(), U256::zero());

    options.force = true;
    let third = deploy_artifacts(&chain, &artifacts, values.clone(), &options, &progress)
        .await
        .unwrap();
    assert_eq!(third.rows[0].outcome, Outcome::Deployed);
    assert_ne!(third.address(ContractKind::AgentToken), Some(address));

    options.force = false;
    options.dry_run = true;
    let blocks_before = chain.provider().get_block_number().await.unwrap();
    let dry = deploy_artifacts(&chain, &artifacts, values.clone(), &options, &progress)
        .await
        .unwrap();
    assert_eq!(dry.rows[0].outcome, Outcome::Skipped);
    assert_eq!(
        chain.provider().get_block_number().await.unwrap(),
        blocks_before
    );
}

#[tokio::test]
async fn dry_run_estimates_without_sending() {
    let node = node().await;
    let chain = connect(&node).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(dir.path());
    options.dry_run = true;
    let artifacts = vec![(
        ContractKind::AgentToken,
        Artifact::from_wasm("agent-token", tiny_program()),
    )];
    let blocks_before = chain.provider().get_block_number().await.unwrap();
    let report = deploy_artifacts(
        &chain,
        &artifacts,
        SystemParams::default().values(chain.deployer()),
        &options,
        &ProgressBar::hidden(),
    )
    .await
    .unwrap();
    match &report.rows[0].outcome {
        Outcome::Planned(Ok(estimate)) => {
            assert!(estimate.gas > U256::zero());
            assert!(estimate.data_fee > U256::zero());
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(report.record_path, None);
    assert_eq!(
        chain.provider().get_block_number().await.unwrap(),
        blocks_before
    );
    assert!(!dir.path().join("deployments/412346.json").exists());
}

/// The real agent-token program, built for wasm32 (cached in the shared wasm target dir).
fn agent_token_artifact() -> Artifact {
    deploy::pipeline::prepare(&Workspace::locate(), &[ContractKind::AgentToken], true)
        .unwrap()
        .remove(0)
}

/// The real program starts within Nitro's free memory pages: the build's 32 KiB stack keeps
/// the per-call page charge (1,000 gas per page beyond two) at zero.
#[test]
fn built_programs_start_within_the_free_memory_pages() {
    let artifact = agent_token_artifact();
    let pages = artifact
        .initial_pages()
        .expect("agent-token declares its memory");
    assert!(
        pages <= u64::from(deploy::build::FREE_PAGES),
        "agent-token starts with {pages} pages"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pool_is_set_up_from_the_npm_artifacts_recorded_and_reused() {
    use deploy::bindings::agent_token::AgentToken;
    use deploy::bindings::uniswap_v2::UniswapV2Pair;
    use deploy::dex::{self, PoolConfig};
    use deploy::record::Deployments;

    let node = node().await;
    let chain = connect(&node).await;
    let dir = tempfile::tempdir().unwrap();
    let mut options = Options::new(&Workspace::locate());
    options.deployments_dir = dir.path().to_path_buf();
    let values = SystemParams::default().values(chain.deployer());
    let report = deploy_artifacts(
        &chain,
        &[(ContractKind::AgentToken, agent_token_artifact())],
        values,
        &options,
        &ProgressBar::hidden(),
    )
    .await
    .unwrap();
    let token = report.address(ContractKind::AgentToken).unwrap();
    let mut deployments = Deployments::load(dir.path(), chain.chain_id).unwrap();
    let config = PoolConfig {
        router: None,
        liquidity_eth: U256::exp10(18),
        liquidity_tokens: U256::exp10(24),
        force: false,
    };
    let ws = Workspace::locate();

    let first = dex::ensure(&chain, &ws, token, &config, &mut deployments, dir.path())
        .await
        .unwrap();
    let names: Vec<&str> = first.steps.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(first.gas_used() > U256::zero());
    let record = first.record.clone();
    assert!(record
        .source
        .as_deref()
        .unwrap()
        .contains("@uniswap/v2-core@1.0.1"));
    let pair = UniswapV2Pair::new(record.pair, chain.client.clone());
    assert!(pair.total_supply().call().await.unwrap() > U256::zero());
    let agent = AgentToken::new(token, chain.client.clone());
    assert!(agent.is_pool(record.pair).call().await.unwrap());
    assert_eq!(
        agent.balance_of(record.pair).call().await.unwrap(),
        U256::exp10(24)
    );

    // Recorded, and a second run reuses it without sending anything.
    let recorded = Deployments::load(dir.path(), chain.chain_id).unwrap();
    assert_eq!(recorded.dex.as_ref(), Some(&record));
    assert_eq!(dex::lp_token(&recorded), Some(record.pair));
    let second = dex::ensure(&chain, &ws, token, &config, &mut deployments, dir.path())
        .await
        .unwrap();
    assert_eq!(second.record, record);
    assert!(second.steps.is_empty(), "{:?}", second.steps);

    // Without a SubDAO the wiring check says so; the recorded code is on chain.
    let checks = deploy::verify::check_wiring(&chain, &recorded, &options.abi_dir)
        .await
        .unwrap();
    assert!(checks
        .iter()
        .any(|c| c.name == "subdao deployed" && !c.ok()));
    assert!(checks
        .iter()
        .filter(|c| c.name.contains(" code at "))
        .all(|c| c.ok()));
}

/// The README's main job, as a user runs it: the `deploy` binary with no `RPC_URL` starts the
/// embedded devnode, builds, deploys and wires the whole system, records it, prints the table
/// and (with `--exit`) stops. (Re-runs skipping recorded contracts are covered above through the
/// library, on a chain that outlives one run.)
#[test]
fn the_deploy_binary_deploys_the_whole_system() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_deploy"))
        .args(["--exit", "--devnode-port", "0"])
        .arg("--deployments-dir")
        .arg(dir.path())
        .env_remove("RPC_URL")
        .env_remove("PRIVATE_KEY")
        .output()
        .expect("running the deploy binary");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "deploy failed: {}\n{printed}",
        output.status
    );
    let recorded = std::fs::read_to_string(dir.path().join("412346.json"))
        .expect("the deployments/<chainid>.json record");
    for contract in ContractKind::ALL {
        assert!(printed.contains(contract.package()), "{printed}");
        assert!(recorded.contains(contract.package()), "{recorded}");
    }
    assert!(recorded.contains("staking-vault-ext"), "{recorded}");
}

#[tokio::test]
async fn cache_bids_cache_the_hot_programs_and_verify_wiring_shows_it() {
    use deploy::cache;
    let artifact = devnode::chain::cache_manager::npm_ci().unwrap();
    let node = devnode::spawn(DevnodeConfig {
        cache_manager: devnode::CacheManagerSource::Artifact(artifact),
        ..DevnodeConfig::ephemeral()
    })
    .await
    .unwrap();
    let chain = connect(&node).await;
    let dir = tempfile::tempdir().unwrap();
    let options = options(dir.path());
    // Different programs stand in for the token, the vault core and its extension (each
    // accepts any call, the constructor's included).
    let stand_in = |globals: usize| {
        let globals = "(global i32 (i32.const 7))".repeat(globals);
        wat::parse_str(format!(
            r#"(module
                (memory (export "memory") 1 1)
                {globals}
                (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
        ))
        .unwrap()
    };
    let mut vault = Artifact::from_wasm("staking-vault", stand_in(1));
    vault.extension = Some(Box::new(Artifact::from_wasm(
        "staking-vault-ext",
        stand_in(2),
    )));
    let artifacts = vec![
        (
            ContractKind::AgentToken,
            Artifact::from_wasm("agent-token", tiny_program()),
        ),
        (ContractKind::StakingVault, vault),
    ];
    // The stand-in programs are not a token a pool could trade: name an LP token so that no
    // Uniswap pool is set up for them.
    let mut values = SystemParams::default().values(chain.deployer());
    values.set("lp_token", format!("0x{}", "1b".repeat(20)));
    let report = deploy_artifacts(&chain, &artifacts, values, &options, &ProgressBar::hidden())
        .await
        .unwrap();
    let manager = cache::find_cache_manager(&chain).await.unwrap();
    assert_eq!(
        manager.map(|m| m.0),
        Some(devnode::chain::cache_manager::CACHE_MANAGER_ADDRESS.into_array())
    );
    let before = cache::checks(&chain, &report.deployments, true)
        .await
        .unwrap();
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|c| !c.ok()), "{before:?}");

    let states = cache::place_bids(&chain, &report.deployments, U256::from(1_000))
        .await
        .unwrap();
    assert_eq!(states.len(), 2);
    for state in &states {
        assert!(state.cached, "{state:?}");
        assert_eq!(state.bid.map(|(wei, _)| wei), Some(U256::from(1_000)));
    }
    // A second run finds them cached and bids nothing.
    let again = cache::place_bids(&chain, &report.deployments, U256::from(1_000))
        .await
        .unwrap();
    assert!(again.iter().all(|s| s.cached && s.bid.is_none()));
    let after = cache::checks(&chain, &report.deployments, true)
        .await
        .unwrap();
    assert!(after.iter().all(|c| c.ok()), "{after:?}");
    assert!(cache::table(manager, &states).contains("bid 1000 wei"));
}

#[tokio::test]
async fn cache_bids_fail_clearly_without_a_cache_manager() {
    let node = devnode::spawn(DevnodeConfig {
        cache_manager: devnode::CacheManagerSource::Off,
        ..DevnodeConfig::ephemeral()
    })
    .await
    .unwrap();
    let chain = connect(&node).await;
    assert_eq!(
        deploy::cache::find_cache_manager(&chain).await.unwrap(),
        None
    );
    let err = deploy::cache::place_bids(
        &chain,
        &deploy::record::Deployments::default(),
        U256::zero(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no CacheManager"), "{err}");
}

#[tokio::test]
async fn a_second_per_send_clock_mines_each_transaction_one_second_after_the_last_block() {
    use deploy::cache::{ArbWasmCache, ARB_WASM_CACHE_ADDRESS};
    use deploy::lifecycle::{Clock, Driver, Transcript};
    let node = node().await;
    let chain = connect(&node).await;
    let mut transcript = Transcript::default();
    let mut driver = Driver::new(&chain, &mut transcript);
    driver.set_clock(Clock::SecondPerSend);
    let cache = ArbWasmCache::new(ARB_WASM_CACHE_ADDRESS, chain.client.clone());
    let block_time = |receipt: ethers::types::TransactionReceipt| {
        let provider = chain.provider().clone();
        async move {
            let number = receipt.block_number.unwrap();
            let block = provider.get_block(number).await.unwrap().unwrap();
            block.timestamp.as_u64()
        }
    };
    let start = driver.now().await.unwrap();
    let first = driver
        .send("first", cache.all_cache_managers())
        .await
        .unwrap();
    assert_eq!(block_time(first).await, start + 1);
    // However long the wall clock moves on, the next one is one second later still.
    tokio::time::sleep(std::time::Duration::from_millis(2_200)).await;
    let second = driver
        .send("second", cache.all_cache_managers())
        .await
        .unwrap();
    assert_eq!(block_time(second).await, start + 2);
}
