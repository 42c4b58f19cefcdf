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

from conftest import CORPUS

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


def keyring(*keys: tuple[str, bytes]) -> hedui.AuditKeyring:
    ring = hedui.AuditKeyring()
    for key_id, key in keys or (("k1", KEY),):
        ring.add(key_id, key)
    return ring


def audit_chain(n: int, chain_id: str = "A-141030/2026", ring: Any = None) -> hedui.AuditChain:
    chain = hedui.AuditChain(chain_id, ring or keyring())
    for i in range(n):
        chain.append(event(i))
    return chain


def refused(code: str, *args: Any) -> hedui.SecurityError:
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl(*args)
    assert info.value.code == code, info.value
    return info.value


def test_audit_chain_roundtrip() -> None:
    ring = keyring()
    chain = hedui.AuditChain("A-141030/2026", ring)
    heads = [chain.append(event(i)) for i in range(5)]
    assert len(chain) == 5 and repr(chain) == "AuditChain(chain_id=\"A-141030/2026\", entries=5)"
    assert chain.chain_id == "A-141030/2026"
    assert heads[-1] == chain.head() and heads[-1]["entries"] == 5
    assert heads[-1]["chain"] == "A-141030/2026"
    chain.verify(heads[-1])
    chain.verify(heads[2])  # grown since: fine
    entries = chain.entries()
    assert [e["seq"] for e in entries] == list(range(5))
    assert {(e["format"], e["chain"], e["key_id"]) for e in entries} == {(2, "A-141030/2026", "k1")}
    assert entries[1]["prev"] == entries[0]["mac"]
    text = chain.to_jsonl()
    assert text.count("\n") == 5
    # the dicts are the chain's own JSON lines, field for field and in order
    assert [json.dumps(e) for e in entries] == [json.dumps(json.loads(line)) for line in text.splitlines()]
    again = hedui.AuditChain.from_jsonl(ring, text, heads[-1])
    again.verify(heads[-1])
    assert again.to_jsonl() == text
    # no reading and no verifying without a head
    with pytest.raises(TypeError):
        hedui.AuditChain.from_jsonl(ring, text)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        chain.verify()  # type: ignore[call-arg]


def test_audit_chain_with_hmac_sm3_keys() -> None:
    """R11 under the commercial-cryptography suite: HMAC-SM3 entries name their algorithm,
    verify under their key, and never under an HMAC-SHA256 key of the same id and bytes."""
    sm3 = hedui.AuditKeyring()
    sm3.add_with("k1", "hmac-sm3", KEY)
    chain = audit_chain(3, ring=sm3)
    entries = chain.entries()
    assert {e["mac_algorithm"] for e in entries} == {"hmac-sm3"}
    head = chain.head()
    hedui.AuditChain.from_jsonl(sm3, chain.to_jsonl(), head).verify(head)
    # the same events under HMAC-SHA256: other MACs, no algorithm field
    plain = audit_chain(3)
    assert all("mac_algorithm" not in e for e in plain.entries())
    assert [e["mac"] for e in plain.entries()] != [e["mac"] for e in entries]
    err = refused("audit_mac_algorithm_mismatch", keyring(), chain.to_jsonl(), head)
    assert err.detail is not None
    assert err.detail["fields"] == {"index": 0, "key_id": "k1", "entry": "hmac-sm3", "key": "hmac-sha256"}
    # a rotation from the international suite to the commercial one, in one keyring
    both = keyring()
    both.add_with("k2", "hmac-sm3", bytes(32))
    grown = audit_chain(2, ring=both)
    assert [e["key_id"] for e in grown.entries()] == ["k2", "k2"]
    with pytest.raises(hedui.InputError) as info:
        sm3.add_with("k9", "hmac-md5", KEY)  # type: ignore[arg-type]
    assert "hmac-sm3" in str(info.value)
    # a keyring under a `shangmi` rulebook: keys added by secret alone are HMAC-SM3
    doc = json.loads(hedui.Rulebook.default().to_json())
    doc["security"]["crypto_suite"] = "shangmi"
    under = hedui.AuditKeyring(rulebook=hedui.Rulebook.from_json(json.dumps(doc)))
    assert under.algorithm == "hmac-sm3"
    under.add("k1", KEY)
    assert {e["mac_algorithm"] for e in audit_chain(2, ring=under).entries()} == {"hmac-sm3"}
    assert hedui.AuditKeyring().algorithm == "hmac-sha256"
    assert hedui.AuditKeyring(rulebook=hedui.Rulebook.default()).algorithm == "hmac-sha256"
    with pytest.raises(hedui.InputError):
        hedui.AuditKeyring(rulebook="shangmi")  # type: ignore[arg-type]


def test_audit_chain_after_log_retention() -> None:
    """网络安全法 Art 21: entries of 2026-03-02 are kept through 2026-09-02; after a disposal the
    rest opens only with the MACed record, and a changed record is refused."""
    ring = keyring()
    chain = audit_chain(4)
    head = chain.head()
    assert chain.disposable("2026-09-02") == {"entries": 0, "through_seq": None}
    assert chain.disposable(datetime.date(2026, 9, 3)) == {"entries": 4, "through_seq": 3}
    with pytest.raises(hedui.SecurityError) as info:
        chain.dispose(1, "2026-09-02")
    assert info.value.code == "log_retention_not_elapsed"
    with pytest.raises(hedui.SecurityError) as info:
        chain.dispose(9, "2026-09-03")
    assert info.value.code == "log_disposal_unknown_entry"
    assert len(chain) == 4
    record = chain.dispose(1, "2026-09-03")
    assert (record["chain"], record["first_seq"], record["last_seq"], record["entries"]) == (
        "A-141030/2026", 0, 1, 2)
    assert record["key_id"] == "k1" and record["log_months"] == 6
    assert len(chain) == 2 and chain.entries()[0]["prev"] == record["last_mac"]
    chain.verify(head)
    text = chain.to_jsonl()
    refused("audit_chain_broken", ring, text, head)
    again = hedui.AuditChain.from_jsonl_after(ring, text, head, record)
    assert again.entries() == chain.entries()
    assert again.append(event(59))["entries"] == 5
    forged = dict(record, last_seq=0)
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl_after(ring, text, head, forged)
    assert info.value.code == "audit_chain_broken"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain.from_jsonl_after(ring, text, dict(head, entries=1), record)
    assert info.value.code == "audit_head_disposed"


def test_audit_chain_finds_tampering() -> None:
    ring = keyring()
    chain = audit_chain(4, ring=ring)
    head = chain.head()
    lines = chain.to_jsonl().splitlines()
    lines[2] = lines[2].replace('"login 2"', '"login X"')
    # reading verifies (operation audit_chain_from_jsonl): nothing is appended to a forged past
    e = refused("audit_chain_broken", ring, "\n".join(lines), head)
    assert "entry 2" in str(e)
    # the same key id with another secret
    refused("audit_chain_broken", keyring(("k1", bytes(32))), chain.to_jsonl(), head)
    refused("audit_line_invalid", ring, "not json\n", head)


def test_a_chain_cut_short_is_truncated_against_its_head() -> None:
    ring = keyring()
    chain = audit_chain(4, ring=ring)
    head = chain.head()
    cut = "".join(chain.to_jsonl().splitlines(keepends=True)[:3])
    e = refused("audit_chain_truncated", ring, cut, head)
    assert "3 entries" in str(e) and "records 4" in str(e)
    refused("audit_chain_truncated", ring, "", head)
    # an older copy read against its own, older head is fine, and shows nothing
    older = hedui.AuditChain.from_jsonl(ring, cut, {**head, "entries": 3, "mac": chain.entries()[2]["mac"]})
    with pytest.raises(hedui.SecurityError) as info:
        older.verify(head)
    assert info.value.code == "audit_chain_truncated"


def test_a_chain_rolled_back_and_written_again_is_refused() -> None:
    ring = keyring()
    chain = audit_chain(4, ring=ring)
    head = chain.head()
    lines = chain.to_jsonl().splitlines(keepends=True)
    older_head = {"chain": head["chain"], "entries": 3, "mac": chain.entries()[2]["mac"]}
    forked = hedui.AuditChain.from_jsonl(ring, "".join(lines[:3]), older_head)
    forked.append({**event(3), "reason": "rewritten"})
    forked.append(event(4))
    # every MAC valid, longer than the head: only the MAC at the head's position shows it
    forked.verify(forked.head())
    with pytest.raises(hedui.SecurityError) as info:
        forked.verify(head)
    assert info.value.code == "audit_chain_rolled_back"
    assert "entry 3" in str(info.value)
    refused("audit_chain_rolled_back", ring, forked.to_jsonl(), head)


def test_a_signed_head_cannot_be_rewritten_with_the_log() -> None:
    """Whoever holds the MAC keys can roll the log back and write its old head beside it; a
    head signed with the agency's signing key cannot be rewritten with it."""
    ring = keyring()
    chain = audit_chain(4, ring=ring)
    older = chain.to_jsonl()
    older_head = chain.head()
    chain.append(event(4))
    signed = hedui.audit_head_sign(chain.head(), "agency-2026", SEED)
    assert signed["head"] == chain.head()
    trusted = [hedui.signing_key_trust("agency-2026", SEED)]
    head = hedui.audit_head_open(signed, trusted)
    assert len(hedui.AuditChain.from_jsonl(ring, chain.to_jsonl(), head)) == 5
    # the older copy reaches its own plain head, not the signed one
    hedui.AuditChain.from_jsonl(ring, older, older_head)
    refused("audit_chain_truncated", ring, older, head)
    forged = {**signed, "head": older_head}
    with pytest.raises(hedui.SecurityError) as info:
        hedui.audit_head_open(forged, trusted)
    assert info.value.code == "audit_head_signature_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.audit_head_open(signed, [hedui.signing_key_trust("agency-2026", bytes(32))])
    assert info.value.code == "audit_head_signature_invalid"


def test_chains_under_one_key_cannot_be_spliced_or_swapped() -> None:
    ring = keyring()
    a = audit_chain(4, "A-141030/2026", ring)
    b = audit_chain(4, "B-141030/2026", ring)
    refused("audit_chain_swapped", ring, b.to_jsonl(), a.head())
    a_lines = a.to_jsonl().splitlines(keepends=True)
    b_lines = b.to_jsonl().splitlines(keepends=True)
    e = refused("audit_chain_spliced", ring, "".join(a_lines[:2] + b_lines[2:]), a.head())
    assert "entry 2" in str(e) and "B-141030/2026" in str(e)


def test_audit_keys_rotate_and_an_unknown_key_is_refused() -> None:
    old, new = ("k1", KEY), ("k2", bytes(range(1, 33)))
    chain = audit_chain(3, ring=keyring(old))
    rotated = keyring(old, new)
    assert rotated.ids() == ["k1", "k2"] and len(rotated) == 2
    grown = hedui.AuditChain.from_jsonl(rotated, chain.to_jsonl(), chain.head())
    head = grown.append(event(3))
    assert [e["key_id"] for e in grown.entries()] == ["k1", "k1", "k1", "k2"]
    grown.verify(head)
    e = refused("audit_key_unknown", keyring(new), grown.to_jsonl(), head)
    assert "entry 0" in str(e) and "`k1`" in str(e)
    refused("audit_key_unknown", keyring(old), grown.to_jsonl(), head)


def test_audit_times_never_go_backwards() -> None:
    chain = audit_chain(3)
    with pytest.raises(hedui.SecurityError) as info:
        chain.append({**event(0), "at": "2026-03-02T09:59:59+08:00"})
    assert info.value.code == "audit_time_backwards"
    assert len(chain) == 3


def test_a_format_1_log_is_refused_with_its_version() -> None:
    v1 = {k: v for k, v in audit_chain(1).entries()[0].items() if k not in ("format", "chain", "key_id")}
    text = json.dumps(v1, separators=(",", ":"), ensure_ascii=False) + "\n"
    e = refused("audit_format_unsupported", keyring(), text, audit_chain(0).head())
    assert "format 1" in str(e)


def test_audit_chain_bad_arguments() -> None:
    with pytest.raises(hedui.SecurityError) as info:
        keyring(("k1", b"short"))
    assert info.value.code == "audit_key_length"
    with pytest.raises(hedui.SecurityError) as info:
        keyring(("k 1", KEY))
    assert info.value.code == "audit_id_invalid"
    ring = keyring()
    with pytest.raises(hedui.SecurityError) as info:
        ring.add("k1", bytes(32))
    assert info.value.code == "audit_id_invalid"
    with pytest.raises(hedui.InputError):
        ring.add("k2", "a str key of more than thirty-two characters")  # type: ignore[arg-type]
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain("A-1", hedui.AuditKeyring())
    assert info.value.code == "audit_keyring_empty"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.AuditChain("", ring)
    assert info.value.code == "audit_id_invalid"
    with pytest.raises(hedui.InputError):
        hedui.AuditChain("A-1", KEY)  # type: ignore[arg-type]
    chain = hedui.AuditChain("A-1", ring)
    with pytest.raises(hedui.InputError):
        chain.append({**event(0), "event": "no_such_event"})
    with pytest.raises(hedui.InputError):
        chain.append({**event(0), "at": "2026-03-02"})
    with pytest.raises(hedui.InputError):
        chain.verify({"entries": "x"})
    with pytest.raises(hedui.InputError):
        chain.verify({"entries": 0, "mac": "00" * 32})  # a head without its chain id
    with pytest.raises(hedui.InputError):
        hedui.AuditChain.from_jsonl(ring, "", None)  # type: ignore[arg-type]
    assert len(chain) == 0


def test_audit_chain_from_several_threads() -> None:
    chain = hedui.AuditChain("A-1", keyring())

    def work() -> None:
        # one instant for every thread: times in a chain never go backwards, and threads that
        # each took their own clock reading could append out of order
        for i in range(100):
            chain.append({**event(i), "at": "2026-03-02T10:00:00+08:00"})

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(chain) == 800
    chain.verify(chain.head())


# ------------------------------------------------------------------ passwords


def weakness_codes(password: str, account: str = "op") -> list[str]:
    return [w["code"] for w in hedui.password_check(password, account, OPERATOR_ID)["weaknesses"]]


def test_password_check() -> None:
    assert hedui.password_check("Gx7#kq2!Lm9z", "wangli", OPERATOR_ID) == {"acceptable": True, "weaknesses": []}
    weak = hedui.password_check("abc", "wangli", OPERATOR_ID)
    assert weak["acceptable"] is False
    codes = [w["code"] for w in weak["weaknesses"]]
    assert "too_short" in codes and "too_few_classes" in codes
    short = next(w for w in weak["weaknesses"] if w["code"] == "too_short")
    assert short["found"] == 3 and short["min"] >= 8 and short["message"]
    assert "contains_account" in weakness_codes("Wangli#2026x", "wangli")
    assert "contains_id_digits" in weakness_codes("Ab#19780310xy")
    assert "common" in weakness_codes("P@ssw0rd")
    # look-alikes hide neither the account, the holder's name nor the ID's digits
    assert weakness_codes("W@ngL1#2026x", "wangli") == ["contains_account"]
    assert weakness_codes("Ab#l978O3lOxy") == ["contains_id_digits"]
    named = hedui.password_check("Xq#Zh@ngS4n7", "op", OPERATOR_ID, name="Zhang San")
    assert [w["code"] for w in named["weaknesses"]] == ["contains_name"]
    assert hedui.password_check("Xq#Zh@ngS4n7", "op", OPERATOR_ID)["acceptable"] is True


def test_password_check_follows_the_rulebook() -> None:
    d = json.loads(hedui.Rulebook.default().to_json())
    d["security"]["extra_common_passwords"] = ["Linfen#2026"]
    rb = hedui.Rulebook.from_json(json.dumps(d))
    assert hedui.password_check("Linfen#2026", "op", OPERATOR_ID)["acceptable"] is True
    checked = hedui.password_check("Linfen#2026", "op", OPERATOR_ID, rulebook=rb)
    assert [w["code"] for w in checked["weaknesses"]] == ["common"]


def test_password_check_bad_arguments() -> None:
    with pytest.raises(hedui.InputError):
        hedui.password_check("Gx7#kq2!Lm9z", "op", "not an id")
    with pytest.raises(hedui.InputError) as info:
        hedui.password_check("Gx7#kq2!Lm9z", "op", "141030197803100017")
    assert info.value.code == "id_resident_checksum"
    with pytest.raises(hedui.InputError):
        hedui.password_check(12345678, "op", OPERATOR_ID)  # type: ignore[arg-type]
    with pytest.raises(hedui.InputError):
        hedui.password_check("\ud800abc", "op", OPERATOR_ID)


# ------------------------------------------------------------------ permissions


def test_permission_check() -> None:
    d = hedui.permission_check("operator", "query_data", "bank_deposits")
    assert d == {
        "decision": "permit",
        "role": "operator",
        "action": "query_data",
        "category": "bank_deposits",
        "reason": "role `operator` is granted `query_data` on `bank_deposits`",
    }
    assert hedui.permission_check("auditor", "query_data", "bank_deposits")["decision"] == "deny"
    assert hedui.permission_check("operator", "query_data")["decision"] == "deny"
    assert hedui.permission_check("nobody", "view_report")["decision"] == "deny"
    table = {"roles": [{"role": "analyst", "actions": ["view_report"], "view": {"resident_ids": "hidden", "names": "masked", "amounts": "full"}}]}
    assert hedui.permission_check("analyst", "view_report", permissions=table)["decision"] == "permit"
    assert hedui.permission_check("operator", "view_report", permissions=table)["decision"] == "deny"
    with pytest.raises(hedui.InputError):
        hedui.permission_check("operator", "fly")
    with pytest.raises(hedui.InputError):
        hedui.permission_check("operator", "query_data", "gold")
    with pytest.raises(hedui.InputError):
        hedui.permission_check("operator", "view_report", permissions={"roles": 1})


def test_report_mask(good_report: dict[str, Any]) -> None:
    before = copy.deepcopy(good_report)
    full = hedui.report_mask(good_report, "reviewer")
    assert full == good_report
    hidden = hedui.report_mask(good_report, "archivist")
    assert "financial_assets" in hidden["aggregates"]
    assert hidden != good_report
    assert hedui.report_mask(good_report, "nobody") != good_report
    assert good_report == before  # the input is not changed
    with pytest.raises(hedui.InputError):
        hedui.report_mask({"not": "a report"}, "reviewer")


# ------------------------------------------------------------------ signatures

SEED = bytes(range(1, 33))


def test_sign_and_verify(good_report: dict[str, Any]) -> None:
    signed = hedui.report_sign(good_report, "linfen-2026", SEED)
    assert signed["integrity"]["signature"]["key_id"] == "linfen-2026"
    assert hedui.report_verify_digest(signed)
    # the seed as hex text, as C and uniffi take it, signs alike (Ed25519 is deterministic)
    assert hedui.report_sign(good_report, "linfen-2026", SEED.hex()) == signed
    key = hedui.signing_key_trust("linfen-2026", bytearray(SEED))
    assert set(key) == {"key_id", "public_key"} and len(key["public_key"]) == 64
    verified = hedui.report_verify_signature(signed, [key])
    assert verified == {"key_id": "linfen-2026", "digest": signed["integrity"]["digest"]}
    changed = copy.deepcopy(signed)
    changed["header"]["household_id"] = "H9"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_verify_signature(changed, [key])
    assert info.value.code == "signature_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_verify_signature(signed, [hedui.signing_key_trust("other", SEED)])
    assert info.value.code == "signature_unknown_key"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_verify_signature(good_report, [key])  # unsigned
    assert info.value.code == "signature_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_verify_signature(signed, [key, key])
    assert info.value.code == "signing_key_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_sign(good_report, "k", b"too short")
    assert info.value.code == "signing_key_invalid"
    with pytest.raises(hedui.InputError) as not_hex:
        hedui.report_sign(good_report, "k", "not hex")
    assert not_hex.value.code == "input_json"
    with pytest.raises(hedui.SecurityError):
        hedui.report_sign(good_report, " ", SEED)


def test_signer_and_keyring_are_loaded_once(
    good_report: dict[str, Any], signer: hedui.ReportSigner, keyring: hedui.ReportKeyring
) -> None:
    signed = signer.sign(good_report)
    # the same signature as the one-call operation with the seed (Ed25519 is deterministic)
    assert signed == hedui.report_sign(good_report, "agency-2026", bytes(range(32)))
    assert keyring.verify(signed) == {
        "key_id": "agency-2026",
        "digest": signed["integrity"]["digest"],
    }
    assert signer.key_id == "agency-2026" and keyring.key_ids() == ["agency-2026"]
    assert len(keyring) == 1
    changed = copy.deepcopy(signed)
    changed["report_number"] += "X"
    with pytest.raises(hedui.SecurityError) as info:
        keyring.verify(changed)
    assert info.value.code == "signature_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.ReportKeyring([]).verify(signed)
    assert info.value.code == "signature_unknown_key"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.ReportKeyring([signer.trusted_key(), signer.trusted_key()])
    assert info.value.code == "signing_key_invalid"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.ReportSigner("k", b"short")
    assert info.value.code == "signing_key_invalid"
    with pytest.raises(hedui.InputError):
        hedui.ReportSigner("k", 5)  # type: ignore[arg-type]
    # neither repr shows key material
    assert repr(signer) == "ReportSigner(key_id=\"agency-2026\")"
    assert repr(keyring) == "ReportKeyring(keys=1)"


def test_a_report_signed_through_c_verifies_here() -> None:
    """The corpus records the report C signs byte for byte (hedui-ffi's corpus tests and the
    C tests under valgrind compare it): it verifies in Python, and fails once changed."""
    request = json.loads((CORPUS / "ops" / "report_sign" / "signed.json").read_text(encoding="utf-8"))
    by_c = json.loads((CORPUS / "ops-expected" / "report_sign" / "signed.json").read_text(encoding="utf-8"))
    key = hedui.signing_key_trust("linfen-2026", request["seed_hex"])
    assert hedui.report_verify_signature(by_c, [key])["key_id"] == "linfen-2026"
    assert hedui.report_sign(request["report"], "linfen-2026", bytes.fromhex(request["seed_hex"])) == by_c
    changed = copy.deepcopy(by_c)
    changed["header"]["household_id"] += "X"
    with pytest.raises(hedui.SecurityError) as info:
        hedui.report_verify_signature(changed, [key])
    assert info.value.code == "signature_invalid"


# ------------------------------------------------------------------ deprecated names


def test_deprecated_check_password_warns() -> None:
    with pytest.warns(DeprecationWarning, match="password_check"):
        weak = hedui.check_password("abc", "wangli", OPERATOR_ID)
    assert weak == hedui.password_check("abc", "wangli", OPERATOR_ID)["weaknesses"]


def test_deprecated_check_permission_warns() -> None:
    with pytest.warns(DeprecationWarning, match="permission_check"):
        d = hedui.check_permission("operator", "query_data", "bank_deposits")
    assert d == hedui.permission_check("operator", "query_data", "bank_deposits")


def test_deprecated_mask_report_warns(good_report: dict[str, Any]) -> None:
    with pytest.warns(DeprecationWarning, match="report_mask"):
        view = hedui.mask_report(good_report, "archivist")
    assert view == hedui.report_mask(good_report, "archivist")


def test_deprecated_sign_report_warns(good_report: dict[str, Any]) -> None:
    with pytest.warns(DeprecationWarning, match="report_sign"):
        signed = hedui.sign_report(good_report, "k", SEED)
    assert signed == hedui.report_sign(good_report, "k", SEED)


def test_deprecated_trusted_key_warns() -> None:
    with pytest.warns(DeprecationWarning, match="signing_key_trust"):
        key = hedui.trusted_key("k", SEED)
    assert key == hedui.signing_key_trust("k", SEED)


def test_deprecated_verify_report_signature_warns(good_report: dict[str, Any]) -> None:
    signed = hedui.report_sign(good_report, "k", SEED)
    key = hedui.signing_key_trust("k", SEED)
    with pytest.warns(DeprecationWarning, match="report_verify_signature"):
        assert hedui.verify_report_signature(signed, [key]) is True
