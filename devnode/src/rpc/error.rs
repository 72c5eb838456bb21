//! Chain errors as JSON-RPC errors, with geth's codes: 3 plus the revert data for reverts,
//! -32000 for rejected transactions and failed calls, -32602 for bad arguments.

use alloy_primitives::hex;
use jsonrpsee::types::{error::INVALID_PARAMS_CODE, ErrorObjectOwned};

use crate::chain::ChainError;

/// geth's code for reverts.
pub const REVERT_CODE: i32 = 3;
/// geth's code for everything the server rejects that is not a revert.
pub const SERVER_ERROR_CODE: i32 = -32000;

/// The JSON-RPC error for a chain error.
pub fn to_rpc(error: ChainError) -> ErrorObjectOwned {
    let message = error.to_string();
    match error {
        ChainError::Reverted { output, .. } => {
            ErrorObjectOwned::owned(REVERT_CODE, message, Some(hex::encode_prefixed(output)))
        }
        ChainError::InvalidArgument(_) => invalid_params(message),
        _ => ErrorObjectOwned::owned(SERVER_ERROR_CODE, message, None::<()>),
    }
}

/// A -32602 error.
pub fn invalid_params(message: impl Into<String>) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(INVALID_PARAMS_CODE, message.into(), None::<()>)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::Bytes;

    #[test]
    fn reverts_carry_code_three_and_hex_data() {
        let error = to_rpc(ChainError::Reverted {
            output: Bytes::from_static(&[0xde, 0xad]),
            reason: Some("nope".into()),
        });
        assert_eq!(error.code(), 3);
        assert_eq!(error.message(), "execution reverted: nope");
        assert_eq!(error.data().unwrap().get(), "\"0xdead\"");
    }

    #[test]
    fn other_errors_use_server_and_param_codes() {
        assert_eq!(to_rpc(ChainError::UnknownBlock).code(), SERVER_ERROR_CODE);
        assert_eq!(
            to_rpc(ChainError::InvalidArgument("x".into())).code(),
            -32602
        );
    }
}
