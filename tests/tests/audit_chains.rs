//! Audit chains that cannot be rolled back or swapped (R11, N §三), through the operations
//! layer every host calls: a stored log is opened only with the head kept apart from it, and
//! a log cut short, rolled back to an older copy and written on, spliced from two chains or
//! swapped for another is refused with its own code before anything is appended.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use hedui_core::Sha256Digest;
use hedui_core::security::{AuditEvent, AuditHead, AuditKeyring, Decision, EventKind};
use hedui_ops::audit::{AuditLog, keyring_add};
use time::macros::datetime;

fn keyring(keys: &[(&str, [u8; 32])]) -> AuditKeyring {
    let mut ring = AuditKeyring::new();
    for (id, secret) in keys {
        keyring_add(&mut ring, id, secret).unwrap();
    }
    ring
}

fn event(i: i64, reason: &str) -> AuditEvent {
    AuditEvent {
        at: datetime!(2026-11-29 09:00 +08:00) + time::Duration::minutes(i),
        event: EventKind::DataQuery,
        decision: Decision::Permit,
        actor: "op-7".into(),
        reason: format!("{reason} {i}"),
        context: Sha256Digest::of(format!("request {i}").as_bytes()),
    }
}

/// A log of `n` entries under `ring`, its JSONL and its head.
fn log(chain_id: &str, ring: &AuditKeyring, n: i64) -> (AuditLog, String, AuditHead) {
    let mut log = AuditLog::new(chain_id, ring.clone()).unwrap();
    for i in 0..n {
        log.append(event(i, "query")).unwrap();
    }
    let text = log.to_jsonl().unwrap();
    let head = log.head();
    (log, text, head)
}

fn refused(ring: &AuditKeyring, text: &str, head: &AuditHead) -> &'static str {
    AuditLog::from_jsonl(ring.clone(), text, head)
        .unwrap_err()
        .code()
}

#[test]
fn a_stored_log_is_opened_only_if_it_reaches_its_head() {
    let ring = keyring(&[("k1", [1; 32])]);
    let (_, text, head) = log("A-141002/2026", &ring, 6);
    let mut opened = AuditLog::from_jsonl(ring.clone(), &text, &head).unwrap();
    opened.append(event(6, "query")).unwrap();
    opened.verify_against(&head).unwrap();

    // cut short: valid in itself, short of the head
    let lines: Vec<&str> = text.lines().collect();
    let cut = lines[..4].join("\n");
    assert_eq!(refused(&ring, &cut, &head), "audit_chain_truncated");

    // rolled back to the 4-entry copy and written on to the head's length, every MAC valid
    let older = AuditLog::from_jsonl(ring.clone(), &cut, &{
        let (_, _, h) = log("A-141002/2026", &ring, 4);
        h
    });
    let mut forked = older.unwrap();
    forked.append(event(4, "rewritten")).unwrap();
    forked.append(event(5, "rewritten")).unwrap();
    forked.verify_against(&forked.head()).unwrap();
    assert_eq!(forked.len(), 6);
    assert_eq!(
        forked.verify_against(&head).unwrap_err().code(),
        "audit_chain_rolled_back"
    );
    assert_eq!(
        refused(&ring, &forked.to_jsonl().unwrap(), &head),
        "audit_chain_rolled_back"
    );
}

#[test]
fn chains_under_one_key_are_not_taken_for_each_other() {
    let ring = keyring(&[("k1", [1; 32])]);
    let (_, a, a_head) = log("A-141002/2026", &ring, 4);
    let (_, b, _) = log("B-141002/2026", &ring, 4);
    assert_eq!(refused(&ring, &b, &a_head), "audit_chain_swapped");
    let spliced: Vec<&str> = a.lines().take(2).chain(b.lines().skip(2)).collect();
    assert_eq!(
        refused(&ring, &spliced.join("\n"), &a_head),
        "audit_chain_spliced"
    );
}

#[test]
fn keys_rotate_and_verification_needs_every_key_the_chain_names() {
    let old = keyring(&[("k1", [1; 32])]);
    let (_, text, head) = log("A-141002/2026", &old, 3);
    let both = keyring(&[("k1", [1; 32]), ("k2", [2; 32])]);
    let mut rotated = AuditLog::from_jsonl(both.clone(), &text, &head).unwrap();
    let head = rotated.append(event(3, "query")).unwrap();
    let text = rotated.to_jsonl().unwrap();
    assert!(text.lines().nth(3).unwrap().contains("\"key_id\":\"k2\""));
    AuditLog::from_jsonl(both, &text, &head).unwrap();
    assert_eq!(refused(&old, &text, &head), "audit_key_unknown");
    assert_eq!(
        refused(&keyring(&[("k2", [2; 32])]), &text, &head),
        "audit_key_unknown"
    );
    assert_eq!(
        AuditLog::new("A-1", AuditKeyring::new())
            .unwrap_err()
            .code(),
        "audit_keyring_empty"
    );
}

/// Whoever holds the MAC keys can roll a log back and write a matching head beside it: the
/// plain head then vouches for the older copy. A head signed with the agency's signing key
/// (which the audit writer does not hold) cannot be rewritten, so the rollback is found.
#[test]
fn a_signed_head_cannot_be_rewritten_with_the_log() {
    use hedui_core::security::{ReportKeyring, ReportSigner};
    use hedui_ops::audit::{
        AuditHeadOpenRequest, AuditHeadSignRequest, audit_head_open, audit_head_sign,
    };
    use hedui_ops::security::SecretBytes;

    let ring = keyring(&[("k1", [1; 32])]);
    let (old_log, old_text, old_head) = log("A-141002/2026", &ring, 4);
    let mut current = old_log;
    current.append(event(4, "query")).unwrap();
    let head = current.append(event(5, "query")).unwrap();

    let sign = |head: &AuditHead| {
        audit_head_sign(&AuditHeadSignRequest {
            head: head.clone(),
            key_id: "agency-2026".into(),
            seed_hex: SecretBytes::new(vec![9; 32]),
        })
        .unwrap()
    };
    let signed = sign(&head);
    let signer = ReportSigner::from_seed("agency-2026", &[9; 32]).unwrap();
    let trusted = vec![signer.trusted_key()];
    let open = |signed| {
        audit_head_open(&AuditHeadOpenRequest {
            signed_head: signed,
            trusted_keys: trusted.clone(),
        })
    };

    // the stored log opens against the head its signed checkpoint names
    let opened = open(signed.clone()).unwrap();
    assert_eq!(opened, head);
    AuditLog::from_jsonl(ring.clone(), &current.to_jsonl().unwrap(), &opened).unwrap();

    // the rollback: the old copy put back with its own (plain) head passes a plain check …
    AuditLog::from_jsonl(ring.clone(), &old_text, &old_head).unwrap();
    // … but the checkpoint's head is not the old one, and the old copy does not reach it
    assert_eq!(refused(&ring, &old_text, &opened), "audit_chain_truncated");
    // rewriting the checkpoint's head to the old one breaks its signature
    let mut forged = signed.clone();
    forged.head = old_head.clone();
    assert_eq!(
        open(forged).unwrap_err().code(),
        "audit_head_signature_invalid"
    );
    // and a checkpoint signed by a key the verifier does not trust is refused too
    let other = ReportSigner::from_seed("agency-2026", &[8; 32]).unwrap();
    assert_eq!(
        open(old_head.sign(&other)).unwrap_err().code(),
        "audit_head_signature_invalid"
    );
    let mut keyring = ReportKeyring::default();
    keyring.add(signer.trusted_key()).unwrap();
    assert_eq!(sign(&head).open(&keyring).unwrap(), &head);
}
