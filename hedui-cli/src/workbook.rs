//! `hedui verify --tables book.xlsx`: the sheets of an Excel workbook as case tables, read
//! with calamine. Each worksheet is one table of the case-table layout (docs/tables.md), named
//! by its Chinese sheet name or English table name; its first row holds the headers.
//!
//! Cells become the text the layout reads, as Python's `hedui.cases_from_tables` makes them
//! from openpyxl's values: text stays text (an 18-digit resident ID or a code with leading
//! zeros is never read as a number), whole numbers without `.0`, other numbers as Python's
//! `repr` writes them, dates and date-times as ISO 8601 text (a date-time at midnight as its
//! date, a time of day as `HH:MM:SS`), booleans as `true`/`false`, errors as Excel shows them
//! (`#N/A`), empty cells as no value.
//!
//! A number cell is read as the double Excel holds (15 to 17 significant digits): a resident
//! ID typed into a number cell has already lost its last digits in Excel, which is why the
//! template formats every column as text. (openpyxl reads an integer literal written by
//! another program exactly; Excel itself never writes one beyond 2^53.)

use std::path::Path;

use calamine::{Data, ExcelDateTime, Reader, SheetType, Xlsx, XlsxError, open_workbook};
use hedui_core::Error;
use hedui_core::error::InputError;
use hedui_ops::tables::RawTable;

use crate::CliError;

/// The worksheets of the workbook at `path` that hold a cell, in workbook order, each as a
/// table named by its sheet. Rows and columns keep their places in the sheet: the first row of
/// the sheet is the header row, and a table's row `i` is the sheet's row `i + 2`, even when the
/// sheet's first rows or columns are empty.
///
/// # Errors
/// [`CliError::Io`] for a file that cannot be read, `table_workbook` for one that is not an
/// `.xlsx` workbook or has a sheet that does not parse.
pub fn read_workbook(path: &Path) -> Result<Vec<RawTable>, CliError> {
    let not_xlsx = |e: XlsxError, sheet: Option<&str>| match e {
        XlsxError::Io(e) => CliError::Io(format!("cannot read {}: {e}", path.display())),
        e => CliError::from(Error::Input(InputError::TableWorkbook {
            file: path.display().to_string(),
            message: match sheet {
                Some(s) => format!("sheet `{s}`: {e}"),
                None => e.to_string(),
            },
        })),
    };
    let mut book: Xlsx<_> = open_workbook(path).map_err(|e| not_xlsx(e, None))?;
    let sheets: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut tables = Vec::with_capacity(sheets.len());
    for name in sheets {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| not_xlsx(e, Some(&name)))?;
        let Some((top, left)) = range.start() else {
            continue; // an empty sheet, as a new workbook's "Sheet1"
        };
        let lead = usize::try_from(left).unwrap_or(usize::MAX);
        let row_of = |cells: &[Data]| -> Vec<Option<String>> {
            std::iter::repeat_n(None, lead)
                .chain(cells.iter().map(cell_text))
                .collect()
        };
        let mut rows = std::iter::repeat_n(Vec::new(), usize::try_from(top).unwrap_or(0))
            .chain(range.rows().map(row_of));
        let headers = rows
            .next()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(j, h)| header_text(j, h))
            .collect();
        tables.push(RawTable {
            name,
            headers,
            rows: rows.collect(),
        });
    }
    Ok(tables)
}

/// A header cell's text; a blank header is named by its place, `(column 3)`, as Python's
/// reader names it (a filled cell under it is then an unknown column, never dropped).
fn header_text(j: usize, cell: Option<String>) -> String {
    match cell.map(|h| h.trim().to_owned()) {
        Some(h) if !h.is_empty() => h,
        _ => format!("(column {})", j.saturating_add(1)),
    }
}

/// A cell's value as the text the layout reads (see the module's documentation).
pub fn cell_text(cell: &Data) -> Option<String> {
    match cell {
        Data::Empty => None,
        Data::String(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => float_text(*f),
        Data::DateTime(d) => Some(datetime_text(d)),
        Data::DateTimeIso(s) => Some(iso_text(s)),
        Data::Error(e) => Some(e.to_string()),
    }
}

/// A number as Python's reader writes it: a whole number without `.0` (every digit of it),
/// other numbers as `repr(float)` does (the shortest text that reads back to the same number,
/// with an exponent below 1e-4: `1.5e-07`); NaN is no value.
fn float_text(f: f64) -> Option<String> {
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { "inf" } else { "-inf" }.to_owned());
    }
    if f.fract() == 0.0 {
        // `{:.0}` writes a whole f64 exactly, however large; -0.0 is Python's `0`
        return Some(if f == 0.0 {
            "0".to_owned()
        } else {
            format!("{f:.0}")
        });
    }
    // Rust's `{:e}` and Python's repr both give the shortest round-tripping digits
    let sci = format!("{f:e}");
    let (mantissa, exponent) = sci.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    if (-4..16).contains(&exponent) {
        return Some(f.to_string());
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    Some(format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs()))
}

const MS_PER_DAY: f64 = 86_400_000.0;

/// A date-time cell as openpyxl reads it and Python's reader writes it: a time of day
/// (a serial in `[0, 1)`) as `HH:MM:SS`, a date-time at midnight as `YYYY-MM-DD`, others as
/// `YYYY-MM-DDTHH:MM:SS`, milliseconds as `.mmm000`; a duration as Python writes a
/// `timedelta` (`1 day, 2:00:00`).
fn datetime_text(d: &ExcelDateTime) -> String {
    let serial = d.as_f64();
    if d.is_duration() {
        return duration_text(serial);
    }
    let micros = |ms: u16| {
        if ms == 0 {
            String::new()
        } else {
            format!(".{ms:03}000")
        }
    };
    if (0.0..1.0).contains(&serial) && (serial * MS_PER_DAY).round() < MS_PER_DAY {
        let (_, _, _, h, m, s, ms) = d.to_ymd_hms_milli();
        return format!("{h:02}:{m:02}:{s:02}{}", micros(ms));
    }
    let (y, mo, day, h, m, s, ms) = d.to_ymd_hms_milli();
    if (h, m, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02}T{h:02}:{m:02}:{s:02}{}", micros(ms))
    }
}

/// A duration in days as Python's `str(timedelta)`, to the millisecond.
fn duration_text(days: f64) -> String {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a duration in milliseconds of a spreadsheet cell; `as` saturates"
    )]
    let total = (days * MS_PER_DAY).round() as i64;
    let day_ms = 86_400_000_i64;
    let (whole, rest) = (total.div_euclid(day_ms), total.rem_euclid(day_ms));
    let (h, m, s, ms) = (
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000,
    );
    let mut text = String::new();
    if whole != 0 {
        let plural = if whole.abs() == 1 { "" } else { "s" };
        text.push_str(&format!("{whole} day{plural}, "));
    }
    text.push_str(&format!("{h}:{m:02}:{s:02}"));
    if ms != 0 {
        text.push_str(&format!(".{ms:03}000"));
    }
    text
}

/// An ISO 8601 date-time cell (`t="d"`): at midnight, its date.
fn iso_text(s: &str) -> String {
    match s.split_once('T') {
        Some((date, time))
            if time
                .trim_end_matches('Z')
                .chars()
                .all(|c| matches!(c, '0' | ':' | '.')) =>
        {
            date.to_owned()
        }
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "test code")]

    use calamine::ExcelDateTimeType;

    use super::*;

    fn dt(serial: f64) -> String {
        datetime_text(&ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    }

    #[test]
    fn numbers_read_as_python_writes_them() {
        let cases = [
            (3.0, "3"),
            (-0.0, "0"),
            (1e20, "100000000000000000000"),
            (141_030_197_803_100_000.0, "141030197803100000"),
            (0.1, "0.1"),
            (123.456, "123.456"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (-2.5, "-2.5"),
            (f64::INFINITY, "inf"),
        ];
        for (f, text) in cases {
            assert_eq!(float_text(f).as_deref(), Some(text), "{f}");
        }
        assert_eq!(float_text(f64::NAN), None);
    }

    #[test]
    fn cells_keep_text_and_empty_is_no_value() {
        let id = "141030197803100016".to_owned();
        assert_eq!(cell_text(&Data::String(id.clone())), Some(id));
        assert_eq!(
            cell_text(&Data::String("007".to_owned())).as_deref(),
            Some("007")
        );
        assert_eq!(cell_text(&Data::Empty), None);
        assert_eq!(cell_text(&Data::Bool(true)).as_deref(), Some("true"));
        assert_eq!(cell_text(&Data::Bool(false)).as_deref(), Some("false"));
        assert_eq!(cell_text(&Data::Int(42)).as_deref(), Some("42"));
        assert_eq!(
            cell_text(&Data::Error(calamine::CellErrorType::NA)).as_deref(),
            Some("#N/A")
        );
    }

    #[test]
    fn dates_times_and_durations_read_as_openpyxl_and_python_write_them() {
        // 2026-11-29 is serial 46355
        assert_eq!(dt(46355.0), "2026-11-29");
        assert_eq!(dt(46355.5), "2026-11-29T12:00:00");
        assert_eq!(dt(46355.75 + 0.5 / 86_400.0), "2026-11-29T18:00:00.500000");
        assert_eq!(dt(0.25), "06:00:00");
        assert_eq!(dt(0.0), "00:00:00");
        // the 1900 leap-year bug: serial 59 is 1900-02-28, 61 is 1900-03-01
        assert_eq!(dt(59.0), "1900-02-28");
        assert_eq!(dt(61.0), "1900-03-01");
        let days =
            |d: f64| datetime_text(&ExcelDateTime::new(d, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(days(1.0 + 2.0 / 24.0), "1 day, 2:00:00");
        assert_eq!(days(3.5), "3 days, 12:00:00");
        assert_eq!(days(0.5), "12:00:00");
        assert_eq!(iso_text("2026-11-29T00:00:00"), "2026-11-29");
        assert_eq!(iso_text("2026-11-29T08:30:00"), "2026-11-29T08:30:00");
    }

    #[test]
    fn blank_headers_are_named_by_their_place() {
        assert_eq!(header_text(0, Some(" 姓名 ".to_owned())), "姓名");
        assert_eq!(header_text(2, None), "(column 3)");
        assert_eq!(header_text(4, Some("  ".to_owned())), "(column 5)");
    }
}
