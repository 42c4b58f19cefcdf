//! Criterion benches of the core hot paths, from parsing an ID to verifying a whole JSON line.
//!
//! ```text
//! cargo bench -p hedui-benches --bench core
//! cargo bench -p hedui-benches --bench core -- assemble     # one group
//! ```
//!
//! Inputs come from the seeded sample generator: good cases of households with 1, 3 and 6
//! members (the generator's range is 1–6), 16 data categories, 20–60 facts each. Per-case
//! groups are labelled `m<members>-f<facts>` and report input bytes per second where the
//! input is the case JSON.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hedui_benches::{ISSUED_AT, Input, realistic_inputs};
use hedui_core::{
    AgencyLevel, Case, CreditCode, DataCategory, RegionCode, ResidentId, Rulebook, Sha256Digest,
    assemble,
    batch::{BatchOptions, verify_chunk, verify_json_line},
    calendar::beijing_date,
    render_markdown,
    sharing::plan_queries,
};

fn label(input: &Input) -> String {
    format!("m{}-f{}", input.members, input.facts)
}

fn ids(c: &mut Criterion) {
    let mut g = c.benchmark_group("id");
    g.bench_function("resident_id_parse", |b| {
        b.iter(|| ResidentId::parse(black_box("11010519491231002X")));
    });
    g.bench_function("resident_id_masked", |b| {
        let id: Option<ResidentId> = "360426199101010071".parse().ok();
        b.iter(|| black_box(&id).as_ref().map(ResidentId::masked));
    });
    g.bench_function("credit_code_parse", |b| {
        b.iter(|| CreditCode::parse(black_box("91110000600037341L")));
    });
    g.bench_function("region_code_parse", |b| {
        b.iter(|| black_box("141002").parse::<RegionCode>());
    });
    g.finish();
}

fn authorization(c: &mut Criterion, rb: &Rulebook, inputs: &[Input]) {
    let mut g = c.benchmark_group("authorization_check");
    for input in inputs {
        let case = &input.case;
        let on = beijing_date(case.queries_sent_at);
        let Some(auth) = case.authorization.as_ref() else {
            continue;
        };
        g.bench_function(label(input), |b| {
            b.iter(|| auth.check(black_box(&case.household), on, rb).is_ok());
        });
    }
    g.finish();
}

fn planning(c: &mut Criterion, rb: &Rulebook) {
    let mut g = c.benchmark_group("plan_queries");
    for level in [AgencyLevel::County, AgencyLevel::City] {
        g.bench_function(level.as_str(), |b| {
            b.iter(|| plan_queries(&rb.agreements, level, black_box(&DataCategory::ALL)));
        });
    }
    g.finish();
}

fn per_case(c: &mut Criterion, rb: &Rulebook, inputs: &[Input]) {
    let mut g = c.benchmark_group("case_from_json");
    for input in inputs {
        g.throughput(Throughput::Bytes(input.json.len() as u64));
        g.bench_function(label(input), |b| {
            b.iter(|| Case::from_json(black_box(&input.json)));
        });
    }
    g.finish();

    let mut g = c.benchmark_group("assemble");
    for input in inputs {
        g.bench_function(label(input), |b| {
            b.iter(|| assemble(black_box(&input.case), rb, ISSUED_AT));
        });
    }
    g.finish();

    // Sealing serializes the report once, digests it and appends the integrity block.
    let mut g = c.benchmark_group("seal");
    for input in inputs {
        let Ok(report) = assemble(&input.case, rb, ISSUED_AT) else {
            continue;
        };
        g.bench_function(BenchmarkId::new("seal_into", label(input)), |b| {
            b.iter_batched_ref(
                || (report.clone(), Vec::with_capacity(32 * 1024)),
                |(r, out)| r.seal_into(out),
                BatchSize::SmallInput,
            );
        });
        g.bench_function(BenchmarkId::new("canonical_bytes", label(input)), |b| {
            b.iter(|| black_box(&report).canonical_bytes());
        });
        let Ok(bytes) = report.canonical_bytes() else {
            continue;
        };
        g.bench_function(BenchmarkId::new("sha256", label(input)), |b| {
            b.iter(|| Sha256Digest::of(black_box(&bytes)));
        });
        let mut sealed = report.clone();
        if sealed.seal().is_err() {
            continue;
        }
        g.bench_function(BenchmarkId::new("verify_digest", label(input)), |b| {
            b.iter(|| black_box(&sealed).verify_digest());
        });
    }
    g.finish();

    let mut g = c.benchmark_group("render_markdown");
    for input in inputs {
        let Ok(report) = assemble(&input.case, rb, ISSUED_AT) else {
            continue;
        };
        g.bench_function(label(input), |b| {
            b.iter(|| render_markdown(black_box(&report)));
        });
    }
    g.finish();

    for render in [false, true] {
        let name = if render {
            "verify_json_line_rendered"
        } else {
            "verify_json_line"
        };
        let opts = BatchOptions {
            rulebook: rb,
            issued_at: ISSUED_AT,
            render,
            parallel: false,
        };
        let mut g = c.benchmark_group(name);
        for input in inputs {
            g.throughput(Throughput::Bytes(input.json.len() as u64));
            g.bench_function(label(input), |b| {
                b.iter(|| verify_json_line(black_box(&input.json), &opts));
            });
        }
        g.finish();
    }
}

/// A chunk of the sample stream (good and defective cases, every size) through
/// `verify_chunk`, on one core and on all: the batch path without I/O, so the ratio of the
/// two is the scaling of verification alone (the comparison runner adds the caller's I/O).
fn chunk(c: &mut Criterion, rb: &Rulebook) {
    let lines: Vec<String> = (0..256)
        .filter_map(|i| serde_json::to_string(&hedui_core::sample::sample_case(7, i, rb).case).ok())
        .collect();
    let bytes: usize = lines.iter().map(String::len).sum();
    let mut g = c.benchmark_group("verify_chunk");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    for (name, parallel) in [
        ("256-sample-cases-one-core", false),
        ("256-sample-cases-all-cores", true),
    ] {
        let opts = BatchOptions {
            rulebook: rb,
            issued_at: ISSUED_AT,
            render: false,
            parallel,
        };
        g.bench_function(name, |b| {
            b.iter(|| verify_chunk(black_box(&lines), 1, &opts));
        });
    }
    g.finish();
}

fn benches(c: &mut Criterion) {
    let rb = Rulebook::default();
    let inputs = realistic_inputs(&rb);
    ids(c);
    authorization(c, &rb, &inputs);
    planning(c, &rb);
    per_case(c, &rb, &inputs);
    chunk(c, &rb);
}

criterion_group!(core, benches);
criterion_main!(core);
