"""Reads the main job's tables with pyarrow and DuckDB and checks them against its JSONL run.

Usage: check-columns.py OUT HOSTILE, where OUT holds the jsonl/, parquet/ and arrow/ runs of
the same sample cases and HOSTILE the same three runs of a file of good and bad lines
(scripts/test-columns.sh makes both). Exits non-zero on the first failed check.
"""

import json
import re
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

TABLES = ["reports", "findings", "differences", "gaps", "errors"]
# a resident ID, or any run of digits as long (15 or more)
WHOLE_ID = re.compile(r"\d{15,}")


def jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_parquet(run: Path) -> dict[str, pa.Table]:
    return {t: pq.read_table(run / f"{t}.parquet") for t in TABLES}


def read_arrow(run: Path) -> dict[str, pa.Table]:
    out = {}
    for t in TABLES:
        with ipc.open_stream(run / f"{t}.arrows") as reader:
            out[t] = reader.read_all()
    return out


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"check-columns: FAILED: {what}")
    print(f"ok  {what}")


def expected_counts(reports: list[dict], errors: list[dict]) -> dict[str, int]:
    findings = sum(len(r["findings"]) for r in reports)
    # one finding per member and category
    grid = sum(len(r["members"]) * len({f["category"] for f in r["findings"]}) for r in reports)
    check(findings == grid, f"JSONL: findings = members × categories ({findings})")
    return {
        "reports": len(reports),
        "findings": findings,
        "differences": sum(len(r["aggregates"]["differences"]) for r in reports),
        "gaps": sum(len(r["gaps"]) for r in reports),
        "errors": len(errors),
    }


def check_sample(out: Path) -> None:
    reports = jsonl(out / "jsonl" / "reports.jsonl")
    errors = jsonl(out / "jsonl" / "errors.jsonl")
    want = expected_counts(reports, errors)
    digests = [r["integrity"]["digest"] for r in reports]
    check(want["reports"] > 0 and want["errors"] > 0, f"sample has reports and errors {want}")

    parquet = read_parquet(out / "parquet")
    arrow = read_arrow(out / "arrow")
    for name, tables in (("parquet", parquet), ("arrow", arrow)):
        for t in TABLES:
            meta = tables[t].schema.metadata or {}
            check(meta.get(b"hedui.schema_version") == b"2", f"pyarrow {name} {t}: schema version 2")
            check(tables[t].num_rows == want[t], f"pyarrow {name} {t}: {want[t]} rows")
        check(tables["reports"].column("digest").to_pylist() == digests, f"pyarrow {name}: digests = JSONL digests")
        check(
            tables["errors"].select(["position", "code"]).to_pylist()
            == [{"position": e["line"], "code": e["code"]} for e in errors],
            f"pyarrow {name}: error positions and codes = JSONL",
        )
    for t in TABLES:
        check(parquet[t].to_pylist() == arrow[t].to_pylist(), f"parquet {t} = arrow {t}")

    # types as an analyst sees them
    schema = parquet["findings"].schema
    check(pa.types.is_dictionary(schema.field("category").type), "findings.category is dictionary-encoded")
    check(schema.field("amount_fen").type == pa.int64(), "findings.amount_fen is int64")
    check(schema.field("deadline").type == pa.date32(), "findings.deadline is date32")
    check(schema.field("responded_at").type == pa.timestamp("us", tz="+08:00"), "findings.responded_at is timestamp(us, +08:00)")

    # DuckDB reads the Parquet files on its own
    db = duckdb.connect()
    pdir = out / "parquet"
    for t in TABLES:
        (n,) = db.execute(f"SELECT count(*) FROM read_parquet('{pdir / t}.parquet')").fetchone()
        check(n == want[t], f"duckdb {t}: {n} rows")
    got = [d for (d,) in db.execute(f"SELECT digest FROM read_parquet('{pdir}/reports.parquet')").fetchall()]
    check(got == digests, "duckdb: digests = JSONL digests, in order")
    types = dict(db.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{pdir}/findings.parquet'))").fetchall())
    check(types["issued_at"] == "TIMESTAMP WITH TIME ZONE" and types["deadline"] == "DATE", f"duckdb types {types['issued_at']}, {types['deadline']}")
    # the findings' deposits add up to the reports' deposits, and to the JSONL aggregates
    (findings_sum,) = db.execute(
        f"SELECT sum(amount_fen) FROM read_parquet('{pdir}/findings.parquet') WHERE category = 'bank_deposits'"
    ).fetchone()
    (reports_sum,) = db.execute(f"SELECT sum(deposits_fen) FROM read_parquet('{pdir}/reports.parquet')").fetchone()
    jsonl_sum = sum(r["aggregates"]["financial_assets"]["deposits_fen"] for r in reports)
    check(findings_sum == reports_sum == jsonl_sum and jsonl_sum > 0, f"deposits: findings = reports = JSONL ({jsonl_sum} fen)")
    # DuckDB also queries the IPC tables through pyarrow
    ipc_reports = arrow["reports"]
    (n,) = db.execute("SELECT count(*) FROM ipc_reports").fetchone()
    check(n == want["reports"], "duckdb over the IPC reports table")


def check_hostile(bad: Path) -> None:
    errors = jsonl(bad / "jsonl" / "errors.jsonl")
    reports = jsonl(bad / "jsonl" / "reports.jsonl")
    lines = (bad / "cases.jsonl").read_bytes().split(b"\n")
    hidden = [b"110101199003077777", json.loads(lines[7])["household"]["members"][0]["id"].encode()]
    want = [(e["line"], e["code"]) for e in errors]
    must = {(2, "input_json"), (3, "input_utf8"), (5, "input_json"), (7, "input_array_for_object"), (8, "id_resident_checksum")}
    check(must <= set(want), f"hostile JSONL run: {want}")
    for name, tables in (("parquet", read_parquet(bad / "parquet")), ("arrow", read_arrow(bad / "arrow"))):
        got = list(zip(tables["errors"].column("position").to_pylist(), tables["errors"].column("code").to_pylist()))
        check(got == want, f"hostile {name}: errors table positions and codes = JSONL")
        paths = tables["errors"].column("path").to_pylist()
        check(paths == [e.get("path") for e in errors], f"hostile {name}: errors table paths = JSONL {paths}")
        check(paths[[p for p, _ in got].index(8)] == "household.members[0].id", f"hostile {name}: path of the bad ID")
        check(tables["reports"].num_rows == len(reports), f"hostile {name}: {len(reports)} reports")
        case_ids = tables["errors"].column("case_id").to_pylist()
        check(case_ids[[p for p, _ in got].index(5)] == "110101**********77", f"hostile {name}: case id masked")
        long_digits = [v for row in tables["errors"].to_pylist() for v in row.values() if isinstance(v, str) and WHOLE_ID.search(v)]
        check(not long_digits, f"hostile {name}: no run of 15+ digits in the errors table {long_digits}")
        for t in TABLES:
            text = json.dumps(tables[t].to_pylist(), default=str, ensure_ascii=False).encode()
            check(all(h not in text for h in hidden), f"hostile {name} {t}: no whole resident ID")
    db = duckdb.connect()
    got = db.execute(f"SELECT position, code FROM read_parquet('{bad}/parquet/errors.parquet')").fetchall()
    check([tuple(r) for r in got] == want, "hostile duckdb: positions and codes = JSONL")


def main() -> None:
    out, bad = Path(sys.argv[1]), Path(sys.argv[2])
    check_sample(out)
    check_hostile(bad)
    print("check-columns: all checks passed")


if __name__ == "__main__":
    main()
