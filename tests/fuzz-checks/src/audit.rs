//! Target `audit_chain`: the audit-chain loader (R11 安全管理, N §三), `AuditChain::from_jsonl`
//! and operation `audit_chain_from_jsonl`, which verifies with the keyring against a stored
//! head before handing out.
//!
//! Two modes, by the first byte:
//! - **load** (even): the rest is a JSONL log. What reads writes itself back as the same
//!   text; opened against the head it reaches, it verifies, takes one more entry and opens
//!   again against the new head; what is refused shows no resident ID.
//! - **tamper** (odd): the rest edits a valid three-entry chain (pairs of position and
//!   byte) or, with bit 1 set, cuts it short. Every change to the text is refused against
//!   the head stored before the change; a chain cut at a line end still opens against the
//!   head it reaches itself (its entries are intact), and nothing else does.

use std::sync::OnceLock;

use hedui_core::Sha256Digest;
use hedui_core::security::{AuditChain, AuditEvent, AuditHead, AuditKeyring, Decision, EventKind};
use hedui_ops::audit::{AuditLog, keyring_add};
use time::macros::datetime;

use crate::{assert_clean_failure, assert_no_id};

/// The secret every chain of this target is MACed with (32 bytes, the shortest allowed).
pub const KEY: &[u8; 32] = b"hedui fuzz audit key: 32 bytes!!";

/// The id of [`KEY`] in [`keyring`].
pub const KEY_ID: &str = "fuzz-key";

/// The id of every chain of this target.
pub const CHAIN: &str = "fuzz-chain";

/// A keyring holding [`KEY`] as [`KEY_ID`].
pub fn keyring() -> AuditKeyring {
    let mut keyring = AuditKeyring::new();
    keyring_add(&mut keyring, KEY_ID, KEY).expect("a valid key id and a 32-byte key");
    keyring
}

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
        let mut log = AuditLog::new(CHAIN, keyring()).expect("a keyring with a key");
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
    let chain = match AuditChain::from_jsonl(CHAIN, text) {
        Ok(chain) => {
            // the final newline is optional: `""` and `"\n"` are both the empty chain
            let written = chain.to_jsonl().expect("a read chain writes itself");
            assert_eq!(
                written.strip_suffix('\n').unwrap_or(&written),
                text.strip_suffix('\n').unwrap_or(text),
                "a chain reads only its canonical JSONL"
            );
            chain
        }
        Err(e) => {
            assert_no_id("error message", &e.to_string());
            return;
        }
    };
    // opened against the head it reaches itself, a chain verifies or is refused cleanly
    let own_head = chain.head();
    match AuditLog::from_jsonl(keyring(), text, &own_head) {
        Ok(mut log) => {
            log.verify().expect("an opened chain verifies");
            let before = log.len();
            let head = log
                .append(event(59, Decision::Deny))
                .expect("appending to an opened chain");
            assert_eq!(usize::try_from(head.entries).ok(), Some(before + 1));
            log.verify_against(&head)
                .expect("the chain reaches its new head");
            // the head the chain had before the append is now behind it, not a rollback
            log.verify_against(&own_head)
                .expect("a longer chain still passes through its older head");
            let jsonl = log.to_jsonl().expect("a chain writes itself");
            assert!(jsonl.starts_with(text.trim_end_matches('\n')));
            let again =
                AuditLog::from_jsonl(keyring(), &jsonl, &head).expect("the longer chain opens");
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
    // against the stored head every change is refused, a cut at a line end included
    assert!(
        AuditLog::from_jsonl(keyring(), &text, head).is_err(),
        "a changed audit chain opened against its stored head:\n{text}"
    );
    let loaded = AuditLog::from_jsonl(keyring(), &text, &read_head(&text));
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

/// The head a text reaches when read as chain [`CHAIN`] (the empty chain's head when it does
/// not read): what a host holding no stored head would have to trust.
pub fn read_head(text: &str) -> AuditHead {
    AuditChain::from_jsonl(CHAIN, text)
        .map_or_else(
            |_| AuditChain::new(CHAIN).map(|c| c.head()),
            |c| Ok(c.head()),
        )
        .expect("a valid chain id")
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
    // the key matters: the base chain under another key of the same id is refused
    if mode == 255 {
        let mut other = AuditKeyring::new();
        keyring_add(&mut other, KEY_ID, &[7u8; 32]).expect("a valid key");
        let (base, head) = base_chain();
        assert!(AuditLog::from_jsonl(other, base, head).is_err());
    }
}
