//! The revenue program and the agent token's Uniswap V2 pool: an inference payment, a buyback
//! (TWAP check, swap through the pool, burn), and router swaps of the taxed token.
use anyhow::{ensure, Result};
use deploy::bindings::agent_token::AgentToken;
use deploy::bindings::revenue::Revenue;
use deploy::bindings::uniswap_v2::UniswapV2Router02;
use deploy::contracts::ContractKind;
use ethers::types::U256;

use super::{Bench, C};

/// A deadline the devnode's clock never reaches.
fn deadline() -> U256 {
    U256::from(u64::MAX)
}

impl Bench<'_> {
    fn revenue_as(&self, a: &deploy::lifecycle::Actor) -> Revenue<C> {
        Revenue::new(self.revenue, a.client.clone())
    }

    fn router_as(&self, a: &deploy::lifecycle::Actor) -> UniswapV2Router02<C> {
        UniswapV2Router02::new(self.dex.router, a.client.clone())
    }

    /// A payment (the second of its payer, so no first-write premium), a router buy and sell
    /// of the taxed token, and a buyback once the TWAP window has passed.
    pub(super) async fn revenue_and_pool(&mut self) -> Result<()> {
        const REVENUE: ContractKind = ContractKind::Revenue;
        const TOKEN: ContractKind = ContractKind::AgentToken;
        let app = self.d.actor("bench application", 5).await?;
        let trader = self.d.actor("bench trader", 5).await?;
        let deployer = self.deployer.clone();
        // The deploy wiring exempts the program (this system is left unwired).
        let token = AgentToken::new(self.token, deployer.client.clone());
        self.setup(
            "exempt the revenue program",
            token.set_tax_exempt(self.revenue, true),
        )
        .await?;

        let call = self.revenue_as(&app).pay([1; 32]).value(U256::exp10(17));
        self.setup("first payment", call).await?;
        let call = self.revenue_as(&app).pay([2; 32]).value(U256::exp10(17));
        self.measure(REVENUE, "pay (an inference payment in ETH)", call)
            .await?;

        let path = vec![self.dex.weth, self.token];
        let call = self
            .router_as(&trader)
            .swap_exact_eth_for_tokens_supporting_fee_on_transfer_tokens(
                U256::one(),
                path,
                trader.address(),
                deadline(),
            )
            .value(U256::exp10(17));
        self.measure(
            TOKEN,
            "Uniswap V2 router: buy AGENT with ETH (fee-on-transfer swap, taxed)",
            call,
        )
        .await?;
        let held = AgentToken::new(self.token, trader.client.clone())
            .balance_of(trader.address())
            .call()
            .await?;
        let call =
            AgentToken::new(self.token, trader.client.clone()).approve(self.dex.router, held);
        self.setup("trader approves the router", call).await?;
        let call = self
            .router_as(&trader)
            .swap_exact_tokens_for_eth_supporting_fee_on_transfer_tokens(
                held / 2,
                U256::one(),
                vec![self.token, self.dex.weth],
                trader.address(),
                deadline(),
            );
        self.measure(
            TOKEN,
            "Uniswap V2 router: sell AGENT for ETH (fee-on-transfer swap, taxed)",
            call,
        )
        .await?;

        let settings = self.revenue_as(&deployer).settings().call().await?;
        self.d.increase_time(u64::from(settings.2)).await?;
        let supply = token.total_supply().call().await?;
        let call = self.revenue_as(&trader).buyback_and_burn();
        self.measure(
            REVENUE,
            "buybackAndBurn (TWAP check, swap through the pool, burn)",
            call,
        )
        .await?;
        ensure!(
            token.total_supply().call().await? < supply,
            "the buyback burned"
        );
        Ok(())
    }
}
