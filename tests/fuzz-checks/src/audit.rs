//! Target `audit_chain`: the audit-chain loader (R11 安全管理, N §三), `AuditChain::from_jsonl`
//! and operation `audit_chain_from_jsonl`, which verifies with the key before handing out.
//!
//! Two modes, by the first byte:
//! - **load** (even): the rest is a JSONL log. What loads writes itself back as the same
//!   text, verifies, takes one more entry and loads again; what is refused shows no
//!   resident ID.
//! - **tamper** (odd): the rest edits a valid three-entry chain (pairs of position and
//!   byte) or, with bit 1 set, cuts it short. Every change to the text is refused under the
//!   key; a chain cut at a line end still reads (its entries are intact) but no longer
//!   reaches the head recorded before the cut.

use std::sync::OnceLock;

use hedui_core::Sha256Digest;
use hedui_core::security::{AuditChain, AuditEvent, AuditHead, Decision, EventKind};
use hedui_ops::audit::AuditLog;
use time::macros::datetime;

use crate::{assert_clean_failure, assert_no_id};

/// The key every chain of this target is MACed with (32 bytes, the shortest allowed).
pub const KEY: &[u8; 32] = b"hedui fuzz audit key: 32 bytes!!";

/// An event at `minute` past 10:00 on 2026-11-29.
pub fn event(minute: u8, decision: Decision) -> AuditEvent {
    let at = datetime!(2026-11-29 10:00 +08:00) + time::Duration::minutes(i64::from(minute));
    AuditEvent {
        at,
        event: EventKind::AuthorizationCheck,
        decision,
        actor: format!("op-{minute}"),
        reason: "R1".into(),
        context: Sha256Digest::of(&[minute]),
    }
}

/// A valid three-entry chain under [`KEY`], as JSONL, and its head.
pub fn base_chain() -> &'static (String, AuditHead) {
    static BASE: OnceLock<(String, AuditHead)> = OnceLock::new();
    BASE.get_or_init(|| {
        let mut log = AuditLog::new(KEY).expect("a 32-byte key");
        let mut head = None;
        for (minute, decision) in [
            (0, Decision::Permit),
            (1, Decision::Deny),
            (2, Decision::Permit),
        ] {
            head = Some(log.append(event(minute, decision)).expect("a valid event"));
        }
        let head = head.expect("three entries");
        (log.to_jsonl().expect("a chain writes itself"), head)
    })
}

fn check_load(text: &str) {
    match AuditChain::from_jsonl(text) {
        Ok(chain) => {
            // the final newline is optional: `""` and `"\n"` are both the empty chain
            let written = chain.to_jsonl().expect("a read chain writes itself");
            assert_eq!(
                written.strip_suffix('\n').unwrap_or(&written),
                text.strip_suffix('\n').unwrap_or(text),
                "a chain reads only its canonical JSONL"
            );
        }
        Err(e) => {
            assert_no_id("error message", &e.to_string());
            return;
        }
    }
    match AuditLog::from_jsonl(KEY, text) {
        Ok(mut log) => {
            log.verify().expect("a loaded chain verifies");
            let before = log.len();
            let head = log
                .append(event(59, Decision::Deny))
                .expect("appending to a loaded chain");
            assert_eq!(usize::try_from(head.entries).ok(), Some(before + 1));
            log.verify_against(&head)
                .expect("the chain reaches its head");
            let jsonl = log.to_jsonl().expect("a chain writes itself");
            assert!(jsonl.starts_with(text.trim_end_matches('\n')));
            let again = AuditLog::from_jsonl(KEY, &jsonl).expect("the longer chain loads");
            assert_eq!(again.len(), before + 1);
        }
        Err(f) => assert_clean_failure(&f),
    }
}

fn check_tamper(cut: bool, edits: &[u8]) {
    let (base, head) = base_chain();
    let mut bytes = base.clone().into_bytes();
    if cut {
        let at = edits.iter().fold(0usize, |acc, &b| {
            acc.wrapping_mul(256).wrapping_add(usize::from(b))
        });
        bytes.truncate(at % (bytes.len() + 1));
    } else {
        for pair in edits.chunks_exact(3) {
            if let [hi, lo, value] = pair {
                let at = (usize::from(*hi) << 8 | usize::from(*lo)) % bytes.len();
                if let Some(slot) = bytes.get_mut(at) {
                    *slot = *value;
                }
            }
        }
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return;
    };
    // the same chain, with or without its final newline
    if text == *base || format!("{text}\n") == *base {
        return;
    }
    let loaded = AuditLog::from_jsonl(KEY, &text);
    let whole_lines = base.starts_with(&text) && (text.is_empty() || text.ends_with('\n'));
    let whole_lines = whole_lines || base.starts_with(&format!("{text}\n"));
    match loaded {
        Ok(log) => {
            assert!(
                cut && whole_lines,
                "an edited audit chain was accepted:\n{text}"
            );
            assert!(
                log.verify_against(head).is_err(),
                "a chain cut short still reaches the old head"
            );
        }
        Err(f) => {
            assert!(
                !(cut && whole_lines),
                "a chain cut at a line end is refused: {f}"
            );
            assert_clean_failure(&f);
        }
    }
}

/// The check of target `audit_chain`.
pub fn check(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        if let Ok(text) = std::str::from_utf8(rest) {
            check_load(text);
        }
    } else {
        check_tamper(mode & 2 != 0, rest);
    }
    // the key matters: the base chain under another key is refused
    if mode == 255 {
        let other = [7u8; 32];
        assert!(AuditLog::from_jsonl(&other, &base_chain().0).is_err());
    }
}
