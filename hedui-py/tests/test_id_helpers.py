"""The identifier helpers ``check_resident_id`` / ``check_credit_code`` and their column
versions, against python-stdnum as an independent oracle (``stdnum.cn.ric``, ``stdnum.cn.uscc``).

Property tests draw valid numbers and break them; hedui and stdnum must agree on validity except
where hedui is stricter or reads the standard differently, each difference a rule:

- a province code outside GB/T 2260 (and 83): both refuse, hedui with ``id_resident_region``;
- a county stdnum's own table does not list, in a known province: stdnum refuses (its table),
  hedui accepts (GB 11643 fixes the province list; counties change every year);
- a birth date after the day of verification (or before the rulebook's floor, 1900-01-01):
  stdnum accepts, hedui refuses with ``id_resident_birth_out_of_range`` once ``on`` is given;
- letters in positions 1-2 of a credit code: stdnum refuses, GB 32100-2015 allows them.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

import hedui

from test_identifiers import (
    CREDIT,
    check_char,
    credit_check,
    credit_codes,
    resident_numbers,
    stdnum_provinces,
    stdnum_resident,
)

ON = datetime.date(2026, 11, 29)
COUNTIES = ["110105", "110101", "310104", "440305", "141002", "360426", "650102", "530102"]
KEYS = {"kind", "value", "valid", "error", "legacy", "birth_date", "sex", "region"}


def stdnum_ok(number: str) -> bool:
    try:
        ric.validate(number)
        return True
    except (ValidationError, KeyError):
        return False


def resident(region: str, birth: datetime.date, seq: int) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body)


dates = st.dates(datetime.date(1900, 1, 1), ON)
seqs = st.integers(0, 999)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COUNTIES), dates, seqs)
def test_valid_numbers_agree_with_stdnum_field_by_field(region: str, birth: datetime.date, seq: int) -> None:
    number = resident(region, birth, seq)
    # stdnum refuses a county its table dates after the birth year; GB 11643 fixes no such rule
    accepted, county_only = stdnum_resident(number)
    assert accepted or county_only
    got = hedui.check_resident_id(number, on=ON)
    assert set(got) == KEYS
    assert got["valid"] and got["error"] is None
    assert got["value"] == number
    assert got["birth_date"] == ric.get_birth_date(number).isoformat()
    assert got["region"] == number[:6]
    assert got["sex"] == ("male" if int(number[16]) % 2 else "female")
    assert got["legacy"] is False
    # lower-case x is the same number
    if number.endswith("X"):
        assert hedui.check_resident_id(number[:-1] + "x")["value"] == number


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COUNTIES), dates, seqs, st.integers(0, 17), st.integers(1, 10))
def test_one_changed_character_is_refused_by_both(
    region: str, birth: datetime.date, seq: int, pos: int, shift: int
) -> None:
    number = resident(region, birth, seq)
    alphabet = "0123456789X" if pos == 17 else "0123456789"
    c = alphabet[(alphabet.index(number[pos]) + 1 + shift % (len(alphabet) - 1)) % len(alphabet)]
    assert c != number[pos]
    broken = number[:pos] + c + number[pos + 1 :]
    # ISO 7064 MOD 11-2 detects every single substitution
    assert not stdnum_ok(broken)
    got = hedui.check_resident_id(broken, on=ON)
    assert not got["valid"] and got["value"] is None and got["region"] is None
    assert got["error"] in {
        "id_resident_checksum",
        "id_resident_birth_date",
        "id_resident_region",
        "id_resident_character",
        "id_resident_birth_out_of_range",
    }, got


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 99), dates, seqs)
def test_unknown_provinces_are_refused_by_both(province: int, birth: datetime.date, seq: int) -> None:
    number = resident(f"{province:02d}0101", birth, seq)
    got = hedui.check_resident_id(number)
    if province in stdnum_provinces() | {83}:
        assert got["error"] != "id_resident_region"
    else:
        assert not stdnum_ok(number)
        assert got["error"] == "id_resident_region"


def test_counties_stdnum_does_not_list_are_accepted_in_a_known_province() -> None:
    # 119999: province 11 (北京), no such county in stdnum's table
    number = resident("119999", datetime.date(1980, 5, 17), 123)
    assert not stdnum_ok(number)
    got = hedui.check_resident_id(number, on=ON)
    assert got["valid"] and got["region"] == "119999"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(COUNTIES), st.dates(ON + datetime.timedelta(days=1), datetime.date(2099, 12, 31)), seqs)
def test_future_birth_dates_are_refused_only_by_hedui_given_the_day(
    region: str, birth: datetime.date, seq: int
) -> None:
    number = resident(region, birth, seq)
    assert stdnum_ok(number)  # stdnum sets no bound on the birth date
    assert hedui.check_resident_id(number)["valid"]  # no day given: no bounds
    got = hedui.check_resident_id(number, on=ON)
    assert got == {
        "kind": "resident_id",
        "value": None,
        "valid": False,
        "error": "id_resident_birth_out_of_range",
        "legacy": None,
        "birth_date": None,
        "sex": None,
        "region": None,
    }


def test_births_before_the_floor_are_refused_given_the_day() -> None:
    number = resident("110105", datetime.date(1899, 12, 31), 7)
    assert stdnum_ok(number)
    assert hedui.check_resident_id(number, on=ON)["error"] == "id_resident_birth_out_of_range"


def test_first_generation_numbers_come_back_upgraded() -> None:
    got = hedui.check_resident_id("110105491231002", on="2026-11-29")
    assert got["value"] == "11010519491231002X" and got["legacy"] is True
    assert stdnum_ok(str(got["value"]))


def test_the_single_helper_agrees_with_id_check_over_a_generated_roster() -> None:
    for number in resident_numbers(5_000):
        got = hedui.check_resident_id(number, on=ON)
        try:
            checked = hedui.id_check("resident_id", number, on=ON)
        except hedui.InputError as e:
            assert (got["valid"], got["error"], got["value"]) == (False, e.code, None), number
        else:
            assert got["valid"] and got["value"] == checked["value"], number
            assert got["birth_date"] == checked["birth_date"] and got["sex"] == checked["sex"]


def test_credit_codes_agree_with_stdnum() -> None:
    seen = {"valid": 0, "invalid": 0}
    for code in credit_codes(5_000):
        got = hedui.check_credit_code(code)
        if len(code) == 18 and not code[:2].isdigit():
            continue  # letters in positions 1-2: GB 32100 allows them, stdnum does not
        assert got["valid"] == uscc.is_valid(code), code
        seen["valid" if got["valid"] else "invalid"] += 1
        if got["valid"]:
            assert got["value"] == code and got["region"] == code[2:8]
        else:
            assert str(got["error"]).startswith("id_credit_") and got["value"] is None
    assert min(seen.values()) > 1000, seen


def test_credit_codes_with_letters_first_follow_gb_32100() -> None:
    body = "Y1110000600037341"[:17]
    code = body + credit_check(body)
    assert not uscc.is_valid(code)
    assert hedui.check_credit_code(code)["valid"]
    assert all(c in CREDIT for c in code)


def test_arguments_of_the_wrong_type_raise() -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.check_resident_id(110105194912310021)  # type: ignore[arg-type]
    assert info.value.code == "input_argument"
    with pytest.raises(hedui.InputError):
        hedui.check_resident_id("110105194912310021", on="yesterday")


# ------------------------------------------------------------------ columns


def roster() -> list[str]:
    return list(resident_numbers(3_000))


def rows_of(table: hedui.ArrowTable) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pa.table(table).to_pylist()
    return rows


def expected_row(value: Optional[str]) -> dict[str, Any]:
    if value is None:
        return {k: None for k in KEYS - {"kind"}}
    got: dict[str, Any] = dict(hedui.check_resident_id(value, on=ON))
    del got["kind"]
    if got["birth_date"] is not None:
        got["birth_date"] = datetime.date.fromisoformat(got["birth_date"])
    return got


@pytest.mark.parametrize(
    "wrap",
    [
        pytest.param(lambda v: v, id="list"),
        pytest.param(tuple, id="tuple"),
        pytest.param(lambda v: iter(v), id="iterator"),
        pytest.param(lambda v: pd.Series(v, dtype=object), id="pandas-object"),
        pytest.param(lambda v: pd.Series(v, dtype="string"), id="pandas-string"),
        pytest.param(lambda v: pa.array(v), id="pyarrow-array"),
        pytest.param(lambda v: pa.array(v, pa.large_string()), id="pyarrow-large"),
        pytest.param(lambda v: pa.chunked_array([v[:100], v[100:]]), id="pyarrow-chunked"),
        pytest.param(lambda v: pl.Series(v), id="polars"),
    ],
)
def test_columns_give_the_single_verdicts_row_by_row(wrap: Any) -> None:
    values: list[Optional[str]] = [*roster(), None, "11010519491231002x"]
    table = hedui.check_resident_ids(wrap(values), on=ON)
    assert table.name == "resident_ids" and len(table) == len(values)
    assert rows_of(table) == [expected_row(v) for v in values]


def test_column_rows_for_missing_and_non_text_values() -> None:
    table = hedui.check_resident_ids(["11010519491231002X", None, float("nan"), pd.NA, 110105194912310021, b"x"])
    rows = rows_of(table)
    assert rows[0]["valid"] is True
    assert all(r == expected_row(None) for r in rows[1:4])
    for r in rows[4:]:
        assert (r["valid"], r["error"], r["value"]) == (False, "input_argument", None)
    frame = table.to_pandas()
    assert list(frame.columns) == ["value", "valid", "error", "legacy", "birth_date", "sex", "region"]


def test_credit_code_columns() -> None:
    codes = list(credit_codes(2_000))
    rows = rows_of(hedui.check_credit_codes(pa.array(codes)))
    assert [r["valid"] for r in rows] == [hedui.check_credit_code(c)["valid"] for c in codes]
    assert [r["error"] for r in rows] == [hedui.check_credit_code(c)["error"] for c in codes]
    assert all(r["birth_date"] is None and r["sex"] is None for r in rows)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param("110105194912310021", id="one-str"),
        pytest.param({"a": "110105194912310021"}, id="dict"),
        pytest.param(pd.DataFrame({"身份证号": ["110105194912310021"]}), id="pandas-frame"),
        pytest.param(pa.table({"id": ["110105194912310021"]}), id="arrow-table"),
        pytest.param(pa.array([110105194912310021]), id="arrow-int"),
        pytest.param(42, id="int"),
    ],
)
def test_what_is_not_a_column_of_text_is_refused(values: Any) -> None:
    with pytest.raises(hedui.InputError) as info:
        hedui.check_resident_ids(values)
    assert info.value.code == "input_argument"
    # the message never shows a whole resident ID
    assert "110105194912310021" not in str(info.value)
