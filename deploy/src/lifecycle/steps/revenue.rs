//! Step 9: trading through the pool, inference payments and the buyback-and-burn.
use ethers::types::{Address, U256};

use super::{ensure, show, Result, Story};
use crate::bindings::revenue::{BuybackBurnedFilter, Revenue};
use crate::bindings::uniswap_v2::UniswapV2Router02;
use crate::chain::Client;
use crate::lifecycle::driver::Actor;

/// `milli` thousandths of an ether, in wei.
fn eth(milli: u64) -> U256 {
    U256::from(milli) * U256::exp10(15)
}

/// A swap deadline far in the future (the devnode's clock moves by days).
fn deadline() -> U256 {
    U256::from(u64::MAX)
}

impl Story<'_, '_> {
    fn revenue(&self, a: &Actor) -> Revenue<Client> {
        Revenue::new(self.sys.revenue, a.client.clone())
    }

    fn router(&self, a: &Actor) -> UniswapV2Router02<Client> {
        UniswapV2Router02::new(self.sys.dex_router, a.client.clone())
    }

    fn buy_path(&self) -> Vec<Address> {
        vec![self.sys.weth, self.sys.token]
    }

    /// Trading through the Uniswap V2 pool, paid inferences, and the buyback-and-burn.
    pub(in crate::lifecycle) async fn pay_and_buy_back(&mut self) -> Result<()> {
        self.d
            .step("9. Revenue: trades through the pool; paid inferences buy back and burn AGENT");
        let trader = self.d.actor("dex-trader", 5).await?;
        let app = self.d.actor("application", 2).await?;
        let anyone = self.outsider.clone();

        // Taxed trading through the router's fee-on-transfer swaps.
        let treasury_before = self.agent_balance(self.sys.subdao).await?;
        let held_before = self.agent_balance(trader.address()).await?;
        let call = self
            .router(&trader)
            .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
                U256::one(),
                self.buy_path(),
                trader.address(),
                deadline(),
            )
            .value(eth(200));
        self.send("trader buys AGENT for 0.2 ETH through the router", call)
            .await?;
        let bought = self.agent_balance(trader.address()).await? - held_before;
        let sell = bought / 2;
        let call = self.token(&trader).approve(self.sys.dex_router, sell);
        self.send("trader approves the router", call).await?;
        let call = self
            .router(&trader)
            .swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
                sell,
                U256::one(),
                vec![self.sys.token, self.sys.weth],
                trader.address(),
                deadline(),
            );
        self.send("trader sells half of it back through the router", call)
            .await?;
        let tax_paid = self.agent_balance(self.sys.subdao).await? - treasury_before;
        ensure(!tax_paid.is_zero(), || "no tax reached the treasury".into())?;
        self.d.note(format!(
            "trader bought {} AGENT and sold {}; the trades paid {} AGENT tax to the treasury",
            show(bought),
            show(sell),
            show(tax_paid)
        ));

        // An application pays for five inferences.
        for i in 1..=5u8 {
            let call = self.revenue(&app).pay([i; 32]).value(eth(200));
            self.send(
                &format!("application pays 0.2 ETH for inference #{i}"),
                call,
            )
            .await?;
        }
        let (received, requests, waiting, treasury_share, ..) = self
            .d
            .view("revenue.totals", self.revenue(&app).totals())
            .await?;
        ensure(received == eth(1_000) && requests == 5, || {
            format!("revenue received {received} in {requests} requests")
        })?;
        self.d.note(format!(
            "revenue: {} ETH from {requests} paid inferences, {} ETH wait for the buyback, {} ETH for the treasury",
            show(received),
            show(waiting),
            show(treasury_share)
        ));

        // Someone moves the pool right before a buyback: refused.
        let deployer = self.deployer.clone();
        let settings = self
            .d
            .view("revenue.settings", self.revenue(&deployer).settings())
            .await?;
        self.d.increase_time(u64::from(settings.2)).await?;
        let held_before = self.agent_balance(trader.address()).await?;
        let call = self
            .router(&trader)
            .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
                U256::one(),
                self.buy_path(),
                trader.address(),
                deadline(),
            )
            .value(eth(3_000));
        self.send("trader buys AGENT for 3 ETH", call).await?;
        let moved = self.agent_balance(trader.address()).await? - held_before;
        let call = self.revenue(&anyone).buyback_and_burn();
        self.d
            .refused(
                "buyback right after the pool moved",
                call,
                "SpotDeviatesFromTwap",
            )
            .await?;
        let call = self.token(&trader).approve(self.sys.dex_router, moved);
        self.send("trader approves the router", call).await?;
        let call = self
            .router(&trader)
            .swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
                moved,
                U256::one(),
                vec![self.sys.token, self.sys.weth],
                trader.address(),
                deadline(),
            );
        self.send("trader sells those tokens back", call).await?;

        // Anyone triggers the buyback: the ETH buys AGENT through the pool, all of it burned.
        let supply_before = self
            .d
            .view("totalSupply", self.token(&deployer).total_supply())
            .await?;
        let quote = self
            .d
            .view(
                "revenue.buybackQuote",
                self.revenue(&anyone).buyback_quote(),
            )
            .await?;
        let call = self.revenue(&anyone).buyback_and_burn();
        let receipt = self
            .send("anyone triggers the buyback-and-burn", call)
            .await?;
        let event = receipt
            .logs
            .iter()
            .find_map(|log| ethers::contract::parse_log::<BuybackBurnedFilter>(log.clone()).ok())
            .ok_or_else(|| super::LifecycleError::check("no BuybackBurned event"))?;
        let supply_after = self
            .d
            .view("totalSupply", self.token(&deployer).total_supply())
            .await?;
        ensure(
            supply_before - supply_after == event.burned
                && event.bought >= quote.1
                && event.eth_in == waiting,
            || {
                format!(
                    "supply {supply_before} -> {supply_after}, burned {}, bought {} (min {})",
                    event.burned, event.bought, quote.1
                )
            },
        )?;
        self.d.note(format!(
            "buyback: {} ETH bought {} AGENT (minimum from the TWAP: {}), all burned",
            show(event.eth_in),
            show(event.bought),
            show(quote.1)
        ));
        self.d.note(format!(
            "agent token supply {} -> {} AGENT (-{})",
            show(supply_before),
            show(supply_after),
            show(event.burned)
        ));

        let dao_eth = self.d.eth_balance(self.sys.subdao).await?;
        let call = self.revenue(&anyone).release_treasury_share();
        self.send("anyone releases the treasury's share to the SubDAO", call)
            .await?;
        let gained = self.d.eth_balance(self.sys.subdao).await? - dao_eth;
        ensure(gained == treasury_share, || {
            format!("the SubDAO received {gained} wei, expected {treasury_share}")
        })?;
        self.d.note(format!(
            "the SubDAO received {} ETH of revenue",
            show(gained)
        ));
        Ok(())
    }
}
