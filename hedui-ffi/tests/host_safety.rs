//! A C ABI hosts cannot misuse: the `_n` forms take text as (pointer, length) and refuse a
//! NUL or invalid UTF-8 among its bytes, every failure can be taken from the call itself
//! (`error_json_out`) on any thread, and a NULL handle is an error, never a plausible value.
//! The C program `tests/c/test_hedui.c` and the JVM host `tests/jvm/` check the same through
//! the built library.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::ffi::{CStr, CString, c_char};
use std::fs;
use std::ptr::{null, null_mut};

use hedui_ffi::capi::*;

const ISSUED_AT: &str = "2026-11-29T10:00:00+08:00";

/// Takes a string hedui handed out and frees it.
fn take(p: *mut c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: a NUL-terminated string from hedui, freed once below.
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    // SAFETY: from hedui, not yet freed.
    unsafe { hedui_string_free(p) };
    s
}

fn json(p: *mut c_char) -> serde_json::Value {
    serde_json::from_str(&take(p)).unwrap()
}

fn last_code() -> String {
    // SAFETY: a static NUL-terminated string.
    unsafe { CStr::from_ptr(hedui_last_error_code()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn good_case() -> String {
    fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json")).unwrap()
}

/// `hedui_verify_json_at_n` over bytes: the result, the report (or NULL) and the error JSON
/// (or NULL).
fn verify_n(case: &[u8]) -> (hedui_result, *mut c_char, *mut c_char) {
    let mut report = null_mut();
    let mut error = null_mut();
    // SAFETY: slices valid for their lengths, writable outputs.
    let r = unsafe {
        hedui_verify_json_at_n(
            null(),
            case.as_ptr().cast(),
            case.len(),
            ISSUED_AT.as_ptr().cast(),
            ISSUED_AT.len(),
            &mut report,
            &mut error,
        )
    };
    (r, report, error)
}

/// The C string forms stop at the first NUL: "good case + NUL + anything" is the good case
/// to them. The `_n` form sees every byte and refuses it with its own result.
#[test]
fn counted_text_refuses_a_nul_inside() {
    let good = good_case();
    let mut smuggled = good.clone().into_bytes();
    smuggled.push(0);
    smuggled.extend_from_slice(br#"{"case_id":"other"}"#);

    // the NUL-terminated form reads up to the NUL: the good case
    let c = CString::new(good.clone()).unwrap();
    let at = CString::new(ISSUED_AT).unwrap();
    let mut report = null_mut();
    // SAFETY: NUL-terminated inputs, a writable output.
    let r = unsafe { hedui_verify_json_at(null(), c.as_ptr(), at.as_ptr(), &mut report) };
    assert_eq!(r, hedui_result::Ok);
    let expected = take(report);

    let (r, report, error) = verify_n(&smuggled);
    assert_eq!(r, hedui_result::InputNul);
    assert!(report.is_null(), "output written on failure");
    let e = json(error);
    assert_eq!(e["code"], "input_nul");
    assert_eq!(e["area"], "argument");
    assert_eq!(e["result"], 1005);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains(&format!("offset {}", good.len())),
        "{e}"
    );
    assert_eq!(
        last_code(),
        "input_nul",
        "the thread-local error is kept too"
    );

    // without the NUL the same bytes give the same report as the C string form
    let (r, report, error) = verify_n(good.as_bytes());
    assert_eq!(r, hedui_result::Ok);
    assert!(error.is_null());
    assert_eq!(take(report), expected);
}

#[test]
fn counted_text_refuses_invalid_utf8_and_null() {
    let (r, report, error) = verify_n(b"{\"case_id\": \"\xff\xfe\"}");
    assert_eq!(r, hedui_result::InvalidUtf8);
    assert!(report.is_null());
    let e = json(error);
    assert_eq!(e["code"], "input_utf8");
    assert_eq!(e["result"], 1001);

    let mut out = null_mut();
    let mut error = null_mut();
    // SAFETY: NULL text with a length is refused before any read.
    let r = unsafe { hedui_verify_json_n(null(), null(), 10, &mut out, &mut error) };
    assert_eq!(r, hedui_result::NullPointer);
    assert_eq!(json(error)["code"], "null_pointer");

    // a length no buffer can have is refused before any read
    let mut error = null_mut();
    // SAFETY: the length is refused before the pointer is read.
    let r =
        unsafe { hedui_verify_json_n(null(), c"{}".as_ptr(), usize::MAX, &mut out, &mut error) };
    assert_eq!(r, hedui_result::InvalidArgument);
    assert_eq!(json(error)["code"], "invalid_argument");
    assert!(out.is_null());
}

/// Every kind of `_n` call goes through the one conversion: a NUL in any of its texts (the
/// second of several, the optional one, a JSON request, a rulebook, a key id, a batch) is
/// refused with `input_nul` naming that argument.
#[test]
fn every_kind_of_counted_text_refuses_a_nul() {
    fn check(r: hedui_result, error: *mut c_char, argument: &str) {
        assert_eq!(r, hedui_result::InputNul, "{argument}");
        let e = json(error);
        assert_eq!(e["code"], "input_nul");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains(&format!("`{argument}`")),
            "{e}"
        );
    }
    let nul = b"{}\0{}";
    let p = nul.as_ptr().cast::<c_char>();
    let n = nul.len();
    let date = b"2026-11-29";
    let d = date.as_ptr().cast::<c_char>();
    let mut out = null_mut();
    let mut out2 = null_mut();
    let mut error = null_mut();
    // SAFETY: every pointer is valid for its length; outputs are writable locals.
    unsafe {
        check(
            hedui_id_check_json_n(null(), p, n, &mut out, &mut error),
            error,
            "request_json",
        );
        check(
            hedui_rulebook_from_json_n(p, n, &mut null_mut(), &mut error),
            error,
            "rulebook_json",
        );
        check(
            hedui_verify_batch_jsonl_n(null(), p, n, null(), 0, 0, &mut out, &mut out2, &mut error),
            error,
            "cases_jsonl",
        );
        check(
            hedui_relief_record_json_n(null(), p, n, c"{}".as_ptr(), 2, &mut out, &mut error),
            error,
            "ledger_json",
        );
        check(
            hedui_relief_close_json_n(
                null(),
                null(),
                c"{}".as_ptr(),
                2,
                p,
                n,
                c"{}".as_ptr(),
                2,
                d,
                date.len(),
                &mut out,
                &mut error,
            ),
            error,
            "reference",
        );
        check(
            hedui_report_signer_new_n(p, n, [7u8; 32].as_ptr(), 32, &mut null_mut(), &mut error),
            error,
            "key_id",
        );
        check(
            hedui_recheck_schedule_json_n(null(), c"[]".as_ptr(), 2, p, n, &mut out, &mut error),
            error,
            "as_of_date",
        );
    }
    assert!(
        out.is_null() && out2.is_null(),
        "outputs written on failure"
    );
}

/// A host's thread pool may run a call on one thread and read its error on another: the
/// error from the call is the call's, whatever thread reads it, while the thread-local last
/// error of the reading thread knows nothing of it.
#[test]
fn the_error_from_the_call_can_be_read_on_another_thread() {
    let cases = hedui_tests::corpus_dir().join("cases");
    let bad = fs::read_to_string(cases.join("missing-precheck.json")).unwrap();
    let other = fs::read_to_string(cases.join("bad-resident-id.json")).unwrap();
    let handles: Vec<_> = [bad, other]
        .into_iter()
        .map(|case| {
            std::thread::spawn(move || {
                let (r, report, error) = verify_n(case.as_bytes());
                assert!(report.is_null());
                (r, error as usize, last_code())
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let reader = std::thread::spawn(move || {
        let mut codes = Vec::new();
        for (r, error, code_on_caller) in results {
            let e = json(error as *mut c_char);
            assert_eq!(e["code"], code_on_caller.as_str());
            assert_eq!(e["result"], r as u32);
            codes.push(code_on_caller);
        }
        // this thread made no call: its thread-local error is empty
        assert_eq!(last_code(), "");
        codes
    });
    let codes = reader.join().unwrap();
    assert_eq!(codes, ["precheck_missing", "id_resident_checksum"]);
}

/// `*error_json_out` is always written when given: NULL on success, so a host reusing one
/// variable never reads a stale error.
#[test]
fn a_successful_call_clears_the_error_out_parameter() {
    let good = good_case();
    let mut stale = c"not an error".as_ptr().cast_mut();
    let mut report = null_mut();
    // SAFETY: valid lengths, writable outputs; `stale` is never freed.
    let r = unsafe {
        hedui_verify_json_at_n(
            null(),
            good.as_ptr().cast(),
            good.len(),
            ISSUED_AT.as_ptr().cast(),
            ISSUED_AT.len(),
            &mut report,
            &mut stale,
        )
    };
    assert_eq!(r, hedui_result::Ok);
    assert!(stale.is_null());
    take(report);
}

/// A NULL handle is an error, never a value a live handle could give.
#[test]
fn null_handles_are_errors_not_values() {
    // SAFETY: NULL handles are checked before any use.
    unsafe {
        // an empty chain has length 0: NULL must not look like one
        assert_eq!(hedui_audit_chain_len(null()), usize::MAX);
        assert_eq!(last_code(), "null_pointer");

        let mut len = 42usize;
        let mut error = null_mut();
        let r = hedui_audit_chain_len_n(null(), &mut len, &mut error);
        assert_eq!(r, hedui_result::NullPointer);
        assert_eq!(len, 42, "output written on failure");
        assert_eq!(json(error)["code"], "null_pointer");

        let key = [9u8; 32];
        let mut ring = null_mut();
        assert_eq!(
            hedui_audit_keyring_new_n(&mut ring, null_mut()),
            hedui_result::Ok
        );
        assert_eq!(
            hedui_audit_keyring_add_n(ring, c"k1".as_ptr(), 2, key.as_ptr(), key.len(), null_mut()),
            hedui_result::Ok
        );
        let mut chain = null_mut();
        assert_eq!(
            hedui_audit_chain_new_n(c"A-1".as_ptr(), 3, ring, &mut chain, null_mut()),
            hedui_result::Ok
        );
        hedui_audit_keyring_free(ring);
        assert_eq!(hedui_audit_chain_len(chain), 0);
        let r = hedui_audit_chain_len_n(chain, &mut len, &mut error);
        assert_eq!((r, len), (hedui_result::Ok, 0));
        assert!(error.is_null());
        hedui_audit_chain_free(chain);

        let mut error = null_mut();
        assert_eq!(
            hedui_audit_chain_verify_json_n(null(), c"{}".as_ptr(), 2, &mut error),
            hedui_result::NullPointer
        );
        assert!(json(error)["message"].as_str().unwrap().contains("`chain`"));
        let mut out = null_mut();
        let mut error = null_mut();
        assert_eq!(
            hedui_audit_chain_append_json_n(null_mut(), c"{}".as_ptr(), 2, &mut out, &mut error),
            hedui_result::NullPointer
        );
        assert_eq!(json(error)["code"], "null_pointer");
        let mut error = null_mut();
        assert_eq!(
            hedui_report_signer_sign_json_n(null(), c"{}".as_ptr(), 2, &mut out, &mut error),
            hedui_result::NullPointer
        );
        assert!(
            json(error)["message"]
                .as_str()
                .unwrap()
                .contains("`signer`")
        );
        let mut error = null_mut();
        assert_eq!(
            hedui_report_keyring_verify_json_n(null(), c"{}".as_ptr(), 2, &mut out, &mut error),
            hedui_result::NullPointer
        );
        assert!(
            json(error)["message"]
                .as_str()
                .unwrap()
                .contains("`keyring`")
        );
        let mut error = null_mut();
        assert_eq!(
            hedui_report_verify_digest_n(c"{}".as_ptr(), 2, null_mut(), &mut error),
            hedui_result::NullPointer
        );
        assert!(
            json(error)["message"]
                .as_str()
                .unwrap()
                .contains("`valid_out`")
        );
        assert!(out.is_null());
    }
}

/// The whole corpus gives the same bytes through the `_n` form as through the C string form
/// (and so as through Rust: `tests/corpus.rs`).
#[test]
fn counted_forms_reproduce_the_corpus() {
    let dir = hedui_tests::corpus_dir();
    let mut names: Vec<_> = fs::read_dir(dir.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let text = fs::read(&path).unwrap();
        let expected =
            fs::read_to_string(dir.join("expected").join(path.file_name().unwrap())).unwrap();
        let (r, report, error) = verify_n(&text);
        let outcome = if r == hedui_result::Ok {
            assert!(error.is_null());
            take(report) + "\n"
        } else {
            assert!(report.is_null());
            format!(
                "{{\"error\":\"{}\"}}\n",
                json(error)["code"].as_str().unwrap()
            )
        };
        assert_eq!(outcome, expected, "{}", path.display());
    }
}

/// A declaration of the header: name, parameters (normalised), deprecated or not.
struct Declaration {
    name: String,
    params: Vec<String>,
    deprecated: bool,
}

fn declarations(header: &str, returns: &str) -> Vec<Declaration> {
    let mut out = Vec::new();
    let mut rest = header;
    let marker = format!("\n{returns} hedui_");
    while let Some(i) = rest.find(&marker) {
        let before = &rest[..i];
        let start = i + 1 + returns.len() + 1;
        let open = rest[start..].find('(').unwrap() + start;
        let close = rest[open..].find(')').unwrap() + open;
        let name = rest[start..open].to_owned();
        let params = rest[open + 1..close]
            .split(',')
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty() && p != "void")
            .collect();
        let deprecated = before
            .rsplit("*/")
            .next()
            .is_some_and(|tail| tail.contains("HEDUI_DEPRECATED"));
        out.push(Declaration {
            name,
            params,
            deprecated,
        });
        rest = &rest[close..];
    }
    out
}

/// One naming scheme, checked on the committed header: every fallible function has an `_n`
/// form whose parameters are the original ones with a `size_t <name>_len` after each
/// `const char *<name>`, and `char **error_json_out` last.
#[test]
fn every_fallible_function_has_its_n_form() {
    let header = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("include/hedui.h"),
    )
    .unwrap();
    let all = declarations(&header, "hedui_result");
    let by_name = |n: &str| all.iter().find(|d| d.name == n);
    let mut checked = 0;
    for d in all
        .iter()
        .filter(|d| !d.deprecated && !d.name.ends_with("_n"))
    {
        let n_form = by_name(&format!("{}_n", d.name))
            .unwrap_or_else(|| panic!("{} has no _n form", d.name));
        let mut wanted = Vec::new();
        for p in &d.params {
            wanted.push(p.clone());
            if let Some(text) = p.strip_prefix("const char *") {
                wanted.push(format!("size_t {text}_len"));
            }
        }
        wanted.push("char **error_json_out".to_owned());
        assert_eq!(n_form.params, wanted, "{}_n", d.name);
        checked += 1;
    }
    assert!(
        checked >= 40,
        "only {checked} functions found in the header"
    );
    // and the one function returning a count has its checked form
    let len_n = by_name("hedui_audit_chain_len_n").unwrap();
    assert_eq!(
        len_n.params,
        [
            "const hedui_audit_chain *chain",
            "size_t *len_out",
            "char **error_json_out"
        ]
    );
    // no `_n` form takes NUL-terminated text without its length
    for d in all.iter().filter(|d| d.name.ends_with("_n")) {
        for (i, p) in d.params.iter().enumerate() {
            if let Some(text) = p.strip_prefix("const char *") {
                assert_eq!(
                    d.params.get(i + 1).map(String::as_str),
                    Some(format!("size_t {text}_len").as_str()),
                    "{}: `{p}` without its length",
                    d.name
                );
            }
        }
    }
}
