//! The C ABI, in the manner of rustls-ffi.
//!
//! - Symbols are `hedui_<noun>_<verb>`; opaque handles are made by `_new*` and released by
//!   `_free`.
//! - Every function runs inside a panic boundary and checks every pointer for NULL. A caught
//!   panic returns [`hedui_result::Panic`]; it never unwinds into C.
//! - Fallible functions return a [`hedui_result`] and write their outputs only on success.
//!   On failure the outputs are left untouched, and the detail is kept for the calling
//!   thread: [`hedui_last_error_code`] and [`hedui_last_error_message`].
//! - Ownership, one rule: every `char *` hedui hands out (through a `char **..._out`
//!   parameter) is owned by the caller and released with [`hedui_string_free`], never with
//!   `free()`. `const char *` results ([`hedui_version`], [`hedui_last_error_code`]) are
//!   static and never freed. Input strings are borrowed for the call only.
//! - Text is UTF-8, in and out. Every fallible function has an `_n` form (one naming
//!   scheme: `hedui_<operation>_n`) that takes each text as (pointer, length) — a
//!   `const char *name` followed by `size_t name_len` — and refuses a NUL among its bytes
//!   ([`hedui_result::InputNul`]) and bytes that are not UTF-8 ([`hedui_result::InvalidUtf8`]),
//!   and that hands the error back from the call itself: its last parameter, `char
//!   **error_json_out`, receives NULL on success and the error as one line of JSON on failure
//!   (freed with [`hedui_string_free`]), so a host may read it on any thread. The original
//!   forms take NUL-terminated text and keep working; both share one body and one text
//!   conversion.
//! - A NULL handle is an error ([`hedui_result::NullPointer`]), never a plausible value:
//!   [`hedui_audit_chain_len`] returns `SIZE_MAX` for NULL (and [`hedui_audit_chain_len_n`]
//!   fails). Only the `rulebook` and `keyring` parameters of the rule calls take NULL as
//!   documented values (the built-in rulebook; a keyring that trusts no key).
//!
//! Population rules (R5 coverage, R8 recheck schedule) are JSON in, JSON out like
//! [`hedui_authorization_check_json`]; the audit chain (R11) is an opaque handle like
//! [`hedui_rulebook`]. R4 relief follow-up is JSON in, JSON out over a ledger the host keeps.
//!
//! Every function is named after its operation in `hedui_ops::catalog`:
//! `hedui_<operation>` plus `_json` / `_jsonl` when it exchanges JSON documents. Renamed
//! functions keep their old symbol as a deprecated alias that calls the new one.

mod appeal;
mod authorization;
mod error;
mod population;
mod query;
mod report;
mod result;
mod rulebook;
mod security;
mod signing;
mod strings;
mod tables;
mod verify;

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::NonNull;

pub use appeal::{
    hedui_appeal_file_json, hedui_appeal_file_json_n, hedui_report_history_record_json,
    hedui_report_history_record_json_n,
};
#[allow(deprecated, reason = "the old names stay exported for existing hosts")]
pub use authorization::hedui_check_authorization_json;
pub use authorization::{hedui_authorization_check_json, hedui_authorization_check_json_n};
pub use error::{
    hedui_error_message, hedui_last_error_code, hedui_last_error_json, hedui_last_error_message,
    hedui_result_raw,
};
#[allow(deprecated, reason = "the old names stay exported for existing hosts")]
pub use population::hedui_coverage_json;
pub use population::{
    hedui_coverage_audit_json, hedui_coverage_audit_json_n, hedui_recheck_schedule_json,
    hedui_recheck_schedule_json_n, hedui_relief_close_json, hedui_relief_close_json_n,
    hedui_relief_follow_ups_json, hedui_relief_follow_ups_json_n, hedui_relief_record_json,
    hedui_relief_record_json_n,
};
pub use query::{
    hedui_credit_code_check_json, hedui_credit_code_check_json_n, hedui_id_check_json,
    hedui_id_check_json_n, hedui_query_plan_json, hedui_query_plan_json_n,
    hedui_resident_id_check_json, hedui_resident_id_check_json_n,
};
pub use report::{
    hedui_report_check_printed_json, hedui_report_check_printed_json_n,
    hedui_report_check_use_json, hedui_report_check_use_json_n, hedui_report_render_html,
    hedui_report_render_html_n, hedui_report_render_markdown, hedui_report_render_markdown_n,
    hedui_report_verify_digest, hedui_report_verify_digest_n,
};
pub use result::hedui_result;
pub use rulebook::{
    hedui_rulebook, hedui_rulebook_free, hedui_rulebook_from_json, hedui_rulebook_from_json_n,
    hedui_rulebook_new_default, hedui_rulebook_new_default_n, hedui_rulebook_to_json,
    hedui_rulebook_to_json_n,
};
pub use security::{
    hedui_account_activate_json, hedui_account_activate_json_n, hedui_account_login_json,
    hedui_account_login_json_n, hedui_account_login_unknown_json,
    hedui_account_login_unknown_json_n, hedui_account_register_json, hedui_account_register_json_n,
    hedui_account_set_password_json, hedui_account_set_password_json_n, hedui_archive_check_json,
    hedui_archive_check_json_n, hedui_audit_chain, hedui_audit_chain_append_json,
    hedui_audit_chain_append_json_n, hedui_audit_chain_disposable_json,
    hedui_audit_chain_disposable_json_n, hedui_audit_chain_dispose_json,
    hedui_audit_chain_dispose_json_n, hedui_audit_chain_free, hedui_audit_chain_from_jsonl,
    hedui_audit_chain_from_jsonl_after, hedui_audit_chain_from_jsonl_after_n,
    hedui_audit_chain_from_jsonl_n, hedui_audit_chain_head_json, hedui_audit_chain_head_json_n,
    hedui_audit_chain_len, hedui_audit_chain_len_n, hedui_audit_chain_new, hedui_audit_chain_new_n,
    hedui_audit_chain_to_jsonl, hedui_audit_chain_to_jsonl_n, hedui_audit_chain_verify_json,
    hedui_audit_chain_verify_json_n, hedui_audit_head_open_json, hedui_audit_head_open_json_n,
    hedui_audit_head_sign_json, hedui_audit_head_sign_json_n, hedui_audit_keyring,
    hedui_audit_keyring_add, hedui_audit_keyring_add_n, hedui_audit_keyring_add_with,
    hedui_audit_keyring_add_with_n, hedui_audit_keyring_free, hedui_audit_keyring_new,
    hedui_audit_keyring_new_n, hedui_audit_keyring_new_under, hedui_audit_keyring_new_under_n,
    hedui_document_open_json, hedui_document_open_json_n, hedui_document_seal_json,
    hedui_document_seal_json_n, hedui_lending_detect_json, hedui_lending_detect_json_n,
    hedui_password_check_json, hedui_password_check_json_n, hedui_permission_check_json,
    hedui_permission_check_json_n, hedui_report_mask_json, hedui_report_mask_json_n,
    hedui_report_sign_json, hedui_report_sign_json_n, hedui_report_verify_signature_json,
    hedui_report_verify_signature_json_n, hedui_signing_key_trust_json,
    hedui_signing_key_trust_json_n,
};
pub use signing::{
    hedui_report_keyring, hedui_report_keyring_free, hedui_report_keyring_new_json,
    hedui_report_keyring_new_json_n, hedui_report_keyring_verify_json,
    hedui_report_keyring_verify_json_n, hedui_report_signer, hedui_report_signer_free,
    hedui_report_signer_new, hedui_report_signer_new_n, hedui_report_signer_sign_json,
    hedui_report_signer_sign_json_n, hedui_report_signer_trusted_key_json,
    hedui_report_signer_trusted_key_json_n,
};
pub use strings::{hedui_string_free, hedui_version};
pub use tables::{
    hedui_case_tables_read_json, hedui_case_tables_read_json_n, hedui_case_tables_write_json,
    hedui_case_tables_write_json_n,
};
pub use verify::{
    HEDUI_BATCH_PARALLEL, hedui_verify_batch_jsonl, hedui_verify_batch_jsonl_n, hedui_verify_json,
    hedui_verify_json_at, hedui_verify_json_at_n, hedui_verify_json_n,
};

use crate::failure::Failure;

/// Runs `f` inside the panic boundary: its failure (or panic) is recorded as the thread's
/// last error and turned into a [`hedui_result`], and handed to the caller too: with
/// `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure, a
/// new string with the error as one line of JSON (the object `hedui_last_error_json` gives),
/// owned by the caller and released with [`hedui_string_free`].
///
/// # Safety
/// `error_json_out` is NULL or valid for a write of one pointer.
unsafe fn boundary_err(
    error_json_out: *mut *mut c_char,
    f: impl FnOnce() -> Result<(), Failure>,
) -> hedui_result {
    let failure = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => {
            if let Some(out) = NonNull::new(error_json_out) {
                // SAFETY: writable by the caller's contract.
                unsafe { write_out(out, std::ptr::null_mut()) };
            }
            return hedui_result::Ok;
        }
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::from_panic(payload.as_ref()),
    };
    let (result, detail) = error::record(&failure);
    if let Some(out) = NonNull::new(error_json_out) {
        // The detail is serde_json output, which escapes every control character: it holds
        // no NUL, so the fallback never happens.
        let json = CString::new(detail).map_or(std::ptr::null_mut(), CString::into_raw);
        // SAFETY: writable by the caller's contract.
        unsafe { write_out(out, json) };
    }
    result
}

/// A text argument as the caller passed it: NUL-terminated (the original forms) or as
/// (pointer, length) (the `_n` forms). Both become `&str` through [`Text::get`], the one
/// conversion every call uses.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Text {
    /// A NUL-terminated string, or NULL.
    Terminated(*const c_char),
    /// `len` bytes at a pointer, or NULL; a NUL byte among them is refused.
    Counted(*const c_char, usize),
}

impl Text {
    /// Whether the caller passed NULL (an optional argument left out).
    pub(crate) fn is_null(self) -> bool {
        match self {
            Text::Terminated(p) | Text::Counted(p, _) => p.is_null(),
        }
    }

    /// The text, checked: NULL fails with [`Failure::Null`] (`null_pointer`), a NUL byte in
    /// counted text with [`Failure::Nul`] (`input_nul`), bytes that are not UTF-8 with
    /// [`Failure::Utf8`] (`input_utf8`), a length beyond `isize::MAX` with
    /// [`Failure::InvalidArgument`].
    ///
    /// # Safety
    /// For [`Text::Terminated`], the pointer is NULL or a NUL-terminated string; for
    /// [`Text::Counted`], NULL or valid for `len` bytes of reads; either stays valid and
    /// unchanged for `'a`.
    pub(crate) unsafe fn get<'a>(self, argument: &'static str) -> Result<&'a str, Failure> {
        if self.is_null() {
            return Err(Failure::Null { argument });
        }
        let bytes: &'a [u8] = match self {
            // SAFETY: non-NULL, and the caller promises a NUL-terminated string valid for 'a.
            Text::Terminated(p) => unsafe { CStr::from_ptr(p) }.to_bytes(),
            Text::Counted(p, len) => {
                if isize::try_from(len).is_err() {
                    return Err(Failure::InvalidArgument {
                        message: format!("`{argument}_len` is larger than any buffer: {len}"),
                    });
                }
                // SAFETY: non-NULL, valid for `len` bytes for 'a by the caller's contract,
                // and `len` fits in isize.
                let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) };
                if let Some(offset) = bytes.iter().position(|&b| b == 0) {
                    return Err(Failure::Nul { argument, offset });
                }
                bytes
            }
        };
        std::str::from_utf8(bytes).map_err(|e| Failure::Utf8 {
            argument,
            valid_up_to: e.valid_up_to(),
        })
    }

    /// The text, or `None` for NULL (an optional argument); otherwise as [`Text::get`].
    ///
    /// # Safety
    /// As [`Text::get`].
    pub(crate) unsafe fn get_opt<'a>(
        self,
        argument: &'static str,
    ) -> Result<Option<&'a str>, Failure> {
        if self.is_null() {
            return Ok(None);
        }
        // SAFETY: forwarded from the caller's contract.
        unsafe { self.get(argument) }.map(Some)
    }
}

/// The body of every `hedui_<operation>_json(rulebook?, request_json, out)` call and its
/// `_n` form: checks the pointers, runs `op` from `hedui-ops` on the request text and hands
/// out its JSON.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` as [`Text::get`]; `out` and
/// `error_json_out` are NULL or valid for a write of one pointer.
unsafe fn json_op(
    rulebook: *const rulebook::hedui_rulebook,
    request_json: Text,
    out: *mut *mut c_char,
    out_name: &'static str,
    error_json_out: *mut *mut c_char,
    op: impl FnOnce(&hedui_core::Rulebook, &str) -> Result<Vec<u8>, Failure>,
) -> hedui_result {
    let body = || {
        let out = out_arg(out, out_name)?;
        // SAFETY: forwarded from the caller's contract.
        let request = unsafe { request_json.get("request_json")? };
        // SAFETY: forwarded from the caller's contract.
        let rb = unsafe { rulebook::hedui_rulebook::or_default(rulebook) };
        let json = c_string(op(rb, request)?)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { write_out(out, json) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// A non-NULL output pointer.
fn out_arg<T>(ptr: *mut T, argument: &'static str) -> Result<NonNull<T>, Failure> {
    NonNull::new(ptr).ok_or(Failure::Null { argument })
}

/// Moves bytes into a C string the caller frees with [`hedui_string_free`].
fn c_string(bytes: Vec<u8>) -> Result<*mut c_char, Failure> {
    CString::new(bytes)
        .map(CString::into_raw)
        .map_err(|_| Failure::OutputNul)
}

/// Writes `value` through an output pointer checked by [`out_arg`].
///
/// # Safety
/// `out` is valid for a write of `T` (the caller's contract for every `_out` parameter).
unsafe fn write_out<T>(out: NonNull<T>, value: T) {
    // SAFETY: non-NULL by construction; writable by the caller's contract. `write` does not
    // drop the old (possibly uninitialized) value.
    unsafe { out.as_ptr().write(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boundary(f: impl FnOnce() -> Result<(), Failure>) -> hedui_result {
        // SAFETY: a NULL error pointer is never written.
        unsafe { boundary_err(std::ptr::null_mut(), f) }
    }

    #[test]
    fn a_panic_becomes_a_result_and_the_last_error() {
        let r = boundary(|| panic!("boom"));
        assert_eq!(r, hedui_result::Panic);
        // SAFETY: a static NUL-terminated string.
        let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
        assert_eq!(code.to_str().unwrap(), "panic");
        let mut buf = [0 as c_char; 128];
        // SAFETY: buf is valid for its length.
        let n = unsafe { hedui_last_error_message(buf.as_mut_ptr(), buf.len()) };
        // SAFETY: NUL-terminated by hedui_last_error_message.
        let msg = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        assert_eq!(n, msg.len());
        assert!(msg.ends_with("boom"), "{msg}");
    }

    fn last_error_json() -> serde_json::Value {
        let mut buf = vec![0 as c_char; 4096];
        // SAFETY: buf is valid for its length.
        let n = unsafe { hedui_last_error_json(buf.as_mut_ptr(), buf.len()) };
        assert!(n < buf.len());
        // SAFETY: NUL-terminated by hedui_last_error_json.
        let text = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn the_last_error_as_json_carries_the_catalog_entry_and_fields() {
        let e = hedui_core::Error::from(hedui_core::error::EntrustmentError::Missing);
        let r = boundary(|| Err(Failure::Core(e)));
        assert_eq!(r, hedui_result::EntrustmentMissing);
        let d = last_error_json();
        assert_eq!(d["code"], "entrustment_missing");
        assert_eq!(d["area"], "entrustment");
        assert_eq!(d["rule"], "R2");
        assert_eq!(d["clause"], "N §二(一)");
        assert_eq!(d["result"], 4002);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("R2 no-entrust-no-check")
        );

        let e = hedui_core::Error::from(hedui_core::error::IdError::CreditLength { len: 3 });
        let _ = boundary(|| Err(Failure::Core(e)));
        let d = last_error_json();
        assert_eq!(d["fields"]["len"], 3);
        assert_eq!(d["rule"], serde_json::Value::Null);

        let _ = boundary(|| {
            Err(Failure::Null {
                argument: "case_json",
            })
        });
        let d = last_error_json();
        assert_eq!(d["code"], "null_pointer");
        assert_eq!(d["area"], "argument");
        assert_eq!(d["result"], 1000);
    }

    #[test]
    fn one_conversion_for_both_kinds_of_text() {
        let ok = b"{\"a\":\"\xe6\xa0\xb8\"}";
        // SAFETY: a slice valid for its length, a NUL-terminated literal.
        unsafe {
            assert_eq!(
                Text::Counted(ok.as_ptr().cast(), ok.len())
                    .get("t")
                    .unwrap(),
                "{\"a\":\"核\"}"
            );
            assert_eq!(Text::Terminated(c"{}".as_ptr()).get("t").unwrap(), "{}");
            assert_eq!(Text::Counted(ok.as_ptr().cast(), 0).get("t").unwrap(), "");

            let nul = b"ab\0cd";
            match Text::Counted(nul.as_ptr().cast(), nul.len()).get("t") {
                Err(Failure::Nul { argument, offset }) => assert_eq!((argument, offset), ("t", 2)),
                other => panic!("{other:?}"),
            }
            // the same bytes NUL-terminated are "ab": a C string cannot say more
            assert_eq!(
                Text::Terminated(nul.as_ptr().cast()).get("t").unwrap(),
                "ab"
            );

            let bad = b"ab\xffcd";
            match Text::Counted(bad.as_ptr().cast(), bad.len()).get("t") {
                Err(Failure::Utf8 { valid_up_to, .. }) => assert_eq!(valid_up_to, 2),
                other => panic!("{other:?}"),
            }
            assert!(matches!(
                Text::Counted(std::ptr::null(), 3).get("t"),
                Err(Failure::Null { argument: "t" })
            ));
            assert!(matches!(
                Text::Terminated(std::ptr::null()).get("t"),
                Err(Failure::Null { argument: "t" })
            ));
            assert!(matches!(
                Text::Counted(ok.as_ptr().cast(), usize::MAX).get("t"),
                Err(Failure::InvalidArgument { .. })
            ));
            assert_eq!(
                Text::Counted(std::ptr::null(), 0).get_opt("t").unwrap(),
                None
            );
            assert!(
                Text::Counted(nul.as_ptr().cast(), nul.len())
                    .get_opt("t")
                    .is_err()
            );
        }
        let r = boundary(|| {
            Err(Failure::Nul {
                argument: "case_json",
                offset: 7,
            })
        });
        assert_eq!(r, hedui_result::InputNul);
        // SAFETY: a static NUL-terminated string.
        let code = unsafe { CStr::from_ptr(hedui_last_error_code()) };
        assert_eq!(code.to_str().unwrap(), "input_nul");
    }

    #[test]
    fn the_error_out_parameter_gets_the_last_error_json() {
        let mut error = std::ptr::null_mut();
        // SAFETY: `error` is a writable local.
        let r = unsafe { boundary_err(&mut error, || Err(Failure::OutputNul)) };
        assert_eq!(r, hedui_result::OutputNul);
        // SAFETY: a NUL-terminated string from boundary_err.
        let text = unsafe { CStr::from_ptr(error) }
            .to_str()
            .unwrap()
            .to_owned();
        // SAFETY: made by boundary_err, freed once.
        unsafe { hedui_string_free(error) };
        assert_eq!(serde_json::to_string(&last_error_json()).unwrap(), text);
        let mut error = c"stale".as_ptr().cast_mut();
        // SAFETY: `error` is a writable local.
        let r = unsafe { boundary_err(&mut error, || Ok(())) };
        assert_eq!(r, hedui_result::Ok);
        assert!(error.is_null());
        // a panic gives its error through the parameter too
        let mut error = std::ptr::null_mut();
        // SAFETY: `error` is a writable local.
        let r = unsafe { boundary_err(&mut error, || panic!("boom")) };
        assert_eq!(r, hedui_result::Panic);
        // SAFETY: a NUL-terminated string from boundary_err.
        let text = unsafe { CStr::from_ptr(error) }
            .to_str()
            .unwrap()
            .to_owned();
        // SAFETY: made by boundary_err, freed once.
        unsafe { hedui_string_free(error) };
        assert!(text.contains("\"code\":\"panic\""), "{text}");
    }

    #[test]
    fn messages_are_cut_at_character_boundaries() {
        let mut buf = [0x7f as c_char; 6];
        // SAFETY: buf is valid for its length.
        let n = unsafe { error::copy_out("核对报告", buf.as_mut_ptr(), buf.len()) };
        assert_eq!(n, "核对报告".len());
        // SAFETY: NUL-terminated by copy_out.
        let cut = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
        assert_eq!(cut, "核");
    }
}
