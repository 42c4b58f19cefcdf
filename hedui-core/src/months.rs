//! Calendar-month arithmetic clamped to month end (R8: 31 Jan + 1 month = 28/29 Feb).

use time::{Date, Month};

/// `date` plus `months` calendar months, clamped to the last day of the target month;
/// `None` outside the supported date range.
pub(crate) fn add_months_clamped(date: Date, months: u32) -> Option<Date> {
    let total = i64::from(date.year()) * 12 + i64::from(date.month() as u8) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).ok()
}
