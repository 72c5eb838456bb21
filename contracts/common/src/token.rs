//! The ERC-20 calls the contracts make on tokens they hold (and the approval the rewards program
//! gives the vault before it pulls), with one rule for what a token's answer must be.
//!
//! The rule is OpenZeppelin `SafeERC20`'s answer rule: a `transfer`, `transferFrom` or `approve`
//! succeeds when the call does not revert and either returns nothing (tokens such as USDT that
//! declare no return value) or returns at least one word whose first word is exactly `true`. A
//! `false`, a malformed answer (shorter than a word, or a first word other than `1`) and a
//! revert fail.
//!
//! `SafeERC20` also refuses an empty answer from an account without code; here that case cannot
//! arise, which saves the code-size query on every transfer: the contracts only call tokens
//! whose [`balance_of`] answered (a pull is measured by the balance before and after, and an
//! account without code returns no word), and only pay out what such a pull brought in. Callers
//! that need to know what arrived (fee-on-transfer tokens such as the agent token) compare
//! [`balance_of`] before and after, and never trust the amount they asked for.
use alloy_primitives::{Address, U256};
use stylus_sdk::call::{call, static_call};
use stylus_sdk::stylus_core::calls::Call;
use stylus_sdk::stylus_core::host::HostAccess;
use stylus_sdk::stylus_core::storage::TopLevelStorage;

use crate::revert::revert_data;

/// Selector of ERC-20 `balanceOf(address)`.
pub const BALANCE_OF: [u8; 4] = [0x70, 0xa0, 0x82, 0x31];
/// Selector of ERC-20 `transfer(address,uint256)`.
pub const TRANSFER: [u8; 4] = [0xa9, 0x05, 0x9c, 0xbb];
/// Selector of ERC-20 `transferFrom(address,address,uint256)`.
pub const TRANSFER_FROM: [u8; 4] = [0x23, 0xb8, 0x72, 0xdd];
/// Selector of ERC-20 `approve(address,uint256)`.
pub const APPROVE: [u8; 4] = [0x09, 0x5e, 0xa7, 0xb3];

/// The ABI word of `true`.
const TRUE_WORD: [u8; 32] = {
    let mut word = [0u8; 32];
    word[31] = 1;
    word
};

/// Whether a token's answer to `transfer`/`transferFrom` means success (see the module docs):
/// `returned` is the return data of a call that did not revert.
pub fn answer_accepted(returned: &[u8]) -> bool {
    returned.is_empty() || returned.get(..32) == Some(&TRUE_WORD[..])
}

/// `token.balanceOf(account)` by static call; `None` if the call reverts or returns less than a
/// word.
pub fn balance_of<H: HostAccess>(host: &H, token: Address, account: Address) -> Option<U256> {
    let calldata = revert_data(BALANCE_OF, &[&account]);
    static_call(host.vm(), Call::new(), token, &calldata)
        .ok()
        .and_then(|returned| returned.get(..32).map(U256::from_be_slice))
}

/// `token.transfer(to, amount)` from the calling contract; true when the token's answer is
/// accepted ([`answer_accepted`]).
pub fn transfer<S>(storage: &mut S, token: Address, to: Address, amount: U256) -> bool
where
    S: TopLevelStorage + HostAccess,
{
    call_token(storage, token, &revert_data(TRANSFER, &[&to, &amount]))
}

/// `token.transferFrom(from, to, amount)`; true when the token's answer is accepted
/// ([`answer_accepted`]).
pub fn transfer_from<S>(
    storage: &mut S,
    token: Address,
    from: Address,
    to: Address,
    amount: U256,
) -> bool
where
    S: TopLevelStorage + HostAccess,
{
    call_token(
        storage,
        token,
        &revert_data(TRANSFER_FROM, &[&from, &to, &amount]),
    )
}

/// `token.approve(spender, amount)` from the calling contract; true when the token's answer is
/// accepted ([`answer_accepted`]).
pub fn approve<S>(storage: &mut S, token: Address, spender: Address, amount: U256) -> bool
where
    S: TopLevelStorage + HostAccess,
{
    call_token(storage, token, &revert_data(APPROVE, &[&spender, &amount]))
}

/// Calls `token` with `calldata` (state-changing) and applies [`answer_accepted`].
#[inline(never)]
fn call_token<S>(storage: &mut S, token: Address, calldata: &[u8]) -> bool
where
    S: TopLevelStorage + HostAccess,
{
    let context = Call::new_mutating(storage);
    matches!(call(storage.vm(), context, token, calldata), Ok(returned) if answer_accepted(&returned))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_true_word_is_accepted_with_or_without_trailing_data() {
        assert!(answer_accepted(&TRUE_WORD));
        let mut longer = TRUE_WORD.to_vec();
        longer.extend_from_slice(&[0u8; 32]);
        assert!(answer_accepted(&longer));
    }

    #[test]
    fn false_malformed_and_short_answers_are_refused() {
        assert!(!answer_accepted(&[0u8; 32]), "false");
        let mut two = [0u8; 32];
        two[31] = 2;
        assert!(!answer_accepted(&two), "not a bool");
        let mut high = TRUE_WORD;
        high[0] = 1;
        assert!(!answer_accepted(&high), "dirty high bytes");
        assert!(!answer_accepted(&[1u8]), "shorter than a word");
        assert!(!answer_accepted(&[1u8; 31]), "31 bytes");
    }

    #[test]
    fn an_empty_answer_is_accepted() {
        assert!(answer_accepted(&[]), "a token that returns nothing");
    }

    #[test]
    fn selectors_are_the_erc20_ones() {
        use alloy_sol_types::{sol, SolCall};
        sol! {
            function balanceOf(address account) returns (uint256);
            function transfer(address to, uint256 amount) returns (bool);
            function transferFrom(address from, address to, uint256 amount) returns (bool);
            function approve(address spender, uint256 amount) returns (bool);
        }
        assert_eq!(BALANCE_OF, balanceOfCall::SELECTOR);
        assert_eq!(TRANSFER, transferCall::SELECTOR);
        assert_eq!(TRANSFER_FROM, transferFromCall::SELECTOR);
        assert_eq!(APPROVE, approveCall::SELECTOR);
    }
}
