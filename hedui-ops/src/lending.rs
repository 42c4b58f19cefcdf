//! `lending_detect` (R11 严禁系统账号外借): overlapping sessions and impossible travel.

use std::collections::BTreeMap;

use hedui_core::{
    RegionCode, Rulebook,
    security::{GeoPoint, LendingFlag, Session, detect_lending},
};
use serde::{Deserialize, Serialize};

use crate::failure::Failure;
use crate::json;

/// The request of `lending_detect`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LendingDetectRequest {
    /// Login sessions of operator accounts.
    pub sessions: Vec<Session>,
    /// Places of region codes, for sessions located by region; none when absent.
    #[serde(default)]
    pub gazetteer: BTreeMap<RegionCode, GeoPoint>,
}

/// The response of `lending_detect`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LendingDetected {
    /// Every sign of lending, by account then login; `first`/`second` index `sessions`.
    pub flags: Vec<LendingFlag>,
}

/// Operation `lending_detect`: flags sessions of one account overlapping on two terminals,
/// and consecutive logins farther apart than the rulebook's `security.max_travel_kmh` allows.
pub fn lending_detect(rulebook: &Rulebook, request: &LendingDetectRequest) -> LendingDetected {
    LendingDetected {
        flags: detect_lending(&request.sessions, &rulebook.security, &request.gazetteer),
    }
}

/// [`lending_detect`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`LendingDetectRequest`].
pub fn lending_detect_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "lending request",
        request_json,
        |r: LendingDetectRequest| Ok(lending_detect(rulebook, &r)),
    )
}
