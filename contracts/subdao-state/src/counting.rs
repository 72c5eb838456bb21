//! Vote types and the counting rule ("bravo" counting, as OpenZeppelin's
//! `GovernorCountingSimple`): quorum counts For + Abstain, and a proposal passes when the quorum
//! is met and For is strictly greater than Against.
use agentdao_common::math::BPS_DENOMINATOR;
use alloy_primitives::U256;

/// How a validator votes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum VoteType {
    /// Against the proposal.
    Against = 0,
    /// For the proposal.
    For = 1,
    /// Counts towards quorum only.
    Abstain = 2,
}

impl VoteType {
    /// Parses the ABI `uint8 support`; `None` for anything but 0, 1, 2.
    pub fn from_support(support: u8) -> Option<Self> {
        match support {
            0 => Some(Self::Against),
            1 => Some(Self::For),
            2 => Some(Self::Abstain),
            _ => None,
        }
    }
}

/// The votes cast on one proposal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Votes against.
    pub against: U256,
    /// Votes for.
    pub for_votes: U256,
    /// Abstentions.
    pub abstain: U256,
}

impl Tally {
    /// Adds `weight` votes of type `vote`; `None` if the sum overflows (the caller reports
    /// `ArithmeticOverflow`).
    pub fn add(mut self, vote: VoteType, weight: U256) -> Option<Self> {
        let slot = match vote {
            VoteType::Against => &mut self.against,
            VoteType::For => &mut self.for_votes,
            VoteType::Abstain => &mut self.abstain,
        };
        *slot = slot.checked_add(weight)?;
        Some(self)
    }

    /// Whether For + Abstain reaches `quorum_bps` of `total` power, compared exactly as
    /// `(for + abstain) * 10_000 >= total * quorum_bps` on 320-bit products (no division, no
    /// rounding, no overflow).
    pub fn quorum_reached(&self, total: U256, quorum_bps: u64) -> bool {
        let (counted, carry) = self.for_votes.overflowing_add(self.abstain);
        let mut lhs = mul_wide(counted, BPS_DENOMINATOR);
        // The carry is 2^256: it adds 10,000 to the top limb, which is below 10,000.
        lhs[4] += u64::from(carry) * BPS_DENOMINATOR;
        let rhs = mul_wide(total, quorum_bps);
        lhs.iter().rev().ge(rhs.iter().rev())
    }

    /// Whether the proposal passed: quorum reached and For > Against.
    pub fn succeeded(&self, total: U256, quorum_bps: u64) -> bool {
        self.quorum_reached(total, quorum_bps) && self.for_votes > self.against
    }
}

/// `x * m` as five little-endian 64-bit limbs.
fn mul_wide(x: U256, m: u64) -> [u64; 5] {
    let mut out = [0u64; 5];
    let mut carry: u128 = 0;
    for (slot, limb) in out.iter_mut().zip(x.as_limbs()) {
        let product = u128::from(*limb) * u128::from(m) + carry;
        *slot = product as u64;
        carry = product >> 64;
    }
    out[4] = carry as u64;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(v: u64) -> U256 {
        U256::from(v)
    }

    #[test]
    fn parses_support() {
        assert_eq!(VoteType::from_support(0), Some(VoteType::Against));
        assert_eq!(VoteType::from_support(1), Some(VoteType::For));
        assert_eq!(VoteType::from_support(2), Some(VoteType::Abstain));
        assert_eq!(VoteType::from_support(3), None);
        assert_eq!(VoteType::from_support(255), None);
    }

    #[test]
    fn abstain_counts_for_quorum_not_majority() {
        let t = Tally::default().add(VoteType::For, u(2)).unwrap();
        let t = t.add(VoteType::Abstain, u(8)).unwrap();
        // 10 of 250 is exactly 4%.
        assert!(t.quorum_reached(u(250), 400));
        assert!(!t.quorum_reached(u(251), 400));
        assert!(t.succeeded(u(250), 400));
        let tied = t.add(VoteType::Against, u(2)).unwrap();
        assert!(!tied.succeeded(u(0), 0), "a tie fails");
    }

    #[test]
    fn wide_products_match_u512() {
        use alloy_primitives::U512;
        let values = [
            U256::ZERO,
            U256::from(1),
            U256::MAX,
            U256::MAX - U256::from(9_999),
        ];
        for x in values {
            for m in [0u64, 1, 400, 10_000, u64::MAX] {
                let wide = mul_wide(x, m);
                let mut limbs = [0u64; 8];
                limbs[..5].copy_from_slice(&wide);
                assert_eq!(
                    U512::from_limbs(limbs),
                    U512::from(x) * U512::from(m),
                    "{x} * {m}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// The 320-bit comparison equals the plain 512-bit one.
        #[test]
        fn quorum_equals_512_bit_rule(
            f in proptest::prelude::any::<[u64; 4]>(),
            a in proptest::prelude::any::<[u64; 4]>(),
            t in proptest::prelude::any::<[u64; 4]>(),
            shift in 0usize..256,
            bps in 0u64..=10_000,
        ) {
            use alloy_primitives::U512;
            let tally = Tally {
                against: U256::ZERO,
                for_votes: U256::from_limbs(f) >> shift,
                abstain: U256::from_limbs(a) >> shift,
            };
            let total = U256::from_limbs(t) >> (255 - shift);
            let counted = U512::from(tally.for_votes) + U512::from(tally.abstain);
            let want = counted * U512::from(BPS_DENOMINATOR) >= U512::from(total) * U512::from(bps);
            proptest::prop_assert_eq!(tally.quorum_reached(total, bps), want);
        }
    }

    #[test]
    fn overflow_is_reported() {
        let t = Tally::default().add(VoteType::Against, U256::MAX).unwrap();
        assert_eq!(t.add(VoteType::Against, u(1)), None);
        let t = t.add(VoteType::For, U256::MAX).unwrap();
        let t = t.add(VoteType::Abstain, U256::MAX).unwrap();
        assert!(
            t.quorum_reached(U256::MAX, 10_000),
            "the 512-bit sum reaches any quorum"
        );
    }
}
