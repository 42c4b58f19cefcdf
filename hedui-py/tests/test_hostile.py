"""Hostile input of any type or shape only ever raises HeduiError: never another exception,
never PanicException, never a crash."""

from __future__ import annotations

import copy
import datetime
import decimal
import json
import re
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hedui
from hedui.types import Report

from conftest import AS_OF, CORPUS

GOOD_CASE: dict[str, Any] = json.loads((CORPUS / "cases" / "sample-good-1.json").read_text(encoding="utf-8"))
GOOD_REPORT: Report = hedui.verify(GOOD_CASE, as_of=AS_OF)
RULEBOOK_DOC: dict[str, Any] = json.loads(hedui.Rulebook.default().to_json())

settings.register_profile(
    "hedui",
    database=None,
    deadline=None,
    max_examples=120,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("hedui")

surrogates = st.characters(categories=["Cs"])
texts = st.text(alphabet=st.one_of(st.characters(), surrogates), max_size=30)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63 - 3, max_value=2**63 + 3),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.floats(),
    texts,
    st.binary(max_size=20),
    st.sets(st.integers(), max_size=3),
    st.frozensets(st.text(max_size=3), max_size=2),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(datetime.timezone.utc)),
    st.decimals(allow_nan=True),
    st.complex_numbers(),
    st.builds(object),
    st.just(Ellipsis),
    st.just(hedui.Rulebook.default()),
)
hostile = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.tuples(children, children),
        st.dictionaries(st.one_of(texts, st.integers(), st.none(), st.floats()), children, max_size=4),
    ),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """`base` with 1-4 random edits: a key deleted, a value replaced by hostile data or by
    a value of another type, a list emptied or grown."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        parent: Any = None
        key: Any = None
        node = doc
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 4)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            parent, node = node, node[key]
        if parent is None:
            continue
        action = draw(st.integers(0, 4))
        if action == 0 and isinstance(parent, dict):
            del parent[key]
        elif action == 1:
            parent[key] = draw(hostile)
        elif action == 2:
            parent[key] = draw(st.sampled_from([0, -1, 2**64, "", "x" * 300, [], {}, None, True, 1.5]))
        elif action == 3 and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[0]) if parent else draw(hostile))
        else:
            parent[key] = draw(hostile)
    return doc


def only_hedui_errors(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    try:
        fn(*args, **kwargs)
    except hedui.HeduiError as e:
        assert isinstance(e.code, str) and e.code
        assert e.area in {"input", "authorization", "entrustment", "verification", "population", "security"}
        assert e.code != "internal", str(e)


@given(hostile, hostile)
def test_any_value_as_case_or_argument(value: Any, other: Any) -> None:
    only_hedui_errors(hedui.verify, value)
    only_hedui_errors(hedui.verify, GOOD_CASE, as_of=value)
    only_hedui_errors(hedui.verify, GOOD_CASE, rulebook=value)
    only_hedui_errors(hedui.verify_json, value, as_of=AS_OF)
    only_hedui_errors(hedui.authorization_check, value, other, value)
    only_hedui_errors(hedui.authorization_check, GOOD_CASE["authorization"], GOOD_CASE["household"], value)
    only_hedui_errors(hedui.report_render_markdown, value)
    only_hedui_errors(hedui.report_verify_digest, value)
    only_hedui_errors(hedui.reports_to_records, value)
    only_hedui_errors(hedui.reports_to_records, [value])
    only_hedui_errors(hedui.Rulebook.from_json, value)
    only_hedui_errors(hedui.sample_cases, value)
    only_hedui_errors(hedui.sample_cases, 1, seed=value, start=other)
    if not isinstance(value, (str, bytes)):  # a str or bytes is a path
        only_hedui_errors(hedui.verify_batch, value)
    only_hedui_errors(hedui.verify_batch, [value, other], as_of=AS_OF)


@given(mutated(GOOD_CASE))
def test_mutated_cases(case: Any) -> None:
    only_hedui_errors(hedui.verify, case, as_of=AS_OF)
    only_hedui_errors(hedui.verify_batch, [case, GOOD_CASE], as_of=AS_OF)
    if isinstance(case, dict):
        only_hedui_errors(
            hedui.authorization_check, case.get("authorization"), case.get("household"), "2026-07-01"
        )


@given(mutated(GOOD_REPORT))
def test_mutated_reports(report: Any) -> None:
    only_hedui_errors(hedui.report_render_markdown, report)
    only_hedui_errors(hedui.report_verify_digest, report)
    only_hedui_errors(hedui.reports_to_records, [report])


@given(mutated(RULEBOOK_DOC))
def test_mutated_rulebooks(doc: Any) -> None:
    try:
        text = json.dumps(doc)
    except (TypeError, ValueError):
        text = repr(doc)
    only_hedui_errors(hedui.Rulebook.from_json, text)


@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_huge_amounts_overflow_cleanly(amount: int) -> None:
    case = copy.deepcopy(GOOD_CASE)
    for r in case["responses"]:
        if r["category"] == "bank_deposits":
            r["facts"] = [{"kind": "deposit", "institution": "某银行", "balance_fen": amount}] * 3
    only_hedui_errors(hedui.verify, case, as_of=AS_OF)


def test_cycles_and_deep_nesting() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    deep_dict: Any = {}
    for _ in range(100_000):
        deep_dict = {"a": deep_dict}
    for value in (cycle, deep, deep_dict, "[" * 100_000, decimal.Decimal("1e999999")):
        only_hedui_errors(hedui.verify, value)
        only_hedui_errors(hedui.verify_batch, [value])


# ------------------------------------------------------------------ population and security

APPLICATION: dict[str, Any] = {
    "id": "A1",
    "household_id": "H1",
    "region": "141030",
    "applied_on": "2026-03-01",
    "programme": "minimum_living_allowance",
    "kind": "new",
    "members": ["141030197803100016"],
}
RECORD: dict[str, Any] = {
    "household_id": "H1",
    "number": "WT1",
    "verified_on": "2026-03-05",
    "members": ["141030197803100016"],
    "queried": [{"category": "bank_deposits", "answered_by": "county"}],
    "region": "141030",
}
HOUSEHOLD: dict[str, Any] = {
    "household_id": "H1",
    "programme": "destitute_persons",
    "household_type": "stable",
    "last_checked": "2025-01-01",
    "authorization_signed_on": "2025-01-01",
    "agency_id": "HD141030",
    "events": [{"kind": "member_death", "on": "2025-06-01"}],
}
GRANT: dict[str, Any] = {
    "case_id": "C1",
    "household_id": "H1",
    "relieved_on": "2026-07-01",
    "amount_fen": 100,
    "reason": "x",
    "emergency": True,
}
EVENT: dict[str, Any] = {
    "at": AS_OF,
    "event": "login",
    "decision": "deny",
    "actor": "op",
    "reason": "r",
    "context": "0" * 64,
}
KEY = bytes(32)
KEYRING = hedui.AuditKeyring()
KEYRING.add("k1", KEY)


@given(hostile, hostile)
def test_any_value_to_population_and_security(value: Any, other: Any) -> None:
    only_hedui_errors(hedui.coverage_audit, value, other, value)
    only_hedui_errors(hedui.coverage_audit, [APPLICATION], [RECORD], ["141030"], queryable=value, rulebook=other)
    only_hedui_errors(hedui.recheck_schedule, value, other)
    only_hedui_errors(hedui.recheck_schedule, [HOUSEHOLD], value)
    only_hedui_errors(hedui.EmergencyLedger, value)
    only_hedui_errors(hedui.EmergencyLedger.from_json, value)
    ledger = hedui.EmergencyLedger()
    only_hedui_errors(ledger.record, value)
    only_hedui_errors(ledger.close, value, other, value)
    only_hedui_errors(ledger.follow_ups, value)
    only_hedui_errors(hedui.AuditKeyring().add, value, other)
    only_hedui_errors(hedui.AuditChain, value, other)
    only_hedui_errors(hedui.AuditChain, "A-1", value)
    only_hedui_errors(hedui.AuditChain.from_jsonl, value, "", other)
    only_hedui_errors(hedui.AuditChain.from_jsonl, KEYRING, value, other)
    chain = hedui.AuditChain("A-1", KEYRING)
    only_hedui_errors(chain.append, value)
    only_hedui_errors(chain.verify, value)
    only_hedui_errors(hedui.password_check, value, other, value)
    only_hedui_errors(hedui.password_check, value, "op", "141030197803100016", rulebook=other)
    only_hedui_errors(hedui.permission_check, value, other, value, other)
    only_hedui_errors(hedui.report_mask, value, other)
    only_hedui_errors(hedui.report_mask, GOOD_REPORT, "operator", value)
    only_hedui_errors(hedui.report_sign, value, other, value)
    only_hedui_errors(hedui.report_sign, GOOD_REPORT, "k", value)
    only_hedui_errors(hedui.signing_key_trust, value, other)
    only_hedui_errors(hedui.report_verify_signature, value, other)


@given(mutated(APPLICATION), mutated(RECORD), mutated(HOUSEHOLD))
def test_mutated_population_records(application: Any, record: Any, household: Any) -> None:
    only_hedui_errors(hedui.coverage_audit, [application, APPLICATION], [record, RECORD], ["141030"])
    only_hedui_errors(hedui.recheck_schedule, [household, HOUSEHOLD], "2026-11-29")


@given(mutated(GRANT), mutated(EVENT), mutated(GOOD_REPORT))
def test_mutated_ledger_and_chain_input(grant: Any, event: Any, report: Any) -> None:
    ledger = hedui.EmergencyLedger()
    only_hedui_errors(ledger.record, grant)
    only_hedui_errors(ledger.close, "C1-1", report, "2026-07-10")
    only_hedui_errors(ledger.follow_ups, "2026-11-29")
    only_hedui_errors(hedui.EmergencyLedger.from_json, ledger.to_json())
    chain = hedui.AuditChain("A-1", KEYRING)
    only_hedui_errors(chain.append, event)
    only_hedui_errors(chain.verify, chain.head())
    only_hedui_errors(hedui.report_mask, report, "archivist")
    only_hedui_errors(hedui.report_sign, report, "k", KEY)


@given(st.text(max_size=300))
def test_any_text_as_audit_log(text: str) -> None:
    chain = hedui.AuditChain("A-1", KEYRING)
    chain.append(EVENT)
    only_hedui_errors(hedui.AuditChain.from_jsonl, KEYRING, text, chain.head())
    only_hedui_errors(hedui.AuditChain.from_jsonl, KEYRING, chain.to_jsonl() + text, chain.head())


# ------------------------------------------------------------------ no resident ID in errors

#: 15- and 18-digit runs: first-generation and current resident IDs (valid or not), as the
#: JSON types they may come as.
id_runs = st.one_of(st.integers(10**14, 10**15 - 1), st.integers(10**17, 10**18 - 1)).flatmap(
    lambda n: st.sampled_from([n, str(n), f"户主 {n} 号", float(n), {"id": n}, [n]])
)


@st.composite
def with_id_runs(draw: st.DrawFn, base: Any) -> Any:
    """`base` with 1-3 values (or keys) replaced by a digit run."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        parent: Any = None
        key: Any = None
        node = doc
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 5)) > 0:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            parent, node = node, node[key]
        run = draw(id_runs)
        if parent is None:
            if isinstance(doc, dict):
                doc[str(draw(st.integers(10**17, 10**18 - 1)))] = run
            continue
        parent[key] = run
    return doc


def no_id_in_error(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Any error `fn` raises is a HeduiError whose message and detail hold no run of 15 or
    more digits."""
    try:
        fn(*args, **kwargs)
    except hedui.HeduiError as e:
        for text in (str(e), json.dumps(e.detail, ensure_ascii=False), repr(e.args)):
            assert not re.search(r"[0-9]{15,}", text), text


@given(with_id_runs(GOOD_CASE), id_runs)
def test_no_resident_id_in_any_error(case: Any, run: Any) -> None:
    no_id_in_error(hedui.verify, case, as_of=AS_OF)
    no_id_in_error(hedui.verify_json, json.dumps(case), as_of=AS_OF)
    no_id_in_error(hedui.verify, GOOD_CASE, as_of=run)
    no_id_in_error(hedui.verify, run)
    no_id_in_error(hedui.authorization_check, case.get("authorization"), case.get("household"), run)
    no_id_in_error(hedui.id_check, "resident_id", run)
    no_id_in_error(hedui.id_check, run, "x")
    no_id_in_error(hedui.password_check, "Gx7#kq2!Lm9z", "op", run)
    no_id_in_error(hedui.report_render_markdown, case)
    no_id_in_error(hedui.coverage_audit, [case], [run], ["141030"])
    no_id_in_error(hedui.recheck_schedule, [case], "2026-11-29")
    no_id_in_error(hedui.EmergencyLedger().record, case)
    result = hedui.verify_batch([case, GOOD_CASE, run], as_of=AS_OF)
    for error in result.errors:
        assert not re.search(r"[0-9]{15,}", json.dumps(error, ensure_ascii=False)), error


def test_an_id_given_as_a_number_is_masked() -> None:
    case = copy.deepcopy(GOOD_CASE)
    case["household"]["members"][0]["id"] = 141030197803100016
    try:
        hedui.verify(case, as_of=AS_OF)
    except hedui.InputError as e:
        assert "141030**********16" in str(e), str(e)
        assert "141030197803100016" not in json.dumps(e.detail)
    else:
        raise AssertionError("a number accepted as a resident ID")
    errors = hedui.verify_batch([case], as_of=AS_OF).errors
    assert errors and "141030**********16" in errors[0]["message"], errors
