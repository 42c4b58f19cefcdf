"""Tests of the uniffi-generated Python bindings against the built library.

Run by scripts/test-ffi.sh after `uniffi-bindgen generate --language python`, with the
generated `hedui_ffi.py` and `libhedui_ffi.so` in one directory on PYTHONPATH. The shared
corpus must give the recorded outcomes byte for byte, as through Rust and C.
Ends with "N passed, N failed"; exits 1 when anything failed.
"""

import copy
import json
import os
import pathlib
import sys
import unittest

import hedui_ffi as h

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "corpus"
FIXTURES = ROOT / "hedui-ffi" / "tests" / "fixtures"
ISSUED_AT = "2026-11-29T10:00:00+08:00"


def outcome(rulebook, case_json: str) -> bytes:
    """The corpus outcome line: the report, or {"error":"<code>"}, plus a newline."""
    try:
        return (h.verify_json_at(rulebook, case_json, ISSUED_AT) + "\n").encode("utf-8")
    except h.HeduiError as e:
        return ('{"error":"%s"}\n' % e.code).encode("utf-8")


def cases():
    names = sorted((CORPUS / "cases").glob("*.json"))
    assert len(names) >= 8, "corpus has too few cases"
    return names


class Corpus(unittest.TestCase):
    def test_every_case_gives_the_recorded_outcome_byte_for_byte(self):
        rulebook = h.Rulebook()
        for path in cases():
            expected = (CORPUS / "expected" / path.name).read_bytes()
            text = path.read_text(encoding="utf-8")
            with self.subTest(case=path.name):
                self.assertEqual(outcome(None, text), expected)
                self.assertEqual(outcome(rulebook, text), expected)

    def test_batch_gives_the_same_reports_and_codes_in_order(self):
        lines, expected = [], []
        for path in cases():
            lines.append(" ".join(path.read_text(encoding="utf-8").split("\n")).strip())
            expected.append((CORPUS / "expected" / path.name).read_text(encoding="utf-8"))
        jsonl = "\n".join(lines) + "\n"
        out = h.verify_batch_jsonl(None, jsonl, ISSUED_AT, False)
        par = h.verify_batch_jsonl(h.Rulebook(), jsonl, ISSUED_AT, True)
        self.assertEqual((out.reports_jsonl, out.errors_jsonl), (par.reports_jsonl, par.errors_jsonl))
        reports = out.reports_jsonl.splitlines(keepends=True)
        errors = [json.loads(e) for e in out.errors_jsonl.splitlines()]
        self.assertEqual(out.reports + out.errors, len(lines))
        self.assertEqual((out.reports, out.errors), (len(reports), len(errors)))
        for number, want in enumerate(expected, start=1):
            if want.startswith('{"error":'):
                err = errors.pop(0)
                self.assertEqual(err["line"], number)
                self.assertEqual(err["code"], json.loads(want)["error"])
            else:
                self.assertEqual(reports.pop(0), want)


# Operations whose uniffi function takes a rulebook first (None: the built-in one).
WITH_RULEBOOK = {"coverage_audit", "query_plan", "lending_detect", "account_set_password",
                 "account_login", "account_login_unknown", "password_check", "id_check",
                 "resident_id_check", "credit_code_check", "account_register", "archive_check", "report_check_use"}
# Operations whose uniffi function takes a rulebook and a report keyring first (None, None: the
# built-in rulebook, no key trusted beyond the request's `trusted_keys`).
WITH_RULEBOOK_AND_KEYRING = {"appeal_file", "report_history_record"}


class OpsCorpus(unittest.TestCase):
    def test_every_request_gives_the_recorded_outcome_byte_for_byte(self):
        paths = sorted((CORPUS / "ops").glob("*/*.json"))
        self.assertGreaterEqual(len(paths), 6)
        for path in paths:
            operation = path.parent.name
            function = getattr(h, operation + "_json")
            request = path.read_text(encoding="utf-8")
            rb = None
            if "@" in path.name:
                # `<case>@<rulebook>.json`: under the corpus rulebook of that name
                self.assertIn(operation, WITH_RULEBOOK | WITH_RULEBOOK_AND_KEYRING)
                rb = h.Rulebook.from_json(
                    (CORPUS / "rulebooks" / path.name.split("@", 1)[1]).read_text("utf-8"))
            if operation == "recheck_schedule":
                # its uniffi function takes the request's members as arguments
                doc = json.loads(request)
                args = (rb, json.dumps(doc["households"]), doc["as_of"])
            elif operation in WITH_RULEBOOK_AND_KEYRING:
                args = (rb, None, request)
            else:
                args = (rb, request) if operation in WITH_RULEBOOK else (request,)
            try:
                got = function(*args) + "\n"
            except h.HeduiError as e:
                got = '{"error":"%s"}\n' % e.code
            expected = (CORPUS / "ops-expected" / operation / path.name).read_bytes()
            self.assertEqual(got.encode("utf-8"), expected, f"{operation}/{path.name}")

    def test_a_refused_login_returns_the_account_with_the_failure_counted(self):
        request = (CORPUS / "ops" / "account_register" / "registered.json").read_text("utf-8")
        state = json.loads(h.account_register_json(None, request))
        state = json.loads(h.account_set_password_json(None, json.dumps({
            "account": state["account"], "password": "Hd#2026-verify!x",
            "salt_hex": "00112233445566778899aabbccddeeff", "on": "2026-01-06"})))
        state = json.loads(h.account_activate_json(json.dumps(
            {"account": state["account"], "on": "2026-01-06"})))
        self.assertEqual(state["status"], "active")
        login = json.loads(h.account_login_json(None, json.dumps(
            {"account": state["account"], "password": "wrong",
             "at": "2026-01-07T09:00:00+08:00"})))
        self.assertFalse(login["accepted"])
        self.assertEqual(login["refused"]["code"], "security_wrong_password")
        self.assertEqual(login["account"]["failed_logins"], 1)
        login = json.loads(h.account_login_json(None, json.dumps(
            {"account": login["account"], "password": "Hd#2026-verify!x",
             "at": "2026-01-07T09:00:00+08:00"})))
        self.assertTrue(login["accepted"])

    def test_a_lock_out_ends_by_itself_with_back_off(self):
        request = (CORPUS / "ops" / "account_register" / "registered.json").read_text("utf-8")
        state = json.loads(h.account_register_json(None, request))
        state = json.loads(h.account_set_password_json(None, json.dumps({
            "account": state["account"], "password": "Hd#2026-verify!x",
            "salt_hex": "00112233445566778899aabbccddeeff", "on": "2026-01-06"})))
        state = json.loads(h.account_activate_json(json.dumps(
            {"account": state["account"], "on": "2026-01-06"})))

        def login(password, at):
            nonlocal state
            state = json.loads(h.account_login_json(None, json.dumps(
                {"account": state["account"], "password": password, "at": at})))
            return state

        for _ in range(5):
            login("wrong", "2026-01-07T09:00:00+08:00")
        self.assertEqual(state["status"], "locked")
        self.assertEqual(state["account"]["locked_until"], "2026-01-07T01:30:00Z")
        # the right password during the lock-out: refused
        self.assertEqual(login("Hd#2026-verify!x", "2026-01-07T09:29:00+08:00")
                         ["refused"]["code"], "security_account_locked")
        # at its end the lock-out is lifted; five more failures lock it twice as long
        self.assertEqual(login("wrong", "2026-01-07T09:30:00+08:00")["refused"]["code"],
                         "security_wrong_password")
        for _ in range(4):
            login("wrong", "2026-01-07T09:30:00+08:00")
        self.assertEqual(state["account"]["locked_until"], "2026-01-07T02:30:00Z")
        self.assertTrue(login("Hd#2026-verify!x", "2026-01-07T10:30:00+08:00")["accepted"])

    def test_an_unknown_login_name_is_answered_like_a_wrong_password(self):
        answer = json.loads(h.account_login_unknown_json(None, json.dumps(
            {"account": "op.zhang", "password": "Hd#2026-verify!x"})))
        self.assertEqual(answer, {"accepted": False, "refused": {
            "code": "security_wrong_password",
            "message": "R11 security (N §三): wrong password for account `op.zhang`"}})


SEED_HEX = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
OPERATOR_ID = "141030197803100016"


def good_report():
    return json.loads((CORPUS / "expected" / "sample-good-1.json").read_text(encoding="utf-8"))


def verify_request(report, key):
    return json.dumps({"report": report, "trusted_keys": [key]}, ensure_ascii=False)


class Security(unittest.TestCase):
    def test_password_check(self):
        weak = json.loads(h.password_check_json(None, json.dumps(
            {"password": "abc", "account": "wangli", "resident_id": OPERATOR_ID})))
        self.assertFalse(weak["acceptable"])
        self.assertIn("too_short", [w["code"] for w in weak["weaknesses"]])
        ok = json.loads(h.password_check_json(h.Rulebook(), json.dumps(
            {"password": "Gx7#kq2!Lm9z", "account": "wangli", "resident_id": OPERATOR_ID})))
        self.assertEqual(ok, {"acceptable": True, "weaknesses": []})
        with self.assertRaises(h.HeduiError.Input) as e:
            h.password_check_json(None, '{"password": "x"}')
        self.assertEqual(e.exception.code, "input_json")

    def test_permission_check(self):
        d = json.loads(h.permission_check_json(json.dumps(
            {"role": "operator", "action": "query_data", "category": "bank_deposits"})))
        self.assertEqual(d["decision"], "permit")
        d = json.loads(h.permission_check_json('{"role": "nobody", "action": "view_report"}'))
        self.assertEqual(d["decision"], "deny")
        with self.assertRaises(h.HeduiError.Input) as e:
            h.permission_check_json('{"role": "operator", "action": "fly"}')
        self.assertEqual(e.exception.code, "input_json")

    def test_report_mask(self):
        report = good_report()
        full = json.loads(h.report_mask_json(json.dumps({"report": report, "role": "reviewer"})))
        self.assertEqual(full, report)
        view = json.loads(h.report_mask_json(json.dumps({"report": report, "role": "archivist"})))
        self.assertNotEqual(view, report)
        with self.assertRaises(h.HeduiError.Input):
            h.report_mask_json('{"report": {"not": "a report"}, "role": "reviewer"}')

    def test_sign_trust_and_verify(self):
        signed = json.loads(h.report_sign_json(json.dumps(
            {"report": good_report(), "key_id": "linfen-2026", "seed_hex": SEED_HEX})))
        key = json.loads(h.signing_key_trust_json(json.dumps(
            {"key_id": "linfen-2026", "seed_hex": SEED_HEX})))
        verified = json.loads(h.report_verify_signature_json(verify_request(signed, key)))
        self.assertEqual(verified, {"key_id": "linfen-2026",
                                    "digest": signed["integrity"]["digest"]})
        changed = copy.deepcopy(signed)
        changed["header"]["household_id"] += "X"
        with self.assertRaises(h.HeduiError.Security) as e:
            h.report_verify_signature_json(verify_request(changed, key))
        self.assertEqual(e.exception.code, "signature_invalid")
        with self.assertRaises(h.HeduiError.Security) as e:
            h.report_sign_json(json.dumps(
                {"report": good_report(), "key_id": "k", "seed_hex": "0102"}))
        self.assertEqual(e.exception.code, "signing_key_invalid")
        self.assertNotIn("0102", e.exception.message)
        with self.assertRaises(h.HeduiError.Security) as e:
            h.signing_key_trust_json(json.dumps({"key_id": " ", "seed_hex": SEED_HEX}))
        self.assertEqual(e.exception.code, "signing_key_invalid")
        with self.assertRaises(h.HeduiError.Security) as e:
            h.report_verify_signature_json(json.dumps({"report": signed, "trusted_keys": []}))
        self.assertEqual(e.exception.code, "signature_unknown_key")

    def test_a_report_signed_through_c_verifies_here_and_fails_once_changed(self):
        path = os.environ.get("HEDUI_SIGNED_BY_C")
        if not path:
            self.skipTest("HEDUI_SIGNED_BY_C is not set (scripts/test-ffi.sh sets it)")
        request = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        report, key = request["report"], request["trusted_keys"][0]
        verified = json.loads(h.report_verify_signature_json(verify_request(report, key)))
        self.assertEqual(verified["key_id"], "linfen-2026")
        # uniffi signs the same report to the same signature
        signed_here = json.loads(h.report_sign_json(json.dumps(
            {"report": good_report(), "key_id": "linfen-2026", "seed_hex": SEED_HEX})))
        self.assertEqual(signed_here, report)
        changed = copy.deepcopy(report)
        changed["header"]["household_id"] += "X"
        with self.assertRaises(h.HeduiError.Security) as e:
            h.report_verify_signature_json(verify_request(changed, key))
        self.assertEqual(e.exception.code, "signature_invalid")


class Errors(unittest.TestCase):
    def test_error_variants_carry_code_and_message(self):
        with self.assertRaises(h.HeduiError.Input) as ctx:
            h.verify_json_at(None, "{", ISSUED_AT)
        self.assertEqual(ctx.exception.code, "input_json")
        self.assertIn("invalid case json", ctx.exception.message)
        with self.assertRaises(h.HeduiError.Argument) as ctx:
            h.verify_json_at(None, "{}", "noon")
        self.assertEqual(ctx.exception.code, "invalid_time")
        good = (CORPUS / "cases" / "sample-good-1.json").read_text(encoding="utf-8")
        with self.assertRaises(h.HeduiError.Verification) as ctx:
            h.verify_json_at(None, good, "2000-01-01T00:00:00+08:00")
        self.assertEqual(ctx.exception.code, "chronology")
        missing = (CORPUS / "cases" / "missing-entrustment.json").read_text(encoding="utf-8")
        with self.assertRaises(h.HeduiError.Entrustment) as ctx:
            h.verify_json(None, missing)
        self.assertEqual(ctx.exception.code, "entrustment_missing")
        self.assertTrue(ctx.exception.message.startswith("R2 "))
        detail = json.loads(ctx.exception.detail_json)
        self.assertEqual(detail["code"], "entrustment_missing")
        self.assertEqual(detail["rule"], "R2")
        self.assertEqual(detail["docs"], "docs/rules.md#r2-no-entrust-no-check")
        self.assertEqual(detail["message"], ctx.exception.message)
        with self.assertRaises(h.HeduiError.Argument) as ctx:
            h.verify_json_at(None, "{}", "noon")
        detail = json.loads(ctx.exception.detail_json)
        self.assertEqual((detail["area"], detail["rule"], detail["fields"]), ("argument", None, {}))


class Rulebook(unittest.TestCase):
    def test_round_trip_and_range_check(self):
        rb = h.Rulebook()
        self.assertEqual(rb.version(), "hedui-default-2026.1")
        again = h.Rulebook.from_json(rb.to_json())
        self.assertEqual(again.to_json(), rb.to_json())
        doc = json.loads(rb.to_json())
        doc["retention"]["log_months"] = 3
        with self.assertRaises(h.HeduiError.Input) as ctx:
            h.Rulebook.from_json(json.dumps(doc))
        self.assertEqual(ctx.exception.code, "rulebook_out_of_bounds")
        doc = json.loads(rb.to_json())
        doc["recheck"]["other_months"] = 0
        with self.assertRaises(h.HeduiError.Input) as ctx:
            h.Rulebook.from_json(json.dumps(doc))
        self.assertEqual(ctx.exception.code, "input_rulebook")
        with self.assertRaises(h.HeduiError.Input):
            h.Rulebook.from_json("{}")


class Operations(unittest.TestCase):
    def test_authorization_check(self):
        valid = (FIXTURES / "authorization-valid.json").read_text(encoding="utf-8")
        defective = (FIXTURES / "authorization-defective.json").read_text(encoding="utf-8")
        ok = h.authorization_check_json(None, valid)
        self.assertTrue(ok.valid)
        self.assertEqual(ok.defects, [])
        self.assertEqual(ok.on, "2026-07-06")
        bad = h.authorization_check_json(h.Rulebook(), defective)
        self.assertFalse(bad.valid)
        self.assertEqual([d.code for d in bad.defects], ["missing_signature", "lapsed"])
        self.assertEqual(json.loads(bad.json)["defects"][1]["kind"], "membership_change")
        with self.assertRaises(h.HeduiError.Input):
            h.authorization_check_json(None, "{}")

    def test_render_and_digest(self):
        good = (CORPUS / "cases" / "sample-good-1.json").read_text(encoding="utf-8")
        report = h.verify_json_at(None, good, ISSUED_AT)
        self.assertIn("# 居民家庭经济状况核对报告", h.report_render_markdown(report))
        html = h.report_render_html(report)
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn(json.loads(report)["statement"], html)
        doc = json.loads(report)
        payload = json.dumps(
            {
                "v": "hedui-printed-v1",
                "report": doc["report_number"],
                "issued_at": doc["header"]["issued_at"],
                "digest": doc["integrity"]["digest"],
            }
        )
        answer = h.report_check_printed_json(json.dumps({"payload": payload, "archived": doc}))
        self.assertEqual(json.loads(answer)["code"], "printed_matches")
        with self.assertRaises(h.HeduiError.Security):
            h.report_check_printed_json(json.dumps({"payload": "BG-1"}))
        self.assertTrue(h.report_verify_digest(report))
        doc = json.loads(report)
        doc["header"]["case_id"] += "x"
        self.assertFalse(h.report_verify_digest(json.dumps(doc, ensure_ascii=False)))

    def test_coverage(self):
        app = {
            "id": "AP-1", "household_id": "H1", "region": "141002",
            "applied_on": "2026-03-01", "programme": "minimum_living_allowance",
            "kind": "new", "members": ["360426199101010071"],
        }
        record = {
            "household_id": "H1", "number": "WT-1", "verified_on": "2026-03-05",
            "members": ["360426199101010071"],
            "queried": [{"category": "bank_deposits", "answered_by": "province"}],
            "region": "141002",
        }
        request = {"applications": [app], "verifications": [record], "jurisdiction": ["141002"]}
        with_queryable = dict(request, queryable=["bank_deposits"])
        full = json.loads(h.coverage_audit_json(None, json.dumps(with_queryable)))
        self.assertEqual(full["households"], {"covered": 1, "total": 1})
        self.assertEqual(full["categories"], {"covered": 1, "total": 1})
        default = json.loads(h.coverage_audit_json(h.Rulebook(), json.dumps(request)))
        self.assertGreater(default["categories"]["total"], 1)
        with self.assertRaises(h.HeduiError.Input) as e:
            h.coverage_audit_json(None, "{}")
        self.assertEqual(e.exception.code, "input_json")

    def test_recheck_schedule(self):
        household = {
            "household_id": "H1", "programme": "minimum_living_allowance",
            "last_checked": "2025-01-10", "authorization_signed_on": "2025-01-05",
            "agency_id": "A-141002",
        }
        out = json.loads(h.recheck_schedule_json(None, json.dumps([household]), "2026-06-01"))
        self.assertEqual(out["as_of"], "2026-06-01")
        self.assertEqual(len(out["entries"]), 1)
        self.assertEqual(out["batches"]["batches"][0]["number"], "FH-A-141002-20260601-001")
        # the schedule's summary after the batches, as in C and Python
        self.assertEqual(list(out), ["as_of", "entries", "issues", "batches", "due", "overdue",
                                     "awaiting_authorization", "next_due_on",
                                     "counts_by_programme"])
        self.assertEqual([e["position"] for e in out["due"]], [0])
        self.assertEqual([e["position"] for e in out["overdue"]], [0])
        self.assertEqual(out["awaiting_authorization"], [])
        self.assertIsNone(out["next_due_on"])
        counts = {c["programme"]: c for c in out["counts_by_programme"]}
        self.assertEqual(counts["minimum_living_allowance"],
                         {"programme": "minimum_living_allowance", "households": 1, "due": 1,
                          "overdue": 1, "awaiting_authorization": 0})
        dup = json.loads(h.recheck_schedule_json(None, json.dumps([household] * 2), "2026-06-01"))
        self.assertEqual(dup["issues"][0]["code"], "population_duplicate_record")
        with self.assertRaises(h.HeduiError.Argument) as e:
            h.recheck_schedule_json(None, "[]", "2026-02-30")
        self.assertEqual(e.exception.code, "invalid_date")
        with self.assertRaises(h.HeduiError.Input):
            h.recheck_schedule_json(None, "[{", "2026-06-01")

    def test_audit_chain(self):
        key = bytes(range(32))
        event = {
            "at": ISSUED_AT, "event": "authorization_check", "decision": "permit",
            "actor": "op-7", "reason": "R1 SQ-1 checked", "context": "ab" * 32,
        }
        ring = h.AuditKeyring()
        ring.add("k1", key)
        chain = h.AuditChain("A-141002/2026", ring)
        self.assertEqual(chain.len(), 0)
        head1 = chain.append_json(json.dumps(event))
        self.assertEqual(json.loads(head1), {**json.loads(chain.head_json()), "entries": 1})
        head = chain.append_json(json.dumps(event))
        self.assertEqual(json.loads(head)["chain"], "A-141002/2026")
        self.assertEqual(chain.len(), 2)
        self.assertEqual(chain.head_json(), head)
        chain.verify_json(head)
        jsonl = chain.to_jsonl()
        self.assertTrue(jsonl.startswith('{"format":2,"chain":"A-141002/2026","seq":0,"key_id":"k1",'))
        back = h.AuditChain.from_jsonl(ring, jsonl, head)
        self.assertEqual(back.to_jsonl(), jsonl)

        def refused(code, jsonl, head, keyring=ring):
            with self.assertRaises(h.HeduiError.Security) as e:
                h.AuditChain.from_jsonl(keyring, jsonl, head)
            self.assertEqual(e.exception.code, code)

        refused("audit_chain_broken", jsonl.replace("SQ-1", "SQ-2", 1), head)
        refused("audit_line_invalid", " " + jsonl, head)
        # the last entry cut off: only the stored head shows it
        first = jsonl.splitlines(keepends=True)[0]
        refused("audit_chain_truncated", first, head)
        # rolled back to the one-entry copy and written on: as long as the head, every MAC valid
        forked = h.AuditChain.from_jsonl(ring, first, head1)
        forked.append_json(json.dumps({**event, "reason": "rewritten"}))
        self.assertEqual(forked.len(), 2)
        with self.assertRaises(h.HeduiError.Security) as e:
            forked.verify_json(head)
        self.assertEqual(e.exception.code, "audit_chain_rolled_back")
        # another chain under the same key: swapped whole or spliced in
        other = h.AuditChain("B-141002/2026", ring)
        other.append_json(json.dumps(event))
        other.append_json(json.dumps(event))
        refused("audit_chain_swapped", other.to_jsonl(), head)
        refused("audit_chain_spliced", first + other.to_jsonl().splitlines(keepends=True)[1], head)
        # times never go backwards
        with self.assertRaises(h.HeduiError.Security) as e:
            chain.append_json(json.dumps({**event, "at": "2026-11-29T09:00:00+08:00"}))
        self.assertEqual(e.exception.code, "audit_time_backwards")
        # rotation: new entries under k2; a keyring without k1 no longer reads the chain
        rotated = h.AuditKeyring()
        rotated.add("k1", key)
        rotated.add("k2", bytes(32))
        grown = h.AuditChain.from_jsonl(rotated, jsonl, head)
        head3 = grown.append_json(json.dumps(event))
        self.assertIn('"seq":2,"key_id":"k2"', grown.to_jsonl())
        h.AuditChain.from_jsonl(rotated, grown.to_jsonl(), head3)
        only_k2 = h.AuditKeyring()
        only_k2.add("k2", bytes(32))
        refused("audit_key_unknown", grown.to_jsonl(), head3, only_k2)
        # HMAC-SM3 keys (the commercial-cryptography suite): entries name the algorithm and
        # never verify under an HMAC-SHA256 key of the same id and bytes
        sm3 = h.AuditKeyring()
        sm3.add_with("k1", "hmac-sm3", key)
        sm3_chain = h.AuditChain("A-SM3", sm3)
        sm3_head = sm3_chain.append_json(json.dumps(event))
        self.assertIn('"mac_algorithm":"hmac-sm3"', sm3_chain.to_jsonl())
        h.AuditChain.from_jsonl(sm3, sm3_chain.to_jsonl(), sm3_head)
        refused("audit_mac_algorithm_mismatch", sm3_chain.to_jsonl(), sm3_head)
        with self.assertRaises(h.HeduiError.Input):
            sm3.add_with("k2", "hmac-md5", key)
        # a keyring under a `shangmi` rulebook: keys added by secret alone are HMAC-SM3
        doc = json.loads(h.Rulebook().to_json())
        doc["security"]["crypto_suite"] = "shangmi"
        under = h.AuditKeyring.new_under(h.Rulebook.from_json(json.dumps(doc)))
        under.add("k1", key)
        under_chain = h.AuditChain("A-SM3", under)
        under_chain.append_json(json.dumps(event))
        self.assertIn('"mac_algorithm":"hmac-sm3"', under_chain.to_jsonl())
        plain = h.AuditKeyring.new_under(None)
        plain.add("k1", key)
        plain_chain = h.AuditChain("A-SHA", plain)
        plain_chain.append_json(json.dumps(event))
        self.assertNotIn("mac_algorithm", plain_chain.to_jsonl())
        # a format-1 line is refused with its version
        v1 = ('{"seq":0,"at":"2026-11-29T10:00:00+08:00","event":"login","decision":"deny",'
              '"actor":"op","reason":"r","context":"' + "ab" * 32 + '","prev":"' + "0" * 64
              + '","mac":"' + "0" * 64 + '"}\n')
        refused("audit_format_unsupported", v1, head)
        with self.assertRaises(h.HeduiError.Input):
            h.AuditChain.from_jsonl(ring, jsonl, '{"entries": 2}')
        with self.assertRaises(h.HeduiError.Security) as e:
            h.AuditChain("A-1", h.AuditKeyring())
        self.assertEqual(e.exception.code, "audit_keyring_empty")
        with self.assertRaises(h.HeduiError.Security) as e:
            ring.add("k2", b"short")
        self.assertEqual(e.exception.code, "audit_key_length")
        with self.assertRaises(h.HeduiError.Security) as e:
            ring.add("k1", bytes(32))
        self.assertEqual(e.exception.code, "audit_id_invalid")
        with self.assertRaises(h.HeduiError.Input):
            chain.append_json("{}")
        self.assertEqual(chain.len(), 2)

    def test_audit_chain_after_log_retention(self):
        ring = h.AuditKeyring()
        ring.add("k1", bytes(range(32)))
        chain = h.AuditChain("A-141002/2026", ring)
        for minute in range(3):
            chain.append_json(json.dumps({
                "at": f"2026-11-29T10:0{minute}:00+08:00", "event": "data_query",
                "decision": "permit", "actor": "op-7", "reason": "R2", "context": "ab" * 32}))
        head = chain.head_json()
        self.assertEqual(json.loads(chain.disposable_json(None, '{"on": "2027-05-29"}')),
                         {"entries": 0, "through_seq": None})
        self.assertEqual(json.loads(chain.disposable_json(None, '{"on": "2027-05-30"}')),
                         {"entries": 3, "through_seq": 2})
        with self.assertRaises(h.HeduiError.Security) as e:
            chain.dispose_json(None, '{"through_seq": 1, "on": "2027-05-29"}')
        self.assertEqual(e.exception.code, "log_retention_not_elapsed")
        record = chain.dispose_json(None, '{"through_seq": 1, "on": "2027-05-30"}')
        self.assertEqual(json.loads(record)["last_seq"], 1)
        self.assertEqual(chain.len(), 1)
        chain.verify_json(head)
        jsonl = chain.to_jsonl()
        with self.assertRaises(h.HeduiError.Security) as e:
            h.AuditChain.from_jsonl(ring, jsonl, head)
        self.assertEqual(e.exception.code, "audit_chain_broken")
        back = h.AuditChain.from_jsonl_after(ring, jsonl, head, record)
        self.assertEqual(back.to_jsonl(), jsonl)
        forged = record.replace('"last_seq":1', '"last_seq":0')
        with self.assertRaises(h.HeduiError.Security) as e:
            h.AuditChain.from_jsonl_after(ring, jsonl, head, forged)
        self.assertEqual(e.exception.code, "audit_chain_broken")

    def test_relief_first_then_follow_up(self):
        grant = json.dumps({
            "case_id": "JJ-1", "household_id": "H141030-00000000", "relieved_on": "2026-07-01",
            "amount_fen": 200000, "reason": "火灾", "emergency": True,
        }, ensure_ascii=False)
        recorded = json.loads(h.relief_record_json(None, None, grant))
        self.assertEqual(recorded["reference"], "JJ-1-1")
        ledger = json.dumps(recorded["ledger"], ensure_ascii=False)
        due = json.loads(h.relief_follow_ups_json(None, ledger, "2026-11-29"))
        self.assertEqual([f["entry"]["reference"] for f in due["overdue"]], ["JJ-1-1"])
        case = (FIXTURES / "case-emergency-follow-up.json").read_text(encoding="utf-8")
        unsigned = h.verify_json_at(None, case, ISSUED_AT)
        # the agency's signer and keyring, each loaded once
        signer = h.ReportSigner("agency-2026", bytes(range(32)))
        keyring = h.ReportKeyring("[" + signer.trusted_key_json() + "]")
        report = signer.sign_json(unsigned)
        self.assertEqual(json.loads(keyring.verify_json(report))["key_id"], "agency-2026")
        # the evidence must be signed by a trusted key (security.signed_evidence, the default)
        with self.assertRaises(h.HeduiError.Security) as e:
            h.relief_close_json(None, keyring, ledger, "JJ-1-1", unsigned, "2026-11-29")
        self.assertEqual(e.exception.code, "evidence_unsigned")
        insider = h.ReportSigner("insider", bytes([66]) * 32)
        with self.assertRaises(h.HeduiError.Security) as e:
            h.relief_close_json(None, keyring, ledger, "JJ-1-1", insider.sign_json(unsigned),
                                "2026-11-29")
        self.assertEqual(e.exception.code, "evidence_unknown_key")
        tampered = report.replace('"limits_of_use":"', '"limits_of_use":"X', 1)
        with self.assertRaises(h.HeduiError.Security) as e:
            h.relief_close_json(None, keyring, ledger, "JJ-1-1", tampered, "2026-11-29")
        self.assertEqual(e.exception.code, "evidence_bad_signature")
        closed = json.loads(h.relief_close_json(None, keyring, ledger, "JJ-1-1", report,
                                                "2026-11-29"))
        self.assertEqual(closed["entry"]["closure"]["report_number"],
                         json.loads(report)["report_number"])
        after = json.loads(h.relief_follow_ups_json(
            None, json.dumps(closed["ledger"], ensure_ascii=False), "2026-11-29"))
        self.assertEqual([f["entry"]["reference"] for f in after["closed"]], ["JJ-1-1"])
        with self.assertRaises(h.HeduiError.Population) as e:
            h.relief_record_json(None, None, grant.replace("true", "false"))
        self.assertEqual(e.exception.code, "relief_not_emergency")
        with self.assertRaises(h.HeduiError.Population) as e:
            h.relief_close_json(None, keyring, ledger, "JJ-1-1", report, "2026-06-30")
        self.assertEqual(e.exception.code, "relief_followup_before_relief")
        with self.assertRaises(h.HeduiError.Input):
            h.relief_follow_ups_json(None, "[", "2026-11-29")

    def test_version(self):
        self.assertRegex(h.version(), r"^\d+\.\d+\.\d+")


if __name__ == "__main__":
    result = unittest.TextTestRunner(verbosity=2).run(
        unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    )
    bad = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - bad} passed, {bad} failed")
    sys.exit(0 if result.wasSuccessful() else 1)
