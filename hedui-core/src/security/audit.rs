//! The audit chain 审计日志: an append-only log of every gate decision in which each entry is
//! keyed to the one before it, so that nobody without the key can change, drop, insert or
//! reorder an entry unnoticed.
//!
//! R11 (N §三): "做好系统防护 … 保证核对工作网络信息、业务流程、系统应用、核对数据等各方面安全";
//! logs are kept at least 6 months (网络安全法 Art 21, [`Retention::log_months`]).
//! The canonical form and what is detected are documented on [`AuditChain`].
//!
//! [`Retention::log_months`]: crate::rulebook::Retention::log_months

use std::fmt;

use ring::hmac;
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use super::findings::ChainProblem;
use crate::digest::Sha256Digest;
use crate::error::{Error, SecurityError};

/// Domain-separation tag at the start of every entry's canonical bytes.
const CANONICAL_TAG: &[u8; 15] = b"hedui-audit-v1\0";
/// Shortest HMAC key accepted, in bytes (the output size of SHA-256).
const MIN_KEY_BYTES: usize = 32;

/// Outcome of a gate: permit or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The request may go on.
    Permit,
    /// The request is refused.
    Deny,
}

impl Decision {
    /// `permit` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Permit => "permit",
            Decision::Deny => "deny",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The gate or action an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// R1: an authorization letter was checked.
    AuthorizationCheck,
    /// R1: an entrustment letter was issued or received.
    Entrustment,
    /// R2 (N §二(二)): the initiating agency's pre-check.
    Precheck,
    /// R2: a verification was started from an accepted entrustment.
    VerificationStart,
    /// A data category was queried.
    DataQuery,
    /// R3: a report was issued.
    ReportIssue,
    /// R11: a permission check.
    PermissionCheck,
    /// R11: a login attempt.
    Login,
    /// R11: an operator account was registered, activated, locked or changed.
    AccountChange,
    /// R10: a document was archived or disposed of.
    DocumentArchive,
}

impl EventKind {
    /// The snake_case name used in JSON and in the canonical form.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::AuthorizationCheck => "authorization_check",
            EventKind::Entrustment => "entrustment",
            EventKind::Precheck => "precheck",
            EventKind::VerificationStart => "verification_start",
            EventKind::DataQuery => "data_query",
            EventKind::ReportIssue => "report_issue",
            EventKind::PermissionCheck => "permission_check",
            EventKind::Login => "login",
            EventKind::AccountChange => "account_change",
            EventKind::DocumentArchive => "document_archive",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HMAC-SHA256 tag of an audit entry, written as 64 lowercase hex characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuditMac([u8; 32]);

impl AuditMac {
    /// The `prev` of the first entry: 32 zero bytes.
    pub const GENESIS: AuditMac = AuditMac([0; 32]);

    /// The raw tag.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for AuditMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::hex::encode(&self.0))
    }
}

impl fmt::Debug for AuditMac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditMac({self})")
    }
}

impl Serialize for AuditMac {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::hex::array::serialize(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for AuditMac {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::hex::array::deserialize(d).map(AuditMac)
    }
}

#[cfg(feature = "schemas")]
impl JsonSchema for AuditMac {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AuditMac".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "HMAC-SHA256 tag as 64 lowercase hex characters",
            "pattern": "^[0-9a-f]{64}$"
        })
    }
}

/// The host's secret HMAC-SHA256 key for an audit chain.
///
/// The key is at least 32 bytes from a CSPRNG, kept apart from the log it protects (a key
/// store, an HSM, a file readable only by the service). Whoever holds it can rewrite the
/// chain; whoever does not, cannot.
pub struct AuditKey(hmac::Key);

impl AuditKey {
    /// Wraps a secret of at least 32 bytes.
    ///
    /// # Errors
    /// [`SecurityError::AuditKeyLength`] for a shorter secret.
    pub fn new(secret: &[u8]) -> Result<Self, SecurityError> {
        if secret.len() < MIN_KEY_BYTES {
            return Err(SecurityError::AuditKeyLength {
                min: MIN_KEY_BYTES,
                found: secret.len(),
            });
        }
        Ok(AuditKey(hmac::Key::new(hmac::HMAC_SHA256, secret)))
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

/// What a caller logs: one gate decision. [`AuditChain::append`] turns it into an entry.
///
/// No personal data goes in: `actor` is an operator account id, `reason` names letters, rules
/// and codes (masked resident IDs at most), and the request itself is represented by
/// `context`, the SHA-256 of its canonical bytes. A plain hash of a low-entropy value such as a
/// bare resident ID can be reversed by trying every ID, so hash the whole request, not one
/// identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditEvent {
    /// When, from the host's clock (core reads no clock).
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub at: OffsetDateTime,
    /// Which gate.
    pub event: EventKind,
    /// Permit or deny.
    pub decision: Decision,
    /// Operator account id, or the system component that decided.
    pub actor: String,
    /// Why: the rule, the letter or report number, the error code.
    pub reason: String,
    /// SHA-256 of the request context.
    pub context: Sha256Digest,
}

/// One entry of an [`AuditChain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// Position in the chain, from 0.
    pub seq: u64,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub at: OffsetDateTime,
    /// Which gate.
    pub event: EventKind,
    /// Permit or deny.
    pub decision: Decision,
    /// Operator account id or system component.
    pub actor: String,
    /// Why.
    pub reason: String,
    /// SHA-256 of the request context.
    pub context: Sha256Digest,
    /// The previous entry's `mac` ([`AuditMac::GENESIS`] for the first).
    pub prev: AuditMac,
    /// HMAC-SHA256 over the entry's canonical bytes.
    pub mac: AuditMac,
}

impl AuditEntry {
    /// Writes the entry's canonical bytes (see [`AuditChain`]) into `out`, replacing
    /// its content. The `mac` field itself is not part of them.
    pub fn canonical_bytes(&self, out: &mut Vec<u8>) {
        write_canonical(
            out,
            self.seq,
            &self.prev,
            self.at,
            self.event,
            self.decision,
            &self.actor,
            &self.reason,
            &self.context,
        );
    }
}

#[inline]
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per canonical field keeps the hot path free of temporaries"
)]
fn write_canonical(
    out: &mut Vec<u8>,
    seq: u64,
    prev: &AuditMac,
    at: OffsetDateTime,
    event: EventKind,
    decision: Decision,
    actor: &str,
    reason: &str,
    context: &Sha256Digest,
) {
    let name = event.as_str();
    out.clear();
    out.reserve(15 + 8 + 32 + 20 + 3 * 8 + name.len() + 1 + actor.len() + reason.len() + 32);
    out.extend_from_slice(CANONICAL_TAG);
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&prev.0);
    out.extend_from_slice(&at.unix_timestamp_nanos().to_be_bytes());
    out.extend_from_slice(&at.offset().whole_seconds().to_be_bytes());
    push_str(out, name);
    out.push(match decision {
        Decision::Permit => 1,
        Decision::Deny => 0,
    });
    push_str(out, actor);
    push_str(out, reason);
    out.extend_from_slice(context.as_bytes());
}

#[inline]
fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Where a chain ended when it was last seen: kept outside the chain, it lets
/// [`AuditChain::verify_against`] notice entries cut off the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    /// Number of entries.
    pub entries: u64,
    /// `mac` of the last entry ([`AuditMac::GENESIS`] for an empty chain).
    pub mac: AuditMac,
}

/// An append-only, tamper-evident audit log (R11, N §三).
///
/// Serialises as a JSON array of [`AuditEntry`]; [`to_jsonl`](Self::to_jsonl) writes one entry
/// per line for hosts that append to a file.
///
/// # Canonical form
///
/// Entry `n`'s [`mac`](AuditEntry::mac) is HMAC-SHA256 under the host's [`AuditKey`] over
/// these bytes, in this order (integers big-endian, strings UTF-8 preceded by their byte
/// length as a `u64`):
///
/// | bytes | field |
/// |---|---|
/// | 15 | the tag `hedui-audit-v1` followed by one zero byte |
/// | 8 | `seq` (`u64`), equal to the entry's index in the chain |
/// | 32 | `prev`: the previous entry's `mac`, 32 zero bytes for the first entry |
/// | 16 | `at` as Unix time in nanoseconds (`i128`) |
/// | 4 | the UTC offset of `at` in seconds (`i32`) |
/// | 8 + n | `event`: its snake_case name |
/// | 1 | `decision`: `1` permit, `0` deny |
/// | 8 + n | `actor` |
/// | 8 + n | `reason` |
/// | 32 | `context`: the SHA-256 of the request context |
///
/// [`AuditEntry::canonical_bytes`] writes exactly these bytes, so a verifier in another language
/// can be checked against it.
///
/// # What is detected
///
/// [`AuditChain::verify`] finds the first entry whose sequence number, link or MAC is wrong: a
/// changed byte in any field, a deleted, inserted or reordered entry. Cutting entries off the
/// *end* leaves a shorter chain that is valid in itself; to detect it keep the chain's
/// [`AuditHead`] somewhere else (another system, a signed daily record) and use
/// [`AuditChain::verify_against`].
///
/// In JSON an entry is an object; in JSONL ([`AuditChain::to_jsonl`]) each line is exactly the
/// compact JSON that serde_json writes for the entry, and [`AuditChain::from_jsonl`] refuses any
/// line that is not in that form. So every byte of a JSONL file is covered: a changed byte
/// either makes its line unreadable or non-canonical (reported with the line number) or changes
/// the entry's content (reported by `verify` with the entry's index).
///
/// # Example
///
/// ```
/// use hedui_core::{Sha256Digest, security::{AuditChain, AuditEvent, AuditKey, Decision, EventKind}};
/// use time::macros::datetime;
///
/// let key = AuditKey::new(&[7u8; 32])?; // a host takes this from a CSPRNG and a key store
/// let mut chain = AuditChain::new();
/// chain.append(&key, AuditEvent {
///     at: datetime!(2026-03-02 10:00 +08:00),
///     event: EventKind::Precheck,
///     decision: Decision::Permit,
///     actor: "op-7".into(),
///     reason: "R2 pre-check of `WT-1` passed".into(),
///     context: Sha256Digest::of(b"{\"entrustment\":\"WT-1\"}"),
/// })?;
/// chain.verify(&key)?;
///
/// let mut text = chain.to_jsonl()?;
/// text = text.replace("passed", "failed");
/// let tampered = AuditChain::from_jsonl(&text)?;
/// let err = tampered.verify(&key).unwrap_err();
/// assert_eq!(err.code(), "audit_chain_broken");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(transparent)]
pub struct AuditChain {
    entries: Vec<AuditEntry>,
    /// Reused buffer for canonical bytes, so appends do not allocate for them.
    #[serde(skip)]
    #[cfg_attr(feature = "schemas", schemars(skip))]
    scratch: Vec<u8>,
}

impl PartialEq for AuditChain {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for AuditChain {}

impl fmt::Debug for AuditChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditChain")
            .field("entries", &self.entries.len())
            .field("head", &self.head().mac)
            .finish()
    }
}

impl AuditChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty chain with room for `entries` entries.
    pub fn with_capacity(entries: usize) -> Self {
        AuditChain {
            entries: Vec::with_capacity(entries),
            scratch: Vec::with_capacity(256),
        }
    }

    /// Appends `event` as the next entry, linked to the last one and MACed with `key`, and
    /// returns the new head (keep it apart from the chain to detect truncation).
    ///
    /// The hot path writes the canonical bytes into a buffer the chain reuses and computes one
    /// HMAC; nothing is formatted or serialised. Append to a chain read from storage only after
    /// [`verify`](Self::verify) passed with the same key, or the new entries vouch for a
    /// forged past.
    ///
    /// # Errors
    /// [`SecurityError::AuditTime`] when `event.at` cannot be written in RFC 3339 (a year
    /// outside 0000–9999 or an offset with seconds), so that the chain always serialises;
    /// [`SecurityError::AuditTimeBackwards`] when `event.at` is before the last entry's time.
    pub fn append(
        &mut self,
        key: &AuditKey,
        event: AuditEvent,
    ) -> Result<AuditHead, SecurityError> {
        check_time(event.at)?;
        if let Some(last) = self.entries.last()
            && event.at < last.at
        {
            return Err(SecurityError::AuditTimeBackwards {
                at: rfc3339_text(event.at),
                previous: rfc3339_text(last.at),
            });
        }
        let seq = self.entries.len() as u64;
        let prev = self.entries.last().map_or(AuditMac::GENESIS, |e| e.mac);
        write_canonical(
            &mut self.scratch,
            seq,
            &prev,
            event.at,
            event.event,
            event.decision,
            &event.actor,
            &event.reason,
            &event.context,
        );
        let tag = hmac::sign(&key.0, &self.scratch);
        let mut mac = [0u8; 32];
        mac.copy_from_slice(tag.as_ref());
        let mac = AuditMac(mac);
        self.entries.push(AuditEntry {
            seq,
            at: event.at,
            event: event.event,
            decision: event.decision,
            actor: event.actor,
            reason: event.reason,
            context: event.context,
            prev,
            mac,
        });
        Ok(AuditHead {
            entries: seq + 1,
            mac,
        })
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the chain has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The chain's current head, to keep somewhere else.
    pub fn head(&self) -> AuditHead {
        AuditHead {
            entries: self.entries.len() as u64,
            mac: self.entries.last().map_or(AuditMac::GENESIS, |e| e.mac),
        }
    }

    /// Checks every entry's sequence number, link and MAC (constant-time comparison), and that
    /// no entry is dated before the one it follows.
    ///
    /// # Errors
    /// [`SecurityError::AuditBroken`] with the index of the first broken entry and why.
    pub fn verify(&self, key: &AuditKey) -> Result<(), SecurityError> {
        let mut buf = Vec::with_capacity(256);
        let mut prev = AuditMac::GENESIS;
        for (index, e) in self.entries.iter().enumerate() {
            let broken = |problem| SecurityError::AuditBroken { index, problem };
            let expected = index as u64;
            if e.seq != expected {
                return Err(broken(ChainProblem::Sequence {
                    expected,
                    found: e.seq,
                }));
            }
            if e.prev != prev {
                return Err(broken(ChainProblem::Link));
            }
            e.canonical_bytes(&mut buf);
            if hmac::verify(&key.0, &buf, &e.mac.0).is_err() {
                return Err(broken(ChainProblem::Mac));
            }
            if index > 0 && self.entries.get(index - 1).is_some_and(|p| e.at < p.at) {
                return Err(broken(ChainProblem::Backdated));
            }
            prev = e.mac;
        }
        Ok(())
    }

    /// [`verify`](Self::verify), and checks that the chain still reaches `head`, recorded
    /// earlier: entries cut off the end are reported at the index of the first missing one.
    ///
    /// # Errors
    /// [`SecurityError::AuditBroken`] with the index of the first broken or missing entry.
    pub fn verify_against(&self, key: &AuditKey, head: &AuditHead) -> Result<(), SecurityError> {
        self.verify(key)?;
        let Some(last) = head.entries.checked_sub(1) else {
            return Ok(());
        };
        let index = usize::try_from(last).unwrap_or(usize::MAX);
        match self.entries.get(index) {
            None => Err(SecurityError::AuditBroken {
                index: self.entries.len(),
                problem: ChainProblem::Missing {
                    expected_entries: head.entries,
                },
            }),
            Some(e) if e.mac != head.mac => Err(SecurityError::AuditBroken {
                index,
                problem: ChainProblem::Head,
            }),
            Some(_) => Ok(()),
        }
    }

    /// The chain as a JSON array.
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) if an entry cannot be written (not
    /// expected: appended times are checked and read ones came from RFC 3339).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(self).map_err(|e| Error::json("audit chain", &e))
    }

    /// Reads a chain from a JSON array of entries. Reading does not verify; call
    /// [`verify`](Self::verify).
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) for malformed JSON or unknown fields.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        Error::parse("audit chain", text)
    }

    /// The chain as JSONL: each entry as compact JSON on its own line, each line ended by `\n`.
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) as for [`to_json`](Self::to_json).
    pub fn to_jsonl(&self) -> Result<String, Error> {
        let mut out = String::with_capacity(self.entries.len() * 320);
        for e in &self.entries {
            let line = serde_json::to_string(e).map_err(|e| Error::json("audit entry", &e))?;
            out.push_str(&line);
            out.push('\n');
        }
        Ok(out)
    }

    /// Reads a chain from JSONL as [`to_jsonl`](Self::to_jsonl) writes it. A final newline
    /// is optional; every line must be exactly the compact JSON of its entry, so a reformatted
    /// or edited line is refused even where it would parse to the same entry. Reading does not
    /// verify; call [`verify`](Self::verify).
    ///
    /// # Errors
    /// [`SecurityError::AuditLine`] with the 1-based number of the first line that is empty,
    /// malformed or not in canonical form.
    pub fn from_jsonl(text: &str) -> Result<Self, SecurityError> {
        let body = text.strip_suffix('\n').unwrap_or(text);
        let mut entries = Vec::new();
        if !body.is_empty() {
            for (i, line) in body.split('\n').enumerate() {
                entries.push(parse_line(i + 1, line)?);
            }
        }
        Ok(AuditChain {
            entries,
            scratch: Vec::with_capacity(256),
        })
    }
}

/// Reads line `line` (1-based) of a JSONL audit log.
fn parse_line(line: usize, text: &str) -> Result<AuditEntry, SecurityError> {
    let bad = |reason: String| SecurityError::AuditLine { line, reason };
    if text.is_empty() {
        return Err(bad("empty".into()));
    }
    let entry: AuditEntry = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let canonical = serde_json::to_string(&entry).map_err(|e| bad(e.to_string()))?;
    if canonical != text {
        return Err(bad("not in canonical form".into()));
    }
    Ok(entry)
}

/// An entry's time as RFC 3339 text (checked by [`check_time`] before it is stored).
fn rfc3339_text(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

fn check_time(at: OffsetDateTime) -> Result<(), SecurityError> {
    let bad = |reason: &str| {
        Err(SecurityError::AuditTime {
            at: at.to_string(),
            reason: reason.into(),
        })
    };
    if !(0..=9999).contains(&at.year()) {
        return bad("the year must be between 0000 and 9999");
    }
    if at.offset().seconds_past_minute() != 0 {
        return bad("the utc offset must be whole minutes");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn event_at(at: OffsetDateTime) -> AuditEvent {
        AuditEvent {
            at,
            event: EventKind::Login,
            decision: Decision::Permit,
            actor: "op-1".into(),
            reason: String::new(),
            context: crate::digest::Sha256Digest::of(b"ctx"),
        }
    }

    #[test]
    fn an_event_dated_before_the_last_entry_is_refused() {
        let mut chain = AuditChain::new();
        chain
            .append(&key(), event_at(datetime!(2026-11-29 10:00 +08:00)))
            .unwrap();
        // the same instant is fine, and so is a later one in another offset
        chain
            .append(&key(), event_at(datetime!(2026-11-29 02:00 UTC)))
            .unwrap();
        let e = chain
            .append(&key(), event_at(datetime!(2026-11-29 09:59 +08:00)))
            .unwrap_err();
        assert_eq!(e.code(), "audit_time_backwards");
        assert!(e.to_string().contains("`2026-11-29T09:59:00+08:00`"), "{e}");
        assert!(e.to_string().contains("`2026-11-29T02:00:00Z`"), "{e}");
        assert_eq!(chain.len(), 2, "nothing was appended");
    }

    #[test]
    fn a_backdated_entry_breaks_verification() {
        let k = key();
        // entries written one by one with correct MACs, the second dated before the first
        let mut early = AuditChain::new();
        early
            .append(&k, event_at(datetime!(2026-11-29 10:00 +08:00)))
            .unwrap();
        let mut chain = early.clone();
        chain.entries.push({
            let mut other = AuditChain::new();
            other
                .append(&k, event_at(datetime!(2026-11-29 08:00 +08:00)))
                .unwrap();
            other.entries.remove(0)
        });
        // relink the pushed entry properly so only its time is wrong
        let last = chain.entries.len() - 1;
        let prev = chain.entries[0].mac;
        let e = &mut chain.entries[last];
        e.seq = 1;
        e.prev = prev;
        let mut buf = Vec::new();
        e.canonical_bytes(&mut buf);
        let tag = hmac::sign(&k.0, &buf);
        e.mac.0.copy_from_slice(tag.as_ref());
        let err = chain.verify(&k).unwrap_err();
        assert_eq!(err.code(), "audit_chain_broken");
        assert_eq!(
            err,
            SecurityError::AuditBroken {
                index: 1,
                problem: ChainProblem::Backdated
            }
        );
    }

    const KINDS: [EventKind; 10] = [
        EventKind::AuthorizationCheck,
        EventKind::Entrustment,
        EventKind::Precheck,
        EventKind::VerificationStart,
        EventKind::DataQuery,
        EventKind::ReportIssue,
        EventKind::PermissionCheck,
        EventKind::Login,
        EventKind::AccountChange,
        EventKind::DocumentArchive,
    ];

    fn key() -> AuditKey {
        AuditKey::new(b"an audit key of thirty-two bytes").unwrap()
    }

    fn event(i: usize) -> AuditEvent {
        let decision = if i % 3 == 0 {
            Decision::Deny
        } else {
            Decision::Permit
        };
        AuditEvent {
            at: datetime!(2026-03-02 08:00 +08:00) + time::Duration::seconds(i as i64 * 37),
            event: KINDS[i % KINDS.len()],
            decision,
            actor: format!("op-{}", i % 17),
            reason: format!("R2 pre-check of `WT-{i}`: 核对授权书有效 ({decision})"),
            context: Sha256Digest::of(format!("request {i}").as_bytes()),
        }
    }

    fn chain(n: usize) -> AuditChain {
        let key = key();
        let mut c = AuditChain::with_capacity(n);
        for i in 0..n {
            c.append(&key, event(i)).unwrap();
        }
        c
    }

    fn broken_at(c: &AuditChain, key: &AuditKey, head: &AuditHead) -> Option<usize> {
        match c.verify_against(key, head) {
            Ok(()) => None,
            Err(SecurityError::AuditBroken { index, .. }) => Some(index),
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    #[test]
    fn kind_names_match_serde() {
        for k in KINDS {
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
    }

    #[test]
    fn append_links_and_verifies() {
        let c = chain(5);
        assert_eq!(c.len(), 5);
        assert_eq!(c.entries()[0].prev, AuditMac::GENESIS);
        for w in c.entries().windows(2) {
            assert_eq!(w[1].prev, w[0].mac);
        }
        c.verify(&key()).unwrap();
        c.verify_against(&key(), &c.head()).unwrap();
        let other = AuditKey::new(&[1u8; 32]).unwrap();
        assert_eq!(
            c.verify(&other).unwrap_err(),
            SecurityError::AuditBroken {
                index: 0,
                problem: ChainProblem::Mac
            }
        );
        assert_eq!(
            AuditKey::new(&[0u8; 31]).unwrap_err().code(),
            "audit_key_length"
        );
        AuditChain::new().verify(&key()).unwrap();
        AuditChain::new()
            .verify_against(&key(), &AuditChain::new().head())
            .unwrap();
    }

    #[test]
    fn canonical_bytes_are_as_documented() {
        let c = chain(2);
        let e = &c.entries()[1];
        let mut buf = Vec::new();
        e.canonical_bytes(&mut buf);
        let mut want = Vec::new();
        want.extend_from_slice(b"hedui-audit-v1\0");
        want.extend_from_slice(&1u64.to_be_bytes());
        want.extend_from_slice(c.entries()[0].mac.as_bytes());
        want.extend_from_slice(&e.at.unix_timestamp_nanos().to_be_bytes());
        want.extend_from_slice(&(8 * 3600i32).to_be_bytes());
        want.extend_from_slice(&11u64.to_be_bytes());
        want.extend_from_slice(b"entrustment");
        want.push(1);
        for s in [e.actor.as_str(), e.reason.as_str()] {
            want.extend_from_slice(&(s.len() as u64).to_be_bytes());
            want.extend_from_slice(s.as_bytes());
        }
        want.extend_from_slice(e.context.as_bytes());
        assert_eq!(buf, want);
        let raw = hmac::sign(&key().0, &want);
        assert_eq!(raw.as_ref(), e.mac.as_bytes());
    }

    #[test]
    fn unrepresentable_times_are_refused() {
        let mut c = AuditChain::new();
        let mut ev = event(0);
        ev.at = datetime!(2026-03-02 08:00 +08:00:30);
        assert_eq!(
            c.append(&key(), ev).unwrap_err().code(),
            "audit_time_invalid"
        );
        let mut ev = event(0);
        ev.at = datetime!(-0001-03-02 08:00 UTC);
        assert_eq!(
            c.append(&key(), ev).unwrap_err().code(),
            "audit_time_invalid"
        );
        assert!(c.is_empty());
    }

    /// Changes one field of `e` by one byte, the field chosen by `which`.
    fn mutate(e: &mut AuditEntry, which: usize, at: usize) {
        match which % 9 {
            0 => e.seq ^= 1 << (8 * (at % 8)),
            1 => {
                if at % 2 == 0 {
                    e.at += time::Duration::nanoseconds(1);
                } else {
                    e.at = e.at.to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
                }
            }
            2 => {
                let pos = KINDS.iter().position(|k| *k == e.event).unwrap();
                e.event = KINDS[(pos + 1 + at % 9) % KINDS.len()];
            }
            3 => {
                e.decision = match e.decision {
                    Decision::Permit => Decision::Deny,
                    Decision::Deny => Decision::Permit,
                }
            }
            4 => flip_ascii(&mut e.actor, at),
            5 => flip_ascii(&mut e.reason, at),
            6 => e.context = flipped_digest(&e.context, at),
            7 => e.prev.0[at % 32] ^= 0x80,
            _ => e.mac.0[at % 32] ^= 0x01,
        }
    }

    fn flip_ascii(s: &mut String, at: usize) {
        let mut bytes = std::mem::take(s).into_bytes();
        let ascii: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] < 0x40).collect();
        let i = ascii[at % ascii.len()];
        bytes[i] ^= 0x01;
        *s = String::from_utf8(bytes).unwrap();
    }

    fn flipped_digest(d: &Sha256Digest, at: usize) -> Sha256Digest {
        let mut b = *d.as_bytes();
        b[at % 32] ^= 0x10;
        Sha256Digest::from_bytes(b)
    }

    /// The issue's acceptance test: in a 1,000-entry chain, a change to any field of any entry,
    /// and the deletion, insertion or swap of any entry, is reported at that entry.
    #[test]
    fn every_change_deletion_insertion_and_swap_is_found_at_its_entry() {
        const N: usize = 1000;
        let key = key();
        let mut c = chain(N);
        let head = c.head();
        assert_eq!(broken_at(&c, &key, &head), None);

        // A one-byte change in every entry, cycling through all nine fields and positions.
        for i in 0..N {
            let saved = c.entries[i].clone();
            mutate(&mut c.entries[i], i, i / 9);
            // (compared by canonical bytes: `OffsetDateTime` equality ignores the offset)
            let (mut before, mut after) = (Vec::new(), Vec::new());
            saved.canonical_bytes(&mut before);
            c.entries[i].canonical_bytes(&mut after);
            assert!(
                before != after || c.entries[i].mac != saved.mac,
                "entry {i} unchanged"
            );
            assert_eq!(broken_at(&c, &key, &head), Some(i), "change in entry {i}");
            c.entries[i] = saved;
        }

        // Deleting any entry, the last one included (found through the head).
        for i in 0..N {
            let saved = c.entries.remove(i);
            assert_eq!(broken_at(&c, &key, &head), Some(i), "deletion of {i}");
            c.entries.insert(i, saved);
        }

        // Inserting a forged entry anywhere: written with another key, or a replayed copy of
        // another entry.
        let forger = AuditKey::new(&[9u8; 32]).unwrap();
        for i in 0..=N {
            let forged = if i % 2 == 0 {
                let mut f = AuditChain::new();
                for j in 0..i {
                    f.entries.push(c.entries[j].clone());
                }
                f.append(&forger, event(i + 1)).unwrap();
                f.entries.pop().unwrap()
            } else {
                c.entries[(i + 7) % N].clone()
            };
            c.entries.insert(i, forged);
            assert_eq!(broken_at(&c, &key, &head), Some(i), "insertion at {i}");
            c.entries.remove(i);
        }

        // Swapping neighbours, and entries far apart.
        for i in 0..N - 1 {
            let j = if i % 2 == 0 { i + 1 } else { (i * 31) % N };
            let (a, b) = (i.min(j), i.max(j));
            if a == b {
                continue;
            }
            c.entries.swap(a, b);
            assert_eq!(broken_at(&c, &key, &head), Some(a), "swap of {a} and {b}");
            c.entries.swap(a, b);
        }
        assert_eq!(broken_at(&c, &key, &head), None);
    }

    /// Every byte position of the JSONL form is covered: a changed byte makes its line
    /// unreadable or non-canonical (reported with the line), or is found by `verify` at the
    /// entry.
    #[test]
    fn every_jsonl_byte_change_is_found_at_its_line() {
        const N: usize = 1000;
        let key = key();
        let c = chain(N);
        let text = c.to_jsonl().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(AuditChain::from_jsonl(&text).unwrap(), c);
        assert_eq!(AuditChain::from_json(&c.to_json().unwrap()).unwrap(), c);
        let mut work = c.clone();
        let mut by_line = 0;
        let mut by_verify = 0;
        for (i, line) in lines.iter().enumerate() {
            // position i walks the whole line over the 1,000 entries (lines are ~320 bytes)
            let bytes = line.as_bytes();
            let mut pos = (i * 7) % bytes.len();
            while bytes[pos] >= 0x80 {
                pos = (pos + 1) % bytes.len();
            }
            for replacement in [bytes[pos] ^ 0x01, bytes[pos] ^ 0x20] {
                if !(0x20..0x80).contains(&replacement) {
                    continue;
                }
                let mut changed = bytes.to_vec();
                changed[pos] = replacement;
                let changed = String::from_utf8(changed).unwrap();
                match parse_line(i + 1, &changed) {
                    Err(SecurityError::AuditLine { line, .. }) => {
                        assert_eq!(line, i + 1);
                        by_line += 1;
                    }
                    Err(e) => panic!("{e}"),
                    Ok(entry) => {
                        let saved = std::mem::replace(&mut work.entries[i], entry);
                        assert_eq!(
                            broken_at(&work, &key, &c.head()),
                            Some(i),
                            "line {i} pos {pos}: {changed}"
                        );
                        work.entries[i] = saved;
                        by_verify += 1;
                    }
                }
            }
        }
        assert!(by_line > 100 && by_verify > 100, "{by_line} {by_verify}");

        // The whole-file reader reports the same line.
        let mut t = text.clone().into_bytes();
        let at = lines[..500].iter().map(|l| l.len() + 1).sum::<usize>() + 3;
        t[at] = b' ';
        match AuditChain::from_jsonl(std::str::from_utf8(&t).unwrap()) {
            Err(SecurityError::AuditLine { line, .. }) => assert_eq!(line, 501),
            other => panic!("{other:?}"),
        }
        // Uppercase hex parses to the same digest but is not canonical.
        let hex = c.entries()[3].context.to_string();
        let upper = lines[3].replace(&hex, &hex.to_uppercase());
        assert_ne!(upper, lines[3]);
        assert!(parse_line(4, &upper).is_err());
        assert!(AuditChain::from_jsonl("").unwrap().is_empty());
        assert!(AuditChain::from_jsonl("\n\n").is_err());
    }
}
