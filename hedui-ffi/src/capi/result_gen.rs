//! Writes the generated part of `result.rs` from the error catalog, and checks that the
//! committed file matches it (`HEDUI_BLESS=1` rewrites it).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use hedui_core::Error;

use super::{BINDING_RESULTS, NAME_OVERRIDES, TABLE, hedui_result};

const BEGIN: &str = "// generated: begin (HEDUI_BLESS=1 cargo test -p hedui-ffi result_table)\n";
const END: &str = "// generated: end\n";

/// One generated row.
struct Row {
    name: String,
    number: u32,
    code: Option<&'static str>,
    description: &'static str,
}

fn camel(code: &str) -> String {
    if let Some((_, name)) = NAME_OVERRIDES.iter().find(|(c, _)| *c == code) {
        return (*name).to_owned();
    }
    code.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect()
}

fn rows() -> Vec<Row> {
    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    for &(name, number, code, description) in BINDING_RESULTS {
        let old = rows.insert(
            number,
            Row {
                name: name.to_owned(),
                number,
                code,
                description,
            },
        );
        assert!(old.is_none(), "result {number} given twice");
    }
    for info in Error::catalog() {
        let row = Row {
            name: camel(info.code),
            number: info.result,
            code: Some(info.code),
            description: info.summary,
        };
        let old = rows.insert(info.result, row);
        assert!(
            old.is_none(),
            "result {} given twice (code `{}`)",
            info.result,
            info.code
        );
    }
    rows.into_values().collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn generated() -> String {
    let rows = rows();
    let mut out = String::from(BEGIN);
    out.push_str(
        "#[rustfmt::skip]\n#[repr(u32)]\n#[must_use]\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         #[allow(\n    non_camel_case_types,\n    reason = \"C naming: the header type is `hedui_result`\"\n)]\n\
         pub enum hedui_result {\n",
    );
    for r in &rows {
        match r.code {
            Some(code) => {
                writeln!(
                    out,
                    "    /// {} (code `{code}`).",
                    capitalized(r.description)
                )
                .unwrap();
            }
            None => writeln!(out, "    /// {}.", capitalized(r.description)).unwrap(),
        }
        writeln!(out, "    {} = {},", r.name, r.number).unwrap();
    }
    out.push_str("}\n\ntable! {\n");
    for r in &rows {
        let code = r
            .code
            .map_or_else(|| "None".to_owned(), |c| format!("Some(c\"{c}\")"));
        writeln!(out, "    {}, {code}, {:?};", r.name, r.description).unwrap();
    }
    out.push_str("}\n");
    out.push_str(END);
    out
}

#[test]
fn result_table_is_fresh() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/capi/result.rs");
    let text = std::fs::read_to_string(&path).unwrap();
    let begin = text.find(BEGIN).expect("begin marker");
    let end = text.find(END).expect("end marker") + END.len();
    let fresh = generated();
    if text.get(begin..end) == Some(fresh.as_str()) {
        return;
    }
    if std::env::var_os("HEDUI_BLESS").is_some() {
        let mut new = String::from(&text[..begin]);
        new.push_str(&fresh);
        new.push_str(&text[end..]);
        std::fs::write(&path, new).unwrap();
        return;
    }
    panic!(
        "hedui-ffi/src/capi/result.rs is stale: run `HEDUI_BLESS=1 cargo test -p hedui-ffi \
         result_table`, then `cargo fmt` and regenerate the header"
    );
}

#[test]
fn result_table_numbers_are_unique_ordered_and_in_their_range() {
    let mut last = None;
    for e in TABLE {
        let n = e.result as u32;
        assert!(last.is_none_or(|l| l < n), "{n} out of order or repeated");
        last = Some(n);
        assert_eq!(hedui_result::from_u32(n), Some(e.result));
        assert!(matches!(n / 1000, 0..=7 | 9), "{n} outside the ranges");
    }
    assert_eq!(hedui_result::from_u32(42), None);
}

/// Every catalog code has its own number, in its area's range, and `of` gives it.
#[test]
fn result_table_gives_every_catalog_code_its_number() {
    for info in Error::catalog() {
        let row = TABLE
            .iter()
            .find(|e| e.code.is_some_and(|c| c.to_bytes() == info.code.as_bytes()))
            .unwrap_or_else(|| panic!("no result for `{}`", info.code));
        assert_eq!(row.result as u32, info.result, "`{}`", info.code);
        let range = info.area.catch_all_result() / 1000;
        // input_utf8 is also an argument failure: the 1xxx range
        assert!(
            info.result / 1000 == range || (info.code == "input_utf8" && info.result / 1000 == 1),
            "`{}` numbered {} outside its area's range",
            info.code,
            info.result
        );
    }
}
