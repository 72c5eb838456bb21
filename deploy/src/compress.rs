//! Program code the way Nitro stores it, and the limits it enforces.
//!
//! On chain a Stylus program is `EF F0 00 00` (prefix + "no dictionary") followed by the brotli
//! stream (quality 11, window 22, as cargo-stylus writes it) of the wasm. The whole code must fit
//! Arbitrum's 24,576-byte contract limit and the wasm must decompress to at most 128 KiB. A plain
//! CREATE deploys it with a 43-byte init-code prelude that returns the code.
use std::io::Write;

use crate::error::SizeError;

/// Nitro's code size limit for one program (EIP-170's size, applied to the compressed code).
pub const MAX_COMPRESSED: usize = 24_576;

/// The project's size target per program (compressed bytes): a fifth of Nitro's limit left for
/// growth. Every program's budget in `crate::system::CONTRACTS` holds it to this target.
pub const TARGET_COMPRESSED: usize = 20_000;
/// Nitro's limit for the decompressed wasm.
pub const MAX_WASM: usize = 128 * 1024;
/// The prefix Nitro expects before the brotli stream (`EF F0 00` + dictionary byte 0 = none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
/// Brotli quality cargo-stylus uses.
const BROTLI_QUALITY: u32 = 11;
/// Brotli window (log2 bytes) cargo-stylus uses.
const BROTLI_WINDOW: u32 = 22;
/// Length of the init-code prelude [`init_code`] puts before the program code.
pub const PRELUDE_LEN: usize = 43;

/// Brotli (quality 11, window 22) of `wasm`.
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(wasm.len() / 2);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        // Writing into a Vec cannot fail.
        writer
            .write_all(wasm)
            .expect("writing to a Vec never fails");
    }
    out
}

/// On-chain code of a wasm program: [`STYLUS_PREFIX`] + [`compress`].
pub fn program_code(wasm: &[u8]) -> Vec<u8> {
    let mut code = STYLUS_PREFIX.to_vec();
    code.extend(compress(wasm));
    code
}

/// Init code that deploys `code` with a plain CREATE:
/// `PUSH32 len; DUP1; PUSH1 43; PUSH1 0; CODECOPY; PUSH1 0; RETURN; <version byte 0>` + code.
pub fn init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(PRELUDE_LEN + code.len());
    init.push(0x7f);
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(code.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[
        0x80,
        0x60,
        PRELUDE_LEN as u8,
        0x60,
        0x00,
        0x39,
        0x60,
        0x00,
        0xf3,
    ]);
    init.push(0x00);
    init.extend_from_slice(code);
    init
}

/// Fails when `contract`'s program code exceeds `limit` bytes or its wasm exceeds [`MAX_WASM`].
///
/// # Errors
/// [`SizeError`] naming the contract, its size and the limit.
pub fn check_size(
    contract: &str,
    wasm_bytes: usize,
    code_bytes: usize,
    limit: usize,
) -> Result<(), SizeError> {
    if code_bytes > limit {
        return Err(SizeError::Compressed {
            contract: contract.to_string(),
            bytes: code_bytes,
            limit,
        });
    }
    if wasm_bytes > MAX_WASM {
        return Err(SizeError::Wasm {
            contract: contract.to_string(),
            bytes: wasm_bytes,
            limit: MAX_WASM,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decompress(code: &[u8]) -> Vec<u8> {
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &code[STYLUS_PREFIX.len()..], &mut back).unwrap();
        back
    }

    #[test]
    fn program_code_has_prefix_and_round_trips() {
        let wasm: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let code = program_code(&wasm);
        assert_eq!(code[..4], STYLUS_PREFIX);
        assert_eq!(decompress(&code), wasm);
        assert!(code.len() < wasm.len());
    }

    #[test]
    fn init_code_matches_cargo_stylus_prelude() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 0xAA, 0xBB];
        let init = init_code(&code);
        // The prelude cargo-stylus 0.10 sends, with length 6.
        let mut want = vec![0x7f];
        want.extend_from_slice(&[0u8; 31]);
        want.push(6);
        want.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
        want.extend_from_slice(&code);
        assert_eq!(init, want);
        assert_eq!(init.len(), PRELUDE_LEN + code.len());
    }

    #[test]
    fn size_check_names_contract_and_limit() {
        assert!(check_size("agent-token", 1000, MAX_COMPRESSED, MAX_COMPRESSED).is_ok());
        let err = check_size("staking-vault", 1000, 25_000, MAX_COMPRESSED).unwrap_err();
        assert_eq!(
            err.to_string(),
            "staking-vault is 25000 bytes compressed, over the 24576-byte Stylus limit"
        );
        let err = check_size("subdao", MAX_WASM + 1, 100, MAX_COMPRESSED).unwrap_err();
        assert!(err.to_string().contains("subdao"), "{err}");
        assert!(err.to_string().contains("131073"), "{err}");
    }

    proptest! {
        #[test]
        fn compression_is_lossless(wasm in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let code = program_code(&wasm);
            prop_assert_eq!(&code[..4], &STYLUS_PREFIX[..]);
            prop_assert_eq!(decompress(&code), wasm);
        }

        #[test]
        fn init_code_embeds_length_and_code(code in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let init = init_code(&code);
            let len = u64::from_be_bytes(init[25..33].try_into().unwrap());
            prop_assert_eq!(len as usize, code.len());
            prop_assert_eq!(&init[PRELUDE_LEN..], &code[..]);
        }
    }
}
