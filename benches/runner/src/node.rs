//! The chains under test as separate processes, so their memory is measured the same way: the
//! devnode (this binary re-run as `bench serve-devnode`, the same build of the `devnode` crate)
//! and Foundry's anvil. Both bind to 127.0.0.1 on a free port and mine one block per
//! transaction.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use ethers::providers::{Http, Middleware, Provider};
use ethers::types::{Address, U256};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// How long a node may take to answer its first request.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// Prefix of the line `serve-devnode` prints once it listens.
pub(crate) const LISTENING_PREFIX: &str = "devnode listening on ";

/// Memory of a node process (Linux `/proc/<pid>/status`; zero elsewhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Memory {
    /// Resident set size now, KiB.
    pub rss_kib: u64,
    /// Peak resident set size, KiB.
    pub peak_rss_kib: u64,
}

impl Memory {
    /// Reads `VmRSS` and `VmHWM` from a `/proc/<pid>/status` text.
    pub(crate) fn parse_status(status: &str) -> Self {
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse().ok())
                .unwrap_or(0)
        };
        Self {
            rss_kib: field("VmRSS:"),
            peak_rss_kib: field("VmHWM:"),
        }
    }

    /// The memory of process `pid`.
    pub(crate) fn of_process(pid: u32) -> Self {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .map(|status| Self::parse_status(&status))
            .unwrap_or_default()
    }
}

/// A running node process.
pub(crate) struct NodeProcess {
    /// `devnode` or `anvil`.
    pub name: &'static str,
    /// Its JSON-RPC URL.
    pub url: String,
    child: Child,
}

impl NodeProcess {
    /// Starts the devnode: `exe serve-devnode` (this binary), waiting for its URL.
    ///
    /// # Errors
    /// When the process cannot start or does not report its address in time.
    pub(crate) async fn devnode(exe: &Path) -> Result<Self> {
        let mut child = Command::new(exe)
            .arg("serve-devnode")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {} serve-devnode", exe.display()))?;
        let stdout = child.stdout.take().context("devnode stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let url = tokio::time::timeout(STARTUP_TIMEOUT, async {
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix(LISTENING_PREFIX) {
                    return Ok::<_, anyhow::Error>(url.trim().to_string());
                }
            }
            bail!("serve-devnode exited before listening")
        })
        .await
        .context("the devnode did not start in time")??;
        let node = Self {
            name: "devnode",
            url,
            child,
        };
        node.wait_ready().await?;
        Ok(node)
    }

    /// Starts a prebuilt `devnode` binary (e.g. `cargo build --release -p devnode`) on a free
    /// port.
    ///
    /// # Errors
    /// When the binary cannot start or does not answer in time.
    pub(crate) async fn devnode_binary(binary: &Path) -> Result<Self> {
        let port = free_port()?;
        let child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let node = Self {
            name: "devnode",
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        node.wait_ready().await?;
        Ok(node)
    }

    /// Starts anvil on a free port with the devnode's chain id, automining, quiet.
    ///
    /// # Errors
    /// When the binary cannot start or does not answer in time.
    pub(crate) async fn anvil(binary: &Path, chain_id: u64) -> Result<Self> {
        let port = free_port()?;
        let child = Command::new(binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--chain-id", &chain_id.to_string(), "--silent"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let node = Self {
            name: "anvil",
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        node.wait_ready().await?;
        Ok(node)
    }

    async fn wait_ready(&self) -> Result<()> {
        let provider = Provider::<Http>::try_from(self.url.as_str())?;
        let start = Instant::now();
        loop {
            if provider.get_chainid().await.is_ok() {
                return Ok(());
            }
            if start.elapsed() > STARTUP_TIMEOUT {
                bail!(
                    "{} at {} did not answer within {STARTUP_TIMEOUT:?}",
                    self.name,
                    self.url
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The process's current and peak memory.
    pub(crate) fn memory(&self) -> Memory {
        self.child.id().map(Memory::of_process).unwrap_or_default()
    }

    /// Gives `account` `eth` ether where the node does not fund it (anvil funds its own
    /// accounts, not the nitro dev account).
    ///
    /// # Errors
    /// When `anvil_setBalance` fails.
    pub(crate) async fn fund(&self, account: Address, eth: u64) -> Result<()> {
        if self.name == "anvil" {
            let provider = Provider::<Http>::try_from(self.url.as_str())?;
            let wei = U256::from(eth) * U256::exp10(18);
            provider
                .request::<_, serde_json::Value>("anvil_setBalance", (account, wei))
                .await
                .context("anvil_setBalance")?;
        }
        Ok(())
    }

    /// Stops the process.
    ///
    /// # Errors
    /// When it cannot be killed.
    pub(crate) async fn stop(mut self) -> Result<()> {
        self.child.kill().await.context("stopping the node")?;
        Ok(())
    }
}

/// A port that was free a moment ago on 127.0.0.1.
///
/// # Errors
/// When no port can be bound.
pub(crate) fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding a free port")?;
    Ok(listener.local_addr()?.port())
}

/// `serve-devnode`: runs an ephemeral devnode in this process until killed, printing
/// [`LISTENING_PREFIX`] and its URL once it listens.
///
/// # Errors
/// When the devnode cannot start.
pub(crate) async fn serve_devnode() -> Result<()> {
    let node = devnode::spawn(devnode::DevnodeConfig::ephemeral()).await?;
    println!("{LISTENING_PREFIX}{}", node.url());
    std::future::pending::<()>().await;
    drop(node);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_read_from_proc_status() {
        let status = "Name:\tanvil\nVmHWM:\t  51234 kB\nVmRSS:\t  40960 kB\nThreads:\t4\n";
        assert_eq!(
            Memory::parse_status(status),
            Memory {
                rss_kib: 40_960,
                peak_rss_kib: 51_234
            }
        );
        assert_eq!(Memory::parse_status("nothing"), Memory::default());
    }

    #[test]
    fn own_process_has_memory_on_linux() {
        let memory = Memory::of_process(std::process::id());
        if cfg!(target_os = "linux") {
            assert!(memory.rss_kib > 0 && memory.peak_rss_kib >= memory.rss_kib);
        }
    }
}
