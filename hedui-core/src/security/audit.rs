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

use ::hmac::Mac as _;
use ring::hmac;
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, OffsetDateTime};

use super::findings::ChainProblem;
use super::signing::{ReportKeyring, ReportSigner};
use crate::digest::{DigestSignature, MacAlgorithm, Sha256Digest};
use crate::error::{Error, SecurityError};

/// Domain-separation tag at the start of the canonical bytes of an HMAC-SHA256 entry.
const CANONICAL_TAG: &[u8; 15] = b"hedui-audit-v2\0";
/// Domain-separation tag at the start of the canonical bytes of an HMAC-SM3 entry: the
/// algorithm is bound into the MAC'd bytes, so an entry's bytes never verify under the other
/// suite's reading of them.
const CANONICAL_TAG_SM3: &[u8; 24] = b"hedui-audit-v2-hmac-sm3\0";
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

/// The canonical-bytes tag of an entry MACed with `algorithm`.
fn canonical_tag(algorithm: MacAlgorithm) -> &'static [u8] {
    match algorithm {
        MacAlgorithm::HmacSha256 => CANONICAL_TAG,
        MacAlgorithm::HmacSm3 => CANONICAL_TAG_SM3,
    }
}

/// An HMAC tag (HMAC-SHA256 or HMAC-SM3, both 32 bytes) of an audit entry, written as 64
/// lowercase hex characters.
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
            "description": "HMAC-SHA256 or HMAC-SM3 tag as 64 lowercase hex characters",
            "pattern": "^[0-9a-f]{64}$"
        })
    }
}

/// The format of audit entries this version writes and reads: `2`, whose canonical bytes
/// start with the tag `hedui-audit-v2` and bind the chain id and the key id (see
/// [`AuditChain`]). Format 1 (no chain id, no key id) is refused with
/// [`SecurityError::AuditFormat`].
pub const AUDIT_FORMAT: u32 = 2;

/// Longest chain id or key id, in bytes.
const MAX_ID_BYTES: usize = 128;

/// Checks a chain id or key id: 1 to 128 printable ASCII characters, no spaces, so that it
/// can name a file, a database row or a key-store entry as it is.
fn check_id(what: &'static str, id: &str) -> Result<(), SecurityError> {
    let reason = if id.is_empty() {
        "it is empty"
    } else if id.len() > MAX_ID_BYTES {
        "it is longer than 128 bytes"
    } else if !id.bytes().all(|b| b.is_ascii_graphic()) {
        "it must be printable ascii without spaces"
    } else {
        return Ok(());
    };
    Err(SecurityError::AuditId {
        what,
        id: id.chars().take(MAX_ID_BYTES).collect(),
        reason: reason.to_owned(),
    })
}

/// One of the host's secret audit-chain keys (HMAC-SHA256, or HMAC-SM3 under the
/// commercial-cryptography suite), with the id that entries MACed with it carry (`key_id`).
///
/// The key is at least 32 bytes from a CSPRNG, kept apart from the log it protects (a key
/// store, an HSM, a file readable only by the service). Whoever holds it can write entries
/// under its id; whoever does not, cannot.
#[derive(Clone)]
pub struct AuditKey {
    id: String,
    key: MacKey,
}

/// A keyed MAC ready to use: ring's precomputed HMAC-SHA256 key, or the HMAC-SM3 state after
/// the key block, cloned for each message so the key schedule runs once per key.
#[derive(Clone)]
enum MacKey {
    Sha256(hmac::Key),
    Sm3(::hmac::Hmac<sm3::Sm3>),
}

impl AuditKey {
    /// Wraps a secret of at least 32 bytes under the id `key_id` (1 to 128 printable ASCII
    /// characters, e.g. `audit-2026-1`).
    ///
    /// # Errors
    /// [`SecurityError::AuditKeyLength`] for a shorter secret, [`SecurityError::AuditId`] for
    /// an empty or malformed id.
    pub fn new(key_id: impl Into<String>, secret: &[u8]) -> Result<Self, SecurityError> {
        Self::with_algorithm(key_id, secret, MacAlgorithm::HmacSha256)
    }

    /// As [`new`](Self::new), for the MAC algorithm `algorithm`: HMAC-SM3 under the
    /// commercial-cryptography suite ([`CryptoSuite::mac_algorithm`](crate::rulebook::CryptoSuite::mac_algorithm)
    /// gives a rulebook's).
    ///
    /// ```
    /// use hedui_core::{MacAlgorithm, security::AuditKey};
    /// let key = AuditKey::with_algorithm("audit-2026", &[1u8; 32], MacAlgorithm::HmacSm3)?;
    /// assert_eq!(key.algorithm(), MacAlgorithm::HmacSm3);
    /// # Ok::<(), hedui_core::error::SecurityError>(())
    /// ```
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_algorithm(
        key_id: impl Into<String>,
        secret: &[u8],
        algorithm: MacAlgorithm,
    ) -> Result<Self, SecurityError> {
        let id = key_id.into();
        check_id("key id", &id)?;
        if secret.len() < MIN_KEY_BYTES {
            return Err(SecurityError::AuditKeyLength {
                min: MIN_KEY_BYTES,
                found: secret.len(),
            });
        }
        let key = match algorithm {
            MacAlgorithm::HmacSha256 => MacKey::Sha256(hmac::Key::new(hmac::HMAC_SHA256, secret)),
            MacAlgorithm::HmacSm3 => {
                // HMAC takes keys of any length (longer ones are hashed first): no error here.
                let Ok(mac) = <::hmac::Hmac<sm3::Sm3> as ::hmac::Mac>::new_from_slice(secret)
                else {
                    return Err(SecurityError::AuditKeyLength {
                        min: MIN_KEY_BYTES,
                        found: secret.len(),
                    });
                };
                MacKey::Sm3(mac)
            }
        };
        Ok(AuditKey { id, key })
    }

    /// The key id entries MACed with this key carry.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The key's MAC algorithm.
    pub fn algorithm(&self) -> MacAlgorithm {
        match self.key {
            MacKey::Sha256(_) => MacAlgorithm::HmacSha256,
            MacKey::Sm3(_) => MacAlgorithm::HmacSm3,
        }
    }

    /// The MAC of `bytes` under this key.
    fn sign(&self, bytes: &[u8]) -> AuditMac {
        let mut out = [0u8; 32];
        match &self.key {
            MacKey::Sha256(k) => out.copy_from_slice(hmac::sign(k, bytes).as_ref()),
            MacKey::Sm3(k) => {
                let mut m = k.clone();
                m.update(bytes);
                out.copy_from_slice(&m.finalize().into_bytes());
            }
        }
        AuditMac(out)
    }

    /// Whether `mac` is the MAC of `bytes` under this key (constant-time comparison).
    fn verifies(&self, bytes: &[u8], mac: &AuditMac) -> bool {
        match &self.key {
            MacKey::Sha256(k) => hmac::verify(k, bytes, &mac.0).is_ok(),
            MacKey::Sm3(k) => {
                let mut m = k.clone();
                m.update(bytes);
                m.verify_slice(&mac.0).is_ok()
            }
        }
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey({}, {}, ..)", self.id, self.algorithm())
    }
}

/// The audit MAC keys a host holds, by id: what [`AuditChain::verify`] checks every entry
/// against, and, in its last added key, the key new entries are MACed with.
///
/// To rotate, add the new key: entries from then on carry its id, and the older keys stay in
/// the keyring as long as the entries they MACed must verify. An entry whose key id is not in
/// the keyring fails verification ([`SecurityError::AuditKeyUnknown`]).
///
/// ```
/// use hedui_core::security::{AuditKey, AuditKeyring};
/// let mut keyring = AuditKeyring::new();
/// keyring.add(AuditKey::new("audit-2025", &[1u8; 32])?)?;
/// keyring.add(AuditKey::new("audit-2026", &[2u8; 32])?)?;
/// assert_eq!(keyring.current().map(|k| k.id()), Some("audit-2026"));
/// assert!(keyring.add(AuditKey::new("audit-2026", &[3u8; 32])?).is_err());
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
#[derive(Clone, Default)]
pub struct AuditKeyring {
    keys: Vec<AuditKey>,
    /// The MAC algorithm of the keys the hosts add by secret alone.
    algorithm: MacAlgorithm,
}

impl AuditKeyring {
    /// A keyring without keys, for HMAC-SHA256 keys (the international suite).
    pub fn new() -> Self {
        Self::default()
    }

    /// A keyring without keys under the crypto suite `suite` (the rulebook's
    /// `security.crypto_suite`): [`algorithm`](Self::algorithm) is the suite's MAC algorithm,
    /// HMAC-SM3 under `shangmi`, so the keys a host adds by secret alone follow the rulebook.
    /// Keys of the other algorithm may still be added ([`AuditKey::with_algorithm`]) to verify
    /// the entries they MACed before the suite changed.
    pub fn under(suite: crate::rulebook::CryptoSuite) -> Self {
        AuditKeyring {
            keys: Vec::new(),
            algorithm: suite.mac_algorithm(),
        }
    }

    /// The MAC algorithm of the suite the keyring was made under.
    pub fn algorithm(&self) -> MacAlgorithm {
        self.algorithm
    }

    /// Adds a key; it becomes the [`current`](Self::current) one.
    ///
    /// # Errors
    /// [`SecurityError::AuditId`] when a key with this id is already in the keyring: an id
    /// names one key for good.
    pub fn add(&mut self, key: AuditKey) -> Result<(), SecurityError> {
        if self.get(&key.id).is_some() {
            return Err(SecurityError::AuditId {
                what: "key id",
                id: key.id,
                reason: "a key with this id is already in the keyring".to_owned(),
            });
        }
        self.keys.push(key);
        Ok(())
    }

    /// The key with id `key_id`.
    pub fn get(&self, key_id: &str) -> Option<&AuditKey> {
        self.keys.iter().find(|k| k.id == key_id)
    }

    /// The key added last: the one new entries are MACed with.
    pub fn current(&self) -> Option<&AuditKey> {
        self.keys.last()
    }

    /// The key ids, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the keyring holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

impl From<AuditKey> for AuditKeyring {
    fn from(key: AuditKey) -> Self {
        AuditKeyring {
            algorithm: key.algorithm(),
            keys: vec![key],
        }
    }
}

impl fmt::Debug for AuditKeyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.ids()).finish()
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
    /// The entry format, [`AUDIT_FORMAT`] (`2`).
    pub format: u32,
    /// The id of the chain the entry belongs to.
    pub chain: String,
    /// Position in the chain, from 0.
    pub seq: u64,
    /// The id of the key the entry is MACed with.
    pub key_id: String,
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
    /// The MAC algorithm, the key's: omitted in JSON for HMAC-SHA256.
    #[serde(default, skip_serializing_if = "MacAlgorithm::is_hmac_sha256")]
    pub mac_algorithm: MacAlgorithm,
    /// The MAC (of `mac_algorithm`) over the entry's canonical bytes.
    pub mac: AuditMac,
}

impl AuditEntry {
    /// Writes the entry's canonical bytes (see [`AuditChain`]) into `out`, replacing
    /// its content. The `format` and `mac` fields are not part of them (the format is the
    /// tag's).
    pub fn canonical_bytes(&self, out: &mut Vec<u8>) {
        write_canonical(
            out,
            self.mac_algorithm,
            &self.chain,
            self.seq,
            &self.key_id,
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
    algorithm: MacAlgorithm,
    chain: &str,
    seq: u64,
    key_id: &str,
    prev: &AuditMac,
    at: OffsetDateTime,
    event: EventKind,
    decision: Decision,
    actor: &str,
    reason: &str,
    context: &Sha256Digest,
) {
    let name = event.as_str();
    // `out` is reused from entry to entry, so it keeps its capacity and rarely grows
    out.clear();
    out.extend_from_slice(canonical_tag(algorithm));
    push_str(out, chain);
    out.extend_from_slice(&seq.to_be_bytes());
    push_str(out, key_id);
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

/// The MAC of `bytes` under `key`, in the key's algorithm.
pub(super) fn mac_of(key: &AuditKey, bytes: &[u8]) -> AuditMac {
    key.sign(bytes)
}

#[inline]
pub(super) fn push_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Where a chain ended when it was last seen: which chain, how many entries, the last MAC.
/// Kept outside the chain (another system, a write-once store), it lets
/// [`AuditChain::verify_against`] notice a swapped chain, entries cut off the end and a log
/// rolled back to an older copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    /// The chain id.
    pub chain: String,
    /// Number of entries.
    pub entries: u64,
    /// `mac` of the last entry ([`AuditMac::GENESIS`] for an empty chain).
    pub mac: AuditMac,
}

impl AuditHead {
    /// The tag that starts a head's canonical bytes: a signature over a head can never be
    /// taken for one over a report or an entry.
    pub const TAG: &'static [u8] = b"hedui-audit-head-v1\0";

    /// The bytes a head's signature covers: [`TAG`](Self::TAG), the chain id (its byte length
    /// as a `u64`, then UTF-8), the number of entries (`u64`) and the last MAC (32 bytes),
    /// integers big-endian.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::TAG.len() + 8 + self.chain.len() + 8 + 32);
        out.extend_from_slice(Self::TAG);
        push_str(&mut out, &self.chain);
        out.extend_from_slice(&self.entries.to_be_bytes());
        out.extend_from_slice(self.mac.as_bytes());
        out
    }

    /// The SHA-256 of [`canonical_bytes`](Self::canonical_bytes): what the signer signs.
    pub fn digest(&self) -> Sha256Digest {
        Sha256Digest::of(&self.canonical_bytes())
    }

    /// The head signed with the agency's signing key (Ed25519, as reports are signed), to be
    /// stored where whoever holds the audit MAC keys cannot write (N §三 密码管理): a head kept
    /// beside the log could be rewritten together with it; a signed one cannot without the
    /// signing key.
    pub fn sign(&self, signer: &ReportSigner) -> SignedAuditHead {
        SignedAuditHead {
            head: self.clone(),
            signature: signer.sign(&self.digest()),
        }
    }
}

/// An [`AuditHead`] with the agency's signature over its
/// [`canonical_bytes`](AuditHead::canonical_bytes): a checkpoint a deployment stores apart from
/// the log (another system, a write-once store, a printed register) and checks with the
/// public keys it trusts before using the head with [`AuditChain::verify_against`].
///
/// ```
/// use hedui_core::security::{AuditChain, ReportKeyring, ReportSigner};
///
/// let signer = ReportSigner::from_seed("agency-2026", &[9u8; 32])?;
/// let mut trusted = ReportKeyring::default();
/// trusted.add(signer.trusted_key())?;
/// let head = AuditChain::new("A-141002/2026")?.head();
/// let signed = head.sign(&signer);
/// assert_eq!(signed.open(&trusted)?, &head);
///
/// let mut forged = signed.clone();
/// forged.head.entries += 1;
/// assert_eq!(forged.open(&trusted).unwrap_err().code(), "audit_head_signature_invalid");
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignedAuditHead {
    /// The head.
    pub head: AuditHead,
    /// The signature over the head's digest, with the id of the key that made it.
    pub signature: DigestSignature,
}

impl SignedAuditHead {
    /// The head, once its signature verifies with a key of `trusted`.
    ///
    /// # Errors
    /// [`SecurityError::AuditHeadSignature`] when the signature names a key `trusted` does not
    /// hold, or does not verify over the head (any field changed, or another head's
    /// signature).
    pub fn open(&self, trusted: &ReportKeyring) -> Result<&AuditHead, SecurityError> {
        trusted
            .verify(&self.head.digest(), &self.signature)
            .map_err(|e| SecurityError::AuditHeadSignature {
                chain: self.head.chain.clone(),
                key_id: self.signature.key_id.clone(),
                reason: match e {
                    SecurityError::UnknownSigningKey { .. } => "the key is not trusted".into(),
                    _ => "the signature does not verify".into(),
                },
            })?;
        Ok(&self.head)
    }
}

/// The record of a disposal of audit entries: which chain, what went, when, under which
/// retention, and the tag the first remaining entry's `prev` must name; MACed with an audit
/// key over its [`canonical_bytes`](Self::canonical_bytes), so that it cannot be made up or
/// changed without the key, and what remains of the chain verifies from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LogDisposal {
    /// The id of the chain the entries were disposed of from.
    pub chain: String,
    /// Day of the disposal.
    #[serde(serialize_with = "crate::wire::date")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub disposed_on: Date,
    /// Retention in months it was made under ([`Retention::log_months`](crate::rulebook::Retention::log_months)).
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
    /// The id of the audit key the record is MACed with.
    pub key_id: String,
    /// HMAC-SHA256 over the record's [`canonical_bytes`](Self::canonical_bytes).
    pub mac: AuditMac,
}

impl LogDisposal {
    /// The tag that starts a record's canonical bytes: its MAC can never be taken for an
    /// entry's.
    pub const TAG: &'static [u8] = b"hedui-log-disposal-v1\0";

    /// The bytes the record's `mac` covers: [`TAG`](Self::TAG), then `chain`, `key_id`,
    /// `disposed_on` (Julian day, `i32`), `log_months` (`u32`), `entries`, `first_seq`,
    /// `last_seq` (`u64` each), `youngest_at` (Unix time in nanoseconds, `i128`, and the UTC
    /// offset in seconds, `i32`), `kept_until` (Julian day, `i32`) and `last_mac` (32 bytes);
    /// integers big-endian, strings UTF-8 preceded by their byte length as a `u64`.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            Self::TAG.len() + 16 + self.chain.len() + self.key_id.len() + 40 + 20 + 4 + 32,
        );
        out.extend_from_slice(Self::TAG);
        push_str(&mut out, &self.chain);
        push_str(&mut out, &self.key_id);
        out.extend_from_slice(&self.disposed_on.to_julian_day().to_be_bytes());
        out.extend_from_slice(&self.log_months.to_be_bytes());
        out.extend_from_slice(&self.entries.to_be_bytes());
        out.extend_from_slice(&self.first_seq.to_be_bytes());
        out.extend_from_slice(&self.last_seq.to_be_bytes());
        out.extend_from_slice(&self.youngest_at.unix_timestamp_nanos().to_be_bytes());
        out.extend_from_slice(&self.youngest_at.offset().whole_seconds().to_be_bytes());
        out.extend_from_slice(&self.kept_until.to_julian_day().to_be_bytes());
        out.extend_from_slice(self.last_mac.as_bytes());
        out
    }
}

/// An append-only, tamper-evident audit log (R11, N §三).
///
/// A chain has an id, chosen by the host once when the chain starts (a UUID, or the agency
/// and the start date: `A-141002/2026-01`), and every entry carries it and the id of the key
/// it is MACed with. Serialises as a JSON object `{"chain": id, "entries": [...]}`;
/// [`to_jsonl`](Self::to_jsonl) writes one entry per line for hosts that append to a file.
///
/// # Canonical form (format 2)
///
/// Entry `n`'s [`mac`](AuditEntry::mac) is HMAC-SHA256, under the key its `key_id` names,
/// over these bytes, in this order (integers big-endian, strings UTF-8 preceded by their byte
/// length as a `u64`):
///
/// | bytes | field |
/// |---|---|
/// | 15 | the tag `hedui-audit-v2` followed by one zero byte |
/// | 8 + n | `chain`: the chain id |
/// | 8 | `seq` (`u64`), equal to the entry's index in the chain |
/// | 8 + n | `key_id`: the id of the key that MACs the entry |
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
/// can be checked against it. Format 1 (tag `hedui-audit-v1`, no chain id, no key id) is not
/// read: its logs are refused with `audit_format_unsupported`.
///
/// # What is detected
///
/// [`AuditChain::verify`] finds the first entry that is wrong, each with its own code:
///
/// | what happened | code |
/// |---|---|
/// | a changed byte in any field; a deleted, inserted or reordered entry | `audit_chain_broken` |
/// | entries of another chain (same key, other chain id) spliced in | `audit_chain_spliced` |
/// | the whole log is another chain's | `audit_chain_swapped` |
/// | an entry dated before the one it follows (backdating) | `audit_chain_backdated` |
/// | an entry MACed with a key the keyring does not hold | `audit_key_unknown` |
///
/// Cutting entries off the *end*, or putting back an older copy of the log, leaves a chain that
/// is valid in itself; to detect it keep the chain's [`AuditHead`] somewhere else (another
/// system, a write-once store) and use [`AuditChain::verify_against`]: a chain shorter than
/// its head is `audit_chain_truncated`, and one whose entry at the head's position is another
/// (rolled back to an older copy and written on from there) is `audit_chain_rolled_back`.
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
/// use hedui_core::{Sha256Digest, security::{AuditChain, AuditEvent, AuditKey, AuditKeyring, Decision, EventKind}};
/// use time::macros::datetime;
///
/// // a host takes the secret from a CSPRNG and a key store
/// let keyring = AuditKeyring::from(AuditKey::new("audit-2026", &[7u8; 32])?);
/// let mut chain = AuditChain::new("A-141002/2026")?;
/// let head = chain.append(keyring.current().unwrap(), AuditEvent {
///     at: datetime!(2026-03-02 10:00 +08:00),
///     event: EventKind::Precheck,
///     decision: Decision::Permit,
///     actor: "op-7".into(),
///     reason: "R2 pre-check of `WT-1` passed".into(),
///     context: Sha256Digest::of(b"{\"entrustment\":\"WT-1\"}"),
/// })?;
/// chain.verify_against(&keyring, &head)?; // the host keeps `head` apart from the log
///
/// let mut text = chain.to_jsonl()?;
/// text = text.replace("passed", "failed");
/// let err = AuditChain::open_jsonl(&text, &keyring, &head).unwrap_err();
/// assert_eq!(err.code(), "audit_chain_broken");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AuditChain {
    /// The chain id.
    chain: String,
    /// The entries, oldest first.
    entries: Vec<AuditEntry>,
    /// The record of the last disposal of the chain's oldest entries, when there was one:
    /// the entries start after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disposal: Option<LogDisposal>,
    /// Reused buffer for canonical bytes, so appends do not allocate for them.
    #[serde(skip)]
    #[cfg_attr(feature = "schemas", schemars(skip))]
    scratch: Vec<u8>,
}

impl PartialEq for AuditChain {
    fn eq(&self, other: &Self) -> bool {
        self.chain == other.chain
            && self.entries == other.entries
            && self.disposal == other.disposal
    }
}

impl Eq for AuditChain {}

impl fmt::Debug for AuditChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditChain")
            .field("chain", &self.chain)
            .field("entries", &self.entries.len())
            .field("head", &self.head().mac)
            .finish()
    }
}

impl AuditChain {
    /// An empty chain with the id `chain` (1 to 128 printable ASCII characters, unique among
    /// the host's chains).
    ///
    /// # Errors
    /// [`SecurityError::AuditId`] for an empty or malformed id.
    pub fn new(chain: impl Into<String>) -> Result<Self, SecurityError> {
        Self::with_capacity(chain, 0)
    }

    /// An empty chain with room for `entries` entries.
    ///
    /// # Errors
    /// As [`new`](Self::new).
    pub fn with_capacity(chain: impl Into<String>, entries: usize) -> Result<Self, SecurityError> {
        let chain = chain.into();
        check_id("chain id", &chain)?;
        Ok(AuditChain {
            chain,
            entries: Vec::with_capacity(entries),
            disposal: None,
            scratch: Vec::with_capacity(256),
        })
    }

    /// The chain id.
    pub fn id(&self) -> &str {
        &self.chain
    }

    /// Where the entries start: the sequence number of the first and the `prev` it names —
    /// 0 and [`AuditMac::GENESIS`], or after the record of the last disposal.
    fn start(&self) -> (u64, AuditMac) {
        self.disposal.as_ref().map_or((0, AuditMac::GENESIS), |d| {
            (d.last_seq.saturating_add(1), d.last_mac)
        })
    }

    /// The chain read from a log whose oldest entries were disposed of
    /// ([`dispose`](Self::dispose)), to start after `disposal`, the record of the last
    /// disposal: its first entry is then `last_seq + 1` and names `last_mac`. The record is
    /// checked by [`verify`](Self::verify), not here.
    #[must_use]
    pub fn after_disposal(mut self, disposal: LogDisposal) -> Self {
        self.disposal = Some(disposal);
        self
    }

    /// The record of the last disposal the entries start after, if any.
    pub fn disposal(&self) -> Option<&LogDisposal> {
        self.disposal.as_ref()
    }

    /// Drops the entries `record` says were disposed of (from the oldest) and keeps the record
    /// as the chain's start: the second half of [`dispose`](Self::dispose).
    pub(super) fn drop_disposed(&mut self, record: &LogDisposal) {
        let gone = usize::try_from(record.entries)
            .unwrap_or(usize::MAX)
            .min(self.entries.len());
        self.entries.drain(..gone);
        self.disposal = Some(record.clone());
    }

    /// Appends `event` as the next entry, linked to the last one and MACed with `key` (whose
    /// id the entry carries), and returns the new head (keep it apart from the chain to detect
    /// truncation and rollback).
    ///
    /// The hot path writes the canonical bytes into a buffer the chain reuses and computes one
    /// HMAC; nothing is formatted or serialised. Append to a chain read from storage only after
    /// [`verify_against`](Self::verify_against) passed with the stored head, or the new
    /// entries vouch for a forged past ([`open_jsonl`](Self::open_jsonl) does both).
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
        let (start, start_mac) = self.start();
        let seq = start.saturating_add(self.entries.len() as u64);
        let prev = self.entries.last().map_or(start_mac, |e| e.mac);
        let mac_algorithm = key.algorithm();
        write_canonical(
            &mut self.scratch,
            mac_algorithm,
            &self.chain,
            seq,
            &key.id,
            &prev,
            event.at,
            event.event,
            event.decision,
            &event.actor,
            &event.reason,
            &event.context,
        );
        let mac = key.sign(&self.scratch);
        self.entries.push(AuditEntry {
            format: AUDIT_FORMAT,
            chain: self.chain.clone(),
            seq,
            key_id: key.id.clone(),
            at: event.at,
            event: event.event,
            decision: event.decision,
            actor: event.actor,
            reason: event.reason,
            context: event.context,
            prev,
            mac_algorithm,
            mac,
        });
        Ok(AuditHead {
            chain: self.chain.clone(),
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
        let (start, start_mac) = self.start();
        AuditHead {
            chain: self.chain.clone(),
            entries: start.saturating_add(self.entries.len() as u64),
            mac: self.entries.last().map_or(start_mac, |e| e.mac),
        }
    }

    /// Checks the record of the disposal the chain starts after, if any: that it is this
    /// chain's and that its MAC verifies under the key it names.
    fn verify_disposal(&self, keyring: &AuditKeyring) -> Result<(), SecurityError> {
        let Some(d) = &self.disposal else {
            return Ok(());
        };
        if d.chain != self.chain {
            return Err(SecurityError::AuditSwapped {
                expected: self.chain.clone(),
                found: d.chain.clone(),
            });
        }
        let Some(key) = keyring.get(&d.key_id) else {
            return Err(SecurityError::AuditKeyUnknown {
                index: 0,
                key_id: d.key_id.clone(),
            });
        };
        if !key.verifies(&d.canonical_bytes(), &d.mac) {
            return Err(SecurityError::AuditBroken {
                index: 0,
                problem: ChainProblem::Disposal,
            });
        }
        Ok(())
    }

    /// Checks every entry against `keyring`: its format, that it names this chain, its
    /// sequence number, link and key, its MAC (constant-time comparison), and that it is not
    /// dated before the one it follows.
    ///
    /// The first entry is number 0 and names [`AuditMac::GENESIS`], unless the chain starts
    /// after the record of a disposal ([`after_disposal`](Self::after_disposal)): then the
    /// record must be this chain's and its MAC verify, and the first entry is `last_seq + 1`
    /// and names `last_mac`. A chain whose oldest entries were cut without such a record is
    /// broken at its first entry (its sequence number).
    ///
    /// # Errors
    /// The first problem found, at the index of its entry (a problem of the disposal record
    /// at index 0, or [`SecurityError::AuditSwapped`] for a record of another chain):
    /// [`SecurityError::AuditFormat`] for an entry of another format,
    /// [`SecurityError::AuditSwapped`] when the first entry names another chain,
    /// [`SecurityError::AuditSpliced`] when a later one does,
    /// [`SecurityError::AuditBroken`] for a wrong sequence number, link or MAC,
    /// [`SecurityError::AuditKeyUnknown`] for a key id the keyring does not hold,
    /// [`SecurityError::AuditBackdated`] for an entry dated before its predecessor.
    pub fn verify(&self, keyring: &AuditKeyring) -> Result<(), SecurityError> {
        self.verify_disposal(keyring)?;
        let (start, start_mac) = self.start();
        let mut buf = Vec::with_capacity(256);
        let mut prev: Option<&AuditEntry> = None;
        for (index, e) in self.entries.iter().enumerate() {
            let broken = |problem| SecurityError::AuditBroken { index, problem };
            if e.format != AUDIT_FORMAT {
                return Err(SecurityError::AuditFormat {
                    line: index + 1,
                    found: e.format,
                });
            }
            if e.chain != self.chain {
                return Err(if index == 0 {
                    SecurityError::AuditSwapped {
                        expected: self.chain.clone(),
                        found: e.chain.clone(),
                    }
                } else {
                    SecurityError::AuditSpliced {
                        index,
                        chain: self.chain.clone(),
                        found: e.chain.clone(),
                    }
                });
            }
            let expected = start.saturating_add(index as u64);
            if e.seq != expected {
                return Err(broken(ChainProblem::Sequence {
                    expected,
                    found: e.seq,
                }));
            }
            if e.prev != prev.map_or(start_mac, |p| p.mac) {
                return Err(broken(ChainProblem::Link));
            }
            let Some(key) = keyring.get(&e.key_id) else {
                return Err(SecurityError::AuditKeyUnknown {
                    index,
                    key_id: e.key_id.clone(),
                });
            };
            if e.mac_algorithm != key.algorithm() {
                return Err(SecurityError::AuditMacAlgorithm {
                    index,
                    key_id: e.key_id.clone(),
                    entry: e.mac_algorithm,
                    key: key.algorithm(),
                });
            }
            e.canonical_bytes(&mut buf);
            if !key.verifies(&buf, &e.mac) {
                return Err(broken(ChainProblem::Mac));
            }
            if let Some(p) = prev
                && e.at < p.at
            {
                return Err(SecurityError::AuditBackdated {
                    index,
                    at: rfc3339_text(e.at),
                    previous: rfc3339_text(p.at),
                });
            }
            prev = Some(e);
        }
        Ok(())
    }

    /// [`verify`](Self::verify), and checks that this is the chain `head` names and that it
    /// still reaches `head`, recorded earlier and kept apart from the log.
    ///
    /// # Errors
    /// [`SecurityError::AuditSwapped`] when the head names another chain; as
    /// [`verify`](Self::verify); [`SecurityError::AuditTruncated`] when the chain has fewer
    /// entries than the head (entries cut off the end, or an older copy put back);
    /// [`SecurityError::AuditRolledBack`] when the entry at the head's position is not the one
    /// the head names (an older copy put back and written on from there);
    /// [`SecurityError::AuditHeadDisposed`] when the head names an entry disposed of, whose
    /// MAC the chain no longer holds (verify against the newest head).
    pub fn verify_against(
        &self,
        keyring: &AuditKeyring,
        head: &AuditHead,
    ) -> Result<(), SecurityError> {
        if head.chain != self.chain {
            return Err(SecurityError::AuditSwapped {
                expected: head.chain.clone(),
                found: self.chain.clone(),
            });
        }
        self.verify(keyring)?;
        let (start, start_mac) = self.start();
        let entries = start.saturating_add(self.entries.len() as u64);
        if entries < head.entries {
            return Err(SecurityError::AuditTruncated {
                chain: self.chain.clone(),
                entries,
                expected: head.entries,
            });
        }
        if head.entries < start {
            return Err(SecurityError::AuditHeadDisposed {
                chain: self.chain.clone(),
                entries: head.entries,
                start,
            });
        }
        let reached = match head.entries.saturating_sub(start).checked_sub(1) {
            None => Some(start_mac),
            Some(last) => usize::try_from(last)
                .ok()
                .and_then(|i| self.entries.get(i))
                .map(|e| e.mac),
        };
        if reached != Some(head.mac) {
            return Err(SecurityError::AuditRolledBack {
                chain: self.chain.clone(),
                index: head.entries.saturating_sub(1),
            });
        }
        Ok(())
    }

    /// The chain as a JSON object, `{"chain": id, "entries": [...]}`.
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) if an entry cannot be written (not
    /// expected: appended times are checked and read ones came from RFC 3339).
    pub fn to_json(&self) -> Result<String, Error> {
        serde_json::to_string(self).map_err(|e| Error::json("audit chain", &e))
    }

    /// Reads a chain from its JSON object. Reading does not verify; call
    /// [`verify_against`](Self::verify_against).
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) for malformed JSON or unknown fields.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let chain: AuditChain = Error::parse("audit chain", text)?;
        check_id("chain id", &chain.chain)?;
        Ok(chain)
    }

    /// The chain as JSONL: each entry as compact JSON on its own line, each line ended by `\n`.
    /// An empty chain is an empty text: its id lives in the head.
    ///
    /// # Errors
    /// [`InputError::Json`](crate::error::InputError::Json) as for [`to_json`](Self::to_json).
    pub fn to_jsonl(&self) -> Result<String, Error> {
        let mut out = String::with_capacity(self.entries.len() * 400);
        for e in &self.entries {
            let line = serde_json::to_string(e).map_err(|e| Error::json("audit entry", &e))?;
            out.push_str(&line);
            out.push('\n');
        }
        Ok(out)
    }

    /// Reads the chain `chain` from JSONL as [`to_jsonl`](Self::to_jsonl) writes it. A final
    /// newline is optional; every line must be exactly the compact JSON of its entry, so a
    /// reformatted or edited line is refused even where it would parse to the same entry.
    /// Reading does not verify (an entry of another chain is found by
    /// [`verify`](Self::verify)); [`open_jsonl`](Self::open_jsonl) reads and verifies.
    ///
    /// # Errors
    /// [`SecurityError::AuditId`] for a malformed chain id;
    /// [`SecurityError::AuditFormat`] for a line in another format (format 1 among them);
    /// [`SecurityError::AuditLine`] with the 1-based number of the first line that is empty,
    /// malformed or not in canonical form.
    pub fn from_jsonl(chain: impl Into<String>, text: &str) -> Result<Self, SecurityError> {
        let mut out = Self::new(chain)?;
        let body = text.strip_suffix('\n').unwrap_or(text);
        if !body.is_empty() {
            for (i, line) in body.split('\n').enumerate() {
                out.entries.push(parse_line(i + 1, line)?);
            }
        }
        Ok(out)
    }

    /// Reads a chain from JSONL and verifies it against `keyring` and the stored `head`, whose
    /// chain id names the chain: what a host does before it appends to a log it stored.
    ///
    /// # Errors
    /// As [`from_jsonl`](Self::from_jsonl) and [`verify_against`](Self::verify_against).
    pub fn open_jsonl(
        text: &str,
        keyring: &AuditKeyring,
        head: &AuditHead,
    ) -> Result<Self, SecurityError> {
        Self::open_jsonl_after(text, keyring, head, None)
    }

    /// [`open_jsonl`](Self::open_jsonl) for a log whose oldest entries were disposed of:
    /// the chain starts after `disposal`, the record of the last disposal
    /// ([`after_disposal`](Self::after_disposal)); `None` reads a log kept whole.
    ///
    /// # Errors
    /// As [`open_jsonl`](Self::open_jsonl), and as [`verify`](Self::verify) for a record
    /// that is not this chain's or whose MAC does not verify.
    pub fn open_jsonl_after(
        text: &str,
        keyring: &AuditKeyring,
        head: &AuditHead,
        disposal: Option<&LogDisposal>,
    ) -> Result<Self, SecurityError> {
        let mut chain = Self::from_jsonl(head.chain.clone(), text)?;
        chain.disposal = disposal.cloned();
        chain.verify_against(keyring, head)?;
        Ok(chain)
    }
}

/// The fields of a format-1 entry, all of them and no other.
const FORMAT_1_FIELDS: [&str; 9] = [
    "seq", "at", "event", "decision", "actor", "reason", "context", "prev", "mac",
];

/// The format of a line that does not read as a format-2 entry: the number its `format` field
/// gives, or 1 for an object with exactly the fields of a format-1 entry.
fn other_format(text: &str) -> Option<u32> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
    match object.get("format") {
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n != AUDIT_FORMAT),
        None => (object.len() == FORMAT_1_FIELDS.len()
            && FORMAT_1_FIELDS.iter().all(|f| object.contains_key(*f)))
        .then_some(1),
    }
}

/// Reads line `line` (1-based) of a JSONL audit log.
fn parse_line(line: usize, text: &str) -> Result<AuditEntry, SecurityError> {
    let bad = |reason: String| SecurityError::AuditLine { line, reason };
    if text.is_empty() {
        return Err(bad("empty".into()));
    }
    let entry: AuditEntry = match serde_json::from_str(text) {
        Ok(entry) => entry,
        // a line of another format says so, rather than which field it lacks
        Err(e) => {
            return Err(match other_format(text) {
                Some(found) => SecurityError::AuditFormat { line, found },
                None => bad(e.to_string()),
            });
        }
    };
    if entry.format != AUDIT_FORMAT {
        return Err(SecurityError::AuditFormat {
            line,
            found: entry.format,
        });
    }
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

    /// R11: every field of a head is covered by its signature, the tag keeps a head's
    /// signature apart from a signature over the same bytes without it, and only trusted
    /// keys open a checkpoint.
    #[test]
    fn a_signed_head_covers_every_field() {
        let signer = ReportSigner::from_seed("agency", &[5u8; 32]).unwrap();
        let mut trusted = ReportKeyring::default();
        trusted.add(signer.trusted_key()).unwrap();
        let head = AuditHead {
            chain: "A-1".into(),
            entries: 7,
            mac: AuditMac([3u8; 32]),
        };
        let signed = head.sign(&signer);
        assert_eq!(signed.open(&trusted).unwrap(), &head);
        assert!(head.canonical_bytes().starts_with(AuditHead::TAG));

        let changes: [fn(&mut AuditHead); 4] = [
            |h| h.chain = "A-2".into(),
            |h| h.entries = 6,
            |h| h.entries = 8,
            |h| h.mac = AuditMac([4u8; 32]),
        ];
        for change in changes {
            let mut forged = signed.clone();
            change(&mut forged.head);
            let err = forged.open(&trusted).unwrap_err();
            assert_eq!(err.code(), "audit_head_signature_invalid");
            assert!(err.to_string().contains("does not verify"), "{err}");
        }

        // a signature over the head's fields without the tag is not a head signature
        let untagged = head
            .canonical_bytes()
            .get(AuditHead::TAG.len()..)
            .unwrap()
            .to_vec();
        let other = SignedAuditHead {
            head: head.clone(),
            signature: signer.sign(&Sha256Digest::of(&untagged)),
        };
        assert_eq!(
            other.open(&trusted).unwrap_err().code(),
            "audit_head_signature_invalid"
        );

        // an untrusted key, even under a trusted key's id
        let stranger = ReportSigner::from_seed("agency", &[6u8; 32]).unwrap();
        let err = head.sign(&stranger).open(&trusted).unwrap_err();
        assert_eq!(err.code(), "audit_head_signature_invalid");
        let unknown = ReportSigner::from_seed("someone", &[5u8; 32]).unwrap();
        let err = head.sign(&unknown).open(&trusted).unwrap_err();
        assert!(err.to_string().contains("not trusted"), "{err}");
    }

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
        let mut chain = AuditChain::new(CHAIN).unwrap();
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
        let mut early = AuditChain::new(CHAIN).unwrap();
        early
            .append(&k, event_at(datetime!(2026-11-29 10:00 +08:00)))
            .unwrap();
        let mut chain = early.clone();
        chain.entries.push({
            let mut other = AuditChain::new(CHAIN).unwrap();
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
        e.mac = k.sign(&buf);
        let err = chain.verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_chain_backdated");
        assert_eq!(
            err,
            SecurityError::AuditBackdated {
                index: 1,
                at: "2026-11-29T08:00:00+08:00".into(),
                previous: "2026-11-29T10:00:00+08:00".into(),
            }
        );
        // against its own head too: backdating has its own code whatever the head says
        let head = chain.head();
        assert_eq!(
            chain.verify_against(&keyring(), &head).unwrap_err().code(),
            "audit_chain_backdated"
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

    const CHAIN: &str = "A-141002/2026";

    fn key() -> AuditKey {
        AuditKey::new("k1", b"an audit key of thirty-two bytes").unwrap()
    }

    fn keyring() -> AuditKeyring {
        AuditKeyring::from(key())
    }

    const SECRET: &[u8; 32] = b"an audit key of thirty-two bytes";

    fn sm3_key(id: &str) -> AuditKey {
        AuditKey::with_algorithm(id, SECRET, MacAlgorithm::HmacSm3).unwrap()
    }

    /// RFC 2104 HMAC over SM3, written out from the definition with the `sm3` crate alone
    /// (block size 64): an oracle independent of the `hmac` crate the chain uses.
    fn hmac_sm3_by_definition(key: &[u8], message: &[u8]) -> [u8; 32] {
        use sm3::Digest as _;
        let mut block = [0u8; 64];
        block[..key.len()].copy_from_slice(key);
        let pad = |byte: u8| block.map(|b| b ^ byte);
        let inner = sm3::Sm3::new()
            .chain_update(pad(0x36))
            .chain_update(message)
            .finalize();
        let outer = sm3::Sm3::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize();
        outer.into()
    }

    /// R11 under the commercial-cryptography suite: entries are HMAC-SM3 over canonical bytes
    /// that start with the SM3 tag, name their algorithm in JSON, verify after a JSONL round
    /// trip, and match HMAC-SM3 computed from its definition.
    #[test]
    fn an_hmac_sm3_chain_macs_its_entries_with_sm3() {
        let sm3 = sm3_key("k-sm3");
        let mut chain = AuditChain::new(CHAIN).unwrap();
        for i in 0..4 {
            chain.append(&sm3, event(i)).unwrap();
        }
        let keyring = AuditKeyring::from(sm3.clone());
        chain.verify(&keyring).unwrap();
        let mut buf = Vec::new();
        for e in chain.entries() {
            assert_eq!(e.mac_algorithm, MacAlgorithm::HmacSm3);
            e.canonical_bytes(&mut buf);
            assert!(buf.starts_with(b"hedui-audit-v2-hmac-sm3\0"));
            assert_eq!(e.mac.as_bytes(), &hmac_sm3_by_definition(SECRET, &buf));
        }
        let text = chain.to_jsonl().unwrap();
        assert_eq!(text.matches(r#""mac_algorithm":"hmac-sm3""#).count(), 4);
        let back = AuditChain::from_jsonl(CHAIN, &text).unwrap();
        back.verify_against(&keyring, &chain.head()).unwrap();

        // HMAC-SHA256 entries stay as they were: no algorithm field, the v2 tag
        let mut plain = AuditChain::new(CHAIN).unwrap();
        plain.append(&key(), event(0)).unwrap();
        assert!(!plain.to_jsonl().unwrap().contains("mac_algorithm"));
        plain.entries()[0].canonical_bytes(&mut buf);
        assert!(buf.starts_with(CANONICAL_TAG));
        use crate::rulebook::CryptoSuite;
        assert_eq!(CryptoSuite::Shangmi.mac_algorithm(), MacAlgorithm::HmacSm3);
        assert_eq!(
            CryptoSuite::International.mac_algorithm(),
            MacAlgorithm::HmacSha256
        );
        assert_eq!(MacAlgorithm::parse("hmac-sm3"), Some(MacAlgorithm::HmacSm3));
        assert_eq!(
            MacAlgorithm::parse("hmac-sha256"),
            Some(MacAlgorithm::HmacSha256)
        );
        assert_eq!(MacAlgorithm::parse("sm3"), None);
    }

    /// Switching the suite never lets an entry of one pass as the other: an SM3 entry under
    /// an SHA-256 key of the same id and secret, an entry relabelled to the other algorithm,
    /// and an SHA-256 entry under an SM3 key are all refused (7106).
    #[test]
    fn an_entry_of_one_mac_algorithm_never_verifies_as_the_other() {
        let mut sm3_chain = AuditChain::new(CHAIN).unwrap();
        sm3_chain.append(&sm3_key("k1"), event(0)).unwrap();
        let err = sm3_chain.verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_mac_algorithm_mismatch");
        assert_eq!(
            err,
            SecurityError::AuditMacAlgorithm {
                index: 0,
                key_id: "k1".into(),
                entry: MacAlgorithm::HmacSm3,
                key: MacAlgorithm::HmacSha256,
            }
        );

        let mut relabelled = sm3_chain.clone();
        relabelled.entries[0].mac_algorithm = MacAlgorithm::HmacSha256;
        let err = relabelled.verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_chain_broken", "{err}");

        let mut sha_chain = AuditChain::new(CHAIN).unwrap();
        sha_chain.append(&key(), event(0)).unwrap();
        let sm3_ring = AuditKeyring::from(sm3_key("k1"));
        assert_eq!(
            sha_chain.verify(&sm3_ring).unwrap_err().code(),
            "audit_mac_algorithm_mismatch"
        );
        let mut relabelled = sha_chain.clone();
        relabelled.entries[0].mac_algorithm = MacAlgorithm::HmacSm3;
        assert_eq!(
            relabelled.verify(&sm3_ring).unwrap_err().code(),
            "audit_chain_broken"
        );
    }

    /// The rulebook's suite chooses the keyring's MAC algorithm: HMAC-SM3 under `shangmi`,
    /// HMAC-SHA256 under the international suite and for a keyring made without a suite.
    #[test]
    fn a_keyring_under_a_suite_has_its_mac_algorithm() {
        use crate::rulebook::CryptoSuite;
        assert_eq!(
            AuditKeyring::under(CryptoSuite::Shangmi).algorithm(),
            MacAlgorithm::HmacSm3
        );
        assert_eq!(
            AuditKeyring::under(CryptoSuite::International).algorithm(),
            MacAlgorithm::HmacSha256
        );
        assert_eq!(AuditKeyring::new().algorithm(), MacAlgorithm::HmacSha256);
        assert_eq!(
            AuditKeyring::from(sm3_key("k1")).algorithm(),
            MacAlgorithm::HmacSm3
        );
    }

    /// Keys of both algorithms rotate in one keyring: a chain moved from the international
    /// suite to the commercial one verifies entry by entry under each entry's key.
    #[test]
    fn a_chain_rotates_from_hmac_sha256_to_hmac_sm3() {
        let mut ring = keyring();
        let mut chain = AuditChain::new(CHAIN).unwrap();
        chain.append(&key(), event(0)).unwrap();
        ring.add(sm3_key("k2")).unwrap();
        let current = ring.current().unwrap().clone();
        assert_eq!(current.algorithm(), MacAlgorithm::HmacSm3);
        chain.append(&current, event(1)).unwrap();
        chain.verify(&ring).unwrap();
        assert_eq!(chain.entries()[0].mac_algorithm, MacAlgorithm::HmacSha256);
        assert_eq!(chain.entries()[1].mac_algorithm, MacAlgorithm::HmacSm3);
        assert!(format!("{current:?}").contains("hmac-sm3"));
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
        chain_named(CHAIN, n)
    }

    fn chain_named(id: &str, n: usize) -> AuditChain {
        let key = key();
        let mut c = AuditChain::with_capacity(id, n).unwrap();
        for i in 0..n {
            c.append(&key, event(i)).unwrap();
        }
        c
    }

    /// The index of the first entry verification finds wrong (for a truncated chain, the
    /// first missing one), whatever the code.
    fn broken_at(c: &AuditChain, keyring: &AuditKeyring, head: &AuditHead) -> Option<usize> {
        match c.verify_against(keyring, head) {
            Ok(()) => None,
            Err(
                SecurityError::AuditBroken { index, .. }
                | SecurityError::AuditSpliced { index, .. }
                | SecurityError::AuditBackdated { index, .. }
                | SecurityError::AuditKeyUnknown { index, .. },
            ) => Some(index),
            Err(SecurityError::AuditSwapped { .. }) => Some(0),
            Err(SecurityError::AuditTruncated { entries, .. }) => Some(entries as usize),
            Err(SecurityError::AuditRolledBack { index, .. }) => Some(index as usize),
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
        assert!(
            c.entries()
                .iter()
                .all(|e| e.chain == CHAIN && e.key_id == "k1" && e.format == AUDIT_FORMAT)
        );
        c.verify(&keyring()).unwrap();
        c.verify_against(&keyring(), &c.head()).unwrap();
        // the same id under another secret
        let other = AuditKeyring::from(AuditKey::new("k1", &[1u8; 32]).unwrap());
        assert_eq!(
            c.verify(&other).unwrap_err(),
            SecurityError::AuditBroken {
                index: 0,
                problem: ChainProblem::Mac
            }
        );
        assert_eq!(
            AuditKey::new("k1", &[0u8; 31]).unwrap_err().code(),
            "audit_key_length"
        );
        let empty = AuditChain::new(CHAIN).unwrap();
        empty.verify(&keyring()).unwrap();
        empty.verify_against(&keyring(), &empty.head()).unwrap();
        assert_eq!(empty.head().chain, CHAIN);
        assert_eq!(empty.head().entries, 0);
    }

    #[test]
    fn chain_ids_and_key_ids_are_checked() {
        for bad in ["", "a b", "链", "x\n", &"x".repeat(129)] {
            assert_eq!(
                AuditChain::new(bad).unwrap_err().code(),
                "audit_id_invalid",
                "{bad:?}"
            );
            assert_eq!(
                AuditKey::new(bad, &[1u8; 32]).unwrap_err().code(),
                "audit_id_invalid"
            );
        }
        AuditChain::new("x".repeat(128)).unwrap();
        let mut ring = keyring();
        let e = ring
            .add(AuditKey::new("k1", &[2u8; 32]).unwrap())
            .unwrap_err();
        assert_eq!(e.code(), "audit_id_invalid");
        assert!(e.to_string().contains("already in the keyring"), "{e}");
        assert_eq!(ring.len(), 1);
        assert!(!format!("{ring:?}{:?}", key()).contains("thirty"));
        let json = chain(1).to_json().unwrap().replace(CHAIN, "a b");
        assert_eq!(
            AuditChain::from_json(&json).unwrap_err().code(),
            "audit_id_invalid"
        );
    }

    #[test]
    fn canonical_bytes_are_as_documented() {
        let c = chain(2);
        let e = &c.entries()[1];
        let mut buf = Vec::new();
        e.canonical_bytes(&mut buf);
        let mut want = Vec::new();
        want.extend_from_slice(b"hedui-audit-v2\0");
        want.extend_from_slice(&(CHAIN.len() as u64).to_be_bytes());
        want.extend_from_slice(CHAIN.as_bytes());
        want.extend_from_slice(&1u64.to_be_bytes());
        want.extend_from_slice(&2u64.to_be_bytes());
        want.extend_from_slice(b"k1");
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
        let raw = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, b"an audit key of thirty-two bytes"),
            &want,
        );
        assert_eq!(raw.as_ref(), e.mac.as_bytes());
    }

    #[test]
    fn unrepresentable_times_are_refused() {
        let mut c = AuditChain::new(CHAIN).unwrap();
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
        match which % 11 {
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
            8 => flip_ascii(&mut e.chain, at),
            9 => flip_ascii(&mut e.key_id, at),
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
        let key = keyring();
        let mut c = chain(N);
        let head = c.head();
        assert_eq!(broken_at(&c, &key, &head), None);

        // A one-byte change in every entry, cycling through all eleven fields and positions.
        for i in 0..N {
            let saved = c.entries[i].clone();
            mutate(&mut c.entries[i], i, i / 11);
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
        let forger = AuditKey::new("k1", &[9u8; 32]).unwrap();
        for i in 0..=N {
            let forged = if i % 2 == 0 {
                let mut f = AuditChain::new(CHAIN).unwrap();
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
        let key = keyring();
        let c = chain(N);
        let text = c.to_jsonl().unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(AuditChain::from_jsonl(CHAIN, &text).unwrap(), c);
        assert_eq!(AuditChain::from_json(&c.to_json().unwrap()).unwrap(), c);
        let mut work = c.clone();
        let mut by_line = 0;
        let mut by_verify = 0;
        for (i, line) in lines.iter().enumerate() {
            // position i walks the whole line over the 1,000 entries (lines are ~380 bytes)
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
                    Err(
                        SecurityError::AuditLine { line, .. }
                        | SecurityError::AuditFormat { line, .. },
                    ) => {
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
        match AuditChain::from_jsonl(CHAIN, std::str::from_utf8(&t).unwrap()) {
            Err(SecurityError::AuditLine { line, .. }) => assert_eq!(line, 501),
            other => panic!("{other:?}"),
        }
        // Uppercase hex parses to the same digest but is not canonical.
        let hex = c.entries()[3].context.to_string();
        let upper = lines[3].replace(&hex, &hex.to_uppercase());
        assert_ne!(upper, lines[3]);
        assert!(parse_line(4, &upper).is_err());
        assert!(AuditChain::from_jsonl(CHAIN, "").unwrap().is_empty());
        assert!(AuditChain::from_jsonl(CHAIN, "\n\n").is_err());
    }

    // ------------------------------------------------------------ rollback, swap, keys

    /// Tail truncation: entries cut off the end, or an older copy put back, leave a chain
    /// valid in itself that only the stored head shows.
    #[test]
    fn a_chain_cut_short_or_an_older_copy_is_truncated() {
        let full = chain(10);
        let head = full.head();
        let older = chain(6);
        for short in [older, {
            let mut cut = full.clone();
            cut.entries.truncate(9);
            cut
        }] {
            short.verify(&keyring()).unwrap();
            let err = short.verify_against(&keyring(), &head).unwrap_err();
            assert_eq!(err.code(), "audit_chain_truncated");
            assert_eq!(
                err,
                SecurityError::AuditTruncated {
                    chain: CHAIN.into(),
                    entries: short.len() as u64,
                    expected: 10
                }
            );
        }
        // the whole log emptied
        let empty = AuditChain::from_jsonl(CHAIN, "").unwrap();
        assert_eq!(
            empty.verify_against(&keyring(), &head).unwrap_err().code(),
            "audit_chain_truncated"
        );
        // a chain that grew since its head was stored is fine
        let mut grown = full.clone();
        grown.append(&key(), event(10)).unwrap();
        grown.verify_against(&keyring(), &head).unwrap();
    }

    /// Rollback: an older copy put back and written on from there, by the service or by an
    /// insider with the key, has as many entries as the head or more, every one validly
    /// MACed; only the MAC at the head's position shows it.
    #[test]
    fn a_chain_rolled_back_and_written_again_is_rolled_back() {
        let full = chain(10);
        let head = full.head();
        for (cut, rewrite) in [(9, 1), (7, 3), (7, 5), (0, 10)] {
            let mut forked = full.clone();
            forked.entries.truncate(cut);
            for i in 0..rewrite {
                let mut e = event(cut + i);
                e.reason = format!("rewritten {i}");
                forked.append(&key(), e).unwrap();
            }
            // valid in itself, and as long as the head or longer
            forked.verify(&keyring()).unwrap();
            assert!(forked.len() >= 10);
            let err = forked.verify_against(&keyring(), &head).unwrap_err();
            assert_eq!(err.code(), "audit_chain_rolled_back", "cut {cut}");
            assert_eq!(
                err,
                SecurityError::AuditRolledBack {
                    chain: CHAIN.into(),
                    index: 9
                }
            );
        }
        // a head of an empty chain with a mac is not reached by any chain
        let mut bogus = AuditChain::new(CHAIN).unwrap().head();
        bogus.mac = head.mac;
        assert_eq!(
            full.verify_against(&keyring(), &bogus).unwrap_err().code(),
            "audit_chain_rolled_back"
        );
    }

    /// Two chains under one key: entries of the other spliced in, or the whole log swapped
    /// for the other, are found although every MAC is right under that key.
    #[test]
    fn chains_under_one_key_cannot_be_spliced_or_swapped() {
        let a = chain_named("chain-a", 8);
        let b = chain_named("chain-b", 8);
        b.verify(&keyring()).unwrap();

        // a's first 5 entries, then b's from 5 on
        let mut spliced = a.clone();
        spliced.entries.truncate(5);
        spliced.entries.extend(b.entries[5..].iter().cloned());
        let err = spliced.verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_chain_spliced");
        assert_eq!(
            err,
            SecurityError::AuditSpliced {
                index: 5,
                chain: "chain-a".into(),
                found: "chain-b".into()
            }
        );
        assert_eq!(
            spliced
                .verify_against(&keyring(), &a.head())
                .unwrap_err()
                .code(),
            "audit_chain_spliced"
        );

        // b's log read where a's is expected: by id, or against a's head
        let text = b.to_jsonl().unwrap();
        let read = AuditChain::from_jsonl("chain-a", &text).unwrap();
        let err = read.verify(&keyring()).unwrap_err();
        assert_eq!(err.code(), "audit_chain_swapped");
        assert_eq!(
            err,
            SecurityError::AuditSwapped {
                expected: "chain-a".into(),
                found: "chain-b".into()
            }
        );
        assert_eq!(
            b.verify_against(&keyring(), &a.head()).unwrap_err().code(),
            "audit_chain_swapped"
        );
        assert_eq!(
            AuditChain::open_jsonl(&text, &keyring(), &a.head())
                .unwrap_err()
                .code(),
            "audit_chain_swapped"
        );
        AuditChain::open_jsonl(&text, &keyring(), &b.head()).unwrap();
    }

    /// Rotation: later entries use a newer key; verification needs every key the chain names,
    /// and an entry under a key the keyring does not hold fails with its own code.
    /// Tags print as lowercase hex; a keyring's debug form names its keys, never their secrets.
    #[test]
    fn tags_and_keyrings_print_without_secrets() {
        assert_eq!(AuditMac::GENESIS.to_string(), "0".repeat(64));
        let tag = AuditMac([0xab; 32]);
        assert_eq!(format!("{tag:?}"), format!("AuditMac({})", "ab".repeat(32)));
        let ring = keyring();
        assert_eq!(format!("{ring:?}"), r#"["k1"]"#);
    }

    /// Two chains are equal when their id, entries and disposal record are; the reused
    /// buffer for canonical bytes does not count.
    #[test]
    fn chains_are_equal_by_id_entries_and_disposal() {
        let mut a = AuditChain::new(CHAIN).unwrap();
        assert!(a.is_empty());
        a.append(&key(), event(0)).unwrap();
        assert_eq!((a.len(), a.is_empty()), (1, false));
        // the debug form names the chain, counts its entries and shows the head's tag
        assert_eq!(
            format!("{a:?}"),
            format!(
                "AuditChain {{ chain: {CHAIN:?}, entries: 1, head: {:?} }}",
                a.head().mac
            )
        );
        let mut b = a.clone();
        b.scratch.clear();
        b.scratch.shrink_to_fit();
        assert_eq!(a, b);
        let mut other_id = a.clone();
        other_id.chain = "another".into();
        assert_ne!(a, other_id);
        let mut longer = a.clone();
        longer.append(&key(), event(1)).unwrap();
        assert_ne!(a, longer);
        let head = a.head();
        let disposal = LogDisposal {
            chain: CHAIN.into(),
            disposed_on: time::macros::date!(2026 - 01 - 01),
            log_months: 36,
            entries: 1,
            first_seq: 0,
            last_seq: 0,
            youngest_at: time::macros::datetime!(2022-06-01 09:00 +08:00),
            kept_until: time::macros::date!(2025 - 06 - 01),
            last_mac: head.mac,
            key_id: "k1".into(),
            mac: AuditMac::GENESIS,
        };
        assert_ne!(a, a.clone().after_disposal(disposal));
    }

    #[test]
    fn keys_rotate_and_an_entry_under_an_unknown_key_fails() {
        let old = key();
        let new = AuditKey::new("k2", &[2u8; 32]).unwrap();
        let empty = AuditKeyring::new();
        assert!(empty.is_empty() && empty.current().is_none());
        assert_eq!(empty.len(), 0);
        let mut ring = AuditKeyring::from(old.clone());
        assert!(!ring.is_empty());
        ring.add(new.clone()).unwrap();
        assert_eq!((ring.len(), ring.is_empty()), (2, false));
        assert_eq!(ring.current().unwrap().id(), "k2");
        assert_eq!(ring.ids().collect::<Vec<_>>(), ["k1", "k2"]);

        let mut c = AuditChain::new(CHAIN).unwrap();
        for i in 0..6 {
            let k = if i < 3 { &old } else { &new };
            c.append(k, event(i)).unwrap();
        }
        let ids: Vec<&str> = c.entries().iter().map(|e| e.key_id.as_str()).collect();
        assert_eq!(ids, ["k1", "k1", "k1", "k2", "k2", "k2"]);
        c.verify_against(&ring, &c.head()).unwrap();

        let only_new = AuditKeyring::from(new.clone());
        let err = c.verify(&only_new).unwrap_err();
        assert_eq!(
            err,
            SecurityError::AuditKeyUnknown {
                index: 0,
                key_id: "k1".into()
            }
        );
        assert_eq!(err.code(), "audit_key_unknown");
        assert_eq!(
            c.verify(&AuditKeyring::from(old.clone())).unwrap_err(),
            SecurityError::AuditKeyUnknown {
                index: 3,
                key_id: "k2".into()
            }
        );
        assert_eq!(
            c.verify(&AuditKeyring::new()).unwrap_err().code(),
            "audit_key_unknown"
        );

        // an entry appended under a key of the writer's own making
        let rogue = AuditKey::new("k3", &[3u8; 32]).unwrap();
        let head = c.append(&rogue, event(6)).unwrap();
        let err = c.verify_against(&ring, &head).unwrap_err();
        assert_eq!(
            err,
            SecurityError::AuditKeyUnknown {
                index: 6,
                key_id: "k3".into()
            }
        );
    }

    /// Format 1 logs (no chain id, no key id) and unknown formats are refused with a versioned
    /// error, never read as if they were format 2.
    #[test]
    fn logs_in_another_format_are_refused_with_their_version() {
        let v1 = concat!(
            r#"{"seq":0,"at":"2026-03-02T08:00:00+08:00","event":"login","decision":"deny","#,
            r#""actor":"op-0","reason":"r","context":"#,
            r#""e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","#,
            r#""prev":"0000000000000000000000000000000000000000000000000000000000000000","#,
            r#""mac":"0000000000000000000000000000000000000000000000000000000000000001"}"#
        );
        let err = AuditChain::from_jsonl(CHAIN, v1).unwrap_err();
        assert_eq!(err, SecurityError::AuditFormat { line: 1, found: 1 });
        assert_eq!(err.code(), "audit_format_unsupported");
        assert!(err.to_string().contains("format 1"), "{err}");

        let text = chain(2).to_jsonl().unwrap();
        let v3 = text.replace("\"format\":2", "\"format\":3");
        assert_eq!(
            AuditChain::from_jsonl(CHAIN, &v3).unwrap_err(),
            SecurityError::AuditFormat { line: 1, found: 3 }
        );
        let second = format!("{}{v1}\n", text.lines().next().unwrap().to_owned() + "\n");
        assert_eq!(
            AuditChain::from_jsonl(CHAIN, &second).unwrap_err(),
            SecurityError::AuditFormat { line: 2, found: 1 }
        );
        // a v3 line with a field this version does not know says its format too
        let v3_more = text
            .lines()
            .next()
            .unwrap()
            .replace("\"format\":2", "\"format\":3,\"extra\":1");
        assert_eq!(
            AuditChain::from_jsonl(CHAIN, &v3_more).unwrap_err().code(),
            "audit_format_unsupported"
        );
        // from JSON, an entry's format is checked on verification
        let mut c = chain(2);
        c.entries[1].format = 1;
        assert_eq!(
            c.verify(&keyring()).unwrap_err(),
            SecurityError::AuditFormat { line: 2, found: 1 }
        );
    }

    #[test]
    fn open_jsonl_reads_and_verifies_against_the_head() {
        let c = chain(5);
        let text = c.to_jsonl().unwrap();
        let opened = AuditChain::open_jsonl(&text, &keyring(), &c.head()).unwrap();
        assert_eq!(opened, c);
        assert_eq!(opened.id(), CHAIN);
        let empty = AuditChain::new(CHAIN).unwrap();
        assert!(
            AuditChain::open_jsonl("", &keyring(), &empty.head())
                .unwrap()
                .is_empty()
        );
        let tampered = text.replace("WT-3", "WT-4");
        assert_eq!(
            AuditChain::open_jsonl(&tampered, &keyring(), &c.head())
                .unwrap_err()
                .code(),
            "audit_chain_broken"
        );
        let json = c.to_json().unwrap();
        assert!(json.starts_with("{\"chain\":\"A-141002/2026\",\"entries\":[{\"format\":2,"));
        assert_eq!(AuditChain::from_json(&json).unwrap(), c);
        let head = serde_json::to_string(&c.head()).unwrap();
        assert!(head.starts_with("{\"chain\":\"A-141002/2026\",\"entries\":5,\"mac\":\""));
    }
}
