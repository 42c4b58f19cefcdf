"""verify_batch: JSONL files and iterables, positions, order, threads."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

import hedui

from conftest import AS_OF


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


def test_batch_from_iterable_matches_single_verifies(samples: list[tuple[dict[str, Any], Any]]) -> None:
    cases = [c for c, _ in samples[:60]]
    result = hedui.verify_batch(cases, as_of=AS_OF)
    singles = []
    for c in cases:
        try:
            singles.append(hedui.verify(c, as_of=AS_OF))
        except hedui.HeduiError:
            pass
    assert result.reports == singles
    assert len(result.reports) + len(result.errors) == len(cases)
    assert repr(result) == f"BatchResult(reports={len(singles)}, errors={len(result.errors)})"


def test_batch_accepts_generators_and_text(good_case_text: str) -> None:
    one_line = json.dumps(json.loads(good_case_text))
    result = hedui.verify_batch((t for t in [one_line, json.loads(good_case_text)]), as_of=AS_OF)
    assert len(result.reports) == 2 and result.errors == []
    assert result.reports[0] == result.reports[1]


def test_batch_file_positions_are_line_numbers(tmp_path: Path, good_case_text: str) -> None:
    good = json.dumps(json.loads(good_case_text), ensure_ascii=False)
    path = write_jsonl(tmp_path / "cases.jsonl", [good, "", "{not json", good, "   ", '{"case_id": 1}'])
    result = hedui.verify_batch(path, as_of=AS_OF)
    assert len(result.reports) == 2
    assert [(e["position"], e["code"]) for e in result.errors] == [(3, "input_json"), (6, "input_json")]
    assert all(e["message"] for e in result.errors)
    # str, pathlib and bytes paths are all paths
    assert hedui.verify_batch(str(path), as_of=AS_OF).errors == result.errors
    assert hedui.verify_batch(str(path).encode(), as_of=AS_OF).errors == result.errors


def test_batch_file_with_bad_utf8(tmp_path: Path, good_case_text: str) -> None:
    good = json.dumps(json.loads(good_case_text)).encode()
    path = tmp_path / "cases.jsonl"
    path.write_bytes(good + b"\n\xff\xfe{}\n" + good + b"\r\n")
    result = hedui.verify_batch(path, as_of=AS_OF)
    assert len(result.reports) == 2
    assert [(e["position"], e["code"]) for e in result.errors] == [(2, "input_utf8")]
    # the message of the one JSONL reader (hedui-ops), as the main job and C give it
    assert result.errors[0]["message"] == "input is not valid utf-8"


def test_batch_file_line_over_the_maximum(tmp_path: Path, good_case_text: str) -> None:
    # hedui-ops' reader rejects a line over 16 MiB at its number and reads on, as C does
    good = json.dumps(json.loads(good_case_text)).encode()
    path = tmp_path / "cases.jsonl"
    path.write_bytes(good + b"\n" + b" " * ((16 << 20) + 1) + b"\n" + good + b"\n")
    result = hedui.verify_batch(path, as_of=AS_OF)
    assert len(result.reports) == 2
    assert [(e["position"], e["code"]) for e in result.errors] == [(2, "input_line_too_long")]
    # the rulebook's limit and the line's length
    assert result.errors[0]["message"] == (
        f"`limits.max_line_bytes` is {16 << 20}, the line has {(16 << 20) + 1} bytes"
    )


def test_batch_file_positions_hold_across_chunks(tmp_path: Path, good_case_text: str) -> None:
    # the file is read a chunk (512 lines) at a time: bad lines on both sides of each chunk
    # boundary keep their line numbers, and a last line without a newline still counts
    good = json.dumps(json.loads(good_case_text), ensure_ascii=False).encode()
    bad_at = {1, 512, 513, 1024, 1025, 1300}
    lines = [b"\xff not utf-8" if n in bad_at else (b"" if n % 97 == 0 else good) for n in range(1, 1301)]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join(lines))  # no newline after line 1300
    result = hedui.verify_batch(path, as_of=AS_OF)
    assert [e["position"] for e in result.errors] == sorted(bad_at)
    assert {e["code"] for e in result.errors} == {"input_utf8"}
    blank = sum(1 for n in range(1, 1301) if n % 97 == 0 and n not in bad_at)
    assert len(result.reports) == 1300 - len(bad_at) - blank


def test_batch_of_an_empty_or_blank_file(tmp_path: Path) -> None:
    for content in [b"", b"\n", b"  \n\n\t\n"]:
        path = tmp_path / "blank.jsonl"
        path.write_bytes(content)
        result = hedui.verify_batch(path, as_of=AS_OF)
        assert result.reports == [] and result.errors == []


def test_batch_of_a_missing_file_is_an_io_error(tmp_path: Path) -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.verify_batch(tmp_path / "missing.jsonl", as_of=AS_OF)
    assert info.value.code == "input_io"
    with pytest.raises(hedui.InputError) as info:
        hedui.verify_batch(tmp_path, as_of=AS_OF)  # a directory: opens, then cannot be read
    assert info.value.code == "input_io"


def test_batch_keeps_input_order_over_chunks(samples: list[tuple[dict[str, Any], Any]]) -> None:
    cases = [c for c, _ in samples] * 15  # 4500 cases: several pipeline chunks
    result = hedui.verify_batch(cases, as_of=AS_OF)
    numbers = [r["header"]["case_id"] for r in result.reports]
    good = [c["case_id"] for c, e in samples if e is None] * 15
    assert numbers == good
    positions = [e["position"] for e in result.errors]
    assert positions == sorted(positions) and positions[-1] > 4096


def test_batch_unconvertible_items_become_errors_in_place(good_case: dict[str, Any]) -> None:
    bad = dict(good_case, case_id={1, 2})
    result = hedui.verify_batch([good_case, bad, 42, good_case], as_of=AS_OF)  # type: ignore[list-item]
    assert len(result.reports) == 2
    assert [(e["position"], e["code"]) for e in result.errors] == [(2, "input_json"), (3, "input_json")]


def test_batch_rejects_non_iterables_and_single_dicts(good_case: dict[str, Any]) -> None:
    for cases in (42, good_case, None):
        with pytest.raises(hedui.InputError) as info:
            hedui.verify_batch(cases)  # type: ignore[arg-type]
        assert info.value.code == "input_argument"


def test_batch_result_is_frozen(good_case: dict[str, Any]) -> None:
    result = hedui.verify_batch([good_case], as_of=AS_OF)
    with pytest.raises(AttributeError):
        result.reports = []  # type: ignore[misc]


def test_batch_from_several_threads_at_once(samples: list[tuple[dict[str, Any], Any]], tmp_path: Path) -> None:
    cases = [c for c, _ in samples[:120]]
    path = write_jsonl(tmp_path / "cases.jsonl", [json.dumps(c, ensure_ascii=False) for c in cases])
    expected = hedui.verify_batch(cases, as_of=AS_OF)
    outcomes: list[Any] = [None] * 8
    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        barrier.wait()
        try:
            source = path if i % 2 else cases
            outcomes[i] = hedui.verify_batch(source, as_of=AS_OF)
        except BaseException as e:  # noqa: BLE001 - reported below
            outcomes[i] = e

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got in outcomes:
        assert isinstance(got, hedui.BatchResult), got
        assert got.reports == expected.reports
        assert got.errors == expected.errors
