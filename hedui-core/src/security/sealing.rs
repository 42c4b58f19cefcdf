//! Sealing documents at rest with SM4 in GCM mode (机密性 and 完整性 of stored data, GB/T
//! 39786-2021 §8.4): a deployment stores reports and export files encrypted, and a changed,
//! truncated or misplaced file does not open.
//!
//! SM4 (GB/T 32907-2016) in GCM (GB/T 36624-2018 lists SM4-GCM among its authenticated
//! encryption modes; RFC 8998 uses it in TLS): one pass gives confidentiality and an
//! authentication tag, so no separate MAC is needed. RustCrypto `sm4` and `aes-gcm` (generic
//! over any 128-bit block cipher) do the work.
//!
//! # Envelope, version 1
//!
//! | bytes | field |
//! |---|---|
//! | 4 | magic `HDSL` |
//! | 1 | version, `1` |
//! | 1 | algorithm, `1` = SM4-GCM (128-bit key, 96-bit nonce, 128-bit tag) |
//! | 1 | key id length `n`, 1..=255 |
//! | n | key id, UTF-8 |
//! | 12 | nonce |
//! | rest | ciphertext, then the 16-byte tag |
//!
//! The GCM associated data is the whole header (magic to nonce) followed by the caller's
//! associated data (`aad`, e.g. the report number the file must belong to): a changed version,
//! algorithm, key id or nonce fails to open like a changed ciphertext does.
//!
//! Core draws no randomness: the host gives the nonce, which must never repeat under one key
//! (GCM loses confidentiality and integrity when it does): 12 bytes from a CSPRNG per document,
//! as the operations layer draws them.

use std::fmt;

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead as _, KeyInit as _, Payload};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::SecurityError;

/// The envelope's first bytes.
pub const SEALED_MAGIC: &[u8; 4] = b"HDSL";
/// The envelope version this build writes and reads.
pub const SEALED_VERSION: u8 = 1;
/// Algorithm id of SM4-GCM in the envelope.
pub const SEALED_SM4_GCM: u8 = 1;

const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

type Sm4Gcm = aes_gcm::AesGcm<sm4::Sm4, U12>;

/// A document-sealing key: 16 SM4 key bytes under a key id that the envelope records, so a
/// host keeping several keys (rotation) knows which one opens a file
/// ([`sealed_key_id`]). The key bytes are wiped when dropped; `Debug` shows only the id.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DocumentKey {
    key_id: String,
    key: [u8; 16],
}

impl fmt::Debug for DocumentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DocumentKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl DocumentKey {
    /// An SM4 sealing key from 16 bytes of the host's key store.
    ///
    /// # Errors
    /// [`SecurityError::SealKey`] when `key` is not 16 bytes or the key id is empty or longer
    /// than 255 bytes.
    pub fn sm4(key_id: impl Into<String>, key: &[u8]) -> Result<Self, SecurityError> {
        let key_id = key_id.into();
        let bad = |reason: &str| SecurityError::SealKey {
            key_id: key_id.clone(),
            reason: reason.to_owned(),
        };
        if key_id.trim().is_empty() || key_id.len() > 255 {
            return Err(bad("the key id must be 1 to 255 bytes"));
        }
        let key: [u8; 16] = key
            .try_into()
            .map_err(|_| bad(&format!("an SM4 key is 16 bytes, not {}", key.len())))?;
        Ok(DocumentKey { key_id, key })
    }

    /// The key id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

/// Seals `plaintext` under `key` with `nonce` (12 bytes, never repeated under one key) and
/// the associated data `aad`, which is not stored and must be given again to open.
///
/// ```
/// use hedui_core::security::{DocumentKey, open_document, seal_document};
/// let key = DocumentKey::sm4("archive-2026", &[7u8; 16])?;
/// let sealed = seal_document(&key, &[1u8; 12], b"{\"report_number\":\"HD1\"}", b"HD1")?;
/// assert_eq!(open_document(&key, &sealed, b"HD1")?, b"{\"report_number\":\"HD1\"}");
/// assert_eq!(open_document(&key, &sealed, b"HD2").unwrap_err().code(), "seal_open_failed");
/// # Ok::<(), hedui_core::error::SecurityError>(())
/// ```
///
/// # Errors
/// [`SecurityError::SealEnvelope`] for a plaintext longer than GCM can seal (64 GiB).
pub fn seal_document(
    key: &DocumentKey,
    nonce: &[u8; NONCE_LEN],
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, SecurityError> {
    let mut out = header(key.key_id(), nonce);
    let mut associated = out.clone();
    associated.extend_from_slice(aad);
    let cipher = Sm4Gcm::new(&key.key.into());
    let sealed = cipher
        .encrypt(
            nonce.into(),
            Payload {
                msg: plaintext,
                aad: &associated,
            },
        )
        .map_err(|_| SecurityError::SealEnvelope {
            reason: "the document is too long to seal".into(),
        })?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens an envelope of [`seal_document`] with `key` and the same `aad`.
///
/// # Errors
/// [`SecurityError::SealEnvelope`] for bytes that are not a version-1 SM4-GCM envelope (too
/// short, another magic, version or algorithm); [`SecurityError::SealKeyMismatch`] when the
/// envelope names another key id; [`SecurityError::SealOpen`] when the tag does not verify
/// (changed ciphertext or header, other `aad`, other key bytes under the same id).
pub fn open_document(
    key: &DocumentKey,
    sealed: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, SecurityError> {
    let parsed = parse(sealed)?;
    if parsed.key_id != key.key_id {
        return Err(SecurityError::SealKeyMismatch {
            sealed_with: parsed.key_id.to_owned(),
            key_id: key.key_id.clone(),
        });
    }
    let mut associated = parsed.header.to_vec();
    associated.extend_from_slice(aad);
    let cipher = Sm4Gcm::new(&key.key.into());
    cipher
        .decrypt(
            parsed.nonce.into(),
            Payload {
                msg: parsed.body,
                aad: &associated,
            },
        )
        .map_err(|_| SecurityError::SealOpen {
            key_id: key.key_id.clone(),
        })
}

/// The key id an envelope names, to pick the key that opens it.
///
/// # Errors
/// [`SecurityError::SealEnvelope`] as [`open_document`].
pub fn sealed_key_id(sealed: &[u8]) -> Result<&str, SecurityError> {
    parse(sealed).map(|p| p.key_id)
}

fn header(key_id: &str, nonce: &[u8; NONCE_LEN]) -> Vec<u8> {
    let mut out = Vec::with_capacity(7 + key_id.len() + NONCE_LEN);
    out.extend_from_slice(SEALED_MAGIC);
    out.push(SEALED_VERSION);
    out.push(SEALED_SM4_GCM);
    // DocumentKey::sm4 keeps key ids at 1..=255 bytes
    out.push(u8::try_from(key_id.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(key_id.as_bytes());
    out.extend_from_slice(nonce);
    out
}

struct Parsed<'a> {
    header: &'a [u8],
    key_id: &'a str,
    nonce: &'a [u8; NONCE_LEN],
    body: &'a [u8],
}

fn parse(sealed: &[u8]) -> Result<Parsed<'_>, SecurityError> {
    let bad = |reason: &str| SecurityError::SealEnvelope {
        reason: reason.to_owned(),
    };
    let truncated = || bad("it is shorter than its header and tag (truncated)");
    let (magic, rest) = sealed.split_first_chunk::<4>().ok_or_else(truncated)?;
    if magic != SEALED_MAGIC {
        return Err(bad("it does not start with `HDSL`"));
    }
    let (&[version, algorithm, id_len], rest) =
        rest.split_first_chunk::<3>().ok_or_else(truncated)?;
    if version != SEALED_VERSION {
        return Err(bad(&format!("envelope version {version} is not known")));
    }
    if algorithm != SEALED_SM4_GCM {
        return Err(bad(&format!("algorithm {algorithm} is not known")));
    }
    let id_len = usize::from(id_len);
    let key_id = rest.get(..id_len).ok_or_else(truncated)?;
    let rest = rest.get(id_len..).ok_or_else(truncated)?;
    let (nonce, body) = rest
        .split_first_chunk::<NONCE_LEN>()
        .ok_or_else(truncated)?;
    if body.len() < TAG_LEN {
        return Err(truncated());
    }
    let key_id = std::str::from_utf8(key_id).map_err(|_| bad("its key id is not UTF-8"))?;
    if key_id.is_empty() {
        return Err(bad("its key id is empty"));
    }
    let header = sealed.get(..7 + id_len + NONCE_LEN).ok_or_else(truncated)?;
    Ok(Parsed {
        header,
        key_id,
        nonce,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sm4::cipher::BlockEncrypt as _;

    fn unhex(s: &str) -> Vec<u8> {
        crate::hex::decode(s).unwrap()
    }

    /// GB/T 32907-2016 appendix A, example 1: key = plaintext = 0123456789abcdeffedcba9876543210.
    #[test]
    fn sm4_gives_the_published_example() {
        let key = unhex("0123456789abcdeffedcba9876543210");
        let cipher = sm4::Sm4::new_from_slice(&key).unwrap();
        let mut block = sm4::cipher::generic_array::GenericArray::clone_from_slice(&key);
        cipher.encrypt_block(&mut block);
        assert_eq!(
            crate::hex::encode(&block),
            "681edf34d206965e86b3e94f536e4246"
        );
    }

    /// RFC 8998 appendix A.1: the SM4-GCM example, through the same cipher type the envelope
    /// uses.
    #[test]
    fn sm4_gcm_gives_the_rfc_8998_example() {
        let key = unhex("0123456789abcdeffedcba9876543210");
        let nonce = unhex("00001234567800000000abcd");
        let aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let plaintext = unhex(&format!(
            "{}{}{}{}{}{}{}{}",
            "a".repeat(16),
            "b".repeat(16),
            "c".repeat(16),
            "d".repeat(16),
            "e".repeat(16),
            "f".repeat(16),
            "e".repeat(16),
            "a".repeat(16)
        ));
        let cipher = Sm4Gcm::new_from_slice(&key).unwrap();
        let out = cipher
            .encrypt(
                nonce.as_slice().into(),
                Payload {
                    msg: &plaintext,
                    aad: &aad,
                },
            )
            .unwrap();
        assert_eq!(
            crate::hex::encode(&out),
            concat!(
                "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735",
                "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d",
                "83de3541e4c2b58177e065a9bf7b62ec"
            )
        );
    }

    fn key() -> DocumentKey {
        DocumentKey::sm4("k-2026", &[3u8; 16]).unwrap()
    }

    #[test]
    fn a_sealed_document_opens_with_its_key_and_aad_only() {
        let sealed = seal_document(&key(), &[9u8; 12], b"report body", b"HD-1").unwrap();
        assert_eq!(sealed.get(..4).unwrap(), b"HDSL");
        assert_eq!(sealed.len(), 7 + 6 + 12 + 11 + 16);
        assert_eq!(sealed_key_id(&sealed).unwrap(), "k-2026");
        assert_eq!(
            open_document(&key(), &sealed, b"HD-1").unwrap(),
            b"report body"
        );
        // the plaintext does not show
        assert!(!sealed.windows(6).any(|w| w == b"report"));

        let code = |r: Result<Vec<u8>, SecurityError>| r.unwrap_err().code();
        // wrong aad
        assert_eq!(
            code(open_document(&key(), &sealed, b"HD-2")),
            "seal_open_failed"
        );
        // other key bytes under the same id
        let other = DocumentKey::sm4("k-2026", &[4u8; 16]).unwrap();
        assert_eq!(
            code(open_document(&other, &sealed, b"HD-1")),
            "seal_open_failed"
        );
        // another key id
        let renamed = DocumentKey::sm4("k-2027", &[3u8; 16]).unwrap();
        assert_eq!(
            code(open_document(&renamed, &sealed, b"HD-1")),
            "seal_wrong_key"
        );
        // every single byte changed, header included, fails to open with a typed error
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x01;
            let c = code(open_document(&key(), &t, b"HD-1"));
            assert!(
                [
                    "seal_open_failed",
                    "seal_envelope_malformed",
                    "seal_wrong_key"
                ]
                .contains(&c),
                "byte {i}: {c}"
            );
        }
        // every truncation
        for n in 0..sealed.len() {
            let c = code(open_document(&key(), &sealed[..n], b"HD-1"));
            assert!(
                ["seal_open_failed", "seal_envelope_malformed"].contains(&c),
                "length {n}: {c}"
            );
        }
        assert_eq!(
            code(open_document(&key(), &sealed[..20], b"HD-1")),
            "seal_envelope_malformed"
        );
        // a later version or another algorithm is refused as such
        let mut v2 = sealed.clone();
        v2[4] = 2;
        assert_eq!(
            code(open_document(&key(), &v2, b"HD-1")),
            "seal_envelope_malformed"
        );
        let mut alg = sealed.clone();
        alg[5] = 2;
        assert_eq!(
            code(open_document(&key(), &alg, b"HD-1")),
            "seal_envelope_malformed"
        );
    }

    #[test]
    fn sealing_keys_are_checked_and_do_not_print() {
        assert_eq!(
            DocumentKey::sm4("k", &[0u8; 15]).unwrap_err().code(),
            "seal_key_invalid"
        );
        assert_eq!(
            DocumentKey::sm4(" ", &[0u8; 16]).unwrap_err().code(),
            "seal_key_invalid"
        );
        assert_eq!(
            DocumentKey::sm4("k".repeat(256), &[0u8; 16])
                .unwrap_err()
                .code(),
            "seal_key_invalid"
        );
        let k = DocumentKey::sm4("k", &[0xabu8; 16]).unwrap();
        assert!(!format!("{k:?}").contains("171"));
    }
}
