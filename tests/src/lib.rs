//! Shared helpers for the cross-crate tests in `tests/`.
#![forbid(unsafe_code)]

use hedui_core::{Case, Rulebook, verify};
use time::OffsetDateTime;
use time::macros::datetime;

/// Path of the JSON corpus shared by the Rust, Python and C tests.
pub fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Issue time of every corpus report (`2026-11-29T10:00:00+08:00`).
pub const CORPUS_ISSUED_AT: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

/// The outcome file content for a case: the report's compact JSON, or
/// `{"error":"<code>"}`, each followed by a newline. Bindings must produce the same.
pub fn verify_to_outcome(
    case_json: &str,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> String {
    let result = Case::from_json(case_json).and_then(|c| verify(&c, rulebook, issued_at));
    match result {
        Ok(report) => serde_json::to_string(&report).unwrap_or_default() + "\n",
        Err(e) => format!("{{\"error\":\"{}\"}}\n", e.code()),
    }
}
