//! National identifiers on their own: `id_check` (GB 11643-1999 resident IDs, GB 32100-2015
//! credit codes, GB/T 2260 region codes).
//!
//! ```
//! use hedui_ops::{args, identifier};
//!
//! let out = identifier::id_check_json(
//!     args::default_rulebook(),
//!     r#"{"kind": "resident_id", "value": "110105491231002", "on": "2026-11-29"}"#,
//! )?;
//! let checked: serde_json::Value = serde_json::from_slice(&out).unwrap();
//! assert_eq!(checked["value"], "11010519491231002X");
//! assert_eq!(checked["legacy"], true);
//! # Ok::<(), hedui_ops::Failure>(())
//! ```

use hedui_core::{CreditCode, Error, RegionCode, RegionLevel, ResidentId, Rulebook, Sex};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::failure::Failure;
use crate::json;

/// Which identifier `id_check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// 居民身份证号码 (GB 11643-1999; a first-generation 15-digit number is upgraded).
    ResidentId,
    /// 统一社会信用代码 (GB 32100-2015).
    CreditCode,
    /// 行政区划代码 (GB/T 2260).
    RegionCode,
}

/// The request of `id_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdCheckRequest {
    /// Which identifier.
    pub kind: IdKind,
    /// The text to check.
    pub value: String,
    /// For a resident ID: the day of verification (`YYYY-MM-DD`). When given, the rulebook's
    /// identifier rules apply too: no birth date after this day or before the rulebook's floor,
    /// and first-generation numbers only where the rulebook upgrades them.
    #[serde(default)]
    pub on: Option<Date>,
}

/// The response of `id_check`: the identifier as hedui holds it, and what it encodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdChecked {
    /// Which identifier.
    pub kind: IdKind,
    /// The identifier as hedui writes it (a resident ID in its 18-character form).
    pub value: String,
    /// Resident ID: given as a first-generation 15-digit number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legacy: Option<bool>,
    /// Resident ID: the birth date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    /// Resident ID: the sex of the sequence code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Resident ID: the address code; region code: the code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Region code: province, city or county.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<RegionLevel>,
}

/// Operation `id_check`: reads one identifier as hedui reads it inside documents.
///
/// # Errors
/// The identifier's own error (`id_resident_checksum`, `id_credit_character`, `id_region`,
/// `id_resident_legacy`, `id_resident_birth_out_of_range`, ...).
pub fn id_check(rulebook: &Rulebook, request: &IdCheckRequest) -> Result<IdChecked, Failure> {
    let core = |e: hedui_core::error::IdError| Failure::Core(Error::from(e));
    let empty = IdChecked {
        kind: request.kind,
        value: String::new(),
        legacy: None,
        birth_date: None,
        sex: None,
        region: None,
        level: None,
    };
    match request.kind {
        IdKind::ResidentId => {
            let id = ResidentId::parse(&request.value).map_err(core)?;
            if let Some(on) = request.on {
                rulebook
                    .identifiers
                    .check_resident_id(&id, on)
                    .map_err(core)?;
            }
            Ok(IdChecked {
                value: id.as_str().to_owned(),
                legacy: Some(id.is_legacy()),
                birth_date: Some(id.birth_date()),
                sex: Some(id.sex()),
                region: Some(id.region().to_string()),
                ..empty
            })
        }
        IdKind::CreditCode => {
            let code = CreditCode::parse(&request.value).map_err(core)?;
            Ok(IdChecked {
                value: code.as_str().to_owned(),
                ..empty
            })
        }
        IdKind::RegionCode => {
            let code = RegionCode::parse(&request.value).map_err(core)?;
            Ok(IdChecked {
                value: code.to_string(),
                region: Some(code.to_string()),
                level: Some(code.level()),
                ..empty
            })
        }
    }
}

/// [`id_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not an [`IdCheckRequest`], then as [`id_check`].
pub fn id_check_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("id check", request_json, |r: IdCheckRequest| {
        id_check(rulebook, &r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(json: &str) -> Result<serde_json::Value, &'static str> {
        id_check_json(crate::args::default_rulebook(), json)
            .map(|out| serde_json::from_slice(&out).unwrap())
            .map_err(|e| e.code())
    }

    #[test]
    fn each_kind_reads_as_in_documents() {
        let v = check(r#"{"kind":"resident_id","value":"11010519491231002x"}"#).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"kind": "resident_id", "value": "11010519491231002X",
                "legacy": false, "birth_date": "1949-12-31", "sex": "female", "region": "110105"})
        );
        let v = check(r#"{"kind":"credit_code","value":"91110000600037341L"}"#).unwrap();
        assert_eq!(v["value"], "91110000600037341L");
        let v = check(r#"{"kind":"region_code","value":"141000"}"#).unwrap();
        assert_eq!(v["level"], "city");
        for (json, code) in [
            (
                r#"{"kind":"resident_id","value":"910105194912310021"}"#,
                "id_resident_region",
            ),
            (
                r#"{"kind":"credit_code","value":"911A0000600037341L"}"#,
                "id_credit_character",
            ),
            (r#"{"kind":"region_code","value":"910000"}"#, "id_region"),
            (
                r#"{"kind":"resident_id","value":"360426199101010071","on":"1990-12-31"}"#,
                "id_resident_birth_out_of_range",
            ),
            (r#"{"kind":"iban","value":"x"}"#, "input_json"),
        ] {
            assert_eq!(check(json), Err(code), "{json}");
        }
        let mut refusing = Rulebook::default();
        refusing.identifiers.legacy_resident_ids = hedui_core::rulebook::LegacyResidentIds::Refuse;
        let e = id_check_json(
            &refusing,
            r#"{"kind":"resident_id","value":"110105491231002","on":"2026-11-29"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "id_resident_legacy");
    }
}
