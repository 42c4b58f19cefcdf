"""The TypedDicts of hedui.types against the JSON Schemas and the dicts hedui really returns."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import hedui
from hedui import types as t
from conftest import AS_OF

ROOT = Path(__file__).resolve().parents[2]


def keys(cls: Any) -> tuple[set[str], set[str]]:
    """(required, optional) keys of a TypedDict, read from its annotations as written."""
    required: set[str] = set()
    optional: set[str] = set()
    for name, ann in cls.__annotations__.items():
        text = ann if isinstance(ann, str) else repr(ann)
        (optional if "NotRequired[" in text else required).add(name)
    return required, optional


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("file", "cls"),
    [
        ("report.schema.json", t.Report),
        ("coverage-report.schema.json", t.CoverageReport),
        ("recheck-schedule.schema.json", t.RecheckSchedule),
        ("recheck-summary.schema.json", t.RecheckSummary),
        ("recheck-batches.schema.json", t.BatchPlan),
    ],
)
def test_top_level_keys_are_the_schemas_properties(file: str, cls: Any) -> None:
    s = schema(file)
    required, optional = keys(cls)
    assert required | optional == set(s["properties"])
    assert required == set(s.get("required", []))


def test_nested_typeddicts_are_the_schemas_definitions() -> None:
    defs = schema("report.schema.json")["$defs"]
    for name in ("Finding", "Aggregates", "Gap", "ReportHeader", "ReportMember", "Integrity"):
        required, optional = keys(getattr(t, name))
        assert required | optional == set(defs[name]["properties"]), name
        assert required == set(defs[name].get("required", [])), name


def test_types_module_is_fresh() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make-types.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr


def conforms(value: dict[str, Any], cls: Any) -> None:
    required, optional = keys(cls)
    assert required <= set(value), (cls.__name__, required - set(value))
    assert set(value) <= required | optional, (cls.__name__, set(value) - required - optional)


def test_returned_dicts_have_the_typed_keys(good_case: dict[str, Any]) -> None:
    cases = hedui.sample_cases(40, seed=3)
    batch = hedui.verify_batch(cases + [{"case_id": "x"}], as_of=AS_OF)
    assert batch.reports and batch.errors
    for report in batch.reports:
        conforms(dict(report), t.Report)
        conforms(dict(report["header"]), t.ReportHeader)
        conforms(dict(report["aggregates"]), t.Aggregates)
        for finding in report["findings"]:
            conforms(dict(finding), t.Finding)
        for gap in report["gaps"]:
            conforms(dict(gap), t.Gap)
    for error in batch.errors:
        conforms(dict(error), t.BatchError)
    result = hedui.cases_from_tables(households={"case_id": ["C1"]})
    for e in result.errors:
        conforms(dict(e), t.TableError)
    assert result.errors


def test_every_stub_has_a_docstring() -> None:
    """Each function, method and class of the stubs (and each TypedDict) carries help for an
    IDE; only dunder methods may go without."""
    import ast

    package = Path(hedui.__file__).parent
    missing = []
    for name in ("_hedui.pyi", "types.py", "tables.py", "stream.py"):
        tree = ast.parse((package / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                if node.name.startswith("__") or (name != "_hedui.pyi" and node.name.startswith("_")):
                    continue
                if ast.get_docstring(node) is None:
                    missing.append(f"{name}:{node.name}")
    assert missing == []


def test_errors_name_the_field_not_a_column_of_a_hidden_copy(good_case: dict[str, Any]) -> None:
    good_case["household"]["members"][1]["capacity"] = "sometimes"
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(good_case, as_of=AS_OF)
    message = str(info.value)
    assert "at `household.members[1].capacity`" in message, message
    assert "column" not in message
    assert info.value.detail is not None
    assert info.value.detail["path"] == "household.members[1].capacity"
    assert info.value.detail["message"] == message
    good_case["household"]["members"][1]["capacity"] = "full"
    del good_case["household"]["members"][1]["name"]
    [error] = hedui.verify_batch([good_case], as_of=AS_OF).errors
    assert error["message"].endswith("missing field `name` at `household.members[1]`"), error
