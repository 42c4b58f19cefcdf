"""The Python samples of the Chinese guide (``docs/zh/*.md``) run against the installed package:
each page's ```python blocks, in order, in one namespace, in an empty working directory. A
sample that raises (an ``assert`` in it included) fails the test. The shell samples run in
``hedui-cli/tests/guide_zh.rs``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "zh"
FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", re.M | re.S)


def samples_of(text: str) -> list[str]:
    return [body for tag, body in FENCE.findall(text) if tag == "python"]


def samples(page: Path) -> list[str]:
    return samples_of(page.read_text(encoding="utf-8"))


def pages() -> list[Path]:
    return sorted(p for p in GUIDE.glob("*.md") if samples(p))


def test_the_guide_has_python_samples() -> None:
    assert sum(len(samples(p)) for p in GUIDE.glob("*.md")) >= 7
    assert {p.name for p in pages()} >= {"excel.md", "ids.md", "pandas.md", "report.md"}


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_the_python_samples_of_a_page_run(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "__guide__"}
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for n, code in enumerate(samples(page), 1):
            exec(compile(code, f"{page.name} sample {n}", "exec"), namespace)
    finally:
        os.chdir(here)
    assert capsys.readouterr().out  # the samples print what they show


def test_a_failing_sample_fails() -> None:
    text = "```python\nimport hedui\nassert hedui.check_resident_id('1')['valid']\n```\n"
    (code,) = samples_of(text)
    with pytest.raises(AssertionError):
        exec(compile(code, "x", "exec"), {})
