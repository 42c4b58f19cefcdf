"""Each public API on realistic cases: the corpus and generated sample cases."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from typing import Any

import pytest

import hedui

from conftest import AS_OF

BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def test_version_and_exports() -> None:
    assert isinstance(hedui.__version__, str) and hedui.__version__.count(".") == 2
    for name in hedui.__all__:
        obj = getattr(hedui, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


# ------------------------------------------------------------------ Rulebook


def test_rulebook_default_roundtrip() -> None:
    rb = hedui.Rulebook.default()
    assert rb.version == "hedui-default-2026.1"
    doc = json.loads(rb.to_json())
    assert doc["recheck"]["destitute_months"] == 12
    again = hedui.Rulebook.from_json(rb.to_json())
    assert again == rb and not (again != rb)
    assert rb != "not a rulebook"
    assert repr(rb) == 'Rulebook(version="hedui-default-2026.1")'


def test_rulebook_is_frozen_and_pickles() -> None:
    rb = hedui.Rulebook.default()
    with pytest.raises(AttributeError):
        rb.version = "x"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(rb)) == rb


def test_custom_rulebook_changes_reports(good_case: dict[str, Any]) -> None:
    doc = json.loads(hedui.Rulebook.default().to_json())
    doc["version"] = "linfen-2026.2"
    doc["income_window_months"] = 6
    rb = hedui.Rulebook.from_json(json.dumps(doc))
    report = hedui.verify(good_case, rulebook=rb, as_of=AS_OF)
    assert report["header"]["rulebook_version"] == "linfen-2026.2"
    assert report["aggregates"]["income"]["months"] == 6


def test_rulebook_out_of_range_is_rejected() -> None:
    doc = json.loads(hedui.Rulebook.default().to_json())
    doc["recheck"]["other_months"] = 0
    with pytest.raises(hedui.InputError) as info:
        hedui.Rulebook.from_json(json.dumps(doc))
    assert info.value.code == "input_rulebook"


def test_rulebook_security_setting_outside_its_policy_bound_is_rejected() -> None:
    doc = json.loads(hedui.Rulebook.default().to_json())
    doc["retention"]["log_months"] = 3
    with pytest.raises(hedui.InputError) as info:
        hedui.Rulebook.from_json(json.dumps(doc))
    assert info.value.code == "rulebook_out_of_bounds"
    assert "网络安全法" in str(info.value)
    detail = info.value.detail
    assert detail is not None
    assert detail["fields"]["field"] == "retention.log_months"
    assert detail["fields"]["value"] == 3


# ------------------------------------------------------------------ verify


def test_verify_returns_a_sealed_report(good_case: dict[str, Any]) -> None:
    report = hedui.verify(good_case, as_of=AS_OF)
    assert list(report)[:3] == ["report_number", "header", "members"]
    assert report["header"]["issued_at"] == AS_OF
    integrity = report["integrity"]
    assert integrity is not None
    assert integrity["canonical_form"] == "hedui-report-v1"
    assert len(integrity["digest"]) == 64
    assert "不认定" in report["statement"]
    assert hedui.report_verify_digest(report)
    # the same case and issue time always give the same report
    assert hedui.verify(good_case, as_of=AS_OF) == report


def test_verify_accepts_text_bytes_and_datetimes(good_case: dict[str, Any], good_case_text: str) -> None:
    from_dict = hedui.verify(good_case, as_of=AS_OF)
    assert hedui.verify(good_case_text, as_of=AS_OF) == from_dict
    assert hedui.verify(good_case_text.encode(), as_of=AS_OF) == from_dict
    aware = datetime.datetime(2026, 11, 29, 10, 0, tzinfo=BEIJING)
    assert hedui.verify(good_case, as_of=aware) == from_dict
    utc = datetime.datetime(2026, 11, 29, 2, 0, tzinfo=datetime.timezone.utc)
    assert hedui.verify(good_case, as_of=utc)["header"]["issued_at"] == "2026-11-29T02:00:00Z"


def test_verify_takes_python_dates_in_the_case(good_case: dict[str, Any]) -> None:
    expected = hedui.verify(good_case, as_of=AS_OF)
    case = copy.deepcopy(good_case)
    case["authorization"]["signed_on"] = datetime.date.fromisoformat(case["authorization"]["signed_on"])
    case["queries_sent_at"] = datetime.datetime.fromisoformat(case["queries_sent_at"])
    assert hedui.verify(case, as_of=AS_OF) == expected


def test_verify_defaults_to_now_in_beijing(good_case: dict[str, Any]) -> None:
    report = hedui.verify(good_case)
    assert "." not in report["header"]["issued_at"]  # whole seconds
    issued = datetime.datetime.fromisoformat(report["header"]["issued_at"])
    assert issued.utcoffset() == datetime.timedelta(hours=8)
    assert abs(issued - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(minutes=5)


def test_verify_json_is_the_compact_report(good_case_text: str) -> None:
    text = hedui.verify_json(good_case_text, as_of=AS_OF)
    assert not text.endswith("\n")
    report = json.loads(text)
    assert json.dumps(report, ensure_ascii=False, separators=(",", ":")) == text
    assert report == hedui.verify(json.loads(good_case_text), as_of=AS_OF)


def test_sample_cases_verify_exactly_as_expected(samples: list[tuple[dict[str, Any], Any]]) -> None:
    failures = 0
    for case, expected in samples:
        if expected is None:
            assert hedui.report_verify_digest(hedui.verify(case, as_of=AS_OF))
        else:
            failures += 1
            with pytest.raises(hedui.HeduiError) as info:
                hedui.verify(case, as_of=AS_OF)
            assert info.value.code == expected
    assert failures > 5


def test_sample_cases_are_deterministic() -> None:
    a = hedui.sample_cases(5, seed=11)
    assert a == hedui.sample_cases(5, seed=11)
    assert a[2:] == hedui.sample_cases(3, seed=11, start=2)
    assert a != hedui.sample_cases(5, seed=12)
    assert hedui.sample_cases(0) == []
    pairs = hedui.sample_cases(3, seed=11, with_expected=True)
    assert [c for c, _ in pairs] == a[:3]


# ------------------------------------------------------------------ digest, rendering


def test_digest_detects_any_change(good_report: dict[str, Any]) -> None:
    assert hedui.report_verify_digest(good_report)
    changed = copy.deepcopy(good_report)
    changed["aggregates"]["financial_assets"]["deposits_fen"] += 1
    assert not hedui.report_verify_digest(changed)
    renamed = copy.deepcopy(good_report)
    renamed["members"][0]["name"] = "某某"
    assert not hedui.report_verify_digest(renamed)
    unsealed = copy.deepcopy(good_report)
    del unsealed["integrity"]
    assert not hedui.report_verify_digest(unsealed)


def test_render_report_is_chinese_markdown(good_report: dict[str, Any]) -> None:
    text = hedui.report_render_markdown(good_report)
    assert text.startswith("# 居民家庭经济状况核对报告")
    assert good_report["report_number"] in text
    assert "不认定" in text


def test_department_wording_is_quoted_and_the_rulebook_decides(good_case: dict[str, Any]) -> None:
    # R3: a department's text with conclusion wording is carried as its words and flagged
    case = copy.deepcopy(good_case)
    fact = case["responses"][0]["facts"][0]
    assert fact["kind"] == "household_registration"
    fact["address"] = "低保标准核定小区"
    report = hedui.verify(case, as_of=AS_OF)
    assert report["source_wording"] == [
        {"finding": 0, "fact": 0, "field": "address", "phrase": "低保标准"}
    ]
    text = hedui.report_render_markdown(report)
    assert "部门原文：“低保标准核定小区”" in text
    assert "source_wording" not in hedui.verify(good_case, as_of=AS_OF)
    # the rulebook's list decides; an empty one is refused
    doc = json.loads(hedui.Rulebook.default().to_json())
    assert "低保标准" in doc["wording"]["verdict_phrases"]
    doc["wording"]["verdict_phrases"] = ["核定小区"]
    report = hedui.verify(case, rulebook=hedui.Rulebook.from_json(json.dumps(doc)), as_of=AS_OF)
    assert [w["phrase"] for w in report["source_wording"]] == ["核定小区"]
    doc["wording"]["verdict_phrases"] = []
    with pytest.raises(hedui.InputError) as info:
        hedui.Rulebook.from_json(json.dumps(doc))
    assert info.value.code == "input_rulebook"


def test_an_appeal_reason_that_concludes_is_refused(good_case: dict[str, Any]) -> None:
    # R3: the appeal reason goes into the report's header, so a concluding one is refused
    case = copy.deepcopy(good_case)
    case["entrustment"]["purpose"] = "appeal_recheck"
    link = {
        "disputed_report": "HD20261001-WT-0",
        "disputed_digest": "ab" * 32,
        "reason": "申请人认为本户符合条件",
    }
    case["entrustment"]["appeal"] = link
    with pytest.raises(hedui.EntrustmentError) as info:
        hedui.verify(case, as_of=AS_OF)
    assert info.value.code == "verdict_in_appeal_reason"
    assert "appeal.reason" in str(info.value)
    link["reason"] = "申请人称存款已用于医疗支出"
    report = hedui.verify(case, as_of=AS_OF)
    appeal = report["header"]["appeal"]
    assert appeal is not None
    assert appeal["reason"] == "申请人称存款已用于医疗支出"


def test_field_visits_as_the_rules_define_them(good_case: dict[str, Any]) -> None:
    # R7, 低保审核确认办法 Art 16: two operators, the members present sign, within the window
    applicant = good_case["household"]["members"][0]["id"]
    visit: dict[str, Any] = {
        "category": "real_estate",
        "method": "field_visit",
        "on": good_case["entrustment"]["issued_on"],
        "investigators": [
            {"operator_id": "OP-1", "name": "王伟"},
            {"operator_id": "OP-2", "name": "王伟"},
        ],
        "members_present": [applicant],
        "signatures": [applicant],
        "summary": "入户查看",
    }
    case = copy.deepcopy(good_case)
    case["offline_results"] = [visit]
    report = hedui.verify(case, as_of=AS_OF)
    assert report["offline_results"][0]["investigators"] == ["王伟", "王伟"]
    defects = [
        ("investigators", [{"operator_id": "OP-1", "name": "王伟"}], "field_visit_understaffed"),
        (
            "investigators",
            [{"operator_id": "OP-1", "name": "王伟"}, {"operator_id": "OP-1", "name": "李强"}],
            "field_visit_same_investigator",
        ),
        ("members_present", [], "field_visit_no_member_present"),
        ("signatures", [], "field_visit_signature_missing"),
        ("on", "2000-01-03", "field_visit_outside_window"),
    ]
    for field, value, code in defects:
        bad = copy.deepcopy(case)
        bad["offline_results"][0][field] = value
        with pytest.raises(hedui.HeduiError) as info:
            hedui.verify(bad, as_of=AS_OF)
        assert info.value.code == code, field


def test_the_check_start_is_reported(good_case: dict[str, Any]) -> None:
    # 最低生活保障审核确认办法 Art 17: queries sent Monday 2026-07-06, 3 working days allowed
    assert good_case["queries_sent_at"].startswith("2026-07-06")
    assert "check_start" not in hedui.verify(good_case, as_of=AS_OF)
    case = copy.deepcopy(good_case)
    case["entrustment"]["requested_on"] = "2026-07-01"
    report = hedui.verify(case, as_of=AS_OF)
    assert report["check_start"] == {
        "requested_on": "2026-07-01",
        "started_on": "2026-07-06",
        "limit_working_days": 3,
        "due_on": "2026-07-06",
        "within_limit": True,
    }
    case["entrustment"]["requested_on"] = "2026-06-30"
    report = hedui.verify(case, as_of=AS_OF)
    check_start = report["check_start"]
    assert check_start is not None
    assert check_start["due_on"] == "2026-07-03"
    assert check_start["within_limit"] is False
    assert "超出时限" in hedui.report_render_markdown(report)


def test_the_agencys_own_offline_comparison_answers_an_offline_category(
    good_case: dict[str, Any],
) -> None:
    # N §一(二) (临市民函〔2024〕21号): the agency compares offline data itself for a category the plan
    # leaves offline; only its own level may, and the member leaves that category's gap
    before = hedui.verify(good_case, as_of=AS_OF)
    applicant = good_case["household"]["members"][0]["id"]
    masked = before["members"][0]["id_masked"]
    assert any(g["category"] == "prisoners" and masked in g["members"] for g in before["gaps"])
    answer = {
        "category": "prisoners",
        "level": good_case["agency"]["level"],
        "subject": applicant,
        "responded_at": "2026-07-09T15:00:00+08:00",
        "facts": [{"kind": "imprisonment", "since": "2025-03-01"}],
        "channel": "offline_comparison",
    }
    case = copy.deepcopy(good_case)
    case["responses"].append(answer)
    report = hedui.verify(case, as_of=AS_OF)
    finding = next(
        f for f in report["findings"] if f["category"] == "prisoners" and f["member"] == masked
    )
    assert finding["channel"] == "offline_comparison" and finding["status"] == "returned"
    assert not any(g["category"] == "prisoners" and masked in g["members"] for g in report["gaps"])
    assert "已反馈（线下数据核对）" in hedui.report_render_markdown(report)
    # another level's agency, or a department query for the offline category: unplanned
    for change in ({"level": "city"}, {"channel": "department_query"}):
        bad = copy.deepcopy(good_case)
        bad["responses"].append({**answer, **change})
        with pytest.raises(hedui.HeduiError) as info:
            hedui.verify(bad, as_of=AS_OF)
        assert info.value.code == "response_unplanned", change


def test_the_default_feedback_deadline_applies_where_an_agreement_sets_none(
    good_case: dict[str, Any],
) -> None:
    # the rulebook's default feedback deadline (local practice: 5 working days) where an
    # agreement's own is 0; the default value itself, then a changed default
    doc = json.loads(hedui.Rulebook.default().to_json())
    assert doc["deadlines"]["feedback_working_days"] == 5
    [hr] = [a for a in doc["agreements"] if a["category"] == "household_registration"
            and a["level"] == "county"]
    assert hr["feedback_working_days"] == 3

    def deadline(rulebook_doc: dict[str, Any]) -> str:
        report = hedui.verify(
            good_case, rulebook=hedui.Rulebook.from_json(json.dumps(rulebook_doc)), as_of=AS_OF
        )
        return str(next(
            f["deadline"] for f in report["findings"] if f["category"] == "household_registration"
        ))

    # queries went out on Monday 2026-07-06: 3 working days is Thursday, 5 the next Monday
    assert good_case["queries_sent_at"].startswith("2026-07-06")
    assert deadline(doc) == "2026-07-09"
    for a in doc["agreements"]:
        a["feedback_working_days"] = 0
    assert deadline(doc) == "2026-07-13"
    doc["deadlines"]["feedback_working_days"] = 6
    assert deadline(doc) == "2026-07-14"


def test_income_exempt_by_kind_whatever_the_feed_says(good_case: dict[str, Any]) -> None:
    before = hedui.verify(good_case, as_of=AS_OF)
    assert "exempt_by_rule" not in before
    case = copy.deepcopy(good_case)
    response = next(r for r in case["responses"] if r["category"] == "social_insurance")
    response["facts"].append(
        {
            "kind": "income",
            "item": "优待抚恤金",
            "income_type": "transfer_net",
            "paid_on": before["aggregates"]["income"]["window_to"],
            "amount_fen": 50_000,
            "exempt": False,
        }
    )
    report = hedui.verify(case, as_of=AS_OF)
    [override] = report["exempt_by_rule"]
    assert "最低生活保障审核确认办法" in override["source"]
    finding = report["findings"][override["finding"]]
    fact = finding["facts"][override["fact"]]
    assert fact["kind"] == "income" and fact.get("exempt") is True
    income, old = report["aggregates"]["income"], before["aggregates"]["income"]
    assert income["exempt_total_fen"] == old["exempt_total_fen"] + 50_000
    assert income["total_fen"] == old["total_fen"]
    assert "按规定不计入的项目" in hedui.report_render_markdown(report)


# ------------------------------------------------------------------ authorization


def test_authorization_check_valid_letter_has_no_defects(good_case: dict[str, Any]) -> None:
    on = good_case["queries_sent_at"][:10]
    check = hedui.authorization_check(good_case["authorization"], good_case["household"], on)
    assert check == {
        "authorization_number": good_case["authorization"]["number"],
        "household_id": good_case["household"]["id"],
        "on": on,
        "valid": True,
        "defects": [],
    }
    again = hedui.authorization_check(
        good_case["authorization"],
        good_case["household"],
        datetime.date.fromisoformat(on),
        rulebook=hedui.Rulebook.default(),
    )
    assert again == check


def test_authorization_check_lists_every_defect(good_case: dict[str, Any]) -> None:
    auth = good_case["authorization"]
    auth["signatures"] = auth["signatures"][1:]
    auth["categories"] = [c for c in auth["categories"] if c != "bank_deposits"]
    check = hedui.authorization_check(auth, good_case["household"], "2026-11-29")
    assert check["valid"] is False
    defects = check["defects"]
    codes = [d["code"] for d in defects]
    assert "missing_signature" in codes and "scope_missing" in codes
    for d in defects:
        assert set(d) >= {"code", "message"} and d["message"]
    missing = next(d for d in defects if d["code"] == "missing_signature")
    assert missing["member"].count("*") == 10
    scope = next(d for d in defects if d["code"] == "scope_missing")
    assert scope == {
        "code": "scope_missing",
        "category": "bank_deposits",
        "message": "category `bank_deposits` is not authorized",
    }


def test_authorization_check_dates(good_case: dict[str, Any]) -> None:
    signed = good_case["authorization"]["signed_on"]
    before = (datetime.date.fromisoformat(signed) - datetime.timedelta(days=1)).isoformat()
    check = hedui.authorization_check(good_case["authorization"], good_case["household"], before)
    defects = check["defects"]
    assert [d["code"] for d in defects] == ["not_yet_signed"]
    assert defects[0]["signed_on"] == signed
    with pytest.raises(hedui.InputError) as info:
        hedui.authorization_check(good_case["authorization"], good_case["household"], "29/11/2026")
    assert info.value.code == "invalid_date"


def test_authorization_check_on_defaults_to_today_in_beijing(good_case: dict[str, Any]) -> None:
    check = hedui.authorization_check(good_case["authorization"], good_case["household"])
    today = datetime.datetime.now(BEIJING).date()
    assert check["on"] in {today.isoformat(), (today - datetime.timedelta(days=1)).isoformat()}


# ------------------------------------------------------------------ records


def test_reports_to_records_rows(good_report: dict[str, Any]) -> None:
    rows = hedui.reports_to_records([good_report])
    members = len(good_report["members"])
    assert len(rows) == 16 * members == len(good_report["findings"])
    assert all(list(r) == hedui.RECORD_COLUMNS for r in rows)
    first = rows[0]
    assert first["report_number"] == good_report["report_number"]
    assert first["household_id"] == good_report["header"]["household_id"]
    assert first["category"] == "household_registration" and first["category_zh"] == "户籍"
    deposits = [r for r in rows if r["category"] == "bank_deposits"]
    total = sum(r["amount_fen"] or 0 for r in deposits)
    assert total == good_report["aggregates"]["financial_assets"]["deposits_fen"]
    assert all(isinstance(r["facts"], int) for r in rows)
    statuses = {r["status"] for r in rows}
    assert statuses <= {
        "returned",
        "no_record",
        "no_feedback_in_time",
        "awaiting_feedback",
        "not_shared",
        "no_means",
        "outside_scope",
    }


def test_reports_to_records_feeds_pandas(good_report: dict[str, Any]) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(hedui.reports_to_records([good_report, good_report]))
    assert list(frame.columns) == hedui.RECORD_COLUMNS
    assert len(frame) == 2 * len(good_report["findings"])


def test_reports_to_records_of_a_batch(samples: list[tuple[dict[str, Any], Any]]) -> None:
    result = hedui.verify_batch([c for c, _ in samples[:40]], as_of=AS_OF)
    rows = hedui.reports_to_records(result.reports)
    assert len(rows) == sum(len(r["findings"]) for r in result.reports)
    assert hedui.reports_to_records([]) == []
