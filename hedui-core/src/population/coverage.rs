//! R5 full coverage of new applicants 100%全量、全域、全网 (N §二(一)).

use std::fmt;
use std::hash::BuildHasher;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{IdHashState, RecordIssue, RecordKind, repeated_ids};
use crate::agency::AgencyLevel;
use crate::category::DataCategory;
use crate::error::PopulationError;
use crate::household::Programme;
use crate::id::{RegionCode, ResidentId};

/// Whether an application comes from a household new to assistance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// 新申请: a household applying for assistance; R5 requires it to be verified.
    New,
    /// A household already receiving assistance (its checks are periodic rechecks, R8).
    Existing,
}

/// An application for assistance 救助申请, as the coverage audit reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// Application id, unique in the audited set.
    pub id: String,
    /// Household id in the assistance system.
    pub household_id: String,
    /// Region of the household (GB/T 2260).
    pub region: RegionCode,
    /// Date of application.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub applied_on: Date,
    /// Programme applied for.
    pub programme: Programme,
    /// New or existing.
    pub kind: ApplicationKind,
    /// Resident IDs of every household member named in the application.
    pub members: Vec<ResidentId>,
}

/// Who answered a category query: one level of the verification system, or nobody online so
/// the entrusting unit investigated offline (R7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnsweredBy {
    /// 县级 shared data.
    County,
    /// 市级 shared data.
    City,
    /// 省级 shared data.
    Province,
    /// 部级 shared data.
    Ministry,
    /// No level answered; 实地查看、邻里访问、信函索证 offline.
    Offline,
}

impl AnsweredBy {
    /// The level that answered, or `None` for offline.
    pub fn level(self) -> Option<AgencyLevel> {
        match self {
            AnsweredBy::County => Some(AgencyLevel::County),
            AnsweredBy::City => Some(AgencyLevel::City),
            AnsweredBy::Province => Some(AgencyLevel::Province),
            AnsweredBy::Ministry => Some(AgencyLevel::Ministry),
            AnsweredBy::Offline => None,
        }
    }
}

/// One category queried in a verification and who answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryQuery {
    /// The category.
    pub category: DataCategory,
    /// The level that answered, or offline.
    pub answered_by: AnsweredBy,
}

/// A verification carried out for a household, as the coverage audit reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct VerificationRecord {
    /// Household id in the assistance system.
    pub household_id: String,
    /// Entrustment or report number.
    pub number: String,
    /// Date of the verification.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub verified_on: Date,
    /// Resident IDs of the members verified.
    pub members: Vec<ResidentId>,
    /// Categories queried and who answered each.
    pub queried: Vec<CategoryQuery>,
    /// Region where the verification was done (GB/T 2260).
    pub region: RegionCode,
}

/// An exact coverage figure: `covered` out of `total`.
///
/// Only `covered == total` is complete; the percentage shown by `Display` is rounded down,
/// so one record short of a million never reads as 100%.
///
/// ```
/// use hedui_core::population::Ratio;
/// let r = Ratio { covered: 999_999, total: 1_000_000 };
/// assert!(!r.is_complete());
/// assert_eq!(r.to_string(), "999999/1000000 (99.99%)");
/// assert_eq!(Ratio { covered: 3, total: 3 }.to_string(), "3/3 (100%)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    /// Items covered.
    pub covered: u64,
    /// Items that should be covered.
    pub total: u64,
}

impl Ratio {
    /// Whether every item is covered (vacuously true when there is none).
    pub fn is_complete(self) -> bool {
        self.covered >= self.total
    }

    /// Items not covered.
    pub fn missing(self) -> u64 {
        self.total.saturating_sub(self.covered)
    }

    /// The ratio as a float, for display only; `None` when there is nothing to cover.
    #[expect(
        clippy::cast_precision_loss,
        reason = "a display convenience; the exact figure is covered/total"
    )]
    pub fn fraction(self) -> Option<f64> {
        (self.total > 0).then(|| self.covered as f64 / self.total as f64)
    }
}

impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.covered, self.total)?;
        if self.total == 0 {
            f.write_str(" (nothing to cover)")
        } else if self.is_complete() {
            f.write_str(" (100%)")
        } else {
            // Hundredths of a percent, rounded down.
            let basis = u128::from(self.covered) * 10_000 / u128::from(self.total);
            write!(f, " ({}.{:02}%)", basis / 100, basis % 100)
        }
    }
}

/// A gap in coverage, with its reason.
///
/// `position` is the 0-based position of the application in the audited input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "reason", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CoverageGap {
    /// 全量: no verification record for the household at all.
    NeverVerified {
        /// Position of the application.
        position: usize,
        /// Application id.
        application: String,
        /// Household id.
        household: String,
    },
    /// 全量: the household's only verifications are dated before the application.
    VerifiedBeforeApplication {
        /// Position of the application.
        position: usize,
        /// Application id.
        application: String,
        /// Household id.
        household: String,
        /// Date of application.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        applied_on: Date,
        /// Date of the latest earlier verification.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        last_verified_on: Date,
    },
    /// 全量: a member named in the application was not verified.
    MemberMissing {
        /// Position of the application.
        position: usize,
        /// Application id.
        application: String,
        /// Household id.
        household: String,
        /// 0-based position of the member in the application.
        member_index: usize,
        /// Masked resident ID of the member.
        member: String,
    },
    /// 全网: a category that some level can query was never queried for the household.
    CategoryNeverQueried {
        /// Position of the application.
        position: usize,
        /// Application id.
        application: String,
        /// Household id.
        household: String,
        /// The category.
        category: DataCategory,
    },
    /// 全网: a category that some level can query was answered only offline.
    CategoryOfflineOnly {
        /// Position of the application.
        position: usize,
        /// Application id.
        application: String,
        /// Household id.
        household: String,
        /// The category.
        category: DataCategory,
    },
    /// 全域: a region of the jurisdiction sent no verification record.
    RegionSilent {
        /// The region.
        region: RegionCode,
        /// New applications from the region in the audited set.
        new_applications: u64,
    },
}

impl CoverageGap {
    /// The snake_case reason, as in JSON.
    pub fn reason(&self) -> &'static str {
        match self {
            CoverageGap::NeverVerified { .. } => "never_verified",
            CoverageGap::VerifiedBeforeApplication { .. } => "verified_before_application",
            CoverageGap::MemberMissing { .. } => "member_missing",
            CoverageGap::CategoryNeverQueried { .. } => "category_never_queried",
            CoverageGap::CategoryOfflineOnly { .. } => "category_offline_only",
            CoverageGap::RegionSilent { .. } => "region_silent",
        }
    }
}

impl fmt::Display for CoverageGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CoverageGap::NeverVerified {
                application,
                household,
                ..
            } => write!(
                f,
                "application `{application}` (household `{household}`) was never verified"
            ),
            CoverageGap::VerifiedBeforeApplication {
                application,
                household,
                applied_on,
                last_verified_on,
                ..
            } => write!(
                f,
                "application `{application}` (household `{household}`) of {applied_on} was last verified on {last_verified_on}, before it was made"
            ),
            CoverageGap::MemberMissing {
                application,
                member,
                ..
            } => write!(
                f,
                "application `{application}`: member `{member}` was not verified"
            ),
            CoverageGap::CategoryNeverQueried {
                application,
                category,
                ..
            } => write!(
                f,
                "application `{application}`: category `{category}` was never queried"
            ),
            CoverageGap::CategoryOfflineOnly {
                application,
                category,
                ..
            } => write!(
                f,
                "application `{application}`: category `{category}` was answered only offline"
            ),
            CoverageGap::RegionSilent {
                region,
                new_applications,
            } => write!(
                f,
                "region `{region}` sent no verification record ({new_applications} new applications)"
            ),
        }
    }
}

/// The R5 coverage figures of a jurisdiction's new applications, with every gap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub struct CoverageReport {
    /// Applications read without a problem, new and existing.
    pub applications: u64,
    /// New applications among them: the population R5 covers.
    pub new_applications: u64,
    /// 全量: new applications with a verification dated on or after the application.
    pub households: Ratio,
    /// 全量: members of new applications verified in such a verification.
    pub members: Ratio,
    /// 全域: regions of the jurisdiction that sent at least one verification record.
    pub regions: Ratio,
    /// 全网: (new application, queryable category) pairs answered online by some level.
    pub categories: Ratio,
    /// Pairs answered only offline; counted as gaps in [`categories`](Self::categories).
    pub categories_offline_only: u64,
    /// Every gap: applications in input order, then silent regions in code order.
    pub gaps: Vec<CoverageGap>,
    /// Records left out of the audit, with their positions.
    pub issues: Vec<RecordIssue>,
}

impl CoverageReport {
    /// Whether the jurisdiction is at exactly 100% on all three axes and no record had to be
    /// left out (a bad record may hide an unverified household).
    pub fn is_complete(&self) -> bool {
        self.households.is_complete()
            && self.members.is_complete()
            && self.regions.is_complete()
            && self.categories.is_complete()
            && self.issues.is_empty()
    }
}

impl fmt::Display for CoverageReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "new applications: {}", self.new_applications)?;
        writeln!(f, "全量 households: {}", self.households)?;
        writeln!(f, "全量 members: {}", self.members)?;
        writeln!(f, "全域 regions: {}", self.regions)?;
        writeln!(f, "全网 categories: {}", self.categories)?;
        write!(
            f,
            "gaps: {}, records left out: {}, complete: {}",
            self.gaps.len(),
            self.issues.len(),
            if self.is_complete() { "yes" } else { "no" }
        )
    }
}

// Categories are tracked as bits of a u64.
const _: () = assert!(DataCategory::ALL.len() <= 64);

fn bit(category: DataCategory) -> u64 {
    // below 64 by the assertion above
    1u64 << (category as u32)
}

/// The jurisdiction's regions, sorted, and which of them each record falls in.
struct Jurisdiction {
    regions: Vec<RegionCode>,
}

impl Jurisdiction {
    fn new(regions: &[RegionCode]) -> Self {
        let mut regions = regions.to_vec();
        regions.sort_unstable();
        regions.dedup();
        Jurisdiction { regions }
    }

    /// The slot of the most specific listed region containing `region`.
    fn locate(&self, region: RegionCode) -> Option<usize> {
        [region, region.city(), region.province()]
            .into_iter()
            .find_map(|r| self.regions.binary_search(&r).ok())
    }
}

/// Audits R5 coverage of new applications.
///
/// R5, N §二(一): "对于新申请社会救助的家庭，要100%全量、全域、全网进行核对". Along each axis:
///
/// - **全量**: a new application is covered when its household has a verification record dated
///   on or after the application date; each member named in the application is covered when
///   such a record lists them.
/// - **全域**: each region of `jurisdiction` is covered when at least one verification record
///   lies in it. A listed region covers the regions within it (a city covers its counties);
///   a record counts for the most specific listed region containing it.
/// - **全网**: each pair (new application, category of `queryable`) is covered when such a
///   record has the category answered by some level; answered only offline is a gap of its own
///   reason. `queryable` is the set of categories that any level can query.
///
/// Existing applications are read and checked but not measured: R5 is about new applicants.
/// An application that never got a record counts as uncovered on all of its members and
/// categories, with the one gap "never verified".
///
/// Bad records (empty ids, no members, a duplicate application id, a region outside the
/// jurisdiction) are reported as [`RecordIssue`]s and left out; the rest is audited.
///
/// Applications and records are joined by household through sorted hash keys, which keeps
/// memory access sequential: a million applications take a few hundred milliseconds on one
/// core.
pub fn audit_coverage(
    applications: &[Application],
    verifications: &[VerificationRecord],
    jurisdiction: &[RegionCode],
    queryable: &[DataCategory],
) -> CoverageReport {
    let jurisdiction = Jurisdiction::new(jurisdiction);
    let required = required_categories(queryable);
    let mut tally = CoverageTally::new(jurisdiction.regions.len());

    // Good records keyed by household hash, sorted: the records of one household form a run.
    let state = IdHashState::default();
    let by_household = tally.index_records(verifications, &jurisdiction, &state);
    let (repeats, runs) = application_keys(applications, &by_household, &state);
    let records = HouseholdRecords {
        verifications,
        by_household,
        runs,
    };

    let mut repeats = repeats.into_iter().peekable();
    for (position, app) in applications.iter().enumerate() {
        match check_application(position, app, &mut repeats, &jurisdiction) {
            Ok(slot) => tally.audit_application(position, app, slot, &required, &records),
            Err(error) => {
                tally
                    .issues
                    .push(RecordIssue::new(RecordKind::Application, position, error))
            }
        }
    }
    let regions_covered = tally.count_regions(&jurisdiction);
    tally.into_report(Ratio {
        covered: regions_covered,
        total: jurisdiction.regions.len() as u64,
    })
}

/// The categories each new application must have answered online: `queryable`, sorted, once.
fn required_categories(queryable: &[DataCategory]) -> Vec<DataCategory> {
    let mut required = queryable.to_vec();
    required.sort_unstable();
    required.dedup();
    required
}

/// Checks a verification record (both ids present, region in the jurisdiction) and returns
/// the slot of its region.
fn check_record(
    record: &VerificationRecord,
    jurisdiction: &Jurisdiction,
) -> Result<usize, PopulationError> {
    let empty = if record.household_id.is_empty() {
        Some("household_id")
    } else if record.number.is_empty() {
        Some("number")
    } else {
        None
    };
    if let Some(field) = empty {
        return Err(PopulationError::EmptyField {
            record: "verification record",
            field,
        });
    }
    jurisdiction
        .locate(record.region)
        .ok_or_else(|| PopulationError::OutsideJurisdiction {
            record: "verification record",
            id: record.number.clone(),
            region: record.region,
        })
}

/// Applications with both ids: their repeated ids and, merging their household keys with the
/// records' (`by_household`), the run of records of each application's household.
fn application_keys(
    applications: &[Application],
    by_household: &[(u64, usize)],
    state: &IdHashState,
) -> (Vec<(usize, usize)>, Vec<Run>) {
    let mut id_keys = Vec::with_capacity(applications.len());
    let mut household_keys = Vec::with_capacity(applications.len());
    for (pos, app) in applications.iter().enumerate() {
        if !app.id.is_empty() && !app.household_id.is_empty() {
            id_keys.push((state.hash_one(app.id.as_str()), pos));
            household_keys.push((state.hash_one(app.household_id.as_str()), pos));
        }
    }
    id_keys.sort_unstable();
    let repeats = repeated_ids(&id_keys, |pos| {
        applications.get(pos).map_or("", |app| app.id.as_str())
    });
    drop(id_keys);
    household_keys.sort_unstable();
    let runs = household_runs(&household_keys, by_household, applications.len());
    (repeats, runs)
}

/// Walks the applications' sorted household keys and the records' together: the run of
/// records for each of `count` application positions.
fn household_runs(
    household_keys: &[(u64, usize)],
    by_household: &[(u64, usize)],
    count: usize,
) -> Vec<Run> {
    let mut runs = vec![Run::Empty; count];
    let mut cursor = 0;
    for run in household_keys.chunk_by(|a, b| a.0 == b.0) {
        let Some(&(hash, _)) = run.first() else {
            continue;
        };
        while by_household.get(cursor).is_some_and(|k| k.0 < hash) {
            cursor += 1;
        }
        let mut end = cursor;
        while by_household.get(end).is_some_and(|k| k.0 == hash) {
            end += 1;
        }
        let found = match by_household.get(cursor..end).unwrap_or_default() {
            [] => Run::Empty,
            [(_, record)] => Run::One(*record),
            _ => Run::Many(cursor, end),
        };
        for &(_, pos) in run {
            if let Some(slot) = runs.get_mut(pos) {
                *slot = found;
            }
        }
        cursor = end;
    }
    runs
}

/// Checks an application (both ids, not a repeated id, members, region in the jurisdiction)
/// and returns the slot of its region. `repeats` holds the repeated ids' positions, ascending.
fn check_application(
    position: usize,
    app: &Application,
    repeats: &mut std::iter::Peekable<std::vec::IntoIter<(usize, usize)>>,
    jurisdiction: &Jurisdiction,
) -> Result<usize, PopulationError> {
    let empty = if app.id.is_empty() {
        Some("id")
    } else if app.household_id.is_empty() {
        Some("household_id")
    } else {
        None
    };
    if let Some(field) = empty {
        return Err(PopulationError::EmptyField {
            record: "application",
            field,
        });
    }
    if let Some((_, first_position)) = repeats.next_if(|&(pos, _)| pos == position) {
        return Err(PopulationError::DuplicateRecord {
            record: "application",
            id: app.id.clone(),
            first_position,
        });
    }
    if app.members.is_empty() {
        return Err(PopulationError::NoMembers {
            application: app.id.clone(),
        });
    }
    jurisdiction
        .locate(app.region)
        .ok_or_else(|| PopulationError::OutsideJurisdiction {
            record: "application",
            id: app.id.clone(),
            region: app.region,
        })
}

/// The good verification records, keyed by household hash and sorted, and each application's
/// run of them.
struct HouseholdRecords<'v> {
    verifications: &'v [VerificationRecord],
    by_household: Vec<(u64, usize)>,
    runs: Vec<Run>,
}

impl<'v> HouseholdRecords<'v> {
    /// The records of the household of application `app` at `position`: the run of equal
    /// hashes, less any hash collision.
    fn of<'a>(
        &'a self,
        position: usize,
        app: &'a Application,
    ) -> impl Iterator<Item = &'v VerificationRecord> + 'a {
        let (one, many) = match self.runs.get(position).copied().unwrap_or(Run::Empty) {
            Run::Empty => (None, &[][..]),
            Run::One(record) => (Some(record), &[][..]),
            Run::Many(start, end) => (None, self.by_household.get(start..end).unwrap_or_default()),
        };
        one.into_iter()
            .chain(many.iter().map(|&(_, record)| record))
            .filter_map(|record| self.verifications.get(record))
            .filter(|record| record.household_id == app.household_id)
    }
}

/// What a household's records show about one application.
#[derive(Default)]
struct Seen {
    /// Some record is dated on or after the application.
    verified: bool,
    /// The latest record dated before the application.
    last_before: Option<Date>,
    /// Bits of the categories answered online in such a record.
    online: u64,
    /// Bits of the categories answered offline in such a record.
    offline: u64,
    /// Bit i: member i (of the first 64) appears in a record on or after the application.
    found: u64,
}

/// Reads a household's `records` against application `app`.
fn seen<'v>(records: impl Iterator<Item = &'v VerificationRecord>, app: &Application) -> Seen {
    let mut seen = Seen::default();
    for record in records {
        if record.verified_on < app.applied_on {
            seen.last_before = seen.last_before.max(Some(record.verified_on));
            continue;
        }
        seen.verified = true;
        for query in &record.queried {
            if query.answered_by == AnsweredBy::Offline {
                seen.offline |= bit(query.category);
            } else {
                seen.online |= bit(query.category);
            }
        }
        for (i, member) in app.members.iter().take(64).enumerate() {
            let member_bit = 1u64 << i;
            if seen.found & member_bit == 0 && lists(record, member) {
                seen.found |= member_bit;
            }
        }
    }
    seen
}

/// The running figures of a coverage audit, its gaps and the records left out.
struct CoverageTally {
    read: u64,
    new_applications: u64,
    households_covered: u64,
    members: Ratio,
    categories: Ratio,
    offline_only: u64,
    /// Per region slot: whether a good record lies in it.
    region_active: Vec<bool>,
    /// Per region slot: new applications from it.
    region_new: Vec<u64>,
    gaps: Vec<CoverageGap>,
    issues: Vec<RecordIssue>,
}

impl CoverageTally {
    /// Nothing counted yet, for a jurisdiction of `regions` region slots.
    fn new(regions: usize) -> Self {
        CoverageTally {
            read: 0,
            new_applications: 0,
            households_covered: 0,
            members: Ratio {
                covered: 0,
                total: 0,
            },
            categories: Ratio {
                covered: 0,
                total: 0,
            },
            offline_only: 0,
            region_active: vec![false; regions],
            region_new: vec![0u64; regions],
            gaps: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Checks each record, marks its region active, and returns the good ones' household keys
    /// (hash, position), sorted; bad records become issues.
    fn index_records(
        &mut self,
        verifications: &[VerificationRecord],
        jurisdiction: &Jurisdiction,
        state: &IdHashState,
    ) -> Vec<(u64, usize)> {
        let mut by_household = Vec::with_capacity(verifications.len());
        for (position, record) in verifications.iter().enumerate() {
            match check_record(record, jurisdiction) {
                Ok(slot) => {
                    if let Some(active) = self.region_active.get_mut(slot) {
                        *active = true;
                    }
                    by_household.push((state.hash_one(record.household_id.as_str()), position));
                }
                Err(error) => {
                    self.issues
                        .push(RecordIssue::new(RecordKind::Verification, position, error))
                }
            }
        }
        by_household.sort_unstable();
        by_household
    }

    /// Counts a good application at `position` from region `slot`; measures it if new.
    fn audit_application(
        &mut self,
        position: usize,
        app: &Application,
        slot: usize,
        required: &[DataCategory],
        records: &HouseholdRecords<'_>,
    ) {
        self.read += 1;
        if app.kind != ApplicationKind::New {
            return;
        }
        self.new_applications += 1;
        if let Some(count) = self.region_new.get_mut(slot) {
            *count += 1;
        }
        self.members.total += app.members.len() as u64;
        self.categories.total += required.len() as u64;

        let seen = seen(records.of(position, app), app);
        if !seen.verified {
            self.gaps
                .push(unverified_gap(position, app, seen.last_before));
            return;
        }
        self.households_covered += 1;
        self.count_members(position, app, seen.found, records);
        self.count_categories(position, app, required, &seen);
    }

    /// 全量: counts the members of a verified new application, a gap for each one missing.
    fn count_members(
        &mut self,
        position: usize,
        app: &Application,
        found: u64,
        records: &HouseholdRecords<'_>,
    ) {
        for (member_index, member) in app.members.iter().enumerate() {
            let covered = if member_index < 64 {
                found & (1 << member_index) != 0
            } else {
                records
                    .of(position, app)
                    .any(|r| r.verified_on >= app.applied_on && lists(r, member))
            };
            if covered {
                self.members.covered += 1;
            } else {
                self.gaps.push(CoverageGap::MemberMissing {
                    position,
                    application: app.id.clone(),
                    household: app.household_id.clone(),
                    member_index,
                    member: member.masked(),
                });
            }
        }
    }

    /// 全网: counts the required categories of a verified new application answered online,
    /// a gap for each answered only offline or never queried.
    fn count_categories(
        &mut self,
        position: usize,
        app: &Application,
        required: &[DataCategory],
        seen: &Seen,
    ) {
        for &category in required {
            if seen.online & bit(category) != 0 {
                self.categories.covered += 1;
            } else if seen.offline & bit(category) != 0 {
                self.offline_only += 1;
                self.gaps.push(CoverageGap::CategoryOfflineOnly {
                    position,
                    application: app.id.clone(),
                    household: app.household_id.clone(),
                    category,
                });
            } else {
                self.gaps.push(CoverageGap::CategoryNeverQueried {
                    position,
                    application: app.id.clone(),
                    household: app.household_id.clone(),
                    category,
                });
            }
        }
    }

    /// 全域: counts the regions that sent a record, a gap for each silent one, in code order.
    fn count_regions(&mut self, jurisdiction: &Jurisdiction) -> u64 {
        let mut regions_covered = 0u64;
        for ((region, active), new) in jurisdiction
            .regions
            .iter()
            .zip(&self.region_active)
            .zip(&self.region_new)
        {
            if *active {
                regions_covered += 1;
            } else {
                self.gaps.push(CoverageGap::RegionSilent {
                    region: *region,
                    new_applications: *new,
                });
            }
        }
        regions_covered
    }

    /// The report, with the `regions` figure counted by [`Self::count_regions`].
    fn into_report(self, regions: Ratio) -> CoverageReport {
        CoverageReport {
            applications: self.read,
            new_applications: self.new_applications,
            households: Ratio {
                covered: self.households_covered,
                total: self.new_applications,
            },
            members: self.members,
            regions,
            categories: self.categories,
            categories_offline_only: self.offline_only,
            gaps: self.gaps,
            issues: self.issues,
        }
    }
}

/// The gap of a new application with no record on or after it: verified only before, or never.
fn unverified_gap(position: usize, app: &Application, last_before: Option<Date>) -> CoverageGap {
    match last_before {
        Some(last_verified_on) => CoverageGap::VerifiedBeforeApplication {
            position,
            application: app.id.clone(),
            household: app.household_id.clone(),
            applied_on: app.applied_on,
            last_verified_on,
        },
        None => CoverageGap::NeverVerified {
            position,
            application: app.id.clone(),
            household: app.household_id.clone(),
        },
    }
}

/// The records whose household id hashes like an application's household id.
#[derive(Debug, Clone, Copy)]
enum Run {
    /// None.
    Empty,
    /// One record, by position: the common case, kept here so that reading it does not touch
    /// the sorted keys again.
    One(usize),
    /// Several: the range of the sorted keys that holds them.
    Many(usize, usize),
}

/// Whether `record` lists `member` among the members verified.
fn lists(record: &VerificationRecord, member: &ResidentId) -> bool {
    record.members.iter().any(|m| m.as_str() == member.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// A valid resident ID, distinct for each `n` below 1000 * 28.
    fn rid(n: u32) -> ResidentId {
        let k = n / 1000;
        let body = format!(
            "141002{}{:02}{:02}{:03}",
            1980 + k % 40,
            1 + k % 12,
            1 + k % 28,
            n % 1000
        );
        let full = format!("{body}{}", ResidentId::check_char(&body).unwrap());
        full.parse().unwrap()
    }

    fn region(code: &str) -> RegionCode {
        code.parse().unwrap()
    }

    const QUERYABLE: [DataCategory; 4] = [
        DataCategory::HouseholdRegistration,
        DataCategory::SocialInsurance,
        DataCategory::RealEstate,
        DataCategory::BankDeposits,
    ];

    fn app(id: &str, household: &str, reg: &str, members: &[u32]) -> Application {
        Application {
            id: id.into(),
            household_id: household.into(),
            region: region(reg),
            applied_on: date!(2026 - 03 - 02),
            programme: Programme::MinimumLivingAllowance,
            kind: ApplicationKind::New,
            members: members.iter().map(|&n| rid(n)).collect(),
        }
    }

    fn record(household: &str, reg: &str, members: &[u32]) -> VerificationRecord {
        VerificationRecord {
            household_id: household.into(),
            number: format!("WT-{household}"),
            verified_on: date!(2026 - 03 - 05),
            members: members.iter().map(|&n| rid(n)).collect(),
            queried: QUERYABLE
                .iter()
                .map(|&category| CategoryQuery {
                    category,
                    answered_by: if category == DataCategory::BankDeposits {
                        AnsweredBy::City
                    } else {
                        AnsweredBy::County
                    },
                })
                .collect(),
            region: region(reg),
        }
    }

    /// The level behind each answer: each level for itself, none for an offline one.
    #[test]
    fn each_answer_names_its_level() {
        assert_eq!(AnsweredBy::County.level(), Some(AgencyLevel::County));
        assert_eq!(AnsweredBy::City.level(), Some(AgencyLevel::City));
        assert_eq!(AnsweredBy::Province.level(), Some(AgencyLevel::Province));
        assert_eq!(AnsweredBy::Ministry.level(), Some(AgencyLevel::Ministry));
        assert_eq!(AnsweredBy::Offline.level(), None);
    }

    /// A ratio's missing items: what the total has beyond the covered, never below zero.
    #[test]
    fn a_ratio_counts_what_is_missing() {
        let ratio = |covered, total| Ratio { covered, total };
        assert_eq!(ratio(7, 10).missing(), 3);
        assert_eq!(ratio(10, 10).missing(), 0);
        assert_eq!(ratio(0, 0).missing(), 0);
        assert_eq!(ratio(12, 10).missing(), 0);
    }

    /// R9 全量: in a household of more than 64 members (past the bit set of the common
    /// path), a member is covered by a record that lists them and was made on or after the
    /// day of application, and by no other record.
    #[test]
    fn members_past_the_sixty_fourth_are_covered_as_the_others() {
        let regions = vec![region("141002")];
        let all: Vec<u32> = (0..67).collect();
        let apps = vec![app("A1", "H1", "141002", &all)];
        let audit = |records: &[VerificationRecord]| {
            let report = audit_coverage(&apps, records, &regions, &QUERYABLE);
            let missing: Vec<usize> = report
                .gaps
                .iter()
                .filter_map(|g| match g {
                    CoverageGap::MemberMissing { member_index, .. } => Some(*member_index),
                    _ => None,
                })
                .collect();
            (report.members, missing)
        };
        // made on the day of application, listing all but the last member
        let mut on_the_day = record("H1", "141002", &all[..66]);
        on_the_day.verified_on = apps[0].applied_on;
        let (members, missing) = audit(std::slice::from_ref(&on_the_day));
        assert_eq!(
            members,
            Ratio {
                covered: 66,
                total: 67
            }
        );
        assert_eq!(missing, [66]);
        // a record from the day before covers nobody
        let mut before = on_the_day.clone();
        before.verified_on = apps[0].applied_on.previous_day().unwrap();
        let (members, _) = audit(&[before]);
        assert_eq!(
            members,
            Ratio {
                covered: 0,
                total: 67
            }
        );
    }

    /// Two regions, three households, six members, all verified in full.
    fn full() -> (Vec<Application>, Vec<VerificationRecord>, Vec<RegionCode>) {
        (
            vec![
                app("A1", "H1", "141002", &[1, 2]),
                app("A2", "H2", "141002", &[3]),
                app("A3", "H3", "141021", &[4, 5, 6]),
            ],
            vec![
                record("H1", "141002", &[1, 2]),
                record("H2", "141002", &[3]),
                record("H3", "141021", &[4, 5, 6]),
            ],
            vec![region("141002"), region("141021")],
        )
    }

    #[test]
    fn exactly_full_coverage_says_so() {
        let (apps, records, regions) = full();
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert!(report.is_complete(), "{report}");
        assert_eq!(
            report.households,
            Ratio {
                covered: 3,
                total: 3
            }
        );
        assert_eq!(
            report.members,
            Ratio {
                covered: 6,
                total: 6
            }
        );
        assert_eq!(
            report.regions,
            Ratio {
                covered: 2,
                total: 2
            }
        );
        assert_eq!(
            report.categories,
            Ratio {
                covered: 12,
                total: 12
            }
        );
        assert!(report.gaps.is_empty() && report.issues.is_empty());
        assert_eq!(report.households.fraction(), Some(1.0));
        assert!(report.to_string().contains("全量 households: 3/3 (100%)"));
        assert!(report.to_string().ends_with("complete: yes"));
    }

    #[test]
    fn one_missing_member_is_not_complete() {
        let (apps, mut records, regions) = full();
        records[2].members.remove(1);
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert!(!report.is_complete());
        assert!(report.households.is_complete());
        assert_eq!(
            report.members,
            Ratio {
                covered: 5,
                total: 6
            }
        );
        assert_eq!(report.members.to_string(), "5/6 (83.33%)");
        assert_eq!(
            report.gaps,
            vec![CoverageGap::MemberMissing {
                position: 2,
                application: "A3".into(),
                household: "H3".into(),
                member_index: 1,
                member: rid(5).masked(),
            }]
        );
        // the member found in a second, later record of the household counts
        let mut extra = record("H3", "141021", &[5]);
        extra.queried.clear();
        records.push(extra);
        assert!(audit_coverage(&apps, &records, &regions, &QUERYABLE).is_complete());
    }

    #[test]
    fn one_silent_region_is_not_complete() {
        let (apps, records, mut regions) = full();
        regions.push(region("141023"));
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert!(!report.is_complete());
        assert_eq!(
            report.regions,
            Ratio {
                covered: 2,
                total: 3
            }
        );
        assert_eq!(
            report.gaps,
            vec![CoverageGap::RegionSilent {
                region: region("141023"),
                new_applications: 0,
            }]
        );
        assert!(report.households.is_complete() && report.categories.is_complete());
        // a city in the jurisdiction covers its counties
        let report = audit_coverage(&apps, &records, &[region("141000")], &QUERYABLE);
        assert!(report.is_complete(), "{report}");
    }

    #[test]
    fn one_never_queried_category_is_not_complete() {
        let (apps, mut records, regions) = full();
        records[1]
            .queried
            .retain(|q| q.category != DataCategory::RealEstate);
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert!(!report.is_complete());
        assert_eq!(
            report.categories,
            Ratio {
                covered: 11,
                total: 12
            }
        );
        assert_eq!(
            report.gaps,
            vec![CoverageGap::CategoryNeverQueried {
                position: 1,
                application: "A2".into(),
                household: "H2".into(),
                category: DataCategory::RealEstate,
            }]
        );
        assert_eq!(report.gaps[0].reason(), "category_never_queried");
    }

    #[test]
    fn offline_answer_is_its_own_gap() {
        let (apps, mut records, regions) = full();
        records[0].queried[3].answered_by = AnsweredBy::Offline;
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert_eq!(
            report.categories,
            Ratio {
                covered: 11,
                total: 12
            }
        );
        assert_eq!(report.categories_offline_only, 1);
        assert_eq!(report.gaps.len(), 1);
        assert_eq!(report.gaps[0].reason(), "category_offline_only");
    }

    #[test]
    fn never_verified_and_verified_before_application() {
        let (apps, mut records, regions) = full();
        records[0].verified_on = date!(2026 - 02 - 27);
        records.remove(1);
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert_eq!(
            report.households,
            Ratio {
                covered: 1,
                total: 3
            }
        );
        assert_eq!(
            report.members,
            Ratio {
                covered: 3,
                total: 6
            }
        );
        assert_eq!(
            report.categories,
            Ratio {
                covered: 4,
                total: 12
            }
        );
        let reasons: Vec<_> = report.gaps.iter().map(CoverageGap::reason).collect();
        assert_eq!(
            reasons,
            ["verified_before_application", "never_verified"],
            "{:?}",
            report.gaps
        );
        assert!(report.gaps[0].to_string().contains("2026-02-27"));
        // a verification on the day of the application counts
        records[0].verified_on = date!(2026 - 03 - 02);
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert_eq!(report.households.covered, 2);
    }

    #[test]
    fn existing_applications_are_not_measured() {
        let (mut apps, records, regions) = full();
        apps.push(Application {
            kind: ApplicationKind::Existing,
            ..app("A4", "H4", "141002", &[9])
        });
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        assert!(report.is_complete());
        assert_eq!((report.applications, report.new_applications), (4, 3));
    }

    #[test]
    fn bad_records_are_reported_and_the_rest_audited() {
        let (mut apps, mut records, regions) = full();
        apps.push(app("A1", "H9", "141002", &[7])); // 3: duplicate id
        apps.push(app("A5", "H5", "110105", &[8])); // 4: outside
        apps.push(app("A6", "H6", "141002", &[])); // 5: no members
        apps.push(app("", "H7", "141002", &[9])); // 6: empty id
        apps.push(app("", "H8", "141002", &[10])); // 7: empty id again, not a repeated id
        records.push(record("", "141002", &[1])); // 3: empty household
        records.push(record("H5", "110105", &[8])); // 4: outside
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        let seen: Vec<_> = report
            .issues
            .iter()
            .map(|i| (i.input, i.position, i.code()))
            .collect();
        assert_eq!(
            seen,
            [
                (RecordKind::Verification, 3, "population_empty_field"),
                (
                    RecordKind::Verification,
                    4,
                    "population_outside_jurisdiction"
                ),
                (RecordKind::Application, 3, "population_duplicate_record"),
                (
                    RecordKind::Application,
                    4,
                    "population_outside_jurisdiction"
                ),
                (RecordKind::Application, 5, "coverage_no_members"),
                (RecordKind::Application, 6, "population_empty_field"),
                (RecordKind::Application, 7, "population_empty_field"),
            ]
        );
        assert_eq!(
            report.households,
            Ratio {
                covered: 3,
                total: 3
            }
        );
        assert!(report.gaps.is_empty());
        assert!(!report.is_complete(), "left-out records forbid 100%");
        assert!(
            report.issues[2]
                .to_string()
                .contains("`A1` appears more than once, first at position 0")
        );
    }

    #[test]
    fn one_short_of_a_million_never_reads_as_100() {
        let r = Ratio {
            covered: 999_999,
            total: 1_000_000,
        };
        assert!(!r.is_complete());
        assert_eq!(r.missing(), 1);
        assert_eq!(r.to_string(), "999999/1000000 (99.99%)");
        assert!(r.fraction().unwrap() < 1.0);
        let none = Ratio {
            covered: 0,
            total: 0,
        };
        assert!(none.is_complete() && none.fraction().is_none());
        assert_eq!(none.to_string(), "0/0 (nothing to cover)");
    }

    #[test]
    fn json_shapes() {
        let (apps, records, regions) = full();
        let text = serde_json::to_string(&apps[0]).unwrap();
        assert_eq!(serde_json::from_str::<Application>(&text).unwrap(), apps[0]);
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["extra"] = 1.into();
        assert!(serde_json::from_value::<Application>(v).is_err());
        let text = serde_json::to_string(&records[0]).unwrap();
        assert!(text.contains(r#""answered_by":"county""#), "{text}");
        let gap = CoverageGap::RegionSilent {
            region: regions[0],
            new_applications: 2,
        };
        let v = serde_json::to_value(&gap).unwrap();
        assert_eq!(v["reason"], "region_silent");
        assert_eq!(
            serde_json::from_value::<CoverageGap>(v.clone()).unwrap(),
            gap
        );
        let mut extra = v;
        extra["surprise"] = 1.into();
        assert!(serde_json::from_value::<CoverageGap>(extra).is_err());
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        let v = serde_json::to_value(&report).unwrap();
        assert_eq!(v["households"]["covered"], 3);
    }

    // ---- brute force against the indexed audit ----

    const REGIONS: [&str; 3] = ["141002", "141021", "141022"];
    const OUTSIDE: &str = "110105";

    fn arb_region() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            8 => prop::sample::select(REGIONS.to_vec()),
            1 => Just(OUTSIDE),
        ]
    }

    prop_compose! {
        fn arb_app()(household in 0u32..6, reg in arb_region(), day in 0i64..10,
                     new in prop::bool::weighted(0.8),
                     members in prop::collection::vec(0u32..12, 0..4)) -> (u32, &'static str, i64, bool, Vec<u32>) {
            (household, reg, day, new, members)
        }
    }

    prop_compose! {
        fn arb_record()(household in 0u32..7, reg in arb_region(), day in 0i64..12,
                        members in prop::collection::vec(0u32..12, 0..4),
                        queried in prop::collection::vec((0usize..6, 0usize..5), 0..6)) -> VerificationRecord {
            let by = [AnsweredBy::County, AnsweredBy::City, AnsweredBy::Province, AnsweredBy::Ministry, AnsweredBy::Offline];
            VerificationRecord {
                household_id: format!("H{household}"),
                number: "N".into(),
                verified_on: date!(2026 - 01 - 01) + time::Duration::days(day),
                members: members.iter().map(|&n| rid(n)).collect(),
                queried: queried.iter().map(|&(c, b)| CategoryQuery { category: DataCategory::ALL[c], answered_by: by[b] }).collect(),
                region: region(reg),
            }
        }
    }

    proptest! {
        #[test]
        fn ratios_equal_brute_force(
            raw_apps in prop::collection::vec(arb_app(), 0..15),
            records in prop::collection::vec(arb_record(), 0..15),
            jurisdiction in prop::sample::subsequence(REGIONS.to_vec(), 0..=3),
            queryable in prop::sample::subsequence(DataCategory::ALL[..6].to_vec(), 0..=6),
        ) {
            let apps: Vec<Application> = raw_apps.iter().enumerate().map(|(i, (h, reg, day, new, members))| Application {
                id: format!("A{i}"),
                household_id: format!("H{h}"),
                region: region(reg),
                applied_on: date!(2026 - 01 - 01) + time::Duration::days(*day),
                programme: Programme::MinimumLivingAllowance,
                kind: if *new { ApplicationKind::New } else { ApplicationKind::Existing },
                members: members.iter().map(|&n| rid(n)).collect(),
            }).collect();
            let jurisdiction: Vec<RegionCode> = jurisdiction.iter().map(|r| region(r)).collect();
            let report = audit_coverage(&apps, &records, &jurisdiction, &queryable);

            let inside = |r: RegionCode| jurisdiction.contains(&r);
            let good_records: Vec<&VerificationRecord> = records.iter().filter(|r| inside(r.region)).collect();
            let measured: Vec<&Application> = apps.iter()
                .filter(|a| inside(a.region) && !a.members.is_empty() && a.kind == ApplicationKind::New)
                .collect();
            let (mut households, mut members, mut member_total, mut categories) = (0u64, 0u64, 0u64, 0u64);
            for a in &measured {
                let valid: Vec<&&VerificationRecord> = good_records.iter()
                    .filter(|r| r.household_id == a.household_id && r.verified_on >= a.applied_on)
                    .collect();
                member_total += a.members.len() as u64;
                if valid.is_empty() { continue; }
                households += 1;
                members += a.members.iter().filter(|m| valid.iter().any(|r| r.members.contains(m))).count() as u64;
                let mut distinct = queryable.clone();
                distinct.sort();
                distinct.dedup();
                categories += distinct.iter().filter(|c| valid.iter().any(|r| r.queried.iter()
                    .any(|q| q.category == **c && q.answered_by != AnsweredBy::Offline))).count() as u64;
            }
            let active = jurisdiction.iter().filter(|j| good_records.iter().any(|r| r.region == **j)).count() as u64;
            let n = measured.len() as u64;
            prop_assert_eq!(report.households, Ratio { covered: households, total: n });
            prop_assert_eq!(report.members, Ratio { covered: members, total: member_total });
            prop_assert_eq!(report.categories, Ratio { covered: categories, total: n * queryable.len() as u64 });
            prop_assert_eq!(report.regions, Ratio { covered: active, total: jurisdiction.len() as u64 });
            let missing = (n - households) + (member_total - members) + (n * queryable.len() as u64 - categories)
                + (jurisdiction.len() as u64 - active);
            let listed: u64 = report.gaps.iter().map(|g| match g {
                CoverageGap::NeverVerified { position, .. } | CoverageGap::VerifiedBeforeApplication { position, .. } => {
                    1 + apps[*position].members.len() as u64 + queryable.len() as u64
                }
                _ => 1,
            }).sum();
            prop_assert_eq!(listed, missing, "every uncovered item is explained by one gap");
            prop_assert_eq!(report.is_complete(), missing == 0 && report.issues.is_empty());
        }
    }

    /// R5 全域: a silent region's gap says how many new applications came from it (existing
    /// ones not counted), so the region is visibly not "quiet for lack of applicants".
    #[test]
    fn a_silent_region_counts_its_new_applications() {
        let (mut apps, records, mut regions) = full();
        regions.push(region("141023"));
        apps.push(app("A4", "H4", "141023", &[7]));
        apps.push(app("A5", "H5", "141023", &[8]));
        apps.push(Application {
            kind: ApplicationKind::Existing,
            ..app("A6", "H6", "141023", &[9])
        });
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        let silent: Vec<_> = report
            .gaps
            .iter()
            .filter(|g| matches!(g, CoverageGap::RegionSilent { .. }))
            .collect();
        assert_eq!(
            silent,
            [&CoverageGap::RegionSilent {
                region: region("141023"),
                new_applications: 2,
            }]
        );
    }

    /// Applications without an id are left out before the search for repeated ids, so a
    /// repeated id after them is still reported at its own position.
    #[test]
    fn a_repeated_id_after_applications_without_one_is_reported() {
        let (mut apps, records, regions) = full();
        apps.insert(0, app("", "H7", "141002", &[9])); // 0: empty id
        apps.insert(1, app("", "H8", "141002", &[10])); // 1: empty id
        apps.push(app("A2", "H9", "141002", &[11])); // 5: repeats position 3
        let report = audit_coverage(&apps, &records, &regions, &QUERYABLE);
        let issues: Vec<_> = report
            .issues
            .iter()
            .map(|i| (i.position, i.code()))
            .collect();
        assert_eq!(
            issues,
            [
                (0, "population_empty_field"),
                (1, "population_empty_field"),
                (5, "population_duplicate_record"),
            ]
        );
        assert!(report.issues[2].to_string().contains("first at position 3"));
    }
}
