//! Records and security (R10, R11): the audit chain, an append-only log of gate decisions
//! whose HMAC links show any change, as an opaque handle; the archive check, operator
//! accounts, lending detection, passwords, permissions, masking and report signatures, JSON
//! in and out.

use std::ffi::c_char;
use std::panic::catch_unwind;

use hedui_core::security::AuditKeyring;
use hedui_ops::audit::{self, AuditLog};
use hedui_ops::{account, archive, lending, security};

use super::rulebook::hedui_rulebook;
use super::{Text, boundary_err, c_string, json_op, out_arg, result::hedui_result, write_out};
use crate::failure::Failure;

/// An opaque keyring of audit MAC keys by id. Made by `hedui_audit_keyring_new`, filled by
/// `hedui_audit_keyring_add`, released with `hedui_audit_keyring_free`. The key added last
/// MACs new entries; the older ones verify the entries they MACed (rotation).
#[derive(Debug, Default)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_audit_keyring`"
)]
pub struct hedui_audit_keyring {
    inner: AuditKeyring,
}

/// An opaque audit chain with the keyring that protects it. Made by
/// `hedui_audit_chain_new` or `hedui_audit_chain_from_jsonl`, released with
/// `hedui_audit_chain_free`. The handle keeps its own copy of the keyring.
///
/// Not synchronized: `hedui_audit_chain_append_json` changes the chain, so a handle used by
/// several threads needs the caller's lock (the read-only calls may run concurrently with
/// each other).
#[derive(Debug)]
#[allow(
    non_camel_case_types,
    reason = "C naming: the header type is `hedui_audit_chain`"
)]
pub struct hedui_audit_chain {
    inner: AuditLog,
}

/// The key bytes of a call.
///
/// # Safety
/// `key` is NULL or valid for `key_len` bytes of reads.
unsafe fn key_arg<'a>(key: *const u8, key_len: usize) -> Result<&'a [u8], Failure> {
    if key.is_null() {
        return Err(Failure::Null { argument: "key" });
    }
    // SAFETY: non-NULL and valid for key_len bytes by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(key, key_len) })
}

/// A live keyring handle, shared.
///
/// # Safety
/// `keyring` is NULL or a live handle.
unsafe fn keyring_ref<'a>(
    keyring: *const hedui_audit_keyring,
) -> Result<&'a AuditKeyring, Failure> {
    // SAFETY: by the caller's contract a non-NULL pointer is a live handle.
    match unsafe { keyring.as_ref() } {
        Some(k) => Ok(&k.inner),
        None => Err(Failure::Null {
            argument: "keyring",
        }),
    }
}

/// A live handle, shared.
///
/// # Safety
/// `chain` is NULL or a live handle.
unsafe fn chain_ref<'a>(chain: *const hedui_audit_chain) -> Result<&'a AuditLog, Failure> {
    // SAFETY: by the caller's contract a non-NULL pointer is a live handle.
    match unsafe { chain.as_ref() } {
        Some(c) => Ok(&c.inner),
        None => Err(Failure::Null { argument: "chain" }),
    }
}

/// A live handle, to change.
///
/// # Safety
/// `chain` is NULL or a live handle no other thread is using.
unsafe fn chain_mut<'a>(chain: *mut hedui_audit_chain) -> Result<&'a mut AuditLog, Failure> {
    // SAFETY: by the caller's contract a non-NULL pointer is a live handle used by this
    // thread only.
    match unsafe { chain.as_mut() } {
        Some(c) => Ok(&mut c.inner),
        None => Err(Failure::Null { argument: "chain" }),
    }
}

fn boxed(inner: AuditLog) -> *mut hedui_audit_chain {
    Box::into_raw(Box::new(hedui_audit_chain { inner }))
}

/// Makes an empty keyring of audit MAC keys.
///
/// On success `*keyring_out` receives a new handle, owned by the caller and released with
/// `hedui_audit_keyring_free`.
///
/// # Safety
/// `keyring_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_new(
    keyring_out: *mut *mut hedui_audit_keyring,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_audit_keyring_new_n(keyring_out, std::ptr::null_mut()) }
}

/// Makes an empty keyring of audit MAC keys under the rulebook's crypto suite
/// (`security.crypto_suite`; `rulebook` NULL for the built-in one): keys added with
/// `hedui_audit_keyring_add` are then HMAC-SM3 under `shangmi`, HMAC-SHA256 otherwise.
///
/// On success `*keyring_out` receives a new handle, owned by the caller and released with
/// `hedui_audit_keyring_free`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `keyring_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_new_under(
    rulebook: *const hedui_rulebook,
    keyring_out: *mut *mut hedui_audit_keyring,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_audit_keyring_new_under_n(rulebook, keyring_out, std::ptr::null_mut()) }
}

/// `hedui_audit_keyring_new_under` with the error handed back by the call: the `_n` form, as
/// `hedui_audit_keyring_new_n`.
///
/// # Safety
/// As `hedui_audit_keyring_new_under`; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_new_under_n(
    rulebook: *const hedui_rulebook,
    keyring_out: *mut *mut hedui_audit_keyring,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(keyring_out, "keyring_out")?;
        // SAFETY: `rulebook` is NULL or a live handle by this function's contract.
        let rb = unsafe { hedui_rulebook::or_default(rulebook) };
        let keyring = Box::into_raw(Box::new(hedui_audit_keyring {
            inner: audit::keyring_new_under(rb),
        }));
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, keyring) };
        Ok(())
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// `hedui_audit_keyring_new` with the error handed back by the call: the `_n` form.
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_keyring_new`; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_new_n(
    keyring_out: *mut *mut hedui_audit_keyring,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(keyring_out, "keyring_out")?;
        let keyring = Box::into_raw(Box::new(hedui_audit_keyring::default()));
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, keyring) };
        Ok(())
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Adds the key `key_id` (1 to 128 printable ASCII characters) to the keyring: `key` is the
/// host's secret, at least 32 bytes from a CSPRNG, kept apart from the log (else
/// `HEDUI_RESULT_AUDIT_KEY_LENGTH`). The key added last MACs new entries. The key bytes are
/// copied; the buffer stays the caller's. Fails with `HEDUI_RESULT_AUDIT_ID_INVALID` for a
/// malformed key id or one already in the keyring; the keyring is then unchanged.
///
/// # Safety
/// `keyring` is NULL or a live handle no other thread is using; `key_id` is NULL or a
/// NUL-terminated string; `key` is NULL or valid for `key_len` bytes of reads.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_add(
    keyring: *mut hedui_audit_keyring,
    key_id: *const c_char,
    key: *const u8,
    key_len: usize,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_keyring_add_impl(
            keyring,
            Text::Terminated(key_id),
            None,
            key,
            key_len,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_keyring_add` with `key_id` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`).
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_keyring_add`; `key_id` is NULL or valid for `key_id_len` bytes of reads;
/// `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_add_n(
    keyring: *mut hedui_audit_keyring,
    key_id: *const c_char,
    key_id_len: usize,
    key: *const u8,
    key_len: usize,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_keyring_add_impl(
            keyring,
            Text::Counted(key_id, key_id_len),
            None,
            key,
            key_len,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_keyring_add`, `hedui_audit_keyring_add_with` and their `_n`
/// forms: `algorithm` is the `_with` forms' algorithm name, `None` for the keyring's own.
///
/// # Safety
/// As `hedui_audit_keyring_add_with_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_keyring_add_impl(
    keyring: *mut hedui_audit_keyring,
    key_id: Text,
    algorithm: Option<Text>,
    key: *const u8,
    key_len: usize,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        // SAFETY: by this function's contract a non-NULL pointer is a live handle used by
        // this thread only.
        let keyring = match unsafe { keyring.as_mut() } {
            Some(k) => &mut k.inner,
            None => {
                return Err(Failure::Null {
                    argument: "keyring",
                });
            }
        };
        // SAFETY: forwarded from this function's contract.
        let key_id = unsafe { key_id.get("key_id")? };
        // SAFETY: forwarded from this function's contract.
        let algorithm = unsafe { algorithm.map(|a| a.get("algorithm")).transpose()? };
        // SAFETY: forwarded from this function's contract.
        let key = unsafe { key_arg(key, key_len)? };
        match algorithm {
            None => audit::keyring_add(keyring, key_id, key),
            Some(algorithm) => audit::keyring_add_with(keyring, key_id, algorithm, key),
        }
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// `hedui_audit_keyring_add` for a key of the MAC algorithm named `algorithm`:
/// `"hmac-sha256"` (the international suite) or `"hmac-sm3"` (the commercial-cryptography
/// suite, `security.crypto_suite = "shangmi"`). Entries MACed with the key name its algorithm
/// and verify only under a key of it (else `HEDUI_RESULT_AUDIT_MAC_ALGORITHM_MISMATCH`).
/// Another algorithm name fails with `HEDUI_RESULT_INPUT_JSON`; the keyring is then unchanged.
///
/// # Safety
/// As `hedui_audit_keyring_add`; `algorithm` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_add_with(
    keyring: *mut hedui_audit_keyring,
    key_id: *const c_char,
    algorithm: *const c_char,
    key: *const u8,
    key_len: usize,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_keyring_add_impl(
            keyring,
            Text::Terminated(key_id),
            Some(Text::Terminated(algorithm)),
            key,
            key_len,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_keyring_add_with` with `key_id` and `algorithm` given as (pointer, length)
/// and the error handed back by the call: the `_n` form, as `hedui_audit_keyring_add_n`.
///
/// # Safety
/// As `hedui_audit_keyring_add_n`; `algorithm` is NULL or valid for `algorithm_len` bytes of
/// reads.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_add_with_n(
    keyring: *mut hedui_audit_keyring,
    key_id: *const c_char,
    key_id_len: usize,
    algorithm: *const c_char,
    algorithm_len: usize,
    key: *const u8,
    key_len: usize,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_keyring_add_impl(
            keyring,
            Text::Counted(key_id, key_id_len),
            Some(Text::Counted(algorithm, algorithm_len)),
            key,
            key_len,
            error_json_out,
        )
    }
}

/// Releases a keyring handle and its copies of the keys. NULL is ignored. Chains made from
/// it keep their own copies.
///
/// # Safety
/// `keyring` is NULL or a live handle from `hedui_audit_keyring_new` that no other thread is
/// using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_keyring_free(keyring: *mut hedui_audit_keyring) {
    if keyring.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: a live handle made by Box::into_raw in this module (caller's contract).
        drop(unsafe { Box::from_raw(keyring) });
    });
}

/// Makes an empty audit chain with the id `chain_id` (1 to 128 printable ASCII characters,
/// unique among the host's chains), protected by a copy of `keyring`, whose last added key
/// MACs the entries. Fails with `HEDUI_RESULT_AUDIT_KEYRING_EMPTY` for a keyring without keys
/// and `HEDUI_RESULT_AUDIT_ID_INVALID` for a malformed chain id.
///
/// On success `*chain_out` receives a new handle, owned by the caller and released with
/// `hedui_audit_chain_free`.
///
/// # Safety
/// `chain_id` is NULL or a NUL-terminated string; `keyring` is NULL or a live handle;
/// `chain_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_new(
    chain_id: *const c_char,
    keyring: *const hedui_audit_keyring,
    chain_out: *mut *mut hedui_audit_chain,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_new_impl(
            Text::Terminated(chain_id),
            keyring,
            chain_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_chain_new` with `chain_id` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`).
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_new`; `chain_id` is NULL or valid for `chain_id_len` bytes of reads;
/// `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_new_n(
    chain_id: *const c_char,
    chain_id_len: usize,
    keyring: *const hedui_audit_keyring,
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_new_impl(
            Text::Counted(chain_id, chain_id_len),
            keyring,
            chain_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_chain_new` and `hedui_audit_chain_new_n`.
///
/// # Safety
/// As `hedui_audit_chain_new_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_new_impl(
    chain_id: Text,
    keyring: *const hedui_audit_keyring,
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(chain_out, "chain_out")?;
        // SAFETY: forwarded from this function's contract.
        let chain_id = unsafe { chain_id.get("chain_id")? };
        // SAFETY: forwarded from this function's contract.
        let keyring = unsafe { keyring_ref(keyring)? };
        let chain = boxed(AuditLog::new(chain_id, keyring.clone())?);
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, chain) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Reads an audit chain from JSONL (as `hedui_audit_chain_to_jsonl` writes it; the final
/// newline is optional) and verifies it against `keyring` and `head_json`, the head the host
/// stored apart from the log (`{"chain":"<id>","entries":<n>,"mac":"<hex>"}`, as
/// `hedui_audit_chain_append_json` and `hedui_audit_chain_head_json` return it), before
/// handing it out, so that nothing is appended to a forged, cut, rolled-back or swapped past.
/// A NULL head is `HEDUI_RESULT_NULL_POINTER`: there is no reading without one.
///
/// Fails with `HEDUI_RESULT_AUDIT_LINE_INVALID` for a line that is empty, malformed or not in
/// canonical form, `HEDUI_RESULT_AUDIT_FORMAT_UNSUPPORTED` for a line of another format (a
/// format-1 log), `HEDUI_RESULT_AUDIT_CHAIN_BROKEN` for an entry changed, removed or
/// reordered, `..._AUDIT_CHAIN_SPLICED`, `..._AUDIT_CHAIN_SWAPPED`, `..._AUDIT_CHAIN_BACKDATED`,
/// `..._AUDIT_KEY_UNKNOWN`, `..._AUDIT_CHAIN_TRUNCATED` (fewer entries than the head) and
/// `..._AUDIT_CHAIN_ROLLED_BACK` (another entry at the head's position); the message names the
/// line or entry. On success `*chain_out` receives a new handle, owned by the caller and
/// released with `hedui_audit_chain_free`.
///
/// # Safety
/// `keyring` is NULL or a live handle; `jsonl` and `head_json` are NULL or NUL-terminated
/// strings; `chain_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_from_jsonl(
    keyring: *const hedui_audit_keyring,
    jsonl: *const c_char,
    head_json: *const c_char,
    chain_out: *mut *mut hedui_audit_chain,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_from_jsonl_impl(
            keyring,
            Text::Terminated(jsonl),
            Text::Terminated(head_json),
            chain_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_chain_from_jsonl` with `jsonl` and `head_json` given as (pointer, length) and
/// the error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`).
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_from_jsonl`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_from_jsonl_n(
    keyring: *const hedui_audit_keyring,
    jsonl: *const c_char,
    jsonl_len: usize,
    head_json: *const c_char,
    head_json_len: usize,
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_from_jsonl_impl(
            keyring,
            Text::Counted(jsonl, jsonl_len),
            Text::Counted(head_json, head_json_len),
            chain_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_chain_from_jsonl` and `hedui_audit_chain_from_jsonl_n`.
///
/// # Safety
/// As `hedui_audit_chain_from_jsonl_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_from_jsonl_impl(
    keyring: *const hedui_audit_keyring,
    jsonl: Text,
    head_json: Text,
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(chain_out, "chain_out")?;
        // SAFETY: forwarded from this function's contract.
        let keyring = unsafe { keyring_ref(keyring)? };
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { jsonl.get("jsonl")? };
        // SAFETY: forwarded from this function's contract.
        let head = unsafe { head_json.get("head_json")? };
        let chain = boxed(AuditLog::from_jsonl_json(keyring.clone(), text, head)?);
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, chain) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Appends one gate decision to the chain, linked to the last entry and MACed with the
/// newest key of the chain's keyring.
///
/// `event_json` is an `AuditEvent`: `{"at":"<RFC 3339>","event":"authorization_check",
/// "decision":"permit"|"deny","actor":"<operator id>","reason":"...","context":"<SHA-256
/// hex of the request>"}`; no personal data goes in. Fails with `HEDUI_RESULT_INPUT_JSON`
/// for unreadable JSON and `HEDUI_RESULT_AUDIT_TIME_INVALID` for a time RFC 3339 cannot
/// write and `HEDUI_RESULT_AUDIT_TIME_BACKWARDS` for a time before the last entry's; the chain
/// is then unchanged.
///
/// On success `*head_json_out` receives the new head
/// `{"chain":"<id>","entries":<n>,"mac":"<hex>"}` — keep it apart from the log to notice a
/// log cut short, rolled back or swapped — owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `chain` is NULL or a live handle no other thread is using; `event_json` is NULL or a
/// NUL-terminated string; `head_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_append_json(
    chain: *mut hedui_audit_chain,
    event_json: *const c_char,
    head_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_append_json_impl(
            chain,
            Text::Terminated(event_json),
            head_json_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_chain_append_json` with `event_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_append_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_append_json_n(
    chain: *mut hedui_audit_chain,
    event_json: *const c_char,
    event_json_len: usize,
    head_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_append_json_impl(
            chain,
            Text::Counted(event_json, event_json_len),
            head_json_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_chain_append_json` and `hedui_audit_chain_append_json_n`.
///
/// # Safety
/// As `hedui_audit_chain_append_json_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_append_json_impl(
    chain: *mut hedui_audit_chain,
    event_json: Text,
    head_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(head_json_out, "head_json_out")?;
        // SAFETY: by this function's contract a non-NULL pointer is a live handle used by
        // this thread only.
        let log = match unsafe { chain.as_mut() } {
            Some(c) => &mut c.inner,
            None => return Err(Failure::Null { argument: "chain" }),
        };
        // SAFETY: forwarded from this function's contract.
        let event = unsafe { event_json.get("event_json")? };
        // The head is numbers and hex: it always makes a C string.
        let head = c_string(log.append_json(event)?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, head) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Verifies the chain against `head_json`, a head the host stored apart from the log
/// (`{"chain":"<id>","entries":<n>,"mac":"<hex>"}`): every entry's chain id, sequence number,
/// link, key, MAC and time, and that the chain is the head's and reaches it. A NULL head is
/// `HEDUI_RESULT_NULL_POINTER`, never a pass.
///
/// Returns `HEDUI_RESULT_OK` for an intact chain; otherwise the result of the first problem
/// (`HEDUI_RESULT_AUDIT_CHAIN_BROKEN`, `..._SPLICED`, `..._SWAPPED`, `..._BACKDATED`,
/// `HEDUI_RESULT_AUDIT_KEY_UNKNOWN`, `..._TRUNCATED`, `..._ROLLED_BACK`), the message naming
/// the entry, and `HEDUI_RESULT_INPUT_JSON` for an unreadable head.
///
/// # Safety
/// `chain` is NULL or a live handle; `head_json` is NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_verify_json(
    chain: *const hedui_audit_chain,
    head_json: *const c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_verify_json_impl(chain, Text::Terminated(head_json), std::ptr::null_mut())
    }
}

/// `hedui_audit_chain_verify_json` with `head_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`).
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_verify_json`; `head_json` is NULL or valid for `head_json_len` bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_verify_json_n(
    chain: *const hedui_audit_chain,
    head_json: *const c_char,
    head_json_len: usize,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_verify_json_impl(
            chain,
            Text::Counted(head_json, head_json_len),
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_chain_verify_json` and `hedui_audit_chain_verify_json_n`.
///
/// # Safety
/// As `hedui_audit_chain_verify_json_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_verify_json_impl(
    chain: *const hedui_audit_chain,
    head_json: Text,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        // SAFETY: forwarded from this function's contract.
        let log = unsafe { chain_ref(chain)? };
        // SAFETY: forwarded from this function's contract.
        let head = unsafe { head_json.get("head_json")? };
        log.verify_against_json(head)
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Reads an audit chain whose oldest entries were disposed of (网络安全法 Art 21 log
/// retention, `hedui_audit_chain_dispose_json`) from JSONL, and verifies it against
/// `keyring`, `head_json` and `disposal_json`, the record of the last disposal kept with the
/// head: the chain then starts at the record's `last_seq + 1`, linked to its `last_mac`, and
/// only when the record is this chain's and its MAC verifies. NULL texts are
/// `HEDUI_RESULT_NULL_POINTER`.
///
/// Fails as `hedui_audit_chain_from_jsonl`, with `HEDUI_RESULT_INPUT_JSON` for an unreadable
/// record, `HEDUI_RESULT_AUDIT_CHAIN_BROKEN` for a record whose MAC does not verify or that
/// the chain does not follow, `..._AUDIT_CHAIN_SWAPPED` for another chain's record and
/// `HEDUI_RESULT_AUDIT_HEAD_DISPOSED` for a head older than the disposal. On success
/// `*chain_out` receives a new handle, owned by the caller and released with
/// `hedui_audit_chain_free`.
///
/// # Safety
/// `keyring` is NULL or a live handle; `jsonl`, `head_json` and `disposal_json` are NULL or
/// NUL-terminated strings; `chain_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_from_jsonl_after(
    keyring: *const hedui_audit_keyring,
    jsonl: *const c_char,
    head_json: *const c_char,
    disposal_json: *const c_char,
    chain_out: *mut *mut hedui_audit_chain,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_from_jsonl_after_impl(
            keyring,
            [
                Text::Terminated(jsonl),
                Text::Terminated(head_json),
                Text::Terminated(disposal_json),
            ],
            chain_out,
            std::ptr::null_mut(),
        )
    }
}

/// `hedui_audit_chain_from_jsonl_after` with its texts given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_from_jsonl_after`; each text pointer is NULL or valid for its length
/// in bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_from_jsonl_after_n(
    keyring: *const hedui_audit_keyring,
    jsonl: *const c_char,
    jsonl_len: usize,
    head_json: *const c_char,
    head_json_len: usize,
    disposal_json: *const c_char,
    disposal_json_len: usize,
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        hedui_audit_chain_from_jsonl_after_impl(
            keyring,
            [
                Text::Counted(jsonl, jsonl_len),
                Text::Counted(head_json, head_json_len),
                Text::Counted(disposal_json, disposal_json_len),
            ],
            chain_out,
            error_json_out,
        )
    }
}

/// Shared body of `hedui_audit_chain_from_jsonl_after` and its `_n` form.
///
/// # Safety
/// As `hedui_audit_chain_from_jsonl_after_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_from_jsonl_after_impl(
    keyring: *const hedui_audit_keyring,
    [jsonl, head_json, disposal_json]: [Text; 3],
    chain_out: *mut *mut hedui_audit_chain,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(chain_out, "chain_out")?;
        // SAFETY: forwarded from this function's contract.
        let keyring = unsafe { keyring_ref(keyring)? };
        // SAFETY: forwarded from this function's contract.
        let text = unsafe { jsonl.get("jsonl")? };
        // SAFETY: forwarded from this function's contract.
        let head = unsafe { head_json.get("head_json")? };
        // SAFETY: forwarded from this function's contract.
        let disposal = unsafe { disposal_json.get("disposal_json")? };
        let chain = boxed(AuditLog::from_jsonl_after_json(
            keyring.clone(),
            text,
            head,
            disposal,
        )?);
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, chain) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Which of the chain's oldest entries may be disposed of on a day under the rulebook's log
/// retention (`retention.log_months`, 网络安全法 Art 21; `rulebook` NULL for the built-in
/// one): none while the oldest entry is within it.
///
/// `request_json` is `{"on": "YYYY-MM-DD"}`. On success `*answer_json_out` receives
/// `{"entries": n, "through_seq": <seq of the youngest of them> | null}`, owned by the caller
/// and released with `hedui_string_free`. Unreadable input fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `chain` is NULL or a live handle; `request_json` is
/// NULL or a NUL-terminated string; `answer_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_disposable_json(
    rulebook: *const hedui_rulebook,
    chain: *const hedui_audit_chain,
    request_json: *const c_char,
    answer_json_out: *mut *mut c_char,
) -> hedui_result {
    let op = |rb: &hedui_core::Rulebook, r: &str| {
        // SAFETY: `chain` is NULL or a live handle, by this function's contract.
        let log = unsafe { chain_ref(chain)? };
        log.disposable_json(rb, r)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            answer_json_out,
            "answer_json_out",
            std::ptr::null_mut(),
            op,
        )
    }
}

/// `hedui_audit_chain_disposable_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_disposable_json`; `request_json` is NULL or valid for
/// `request_json_len` bytes of reads; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_disposable_json_n(
    rulebook: *const hedui_rulebook,
    chain: *const hedui_audit_chain,
    request_json: *const c_char,
    request_json_len: usize,
    answer_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let op = |rb: &hedui_core::Rulebook, r: &str| {
        // SAFETY: `chain` is NULL or a live handle, by this function's contract.
        let log = unsafe { chain_ref(chain)? };
        log.disposable_json(rb, r)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            answer_json_out,
            "answer_json_out",
            error_json_out,
            op,
        )
    }
}

/// Disposes of the chain's oldest entries through `through_seq` on a day, under the
/// rulebook's log retention (`retention.log_months`, 网络安全法 Art 21; `rulebook` NULL for
/// the built-in one), and hands out the record of the disposal, MACed with the newest key of
/// the chain's keyring: store it with the head, and open the log with
/// `hedui_audit_chain_from_jsonl_after` from then on.
///
/// `request_json` is `{"through_seq": n, "on": "YYYY-MM-DD"}`. Fails with
/// `HEDUI_RESULT_LOG_RETENTION_NOT_ELAPSED` for an entry still within its retention and
/// `HEDUI_RESULT_LOG_DISPOSAL_UNKNOWN_ENTRY` for a sequence number the chain does not hold
/// (the chain is then unchanged), `HEDUI_RESULT_INPUT_JSON` for unreadable input. On success
/// `*record_json_out` receives the record (`chain`, `disposed_on`, `log_months`, `entries`,
/// `first_seq`, `last_seq`, `youngest_at`, `kept_until`, `last_mac`, `key_id`, `mac`), owned by
/// the caller and released with `hedui_string_free`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `chain` is NULL or a live handle no other thread is
/// using; `request_json` is NULL or a NUL-terminated string; `record_json_out` is NULL or
/// valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_dispose_json(
    rulebook: *const hedui_rulebook,
    chain: *mut hedui_audit_chain,
    request_json: *const c_char,
    record_json_out: *mut *mut c_char,
) -> hedui_result {
    let op = |rb: &hedui_core::Rulebook, r: &str| {
        // SAFETY: `chain` is NULL or a live handle used by this thread only, by this function's contract.
        let log = unsafe { chain_mut(chain)? };
        log.dispose_json(rb, r)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            record_json_out,
            "record_json_out",
            std::ptr::null_mut(),
            op,
        )
    }
}

/// `hedui_audit_chain_dispose_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_dispose_json`; `request_json` is NULL or valid for
/// `request_json_len` bytes of reads; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_dispose_json_n(
    rulebook: *const hedui_rulebook,
    chain: *mut hedui_audit_chain,
    request_json: *const c_char,
    request_json_len: usize,
    record_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let op = |rb: &hedui_core::Rulebook, r: &str| {
        // SAFETY: `chain` is NULL or a live handle used by this thread only, by this function's contract.
        let log = unsafe { chain_mut(chain)? };
        log.dispose_json(rb, r)
    };
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            record_json_out,
            "record_json_out",
            error_json_out,
            op,
        )
    }
}

/// The chain's current head, `{"chain":"<id>","entries":<n>,"mac":"<hex>"}`: store it where
/// the log's writers cannot change it, and verify against it.
///
/// On success `*head_json_out` receives a new string, owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `chain` is NULL or a live handle; `head_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_head_json(
    chain: *const hedui_audit_chain,
    head_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_audit_chain_head_json_n(chain, head_json_out, std::ptr::null_mut()) }
}

/// `hedui_audit_chain_head_json` with the error handed back by the call: the `_n` form.
/// With `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure,
/// the error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller
/// and released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_head_json`; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_head_json_n(
    chain: *const hedui_audit_chain,
    head_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(head_json_out, "head_json_out")?;
        // SAFETY: forwarded from this function's contract.
        let log = unsafe { chain_ref(chain)? };
        let head = c_string(log.head_json()?)?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, head) };
        Ok(())
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Writes the chain as JSONL: each entry as compact JSON on its own line, each line ended by
/// a newline (an empty string for an empty chain). The key is not in it.
///
/// On success `*jsonl_out` receives a new string, owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// `chain` is NULL or a live handle; `jsonl_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_to_jsonl(
    chain: *const hedui_audit_chain,
    jsonl_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_audit_chain_to_jsonl_impl(chain, jsonl_out, std::ptr::null_mut()) }
}

/// `hedui_audit_chain_to_jsonl` with the error handed back by the call: the `_n` form. With
/// `error_json_out` non-NULL, `*error_json_out` becomes NULL on success and, on failure, the
/// error as one line of JSON (as `hedui_last_error_json` gives it), owned by the caller and
/// released with `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_chain_to_jsonl`; `error_json_out` is NULL or valid for a write of one
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_to_jsonl_n(
    chain: *const hedui_audit_chain,
    jsonl_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe { hedui_audit_chain_to_jsonl_impl(chain, jsonl_out, error_json_out) }
}

/// Shared body of `hedui_audit_chain_to_jsonl` and `hedui_audit_chain_to_jsonl_n`.
///
/// # Safety
/// As `hedui_audit_chain_to_jsonl_n` (texts as [`Text::get`]).
unsafe fn hedui_audit_chain_to_jsonl_impl(
    chain: *const hedui_audit_chain,
    jsonl_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(jsonl_out, "jsonl_out")?;
        // SAFETY: forwarded from this function's contract.
        let log = unsafe { chain_ref(chain)? };
        let jsonl = c_string(log.to_jsonl()?.into_bytes())?;
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, jsonl) };
        Ok(())
    };
    // SAFETY: forwarded from the caller's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// The number of entries in the chain.
///
/// A NULL `chain` is an error, not an empty chain: it returns `SIZE_MAX`, which no chain
/// can hold, and sets the thread's last error to `null_pointer`. `hedui_audit_chain_len_n`
/// reports it as a result instead.
///
/// # Safety
/// `chain` is NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_len(chain: *const hedui_audit_chain) -> usize {
    let mut len = usize::MAX;
    // SAFETY: forwarded from this function's contract; `len` is a live local.
    match unsafe { hedui_audit_chain_len_n(chain, &mut len, std::ptr::null_mut()) } {
        hedui_result::Ok => len,
        _ => usize::MAX,
    }
}

/// The number of entries in the chain, written to `*len_out`: the `_n` form of
/// `hedui_audit_chain_len`. A NULL `chain` (or `len_out`) fails with
/// `HEDUI_RESULT_NULL_POINTER` and leaves `*len_out` untouched. With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one
/// line of JSON, owned by the caller and released with `hedui_string_free`.
///
/// # Safety
/// `chain` is NULL or a live handle; `len_out` is NULL or valid for a write of one
/// `size_t`; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_len_n(
    chain: *const hedui_audit_chain,
    len_out: *mut usize,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    let body = || {
        let out = out_arg(len_out, "len_out")?;
        // SAFETY: forwarded from this function's contract.
        let len = unsafe { chain_ref(chain)? }.len();
        // SAFETY: `out` is writable by this function's contract.
        unsafe { write_out(out, len) };
        Ok(())
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { boundary_err(error_json_out, body) }
}

/// Signs an audit chain's head with the agency's signing key (R11): a checkpoint to store
/// where whoever holds the audit MAC keys cannot write, so that a log and a head rewritten
/// together are still found out.
///
/// `request_json` is `{"head": {"chain": "...", "entries": n, "mac": "<64 hex>"}, "key_id":
/// "...", "seed_hex": "<the 32-byte Ed25519 private key, 64 hex characters>"}`; the seed is a
/// secret, as for `hedui_report_sign_json` (the host wipes its copies). On success
/// `*signed_head_json_out` receives `{"head": ..., "signature": {"key_id": "...",
/// "signature": "<128 hex>"}}`, owned by the caller and released with `hedui_string_free`.
/// Fails with `HEDUI_RESULT_SIGNING_KEY_INVALID` for an empty key id or a seed that is not 32
/// bytes, `HEDUI_RESULT_INPUT_JSON` for unreadable input.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `signed_head_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_head_sign_json(
    request_json: *const c_char,
    signed_head_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            signed_head_json_out,
            "signed_head_json_out",
            std::ptr::null_mut(),
            |_, r| audit::audit_head_sign_json(r),
        )
    }
}

/// `hedui_audit_head_sign_json` with `request_json` given as (pointer, length) and the error handed back by the
/// call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_head_sign_json`; the text pointer is NULL or valid for its length in bytes of reads;
/// `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_head_sign_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    signed_head_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            signed_head_json_out,
            "signed_head_json_out",
            error_json_out,
            |_, r| audit::audit_head_sign_json(r),
        )
    }
}

/// The head of a signed audit checkpoint, once its signature verifies with a trusted key
/// (R11): the head to pass to `hedui_audit_chain_from_jsonl`.
///
/// `request_json` is `{"signed_head": <as hedui_audit_head_sign_json gives it>,
/// "trusted_keys": [{"key_id": "...", "public_key": "<64 hex>"}]}`. On success
/// `*head_json_out` receives the head, owned by the caller and released with
/// `hedui_string_free`. Fails with `HEDUI_RESULT_AUDIT_HEAD_SIGNATURE_INVALID` for a signature
/// by an untrusted key or one that does not verify, `HEDUI_RESULT_SIGNING_KEY_INVALID` for a
/// key id trusted twice, `HEDUI_RESULT_INPUT_JSON` for unreadable input.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `head_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_head_open_json(
    request_json: *const c_char,
    head_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            head_json_out,
            "head_json_out",
            std::ptr::null_mut(),
            |_, r| audit::audit_head_open_json(r),
        )
    }
}

/// `hedui_audit_head_open_json` with `request_json` given as (pointer, length) and the error handed back by the
/// call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_audit_head_open_json`; the text pointer is NULL or valid for its length in bytes of reads;
/// `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_head_open_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    head_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            head_json_out,
            "head_json_out",
            error_json_out,
            |_, r| audit::audit_head_open_json(r),
        )
    }
}

/// Releases an audit chain handle and its copy of the keyring. NULL is ignored. Using the handle
/// afterwards, or freeing it twice, is undefined behaviour.
///
/// # Safety
/// `chain` is NULL or a live handle from `hedui_audit_chain_new` or
/// `hedui_audit_chain_from_jsonl` that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_audit_chain_free(chain: *mut hedui_audit_chain) {
    if chain.is_null() {
        return;
    }
    let _ = catch_unwind(|| {
        // SAFETY: a live handle made by Box::into_raw in this module (caller's contract).
        drop(unsafe { Box::from_raw(chain) });
    });
}

/// Checks that every letter of a set of verifications is archived (R10, N §二(三)): each
/// entrustment letter under its number, batch and subjects, the authorization letter it rests
/// on, and a batch letter for each batch.
///
/// `request_json` is `{"archive": [<ArchivedDocument>...], "entrustments": [<Entrustment>...],
/// "authorizations": [<Authorization>...]}`. An incomplete archive is a successful check: on
/// success `*check_json_out` receives `{"complete":<bool>,"gaps":[{"code":"missing"|
/// "wrong_kind"|"misfiled"|"subject_not_indexed"|"no_authorization", ...}]}`, owned by the
/// caller and released with `hedui_string_free`. Unreadable input (or a digest archived twice
/// with other metadata) fails with `HEDUI_RESULT_INPUT_JSON`.
///
/// Every resident ID of the request is read under the rulebook (`rulebook` NULL for the
/// built-in one): its limits, and its identifier rules today, so a first-generation number
/// where the rulebook refuses them fails with `HEDUI_RESULT_ID_RESIDENT_LEGACY`, a birth date
/// outside its window with `HEDUI_RESULT_ID_RESIDENT_BIRTH_OUT_OF_RANGE`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `check_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_archive_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    check_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            check_json_out,
            "check_json_out",
            std::ptr::null_mut(),
            archive::archive_check_json_under,
        )
    }
}

/// `hedui_archive_check_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_archive_check_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_archive_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    check_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            check_json_out,
            "check_json_out",
            error_json_out,
            archive::archive_check_json_under,
        )
    }
}

/// Registers an operator account 经办人员账号 (R11: real name, 备案, agency operators only),
/// pending until its password is set and it is activated.
///
/// `request_json` is `{"request": <AccountRequest>, "agencies": [<Agency>...]}` (the
/// verification agencies known to the system). On success `*account_json_out` receives
/// `{"status":"pending","account":<OperatorAccount>}`, owned by the caller and released with
/// `hedui_string_free`; keep `account` for the next call. Fails with
/// `HEDUI_RESULT_SECURITY_NOT_AGENCY` or `HEDUI_RESULT_SECURITY_NOT_REGISTERED`.
///
/// The request is read under the rulebook (`rulebook` NULL for the built-in one): its limits,
/// and its identifier rules on the day of registration for the operator's resident ID, so a
/// first-generation number where the rulebook refuses them fails with
/// `HEDUI_RESULT_ID_RESIDENT_LEGACY`, a birth date outside its window with
/// `HEDUI_RESULT_ID_RESIDENT_BIRTH_OUT_OF_RANGE`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `account_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_register_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    account_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            account_json_out,
            "account_json_out",
            std::ptr::null_mut(),
            account::account_register_json_under,
        )
    }
}

/// `hedui_account_register_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_account_register_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_register_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    account_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            account_json_out,
            "account_json_out",
            error_json_out,
            account::account_register_json_under,
        )
    }
}

/// Sets an operator's password (R11 严禁弱口令) under the rulebook's password policy
/// (`rulebook` NULL for the built-in one): it must pass the weak-password rules and differ
/// from the recent ones; it is stored as PBKDF2-HMAC-SHA256.
///
/// `request_json` is `{"account": <OperatorAccount>, "password": "...", "salt_hex": "<fresh
/// salt from the host's CSPRNG, hex>", "on": "YYYY-MM-DD"}`. On success `*account_json_out`
/// receives `{"status":...,"account":...}`, owned by the caller and released with
/// `hedui_string_free`. Fails with `HEDUI_RESULT_SECURITY_WEAK_PASSWORD` (every reason in the
/// message) or `HEDUI_RESULT_SECURITY_SALT_LENGTH`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `account_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_set_password_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    account_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            account_json_out,
            "account_json_out",
            std::ptr::null_mut(),
            account::account_set_password_json,
        )
    }
}

/// `hedui_account_set_password_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_account_set_password_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_set_password_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    account_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            account_json_out,
            "account_json_out",
            error_json_out,
            account::account_set_password_json,
        )
    }
}

/// Activates an operator account (R11 保密协议): only with a signed confidentiality agreement
/// and a password.
///
/// `request_json` is `{"account": <OperatorAccount>, "on": "YYYY-MM-DD"}`. On success
/// `*account_json_out` receives `{"status":"active","account":...}`, owned by the caller and
/// released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SECURITY_CONFIDENTIALITY_UNSIGNED` or `HEDUI_RESULT_SECURITY_PASSWORD_NOT_SET`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `account_json_out` is NULL or valid for
/// a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_activate_json(
    request_json: *const c_char,
    account_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            account_json_out,
            "account_json_out",
            std::ptr::null_mut(),
            |_, r| account::account_activate_json(r),
        )
    }
}

/// `hedui_account_activate_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_account_activate_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_activate_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    account_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            account_json_out,
            "account_json_out",
            error_json_out,
            |_, r| account::account_activate_json(r),
        )
    }
}

/// Checks an operator's login (R11; constant-time comparison) under the rulebook's password
/// policy (`rulebook` NULL for the built-in one).
///
/// `request_json` is `{"account": <OperatorAccount>, "password": "...", "at": "<RFC 3339
/// time>"}`. Every login runs the same PBKDF2 work whatever the account's state. A refused
/// login is not a failed call, because the account comes back with the failure counted
/// (locked at `password.lockout_failures` until `account.locked_until`, each lock-out in a
/// row twice as long up to `password.lockout_max_minutes`) and must be kept: on success
/// `*login_json_out` receives `{"accepted":<bool>,"rotation_due":<bool>,"rehash_due":<bool>,
/// "refused":{"code":"security_wrong_password"|"security_account_locked"|
/// "security_account_inactive","message":"..."} (only when refused),"status":...,
/// "account":...}`, owned by the caller and released with `hedui_string_free`. Unreadable
/// input fails with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `login_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_login_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    login_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            login_json_out,
            "login_json_out",
            std::ptr::null_mut(),
            account::account_login_json,
        )
    }
}

/// `hedui_account_login_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_account_login_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_login_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    login_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            login_json_out,
            "login_json_out",
            error_json_out,
            account::account_login_json,
        )
    }
}

/// Answers a login to a name the host has no account for (R11): the same PBKDF2 work as a
/// real login (a stand-in hash with the rulebook's iterations) and the answer a wrong password
/// gets, so a guesser learns neither from the time nor from the answer which names exist
/// (`rulebook` NULL for the built-in one).
///
/// `request_json` is `{"account": "...", "password": "..."}`. On success `*login_json_out`
/// receives `{"accepted":false,"refused":{"code":"security_wrong_password","message":"..."}}`,
/// owned by the caller and released with `hedui_string_free`. Unreadable input fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `login_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_login_unknown_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    login_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            login_json_out,
            "login_json_out",
            std::ptr::null_mut(),
            account::account_login_unknown_json,
        )
    }
}

/// `hedui_account_login_unknown_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_account_login_unknown_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_account_login_unknown_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    login_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            login_json_out,
            "login_json_out",
            error_json_out,
            account::account_login_unknown_json,
        )
    }
}

/// Flags signs of account lending 账号外借 (R11): one account's sessions overlapping on two
/// terminals, and consecutive logins farther apart than the rulebook's
/// `security.max_travel_kmh` allows (`rulebook` NULL for the built-in one).
///
/// `request_json` is `{"sessions": [<Session>...], "gazetteer": {"141002": {"lat":..,"lon":..},
/// ...}}` (`gazetteer` optional: places of region codes for sessions located by region). On
/// success `*flags_json_out` receives `{"flags":[{"code":"overlap"|"impossible_travel",
/// "account":...,"first":i,"second":j, ...}]}` (`first`/`second` index `sessions`), owned by
/// the caller and released with `hedui_string_free`. Unreadable input fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `flags_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_lending_detect_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    flags_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            flags_json_out,
            "flags_json_out",
            std::ptr::null_mut(),
            lending::lending_detect_json,
        )
    }
}

/// `hedui_lending_detect_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_lending_detect_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_lending_detect_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    flags_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            flags_json_out,
            "flags_json_out",
            error_json_out,
            lending::lending_detect_json,
        )
    }
}

/// Checks a password against the weak-password rules (R11 严禁弱口令) of the rulebook's
/// password policy (`rulebook` NULL for the built-in one), without the history (that needs
/// the stored hashes: `hedui_account_set_password_json`).
///
/// `request_json` is `{"password": "...", "account": "<login name>", "resident_id":
/// "<operator's resident ID>", "name": "<real name>" (optional)}`. The password is a secret: hedui keeps no copy after the call,
/// and the host must wipe its own copies (the request text among them). A weak password is a
/// successful check: on success `*check_json_out` receives `{"acceptable":<bool>,
/// "weaknesses":[{"code":"too_short"|"too_long"|"too_few_classes"|"contains_account"|
/// "contains_name"|"contains_id_digits"|"common", ..., "message":"..."}]}`, owned by the caller and released
/// with `hedui_string_free`. Unreadable input fails with `HEDUI_RESULT_INPUT_JSON` (or the
/// resident ID's own result, e.g. `HEDUI_RESULT_ID_RESIDENT_CHECKSUM`).
///
/// # Safety
/// `rulebook` is NULL or a live handle; `request_json` is NULL or a NUL-terminated string;
/// `check_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_password_check_json(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    check_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Terminated(request_json),
            check_json_out,
            "check_json_out",
            std::ptr::null_mut(),
            security::password_check_json,
        )
    }
}

/// `hedui_password_check_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_password_check_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_password_check_json_n(
    rulebook: *const hedui_rulebook,
    request_json: *const c_char,
    request_json_len: usize,
    check_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            rulebook,
            Text::Counted(request_json, request_json_len),
            check_json_out,
            "check_json_out",
            error_json_out,
            security::password_check_json,
        )
    }
}

/// Decides whether a role may do an action (R11 严控数据处理权限), default deny.
///
/// `request_json` is `{"role": "operator", "action": "query_data", "category":
/// "bank_deposits" (needed for `query_data`), "permissions": {"roles": [...]} (optional; the
/// default table when absent)}`. A deny is a successful check: on success
/// `*decision_json_out` receives `{"decision":"permit"|"deny","role":...,"action":...,
/// "category":... (when given),"reason":"..."}`, owned by the caller and released with
/// `hedui_string_free`. An unknown action or category, or a table that cannot be read, fails
/// with `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `decision_json_out` is NULL or valid
/// for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_permission_check_json(
    request_json: *const c_char,
    decision_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            decision_json_out,
            "decision_json_out",
            std::ptr::null_mut(),
            |_, r| security::permission_check_json(r),
        )
    }
}

/// `hedui_permission_check_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_permission_check_json`; each text pointer is NULL or valid for its length in bytes
/// of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_permission_check_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    decision_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            decision_json_out,
            "decision_json_out",
            error_json_out,
            |_, r| security::permission_check_json(r),
        )
    }
}

/// A report as a role may see it (R11, minimum scope): resident IDs, names and amounts full,
/// masked or left out by the role's view; a role not in the table sees none of them.
///
/// `request_json` is `{"report": <Report>, "role": "archivist", "permissions": {"roles":
/// [...]} (optional; the default table when absent)}`. On success `*report_json_out`
/// receives the masked report, owned by the caller and released with `hedui_string_free`.
/// It is a view: its digest no longer verifies. A `report` that is not a report fails with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `report_json_out` is NULL or valid for
/// a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_mask_json(
    request_json: *const c_char,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            report_json_out,
            "report_json_out",
            std::ptr::null_mut(),
            |_, r| security::report_mask_json(r),
        )
    }
}

/// `hedui_report_mask_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_mask_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_mask_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            report_json_out,
            "report_json_out",
            error_json_out,
            |_, r| security::report_mask_json(r),
        )
    }
}

/// Seals a report and signs its digest with an Ed25519 key (R11); the signature goes in the
/// report's `integrity` block, outside the canonical form. Ed25519 is deterministic: the same
/// report and key give the same signature through C, uniffi, Python and Rust.
///
/// `request_json` is `{"report": <Report>, "key_id": "linfen-2026", "seed_hex": "<the
/// 32-byte Ed25519 private key (RFC 8032 seed), 64 hex characters>"}`. The seed is the
/// agency's secret, from its key store (hedui generates no keys): hedui overwrites its own
/// copy when the call ends, and the host must wipe its copies, the request text among them.
/// No error message repeats the seed. On success `*report_json_out` receives the signed
/// report, owned by the caller and released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SIGNING_KEY_INVALID` for an empty key id or a seed that is not 32 bytes,
/// `HEDUI_RESULT_INPUT_JSON` for unreadable input or a seed that is not hex.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `report_json_out` is NULL or valid for
/// a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_sign_json(
    request_json: *const c_char,
    report_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            report_json_out,
            "report_json_out",
            std::ptr::null_mut(),
            |_, r| security::report_sign_json(r),
        )
    }
}

/// `hedui_report_sign_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_sign_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_sign_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    report_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            report_json_out,
            "report_json_out",
            error_json_out,
            |_, r| security::report_sign_json(r),
        )
    }
}

/// The public half of a signing key, as the trusted-key entry to hand to verifiers (R11).
///
/// `request_json` is `{"key_id": "linfen-2026", "seed_hex": "<64 hex characters>"}`; the
/// seed is a secret, as for `hedui_report_sign_json` (the host wipes its copies). On success
/// `*key_json_out` receives `{"key_id":"...","public_key":"<64 hex characters>"}`, owned by
/// the caller and released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SIGNING_KEY_INVALID` for an empty key id or a seed that is not 32 bytes,
/// `HEDUI_RESULT_INPUT_JSON` for unreadable input.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `key_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_signing_key_trust_json(
    request_json: *const c_char,
    key_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            key_json_out,
            "key_json_out",
            std::ptr::null_mut(),
            |_, r| security::signing_key_trust_json(r),
        )
    }
}

/// `hedui_signing_key_trust_json` with `request_json` given as (pointer, length) and the error
/// handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_signing_key_trust_json`; each text pointer is NULL or valid for its length in
/// bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_signing_key_trust_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    key_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            key_json_out,
            "key_json_out",
            error_json_out,
            |_, r| security::signing_key_trust_json(r),
        )
    }
}

/// Checks a signed report (R11): its digest against its content and its signature against
/// the trusted key it names. A report changed after signing fails.
///
/// `request_json` is `{"report": <signed Report>, "trusted_keys": [{"key_id":"...",
/// "public_key":"<64 hex characters>"}, ...]}` (ids unique). On success
/// `*verified_json_out` receives `{"key_id":"<the key that signed>","digest":"<SHA-256
/// hex>"}`, owned by the caller and released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SIGNATURE_INVALID` for a report unsigned, changed or badly signed,
/// `HEDUI_RESULT_SIGNATURE_UNKNOWN_KEY` for a key id no trusted key has,
/// `HEDUI_RESULT_SIGNING_KEY_INVALID` for a key id trusted twice, `HEDUI_RESULT_INPUT_JSON`
/// for unreadable input.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `verified_json_out` is NULL or valid
/// for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_verify_signature_json(
    request_json: *const c_char,
    verified_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            verified_json_out,
            "verified_json_out",
            std::ptr::null_mut(),
            |_, r| security::report_verify_signature_json(r),
        )
    }
}

/// `hedui_report_verify_signature_json` with `request_json` given as (pointer, length) and the
/// error handed back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes
/// (else `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out`
/// non-NULL, `*error_json_out` becomes NULL on success and, on failure, the error as one line
/// of JSON (as `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_report_verify_signature_json`; each text pointer is NULL or valid for its length
/// in bytes of reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_report_verify_signature_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    verified_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            verified_json_out,
            "verified_json_out",
            error_json_out,
            |_, r| security::report_verify_signature_json(r),
        )
    }
}

/// Seals a document at rest with SM4-GCM (the commercial-cryptography suite) in hedui's
/// versioned envelope (docs/security.md, "Sealed documents").
///
/// `request_json` is `{"key_id": "...", "key_hex": "<32 hex characters>", "plaintext": "...",
/// "aad": "..." (optional), "nonce_hex": "<24 hex characters>" (optional: drawn from the
/// operating system's CSPRNG when absent)}`; the key is a secret the host wipes after the
/// call. On success `*sealed_json_out` receives `{"key_id":"...","sealed_hex":"..."}`, owned
/// by the caller and released with `hedui_string_free`. Fails with
/// `HEDUI_RESULT_SEAL_KEY_INVALID` for a key that is not 16 bytes or an empty key id,
/// `HEDUI_RESULT_SEAL_ENVELOPE_MALFORMED` for a nonce that is not 12 bytes,
/// `HEDUI_RESULT_INPUT_JSON` for unreadable input.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `sealed_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_document_seal_json(
    request_json: *const c_char,
    sealed_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            sealed_json_out,
            "sealed_json_out",
            std::ptr::null_mut(),
            |_, r| security::document_seal_json(r),
        )
    }
}

/// `hedui_document_seal_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_document_seal_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_document_seal_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    sealed_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            sealed_json_out,
            "sealed_json_out",
            error_json_out,
            |_, r| security::document_seal_json(r),
        )
    }
}

/// Opens an envelope of `hedui_document_seal_json` with its key and associated data.
///
/// `request_json` is `{"key_id": "...", "key_hex": "<32 hex characters>", "sealed_hex":
/// "...", "aad": "..." (optional)}`. On success `*opened_json_out` receives
/// `{"plaintext":"..."}`, owned by the caller and released with `hedui_string_free`. Fails
/// with `HEDUI_RESULT_SEAL_ENVELOPE_MALFORMED` (truncated, unknown version or algorithm),
/// `HEDUI_RESULT_SEAL_WRONG_KEY` (another key id), `HEDUI_RESULT_SEAL_OPEN_FAILED` (changed
/// bytes, other associated data, other key bytes), `HEDUI_RESULT_SEAL_KEY_INVALID`,
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `opened_json_out` is NULL or valid for a
/// write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_document_open_json(
    request_json: *const c_char,
    opened_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            opened_json_out,
            "opened_json_out",
            std::ptr::null_mut(),
            |_, r| security::document_open_json(r),
        )
    }
}

/// `hedui_document_open_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_document_open_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_document_open_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    opened_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            opened_json_out,
            "opened_json_out",
            error_json_out,
            |_, r| security::document_open_json(r),
        )
    }
}
