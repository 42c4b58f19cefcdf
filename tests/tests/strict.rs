//! Strict documents: shapes the schemas forbid and sizes beyond the rulebook's limits are
//! refused with their own codes, naming the JSON path, the limit and the value.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::{error::*, rulebook::*, *};
use serde_json::{Value, json};
use time::macros::datetime;

fn good() -> Value {
    let text = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn case_error(text: &str) -> Error {
    Case::from_json(text).unwrap_err()
}

/// A struct given as an array of its fields in order: serde reads it, hedui refuses it.
#[test]
fn an_array_is_no_object() {
    let case = good();
    let Value::Object(map) = &case else { panic!() };
    let as_array = Value::Array(map.values().cloned().collect());
    let e = case_error(&as_array.to_string());
    assert_eq!(e.code(), "input_array_for_object", "{e}");
    assert_eq!(e.detail().path, None);
    // nested: the household as an array of its fields
    let mut nested = good();
    let Value::Object(h) = nested["household"].clone() else {
        panic!()
    };
    nested["household"] = Value::Array(h.values().cloned().collect());
    let e = case_error(&nested.to_string());
    assert_eq!(e.code(), "input_array_for_object", "{e}");
    assert_eq!(e.detail().path.as_deref(), Some("household"));
    assert_eq!(
        e.to_string(),
        "invalid case json: an array where an object is expected"
    );
    // also through the batch, which reads lines the same way
    let rb = Rulebook::default();
    let opts = batch::BatchOptions {
        rulebook: &rb,
        issued_at: datetime!(2026-11-29 10:00 +08:00),
        render: false,
        parallel: false,
    };
    let e = batch::verify_json_line("[]", &opts).unwrap_err();
    assert_eq!(e.code(), "input_array_for_object");
}

#[test]
fn a_key_twice_in_one_object_is_refused() {
    let text = good().to_string();
    let twice = text.replacen("{\"case_id\":", "{\"case_id\":\"X\",\"case_id\":", 1);
    assert_ne!(twice, text);
    let e = case_error(&twice);
    assert_eq!(e.code(), "input_duplicate_key", "{e}");
    assert_eq!(e.detail().fields["key"], "case_id");
    // in a map too, where serde_json would keep the last
    let e = Error::parse::<Value>("report", r#"{"a": {"x": 1, "x": 2}}"#).unwrap_err();
    assert_eq!(e.code(), "input_duplicate_key");
    assert_eq!(e.detail().path.as_deref(), Some("a.x"));
    assert_eq!(
        e.to_string(),
        "invalid report json: key `x` appears twice in one object"
    );
}

#[test]
fn text_after_the_document_is_refused() {
    let text = good().to_string();
    for trailing in [
        format!("{text} {{}}"),
        format!("{text}x"),
        format!("{text}{text}"),
    ] {
        let e = case_error(&trailing);
        assert_eq!(e.code(), "input_trailing_data", "{e}");
    }
    // white space after the document is no data
    assert!(Case::from_json(&format!("{text} \n")).is_ok());
}

#[test]
fn limits_name_the_limit_and_the_value() {
    let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
    let e = Error::parse::<Value>("report", &deep).unwrap_err();
    assert_eq!(e.code(), "input_limit_exceeded");
    assert_eq!(e.to_string(), "`limits.max_depth` is 64, the input has 65");

    let mut long = good();
    long["household"]["members"][0]["name"] = json!("名".repeat(70_000));
    let e = case_error(&long.to_string());
    assert_eq!(e.code(), "input_limit_exceeded");
    assert_eq!(
        e.to_string(),
        "`limits.max_string_chars` is 65536, the input has 70000"
    );
    assert_eq!(
        e.detail().path.as_deref(),
        Some("household.members[0].name")
    );

    let mut rich = good();
    rich["declaration"] = json!({"income_fen": 1_000_000_000_000_001i64});
    let e = case_error(&rich.to_string());
    assert_eq!(e.code(), "input_limit_exceeded");
    assert_eq!(e.detail().fields["limit"], "limits.max_amount_fen");
    // numbers of 15 digits or more are masked like any digit run that could be an ID
    assert_eq!(
        e.to_string(),
        "`limits.max_amount_fen` is 100000********00, the input has 100000********01"
    );
    assert_eq!(e.detail().path.as_deref(), Some("declaration.income_fen"));
    let mut poor = good();
    poor["declaration"] = json!({"income_fen": -1_000_000_000_000_001i64});
    assert_eq!(case_error(&poor.to_string()).code(), "input_limit_exceeded");
    let mut fine = good();
    fine["declaration"] = json!({"income_fen": 1_000_000_000_000_000i64});
    assert!(Case::from_json(&fine.to_string()).is_ok());

    // members and facts: the rulebook's numbers
    let case = Case::from_json(&good().to_string()).unwrap();
    let mut rb = Rulebook::default();
    rb.limits.max_members = 1;
    let e = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap_err();
    assert_eq!(e.to_string(), "`limits.max_members` is 1, the input has 2");
    let mut rb = Rulebook::default();
    rb.limits.max_facts = 0;
    let e = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap_err();
    assert_eq!(e.code(), "input_limit_exceeded");
    assert!(e.to_string().starts_with("`limits.max_facts` is 0"), "{e}");
    // a rulebook's own limits apply to what the batch reads
    let mut rb = Rulebook::default();
    rb.limits.max_string_chars = 10;
    let opts = batch::BatchOptions {
        rulebook: &rb,
        issued_at: datetime!(2026-11-29 10:00 +08:00),
        render: false,
        parallel: false,
    };
    let e = batch::verify_json_line(&good().to_string(), &opts).unwrap_err();
    assert!(
        e.to_string().starts_with("`limits.max_string_chars` is 10"),
        "{e}"
    );
}

/// The batch reader hands a line over without its line ending: a malformed line's error is
/// at a position within it, as Python's `json.loads` of the line gives (line 1), not on the
/// line after it.
#[test]
fn a_malformed_line_is_reported_within_the_line() {
    let rb = Rulebook::default();
    let at = datetime!(2026-11-29 10:00 +08:00);
    for text in ["{\n", "{\r\n", "{"] {
        let out = hedui_ops::verify::verify_batch_jsonl(&rb, text, at, false).unwrap();
        let errors = String::from_utf8(out.errors_jsonl).unwrap();
        assert!(
            errors.contains("EOF while parsing an object at line 1 column 1"),
            "{text:?}: {errors}"
        );
    }
    let two = hedui_ops::verify::verify_batch_jsonl(&rb, "\n{\"case_id\": \n", at, false).unwrap();
    let errors = String::from_utf8(two.errors_jsonl).unwrap();
    assert!(errors.starts_with("{\"line\":2,"), "{errors}");
    assert!(errors.contains("at line 1 column 12"), "{errors}");
}

/// The rulebook's `limits.max_line_bytes` is the batch reader's maximum (not a constant of
/// the reader), and the rejected line's error names the limit and the line's length.
#[test]
fn the_line_limit_is_the_rulebooks() {
    let line = line();
    let at = datetime!(2026-11-29 10:00 +08:00);
    let mut rb = Rulebook::default();
    rb.limits.max_line_bytes = 4096;
    rb.validate().unwrap();
    assert!(line.len() > 4096, "the sample case is {} bytes", line.len());
    let text = format!("{line}\n{line}\n");
    let out = hedui_ops::verify::verify_batch_jsonl(&rb, &text, at, false).unwrap();
    assert_eq!((out.reports, out.errors), (0, 2));
    let errors = String::from_utf8(out.errors_jsonl).unwrap();
    let first: Value = serde_json::from_str(errors.lines().next().unwrap()).unwrap();
    assert_eq!(first["line"], 1);
    assert_eq!(first["code"], "input_line_too_long");
    assert_eq!(
        first["message"],
        format!(
            "`limits.max_line_bytes` is 4096, the line has {} bytes",
            line.len()
        )
    );
    // the built-in rulebook's 16 MiB lets the same lines through
    let out =
        hedui_ops::verify::verify_batch_jsonl(&Rulebook::default(), &text, at, false).unwrap();
    assert_eq!((out.reports, out.errors), (2, 0));
    // and a rulebook read from JSON carries the limit; one written before it existed gets
    // the default
    let mut json: Value = serde_json::from_str(&rb.to_json()).unwrap();
    assert_eq!(json["limits"]["max_line_bytes"], 4096);
    assert_eq!(
        Rulebook::from_json(&json.to_string()).unwrap().limits,
        rb.limits
    );
    json["limits"]
        .as_object_mut()
        .unwrap()
        .remove("max_line_bytes");
    assert_eq!(
        Rulebook::from_json(&json.to_string())
            .unwrap()
            .limits
            .max_line_bytes,
        DEFAULT_MAX_LINE_BYTES
    );
}

/// Every limit has bounds: none can be switched off (0) or raised past what the readers hold.
#[test]
fn every_limit_has_bounds() {
    assert_eq!(LIMIT_BOUNDS.len(), 6);
    for (field, lo, hi) in LIMIT_BOUNDS {
        let key = field.strip_prefix("limits.").unwrap();
        let default: Value = serde_json::to_value(DocumentLimits::default()).unwrap();
        let d = default[key].as_i64().unwrap();
        assert!(
            i128::from(d) >= lo && i128::from(d) <= hi,
            "{field} default {d}"
        );
        for bad in [lo - 1, hi + 1] {
            let mut rb: Value = serde_json::from_str(&Rulebook::default().to_json()).unwrap();
            rb["limits"][key] = json!(bad as i64);
            let Ok(text) = serde_json::to_string(&rb) else {
                continue;
            };
            match Rulebook::from_json(&text) {
                Err(e) => {
                    // an unsigned field given -1 fails to read; an amount past 10^15 fen is
                    // refused while the rulebook is read, as any `_fen` field is; any other
                    // value is out of bounds
                    if field == "limits.max_amount_fen" && bad > hi {
                        assert_eq!(e.code(), "input_limit_exceeded", "{e}");
                    } else if bad >= 0 {
                        assert_eq!(e.code(), "input_rulebook", "{field} {bad}: {e}");
                        // (runs of 15 digits or more are masked like any resident ID)
                        let text =
                            format!("rulebook: `{field}` must be between {lo} and {hi}, got {bad}");
                        assert_eq!(e.to_string(), mask_resident_ids(&text));
                    }
                }
                Ok(_) => panic!("{field} = {bad} accepted"),
            }
        }
    }
}

/// The case's members and facts limits name the array they count.
#[test]
fn size_limits_name_their_array() {
    let case = Case::from_json(&line()).unwrap();
    let mut rb = Rulebook::default();
    rb.limits.max_members = 1;
    let e = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap_err();
    assert_eq!(e.detail().path.as_deref(), Some("household.members"));
    let mut rb = Rulebook::default();
    rb.limits.max_facts = 1;
    let e = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap_err();
    assert_eq!(e.detail().path.as_deref(), Some("responses"));
}

/// The spouse's resident ID in the sample case (`household.members[1].id`).
const SPOUSE: &str = "141030197702263262";
/// The applicant's (`household.members[0].id`).
const APPLICANT: &str = "141030197803100016";
/// Born 2027-01-01: after the day of any work in 2026.
const UNBORN: &str = "141030202701010021";
/// Born 1889-01-01: before the built-in rulebook's floor (1900-01-01).
const TOO_OLD: &str = "141030188901010028";
/// The applicant's number in its first-generation, fifteen-digit form.
const APPLICANT_LEGACY: &str = "141030780310001";

fn refusing_legacy() -> Rulebook {
    let mut rb = Rulebook::default();
    rb.identifiers.legacy_resident_ids = LegacyResidentIds::Refuse;
    rb
}

fn batch_errors(rb: &Rulebook, text: &str) -> Vec<Value> {
    let at = datetime!(2026-11-29 10:00 +08:00);
    let out = hedui_ops::verify::verify_batch_jsonl(rb, text, at, false).unwrap();
    String::from_utf8(out.errors_jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// An identifier error inside a document names the JSON path of the identifier, in the
/// error's detail and in the batch's error lines (the main job's `errors.jsonl`).
#[test]
fn identifier_errors_name_their_path() {
    let text = line();
    // a wrong check character in the second member
    let bad = text.replace(SPOUSE, "141030197702263263");
    let e = case_error(&bad);
    assert_eq!(e.code(), "id_resident_checksum");
    assert_eq!(e.detail().path.as_deref(), Some("household.members[1].id"));
    let errors = batch_errors(&Rulebook::default(), &format!("{text}\n{bad}\n"));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["line"], 2);
    assert_eq!(errors[0]["code"], "id_resident_checksum");
    assert_eq!(errors[0]["path"], "household.members[1].id");
    // an ID given as a number: a type error at the ID's path, the number masked
    let number = text.replace(&format!("\"{SPOUSE}\""), SPOUSE);
    let e = case_error(&number);
    assert_eq!(e.code(), "input_json");
    assert_eq!(e.detail().path.as_deref(), Some("household.members[1].id"));
    assert!(!e.to_string().contains(SPOUSE), "{e}");
    // a missing field: the path of the object that lacks it
    let mut missing: Value = serde_json::from_str(&line()).unwrap();
    missing["household"]["members"][1]
        .as_object_mut()
        .unwrap()
        .remove("relation");
    let e = case_error(&missing.to_string());
    assert_eq!(e.code(), "input_json");
    assert_eq!(e.detail().path.as_deref(), Some("household.members[1]"));
    assert!(e.to_string().contains("missing field `relation`"), "{e}");
    // a good line has no path in its error line (there is none)
    let errors = batch_errors(&Rulebook::default(), "{\n");
    assert!(errors[0].get("path").is_none(), "{}", errors[0]);
}

/// The birth-date window (not after the day of the work, not before the rulebook's floor)
/// and the legacy rule apply while a case is read, so that the error names the ID's path.
#[test]
fn the_birth_window_and_the_legacy_rule_name_the_path_in_a_case() {
    let text = line();
    for (id, rb, code) in [
        (
            UNBORN,
            Rulebook::default(),
            "id_resident_birth_out_of_range",
        ),
        (
            TOO_OLD,
            Rulebook::default(),
            "id_resident_birth_out_of_range",
        ),
    ] {
        let errors = batch_errors(&rb, &text.replace(SPOUSE, id));
        assert_eq!(errors.len(), 1, "{id}");
        assert_eq!(errors[0]["code"], code, "{id}");
        assert_eq!(errors[0]["path"], "household.members[1].id", "{id}");
        assert!(!errors[0]["message"].as_str().unwrap().contains(id));
    }
    let legacy = text.replace(APPLICANT, APPLICANT_LEGACY);
    let errors = batch_errors(&refusing_legacy(), &legacy);
    assert_eq!(errors[0]["code"], "id_resident_legacy");
    assert_eq!(errors[0]["path"], "household.members[0].id");
    // upgraded by default: the same person, the case verifies
    assert!(batch_errors(&Rulebook::default(), &legacy).is_empty());
    // a single verification through the operations layer, as C and uniffi call it
    let e = hedui_ops::verify::verify_json(
        &Rulebook::default(),
        &text.replace(SPOUSE, UNBORN),
        datetime!(2026-11-29 10:00 +08:00),
    )
    .unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(e.detail()["path"], "household.members[1].id");
}

/// The sample case as one line, its fields in the order of the case type (`household`
/// before `authorization`, `entrustment`: the first place an ID appears is in the household).
fn line() -> String {
    serde_json::to_string(&Case::from_json(&good().to_string()).unwrap()).unwrap()
}

/// Fields of the sample case, as JSON text.
fn part(name: &str) -> String {
    let case: Value = serde_json::from_str(&line()).unwrap();
    case[name].to_string()
}

fn request_of(on: &str) -> String {
    format!(
        r#"{{"household":{},"authorization":{},"on":"{on}"}}"#,
        part("household"),
        part("authorization")
    )
}

/// `authorization_check` takes resident IDs (members, signers): the rules apply on the day of
/// the check.
#[test]
fn authorization_check_applies_the_identifier_rules() {
    let rb = Rulebook::default();
    let ok = request_of("2026-11-29");
    assert!(hedui_ops::authorization::authorization_check_json(&rb, &ok).is_ok());
    let unborn = ok.replace(SPOUSE, UNBORN);
    let e = hedui_ops::authorization::authorization_check_json(&rb, &unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(e.detail()["path"], "household.members[1].id");
    // the day is the request's: born 2027-01-01 is fine for a check dated 2027-06-01
    let later = request_of("2027-06-01").replace(SPOUSE, UNBORN);
    let e = hedui_ops::authorization::authorization_check_json(&rb, &later);
    assert!(e.is_ok(), "{:?}", e.err().map(|e| e.to_string()));
    let too_old = ok.replace(SPOUSE, TOO_OLD);
    let e = hedui_ops::authorization::authorization_check_json(&rb, &too_old).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    let legacy = ok.replace(APPLICANT, APPLICANT_LEGACY);
    assert!(hedui_ops::authorization::authorization_check_json(&rb, &legacy).is_ok());
    let e = hedui_ops::authorization::authorization_check_json(&refusing_legacy(), &legacy)
        .unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    assert_eq!(e.detail()["path"], "household.members[0].id");
    // by name, as the operations corpus dispatches
    let by_name = hedui_ops::json::operation("authorization_check").unwrap();
    assert_eq!(
        by_name(&rb, &unborn).unwrap_err().code(),
        "id_resident_birth_out_of_range"
    );
}

fn corpus_request(op: &str, name: &str) -> String {
    std::fs::read_to_string(
        hedui_tests::corpus_dir()
            .join("ops")
            .join(op)
            .join(format!("{name}.json")),
    )
    .unwrap()
}

/// `coverage_audit` takes the members of applications and verification records.
#[test]
fn coverage_audit_applies_the_identifier_rules() {
    let rb = Rulebook::default();
    let text = corpus_request("coverage_audit", "covered");
    assert!(hedui_ops::population::coverage_audit_json(&rb, &text).is_ok());
    let unborn = text.replacen("360426199101010071", UNBORN, 1);
    let e = hedui_ops::population::coverage_audit_json(&rb, &unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(e.detail()["path"], "applications[0].members[0]");
    let legacy = text.replace("141030197803100016", APPLICANT_LEGACY);
    assert!(hedui_ops::population::coverage_audit_json(&rb, &legacy).is_ok());
    let e = hedui_ops::population::coverage_audit_json(&refusing_legacy(), &legacy).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    assert_eq!(e.detail()["path"], "applications[1].members[0]");
}

/// `account_register` takes the operator's resident ID: the rules apply on the day of
/// registration.
#[test]
fn account_register_applies_the_identifier_rules() {
    let rb = Rulebook::default();
    let text = corpus_request("account_register", "registered");
    assert!(hedui_ops::account::account_register_json_under(&rb, &text).is_ok());
    // born 2026-02-01, registered 2026-01-05
    let unborn = text.replace(APPLICANT, "141030202602010026");
    let e = hedui_ops::account::account_register_json_under(&rb, &unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(e.detail()["path"], "request.resident_id");
    // the host form without a rulebook applies the built-in one
    let e = hedui_ops::account::account_register_json(&unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    let legacy = text.replace(APPLICANT, APPLICANT_LEGACY);
    let e =
        hedui_ops::account::account_register_json_under(&refusing_legacy(), &legacy).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    let by_name = hedui_ops::json::operation("account_register").unwrap();
    assert_eq!(
        by_name(&refusing_legacy(), &legacy).unwrap_err().code(),
        "id_resident_legacy"
    );
}

/// `password_check` takes the holder's resident ID.
#[test]
fn password_check_applies_the_identifier_rules() {
    let rb = Rulebook::default();
    let text = corpus_request("password_check", "acceptable");
    assert!(hedui_ops::security::password_check_json(&rb, &text).is_ok());
    let e = hedui_ops::security::password_check_json(&rb, &text.replace(APPLICANT, UNBORN))
        .unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(e.detail()["path"], "resident_id");
    let e = hedui_ops::security::password_check_json(
        &refusing_legacy(),
        &text.replace(APPLICANT, APPLICANT_LEGACY),
    )
    .unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
}

/// `archive_check` takes the letters' subjects and signers (entrustments, authorizations) and
/// the archived documents' subjects.
#[test]
fn archive_check_applies_the_identifier_rules() {
    let rb = Rulebook::default();
    let request = format!(
        r#"{{"archive":[],"entrustments":[{}],"authorizations":[{}]}}"#,
        part("entrustment"),
        part("authorization")
    );
    assert!(hedui_ops::archive::archive_check_json_under(&rb, &request).is_ok());
    let unborn = request.replace(SPOUSE, UNBORN);
    let e = hedui_ops::archive::archive_check_json_under(&rb, &unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    let path = e.detail()["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("entrustments[0].subjects["), "{path}");
    let e = hedui_ops::archive::archive_check_json(&unborn).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    let legacy = request.replace(APPLICANT, APPLICANT_LEGACY);
    let e = hedui_ops::archive::archive_check_json_under(&refusing_legacy(), &legacy).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
}
