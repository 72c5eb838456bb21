//! Property tests over random operation sequences: the escrow invariant per asset and exact fee
//! splits, for ETH, a plain ERC-20 and a taxed ERC-20 (1% of every transfer is burned, like the
//! agent token's tax). Token balances are kept by the simulated ledger; TestVM does not move ETH,
//! so the test keeps the contract's ETH balance itself: it adds what every successful payable
//! call brought in and subtracts what every successful withdrawal paid out.
use super::*;
use proptest::prelude::*;

/// A token that delivers 99% of every transfer.
const TAXED: Address = Address::repeat_byte(0x71);
/// The three assets: ETH, `TOKEN`, `TAXED`.
const ASSETS: [Address; 3] = [Address::ZERO, TOKEN, TAXED];

const ACCOUNTS: [Address; 8] = [GOV, TREASURY, ALICE, BOB, CAROL, HOST, EVE, PROVER];
const HOSTS: [Address; 2] = [HOST, EVE];

#[derive(Clone, Debug)]
enum Op {
    Request {
        model: u64,
        host: usize,
    },
    Report {
        license: u64,
        units: u64,
    },
    Terminate {
        license: u64,
    },
    Close {
        license: u64,
    },
    Claim {
        license: u64,
        unpaid: bool,
    },
    Dispute {
        claim: u64,
        by_governance: bool,
    },
    Resolve {
        claim: u64,
        uphold: bool,
    },
    Finalize {
        claim: u64,
    },
    /// `who` withdraws its credit, or (`by_stranger`) a stranger pays it out to `who`.
    Withdraw {
        who: usize,
        asset: usize,
        by_stranger: bool,
    },
    Wait {
        seconds: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1u64..=6, 0usize..2).prop_map(|(model, host)| Op::Request { model, host }),
        4 => (1u64..=6, 1u64..=1_000_000).prop_map(|(license, units)| Op::Report { license, units }),
        1 => (1u64..=6).prop_map(|license| Op::Terminate { license }),
        1 => (1u64..=6).prop_map(|license| Op::Close { license }),
        2 => (1u64..=6, any::<bool>()).prop_map(|(license, unpaid)| Op::Claim { license, unpaid }),
        1 => (1u64..=3, any::<bool>())
            .prop_map(|(claim, by_governance)| Op::Dispute { claim, by_governance }),
        1 => (1u64..=3, any::<bool>()).prop_map(|(claim, uphold)| Op::Resolve { claim, uphold }),
        1 => (1u64..=3).prop_map(|claim| Op::Finalize { claim }),
        2 => (0usize..ACCOUNTS.len(), 0usize..3, any::<bool>())
            .prop_map(|(who, asset, by_stranger)| Op::Withdraw { who, asset, by_stranger }),
        1 => (0u64..=400).prop_map(|seconds| Op::Wait { seconds }),
    ]
}

fn random_terms() -> impl Strategy<Value = (Terms, Terms)> {
    let one = (
        (0u16..=10_000, 0u16..=10_000, 0u16..=10_000),
        0u16..=10_000,
        0u8..=8,
        0u64..=1_000_000_000,
        1u64..=1_000_000_000_000,
    )
        .prop_map(|(cuts, decay, depth, fee, collateral)| {
            let mut c = [cuts.0, cuts.1, cuts.2];
            c.sort_unstable();
            Terms {
                asset: Address::ZERO,
                usageFee: U256::from(fee),
                collateral: U256::from(collateral),
                creatorBps: c[0],
                ancestorsBps: c[1] - c[0],
                proversBps: c[2] - c[1],
                protocolBps: 10_000 - c[2],
                ancestorDecayBps: decay,
                maxDepth: depth,
            }
        });
    (one.clone(), one)
}

struct World {
    host: LedgerHost,
    vm: TestVM,
    /// Asset of each license, by license id - 1 (kept here to spare view calls).
    license_assets: Vec<Address>,
    c: Registry,
    /// What the contract holds in ETH.
    eth: U256,
    tree: MerkleTree,
    now: u64,
}

impl World {
    fn new(root: Terms, child: Terms) -> Self {
        let host = ledger_host(THIS, &[TOKEN, TAXED]);
        host.set_quirk(TAXED, Quirk::FeeOnTransfer(100));
        let vm = host.vm.clone();
        let mut c = Registry::from(&host);
        vm.set_sender(GOV);
        c.init(GOV, params(), EXT).unwrap();
        let models = [
            (
                ALICE,
                0,
                Terms {
                    asset: Address::ZERO,
                    ..root.clone()
                },
            ),
            (
                BOB,
                1,
                Terms {
                    asset: Address::ZERO,
                    ..child.clone()
                },
            ),
            (
                ALICE,
                0,
                Terms {
                    asset: TOKEN,
                    ..root
                },
            ),
            (
                CAROL,
                3,
                Terms {
                    asset: TOKEN,
                    ..child.clone()
                },
            ),
            (
                BOB,
                0,
                Terms {
                    asset: TAXED,
                    ..root
                },
            ),
            (
                CAROL,
                5,
                Terms {
                    asset: TAXED,
                    ..child
                },
            ),
        ];
        for (owner, parent, t) in models {
            as_(&vm, owner, 0);
            c.register_model(B256::ZERO, RawBytes::default(), parent, t)
                .unwrap();
        }
        Self {
            host,
            vm,
            c,
            license_assets: Vec::new(),
            eth: U256::ZERO,
            tree: fingerprints(4, "inv"),
            now: 0,
        }
    }

    /// What the contract holds in `asset`.
    fn balance(&self, asset: Address) -> U256 {
        if asset.is_zero() {
            self.eth
        } else {
            self.host.token_balance(asset, THIS)
        }
    }

    /// Lets `payer` pay `amount` of `asset` in the next call (call value, or minted tokens for
    /// the registry to pull).
    fn pay(&self, payer: Address, asset: Address, amount: U256) {
        self.vm.set_sender(payer);
        if asset.is_zero() {
            self.vm.set_value(amount);
        } else {
            self.vm.set_value(U256::ZERO);
            self.host.mint(asset, payer, amount);
        }
    }

    /// Records ETH that arrived with a successful call.
    fn received_eth(&mut self, asset: Address, amount: U256) {
        if asset.is_zero() {
            self.eth += amount;
        }
    }

    fn license_asset(&self, license: u64) -> Address {
        self.license_assets[license as usize - 1]
    }

    /// Credits of every account plus every provers' pool in `asset`.
    fn owed(&self, asset: Address) -> U256 {
        let credits = ACCOUNTS
            .iter()
            .fold(U256::ZERO, |acc, a| acc + self.c.credit(asset, *a));
        // Models 1 and 2 take ETH, 3 and 4 the token, 5 and 6 the taxed token.
        let first = 2 * ASSETS.iter().position(|a| *a == asset).unwrap() as u64 + 1;
        let models = [first, first + 1];
        models
            .iter()
            .fold(credits, |acc, m| acc + self.c.provers_pool(*m).unwrap())
    }

    fn escrowed(&self, asset: Address) -> U256 {
        let mut total = self.owed(asset);
        for l in 1..=self.c.license_count() {
            if self.license_asset(l) != asset {
                continue;
            }
            let (_, _, collateral, _, state, _, _, _) = self.c.license(l).unwrap();
            let state = u64::from(state);
            let held = state == license_state::ACTIVE || state == license_state::TERMINATING;
            assert!(
                held || collateral.is_zero(),
                "ended license {l} still holds collateral"
            );
            total += collateral;
        }
        for id in 1..=self.c.claim_count() {
            let (license, _, _, state, bond, _, _) = self.c.claim(id).unwrap();
            let state = u64::from(state);
            let open = state == claim_state::PENDING || state == claim_state::DISPUTED;
            if open && self.license_asset(license) == asset {
                total += bond;
            }
        }
        total
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let (vm, licenses, claims) = (&self.vm, self.c.license_count(), self.c.claim_count());
        vm.set_block_timestamp(self.now);
        match *op {
            Op::Request { model, host } => {
                let t = self.c.terms(model).unwrap();
                self.pay(HOSTS[host], t.asset, t.collateral);
                let before = self.balance(t.asset);
                if let Ok(id) = self.c.request_license(model) {
                    self.license_assets.push(t.asset);
                    self.received_eth(t.asset, t.collateral);
                    // The license holds what arrived.
                    let held = self.c.license(id).unwrap().2;
                    prop_assert_eq!(held, self.balance(t.asset) - before);
                    let owner = self.c.owner_of(model).unwrap();
                    as_(&self.vm, owner, 0);
                    let (root, depth) = (self.tree.root(), self.tree.depth());
                    self.c.set_fingerprint_root(id, root, depth).unwrap();
                }
            }
            Op::Report { license, units } if license <= licenses => {
                let (model, licensee, ..) = self.c.license(license).unwrap();
                let t = self.c.terms(model).unwrap();
                let fee = t.usageFee * U256::from(units);
                self.pay(licensee, t.asset, fee);
                let before = self.owed(t.asset);
                let held = self.balance(t.asset);
                if self.c.report_usage(license, units).is_ok() {
                    self.received_eth(t.asset, fee);
                    // Everything that arrived was split, nothing more and nothing less.
                    let arrived = self.balance(t.asset) - held;
                    prop_assert_eq!(self.owed(t.asset) - before, arrived);
                } else {
                    prop_assert_eq!(self.owed(t.asset), before);
                }
            }
            Op::Terminate { license } | Op::Close { license } if license <= licenses => {
                let licensee = self.c.license(license).unwrap().1;
                as_(vm, licensee, 0);
                let _ = if matches!(op, Op::Terminate { .. }) {
                    self.c.terminate_license(license)
                } else {
                    self.c.close_license(license)
                };
            }
            Op::Claim { license, unpaid } if license <= licenses => {
                let (_, _, collateral, _, _, _, _, reported) = self.c.license(license).unwrap();
                let bond = (collateral * U256::from(1_000u64)).div_ceil(U256::from(10_000u64));
                let asset = self.license_asset(license);
                self.pay(PROVER, asset, bond);
                let (leaves, proofs) = evidence(&self.tree, &[1, 2]);
                let kind = u8::from(unpaid);
                let observed = reported + U256::from(1);
                let r = self
                    .c
                    .submit_claim(license, kind, leaves, proofs, B256::ZERO, observed);
                if r.is_ok() {
                    self.received_eth(asset, bond);
                }
            }
            Op::Dispute {
                claim,
                by_governance,
            } if claim <= claims => {
                let license = self.c.claim(claim).unwrap().0;
                let who = if by_governance {
                    GOV
                } else {
                    self.c.license(license).unwrap().1
                };
                as_(vm, who, 0);
                let _ = self.c.dispute_claim(claim, B256::ZERO);
            }
            Op::Resolve { claim, uphold } => {
                as_(vm, GOV, 0);
                let _ = self.c.resolve_dispute(claim, uphold);
            }
            Op::Finalize { claim } => {
                as_(vm, EVE, 0);
                let _ = self.c.finalize_claim(claim);
            }
            Op::Withdraw {
                who,
                asset,
                by_stranger,
            } => {
                let (payee, asset) = (ACCOUNTS[who], ASSETS[asset]);
                let owed = self.c.credit(asset, payee);
                let held = self.balance(asset);
                let result = if by_stranger {
                    as_(vm, EVE, 0);
                    self.c.withdraw_for(payee, asset)
                } else {
                    as_(vm, payee, 0);
                    self.c.withdraw(asset)
                };
                match result {
                    Ok(paid) => {
                        prop_assert_eq!(paid, owed);
                        if asset.is_zero() {
                            self.eth -= paid;
                        } else {
                            prop_assert_eq!(held - self.balance(asset), paid);
                        }
                    }
                    Err(e) => prop_assert_eq!(e, Error::from(NothingToWithdraw { asset, payee })),
                }
            }
            Op::Wait { seconds } => self.now += seconds,
            _ => {}
        }
        prop_assert!(!self.c.guard.is_locked());
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// After a random sequence of operations, each asset's balance (ETH, a plain and a taxed
    /// token) equals collateral of live
    /// licenses + bonds of open claims + provers' pools + unwithdrawn credits (a leak is
    /// permanent, so checking at the end catches it); every usage fee is split exactly (checked
    /// at each report).
    #[test]
    fn escrow_matches_balance_per_asset(
        (root, child) in random_terms(),
        ops in prop::collection::vec(op(), 1..24),
    ) {
        let mut world = World::new(root, child);
        for op in &ops {
            world.apply(op)?;
        }
        for asset in ASSETS {
            prop_assert_eq!(world.escrowed(asset), world.balance(asset));
        }
    }
}
