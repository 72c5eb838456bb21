#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#[cfg(feature = "export-abi")]
fn main() {
    rewards_ext::print_from_args();
}
