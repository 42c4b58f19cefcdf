//! `docs/errors.md` is generated from the error catalog (`hedui_core::Error::catalog`); this
//! test fails while it is stale. `HEDUI_BLESS=1 cargo test -p hedui-tests --test error_docs`
//! rewrites it.

use std::fmt::Write as _;

use hedui_core::{Error, ErrorArea};

fn render() -> String {
    let mut out = String::from(
        "# Error codes\n\n\
         Generated from the error catalog in `hedui-core` (`Error::catalog()`); do not edit by \
         hand\n(`HEDUI_BLESS=1 cargo test -p hedui-tests --test error_docs` rewrites it).\n\n\
         Every error hedui returns has a stable snake_case **code**, the same in Rust \
         (`Error::code`),\nPython (`HeduiError.code`, with `HeduiError.detail`) and C \
         (`hedui_last_error_code`,\n`hedui_last_error_json`), and a fixed C **result** number \
         (`hedui_result`). An error that\nenforces a rule of [rules.md](rules.md) names the rule (and links its section) \
         and the clause of its source, and its\nmessage starts with them. The Python exception \
         class is the area's (`InputError`,\n`AuthorizationError`, ...; all derive from \
         `HeduiError`). The C ABI adds the results of its\nown calls (`null_pointer`, \
         `invalid_time`, `panic`, ...; see `hedui-ffi/README.md`).\n",
    );
    for area in ErrorArea::ALL {
        let _ = write!(
            out,
            "\n## {} (results {}xxx)\n\n| code | result | rule | clause | what it means |\n|---|---|---|---|---|\n",
            area.as_str(),
            area.catch_all_result() / 1000
        );
        for e in Error::catalog().filter(|e| e.area == area) {
            let (rule, clause) = e.rule.map_or((String::new(), ""), |r| {
                let link = r.docs().trim_start_matches("docs/");
                (format!("[{}]({link})", r.id), r.clause)
            });
            let _ = writeln!(
                out,
                "| `{}` | {} | {rule} | {clause} | {} |",
                e.code, e.result, e.summary
            );
        }
    }
    out
}

#[test]
fn error_docs_are_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/errors.md");
    let fresh = render();
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk == fresh {
        return;
    }
    if std::env::var_os("HEDUI_BLESS").is_some() {
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    panic!(
        "docs/errors.md is stale: run `HEDUI_BLESS=1 cargo test -p hedui-tests --test error_docs`"
    );
}

#[test]
fn catalog_codes_and_results_are_unique() {
    let mut codes = std::collections::BTreeSet::new();
    let mut results = std::collections::BTreeSet::new();
    for e in Error::catalog() {
        assert!(codes.insert(e.code), "code `{}` twice", e.code);
        assert!(results.insert(e.result), "result {} twice", e.result);
        assert!(
            e.code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "`{}` is not snake_case",
            e.code
        );
    }
    assert!(codes.len() >= 80, "only {} codes", codes.len());
}

/// Every rule an error cites points at a heading of docs/rules.md that exists.
#[test]
fn every_rule_an_error_cites_has_its_section_in_the_rules() {
    let rules = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md"),
    )
    .unwrap();
    let anchors: Vec<String> = rules
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| {
            h.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    let mut cited = 0;
    for e in Error::catalog() {
        if let Some(rule) = e.rule {
            let anchor = rule.docs().strip_prefix("docs/rules.md#").unwrap();
            assert!(
                anchors.iter().any(|a| a == anchor),
                "`{}`: no section `{anchor}`",
                e.code
            );
            assert!(anchor.starts_with(&rule.id.to_lowercase()), "`{}`", e.code);
            cited += 1;
        }
    }
    assert!(cited > 30, "{cited}");
}
