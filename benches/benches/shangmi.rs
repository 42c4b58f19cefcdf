//! The commercial-cryptography suite against the international one on the same inputs: SM3
//! against SHA-256 over a report's canonical bytes, SM2 against Ed25519 signing and checking a
//! report digest, and SM4-GCM sealing of a report's JSON.
//!
//! ```text
//! cargo bench -p hedui-benches --bench shangmi
//! ```

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use hedui_core::security::{
    DocumentKey, ReportKeyring, ReportSigner, open_document, seal_document,
};
use hedui_core::{DigestAlgorithm, Report, Rulebook, sample::sample_case, verify};
use time::macros::datetime;

fn report() -> Option<Report> {
    let rb = Rulebook::default();
    let case = (0..)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())?
        .case;
    verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).ok()
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let Some(report) = report() else {
        eprintln!("no sample report");
        return;
    };
    let Ok(canonical) = report.canonical_bytes() else {
        eprintln!("the sample report cannot be written");
        return;
    };

    let mut g = c.benchmark_group("digest");
    g.throughput(Throughput::Bytes(canonical.len() as u64));
    for algorithm in [DigestAlgorithm::Sha256, DigestAlgorithm::Sm3] {
        g.bench_function(algorithm.as_str(), |b| {
            b.iter(|| algorithm.digest(black_box(&canonical)))
        });
    }
    g.finish();

    let (Ok(ed), Ok(sm)) = (
        ReportSigner::from_seed("ed", &[7u8; 32]),
        ReportSigner::sm2_from_secret("sm", &[7u8; 32]),
    ) else {
        eprintln!("bench keys");
        return;
    };
    let mut keyring = ReportKeyring::default();
    if keyring.add(ed.trusted_key()).is_err() || keyring.add(sm.trusted_key()).is_err() {
        return;
    }
    let mut sign = c.benchmark_group("sign");
    sign.throughput(Throughput::Elements(1));
    for (name, signer) in [("ed25519", &ed), ("sm2", &sm)] {
        let digest = signer.algorithm().digest_algorithm().digest(&canonical);
        sign.bench_function(name, |b| b.iter(|| signer.sign(black_box(&digest))));
    }
    sign.finish();
    let mut check = c.benchmark_group("verify");
    check.throughput(Throughput::Elements(1));
    for (name, signer) in [("ed25519", &ed), ("sm2", &sm)] {
        let digest = signer.algorithm().digest_algorithm().digest(&canonical);
        let signature = signer.sign(&digest);
        check.bench_function(name, |b| {
            b.iter(|| keyring.verify(black_box(&digest), black_box(&signature)))
        });
    }
    check.finish();

    let Ok(key) = DocumentKey::sm4("bench", &[3u8; 16]) else {
        return;
    };
    let mut g = c.benchmark_group("sm4_gcm");
    g.throughput(Throughput::Bytes(canonical.len() as u64));
    g.bench_function("seal", |b| {
        b.iter(|| seal_document(&key, &[1u8; 12], black_box(&canonical), b"HD"))
    });
    if let Ok(sealed) = seal_document(&key, &[1u8; 12], &canonical, b"HD") {
        g.bench_function("open", |b| {
            b.iter(|| open_document(&key, black_box(&sealed), b"HD"))
        });
    }
    g.finish();
    c.final_summary();
}
