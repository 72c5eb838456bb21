//! TestVM unit tests with a mocked vault and Elo ledger.
//!
//! `Env` deploys a SubDAO at [`DAO`] with short windows; `power` and `total_power` mock the
//! vault's `getPastVotes` / `getPastTotalSupply` answers. Failing calls are checked with
//! [`Env::unchanged`]: storage and logs must be exactly as before (TestVM does not roll back a
//! failed call, so this checks the contract itself validates before it writes).
mod host;

mod execution;
mod proposals;
mod props;
mod settings;
mod signatures;
mod voting;

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall, SolEvent, SolValue};
use stylus_sdk::stylus_core::host::{BlockAccess, ChainAccess};

use alloy_primitives::keccak256;

use self::host::{MockCalls, MockHost};
use crate::proposal::ProposalState;
use crate::settings::Settings;
use crate::{Error, SubDaoState};
pub(crate) use agentdao_common::raw_string::RawString;

sol! {
    function getPastVotes(address validator, uint256 timepoint) external view returns (uint256);
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
    function championModel() external view returns (uint256);
    function ratingOf(uint256 modelId) external view returns (int256);
    function setTax(uint256 bps) external;
    function parameters() external view returns (address, address, address, uint256, uint256, uint256);
}

/// `description` reserved for `proposer`, as the typed helpers write it:
/// `description ‖ "#proposer=0x" ‖ 40 lowercase hex digits`.
pub(crate) fn reserved(description: &str, proposer: Address) -> String {
    format!("{description}#proposer={proposer:#x}")
}

/// The SubDAO's address.
pub(crate) const DAO: Address = Address::repeat_byte(0xd0);
/// The staking vault.
pub(crate) const VAULT: Address = Address::repeat_byte(0xa1);
/// The extension program (`subdao-ext`) the core delegates to.
pub(crate) const EXT: Address = Address::repeat_byte(0xd1);
/// The Elo ledger.
pub(crate) const LEDGER: Address = Address::repeat_byte(0xa2);
/// A contract proposals call (e.g. the agent token).
pub(crate) const TOKEN: Address = Address::repeat_byte(0xa3);
/// Validators.
pub(crate) const ALICE: Address = Address::repeat_byte(0x01);
pub(crate) const BOB: Address = Address::repeat_byte(0x02);
pub(crate) const CAROL: Address = Address::repeat_byte(0x03);
/// An account without power.
pub(crate) const EVE: Address = Address::repeat_byte(0xee);

pub(crate) const T0: u64 = 1_000_000;
pub(crate) const DELAY: u64 = 10;
pub(crate) const PERIOD: u64 = 100;
pub(crate) const THRESHOLD: u64 = 100;
pub(crate) const QUORUM_BPS: u64 = 400;
pub(crate) const TIMELOCK: u64 = 50;
pub(crate) const GRACE: u64 = 200;
/// Description of the proposals made by [`Env::propose_tax`].
pub(crate) const TAX_DESCRIPTION: &str = "lower the tax";
/// Total power at every snapshot unless a test says otherwise: quorum = 4% = 400 votes.
pub(crate) const TOTAL: u64 = 10_000;

/// A deployed SubDAO on a mock host.
pub(crate) struct Env {
    pub host: MockHost,
    pub dao: SubDaoState,
}

pub(crate) fn u(v: u64) -> U256 {
    U256::from(v)
}

impl Env {
    /// Deploys with the default settings at time [`T0`]; ALICE has 1,000 votes just before.
    pub(crate) fn new() -> Self {
        let host = MockHost::default();
        host.vm.set_contract_address(DAO);
        host.vm.set_block_timestamp(T0);
        let mut dao = SubDaoState::from(&host);
        dao.init(
            VAULT,
            LEDGER,
            DELAY,
            PERIOD,
            u(THRESHOLD),
            QUORUM_BPS,
            TIMELOCK,
            GRACE,
            EXT,
        )
        .unwrap();
        let env = Self { host, dao };
        env.power(ALICE, T0 - 1, 1_000);
        env.max_slash(5_000);
        env
    }

    /// The vault's `parameters()` answer: its maximum slash is `bps`.
    pub(crate) fn max_slash(&self, bps: u64) {
        let answer = (
            Address::ZERO,
            Address::ZERO,
            DAO,
            u(86_400),
            u(2_000),
            u(bps),
        );
        self.host.mock_static_call(
            VAULT,
            parametersCall {}.abi_encode(),
            Ok(answer.abi_encode_params()),
        );
    }

    /// The proposal's snapshot timestamp.
    pub(crate) fn snapshot(&self, id: U256) -> u64 {
        self.dao.proposal(id).1
    }

    /// The vote sums `(against, for, abstain)`.
    pub(crate) fn votes(&self, id: U256) -> (U256, U256, U256) {
        let p = self.dao.proposal(id);
        (p.6, p.7, p.8)
    }

    /// The proposal's deadline timestamp.
    pub(crate) fn deadline(&self, id: U256) -> u64 {
        self.dao.proposal(id).2
    }

    /// The current settings, for `set_settings` calls that change one value.
    pub(crate) fn settings(&self) -> Settings {
        let (
            _,
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
        ) = self.dao.settings();
        Settings {
            elo_ledger,
            voting_delay,
            voting_period,
            proposal_threshold,
            quorum_bps,
            timelock_delay,
            grace_period,
        }
    }

    /// Calls `set_settings` (as the current sender) with `settings`.
    pub(crate) fn set(&mut self, s: Settings) -> Result<(), Error> {
        self.dao.set_settings(
            s.elo_ledger,
            s.voting_delay,
            s.voting_period,
            s.proposal_threshold,
            s.quorum_bps,
            s.timelock_delay,
            s.grace_period,
        )
    }

    /// Executes the `setTax(bps)` proposal of [`Env::propose_tax`].
    pub(crate) fn execute_tax(&mut self, bps: u64) -> Result<U256, Vec<u8>> {
        let (targets, values, calldatas) = Self::tax_action(bps);
        self.dao
            .execute(targets, values, calldatas, keccak256(TAX_DESCRIPTION))
    }

    pub(crate) fn now(&self) -> u64 {
        self.host.vm.block_timestamp()
    }

    pub(crate) fn at(&self, timestamp: u64) {
        self.host.vm.set_block_timestamp(timestamp);
    }

    pub(crate) fn from(&self, sender: Address) -> &Self {
        self.host.vm.set_sender(sender);
        self
    }

    /// Mocks `getPastVotes(who, timepoint) = votes`.
    pub(crate) fn power(&self, who: Address, timepoint: u64, votes: u64) {
        self.power_u256(who, timepoint, u(votes));
    }

    pub(crate) fn power_u256(&self, who: Address, timepoint: u64, votes: U256) {
        let call = getPastVotesCall {
            validator: who,
            timepoint: u(timepoint),
        };
        self.host
            .mock_static_call(VAULT, call.abi_encode(), Ok(votes.abi_encode()));
    }

    /// Mocks `getPastTotalSupply(timepoint) = total`.
    pub(crate) fn total_power(&self, timepoint: u64, total: u64) {
        let call = getPastTotalSupplyCall {
            timepoint: u(timepoint),
        };
        self.host
            .mock_static_call(VAULT, call.abi_encode(), Ok(u(total).abi_encode()));
    }

    /// A one-action proposal calling `setTax(bps)` on [`TOKEN`].
    pub(crate) fn tax_action(bps: u64) -> (Vec<Address>, Vec<U256>, Vec<Bytes>) {
        (
            vec![TOKEN],
            vec![U256::ZERO],
            vec![setTaxCall { bps: u(bps) }.abi_encode().into()],
        )
    }

    /// ALICE (1,000 votes) proposes `setTax(bps)` now; the snapshot gets [`TOTAL`] power.
    pub(crate) fn propose_tax(&mut self, bps: u64) -> U256 {
        let (targets, values, calldatas) = Self::tax_action(bps);
        self.power(ALICE, self.now() - 1, 1_000);
        self.from(ALICE);
        let id = self
            .dao
            .propose(targets, values, calldatas, "lower the tax".into())
            .unwrap();
        self.total_power(self.snapshot(id), TOTAL);
        id
    }

    /// Moves into the voting window of `id`.
    pub(crate) fn open_voting(&self, id: U256) {
        self.at(self.snapshot(id) + 1);
    }

    /// `voter` with `votes` at the snapshot casts `support`.
    pub(crate) fn vote(
        &mut self,
        id: U256,
        voter: Address,
        votes: u64,
        support: u8,
    ) -> Result<U256, Error> {
        self.power(voter, self.snapshot(id), votes);
        self.from(voter);
        self.dao.cast_vote(id, support)
    }

    /// A proposal that passed and sits after its deadline.
    pub(crate) fn succeeded_tax(&mut self, bps: u64) -> U256 {
        let id = self.propose_tax(bps);
        self.open_voting(id);
        self.vote(id, BOB, 500, 1).unwrap();
        self.at(self.deadline(id) + 1);
        assert_eq!(self.state(id), ProposalState::Succeeded);
        id
    }

    /// A queued proposal, at its eta.
    pub(crate) fn ready_tax(&mut self, bps: u64) -> U256 {
        let id = self.succeeded_tax(bps);
        let eta = self.dao.queue(id).unwrap();
        self.at(eta);
        id
    }

    pub(crate) fn state(&self, id: U256) -> ProposalState {
        let raw = self.dao.state(id).unwrap();
        [
            ProposalState::Pending,
            ProposalState::Active,
            ProposalState::Canceled,
            ProposalState::Defeated,
            ProposalState::Succeeded,
            ProposalState::Queued,
            ProposalState::Expired,
            ProposalState::Executed,
        ][raw as usize]
    }

    /// Runs a call that must fail with `want`, and checks that it changed no storage and
    /// emitted no log.
    pub(crate) fn unchanged<T: std::fmt::Debug, E: std::fmt::Debug + PartialEq>(
        &mut self,
        want: E,
        f: impl FnOnce(&mut SubDaoState) -> Result<T, E>,
    ) {
        let before = self.host.vm.snapshot();
        let got = f(&mut self.dao);
        let after = self.host.vm.snapshot();
        assert_eq!(got.unwrap_err(), want);
        // A slot written and restored to zero (the execute guard) counts as unchanged.
        let nonzero = |storage: std::collections::HashMap<U256, alloy_primitives::B256>| {
            storage
                .into_iter()
                .filter(|(_, v)| !v.is_zero())
                .collect::<std::collections::HashMap<_, _>>()
        };
        assert_eq!(
            nonzero(before.storage),
            nonzero(after.storage),
            "storage changed by a failing call"
        );
        assert_eq!(
            before.emitted_logs, after.emitted_logs,
            "a failing call logged"
        );
    }

    /// Topics[0] of every log so far.
    pub(crate) fn log_topics(&self) -> Vec<alloy_primitives::B256> {
        self.host
            .vm
            .get_emitted_logs()
            .into_iter()
            .map(|(topics, _)| topics[0])
            .collect()
    }

    /// The last log decoded as `E`.
    pub(crate) fn last_log<E: SolEvent>(&self) -> E {
        let logs = self.host.vm.get_emitted_logs();
        let (topics, data) = logs.last().expect("a log");
        assert_eq!(
            topics[0],
            E::SIGNATURE_HASH,
            "last log is not {}",
            E::SIGNATURE
        );
        E::decode_raw_log(topics.iter().copied(), data).unwrap()
    }
}

/// OpenZeppelin's `hashProposal`, computed independently of the contract.
pub(crate) fn proposal_id(
    targets: &[Address],
    values: &[U256],
    calldatas: &[Bytes],
    description: &str,
) -> U256 {
    let content = (
        targets.to_vec(),
        values.to_vec(),
        calldatas.to_vec(),
        keccak256(description),
    );
    U256::from_be_bytes(keccak256(content.abi_encode_params()).0)
}

/// Encodes an error the way the contract reverts with it.
pub(crate) fn revert_data(err: Error) -> Vec<u8> {
    err.into()
}

/// Every event's generated `emit` writes exactly the log alloy's `SolEvent` encoding gives
/// (`ProposalCreated`, whose data holds arrays, is encoded apart and decoded by its own tests).
#[test]
fn every_event_logs_what_alloy_encodes() {
    assert_eq!(crate::sol::assert_event_encoding(), 5);
}
