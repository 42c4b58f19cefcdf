"""What building the report dicts costs in CPython, whoever builds them.

    python benches/python/dict_floor.py [--cases 3000] [--seed 2026] [--repeat 3]

``hedui.verify_batch`` must hand back one dict per report, and only the interpreter's thread
can make Python objects. This measures, per report, on the same sample reports:

- ``marshal.loads`` and ``pickle.loads`` of the reports: CPython's own C code making the same
  dicts, lists, strs and ints from a compact binary form (no parsing of text, no rules);
- ``json.loads`` of the reports' JSON text (the C scanner);
- the core on one thread with JSON text out (``hedui.verify_json``: no dicts at all);
- ``hedui.verify_batch`` on all cores, dicts out, per case.

The cyclic GC is paused while timing the loads, as ``verify_batch`` pauses it. Prints a table
on stdout.
"""

from __future__ import annotations

import argparse
import gc
import json
import marshal
import os
import pickle
import sys
import tempfile
import time
from typing import Any, Callable, List

import hedui

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

AS_OF = "2026-11-29T10:00:00+08:00"


def best_of(repeat: int, run: Callable[[], Any]) -> float:
    """The best time of `repeat` calls of `run` (compare.py's clock: the previous result is
    freed before each start)."""
    return compare.best_of(repeat, run)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    lines = [
        json.dumps(c, ensure_ascii=False, separators=(",", ":"))
        for c in hedui.sample_cases(args.cases, seed=args.seed)
    ]
    texts: List[str] = []
    for line in lines:
        try:
            texts.append(hedui.verify_json(line, as_of=AS_OF))
        except hedui.HeduiError:
            pass
    reports = [json.loads(t) for t in texts]
    n = len(reports)
    marshalled = [marshal.dumps(r) for r in reports]
    pickled = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in reports]
    objects = 0
    for r in reports[:100]:
        stack: List[Any] = [r]
        while stack:
            o = stack.pop()
            objects += 1
            if isinstance(o, dict):
                stack.extend(o.values())
            elif isinstance(o, list):
                stack.extend(o)
    del reports

    rows = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        rows.append(("marshal.loads", best_of(args.repeat, lambda: [marshal.loads(b) for b in marshalled]) / n))
        rows.append(("pickle.loads", best_of(args.repeat, lambda: [pickle.loads(b) for b in pickled]) / n))
        rows.append(("json.loads", best_of(args.repeat, lambda: [json.loads(t) for t in texts]) / n))
    finally:
        if enabled:
            gc.enable()

    core_only = best_of(args.repeat, lambda: compare.verify_lines_as_text(lines))
    rows.append(("hedui.verify_json, 1 thread, text out (per case)", core_only / len(lines)))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        hedui.verify_batch(path, as_of=AS_OF)
        rows.append(
            (
                f"hedui.verify_batch, {os.cpu_count()} cores, dicts out (per case)",
                best_of(args.repeat, lambda: hedui.verify_batch(path, as_of=AS_OF)) / len(lines),
            )
        )

    print(f"{n} reports of {len(lines)} sample cases, {objects / 100:.0f} Python objects per report")
    for name, seconds in rows:
        print(f"{name:<52} {seconds * 1e6:8.1f} µs")


if __name__ == "__main__":
    main()
