//! Stored reports: `hedui render` (printable Markdown) and `hedui check` (digest and
//! signature). A file is one report document, or JSON lines of reports when its name ends in
//! `.jsonl` (as `hedui verify` writes `reports.jsonl`); a bad report is reported with its
//! position and the others still go on.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use hedui_core::security::MaskPolicy;
use hedui_core::{Report, security::ReportKeyring};
use hedui_ops::jsonl::{JsonlReader, Line};
use hedui_ops::{Failure, paper, report, security};

use crate::{CliError, Outcome};

/// Where a document is: the file, and the line for JSON lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The file.
    pub file: PathBuf,
    /// The 1-based line, for JSON lines.
    pub line: Option<u64>,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(n) => write!(f, "{}:{n}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

/// A document that could not be read, with its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The stable code.
    pub code: String,
    /// The message.
    pub message: String,
}

impl From<&Failure> for Rejected {
    fn from(f: &Failure) -> Self {
        Rejected {
            code: f.code().to_owned(),
            message: f.to_string(),
        }
    }
}

/// Calls `each` with every document of `path`: the whole file, or every non-blank line of a
/// `.jsonl` file (a line that is not UTF-8 or too long is handed over as rejected).
///
/// # Errors
/// [`CliError::Io`] when the file cannot be read, else what `each` returns.
pub fn for_each_document(
    path: &Path,
    mut each: impl FnMut(Position, Result<&str, Rejected>) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let is_jsonl = path.extension().is_some_and(|e| e == "jsonl");
    if !is_jsonl {
        let text = crate::read_text(path)?;
        let position = Position {
            file: path.to_owned(),
            line: None,
        };
        return each(position, Ok(&text));
    }
    let file = File::open(path)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", path.display())))?;
    let mut reader = JsonlReader::new(BufReader::new(file));
    loop {
        let chunk = reader
            .read_chunk(256)
            .map_err(|e| CliError::Io(format!("cannot read {}: {e}", path.display())))?;
        if chunk.is_empty() {
            return Ok(());
        }
        for (n, line) in chunk.numbered() {
            let position = Position {
                file: path.to_owned(),
                line: Some(n),
            };
            match line {
                Line::Blank => {}
                Line::Text(text) => each(position, Ok(text))?,
                Line::Rejected(e) => each(
                    position,
                    Err(Rejected {
                        code: e.code.clone(),
                        message: e.message.clone(),
                    }),
                )?,
            }
        }
    }
}

/// Reports a rejected document on stderr (or as a JSON line with `json`).
pub fn report_rejected(position: &Position, rejected: &Rejected, json: bool) {
    if json {
        eprintln!(
            "{}",
            serde_json::json!({
                "position": position.to_string(),
                "error": {"code": rejected.code, "message": rejected.message},
            })
        );
    } else {
        eprintln!(
            "hedui: {position}: error[{}]: {}",
            rejected.code, rejected.message
        );
    }
}

/// The options of `hedui render`.
#[derive(Debug, Clone, clap::Args)]
pub struct RenderArgs {
    /// Report files: one report JSON each, or JSON lines of reports (`.jsonl`)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Write one file per report, DIR/REPORT_NUMBER.md (.html, .pdf), instead of printing it
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The printable HTML document (A4, QR code on every page) instead of Markdown
    #[arg(long, conflicts_with = "pdf")]
    pub html: bool,
    /// PDF files printed from the HTML with headless Chromium (needs --out)
    #[arg(long, requires = "out")]
    pub pdf: bool,
}

/// What `hedui render` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RenderFormat {
    Markdown,
    Html,
    Pdf,
}

impl RenderFormat {
    fn of(args: &RenderArgs) -> Self {
        match (args.html, args.pdf) {
            (_, true) => RenderFormat::Pdf,
            (true, false) => RenderFormat::Html,
            (false, false) => RenderFormat::Markdown,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            RenderFormat::Markdown => "md",
            RenderFormat::Html => "html",
            RenderFormat::Pdf => "pdf",
        }
    }
}

/// Every report in `files` (one report JSON each, or JSON lines of reports): a document that is
/// not a report is reported (on stderr, or as a JSON line with `json`) and makes `outcome`
/// `Failed`; each report goes to `each` with its position and the outcome.
fn for_each_report(
    files: &[PathBuf],
    json: bool,
    outcome: &mut Outcome,
    mut each: impl FnMut(Position, Report, &mut Outcome) -> Result<(), CliError>,
) -> Result<(), CliError> {
    for file in files {
        for_each_document(file, |position, text| {
            match text.and_then(|t| report::parse_report(t).map_err(|e| (&e).into())) {
                Ok(report) => each(position, report, outcome),
                Err(rejected) => {
                    report_rejected(&position, &rejected, json);
                    *outcome = Outcome::Failed;
                    Ok(())
                }
            }
        })?;
    }
    Ok(())
}

/// Runs `hedui render`: each report as Markdown (operation `report_render_markdown`), as the
/// printable HTML document (`--html`, operation `report_render_html`) or as a PDF printed from
/// it with headless Chromium (`--pdf`), printed or written to `--out`. The report does not
/// check its digest here (`hedui check` does). A report that cannot be rendered (a QR payload
/// too long) is reported with its position and the others still go on.
///
/// # Errors
/// [`CliError::Io`] for a file that cannot be read or written; [`CliError::Failure`]
/// `pdf_printer_missing` for `--pdf` without a browser (before any report is read).
pub fn render(args: &RenderArgs, json: bool) -> Result<Outcome, CliError> {
    let format = RenderFormat::of(args);
    if format == RenderFormat::Pdf {
        paper::require_chromium()?;
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut outcome = Outcome::Ok;
    let mut rendered = Vec::new();
    for_each_report(
        &args.files,
        json,
        &mut outcome,
        |position, report, outcome| {
            let text = match format {
                RenderFormat::Markdown => Ok(report::report_render_markdown(&report)),
                _ => paper::report_render_html(&report, &MaskPolicy::FULL),
            };
            let text = match text {
                Ok(text) => text,
                Err(e) => {
                    report_rejected(&position, &(&e).into(), json);
                    *outcome = Outcome::Failed;
                    return Ok(());
                }
            };
            let written = match &args.out {
                Some(dir) => {
                    let path = dir.join(format!("{}.{}", report.report_number, format.extension()));
                    if format == RenderFormat::Pdf {
                        if let Err(e) = paper::print_pdf(&text, &path) {
                            report_rejected(&position, &(&e).into(), json);
                            *outcome = Outcome::Failed;
                            return Ok(());
                        }
                    } else {
                        std::fs::write(&path, &text).map_err(|e| {
                            CliError::Io(format!("cannot write {}: {e}", path.display()))
                        })?;
                    }
                    Some(path)
                }
                None => None,
            };
            let key = if format == RenderFormat::Markdown {
                "markdown"
            } else {
                "html"
            };
            match (json, written) {
                (true, written) => rendered.push(serde_json::json!({
                    "position": position.to_string(),
                    "report_number": report.report_number,
                    "file": written.map(|p| p.display().to_string()),
                    key: if args.out.is_none() { Some(&text) } else { None },
                })),
                (false, Some(path)) => println!("{}", path.display()),
                (false, None) => print!("{text}"),
            }
            Ok(())
        },
    )?;
    if json {
        crate::print_json(&rendered)?;
    }
    Ok(outcome)
}

/// The options of `hedui check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// Report files: one report JSON each, or JSON lines of reports (`.jsonl`)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The trusted signing keys, a JSON array of {"key_id", "public_key"}: each report must
    /// then be signed by one of them
    #[arg(long, value_name = "FILE")]
    pub keyring: Option<PathBuf>,
    /// Check a printed copy instead: FILE holds the text read from its QR code (for example by
    /// `zbarimg --raw`), and the report files are the archive the paper is checked against
    #[arg(long, value_name = "FILE")]
    pub printed: Option<PathBuf>,
}

/// What `hedui check` found for one report.
#[derive(Debug, serde::Serialize)]
struct Checked {
    position: String,
    report_number: String,
    digest_ok: bool,
    /// `None` without a keyring.
    signature: Option<SignatureResult>,
}

#[derive(Debug, serde::Serialize)]
struct SignatureResult {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

/// `hedui check --printed`: the paper's QR payload against the archived report with its
/// number among the report files (operation `report_check_printed`, R10). [`Outcome::Ok`]
/// only when the paper matches; a report file that cannot be read is reported with its
/// position and the search goes on.
fn check_printed(
    args: &CheckArgs,
    printed: &Path,
    keyring: ReportKeyring,
    json: bool,
) -> Result<Outcome, CliError> {
    let payload_text = crate::read_text(printed)?;
    let payload = hedui_core::paper::PrintedPayload::parse(&payload_text)
        .map_err(|e| CliError::from(Failure::Core(e.into())))?;
    let mut archived: Option<Report> = None;
    let mut read_outcome = Outcome::Ok;
    for_each_report(&args.files, json, &mut read_outcome, |_, report, _| {
        if archived.is_none() && report.report_number == payload.report {
            archived = Some(report);
        }
        Ok(())
    })?;
    let check = paper::report_check_printed(&payload_text, archived.as_ref(), &keyring)?;
    if json {
        let mut answer = paper::check_json(check);
        if let Some(map) = answer.as_object_mut() {
            map.insert("report_number".to_owned(), payload.report.clone().into());
        }
        crate::print_json(&answer)?;
    } else {
        println!("{}  {}", payload.report, check.code());
    }
    Ok(if check.code() == "printed_matches" {
        Outcome::Ok
    } else {
        Outcome::Failed
    })
}

fn check_one(report: &Report, keyring: Option<&ReportKeyring>) -> (bool, Option<SignatureResult>) {
    let digest_ok = report::report_verify_digest(report);
    let signature = keyring.map(|k| match security::report_keyring_verify(k, report) {
        Ok(v) => SignatureResult {
            ok: true,
            key_id: Some(v.key_id),
            code: None,
            message: None,
        },
        Err(e) => SignatureResult {
            ok: false,
            key_id: None,
            code: Some(e.code()),
            message: Some(e.to_string()),
        },
    });
    (digest_ok, signature)
}

/// Runs `hedui check`: each report's SHA-256 digest against its content (operation
/// `report_verify_digest`) and, with `--keyring`, its Ed25519 signature (operation
/// `report_keyring_verify`). [`Outcome::Failed`] when any report fails or cannot be read.
///
/// # Errors
/// [`CliError::Io`] for a file that cannot be read, the keyring's own error for a bad
/// keyring.
pub fn check(args: &CheckArgs, json: bool) -> Result<Outcome, CliError> {
    let keyring = match &args.keyring {
        Some(p) => Some(security::report_keyring_new_json(&crate::read_text(p)?)?),
        None => None,
    };
    if let Some(printed) = &args.printed {
        return check_printed(args, printed, keyring.unwrap_or_default(), json);
    }
    let mut outcome = Outcome::Ok;
    let mut results = Vec::new();
    for_each_report(
        &args.files,
        json,
        &mut outcome,
        |position, report, outcome| {
            let (digest_ok, signature) = check_one(&report, keyring.as_ref());
            if !digest_ok || signature.as_ref().is_some_and(|s| !s.ok) {
                *outcome = Outcome::Failed;
            }
            if !json {
                let digest = if digest_ok {
                    "digest ok"
                } else {
                    "digest MISMATCH"
                };
                let signature = match &signature {
                    None => "signature not checked (no --keyring)".to_owned(),
                    Some(SignatureResult {
                        ok: true, key_id, ..
                    }) => format!("signature ok (key {})", key_id.as_deref().unwrap_or("")),
                    Some(s) => format!(
                        "signature FAILED error[{}]: {}",
                        s.code.unwrap_or_default(),
                        s.message.as_deref().unwrap_or_default()
                    ),
                };
                println!(
                    "{position}  {}  {digest}  {signature}",
                    report.report_number
                );
            }
            results.push(Checked {
                position: position.to_string(),
                report_number: report.report_number.clone(),
                digest_ok,
                signature,
            });
            Ok(())
        },
    )?;
    if json {
        crate::print_json(&results)?;
    }
    Ok(outcome)
}
