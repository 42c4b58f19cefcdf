"""Records and security: audit chain, passwords, permissions and masking, report signatures."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import threading
from typing import Any

import pytest

import hedui

KEY = bytes(range(32))
OPERATOR_ID = "141030197803100016"


def event(i: int, decision: str = "permit") -> dict[str, Any]:
    return {
        "at": datetime.datetime(2026, 3, 2, 10, 0, i % 60, tzinfo=datetime.timezone(datetime.timedelta(hours=8))),
        "event": "login",
        "decision": decision,
        "actor": "op-001",
        "reason": f"login {i}",
        "context": hashlib.sha256(f"request {i}".encode()).hexdigest(),
    }


# ------------------------------------------------------------------ audit chain


def test_audit_chain_roundtrip() -> None:
    chain = hedui.AuditChain(KEY)
    heads = [chain.append(event(i)) for i in range(5)]
    assert len(chain) == 5 and repr(chain) == "AuditChain(entries=5)"
    assert heads[-1] == chain.head() and heads[-1]["entries"] == 5
    chain.verify()
    chain.verify(heads[-1])
    entries = chain.entries()
    assert [e["seq"] for e in entries] == list(range(5))
    assert entries[1]["prev"] == entries[0]["mac"]
    text = chain.to_jsonl()
    assert text.count("\n") == 5
    # the dicts are the chain's own JSON lines, field for field and in order
    assert [json.dumps(e) for e in entries] == [json.dumps(json.loads(line)) for line in text.splitlines()]
    again = hedui.AuditChain.from_jsonl(KEY, text)
    again.verify(heads[-1])
    assert again.to_jsonl() == text


def test_audit_chain_finds_tampering() -> None:
    chain = hedui.AuditChain(KEY)
    for i in range(4):
        chain.append(event(i))
    head = chain.head()
    lines = chain.to_jsonl().splitlines()
    lines[2] = lines[2].replace('"login 2"', '"login X"')
    # reading verifies (operation audit_chain_from_jsonl): nothing is appended to a forged past
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl(KEY, "\n".join(lines))
    assert info.value.code == "audit_chain_broken"
    assert "entry 2" in str(info.value)
    # another key
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl(bytes(32), chain.to_jsonl())
    assert info.value.code == "audit_chain_broken"
    # cut off the end: only the head notices
    cut = hedui.AuditChain.from_jsonl(KEY, "\n".join(chain.to_jsonl().splitlines()[:3]))
    cut.verify()
    with pytest.raises(hedui.SecurityError) as info:
        cut.verify(head)
    assert "entry 3" in str(info.value)
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl(KEY, "not json\n")
    assert info.value.code == "audit_line_invalid"


def test_audit_chain_bad_arguments() -> None:
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain(b"short")
    assert info.value.code == "audit_key_length"
    with pytest.raises(hedui.InputError):
        hedui.AuditChain("a str key of more than thirty-two characters")  # type: ignore[arg-type]
    chain = hedui.AuditChain(bytearray(KEY))
    with pytest.raises(hedui.InputError):
        chain.append({**event(0), "event": "no_such_event"})
    with pytest.raises(hedui.InputError):
        chain.append({**event(0), "at": "2026-03-02"})
    with pytest.raises(hedui.InputError):
        chain.verify({"entries": "x"})
    assert len(chain) == 0


def test_audit_chain_from_several_threads() -> None:
    chain = hedui.AuditChain(KEY)

    def work() -> None:
        for i in range(100):
            chain.append(event(i))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(chain) == 800
    chain.verify()


# ------------------------------------------------------------------ passwords


def test_check_password() -> None:
    assert hedui.check_password("Gx7#kq2!Lm9z", "wangli", OPERATOR_ID) == []
    weak = hedui.check_password("abc", "wangli", OPERATOR_ID)
    codes = [w["code"] for w in weak]
    assert "too_short" in codes and "too_few_classes" in codes
    short = next(w for w in weak if w["code"] == "too_short")
    assert short["found"] == 3 and short["min"] >= 8 and short["message"]
    assert "contains_account" in [w["code"] for w in hedui.check_password("Wangli#2026x", "wangli", OPERATOR_ID)]
    assert "contains_id_digits" in [w["code"] for w in hedui.check_password("Ab#19780310xy", "op", OPERATOR_ID)]
    assert "common" in [w["code"] for w in hedui.check_password("P@ssw0rd", "op", OPERATOR_ID)]


def test_check_password_follows_the_rulebook() -> None:
    d = json.loads(hedui.Rulebook.default().to_json())
    d["security"]["extra_common_passwords"] = ["Linfen#2026"]
    rb = hedui.Rulebook.from_json(json.dumps(d))
    assert hedui.check_password("Linfen#2026", "op", OPERATOR_ID) == []
    assert [w["code"] for w in hedui.check_password("Linfen#2026", "op", OPERATOR_ID, rulebook=rb)] == ["common"]


def test_check_password_bad_arguments() -> None:
    with pytest.raises(hedui.InputError):
        hedui.check_password("Gx7#kq2!Lm9z", "op", "not an id")
    with pytest.raises(hedui.InputError):
        hedui.check_password(12345678, "op", OPERATOR_ID)  # type: ignore[arg-type]
    with pytest.raises(hedui.InputError):
        hedui.check_password("\ud800abc", "op", OPERATOR_ID)


# ------------------------------------------------------------------ permissions


def test_check_permission() -> None:
    d = hedui.check_permission("operator", "query_data", "bank_deposits")
    assert d == {
        "decision": "permit",
        "role": "operator",
        "action": "query_data",
        "category": "bank_deposits",
        "reason": "role `operator` is granted `query_data` on `bank_deposits`",
    }
    assert hedui.check_permission("auditor", "query_data", "bank_deposits")["decision"] == "deny"
    assert hedui.check_permission("operator", "query_data")["decision"] == "deny"
    assert hedui.check_permission("nobody", "view_report")["decision"] == "deny"
    table = {"roles": [{"role": "analyst", "actions": ["view_report"], "view": {"resident_ids": "hidden", "names": "masked", "amounts": "full"}}]}
    assert hedui.check_permission("analyst", "view_report", permissions=table)["decision"] == "permit"
    assert hedui.check_permission("operator", "view_report", permissions=table)["decision"] == "deny"
    with pytest.raises(hedui.InputError):
        hedui.check_permission("operator", "fly")
    with pytest.raises(hedui.InputError):
        hedui.check_permission("operator", "query_data", "gold")
    with pytest.raises(hedui.InputError):
        hedui.check_permission("operator", "view_report", permissions={"roles": 1})


def test_mask_report(good_report: dict[str, Any]) -> None:
    before = copy.deepcopy(good_report)
    full = hedui.mask_report(good_report, "reviewer")
    assert full == good_report
    hidden = hedui.mask_report(good_report, "archivist")
    assert "financial_assets" in hidden["aggregates"]
    assert hidden != good_report
    assert hedui.mask_report(good_report, "nobody") != good_report
    assert good_report == before  # the input is not changed
    with pytest.raises(hedui.InputError):
        hedui.mask_report({"not": "a report"}, "reviewer")


# ------------------------------------------------------------------ signatures


def test_sign_and_verify(good_report: dict[str, Any]) -> None:
    seed = bytes(range(1, 33))
    signed = hedui.sign_report(good_report, "linfen-2026", seed)
    assert signed["integrity"]["signature"]["key_id"] == "linfen-2026"
    assert hedui.report_verify_digest(signed)
    key = hedui.trusted_key("linfen-2026", seed)
    assert set(key) == {"key_id", "public_key"} and len(key["public_key"]) == 64
    assert hedui.verify_report_signature(signed, [key]) is True
    changed = copy.deepcopy(signed)
    changed["header"]["household_id"] = "H9"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.verify_report_signature(changed, [key])
    assert info.value.code == "signature_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.verify_report_signature(signed, [hedui.trusted_key("other", seed)])
    assert info.value.code == "signature_unknown_key"
    with pytest.raises(hedui.SecurityError):
        hedui.verify_report_signature(good_report, [key])  # unsigned
    with pytest.raises(hedui.SecurityError):
        hedui.verify_report_signature(signed, [key, key])
    with pytest.raises(hedui.InputError):
        hedui.sign_report(good_report, "k", b"too short")
    with pytest.raises(hedui.SecurityError):
        hedui.sign_report(good_report, " ", seed)
