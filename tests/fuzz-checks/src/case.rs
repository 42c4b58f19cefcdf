//! Target `case`: a case document through operation `verify`, as the hosts call it.
//!
//! The text goes through `hedui_ops::verify::verify_json` (C, uniffi), `verify_json_report`
//! (Python), the core's `Case::from_json` + `verify` (Rust) and, as a one-line batch,
//! `verify_batch_bytes` (the main job's reader). All must agree: the same report bytes, or
//! the same error code. A report that comes out verifies (R10 integrity: SHA-256 over the
//! canonical form), re-seals to the same digest, re-serializes to the same bytes and renders;
//! an error shows no resident ID.

use hedui_core::{Case, Report, render_markdown, verify};
use hedui_ops::{args, report, verify as ops};

use crate::{ISSUED_AT, assert_clean_failure, assert_no_id_in_value};

/// What a sealed report must satisfy, given the bytes it came as.
pub fn check_report(bytes: &[u8]) -> Report {
    let text = std::str::from_utf8(bytes).expect("a report is UTF-8");
    let report = report::parse_report(text).expect("a report reads back");
    assert!(report.verify_digest(), "a report's digest verifies");
    let again = serde_json::to_vec(&report).expect("a report serializes");
    assert!(again == bytes, "a report re-serializes to the same bytes");
    let mut resealed = report.clone();
    resealed.seal().expect("a sealed report seals again");
    assert!(
        resealed.integrity == report.integrity,
        "re-sealing gives the same digest"
    );
    let mut into = Vec::new();
    resealed
        .clone()
        .seal_into(&mut into)
        .expect("seal_into of a sealed report");
    assert!(into == bytes, "seal_into writes the same bytes");
    assert_eq!(report::report_verify_digest_json(text).ok(), Some(true));
    let markdown = render_markdown(&report);
    assert!(!markdown.is_empty());
    report
}

/// The check of target `case`: the bytes are the case's text.
pub fn check(data: &[u8]) {
    let rb = args::default_rulebook();
    let batch =
        ops::verify_batch_bytes(rb, data, ISSUED_AT, false).expect("a batch fails only by a bug");
    check_batch_output(&batch);
    let Ok(text) = std::str::from_utf8(data) else {
        assert!(batch.errors >= 1, "a line that is not UTF-8 is an error");
        return;
    };
    let single = ops::verify_json(rb, text, ISSUED_AT);
    let python = ops::verify_json_report(rb, text, ISSUED_AT);
    let core = Case::from_json(text).and_then(|c| verify(&c, rb, ISSUED_AT));
    match &single {
        Ok(bytes) => {
            let report = check_report(bytes);
            let python = python.expect("the Python path verifies what the C path verifies");
            assert!(python == report, "the Python path gives the same report");
            let core = core.expect("the core verifies what the operation verifies");
            let core_bytes = serde_json::to_vec(&core).expect("a report serializes");
            assert!(core_bytes == *bytes, "the core gives the same report bytes");
        }
        Err(f) => {
            assert_clean_failure(f);
            let python = python.expect_err("the Python path refuses it too");
            assert_eq!(python.code(), f.code(), "the Python path's code");
            let core = core.expect_err("the core refuses it too");
            assert_eq!(core.code(), f.code(), "the core's code");
        }
    }
    // one line: the batch gives the same outcome, unless the line is blank (skipped)
    if !text.contains('\n') && !text.trim().is_empty() {
        match &single {
            Ok(bytes) => {
                assert_eq!(batch.reports, 1);
                let mut line = bytes.clone();
                line.push(b'\n');
                assert!(
                    batch.reports_jsonl == line,
                    "the batch's report is the same"
                );
            }
            Err(f) => {
                assert_eq!(batch.errors, 1);
                let e: serde_json::Value =
                    serde_json::from_slice(&batch.errors_jsonl).expect("a batch error is JSON");
                assert_eq!(e["code"], f.code(), "the batch's code");
                assert_eq!(e["line"], 1);
            }
        }
    }
}

/// Every line of a batch's output: reports that verify, errors with increasing line numbers
/// and no resident ID.
fn check_batch_output(batch: &ops::BatchOutput) {
    let reports = batch.reports_jsonl.split(|&b| b == b'\n');
    let mut count = 0;
    for line in reports.filter(|l| !l.is_empty()) {
        check_report(line);
        count += 1;
    }
    assert_eq!(count, batch.reports);
    let errors = std::str::from_utf8(&batch.errors_jsonl).expect("batch errors are UTF-8");
    let mut last = 0;
    let mut count = 0;
    for line in errors.lines() {
        let e: serde_json::Value = serde_json::from_str(line).expect("a batch error is JSON");
        assert_no_id_in_value("a batch error", &e);
        let n = e["line"].as_u64().expect("a batch error has its line");
        assert!(n > last, "batch errors are in input order");
        last = n;
        count += 1;
    }
    assert_eq!(count, batch.errors);
}
