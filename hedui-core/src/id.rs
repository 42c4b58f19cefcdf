//! National identifiers: resident ID (GB 11643-1999), unified social credit code (GB 32100-2015)
//! and administrative region code (GB/T 2260). See docs/rules.md#identifiers.

use std::fmt;
use std::str::FromStr;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month};

use crate::error::catalog::error_catalog;

thread_local! {
    /// The identifier error behind the last failed deserialization on this thread, so that
    /// [`crate::Error::json`] can report its own stable code (`id_resident_checksum`, ...)
    /// instead of the generic `input_json` serde would leave.
    static REJECTED: std::cell::RefCell<Option<IdError>> = const { std::cell::RefCell::new(None) };
}

thread_local! {
    /// The rules a resident ID read on this thread must also meet, while a document is read
    /// under them ([`with_policy`]).
    static POLICY: std::cell::Cell<Option<IdPolicy>> = const { std::cell::Cell::new(None) };
}

/// What a resident ID must meet beyond its format on a given day: the rulebook's
/// identifier rules ([`crate::rulebook::IdentifierRules::policy`]) made concrete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IdPolicy {
    /// First-generation fifteen-digit numbers are refused (`id_resident_legacy`).
    pub(crate) refuse_legacy: bool,
    /// The earliest birth date accepted.
    pub(crate) earliest: Date,
    /// The latest birth date accepted (the day of verification).
    pub(crate) latest: Date,
}

impl IdPolicy {
    /// `id` under this policy.
    pub(crate) fn check(&self, id: &ResidentId) -> Result<(), IdError> {
        if id.is_legacy() && self.refuse_legacy {
            return Err(IdError::ResidentLegacy { input: id.masked() });
        }
        let birth = id.birth_date();
        if birth > self.latest || birth < self.earliest {
            return Err(IdError::ResidentBirthOutOfRange {
                input: id.masked(),
                earliest: self.earliest.to_string(),
                latest: self.latest.to_string(),
            });
        }
        Ok(())
    }
}

/// Runs `f` with every resident ID read on this thread held to `policy` as well as to its
/// format, so that a document read in `f` fails at the ID that breaks the policy (with that
/// ID's JSON path) rather than after it was read. The policy in force before is restored.
pub(crate) fn with_policy<R>(policy: Option<IdPolicy>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<IdPolicy>);
    impl Drop for Restore {
        fn drop(&mut self) {
            POLICY.with(|p| p.set(self.0));
        }
    }
    let _restore = Restore(POLICY.with(|p| p.replace(policy)));
    f()
}

/// Keeps `e` for [`take_rejected`] and hands serde the same message.
fn rejected<E: serde::de::Error>(e: IdError) -> E {
    let error = E::custom(&e);
    REJECTED.with(|r| *r.borrow_mut() = Some(e));
    error
}

/// The identifier error that made a document fail to deserialize, if `message` (serde's
/// text for that failure) is the one it produced. Clears what was kept either way, so a later
/// unrelated error never picks up a stale identifier.
pub(crate) fn take_rejected(message: &str) -> Option<IdError> {
    REJECTED
        .with(|r| r.borrow_mut().take())
        .filter(|e| message.starts_with(&e.to_string()))
}

error_catalog! {
    /// A malformed identifier (docs/rules.md#identifiers).
    pub enum IdError in Input {
        /// A resident ID must have 18 characters (or 15 for a legacy number).
        ResidentLength {
            /// Characters found.
            len: usize,
        }
            => "id_resident_length", 2100, None,
            "resident id of the wrong length",
            ("resident id must have 18 characters (or 15 for a legacy id), got {len}");
        /// A character that is not allowed at its position.
        ResidentCharacter {
            /// 1-based position.
            position: usize,
            /// The rejected input, masked: first six and last two characters, the rest `*`.
            input: String,
        }
            => "id_resident_character", 2101, None,
            "resident id with an invalid character",
            ("resident id `{input}` has an invalid character at position {position}");
        /// The region part is outside GB/T 2260's province range.
        ResidentRegion {
            /// The rejected input, masked: first six and last two characters, the rest `*`.
            input: String,
        }
            => "id_resident_region", 2102, None,
            "resident id with an invalid region code",
            ("resident id `{input}` does not start with a valid region code");
        /// The birth date part is not a real calendar date.
        ResidentBirthDate {
            /// The rejected input, masked: first six and last two characters, the rest `*`.
            input: String,
        }
            => "id_resident_birth_date", 2103, None,
            "resident id with a birth date that does not exist",
            ("resident id `{input}` encodes a birth date that does not exist");
        /// The check character does not match (ISO 7064 MOD 11-2).
        ResidentChecksum {
            /// The rejected input, masked: first six and last two characters, the rest `*`.
            input: String,
            /// The check character the first 17 digits call for.
            expected: char,
        }
            => "id_resident_checksum", 2104, None,
            "resident id with a wrong check character",
            ("resident id `{input}` has a wrong check character, expected `{expected}`");
        /// A credit code must have 18 characters.
        CreditLength {
            /// Characters found.
            len: usize,
        }
            => "id_credit_length", 2105, None,
            "credit code of the wrong length",
            ("credit code must have 18 characters, got {len}");
        /// A character outside `0-9A-Z` less I, O, S, V, Z, or a letter in the region
        /// code (positions 3–8).
        CreditCharacter {
            /// 1-based position.
            position: usize,
            /// The rejected input.
            input: String,
        }
            => "id_credit_character", 2106, None,
            "credit code with an invalid character",
            ("credit code `{input}` has an invalid character at position {position}");
        /// The check character does not match (GB 32100-2015).
        CreditChecksum {
            /// The rejected input.
            input: String,
            /// The check character the first 17 characters call for.
            expected: char,
        }
            => "id_credit_checksum", 2107, None,
            "credit code with a wrong check character",
            ("credit code `{input}` has a wrong check character, expected `{expected}`");
        /// Not a six-digit GB/T 2260 region code.
        Region {
            /// The rejected input.
            input: String,
        }
            => "id_region", 2108, None,
            "not a six-digit GB/T 2260 region code",
            ("region code `{input}` is not a six-digit GB/T 2260 code");
        /// A first-generation fifteen-digit resident ID where the rulebook refuses them
        /// ([`LegacyResidentIds::Refuse`](crate::rulebook::LegacyResidentIds::Refuse)).
        ResidentLegacy {
            /// The number, masked: first six and last two characters, the rest `*`.
            input: String,
        }
            => "id_resident_legacy", 2109, None,
            "a first-generation 15-digit resident id where the rulebook refuses them",
            ("resident id `{input}` is a first-generation 15-digit number, which the rulebook refuses");
        /// The birth date is after the day of verification or before the rulebook's floor.
        ResidentBirthOutOfRange {
            /// The number, masked: first six and last two characters, the rest `*`.
            input: String,
            /// The earliest birth date accepted (the rulebook's floor), `YYYY-MM-DD`.
            earliest: String,
            /// The latest birth date accepted (the day of verification), `YYYY-MM-DD`.
            latest: String,
        }
            => "id_resident_birth_out_of_range", 2110, None,
            "resident id with a birth date after the day of verification or before the rulebook's floor",
            ("resident id `{input}` encodes a birth date outside {earliest} to {latest}");
    }
}

/// Weights of the GB 11643-1999 check character (ISO 7064 MOD 11-2).
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check characters indexed by the weighted sum modulo 11.
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";

/// Sex as encoded by the sequence digit of a resident ID (odd = male, even = female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

impl Sex {
    /// Chinese label used in rendered reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// A resident identity number 居民身份证号码 (GB 11643-1999).
///
/// Eighteen-character numbers are checked in full: the province of the address code against
/// GB/T 2260's province list ([`ResidentId::PROVINCES`]), a real calendar birth date, the
/// sequence code and the ISO 7064 MOD 11-2 check character (GB 11643-1999, 号码的结构:
/// 地址码、出生日期码、顺序码、校验码).
/// Lengths and positions are counted in characters, not bytes.
///
/// A first-generation fifteen-digit number (GB 11643-1989: address code, two-digit birth
/// year, month, day, sequence code, no check character) is upgraded as the 1999 standard's
/// numbers were formed from it: the century `19` inserted before the year and the check
/// character appended. Both forms are then the same person: equal, same hash, same order,
/// written as the eighteen-character number. [`ResidentId::is_legacy`] remembers that the
/// input was a legacy number, and the rulebook
/// ([`IdentifierRules`](crate::rulebook::IdentifierRules)) decides whether a verification
/// accepts it. Whether a birth date is plausible (not after the day of verification, not
/// before the rulebook's floor) also depends on the day and the rulebook, so it is checked
/// there, not here.
///
/// ```
/// use hedui_core::{ResidentId, Sex};
/// let id: ResidentId = "11010519491231002X".parse()?;
/// assert_eq!(id.sex(), Sex::Female);
/// assert_eq!(id.birth_date().to_string(), "1949-12-31");
/// assert_eq!(id.masked(), "110105**********2X");
/// let legacy: ResidentId = "110105491231002".parse()?;
/// assert_eq!(legacy, id);
/// assert!(legacy.is_legacy());
/// # Ok::<(), hedui_core::error::IdError>(())
/// ```
#[derive(Clone)]
pub struct ResidentId {
    /// The eighteen-character number, held inline (a case names dozens of IDs; a `String`
    /// each was a sixth of a case's allocations).
    text: IdText,
    birth: Date,
    sex: Sex,
    /// Given as a first-generation fifteen-digit number and upgraded.
    legacy: bool,
}

impl PartialEq for ResidentId {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for ResidentId {}

impl std::hash::Hash for ResidentId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl PartialOrd for ResidentId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ResidentId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

/// Eighteen ASCII characters (digits and `X`) stored in place.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct IdText {
    bytes: [u8; 18],
}

impl IdText {
    fn as_str(&self) -> &str {
        // only ASCII digits and `X` are stored
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }
}

impl ResidentId {
    /// Province codes (the first two digits of the address code) a resident ID may start with:
    /// the province-level divisions of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门)
    /// and 83, the address code of the residence permits of Taiwan residents, whose numbers
    /// follow GB 11643 with the address codes 810000, 820000 and 830000 (港澳台居民居住证申领发放办法,
    /// 国办发〔2018〕81号).
    pub const PROVINCES: [u8; 35] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ];

    /// Parses and validates a resident ID.
    ///
    /// # Errors
    /// [`IdError`] naming what is wrong: length (in characters), a character (its position
    /// in characters), the region, the birth date or the check character.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        match input.chars().count() {
            18 => Self::parse18(input),
            15 => Self::parse15(input),
            len => Err(IdError::ResidentLength { len }),
        }
    }

    /// `input` has 18 characters.
    fn parse18(input: &str) -> Result<Self, IdError> {
        let mut bytes = [0u8; 18];
        for (pos, (c, slot)) in input.chars().zip(bytes.iter_mut()).enumerate() {
            let ok = c.is_ascii_digit() || (pos == 17 && (c == 'X' || c == 'x'));
            if !ok {
                return Err(IdError::ResidentCharacter {
                    position: pos + 1,
                    input: masked_input(input),
                });
            }
            // ASCII, checked above
            *slot = (c as u8).to_ascii_uppercase();
        }
        let (body, _) = bytes.split_at(17);
        validate_region_digits(body.get(..6).unwrap_or_default(), input)?;
        let year = digits(body.get(6..10).unwrap_or_default());
        let month = digits(body.get(10..12).unwrap_or_default());
        let day = digits(body.get(12..14).unwrap_or_default());
        let birth = birth_date(year, month, day, input)?;
        let expected = check_byte(body);
        if bytes.get(17).copied() != Some(expected) {
            return Err(IdError::ResidentChecksum {
                input: masked_input(input),
                expected: char::from(expected),
            });
        }
        let seq = digits(body.get(14..17).unwrap_or_default());
        Ok(ResidentId {
            text: IdText { bytes },
            birth,
            sex: sex_of(seq),
            legacy: false,
        })
    }

    /// `input` has 15 characters: a first-generation number, upgraded to 18.
    fn parse15(input: &str) -> Result<Self, IdError> {
        let mut legacy = [0u8; 15];
        for (pos, (c, slot)) in input.chars().zip(legacy.iter_mut()).enumerate() {
            if !c.is_ascii_digit() {
                return Err(IdError::ResidentCharacter {
                    position: pos + 1,
                    input: masked_input(input),
                });
            }
            *slot = c as u8;
        }
        validate_region_digits(legacy.get(..6).unwrap_or_default(), input)?;
        let year = 1900 + digits(legacy.get(6..8).unwrap_or_default());
        let month = digits(legacy.get(8..10).unwrap_or_default());
        let day = digits(legacy.get(10..12).unwrap_or_default());
        let birth = birth_date(year, month, day, input)?;
        let seq = digits(legacy.get(12..15).unwrap_or_default());
        // address code, `19`, the rest of the old number, then the check character
        let mut bytes = [0u8; 18];
        let (head, tail) = legacy.split_at(6);
        for (slot, b) in bytes
            .iter_mut()
            .zip(head.iter().chain(b"19").chain(tail.iter()))
        {
            *slot = *b;
        }
        let check = check_byte(bytes.get(..17).unwrap_or_default());
        if let Some(last) = bytes.get_mut(17) {
            *last = check;
        }
        Ok(ResidentId {
            text: IdText { bytes },
            birth,
            sex: sex_of(seq),
            legacy: true,
        })
    }

    /// The eighteen-character number (check character `X` in upper case; a legacy number
    /// upgraded).
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }

    /// Whether the number was given as a first-generation fifteen-digit number (and
    /// upgraded to eighteen characters).
    pub fn is_legacy(&self) -> bool {
        self.legacy
    }

    /// Birth date encoded in the number.
    pub fn birth_date(&self) -> Date {
        self.birth
    }

    /// Sex encoded by the sequence digit.
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// The address code of the registering authority (GB/T 2260, or 830000 for a Taiwan
    /// resident's residence permit).
    pub fn region(&self) -> RegionCode {
        let code = self
            .as_str()
            .get(..6)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        RegionCode { code }
    }

    /// Age in whole years on `on` (0 before the first birthday, and for dates before birth).
    pub fn age_on(&self, on: Date) -> u32 {
        let b = self.birth;
        let mut years = on.year() - b.year();
        if (on.month() as u8, on.day()) < (b.month() as u8, b.day()) {
            years -= 1;
        }
        u32::try_from(years).unwrap_or(0)
    }

    /// The number with the birth date and sequence hidden: region code and the last two
    /// characters stay visible, as printed on reports.
    pub fn masked(&self) -> String {
        // always 18 ASCII characters: 6 shown, 10 hidden, 2 shown
        let text = self.as_str();
        let head = text.get(..6).unwrap_or_default();
        let tail = text.get(16..).unwrap_or_default();
        format!("{head}**********{tail}")
    }

    /// Computes the GB 11643 check character for 17 leading digits, or `None` if any
    /// character is not a digit or the length is wrong.
    pub fn check_char(first17: &str) -> Option<char> {
        let b = first17.as_bytes();
        if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(char::from(check_byte(b)))
    }
}

/// The ISO 7064 MOD 11-2 check character of 17 ASCII digits (GB 11643-1999, 校验码).
fn check_byte(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(RESIDENT_WEIGHTS)
        .map(|(&d, w)| u32::from(d.wrapping_sub(b'0')) * w)
        .sum();
    RESIDENT_CHECK
        .get((sum % 11) as usize)
        .copied()
        .unwrap_or(b'?')
}

fn digits(b: &[u8]) -> i32 {
    b.iter()
        .fold(0i32, |acc, &d| acc * 10 + i32::from(d.wrapping_sub(b'0')))
}

fn sex_of(seq: i32) -> Sex {
    if seq % 2 == 1 { Sex::Male } else { Sex::Female }
}

/// A rejected resident-ID text as errors carry it: masked like a report's member ID (the
/// first six and last two characters kept, the rest `*`), so that no error message or batch
/// error file holds a whole resident ID (个人信息保护法 Art 6, minimum scope). Shorter texts
/// are masked whole.
fn masked_input(input: &str) -> String {
    let len = input.chars().count();
    if len < 10 {
        return "*".repeat(len);
    }
    input
        .chars()
        .enumerate()
        .map(|(i, c)| if i < 6 || i + 2 >= len { c } else { '*' })
        .collect()
}

fn birth_date(year: i32, month: i32, day: i32, input: &str) -> Result<Date, IdError> {
    let bad = || IdError::ResidentBirthDate {
        input: masked_input(input),
    };
    let month = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(bad)?;
    let day = u8::try_from(day).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day).map_err(|_| bad())
}

fn validate_region_digits(region: &[u8], input: &str) -> Result<(), IdError> {
    let province = digits(region.get(..2).unwrap_or_default());
    if !ResidentId::PROVINCES
        .iter()
        .any(|&p| i32::from(p) == province)
    {
        return Err(IdError::ResidentRegion {
            input: masked_input(input),
        });
    }
    Ok(())
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ResidentId {
    /// Debug output is masked so that personal data does not leak into logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        let id = ResidentId::parse(&s).map_err(rejected)?;
        if let Some(policy) = POLICY.with(std::cell::Cell::get) {
            policy.check(&id).map_err(rejected)?;
        }
        Ok(id)
    }
}

#[cfg(feature = "schemas")]
impl JsonSchema for ResidentId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ResidentId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "resident ID 居民身份证号码 (GB 11643-1999): 18 characters with check character, or a first-generation 15-digit number (upgraded to 18 where the rulebook allows it); the first two digits are a GB/T 2260 province (or 83, Taiwan residents' residence permits)",
            "pattern": "^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])([0-9]{15}[0-9Xx]|[0-9]{13})$"
        })
    }
}

/// Characters of the unified social credit code (no I, O, S, V, Z).
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights 3^i mod 31 for positions 1..=17.
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code 统一社会信用代码 (GB 32100-2015) of an organisation, such as
/// an entrusting unit.
///
/// Eighteen characters (counted as characters, not bytes): the registering authority and the
/// entity type (positions 1–2, which may be letters), the six-digit GB/T 2260 region code of
/// the registering authority (positions 3–8, digits only), the organisation code (positions
/// 9–17) and the check character (position 18), all from the 31-symbol alphabet without I,
/// O, S, V and Z.
///
/// ```
/// use hedui_core::CreditCode;
/// let code: CreditCode = "91110000600037341L".parse()?;
/// assert_eq!(code.as_str(), "91110000600037341L");
/// # Ok::<(), hedui_core::error::IdError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

impl CreditCode {
    /// Parses and validates a credit code (upper case; the check character must match).
    ///
    /// # Errors
    /// [`IdError`] naming the length, the first bad character or the check character.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let len = input.chars().count();
        if len != 18 {
            return Err(IdError::CreditLength { len });
        }
        let mut values = [0u32; 18];
        for (pos, (c, slot)) in input.chars().zip(values.iter_mut()).enumerate() {
            // positions 3–8 are the GB/T 2260 region code of the registering authority
            // (GB 32100-2015, 登记管理机关行政区划码): digits only
            let region_part = (2..8).contains(&pos);
            let v = CREDIT_ALPHABET
                .iter()
                .position(|&a| char::from(a) == c)
                .filter(|&v| !region_part || v < 10)
                .ok_or_else(|| IdError::CreditCharacter {
                    position: pos + 1,
                    input: input.to_owned(),
                })?;
            *slot = v as u32;
        }
        let sum: u32 = values.iter().zip(CREDIT_WEIGHTS).map(|(v, w)| v * w).sum();
        let check_index = (31 - sum % 31) % 31;
        let expected = CREDIT_ALPHABET
            .get(check_index as usize)
            .copied()
            .unwrap_or(b'?');
        if values.last().copied() != Some(check_index) {
            return Err(IdError::CreditChecksum {
                input: input.to_owned(),
                expected: char::from(expected),
            });
        }
        Ok(CreditCode(input.to_owned()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Computes the check character for 17 leading characters, or `None` for a character
    /// outside the code's alphabet or a wrong length.
    pub fn check_char(first17: &str) -> Option<char> {
        let b = first17.as_bytes();
        if b.len() != 17 {
            return None;
        }
        let mut sum = 0u32;
        for (&c, w) in b.iter().zip(CREDIT_WEIGHTS) {
            sum += CREDIT_ALPHABET.iter().position(|&a| a == c)? as u32 * w;
        }
        CREDIT_ALPHABET
            .get(((31 - sum % 31) % 31) as usize)
            .map(|&c| char::from(c))
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        CreditCode::parse(&s).map_err(rejected)
    }
}

#[cfg(feature = "schemas")]
impl JsonSchema for CreditCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CreditCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "unified social credit code 统一社会信用代码 (GB 32100-2015): registering authority and entity type, the six-digit region code of the registering authority, the organisation code and a check character",
            "pattern": "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
        })
    }
}

/// Level of an administrative region, read from a GB/T 2260 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级: code ends in `0000`.
    Province,
    /// 地级: code ends in `00`.
    City,
    /// 县级.
    County,
}

/// An administrative region code 行政区划代码 (GB/T 2260): province(2) + city(2) + county(2).
///
/// ```
/// use hedui_core::{RegionCode, RegionLevel};
/// let county: RegionCode = "141002".parse()?;
/// assert_eq!(county.level(), RegionLevel::County);
/// assert_eq!(county.city().to_string(), "141000");
/// assert_eq!(county.province().to_string(), "140000");
/// # Ok::<(), hedui_core::error::IdError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode {
    code: u32,
}

impl RegionCode {
    /// The province-level divisions of GB/T 2260: [`ResidentId::PROVINCES`] without 83, which is
    /// no region of the standard.
    pub const PROVINCES: [u8; 34] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

    /// Parses a six-digit region code whose province part is one of GB/T 2260's
    /// ([`RegionCode::PROVINCES`]).
    ///
    /// # Errors
    /// [`IdError::Region`] when the input is not six digits or the province part is not a
    /// GB/T 2260 province.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let b = input.as_bytes();
        if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
            return Err(IdError::Region {
                input: input.to_owned(),
            });
        }
        let code = digits(b) as u32;
        let province = code / 10000;
        if !RegionCode::PROVINCES
            .iter()
            .any(|&p| u32::from(p) == province)
        {
            return Err(IdError::Region {
                input: input.to_owned(),
            });
        }
        Ok(RegionCode { code })
    }

    /// The numeric value (e.g. `141002`).
    pub fn value(self) -> u32 {
        self.code
    }

    /// Province, city or county.
    pub fn level(self) -> RegionLevel {
        if self.code % 10000 == 0 {
            RegionLevel::Province
        } else if self.code % 100 == 0 {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The province this region belongs to (itself for a province).
    pub fn province(self) -> RegionCode {
        RegionCode {
            code: self.code / 10000 * 10000,
        }
    }

    /// The city (prefecture) this region belongs to (itself for a city; the province for a
    /// province).
    pub fn city(self) -> RegionCode {
        // a province code ends in `0000`, so this keeps it as it is
        RegionCode {
            code: self.code / 100 * 100,
        }
    }

    /// Whether `other` lies within this region (or is this region).
    pub fn contains(self, other: RegionCode) -> bool {
        match self.level() {
            RegionLevel::Province => other.province() == self,
            RegionLevel::City => other.city() == self,
            RegionLevel::County => other == self,
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.code)
    }
}

impl FromStr for RegionCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RegionCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        RegionCode::parse(&s).map_err(rejected)
    }
}

#[cfg(feature = "schemas")]
impl JsonSchema for RegionCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RegionCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "administrative region code 行政区划代码 (GB/T 2260)",
            "pattern": "^[1-9][0-9]{5}$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn domain_examples_parse() {
        let a = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(a.sex(), Sex::Female);
        assert_eq!(a.birth_date(), time::macros::date!(1949 - 12 - 31));
        // a year older on the birthday, not the day before
        assert_eq!(a.age_on(time::macros::date!(2026 - 12 - 31)), 77);
        assert_eq!(a.age_on(time::macros::date!(2026 - 12 - 30)), 76);
        assert_eq!(a.age_on(time::macros::date!(2026 - 06 - 01)), 76);
        assert_eq!(a.region().to_string(), "110105");
        let b = ResidentId::parse("360426199101010071").unwrap();
        assert_eq!(b.sex(), Sex::Male);
        assert_eq!(b.age_on(time::macros::date!(2026 - 01 - 01)), 35);
        assert_eq!(b.age_on(time::macros::date!(2025 - 12 - 31)), 34);
        // lower-case x is accepted and normalised
        assert_eq!(
            ResidentId::parse("11010519491231002x").unwrap().as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn wrong_checksum_is_rejected() {
        let e = ResidentId::parse("110105194912310021").unwrap_err();
        assert_eq!(e.code(), "id_resident_checksum");
        assert!(e.to_string().contains('X'), "{e}");
    }

    #[test]
    fn bad_date_is_rejected() {
        // 1991-02-30 does not exist; check char made correct so the date is what fails
        let body = "36042619910230007";
        let id = format!("{body}{}", ResidentId::check_char(body).unwrap());
        assert_eq!(
            ResidentId::parse(&id).unwrap_err().code(),
            "id_resident_birth_date"
        );
        let body = "36042619911301007";
        let id = format!("{body}{}", ResidentId::check_char(body).unwrap());
        assert_eq!(
            ResidentId::parse(&id).unwrap_err().code(),
            "id_resident_birth_date"
        );
    }

    #[test]
    fn wrong_length_and_characters() {
        assert_eq!(
            ResidentId::parse("1101051949").unwrap_err().code(),
            "id_resident_length"
        );
        assert_eq!(
            ResidentId::parse("").unwrap_err().code(),
            "id_resident_length"
        );
        assert_eq!(
            ResidentId::parse("1101051949123100XX").unwrap_err().code(),
            "id_resident_character"
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y").unwrap_err().code(),
            "id_resident_character"
        );
        // the bad character's place, counted from 1, in both lengths
        for (input, at) in [
            ("1101051949123100XX", 17),
            ("A1010519491231002X", 1),
            ("11010549123100A", 15),
            ("A10105491231002", 1),
        ] {
            match ResidentId::parse(input) {
                Err(IdError::ResidentCharacter { position, .. }) => {
                    assert_eq!(position, at, "{input}");
                }
                other => panic!("{input}: {other:?}"),
            }
        }
        // multi-byte input of 18 bytes must not panic
        assert!(ResidentId::parse("核对核对核对").is_err());
        assert_eq!(
            ResidentId::parse("000105194912310021").unwrap_err().code(),
            "id_resident_region"
        );
    }

    #[test]
    fn legacy_fifteen_digit_is_upgraded_to_the_same_person() {
        let id = ResidentId::parse("110105491231002").unwrap();
        assert!(id.is_legacy());
        assert_eq!(id.birth_date(), time::macros::date!(1949 - 12 - 31));
        assert_eq!(id.sex(), Sex::Female);
        // century 19 inserted, check character computed: the 18-character number
        assert_eq!(id.as_str(), "11010519491231002X");
        let second = ResidentId::parse("11010519491231002X").unwrap();
        assert!(!second.is_legacy());
        assert_eq!(id, second);
        assert_eq!(id.cmp(&second), std::cmp::Ordering::Equal);
        assert_eq!(hash_of(&id), hash_of(&second));
        assert_eq!(id.masked(), "110105**********2X");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"11010519491231002X\""
        );
        assert_eq!(
            ResidentId::parse("110105491331002").unwrap_err().code(),
            "id_resident_birth_date"
        );
        assert_eq!(
            ResidentId::parse("910105491231002").unwrap_err().code(),
            "id_resident_region"
        );
    }

    /// The hash of `id` under the standard library's default hasher (fixed keys).
    fn hash_of(id: &ResidentId) -> u64 {
        use std::hash::{BuildHasher, BuildHasherDefault};
        BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(id)
    }

    #[test]
    fn ids_keep_their_text_order_and_case() {
        let next = format!(
            "11010519491231003{}",
            ResidentId::check_char("11010519491231003").unwrap()
        );
        let texts = [
            "110105491231002",
            "11010519491231002X",
            "11010519491231002x",
            &next,
            "360426199101010071",
            "360426910101007",
        ];
        let ids: Vec<ResidentId> = texts.iter().map(|t| t.parse().unwrap()).collect();
        assert_eq!(ids[1].as_str(), "11010519491231002X");
        assert_eq!(ids[1], ids[2]);
        assert_eq!(ids[0], ids[1]);
        assert_eq!(ids[5].as_str(), "360426199101010071");
        assert_eq!(ids[5], ids[4]);
        for a in &ids {
            for b in &ids {
                assert_eq!(a.cmp(b), a.as_str().cmp(b.as_str()), "{a} {b}");
                assert_eq!(a.partial_cmp(b), Some(a.cmp(b)), "{a} {b}");
                assert_eq!(hash_of(a) == hash_of(b), a == b, "{a} {b}");
            }
        }
        assert!(ids[1] < ids[3]);
    }

    /// The identifier rules of a rulebook (`IdentifierRules::policy`): a policy
    /// that refuses first-generation numbers refuses only those, birth dates are bounded on
    /// both sides, and the policy holds only while a document is read under it.
    #[test]
    fn a_policy_holds_only_while_a_document_is_read_under_it() {
        let policy = IdPolicy {
            refuse_legacy: true,
            earliest: time::macros::date!(1900 - 01 - 01),
            latest: time::macros::date!(2026 - 09 - 23),
        };
        let legacy = ResidentId::parse("110105491231002").unwrap();
        let current = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(
            policy.check(&legacy).unwrap_err().code(),
            "id_resident_legacy"
        );
        assert!(policy.check(&current).is_ok());
        let lenient = IdPolicy {
            refuse_legacy: false,
            ..policy
        };
        assert!(lenient.check(&legacy).is_ok());
        let read = || serde_json::from_str::<ResidentId>("\"110105491231002\"").map(|_| ());
        assert!(read().is_ok());
        assert!(with_policy(Some(policy), read).is_err());
        // a document read without a policy inside one, then the outer policy again
        assert!(with_policy(Some(policy), || {
            let inner = with_policy(None, read);
            inner.is_ok() && read().is_err()
        }));
        assert!(read().is_ok());
    }

    fn with_check(body: &str) -> String {
        format!("{body}{}", ResidentId::check_char(body).unwrap())
    }

    /// GB 11643-1999 address code: the province must be one of GB/T 2260's (with 81, 82, 71
    /// and the residence-permit code 83), not anything from 11 to 91.
    #[test]
    fn provinces_are_those_of_gb_t_2260() {
        for p in ResidentId::PROVINCES {
            let id = with_check(&format!("{p:02}000019910101007"));
            assert!(ResidentId::parse(&id).is_ok(), "{id}");
        }
        for p in [71, 81, 82, 83] {
            assert!(ResidentId::PROVINCES.contains(&p));
        }
        let known: Vec<u8> = ResidentId::PROVINCES.to_vec();
        for p in (0u8..=99).filter(|p| !known.contains(p)) {
            let id = with_check(&format!("{p:02}000019910101007"));
            assert_eq!(
                ResidentId::parse(&id).unwrap_err().code(),
                "id_resident_region",
                "{id}"
            );
        }
        // region codes: GB/T 2260 has no 83 and no 91
        assert!(RegionCode::parse("810000").is_ok());
        assert!(RegionCode::parse("710000").is_ok());
        assert_eq!(RegionCode::parse("830000").unwrap_err().code(), "id_region");
        assert_eq!(RegionCode::parse("910000").unwrap_err().code(), "id_region");
    }

    /// Lengths and positions are characters: full-width digits are not "18 characters".
    #[test]
    fn lengths_and_positions_count_characters() {
        // 17 ASCII digits and a full-width 1: 18 characters, 20 bytes
        let e = ResidentId::parse("36042619910101007１").unwrap_err();
        assert_eq!(
            e,
            IdError::ResidentCharacter {
                position: 18,
                input: "360426**********7１".to_owned()
            }
        );
        // 18 full-width digits: a character error at position 1, not "got 18" characters
        let wide = "３６０４２６１９９１０１０１００７１";
        assert_eq!(wide.chars().count(), 18);
        let e = ResidentId::parse(wide).unwrap_err();
        assert_eq!(e.code(), "id_resident_character");
        // 16 characters that take 18 bytes: a length error naming 16
        let e = ResidentId::parse("360426199101010核").unwrap_err();
        assert_eq!(e, IdError::ResidentLength { len: 16 });
        assert_eq!(
            CreditCode::parse("9111000060003734１").unwrap_err(),
            IdError::CreditLength { len: 17 }
        );
        let e = CreditCode::parse("91110000600037341Ｌ").unwrap_err();
        assert!(
            matches!(e, IdError::CreditCharacter { position: 18, .. }),
            "{e:?}"
        );
    }

    /// GB 32100-2015: positions 3–8 are the registering authority's region code, digits.
    #[test]
    fn credit_code_region_part_is_digits() {
        for pos in 2..8 {
            let mut body: Vec<char> = "91110000600037341".chars().collect();
            body[pos] = 'A';
            let body: String = body.into_iter().collect();
            let code = format!("{body}{}", CreditCode::check_char(&body).unwrap());
            let e = CreditCode::parse(&code).unwrap_err();
            assert!(
                matches!(e, IdError::CreditCharacter { position, .. } if position == pos + 1),
                "{code}: {e:?}"
            );
        }
        // letters stay allowed in positions 1–2 and 9–17
        for body in [
            "Y1110000600037341",
            "9A110000600037341",
            "91110000MA0037341",
        ] {
            let code = format!("{body}{}", CreditCode::check_char(body).unwrap());
            assert!(CreditCode::parse(&code).is_ok(), "{code}");
        }
    }

    #[test]
    fn masking_hides_birth_date() {
        let id = ResidentId::parse("360426199101010071").unwrap();
        assert_eq!(id.masked(), "360426**********71");
        assert!(!format!("{id:?}").contains("19910101"));
    }

    /// R11 minimum scope: an error about a resident ID never carries the whole ID (its
    /// birth date in particular), whatever part of it is wrong.
    #[test]
    fn rejected_ids_are_masked_in_errors() {
        for bad in [
            "360426199101010072",  // check character
            "360426199113010071",  // birth date
            "990426199101010071",  // region
            "3604261991010100A1",  // character
            "36042619910101Ｘ",    // character, multi-byte
            "36042619910101007１", // character, multi-byte at the end
            "360426910101007",     // legacy, check-free: valid
        ] {
            let Err(e) = ResidentId::parse(bad) else {
                continue;
            };
            let text = e.to_string();
            assert!(!text.contains(bad), "{text}");
            assert!(
                !text.contains("19910101") && !text.contains("19911301"),
                "{text}"
            );
        }
        let e = ResidentId::parse("360426199101010072").unwrap_err();
        assert_eq!(
            e.to_string(),
            "resident id `360426**********72` has a wrong check character, expected `1`"
        );
        assert_eq!(masked_input("12345"), "*****");
    }

    #[test]
    fn credit_code_example_and_errors() {
        assert!(CreditCode::parse("91110000600037341L").is_ok());
        assert_eq!(
            CreditCode::parse("91110000600037341M").unwrap_err().code(),
            "id_credit_checksum"
        );
        assert_eq!(
            CreditCode::parse("91110000600037341").unwrap_err().code(),
            "id_credit_length"
        );
        assert_eq!(
            CreditCode::parse("9111000060003734IL").unwrap_err().code(),
            "id_credit_character"
        );
        assert_eq!(CreditCode::check_char("91110000600037341"), Some('L'));
        let code = CreditCode::parse("91110000600037341L").unwrap();
        assert_eq!(code.as_str(), "91110000600037341L");
        assert_eq!(code.to_string(), "91110000600037341L");
    }

    /// A resident ID prints as its number, and its debug form (what reaches logs) is masked.
    #[test]
    fn ids_print_whole_and_debug_masked() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.to_string(), "11010519491231002X");
        assert_eq!(format!("{id:?}"), "ResidentId(110105**********2X)");
    }

    /// GB/T 2260: a region code is six digits, nothing else, even when the digits it does
    /// have would name a province.
    #[test]
    fn a_region_code_is_six_digits() {
        assert!(RegionCode::parse("110000").is_ok());
        for bad in ["11000A", "11000", "1100000", "11 000", ""] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    /// GB/T 2260: a code's value, level, city and province at each level.
    #[test]
    fn region_code_parts_at_each_level() {
        let county = RegionCode::parse("141002").unwrap();
        let city = RegionCode::parse("141000").unwrap();
        let province = RegionCode::parse("140000").unwrap();
        assert_eq!(county.value(), 141_002);
        assert_eq!(city.value(), 141_000);
        assert_eq!(province.value(), 140_000);
        assert_eq!(RegionCode::parse("110105").unwrap().value(), 110_105);
        assert_eq!(
            [county.level(), city.level(), province.level()],
            [
                RegionLevel::County,
                RegionLevel::City,
                RegionLevel::Province
            ]
        );
        assert_eq!(county.city(), city);
        assert_eq!(city.city(), city);
        assert_eq!(province.city(), province);
        assert_eq!(county.province(), province);
        assert!(province.contains(county) && city.contains(county) && county.contains(county));
        assert!(!county.contains(city) && !city.contains(province));
        assert!(!province.contains(RegionCode::parse("110105").unwrap()));
    }

    /// GB 11643 check characters of known numbers, including the remainders that give `X`
    /// and `0`, and of legacy 15-digit numbers upgraded to 18.
    #[test]
    fn check_characters_of_known_numbers() {
        assert_eq!(ResidentId::check_char("11010519491231002"), Some('X'));
        assert_eq!(ResidentId::check_char("36042619910101007"), Some('1'));
        assert_eq!(ResidentId::check_char("14103019780310001"), Some('6'));
        // weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, remainders map to `10X98765432`
        assert_eq!(ResidentId::check_char("11000000000000000"), Some('7'));
        assert_eq!(ResidentId::check_char("00000000000000000"), Some('1'));
        assert_eq!(ResidentId::check_char("00000000000000001"), Some('X'));
        assert_eq!(ResidentId::check_char("00000000000000010"), Some('8'));
        assert_eq!(ResidentId::check_char("1100000000000000"), None);
        assert_eq!(ResidentId::check_char("1100000000000000a"), None);
        let legacy = ResidentId::parse("360426910101007").unwrap();
        assert_eq!(legacy.as_str(), "360426199101010071");
        assert_eq!(legacy.birth_date(), time::macros::date!(1991 - 01 - 01));
        assert_eq!(legacy.sex(), Sex::Male);
        assert_eq!(legacy.region().value(), 360_426);
        assert_eq!(CreditCode::check_char("91110000600037341"), Some('L'));
        assert_eq!(CreditCode::check_char("9111000060003734"), None);
        assert_eq!(CreditCode::check_char("9111000060003734I"), None);
    }

    /// Rejected input is masked like a resident ID from 10 characters on (6 shown, the last 2
    /// shown) and hidden whole below that.
    #[test]
    fn masked_input_bounds() {
        assert_eq!(masked_input(""), "");
        assert_eq!(masked_input("123456789"), "*********");
        assert_eq!(masked_input("1234567890"), "123456**90");
        assert_eq!(masked_input("12345678901"), "123456***01");
        assert_eq!(masked_input("360426199101010072"), "360426**********72");
        assert_eq!(masked_input("36042619910101Ｘ7２"), "360426*********7２");
    }

    /// The sex is the parity of the sequence digits; the label printed on reports follows it.
    #[test]
    fn sex_and_its_label() {
        assert_eq!(
            ResidentId::parse("360426199101010071").unwrap().sex(),
            Sex::Male
        );
        assert_eq!(
            ResidentId::parse("11010519491231002X").unwrap().sex(),
            Sex::Female
        );
        assert_eq!(Sex::Male.label_zh(), "男");
        assert_eq!(Sex::Female.label_zh(), "女");
    }

    #[test]
    fn region_codes() {
        let c = RegionCode::parse("141002").unwrap();
        assert_eq!(c.level(), RegionLevel::County);
        assert!(c.city().contains(c));
        assert!(c.province().contains(c));
        assert!(!RegionCode::parse("141100").unwrap().contains(c));
        assert_eq!(RegionCode::parse("14100").unwrap_err().code(), "id_region");
        assert_eq!(RegionCode::parse("991002").unwrap_err().code(), "id_region");
        assert_eq!(RegionCode::parse("14a002").unwrap_err().code(), "id_region");
    }

    fn resident_body() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(ResidentId::PROVINCES.to_vec()),
            1u32..=99,
            1u32..=99,
            1900i32..=2025,
            1u8..=12,
            1u8..=28,
            0u32..1000,
        )
            .prop_map(|(p, c, k, y, m, d, seq)| {
                format!("{p:02}{c:02}{k:02}{y:04}{m:02}{d:02}{seq:03}")
            })
    }

    proptest! {
        #[test]
        fn valid_ids_roundtrip(body in resident_body()) {
            let full = format!("{body}{}", ResidentId::check_char(&body).unwrap());
            let id = ResidentId::parse(&full).unwrap();
            prop_assert_eq!(id.as_str(), full.as_str());
            let json = serde_json::to_string(&id).unwrap();
            let back: ResidentId = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, id);
        }

        #[test]
        fn a_legacy_number_is_its_upgrade(body in resident_body()) {
            // a 15-digit number: address code, two-digit year of the 1900s, month, day, sequence
            let legacy = format!("{}{}", &body[..6], &body[8..]);
            prop_assume!(body[6..8] == *"19");
            let upgraded = format!("{body}{}", ResidentId::check_char(&body).unwrap());
            let old = ResidentId::parse(&legacy).unwrap();
            let new = ResidentId::parse(&upgraded).unwrap();
            prop_assert!(old.is_legacy() && !new.is_legacy());
            prop_assert_eq!(old.as_str(), upgraded.as_str());
            prop_assert_eq!(old, new);
        }

        #[test]
        fn any_single_flip_is_rejected(body in resident_body(), pos in 0usize..18, delta in 1u8..11) {
            let full = format!("{body}{}", ResidentId::check_char(&body).unwrap());
            let mut bytes = full.into_bytes();
            let alphabet = b"0123456789X";
            let cur = alphabet.iter().position(|&c| c == bytes[pos]).unwrap();
            bytes[pos] = alphabet[(cur + delta as usize) % 11];
            let flipped = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse(&flipped).is_err(), "{} accepted", flipped);
        }

        #[test]
        fn credit_codes_roundtrip_and_flips(body in "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}", pos in 0usize..18, delta in 1usize..31) {
            let full = format!("{body}{}", CreditCode::check_char(&body).unwrap());
            prop_assert!(CreditCode::parse(&full).is_ok());
            let mut bytes = full.into_bytes();
            let cur = CREDIT_ALPHABET.iter().position(|&c| c == bytes[pos]).unwrap();
            // the region part (positions 3–8) stays digits, other positions any symbol
            let modulus = if (2..8).contains(&pos) { 10 } else { 31 };
            prop_assume!(delta % modulus != 0);
            bytes[pos] = CREDIT_ALPHABET[(cur + delta) % modulus];
            let flipped = String::from_utf8(bytes).unwrap();
            prop_assert!(CreditCode::parse(&flipped).is_err());
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = ResidentId::parse(&s);
            let _ = CreditCode::parse(&s);
            let _ = RegionCode::parse(&s);
        }
    }
}
