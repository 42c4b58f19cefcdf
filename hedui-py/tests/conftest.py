"""Shared fixtures: the JSON corpus shared with the Rust and C tests, and sample cases."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import hedui
from hedui.types import Report

#: Issue time of every corpus report (tests/src/lib.rs `CORPUS_ISSUED_AT`).
AS_OF = "2026-11-29T10:00:00+08:00"

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"


def corpus_cases() -> list[Path]:
    return sorted((CORPUS / "cases").glob("*.json"))


@pytest.fixture(scope="session")
def good_case_text() -> str:
    return (CORPUS / "cases" / "sample-good-1.json").read_text(encoding="utf-8")


@pytest.fixture
def good_case(good_case_text: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(good_case_text)
    return case


@pytest.fixture(scope="session")
def _samples() -> list[tuple[dict[str, Any], Any]]:
    return hedui.sample_cases(300, seed=7, with_expected=True)


@pytest.fixture
def samples(_samples: list[tuple[dict[str, Any], Any]]) -> list[tuple[dict[str, Any], Any]]:
    return copy.deepcopy(_samples)


@pytest.fixture(scope="session")
def good_report(good_case_text: str) -> Report:
    return hedui.verify(json.loads(good_case_text), as_of=AS_OF)


#: The agency's report-signing seed in these tests (hedui generates no keys; a deployment takes
#: its seed from its key store).
AGENCY_SEED = bytes(range(32))


@pytest.fixture(scope="session")
def signer() -> hedui.ReportSigner:
    return hedui.ReportSigner("agency-2026", AGENCY_SEED)


@pytest.fixture(scope="session")
def keyring(signer: hedui.ReportSigner) -> hedui.ReportKeyring:
    return hedui.ReportKeyring([signer.trusted_key()])


@pytest.fixture(scope="session")
def signed_report(good_report: dict[str, Any], signer: hedui.ReportSigner) -> dict[str, Any]:
    return signer.sign(good_report)
