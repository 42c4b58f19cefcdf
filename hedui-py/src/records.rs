//! `reports_to_records`: reports flattened to one row per finding (member × category), ready
//! for `pandas.DataFrame(rows)`. Each report is read back into the core's `Report` type, so a
//! dict that is not a report raises `InputError`.

use hedui_core::{
    Error, Programme, Purpose, Relation, Report, error::InputError, report::QueryStatus,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::convert::{self, Builder};
use crate::errors::{self, guard};
use crate::topy;

/// Declares the row once: the `Row` struct, which `topy` turns into a dict with its fields as
/// keys in order, and [`COLUMNS`], the same field names.
macro_rules! record_row {
    ($($(#[doc = $doc:literal])* $column:ident: $ty:ty,)+) => {
        /// One row of `reports_to_records`: one finding (member × category) of a report.
        #[derive(Serialize)]
        struct Row<'a> {
            $($(#[doc = $doc])* $column: $ty,)+
        }

        /// Column names, in order: the fields of [`Row`].
        pub(crate) const COLUMNS: &[&str] = &[$(stringify!($column)),+];
    };
}

record_row! {
    /// The report's number.
    report_number: &'a str,
    /// The case.
    case_id: &'a str,
    /// The household.
    household_id: &'a str,
    /// The programme's JSON name (`minimum_living_allowance`).
    programme: Programme,
    /// The purpose's JSON name.
    purpose: Purpose,
    /// The verification agency.
    agency_id: &'a str,
    /// The issue time, RFC 3339.
    issued_at: &'a str,
    /// The category's JSON name.
    category: &'static str,
    /// The category's Chinese label.
    category_zh: &'static str,
    /// The member's masked resident ID.
    member: &'a str,
    /// The member's name, `None` when the member is not in the report's member list.
    member_name: Option<&'a str>,
    /// The member's relation to the applicant.
    relation: Option<Relation>,
    /// The finding's status.
    status: QueryStatus,
    /// Its Chinese label.
    status_zh: &'static str,
    /// The level that answered (or was asked).
    level: Option<&'static str>,
    /// The feedback deadline, `YYYY-MM-DD`.
    deadline: Option<String>,
    /// When the answer came, RFC 3339.
    responded_at: Option<String>,
    /// How many facts came back.
    facts: usize,
    /// The sum of the facts' main money figures (not exempt).
    amount_fen: Option<i128>,
    /// The sum of the exempt income.
    exempt_fen: Option<i128>,
    /// The rulebook version the report was made under.
    rulebook_version: &'a str,
}

fn rows_of<'py>(builder: &Builder<'py>, report: &Report, out: &Bound<'py, PyList>) -> PyResult<()> {
    let h = &report.header;
    let issued_at = h.issued_at.format(&Rfc3339).unwrap_or_default();
    for f in &report.findings {
        let member = report
            .members
            .iter()
            .find(|m| m.id_masked.as_str() == &*f.member);
        let (amount_fen, exempt_fen) = f.money_sums();
        let row = Row {
            report_number: &report.report_number,
            case_id: &h.case_id,
            household_id: &h.household_id,
            programme: h.programme,
            purpose: h.purpose,
            agency_id: &h.agency_id,
            issued_at: &issued_at,
            category: f.category.as_str(),
            category_zh: f.category.label_zh(),
            member: &f.member,
            member_name: member.map(|m| m.name.as_str()),
            relation: member.map(|m| m.relation),
            status: f.status,
            status_zh: f.status.label_zh(),
            level: f.level.map(|l| l.as_str()),
            deadline: f.deadline.map(|d| d.to_string()),
            responded_at: f.responded_at.and_then(|t| t.format(&Rfc3339).ok()),
            facts: f.facts.len(),
            amount_fen,
            exempt_fen,
            rulebook_version: &h.rulebook_version,
        };
        out.append(topy::to_py(builder, &row)?)?;
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
        let builder = Builder::new(py);
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
            rows_of(&builder, &report, &out)?;
        }
        Ok(out)
    })
}
