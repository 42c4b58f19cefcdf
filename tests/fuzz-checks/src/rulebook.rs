//! Target `rulebook`: a rulebook document, read as every host reads it
//! (`Rulebook::from_json`), then used.
//!
//! A rulebook that is accepted writes itself back as JSON that reads to the same rulebook
//! and the same text, and verifying the corpus's good case under it either gives a report
//! that verifies or a typed error that shows no resident ID. A refused rulebook's error shows
//! no resident ID either.

use hedui_core::Rulebook;
use hedui_ops::verify as ops;

use crate::{ISSUED_AT, assert_clean_error, assert_clean_failure, case::check_report};

/// The corpus's first good case, verified under every accepted rulebook.
pub const GOOD_CASE: &str = include_str!("../../corpus/cases/sample-good-1.json");

/// The check of target `rulebook`: the bytes are the rulebook's text.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Rulebook::from_json(text) {
        Ok(rb) => {
            let json = rb.to_json();
            let again = Rulebook::from_json(&json).expect("a rulebook's own JSON reads back");
            assert!(again == rb, "the rulebook reads back the same");
            assert_eq!(again.to_json(), json, "and writes the same text");
            match ops::verify_json(&rb, GOOD_CASE, ISSUED_AT) {
                Ok(bytes) => {
                    check_report(&bytes);
                }
                Err(f) => assert_clean_failure(&f),
            }
        }
        Err(e) => assert_clean_error(&e),
    }
}
