"""Type stubs of the compiled module ``hedui._hedui`` (hand-written, checked by stubtest)."""

import datetime
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, Optional, TypedDict, Union, final, overload

from hedui.types import BatchError, CoverageReport, RecheckPlan, Report, TableError

__all__ = [
    "ArgumentTypeError",
    "ArrowBatchResult",
    "ArrowTable",
    "AuditChain",
    "AuditKeyring",
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
    "_cases_from_tables",
    "_cases_to_tables",
    "_mask_ids",
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
    "check_credit_code",
    "check_credit_codes",
    "check_resident_id",
    "check_resident_ids",
    "coverage_audit",
    "document_open",
    "document_seal",
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
    "signing_key_trust",
    "table_layout",
    "verify",
    "verify_arrow",
    "verify_batch",
    "verify_json",
]

__version__: str

#: Column names of the rows that ``reports_to_records`` returns, in order.
RECORD_COLUMNS: list[str]

#: A JSON document: a dict (the usual), or its JSON text as ``str`` / UTF-8 ``bytes``.
_Document = Union[Mapping[str, Any], str, bytes]
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

class ArgumentTypeError(InputError, TypeError):
    """An argument of the wrong kind, such as a DataFrame where a list of cases is expected:
    an ``InputError`` (code ``input_argument``) and a ``TypeError``."""

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
    def default() -> Rulebook:
        """The built-in rulebook (docs/rules.md#defaults, 2024-2026 holidays, default agreements)."""
    @staticmethod
    def from_json(text: Union[str, bytes]) -> Rulebook:
        """Reads a rulebook from JSON text and checks every value's range.

        Raises `InputError` (`input_json` for malformed JSON or unknown fields,
        `rulebook_out_of_bounds` for a security setting outside its policy bounds,
        `input_rulebook` for another value out of range).
        """
    def to_json(self) -> str:
        """The rulebook as pretty JSON text (feed it back to `Rulebook.from_json`)."""
    @property
    def version(self) -> str:
        """Version string, printed on every report."""
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class BatchResult:
    """The outcome of ``verify_batch``: reports and errors, both in input order."""

    @property
    def reports(self) -> list[Report]:
        """Sealed reports, in input order."""
    @property
    def errors(self) -> list[BatchError]:
        """Rejected cases, in input order, each with its position, code, message and path."""

def error_catalog() -> list[dict[str, Any]]:
    """`error_catalog()`: every error code the core can raise, with its area, rule and clause, C
    result number, summary and the name of the exception class it is raised as.
    """
def verify(
    case: _Document,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
) -> Report:
    """Verifies one case and returns its sealed report 核对报告 as a dict.

    Runs every gate on the way: R1 authorization check, R2 entrustment and pre-check, R6 plan
    (own level first) and minimum scope, R7 gaps with offline tasks. The same case and `as_of`
    always give the same report.

    Args:
        case: the case file, a dict in the JSON shape of the core's `Case` (or its JSON text).
        rulebook: a `Rulebook`; `None` for the built-in one.
        as_of: issue time of the report, an aware `datetime` or RFC 3339 text; `None` for now
            on the Beijing clock (+08:00).

    Returns:
        The report dict, fields in the order of the core's `Report`, with its `integrity` digest.

    Raises:
        InputError, AuthorizationError, EntrustmentError, VerificationError: the first gate that
        fails, with `.code` the core's stable code.
    """
def verify_json(
    case_json: _Document,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
) -> str:
    """Verifies one case and returns the sealed report exactly as the core writes it: compact
    JSON, UTF-8, no trailing newline (byte for byte what the Rust and C bindings give).

    Args:
        case_json: the case as JSON text (a dict is accepted too).
        rulebook: a `Rulebook`; `None` for the built-in one.
        as_of: issue time, an aware `datetime` or RFC 3339 text; `None` for now (+08:00).

    Raises:
        HeduiError: as `verify`.
    """
@final
class ArrowTable:
    """One table of an ``ArrowBatchResult``, handed over through the Arrow PyCapsule interface:
    ``pyarrow.table(t)``, ``polars.DataFrame(t)`` and DuckDB read it without a copy."""

    @property
    def name(self) -> str:
        """The table's name: `reports`, `findings`, `differences`, `gaps` or `errors`."""
    @property
    def num_rows(self) -> int:
        """Number of rows."""
    def __len__(self) -> int: ...
    def __arrow_c_schema__(self) -> object: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def to_pyarrow(self) -> Any:
        """The table as a `pyarrow.Table` (needs pyarrow: `pip install "hedui[arrow]"`)."""
    def to_pandas(self) -> Any:
        """The table as a pandas `DataFrame`, through pyarrow (needs pandas and pyarrow)."""
    def to_polars(self) -> Any:
        """The table as a polars `DataFrame` (needs polars; pyarrow is not used)."""

@final
class ArrowBatchResult:
    """The outcome of ``verify_batch(..., output="arrow")`` and ``verify_arrow``: five Arrow
    tables; every input is a report or a row of ``errors``."""

    SCHEMA_VERSION: int
    @property
    def reports(self) -> ArrowTable:
        """One row per report."""
    @property
    def findings(self) -> ArrowTable:
        """One row per member × category."""
    @property
    def differences(self) -> ArrowTable:
        """Declared vs found, per report and item."""
    @property
    def gaps(self) -> ArrowTable:
        """One row per gap, with its offline task."""
    @property
    def errors(self) -> ArrowTable:
        """One row per rejected input row: position (1-based), case id where known, code, area,
        rule, message.
        """
    def tables(self) -> dict[str, ArrowTable]:
        """The five tables by name, in the order reports, findings, differences, gaps, errors."""

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
    progress: Optional[Callable[[int], object]] = None,
) -> BatchResult:
    """Verifies many cases on all cores (or `threads`), with the interpreter released while Rust
    works.

    Every case gives either a report or an error; nothing is dropped, and both keep the
    input order. Blank lines of a JSONL file are skipped.

    Args:
        cases: an iterable of case dicts (or JSON texts), or a path (`str`, `bytes`,
            `os.PathLike`) to a JSONL file with one case per line.
        rulebook: a `Rulebook`; `None` for the built-in one.
        as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
            now (+08:00).
        output: `"dicts"` (default) for report dicts, `"arrow"` for Arrow tables written
            straight from the reports (no dict is built).
        threads: cores to use (a dedicated pool); `None` for every core, 1 for one thread.
        progress: called with the number of cases finished (reports and errors) after each
            chunk of cases, e.g. a tqdm bar's `update`.

    Ctrl-C (`KeyboardInterrupt`) stops the call after the chunk being verified.

    Returns:
        With `output="dicts"`, a `BatchResult` with `.reports` (dicts) and `.errors` (dicts
        with `position`, 1-based, `code` and `message`); with `output="arrow"`, an
        `ArrowBatchResult` with the tables `.reports`, `.findings`, `.differences`, `.gaps`,
        `.errors` (Arrow PyCapsule interface).

    Raises:
        InputError: `cases` is neither an iterable nor a path (`input_argument`), the file
            cannot be read (`input_io`), or a bad `rulebook` / `as_of` / `output` / `threads`.
    """
@overload
def verify_batch(
    cases: _Cases,
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
    *,
    output: Literal["arrow"],
    threads: Optional[int] = None,
    progress: Optional[Callable[[int], object]] = None,
) -> ArrowBatchResult:
    """Verifies many cases on all cores (or `threads`), with the interpreter released while Rust
    works.

    Every case gives either a report or an error; nothing is dropped, and both keep the
    input order. Blank lines of a JSONL file are skipped.

    Args:
        cases: an iterable of case dicts (or JSON texts), or a path (`str`, `bytes`,
            `os.PathLike`) to a JSONL file with one case per line.
        rulebook: a `Rulebook`; `None` for the built-in one.
        as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
            now (+08:00).
        output: `"dicts"` (default) for report dicts, `"arrow"` for Arrow tables written
            straight from the reports (no dict is built).
        threads: cores to use (a dedicated pool); `None` for every core, 1 for one thread.
        progress: called with the number of cases finished (reports and errors) after each
            chunk of cases, e.g. a tqdm bar's `update`.

    Ctrl-C (`KeyboardInterrupt`) stops the call after the chunk being verified.

    Returns:
        With `output="dicts"`, a `BatchResult` with `.reports` (dicts) and `.errors` (dicts
        with `position`, 1-based, `code` and `message`); with `output="arrow"`, an
        `ArrowBatchResult` with the tables `.reports`, `.findings`, `.differences`, `.gaps`,
        `.errors` (Arrow PyCapsule interface).

    Raises:
        InputError: `cases` is neither an iterable nor a path (`input_argument`), the file
            cannot be read (`input_io`), or a bad `rulebook` / `as_of` / `output` / `threads`.
    """
def verify_arrow(
    data: object,
    case_column: str = "case",
    rulebook: Optional[Rulebook] = None,
    as_of: Optional[_Instant] = None,
    *,
    threads: Optional[int] = None,
    first_position: Optional[int] = None,
) -> ArrowBatchResult:
    """Verifies every row of an Arrow table or stream whose `case_column` holds case JSON, on
    all cores (or `threads`), into Arrow tables; no dicts are built.

    Every row is a case. A row whose case cannot be read or fails a gate (including a null or
    blank row, or bytes that are not UTF-8) is a row of `errors` with its `position` (1-based
    row number in the input, plus `first_position - 1`), its case id where known, its code
    and message; the other rows still get their reports.

    Ctrl-C (`KeyboardInterrupt`) stops the call after the rows being verified.

    Args:
        data: any object with `__arrow_c_stream__` (pyarrow `Table` or `RecordBatchReader`,
            polars `DataFrame`, ...).
        case_column: the column holding case JSON (string, large string, string view, binary,
            large binary).
        rulebook: a `Rulebook`; `None` for the built-in one.
        as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
            now (+08:00).
        threads: cores to use (a dedicated pool); `None` for every core, 1 for the calling
            thread only.
        first_position: the position of the first row (`None`: 1), for inputs that are a
            part of a larger whole (a Spark partition).

    Returns:
        An `ArrowBatchResult`.

    Raises:
        InputError: `data` has no Arrow stream, the column is missing or not text
            (`input_argument`), the stream fails while read (`input_io`), or a bad
            `rulebook` / `as_of` / `threads`.
    """
def authorization_check(
    authorization: _Document,
    household: _Document,
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Checks an authorization letter 核对授权书 against a household on a date and lists every
    defect at once (operation `authorization_check`, R1 先授权，后委托).

    Args:
        authorization: the letter, a dict in the JSON shape of the core's `Authorization`.
        household: the household, a dict in the JSON shape of the core's `Household`.
        on: the date of the check, a `datetime.date` or ISO `YYYY-MM-DD` text (an aware
            `datetime` counts by its Beijing date); `None` for today in Beijing.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `authorization_number`, `household_id`, `on`, `valid` (no defect) and
        `defects`, one dict per defect: `code` (e.g. `missing_signature`), the defect's own
        fields (masked IDs, dates) and `message`.

    Raises:
        InputError: a document (`input_json`) or `on` (`invalid_date`, `input_argument`) that
            cannot be read.
    """
def id_check(
    kind: str,
    value: str,
    on: Optional[_DateLike] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Reads one identifier (operation `id_check`): a resident ID 居民身份证号码 (GB 11643-1999;
    a first-generation 15-digit number comes back in its 18-character form), a unified social
    credit code 统一社会信用代码 (GB 32100-2015) or a region code 行政区划代码 (GB/T 2260).

    Args:
        kind: `resident_id`, `credit_code` or `region_code`.
        value: the identifier's text.
        on: for a resident ID, the day of verification (`datetime.date` or `YYYY-MM-DD`);
            then the rulebook's birth-date window applies too (not after that day nor before
            the rulebook's floor). Its rule on first-generation numbers (refused where it
            refuses them, `id_resident_legacy`) applies with or without `on`.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `kind`, `value` (as hedui writes it) and, for a resident ID, `legacy`,
        `birth_date`, `sex` and `region`; for a region code, `region` and `level`.

    Raises:
        InputError: an invalid identifier, with its own code (`id_resident_checksum`,
            `id_credit_character`, `id_region`, `id_resident_birth_out_of_range`, ...), or an
            argument of the wrong type.
    """

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
    the rulebook's birth-date bounds apply too, and its rule on first-generation numbers with or
    without ``on``."""

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
) -> dict[str, Any]:
    """Where each data category is queried (operation `query_plan`, R6 本级为主、上级补充): at the
    agency's own level where it can, an upper level only as supplement, offline (R7) where no
    level can, and the sharing gaps to close.

    Args:
        own_level: the verifying agency's level (`county`, `city`, `province`, `national`).
        scope: the categories to query (e.g. `["bank_deposits", "vehicles"]`); `None` for every
            category.
        agreements: sharing-agreement dicts in the JSON shape of the core's
            `SharingAgreement`; `None` for the rulebook's.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `plan` (one entry per category: the level that answers, or offline) and
        `sharing_gaps`.

    Raises:
        InputError: an unknown level or category, agreements that cannot be read
            (`input_json`).
    """
def report_render_markdown(report: _Document) -> str:
    """A report as printable Chinese Markdown 核对报告 (operation `report_render_markdown`):
    header, members, findings per category, aggregates, gaps with their offline tasks, limits
    of use and the statement that the report is not a determination.

    Raises:
        InputError: `report` is not a report (`input_json`).
    """
def report_render_html(report: _Document, policy: Optional[_Document] = None) -> str:
    """A report as a self-contained HTML document for printing on A4 纸质核对报告 (operation
    `report_render_html`): the official layout, a category × member status matrix, the
    categories with facts or gaps in detail, signature lines and a place for the seal, page
    numbers 第 N 页 共 M 页 and a QR code on every page.

    Args:
        report: the report (a dict, or its JSON).
        policy: a mask policy (`{"resident_ids", "names", "amounts", ...}`) for a reader who
            may not see everything; the report as issued when absent.

    Raises:
        InputError: `report` is not a report, `policy` not a mask policy (`input_json`).
        SecurityError: the report number is too long for a QR code (`printed_code_too_long`).
    """
def report_render_pdf(
    report: _Document,
    path: Union[str, os.PathLike[str]],
    policy: Optional[_Document] = None,
) -> None:
    """Prints a report to a PDF file with headless Chromium (operation `report_render_pdf`): the
    HTML of `report_render_html`, printed by the browser (Debian's `chromium`, or the one
    named by the `HEDUI_CHROMIUM` environment variable).

    Raises:
        HeduiError: no browser (`pdf_printer_missing`, the message says how to install one:
            `apt-get install chromium fonts-noto-cjk`), or the browser failed
            (`pdf_print_failed`).
        InputError, SecurityError: as `report_render_html`.
    """
def report_check_printed(
    payload: str,
    archived: Optional[_Document] = None,
    keyring: Optional[ReportKeyring] = None,
) -> dict[str, Any]:
    """Checks a printed report against the archive (operation `report_check_printed`, R10), from
    the text of its QR code.

    Args:
        payload: the text read from the QR code.
        archived: the archived report with that report number, if at hand.
        keyring: the trusted keys, to check the signature on the paper.

    Returns:
        `{"outcome", "signed"?, "code"}`: `printed_matches`, `printed_unknown_report`,
        `printed_digest_differs`, `printed_issue_time_differs` or `printed_signature_invalid`.

    Raises:
        SecurityError: `payload` is not a printed-copy payload (`printed_payload_invalid`).
    """
def appeal_file(
    report: _Document,
    reason: str,
    filed_on: _DateLike,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
    trusted_keys: Union[Sequence[_Document], str, bytes, None] = None,
) -> dict[str, Any]:
    """Files an appeal against a report (operation `appeal_file`, R9): the recheck request, an
    entrustment request with purpose "appeal recheck" linked to the disputed report by number
    and digest.

    Args:
        report: the disputed report dict, sealed as issued.
        reason: the reason the assistance department explains to the agency.
        filed_on: filing date, a `datetime.date` or ISO `YYYY-MM-DD` text.
        keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
            no key.
        rulebook: a `Rulebook`; `None` for the built-in one. Under its
            `security.signed_evidence` (the default) the report must be signed by a key of
            `keyring` or of `trusted_keys`.
        trusted_keys: trusted-key dicts (`key_id`, `public_key`) or their JSON text, trusted
            besides `keyring` (the request's `trusted_keys` in the JSON operation).

    Returns:
        The `RecheckRequest` dict (`disputed_report`, `disputed_digest`, `household_id`,
        `reason` trimmed, `filed_on`, ...).

    Raises:
        InputError: `report` (`input_json`), `reason`, `filed_on` or `keyring` cannot be read.
        SecurityError: the report is unsigned (`evidence_unsigned`), signed by a key not in
            the keyring (`evidence_unknown_key`) or its signature does not verify for its
            content (`evidence_bad_signature`).
        VerificationError: the report does not verify against its digest or the reason is
            empty (`appeal_link`).
    """
def report_history_record(
    report: _Document,
    history: Optional[_Document] = None,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
    trusted_keys: Union[Sequence[_Document], str, bytes, None] = None,
) -> dict[str, Any]:
    """Records a report as the next round of its household's history (operation
    `report_history_record`, R9, R10); an appeal recheck must link to a report in the history
    with the same digest.

    Args:
        report: the report dict of the next round.
        history: the history so far (the `history` dict an earlier call returned); `None` for
            a new one for the report's household.
        keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
            no key.
        rulebook: a `Rulebook`; `None` for the built-in one. Under its
            `security.signed_evidence` (the default) the report must be signed by a key of
            `keyring` or of `trusted_keys`.
        trusted_keys: trusted-key dicts or their JSON text, as for `appeal_file`.

    Returns:
        A dict: `history`, with the new round, and `chain`, the rounds leading to the new
        report through appeals, oldest first.

    Raises:
        InputError: `report`, `history` or `keyring` cannot be read (`input_json`).
        SecurityError: `evidence_unsigned`, `evidence_unknown_key`, `evidence_bad_signature`
            as for `appeal_file`.
        VerificationError: the report does not verify, is for another household, is already
            recorded, or disputes a report not in the history (`appeal_link`).
    """
def report_verify_digest(report: _Document) -> bool:
    """Whether a report's recorded SHA-256 digest matches its content (operation
    `report_verify_digest`, canonical form `hedui-report-v1`): `False` after any change to any
    field, or without an `integrity` block.

    Raises:
        InputError: `report` is not a report (`input_json`).
    """
def report_check_use(
    report: _Document,
    use: _Document,
    agreements: Union[Sequence[_Document], str, bytes, None] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Whether a report may serve an intended use (operation `report_check_use`; R3, N §二(一):
    the entrusting unit for the entrusted purpose; N §一(三) 明确共享数据的使用范围: another
    purpose or programme only where every sharing agreement behind the report's data lists the
    programme in its `use_scope`).

    Args:
        report: the report dict, as issued.
        use: the intended use, `{"unit_code": credit code, "purpose": ..., "programme": ...}`.
        agreements: sharing agreement dicts whose `use_scope` applies; `None` for the
            rulebook's.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        `{"allowed": True, "report": report number}`.

    Raises:
        EntrustmentError: `report_use_other_unit` for another unit, `report_use_outside_scope`
            for a use the agreements do not cover.
        InputError: a document that cannot be read (`input_json`).
    """
def _cases_from_tables(
    tables: dict[str, object],
) -> tuple[list[dict[str, Any]], list[TableError]]:
    """Case dicts and row errors from tables given as Arrow streams or dicts of text columns
    (the compiled part of ``hedui.cases_from_tables``)."""

def _cases_to_tables(cases: list[Any], chinese: bool = False) -> dict[str, ArrowTable]:
    """The layout's tables of some cases (the compiled part of ``hedui.cases_to_tables``);
    ``chinese`` writes enumerated cells as their Chinese labels."""

def _mask_ids(texts: list[Optional[str]]) -> list[Optional[str]]:
    """The texts with every resident ID masked as the errors table masks them (the first six
    and last two characters kept); ``None`` stays ``None``."""

def table_layout() -> list[dict[str, Any]]:
    """The case-table layout: each table (``name``, ``sheet``, ``doc``, ``columns``) with its
    columns (``name``, ``header``, ``field``, ``kind``, ``required``, ``doc``, ``choices``: the
    ``code``, Chinese ``label`` and ``aliases`` of each value an enumerated column takes)."""

def reports_to_records(reports: Iterable[_Document]) -> list[dict[str, Any]]:
    """Reports as flat rows for `pandas.DataFrame(rows)`: one row per finding (member ×
    category), columns `RECORD_COLUMNS`.

    Besides the report, household and finding identifiers, the status (and its Chinese label)
    and the answering level, each row has `facts` (how many facts came back), `amount_fen`
    (the sum of the facts' main money figures: deposit and provident fund balances, securities
    value, insurance cash value, registered capital, counted income) and `exempt_fen` (exempt
    income); both `None` when no fact carries an amount. Amounts are all facts as returned: the
    report's `aggregates` hold the totals over the income window.

    Raises:
        InputError: an item that is not a report (`input_json`), or `reports` not an iterable.
    """
@overload
def sample_cases(
    n: int,
    *,
    seed: Optional[int] = None,
    start: Optional[int] = None,
    with_expected: Literal[False, None] = None,
) -> list[dict[str, Any]]:
    """Realistic generated cases: valid IDs, Linfen region codes, plausible households and
    amounts, some late or missing feedback, and about 6% defective cases. The same `seed`
    and index always give the same case.

    Args:
        n: how many cases (at most 1,000,000).
        seed: generator seed (default 2026).
        start: index of the first case (default 0).
        with_expected: return `(case, expected_error_code_or_None)` pairs instead of cases.
    """
@overload
def sample_cases(
    n: int,
    *,
    seed: Optional[int] = None,
    start: Optional[int] = None,
    with_expected: Literal[True],
) -> list[tuple[dict[str, Any], Optional[str]]]:
    """Realistic generated cases: valid IDs, Linfen region codes, plausible households and
    amounts, some late or missing feedback, and about 6% defective cases. The same `seed`
    and index always give the same case.

    Args:
        n: how many cases (at most 1,000,000).
        seed: generator seed (default 2026).
        start: index of the first case (default 0).
        with_expected: return `(case, expected_error_code_or_None)` pairs instead of cases.
    """

def coverage_audit(
    applications: Union[Sequence[_Document], str, bytes],
    verifications: Union[Sequence[_Document], str, bytes],
    jurisdiction: Union[Sequence[str], str, bytes],
    queryable: Optional[Union[Sequence[str], str, bytes]] = None,
    rulebook: Optional[Rulebook] = None,
) -> CoverageReport:
    """Operation `coverage_audit`: R5 coverage 全量、全域、全网 of a jurisdiction's new applications
    (N §二(一)).

    Args:
        applications: application dicts in the JSON shape of the core's `Application`
            (`id`, `household_id`, `region`, `applied_on`, `programme`, `kind`, `members`).
        verifications: verification record dicts in the shape of `VerificationRecord`
            (`household_id`, `number`, `verified_on`, `members`, `queried`, `region`).
        jurisdiction: the region codes (GB/T 2260 text) of the audited jurisdiction.
        queryable: the categories that count for 全网; `None` for every category that some
            level can query under the rulebook's agreements (availability `shared`).
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        The `CoverageReport` dict: `applications`, `new_applications`, the ratios
        `households`, `members`, `regions`, `categories` (each `{covered, total}`),
        `categories_offline_only`, `gaps` (each with its `reason`) and `issues` (records left
        out: `input`, 0-based `position`, `code`, `message`).

    Raises:
        InputError: a document that cannot be read (`input_json`) or a bad `rulebook`.
    """
def recheck_schedule(
    households: Union[Sequence[_Document], str, bytes],
    as_of: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> RecheckPlan:
    """Operation `recheck_schedule`: the R8 recheck schedule of a caseload as of a date, with its
    batches (N §二(一) 定期复核).

    Args:
        households: assisted household dicts in the JSON shape of the core's
            `AssistedHousehold` (`household_id`, `programme`, `household_type`, `last_checked`,
            `authorization_signed_on`, `agency_id`, `events`).
        as_of: the date, a `datetime.date` or ISO `YYYY-MM-DD` text (an aware `datetime`
            counts by its Beijing date).
        rulebook: a `Rulebook`; `None` for the built-in one. Its `recheck` intervals set the
            due dates and its `recheck_batches` options cut the batches.

    Returns:
        The operation's response, the same in C and uniffi: `as_of`, `entries` (one
        `ScheduledRecheck` per household scheduled, in input order; `position` is the 0-based
        index in `households`), `issues` (records left out), `batches` (the `BatchPlan`:
        `as_of`, `through`, `batches`, `awaiting_authorization`), then the schedule's summary
        (the core's `RecheckSummary`): `due` and `overdue` (the entries due today or overdue,
        and overdue), `awaiting_authorization` (entries whose authorization lapsed),
        `next_due_on` (ISO text, or `None`), `counts_by_programme` (every programme).

    Raises:
        InputError: a document (`input_json`) or `as_of` (`invalid_date`, `input_argument`)
            that cannot be read.
        PopulationError: the rulebook's batch size is 0 (`recheck_batch_size_zero`).
    """
#: A relief ledger: its dict or JSON text, or an ``EmergencyLedger`` (not changed).
_Ledger = Union[_Document, EmergencyLedger]

def relief_record(
    ledger: Optional[_Ledger],
    grant: _Document,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Operation `relief_record` (R4 先行救助、再行核对): records relief given to an emergency case
    before its verification in a ledger the caller keeps; the follow-up is due
    `deadlines.relief_followup_working_days` working days later on the rulebook's calendar.

    Args:
        ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`, which is not
            changed); `None` for a new one.
        grant: a dict in the JSON shape of the core's `ReliefGrant` (`case_id`,
            `household_id`, `relieved_on`, `amount_fen`, `reason`, `emergency`).
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `reference` (`{case_id}-{n}`) and `ledger`, the whole new ledger.

    Raises:
        InputError: `ledger` or `grant` cannot be read (`input_json`).
        PopulationError: not an emergency (`relief_not_emergency`), an amount of 0 fen or
            less, an empty id.
    """
def relief_close(
    ledger: _Ledger,
    reference: str,
    report: _Document,
    closed_on: _DateLike,
    keyring: Optional[ReportKeyring] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Operation `relief_close` (R4): closes the follow-up of relief `reference` in a ledger the
    caller keeps, with the follow-up verification's sealed report, completed on `closed_on`.

    Args:
        ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`, not changed).
        reference: the relief reference `relief_record` returned.
        report: the follow-up report dict (purpose `emergency_follow_up`, naming the relief
            reference, its digest intact).
        closed_on: a `datetime.date` or ISO `YYYY-MM-DD` text.
        keyring: the `ReportKeyring` the report's signature is checked against; `None` trusts
            no key.
        rulebook: a `Rulebook`; `None` for the built-in one. Under its
            `security.signed_evidence` (the default) the report must be signed by a key of
            `keyring`.

    Returns:
        A dict: `entry`, the closed `ReliefEntry`, and `ledger`, the whole new ledger.

    Raises:
        InputError: `ledger`, `report`, `closed_on` or `keyring` cannot be read.
        SecurityError: the report is unsigned (`evidence_unsigned`), signed by a key not in
            the keyring (`evidence_unknown_key`) or its signature does not verify for its
            content (`evidence_bad_signature`).
        PopulationError: the report does not verify or names no relief, an unknown or
            already closed reference, the wrong purpose, household or relief, a closing
            date before the relief.
    """
def relief_follow_ups(
    ledger: _Ledger,
    as_of: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Operation `relief_follow_ups` (R4): where every follow-up of a ledger stands on `as_of`,
    in working days on the rulebook's calendar.

    Args:
        ledger: the ledger (its dict or JSON text, or an `EmergencyLedger`).
        as_of: a `datetime.date` or ISO `YYYY-MM-DD` text.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        The `FollowUpReport` dict: `as_of` and the lists `open`, `overdue`, `closed`, each
        item with the `entry` and its `state` (`open` with `working_days_left`, `overdue`
        with `working_days`, `closed` with `late_working_days`).

    Raises:
        InputError: `ledger` or `as_of` cannot be read.
    """
@final
class EmergencyLedger:
    """The emergency-relief ledger (R4): relief first, follow-up verification after."""

    def __new__(cls, rulebook: Optional[Rulebook] = None) -> EmergencyLedger: ...
    @classmethod
    def from_json(cls, text: Union[str, bytes], rulebook: Optional[Rulebook] = None) -> EmergencyLedger:
        """Reads a ledger from its JSON text (as `to_json` writes it), checking every entry.

        Raises `InputError` (`input_json`) for malformed JSON, unknown fields or an entry that
        breaks a rule.
        """
    def to_json(self) -> str:
        """The ledger as pretty JSON text (feed it back to `EmergencyLedger.from_json`)."""
    def record(self, grant: _Document) -> str:
        """Records relief given before verification and opens its follow-up (operation
        `relief_record` on this ledger).

        Args:
            grant: a dict in the JSON shape of the core's `ReliefGrant` (`case_id`,
                `household_id`, `relieved_on`, `amount_fen`, `reason`, `emergency`).

        Returns:
            The relief reference `{case_id}-{n}`.

        Raises:
            InputError: `grant` cannot be read.
            PopulationError: not an emergency (`relief_not_emergency`), an amount of 0 fen or
                less, an empty id.
        """
    def close(
        self,
        reference: str,
        report: _Document,
        closed_on: _DateLike,
        keyring: Optional[ReportKeyring] = None,
    ) -> dict[str, Any]:
        """Closes the follow-up of relief `reference` with the follow-up verification's sealed
        report, completed on `closed_on` (operation `relief_close` on this ledger).

        Args:
            reference: the relief reference `record` returned.
            report: the follow-up report dict (purpose `emergency_follow_up`, naming the relief
                reference, its digest intact).
            closed_on: a `datetime.date` or ISO `YYYY-MM-DD` text.
            keyring: the `ReportKeyring` the report's signature is checked against; `None`
                trusts no key. Under the ledger's rulebook's `security.signed_evidence` (the
                default) the report must be signed by a key of `keyring`.

        Returns:
            The closed entry (`ReliefEntry` dict).

        Raises:
            InputError: `report`, `closed_on` or `keyring` cannot be read.
            SecurityError: `evidence_unsigned`, `evidence_unknown_key`,
                `evidence_bad_signature` as for `relief_close`.
            PopulationError: the report does not verify or names no relief, an unknown or
                already closed reference, the wrong purpose, household or relief, a closing
                date before the relief.
        """
    def follow_ups(self, as_of: _DateLike) -> dict[str, Any]:
        """Where every follow-up stands on `as_of` (a `datetime.date` or ISO text), in working
        days on the rulebook's calendar (operation `relief_follow_ups` on this ledger).

        Returns:
            The `FollowUpReport` dict: `as_of` and the lists `open`, `overdue`, `closed`, each
            item with the `entry` and its `state` (`open` with `working_days_left`, `overdue`
            with `working_days`, `closed` with `late_working_days`).
        """
    def entries(self) -> list[dict[str, Any]]:
        """The entries (`ReliefEntry` dicts), in the order recorded."""
    def __len__(self) -> int: ...

@final
class AuditKeyring:
    """The audit MAC keys a host holds, by id; the key added last MACs new entries (R11)."""

    def __new__(cls, rulebook: Optional[Rulebook] = None) -> AuditKeyring:
        """An empty keyring: operation `audit_keyring_new`; with `rulebook`, operation
        `audit_keyring_new_under`: keys added with `add` then follow the rulebook's crypto suite
        (HMAC-SM3 under `shangmi`, HMAC-SHA256 otherwise).
        """
    @property
    def algorithm(self) -> Literal["hmac-sha256", "hmac-sm3"]:
        """The MAC algorithm of the keys `add` adds: `"hmac-sha256"` or `"hmac-sm3"`."""
    def add(self, key_id: str, key: Union[bytes, bytearray]) -> None:
        """Adds the key `key_id` (1 to 128 printable ASCII characters) with the secret `key`
        (bytes, at least 32, from a CSPRNG: `secrets.token_bytes(32)`); it MACs new entries
        from now on. Operation `audit_keyring_add`.

        Raises `SecurityError`: `audit_key_length` for a short key, `audit_id_invalid` for a
        malformed id or one already in the keyring; `InputError` for arguments of the wrong
        type.
        """
    def add_with(
        self,
        key_id: str,
        algorithm: Literal["hmac-sha256", "hmac-sm3"],
        key: Union[bytes, bytearray],
    ) -> None:
        """Adds the key `key_id` of the MAC algorithm `algorithm`: `"hmac-sha256"` (the
        international suite) or `"hmac-sm3"` (the commercial-cryptography suite,
        `security.crypto_suite = "shangmi"`). Entries MACed with it name the algorithm and
        verify only under a key of it. Operation `audit_keyring_add_with`.

        Raises `InputError` (`input_json`) for another algorithm name; otherwise as `add`.
        """
    def ids(self) -> list[str]:
        """The key ids, oldest first (the last one MACs new entries)."""
    def __len__(self) -> int: ...

@final
class AuditChain:
    """A tamper-evident HMAC-SHA256 audit chain with its id and keyring (R11)."""

    def __new__(cls, chain_id: str, keyring: AuditKeyring) -> AuditChain: ...
    @classmethod
    def from_jsonl(cls, keyring: AuditKeyring, text: str, head: _Document) -> AuditChain:
        """Opens a stored chain: reads JSONL text as `to_jsonl` writes it and verifies it
        against `keyring` and `head`, the head stored apart from the log (a dict from `append`
        or `head()`, whose `chain` names the chain), so that nothing is appended to a forged,
        cut, rolled-back or swapped past: operation `audit_chain_from_jsonl`. There is no
        reading without a head.

        Raises `SecurityError`: `audit_line_invalid` (naming the 1-based line),
        `audit_format_unsupported` (a format-1 log), `audit_chain_broken`,
        `audit_chain_spliced`, `audit_chain_swapped`, `audit_chain_backdated`,
        `audit_key_unknown`, `audit_chain_truncated`, `audit_chain_rolled_back`,
        `audit_keyring_empty`; `InputError` for a head that cannot be read.
        """
    @classmethod
    def from_jsonl_after(
        cls, keyring: AuditKeyring, text: str, head: _Document, disposal: _Document
    ) -> AuditChain:
        """Opens a stored chain whose oldest entries were disposed of (网络安全法 Art 21 log
        retention): as `from_jsonl`, the chain starting after `disposal`, the record of the
        last disposal (the dict `dispose` returned, kept with the head). Operation
        `audit_chain_from_jsonl_after`.

        Raises `SecurityError` as `from_jsonl`, and `audit_chain_broken` for a record whose MAC
        does not verify or that the chain does not follow, `audit_chain_swapped` for another
        chain's record, `audit_head_disposed` for a head older than the disposal; `InputError`
        for a head or record that cannot be read.
        """
    def disposable(self, on: _DateLike, rulebook: Optional[Rulebook] = None) -> dict[str, Any]:
        """Which of the oldest entries may be disposed of on `on` (a `datetime.date` or
        `YYYY-MM-DD` text) under the rulebook's `retention.log_months` (网络安全法 Art 21):
        `{"entries": n, "through_seq": seq or None}`. Operation `audit_chain_disposable`.

        Raises `InputError` for a date or rulebook that cannot be read.
        """
    def dispose(
        self, through_seq: int, on: _DateLike, rulebook: Optional[Rulebook] = None
    ) -> dict[str, Any]:
        """Disposes of the oldest entries through `through_seq` on `on` under the rulebook's log
        retention and returns the record of the disposal (a dict: `chain`, `disposed_on`,
        `log_months`, `entries`, `first_seq`, `last_seq`, `youngest_at`, `kept_until`,
        `last_mac`, `key_id`, `mac`), MACed with the keyring's newest key: store it with the
        head and open the log with `from_jsonl_after`. Operation `audit_chain_dispose`.

        Raises `SecurityError`: `log_retention_not_elapsed` for an entry still within its
        retention, `log_disposal_unknown_entry` for a sequence number the chain does not hold
        (the chain is then unchanged); `InputError` for arguments that cannot be read.
        """
    def append(self, event: _Document) -> dict[str, Any]:
        """Appends one gate decision, MACed with the keyring's newest key, and returns the new
        head (`{"chain", "entries", "mac"}`): store it apart from the chain and verify against
        it (`verify(head)`). Operation `audit_chain_append`.

        Args:
            event: a dict in the JSON shape of the core's `AuditEvent`: `at` (RFC 3339 text or
                an aware `datetime`), `event` (e.g. `login`), `decision` (`permit`/`deny`),
                `actor`, `reason`, `context` (64 hex characters, the SHA-256 of the request).

        Raises:
            InputError: `event` cannot be read.
            SecurityError: `at` cannot be written in RFC 3339 (`audit_time_invalid`) or is
                before the last entry's time (`audit_time_backwards`).
        """
    def verify(self, head: _Document) -> None:
        """Verifies the chain against `head`, a dict recorded earlier by `append` or `head()`
        and stored apart from the log (operation `audit_chain_verify`): every entry's chain id,
        sequence number, link, key, MAC and time, and that the chain is the head's and still
        reaches it.

        Returns `None` when the chain is intact.

        Raises:
            SecurityError: the first problem, its message naming the 0-based entry:
                `audit_chain_broken`, `audit_chain_spliced`, `audit_chain_swapped`,
                `audit_chain_backdated`, `audit_key_unknown`, `audit_chain_truncated`,
                `audit_chain_rolled_back`.
            InputError: `head` cannot be read.
        """
    def head(self) -> dict[str, Any]:
        """The current head, `{"chain": id, "entries": n, "mac": hex}` (operation
        `audit_chain_head`)."""
    @property
    def chain_id(self) -> str:
        """The chain id."""
    def entries(self) -> list[dict[str, Any]]:
        """The entries (dicts with `format`, `chain`, `seq`, `key_id`, `at`, `event`,
        `decision`, `actor`, `reason`, `context`, `prev`, `mac`), oldest first.
        """
    def to_jsonl(self) -> str:
        """The chain as JSONL: each entry as compact JSON on its own line, each ended by `\\n`
        (operation `audit_chain_to_jsonl`).
        """
    def __len__(self) -> int: ...

def password_check(
    password: str,
    account: str,
    resident_id: str,
    rulebook: Optional[Rulebook] = None,
    name: Optional[str] = None,
) -> dict[str, Any]:
    """Every weakness of a password for an operator (operation `password_check`, N §三
    "账号严禁使用弱口令"): too short, too long, too few character classes, containing the login
    name or a run of the resident ID's digits, or on the common-password list. The history rule
    needs stored hashes and is checked by `account_set_password`. A weak password is a result,
    not an exception.

    Args:
        password: the candidate password (hedui keeps no copy; the caller's own copies are
            the caller's to discard).
        account: the operator's login name.
        resident_id: the operator's resident ID (18 characters).
        rulebook: a `Rulebook`; `None` for the built-in one (its `password` policy and
            `security` rules).
        name: the operator's real name, when known: a password that contains it (also in
            look-alike characters) is weak.

    Returns:
        A dict: `acceptable` (no weakness) and `weaknesses`, one dict per weakness: `code`
        (`too_short`, `too_long`, `too_few_classes`, `contains_account`, `contains_name`,
        `contains_id_digits`, `common`), the reason's own fields and `message`.

    Raises:
        InputError: an argument that is not a str, or an invalid resident ID (its own code,
            e.g. `id_resident_checksum`).
    """
def permission_check(
    role: str,
    action: str,
    category: Optional[str] = None,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]:
    """Whether `role` may do `action` (on `category`) under a permission table (operation
    `permission_check`, N §三 "严控各类人员数据处理权限"). Default deny: an unknown role, an
    action or category not granted, or a data query without a category is refused.

    Args:
        role: the role name (`operator`, `auditor`, ... in the default table).
        action: the action's name, e.g. `query_data`, `view_report`, `sign_report`.
        category: a data category name (e.g. `bank_deposits`); needed for `query_data`.
        permissions: a table dict in the JSON shape of the core's `Permissions`
            (`{"roles": [...]}`); `None` for the default table.

    Returns:
        The `PermissionDecision` dict: `decision` (`permit`/`deny`), `role`, `action`,
        `category` (when given) and `reason`.

    Raises:
        InputError: an unknown action or category name, or a table that cannot be read.
    """
def report_mask(
    report: _Document,
    role: str,
    permissions: Optional[_Document] = None,
) -> dict[str, Any]:
    """A report as `role` may see it (operation `report_mask`): resident IDs, names and amounts
    full, masked or left out by the role's view in the permission table (a role not in the
    table sees none of them).

    Args:
        report: a report dict.
        role: the role name.
        permissions: a table dict (`{"roles": [...]}`); `None` for the default table.

    Returns:
        The masked report dict. Masking changes the content, so its digest no longer
        verifies: it is a view, not a report to archive.

    Raises:
        InputError: `report` is not a report, `role` not a str, a table that cannot be read.
    """
def report_sign(
    report: _Document,
    key_id: str,
    seed_hex: Union[bytes, bytearray, str],
    algorithm: Optional[Literal["ed25519", "sm2"]] = None,
) -> dict[str, Any]:
    """Seals a report and signs its digest with an Ed25519 key (operation `report_sign`): the
    signature goes in the report's `integrity` block, outside the canonical form. Ed25519 is
    deterministic: the same report and key give the same signature through C, uniffi and Rust.

    Args:
        report: a report dict.
        key_id: the key's id, as verifiers know it.
        seed_hex: the 32-byte Ed25519 private key (RFC 8032 seed), as `bytes`/`bytearray` or
            64 hex characters, from the agency's key store. It is a secret: hedui overwrites
            its own copy after the call; the caller wipes its own (a `bytearray` can be
            overwritten, a `bytes` or `str` cannot).

    Returns:
        The signed report dict.

    Raises:
        InputError: `report` is not a report, a seed that is neither bytes nor hex text.
        SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
    """
def signing_key_trust(
    key_id: str,
    seed_hex: Union[bytes, bytearray, str],
    algorithm: Optional[Literal["ed25519", "sm2"]] = None,
) -> dict[str, Any]:
    """The public half of a signing key (operation `signing_key_trust`), as a trusted-key dict
    (`key_id`, `public_key` as 64 hex characters) to hand to verifiers.

    Args:
        key_id: the key's id.
        seed_hex: the 32-byte seed, as for `report_sign`.

    Raises:
        InputError: a seed that is neither bytes nor hex text.
        SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
    """
def document_seal(
    key_id: str,
    key_hex: Union[bytes, bytearray, str],
    plaintext: str,
    aad: Optional[str] = None,
    nonce_hex: Union[bytes, bytearray, str, None] = None,
) -> dict[str, Any]:
    """Seals a document at rest with SM4-GCM, the commercial-cryptography suite (operation
    `document_seal`), in hedui's versioned envelope.

    Args:
        key_id: the sealing key's id, recorded in the envelope.
        key_hex: the 16-byte SM4 key, as `bytes`/`bytearray` or 32 hex characters. A secret:
            hedui overwrites its own copy after the call.
        plaintext: the document's text (a report's JSON, an export file).
        aad: associated data bound to the envelope but not stored (e.g. the report number).
        nonce_hex: the 12-byte nonce, never repeated under one key; by default drawn from the
            operating system's CSPRNG. Give it only to reproduce an envelope.

    Returns:
        `{"key_id", "sealed_hex"}`.

    Raises:
        SecurityError: a key that is not 16 bytes or an empty key id (`seal_key_invalid`), a
            nonce that is not 12 bytes (`seal_envelope_malformed`).
    """
def document_open(
    key_id: str,
    key_hex: Union[bytes, bytearray, str],
    sealed_hex: Union[bytes, bytearray, str],
    aad: Optional[str] = None,
) -> dict[str, Any]:
    """Opens a document sealed by `document_seal` (operation `document_open`).

    Raises:
        SecurityError: a malformed or truncated envelope (`seal_envelope_malformed`), another
            key id (`seal_wrong_key`), or a changed envelope, aad or key (`seal_open_failed`).
    """
def report_verify_signature(
    report: _Document, trusted_keys: Union[Sequence[_Document], str, bytes]
) -> dict[str, Any]:
    """Checks a signed report (operation `report_verify_signature`): its digest against its
    content and its signature against the trusted key it names. A report changed after
    signing fails.

    Args:
        report: a signed report dict.
        trusted_keys: trusted-key dicts (`key_id`, `public_key`), ids unique.

    Returns:
        A dict: `key_id` (the trusted key that signed) and `digest` (the report digest the
        signature covers).

    Raises:
        SecurityError: unsigned, changed or badly signed (`signature_invalid`), an unknown key
            id (`signature_unknown_key`), a key id trusted twice (`signing_key_invalid`).
        InputError: a document that cannot be read.
    """
def audit_head_sign(
    head: _Document, key_id: str, seed_hex: Union[bytes, bytearray, str]
) -> dict[str, Any]:
    """Signs an audit chain's head with the agency's signing key (operation
    `audit_head_sign`): a checkpoint to store where whoever holds the audit MAC keys cannot
    write, so that a log and a head rewritten together are still found out.

    Args:
        head: the head dict (`chain`, `entries`, `mac`), as `AuditChain.append` or
            `AuditChain.head` give it.
        key_id: the signing key's id, as verifiers know it.
        seed_hex: the 32-byte Ed25519 private key, as for `report_sign` (a secret).

    Returns:
        The signed head dict: `head` and `signature` (`key_id`, `signature`).

    Raises:
        SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
        InputError: a head that cannot be read, a seed that is neither bytes nor hex text.
    """
def audit_head_open(
    signed_head: _Document, trusted_keys: Union[Sequence[_Document], str, bytes]
) -> dict[str, Any]:
    """The head of a signed checkpoint, once its signature verifies with a trusted key
    (operation `audit_head_open`): what to pass to `AuditChain.from_jsonl` as the stored head.

    Args:
        signed_head: the signed head dict, as `audit_head_sign` gives it.
        trusted_keys: trusted-key dicts (`key_id`, `public_key`), ids unique.

    Returns:
        The head dict (`chain`, `entries`, `mac`).

    Raises:
        SecurityError: a signature by an untrusted key or one that does not verify
            (`audit_head_signature_invalid`), a key id trusted twice (`signing_key_invalid`).
        InputError: a document that cannot be read.
    """
@final
class ReportSigner:
    """The agency's report signer (R11), loaded once from its 32-byte Ed25519 seed."""

    def __new__(cls, key_id: str, seed: Union[bytes, bytearray, str]) -> ReportSigner: ...
    @property
    def key_id(self) -> str:
        """The key id."""
    def sign(self, report: _Document) -> dict[str, Any]:
        """Seals a report and signs its digest (operation `report_signer_sign`): the signed report
        dict, the signature in its `integrity` block. Ed25519 is deterministic: the same report
        and key give the same signature in every host.

        Raises `InputError` when `report` is not a report, `VerificationError`
        (`report_unsealable`) for a report that cannot be written whole in its canonical form.
        """
    def trusted_key(self) -> dict[str, Any]:
        """The public half as a trusted-key dict (`key_id`, `public_key` as 64 hex characters) for
        a `ReportKeyring` (operation `report_signer_trusted_key`).
        """

@final
class ReportKeyring:
    """A keyring of trusted report-signing keys (R11), loaded once."""

    def __new__(cls, trusted_keys: Union[Sequence[_Document], str, bytes]) -> ReportKeyring: ...
    def verify(self, report: _Document) -> dict[str, Any]:
        """Checks a signed report (operation `report_keyring_verify`): its digest against its
        content and its signature against the trusted key it names. Returns a dict: `key_id`
        and `digest`.

        Raises `SecurityError`: `signature_invalid` for a report unsigned, changed or badly
        signed, `signature_unknown_key` for a key the keyring does not trust.
        """
    def key_ids(self) -> list[str]:
        """The key ids trusted, in the order given."""
    def __len__(self) -> int: ...
def archive_check(
    archive: Union[Sequence[_Document], str, bytes],
    entrustments: Union[Sequence[_Document], str, bytes],
    authorizations: Union[Sequence[_Document], str, bytes],
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Checks that every letter of a set of verifications is archived under its number, batch
    and subjects (operation `archive_check`, R10 核对业务资料, N §二(三)). An incomplete archive
    is a result, not an exception.

    Args:
        archive: the archive dict in the JSON shape of the core's `Archive` (its documents).
        entrustments: the entrustment letter dicts whose records must be complete.
        authorizations: the authorization letter dicts they rest on.
        rulebook: a `Rulebook`; `None` for the built-in one. Its limits and identifier rules
            (`identifiers`: first-generation numbers, the birth-date window, today) apply to
            every resident ID of the documents.

    Returns:
        A dict: `complete` (no gap) and `gaps`, every missing, wrongly kinded, misfiled or
        unindexed letter, each with its `code`.

    Raises:
        InputError: a document that cannot be read (`input_json`), an archive holding one
            digest twice with other metadata, a resident ID the rulebook's identifier rules
            refuse (`id_resident_legacy`, `id_resident_birth_out_of_range`) or a bad
            `rulebook`.
    """
def lending_detect(
    sessions: Union[Sequence[_Document], str, bytes],
    gazetteer: Optional[_Document] = None,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Signs of a lent account (operation `lending_detect`, R11 严禁系统账号外借): sessions of one
    account overlapping on two terminals, and consecutive logins farther apart than the
    rulebook's `security.max_travel_kmh` allows.

    Args:
        sessions: login session dicts in the JSON shape of the core's `Session` (`account`,
            `terminal`, `start`, `end`, `location` with a `region` or a `point`).
        gazetteer: places of region codes, `{region: {"lat": .., "lon": ..}}`, for sessions
            located by region; `None` for none.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `flags`, every sign of lending by account then login (`first`/`second` index
        `sessions`).

    Raises:
        InputError: a document that cannot be read (`input_json`).
    """
def account_register(
    request: _Document,
    agencies: Union[Sequence[_Document], str, bytes],
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Registers an operator account (operation `account_register`): real-name, 备案-registered,
    of a known verification agency; pending until its password is set and it is activated.

    Args:
        request: the registration dict in the JSON shape of the core's `AccountRequest`
            (`account`, `name`, `resident_id`, `registration_number`, `registered_on`,
            `agency_id`, `role`, `confidentiality_signed_on`).
        agencies: the verification agency dicts known to the system (`id`, `name`, `level`,
            `region`).
        rulebook: a `Rulebook`; `None` for the built-in one. Its limits and identifier rules
            (`identifiers`: first-generation numbers, the birth-date window on the day of
            registration) apply to the operator's resident ID.

    Returns:
        A dict: `status` (`pending`) and `account`, the whole account to keep.

    Raises:
        InputError: a document that cannot be read (`input_json`), a resident ID the
            rulebook's identifier rules refuse (`id_resident_legacy`,
            `id_resident_birth_out_of_range`) or a bad `rulebook`.
        SecurityError: not a known agency (`security_not_agency`), a malformed login name or a
            missing real name, 备案 number or role (`security_not_registered`).
    """
def account_set_password(
    account: _Document,
    password: str,
    salt_hex: Union[bytes, bytearray, str],
    on: _DateLike,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Sets a new password (operation `account_set_password`): it must pass the weak-password
    rules and differ from the recent ones; it is stored as PBKDF2-HMAC-SHA256 under the salt.

    Args:
        account: the account dict.
        password: the new password.
        salt_hex: a fresh salt from a CSPRNG (`secrets.token_bytes(16)`), as `bytes` or hex
            text, at least the rulebook's `security.min_salt_bytes`: hedui draws no randomness.
        on: the date of the change, a `datetime.date` or ISO `YYYY-MM-DD` text.
        rulebook: a `Rulebook`; `None` for the built-in one (its password policy).

    Returns:
        A dict: `status` and `account`, the whole account to keep.

    Raises:
        InputError: a document, salt or date that cannot be read.
        SecurityError: a weak or recently used password (`security_weak_password`, every
            reason listed), a short salt (`security_salt_length`).
    """
def account_activate(account: _Document, on: _DateLike) -> dict[str, Any]:
    """Activates an account (operation `account_activate`): never without a signed
    confidentiality agreement and a password.

    Args:
        account: the account dict.
        on: the date of activation.

    Returns:
        A dict: `status` (`active`) and `account`.

    Raises:
        InputError: a document or date that cannot be read.
        SecurityError: `security_confidentiality_unsigned`, `security_password_not_set`,
            `security_not_registered`.
    """
def account_login(
    account: _Document,
    password: str,
    at: _Instant,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Checks a login (operation `account_login`, constant time, the same PBKDF2 work whatever
    the account's state). A refused login is not an exception: the account comes back with
    the failure counted; keep it. The rulebook's `password.lockout_failures`-th failure in a
    row locks the account for `password.lockout_minutes`, each further lock-out twice as long
    up to `password.lockout_max_minutes`; the first login at or after
    `account["locked_until"]` lifts it.

    Args:
        account: the account dict.
        password: the password given.
        at: the time of the login, an aware `datetime` or RFC 3339 text.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `accepted`, `rotation_due`, `rehash_due`, `refused` (when refused: `code`
        `security_wrong_password`, `security_account_locked` or `security_account_inactive`,
        and `message`), `status` and `account`.

    Raises:
        InputError: a document or time that cannot be read.
    """
def account_login_unknown(
    account: str,
    password: str,
    rulebook: Optional[Rulebook] = None,
) -> dict[str, Any]:
    """Answers a login to a name the host has no account for (operation
    `account_login_unknown`): the same PBKDF2 work as a real login, and the answer a wrong
    password gets, so neither the time nor the answer tells a guesser which names exist.

    Args:
        account: the login name given.
        password: the password given.
        rulebook: a `Rulebook`; `None` for the built-in one.

    Returns:
        A dict: `accepted` (`False`) and `refused` (`code` `security_wrong_password`,
        `message`).
    """
