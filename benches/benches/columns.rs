//! The tables of `hedui_ops::columns` against the JSON lines of the same reports: one chunk
//! of 256 sealed sample reports (the main job's chunk) turned into the five Arrow record
//! batches, and those batches written as Parquet, against `serde_json` writing the reports.
//!
//! ```text
//! cargo bench -p hedui-benches --bench columns
//! ```

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "bench code: a failure should stop the bench loudly"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput};
use hedui_benches::{ISSUED_AT, SEED};
use hedui_core::{
    Rulebook,
    batch::{BatchOptions, CaseReport, verify_chunk_cases},
    sample::sample_case,
};
use hedui_ops::columns::{Format, TableWriters, TablesBuilder};

/// Cases per chunk, as in the main job.
const CHUNK: u64 = 256;

fn reports() -> Vec<CaseReport> {
    let rulebook = Rulebook::default();
    let lines: Vec<String> = (0..CHUNK)
        .map(|i| serde_json::to_string(&sample_case(SEED, i, &rulebook).case).unwrap())
        .collect();
    let opts = BatchOptions {
        rulebook: &rulebook,
        issued_at: ISSUED_AT,
        render: false,
        parallel: false,
    };
    verify_chunk_cases(&lines, 1, &opts)
        .into_iter()
        .filter_map(|(_, r)| r.ok())
        .collect()
}

fn main() {
    let reports = reports();
    let mut c = Criterion::default().configure_from_args();
    let mut g = c.benchmark_group("columns");
    g.throughput(Throughput::Elements(reports.len() as u64));
    g.bench_function("json_lines", |b| {
        let mut out = Vec::with_capacity(8 << 20);
        b.iter(|| {
            out.clear();
            for r in &reports {
                serde_json::to_writer(&mut out, &r.report).unwrap();
                out.push(b'\n');
            }
            black_box(out.len())
        })
    });
    g.bench_function("tables_build", |b| {
        let mut builder = TablesBuilder::new();
        b.iter(|| {
            for r in &reports {
                builder.push_case_report(r);
            }
            black_box(builder.finish().unwrap())
        })
    });
    let dir = std::env::temp_dir().join(format!("hedui-bench-columns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut builder = TablesBuilder::new();
    for r in &reports {
        builder.push_case_report(r);
    }
    let tables = builder.finish().unwrap();
    g.bench_function("parquet_write", |b| {
        b.iter_batched(
            || TableWriters::create(&dir, Format::Parquet).unwrap(),
            |mut w| {
                w.write(&tables).unwrap();
                w.finish().unwrap();
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
    c.final_summary();
}
