//! The on-chain format of Stylus programs: `EF F0 00`, a dictionary byte, then brotli-compressed
//! wasm (Nitro `core/state/statedb_arbitrum.go`).

use std::io::Read;

/// Prefix of a classic (single-fragment) Stylus program.
pub const STYLUS_PREFIX: [u8; 3] = [0xEF, 0xF0, 0x00];

/// Dictionary byte meaning "no dictionary", the only one cargo-stylus uses.
pub const DICTIONARY_EMPTY: u8 = 0x00;

/// Nitro's `stylus-program-11` dictionary, which the devnode does not ship.
pub const DICTIONARY_STYLUS_PROGRAM_11: u8 = 0x01;

/// Largest decompressed wasm Nitro accepts (`MaxWasmSize`, 128 KiB).
pub const MAX_WASM_SIZE: usize = 128 * 1024;

/// Why stored code could not be turned back into wasm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The code does not start with the Stylus prefix and a dictionary byte.
    #[error("specified bytecode is not a Stylus program")]
    NotStylus,
    /// The dictionary byte names a dictionary the devnode does not support.
    #[error("unsupported brotli dictionary {0}")]
    UnsupportedDictionary(u8),
    /// The brotli stream is corrupt.
    #[error("failed to decompress program: {0}")]
    Decompression(String),
    /// The decompressed wasm exceeds [`MAX_WASM_SIZE`].
    #[error("decompressed program exceeds {MAX_WASM_SIZE} bytes")]
    TooLarge,
}

/// Returns `true` when `code` is a classic Stylus program (prefix `EF F0 00`).
pub fn is_stylus(code: &[u8]) -> bool {
    code.starts_with(&STYLUS_PREFIX)
}

/// Decompresses stored program code into wasm, refusing anything above [`MAX_WASM_SIZE`] (a
/// brotli bomb stops after reading one byte more than the limit).
///
/// # Errors
/// [`CodeError`] when the code is not a Stylus program, uses an unknown dictionary, is corrupt or
/// decompresses to more than the limit.
pub fn decompress(code: &[u8]) -> Result<Vec<u8>, CodeError> {
    if !is_stylus(code) || code.len() < STYLUS_PREFIX.len() + 1 {
        return Err(CodeError::NotStylus);
    }
    let dictionary = code[STYLUS_PREFIX.len()];
    if dictionary != DICTIONARY_EMPTY {
        return Err(CodeError::UnsupportedDictionary(dictionary));
    }
    let compressed = &code[STYLUS_PREFIX.len() + 1..];
    let mut wasm = Vec::new();
    brotli::Decompressor::new(compressed, 4096)
        .take(MAX_WASM_SIZE as u64 + 1)
        .read_to_end(&mut wasm)
        .map_err(|e| CodeError::Decompression(e.to_string()))?;
    if wasm.len() > MAX_WASM_SIZE {
        return Err(CodeError::TooLarge);
    }
    Ok(wasm)
}

/// Compresses wasm into deployable program code (`EF F0 00 00` + brotli quality 11), as
/// cargo-stylus does.
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = STYLUS_PREFIX.to_vec();
    out.push(DICTIONARY_EMPTY);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = wasm;
    // Writing into a Vec cannot fail.
    brotli::BrotliCompress(&mut input, &mut out, &params).expect("in-memory brotli compression");
    out
}

/// Wraps program code in the 43-byte init code cargo-stylus deploys with
/// (`7f <len:32> 80 60 2b 60 00 39 60 00 f3 00` followed by the code).
pub fn deploy_prelude(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(43 + code.len());
    init.push(0x7f);
    let mut len = [0u8; 32];
    len[24..].copy_from_slice(&(code.len() as u64).to_be_bytes());
    init.extend_from_slice(&len);
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let wasm = b"\0asm\x01\0\0\0".repeat(50);
        let code = compress(&wasm);
        assert!(is_stylus(&code));
        assert_eq!(decompress(&code).unwrap(), wasm);
    }

    #[test]
    fn rejects_non_stylus_and_dictionaries() {
        assert_eq!(decompress(&[0x60, 0x00]), Err(CodeError::NotStylus));
        assert_eq!(decompress(&STYLUS_PREFIX), Err(CodeError::NotStylus));
        let mut code = compress(b"x");
        code[3] = DICTIONARY_STYLUS_PROGRAM_11;
        assert_eq!(decompress(&code), Err(CodeError::UnsupportedDictionary(1)));
        assert!(matches!(
            decompress(&[0xEF, 0xF0, 0x00, 0x00, 0xFF, 0xFF, 0xFF]),
            Err(CodeError::Decompression(_))
        ));
    }

    #[test]
    fn brotli_bomb_is_capped() {
        let code = compress(&vec![0u8; MAX_WASM_SIZE + 1]);
        assert_eq!(decompress(&code), Err(CodeError::TooLarge));
        assert_eq!(
            decompress(&compress(&vec![0u8; MAX_WASM_SIZE]))
                .unwrap()
                .len(),
            MAX_WASM_SIZE
        );
    }

    #[test]
    fn prelude_layout() {
        let init = deploy_prelude(&[0xEF, 0xF0, 0x00, 0x00, 0x01]);
        assert_eq!(init.len(), 43 + 5);
        assert_eq!(init[0], 0x7f);
        assert_eq!(init[32], 5);
        assert_eq!(
            &init[33..43],
            &[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]
        );
    }
}
