//! The invariants hedui's fuzz targets assert, one function per target.
//!
//! Each function takes the fuzzer's bytes, runs them through the entry point a host uses (the
//! core's readers, the one operations layer `hedui-ops`, the C ABI of `hedui-ffi`) and
//! asserts what must hold for every input, not only that nothing panicked:
//!
//! - no error text or detail holds a run of 15 or more digits (a resident ID, whole);
//! - an identifier accepted agrees with an independent reading of GB 11643, GB 32100 and
//!   GB/T 2260, and round-trips;
//! - a report that comes out verifies, re-seals to the same digest and re-serializes to the
//!   same bytes, and the batch and the core give the same outcome as the single call;
//! - documents read back (rulebook, relief ledger, audit chain) write the same text again;
//! - an audit chain edited anywhere, or cut short, is refused;
//! - coverage ratios and recheck dates hold together;
//! - the C ABI gives the bytes or the error code of the same operation in `hedui-ops`, writes
//!   outputs only on success, and its last error names that code and result.
//!
//! The fuzz targets in `fuzz/fuzz_targets/` call these functions, and the seed test
//! (`tests/seeds.rs`) runs every input of `fuzz/corpus/<target>/` through them in a plain
//! `cargo test`, so a seed or a fixed crash keeps being checked without a fuzzer.
#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a broken invariant is reported by panicking: that is what the fuzzer and the test harness catch (and serde_json's `value[\"key\"]` reads null for a missing member)"
)]

pub mod audit;
pub mod capi;
pub mod case;
pub mod identifiers;
pub mod population;
pub mod relief;
pub mod rulebook;
pub mod seeds;

use hedui_ops::Failure;
use time::OffsetDateTime;
use time::macros::datetime;

/// A fuzz target: its name (the file in `fuzz/fuzz_targets/` and the directory in
/// `fuzz/corpus/`) and its check.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The name.
    pub name: &'static str,
    /// The check: panics when an invariant is broken.
    pub check: fn(&[u8]),
}

/// Every fuzz target.
pub const TARGETS: &[Target] = &[
    Target {
        name: "identifiers",
        check: identifiers::check,
    },
    Target {
        name: "case",
        check: case::check,
    },
    Target {
        name: "rulebook",
        check: rulebook::check,
    },
    Target {
        name: "audit_chain",
        check: audit::check,
    },
    Target {
        name: "relief_ledger",
        check: relief::check,
    },
    Target {
        name: "population",
        check: population::check,
    },
    Target {
        name: "capi",
        check: capi::check,
    },
];

/// The issue time of every report the checks make.
pub const ISSUED_AT: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

/// The longest run of ASCII digits in `text`.
pub fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Asserts that `text` holds no run of 15 or more digits: no resident ID, first-generation
/// (15 digits) or current (18 characters), is shown whole.
pub fn assert_no_id(what: &str, text: &str) {
    assert!(
        longest_digit_run(text) < 15,
        "{what} holds a run of 15 or more digits: {text}"
    );
}

/// Asserts [`assert_no_id`] of every string and number inside a JSON value (an error's
/// detail, a batch error record), read as the host reads them: JSON's own `\u0000` escapes
/// are not digits of the text.
pub fn assert_no_id_in_value(what: &str, value: &serde_json::Value) {
    match value {
        serde_json::Value::String(s) => assert_no_id(what, s),
        serde_json::Value::Number(n) => assert_no_id(what, &n.to_string()),
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| assert_no_id_in_value(what, v))
        }
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
            assert_no_id(what, k);
            assert_no_id_in_value(what, v);
        }),
        serde_json::Value::Bool(_) | serde_json::Value::Null => {}
    }
}

/// Asserts [`assert_no_id`] of a failure's message and detail.
pub fn assert_clean_failure(failure: &Failure) {
    assert_no_id("error message", &failure.to_string());
    assert_no_id_in_value("error detail", &failure.detail());
}

/// Asserts [`assert_no_id`] of a core error's message and detail.
pub fn assert_clean_error(error: &hedui_core::Error) {
    assert_no_id("error message", &error.to_string());
    let detail = serde_json::to_value(error.detail()).unwrap_or_default();
    assert_no_id_in_value("error detail", &detail);
}

/// The bytes up to the first NUL, and what follows it (empty when there is none).
pub fn split_at_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (
            data.get(..i).unwrap_or_default(),
            data.get(i + 1..).unwrap_or_default(),
        ),
        None => (data, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_runs_are_measured() {
        assert_eq!(longest_digit_run("id 141030197803100016."), 18);
        assert_eq!(longest_digit_run("141030**********16"), 6);
        assert_eq!(longest_digit_run(""), 0);
    }

    #[test]
    #[should_panic(expected = "run of 15 or more digits")]
    fn a_whole_id_is_caught() {
        assert_no_id("text", "resident id `110105491231002` refused");
    }

    #[test]
    fn nul_splits_once() {
        assert_eq!(split_at_nul(b"ab\0cd\0e"), (&b"ab"[..], &b"cd\0e"[..]));
        assert_eq!(split_at_nul(b"ab"), (&b"ab"[..], &b""[..]));
    }
}
