//! `hedui verify --tables DIR`: the main job on office tables. Each `.csv` file of the folder
//! is one table of the case-table layout (docs/tables.md), named after the table or its sheet
//! (`members.csv` or `家庭成员.csv`), UTF-8 with a header row of English column names or
//! Chinese headers: what Excel writes with "CSV UTF-8" for each sheet of the template. The
//! operations layer assembles the cases (`hedui_ops::tables::cases_from_tables`); they are
//! written to `DIR/cases.jsonl` of the output folder and verified as `--input` would be, and
//! every bad row is reported with its file, row and column, the other cases still verified.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use hedui_ops::tables::{self, RawTable};

use crate::CliError;
use crate::reports::{Position, Rejected, report_rejected};

/// What [`cases_from_dir`] made of a folder of tables.
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

/// Reads the tables of `dir`, writes the assembled cases to `out/cases.jsonl` and the bad
/// rows to `out/table-errors.jsonl` (one error detail per line: `code`, `message`, `table`,
/// `sheet`, `row`, `column`, `header`, `case_id`), and reports each bad row on stderr as
/// `FILE:ROW` (JSON lines with `json`).
///
/// # Errors
/// [`CliError::Usage`] for a folder without `.csv` files, [`CliError::Io`] for a file that
/// cannot be read (or is not UTF-8) or written.
pub fn cases_from_dir(dir: &Path, out: &Path, json: bool) -> Result<FromTables, CliError> {
    let files = read_dir(dir)?;
    if files.is_empty() {
        return Err(CliError::Usage(format!(
            "{} has no .csv files (one per table: households.csv or 家庭.csv, members.csv or \
             家庭成员.csv, ...)",
            dir.display()
        )));
    }
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
        // the file the row came from: the one whose table the error names
        let file = files
            .iter()
            .find(|(_, t)| tables::table(&t.name).is_some_and(|d| d.name == e.table))
            .or_else(|| files.iter().find(|(_, t)| t.name == e.table))
            .map_or_else(|| dir.to_owned(), |(p, _)| p.clone());
        let at = match (e.header, &e.column) {
            (Some(h), _) => format!("{h}: "),
            (None, Some(c)) => format!("{c}: "),
            (None, None) => String::new(),
        };
        report_rejected(
            &Position { file, line: e.row },
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
