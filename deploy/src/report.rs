//! The final table: contract, status, address, compressed size, gas used, data fee.
use ethers::types::U256;
use ethers::utils::format_ether;

use crate::compress::MAX_COMPRESSED;
use crate::pipeline::{Outcome, Report};

/// The table of `report` as aligned plain text, with a total line.
pub fn table(report: &Report) -> String {
    let mut lines = vec![[
        "contract".to_string(),
        "status".to_string(),
        "address".to_string(),
        "compressed".to_string(),
        "gas used".to_string(),
        "data fee (ETH)".to_string(),
    ]];
    for row in &report.rows {
        lines.push([
            row.contract.package().to_string(),
            status_text(&row.outcome),
            row.address
                .map(|a| format!("{a:#x}"))
                .unwrap_or_else(|| "-".into()),
            format!("{} / {MAX_COMPRESSED}", row.compressed_bytes),
            row.gas_used
                .map(|g| g.to_string())
                .unwrap_or_else(|| "-".into()),
            row.data_fee.map(format_ether).unwrap_or_else(|| "-".into()),
        ]);
        for ext in report.extensions.iter().filter(|e| e.core == row.contract) {
            lines.push([
                format!("+ {}", ext.package),
                status_text(&ext.outcome),
                ext.address
                    .map(|a| format!("{a:#x}"))
                    .unwrap_or_else(|| "-".into()),
                format!("{} / {MAX_COMPRESSED}", ext.compressed_bytes),
                ext.gas_used
                    .map(|g| g.to_string())
                    .unwrap_or_else(|| "-".into()),
                ext.data_fee.map(format_ether).unwrap_or_else(|| "-".into()),
            ]);
        }
    }
    if let Some(pool) = &report.pool {
        let dex = &pool.record;
        let status = if pool.steps.is_empty() {
            "up to date"
        } else {
            "set up"
        };
        for (name, address) in [
            ("uniswap-v2 router", dex.router),
            ("uniswap-v2 factory", dex.factory),
            ("weth", dex.weth),
            ("AGENT/WETH pair", dex.pair),
        ] {
            lines.push([
                name.to_string(),
                status.to_string(),
                format!("{address:#x}"),
                "(EVM)".to_string(),
                "-".to_string(),
                "-".to_string(),
            ]);
        }
        lines.push([
            "pool set-up".to_string(),
            format!("{} txs", pool.steps.len()),
            "-".to_string(),
            "-".to_string(),
            pool.gas_used().to_string(),
            "-".to_string(),
        ]);
    }
    let mut widths = [0usize; 6];
    for line in &lines {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
            out.push('\n');
        }
    }
    let spent = report.gas_spent();
    if spent > U256::zero() {
        out.push_str(&format!("gas spent in this run: {spent}\n"));
    }
    out
}

/// The status column for `outcome`.
fn status_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Deployed => "deployed".to_string(),
        Outcome::Skipped => "up to date".to_string(),
        Outcome::Planned(Ok(_)) => "would deploy".to_string(),
        Outcome::Planned(Err(reason)) => format!("would fail: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contracts::ContractKind;
    use crate::deployer::Estimate;
    use crate::pipeline::{ExtensionRow, Row};
    use crate::record::Deployments;
    use ethers::types::Address;

    fn row(contract: ContractKind, outcome: Outcome, gas: u64) -> Row {
        Row {
            contract,
            outcome,
            address: Some(Address::repeat_byte(0x12)),
            compressed_bytes: 12_345,
            wasm_bytes: 40_000,
            gas_used: Some(gas.into()),
            data_fee: Some(U256::exp10(15)),
        }
    }

    #[test]
    fn table_lists_every_row_and_the_gas_spent() {
        let report = Report {
            chain_id: 412_346,
            pool: None,
            rows: vec![
                row(ContractKind::AgentToken, Outcome::Deployed, 3_000_000),
                row(ContractKind::StakingVault, Outcome::Skipped, 5_000_000),
                row(
                    ContractKind::Subdao,
                    Outcome::Planned(Err("reverted".into())),
                    0,
                ),
                row(
                    ContractKind::EloLedger,
                    Outcome::Planned(Ok(Estimate {
                        data_fee: 1.into(),
                        gas: 1.into(),
                        gas_price: 1.into(),
                    })),
                    1,
                ),
            ],
            deployments: Deployments::default(),
            record_path: None,
            extensions: vec![ExtensionRow {
                core: ContractKind::StakingVault,
                package: "staking-vault-ext".into(),
                outcome: Outcome::Deployed,
                address: Some(Address::repeat_byte(0x34)),
                compressed_bytes: 19_876,
                wasm_bytes: 80_000,
                gas_used: Some(4_000_000.into()),
                data_fee: None,
            }],
        };
        let text = table(&report);
        assert!(text.starts_with("contract"), "{text}");
        assert!(text.contains("agent-token"), "{text}");
        assert!(text.contains("up to date"), "{text}");
        assert!(text.contains("would fail: reverted"), "{text}");
        assert!(text.contains("would deploy"), "{text}");
        assert!(text.contains("12345 / 24576"), "{text}");
        assert!(text.contains("0.001"), "{text}");
        // The extension program is listed right below its core, with its own size.
        let vault = text.find("staking-vault ").unwrap();
        let extension = text.find("+ staking-vault-ext").unwrap();
        assert!(
            extension > vault && text[vault..extension].lines().count() == 1,
            "{text}"
        );
        assert!(text.contains("19876 / 24576"), "{text}");
        // Only the transactions sent in this run count.
        assert!(text.contains("gas spent in this run: 7000000"), "{text}");
        assert_eq!(report.gas_spent(), 7_000_000.into());
    }
}
