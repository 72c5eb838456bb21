//! Tests of the extension program: it refuses to run outside its core's storage.
use alloy_primitives::Address;
use stylus_sdk::testing::TestVM;

use crate::RewardsExtension;
use agentdao_common::extension::NotDelegated;
use rewards_state::Error;

#[test]
fn every_function_refuses_to_run_at_the_extension_address() {
    let vm = TestVM::default();
    let mut ext = RewardsExtension::from(&vm);
    let refused = Err(Error::NotDelegated(NotDelegated {}));
    assert_eq!(ext.governance(), refused.clone().map(|()| Address::ZERO));
    assert_eq!(
        ext.set_emission(
            Default::default(),
            0,
            Default::default(),
            Default::default()
        ),
        refused
    );
    assert_eq!(ext.release_from_jail(Address::ZERO), refused);
    assert_eq!(ext.nominate(Default::default()), refused);
}
