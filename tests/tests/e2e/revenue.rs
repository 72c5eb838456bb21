//! The revenue program on the devnode with a real Uniswap V2 pool: payments accumulate, a
//! buyback swaps through the pool and burns exactly what it bought, a pool moved just before
//! makes it refuse, the cap holds, a malicious router can neither re-enter nor keep the ETH, and
//! the OML registry's protocol share and the token's tax, routed here by governance, are revenue.

use anyhow::{ensure, Context, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::oml_registry::OmlRegistry;
use deploy::bindings::revenue::{
    BuybackBurnedFilter, InferencePaidFilter, Revenue, RevenueErrors, RevenueReceivedFilter,
};
use deploy::bindings::uniswap_v2::UniswapV2Router02;
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::providers::Middleware;
use ethers::types::{Address, Bytes, U256};
use ethers::utils::keccak256;
use integration_tests::bindings::malicious_router::MaliciousRouter;
use integration_tests::{address_of, connect, events, revert, send, tokens, Client, Harness};

/// Oracle window of these deployments (the program's minimum).
const WINDOW: u64 = 60;

struct System {
    harness: Harness,
    token: AgentToken<Client>,
    revenue: Revenue<Client>,
    router: Address,
    weth: Address,
    /// The OML registry, when deployed ([`setup_with`]).
    registry: Option<Address>,
}

/// The token, its pool and the revenue program, governed by the deployer, with a 20% treasury
/// share to a fresh treasury, a 60 s window and `cap` wei per day; the program is tax-exempt
/// (as the deploy wiring makes it).
async fn setup(cap: U256) -> Result<(System, Address)> {
    setup_with(cap, &[]).await
}

/// [`setup`] with `extra` contracts deployed too (the deployer governs them).
async fn setup_with(cap: U256, extra: &[ContractKind]) -> Result<(System, Address)> {
    let harness = Harness::start().await?;
    let params = SystemParams {
        twap_window: WINDOW as u32,
        cap_per_period: cap,
        ..SystemParams::default()
    };
    let treasury = harness.funded_account(0).await?.address();
    let report = harness
        .deploy_with(
            &[&[ContractKind::AgentToken, ContractKind::Revenue], extra].concat(),
            &params,
            &[("treasury", treasury)],
        )
        .await?;
    let dex = report.pool.clone().context("no pool")?.record;
    let token = AgentToken::new(
        address_of(&report, ContractKind::AgentToken)?,
        harness.deployer(),
    );
    let revenue = Revenue::new(
        address_of(&report, ContractKind::Revenue)?,
        harness.deployer(),
    );
    send(token.set_tax_exempt(revenue.address(), true)).await?;
    Ok((
        System {
            harness,
            token,
            revenue,
            router: dex.router,
            weth: dex.weth,
            registry: address_of(&report, ContractKind::OmlRegistry).ok(),
        },
        treasury,
    ))
}

/// `who` buys agent tokens for `wei` through the router.
async fn buy(s: &System, who: &std::sync::Arc<Client>, wei: U256) -> Result<()> {
    let router = UniswapV2Router02::new(s.router, who.clone());
    send(
        router
            .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
                U256::one(),
                vec![s.weth, s.token.address()],
                who.address(),
                U256::from(u64::MAX),
            )
            .value(wei),
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn payments_accumulate_and_a_buyback_burns_exactly_what_it_bought() -> Result<()> {
    let (s, treasury) = setup(tokens(10)).await?;
    let app = s.harness.funded_account(5).await?;
    let revenue = connect(&s.revenue, &app);
    for i in 1..=3u8 {
        let receipt = send(revenue.pay([i; 32]).value(tokens(1))).await?;
        let paid: Vec<InferencePaidFilter> = events(&receipt);
        ensure!(paid.len() == 1 && paid[0].payer == app.address() && paid[0].request == [i; 32]);
        ensure!(paid[0].index == u64::from(i));
    }
    let (received, requests, waiting, for_treasury, ..) = revenue.totals().call().await?;
    ensure!(received == tokens(3) && requests == 3);
    ensure!(waiting == tokens(3) * 8 / 10 && for_treasury == tokens(3) * 2 / 10);
    let balance = app.get_balance(s.revenue.address(), None).await?;
    ensure!(balance == tokens(3), "the program holds the ETH: {balance}");

    // Too early: the observation taken at deployment is younger than the window.
    let refused = revert::<RevenueErrors, _>(revenue.buyback_and_burn()).await?;
    ensure!(
        matches!(refused, RevenueErrors::TwapNotReady(_)),
        "{refused:?}"
    );

    s.harness.increase_time(WINDOW).await?;
    let supply = s.token.total_supply().call().await?;
    let (eth_in, min_out, twap, spot) = revenue.buyback_quote().call().await?;
    ensure!(eth_in == waiting && twap == spot && !min_out.is_zero());
    let receipt = send(revenue.buyback_and_burn()).await?;
    let burned: Vec<BuybackBurnedFilter> = events(&receipt);
    ensure!(burned.len() == 1);
    let event = &burned[0];
    ensure!(event.eth_in == waiting && event.bought >= min_out);
    ensure!(
        event.burned == event.bought,
        "the tax-exempt program received it all"
    );
    let after = s.token.total_supply().call().await?;
    ensure!(supply - after == event.burned, "supply {supply} -> {after}");
    ensure!(s
        .token
        .balance_of(s.revenue.address())
        .call()
        .await?
        .is_zero());
    let (_, _, waiting, _, swapped, _, total_burned) = revenue.totals().call().await?;
    ensure!(waiting.is_zero() && swapped == eth_in && total_burned == event.burned);

    // The treasury's share goes out to the treasury.
    send(revenue.release_treasury_share()).await?;
    ensure!(app.get_balance(treasury, None).await? == for_treasury);
    s.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_buyback_right_after_a_large_swap_is_refused() -> Result<()> {
    let (s, _) = setup(tokens(10)).await?;
    let app = s.harness.funded_account(30).await?;
    send(connect(&s.revenue, &app).pay([1; 32]).value(tokens(1))).await?;
    s.harness.increase_time(WINDOW).await?;
    let supply = s.token.total_supply().call().await?;
    // 20 ETH into a 100 ETH pool: the spot price moves far more than the 2% bound.
    buy(&s, &app, tokens(20)).await?;
    let refused = revert::<RevenueErrors, _>(s.revenue.buyback_and_burn()).await?;
    let RevenueErrors::SpotDeviatesFromTwap(e) = refused else {
        anyhow::bail!("expected SpotDeviatesFromTwap, got {refused:?}");
    };
    ensure!(e.0 < e.1, "fewer tokens per WETH at spot than on average");
    ensure!(s.token.total_supply().call().await? == supply);
    let (_, _, waiting, ..) = s.revenue.totals().call().await?;
    ensure!(waiting == tokens(1) * 8 / 10, "nothing was spent");
    s.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cap_limits_each_period() -> Result<()> {
    let (s, _) = setup(tokens(1) / 2).await?;
    let app = s.harness.funded_account(5).await?;
    send(connect(&s.revenue, &app).pay([1; 32]).value(tokens(2))).await?;
    s.harness.increase_time(WINDOW).await?;
    let receipt = send(s.revenue.buyback_and_burn()).await?;
    let burned: Vec<BuybackBurnedFilter> = events(&receipt);
    ensure!(burned[0].eth_in == tokens(1) / 2, "only the cap is swapped");
    s.harness.increase_time(WINDOW).await?;
    let refused = revert::<RevenueErrors, _>(s.revenue.buyback_and_burn()).await?;
    ensure!(
        matches!(refused, RevenueErrors::CapReached(_)),
        "{refused:?}"
    );
    s.harness.increase_time(86_400).await?;
    let receipt = send(s.revenue.buyback_and_burn()).await?;
    let burned: Vec<BuybackBurnedFilter> = events(&receipt);
    ensure!(burned[0].eth_in == tokens(1) / 2, "a new period, a new cap");
    let (_, _, waiting, _, swapped, ..) = s.revenue.totals().call().await?;
    ensure!(swapped == tokens(1) && waiting == tokens(2) * 8 / 10 - tokens(1));
    s.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_router_reentering_the_buyback_is_refused() -> Result<()> {
    let (s, _) = setup(tokens(10)).await?;
    let evil = MaliciousRouter::deploy(s.harness.deployer(), s.router)?
        .send()
        .await?;
    send(
        s.revenue
            .set_dex(evil.address(), s.revenue.dex().call().await?.3),
    )
    .await?;
    let app = s.harness.funded_account(5).await?;
    send(connect(&s.revenue, &app).pay([1; 32]).value(tokens(1))).await?;
    s.harness.increase_time(WINDOW).await?;
    let again = s
        .revenue
        .buyback_and_burn()
        .calldata()
        .context("calldata")?;
    send(evil.set_hook(again)).await?;
    let supply = s.token.total_supply().call().await?;
    let receipt = send(s.revenue.buyback_and_burn()).await?;
    ensure!(evil.calls().call().await? == U256::one(), "the hook ran");
    ensure!(
        !evil.last_ok().call().await?,
        "the nested buyback was refused"
    );
    ensure!(
        evil.last_return().call().await?.is_empty(),
        "refused by the SDK's re-entry check (empty revert data)"
    );
    let burned: Vec<BuybackBurnedFilter> = events(&receipt);
    ensure!(burned.len() == 1, "only the outer buyback ran");
    ensure!(supply - s.token.total_supply().call().await? == burned[0].burned);
    s.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_router_that_keeps_the_eth_is_refused() -> Result<()> {
    let (s, _) = setup(tokens(10)).await?;
    let evil = MaliciousRouter::deploy(s.harness.deployer(), s.router)?
        .send()
        .await?;
    send(
        s.revenue
            .set_dex(evil.address(), s.revenue.dex().call().await?.3),
    )
    .await?;
    send(evil.set_keep_eth(true)).await?;
    let app = s.harness.funded_account(5).await?;
    send(connect(&s.revenue, &app).pay([1; 32]).value(tokens(1))).await?;
    s.harness.increase_time(WINDOW).await?;
    let refused = revert::<RevenueErrors, _>(s.revenue.buyback_and_burn()).await?;
    let RevenueErrors::InsufficientOutput(e) = refused else {
        anyhow::bail!("expected InsufficientOutput, got {refused:?}");
    };
    ensure!(e.0.is_zero() && !e.1.is_zero());
    ensure!(app.get_balance(evil.address(), None).await?.is_zero());
    s.harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn only_governance_sets_the_buyback_parameters() -> Result<()> {
    let (s, _) = setup(tokens(10)).await?;
    let eve = s.harness.funded_account(1).await?;
    let revenue = connect(&s.revenue, &eve);
    let refused = revert::<RevenueErrors, _>(revenue.set_cap(3_600, U256::zero())).await?;
    ensure!(
        matches!(refused, RevenueErrors::Unauthorized(_)),
        "{refused:?}"
    );
    let refused = revert::<RevenueErrors, _>(s.revenue.set_oracle(60, 5_000, 100)).await?;
    ensure!(
        matches!(refused, RevenueErrors::SettingOutOfRange(_)),
        "{refused:?}"
    );
    send(s.revenue.set_oracle(120, 100, 50)).await?;
    let settings = s.revenue.settings().call().await?;
    ensure!((settings.2, settings.3, settings.4) == (120, 100, 50));
    s.harness.finish().await
}

/// Routing by configuration: governance makes the revenue program the OML registry's treasury
/// and the agent token's treasury. The registry's protocol share of a usage fee, paid out to the
/// program by anyone (`withdrawFor`), arrives as revenue; the token's tax on a pool purchase
/// arrives as agent tokens, which the next buyback burns with what it buys.
#[tokio::test(flavor = "multi_thread")]
async fn the_registry_share_and_the_token_tax_routed_here_become_revenue() -> Result<()> {
    let (s, _) = setup_with(tokens(10), &[ContractKind::OmlRegistry]).await?;
    let registry = OmlRegistry::new(s.registry.context("no registry")?, s.harness.deployer());
    // (treasury, challengeWindow, cooldown, claimBondBps, bountyBps, protocolSlashBps)
    let mut params = registry.params().call().await?;
    params.0 = s.revenue.address();
    send(registry.set_params(params)).await?;
    send(s.token.set_treasury(s.revenue.address())).await?;

    // A model earning ETH usage fees: 60% creator, 20% ancestors (none: to the creator), 10%
    // provers' pool, 10% protocol.
    let (owner, host, stranger) = (
        s.harness.funded_account(1).await?,
        s.harness.funded_account(5).await?,
        s.harness.funded_account(1).await?,
    );
    let gwei = U256::exp10(9);
    let (fee, collateral) = (gwei * 1_000, gwei * 1_000_000);
    let terms = crate::oml_registry::terms(fee, collateral);
    let model_call = connect(&registry, &owner).register_model(
        keccak256("weights"),
        Bytes::from(b"ipfs://weights".to_vec()),
        0,
        terms,
    );
    let model = model_call.call().await?;
    send(model_call).await?;
    let license_call = connect(&registry, &host)
        .request_license(model)
        .value(collateral);
    let license = license_call.call().await?;
    send(license_call).await?;
    let paid = fee * 100;
    send(
        connect(&registry, &host)
            .report_usage(license, 100)
            .value(paid),
    )
    .await?;
    let share = paid / 10;
    let credit = registry.credit(Address::zero(), s.revenue.address());
    ensure!(credit.call().await? == share);

    // Anyone pays the share out; it can only go to the program, where it is revenue.
    let receipt =
        send(connect(&registry, &stranger).withdraw_for(s.revenue.address(), Address::zero()))
            .await?;
    let arrived: Vec<RevenueReceivedFilter> = events(&receipt);
    ensure!(arrived.len() == 1, "{arrived:?}");
    ensure!(arrived[0].from == registry.address() && arrived[0].amount == share);
    ensure!(credit.call().await?.is_zero());
    let (received, requests, waiting, ..) = s.revenue.totals().call().await?;
    ensure!(received == share && requests == 0 && waiting == share * 8 / 10);

    // The tax on a purchase from the pool reaches the program; the buyback burns it too.
    buy(&s, &stranger, tokens(1) / 10).await?;
    let tax = s.token.balance_of(s.revenue.address()).call().await?;
    ensure!(!tax.is_zero(), "the tax arrived");
    s.harness.increase_time(WINDOW).await?;
    let supply = s.token.total_supply().call().await?;
    let receipt = send(s.revenue.buyback_and_burn()).await?;
    let burned: Vec<BuybackBurnedFilter> = events(&receipt);
    ensure!(burned.len() == 1 && burned[0].eth_in == waiting);
    ensure!(
        burned[0].burned == burned[0].bought + tax,
        "{:?}",
        burned[0]
    );
    ensure!(supply - s.token.total_supply().call().await? == burned[0].burned);
    s.harness.finish().await
}
