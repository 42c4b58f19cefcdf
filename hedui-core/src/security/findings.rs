//! What the records and security checks find wrong: the details that [`SecurityError`]s
//! and reports of gaps carry (R10, R11).
//!
//! [`SecurityError`]: super::SecurityError

use std::fmt;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::digest::{DigestAlgorithm, Sha256Digest};

/// What an archived document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DocumentKind {
    /// 核对授权书 signed by a household (R1).
    AuthorizationLetter,
    /// 核对委托书 for one household (R2).
    EntrustmentLetter,
    /// The header letter of a batch 核对批次委托书.
    BatchLetter,
    /// Record of an offline investigation: field visit, neighbour interview, letter evidence
    /// (R7).
    OfflineInvestigation,
    /// 核对报告 (R3).
    Report,
}

impl DocumentKind {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::AuthorizationLetter => "authorization_letter",
            DocumentKind::EntrustmentLetter => "entrustment_letter",
            DocumentKind::BatchLetter => "batch_letter",
            DocumentKind::OfflineInvestigation => "offline_investigation",
            DocumentKind::Report => "report",
        }
    }

    /// Chinese name.
    pub fn label_zh(self) -> &'static str {
        match self {
            DocumentKind::AuthorizationLetter => "核对授权书",
            DocumentKind::EntrustmentLetter => "核对委托书",
            DocumentKind::BatchLetter => "批次委托书",
            DocumentKind::OfflineInvestigation => "线下调查记录",
            DocumentKind::Report => "核对报告",
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocumentKind::AuthorizationLetter => "authorization letter",
            DocumentKind::EntrustmentLetter => "entrustment letter",
            DocumentKind::BatchLetter => "batch letter",
            DocumentKind::OfflineInvestigation => "offline investigation record",
            DocumentKind::Report => "report",
        })
    }
}

/// A missing or mismatching document found by [`Archive::gaps`](crate::security::Archive::gaps) (R10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ArchiveGap {
    /// The letter's digest is not in the archive (or, for a batch letter, no batch letter is
    /// archived for the batch).
    Missing {
        /// What should be there.
        kind: DocumentKind,
        /// Its number.
        number: String,
        /// The digest the letter record names, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digest: Option<Sha256Digest>,
    },
    /// The digest is archived, but as another kind of document.
    WrongKind {
        /// The letter's number.
        number: String,
        /// Its digest.
        digest: Sha256Digest,
        /// Kind it should have.
        expected: DocumentKind,
        /// Kind it was archived as.
        found: DocumentKind,
    },
    /// The digest is archived as the right kind, but filed under another number or batch.
    Misfiled {
        /// Kind.
        kind: DocumentKind,
        /// The letter's number.
        number: String,
        /// Its digest.
        digest: Sha256Digest,
        /// `number` or `batch`.
        field: String,
        /// What the letter record says.
        expected: String,
        /// What the archive holds (empty when none).
        found: String,
    },
    /// A subject of the entrustment is not indexed on the archived letter, so the letter
    /// cannot be found by that subject.
    SubjectNotIndexed {
        /// Kind of the letter.
        kind: DocumentKind,
        /// Its number.
        number: String,
        /// Masked resident ID of the subject.
        subject: String,
    },
    /// The entrustment relies on an authorization letter that was not supplied.
    NoAuthorization {
        /// Entrustment number.
        entrustment: String,
        /// Authorization number it names.
        authorization: String,
    },
    /// The document is archived with a digest of another algorithm than the rulebook's crypto
    /// suite (R11: an SHA-256 digest under `shangmi`, or the other way round).
    DigestAlgorithm {
        /// Kind of the document.
        kind: DocumentKind,
        /// Its number.
        number: String,
        /// Its digest.
        digest: Sha256Digest,
        /// The suite's algorithm.
        expected: DigestAlgorithm,
        /// The algorithm it was archived with.
        found: DigestAlgorithm,
    },
}

impl ArchiveGap {
    /// Stable code of the gap.
    pub fn code(&self) -> &'static str {
        match self {
            ArchiveGap::Missing { .. } => "missing",
            ArchiveGap::WrongKind { .. } => "wrong_kind",
            ArchiveGap::Misfiled { .. } => "misfiled",
            ArchiveGap::SubjectNotIndexed { .. } => "subject_not_indexed",
            ArchiveGap::NoAuthorization { .. } => "no_authorization",
            ArchiveGap::DigestAlgorithm { .. } => "digest_algorithm",
        }
    }
}

impl fmt::Display for ArchiveGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchiveGap::Missing {
                kind,
                number,
                digest: Some(d),
            } => write!(f, "{kind} `{number}` (`{d}`) is not archived"),
            ArchiveGap::Missing {
                kind,
                number,
                digest: None,
            } => write!(f, "{kind} `{number}` is not archived"),
            ArchiveGap::WrongKind {
                number,
                digest,
                expected,
                found,
            } => write!(
                f,
                "{expected} `{number}` (`{digest}`) is archived as `{}`",
                found.as_str()
            ),
            ArchiveGap::Misfiled {
                kind,
                number,
                digest,
                field,
                expected,
                found,
            } => write!(
                f,
                "{kind} `{number}` (`{digest}`) is archived with {field} `{found}`, not `{expected}`"
            ),
            ArchiveGap::SubjectNotIndexed {
                kind,
                number,
                subject,
            } => write!(
                f,
                "{kind} `{number}` is not indexed under subject `{subject}`"
            ),
            ArchiveGap::NoAuthorization {
                entrustment,
                authorization,
            } => write!(
                f,
                "entrustment `{entrustment}` names authorization `{authorization}`, which was not supplied"
            ),
            ArchiveGap::DigestAlgorithm {
                kind,
                number,
                digest,
                expected,
                found,
            } => write!(
                f,
                "{kind} `{number}` (`{digest}`) is archived with a {found} digest, not {expected}"
            ),
        }
    }
}

/// Why an audit chain is broken at an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "problem", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChainProblem {
    /// The sequence number is not the entry's position: an entry before it was deleted or
    /// inserted, or entries were reordered.
    Sequence {
        /// The position.
        expected: u64,
        /// The number found.
        found: u64,
    },
    /// `prev` is not the previous entry's `mac`.
    Link,
    /// The content does not match the `mac`: a field was changed, or the entry was not written
    /// with this key.
    Mac,
    /// The record of the disposal the chain starts after does not match its `mac`: the
    /// record was made up or changed, so the chain has no verified start.
    Disposal,
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::Sequence { expected, found } => {
                write!(f, "sequence number {found} where {expected} was expected")
            }
            ChainProblem::Link => f.write_str("it does not link to the entry before it"),
            ChainProblem::Mac => f.write_str("its content does not match its mac"),
            ChainProblem::Disposal => {
                f.write_str("the record of the disposal it starts after does not match its mac")
            }
        }
    }
}

/// Why a password is refused (R11, N §三 "账号严禁使用弱口令").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WeakReason {
    /// Fewer characters than the policy asks.
    TooShort {
        /// Required.
        min: u32,
        /// Found.
        found: u32,
    },
    /// More characters than [`SecurityRules::max_password_chars`](crate::rulebook::SecurityRules::max_password_chars).
    TooLong {
        /// Allowed.
        max: u32,
        /// Found.
        found: u32,
    },
    /// Fewer character classes (lower, upper, digit, other) than the policy asks.
    TooFewClasses {
        /// Required.
        min: u32,
        /// Found.
        found: u32,
    },
    /// Contains the account name.
    ContainsAccount,
    /// Contains the holder's real name.
    ContainsName,
    /// Contains a run of this many characters of the operator's resident ID.
    ContainsIdDigits {
        /// Length of the run.
        run: u32,
    },
    /// On the common-password list.
    Common,
    /// Repeats one of the last passwords.
    Reused {
        /// How many past passwords are compared.
        history: u32,
    },
}

impl WeakReason {
    /// Stable code of the reason.
    pub fn code(&self) -> &'static str {
        match self {
            WeakReason::TooShort { .. } => "too_short",
            WeakReason::TooLong { .. } => "too_long",
            WeakReason::TooFewClasses { .. } => "too_few_classes",
            WeakReason::ContainsAccount => "contains_account",
            WeakReason::ContainsName => "contains_name",
            WeakReason::ContainsIdDigits { .. } => "contains_id_digits",
            WeakReason::Common => "common",
            WeakReason::Reused { .. } => "reused",
        }
    }
}

impl fmt::Display for WeakReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeakReason::TooShort { min, found } => {
                write!(f, "has {found} characters, at least {min} are required")
            }
            WeakReason::TooLong { max, found } => {
                write!(f, "has {found} characters, at most {max} are allowed")
            }
            WeakReason::TooFewClasses { min, found } => write!(
                f,
                "uses {found} of the character classes lower, upper, digit and symbol, at least {min} are required"
            ),
            WeakReason::ContainsAccount => f.write_str("contains the account name"),
            WeakReason::ContainsName => f.write_str("contains the holder's name"),
            WeakReason::ContainsIdDigits { run } => {
                write!(
                    f,
                    "contains {run} consecutive characters of the resident id"
                )
            }
            WeakReason::Common => f.write_str("is on the common-password list"),
            WeakReason::Reused { history } => {
                write!(f, "repeats one of the last {history} passwords")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The archive's documents (R10) are named as the records call them: 核对授权书,
    /// 核对委托书, 批次委托书, 线下调查记录, 核对报告.
    #[test]
    fn archived_documents_have_their_chinese_names() {
        let names = [
            (DocumentKind::AuthorizationLetter, "核对授权书"),
            (DocumentKind::EntrustmentLetter, "核对委托书"),
            (DocumentKind::BatchLetter, "批次委托书"),
            (DocumentKind::OfflineInvestigation, "线下调查记录"),
            (DocumentKind::Report, "核对报告"),
        ];
        for (kind, name) in names {
            assert_eq!(kind.label_zh(), name, "{kind}");
        }
    }

    /// What a chain check (R11) says of a broken entry is readable on its own.
    #[test]
    fn chain_problems_say_what_is_wrong() {
        let said = [
            ChainProblem::Sequence {
                expected: 3,
                found: 5,
            },
            ChainProblem::Link,
            ChainProblem::Mac,
            ChainProblem::Disposal,
        ]
        .map(|p| p.to_string());
        assert_eq!(
            said,
            [
                "sequence number 5 where 3 was expected",
                "it does not link to the entry before it",
                "its content does not match its mac",
                "the record of the disposal it starts after does not match its mac",
            ]
        );
    }
}
