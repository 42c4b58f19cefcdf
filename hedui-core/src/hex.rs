//! Lowercase hex for byte strings (MACs, salts, hashes, keys, signatures).
//!
//! Reading is strict: only lowercase hex is accepted, so that a value has exactly one spelling
//! and a changed letter case is a changed byte.
use serde::{Deserialize, Deserializer, Serializer};

fn nibble(n: u8) -> char {
    char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) })
}

/// Writes bytes as lowercase hex into `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        out.push(nibble(b >> 4));
        out.push(nibble(b & 0x0f));
    }
}

/// `bytes` as lowercase hex.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(&mut s, bytes);
    s
}

fn val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

/// Decodes lowercase hex of any even length.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => Some((val(*hi)? << 4) | val(*lo)?),
            _ => None,
        })
        .collect()
}

/// Decodes exactly `N` bytes of lowercase hex.
pub(crate) fn decode_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    decode(s)?.try_into().ok()
}

/// Serde for `Vec<u8>` as lowercase hex.
pub(crate) mod vec {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(v))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        decode(&s).ok_or_else(|| serde::de::Error::custom("expected lowercase hex"))
    }
}

/// Serde for `[u8; N]` as lowercase hex.
pub(crate) mod array {
    use super::*;

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        v: &[u8; N],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode(v))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        d: D,
    ) -> Result<[u8; N], D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        decode_array(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("expected {} lowercase hex characters", N * 2))
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn strict_lowercase() {
        assert_eq!(super::decode("00ff").unwrap(), vec![0, 255]);
        assert!(super::decode("00FF").is_none());
        assert!(super::decode("0").is_none());
        assert!(super::decode("é0").is_none());
        assert_eq!(super::encode(&[0xab, 0x01]), "ab01");
        assert!(super::decode_array::<2>("abcdef").is_none());
    }
}
