//! Solidity events and errors of the agent token (EIP-6093 names for the ERC-20 failures).
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
agentdao_common::static_events! {
    /// `value` tokens moved from `from` to `to` (`from` zero: mint, `to` zero: burn). A taxed
    /// transfer logs two of these: the net amount to `to` and the tax to the treasury.
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// `owner` allowed `spender` to move up to `value` of its tokens.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// A transfer from `from` to `to` paid `tax` to the treasury.
    event TaxCharged(address indexed from, address indexed to, uint256 tax);
    /// Governance lowered the transfer tax from `previous_bps` to `new_bps`.
    event TaxRateLowered(uint16 previous_bps, uint16 new_bps);
    /// Governance exempted `account` from the tax (`exempt`) or ended its exemption.
    event TaxExemptionSet(address indexed account, bool exempt);
    /// Governance moved the treasury from `previous` to `current`.
    event TreasuryChanged(address indexed previous, address indexed current);
    /// Governance registered `pool` as a trading pool (`enabled`) or removed it.
    event PoolSet(address indexed pool, bool enabled);
    /// Governance limited the tax to transfers touching a pool (`pools_only`) or widened it to
    /// every transfer.
    event TaxScopeSet(bool pools_only);

    /// `sender` holds `balance` but tried to move `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// Tokens cannot be sent from `sender` (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSender(address sender);
    /// Tokens cannot be sent to `receiver` (the zero address).
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidReceiver(address receiver);
    /// `spender` may move `allowance` but tried to move `needed`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// `approver` (the zero address) cannot grant an allowance.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidApprover(address approver);
    /// `spender` (the zero address) cannot receive an allowance.
    #[derive(Debug, PartialEq, Eq)]
    error ERC20InvalidSpender(address spender);
    /// The permit's `deadline` has passed.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612ExpiredSignature(uint256 deadline);
    /// The permit was signed by `signer`, not by `owner`.
    #[derive(Debug, PartialEq, Eq)]
    error ERC2612InvalidSigner(address signer, address owner);
    /// Governance asked for `requested_bps`, but the tax can only go below `current_bps`.
    #[derive(Debug, PartialEq, Eq)]
    error TaxRateNotLowered(uint16 current_bps, uint16 requested_bps);
    /// The constructor was given `requested_bps`, above the hard maximum `max_bps`.
    #[derive(Debug, PartialEq, Eq)]
    error TaxRateTooHigh(uint16 max_bps, uint16 requested_bps);
    /// `account` is exempt because it is the treasury or the governance: its exemption ends
    /// only when it leaves that role.
    #[derive(Debug, PartialEq, Eq)]
    error ExemptByRole(address account);
}
