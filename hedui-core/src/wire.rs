//! Serializers for dates and instants that write the same text as the `time` crate
//! (`YYYY-MM-DD`, RFC 3339) straight from the fields, without `time`'s general formatter
//! and the `String` it allocates for every value. A report carries a date or an instant in
//! almost every finding and income fact, so this is on the hot path of every report. Values
//! the short form does not cover (years outside 0–9999, fractional seconds, offsets with
//! seconds) go to `time` itself, so the output and the errors stay `time`'s.

use std::sync::Arc;

use serde::{Deserialize, Serialize, Serializer};
use time::{Date, OffsetDateTime, UtcOffset};

/// A short ASCII text built on the stack (long enough for an RFC 3339 instant).
struct Text {
    bytes: [u8; 25],
    len: usize,
}

impl Text {
    fn new() -> Self {
        Text {
            bytes: [0; 25],
            len: 0,
        }
    }

    fn push(&mut self, part: &[u8]) -> &mut Self {
        for (slot, b) in self.bytes.iter_mut().skip(self.len).zip(part) {
            *slot = *b;
        }
        self.len = (self.len + part.len()).min(self.bytes.len());
        self
    }

    /// Two decimal digits.
    fn two(&mut self, n: u8) -> &mut Self {
        self.push(&[b'0' + n / 10 % 10, b'0' + n % 10])
    }

    /// `YYYY-MM-DD`; `None` for a year outside 0–9999.
    fn date(&mut self, d: Date) -> Option<&mut Self> {
        let year = u16::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        Some(
            self.two((year / 100) as u8)
                .two((year % 100) as u8)
                .push(b"-")
                .two(u8::from(d.month()))
                .push(b"-")
                .two(d.day()),
        )
    }

    fn as_str(&self) -> &str {
        // only ASCII digits and punctuation are ever pushed
        std::str::from_utf8(self.bytes.get(..self.len).unwrap_or_default()).unwrap_or_default()
    }
}

/// A [`Date`] as `YYYY-MM-DD`, as `time`'s own `Serialize` writes it.
pub(crate) fn date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    let mut text = Text::new();
    match text.date(*d) {
        Some(text) => s.serialize_str(text.as_str()),
        None => d.serialize(s),
    }
}

/// A shared string, written as the string (serde's `rc` feature is not needed for it).
pub(crate) fn shared_str<S: Serializer>(v: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v)
}

/// A shared string, read as a string.
pub(crate) fn shared_str_de<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
    String::deserialize(d).map(Arc::from)
}

/// An optional [`Date`] (for fields that skip `None`).
pub(crate) fn date_option<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

/// An [`OffsetDateTime`] in RFC 3339, as `time::serde::rfc3339` writes it.
pub(crate) fn rfc3339<S: Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    let offset = t.offset();
    let short = t.nanosecond() == 0
        && offset.seconds_past_minute() == 0
        && offset.whole_hours().unsigned_abs() <= 23;
    let mut text = Text::new();
    let Some(text) = text.date(t.date()).filter(|_| short) else {
        return time::serde::rfc3339::serialize(t, s);
    };
    text.push(b"T")
        .two(t.hour())
        .push(b":")
        .two(t.minute())
        .push(b":")
        .two(t.second());
    if offset == UtcOffset::UTC {
        text.push(b"Z");
    } else {
        text.push(if offset.is_negative() { b"-" } else { b"+" })
            .two(offset.whole_hours().unsigned_abs())
            .push(b":")
            .two(offset.minutes_past_hour().unsigned_abs());
    }
    s.serialize_str(text.as_str())
}

/// An optional [`OffsetDateTime`] in RFC 3339 (for fields that skip `None`).
pub(crate) fn rfc3339_option<S: Serializer>(
    t: &Option<OffsetDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}
