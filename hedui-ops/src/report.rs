//! Working with a report already issued: `report_render_markdown`, `report_verify_digest`.

use hedui_core::{Report, render_markdown};

use crate::failure::Failure;
use crate::json;

/// Reads a report document.
///
/// # Errors
/// `input_json` when `report_json` is not a report.
pub fn parse_report(report_json: &str) -> Result<Report, Failure> {
    json::parse("report", report_json)
}

/// Operation `report_render_markdown`: the report as Chinese Markdown for printing 打印版.
pub fn report_render_markdown(report: &Report) -> String {
    render_markdown(report)
}

/// [`report_render_markdown`] on a report's JSON.
///
/// # Errors
/// `input_json` when `report_json` is not a report.
pub fn report_render_markdown_json(report_json: &str) -> Result<String, Failure> {
    Ok(render_markdown(&parse_report(report_json)?))
}

/// Operation `report_verify_digest`: whether the recorded SHA-256 digest matches the
/// report's canonical form (false after any change or without an integrity block).
pub fn report_verify_digest(report: &Report) -> bool {
    report.verify_digest()
}

/// [`report_verify_digest`] on a report's JSON.
///
/// # Errors
/// `input_json` when `report_json` is not a report.
pub fn report_verify_digest_json(report_json: &str) -> Result<bool, Failure> {
    Ok(parse_report(report_json)?.verify_digest())
}
