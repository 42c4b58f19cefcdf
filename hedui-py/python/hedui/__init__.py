"""hedui: household economic-status verification (居民家庭经济状况核对) for analysts.

The rules live in the Rust library ``hedui-core``; this package hands it plain Python data in
the JSON shapes of the core's serde types (dicts, lists, str, int, bool, None; dates as ISO
text or ``datetime.date``; instants as RFC 3339 text or aware ``datetime``) and hands back
the same. Batches can also come out as Arrow tables (``verify_batch(..., output="arrow")``,
:func:`verify_arrow` for Arrow input) that pyarrow, polars and DuckDB read through the Arrow
PyCapsule interface; :mod:`hedui.spark` runs them on Apache Spark. Every error is a :class:`HeduiError` (a ``ValueError``) whose ``.code`` is the core's
stable code and whose class names the area.

Each function is an operation of ``hedui-ops`` under the one name it has in every binding
(C ``hedui_<name>_json``, uniffi ``<name>_json``); the names this package had before are kept
as deprecated aliases that warn (``DeprecationWarning``). The identifier helpers
:func:`check_resident_id` / :func:`check_credit_code` (and the column versions
:func:`check_resident_ids` / :func:`check_credit_codes`, into Arrow tables) give the verdict of
operation ``id_check`` with the error code in place of an exception.

>>> import hedui
>>> case = hedui.sample_cases(1)[0]
>>> report = hedui.verify(case, as_of="2026-11-29T10:00:00+08:00")
>>> hedui.report_verify_digest(report)
True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from hedui._hedui import (
    ArgumentTypeError,
    ArrowBatchResult,
    ArrowTable,
    AuditChain,
    AuditKeyring,
    AuthorizationError,
    BatchResult,
    EmergencyLedger,
    EntrustmentError,
    HeduiError,
    InputError,
    PopulationError,
    RECORD_COLUMNS,
    ReportKeyring,
    ReportSigner,
    Rulebook,
    SecurityError,
    VerificationError,
    __version__,
    account_activate,
    account_login,
    account_login_unknown,
    account_register,
    account_set_password,
    appeal_file,
    archive_check,
    audit_head_open,
    audit_head_sign,
    authorization_check,
    check_credit_code,
    check_credit_codes,
    check_resident_id,
    check_resident_ids,
    coverage_audit,
    document_open,
    document_seal,
    error_catalog,
    id_check,
    lending_detect,
    password_check,
    permission_check,
    query_plan,
    recheck_schedule,
    relief_close,
    relief_follow_ups,
    relief_record,
    report_history_record,
    report_check_printed,
    report_check_use,
    report_mask,
    report_render_html,
    report_render_markdown,
    report_render_pdf,
    report_sign,
    report_verify_digest,
    report_verify_signature,
    reports_to_records,
    sample_cases,
    signing_key_trust,
    verify,
    verify_arrow,
    verify_batch,
    verify_json,
)
from hedui.stream import BatchChunk, iter_verify_batch
from hedui.types import CoverageReport
from hedui.tables import (
    CasesFromTables,
    cases_from_tables,
    cases_to_tables,
    read_tables,
    table_layout,
    write_excel,
)

if TYPE_CHECKING:
    from hedui._hedui import _DateLike, _Document


def _deprecated(old: str, new: str) -> None:
    warnings.warn(
        f"hedui.{old} is deprecated, use hedui.{new} (the operation's name in every binding)",
        DeprecationWarning,
        stacklevel=3,
    )


def check_authorization(
    authorization: _Document,
    household: _Document,
    on: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> list[dict[str, Any]]:
    """Deprecated alias: the ``defects`` of :func:`authorization_check`."""
    _deprecated("check_authorization", "authorization_check")
    defects: list[dict[str, Any]] = authorization_check(authorization, household, on, rulebook)[
        "defects"
    ]
    return defects


def coverage(
    applications: Union[Sequence[_Document], str, bytes],
    verifications: Union[Sequence[_Document], str, bytes],
    jurisdiction: Union[Sequence[str], str, bytes],
    queryable: Optional[Union[Sequence[str], str, bytes]] = None,
    rulebook: Optional[Rulebook] = None,
) -> CoverageReport:
    """Deprecated alias of :func:`coverage_audit`."""
    _deprecated("coverage", "coverage_audit")
    return coverage_audit(applications, verifications, jurisdiction, queryable, rulebook)


def render_report(report: _Document) -> str:
    """Deprecated alias of :func:`report_render_markdown`."""
    _deprecated("render_report", "report_render_markdown")
    return report_render_markdown(report)


def verify_report_digest(report: _Document) -> bool:
    """Deprecated alias of :func:`report_verify_digest`."""
    _deprecated("verify_report_digest", "report_verify_digest")
    return report_verify_digest(report)


def check_password(
    password: str,
    account: str,
    resident_id: str,
    rulebook: Optional[Rulebook] = None,
) -> list[dict[str, Any]]:
    """Deprecated alias: the ``weaknesses`` of :func:`password_check`."""
    _deprecated("check_password", "password_check")
    weaknesses: list[dict[str, Any]] = password_check(password, account, resident_id, rulebook)[
        "weaknesses"
    ]
    return weaknesses


def check_permission(
    role: str,
    action: str,
    category: Optional[str] = None,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]:
    """Deprecated alias of :func:`permission_check`."""
    _deprecated("check_permission", "permission_check")
    return permission_check(role, action, category, permissions)


def mask_report(
    report: _Document,
    role: str,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]:
    """Deprecated alias of :func:`report_mask`."""
    _deprecated("mask_report", "report_mask")
    return report_mask(report, role, permissions)


def sign_report(
    report: _Document,
    key_id: str,
    seed: Union[bytes, bytearray, str],
) -> dict[str, Any]:
    """Deprecated alias of :func:`report_sign`."""
    _deprecated("sign_report", "report_sign")
    return report_sign(report, key_id, seed)


def trusted_key(key_id: str, seed: Union[bytes, bytearray, str]) -> dict[str, Any]:
    """Deprecated alias of :func:`signing_key_trust`."""
    _deprecated("trusted_key", "signing_key_trust")
    return signing_key_trust(key_id, seed)


def verify_report_signature(
    report: _Document,
    trusted_keys: Union[Sequence[_Document], str, bytes],
) -> bool:
    """Deprecated alias: ``True`` when :func:`report_verify_signature` passes (it raises
    otherwise)."""
    _deprecated("verify_report_signature", "report_verify_signature")
    report_verify_signature(report, trusted_keys)
    return True


__all__ = [
    "ArgumentTypeError",
    "ArrowBatchResult",
    "ArrowTable",
    "AuditChain",
    "AuditKeyring",
    "AuthorizationError",
    "BatchChunk",
    "BatchResult",
    "CasesFromTables",
    "EmergencyLedger",
    "EntrustmentError",
    "HeduiError",
    "InputError",
    "PopulationError",
    "RECORD_COLUMNS",
    "ReportKeyring",
    "ReportSigner",
    "Rulebook",
    "SecurityError",
    "VerificationError",
    "__version__",
    "account_activate",
    "account_login",
    "account_login_unknown",
    "account_register",
    "account_set_password",
    "appeal_file",
    "archive_check",
    "audit_head_open",
    "audit_head_sign",
    "authorization_check",
    "cases_from_tables",
    "cases_to_tables",
    "check_authorization",
    "check_password",
    "check_permission",
    "check_credit_code",
    "check_credit_codes",
    "check_resident_id",
    "check_resident_ids",
    "coverage",
    "coverage_audit",
    "document_open",
    "document_seal",
    "error_catalog",
    "id_check",
    "iter_verify_batch",
    "lending_detect",
    "mask_report",
    "password_check",
    "permission_check",
    "query_plan",
    "read_tables",
    "recheck_schedule",
    "relief_close",
    "relief_follow_ups",
    "relief_record",
    "render_report",
    "report_history_record",
    "report_check_printed",
    "report_check_use",
    "report_mask",
    "report_render_html",
    "report_render_markdown",
    "report_render_pdf",
    "report_sign",
    "report_verify_digest",
    "report_verify_signature",
    "reports_to_records",
    "sample_cases",
    "sign_report",
    "signing_key_trust",
    "table_layout",
    "trusted_key",
    "verify",
    "verify_arrow",
    "verify_batch",
    "verify_json",
    "verify_report_digest",
    "verify_report_signature",
    "write_excel",
]
