//! Packing a program's data segments: the zero runs a segment carries are left out of the wasm.
//!
//! Nitro charges every call for the bytes of a program's data segments: `0.75244` gas per byte
//! in the cached init cost, paid cached or not, on top of `0.1286` gas per wasm byte in the
//! uncached one (`crates/prover/src/binary.rs`, `Module::activate`). A fresh linear memory is
//! zero already, so a zero byte in a segment buys nothing. Rust's linker emits one active
//! segment per program in which most bytes are zero (zero-initialized statics placed between
//! initialized ones, e.g. the ABI decoder's 256-byte name buffers): 2,615 of agent-token's
//! 3,595 data bytes.
//!
//! [`pack`] splits each active segment around its zero runs of at least [`MIN_ZERO_RUN`] bytes
//! and trims the zeros at its ends, as Binaryen's `memory-packing` pass does for this case: the
//! memory a program starts with is byte for byte the same, only the wasm is shorter. Shorter
//! runs stay: one saves under 60 gas a call, while its new segment header (about seven bytes)
//! is what brotli cannot squeeze, and the compressed size budget binds first (cutting runs of 16
//! bytes and more put the SubDAO core over 20,000 compressed bytes; 64 keeps every program
//! within about 100 bytes of its unpacked size). Nitro accepts at most
//! [`MAX_SEGMENTS`] data segments, so when a program has more long runs than that the longest
//! are cut first.
//!
//! A module is returned unchanged when packing could change what it does or cannot be checked:
//! when it does not parse, has a passive segment or a data-count section (`memory.init` and
//! `data.drop` name segments by index), an offset that is not an `i32.const`, or segments that
//! overlap (a later segment's zeros overwrite an earlier one's bytes).
use std::ops::Range;

use wasm_encoder::{ConstExpr, DataSection, Module, RawSection};
use wasmparser::{DataKind, Operator, Parser, Payload};

/// Shortest zero run cut out of a segment.
pub const MIN_ZERO_RUN: usize = 64;

/// Most data segments Nitro's activation accepts.
pub const MAX_SEGMENTS: usize = 128;

/// The data section's id.
const DATA_SECTION: u8 = 11;

/// One active segment: where it starts in memory and its bytes.
struct Segment<'a> {
    offset: u32,
    data: &'a [u8],
}

/// `wasm` with every active data segment split around its long zero runs (see the module
/// documentation); `wasm` itself when packing does not apply or would change nothing.
pub fn pack(wasm: &[u8]) -> Vec<u8> {
    match packed(wasm) {
        Some(packed) if packed.len() < wasm.len() => packed,
        _ => wasm.to_vec(),
    }
}

/// The packed module, or `None` when the module is left as it is.
fn packed(wasm: &[u8]) -> Option<Vec<u8>> {
    let mut sections: Vec<(u8, Range<usize>)> = Vec::new();
    let mut segments = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.ok()?;
        match &payload {
            Payload::DataCountSection { .. } => return None,
            Payload::DataSection(reader) => {
                for data in reader.clone() {
                    segments.push(active_segment(data.ok()?)?);
                }
            }
            _ => {}
        }
        if let Some(section) = payload.as_section() {
            sections.push(section);
        }
    }
    if segments.is_empty() || overlapping(&segments) {
        return None;
    }
    let pieces = split(&segments)?;
    let mut data = DataSection::new();
    for (offset, bytes) in &pieces {
        data.active(
            0,
            &ConstExpr::i32_const(*offset as i32),
            bytes.iter().copied(),
        );
    }
    let mut module = Module::new();
    for (id, range) in sections {
        if id == DATA_SECTION {
            module.section(&data);
        } else {
            module.section(&RawSection {
                id,
                data: &wasm[range],
            });
        }
    }
    Some(module.finish())
}

/// The segment if it is active in memory 0 at an `i32.const` offset.
fn active_segment(data: wasmparser::Data<'_>) -> Option<Segment<'_>> {
    let DataKind::Active {
        memory_index: 0,
        offset_expr,
    } = data.kind
    else {
        return None;
    };
    let mut operators = offset_expr.get_operators_reader();
    let Ok(Operator::I32Const { value }) = operators.read() else {
        return None;
    };
    let Ok(Operator::End) = operators.read() else {
        return None;
    };
    Some(Segment {
        offset: value as u32,
        data: data.data,
    })
}

/// Whether any two segments cover a common byte.
fn overlapping(segments: &[Segment<'_>]) -> bool {
    let mut spans: Vec<(u64, u64)> = segments
        .iter()
        .map(|s| {
            (
                u64::from(s.offset),
                u64::from(s.offset) + s.data.len() as u64,
            )
        })
        .collect();
    spans.sort_unstable();
    spans.windows(2).any(|w| w[1].0 < w[0].1)
}

/// The pieces `(memory offset, bytes)` the segments become: each segment without the zeros at
/// its ends and without its longest zero runs of at least [`MIN_ZERO_RUN`] bytes, as many as
/// [`MAX_SEGMENTS`] allows. `None` when the segments alone exceed the limit.
fn split<'a>(segments: &[Segment<'a>]) -> Option<Vec<(u32, &'a [u8])>> {
    // Zero runs inside each segment (after trimming its ends): (length, segment, start).
    let mut trimmed = Vec::with_capacity(segments.len());
    let mut runs = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let data = segment.data;
        let Some(first) = data.iter().position(|&b| b != 0) else {
            trimmed.push(None);
            continue;
        };
        let last = data.iter().rposition(|&b| b != 0).unwrap_or(first);
        trimmed.push(Some(first..last + 1));
        let mut at = first;
        while at <= last {
            if data[at] != 0 {
                at += 1;
                continue;
            }
            let start = at;
            while data[at] == 0 {
                at += 1;
            }
            if at - start >= MIN_ZERO_RUN {
                runs.push((at - start, index, start));
            }
        }
    }
    let kept = trimmed.iter().flatten().count();
    if kept > MAX_SEGMENTS {
        return None;
    }
    // The longest runs first, as many as the segment limit allows; then back in memory order.
    runs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    runs.truncate(MAX_SEGMENTS - kept);
    runs.sort_unstable_by_key(|&(_, index, start)| (index, start));

    let mut pieces = Vec::with_capacity(kept + runs.len());
    let mut runs = runs.into_iter().peekable();
    for (index, (segment, span)) in segments.iter().zip(&trimmed).enumerate() {
        let Some(span) = span else { continue };
        let mut start = span.start;
        while let Some(&(length, _, run)) = runs.peek().filter(|r| r.1 == index) {
            pieces.push(piece(segment, start..run));
            start = run + length;
            runs.next();
        }
        pieces.push(piece(segment, start..span.end));
    }
    Some(pieces)
}

/// `(memory offset, bytes)` of `range` within `segment`.
fn piece<'a>(segment: &Segment<'a>, range: Range<usize>) -> (u32, &'a [u8]) {
    (
        segment.offset.wrapping_add(range.start as u32),
        &segment.data[range],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{DataCountSection, MemorySection, MemoryType};

    /// A module with one memory and the given active segments `(offset, bytes)`.
    fn module(segments: &[(u32, Vec<u8>)], data_count: bool) -> Vec<u8> {
        let mut module = Module::new();
        let mut memories = MemorySection::new();
        memories.memory(MemoryType {
            minimum: 2,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        module.section(&memories);
        if data_count {
            module.section(&DataCountSection {
                count: segments.len() as u32,
            });
        }
        let mut data = DataSection::new();
        for (offset, bytes) in segments {
            data.active(0, &ConstExpr::i32_const(*offset as i32), bytes.clone());
        }
        module.section(&data);
        module.finish()
    }

    /// The initial memory image a module's active segments write (the first `len` bytes).
    fn image(wasm: &[u8], len: usize) -> Vec<u8> {
        let mut memory = vec![0u8; len];
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::DataSection(reader) = payload.unwrap() {
                for data in reader {
                    let segment = active_segment(data.unwrap()).unwrap();
                    let at = segment.offset as usize;
                    memory[at..at + segment.data.len()].copy_from_slice(segment.data);
                }
            }
        }
        memory
    }

    /// Number of data segments and their total bytes.
    fn data_stats(wasm: &[u8]) -> (usize, usize) {
        let mut stats = (0, 0);
        for payload in Parser::new(0).parse_all(wasm) {
            if let Payload::DataSection(reader) = payload.unwrap() {
                for data in reader {
                    stats.0 += 1;
                    stats.1 += data.unwrap().data.len();
                }
            }
        }
        stats
    }

    #[test]
    fn long_zero_runs_leave_the_wasm_and_the_memory_image_stays() {
        let mut bytes = vec![0u8; 8];
        bytes.extend(b"head");
        bytes.extend([0u8; 256]);
        bytes.extend(b"middle");
        bytes.extend([0u8; MIN_ZERO_RUN - 1]);
        bytes.extend(b"tail");
        bytes.extend([0u8; 40]);
        let wasm = module(&[(1024, bytes.clone())], false);
        let packed = pack(&wasm);
        wasmparser::validate(&packed).unwrap();
        assert_eq!(image(&packed, 4096), image(&wasm, 4096));
        // Leading and trailing zeros and the 256-byte run are gone; the short run stays.
        assert_eq!(data_stats(&packed), (2, 4 + 6 + MIN_ZERO_RUN - 1 + 4));
        assert!(packed.len() < wasm.len() - 256);
    }

    #[test]
    fn several_segments_are_packed_each() {
        let a = [b"a".as_slice(), &[0; 64], b"b"].concat();
        let b = [&[0u8; 32][..], b"c", &[0; 100]].concat();
        let wasm = module(&[(100, a), (1000, b)], false);
        let packed = pack(&wasm);
        wasmparser::validate(&packed).unwrap();
        assert_eq!(image(&packed, 2048), image(&wasm, 2048));
        assert_eq!(data_stats(&packed), (3, 3));
    }

    #[test]
    fn the_segment_limit_keeps_the_longest_runs_cut() {
        // 200 runs of growing length between non-zero bytes: only MAX_SEGMENTS pieces.
        let mut bytes = Vec::new();
        for i in 0..200usize {
            bytes.push(1);
            bytes.extend(vec![0u8; MIN_ZERO_RUN + i]);
        }
        bytes.push(1);
        let wasm = module(&[(0, bytes.clone())], false);
        let packed = pack(&wasm);
        wasmparser::validate(&packed).unwrap();
        assert_eq!(image(&packed, 65_536), image(&wasm, 65_536));
        let (segments, data) = data_stats(&packed);
        assert_eq!(segments, MAX_SEGMENTS);
        // The 127 longest runs (lengths MIN+73 ..= MIN+199) were cut.
        let cut: usize = (73..200).map(|i| MIN_ZERO_RUN + i).sum();
        assert_eq!(data, bytes.len() - cut);
    }

    #[test]
    fn artifacts_are_deployed_packed() {
        let wasm = module(&[(0, [b"x".as_slice(), &[0; 300], b"y"].concat())], false);
        let artifact = crate::build::Artifact::from_wasm("program", wasm.clone());
        assert_eq!(artifact.wasm, pack(&wasm));
        assert_eq!(data_stats(&artifact.wasm), (2, 2));
        assert_eq!(artifact.code, crate::compress::program_code(&artifact.wasm));
    }

    #[test]
    fn packing_never_takes_a_program_over_the_size_target() {
        let wasm = module(&[(0, [b"x".as_slice(), &[0; 300], b"y"].concat())], false);
        let unpacked = crate::compress::program_code(&wasm);
        let packed = crate::compress::program_code(&pack(&wasm));
        // Over a zero target the smaller code wins; within a generous one the packed form does.
        let (_, code) = crate::build::deployable(wasm.clone(), 0);
        assert_eq!(code.len(), unpacked.len().min(packed.len()));
        let (form, _) = crate::build::deployable(wasm.clone(), usize::MAX);
        assert_eq!(form, pack(&wasm));
    }

    #[test]
    fn modules_packing_could_change_are_left_alone() {
        let zeros = [b"x".as_slice(), &[0; 64], b"y"].concat();
        // memory.init and data.drop name segments by index.
        let counted = module(&[(0, zeros.clone())], true);
        assert_eq!(pack(&counted), counted);
        // A later segment's zeros overwrite an earlier segment's bytes.
        let overlapping = module(&[(0, vec![7; 80]), (10, zeros.clone())], false);
        assert_eq!(pack(&overlapping), overlapping);
        // Not a module at all.
        assert_eq!(pack(b"not wasm"), b"not wasm");
        // Nothing to cut.
        let dense = module(&[(0, vec![1; 64])], false);
        assert_eq!(pack(&dense), dense);
    }
}
