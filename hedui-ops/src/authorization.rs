//! `authorization_check` (R1 先授权，后委托): every defect of a letter at once.

use hedui_core::error::{AuthorizationDefect, Described};
use hedui_core::{Authorization, Household, Rulebook};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::args::today_beijing;
use crate::failure::Failure;
use crate::json;

/// The request of `authorization_check`: a letter, the household it is checked against and
/// the date of the check (today in Beijing when absent).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationCheckRequest {
    /// The household.
    pub household: Household,
    /// The authorization letter 核对授权书.
    pub authorization: Authorization,
    /// Date of the check; today in Beijing when absent.
    #[serde(default)]
    pub on: Option<Date>,
}

/// The response of `authorization_check` (R1): valid when there is no defect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuthorizationCheck {
    /// Letter number.
    pub authorization_number: String,
    /// Household checked against.
    pub household_id: String,
    /// Date of the check.
    pub on: Date,
    /// No defect found.
    pub valid: bool,
    /// Every defect: the core's serialized defect (`code` and its fields) plus `message`.
    pub defects: Vec<Described<AuthorizationDefect>>,
}

/// Operation `authorization_check`: checks a letter against a household (R1) and lists every
/// defect. A defective letter is a successful check with `valid == false`.
pub fn authorization_check(
    rulebook: &Rulebook,
    request: AuthorizationCheckRequest,
) -> AuthorizationCheck {
    let on = request.on.unwrap_or_else(today_beijing);
    let defects = request
        .authorization
        .defects(&request.household, on, rulebook)
        .into_iter()
        .map(Described::new)
        .collect::<Vec<_>>();
    AuthorizationCheck {
        authorization_number: request.authorization.number,
        household_id: request.household.id,
        on,
        valid: defects.is_empty(),
        defects,
    }
}

/// Reads an [`AuthorizationCheckRequest`] under the rulebook: its limits, and every resident
/// ID (members, guardians, supporters and spouses, signers) held to the rulebook's identifier
/// rules on the day of the check (`on`, or today in Beijing).
///
/// # Errors
/// `input_json` (or an identifier's own code) when `request_json` is not the request;
/// `id_resident_birth_out_of_range` or `id_resident_legacy` with the ID's JSON path
/// (`household.members[2].id`) for a resident ID the rulebook refuses.
pub fn parse_request(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<AuthorizationCheckRequest, Failure> {
    json::parse_dated(
        "authorization check request",
        request_json,
        rulebook,
        |r: &AuthorizationCheckRequest| r.on.unwrap_or_else(today_beijing),
    )
}

/// [`authorization_check`] on JSON, with a typed result (uniffi builds its record from it).
///
/// # Errors
/// As [`parse_request`].
pub fn authorization_check_parsed(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<AuthorizationCheck, Failure> {
    Ok(authorization_check(
        rulebook,
        parse_request(rulebook, request_json)?,
    ))
}

/// [`authorization_check`] through the JSON adapter.
///
/// # Errors
/// As [`parse_request`].
pub fn authorization_check_json(
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    json::to_vec(&authorization_check_parsed(rulebook, request_json)?)
}
