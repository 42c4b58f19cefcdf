//! Log retention 日志留存 (R11): which audit entries may be disposed of, from when, and the
//! record that they were.
//!
//! 网络安全法 Art 21 (三): network operators keep the logs of the network's operation "不少于
//! 六个月" — at least six months; the rulebook holds the number as
//! [`Retention::log_months`] (6 by default, never less). An entry logged on a Beijing date is
//! kept through the same day `log_months` later (clamped to month end, 31 Aug + 6 months =
//! 28/29 Feb) and may be disposed of from the day after.
//!
//! An audit chain is disposed of from its oldest end only: the entries that remain still
//! verify from the recorded `prev` of the first one, and an entry can never go while an
//! older one stays. [`dispose_logs`] refuses a disposal that would take any entry still within
//! its retention, and returns a [`LogDisposal`] record of what went, for the records kept
//! after it (R10).
//!
//! [`Retention::log_months`]: crate::rulebook::Retention::log_months

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::audit::{AuditEntry, AuditMac};
use crate::calendar::{add_months_clamped, beijing_date};
use crate::error::SecurityError;
use crate::rulebook::Retention;

/// The last day an entry logged at `at` must be kept: its Beijing date plus
/// [`Retention::log_months`], clamped to month end; a date past the calendar's end keeps it
/// for good.
pub fn log_keep_until(at: OffsetDateTime, retention: &Retention) -> Date {
    i32::try_from(retention.log_months)
        .ok()
        .and_then(|m| add_months_clamped(beijing_date(at), m))
        .unwrap_or(Date::MAX)
}

/// How many entries at the oldest end of `entries` may be disposed of on `on`: the longest
/// run from the first entry in which every entry's retention ended before `on`. An old entry
/// after a younger one waits for it.
pub fn disposable_logs(entries: &[AuditEntry], on: Date, retention: &Retention) -> usize {
    entries
        .iter()
        .take_while(|e| on > log_keep_until(e.at, retention))
        .count()
}

/// The record of a disposal of audit entries: what went, when, under which retention, and
/// the tag the first remaining entry's `prev` must name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LogDisposal {
    /// Day of the disposal.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub disposed_on: Date,
    /// Retention in months it was made under ([`Retention::log_months`]).
    pub log_months: u32,
    /// Number of entries disposed of, from the oldest.
    pub entries: u64,
    /// Sequence number of the first entry disposed of.
    pub first_seq: u64,
    /// Sequence number of the last entry disposed of.
    pub last_seq: u64,
    /// Time of the youngest entry disposed of.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub youngest_at: OffsetDateTime,
    /// The last retention day among the entries disposed of; `disposed_on` is after it.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub kept_until: Date,
    /// The `mac` of the last entry disposed of: the `prev` the first remaining entry names.
    pub last_mac: AuditMac,
}

/// Disposes of the entries of `entries` from the oldest through the one numbered `through_seq`
/// on `on`, and returns the record of it; the caller drops those entries from its log and
/// keeps the record.
///
/// # Errors
/// [`SecurityError::LogDisposalUnknownEntry`] when no entry is numbered `through_seq`;
/// [`SecurityError::LogRetentionNotElapsed`] naming the first entry up to it whose retention
/// has not ended on `on` (nothing younger than [`Retention::log_months`] is disposed of).
pub fn dispose_logs(
    entries: &[AuditEntry],
    through_seq: u64,
    on: Date,
    retention: &Retention,
) -> Result<LogDisposal, SecurityError> {
    let count = entries
        .iter()
        .position(|e| e.seq == through_seq)
        .map(|p| p.saturating_add(1))
        .ok_or(SecurityError::LogDisposalUnknownEntry { seq: through_seq })?;
    let gone = entries.get(..count).unwrap_or_default();
    let mut kept_until = Date::MIN;
    for e in gone {
        let until = log_keep_until(e.at, retention);
        if on <= until {
            return Err(SecurityError::LogRetentionNotElapsed { seq: e.seq, until });
        }
        kept_until = kept_until.max(until);
    }
    let (Some(first), Some(last)) = (gone.first(), gone.last()) else {
        return Err(SecurityError::LogDisposalUnknownEntry { seq: through_seq });
    };
    let youngest_at = gone.iter().map(|e| e.at).max().unwrap_or(last.at);
    Ok(LogDisposal {
        disposed_on: on,
        log_months: retention.log_months,
        entries: u64::try_from(count).unwrap_or(u64::MAX),
        first_seq: first.seq,
        last_seq: last.seq,
        youngest_at,
        kept_until,
        last_mac: last.mac,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Sha256Digest;
    use crate::rulebook::Rulebook;
    use crate::security::{AuditChain, AuditEvent, AuditKey, Decision, EventKind};
    use time::macros::{date, datetime};

    fn chain(times: &[OffsetDateTime]) -> AuditChain {
        let key = AuditKey::new("k1", &[7u8; 32]).unwrap();
        let mut chain = AuditChain::new("A-1").unwrap();
        for &at in times {
            chain
                .append(
                    &key,
                    AuditEvent {
                        at,
                        event: EventKind::DataQuery,
                        decision: Decision::Permit,
                        actor: "op-1".into(),
                        reason: "R2".into(),
                        context: Sha256Digest::of(b"ctx"),
                    },
                )
                .unwrap();
        }
        chain
    }

    /// 网络安全法 Art 21 with the default 6 months: an entry of 31 March is kept through
    /// 30 September (month end) and may go from 1 October, not a day earlier.
    #[test]
    fn nothing_younger_than_six_months_is_disposed_of() {
        let retention = Rulebook::default().retention;
        assert_eq!(retention.log_months, 6);
        let c = chain(&[
            datetime!(2026-03-31 23:30 +08:00),
            datetime!(2026-04-01 08:00 +08:00),
        ]);
        let e = c.entries();
        assert_eq!(log_keep_until(e[0].at, &retention), date!(2026 - 09 - 30));
        // the Beijing date counts: 2026-03-31 15:30 UTC is 23:30 in Beijing
        assert_eq!(
            log_keep_until(datetime!(2026-03-31 15:30 UTC), &retention),
            date!(2026 - 09 - 30)
        );
        assert_eq!(disposable_logs(e, date!(2026 - 09 - 30), &retention), 0);
        let err = dispose_logs(e, 0, date!(2026 - 09 - 30), &retention).unwrap_err();
        assert_eq!(err.code(), "log_retention_not_elapsed");
        assert!(err.to_string().contains("2026-09-30"), "{err}");
        assert_eq!(disposable_logs(e, date!(2026 - 10 - 01), &retention), 1);
        let d = dispose_logs(e, 0, date!(2026 - 10 - 01), &retention).unwrap();
        assert_eq!((d.entries, d.first_seq, d.last_seq), (1, 0, 0));
        assert_eq!(d.kept_until, date!(2026 - 09 - 30));
        assert_eq!(d.log_months, 6);
        assert_eq!(
            d.last_mac, e[1].prev,
            "the first kept entry chains to the record"
        );
        // the second entry went in on 1 April: it waits for 1 October's end
        let err = dispose_logs(e, 1, date!(2026 - 10 - 01), &retention).unwrap_err();
        assert_eq!(err.code(), "log_retention_not_elapsed");
        assert_eq!(disposable_logs(e, date!(2026 - 10 - 02), &retention), 2);
        assert_eq!(
            dispose_logs(e, 1, date!(2026 - 10 - 02), &retention)
                .unwrap()
                .entries,
            2
        );
        assert_eq!(
            dispose_logs(e, 9, date!(2027 - 01 - 01), &retention)
                .unwrap_err()
                .code(),
            "log_disposal_unknown_entry"
        );
        // the record round-trips as JSON
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<LogDisposal>(&json).unwrap(), d);
    }

    /// A longer retention in the rulebook keeps entries longer: the number is the rulebook's.
    #[test]
    fn the_rulebook_sets_the_months() {
        let mut retention = Rulebook::default().retention;
        retention.log_months = 12;
        let c = chain(&[datetime!(2026-01-15 10:00 +08:00)]);
        assert_eq!(
            disposable_logs(c.entries(), date!(2026 - 07 - 16), &retention),
            0
        );
        assert_eq!(
            disposable_logs(c.entries(), date!(2027 - 01 - 16), &retention),
            1
        );
    }
}
