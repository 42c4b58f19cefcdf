"""The shared corpus: each case gives exactly the recorded outcome, byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import hedui

from conftest import AS_OF, CORPUS, corpus_cases


def outcome(case_text: str) -> str:
    """The outcome file content, as tests/src/lib.rs `verify_to_outcome` writes it."""
    try:
        return hedui.verify_json(case_text, as_of=AS_OF) + "\n"
    except hedui.HeduiError as e:
        return '{"error":"%s"}\n' % e.code


def test_corpus_is_there() -> None:
    assert len(corpus_cases()) >= 8


@pytest.mark.parametrize("path", corpus_cases(), ids=lambda p: p.stem)
def test_verify_json_matches_recorded_outcome(path: Path) -> None:
    expected = (CORPUS / "expected" / path.name).read_text(encoding="utf-8")
    assert outcome(path.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("path", corpus_cases(), ids=lambda p: p.stem)
def test_verify_dict_matches_recorded_outcome(path: Path) -> None:
    expected = (CORPUS / "expected" / path.name).read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    try:
        case = json.loads(text)
    except json.JSONDecodeError:
        case = text  # not JSON: verify reads the text itself and must say so
    try:
        report = hedui.verify(case, as_of=AS_OF)
        got = json.dumps(report, ensure_ascii=False, separators=(",", ":")) + "\n"
    except hedui.HeduiError as e:
        got = '{"error":"%s"}\n' % e.code
    assert got == expected


def test_batch_over_the_corpus_matches(tmp_path: Path) -> None:
    paths = corpus_cases()
    jsonl = tmp_path / "corpus.jsonl"
    jsonl.write_text(
        "".join(" ".join(p.read_text(encoding="utf-8").split("\n")) + "\n" for p in paths),
        encoding="utf-8",
    )
    result = hedui.verify_batch(jsonl, as_of=AS_OF)
    reports = iter(result.reports)
    errors = {e["position"]: e["code"] for e in result.errors}
    for position, path in enumerate(paths, start=1):
        expected = (CORPUS / "expected" / path.name).read_text(encoding="utf-8")
        if position in errors:
            assert expected == '{"error":"%s"}\n' % errors[position], path.name
        else:
            got = json.dumps(next(reports), ensure_ascii=False, separators=(",", ":")) + "\n"
            assert got == expected, path.name
