//! Operator accounts (R11 实名制、备案制、保密协议、严禁弱口令): `account_register`,
//! `account_set_password`, `account_activate`, `account_login`, over an account the host
//! keeps as JSON, and `account_login_unknown` for a login name the host does not know. Every call returns the whole account and never changes the one passed in.

use hedui_core::{
    Agency, Error, Rulebook,
    security::{AccountRequest, AccountStatus, OperatorAccount},
};
use serde::{Deserialize, Deserializer, Serialize};
use time::{Date, OffsetDateTime};

use crate::failure::Failure;
use crate::json;
use crate::security::SecretText;

fn security(e: hedui_core::error::SecurityError) -> Failure {
    Failure::Core(Error::from(e))
}

/// The request of `account_register`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRegisterRequest {
    /// The registration: login name, real name, resident ID, 备案 number, agency, role,
    /// confidentiality agreement.
    pub request: AccountRequest,
    /// The verification agencies known to the system: only their operators get accounts.
    pub agencies: Vec<Agency>,
}

/// What every account operation returns besides its own result: the account and its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountState {
    /// `pending`, `active` or `locked`.
    pub status: AccountStatus,
    /// The whole account, to keep for the next call.
    pub account: OperatorAccount,
}

impl AccountState {
    fn of(account: OperatorAccount) -> Self {
        AccountState {
            status: account.status(),
            account,
        }
    }
}

/// Operation `account_register`: a real-name, registered account of an agency's operator,
/// pending until its password is set and it is activated. The operator's resident ID is held
/// to the rulebook's identifier rules on the day of registration (`request.registered_on`):
/// no first-generation number where the rulebook refuses them, no birth date after that day
/// or before the rulebook's floor. The rules apply once, here: the account keeps the ID in its
/// eighteen-character form, and the operations on a registered account do not check it again,
/// so that a later rulebook with a later floor cannot lock out an operator registered before.
///
/// # Errors
/// `id_resident_legacy` or `id_resident_birth_out_of_range` for an ID the rules refuse,
/// `security_not_agency` for a body that is not a known agency, `security_not_registered`
/// for a malformed login name, missing real name, 备案 number or role.
pub fn account_register(
    rulebook: &Rulebook,
    request: AccountRegisterRequest,
) -> Result<AccountState, Failure> {
    rulebook
        .identifiers
        .check_resident_id(&request.request.resident_id, request.request.registered_on)
        .map_err(|e| Failure::Core(Error::from(e)))?;
    OperatorAccount::register(request.request, &request.agencies)
        .map(AccountState::of)
        .map_err(security)
}

/// [`account_register`] through the JSON adapter, under the built-in rulebook.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AccountRegisterRequest`], else as
/// [`account_register`].
pub fn account_register_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    account_register_json_under(crate::args::default_rulebook(), request_json)
}

/// [`account_register_json`] under `rulebook`: its limits, and the operator's resident ID
/// held to its identifier rules on the day of registration (`request.registered_on`), a
/// refused ID failing with its JSON path (`request.resident_id`).
///
/// # Errors
/// As [`account_register_json`], and `id_resident_birth_out_of_range` or
/// `id_resident_legacy` with the ID's JSON path.
pub fn account_register_json_under(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let request = json::parse_dated(
        "account registration",
        request_json,
        rulebook,
        |r: &AccountRegisterRequest| r.request.registered_on,
    )?;
    json::to_vec(&account_register(rulebook, request)?)
}

/// Bytes given as lowercase or uppercase hex text in JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HexBytes(pub Vec<u8>);

impl<'de> Deserialize<'de> for HexBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let digit = |b: u8| char::from(b).to_digit(16);
        if text.len() % 2 != 0 {
            return Err(serde::de::Error::custom(
                "hex text has an odd number of digits",
            ));
        }
        text.as_bytes()
            .chunks(2)
            .map(|pair| match pair {
                [hi, lo] => match (digit(*hi), digit(*lo)) {
                    (Some(h), Some(l)) => u8::try_from(h * 16 + l).ok(),
                    _ => None,
                },
                _ => None,
            })
            .collect::<Option<Vec<u8>>>()
            .map(HexBytes)
            .ok_or_else(|| {
                serde::de::Error::custom("hex text holds a character that is not 0-9, a-f")
            })
    }
}

impl Serialize for HexBytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        serializer.serialize_str(&text)
    }
}

/// The request of `account_set_password`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSetPasswordRequest {
    /// The account.
    pub account: OperatorAccount,
    /// The new password (`Debug` shows none of it; wiped when dropped).
    pub password: SecretText,
    /// A fresh salt from the host's CSPRNG, hex (at least the rulebook's
    /// `security.min_salt_bytes` bytes): hedui draws no randomness.
    pub salt_hex: HexBytes,
    /// Date of the change.
    pub on: Date,
}

/// Operation `account_set_password`: a new password that passes the weak-password rules and
/// differs from the recent ones, stored as PBKDF2-HMAC-SHA256 under the salt.
///
/// # Errors
/// `security_weak_password` listing every reason (a repeat among them),
/// `security_salt_length`.
pub fn account_set_password(
    rulebook: &Rulebook,
    request: AccountSetPasswordRequest,
) -> Result<AccountState, Failure> {
    let mut account = request.account;
    account
        .set_password(
            request.password.expose(),
            &request.salt_hex.0,
            request.on,
            &rulebook.password,
            &rulebook.security,
        )
        .map_err(security)?;
    Ok(AccountState::of(account))
}

/// [`account_set_password`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AccountSetPasswordRequest`], else as
/// [`account_set_password`].
pub fn account_set_password_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("password change", request_json, |r| {
        account_set_password(rulebook, r)
    })
}

/// The request of `account_activate`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountActivateRequest {
    /// The account.
    pub account: OperatorAccount,
    /// Date of activation.
    pub on: Date,
}

/// Operation `account_activate`: no activation without a signed confidentiality agreement
/// and a password.
///
/// # Errors
/// `security_confidentiality_unsigned`, `security_password_not_set`,
/// `security_not_registered` (activation before registration).
pub fn account_activate(request: AccountActivateRequest) -> Result<AccountState, Failure> {
    let mut account = request.account;
    account.activate(request.on).map_err(security)?;
    Ok(AccountState::of(account))
}

/// [`account_activate`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AccountActivateRequest`], else as
/// [`account_activate`].
pub fn account_activate_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("account activation", request_json, account_activate)
}

/// The request of `account_login`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountLoginRequest {
    /// The account.
    pub account: OperatorAccount,
    /// The password given (`Debug` shows none of it; wiped when dropped).
    pub password: SecretText,
    /// Time of the login, RFC 3339 with its offset: lock-outs are timed from it, the
    /// password's rotation is judged on its date.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Why a login was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginRefused {
    /// Stable code: `security_wrong_password`, `security_account_locked`,
    /// `security_account_inactive`.
    pub code: &'static str,
    /// Message.
    pub message: String,
}

/// The response of `account_login`. A refused login is not a failed call: the account comes
/// back with the failure counted (and locked at the rulebook's limit), which the host must
/// keep, or lock-out would never happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountLogin {
    /// The login was accepted.
    pub accepted: bool,
    /// Accepted, and the password is older than the rotation period: change it now.
    pub rotation_due: bool,
    /// Accepted, and the password was hashed with fewer iterations than the policy asks.
    pub rehash_due: bool,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<LoginRefused>,
    /// `pending`, `active` or `locked`, after the login.
    pub status: AccountStatus,
    /// The whole account after the login, to keep for the next call.
    pub account: OperatorAccount,
}

impl LoginRefused {
    fn of(e: hedui_core::error::SecurityError) -> Self {
        let e = Error::from(e);
        LoginRefused {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// Operation `account_login`: checks a password (constant time, and exactly one PBKDF2
/// derivation whatever the account's state); the rulebook's `password.lockout_failures`-th
/// consecutive failure locks the account for `password.lockout_minutes`, each further
/// lock-out twice as long up to `password.lockout_max_minutes`. A lock-out ends by itself
/// (the first login at or after its end lifts it); `account.locked_until` says when.
pub fn account_login(rulebook: &Rulebook, request: AccountLoginRequest) -> AccountLogin {
    let mut account = request.account;
    let outcome = account.login(request.password.expose(), request.at, &rulebook.password);
    let (login, refused) = match outcome {
        Ok(login) => (Some(login), None),
        Err(e) => (None, Some(LoginRefused::of(e))),
    };
    AccountLogin {
        accepted: login.is_some(),
        rotation_due: login.is_some_and(|l| l.rotation_due),
        rehash_due: login.is_some_and(|l| l.rehash_due),
        refused,
        status: account.status(),
        account,
    }
}

/// [`account_login`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AccountLoginRequest`].
pub fn account_login_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("login", request_json, |r| Ok(account_login(rulebook, r)))
}

/// The request of `account_login_unknown`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccountLoginUnknownRequest {
    /// The login name given, which the host has no account for.
    pub account: String,
    /// The password given (`Debug` shows none of it; wiped when dropped).
    pub password: SecretText,
}

/// The response of `account_login_unknown`: always refused, as a wrong password is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountLoginUnknown {
    /// Always `false`.
    pub accepted: bool,
    /// `security_wrong_password`, with the message a wrong password gets.
    pub refused: LoginRefused,
}

/// Operation `account_login_unknown`: what a host answers for a login name it has no account
/// for. It runs the one PBKDF2 derivation a real login runs (a stand-in hash with the
/// rulebook's `password.pbkdf2_iterations` and its crypto suite's PBKDF2) and refuses with the code and message of a wrong
/// password, so neither the time taken nor the answer tells a guesser which names exist
/// (R11).
pub fn account_login_unknown(
    rulebook: &Rulebook,
    request: AccountLoginUnknownRequest,
) -> AccountLoginUnknown {
    let e = OperatorAccount::login_unknown_under(
        &request.account,
        request.password.expose(),
        &rulebook.password,
        rulebook.security.crypto_suite,
    );
    AccountLoginUnknown {
        accepted: false,
        refused: LoginRefused::of(e),
    }
}

/// [`account_login_unknown`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AccountLoginUnknownRequest`].
pub fn account_login_unknown_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::call("login", request_json, |r| {
        Ok(account_login_unknown(rulebook, r))
    })
}
