//! 32-byte digests of documents (scanned letters, reports), written as lowercase hex: SHA-256
//! (the international suite) or SM3 (the commercial-cryptography suite, GB/T 32905-2016), the
//! algorithm named beside the digest where both can occur ([`DigestAlgorithm`]).

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InputError;

/// A 32-byte digest, shown and serialized as 64 lowercase hex characters: SHA-256 (ring) from
/// [`Sha256Digest::of`], or the digest of the algorithm an artefact names beside it
/// ([`DigestAlgorithm::digest`]; SM3 digests are 32 bytes as well).
///
/// ```
/// use hedui_core::Sha256Digest;
/// let d = Sha256Digest::of(b"abc");
/// assert_eq!(d.to_string(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    /// Digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        let d = ring::digest::digest(&ring::digest::SHA256, bytes);
        let mut out = [0u8; 32];
        out.copy_from_slice(d.as_ref());
        Sha256Digest(out)
    }

    /// Wraps raw digest bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Sha256Digest(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Parses 64 hex characters (either case).
    ///
    /// # Errors
    /// [`InputError::Inconsistent`] when the text is not 64 hex characters.
    pub fn parse_hex(s: &str) -> Result<Self, InputError> {
        let b = s.as_bytes();
        let bad = || InputError::Inconsistent {
            message: format!("digest `{s}` is not 64 hex characters"),
        };
        if b.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
            let hi = hex_val(pair.first().copied().unwrap_or(0)).ok_or_else(bad)?;
            let lo = hex_val(pair.get(1).copied().unwrap_or(0)).ok_or_else(bad)?;
            *slot = (hi << 4) | lo;
        }
        Ok(Sha256Digest(out))
    }
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::with_capacity(64);
        crate::hex::push_hex(&mut s, &self.0);
        f.write_str(&s)
    }
}

impl fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

impl FromStr for Sha256Digest {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_hex(s)
    }
}

impl Serialize for Sha256Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Sha256Digest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Sha256Digest::parse_hex(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemas")]
impl JsonSchema for Sha256Digest {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Sha256Digest".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "SHA-256 digest as 64 hex characters",
            "pattern": "^[0-9a-fA-F]{64}$"
        })
    }
}

/// The hash an artefact's digest was taken with, named in the artefact (a report's integrity
/// block) so a reader knows how to check it. Serialized `sha256` / `sm3`.
///
/// A digest of one algorithm never checks as the other: the algorithm is read from the
/// artefact and the digest recomputed with it, so relabelling a digest makes it a mismatch.
///
/// ```
/// use hedui_core::DigestAlgorithm;
/// // GB/T 32905-2016 appendix A.1: SM3("abc")
/// assert_eq!(
///     DigestAlgorithm::Sm3.digest(b"abc").to_string(),
///     "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DigestAlgorithm {
    /// SHA-256 (FIPS 180-4), the international suite: the default, and what an artefact that
    /// names no algorithm was digested with.
    #[default]
    Sha256,
    /// SM3 (GB/T 32905-2016), the commercial-cryptography (商用密码) suite.
    Sm3,
}

impl DigestAlgorithm {
    /// The digest of `bytes` with this algorithm.
    pub fn digest(self, bytes: &[u8]) -> Sha256Digest {
        match self {
            DigestAlgorithm::Sha256 => Sha256Digest::of(bytes),
            DigestAlgorithm::Sm3 => {
                use sm3::Digest as _;
                Sha256Digest(sm3::Sm3::digest(bytes).into())
            }
        }
    }

    /// The JSON name (`sha256`, `sm3`).
    pub fn as_str(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sm3 => "sm3",
        }
    }

    /// Whether this is SHA-256, the algorithm an artefact that names none was digested with
    /// (serde's `skip_serializing_if`, so international artefacts keep their old bytes).
    pub fn is_sha256(&self) -> bool {
        *self == DigestAlgorithm::Sha256
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The signature algorithm of a report signature or a trusted key. Serialized `ed25519` /
/// `sm2`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032) over a SHA-256 report digest, the international suite: the default,
    /// and what a signature or key that names no algorithm is.
    #[default]
    Ed25519,
    /// SM2 (GB/T 32918.2-2016) with SM3 and the default distinguishing identifier
    /// `1234567812345678` (GB/T 35276-2017 §10 / GM/T 0009-2012 §10), over an SM3 report
    /// digest: the commercial-cryptography suite.
    Sm2,
}

impl SignatureAlgorithm {
    /// The digest algorithm of the reports this algorithm signs: Ed25519 signs SHA-256
    /// digests, SM2 signs SM3 digests.
    pub fn digest_algorithm(self) -> DigestAlgorithm {
        match self {
            SignatureAlgorithm::Ed25519 => DigestAlgorithm::Sha256,
            SignatureAlgorithm::Sm2 => DigestAlgorithm::Sm3,
        }
    }

    /// The JSON name (`ed25519`, `sm2`).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureAlgorithm::Ed25519 => "ed25519",
            SignatureAlgorithm::Sm2 => "sm2",
        }
    }

    /// Whether this is Ed25519, what a signature or key naming no algorithm is.
    pub fn is_ed25519(&self) -> bool {
        *self == SignatureAlgorithm::Ed25519
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signature on a report digest, naming the key that made it and, for any algorithm but
/// Ed25519, the algorithm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DigestSignature {
    /// Id of the signing key.
    pub key_id: String,
    /// The signature algorithm; absent means Ed25519 (signatures made before the
    /// commercial-cryptography suite read as they did).
    #[serde(default, skip_serializing_if = "SignatureAlgorithm::is_ed25519")]
    pub algorithm: SignatureAlgorithm,
    /// The 64-byte signature, as 128 lowercase hex characters: Ed25519's `R || S`, or SM2's
    /// `r || s` (two 32-byte big-endian integers; DER in OpenSSL, see `docs/security.md`).
    #[serde(with = "crate::hex::array")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    pub signature: [u8; 64],
}

/// The MAC algorithm of an audit key and of the entries MACed with it.
///
/// R11 (N §三 密码管理): under the commercial-cryptography suite (`security.crypto_suite =
/// "shangmi"`, GB/T 39786-2021 integrity of stored audit records) entries are HMAC-SM3
/// (GB/T 32905 hash in RFC 2104 HMAC); the international suite uses HMAC-SHA256. An entry
/// names its algorithm (`mac_algorithm`, omitted for HMAC-SHA256 so international logs read
/// as before) and verifies only under a key of that algorithm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub enum MacAlgorithm {
    /// HMAC-SHA256 (RFC 2104, FIPS 180-4): the international suite, and what an entry that
    /// names no algorithm was MACed with.
    #[default]
    #[serde(rename = "hmac-sha256")]
    HmacSha256,
    /// HMAC-SM3 (RFC 2104 over GB/T 32905-2016 SM3): the commercial-cryptography suite.
    #[serde(rename = "hmac-sm3")]
    HmacSm3,
}

impl MacAlgorithm {
    /// The name used in JSON: `hmac-sha256` or `hmac-sm3`.
    pub fn as_str(self) -> &'static str {
        match self {
            MacAlgorithm::HmacSha256 => "hmac-sha256",
            MacAlgorithm::HmacSm3 => "hmac-sm3",
        }
    }

    /// Reads the JSON name (`hmac-sha256`, `hmac-sm3`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "hmac-sha256" => Some(MacAlgorithm::HmacSha256),
            "hmac-sm3" => Some(MacAlgorithm::HmacSm3),
            _ => None,
        }
    }

    /// Whether this is HMAC-SHA256, the default (serde's `skip_serializing_if`).
    pub fn is_hmac_sha256(&self) -> bool {
        *self == MacAlgorithm::HmacSha256
    }
}

impl fmt::Display for MacAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_roundtrip() {
        let d = Sha256Digest::of(b"letter");
        let s = d.to_string();
        assert_eq!(s.len(), 64);
        assert_eq!(Sha256Digest::parse_hex(&s).unwrap(), d);
        assert_eq!(Sha256Digest::parse_hex(&s.to_uppercase()).unwrap(), d);
        assert!(Sha256Digest::parse_hex("zz").is_err());
        assert!(Sha256Digest::parse_hex(&"g".repeat(64)).is_err());
        assert!(Sha256Digest::parse_hex(&"é".repeat(32)).is_err());
    }

    /// GB/T 32905-2016 appendix A: example 1 (`abc`) and example 2 (`abcd` × 16, 512 bits).
    #[test]
    fn sm3_gives_the_published_examples() {
        assert_eq!(
            DigestAlgorithm::Sm3.digest(b"abc").to_string(),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            DigestAlgorithm::Sm3
                .digest("abcd".repeat(16).as_bytes())
                .to_string(),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
        // FIPS 180-4 example, so the two algorithms are not crossed
        assert_eq!(
            DigestAlgorithm::Sha256.digest(b"abc").to_string(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn algorithms_serialize_by_name_and_default_to_the_international_suite() {
        assert_eq!(
            serde_json::to_string(&DigestAlgorithm::Sm3).unwrap(),
            "\"sm3\""
        );
        assert_eq!(
            serde_json::to_string(&SignatureAlgorithm::Sm2).unwrap(),
            "\"sm2\""
        );
        assert_eq!(DigestAlgorithm::default(), DigestAlgorithm::Sha256);
        assert_eq!(SignatureAlgorithm::default(), SignatureAlgorithm::Ed25519);
        // an old signature without `algorithm` reads as Ed25519 and is written back unchanged
        let old = format!("{{\"key_id\":\"k\",\"signature\":\"{}\"}}", "ab".repeat(64));
        let sig: DigestSignature = serde_json::from_str(&old).unwrap();
        assert_eq!(sig.algorithm, SignatureAlgorithm::Ed25519);
        assert_eq!(serde_json::to_string(&sig).unwrap(), old);
    }
}
