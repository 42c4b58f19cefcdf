//! The cost of the C ABI: `hedui_verify_json_at` called through its `extern "C"` function
//! (C string in, C string out, freed with `hedui_string_free`) against the direct Rust calls
//! on the same corpus case, in the same run.
//!
//! - `rust_verify_to_string`: `Case::from_json` + `verify` + `serde_json::to_string`, what a
//!   Rust caller writes naively (the report is serialized twice: once for the digest).
//! - `rust_verify_json_line`: `verify_json_line`, the Rust path that serializes once; the C
//!   call uses it, so C vs this is the cost of the boundary itself.
//! - `c_abi_verify_json_at`: the C call, as a C program makes it.
//!
//! After criterion, an interleaved measurement prints the ratios (issue 7 target: C ≤ 1.2×
//! the Rust call). `cargo bench -p hedui-benches --bench ffi`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "bench harness: a failure should stop the run loudly"
)]

use std::ffi::{CStr, CString};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use hedui_core::{
    Case, Rulebook,
    batch::{BatchOptions, verify_json_line},
    verify,
};
use hedui_ffi::capi::{hedui_result, hedui_string_free, hedui_verify_json_at};
use time::OffsetDateTime;
use time::macros::datetime;

const ISSUED_AT: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);
const CASE: &str = "sample-good-1.json";

fn case_text() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus/cases")
        .join(CASE);
    std::fs::read_to_string(path).expect("corpus case")
}

fn rust_to_string(text: &str, rb: &Rulebook) -> usize {
    let case = Case::from_json(text).unwrap();
    let report = verify(&case, rb, ISSUED_AT).unwrap();
    serde_json::to_string(&report).unwrap().len()
}

fn rust_json_line(text: &str, rb: &Rulebook) -> usize {
    let opts = BatchOptions {
        rulebook: rb,
        issued_at: ISSUED_AT,
        render: false,
        parallel: false,
    };
    verify_json_line(text, &opts).unwrap().json.len()
}

fn c_call(case: &CStr, at: &CStr) -> usize {
    let mut out = std::ptr::null_mut();
    // SAFETY: NUL-terminated inputs, a writable output, NULL rulebook = built-in.
    let r = unsafe { hedui_verify_json_at(std::ptr::null(), case.as_ptr(), at.as_ptr(), &mut out) };
    assert_eq!(r, hedui_result::Ok);
    // SAFETY: on success `out` is a NUL-terminated string owned by us until freed.
    let n = unsafe { CStr::from_ptr(out) }.to_bytes().len();
    // SAFETY: a string hedui returned, freed once.
    unsafe { hedui_string_free(out) };
    n
}

fn bench(c: &mut Criterion, text: &str, rb: &Rulebook, case: &CStr, at: &CStr) {
    let mut g = c.benchmark_group("verify_one_case");
    g.bench_function("rust_verify_to_string", |b| {
        b.iter(|| rust_to_string(black_box(text), rb))
    });
    g.bench_function("rust_verify_json_line", |b| {
        b.iter(|| rust_json_line(black_box(text), rb))
    });
    g.bench_function("c_abi_verify_json_at", |b| {
        b.iter(|| c_call(black_box(case), at))
    });
    g.finish();
}

/// Interleaved rounds: each round times the three routines back to back (rotating their
/// order), so that load from other work on the machine falls on all three alike; the ratios
/// are the medians of the per-round ratios, the times the medians of the per-round times.
fn ratios(text: &str, rb: &Rulebook, case: &CStr, at: &CStr, rounds: usize, calls: u32) {
    let mut times: [Vec<f64>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut c_vs: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        let mut t = [0f64; 3];
        for k in 0..3 {
            let which = (k + round) % 3;
            let start = Instant::now();
            for _ in 0..calls {
                black_box(match which {
                    0 => rust_to_string(black_box(text), rb),
                    1 => rust_json_line(black_box(text), rb),
                    _ => c_call(black_box(case), at),
                });
            }
            t[which] = start.elapsed().as_secs_f64() / f64::from(calls);
        }
        for (v, x) in times.iter_mut().zip(t) {
            v.push(x);
        }
        c_vs[0].push(t[2] / t[0]);
        c_vs[1].push(t[2] / t[1]);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let us = |s: f64| Duration::from_secs_f64(s);
    let [a, b, c] = &mut times;
    let (to_string, json_line, c_abi) = (median(a), median(b), median(c));
    let [r0, r1] = &mut c_vs;
    println!("\nffi ratio ({CASE}, {rounds} interleaved rounds of {calls} calls each, medians):");
    println!("  rust verify + to_string : {:>10.2?}", us(to_string));
    println!("  rust verify_json_line   : {:>10.2?}", us(json_line));
    println!("  C hedui_verify_json_at  : {:>10.2?}", us(c_abi));
    println!(
        "  C / rust verify+to_string = {:.3}   C / rust verify_json_line = {:.3}   (target <= 1.2)",
        median(r0),
        median(r1)
    );
}

fn main() {
    let text = case_text();
    let rb = Rulebook::default();
    let case = CString::new(text.clone()).unwrap();
    let at = CString::new("2026-11-29T10:00:00+08:00").unwrap();
    // the three routes give the same report
    assert_eq!(rust_to_string(&text, &rb), c_call(&case, &at));
    assert_eq!(rust_json_line(&text, &rb), c_call(&case, &at));

    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &text, &rb, &case, &at);
    c.final_summary();
    // `cargo test --benches` / `--test` only checks that the bench runs
    let quick = std::env::args().any(|a| a == "--test");
    ratios(
        &text,
        &rb,
        &case,
        &at,
        if quick { 1 } else { 301 },
        if quick { 1 } else { 20 },
    );
}
