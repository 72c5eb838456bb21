//! Two-step governance handover, shared by every contract.
//!
//! The governance account (the SubDAO once the system is wired) nominates a successor with
//! [`Governance::begin_transfer`]; the successor completes the handover with
//! [`Governance::accept`]. A typo'd address therefore can never lock a contract: until the
//! nominee accepts, the old governance stays in charge and may nominate someone else.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::Address;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::StorageAddress;

use crate::errors::{
    GovernanceTransferStarted, GovernanceTransferred, NotPendingGovernance, Unauthorized,
    ZeroAddress,
};

/// Storage of the governance role: the current holder and the nominated successor.
#[storage]
pub struct Governance {
    /// Account allowed to call governance-only functions.
    current: StorageAddress,
    /// Nominated successor; zero when no handover is in progress.
    pending: StorageAddress,
}

impl Governance {
    /// Sets the first governance account (constructor use).
    ///
    /// # Errors
    /// [`ZeroAddress`] if `governance` is zero.
    ///
    /// # Events
    /// [`GovernanceTransferred`] from the zero address.
    pub fn init<E: From<ZeroAddress>>(&mut self, governance: Address) -> Result<(), E> {
        if governance.is_zero() {
            return Err(ZeroAddress {}.into());
        }
        self.current.set(governance);
        self.log_pair(false, Address::ZERO, governance);
        Ok(())
    }

    /// The current governance account.
    pub fn get(&self) -> Address {
        self.current.get()
    }

    /// The nominated successor, zero if none.
    pub fn pending(&self) -> Address {
        self.pending.get()
    }

    /// Fails unless `caller` is the current governance.
    ///
    /// # Errors
    /// [`Unauthorized`] naming the caller and the governance account.
    pub fn only<E: From<Unauthorized>>(&self, caller: Address) -> Result<(), E> {
        let required = self.current.get();
        if caller != required {
            return Err(Unauthorized { caller, required }.into());
        }
        Ok(())
    }

    /// Step one: the current governance nominates `successor`. Nominating zero cancels a
    /// pending handover.
    ///
    /// # Errors
    /// [`Unauthorized`] if `caller` is not the current governance.
    ///
    /// # Events
    /// [`GovernanceTransferStarted`].
    pub fn begin_transfer<E: From<Unauthorized>>(
        &mut self,
        caller: Address,
        successor: Address,
    ) -> Result<(), E> {
        self.only(caller)?;
        self.pending.set(successor);
        self.log_pair(true, caller, successor);
        Ok(())
    }

    /// Step two: the nominee accepts and becomes governance.
    ///
    /// # Errors
    /// [`NotPendingGovernance`] if `caller` is not the nominee (or none is pending).
    ///
    /// # Events
    /// [`GovernanceTransferred`].
    pub fn accept<E: From<NotPendingGovernance>>(&mut self, caller: Address) -> Result<(), E> {
        let pending = self.pending.get();
        if pending.is_zero() || caller != pending {
            return Err(NotPendingGovernance { caller, pending }.into());
        }
        let previous = self.current.get();
        self.current.set(caller);
        self.pending.set(Address::ZERO);
        self.log_pair(false, previous, caller);
        Ok(())
    }

    /// Emits [`GovernanceTransferStarted`] (`started`) or [`GovernanceTransferred`]: both
    /// have exactly two indexed addresses, so one out-of-line copy serves the three call sites.
    #[inline(never)]
    fn log_pair(&self, started: bool, first: Address, second: Address) {
        if started {
            GovernanceTransferStarted {
                current: first,
                pending: second,
            }
            .emit(self.vm());
        } else {
            GovernanceTransferred {
                previous: first,
                current: second,
            }
            .emit(self.vm());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::{GovernanceTransferStarted, GovernanceTransferred};
    use alloy_sol_types::SolEvent;
    use stylus_sdk::testing::TestVM;

    #[derive(Debug, PartialEq)]
    enum Err {
        Unauthorized(Unauthorized),
        Zero(ZeroAddress),
        NotPending(NotPendingGovernance),
    }
    impl From<Unauthorized> for Err {
        fn from(e: Unauthorized) -> Self {
            Err::Unauthorized(e)
        }
    }
    impl From<ZeroAddress> for Err {
        fn from(e: ZeroAddress) -> Self {
            Err::Zero(e)
        }
    }
    impl From<NotPendingGovernance> for Err {
        fn from(e: NotPendingGovernance) -> Self {
            Err::NotPending(e)
        }
    }

    const GOV: Address = Address::repeat_byte(0x11);
    const NEXT: Address = Address::repeat_byte(0x22);
    const EVE: Address = Address::repeat_byte(0xee);

    fn setup() -> (TestVM, Governance) {
        let vm = TestVM::default();
        let mut g = Governance::from(&vm);
        g.init::<Err>(GOV).unwrap();
        (vm, g)
    }

    #[test]
    fn init_rejects_zero_and_logs() {
        let vm = TestVM::default();
        let mut g = Governance::from(&vm);
        assert_eq!(g.init::<Err>(Address::ZERO), Err(Err::Zero(ZeroAddress {})));
        assert_eq!(g.get(), Address::ZERO);
        g.init::<Err>(GOV).unwrap();
        assert_eq!(g.get(), GOV);
        let logs = vm.get_emitted_logs();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].0[0], GovernanceTransferred::SIGNATURE_HASH);
    }

    #[test]
    fn only_checks_caller() {
        let (_vm, g) = setup();
        assert!(g.only::<Err>(GOV).is_ok());
        assert_eq!(
            g.only::<Err>(EVE),
            Err(Err::Unauthorized(Unauthorized {
                caller: EVE,
                required: GOV
            }))
        );
    }

    #[test]
    fn two_step_handover() {
        let (vm, mut g) = setup();
        assert!(g.begin_transfer::<Err>(EVE, NEXT).is_err());
        g.begin_transfer::<Err>(GOV, NEXT).unwrap();
        assert_eq!(g.pending(), NEXT);
        assert_eq!(g.get(), GOV, "old governance stays until acceptance");
        assert_eq!(
            g.accept::<Err>(EVE),
            Err(Err::NotPending(NotPendingGovernance {
                caller: EVE,
                pending: NEXT
            }))
        );
        g.accept::<Err>(NEXT).unwrap();
        assert_eq!(g.get(), NEXT);
        assert_eq!(g.pending(), Address::ZERO);
        let logs = vm.get_emitted_logs();
        let started =
            GovernanceTransferStarted::decode_raw_log(logs[1].0.iter().copied(), &logs[1].1)
                .unwrap();
        assert_eq!((started.current, started.pending), (GOV, NEXT));
        let done =
            GovernanceTransferred::decode_raw_log(logs[2].0.iter().copied(), &logs[2].1).unwrap();
        assert_eq!((done.previous, done.current), (GOV, NEXT));
        let first =
            GovernanceTransferred::decode_raw_log(logs[0].0.iter().copied(), &logs[0].1).unwrap();
        assert_eq!((first.previous, first.current), (Address::ZERO, GOV));
        let topics: Vec<_> = logs.into_iter().map(|l| l.0[0]).collect();
        assert_eq!(
            topics,
            vec![
                GovernanceTransferred::SIGNATURE_HASH,
                GovernanceTransferStarted::SIGNATURE_HASH,
                GovernanceTransferred::SIGNATURE_HASH
            ]
        );
        // A second accept with nothing pending fails.
        assert!(g.accept::<Err>(NEXT).is_err());
    }

    #[test]
    fn nominating_zero_cancels() {
        let (_vm, mut g) = setup();
        g.begin_transfer::<Err>(GOV, NEXT).unwrap();
        g.begin_transfer::<Err>(GOV, Address::ZERO).unwrap();
        assert!(g.accept::<Err>(NEXT).is_err());
        assert_eq!(g.get(), GOV);
    }
}
