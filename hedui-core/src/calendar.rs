//! Working-day calendar and calendar-month arithmetic.
//!
//! Deadlines in verification work are counted in working days: the information check starts
//! within 3 working days of a request (低保审核确认办法 Art 17), data sources answer within
//! 5 working days per agreement, and relief-first cases complete their paperwork within
//! 5 working days (docs/rules.md#defaults). This module encodes the rule stated there: **working days
//! skip weekends and public holidays and count adjusted working days (调休)**.
//!
//! Holiday data is rulebook data. [`WorkCalendar::builtin`] ships only the years whose official
//! State Council General Office notice (国务院办公厅关于部分节假日安排的通知) can be cited:
//!
//! | year | notice | issued |
//! |---|---|---|
//! | 2024 | 国办发明电〔2023〕7号 | 2023-10-25 |
//! | 2025 | 国办发明电〔2024〕12号 | 2024-11-12 |
//! | 2026 | 国办发明电〔2025〕7号 | 2025-11-04 |
//!
//! For any other year only weekends are skipped, and every result that crossed such a year
//! says so ([`WorkingDayResult::estimated`]).
//!
//! Periodic rechecks (R8, docs/rules.md#r8-periodic-recheck) count calendar months clamped to the month end:
//! [`add_months_clamped`].

use crate::error::catalog::error_catalog;
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use time::macros::{date, offset};
use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

/// Beijing wall clock (UTC+08:00), the clock deadlines are counted in.
/// Beijing time, UTC+08:00: the wall clock of every date and time the rules speak of.
pub const BEIJING: UtcOffset = offset!(+8);

/// One State Council notice as shipped in [`WorkCalendar::builtin`].
struct Notice {
    /// The year the notice arranges.
    year: i32,
    /// Citation: title, document number and issue date.
    source: &'static str,
    /// Days off (放假) as inclusive ranges, exactly as the notice states them.
    days_off: &'static [(Date, Date)],
    /// Weekend days that are working days (调休上班).
    adjusted_working_days: &'static [Date],
}

/// The shipped holiday data, one entry per State Council notice.
///
/// Every range and adjusted working day below is taken from the notice text; the tests check
/// each range length against the day count the notice states (共N天).
const NOTICES: &[Notice] = &[
    Notice {
        year: 2024,
        source: "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号，2023年10月25日）",
        days_off: &[
            // New Year's Day: 1 Jan, joined to the weekend
            (date!(2024 - 01 - 01), date!(2024 - 01 - 01)),
            // Spring Festival: 10 to 17 Feb, 8 days
            (date!(2024 - 02 - 10), date!(2024 - 02 - 17)),
            // Qingming: 4 to 6 Apr, 3 days
            (date!(2024 - 04 - 04), date!(2024 - 04 - 06)),
            // Labour Day: 1 to 5 May, 5 days
            (date!(2024 - 05 - 01), date!(2024 - 05 - 05)),
            // Dragon Boat Festival: 10 Jun, joined to the weekend
            (date!(2024 - 06 - 10), date!(2024 - 06 - 10)),
            // Mid-Autumn Festival: 15 to 17 Sep, 3 days
            (date!(2024 - 09 - 15), date!(2024 - 09 - 17)),
            // National Day: 1 to 7 Oct, 7 days
            (date!(2024 - 10 - 01), date!(2024 - 10 - 07)),
        ],
        adjusted_working_days: &[
            date!(2024 - 02 - 04), // Sunday, Spring Festival
            date!(2024 - 02 - 18), // Sunday, Spring Festival
            date!(2024 - 04 - 07), // Sunday, Qingming
            date!(2024 - 04 - 28), // Sunday, Labour Day
            date!(2024 - 05 - 11), // Saturday, Labour Day
            date!(2024 - 09 - 14), // Saturday, Mid-Autumn Festival
            date!(2024 - 09 - 29), // Sunday, National Day
            date!(2024 - 10 - 12), // Saturday, National Day
        ],
    },
    Notice {
        year: 2025,
        source: "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
        days_off: &[
            // New Year's Day: 1 Jan, 1 day
            (date!(2025 - 01 - 01), date!(2025 - 01 - 01)),
            // Spring Festival: 28 Jan to 4 Feb, 8 days
            (date!(2025 - 01 - 28), date!(2025 - 02 - 04)),
            // Qingming: 4 to 6 Apr, 3 days
            (date!(2025 - 04 - 04), date!(2025 - 04 - 06)),
            // Labour Day: 1 to 5 May, 5 days
            (date!(2025 - 05 - 01), date!(2025 - 05 - 05)),
            // Dragon Boat Festival: 31 May to 2 Jun, 3 days
            (date!(2025 - 05 - 31), date!(2025 - 06 - 02)),
            // National Day and Mid-Autumn Festival: 1 to 8 Oct, 8 days
            (date!(2025 - 10 - 01), date!(2025 - 10 - 08)),
        ],
        adjusted_working_days: &[
            date!(2025 - 01 - 26), // Sunday, Spring Festival
            date!(2025 - 02 - 08), // Saturday, Spring Festival
            date!(2025 - 04 - 27), // Sunday, Labour Day
            date!(2025 - 09 - 28), // Sunday, National Day
            date!(2025 - 10 - 11), // Saturday, National Day
        ],
    },
    Notice {
        year: 2026,
        source: "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号，2025年11月4日）",
        days_off: &[
            // New Year's Day: 1 to 3 Jan, 3 days
            (date!(2026 - 01 - 01), date!(2026 - 01 - 03)),
            // Spring Festival: 15 to 23 Feb, 9 days
            (date!(2026 - 02 - 15), date!(2026 - 02 - 23)),
            // Qingming: 4 to 6 Apr, 3 days
            (date!(2026 - 04 - 04), date!(2026 - 04 - 06)),
            // Labour Day: 1 to 5 May, 5 days
            (date!(2026 - 05 - 01), date!(2026 - 05 - 05)),
            // Dragon Boat Festival: 19 to 21 Jun, 3 days
            (date!(2026 - 06 - 19), date!(2026 - 06 - 21)),
            // Mid-Autumn Festival: 25 to 27 Sep, 3 days
            (date!(2026 - 09 - 25), date!(2026 - 09 - 27)),
            // National Day: 1 to 7 Oct, 7 days
            (date!(2026 - 10 - 01), date!(2026 - 10 - 07)),
        ],
        adjusted_working_days: &[
            date!(2026 - 01 - 04), // Sunday, New Year's Day
            date!(2026 - 02 - 14), // Saturday, Spring Festival
            date!(2026 - 02 - 28), // Saturday, Spring Festival
            date!(2026 - 05 - 09), // Saturday, Labour Day
            date!(2026 - 09 - 20), // Sunday, National Day
            date!(2026 - 10 - 10), // Saturday, National Day
        ],
    },
];

/// A year whose holiday arrangement a [`WorkCalendar`] holds, with the notice it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CoveredYear {
    /// The calendar year, e.g. `2025`.
    pub year: i32,
    /// Citation of the official arrangement for the year: the State Council General Office
    /// notice title, document number and issue date, e.g.
    /// `国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）`.
    pub source: String,
}

impl CoveredYear {
    /// A covered year with its source citation.
    pub fn new(year: i32, source: impl Into<String>) -> Self {
        Self {
            year,
            source: source.into(),
        }
    }
}

/// Public holidays and adjusted working days for the years a rulebook covers.
///
/// Encodes docs/rules.md#defaults: working days skip weekends and public holidays (法定节假日) and count
/// adjusted working days (调休上班, weekend days that are working days). The holiday lists only
/// hold dates in [`covered_years`](Self::covered_years); for other years only weekends are
/// skipped and results say they are estimated.
///
/// The lists are kept sorted and free of duplicates, so every lookup is a binary search. A
/// calendar is only built through [`WorkCalendar::new`], [`WorkCalendar::builtin`] or
/// deserialization, which runs the same checks as `new`.
///
/// # Example
///
/// ```
/// use hedui_core::calendar::WorkCalendar;
/// use time::macros::date;
///
/// let calendar = WorkCalendar::builtin();
/// // Friday 26 Sep 2025: Sunday 28 Sep is an adjusted working day, then the National Day
/// // golden week runs 1 to 8 Oct.
/// let deadline = calendar.add_working_days(date!(2025 - 09 - 26), 4);
/// assert_eq!(deadline.date, date!(2025 - 10 - 09));
/// assert!(!deadline.estimated);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkCalendar {
    /// The years whose arrangement is known, each with the notice it comes from, by year.
    covered_years: Vec<CoveredYear>,
    /// Days off (法定节假日 and the days swapped for them), as ISO 8601 dates, ascending.
    #[serde(with = "iso_dates")]
    #[cfg_attr(feature = "schemas", schemars(schema_with = "iso_dates::schema"))]
    holidays: Vec<Date>,
    /// Weekend days that are working days (调休上班), as ISO 8601 dates, ascending.
    #[serde(with = "iso_dates")]
    #[cfg_attr(feature = "schemas", schemars(schema_with = "iso_dates::schema"))]
    adjusted_working_days: Vec<Date>,
}

/// The wire form of a [`WorkCalendar`] before its checks have run.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WorkCalendarDocument {
    covered_years: Vec<CoveredYear>,
    #[serde(with = "iso_dates")]
    holidays: Vec<Date>,
    #[serde(with = "iso_dates")]
    adjusted_working_days: Vec<Date>,
}

impl<'de> Deserialize<'de> for WorkCalendar {
    /// Deserializes the document and runs the checks of [`WorkCalendar::new`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let document = WorkCalendarDocument::deserialize(deserializer)?;
        Self::new(
            document.covered_years,
            document.holidays,
            document.adjusted_working_days,
        )
        .map_err(serde::de::Error::custom)
    }
}

/// The outcome of a working-day computation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkingDayResult {
    /// The resulting date.
    pub date: Date,
    /// `true` when the computation crossed a year the calendar does not cover (only weekends
    /// were skipped there, so public holidays may have been counted as working days), or when
    /// the result was clamped to the last supported date.
    pub estimated: bool,
    /// The years crossed that the calendar does not cover, ascending.
    pub uncovered_years: Vec<i32>,
}

error_catalog! {
    /// An invalid [`WorkCalendar`].
    pub enum CalendarError in Input {
        /// A date is listed both as a holiday and as an adjusted working day.
        ConflictingDay {
            /// The date listed twice.
            date: Date,
        }
            => "calendar_conflicting_day", 2200, None,
            "calendar day listed as both holiday and working day",
            ("date `{date}` is listed both as a public holiday and as an adjusted working day");
        /// An adjusted working day falls on Monday to Friday; only weekend days can be adjusted.
        AdjustedDayNotWeekend {
            /// The adjusted working day.
            date: Date,
            /// The day of the week it falls on.
            weekday: Weekday,
        }
            => "calendar_adjusted_day_not_weekend", 2201, None,
            "adjusted working day that is not a weekend day",
            ("adjusted working day `{date}` falls on a {}, but only a saturday or sunday can be an adjusted working day", weekday_name(*weekday));
        /// A holiday or adjusted working day lies in a year that is not among the covered years.
        DayOutsideCoveredYears {
            /// The listed date.
            date: Date,
            /// Its year.
            year: i32,
        }
            => "calendar_day_outside_covered_years", 2202, None,
            "calendar day outside the covered years",
            ("date `{date}` is listed but its year `{year}` is not among the covered years");
        /// A year appears more than once among the covered years.
        DuplicateYear {
            /// The repeated year.
            year: i32,
        }
            => "calendar_duplicate_year", 2203, None,
            "calendar year covered twice",
            ("covered year `{year}` is listed more than once");
        /// A covered year has an empty source citation.
        MissingSource {
            /// The year without a source.
            year: i32,
        }
            => "calendar_missing_source", 2204, None,
            "calendar year without a source",
            ("covered year `{year}` has no source citation");
    }
}

impl WorkCalendar {
    /// Builds a calendar from its covered years, holidays and adjusted working days.
    ///
    /// The lists may come in any order and may repeat a date; they are sorted and deduplicated.
    ///
    /// # Errors
    ///
    /// - [`CalendarError::DuplicateYear`] when a year is covered twice;
    /// - [`CalendarError::MissingSource`] when a covered year's source is blank;
    /// - [`CalendarError::AdjustedDayNotWeekend`] when an adjusted working day is Monday to
    ///   Friday;
    /// - [`CalendarError::DayOutsideCoveredYears`] when a listed date's year is not covered;
    /// - [`CalendarError::ConflictingDay`] when a date is both a holiday and an adjusted
    ///   working day.
    ///
    /// The checks run in the order listed; within one kind the earliest year or date is
    /// reported.
    pub fn new(
        covered_years: Vec<CoveredYear>,
        holidays: Vec<Date>,
        adjusted_working_days: Vec<Date>,
    ) -> Result<Self, CalendarError> {
        let calendar = Self::normalized(covered_years, holidays, adjusted_working_days);
        calendar.validate()?;
        Ok(calendar)
    }

    /// The shipped calendar: the years 2024, 2025 and 2026, each from its State Council
    /// General Office notice on the arrangement of public holidays (部分节假日安排):
    ///
    /// - 2024: 国务院办公厅关于2024年部分节假日安排的通知, 国办发明电〔2023〕7号 (2023-10-25);
    /// - 2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号 (2024-11-12);
    /// - 2026: 国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号 (2025-11-04).
    ///
    /// Building it expands the notice table; build it once and reuse it.
    pub fn builtin() -> Self {
        let mut covered_years = Vec::with_capacity(NOTICES.len());
        let mut holidays = Vec::new();
        let mut adjusted_working_days = Vec::new();
        for notice in NOTICES {
            covered_years.push(CoveredYear::new(notice.year, notice.source));
            for &(first, last) in notice.days_off {
                let mut day = Some(first);
                while let Some(current) = day.filter(|d| *d <= last) {
                    holidays.push(current);
                    day = current.next_day();
                }
            }
            adjusted_working_days.extend_from_slice(notice.adjusted_working_days);
        }
        // The table is checked by the tests to pass `validate`.
        Self::normalized(covered_years, holidays, adjusted_working_days)
    }

    /// The covered years with their sources, ascending by year.
    pub fn covered_years(&self) -> &[CoveredYear] {
        &self.covered_years
    }

    /// The listed holidays (days off), ascending.
    pub fn holidays(&self) -> &[Date] {
        &self.holidays
    }

    /// The listed adjusted working days, ascending.
    pub fn adjusted_working_days(&self) -> &[Date] {
        &self.adjusted_working_days
    }

    /// Whether the calendar holds the holiday arrangement for `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.covered_years
            .binary_search_by_key(&year, |covered| covered.year)
            .is_ok()
    }

    /// The source citation for `year`, if the year is covered.
    pub fn source(&self, year: i32) -> Option<&str> {
        self.covered_years
            .binary_search_by_key(&year, |covered| covered.year)
            .ok()
            .and_then(|index| self.covered_years.get(index))
            .map(|covered| covered.source.as_str())
    }

    /// Whether `date` is a working day: Monday to Friday unless a holiday, or a weekend day
    /// listed as an adjusted working day.
    ///
    /// For a year the calendar does not cover this is simply Monday to Friday.
    pub fn is_working_day(&self, date: Date) -> bool {
        if is_weekend(date.weekday()) {
            self.adjusted_working_days.binary_search(&date).is_ok()
        } else {
            self.holidays.binary_search(&date).is_err()
        }
    }

    /// The date `n` working days after `start`: the start day itself is not counted, and
    /// `n = 0` returns `start`.
    ///
    /// Every day after `start` up to the result is examined. If any of them lies in a year the
    /// calendar does not cover, only weekends were skipped for that year, and the result is
    /// marked [`estimated`](WorkingDayResult::estimated) with the years listed.
    ///
    /// If the result would lie after the last date `time` supports, that last date is returned,
    /// marked estimated.
    pub fn add_working_days(&self, start: Date, n: u32) -> WorkingDayResult {
        let mut uncovered_years: Vec<i32> = Vec::new();
        let mut date = start;
        let mut remaining = n;
        while remaining > 0 {
            let Some(next) = date.next_day() else {
                return saturated(uncovered_years);
            };
            let year = next.year();
            if self.covers(year) {
                date = next;
                if self.is_working_day(next) {
                    remaining -= 1;
                }
                continue;
            }
            // A year without holiday data: count its weekdays arithmetically instead of
            // stepping through it day by day.
            if uncovered_years.last() != Some(&year) {
                uncovered_years.push(year);
            }
            let Ok(year_end) = Date::from_calendar_date(year, Month::December, 31) else {
                return saturated(uncovered_years);
            };
            let available = weekdays_between(date, year_end);
            if available >= i64::from(remaining) {
                let Some(result) = add_weekdays(date, remaining) else {
                    return saturated(uncovered_years);
                };
                date = result;
                remaining = 0;
            } else {
                // `available` is below `remaining`, a `u32`, so it fits.
                remaining = remaining.saturating_sub(u32::try_from(available).unwrap_or(0));
                date = year_end;
            }
        }
        WorkingDayResult {
            date,
            estimated: !uncovered_years.is_empty(),
            uncovered_years,
        }
    }

    /// The date `n` working days after the Beijing (UTC+08:00) date of `instant`; see
    /// [`add_working_days`](Self::add_working_days).
    ///
    /// An instant at 23:30 UTC on 30 Sep is already 1 Oct in Beijing, so the count starts
    /// from 1 Oct.
    pub fn deadline_after(&self, instant: OffsetDateTime, n: u32) -> WorkingDayResult {
        match instant.checked_to_offset(BEIJING) {
            Some(beijing) => self.add_working_days(beijing.date(), n),
            // The Beijing date lies after the last supported date.
            None => saturated(Vec::new()),
        }
    }

    /// The number of working days `d` with `from < d <= to`, or minus the number of working
    /// days `d` with `to < d <= from` when `to` is before `from`.
    ///
    /// `working_days_between(due, today)` is how many working days a task due on `due` is
    /// overdue by today (positive) or how many are left (negative). For years the calendar
    /// does not cover only weekends are skipped; see [`covers`](Self::covers).
    ///
    /// Runs in logarithmic time in the calendar size plus the number of holidays in the range.
    pub fn working_days_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            -self.working_days_forward(to, from)
        } else {
            self.working_days_forward(from, to)
        }
    }

    /// Working days `d` with `from < d <= to`, for `from <= to`.
    fn working_days_forward(&self, from: Date, to: Date) -> i64 {
        let weekday_holidays = dates_in(&self.holidays, from, to)
            .iter()
            .filter(|holiday| !is_weekend(holiday.weekday()))
            .count();
        // Adjusted working days are all weekend days (checked on construction).
        let adjusted = dates_in(&self.adjusted_working_days, from, to).len();
        weekdays_between(from, to) - count_as_i64(weekday_holidays) + count_as_i64(adjusted)
    }

    /// Sorts and deduplicates the parts without checking them.
    fn normalized(
        mut covered_years: Vec<CoveredYear>,
        mut holidays: Vec<Date>,
        mut adjusted_working_days: Vec<Date>,
    ) -> Self {
        covered_years.sort_by_key(|covered| covered.year);
        holidays.sort_unstable();
        holidays.dedup();
        adjusted_working_days.sort_unstable();
        adjusted_working_days.dedup();
        Self {
            covered_years,
            holidays,
            adjusted_working_days,
        }
    }

    /// Checks a normalized calendar; see [`WorkCalendar::new`].
    fn validate(&self) -> Result<(), CalendarError> {
        for pair in self.covered_years.windows(2) {
            if let [first, second] = pair
                && first.year == second.year
            {
                return Err(CalendarError::DuplicateYear { year: first.year });
            }
        }
        if let Some(covered) = self
            .covered_years
            .iter()
            .find(|covered| covered.source.trim().is_empty())
        {
            return Err(CalendarError::MissingSource { year: covered.year });
        }
        if let Some(&date) = self
            .adjusted_working_days
            .iter()
            .find(|date| !is_weekend(date.weekday()))
        {
            return Err(CalendarError::AdjustedDayNotWeekend {
                date,
                weekday: date.weekday(),
            });
        }
        let outside = |dates: &[Date]| dates.iter().copied().find(|d| !self.covers(d.year()));
        let first_outside = match (
            outside(&self.holidays),
            outside(&self.adjusted_working_days),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(date) = first_outside {
            return Err(CalendarError::DayOutsideCoveredYears {
                date,
                year: date.year(),
            });
        }
        if let Some(&date) = self
            .adjusted_working_days
            .iter()
            .find(|date| self.holidays.binary_search(date).is_ok())
        {
            return Err(CalendarError::ConflictingDay { date });
        }
        Ok(())
    }
}

/// Adds `months` calendar months to `date`, clamping the day to the end of the target month.
///
/// 31 Jan 2025 + 1 month is 28 Feb 2025, 31 Jan 2024 + 1 month is 29 Feb 2024, and
/// 29 Feb 2024 + 12 months is 28 Feb 2025. Negative `months` go back. This is the month
/// arithmetic of periodic rechecks (R8, docs/rules.md#r8-periodic-recheck).
///
/// Returns `None` only when the result lies outside the dates `time` supports.
pub fn add_months_clamped(date: Date, months: i32) -> Option<Date> {
    let month_index = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1;
    let target = month_index.checked_add(i64::from(months))?;
    let year = i32::try_from(target.div_euclid(12)).ok()?;
    let month_number = u8::try_from(target.rem_euclid(12) + 1).ok()?;
    let month = Month::try_from(month_number).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// The lowercase English name of `weekday`, for messages.
fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

/// Whether `weekday` is Saturday or Sunday.
fn is_weekend(weekday: Weekday) -> bool {
    matches!(weekday, Weekday::Saturday | Weekday::Sunday)
}

/// The result for a computation that ran past the last supported date.
fn saturated(uncovered_years: Vec<i32>) -> WorkingDayResult {
    WorkingDayResult {
        date: Date::MAX,
        estimated: true,
        uncovered_years,
    }
}

/// The sorted `dates` that lie in `from < d <= to`.
fn dates_in(dates: &[Date], from: Date, to: Date) -> &[Date] {
    let start = dates.partition_point(|d| *d <= from);
    let end = dates.partition_point(|d| *d <= to);
    dates.get(start..end).unwrap_or_default()
}

/// A slice length as `i64` (a slice never holds more than `i64::MAX` dates).
fn count_as_i64(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// The number of Monday-to-Friday days up to and including `date`, counted from a fixed
/// origin; differences give weekday counts over a range.
fn weekday_ordinal(date: Date) -> i64 {
    let from_monday = i64::from(date.weekday().number_days_from_monday());
    let monday = i64::from(date.to_julian_day()) - from_monday;
    5 * monday.div_euclid(7) + (from_monday + 1).min(5)
}

/// Monday-to-Friday days `d` with `from < d <= to`, for `from <= to`.
fn weekdays_between(from: Date, to: Date) -> i64 {
    weekday_ordinal(to) - weekday_ordinal(from)
}

/// The date that is `n` Monday-to-Friday days after `from` (`from` itself not counted), or
/// `None` past the supported range. `n = 0` returns `from`.
fn add_weekdays(from: Date, n: u32) -> Option<Date> {
    if n == 0 {
        return Some(from);
    }
    // Count from the Monday of `from`'s week; a weekend start counts as its Friday.
    let from_monday = i64::from(from.weekday().number_days_from_monday());
    let total = from_monday.min(4) + i64::from(n);
    let offset = total / 5 * 7 + total % 5 - from_monday;
    from.checked_add(Duration::days(offset))
}

/// Serde and JSON Schema for a list of dates as ISO 8601 calendar dates (`2025-10-01`).
mod iso_dates {
    use serde::de::Error as _;
    use serde::ser::{Error as _, SerializeSeq};
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    const FORMAT: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

    pub(super) fn serialize<S: Serializer>(
        dates: &[Date],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(dates.len()))?;
        for date in dates {
            let text = date.format(FORMAT).map_err(S::Error::custom)?;
            seq.serialize_element(&text)?;
        }
        seq.end()
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Date>, D::Error> {
        let texts = Vec::<String>::deserialize(deserializer)?;
        texts
            .iter()
            .map(|text| {
                Date::parse(text, FORMAT).map_err(|err| {
                    D::Error::custom(format_args!(
                        "invalid date `{text}`, expected `YYYY-MM-DD`: {err}"
                    ))
                })
            })
            .collect()
    }

    #[cfg(feature = "schemas")]
    pub(super) fn schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "array",
            "items": { "type": "string", "format": "date" }
        })
    }
}

/// The date of an instant on the Beijing wall clock (UTC+08:00).
pub fn beijing_date(at: OffsetDateTime) -> Date {
    at.to_offset(BEIJING).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn calendar() -> WorkCalendar {
        WorkCalendar::builtin()
    }

    fn covered(year: i32) -> CoveredYear {
        CoveredYear::new(year, "test notice")
    }

    #[test]
    fn builtin_passes_the_checks_of_new() {
        let builtin = calendar();
        let rebuilt = WorkCalendar::new(
            builtin.covered_years().to_vec(),
            builtin.holidays().to_vec(),
            builtin.adjusted_working_days().to_vec(),
        );
        assert_eq!(rebuilt, Ok(builtin));
    }

    #[test]
    fn builtin_covers_2024_to_2026_with_their_notices() {
        let calendar = calendar();
        let years: Vec<i32> = calendar.covered_years().iter().map(|c| c.year).collect();
        assert_eq!(years, [2024, 2025, 2026]);
        assert!(
            calendar
                .source(2024)
                .unwrap()
                .contains("国办发明电〔2023〕7号")
        );
        assert!(
            calendar
                .source(2025)
                .unwrap()
                .contains("国办发明电〔2024〕12号")
        );
        assert!(
            calendar
                .source(2026)
                .unwrap()
                .contains("国办发明电〔2025〕7号")
        );
        for year in [2024, 2025, 2026] {
            let source = calendar.source(year).unwrap();
            assert!(source.contains(&format!("关于{year}年部分节假日安排的通知")));
        }
        assert!(!calendar.covers(2023));
        assert!(!calendar.covers(2027));
        assert_eq!(calendar.source(2027), None);
    }

    #[test]
    fn builtin_table_is_sensible() {
        // Day counts stated by each notice (共N天; a single day where the notice says 放假 on
        // one day joined to the weekend).
        let stated: [(i32, &[i64]); 3] = [
            (2024, &[1, 8, 3, 5, 1, 3, 7]),
            (2025, &[1, 8, 3, 5, 3, 8]),
            (2026, &[3, 9, 3, 5, 3, 3, 7]),
        ];
        assert_eq!(NOTICES.len(), stated.len());
        for (notice, (year, lengths)) in NOTICES.iter().zip(stated) {
            assert_eq!(notice.year, year);
            let actual: Vec<i64> = notice
                .days_off
                .iter()
                .map(|(first, last)| (*last - *first).whole_days() + 1)
                .collect();
            assert_eq!(actual, lengths, "range lengths for {year}");
            for (first, last) in notice.days_off {
                assert!(first <= last);
                assert_eq!(first.year(), year);
                assert_eq!(last.year(), year);
            }
            for day in notice.adjusted_working_days {
                assert_eq!(day.year(), year);
                assert!(is_weekend(day.weekday()), "{day} is not a weekend day");
                assert!(
                    notice
                        .days_off
                        .iter()
                        .all(|(first, last)| day < first || day > last),
                    "{day} is both a day off and a working day"
                );
            }
        }
        let calendar = calendar();
        for day in calendar.adjusted_working_days() {
            assert!(calendar.holidays().binary_search(day).is_err());
        }
    }

    #[test]
    fn working_days_per_year_match_the_statutory_holiday_count() {
        // 全国年节及纪念日放假办法: 11 statutory days off before 2025, 13 from 2025. Adjusted
        // working days only move days off, so a year has its weekdays minus these.
        let calendar = calendar();
        for (year, statutory) in [(2024, 11), (2025, 13), (2026, 13)] {
            let from = Date::from_calendar_date(year - 1, Month::December, 31).unwrap();
            let to = Date::from_calendar_date(year, Month::December, 31).unwrap();
            assert_eq!(
                calendar.working_days_between(from, to),
                weekdays_between(from, to) - statutory,
                "{year}"
            );
        }
        let from = date!(2024 - 12 - 31);
        assert_eq!(
            calendar.working_days_between(from, date!(2025 - 12 - 31)),
            248
        );
        assert_eq!(
            calendar.working_days_between(date!(2023 - 12 - 31), date!(2024 - 12 - 31)),
            251
        );
    }

    #[test]
    fn is_working_day_follows_weekends_holidays_and_adjusted_days() {
        let calendar = calendar();
        assert!(calendar.is_working_day(date!(2025 - 09 - 26))); // Friday
        assert!(!calendar.is_working_day(date!(2025 - 09 - 27))); // Saturday
        assert!(calendar.is_working_day(date!(2025 - 09 - 28))); // adjusted Sunday
        assert!(!calendar.is_working_day(date!(2025 - 10 - 01))); // National Day
        assert!(!calendar.is_working_day(date!(2025 - 10 - 08))); // Wednesday, golden week
        assert!(calendar.is_working_day(date!(2025 - 10 - 11))); // adjusted Saturday
        assert!(!calendar.is_working_day(date!(2025 - 10 - 12))); // Sunday
        // Uncovered year: weekdays only.
        assert!(calendar.is_working_day(date!(2027 - 10 - 01)));
        assert!(!calendar.is_working_day(date!(2027 - 10 - 02)));
    }

    #[test]
    fn add_working_days_skips_a_weekend() {
        let calendar = calendar();
        let result = calendar.add_working_days(date!(2025 - 03 - 07), 1); // Friday
        assert_eq!(result.date, date!(2025 - 03 - 10));
        assert!(!result.estimated);
        assert!(result.uncovered_years.is_empty());
        let result = calendar.add_working_days(date!(2025 - 03 - 06), 3); // Thursday
        assert_eq!(result.date, date!(2025 - 03 - 11));
        // Starting on a weekend.
        let result = calendar.add_working_days(date!(2025 - 03 - 08), 1);
        assert_eq!(result.date, date!(2025 - 03 - 10));
    }

    #[test]
    fn add_working_days_zero_returns_start() {
        let calendar = calendar();
        let sunday = date!(2025 - 03 - 09);
        let result = calendar.add_working_days(sunday, 0);
        assert_eq!(result.date, sunday);
        assert!(!result.estimated);
        // No day was examined, so an uncovered start year does not make it estimated.
        let result = calendar.add_working_days(date!(2030 - 01 - 01), 0);
        assert_eq!(result.date, date!(2030 - 01 - 01));
        assert!(!result.estimated);
    }

    #[test]
    fn add_working_days_across_national_day_2025() {
        let calendar = calendar();
        let friday = date!(2025 - 09 - 26);
        let expected = [
            (1, date!(2025 - 09 - 28)), // Sunday, adjusted working day
            (2, date!(2025 - 09 - 29)),
            (3, date!(2025 - 09 - 30)),
            (4, date!(2025 - 10 - 09)), // after the golden week, 1 to 8 Oct
            (5, date!(2025 - 10 - 10)),
            (6, date!(2025 - 10 - 11)), // Saturday, adjusted working day
            (7, date!(2025 - 10 - 13)),
        ];
        for (n, date) in expected {
            let result = calendar.add_working_days(friday, n);
            assert_eq!(result.date, date, "{n} working days");
            assert!(!result.estimated);
        }
        // Relief-first paperwork due 5 working days after relief on 30 Sep.
        let result = calendar.add_working_days(date!(2025 - 09 - 30), 5);
        assert_eq!(result.date, date!(2025 - 10 - 14));
    }

    #[test]
    fn add_working_days_across_spring_festival_and_new_year_2026() {
        let calendar = calendar();
        let result = calendar.add_working_days(date!(2026 - 02 - 13), 1);
        assert_eq!(result.date, date!(2026 - 02 - 14)); // Saturday, adjusted
        let result = calendar.add_working_days(date!(2026 - 02 - 13), 2);
        assert_eq!(result.date, date!(2026 - 02 - 24)); // after 15 to 23 Feb
        // 1 to 3 Jan 2026 off, Sunday 4 Jan worked: crossing the year end stays exact.
        let result = calendar.add_working_days(date!(2025 - 12 - 31), 1);
        assert_eq!(result.date, date!(2026 - 01 - 04));
        assert!(!result.estimated);
    }

    #[test]
    fn add_working_days_into_an_uncovered_year_is_estimated() {
        let calendar = calendar();
        let result = calendar.add_working_days(date!(2026 - 12 - 30), 5); // Wednesday
        assert_eq!(result.date, date!(2027 - 01 - 06));
        assert!(result.estimated);
        assert_eq!(result.uncovered_years, [2027]);
        // Ending on the last day of a covered year does not cross into the next.
        let result = calendar.add_working_days(date!(2026 - 12 - 30), 1);
        assert_eq!(result.date, date!(2026 - 12 - 31));
        assert!(!result.estimated);
        // Starting in an uncovered year and running into covered ones.
        let result = calendar.add_working_days(date!(2023 - 12 - 29), 1);
        assert_eq!(result.date, date!(2024 - 01 - 02)); // 30, 31 Dec weekend; 1 Jan off
        assert!(result.estimated);
        assert_eq!(result.uncovered_years, [2023]);
        // Across several uncovered years at once.
        let result = calendar.add_working_days(date!(2026 - 12 - 31), 600);
        assert_eq!(result.uncovered_years, [2027, 2028, 2029]);
        assert_eq!(
            calendar.working_days_between(date!(2026 - 12 - 31), result.date),
            600
        );
    }

    #[test]
    fn add_working_days_saturates_at_the_last_supported_date() {
        let calendar = calendar();
        let result = calendar.add_working_days(date!(9999 - 12 - 30), 5);
        assert_eq!(result.date, Date::MAX);
        assert!(result.estimated);
        let result = calendar.add_working_days(date!(2025 - 01 - 01), u32::MAX);
        assert_eq!(result.date, Date::MAX);
        assert!(result.estimated);
    }

    #[test]
    fn deadline_after_uses_the_beijing_date() {
        let calendar = calendar();
        // 17:00 UTC on Saturday 27 Sep is 01:00 on Sunday 28 Sep in Beijing.
        let result = calendar.deadline_after(datetime!(2025-09-27 17:00 UTC), 1);
        assert_eq!(result.date, date!(2025 - 09 - 29));
        // 15:00 UTC on 27 Sep is still 27 Sep in Beijing.
        let result = calendar.deadline_after(datetime!(2025-09-27 15:00 UTC), 1);
        assert_eq!(result.date, date!(2025 - 09 - 28));
        // An instant already in +08:00 keeps its date.
        let result = calendar.deadline_after(datetime!(2025-09-30 23:59 +8), 1);
        assert_eq!(result.date, date!(2025 - 10 - 09));
    }

    #[test]
    fn working_days_between_counts_from_exclusive_to_inclusive() {
        let calendar = calendar();
        let friday = date!(2025 - 09 - 26);
        let monday = date!(2025 - 10 - 13);
        assert_eq!(calendar.working_days_between(friday, monday), 7);
        assert_eq!(calendar.working_days_between(monday, friday), -7);
        assert_eq!(calendar.working_days_between(friday, friday), 0);
        // The golden week holds no working day.
        assert_eq!(
            calendar.working_days_between(date!(2025 - 09 - 30), date!(2025 - 10 - 08)),
            0
        );
        // Overdue: due Friday 26 Sep, today Thursday 9 Oct.
        assert_eq!(
            calendar.working_days_between(friday, date!(2025 - 10 - 09)),
            4
        );
        // Uncovered years count weekdays.
        assert_eq!(
            calendar.working_days_between(date!(2027 - 09 - 30), date!(2027 - 10 - 08)),
            6
        );
    }

    #[test]
    fn new_sorts_and_deduplicates() {
        let calendar = WorkCalendar::new(
            vec![covered(2026), covered(2025)],
            vec![
                date!(2026 - 01 - 01),
                date!(2025 - 01 - 01),
                date!(2026 - 01 - 01),
            ],
            vec![date!(2026 - 01 - 04), date!(2025 - 01 - 26)],
        )
        .unwrap();
        let years: Vec<i32> = calendar.covered_years().iter().map(|c| c.year).collect();
        assert_eq!(years, [2025, 2026]);
        assert_eq!(
            calendar.holidays(),
            [date!(2025 - 01 - 01), date!(2026 - 01 - 01)]
        );
        assert_eq!(
            calendar.adjusted_working_days(),
            [date!(2025 - 01 - 26), date!(2026 - 01 - 04)]
        );
    }

    #[test]
    fn new_rejects_a_day_listed_twice() {
        let sunday = date!(2025 - 09 - 28);
        let err = WorkCalendar::new(vec![covered(2025)], vec![sunday], vec![sunday]).unwrap_err();
        assert_eq!(err, CalendarError::ConflictingDay { date: sunday });
        assert_eq!(err.code(), "calendar_conflicting_day");
        assert_eq!(
            err.to_string(),
            "date `2025-09-28` is listed both as a public holiday and as an adjusted working day"
        );
    }

    #[test]
    fn new_rejects_an_adjusted_day_on_a_weekday() {
        let thursday = date!(2025 - 01 - 02);
        let err = WorkCalendar::new(vec![covered(2025)], vec![], vec![thursday]).unwrap_err();
        assert_eq!(
            err,
            CalendarError::AdjustedDayNotWeekend {
                date: thursday,
                weekday: Weekday::Thursday
            }
        );
        assert_eq!(err.code(), "calendar_adjusted_day_not_weekend");
        assert_eq!(
            err.to_string(),
            "adjusted working day `2025-01-02` falls on a thursday, but only a saturday or sunday can be an adjusted working day"
        );
    }

    #[test]
    fn new_rejects_days_outside_covered_years_and_bad_years() {
        let err = WorkCalendar::new(
            vec![covered(2025)],
            vec![date!(2025 - 01 - 01), date!(2027 - 01 - 01)],
            vec![date!(2026 - 01 - 04)],
        )
        .unwrap_err();
        assert_eq!(
            err,
            CalendarError::DayOutsideCoveredYears {
                date: date!(2026 - 01 - 04),
                year: 2026
            }
        );
        assert_eq!(err.code(), "calendar_day_outside_covered_years");

        let err =
            WorkCalendar::new(vec![covered(2025), covered(2025)], vec![], vec![]).unwrap_err();
        assert_eq!(err, CalendarError::DuplicateYear { year: 2025 });
        assert_eq!(err.code(), "calendar_duplicate_year");

        let err =
            WorkCalendar::new(vec![CoveredYear::new(2025, "  ")], vec![], vec![]).unwrap_err();
        assert_eq!(err, CalendarError::MissingSource { year: 2025 });
        assert_eq!(err.code(), "calendar_missing_source");
        assert_eq!(
            err.to_string(),
            "covered year `2025` has no source citation"
        );
    }

    #[test]
    fn json_round_trip_uses_iso_dates() {
        let calendar = calendar();
        let json = serde_json::to_value(&calendar).unwrap();
        assert_eq!(json["holidays"][0], "2024-01-01");
        assert_eq!(json["adjusted_working_days"][0], "2024-02-04");
        assert_eq!(json["covered_years"][1]["year"], 2025);
        let back: WorkCalendar = serde_json::from_value(json).unwrap();
        assert_eq!(back, calendar);
    }

    #[test]
    fn json_is_checked_like_new() {
        let conflicting = serde_json::json!({
            "covered_years": [{ "year": 2025, "source": "test notice" }],
            "holidays": ["2025-10-11"],
            "adjusted_working_days": ["2025-10-11"],
        });
        let err = serde_json::from_value::<WorkCalendar>(conflicting).unwrap_err();
        assert!(err.to_string().contains("listed both as a public holiday"));

        let unknown = serde_json::json!({
            "covered_years": [],
            "holidays": [],
            "adjusted_working_days": [],
            "weekend": ["saturday"],
        });
        assert!(serde_json::from_value::<WorkCalendar>(unknown).is_err());

        let bad_date = serde_json::json!({
            "covered_years": [{ "year": 2025, "source": "test notice" }],
            "holidays": ["2025-02-30"],
            "adjusted_working_days": [],
        });
        let err = serde_json::from_value::<WorkCalendar>(bad_date).unwrap_err();
        assert!(err.to_string().contains("invalid date `2025-02-30`"));

        let unknown_year_field = serde_json::json!({
            "covered_years": [{ "year": 2025, "source": "test notice", "url": "x" }],
            "holidays": [],
            "adjusted_working_days": [],
        });
        assert!(serde_json::from_value::<WorkCalendar>(unknown_year_field).is_err());
    }

    #[cfg(feature = "schemas")]
    #[test]
    fn json_schema_describes_iso_date_lists() {
        let schema = serde_json::to_value(schemars::schema_for!(WorkCalendar)).unwrap();
        assert_eq!(schema["additionalProperties"], false);
        let holidays = &schema["properties"]["holidays"];
        assert_eq!(holidays["items"]["format"], "date");
    }

    #[test]
    fn add_months_clamps_to_the_month_end() {
        assert_eq!(
            add_months_clamped(date!(2025 - 01 - 31), 1),
            Some(date!(2025 - 02 - 28))
        );
        assert_eq!(
            add_months_clamped(date!(2024 - 01 - 31), 1),
            Some(date!(2024 - 02 - 29))
        );
        assert_eq!(
            add_months_clamped(date!(2024 - 02 - 29), 12),
            Some(date!(2025 - 02 - 28))
        );
        assert_eq!(
            add_months_clamped(date!(2024 - 02 - 29), 48),
            Some(date!(2028 - 02 - 29))
        );
        assert_eq!(
            add_months_clamped(date!(2025 - 08 - 31), 1),
            Some(date!(2025 - 09 - 30))
        );
        assert_eq!(
            add_months_clamped(date!(2025 - 03 - 31), -1),
            Some(date!(2025 - 02 - 28))
        );
        assert_eq!(
            add_months_clamped(date!(2025 - 01 - 15), -13),
            Some(date!(2023 - 12 - 15))
        );
        assert_eq!(
            add_months_clamped(date!(2025 - 06 - 30), 6),
            Some(date!(2025 - 12 - 30))
        );
        assert_eq!(
            add_months_clamped(date!(2025 - 06 - 30), 0),
            Some(date!(2025 - 06 - 30))
        );
    }

    #[test]
    fn add_months_is_none_only_past_the_supported_range() {
        assert_eq!(add_months_clamped(Date::MAX, 1), None);
        assert_eq!(add_months_clamped(Date::MIN, -1), None);
        assert_eq!(add_months_clamped(date!(2025 - 01 - 01), i32::MAX), None);
        assert_eq!(add_months_clamped(date!(2025 - 01 - 01), i32::MIN), None);
        assert_eq!(
            add_months_clamped(date!(9999 - 11 - 30), 1),
            Some(date!(9999 - 12 - 30))
        );
    }

    #[test]
    fn weekday_helpers_agree_with_stepping() {
        let start = date!(2025 - 03 - 01);
        for n in 0..40_u32 {
            let fast = add_weekdays(start, n).unwrap();
            let mut slow = start;
            let mut left = n;
            while left > 0 {
                slow = slow.next_day().unwrap();
                if !is_weekend(slow.weekday()) {
                    left -= 1;
                }
            }
            assert_eq!(fast, slow, "{n}");
            assert_eq!(weekdays_between(start, fast), i64::from(n));
        }
    }

    fn date_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = Date> {
        (years, 1_u16..=365)
            .prop_map(|(year, ordinal)| Date::from_ordinal_date(year, ordinal).unwrap())
    }

    proptest! {
        #[test]
        fn between_inverts_add(start in date_in(2024..=2027), n in 0_u32..200) {
            let calendar = calendar();
            let result = calendar.add_working_days(start, n);
            prop_assert_eq!(calendar.working_days_between(start, result.date), i64::from(n));
            prop_assert_eq!(calendar.working_days_between(result.date, start), -i64::from(n));
            if n > 0 {
                prop_assert!(calendar.is_working_day(result.date));
            }
            // The days examined are those after `start` up to the result.
            let expected_uncovered: Vec<i32> = match start.next_day() {
                Some(first) if n > 0 => (first.year()..=result.date.year())
                    .filter(|year| !calendar.covers(*year))
                    .collect(),
                _ => Vec::new(),
            };
            prop_assert_eq!(&result.uncovered_years, &expected_uncovered);
            prop_assert_eq!(result.estimated, !expected_uncovered.is_empty());
        }

        #[test]
        fn add_matches_stepping(start in date_in(2023..=2028), n in 0_u32..120) {
            let calendar = calendar();
            let mut date = start;
            let mut left = n;
            while left > 0 {
                date = date.next_day().unwrap();
                if calendar.is_working_day(date) {
                    left -= 1;
                }
            }
            prop_assert_eq!(calendar.add_working_days(start, n).date, date);
        }

        #[test]
        fn months_land_in_the_right_month(start in date_in(1900..=2100), months in -2400_i32..2400) {
            let result = add_months_clamped(start, months).unwrap();
            let expected_index = i64::from(start.year()) * 12
                + i64::from(u8::from(start.month()))
                - 1
                + i64::from(months);
            let actual_index = i64::from(result.year()) * 12 + i64::from(u8::from(result.month())) - 1;
            prop_assert_eq!(actual_index, expected_index);
            // A day above 28 only where the target month has it.
            prop_assert!(result.day() <= result.month().length(result.year()));
            prop_assert_eq!(result.day(), start.day().min(result.month().length(result.year())));
        }
    }
}
