//! The harness itself: funded accounts, time travel, isolation between tests.
use anyhow::Result;
use ethers::providers::Middleware;
use ethers::types::{TransactionRequest, U256};
use integration_tests::{tokens, Harness};

#[tokio::test(flavor = "multi_thread")]
async fn funded_accounts_can_transact() -> Result<()> {
    let harness = Harness::start().await?;
    let alice = harness.funded_account(2).await?;
    assert_eq!(alice.get_balance(alice.address(), None).await?, tokens(2));
    let bob = harness.funded_account(0).await?;
    alice
        .send_transaction(TransactionRequest::pay(bob.address(), tokens(1)), None)
        .await?
        .await?;
    assert_eq!(bob.get_balance(bob.address(), None).await?, tokens(1));
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn time_travel_moves_the_block_clock() -> Result<()> {
    let harness = Harness::start().await?;
    let before = harness.now().await?;
    harness.increase_time(86_400).await?;
    let after = harness.now().await?;
    assert!(after >= before + 86_400, "{before} -> {after}");
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_test_starts_from_a_clean_chain() -> Result<()> {
    // Whatever another test did, a fresh harness sees untouched dev balances and its own temp
    // record directory.
    let harness = Harness::start().await?;
    if harness.is_embedded() {
        let balance = harness.chain.balance().await?;
        assert_eq!(balance, U256::from(10_000u64) * U256::exp10(18));
    }
    assert!(std::fs::read_dir(harness.records_dir())?.next().is_none());
    harness.finish().await
}
