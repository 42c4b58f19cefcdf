"""The operations of hedui-ops under their catalog names: the shared operations corpus, appeals,
the archive, operator accounts, the relief functions, and the deprecated aliases."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any, Callable

import pytest

import hedui

from conftest import AS_OF, CORPUS

def case_tables_read(tables: dict[str, Any]) -> dict[str, Any]:
    """Operation `case_tables_read` is Python's `cases_from_tables` (a dict of columns per
    table), its result as the JSON hosts get it."""
    return hedui.cases_from_tables(tables)._asdict()


def case_tables_write(cases: list[Any], labels: Any = "codes") -> dict[str, Any]:
    """Operation `case_tables_write` is Python's `cases_to_tables`, its Arrow tables as the
    JSON columns C and uniffi hosts get."""
    tables = hedui.cases_to_tables(cases, labels=labels)
    return {"tables": {name: t.to_pyarrow().to_pydict() for name, t in tables.items()}}


OPERATIONS: dict[str, Callable[..., Any]] = {
    "case_tables_read": case_tables_read,
    "case_tables_write": case_tables_write,
    "account_register": hedui.account_register,
    "archive_check": hedui.archive_check,
    "audit_head_open": hedui.audit_head_open,
    "audit_head_sign": hedui.audit_head_sign,
    "appeal_file": hedui.appeal_file,
    "coverage_audit": hedui.coverage_audit,
    "credit_code_check": hedui.check_credit_code,
    "id_check": hedui.id_check,
    "lending_detect": hedui.lending_detect,
    "password_check": hedui.password_check,
    "permission_check": hedui.permission_check,
    "query_plan": hedui.query_plan,
    "recheck_schedule": hedui.recheck_schedule,
    "report_check_printed": hedui.report_check_printed,
    "report_check_use": hedui.report_check_use,
    "report_history_record": hedui.report_history_record,
    "report_mask": hedui.report_mask,
    "report_sign": hedui.report_sign,
    "report_verify_signature": hedui.report_verify_signature,
    "document_seal": hedui.document_seal,
    "document_open": hedui.document_open,
    "resident_id_check": hedui.check_resident_id,
    "signing_key_trust": hedui.signing_key_trust,
}


def ops_corpus() -> list[tuple[str, str]]:
    paths = sorted((CORPUS / "ops").glob("*/*.json"))
    return [(p.parent.name, p.name) for p in paths]


@pytest.mark.parametrize(("operation", "name"), ops_corpus())
def test_the_operations_corpus_gives_the_recorded_outcome(operation: str, name: str) -> None:
    """Each request's fields are the keyword arguments of the Python function; the result is
    the response C and uniffi give (or the same error code)."""
    text = (CORPUS / "ops" / operation / name).read_text(encoding="utf-8")
    expected = json.loads((CORPUS / "ops-expected" / operation / name).read_text(encoding="utf-8"))
    function = OPERATIONS[operation]
    try:
        request = json.loads(text)
    except json.JSONDecodeError:
        # a request that is not JSON: its text given as the first document
        with pytest.raises(hedui.InputError) as info:
            function(text, [], [])
        assert expected == {"error": info.value.code}
        return
    if "@" in name:
        # `<case>@<rulebook>.json`: under the corpus rulebook of that name
        rulebook = (CORPUS / "rulebooks" / name.split("@", 1)[1]).read_text(encoding="utf-8")
        request["rulebook"] = hedui.Rulebook.from_json(rulebook)
    try:
        got: dict[str, Any] = function(**request)
    except hedui.HeduiError as e:
        got = {"error": e.code}
    assert got == expected


def test_the_corpus_covers_every_operation_here() -> None:
    assert {op for op, _ in ops_corpus()} == set(OPERATIONS)


# ------------------------------------------------------------------ query plan


def test_query_plan_own_level_first() -> None:
    plan = hedui.query_plan("county", ["real_estate", "vehicles"])
    assert set(plan) == {"plan", "sharing_gaps"}
    routes = {p["category"]: p["route"] for p in plan["plan"]}
    assert routes["real_estate"] == {"route": "own_level", "level": "county"}
    assert routes["vehicles"] == {"route": "upper_level", "level": "city"}
    assert routes["tax"] == {"route": "outside_scope"}
    assert [g["category"] for g in plan["sharing_gaps"]] == ["vehicles"]
    everything = hedui.query_plan("province", rulebook=hedui.Rulebook.default())
    assert len(everything["plan"]) > 2
    with pytest.raises(hedui.InputError) as info:
        hedui.query_plan("village")
    assert info.value.code == "input_json"
    with pytest.raises(hedui.InputError) as info:
        hedui.query_plan("county", ["no_such_category"])
    assert info.value.code == "input_json"


# ------------------------------------------------------------------ appeals


def test_appeal_file_links_the_report(
    signed_report: dict[str, Any], keyring: hedui.ReportKeyring
) -> None:
    filed = hedui.appeal_file(signed_report, "  申请人称存款已用于医疗  ", "2026-12-01", keyring)
    assert filed["disputed_report"] == signed_report["report_number"]
    assert filed["reason"] == "申请人称存款已用于医疗"
    changed = copy.deepcopy(signed_report)
    changed["header"]["household_id"] += "X"
    with pytest.raises(hedui.SecurityError) as security:
        hedui.appeal_file(changed, "理由", "2026-12-01", keyring)
    assert security.value.code == "evidence_bad_signature"
    with pytest.raises(hedui.HeduiError) as info:
        hedui.appeal_file(signed_report, " ", "2026-12-01", keyring=keyring)
    assert info.value.code == "appeal_link"
    with pytest.raises(hedui.InputError) as info:
        hedui.appeal_file(signed_report, "理由", "2026-13-01", keyring)
    assert info.value.code == "invalid_date"


def test_appeal_file_needs_a_signed_report(
    good_report: dict[str, Any], signed_report: dict[str, Any]
) -> None:
    with pytest.raises(hedui.SecurityError) as info:
        hedui.appeal_file(good_report, "理由", "2026-12-01")
    assert info.value.code == "evidence_unsigned"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.appeal_file(signed_report, "理由", "2026-12-01")  # no keyring trusts no key
    assert info.value.code == "evidence_unknown_key"
    with pytest.raises(hedui.InputError) as bad:
        hedui.appeal_file(signed_report, "理由", "2026-12-01", keyring="agency-2026")  # type: ignore[arg-type]
    assert bad.value.code == "input_argument"
    # a rulebook that turns signed evidence off checks the digest alone
    rules = json.loads(hedui.Rulebook.default().to_json())
    rules["security"]["signed_evidence"] = False
    weak = hedui.Rulebook.from_json(json.dumps(rules))
    filed = hedui.appeal_file(good_report, "理由", "2026-12-01", rulebook=weak)
    assert filed["disputed_report"] == good_report["report_number"]


def test_report_history_records_a_report_once(
    signed_report: dict[str, Any], good_report: dict[str, Any], keyring: hedui.ReportKeyring
) -> None:
    with pytest.raises(hedui.SecurityError) as refused:
        hedui.report_history_record(good_report, keyring=keyring)
    assert refused.value.code == "evidence_unsigned"
    first = hedui.report_history_record(signed_report, keyring=keyring)
    assert first["history"]["household_id"] == signed_report["header"]["household_id"]
    assert len(first["chain"]) == 1
    with pytest.raises(hedui.HeduiError) as info:
        hedui.report_history_record(signed_report, first["history"], keyring)
    assert info.value.code == "appeal_link"
    with pytest.raises(hedui.InputError) as bad:
        hedui.report_history_record(signed_report, {"rounds": 5}, keyring)
    assert bad.value.code == "input_json"


# ------------------------------------------------------------------ archive


def test_an_empty_archive_misses_every_letter(good_case: dict[str, Any]) -> None:
    check = hedui.archive_check([], [good_case["entrustment"]], [good_case["authorization"]])
    assert check["complete"] is False
    assert len(check["gaps"]) >= 2
    assert {g["code"] for g in check["gaps"]} == {"missing"}
    with pytest.raises(hedui.InputError) as info:
        hedui.archive_check({"documents": []}, [], [])  # type: ignore[arg-type]
    assert info.value.code == "input_json"


# ------------------------------------------------------------------ accounts and lending


REGISTRATION = json.loads(
    (CORPUS / "ops" / "account_register" / "registered.json").read_text(encoding="utf-8")
)
SALT = "00112233445566778899aabbccddeeff"
PASSWORD = "Hd#2026-verify!x"


def test_an_operator_account_lives_and_locks() -> None:
    state = hedui.account_register(**REGISTRATION)
    assert state["status"] == "pending"
    account = state["account"]
    with pytest.raises(hedui.SecurityError) as info:
        hedui.account_set_password(account, "123456", SALT, "2026-01-06")
    assert info.value.code == "security_weak_password"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.account_set_password(account, PASSWORD, "0011", "2026-01-06")
    assert info.value.code == "security_salt_length"
    with pytest.raises(hedui.InputError) as bad:
        hedui.account_set_password(account, PASSWORD, "zz", "2026-01-06")
    assert bad.value.code == "input_json"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.account_activate(account, "2026-01-06")
    assert info.value.code == "security_password_not_set"
    state = hedui.account_set_password(account, PASSWORD, bytes.fromhex(SALT), "2026-01-06")
    same = hedui.account_set_password(account, PASSWORD, SALT, "2026-01-06")
    assert same == state  # bytes or hex text: the same salt
    state = hedui.account_activate(state["account"], "2026-01-06")
    assert state["status"] == "active"
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    t0 = datetime.datetime(2026, 1, 7, 9, 0, tzinfo=beijing)
    login = hedui.account_login(state["account"], PASSWORD, t0)
    assert login["accepted"] is True and "refused" not in login
    with pytest.raises(hedui.InputError):
        hedui.account_login(state["account"], PASSWORD, datetime.datetime(2026, 1, 7, 9, 0))
    failures = json.loads(hedui.Rulebook.default().to_json())["password"]["lockout_failures"]
    for _ in range(failures):
        login = hedui.account_login(login["account"], "wrong", t0)
        assert login["accepted"] is False
    assert login["status"] == "locked"
    assert login["refused"]["code"] == "security_account_locked"
    assert login["account"]["locked_until"] == "2026-01-07T01:30:00Z"
    # during the lock-out even the right password is refused; at its end it is lifted by
    # itself (it used to last until an administrator acted)
    during = hedui.account_login(login["account"], PASSWORD, "2026-01-07T09:29:59+08:00")
    assert during["refused"]["code"] == "security_account_locked"
    after = hedui.account_login(during["account"], PASSWORD, "2026-01-07T09:30:00+08:00")
    assert after["accepted"] is True and after["status"] == "active"
    # back-off: a second lock-out in a row lasts twice as long
    login = after
    for _ in range(failures):
        login = hedui.account_login(login["account"], "wrong", t0 + datetime.timedelta(hours=1))
    login = hedui.account_login(login["account"], "wrong", "2026-01-07T10:30:00+08:00")
    assert login["refused"] == {
        "code": "security_wrong_password",
        "message": "R11 security (N §三): wrong password for account `op.zhang`",
    }
    for _ in range(failures - 1):
        login = hedui.account_login(login["account"], "wrong", "2026-01-07T10:30:00+08:00")
    assert login["account"]["locked_until"] == "2026-01-07T03:30:00Z"


def test_an_unknown_login_name_is_answered_like_a_wrong_password() -> None:
    answer = hedui.account_login_unknown("op.zhang", PASSWORD)
    assert answer == {
        "accepted": False,
        "refused": {
            "code": "security_wrong_password",
            "message": "R11 security (N §三): wrong password for account `op.zhang`",
        },
    }


def test_lending_detect_flags_and_refuses_bad_sessions() -> None:
    sessions = [
        {"account": "op.a", "terminal": "T1", "start": "2026-11-02T09:00:00+08:00",
         "end": "2026-11-02T11:00:00+08:00"},
        {"account": "op.a", "terminal": "T2", "start": "2026-11-02T10:00:00+08:00",
         "end": "2026-11-02T10:30:00+08:00"},
    ]
    flags = hedui.lending_detect(sessions)["flags"]
    assert len(flags) == 1 and (flags[0]["first"], flags[0]["second"]) == (0, 1)
    assert hedui.lending_detect(sessions[:1]) == {"flags": []}
    with pytest.raises(hedui.InputError) as info:
        hedui.lending_detect([{"account": "op.a"}])
    assert info.value.code == "input_json"


def test_lending_detect_sees_through_logins_without_location() -> None:
    """Beijing, then a login without a location, then Guangzhou 20 minutes after Beijing:
    the journey is compared between the two located logins."""
    sessions: list[dict[str, Any]] = [
        {"account": "op.a", "terminal": "T1", "start": "2026-11-02T10:00:00+08:00",
         "end": "2026-11-02T10:01:00+08:00",
         "location": {"point": {"lat": 39.904, "lon": 116.407}}},
        {"account": "op.b", "terminal": "T9", "start": "2026-11-02T10:05:00+08:00",
         "location": {"point": {"lat": 36.088, "lon": 111.519}}},
        {"account": "op.a", "terminal": "T2", "start": "2026-11-02T10:10:00+08:00",
         "end": "2026-11-02T10:12:00+08:00"},
        {"account": "op.a", "terminal": "T3", "start": "2026-11-02T10:21:00+08:00",
         "location": {"point": {"lat": 23.129, "lon": 113.264}}},
    ]
    flags = hedui.lending_detect(sessions)["flags"]
    travel = [f for f in flags if f["code"] == "impossible_travel"]
    assert [(f["first"], f["second"]) for f in travel] == [(0, 3)]
    assert 1800 < travel[0]["distance_km"] < 1950


# ------------------------------------------------------------------ relief functions


def grant(**extra: Any) -> dict[str, Any]:
    return {"case_id": "C1", "household_id": "H141030-00000000", "relieved_on": "2026-07-01",
            "amount_fen": 200_000, "reason": "火灾", "emergency": True, **extra}


def test_relief_functions_keep_the_ledger_as_data(
    good_case: dict[str, Any], signer: hedui.ReportSigner, keyring: hedui.ReportKeyring
) -> None:
    first = hedui.relief_record(None, grant())
    assert first["reference"] == "C1-1"
    second = hedui.relief_record(first["ledger"], grant())
    assert second["reference"] == "C1-2"
    assert len(first["ledger"]["entries"]) == 1  # the ledger given is not changed
    case = copy.deepcopy(good_case)
    case["entrustment"]["purpose"] = "emergency_follow_up"
    case["entrustment"]["relief_reference"] = "C1-1"
    report = signer.sign(hedui.verify(case, as_of=AS_OF))
    closed = hedui.relief_close(second["ledger"], "C1-1", report, "2026-11-29", keyring)
    assert closed["entry"]["closure"]["report_number"] == report["report_number"]
    follow_ups = hedui.relief_follow_ups(closed["ledger"], "2026-11-29")
    assert [x["entry"]["reference"] for x in follow_ups["closed"]] == ["C1-1"]
    assert [x["entry"]["reference"] for x in follow_ups["overdue"]] == ["C1-2"]
    # the object and the functions are the same operations
    ledger = hedui.EmergencyLedger.from_json(json.dumps(closed["ledger"]))
    assert hedui.relief_follow_ups(ledger, "2026-11-29") == ledger.follow_ups("2026-11-29")
    with pytest.raises(hedui.PopulationError) as info:
        hedui.relief_record(None, grant(emergency=False))
    assert info.value.code == "relief_not_emergency"
    with pytest.raises(hedui.PopulationError) as info:
        hedui.relief_close(closed["ledger"], "C1-1", report, "2026-11-30", keyring)
    assert info.value.code == "relief_followup_already_closed"
    with pytest.raises(hedui.InputError) as bad:
        hedui.relief_follow_ups({"entries": 5}, "2026-11-29")
    assert bad.value.code == "input_json"


# ------------------------------------------------------------------ deprecated names


def test_deprecated_check_authorization_warns(good_case: dict[str, Any]) -> None:
    with pytest.warns(DeprecationWarning, match="authorization_check"):
        defects = hedui.check_authorization(good_case["authorization"], good_case["household"], "2026-11-29")
    assert defects == hedui.authorization_check(
        good_case["authorization"], good_case["household"], "2026-11-29"
    )["defects"]


def test_deprecated_coverage_warns() -> None:
    with pytest.warns(DeprecationWarning, match="coverage_audit"):
        report = hedui.coverage([], [], ["141030"])
    assert report == hedui.coverage_audit([], [], ["141030"])


def test_deprecated_render_report_warns(good_report: dict[str, Any]) -> None:
    with pytest.warns(DeprecationWarning, match="report_render_markdown"):
        text = hedui.render_report(good_report)
    assert text == hedui.report_render_markdown(good_report)


def test_deprecated_verify_report_digest_warns(good_report: dict[str, Any]) -> None:
    with pytest.warns(DeprecationWarning, match="report_verify_digest"):
        assert hedui.verify_report_digest(good_report) is True
