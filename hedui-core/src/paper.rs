//! The report on paper 纸质核对报告: a self-contained HTML document in the official layout,
//! ready to print on A4, with a QR code on every page that lets anyone holding the printed
//! copy check it against the archived report (R10 核对业务资料管理, N §二(三)).
//!
//! The HTML is deterministic, reads no file and no clock, and escapes every text of the
//! report. Like the Markdown ([`render_markdown`](crate::render_markdown)) it states facts
//! only and closes with the statement that it is not a determination (R3 只核对，不认定).
//!
//! The QR code carries a [`PrintedPayload`]: the report number, the issue time, the digest and,
//! where the report is signed, the signature with its key id. [`check_printed`] takes the
//! payload read from the paper and the archived report (or only the keyring) and answers with a
//! [`PrintedCheck`].
//!
//! ```
//! use hedui_core::paper::{PrintedCheck, PrintedPayload, check_printed};
//! use hedui_core::security::ReportKeyring;
//!
//! let read_from_paper = r#"{"v":"hedui-printed-v1","report":"BG-2026-0001","issued_at":"2026-10-09T10:00:00+08:00","digest":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"#;
//! let payload = PrintedPayload::parse(read_from_paper)?;
//! assert_eq!(payload.report, "BG-2026-0001");
//! // no archived report at hand and no signature on the paper: nothing to check it against
//! let answer = check_printed(&payload, None, &ReportKeyring::EMPTY);
//! assert_eq!(answer, PrintedCheck::UnknownReport);
//! assert_eq!(answer.code(), "printed_unknown_report");
//! assert_eq!(
//!     PrintedPayload::parse("BG-2026-0001").unwrap_err().code(),
//!     "printed_payload_invalid"
//! );
//! # Ok::<(), hedui_core::error::SecurityError>(())
//! ```

use std::collections::BTreeMap;

use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use qrcode::{EcLevel, QrCode};
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::category::DataCategory;
use crate::digest::{DigestSignature, Sha256Digest};
use crate::error::SecurityError;
use crate::fact::Fact;
use crate::render::{Money, area, at, facts_zh};
use crate::report::{Finding, QueryStatus, Report, ReportMember};
use crate::security::{MaskPolicy, ReportKeyring, Visibility};

/// Name of the printed-copy payload form a report's QR code carries.
///
/// `hedui-printed-v1`: one compact JSON object, fields in this order: `v` (this name),
/// `report` (the report number), `issued_at` (RFC 3339, as in the report), `digest` (the
/// SHA-256 of the report's canonical form, 64 lowercase hex characters) and, where the report
/// is signed, `signature` (`{"key_id": …, "signature": 128 hex characters}`, Ed25519 over the
/// digest, as in the report's integrity block).
pub const PRINTED_FORM: &str = "hedui-printed-v1";

/// What the QR code of a printed report carries ([`PRINTED_FORM`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PrintedPayload {
    /// The form, [`PRINTED_FORM`].
    pub v: String,
    /// Report number 报告编号.
    pub report: String,
    /// Issue time 出具时间.
    #[serde(
        serialize_with = "crate::wire::rfc3339",
        deserialize_with = "time::serde::rfc3339::deserialize"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub issued_at: OffsetDateTime,
    /// SHA-256 of the report's canonical form.
    pub digest: Sha256Digest,
    /// The report's signature over the digest, where the report is signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<DigestSignature>,
}

impl PrintedPayload {
    /// The payload of a sealed report; `None` for a report without an integrity block (it has
    /// no digest to print).
    pub fn of(report: &Report) -> Option<PrintedPayload> {
        let integrity = report.integrity.as_ref()?;
        Some(PrintedPayload {
            v: PRINTED_FORM.to_owned(),
            report: report.report_number.clone(),
            issued_at: report.header.issued_at,
            digest: integrity.digest,
            signature: integrity.signature.clone(),
        })
    }

    /// The payload as the QR code holds it: compact JSON.
    ///
    /// # Errors
    /// [`SecurityError::PrintedPayload`] when the issue time cannot be written in RFC 3339
    /// (an offset with seconds, a year outside 0–9999).
    pub fn text(&self) -> Result<String, SecurityError> {
        serde_json::to_string(self).map_err(|e| SecurityError::PrintedPayload {
            reason: e.to_string(),
        })
    }

    /// Reads the text of a QR code.
    ///
    /// # Errors
    /// [`SecurityError::PrintedPayload`] when the text is not a `hedui-printed-v1` payload.
    pub fn parse(text: &str) -> Result<PrintedPayload, SecurityError> {
        let payload: PrintedPayload =
            serde_json::from_str(text.trim()).map_err(|e| SecurityError::PrintedPayload {
                reason: crate::error::mask_resident_ids(&e.to_string()).into_owned(),
            })?;
        if payload.v != PRINTED_FORM {
            return Err(SecurityError::PrintedPayload {
                reason: format!("the form is `{}`", payload.v),
            });
        }
        Ok(payload)
    }
}

/// What a printed copy's QR code says when checked against the archive ([`check_printed`]).
/// Each outcome has a stable code ([`PrintedCheck::code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PrintedCheck {
    /// The paper's code names the archived report, its issue time and its digest, and the
    /// archived report's content still has that digest; `signed` when the signature on the
    /// paper verifies with a trusted key too. Without an archived report: the signature on the
    /// paper verifies with a trusted key (the paper's own text is then not compared with
    /// anything).
    Matches {
        /// The paper's signature verified with a key of the keyring.
        signed: bool,
    },
    /// No archived report with the paper's report number (none given, or another one), and no
    /// signature on the paper to check instead.
    UnknownReport,
    /// The paper's digest is not the archived report's, or the archived report no longer
    /// matches its own digest: the printed copy and the archive differ.
    DigestDiffers,
    /// The paper's issue time is not the archived report's.
    IssueTimeDiffers,
    /// The paper's signature does not verify with a trusted key (or names an unknown key), or
    /// the archived report is signed and the paper carries no signature.
    SignatureInvalid,
}

impl PrintedCheck {
    /// The stable code: `printed_matches`, `printed_unknown_report`, `printed_digest_differs`,
    /// `printed_issue_time_differs`, `printed_signature_invalid`.
    pub fn code(self) -> &'static str {
        match self {
            PrintedCheck::Matches { .. } => "printed_matches",
            PrintedCheck::UnknownReport => "printed_unknown_report",
            PrintedCheck::DigestDiffers => "printed_digest_differs",
            PrintedCheck::IssueTimeDiffers => "printed_issue_time_differs",
            PrintedCheck::SignatureInvalid => "printed_signature_invalid",
        }
    }
}

/// Checks a printed copy's QR payload against the archived report, or, with none, against the
/// keyring alone (R10: the printed, stamped report is the one filed with the case and argued
/// over in an appeal, N §二(三)).
///
/// The archived report is looked up by the caller (by the payload's report number); passing
/// another report gives [`PrintedCheck::UnknownReport`].
pub fn check_printed(
    payload: &PrintedPayload,
    archived: Option<&Report>,
    keyring: &ReportKeyring,
) -> PrintedCheck {
    let signature_ok = |sig: &DigestSignature| keyring.verify(&payload.digest, sig).is_ok();
    let Some(report) = archived.filter(|r| r.report_number == payload.report) else {
        return match &payload.signature {
            None => PrintedCheck::UnknownReport,
            Some(sig) if signature_ok(sig) => PrintedCheck::Matches { signed: true },
            Some(_) => PrintedCheck::SignatureInvalid,
        };
    };
    let Some(integrity) = report.integrity.as_ref() else {
        return PrintedCheck::DigestDiffers;
    };
    if integrity.digest != payload.digest || !report.verify_digest() {
        return PrintedCheck::DigestDiffers;
    }
    if report.header.issued_at != payload.issued_at {
        return PrintedCheck::IssueTimeDiffers;
    }
    match (&payload.signature, &integrity.signature) {
        (Some(sig), _) if signature_ok(sig) => PrintedCheck::Matches { signed: true },
        (Some(_), _) | (None, Some(_)) => PrintedCheck::SignatureInvalid,
        (None, None) => PrintedCheck::Matches { signed: false },
    }
}

/// The payload's QR code as an SVG document (black on white, four-module quiet zone, error
/// correction level M so a stamp or a fold over part of it still reads).
///
/// # Errors
/// [`SecurityError::PrintedCodeTooLong`] when the payload does not fit in a QR code;
/// [`SecurityError::PrintedPayload`] as [`PrintedPayload::text`].
pub fn qr_svg(payload: &PrintedPayload) -> Result<String, SecurityError> {
    let text = payload.text()?;
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| {
        SecurityError::PrintedCodeTooLong {
            report: payload.report.clone(),
            bytes: text.len(),
        }
    })?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("black"))
        .light_color(qrcode::render::svg::Color("white"))
        .build();
    // the XML declaration is not wanted inline in HTML nor in a data URL
    Ok(svg
        .find("<svg")
        .and_then(|i| svg.get(i..))
        .unwrap_or(&svg)
        .to_owned())
}

/// The print style sheet: A4 portrait, page numbers and the QR code in the page margins (on
/// every page), repeated table headers, rows never cut at a page edge, CJK fonts with
/// fallbacks.
const CSS: &str = r#"
@page {
  size: A4 portrait;
  margin: 31mm 14mm 14mm 14mm;
  @top-left { content: "居民家庭经济状况核对报告"; font-size: 8pt; color: #444; vertical-align: bottom; }
  @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; font-size: 9pt; }
}
html {
  font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "宋体",
    "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", serif;
  font-size: 9pt;
  line-height: 1.3;
  color: #000;
  -webkit-print-color-adjust: exact;
  print-color-adjust: exact;
}
body { margin: 0; }
h1 { font-size: 17pt; text-align: center; letter-spacing: 0.15em; margin: 0 0 3mm; }
h2 { font-size: 11.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h3 { font-size: 10pt; margin: 2.5mm 0 1mm; break-after: avoid; }
p, li { margin: 0.8mm 0; overflow-wrap: anywhere; }
ul { margin: 0; padding-left: 5mm; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 1mm 0 2mm; }
thead { display: table-header-group; }
tr, li, .keep { break-inside: avoid; }
th, td { border: 0.25mm solid #000; padding: 0.6mm 1.2mm; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; word-break: break-all; }
th { background: #e8e8e8; font-weight: bold; }
table.kv th { width: 22mm; }
table.matrix td, table.matrix th { text-align: center; font-size: 7pt; padding: 0.3mm 0.4mm; line-height: 1.2; }
table.matrix th.cat, table.matrix td.cat { text-align: left; width: 22mm; font-size: 8pt; }
table.matrix .id { font-size: 6.5pt; }
table.details { font-size: 8.5pt; }
table.details th.c { width: 20mm; }
table.details th.who { width: 38mm; }
table.details th.st { width: 17mm; }
table.details th.lv { width: 9mm; }
table.details th.t, table.details td.t { width: 23mm; white-space: nowrap; }
table.gaps { font-size: 8pt; }
table.gaps td.task { font-size: 7pt; }
td.s-no_record { color: #666; }
td.s-returned { font-weight: bold; }
td.s-gap { background: #f0f0f0; font-weight: bold; }
.id { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 8pt; }
.note { font-size: 8.5pt; }
.statement { border: 0.4mm solid #000; padding: 2mm 3mm; font-weight: bold; margin: 2mm 0; break-inside: avoid; }
.signatures { margin-top: 4mm; break-inside: avoid; }
.signatures td { border: none; height: 14mm; vertical-align: bottom; }
.seal { border: 0.25mm dashed #000 !important; width: 42mm; height: 42mm !important; text-align: center;
  vertical-align: middle !important; color: #666; }
.integrity { font-size: 8pt; overflow-wrap: anywhere; break-inside: avoid; }
.qr-inline { display: none; }
@media screen {
  body { max-width: 182mm; margin: 8mm auto; }
  .qr-inline { display: block; width: 32mm; height: 32mm; }
}
"#;

/// Renders the report as a self-contained, printable HTML document in the official layout, as
/// `policy` lets its reader see it ([`MaskPolicy::mask_report`]; amounts as `***` unless the
/// role sees them whole). [`MaskPolicy::FULL`] prints the report as issued (its IDs are held
/// masked already).
///
/// Layout: title block and numbers, units, period and times; the members; a category × member
/// status matrix; then only the categories with facts or gaps in detail; aggregates and declared
/// vs found; gaps and offline tasks; sharing gaps; limits of use and the not-a-determination
/// statement (R3); signature lines for the verifier and the reviewer and a place for the
/// agency's seal; the digest. The QR code ([`PrintedPayload`]) prints in the top margin of
/// every page, the page number "第 N 页 共 M 页" in the bottom margin.
///
/// # Errors
/// [`SecurityError::PrintedCodeTooLong`] when the report's payload does not fit in a QR code;
/// [`SecurityError::PrintedPayload`] when its issue time cannot be written in RFC 3339.
pub fn render_html(report: &Report, policy: &MaskPolicy) -> Result<String, SecurityError> {
    let qr = PrintedPayload::of(report).map(|p| qr_svg(&p)).transpose()?;
    let view = policy.mask_report(report);
    let money = Money {
        shown: policy.amounts == Visibility::Full,
    };
    Ok(document(&view, money, qr.as_deref()).into_string())
}

/// A CSS string literal holding `text`: every character but letters, digits, space and CJK
/// written as a CSS escape, so no text can end the string or the style sheet.
fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_alphanumeric() || c == ' ' || c == '-' || c == '_' {
            out.push(c);
        } else {
            out.push_str(&format!("\\{:x} ", u32::from(c)));
        }
    }
    out.push('"');
    out
}

/// The page-dependent part of the style sheet: the report number and the QR code in the top
/// margin of every page.
fn page_css(report: &Report, qr: Option<&str>) -> String {
    let mut css = format!(
        "@page {{ @top-center {{ content: {}; font-size: 8pt; color: #444; vertical-align: bottom; }}",
        css_string(&format!("报告编号 {}", report.report_number))
    );
    if let Some(svg) = qr {
        let data = base64::engine::general_purpose::STANDARD.encode(svg.as_bytes());
        css.push_str(&format!(
            " @top-right {{ content: url(\"data:image/svg+xml;base64,{data}\"); width: 26mm; height: 26mm; vertical-align: bottom; }}"
        ));
    }
    css.push_str(" }");
    css
}

fn document(report: &Report, m: Money, qr: Option<&str>) -> Markup {
    let h = &report.header;
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                title { "居民家庭经济状况核对报告 " (report.report_number) }
                style { (PreEscaped(CSS)) (PreEscaped(page_css(report, qr))) }
            }
            body {
                h1 { "居民家庭经济状况核对报告" }
                table.kv {
                    tbody {
                        tr { th { "报告编号" } td { (report.report_number) } th { "出具时间" } td { (at(h.issued_at)) } }
                        tr { th { "委托书编号" } td { (h.entrustment_number) } th { "授权书编号" } td { (h.authorization_number) } }
                        tr { th { "委托单位" } td colspan="3" { (h.entrusting_unit) "（" (h.entrusting_unit_code) "）" } }
                        tr { th { "核对机构" } td colspan="3" { (h.agency_name) "（" (h.agency_level.label_zh()) "）" } }
                        tr { th { "核对事由" } td { (h.purpose.label_zh()) } th { "救助项目" } td { (h.programme.label_zh()) } }
                        tr { th { "收入核对期" } td { (h.income_window_from) " 至 " (h.income_window_to) } th { "查询发起时间" } td { (at(h.queries_sent_at)) } }
                        tr { th { "核对前检查" } td { (h.precheck_officer) "，" (at(h.precheck_at)) } th { "规则版本" } td { (h.rulebook_version) } }
                        @if let Some(b) = &h.batch { tr { th { "核对批次" } td colspan="3" { (b) } } }
                        @if let Some(a) = &h.appeal {
                            tr { th { "申诉复核" } td colspan="3" { "原报告 " (a.disputed_report) "，复核原因：" (a.reason) } }
                        }
                        @if let Some(r) = &h.relief_reference {
                            tr { th { "临时救助记录" } td colspan="3" { (r) } }
                        }
                    }
                }
                (members(report))
                (matrix(report))
                (details(report, m))
                (aggregates(report, m))
                (gaps(report))
                (sharing_gaps(report))
                (closing(report, qr))
            }
        }
    }
}

fn members(report: &Report) -> Markup {
    html! {
        h2 { "一、家庭成员" }
        table {
            thead { tr { th { "姓名" } th style="width:42mm" { "身份证号" } th { "关系" } th { "年龄" } th { "性别" } th { "共同生活" } } }
            tbody {
                @for mem in &report.members {
                    tr {
                        td { (mem.name) }
                        td.id { (mem.id_masked) }
                        td { (mem.relation.label_zh()) }
                        td { (mem.age) }
                        td { (mem.sex.label_zh()) }
                        td { @if mem.co_resident { "是" } @else { "否" } }
                    }
                }
            }
        }
    }
}

/// The categories of the report's findings, in the order of [`DataCategory::ALL`].
fn categories(report: &Report) -> Vec<DataCategory> {
    DataCategory::ALL
        .into_iter()
        .filter(|c| report.findings.iter().any(|f| f.category == *c))
        .collect()
}

fn status_class(s: QueryStatus) -> &'static str {
    match s {
        QueryStatus::Returned => "s-returned",
        QueryStatus::NoRecord => "s-no_record",
        QueryStatus::OutsideScope => "s-outside",
        _ => "s-gap",
    }
}

/// Section 二 at a glance: one row per category, one column per member, the status in each
/// cell.
fn matrix(report: &Report) -> Markup {
    let cells: BTreeMap<(DataCategory, &str), &Finding> = report
        .findings
        .iter()
        .map(|f| ((f.category, &*f.member), f))
        .collect();
    html! {
        h2 { "二、分类核对情况" }
        p.note { "下表列出各数据类别对每位家庭成员的查询状态；有核对信息或未获查询结果的类别，其详细情况列于表后。" }
        table.matrix {
            thead {
                tr {
                    th.cat { "数据类别" }
                    @for mem in &report.members { th { (mem.name) br; span.id { (mem.id_masked) } } }
                }
            }
            tbody {
                @for c in categories(report) {
                    tr {
                        td.cat { (c.label_zh()) }
                        @for mem in &report.members {
                            @match cells.get(&(c, mem.id_masked.as_str())) {
                                Some(f) => { td class=(status_class(f.status)) { (f.status.label_zh()) @if !f.channel.is_department_query() { "（" (f.channel.label_zh()) "）" } } }
                                None => { td { "-" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn member_label<'a>(members: &'a [ReportMember], id: &str) -> Option<&'a str> {
    members
        .iter()
        .find(|m| m.id_masked == id)
        .map(|m| m.name.as_str())
}

/// One row of section 二 in detail: a finding with facts, or the members of one category
/// that share a status without an answer (one row for them all).
struct DetailRow<'a> {
    category: DataCategory,
    /// The findings of the row: one with facts, or several without.
    findings: Vec<(usize, &'a Finding)>,
}

/// The rows of section 二 in detail, in the order of the findings: only findings with facts
/// or without an answer (R7 gaps); gaps of one category with the same status and level are
/// one row.
fn detail_rows(report: &Report) -> Vec<DetailRow<'_>> {
    let mut rows: Vec<DetailRow<'_>> = Vec::new();
    for c in categories(report) {
        for (i, f) in report.findings.iter().enumerate() {
            if f.category != c || (f.facts.is_empty() && !f.status.needs_offline()) {
                continue;
            }
            let joins = f.facts.is_empty()
                && rows.last().is_some_and(|r| {
                    r.category == c
                        && r.findings.iter().all(|(_, g)| {
                            g.facts.is_empty() && g.status == f.status && g.level == f.level
                        })
                });
            match rows.last_mut() {
                Some(row) if joins => row.findings.push((i, f)),
                _ => rows.push(DetailRow {
                    category: c,
                    findings: vec![(i, f)],
                }),
            }
        }
    }
    rows
}

/// Section 二 in detail: one table of the categories with facts or gaps, a row per member
/// with facts, and one row for the members of a category without an answer.
fn details(report: &Report, m: Money) -> Markup {
    let quoted = |i: usize| {
        report
            .source_wording
            .iter()
            .any(|w| usize::try_from(w.finding).is_ok_and(|n| n == i))
    };
    let rows = detail_rows(report);
    html! {
        @if !rows.is_empty() {
            h3 { "有核对信息或未获查询结果的类别" }
            table.details {
                thead { tr { th.c { "数据类别" } th.who { "成员" } th.st { "状态" } th.lv { "层级" } th.t { "反馈时限" br; "反馈时间" } th { "核对信息" } } }
                tbody {
                    @for row in &rows {
                        @if let Some(&(i, f)) = row.findings.first() {
                        tr {
                            td { (row.category.label_zh()) }
                            td {
                                @for (k, (_, g)) in row.findings.iter().enumerate() {
                                    @if k > 0 { br; }
                                    @if let Some(n) = member_label(&report.members, &g.member) { (n) " " }
                                    span.id { (g.member) }
                                }
                            }
                            td {
                                (f.status.label_zh())
                                @if !f.channel.is_department_query() { "（" (f.channel.label_zh()) "）" }
                            }
                            td { (f.level.map_or("-", |l| l.label_zh())) }
                            td.t {
                                (f.deadline.map_or_else(|| "-".to_owned(), |d| d.to_string()))
                                @if f.deadline_estimated { "（估算）" }
                                @if row.findings.len() == 1 { br; (f.responded_at.map_or_else(|| "-".to_owned(), at)) }
                            }
                            td {
                                @let facts = facts_zh(&f.facts, m);
                                @if facts.is_empty() { "未获查询结果，见第四部分" }
                                @for (k, line) in facts.iter().enumerate() { @if k > 0 { br; } (line) }
                                @if quoted(i) { "（含部门原文，见下方说明）" }
                            }
                        }
                        }
                    }
                }
            }
        }
        (source_wording(report))
        (exempt_by_rule(report))
    }
}

fn source_wording(report: &Report) -> Markup {
    let lines: Vec<(String, &str)> = report
        .source_wording
        .iter()
        .filter_map(|w| {
            let f = usize::try_from(w.finding)
                .ok()
                .and_then(|i| report.findings.get(i))?;
            let text = usize::try_from(w.fact)
                .ok()
                .and_then(|i| f.facts.get(i))
                .and_then(|fact| fact.texts().find(|(name, _)| *name == w.field))
                .map(|(_, text)| text)?;
            Some((format!("{}（{}）", f.category.label_zh(), f.member), text))
        })
        .collect();
    html! {
        @if !lines.is_empty() {
            p.note { "说明：下列文字为数据提供部门反馈的原文，照录如下，不是本报告的结论；本报告不作是否符合救助条件的认定。" }
            ul.note { @for (who, text) in &lines { li { (who) "部门原文：“" (text) "”" } } }
        }
    }
}

fn exempt_by_rule(report: &Report) -> Markup {
    let mut lines: Vec<(u32, String)> = Vec::new();
    for e in &report.exempt_by_rule {
        let finding = usize::try_from(e.finding)
            .ok()
            .and_then(|i| report.findings.get(i));
        let item = finding
            .and_then(|f| usize::try_from(e.fact).ok().and_then(|i| f.facts.get(i)))
            .and_then(|fact| match fact {
                Fact::Income { item, .. } => Some(item.as_str()),
                _ => None,
            });
        if let (Some(f), Some(item)) = (finding, item) {
            let line = format!(
                "部门反馈计入家庭收入、按规定不计入的项目：{}（{}）{}（依据：{}）",
                f.category.label_zh(),
                f.member,
                item,
                e.source
            );
            if !lines.iter().any(|(n, l)| *n == e.finding && *l == line) {
                lines.push((e.finding, line));
            }
        }
    }
    html! {
        @if !lines.is_empty() { ul.note { @for (_, l) in &lines { li { (l) } } } }
    }
}

fn aggregates(report: &Report, m: Money) -> Markup {
    let a = &report.aggregates;
    let fa = &a.financial_assets;
    let inc = &a.income;
    let st = &a.status_records;
    html! {
        h2 { "三、汇总情况" }
        ul {
            li { "金融资产合计 " (m.yuan(fa.total_fen)) " 元（存款 " (m.yuan(fa.deposits_fen)) " 元，证券/理财 " (m.yuan(fa.securities_fen)) " 元，商业保险现金价值 " (m.yuan(fa.insurance_cash_value_fen)) " 元）；仅反馈超限额情况的存款 " (fa.deposits_over_limit) " 笔" }
            li { "住房公积金余额 " (m.yuan(fa.provident_fund_fen)) " 元" }
            li { "不动产 " (a.real_estate.count) " 处（住宅 " (a.real_estate.residential) " 处），合计 " (area(a.real_estate.total_area_m2_x100)) " 平方米" }
            li { "车辆 " (a.vehicles.count) " 辆（营运车辆 " (a.vehicles.commercial) " 辆）" }
            li { "市场主体 " (a.businesses.count) " 户，注册资本合计 " (m.yuan(a.businesses.registered_capital_fen)) " 元" }
            li {
                "核对期（" (inc.window_from) " 至 " (inc.window_to) "，" (inc.months) " 个月）家庭收入："
                @for t in &inc.by_type { (t.income_type.label_zh()) " " (m.yuan(t.amount_fen)) " 元；" }
                "合计 " (m.yuan(inc.total_fen)) " 元；共同生活成员 " (inc.members_counted) " 人，月人均 " (m.yuan(inc.per_capita_monthly_fen)) " 元"
            }
            @if !inc.exempt.is_empty() {
                li {
                    "不计入家庭收入的项目（单列）："
                    @for (k, e) in inc.exempt.iter().enumerate() { @if k > 0 { "，" } (e.item) " " (m.yuan(e.amount_fen)) " 元" }
                    "，合计 " (m.yuan(inc.exempt_total_fen)) " 元"
                }
            }
            @if !st.imprisoned.is_empty() { li { "服刑记录：" (st.imprisoned.join("，")) } }
            @if !st.deceased.is_empty() { li { "死亡/火化记录：" (st.deceased.join("，")) } }
            @if !st.public_payroll.is_empty() { li { "财政供养记录：" (st.public_payroll.join("，")) } }
        }
        @if !a.differences.is_empty() {
            h3 { "申报与核对对比" }
            table {
                thead { tr { th { "申报项目" } th { "申报值" } th { "核对值" } th { "差额" } } }
                tbody {
                    @for d in &a.differences {
                        @let money = matches!(d.item, crate::report::DeclaredItem::FinancialAssetsFen | crate::report::DeclaredItem::IncomeFen);
                        @let fmt = |v: i64| if money { m.yuan(v) } else { v.to_string() };
                        tr { td { (d.item.label_zh()) } td { (fmt(d.declared)) } td { (fmt(d.found)) } td { (fmt(d.difference)) } }
                    }
                }
            }
        }
    }
}

fn gaps(report: &Report) -> Markup {
    html! {
        h2 { "四、未获查询结果的事项及线下调查任务" }
        @if report.gaps.is_empty() {
            p { "无。" }
        } @else {
            p { "以下事项由委托单位采用线下方式调查核实，线上线下结果相结合，不影响社会救助业务办理。" }
            table.gaps {
                thead { tr { th style="width:18mm" { "数据类别" } th style="width:22mm" { "原因" } th { "涉及成员" } th style="width:22mm" { "调查方式" } th style="width:42mm" { "任务编号" } th style="width:11mm" { "已有结果" } } }
                tbody {
                    @for g in &report.gaps {
                        tr {
                            td { (g.category.label_zh()) }
                            td { (g.reason.label_zh()) }
                            td.id { (g.members.join("，")) }
                            td { (g.task.methods.iter().map(|x| x.label_zh()).collect::<Vec<_>>().join("、")) }
                            td.task { (g.task.task_id) }
                            td { @if g.investigated { "是" } @else { "否" } }
                        }
                    }
                }
            }
        }
        @if !report.offline_results.is_empty() {
            h3 { "线下调查结果" }
            ul {
                @for o in &report.offline_results {
                    li {
                        (o.category.label_zh()) "（" (o.method.label_zh()) "，" (o.on) "）调查人：" (o.investigators.join("、"))
                        "；在场成员签字：" @if o.members_present.is_empty() { "-" } @else { (o.members_present.join("，")) }
                        "；" (o.summary) "；附件 " (o.attachment_digests.len()) " 份"
                    }
                }
            }
        }
    }
}

fn sharing_gaps(report: &Report) -> Markup {
    html! {
        @if !report.sharing_gaps.is_empty() {
            h2 { "五、数据共享缺口（供管理参考）" }
            ul {
                @for g in &report.sharing_gaps {
                    li {
                        (g.category.label_zh()) "：本级（" (g.own_level.label_zh()) "）"
                        (match g.own_availability {
                            crate::sharing::Availability::Shared => "已共享",
                            crate::sharing::Availability::NotShared => "未实现共享",
                            crate::sharing::Availability::NoMeans => "不具备查询条件",
                        })
                        "，由" (g.upper_level.label_zh()) "补充查询"
                    }
                }
            }
        }
    }
}

fn closing(report: &Report, qr: Option<&str>) -> Markup {
    html! {
        h2 { "使用说明" }
        p { (report.limits_of_use) }
        p.statement { (report.statement) }
        table.signatures {
            tbody {
                tr {
                    td { "核对人（签字）：" }
                    td { "日期：" }
                    td.seal rowspan="2" { "核对机构（盖章）" }
                }
                tr {
                    td { "复核人（签字）：" }
                    td { "日期：" }
                }
            }
        }
        @if let Some(i) = &report.integrity {
            div.integrity {
                p { "校验：" (i.canonical_form) " SHA-256 " (i.digest) }
                @if let Some(sig) = &i.signature { p { "签名：Ed25519 密钥 " (sig.key_id) } }
                p { "核验纸质报告：扫描页面右上角二维码，将其内容与存档报告比对（报告编号、出具时间、校验值及签名）。" }
                @if let Some(svg) = qr { div.qr-inline { (PreEscaped(svg)) } }
            }
        } @else {
            p.integrity { "本报告尚未生成校验值，无二维码。" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::{Rulebook, VERDICT_PHRASES};
    use crate::sample::sample_case;
    use crate::security::ReportSigner;
    use time::macros::datetime;

    const AS_OF: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

    /// The `n`th good sample report of seed 11 with at least `members` members.
    fn report(members: usize) -> Report {
        let rb = Rulebook::default();
        (0..400)
            .filter_map(|i| crate::verify::verify(&sample_case(11, i, &rb).case, &rb, AS_OF).ok())
            .find(|r| r.members.len() >= members)
            .unwrap()
    }

    /// Reads the QR code back from the SVG the renderer wrote: the path's `M x y h w v h H x
    /// V y` rectangles onto a grid, scaled up, then decoded by an independent decoder (rqrr).
    fn decode_svg(svg: &str) -> String {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut dark = vec![false; size * size];
        for rect in d.split('M').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = rect
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            let (x, y, w, h) = (nums[0], nums[1], nums[2], nums[3]);
            for yy in y..y + h {
                for xx in x..x + w {
                    dark[yy * size + xx] = true;
                }
            }
        }
        let scale = 6;
        let px = size * scale;
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| {
            if dark[(y / scale) * size + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn qr_code_decodes_to_the_exact_payload() {
        let mut r = report(1);
        let payload = PrintedPayload::of(&r).unwrap();
        assert_eq!(
            decode_svg(&qr_svg(&payload).unwrap()),
            payload.text().unwrap()
        );
        let signer = ReportSigner::from_seed("agency-2026", &[3u8; 32]).unwrap();
        signer.sign_report(&mut r).unwrap();
        let signed = PrintedPayload::of(&r).unwrap();
        assert!(signed.signature.is_some());
        let text = decode_svg(&qr_svg(&signed).unwrap());
        assert_eq!(text, signed.text().unwrap());
        assert_eq!(PrintedPayload::parse(&text).unwrap(), signed);
        assert!(text.contains(&r.integrity.as_ref().unwrap().digest.to_string()));
        // the code in the page margin is that same SVG
        let html = render_html(&r, &MaskPolicy::FULL).unwrap();
        let data = base64::engine::general_purpose::STANDARD.encode(qr_svg(&signed).unwrap());
        assert!(html.contains(&format!(
            "@top-right {{ content: url(\"data:image/svg+xml;base64,{data}\")"
        )));
    }

    #[test]
    fn every_text_is_escaped() {
        let mut r = report(1);
        let evil = "<script>alert(1)</script>";
        r.limits_of_use = format!("{evil}&");
        r.report_number = format!("\"</style>{evil}");
        r.header.precheck_officer = evil.to_owned();
        r.members[0].name = evil.to_owned();
        r.seal().unwrap();
        let html = render_html(&r, &MaskPolicy::FULL).unwrap();
        assert!(!html.to_lowercase().contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;"));
        // the report number in the style sheet is a CSS escape, it cannot end the style
        assert_eq!(html.matches("</style>").count(), 1);
        assert!(html.contains("\\22 \\3c \\2f style\\3e "));
    }

    #[test]
    fn html_is_deterministic_and_has_the_official_layout() {
        let r = report(6);
        let html = render_html(&r, &MaskPolicy::FULL).unwrap();
        assert_eq!(html, render_html(&r, &MaskPolicy::FULL).unwrap());
        for part in [
            "<!DOCTYPE html>",
            "size: A4 portrait",
            "content: \"第 \" counter(page) \" 页 共 \" counter(pages) \" 页\"",
            "thead { display: table-header-group; }",
            "break-inside: avoid",
            "\"Noto Serif CJK SC\", \"Source Han Serif SC\"",
            "报告编号",
            "委托书编号",
            "授权书编号",
            "委托单位",
            "核对机构",
            "收入核对期",
            "一、家庭成员",
            "二、分类核对情况",
            "三、汇总情况",
            "四、未获查询结果的事项及线下调查任务",
            "使用说明",
            "核对人（签字）",
            "复核人（签字）",
            "核对机构（盖章）",
            &r.limits_of_use,
            &r.statement,
            &r.integrity.as_ref().unwrap().digest.to_string(),
        ] {
            assert!(html.contains(part), "missing {part}");
        }
        for m in &r.members {
            assert!(html.contains(&m.id_masked) && html.contains(&m.name));
        }
        // R3: no verdict wording outside the statement
        let rest = html.replace(&r.statement, "");
        for w in VERDICT_PHRASES {
            assert!(!rest.contains(w), "`{w}`");
        }
        // one header time format everywhere (`YYYY-MM-DD HH:MM`)
        assert!(html.contains(&format!(
            "{}，{}",
            r.header.precheck_officer,
            at(r.header.precheck_at)
        )));
    }

    #[test]
    fn only_categories_with_facts_or_gaps_are_detailed() {
        let r = report(6);
        let html = render_html(&r, &MaskPolicy::FULL).unwrap();
        let mut detailed = 0;
        let mut quiet = 0;
        for c in categories(&r) {
            let heading = format!("<tr><td>{}</td>", c.label_zh());
            let has = r
                .findings
                .iter()
                .any(|f| f.category == c && (!f.facts.is_empty() || f.status.needs_offline()));
            assert_eq!(html.contains(&heading), has, "{c:?}");
            // every category has its row in the matrix
            assert!(html.contains(&format!("<td class=\"cat\">{}</td>", c.label_zh())));
            if has { detailed += 1 } else { quiet += 1 }
        }
        assert!(detailed > 0 && quiet > 0, "{detailed} {quiet}");
        // the matrix has one cell per category and member
        let matrix = html
            .split("<table class=\"matrix\">")
            .nth(1)
            .unwrap()
            .split("</table>")
            .next()
            .unwrap();
        assert_eq!(
            matrix.matches("<td class=\"s-").count() + matrix.matches("<td>-</td>").count(),
            categories(&r).len() * r.members.len()
        );
    }

    #[test]
    fn a_masked_view_prints_masked() {
        let r = report(2);
        let policy = MaskPolicy {
            resident_ids: Visibility::Masked,
            names: Visibility::Masked,
            amounts: Visibility::Masked,
            addresses: None,
            officers: None,
        };
        let html = render_html(&r, &policy).unwrap();
        for m in &r.members {
            assert!(!html.contains(&m.name), "{}", m.name);
        }
        assert!(html.contains("金融资产合计 *** 元"));
        assert!(!html.contains(&format!(
            "金融资产合计 {} 元",
            crate::yuan(r.aggregates.financial_assets.total_fen)
        )));
    }

    #[test]
    fn an_unsealed_report_prints_without_a_code() {
        let mut r = report(1);
        r.integrity = None;
        let html = render_html(&r, &MaskPolicy::FULL).unwrap();
        assert!(!html.contains("<svg") && !html.contains("@top-right"));
        assert!(html.contains("本报告尚未生成校验值"));
    }

    #[test]
    fn a_payload_too_long_for_a_code_is_an_error() {
        let mut r = report(1);
        // bytes, not digits: a run of digits packs into the code's numeric mode
        r.report_number = "x".repeat(3000);
        r.seal().unwrap();
        let Err(e) = render_html(&r, &MaskPolicy::FULL) else {
            panic!("a 3000-byte payload fits in no QR code");
        };
        assert_eq!(e.code(), "printed_code_too_long");
    }

    #[test]
    fn check_printed_answers_each_case() {
        let signer = ReportSigner::from_seed("agency-2026", &[3u8; 32]).unwrap();
        let mut keyring = ReportKeyring::default();
        keyring.add(signer.trusted_key()).unwrap();
        let unsigned = report(1);
        let p = PrintedPayload::of(&unsigned).unwrap();
        assert_eq!(
            check_printed(&p, Some(&unsigned), &keyring),
            PrintedCheck::Matches { signed: false }
        );
        assert_eq!(
            check_printed(&p, None, &keyring),
            PrintedCheck::UnknownReport
        );
        let mut other = unsigned.clone();
        other.report_number.push('X');
        other.seal().unwrap();
        assert_eq!(
            check_printed(&p, Some(&other), &keyring),
            PrintedCheck::UnknownReport
        );
        // the paper's digest is not the archive's
        let mut forged = p.clone();
        forged.digest = Sha256Digest::of(b"another report");
        assert_eq!(
            check_printed(&forged, Some(&unsigned), &keyring),
            PrintedCheck::DigestDiffers
        );
        // the archive was edited after sealing
        let mut edited = unsigned.clone();
        edited.limits_of_use.push('。');
        assert_eq!(
            check_printed(&p, Some(&edited), &keyring),
            PrintedCheck::DigestDiffers
        );
        let mut late = p.clone();
        late.issued_at += time::Duration::minutes(1);
        assert_eq!(
            check_printed(&late, Some(&unsigned), &keyring),
            PrintedCheck::IssueTimeDiffers
        );

        let mut signed = unsigned.clone();
        signer.sign_report(&mut signed).unwrap();
        let ps = PrintedPayload::of(&signed).unwrap();
        assert_eq!(
            check_printed(&ps, Some(&signed), &keyring),
            PrintedCheck::Matches { signed: true }
        );
        assert_eq!(
            check_printed(&ps, None, &keyring),
            PrintedCheck::Matches { signed: true }
        );
        // an untrusted key, a signature over another digest, a signature stripped off
        assert_eq!(
            check_printed(&ps, Some(&signed), &ReportKeyring::EMPTY),
            PrintedCheck::SignatureInvalid
        );
        assert_eq!(
            check_printed(&ps, None, &ReportKeyring::EMPTY),
            PrintedCheck::SignatureInvalid
        );
        let mut bad = ps.clone();
        bad.signature = Some(signer.sign(&Sha256Digest::of(b"x")));
        assert_eq!(
            check_printed(&bad, Some(&signed), &keyring),
            PrintedCheck::SignatureInvalid
        );
        let mut stripped = ps.clone();
        stripped.signature = None;
        assert_eq!(
            check_printed(&stripped, Some(&signed), &keyring),
            PrintedCheck::SignatureInvalid
        );
        let codes: Vec<&str> = [
            PrintedCheck::Matches { signed: true },
            PrintedCheck::UnknownReport,
            PrintedCheck::DigestDiffers,
            PrintedCheck::IssueTimeDiffers,
            PrintedCheck::SignatureInvalid,
        ]
        .iter()
        .map(|c| c.code())
        .collect();
        assert_eq!(
            codes,
            [
                "printed_matches",
                "printed_unknown_report",
                "printed_digest_differs",
                "printed_issue_time_differs",
                "printed_signature_invalid"
            ]
        );
    }

    #[test]
    fn payload_text_is_read_strictly() {
        let p = PrintedPayload::of(&report(1)).unwrap();
        let text = p.text().unwrap();
        assert!(text.starts_with("{\"v\":\"hedui-printed-v1\",\"report\":"));
        assert_eq!(PrintedPayload::parse(&text).unwrap(), p);
        for bad in [
            String::new(),
            "not json".to_owned(),
            text.replace("hedui-printed-v1", "hedui-printed-v9"),
            text.replace("\"report\"", "\"extra\":1,\"report\""),
            text.replace(&p.digest.to_string(), "00"),
        ] {
            assert_eq!(
                PrintedPayload::parse(&bad).unwrap_err().code(),
                "printed_payload_invalid",
                "{bad}"
            );
        }
    }
}
