// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity ^0.8.24;

/// @title EloRatings (Solidity reference)
/// @notice The Elo hot path of `contracts/elo-ledger` in Solidity: one validation session's ten
/// rounds applied to two stored ratings with the same 18-decimal fixed-point FastChat Elo
/// (K = 4, scale 400, base 10, initial 1000) and the same integer algorithm for 10^-x
/// (base-2 split, Taylor series of e^y, rounded division), so both produce identical ratings.
contract EloRatings {
    event RatingsUpdated(uint256 indexed modelA, uint256 indexed modelB, int256 ratingA, int256 ratingB);

    error InvalidOutcome(uint8 code);
    error SameModel(uint256 model);

    int256 internal constant ONE = 1e18;
    int256 internal constant K = 4;
    int256 internal constant SCALE = 400;
    int256 public constant INIT_RATING = 1000 * ONE;
    uint256 internal constant LOG2_10 = 3_321_928_094_887_362_348;
    uint256 internal constant LN_2 = 693_147_180_559_945_309;
    uint256 internal constant FLUSH_EXPONENT = 19e18;
    uint256 internal constant ONE_U = 1e18;

    /// Rating minus INIT_RATING, so an unrated model reads as the initial rating.
    mapping(uint256 => int256) internal offset;

    function ratingOf(uint256 model) public view returns (int256) {
        return INIT_RATING + offset[model];
    }

    /// Applies `outcomes` (0 = A wins, 1 = B wins, 2 = tie) round by round.
    function applyRounds(uint256 modelA, uint256 modelB, uint8[10] calldata outcomes) external {
        if (modelA == modelB) revert SameModel(modelA);
        int256 ra = ratingOf(modelA);
        int256 rb = ratingOf(modelB);
        for (uint256 i = 0; i < outcomes.length; i++) {
            uint8 code = outcomes[i];
            int256 score;
            if (code == 0) score = ONE;
            else if (code == 1) score = 0;
            else if (code == 2) score = ONE / 2;
            else revert InvalidOutcome(code);
            int256 delta = K * (score - expectedScore(ra, rb));
            ra += delta;
            rb -= delta;
        }
        offset[modelA] = ra - INIT_RATING;
        offset[modelB] = rb - INIT_RATING;
        emit RatingsUpdated(modelA, modelB, ra, rb);
    }

    function expectedScore(int256 ra, int256 rb) public pure returns (int256) {
        int256 diff = rb - ra;
        uint256 x = (diff >= 0 ? uint256(diff) : uint256(-diff)) / uint256(SCALE);
        uint256 q = pow10Neg(x);
        uint256 e = diff >= 0 ? divRound(q * ONE_U, ONE_U + q) : divRound(ONE_U * ONE_U, ONE_U + q);
        return int256(e);
    }

    /// 10^-x for x in 18-decimal fixed point.
    function pow10Neg(uint256 x) public pure returns (uint256) {
        if (x >= FLUSH_EXPONENT) return 0;
        uint256 binary = x * LOG2_10 / ONE_U;
        uint256 shift = binary / ONE_U;
        uint256 y = (binary % ONE_U) * LN_2 / ONE_U;
        uint256 expY = ONE_U;
        uint256 term = ONE_U;
        for (uint256 k = 1; term != 0; k++) {
            term = term * y / (ONE_U * k);
            expY += term;
        }
        uint256 frac = divRound(ONE_U * ONE_U, expY);
        return (frac + ((uint256(1) << shift) >> 1)) >> shift;
    }

    function divRound(uint256 num, uint256 den) internal pure returns (uint256) {
        return (num + den / 2) / den;
    }
}
