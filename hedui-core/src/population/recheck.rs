//! R8 periodic recheck, dynamic management 动态管理、定期复核 (N §二(一)).

use std::collections::HashMap;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{IdHashState, RecordIssue, RecordKind, repeated_ids, sorted_ids};
use crate::agency::Purpose;
use crate::calendar::add_months_clamped;
use crate::error::PopulationError;
use crate::household::Programme;
use crate::rulebook::RecheckBatchOptions;
use crate::rulebook::{RecheckIntervals, Rulebook};

/// How stable a household's situation is, which sets its 低保 recheck interval
/// (最低生活保障审核确认办法 Art 31). Ignored for other programmes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HouseholdType {
    /// 收入来源较为固定、家庭状况变化不大: situation changes little.
    #[default]
    Stable,
    /// 收入不稳定且有劳动能力成员: unstable income and members able to work.
    UnstableAbleToWork,
    /// Category C households in cities *(local)*.
    UrbanCategoryC,
}

/// An event that pulls a recheck earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecheckEventKind {
    /// A member died: recheck within `after_death_months` (2022 兜底 notice).
    MemberDeath,
    /// The household's membership changed: the authorization lapses (R1) and the recheck is
    /// due at once.
    MembershipChange,
}

/// An event recorded for an assisted household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecheckEvent {
    /// What happened.
    pub kind: RecheckEventKind,
    /// When.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub on: Date,
}

/// A household receiving assistance 已享受救助的困难对象, as the recheck schedule reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AssistedHousehold {
    /// Household id, unique in the scheduled set.
    pub household_id: String,
    /// Programme received.
    pub programme: Programme,
    /// Stability of the household's situation (for 低保); default `stable`.
    #[serde(default)]
    pub household_type: HouseholdType,
    /// Date of the last verification.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub last_checked: Date,
    /// Date the authorization on file was signed.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub authorization_signed_on: Date,
    /// The verification agency the household's rechecks go to.
    pub agency_id: String,
    /// Recorded events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<RecheckEvent>,
}

/// The periodic recheck interval in months for a programme and household type.
///
/// R8 (N §二(一) "对于已享受救助的困难对象，要按照动态管理的原则进行定期复核"), with the
/// national intervals of 最低生活保障审核确认办法 Art 31 and the 2020 reform opinion §7:
/// 特困 → `destitute_months`; 低保 → `minimum_living_stable_months`,
/// `minimum_living_unstable_months` or `minimum_living_urban_c_months` by household type;
/// every other programme → `other_months`.
///
/// ```
/// use hedui_core::{Programme, Rulebook, population::{HouseholdType, recheck_interval_months}};
/// let rb = Rulebook::default();
/// let months = recheck_interval_months(
///     &rb.recheck, Programme::MinimumLivingAllowance, HouseholdType::UnstableAbleToWork,
/// );
/// assert_eq!(months, 6);
/// ```
pub fn recheck_interval_months(
    intervals: &RecheckIntervals,
    programme: Programme,
    household_type: HouseholdType,
) -> u32 {
    match programme {
        Programme::DestitutePersons => intervals.destitute_months,
        Programme::MinimumLivingAllowance => match household_type {
            HouseholdType::Stable => intervals.minimum_living_stable_months,
            HouseholdType::UnstableAbleToWork => intervals.minimum_living_unstable_months,
            HouseholdType::UrbanCategoryC => intervals.minimum_living_urban_c_months,
        },
        _ => intervals.other_months,
    }
}

/// What sets a household's due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RecheckTrigger {
    /// The periodic interval since the last check.
    Periodic,
    /// A member's death: due `after_death_months` after it.
    MemberDeath {
        /// Date of death.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
    },
    /// A membership change: due on its date.
    MembershipChange {
        /// Date of the change.
        #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
        on: Date,
    },
}

impl RecheckTrigger {
    /// Precedence when two triggers give the same date: the more urgent wins.
    fn rank(self) -> u8 {
        match self {
            RecheckTrigger::Periodic => 0,
            RecheckTrigger::MemberDeath { .. } => 1,
            RecheckTrigger::MembershipChange { .. } => 2,
        }
    }

    /// The date of the event behind the trigger (none for the periodic one).
    fn event_on(self) -> Option<Date> {
        match self {
            RecheckTrigger::Periodic => None,
            RecheckTrigger::MemberDeath { on } | RecheckTrigger::MembershipChange { on } => {
                Some(on)
            }
        }
    }

    /// Which of two triggers sets the due date (R8, 动态管理): the earlier date, on the same
    /// date the more urgent trigger, then the earlier event; lower keys win, so the order in
    /// which the events are recorded does not matter.
    fn key(self, due_on: Date) -> (Date, std::cmp::Reverse<u8>, Option<Date>) {
        (due_on, std::cmp::Reverse(self.rank()), self.event_on())
    }
}

/// Where a household stands on the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecheckStatus {
    /// Due after the as-of date.
    NotDue,
    /// Due on the as-of date.
    DueToday,
    /// Due before the as-of date.
    Overdue,
}

impl RecheckStatus {
    /// Due today or overdue.
    pub fn is_due(self) -> bool {
        !matches!(self, RecheckStatus::NotDue)
    }
}

/// The recheck of one household as of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScheduledRecheck {
    /// 0-based position of the household in the scheduled input.
    pub position: usize,
    /// The next due date: the earliest of the periodic date and any event's date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub due_on: Date,
    /// The periodic due date: last check plus the interval, clamped to the month end.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub periodic_due_on: Date,
    /// What set `due_on`.
    pub trigger: RecheckTrigger,
    /// Where the household stands on the as-of date.
    pub status: RecheckStatus,
    /// Calendar days past `due_on` on the as-of date; 0 unless overdue.
    pub days_overdue: u32,
    /// A membership change, or the rulebook's maximum age, has lapsed the authorization on
    /// file (R1): it must be re-signed before the recheck can be entrusted.
    pub authorization_lapsed: bool,
}

/// Due and overdue counts of one programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgrammeCounts {
    /// The programme.
    pub programme: Programme,
    /// Households scheduled.
    pub households: u64,
    /// Due today or overdue.
    pub due: u64,
    /// Overdue (included in `due`).
    pub overdue: u64,
    /// Whose authorization lapsed and must be re-signed.
    pub awaiting_authorization: u64,
}

/// The views of a recheck schedule a case officer works from (R8 动态管理、定期复核, N §二(一);
/// docs/rules.md#r8-periodic-recheck): which households are due, overdue or waiting for a
/// re-signed authorization, when the next one falls due, and the counts per programme.
///
/// Made by [`RecheckSchedule::summary`]; every host returns it with the schedule (operation
/// `recheck_schedule`), so the same caseload gives the same summary in Rust, C, uniffi and
/// Python.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecheckSummary {
    /// R8 (docs/rules.md#r8-periodic-recheck): the entries due on the as-of date or overdue
    /// (status `due_today` or `overdue`), in input order.
    pub due: Vec<ScheduledRecheck>,
    /// R8 (docs/rules.md#r8-periodic-recheck): the entries whose due date is before the as-of
    /// date (status `overdue`; also in `due`), in input order.
    pub overdue: Vec<ScheduledRecheck>,
    /// R8 with R1 先授权，后委托 (docs/rules.md#r8-periodic-recheck): the entries whose
    /// authorization lapsed (a membership change, or older than
    /// `authorization.max_age_months`) and must be re-signed before their recheck can be
    /// entrusted, due or not, in input order.
    pub awaiting_authorization: Vec<ScheduledRecheck>,
    /// R8 (docs/rules.md#r8-periodic-recheck): the earliest due date after the as-of date;
    /// `null` when no scheduled household is still to come due.
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub next_due_on: Option<Date>,
    /// R8 (docs/rules.md#r8-periodic-recheck): households scheduled, due, overdue and awaiting
    /// authorization per programme, every programme listed in the order of
    /// [`Programme::ALL`].
    pub counts_by_programme: Vec<ProgrammeCounts>,
}

/// The recheck schedule of a caseload as of a date: one entry per good household, in input
/// order, and the records left out.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub struct RecheckSchedule<'a> {
    #[serde(skip)]
    households: &'a [AssistedHousehold],
    /// The as-of date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub as_of: Date,
    /// One entry per household scheduled, in input order.
    pub entries: Vec<ScheduledRecheck>,
    /// Records left out, with their positions.
    pub issues: Vec<RecordIssue>,
}

/// Schedules the periodic rechecks of assisted households as of `as_of` (R8).
///
/// R8, N §二(一): "对于已享受救助的困难对象，要按照动态管理的原则进行定期复核". For each
/// household:
///
/// - the periodic due date is the last check plus [`recheck_interval_months`], in calendar
///   months clamped to the month end (31 Jan + 1 month = 28/29 Feb);
/// - a member's death pulls it to the death plus `after_death_months` (2022 兜底 notice:
///   recheck within 3 months), if that is earlier;
/// - a membership change makes it due on the change's date, and, if the change is on or after
///   the authorization's signing, marks the authorization lapsed (R1, as
///   [`Authorization::check`](crate::Authorization::check) does); so does an authorization
///   older than the rulebook's `authorization.max_age_months`, where one is set;
/// - events dated after `as_of` are not known yet and are ignored; events before the last
///   check were answered by it and do not pull the date (an event on the day of the last check
///   does, since the check may not have seen it).
///
/// So the due date is never before the last check nor after the periodic date.
///
/// Bad records (empty ids, a duplicate household id, a last check after `as_of`, a date out of
/// the supported range) are reported as [`RecordIssue`]s and left out.
pub fn schedule_rechecks<'a>(
    households: &'a [AssistedHousehold],
    as_of: Date,
    rulebook: &Rulebook,
) -> RecheckSchedule<'a> {
    let intervals = &rulebook.recheck;
    let mut entries = Vec::with_capacity(households.len());
    let mut issues = Vec::new();
    let sorted = sorted_ids(
        &IdHashState::default(),
        households
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.household_id.is_empty())
            .map(|(pos, h)| (pos, h.household_id.as_str())),
    );
    let mut repeats = repeated_ids(&sorted, |pos| {
        households.get(pos).map_or("", |h| h.household_id.as_str())
    })
    .into_iter()
    .peekable();
    drop(sorted);
    for (position, household) in households.iter().enumerate() {
        let result = match repeats.next_if(|&(pos, _)| pos == position) {
            Some((_, first_position)) => Err(PopulationError::DuplicateRecord {
                record: "household",
                id: household.household_id.clone(),
                first_position,
            }),
            None => schedule_one(
                position,
                household,
                as_of,
                intervals,
                rulebook.authorization.max_age_months,
            ),
        };
        match result {
            Ok(entry) => entries.push(entry),
            Err(error) => issues.push(RecordIssue::new(RecordKind::Household, position, error)),
        }
    }
    RecheckSchedule {
        households,
        as_of,
        entries,
        issues,
    }
}

fn schedule_one(
    position: usize,
    household: &AssistedHousehold,
    as_of: Date,
    intervals: &RecheckIntervals,
    max_authorization_age_months: Option<u32>,
) -> Result<ScheduledRecheck, PopulationError> {
    for (field, value) in [
        ("household_id", &household.household_id),
        ("agency_id", &household.agency_id),
    ] {
        if value.is_empty() {
            return Err(PopulationError::EmptyField {
                record: "household",
                field,
            });
        }
    }
    if household.last_checked > as_of {
        return Err(PopulationError::CheckedAfterAsOf {
            household: household.household_id.clone(),
            last_checked: household.last_checked,
            as_of,
        });
    }
    let add_months = |date: Date, months: u32| {
        i32::try_from(months)
            .ok()
            .and_then(|months| add_months_clamped(date, months))
            .ok_or_else(|| PopulationError::RecheckDateOutOfRange {
                household: household.household_id.clone(),
            })
    };
    let months = recheck_interval_months(intervals, household.programme, household.household_type);
    let periodic_due_on = add_months(household.last_checked, months)?;
    // the trigger that sets the due date so far, and that date
    let mut first = (periodic_due_on, RecheckTrigger::Periodic);
    // R1: past the deployment's maximum age the letter no longer holds either, as
    // `Authorization::check` finds (`authorization.max_age_months`)
    let mut authorization_lapsed = max_authorization_age_months.is_some_and(|max| {
        i32::try_from(max)
            .ok()
            .and_then(|m| add_months_clamped(household.authorization_signed_on, m))
            .is_none_or(|limit| as_of > limit)
    });
    for event in &household.events {
        if event.on > as_of {
            continue;
        }
        if event.kind == RecheckEventKind::MembershipChange
            && event.on >= household.authorization_signed_on
        {
            authorization_lapsed = true;
        }
        if event.on < household.last_checked {
            continue;
        }
        let (date, candidate) = match event.kind {
            RecheckEventKind::MemberDeath => (
                add_months(event.on, intervals.after_death_months)?,
                RecheckTrigger::MemberDeath { on: event.on },
            ),
            RecheckEventKind::MembershipChange => {
                (event.on, RecheckTrigger::MembershipChange { on: event.on })
            }
        };
        first = std::cmp::min_by_key(first, (date, candidate), |&(d, t)| t.key(d));
    }
    let (due_on, trigger) = first;
    let (status, days_overdue) = if due_on > as_of {
        (RecheckStatus::NotDue, 0)
    } else if due_on == as_of {
        (RecheckStatus::DueToday, 0)
    } else {
        let days = (as_of - due_on).whole_days();
        (
            RecheckStatus::Overdue,
            u32::try_from(days).unwrap_or(u32::MAX),
        )
    };
    Ok(ScheduledRecheck {
        position,
        due_on,
        periodic_due_on,
        trigger,
        status,
        days_overdue,
        authorization_lapsed,
    })
}

impl<'a> RecheckSchedule<'a> {
    /// The scheduled input.
    pub fn households(&self) -> &'a [AssistedHousehold] {
        self.households
    }

    /// The household an entry is about.
    pub fn household(&self, entry: &ScheduledRecheck) -> Option<&'a AssistedHousehold> {
        self.households.get(entry.position)
    }

    /// Entries due today or overdue.
    pub fn due(&self) -> impl Iterator<Item = &ScheduledRecheck> {
        self.entries.iter().filter(|e| e.status.is_due())
    }

    /// Entries overdue.
    pub fn overdue(&self) -> impl Iterator<Item = &ScheduledRecheck> {
        self.entries
            .iter()
            .filter(|e| e.status == RecheckStatus::Overdue)
    }

    /// Entries whose authorization lapsed and must be re-signed (R1 先授权，后委托) before
    /// their recheck can be entrusted.
    pub fn awaiting_authorization(&self) -> impl Iterator<Item = &ScheduledRecheck> {
        self.entries.iter().filter(|e| e.authorization_lapsed)
    }

    /// The earliest due date after the as-of date, if any household is not yet due.
    pub fn next_due_on(&self) -> Option<Date> {
        self.entries
            .iter()
            .filter(|e| e.status == RecheckStatus::NotDue)
            .map(|e| e.due_on)
            .min()
    }

    /// The summary every host returns with the schedule: [`due`](Self::due),
    /// [`overdue`](Self::overdue), [`awaiting_authorization`](Self::awaiting_authorization),
    /// [`next_due_on`](Self::next_due_on) and [`counts_by_programme`](Self::counts_by_programme)
    /// (R8, docs/rules.md#r8-periodic-recheck).
    pub fn summary(&self) -> RecheckSummary {
        RecheckSummary {
            due: self.due().copied().collect(),
            overdue: self.overdue().copied().collect(),
            awaiting_authorization: self.awaiting_authorization().copied().collect(),
            next_due_on: self.next_due_on(),
            counts_by_programme: self.counts_by_programme(),
        }
    }

    /// Counts per programme, in the order of [`Programme::ALL`], every programme listed.
    pub fn counts_by_programme(&self) -> Vec<ProgrammeCounts> {
        let mut counts: Vec<ProgrammeCounts> = Programme::ALL
            .iter()
            .map(|&programme| ProgrammeCounts {
                programme,
                households: 0,
                due: 0,
                overdue: 0,
                awaiting_authorization: 0,
            })
            .collect();
        for entry in &self.entries {
            let Some(household) = self.household(entry) else {
                continue;
            };
            let Some(count) = counts
                .iter_mut()
                .find(|c| c.programme == household.programme)
            else {
                continue;
            };
            count.households += 1;
            count.due += u64::from(entry.status.is_due());
            count.overdue += u64::from(entry.status == RecheckStatus::Overdue);
            count.awaiting_authorization += u64::from(entry.authorization_lapsed);
        }
        counts
    }

    /// Groups the households due by `as_of + lookahead_days` into entrustment batches 核对批次
    /// of at most `max_households`, per agency.
    ///
    /// Agencies come in id order; within an agency households are ordered by due date, then
    /// household id, and cut into batches numbered `{prefix}-{agency}-{YYYYMMDD}-{NNN}` from
    /// 001 (the date is the as-of date). The same input always gives the same batches.
    ///
    /// A household whose authorization lapsed is not batched: R1 先授权，后委托 (N §二(一)
    /// "委托单位没有收到核对对象授权的或者没有相关授权资料的，不能向核对机构提出委托核对") holds
    /// it back until the authorization is re-signed; it is listed in
    /// [`BatchPlan::awaiting_authorization`] instead, whether due or not.
    ///
    /// # Errors
    /// [`PopulationError::BatchSizeZero`] when `max_households` is 0.
    pub fn batches(&self, options: &RecheckBatchOptions) -> Result<BatchPlan, PopulationError> {
        if options.max_households == 0 {
            return Err(PopulationError::BatchSizeZero);
        }
        let through = self
            .as_of
            .checked_add(time::Duration::days(i64::from(options.lookahead_days)))
            .unwrap_or(Date::MAX);
        // Agencies ranked by id, so that the sort compares integers before any text; each
        // household is read once, in input order, into a compact sort element.
        let mut agency_ids: HashMap<&str, u32, IdHashState> =
            HashMap::with_hasher(IdHashState::default());
        let mut selected: Vec<Pending<'a>> = Vec::new();
        let mut held: Vec<Pending<'a>> = Vec::new();
        for entry in &self.entries {
            let Some(household) = self.household(entry) else {
                continue;
            };
            let next_id = u32::try_from(agency_ids.len()).unwrap_or(u32::MAX);
            let agency = *agency_ids
                .entry(household.agency_id.as_str())
                .or_insert(next_id);
            let pending = Pending {
                agency,
                due_on: entry.due_on,
                household_id: household.household_id.as_str(),
                position: entry.position,
                programme: household.programme,
                days_overdue: entry.days_overdue,
                trigger: entry.trigger,
            };
            if entry.authorization_lapsed {
                held.push(pending);
            } else if entry.due_on <= through {
                selected.push(pending);
            }
        }
        let mut by_name: Vec<(&str, u32)> = agency_ids.into_iter().collect();
        by_name.sort_unstable();
        let mut rank = vec![0u32; by_name.len()];
        for (r, &(_, id)) in (0u32..).zip(&by_name) {
            if let Some(slot) = usize::try_from(id).ok().and_then(|id| rank.get_mut(id)) {
                *slot = r;
            }
        }
        for pending in selected.iter_mut().chain(held.iter_mut()) {
            pending.agency = usize::try_from(pending.agency)
                .ok()
                .and_then(|id| rank.get(id))
                .copied()
                .unwrap_or(u32::MAX);
        }
        selected.sort_unstable_by(Pending::order);
        held.sort_unstable_by(Pending::order);
        let agency_name = |run: &[Pending<'_>]| {
            run.first()
                .and_then(|p| by_name.get(usize::try_from(p.agency).ok()?))
                .map(|&(name, _)| name)
        };

        let stamp = compact_date(self.as_of);
        let mut batches: Vec<RecheckBatch> = Vec::new();
        for agency_run in selected.chunk_by(|a, b| a.agency == b.agency) {
            let Some(agency_id) = agency_name(agency_run) else {
                continue;
            };
            for (sequence, chunk) in (1u32..).zip(agency_run.chunks(options.max_households)) {
                batches.push(RecheckBatch {
                    number: format!(
                        "{}-{}-{}-{:03}",
                        options.number_prefix, agency_id, stamp, sequence
                    ),
                    agency_id: agency_id.to_owned(),
                    sequence,
                    purpose: Purpose::PeriodicRecheck,
                    households: chunk.iter().map(Pending::item).collect(),
                });
            }
        }
        let awaiting_authorization = held
            .chunk_by(|a, b| a.agency == b.agency)
            .filter_map(|run| {
                Some(AwaitingAuthorization {
                    agency_id: agency_name(run)?.to_owned(),
                    households: run.iter().map(Pending::item).collect(),
                })
            })
            .collect();
        Ok(BatchPlan {
            as_of: self.as_of,
            through,
            batches,
            awaiting_authorization,
        })
    }
}

/// A household on its way into a batch: what the batch needs, and the sort key.
#[derive(Debug, Clone, Copy)]
struct Pending<'a> {
    /// Provisional agency id, then the agency's rank by id.
    agency: u32,
    due_on: Date,
    household_id: &'a str,
    position: usize,
    programme: Programme,
    days_overdue: u32,
    trigger: RecheckTrigger,
}

impl Pending<'_> {
    /// Agency, then due date, then household id (unique among scheduled households).
    fn order(a: &Self, b: &Self) -> std::cmp::Ordering {
        (a.agency, a.due_on, a.household_id, a.position).cmp(&(
            b.agency,
            b.due_on,
            b.household_id,
            b.position,
        ))
    }

    fn item(&self) -> BatchItem {
        BatchItem {
            household_id: self.household_id.to_owned(),
            programme: self.programme,
            due_on: self.due_on,
            days_overdue: self.days_overdue,
            trigger: self.trigger,
        }
    }
}

/// `YYYYMMDD`.
fn compact_date(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// One household in a recheck batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchItem {
    /// Household id.
    pub household_id: String,
    /// Programme received.
    pub programme: Programme,
    /// Due date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub due_on: Date,
    /// Calendar days overdue on the as-of date.
    pub days_overdue: u32,
    /// What set the due date.
    pub trigger: RecheckTrigger,
}

/// The households of one agency held back from batching until their authorization is
/// re-signed (R1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AwaitingAuthorization {
    /// The agency their rechecks go to.
    pub agency_id: String,
    /// Households, by due date then household id.
    pub households: Vec<BatchItem>,
}

/// A periodic recheck batch 核对批次 for one agency: the households one batch entrustment
/// letter will cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecheckBatch {
    /// Batch number `{prefix}-{agency}-{YYYYMMDD}-{NNN}`.
    pub number: String,
    /// The agency addressed.
    pub agency_id: String,
    /// 1-based sequence of the batch within its agency.
    pub sequence: u32,
    /// Always [`Purpose::PeriodicRecheck`].
    pub purpose: Purpose,
    /// Households, by due date then household id.
    pub households: Vec<BatchItem>,
}

/// The batches a schedule would send, and the households held back for re-authorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchPlan {
    /// The as-of date.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub as_of: Date,
    /// Households due on or before this date were batched.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub through: Date,
    /// The batches, by agency id then sequence.
    pub batches: Vec<RecheckBatch>,
    /// Households whose authorization lapsed (R1), per agency in id order.
    pub awaiting_authorization: Vec<AwaitingAuthorization>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn household(
        id: &str,
        programme: Programme,
        kind: HouseholdType,
        last: Date,
    ) -> AssistedHousehold {
        AssistedHousehold {
            household_id: id.into(),
            programme,
            household_type: kind,
            last_checked: last,
            authorization_signed_on: date!(2024 - 01 - 10),
            agency_id: "A-141002".into(),
            events: vec![],
        }
    }

    fn low(id: &str, kind: HouseholdType, last: Date) -> AssistedHousehold {
        household(id, Programme::MinimumLivingAllowance, kind, last)
    }

    fn one(h: AssistedHousehold, as_of: Date) -> ScheduledRecheck {
        let input = [h];
        let schedule = schedule_rechecks(&input, as_of, &Rulebook::default());
        assert!(schedule.issues.is_empty(), "{:?}", schedule.issues);
        schedule.entries[0]
    }

    /// R8: each programme reads its own interval from the rulebook (特困 its own, 低保 one per
    /// household type, the others theirs), told apart by giving every field its own value.
    #[test]
    fn each_programme_reads_its_own_interval() {
        let intervals = crate::rulebook::RecheckIntervals {
            destitute_months: 11,
            minimum_living_stable_months: 10,
            minimum_living_unstable_months: 5,
            minimum_living_urban_c_months: 2,
            other_months: 9,
            after_death_months: 1,
        };
        for kind in [
            HouseholdType::Stable,
            HouseholdType::UnstableAbleToWork,
            HouseholdType::UrbanCategoryC,
        ] {
            let months = |p| recheck_interval_months(&intervals, p, kind);
            assert_eq!(months(Programme::DestitutePersons), 11);
            assert_eq!(months(Programme::TemporaryAssistance), 9);
            assert_eq!(months(Programme::LowIncomeMargin), 9);
            assert_eq!(months(Programme::EssentialSpendingHardship), 9);
        }
        let low = |t| recheck_interval_months(&intervals, Programme::MinimumLivingAllowance, t);
        assert_eq!(low(HouseholdType::Stable), 10);
        assert_eq!(low(HouseholdType::UnstableAbleToWork), 5);
        assert_eq!(low(HouseholdType::UrbanCategoryC), 2);
    }

    #[test]
    fn intervals_follow_programme_and_type() {
        let rb = Rulebook::default();
        let months = |p, t| recheck_interval_months(&rb.recheck, p, t);
        assert_eq!(
            months(
                Programme::DestitutePersons,
                HouseholdType::UnstableAbleToWork
            ),
            12
        );
        assert_eq!(
            months(Programme::MinimumLivingAllowance, HouseholdType::Stable),
            12
        );
        assert_eq!(
            months(
                Programme::MinimumLivingAllowance,
                HouseholdType::UnstableAbleToWork
            ),
            6
        );
        assert_eq!(
            months(
                Programme::MinimumLivingAllowance,
                HouseholdType::UrbanCategoryC
            ),
            3
        );
        assert_eq!(
            months(Programme::LowIncomeMargin, HouseholdType::UrbanCategoryC),
            12
        );
    }

    #[test]
    fn due_dates_clamp_across_month_ends_and_29_february() {
        let as_of = date!(2026 - 01 - 01);
        let cases = [
            // 31 Aug + 6 months: February of a common year and of a leap year
            (
                HouseholdType::UnstableAbleToWork,
                date!(2025 - 08 - 31),
                date!(2026 - 02 - 28),
            ),
            (
                HouseholdType::UnstableAbleToWork,
                date!(2023 - 08 - 31),
                date!(2024 - 02 - 29),
            ),
            // 29 Feb + 12 months
            (
                HouseholdType::Stable,
                date!(2024 - 02 - 29),
                date!(2025 - 02 - 28),
            ),
            // 30 Nov + 3 months, 31 Dec + 3 months
            (
                HouseholdType::UrbanCategoryC,
                date!(2025 - 11 - 30),
                date!(2026 - 02 - 28),
            ),
            (
                HouseholdType::UrbanCategoryC,
                date!(2025 - 12 - 31),
                date!(2026 - 03 - 31),
            ),
            // 31 May + 3 months keeps the 31st
            (
                HouseholdType::UrbanCategoryC,
                date!(2025 - 05 - 31),
                date!(2025 - 08 - 31),
            ),
        ];
        for (kind, last, due) in cases {
            let e = one(low("H", kind, last), as_of);
            assert_eq!((e.due_on, e.periodic_due_on), (due, due), "{last} {kind:?}");
            assert_eq!(e.trigger, RecheckTrigger::Periodic);
        }
    }

    #[test]
    fn status_and_days_overdue() {
        let h = low(
            "H",
            HouseholdType::UnstableAbleToWork,
            date!(2025 - 08 - 31),
        );
        let e = one(h.clone(), date!(2026 - 02 - 27));
        assert_eq!((e.status, e.days_overdue), (RecheckStatus::NotDue, 0));
        let e = one(h.clone(), date!(2026 - 02 - 28));
        assert_eq!((e.status, e.days_overdue), (RecheckStatus::DueToday, 0));
        let e = one(h, date!(2026 - 03 - 03));
        assert_eq!((e.status, e.days_overdue), (RecheckStatus::Overdue, 3));
    }

    #[test]
    fn a_death_pulls_the_recheck_within_three_months() {
        let mut h = low("H", HouseholdType::Stable, date!(2025 - 06 - 15));
        h.events.push(RecheckEvent {
            kind: RecheckEventKind::MemberDeath,
            on: date!(2025 - 11 - 30),
        });
        let e = one(h.clone(), date!(2026 - 03 - 02));
        assert_eq!(e.periodic_due_on, date!(2026 - 06 - 15));
        assert_eq!(e.due_on, date!(2026 - 02 - 28));
        assert_eq!(
            e.trigger,
            RecheckTrigger::MemberDeath {
                on: date!(2025 - 11 - 30)
            }
        );
        assert_eq!((e.status, e.days_overdue), (RecheckStatus::Overdue, 2));
        assert!(
            !e.authorization_lapsed,
            "a death alone does not lapse the letter"
        );
        // not known yet on an earlier as-of date
        let e = one(h.clone(), date!(2025 - 11 - 29));
        assert_eq!(e.trigger, RecheckTrigger::Periodic);
        // a death answered by a later check does not pull the date
        h.last_checked = date!(2025 - 12 - 10);
        let e = one(h.clone(), date!(2026 - 03 - 02));
        assert_eq!(
            (e.due_on, e.trigger),
            (date!(2026 - 12 - 10), RecheckTrigger::Periodic)
        );
        // a death whose three months end after the periodic date leaves it alone
        h.last_checked = date!(2025 - 06 - 15);
        h.events[0].on = date!(2026 - 04 - 01);
        let e = one(h, date!(2026 - 04 - 02));
        assert_eq!(
            (e.due_on, e.trigger),
            (date!(2026 - 06 - 15), RecheckTrigger::Periodic)
        );
    }

    /// R1: a deployment's maximum authorization age (`authorization.max_age_months`) lapses a
    /// letter in the schedule as it does in `Authorization::check`.
    #[test]
    fn an_authorization_past_its_maximum_age_awaits_re_signing() {
        let mut h = low("H", HouseholdType::Stable, date!(2025 - 06 - 15));
        h.authorization_signed_on = date!(2024 - 01 - 31);
        let as_of = date!(2026 - 02 - 01);
        assert!(!one(h.clone(), as_of).authorization_lapsed); // no maximum by default
        let mut rb = Rulebook::default();
        rb.authorization.max_age_months = Some(24);
        let lapsed = |as_of| {
            let input = [h.clone()];
            let s = schedule_rechecks(&input, as_of, &rb);
            assert!(s.issues.is_empty(), "{:?}", s.issues);
            s.entries[0].authorization_lapsed
        };
        // 24 months after 2024-01-31 is 2026-01-31: valid through that day, lapsed after
        assert!(!lapsed(date!(2026 - 01 - 31)));
        assert!(lapsed(as_of));
        let input = [h.clone()];
        let s = schedule_rechecks(&input, as_of, &rb);
        assert_eq!(s.awaiting_authorization().count(), 1);
    }

    #[test]
    fn a_membership_change_lapses_the_authorization_and_is_due_at_once() {
        let mut h = low("H", HouseholdType::Stable, date!(2025 - 06 - 15));
        h.authorization_signed_on = date!(2025 - 06 - 01);
        h.events.push(RecheckEvent {
            kind: RecheckEventKind::MembershipChange,
            on: date!(2026 - 01 - 10),
        });
        let e = one(h.clone(), date!(2026 - 01 - 20));
        assert!(e.authorization_lapsed);
        assert_eq!(e.due_on, date!(2026 - 01 - 10));
        assert_eq!(
            e.trigger,
            RecheckTrigger::MembershipChange {
                on: date!(2026 - 01 - 10)
            }
        );
        assert_eq!((e.status, e.days_overdue), (RecheckStatus::Overdue, 10));
        // on the day of the change it is due today
        let e = one(h.clone(), date!(2026 - 01 - 10));
        assert_eq!(e.status, RecheckStatus::DueToday);
        // re-signed after the change: no longer lapsed, still due for its recheck
        h.authorization_signed_on = date!(2026 - 01 - 15);
        let e = one(h.clone(), date!(2026 - 01 - 20));
        assert!(!e.authorization_lapsed);
        assert_eq!(e.due_on, date!(2026 - 01 - 10));
        // a same-day change and death: the change wins the tie, whatever the order
        h.events.insert(
            0,
            RecheckEvent {
                kind: RecheckEventKind::MemberDeath,
                on: date!(2025 - 10 - 10),
            },
        );
        let change = RecheckTrigger::MembershipChange {
            on: date!(2026 - 01 - 10),
        };
        assert_eq!(one(h.clone(), date!(2026 - 01 - 20)).trigger, change);
        h.events.reverse();
        assert_eq!(one(h, date!(2026 - 01 - 20)).trigger, change);
    }

    /// R8: two deaths whose recheck months end on the same day (29 and 30 November, three
    /// months on: 28 February) name the earlier death, whatever the order they were recorded
    /// in; an event on the day of the last check counts, one the day before does not.
    #[test]
    fn ties_and_the_day_of_the_last_check() {
        let mut h = low("H", HouseholdType::Stable, date!(2025 - 06 - 15));
        for on in [date!(2025 - 11 - 30), date!(2025 - 11 - 29)] {
            h.events.push(RecheckEvent {
                kind: RecheckEventKind::MemberDeath,
                on,
            });
        }
        let earlier = RecheckTrigger::MemberDeath {
            on: date!(2025 - 11 - 29),
        };
        let e = one(h.clone(), date!(2026 - 03 - 02));
        assert_eq!((e.due_on, e.trigger), (date!(2026 - 02 - 28), earlier));
        h.events.reverse();
        assert_eq!(one(h, date!(2026 - 03 - 02)).trigger, earlier);

        let mut h = low("H", HouseholdType::Stable, date!(2025 - 06 - 15));
        h.authorization_signed_on = date!(2026 - 01 - 01);
        h.events.push(RecheckEvent {
            kind: RecheckEventKind::MembershipChange,
            on: date!(2025 - 06 - 15),
        });
        let e = one(h.clone(), date!(2025 - 07 - 01));
        assert_eq!(
            (e.due_on, e.trigger),
            (
                date!(2025 - 06 - 15),
                RecheckTrigger::MembershipChange {
                    on: date!(2025 - 06 - 15)
                }
            )
        );
        h.events[0].on = date!(2025 - 06 - 14);
        assert_eq!(
            one(h, date!(2025 - 07 - 01)).trigger,
            RecheckTrigger::Periodic
        );
    }

    #[test]
    fn bad_records_are_reported_and_the_rest_scheduled() {
        let as_of = date!(2026 - 03 - 01);
        let mut list = vec![
            low("H1", HouseholdType::Stable, date!(2025 - 03 - 01)),
            low("H1", HouseholdType::Stable, date!(2025 - 04 - 01)),
            low("H2", HouseholdType::Stable, date!(2026 - 03 - 02)),
            low("H3", HouseholdType::Stable, date!(2025 - 05 - 01)),
            low("", HouseholdType::Stable, date!(2025 - 05 - 01)),
            low("H5", HouseholdType::Stable, date!(2025 - 05 - 01)),
        ];
        list[3].agency_id.clear();
        let rb = Rulebook::default();
        let schedule = schedule_rechecks(&list, as_of, &rb);
        let seen: Vec<_> = schedule
            .issues
            .iter()
            .map(|i| (i.position, i.code()))
            .collect();
        assert_eq!(
            seen,
            [
                (1, "population_duplicate_record"),
                (2, "recheck_checked_after_as_of"),
                (3, "population_empty_field"),
                (4, "population_empty_field"),
            ]
        );
        let scheduled: Vec<_> = schedule.entries.iter().map(|e| e.position).collect();
        assert_eq!(scheduled, [0, 5]);
        assert_eq!(schedule.entries[0].status, RecheckStatus::DueToday);
        // far-future dates that leave the calendar are reported, not panicked on
        let edge = [low("H9", HouseholdType::Stable, Date::MAX)];
        let schedule = schedule_rechecks(&edge, Date::MAX, &rb);
        assert_eq!(schedule.issues[0].code(), "recheck_date_out_of_range");
    }

    fn caseload() -> Vec<AssistedHousehold> {
        let mut list = Vec::new();
        // agency B: five due households; agency A: two due, one not due, one lapsed
        for (i, day) in [5u8, 1, 3, 2, 4].iter().enumerate() {
            let mut h = low(
                &format!("B{i}"),
                HouseholdType::UnstableAbleToWork,
                Date::from_calendar_date(2025, time::Month::September, *day).unwrap(),
            );
            h.agency_id = "B".into();
            list.push(h);
        }
        for (id, last) in [
            ("A2", date!(2025 - 03 - 01)),
            ("A1", date!(2025 - 03 - 01)),
            ("A3", date!(2025 - 09 - 01)),
        ] {
            let mut h = household(id, Programme::DestitutePersons, HouseholdType::Stable, last);
            h.agency_id = "A".into();
            list.push(h);
        }
        let mut lapsed = low("A0", HouseholdType::Stable, date!(2025 - 09 - 01));
        lapsed.agency_id = "A".into();
        lapsed.events.push(RecheckEvent {
            kind: RecheckEventKind::MembershipChange,
            on: date!(2026 - 02 - 01),
        });
        list.push(lapsed);
        list
    }

    #[test]
    fn batches_group_by_agency_in_due_order() {
        let list = caseload();
        let rb = Rulebook::default();
        let schedule = schedule_rechecks(&list, date!(2026 - 03 - 10), &rb);
        let plan = schedule.batches(&RecheckBatchOptions::new(2)).unwrap();
        let shape: Vec<(String, Vec<String>)> = plan
            .batches
            .iter()
            .map(|b| {
                (
                    b.number.clone(),
                    b.households
                        .iter()
                        .map(|h| h.household_id.clone())
                        .collect(),
                )
            })
            .collect();
        let expect = |n: &str, ids: &[&str]| {
            (
                n.to_owned(),
                ids.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            shape,
            vec![
                expect("FH-A-20260310-001", &["A1", "A2"]),
                expect("FH-B-20260310-001", &["B1", "B3"]),
                expect("FH-B-20260310-002", &["B2", "B4"]),
                expect("FH-B-20260310-003", &["B0"]),
            ]
        );
        assert!(
            plan.batches
                .iter()
                .all(|b| b.purpose == Purpose::PeriodicRecheck)
        );
        assert_eq!(plan.batches[2].sequence, 2);
        assert_eq!(plan.batches[1].households[0].days_overdue, 9);
        assert_eq!(plan.awaiting_authorization.len(), 1);
        assert_eq!(plan.awaiting_authorization[0].agency_id, "A");
        let held: Vec<_> = plan.awaiting_authorization[0]
            .households
            .iter()
            .map(|h| h.household_id.as_str())
            .collect();
        assert_eq!(held, ["A0"]);
        assert_eq!(schedule.households(), &list[..]);

        // two households of one agency held back are one entry of that agency
        let mut both = list.clone();
        let mut second = both
            .iter()
            .find(|h| h.household_id == "A0")
            .unwrap()
            .clone();
        second.household_id = "A9".into();
        both.push(second);
        let held = schedule_rechecks(&both, date!(2026 - 03 - 10), &rb)
            .batches(&RecheckBatchOptions::new(2))
            .unwrap()
            .awaiting_authorization;
        assert_eq!(held.len(), 1, "{held:?}");
        assert_eq!(held[0].households.len(), 2);

        // the same caseload in another order gives the same plan
        let mut reversed = list.clone();
        reversed.reverse();
        let again = schedule_rechecks(&reversed, date!(2026 - 03 - 10), &rb)
            .batches(&RecheckBatchOptions::new(2))
            .unwrap();
        assert_eq!(again, plan);

        // lookahead brings in A3, due 1 Sep 2026
        let plan = schedule
            .batches(
                &RecheckBatchOptions::new(10)
                    .with_lookahead_days(180)
                    .with_number_prefix("DQ"),
            )
            .unwrap();
        assert_eq!(plan.batches[0].number, "DQ-A-20260310-001");
        assert_eq!(plan.batches[0].households.len(), 3);
        assert_eq!(plan.through, date!(2026 - 09 - 06));

        assert_eq!(
            schedule
                .batches(&RecheckBatchOptions::new(0))
                .unwrap_err()
                .code(),
            "recheck_batch_size_zero"
        );
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(serde_json::from_str::<BatchPlan>(&json).unwrap(), plan);
    }

    #[test]
    fn counts_by_programme_and_next_due() {
        let list = caseload();
        let schedule = schedule_rechecks(&list, date!(2026 - 03 - 10), &Rulebook::default());
        let counts = schedule.counts_by_programme();
        assert_eq!(counts.len(), Programme::ALL.len());
        let low = counts
            .iter()
            .find(|c| c.programme == Programme::MinimumLivingAllowance)
            .unwrap();
        assert_eq!(
            (
                low.households,
                low.due,
                low.overdue,
                low.awaiting_authorization
            ),
            (6, 6, 6, 1)
        );
        let destitute = counts
            .iter()
            .find(|c| c.programme == Programme::DestitutePersons)
            .unwrap();
        assert_eq!(
            (destitute.households, destitute.due, destitute.overdue),
            (3, 2, 2)
        );
        assert_eq!(schedule.next_due_on(), Some(date!(2026 - 09 - 01)));
        assert_eq!(schedule.due().count(), 8);
        assert_eq!(schedule.overdue().count(), 8);
        assert_eq!(schedule.awaiting_authorization().count(), 1);
        let summary = schedule.summary();
        assert_eq!(summary.due, schedule.due().copied().collect::<Vec<_>>());
        assert_eq!(summary.overdue.len(), 8);
        assert_eq!(summary.awaiting_authorization.len(), 1);
        assert_eq!(summary.next_due_on, Some(date!(2026 - 09 - 01)));
        assert_eq!(summary.counts_by_programme, counts);
        let v = serde_json::to_value(&summary).unwrap();
        assert_eq!(v["next_due_on"], "2026-09-01");
        assert_eq!(
            serde_json::from_value::<RecheckSummary>(v).unwrap(),
            summary
        );
        let v = serde_json::to_value(&schedule).unwrap();
        assert_eq!(v["as_of"], "2026-03-10");
        assert_eq!(v["entries"][0]["trigger"]["kind"], "periodic");
    }

    fn arb_date() -> impl Strategy<Value = Date> {
        (0i64..3650).prop_map(|d| date!(2020 - 01 - 01) + time::Duration::days(d))
    }

    proptest! {
        #[test]
        fn due_date_lies_between_last_check_and_interval(
            programme in prop::sample::select(Programme::ALL.to_vec()),
            kind in prop::sample::select(vec![
                HouseholdType::Stable, HouseholdType::UnstableAbleToWork, HouseholdType::UrbanCategoryC,
            ]),
            last in arb_date(),
            signed in arb_date(),
            ahead in 0i64..800,
            events in prop::collection::vec((prop::bool::ANY, arb_date()), 0..4),
        ) {
            let rb = Rulebook::default();
            let mut h = household("H", programme, kind, last);
            h.authorization_signed_on = signed;
            h.events = events.iter().map(|&(death, on)| RecheckEvent {
                kind: if death { RecheckEventKind::MemberDeath } else { RecheckEventKind::MembershipChange },
                on,
            }).collect();
            let as_of = last + time::Duration::days(ahead);
            let e = one(h.clone(), as_of);
            let months = recheck_interval_months(&rb.recheck, programme, kind);
            let limit = add_months_clamped(last, months as i32).unwrap();
            prop_assert!(e.due_on >= last, "due {} before last check {}", e.due_on, last);
            prop_assert!(e.due_on <= limit, "due {} after the interval allows ({})", e.due_on, limit);
            prop_assert_eq!(e.periodic_due_on, limit);
            for ev in h.events.iter().filter(|ev| ev.on >= last && ev.on <= as_of) {
                let bound = match ev.kind {
                    RecheckEventKind::MemberDeath => add_months_clamped(ev.on, 3).unwrap(),
                    RecheckEventKind::MembershipChange => ev.on,
                };
                prop_assert!(e.due_on <= bound);
            }
            prop_assert_eq!(e.status.is_due(), e.due_on <= as_of);
            prop_assert_eq!(i64::from(e.days_overdue), (as_of - e.due_on).whole_days().max(0));
        }
    }
}
