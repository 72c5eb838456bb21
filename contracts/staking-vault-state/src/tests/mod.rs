//! Unit and property tests of the vault on a `TestVM`-backed host with simulated tokens.
mod attacks;
mod host;
mod layout;
mod props;
mod unit;

use agentdao_common::raw_bytes::RawBytes;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use stylus_sdk::stylus_core::host::BlockAccess;

use crate::Vault;
use host::{token_host, TokenHost, TokenLedger};

pub(crate) const VAULT: Address = Address::repeat_byte(0xAA);
pub(crate) const EXT: Address = Address::repeat_byte(0xAB);
pub(crate) const LP: Address = Address::repeat_byte(0x01);
pub(crate) const REWARD: Address = Address::repeat_byte(0x02);
pub(crate) const GOV: Address = Address::repeat_byte(0x60);
pub(crate) const TREASURY: Address = Address::repeat_byte(0x70);
pub(crate) const VAL1: Address = Address::repeat_byte(0x11);
pub(crate) const VAL2: Address = Address::repeat_byte(0x12);
pub(crate) const VAL3: Address = Address::repeat_byte(0x13);
pub(crate) const ALICE: Address = Address::repeat_byte(0xA1);
pub(crate) const BOB: Address = Address::repeat_byte(0xB0);
pub(crate) const CAROL: Address = Address::repeat_byte(0xC0);
pub(crate) const EVE: Address = Address::repeat_byte(0xEE);
/// Unbonding period of the test vaults, hence their reward streaming period: whole tokens
/// scaled by 1e27 divide by it exactly, so streamed amounts in the tests are exact.
pub(crate) const PERIOD: u64 = 100_000;
pub(crate) const START: u64 = 1_700_000_000;
pub(crate) const MAX_COMMISSION: u16 = 2_000;

/// `n` whole tokens (18 decimals).
pub(crate) fn tokens(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// A fixture: host, vault, funded accounts.
pub(crate) struct Env {
    pub host: TokenHost,
    pub vault: Vault,
}

impl Env {
    /// Deploys a vault, funds every test account with LP and reward tokens.
    pub(crate) fn new() -> Self {
        let host = token_host(VAULT, &[LP, REWARD]);
        host.vm.set_block_timestamp(START);
        host.vm.set_sender(GOV);
        let mut vault = Vault::from(&host);
        vault
            .init(
                LP,
                REWARD,
                GOV,
                TREASURY,
                U256::from(PERIOD),
                U256::from(MAX_COMMISSION),
                EXT,
            )
            .unwrap();
        for account in [VAL1, VAL2, VAL3, ALICE, BOB, CAROL, EVE, GOV] {
            host.mint(LP, account, tokens(1_000_000));
            host.mint(REWARD, account, tokens(1_000_000));
        }
        Self { host, vault }
    }

    /// Sets the caller of the next calls.
    pub(crate) fn as_(&mut self, account: Address) -> &mut Vault {
        self.host.vm.set_sender(account);
        &mut self.vault
    }

    /// Moves the clock past the end of a reward stream started now.
    pub(crate) fn stream(&self) {
        self.advance(PERIOD);
    }

    /// Moves the clock forward.
    pub(crate) fn advance(&self, seconds: u64) {
        let now = self.host.vm.block_timestamp();
        self.host.vm.set_block_timestamp(now + seconds);
    }

    pub(crate) fn now(&self) -> u64 {
        self.host.vm.block_timestamp()
    }

    /// Registers `validator` with `bps` commission.
    pub(crate) fn register(&mut self, validator: Address, bps: u16) {
        self.as_(validator)
            .register_validator(U256::from(bps), RawBytes::from(&b"ipfs://v"[..]))
            .unwrap();
    }

    pub(crate) fn lp(&self, account: Address) -> U256 {
        self.host.token_balance(LP, account)
    }

    pub(crate) fn reward(&self, account: Address) -> U256 {
        self.host.token_balance(REWARD, account)
    }

    /// LP value of `account`'s delegation to `validator`.
    pub(crate) fn stake_value(&self, account: Address, validator: Address) -> U256 {
        self.vault.stake_of(account, validator).unwrap().1
    }

    /// How many logs with `topic0` were emitted so far.
    pub(crate) fn count_events<E: SolEvent>(&self) -> usize {
        self.host
            .vm
            .get_emitted_logs()
            .iter()
            .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
            .count()
    }

    /// The last emitted event of type `E`, decoded.
    pub(crate) fn last_event<E: SolEvent>(&self) -> E {
        let logs = self.host.vm.get_emitted_logs();
        let (topics, data) = logs
            .iter()
            .rev()
            .find(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
            .expect("event emitted");
        let topics: Vec<B256> = topics.clone();
        E::decode_raw_log(topics, data).unwrap()
    }

    /// Observable state used to assert that a failing call changed nothing.
    pub(crate) fn observe(&self) -> Vec<U256> {
        let mut seen = Vec::new();
        let validators = [VAL1, VAL2, VAL3];
        for v in validators {
            seen.push(self.vault.get_votes(v));
            let info = self.vault.validator_info(v);
            seen.extend([info.5, info.6, info.7, info.2, U256::from(u8::from(info.1))]);
        }
        seen.push(self.vault.get_total_votes());
        for account in [VAL1, VAL2, VAL3, ALICE, BOB, CAROL, EVE] {
            for v in validators {
                let (shares, value) = self.vault.stake_of(account, v).unwrap();
                seen.extend([shares, value]);
            }
            seen.push(self.vault.pending_rewards(account).unwrap());
            seen.push(U256::from(self.vault.unbonding_entries_of(account).len()));
            seen.extend([self.lp(account), self.reward(account)]);
        }
        seen.extend([self.lp(VAULT), self.reward(VAULT), self.lp(TREASURY)]);
        seen
    }
}
