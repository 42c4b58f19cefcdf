//! Guard for the performance work: the batch path must give byte-identical output before and
//! after an optimisation. The corpus test covers a dozen hand-picked cases; this covers the
//! first 2,000 cases of the sample stream (good and defective, all household sizes): every
//! report's JSON and Markdown, its offline methods and sharing gaps, and every error's code
//! and message, hashed together and compared with the recorded digest.
//!
//! After an intended change to the report, the sample generator or the messages, re-record:
//! `HEDUI_BLESS=1 cargo test -p hedui-benches --test identical_output`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failure should stop the test loudly"
)]

use std::path::Path;

use hedui_benches::{ISSUED_AT, SEED};
use hedui_core::{
    Rulebook,
    batch::{BatchOptions, verify_chunk},
    sample::sample_case,
};

const CASES: u64 = 2_000;

fn lines(rb: &Rulebook) -> Vec<String> {
    (0..CASES)
        .map(|i| serde_json::to_string(&sample_case(SEED, i, rb).case).unwrap())
        .collect()
}

fn digest_of_outputs(lines: &[String], rb: &Rulebook, parallel: bool) -> String {
    let opts = BatchOptions {
        rulebook: rb,
        issued_at: ISSUED_AT,
        render: true,
        parallel,
    };
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    for (n, result) in verify_chunk(lines, 1, &opts) {
        ctx.update(format!("\n#{n}\n").as_bytes());
        match result {
            Ok(r) => {
                ctx.update(r.report_number.as_bytes());
                ctx.update(b"\n");
                ctx.update(&r.json);
                ctx.update(b"\n");
                ctx.update(r.markdown.unwrap_or_default().as_bytes());
                ctx.update(format!("\n{:?}\n{:?}", r.offline_methods, r.sharing_gaps).as_bytes());
            }
            Err(e) => ctx.update(serde_json::to_string(&e).unwrap().as_bytes()),
        }
    }
    ctx.finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn sample_outputs_are_byte_identical_to_the_recorded_ones() {
    let rb = Rulebook::default();
    let lines = lines(&rb);
    let serial = digest_of_outputs(&lines, &rb, false);
    let recorded = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/identical_output.sha256");
    if std::env::var_os("HEDUI_BLESS").is_some() {
        std::fs::write(&recorded, format!("{serial}\n")).unwrap();
    }
    let expected = std::fs::read_to_string(&recorded).unwrap();
    assert_eq!(serial, expected.trim(), "batch output changed");
}

#[test]
fn parallel_output_equals_serial_output_in_order() {
    let rb = Rulebook::default();
    let lines = lines(&rb);
    assert_eq!(
        digest_of_outputs(&lines, &rb, true),
        digest_of_outputs(&lines, &rb, false)
    );
}
