"""Type stubs of the compiled module ``hedui._hedui`` (hand-written, checked by stubtest)."""

import datetime
import os
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Optional, TypedDict, Union, final, overload

__all__ = [
    "ArrowBatchResult",
    "ArrowTable",
    "AuditChain",
    "AuthorizationError",
    "BatchResult",
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
    "authorization_check",
    "check_credit_code",
    "check_credit_codes",
    "check_resident_id",
    "check_resident_ids",
    "coverage_audit",
    "error_catalog",
    "id_check",
    "lending_detect",
    "password_check",
    "permission_check",
    "query_plan",
    "recheck_schedule",
    "relief_close",
    "relief_follow_ups",
    "relief_record",
    "report_history_record",
    "report_mask",
    "report_render_markdown",
    "report_sign",
    "report_verify_digest",
    "report_verify_signature",
    "reports_to_records",
    "sample_cases",
    "signing_key_trust",
    "verify",
    "verify_arrow",
    "verify_batch",
    "verify_json",
]

__version__: str

#: Column names of the rows that ``reports_to_records`` returns, in order.
RECORD_COLUMNS: list[str]

#: A JSON document: a dict (the usual), or its JSON text as ``str`` / UTF-8 ``bytes``.
_Document = Union[dict[str, Any], str, bytes]
#: An instant: an aware ``datetime`` or RFC 3339 text such as ``"2026-11-29T10:00:00+08:00"``.
_Instant = Union[datetime.datetime, str]
#: A calendar date: ``datetime.date``, ISO ``"YYYY-MM-DD"`` text, or an aware ``datetime``.
_DateLike = Union[datetime.date, str]

class HeduiError(ValueError):
    """Base class of every hedui error."""

    code: str
    area: str
    detail: Optional[dict[str, Any]]

class InputError(HeduiError):
    """Malformed input: JSON shape, identifiers, argument types, unreadable files."""

class AuthorizationError(HeduiError):
    """R1 authorize-before-entrust: the authorization letter does not permit the verification."""

    defects: tuple[dict[str, Any], ...]

class EntrustmentError(HeduiError):
    """R1/R2: the entrustment letter or its pre-check does not allow the verification to start."""

class VerificationError(HeduiError):
    """Query results, offline investigation or report assembly failed (R3, R6, R7, R9)."""

class PopulationError(HeduiError):
    """Population rules: emergency ledger, coverage, recheck schedule (R4, R5, R8)."""

class SecurityError(HeduiError):
    """Records and security: audit chain, passwords, permissions (R10, R11)."""

@final
class Rulebook:
    """A rulebook: every number a rule uses, as one versioned, immutable document."""

    @staticmethod
    def default() -> Rulebook: ...
    @staticmethod
    def from_json(text: Union[str, bytes]) -> Rulebook: ...
    def to_json(self) -> str: ...
    @property
    def version(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class BatchResult:
    """The outcome of ``verify_batch``: reports and errors, both in input order."""

    @property
    def reports(self) -> list[dict[str, Any]]: ...
    @property
    def errors(self) -> list[dict[str, Any]]: ...

def error_catalog() -> list[dict[str, Any]]: ...
def verify(
    case: _Document,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
) -> dict[str, Any]: ...
def verify_json(
    case_json: _Document,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
) -> str: ...
@final
class ArrowTable:
    """One table of an ``ArrowBatchResult``, handed over through the Arrow PyCapsule interface:
    ``pyarrow.table(t)``, ``polars.DataFrame(t)`` and DuckDB read it without a copy."""

    @property
    def name(self) -> str: ...
    @property
    def num_rows(self) -> int: ...
    def __len__(self) -> int: ...
    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def to_pyarrow(self) -> Any: ...
    def to_pandas(self) -> Any: ...
    def to_polars(self) -> Any: ...

@final
class ArrowBatchResult:
    """The outcome of ``verify_batch(..., output="arrow")`` and ``verify_arrow``: five Arrow
    tables; every input is a report or a row of ``errors``."""

    SCHEMA_VERSION: int
    @property
    def reports(self) -> ArrowTable: ...
    @property
    def findings(self) -> ArrowTable: ...
    @property
    def differences(self) -> ArrowTable: ...
    @property
    def gaps(self) -> ArrowTable: ...
    @property
    def errors(self) -> ArrowTable: ...
    def tables(self) -> dict[str, ArrowTable]: ...

#: Cases for ``verify_batch``: an iterable of case documents, or a path to a JSONL file.
_Cases = Union[Iterable[_Document], str, bytes, os.PathLike[str], os.PathLike[bytes]]

@overload
def verify_batch(
    cases: _Cases,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
    *,
    output: Literal["dicts"] = "dicts",
    threads: Optional[int] = None,
) -> BatchResult: ...
@overload
def verify_batch(
    cases: _Cases,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
    *,
    output: Literal["arrow"],
    threads: Optional[int] = None,
) -> ArrowBatchResult: ...
def verify_arrow(
    data: object,
    case_column: str = "case",
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
    *,
    threads: Optional[int] = None,
    first_position: Optional[int] = None,
) -> ArrowBatchResult: ...
def authorization_check(
    authorization: _Document,
    household: _Document,
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def id_check(
    kind: str,
    value: str,
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...

class _IdVerdict(TypedDict):
    """The verdict on one identifier (``check_resident_id``, ``check_credit_code``)."""

    kind: Literal["resident_id", "credit_code"]
    #: normalised (18 characters, ``X`` upper case); ``None`` when invalid
    value: Optional[str]
    valid: bool
    #: the stable code of what is wrong (``id_resident_checksum``, ...); ``None`` when valid
    error: Optional[str]
    #: resident ID given as a first-generation 15-digit number
    legacy: Optional[bool]
    #: ``YYYY-MM-DD``
    birth_date: Optional[str]
    sex: Optional[Literal["male", "female"]]
    #: resident ID: address code; credit code: the registering authority's region code
    region: Optional[str]

def check_resident_id(
    value: str,
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> _IdVerdict:
    """Checks one resident ID (GB 11643-1999) without raising for an invalid one; with ``on``
    the rulebook's birth-date bounds apply too."""

def check_credit_code(value: str, rulebook: Optional[Rulebook] = None) -> _IdVerdict:
    """Checks one unified social credit code (GB 32100-2015) without raising for an invalid
    one."""

def check_resident_ids(
    values: Iterable[object],
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> ArrowTable:
    """Checks a column of resident IDs (list, pandas Series, Arrow array) into an Arrow table
    ``resident_ids``: value, valid, error, legacy, birth_date, sex, region; a row per value."""

def check_credit_codes(
    values: Iterable[object],
    rulebook: Optional[Rulebook] = None,
) -> ArrowTable:
    """Checks a column of credit codes into an Arrow table ``credit_codes`` (the columns of
    ``check_resident_ids``)."""

def query_plan(
    own_level: str,
    scope: Optional[Union[Sequence[str], str, bytes]] = None,
    agreements: Optional[Union[Sequence[_Document], str, bytes]] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def report_render_markdown(report: _Document) -> str: ...
def appeal_file(
    report: _Document,
    reason: str,
    filed_on: _DateLike,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
    trusted_keys: Union[Sequence[_Document], str, bytes, None] = None,
) -> dict[str, Any]: ...
def report_history_record(
    report: _Document,
    history: Optional[_Document] = None,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
    trusted_keys: Union[Sequence[_Document], str, bytes, None] = None,
) -> dict[str, Any]: ...
def report_verify_digest(report: _Document) -> bool: ...
def reports_to_records(reports: Iterable[_Document]) -> list[dict[str, Any]]: ...
@overload
def sample_cases(
    n: int,
    *,
    seed: Optional[int] = None,
    start: Optional[int] = None,
    with_expected: Literal[False, None] = None,
) -> list[dict[str, Any]]: ...
@overload
def sample_cases(
    n: int,
    *,
    seed: Optional[int] = None,
    start: Optional[int] = None,
    with_expected: Literal[True],
) -> list[tuple[dict[str, Any], Optional[str]]]: ...

def coverage_audit(
    applications: Union[Sequence[_Document], str, bytes],
    verifications: Union[Sequence[_Document], str, bytes],
    jurisdiction: Union[Sequence[str], str, bytes],
    queryable: Optional[Union[Sequence[str], str, bytes]] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def recheck_schedule(
    households: Union[Sequence[_Document], str, bytes],
    as_of: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
#: A relief ledger: its dict or JSON text, or an ``EmergencyLedger`` (not changed).
_Ledger = Union[_Document, EmergencyLedger]

def relief_record(
    ledger: Optional[_Ledger],
    grant: _Document,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def relief_close(
    ledger: _Ledger,
    reference: str,
    report: _Document,
    closed_on: _DateLike,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def relief_follow_ups(
    ledger: _Ledger,
    as_of: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
@final
class EmergencyLedger:
    """The emergency-relief ledger (R4): relief first, follow-up verification after."""

    def __new__(cls, rulebook: Optional[Rulebook] = None) -> EmergencyLedger: ...
    @classmethod
    def from_json(cls, text: Union[str, bytes], rulebook: Optional[Rulebook] = None) -> EmergencyLedger: ...
    def to_json(self) -> str: ...
    def record(self, grant: _Document) -> str: ...
    def close(
        self,
        reference: str,
        report: _Document,
        closed_on: _DateLike,
        keyring: Optional[ReportKeyring] = None,
    ) -> dict[str, Any]: ...
    def follow_ups(self, as_of: _DateLike) -> dict[str, Any]: ...
    def entries(self) -> list[dict[str, Any]]: ...
    def __len__(self) -> int: ...

@final
class AuditChain:
    """A tamper-evident HMAC-SHA256 audit chain (R11)."""

    def __new__(cls, key: Union[bytes, bytearray]) -> AuditChain: ...
    @classmethod
    def from_jsonl(cls, key: Union[bytes, bytearray], text: str) -> AuditChain: ...
    def append(self, event: _Document) -> dict[str, Any]: ...
    def verify(self, head: Optional[_Document] = None) -> None: ...
    def head(self) -> dict[str, Any]: ...
    def entries(self) -> list[dict[str, Any]]: ...
    def to_jsonl(self) -> str: ...
    def __len__(self) -> int: ...

def password_check(
    password: str,
    account: str,
    resident_id: str,
    rulebook: Optional[Rulebook] = None,
    name: Optional[str] = None,
) -> dict[str, Any]: ...
def permission_check(
    role: str,
    action: str,
    category: Optional[str] = None,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]: ...
def report_mask(
    report: _Document,
    role: str,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]: ...
def report_sign(report: _Document, key_id: str, seed_hex: Union[bytes, bytearray, str]) -> dict[str, Any]: ...
def signing_key_trust(key_id: str, seed_hex: Union[bytes, bytearray, str]) -> dict[str, Any]: ...
def report_verify_signature(
    report: _Document, trusted_keys: Union[Sequence[_Document], str, bytes]
) -> dict[str, Any]: ...
@final
class ReportSigner:
    """The agency's report signer (R11), loaded once from its 32-byte Ed25519 seed."""

    def __new__(cls, key_id: str, seed: Union[bytes, bytearray, str]) -> ReportSigner: ...
    @property
    def key_id(self) -> str: ...
    def sign(self, report: _Document) -> dict[str, Any]: ...
    def trusted_key(self) -> dict[str, Any]: ...

@final
class ReportKeyring:
    """A keyring of trusted report-signing keys (R11), loaded once."""

    def __new__(cls, trusted_keys: Union[Sequence[_Document], str, bytes]) -> ReportKeyring: ...
    def verify(self, report: _Document) -> dict[str, Any]: ...
    def key_ids(self) -> list[str]: ...
    def __len__(self) -> int: ...
def archive_check(
    archive: Union[Sequence[_Document], str, bytes],
    entrustments: Union[Sequence[_Document], str, bytes],
    authorizations: Union[Sequence[_Document], str, bytes],
) -> dict[str, Any]: ...
def lending_detect(
    sessions: Union[Sequence[_Document], str, bytes],
    gazetteer: Optional[_Document] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def account_register(
    request: _Document,
    agencies: Union[Sequence[_Document], str, bytes],
) -> dict[str, Any]: ...
def account_set_password(
    account: _Document,
    password: str,
    salt_hex: Union[bytes, bytearray, str],
    on: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def account_activate(account: _Document, on: _DateLike) -> dict[str, Any]: ...
def account_login(
    account: _Document,
    password: str,
    at: _Instant,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
def account_login_unknown(
    account: str,
    password: str,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]: ...
