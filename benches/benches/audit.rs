//! Audit chain throughput: appends against raw HMAC-SHA256 over the same canonical bytes, in
//! the same run, and whole-chain verification; and the same pairing for HMAC-SM3 chains (the
//! commercial-cryptography suite) against raw HMAC-SM3.
//!
//! ```text
//! cargo bench -p hedui-benches --bench audit
//! ```
//!
//! The target: appends at no less than 80% of raw HMAC throughput (`ring::hmac::sign`; for
//! HMAC-SM3, RustCrypto's `Hmac<Sm3>` keyed once and cloned per message, as the chain does). Besides
//! criterion's groups, the run ends with a paired measurement that alternates the two in
//! short rounds and prints the median ratio, which holds up on a busy machine where the two
//! criterion groups may run under different load.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput};
use hedui_core::{
    MacAlgorithm, Sha256Digest,
    security::{AuditChain, AuditEvent, AuditKey, AuditKeyring, Decision, EventKind},
};
use hmac::Mac as _;
use ring::hmac as ring_hmac;
use time::macros::datetime;

/// Entries per iteration.
const N: usize = 1_000;
/// A 32-byte secret, as a host would draw from a CSPRNG.
const SECRET: &[u8; 32] = b"bench secret for the audit chain";

const KINDS: [EventKind; 6] = [
    EventKind::AuthorizationCheck,
    EventKind::Entrustment,
    EventKind::Precheck,
    EventKind::VerificationStart,
    EventKind::PermissionCheck,
    EventKind::ReportIssue,
];

/// Realistic events: an operator id, a reason naming the rule and letter (some Chinese), the
/// hash of the request.
fn events() -> Vec<AuditEvent> {
    (0..N)
        .map(|i| AuditEvent {
            at: datetime!(2026-03-02 09:00 +08:00) + time::Duration::seconds(i as i64 * 7),
            event: KINDS
                .get(i % KINDS.len())
                .copied()
                .unwrap_or(EventKind::Precheck),
            decision: if i % 5 == 0 {
                Decision::Deny
            } else {
                Decision::Permit
            },
            actor: format!("op-{:04}", i % 97),
            reason: format!(
                "R2 pre-check (N §二(二)) of entrustment `WT-2026-{i:06}`: 授权有效、业务合规"
            ),
            context: Sha256Digest::of(format!("{{\"entrustment\":\"WT-2026-{i:06}\"}}").as_bytes()),
        })
        .collect()
}

/// The bench chain's id.
const CHAIN: &str = "A-141002/2026-03";

/// An empty chain with room for `n` entries (the id is valid, so this never falls back).
fn empty_chain(n: usize) -> AuditChain {
    AuditChain::with_capacity(CHAIN, n)
        .or_else(|_| AuditChain::new("bench"))
        .unwrap_or_else(|_| std::process::abort())
}

/// A chain of the events, and each entry's canonical bytes (what append MACs).
fn chain_and_bytes(key: &AuditKey) -> (AuditChain, Vec<Vec<u8>>) {
    let mut chain = empty_chain(N);
    for e in events() {
        if chain.append(key, e).is_err() {
            break;
        }
    }
    let bytes = chain
        .entries()
        .iter()
        .map(|e| {
            let mut b = Vec::new();
            e.canonical_bytes(&mut b);
            b
        })
        .collect();
    (chain, bytes)
}

fn append_all(key: &AuditKey, events: Vec<AuditEvent>) -> AuditChain {
    let mut chain = empty_chain(0);
    for e in events {
        black_box(chain.append(key, e).is_ok());
    }
    chain
}

fn sign_all(key: &ring_hmac::Key, bytes: &[Vec<u8>]) {
    for b in bytes {
        black_box(ring_hmac::sign(key, b));
    }
}

/// Raw HMAC-SM3 over each message: the keyed state cloned, fed, finalised.
fn sign_all_sm3(key: &hmac::Hmac<sm3::Sm3>, bytes: &[Vec<u8>]) {
    for b in bytes {
        let mut m = key.clone();
        m.update(b);
        black_box(m.finalize().into_bytes());
    }
}

fn bench(c: &mut Criterion, key: &AuditKey, raw: &ring_hmac::Key) {
    let (chain, bytes) = chain_and_bytes(key);
    let keyring = AuditKeyring::from(key.clone());
    let head = chain.head();
    assert!(
        chain.len() == N && chain.verify_against(&keyring, &head).is_ok(),
        "bench chain"
    );
    let mean = bytes.iter().map(Vec::len).sum::<usize>() / N;
    let proto = events();

    let mut g = c.benchmark_group(format!("audit_append_{mean}B"));
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("hmac_sha256_raw", |b| b.iter(|| sign_all(raw, &bytes)));
    g.bench_function("append", |b| {
        b.iter_batched(
            || proto.clone(),
            |events| append_all(key, events),
            BatchSize::LargeInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("audit_verify");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("verify", |b| {
        b.iter(|| black_box(chain.verify_against(&keyring, &head).is_ok()))
    });
    g.finish();

    let text = chain.to_jsonl().unwrap_or_default();
    let mut g = c.benchmark_group("audit_jsonl");
    g.throughput(Throughput::Elements(N as u64));
    g.sample_size(20);
    g.bench_function("to_jsonl", |b| {
        b.iter(|| black_box(chain.to_jsonl().is_ok()))
    });
    g.bench_function("from_jsonl", |b| {
        b.iter(|| black_box(AuditChain::from_jsonl(CHAIN, &text).is_ok()))
    });
    g.finish();
}

/// Alternates rounds of 1,000 appends and 1,000 raw HMACs over the same bytes (swapping which
/// goes first every round) for 3 s and prints the median of the per-round ratios and the ratio
/// of the best rounds (raw time / append time: 100% would mean appends cost nothing beyond the
/// HMAC). Pairing short rounds keeps both sides under the same load.
fn paired_ratio(key: &AuditKey, label: &str, raw: impl Fn(&[Vec<u8>])) {
    let (_, bytes) = chain_and_bytes(key);
    let proto = events();
    let mut ratios = Vec::new();
    let (mut best_append, mut best_raw) = (Duration::MAX, Duration::MAX);
    let (mut t_append, mut t_raw) = (Duration::ZERO, Duration::ZERO);
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut round = 0u64;
    while Instant::now() < deadline {
        let time_append = || {
            let input = proto.clone();
            let start = Instant::now();
            let chain = append_all(key, input);
            let took = start.elapsed();
            drop(black_box(chain));
            took
        };
        let time_raw = || {
            let start = Instant::now();
            raw(&bytes);
            start.elapsed()
        };
        let (append, hmac) = if round % 2 == 0 {
            let a = time_append();
            (a, time_raw())
        } else {
            let h = time_raw();
            (time_append(), h)
        };
        round += 1;
        best_append = best_append.min(append);
        best_raw = best_raw.min(hmac);
        t_append += append;
        t_raw += hmac;
        ratios.push(hmac.as_secs_f64() / append.as_secs_f64().max(1e-12));
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios.get(ratios.len() / 2).copied().unwrap_or(0.0);
    let per_entry = |d: Duration| d.as_nanos() as f64 / N as f64;
    println!(
        "paired ({label}): {} rounds of {N} entries; best round: append {:.0} ns/entry, raw hmac {:.0} ns/entry",
        ratios.len(),
        per_entry(best_append),
        per_entry(best_raw),
    );
    println!(
        "paired: append throughput vs raw {label}: {:.1}% (median of rounds), {:.1}% (best rounds), {:.1}% (totals)",
        median * 100.0,
        best_raw.as_secs_f64() / best_append.as_secs_f64().max(1e-12) * 100.0,
        t_raw.as_secs_f64() / t_append.as_secs_f64().max(1e-12) * 100.0,
    );
}

fn main() {
    let Ok(key) = AuditKey::new("bench-2026", SECRET) else {
        return;
    };
    let raw = ring_hmac::Key::new(ring_hmac::HMAC_SHA256, SECRET);
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c, &key, &raw);
    c.final_summary();
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    paired_ratio(&key, "hmac-sha256", |bytes| sign_all(&raw, bytes));
    let (Ok(sm3_key), Ok(raw_sm3)) = (
        AuditKey::with_algorithm("bench-2026-sm3", SECRET, MacAlgorithm::HmacSm3),
        hmac::Hmac::<sm3::Sm3>::new_from_slice(SECRET),
    ) else {
        return;
    };
    paired_ratio(&sm3_key, "hmac-sm3", |bytes| sign_all_sm3(&raw_sm3, bytes));
}
