//! What every operation shares: the built-in rulebook, the Beijing clock, and the parsing of
//! time and date arguments given as text.

use std::sync::OnceLock;

use hedui_core::Rulebook;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::failure::Failure;

/// The built-in rulebook (DOMAIN §6 defaults), built once and shared: it is immutable.
pub fn default_rulebook() -> &'static Rulebook {
    static DEFAULT: OnceLock<Rulebook> = OnceLock::new();
    DEFAULT.get_or_init(Rulebook::default)
}

/// `rulebook`, or the built-in one for `None`.
pub fn rulebook_or_default(rulebook: Option<&Rulebook>) -> &Rulebook {
    rulebook.unwrap_or_else(|| default_rulebook())
}

/// The current time in Beijing (+08:00), whole seconds: the issue time of a report when the
/// caller gives none.
pub fn now_beijing() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.to_offset(hedui_core::calendar::BEIJING)
}

/// Today in Beijing.
pub fn today_beijing() -> Date {
    hedui_core::calendar::beijing_date(now_beijing())
}

/// Parses an RFC 3339 date-time argument named `argument`.
///
/// # Errors
/// [`Failure::Time`] (code `invalid_time`) when `text` is not RFC 3339.
pub fn parse_time(argument: &'static str, text: &str) -> Result<OffsetDateTime, Failure> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|e| Failure::Time {
        argument,
        message: format!("`{text}`: {e}"),
    })
}

/// Parses an optional RFC 3339 issue time: `None` is now in Beijing.
///
/// # Errors
/// As [`parse_time`].
pub fn parse_time_or_now(
    argument: &'static str,
    text: Option<&str>,
) -> Result<OffsetDateTime, Failure> {
    match text {
        Some(t) => parse_time(argument, t),
        None => Ok(now_beijing()),
    }
}

/// Parses a `YYYY-MM-DD` date argument named `argument`.
///
/// # Errors
/// [`Failure::Date`] (code `invalid_date`) when `text` is not a calendar date.
pub fn parse_date(argument: &'static str, text: &str) -> Result<Date, Failure> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).map_err(|e| Failure::Date {
        argument,
        message: format!("`{text}`: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_arguments_parse_or_fail_with_their_code() {
        assert!(parse_time("t", "2026-11-29T10:00:00+08:00").is_ok());
        let e = parse_time("t", "yesterday").unwrap_err();
        assert_eq!(e.code(), "invalid_time");
        assert!(e.to_string().contains("`yesterday`"), "{e}");
    }

    #[test]
    fn date_arguments_parse_or_fail_with_their_code() {
        assert!(parse_date("d", "2026-02-28").is_ok());
        assert_eq!(
            parse_date("d", "2026-02-30").unwrap_err().code(),
            "invalid_date"
        );
    }

    #[test]
    fn now_is_beijing_time_in_whole_seconds() {
        let now = now_beijing();
        assert_eq!(now.offset().whole_hours(), 8);
        assert_eq!(now.nanosecond(), 0);
    }
}
