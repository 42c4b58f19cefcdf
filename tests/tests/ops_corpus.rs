//! The shared corpus of operations: each request in `corpus/ops/<operation>/` must give
//! exactly the response (byte for byte) or the error code recorded in
//! `corpus/ops-expected/<operation>/`, through the Rust operations layer (`hedui-ops`) here,
//! and through C and uniffi in `hedui-ffi`. `HEDUI_BLESS=1 cargo test -p hedui-tests --test
//! ops_corpus` rewrites the expected files after an intended change.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failure should stop the test loudly"
)]

use std::fs;

use hedui_ops::{args, catalog, json};
use hedui_tests::{corpus_dir, ops_corpus};

#[test]
fn ops_corpus_gives_recorded_outcomes() {
    let bless = std::env::var_os("HEDUI_BLESS").is_some();
    let cases = ops_corpus();
    assert!(cases.len() >= 6, "the ops corpus has too few cases");
    let mut operations: Vec<&str> = cases.iter().map(|c| c.operation.as_str()).collect();
    operations.dedup();
    assert!(operations.len() >= 4, "too few operations in the corpus");
    for case in &cases {
        assert!(
            catalog::find(&case.operation).is_some(),
            "{} is not in the catalog",
            case.operation
        );
        let op = json::operation(&case.operation).unwrap();
        let rulebook = case
            .rulebook
            .as_deref()
            .map(|text| hedui_core::Rulebook::from_json(text).unwrap());
        let rulebook = rulebook.as_ref().unwrap_or(args::default_rulebook());
        let outcome = match op(rulebook, &case.request) {
            Ok(bytes) => String::from_utf8(bytes).unwrap() + "\n",
            Err(e) => format!("{{\"error\":\"{}\"}}\n", e.code()),
        };
        if bless {
            fs::create_dir_all(case.expected_path.parent().unwrap()).unwrap();
            fs::write(&case.expected_path, &outcome).unwrap();
        }
        let expected = fs::read_to_string(&case.expected_path)
            .unwrap_or_else(|_| panic!("no expected outcome for {}", case.name));
        assert_eq!(outcome, expected, "{} gives a different outcome", case.name);
    }
    assert!(corpus_dir().join("ops-expected").is_dir());
}

/// A case under a rulebook of its own (`<case>@<rulebook>`) gives another outcome than the
/// same request under the built-in rulebook, for each operation that has one: the corpus
/// shows that every host hands the rulebook to the operation.
#[test]
fn cases_under_their_own_rulebook_differ_from_the_default() {
    let cases = ops_corpus();
    let own: Vec<_> = cases.iter().filter(|c| c.rulebook.is_some()).collect();
    let operations: std::collections::BTreeSet<&str> =
        own.iter().map(|c| c.operation.as_str()).collect();
    for operation in ["account_register", "archive_check"] {
        assert!(
            operations.contains(operation),
            "no case of {operation} under its own rulebook"
        );
    }
    for case in own {
        let (plain, _) = case.name.split_once('@').unwrap();
        let default = cases
            .iter()
            .find(|c| c.name == plain)
            .unwrap_or_else(|| panic!("{} has no twin under the built-in rulebook", case.name));
        assert_eq!(
            default.request, case.request,
            "{}: not the same request",
            case.name
        );
        let read = |c: &hedui_tests::OpsCase| fs::read_to_string(&c.expected_path).unwrap();
        assert_ne!(
            read(default),
            read(case),
            "{}: the rulebook changes nothing",
            case.name
        );
    }
}
