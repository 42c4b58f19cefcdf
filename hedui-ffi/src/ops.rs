//! The operations both bindings expose, on Rust types: text in, bytes out.
//!
//! Each one is a thin composition of hedui-core calls (parse, verify, serialize); the rules
//! live in the core. The C ABI (`capi`) and the uniffi surface (`uniffi_api`) only convert
//! their arguments and results.

use std::sync::OnceLock;

use hedui_core::{
    Authorization, BatchOptions, Error, Household, Report, Rulebook, beijing_date, render_markdown,
    verify_chunk, verify_json_line,
};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::failure::Failure;

/// The built-in rulebook, built once and shared (it is immutable).
pub(crate) fn default_rulebook() -> &'static Rulebook {
    static DEFAULT: OnceLock<Rulebook> = OnceLock::new();
    DEFAULT.get_or_init(Rulebook::default)
}

/// The current time in Beijing (+08:00), whole seconds: the issue time of a report when the
/// caller gives none.
pub(crate) fn now_beijing() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    match UtcOffset::from_hms(8, 0, 0) {
        Ok(offset) => now.to_offset(offset),
        Err(_) => now,
    }
}

/// Parses an RFC 3339 date-time argument.
pub(crate) fn parse_time(argument: &'static str, text: &str) -> Result<OffsetDateTime, Failure> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| Failure::Time {
        argument,
        message: format!("`{text}`: {e}"),
    })
}

/// Verifies one case and returns the sealed report as compact JSON (no trailing newline),
/// byte for byte what `serde_json::to_string` of [`hedui_core::verify`]'s report gives.
pub(crate) fn verify_json_at(
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

/// The input of an authorization check: a letter, the household it is checked against and
/// the date of the check (today in Beijing when absent).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorizationCheckRequest {
    household: Household,
    authorization: Authorization,
    #[serde(default)]
    on: Option<Date>,
}

/// The result of an authorization check (R1): valid when there is no defect.
#[derive(Debug, Serialize)]
pub(crate) struct AuthorizationCheck {
    /// Letter number.
    pub(crate) authorization_number: String,
    /// Household checked against.
    pub(crate) household_id: String,
    /// Date of the check.
    pub(crate) on: Date,
    /// No defect found.
    pub(crate) valid: bool,
    /// Every defect: the core's serialized defect (`code` and its fields) plus `message`.
    pub(crate) defects: Vec<serde_json::Value>,
}

/// Checks an authorization letter against a household (R1) and lists every defect.
pub(crate) fn check_authorization(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<AuthorizationCheck, Failure> {
    let request: AuthorizationCheckRequest = serde_json::from_str(request_json)
        .map_err(|e| Error::json("authorization check request", &e))?;
    let on = request.on.unwrap_or_else(|| beijing_date(now_beijing()));
    let defects = request
        .authorization
        .defects(&request.household, on, rulebook)
        .into_iter()
        .map(|d| {
            let message = d.to_string();
            let mut value = serde_json::to_value(&d).unwrap_or(serde_json::Value::Null);
            match value.as_object_mut() {
                Some(map) => {
                    map.insert("message".to_owned(), message.into());
                    value
                }
                None => serde_json::json!({ "code": d.code(), "message": message }),
            }
        })
        .collect::<Vec<_>>();
    Ok(AuthorizationCheck {
        authorization_number: request.authorization.number,
        household_id: request.household.id,
        on,
        valid: defects.is_empty(),
        defects,
    })
}

/// The same check as compact JSON.
pub(crate) fn check_authorization_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let check = check_authorization(rulebook, request_json)?;
    serde_json::to_vec(&check).map_err(|e| Failure::Panic(format!("serializing a check: {e}")))
}

/// Output of a batch run.
#[derive(Debug, Default)]
pub(crate) struct BatchOutput {
    /// One sealed report per good line, as JSON lines in input order.
    pub(crate) reports_jsonl: Vec<u8>,
    /// One `{"line":n,"code":"...","message":"..."}` per rejected line, in input order.
    pub(crate) errors_jsonl: Vec<u8>,
    /// Number of reports.
    pub(crate) reports: u64,
    /// Number of rejected lines.
    pub(crate) errors: u64,
}

/// Lines verified per call of [`verify_chunk`]: bounds the copies held at once.
const CHUNK_LINES: usize = 512;

/// Verifies every line of a JSONL text; blank lines are skipped but keep their number.
pub(crate) fn verify_batch_jsonl(
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
    let mut chunk: Vec<String> = Vec::with_capacity(CHUNK_LINES);
    let mut first_line: u64 = 1;
    let mut lines = jsonl.split('\n').peekable();
    while lines.peek().is_some() {
        chunk.clear();
        chunk.extend(lines.by_ref().take(CHUNK_LINES).map(str::to_owned));
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

fn parse_report(report_json: &str) -> Result<Report, Failure> {
    Ok(serde_json::from_str(report_json).map_err(|e| Error::json("report", &e))?)
}

/// Renders a report (as JSON) as Chinese Markdown for printing.
pub(crate) fn render_markdown_json(report_json: &str) -> Result<String, Failure> {
    Ok(render_markdown(&parse_report(report_json)?))
}

/// Whether a report's recorded digest matches its content.
pub(crate) fn report_digest_is_valid(report_json: &str) -> Result<bool, Failure> {
    Ok(parse_report(report_json)?.verify_digest())
}

// Population rules (coverage R5, recheck schedule R8, relief follow-up R4) and security
// (audit chain R10/R11) are written in hedui-core on other branches. When they land, their
// operations go here as the same kind of thin composition — e.g. `coverage_json(rulebook,
// request_json) -> Vec<u8>` and `recheck_schedule_json(rulebook, households_jsonl, as_of)` —
// and both bindings wrap them (see `capi` and `uniffi_api` for the slots).

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_arguments_parse_or_fail_with_their_code() {
        assert!(parse_time("t", "2026-11-29T10:00:00+08:00").is_ok());
        let e = parse_time("t", "yesterday").unwrap_err();
        assert_eq!(e.code(), "invalid_time");
    }

    #[test]
    fn batch_numbers_lines_across_chunks_and_skips_blanks() {
        let mut text = String::new();
        for _ in 0..(CHUNK_LINES + 3) {
            text.push_str("{}\n");
        }
        text.push('\n');
        text.push_str("not json");
        let out = verify_batch_jsonl(default_rulebook(), &text, now_beijing(), false).unwrap();
        assert_eq!(out.reports, 0);
        assert_eq!(out.errors, CHUNK_LINES as u64 + 4);
        let last = String::from_utf8(out.errors_jsonl).unwrap();
        let last = last.lines().last().unwrap();
        assert!(
            last.starts_with(&format!("{{\"line\":{}", CHUNK_LINES + 5)),
            "{last}"
        );
    }
}
