//! The shared JSON corpus: each case in `corpus/cases/` must give exactly the report (byte for
//! byte) or the error code recorded in `corpus/expected/`. The Python and C suites run the
//! same files. `HEDUI_BLESS=1 cargo test -p hedui-tests --test corpus` rewrites the expected
//! files after an intended change, and regenerates the sample-derived cases.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failure should stop the test loudly"
)]

use std::fs;
use std::path::Path;

use hedui_core::{Rulebook, sample::sample_case};
use hedui_tests::{CORPUS_ISSUED_AT, corpus_dir, verify_to_outcome};

fn bless() -> bool {
    std::env::var_os("HEDUI_BLESS").is_some()
}

fn regenerate_cases(dir: &Path) {
    let rb = Rulebook::default();
    fs::create_dir_all(dir.join("cases")).unwrap();
    // the first good and the first defective sample case of each kind
    let mut wanted: Vec<Option<&str>> = vec![
        None,
        Some("authorization_defective"),
        Some("entrustment_wrong_agency"),
        Some("precheck_failed"),
        Some("entrustment_before_authorization"),
        Some("field_outside_agreement"),
    ];
    let mut good = 0;
    for i in 0..5000 {
        let s = sample_case(2026, i, &rb);
        let Some(pos) = wanted.iter().position(|w| *w == s.expected_error) else {
            continue;
        };
        let name = match s.expected_error {
            None => {
                good += 1;
                if good < 3 {
                    format!("sample-good-{good}")
                } else {
                    wanted.remove(pos);
                    format!("sample-good-{good}")
                }
            }
            Some(code) => {
                wanted.remove(pos);
                format!("sample-{code}")
            }
        };
        let json = serde_json::to_string_pretty(&s.case).unwrap();
        fs::write(dir.join("cases").join(format!("{name}.json")), json + "\n").unwrap();
        if wanted.is_empty() {
            break;
        }
    }
}

#[test]
fn corpus_cases_give_recorded_outcomes() {
    let dir = corpus_dir();
    if bless() {
        regenerate_cases(&dir);
    }
    let rb = Rulebook::default();
    let mut names: Vec<_> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "corpus has too few cases");
    fs::create_dir_all(dir.join("expected")).unwrap();
    for path in names {
        let text = fs::read_to_string(&path).unwrap();
        let outcome = verify_to_outcome(&text, &rb, CORPUS_ISSUED_AT);
        let expected_path = dir.join("expected").join(path.file_name().unwrap());
        if bless() {
            fs::write(&expected_path, &outcome).unwrap();
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("no expected outcome for {}", path.display()));
        assert_eq!(
            outcome,
            expected,
            "{} gives a different outcome",
            path.display()
        );
    }
}
