//! `reports_to_records`: reports flattened to one row per finding (member × category), ready
//! for `pandas.DataFrame(rows)`. Each report is read back into the core's `Report` type, so a
//! dict that is not a report raises `InputError`.

use hedui_core::{Error, Fact, Report, error::InputError, report::Finding};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use time::format_description::well_known::Rfc3339;

use crate::convert;
use crate::errors::{self, guard};

/// Column names, in order.
pub(crate) const COLUMNS: [&str; 21] = [
    "report_number",
    "case_id",
    "household_id",
    "programme",
    "purpose",
    "agency_id",
    "issued_at",
    "category",
    "category_zh",
    "member",
    "member_name",
    "relation",
    "status",
    "status_zh",
    "level",
    "deadline",
    "responded_at",
    "facts",
    "amount_fen",
    "exempt_fen",
    "rulebook_version",
];

/// The enum's JSON name (`"minimum_living_allowance"`), as the report dict writes it.
fn name_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The main money figure of each fact kind, and whether it is exempt income.
fn money(fact: &Fact) -> Option<(i64, bool)> {
    match fact {
        Fact::Deposit { balance_fen, .. } => balance_fen.map(|b| (b, false)),
        Fact::Securities {
            market_value_fen, ..
        } => Some((*market_value_fen, false)),
        Fact::InsurancePolicy { cash_value_fen, .. } => Some((*cash_value_fen, false)),
        Fact::ProvidentFund { balance_fen, .. } => Some((*balance_fen, false)),
        Fact::Business {
            registered_capital_fen,
            ..
        } => registered_capital_fen.map(|c| (c, false)),
        Fact::Income {
            amount_fen, exempt, ..
        } => Some((*amount_fen, *exempt)),
        _ => None,
    }
}

fn sums(finding: &Finding) -> (Option<i128>, Option<i128>) {
    let mut amount: Option<i128> = None;
    let mut exempt: Option<i128> = None;
    for (value, is_exempt) in finding.facts.iter().filter_map(money) {
        let slot = if is_exempt { &mut exempt } else { &mut amount };
        *slot = Some(slot.unwrap_or(0) + i128::from(value));
    }
    (amount, exempt)
}

fn rows_of<'py>(py: Python<'py>, report: &Report, out: &Bound<'py, PyList>) -> PyResult<()> {
    let h = &report.header;
    let issued_at = h.issued_at.format(&Rfc3339).unwrap_or_default();
    let programme = name_of(&h.programme);
    let purpose = name_of(&h.purpose);
    for f in &report.findings {
        let member = report
            .members
            .iter()
            .find(|m| m.id_masked.as_str() == &*f.member);
        let (amount, exempt) = sums(f);
        let row = PyDict::new(py);
        row.set_item("report_number", &report.report_number)?;
        row.set_item("case_id", &h.case_id)?;
        row.set_item("household_id", &h.household_id)?;
        row.set_item("programme", &programme)?;
        row.set_item("purpose", &purpose)?;
        row.set_item("agency_id", &h.agency_id)?;
        row.set_item("issued_at", &issued_at)?;
        row.set_item("category", f.category.as_str())?;
        row.set_item("category_zh", f.category.label_zh())?;
        row.set_item("member", &*f.member)?;
        row.set_item("member_name", member.map(|m| m.name.as_str()))?;
        row.set_item("relation", member.map(|m| name_of(&m.relation)))?;
        row.set_item("status", name_of(&f.status))?;
        row.set_item("status_zh", f.status.label_zh())?;
        row.set_item("level", f.level.map(|l| l.as_str()))?;
        row.set_item("deadline", f.deadline.map(|d| d.to_string()))?;
        row.set_item(
            "responded_at",
            f.responded_at.and_then(|t| t.format(&Rfc3339).ok()),
        )?;
        row.set_item("facts", f.facts.len())?;
        row.set_item("amount_fen", amount)?;
        row.set_item("exempt_fen", exempt)?;
        row.set_item("rulebook_version", &h.rulebook_version)?;
        out.append(row)?;
    }
    Ok(())
}

/// Reports as flat rows for `pandas.DataFrame(rows)`: one row per finding (member ×
/// category), columns `RECORD_COLUMNS`.
///
/// Besides the report, household and finding identifiers, the status (and its Chinese label)
/// and the answering level, each row has `facts` (how many facts came back), `amount_fen`
/// (the sum of the facts' main money figures: deposit and provident fund balances, securities
/// value, insurance cash value, registered capital, counted income) and `exempt_fen` (exempt
/// income); both `None` when no fact carries an amount. Amounts are all facts as returned: the
/// report's `aggregates` hold the totals over the income window.
///
/// Raises:
///     InputError: an item that is not a report (`input_json`), or `reports` not an iterable.
#[pyfunction]
pub(crate) fn reports_to_records<'py>(
    py: Python<'py>,
    reports: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    guard(py, || {
        let not_iterable = || {
            errors::input(
                py,
                errors::INPUT_ARGUMENT,
                "`reports` must be an iterable of report dicts",
            )
        };
        if reports.is_instance_of::<PyDict>() || reports.is_instance_of::<pyo3::types::PyString>() {
            return Err(not_iterable());
        }
        let iter = reports.try_iter().map_err(|_| not_iterable())?;
        let out = PyList::empty(py);
        for (i, item) in iter.enumerate() {
            let item = item?;
            let text = convert::to_json(&item, "report")?;
            let report: Report = serde_json::from_str(&text).map_err(|e| {
                let message = format!("item {} of `reports`: {e}", i + 1);
                errors::core_error(
                    py,
                    &Error::Input(InputError::Json {
                        document: "report",
                        message,
                        path: None,
                    }),
                )
            })?;
            rows_of(py, &report, &out)?;
        }
        Ok(out)
    })
}
