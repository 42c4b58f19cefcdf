//! R4 emergency relief first 先行救助、再行核对 (N §二(一)).

use std::collections::HashMap;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use time::Date;

use super::{RecordIssue, RecordKind};
use crate::agency::Purpose;
use crate::calendar::WorkCalendar;
use crate::digest::Sha256Digest;
use crate::error::{Error, PopulationError};
use crate::rulebook::Rulebook;
use crate::security::EvidenceTrust;

/// Relief given to a case before its verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReliefGrant {
    /// Case id in the assistance system.
    pub case_id: String,
    /// Household relieved.
    pub household_id: String,
    /// Date of the relief.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub relieved_on: Date,
    /// Amount in fen (分), positive.
    pub amount_fen: i64,
    /// Why relief could not wait for verification.
    pub reason: String,
    /// Whether the case is marked as an emergency 救急难; only such cases may be relieved first.
    pub emergency: bool,
}

/// What a follow-up verification's report shows about itself: enough to close the follow-up
/// obligation of one relief entry.
///
/// Made only by [`FollowUpEvidence::from_report`], which checks the report under an
/// [`EvidenceTrust`]: outside this crate it cannot be written field by field or read from
/// JSON, so no caller closes a follow-up with evidence no report gave:
///
/// ```compile_fail
/// use hedui_core::{Purpose, Sha256Digest, population::FollowUpEvidence};
/// let forged = FollowUpEvidence {
///     report_number: "BG-1".into(),
///     report_digest: Sha256Digest::of(b"anything"),
///     purpose: Purpose::EmergencyFollowUp,
///     household_id: "H-1".into(),
///     relief_reference: "JJ-1-1".into(),
///     report_issued_on: None,
/// };
/// ```
///
/// ```compile_fail
/// let forged: hedui_core::population::FollowUpEvidence = serde_json::from_str("{}").unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[non_exhaustive]
pub struct FollowUpEvidence {
    /// Report number.
    pub report_number: String,
    /// Digest of the report.
    pub report_digest: Sha256Digest,
    /// Purpose of the verification; must be [`Purpose::EmergencyFollowUp`].
    pub purpose: Purpose,
    /// Household verified.
    pub household_id: String,
    /// The relief ledger entry the verification follows up.
    pub relief_reference: String,
    /// The report's issue date (Beijing): a follow-up cannot be closed before its report
    /// exists. Always set by [`from_report`](Self::from_report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub report_issued_on: Option<Date>,
}

impl FollowUpEvidence {
    /// The evidence a follow-up verification's report gives: its number, digest, purpose,
    /// household and the relief it follows up. Under `trust` requiring signatures (the
    /// rulebook's default `security.signed_evidence`) the report must be signed by a trusted
    /// key: a report whose relief reference or household was edited and sealed again closes
    /// nothing.
    ///
    /// # Errors
    /// The evidence errors of [`EvidenceTrust::check`] (`evidence_unsigned`,
    /// `evidence_unknown_key`, `evidence_bad_signature`);
    /// [`PopulationError::FollowUpReportUnverified`] when the report does not verify against
    /// its digest or names no relief reference.
    pub fn from_report(report: &crate::Report, trust: &EvidenceTrust<'_>) -> Result<Self, Error> {
        trust.check(report, "relief_close")?;
        Ok(Self::from_checked_report(report)?)
    }

    fn from_checked_report(report: &crate::Report) -> Result<Self, PopulationError> {
        let unverified = |reason: &str| PopulationError::FollowUpReportUnverified {
            report: report.report_number.clone(),
            reason: reason.to_owned(),
        };
        let digest = match &report.integrity {
            Some(i) if report.verify_digest() => i.digest,
            _ => return Err(unverified("its digest does not verify")),
        };
        let relief_reference = report
            .header
            .relief_reference
            .clone()
            .ok_or_else(|| unverified("it names no relief reference"))?;
        Ok(FollowUpEvidence {
            report_number: report.report_number.clone(),
            report_digest: digest,
            purpose: report.header.purpose,
            household_id: report.header.household_id.clone(),
            relief_reference,
            report_issued_on: Some(crate::calendar::beijing_date(report.header.issued_at)),
        })
    }
}

/// How a follow-up obligation was closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpClosure {
    /// The follow-up verification's report number.
    pub report_number: String,
    /// Digest of that report.
    pub report_digest: Sha256Digest,
    /// Date the follow-up was completed.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub closed_on: Date,
}

/// One relief given first, and the follow-up verification it owes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReliefEntry {
    /// Relief reference `{case_id}-{n}`, named by the follow-up entrustment
    /// ([`Entrustment::relief_reference`](crate::Entrustment::relief_reference)).
    pub reference: String,
    /// The relief.
    pub grant: ReliefGrant,
    /// The follow-up is due by this date: `relief_followup_working_days` working days after the
    /// relief.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub follow_up_due: Date,
    /// The due date crossed a year the calendar holds no holiday data for, so only weekends
    /// were skipped there.
    pub due_estimated: bool,
    /// Set once the follow-up verification's report is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<FollowUpClosure>,
}

/// A ledger of relief given before verification (R4 先行救助、再行核对).
///
/// R4, N §二(一): "对于“救急难”对象可以通过先行救助、再行核对的方式开展核对工作". Relief
/// first is open only to cases marked as emergencies; each entry owes a follow-up verification
/// (authorization and an entrustment with purpose emergency follow-up) within
/// `deadlines.relief_followup_working_days` working days of the relief (5 *(local)*), and is
/// closed only by that verification's report.
///
/// The ledger is serialisable; reading it back checks the same rules.
///
/// ```
/// use hedui_core::{population::*, *};
/// use time::macros::date;
///
/// let rulebook = Rulebook::default();
/// let mut ledger = ReliefLedger::new();
/// let grant = ReliefGrant {
///     case_id: "JJ-7".into(),
///     household_id: "H7".into(),
///     relieved_on: date!(2026 - 03 - 06), // a Friday
///     amount_fen: 80_000,
///     reason: "house fire".into(),
///     emergency: true,
/// };
/// let reference = ledger.record(grant, &rulebook)?;
/// assert_eq!(ledger.entry(&reference).map(|e| e.follow_up_due), Some(date!(2026 - 03 - 13)));
///
/// let ordinary = ReliefGrant {
///     case_id: "PT-1".into(),
///     household_id: "H8".into(),
///     relieved_on: date!(2026 - 03 - 06),
///     amount_fen: 10_000,
///     reason: "ordinary application".into(),
///     emergency: false,
/// };
/// let refused = ledger.record(ordinary, &rulebook).unwrap_err();
/// assert_eq!(refused.code(), "relief_not_emergency");
/// # Ok::<(), hedui_core::error::PopulationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReliefLedger {
    /// Entries in the order recorded.
    entries: Vec<ReliefEntry>,
    /// Position of each entry by reference.
    #[serde(skip)]
    index: HashMap<String, usize>,
}

/// The wire form of a [`ReliefLedger`] before its checks have run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LedgerDocument {
    entries: Vec<ReliefEntry>,
}

impl<'de> Deserialize<'de> for ReliefLedger {
    /// Deserializes the document and checks every entry as [`ReliefLedger::record`] and
    /// [`ReliefLedger::close`] would.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let document = LedgerDocument::deserialize(deserializer)?;
        ReliefLedger::from_entries(document.entries).map_err(serde::de::Error::custom)
    }
}

/// Checks a grant against R4 and the ledger's field rules.
fn check_grant(grant: &ReliefGrant) -> Result<(), PopulationError> {
    for (field, value) in [
        ("case_id", &grant.case_id),
        ("household_id", &grant.household_id),
    ] {
        if value.is_empty() {
            return Err(PopulationError::EmptyField {
                record: "relief",
                field,
            });
        }
    }
    if !grant.emergency {
        return Err(PopulationError::ReliefNotEmergency {
            case: grant.case_id.clone(),
        });
    }
    if grant.amount_fen <= 0 {
        return Err(PopulationError::ReliefAmountNotPositive {
            case: grant.case_id.clone(),
            amount_fen: grant.amount_fen,
        });
    }
    Ok(())
}

impl ReliefLedger {
    /// An empty ledger.
    pub fn new() -> Self {
        ReliefLedger::default()
    }

    /// Builds a ledger from stored entries, checking each as `record` and `close` would.
    fn from_entries(entries: Vec<ReliefEntry>) -> Result<Self, RecordIssue> {
        let mut index = HashMap::with_capacity(entries.len());
        for (position, entry) in entries.iter().enumerate() {
            let issue = |error| RecordIssue::new(RecordKind::Relief, position, error);
            if entry.reference.is_empty() {
                return Err(issue(PopulationError::EmptyField {
                    record: "relief",
                    field: "reference",
                }));
            }
            check_grant(&entry.grant).map_err(issue)?;
            if let Some(closure) = &entry.closure {
                if closure.report_number.is_empty() {
                    return Err(issue(PopulationError::EmptyField {
                        record: "relief",
                        field: "report_number",
                    }));
                }
                if closure.closed_on < entry.grant.relieved_on {
                    return Err(issue(PopulationError::FollowUpBeforeRelief {
                        reference: entry.reference.clone(),
                        relieved_on: entry.grant.relieved_on,
                        closed_on: closure.closed_on,
                    }));
                }
            }
            if let Some(first) = index.insert(entry.reference.clone(), position) {
                return Err(issue(PopulationError::DuplicateRecord {
                    record: "relief",
                    id: entry.reference.clone(),
                    first_position: first,
                }));
            }
        }
        Ok(ReliefLedger { entries, index })
    }

    /// Reads a ledger from JSON, checking every entry.
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) for malformed JSON, unknown fields, or an
    /// entry that breaks a rule (a non-emergency case, a duplicate reference, ...).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Error::parse("relief ledger", text)
    }

    /// The ledger as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Entries in the order recorded.
    pub fn entries(&self) -> &[ReliefEntry] {
        &self.entries
    }

    /// The entry with this relief reference.
    pub fn entry(&self, reference: &str) -> Option<&ReliefEntry> {
        self.index
            .get(reference)
            .and_then(|&position| self.entries.get(position))
    }

    /// Records relief given before verification and opens its follow-up obligation, due
    /// `deadlines.relief_followup_working_days` working days after the relief date on the
    /// rulebook's calendar. Returns the new entry's relief reference, `{case_id}-{n}` for the
    /// case's n-th relief.
    ///
    /// R4, N §二(一): "对于“救急难”对象可以通过先行救助、再行核对的方式开展核对工作" — only for
    /// cases marked as emergencies.
    ///
    /// # Errors
    /// [`PopulationError::ReliefNotEmergency`] when the case is not marked as an emergency,
    /// [`PopulationError::ReliefAmountNotPositive`] for an amount of 0 fen or less,
    /// [`PopulationError::EmptyField`] for an empty case or household id.
    pub fn record(
        &mut self,
        grant: ReliefGrant,
        rulebook: &Rulebook,
    ) -> Result<String, PopulationError> {
        check_grant(&grant)?;
        let due = rulebook.calendar.add_working_days(
            grant.relieved_on,
            rulebook.deadlines.relief_followup_working_days,
        );
        let reference = (1u64..)
            .map(|n| format!("{}-{n}", grant.case_id))
            .find(|candidate| !self.index.contains_key(candidate))
            .unwrap_or_default();
        self.index.insert(reference.clone(), self.entries.len());
        self.entries.push(ReliefEntry {
            reference: reference.clone(),
            grant,
            follow_up_due: due.date,
            due_estimated: due.estimated,
            closure: None,
        });
        Ok(reference)
    }

    /// Records many grants, refusing the bad ones and recording the rest; see
    /// [`record`](Self::record). Returns one issue per refused grant, with its position.
    pub fn record_all(
        &mut self,
        grants: impl IntoIterator<Item = ReliefGrant>,
        rulebook: &Rulebook,
    ) -> Vec<RecordIssue> {
        let mut issues = Vec::new();
        for (position, grant) in grants.into_iter().enumerate() {
            if let Err(error) = self.record(grant, rulebook) {
                issues.push(RecordIssue::new(RecordKind::Relief, position, error));
            }
        }
        issues
    }

    /// Closes the follow-up of relief `reference` with the follow-up verification's report,
    /// completed on `closed_on`.
    ///
    /// R4, N §二(一) "先行救助、再行核对": the verification must be an emergency follow-up of
    /// this very relief, for the household relieved.
    ///
    /// # Errors
    /// - [`PopulationError::FollowUpUnknown`]: no entry `reference`;
    /// - [`PopulationError::FollowUpAlreadyClosed`]: the follow-up was closed before;
    /// - [`PopulationError::FollowUpWrongPurpose`]: the report's purpose is not
    ///   [`Purpose::EmergencyFollowUp`];
    /// - [`PopulationError::FollowUpWrongHousehold`]: the report verified another household;
    /// - [`PopulationError::FollowUpReferenceMismatch`]: the report follows up another relief;
    /// - [`PopulationError::EmptyField`]: the report number is empty;
    /// - [`PopulationError::FollowUpBeforeRelief`]: `closed_on` is before the relief;
    /// - [`PopulationError::FollowUpReportUnverified`]: `closed_on` is before the report was
    ///   issued (a follow-up is not done before its report exists).
    pub fn close(
        &mut self,
        reference: &str,
        evidence: &FollowUpEvidence,
        closed_on: Date,
    ) -> Result<&ReliefEntry, PopulationError> {
        let entry = self
            .index
            .get(reference)
            .and_then(|&position| self.entries.get_mut(position))
            .ok_or_else(|| PopulationError::FollowUpUnknown {
                reference: reference.to_owned(),
            })?;
        if let Some(closure) = &entry.closure {
            return Err(PopulationError::FollowUpAlreadyClosed {
                reference: entry.reference.clone(),
                report: closure.report_number.clone(),
            });
        }
        if evidence.purpose != Purpose::EmergencyFollowUp {
            return Err(PopulationError::FollowUpWrongPurpose {
                reference: entry.reference.clone(),
                report: evidence.report_number.clone(),
                purpose: evidence.purpose,
            });
        }
        if evidence.household_id != entry.grant.household_id {
            return Err(PopulationError::FollowUpWrongHousehold {
                reference: entry.reference.clone(),
                report: evidence.report_number.clone(),
                expected: entry.grant.household_id.clone(),
                found: evidence.household_id.clone(),
            });
        }
        if evidence.relief_reference != entry.reference {
            return Err(PopulationError::FollowUpReferenceMismatch {
                reference: entry.reference.clone(),
                report: evidence.report_number.clone(),
                found: evidence.relief_reference.clone(),
            });
        }
        if evidence.report_number.is_empty() {
            return Err(PopulationError::EmptyField {
                record: "follow-up evidence",
                field: "report_number",
            });
        }
        if closed_on < entry.grant.relieved_on {
            return Err(PopulationError::FollowUpBeforeRelief {
                reference: entry.reference.clone(),
                relieved_on: entry.grant.relieved_on,
                closed_on,
            });
        }
        if let Some(issued_on) = evidence.report_issued_on
            && closed_on < issued_on
        {
            return Err(PopulationError::FollowUpReportUnverified {
                report: evidence.report_number.clone(),
                reason: format!(
                    "it was issued on {issued_on}, after the closing date {closed_on} given for relief `{}`",
                    entry.reference
                ),
            });
        }
        entry.closure = Some(FollowUpClosure {
            report_number: evidence.report_number.clone(),
            report_digest: evidence.report_digest,
            closed_on,
        });
        Ok(entry)
    }

    /// Where every follow-up stands on `as_of`, counted in working days on `calendar`.
    ///
    /// Relief dated after `as_of` is left out, and a closure dated after `as_of` is not yet
    /// counted, so a past date shows the ledger as it stood then. A follow-up is overdue once
    /// `as_of` is after its due date; how late is counted in working days, so a follow-up due
    /// on a Friday is 1 working day overdue on the Monday after.
    pub fn follow_ups(&self, as_of: Date, calendar: &WorkCalendar) -> FollowUpReport<'_> {
        let mut report = FollowUpReport {
            as_of,
            open: Vec::new(),
            overdue: Vec::new(),
            closed: Vec::new(),
        };
        for entry in &self.entries {
            if entry.grant.relieved_on > as_of {
                continue;
            }
            let due = entry.follow_up_due;
            match entry.closure.as_ref().filter(|c| c.closed_on <= as_of) {
                Some(closure) => report.closed.push(FollowUp {
                    entry,
                    state: FollowUpState::Closed {
                        late_working_days: calendar
                            .working_days_between(due, closure.closed_on)
                            .max(0),
                    },
                }),
                None if as_of > due => report.overdue.push(FollowUp {
                    entry,
                    state: FollowUpState::Overdue {
                        working_days: calendar.working_days_between(due, as_of),
                    },
                }),
                None => report.open.push(FollowUp {
                    entry,
                    state: FollowUpState::Open {
                        working_days_left: calendar.working_days_between(as_of, due),
                    },
                }),
            }
        }
        report
    }
}

/// Where one follow-up stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum FollowUpState {
    /// Not closed, due date not passed.
    Open {
        /// Working days from the as-of date to the due date.
        working_days_left: i64,
    },
    /// Not closed, due date passed.
    Overdue {
        /// Working days from the due date to the as-of date (0 on a weekend right after a
        /// Friday deadline).
        working_days: i64,
    },
    /// Closed by the follow-up verification's report.
    Closed {
        /// Working days the closure came after the due date; 0 when on time.
        late_working_days: i64,
    },
}

/// One follow-up and where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub struct FollowUp<'a> {
    /// The ledger entry.
    pub entry: &'a ReliefEntry,
    /// Where it stands on the as-of date.
    pub state: FollowUpState,
}

/// The follow-ups of a ledger on a date, each list in ledger order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub struct FollowUpReport<'a> {
    /// The as-of date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub as_of: Date,
    /// Open and not yet due.
    pub open: Vec<FollowUp<'a>>,
    /// Open past the due date.
    pub overdue: Vec<FollowUp<'a>>,
    /// Closed.
    pub closed: Vec<FollowUp<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn grant(case: &str, on: Date) -> ReliefGrant {
        ReliefGrant {
            case_id: case.into(),
            household_id: format!("H-{case}"),
            relieved_on: on,
            amount_fen: 150_000,
            reason: "house fire".into(),
            emergency: true,
        }
    }

    fn evidence(reference: &str, household: &str) -> FollowUpEvidence {
        FollowUpEvidence {
            report_number: format!("BG-{reference}"),
            report_digest: Sha256Digest::of(reference.as_bytes()),
            purpose: Purpose::EmergencyFollowUp,
            household_id: household.into(),
            relief_reference: reference.into(),
            report_issued_on: None,
        }
    }

    /// R4: a stored ledger may hold a follow-up closed on the relief day itself, never one
    /// dated before the relief.
    #[test]
    fn a_stored_closure_may_fall_on_the_relief_day_but_not_before() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let reference = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        ledger
            .close(
                &reference,
                &evidence(&reference, "H-JJ-1"),
                date!(2026 - 03 - 06),
            )
            .unwrap();
        let same_day = ledger.to_json();
        assert_eq!(ReliefLedger::from_json(&same_day).unwrap(), ledger);
        let before = same_day.replace(
            "\"closed_on\": \"2026-03-06\"",
            "\"closed_on\": \"2026-03-05\"",
        );
        assert_ne!(before, same_day);
        let e = ReliefLedger::from_json(&before).unwrap_err();
        assert!(
            e.to_string()
                .contains("is dated 2026-03-05, before the relief on 2026-03-06"),
            "{e}"
        );
    }

    /// R4, R11: a follow-up report closes relief only while its digest verifies, even when
    /// signatures are not required; it must name the relief it follows up.
    #[test]
    fn follow_up_evidence_needs_a_verifying_digest_and_a_relief_reference() {
        let rb = Rulebook::default();
        let as_of = time::macros::datetime!(2026-11-29 10:00 +08:00);
        let mut report = (0..50)
            .find_map(|i| {
                crate::verify::verify(&crate::sample::sample_case(3, i, &rb).case, &rb, as_of).ok()
            })
            .unwrap();
        let trust = EvidenceTrust::digest_only();
        report.header.relief_reference = None;
        report.seal().unwrap();
        let e = FollowUpEvidence::from_report(&report, &trust).unwrap_err();
        assert_eq!(e.code(), "relief_followup_report_unverified");
        assert!(e.to_string().contains("names no relief reference"), "{e}");

        report.header.relief_reference = Some("JJ-REF-1".to_owned());
        report.seal().unwrap();
        let evidence = FollowUpEvidence::from_report(&report, &trust).unwrap();
        assert_eq!(evidence.relief_reference, "JJ-REF-1");
        assert_eq!(
            Some(evidence.report_digest),
            report.integrity.as_ref().map(|i| i.digest)
        );

        report.header.relief_reference = Some("JJ-REF-2".to_owned());
        let e = FollowUpEvidence::from_report(&report, &trust).unwrap_err();
        assert_eq!(e.code(), "relief_followup_report_unverified");
        assert!(e.to_string().contains("digest does not verify"), "{e}");
        report.integrity = None;
        assert_eq!(
            FollowUpEvidence::from_report(&report, &trust)
                .unwrap_err()
                .code(),
            "relief_followup_report_unverified"
        );
    }

    /// R4: a follow-up is closed by its report, so not on a date before the report was
    /// issued (a back-dated closing would hide a late follow-up).
    #[test]
    fn a_follow_up_is_not_closed_before_its_report_was_issued() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let reference = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        let mut late = evidence(&reference, "H-JJ-1");
        late.report_issued_on = Some(date!(2026 - 04 - 30));
        let e = ledger
            .close(&reference, &late, date!(2026 - 03 - 10))
            .unwrap_err();
        assert_eq!(e.code(), "relief_followup_report_unverified");
        assert!(e.to_string().contains("2026-04-30"), "{e}");
        assert!(ledger.entry(&reference).unwrap().closure.is_none());
        let closed = ledger
            .close(&reference, &late, date!(2026 - 04 - 30))
            .unwrap();
        assert_eq!(
            closed.closure.as_ref().unwrap().closed_on,
            date!(2026 - 04 - 30)
        );
    }

    #[test]
    fn relief_first_is_refused_for_a_non_emergency_case() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let mut ordinary = grant("PT-1", date!(2026 - 03 - 06));
        ordinary.emergency = false;
        let e = ledger.record(ordinary, &rb).unwrap_err();
        assert_eq!(e.code(), "relief_not_emergency");
        assert!(
            e.to_string()
                .starts_with("R4 emergency-first-relief (N §二(一)): case `PT-1`"),
            "{e}"
        );
        assert_eq!(crate::Error::from(e).area(), crate::ErrorArea::Population);
        assert!(ledger.entries().is_empty());
        let mut nothing = grant("JJ-0", date!(2026 - 03 - 06));
        nothing.amount_fen = 0;
        assert_eq!(
            ledger.record(nothing, &rb).unwrap_err().code(),
            "relief_amount_not_positive"
        );
    }

    /// R4: the ledger on a given day counts relief given that day, and a follow-up closed that
    /// day as closed; a closure on the due date is on time, one the working day after is late.
    #[test]
    fn follow_ups_count_the_day_itself() {
        let rb = Rulebook::default();
        let cal = &rb.calendar;
        let mut ledger = ReliefLedger::new();
        let reference = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        let on_relief_day = ledger.follow_ups(date!(2026 - 03 - 06), cal);
        assert_eq!(on_relief_day.open.len(), 1);
        assert_eq!(
            on_relief_day.open[0].state,
            FollowUpState::Open {
                working_days_left: 5
            }
        );
        let ev = evidence(&reference, "H-JJ-1");
        // closed on the due date (Friday 13 March): on time
        let mut on_time = ledger.clone();
        on_time
            .close(&reference, &ev, date!(2026 - 03 - 13))
            .unwrap();
        let that_day = on_time.follow_ups(date!(2026 - 03 - 13), cal);
        assert!(that_day.open.is_empty() && that_day.overdue.is_empty());
        assert_eq!(
            that_day.closed[0].state,
            FollowUpState::Closed {
                late_working_days: 0
            }
        );
        // the day before the closing it was still open
        assert_eq!(on_time.follow_ups(date!(2026 - 03 - 12), cal).open.len(), 1);
        // closed on Monday 16 March: one working day late
        ledger
            .close(&reference, &ev, date!(2026 - 03 - 16))
            .unwrap();
        assert_eq!(
            ledger.follow_ups(date!(2026 - 03 - 16), cal).closed[0].state,
            FollowUpState::Closed {
                late_working_days: 1
            }
        );
    }

    #[test]
    fn follow_up_is_overdue_one_working_day_after_a_friday_deadline() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        // Friday 6 March 2026 + 5 working days = Friday 13 March
        let reference = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        assert_eq!(reference, "JJ-1-1");
        let entry = ledger.entry(&reference).unwrap();
        assert_eq!(entry.follow_up_due, date!(2026 - 03 - 13));
        assert!(!entry.due_estimated);
        let cal = &rb.calendar;

        let on_deadline = ledger.follow_ups(date!(2026 - 03 - 13), cal);
        assert_eq!(on_deadline.open.len(), 1);
        assert_eq!(
            on_deadline.open[0].state,
            FollowUpState::Open {
                working_days_left: 0
            }
        );
        let sunday = ledger.follow_ups(date!(2026 - 03 - 15), cal);
        assert_eq!(
            sunday.overdue[0].state,
            FollowUpState::Overdue { working_days: 0 }
        );
        let monday = ledger.follow_ups(date!(2026 - 03 - 16), cal);
        assert!(monday.open.is_empty() && monday.closed.is_empty());
        assert_eq!(
            monday.overdue[0].state,
            FollowUpState::Overdue { working_days: 1 }
        );
        let before = ledger.follow_ups(date!(2026 - 03 - 09), cal);
        assert_eq!(
            before.open[0].state,
            FollowUpState::Open {
                working_days_left: 4
            }
        );
        // not yet given on an earlier date
        assert!(
            ledger
                .follow_ups(date!(2026 - 03 - 05), cal)
                .open
                .is_empty()
        );
    }

    #[test]
    fn deadline_follows_the_holiday_calendar() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        // Friday 26 Sep 2025: Sunday 28 Sep is worked, 1-8 Oct are off; the fifth working day
        // is Friday 10 Oct, and Saturday 11 Oct is an adjusted working day.
        let r = ledger
            .record(grant("JJ-9", date!(2025 - 09 - 26)), &rb)
            .unwrap();
        assert_eq!(
            ledger.entry(&r).unwrap().follow_up_due,
            date!(2025 - 10 - 10)
        );
        let report = ledger.follow_ups(date!(2025 - 10 - 11), &rb.calendar);
        assert_eq!(
            report.overdue[0].state,
            FollowUpState::Overdue { working_days: 1 }
        );
    }

    #[test]
    fn closing_requires_the_follow_up_report() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let r1 = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        let r2 = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 09)), &rb)
            .unwrap();
        assert_eq!(r2, "JJ-1-2");
        let day = date!(2026 - 03 - 12);

        let code = |ledger: &mut ReliefLedger, reference: &str, ev: &FollowUpEvidence, on| {
            ledger.close(reference, ev, on).unwrap_err().code()
        };
        let mut ev = evidence(&r1, "H-JJ-1");
        ev.purpose = Purpose::NewApplication;
        assert_eq!(
            code(&mut ledger, &r1, &ev, day),
            "relief_followup_wrong_purpose"
        );
        let ev = evidence(&r1, "H-OTHER");
        assert_eq!(
            code(&mut ledger, &r1, &ev, day),
            "relief_followup_wrong_household"
        );
        let ev = evidence(&r2, "H-JJ-1");
        assert_eq!(
            code(&mut ledger, &r1, &ev, day),
            "relief_followup_reference_mismatch"
        );
        assert_eq!(
            code(&mut ledger, "JJ-404-1", &ev, day),
            "relief_followup_unknown"
        );
        let ev = evidence(&r1, "H-JJ-1");
        assert_eq!(
            code(&mut ledger, &r1, &ev, date!(2026 - 03 - 05)),
            "relief_followup_before_relief"
        );
        let mut blank = ev.clone();
        blank.report_number.clear();
        assert_eq!(
            code(&mut ledger, &r1, &blank, day),
            "population_empty_field"
        );
        let purpose_error = {
            let mut wrong = ev.clone();
            wrong.purpose = Purpose::PeriodicRecheck;
            ledger.close(&r1, &wrong, day).unwrap_err().to_string()
        };
        assert!(
            purpose_error.contains("purpose `periodic_recheck`"),
            "{purpose_error}"
        );

        let closed = ledger.close(&r1, &ev, day).unwrap();
        assert_eq!(closed.closure.as_ref().unwrap().report_number, "BG-JJ-1-1");
        assert_eq!(
            code(&mut ledger, &r1, &ev, day),
            "relief_followup_already_closed"
        );

        // second entry closed late: due Mon 16 Mar, closed Wed 18 Mar
        ledger
            .close(&r2, &evidence(&r2, "H-JJ-1"), date!(2026 - 03 - 18))
            .unwrap();
        let report = ledger.follow_ups(date!(2026 - 03 - 20), &rb.calendar);
        let late: Vec<_> = report.closed.iter().map(|f| f.state).collect();
        assert_eq!(
            late,
            [
                FollowUpState::Closed {
                    late_working_days: 0
                },
                FollowUpState::Closed {
                    late_working_days: 2
                }
            ]
        );
        // before its closure date the second one was still overdue
        let report = ledger.follow_ups(date!(2026 - 03 - 17), &rb.calendar);
        assert_eq!((report.closed.len(), report.overdue.len()), (1, 1));
    }

    #[test]
    fn record_all_refuses_bad_grants_and_keeps_the_rest() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let mut ordinary = grant("PT-2", date!(2026 - 03 - 06));
        ordinary.emergency = false;
        let mut blank = grant("", date!(2026 - 03 - 06));
        blank.household_id = "H".into();
        let issues = ledger.record_all(
            [
                grant("JJ-1", date!(2026 - 03 - 06)),
                ordinary,
                blank,
                grant("JJ-2", date!(2026 - 03 - 07)),
            ],
            &rb,
        );
        let seen: Vec<_> = issues.iter().map(|i| (i.position, i.code())).collect();
        assert_eq!(
            seen,
            [(1, "relief_not_emergency"), (2, "population_empty_field")]
        );
        let refs: Vec<_> = ledger
            .entries()
            .iter()
            .map(|e| e.reference.as_str())
            .collect();
        assert_eq!(refs, ["JJ-1-1", "JJ-2-1"]);
    }

    #[test]
    fn ledger_roundtrips_and_rechecks_on_reading() {
        let rb = Rulebook::default();
        let mut ledger = ReliefLedger::new();
        let r = ledger
            .record(grant("JJ-1", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        ledger
            .record(grant("JJ-2", date!(2026 - 03 - 06)), &rb)
            .unwrap();
        ledger
            .close(&r, &evidence(&r, "H-JJ-1"), date!(2026 - 03 - 10))
            .unwrap();
        let json = ledger.to_json();
        let back = ReliefLedger::from_json(&json).unwrap();
        assert_eq!(back, ledger);
        assert_eq!(back.entry("JJ-2-1").unwrap().grant.case_id, "JJ-2");

        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["entries"][1]["grant"]["emergency"] = false.into();
        let e = ReliefLedger::from_json(&v.to_string()).unwrap_err();
        assert_eq!(e.code(), "input_json");
        assert!(e.to_string().contains("R4 emergency-first-relief"), "{e}");

        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["entries"][1]["reference"] = "JJ-1-1".into();
        let e = ReliefLedger::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("appears more than once"), "{e}");

        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["surprise"] = 1.into();
        assert!(ReliefLedger::from_json(&v.to_string()).is_err());
    }
}
