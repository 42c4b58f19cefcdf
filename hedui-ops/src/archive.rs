//! `archive_check` (R10 核对业务资料): is every letter of a set of verifications archived,
//! under its number, batch and subjects?

use hedui_core::{
    Authorization, Entrustment,
    security::{Archive, ArchiveGap},
};
use serde::{Deserialize, Serialize};

use crate::failure::Failure;
use crate::json;

/// The request of `archive_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveCheckRequest {
    /// The archive: its documents (a digest archived twice with other metadata is refused).
    pub archive: Archive,
    /// The entrustment letters whose records must be complete.
    pub entrustments: Vec<Entrustment>,
    /// The authorization letters they rest on.
    pub authorizations: Vec<Authorization>,
}

/// The response of `archive_check`: complete when there is no gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveCheck {
    /// No gap found.
    pub complete: bool,
    /// Every missing, wrongly kinded, misfiled or unindexed letter, each with its `code`.
    pub gaps: Vec<ArchiveGap>,
}

/// Operation `archive_check` (R10, N §二(三)): every letter missing or misfiled. An incomplete
/// archive is a successful check with `complete == false`.
pub fn archive_check(request: &ArchiveCheckRequest) -> ArchiveCheck {
    let gaps = request
        .archive
        .gaps(&request.entrustments, &request.authorizations);
    ArchiveCheck {
        complete: gaps.is_empty(),
        gaps,
    }
}

/// [`archive_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`ArchiveCheckRequest`] (or the archive holds a
/// digest twice with other metadata).
pub fn archive_check_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    archive_check_json_under(crate::args::default_rulebook(), request_json)
}

/// [`archive_check_json`] under `rulebook`: its limits, and every resident ID (the archived
/// documents' subjects, the letters' subjects and signers) held to its identifier rules
/// today.
///
/// # Errors
/// As [`archive_check_json`], and `id_resident_birth_out_of_range` or `id_resident_legacy`
/// with the ID's JSON path.
pub fn archive_check_json_under(
    rulebook: &hedui_core::Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let request: ArchiveCheckRequest = json::parse_under(
        "archive check request",
        request_json,
        rulebook,
        Some(crate::args::today_beijing()),
    )?;
    json::to_vec(&archive_check(&request))
}
