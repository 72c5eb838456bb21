//! Storage structs with the layout `#[storage]` gives them and a smaller constructor.
//!
//! `#[storage]` computes every field's slot inline in the struct's `StorageType::new`: a 256-bit
//! addition with its operands copied in and out, about 170 bytes of wasm per field, and each
//! program of the vault carries thirty such fields. [`storage_struct!`](crate::storage_struct)
//! declares the same struct with the same layout (every field's slot and offset follow the
//! packing rules of `#[storage]`, evaluated at compile time by [`layout`]) and adds each field's
//! offset to the root slot through the one shared [`field_slot`]. It also implements what the
//! vault uses of the rest of `#[storage]`'s output: `HostAccess`, and under `cfg(test)` the
//! `From<&host>` constructor of the unit tests.
use alloy_primitives::U256;

/// The slot (relative to the struct's root) and byte offset of each field of a storage struct
/// whose fields have the given `(SLOT_BYTES, REQUIRED_SLOTS)`, in declaration order, and the
/// number of slots the struct spans (its own `REQUIRED_SLOTS`).
///
/// These are the packing rules of `#[storage]` (stylus-proc 0.10): a field that does not fit in
/// what is left of the current slot starts the next one and is placed at the high end of what
/// remains (its offset is the space left after it); a field spanning whole slots
/// (`REQUIRED_SLOTS > 0`) is followed by a fresh slot.
pub const fn layout<const N: usize>(fields: [(usize, usize); N]) -> ([(u64, u8); N], usize) {
    let mut places = [(0u64, 0u8); N];
    let mut space = 32;
    let mut slot = 0;
    let mut i = 0;
    while i < N {
        let (bytes, words) = fields[i];
        if space < bytes {
            space = 32;
            slot += 1;
        }
        space -= bytes;
        places[i] = (slot as u64, space as u8);
        if words > 0 {
            slot += words;
            space = 32;
        }
        i += 1;
    }
    if space != 32 || slot == 0 {
        slot += 1;
    }
    (places, slot)
}

/// The slot `offset` slots after `root` (wrapping, as `#[storage]` adds them): one shared copy
/// of the 256-bit addition for every field of every struct.
#[inline(never)]
pub fn field_slot(root: &U256, offset: u64) -> U256 {
    root.wrapping_add(U256::from(offset))
}

/// Declares a storage struct exactly as `#[storage]` would lay it out (see the
/// [module](crate::layout) documentation): the struct with a host field first, `StorageType`,
/// `HostAccess`, and under `cfg(test)` `From<&H>` for any test host `H`.
#[macro_export]
macro_rules! storage_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            /// The host the fields read and write storage through.
            host: stylus_sdk::host::VM,
            $( $(#[$field_meta])* $field: $ty, )*
        }

        impl $name {
            /// Slot and offset of each field, and the number of slots the struct spans.
            const LAYOUT: (
                [(u64, u8); $crate::storage_struct!(@count $($field)*)],
                usize,
            ) = $crate::layout::layout([$((
                <$ty as stylus_sdk::storage::StorageType>::SLOT_BYTES,
                <$ty as stylus_sdk::storage::StorageType>::REQUIRED_SLOTS,
            ),)*]);
        }

        impl stylus_sdk::storage::StorageType for $name {
            type Wraps<'a>
                = stylus_sdk::storage::StorageGuard<'a, Self>
            where
                Self: 'a;
            type WrapsMut<'a>
                = stylus_sdk::storage::StorageGuardMut<'a, Self>
            where
                Self: 'a;

            const SLOT_BYTES: usize = 32;
            const REQUIRED_SLOTS: usize = Self::LAYOUT.1;

            #[allow(unused_assignments)]
            unsafe fn new(
                root: alloy_primitives::U256,
                offset: u8,
                host: stylus_sdk::host::VM,
            ) -> Self {
                debug_assert!(offset == 0);
                let mut index = 0;
                Self {
                    $($field: {
                        let (slot, offset) = Self::LAYOUT.0[index];
                        index += 1;
                        <$ty as stylus_sdk::storage::StorageType>::new(
                            $crate::layout::field_slot(&root, slot),
                            offset,
                            host.clone(),
                        )
                    },)*
                    host,
                }
            }

            fn load<'s>(self) -> Self::Wraps<'s> {
                stylus_sdk::storage::StorageGuard::new(self)
            }

            fn load_mut<'s>(self) -> Self::WrapsMut<'s> {
                stylus_sdk::storage::StorageGuardMut::new(self)
            }
        }

        impl stylus_sdk::stylus_core::HostAccess for $name {
            type Host = stylus_sdk::host::VM;

            fn vm(&self) -> &Self::Host {
                &self.host
            }
        }

        #[cfg(test)]
        impl<H: stylus_sdk::stylus_core::Host + Clone + 'static> From<&H> for $name {
            fn from(host: &H) -> Self {
                let vm = stylus_sdk::host::VM {
                    host: alloc::boxed::Box::new(host.clone()),
                };
                // SAFETY: a fresh test host; the struct is the root of its storage.
                unsafe {
                    <Self as stylus_sdk::storage::StorageType>::new(
                        alloy_primitives::U256::ZERO,
                        0,
                        vm,
                    )
                }
            }
        }
    };
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + $crate::storage_struct!(@count $($tail)*) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_like_storage() {
        // Two addresses (20 bytes, no whole slots) share no slot: the second starts slot 1.
        // A u64 packs after the second address; a U256 starts a fresh slot; a map spans one.
        let (places, slots) = layout([(20, 0), (20, 0), (8, 0), (32, 0), (32, 1), (1, 0)]);
        assert_eq!(places, [(0, 12), (1, 12), (1, 4), (2, 0), (3, 0), (4, 31)]);
        assert_eq!(slots, 5);
        // A struct of two slots is followed by a fresh slot.
        let (places, slots) = layout([(32, 2), (20, 0)]);
        assert_eq!(places, [(0, 0), (2, 12)]);
        assert_eq!(slots, 3);
        assert_eq!(layout::<0>([]).1, 1);
        assert_eq!(field_slot(&U256::MAX, 2), U256::from(1));
    }
}
