//! TestVM unit tests of the rewards logic against a simulated token, vault and Elo ledger
//! ([`World`]): every function, every error, the attacks by name, and (in `props`) the
//! conservation property over random histories.
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use agentdao_test_host::{Answer, Call, CallHost, CallKind, Calls};
use alloy_primitives::{Address, B256, I256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use stylus_sdk::stylus_core::host::AccountAccess;

use super::*;
use crate::math::{Record, ONE};

mod attacks;
mod props;
mod unit;

sol! {
    function balanceOf(address account) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function approve(address spender, uint256 amount) external returns (bool);
    function getPastVotes(address validator, uint256 timepoint) external view returns (uint256);
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256);
    function notifyValidatorReward(address validator, uint256 amount) external;
    function jail(address validator) external;
    function unjail(address validator) external;
    function validatorRecord(address validator, uint256 timepoint) external view returns (uint256, uint256, uint256, uint256);
    function battleRecords() external view returns (uint256);
    function championModel() external view returns (uint256);
    function ratingOf(uint256 model_id) external view returns (int256);
    function modelOwner(uint256 model_id) external view returns (address);
    function datasetInfo(uint256 dataset_id) external view returns (address, bytes32, uint256, uint8, int256);
    error MockRevert();
}

pub(crate) const GOV: Address = Address::repeat_byte(0x60);
pub(crate) const TOKEN: Address = Address::repeat_byte(0x70);
pub(crate) const VAULT: Address = Address::repeat_byte(0x7a);
pub(crate) const LEDGER: Address = Address::repeat_byte(0x7e);
pub(crate) const REWARDS: Address = Address::repeat_byte(0x77);
pub(crate) const EXT: Address = Address::repeat_byte(0x78);
pub(crate) const FUNDER: Address = Address::repeat_byte(0xf0);
pub(crate) const ALICE: Address = Address::repeat_byte(0xa1);
pub(crate) const BOB: Address = Address::repeat_byte(0xb0);
pub(crate) const CAROL: Address = Address::repeat_byte(0xc0);
pub(crate) const EVE: Address = Address::repeat_byte(0xee);
/// Validators: honest, rubber-stamping, idle.
pub(crate) const V1: Address = Address::repeat_byte(0x01);
pub(crate) const V2: Address = Address::repeat_byte(0x02);
pub(crate) const V3: Address = Address::repeat_byte(0x03);
pub(crate) const START: u64 = 1_000_000;
pub(crate) const WEEK: u64 = 7 * 86_400;

pub(crate) fn u(x: u64) -> U256 {
    U256::from(x)
}

/// `x` whole Elo points as an 18-decimal rating.
pub(crate) fn points(x: i64) -> I256 {
    I256::try_from(i128::from(x) * i128::from(ONE)).unwrap()
}

/// A history of values by time: the value at `t` is the last one set at or before `t`.
#[derive(Default, Clone)]
pub(crate) struct Trace<T: Clone + Default>(Vec<(u64, T)>);

impl<T: Clone + Default> Trace<T> {
    fn at(&self, time: u64) -> T {
        self.0
            .iter()
            .rev()
            .find(|(t, _)| *t <= time)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
    fn latest(&self) -> T {
        self.0.last().map(|(_, v)| v.clone()).unwrap_or_default()
    }
    fn push(&mut self, time: u64, value: T) {
        self.0.push((time, value));
    }
}

/// Code run inside a token transfer out of the program (to re-enter it).
pub(crate) type Hook = Rc<dyn Fn(&CallHost<World>)>;

/// The simulated counterparties: the agent token, the staking vault and the Elo ledger.
#[derive(Default)]
pub(crate) struct World {
    pub balances: RefCell<HashMap<Address, U256>>,
    pub allowances: RefCell<HashMap<(Address, Address), U256>>,
    pub powers: RefCell<HashMap<Address, Trace<U256>>>,
    pub total: RefCell<Trace<U256>>,
    /// Tokens each validator's vault pool received.
    pub pools: RefCell<HashMap<Address, U256>>,
    pub jailed: RefCell<HashSet<Address>>,
    pub records: RefCell<HashMap<Address, Trace<Record>>>,
    pub sessions: Cell<u64>,
    pub champion: Cell<u64>,
    pub ratings: RefCell<HashMap<u64, I256>>,
    pub owners: RefCell<HashMap<u64, Address>>,
    /// Dataset id => contributor, status, impact.
    pub datasets: RefCell<HashMap<u64, (Address, u8, I256)>>,
    /// Transfers deliver this many basis points less (a taxed token).
    pub fee_bps: Cell<u64>,
    /// The vault refuses per-validator rewards.
    pub vault_refuses: Cell<bool>,
    pub hook: RefCell<Option<Hook>>,
}

fn ok_word<T: SolValue>(value: T) -> Answer {
    Ok(value.abi_encode())
}

fn revert() -> Answer {
    Err(MockRevert {}.abi_encode())
}

impl World {
    fn move_tokens(&self, from: Address, to: Address, amount: U256) -> bool {
        let mut balances = self.balances.borrow_mut();
        let have = balances.get(&from).copied().unwrap_or_default();
        if have < amount {
            return false;
        }
        let fee = amount * U256::from(self.fee_bps.get()) / U256::from(10_000u64);
        balances.insert(from, have - amount);
        *balances.entry(to).or_default() += amount - fee;
        true
    }

    fn token(&self, host: &CallHost<World>, data: &[u8]) -> Answer {
        let program = host.vm.contract_address();
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        match selector {
            balanceOfCall::SELECTOR => {
                let c = balanceOfCall::abi_decode(data).unwrap();
                ok_word(
                    self.balances
                        .borrow()
                        .get(&c.account)
                        .copied()
                        .unwrap_or_default(),
                )
            }
            transferCall::SELECTOR => {
                let c = transferCall::abi_decode(data).unwrap();
                let hook = self.hook.borrow().clone();
                if let Some(hook) = hook {
                    hook(host);
                }
                ok_word(self.move_tokens(program, c.to, c.amount))
            }
            transferFromCall::SELECTOR => {
                let c = transferFromCall::abi_decode(data).unwrap();
                let key = (c.from, program);
                let allowed = self
                    .allowances
                    .borrow()
                    .get(&key)
                    .copied()
                    .unwrap_or_default();
                if allowed < c.amount {
                    return ok_word(false);
                }
                self.allowances.borrow_mut().insert(key, allowed - c.amount);
                ok_word(self.move_tokens(c.from, c.to, c.amount))
            }
            approveCall::SELECTOR => {
                let c = approveCall::abi_decode(data).unwrap();
                self.allowances
                    .borrow_mut()
                    .insert((program, c.spender), c.amount);
                ok_word(true)
            }
            _ => revert(),
        }
    }

    fn vault(&self, host: &CallHost<World>, data: &[u8]) -> Answer {
        let program = host.vm.contract_address();
        let now = host.vm.block_timestamp();
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        match selector {
            getPastVotesCall::SELECTOR => {
                let c = getPastVotesCall::abi_decode(data).unwrap();
                assert!(c.timepoint < U256::from(now), "vault: future lookup");
                let trace = self.powers.borrow().get(&c.validator).cloned();
                ok_word(trace.unwrap_or_default().at(c.timepoint.to()))
            }
            getPastTotalSupplyCall::SELECTOR => {
                let c = getPastTotalSupplyCall::abi_decode(data).unwrap();
                assert!(c.timepoint < U256::from(now), "vault: future lookup");
                ok_word(self.total.borrow().at(c.timepoint.to()))
            }
            notifyValidatorRewardCall::SELECTOR => {
                let c = notifyValidatorRewardCall::abi_decode(data).unwrap();
                let key = (program, VAULT);
                let allowed = self
                    .allowances
                    .borrow()
                    .get(&key)
                    .copied()
                    .unwrap_or_default();
                if self.vault_refuses.get() || allowed < c.amount {
                    return revert();
                }
                self.allowances.borrow_mut().insert(key, allowed - c.amount);
                if !self.move_tokens(program, VAULT, c.amount) {
                    return revert();
                }
                *self.pools.borrow_mut().entry(c.validator).or_default() += c.amount;
                Ok(vec![])
            }
            jailCall::SELECTOR => {
                let c = jailCall::abi_decode(data).unwrap();
                if !self.jailed.borrow_mut().insert(c.validator) {
                    return revert();
                }
                Ok(vec![])
            }
            unjailCall::SELECTOR => {
                let c = unjailCall::abi_decode(data).unwrap();
                if !self.jailed.borrow_mut().remove(&c.validator) {
                    return revert();
                }
                Ok(vec![])
            }
            _ => revert(),
        }
    }

    fn ledger(&self, host: &CallHost<World>, data: &[u8]) -> Answer {
        let now = host.vm.block_timestamp();
        let selector: [u8; 4] = data[..4].try_into().unwrap();
        match selector {
            validatorRecordCall::SELECTOR => {
                let c = validatorRecordCall::abi_decode(data).unwrap();
                let trace = self
                    .records
                    .borrow()
                    .get(&c.validator)
                    .cloned()
                    .unwrap_or_default();
                let r = if c.timepoint.is_zero() {
                    trace.latest()
                } else {
                    assert!(c.timepoint < U256::from(now), "ledger: future lookup");
                    trace.at(c.timepoint.to())
                };
                ok_word((u(r.committed), u(r.revealed), u(r.agreement), u(r.samples)))
            }
            battleRecordsCall::SELECTOR => ok_word(u(self.sessions.get())),
            championModelCall::SELECTOR => ok_word(u(self.champion.get())),
            ratingOfCall::SELECTOR => {
                let c = ratingOfCall::abi_decode(data).unwrap();
                match self.ratings.borrow().get(&c.model_id.to::<u64>()) {
                    Some(r) => ok_word(*r),
                    None => revert(),
                }
            }
            modelOwnerCall::SELECTOR => {
                let c = modelOwnerCall::abi_decode(data).unwrap();
                match self.owners.borrow().get(&c.model_id.to::<u64>()) {
                    Some(o) => ok_word(*o),
                    None => revert(),
                }
            }
            datasetInfoCall::SELECTOR => {
                let c = datasetInfoCall::abi_decode(data).unwrap();
                match self.datasets.borrow().get(&c.dataset_id.to::<u64>()) {
                    Some((who, status, impact)) => {
                        ok_word((*who, B256::ZERO, u(1), u(u64::from(*status)), *impact))
                    }
                    None => revert(),
                }
            }
            _ => revert(),
        }
    }
}

impl Calls for World {
    fn answer(host: &CallHost<Self>, call: Call<'_>) -> Answer {
        assert_ne!(call.kind, CallKind::Delegate);
        let world = &host.calls;
        match call.to {
            TOKEN => world.token(host, call.data),
            VAULT => world.vault(host, call.data),
            LEDGER => world.ledger(host, call.data),
            _ => revert(),
        }
    }
}

/// The program under test in its world.
pub(crate) struct Env {
    pub host: CallHost<World>,
    pub rewards: Rewards,
}

impl Env {
    /// A fresh program at `START` with default parameters; 1,000,000 tokens with `FUNDER`.
    pub(crate) fn new() -> Self {
        let host = CallHost::new(Default::default(), World::default());
        host.vm.set_contract_address(REWARDS);
        host.vm.set_block_timestamp(START);
        host.vm.set_sender(GOV);
        let mut rewards = Rewards::from(&host);
        rewards.init(GOV, TOKEN, VAULT, LEDGER, EXT).unwrap();
        let env = Env { host, rewards };
        env.mint(FUNDER, 1_000_000);
        env
    }

    pub(crate) fn world(&self) -> &World {
        &self.host.calls
    }

    pub(crate) fn now(&self) -> u64 {
        self.host.vm.block_timestamp()
    }

    pub(crate) fn at(&mut self, time: u64) -> &mut Self {
        self.host.vm.set_block_timestamp(time);
        self
    }

    pub(crate) fn as_(&mut self, sender: Address) -> &mut Rewards {
        self.host.vm.set_sender(sender);
        &mut self.rewards
    }

    pub(crate) fn mint(&self, account: Address, amount: u64) {
        *self
            .world()
            .balances
            .borrow_mut()
            .entry(account)
            .or_default() += u(amount);
    }

    pub(crate) fn balance(&self, account: Address) -> U256 {
        self.world()
            .balances
            .borrow()
            .get(&account)
            .copied()
            .unwrap_or_default()
    }

    /// `FUNDER` approves and funds `amount`.
    pub(crate) fn fund(&mut self, amount: u64) -> Result<U256, Error> {
        self.world()
            .allowances
            .borrow_mut()
            .insert((FUNDER, REWARDS), u(amount));
        self.as_(FUNDER).fund(u(amount))
    }

    /// Sets `validator`'s power from `time` on (and the total accordingly).
    pub(crate) fn power(&self, validator: Address, time: u64, power: u64) {
        let mut powers = self.world().powers.borrow_mut();
        let trace = powers.entry(validator).or_default();
        let old = trace.latest();
        trace.push(time, u(power));
        let mut total = self.world().total.borrow_mut();
        let t = total.latest() + u(power) - old;
        total.push(time, t);
    }

    /// `validator` takes part in `sessions` sessions at `time`, agreeing with the consensus at
    /// `agreement` (1e18 = always): its record moves like the ledger's (count up, average set).
    pub(crate) fn validate(&self, validator: Address, time: u64, sessions: u64, agreement: u64) {
        let mut records = self.world().records.borrow_mut();
        let trace = records.entry(validator).or_default();
        let mut r = trace.latest();
        r.committed += sessions;
        r.revealed += sessions;
        r.samples += sessions;
        r.agreement = agreement;
        trace.push(time, r);
    }

    /// `count` sessions are finalized.
    pub(crate) fn sessions(&self, count: u64) {
        self.world()
            .sessions
            .set(self.world().sessions.get() + count);
    }

    /// Registers model `id` owned by `owner` with `rating` points.
    pub(crate) fn model(&self, id: u64, owner: Address, rating: i64) {
        self.world().owners.borrow_mut().insert(id, owner);
        self.world().ratings.borrow_mut().insert(id, points(rating));
    }

    /// Funds 10,000, registers [`three_validators`], gives each `(validator, sessions,
    /// agreement)` its record at `START + 100`, finalizes four sessions and closes epoch 0.
    pub(crate) fn closed_epoch(&mut self, records: &[(Address, u64, u64)]) {
        self.fund(10_000).unwrap();
        three_validators(self);
        for &(validator, sessions, agreement) in records {
            self.validate(validator, START + 100, sessions, agreement);
        }
        self.sessions(4);
        self.close().unwrap();
    }

    /// Moves to the end of the open epoch and closes it.
    pub(crate) fn close(&mut self) -> Result<U256, Error> {
        let (_, _, end) = self.rewards.current_epoch();
        let end: u64 = end.to();
        if self.now() < end {
            self.at(end);
        }
        self.as_(EVE).close_epoch()
    }

    /// The logs emitted so far, decoded as `E`.
    pub(crate) fn events<E: alloy_sol_types::SolEvent>(&self) -> Vec<E> {
        self.host
            .vm
            .get_emitted_logs()
            .iter()
            .filter(|(topics, _)| topics.first() == Some(&E::SIGNATURE_HASH))
            .map(|(topics, data)| E::decode_raw_log(topics.iter().copied(), data).unwrap())
            .collect()
    }

    /// Funded, paid, claimable, reserve; checks the conservation invariant and that the
    /// program holds exactly what it owes plus the reserve.
    pub(crate) fn check_totals(&self) -> (U256, U256, U256, U256) {
        let (funded, paid, claimable, reserve) = self.rewards.totals();
        assert_eq!(
            funded,
            paid + claimable + reserve,
            "funded = paid + claimable + reserve"
        );
        assert_eq!(self.balance(REWARDS), claimable + reserve, "tokens held");
        (funded, paid, claimable, reserve)
    }
}

/// Three validators with 100 each from `START - 10`; V1 validates honestly, V2 rubber-stamps
/// (agrees 30% of the time), V3 never validates.
pub(crate) fn three_validators(env: &Env) {
    for v in [V1, V2, V3] {
        env.power(v, START - 10, 100);
    }
    env.validate(V1, START - 5, 4, ONE);
    env.validate(V2, START - 5, 4, 3 * ONE / 10);
}
