//! Every `hedui` subcommand run as a program: good input, bad input, exit codes and the
//! error codes on stderr (README "The command line").

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

mod common;

use common::{AS_OF, hedui};

fn corpus(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus")
        .join(path)
}

/// `hedui verify --sample n` into `dir`, checked to succeed.
fn sample(dir: &Path, n: u32) -> PathBuf {
    let out = dir.join("out");
    hedui()
        .args([
            "verify",
            "--sample",
            &n.to_string(),
            "--as-of",
            AS_OF,
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains(format!("cases      {n}")))
        .stdout(contains("sample check:"));
    out
}

fn first_report(out: &Path) -> String {
    fs::read_to_string(out.join("reports.jsonl"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned()
}

// --- usage, help, completions -----------------------------------------------------------

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    hedui().arg("frobnicate").assert().code(2);
    hedui().assert().code(2);
    hedui().args(["verify", "--threads", "0"]).assert().code(2);
    hedui()
        .args(["verify", "--sample", "3", "--input", "x.jsonl"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
    hedui()
        .arg("--help")
        .assert()
        .success()
        .stdout(contains("Exit codes"))
        .stdout(contains("recheck-plan"));
    hedui()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_are_generated_for_a_shell() {
    hedui()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(contains("_hedui()").and(contains("recheck-plan")));
    hedui()
        .args(["completions", "zsh"])
        .assert()
        .success()
        .stdout(contains("#compdef hedui"));
    hedui().args(["completions", "cmd"]).assert().code(2);
}

// --- verify ---------------------------------------------------------------------------

#[test]
fn verify_writes_the_same_reports_as_the_operations_layer() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 40);
    let cases = fs::read(out.join("cases.jsonl")).unwrap();
    let at = hedui_ops::args::parse_time("at", AS_OF).unwrap();
    let expected = hedui_ops::verify::verify_batch_bytes(
        hedui_ops::args::default_rulebook(),
        &cases,
        at,
        false,
    )
    .unwrap();
    assert_eq!(
        fs::read(out.join("reports.jsonl")).unwrap(),
        expected.reports_jsonl
    );
    assert_eq!(
        fs::read(out.join("errors.jsonl")).unwrap(),
        expected.errors_jsonl
    );
    let markdown = fs::read_dir(out.join("reports")).unwrap().count();
    assert_eq!(markdown as u64, expected.reports);
    // the cases read back, on one thread, give the same bytes
    let again = dir.path().join("again");
    hedui()
        .args(["verify", "--threads", "1", "--no-render", "--as-of", AS_OF])
        .arg("--input")
        .arg(out.join("cases.jsonl"))
        .arg("--out")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        fs::read(again.join("reports.jsonl")).unwrap(),
        expected.reports_jsonl
    );
    assert!(!again.join("reports").exists());
}

#[test]
fn verify_reports_bad_lines_by_number_and_verifies_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 5);
    let good: Vec<_> = fs::read_to_string(out.join("cases.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let mut input = Vec::new();
    input.extend_from_slice(good[0].as_bytes());
    input.extend_from_slice(b"\n{\"case_id\": \"broken\"\n\xff\xfe\n\n[]\n");
    input.extend_from_slice(good[1].as_bytes());
    input.push(b'\n');
    let path = dir.path().join("hostile.jsonl");
    fs::write(&path, input).unwrap();
    let bad = dir.path().join("bad");
    let assert = hedui()
        .args(["--json", "verify", "--as-of", AS_OF, "--no-render"])
        .arg("--input")
        .arg(&path)
        .arg("--out")
        .arg(&bad)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(summary["cases"], 5);
    let errors: Vec<serde_json::Value> = fs::read_to_string(bad.join("errors.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["code"].as_str().unwrap()))
        .filter(|(line, _)| (2..=5).contains(line))
        .collect();
    assert_eq!(
        got,
        [
            (2, "input_json"),
            (3, "input_utf8"),
            (5, "input_array_for_object")
        ]
    );
    assert_eq!(
        summary["reports"].as_u64().unwrap() + errors.len() as u64,
        5
    );
}

#[test]
fn verify_writes_tables_with_format_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t");
    hedui()
        .args([
            "verify", "--sample", "12", "--format", "parquet", "--as-of", AS_OF,
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    for table in ["reports", "findings", "differences", "gaps", "errors"] {
        assert!(out.join(format!("{table}.parquet")).is_file(), "{table}");
    }
    assert!(!out.join("reports.jsonl").exists());
}

#[test]
fn verify_bad_arguments_have_their_codes_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    hedui()
        .args(["verify", "--as-of", "yesterday", "--out"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(contains("error[invalid_time]"));
    hedui()
        .args(["verify", "--input"])
        .arg(dir.path().join("missing.jsonl"))
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(contains("error[io_error]"));
    let rulebook = dir.path().join("rb.json");
    fs::write(&rulebook, "{\"version\": 1").unwrap();
    let assert = hedui()
        .args(["--json", "verify", "--rulebook"])
        .arg(&rulebook)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(1);
    let line: serde_json::Value = serde_json::from_slice(&assert.get_output().stderr).unwrap();
    assert_eq!(line["error"]["code"], "input_json");
}

// --- render and check -----------------------------------------------------------------

#[test]
fn render_prints_or_writes_markdown_and_reports_bad_records() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 10);
    let rendered = dir.path().join("md");
    let assert = hedui()
        .arg("render")
        .arg(out.join("reports.jsonl"))
        .arg("--out")
        .arg(&rendered)
        .assert()
        .success();
    let written = String::from_utf8_lossy(&assert.get_output().stdout)
        .lines()
        .count();
    assert_eq!(written, fs::read_dir(out.join("reports")).unwrap().count());
    // the same Markdown as the main job wrote
    for entry in fs::read_dir(&rendered).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            fs::read(entry.path()).unwrap(),
            fs::read(out.join("reports").join(entry.file_name())).unwrap()
        );
    }
    let one = dir.path().join("one.json");
    fs::write(&one, first_report(&out)).unwrap();
    hedui()
        .arg("render")
        .arg(&one)
        .assert()
        .success()
        .stdout(contains("# 居民家庭经济状况核对报告"));
    // a bad line among good ones: reported with its position, the others still rendered
    let mixed = dir.path().join("mixed.jsonl");
    fs::write(
        &mixed,
        format!("{}\n{{\"report\": 1}}\n", first_report(&out)),
    )
    .unwrap();
    hedui()
        .arg("render")
        .arg(&mixed)
        .assert()
        .code(1)
        .stdout(contains("# 居民家庭经济状况核对报告"))
        .stderr(contains("mixed.jsonl:2: error[input_json]"));
    hedui()
        .arg("render")
        .arg(dir.path().join("nope.json"))
        .assert()
        .code(3);
}

/// R10: a printed copy is checked from the text of its QR code against the archived reports;
/// only a paper that matches its archived report passes.
#[test]
fn check_printed_copies_against_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 3);
    let archive = out.join("reports.jsonl");
    let report: hedui_core::Report = serde_json::from_str(&first_report(&out)).unwrap();
    let payload = hedui_core::paper::PrintedPayload::of(&report).unwrap();
    let printed = dir.path().join("printed.txt");
    let check = |text: &str| {
        fs::write(&printed, text).unwrap();
        let mut cmd = hedui();
        cmd.args(["check", "--printed"]).arg(&printed).arg(&archive);
        cmd.assert()
    };
    check(&payload.text().unwrap())
        .success()
        .stdout(contains(format!(
            "{}  printed_matches",
            report.report_number
        )));

    let mut value: serde_json::Value = serde_json::from_str(&payload.text().unwrap()).unwrap();
    value["digest"] = serde_json::Value::String("0".repeat(64));
    check(&value.to_string())
        .code(1)
        .stdout(contains("printed_digest_differs"));

    let mut unknown = payload.clone();
    unknown.report = format!("{}-9", report.report_number);
    check(&unknown.text().unwrap())
        .code(1)
        .stdout(contains("printed_unknown_report"));

    check("not a payload")
        .code(1)
        .stderr(contains("error[printed_payload_invalid]"));

    fs::write(&printed, payload.text().unwrap()).unwrap();
    let answer = hedui()
        .args(["--json", "check", "--printed"])
        .arg(&printed)
        .arg(&archive)
        .assert()
        .success();
    let answer: serde_json::Value = serde_json::from_slice(&answer.get_output().stdout).unwrap();
    assert_eq!(answer["code"], "printed_matches");
    assert_eq!(answer["report_number"], report.report_number.as_str());
}

#[test]
fn render_html_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 3);
    let one = dir.path().join("one.json");
    fs::write(&one, first_report(&out)).unwrap();
    let report: serde_json::Value = serde_json::from_str(&first_report(&out)).unwrap();
    let number = report["report_number"].as_str().unwrap();
    hedui()
        .args(["render", "--html"])
        .arg(&one)
        .assert()
        .success()
        .stdout(contains("<!DOCTYPE html>"))
        .stdout(contains(report["statement"].as_str().unwrap()))
        .stdout(contains("counter(pages)"));
    let html = dir.path().join("html");
    hedui()
        .args(["render", "--html", "--out"])
        .arg(&html)
        .arg(out.join("reports.jsonl"))
        .assert()
        .success();
    assert_eq!(
        fs::read_dir(&html).unwrap().count(),
        fs::read_dir(out.join("reports")).unwrap().count()
    );
    assert!(html.join(format!("{number}.html")).is_file());
    // --pdf needs a folder, and a browser: without one it says how to install it, before any
    // report is read, and writes nothing
    hedui().args(["render", "--pdf"]).arg(&one).assert().code(2);
    let pdf = dir.path().join("pdf");
    hedui()
        .env("HEDUI_CHROMIUM", dir.path().join("no-such-browser"))
        .args(["render", "--pdf", "--out"])
        .arg(&pdf)
        .arg(&one)
        .assert()
        .code(3)
        .stderr(contains("error[pdf_printer_missing]"))
        .stderr(contains("apt-get install chromium fonts-noto-cjk"));
    assert!(!pdf.exists());
    hedui()
        .env("HEDUI_CHROMIUM", dir.path().join("no-such-browser"))
        .args([
            "verify", "--sample", "2", "--pdf", "--as-of", AS_OF, "--out",
        ])
        .arg(dir.path().join("v"))
        .assert()
        .code(3)
        .stderr(contains("error[pdf_printer_missing]"));
    hedui()
        .args([
            "verify", "--sample", "2", "--pdf", "--format", "parquet", "--out",
        ])
        .arg(dir.path().join("v"))
        .assert()
        .code(2);
}

/// A report signed with the corpus' test key, and the keyring that trusts it.
fn signed_report_and_keyring(dir: &Path) -> (PathBuf, PathBuf) {
    let request = fs::read_to_string(corpus("ops/report_sign/signed.json")).unwrap();
    let signed = hedui_ops::security::report_sign_json(&request).unwrap();
    let report = dir.join("signed.json");
    fs::write(&report, signed).unwrap();
    let v: serde_json::Value = serde_json::from_str(&request).unwrap();
    let trust = serde_json::json!({"key_id": v["key_id"], "seed_hex": v["seed_hex"]});
    let key = hedui_ops::security::signing_key_trust_json(&trust.to_string()).unwrap();
    let keyring = dir.join("keyring.json");
    fs::write(&keyring, format!("[{}]", String::from_utf8(key).unwrap())).unwrap();
    (report, keyring)
}

#[test]
fn check_finds_changed_reports_and_bad_signatures() {
    let dir = tempfile::tempdir().unwrap();
    let out = sample(dir.path(), 10);
    hedui()
        .arg("check")
        .arg(out.join("reports.jsonl"))
        .assert()
        .success()
        .stdout(contains("digest ok"))
        .stdout(contains("MISMATCH").not());
    // one changed field: the digest no longer matches
    let changed = dir.path().join("changed.json");
    let mut report: serde_json::Value = serde_json::from_str(&first_report(&out)).unwrap();
    report["header"]["entrusting_unit"] = "某县民政局".into();
    fs::write(&changed, report.to_string()).unwrap();
    hedui()
        .arg("check")
        .arg(&changed)
        .assert()
        .code(1)
        .stdout(contains("digest MISMATCH"));
    // signatures against a keyring
    let (signed, keyring) = signed_report_and_keyring(dir.path());
    let assert = hedui()
        .args(["--json", "check"])
        .arg(&signed)
        .arg("--keyring")
        .arg(&keyring)
        .assert()
        .success();
    let results: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(results[0]["digest_ok"], true);
    assert_eq!(results[0]["signature"]["key_id"], "linfen-2026");
    let unsigned = dir.path().join("unsigned.json");
    fs::write(&unsigned, first_report(&out)).unwrap();
    hedui()
        .arg("check")
        .arg(&unsigned)
        .arg("--keyring")
        .arg(&keyring)
        .assert()
        .code(1)
        .stdout(contains("signature FAILED error[signature_invalid]"));
    let bad_keyring = dir.path().join("bad-keyring.json");
    fs::write(&bad_keyring, "[{\"key_id\": \"k\"}]").unwrap();
    hedui()
        .arg("check")
        .arg(&signed)
        .arg("--keyring")
        .arg(&bad_keyring)
        .assert()
        .code(1)
        .stderr(contains("error[input_json]"));
}

// --- recheck-plan, coverage -----------------------------------------------------------

#[test]
fn recheck_plan_schedules_households_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let request: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(corpus("ops/recheck_schedule/small-roll.json")).unwrap(),
    )
    .unwrap();
    let households = dir.path().join("households.json");
    fs::write(&households, request["households"].to_string()).unwrap();
    let assert = hedui()
        .args([
            "--json",
            "recheck-plan",
            "--as-of",
            "2026-03-10",
            "--households",
        ])
        .arg(&households)
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let expected: serde_json::Value = serde_json::from_slice(
        &hedui_ops::population::recheck_schedule_request_json(
            hedui_ops::args::default_rulebook(),
            &request.to_string(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(plan, expected);
    hedui()
        .args(["recheck-plan", "--as-of", "2026-03-10", "--households"])
        .arg(&households)
        .assert()
        .success()
        .stdout(contains("recheck plan as of 2026-03-10 (6 households"));
    hedui()
        .args(["recheck-plan", "--as-of", "2026-13-01", "--households"])
        .arg(&households)
        .assert()
        .code(1)
        .stderr(contains("error[invalid_date]"));
    let not_array = dir.path().join("object.json");
    fs::write(&not_array, "{}").unwrap();
    hedui()
        .args(["recheck-plan", "--households"])
        .arg(&not_array)
        .assert()
        .code(1)
        .stderr(contains("error[input_"));
}

/// A rulebook that refuses first-generation resident IDs, written to `dir`.
fn refusing_legacy_rulebook(dir: &std::path::Path) -> PathBuf {
    let mut rb = hedui_core::Rulebook::default();
    rb.identifiers.legacy_resident_ids = hedui_core::rulebook::LegacyResidentIds::Refuse;
    let path = dir.join("refuse-legacy.json");
    fs::write(&path, rb.to_json()).unwrap();
    path
}

/// docs/rules.md#strict-documents: `hedui coverage` reads its request under the rulebook's
/// identifier rules (it read it with none before): a first-generation number is counted as
/// its eighteen-character form by default and refused, with its path, where the rulebook
/// refuses them.
#[test]
fn coverage_applies_the_rulebooks_identifier_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut request: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(corpus("ops/coverage_audit/covered.json")).unwrap(),
    )
    .unwrap();
    let first = request["applications"][0]["members"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(first.len(), 18);
    let legacy = format!("{}{}", &first[..6], &first[8..17]);
    request["applications"][0]["members"][0] = legacy.clone().into();
    let path = dir.path().join("legacy.json");
    fs::write(&path, request.to_string()).unwrap();
    let assert = hedui()
        .args(["--json", "coverage", "--request"])
        .arg(&path)
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(corpus("ops-expected/coverage_audit/covered.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report, expected, "the upgrade is the same person");
    hedui()
        .args(["coverage", "--rulebook"])
        .arg(refusing_legacy_rulebook(dir.path()))
        .arg("--request")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(contains("error[id_resident_legacy]"))
        .stderr(contains(&legacy).not());
}

/// `hedui id` without `--on` applies the rulebook's legacy rule (it needs no day).
#[test]
fn id_applies_the_legacy_rule_without_a_day() {
    let dir = tempfile::tempdir().unwrap();
    hedui()
        .args(["id", "110105491231002"])
        .assert()
        .success()
        .stdout(contains("11010519491231002X"));
    hedui()
        .args(["id", "--rulebook"])
        .arg(refusing_legacy_rulebook(dir.path()))
        .arg("110105491231002")
        .assert()
        .code(1)
        .stdout(contains("error[id_resident_legacy]"));
}

#[test]
fn coverage_lists_gaps_and_fails_when_not_complete() {
    hedui()
        .args(["coverage", "--request"])
        .arg(corpus("ops/coverage_audit/covered.json"))
        .assert()
        .code(1)
        .stdout(contains("households (全量)"))
        .stdout(contains("coverage INCOMPLETE"));
    let assert = hedui()
        .args(["--json", "coverage", "--request"])
        .arg(corpus("ops/coverage_audit/covered.json"))
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(corpus("ops-expected/coverage_audit/covered.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report, expected);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{\"applications\": []}").unwrap();
    hedui()
        .args(["coverage", "--request"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(contains("error[input_json]"));
}

// --- relief ---------------------------------------------------------------------------

#[test]
fn relief_records_lists_and_refuses_what_the_rules_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.json");
    let grant = |emergency: bool| {
        let path = dir.path().join(format!("grant-{emergency}.json"));
        fs::write(
            &path,
            serde_json::json!({"case_id": "C-1", "household_id": "H-1",
                "relieved_on": "2026-11-20", "amount_fen": 50000,
                "reason": "house fire 火灾", "emergency": emergency})
            .to_string(),
        )
        .unwrap();
        path
    };
    let assert = hedui()
        .args(["--json", "relief", "--ledger"])
        .arg(&ledger)
        .arg("record")
        .arg("--grant")
        .arg(grant(true))
        .assert()
        .success();
    let recorded: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let reference = recorded["reference"].as_str().unwrap().to_owned();
    assert!(ledger.is_file());
    hedui()
        .args(["relief", "record", "--ledger"])
        .arg(&ledger)
        .arg("--grant")
        .arg(grant(false))
        .assert()
        .code(1)
        .stderr(contains("error[relief_not_emergency]"));
    hedui()
        .args(["relief", "list", "--as-of", "2026-11-23", "--ledger"])
        .arg(&ledger)
        .assert()
        .success()
        .stdout(contains("open 1"))
        .stdout(contains(reference.as_str()));
    // an unsigned report closes nothing under the default rulebook
    let out = sample(dir.path(), 3);
    let report = dir.path().join("report.json");
    fs::write(&report, first_report(&out)).unwrap();
    hedui()
        .args([
            "relief",
            "close",
            "--closed-on",
            "2026-11-25",
            "--reference",
            &reference,
        ])
        .arg("--ledger")
        .arg(&ledger)
        .arg("--report")
        .arg(&report)
        .assert()
        .code(1)
        .stderr(contains("error[evidence_"));
    hedui()
        .args(["relief", "list"])
        .assert()
        .code(2)
        .stderr(contains("error[usage]"));
    let broken = dir.path().join("broken.json");
    fs::write(&broken, "{").unwrap();
    hedui()
        .args(["relief", "list", "--ledger"])
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(contains("error[input_json]"));
}

// --- audit ----------------------------------------------------------------------------

/// R11 under the commercial-cryptography suite: `--mac hmac-sm3` writes HMAC-SM3 entries that
/// name their algorithm, they verify under the same option and never under HMAC-SHA256 keys.
#[test]
fn audit_with_hmac_sm3_keys_writes_and_verifies_sm3_entries() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k1.key");
    fs::write(&key, [7u8; 32]).unwrap();
    let k1 = format!("k1={}", key.display());
    let chain = dir.path().join("chain.jsonl");
    let head = dir.path().join("chain.head.json");
    let event = dir.path().join("event.json");
    fs::write(
        &event,
        serde_json::json!({"at": "2026-03-02T09:00:00+08:00",
            "event": "authorization_check", "decision": "permit", "actor": "op-1",
            "reason": "R1", "context": "ab".repeat(32)})
        .to_string(),
    )
    .unwrap();
    let run = |action: &str, mac: Option<&str>| {
        let mut cmd = hedui();
        cmd.args(["audit", action]);
        if action == "append" {
            cmd.args(["--chain-id", "center-sm3", "--event"])
                .arg(&event);
        }
        cmd.arg("--chain").arg(&chain).arg("--head").arg(&head);
        cmd.args(["--key", &k1]);
        if let Some(mac) = mac {
            cmd.args(["--mac", mac]);
        }
        cmd.assert()
    };
    run("append", Some("hmac-sm3")).success();
    assert!(
        fs::read_to_string(&chain)
            .unwrap()
            .contains(r#""mac_algorithm":"hmac-sm3""#)
    );
    run("verify", Some("hmac-sm3"))
        .success()
        .stdout(contains("audit chain center-sm3 ok: 1 entries"));
    run("verify", None)
        .code(1)
        .stderr(contains("error[audit_mac_algorithm_mismatch]"));
    run("verify", Some("hmac-md5"))
        .failure()
        .stderr(contains("hmac-sm3"));
}

#[test]
fn audit_appends_verifies_and_shows_the_first_break() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k1.key");
    fs::write(&key, [7u8; 32]).unwrap();
    let k1 = format!("k1={}", key.display());
    let chain = dir.path().join("chain.jsonl");
    let head = dir.path().join("chain.head.json");
    let event = dir.path().join("event.json");
    let append = |minute: u32, actor: &str, keys: &[&str]| {
        fs::write(
            &event,
            serde_json::json!({"at": format!("2026-03-02T09:{minute:02}:00+08:00"),
                "event": "authorization_check", "decision": "permit", "actor": actor,
                "reason": "R1", "context": "ab".repeat(32)})
            .to_string(),
        )
        .unwrap();
        let mut cmd = hedui();
        cmd.args(["audit", "append", "--chain-id", "center-1", "--event"])
            .arg(&event)
            .arg("--chain")
            .arg(&chain)
            .arg("--head")
            .arg(&head);
        for k in keys {
            cmd.args(["--key", k]);
        }
        cmd.assert()
    };
    for (i, actor) in ["op-1", "op-2"].into_iter().enumerate() {
        append(i as u32, actor, &[&k1])
            .success()
            .stdout(contains(format!("\"entries\":{}", i + 1)));
    }
    // a copy of the chain and its head after two entries, put back later
    let old_chain = fs::read(&chain).unwrap();
    let old_head = fs::read(&head).unwrap();
    append(2, "op-3", &[&k1]).success();
    let verify = |chain: &Path, head: &Path, keys: &[&str]| {
        let mut cmd = hedui();
        cmd.args(["audit", "verify", "--chain"])
            .arg(chain)
            .arg("--head")
            .arg(head);
        for k in keys {
            cmd.args(["--key", k]);
        }
        cmd.assert()
    };
    verify(&chain, &head, &[&k1])
        .success()
        .stdout(contains("audit chain center-1 ok: 3 entries"));
    // an entry dated before the last one is refused, and nothing is written
    append(1, "op-x", &[&k1])
        .code(1)
        .stderr(contains("error[audit_time_backwards]"));
    verify(&chain, &head, &[&k1]).success();
    // change the second entry's actor: verification names entry 1
    let text = fs::read_to_string(&chain)
        .unwrap()
        .replacen("op-2", "op-9", 1);
    let forged = dir.path().join("forged.jsonl");
    fs::write(&forged, text).unwrap();
    verify(&forged, &head, &[&k1])
        .code(1)
        .stderr(contains("error[audit_chain_broken]").and(contains("entry 1")));
    hedui()
        .args(["audit", "show", "--chain"])
        .arg(&forged)
        .arg("--head")
        .arg(&head)
        .args(["--key", &k1])
        .assert()
        .code(1)
        .stdout(contains("op-9 R1  <-- first break"));
    // the older copy, put back, no longer reaches the stored head
    let rolled = dir.path().join("rolled.jsonl");
    fs::write(&rolled, &old_chain).unwrap();
    verify(&rolled, &head, &[&k1])
        .code(1)
        .stderr(contains("error[audit_chain_truncated]"));
    // the copy itself is intact: it reaches the head it was taken with
    let old_head_path = dir.path().join("old.head.json");
    fs::write(&old_head_path, &old_head).unwrap();
    verify(&rolled, &old_head_path, &[&k1]).success();
    // rotation: a second key MACs new entries; verifying needs both
    let key2 = dir.path().join("k2.key");
    fs::write(&key2, [9u8; 32]).unwrap();
    let k2 = format!("k2={}", key2.display());
    append(3, "op-4", &[&k1, &k2]).success();
    verify(&chain, &head, &[&k1, &k2])
        .success()
        .stdout(contains("4 entries"));
    verify(&chain, &head, &[&k2])
        .code(1)
        .stderr(contains("error[audit_key_unknown]"));
    let short = dir.path().join("short.key");
    fs::write(&short, [1u8; 8]).unwrap();
    verify(&chain, &head, &[&format!("k1={}", short.display())])
        .code(1)
        .stderr(contains("error[audit_key_length]"));
    // no head, no key, or an existing chain without its head: usage errors
    hedui()
        .args(["audit", "verify", "--chain"])
        .arg(&chain)
        .args(["--key", &k1])
        .assert()
        .code(2);
    verify(&chain, &head, &[]).code(2);
    let orphan_head = dir.path().join("missing.head.json");
    fs::write(&event, "{}").unwrap();
    hedui()
        .args(["audit", "append", "--event"])
        .arg(&event)
        .arg("--chain")
        .arg(&chain)
        .arg("--head")
        .arg(&orphan_head)
        .args(["--key", &k1])
        .assert()
        .code(2)
        .stderr(contains("its head"));
}

/// `hedui audit dispose` (网络安全法 Art 21): entries past their six months go, the record is
/// written, and the chain then verifies and grows only with the record; without it, or with
/// a changed one, it is refused.
#[test]
fn audit_dispose_keeps_the_chain_verifiable_with_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("k1.key");
    fs::write(&key, [7u8; 32]).unwrap();
    let k1 = format!("k1={}", key.display());
    let chain = dir.path().join("chain.jsonl");
    let head = dir.path().join("chain.head.json");
    let record = dir.path().join("chain.disposal.json");
    let event = dir.path().join("event.json");
    let audit = |args: &[&str], with_record: bool| {
        let mut cmd = hedui();
        cmd.arg("audit")
            .args(args)
            .arg("--chain")
            .arg(&chain)
            .arg("--head")
            .arg(&head)
            .args(["--key", &k1]);
        if with_record {
            cmd.arg("--disposal").arg(&record);
        }
        cmd.assert()
    };
    for (i, month) in ["01", "02", "03", "04"].into_iter().enumerate() {
        fs::write(
            &event,
            serde_json::json!({"at": format!("2026-{month}-10T09:00:00+08:00"),
                "event": "data_query", "decision": "permit", "actor": format!("op-{i}"),
                "reason": "R2", "context": "ab".repeat(32)})
            .to_string(),
        )
        .unwrap();
        let event = event.to_str().unwrap();
        audit(
            &["append", "--chain-id", "center-1", "--event", event],
            false,
        )
        .success();
    }
    // on 10 July nothing is past six months yet
    audit(&["dispose", "--on", "2026-07-10"], true)
        .success()
        .stdout(contains("nothing to dispose of"));
    assert!(!record.exists());
    audit(&["dispose", "--on", "2026-07-11", "--through", "1"], true)
        .code(1)
        .stderr(contains("error[log_retention_not_elapsed]"));
    // on 11 September the entries of January to March may go
    audit(&["dispose", "--on", "2026-09-11"], true)
        .success()
        .stdout(contains("entries 0..=2"));
    assert_eq!(fs::read_to_string(&chain).unwrap().lines().count(), 1);
    audit(&["verify"], true)
        .success()
        .stdout(contains("1 entries from entry 3"));
    // the cut chain without its record is refused
    audit(&["verify"], false)
        .code(1)
        .stderr(contains("error[audit_chain_broken]"));
    // it grows from entry 4
    fs::write(
        &event,
        serde_json::json!({"at": "2026-09-11T10:00:00+08:00", "event": "data_query",
            "decision": "permit", "actor": "op-9", "reason": "R2", "context": "ab".repeat(32)})
        .to_string(),
    )
    .unwrap();
    audit(&["append", "--event", event.to_str().unwrap()], true)
        .success()
        .stdout(contains("\"entries\":5"));
    audit(&["verify"], true).success();
    // a changed record is refused
    let text = fs::read_to_string(&record).unwrap();
    fs::write(&record, text.replace("\"last_seq\":2", "\"last_seq\":3")).unwrap();
    audit(&["verify"], true)
        .code(1)
        .stderr(contains("error[audit_chain_broken]").and(contains("disposal")));
    // dispose without a record file named: usage error
    audit(&["dispose"], false).code(2);
}

// --- id -------------------------------------------------------------------------------

#[test]
fn id_checks_arguments_and_file_columns() {
    hedui()
        .args(["id", "11010519491231002x", "110105491231002"])
        .assert()
        .success()
        .stdout(contains("argument 1  ok  11010519491231002X"))
        .stdout(contains(
            "argument 2  ok  11010519491231002X  (upgraded from 15 digits",
        ));
    hedui()
        .args(["id", "11010519491231002X", "110105194912310021"])
        .assert()
        .code(1)
        .stdout(contains("argument 2  error[id_resident_checksum]"));
    hedui()
        .args(["id", "--kind", "credit-code", "91110000600037341L"])
        .assert()
        .success();
    hedui()
        .args(["--json", "id", "--kind", "region-code", "910000"])
        .assert()
        .code(1)
        .stdout(contains("\"code\": \"id_region\""));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("members.csv");
    fs::write(
        &csv,
        "name,id\n\"Wang, A\",11010519491231002X\nLi,110105194912310021\n",
    )
    .unwrap();
    hedui()
        .args(["id", "--column", "id", "--file"])
        .arg(&csv)
        .assert()
        .code(1)
        .stdout(contains("members.csv:2  ok"))
        .stdout(contains("members.csv:3  error[id_resident_checksum]"));
    hedui()
        .args(["id", "--column", "sfz", "--file"])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(contains("no column `sfz`"));
    let jsonl = dir.path().join("members.jsonl");
    fs::write(
        &jsonl,
        "{\"id\": \"11010519491231002X\"}\n{\"name\": \"x\"}\n",
    )
    .unwrap();
    hedui()
        .args(["id", "--column", "id", "--file"])
        .arg(&jsonl)
        .assert()
        .code(1)
        .stdout(contains("members.jsonl:1  ok"))
        .stdout(contains("members.jsonl:2  error[input_json]"));
    hedui().arg("id").assert().code(2);
}

// --- rulebook -------------------------------------------------------------------------

#[test]
fn rulebook_shows_checks_and_diffs() {
    let dir = tempfile::tempdir().unwrap();
    let shown = hedui().args(["rulebook", "show"]).assert().success();
    let defaults = dir.path().join("defaults.json");
    fs::write(&defaults, &shown.get_output().stdout).unwrap();
    hedui()
        .args(["rulebook", "check"])
        .arg(&defaults)
        .assert()
        .success()
        .stdout(contains("is valid"));
    hedui()
        .args(["rulebook", "diff"])
        .arg(&defaults)
        .assert()
        .success()
        .stdout(contains("no differences"));
    let mut changed: serde_json::Value =
        serde_json::from_slice(&shown.get_output().stdout).unwrap();
    changed["recheck"]["destitute_months"] = 6.into();
    let changed_path = dir.path().join("changed.json");
    fs::write(&changed_path, changed.to_string()).unwrap();
    hedui()
        .args(["rulebook", "diff"])
        .arg(&defaults)
        .arg(&changed_path)
        .assert()
        .code(1)
        .stdout(contains("recheck.destitute_months: 12 -> 6"));
    changed["recheck"]["destitute_months"] = 0.into();
    fs::write(&changed_path, changed.to_string()).unwrap();
    hedui()
        .args(["rulebook", "check"])
        .arg(&changed_path)
        .assert()
        .code(1)
        .stderr(contains("error[input_rulebook"));
    hedui()
        .args(["rulebook", "check"])
        .arg(dir.path().join("missing.json"))
        .assert()
        .code(3);
}

#[test]
fn relief_close_takes_the_signed_follow_up_report() {
    use hedui_core::{Purpose, Rulebook, sample::sample_case, security::ReportSigner};
    let dir = tempfile::tempdir().unwrap();
    let rulebook = Rulebook::default();
    let case = (0..)
        .map(|k| sample_case(7, k, &rulebook))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    let ledger = dir.path().join("ledger.json");
    let grant = dir.path().join("grant.json");
    fs::write(
        &grant,
        serde_json::json!({"case_id": "JJ-001", "household_id": case.household.id,
            "relieved_on": "2026-11-20", "amount_fen": 80000, "reason": "flood damage 洪涝",
            "emergency": true})
        .to_string(),
    )
    .unwrap();
    let assert = hedui()
        .args(["--json", "relief", "record", "--grant"])
        .arg(&grant)
        .arg("--ledger")
        .arg(&ledger)
        .assert()
        .success();
    let recorded: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let reference = recorded["reference"].as_str().unwrap().to_owned();
    // the follow-up verification of this very relief, signed by the agency's key
    let mut follow_up = case.clone();
    let entrustment = follow_up.entrustment.as_mut().unwrap();
    entrustment.purpose = Purpose::EmergencyFollowUp;
    entrustment.relief_reference = Some(reference.clone());
    let issued_at = hedui_ops::args::parse_time("at", "2026-11-24T10:00:00+08:00").unwrap();
    let mut report = hedui_core::verify(&follow_up, &rulebook, issued_at).unwrap();
    let signer = ReportSigner::from_seed("agency-2026", &[7u8; 32]).unwrap();
    signer.sign_report(&mut report).unwrap();
    let report_file = dir.path().join("follow-up.json");
    fs::write(&report_file, serde_json::to_string(&report).unwrap()).unwrap();
    let keyring = dir.path().join("keyring.json");
    fs::write(
        &keyring,
        serde_json::to_string(&[signer.trusted_key()]).unwrap(),
    )
    .unwrap();
    let close = |keyring: Option<&Path>| {
        let mut cmd = hedui();
        cmd.args([
            "relief",
            "close",
            "--closed-on",
            "2026-11-24",
            "--reference",
            &reference,
        ])
        .arg("--ledger")
        .arg(&ledger)
        .arg("--report")
        .arg(&report_file);
        if let Some(k) = keyring {
            cmd.arg("--keyring").arg(k);
        }
        cmd
    };
    // without the keyring the signature is of no known key: nothing closes
    close(None)
        .assert()
        .code(1)
        .stderr(contains("error[evidence_unknown_key]"));
    close(Some(&keyring))
        .assert()
        .success()
        .stdout(contains(format!("closed {reference}")));
    hedui()
        .args(["relief", "list", "--as-of", "2026-11-25", "--ledger"])
        .arg(&ledger)
        .assert()
        .success()
        .stdout(contains("closed 1"))
        .stdout(contains("open 0"));
    // closed once only
    close(Some(&keyring))
        .assert()
        .code(1)
        .stderr(contains("error[relief_followup_"));
}

/// The tables of `n` sample cases as an office writes them: one CSV file per sheet (UTF-8 with
/// a byte-order mark, as Excel's "CSV UTF-8"), Chinese headers, enumerated cells as Chinese
/// labels; and the same cases as JSON lines.
fn office_tables(dir: &Path, n: u64) -> (PathBuf, PathBuf) {
    use hedui_ops::tables::{Labels, cases_to_tables_with, table};
    let (cases, jsonl) = common::sample_cases(dir, n);
    let folder = dir.join("tables");
    fs::create_dir_all(&folder).unwrap();
    for t in cases_to_tables_with(&cases, Labels::Chinese).unwrap() {
        let def = table(&t.name).unwrap();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(def.columns.iter().map(|c| c.header))
            .unwrap();
        for row in &t.rows {
            w.write_record(row.iter().map(|c| c.as_deref().unwrap_or("")))
                .unwrap();
        }
        let mut bytes = "\u{feff}".as_bytes().to_vec();
        bytes.extend(w.into_inner().unwrap());
        fs::write(folder.join(format!("{}.csv", def.sheet)), bytes).unwrap();
    }
    (folder, jsonl)
}

#[test]
fn verify_takes_office_tables_as_csv_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (tables, jsonl) = office_tables(tmp.path(), 12);
    let from_tables = tmp.path().join("from-tables");
    hedui()
        .args(["verify", "--no-render", "--as-of", AS_OF, "--tables"])
        .arg(&tables)
        .arg("--out")
        .arg(&from_tables)
        .assert()
        .success()
        .stdout(contains("cases      12"))
        .stdout(contains("table rows rejected 0"));
    // the same cases, the same reports and errors, byte for byte
    common::assert_same_as_json_lines(&from_tables, &jsonl, tmp.path());
    assert!(fs::read(from_tables.join("reports.jsonl")).unwrap().len() > 1000);

    // a bad row: reported by file, row and column, its case left out, the others verified
    let members = tables.join("家庭成员.csv");
    let text = fs::read_to_string(&members).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let fields: Vec<&str> = lines[2].split(',').collect();
    let relation = fields[3].to_owned();
    lines[2] = lines[2].replacen(&format!(",{relation},"), ",表哥,", 1);
    fs::write(&members, lines.join("\n") + "\n").unwrap();
    let out = tmp.path().join("bad");
    let assert = hedui()
        .args(["verify", "--no-render", "--as-of", AS_OF, "--tables"])
        .arg(&tables)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(contains("table rows rejected 1"))
        .stdout(contains("cases      11"))
        .stderr(contains("家庭成员.csv:3: error[table_cell]: 与申请人关系:"))
        .stderr(contains("`表哥` is not one of"));
    drop(assert);
    let errors = fs::read_to_string(out.join("table-errors.jsonl")).unwrap();
    let e: serde_json::Value = serde_json::from_str(errors.lines().next().unwrap()).unwrap();
    assert_eq!(errors.lines().count(), 1);
    assert_eq!(
        (&e["code"], &e["sheet"], &e["row"], &e["header"]),
        (
            &serde_json::json!("table_cell"),
            &serde_json::json!("家庭成员"),
            &serde_json::json!(3),
            &serde_json::json!("与申请人关系")
        )
    );
    // with --json, the summary counts the bad rows
    hedui()
        .args([
            "--json",
            "verify",
            "--no-render",
            "--as-of",
            AS_OF,
            "--tables",
        ])
        .arg(&tables)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stdout(contains("\"table_errors\": 1"))
        .stderr(contains("\"position\""));

    // a folder without tables, and --tables with --input, are usage errors
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    hedui()
        .args(["verify", "--tables"])
        .arg(&empty)
        .arg("--out")
        .arg(tmp.path().join("x"))
        .assert()
        .code(2)
        .stderr(contains("no .csv files"));
    hedui()
        .args(["verify", "--tables"])
        .arg(&tables)
        .arg("--input")
        .arg(&jsonl)
        .assert()
        .code(2);
}
