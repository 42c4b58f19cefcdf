//! National identifiers on their own: `id_check` (GB 11643-1999 resident IDs, GB 32100-2015
//! credit codes, GB/T 2260 region codes), and `resident_id_check` / `credit_code_check`, the
//! verdict on one number without failing for an invalid one.
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
    /// birth-date window applies too: no birth date after this day or before the rulebook's
    /// floor. The rulebook's legacy rule (first-generation numbers only where the rulebook
    /// upgrades them) applies with or without a day.
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
            resident_rules(rulebook, &id, request.on).map_err(core)?;
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

/// The verdict on one identifier, valid or not: what `id_check` reads, with the error code in
/// place of the error. The identifier helpers of the bindings (Python `check_resident_id`,
/// `check_credit_code`) and the identifier tables ([`IdTableBuilder`]) give this shape, so a
/// roster of numbers is checked without one exception per bad number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdVerdict {
    /// Which identifier.
    pub kind: IdKind,
    /// The identifier as hedui writes it (a resident ID in its 18-character form, check
    /// character `X` in upper case); `None` when invalid.
    pub value: Option<String>,
    /// Whether hedui accepts the identifier.
    pub valid: bool,
    /// The stable code of the first thing wrong (`id_resident_checksum`, ...); `None` when valid.
    pub error: Option<&'static str>,
    /// Resident ID: given as a first-generation 15-digit number.
    pub legacy: Option<bool>,
    /// Resident ID: the birth date.
    pub birth_date: Option<Date>,
    /// Resident ID: the sex of the sequence code.
    pub sex: Option<Sex>,
    /// Resident ID: the address code (positions 1–6); credit code: the region code of the
    /// registering authority (positions 3–8, GB 32100-2015 §4.3); region code: the code.
    pub region: Option<String>,
}

/// An identifier once read and accepted.
enum Read {
    Resident(ResidentId),
    Credit(CreditCode),
    Region(RegionCode),
}

/// Reads `value` as `kind` under `rulebook` (on the day `on` when given), as [`id_check`]
/// does.
fn read(
    rulebook: &Rulebook,
    kind: IdKind,
    value: &str,
    on: Option<Date>,
) -> Result<Read, hedui_core::error::IdError> {
    match kind {
        IdKind::ResidentId => {
            let id = ResidentId::parse(value)?;
            resident_rules(rulebook, &id, on)?;
            Ok(Read::Resident(id))
        }
        IdKind::CreditCode => CreditCode::parse(value).map(Read::Credit),
        IdKind::RegionCode => RegionCode::parse(value).map(Read::Region),
    }
}

/// The rulebook's identifier rules on a resident ID that parsed: on the day `on` when given
/// (the birth-date window and the legacy rule), else the legacy rule alone, which holds
/// whatever the day: under `identifiers.legacy_resident_ids: refuse` a first-generation number
/// is refused with or without a day.
fn resident_rules(
    rulebook: &Rulebook,
    id: &ResidentId,
    on: Option<Date>,
) -> Result<(), hedui_core::error::IdError> {
    match on {
        Some(on) => rulebook.identifiers.check_resident_id(id, on),
        None => rulebook.identifiers.check_legacy(id),
    }
}

/// The region code of the registering authority in a valid credit code: positions 3–8
/// (GB 32100-2015 §4.3; [`CreditCode::parse`] refuses a letter there).
fn credit_region(code: &CreditCode) -> Option<&str> {
    code.as_str().get(2..8)
}

/// The verdict on one identifier: [`id_check`] without failing. `on` as in
/// [`IdCheckRequest::on`] (for a resident ID, the rulebook's identifier rules on that day).
pub fn id_verdict(rulebook: &Rulebook, kind: IdKind, value: &str, on: Option<Date>) -> IdVerdict {
    let mut verdict = IdVerdict {
        kind,
        value: None,
        valid: false,
        error: None,
        legacy: None,
        birth_date: None,
        sex: None,
        region: None,
    };
    match read(rulebook, kind, value, on) {
        Err(e) => verdict.error = Some(e.code()),
        Ok(read) => {
            verdict.valid = true;
            match read {
                Read::Resident(id) => {
                    verdict.legacy = Some(id.is_legacy());
                    verdict.birth_date = Some(id.birth_date());
                    verdict.sex = Some(id.sex());
                    verdict.region = Some(id.region().to_string());
                    verdict.value = Some(id.as_str().to_owned());
                }
                Read::Credit(code) => {
                    verdict.region = credit_region(&code).map(str::to_owned);
                    verdict.value = Some(code.as_str().to_owned());
                }
                Read::Region(code) => {
                    verdict.region = Some(code.to_string());
                    verdict.value = Some(code.to_string());
                }
            }
        }
    }
    verdict
}

/// A column of identifiers checked into one Arrow record batch (feature `columns`), a row
/// per value in input order, the columns of [`IdVerdict`]:
///
/// | column | type | |
/// |---|---|---|
/// | `value` | Utf8 | as hedui writes it; null when invalid |
/// | `valid` | Boolean | null for a missing value |
/// | `error` | Dictionary(Int8, Utf8) | the error code; null when valid or missing |
/// | `legacy` | Boolean | resident IDs |
/// | `birth_date` | Date32 | resident IDs |
/// | `sex` | Dictionary(Int8, Utf8) | resident IDs: `male` / `female` |
/// | `region` | Utf8 | resident IDs: address code; credit codes: registering authority's region |
///
/// A missing value (a null, `None`) gives a row of nulls; a value that is not text gives a
/// row refused with the caller's code ([`IdTableBuilder::push_refused`]). No value is dropped.
#[cfg(feature = "columns")]
pub struct IdTableBuilder<'r> {
    rulebook: &'r Rulebook,
    kind: IdKind,
    on: Option<Date>,
    value: arrow_array::builder::StringBuilder,
    valid: arrow_array::builder::BooleanBuilder,
    error: arrow_array::builder::StringDictionaryBuilder<arrow_array::types::Int8Type>,
    legacy: arrow_array::builder::BooleanBuilder,
    birth_date: arrow_array::builder::Date32Builder,
    sex: arrow_array::builder::StringDictionaryBuilder<arrow_array::types::Int8Type>,
    region: arrow_array::builder::StringBuilder,
}

#[cfg(feature = "columns")]
impl std::fmt::Debug for IdTableBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdTableBuilder")
            .field("kind", &self.kind)
            .field("on", &self.on)
            .field("rows", &self.rows())
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "columns")]
impl<'r> IdTableBuilder<'r> {
    /// A builder for identifiers of `kind`, read under `rulebook` (on the day `on` when given,
    /// as [`IdCheckRequest::on`]), with room for `capacity` rows.
    pub fn new(rulebook: &'r Rulebook, kind: IdKind, on: Option<Date>, capacity: usize) -> Self {
        use arrow_array::builder::{BooleanBuilder, Date32Builder, StringBuilder};
        let text = match kind {
            IdKind::ResidentId | IdKind::CreditCode => 18,
            IdKind::RegionCode => 6,
        };
        IdTableBuilder {
            rulebook,
            kind,
            on,
            value: StringBuilder::with_capacity(capacity, capacity.saturating_mul(text)),
            valid: BooleanBuilder::with_capacity(capacity),
            error: Default::default(),
            legacy: BooleanBuilder::with_capacity(capacity),
            birth_date: Date32Builder::with_capacity(capacity),
            sex: Default::default(),
            region: StringBuilder::with_capacity(capacity, capacity.saturating_mul(6)),
        }
    }

    /// The schema of the table.
    pub fn schema() -> arrow_schema::SchemaRef {
        use arrow_schema::{DataType, Field, Schema};
        let code = DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8));
        std::sync::Arc::new(Schema::new(vec![
            Field::new("value", DataType::Utf8, true),
            Field::new("valid", DataType::Boolean, true),
            Field::new("error", code.clone(), true),
            Field::new("legacy", DataType::Boolean, true),
            Field::new("birth_date", DataType::Date32, true),
            Field::new("sex", code, true),
            Field::new("region", DataType::Utf8, true),
        ]))
    }

    fn nulls_from_legacy(&mut self) {
        self.legacy.append_null();
        self.birth_date.append_null();
        self.sex.append_null();
    }

    /// Checks one value and adds its row.
    pub fn push(&mut self, value: &str) {
        match read(self.rulebook, self.kind, value, self.on) {
            Err(e) => self.push_refused(e.code()),
            Ok(read) => {
                self.valid.append_value(true);
                self.error.append_null();
                match read {
                    Read::Resident(id) => {
                        self.value.append_value(id.as_str());
                        self.legacy.append_value(id.is_legacy());
                        self.birth_date.append_value(days(id.birth_date()));
                        let sex = match id.sex() {
                            Sex::Male => "male",
                            Sex::Female => "female",
                        };
                        self.sex.append_value(sex);
                        self.region.append_option(id.as_str().get(..6));
                    }
                    Read::Credit(code) => {
                        self.value.append_value(code.as_str());
                        self.nulls_from_legacy();
                        self.region.append_option(credit_region(&code));
                    }
                    Read::Region(code) => {
                        let text = code.to_string();
                        self.value.append_value(&text);
                        self.nulls_from_legacy();
                        self.region.append_value(&text);
                    }
                }
            }
        }
    }

    /// Adds the row of a missing value: every column null.
    pub fn push_missing(&mut self) {
        self.value.append_null();
        self.valid.append_null();
        self.error.append_null();
        self.nulls_from_legacy();
        self.region.append_null();
    }

    /// Adds the row of a value refused with `code` (not valid, nothing parsed): what
    /// [`push`](Self::push) adds for an invalid identifier, and what a binding adds for a value
    /// that is not text.
    pub fn push_refused(&mut self, code: &str) {
        self.value.append_null();
        self.valid.append_value(false);
        self.error.append_value(code);
        self.nulls_from_legacy();
        self.region.append_null();
    }

    /// Number of rows so far.
    pub fn rows(&self) -> usize {
        arrow_array::builder::ArrayBuilder::len(&self.valid)
    }

    /// The rows as one record batch; the builder starts again empty.
    ///
    /// # Errors
    /// Only if the columns disagree in length, which the `push` methods rule out.
    pub fn finish(&mut self) -> Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
        use arrow_array::ArrayRef;
        use std::sync::Arc;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.value.finish()),
            Arc::new(self.valid.finish()),
            Arc::new(self.error.finish()),
            Arc::new(self.legacy.finish()),
            Arc::new(self.birth_date.finish()),
            Arc::new(self.sex.finish()),
            Arc::new(self.region.finish()),
        ];
        arrow_array::RecordBatch::try_new(Self::schema(), columns)
    }
}

/// Days since 1970-01-01 (Arrow `Date32`).
#[cfg(feature = "columns")]
fn days(d: Date) -> i32 {
    d.to_julian_day() - 2_440_588
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

/// The request of `resident_id_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResidentIdCheckRequest {
    /// The number as written (18 characters, or a first-generation 15-digit number).
    pub value: String,
    /// The day of verification (`YYYY-MM-DD`): when given, the rulebook's identifier rules
    /// apply too, as in [`IdCheckRequest::on`].
    #[serde(default)]
    pub on: Option<Date>,
}

/// The request of `credit_code_check`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditCodeCheckRequest {
    /// The code as written (18 characters).
    pub value: String,
}

/// Operation `resident_id_check`: the verdict on one resident ID 居民身份证号码
/// (GB 11643-1999) — its 18-character form, whether it is valid, the code of what is wrong,
/// and the birth date, sex and region it encodes — without failing for an invalid number
/// (Python `check_resident_id`).
pub fn resident_id_check(rulebook: &Rulebook, request: &ResidentIdCheckRequest) -> IdVerdict {
    id_verdict(rulebook, IdKind::ResidentId, &request.value, request.on)
}

/// Operation `credit_code_check`: the verdict on one unified social credit code
/// 统一社会信用代码 (GB 32100-2015) — its form, whether it is valid, the code of what is
/// wrong and the registering authority's region — without failing for an invalid code
/// (Python `check_credit_code`).
pub fn credit_code_check(rulebook: &Rulebook, request: &CreditCodeCheckRequest) -> IdVerdict {
    id_verdict(rulebook, IdKind::CreditCode, &request.value, None)
}

/// [`resident_id_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`ResidentIdCheckRequest`]; an invalid number is
/// a verdict, not an error.
pub fn resident_id_check_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "resident id check",
        request_json,
        |r: ResidentIdCheckRequest| Ok(resident_id_check(rulebook, &r)),
    )
}

/// [`credit_code_check`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`CreditCodeCheckRequest`]; an invalid code is a
/// verdict, not an error.
pub fn credit_code_check_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call(
        "credit code check",
        request_json,
        |r: CreditCodeCheckRequest| Ok(credit_code_check(rulebook, &r)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(
        op: fn(&Rulebook, &str) -> Result<Vec<u8>, Failure>,
        json: &str,
    ) -> Result<serde_json::Value, &'static str> {
        op(crate::args::default_rulebook(), json)
            .map(|out| serde_json::from_slice(&out).unwrap())
            .map_err(|e| e.code())
    }

    #[test]
    fn resident_id_check_gives_a_verdict_valid_or_not() {
        let v = verdict(resident_id_check_json, r#"{"value":"110105491231002"}"#).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "kind": "resident_id", "value": "11010519491231002X", "valid": true,
                "error": null, "legacy": true, "birth_date": "1949-12-31", "sex": "female",
                "region": "110105"
            })
        );
        let bad = verdict(resident_id_check_json, r#"{"value":"110105194912310021"}"#).unwrap();
        assert_eq!(
            (&bad["valid"], &bad["error"], &bad["value"]),
            (
                &serde_json::json!(false),
                &serde_json::json!("id_resident_checksum"),
                &serde_json::Value::Null
            )
        );
        // with the day of verification, the rulebook's birth-date bounds apply
        let later = r#"{"value":"11010520300101001X","on":"2026-11-29"}"#;
        assert_eq!(
            verdict(resident_id_check_json, later).unwrap()["error"],
            "id_resident_birth_out_of_range"
        );
        assert_eq!(
            verdict(resident_id_check_json, r#"{"value":"11010520300101001X"}"#).unwrap()["valid"],
            true
        );
        // a request that is not the document is an error, not a verdict
        for bad in [
            "{",
            r#"{"value": 1}"#,
            r#"{"value":"x","kind":"resident_id"}"#,
        ] {
            assert_eq!(
                verdict(resident_id_check_json, bad),
                Err("input_json"),
                "{bad}"
            );
        }
    }

    #[test]
    fn credit_code_check_gives_a_verdict_valid_or_not() {
        let v = verdict(credit_code_check_json, r#"{"value":"91110000600037341L"}"#).unwrap();
        assert_eq!(
            (&v["valid"], &v["value"], &v["region"], &v["kind"]),
            (
                &serde_json::json!(true),
                &serde_json::json!("91110000600037341L"),
                &serde_json::json!("110000"),
                &serde_json::json!("credit_code")
            )
        );
        let bad = verdict(credit_code_check_json, r#"{"value":"91110000600037341M"}"#).unwrap();
        assert_eq!(bad["valid"], false);
        assert_eq!(bad["error"], "id_credit_checksum");
        assert_eq!(
            verdict(credit_code_check_json, r#"{"value":"x","on":"2026-11-29"}"#),
            Err("input_json")
        );
    }

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

    /// docs/rules.md#identifiers: a rulebook that refuses first-generation numbers refuses
    /// them in `id_check`, its verdicts and its tables whether or not a day is given (the
    /// `hedui id` command without `--on` among them); the default rulebook upgrades them.
    #[test]
    fn the_legacy_rule_applies_without_a_day() {
        let mut refusing = Rulebook::default();
        refusing.identifiers.legacy_resident_ids = hedui_core::rulebook::LegacyResidentIds::Refuse;
        let request = r#"{"kind":"resident_id","value":"110105491231002"}"#;
        let e = id_check_json(&refusing, request).unwrap_err();
        assert_eq!(e.code(), "id_resident_legacy");
        let v = check(request).unwrap();
        assert_eq!(v["value"], "11010519491231002X");
        let v = id_verdict(&refusing, IdKind::ResidentId, "110105491231002", None);
        assert_eq!(v.error, Some("id_resident_legacy"));
        assert!(!v.valid);
        // an eighteen-character number is not concerned; without a day, no birth window
        let v = id_verdict(&refusing, IdKind::ResidentId, "110105203101010017", None);
        assert!(v.valid, "{v:?}");
        #[cfg(feature = "columns")]
        {
            use arrow_array::cast::AsArray;
            let mut t = IdTableBuilder::new(&refusing, IdKind::ResidentId, None, 1);
            t.push("110105491231002");
            let batch = t.finish().unwrap();
            let valid = batch.column_by_name("valid").unwrap().as_boolean();
            assert!(!valid.value(0));
        }
    }

    #[test]
    fn verdicts_carry_the_code_instead_of_failing() {
        let rb = crate::args::default_rulebook();
        let on = Some(time::macros::date!(2026 - 11 - 29));
        let v = id_verdict(rb, IdKind::ResidentId, "110105491231002", on);
        assert_eq!(v.value.as_deref(), Some("11010519491231002X"));
        assert!(v.valid && v.error.is_none());
        assert_eq!(v.legacy, Some(true));
        assert_eq!(v.sex, Some(Sex::Female));
        assert_eq!(v.region.as_deref(), Some("110105"));
        // every refusal of id_check is the same code here, nothing parsed
        for (kind, value, on) in [
            (IdKind::ResidentId, "910105194912310021", None),
            (IdKind::ResidentId, "11010519491231002", None),
            (IdKind::ResidentId, "110105194912310021", None),
            (
                IdKind::ResidentId,
                "360426199101010071",
                Some(time::macros::date!(1990 - 12 - 31)),
            ),
            (IdKind::CreditCode, "911A0000600037341L", None),
            (IdKind::CreditCode, "91110000600037341M", None),
            (IdKind::RegionCode, "910000", None),
        ] {
            let v = id_verdict(rb, kind, value, on);
            let request = IdCheckRequest {
                kind,
                value: value.to_owned(),
                on,
            };
            let code = id_check(rb, &request).unwrap_err().code();
            assert_eq!(v.error, Some(code), "{value}");
            assert!(!v.valid && v.value.is_none() && v.region.is_none() && v.sex.is_none());
        }
        // GB 32100-2015 §4.3: positions 3-8 are the registering authority's region
        let v = id_verdict(rb, IdKind::CreditCode, "91110000600037341L", None);
        assert_eq!(v.region.as_deref(), Some("110000"));
        assert!(v.valid);
    }

    #[cfg(feature = "columns")]
    #[test]
    fn the_table_has_a_row_per_value_in_order() {
        use arrow_array::Array;
        use arrow_array::cast::AsArray;
        use arrow_array::types::{Date32Type, Int8Type};
        let rb = crate::args::default_rulebook();
        let mut t = IdTableBuilder::new(rb, IdKind::ResidentId, None, 4);
        t.push("11010519491231002x");
        t.push_missing();
        t.push("11010519491231002");
        t.push_refused("input_argument");
        assert_eq!(t.rows(), 4);
        let batch = t.finish().unwrap();
        assert_eq!(batch.schema(), IdTableBuilder::schema());
        let value = batch.column(0).as_string::<i32>();
        assert_eq!(value.value(0), "11010519491231002X");
        assert!(value.is_null(1) && value.is_null(2) && value.is_null(3));
        let valid = batch.column(1).as_boolean();
        assert!(valid.value(0) && valid.is_null(1) && !valid.value(2) && !valid.value(3));
        let error = batch.column(2).as_dictionary::<Int8Type>();
        let codes = error.values().as_string::<i32>();
        let code = |i: usize| codes.value(usize::try_from(error.keys().value(i)).unwrap());
        assert!(error.is_null(0) && error.is_null(1));
        assert_eq!((code(2), code(3)), ("id_resident_length", "input_argument"));
        let birth = batch.column(4).as_primitive::<Date32Type>();
        assert_eq!(birth.value(0), days(time::macros::date!(1949 - 12 - 31)));
        assert_eq!(batch.column(6).as_string::<i32>().value(0), "110105");
        assert_eq!(t.rows(), 0);
    }
}
