//! Appends a day's gate decisions to a tamper-evident audit chain, verifies it against its
//! head, then changes one byte in a copy of the JSONL log and shows the exact entry where
//! verification fails, and shows that a copy cut short is refused against the stored head.
//!
//! ```text
//! cargo run --example audit_chain
//! ```
//!
//! A real host takes the 32-byte HMAC key from a CSPRNG and keeps it in a key store, apart
//! from the log, and stores each head where the log's writers cannot change it; the fixed key
//! here only makes the output reproducible.

use std::error::Error;

use hedui_core::{
    DataCategory, Sha256Digest,
    error::SecurityError,
    security::{
        Action, AuditChain, AuditEvent, AuditKey, AuditKeyring, Decision, EventKind, Permissions,
    },
};
use time::format_description::well_known::Rfc3339;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

/// Demo key: never hard-code a real one.
const DEMO_KEY: &[u8; 32] = b"hedui demo audit key, 32 bytes!!";

/// The request a gate decided on, hashed for the log (no personal data in the chain).
fn context(request: &serde_json::Value) -> Sha256Digest {
    Sha256Digest::of(request.to_string().as_bytes())
}

fn event(
    at: OffsetDateTime,
    kind: EventKind,
    decision: Decision,
    actor: &str,
    reason: &str,
    request: &serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        at,
        event: kind,
        decision,
        actor: actor.to_owned(),
        reason: reason.to_owned(),
        context: context(request),
    }
}

fn main() -> Result<(), Box<dyn Error>> {
    let key = AuditKey::new("demo-2026", DEMO_KEY)?;
    let keyring = AuditKeyring::from(key.clone());
    let permissions = Permissions::default();
    let mut chain = AuditChain::new("A-141002/2026-03")?;
    let t0 = datetime!(2026-03-02 09:00 +08:00);
    let minutes = |m: i64| t0 + Duration::minutes(m);

    let request = serde_json::json!({ "authorization": "SQ-2026-0001", "household": "H-001" });
    chain.append(
        &key,
        event(
            minutes(0),
            EventKind::AuthorizationCheck,
            Decision::Permit,
            "op-zhangsan",
            "R1: authorization `SQ-2026-0001` valid, 3 of 3 members signed",
            &request,
        ),
    )?;
    let request = serde_json::json!({ "entrustment": "WT-2026-0001", "batch": "PC-2026-03" });
    chain.append(
        &key,
        event(
            minutes(5),
            EventKind::Entrustment,
            Decision::Permit,
            "op-zhangsan",
            "R1: entrustment `WT-2026-0001` issued from authorization `SQ-2026-0001`",
            &request,
        ),
    )?;
    chain.append(
        &key,
        event(
            minutes(20),
            EventKind::Precheck,
            Decision::Permit,
            "op-zhangsan",
            "R2 pre-check (N §二(二)) of `WT-2026-0001` passed",
            &request,
        ),
    )?;
    // Permission checks produce their own audit events.
    for (actor, role, action, category) in [
        (
            "op-zhangsan",
            "operator",
            Action::QueryData,
            Some(DataCategory::BankDeposits),
        ),
        (
            "op-wangwu",
            "auditor",
            Action::QueryData,
            Some(DataCategory::BankDeposits),
        ),
        ("op-lisi", "reviewer", Action::IssueReport, None),
    ] {
        let decision = permissions.check(role, action, category);
        let request = serde_json::json!({ "actor": actor, "action": action, "category": category });
        chain.append(
            &key,
            decision.audit_event(minutes(30), actor, context(&request)),
        )?;
    }
    let request = serde_json::json!({ "entrustment": "WT-2026-0001" });
    chain.append(
        &key,
        event(
            minutes(31),
            EventKind::VerificationStart,
            Decision::Permit,
            "op-zhangsan",
            "R2: verification of `WT-2026-0001` started from the accepted entrustment",
            &request,
        ),
    )?;
    let request = serde_json::json!({ "report": "BG-2026-0001" });
    let head = chain.append(
        &key,
        event(
            minutes(240),
            EventKind::ReportIssue,
            Decision::Permit,
            "op-lisi",
            "R3: report `BG-2026-0001` issued, 16 categories, no eligibility conclusion",
            &request,
        ),
    )?;

    chain.verify_against(&keyring, &head)?;
    println!("appended and verified {} entries", chain.len());
    for e in chain.entries() {
        println!(
            "  #{:<2} {}  {:<19} {:<6} {:<12} {}",
            e.seq,
            e.at.format(&Rfc3339)?,
            e.event.as_str(),
            e.decision.as_str(),
            e.actor,
            e.reason
        );
    }
    println!(
        "head: chain {}, {} entries, mac {}",
        head.chain, head.entries, head.mac
    );

    // Persist as JSONL, then tamper with one byte of a copy: entry 4 recorded a deny, and
    // someone turns `auditor` into `Auditor` in its reason.
    let log = chain.to_jsonl()?;
    let target = 4;
    let line_start: usize = log.split_inclusive('\n').take(target).map(str::len).sum();
    let line = log
        .get(line_start..)
        .and_then(|rest| rest.split('\n').next())
        .ok_or("log too short")?;
    let in_line = line.find("role `auditor`").ok_or("no auditor entry")? + "role `".len();
    let offset = line_start + in_line;
    let mut bytes = log.clone().into_bytes();
    let byte = bytes.get_mut(offset).ok_or("offset out of range")?;
    let before = *byte;
    *byte = byte.to_ascii_uppercase();
    println!(
        "\ntampered copy: byte {offset} (line {}, column {}) changed from `{}` to `{}`",
        target + 1,
        in_line + 1,
        char::from(before),
        char::from(*byte)
    );
    let tampered = AuditChain::from_jsonl(head.chain.clone(), std::str::from_utf8(&bytes)?)?;

    match tampered.verify_against(&keyring, &head) {
        Err(SecurityError::AuditBroken { index, problem }) => {
            let e = tampered.entries().get(index).ok_or("index out of range")?;
            println!("verification fails at entry {index}: {problem}");
            println!(
                "  #{} {} {} {} {}: {}",
                e.seq,
                e.at.format(&Rfc3339)?,
                e.event.as_str(),
                e.decision.as_str(),
                e.actor,
                e.reason
            );
            if index != target {
                return Err(format!("expected entry {target}, got {index}").into());
            }
        }
        Err(other) => return Err(other.into()),
        Ok(()) => return Err("tampering was not detected".into()),
    }

    // Cutting the last entry off leaves a chain valid on its own; the head kept apart shows it.
    let mut cut = log.lines().collect::<Vec<_>>();
    cut.pop();
    let cut = AuditChain::from_jsonl(head.chain.clone(), &cut.join("\n"))?;
    match cut.verify_against(&keyring, &head) {
        Err(e @ SecurityError::AuditTruncated { .. }) => {
            println!("truncated copy: {} ({})", e, e.code());
        }
        Err(other) => return Err(other.into()),
        Ok(()) => return Err("truncation was not detected".into()),
    }
    Ok(())
}
