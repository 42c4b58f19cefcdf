"""Type stubs of the compiled module ``hedui._hedui`` (hand-written, checked by stubtest)."""

import datetime
import os
from collections.abc import Iterable
from typing import Any, Literal, Optional, Union, final, overload

__all__ = [
    "AuthorizationError",
    "BatchResult",
    "EntrustmentError",
    "HeduiError",
    "InputError",
    "PopulationError",
    "RECORD_COLUMNS",
    "Rulebook",
    "SecurityError",
    "VerificationError",
    "__version__",
    "check_authorization",
    "render_report",
    "reports_to_records",
    "sample_cases",
    "verify",
    "verify_batch",
    "verify_json",
    "verify_report_digest",
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
def verify_batch(
    cases: Union[Iterable[_Document], str, bytes, os.PathLike[str], os.PathLike[bytes]],
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
) -> BatchResult: ...
def check_authorization(
    authorization: _Document,
    household: _Document,
    on: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> list[dict[str, Any]]: ...
def render_report(report: _Document) -> str: ...
def verify_report_digest(report: _Document) -> bool: ...
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
