//! SHA-256 digests of documents (scanned letters, reports), written as lowercase hex.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::InputError;

/// A SHA-256 digest (ring), shown and serialized as 64 lowercase hex characters.
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

/// A signature on a report digest, naming the key that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DigestSignature {
    /// Id of the signing key.
    pub key_id: String,
    /// The 64-byte Ed25519 signature, as 128 lowercase hex characters.
    #[serde(with = "crate::hex::array")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    pub signature: [u8; 64],
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
}
