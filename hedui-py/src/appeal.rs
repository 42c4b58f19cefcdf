//! Appeals (R9 申诉、复核申请): `appeal_file` and `report_history_record`, the typed operations
//! of `hedui-ops` with Python values in and out.

use hedui_ops::appeal as ops;
use pyo3::prelude::*;

use crate::convert;
use crate::errors::{self, guard};
use crate::rulebook;
use crate::security::{keyring_arg, keyring_of};
use crate::topy::value as to_py;

/// Files an appeal against a report (operation `appeal_file`, R9): the recheck request, an
/// entrustment request with purpose "appeal recheck" linked to the disputed report by number
/// and digest.
///
/// Args:
///     report: the disputed report dict, sealed as issued.
///     reason: the reason the assistance department explains to the agency.
///     filed_on: filing date, a `datetime.date` or ISO `YYYY-MM-DD` text.
///     keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
///         no key.
///     rulebook: a `Rulebook`; `None` for the built-in one. Under its
///         `security.signed_evidence` (the default) the report must be signed by a key of
///         `keyring` or of `trusted_keys`.
///     trusted_keys: trusted-key dicts (`key_id`, `public_key`) or their JSON text, trusted
///         besides `keyring` (the request's `trusted_keys` in the JSON operation).
///
/// Returns:
///     The `RecheckRequest` dict (`disputed_report`, `disputed_digest`, `household_id`,
///     `reason` trimmed, `filed_on`, ...).
///
/// Raises:
///     InputError: `report` (`input_json`), `reason`, `filed_on` or `keyring` cannot be read.
///     SecurityError: the report is unsigned (`evidence_unsigned`), signed by a key not in
///         the keyring (`evidence_unknown_key`) or its signature does not verify for its
///         content (`evidence_bad_signature`).
///     VerificationError: the report does not verify against its digest or the reason is
///         empty (`appeal_link`).
#[pyfunction]
#[pyo3(signature = (report, reason, filed_on, keyring=None, rulebook=None, trusted_keys=None))]
pub(crate) fn appeal_file<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    reason: &Bound<'py, PyAny>,
    filed_on: &Bound<'py, PyAny>,
    keyring: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
    trusted_keys: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let keyring = keyring_arg(keyring)?;
        let request = ops::AppealFileRequest {
            report: convert::document(report, "report")?,
            reason: convert::str_arg(reason, "reason")?,
            filed_on: convert::date(filed_on, "filed_on")?,
            trusted_keys: convert::opt_document(trusted_keys, "trusted keys")?.unwrap_or_default(),
        };
        let filed = ops::appeal_file(&rb, keyring_of(&keyring), &request)
            .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &filed)
    })
}

/// Records a report as the next round of its household's history (operation
/// `report_history_record`, R9, R10); an appeal recheck must link to a report in the history
/// with the same digest.
///
/// Args:
///     report: the report dict of the next round.
///     history: the history so far (the `history` dict an earlier call returned); `None` for
///         a new one for the report's household.
///     keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
///         no key.
///     rulebook: a `Rulebook`; `None` for the built-in one. Under its
///         `security.signed_evidence` (the default) the report must be signed by a key of
///         `keyring` or of `trusted_keys`.
///     trusted_keys: trusted-key dicts or their JSON text, as for `appeal_file`.
///
/// Returns:
///     A dict: `history`, with the new round, and `chain`, the rounds leading to the new
///     report through appeals, oldest first.
///
/// Raises:
///     InputError: `report`, `history` or `keyring` cannot be read (`input_json`).
///     SecurityError: `evidence_unsigned`, `evidence_unknown_key`, `evidence_bad_signature`
///         as for `appeal_file`.
///     VerificationError: the report does not verify, is for another household, is already
///         recorded, or disputes a report not in the history (`appeal_link`).
#[pyfunction]
#[pyo3(signature = (report, history=None, keyring=None, rulebook=None, trusted_keys=None))]
pub(crate) fn report_history_record<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    history: Option<&Bound<'py, PyAny>>,
    keyring: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
    trusted_keys: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let keyring = keyring_arg(keyring)?;
        let request = ops::ReportHistoryRecordRequest {
            report: convert::document(report, "report")?,
            history: convert::opt_document(history, "report history")?,
            trusted_keys: convert::opt_document(trusted_keys, "trusted keys")?.unwrap_or_default(),
        };
        let recorded = ops::report_history_record(&rb, keyring_of(&keyring), request)
            .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &recorded)
    })
}
