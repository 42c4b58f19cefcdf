//! The starting inputs of each fuzz target, made from the shared JSON corpus
//! (`tests/corpus/`) and from documents the library writes itself: what
//! `examples/write_seeds.rs` writes for a first fuzzing run, before `cargo fuzz cmin`
//! minimises the grown corpus into `fuzz/corpus/<target>/`.

use std::path::{Path, PathBuf};

use hedui_core::Rulebook;
use hedui_core::population::{ReliefGrant, ReliefLedger};
use hedui_ops::{args, verify};
use time::macros::date;

use crate::ISSUED_AT;

/// One seed: its target, a file name and the bytes.
#[derive(Debug, Clone)]
pub struct Seed {
    /// The target's name.
    pub target: &'static str,
    /// File name in the target's corpus.
    pub name: String,
    /// The input.
    pub data: Vec<u8>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus")
}

/// Every `*.json` file of a corpus directory, by name.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let stem = name.strip_suffix(".json")?.to_owned();
                    Some((stem, std::fs::read_to_string(e.path()).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `text` on one line, when it is JSON.
fn compact(text: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .map(|v| v.to_string())
}

fn grant(case: &str, emergency: bool) -> ReliefGrant {
    ReliefGrant {
        case_id: case.into(),
        household_id: format!("H-{case}"),
        relieved_on: date!(2026 - 03 - 06),
        amount_fen: 80_000,
        reason: "house fire".into(),
        emergency,
    }
}

/// A ledger with two open follow-ups.
pub fn ledger() -> String {
    let mut ledger = ReliefLedger::new();
    for case in ["JJ-1", "JJ-2"] {
        let _ = ledger.record(grant(case, true), &Rulebook::default());
    }
    ledger.to_json()
}

/// Every starting seed.
pub fn initial() -> Vec<Seed> {
    let mut out = Vec::new();
    let mut push = |target: &'static str, name: String, data: Vec<u8>| {
        out.push(Seed { target, name, data });
    };
    let cases = files(&corpus().join("cases"));
    let ops = |op: &str| files(&corpus().join("ops").join(op));

    for (i, text) in [
        "11010519491231002X",
        "11010519491231002x",
        "110105491231002",
        "360426199101010071",
        "910105194912310021",
        "11010520491231002X",
        "91110000600037341L",
        "911A0000600037341L",
        "141002",
        "830000",
        "１１０１０５１９４９１２３１００２Ｘ",
    ]
    .iter()
    .enumerate()
    {
        let selector = u8::try_from(i % 8).unwrap_or(0);
        push(
            "identifiers",
            format!("id-{i}"),
            [&[selector][..], text.as_bytes()].concat(),
        );
    }

    let mut reports = Vec::new();
    for (name, text) in &cases {
        push("case", name.clone(), text.clone().into_bytes());
        if let Some(line) = compact(text) {
            if let Ok(report) = verify::verify_json(args::default_rulebook(), &line, ISSUED_AT) {
                reports.push((name.clone(), report));
            }
            push("case", format!("{name}-line"), line.into_bytes());
        }
    }

    let rulebook = Rulebook::default().to_json();
    push("rulebook", "default".into(), rulebook.clone().into_bytes());
    if let Some(line) = compact(&rulebook) {
        push("rulebook", "default-line".into(), line.into_bytes());
    }
    for (name, text) in [("empty-object", "{}"), ("not-json", "{"), ("array", "[]")] {
        push("rulebook", name.into(), text.as_bytes().to_vec());
    }
    if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&rulebook) {
        v["version"] = "".into();
        push(
            "rulebook",
            "empty-version".into(),
            v.to_string().into_bytes(),
        );
    }

    let (chain, _) = crate::audit::base_chain();
    push(
        "audit_chain",
        "load".into(),
        [b"\0", chain.as_bytes()].concat(),
    );
    push("audit_chain", "load-empty".into(), b"\0".to_vec());
    push(
        "audit_chain",
        "load-no-final-newline".into(),
        [b"\0", chain.trim_end().as_bytes()].concat(),
    );
    push("audit_chain", "edit".into(), b"\x01\x00\x10x".to_vec());
    push("audit_chain", "cut".into(), b"\x03\x01\x00".to_vec());
    push("audit_chain", "other-key".into(), vec![255]);

    let ledger = ledger();
    let grant_json = serde_json::to_string(&grant("JJ-3", true)).unwrap_or_default();
    let ordinary = serde_json::to_string(&grant("PT-1", false)).unwrap_or_default();
    push(
        "relief_ledger",
        "record".into(),
        [ledger.as_bytes(), b"\0", grant_json.as_bytes()].concat(),
    );
    push(
        "relief_ledger",
        "not-emergency".into(),
        [ledger.as_bytes(), b"\0", ordinary.as_bytes()].concat(),
    );
    push(
        "relief_ledger",
        "new-ledger".into(),
        [&b"{\"entries\":[]}\0"[..], grant_json.as_bytes()].concat(),
    );
    if let Some((_, report)) = reports.first() {
        push(
            "relief_ledger",
            "close".into(),
            [ledger.as_bytes(), b"\0", report].concat(),
        );
    }
    push("relief_ledger", "not-json".into(), b"{\0{".to_vec());

    for (selector, op) in [(0u8, "coverage_audit"), (1, "recheck_schedule")] {
        for (name, text) in ops(op) {
            push(
                "population",
                format!("{op}-{name}"),
                [&[selector][..], text.as_bytes()].concat(),
            );
        }
    }

    for (name, text) in [
        (
            "coverage-empty",
            "\u{0}{\"applications\":[],\"verifications\":[],\"jurisdiction\":[\"141002\"]}",
        ),
        (
            "recheck-empty",
            "\u{1}{\"as_of\":\"2026-03-10\",\"households\":[]}",
        ),
        (
            "recheck-death",
            "\u{1}{\"as_of\":\"2026-03-10\",\"households\":[{\"household_id\":\"H1\",\
             \"programme\":\"minimum_living_allowance\",\"household_type\":\"stable\",\
             \"last_checked\":\"2025-03-01\",\"authorization_signed_on\":\"2025-03-01\",\
             \"agency_id\":\"A\",\"events\":[{\"kind\":\"member_death\",\"on\":\"2025-12-01\"}]}]}",
        ),
    ] {
        push("population", name.into(), text.as_bytes().to_vec());
    }

    // the C ABI: one input per function (see `capi.rs` for the order)
    let good = cases
        .iter()
        .find(|(n, _)| n == "sample-good-1")
        .and_then(|(_, t)| compact(t))
        .unwrap_or_default();
    let report = reports.first().map(|(_, r)| r.clone()).unwrap_or_default();
    let households = ops("recheck_schedule")
        .into_iter()
        .filter_map(|(_, t)| {
            let v: serde_json::Value = serde_json::from_str(&t).ok()?;
            Some(v["households"].to_string())
        })
        .next()
        .unwrap_or_default();
    let special: [(&str, Vec<u8>); 9] = [
        ("verify", good.clone().into_bytes()),
        ("verify-batch", format!("{good}\n{{}}\n").into_bytes()),
        ("rulebook", rulebook.clone().into_bytes()),
        ("recheck", households.into_bytes()),
        ("follow-ups", ledger.clone().into_bytes()),
        ("record", grant_json.clone().into_bytes()),
        ("audit-chain", chain.clone().into_bytes()),
        ("render", report.clone()),
        ("verify-digest", report),
    ];
    for (selector, (name, data)) in special.into_iter().enumerate() {
        let selector = u8::try_from(selector).unwrap_or(0);
        push("capi", name.into(), [vec![selector], data].concat());
    }
    let by_name = [
        "authorization_check",
        "query_plan",
        "id_check",
        "coverage_audit",
        "lending_detect",
        "password_check",
        "archive_check",
        "account_register",
        "account_activate",
        "permission_check",
        "report_mask",
        "report_sign",
        "signing_key_trust",
        "report_verify_signature",
        "appeal_file",
        "report_history_record",
    ];
    for (i, op) in by_name.iter().enumerate() {
        let selector = u8::try_from(9 + i).unwrap_or(0);
        for (name, text) in ops(op) {
            push(
                "capi",
                format!("{op}-{name}"),
                [&[selector][..], text.as_bytes()].concat(),
            );
        }
    }
    out
}
