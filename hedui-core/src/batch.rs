//! Batch verification of JSON lines: every good line gives a report, every bad line an error
//! with its position; nothing is dropped. With the `parallel` feature, chunks are verified on
//! all cores (rayon) and the output keeps the input order.

use serde::Serialize;
use time::OffsetDateTime;

use crate::category::DataCategory;
use crate::error::{Error, InputError};
use crate::id::RegionCode;
use crate::render::render_markdown;
use crate::report::{OfflineMethod, Report};
use crate::rulebook::Rulebook;
use crate::verify::{Case, assemble_owned};

/// A line as [`verify_chunk_reports`] and [`verify_chunk_cases`] take it: text (`str`,
/// `String`) is used as it is, bytes (`[u8]`, `Vec<u8>`) are checked to be UTF-8 first, so a
/// caller whose reader has already decoded its lines does not pay for the check twice, and
/// one that hands over raw bytes still gets `input_utf8` at the line's position.
pub trait BatchLine: Sync {
    /// The line as text.
    ///
    /// # Errors
    /// [`InputError::Utf8`] when the line is bytes that are not UTF-8.
    fn text(&self) -> Result<&str, Error>;
}

impl BatchLine for str {
    fn text(&self) -> Result<&str, Error> {
        Ok(self)
    }
}

impl BatchLine for String {
    fn text(&self) -> Result<&str, Error> {
        Ok(self)
    }
}

impl BatchLine for [u8] {
    fn text(&self) -> Result<&str, Error> {
        std::str::from_utf8(self).map_err(|_| Error::Input(InputError::Utf8))
    }
}

impl BatchLine for Vec<u8> {
    fn text(&self) -> Result<&str, Error> {
        self.as_slice().text()
    }
}

impl<T: BatchLine + ?Sized> BatchLine for &T {
    fn text(&self) -> Result<&str, Error> {
        (**self).text()
    }
}

impl<T: BatchLine + ?Sized> BatchLine for Box<T> {
    fn text(&self) -> Result<&str, Error> {
        (**self).text()
    }
}

impl<T: BatchLine + ToOwned + ?Sized> BatchLine for std::borrow::Cow<'_, T>
where
    T::Owned: Sync,
{
    fn text(&self) -> Result<&str, Error> {
        self.as_ref().text()
    }
}

/// A verified line: the report as one JSON line and, if asked, its Markdown rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchReport {
    /// Report number.
    pub report_number: String,
    /// The sealed report as compact JSON (no trailing newline).
    pub json: Vec<u8>,
    /// The printable report, when rendering was asked for.
    pub markdown: Option<String>,
    /// Methods of every offline task in the report (one entry per method per task).
    pub offline_methods: Vec<OfflineMethod>,
    /// Categories that were sharing gaps (an upper level answered).
    pub sharing_gaps: Vec<DataCategory>,
}

/// A rejected line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchError {
    /// 1-based line number (position) in the input.
    pub line: u64,
    /// Stable error code.
    pub code: String,
    /// Message.
    pub message: String,
    /// The JSON path of the offending value within the line (`household.members[2].id`),
    /// where known; left out of the JSON when unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl BatchError {
    /// The error `e` at line `line`, with its JSON path where it has one.
    pub fn new(line: u64, e: &Error) -> Self {
        let detail = e.detail();
        BatchError {
            line,
            code: detail.code.to_owned(),
            message: detail.message,
            path: detail.path,
        }
    }
}

/// Reads a case line under the rulebook: its limits, and its identifier rules on the day of
/// the issue time ([`Rulebook::read_document`](crate::rulebook::Rulebook::read_document)), so that a refused resident ID names its JSON path.
fn read_case(line: &str, opts: &BatchOptions<'_>) -> Result<Case, Error> {
    let on = crate::calendar::beijing_date(opts.issued_at);
    opts.rulebook.read_document("case", line, Some(on))
}

/// Options of a batch run.
#[derive(Debug, Clone, Copy)]
pub struct BatchOptions<'a> {
    /// Rulebook.
    pub rulebook: &'a Rulebook,
    /// Issue time of every report.
    pub issued_at: OffsetDateTime,
    /// Render Markdown too.
    pub render: bool,
    /// Use all cores (needs the `parallel` feature; ignored without it).
    pub parallel: bool,
}

/// Verifies one JSON line.
///
/// # Errors
/// [`Error`] for malformed JSON or any failed gate.
pub fn verify_json_line(line: &str, opts: &BatchOptions<'_>) -> Result<BatchReport, Error> {
    let case = read_case(line, opts)?;
    let mut report = assemble_owned(case, opts.rulebook, opts.issued_at)?;
    // A report is about 1.25 times its case line; room for 1.5 times avoids regrowing the
    // buffer, and the unused rest is handed back because a batch holds a whole chunk of
    // reports at once (peak memory of the main job).
    let mut json = Vec::with_capacity(line.len().saturating_mul(3) / 2);
    report.seal_into_with(
        &mut json,
        opts.rulebook.security.crypto_suite.digest_algorithm(),
    )?;
    json.shrink_to_fit();
    let markdown = opts.render.then(|| render_markdown(&report));
    let offline_methods = report
        .gaps
        .iter()
        .flat_map(|g| g.task.methods.iter().copied())
        .collect();
    let sharing_gaps = report.sharing_gaps.iter().map(|g| g.category).collect();
    Ok(BatchReport {
        report_number: report.report_number,
        json,
        markdown,
        offline_methods,
        sharing_gaps,
    })
}

/// Verifies one JSON line and returns the sealed report itself rather than its JSON: for
/// bindings that turn the report into their own objects (the Python dicts) without parsing
/// JSON again. The report's integrity digest is the one [`verify_json_line`] writes.
///
/// # Errors
/// [`Error`] for malformed JSON or any failed gate.
pub fn verify_json_line_report(line: &str, opts: &BatchOptions<'_>) -> Result<Report, Error> {
    let case = read_case(line, opts)?;
    let mut report = assemble_owned(case, opts.rulebook, opts.issued_at)?;
    report.seal_with(opts.rulebook.security.crypto_suite.digest_algorithm())?;
    Ok(report)
}

/// Verifies a chunk of lines whose first line has number `first_line` (1-based). Blank lines
/// are skipped (they produce no entry). The output is in input order.
///
/// A bad line is reported with its line number and every other line still gets its report:
///
/// ```
/// use hedui_core::Rulebook;
/// use hedui_core::batch::{BatchOptions, verify_chunk};
/// use time::macros::datetime;
///
/// let good: serde_json::Value = serde_json::from_str(include_str!("../data/sample-case.json"))?;
/// let lines = vec![good.to_string(), String::new(), "{\"case_id\": ".to_owned(), good.to_string()];
/// let opts = BatchOptions {
///     rulebook: &Rulebook::default(),
///     issued_at: datetime!(2026-11-29 10:00 +08:00),
///     render: true,
///     parallel: false,
/// };
/// let results = verify_chunk(&lines, 101, &opts);
/// // the blank line 102 gives no entry
/// let numbers: Vec<u64> = results.iter().map(|(n, _)| *n).collect();
/// assert_eq!(numbers, [101, 103, 104]);
/// let (_, first) = &results[0];
/// let first = first.as_ref().map_err(|e| e.message.clone())?;
/// assert_eq!(first.report_number, "HD20261129-WT141030-00000000");
/// assert!(first.markdown.is_some());
/// let (_, broken) = &results[1];
/// let broken = broken.as_ref().err().ok_or("line 103 should be rejected")?;
/// assert_eq!((broken.line, broken.code.as_str()), (103, "input_json"));
/// assert!(results[2].1.is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_chunk(
    lines: &[String],
    first_line: u64,
    opts: &BatchOptions<'_>,
) -> Vec<(u64, Result<BatchReport, BatchError>)> {
    run_chunk(lines, first_line, opts, |line: &String, opts| {
        if line.trim().is_empty() {
            return Ok(None);
        }
        verify_json_line(line, opts).map(Some)
    })
}

/// Like [`verify_chunk`], with the sealed [`Report`]s themselves (see
/// [`verify_json_line_report`]); `opts.render` is ignored. Lines are text or bytes
/// ([`BatchLine`]): a line of bytes that is not UTF-8 is rejected at its position
/// (`input_utf8`) while the others go on, so a caller can hand over the lines of a file
/// without checking them first.
pub fn verify_chunk_reports<L: BatchLine>(
    lines: &[L],
    first_line: u64,
    opts: &BatchOptions<'_>,
) -> Vec<(u64, Result<Report, BatchError>)> {
    run_chunk(lines, first_line, opts, |line, opts| {
        let line = line.text()?;
        if line.trim().is_empty() {
            return Ok(None);
        }
        verify_json_line_report(line, opts).map(Some)
    })
}

/// A sealed report with the region of its household, which the report itself does not print
/// (for tables that group reports by region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    /// The household's region (GB/T 2260), from the case.
    pub region: RegionCode,
    /// The sealed report, as [`verify_json_line_report`] gives it.
    pub report: Report,
}

/// Like [`verify_chunk_reports`], each report with its household's region ([`CaseReport`]).
pub fn verify_chunk_cases<L: BatchLine>(
    lines: &[L],
    first_line: u64,
    opts: &BatchOptions<'_>,
) -> Vec<(u64, Result<CaseReport, BatchError>)> {
    run_chunk(lines, first_line, opts, |line, opts| {
        let line = line.text()?;
        if line.trim().is_empty() {
            return Ok(None);
        }
        let case = read_case(line, opts)?;
        let region = case.household.region;
        let mut report = assemble_owned(case, opts.rulebook, opts.issued_at)?;
        report.seal_with(opts.rulebook.security.crypto_suite.digest_algorithm())?;
        Ok(Some(CaseReport { region, report }))
    })
}

fn run_chunk<L: Sync, T: Send>(
    lines: &[L],
    first_line: u64,
    opts: &BatchOptions<'_>,
    verify: impl Fn(&L, &BatchOptions<'_>) -> Result<Option<T>, Error> + Sync,
) -> Vec<(u64, Result<T, BatchError>)> {
    let one = |(i, line): (usize, &L)| {
        let n = first_line + i as u64;
        match verify(line, opts) {
            Ok(None) => None,
            Ok(Some(done)) => Some((n, Ok(done))),
            Err(e) => Some((n, Err(BatchError::new(n, &e)))),
        }
    };
    #[cfg(feature = "parallel")]
    if opts.parallel {
        use rayon::prelude::*;
        return lines.par_iter().enumerate().filter_map(one).collect();
    }
    lines.iter().enumerate().filter_map(one).collect()
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;
    use crate::sample::sample_case;

    const ISSUED: OffsetDateTime = time::macros::datetime!(2026-11-29 10:00 +08:00);

    #[test]
    fn text_lines_are_taken_as_they_are_and_bytes_are_checked() {
        let owned = String::from("{\"a\": \"核对\"}");
        assert_eq!(owned.text().ok(), Some(owned.as_str()));
        assert_eq!(owned.as_str().text().ok(), Some(owned.as_str()));
        assert_eq!(
            <&String as BatchLine>::text(&&owned).ok(),
            Some(owned.as_str())
        );
        assert_eq!(
            Box::<str>::from(owned.as_str()).text().ok(),
            Some(owned.as_str())
        );
        assert_eq!(
            Cow::Borrowed(owned.as_str()).text().ok(),
            Some(owned.as_str())
        );
        let bytes = owned.as_bytes();
        assert_eq!(bytes.text().ok(), Some(owned.as_str()));
        assert_eq!(bytes.to_vec().text().ok(), Some(owned.as_str()));
        assert_eq!(Cow::Borrowed(bytes).text().ok(), Some(owned.as_str()));
        let bad: &[u8] = b"{\"a\": \"\xe6\xa0\"}"; // a character cut short
        for e in [bad.text(), bad.to_vec().text(), Cow::Borrowed(bad).text()] {
            assert!(matches!(e, Err(Error::Input(InputError::Utf8))), "{e:?}");
        }
    }

    #[test]
    fn text_and_byte_lines_give_the_same_cases() {
        let rb = Rulebook::default();
        let mut text: Vec<String> = (0..12)
            .map(|i| serde_json::to_string(&sample_case(3, i, &rb).case).unwrap())
            .collect();
        text.insert(2, " ".to_owned());
        text.insert(5, "{not json".to_owned());
        let mut bytes: Vec<Vec<u8>> = text.iter().map(|l| l.as_bytes().to_vec()).collect();
        bytes.push(b"\xff{}".to_vec());
        let opts = BatchOptions {
            rulebook: &rb,
            issued_at: ISSUED,
            render: false,
            parallel: false,
        };
        let seen = |out: Vec<(u64, Result<CaseReport, BatchError>)>| {
            out.into_iter()
                .map(|(n, r)| match r {
                    Ok(c) => (n, c.report.integrity.map(|i| i.digest.to_string()).unwrap()),
                    Err(e) => (n, e.code),
                })
                .collect::<Vec<_>>()
        };
        let from_text = seen(verify_chunk_cases(&text, 1, &opts));
        let from_bytes = seen(verify_chunk_cases(&bytes, 1, &opts));
        assert_eq!(from_text.len(), 13, "the blank line gives no entry");
        assert_eq!(from_bytes[..13], from_text[..]);
        assert_eq!(from_bytes[13], (15, "input_utf8".to_owned()));
        assert_eq!(from_text[4].1, "input_json");
    }
}
