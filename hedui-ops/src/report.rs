//! Working with a report already issued: `report_render_markdown`, `report_verify_digest`,
//! `report_check_use`.

use hedui_core::report::ReportUse;
use hedui_core::sharing::SharingAgreement;
use hedui_core::{Report, Rulebook, render_markdown};
use serde::{Deserialize, Serialize};

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

/// The request of `report_check_use`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportCheckUseRequest {
    /// The report, as issued.
    pub report: Report,
    /// The intended use: `unit_code`, `purpose`, `programme`.
    #[serde(rename = "use")]
    pub intended: ReportUse,
    /// The sharing agreements whose `use_scope` applies; absent: the rulebook's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreements: Option<Vec<SharingAgreement>>,
}

/// The answer of `report_check_use` when the use is allowed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UseAllowed {
    /// Always `true`: a use that is not allowed is an error with its code.
    pub allowed: bool,
    /// The report number.
    pub report: String,
}

/// Operation `report_check_use`: whether a report may serve an intended use (R3, N §二(一):
/// the entrusting unit, the entrusted purpose; N §一(三): another purpose or programme only
/// where every sharing agreement behind its data lists the programme in its `use_scope`).
///
/// # Errors
/// `report_use_other_unit` for another unit, `report_use_outside_scope` for a use the
/// agreements do not cover.
pub fn report_check_use(
    rulebook: &Rulebook,
    request: &ReportCheckUseRequest,
) -> Result<UseAllowed, Failure> {
    let agreements = request
        .agreements
        .as_deref()
        .unwrap_or(&rulebook.agreements);
    request
        .report
        .check_use(&request.intended, agreements)
        .map_err(|e| Failure::Core(e.into()))?;
    Ok(UseAllowed {
        allowed: true,
        report: request.report.report_number.clone(),
    })
}

/// [`report_check_use`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ReportCheckUseRequest`], else as
/// [`report_check_use`].
pub fn report_check_use_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "report use request",
        request_json,
        |r: ReportCheckUseRequest| report_check_use(rulebook, &r),
    )
}
