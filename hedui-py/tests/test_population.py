"""The population rules: R5 coverage, R8 recheck schedule and batches, R4 emergency ledger."""

from __future__ import annotations

import copy
import datetime
import json
import threading
from typing import Any

import pytest

import hedui
from hedui.types import Report

from conftest import AS_OF

IDS = ["141030197803100016", "141030197702263262"]
SHARED = sorted(
    {a["category"] for a in json.loads(hedui.Rulebook.default().to_json())["agreements"] if a["availability"] == "shared"}
)


def application(i: int, kind: str = "new", region: str = "141030") -> dict[str, Any]:
    return {
        "id": f"A{i}",
        "household_id": f"H{i}",
        "region": region,
        "applied_on": "2026-03-01",
        "programme": "minimum_living_allowance",
        "kind": kind,
        "members": IDS,
    }


def record(i: int, categories: list[str], answered_by: str = "county") -> dict[str, Any]:
    return {
        "household_id": f"H{i}",
        "number": f"WT{i}",
        "verified_on": "2026-03-05",
        "members": IDS,
        "queried": [{"category": c, "answered_by": answered_by} for c in categories],
        "region": "141030",
    }


# ------------------------------------------------------------------ coverage


def test_coverage_complete() -> None:
    report = hedui.coverage_audit([application(1)], [record(1, SHARED)], ["141030"])
    assert report["new_applications"] == 1
    assert report["households"] == {"covered": 1, "total": 1}
    assert report["members"] == {"covered": 2, "total": 2}
    assert report["regions"] == {"covered": 1, "total": 1}
    assert report["categories"] == {"covered": len(SHARED), "total": len(SHARED)}
    assert report["gaps"] == [] and report["issues"] == []


def test_coverage_gaps_and_issues() -> None:
    apps = [application(1), application(2), application(3, kind="existing"), application(1)]
    records = [record(1, ["bank_deposits"]), {**record(9, []), "region": "110105"}]
    report = hedui.coverage_audit(apps, records, ["141030", "141031"], queryable=["bank_deposits", "tax"])
    assert report["applications"] == 3 and report["new_applications"] == 2
    assert report["households"] == {"covered": 1, "total": 2}
    assert report["categories"] == {"covered": 1, "total": 4}
    reasons = [g["reason"] for g in report["gaps"]]
    assert "never_verified" in reasons and "region_silent" in reasons
    issues = [(i["input"], i["position"], i["code"]) for i in report["issues"]]
    assert ("application", 3, "population_duplicate_record") in issues
    assert ("verification", 1, "population_outside_jurisdiction") in issues
    for i in report["issues"]:
        assert i["message"]


def test_coverage_default_queryable_follows_the_rulebook() -> None:
    doc = json.loads(hedui.Rulebook.default().to_json())
    for a in doc["agreements"]:
        if a["category"] == "bank_deposits":
            a["availability"] = "not_shared"
    rb = hedui.Rulebook.from_json(json.dumps(doc))
    shared = [c for c in SHARED if c != "bank_deposits"]
    report = hedui.coverage_audit([application(1)], [record(1, shared)], ["141030"], rulebook=rb)
    assert report["categories"] == {"covered": len(shared), "total": len(shared)}
    default = hedui.coverage_audit([application(1)], [record(1, shared)], ["141030"])
    assert default["categories"]["total"] == len(SHARED)


def test_coverage_bad_input() -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.coverage_audit([{**application(1), "members": ["not an id"]}], [], ["141030"])
    assert info.value.code == "id_resident_length"
    with pytest.raises(hedui.InputError):
        hedui.coverage_audit([], [], ["141030"], queryable=["no_such_category"])
    with pytest.raises(hedui.InputError):
        hedui.coverage_audit([], [], "141030")


# ------------------------------------------------------------------ recheck schedule


def household(i: int, last: str, **extra: Any) -> dict[str, Any]:
    return {
        "household_id": f"H{i:03}",
        "programme": "minimum_living_allowance",
        "household_type": "stable",
        "last_checked": last,
        "authorization_signed_on": "2025-01-01",
        "agency_id": "HD141030",
        **extra,
    }


def test_recheck_schedule() -> None:
    caseload = [
        household(1, "2025-01-10"),
        household(2, "2026-06-01"),
        household(3, "2025-11-01", events=[{"kind": "membership_change", "on": "2026-05-01"}]),
        household(4, "2026-12-01"),  # checked after as_of: left out
        household(5, "2025-11-29"),
    ]
    s = hedui.recheck_schedule(caseload, datetime.date(2026, 11, 29))
    # the one response of hedui-ops, as C and uniffi give it
    assert list(s) == ["as_of", "entries", "issues", "batches", "due", "overdue",
                       "awaiting_authorization", "next_due_on", "counts_by_programme"]
    assert s["as_of"] == "2026-11-29"
    assert [e["position"] for e in s["entries"]] == [0, 1, 2, 4]
    assert [(i["position"], i["code"]) for i in s["issues"]][0][0] == 3
    assert {e["position"] for e in s["overdue"]} <= {e["position"] for e in s["due"]}
    assert 0 in {e["position"] for e in s["overdue"]}
    assert [e["position"] for e in s["awaiting_authorization"]] == [2]
    counts = {c["programme"]: c for c in s["counts_by_programme"]}
    assert counts["minimum_living_allowance"]["households"] == 4
    assert counts["minimum_living_allowance"]["awaiting_authorization"] == 1
    plan = s["batches"]
    assert plan["as_of"] == "2026-11-29"
    batched = [h["household_id"] for b in plan["batches"] for h in b["households"]]
    assert "H001" in batched and "H003" not in batched
    assert plan["batches"][0]["number"].startswith("FH-HD141030-20261129-")
    assert [h["household_id"] for a in plan["awaiting_authorization"] for h in a["households"]] == ["H003"]
    assert s["next_due_on"] is None or s["next_due_on"] > "2026-11-29"
    # the same as text
    assert hedui.recheck_schedule(json.dumps(caseload), "2026-11-29") == s


def test_recheck_batches_follow_the_rulebook() -> None:
    doc = json.loads(hedui.Rulebook.default().to_json())
    doc["recheck_batches"] = {"max_households": 2, "lookahead_days": 0, "number_prefix": "X"}
    rb = hedui.Rulebook.from_json(json.dumps(doc))
    caseload = [household(i, "2024-01-01") for i in range(5)]
    plan = hedui.recheck_schedule(caseload, "2026-11-29", rulebook=rb)["batches"]
    assert [len(b["households"]) for b in plan["batches"]] == [2, 2, 1]
    assert all(b["number"].startswith("X-") for b in plan["batches"])


def test_recheck_schedule_bad_input() -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.recheck_schedule([household(1, "2025-01-01")], "29/11/2026")
    assert info.value.code == "invalid_date"
    with pytest.raises(hedui.InputError):
        hedui.recheck_schedule([{"household_id": "H"}], "2026-11-29")


# ------------------------------------------------------------------ emergency ledger


def grant(case_id: str = "C1", household_id: str = "H141030-00000000", **extra: Any) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "household_id": household_id,
        "relieved_on": "2026-07-01",
        "amount_fen": 200_000,
        "reason": "火灾",
        "emergency": True,
        **extra,
    }


def follow_up_report(good_case: dict[str, Any], reference: str) -> Report:
    """The follow-up report of relief `reference`, sealed by `verify` but not signed."""
    case = copy.deepcopy(good_case)
    case["entrustment"]["purpose"] = "emergency_follow_up"
    case["entrustment"]["relief_reference"] = reference
    return hedui.verify(case, as_of=AS_OF)


def test_ledger_record_close_follow_ups(
    good_case: dict[str, Any], signer: hedui.ReportSigner, keyring: hedui.ReportKeyring
) -> None:
    ledger = hedui.EmergencyLedger()
    assert len(ledger) == 0
    ref = ledger.record(grant())
    assert ref == "C1-1"
    assert ledger.record(grant()) == "C1-2"
    other = ledger.record(grant("C2", relieved_on="2026-12-01"))
    due = ledger.entries()[0]["follow_up_due"]
    report = signer.sign(follow_up_report(good_case, ref))
    entry = ledger.close(ref, report, "2026-11-29", keyring)
    assert entry["closure"]["report_number"] == report["report_number"]
    assert entry["closure"]["report_digest"] == report["integrity"]["digest"]
    f = ledger.follow_ups(datetime.date(2026, 11, 29))
    assert f["as_of"] == "2026-11-29"
    assert [x["entry"]["reference"] for x in f["closed"]] == ["C1-1"]
    assert [x["entry"]["reference"] for x in f["overdue"]] == ["C1-2"]
    assert f["overdue"][0]["state"]["state"] == "overdue"
    assert f["open"] == []  # C2 relieved after as_of
    assert due > "2026-07-01"
    assert other == "C2-1"
    # the dicts are the ledger's own JSON, field for field and in order
    assert json.dumps(ledger.entries()) == json.dumps(json.loads(ledger.to_json())["entries"])
    assert json.dumps(entry) == json.dumps(json.loads(ledger.to_json())["entries"][0])
    again = hedui.EmergencyLedger.from_json(ledger.to_json())
    assert again.entries() == ledger.entries() and len(again) == 3
    assert repr(again) == "EmergencyLedger(entries=3)"


def test_ledger_refusals(
    good_case: dict[str, Any], signer: hedui.ReportSigner, keyring: hedui.ReportKeyring
) -> None:
    ledger = hedui.EmergencyLedger(hedui.Rulebook.default())
    with pytest.raises(hedui.PopulationError) as info:
        ledger.record(grant(emergency=False))
    assert info.value.code == "relief_not_emergency"
    with pytest.raises(hedui.PopulationError):
        ledger.record(grant(amount_fen=0))
    ref = ledger.record(grant())
    periodic = signer.sign(hedui.verify(good_case, as_of=AS_OF))
    with pytest.raises(hedui.PopulationError) as info:
        ledger.close(ref, periodic, "2026-11-29", keyring)  # names no relief reference
    assert info.value.code == "relief_followup_report_unverified"
    report = signer.sign(follow_up_report(good_case, ref))
    tampered = copy.deepcopy(report)
    tampered["header"]["household_id"] = "H9"
    with pytest.raises(hedui.SecurityError) as security:
        ledger.close(ref, tampered, "2026-11-29", keyring)
    assert security.value.code == "evidence_bad_signature"
    with pytest.raises(hedui.PopulationError) as info:
        ledger.close("C9-1", report, "2026-11-29", keyring)
    assert info.value.code == "relief_followup_unknown"
    with pytest.raises(hedui.PopulationError):
        ledger.close(ref, report, "2026-06-01", keyring)  # before the relief
    with pytest.raises(hedui.PopulationError) as info:
        ledger.close(ref, report, "2026-07-10", keyring)  # before its report was issued (AS_OF)
    assert info.value.code == "relief_followup_report_unverified"
    ledger.close(ref, report, "2026-11-29", keyring)
    with pytest.raises(hedui.PopulationError) as info:
        ledger.close(ref, report, "2026-11-30", keyring)
    assert info.value.code == "relief_followup_already_closed"
    with pytest.raises(hedui.InputError):
        hedui.EmergencyLedger.from_json('{"entries": [{"reference": ""}]}')
    with pytest.raises(hedui.InputError):
        ledger.close(5, report, "2026-11-29", keyring)  # type: ignore[arg-type]


def test_a_re_sealed_forged_report_does_not_close_an_overdue_follow_up(
    good_case: dict[str, Any], signer: hedui.ReportSigner, keyring: hedui.ReportKeyring
) -> None:
    """The report-forgery finding: an insider edits a case to name another household's
    overdue relief, has it verified (and so sealed) again, and tries to close that follow-up.
    Signed evidence (the rulebook's default) refuses every variant."""
    ledger = hedui.EmergencyLedger()
    target = ledger.record(grant("C7"))
    assert [x["entry"]["reference"] for x in ledger.follow_ups("2026-11-29")["overdue"]] == [target]
    forged = follow_up_report(good_case, target)
    assert hedui.report_verify_digest(forged)  # it agrees with its own digest
    with pytest.raises(hedui.SecurityError) as info:
        ledger.close(target, forged, "2026-11-29", keyring)
    assert info.value.code == "evidence_unsigned"
    insider = hedui.ReportSigner("insider", bytes([66]) * 32)
    with pytest.raises(hedui.SecurityError) as info:
        ledger.close(target, insider.sign(forged), "2026-11-29", keyring)
    assert info.value.code == "evidence_unknown_key"
    # the signature of a genuine report put on the forged one covers another digest
    genuine = signer.sign(follow_up_report(good_case, "C1-1"))
    spliced = copy.deepcopy(forged)
    assert spliced["integrity"] is not None
    spliced["integrity"]["signature"] = genuine["integrity"]["signature"]
    with pytest.raises(hedui.SecurityError) as info:
        ledger.close(target, spliced, "2026-11-29", keyring)
    assert info.value.code == "evidence_bad_signature"
    assert [x["entry"]["reference"] for x in ledger.follow_ups("2026-11-29")["overdue"]] == [target]
    # the same report signed by the agency closes it
    ledger.close(target, signer.sign(forged), "2026-11-29", keyring)
    assert ledger.follow_ups("2026-11-29")["overdue"] == []


def test_ledger_from_several_threads() -> None:
    ledger = hedui.EmergencyLedger()

    def work(n: int) -> None:
        for i in range(50):
            ledger.record(grant(f"T{n}"))
            ledger.follow_ups("2026-11-29")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    refs = [e["reference"] for e in ledger.entries()]
    assert len(refs) == 400 == len(set(refs))
