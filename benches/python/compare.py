"""Times ``hedui.verify_batch`` against the pure-Python reference on the same cases.

    python benches/python/compare.py [--cases 10000] [--seed 2026] [--repeat 3]

Both read the same JSONL file of sample cases and return the reports as dicts; the run also
checks that both give byte-identical reports and the same error codes (exit 1 if not). Prints
one JSON line on stdout, ``{"python_vs_reference": X}`` (reference time / hedui time), and
the details on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import datetime

import hedui

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference  # noqa: E402

AS_OF = "2026-11-29T10:00:00+08:00"


def compact(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def best_of(repeat: int, run):
    """The best time of `repeat` calls of `run` and the last result.

    The previous result is freed before the clock starts, so no run is charged for tearing
    down the objects of the one before it.
    """
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def verify_lines_as_text(lines: list[str]) -> int:
    done = 0
    for line in lines:
        try:
            hedui.verify_json(line, as_of=AS_OF)
            done += 1
        except hedui.HeduiError:
            pass
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts")
    args = parser.parse_args()

    cases = hedui.sample_cases(args.cases, seed=args.seed)
    rulebook = json.loads(hedui.Rulebook.default().to_json())
    issued_at = datetime.fromisoformat(AS_OF)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "cases.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for case in cases:
                f.write(compact(case) + "\n")
        del cases
        hedui.verify_batch(path, as_of=AS_OF)  # warm up: thread pool, page cache
        t_hedui, batch = best_of(args.repeat, lambda: hedui.verify_batch(path, as_of=AS_OF))
        t_ref, (ref_reports, ref_errors) = best_of(
            args.repeat, lambda: reference.verify_file(path, rulebook, issued_at)
        )
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        # for the record: the core alone on one thread, JSON text out (no dicts to build)
        t_text, _ = best_of(args.repeat, lambda: verify_lines_as_text(lines))

    mismatches = 0
    if len(batch.reports) != len(ref_reports):
        mismatches += abs(len(batch.reports) - len(ref_reports))
    for a, b in zip(batch.reports, ref_reports):
        if compact(a) != compact(b):
            mismatches += 1
    ours = [(e["position"], e["code"]) for e in batch.errors]
    theirs = [(e["position"], e["code"]) for e in ref_errors]
    if ours != theirs:
        mismatches += len(set(ours) ^ set(theirs)) or 1

    ratio = t_ref / t_hedui
    print(
        f"{args.cases} cases ({len(batch.reports)} reports, {len(batch.errors)} errors), "
        f"{os.cpu_count()} cores: hedui.verify_batch {t_hedui:.3f} s "
        f"({args.cases / t_hedui:,.0f} cases/s), reference {t_ref:.3f} s "
        f"({args.cases / t_ref:,.0f} cases/s), identical outcomes: {mismatches == 0}; "
        f"hedui.verify_json one line at a time on one thread (JSON text out, no dicts) "
        f"{t_text:.3f} s, {t_ref / t_text:.1f}x the reference",
        file=sys.stderr,
    )
    print(json.dumps({"python_vs_reference": round(ratio, 1)}))
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
