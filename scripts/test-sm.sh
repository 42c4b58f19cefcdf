#!/usr/bin/env bash
# The commercial-cryptography suite (SM2/SM3) checked against OpenSSL 3, in both directions:
#   1. SM3: `openssl dgst -sm3` of a shangmi report's canonical bytes equals the digest hedui
#      sealed it with;
#   2. hedui -> OpenSSL: a report signed by hedui with an SM2 key OpenSSL generated verifies in
#      `openssl dgst -sm3 -verify -sigopt distid:1234567812345678`, and fails when one byte of
#      the signed message or of the signature changes;
#   2b. HMAC-SM3: `openssl mac -digest SM3 HMAC` of each audit entry's canonical bytes equals
#      the MAC hedui gave the entry;
#   3. OpenSSL -> hedui: OpenSSL's SM2 signature over the message hedui signs, attached to the
#      report, verifies in hedui, and fails when one byte of the report or of the signature
#      changes.
# hedui's side is examples/sm_interop.rs. Installs openssl with apt-get when it is missing.
# Exits non-zero on the first failure.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="$root/target/ci-sm"
distid=1234567812345678

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

if ! command -v openssl >/dev/null 2>&1; then
    step "installing openssl"
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq openssl >/dev/null
fi
openssl version
case "$(openssl version)" in
    "OpenSSL 3."*) ;;
    *) fail "OpenSSL 3 is needed for SM2 with distid" ;;
esac

rm -rf "$out"
mkdir -p "$out"
cargo build -q -p hedui-examples --example sm_interop
hedui="$root/target/debug/examples/sm_interop"

# DER ECDSA-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }) <-> r || s hex, with OpenSSL's own
# ASN.1 tools
der_to_rs() {
    openssl asn1parse -inform DER -in "$1" | awk -F: '/INTEGER/ { printf "%064s", $NF }' | tr ' ' 0
}
rs_to_der() {
    local rs="$1" cnf="$2.cnf"
    printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "${rs:0:64}" "${rs:64:64}" > "$cnf"
    openssl asn1parse -genconf "$cnf" -out "$2" -noout
}
# one byte of a file changed (xor 0x01) at offset $2
flip() {
    python3 - "$1" "$2" "$3" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
i = int(sys.argv[2]) % len(data)
data[i] ^= 1
open(sys.argv[3], "wb").write(bytes(data))
PY
}

step "an SM2 key pair from OpenSSL"
openssl genpkey -algorithm SM2 -out "$out/key.pem"
openssl pkey -in "$out/key.pem" -pubout -out "$out/pub.pem"

step "SM3: openssl dgst -sm3 of the canonical bytes is the report's digest"
"$hedui" report "$out/report.json"
"$hedui" canonical "$out/report.json" "$out/canonical.bin"
ours="$("$hedui" digest "$out/report.json")"
theirs="sm3:$(openssl dgst -sm3 -r "$out/canonical.bin" | cut -d' ' -f1)"
echo "hedui   $ours"
echo "openssl $theirs"
[ "$ours" = "$theirs" ] || fail "SM3 digests differ"
# the SHA-256 of the same bytes is not what the report names
[ "sm3:$(openssl dgst -sha256 -r "$out/canonical.bin" | cut -d' ' -f1)" != "$ours" ] || fail "SM3 equals SHA-256?"

step "HMAC-SM3: openssl mac of each audit entry's canonical bytes is the entry's MAC"
mkdir -p "$out/audit"
openssl rand -out "$out/audit/key.bin" 32
audit_key="$(od -An -tx1 -v "$out/audit/key.bin" | tr -d ' \n')"
"$hedui" audit "$out/audit/key.bin" "$out/audit"
for n in 0 1 2; do
    ours="$(cat "$out/audit/entry-$n.mac")"
    theirs="$(openssl mac -digest SM3 -macopt "hexkey:$audit_key" -in "$out/audit/entry-$n.bin" HMAC | tr 'A-F' 'a-f')"
    echo "entry $n: hedui $ours / openssl $theirs"
    [ "$ours" = "$theirs" ] || fail "HMAC-SM3 of audit entry $n differs"
    [ "$(openssl mac -digest SHA256 -macopt "hexkey:$audit_key" -in "$out/audit/entry-$n.bin" HMAC | tr 'A-F' 'a-f')" != "$ours" ] || fail "HMAC-SM3 equals HMAC-SHA256?"
done

step "hedui signs with the OpenSSL key, OpenSSL verifies"
"$hedui" sign "$out/key.pem" openssl-k1 "$out/report.json" "$out/signed.json"
"$hedui" verify "$out/pub.pem" openssl-k1 "$out/signed.json"
"$hedui" message "$out/signed.json" "$out/message.bin"
rs_to_der "$("$hedui" signature "$out/signed.json")" "$out/hedui-sig.der"
openssl dgst -sm3 -verify "$out/pub.pem" -sigopt "distid:$distid" -signature "$out/hedui-sig.der" "$out/message.bin"
for offset in 0 31 45 61; do
    flip "$out/message.bin" "$offset" "$out/message-changed.bin"
    if openssl dgst -sm3 -verify "$out/pub.pem" -sigopt "distid:$distid" -signature "$out/hedui-sig.der" "$out/message-changed.bin" >/dev/null 2>&1; then
        fail "OpenSSL accepted hedui's signature over a message changed at byte $offset"
    fi
done
rs="$("$hedui" signature "$out/signed.json")"
for i in 0 40 100 127; do
    c="${rs:$i:1}"; n="$(printf '%x' $(( (0x$c + 1) % 16 )))"
    rs_to_der "${rs:0:$i}$n${rs:$((i + 1))}" "$out/hedui-sig-changed.der"
    if openssl dgst -sm3 -verify "$out/pub.pem" -sigopt "distid:$distid" -signature "$out/hedui-sig-changed.der" "$out/message.bin" >/dev/null 2>&1; then
        fail "OpenSSL accepted a hedui signature changed at hex digit $i"
    fi
done
# another distinguishing ID than the standard default does not verify
if openssl dgst -sm3 -verify "$out/pub.pem" -sigopt "distid:1234567812345679" -signature "$out/hedui-sig.der" "$out/message.bin" >/dev/null 2>&1; then
    fail "hedui's signature verified under another distid"
fi
echo "OpenSSL verifies hedui's SM2 signature and refuses every changed one"

step "OpenSSL signs the message hedui signs, hedui verifies"
"$hedui" message "$out/report.json" "$out/unsigned-message.bin"
openssl dgst -sm3 -sign "$out/key.pem" -sigopt "distid:$distid" -out "$out/openssl-sig.der" "$out/unsigned-message.bin"
rs="$(der_to_rs "$out/openssl-sig.der")"
[ "${#rs}" -eq 128 ] || fail "r || s is not 64 bytes: $rs"
"$hedui" attach "$out/report.json" openssl-k1 "$rs" "$out/openssl-signed.json"
"$hedui" verify "$out/pub.pem" openssl-k1 "$out/openssl-signed.json"
# one changed byte of the report's content (not of its integrity block): refused
python3 - "$out/openssl-signed.json" "$out/openssl-signed-changed.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
report["report_number"] = report["report_number"][:-1] + ("0" if report["report_number"][-1] != "0" else "1")
json.dump(report, open(sys.argv[2], "w"), ensure_ascii=False, separators=(",", ":"))
PY
if "$hedui" verify "$out/pub.pem" openssl-k1 "$out/openssl-signed-changed.json" 2>"$out/err.txt"; then
    fail "hedui accepted OpenSSL's signature on a changed report"
fi
grep -q signature_invalid "$out/err.txt" || fail "unexpected error: $(cat "$out/err.txt")"
for i in 0 63 64 127; do
    c="${rs:$i:1}"; n="$(printf '%x' $(( (0x$c + 1) % 16 )))"
    "$hedui" attach "$out/report.json" openssl-k1 "${rs:0:$i}$n${rs:$((i + 1))}" "$out/openssl-changed-sig.json"
    if "$hedui" verify "$out/pub.pem" openssl-k1 "$out/openssl-changed-sig.json" 2>/dev/null; then
        fail "hedui accepted an OpenSSL signature changed at hex digit $i"
    fi
done
# a signature by another OpenSSL key is refused
openssl genpkey -algorithm SM2 -out "$out/other.pem"
openssl dgst -sm3 -sign "$out/other.pem" -sigopt "distid:$distid" -out "$out/other-sig.der" "$out/unsigned-message.bin"
"$hedui" attach "$out/report.json" openssl-k1 "$(der_to_rs "$out/other-sig.der")" "$out/other-signed.json"
if "$hedui" verify "$out/pub.pem" openssl-k1 "$out/other-signed.json" 2>/dev/null; then
    fail "hedui accepted a signature by another key"
fi
echo "hedui verifies OpenSSL's SM2 signature and refuses every changed one"

step "SM2/SM3 interop with OpenSSL passed"
