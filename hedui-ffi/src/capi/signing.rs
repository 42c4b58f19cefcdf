//! Report signatures (R11) as opaque handles loaded once: the agency's signer
//! (`hedui_report_signer`, from the seed its key store holds) and the verifier's keyring of
//! trusted keys (`hedui_report_keyring`). The keyring is what the gates that take a report as
//! evidence (`hedui_relief_close_json`, `hedui_appeal_file_json`,
//! `hedui_report_history_record_json`) check signatures against.

use std::ffi::c_char;
use std::panic::catch_unwind;

use hedui_core::security::{ReportKeyring, ReportSigner};
use hedui_ops::security;

use super::{boundary, c_string, out_arg, result::hedui_result, str_arg, write_out};
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
    boundary(|| {
        let out = out_arg(signer_out, "signer_out")?;
        // SAFETY: forwarded from this function's contract.
        let key_id = unsafe { str_arg(key_id, "key_id")? };
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
    })
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
    boundary(|| {
        let out = out_arg(report_json_out, "report_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let signer = unsafe { signer_ref(signer)? };
        // SAFETY: forwarded from this function's contract.
        let report = unsafe { str_arg(report_json, "report_json")? };
        let signed = c_string(security::report_signer_sign_json(signer, report)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, signed) };
        Ok(())
    })
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
    boundary(|| {
        let out = out_arg(key_json_out, "key_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let signer = unsafe { signer_ref(signer)? };
        let key = c_string(security::report_signer_trusted_key_json(signer)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, key) };
        Ok(())
    })
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
    boundary(|| {
        let out = out_arg(keyring_out, "keyring_out")?;
        // SAFETY: forwarded from this function's contract.
        let keys = unsafe { str_arg(trusted_keys_json, "trusted_keys_json")? };
        let inner = security::report_keyring_new_json(keys)?;
        let handle = Box::into_raw(Box::new(hedui_report_keyring { inner }));
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, handle) };
        Ok(())
    })
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
    boundary(|| {
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
        let report = unsafe { str_arg(report_json, "report_json")? };
        let verified = c_string(security::report_keyring_verify_json(keyring, report)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, verified) };
        Ok(())
    })
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
