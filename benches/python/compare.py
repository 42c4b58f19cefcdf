"""Times ``hedui.verify_batch`` against the pure-Python reference on the same cases.

    python benches/python/compare.py [--cases 10000] [--seed 2026] [--repeat 3] [--ids 1000000]
    python benches/python/compare.py --only-ids [--ids 1000000] [--repeat 3]

Both read the same JSONL file of sample cases and return the reports as dicts; the run also
checks that both give byte-identical reports and the same error codes (exit 1 if not).

The same file then goes through the Arrow path (``verify_batch(path, output="arrow")``: the
five Arrow tables, no dicts; its digests and errors are checked against the dict path) and
through the Rust main job (``verify_batch --format parquet``, built with cargo when needed;
``HEDUI_MAIN_JOB`` names a binary instead). Prints one JSON line on stdout with

- ``python_vs_reference``: reference time / ``verify_batch`` (dicts) time;
- ``python_arrow_vs_reference``: reference time / Arrow path time;
- ``python_arrow_vs_rust``: main job writing Parquet / Arrow path (both on every core);
- ``records_speed``: ``verify_batch`` + ``reports_to_records`` over ``verify_batch(output=
  "arrow")`` + ``pyarrow.table(findings)``: the time to a findings table either way;
- ``parquet_vs_jsonl_time`` and ``parquet_vs_jsonl_size``: the main job's Parquet run over its
  JSONL run (``--no-render``), time and bytes written;

- ``ids_vs_stdnum``: python-stdnum's time over ``hedui.check_resident_ids``'s on the same
  ``--ids`` resident IDs (default 1,000,000, a Python list of str; ``0`` skips it): stdnum
  ``ric.is_valid`` one number at a time (validity only), hedui the whole verdict table (value,
  validity, error code, birth date, sex, region); both must agree on every number's validity.
  ``ids_arrow_vs_stdnum`` is the same with the numbers handed over as a pyarrow array;

(``null`` where a side could not run, with the reason on stderr) and the details on stderr.
``--only-ids`` measures the identifiers alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Optional

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


ROOT = Path(__file__).resolve().parents[2]


def main_job() -> Optional[str]:
    """The main job's binary: ``HEDUI_MAIN_JOB``, or ``cargo build --release --example
    verify_batch`` in this repository."""
    if os.environ.get("HEDUI_MAIN_JOB"):
        return os.environ["HEDUI_MAIN_JOB"]
    if shutil.which("cargo") is None:
        return None
    built = subprocess.run(
        ["cargo", "build", "--release", "-q", "--example", "verify_batch"], cwd=ROOT
    )
    binary = ROOT / "target" / "release" / "examples" / "verify_batch"
    return str(binary) if built.returncode == 0 and binary.exists() else None


def dir_bytes(path: str) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def run_main_job(binary: str, path: str, out: str, fmt: Optional[str]) -> bool:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [binary, "--input", path, "--out", out, "--as-of", AS_OF, "--no-render"]
    if fmt is not None:
        cmd += ["--format", fmt]
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        print(f"main job {' '.join(cmd[1:])} failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
    return done.returncode == 0


def over(a: Optional[float], b: Optional[float], digits: int = 2) -> Optional[float]:
    return round(a / b, digits) if a is not None and b else None


# Counties stdnum's table lists for births of 1950-2009 (its table carries each county's years,
# and refuses a county for a birth before it was set up).
ID_COUNTIES = ["110101", "110102", "110105", "110108", "120101", "310104"]
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_ids(n: int, seed: int) -> list[str]:
    """`n` resident IDs: about 80% valid, the rest with a wrong check character or a day that
    does not exist."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body = (
            f"{rng.choice(ID_COUNTIES)}{rng.randrange(1950, 2010)}{rng.randrange(1, 13):02d}"
            f"{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
        )
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11]
        roll = rng.random()
        if roll < 0.8:
            out.append(body + check)
        elif roll < 0.9:
            out.append(body + ("0" if check != "0" else "1"))
        else:
            body = body[:12] + "31" + body[14:]  # day 31: invalid in some months
            out.append(body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS)) % 11])
    return out


def ids_vs_stdnum(n: int, seed: int, repeat: int) -> tuple[Optional[float], Optional[float], int]:
    """(stdnum time / hedui time, the same with an Arrow array, validity mismatches)."""
    try:
        from stdnum.cn import ric
    except ImportError:
        print("ids_vs_stdnum not measured: python-stdnum is not installed", file=sys.stderr)
        return None, None, 0
    import pyarrow as pa

    ids = resident_ids(n, seed)
    hedui.check_resident_ids(ids[:1000])  # warm up
    t_hedui, table = best_of(repeat, lambda: hedui.check_resident_ids(ids))
    arrow_ids = pa.array(ids)
    t_arrow, _ = best_of(repeat, lambda: hedui.check_resident_ids(arrow_ids))
    is_valid = ric.is_valid
    t_stdnum, verdicts = best_of(repeat, lambda: [is_valid(x) for x in ids])
    ours = pa.table(table).column("valid").to_pylist()
    mismatches = sum(1 for a, b in zip(ours, verdicts) if a != b) + abs(len(ours) - len(verdicts))
    print(
        f"{n:,} resident IDs ({sum(verdicts):,} valid): hedui.check_resident_ids {t_hedui:.3f} s "
        f"from a list, {t_arrow:.3f} s from a pyarrow array; python-stdnum ric.is_valid "
        f"{t_stdnum:.3f} s; {t_stdnum / t_hedui:.1f}x ({t_stdnum / t_arrow:.1f}x from Arrow); "
        f"validity mismatches: {mismatches}",
        file=sys.stderr,
    )
    return round(t_stdnum / t_hedui, 1), round(t_stdnum / t_arrow, 1), mismatches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts")
    parser.add_argument("--ids", type=int, default=1_000_000, help="resident IDs for ids_vs_stdnum")
    parser.add_argument("--only-ids", action="store_true", help="measure ids_vs_stdnum alone")
    args = parser.parse_args()

    ids_ratio = ids_arrow_ratio = None
    id_mismatches = 0
    if args.ids > 0:
        ids_ratio, ids_arrow_ratio, id_mismatches = ids_vs_stdnum(args.ids, args.seed, args.repeat)
    if args.only_ids:
        print(json.dumps({"ids_vs_stdnum": ids_ratio, "ids_arrow_vs_stdnum": ids_arrow_ratio}))
        return 0 if id_mismatches == 0 else 1

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

        # the Arrow path: the same file into the five tables, no dicts
        import pyarrow as pa

        hedui.verify_batch(path, as_of=AS_OF, output="arrow")
        t_arrow, arrow = best_of(
            args.repeat, lambda: hedui.verify_batch(path, as_of=AS_OF, output="arrow")
        )
        arrow_digests = pa.table(arrow.reports).column("digest").to_pylist()
        arrow_errors = [
            (e["position"], e["code"]) for e in pa.table(arrow.errors).select(["position", "code"]).to_pylist()
        ]
        arrow_same = arrow_digests == [r["integrity"]["digest"] for r in batch.reports] and arrow_errors == [
            (e["position"], e["code"]) for e in batch.errors
        ]
        # the time to a findings table: dicts + reports_to_records, or Arrow + pyarrow.table
        t_records, records = best_of(args.repeat, lambda: hedui.reports_to_records(batch.reports))
        t_findings, findings = best_of(
            args.repeat,
            lambda: pa.table(hedui.verify_batch(path, as_of=AS_OF, output="arrow").findings),
        )
        arrow_same = arrow_same and findings.num_rows == len(records)
        del records, findings

        # the Rust main job on the same file, writing Parquet, and writing JSONL
        t_rust = t_rust_jsonl = None
        parquet_bytes = jsonl_bytes = None
        binary = main_job()
        if binary is None:
            print("main job not measured: no HEDUI_MAIN_JOB and no cargo build", file=sys.stderr)
        else:
            out = os.path.join(tmp, "main-job")
            if run_main_job(binary, path, out, "parquet"):
                t_rust, _ = best_of(args.repeat, lambda: run_main_job(binary, path, out, "parquet"))
                parquet_bytes = dir_bytes(out)
            if run_main_job(binary, path, out, None):
                t_rust_jsonl, _ = best_of(args.repeat, lambda: run_main_job(binary, path, out, None))
                jsonl_bytes = dir_bytes(out)

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

    if not arrow_same:
        mismatches += 1
    fmt = lambda t: "-" if t is None else f"{t:.3f} s"  # noqa: E731
    print(
        f"Arrow path {t_arrow:.3f} s ({args.cases / t_arrow:,.0f} cases/s, {t_ref / t_arrow:.1f}x the "
        f"reference), same digests and errors as the dict path: {arrow_same}; main job --format "
        f"parquet {fmt(t_rust)} ({parquet_bytes} bytes), JSONL {fmt(t_rust_jsonl)} ({jsonl_bytes} "
        f"bytes); findings table: dicts + reports_to_records {t_hedui + t_records:.3f} s "
        f"(reports_to_records alone {t_records:.3f} s), Arrow + pyarrow.table {t_findings:.3f} s",
        file=sys.stderr,
    )
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
    print(
        json.dumps(
            {
                "python_vs_reference": round(ratio, 1),
                "python_arrow_vs_reference": round(t_ref / t_arrow, 1),
                "python_arrow_vs_rust": over(t_rust, t_arrow),
                "records_speed": over(t_hedui + t_records, t_findings, 1),
                "parquet_vs_jsonl_time": over(t_rust, t_rust_jsonl),
                "parquet_vs_jsonl_size": over(
                    None if parquet_bytes is None else float(parquet_bytes),
                    None if jsonl_bytes is None else float(jsonl_bytes),
                    3,
                ),
                "ids_vs_stdnum": ids_ratio,
                "ids_arrow_vs_stdnum": ids_arrow_ratio,
            }
        )
    )
    return 0 if mismatches == 0 and id_mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
