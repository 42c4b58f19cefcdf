//! The report on paper: `report_render_html`, `report_check_printed`, and printing the HTML to
//! PDF with headless Chromium ([`print_pdf`]).
//!
//! Printing is the one step that leaves the process: the HTML goes to a temporary file and
//! Chromium (Debian's `chromium`, or the browser named by `HEDUI_CHROMIUM`) prints it with its
//! own print engine, which lays out the CSS paged media the HTML asks for (A4, page numbers
//! and the QR code in the page margins). Without a browser the call fails with
//! `pdf_printer_missing` and says how to install one.

use std::path::{Path, PathBuf};
use std::process::Command;

use hedui_core::Report;
use hedui_core::paper::{PrintedCheck, PrintedPayload, check_printed, render_html};
use hedui_core::security::{MaskPolicy, ReportKeyring};
use serde::Deserialize;

use crate::failure::Failure;
use crate::json;

/// The environment variable naming the browser to print with (a path or a command name).
pub const CHROMIUM_ENV: &str = "HEDUI_CHROMIUM";

/// What to install when no browser is found (Debian and Ubuntu).
pub const INSTALL_HINT: &str = "apt-get install chromium fonts-noto-cjk";

/// The browser commands looked for on `PATH`, in order, when `HEDUI_CHROMIUM` is not set.
const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Operation `report_render_html`: the report as a self-contained, printable HTML document in
/// the official layout, as `policy` lets its reader see it ([`render_html`]).
///
/// # Errors
/// `printed_code_too_long` when the report's QR payload does not fit in a QR code;
/// `printed_payload_invalid` when its issue time cannot be written.
pub fn report_render_html(report: &Report, policy: &MaskPolicy) -> Result<String, Failure> {
    render_html(report, policy).map_err(|e| Failure::Core(e.into()))
}

/// [`report_render_html`] on a report's JSON, and a mask policy's JSON (`None`: the report as
/// issued, [`MaskPolicy::FULL`]).
///
/// # Errors
/// `input_json` when `report_json` is not a report or `policy_json` not a mask policy; as
/// [`report_render_html`].
pub fn report_render_html_json(
    report_json: &str,
    policy_json: Option<&str>,
) -> Result<String, Failure> {
    let report = crate::report::parse_report(report_json)?;
    let policy = match policy_json {
        Some(text) => json::parse("mask_policy", text)?,
        None => MaskPolicy::FULL,
    };
    report_render_html(&report, &policy)
}

/// Operation `report_check_printed`: whether a printed copy matches the archive, from the text
/// of its QR code ([`check_printed`]).
///
/// # Errors
/// `printed_payload_invalid` when `payload` is not a `hedui-printed-v1` payload.
pub fn report_check_printed(
    payload: &str,
    archived: Option<&Report>,
    keyring: &ReportKeyring,
) -> Result<PrintedCheck, Failure> {
    let payload = PrintedPayload::parse(payload).map_err(|e| Failure::Core(e.into()))?;
    Ok(check_printed(&payload, archived, keyring))
}

/// The request of `report_check_printed_json`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckPrintedRequest {
    /// The text read from the QR code.
    payload: String,
    /// The archived report with the payload's report number, if the caller has it.
    #[serde(default)]
    archived: Option<Report>,
    /// The trusted keys (none when absent).
    #[serde(default)]
    keyring: Option<ReportKeyring>,
}

/// [`report_check_printed`] on a request
/// `{"payload": "<QR text>", "archived": <report>?, "keyring": <keyring>?}`; the answer is
/// `{"outcome": "matches", "signed": true, "code": "printed_matches"}` (outcomes
/// `unknown_report`, `digest_differs`, `issue_time_differs`, `signature_invalid`).
///
/// # Errors
/// `input_json` when the request does not parse; as [`report_check_printed`].
pub fn report_check_printed_json(request_json: &str) -> Result<String, Failure> {
    let request: CheckPrintedRequest = json::parse("check_printed_request", request_json)?;
    let keyring = request.keyring.unwrap_or_default();
    let check = report_check_printed(&request.payload, request.archived.as_ref(), &keyring)?;
    Ok(check_json(check).to_string())
}

/// A check's answer as JSON: the outcome (and `signed`) with its stable code.
pub fn check_json(check: PrintedCheck) -> serde_json::Value {
    let mut value = serde_json::to_value(check).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        map.insert("code".to_owned(), check.code().into());
    }
    value
}

/// The browser to print with: `HEDUI_CHROMIUM` when set, else the first of `chromium`,
/// `chromium-browser`, `google-chrome`, `google-chrome-stable` found on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(named) = std::env::var_os(CHROMIUM_ENV).filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        return if named.components().count() > 1 {
            named.is_file().then_some(named)
        } else {
            on_path(&named)
        };
    }
    BROWSERS.iter().find_map(|b| on_path(Path::new(b)))
}

fn on_path(command: &Path) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(command))
        .find(|p| p.is_file())
}

/// The browser [`print_pdf`] will use.
///
/// # Errors
/// `pdf_printer_missing` (with the install hint) when there is none: a run that prints many
/// reports fails before it starts.
pub fn require_chromium() -> Result<PathBuf, Failure> {
    find_chromium().ok_or_else(missing)
}

fn missing() -> Failure {
    Failure::Printer {
        code: crate::failure::codes::PDF_PRINTER_MISSING,
        message: format!(
            "no Chromium to print the PDF with: install it (`{INSTALL_HINT}`) or name the browser in {CHROMIUM_ENV}"
        ),
    }
}

/// Prints `html` to the PDF file `pdf` with headless Chromium (A4 and margins as the HTML's
/// `@page` rule says; no browser header or footer). The browser runs with `--no-sandbox`, as
/// it must under root in a container, in a fresh profile directory that is removed afterwards.
///
/// # Errors
/// `pdf_printer_missing` (with the install hint) when no browser is found;
/// `pdf_print_failed` when the browser cannot be started, fails, or writes no PDF.
pub fn print_pdf(html: &str, pdf: &Path) -> Result<(), Failure> {
    print_with(find_chromium(), html, pdf)
}

/// [`print_pdf`] with the browser found (or not).
fn print_with(browser: Option<PathBuf>, html: &str, pdf: &Path) -> Result<(), Failure> {
    let browser = browser.ok_or_else(missing)?;
    let failed = |message: String| Failure::Printer {
        code: crate::failure::codes::PDF_PRINT_FAILED,
        message,
    };
    let work = tempfile::Builder::new()
        .prefix("hedui-print-")
        .tempdir()
        .map_err(|e| failed(format!("cannot make a temporary directory: {e}")))?;
    let page = work.path().join("report.html");
    std::fs::write(&page, html).map_err(|e| failed(format!("cannot write the page: {e}")))?;
    let target = std::path::absolute(pdf)
        .map_err(|e| failed(format!("cannot resolve `{}`: {e}", pdf.display())))?;
    let _ = std::fs::remove_file(&target);
    let output = Command::new(&browser)
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--disable-extensions")
        .arg("--no-pdf-header-footer")
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(&page)
        .output()
        .map_err(|e| failed(format!("cannot start `{}`: {e}", browser.display())))?;
    let written = std::fs::metadata(&target).is_ok_and(|m| m.len() > 0);
    if !output.status.success() || !written {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(failed(format!(
            "`{}` did not print `{}` ({}): {last}",
            browser.display(),
            target.display(),
            output.status
        )));
    }
    Ok(())
}

/// Operation `report_render_pdf`: the report's HTML ([`report_render_html`]) printed to the
/// PDF file `pdf` ([`print_pdf`]).
///
/// # Errors
/// As [`report_render_html`] and [`print_pdf`].
pub fn report_render_pdf(report: &Report, policy: &MaskPolicy, pdf: &Path) -> Result<(), Failure> {
    print_pdf(&report_render_html(report, policy)?, pdf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_printed_json_answers_with_a_code() {
        let rb = hedui_core::Rulebook::default();
        let at = time::macros::datetime!(2026-11-29 10:00 +08:00);
        let report = (0..50)
            .find_map(|i| {
                hedui_core::verify(&hedui_core::sample::sample_case(3, i, &rb).case, &rb, at).ok()
            })
            .unwrap();
        let payload = PrintedPayload::of(&report).unwrap().text().unwrap();
        let request = serde_json::json!({"payload": payload, "archived": report});
        let answer: serde_json::Value =
            serde_json::from_str(&report_check_printed_json(&request.to_string()).unwrap())
                .unwrap();
        assert_eq!(
            answer,
            serde_json::json!({"outcome": "matches", "signed": false, "code": "printed_matches"})
        );
        let alone = serde_json::json!({"payload": payload});
        let answer: serde_json::Value =
            serde_json::from_str(&report_check_printed_json(&alone.to_string()).unwrap()).unwrap();
        assert_eq!(answer["code"], "printed_unknown_report");
        let bad = serde_json::json!({"payload": "BG-1"});
        assert_eq!(
            report_check_printed_json(&bad.to_string())
                .unwrap_err()
                .code(),
            "printed_payload_invalid"
        );
        assert_eq!(
            report_check_printed_json("[]").unwrap_err().code(),
            "input_array_for_object"
        );
        assert_eq!(
            report_check_printed_json("{").unwrap_err().code(),
            "input_json"
        );
        let html = report_render_html_json(&serde_json::to_string(&report).unwrap(), None).unwrap();
        assert!(html.contains(&report.statement));
        assert_eq!(
            report_render_html_json("{}", None).unwrap_err().code(),
            "input_json"
        );
    }

    #[test]
    fn a_missing_browser_is_named_with_the_install_hint() {
        let e = print_with(None, "<p>x</p>", Path::new("hedui-never.pdf")).unwrap_err();
        assert!(!Path::new("hedui-never.pdf").exists());
        assert_eq!(e.code(), "pdf_printer_missing");
        assert!(e.to_string().contains(INSTALL_HINT), "{e}");
    }
}
