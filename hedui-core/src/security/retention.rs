//! Log retention 日志留存 (R11): which audit entries may be disposed of, from when, and the
//! record that they were.
//!
//! 网络安全法 Art 21 (三): network operators keep the logs of the network's operation "不少于
//! 六个月" — at least six months; the rulebook holds the number as
//! [`Retention::log_months`] (6 by default, never less). An entry logged on a Beijing date is
//! kept through the same day `log_months` later (clamped to month end, 31 Aug + 6 months =
//! 28/29 Feb) and may be disposed of from the day after.
//!
//! An audit chain is disposed of from its oldest end only, and an entry can never go while an
//! older one stays. [`dispose_logs`] refuses a disposal that would take any entry still within
//! its retention, and returns a [`LogDisposal`] record of what went, MACed with an audit key,
//! for the records kept after it (R10). The record is the verified start of what remains:
//! [`AuditChain::verify`](super::AuditChain::verify) accepts a chain that starts at
//! `last_seq + 1` linked to `last_mac` only together with a record of its chain whose MAC
//! verifies ([`AuditChain::after_disposal`](super::AuditChain::after_disposal)); a chain cut
//! without one, or with a record of another chain or another cut, is still refused.
//!
//! [`Retention::log_months`]: crate::rulebook::Retention::log_months

use time::{Date, OffsetDateTime};

use super::audit::{AuditChain, AuditEntry, AuditKey, AuditMac, LogDisposal, mac_of};
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

/// Disposes of the entries of `entries` from the oldest through the one numbered `through_seq`
/// on `on`, and returns the record of it, MACed with `key`; the caller drops those entries
/// from its log and keeps the record ([`AuditChain::dispose`](super::AuditChain::dispose)
/// does both).
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
    key: &AuditKey,
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
    let mut record = LogDisposal {
        chain: last.chain.clone(),
        disposed_on: on,
        log_months: retention.log_months,
        entries: u64::try_from(count).unwrap_or(u64::MAX),
        first_seq: first.seq,
        last_seq: last.seq,
        youngest_at,
        kept_until,
        last_mac: last.mac,
        key_id: key.id().to_owned(),
        mac: AuditMac::GENESIS,
    };
    record.mac = mac_of(key, &record.canonical_bytes());
    Ok(record)
}

impl AuditChain {
    /// Disposes of the oldest entries through the one numbered `through_seq` on `on`, under
    /// the rulebook's `retention` (网络安全法 Art 21, see [`dispose_logs`]): drops them,
    /// keeps the record, MACed with `key`, as the chain's start, and returns it for the host
    /// to store with the chain's head. Verify the chain first: the record vouches for the
    /// entries' last MAC.
    ///
    /// # Errors
    /// As [`dispose_logs`]; the chain is then unchanged.
    pub fn dispose(
        &mut self,
        key: &AuditKey,
        through_seq: u64,
        on: Date,
        retention: &Retention,
    ) -> Result<LogDisposal, SecurityError> {
        let record = dispose_logs(self.entries(), through_seq, on, retention, key)?;
        self.drop_disposed(&record);
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::Sha256Digest;
    use crate::rulebook::Rulebook;
    use crate::security::{
        AuditChain, AuditEvent, AuditHead, AuditKey, AuditKeyring, ChainProblem, Decision,
        EventKind,
    };
    use time::macros::{date, datetime};

    fn key() -> AuditKey {
        AuditKey::new("k1", &[7u8; 32]).unwrap()
    }

    fn keyring() -> AuditKeyring {
        AuditKeyring::from(key())
    }

    fn event(at: OffsetDateTime) -> AuditEvent {
        AuditEvent {
            at,
            event: EventKind::DataQuery,
            decision: Decision::Permit,
            actor: "op-1".into(),
            reason: "R2".into(),
            context: Sha256Digest::of(b"ctx"),
        }
    }

    fn chain(times: &[OffsetDateTime]) -> AuditChain {
        let key = key();
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
        let err = dispose_logs(e, 0, date!(2026 - 09 - 30), &retention, &key()).unwrap_err();
        assert_eq!(err.code(), "log_retention_not_elapsed");
        assert!(err.to_string().contains("2026-09-30"), "{err}");
        assert_eq!(disposable_logs(e, date!(2026 - 10 - 01), &retention), 1);
        let d = dispose_logs(e, 0, date!(2026 - 10 - 01), &retention, &key()).unwrap();
        assert_eq!((d.entries, d.first_seq, d.last_seq), (1, 0, 0));
        assert_eq!(d.kept_until, date!(2026 - 09 - 30));
        assert_eq!(d.log_months, 6);
        assert_eq!(
            d.last_mac, e[1].prev,
            "the first kept entry chains to the record"
        );
        // the second entry went in on 1 April: it waits for 1 October's end
        let err = dispose_logs(e, 1, date!(2026 - 10 - 01), &retention, &key()).unwrap_err();
        assert_eq!(err.code(), "log_retention_not_elapsed");
        assert_eq!(disposable_logs(e, date!(2026 - 10 - 02), &retention), 2);
        assert_eq!(
            dispose_logs(e, 1, date!(2026 - 10 - 02), &retention, &key())
                .unwrap()
                .entries,
            2
        );
        assert_eq!(
            dispose_logs(e, 9, date!(2027 - 01 - 01), &retention, &key())
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

    /// Five entries, one a month from January 2026: the first three may go on 2026-09-11.
    fn monthly() -> AuditChain {
        chain(&[
            datetime!(2026-01-10 09:00 +08:00),
            datetime!(2026-02-10 09:00 +08:00),
            datetime!(2026-03-10 09:00 +08:00),
            datetime!(2026-04-10 09:00 +08:00),
            datetime!(2026-05-10 09:00 +08:00),
        ])
    }

    /// R11 + 网络安全法 Art 21: after the oldest entries are disposed of, what remains verifies
    /// from the record (its first entry is `last_seq + 1`, linked to `last_mac`), against the
    /// head kept before the disposal, as JSONL with the record, and goes on growing.
    #[test]
    fn a_chain_verifies_after_its_oldest_entries_are_disposed_of() {
        let retention = Rulebook::default().retention;
        let mut c = monthly();
        let head = c.head();
        let record = c
            .dispose(&key(), 2, date!(2026 - 09 - 11), &retention)
            .unwrap();
        assert_eq!(
            (record.first_seq, record.last_seq, record.entries),
            (0, 2, 3)
        );
        assert_eq!(record.chain, "A-1");
        assert_eq!(record.key_id, "k1");
        assert_eq!(c.len(), 2);
        assert_eq!(c.entries()[0].seq, 3);
        assert_eq!(c.entries()[0].prev, record.last_mac);
        assert_eq!(c.disposal(), Some(&record));
        c.verify(&keyring()).unwrap();
        c.verify_against(&keyring(), &head).unwrap();
        assert_eq!(c.head(), head, "the head still counts from entry 0");

        // stored as JSONL plus the record, opened again
        let text = c.to_jsonl().unwrap();
        let opened = AuditChain::open_jsonl_after(&text, &keyring(), &head, Some(&record)).unwrap();
        assert_eq!(opened, c);
        // and as one JSON object, the record inside
        let back = AuditChain::from_json(&c.to_json().unwrap()).unwrap();
        assert_eq!(back, c);
        back.verify_against(&keyring(), &head).unwrap();

        // appending goes on from seq 5
        let new_head = c
            .append(&key(), event(datetime!(2026-09-11 10:00 +08:00)))
            .unwrap();
        assert_eq!(new_head.entries, 6);
        assert_eq!(c.entries().last().unwrap().seq, 5);
        c.verify_against(&keyring(), &new_head).unwrap();

        // a second disposal starts after the first
        let second = c
            .dispose(&key(), 4, date!(2026 - 11 - 11), &retention)
            .unwrap();
        assert_eq!(
            (second.first_seq, second.last_seq, second.entries),
            (3, 4, 2)
        );
        assert_eq!(c.len(), 1);
        c.verify_against(&keyring(), &new_head).unwrap();
    }

    /// Boundary cases: everything disposed of (the chain is empty, its head is the record's
    /// last MAC and the next entry links to it), a head at the disposal point, and a head
    /// older than the disposal (refused: the MAC it names is gone).
    #[test]
    fn boundaries_of_a_disposal() {
        let retention = Rulebook::default().retention;
        let mut c = monthly();
        let head = c.head();
        let at_three = AuditHead {
            chain: "A-1".into(),
            entries: 3,
            mac: c.entries()[2].mac,
        };
        let at_two = AuditHead {
            chain: "A-1".into(),
            entries: 2,
            mac: c.entries()[1].mac,
        };
        let mut all = c.clone();
        c.dispose(&key(), 2, date!(2026 - 09 - 11), &retention)
            .unwrap();
        c.verify_against(&keyring(), &at_three).unwrap();
        let err = c.verify_against(&keyring(), &at_two).unwrap_err();
        assert_eq!(err.code(), "audit_head_disposed");
        assert!(err.to_string().contains("before 3"), "{err}");

        let gone = all
            .dispose(&key(), 4, date!(2027 - 01 - 01), &retention)
            .unwrap();
        assert!(all.is_empty());
        assert_eq!(
            all.head(),
            head,
            "an empty chain's head is the record's last mac"
        );
        all.verify_against(&keyring(), &head).unwrap();
        let text = all.to_jsonl().unwrap();
        assert_eq!(text, "");
        AuditChain::open_jsonl_after(&text, &keyring(), &head, Some(&gone)).unwrap();
        // without the record an empty log cannot reach the head
        assert_eq!(
            AuditChain::open_jsonl(&text, &keyring(), &head)
                .unwrap_err()
                .code(),
            "audit_chain_truncated"
        );
        let h = all
            .append(&key(), event(datetime!(2027-01-01 09:00 +08:00)))
            .unwrap();
        assert_eq!((h.entries, all.entries()[0].seq), (6, 5));
        assert_eq!(all.entries()[0].prev, gone.last_mac);
        all.verify_against(&keyring(), &h).unwrap();
    }

    /// A chain cut at the oldest end without a record is refused as before: its first entry
    /// is not number 0, and a copy whose first entry is made to look like one fails its link
    /// or MAC.
    #[test]
    fn a_chain_cut_without_a_record_is_refused() {
        let c = monthly();
        let head = c.head();
        let text = c.to_jsonl().unwrap();
        let cut: String = text.split_inclusive('\n').skip(3).collect();
        let err = AuditChain::open_jsonl(&cut, &keyring(), &head).unwrap_err();
        assert_eq!(err.code(), "audit_chain_broken");
        assert!(
            matches!(
                err,
                SecurityError::AuditBroken {
                    index: 0,
                    problem: ChainProblem::Sequence {
                        expected: 0,
                        found: 3
                    }
                }
            ),
            "{err:?}"
        );
    }

    /// A record that does not fit the chain is refused with the chain's codes: another
    /// chain's, a changed `last_mac`, `last_seq` or any other field (the MAC no longer
    /// verifies), a MAC made with another key under the same id, a key the keyring does not
    /// hold, a true record of a shorter disposal (the chain then skips entries) and a record
    /// given to a chain that was not cut.
    #[test]
    fn a_record_that_does_not_fit_is_refused() {
        let retention = Rulebook::default().retention;
        let mut c = monthly();
        let whole = c.clone();
        let head = c.head();
        let shorter = whole
            .clone()
            .dispose(&key(), 1, date!(2026 - 09 - 11), &retention)
            .unwrap();
        let record = c
            .dispose(&key(), 2, date!(2026 - 09 - 11), &retention)
            .unwrap();
        let text = c.to_jsonl().unwrap();
        let open = |d: &LogDisposal| {
            AuditChain::open_jsonl_after(&text, &keyring(), &head, Some(d)).unwrap_err()
        };

        let mut other_chain = record.clone();
        other_chain.chain = "A-2".into();
        let err = open(&other_chain);
        assert_eq!(err.code(), "audit_chain_swapped", "{err}");

        let broken_record = |err: SecurityError| {
            matches!(
                err,
                SecurityError::AuditBroken {
                    index: 0,
                    problem: ChainProblem::Disposal
                }
            )
        };
        let changes: [fn(&mut LogDisposal); 8] = [
            |d| d.last_mac = AuditMac::GENESIS,
            |d| d.last_seq = 1,
            |d| d.first_seq = 1,
            |d| d.entries = 2,
            |d| d.disposed_on = date!(2026 - 09 - 12),
            |d| d.log_months = 7,
            |d| d.kept_until = date!(2026 - 08 - 30),
            |d| d.youngest_at = datetime!(2026-03-10 09:00:01 +08:00),
        ];
        for change in changes {
            let mut forged = record.clone();
            change(&mut forged);
            let err = open(&forged);
            assert!(broken_record(err.clone()), "{err:?}");
        }

        // the right fields, MACed with a stranger's key under the same id
        let stranger = AuditKey::new("k1", &[8u8; 32]).unwrap();
        let mut faked = record.clone();
        faked.mac = crate::security::audit::mac_of(&stranger, &faked.canonical_bytes());
        assert!(broken_record(open(&faked)));
        let mut unknown = record.clone();
        unknown.key_id = "k9".into();
        assert_eq!(open(&unknown).code(), "audit_key_unknown");

        // a true record of another cut: the remaining entries do not follow it
        let err = open(&shorter);
        assert!(
            matches!(
                err,
                SecurityError::AuditBroken {
                    index: 0,
                    problem: ChainProblem::Sequence {
                        expected: 2,
                        found: 3
                    }
                }
            ),
            "{err:?}"
        );
        // a record given to the whole chain: entry 0 is not entry 3
        let err = whole.after_disposal(record).verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_chain_broken");
    }
}
