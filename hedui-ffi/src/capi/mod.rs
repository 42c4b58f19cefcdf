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
//! - Text is UTF-8 and NUL-terminated, in and out.
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
mod verify;

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::NonNull;

pub use appeal::{hedui_appeal_file_json, hedui_report_history_record_json};
pub use authorization::hedui_authorization_check_json;
#[allow(deprecated, reason = "the old names stay exported for existing hosts")]
pub use authorization::hedui_check_authorization_json;
pub use error::{
    hedui_error_message, hedui_last_error_code, hedui_last_error_json, hedui_last_error_message,
    hedui_result_raw,
};
#[allow(deprecated, reason = "the old names stay exported for existing hosts")]
pub use population::hedui_coverage_json;
pub use population::{
    hedui_coverage_audit_json, hedui_recheck_schedule_json, hedui_relief_close_json,
    hedui_relief_follow_ups_json, hedui_relief_record_json,
};
pub use query::{hedui_id_check_json, hedui_query_plan_json};
pub use report::{hedui_report_render_markdown, hedui_report_verify_digest};
pub use result::hedui_result;
pub use rulebook::{
    hedui_rulebook, hedui_rulebook_free, hedui_rulebook_from_json, hedui_rulebook_new_default,
    hedui_rulebook_to_json,
};
pub use security::{
    hedui_account_activate_json, hedui_account_login_json, hedui_account_login_unknown_json,
    hedui_account_register_json, hedui_account_set_password_json, hedui_archive_check_json,
    hedui_audit_chain, hedui_audit_chain_append_json, hedui_audit_chain_free,
    hedui_audit_chain_from_jsonl, hedui_audit_chain_head_json, hedui_audit_chain_len,
    hedui_audit_chain_new, hedui_audit_chain_to_jsonl, hedui_audit_chain_verify_json,
    hedui_audit_keyring, hedui_audit_keyring_add, hedui_audit_keyring_free,
    hedui_audit_keyring_new, hedui_lending_detect_json, hedui_password_check_json,
    hedui_permission_check_json, hedui_report_mask_json, hedui_report_sign_json,
    hedui_report_verify_signature_json, hedui_signing_key_trust_json,
};
pub use signing::{
    hedui_report_keyring, hedui_report_keyring_free, hedui_report_keyring_new_json,
    hedui_report_keyring_verify_json, hedui_report_signer, hedui_report_signer_free,
    hedui_report_signer_new, hedui_report_signer_sign_json, hedui_report_signer_trusted_key_json,
};
pub use strings::{hedui_string_free, hedui_version};
pub use verify::{
    HEDUI_BATCH_PARALLEL, hedui_verify_batch_jsonl, hedui_verify_json, hedui_verify_json_at,
};

use crate::failure::Failure;

/// Runs `f` inside the panic boundary: its failure (or panic) is recorded as the thread's
/// last error and turned into a [`hedui_result`].
fn boundary(f: impl FnOnce() -> Result<(), Failure>) -> hedui_result {
    let failure = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return hedui_result::Ok,
        Ok(Err(failure)) => failure,
        Err(payload) => Failure::from_panic(payload.as_ref()),
    };
    error::record(&failure)
}

/// A borrowed UTF-8 text argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays valid and unchanged for `'a`.
unsafe fn str_arg<'a>(ptr: *const c_char, argument: &'static str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(Failure::Null { argument });
    }
    // SAFETY: non-NULL, and the caller promises a NUL-terminated string valid for 'a.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str().map_err(|e| Failure::Utf8 {
        argument,
        valid_up_to: e.valid_up_to(),
    })
}

/// The body of every `hedui_<operation>_json(rulebook?, request_json, out)` call: checks the
/// pointers, runs `op` from `hedui-ops` on the request text and hands out its JSON.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `out` is NULL or valid for a write of one pointer.
unsafe fn json_op(
    rulebook: *const rulebook::hedui_rulebook,
    request_json: *const c_char,
    out: *mut *mut c_char,
    out_name: &'static str,
    op: impl FnOnce(&hedui_core::Rulebook, &str) -> Result<Vec<u8>, Failure>,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(out, out_name)?;
        // SAFETY: forwarded from the caller's contract.
        let request = unsafe { str_arg(request_json, "request_json")? };
        // SAFETY: forwarded from the caller's contract.
        let rb = unsafe { rulebook::hedui_rulebook::or_default(rulebook) };
        let json = c_string(op(rb, request)?)?;
        // SAFETY: `out` is writable by the caller's contract.
        unsafe { write_out(out, json) };
        Ok(())
    })
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
