//! Errors of the records and security rules (R10, R11).

use super::catalog::{error_catalog, rules};
use crate::digest::{DigestAlgorithm, Sha256Digest, SignatureAlgorithm};
use crate::security::findings::{ArchiveGap, ChainProblem, DocumentKind, WeakReason};

error_catalog! {
    /// R10 records / R11 security: archive, audit chain, operator accounts, permissions and report
    /// signatures.
    pub enum SecurityError in Security {
        /// R11: an account for a body that is not a verification agency.
        NotAnAgency {
            /// The body named as the operator's agency.
            body: String,
        }
            => "security_not_agency", 7000, Some(rules::R11),
            "R11 security: the body is not a verification agency",
            ("`{body}` is not a verification agency; the system is for verification agencies only");
        /// R11: the account is not real-name registered (实名制、备案制).
        NotRegistered {
            /// Login name.
            account: String,
            /// What is missing or malformed.
            reason: String,
        }
            => "security_not_registered", 7001, Some(rules::R11),
            "R11: the account is not real-name registered",
            ("account `{account}` is not real-name registered: {reason}");
        /// R11: activation without a signed confidentiality agreement.
        ConfidentialityUnsigned {
            /// Login name.
            account: String,
        }
            => "security_confidentiality_unsigned", 7002, Some(rules::R11),
            "R11: no signed confidentiality agreement",
            ("account `{account}` cannot be activated without a signed confidentiality agreement (保密协议)");
        /// R11: activation without a password.
        PasswordNotSet {
            /// Login name.
            account: String,
        }
            => "security_password_not_set", 7003, Some(rules::R11),
            "R11: the account has no password set",
            ("account `{account}` has no password set");
        /// R11: a weak password (账号严禁使用弱口令).
        WeakPassword {
            /// Login name.
            account: String,
            /// Every reason.
            reasons: Vec<WeakReason>,
        }
            => "security_weak_password", 7004, Some(rules::R11),
            "R11: a weak password",
            ("password for account `{account}` is weak: {}", join_display(reasons));
        /// The salt supplied for a password hash is too short or too long.
        SaltLength {
            /// Fewest bytes.
            min: usize,
            /// Most bytes.
            max: usize,
            /// Bytes given.
            found: usize,
        }
            => "security_salt_length", 7005, None,
            "a password salt of the wrong length",
            ("password salt must have {min} to {max} bytes, got {found}");
        /// R11: a password hash would be made, or was stored, with a PBKDF2 iteration count
        /// outside the policy bounds: too few make the hash cheap to guess, too many make every
        /// login a denial of service.
        HashIterations {
            /// Login name.
            account: String,
            /// Iterations asked for or stored.
            iterations: u32,
            /// The bound, with its source.
            bound: String,
        }
            => "security_hash_iterations", 7021, Some(rules::R11),
            "R11: a password hash with a pbkdf2 iteration count outside the policy bounds",
            ("password hash of account `{account}` has `{iterations}` pbkdf2 iterations, it must be {bound}");
        /// R11: a wrong password, or an account that does not exist (the same error, so that
        /// a guesser cannot tell the two apart). It says no more than that: how many attempts
        /// are left would help whoever is guessing; the account keeps the count.
        WrongPassword {
            /// Login name.
            account: String,
        }
            => "security_wrong_password", 7006, Some(rules::R11),
            "R11: a wrong password",
            ("wrong password for account `{account}`");
        /// R11: the account is locked after failed logins, until its lock-out ends or an
        /// administrator unlocks it (no count and no end time: neither is for a guesser).
        AccountLocked {
            /// Login name.
            account: String,
        }
            => "security_account_locked", 7007, Some(rules::R11),
            "R11: the account is locked after failed logins",
            ("account `{account}` is locked after failed logins");
        /// R11: the account is not activated.
        AccountInactive {
            /// Login name.
            account: String,
        }
            => "security_account_inactive", 7008, Some(rules::R11),
            "R11: the account is not active",
            ("account `{account}` is not active");
        /// R11: a permission check denied the action (严控各类人员数据处理权限).
        PermissionDenied {
            /// Role checked.
            role: String,
            /// Action asked for.
            action: &'static str,
            /// Why.
            reason: String,
        }
            => "permission_denied", 7009, Some(rules::R11),
            "R11: the permission check denied the action",
            ("role `{role}` may not `{action}`: {reason}");
        /// The audit HMAC key is too short.
        AuditKeyLength {
            /// Fewest bytes.
            min: usize,
            /// Bytes given.
            found: usize,
        }
            => "audit_key_length", 7010, None,
            "the audit key is too short",
            ("audit key must have at least {min} bytes, got {found}");
        /// An audit event's time cannot be written in RFC 3339.
        AuditTime {
            /// The time given.
            at: String,
            /// Why.
            reason: String,
        }
            => "audit_time_invalid", 7011, None,
            "an audit event's time cannot be recorded",
            ("audit time `{at}` cannot be recorded: {reason}");
        /// R11: the audit chain was changed, cut or reordered.
        AuditBroken {
            /// 0-based index of the first broken entry.
            index: usize,
            /// What is wrong there.
            problem: ChainProblem,
        }
            => "audit_chain_broken", 7012, Some(rules::R11),
            "R11: the audit chain was changed, cut or reordered",
            ("audit chain is broken at entry {index}: {problem}");
        /// A line of a JSONL audit log is empty, malformed or not canonical.
        AuditLine {
            /// 1-based line number.
            line: usize,
            /// Why.
            reason: String,
        }
            => "audit_line_invalid", 7013, None,
            "a line of a JSONL audit log is empty, malformed or not canonical",
            ("audit log line {line} is invalid: {reason}");
        /// R10: the digest is already archived with other metadata.
        ArchiveConflict {
            /// The digest.
            digest: Sha256Digest,
            /// Kind on file.
            kind: DocumentKind,
            /// Number on file.
            number: String,
        }
            => "archive_conflict", 7014, Some(rules::R10),
            "R10 records: the document is already archived with other metadata",
            ("document `{digest}` is already archived as {kind} `{number}`");
        /// R10: no archived document has this digest.
        ArchiveNotFound {
            /// The digest.
            digest: Sha256Digest,
        }
            => "archive_not_found", 7015, Some(rules::R10),
            "R10: the document is not archived",
            ("document `{digest}` is not archived");
        /// R10: letters are missing from the archive or filed wrongly; every gap is listed.
        ArchiveIncomplete {
            /// Every gap.
            gaps: Vec<ArchiveGap>,
        }
            => "archive_incomplete", 7016, Some(rules::R10),
            "R10: documents are missing from the archive or misfiled",
            ("{} document(s) missing or misfiled: {}", gaps.len(), join_display(gaps));
        /// R10: a document was to be disposed of before its retention period ended.
        RetentionNotElapsed {
            /// The digest.
            digest: Sha256Digest,
            /// Last day of retention.
            until: time::Date,
        }
            => "archive_retention", 7017, Some(rules::R10),
            "R10: the document's retention period has not ended",
            ("document `{digest}` must be kept until {until}");
        /// A report-signing key cannot be used.
        SigningKey {
            /// Key id.
            key_id: String,
            /// Why.
            reason: String,
        }
            => "signing_key_invalid", 7018, None,
            "a report-signing key cannot be used",
            ("signing key `{key_id}` is invalid: {reason}");
        /// A report signature names a key that is not trusted.
        UnknownSigningKey {
            /// Key id.
            key_id: String,
        }
            => "signature_unknown_key", 7019, None,
            "a report signature names a key that is not trusted",
            ("report signature names key `{key_id}`, which is not trusted");
        /// A report signature does not verify.
        BadSignature {
            /// Key id.
            key_id: String,
        }
            => "signature_invalid", 7020, None,
            "a report signature does not verify",
            ("report signature by key `{key_id}` does not verify");
        /// R11: an audit event dated before the entry it would follow; a log's times never go
        /// backwards, so a backdated entry cannot be slipped in.
        AuditTimeBackwards {
            /// The event's time (RFC 3339).
            at: String,
            /// The time of the last entry (RFC 3339).
            previous: String,
        }
            => "audit_time_backwards", 7022, Some(rules::R11),
            "R11: an audit event is dated before the entry it would follow",
            ("audit event at `{at}` is dated before the last entry, at `{previous}`");
        /// R11: the audit chain has fewer entries than the head stored apart from it: entries
        /// were cut off the end, or an older copy of the log was put back.
        AuditTruncated {
            /// The chain id.
            chain: String,
            /// Entries found.
            entries: u64,
            /// Entries the stored head records.
            expected: u64,
        }
            => "audit_chain_truncated", 7040, Some(rules::R11),
            "R11: the audit chain is shorter than its stored head: entries were cut off the end",
            ("audit chain `{chain}` has {entries} entries but its stored head records {expected}: entries were cut off the end or an older copy was put back");
        /// R11: the entry at the stored head's position is not the one the head names: the log
        /// was rolled back to an older copy and written on from there.
        AuditRolledBack {
            /// The chain id.
            chain: String,
            /// 0-based index of the entry the head names.
            index: u64,
        }
            => "audit_chain_rolled_back", 7041, Some(rules::R11),
            "R11: the audit chain was rolled back to an older copy and written on",
            ("audit chain `{chain}` does not reach its stored head: entry {index} is not the entry the head names, so the log was rolled back to an older copy and written on");
        /// R11: the audit log is another chain than the one expected (the stored head's, or
        /// the one asked for): a whole chain was swapped for another.
        AuditSwapped {
            /// The chain id expected.
            expected: String,
            /// The chain id found.
            found: String,
        }
            => "audit_chain_swapped", 7042, Some(rules::R11),
            "R11: the audit log is another chain than the one expected",
            ("audit log is chain `{found}`, not the expected chain `{expected}`");
        /// R11: an entry of another chain (MACed under the same key) was spliced into the
        /// chain.
        AuditSpliced {
            /// 0-based index of the first entry of the other chain.
            index: usize,
            /// The chain id.
            chain: String,
            /// The chain id that entry names.
            found: String,
        }
            => "audit_chain_spliced", 7043, Some(rules::R11),
            "R11: entries of another audit chain were spliced in",
            ("audit chain `{chain}` holds an entry of chain `{found}` at entry {index}: two chains were spliced");
        /// R11: an entry dated before the entry it follows, found on verification: times in a
        /// log never go backwards, so a backdated entry cannot be slipped in.
        AuditBackdated {
            /// 0-based index of the entry.
            index: usize,
            /// Its time (RFC 3339).
            at: String,
            /// The time of the entry before it (RFC 3339).
            previous: String,
        }
            => "audit_chain_backdated", 7044, Some(rules::R11),
            "R11: an audit entry is dated before the entry it follows",
            ("audit chain entry {index} is dated `{at}`, before the entry it follows at `{previous}`");
        /// R11: an entry is MACed with a key id the verifier's keyring does not hold.
        AuditKeyUnknown {
            /// 0-based index of the entry.
            index: usize,
            /// The key id it names.
            key_id: String,
        }
            => "audit_key_unknown", 7045, Some(rules::R11),
            "R11: an audit entry names a key the keyring does not hold",
            ("audit chain entry {index} is MACed with key `{key_id}`, which is not in the keyring");
        /// An audit log line (or entry) in a format this version does not read: format 1 has
        /// no chain id and no key id, so it cannot show a rolled-back or swapped chain.
        AuditFormat {
            /// 1-based line (or entry index + 1).
            line: usize,
            /// The format found.
            found: u32,
        }
            => "audit_format_unsupported", 7046, None,
            "an audit log in a format this version does not read",
            ("audit log line {line} is in format {found}; this version reads format 2 only (each entry with its chain id and key id)");
        /// A chain id or key id that cannot be used: empty, too long, not printable ASCII, or
        /// a key id already in the keyring.
        AuditId {
            /// `chain id` or `key id`.
            what: &'static str,
            /// The id given (at most 128 characters of it).
            id: String,
            /// Why.
            reason: String,
        }
            => "audit_id_invalid", 7047, None,
            "an audit chain id or key id cannot be used",
            ("audit {what} `{id}` cannot be used: {reason}");
        /// An audit keyring with no key was given where an entry is to be appended.
        AuditNoKey
            => "audit_keyring_empty", 7048, None,
            "the audit keyring holds no key",
            ("the audit keyring holds no key to append with");
        /// R11: a signed audit head whose signature names a key the verifier does not trust,
        /// or does not verify: the head cannot anchor its chain.
        AuditHeadSignature {
            /// The chain id the head names.
            chain: String,
            /// The key id the signature names.
            key_id: String,
            /// What is wrong.
            reason: String,
        }
            => "audit_head_signature_invalid", 7049, Some(rules::R11),
            "a signed audit head's signature is not from a trusted key or does not verify",
            ("the signed head of audit chain `{chain}` (key `{key_id}`) cannot be trusted: {reason}");
        /// R11: a gate that takes a report as evidence (relief follow-up, appeal, report
        /// history) was given a report with no signature, while the rulebook's
        /// `security.signed_evidence` requires one: a digest alone can be recomputed by
        /// whoever edits the report.
        EvidenceUnsigned {
            /// Report number.
            report: String,
            /// The gate (`relief_close`, `appeal_file`, `report_history_record`).
            gate: &'static str,
        }
            => "evidence_unsigned", 7030, Some(rules::R11),
            "R11: a report taken as evidence carries no signature",
            ("report `{report}` is not signed and cannot be evidence for `{gate}`");
        /// R11: a report taken as evidence is signed by a key the gate's keyring does not
        /// trust (an unknown, revoked or self-made key).
        EvidenceUnknownKey {
            /// Report number.
            report: String,
            /// The gate.
            gate: &'static str,
            /// The key id the signature names.
            key_id: String,
        }
            => "evidence_unknown_key", 7031, Some(rules::R11),
            "R11: a report taken as evidence is signed by a key that is not trusted",
            ("report `{report}` is signed by key `{key_id}`, which is not trusted, and cannot be evidence for `{gate}`");
        /// R11: a report taken as evidence has a signature that does not verify, or content
        /// that no longer matches the digest its signature covers.
        EvidenceBadSignature {
            /// Report number.
            report: String,
            /// The gate.
            gate: &'static str,
            /// The key id the signature names.
            key_id: String,
            /// What does not verify.
            reason: String,
        }
            => "evidence_bad_signature", 7032, Some(rules::R11),
            "R11: a report taken as evidence has a signature that does not verify",
            ("report `{report}` cannot be evidence for `{gate}`: {reason}");
        /// R11: a report's digest does not match its content under the algorithm its
        /// integrity block names (changed content, or a digest relabelled from one suite to
        /// the other).
        DigestMismatch {
            /// Report number.
            report: String,
            /// The algorithm the integrity block names.
            algorithm: DigestAlgorithm,
        }
            => "report_digest_mismatch", 7100, Some(rules::R11),
            "R11: a report's digest does not match its content under the algorithm it names",
            ("the {algorithm} digest of report `{report}` does not match its content");
        /// A signature and the trusted key it names belong to different algorithms (an SM2
        /// signature named as Ed25519 or the other way round): a signature of one suite never
        /// verifies as the other.
        SignatureAlgorithmMismatch {
            /// Key id.
            key_id: String,
            /// The algorithm the signature names.
            signature: SignatureAlgorithm,
            /// The algorithm of the trusted key.
            key: SignatureAlgorithm,
        }
            => "signature_algorithm_mismatch", 7101, None,
            "a signature's algorithm is not its key's",
            ("report signature by key `{key_id}` is named {signature}, but the key is a {key} key");
        /// R11: an audit entry names another MAC algorithm than its key's (an HMAC-SHA256
        /// entry under an HMAC-SM3 key or the other way round): an entry of one suite never
        /// verifies as the other.
        AuditMacAlgorithm {
            /// 0-based index of the entry.
            index: usize,
            /// The key id it names.
            key_id: String,
            /// The algorithm the entry names.
            entry: crate::digest::MacAlgorithm,
            /// The algorithm of the key.
            key: crate::digest::MacAlgorithm,
        }
            => "audit_mac_algorithm_mismatch", 7106, Some(rules::R11),
            "R11: an audit entry's MAC algorithm is not its key's",
            ("audit chain entry {index} is named {entry}, but key `{key_id}` is a {key} key");
        /// A document-sealing key cannot be used (SM4 takes 16 bytes; the key id is 1 to 255
        /// bytes).
        SealKey {
            /// Key id.
            key_id: String,
            /// Why.
            reason: String,
        }
            => "seal_key_invalid", 7102, None,
            "a document-sealing key cannot be used",
            ("sealing key `{key_id}` is invalid: {reason}");
        /// A sealed document is not a hedui envelope: too short (truncated), another magic,
        /// an unknown version or algorithm.
        SealEnvelope {
            /// What is wrong.
            reason: String,
        }
            => "seal_envelope_malformed", 7103, None,
            "a sealed document is not a well-formed envelope",
            ("the sealed document is malformed: {reason}");
        /// A sealed document was sealed under another key id than the key given to open it.
        SealKeyMismatch {
            /// The key id the envelope names.
            sealed_with: String,
            /// The key id of the key given.
            key_id: String,
        }
            => "seal_wrong_key", 7104, None,
            "a sealed document was sealed under another key",
            ("the document was sealed with key `{sealed_with}`, not `{key_id}`");
        /// A sealed document does not open: its authentication tag does not verify, so the
        /// ciphertext, the header, the associated data or the key bytes differ from sealing.
        SealOpen {
            /// The key id.
            key_id: String,
        }
            => "seal_open_failed", 7105, None,
            "a sealed document does not authenticate",
            ("the document sealed with key `{key_id}` does not authenticate: it, its associated data or the key changed");
        /// R11: audit entries were to be disposed of before the log retention period ended
        /// (网络安全法 Art 21: logs are kept at least six months).
        LogRetentionNotElapsed {
            /// Sequence number of the youngest entry that must still be kept.
            seq: u64,
            /// Last day it must be kept.
            until: time::Date,
        }
            => "log_retention_not_elapsed", 7070, Some(rules::R11),
            "R11: audit entries are younger than the log retention period",
            ("audit entry {seq} must be kept until {until}");
        /// R11: a log disposal names an entry the audit log does not hold.
        LogDisposalUnknownEntry {
            /// The sequence number asked for.
            seq: u64,
        }
            => "log_disposal_unknown_entry", 7071, Some(rules::R11),
            "R11: a log disposal names an entry the log does not hold",
            ("the audit log holds no entry {seq} to dispose of");
        /// R11: a stored head names an entry that was disposed of (网络安全法 Art 21 log
        /// retention): the chain no longer holds the MAC it names, so the head cannot anchor
        /// it; the newest head does.
        AuditHeadDisposed {
            /// The chain id.
            chain: String,
            /// Entries the head records.
            entries: u64,
            /// Sequence number of the chain's first entry after the disposal.
            start: u64,
        }
            => "audit_head_disposed", 7072, Some(rules::R11),
            "R11: a stored audit head names an entry that was disposed of",
            ("the head of audit chain `{chain}` records {entries} entries, but the entries before {start} were disposed of: verify against the newest head");
        /// R10: the text read from a printed report's QR code is not a printed-copy payload
        /// (`hedui-printed-v1`): not JSON, another form, a field missing or malformed.
        PrintedPayload {
            /// Why.
            reason: String,
        }
            => "printed_payload_invalid", 7130, Some(rules::R10),
            "R10: the QR code of a printed report does not hold a printed-copy payload",
            ("the printed report's QR code does not hold a `hedui-printed-v1` payload: {reason}");
        /// R10: a report's printed-copy payload is too long for a QR code (a report number or
        /// key id of thousands of characters).
        PrintedCodeTooLong {
            /// Report number.
            report: String,
            /// Bytes in the payload.
            bytes: usize,
        }
            => "printed_code_too_long", 7131, Some(rules::R10),
            "R10: the printed-copy payload of a report does not fit in a QR code",
            ("the printed-copy payload of report `{report}` has {bytes} bytes, more than a QR code holds");
    }
}

fn join_display<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
