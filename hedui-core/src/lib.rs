//! hedui-core: the rules of household economic-status verification (居民家庭经济状况核对).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod calendar;

pub use calendar::{
    CalendarError, CoveredYear, WorkCalendar, WorkingDayResult, add_months_clamped,
};
