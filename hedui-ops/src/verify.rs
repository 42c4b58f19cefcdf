//! `verify` and `verify_batch`: a case (or a JSONL batch of cases) in, sealed reports out.

use hedui_core::{BatchOptions, Case, Report, Rulebook, verify_chunk, verify_json_line};
use time::OffsetDateTime;

use crate::failure::Failure;

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

/// What operation `verify_batch` returns.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct BatchOutput {
    /// One sealed report per good line, as JSON lines in input order.
    pub reports_jsonl: Vec<u8>,
    /// One `{"line":n,"code":"...","message":"..."}` per rejected line, in input order.
    pub errors_jsonl: Vec<u8>,
    /// Number of reports.
    pub reports: u64,
    /// Number of rejected lines.
    pub errors: u64,
}

/// Lines verified per call of [`verify_chunk`]: bounds the copies held at once.
pub const BATCH_CHUNK_LINES: usize = 512;

/// Operation `verify_batch` on a JSONL text: every line is a case; blank lines are skipped
/// but keep their number. Every good line gives a report, every bad line an error.
///
/// # Errors
/// [`Failure::Panic`] only (a batch error is part of the output, not a failure).
pub fn verify_batch_jsonl(
    rulebook: &Rulebook,
    jsonl: &str,
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
    let mut chunk: Vec<String> = Vec::with_capacity(BATCH_CHUNK_LINES);
    let mut first_line: u64 = 1;
    let mut lines = jsonl.split('\n').peekable();
    while lines.peek().is_some() {
        chunk.clear();
        chunk.extend(lines.by_ref().take(BATCH_CHUNK_LINES).map(str::to_owned));
        for (_, result) in verify_chunk(&chunk, first_line, &opts) {
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
        first_line += chunk.len() as u64;
    }
    Ok(out)
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
}
