//! `hedui id`: national identifiers read as hedui reads them inside documents (operation
//! `id_check`): 居民身份证号码 (GB 11643-1999, a 15-digit first-generation number upgraded),
//! 统一社会信用代码 (GB 32100-2015), 行政区划代码 (GB/T 2260). From arguments, or a column of
//! a CSV file (with a header row) or of a JSONL file.

use std::path::PathBuf;

use hedui_ops::identifier::{self, IdCheckRequest, IdChecked, IdKind};
use hedui_ops::{Failure, args};

use crate::reports::{Position, Rejected, for_each_document};
use crate::{CliError, Outcome, RulebookOption};

/// Which identifier `hedui id` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// 居民身份证号码, GB 11643-1999
    ResidentId,
    /// 统一社会信用代码, GB 32100-2015
    CreditCode,
    /// 行政区划代码, GB/T 2260
    RegionCode,
}

impl From<Kind> for IdKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::ResidentId => IdKind::ResidentId,
            Kind::CreditCode => IdKind::CreditCode,
            Kind::RegionCode => IdKind::RegionCode,
        }
    }
}

/// The options of `hedui id`.
#[derive(Debug, Clone, clap::Args)]
pub struct IdArgs {
    /// The identifiers to check
    #[arg(
        value_name = "VALUE",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub values: Vec<String>,
    /// Which identifier
    #[arg(long, value_enum, default_value_t = Kind::ResidentId)]
    pub kind: Kind,
    /// Resident IDs: the day of verification, YYYY-MM-DD; the rulebook's birth-date range
    /// applies too (its rule on first-generation numbers applies with or without --on)
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// Read the identifiers from a file: CSV with a header row (`.csv`) or JSON lines
    #[arg(long, value_name = "FILE", requires = "column")]
    pub file: Option<PathBuf>,
    /// The column (CSV header) or member (JSONL) holding the identifiers
    #[arg(long, value_name = "NAME", requires = "file")]
    pub column: Option<String>,
    /// The rulebook (identifier rules: first-generation numbers; the birth-date range with --on)
    #[command(flatten)]
    pub rulebook: RulebookOption,
}

/// What `hedui id` found for one value.
#[derive(Debug, serde::Serialize)]
struct Result_ {
    position: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked: Option<IdChecked>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<serde_json::Value>,
}

/// Runs `hedui id`: one line per identifier, [`Outcome::Failed`] when any is rejected.
///
/// # Errors
/// [`CliError::Io`] for an unreadable file, [`CliError::Usage`] for a column the CSV header
/// does not have, `invalid_date` for `--on`, the rulebook's error.
pub fn run(a: &IdArgs, as_json: bool) -> Result<Outcome, CliError> {
    let rulebook = a.rulebook.load()?;
    let on = match &a.on {
        Some(t) => Some(args::parse_date("--on", t)?),
        None => None,
    };
    let mut outcome = Outcome::Ok;
    let mut results = Vec::new();
    let mut one = |position: String, value: Result<&str, Rejected>| {
        let checked = value.map_err(|r| serde_json::json!({"code": r.code, "message": r.message}));
        let checked = checked.and_then(|v| {
            let request = IdCheckRequest {
                kind: a.kind.into(),
                value: v.trim().to_owned(),
                on,
            };
            identifier::id_check(&rulebook, &request).map_err(
                |e: Failure| serde_json::json!({"code": e.code(), "message": e.to_string()}),
            )
        });
        if checked.is_err() {
            outcome = Outcome::Failed;
        }
        if !as_json {
            match &checked {
                Ok(c) => println!("{position}  ok  {}{}", c.value, describe(c)),
                Err(e) => println!(
                    "{position}  error[{}]: {}",
                    e["code"].as_str().unwrap_or_default(),
                    e["message"].as_str().unwrap_or_default()
                ),
            }
        }
        let (checked, error) = match checked {
            Ok(c) => (Some(c), None),
            Err(e) => (None, Some(e)),
        };
        results.push(Result_ {
            position,
            checked,
            error,
        });
    };
    match (&a.file, &a.column) {
        (Some(file), Some(column)) if file.extension().is_some_and(|e| e == "csv") => {
            read_csv(file, column, &mut one)?;
        }
        (Some(file), Some(column)) => {
            for_each_document(file, |position, text| {
                let value = text.and_then(|t| member(t, column, &position));
                one(position.to_string(), value.as_deref().map_err(Clone::clone));
                Ok(())
            })?;
        }
        _ => {
            for (i, v) in a.values.iter().enumerate() {
                one(format!("argument {}", i + 1), Ok(v));
            }
        }
    }
    if as_json {
        crate::print_json(&results)?;
    }
    Ok(outcome)
}

/// What an identifier encodes, for the text output.
fn describe(c: &IdChecked) -> String {
    let mut parts = Vec::new();
    if c.legacy == Some(true) {
        parts.push("upgraded from 15 digits".to_owned());
    }
    if let Some(b) = c.birth_date {
        parts.push(format!("born {b}"));
    }
    if let Some(s) = c.sex {
        parts.push(format!("{s:?}").to_lowercase());
    }
    if let Some(r) = &c.region {
        parts.push(format!("region {r}"));
    }
    if let Some(l) = c.level {
        parts.push(format!("{l:?}").to_lowercase());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  ({})", parts.join(", "))
    }
}

/// The text of member `column` of a JSON line (a number is read as its digits).
fn member(line: &str, column: &str, position: &Position) -> Result<String, Rejected> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| Rejected {
        code: "input_json".to_owned(),
        message: format!("{position} is not JSON: {e}"),
    })?;
    match value.get(column) {
        Some(serde_json::Value::String(s)) => Ok(s.clone()),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        _ => Err(Rejected {
            code: "input_json".to_owned(),
            message: format!("no text or number member `{column}`"),
        }),
    }
}

/// Every value of column `column` of a CSV file with a header row, with its line.
fn read_csv(
    file: &std::path::Path,
    column: &str,
    one: &mut impl FnMut(String, Result<&str, Rejected>),
) -> Result<(), CliError> {
    let io = |e: csv::Error| CliError::Io(format!("cannot read {}: {e}", file.display()));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(file)
        .map_err(io)?;
    let headers = reader.byte_headers().map_err(io)?;
    let index = headers
        .iter()
        .position(|h| h == column.as_bytes())
        .ok_or_else(|| {
            CliError::Usage(format!(
                "{} has no column `{column}` in its header row",
                file.display()
            ))
        })?;
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(io)? {
        let line = record.position().map_or(0, csv::Position::line);
        let position = format!("{}:{line}", file.display());
        match record.get(index).map(std::str::from_utf8) {
            Some(Ok(v)) => one(position, Ok(v)),
            Some(Err(e)) => one(
                position,
                Err(Rejected {
                    code: hedui_ops::failure::codes::INPUT_UTF8.to_owned(),
                    message: format!("column `{column}` is not valid utf-8: {e}"),
                }),
            ),
            None => one(
                position,
                Err(Rejected {
                    code: "input_json".to_owned(),
                    message: format!("the row has no column `{column}`"),
                }),
            ),
        }
    }
    Ok(())
}
