"""The report on paper: printable HTML, the QR payload check, and PDF printing."""

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import hedui

SEED = bytes(range(32))


def payload_of(report: dict[str, Any]) -> str:
    """The QR text of a report, written as the documented form ``hedui-printed-v1``."""
    doc: dict[str, Any] = {
        "v": "hedui-printed-v1",
        "report": report["report_number"],
        "issued_at": report["header"]["issued_at"],
        "digest": report["integrity"]["digest"],
    }
    if "signature" in report["integrity"]:
        doc["signature"] = report["integrity"]["signature"]
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


def test_render_html_is_the_printable_report(good_report: dict[str, Any]) -> None:
    html = hedui.report_render_html(good_report)
    assert html.startswith("<!DOCTYPE html>")
    assert good_report["report_number"] in html
    assert good_report["statement"] in html
    assert "counter(pages)" in html and "size: A4 portrait" in html
    assert "核对机构（盖章）" in html
    for member in good_report["members"]:
        assert member["id_masked"] in html
    # every text is escaped
    evil = copy.deepcopy(good_report)
    evil["limits_of_use"] = "<script>alert(1)</script>"
    html = hedui.report_render_html(evil)
    assert "<script" not in html and "&lt;script&gt;" in html
    # a masked view
    masked = hedui.report_render_html(
        good_report, {"resident_ids": "masked", "names": "hidden", "amounts": "hidden"}
    )
    for member in good_report["members"]:
        assert member["name"] not in masked
    with pytest.raises(hedui.InputError):
        hedui.report_render_html({"report": 1})


def test_check_printed_answers_each_case(good_report: dict[str, Any]) -> None:
    payload = payload_of(good_report)
    assert hedui.report_check_printed(payload, good_report) == {
        "outcome": "matches",
        "signed": False,
        "code": "printed_matches",
    }
    assert hedui.report_check_printed(payload)["code"] == "printed_unknown_report"
    forged = payload.replace(good_report["integrity"]["digest"], "0" * 64)
    assert hedui.report_check_printed(forged, good_report)["code"] == "printed_digest_differs"
    signed = hedui.report_sign(good_report, "linfen-2026", SEED)
    keyring = hedui.ReportKeyring([hedui.signing_key_trust("linfen-2026", SEED)])
    answer = hedui.report_check_printed(payload_of(signed), signed, keyring)
    assert answer == {"outcome": "matches", "signed": True, "code": "printed_matches"}
    # the signature stripped off the paper, or checked with no trusted key
    assert hedui.report_check_printed(payload, signed, keyring)["code"] == (
        "printed_signature_invalid"
    )
    assert (
        hedui.report_check_printed(payload_of(signed), signed)["code"]
        == "printed_signature_invalid"
    )
    with pytest.raises(hedui.SecurityError) as e:
        hedui.report_check_printed("BG-1")
    assert e.value.code == "printed_payload_invalid"


def test_render_pdf_without_a_browser_says_how_to_install_one(
    good_report: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEDUI_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(hedui.HeduiError) as e:
        hedui.report_render_pdf(good_report, tmp_path / "r.pdf")
    assert e.value.code == "pdf_printer_missing"
    assert "apt-get install chromium fonts-noto-cjk" in str(e.value)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium")
def test_render_pdf_prints_with_chromium(good_report: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    hedui.report_render_pdf(good_report, out)
    assert out.read_bytes().startswith(b"%PDF-")
