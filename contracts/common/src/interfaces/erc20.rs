//! The ERC-20 calls the vault and the OML registry make on tokens they hold.
#[allow(unused_imports)]
use alloc::{vec, vec::Vec};
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// Minimal ERC-20 surface used for pulling and paying tokens.
    interface IErc20 {
        function balanceOf(address account) external view returns (uint256);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
    }
}
