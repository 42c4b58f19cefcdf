//! `archive_check` (R10 核对业务资料): is every letter of a set of verifications archived,
//! under its number, batch and subjects?

use hedui_core::{
    Authorization, Entrustment, Error, ResidentId, Rulebook,
    security::{Archive, ArchiveGap},
};
use serde::{Deserialize, Serialize};
use time::Date;

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
/// archive is a successful check with `complete == false`. Every resident ID of the request
/// (the archived documents' subjects, the entrustments' subjects, the signers of the
/// authorizations and the members signed for) is held to the rulebook's identifier rules on
/// the day `on` (the JSON adapter and the bindings pass today): the archive is indexed by
/// subject, so a first-generation number where the rulebook refuses them, or a birth date
/// outside its window, would index a letter under a number the rules do not admit.
///
/// # Errors
/// `id_resident_legacy` or `id_resident_birth_out_of_range` for the first ID the rules refuse.
pub fn archive_check(
    rulebook: &Rulebook,
    request: &ArchiveCheckRequest,
    on: Date,
) -> Result<ArchiveCheck, Failure> {
    for id in resident_ids(request) {
        rulebook
            .identifiers
            .check_resident_id(id, on)
            .map_err(|e| Failure::Core(Error::from(e)))?;
    }
    let mut gaps = request
        .archive
        .gaps(&request.entrustments, &request.authorizations);
    gaps.extend(
        request
            .archive
            .algorithm_gaps(rulebook.security.crypto_suite.digest_algorithm()),
    );
    Ok(ArchiveCheck {
        complete: gaps.is_empty(),
        gaps,
    })
}

/// Every resident ID of an `archive_check` request.
fn resident_ids(request: &ArchiveCheckRequest) -> impl Iterator<Item = &ResidentId> {
    let archived = request.archive.documents().flat_map(|d| d.subjects.iter());
    let subjects = request.entrustments.iter().flat_map(|e| e.subjects.iter());
    let signers = request
        .authorizations
        .iter()
        .flat_map(|a| a.signatures.iter())
        .flat_map(|s| std::iter::once(&s.signer.id).chain(s.on_behalf_of.as_ref()));
    archived.chain(subjects).chain(signers)
}

/// [`archive_check`] through the JSON adapter, under the built-in rulebook.
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
    rulebook: &Rulebook,
    request_json: &str,
) -> Result<Vec<u8>, Failure> {
    let today = crate::args::today_beijing();
    let request: ArchiveCheckRequest =
        json::parse_under("archive check request", request_json, rulebook, Some(today))?;
    json::to_vec(&archive_check(rulebook, &request, today)?)
}
