//! Passwords, permissions, masking and report signatures (R11 严禁弱口令、严控数据处理权限):
//! `password_check`, `permission_check`, `report_mask`, `report_sign`, `signing_key_trust`,
//! `report_verify_signature`.
//!
//! Secrets arrive as text in the request: a password as a JSON string, a signing seed as hex
//! (`seed_hex`), like the salt of `account_set_password`. hedui keeps no secret after a call
//! returns; the host owns the request text and its own copies of the secret, and must wipe
//! them when it is done (hedui cannot reach them).
//!
//! ```
//! use hedui_ops::{args, security};
//!
//! let out = security::password_check_json(
//!     args::default_rulebook(),
//!     r#"{"password": "abc", "account": "wangli", "resident_id": "360426199101010071"}"#,
//! )?;
//! let checked: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(checked["acceptable"], false);
//! assert_eq!(checked["weaknesses"][0]["code"], "too_short");
//! # Ok::<(), hedui_ops::Failure>(())
//! ```

use std::fmt;

use hedui_core::error::{Described, SecurityError};
use hedui_core::security::{
    Action, PermissionDecision, Permissions, ReportKeyring, ReportSigner, TrustedKey, WeakReason,
    password_weaknesses_for_holder,
};
use hedui_core::{DataCategory, Error, Report, ResidentId, Rulebook, Sha256Digest};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::failure::Failure;
use crate::json;

fn security(e: SecurityError) -> Failure {
    Failure::Core(Error::from(e))
}

// ------------------------------------------------------------------ passwords

/// The request of `password_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordCheckRequest {
    /// The candidate password (the host wipes its copies after the call).
    pub password: SecretText,
    /// The operator's login name.
    pub account: String,
    /// The operator's resident ID.
    pub resident_id: ResidentId,
    /// The operator's real name, when known: a password containing it is weak too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The response of `password_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PasswordChecked {
    /// No weakness found.
    pub acceptable: bool,
    /// Every weakness, each with its `code` (`too_short`, `too_long`, `too_few_classes`,
    /// `contains_account`, `contains_name`, `contains_id_digits`, `common`), its own fields
    /// and `message`.
    pub weaknesses: Vec<Described<WeakReason>>,
}

/// Operation `password_check`: every weakness of a password for an operator (N §三
/// "账号严禁使用弱口令") by the rulebook's `password` policy and `security` rules. The history
/// rule needs stored hashes and is checked by `account_set_password`. A weak password is a
/// result, not a failed call.
pub fn password_check(rulebook: &Rulebook, request: &PasswordCheckRequest) -> PasswordChecked {
    let weaknesses: Vec<_> = password_weaknesses_for_holder(
        request.password.expose(),
        &request.account,
        request.name.as_deref().unwrap_or_default(),
        &request.resident_id,
        &rulebook.password,
        &rulebook.security,
    )
    .into_iter()
    .map(Described::new)
    .collect();
    PasswordChecked {
        acceptable: weaknesses.is_empty(),
        weaknesses,
    }
}

/// [`password_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` (or `id_resident_checksum`, ...) when `request_json` is not a
/// [`PasswordCheckRequest`].
pub fn password_check_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    // the holder's resident ID under the rulebook's identifier rules, today
    let request: PasswordCheckRequest = json::parse_under(
        "password check",
        request_json,
        rulebook,
        Some(crate::args::today_beijing()),
    )?;
    json::to_vec(&password_check(rulebook, &request))
}

// ------------------------------------------------------------------ permissions, masking

/// The request of `permission_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionCheckRequest {
    /// The role (`operator`, `reviewer`, `archivist`, `security_admin`, `auditor` in the
    /// default table).
    pub role: String,
    /// The action (`query_data`, `view_report`, `sign_report`, ...).
    pub action: Action,
    /// The data category; needed for `query_data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<DataCategory>,
    /// The permission table (`{"roles": [...]}`); the default table when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
}

/// Operation `permission_check`: whether a role may do an action (on a category), default
/// deny (N §三 "严控各类人员数据处理权限"): an unknown role, an action or category not granted,
/// or a data query without a category is a deny with its reason, not a failed call.
pub fn permission_check(request: &PermissionCheckRequest) -> PermissionDecision {
    let default;
    let table = match &request.permissions {
        Some(table) => table,
        None => {
            default = Permissions::default();
            &default
        }
    };
    table.check(&request.role, request.action, request.category)
}

/// [`permission_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`PermissionCheckRequest`] (an unknown action
/// or category among others).
pub fn permission_check_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "permission check",
        request_json,
        |r: PermissionCheckRequest| Ok(permission_check(&r)),
    )
}

/// The request of `report_mask`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportMaskRequest {
    /// The report (it must read as a report; it is masked as it was given).
    pub report: serde_json::Value,
    /// The role whose view applies.
    pub role: String,
    /// The permission table (`{"roles": [...]}`); the default table when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
}

/// Operation `report_mask`: a report as `role` may see it (R11, 个人信息保护法 minimum
/// scope): resident IDs, names, addresses, officers' names and amounts full, masked or hidden
/// by the role's view in the permission table; a role not in the table sees none of them.
/// Personal data is masked by type wherever it stands, free text included: the report's own
/// members, officers and addresses are found in every text of it, and so is every run shaped
/// like a resident ID ([`MaskPolicy::report_view`](hedui_core::security::MaskPolicy::report_view)).
/// Masking changes the content, so the digest of the view no longer verifies: it is a view,
/// not a report to archive.
///
/// # Errors
/// `input_json` (or an identifier's own code) when `report` is not a report.
pub fn report_mask(request: ReportMaskRequest) -> Result<serde_json::Value, Failure> {
    // only reports are masked, and by what the report says its personal data is
    let report = Report::deserialize(&request.report)
        .map_err(|e| Failure::Core(Error::json("report", &e)))?;
    let view = match &request.permissions {
        Some(table) => table.view(&request.role),
        None => Permissions::default().view(&request.role),
    };
    view.report_view(&report)
        .map_err(|e| Failure::Core(Error::from(e)))
}

/// [`report_mask`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ReportMaskRequest`], else as [`report_mask`].
pub fn report_mask_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("report mask request", request_json, report_mask)
}

// ------------------------------------------------------------------ signatures

/// A secret given as text (a password). `Debug` shows none of it, and the text is wiped when
/// the value is dropped (`zeroize`); in JSON it is a plain string. The request text it was read
/// from stays the host's to wipe.
#[derive(Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct SecretText(Zeroizing<String>);

impl SecretText {
    /// Secret text from a host that has it as a string (Python `str`); wiped when dropped.
    pub fn new(text: String) -> Self {
        SecretText(Zeroizing::new(text))
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText(..)")
    }
}

/// Secret bytes given as hex text in JSON (a signing seed). Its `Debug` shows no byte, and
/// the bytes are wiped when it is dropped (`zeroize`: a copy the signing library makes inside
/// itself is out of reach). The request text it was read from stays the host's to wipe.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Secret bytes from a host that has them as bytes (Python `bytes`); the vector is wiped
    /// when the value is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(Zeroizing::new(bytes))
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes({} bytes)", self.0.len())
    }
}

struct SecretHex;

impl Visitor<'_> for SecretHex {
    type Value = SecretBytes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("secret bytes as hex text")
    }

    // The text is decoded in place, without an intermediate `String`; no error message
    // repeats any of it.
    fn visit_str<E: de::Error>(self, text: &str) -> Result<SecretBytes, E> {
        if text.len() % 2 != 0 {
            return Err(E::custom("hex text has an odd number of digits"));
        }
        let digit = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
        let mut bytes = SecretBytes::new(Vec::with_capacity(text.len() / 2));
        for pair in text.as_bytes().chunks(2) {
            match (digit(pair.first()), digit(pair.get(1))) {
                (Some(hi), Some(lo)) => bytes.0.push(u8::try_from(hi * 16 + lo).unwrap_or(0)),
                _ => {
                    return Err(E::custom("hex text holds a character that is not 0-9, a-f"));
                }
            }
        }
        Ok(bytes)
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(SecretHex)
    }
}

impl Serialize for SecretBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text: Zeroizing<String> =
            Zeroizing::new(self.0.iter().map(|b| format!("{b:02x}")).collect());
        serializer.serialize_str(&text)
    }
}

/// The signer of `key_id` from a 32-byte seed.
fn signer(key_id: &str, seed: &SecretBytes) -> Result<ReportSigner, Failure> {
    report_signer_new(key_id, &seed.0)
}

// ------------------------------------------------------------------ signer and keyring objects

/// Operation `report_signer_new`: the agency's report signer, loaded once from the 32-byte
/// Ed25519 seed (RFC 8032 private key) its key store holds, then used for every report
/// (`report_signer_sign`) without the seed passing again. hedui generates no keys.
///
/// # Errors
/// `signing_key_invalid` for an empty key id or a seed that is not 32 bytes.
pub fn report_signer_new(key_id: &str, seed: &[u8]) -> Result<ReportSigner, Failure> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    if seed.len() != bytes.len() {
        return Err(security(SecurityError::SigningKey {
            key_id: key_id.to_owned(),
            reason: format!(
                "the seed is {} bytes, an Ed25519 seed is 32 bytes (64 hex characters)",
                seed.len()
            ),
        }));
    }
    bytes.copy_from_slice(seed);
    ReportSigner::from_seed(key_id, &bytes).map_err(security)
}

/// Operation `report_signer_sign`: seals `report` and signs its digest with a loaded signer
/// (as `report_sign`, without the seed).
///
/// # Errors
/// `report_unsealable` for a report that cannot be written whole in its canonical form.
pub fn report_signer_sign(signer: &ReportSigner, mut report: Report) -> Result<Report, Failure> {
    signer
        .sign_report(&mut report)
        .map_err(|e| Failure::Core(e.into()))?;
    Ok(report)
}

/// [`report_signer_sign`] on a report's JSON; the signed report's JSON out.
///
/// # Errors
/// `input_json` for text that is not a report, else as [`report_signer_sign`].
pub fn report_signer_sign_json(
    signer: &ReportSigner,
    report_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("report", report_json, |r: Report| {
        report_signer_sign(signer, r)
    })
}

/// Operation `report_signer_trusted_key`: the signer's public half as the trusted-key entry
/// (`key_id`, `public_key` as 64 hex characters) for verifiers' keyrings.
pub fn report_signer_trusted_key(signer: &ReportSigner) -> TrustedKey {
    signer.trusted_key()
}

/// [`report_signer_trusted_key`] as JSON.
///
/// # Errors
/// None in practice; the JSON writer's error is passed on.
pub fn report_signer_trusted_key_json(signer: &ReportSigner) -> Result<Vec<u8>, Failure> {
    json::to_vec(&signer.trusted_key())
}

/// Operation `report_keyring_new`: a keyring of trusted report-signing keys, loaded once and
/// handed to every check (`report_keyring_verify`) and every gate that takes a report as
/// evidence (`relief_close`, `appeal_file`, `report_history_record`).
///
/// # Errors
/// `signing_key_invalid` for a key id trusted twice.
pub fn report_keyring_new(keys: Vec<TrustedKey>) -> Result<ReportKeyring, Failure> {
    let mut keyring = ReportKeyring::default();
    for key in keys {
        keyring.add(key).map_err(security)?;
    }
    Ok(keyring)
}

/// [`report_keyring_new`] from a JSON array of trusted keys (`[{"key_id", "public_key"}]`).
///
/// # Errors
/// `input_json` for text that is not such an array, else as [`report_keyring_new`].
pub fn report_keyring_new_json(trusted_keys_json: &str) -> Result<ReportKeyring, Failure> {
    report_keyring_new(json::parse("trusted keys", trusted_keys_json)?)
}

/// Operation `report_keyring_verify`: checks a signed report against a loaded keyring, its
/// digest against its content and its signature against the trusted key it names.
///
/// # Errors
/// `signature_invalid` for a report that is unsigned, changed or badly signed,
/// `signature_unknown_key` for a key id the keyring does not trust.
pub fn report_keyring_verify(
    keyring: &ReportKeyring,
    report: &Report,
) -> Result<SignatureVerified, Failure> {
    keyring.verify_report(report).map_err(security)?;
    match report
        .integrity
        .as_ref()
        .and_then(|i| i.signature.as_ref().map(|s| (i, s)))
    {
        Some((integrity, signature)) => Ok(SignatureVerified {
            key_id: signature.key_id.clone(),
            digest: integrity.digest,
        }),
        None => Err(security(SecurityError::BadSignature {
            key_id: String::new(),
        })),
    }
}

/// [`report_keyring_verify`] on a report's JSON.
///
/// # Errors
/// `input_json` for text that is not a report, else as [`report_keyring_verify`].
pub fn report_keyring_verify_json(
    keyring: &ReportKeyring,
    report_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("report", report_json, |r: Report| {
        report_keyring_verify(keyring, &r)
    })
}

/// The request of `report_sign`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSignRequest {
    /// The report.
    pub report: Report,
    /// The key's id, as verifiers know it.
    pub key_id: String,
    /// The 32-byte Ed25519 private key (RFC 8032 seed) as 64 hex characters, from the host's
    /// key store (hedui generates no keys).
    pub seed_hex: SecretBytes,
}

/// Operation `report_sign`: seals the report (its digest over the canonical form) and signs
/// the digest with Ed25519; the signature goes in the report's `integrity` block, outside the
/// canonical form. Ed25519 is deterministic: one report and key give one signature in every
/// host.
///
/// # Errors
/// `signing_key_invalid` for an empty key id or a seed that is not 32 bytes;
/// `report_unsealable` for a report that cannot be written whole in its canonical form.
pub fn report_sign(request: ReportSignRequest) -> Result<Report, Failure> {
    let signer = signer(&request.key_id, &request.seed_hex)?;
    let mut report = request.report;
    signer
        .sign_report(&mut report)
        .map_err(|e| Failure::Core(e.into()))?;
    Ok(report)
}

/// [`report_sign`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ReportSignRequest`], else as [`report_sign`].
pub fn report_sign_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("report signing request", request_json, report_sign)
}

/// The request of `signing_key_trust`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SigningKeyTrustRequest {
    /// The key's id.
    pub key_id: String,
    /// The 32-byte Ed25519 seed as 64 hex characters.
    pub seed_hex: SecretBytes,
}

/// Operation `signing_key_trust`: the public half of a signing key, as the trusted-key entry
/// (`key_id`, `public_key` as 64 hex characters) to hand to verifiers.
///
/// # Errors
/// `signing_key_invalid` for an empty key id or a seed that is not 32 bytes.
pub fn signing_key_trust(request: &SigningKeyTrustRequest) -> Result<TrustedKey, Failure> {
    Ok(signer(&request.key_id, &request.seed_hex)?.trusted_key())
}

/// [`signing_key_trust`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`SigningKeyTrustRequest`], else as
/// [`signing_key_trust`].
pub fn signing_key_trust_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("signing key request", request_json, |r| {
        signing_key_trust(&r)
    })
}

/// The request of `report_verify_signature`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReportVerifySignatureRequest {
    /// The signed report.
    pub report: Report,
    /// The trusted keys (`key_id`, `public_key`), ids unique.
    pub trusted_keys: Vec<TrustedKey>,
}

/// The response of `report_verify_signature`: what was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureVerified {
    /// The trusted key that made the signature.
    pub key_id: String,
    /// The report's digest the signature covers.
    pub digest: Sha256Digest,
}

/// Operation `report_verify_signature`: checks a signed report, its digest against its
/// content and its signature against the trusted key it names. A report changed after
/// signing fails.
///
/// # Errors
/// `signature_invalid` for a report that is unsigned, changed or badly signed,
/// `signature_unknown_key` for a key id no trusted key has, `signing_key_invalid` for a key
/// id trusted twice.
pub fn report_verify_signature(
    request: &ReportVerifySignatureRequest,
) -> Result<SignatureVerified, Failure> {
    let keyring = report_keyring_new(request.trusted_keys.clone())?;
    report_keyring_verify(&keyring, &request.report)
}

/// [`report_verify_signature`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ReportVerifySignatureRequest`], else as
/// [`report_verify_signature`].
pub fn report_verify_signature_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("signature check request", request_json, |r| {
        report_verify_signature(&r)
    })
}
