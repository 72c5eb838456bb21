//! Solidity errors and events shared by several contracts.
//!
//! Contracts include the errors they can raise as variants of their own
//! `#[derive(SolidityError)]` enum, e.g. `Unauthorized(Unauthorized)`; the shared helpers in this
//! crate are generic over any error type that converts from these structs.
crate::static_events! {
    /// `caller` is not allowed to call this function; `required` is the account that is.
    #[derive(Debug, PartialEq, Eq)]
    error Unauthorized(address caller, address required);
    /// An address argument that must not be zero was zero.
    #[derive(Debug, PartialEq, Eq)]
    error ZeroAddress();
    /// `acceptGovernance` was called by `caller`, but `pending` is the nominated governance.
    #[derive(Debug, PartialEq, Eq)]
    error NotPendingGovernance(address caller, address pending);
    /// A function that moves funds was re-entered.
    #[derive(Debug, PartialEq, Eq)]
    error ReentrantCall();
    /// A checked arithmetic operation overflowed or divided by zero.
    #[derive(Debug, PartialEq, Eq)]
    error ArithmeticOverflow();
    /// A basis-point parameter `value` exceeded its bound `max`.
    #[derive(Debug, PartialEq, Eq)]
    error BpsOutOfRange(uint256 value, uint256 max);
    /// The contract is paused.
    #[derive(Debug, PartialEq, Eq)]
    error EnforcedPause();

    /// Governance nominated `pending` to take over from `current` (step one of two).
    event GovernanceTransferStarted(address indexed current, address indexed pending);
    /// `current` accepted governance from `previous` (step two of two).
    event GovernanceTransferred(address indexed previous, address indexed current);
}

#[cfg(test)]
mod tests {
    #[test]
    fn governance_events_log_what_alloy_encodes() {
        assert_eq!(super::assert_event_encoding(), 2);
    }
}
