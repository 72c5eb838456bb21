//! One contract, two programs: a core program forwards the selectors it does not know to an
//! extension program by `DELEGATECALL` (the EIP-2535 facet / OpenZeppelin `Proxy` fallback
//! pattern), so a contract larger than Nitro's program size limit keeps a single address.
//!
//! Both programs declare the SAME storage layout (in practice: one `#[storage]` struct from a
//! shared crate as their only field). The core stores the extension's address at construction;
//! its `#[fallback]` calls [`forward`], which runs the extension's code in the core's storage
//! context with the caller's `msg.sender` and returns the extension's return data, or reverts with
//! its revert data, unchanged. Callers therefore see one contract whose ABI is the union of both.
//!
//! The extension must refuse to run at its own address (where its storage is empty and anyone
//! could otherwise initialise it): every extension function first calls [`require_delegated`]
//! with a storage value the core's constructor always sets, which raises [`NotDelegated`].
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use alloy_primitives::Address;
use alloy_sol_types::sol;
use stylus_sdk::call::delegate_call;
use stylus_sdk::stylus_core::calls::{errors::Error as CallError, Call};
use stylus_sdk::stylus_core::host::HostAccess;
use stylus_sdk::stylus_core::storage::TopLevelStorage;
use stylus_sdk::ArbResult;

sol! {
    /// An extension program was called at its own address instead of through its core
    /// program's fallback (by delegate call).
    #[derive(Debug, PartialEq, Eq)]
    error NotDelegated();
}

/// Runs `calldata` (the complete calldata, selector included) on `extension` by delegate call
/// and passes its outcome through: `Ok(return data)` or `Err(revert data)`, unchanged, ready to
/// be returned from a `#[fallback]` function.
///
/// The storage cache is flushed and cleared before the call (the extension reads and writes the
/// same slots), so values read afterwards come from the extension's writes. `storage` is the
/// contract's top-level storage, borrowed mutably for the call as the SDK requires for any call
/// that can change state.
///
/// # Errors
/// The extension's revert data; empty revert data when no extension is set (`extension` zero).
pub fn forward<S>(storage: &mut S, extension: Address, calldata: &[u8]) -> ArbResult
where
    S: TopLevelStorage + HostAccess,
{
    if extension.is_zero() {
        return Err(Vec::new());
    }
    let context = Call::new_mutating(storage);
    // SAFETY: `extension` is the program the core's constructor was given: it shares the core's
    // storage layout, and `stylus_sdk::call::delegate_call` clears the storage cache first, so
    // no cached value aliases a slot the extension writes. The caller returns right after.
    let outcome = unsafe { delegate_call(storage.vm(), context, extension, calldata) };
    match outcome {
        Ok(data) => Ok(data),
        Err(CallError::Revert(data)) => Err(data),
        Err(CallError::AbiDecodingFailed(_)) => Err(Vec::new()),
    }
}

/// Fails unless the extension runs inside its core's storage, where the core's constructor
/// stored `marker` (any address it always sets to a non-zero value, e.g. the extension's own
/// address). At the extension's own address the storage is empty and `marker` reads zero.
///
/// # Errors
/// [`NotDelegated`] if `marker` is zero.
pub fn require_delegated<E: From<NotDelegated>>(marker: Address) -> Result<(), E> {
    if marker.is_zero() {
        return Err(NotDelegated {}.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U256;
    use alloy_sol_types::SolError;
    use stylus_sdk::prelude::*;
    use stylus_sdk::storage::StorageU256;
    use stylus_sdk::testing::TestVM;

    const EXTENSION: Address = Address::repeat_byte(0xE1);

    #[storage]
    #[stylus_sdk::prelude::entrypoint]
    struct Core {
        value: StorageU256,
    }

    #[public]
    impl Core {
        fn value(&self) -> U256 {
            self.value.get()
        }
    }

    fn core(vm: &TestVM) -> Core {
        Core::from(vm)
    }

    #[test]
    fn forwards_return_data_unchanged() {
        let vm = TestVM::default();
        let calldata = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3];
        let answer = vec![7u8; 64];
        vm.mock_delegate_call(EXTENSION, calldata.to_vec(), Ok(answer.clone()));
        let mut c = core(&vm);
        assert_eq!(forward(&mut c, EXTENSION, &calldata), Ok(answer));
    }

    #[test]
    fn bubbles_revert_data_unchanged() {
        let vm = TestVM::default();
        let calldata = [1, 2, 3, 4];
        let revert = NotDelegated {}.abi_encode();
        vm.mock_delegate_call(EXTENSION, calldata.to_vec(), Err(revert.clone()));
        let mut c = core(&vm);
        assert_eq!(forward(&mut c, EXTENSION, &calldata), Err(revert));
    }

    #[test]
    fn no_extension_reverts_without_calling() {
        let vm = TestVM::default();
        vm.mock_delegate_call(Address::ZERO, vec![1, 2, 3, 4], Ok(vec![5]));
        let mut c = core(&vm);
        assert_eq!(
            forward(&mut c, Address::ZERO, &[1, 2, 3, 4]),
            Err(Vec::new())
        );
    }

    #[test]
    fn storage_written_before_forwarding_is_persisted() {
        let vm = TestVM::default();
        vm.mock_delegate_call(EXTENSION, vec![1, 2, 3, 4], Ok(vec![]));
        let mut c = core(&vm);
        c.value.set(U256::from(42));
        forward(&mut c, EXTENSION, &[1, 2, 3, 4]).unwrap();
        // A fresh view of the same VM reads the value from storage, not from `c`'s cache.
        assert_eq!(core(&vm).value.get(), U256::from(42));
    }

    #[derive(Debug, PartialEq)]
    struct Wrapped(NotDelegated);

    impl From<NotDelegated> for Wrapped {
        fn from(e: NotDelegated) -> Self {
            Self(e)
        }
    }

    #[test]
    fn require_delegated_needs_a_marker() {
        assert_eq!(
            require_delegated::<Wrapped>(Address::ZERO),
            Err(Wrapped(NotDelegated {}))
        );
        assert_eq!(require_delegated::<Wrapped>(EXTENSION), Ok(()));
    }
}
