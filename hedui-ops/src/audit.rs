//! The audit chain (R11 安全管理): an append-only HMAC-SHA256 log of gate decisions, with the
//! key that MACs it. Operations `audit_chain_new`, `audit_chain_from_jsonl`,
//! `audit_chain_append`, `audit_chain_verify`, `audit_chain_to_jsonl`.

use hedui_core::{
    Error,
    security::{AuditChain, AuditEvent, AuditHead, AuditKey},
};

use crate::failure::Failure;
use crate::json;

/// An audit chain with the key that MACs it: what the C handle and the uniffi object hold.
#[derive(Debug)]
pub struct AuditLog {
    key: AuditKey,
    chain: AuditChain,
}

fn security(e: hedui_core::error::SecurityError) -> Failure {
    Failure::Core(e.into())
}

impl AuditLog {
    /// Operation `audit_chain_new`: an empty chain under `key` (at least 32 bytes).
    ///
    /// # Errors
    /// `audit_key_length` for a short key.
    pub fn new(key: &[u8]) -> Result<Self, Failure> {
        Ok(AuditLog {
            key: AuditKey::new(key).map_err(security)?,
            chain: AuditChain::new(),
        })
    }

    /// Operation `audit_chain_from_jsonl`: reads a chain as [`to_jsonl`](Self::to_jsonl)
    /// writes it and verifies it with `key`, so that nothing is appended to a forged past.
    ///
    /// # Errors
    /// `audit_key_length`, `audit_line_invalid` for a bad line, `audit_chain_broken` for a
    /// changed chain or a wrong key.
    pub fn from_jsonl(key: &[u8], jsonl: &str) -> Result<Self, Failure> {
        let key = AuditKey::new(key).map_err(security)?;
        let chain = AuditChain::from_jsonl(jsonl).map_err(security)?;
        chain.verify(&key).map_err(security)?;
        Ok(AuditLog { key, chain })
    }

    /// Operation `audit_chain_append`: appends an event and returns the new head.
    ///
    /// # Errors
    /// `audit_time_invalid` for a time RFC 3339 cannot write; the chain is then unchanged.
    pub fn append(&mut self, event: AuditEvent) -> Result<AuditHead, Failure> {
        self.chain.append(&self.key, event).map_err(security)
    }

    /// [`append`](Self::append) on an event's JSON, the head as compact JSON
    /// `{"entries":n,"mac":"<hex>"}`.
    ///
    /// # Errors
    /// `input_json` for an unreadable event, else as [`append`](Self::append).
    pub fn append_json(&mut self, event_json: &str) -> Result<Vec<u8>, Failure> {
        let event: AuditEvent = json::parse("audit event", event_json)?;
        json::to_vec(&self.append(event)?)
    }

    /// Operation `audit_chain_verify`: checks every entry's sequence, link and MAC.
    ///
    /// # Errors
    /// `audit_chain_broken` naming the first broken entry.
    pub fn verify(&self) -> Result<(), Failure> {
        self.chain.verify(&self.key).map_err(security)
    }

    /// [`verify`](Self::verify), and that the chain still reaches `head` (recorded earlier
    /// from [`append`](Self::append)): no entry was cut off the end.
    ///
    /// # Errors
    /// `audit_chain_broken` naming the first broken entry, or the missing end.
    pub fn verify_against(&self, head: &AuditHead) -> Result<(), Failure> {
        self.chain.verify_against(&self.key, head).map_err(security)
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
