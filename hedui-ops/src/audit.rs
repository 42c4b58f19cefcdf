//! The audit chain (R11 安全管理): an append-only HMAC-SHA256 log of gate decisions, with the
//! keyring of MAC keys that protects it. Operations `audit_keyring_new`, `audit_keyring_add`,
//! `audit_chain_new`, `audit_chain_from_jsonl`, `audit_chain_append`, `audit_chain_verify`,
//! `audit_chain_head`, `audit_chain_to_jsonl`.
//!
//! Every host opens a stored chain only together with its stored head (chain id, length,
//! last MAC), and verifies against a head: a log cut short, rolled back, spliced or swapped
//! for another chain is refused before anything is appended to it.

use hedui_core::{
    Error,
    error::SecurityError,
    security::{AuditChain, AuditEvent, AuditHead, AuditKey, AuditKeyring},
};

use crate::failure::Failure;
use crate::json;

fn security(e: SecurityError) -> Failure {
    Failure::Core(e.into())
}

/// Operation `audit_keyring_add`: adds the key `key_id` (secret of at least 32 bytes) to
/// `keyring`; it becomes the key new entries are MACed with.
///
/// # Errors
/// `audit_key_length` for a short secret, `audit_id_invalid` for a malformed key id or one
/// already in the keyring.
pub fn keyring_add(keyring: &mut AuditKeyring, key_id: &str, secret: &[u8]) -> Result<(), Failure> {
    let key = AuditKey::new(key_id, secret).map_err(security)?;
    keyring.add(key).map_err(security)
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
        if keyring.is_empty() {
            return Err(security(SecurityError::AuditNoKey));
        }
        let chain = AuditChain::open_jsonl(jsonl, &keyring, head).map_err(security)?;
        Ok(AuditLog { keyring, chain })
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
