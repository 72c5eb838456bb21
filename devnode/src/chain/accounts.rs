//! The funded dev accounts: nitro-devnode's dev account first, then deterministic extra ones.

use alloy_primitives::{b256, keccak256, Address, B256};
use alloy_signer_local::PrivateKeySigner;

/// Private key of nitro-devnode's funded dev account `0x3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E`.
pub const NITRO_DEV_KEY: B256 =
    b256!("b6b15c8cb491557369f3c7d2c287b053eb229daa9c22138887752191c9520659");

/// Seed phrase the extra accounts' keys are derived from (`keccak256(seed ‖ index)`).
const EXTRA_ACCOUNT_SEED: &[u8] = b"agentdao-stylus devnode account";

/// A funded account whose key the devnode knows (it signs `eth_sendTransaction` for it).
#[derive(Clone, Debug)]
pub struct DevAccount {
    /// The account address.
    pub address: Address,
    /// Its secp256k1 private key.
    pub private_key: B256,
    signer: PrivateKeySigner,
}

impl DevAccount {
    fn from_key(private_key: B256) -> Option<Self> {
        let signer = PrivateKeySigner::from_bytes(&private_key).ok()?;
        Some(Self {
            address: signer.address(),
            private_key,
            signer,
        })
    }

    /// The signer for this account.
    pub fn signer(&self) -> &PrivateKeySigner {
        &self.signer
    }
}

/// The nitro dev account followed by `extra` accounts with deterministic keys.
///
/// Extra key `i` is `keccak256(seed ‖ i as u64 big-endian)`, re-hashed in the (astronomically
/// unlikely) case that it is not a valid secp256k1 scalar.
pub fn dev_accounts(extra: usize) -> Vec<DevAccount> {
    let nitro = DevAccount::from_key(NITRO_DEV_KEY).expect("the nitro dev key is a valid key");
    let mut accounts = vec![nitro];
    for index in 0..extra as u64 {
        let mut key = keccak256([EXTRA_ACCOUNT_SEED, &index.to_be_bytes()].concat());
        loop {
            if let Some(account) = DevAccount::from_key(key) {
                accounts.push(account);
                break;
            }
            key = keccak256(key);
        }
    }
    accounts
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn first_account_is_the_nitro_dev_account() {
        let accounts = dev_accounts(0);
        assert_eq!(accounts.len(), 1);
        assert_eq!(
            accounts[0].address,
            address!("3f1Eae7D46d88F08fc2F8ed27FCb2AB183EB2d0E")
        );
    }

    #[test]
    fn extra_accounts_are_deterministic_and_distinct() {
        let first = dev_accounts(10);
        let second = dev_accounts(10);
        assert_eq!(first.len(), 11);
        let addresses: Vec<_> = first.iter().map(|a| a.address).collect();
        assert_eq!(
            addresses,
            second.iter().map(|a| a.address).collect::<Vec<_>>()
        );
        let mut unique = addresses.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), addresses.len());
        for account in &first {
            assert_eq!(account.signer().address(), account.address);
        }
    }
}
