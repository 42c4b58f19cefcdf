//! No resident ID in any error (个人信息保护法 Art 6, minimum scope; the masking every report
//! applies): documents that carry 15- and 18-digit runs — as JSON numbers, as strings in
//! fields that are not IDs, as unknown keys — go through every operation of the Rust
//! operations layer (`hedui-ops`), the batch, and the core's own readers, and no error text,
//! detail, batch error record or row of the Arrow `errors` table (its `path`, `message` and
//! `case_id`) holds such a run; each operation runs under the built-in rulebook and under
//! the corpus rulebook `strict-identifiers` (first-generation numbers refused, a later birth
//! floor), whose refusals name an ID too. The C ABI and uniffi are covered in
//! `hedui-ffi/tests/no_ids_in_errors.rs`, Python in `hedui-py/tests/test_hostile.py`, the main
//! job in `scripts/test.sh`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use hedui_ops::{args, catalog, json, report, verify};
use proptest::prelude::*;
use serde_json::Value;

/// The longest run of ASCII digits in `text`.
fn longest_digit_run(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0)
}

fn assert_clean(what: &str, text: &str) {
    assert!(
        longest_digit_run(text) < 15,
        "{what} holds a run of 15+ digits: {text}"
    );
}

fn good_case() -> Value {
    let text = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every leaf of `v` by its JSON pointer.
fn leaves(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            leaves(
                x,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| leaves(x, format!("{at}/{i}"), out)),
        _ => out.push(at),
    }
}

/// The seed documents: each JSON operation's corpus requests, and the good case for `verify`.
fn seeds() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = hedui_tests::ops_corpus()
        .into_iter()
        .filter(|c| json::operation(&c.operation).is_some())
        // a request that is malformed on purpose is no seed
        .filter_map(|c| Some((c.operation, serde_json::from_str(&c.request).ok()?)))
        .collect();
    let case = good_case();
    out.push(("verify".to_owned(), case.clone()));
    out.push((
        "authorization_check".to_owned(),
        serde_json::json!({"household": case["household"], "authorization": case["authorization"],
            "on": "2026-11-29"}),
    ));
    // every JSON operation also gets the case, a document of another shape
    for o in catalog::OPERATIONS {
        if json::operation(o.name).is_some() {
            out.push((o.name.to_owned(), case.clone()));
        }
    }
    out
}

/// `doc` with the leaf at `pointer` replaced as `form` says (0: the run as a JSON number,
/// 1: as a string, 2: inside a sentence, 3: a key of an extra member).
fn mutate(doc: &Value, pointer: &str, run: &str, form: u8) -> Value {
    let mut doc = doc.clone();
    let number: Value = serde_json::from_str(run).unwrap();
    if form == 3 {
        if let Value::Object(m) = &mut doc {
            m.insert(run.to_owned(), Value::Bool(true));
        }
        return doc;
    }
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = match form {
            0 => number,
            1 => Value::String(run.to_owned()),
            _ => Value::String(format!("家庭 {run} 号")),
        };
    }
    doc
}

/// The corpus rulebook that refuses first-generation numbers and has a later birth floor.
fn strict_identifiers() -> &'static hedui_core::Rulebook {
    static RB: std::sync::OnceLock<hedui_core::Rulebook> = std::sync::OnceLock::new();
    RB.get_or_init(|| {
        hedui_core::Rulebook::from_json(&hedui_tests::ops_rulebook("strict-identifiers")).unwrap()
    })
}

/// Every text cell of the Arrow `errors` table built from the batch of `lines`: `path`,
/// `message`, `case_id`, the codes.
fn errors_table_texts(rb: &hedui_core::Rulebook, lines: &[&str]) -> Vec<String> {
    use arrow_array::cast::AsArray;
    let opts = hedui_core::batch::BatchOptions {
        rulebook: rb,
        issued_at: args::parse_time("t", "2026-11-29T10:00:00+08:00").unwrap(),
        render: false,
        parallel: false,
    };
    let mut tables = hedui_ops::columns::TablesBuilder::new();
    for (n, r) in hedui_core::batch::verify_chunk_cases(lines, 1, &opts) {
        match r {
            Ok(c) => tables.push_case_report(&c),
            Err(e) => {
                let line = lines[usize::try_from(n - 1).unwrap()];
                let id = hedui_ops::columns::case_id_of(line.as_bytes());
                tables.push_error(n, id.as_deref(), &e);
            }
        }
    }
    let errors = tables.finish().unwrap().errors;
    assert!(errors.schema().field_with_name("path").is_ok());
    let mut out = Vec::new();
    for column in errors.columns() {
        // a dictionary column's values are every text its cells hold
        let texts = match column.data_type() {
            arrow_schema::DataType::Utf8 => column.as_string::<i32>(),
            arrow_schema::DataType::Dictionary(..) => {
                column.as_any_dictionary().values().as_string::<i32>()
            }
            _ => continue,
        };
        out.extend(texts.iter().flatten().map(str::to_owned));
    }
    out
}

/// Every outcome of `text` through the operation `name` (and, for `verify`, the batch and
/// its errors table), under the built-in rulebook and under `strict-identifiers`.
fn errors_of(name: &str, text: &str) -> Vec<String> {
    let mut out = errors_under(args::default_rulebook(), name, text);
    out.extend(errors_under(strict_identifiers(), name, text));
    out
}

fn errors_under(rb: &hedui_core::Rulebook, name: &str, text: &str) -> Vec<String> {
    let at = args::parse_time("t", "2026-11-29T10:00:00+08:00").unwrap();
    let mut out = Vec::new();
    let mut results: Vec<Result<(), hedui_ops::Failure>> = Vec::new();
    let mut failure = |r: Result<(), hedui_ops::Failure>| results.push(r);
    if name == "verify" {
        failure(verify::verify_json(rb, text, at).map(|_| ()));
        let batch = verify::verify_batch_jsonl(
            rb,
            &format!("{text}\n{}\n", text.replace('\n', " ")),
            at,
            false,
        )
        .unwrap();
        out.push(String::from_utf8(batch.errors_jsonl).unwrap());
        out.extend(errors_table_texts(rb, &[text, &text.replace('\n', " ")]));
        let mut failure = |r: Result<(), hedui_ops::Failure>| results.push(r);
        failure(report::report_render_markdown_json(text).map(|_| ()));
        failure(report::report_verify_digest_json(text).map(|_| ()));
        failure(
            hedui_core::Case::from_json(text)
                .map(|_| ())
                .map_err(Into::into),
        );
        failure(
            hedui_core::Rulebook::from_json(text)
                .map(|_| ())
                .map_err(Into::into),
        );
    } else {
        let op = json::operation(name).unwrap();
        failure(op(rb, text).map(|_| ()));
    }
    for e in results.into_iter().filter_map(Result::err) {
        out.push(e.to_string());
        out.push(e.detail().to_string());
    }
    out
}

fn id_run() -> impl Strategy<Value = String> {
    prop_oneof![
        // an 18-character resident ID with its check digit, or any 15, 17 or 18 digits
        "[1-9][0-9]{16}".prop_map(|body| match hedui_core::ResidentId::check_char(&body) {
            Some('X') | None => format!("{body}0"),
            Some(c) => format!("{body}{c}"),
        }),
        "[1-9][0-9]{14}",
        "[1-9][0-9]{16}",
        "[1-9][0-9]{17}",
    ]
}

#[test]
fn an_id_given_as_a_json_number_is_masked() {
    let mut case = good_case();
    case["household"]["members"][0]["id"] = serde_json::from_str("141030197803100016").unwrap();
    let errors = errors_of("verify", &case.to_string());
    assert!(!errors.is_empty());
    assert!(
        errors.iter().any(|e| e.contains("141030**********16")),
        "{errors:?}"
    );
    for e in &errors {
        assert_clean("error", e);
    }
    // as a float, serde's message shows the leading 17 digits
    case["household"]["members"][0]["id"] = serde_json::json!(1.410_301_978_031_000_2e17);
    let errors = errors_of("verify", &case.to_string());
    assert!(!errors.is_empty());
    for e in &errors {
        assert_clean("error", e);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_error_text_holds_a_digit_run(seed in any::<prop::sample::Index>(), leaf in any::<prop::sample::Index>(), run in id_run(), form in 0u8..4) {
        let seeds = seeds();
        let (name, doc) = &seeds[seed.index(seeds.len())];
        let mut pointers = Vec::new();
        leaves(doc, String::new(), &mut pointers);
        let pointer = &pointers[leaf.index(pointers.len())];
        let text = mutate(doc, pointer, &run, form).to_string();
        for e in errors_of(name, &text) {
            prop_assert!(longest_digit_run(&e) < 15, "{} ({}): {}", name, pointer, e);
        }
    }

    #[test]
    fn bare_runs_are_masked_too(run in id_run(), wrap in 0u8..3) {
        let text = match wrap {
            0 => run.clone(),
            1 => format!("[{run}]"),
            _ => format!("{{\"{run}\": {run}}}"),
        };
        let names: std::collections::BTreeSet<String> = seeds().into_iter().map(|(n, _)| n).collect();
        for name in names {
            for e in errors_of(&name, &text) {
                prop_assert!(longest_digit_run(&e) < 15, "{}: {}", name, e);
            }
        }
    }
}
