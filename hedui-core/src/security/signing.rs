//! Report signatures: Ed25519 (ring) over a report's canonical SHA-256 digest, with key ids so
//! that keys can rotate (docs/rules.md#the-report: the integrity block).
//!
//! The signed message is the ASCII tag `hedui-report-signature-v1`, one zero byte, then the 32
//! digest bytes (58 bytes). The tag keeps a report key's signatures from being valid for
//! anything else signed with the same key; a verifier elsewhere builds the same message.

use std::fmt;

use ring::signature::{self, Ed25519KeyPair, KeyPair};
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::digest::{DigestSignature, Sha256Digest};
use crate::error::SecurityError;

/// Domain-separation tag before the digest in every signed message.
const SIGNATURE_TAG: &[u8; 26] = b"hedui-report-signature-v1\0";

fn message(digest: &Sha256Digest) -> [u8; 58] {
    let mut m = [0u8; 58];
    let (tag, rest) = m.split_at_mut(SIGNATURE_TAG.len());
    tag.copy_from_slice(SIGNATURE_TAG);
    rest.copy_from_slice(digest.as_bytes());
    m
}

/// The agency's report-signing key, made from key material the host keeps (a key store, an
/// HSM export, a PKCS#8 file) — core generates no keys.
pub struct ReportSigner {
    key_id: String,
    pair: Ed25519KeyPair,
}

impl fmt::Debug for ReportSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportSigner")
            .field("key_id", &self.key_id)
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
        Ok(ReportSigner { key_id, pair })
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
        Ok(ReportSigner { key_id, pair })
    }

    /// Seals `report` (its digest over the canonical form) and signs the digest; the signature
    /// is stored in the report's integrity block, outside the canonical form.
    ///
    /// # Errors
    /// [`VerificationError::Unsealable`](crate::error::VerificationError::Unsealable) when the
    /// report cannot be written in its canonical form: nothing is signed then.
    pub fn sign_report(
        &self,
        report: &mut crate::Report,
    ) -> Result<(), crate::error::VerificationError> {
        let digest = report.compute_digest()?;
        let signature = self.sign(&digest);
        report.integrity = Some(crate::report::Integrity {
            canonical_form: crate::report::CANONICAL_FORM.to_owned(),
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
        let mut public_key = [0u8; 32];
        public_key.copy_from_slice(self.pair.public_key().as_ref());
        TrustedKey {
            key_id: self.key_id.clone(),
            public_key,
        }
    }

    /// Signs a report's digest.
    pub fn sign(&self, digest: &Sha256Digest) -> DigestSignature {
        let sig = self.pair.sign(&message(digest));
        let mut signature = [0u8; 64];
        signature.copy_from_slice(sig.as_ref());
        DigestSignature {
            key_id: self.key_id.clone(),
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
    /// The 32-byte Ed25519 public key, as 64 lowercase hex characters.
    #[serde(with = "crate::hex::array")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    pub public_key: [u8; 32],
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

    /// Checks a report: its digest must verify against its content and its signature against
    /// the trusted key it names.
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
        if !report.verify_digest() {
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
        signature::UnparsedPublicKey::new(&signature::ED25519, &key.public_key)
            .verify(&message(digest), &signature.signature)
            .map_err(|_| SecurityError::BadSignature {
                key_id: signature.key_id.clone(),
            })
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
        if !report.verify_digest() {
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
        assert!(!format!("{signer:?}").contains("7, 7"));
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
}
