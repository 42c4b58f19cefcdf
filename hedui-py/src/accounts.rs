//! Operator accounts (R11 实名制、备案制、保密协议、严禁弱口令): `account_register`,
//! `account_set_password`, `account_activate`, `account_login`, `account_login_unknown`, the
//! typed operations of
//! `hedui-ops` over an account the caller keeps (the `account` dict of each response).

use hedui_ops::account::{self as ops, HexBytes};
use pyo3::prelude::*;

use crate::convert;
use crate::errors::{self, guard};
use crate::rulebook;
use crate::topy::value as to_py;

/// Registers an operator account (operation `account_register`): real-name, 备案-registered,
/// of a known verification agency; pending until its password is set and it is activated.
///
/// Args:
///     request: the registration dict in the JSON shape of the core's `AccountRequest`
///         (`account`, `name`, `resident_id`, `registration_number`, `registered_on`,
///         `agency_id`, `role`, `confidentiality_signed_on`).
///     agencies: the verification agency dicts known to the system (`id`, `name`, `level`,
///         `region`).
///     rulebook: a `Rulebook`; `None` for the built-in one. Its limits and identifier rules
///         (`identifiers`: first-generation numbers, the birth-date window on the day of
///         registration) apply to the operator's resident ID.
///
/// Returns:
///     A dict: `status` (`pending`) and `account`, the whole account to keep.
///
/// Raises:
///     InputError: a document that cannot be read (`input_json`), a resident ID the
///         rulebook's identifier rules refuse (`id_resident_legacy`,
///         `id_resident_birth_out_of_range`) or a bad `rulebook`.
///     SecurityError: not a known agency (`security_not_agency`), a malformed login name or a
///         missing real name, 备案 number or role (`security_not_registered`).
#[pyfunction]
#[pyo3(signature = (request, agencies, rulebook=None))]
pub(crate) fn account_register<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyAny>,
    agencies: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        // the operator's resident ID under the rulebook's identifier rules on the day of
        // registration
        let rb = rulebook::resolve(rulebook)?;
        let request = ops::AccountRegisterRequest {
            request: convert::document_dated(
                request,
                "account request",
                &rb,
                |r: &hedui_core::security::AccountRequest| r.registered_on,
            )?,
            agencies: convert::document(agencies, "agencies")?,
        };
        to_py(
            py,
            &ops::account_register(&rb, request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// A salt: `bytes`, or hex text as in the JSON request.
fn salt_arg(obj: &Bound<'_, PyAny>) -> PyResult<HexBytes> {
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return convert::value(obj, "salt_hex");
    }
    convert::bytes_arg(obj, "salt_hex").map(HexBytes)
}

/// Sets a new password (operation `account_set_password`): it must pass the weak-password
/// rules and differ from the recent ones; it is stored as PBKDF2-HMAC-SHA256 under the salt.
///
/// Args:
///     account: the account dict.
///     password: the new password.
///     salt_hex: a fresh salt from a CSPRNG (`secrets.token_bytes(16)`), as `bytes` or hex
///         text, at least the rulebook's `security.min_salt_bytes`: hedui draws no randomness.
///     on: the date of the change, a `datetime.date` or ISO `YYYY-MM-DD` text.
///     rulebook: a `Rulebook`; `None` for the built-in one (its password policy).
///
/// Returns:
///     A dict: `status` and `account`, the whole account to keep.
///
/// Raises:
///     InputError: a document, salt or date that cannot be read.
///     SecurityError: a weak or recently used password (`security_weak_password`, every
///         reason listed), a short salt (`security_salt_length`).
#[pyfunction]
#[pyo3(signature = (account, password, salt_hex, on, rulebook=None))]
pub(crate) fn account_set_password<'py>(
    py: Python<'py>,
    account: &Bound<'py, PyAny>,
    password: &Bound<'py, PyAny>,
    salt_hex: &Bound<'py, PyAny>,
    on: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = ops::AccountSetPasswordRequest {
            account: convert::document(account, "account")?,
            password: hedui_ops::security::SecretText::new(convert::str_arg(password, "password")?),
            salt_hex: salt_arg(salt_hex)?,
            on: convert::date(on, "on")?,
        };
        // PBKDF2 takes a while: let other Python threads run
        let state = py
            .detach(|| errors::catch(|| ops::account_set_password(&rb, request)))
            .map_err(|m| errors::internal_from(py, &m))?
            .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &state)
    })
}

/// Activates an account (operation `account_activate`): never without a signed
/// confidentiality agreement and a password.
///
/// Args:
///     account: the account dict.
///     on: the date of activation.
///
/// Returns:
///     A dict: `status` (`active`) and `account`.
///
/// Raises:
///     InputError: a document or date that cannot be read.
///     SecurityError: `security_confidentiality_unsigned`, `security_password_not_set`,
///         `security_not_registered`.
#[pyfunction]
pub(crate) fn account_activate<'py>(
    py: Python<'py>,
    account: &Bound<'py, PyAny>,
    on: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::AccountActivateRequest {
            account: convert::document(account, "account")?,
            on: convert::date(on, "on")?,
        };
        to_py(
            py,
            &ops::account_activate(request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// Checks a login (operation `account_login`, constant time, the same PBKDF2 work whatever
/// the account's state). A refused login is not an exception: the account comes back with
/// the failure counted; keep it. The rulebook's `password.lockout_failures`-th failure in a
/// row locks the account for `password.lockout_minutes`, each further lock-out twice as long
/// up to `password.lockout_max_minutes`; the first login at or after
/// `account["locked_until"]` lifts it.
///
/// Args:
///     account: the account dict.
///     password: the password given.
///     at: the time of the login, an aware `datetime` or RFC 3339 text.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `accepted`, `rotation_due`, `rehash_due`, `refused` (when refused: `code`
///     `security_wrong_password`, `security_account_locked` or `security_account_inactive`,
///     and `message`), `status` and `account`.
///
/// Raises:
///     InputError: a document or time that cannot be read.
#[pyfunction]
#[pyo3(signature = (account, password, at, rulebook=None))]
pub(crate) fn account_login<'py>(
    py: Python<'py>,
    account: &Bound<'py, PyAny>,
    password: &Bound<'py, PyAny>,
    at: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = ops::AccountLoginRequest {
            account: convert::document(account, "account")?,
            password: hedui_ops::security::SecretText::new(convert::str_arg(password, "password")?),
            at: convert::instant(Some(at), "at")?,
        };
        let login = py
            .detach(|| errors::catch(|| ops::account_login(&rb, request)))
            .map_err(|m| errors::internal_from(py, &m))?;
        to_py(py, &login)
    })
}

/// Answers a login to a name the host has no account for (operation
/// `account_login_unknown`): the same PBKDF2 work as a real login, and the answer a wrong
/// password gets, so neither the time nor the answer tells a guesser which names exist.
///
/// Args:
///     account: the login name given.
///     password: the password given.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `accepted` (`False`) and `refused` (`code` `security_wrong_password`,
///     `message`).
#[pyfunction]
#[pyo3(signature = (account, password, rulebook=None))]
pub(crate) fn account_login_unknown<'py>(
    py: Python<'py>,
    account: &Bound<'py, PyAny>,
    password: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = ops::AccountLoginUnknownRequest {
            account: convert::str_arg(account, "account")?,
            password: hedui_ops::security::SecretText::new(convert::str_arg(password, "password")?),
        };
        let answer = py
            .detach(|| errors::catch(|| ops::account_login_unknown(&rb, request)))
            .map_err(|m| errors::internal_from(py, &m))?;
        to_py(py, &answer)
    })
}
