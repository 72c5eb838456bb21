//! Agent token end to end: deployed through the deploy library, driven through the `abigen!`
//! bindings of `abi/AgentToken.json`, on the embedded devnode (or `RPC_URL`).

use std::sync::Arc;

use anyhow::Result;
use deploy::bindings::agent_token::{AgentToken, AgentTokenErrors, AgentTokenEvents};
use deploy::config::SystemParams;
use deploy::contracts::ContractKind;
use ethers::providers::Middleware;
use ethers::signers::Signer;
use ethers::types::transaction::eip712::Eip712;
use ethers::types::{Address, U256};
use integration_tests::{
    address_of, connect, events, revert, send, tokens, typed_data, Client, Harness,
};

// The exported ABI leaves error parameters unnamed, so abigen generates tuple structs (`.0`, `.1`, ...) in
// declaration order (e.g. `ERC20InsufficientBalance(sender, balance, needed)`).

/// A harness with a freshly deployed token (the deployer holds the supply and is governance
/// and treasury) and the token bound to the deployer.
async fn setup(params: &SystemParams) -> Result<(Harness, AgentToken<Client>)> {
    let harness = Harness::start().await?;
    let report = harness.deploy(&[ContractKind::AgentToken], params).await?;
    let address = address_of(&report, ContractKind::AgentToken)?;
    let token = AgentToken::new(address, harness.deployer());
    Ok((harness, token))
}

#[tokio::test(flavor = "multi_thread")]
async fn constructor_arguments_come_from_the_deploy_config() -> Result<()> {
    let params = SystemParams {
        token_name: "Test Agent".into(),
        token_symbol: "TAG".into(),
        token_supply: 5_000,
        tax_bps: 50,
        ..SystemParams::default()
    };
    let (harness, token) = setup(&params).await?;
    let deployer = harness.chain.deployer();
    assert_eq!(token.name().call().await?, "Test Agent");
    assert_eq!(token.symbol().call().await?, "TAG");
    assert_eq!(token.decimals().call().await?, 18);
    assert_eq!(token.total_supply().call().await?, tokens(5_000));
    assert_eq!(token.balance_of(deployer).call().await?, tokens(5_000));
    assert_eq!(token.tax_bps().call().await?, 50);
    assert_eq!(token.treasury().call().await?, deployer);
    assert_eq!(token.governance().call().await?, deployer);
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn transfers_pay_one_percent_to_the_treasury() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let treasury = harness.funded_account(1).await?;
    let alice = harness.funded_account(1).await?;
    let bob = harness.funded_account(1).await?;
    send(token.set_treasury(treasury.address())).await?;
    // The deployer is governance and therefore exempt: alice receives the full amount.
    send(token.transfer(alice.address(), tokens(1_000))).await?;
    assert_eq!(
        token.balance_of(alice.address()).call().await?,
        tokens(1_000)
    );

    let value = tokens(100);
    let quoted = token
        .quote_tax(alice.address(), bob.address(), value)
        .call()
        .await?;
    assert_eq!(quoted, tokens(1));
    let receipt = send(connect(&token, &alice).transfer(bob.address(), value)).await?;
    assert_eq!(token.balance_of(bob.address()).call().await?, tokens(99));
    assert_eq!(
        token.balance_of(treasury.address()).call().await?,
        tokens(1)
    );
    assert_eq!(token.balance_of(alice.address()).call().await?, tokens(900));
    // Both legs are Transfer events in the receipt.
    let transfers: Vec<_> = events::<AgentTokenEvents>(&receipt)
        .into_iter()
        .filter_map(|e| match e {
            AgentTokenEvents::TransferFilter(t) => Some((t.from, t.to, t.value)),
            _ => None,
        })
        .collect();
    assert!(
        transfers.contains(&(alice.address(), bob.address(), tokens(99))),
        "{transfers:?}"
    );
    assert!(
        transfers.contains(&(alice.address(), treasury.address(), tokens(1))),
        "{transfers:?}"
    );
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn exemptions_and_pool_only_scope() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let alice = harness.funded_account(1).await?;
    let bob = harness.funded_account(1).await?;
    let pool = harness.funded_account(1).await?;
    send(token.transfer(alice.address(), tokens(1_000))).await?;

    send(token.set_tax_exempt(alice.address(), true)).await?;
    assert!(token.is_tax_exempt(alice.address()).call().await?);
    send(connect(&token, &alice).transfer(bob.address(), tokens(100))).await?;
    assert_eq!(token.balance_of(bob.address()).call().await?, tokens(100));
    send(token.set_tax_exempt(alice.address(), false)).await?;

    // Pools-only scope: wallet-to-wallet is untaxed, a transfer to a pool is taxed.
    send(token.set_pools_only_tax(true)).await?;
    send(token.set_pool(pool.address(), true)).await?;
    send(connect(&token, &alice).transfer(bob.address(), tokens(100))).await?;
    assert_eq!(token.balance_of(bob.address()).call().await?, tokens(200));
    send(connect(&token, &alice).transfer(pool.address(), tokens(100))).await?;
    assert_eq!(token.balance_of(pool.address()).call().await?, tokens(99));
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn governance_lowers_the_tax_and_nobody_raises_it() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let mallory = harness.funded_account(1).await?;
    send(token.lower_tax_rate(50)).await?;
    assert_eq!(token.tax_bps().call().await?, 50);

    match revert(token.lower_tax_rate(60)).await? {
        AgentTokenErrors::TaxRateNotLowered(e) => {
            assert_eq!((e.0, e.1), (50, 60));
        }
        other => anyhow::bail!("unexpected {other:?}"),
    }
    match revert(connect(&token, &mallory).lower_tax_rate(10)).await? {
        AgentTokenErrors::Unauthorized(e) => {
            assert_eq!(e.0, mallory.address());
            assert_eq!(e.1, harness.chain.deployer());
        }
        other => anyhow::bail!("unexpected {other:?}"),
    }
    assert_eq!(
        token.tax_bps().call().await?,
        50,
        "failed calls change nothing"
    );
    harness.finish().await
}

/// Signs an EIP-2612 permit with ethers' EIP-712 signer.
async fn sign_permit(
    token: &AgentToken<Client>,
    owner: &Arc<Client>,
    spender: Address,
    value: U256,
    deadline: U256,
) -> Result<(u8, [u8; 32], [u8; 32])> {
    let chain_id = owner.get_chainid().await?.as_u64();
    let nonce = token.nonces(owner.address()).call().await?;
    let name = token.name().call().await?;
    let typed = typed_data(
        (&name, "1", chain_id, token.address()),
        "Permit",
        &[
            ("owner", "address"),
            ("spender", "address"),
            ("value", "uint256"),
            ("nonce", "uint256"),
            ("deadline", "uint256"),
        ],
        serde_json::json!({
            "owner": format!("{:#x}", owner.address()),
            "spender": format!("{spender:#x}"),
            "value": value.to_string(),
            "nonce": nonce.to_string(),
            "deadline": deadline.to_string()
        }),
    )?;
    assert_eq!(
        typed.domain_separator()?,
        token.domain_separator().call().await?,
        "the contract's EIP-712 domain is the standard one"
    );
    let signature = owner.signer().sign_typed_data(&typed).await?;
    let mut r = [0u8; 32];
    let mut s = [0u8; 32];
    signature.r.to_big_endian(&mut r);
    signature.s.to_big_endian(&mut s);
    Ok((u8::try_from(signature.v)?, r, s))
}

#[tokio::test(flavor = "multi_thread")]
async fn permit_signed_offline_is_used_by_a_third_party() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let alice = harness.funded_account(1).await?;
    let bob = harness.funded_account(1).await?;
    let relayer = harness.funded_account(1).await?;
    send(token.transfer(alice.address(), tokens(10))).await?;

    let deadline = U256::from(harness.now().await? + 3_600);
    let value = tokens(5);
    let (v, r, s) = sign_permit(&token, &alice, bob.address(), value, deadline).await?;
    let relayed = connect(&token, &relayer);
    let receipt =
        send(relayed.permit(alice.address(), bob.address(), value, deadline, v, r, s)).await?;
    assert_eq!(
        token
            .allowance(alice.address(), bob.address())
            .call()
            .await?,
        value
    );
    assert_eq!(token.nonces(alice.address()).call().await?, U256::one());
    assert!(events::<AgentTokenEvents>(&receipt)
        .iter()
        .any(|e| matches!(e, AgentTokenEvents::ApprovalFilter(a) if a.value == value)));

    // Replaying the same signature fails: the nonce is spent.
    match revert(relayed.permit(alice.address(), bob.address(), value, deadline, v, r, s)).await? {
        AgentTokenErrors::ERC2612InvalidSigner(_) => {}
        other => anyhow::bail!("unexpected {other:?}"),
    }
    // An expired permit fails.
    let past = U256::from(harness.now().await? - 1);
    let (v, r, s) = sign_permit(&token, &alice, bob.address(), value, past).await?;
    match revert(relayed.permit(alice.address(), bob.address(), value, past, v, r, s)).await? {
        AgentTokenErrors::ERC2612ExpiredSignature(e) => assert_eq!(e.0, past),
        other => anyhow::bail!("unexpected {other:?}"),
    }

    // Bob spends the allowance (alice is not exempt: the 1% tax applies).
    send(connect(&token, &bob).transfer_from(alice.address(), bob.address(), value)).await?;
    assert_eq!(
        token.balance_of(bob.address()).call().await?,
        tokens(5) * 99 / 100
    );
    assert_eq!(
        token
            .allowance(alice.address(), bob.address())
            .call()
            .await?,
        U256::zero()
    );
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn burn_and_burn_from_shrink_the_supply() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let alice = harness.funded_account(1).await?;
    let supply = token.total_supply().call().await?;
    send(token.burn(tokens(10))).await?;
    assert_eq!(token.total_supply().call().await?, supply - tokens(10));

    send(token.approve(alice.address(), tokens(3))).await?;
    let deployer = harness.chain.deployer();
    match revert(connect(&token, &alice).burn_from(deployer, tokens(4))).await? {
        AgentTokenErrors::ERC20InsufficientAllowance(e) => {
            assert_eq!((e.1, e.2), (tokens(3), tokens(4)));
        }
        other => anyhow::bail!("unexpected {other:?}"),
    }
    send(connect(&token, &alice).burn_from(deployer, tokens(3))).await?;
    assert_eq!(token.total_supply().call().await?, supply - tokens(13));
    assert_eq!(
        token.allowance(deployer, alice.address()).call().await?,
        U256::zero()
    );

    // Burning more than the balance is refused with the balances unchanged.
    let before = token.balance_of(alice.address()).call().await?;
    match revert(connect(&token, &alice).burn(tokens(1))).await? {
        AgentTokenErrors::ERC20InsufficientBalance(e) => {
            assert_eq!((e.0, e.1, e.2), (alice.address(), before, tokens(1)));
        }
        other => anyhow::bail!("unexpected {other:?}"),
    }
    assert_eq!(token.total_supply().call().await?, supply - tokens(13));
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn governance_moves_in_two_steps() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let successor = harness.funded_account(1).await?;
    let stranger = harness.funded_account(1).await?;
    let deployer = harness.chain.deployer();

    send(token.transfer_governance(successor.address())).await?;
    assert_eq!(
        token.pending_governance().call().await?,
        successor.address()
    );
    assert_eq!(
        token.governance().call().await?,
        deployer,
        "nothing moves before acceptance"
    );
    match revert(connect(&token, &stranger).accept_governance()).await? {
        AgentTokenErrors::NotPendingGovernance(_) => {}
        other => anyhow::bail!("unexpected {other:?}"),
    }
    send(connect(&token, &successor).accept_governance()).await?;
    assert_eq!(token.governance().call().await?, successor.address());
    assert_eq!(token.pending_governance().call().await?, Address::zero());
    match revert(token.lower_tax_rate(1)).await? {
        AgentTokenErrors::Unauthorized(e) => assert_eq!(e.0, deployer),
        other => anyhow::bail!("unexpected {other:?}"),
    }
    send(connect(&token, &successor).lower_tax_rate(1)).await?;
    assert_eq!(token.tax_bps().call().await?, 1);
    harness.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_transfers_are_typed_and_change_nothing() -> Result<()> {
    let (harness, token) = setup(&SystemParams::default()).await?;
    let alice = harness.funded_account(1).await?;
    send(token.transfer(alice.address(), tokens(1))).await?;
    match revert(connect(&token, &alice).transfer(harness.chain.deployer(), tokens(2))).await? {
        AgentTokenErrors::ERC20InsufficientBalance(e) => {
            assert_eq!((e.1, e.2), (tokens(1), tokens(2)));
        }
        other => anyhow::bail!("unexpected {other:?}"),
    }
    match revert(token.transfer(Address::zero(), tokens(1))).await? {
        AgentTokenErrors::ERC20InvalidReceiver(e) => assert_eq!(e.0, Address::zero()),
        other => anyhow::bail!("unexpected {other:?}"),
    }
    assert_eq!(token.balance_of(alice.address()).call().await?, tokens(1));
    harness.finish().await
}
