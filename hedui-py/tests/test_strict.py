"""Strict input through Python: the rulebook's line limit, JSON paths of bad fields, and the
rulebook's identifier rules (birth-date window, first-generation numbers) wherever a resident
ID is taken."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import hedui

from conftest import AS_OF, CORPUS

#: The spouse's resident ID in the sample case (``household.members[1].id``).
SPOUSE = "141030197702263262"
#: The applicant's (``household.members[0].id``).
APPLICANT = "141030197803100016"
#: Born 2027-01-01: after the day of any work in 2026.
UNBORN = "141030202701010021"
#: Born 1889-01-01: before the built-in rulebook's floor (1900-01-01).
TOO_OLD = "141030188901010028"
#: The applicant's number in its first-generation, fifteen-digit form.
APPLICANT_LEGACY = "141030780310001"


def rulebook_with(**changes: Any) -> hedui.Rulebook:
    rb = json.loads(hedui.Rulebook.default().to_json())
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        rb[section][key] = value
    return hedui.Rulebook.from_json(json.dumps(rb))


def refusing_legacy() -> hedui.Rulebook:
    return rulebook_with(identifiers__legacy_resident_ids="refuse")


def test_the_line_limit_is_the_rulebooks(tmp_path: Path, good_case_text: str) -> None:
    line = json.dumps(json.loads(good_case_text), ensure_ascii=False)
    size = len(line.encode())
    assert size > 4096
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    rb = rulebook_with(limits__max_line_bytes=4096)
    for cases in (path, [line, json.loads(line)]):
        result = hedui.verify_batch(cases, rulebook=rb, as_of=AS_OF)
        assert result.reports == []
        assert [e["code"] for e in result.errors] == ["input_line_too_long"] * 2
        assert result.errors[0]["message"] == (
            f"`limits.max_line_bytes` is 4096, the line has {size} bytes"
        )
    # the built-in rulebook lets them through
    assert len(hedui.verify_batch(path, as_of=AS_OF).reports) == 2
    # and a limit cannot be switched off
    with pytest.raises(hedui.InputError) as info:
        rulebook_with(limits__max_line_bytes=0)
    assert info.value.code == "input_rulebook"
    assert "limits.max_line_bytes" in str(info.value)


def test_an_identifier_error_names_its_path(good_case_text: str) -> None:
    bad = good_case_text.replace(SPOUSE, "141030197702263263")
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(bad, as_of=AS_OF)
    assert info.value.code == "id_resident_checksum"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "household.members[1].id"
    # in a batch, each error dict carries the path
    result = hedui.verify_batch([good_case_text, bad], as_of=AS_OF)
    assert [(e["position"], e["code"], e["path"]) for e in result.errors] == [
        (2, "id_resident_checksum", "household.members[1].id")
    ]
    # an error without a place has path None
    result = hedui.verify_batch(["{"], as_of=AS_OF)
    assert result.errors[0]["path"] is None


@pytest.mark.parametrize("born", [UNBORN, TOO_OLD])
def test_the_birth_window_in_a_case_names_the_path(good_case_text: str, born: str) -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(good_case_text.replace(SPOUSE, born), as_of=AS_OF)
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "household.members[1].id"
    assert born not in str(info.value)


def test_the_legacy_rule_in_a_case(good_case_text: str) -> None:
    legacy = good_case_text.replace(APPLICANT, APPLICANT_LEGACY)
    assert hedui.verify(legacy, as_of=AS_OF)["integrity"]
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(legacy, rulebook=refusing_legacy(), as_of=AS_OF)
    assert info.value.code == "id_resident_legacy"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "household.members[0].id"


def test_authorization_check_applies_the_identifier_rules(good_case: dict[str, Any]) -> None:
    household = json.dumps(good_case["household"], ensure_ascii=False)
    authorization = json.dumps(good_case["authorization"], ensure_ascii=False)
    assert hedui.authorization_check(authorization, household, on="2026-11-29")["valid"]
    with pytest.raises(hedui.InputError) as info:
        hedui.authorization_check(
            authorization, household.replace(SPOUSE, UNBORN), on="2026-11-29"
        )
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "members[1].id"
    # the signer's ID in the letter too
    with pytest.raises(hedui.InputError) as info:
        hedui.authorization_check(
            authorization.replace(SPOUSE, UNBORN), household, on="2026-11-29"
        )
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "signatures[1].signer.id"
    with pytest.raises(hedui.InputError) as info:
        hedui.authorization_check(
            authorization,
            household.replace(APPLICANT, APPLICANT_LEGACY),
            on="2026-11-29",
            rulebook=refusing_legacy(),
        )
    assert info.value.code == "id_resident_legacy"


def ops_request(op: str, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (CORPUS / "ops" / op / f"{name}.json").read_text(encoding="utf-8")
    )
    return loaded


def test_coverage_audit_applies_the_identifier_rules() -> None:
    r = ops_request("coverage_audit", "covered")
    r["applications"][0]["members"] = [UNBORN]
    with pytest.raises(hedui.InputError) as info:
        hedui.coverage_audit(r["applications"], r["verifications"], r["jurisdiction"])
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "[0].members[0]"


def test_account_register_applies_the_identifier_rules() -> None:
    r = ops_request("account_register", "registered")
    # born 2026-02-01, registered 2026-01-05
    r["request"]["resident_id"] = "141030202602010026"
    with pytest.raises(hedui.InputError) as info:
        hedui.account_register(r["request"], r["agencies"])
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "resident_id"


def test_password_check_applies_the_identifier_rules() -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.password_check("Gx7#kq2!Lm9z", "wangli", UNBORN)
    assert info.value.code == "id_resident_birth_out_of_range"
    with pytest.raises(hedui.InputError) as info:
        hedui.password_check(
            "Gx7#kq2!Lm9z", "wangli", APPLICANT_LEGACY, rulebook=refusing_legacy()
        )
    assert info.value.code == "id_resident_legacy"


def test_archive_check_applies_the_identifier_rules(good_case: dict[str, Any]) -> None:
    entrustment = json.loads(json.dumps(good_case["entrustment"]).replace(SPOUSE, UNBORN))
    with pytest.raises(hedui.InputError) as info:
        hedui.archive_check([], [entrustment], [good_case["authorization"]])
    assert info.value.code == "id_resident_birth_out_of_range"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "[0].subjects[1]"


def test_archive_check_and_account_register_take_a_rulebook(good_case: dict[str, Any]) -> None:
    """The identifier rules of the rulebook given, not only the built-in one's."""
    entrustment = json.loads(json.dumps(good_case["entrustment"]).replace(APPLICANT, APPLICANT_LEGACY))
    authorizations = [good_case["authorization"]]
    assert not hedui.archive_check([], [entrustment], authorizations)["complete"]
    with pytest.raises(hedui.InputError) as info:
        hedui.archive_check([], [entrustment], authorizations, rulebook=refusing_legacy())
    assert info.value.code == "id_resident_legacy"
    assert info.value.detail is not None
    assert info.value.detail["path"] == "[0].subjects[0]"
    r = ops_request("account_register", "registered")
    assert hedui.account_register(r["request"], r["agencies"])["status"] == "pending"
    # the operator was born in 1978
    later_floor = rulebook_with(identifiers__earliest_birth_date="1980-01-01")
    with pytest.raises(hedui.InputError) as info:
        hedui.account_register(r["request"], r["agencies"], rulebook=later_floor)
    assert info.value.code == "id_resident_birth_out_of_range"
    with pytest.raises(hedui.InputError) as info:
        hedui.archive_check([], [], [], rulebook="strict")  # type: ignore[arg-type]
    assert info.value.code == "input_argument"


def test_the_legacy_rule_holds_in_id_check_without_a_day() -> None:
    """`identifiers.legacy_resident_ids: refuse` refuses a first-generation number whether or
    not the day of verification is given; the built-in rulebook upgrades it."""
    assert hedui.id_check("resident_id", APPLICANT_LEGACY)["value"] == APPLICANT
    with pytest.raises(hedui.InputError) as info:
        hedui.id_check("resident_id", APPLICANT_LEGACY, rulebook=refusing_legacy())
    assert info.value.code == "id_resident_legacy"
    verdict = hedui.check_resident_id(APPLICANT_LEGACY, rulebook=refusing_legacy())
    assert verdict["error"] == "id_resident_legacy" and not verdict["valid"]
