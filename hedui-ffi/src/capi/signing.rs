//! Report signatures (R11) as opaque handles loaded once: the agency's signer
//! (`hedui_report_signer`, from the seed its key store holds) and the verifier's keyring of
//! trusted keys (`hedui_report_keyring`). The keyring is what the gates that take a report as
//! evidence (`hedui_relief_close_json`, `hedui_appeal_file_json`,
//! `hedui_report_history_record_json`) check signatures against.

use std::ffi::c_char;
use std::panic::catch_unwind;

use hedui_core::security::{ReportKeyring, ReportSigner};
use hedui_ops::security;

use super::{Text, boundary_err, c_string, out_arg, result::hedui_result, write_out};
use crate::failure::Failure;

/// An opaque report signer: the agency's Ed25519 key, loaded once by `hedui_report_signer_new`
/// and released with `hedui_report_signer_free`. The handle holds the key pair only (no copy
/// of the seed buffer). Read-only after it is made: it may be used by several threads at once.
#[derive(Debug)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_report_signer`"
)]
pub struct hedui_report_signer {
    inner: ReportSigner,
}

/// An opaque keyring of trusted report-signing keys, made by `hedui_report_keyring_new_json`
/// and released with `hedui_report_keyring_free`. Read-only after it is made: it may be used by
/// several threads at once.
#[derive(Debug)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_report_keyring`"
)]
pub struct hedui_report_keyring {
    inner: ReportKeyring,
}

/// The keyring a gate checks evidence against: NULL trusts no key (then every report is
/// refused while the rulebook requires signed evidence).
///
/// # Safety
/// `keyring` is NULL or a live handle.
pub(crate) unsafe fn keyring_or_empty<'a>(
    keyring: *const hedui_report_keyring,
) -> &'a ReportKeyring {
    static NO_KEYS: ReportKeyring = ReportKeyring::EMPTY;
    // SAFETY: by the caller's contract a non-NULL pointer is a live handle.
    match unsafe { keyring.as_ref() } {
        Some(k) => &k.inner,
        None => &NO_KEYS,
    }
}

/// Loads the agency's report signer from `seed`, the 32-byte Ed25519 private key (RFC 8032
/// seed) from its key store, under `key_id`, the id verifiers know the key by. hedui generates
/// no keys. The seed bytes are read during the call only; the handle keeps the key pair, and
/// the caller wipes its own buffer.
///
/// Fails with `HEDUI_RESULT_SIGNING_KEY_INVALID` for an empty key id or a seed that is not 32
/// bytes. On success `*signer_out` receives a new handle, owned by the caller and released with
/// `hedui_report_signer_free`.
///
/// # Safety
/// `key_id` is NULL or a NUL-terminated string; `seed` is NULL or valid for `seed_len` bytes of
/// reads; `signer_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_new(
    key_id: *const c_char,
    seed: *const u8,
    seed_len: usize,
    signer_out: *mut *mut hedui_report_signer,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_signer_new_impl(
            Text::Terminated(key_id),
            seed,
            seed_len,
            signer_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_signer_new` with `key_id` given as (pointer, length) and the error handed back
/// by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_signer_new`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_new_n(
    key_id: *const c_char,
    key_id_len: usize,
    seed: *const u8,
    seed_len: usize,
    signer_out: *mut *mut hedui_report_signer,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_signer_new_impl(
            Text::Counted(key_id, key_id_len),
            seed,
            seed_len,
            signer_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_signer_new` and `hedui_report_signer_new_n`.
///
/// # Safety
/// As `hedui_report_signer_new_n` (texts as [`Text::get`]).
unsafe fn hedui_report_signer_new_impl(
    key_id: Text,
    seed: *const u8,
    seed_len: usize,
    signer_out: *mut *mut hedui_report_signer,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(signer_out, "signer_out")?;
        // SAFETY: forwarded from this function's contract.
        let key_id = unsafe { key_id.get("key_id")? };
        if seed.is_null() {
            return Err(Failure::Null { argument: "seed" });
        }
        // SAFETY: non-NULL and valid for seed_len bytes by this function's contract.
        let seed = unsafe { std::slice::from_raw_parts(seed, seed_len) };
        let inner = security::report_signer_new(key_id, seed)?;
        let handle = Box::into_raw(Box::new(hedui_report_signer { inner }));
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, handle) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// A live signer handle, shared.
///
/// # Safety
/// `signer` is NULL or a live handle.
unsafe fn signer_ref<'a>(signer: *const hedui_report_signer) -> Result<&'a ReportSigner, Failure> {
    // SAFETY: by the caller's contract a non-NULL pointer is a live handle.
    match unsafe { signer.as_ref() } {
        Some(s) => Ok(&s.inner),
        None => Err(Failure::Null { argument: "signer" }),
    }
}

/// Seals a report and signs its digest with the loaded signer (Ed25519, deterministic: the
/// same report and key give the same signature in every host); the signature goes in the
/// report's `integrity` block, outside the canonical form.
///
/// On success `*report_json_out` receives the signed report as compact JSON, owned by the
/// caller and released with `hedui_string_free`. Fails with `HEDUI_RESULT_INPUT_JSON` for text
/// that is not a report and `HEDUI_RESULT_REPORT_UNSEALABLE` for a report that cannot be
/// written whole in its canonical form.
///
/// # Safety
/// `signer` is NULL or a live handle; `report_json` is NULL or a NUL-terminated string;
/// `report_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_sign_json(
    signer: *const hedui_report_signer,
    report_json: *const c_char,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_signer_sign_json_impl(
            signer,
            Text::Terminated(report_json),
            report_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_signer_sign_json` with `report_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_signer_sign_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_sign_json_n(
    signer: *const hedui_report_signer,
    report_json: *const c_char,
    report_json_len: usize,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_signer_sign_json_impl(
            signer,
            Text::Counted(report_json, report_json_len),
            report_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_signer_sign_json` and `hedui_report_signer_sign_json_n`.
///
/// # Safety
/// As `hedui_report_signer_sign_json_n` (texts as [`Text::get`]).
unsafe fn hedui_report_signer_sign_json_impl(
    signer: *const hedui_report_signer,
    report_json: Text,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(report_json_out, "report_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let signer = unsafe { signer_ref(signer)? };
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        let signed = c_string(security::report_signer_sign_json(signer, report)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, signed) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// The signer's public half as the trusted-key entry for verifiers' keyrings: on success
/// `*key_json_out` receives `{"key_id":"...","public_key":"<64 hex characters>"}`, owned by
/// the caller and released with `hedui_string_free`.
///
/// # Safety
/// `signer` is NULL or a live handle; `key_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_trusted_key_json(
    signer: *const hedui_report_signer,
    key_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_report_signer_trusted_key_json_impl(signer, key_json_out, std::ptr::null_mut()) }
}

/// `hedui_report_signer_trusted_key_json` with the error handed back by the call: the `_n`
/// form. With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on
/// failure, the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the
/// caller and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_signer_trusted_key_json`; `error_json_out` is NULL or valid for a write of
/// one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_trusted_key_json_n(
    signer: *const hedui_report_signer,
    key_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_report_signer_trusted_key_json_impl(signer, key_json_out, error_json_out) }
}

/// Shared body of `hedui_report_signer_trusted_key_json` and `hedui_report_signer_trusted_key_json_n`.
///
/// # Safety
/// As `hedui_report_signer_trusted_key_json_n` (texts as [`Text::get`]).
unsafe fn hedui_report_signer_trusted_key_json_impl(
    signer: *const hedui_report_signer,
    key_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(key_json_out, "key_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let signer = unsafe { signer_ref(signer)? };
        let key = c_string(security::report_signer_trusted_key_json(signer)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, key) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Releases a signer handle and its key. NULL is ignored. Using the handle afterwards, or
/// freeing it twice, is undefined behaviour.
///
/// # Safety
/// `signer` is NULL or a live handle from `hedui_report_signer_new` that no other thread is
/// using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_signer_free(signer: *mut hedui_report_signer) {
    if signer.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: a live handle made by Box::into_raw in this module (caller's contract).
        drop(unsafe { Box::from_raw(signer) });
    });
}

/// Loads a keyring of trusted report-signing keys from `trusted_keys_json`, a JSON array of
/// `{"key_id": "...", "public_key": "<64 hex characters>"}` (as
/// `hedui_report_signer_trusted_key_json` writes them). To rotate, list the new key next to
/// the old; to revoke, leave a key out.
///
/// Fails with `HEDUI_RESULT_INPUT_JSON` for text that is not such an array and
/// `HEDUI_RESULT_SIGNING_KEY_INVALID` for a key id listed twice. On success `*keyring_out`
/// receives a new handle, owned by the caller and released with `hedui_report_keyring_free`.
///
/// # Safety
/// `trusted_keys_json` is NULL or a NUL-terminated string; `keyring_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_keyring_new_json(
    trusted_keys_json: *const c_char,
    keyring_out: *mut *mut hedui_report_keyring,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_keyring_new_json_impl(
            Text::Terminated(trusted_keys_json),
            keyring_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_keyring_new_json` with `trusted_keys_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_keyring_new_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_keyring_new_json_n(
    trusted_keys_json: *const c_char,
    trusted_keys_json_len: usize,
    keyring_out: *mut *mut hedui_report_keyring,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_keyring_new_json_impl(
            Text::Counted(trusted_keys_json, trusted_keys_json_len),
            keyring_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_keyring_new_json` and `hedui_report_keyring_new_json_n`.
///
/// # Safety
/// As `hedui_report_keyring_new_json_n` (texts as [`Text::get`]).
unsafe fn hedui_report_keyring_new_json_impl(
    trusted_keys_json: Text,
    keyring_out: *mut *mut hedui_report_keyring,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(keyring_out, "keyring_out")?;
        // SAFETY: forwarded from this function's contract.
        let keys = unsafe { trusted_keys_json.get("trusted_keys_json")? };
        let inner = security::report_keyring_new_json(keys)?;
        let handle = Box::into_raw(Box::new(hedui_report_keyring { inner }));
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, handle) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Checks a signed report against the keyring: its digest against its content and its
/// signature against the trusted key it names.
///
/// On success `*verified_json_out` receives `{"key_id":"...","digest":"<64 hex>"}`, owned by
/// the caller and released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SIGNATURE_INVALID` for a report that is unsigned, changed or badly signed,
/// `HEDUI_RESULT_SIGNATURE_UNKNOWN_KEY` for a key id the keyring does not trust and
/// `HEDUI_RESULT_INPUT_JSON` for text that is not a report.
///
/// # Safety
/// `keyring` is NULL or a live handle; `report_json` is NULL or a NUL-terminated string;
/// `verified_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_keyring_verify_json(
    keyring: *const hedui_report_keyring,
    report_json: *const c_char,
    verified_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_keyring_verify_json_impl(
            keyring,
            Text::Terminated(report_json),
            verified_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_report_keyring_verify_json` with `report_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_keyring_verify_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_keyring_verify_json_n(
    keyring: *const hedui_report_keyring,
    report_json: *const c_char,
    report_json_len: usize,
    verified_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_report_keyring_verify_json_impl(
            keyring,
            Text::Counted(report_json, report_json_len),
            verified_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_report_keyring_verify_json` and `hedui_report_keyring_verify_json_n`.
///
/// # Safety
/// As `hedui_report_keyring_verify_json_n` (texts as [`Text::get`]).
unsafe fn hedui_report_keyring_verify_json_impl(
    keyring: *const hedui_report_keyring,
    report_json: Text,
    verified_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(verified_json_out, "verified_json_out")?;
        // SAFETY: by this function's contract a non-NULL pointer is a live handle.
        let keyring = match unsafe { keyring.as_ref() } {
            Some(k) => &k.inner,
            None => {
                return Err(Failure::Null {
                    argument: "keyring",
                });
            }
        };
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { report_json.get("report_json")? };
        let verified = c_string(security::report_keyring_verify_json(keyring, report)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, verified) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Releases a keyring handle. NULL is ignored. Using the handle afterwards, or freeing it
/// twice, is undefined behaviour.
///
/// # Safety
/// `keyring` is NULL or a live handle from `hedui_report_keyring_new_json` that no other
/// thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_keyring_free(keyring: *mut hedui_report_keyring) {
    if keyring.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: a live handle made by Box::into_raw in this module (caller's contract).
        drop(unsafe { Box::from_raw(keyring) });
    });
}
