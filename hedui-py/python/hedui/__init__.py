"""hedui: household economic-status verification (居民家庭经济状况核对) for analysts.

The rules live in the Rust library ``hedui-core``; this package hands it plain Python data in
the JSON shapes of the core's serde types (dicts, lists, str, int, bool, None; dates as ISO
text or ``datetime.date``; instants as RFC 3339 text or aware ``datetime``) and hands back
the same. Every error is a :class:`HeduiError` (a ``ValueError``) whose ``.code`` is the core's
stable code and whose class names the area.

>>> import hedui
>>> case = hedui.sample_cases(1)[0]
>>> report = hedui.verify(case, as_of="2026-11-29T10:00:00+08:00")
>>> hedui.verify_report_digest(report)
True
"""

from hedui._hedui import (
    RECORD_COLUMNS,
    AuditChain,
    AuthorizationError,
    BatchResult,
    EmergencyLedger,
    EntrustmentError,
    HeduiError,
    InputError,
    PopulationError,
    Rulebook,
    SecurityError,
    VerificationError,
    __version__,
    check_authorization,
    check_password,
    check_permission,
    coverage,
    error_catalog,
    mask_report,
    recheck_schedule,
    render_report,
    reports_to_records,
    sample_cases,
    sign_report,
    trusted_key,
    verify,
    verify_batch,
    verify_json,
    verify_report_digest,
    verify_report_signature,
)

__all__ = [
    "RECORD_COLUMNS",
    "AuditChain",
    "AuthorizationError",
    "BatchResult",
    "EmergencyLedger",
    "EntrustmentError",
    "HeduiError",
    "InputError",
    "PopulationError",
    "Rulebook",
    "SecurityError",
    "VerificationError",
    "__version__",
    "check_authorization",
    "check_password",
    "check_permission",
    "coverage",
    "error_catalog",
    "mask_report",
    "recheck_schedule",
    "render_report",
    "reports_to_records",
    "sample_cases",
    "sign_report",
    "trusted_key",
    "verify",
    "verify_batch",
    "verify_json",
    "verify_report_digest",
    "verify_report_signature",
]
