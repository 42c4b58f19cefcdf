//! Records and security: the document archive (R10), the tamper-evident audit chain, operator
//! accounts, permissions and report signatures (R11).
//!
//! N §二(三): "保证所有核对批次机构委托书、所有核对对象签署的核对授权书等相关资料可查询" and
//! N §三: "实行账号实名制、备案制，账号严禁使用弱口令，严禁系统账号外借 … 核对经办人员要签订保密协议，
//! 严控各类人员数据处理权限".
//!
//! Core does no I/O and draws no randomness: salts, HMAC keys and signing keys come from the
//! host, which must take them from a CSPRNG (e.g. `ring::rand::SystemRandom`, the OS
//! generator) and keep the secret ones out of the data they protect.

mod account;
mod archive;
mod audit;
pub(crate) mod findings;
mod lending;
mod mask;
mod password;
mod permission;
mod retention;
mod sealing;
mod signing;

pub use crate::digest::DigestSignature;
pub use account::{AccountRequest, AccountStatus, Login, OperatorAccount};
pub use archive::{Archive, ArchivedDocument};
pub use audit::{
    AUDIT_FORMAT, AuditChain, AuditEntry, AuditEvent, AuditHead, AuditKey, AuditKeyring, AuditMac,
    Decision, EventKind, LogDisposal, SignedAuditHead,
};
pub use findings::{ArchiveGap, ChainProblem, DocumentKind, WeakReason};
pub use lending::{GeoPoint, LendingFlag, Location, Session, detect_lending};
pub use mask::PersonalKind;
pub use password::{
    COMMON_PASSWORDS, pbkdf2_runs, weaknesses as password_weaknesses,
    weaknesses_for_holder as password_weaknesses_for_holder,
};
pub use permission::{Action, MaskPolicy, PermissionDecision, Permissions, RoleGrant, Visibility};
pub use retention::{disposable_logs, dispose_logs, log_keep_until};
pub use sealing::{
    DocumentKey, SEALED_MAGIC, SEALED_SM4_GCM, SEALED_VERSION, open_document, seal_document,
    sealed_key_id,
};
pub use signing::{
    EvidenceTrust, ReportKeyring, ReportSigner, SM2_DISTINGUISHING_ID, TrustedKey, signed_message,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rulebook::SecurityRules;

    #[cfg(feature = "schemas")]
    #[test]
    fn json_schemas_build() {
        let chain = serde_json::to_value(schemars::schema_for!(AuditChain)).unwrap();
        assert_eq!(chain["type"], "object", "{chain}");
        let archive = serde_json::to_value(schemars::schema_for!(Archive)).unwrap();
        assert_eq!(archive["type"], "array", "{archive}");
        for schema in [
            schemars::schema_for!(AuditEvent),
            schemars::schema_for!(OperatorAccount),
            schemars::schema_for!(AccountRequest),
            schemars::schema_for!(Permissions),
            schemars::schema_for!(Session),
            schemars::schema_for!(ReportKeyring),
            schemars::schema_for!(DigestSignature),
            schemars::schema_for!(SecurityRules),
            schemars::schema_for!(LendingFlag),
            schemars::schema_for!(ArchiveGap),
        ] {
            let v = serde_json::to_value(schema).unwrap();
            assert!(v.is_object());
        }
    }

    /// R11: the decision an audit entry records reads `permit` or `deny`, the same words its
    /// JSON form uses.
    #[test]
    fn decisions_read_as_their_json_words() {
        for (decision, word) in [(Decision::Permit, "permit"), (Decision::Deny, "deny")] {
            assert_eq!(decision.as_str(), word);
            assert_eq!(decision.to_string(), word);
            assert_eq!(
                serde_json::to_value(decision).unwrap(),
                serde_json::Value::from(word)
            );
        }
    }

    #[test]
    fn rules_roundtrip_and_refuse_unknown_fields() {
        let r = SecurityRules::default();
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            serde_json::from_value::<SecurityRules>(json.clone()).unwrap(),
            r
        );
        let mut bad = json;
        bad["surprise"] = 1.into();
        assert!(serde_json::from_value::<SecurityRules>(bad).is_err());
    }
}

#[cfg(test)]
mod hostile_input {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::Rulebook;
    use crate::rulebook::SecurityRules;

    fn any_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<i64>().prop_map(serde_json::Value::from),
            "\\PC{0,20}".prop_map(serde_json::Value::from),
            Just(serde_json::Value::from("360426199101010071")),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("name".to_owned()),
                        Just("total_fen".to_owned()),
                        "[a-z_]{1,8}"
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn audit_readers_never_panic(text in "\\PC{0,300}", pos in 0usize..400, c in any::<char>()) {
            let _ = AuditChain::from_jsonl("c", &text);
            let _ = AuditChain::from_json(&text);
            // a valid line with one character replaced
            let key = AuditKey::new("k", &[1u8; 32]).unwrap();
            let keyring = AuditKeyring::from(key.clone());
            let mut chain = AuditChain::new("c").unwrap();
            chain.append(&key, AuditEvent {
                at: time::macros::datetime!(2026-03-02 10:00 +08:00),
                event: EventKind::Login,
                decision: Decision::Deny,
                actor: "op".into(),
                reason: "口令错误".into(),
                context: crate::Sha256Digest::of(b"x"),
            }).unwrap();
            let line = chain.to_jsonl().unwrap();
            let mut chars: Vec<char> = line.chars().collect();
            let at = pos % chars.len();
            chars[at] = c;
            let changed: String = chars.into_iter().collect();
            if let Ok(read) = AuditChain::from_jsonl("c", &changed) {
                prop_assert!(changed == line || read.verify(&keyring).is_err());
            }
        }

        #[test]
        fn password_checks_never_panic(password in "\\PC{0,200}", account in "\\PC{0,20}") {
            let id: crate::ResidentId = "360426199101010071".parse().unwrap();
            let _ = password::weaknesses(
                &password, &account, &id, &Rulebook::default().password, &SecurityRules::default(),
            );
        }

        #[test]
        fn masking_never_panics(mut doc in any_json()) {
            for view in [MaskPolicy::NOTHING, Permissions::default().view("operator")] {
                view.apply(&mut doc);
            }
        }

        #[test]
        fn lending_never_panics(
            points in prop::collection::vec((any::<f64>(), any::<f64>(), 0i64..100_000, prop::option::of(-100i64..100_000), 0u8..3), 0..12)
        ) {
            let t0 = time::macros::datetime!(2026-03-02 00:00 UTC);
            let sessions: Vec<Session> = points
                .into_iter()
                .map(|(lat, lon, start, end, t)| Session {
                    account: "a".into(),
                    terminal: format!("T{t}"),
                    start: t0 + time::Duration::seconds(start),
                    end: end.map(|e| t0 + time::Duration::seconds(e)),
                    location: Some(Location::Point(GeoPoint { lat, lon })),
                })
                .collect();
            let _ = detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new());
        }
    }
}
