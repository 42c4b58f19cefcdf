//! The archive index 核对业务资料 (R10): every document of the work, keyed by the SHA-256 of its
//! content, with what it is, which batch and report it belongs to and whom it concerns.
//!
//! N §二(三): "核对机构要对核对业务开展过程中形成的具有保存价值的各种文字、图标、声像、电子数据等不同形式和
//! 载体的历史记录实行妥善集中统一管理，保证所有核对批次机构委托书、所有核对对象签署的核对授权书等相关资料
//! 可查询。核对发起机构对相应资料的有效性、合规性负责。"
//!
//! The index holds metadata only; the files themselves live wherever the host keeps them, found
//! by their digest.

use std::collections::{BTreeMap, BTreeSet};

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::findings::{ArchiveGap, DocumentKind};
use crate::authorization::Authorization;
use crate::calendar::add_months_clamped;
use crate::digest::{DigestAlgorithm, Sha256Digest};
use crate::entrustment::Entrustment;
use crate::error::SecurityError;
use crate::id::ResidentId;
use crate::rulebook::Retention;

/// One document in the archive index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchivedDocument {
    /// The digest of the file's bytes, in `digest_algorithm`: the key.
    pub digest: Sha256Digest,
    /// The digest's algorithm: SHA-256 (the default, omitted in JSON), or SM3 under the
    /// commercial-cryptography suite (GB/T 39786-2021 integrity of stored data).
    #[serde(default, skip_serializing_if = "DigestAlgorithm::is_sha256")]
    pub digest_algorithm: DigestAlgorithm,
    /// What it is.
    pub kind: DocumentKind,
    /// Its own number: letter, batch, record or report number.
    pub number: String,
    /// Batch it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<String>,
    /// Report it belongs to (for a report, its own number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    /// Subjects it concerns (signers of an authorization, subjects of an entrustment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<ResidentId>,
    /// Date on the document: signed, issued or done.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub dated: Date,
    /// Date it was archived; retention counts from here.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub archived_on: Date,
}

impl ArchivedDocument {
    /// Whether `bytes` are this document's content: their digest, in the algorithm the
    /// record names, is its digest. A file digested under the other suite never matches.
    pub fn content_matches(&self, bytes: &[u8]) -> bool {
        self.digest_algorithm.digest(bytes) == self.digest
    }
}

/// The archive index: documents by content digest (R10, N §二(三)).
///
/// ```
/// use hedui_core::{Sha256Digest, security::{Archive, ArchivedDocument, DocumentKind}};
/// use time::macros::date;
///
/// let mut archive = Archive::new();
/// let digest = Sha256Digest::of(b"scanned batch letter");
/// archive.insert(ArchivedDocument {
///     digest,
///     digest_algorithm: Default::default(),
///     kind: DocumentKind::BatchLetter,
///     number: "PC-2026-03".into(),
///     batch: Some("PC-2026-03".into()),
///     report: None,
///     subjects: vec![],
///     dated: date!(2026 - 03 - 01),
///     archived_on: date!(2026 - 03 - 02),
/// })?;
/// assert_eq!(archive.by_batch("PC-2026-03").count(), 1);
/// assert_eq!(archive.get(&digest).map(|d| d.kind), Some(DocumentKind::BatchLetter));
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(try_from = "Vec<ArchivedDocument>", into = "Vec<ArchivedDocument>")]
pub struct Archive {
    documents: BTreeMap<Sha256Digest, ArchivedDocument>,
}

impl TryFrom<Vec<ArchivedDocument>> for Archive {
    type Error = SecurityError;
    fn try_from(docs: Vec<ArchivedDocument>) -> Result<Self, Self::Error> {
        let mut archive = Archive::new();
        for d in docs {
            archive.insert(d)?;
        }
        Ok(archive)
    }
}

impl From<Archive> for Vec<ArchivedDocument> {
    fn from(a: Archive) -> Self {
        a.documents.into_values().collect()
    }
}

impl Archive {
    /// An empty archive.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document. Adding the same record again is a no-op.
    ///
    /// # Errors
    /// [`SecurityError::ArchiveConflict`] when the digest is already archived with other
    /// metadata: the archive never silently re-files a document.
    pub fn insert(&mut self, doc: ArchivedDocument) -> Result<(), SecurityError> {
        match self.documents.get(&doc.digest) {
            Some(existing) if *existing == doc => Ok(()),
            Some(existing) => Err(SecurityError::ArchiveConflict {
                digest: doc.digest,
                kind: existing.kind,
                number: existing.number.clone(),
            }),
            None => {
                self.documents.insert(doc.digest, doc);
                Ok(())
            }
        }
    }

    /// R11 under a crypto suite: every archived document whose digest is not in `algorithm`
    /// (the rulebook's suite, [`CryptoSuite::digest_algorithm`]), as a
    /// [`ArchiveGap::DigestAlgorithm`] gap, in digest order: a letter digested under one suite
    /// is never taken as archived under the other.
    ///
    /// [`CryptoSuite::digest_algorithm`]: crate::rulebook::CryptoSuite::digest_algorithm
    pub fn algorithm_gaps(&self, algorithm: DigestAlgorithm) -> Vec<ArchiveGap> {
        self.documents
            .values()
            .filter(|d| d.digest_algorithm != algorithm)
            .map(|d| ArchiveGap::DigestAlgorithm {
                kind: d.kind,
                number: d.number.clone(),
                digest: d.digest,
                expected: algorithm,
                found: d.digest_algorithm,
            })
            .collect()
    }

    /// The document with this digest.
    pub fn get(&self, digest: &Sha256Digest) -> Option<&ArchivedDocument> {
        self.documents.get(digest)
    }

    /// Every document, in digest order.
    pub fn documents(&self) -> impl Iterator<Item = &ArchivedDocument> {
        self.documents.values()
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether the archive is empty.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Documents of batch `batch` (the batch letter and every letter filed under it).
    pub fn by_batch<'a>(&'a self, batch: &'a str) -> impl Iterator<Item = &'a ArchivedDocument> {
        self.documents
            .values()
            .filter(move |d| d.batch.as_deref() == Some(batch))
    }

    /// Documents concerning the subject with this resident ID.
    pub fn by_subject<'a>(
        &'a self,
        subject: &'a ResidentId,
    ) -> impl Iterator<Item = &'a ArchivedDocument> {
        self.documents
            .values()
            .filter(move |d| d.subjects.contains(subject))
    }

    /// The report numbered `report` and every document filed with it.
    pub fn by_report<'a>(&'a self, report: &'a str) -> impl Iterator<Item = &'a ArchivedDocument> {
        self.documents.values().filter(move |d| {
            d.report.as_deref() == Some(report)
                || (d.kind == DocumentKind::Report && d.number == report)
        })
    }

    /// Every missing or mismatching document for a set of verifications (R10, N §二(三):
    /// "保证所有核对批次机构委托书、所有核对对象签署的核对授权书等相关资料可查询").
    ///
    /// For each entrustment: its letter digest is archived as an entrustment letter under its
    /// number and batch and indexed under each subject; the authorization it names is among
    /// `authorizations`. For each authorization named (checked once, however many entrustments
    /// rest on it): its letter digest is archived as an authorization letter under its number
    /// and indexed under every subject of those entrustments. For each batch the entrustments
    /// name, a batch letter is archived for it. Empty when complete.
    pub fn gaps(
        &self,
        entrustments: &[Entrustment],
        authorizations: &[Authorization],
    ) -> Vec<ArchiveGap> {
        let mut out = Vec::new();
        let mut batches = BTreeSet::new();
        // every subject an authorization must be found under, over all its entrustments
        let mut subjects_of: BTreeMap<&str, Vec<ResidentId>> = BTreeMap::new();
        for e in entrustments {
            let subjects = subjects_of.entry(&e.authorization_number).or_default();
            for s in &e.subjects {
                if !subjects.contains(s) {
                    subjects.push(s.clone());
                }
            }
        }
        let mut checked = BTreeSet::new();
        for e in entrustments {
            if let Some(b) = &e.batch {
                batches.insert(b.as_str());
            }
            self.letter_gaps(
                DocumentKind::EntrustmentLetter,
                &e.number,
                &e.letter_digest,
                e.batch.as_deref(),
                &e.subjects,
                &mut out,
            );
            if !checked.insert(e.authorization_number.as_str()) {
                continue; // one report per authorization letter
            }
            match authorizations
                .iter()
                .find(|a| a.number == e.authorization_number)
            {
                None => out.push(ArchiveGap::NoAuthorization {
                    entrustment: e.number.clone(),
                    authorization: e.authorization_number.clone(),
                }),
                Some(a) => self.letter_gaps(
                    DocumentKind::AuthorizationLetter,
                    &a.number,
                    &a.letter_digest,
                    None,
                    subjects_of
                        .get(e.authorization_number.as_str())
                        .map_or(&[], Vec::as_slice),
                    &mut out,
                ),
            }
        }
        for b in batches {
            let found = self
                .by_batch(b)
                .any(|d| d.kind == DocumentKind::BatchLetter);
            if !found {
                out.push(ArchiveGap::Missing {
                    kind: DocumentKind::BatchLetter,
                    number: b.to_owned(),
                    digest: None,
                });
            }
        }
        out
    }

    fn letter_gaps(
        &self,
        kind: DocumentKind,
        number: &str,
        digest: &Sha256Digest,
        batch: Option<&str>,
        subjects: &[ResidentId],
        out: &mut Vec<ArchiveGap>,
    ) {
        let Some(doc) = self.documents.get(digest) else {
            out.push(ArchiveGap::Missing {
                kind,
                number: number.to_owned(),
                digest: Some(*digest),
            });
            return;
        };
        if doc.kind != kind {
            out.push(ArchiveGap::WrongKind {
                number: number.to_owned(),
                digest: *digest,
                expected: kind,
                found: doc.kind,
            });
            return;
        }
        let misfiled = |field: &str, expected: &str, found: &str| ArchiveGap::Misfiled {
            kind,
            number: number.to_owned(),
            digest: *digest,
            field: field.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
        };
        if doc.number != number {
            out.push(misfiled("number", number, &doc.number));
        }
        if let Some(batch) = batch
            && doc.batch.as_deref() != Some(batch)
        {
            out.push(misfiled("batch", batch, doc.batch.as_deref().unwrap_or("")));
        }
        for s in subjects {
            if !doc.subjects.contains(s) {
                out.push(ArchiveGap::SubjectNotIndexed {
                    kind,
                    number: number.to_owned(),
                    subject: s.masked(),
                });
            }
        }
    }

    /// [`gaps`](Self::gaps) as a check.
    ///
    /// # Errors
    /// [`SecurityError::ArchiveIncomplete`] naming every gap.
    pub fn check_complete(
        &self,
        entrustments: &[Entrustment],
        authorizations: &[Authorization],
    ) -> Result<(), SecurityError> {
        let gaps = self.gaps(entrustments, authorizations);
        if gaps.is_empty() {
            Ok(())
        } else {
            Err(SecurityError::ArchiveIncomplete { gaps })
        }
    }

    /// The last day a document must be kept: `archived_on` plus
    /// [`Retention::document_months`] (clamped to month end). `None` if the digest is unknown.
    pub fn keep_until(&self, digest: &Sha256Digest, retention: &Retention) -> Option<Date> {
        let doc = self.documents.get(digest)?;
        Some(keep_until(doc, retention))
    }

    /// Documents whose retention period is over on `on`, which may be disposed of.
    pub fn disposable<'a>(
        &'a self,
        on: Date,
        retention: &'a Retention,
    ) -> impl Iterator<Item = &'a ArchivedDocument> {
        self.documents
            .values()
            .filter(move |d| on > keep_until(d, retention))
    }

    /// Removes a document whose retention period is over and returns its record.
    ///
    /// # Errors
    /// [`SecurityError::ArchiveNotFound`] for an unknown digest,
    /// [`SecurityError::RetentionNotElapsed`] while the document must still be kept.
    pub fn dispose(
        &mut self,
        digest: &Sha256Digest,
        on: Date,
        retention: &Retention,
    ) -> Result<ArchivedDocument, SecurityError> {
        let until = self
            .keep_until(digest, retention)
            .ok_or(SecurityError::ArchiveNotFound { digest: *digest })?;
        if on <= until {
            return Err(SecurityError::RetentionNotElapsed {
                digest: *digest,
                until,
            });
        }
        self.documents
            .remove(digest)
            .ok_or(SecurityError::ArchiveNotFound { digest: *digest })
    }
}

/// Last day of retention; dates past the calendar's end keep the document for good.
fn keep_until(doc: &ArchivedDocument, retention: &Retention) -> Date {
    i32::try_from(retention.document_months)
        .ok()
        .and_then(|m| add_months_clamped(doc.archived_on, m))
        .unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::*;
    use time::macros::date;

    fn id(s: &str) -> ResidentId {
        s.parse().unwrap()
    }

    fn unit() -> EntrustingUnit {
        EntrustingUnit {
            name: "某街道办事处".into(),
            credit_code: "91110000600037341L".parse().unwrap(),
            region: "141002".parse().unwrap(),
        }
    }

    fn authorization(n: &str, letter: &[u8]) -> Authorization {
        Authorization {
            number: n.into(),
            household_id: format!("H-{n}"),
            signatures: vec![],
            categories: DataCategory::ALL.to_vec(),
            signed_on: date!(2026 - 03 - 01),
            lapse_events: vec![],
            letter_digest: Sha256Digest::of(letter),
        }
    }

    fn entrustment(n: &str, auth: &str, subject: &str, letter: &[u8]) -> Entrustment {
        Entrustment {
            number: n.into(),
            batch: Some("PC-1".into()),
            unit: unit(),
            agency_id: "A-141002".into(),
            purpose: Purpose::PeriodicRecheck,
            programme: Programme::MinimumLivingAllowance,
            household_id: format!("H-{auth}"),
            subjects: vec![id(subject)],
            authorization_number: auth.into(),
            categories: vec![DataCategory::BankDeposits],
            issued_on: date!(2026 - 03 - 02),
            valid_until: None,
            withdrawn_on: None,
            letter_digest: Sha256Digest::of(letter),
            appeal: None,
            relief_reference: None,
            requested_on: None,
        }
    }

    fn doc(
        kind: DocumentKind,
        number: &str,
        letter: &[u8],
        batch: Option<&str>,
        subjects: &[&str],
    ) -> ArchivedDocument {
        ArchivedDocument {
            digest: Sha256Digest::of(letter),
            digest_algorithm: DigestAlgorithm::Sha256,
            kind,
            number: number.into(),
            batch: batch.map(Into::into),
            report: None,
            subjects: subjects.iter().map(|s| id(s)).collect(),
            dated: date!(2026 - 03 - 01),
            archived_on: date!(2026 - 03 - 02),
        }
    }

    const A: &str = "360426199101010071";
    const B: &str = "11010519491231002X";

    /// R11 under the commercial-cryptography suite: a document archived with an SM3 digest
    /// names its algorithm, matches its content only under SM3, and is a gap under the
    /// international suite (and an SHA-256 one under `shangmi`), never taken as the other.
    #[test]
    fn archive_digests_name_their_algorithm_and_follow_the_suite() {
        let letter = b"scanned entrustment letter";
        let mut sm3 = doc(DocumentKind::EntrustmentLetter, "WT-1", letter, None, &[A]);
        sm3.digest = DigestAlgorithm::Sm3.digest(letter);
        sm3.digest_algorithm = DigestAlgorithm::Sm3;
        assert!(sm3.content_matches(letter));
        assert!(!sm3.content_matches(b"another letter"));
        let mut relabelled = sm3.clone();
        relabelled.digest_algorithm = DigestAlgorithm::Sha256;
        assert!(!relabelled.content_matches(letter));
        let sha = doc(
            DocumentKind::BatchLetter,
            "PC-1",
            b"batch",
            Some("PC-1"),
            &[],
        );
        assert!(sha.content_matches(b"batch"));

        let json = serde_json::to_string(&sm3).unwrap();
        assert!(json.contains(r#""digest_algorithm":"sm3""#), "{json}");
        assert!(
            !serde_json::to_string(&sha)
                .unwrap()
                .contains("digest_algorithm")
        );

        let mut ar = Archive::new();
        ar.insert(sm3.clone()).unwrap();
        ar.insert(sha.clone()).unwrap();
        let under_shangmi = ar.algorithm_gaps(DigestAlgorithm::Sm3);
        assert_eq!(
            under_shangmi,
            vec![ArchiveGap::DigestAlgorithm {
                kind: DocumentKind::BatchLetter,
                number: "PC-1".into(),
                digest: sha.digest,
                expected: DigestAlgorithm::Sm3,
                found: DigestAlgorithm::Sha256,
            }]
        );
        assert_eq!(under_shangmi[0].code(), "digest_algorithm");
        assert_eq!(
            under_shangmi[0].to_string(),
            format!(
                "batch letter `PC-1` (`{}`) is archived with a sha256 digest, not sm3",
                sha.digest
            )
        );
        let under_international = ar.algorithm_gaps(DigestAlgorithm::Sha256);
        assert_eq!(under_international.len(), 1);
        assert!(matches!(
            &under_international[0],
            ArchiveGap::DigestAlgorithm { number, found: DigestAlgorithm::Sm3, .. } if number == "WT-1"
        ));
    }

    #[test]
    fn complete_batch_has_no_gaps_and_lookups_work() {
        let mut ar = Archive::new();
        ar.insert(doc(
            DocumentKind::BatchLetter,
            "PC-1",
            b"batch",
            Some("PC-1"),
            &[],
        ))
        .unwrap();
        ar.insert(doc(
            DocumentKind::EntrustmentLetter,
            "WT-1",
            b"wt1",
            Some("PC-1"),
            &[A],
        ))
        .unwrap();
        ar.insert(doc(
            DocumentKind::AuthorizationLetter,
            "SQ-1",
            b"sq1",
            None,
            &[A],
        ))
        .unwrap();
        let mut report = doc(DocumentKind::Report, "BG-1", b"report", Some("PC-1"), &[A]);
        report.report = Some("BG-1".into());
        ar.insert(report.clone()).unwrap();
        let mut visit = doc(
            DocumentKind::OfflineInvestigation,
            "XC-1",
            b"visit",
            None,
            &[A],
        );
        visit.report = Some("BG-1".into());
        ar.insert(visit).unwrap();
        ar.insert(report).unwrap(); // same record again: no-op
        let es = [entrustment("WT-1", "SQ-1", A, b"wt1")];
        let auths = [authorization("SQ-1", b"sq1")];
        assert_eq!(ar.gaps(&es, &auths), vec![]);
        ar.check_complete(&es, &auths).unwrap();
        assert_eq!(ar.by_batch("PC-1").count(), 3);
        assert_eq!(ar.by_subject(&id(A)).count(), 4);
        assert_eq!(ar.by_subject(&id(B)).count(), 0);
        assert_eq!(ar.by_report("BG-1").count(), 2);
        // five documents (the report filed twice is one), found by their digests
        assert_eq!((ar.len(), ar.is_empty()), (5, false));
        assert!(Archive::new().is_empty());
        let digests: Vec<Sha256Digest> = ar.documents().map(|d| d.digest).collect();
        assert_eq!(digests.len(), 5);
        assert!(digests.windows(2).all(|w| w[0] < w[1]), "in digest order");
        for digest in &digests {
            assert_eq!(ar.get(digest).map(|d| d.digest), Some(*digest));
        }
        assert!(ar.get(&Sha256Digest::of(b"never filed")).is_none());

        let json = serde_json::to_string(&ar).unwrap();
        let back: Archive = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ar);
    }

    /// A report is found by its number even when it names no report of its own, and only a
    /// report is: a document of another kind with the same number is not.
    #[test]
    fn a_report_is_found_by_its_number_and_kind() {
        let mut ar = Archive::new();
        for (kind, number, letter, filed_with) in [
            (DocumentKind::Report, "BG-1", &b"report 1"[..], None),
            (DocumentKind::Report, "BG-2", b"report 2", None),
            (
                DocumentKind::OfflineInvestigation,
                "BG-1",
                b"visit",
                Some("BG-2"),
            ),
        ] {
            let mut d = doc(kind, number, letter, None, &[A]);
            d.report = filed_with.map(Into::into);
            ar.insert(d).unwrap();
        }
        let found = |report| {
            ar.by_report(report)
                .map(|d| (d.kind, d.number.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(found("BG-1"), [(DocumentKind::Report, "BG-1".to_owned())]);
        assert_eq!(
            found("BG-2").len(),
            2,
            "the second report and the visit filed with it"
        );
    }

    #[test]
    fn completeness_names_each_missing_document() {
        let mut ar = Archive::new();
        // WT-1 archived fine; SQ-1 archived under the wrong kind.
        ar.insert(doc(
            DocumentKind::EntrustmentLetter,
            "WT-1",
            b"wt1",
            Some("PC-1"),
            &[A],
        ))
        .unwrap();
        ar.insert(doc(DocumentKind::Report, "SQ-1", b"sq1", None, &[A]))
            .unwrap();
        // WT-3 archived under another batch and number, without its subject.
        ar.insert(doc(
            DocumentKind::EntrustmentLetter,
            "WT-9",
            b"wt3",
            Some("PC-9"),
            &[],
        ))
        .unwrap();
        let es = [
            entrustment("WT-1", "SQ-1", A, b"wt1"),
            entrustment("WT-2", "SQ-2", B, b"wt2"), // letter missing, SQ-2 missing
            entrustment("WT-3", "SQ-3", B, b"wt3"), // misfiled; SQ-3 not supplied
        ];
        let auths = [authorization("SQ-1", b"sq1"), authorization("SQ-2", b"sq2")];
        let gaps = ar.gaps(&es, &auths);
        let codes: Vec<&str> = gaps.iter().map(ArchiveGap::code).collect();
        assert_eq!(
            codes,
            [
                "wrong_kind",
                "missing",
                "missing",
                "misfiled",
                "misfiled",
                "subject_not_indexed",
                "no_authorization",
                "missing"
            ]
        );
        assert_eq!(
            gaps[0],
            ArchiveGap::WrongKind {
                number: "SQ-1".into(),
                digest: Sha256Digest::of(b"sq1"),
                expected: DocumentKind::AuthorizationLetter,
                found: DocumentKind::Report,
            }
        );
        assert_eq!(
            gaps[1],
            ArchiveGap::Missing {
                kind: DocumentKind::EntrustmentLetter,
                number: "WT-2".into(),
                digest: Some(Sha256Digest::of(b"wt2")),
            }
        );
        assert_eq!(
            gaps[2],
            ArchiveGap::Missing {
                kind: DocumentKind::AuthorizationLetter,
                number: "SQ-2".into(),
                digest: Some(Sha256Digest::of(b"sq2")),
            }
        );
        assert_eq!(
            gaps[7],
            ArchiveGap::Missing {
                kind: DocumentKind::BatchLetter,
                number: "PC-1".into(),
                digest: None,
            }
        );
        let err = ar.check_complete(&es, &auths).unwrap_err();
        assert_eq!(err.code(), "archive_incomplete");
        let msg = err.to_string();
        assert!(
            msg.starts_with("R10 records (N §二(三)): 8 document(s)"),
            "{msg}"
        );
        assert!(msg.contains("entrustment letter `WT-2`"), "{msg}");
        assert!(msg.contains("authorization letter `SQ-1`"), "{msg}");
        assert!(msg.contains("is archived as `report`"), "{msg}");
        assert!(!msg.contains(B), "unmasked id in {msg}");
        let json = serde_json::to_value(&gaps[3]).unwrap();
        assert_eq!(json["code"], "misfiled");
    }

    #[test]
    fn shared_authorization_is_checked_once_for_all_its_subjects() {
        let mut ar = Archive::new();
        ar.insert(doc(
            DocumentKind::BatchLetter,
            "PC-1",
            b"batch",
            Some("PC-1"),
            &[],
        ))
        .unwrap();
        ar.insert(doc(
            DocumentKind::EntrustmentLetter,
            "WT-1",
            b"wt1",
            Some("PC-1"),
            &[A],
        ))
        .unwrap();
        ar.insert(doc(
            DocumentKind::EntrustmentLetter,
            "WT-2",
            b"wt2",
            Some("PC-1"),
            &[B],
        ))
        .unwrap();
        ar.insert(doc(
            DocumentKind::AuthorizationLetter,
            "SQ-1",
            b"sq1",
            None,
            &[A],
        ))
        .unwrap();
        let es = [
            entrustment("WT-1", "SQ-1", A, b"wt1"),
            entrustment("WT-2", "SQ-1", B, b"wt2"),
            entrustment("WT-3", "SQ-9", B, b"wt3"),
            entrustment("WT-4", "SQ-9", B, b"wt4"),
        ];
        let gaps = ar.gaps(&es, &[authorization("SQ-1", b"sq1")]);
        assert_eq!(
            gaps,
            [
                ArchiveGap::SubjectNotIndexed {
                    kind: DocumentKind::AuthorizationLetter,
                    number: "SQ-1".into(),
                    subject: id(B).masked(),
                },
                ArchiveGap::Missing {
                    kind: DocumentKind::EntrustmentLetter,
                    number: "WT-3".into(),
                    digest: Some(Sha256Digest::of(b"wt3")),
                },
                ArchiveGap::NoAuthorization {
                    entrustment: "WT-3".into(),
                    authorization: "SQ-9".into(),
                },
                ArchiveGap::Missing {
                    kind: DocumentKind::EntrustmentLetter,
                    number: "WT-4".into(),
                    digest: Some(Sha256Digest::of(b"wt4")),
                },
            ]
        );
    }

    #[test]
    fn conflicting_insert_and_retention() {
        let mut ar = Archive::new();
        let d = doc(DocumentKind::Report, "BG-1", b"r", None, &[]);
        ar.insert(d.clone()).unwrap();
        let mut other = d.clone();
        other.number = "BG-2".into();
        assert_eq!(
            ar.insert(other.clone()).unwrap_err().code(),
            "archive_conflict"
        );
        let dup = serde_json::to_string(&vec![d.clone(), other]).unwrap();
        assert!(serde_json::from_str::<Archive>(&dup).is_err());

        let retention = Rulebook::default().retention; // 60 months
        assert_eq!(
            ar.keep_until(&d.digest, &retention),
            Some(date!(2031 - 03 - 02))
        );
        let e = ar
            .dispose(&d.digest, date!(2031 - 03 - 02), &retention)
            .unwrap_err();
        assert_eq!(e.code(), "archive_retention");
        assert_eq!(ar.disposable(date!(2031 - 03 - 02), &retention).count(), 0);
        assert_eq!(ar.disposable(date!(2031 - 03 - 03), &retention).count(), 1);
        assert_eq!(
            ar.dispose(&d.digest, date!(2031 - 03 - 03), &retention)
                .unwrap(),
            d
        );
        assert_eq!(
            ar.dispose(&d.digest, date!(2031 - 03 - 03), &retention)
                .unwrap_err()
                .code(),
            "archive_not_found"
        );
    }
}
