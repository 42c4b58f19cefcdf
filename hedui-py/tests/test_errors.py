"""Every error class: the right class, the core's stable code, the area, the message."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import hedui

from conftest import AS_OF

AREAS = {
    hedui.InputError: "input",
    hedui.AuthorizationError: "authorization",
    hedui.EntrustmentError: "entrustment",
    hedui.VerificationError: "verification",
    hedui.PopulationError: "population",
    hedui.SecurityError: "security",
}


def raised(case: Any, **kwargs: Any) -> hedui.HeduiError:
    with pytest.raises(hedui.HeduiError) as info:
        hedui.verify(case, **{"as_of": AS_OF, **kwargs})
    return info.value


def test_hierarchy() -> None:
    assert issubclass(hedui.HeduiError, ValueError)
    for cls, area in AREAS.items():
        assert issubclass(cls, hedui.HeduiError)
        assert cls.area == area
        assert cls.__module__ == "hedui"
        assert cls.__doc__
    assert hedui.HeduiError.area == "internal"


@pytest.mark.parametrize("cls", list(AREAS))
def test_classes_can_be_raised_and_caught_from_python(cls: type[hedui.HeduiError]) -> None:
    with pytest.raises(ValueError) as info:
        raise cls("from python")
    assert isinstance(info.value, hedui.HeduiError)
    assert info.value.code == "internal"
    assert info.value.area == AREAS[cls]


def test_input_error_malformed_json() -> None:
    e = raised('{"case_id": "broken", "agency": ')
    assert type(e) is hedui.InputError
    assert (e.code, e.area) == ("input_json", "input")
    assert str(e).startswith("invalid case json: ")


def test_input_error_unknown_field(good_case: dict[str, Any]) -> None:
    good_case["surprise"] = 1
    e = raised(good_case)
    assert type(e) is hedui.InputError and e.code == "input_json"
    assert "surprise" in str(e)


def test_input_error_bad_identifier(good_case: dict[str, Any]) -> None:
    good_case["household"]["members"][0]["id"] = "11010519491231002Y"
    e = raised(good_case)
    assert type(e) is hedui.InputError and e.code == "id_resident_character"
    assert "resident id" in str(e)
    good_case["household"]["members"][0]["id"] = "110105194912310021"
    e = raised(good_case)
    assert type(e) is hedui.InputError and e.code == "id_resident_checksum"


def test_input_error_inconsistent(good_case: dict[str, Any]) -> None:
    members = good_case["household"]["members"]
    members.append(copy.deepcopy(members[0]))
    e = raised(good_case)
    assert type(e) is hedui.InputError and e.code == "input_inconsistent"


def test_input_error_arguments(good_case: dict[str, Any]) -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(good_case, as_of="yesterday")
    assert info.value.code == "invalid_time"  # as in C and uniffi
    assert "`yesterday`" in str(info.value)
    for kwargs in (
        {"as_of": 5},
        {"as_of": __import__("datetime").datetime(2026, 11, 29)},
        {"rulebook": "hedui-default-2026.1"},
    ):
        with pytest.raises(hedui.InputError) as info:
            hedui.verify(good_case, **kwargs)
        assert info.value.code == "input_argument"


def test_input_error_not_json_data(good_case: dict[str, Any]) -> None:
    good_case["household"]["members"][0]["name"] = {"a set"}
    e = raised(good_case)
    assert type(e) is hedui.InputError and e.code == "input_json"
    assert "set" in str(e)


def test_authorization_error_defective(good_case: dict[str, Any]) -> None:
    good_case["authorization"]["signatures"].pop()
    e = raised(good_case)
    assert type(e) is hedui.AuthorizationError
    assert (e.code, e.area) == ("authorization_defective", "authorization")
    assert str(e).startswith("R1 authorize-before-entrust")
    assert isinstance(e, hedui.AuthorizationError)
    assert [d["code"] for d in e.defects] == ["missing_signature"]


def test_authorization_error_missing(good_case: dict[str, Any]) -> None:
    del good_case["authorization"]
    e = raised(good_case)
    assert type(e) is hedui.AuthorizationError and e.code == "authorization_missing"
    assert e.defects == ()


def test_entrustment_errors(good_case: dict[str, Any]) -> None:
    wrong = copy.deepcopy(good_case)
    wrong["entrustment"]["agency_id"] = "HD140000"
    e = raised(wrong)
    assert type(e) is hedui.EntrustmentError and e.code == "entrustment_wrong_agency"
    assert e.area == "entrustment"
    missing = copy.deepcopy(good_case)
    del missing["precheck"]
    assert raised(missing).code == "precheck_missing"
    failed = copy.deepcopy(good_case)
    failed["precheck"]["business_compliant"] = False
    assert raised(failed).code == "precheck_failed"


def test_verification_errors(good_case: dict[str, Any]) -> None:
    e = raised(good_case, as_of="2020-01-01T00:00:00+08:00")
    assert type(e) is hedui.VerificationError
    assert (e.code, e.area) == ("chronology", "verification")
    doubled = copy.deepcopy(good_case)
    doubled["responses"].append(copy.deepcopy(doubled["responses"][0]))
    assert raised(doubled).code == "response_duplicate"


def test_batch_error_codes_are_the_core_codes(samples: list[tuple[dict[str, Any], Any]]) -> None:
    cases = [c for c, _ in samples]
    result = hedui.verify_batch(cases, as_of=AS_OF)
    expected = [(i, code) for i, (_, code) in enumerate(samples, start=1) if code is not None]
    assert [(e["position"], e["code"]) for e in result.errors] == expected


def test_errors_pickle_with_their_code(good_case: dict[str, Any]) -> None:
    del good_case["entrustment"]
    e = raised(good_case)
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is hedui.EntrustmentError
    assert (again.code, again.area, str(again)) == (e.code, e.area, str(e))


def test_io_error_for_missing_file(tmp_path: Any) -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.verify_batch(tmp_path / "nope.jsonl")
    assert info.value.code == "input_io"
    assert isinstance(info.value.__cause__, OSError)


def test_detail_of_a_rule_error_is_structured() -> None:
    case = hedui.sample_cases(1, seed=7)[0]
    case["entrustment"] = None
    e = raised(case)
    assert e.detail is not None
    assert e.detail["code"] == e.code == "entrustment_missing"
    assert e.detail["area"] == "entrustment"
    assert e.detail["rule"] == "R2"
    assert e.detail["clause"] == "N §二(一)"
    assert e.detail["message"] == str(e)
    assert str(e).startswith("R2 no-entrust-no-check (N §二(一)): ")
    assert e.detail["fields"] == {}


def test_detail_carries_the_variant_fields() -> None:
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditKeyring().add("k1", b"short")
    d = info.value.detail
    assert d is not None and d["code"] == info.value.code == "audit_key_length"
    assert d["area"] == "security"
    assert d["fields"] == {"min": 32, "found": 5}


def test_boundary_errors_have_a_detail_too() -> None:
    case = hedui.sample_cases(1, seed=7)[0]
    with pytest.raises(hedui.InputError) as info:
        hedui.verify(case, as_of=12345)  # type: ignore[arg-type]
    d = info.value.detail
    assert d is not None
    assert d["code"] == info.value.code == "input_argument"
    assert d["rule"] is None and d["fields"] == {}
    assert d["message"] == str(info.value)
    # the same keys, in the same order, as a core error's detail
    keys = ["code", "area", "rule", "clause", "docs", "message", "fields", "path"]
    assert list(d) == keys
    with pytest.raises(hedui.SecurityError) as core:
        hedui.AuditKeyring().add("k1", b"short")
    assert core.value.detail is not None and list(core.value.detail) == keys


def test_error_catalog_lists_every_code_once_with_its_class() -> None:
    catalog = hedui.error_catalog()
    codes = [e["code"] for e in catalog]
    assert len(codes) == len(set(codes)) >= 80
    by_code = {e["code"]: e for e in catalog}
    assert by_code["entrustment_missing"]["exception"] == "EntrustmentError"
    assert by_code["entrustment_missing"]["rule"]["id"] == "R2"
    assert by_code["id_resident_checksum"]["result"] == 2104
    assert by_code["id_resident_checksum"]["exception"] == "InputError"
    classes = {cls.__name__ for cls in AREAS}
    assert {e["exception"] for e in catalog} <= classes


def test_detail_names_the_json_path_of_a_wrong_field() -> None:
    case = hedui.sample_cases(1, seed=7)[0]
    case["household"]["members"][0]["co_resident"] = "yes"
    e = raised(case)
    assert e.code == "input_json"
    assert e.detail is not None
    assert e.detail["path"] == "household.members[0].co_resident"
