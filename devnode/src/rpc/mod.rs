//! The JSON-RPC surface (HTTP, batches included) over a shared [`Chain`].

pub mod api;
pub mod convert;
pub mod error;

use std::{
    net::SocketAddr,
    sync::{Arc, Mutex},
};

use jsonrpsee::{
    server::{Server, ServerConfig, ServerHandle},
    RpcModule,
};

use crate::chain::Chain;
use api::{AnvilApiServer, Api, EthApiServer, EvmApiServer, NetApiServer, Web3ApiServer};

/// Largest request body accepted (a 24 KiB program is ~50 KB of hex; leave ample room).
const MAX_REQUEST_BYTES: u32 = 32 * 1024 * 1024;

/// Every method of every namespace, bound to `chain`.
///
/// # Errors
/// When two namespaces register the same method name (a programming error).
pub fn module(chain: Arc<Mutex<Chain>>) -> anyhow::Result<RpcModule<()>> {
    let api = Api::new(chain);
    let mut module = RpcModule::new(());
    module.merge(EthApiServer::into_rpc(api.clone()))?;
    module.merge(NetApiServer::into_rpc(api.clone()))?;
    module.merge(Web3ApiServer::into_rpc(api.clone()))?;
    module.merge(EvmApiServer::into_rpc(api.clone()))?;
    module.merge(AnvilApiServer::into_rpc(api))?;
    Ok(module)
}

/// Starts the HTTP JSON-RPC server on `address` (port 0 picks a free port).
///
/// # Errors
/// When the address cannot be bound.
pub async fn serve(
    address: SocketAddr,
    chain: Arc<Mutex<Chain>>,
) -> anyhow::Result<(ServerHandle, SocketAddr)> {
    let config = ServerConfig::builder()
        .max_request_body_size(MAX_REQUEST_BYTES)
        .max_response_body_size(MAX_REQUEST_BYTES)
        .build();
    let server = Server::builder().set_config(config).build(address).await?;
    let bound = server.local_addr()?;
    Ok((server.start(module(chain)?), bound))
}
