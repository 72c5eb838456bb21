//! Simulated ERC-20 tokens and ETH receivers: a [`Calls`] handler for contracts that pull and pay
//! tokens (`balanceOf`, `transfer`, `transferFrom`) and send ETH.
//!
//! `TestVM::mock_call` answers a call by its calldata alone, so it cannot model a contract that
//! reads `balanceOf(this)` before and after a `transferFrom` (the two calls are identical).
//! [`Ledger`] keeps real balances instead, with knobs for fee-on-transfer (taxed), reverting and
//! `false`-returning tokens, ETH receivers that refuse payment, and a hook that runs inside every
//! token transfer (to re-enter the contract under test like a malicious token would).
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use alloy_primitives::{Address, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_sdk::stylus_core::host::AccountAccess;

use crate::{Answer, Call, CallHost, CallKind, Calls, TestVM};

sol! {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// How a simulated token behaves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Quirk {
    /// A well-behaved token.
    #[default]
    None,
    /// Every transfer delivers the amount minus this many basis points (rounded down), which
    /// are burned: a taxed or fee-on-transfer token.
    FeeOnTransfer(u64),
    /// Transfers revert.
    Revert,
    /// Transfers return `false` without moving tokens.
    ReturnFalse,
}

/// The contract under test talks to a [`Ledger`].
pub type LedgerHost = CallHost<Ledger>;

/// Code run inside a token transfer (before balances move), given the host so it can build a
/// second handle on the contract and call it.
pub type Hook = Rc<dyn Fn(&LedgerHost)>;

#[derive(Default)]
struct Token {
    balances: HashMap<Address, U256>,
    quirk: Quirk,
}

/// Simulated tokens, ETH receipts and the transfer hook.
#[derive(Default)]
pub struct Ledger {
    tokens: RefCell<HashMap<Address, Token>>,
    hook: RefCell<Option<Hook>>,
    refusing: RefCell<HashSet<Address>>,
    eth: RefCell<HashMap<Address, U256>>,
}

/// A host with the contract under test at `contract` and simulated tokens at `tokens`.
pub fn ledger_host(contract: Address, tokens: &[Address]) -> LedgerHost {
    let vm = TestVM::default();
    vm.set_contract_address(contract);
    let ledger = Ledger::default();
    for token in tokens {
        ledger.tokens.borrow_mut().insert(*token, Token::default());
    }
    CallHost::new(vm, ledger)
}

impl CallHost<Ledger> {
    /// Credits `amount` of `token` to `account`.
    pub fn mint(&self, token: Address, account: Address, amount: U256) {
        let mut tokens = self.calls.tokens.borrow_mut();
        let balance = tokens
            .get_mut(&token)
            .expect("unknown token")
            .balances
            .entry(account)
            .or_default();
        *balance += amount;
    }

    /// Balance of `account` in `token`.
    pub fn token_balance(&self, token: Address, account: Address) -> U256 {
        self.calls.tokens.borrow()[&token]
            .balances
            .get(&account)
            .copied()
            .unwrap_or_default()
    }

    /// Makes `token` behave as `quirk`.
    pub fn set_quirk(&self, token: Address, quirk: Quirk) {
        self.calls
            .tokens
            .borrow_mut()
            .get_mut(&token)
            .expect("unknown token")
            .quirk = quirk;
    }

    /// Runs `hook` inside every following token transfer (until cleared with `None`).
    pub fn set_hook(&self, hook: Option<Hook>) {
        *self.calls.hook.borrow_mut() = hook;
    }

    /// Makes ETH payments to `account` revert (`true`) or succeed (`false`, the default).
    pub fn refuse_eth(&self, account: Address, refuse: bool) {
        let mut refusing = self.calls.refusing.borrow_mut();
        if refuse {
            refusing.insert(account);
        } else {
            refusing.remove(&account);
        }
    }

    /// Total ETH the contract under test has sent to `account`.
    pub fn eth_received(&self, account: Address) -> U256 {
        self.calls
            .eth
            .borrow()
            .get(&account)
            .copied()
            .unwrap_or_default()
    }
}

impl Calls for Ledger {
    /// Executes an ERC-20 call or an ETH payment from the contract; anything else fails with
    /// empty revert data.
    fn answer(host: &LedgerHost, call: Call<'_>) -> Answer {
        let data = call.data;
        let is_token = host.calls.tokens.borrow().contains_key(&call.to);
        if !is_token {
            return match call.kind {
                CallKind::Call(value) if data.is_empty() => {
                    if host.calls.refusing.borrow().contains(&call.to) {
                        return Err(b"refused".to_vec());
                    }
                    *host.calls.eth.borrow_mut().entry(call.to).or_default() += value;
                    Ok(Vec::new())
                }
                _ => Err(Vec::new()),
            };
        }
        if data.len() < 4 || call.kind == CallKind::Delegate {
            return Err(Vec::new());
        }
        let selector: [u8; 4] = data[..4].try_into().expect("four bytes");
        if selector == balanceOfCall::SELECTOR {
            let query = balanceOfCall::abi_decode(data).map_err(|_| Vec::new())?;
            return Ok(host.token_balance(call.to, query.account).abi_encode());
        }
        if call.kind == CallKind::Static {
            return Err(Vec::new());
        }
        let caller = host.contract_address();
        let (from, to, amount) = if selector == transferCall::SELECTOR {
            let transfer = transferCall::abi_decode(data).map_err(|_| Vec::new())?;
            (caller, transfer.to, transfer.amount)
        } else if selector == transferFromCall::SELECTOR {
            let transfer = transferFromCall::abi_decode(data).map_err(|_| Vec::new())?;
            (transfer.from, transfer.to, transfer.amount)
        } else {
            return Err(Vec::new());
        };
        let hook = host.calls.hook.borrow().clone();
        if let Some(hook) = hook {
            hook(host);
        }
        let mut tokens = host.calls.tokens.borrow_mut();
        let state = tokens.get_mut(&call.to).expect("known token");
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

#[cfg(test)]
mod tests {
    use super::*;
    use stylus_sdk::stylus_core::host::{CalldataAccess, UnsafeCallAccess};

    const THIS: Address = Address::repeat_byte(0x99);
    const TOKEN: Address = Address::repeat_byte(0x70);
    const A: Address = Address::repeat_byte(0xa1);

    fn call(host: &LedgerHost, to: Address, data: &[u8], value: U256) -> (u8, Vec<u8>) {
        let mut len = 0;
        let value = value.to_be_bytes::<32>();
        // SAFETY: `to` and `value` are live 20- and 32-byte arrays, `data` is `data.len()` bytes.
        let status = unsafe {
            host.call_contract(
                to.as_ptr(),
                data.as_ptr(),
                data.len(),
                value.as_ptr(),
                0,
                &mut len,
            )
        };
        (status, host.read_return_data(0, None))
    }

    #[test]
    fn a_taxed_pull_delivers_less_and_balances_move() {
        let host = ledger_host(THIS, &[TOKEN]);
        host.mint(TOKEN, A, U256::from(1_000));
        host.set_quirk(TOKEN, Quirk::FeeOnTransfer(100));
        let pull = transferFromCall {
            from: A,
            to: THIS,
            amount: U256::from(1_000),
        }
        .abi_encode();
        let (status, out) = call(&host, TOKEN, &pull, U256::ZERO);
        assert_eq!((status, out), (0, true.abi_encode()));
        assert_eq!(host.token_balance(TOKEN, THIS), U256::from(990));
        assert_eq!(host.token_balance(TOKEN, A), U256::ZERO);
        // Not enough left: the pull reverts.
        let (status, _) = call(&host, TOKEN, &pull, U256::ZERO);
        assert_eq!(status, 1);
    }

    #[test]
    fn eth_payments_are_recorded_or_refused() {
        let host = ledger_host(THIS, &[TOKEN]);
        assert_eq!(call(&host, A, &[], U256::from(5)).0, 0);
        assert_eq!(host.eth_received(A), U256::from(5));
        host.refuse_eth(A, true);
        assert_eq!(call(&host, A, &[], U256::from(5)).0, 1);
        assert_eq!(host.eth_received(A), U256::from(5));
        assert_eq!(call(&host, A, &[1], U256::ZERO).0, 1, "no code to call");
    }
}
