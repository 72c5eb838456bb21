//! The vault's test host: `agentdao_test_host::CallHost` (TestVM whose outgoing calls the test
//! answers) with simulated ERC-20 tokens.
//!
//! `TestVM::mock_call` keys a mock by calldata and always returns the last mocked data, so it
//! cannot model the vault's `balanceOf` before/after a `transferFrom`. [`Tokens`] answers token
//! calls from a real in-memory ledger instead, with knobs for fee-on-transfer, failing or
//! `false`-returning tokens and a callback that re-enters the vault from inside a transfer.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use agentdao_test_host::{Answer, Call, CallHost, CallKind, Calls, TestVM};
use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_sdk::stylus_core::host::AccountAccess;

sol! {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// How a simulated token misbehaves.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) enum Quirk {
    /// A well-behaved token.
    #[default]
    None,
    /// Every transfer burns this many basis points of the amount.
    FeeOnTransfer(u64),
    /// Transfers revert.
    Revert,
    /// Transfers return `false` without moving tokens.
    ReturnFalse,
}

/// The vault under test talks to simulated tokens.
pub(super) type TokenHost = CallHost<Tokens>;

/// Code run inside a token transfer, given the host (to build a re-entrant vault handle).
pub(super) type Hook = Rc<dyn Fn(&TokenHost)>;

#[derive(Default)]
struct Token {
    balances: HashMap<Address, U256>,
    quirk: Quirk,
}

/// The simulated tokens and the re-entrancy hook.
#[derive(Default)]
pub(crate) struct Tokens {
    tokens: RefCell<HashMap<Address, Token>>,
    hook: RefCell<Option<Hook>>,
}

/// A host with the vault at `vault` and simulated tokens at `tokens`.
pub(super) fn token_host(vault: Address, tokens: &[Address]) -> TokenHost {
    let vm = TestVM::default();
    vm.set_contract_address(vault);
    let ledger = Tokens::default();
    for token in tokens {
        ledger.tokens.borrow_mut().insert(*token, Token::default());
    }
    CallHost::new(vm, ledger)
}

/// Token set-up and reads on the host itself.
pub(super) trait TokenLedger {
    /// Credits `amount` of `token` to `account`.
    fn mint(&self, token: Address, account: Address, amount: U256);
    /// Balance of `account` in `token`.
    fn token_balance(&self, token: Address, account: Address) -> U256;
    /// Makes `token` misbehave.
    fn set_quirk(&self, token: Address, quirk: Quirk);
    /// Runs `hook` inside the next token transfers (until cleared with `None`).
    fn set_hook(&self, hook: Option<Hook>);
}

impl TokenLedger for TokenHost {
    fn mint(&self, token: Address, account: Address, amount: U256) {
        let mut tokens = self.calls.tokens.borrow_mut();
        let balance = tokens
            .get_mut(&token)
            .unwrap()
            .balances
            .entry(account)
            .or_default();
        *balance += amount;
    }

    fn token_balance(&self, token: Address, account: Address) -> U256 {
        self.calls.tokens.borrow()[&token]
            .balances
            .get(&account)
            .copied()
            .unwrap_or_default()
    }

    fn set_quirk(&self, token: Address, quirk: Quirk) {
        self.calls
            .tokens
            .borrow_mut()
            .get_mut(&token)
            .unwrap()
            .quirk = quirk;
    }

    fn set_hook(&self, hook: Option<Hook>) {
        *self.calls.hook.borrow_mut() = hook;
    }
}

impl Calls for Tokens {
    /// Executes an ERC-20 call from the vault; anything else fails with empty revert data.
    fn answer(host: &TokenHost, call: Call<'_>) -> Answer {
        let data = call.data;
        let known = host.calls.tokens.borrow().contains_key(&call.to);
        if !known || data.len() < 4 || call.kind == CallKind::Delegate {
            return Err(Vec::new());
        }
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        if selector == balanceOfCall::SELECTOR {
            let query = balanceOfCall::abi_decode(data).unwrap();
            return Ok(host.token_balance(call.to, query.account).abi_encode());
        }
        if call.kind == CallKind::Static {
            return Err(Vec::new());
        }
        let caller = host.contract_address();
        let (from, to, amount) = if selector == transferCall::SELECTOR {
            let transfer = transferCall::abi_decode(data).unwrap();
            (caller, transfer.to, transfer.amount)
        } else if selector == transferFromCall::SELECTOR {
            let transfer = transferFromCall::abi_decode(data).unwrap();
            (transfer.from, transfer.to, transfer.amount)
        } else {
            return Err(Vec::new());
        };
        let hook = host.calls.hook.borrow().clone();
        if let Some(hook) = hook {
            hook(host);
        }
        let mut tokens = host.calls.tokens.borrow_mut();
        let state = tokens.get_mut(&call.to).unwrap();
        let fee = match state.quirk {
            Quirk::Revert => return Err(Vec::new()),
            Quirk::ReturnFalse => return Ok(false.abi_encode()),
            Quirk::FeeOnTransfer(bps) => amount * U256::from(bps) / U256::from(10_000),
            Quirk::None => U256::ZERO,
        };
        let from_balance = state.balances.get(&from).copied().unwrap_or_default();
        if from_balance < amount {
            return Err(Vec::new());
        }
        state.balances.insert(from, from_balance - amount);
        *state.balances.entry(to).or_default() += amount - fee;
        Ok(true.abi_encode())
    }
}
