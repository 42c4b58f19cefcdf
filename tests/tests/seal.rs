//! R10/R11: a report's seal covers all of it. The canonical form is written by a fallible
//! function: a report that cannot be written whole is refused, never sealed over a part, and
//! a change to any single value of a sealed report changes its digest.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::security::ReportSigner;
use hedui_core::{Report, Rulebook, sample::sample_case, verify};
use time::macros::datetime;

fn sample_report() -> Report {
    let rb = Rulebook::default();
    let case = (0..)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap()
}

/// An issue time whose UTC offset has seconds cannot be written in RFC 3339: the report is
/// refused instead of being sealed over the bytes written before it (the finding: 651 bytes).
#[test]
fn a_report_that_cannot_be_written_whole_is_not_sealed() {
    let rb = Rulebook::default();
    let case = (0..)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    let e = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00:30)).unwrap_err();
    assert_eq!(e.code(), "report_unsealable");
    assert!(
        e.to_string().starts_with("R10 records (N §二(三)): "),
        "{e}"
    );

    let mut report = sample_report();
    report.header.issued_at = datetime!(2026-11-29 10:00 +08:00:30);
    assert_eq!(report.seal().unwrap_err().code(), "report_unsealable");
    assert!(report.integrity.is_none());
    assert!(!report.verify_digest());
    let mut out = b"prefix".to_vec();
    assert!(report.seal_into(&mut out).is_err());
    assert_eq!(out, b"prefix", "nothing of a refused report is written");
    let signer = ReportSigner::from_seed("k1", &[7; 32]).unwrap();
    assert!(signer.sign_report(&mut report).is_err());
    assert!(report.integrity.is_none(), "nothing is signed");
}

/// Every leaf of the JSON form, changed on its own, changes the digest.
#[test]
fn every_single_change_to_a_sealed_report_changes_its_digest() {
    let report = sample_report();
    let digest = report.compute_digest().unwrap();
    let mut json = serde_json::to_value(&report).unwrap();
    json.as_object_mut().unwrap().remove("integrity");
    let mut leaves = Vec::new();
    collect(&json, String::new(), &mut leaves);
    assert!(leaves.len() > 100, "{} leaves", leaves.len());
    let mut checked = 0;
    for pointer in &leaves {
        let original = json.pointer(pointer).unwrap().clone();
        // the first change of this value that the report's types still accept
        let changed = variants(&original).into_iter().find_map(|value| {
            let mut changed = json.clone();
            *changed.pointer_mut(pointer).unwrap() = value;
            serde_json::from_value::<Report>(changed).ok()
        });
        let Some(changed) = changed else {
            continue;
        };
        let changed_digest = changed.compute_digest().unwrap();
        assert_ne!(
            changed_digest, digest,
            "changing {pointer} left the digest as it was"
        );
        checked += 1;
    }
    assert!(
        checked * 2 > leaves.len(),
        "only {checked} of {} leaves checked",
        leaves.len()
    );
}

/// Other values a leaf could hold: text with a character added or changed (dates, times and
/// codes keep their shape), a number off by one, a flipped flag, a value where none was.
fn variants(v: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::Value;
    match v {
        Value::String(s) => {
            let mut out = vec![Value::String(format!("{s}0"))];
            for (i, c) in s.char_indices().rev() {
                if let Some(d) = c.to_digit(10) {
                    for other in [(d + 1) % 10, (d + 9) % 10] {
                        let mut t = s.clone();
                        t.replace_range(i..=i, &other.to_string());
                        out.push(Value::String(t));
                    }
                }
            }
            out
        }
        Value::Number(n) => vec![serde_json::json!(n.as_i64().map_or(1, |v| v ^ 1))],
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Null => vec![serde_json::json!(1), serde_json::json!("1")],
        _ => Vec::new(),
    }
}

fn collect(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                collect(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, format!("{at}/{i}"), out);
            }
        }
        _ => out.push(at),
    }
}
