"""Streaming, progress, Ctrl-C and wrong containers."""

from __future__ import annotations

import copy
import io
import json
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tqdm import tqdm

import hedui
from conftest import AS_OF


def generated(template: dict[str, Any], n: int, bad_every: int = 0) -> Iterator[Any]:
    """`n` cases made one at a time (never a list), every `bad_every`-th one broken."""
    for i in range(n):
        if bad_every and i % bad_every == bad_every - 1:
            yield {"case_id": f"bad-{i}"}
            continue
        case = copy.deepcopy(template)
        case["case_id"] = f"C-{i:06}"
        yield case


def test_iter_verify_batch_keeps_order_positions_and_matches_verify_batch(
    good_case: dict[str, Any],
) -> None:
    cases = list(generated(good_case, 250, bad_every=7))
    chunks = list(hedui.iter_verify_batch(iter(cases), as_of=AS_OF, chunk_size=40))
    assert [c.first_position for c in chunks] == list(range(1, 251, 40))
    whole = hedui.verify_batch(cases, as_of=AS_OF)
    assert [r for c in chunks for r in c.reports] == whole.reports
    assert [e for c in chunks for e in c.errors] == whole.errors
    assert [e["position"] for c in chunks for e in c.errors] == list(range(7, 251, 7))
    assert [r["header"]["case_id"] for c in chunks for r in c.reports][:3] == ["C-000000", "C-000001", "C-000002"]


def test_iter_verify_batch_reads_jsonl_with_line_numbers(
    good_case: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(
        "\n".join([json.dumps(good_case), "", "not json", json.dumps(good_case)]) + "\n",
        encoding="utf-8",
    )
    chunks = list(hedui.iter_verify_batch(path, as_of=AS_OF, chunk_size=2))
    assert [len(c.reports) for c in chunks] == [1, 1]
    assert [(e["position"], e["code"]) for c in chunks for e in c.errors] == [(3, "input_json")]


def test_iter_verify_batch_memory_stays_bounded(good_case: dict[str, Any]) -> None:
    n, chunk = 1500, 50
    tracemalloc.start()
    try:
        seen = 0
        for c in hedui.iter_verify_batch(generated(good_case, n), as_of=AS_OF, chunk_size=chunk):
            seen += len(c.reports)
        _, streamed = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        held = hedui.verify_batch(list(generated(good_case, n)), as_of=AS_OF).reports
        _, whole = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == len(held) == n
    # one chunk of 50 at a time against 1500 reports at once
    assert streamed * 5 < whole, (streamed, whole)


def test_progress_counts_every_case_and_drives_tqdm(good_case: dict[str, Any]) -> None:
    cases = list(generated(good_case, 1200, bad_every=10))
    counts: list[int] = []
    result = hedui.verify_batch(cases, as_of=AS_OF, progress=counts.append)
    assert sum(counts) == len(cases) and len(counts) >= 2
    assert len(result.reports) + len(result.errors) == len(cases)
    bar = tqdm(total=len(cases), file=io.StringIO())
    hedui.verify_batch(cases, as_of=AS_OF, progress=bar.update)
    assert bar.n == len(cases)
    bar.close()
    streamed: list[int] = []
    for _ in hedui.iter_verify_batch(cases, as_of=AS_OF, chunk_size=500, progress=streamed.append):
        pass
    assert streamed == [500, 500, 200]
    with pytest.raises(TypeError, match="callable"):
        hedui.verify_batch(cases, as_of=AS_OF, progress=5)  # type: ignore[call-overload]
    # the Arrow path counts the same cases, a chunk at a time
    arrow_counts: list[int] = []
    tables = hedui.verify_batch(cases, as_of=AS_OF, output="arrow", progress=arrow_counts.append)
    assert sum(arrow_counts) == len(cases) and len(arrow_counts) >= 2
    assert tables.reports.num_rows + tables.errors.num_rows == len(cases)
    with pytest.raises(TypeError, match="callable"):
        hedui.verify_batch(cases, as_of=AS_OF, output="arrow", progress=5)  # type: ignore[call-overload]


def test_an_exception_in_progress_stops_the_arrow_path(good_case: dict[str, Any]) -> None:
    cases = list(generated(good_case, 1200))
    calls: list[int] = []

    def stop(n: int) -> None:
        calls.append(n)
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        hedui.verify_batch(cases, as_of=AS_OF, output="arrow", progress=stop)
    assert len(calls) == 1


CHILD = r"""
import json, sys, time
import hedui
case = json.loads(open(sys.argv[1], encoding="utf-8").read())
cases = [case] * int(sys.argv[2])  # one dict many times: cheap to make, as long to verify
done = [0]
times = []
def progress(n):
    done[0] += n
    times.append(time.monotonic())
    if len(times) == 2:  # the time one chunk takes on this machine
        print("running", times[1] - times[0], flush=True)
try:
    hedui.verify_batch(cases, as_of="2026-11-29T10:00:00+08:00", output=sys.argv[3], threads=1, progress=progress)
    print("finished", done[0], flush=True)
except KeyboardInterrupt:
    print("interrupted", done[0], flush=True)
"""


@pytest.mark.parametrize("output", ["dicts", "arrow"])
def test_ctrl_c_stops_a_long_batch_promptly(good_case_text: str, tmp_path: Path, output: str) -> None:
    case = tmp_path / "case.json"
    case.write_text(good_case_text, encoding="utf-8")
    total = 200_000
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(case), str(total), output],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    try:
        running, chunk = child.stdout.readline().split()
        assert running == "running"
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        child.kill()
    last = out.strip().splitlines()[-1].split()
    assert last[0] == "interrupted", out
    assert int(last[1]) < total
    # the batch has hundreds of chunks; it stops after the chunk being verified
    assert took < 3 * float(chunk) + 2, (took, chunk)


def test_wrong_containers_raise_type_errors_saying_what_to_pass(
    good_case: dict[str, Any], good_case_text: str
) -> None:
    frame = pd.DataFrame([good_case])
    for wrong in (frame, frame["case_id"], good_case, good_case_text):
        with pytest.raises(TypeError) as info:
            hedui.verify_batch(wrong)
        assert isinstance(info.value, hedui.InputError)
        assert info.value.code == "input_argument"
        with pytest.raises(TypeError):
            next(hedui.iter_verify_batch(wrong))
    with pytest.raises(TypeError, match=r'to_dict\("records"\)') as info:
        hedui.verify_batch(frame)
    assert "cases_from_tables" in str(info.value)
