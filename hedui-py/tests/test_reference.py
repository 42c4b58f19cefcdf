"""The pure-Python reference (benches/python/reference.py, which the compare runner times against
hedui) agrees with hedui on cases with field visits: the same report digest for a visit within
the verification's window, the same error code for one outside it (最低生活保障审核确认办法
Art 16, R7)."""

from __future__ import annotations

import copy
import importlib.util
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import hedui

from conftest import AS_OF

REFERENCE = Path(__file__).resolve().parents[2] / "benches" / "python" / "reference.py"


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hedui_reference", REFERENCE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rules(reference: ModuleType) -> Any:
    return reference.Rules(json.loads(hedui.Rulebook.default().to_json()))


def outcome_hedui(case: dict[str, Any]) -> str:
    try:
        integrity = hedui.verify(copy.deepcopy(case), as_of=AS_OF)["integrity"]
        assert integrity is not None
        return str(integrity["digest"])
    except hedui.HeduiError as e:
        return str(e.code)


def outcome_reference(reference: ModuleType, rules: Any, case: dict[str, Any]) -> str:
    try:
        report = reference.assemble(copy.deepcopy(case), rules, datetime.fromisoformat(AS_OF))
        return str(report["integrity"]["digest"])
    except reference.RefError as e:
        return str(e.code)


def with_field_visit(samples: list[tuple[dict[str, Any], Any]]) -> list[dict[str, Any]]:
    cases = [
        c
        for c, expected in samples
        if expected is None and any(o["method"] == "field_visit" for o in c.get("offline_results", []))
    ]
    assert len(cases) >= 5, "too few sample cases with a field visit"
    return cases


def shifted(case: dict[str, Any], days: int, to_entrustment: bool) -> dict[str, Any]:
    """The case with its field visits dated `days` from the entrustment's issue day (or from
    the report's issue day)."""
    out = copy.deepcopy(case)
    start = date.fromisoformat(out["entrustment"]["issued_on"] if to_entrustment else AS_OF[:10])
    for o in out["offline_results"]:
        if o["method"] == "field_visit":
            o["on"] = (start + timedelta(days=days)).isoformat()
    return out


def test_the_reference_agrees_on_field_visits(
    reference: ModuleType, rules: Any, samples: list[tuple[dict[str, Any], Any]]
) -> None:
    for case in with_field_visit(samples)[:10]:
        assert outcome_reference(reference, rules, case) == outcome_hedui(case)
        for days, to_entrustment in [(0, True), (-1, True), (0, False), (1, False)]:
            moved = shifted(case, days, to_entrustment)
            expected = outcome_hedui(moved)
            inside = days == 0
            assert (expected == "field_visit_outside_window") == (not inside), expected
            assert outcome_reference(reference, rules, moved) == expected, (days, to_entrustment)


def test_the_reference_agrees_on_generated_cases(
    reference: ModuleType, rules: Any, samples: list[tuple[dict[str, Any], Any]]
) -> None:
    """The generated cases, with the typical facts of their categories (relation to the head,
    property transactions, tax paid, provident-fund withdrawals, orphan status): the same
    report bytes, or the same error code, from both."""
    kinds: set[str] = set()
    for case, _ in samples:
        assert outcome_reference(reference, rules, case) == outcome_hedui(case), case["case_id"]
        kinds.update(f["kind"] for r in case.get("responses", []) for f in r.get("facts", []))
    assert {"property_transaction", "tax_paid", "provident_fund_withdrawal", "orphan_status"} <= kinds
