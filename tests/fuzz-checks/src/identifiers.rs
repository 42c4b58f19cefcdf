//! Target `identifiers`: resident IDs (GB 11643-1999, first-generation numbers of
//! GB 11643-1989), unified social credit codes (GB 32100-2015) and region codes (GB/T 2260).
//!
//! The text is read by the core's parsers and by operation `id_check`; each parser's answer
//! must equal an independent reading of the standard written here from the standards' text
//! (its own weights, its own province list), an accepted identifier must round-trip, and a
//! refusal must not show the text whole.

use hedui_core::{CreditCode, Error, RegionCode, RegionLevel, ResidentId, Sex};
use hedui_ops::{args, identifier};
use time::{Date, Month};

use crate::{assert_clean_error, assert_clean_failure, assert_no_id};

/// GB/T 2260 province-level codes, and 83 (Taiwan residents' residence permits, 国办发〔2018〕81号).
const PROVINCES: [u32; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// GB 32100-2015's 31 code characters (digits and capitals without I, O, S, V, Z).
const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

fn number(digits: &[char]) -> Option<u32> {
    digits
        .iter()
        .try_fold(0u32, |acc, c| Some(acc * 10 + c.to_digit(10)?))
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// GB 11643-1999 校验码: ISO 7064 MOD 11-2 over the 17 digits, weights 2^(18-i) mod 11.
fn resident_check(first17: &[char]) -> Option<char> {
    let mut sum = 0u32;
    for (i, c) in first17.iter().enumerate() {
        let weight = (1u32 << (17 - i)) % 11;
        sum += c.to_digit(10)? * weight;
    }
    let value = (12 - sum % 11) % 11;
    Some(if value == 10 {
        'X'
    } else {
        char::from_digit(value, 10)?
    })
}

/// The eighteen-character number a text is, read from the standard: `None` when it is not a
/// resident ID.
fn oracle_resident(text: &str) -> Option<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let (body, legacy): (Vec<char>, bool) = match chars.len() {
        18 => {
            let (first17, last) = chars.split_at(17);
            if !first17.iter().all(char::is_ascii_digit) {
                return None;
            }
            let last = last.first()?.to_ascii_uppercase();
            if !(last.is_ascii_digit() || last == 'X') || resident_check(first17)? != last {
                return None;
            }
            (first17.to_vec(), false)
        }
        15 => {
            if !chars.iter().all(char::is_ascii_digit) {
                return None;
            }
            let (head, tail) = chars.split_at(6);
            (
                head.iter()
                    .chain(&['1', '9'])
                    .chain(tail)
                    .copied()
                    .collect(),
                true,
            )
        }
        _ => return None,
    };
    let province = number(body.get(..2)?)?;
    if !PROVINCES.contains(&province) {
        return None;
    }
    date(
        number(body.get(6..10)?)?,
        number(body.get(10..12)?)?,
        number(body.get(12..14)?)?,
    )?;
    let check = resident_check(&body)?;
    Some((body.iter().chain([&check]).collect(), legacy))
}

/// GB 32100-2015: 18 characters of the code's alphabet, positions 3–8 the region digits, and
/// the check character: 31 − (Σ value × 3^(i−1) mod 31) mod 31.
fn oracle_credit(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let mut values = Vec::with_capacity(18);
    for (i, c) in chars.iter().enumerate() {
        let Some(v) = CREDIT_CHARS.chars().position(|a| a == *c) else {
            return false;
        };
        if (2..8).contains(&i) && v >= 10 {
            return false;
        }
        values.push(v as u32);
    }
    let mut sum = 0u32;
    let mut weight = 1u32;
    for v in values.iter().take(17) {
        sum += v * weight;
        weight = weight * 3 % 31;
    }
    values.last() == Some(&((31 - sum % 31) % 31))
}

/// GB/T 2260: six digits whose first two are a province.
fn oracle_region(text: &str) -> bool {
    text.len() == 6
        && text.bytes().all(|b| b.is_ascii_digit())
        && text
            .get(..2)
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|p| p != 83 && PROVINCES.contains(&p))
}

fn check_resident(text: &str) {
    let parsed = ResidentId::parse(text);
    let expected = oracle_resident(text);
    match (&parsed, &expected) {
        (Ok(id), Some((eighteen, legacy))) => {
            assert_eq!(id.as_str(), eighteen, "the number hedui holds");
            assert_eq!(id.is_legacy(), *legacy);
            let again = ResidentId::parse(id.as_str()).expect("an accepted ID reads again");
            assert!(again == *id && !again.is_legacy());
            assert_eq!(again.birth_date(), id.birth_date());
            assert_eq!(again.sex(), id.sex());
            let s: Vec<char> = eighteen.chars().collect();
            let born = number(s.get(6..10).unwrap_or_default())
                .zip(number(s.get(10..12).unwrap_or_default()))
                .zip(number(s.get(12..14).unwrap_or_default()))
                .and_then(|((y, m), d)| date(y, m, d));
            assert_eq!(Some(id.birth_date()), born);
            let odd = s
                .get(16)
                .and_then(|c| c.to_digit(10))
                .is_some_and(|d| d % 2 == 1);
            assert_eq!(id.sex(), if odd { Sex::Male } else { Sex::Female });
            assert_eq!(
                id.region().to_string(),
                eighteen.get(..6).unwrap_or_default()
            );
            let masked = id.masked();
            assert_no_id("a masked ID", &masked);
            assert_eq!(masked.chars().count(), 18);
            let json = serde_json::to_string(id).expect("an ID serializes");
            assert_eq!(json, format!("\"{eighteen}\""));
            let back: ResidentId = serde_json::from_str(&json).expect("its JSON reads back");
            assert!(back == *id);
        }
        (Err(e), None) => assert_clean_error(&Error::from(e.clone())),
        (Ok(id), None) => panic!("accepted `{}` the standard refuses", id.masked()),
        (Err(e), Some(_)) => panic!("refused a resident ID the standard accepts: {e}"),
    }
}

fn check_credit(text: &str) {
    match (CreditCode::parse(text), oracle_credit(text)) {
        (Ok(code), true) => {
            assert_eq!(code.as_str(), text);
            let (first17, _) = text.split_at(text.len() - 1);
            assert_eq!(
                CreditCode::check_char(first17).map(String::from).as_deref(),
                text.get(17..)
            );
            let again = CreditCode::parse(code.as_str()).expect("an accepted code reads again");
            assert_eq!(again, code);
        }
        (Err(e), false) => assert_clean_error(&Error::from(e)),
        (Ok(_), false) => panic!("accepted credit code `{text}` the standard refuses"),
        (Err(e), true) => panic!("refused a credit code the standard accepts: {e}"),
    }
}

fn check_region(text: &str) {
    match (RegionCode::parse(text), oracle_region(text)) {
        (Ok(code), true) => {
            assert_eq!(code.to_string(), text);
            let level = if text.ends_with("0000") {
                RegionLevel::Province
            } else if text.ends_with("00") {
                RegionLevel::City
            } else {
                RegionLevel::County
            };
            assert_eq!(code.level(), level);
            assert!(code.province().contains(code) && code.city().contains(code));
        }
        (Err(e), false) => assert_clean_error(&Error::from(e)),
        (Ok(_), false) => panic!("accepted region code `{text}` GB/T 2260 has no province for"),
        (Err(e), true) => panic!("refused a region code: {e}"),
    }
}

/// Operation `id_check` on the text as every host calls it: the same answer as the parser,
/// and a refusal that shows no ID.
fn check_operation(selector: u8, text: &str) {
    let kind = ["resident_id", "credit_code", "region_code"]
        .get(usize::from(selector % 3))
        .copied()
        .unwrap_or("resident_id");
    let mut request = serde_json::json!({"kind": kind, "value": text});
    if selector & 4 != 0 {
        request["on"] = "2026-11-29".into();
    }
    let out = identifier::id_check_json(args::default_rulebook(), &request.to_string());
    let parsed = match kind {
        "resident_id" => ResidentId::parse(text).map(|id| id.as_str().to_owned()),
        "credit_code" => CreditCode::parse(text).map(|c| c.as_str().to_owned()),
        _ => RegionCode::parse(text).map(|c| c.to_string()),
    };
    match out {
        Ok(bytes) => {
            let v: serde_json::Value =
                serde_json::from_slice(&bytes).expect("id_check answers JSON");
            assert_eq!(v["kind"], kind);
            assert_eq!(
                v["value"].as_str(),
                parsed.as_deref().ok(),
                "id_check and the parser agree"
            );
        }
        Err(f) => {
            assert_clean_failure(&f);
            // with a day of verification the rulebook may refuse what the parser reads
            if selector & 4 == 0 {
                assert!(
                    parsed.is_err(),
                    "id_check refused what the parser reads: {f}"
                );
            }
        }
    }
}

/// The check of target `identifiers`: the first byte picks the `id_check` request's kind and
/// whether it names a day; the rest, as UTF-8, is the identifier text.
pub fn check(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    check_resident(text);
    check_credit(text);
    check_region(text);
    check_operation(selector, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oracle_reads_the_standard_examples() {
        // GB 11643-1999's example number
        assert_eq!(
            oracle_resident("11010519491231002X"),
            Some(("11010519491231002X".to_owned(), false))
        );
        assert_eq!(
            oracle_resident("110105491231002"),
            Some(("11010519491231002X".to_owned(), true))
        );
        assert_eq!(oracle_resident("11010519491231002"), None);
        assert_eq!(oracle_resident("91010519491231002X"), None);
        assert!(oracle_credit("91110000600037341L"));
        assert!(!oracle_credit("91110000600037341M"));
        assert!(!oracle_credit("911A0000600037341L"));
        assert!(oracle_region("141002") && !oracle_region("831000"));
    }
}
