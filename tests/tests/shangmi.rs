//! The commercial-cryptography suite (商用密码) chosen in the rulebook: reports sealed with SM3
//! and signed with SM2 name their algorithms, verify in hedui, and never pass as an artefact of
//! the international suite (or the other way round). The default suite writes the bytes it
//! always wrote (`identical_output` guards the main job; this file checks the field is absent).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::batch::{BatchOptions, verify_json_line};
use hedui_core::rulebook::CryptoSuite;
use hedui_core::security::{EvidenceTrust, ReportKeyring, ReportSigner};
use hedui_core::{
    DigestAlgorithm, Report, Rulebook, SignatureAlgorithm, sample::sample_case, verify,
};
use time::macros::datetime;

fn rulebook(suite: CryptoSuite) -> Rulebook {
    let mut rb = Rulebook::default();
    rb.security.crypto_suite = suite;
    rb
}

fn case(rb: &Rulebook) -> hedui_core::Case {
    (0..)
        .map(|i| sample_case(2026, i, rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case
}

fn report(suite: CryptoSuite) -> Report {
    let rb = rulebook(suite);
    verify(&case(&rb), &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap()
}

#[test]
fn a_shangmi_rulebook_seals_reports_with_sm3_and_says_so() {
    let sm = report(CryptoSuite::Shangmi);
    let integrity = sm.integrity.as_ref().unwrap();
    assert_eq!(integrity.digest_algorithm, DigestAlgorithm::Sm3);
    assert_eq!(
        integrity.digest,
        DigestAlgorithm::Sm3.digest(&sm.canonical_bytes().unwrap())
    );
    assert!(sm.verify_digest());
    sm.check_digest().unwrap();
    let json = serde_json::to_string(&sm).unwrap();
    assert!(json.contains("\"digest_algorithm\":\"sm3\""), "{json}");

    // the same case under the default suite: SHA-256, no algorithm field, same content
    let intl = report(CryptoSuite::International);
    let i = intl.integrity.as_ref().unwrap();
    assert_eq!(i.digest_algorithm, DigestAlgorithm::Sha256);
    assert_eq!(i.digest, intl.compute_digest().unwrap());
    assert!(
        !serde_json::to_string(&intl)
            .unwrap()
            .contains("digest_algorithm")
    );
    assert_eq!(
        intl.canonical_bytes().unwrap(),
        sm.canonical_bytes().unwrap()
    );
    assert_ne!(i.digest, integrity.digest);

    // a report read back from JSON verifies with the algorithm it names
    let back: Report = serde_json::from_str(&json).unwrap();
    assert!(back.verify_digest());
}

/// The main job's one-pass writer gives the bytes of the sealed report under either suite.
#[test]
fn the_main_job_writes_the_suite_s_digest() {
    for suite in [CryptoSuite::International, CryptoSuite::Shangmi] {
        let rb = rulebook(suite);
        let line = serde_json::to_string(&case(&rb)).unwrap();
        let opts = BatchOptions {
            rulebook: &rb,
            issued_at: datetime!(2026-11-29 10:00 +08:00),
            render: false,
            parallel: false,
        };
        let out = verify_json_line(&line, &opts).unwrap();
        let expected = report(suite);
        assert_eq!(
            String::from_utf8(out.json).unwrap(),
            serde_json::to_string(&expected).unwrap(),
            "{suite:?}"
        );
    }
}

#[test]
fn a_digest_relabelled_to_the_other_suite_fails_with_a_stable_code() {
    for (suite, other) in [
        (CryptoSuite::Shangmi, DigestAlgorithm::Sha256),
        (CryptoSuite::International, DigestAlgorithm::Sm3),
    ] {
        let mut r = report(suite);
        r.integrity.as_mut().unwrap().digest_algorithm = other;
        assert!(!r.verify_digest(), "{suite:?}");
        let e = r.check_digest().unwrap_err();
        assert_eq!(e.code(), "report_digest_mismatch");
        assert!(e.to_string().contains(other.as_str()), "{e}");
        // through JSON, as a stored report would be edited
        let mut json = serde_json::to_value(report(suite)).unwrap();
        json["integrity"]["digest_algorithm"] = other.as_str().into();
        let edited: Report = serde_json::from_value(json).unwrap();
        assert_eq!(
            edited.check_digest().unwrap_err().code(),
            "report_digest_mismatch"
        );
    }
    // an unknown algorithm name is refused when reading
    let mut json = serde_json::to_value(report(CryptoSuite::Shangmi)).unwrap();
    json["integrity"]["digest_algorithm"] = "md5".into();
    assert!(serde_json::from_value::<Report>(json).is_err());
}

#[test]
fn an_sm2_signed_report_is_evidence_and_a_relabelled_or_changed_one_is_not() {
    let signer = ReportSigner::sm2_from_secret("sm2-2026", &[0x42; 32]).unwrap();
    assert_eq!(signer.algorithm(), SignatureAlgorithm::Sm2);
    let mut keyring = ReportKeyring::default();
    keyring.add(signer.trusted_key()).unwrap();
    let mut r = report(CryptoSuite::Shangmi);
    signer.sign_report(&mut r).unwrap();
    let integrity = r.integrity.as_ref().unwrap();
    assert_eq!(integrity.digest_algorithm, DigestAlgorithm::Sm3);
    assert_eq!(
        integrity.signature.as_ref().unwrap().algorithm,
        SignatureAlgorithm::Sm2
    );
    keyring.verify_report(&r).unwrap();
    let trust = EvidenceTrust::signed(&keyring);
    trust.check(&r, "appeal_file").unwrap();

    // relabel the digest as SHA-256: the digest no longer matches
    let mut relabelled = r.clone();
    relabelled.integrity.as_mut().unwrap().digest_algorithm = DigestAlgorithm::Sha256;
    assert_eq!(
        keyring.verify_report(&relabelled).unwrap_err().code(),
        "signature_invalid"
    );
    assert_eq!(
        trust.check(&relabelled, "appeal_file").unwrap_err().code(),
        "evidence_bad_signature"
    );
    // relabel the signature as Ed25519: refused by algorithm
    let mut relabelled = r.clone();
    relabelled
        .integrity
        .as_mut()
        .unwrap()
        .signature
        .as_mut()
        .unwrap()
        .algorithm = SignatureAlgorithm::Ed25519;
    assert_eq!(
        keyring.verify_report(&relabelled).unwrap_err().code(),
        "signature_invalid"
    );
    assert_eq!(
        trust.check(&relabelled, "appeal_file").unwrap_err().code(),
        "evidence_bad_signature"
    );
    // changed content
    let mut changed = r.clone();
    changed.report_number.push('X');
    assert_eq!(
        keyring.verify_report(&changed).unwrap_err().code(),
        "signature_invalid"
    );

    // an Ed25519 signer over the same report signs a SHA-256 digest, and its signature is
    // refused by the SM2 key of the same id
    let ed = ReportSigner::from_seed("sm2-2026", &[0x42; 32]).unwrap();
    let mut other = report(CryptoSuite::Shangmi);
    ed.sign_report(&mut other).unwrap();
    assert_eq!(
        other.integrity.as_ref().unwrap().digest_algorithm,
        DigestAlgorithm::Sha256
    );
    assert_eq!(
        keyring.verify_report(&other).unwrap_err().code(),
        "signature_algorithm_mismatch"
    );
    assert_eq!(
        trust.check(&other, "appeal_file").unwrap_err().code(),
        "evidence_bad_signature"
    );
}

/// R11 through the operations layer: `archive_check` under a `shangmi` rulebook reports a
/// document archived with an SHA-256 digest as a gap, and one archived with SM3 as complete;
/// the international rulebook the other way round.
#[test]
fn archive_check_holds_archived_digests_to_the_suite() {
    let letter = b"scanned batch letter";
    let request = |algorithm: DigestAlgorithm| {
        let mut doc = serde_json::json!({
            "digest": algorithm.digest(letter).to_string(),
            "kind": "batch_letter",
            "number": "PC-2026-03",
            "batch": "PC-2026-03",
            "dated": "2026-03-01",
            "archived_on": "2026-03-02",
        });
        if algorithm == DigestAlgorithm::Sm3 {
            doc["digest_algorithm"] = "sm3".into();
        }
        serde_json::json!({"archive": [doc], "entrustments": [], "authorizations": []}).to_string()
    };
    let check = |suite: CryptoSuite, algorithm: DigestAlgorithm| -> serde_json::Value {
        let out =
            hedui_ops::archive::archive_check_json_under(&rulebook(suite), &request(algorithm))
                .unwrap();
        serde_json::from_slice(&out).unwrap()
    };
    assert_eq!(
        check(CryptoSuite::Shangmi, DigestAlgorithm::Sm3)["complete"],
        true
    );
    assert_eq!(
        check(CryptoSuite::International, DigestAlgorithm::Sha256)["complete"],
        true
    );
    let gap = check(CryptoSuite::Shangmi, DigestAlgorithm::Sha256);
    assert_eq!(gap["complete"], false);
    assert_eq!(gap["gaps"][0]["code"], "digest_algorithm");
    assert_eq!(gap["gaps"][0]["expected"], "sm3");
    assert_eq!(gap["gaps"][0]["found"], "sha256");
    let gap = check(CryptoSuite::International, DigestAlgorithm::Sm3);
    assert_eq!(gap["gaps"][0]["code"], "digest_algorithm");
    assert_eq!(gap["gaps"][0]["found"], "sm3");
}
