//! Entrustment letters 核对委托书, batches 核对批次, the initiating agency's pre-check and
//! rule R2 无委托，不核对 (no entrustment, no check).
//!
//! The order of the process lives in the types:
//! [`Authorization::check`](crate::Authorization::check) → [`CheckedAuthorization`] →
//! [`Entrustment::issue`] → [`PreCheck::perform`] → [`AcceptedEntrustment::accept`]. A
//! verification can only start from an [`AcceptedEntrustment`].

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::agency::{Agency, AgencyLevel, Purpose};
use crate::authorization::CheckedAuthorization;
use crate::calendar::beijing_date;
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::error::{EntrustmentError, rules};
use crate::household::{Household, Programme};
use crate::id::{CreditCode, RegionCode, RegionLevel, ResidentId};
use crate::rulebook::Rulebook;

/// The entrusting unit 委托单位 / 救助部门.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntrustingUnit {
    /// Name.
    pub name: String,
    /// Unified social credit code.
    pub credit_code: CreditCode,
    /// Region.
    pub region: RegionCode,
}

/// Link of an appeal recheck to the disputed report (R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AppealLink {
    /// Number of the disputed report.
    pub disputed_report: String,
    /// Digest of the disputed report.
    pub disputed_digest: Sha256Digest,
    /// The reason the assistance department gave the agency.
    pub reason: String,
}

/// An entrustment letter 核对委托书 for one household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Entrustment {
    /// Letter number.
    pub number: String,
    /// Batch number 核对批次, when sent in a batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// Who entrusts.
    pub unit: EntrustingUnit,
    /// Id of the agency the letter is addressed to.
    pub agency_id: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Programme.
    pub programme: Programme,
    /// Household.
    pub household_id: String,
    /// Subjects named (members' resident IDs).
    pub subjects: Vec<ResidentId>,
    /// Authorization letter it relies on.
    pub authorization_number: String,
    /// Categories to verify: authorized ∩ requested.
    pub categories: Vec<DataCategory>,
    /// Issue date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub issued_on: Date,
    /// Last day in force, if the letter says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub valid_until: Option<Date>,
    /// Withdrawal date, if withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub withdrawn_on: Option<Date>,
    /// Digest of the scanned letter.
    pub letter_digest: Sha256Digest,
    /// For an appeal recheck: the disputed report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealLink>,
    /// For an emergency follow-up: the relief ledger entry it follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relief_reference: Option<String>,
    /// The day the assistance department accepted the application 受理申请 that asks for
    /// this check; the information check starts within the rulebook's
    /// `deadlines.check_start_working_days` of it (最低生活保障审核确认办法 Art 17), reported
    /// as [`CheckStart`](crate::report::CheckStart).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub requested_on: Option<Date>,
}

/// What an entrusting unit asks for; [`Entrustment::issue`] turns it into a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntrustmentRequest {
    /// Letter number.
    pub number: String,
    /// Batch number.
    #[serde(default)]
    pub batch: Option<String>,
    /// Who entrusts.
    pub unit: EntrustingUnit,
    /// Addressed agency id.
    pub agency_id: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Requested categories.
    pub categories: Vec<DataCategory>,
    /// Issue date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub issued_on: Date,
    /// Last day in force.
    #[serde(default)]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub valid_until: Option<Date>,
    /// Digest of the scanned letter.
    pub letter_digest: Sha256Digest,
    /// Appeal link (appeal rechecks).
    #[serde(default)]
    pub appeal: Option<AppealLink>,
    /// Relief ledger reference (emergency follow-ups).
    #[serde(default)]
    pub relief_reference: Option<String>,
    /// The day the application was accepted (最低生活保障审核确认办法 Art 17).
    #[serde(default)]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub requested_on: Option<Date>,
}

impl Entrustment {
    /// Issues an entrustment from a checked authorization (R1 先授权，后委托, N §二(一)).
    ///
    /// The letter names every member the authorization lets be queried (every co-resident
    /// member, and a member living elsewhere only if they signed too, see
    /// [`CheckedAuthorization::authorizes`]), and its categories are the authorized ∩
    /// requested ones: scope never widens, in categories or in people.
    ///
    /// # Errors
    /// [`EntrustmentError::PurposeInvalid`] when an appeal recheck has no disputed report or an
    /// emergency follow-up no relief reference.
    pub fn issue(
        checked: &CheckedAuthorization<'_>,
        request: EntrustmentRequest,
    ) -> Result<Self, EntrustmentError> {
        let household = checked.household();
        let categories = DataCategory::ALL
            .into_iter()
            .filter(|c| request.categories.contains(c) && checked.covers(*c))
            .collect();
        let e = Entrustment {
            number: request.number,
            batch: request.batch,
            unit: request.unit,
            agency_id: request.agency_id,
            purpose: request.purpose,
            programme: household.programme,
            household_id: household.id.clone(),
            subjects: household
                .members
                .iter()
                .filter(|m| checked.authorizes(m))
                .map(|m| m.id.clone())
                .collect(),
            authorization_number: checked.authorization().number.clone(),
            categories,
            issued_on: request.issued_on,
            valid_until: request.valid_until,
            withdrawn_on: None,
            letter_digest: request.letter_digest,
            appeal: request.appeal,
            relief_reference: request.relief_reference,
            requested_on: request.requested_on,
        };
        e.check_purpose()?;
        Ok(e)
    }

    fn check_purpose(&self) -> Result<(), EntrustmentError> {
        match self.purpose {
            Purpose::AppealRecheck if self.appeal.is_none() => {
                Err(EntrustmentError::PurposeInvalid {
                    rule: rules::R9,
                    entrustment: self.number.clone(),
                    reason: "is an appeal recheck but names no disputed report".into(),
                })
            }
            Purpose::EmergencyFollowUp if self.relief_reference.is_none() => {
                Err(EntrustmentError::PurposeInvalid {
                    rule: rules::R4,
                    entrustment: self.number.clone(),
                    reason: "is an emergency follow-up but names no relief given first".into(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Checks that this letter rests on the checked authorization (R1): same household and
    /// letter number, every co-resident member named, every subject a member who authorized
    /// the check, every category authorized.
    ///
    /// # Errors
    /// The first [`EntrustmentError`] found.
    pub fn check_against(
        &self,
        checked: &CheckedAuthorization<'_>,
    ) -> Result<(), EntrustmentError> {
        let auth = checked.authorization();
        let household = checked.household();
        if self.authorization_number != auth.number {
            return Err(EntrustmentError::AuthorizationMismatch {
                entrustment: self.number.clone(),
                named: self.authorization_number.clone(),
                found: auth.number.clone(),
            });
        }
        if self.issued_on < auth.signed_on {
            return Err(EntrustmentError::IssuedBeforeAuthorization {
                entrustment: self.number.clone(),
                issued_on: self.issued_on,
                signed_on: auth.signed_on,
            });
        }
        if self.household_id != household.id {
            return Err(EntrustmentError::SubjectNotNamed {
                entrustment: self.number.clone(),
                subject: household.id.clone(),
            });
        }
        for m in &household.members {
            if m.co_resident && !self.subjects.contains(&m.id) {
                return Err(EntrustmentError::SubjectNotNamed {
                    entrustment: self.number.clone(),
                    subject: m.id.masked(),
                });
            }
        }
        if let Some(stranger) = self.subjects.iter().find(|s| !household.has_member(s)) {
            return Err(EntrustmentError::SubjectNotNamed {
                entrustment: self.number.clone(),
                subject: stranger.masked(),
            });
        }
        if let Some(unsigned) = household
            .members
            .iter()
            .find(|m| self.subjects.contains(&m.id) && !checked.authorizes(m))
        {
            return Err(EntrustmentError::SubjectNotAuthorized {
                entrustment: self.number.clone(),
                subject: unsigned.id.masked(),
            });
        }
        if let Some(c) = self.categories.iter().find(|c| !checked.covers(**c)) {
            return Err(EntrustmentError::ScopeWidened {
                entrustment: self.number.clone(),
                category: *c,
            });
        }
        self.check_purpose()
    }

    /// Whether the letter is in force on `on` (issued, not withdrawn, not expired).
    ///
    /// # Errors
    /// [`EntrustmentError::Withdrawn`] or [`EntrustmentError::NotInForce`].
    pub fn check_in_force(&self, on: Date, rulebook: &Rulebook) -> Result<(), EntrustmentError> {
        if let Some(w) = self.withdrawn_on
            && w <= on
        {
            return Err(EntrustmentError::Withdrawn {
                entrustment: self.number.clone(),
                on: w,
            });
        }
        let not_in_force = |reason: String| EntrustmentError::NotInForce {
            entrustment: self.number.clone(),
            on,
            reason,
        };
        if self.issued_on > on {
            return Err(not_in_force(format!("issued later, on {}", self.issued_on)));
        }
        let limit = match (self.valid_until, rulebook.entrustment.max_age_days) {
            (Some(v), _) => Some(v),
            (None, Some(days)) => self
                .issued_on
                .checked_add(time::Duration::days(i64::from(days))),
            (None, None) => None,
        };
        if let Some(limit) = limit
            && on > limit
        {
            return Err(not_in_force(format!("expired after {limit}")));
        }
        Ok(())
    }
}

/// A batch 核对批次: one entrustment header covering many households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Batch {
    /// Batch number.
    pub number: String,
    /// Who entrusts.
    pub unit: EntrustingUnit,
    /// Addressed agency id.
    pub agency_id: String,
    /// Purpose of every letter in the batch.
    pub purpose: Purpose,
    /// Issue date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub issued_on: Date,
    /// Digest of the scanned batch letter.
    pub letter_digest: Sha256Digest,
    /// One entrustment per household.
    pub entrustments: Vec<Entrustment>,
}

impl Batch {
    /// Checks the header and its letters agree (number, unit, agency, purpose).
    ///
    /// # Errors
    /// [`EntrustmentError::PurposeInvalid`] or [`EntrustmentError::WrongAgency`] naming the
    /// first letter that does not match its header.
    pub fn check_consistent(&self) -> Result<(), EntrustmentError> {
        for e in &self.entrustments {
            if e.agency_id != self.agency_id {
                return Err(EntrustmentError::WrongAgency {
                    entrustment: e.number.clone(),
                    addressed: e.agency_id.clone(),
                    agency: self.agency_id.clone(),
                });
            }
            if e.batch.as_deref() != Some(self.number.as_str())
                || e.purpose != self.purpose
                || e.unit != self.unit
            {
                return Err(EntrustmentError::PurposeInvalid {
                    rule: rules::R10,
                    entrustment: e.number.clone(),
                    reason: format!("does not match the header of batch `{}`", self.number),
                });
            }
        }
        Ok(())
    }
}

/// The responsible officer 经办人员 of a pre-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// Operator account id.
    pub operator_id: String,
    /// Real name.
    pub name: String,
}

/// The initiating agency's recorded check of authorization validity and business compliance
/// before verifying (R2, N §二(二): "发起核对的机构，应在核对前对授权的有效性、业务合规性进行检查，
/// 并对检查结果负责"). Part of the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PreCheck {
    /// The entrustment checked.
    pub entrustment_number: String,
    /// The initiating agency.
    pub agency_id: String,
    /// Responsible officer.
    pub officer: Officer,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub checked_at: OffsetDateTime,
    /// Authorization found valid.
    pub authorization_valid: bool,
    /// Request found compliant (purpose, programme, jurisdiction, letter in force).
    pub business_compliant: bool,
    /// What the officer found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
}

impl PreCheck {
    /// Performs and records the pre-check for `entrustment` at `agency`.
    ///
    /// `authorization` is the result of [`Authorization::check`](crate::Authorization::check);
    /// a failed check is recorded as such (the record is kept either way).
    pub fn perform(
        entrustment: &Entrustment,
        authorization: Result<&CheckedAuthorization<'_>, &crate::error::AuthorizationError>,
        agency: &Agency,
        officer: Officer,
        at: OffsetDateTime,
        rulebook: &Rulebook,
    ) -> PreCheck {
        let mut findings = Vec::new();
        let authorization_valid = match authorization {
            Ok(checked) => match entrustment.check_against(checked) {
                Ok(()) => true,
                Err(e) => {
                    findings.push(e.to_string());
                    false
                }
            },
            Err(e) => {
                findings.push(e.to_string());
                false
            }
        };
        let on = beijing_date(at);
        let mut business_compliant = true;
        if let Err(e) = entrustment.check_in_force(on, rulebook) {
            findings.push(e.to_string());
            business_compliant = false;
        }
        if let Some(finding) = jurisdiction_finding(entrustment, agency) {
            findings.push(finding);
            business_compliant = false;
        }
        if let Ok(checked) = authorization
            && let Some(finding) = programme_finding(entrustment, checked.household())
        {
            findings.push(finding);
            business_compliant = false;
        }
        PreCheck {
            entrustment_number: entrustment.number.clone(),
            agency_id: agency.id.clone(),
            officer,
            checked_at: at,
            authorization_valid,
            business_compliant,
            findings,
        }
    }

    /// Whether both parts of the check passed.
    pub fn passed(&self) -> bool {
        self.authorization_valid && self.business_compliant
    }
}

/// Why `agency` may not do the work the letter asks for, if so: the agency at the entrusting
/// unit's own level does it (同级核对机构, N §二(二)) and may not hand it to another level
/// (N §一(二)). So the agency's level is the level of the unit's region (a county unit goes
/// to its county agency, a city unit to its city agency) and its region is the unit's.
fn jurisdiction_finding(entrustment: &Entrustment, agency: &Agency) -> Option<String> {
    let unit = entrustment.unit.region;
    if !agency.region.contains(unit) {
        return Some(format!(
            "entrusting unit region `{unit}` is outside agency region `{}`",
            agency.region
        ));
    }
    let own_level = match unit.level() {
        RegionLevel::County => AgencyLevel::County,
        RegionLevel::City => AgencyLevel::City,
        RegionLevel::Province => AgencyLevel::Province,
    };
    (agency.level != own_level || agency.region != unit).then(|| {
        format!(
            "entrusting unit region `{unit}` is verified by its own {} agency (同级核对机构, N §二(二)), not by the {} agency of `{}`",
            own_level.as_str(),
            agency.level.as_str(),
            agency.region
        )
    })
}

/// Why the letter's programme does not fit the household, if so (the R1 check of the
/// supporters' signatures depends on the programme).
fn programme_finding(entrustment: &Entrustment, household: &Household) -> Option<String> {
    (household.programme != entrustment.programme).then(|| {
        format!(
            "entrustment programme `{}` differs from the household's `{}`",
            entrustment.programme.as_str(),
            household.programme.as_str()
        )
    })
}

/// Proof that an agency accepted an entrustment: addressed to it, naming the household's
/// members, in force, backed by a checked authorization and a passing pre-check (R1, R2).
///
/// Only [`AcceptedEntrustment::accept`] creates one; a verification starts from it.
#[derive(Debug, Clone, Copy)]
pub struct AcceptedEntrustment<'a> {
    entrustment: &'a Entrustment,
    authorization: CheckedAuthorization<'a>,
    precheck: &'a PreCheck,
    agency: &'a Agency,
}

impl<'a> AcceptedEntrustment<'a> {
    /// Accepts `entrustment` at `agency` for a verification that starts (its queries are sent)
    /// at `starts_at` (R2 无委托，不核对, N §二(一), §二(二)).
    ///
    /// The pre-check must have been made before `starts_at` and must have passed, and the
    /// authorization must have been checked between the pre-check's date and `starts_at`'s
    /// (a check older than the pre-check could miss a lapse since); what it had
    /// to find about the agency's level and region and the programme is checked again, so a
    /// record that says "passed" cannot stand in for it.
    ///
    /// # Errors
    /// [`EntrustmentError`] when the letter is addressed elsewhere, does not rest on the
    /// authorization, is withdrawn or not in force on the Beijing date of `starts_at`, or the
    /// pre-check is missing, for another letter or agency, made after `starts_at`, or failed
    /// (also when the agency is not the unit's own-level agency of its region, or the
    /// letter's programme is not the household's);
    /// [`EntrustmentError::VerdictInAppealReason`] when an appeal's reason states a conclusion
    /// (R3: the report's header carries the reason).
    pub fn accept(
        entrustment: &'a Entrustment,
        authorization: CheckedAuthorization<'a>,
        precheck: &'a PreCheck,
        agency: &'a Agency,
        starts_at: OffsetDateTime,
        rulebook: &Rulebook,
    ) -> Result<Self, EntrustmentError> {
        let on = beijing_date(starts_at);
        if entrustment.agency_id != agency.id {
            return Err(EntrustmentError::WrongAgency {
                entrustment: entrustment.number.clone(),
                addressed: entrustment.agency_id.clone(),
                agency: agency.id.clone(),
            });
        }
        entrustment.check_against(&authorization)?;
        entrustment.check_in_force(on, rulebook)?;
        if let Some(phrase) = entrustment
            .appeal
            .as_ref()
            .and_then(|a| rulebook.wording.verdict_phrase(&a.reason))
        {
            return Err(EntrustmentError::VerdictInAppealReason {
                entrustment: entrustment.number.clone(),
                phrase: phrase.to_owned(),
            });
        }
        if precheck.entrustment_number != entrustment.number || precheck.agency_id != agency.id {
            return Err(EntrustmentError::PrecheckMissing {
                entrustment: entrustment.number.clone(),
                agency: agency.id.clone(),
            });
        }
        let officer = precheck.officer.name.trim();
        if !precheck.passed()
            || officer.is_empty()
            || precheck.officer.operator_id.trim().is_empty()
        {
            let reason = if officer.is_empty() || precheck.officer.operator_id.trim().is_empty() {
                "no responsible officer recorded".to_owned()
            } else if precheck.findings.is_empty() {
                "recorded as not passed".to_owned()
            } else {
                precheck.findings.join("; ")
            };
            return Err(EntrustmentError::PrecheckFailed {
                entrustment: entrustment.number.clone(),
                officer: precheck.officer.name.clone(),
                reason,
            });
        }
        // what the pre-check had to find is checked again here: a record that says "passed"
        // does not make an agency of another level or region, or another programme, right
        let missed = jurisdiction_finding(entrustment, agency)
            .into_iter()
            .chain(programme_finding(entrustment, authorization.household()))
            .collect::<Vec<_>>();
        if !missed.is_empty() {
            return Err(EntrustmentError::PrecheckFailed {
                entrustment: entrustment.number.clone(),
                officer: precheck.officer.name.clone(),
                reason: format!("recorded as passed, but {}", missed.join("; ")),
            });
        }
        let checked_on = beijing_date(precheck.checked_at);
        let authorization_on = authorization.checked_on();
        if authorization_on < checked_on || authorization_on > on {
            // the pre-check answers for the letter's validity (N §二(二)): a check of the
            // authorization made before it could miss a lapse since (a refusal, a change)
            return Err(EntrustmentError::PrecheckFailed {
                entrustment: entrustment.number.clone(),
                officer: precheck.officer.name.clone(),
                reason: format!(
                    "the authorization was checked on {authorization_on}, not between the pre-check on {checked_on} and the start of the verification on {on}"
                ),
            });
        }
        if checked_on < entrustment.issued_on || precheck.checked_at > starts_at {
            return Err(EntrustmentError::PrecheckFailed {
                entrustment: entrustment.number.clone(),
                officer: precheck.officer.name.clone(),
                reason: format!(
                    "pre-check made at {} is not between the letter's issue date {} and the start of the verification at {starts_at}",
                    precheck.checked_at, entrustment.issued_on
                ),
            });
        }
        Ok(AcceptedEntrustment {
            entrustment,
            authorization,
            precheck,
            agency,
        })
    }

    /// The entrustment.
    pub fn entrustment(&self) -> &'a Entrustment {
        self.entrustment
    }

    /// The checked authorization behind it.
    pub fn authorization(&self) -> CheckedAuthorization<'a> {
        self.authorization
    }

    /// The passing pre-check.
    pub fn precheck(&self) -> &'a PreCheck {
        self.precheck
    }

    /// The agency that accepted it.
    pub fn agency(&self) -> &'a Agency {
        self.agency
    }
}
