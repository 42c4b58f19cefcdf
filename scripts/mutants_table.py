#!/usr/bin/env python3
"""Writes one module's cargo-mutants result into the "## Mutation testing" section of
docs/reliability.md (used by scripts/mutants.sh).

Usage: mutants_table.py DOC MODULE OUT COMMIT ALL_MODULES...

The section holds one table row per rule module and the list of surviving mutants. The row
and the survivors of MODULE are replaced by the result in OUT, the module's two stages as
scripts/mutants.sh leaves them: OUT/quick/mutants.out (every mutant against hedui-core's unit
tests) and OUT/full/mutants.out (the survivors of the first stage against all tests), each
cargo-mutants' `mutants.out` directory (caught.txt, missed.txt, timeout.txt, unviable.txt,
mutants.json). A mutant is missed when the first stage missed it and the second did not
catch it (or did not reach it); the other
modules keep what the section said before, or "not run". Hand-written `###`
subsections at the end of the section and the rest of the file (other sections) are left as
they are.
"""

import datetime
import json
import re
import sys
from pathlib import Path

HEADING = "## Mutation testing"
TABLE_HEADER = (
    "| module | run on | commit | mutants | caught | missed | timeouts | unviable | score |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|"
)
INTRO = """\
`scripts/mutants.sh` runs [cargo-mutants](https://mutants.rs/) over the rule modules of
hedui-core: each mutant changes one thing in one function (an operator, a branch, a returned
value) and the unit tests of hedui-core and the cross-crate tests of `tests/` must fail on it.
Per module (`mutants`: how many were tested; "partial" when the run was cut short by its
time budget): `caught` mutants made a test fail, `missed` ones did not (a rule a test does not
guard), `timeouts` made the tests hang (counted as caught), `unviable` ones did not compile.
The score is (caught + timeouts) / (caught + missed + timeouts). Mutants that cannot change
behaviour are listed, each with its reason, in `.cargo/mutants.toml` and are not generated.

Command: `nice -n 10 bash scripts/mutants.sh [MODULE...]`. Each module runs in two stages.
First every mutant against the tests nearest to it
(`cargo mutants --package hedui-core --file hedui-core/src/MODULE --profile mutants`): for
authorization, entrustment, sharing, verification and the report, which are tested mostly
through whole cases, the unit and integration tests of hedui-core and hedui-tests; for the
other modules hedui-core's unit tests (`--test-package hedui-core`); in both cases without
the slow password-hashing tests of `security/account.rs` and `security/password.rs` unless
one of those is mutated. Then the survivors again (`--iterate`) against all the tests named
in `.cargo/mutants.toml` (the unit and integration tests of hedui-core and hedui-tests); a
mutant is missed only when both stages miss it.
In CI, `scripts/test-mutants-diff.sh` checks each change: the mutants on
the lines the last commit changed in a rule module must all be caught.
"""


def lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def split_section(text: str) -> tuple[str, str, str]:
    """(before, section body, after) around HEADING; the body ends at the next `## `."""
    start = text.find(HEADING + "\n")
    if start < 0:
        before = text.rstrip("\n") + "\n\n" if text.strip() else ""
        return before, "", ""
    body_start = start + len(HEADING) + 1
    m = re.search(r"^## ", text[body_start:], flags=re.M)
    end = body_start + m.start() if m else len(text)
    return text[:start], text[body_start:end], text[end:]


def main() -> int:
    doc, module, out, commit, *all_modules = sys.argv[1:]
    doc_path = Path(doc)
    out_path = Path(out)
    text = doc_path.read_text() if doc_path.exists() else "# Reliability\n"
    before, body, after = split_section(text)

    # hand-written subsections (`### ...`) at the end of the section are kept as they are
    notes_at = re.search(r"^### ", body, flags=re.M)
    notes = body[notes_at.start():].rstrip("\n") + "\n" if notes_at else ""
    body = body[: notes_at.start()] if notes_at else body

    rows: dict[str, str] = {}
    survivors: dict[str, list[str]] = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 9:
            rows[cells[0].strip("`")] = line
        m = re.match(r"^- `hedui-core/src/([^:`]+):", line)
        if m:
            survivors.setdefault(m.group(1), []).append(line)

    quick = out_path / "quick" / "mutants.out"
    full = out_path / "full" / "mutants.out"
    full_tested = set()
    for name in ("caught.txt", "missed.txt", "timeout.txt", "unviable.txt"):
        full_tested.update(lines(full / name))
    # a second stage run again (after new tests) lists what an earlier one caught here
    earlier = set(lines(full / "previously_caught.txt"))
    full_tested.update(earlier)
    caught = (
        lines(quick / "caught.txt")
        + lines(full / "caught.txt")
        + [m for m in lines(quick / "missed.txt") if m in earlier]
    )
    # survivors of the first stage the second did not reach stay missed
    missed = lines(full / "missed.txt") + [
        m for m in lines(quick / "missed.txt") if m not in full_tested
    ]
    timeouts = lines(quick / "timeout.txt") + lines(full / "timeout.txt")
    unviable = lines(quick / "unviable.txt") + lines(full / "unviable.txt")
    total = len(caught) + len(missed) + len(timeouts) + len(unviable)
    listed_path = quick / "mutants.json"
    listed = len(json.loads(listed_path.read_text())) if listed_path.exists() else total
    tested = str(total) if total >= listed else f"{total} of {listed} (partial)"
    viable = len(caught) + len(missed) + len(timeouts)
    score = f"{100 * (len(caught) + len(timeouts)) / viable:.1f}%" if viable else "-"
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    rows[module] = (
        f"| `{module}` | {today} | `{commit}` | {tested} | {len(caught)} | {len(missed)} | "
        f"{len(timeouts)} | {len(unviable)} | {score} |"
    )
    survivors[module] = []
    for m in missed:
        own = re.match(r"^hedui-core/src/([^:]+):", m)
        survivors.setdefault(own.group(1) if own else module, []).append(f"- `{m}`")

    out_lines = [INTRO, TABLE_HEADER]
    for name in all_modules:
        out_lines.append(
            rows.get(name, f"| `{name}` | not run | - | - | - | - | - | - | - |")
        )
    out_lines.append("")
    out_lines.append("Surviving mutants (missed) of the modules run:")
    out_lines.append("")
    found = list(dict.fromkeys(s for name in all_modules for s in survivors.get(name, [])))
    out_lines.extend(found if found else ["- none"])
    section = HEADING + "\n\n" + "\n".join(out_lines) + "\n"
    if notes:
        section += "\n" + notes
    if after:
        section += "\n"
    doc_path.write_text(before + section + after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
