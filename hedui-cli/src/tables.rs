//! `hedui verify --tables PATH`: the main job on office tables, from an Excel workbook or a
//! folder of CSV files. In a workbook (`.xlsx`, read by [`crate::workbook`]) each worksheet is
//! one table of the case-table layout (docs/tables.md), named by its Chinese sheet name or
//! English table name. In a folder each `.csv` file is one table, named after the table or its
//! sheet (`members.csv` or `家庭成员.csv`), UTF-8 with a header row of English column names or
//! Chinese headers: what Excel writes with "CSV UTF-8" for each sheet of the template. The
//! operations layer assembles the cases (`hedui_ops::tables::cases_from_tables`); they are
//! written to `DIR/cases.jsonl` of the output folder and verified as `--input` would be, and
//! every bad row is reported with its file (or workbook and sheet), row and column, the other
//! cases still verified.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hedui_ops::tables::{self, RawTable};

use crate::CliError;
use crate::reports::{Position, Rejected, report_rejected};

/// What [`cases_from_tables`] made of a workbook or folder of tables.
#[derive(Debug)]
pub struct FromTables {
    /// The JSONL file the assembled cases were written to.
    pub cases_jsonl: PathBuf,
    /// How many cases were assembled.
    pub cases: u64,
    /// How many bad rows (each reported, and written to `table-errors.jsonl`).
    pub errors: u64,
}

/// One CSV file as a table named after its file stem: the header row, then every record (an
/// empty cell is no value). A row's number is the record's as a spreadsheet counts it.
fn read_csv(path: &Path) -> Result<RawTable, CliError> {
    let io = |e: &dyn std::fmt::Display| {
        CliError::Io(format!(
            "cannot read {}: {e} (save each sheet as \"CSV UTF-8\")",
            path.display()
        ))
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| io(&e))?;
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        None => Vec::new(),
        Some(r) => r
            .map_err(|e| io(&e))?
            .iter()
            .enumerate()
            .map(|(j, h)| {
                // Excel's "CSV UTF-8" starts with a byte-order mark
                let h = if j == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    h
                };
                h.to_owned()
            })
            .collect(),
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| io(&e))?;
        rows.push(
            record
                .iter()
                .map(|c| (!c.is_empty()).then(|| c.to_owned()))
                .collect(),
        );
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(RawTable {
        name,
        headers,
        rows,
    })
}

/// Every `.csv` file of `dir`, in name order, with its table.
fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, RawTable)>, CliError> {
    let entries = fs::read_dir(dir)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", dir.display())))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| CliError::Io(format!("cannot read {}: {e}", dir.display())))?
            .path();
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| read_csv(&p).map(|t| (p, t)))
        .collect()
}

fn create(path: &Path) -> Result<BufWriter<File>, CliError> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", path.display())))
}

/// Where a table was read from: a CSV file, or a sheet of a workbook.
#[derive(Debug)]
enum Origin {
    Csv(PathBuf),
    Sheet(PathBuf),
}

/// The tables at `path`: the worksheets of a workbook, or the `.csv` files of a folder.
fn read_source(path: &Path) -> Result<Vec<(Origin, RawTable)>, CliError> {
    if path.is_dir() {
        let files = read_dir(path)?;
        if files.is_empty() {
            return Err(CliError::Usage(format!(
                "{} has no .csv files (one per table: households.csv or 家庭.csv, members.csv \
                 or 家庭成员.csv, ...)",
                path.display()
            )));
        }
        return Ok(files
            .into_iter()
            .map(|(p, t)| (Origin::Csv(p), t))
            .collect());
    }
    let sheets = crate::workbook::read_workbook(path)?;
    if sheets.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no sheet with a cell (one sheet per table: 家庭, 家庭成员, ...)",
            path.display()
        )));
    }
    Ok(sheets
        .into_iter()
        .map(|t| (Origin::Sheet(path.to_owned()), t))
        .collect())
}

/// A spreadsheet's letters for the 0-based column `j`: `A`, ..., `Z`, `AA`, ...
fn column_letters(j: usize) -> String {
    let mut n = j.saturating_add(1);
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Where a bad row is, for stderr: `FILE:ROW` for a CSV file, `BOOK.xlsx[SHEET]:ROW` for a
/// sheet, with the column (and, in a sheet, its letters) leading the message.
fn locate(
    tables_read: &[(Origin, RawTable)],
    fallback: &Path,
    e: &tables::TableError,
) -> (Position, String) {
    // the table the row came from: the one whose table the error names
    let from = tables_read
        .iter()
        .find(|(_, t)| tables::table(&t.name).is_some_and(|d| d.name == e.table))
        .or_else(|| tables_read.iter().find(|(_, t)| t.name == e.table));
    let column = e.header.map(str::to_owned).or_else(|| e.column.clone());
    let (file, at) = match from {
        Some((Origin::Csv(p), _)) => (
            p.clone(),
            column.map(|c| format!("{c}: ")).unwrap_or_default(),
        ),
        Some((Origin::Sheet(book), t)) => {
            let index = t.headers.iter().position(|h| {
                let h = h.trim();
                e.column.as_deref() == Some(h) || e.header == Some(h)
            });
            let at = match (column, index) {
                (Some(c), Some(j)) => format!("{c} (column {}): ", column_letters(j)),
                (Some(c), None) => format!("{c}: "),
                (None, _) => String::new(),
            };
            (PathBuf::from(format!("{}[{}]", book.display(), t.name)), at)
        }
        None => (
            fallback.to_owned(),
            column.map(|c| format!("{c}: ")).unwrap_or_default(),
        ),
    };
    (Position { file, line: e.row }, at)
}

/// Reads the tables of `path` (an `.xlsx` workbook or a folder of `.csv` files), writes the
/// assembled cases to `out/cases.jsonl` and the bad rows to `out/table-errors.jsonl` (one
/// error detail per line: `code`, `message`, `table`, `sheet`, `row`, `column`, `header`,
/// `case_id`), and reports each bad row on stderr as `FILE:ROW`, or `BOOK.xlsx[SHEET]:ROW`
/// with the column's letters (JSON lines with `json`).
///
/// # Errors
/// [`CliError::Usage`] for a folder without `.csv` files or a workbook without a filled
/// sheet, [`CliError::Io`] for a file that cannot be read (or is not UTF-8) or written,
/// `table_workbook` for a file that is not an `.xlsx` workbook.
pub fn cases_from_tables(path: &Path, out: &Path, json: bool) -> Result<FromTables, CliError> {
    let files = read_source(path)?;
    let raw: Vec<RawTable> = files.iter().map(|(_, t)| t.clone()).collect();
    let result = tables::cases_from_tables(&raw);

    let cases_jsonl = out.join("cases.jsonl");
    let write = |path: &Path, e: std::io::Error| {
        CliError::Io(format!("cannot write {}: {e}", path.display()))
    };
    let mut w = create(&cases_jsonl)?;
    for case in &result.cases {
        let line = serde_json::to_string(case).map_err(|e| CliError::Internal(e.to_string()))?;
        writeln!(w, "{line}").map_err(|e| write(&cases_jsonl, e))?;
    }
    w.flush().map_err(|e| write(&cases_jsonl, e))?;

    let errors_jsonl = out.join("table-errors.jsonl");
    let mut w = create(&errors_jsonl)?;
    for e in &result.errors {
        let detail = e.detail();
        writeln!(w, "{detail}").map_err(|err| write(&errors_jsonl, err))?;
        let (position, at) = locate(&files, path, e);
        report_rejected(
            &position,
            &Rejected {
                code: e.code().to_owned(),
                message: format!(
                    "{at}{}",
                    detail
                        .get("message")
                        .and_then(|m| m.as_str())
                        .unwrap_or_default()
                ),
            },
            json,
        );
    }
    w.flush().map_err(|e| write(&errors_jsonl, e))?;
    Ok(FromTables {
        cases_jsonl,
        cases: result.cases.len() as u64,
        errors: result.errors.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::column_letters;

    #[test]
    fn columns_are_named_by_their_letters_as_a_spreadsheet_names_them() {
        let letters: Vec<String> = [0, 3, 25, 26, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "D", "Z", "AA", "AZ", "BA", "ZZ", "AAA"].map(str::to_owned)
        );
    }
}
