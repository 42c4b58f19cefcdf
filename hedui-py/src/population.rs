//! The population rules: R5 coverage audit, R8 recheck schedule and batches, and the R4
//! emergency-relief ledger 先行救助、再行核对, each through the typed operation of `hedui-ops`
//! (`coverage_audit`, `recheck_schedule`, `relief_record`, `relief_close`,
//! `relief_follow_ups`): Python values become the operation's request, its response becomes
//! Python values.

use std::sync::{Mutex, MutexGuard};

use hedui_core::{
    Report,
    population::{AssistedHousehold, ReliefGrant, ReliefLedger},
};
use hedui_ops::population as ops;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyType};

use crate::convert;
use crate::errors::{self, guard};
use crate::rulebook::{self, Book};
use crate::security::{keyring_arg, keyring_of};
use crate::topy::value as to_py;

/// Operation `coverage_audit`: R5 coverage 全量、全域、全网 of a jurisdiction's new applications
/// (N §二(一)).
///
/// Args:
///     applications: application dicts in the JSON shape of the core's `Application`
///         (`id`, `household_id`, `region`, `applied_on`, `programme`, `kind`, `members`).
///     verifications: verification record dicts in the shape of `VerificationRecord`
///         (`household_id`, `number`, `verified_on`, `members`, `queried`, `region`).
///     jurisdiction: the region codes (GB/T 2260 text) of the audited jurisdiction.
///     queryable: the categories that count for 全网; `None` for every category that some
///         level can query under the rulebook's agreements (availability `shared`).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     The `CoverageReport` dict: `applications`, `new_applications`, the ratios
///     `households`, `members`, `regions`, `categories` (each `{covered, total}`),
///     `categories_offline_only`, `gaps` (each with its `reason`) and `issues` (records left
///     out: `input`, 0-based `position`, `code`, `message`).
///
/// Raises:
///     InputError: a document that cannot be read (`input_json`) or a bad `rulebook`.
#[pyfunction]
#[pyo3(signature = (applications, verifications, jurisdiction, queryable=None, rulebook=None))]
pub(crate) fn coverage_audit<'py>(
    py: Python<'py>,
    applications: &Bound<'py, PyAny>,
    verifications: &Bound<'py, PyAny>,
    jurisdiction: &Bound<'py, PyAny>,
    queryable: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        // every member's resident ID under the rulebook's identifier rules, today
        let day = hedui_ops::args::today_beijing();
        let today = Some(day);
        let request = ops::CoverageAuditRequest {
            applications: convert::document_under(applications, "applications", &rb, today)?,
            verifications: convert::document_under(verifications, "verifications", &rb, today)?,
            jurisdiction: convert::document(jurisdiction, "jurisdiction")?,
            queryable: convert::opt_document(queryable, "queryable")?,
        };
        let report = py
            .detach(|| errors::catch(|| ops::coverage_audit(&rb, &request, day)))
            .map_err(|m| errors::internal_from(py, &m))?
            .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &report)
    })
}

/// Operation `recheck_schedule`: the R8 recheck schedule of a caseload as of a date, with its
/// batches (N §二(一) 定期复核).
///
/// Args:
///     households: assisted household dicts in the JSON shape of the core's
///         `AssistedHousehold` (`household_id`, `programme`, `household_type`, `last_checked`,
///         `authorization_signed_on`, `agency_id`, `events`).
///     as_of: the date, a `datetime.date` or ISO `YYYY-MM-DD` text (an aware `datetime`
///         counts by its Beijing date).
///     rulebook: a `Rulebook`; `None` for the built-in one. Its `recheck` intervals set the
///         due dates and its `recheck_batches` options cut the batches.
///
/// Returns:
///     The operation's response, the same in C and uniffi: `as_of`, `entries` (one
///     `ScheduledRecheck` per household scheduled, in input order; `position` is the 0-based
///     index in `households`), `issues` (records left out), `batches` (the `BatchPlan`:
///     `as_of`, `through`, `batches`, `awaiting_authorization`), then the schedule's summary
///     (the core's `RecheckSummary`): `due` and `overdue` (the entries due today or overdue,
///     and overdue), `awaiting_authorization` (entries whose authorization lapsed),
///     `next_due_on` (ISO text, or `None`), `counts_by_programme` (every programme).
///
/// Raises:
///     InputError: a document (`input_json`) or `as_of` (`invalid_date`, `input_argument`)
///         that cannot be read.
///     PopulationError: the rulebook's batch size is 0 (`recheck_batch_size_zero`).
#[pyfunction]
#[pyo3(signature = (households, as_of, rulebook=None))]
pub(crate) fn recheck_schedule<'py>(
    py: Python<'py>,
    households: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let households: Vec<AssistedHousehold> = convert::document(households, "households")?;
        let as_of = convert::date(as_of, "as_of")?;
        let plan =
            ops::recheck_schedule(&rb, &households, as_of).map_err(|f| errors::failure(py, &f))?;
        to_py(py, &plan)
    })
}

/// A relief ledger argument: its dict or JSON text (as `to_json` writes it), an
/// `EmergencyLedger`, or `None` for a new one; every entry is checked.
fn ledger_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<ReliefLedger> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(ReliefLedger::new());
    };
    if let Ok(ledger) = obj.cast::<EmergencyLedger>() {
        return Ok(ledger.get().lock().clone());
    }
    let text = convert::to_json(obj, "relief ledger")?;
    ops::parse_ledger(Some(&text)).map_err(|f| errors::failure(obj.py(), &f))
}

/// Operation `relief_record` (R4 先行救助、再行核对): records relief given to an emergency case
/// before its verification in a ledger the caller keeps; the follow-up is due
/// `deadlines.relief_followup_working_days` working days later on the rulebook's calendar.
///
/// Args:
///     ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`, which is not
///         changed); `None` for a new one.
///     grant: a dict in the JSON shape of the core's `ReliefGrant` (`case_id`,
///         `household_id`, `relieved_on`, `amount_fen`, `reason`, `emergency`).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `reference` (`{case_id}-{n}`) and `ledger`, the whole new ledger.
///
/// Raises:
///     InputError: `ledger` or `grant` cannot be read (`input_json`).
///     PopulationError: not an emergency (`relief_not_emergency`), an amount of 0 fen or
///         less, an empty id.
#[pyfunction]
#[pyo3(signature = (ledger, grant, rulebook=None))]
pub(crate) fn relief_record<'py>(
    py: Python<'py>,
    ledger: Option<&Bound<'py, PyAny>>,
    grant: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let ledger = ledger_arg(ledger)?;
        let grant: ReliefGrant = convert::document(grant, "relief grant")?;
        let recorded =
            ops::relief_record(&rb, ledger, grant).map_err(|f| errors::failure(py, &f))?;
        to_py(py, &recorded)
    })
}

/// Operation `relief_close` (R4): closes the follow-up of relief `reference` in a ledger the
/// caller keeps, with the follow-up verification's sealed report, completed on `closed_on`.
///
/// Args:
///     ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`, not changed).
///     reference: the relief reference `relief_record` returned.
///     report: the follow-up report dict (purpose `emergency_follow_up`, naming the relief
///         reference, its digest intact).
///     closed_on: a `datetime.date` or ISO `YYYY-MM-DD` text.
///     keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
///         no key.
///     rulebook: a `Rulebook`; `None` for the built-in one. Under its
///         `security.signed_evidence` (the default) the report must be signed by a key of
///         `keyring`.
///
/// Returns:
///     A dict: `entry`, the closed `ReliefEntry`, and `ledger`, the whole new ledger.
///
/// Raises:
///     InputError: `ledger`, `report`, `closed_on` or `keyring` cannot be read.
///     SecurityError: the report is unsigned (`evidence_unsigned`), signed by a key not in
///         the keyring (`evidence_unknown_key`) or its signature does not verify for its
///         content (`evidence_bad_signature`).
///     PopulationError: the report does not verify or names no relief, an unknown or
///         already closed reference, the wrong purpose, household or relief, a closing
///         date before the relief.
#[pyfunction]
#[pyo3(signature = (ledger, reference, report, closed_on, keyring=None, rulebook=None))]
pub(crate) fn relief_close<'py>(
    py: Python<'py>,
    ledger: &Bound<'py, PyAny>,
    reference: &Bound<'py, PyAny>,
    report: &Bound<'py, PyAny>,
    closed_on: &Bound<'py, PyAny>,
    keyring: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let keyring = keyring_arg(keyring)?;
        let ledger = ledger_arg(Some(ledger))?;
        let reference = convert::str_arg(reference, "reference")?;
        let report: Report = convert::document(report, "report")?;
        let closed_on = convert::date(closed_on, "closed_on")?;
        let closed = ops::relief_close(
            &rb,
            keyring_of(&keyring),
            ledger,
            &reference,
            &report,
            closed_on,
        )
        .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &closed)
    })
}

/// Operation `relief_follow_ups` (R4): where every follow-up of a ledger stands on `as_of`,
/// in working days on the rulebook's calendar.
///
/// Args:
///     ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`).
///     as_of: a `datetime.date` or ISO `YYYY-MM-DD` text.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     The `FollowUpReport` dict: `as_of` and the lists `open`, `overdue`, `closed`, each
///     item with the `entry` and its `state` (`open` with `working_days_left`, `overdue`
///     with `working_days`, `closed` with `late_working_days`).
///
/// Raises:
///     InputError: `ledger` or `as_of` cannot be read.
#[pyfunction]
#[pyo3(signature = (ledger, as_of, rulebook=None))]
pub(crate) fn relief_follow_ups<'py>(
    py: Python<'py>,
    ledger: &Bound<'py, PyAny>,
    as_of: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let ledger = ledger_arg(Some(ledger))?;
        let as_of = convert::date(as_of, "as_of")?;
        to_py(py, &ops::relief_follow_ups(&rb, &ledger, as_of))
    })
}

/// The emergency-relief ledger 先行救助、再行核对 (R4, N §二(一)): relief given before
/// verification, each with a follow-up verification due a number of working days later.
///
/// Safe to share between threads (an internal lock). Every method checks what the core
/// checks: only emergency cases, positive amounts, and a follow-up closed by a sealed report
/// of an emergency follow-up of that very relief for the household relieved.
#[pyclass(module = "hedui", name = "EmergencyLedger", frozen)]
#[derive(Debug)]
pub(crate) struct EmergencyLedger {
    ledger: Mutex<ReliefLedger>,
    rulebook: Book,
}

impl EmergencyLedger {
    fn lock(&self) -> MutexGuard<'_, ReliefLedger> {
        // a panic inside an operation is caught by `guard`; the operations work on a copy,
        // so the ledger behind the lock is only ever replaced whole
        self.ledger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl EmergencyLedger {
    /// An empty ledger. `rulebook` (`None` for the built-in one) gives the follow-up deadline
    /// (`deadlines.relief_followup_working_days`) and the working-day calendar.
    #[new]
    #[pyo3(signature = (rulebook=None))]
    fn new(py: Python<'_>, rulebook: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        guard(py, || {
            Ok(EmergencyLedger {
                ledger: Mutex::new(ReliefLedger::new()),
                rulebook: rulebook::resolve(rulebook)?,
            })
        })
    }

    /// Reads a ledger from its JSON text (as `to_json` writes it), checking every entry.
    ///
    /// Raises `InputError` (`input_json`) for malformed JSON, unknown fields or an entry that
    /// breaks a rule.
    #[classmethod]
    #[pyo3(signature = (text, rulebook=None))]
    fn from_json(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        rulebook: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        guard(py, || {
            let rulebook = rulebook::resolve(rulebook)?;
            let text = convert::to_json(text, "relief ledger")?;
            let ledger = ops::parse_ledger(Some(&text)).map_err(|f| errors::failure(py, &f))?;
            Ok(EmergencyLedger {
                ledger: Mutex::new(ledger),
                rulebook,
            })
        })
    }

    /// The ledger as pretty JSON text (feed it back to `EmergencyLedger.from_json`).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            let text = self.lock().to_json();
            Ok(text)
        })
    }

    /// Records relief given before verification and opens its follow-up (operation
    /// `relief_record` on this ledger).
    ///
    /// Args:
    ///     grant: a dict in the JSON shape of the core's `ReliefGrant` (`case_id`,
    ///         `household_id`, `relieved_on`, `amount_fen`, `reason`, `emergency`).
    ///
    /// Returns:
    ///     The relief reference `{case_id}-{n}`.
    ///
    /// Raises:
    ///     InputError: `grant` cannot be read.
    ///     PopulationError: not an emergency (`relief_not_emergency`), an amount of 0 fen or
    ///         less, an empty id.
    fn record(&self, py: Python<'_>, grant: &Bound<'_, PyAny>) -> PyResult<String> {
        guard(py, || {
            let grant: ReliefGrant = convert::document(grant, "relief grant")?;
            // no Python runs while the lock is held: another thread could take the
            // interpreter and wait on the lock
            let recorded = {
                let mut ledger = self.lock();
                ops::relief_record(&self.rulebook, ledger.clone(), grant).map(|r| {
                    *ledger = r.ledger;
                    r.reference
                })
            };
            recorded.map_err(|f| errors::failure(py, &f))
        })
    }

    /// Closes the follow-up of relief `reference` with the follow-up verification's sealed
    /// report, completed on `closed_on` (operation `relief_close` on this ledger).
    ///
    /// Args:
    ///     reference: the relief reference `record` returned.
    ///     report: the follow-up report dict (purpose `emergency_follow_up`, naming the relief
    ///         reference, its digest intact).
    ///     closed_on: a `datetime.date` or ISO `YYYY-MM-DD` text.
    ///     keyring: the `ReportKeyring` the report's signature is checked against; `None`
    ///         trusts no key. Under the ledger's rulebook's `security.signed_evidence` (the
    ///         default) the report must be signed by a key of `keyring`.
    ///
    /// Returns:
    ///     The closed entry (`ReliefEntry` dict).
    ///
    /// Raises:
    ///     InputError: `report`, `closed_on` or `keyring` cannot be read.
    ///     SecurityError: `evidence_unsigned`, `evidence_unknown_key`,
    ///         `evidence_bad_signature` as for `relief_close`.
    ///     PopulationError: the report does not verify or names no relief, an unknown or
    ///         already closed reference, the wrong purpose, household or relief, a closing
    ///         date before the relief.
    #[pyo3(signature = (reference, report, closed_on, keyring=None))]
    fn close<'py>(
        &self,
        py: Python<'py>,
        reference: &Bound<'py, PyAny>,
        report: &Bound<'py, PyAny>,
        closed_on: &Bound<'py, PyAny>,
        keyring: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let keyring = keyring_arg(keyring)?;
            let reference = convert::str_arg(reference, "reference")?;
            let report: Report = convert::document(report, "report")?;
            let closed_on = convert::date(closed_on, "closed_on")?;
            let closed = {
                let mut ledger = self.lock();
                ops::relief_close(
                    &self.rulebook,
                    keyring_of(&keyring),
                    ledger.clone(),
                    &reference,
                    &report,
                    closed_on,
                )
                .map(|c| {
                    *ledger = c.ledger;
                    c.entry
                })
            };
            to_py(py, &closed.map_err(|f| errors::failure(py, &f))?)
        })
    }

    /// Where every follow-up stands on `as_of` (a `datetime.date` or ISO text), in working
    /// days on the rulebook's calendar (operation `relief_follow_ups` on this ledger).
    ///
    /// Returns:
    ///     The `FollowUpReport` dict: `as_of` and the lists `open`, `overdue`, `closed`, each
    ///     item with the `entry` and its `state` (`open` with `working_days_left`, `overdue`
    ///     with `working_days`, `closed` with `late_working_days`).
    fn follow_ups<'py>(
        &self,
        py: Python<'py>,
        as_of: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let as_of = convert::date(as_of, "as_of")?;
            let ledger = self.lock().clone();
            to_py(py, &ops::relief_follow_ups(&self.rulebook, &ledger, as_of))
        })
    }

    /// The entries (`ReliefEntry` dicts), in the order recorded.
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guard(py, || {
            let entries = self.lock().entries().to_vec();
            Ok(to_py(py, &entries)?.cast_into::<PyList>()?)
        })
    }

    fn __len__(&self) -> usize {
        self.lock().entries().len()
    }

    fn __repr__(&self) -> String {
        format!("EmergencyLedger(entries={})", self.lock().entries().len())
    }
}
