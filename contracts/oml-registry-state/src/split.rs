//! Exact fee splitting along a model's family tree.
//!
//! A payment is cut into the protocol's, the provers' and the ancestors' shares by their basis
//! points (rounded down); the ancestors' pool cascades up the tree, each ancestor taking
//! `decay_bps` of what is left of it (so shares shrink geometrically per generation). The creator
//! receives everything else: its own share, whatever the ancestors did not take (no ancestors,
//! depth cap reached) and all rounding dust. Hence the parts always add up to the payment.
use agentdao_common::errors::ArithmeticOverflow;
use agentdao_common::limb_math::bps_floor;
use agentdao_common::math::{sub, BPS_DENOMINATOR};
use alloy_primitives::U256;

/// Deepest generation a fee cascade or an ancestry query reaches.
pub const MAX_DEPTH: usize = 8;

/// The basis points a model's fee is split by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitBps {
    /// Creator's share (informational: the creator receives the remainder).
    pub creator: u16,
    /// Ancestors' pool.
    pub ancestors: u16,
    /// Provers' pool of the model.
    pub provers: u16,
    /// Protocol treasury.
    pub protocol: u16,
    /// Share of the remaining ancestors' pool each generation takes.
    pub decay: u16,
}

impl SplitBps {
    /// Sum of the four shares, which registration requires to be exactly 10,000.
    pub fn total(&self) -> u64 {
        u64::from(self.creator)
            + u64::from(self.ancestors)
            + u64::from(self.provers)
            + u64::from(self.protocol)
    }
}

/// Receiver of one part of a fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payee {
    /// The model's owner: its share, untaken ancestor shares and all rounding dust.
    Creator,
    /// The ancestor `n` generations up (0 = parent).
    Ancestor(usize),
    /// The model's provers' pool.
    Provers,
    /// The protocol treasury.
    Protocol,
}

/// Splits `payment` for a model with `ancestor_count` ancestors in reach (at most
/// [`MAX_DEPTH`]; more are ignored), handing each part to `pay`: the ancestors parent first,
/// then the creator, the provers' pool and the protocol. The parts add up to `payment` exactly.
///
/// # Errors
/// [`ArithmeticOverflow`] cannot happen for bps ≤ 10,000 with shares summing to 10,000; it is
/// typed so a corrupted configuration fails instead of minting value. Errors of `pay` stop the
/// split and are returned.
pub fn split_fee<E: From<ArithmeticOverflow>>(
    payment: U256,
    bps: SplitBps,
    ancestor_count: usize,
    mut pay: impl FnMut(Payee, U256) -> Result<(), E>,
) -> Result<(), E> {
    let protocol = bps_floor::<ArithmeticOverflow>(payment, u64::from(bps.protocol))?;
    let provers = bps_floor::<ArithmeticOverflow>(payment, u64::from(bps.provers))?;
    let pool = bps_floor::<ArithmeticOverflow>(payment, u64::from(bps.ancestors))?;
    let mut left = pool;
    for generation in 0..ancestor_count.min(MAX_DEPTH) {
        let part = bps_floor::<ArithmeticOverflow>(left, u64::from(bps.decay))?;
        left = sub::<ArithmeticOverflow>(left, part)?;
        pay(Payee::Ancestor(generation), part)?;
    }
    let taken = sub::<ArithmeticOverflow>(pool, left)?;
    let creator = sub::<ArithmeticOverflow>(
        sub::<ArithmeticOverflow>(sub::<ArithmeticOverflow>(payment, protocol)?, provers)?,
        taken,
    )?;
    pay(Payee::Creator, creator)?;
    pay(Payee::Provers, provers)?;
    pay(Payee::Protocol, protocol)
}

/// Whether `bps` is a valid split: shares sum to exactly 10,000 and decay is at most 10,000.
pub fn is_exact(bps: &SplitBps) -> bool {
    bps.total() == BPS_DENOMINATOR && u64::from(bps.decay) <= BPS_DENOMINATOR
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type R = Result<FeeSplit, ArithmeticOverflow>;

    /// One payment cut into its parts.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    struct FeeSplit {
        creator: U256,
        ancestors: [U256; MAX_DEPTH],
        ancestor_count: usize,
        provers: U256,
        protocol: U256,
    }

    /// Runs [`split_fee`] and records every part, checking each payee is paid once, in order.
    fn split(payment: U256, bps: SplitBps, depth: usize) -> R {
        let mut s = FeeSplit {
            creator: U256::ZERO,
            ancestors: [U256::ZERO; MAX_DEPTH],
            ancestor_count: 0,
            provers: U256::ZERO,
            protocol: U256::ZERO,
        };
        let mut order = Vec::new();
        split_fee::<ArithmeticOverflow>(payment, bps, depth, |payee, amount| {
            order.push(payee);
            match payee {
                Payee::Creator => s.creator = amount,
                Payee::Ancestor(n) => {
                    s.ancestors[n] = amount;
                    s.ancestor_count = n + 1;
                }
                Payee::Provers => s.provers = amount,
                Payee::Protocol => s.protocol = amount,
            }
            Ok(())
        })?;
        let mut expected: Vec<Payee> = (0..depth.min(MAX_DEPTH)).map(Payee::Ancestor).collect();
        expected.extend([Payee::Creator, Payee::Provers, Payee::Protocol]);
        assert_eq!(order, expected);
        Ok(s)
    }

    #[test]
    fn an_error_of_pay_stops_the_split() {
        let mut calls = 0;
        let result =
            split_fee::<ArithmeticOverflow>(U256::from(100), bps(10_000, 0, 0, 0, 0), 3, |_, _| {
                calls += 1;
                if calls == 2 {
                    Err(ArithmeticOverflow {})
                } else {
                    Ok(())
                }
            });
        assert_eq!((result, calls), (Err(ArithmeticOverflow {}), 2));
    }

    fn bps(creator: u16, ancestors: u16, provers: u16, protocol: u16, decay: u16) -> SplitBps {
        SplitBps {
            creator,
            ancestors,
            provers,
            protocol,
            decay,
        }
    }

    fn total(s: &FeeSplit) -> U256 {
        s.ancestors
            .iter()
            .fold(s.creator + s.provers + s.protocol, |acc, a| acc + *a)
    }

    #[test]
    fn worked_example_with_decay() {
        // 10,000 wei: 10% protocol, 5% provers, 20% ancestors halving per generation.
        let s = split(U256::from(10_000), bps(6_500, 2_000, 500, 1_000, 5_000), 3).unwrap();
        assert_eq!(s.protocol, U256::from(1_000));
        assert_eq!(s.provers, U256::from(500));
        assert_eq!(
            &s.ancestors[..3],
            &[U256::from(1_000), U256::from(500), U256::from(250)]
        );
        // Creator: 6,500 own + 250 the ancestors left.
        assert_eq!(s.creator, U256::from(6_750));
        assert_eq!(s.ancestor_count, 3);
        assert_eq!(total(&s), U256::from(10_000));
    }

    #[test]
    fn no_ancestors_leaves_pool_to_creator_and_dust_goes_to_creator() {
        let r: R = split(U256::from(7), bps(2_500, 2_500, 2_500, 2_500, 10_000), 0);
        let s = r.unwrap();
        // 7 * 25% = 1.75 -> 1 each for protocol and provers; pool of 1 untaken.
        assert_eq!((s.protocol, s.provers), (U256::from(1), U256::from(1)));
        assert_eq!(s.creator, U256::from(5));
        assert_eq!(total(&s), U256::from(7));
    }

    #[test]
    fn full_decay_gives_parent_everything_and_depth_is_capped() {
        let r: R = split(U256::from(1_000), bps(0, 10_000, 0, 0, 10_000), 20);
        let s = r.unwrap();
        assert_eq!(s.ancestor_count, MAX_DEPTH);
        assert_eq!(s.ancestors[0], U256::from(1_000));
        assert!(s.ancestors[1..].iter().all(|a| a.is_zero()));
        assert_eq!(s.creator, U256::ZERO);
    }

    #[test]
    fn exactness_check() {
        assert!(is_exact(&bps(10_000, 0, 0, 0, 0)));
        assert!(!is_exact(&bps(9_999, 0, 0, 0, 0)));
        assert!(!is_exact(&bps(10_000, 1, 0, 0, 0)));
        assert!(!is_exact(&bps(10_000, 0, 0, 0, 10_001)));
        assert_eq!(
            bps(u16::MAX, u16::MAX, u16::MAX, u16::MAX, 0).total(),
            4 * 65_535
        );
    }

    fn valid_bps() -> impl Strategy<Value = SplitBps> {
        (0u16..=10_000, 0u16..=10_000, 0u16..=10_000, 0u16..=10_000).prop_map(|(a, b, c, decay)| {
            let mut cuts = [a, b, c];
            cuts.sort_unstable();
            bps(
                cuts[0],
                cuts[1] - cuts[0],
                cuts[2] - cuts[1],
                10_000 - cuts[2],
                decay,
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        #[test]
        fn parts_sum_exactly_to_payment(
            payment in any::<[u64; 4]>().prop_map(U256::from_limbs),
            split in valid_bps(),
            depth in 0usize..=12,
        ) {
            prop_assert!(is_exact(&split));
            let s: FeeSplit = self::split(payment, split, depth).unwrap();
            prop_assert_eq!(total(&s), payment);
            prop_assert_eq!(s.ancestor_count, depth.min(MAX_DEPTH));
            prop_assert!(s.ancestors[s.ancestor_count..].iter().all(|a| a.is_zero()));
            // Each bps share is the exact floor; the creator gets at least its own floor.
            if payment <= U256::MAX / U256::from(10_000u64) {
                let floor = |b: u16| payment * U256::from(b) / U256::from(10_000u64);
                prop_assert_eq!(s.protocol, floor(split.protocol));
                prop_assert_eq!(s.provers, floor(split.provers));
                prop_assert!(s.creator >= floor(split.creator));
            }
            // Shares decay: no generation earns more than the one below it.
            for w in s.ancestors[..s.ancestor_count].windows(2) {
                prop_assert!(w[1] <= w[0]);
            }
        }
    }
}
