//! The rulebook handle: every number a rule uses, loaded once and shared by many calls.

use std::ffi::c_char;
use std::panic::catch_unwind;

use hedui_core::Rulebook;

use super::{Text, boundary_err, c_string, out_arg, result::hedui_result, write_out};
use hedui_ops::args;

/// An opaque rulebook: every number the rules use (docs/rules.md#defaults or a deployment's
/// own). Made by `hedui_rulebook_new_default` or `hedui_rulebook_from_json`, released with
/// `hedui_rulebook_free`. It is immutable: one handle may be used by many threads at once.
#[derive(Debug)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_rulebook`"
)]
pub struct hedui_rulebook {
    pub(crate) inner: Rulebook,
}

impl hedui_rulebook {
    /// The rulebook behind a handle, or the built-in one for NULL.
    ///
    /// # Safety
    /// `ptr` is NULL or a live handle from `hedui_rulebook_new_default`/`_from_json`.
    pub(crate) unsafe fn or_default<'a>(ptr: *const hedui_rulebook) -> &'a Rulebook {
        // SAFETY: by the caller's contract a non-NULL pointer is a live handle.
        match unsafe { ptr.as_ref() } {
            Some(rb) => &rb.inner,
            None => args::default_rulebook(),
        }
    }
}

fn boxed(inner: Rulebook) -> *mut hedui_rulebook {
    Box::into_raw(Box::new(hedui_rulebook { inner }))
}

/// Makes a handle on the built-in rulebook (version `hedui-default-2026.1`: the defaults
/// of docs/rules.md#defaults, 2024-2026 holiday data, default sharing agreements).
///
/// On success `*rulebook_out` receives a new handle, owned by the caller and released with
/// `hedui_rulebook_free`.
///
/// # Safety
/// `rulebook_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_new_default(
    rulebook_out: *mut *mut hedui_rulebook,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_rulebook_new_default_impl(rulebook_out, std::ptr::null_mut()) }
}

/// `hedui_rulebook_new_default` with the error handed back by the call: the `_n` form. With
/// `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure, the
/// error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller and
/// released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_rulebook_new_default`; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_new_default_n(
    rulebook_out: *mut *mut hedui_rulebook,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_rulebook_new_default_impl(rulebook_out, error_json_out) }
}

/// Shared body of `hedui_rulebook_new_default` and `hedui_rulebook_new_default_n`.
///
/// # Safety
/// As `hedui_rulebook_new_default_n` (texts as [`Text::get`]).
unsafe fn hedui_rulebook_new_default_impl(
    rulebook_out: *mut *mut hedui_rulebook,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(rulebook_out, "rulebook_out")?;
        let rb = boxed(args::default_rulebook().clone());
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, rb) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Reads a rulebook from JSON (the shape `hedui_rulebook_to_json` writes) and checks every
/// value's range.
///
/// On success `*rulebook_out` receives a new handle, owned by the caller and released with
/// `hedui_rulebook_free`. Fails with `HEDUI_RESULT_INPUT_JSON` for malformed JSON or unknown
/// fields, `HEDUI_RESULT_RULEBOOK_OUT_OF_BOUNDS` for a security setting outside its policy
/// bounds and `HEDUI_RESULT_INPUT_RULEBOOK` for another value out of range.
///
/// # Safety
/// `rulebook_json` is NULL or a NUL-terminated string; `rulebook_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_from_json(
    rulebook_json: *const c_char,
    rulebook_out: *mut *mut hedui_rulebook,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_rulebook_from_json_impl(
            Text::Terminated(rulebook_json),
            rulebook_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_rulebook_from_json` with `rulebook_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_rulebook_from_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_from_json_n(
    rulebook_json: *const c_char,
    rulebook_json_len: usize,
    rulebook_out: *mut *mut hedui_rulebook,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_rulebook_from_json_impl(
            Text::Counted(rulebook_json, rulebook_json_len),
            rulebook_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_rulebook_from_json` and `hedui_rulebook_from_json_n`.
///
/// # Safety
/// As `hedui_rulebook_from_json_n` (texts as [`Text::get`]).
unsafe fn hedui_rulebook_from_json_impl(
    rulebook_json: Text,
    rulebook_out: *mut *mut hedui_rulebook,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(rulebook_out, "rulebook_out")?;
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { rulebook_json.get("rulebook_json")? };
        let rb = boxed(Rulebook::from_json(text)?);
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, rb) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Writes the rulebook as pretty JSON, the document `hedui_rulebook_from_json` reads. A NULL
/// `rulebook` means the built-in one.
///
/// On success `*rulebook_json_out` receives a new string, owned by the caller and released
/// with `hedui_string_free`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `rulebook_json_out` is NULL or valid for a write of
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_to_json(
    rulebook: *const hedui_rulebook,
    rulebook_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_rulebook_to_json_impl(rulebook, rulebook_json_out, std::ptr::null_mut()) }
}

/// `hedui_rulebook_to_json` with the error handed back by the call: the `_n` form. With
/// `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure, the
/// error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller and
/// released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_rulebook_to_json`; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_to_json_n(
    rulebook: *const hedui_rulebook,
    rulebook_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_rulebook_to_json_impl(rulebook, rulebook_json_out, error_json_out) }
}

/// Shared body of `hedui_rulebook_to_json` and `hedui_rulebook_to_json_n`.
///
/// # Safety
/// As `hedui_rulebook_to_json_n` (texts as [`Text::get`]).
unsafe fn hedui_rulebook_to_json_impl(
    rulebook: *const hedui_rulebook,
    rulebook_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(rulebook_json_out, "rulebook_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let json = c_string(rb.to_json().into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, json) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Releases a rulebook handle. NULL is ignored. Using the handle afterwards, or freeing it
/// twice, is undefined behaviour.
///
/// # Safety
/// `rulebook` is NULL or a live handle from `hedui_rulebook_new_default` or
/// `hedui_rulebook_from_json` that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_rulebook_free(rulebook: *mut hedui_rulebook) {
    if rulebook.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: a live handle made by Box::into_raw in this module (caller's contract).
        drop(unsafe { Box::from_raw(rulebook) });
    });
}
