"""Identifiers against an independent implementation: python-stdnum's ``stdnum.cn.ric``
(resident IDs, GB 11643-1999) and ``stdnum.cn.uscc`` (unified social credit codes, GB
32100-2015), over a large generated set of valid and broken numbers.

stdnum departs from the standards (or from hedui's reading of them) in known places. Each is
handled by a rule below, never by listing numbers:

1. stdnum's ``compact`` strips spaces and hyphens and upper-cases; hedui reads the number as
   written. The generated numbers hold only the identifiers' own characters (digits and ``X``;
   the credit-code alphabet in upper case).
2. ``stdnum.cn.ric`` reads only 18-character numbers. A first-generation 15-digit number is
   compared through its upgrade (century ``19`` inserted, check character computed): hedui's
   verdict on the 15-digit number must be stdnum's on the upgrade, and hedui's value the
   upgrade itself.
3. ``stdnum.cn.ric`` looks the whole six-digit address code up in its own county table (taken
   from Wikipedia, with the years each code was in use); hedui checks the province against
   GB/T 2260's list plus 83 (the address code of Taiwan residents' residence permits, absent
   from stdnum's table). Where stdnum refuses a number only for its county or the county's
   years, hedui's verdict must follow the province alone; stdnum's provinces must be exactly
   hedui's list without 83. (stdnum 2.2 raises ``KeyError`` rather than a ``ValidationError``
   for an address code whose province it knows but whose county it does not: that is the
   county table refusing too.)
4. stdnum sets no bounds on the birth date. hedui (with the day of verification given) refuses
   dates after that day or before the rulebook's floor (1900-01-01): outside those bounds hedui
   must refuse with ``id_resident_birth_out_of_range`` what stdnum accepts.
5. ``stdnum.cn.uscc`` requires digits in positions 1-2 too; GB 32100 lets the registering
   authority and entity type be letters. For codes with a letter there, hedui must accept
   exactly when the code with digits in those places and the same check computation would be
   accepted, i.e. stdnum's verdict is not used for them.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import stdnum
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

import hedui

ON = datetime.date(2026, 11, 29)
FLOOR = datetime.date(1900, 1, 1)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CREDIT = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def credit_check(body: str) -> str:
    return CREDIT[(31 - sum(CREDIT.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS)) % 31) % 31]


def hedui_resident(value: str) -> tuple[Optional[str], str]:
    """(error code or None, hedui's value)."""
    try:
        return None, str(hedui.id_check("resident_id", value, on=ON)["value"])
    except hedui.InputError as e:
        return e.code, ""


def hedui_credit(value: str) -> Optional[str]:
    try:
        hedui.id_check("credit_code", value)
        return None
    except hedui.InputError as e:
        code: str = e.code
        return code


@functools.cache
def stdnum_provinces() -> frozenset[int]:
    provinces = set()
    for p in range(100):
        info = numdb.get("cn/loc").info(f"{p:02d}0000")
        if any(k == f"{p:02d}" and "province" in props for k, props in info):
            provinces.add(p)
    return frozenset(provinces)


def address_codes() -> list[str]:
    """Address codes: every one of stdnum's county table, and as many drawn at random (rule 3)."""
    table = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    codes = []
    province = ""
    for line in table.read_text(encoding="utf-8").splitlines():
        if line[:2].isdigit():
            province = line[:2]
        elif line.startswith("  ") and line[2:6].isdigit():
            codes.append(province + line[2:6])
    rng = random.Random(11643)
    codes += [f"{rng.randrange(100):02d}{rng.randrange(10000):04d}" for _ in range(len(codes))]
    return codes


def random_date(rng: random.Random) -> datetime.date:
    # mostly plausible dates, some in the future or before the floor (rule 4)
    roll = rng.random()
    if roll < 0.9:
        start, end = FLOOR, ON
    elif roll < 0.95:
        start, end = ON, datetime.date(9999, 12, 31)
    else:
        start, end = datetime.date(1000, 1, 1), FLOOR
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def resident_numbers(n: int) -> Iterator[str]:
    rng = random.Random(2026)
    codes = address_codes()
    for _ in range(n):
        birth = random_date(rng)
        body = f"{rng.choice(codes)}{birth.year:04d}{birth.month:02d}{birth.day:02d}{rng.randrange(1000):03d}"
        number = body + check_char(body)
        roll = rng.random()
        if roll < 0.6:
            yield number
        elif roll < 0.75:
            # a wrong check character
            yield body + rng.choice([c for c in "0123456789X" if c != number[-1]])
        elif roll < 0.9:
            # a date that does not exist (month 13, day 30 of February, day 00), check correct
            bad = rng.choice([f"{birth.year:04d}1301", f"{birth.year:04d}0230", f"{birth.year:04d}0100"])
            body = body[:6] + bad + body[14:]
            yield body + check_char(body)
        else:
            # any digit changed, check recomputed or not
            pos = rng.randrange(17)
            body = body[:pos] + str(rng.randrange(10)) + body[pos + 1 :]
            yield body + (check_char(body) if rng.random() < 0.5 else number[-1])


def stdnum_resident(number: str) -> tuple[bool, bool]:
    """(stdnum accepts, stdnum refuses only for the county table)."""
    try:
        ric.validate(number)
        return True, False
    except (ValidationError, KeyError):
        pass
    # the same steps as ric.validate, without the county table
    if len(number) != 18 or not number[:-1].isdigit() or number[-1] != ric.calc_check_digit(number):
        return False, False
    try:
        ric.get_birth_date(number)
    except ValidationError:
        return False, False
    return False, True


def birth_in_bounds(number: str) -> bool:
    birth = ric.get_birth_date(number)
    return FLOOR <= birth <= ON


def test_provinces_are_stdnums_plus_residence_permits() -> None:
    ours = {p for p in range(100) if hedui_resident(f"{p:02d}0000199101010071")[0] != "id_resident_region"}
    assert ours == stdnum_provinces() | {83}
    assert stdnum_provinces() == {int(p) for p in "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()}


def test_resident_ids_agree_with_stdnum() -> None:
    counts: dict[str, int] = {"accepted": 0, "refused": 0, "county_rule": 0, "date_rule": 0, "legacy": 0}
    for number in resident_numbers(60_000):
        error, value = hedui_resident(number)
        accepted, county_only = stdnum_resident(number)
        if accepted or county_only:
            province_ok = int(number[:2]) in stdnum_provinces() | {83}
            if not province_ok:
                assert error == "id_resident_region", number
            elif not birth_in_bounds(number):
                counts["date_rule"] += 1
                assert error == "id_resident_birth_out_of_range", number
            else:
                assert error is None, (number, error)
                assert value == number
                counts["county_rule" if county_only else "accepted"] += 1
        else:
            assert error is not None, number
            counts["refused"] += 1
        # rule 2: the 15-digit form of a number of the 1900s
        if number[6:8] == "19" and number[:-1].isdigit():
            legacy = number[:6] + number[8:17]
            upgrade = legacy[:6] + "19" + legacy[6:]
            upgrade += check_char(upgrade)
            assert hedui_resident(legacy) == hedui_resident(upgrade), legacy
            if stdnum_resident(upgrade)[0]:
                assert hedui_resident(legacy)[1] in ("", upgrade), legacy
            counts["legacy"] += 1
    assert all(n > 1000 for n in counts.values()), counts


def credit_codes(n: int) -> Iterator[str]:
    rng = random.Random(32100)
    for _ in range(n):
        head = "".join(rng.choice("0123456789" if rng.random() < 0.8 else CREDIT) for _ in range(2))
        region = "".join(rng.choice("0123456789") for _ in range(6))
        org = "".join(rng.choice(CREDIT) for _ in range(9))
        body = head + region + org
        roll = rng.random()
        if roll < 0.6:
            yield body + credit_check(body)
        elif roll < 0.75:
            yield body + rng.choice([c for c in CREDIT if c != credit_check(body)])
        elif roll < 0.9:
            # a letter (or a character outside the alphabet) somewhere, check recomputed
            pos = rng.randrange(17)
            c = rng.choice("ABCDEFGHJKLMNPQRTUWXYIOSVZ")
            body = body[:pos] + c + body[pos + 1 :]
            yield body + (credit_check(body) if c in CREDIT else "0")
        else:
            # too short or too long
            code = body + credit_check(body)
            yield code[: rng.randrange(18)] if rng.random() < 0.5 else code + "0"


def test_credit_codes_agree_with_stdnum() -> None:
    counts = {"accepted": 0, "refused": 0, "letter_head": 0}
    for code in credit_codes(30_000):
        error = hedui_credit(code)
        if len(code) == 18 and not code[:2].isdigit() and all(c in CREDIT for c in code[:2]):
            # rule 5: stdnum refuses letters in positions 1-2; GB 32100 does not
            counts["letter_head"] += 1
            digits = "00" + code[2:17]
            expected_ok = (
                all(c in CREDIT for c in code)
                and uscc.is_valid(digits + credit_check(digits))
                and code[-1] == credit_check(code[:17])
            )
            assert (error is None) == expected_ok, (code, error)
            continue
        if uscc.is_valid(code):
            assert error is None, (code, error)
            counts["accepted"] += 1
        else:
            assert error is not None, code
            counts["refused"] += 1
    assert all(n > 1000 for n in counts.values()), counts


def test_wide_digits_are_characters_not_bytes() -> None:
    wide = "".join(chr(ord("０") + int(d)) for d in "360426199101010071")
    try:
        hedui.id_check("resident_id", wide)
    except hedui.InputError as e:
        detail: Any = e.detail
        assert e.code == "id_resident_character"
        assert detail["fields"]["position"] == 1
    else:
        raise AssertionError("full-width digits accepted")
