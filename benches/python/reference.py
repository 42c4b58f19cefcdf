"""A straightforward pure-Python implementation of hedui's report assembly.

It does what ``hedui-core``'s ``assemble`` + ``seal`` do for one case, written the way an
analyst would write it in plain Python: read the case JSON, check the identifiers and the
authorization signatures (R1), the entrustment and pre-check (R2), plan each category own
level first from the sharing agreements of the rulebook (R6), build the findings with
working-day deadlines, the gaps and offline tasks (R7), the aggregates, and the SHA-256
digest over the compact JSON (``hashlib``).

The rulebook's numbers (agreements, calendar, income window) are read from the rulebook JSON
that ``hedui.Rulebook.default().to_json()`` exports, so both sides use the same data.

It exists for ``compare.py``, which times it against ``hedui.verify_batch`` on the same cases
and checks that both give the same report bytes and the same error codes. It covers what the
sample cases exercise; input validation is lighter than the core's (unknown fields, digest
syntax and a few other shape checks are left out).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

BEIJING = timezone(timedelta(hours=8))
CANONICAL_FORM = "hedui-report-v1"
NOT_A_DETERMINATION = (
    "本报告只核对、不认定：仅客观反映核对对象当前家庭经济状况，不作是否符合救助条件的认定结论；"
    "核对结果仅作为救助部门开展社会救助工作的参考资料之一。"
)

CATEGORIES = [
    "household_registration",
    "vehicles",
    "social_insurance",
    "real_estate",
    "business_registration",
    "tax",
    "housing_provident_fund",
    "bank_deposits",
    "securities",
    "commercial_insurance",
    "public_payroll",
    "prisoners",
    "marriage",
    "funeral",
    "orphans",
    "disability_subsidies",
]
LEVELS = ["county", "city", "province", "ministry"]
LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
INCOME_TYPES = ["wages", "business_net", "property_net", "transfer_net"]

PURPOSE_ZH = {
    "new_application": "新申请核对",
    "periodic_recheck": "定期复核",
    "appeal_recheck": "申诉复核",
    "emergency_follow_up": "先行救助后补核对",
}
PROGRAMME_ZH = {
    "minimum_living_allowance": "最低生活保障",
    "destitute_persons": "特困人员救助供养",
    "temporary_assistance": "临时救助",
    "low_income_margin": "低保边缘家庭",
    "essential_spending_hardship": "刚性支出困难家庭",
}

LETTER = ["letter_evidence"]
LETTER_NEIGHBOUR = ["letter_evidence", "neighbour_interview"]
VISIT_NEIGHBOUR = ["field_visit", "neighbour_interview"]
VISIT_LETTER = ["field_visit", "letter_evidence"]
OFFLINE_METHODS = {
    "bank_deposits": LETTER,
    "securities": LETTER,
    "commercial_insurance": LETTER,
    "housing_provident_fund": LETTER,
    "tax": LETTER,
    "social_insurance": LETTER_NEIGHBOUR,
    "public_payroll": LETTER_NEIGHBOUR,
    "prisoners": LETTER_NEIGHBOUR,
    "marriage": LETTER_NEIGHBOUR,
    "funeral": LETTER_NEIGHBOUR,
    "orphans": LETTER_NEIGHBOUR,
    "real_estate": VISIT_NEIGHBOUR,
    "vehicles": VISIT_NEIGHBOUR,
    "business_registration": VISIT_NEIGHBOUR,
    "household_registration": VISIT_LETTER,
    "disability_subsidies": VISIT_LETTER,
}

# the categories each fact kind may be returned under
FITS = {
    "household_registration": {"household_registration"},
    "vehicle": {"vehicles"},
    "income": {"social_insurance", "tax", "public_payroll", "orphans", "disability_subsidies"},
    "employment": {"social_insurance", "public_payroll"},
    "real_estate": {"real_estate"},
    "business": {"business_registration"},
    "provident_fund": {"housing_provident_fund"},
    "deposit": {"bank_deposits"},
    "securities": {"securities"},
    "insurance_policy": {"commercial_insurance"},
    "imprisonment": {"prisoners"},
    "marriage_event": {"marriage"},
    "death": {"funeral"},
    "property_transaction": {"real_estate"},
    "tax_paid": {"tax"},
    "provident_fund_withdrawal": {"housing_provident_fund"},
    "orphan_status": {"orphans"},
}

# serialized field order of each fact kind; True marks a field written even when absent
FACT_FIELDS = {
    "household_registration": ["registered_members", "address", "relation_to_head", "death_on"],
    "vehicle": ["vehicle_type", "commercial", "registered_on", "plate_masked"],
    "income": ["item", "income_type", "paid_on", "amount_fen", "exempt"],
    "employment": ["employer", "contribution_base_fen"],
    "real_estate": ["location", "area_m2_x100", "usage", "acquired_on"],
    "business": ["credit_code", "name", "role", "registered_capital_fen", "status"],
    "provident_fund": ["balance_fen", "monthly_contribution_fen"],
    "deposit": ["institution", "balance_fen", "over_limit"],
    "securities": ["institution", "market_value_fen"],
    "insurance_policy": ["insurer", "product", "cash_value_fen"],
    "imprisonment": ["since", "until"],
    "marriage_event": ["event", "on"],
    "death": ["on"],
    "property_transaction": ["event", "on", "price_fen"],
    "tax_paid": ["tax", "paid_on", "amount_fen"],
    "provident_fund_withdrawal": ["on", "amount_fen", "reason"],
    "orphan_status": ["since", "until"],
}

I64_MIN, I64_MAX = -(2**63), 2**63 - 1
RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RESIDENT_CHECK = "10X98765432"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


class RefError(Exception):
    """A rejected case, with the same stable code the core uses."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


# ---------------------------------------------------------------- identifiers, dates


class Person:
    """A parsed resident ID: normalized text, birth date, sex."""

    __slots__ = ("text", "birth", "sex")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise RefError("input_json", "resident id must be a string")
        if len(text) == 18:
            body, check = text[:17], text[17].upper()
            if not body.isdigit() or not body.isascii():
                raise RefError("id_resident_character")
            if not (check.isdigit() or check == "X"):
                raise RefError("id_resident_character")
            self._region(body[:6])
            self.birth = self._birth(int(body[6:10]), int(body[10:12]), int(body[12:14]))
            total = sum(int(d) * w for d, w in zip(body, RESIDENT_WEIGHTS))
            if RESIDENT_CHECK[total % 11] != check:
                raise RefError("id_resident_checksum")
            seq = int(body[14:17])
            self.text = text.upper()
        elif len(text) == 15:
            if not text.isdigit() or not text.isascii():
                raise RefError("id_resident_character")
            self._region(text[:6])
            self.birth = self._birth(1900 + int(text[6:8]), int(text[8:10]), int(text[10:12]))
            seq = int(text[12:15])
            self.text = text
        else:
            raise RefError("id_resident_length")
        self.sex = "male" if seq % 2 == 1 else "female"

    @staticmethod
    def _region(code: str) -> None:
        if not 11 <= int(code) // 10000 <= 91:
            raise RefError("id_resident_region")

    @staticmethod
    def _birth(year: int, month: int, day: int) -> date:
        try:
            if year < 1850:
                raise ValueError
            return date(year, month, day)
        except ValueError:
            raise RefError("id_resident_birth_date") from None

    def masked(self) -> str:
        n = len(self.text)
        return self.text[:6] + "*" * (n - 8) + self.text[-2:]

    def age_on(self, on: date) -> int:
        years = on.year - self.birth.year
        if (on.month, on.day) < (self.birth.month, self.birth.day):
            years -= 1
        return max(years, 0)


def check_credit_code(code: str) -> str:
    if len(code) != 18:
        raise RefError("id_credit_length")
    values = []
    for c in code:
        i = CREDIT_ALPHABET.find(c)
        if i < 0:
            raise RefError("id_credit_character")
        values.append(i)
    total = sum(v * w for v, w in zip(values, CREDIT_WEIGHTS))
    if CREDIT_ALPHABET[(31 - total % 31) % 31] != code[17]:
        raise RefError("id_credit_checksum")
    return code


def check_region(code: str) -> str:
    if len(code) != 6 or not code.isdigit() or not 11 <= int(code) // 10000 <= 91:
        raise RefError("id_region")
    return code


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise RefError("input_json", f"bad date {text!r}") from None


def parse_instant(text: str) -> datetime:
    try:
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        dt = datetime.fromisoformat(text)
    except (TypeError, ValueError, AttributeError):
        raise RefError("input_json", f"bad instant {text!r}") from None
    if dt.tzinfo is None:
        raise RefError("input_json", "instant without offset")
    return dt


def format_instant(dt: datetime) -> str:
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        s += (".%06d" % dt.microsecond).rstrip("0")
    offset = dt.utcoffset() or timedelta(0)
    if offset == timedelta(0):
        return s + "Z"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return "%s%s%02d:%02d" % (s, sign, minutes // 60, minutes % 60)


def beijing_date(dt: datetime) -> date:
    return dt.astimezone(BEIJING).date()


def add_months_clamped(d: date, months: int) -> date:
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if month == 12:
        last = 31
    else:
        last = (date(year, month + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def checked(value: int, what: str) -> int:
    if value < I64_MIN or value > I64_MAX:
        raise RefError("amount_overflow", f"amounts for `{what}` overflow")
    return value


# ---------------------------------------------------------------- rulebook


class Calendar:
    """Working days: weekends and public holidays off, adjusted working days on."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self.years = {c["year"] for c in doc["covered_years"]}
        self.holidays = {date.fromisoformat(d) for d in doc["holidays"]}
        self.adjusted = {date.fromisoformat(d) for d in doc["adjusted_working_days"]}

    def add_working_days(self, start: date, n: int) -> Tuple[date, bool]:
        d, estimated = start, False
        one = timedelta(days=1)
        while n > 0:
            d += one
            weekend = d.weekday() >= 5
            if d.year in self.years:
                working = d in self.adjusted if weekend else d not in self.holidays
            else:
                estimated = True
                working = not weekend
            if working:
                n -= 1
        return d, estimated


class Rules:
    """The numbers of a rulebook document that report assembly needs."""

    def __init__(self, doc: Dict[str, Any]) -> None:
        self.version = doc["version"]
        self.income_window_months = doc["income_window_months"]
        self.max_auth_age = doc["authorization"]["max_age_months"]
        self.required_scope = doc["authorization"]["required_scope"]
        self.supporter_programmes = set(doc["authorization"]["supporter_programmes"])
        self.max_entrustment_age = doc["entrustment"]["max_age_days"]
        self.calendar = Calendar(doc["calendar"])
        self.agreements = {(a["category"], a["level"]): a for a in doc["agreements"]}


# ---------------------------------------------------------------- R1 authorization


def authorization_defects(auth: Dict[str, Any], household: Dict[str, Any], on: date, rules: Rules) -> List[str]:
    """Codes of every defect of the letter (R1); empty when valid."""
    out: List[str] = []
    members = household["members"]
    if auth["household_id"] != household["id"]:
        out.append("household_mismatch")
    applicants = [m for m in members if m["relation"] == "applicant"]
    if len(applicants) != 1:
        out.append("no_applicant")
    elif applicants[0]["capacity"] != "full":
        out.append("applicant_lacks_capacity")
    signatures = auth["signatures"]
    in_person = {s["signer"]["id"].text for s in signatures if s.get("on_behalf_of") is None}
    for m in members:
        pid = m["id"]
        if m["capacity"] == "full" and pid.age_on(on) < 16:
            out.append("capacity_inconsistent_with_age")
        if not m.get("co_resident", True):
            continue
        if m["capacity"] == "full":
            if pid.text not in in_person:
                out.append("missing_signature")
            continue
        if pid.text in in_person:
            out.append("self_signature_without_capacity")
        guardian = m.get("guardian")
        if guardian is None:
            out.append("guardian_not_identified")
            continue
        by_guardian = False
        for s in signatures:
            target = s.get("on_behalf_of")
            if target is not None and target.text == pid.text:
                if s["signer"]["id"].text == guardian["id"].text:
                    by_guardian = True
                else:
                    out.append("signer_not_guardian")
        if not by_guardian:
            out.append("missing_signature")
    member_ids = {m["id"].text: m for m in members}
    known = set(member_ids)
    known.update(m["guardian"]["id"].text for m in members if m.get("guardian"))
    for sup in household.get("supporters", []):
        known.add(sup["id"].text)
        if sup.get("spouse"):
            known.add(sup["spouse"]["id"].text)
    for s in signatures:
        target = s.get("on_behalf_of")
        if target is None and s["signer"]["id"].text not in known:
            out.append("signer_unknown")
        if target is not None:
            m = member_ids.get(target.text)
            if m is None:
                out.append("signer_unknown")
            elif m["capacity"] == "full":
                out.append("signer_not_guardian")
    if household["programme"] in rules.supporter_programmes:
        for sup in household.get("supporters", []):
            if sup["id"].text not in in_person:
                out.append("missing_supporter_signature")
            spouse = sup.get("spouse")
            if spouse and spouse["id"].text not in in_person:
                out.append("missing_supporter_spouse_signature")
    signed_on = auth["signed_on"]
    if signed_on > on:
        out.append("not_yet_signed")
    for ev in auth.get("lapse_events", []):
        if signed_on <= parse_date(ev["on"]) <= on:
            out.append("lapsed")
    if rules.max_auth_age is not None and on > add_months_clamped(signed_on, rules.max_auth_age):
        out.append("expired")
    for c in rules.required_scope:
        if c not in auth["categories"]:
            out.append("scope_missing")
    return out


# ---------------------------------------------------------------- case reading


def read_case(case: Dict[str, Any]) -> Dict[str, Any]:
    """Parses the identifiers and dates the assembly works with, in place."""
    for key in ("case_id", "agency", "household", "queries_sent_at"):
        if key not in case:
            raise RefError("input_json", f"missing field `{key}`")
    agency = case["agency"]
    check_region(agency["region"])
    household = case["household"]
    check_region(household["region"])
    for m in household["members"]:
        m["id"] = Person(m["id"])
        if m.get("guardian"):
            m["guardian"]["id"] = Person(m["guardian"]["id"])
    for sup in household.get("supporters", []):
        sup["id"] = Person(sup["id"])
        if sup.get("spouse"):
            sup["spouse"]["id"] = Person(sup["spouse"]["id"])
    auth = case.get("authorization")
    if auth is not None:
        for s in auth["signatures"]:
            s["signer"]["id"] = Person(s["signer"]["id"])
            if s.get("on_behalf_of") is not None:
                s["on_behalf_of"] = Person(s["on_behalf_of"])
        auth["signed_on"] = parse_date(auth["signed_on"])
    ent = case.get("entrustment")
    if ent is not None:
        check_credit_code(ent["unit"]["credit_code"])
        check_region(ent["unit"]["region"])
        ent["subjects"] = [Person(s) for s in ent["subjects"]]
        ent["issued_on"] = parse_date(ent["issued_on"])
        for key in ("valid_until", "withdrawn_on"):
            if ent.get(key) is not None:
                ent[key] = parse_date(ent[key])
    pre = case.get("precheck")
    if pre is not None:
        pre["checked_at"] = parse_instant(pre["checked_at"])
    case["queries_sent_at"] = parse_instant(case["queries_sent_at"])
    for r in case.get("responses", []):
        r["subject"] = Person(r["subject"])
        r["responded_at"] = parse_instant(r["responded_at"])
        r.setdefault("facts", [])
    for o in case.get("offline_results", []):
        o["members_present"] = [Person(p) for p in o.get("members_present", [])]
        o["on_date"] = parse_date(o["on"])
    return case


# ---------------------------------------------------------------- R2 entrustment


def accept_entrustment(case: Dict[str, Any], sent_on: date, rules: Rules) -> None:
    ent, auth, pre = case["entrustment"], case["authorization"], case["precheck"]
    agency, household = case["agency"], case["household"]
    if ent["agency_id"] != agency["id"]:
        raise RefError("entrustment_wrong_agency")
    if ent["authorization_number"] != auth["number"]:
        raise RefError("entrustment_authorization_mismatch")
    if ent["issued_on"] < auth["signed_on"]:
        raise RefError("entrustment_before_authorization")
    if ent["household_id"] != household["id"]:
        raise RefError("entrustment_subject_not_named")
    subjects = {s.text for s in ent["subjects"]}
    members = {m["id"].text for m in household["members"]}
    for m in household["members"]:
        if m.get("co_resident", True) and m["id"].text not in subjects:
            raise RefError("entrustment_subject_not_named")
    if subjects - members:
        raise RefError("entrustment_subject_not_named")
    for c in ent["categories"]:
        if c not in auth["categories"]:
            raise RefError("entrustment_scope_widened")
    if ent["purpose"] == "appeal_recheck" and ent.get("appeal") is None:
        raise RefError("entrustment_purpose_invalid")
    if ent["purpose"] == "emergency_follow_up" and ent.get("relief_reference") is None:
        raise RefError("entrustment_purpose_invalid")
    withdrawn = ent.get("withdrawn_on")
    if withdrawn is not None and withdrawn <= sent_on:
        raise RefError("entrustment_withdrawn")
    if ent["issued_on"] > sent_on:
        raise RefError("entrustment_not_in_force")
    limit = ent.get("valid_until")
    if limit is None and rules.max_entrustment_age is not None:
        limit = ent["issued_on"] + timedelta(days=rules.max_entrustment_age)
    if limit is not None and sent_on > limit:
        raise RefError("entrustment_not_in_force")
    if pre["entrustment_number"] != ent["number"] or pre["agency_id"] != agency["id"]:
        raise RefError("precheck_missing")
    officer = pre["officer"]
    if (
        not (pre["authorization_valid"] and pre["business_compliant"])
        or not officer["name"].strip()
        or not officer["operator_id"].strip()
    ):
        raise RefError("precheck_failed")
    checked_on = beijing_date(pre["checked_at"])
    if checked_on < ent["issued_on"] or checked_on > sent_on:
        raise RefError("precheck_failed")


# ---------------------------------------------------------------- R6 plan


def plan_queries(rules: Rules, own_level: str, scope: Iterable[str]) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    scope = set(scope)
    plan, gaps = [], []
    for category in CATEGORIES:
        if category not in scope:
            plan.append({"category": category, "route": "outside_scope", "days": 0})
            continue
        own = rules.agreements.get((category, own_level))
        own_availability = own["availability"] if own else "not_shared"
        if own and own["availability"] == "shared":
            plan.append({"category": category, "route": "own", "level": own_level, "days": own["feedback_working_days"]})
            continue
        upper = None
        for level in LEVELS:
            if LEVEL_RANK[level] > LEVEL_RANK[own_level]:
                a = rules.agreements.get((category, level))
                if a and a["availability"] == "shared":
                    upper = a
                    break
        if upper:
            gaps.append(
                {
                    "category": category,
                    "own_level": own_level,
                    "own_availability": own_availability,
                    "upper_level": upper["level"],
                }
            )
            plan.append({"category": category, "route": "upper", "level": upper["level"], "days": upper["feedback_working_days"]})
        else:
            plan.append({"category": category, "route": "offline", "reason": own_availability, "days": 0})
    return plan, gaps


# ---------------------------------------------------------------- facts


def fact_fields(fact: Dict[str, Any]) -> List[str]:
    """The fields a fact carries, for the minimum-scope check (R6)."""
    kind = fact["kind"]
    fields = []
    for name in FACT_FIELDS[kind]:
        value = fact.get(name)
        if kind == "income" and name == "exempt":
            if value:
                fields.append(name)
        elif value is not None:
            fields.append(name)
    return fields


def fact_out(fact: Dict[str, Any]) -> Dict[str, Any]:
    """The fact as the report writes it: kind first, fields in order, absent options left out."""
    kind = fact["kind"]
    out: Dict[str, Any] = {"kind": kind}
    for name in FACT_FIELDS[kind]:
        value = fact.get(name)
        if kind == "income" and name == "exempt":
            out[name] = bool(value)
        elif value is not None:
            out[name] = value
    return out


def income_window(issued_on: date, months: int) -> Tuple[date, date]:
    first = issued_on.replace(day=1)
    return add_months_clamped(first, -months), first - timedelta(days=1)


def div_round(num: int, den: int) -> int:
    if den <= 0:
        return 0
    q = abs(num) // den * (1 if num >= 0 else -1)
    r = num - q * den
    if 2 * abs(r) >= den:
        q += 1 if num > 0 else -1
    return q


# ---------------------------------------------------------------- report


def report_number(issued_on: date, entrustment: str) -> str:
    mapped = "".join(c if (c.isascii() and c.isalnum()) or c == "-" else "_" for c in entrustment)
    return "HD%04d%02d%02d-%s" % (issued_on.year, issued_on.month, issued_on.day, mapped[:64])


def aggregate(findings, household, sent_on, window_from, window_to, months, declaration):
    deposits = securities = insurance = provident = withdrawn = 0
    transactions = 0
    orphans: List[str] = []
    over_limit = 0
    re_count = re_res = re_area = 0
    ve_count = ve_comm = 0
    biz_count = biz_capital = 0
    by_type = {t: 0 for t in INCOME_TYPES}
    exempt: Dict[str, int] = {}
    imprisoned: List[str] = []
    deceased: List[str] = []
    payroll: List[str] = []
    for f in findings:
        for fact in f.get("facts", ()):
            kind = fact["kind"]
            if kind == "deposit":
                if fact.get("balance_fen") is not None:
                    deposits = checked(deposits + fact["balance_fen"], "deposits")
                elif fact.get("over_limit") is True:
                    over_limit += 1
            elif kind == "securities":
                securities = checked(securities + fact["market_value_fen"], "securities")
            elif kind == "insurance_policy":
                insurance = checked(insurance + fact["cash_value_fen"], "insurance")
            elif kind == "provident_fund":
                provident = checked(provident + fact["balance_fen"], "provident fund")
            elif kind == "real_estate":
                re_count += 1
                if fact["usage"] == "residential":
                    re_res += 1
                re_area += fact["area_m2_x100"]
            elif kind == "vehicle":
                ve_count += 1
                if fact["commercial"]:
                    ve_comm += 1
            elif kind == "business":
                biz_count += 1
                biz_capital = checked(biz_capital + (fact.get("registered_capital_fen") or 0), "registered capital")
            elif kind == "income":
                paid_on = parse_date(fact["paid_on"])
                if paid_on < window_from or paid_on > window_to:
                    continue
                if fact.get("exempt"):
                    exempt[fact["item"]] = checked(exempt.get(fact["item"], 0) + fact["amount_fen"], "exempt income")
                else:
                    t = fact["income_type"]
                    by_type[t] = checked(by_type[t] + fact["amount_fen"], "income")
            elif kind == "imprisonment":
                since = parse_date(fact["since"])
                until = fact.get("until")
                if since <= sent_on and (until is None or parse_date(until) >= sent_on):
                    if f["member"] not in imprisoned:
                        imprisoned.append(f["member"])
            elif kind == "death":
                if f["member"] not in deceased:
                    deceased.append(f["member"])
            elif kind == "property_transaction":
                if window_from <= parse_date(fact["on"]) <= window_to:
                    transactions += 1
            elif kind == "provident_fund_withdrawal":
                if window_from <= parse_date(fact["on"]) <= window_to:
                    withdrawn = checked(withdrawn + fact["amount_fen"], "provident fund withdrawals")
            elif kind == "orphan_status":
                since = parse_date(fact["since"])
                until = fact.get("until")
                if since <= sent_on and (until is None or parse_date(until) >= sent_on):
                    if f["member"] not in orphans:
                        orphans.append(f["member"])
            elif kind == "employment" and f["category"] == "public_payroll":
                if f["member"] not in payroll:
                    payroll.append(f["member"])
    total = checked(deposits + securities + insurance, "financial assets")
    income_total = checked(sum(by_type.values()), "income")
    counted = sum(1 for m in household["members"] if m.get("co_resident", True))
    per_capita = checked(div_round(income_total, counted * months), "per-capita income")
    exempt_list = [{"item": item, "amount_fen": exempt[item]} for item in sorted(exempt)]
    exempt_total = checked(sum(exempt.values()), "exempt income")
    differences = []
    if declaration is not None:
        for item, found in (
            ("financial_assets_fen", total),
            ("income_fen", income_total),
            ("real_estate_count", re_count),
            ("vehicle_count", ve_count),
        ):
            declared = declaration.get(item)
            if declared is not None:
                difference = max(I64_MIN, min(I64_MAX, found - declared))
                differences.append({"item": item, "declared": declared, "found": found, "difference": difference})
    financial_assets: Dict[str, Any] = {
        "deposits_fen": deposits,
        "deposits_over_limit": over_limit,
        "securities_fen": securities,
        "insurance_cash_value_fen": insurance,
        "total_fen": total,
        "provident_fund_fen": provident,
    }
    if withdrawn:
        financial_assets["provident_fund_withdrawn_fen"] = withdrawn
    real_estate: Dict[str, Any] = {"count": re_count, "residential": re_res, "total_area_m2_x100": re_area}
    if transactions:
        real_estate["transactions"] = transactions
    status_records: Dict[str, Any] = {"imprisoned": imprisoned, "deceased": deceased, "public_payroll": payroll}
    if orphans:
        status_records["orphans"] = orphans
    return {
        "financial_assets": financial_assets,
        "real_estate": real_estate,
        "vehicles": {"count": ve_count, "commercial": ve_comm},
        "businesses": {"count": biz_count, "registered_capital_fen": biz_capital},
        "income": {
            "window_from": window_from.isoformat(),
            "window_to": window_to.isoformat(),
            "months": months,
            "by_type": [{"income_type": t, "amount_fen": by_type[t]} for t in INCOME_TYPES],
            "total_fen": income_total,
            "members_counted": counted,
            "per_capita_monthly_fen": per_capita,
            "exempt": exempt_list,
            "exempt_total_fen": exempt_total,
        },
        "status_records": status_records,
        "differences": differences,
    }


def assemble(case: Dict[str, Any], rules: Rules, issued_at: datetime) -> Dict[str, Any]:
    """The sealed report of one parsed case, as a dict; raises RefError with the core's code."""
    case = read_case(case)
    household = case["household"]
    members = household["members"]
    if not members:
        raise RefError("input_inconsistent", "household has no members")
    if len({m["id"].text for m in members}) != len(members):
        raise RefError("input_inconsistent", "member listed twice")
    sent_at = case["queries_sent_at"]
    sent_on = beijing_date(sent_at)
    auth = case.get("authorization")
    if auth is None:
        raise RefError("authorization_missing")
    if authorization_defects(auth, household, sent_on, rules):
        raise RefError("authorization_defective")
    ent = case.get("entrustment")
    if ent is None:
        raise RefError("entrustment_missing")
    if case.get("precheck") is None:
        raise RefError("precheck_missing")
    accept_entrustment(case, sent_on, rules)
    agency = case["agency"]
    plan, sharing_gaps = plan_queries(rules, agency["level"], ent["categories"])

    if issued_at < sent_at:
        raise RefError("chronology")
    issued_on = beijing_date(issued_at)
    number = report_number(issued_on, ent["number"])
    index_of = {m["id"].text: i for i, m in enumerate(members)}
    planned = {p["category"]: p for p in plan}
    answers: Dict[Tuple[str, int], Dict[str, Any]] = {}
    for r in case.get("responses", []):
        i = index_of.get(r["subject"].text)
        if i is None:
            raise RefError("response_unknown_subject")
        p = planned.get(r["category"])
        if p is None or p["route"] not in ("own", "upper") or p["level"] != r["level"]:
            raise RefError("response_unplanned")
        if r["responded_at"] < sent_at:
            raise RefError("chronology")
        agreement = rules.agreements.get((r["category"], r["level"]))
        allowed = set(agreement["fields"]) if agreement else set()
        for fact in r["facts"]:
            if r["category"] not in FITS.get(fact["kind"], ()):
                raise RefError("fact_kind_mismatch")
            for field in fact_fields(fact):
                if field not in allowed:
                    raise RefError("field_outside_agreement")
        key = (r["category"], i)
        if key in answers:
            raise RefError("response_duplicate")
        answers[key] = r
    offline = case.get("offline_results", [])
    for o in offline:
        if o["method"] == "field_visit":
            ids = [i["operator_id"].strip() for i in o["investigators"]]
            present = [p.text for p in o["members_present"]]
            signed = [p.text for p in (Person(x) for x in o.get("signatures", []))]
            if len(ids) < 2:
                raise RefError("field_visit_understaffed")
            if not all(ids):
                raise RefError("field_visit_investigator_unidentified")
            if len(set(ids)) < len(ids):
                raise RefError("field_visit_same_investigator")
            if not present:
                raise RefError("field_visit_no_member_present")
            if any(p not in signed for p in present):
                raise RefError("field_visit_signature_missing")
            if any(p not in present for p in signed):
                raise RefError("field_visit_signer_absent")
            # dated within the verification: from the entrustment's issue to the report's
            if not ent["issued_on"] <= o["on_date"] <= issued_on:
                raise RefError("field_visit_outside_window")
        for p in o["members_present"]:
            if p.text not in index_of:
                raise RefError("response_unknown_subject")

    report_members = [
        {
            "id_masked": m["id"].masked(),
            "name": m["name"],
            "relation": m["relation"],
            "age": m["id"].age_on(sent_on),
            "sex": m["id"].sex,
            "co_resident": m.get("co_resident", True),
        }
        for m in members
    ]
    findings: List[Dict[str, Any]] = []
    gaps: List[Dict[str, Any]] = []
    for p in plan:
        category, route = p["category"], p["route"]
        deadline, estimated = None, False
        if route in ("own", "upper"):
            deadline, estimated = rules.calendar.add_working_days(sent_on, p["days"])
        gap_members: List[str] = []
        gap_reason: Optional[str] = None
        for i, m in enumerate(members):
            level = responded_at = None
            facts: List[Dict[str, Any]] = []
            if route == "outside_scope":
                status = "outside_scope"
            elif route == "offline":
                status = "no_means" if p["reason"] == "no_means" else "not_shared"
            else:
                level = p["level"]
                r = answers.get((category, i))
                if r is not None:
                    if beijing_date(r["responded_at"]) > deadline:
                        status = "no_feedback_in_time"
                    elif not r["facts"]:
                        status = "no_record"
                    else:
                        status = "returned"
                    responded_at = r["responded_at"]
                    facts = [fact_out(f) for f in r["facts"]]
                else:
                    status = "no_feedback_in_time" if issued_on > deadline else "awaiting_feedback"
            masked = m["id"].masked()
            if status in ("no_feedback_in_time", "awaiting_feedback", "not_shared", "no_means"):
                gap_members.append(masked)
                if gap_reason != "no_feedback_in_time":
                    gap_reason = status
            finding: Dict[str, Any] = {"category": category, "member": masked, "status": status}
            if level is not None:
                finding["level"] = level
            if deadline is not None:
                finding["deadline"] = deadline.isoformat()
            if estimated:
                finding["deadline_estimated"] = True
            if responded_at is not None:
                finding["responded_at"] = format_instant(responded_at)
            if facts:
                finding["facts"] = facts
            findings.append(finding)
        if gap_reason is not None:
            gaps.append(
                {
                    "category": category,
                    "reason": gap_reason,
                    "members": gap_members,
                    "task": {
                        "task_id": f"{number}-{category}",
                        "assigned_to": ent["unit"]["name"],
                        "methods": OFFLINE_METHODS[category],
                    },
                    "investigated": any(o["category"] == category for o in offline),
                }
            )

    window_from, window_to = income_window(ent["issued_on"], rules.income_window_months)
    aggregates = aggregate(
        findings, household, sent_on, window_from, window_to, rules.income_window_months, case.get("declaration")
    )
    offline_out = [
        {
            "category": o["category"],
            "method": o["method"],
            "on": o["on"],
            "investigators": [i["name"] for i in o["investigators"]],
            "members_present": [p.masked() for p in o["members_present"]],
            "summary": o["summary"],
            "attachment_digests": [d.lower() for d in o.get("attachment_digests", [])],
        }
        for o in offline
    ]
    pre = case["precheck"]
    header: Dict[str, Any] = {
        "case_id": case["case_id"],
        "entrustment_number": ent["number"],
        "authorization_number": ent["authorization_number"],
    }
    if ent.get("batch") is not None:
        header["batch"] = ent["batch"]
    header.update(
        {
            "entrusting_unit": ent["unit"]["name"],
            "entrusting_unit_code": ent["unit"]["credit_code"],
            "agency_id": agency["id"],
            "agency_name": agency["name"],
            "agency_level": agency["level"],
            "purpose": ent["purpose"],
            "programme": ent["programme"],
            "household_id": household["id"],
            "income_window_from": window_from.isoformat(),
            "income_window_to": window_to.isoformat(),
            "queries_sent_at": format_instant(sent_at),
            "precheck_officer": pre["officer"]["name"],
            "precheck_at": format_instant(pre["checked_at"]),
            "issued_at": format_instant(issued_at),
        }
    )
    if ent.get("appeal") is not None:
        a = ent["appeal"]
        header["appeal"] = {
            "disputed_report": a["disputed_report"],
            "disputed_digest": a["disputed_digest"].lower(),
            "reason": a["reason"],
        }
    header["rulebook_version"] = rules.version
    unit = ent["unit"]["name"]
    report = {
        "report_number": number,
        "header": header,
        "members": report_members,
        "findings": findings,
        "aggregates": aggregates,
        "sharing_gaps": sharing_gaps,
        "gaps": gaps,
        "offline_results": offline_out,
        "limits_of_use": f"本报告仅供{unit}用于本次委托事项（{PURPOSE_ZH[ent['purpose']]}，"
        f"{PROGRAMME_ZH[ent['programme']]}），不得用于其他用途，不得向无关单位和个人提供。",
        "statement": NOT_A_DETERMINATION,
    }
    canonical = json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    report["integrity"] = {"canonical_form": CANONICAL_FORM, "digest": hashlib.sha256(canonical).hexdigest()}
    return report


def verify_file(path: str, rulebook: Dict[str, Any], issued_at: datetime) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """Like ``hedui.verify_batch(path)``: reports of the good lines, errors of the others."""
    rules = Rules(rulebook)
    reports: List[Dict[str, Any]] = []
    errors: List[Dict[str, Any]] = []
    with open(path, encoding="utf-8") as f:
        for position, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                reports.append(assemble(case, rules, issued_at))
            except RefError as e:
                errors.append({"position": position, "code": e.code, "message": str(e)})
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                errors.append({"position": position, "code": "input_json", "message": str(e)})
    return reports, errors
