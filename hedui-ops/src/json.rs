//! The one JSON adapter: text in, compact JSON bytes out, for hosts that speak JSON (C,
//! uniffi). Hosts with their own objects (Python) call the typed operations instead.
//!
//! ```
//! use hedui_ops::{json, report};
//!
//! // parse the request (a failure names the document), run the operation, serialize
//! let out = json::call("report", "{}", |r: serde_json::Value| Ok(r.is_object()))?;
//! assert_eq!(out, b"true");
//! let e = json::call("report", "{", |r: serde_json::Value| Ok(r)).unwrap_err();
//! assert_eq!(e.code(), "input_json");
//! # let _ = report::report_verify_digest;
//! # Ok::<(), hedui_ops::Failure>(())
//! ```

use hedui_core::Error;
use hedui_core::security::ReportKeyring;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::failure::Failure;

/// Reads a request document; `document` names it in the error (`invalid <document> json`).
///
/// # Errors
/// [`Failure::Core`] with code `input_json` (or an identifier's own code, e.g.
/// `id_resident_checksum`) when `text` is not the document.
pub fn parse<T: DeserializeOwned>(document: &'static str, text: &str) -> Result<T, Failure> {
    Error::parse(document, text).map_err(Failure::Core)
}

/// Reads a request document under `rulebook`: within its `limits`, and, when `on` is given,
/// with every resident ID held to its `identifiers` rules on that day (no birth date after it
/// or before the rulebook's floor; no first-generation number where the rulebook refuses
/// them), the first one refused failing with its own code and JSON path
/// ([`Rulebook::read_document`](hedui_core::Rulebook::read_document)).
///
/// # Errors
/// As [`parse`], and `id_resident_birth_out_of_range` or `id_resident_legacy`.
pub fn parse_under<T: DeserializeOwned>(
    document: &'static str,
    text: &str,
    rulebook: &hedui_core::Rulebook,
    on: Option<time::Date>,
) -> Result<T, Failure> {
    rulebook
        .read_document(document, text, on)
        .map_err(Failure::Core)
}

/// [`parse_under`] for a request that names its own day (`on`, `registered_on`): read under
/// the rulebook's limits, the day taken from it by `day`, then read again with the identifier
/// rules of that day, so that a refused resident ID names its JSON path.
///
/// # Errors
/// As [`parse_under`].
pub fn parse_dated<T: DeserializeOwned>(
    document: &'static str,
    text: &str,
    rulebook: &hedui_core::Rulebook,
    day: impl FnOnce(&T) -> time::Date,
) -> Result<T, Failure> {
    let value: T = parse_under(document, text, rulebook, None)?;
    let on = day(&value);
    parse_under::<T>(document, text, rulebook, Some(on))?;
    Ok(value)
}

/// A response as compact JSON.
///
/// # Errors
/// [`Failure::Panic`] when the value cannot be serialized (a bug: every response type
/// serializes).
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Failure> {
    serde_json::to_vec(value).map_err(|e| Failure::Panic(format!("serializing a response: {e}")))
}

/// Parses `text` as the request of `op`, runs it and returns its response as compact JSON.
///
/// # Errors
/// As [`parse`], then whatever `op` fails with, then as [`to_vec`].
pub fn call<Req, Resp>(
    document: &'static str,
    text: &str,
    op: impl FnOnce(Req) -> Result<Resp, Failure>,
) -> Result<Vec<u8>, Failure>
where
    Req: DeserializeOwned,
    Resp: Serialize,
{
    to_vec(&op(parse(document, text)?)?)
}

/// An operation that takes one JSON request document (and the rulebook, which it may ignore).
pub type JsonOperation = fn(&hedui_core::Rulebook, &str) -> Result<Vec<u8>, Failure>;

/// The operation named `name` in the catalog, for those that take one JSON request document:
/// what a host that dispatches by name (or the shared corpus) calls.
pub fn operation(name: &str) -> Option<JsonOperation> {
    use crate::{
        account, appeal, archive, audit, authorization, identifier, lending, population, query,
        security,
    };
    let op: JsonOperation = match name {
        "authorization_check" => authorization::authorization_check_json,
        "coverage_audit" => population::coverage_audit_json,
        "recheck_schedule" => population::recheck_schedule_request_json,
        "query_plan" => query::query_plan_json,
        // dispatched by name, an evidence gate trusts the keys its request carries
        // (`trusted_keys`); the hosts may pass a loaded keyring besides
        "appeal_file" => |rb, r| appeal::appeal_file_json(rb, &ReportKeyring::default(), r),
        "report_history_record" => {
            |rb, r| appeal::report_history_record_json(rb, &ReportKeyring::default(), r)
        }
        "archive_check" => archive::archive_check_json_under,
        "account_register" => account::account_register_json_under,
        "account_set_password" => account::account_set_password_json,
        "account_activate" => |_, r| account::account_activate_json(r),
        "account_login" => account::account_login_json,
        "account_login_unknown" => account::account_login_unknown_json,
        "lending_detect" => lending::lending_detect_json,
        "password_check" => security::password_check_json,
        "permission_check" => |_, r| security::permission_check_json(r),
        "report_mask" => |_, r| security::report_mask_json(r),
        "report_sign" => |_, r| security::report_sign_json(r),
        "signing_key_trust" => |_, r| security::signing_key_trust_json(r),
        "report_verify_signature" => |_, r| security::report_verify_signature_json(r),
        "document_seal" => |_, r| security::document_seal_json(r),
        "document_open" => |_, r| security::document_open_json(r),
        "id_check" => identifier::id_check_json,
        "resident_id_check" => identifier::resident_id_check_json,
        "credit_code_check" => identifier::credit_code_check_json,
        "case_tables_read" => |_, r| crate::tables::case_tables_read_json(r),
        "case_tables_write" => |_, r| crate::tables::case_tables_write_json(r),
        "audit_head_sign" => |_, r| audit::audit_head_sign_json(r),
        "audit_head_open" => |_, r| audit::audit_head_open_json(r),
        "report_check_use" => crate::report::report_check_use_json,
        "report_check_printed" => {
            |_, r| crate::paper::report_check_printed_json(r).map(String::into_bytes)
        }
        _ => return None,
    };
    Some(op)
}
