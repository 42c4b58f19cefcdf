//! Strings hedui hands out, and the version.

use std::ffi::{CStr, CString, c_char};
use std::panic::catch_unwind;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"unknown",
    };

/// The hedui version, e.g. `"0.1.0"`. Static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn hedui_version() -> *const c_char {
    catch_unwind(|| VERSION.as_ptr()).unwrap_or(c"unknown".as_ptr())
}

/// Releases a string hedui returned through a `char **..._out` parameter. NULL is ignored.
/// Only strings from hedui may be passed, each once; never `free()` them, and never pass the
/// static strings of `hedui_version` or `hedui_last_error_code`.
///
/// # Safety
/// `s` is NULL or a string returned by hedui and not yet released.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: made by CString::into_raw in `capi::c_string` (caller's contract), so the
        // allocation and its length (up to the NUL) are what CString expects.
        drop(unsafe { CString::from_raw(s) });
    });
}
