//! The audit chain (R11 安全管理): an append-only HMAC log of gate decisions, with the
//! keyring of MAC keys (HMAC-SHA256, or HMAC-SM3 under the commercial-cryptography suite)
//! that protects it. Operations `audit_keyring_new`, `audit_keyring_add`, `audit_keyring_add_with`,
//! `audit_chain_new`, `audit_chain_from_jsonl`, `audit_chain_append`, `audit_chain_verify`,
//! `audit_chain_head`, `audit_chain_to_jsonl`, `audit_head_sign`, `audit_head_open`.
//!
//! Every host opens a stored chain only together with its stored head (chain id, length,
//! last MAC), and verifies against a head: a log cut short, rolled back, spliced or swapped
//! for another chain is refused before anything is appended to it. A chain whose oldest
//! entries were disposed of (网络安全法 Art 21 log retention, [`AuditLog::dispose`]) opens
//! only with the record of the last disposal ([`AuditLog::from_jsonl_after`]).

use hedui_core::{
    Error, MacAlgorithm,
    error::SecurityError,
    security::{
        AuditChain, AuditEvent, AuditHead, AuditKey, AuditKeyring, LogDisposal, SignedAuditHead,
        TrustedKey, disposable_logs,
    },
};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::failure::Failure;
use crate::json;
use crate::security::{SecretBytes, report_keyring_new, report_signer_new};

fn security(e: SecurityError) -> Failure {
    Failure::Core(e.into())
}

/// Operation `audit_keyring_add`: adds the key `key_id` (secret of at least 32 bytes) to
/// `keyring`, in the keyring's MAC algorithm (its suite's: [`keyring_new_under`]); it becomes
/// the key new entries are MACed with.
///
/// # Errors
/// `audit_key_length` for a short secret, `audit_id_invalid` for a malformed key id or one
/// already in the keyring.
pub fn keyring_add(keyring: &mut AuditKeyring, key_id: &str, secret: &[u8]) -> Result<(), Failure> {
    let key = AuditKey::with_algorithm(key_id, secret, keyring.algorithm()).map_err(security)?;
    keyring.add(key).map_err(security)
}

/// Operation `audit_keyring_new_under`: an empty keyring under the rulebook's crypto suite,
/// whose keys added by secret alone ([`keyring_add`]) are HMAC-SM3 under `shangmi`.
pub fn keyring_new_under(rulebook: &hedui_core::Rulebook) -> AuditKeyring {
    AuditKeyring::under(rulebook.security.crypto_suite)
}

/// Operation `audit_keyring_add_with`: [`keyring_add`] for a key of the MAC algorithm named
/// `algorithm`: `hmac-sha256` (the international suite) or `hmac-sm3` (the commercial-
/// cryptography suite, `security.crypto_suite = "shangmi"`). Entries MACed with the key name
/// its algorithm and verify only under it.
///
/// # Errors
/// `input_json` for another algorithm name; as [`keyring_add`].
pub fn keyring_add_with(
    keyring: &mut AuditKeyring,
    key_id: &str,
    algorithm: &str,
    secret: &[u8],
) -> Result<(), Failure> {
    let algorithm = mac_algorithm(algorithm)?;
    let key = AuditKey::with_algorithm(key_id, secret, algorithm).map_err(security)?;
    keyring.add(key).map_err(security)
}

/// A MAC algorithm from its name, with the names accepted in the error.
///
/// # Errors
/// `input_json` for another name.
pub fn mac_algorithm(name: &str) -> Result<MacAlgorithm, Failure> {
    json::parse(
        "MAC algorithm",
        &serde_json::Value::String(name.to_owned()).to_string(),
    )
}

/// A head from its JSON, `{"chain":"<id>","entries":n,"mac":"<hex>"}`.
///
/// # Errors
/// `input_json` for anything else.
pub fn head_from_json(head_json: &str) -> Result<AuditHead, Failure> {
    json::parse("audit head", head_json)
}

/// An audit chain with the keyring that MACs it: what the C handle and the uniffi and Python
/// objects hold.
#[derive(Debug)]
pub struct AuditLog {
    keyring: AuditKeyring,
    chain: AuditChain,
}

impl AuditLog {
    /// Operation `audit_chain_new`: an empty chain with the id `chain_id` under `keyring`,
    /// whose newest key MACs the entries.
    ///
    /// # Errors
    /// `audit_keyring_empty` for a keyring without keys, `audit_id_invalid` for a malformed
    /// chain id.
    pub fn new(chain_id: &str, keyring: AuditKeyring) -> Result<Self, Failure> {
        if keyring.is_empty() {
            return Err(security(SecurityError::AuditNoKey));
        }
        Ok(AuditLog {
            keyring,
            chain: AuditChain::new(chain_id).map_err(security)?,
        })
    }

    /// Operation `audit_chain_from_jsonl`: reads a chain as [`to_jsonl`](Self::to_jsonl)
    /// writes it and verifies it against `keyring` and the `head` stored apart from the log
    /// (whose chain id names the chain), so that nothing is appended to a forged, cut,
    /// rolled-back or swapped past.
    ///
    /// # Errors
    /// `audit_keyring_empty`; `audit_line_invalid` for a bad line, `audit_format_unsupported`
    /// for a line of another format; `audit_chain_broken`, `audit_chain_spliced`,
    /// `audit_chain_swapped`, `audit_chain_backdated`, `audit_key_unknown`,
    /// `audit_chain_truncated`, `audit_chain_rolled_back` as
    /// [`AuditChain::verify_against`].
    pub fn from_jsonl(
        keyring: AuditKeyring,
        jsonl: &str,
        head: &AuditHead,
    ) -> Result<Self, Failure> {
        Self::from_jsonl_after(keyring, jsonl, head, None)
    }

    /// [`from_jsonl`](Self::from_jsonl) for a log whose oldest entries were disposed of: the
    /// chain starts after `disposal`, the record [`dispose`](Self::dispose) gave (kept with
    /// the head); `None` opens a log kept whole.
    ///
    /// # Errors
    /// As [`from_jsonl`](Self::from_jsonl); `audit_chain_broken` for a record whose MAC does
    /// not verify or that the chain does not follow, `audit_chain_swapped` for another
    /// chain's record, `audit_head_disposed` for a head older than the disposal.
    pub fn from_jsonl_after(
        keyring: AuditKeyring,
        jsonl: &str,
        head: &AuditHead,
        disposal: Option<&LogDisposal>,
    ) -> Result<Self, Failure> {
        if keyring.is_empty() {
            return Err(security(SecurityError::AuditNoKey));
        }
        let chain =
            AuditChain::open_jsonl_after(jsonl, &keyring, head, disposal).map_err(security)?;
        Ok(AuditLog { keyring, chain })
    }

    /// [`from_jsonl_after`](Self::from_jsonl_after) with the head and the record as JSON:
    /// operation `audit_chain_from_jsonl_after`.
    ///
    /// # Errors
    /// `input_json` for an unreadable head or record, else as
    /// [`from_jsonl_after`](Self::from_jsonl_after).
    pub fn from_jsonl_after_json(
        keyring: AuditKeyring,
        jsonl: &str,
        head_json: &str,
        disposal_json: &str,
    ) -> Result<Self, Failure> {
        let head = head_from_json(head_json)?;
        let disposal: LogDisposal = json::parse("log disposal record", disposal_json)?;
        Self::from_jsonl_after(keyring, jsonl, &head, Some(&disposal))
    }

    /// Operation `audit_chain_dispose`: disposes of the oldest entries through `through_seq`
    /// on `on` under the rulebook's log retention, the record MACed with the keyring's newest
    /// key; store the record with the head and open the log with it from then on.
    ///
    /// # Errors
    /// `log_retention_not_elapsed` for an entry still within `retention.log_months`,
    /// `log_disposal_unknown_entry` for a sequence number the chain does not hold; the chain
    /// is then unchanged.
    pub fn dispose(
        &mut self,
        rulebook: &hedui_core::Rulebook,
        through_seq: u64,
        on: Date,
    ) -> Result<LogDisposal, Failure> {
        let key = self
            .keyring
            .current()
            .ok_or_else(|| security(SecurityError::AuditNoKey))?;
        self.chain
            .dispose(key, through_seq, on, &rulebook.retention)
            .map_err(security)
    }

    /// [`dispose`](Self::dispose) on a request `{"through_seq": n, "on": "YYYY-MM-DD"}`, the
    /// record out as compact JSON.
    ///
    /// # Errors
    /// `input_json` for an unreadable request, else as [`dispose`](Self::dispose).
    pub fn dispose_json(
        &mut self,
        rulebook: &hedui_core::Rulebook,
        request_json: &str,
    ) -> Result<Vec<u8>, Failure> {
        let r: DisposeRequest = json::parse("log disposal request", request_json)?;
        json::to_vec(&self.dispose(rulebook, r.through_seq, r.on)?)
    }

    /// Operation `audit_chain_disposable`: which of the oldest entries may be disposed of on
    /// `on` under the rulebook's log retention (none while the oldest is within it).
    pub fn disposable(&self, rulebook: &hedui_core::Rulebook, on: Date) -> Disposable {
        let entries = self.chain.entries();
        let count = disposable_logs(entries, on, &rulebook.retention);
        Disposable {
            entries: count as u64,
            through_seq: count
                .checked_sub(1)
                .and_then(|i| entries.get(i))
                .map(|e| e.seq),
        }
    }

    /// [`disposable`](Self::disposable) on a request `{"on": "YYYY-MM-DD"}`, the answer as
    /// compact JSON.
    ///
    /// # Errors
    /// `input_json` for an unreadable request.
    pub fn disposable_json(
        &self,
        rulebook: &hedui_core::Rulebook,
        request_json: &str,
    ) -> Result<Vec<u8>, Failure> {
        let r: DisposableRequest = json::parse("log disposal plan request", request_json)?;
        json::to_vec(&self.disposable(rulebook, r.on))
    }

    /// The record of the last disposal the chain starts after, if any.
    pub fn disposal(&self) -> Option<&LogDisposal> {
        self.chain.disposal()
    }

    /// [`from_jsonl`](Self::from_jsonl) with the head as JSON.
    ///
    /// # Errors
    /// `input_json` for an unreadable head, else as [`from_jsonl`](Self::from_jsonl).
    pub fn from_jsonl_json(
        keyring: AuditKeyring,
        jsonl: &str,
        head_json: &str,
    ) -> Result<Self, Failure> {
        let head = head_from_json(head_json)?;
        Self::from_jsonl(keyring, jsonl, &head)
    }

    /// Operation `audit_chain_append`: appends an event, MACed with the keyring's newest key,
    /// and returns the new head.
    ///
    /// # Errors
    /// `audit_time_invalid` for a time RFC 3339 cannot write, `audit_time_backwards` for a
    /// time before the last entry's; the chain is then unchanged.
    pub fn append(&mut self, event: AuditEvent) -> Result<AuditHead, Failure> {
        let key = self
            .keyring
            .current()
            .ok_or_else(|| security(SecurityError::AuditNoKey))?;
        self.chain.append(key, event).map_err(security)
    }

    /// [`append`](Self::append) on an event's JSON, the head as compact JSON
    /// `{"chain":"<id>","entries":n,"mac":"<hex>"}`.
    ///
    /// # Errors
    /// `input_json` for an unreadable event, else as [`append`](Self::append).
    pub fn append_json(&mut self, event_json: &str) -> Result<Vec<u8>, Failure> {
        let event: AuditEvent = json::parse("audit event", event_json)?;
        json::to_vec(&self.append(event)?)
    }

    /// Checks every entry (chain id, sequence, link, key, MAC, time) without a head. Hosts
    /// call [`verify_against`](Self::verify_against): only a head stored apart shows a log
    /// cut short or rolled back.
    ///
    /// # Errors
    /// As [`AuditChain::verify`].
    pub fn verify(&self) -> Result<(), Failure> {
        self.chain.verify(&self.keyring).map_err(security)
    }

    /// Operation `audit_chain_verify`: every entry, and that this is the chain `head` names
    /// and that it still reaches `head` (recorded earlier from [`append`](Self::append)).
    ///
    /// # Errors
    /// As [`AuditChain::verify_against`].
    pub fn verify_against(&self, head: &AuditHead) -> Result<(), Failure> {
        self.chain
            .verify_against(&self.keyring, head)
            .map_err(security)
    }

    /// [`verify_against`](Self::verify_against) with the head as JSON.
    ///
    /// # Errors
    /// `input_json` for an unreadable head, else as
    /// [`verify_against`](Self::verify_against).
    pub fn verify_against_json(&self, head_json: &str) -> Result<(), Failure> {
        self.verify_against(&head_from_json(head_json)?)
    }

    /// Operation `audit_chain_head`: the chain's current head.
    pub fn head(&self) -> AuditHead {
        self.chain.head()
    }

    /// [`head`](Self::head) as compact JSON.
    ///
    /// # Errors
    /// Not expected (a head always serializes).
    pub fn head_json(&self) -> Result<Vec<u8>, Failure> {
        json::to_vec(&self.head())
    }

    /// Operation `audit_chain_to_jsonl`: one entry per line, each line ended by `\n`.
    ///
    /// # Errors
    /// As [`AuditChain::to_jsonl`].
    pub fn to_jsonl(&self) -> Result<String, Failure> {
        self.chain.to_jsonl().map_err(|e: Error| Failure::Core(e))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.chain.len()
    }

    /// Whether the chain has no entries.
    pub fn is_empty(&self) -> bool {
        self.chain.len() == 0
    }

    /// The chain itself (read only).
    pub fn chain(&self) -> &AuditChain {
        &self.chain
    }
}

/// The request of `audit_chain_dispose`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisposeRequest {
    /// The sequence number of the youngest entry to dispose of (with every older one).
    pub through_seq: u64,
    /// The day of the disposal.
    pub on: Date,
}

/// The request of `audit_chain_disposable`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisposableRequest {
    /// The day the disposal would be made.
    pub on: Date,
}

/// The answer of `audit_chain_disposable`: how many of the oldest entries may go, and the
/// sequence number to pass to `audit_chain_dispose` (`null` when none may).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disposable {
    /// Entries that may be disposed of, from the oldest.
    pub entries: u64,
    /// The youngest of them.
    pub through_seq: Option<u64>,
}

/// The request of `audit_head_sign`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHeadSignRequest {
    /// The head to sign (as `audit_chain_append` or `audit_chain_head` give it).
    pub head: AuditHead,
    /// The signing key's id, as verifiers know it.
    pub key_id: String,
    /// The 32-byte Ed25519 private key (RFC 8032 seed) as 64 hex characters, from the host's
    /// key store: the agency's signing key, not an audit MAC key.
    pub seed_hex: SecretBytes,
}

/// Operation `audit_head_sign`: the head signed with the agency's signing key (Ed25519 over
/// the head's canonical bytes), a checkpoint to store where whoever holds the audit MAC keys
/// cannot write. Deterministic: one head and key give one signature in every host.
///
/// # Errors
/// `signing_key_invalid` for an empty key id or a seed that is not 32 bytes.
pub fn audit_head_sign(request: &AuditHeadSignRequest) -> Result<SignedAuditHead, Failure> {
    let signer = report_signer_new(&request.key_id, request.seed_hex.expose())?;
    Ok(request.head.sign(&signer))
}

/// [`audit_head_sign`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AuditHeadSignRequest`], else as
/// [`audit_head_sign`].
pub fn audit_head_sign_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("audit head signing request", request_json, |r| {
        audit_head_sign(&r)
    })
}

/// The request of `audit_head_open`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHeadOpenRequest {
    /// The signed head, as `audit_head_sign` gives it.
    pub signed_head: SignedAuditHead,
    /// The public keys trusted for head signatures (`key_id`, `public_key`), ids unique.
    pub trusted_keys: Vec<TrustedKey>,
}

/// Operation `audit_head_open`: the head of a signed checkpoint, once its signature verifies
/// with a trusted key; what a host then opens the stored chain against
/// (`audit_chain_from_jsonl`).
///
/// # Errors
/// `signing_key_invalid` for a key id trusted twice; `audit_head_signature_invalid` for a
/// signature by an untrusted key or one that does not verify over the head.
pub fn audit_head_open(request: &AuditHeadOpenRequest) -> Result<AuditHead, Failure> {
    let keyring = report_keyring_new(request.trusted_keys.clone())?;
    request
        .signed_head
        .open(&keyring)
        .cloned()
        .map_err(security)
}

/// [`audit_head_open`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`AuditHeadOpenRequest`], else as
/// [`audit_head_open`].
pub fn audit_head_open_json(request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("audit head opening request", request_json, |r| {
        audit_head_open(&r)
    })
}
