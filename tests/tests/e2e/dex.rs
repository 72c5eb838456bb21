//! The agent token's Uniswap V2 pool on the devnode: deployed by the deploy library from the
//! published npm artifacts, traded through the router's fee-on-transfer swaps (taxed), liquidity
//! added and removed, and the pair's LP tokens staked in the vault.

use anyhow::{ensure, Context, Result};
use deploy::bindings::agent_token::{AgentToken, TaxChargedFilter};
use deploy::bindings::staking_vault::StakingVault;
use deploy::bindings::uniswap_v2::{UniswapV2Pair, UniswapV2Router02};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, U256};
use integration_tests::{address_of, events, send, tokens, Client, Harness};

/// A deadline the devnode's clock never reaches.
fn deadline() -> U256 {
    U256::from(u64::MAX)
}

struct Pool {
    harness: Harness,
    token: AgentToken<Client>,
    router: UniswapV2Router02<Client>,
    pair: UniswapV2Pair<Client>,
    weth: Address,
    vault: Address,
}

/// The token and the vault (whose LP token is the pool the deploy library sets up), with the
/// tax going to a fresh treasury account.
async fn setup() -> Result<(Pool, Address)> {
    let harness = Harness::start().await?;
    let report = harness
        .deploy(
            &[ContractKind::AgentToken, ContractKind::StakingVault],
            &SystemParams::default(),
        )
        .await?;
    let pool = report.pool.clone().context("no pool was set up")?;
    let dex = pool.record;
    let token = AgentToken::new(
        address_of(&report, ContractKind::AgentToken)?,
        harness.deployer(),
    );
    let treasury = harness.funded_account(0).await?.address();
    send(token.set_treasury(treasury)).await?;
    let router = UniswapV2Router02::new(dex.router, harness.deployer());
    let pair = UniswapV2Pair::new(dex.pair, harness.deployer());
    let vault = address_of(&report, ContractKind::StakingVault)?;
    Ok((
        Pool {
            harness,
            token,
            router,
            pair,
            weth: dex.weth,
            vault,
        },
        treasury,
    ))
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_sets_up_a_real_uniswap_v2_pool_for_the_token() -> Result<()> {
    let (p, _) = setup().await?;
    let params = SystemParams::default();
    ensure!(p.router.weth().call().await? == p.weth);
    let (r0, r1, _) = p.pair.get_reserves().call().await?;
    let token0 = p.pair.token_0().call().await?;
    let (r_token, r_weth) = if token0 == p.token.address() {
        (r0, r1)
    } else {
        (r1, r0)
    };
    ensure!(
        U256::from(r_token) == tokens(params.pool_tokens),
        "{r_token}"
    );
    ensure!(U256::from(r_weth) == tokens(params.pool_eth), "{r_weth}");
    ensure!(p.token.is_pool(p.pair.address()).call().await?);
    let deployer_lp = p.pair.balance_of(p.harness.chain.deployer()).call().await?;
    // sqrt(x * y) minus the 1,000 units the pair locks forever.
    ensure!(deployer_lp + U256::from(1_000) == p.pair.total_supply().call().await?);
    let vault = StakingVault::new(p.vault, p.harness.deployer());
    ensure!(vault.parameters().call().await?.0 == p.pair.address());
    p.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn buying_and_selling_through_the_router_pays_the_tax_to_the_treasury() -> Result<()> {
    let (p, treasury) = setup().await?;
    let trader = p.harness.funded_account(10).await?;
    let router = UniswapV2Router02::new(p.router.address(), trader.clone());
    let token = AgentToken::new(p.token.address(), trader.clone());

    // Buy: the pair pays out, the token taxes the transfer from the pool.
    let path = vec![p.weth, p.token.address()];
    let expected = router
        .get_amounts_out(tokens(1), path.clone())
        .call()
        .await?[1];
    let receipt = send(
        router
            .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
                U256::one(),
                path,
                trader.address(),
                deadline(),
            )
            .value(tokens(1)),
    )
    .await?;
    let taxed: Vec<TaxChargedFilter> = events(&receipt);
    ensure!(taxed.len() == 1 && taxed[0].from == p.pair.address());
    let tax = taxed[0].tax;
    ensure!(tax == expected / U256::from(100), "1% of {expected}: {tax}");
    let bought = token.balance_of(trader.address()).call().await?;
    ensure!(bought == expected - tax);
    ensure!(p.token.balance_of(treasury).call().await? == tax);

    // Sell: the transfer into the pool is taxed, the pair prices what it received.
    send(token.approve(router.address(), bought)).await?;
    let eth_before = trader.get_balance(trader.address(), None).await?;
    let receipt = send(
        router.swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
            bought,
            U256::one(),
            vec![p.token.address(), p.weth],
            trader.address(),
            deadline(),
        ),
    )
    .await?;
    let taxed: Vec<TaxChargedFilter> = events(&receipt);
    ensure!(taxed.len() == 1 && taxed[0].to == p.pair.address());
    ensure!(taxed[0].tax == bought / U256::from(100));
    ensure!(p.token.balance_of(treasury).call().await? == tax + taxed[0].tax);
    ensure!(token.balance_of(trader.address()).call().await?.is_zero());
    let gas =
        receipt.gas_used.unwrap_or_default() * receipt.effective_gas_price.unwrap_or_default();
    let eth_after = trader.get_balance(trader.address(), None).await?;
    ensure!(eth_after + gas > eth_before, "the sale paid ETH");
    p.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn liquidity_is_added_and_removed_and_lp_tokens_are_staked() -> Result<()> {
    let (p, _) = setup().await?;
    let lp = p.harness.funded_account(50).await?;
    send(p.token.transfer(lp.address(), tokens(1_000_000))).await?;
    let token = AgentToken::new(p.token.address(), lp.clone());
    let router = UniswapV2Router02::new(p.router.address(), lp.clone());
    let pair = UniswapV2Pair::new(p.pair.address(), lp.clone());
    let held = token.balance_of(lp.address()).call().await?;
    send(token.approve(router.address(), held)).await?;
    send(
        router
            .add_liquidity_eth(
                p.token.address(),
                held,
                U256::zero(),
                U256::zero(),
                lp.address(),
                deadline(),
            )
            .value(tokens(20)),
    )
    .await?;
    let shares = pair.balance_of(lp.address()).call().await?;
    ensure!(!shares.is_zero(), "LP tokens minted");

    // Half of them back out (fee-on-transfer removal: the token leg is taxed on the way out).
    let out = shares / 2;
    send(pair.approve(router.address(), out)).await?;
    let tokens_before = token.balance_of(lp.address()).call().await?;
    send(
        router.remove_liquidity_eth_supporting_fee_on_transfer_tokens(
            p.token.address(),
            out,
            U256::zero(),
            U256::zero(),
            lp.address(),
            deadline(),
        ),
    )
    .await?;
    ensure!(pair.balance_of(lp.address()).call().await? == shares - out);
    ensure!(token.balance_of(lp.address()).call().await? > tokens_before);

    // The rest is staked in the vault, which holds the pair's LP tokens.
    let stake = shares - out;
    let vault = StakingVault::new(p.vault, lp.clone());
    send(vault.register_validator(U256::from(500), Bytes::from(b"ipfs://v".to_vec()))).await?;
    send(pair.approve(p.vault, stake)).await?;
    send(vault.stake(lp.address(), stake)).await?;
    ensure!(pair.balance_of(p.vault).call().await? == stake);
    ensure!(vault.get_votes(lp.address()).call().await? == stake);
    p.harness.finish().await
}
