//! Error messages: a fixed description per [`hedui_result`], and the detail of the last
//! failure on each thread.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::panic::catch_unwind;
use std::sync::{Mutex, OnceLock};

use super::result::hedui_result;
use crate::failure::Failure;

/// The last failure on a thread.
struct LastError {
    code: &'static CStr,
    message: String,
    /// The structured detail as compact JSON (see `hedui_last_error_json`).
    detail: String,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// A code as a static C string: from the result table, or interned once per distinct code
/// (codes are a small fixed set of `&'static str`, so the interner stays small).
fn static_code(code: &'static str, known: Option<&'static CStr>) -> &'static CStr {
    if let Some(c) = known {
        return c;
    }
    static INTERNED: OnceLock<Mutex<HashMap<&'static str, &'static CStr>>> = OnceLock::new();
    let map = INTERNED.get_or_init(|| Mutex::new(HashMap::new()));
    let Ok(mut map) = map.lock() else {
        return c"internal";
    };
    let interned: &mut &'static CStr =
        map.entry(code).or_insert_with(|| match CString::new(code) {
            Ok(c) => Box::leak(c.into_boxed_c_str()),
            Err(_) => c"internal",
        });
    interned
}

/// Records `failure` as the calling thread's last error and returns its result number and
/// its detail as one line of JSON (what `hedui_last_error_json` gives).
pub(super) fn record(failure: &Failure) -> (hedui_result, String) {
    let (result, known) = hedui_result::of(failure);
    let code = static_code(failure.code(), known);
    let message = failure.to_string();
    let detail = detail_json(failure, result);
    let returned = detail.clone();
    // try_with: during thread teardown the slot may be gone; the result still stands.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = Some(LastError {
                code,
                message,
                detail,
            });
        }
    });
    (result, returned)
}

/// The structured detail of a failure ([`Failure::detail`]) plus its result number.
fn detail_json(failure: &Failure, result: hedui_result) -> String {
    let mut value = failure.detail();
    if let serde_json::Value::Object(map) = &mut value {
        map.insert("result".to_owned(), (result as u32).into());
    }
    value.to_string()
}

/// Copies `text` into `buf` as a NUL-terminated string, cut at a UTF-8 character boundary
/// to fit `len` bytes, and returns the length of the whole text in bytes (without the NUL).
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes of writes.
pub(super) unsafe fn copy_out(text: &str, buf: *mut c_char, len: usize) -> usize {
    let full = text.len();
    if buf.is_null() || len == 0 {
        return full;
    }
    let mut n = full.min(len - 1);
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: buf is valid for len bytes (caller's contract) and n + 1 <= len; the source is
    // n bytes of `text`, which does not overlap a caller-owned buffer.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
        buf.add(n).write(0);
    }
    full
}

/// A `hedui_result` as a plain number: the C header calls it `hedui_result` (a `uint32_t`),
/// but a number C passes in may be any value, which a Rust enum must not hold.
#[allow(non_camel_case_types, reason = "C naming")]
pub type hedui_result_raw = u32;

/// Writes the fixed description of the result number `code` into `buf`.
///
/// `buf` receives at most `len` bytes: the description, cut to fit at a UTF-8 character
/// boundary, and a terminating NUL. Returns the length of the whole description in bytes,
/// without the NUL: a return value `>= len` means it was cut. With `buf` NULL or `len` 0
/// nothing is written (use this to ask for the length). A number that is not a
/// `hedui_result` gets "unknown hedui_result". The buffer stays the caller's.
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes of writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_error_message(
    code: hedui_result_raw,
    buf: *mut c_char,
    len: usize,
) -> usize {
    catch_unwind(|| {
        let text = hedui_result::from_u32(code)
            .and_then(hedui_result::entry)
            .map_or("unknown hedui_result", |e| e.description);
        // SAFETY: forwarded from this function's contract.
        unsafe { copy_out(text, buf, len) }
    })
    .unwrap_or(0)
}

/// Writes the message of the last failed hedui call on the calling thread into `buf`, with
/// the same rules as `hedui_error_message` (cut to fit, NUL-terminated, returns the whole
/// length without the NUL).
///
/// The message names the rule and clause for a rule error and quotes the offending input.
/// Successful calls do not change it; it is empty (0 returned) when no call on this thread
/// has failed.
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes of writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_last_error_message(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|slot| {
                let slot = slot.try_borrow().ok()?;
                let message = slot.as_ref()?.message.as_str();
                // SAFETY: forwarded from this function's contract.
                Some(unsafe { copy_out(message, buf, len) })
            })
            .ok()
            .flatten()
            // SAFETY: forwarded from this function's contract.
            .unwrap_or_else(|| unsafe { copy_out("", buf, len) })
    })
    .unwrap_or(0)
}

/// Writes the last failed hedui call's error on the calling thread into `buf` as one line
/// of JSON, with the same rules as `hedui_error_message` (cut to fit, NUL-terminated,
/// returns the whole length without the NUL; call with `buf` NULL to ask for the length).
///
/// The object has `code`, `area`, `rule` and `clause` (`null` when the error enforces no
/// rule), `message`, `fields` (the error's own fields by name, e.g. `defects` of
/// `authorization_defective`), `path` (the JSON path of the offending input, or `null`) and
/// `result` (the `hedui_result` number). It is empty (0 returned) when no call on this
/// thread has failed.
///
/// # Safety
/// `buf` is NULL or valid for `len` bytes of writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_last_error_json(buf: *mut c_char, len: usize) -> usize {
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|slot| {
                let slot = slot.try_borrow().ok()?;
                let detail = slot.as_ref()?.detail.as_str();
                // SAFETY: forwarded from this function's contract.
                Some(unsafe { copy_out(detail, buf, len) })
            })
            .ok()
            .flatten()
            // SAFETY: forwarded from this function's contract.
            .unwrap_or_else(|| unsafe { copy_out("", buf, len) })
    })
    .unwrap_or(0)
}

/// The stable snake_case code of the last failed hedui call on the calling thread, e.g.
/// `"authorization_defective"` or `"input_json"`: the same codes the Rust and Python APIs
/// report. Codes of the call itself: `"null_pointer"`, `"input_utf8"`, `"input_nul"`,
/// `"invalid_time"`, `"invalid_date"`, `"invalid_argument"`, `"output_nul"`, `"panic"`.
///
/// The last error belongs to the thread that made the call: a host whose calls may run on
/// one thread and read errors on another (a thread pool, Java virtual threads) takes the
/// error from the call itself instead, through the `error_json_out` parameter of the `_n`
/// forms.
///
/// Returns `""` when no call on this thread has failed. The string is static: never free
/// it; it stays valid for the life of the process.
#[unsafe(no_mangle)]
pub extern "C" fn hedui_last_error_code() -> *const c_char {
    catch_unwind(|| {
        LAST_ERROR
            .try_with(|slot| {
                slot.try_borrow()
                    .ok()
                    .and_then(|s| s.as_ref().map(|e| e.code))
            })
            .ok()
            .flatten()
            .unwrap_or(c"")
            .as_ptr()
    })
    .unwrap_or(c"".as_ptr())
}
