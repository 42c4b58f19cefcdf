//! The rulebook handle: every number a rule uses, loaded once and shared by many calls.

use std::panic::catch_unwind;

use hedui_core::Rulebook;

use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
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
    boundary(|| {
        let out = out_arg(rulebook_out, "rulebook_out")?;
        let rb = boxed(args::default_rulebook().clone());
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, rb) };
        Ok(())
    })
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
    rulebook_json: *const std::ffi::c_char,
    rulebook_out: *mut *mut hedui_rulebook,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(rulebook_out, "rulebook_out")?;
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { str_arg(rulebook_json, "rulebook_json")? };
        let rb = boxed(Rulebook::from_json(text)?);
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, rb) };
        Ok(())
    })
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
    rulebook_json_out: *mut *mut std::ffi::c_char,
) -> hedui_result {
    boundary(|| {
        let out = out_arg(rulebook_json_out, "rulebook_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let json = c_string(rb.to_json().into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, json) };
        Ok(())
    })
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
