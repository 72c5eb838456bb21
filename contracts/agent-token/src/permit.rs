//! EIP-2612 permits: the EIP-712 domain of the token and signature checking.
use alloy_primitives::{b256, keccak256, Address, B256, U256};
use stylus_sdk::prelude::*;

use agentdao_common::ecdsa;
use agentdao_common::eip712::{domain_separator, typed_data_digest, VERSION_1_HASH};
use agentdao_common::math::add;
use agentdao_common::short_string;

use crate::sol::{ERC2612ExpiredSignature, ERC2612InvalidSigner};
use crate::{AgentToken, Error};

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub(crate) const PERMIT_TYPEHASH: B256 =
    b256!("6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c9");

/// `keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline))`.
pub(crate) fn permit_struct_hash(
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let mut buf = [0u8; 192];
    buf[..32].copy_from_slice(PERMIT_TYPEHASH.as_slice());
    buf[44..64].copy_from_slice(owner.as_slice());
    buf[76..96].copy_from_slice(spender.as_slice());
    buf[96..128].copy_from_slice(&value.to_be_bytes::<32>());
    buf[128..160].copy_from_slice(&nonce.to_be_bytes::<32>());
    buf[160..].copy_from_slice(&deadline.to_be_bytes::<32>());
    keccak256(buf)
}

impl AgentToken {
    /// The domain separator for the chain the VM reports now.
    pub(crate) fn current_domain_separator(&self) -> B256 {
        let name = self.name.get();
        domain_separator(
            keccak256(short_string::unpack_bytes(&name)),
            VERSION_1_HASH,
            self.vm().chain_id(),
            self.vm().contract_address(),
        )
    }

    /// Checks a permit and applies it (see [`AgentToken::permit`]).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn permit_checked(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        if U256::from(self.vm().block_timestamp()) > deadline {
            return Err(ERC2612ExpiredSignature { deadline }.into());
        }
        let nonce = self.nonces.get(owner);
        let digest = typed_data_digest(
            self.current_domain_separator(),
            permit_struct_hash(owner, spender, value, nonce, deadline),
        );
        let signer = ecdsa::recover::<_, Error>(self.vm(), digest, v, r, s)?;
        if signer != owner {
            return Err(ERC2612InvalidSigner { signer, owner }.into());
        }
        let next = add::<Error>(nonce, U256::from(1))?;
        // Validates owner and spender before anything is written.
        self.approve_checked(owner, spender, value)?;
        self.nonces.setter(owner).set(next);
        Ok(())
    }
}
