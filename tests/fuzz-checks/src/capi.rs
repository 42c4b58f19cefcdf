//! Target `capi`: the text entry points of the C ABI (`hedui-ffi`), called as a C host calls
//! them, with the fuzzer's bytes made into a NUL-terminated string (cut at the first NUL, as
//! C would see them).
//!
//! The first byte picks the function; the rest is its text argument. Each call must give what
//! the same operation of `hedui-ops` gives for the same text: the same output bytes, or the
//! same error code (`input_utf8` for text that is not UTF-8). On failure the output pointer
//! stays untouched, and the thread's last error names the code and the result number
//! returned; its message and JSON detail show no resident ID.

use std::ffi::{CStr, CString, c_char};
use std::ptr;

use hedui_core::Rulebook;
use hedui_ffi::capi::*;
use hedui_ops::audit::AuditLog;
use hedui_ops::{Failure, args, json, population, report, verify};
use time::macros::date;

use crate::audit::{KEY, KEY_ID};
use crate::{ISSUED_AT, assert_clean_failure, assert_no_id, assert_no_id_in_value, split_at_nul};

const AT: &CStr = c"2026-11-29T10:00:00+08:00";
const AS_OF: &CStr = c"2026-11-29";

/// What the operations layer gives for a text: its output, or its error code.
type Expected = Result<Vec<u8>, &'static str>;

fn expected(text: Option<&str>, op: impl FnOnce(&str) -> Result<Vec<u8>, Failure>) -> Expected {
    let Some(text) = text else {
        return Err("input_utf8");
    };
    op(text).map_err(|f| {
        assert_clean_failure(&f);
        f.code()
    })
}

/// The calling thread's last error: code, message and JSON detail.
fn last_error() -> (String, String, serde_json::Value) {
    // SAFETY: a static NUL-terminated string.
    let code = unsafe { CStr::from_ptr(hedui_last_error_code()) }
        .to_str()
        .expect("codes are ASCII")
        .to_owned();
    let read = |f: unsafe extern "C" fn(*mut c_char, usize) -> usize| {
        // SAFETY: NULL with length 0 asks for the length only.
        let len = unsafe { f(ptr::null_mut(), 0) };
        let mut buf = vec![0 as c_char; len + 1];
        // SAFETY: `buf` is valid for its length.
        let whole = unsafe { f(buf.as_mut_ptr(), buf.len()) };
        assert_eq!(whole, len, "the length asked for is the length written");
        // SAFETY: NUL-terminated by the call.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
        text.to_str().expect("messages are UTF-8").to_owned()
    };
    let message = read(hedui_last_error_message);
    let detail = read(hedui_last_error_json);
    let detail = serde_json::from_str(&detail).expect("the last error is JSON");
    (code, message, detail)
}

/// Takes a string the C ABI handed out and frees it.
fn take(s: *mut c_char) -> Vec<u8> {
    assert!(!s.is_null(), "an output is written on success");
    // SAFETY: a NUL-terminated string made by hedui, not yet freed.
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes().to_vec();
    // SAFETY: made by hedui and freed once.
    unsafe { hedui_string_free(s) };
    bytes
}

/// Checks a call's result against the operations layer's answer. `output` is what the call
/// wrote (taken only on success).
fn agree(
    name: &str,
    result: hedui_result,
    written: bool,
    output: impl FnOnce() -> Vec<u8>,
    want: Expected,
) {
    if result == hedui_result::Ok {
        let got = output();
        let want =
            want.unwrap_or_else(|code| panic!("{name}: C succeeded, hedui-ops failed with {code}"));
        assert!(got == want, "{name}: C and hedui-ops give other bytes");
        return;
    }
    assert!(!written, "{name}: no output on failure");
    let (code, message, detail) = last_error();
    assert_no_id("last error message", &message);
    assert_no_id_in_value("last error detail", &detail);
    assert_eq!(detail["code"], code.as_str(), "{name}: the detail's code");
    assert_eq!(
        detail["result"], result as u32,
        "{name}: the detail's result"
    );
    match want {
        Ok(_) => panic!("{name}: hedui-ops succeeded, C failed with {code}: {message}"),
        Err(want) => assert_eq!(code, want, "{name}: the code"),
    }
}

type WithRulebook =
    unsafe extern "C" fn(*const hedui_rulebook, *const c_char, *mut *mut c_char) -> hedui_result;
type Plain = unsafe extern "C" fn(*const c_char, *mut *mut c_char) -> hedui_result;
type WithKeyring = unsafe extern "C" fn(
    *const hedui_rulebook,
    *const hedui_report_keyring,
    *const c_char,
    *mut *mut c_char,
) -> hedui_result;

/// The `hedui_<operation>_json(rulebook, request, out)` functions and their operation. The
/// account operations that derive a password hash (PBKDF2 at the policy's count) are left
/// out: each call takes a good part of a second.
const WITH_RULEBOOK: [(&str, WithRulebook); 8] = [
    ("authorization_check", hedui_authorization_check_json),
    ("query_plan", hedui_query_plan_json),
    ("id_check", hedui_id_check_json),
    ("coverage_audit", hedui_coverage_audit_json),
    ("lending_detect", hedui_lending_detect_json),
    ("password_check", hedui_password_check_json),
    ("archive_check", hedui_archive_check_json),
    ("account_register", hedui_account_register_json),
];

/// The `hedui_<operation>_json(request, out)` functions.
const PLAIN: [(&str, Plain); 7] = [
    ("account_activate", hedui_account_activate_json),
    ("permission_check", hedui_permission_check_json),
    ("report_mask", hedui_report_mask_json),
    ("report_sign", hedui_report_sign_json),
    ("signing_key_trust", hedui_signing_key_trust_json),
    (
        "report_verify_signature",
        hedui_report_verify_signature_json,
    ),
    ("report_check_printed", hedui_report_check_printed_json),
];

/// The evidence gates, called with no keyring (as the dispatch by name does).
const WITH_KEYRING: [(&str, WithKeyring); 2] = [
    ("appeal_file", hedui_appeal_file_json),
    ("report_history_record", hedui_report_history_record_json),
];

/// The functions with their own arguments.
const SPECIAL: usize = 9;

fn by_name(name: &str, text: Option<&str>) -> Expected {
    let op = json::operation(name).expect("a catalog operation");
    expected(text, |t| op(args::default_rulebook(), t))
}

fn special(which: usize, c: &CStr, text: Option<&str>) {
    let rb = args::default_rulebook();
    let mut out: *mut c_char = ptr::null_mut();
    let s = c.as_ptr();
    match which {
        0 => {
            // SAFETY: valid strings and a writable output.
            let r = unsafe { hedui_verify_json_at(ptr::null(), s, AT.as_ptr(), &mut out) };
            let want = expected(text, |t| verify::verify_json(rb, t, ISSUED_AT));
            agree("verify", r, !out.is_null(), || take(out), want);
        }
        1 => {
            let mut errors: *mut c_char = ptr::null_mut();
            // SAFETY: valid strings and writable outputs.
            let r = unsafe {
                hedui_verify_batch_jsonl(ptr::null(), s, AT.as_ptr(), 0, &mut out, &mut errors)
            };
            let want = expected(text, |t| {
                let b = verify::verify_batch_jsonl(rb, t, ISSUED_AT, false)?;
                Ok([b.reports_jsonl, b"\0".to_vec(), b.errors_jsonl].concat())
            });
            let written = !out.is_null() || !errors.is_null();
            agree(
                "verify_batch",
                r,
                written,
                || [take(out), b"\0".to_vec(), take(errors)].concat(),
                want,
            );
        }
        2 => {
            let mut handle: *mut hedui_rulebook = ptr::null_mut();
            // SAFETY: a valid string and a writable output.
            let r = unsafe { hedui_rulebook_from_json(s, &mut handle) };
            let want = expected(text, |t| {
                Ok(Rulebook::from_json(t)
                    .map_err(Failure::Core)?
                    .to_json()
                    .into_bytes())
            });
            agree(
                "rulebook_from_json",
                r,
                !handle.is_null(),
                || {
                    assert!(!handle.is_null());
                    let mut json: *mut c_char = ptr::null_mut();
                    // SAFETY: a live handle and a writable output.
                    let written = unsafe { hedui_rulebook_to_json(handle, &mut json) };
                    assert_eq!(written, hedui_result::Ok);
                    // SAFETY: made by hedui_rulebook_from_json, freed once.
                    unsafe { hedui_rulebook_free(handle) };
                    take(json)
                },
                want,
            );
        }
        3 => {
            // SAFETY: valid strings and a writable output.
            let r =
                unsafe { hedui_recheck_schedule_json(ptr::null(), s, AS_OF.as_ptr(), &mut out) };
            let want = expected(text, |t| {
                population::recheck_schedule_json(rb, t, date!(2026 - 11 - 29))
            });
            agree("recheck_schedule", r, !out.is_null(), || take(out), want);
        }
        4 => {
            // SAFETY: valid strings and a writable output.
            let r =
                unsafe { hedui_relief_follow_ups_json(ptr::null(), s, AS_OF.as_ptr(), &mut out) };
            let want = expected(text, |t| {
                population::relief_follow_ups_json(rb, t, date!(2026 - 11 - 29))
            });
            agree("relief_follow_ups", r, !out.is_null(), || take(out), want);
        }
        5 => {
            // SAFETY: a NULL ledger (a new one), a valid string and a writable output.
            let r = unsafe { hedui_relief_record_json(ptr::null(), ptr::null(), s, &mut out) };
            let want = expected(text, |t| population::relief_record_json(rb, None, t));
            agree("relief_record", r, !out.is_null(), || take(out), want);
        }
        6 => {
            // the head the text reaches when read (the empty chain's when it does not): the
            // C call and the operation open against the same stored head
            let head = crate::audit::read_head(text.unwrap_or(""));
            let head_json = serde_json::to_string(&head).expect("a head writes itself");
            let head_c = CString::new(head_json.clone()).expect("JSON has no NUL");
            let key_id = CString::new(KEY_ID).expect("no NUL");
            let mut keyring: *mut hedui_audit_keyring = ptr::null_mut();
            // SAFETY: a writable output.
            assert_eq!(
                unsafe { hedui_audit_keyring_new(&mut keyring) },
                hedui_result::Ok
            );
            // SAFETY: a live keyring, a valid string, the key valid for its length.
            let added = unsafe {
                hedui_audit_keyring_add(keyring, key_id.as_ptr(), KEY.as_ptr(), KEY.len())
            };
            assert_eq!(added, hedui_result::Ok);
            let mut chain: *mut hedui_audit_chain = ptr::null_mut();
            // SAFETY: a live keyring, valid strings and a writable output.
            let r =
                unsafe { hedui_audit_chain_from_jsonl(keyring, s, head_c.as_ptr(), &mut chain) };
            // SAFETY: made by hedui_audit_keyring_new, freed once (the chain holds its own copy).
            unsafe { hedui_audit_keyring_free(keyring) };
            let want = expected(text, |t| {
                let log = AuditLog::from_jsonl_json(crate::audit::keyring(), t, &head_json)?;
                Ok(log.to_jsonl()?.into_bytes())
            });
            agree(
                "audit_chain_from_jsonl",
                r,
                !chain.is_null(),
                || {
                    assert!(!chain.is_null());
                    let mut jsonl: *mut c_char = ptr::null_mut();
                    // SAFETY: a live handle and a valid string.
                    let verified = unsafe { hedui_audit_chain_verify_json(chain, head_c.as_ptr()) };
                    assert_eq!(verified, hedui_result::Ok);
                    // SAFETY: a live handle and a writable output.
                    let written = unsafe { hedui_audit_chain_to_jsonl(chain, &mut jsonl) };
                    assert_eq!(written, hedui_result::Ok);
                    // SAFETY: made by hedui_audit_chain_from_jsonl, freed once.
                    unsafe { hedui_audit_chain_free(chain) };
                    take(jsonl)
                },
                want,
            );
        }
        7 => {
            // SAFETY: a valid string and a writable output.
            let r = unsafe { hedui_report_render_markdown(s, &mut out) };
            let want = expected(text, |t| {
                report::report_render_markdown_json(t).map(String::into_bytes)
            });
            agree(
                "report_render_markdown",
                r,
                !out.is_null(),
                || take(out),
                want,
            );
        }
        _ => {
            let mut valid = false;
            // SAFETY: a valid string and a writable output.
            let r = unsafe { hedui_report_verify_digest(s, &mut valid) };
            let written = valid;
            let want = expected(text, |t| {
                report::report_verify_digest_json(t).map(|v| vec![u8::from(v)])
            });
            agree(
                "report_verify_digest",
                r,
                written,
                || vec![u8::from(valid)],
                want,
            );
        }
    }
}

/// The check of target `capi`.
pub fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (text_bytes, _) = split_at_nul(rest);
    let c = CString::new(text_bytes).expect("no NUL before the cut");
    let text = std::str::from_utf8(text_bytes).ok();
    let mut which =
        usize::from(selector) % (SPECIAL + WITH_RULEBOOK.len() + PLAIN.len() + WITH_KEYRING.len());
    if which < SPECIAL {
        return special(which, &c, text);
    }
    which -= SPECIAL;
    let mut out: *mut c_char = ptr::null_mut();
    let (name, r) = if let Some((name, f)) = WITH_RULEBOOK.get(which) {
        // SAFETY: a NULL rulebook (the built-in one), a valid string, a writable output.
        (*name, unsafe { f(ptr::null(), c.as_ptr(), &mut out) })
    } else if let Some((name, f)) = PLAIN.get(which - WITH_RULEBOOK.len()) {
        // SAFETY: a valid string and a writable output.
        (*name, unsafe { f(c.as_ptr(), &mut out) })
    } else if let Some((name, f)) = WITH_KEYRING.get(which - WITH_RULEBOOK.len() - PLAIN.len()) {
        // SAFETY: NULL rulebook and keyring (built-in, empty), a valid string, a writable output.
        (*name, unsafe {
            f(ptr::null(), ptr::null(), c.as_ptr(), &mut out)
        })
    } else {
        return;
    };
    agree(name, r, !out.is_null(), || take(out), by_name(name, text));
}
