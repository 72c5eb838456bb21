//! The elo-ledger calls the SubDAO (model upgrades) and dashboards make.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// Agreed surface of the Elo ledger used by other contracts.
    interface IEloLedger {
        /// Makes `modelId` the champion (governance only; may require the bootstrap condition).
        function upgradeModel(uint256 model_id) external;
        /// The active (champion) model id, zero before the first upgrade.
        function championModel() external view returns (uint256);
        /// Current Elo rating of `modelId` in 18-decimal fixed point.
        function ratingOf(uint256 model_id) external view returns (int256);
    }
}
