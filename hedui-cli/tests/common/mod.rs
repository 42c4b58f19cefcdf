//! What several test files of hedui-cli share: an office workbook of sample cases.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failure should stop the test loudly"
)]
#![allow(dead_code, reason = "each test file uses the part it needs")]

use std::fs;
use std::path::{Path, PathBuf};

use hedui_core::Case;
use hedui_ops::tables::{CellKind, Labels, cases_to_tables_with, table};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// The issue time the tests verify at.
pub(crate) const AS_OF: &str = "2026-11-29T10:00:00+08:00";

/// The built `hedui` command.
pub(crate) fn hedui() -> assert_cmd::Command {
    assert_cmd::cargo::cargo_bin_cmd!("hedui")
}

/// `n` sample cases (seed 7), also written as JSON lines to `dir/cases.jsonl`.
pub(crate) fn sample_cases(dir: &Path, n: u64) -> (Vec<Case>, PathBuf) {
    let rb = hedui_core::Rulebook::default();
    let cases: Vec<_> = (0..n)
        .map(|i| hedui_core::sample::sample_case(7, i, &rb).case)
        .collect();
    let jsonl = dir.join("cases.jsonl");
    let lines: Vec<String> = cases
        .iter()
        .map(|c| serde_json::to_string(c).unwrap() + "\n")
        .collect();
    fs::write(&jsonl, lines.concat()).unwrap();
    (cases, jsonl)
}

/// `YYYY-MM-DD` and, when given, `THH:MM:SS+08:00` as an Excel date-time (Beijing's wall
/// clock, as an office types it).
fn excel_datetime(text: &str) -> Option<ExcelDateTime> {
    let part = |a: usize, b: usize| text.get(a..b)?.parse::<u16>().ok();
    let date = ExcelDateTime::from_ymd(
        part(0, 4)?,
        u8::try_from(part(5, 7)?).ok()?,
        u8::try_from(part(8, 10)?).ok()?,
    )
    .ok()?;
    match text.len() {
        10 => Some(date),
        25 if text.ends_with("+08:00") && text.get(10..11) == Some("T") => date
            .and_hms_milli(
                part(11, 13)?,
                u8::try_from(part(14, 16)?).ok()?,
                u8::try_from(part(17, 19)?).ok()?,
                0,
            )
            .ok(),
        _ => None,
    }
}

/// `n` sample cases as an office keeps them: one workbook with a sheet per table, Chinese
/// headers and labels, written with typed cells as Excel holds them where the column allows
/// (whole numbers as numbers, dates and Beijing date-times as dates, yes/no as booleans;
/// resident IDs and every other text as text); the households sheet starts in column B, and
/// the members sheet is named by its English table name. Also the same cases as JSON lines.
pub(crate) fn office_workbook(dir: &Path, n: u64) -> (PathBuf, PathBuf) {
    let (cases, jsonl) = sample_cases(dir, n);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let mut book = Workbook::new();
    let (mut numbers, mut dates, mut booleans) = (0, 0, 0);
    for t in cases_to_tables_with(&cases, Labels::Chinese).unwrap() {
        let def = table(&t.name).unwrap();
        let sheet = book.add_worksheet();
        sheet
            .set_name(if def.name == "members" {
                def.name
            } else {
                def.sheet
            })
            .unwrap();
        let left = u16::from(def.name == "households");
        for (j, c) in def.columns.iter().enumerate() {
            sheet
                .write_string(0, left + u16::try_from(j).unwrap(), c.header)
                .unwrap();
        }
        for (i, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(i).unwrap() + 1;
            for (j, (cell, c)) in row.iter().zip(def.columns).enumerate() {
                let col = left + u16::try_from(j).unwrap();
                let Some(text) = cell.as_deref() else {
                    continue;
                };
                match (c.kind, text.parse::<i64>(), excel_datetime(text)) {
                    (CellKind::Integer, Ok(v), _) if v.unsigned_abs() < (1 << 53) => {
                        #[expect(clippy::cast_precision_loss, reason = "below 2^53: exact")]
                        sheet.write_number(r, col, v as f64).unwrap();
                        numbers += 1;
                    }
                    (CellKind::Date, _, Some(d)) => {
                        sheet.write_datetime_with_format(r, col, d, &date).unwrap();
                        dates += 1;
                    }
                    (CellKind::Instant, _, Some(d)) => {
                        sheet
                            .write_datetime_with_format(r, col, d, &datetime)
                            .unwrap();
                        dates += 1;
                    }
                    (CellKind::Boolean, _, _) if text == "是" || text == "否" => {
                        sheet.write_boolean(r, col, text == "是").unwrap();
                        booleans += 1;
                    }
                    _ => {
                        sheet.write_string(r, col, text).unwrap();
                    }
                }
            }
        }
    }
    // the workbook does hold typed cells, not only text
    assert!(
        numbers > 0 && dates > 0 && booleans > 0,
        "{numbers} {dates} {booleans}"
    );
    let path = dir.join("book.xlsx");
    book.save(&path).unwrap();
    (path, jsonl)
}

/// Runs the main job on `jsonl` into `dir/from-jsonl` and checks that `from_tables` (the
/// main job's output on the same cases given as tables) holds the same cases, reports and
/// errors, byte for byte; returns the JSON-lines run's output folder.
pub(crate) fn assert_same_as_json_lines(from_tables: &Path, jsonl: &Path, dir: &Path) -> PathBuf {
    let from_jsonl = dir.join("from-jsonl");
    hedui()
        .args(["verify", "--no-render", "--as-of", AS_OF, "--input"])
        .arg(jsonl)
        .arg("--out")
        .arg(&from_jsonl)
        .assert()
        .success();
    for file in ["cases.jsonl", "reports.jsonl", "errors.jsonl"] {
        let a = fs::read(from_tables.join(file)).unwrap();
        let b = fs::read(if file == "cases.jsonl" {
            jsonl.to_path_buf()
        } else {
            from_jsonl.join(file)
        })
        .unwrap();
        assert!(a == b, "{file} differs");
    }
    from_jsonl
}
