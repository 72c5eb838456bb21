//! Property test: over random vote sets, the on-chain tally, the per-vote answers and the final
//! state equal a straightforward recount.
use alloy_primitives::{Address, U256};
use proptest::prelude::*;

use super::*;
use crate::*;

/// One attempted vote: voter index (small, so repeats happen), weight at the snapshot, support
/// (3 is invalid).
type Attempt = (u8, u64, u8);

/// What the recount expects for each attempt, and the final sums.
struct Recount {
    answers: Vec<Result<U256, Error>>,
    against: u128,
    for_votes: u128,
    abstain: u128,
    any_counted: bool,
}

fn voter(index: u8) -> Address {
    Address::with_last_byte(0x40 + index)
}

fn recount(id: U256, snapshot: u64, attempts: &[Attempt]) -> Recount {
    let mut voted = std::collections::HashSet::new();
    let mut r = Recount {
        answers: vec![],
        against: 0,
        for_votes: 0,
        abstain: 0,
        any_counted: false,
    };
    for &(index, weight, support) in attempts {
        let who = voter(index);
        let answer = if support > 2 {
            Err(Error::InvalidVoteType(InvalidVoteType { support }))
        } else if voted.contains(&who) {
            Err(Error::AlreadyVoted(AlreadyVoted {
                proposalId: id,
                voter: who,
            }))
        } else if weight == 0 {
            Err(Error::NoVotingPower(NoVotingPower {
                voter: who,
                timepoint: snapshot,
            }))
        } else {
            voted.insert(who);
            r.any_counted = true;
            match support {
                0 => r.against += u128::from(weight),
                1 => r.for_votes += u128::from(weight),
                _ => r.abstain += u128::from(weight),
            }
            Ok(U256::from(weight))
        };
        r.answers.push(answer);
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn outcome_equals_recount(
        quorum_bps in 0u64..=10_000,
        total in 1u64..=1_000_000_000_000,
        attempts in prop::collection::vec((0u8..8, 0u64..=200_000_000_000, 0u8..=3), 0..16),
    ) {
        let mut env = Env::new();
        env.from(DAO);
        let mut settings = env.settings();
        settings.quorum_bps = quorum_bps;
        env.set(settings).unwrap();
        let id = env.propose_tax(50);
        let snapshot = env.snapshot(id);
        env.total_power(snapshot, total);
        env.open_voting(id);

        let want = recount(id, snapshot, &attempts);
        for (&(index, weight, support), answer) in attempts.iter().zip(&want.answers) {
            let who = voter(index);
            // A repeat voter's power may differ in the attempt; only the first counted vote
            // matters, and the recount ignores the repeat.
            env.power(who, snapshot, weight);
            env.from(who);
            prop_assert_eq!(&env.dao.cast_vote(id, support), answer);
        }

        let (against, for_votes, abstain) = env.votes(id);
        prop_assert_eq!(against, U256::from(want.against));
        prop_assert_eq!(for_votes, U256::from(want.for_votes));
        prop_assert_eq!(abstain, U256::from(want.abstain));

        env.at(env.deadline(id) + 1);
        // Exact: (for + abstain) / total >= quorumBps / 10,000.
        let passed = want.any_counted
            && (want.for_votes + want.abstain) * 10_000 >= u128::from(total) * u128::from(quorum_bps)
            && want.for_votes > want.against;
        let expected = if passed { ProposalState::Succeeded } else { ProposalState::Defeated };
        prop_assert_eq!(env.state(id), expected);
        if want.any_counted {
            prop_assert_eq!(env.dao.proposal(id).5, U256::from(total));
        }
    }
}
