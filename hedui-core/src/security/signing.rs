//! Report signatures with key ids so that keys can rotate (docs/rules.md#the-report: the
//! integrity block), in the suite the signing key belongs to:
//!
//! - international: Ed25519 (ring) over the report's SHA-256 digest; the signed message is the
//!   ASCII tag `hedui-report-signature-v1`, one zero byte, then the 32 digest bytes (58 bytes);
//! - commercial cryptography (商用密码): SM2 (GB/T 32918.2-2016, RustCrypto `sm2`) with SM3 and
//!   the default distinguishing identifier `1234567812345678` (GB/T 35276-2017 §10,
//!   GM/T 0009-2012 §10) over the report's SM3 digest; the signed message is the ASCII tag
//!   `hedui-report-signature-sm2-v1`, one zero byte, then the 32 SM3 digest bytes (62 bytes),
//!   which SM2 hashes with the signer's `Z` value as the standard says. OpenSSL 3 checks it
//!   with `openssl dgst -sm3 -verify pub.pem -sigopt distid:1234567812345678`.
//!
//! The tag keeps a report key's signatures from being valid for anything else signed with the
//! same key, and differs between the suites; a verifier elsewhere builds the same message.

use std::fmt;

use ring::signature::{self, Ed25519KeyPair, KeyPair};
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sm2::dsa::signature::{Signer as _, Verifier as _};
use sm2::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};

use crate::digest::{DigestSignature, Sha256Digest, SignatureAlgorithm};
use crate::error::SecurityError;

/// Domain-separation tag before the digest in every Ed25519 signed message.
const SIGNATURE_TAG: &[u8; 26] = b"hedui-report-signature-v1\0";

/// Domain-separation tag before the SM3 digest in every SM2 signed message.
const SM2_SIGNATURE_TAG: &[u8; 30] = b"hedui-report-signature-sm2-v1\0";

/// The distinguishing identifier every SM2 signature of hedui is made and checked with: the
/// default user ID of GB/T 35276-2017 §10 and GM/T 0009-2012 §10 (`ENTL` = 128 bits).
pub const SM2_DISTINGUISHING_ID: &str = "1234567812345678";

/// The message a key of `algorithm` signs for a report digest: its tag, a zero byte, the
/// digest bytes. A verifier elsewhere (OpenSSL, a hardware module) signs or checks these
/// bytes.
pub fn signed_message(algorithm: SignatureAlgorithm, digest: &Sha256Digest) -> Vec<u8> {
    let tag: &[u8] = match algorithm {
        SignatureAlgorithm::Ed25519 => SIGNATURE_TAG,
        SignatureAlgorithm::Sm2 => SM2_SIGNATURE_TAG,
    };
    let mut m = Vec::with_capacity(tag.len() + 32);
    m.extend_from_slice(tag);
    m.extend_from_slice(digest.as_bytes());
    m
}

/// The private half of a report-signing key.
enum SigningKey {
    Ed25519(Ed25519KeyPair),
    Sm2(Box<sm2::dsa::SigningKey>),
}

/// The agency's report-signing key, made from key material the host keeps (a key store, an
/// HSM export, a PKCS#8 file) — core generates no keys. An Ed25519 key signs in the
/// international suite, an SM2 key in the commercial-cryptography suite.
pub struct ReportSigner {
    key_id: String,
    key: SigningKey,
}

impl fmt::Debug for ReportSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportSigner")
            .field("key_id", &self.key_id)
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

impl ReportSigner {
    /// A signer from a PKCS#8 document (v1, as `openssl genpkey -algorithm ed25519` writes, or
    /// v2 with the public key, as `ring` generates).
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] when the document is not an Ed25519 PKCS#8 key or the key
    /// id is empty.
    pub fn from_pkcs8(key_id: impl Into<String>, pkcs8: &[u8]) -> Result<Self, SecurityError> {
        let key_id = check_key_id(key_id.into())?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|e| {
            SecurityError::SigningKey {
                key_id: key_id.clone(),
                reason: e.to_string(),
            }
        })?;
        Ok(ReportSigner {
            key_id,
            key: SigningKey::Ed25519(pair),
        })
    }

    /// An SM2 signer from a PKCS#8 document, DER (`openssl genpkey -algorithm SM2 -outform
    /// DER`) or PEM (`-----BEGIN PRIVATE KEY-----`, as `openssl genpkey -algorithm SM2`
    /// writes).
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] when the document is not an SM2 PKCS#8 key or the key id
    /// is empty.
    pub fn sm2_from_pkcs8(key_id: impl Into<String>, pkcs8: &[u8]) -> Result<Self, SecurityError> {
        let key_id = check_key_id(key_id.into())?;
        let bad = |reason: String| SecurityError::SigningKey {
            key_id: key_id.clone(),
            reason,
        };
        let secret = match pem_text(pkcs8) {
            Some(pem) => sm2::SecretKey::from_pkcs8_pem(pem),
            None => sm2::SecretKey::from_pkcs8_der(pkcs8),
        }
        .map_err(|e| bad(format!("not an SM2 PKCS#8 private key: {e}")))?;
        let key = sm2::dsa::SigningKey::new(SM2_DISTINGUISHING_ID, &secret)
            .map_err(|e| bad(e.to_string()))?;
        Ok(ReportSigner {
            key_id,
            key: SigningKey::Sm2(Box::new(key)),
        })
    }

    /// An SM2 signer from its 32-byte private key `d` (big-endian, 1 ≤ d < n − 1).
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] for an empty key id or a value outside the key range.
    pub fn sm2_from_secret(
        key_id: impl Into<String>,
        secret: &[u8; 32],
    ) -> Result<Self, SecurityError> {
        let key_id = check_key_id(key_id.into())?;
        let key =
            sm2::dsa::SigningKey::from_slice(SM2_DISTINGUISHING_ID, secret).map_err(|_| {
                SecurityError::SigningKey {
                    key_id: key_id.clone(),
                    reason: "not an SM2 private key (it must be between 1 and n - 2)".into(),
                }
            })?;
        Ok(ReportSigner {
            key_id,
            key: SigningKey::Sm2(Box::new(key)),
        })
    }

    /// A signer from a 32-byte Ed25519 seed (RFC 8032 private key).
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] for an empty key id.
    pub fn from_seed(key_id: impl Into<String>, seed: &[u8; 32]) -> Result<Self, SecurityError> {
        let key_id = check_key_id(key_id.into())?;
        let pair =
            Ed25519KeyPair::from_seed_unchecked(seed).map_err(|e| SecurityError::SigningKey {
                key_id: key_id.clone(),
                reason: e.to_string(),
            })?;
        Ok(ReportSigner {
            key_id,
            key: SigningKey::Ed25519(pair),
        })
    }

    /// The signature algorithm of this key.
    pub fn algorithm(&self) -> SignatureAlgorithm {
        match self.key {
            SigningKey::Ed25519(_) => SignatureAlgorithm::Ed25519,
            SigningKey::Sm2(_) => SignatureAlgorithm::Sm2,
        }
    }

    /// Seals `report` (its digest over the canonical form, with the digest algorithm of this
    /// key's suite: SHA-256 for Ed25519, SM3 for SM2) and signs the digest; the signature is
    /// stored in the report's integrity block, outside the canonical form.
    ///
    /// # Errors
    /// [`VerificationError::Unsealable`](crate::error::VerificationError::Unsealable) when the
    /// report cannot be written in its canonical form: nothing is signed then.
    pub fn sign_report(
        &self,
        report: &mut crate::Report,
    ) -> Result<(), crate::error::VerificationError> {
        let digest_algorithm = self.algorithm().digest_algorithm();
        let digest = report.compute_digest_with(digest_algorithm)?;
        let signature = self.sign(&digest);
        report.integrity = Some(crate::report::Integrity {
            canonical_form: crate::report::CANONICAL_FORM.to_owned(),
            digest_algorithm,
            digest,
            signature: Some(signature),
        });
        Ok(())
    }

    /// The key id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public half, to hand to verifiers.
    pub fn trusted_key(&self) -> TrustedKey {
        let public_key = match &self.key {
            SigningKey::Ed25519(pair) => pair.public_key().as_ref().to_vec(),
            SigningKey::Sm2(key) => key.verifying_key().to_sec1_bytes().into_vec(),
        };
        TrustedKey {
            key_id: self.key_id.clone(),
            algorithm: self.algorithm(),
            public_key,
        }
    }

    /// Signs a report's digest (taken with this key's digest algorithm,
    /// [`SignatureAlgorithm::digest_algorithm`]). SM2 signatures are deterministic (the nonce
    /// is derived from the key and the message, RFC 6979 style), so the same key and digest
    /// give the same bytes in every host.
    pub fn sign(&self, digest: &Sha256Digest) -> DigestSignature {
        let message = signed_message(self.algorithm(), digest);
        let signature = match &self.key {
            SigningKey::Ed25519(pair) => {
                let mut out = [0u8; 64];
                out.copy_from_slice(pair.sign(&message).as_ref());
                out
            }
            SigningKey::Sm2(key) => {
                let sig: sm2::dsa::Signature = key.sign(&message);
                sig.to_bytes()
            }
        };
        DigestSignature {
            key_id: self.key_id.clone(),
            algorithm: self.algorithm(),
            signature,
        }
    }
}

fn check_key_id(key_id: String) -> Result<String, SecurityError> {
    if key_id.trim().is_empty() {
        return Err(SecurityError::SigningKey {
            key_id,
            reason: "the key id is empty".into(),
        });
    }
    Ok(key_id)
}

/// A public key trusted for report signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrustedKey {
    /// Key id, as in the signatures it makes.
    pub key_id: String,
    /// The key's algorithm; absent means Ed25519 (keys listed before the
    /// commercial-cryptography suite read as they did).
    #[serde(default, skip_serializing_if = "SignatureAlgorithm::is_ed25519")]
    pub algorithm: SignatureAlgorithm,
    /// The public key as lowercase hex: 32 bytes for Ed25519, the 65-byte uncompressed SEC1
    /// point (`04 || x || y`, or 33 bytes compressed) for SM2.
    #[serde(with = "crate::hex::vec")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    pub public_key: Vec<u8>,
}

/// A key document's PEM text (`-----BEGIN ...`, surrounding white space trimmed), or `None`
/// for a DER document (which begins with a SEQUENCE tag byte, never with `-`).
fn pem_text(document: &[u8]) -> Option<&str> {
    std::str::from_utf8(document)
        .ok()
        .map(str::trim)
        .filter(|text| text.starts_with("-----BEGIN"))
}

impl TrustedKey {
    /// An SM2 key from its SubjectPublicKeyInfo, PEM (`-----BEGIN PUBLIC KEY-----`, as
    /// `openssl pkey -pubout` writes) or DER.
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] when the document is not an SM2 public key or the key id
    /// is empty.
    pub fn sm2_from_spki(key_id: impl Into<String>, spki: &[u8]) -> Result<Self, SecurityError> {
        let key_id = check_key_id(key_id.into())?;
        let public = match pem_text(spki) {
            Some(pem) => sm2::PublicKey::from_public_key_pem(pem),
            None => sm2::PublicKey::from_public_key_der(spki),
        }
        .map_err(|e| SecurityError::SigningKey {
            key_id: key_id.clone(),
            reason: format!("not an SM2 public key: {e}"),
        })?;
        Ok(TrustedKey {
            key_id,
            algorithm: SignatureAlgorithm::Sm2,
            public_key: public.to_sec1_bytes().into_vec(),
        })
    }
}

/// The public keys a verifier trusts, by id. To rotate, add the new key and start signing with
/// it; keep the old key as long as reports it signed must verify, and remove it to revoke.
///
/// ```
/// use hedui_core::{Sha256Digest, security::{ReportKeyring, ReportSigner}};
/// let old = ReportSigner::from_seed("2025-1", &[1u8; 32])?;
/// let new = ReportSigner::from_seed("2026-1", &[2u8; 32])?;
/// let mut keyring = ReportKeyring::default();
/// keyring.add(old.trusted_key())?;
/// keyring.add(new.trusted_key())?;
/// let digest = Sha256Digest::of(b"canonical report bytes");
/// keyring.verify(&digest, &old.sign(&digest))?;
/// keyring.verify(&digest, &new.sign(&digest))?;
/// keyring.remove("2025-1");
/// assert_eq!(keyring.verify(&digest, &old.sign(&digest)).unwrap_err().code(), "signature_unknown_key");
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportKeyring {
    /// Trusted keys; ids are unique.
    keys: Vec<TrustedKey>,
}

impl ReportKeyring {
    /// A keyring that trusts no key.
    pub const EMPTY: ReportKeyring = ReportKeyring { keys: Vec::new() };

    /// Trusts a key.
    ///
    /// # Errors
    /// [`SecurityError::SigningKey`] when a key with this id is already trusted: an id names
    /// one key for good.
    pub fn add(&mut self, key: TrustedKey) -> Result<(), SecurityError> {
        if self.keys.iter().any(|k| k.key_id == key.key_id) {
            return Err(SecurityError::SigningKey {
                key_id: key.key_id,
                reason: "a key with this id is already trusted".into(),
            });
        }
        self.keys.push(key);
        Ok(())
    }

    /// Stops trusting the key `key_id`; returns it if it was trusted.
    pub fn remove(&mut self, key_id: &str) -> Option<TrustedKey> {
        let pos = self.keys.iter().position(|k| k.key_id == key_id)?;
        Some(self.keys.remove(pos))
    }

    /// The trusted keys.
    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Checks a report: its digest must verify against its content (with the digest algorithm
    /// its integrity block names) and its signature against the trusted key it names, which
    /// must sign digests of that algorithm.
    ///
    /// # Errors
    /// [`SecurityError::BadSignature`] when the report is unsigned, changed or the signature
    /// does not verify; [`SecurityError::UnknownSigningKey`] for an unknown key id.
    pub fn verify_report(&self, report: &crate::Report) -> Result<(), SecurityError> {
        let unsigned = || SecurityError::BadSignature {
            key_id: String::new(),
        };
        let integrity = report.integrity.as_ref().ok_or_else(unsigned)?;
        let signature = integrity.signature.as_ref().ok_or_else(unsigned)?;
        if !report.verify_digest()
            || integrity.digest_algorithm != signature.algorithm.digest_algorithm()
        {
            return Err(SecurityError::BadSignature {
                key_id: signature.key_id.clone(),
            });
        }
        self.verify(&integrity.digest, signature)
    }

    /// Checks `signature` on `digest` with the trusted key it names.
    ///
    /// # Errors
    /// [`SecurityError::UnknownSigningKey`] when no trusted key has the id (or, from JSON,
    /// more than one has it); [`SecurityError::BadSignature`] when the signature does not
    /// verify.
    pub fn verify(
        &self,
        digest: &Sha256Digest,
        signature: &DigestSignature,
    ) -> Result<(), SecurityError> {
        let mut matching = self.keys.iter().filter(|k| k.key_id == signature.key_id);
        let (Some(key), None) = (matching.next(), matching.next()) else {
            return Err(SecurityError::UnknownSigningKey {
                key_id: signature.key_id.clone(),
            });
        };
        if key.algorithm != signature.algorithm {
            return Err(SecurityError::SignatureAlgorithmMismatch {
                key_id: signature.key_id.clone(),
                signature: signature.algorithm,
                key: key.algorithm,
            });
        }
        let bad = || SecurityError::BadSignature {
            key_id: signature.key_id.clone(),
        };
        let message = signed_message(key.algorithm, digest);
        match key.algorithm {
            SignatureAlgorithm::Ed25519 => {
                signature::UnparsedPublicKey::new(&signature::ED25519, &key.public_key)
                    .verify(&message, &signature.signature)
                    .map_err(|_| bad())
            }
            SignatureAlgorithm::Sm2 => {
                let public =
                    sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTINGUISHING_ID, &key.public_key)
                        .map_err(|_| bad())?;
                let sig =
                    sm2::dsa::Signature::from_bytes(&signature.signature).map_err(|_| bad())?;
                public.verify(&message, &sig).map_err(|_| bad())
            }
        }
    }
}

/// How a gate that takes a report as evidence checks it (R4 closing a relief follow-up, R9
/// filing an appeal, R10 recording a round of a report history): under the rulebook's
/// `security.signed_evidence` (the default) the report must carry a signature by a key of
/// `keyring`, over the digest of its present content; otherwise the gate checks the digest
/// alone.
///
/// A digest is not evidence on its own: whoever can edit a report can seal it again
/// ([`Report::seal`](crate::Report::seal)), so an edited relief reference or household would
/// pass. The signature ties the report to the agency's key (N §三 密码管理).
///
/// ```
/// use hedui_core::security::{EvidenceTrust, ReportKeyring, ReportSigner};
/// use hedui_core::rulebook::SecurityRules;
///
/// let signer = ReportSigner::from_seed("agency-2026", &[9u8; 32])?;
/// let mut keyring = ReportKeyring::default();
/// keyring.add(signer.trusted_key())?;
/// let trust = EvidenceTrust::new(&SecurityRules::default(), &keyring);
/// assert!(trust.requires_signature());
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct EvidenceTrust<'a> {
    keyring: &'a ReportKeyring,
    signed: bool,
}

/// The keyring of [`EvidenceTrust::digest_only`]: it trusts no key.
static NO_KEYS: ReportKeyring = ReportKeyring::EMPTY;

impl<'a> EvidenceTrust<'a> {
    /// Evidence checked as `rules.signed_evidence` says, against `keyring`.
    pub fn new(rules: &crate::rulebook::SecurityRules, keyring: &'a ReportKeyring) -> Self {
        EvidenceTrust {
            keyring,
            signed: rules.signed_evidence,
        }
    }

    /// Evidence that must be signed by a key of `keyring`, whatever a rulebook says.
    pub fn signed(keyring: &'a ReportKeyring) -> Self {
        EvidenceTrust {
            keyring,
            signed: true,
        }
    }

    /// Evidence checked by its digest alone (`security.signed_evidence = false`): for a
    /// deployment that signs no reports yet. A re-sealed, edited report passes.
    pub fn digest_only() -> EvidenceTrust<'static> {
        EvidenceTrust {
            keyring: &NO_KEYS,
            signed: false,
        }
    }

    /// Whether a signature is required.
    pub fn requires_signature(&self) -> bool {
        self.signed
    }

    /// Checks `report` as evidence for `gate` (the operation's name, for the message). When
    /// signatures are not required this checks nothing: the gate checks the digest itself.
    ///
    /// # Errors
    /// [`SecurityError::EvidenceUnsigned`] for a report without a signature,
    /// [`SecurityError::EvidenceUnknownKey`] for a signature by a key the keyring does not
    /// trust, [`SecurityError::EvidenceBadSignature`] for a signature that does not verify or
    /// content that no longer matches the signed digest.
    pub fn check(&self, report: &crate::Report, gate: &'static str) -> Result<(), SecurityError> {
        if !self.signed {
            return Ok(());
        }
        let report_number = || report.report_number.clone();
        let Some((integrity, signature)) = report
            .integrity
            .as_ref()
            .and_then(|i| i.signature.as_ref().map(|s| (i, s)))
        else {
            return Err(SecurityError::EvidenceUnsigned {
                report: report_number(),
                gate,
            });
        };
        let key_id = || signature.key_id.clone();
        match self.keyring.verify(&integrity.digest, signature) {
            Ok(()) => {}
            Err(SecurityError::UnknownSigningKey { .. }) => {
                return Err(SecurityError::EvidenceUnknownKey {
                    report: report_number(),
                    gate,
                    key_id: key_id(),
                });
            }
            Err(_) => {
                return Err(SecurityError::EvidenceBadSignature {
                    report: report_number(),
                    gate,
                    key_id: key_id(),
                    reason: format!(
                        "its signature by key `{}` does not verify",
                        signature.key_id
                    ),
                });
            }
        }
        if !report.verify_digest()
            || integrity.digest_algorithm != signature.algorithm.digest_algorithm()
        {
            return Err(SecurityError::EvidenceBadSignature {
                report: report_number(),
                gate,
                key_id: key_id(),
                reason: "its content does not match the digest its signature covers".to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A good sample report, sealed and signed by `signer`.
    fn signed_report(signer: &ReportSigner) -> crate::Report {
        let rb = crate::rulebook::Rulebook::default();
        let as_of = time::macros::datetime!(2026-11-29 10:00 +08:00);
        let mut report = (0..50)
            .find_map(|i| {
                crate::verify::verify(&crate::sample::sample_case(3, i, &rb).case, &rb, as_of).ok()
            })
            .unwrap();
        signer.sign_report(&mut report).unwrap();
        report
    }

    /// A report verifies only while unchanged, signed by a trusted key, over a digest of the
    /// algorithm its signature's suite uses (R11: a changed or re-sealed report is not the
    /// issued one).
    #[test]
    fn signed_reports_verify_only_unchanged_and_by_a_trusted_key() {
        let signer = ReportSigner::from_seed("k", &[3u8; 32]).unwrap();
        let mut ring = ReportKeyring::default();
        ring.add(signer.trusted_key()).unwrap();
        let good = signed_report(&signer);
        ring.verify_report(&good).unwrap();

        let mut changed = good.clone();
        changed.report_number.push('9');
        assert!(!changed.verify_digest());
        assert_eq!(
            ring.verify_report(&changed).unwrap_err().code(),
            "signature_invalid"
        );

        let mut unsigned = good.clone();
        unsigned.seal().unwrap();
        assert_eq!(
            ring.verify_report(&unsigned).unwrap_err().code(),
            "signature_invalid"
        );
        let mut unsealed = good.clone();
        unsealed.integrity = None;
        assert_eq!(
            ring.verify_report(&unsealed).unwrap_err().code(),
            "signature_invalid"
        );

        // sealed with SM3 but signed with Ed25519 (whose suite digests with SHA-256): the
        // digest and the signature both verify, the pairing does not
        let mut mixed = good.clone();
        mixed.seal_with(crate::DigestAlgorithm::Sm3).unwrap();
        assert!(mixed.verify_digest());
        let integrity = mixed.integrity.as_mut().unwrap();
        integrity.signature = Some(signer.sign(&integrity.digest));
        let mixed_integrity = integrity.clone();
        assert!(
            ring.verify(
                &mixed_integrity.digest,
                mixed_integrity.signature.as_ref().unwrap()
            )
            .is_ok()
        );
        assert_eq!(
            ring.verify_report(&mixed).unwrap_err().code(),
            "signature_invalid"
        );

        let stranger = ReportSigner::from_seed("other", &[4u8; 32]).unwrap();
        assert_eq!(
            ring.verify_report(&signed_report(&stranger))
                .unwrap_err()
                .code(),
            "signature_unknown_key"
        );

        // the same checks for a report given as evidence to a gate, when signatures are
        // required; with the digest alone nothing is checked here
        let trust = EvidenceTrust::signed(&ring);
        assert!(trust.requires_signature());
        assert!(!EvidenceTrust::digest_only().requires_signature());
        trust.check(&good, "gate").unwrap();
        for (report, code) in [
            (&changed, "evidence_bad_signature"),
            (&mixed, "evidence_bad_signature"),
            (&unsigned, "evidence_unsigned"),
            (&unsealed, "evidence_unsigned"),
            (&signed_report(&stranger), "evidence_unknown_key"),
        ] {
            assert_eq!(trust.check(report, "gate").unwrap_err().code(), code);
            EvidenceTrust::digest_only().check(report, "gate").unwrap();
        }
        let mut forged = good.clone();
        let integrity = forged.integrity.as_mut().unwrap();
        integrity.signature = Some(stranger.sign(&integrity.digest)).map(|mut s| {
            s.key_id = "k".to_owned();
            s
        });
        assert_eq!(
            trust.check(&forged, "gate").unwrap_err().code(),
            "evidence_bad_signature"
        );
    }

    /// The signer's key id is the one its signatures and trusted key carry.
    #[test]
    fn a_signer_names_its_key() {
        let signer = ReportSigner::from_seed("2026-1", &[1u8; 32]).unwrap();
        assert_eq!(signer.key_id(), "2026-1");
        assert_eq!(signer.trusted_key().key_id, "2026-1");
        assert_eq!(signer.sign(&Sha256Digest::of(b"x")).key_id, "2026-1");
    }

    /// SM2 keys come as PEM or DER documents (`openssl genpkey -algorithm SM2`, `openssl pkey
    /// -pubout`, with `-outform DER`): both forms read as the same key, PEM with white space
    /// around it too; anything else is refused.
    #[test]
    fn sm2_keys_read_from_pem_and_der() {
        use sm2::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
        let secret = sm2::SecretKey::from_slice(&[5u8; 32]).unwrap();
        let der = secret.to_pkcs8_der().unwrap();
        let pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        let from_der = ReportSigner::sm2_from_pkcs8("k", der.as_bytes()).unwrap();
        let from_pem =
            ReportSigner::sm2_from_pkcs8("k", format!("\n  {}\n", pem.as_str()).as_bytes())
                .unwrap();
        let expected = ReportSigner::sm2_from_secret("k", &[5u8; 32]).unwrap();
        assert_eq!(from_der.trusted_key(), expected.trusted_key());
        assert_eq!(from_pem.trusted_key(), expected.trusted_key());

        let public = secret.public_key();
        let spki_der = public.to_public_key_der().unwrap();
        let spki_pem = public.to_public_key_pem(LineEnding::LF).unwrap();
        for doc in [spki_der.as_bytes(), format!(" {spki_pem}").as_bytes()] {
            assert_eq!(
                TrustedKey::sm2_from_spki("k", doc).unwrap(),
                expected.trusted_key()
            );
        }
        for bad in [
            &b"not a key"[..],
            b"-----BEGIN PUBLIC KEY-----\nAAAA\n",
            b"\x30\x03\x02\x01\x01",
        ] {
            assert_eq!(
                TrustedKey::sm2_from_spki("k", bad).unwrap_err().code(),
                "signing_key_invalid"
            );
            assert_eq!(
                ReportSigner::sm2_from_pkcs8("k", bad).unwrap_err().code(),
                "signing_key_invalid"
            );
        }
    }

    /// Revoking a key (R11): `remove` gives back the key it stops trusting and leaves the
    /// others; an id it does not trust changes nothing.
    #[test]
    fn removing_a_key_revokes_only_that_key() {
        let a = ReportSigner::from_seed("a", &[1u8; 32]).unwrap();
        let b = ReportSigner::from_seed("b", &[2u8; 32]).unwrap();
        let mut ring = ReportKeyring::default();
        ring.add(a.trusted_key()).unwrap();
        ring.add(b.trusted_key()).unwrap();
        assert_eq!(ring.remove("c"), None);
        assert_eq!(ring.keys().len(), 2);
        assert_eq!(ring.remove("b"), Some(b.trusted_key()));
        assert_eq!(ring.keys(), [a.trusted_key()]);
        assert_eq!(ring.remove("b"), None);
    }

    #[test]
    fn sign_verify_and_tamper() {
        let signer = ReportSigner::from_seed("k1", &[7u8; 32]).unwrap();
        let mut ring = ReportKeyring::default();
        ring.add(signer.trusted_key()).unwrap();
        let d = Sha256Digest::of(b"report");
        let sig = signer.sign(&d);
        ring.verify(&d, &sig).unwrap();
        assert_eq!(
            ring.verify(&Sha256Digest::of(b"other"), &sig)
                .unwrap_err()
                .code(),
            "signature_invalid"
        );
        let mut bad = sig.clone();
        bad.signature[10] ^= 1;
        assert_eq!(
            ring.verify(&d, &bad).unwrap_err().code(),
            "signature_invalid"
        );
        let mut renamed = sig.clone();
        renamed.key_id = "k2".into();
        assert_eq!(
            ring.verify(&d, &renamed).unwrap_err().code(),
            "signature_unknown_key"
        );
        // a key under the same id from another seed is refused
        let other = ReportSigner::from_seed("k1", &[8u8; 32]).unwrap();
        assert_eq!(
            ring.add(other.trusted_key()).unwrap_err().code(),
            "signing_key_invalid"
        );
        // another key's signature under k1's name does not verify
        assert_eq!(
            ring.verify(&d, &other.sign(&d)).unwrap_err().code(),
            "signature_invalid"
        );

        let json = serde_json::to_string(&sig).unwrap();
        assert_eq!(serde_json::from_str::<DigestSignature>(&json).unwrap(), sig);
        let json = serde_json::to_string(&ring).unwrap();
        assert_eq!(serde_json::from_str::<ReportKeyring>(&json).unwrap(), ring);
        // the debug form names the key, never its secret
        let debug = format!("{signer:?}");
        assert!(
            debug.contains("\"k1\"") && debug.contains("Ed25519"),
            "{debug}"
        );
        assert!(!debug.contains("7, 7"), "{debug}");
    }

    #[test]
    fn pkcs8_keys_and_bad_input() {
        let rng = ring::rand::SystemRandom::new();
        let doc = Ed25519KeyPair::generate_pkcs8(&rng).unwrap();
        let signer = ReportSigner::from_pkcs8("k-pkcs8", doc.as_ref()).unwrap();
        let mut keys = ReportKeyring::default();
        keys.add(signer.trusted_key()).unwrap();
        let d = Sha256Digest::of(b"r");
        keys.verify(&d, &signer.sign(&d)).unwrap();
        assert_eq!(
            ReportSigner::from_pkcs8("k", b"not a key")
                .unwrap_err()
                .code(),
            "signing_key_invalid"
        );
        assert_eq!(
            ReportSigner::from_seed(" ", &[0u8; 32]).unwrap_err().code(),
            "signing_key_invalid"
        );
    }

    #[test]
    fn signed_message_is_tag_then_digest() {
        // ring alone, over the message as documented, accepts the signature
        let signer = ReportSigner::from_seed("k", &[5u8; 32]).unwrap();
        let d = Sha256Digest::of(b"x");
        let sig = signer.sign(&d);
        let mut msg = b"hedui-report-signature-v1\0".to_vec();
        msg.extend_from_slice(d.as_bytes());
        signature::UnparsedPublicKey::new(&signature::ED25519, signer.trusted_key().public_key)
            .verify(&msg, &sig.signature)
            .unwrap();
    }

    /// A key pair generated by OpenSSL 3.0 (`openssl genpkey -algorithm SM2`) and its
    /// signature (`openssl dgst -sm3 -sign key.pem -sigopt distid:1234567812345678`) over
    /// `hedui-report-signature-sm2-v1\0 || SM3("abc")`, DER r and s copied out with
    /// `openssl asn1parse`. The GM/T 0003.2 / GB/T 32918.2 appendix example cannot be used:
    /// it is computed on a test curve, and `sm2` implements only the recommended curve of
    /// GB/T 32918.5; `scripts/test-sm.sh` repeats this against the OpenSSL on the machine.
    const OPENSSL_SPKI_HEX: &str = concat!(
        "3059301306072a8648ce3d020106082a811ccf5501822d03420004eed88a60a51606e64403ae17122acd",
        "80bf05cf66fbf87a1b38cbd68cb84cc93054563a4c917c321f1bba23137bd2b1e48f88ed35343c4782a2",
        "21d31316c0db9d"
    );
    const OPENSSL_SECRET_HEX: &str =
        "d0d7e0f74220da7acec3c7ef1b630a4538a84ba516f564d3308595afae77f781";
    const OPENSSL_SIGNATURE_HEX: &str = concat!(
        "72b204643a315428c1c0a97eddb1616688967f237784a0af2ff60b8ca4ec1175",
        "8121b28857a60d2777158463248668b98a28a69459c53e2b4404c4bdd739e1e0"
    );

    fn sm3_abc() -> Sha256Digest {
        crate::digest::DigestAlgorithm::Sm3.digest(b"abc")
    }

    #[test]
    fn an_openssl_sm2_signature_verifies_and_a_changed_one_does_not() {
        let spki = crate::hex::decode(OPENSSL_SPKI_HEX).unwrap();
        let key = TrustedKey::sm2_from_spki("openssl-1", &spki).unwrap();
        assert_eq!(key.algorithm, SignatureAlgorithm::Sm2);
        let mut ring = ReportKeyring::default();
        ring.add(key.clone()).unwrap();
        let sig = DigestSignature {
            key_id: "openssl-1".into(),
            algorithm: SignatureAlgorithm::Sm2,
            signature: crate::hex::decode_array(OPENSSL_SIGNATURE_HEX).unwrap(),
        };
        ring.verify(&sm3_abc(), &sig).unwrap();
        for i in 0..64 {
            let mut bad = sig.clone();
            bad.signature[i] ^= 0x40;
            assert_eq!(
                ring.verify(&sm3_abc(), &bad).unwrap_err().code(),
                "signature_invalid"
            );
        }
        assert_eq!(
            ring.verify(&crate::digest::DigestAlgorithm::Sm3.digest(b"abd"), &sig)
                .unwrap_err()
                .code(),
            "signature_invalid"
        );
        // the private half gives the same public key, and its own (deterministic) signature
        // verifies under the OpenSSL public key
        let secret: [u8; 32] = crate::hex::decode_array(OPENSSL_SECRET_HEX).unwrap();
        let signer = ReportSigner::sm2_from_secret("openssl-1", &secret).unwrap();
        assert_eq!(signer.trusted_key(), key);
        let own = signer.sign(&sm3_abc());
        assert_eq!(own, signer.sign(&sm3_abc()));
        ring.verify(&sm3_abc(), &own).unwrap();
    }

    #[test]
    fn a_signature_of_one_suite_never_verifies_as_the_other() {
        let ed = ReportSigner::from_seed("k", &[7u8; 32]).unwrap();
        let sm = ReportSigner::sm2_from_secret("k", &[7u8; 32]).unwrap();
        let mut ed_ring = ReportKeyring::default();
        ed_ring.add(ed.trusted_key()).unwrap();
        let mut sm_ring = ReportKeyring::default();
        sm_ring.add(sm.trusted_key()).unwrap();
        let d = sm3_abc();
        // each signature verifies under its own key
        ed_ring.verify(&d, &ed.sign(&d)).unwrap();
        sm_ring.verify(&d, &sm.sign(&d)).unwrap();
        // an SM2 signature relabelled as Ed25519 meets an Ed25519 key: its bytes do not verify
        let mut relabelled = sm.sign(&d);
        relabelled.algorithm = SignatureAlgorithm::Ed25519;
        assert_eq!(
            ed_ring.verify(&d, &relabelled).unwrap_err().code(),
            "signature_invalid"
        );
        // under its own (SM2) key, a relabelled signature is refused by algorithm
        assert_eq!(
            sm_ring.verify(&d, &relabelled).unwrap_err().code(),
            "signature_algorithm_mismatch"
        );
        let mut relabelled = ed.sign(&d);
        relabelled.algorithm = SignatureAlgorithm::Sm2;
        assert_eq!(
            sm_ring.verify(&d, &relabelled).unwrap_err().code(),
            "signature_invalid"
        );
        assert_eq!(
            ed_ring.verify(&d, &relabelled).unwrap_err().code(),
            "signature_algorithm_mismatch"
        );
        // an unlabelled signature against an SM2 key is Ed25519 and refused by algorithm
        assert_eq!(
            sm_ring.verify(&d, &ed.sign(&d)).unwrap_err().code(),
            "signature_algorithm_mismatch"
        );
    }

    #[test]
    fn sm2_keys_from_bad_input_are_typed_errors() {
        let code = |r: Result<ReportSigner, SecurityError>| r.unwrap_err().code();
        assert_eq!(
            code(ReportSigner::sm2_from_pkcs8("k", b"junk")),
            "signing_key_invalid"
        );
        assert_eq!(
            code(ReportSigner::sm2_from_pkcs8(
                "k",
                b"-----BEGIN PRIVATE KEY-----\nAA==\n"
            )),
            "signing_key_invalid"
        );
        assert_eq!(
            code(ReportSigner::sm2_from_secret("k", &[0u8; 32])),
            "signing_key_invalid"
        );
        assert_eq!(
            code(ReportSigner::sm2_from_secret("k", &[0xffu8; 32])),
            "signing_key_invalid"
        );
        assert_eq!(
            code(ReportSigner::sm2_from_secret("", &[1u8; 32])),
            "signing_key_invalid"
        );
        assert_eq!(
            TrustedKey::sm2_from_spki("k", b"junk").unwrap_err().code(),
            "signing_key_invalid"
        );
        // an Ed25519 PKCS#8 document is not an SM2 key
        let doc = Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        assert_eq!(
            code(ReportSigner::sm2_from_pkcs8("k", doc.as_ref())),
            "signing_key_invalid"
        );
        // a malformed SM2 public key in a keyring fails verification, it does not panic
        let mut ring = ReportKeyring::default();
        ring.add(TrustedKey {
            key_id: "k".into(),
            algorithm: SignatureAlgorithm::Sm2,
            public_key: vec![4u8; 65],
        })
        .unwrap();
        let sm = ReportSigner::sm2_from_secret("k", &[7u8; 32]).unwrap();
        assert_eq!(
            ring.verify(&sm3_abc(), &sm.sign(&sm3_abc()))
                .unwrap_err()
                .code(),
            "signature_invalid"
        );
        assert!(!format!("{sm:?}").contains('7'));
    }
}
