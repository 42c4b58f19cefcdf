//! `verify` and `verify_batch`: a case (or a JSONL batch of cases) in, sealed reports out.

use hedui_core::{
    Case, Report, Rulebook,
    batch::{
        BatchError, BatchOptions, verify_chunk, verify_chunk_reports, verify_json_line,
        verify_json_line_report,
    },
};
use time::OffsetDateTime;

use crate::failure::Failure;
use crate::jsonl::{Chunk, JsonlReader};

/// Operation `verify` on typed values: runs every gate (R1, R2, R6, R7) and returns the
/// sealed report.
///
/// # Errors
/// [`Failure::Core`] with the gate's error.
pub fn verify(
    rulebook: &Rulebook,
    case: &Case,
    issued_at: OffsetDateTime,
) -> Result<Report, Failure> {
    Ok(hedui_core::verify(case, rulebook, issued_at)?)
}

/// Operation `verify` on JSON: a `Case` document in, the sealed report as compact JSON out
/// (no trailing newline), byte for byte what `serde_json::to_string` of [`verify`]'s report
/// gives.
///
/// # Errors
/// [`Failure::Core`]: `input_json` for a text that is not a case, else the gate's error.
pub fn verify_json(
    rulebook: &Rulebook,
    case_json: &str,
    issued_at: OffsetDateTime,
) -> Result<Vec<u8>, Failure> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel: false,
    };
    Ok(verify_json_line(case_json, &opts)?.json)
}

/// Operation `verify` on a case's JSON with the sealed report out as a value, for hosts that
/// build their own objects from it (Python): the same checks and report as [`verify_json`].
///
/// # Errors
/// [`Failure::Core`]: `input_json` for a text that is not a case, else the gate's error.
pub fn verify_json_report(
    rulebook: &Rulebook,
    case_json: &str,
    issued_at: OffsetDateTime,
) -> Result<Report, Failure> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel: false,
    };
    Ok(verify_json_line_report(case_json, &opts)?)
}

/// One step of operation `verify_batch` for hosts that turn the sealed reports into their own
/// objects (Python): every line of a [`Chunk`] read by the one [`JsonlReader`] (or built by
/// the host) verified, blank lines skipped, and the chunk's rejected lines put among the
/// results, so that the output keeps the input order with each line's number.
pub fn verify_chunk_values(
    rulebook: &Rulebook,
    chunk: &Chunk,
    issued_at: OffsetDateTime,
    parallel: bool,
) -> Vec<(u64, Result<Report, BatchError>)> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel,
    };
    chunk.merge(verify_chunk_reports(&chunk.lines, chunk.first_line, &opts))
}

/// What operation `verify_batch` returns.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchOutput {
    /// One sealed report per good line, as JSON lines in input order.
    pub reports_jsonl: Vec<u8>,
    /// One `{"line":n,"code":"...","message":"...","path":"..."}` per rejected line, in input
    /// order (`path` left out where there is none).
    pub errors_jsonl: Vec<u8>,
    /// Number of reports.
    pub reports: u64,
    /// Number of rejected lines.
    pub errors: u64,
}

/// Lines verified per call of [`verify_chunk`]: bounds the copies held at once.
pub const BATCH_CHUNK_LINES: usize = 512;

/// Operation `verify_batch` on JSONL text: every line is a case, read by the one
/// [`JsonlReader`] (blank lines skipped but numbered, a line that is not UTF-8 or over the
/// rulebook's `limits.max_line_bytes` rejected at its number). Every good line gives a
/// report, every bad line an error (with the JSON `path` of the bad field where known).
///
/// # Errors
/// [`Failure::Panic`] only (a rejected line is part of the output, not a failure).
pub fn verify_batch_jsonl(
    rulebook: &Rulebook,
    jsonl: &str,
    issued_at: OffsetDateTime,
    parallel: bool,
) -> Result<BatchOutput, Failure> {
    verify_batch_bytes(rulebook, jsonl.as_bytes(), issued_at, parallel)
}

/// [`verify_batch_jsonl`] on bytes: a line that is not UTF-8 is rejected at its number
/// (`input_utf8`) while the others go on.
///
/// # Errors
/// [`Failure::Panic`] only.
pub fn verify_batch_bytes(
    rulebook: &Rulebook,
    jsonl: &[u8],
    issued_at: OffsetDateTime,
    parallel: bool,
) -> Result<BatchOutput, Failure> {
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel,
    };
    let mut out = BatchOutput::default();
    let mut reader = JsonlReader::for_rulebook(jsonl, rulebook);
    loop {
        let chunk = reader
            .read_chunk(BATCH_CHUNK_LINES)
            .map_err(|e| Failure::Panic(format!("reading a byte slice: {e}")))?;
        if chunk.is_empty() {
            return Ok(out);
        }
        let results = chunk.merge(verify_chunk(&chunk.lines, chunk.first_line, &opts));
        for (_, result) in results {
            match result {
                Ok(report) => {
                    out.reports_jsonl.extend_from_slice(&report.json);
                    out.reports_jsonl.push(b'\n');
                    out.reports += 1;
                }
                Err(e) => {
                    serde_json::to_writer(&mut out.errors_jsonl, &e)
                        .map_err(|e| Failure::Panic(format!("serializing a batch error: {e}")))?;
                    out.errors_jsonl.push(b'\n');
                    out.errors += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{default_rulebook, now_beijing};

    #[test]
    fn batch_numbers_lines_across_chunks_and_skips_blanks() {
        let mut text = String::new();
        for _ in 0..(BATCH_CHUNK_LINES + 3) {
            text.push_str("{}\n");
        }
        text.push('\n');
        text.push_str("not json");
        let out = verify_batch_jsonl(default_rulebook(), &text, now_beijing(), false).unwrap();
        assert_eq!(out.reports, 0);
        assert_eq!(out.errors, BATCH_CHUNK_LINES as u64 + 4);
        let last = String::from_utf8(out.errors_jsonl).unwrap();
        let last = last.lines().last().unwrap();
        assert!(
            last.starts_with(&format!("{{\"line\":{}", BATCH_CHUNK_LINES + 5)),
            "{last}"
        );
    }

    #[test]
    fn bad_utf8_lines_are_reported_in_order_among_the_others() {
        let text = b"{}\n\xff\n\n[]\n";
        let out = verify_batch_bytes(default_rulebook(), text, now_beijing(), false).unwrap();
        let errors = String::from_utf8(out.errors_jsonl).unwrap();
        let codes: Vec<_> = errors
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                format!("{}:{}", v["line"], v["code"].as_str().unwrap())
            })
            .collect();
        assert_eq!(
            codes,
            ["1:input_json", "2:input_utf8", "4:input_array_for_object"]
        );
    }
}
