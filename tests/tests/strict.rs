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
