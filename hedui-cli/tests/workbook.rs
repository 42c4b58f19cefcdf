//! `hedui verify --tables book.xlsx`: the case tables read from an Excel workbook give the
//! same cases and reports as the same cases given as JSON lines; a bad cell is named by its
//! sheet, row and column while the other cases are verified; a file that is not a workbook
//! is a typed error (README "The main job", docs/tables.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the test loudly"
)]

use std::fs;
use std::path::Path;

use predicates::str::contains;
use rust_xlsxwriter::Workbook;

mod common;

use common::{AS_OF, hedui, office_workbook};

fn verify_tables(tables: &Path, out: &Path) -> assert_cmd::assert::Assert {
    hedui()
        .args(["verify", "--no-render", "--as-of", AS_OF, "--tables"])
        .arg(tables)
        .arg("--out")
        .arg(out)
        .assert()
}

fn digests(reports: &Path) -> Vec<String> {
    fs::read_to_string(reports)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["integrity"]["digest"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_workbook_gives_the_reports_of_the_same_cases_as_json_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (book, jsonl) = office_workbook(tmp.path(), 12);
    let from_book = tmp.path().join("from-book");
    verify_tables(&book, &from_book)
        .success()
        .stdout(contains("cases      12"))
        .stdout(contains("table rows rejected 0"));
    // the same cases, the same reports and errors, byte for byte
    let from_jsonl = common::assert_same_as_json_lines(&from_book, &jsonl, tmp.path());
    let d = digests(&from_book.join("reports.jsonl"));
    assert!(!d.is_empty() && d.iter().all(|d| d.len() == 64));
    assert_eq!(d, digests(&from_jsonl.join("reports.jsonl")));
}

#[test]
fn a_bad_cell_is_named_by_sheet_row_and_column_and_the_others_are_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let (book, _) = office_workbook(tmp.path(), 12);
    // the relation of the members sheet's row 3 (column D) becomes one the layout lacks
    let mut bad = Workbook::new();
    let tables = hedui_cli::workbook::read_workbook(&book).unwrap();
    for t in &tables {
        let sheet = bad.add_worksheet();
        sheet.set_name(&t.name).unwrap();
        for (j, h) in t.headers.iter().enumerate() {
            if !h.starts_with("(column") {
                sheet.write_string(0, u16::try_from(j).unwrap(), h).unwrap();
            }
        }
        for (i, row) in t.rows.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let Some(text) = cell else { continue };
                let text = if t.name == "members" && i == 1 && t.headers[j] == "与申请人关系"
                {
                    assert_eq!(j, 3);
                    "表哥"
                } else {
                    text
                };
                sheet
                    .write_string(
                        u32::try_from(i + 1).unwrap(),
                        u16::try_from(j).unwrap(),
                        text,
                    )
                    .unwrap();
            }
        }
    }
    // a sheet the layout does not have is reported as an unknown CSV file is
    let notes = bad.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "填表说明").unwrap();
    // an empty sheet is left alone
    bad.add_worksheet().set_name("Sheet9").unwrap();
    let bad_path = tmp.path().join("bad.xlsx");
    bad.save(&bad_path).unwrap();

    let out = tmp.path().join("bad");
    verify_tables(&bad_path, &out)
        .code(1)
        .stdout(contains("table rows rejected 2"))
        .stdout(contains("cases      11"))
        .stderr(contains(
            "bad.xlsx[members]:3: error[table_cell]: 与申请人关系 (column D): ",
        ))
        .stderr(contains("`表哥` is not one of"))
        .stderr(contains("bad.xlsx[说明]: error[table_unknown]"));
    let errors: Vec<serde_json::Value> = fs::read_to_string(out.join("table-errors.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let cell = errors.iter().find(|e| e["code"] == "table_cell").unwrap();
    assert_eq!(
        (
            &cell["sheet"],
            &cell["row"],
            &cell["column"],
            &cell["header"]
        ),
        (
            &serde_json::json!("家庭成员"),
            &serde_json::json!(3),
            &serde_json::json!("relation"),
            &serde_json::json!("与申请人关系")
        )
    );
    assert!(
        errors
            .iter()
            .any(|e| e["code"] == "table_unknown" && e["table"] == "说明")
    );
    assert_eq!(
        fs::read_to_string(out.join("reports.jsonl"))
            .unwrap()
            .lines()
            .count()
            + fs::read_to_string(out.join("errors.jsonl"))
                .unwrap()
                .lines()
                .count(),
        11
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_a_typed_error() {
    let tmp = tempfile::tempdir().unwrap();
    let not_xlsx = tmp.path().join("cases.xlsx");
    fs::write(&not_xlsx, "案件编号,姓名\nA1,张三\n").unwrap();
    verify_tables(&not_xlsx, &tmp.path().join("out"))
        .code(1)
        .stderr(contains("error[table_workbook]"))
        .stderr(contains("is not a readable .xlsx workbook"));
    // with --json, the error's detail
    let assert = hedui()
        .args(["--json", "verify", "--as-of", AS_OF, "--tables"])
        .arg(&not_xlsx)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let line: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(line["error"]["code"], "table_workbook");
    // a zip archive that holds no workbook
    let zip = tmp.path().join("empty.xlsx");
    fs::write(&zip, b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0").unwrap();
    verify_tables(&zip, &tmp.path().join("out"))
        .code(1)
        .stderr(contains("error[table_workbook]"));
    // a path that is not there is an I/O error (exit 3)
    verify_tables(&tmp.path().join("missing.xlsx"), &tmp.path().join("out"))
        .code(3)
        .stderr(contains("error[io_error]"));
    // a workbook whose sheets are all empty has no tables
    let mut empty = Workbook::new();
    empty.add_worksheet();
    let empty_path = tmp.path().join("blank.xlsx");
    empty.save(&empty_path).unwrap();
    verify_tables(&empty_path, &tmp.path().join("out"))
        .code(2)
        .stderr(contains("has no sheet with a cell"));
}
