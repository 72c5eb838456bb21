//! ArbOwnerPublic (0x6b), the views Nitro's `precompiles/ArbOwnerPublic.go` offers everyone, as
//! far as the devnode has them: the chain owner (the dev account, as on nitro-devnode) and the
//! network fee account (the same account). The CacheManager asks `isChainOwner` for its
//! owner-only methods and `getNetworkFeeAccount` to sweep its funds.

use alloy_sol_types::SolCall;
use revm::{interpreter::CallInputs, interpreter::InterpreterResult, Database};

use super::abi::ArbOwnerPublic;
use super::arb_wasm::{decode_call, non_payable_read, selector, serve, Outcome};
use crate::{evm::ChainSpec, stylus::program::ArbContext};

/// Runs an ArbOwnerPublic call.
///
/// # Errors
/// Database failures, as strings (revm's precompile error channel).
pub fn run<DB: Database>(
    ctx: &mut ArbContext<DB>,
    spec: &ChainSpec,
    inputs: &CallInputs,
) -> Result<InterpreterResult, String> {
    serve(ctx, inputs, |_ctx, data, gas| {
        if let Some(failed) = non_payable_read(inputs, gas) {
            return Ok(failed);
        }
        let owner = spec.network_fee_account;
        Ok(match selector(data) {
            Some(ArbOwnerPublic::isChainOwnerCall::SELECTOR) => {
                let call = decode_call!(ArbOwnerPublic::isChainOwnerCall, data);
                Outcome::Return(ArbOwnerPublic::isChainOwnerCall::abi_encode_returns(
                    &(call.addr == owner),
                ))
            }
            Some(ArbOwnerPublic::getAllChainOwnersCall::SELECTOR) => Outcome::Return(
                ArbOwnerPublic::getAllChainOwnersCall::abi_encode_returns(&vec![owner]),
            ),
            Some(ArbOwnerPublic::getNetworkFeeAccountCall::SELECTOR) => Outcome::Return(
                ArbOwnerPublic::getNetworkFeeAccountCall::abi_encode_returns(&owner),
            ),
            _ => Outcome::Fail("unknown ArbOwnerPublic method".into()),
        })
    })
}
