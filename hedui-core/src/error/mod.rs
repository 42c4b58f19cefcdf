//! Errors: one enum per area, each beside the module whose rules it reports, and the
//! [`Error`] that holds any of them.
//!
//! Every variant is declared with its catalog entry ([`ErrorInfo`]): a stable snake_case
//! [`code`](Error::code), its [`ErrorArea`], the rule of `docs/rules.md` (R1..R11) and the
//! clause it enforces, and its C result number. Codes are part of the public contract: the
//! bindings pass them through unchanged, and they are never renamed or reused. A rule error's
//! message starts with the rule and its clause, rendered from the catalog.

mod authorization;
pub(crate) mod catalog;
mod entrustment;
mod input;
pub(crate) mod mask;
mod population;
mod security;
mod verification;

use serde::Serialize;

pub use self::authorization::{AuthorizationDefect, AuthorizationError};
pub use self::catalog::{ErrorArea, ErrorInfo, Rule, rules};
pub use self::entrustment::EntrustmentError;
pub use self::input::InputError;
pub use self::mask::mask_resident_ids;
pub use self::population::PopulationError;
pub use self::security::SecurityError;
pub use self::verification::VerificationError;
pub use crate::calendar::CalendarError;
pub use crate::id::IdError;

/// Any hedui error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed identifier, or one the rulebook's identifier rules refuse.
    #[error("{error}")]
    Id {
        /// What is wrong with it.
        error: IdError,
        /// Where it is in the document read (`household.members[2].id`), when it was read
        /// from one.
        path: Option<String>,
    },
    /// Malformed or inconsistent input.
    #[error(transparent)]
    Input(#[from] InputError),
    /// R1 authorization.
    #[error(transparent)]
    Authorization(#[from] AuthorizationError),
    /// R1/R2 entrustment and pre-check.
    #[error(transparent)]
    Entrustment(#[from] EntrustmentError),
    /// Query results and report assembly.
    #[error(transparent)]
    Verification(#[from] VerificationError),
    /// Working-day calendar data.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// R4, R5, R8 population rules.
    #[error(transparent)]
    Population(#[from] PopulationError),
    /// R10/R11 records and security.
    #[error(transparent)]
    Security(#[from] SecurityError),
}

impl From<IdError> for Error {
    fn from(error: IdError) -> Self {
        Error::Id { error, path: None }
    }
}

/// An error as structured data: what the bindings hand to hosts (Python's
/// `HeduiError.detail`, C's `hedui_last_error_json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// Stable code.
    pub code: &'static str,
    /// Area.
    pub area: ErrorArea,
    /// Rule id (`R1` .. `R11`), when the error enforces one.
    pub rule: Option<&'static str>,
    /// The clause of the source text, when the error enforces a rule.
    pub clause: Option<&'static str>,
    /// Where `docs/rules.md` describes the rule (`docs/rules.md#r2-no-entrust-no-check`).
    pub docs: Option<&'static str>,
    /// The message, as `Display` writes it.
    pub message: String,
    /// The variant's fields by name (an empty object when it has none).
    pub fields: serde_json::Value,
    /// The JSON path of the offending input (`household.members[2].id`), where known.
    pub path: Option<String>,
}

/// A finding that is not itself an error (an authorization defect, a password weakness, an
/// archive gap) as data for a host: the finding's own fields, `code` first, then its
/// `message`. Every binding hands findings on in this one shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Described<T> {
    /// The finding.
    #[serde(flatten)]
    pub item: T,
    /// What it means, in words (the finding's `Display`).
    pub message: String,
}

impl<T: std::fmt::Display> Described<T> {
    /// The finding with its message.
    pub fn new(item: T) -> Self {
        let message = item.to_string();
        Described { item, message }
    }
}

impl Error {
    /// This error's catalog entry.
    pub fn info(&self) -> &'static ErrorInfo {
        match self {
            Error::Id { error, .. } => error.info(),
            Error::Input(e) => e.info(),
            Error::Authorization(e) => e.info(),
            Error::Entrustment(e) => e.info(),
            Error::Verification(e) => e.info(),
            Error::Calendar(e) => e.info(),
            Error::Population(e) => e.info(),
            Error::Security(e) => e.info(),
        }
    }

    /// Stable snake_case code, passed through unchanged by every binding.
    pub fn code(&self) -> &'static str {
        self.info().code
    }

    /// The area the error belongs to.
    pub fn area(&self) -> ErrorArea {
        self.info().area
    }

    /// Every error the crate can return, area by area, each entry once.
    pub fn catalog() -> impl Iterator<Item = &'static ErrorInfo> {
        [
            InputError::CATALOG,
            IdError::CATALOG,
            CalendarError::CATALOG,
            AuthorizationError::CATALOG,
            EntrustmentError::CATALOG,
            VerificationError::CATALOG,
            PopulationError::CATALOG,
            SecurityError::CATALOG,
        ]
        .into_iter()
        .flatten()
    }

    /// The error as structured data ([`ErrorDetail`]).
    pub fn detail(&self) -> ErrorDetail {
        let info = self.info();
        let fields = match self {
            Error::Id { error, .. } => serde_json::to_value(error),
            Error::Input(e) => serde_json::to_value(e),
            Error::Authorization(e) => serde_json::to_value(e),
            Error::Entrustment(e) => serde_json::to_value(e),
            Error::Verification(e) => serde_json::to_value(e),
            Error::Calendar(e) => serde_json::to_value(e),
            Error::Population(e) => serde_json::to_value(e),
            Error::Security(e) => serde_json::to_value(e),
        };
        let mut fields = match fields {
            Ok(serde_json::Value::Object(map)) => serde_json::Value::Object(map),
            _ => serde_json::Value::Object(serde_json::Map::new()),
        };
        mask::mask_value(&mut fields);
        let path = match self {
            Error::Input(
                InputError::Json { path, .. }
                | InputError::ArrayForObject { path, .. }
                | InputError::DuplicateKey { path, .. }
                | InputError::LimitExceeded { path, .. },
            )
            | Error::Id { path, .. } => path.as_deref().map(|p| mask_resident_ids(p).into_owned()),
            _ => None,
        };
        ErrorDetail {
            code: info.code,
            area: info.area,
            rule: info.rule.map(|r| r.id),
            clause: info.rule.map(|r| r.clause),
            docs: info.rule.map(|r| r.docs()),
            message: self.to_string(),
            fields,
            path,
        }
    }

    /// Reads a `document` of type `T` from JSON `text` under the default
    /// [`DocumentLimits`](crate::rulebook::DocumentLimits): [`Error::parse_with`].
    ///
    /// # Errors
    /// As [`Error::parse_with`].
    pub fn parse<T: serde::de::DeserializeOwned>(
        document: &'static str,
        text: &str,
    ) -> Result<T, Error> {
        Self::parse_with(document, text, &crate::strict::DocumentLimits::default())
    }

    /// Reads a `document` of type `T` from JSON `text`, strictly: an object where the shape has
    /// a struct (never an array of its fields), no key twice in one object, nothing after the
    /// document, and within `limits` (nesting, string length, amounts). On failure the error
    /// names the JSON path of the value that failed (`household.members[2].id`) where there is
    /// one.
    ///
    /// The path costs a second reading, made only when the first one failed.
    ///
    /// # Errors
    /// [`InputError::ArrayForObject`], [`InputError::DuplicateKey`],
    /// [`InputError::TrailingData`], [`InputError::LimitExceeded`], an identifier's own error,
    /// or else [`Error::json`].
    pub fn parse_with<T: serde::de::DeserializeOwned>(
        document: &'static str,
        text: &str,
        limits: &crate::strict::DocumentLimits,
    ) -> Result<T, Error> {
        crate::id::with_policy(None, || Self::parse_inner(document, text, limits))
    }

    /// [`Error::parse_with`] under the identifier policy in force on this thread
    /// ([`crate::rulebook::Rulebook::read_document`] sets one).
    pub(crate) fn parse_inner<T: serde::de::DeserializeOwned>(
        document: &'static str,
        text: &str,
        limits: &crate::strict::DocumentLimits,
    ) -> Result<T, Error> {
        let state = crate::strict::State::new(limits);
        let mut de = serde_json::Deserializer::from_str(text);
        let read = T::deserialize(crate::strict::Strict {
            inner: &mut de,
            state: &state,
        })
        .and_then(|value| de.end().map(|()| value));
        let e = match read {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        let path = || {
            let second = crate::strict::State::new(limits);
            let mut de = serde_json::Deserializer::from_str(text);
            let strict = crate::strict::Strict {
                inner: &mut de,
                state: &second,
            };
            let path = serde_path_to_error::deserialize::<_, T>(strict)
                .err()
                .map(|e| e.path().to_string())
                // `?` alone: the reading stopped before it knew the first key
                .filter(|p| !p.is_empty() && p != "." && p != "?")
                .map(|p| mask_resident_ids(&p).into_owned());
            // the second reading may have kept a rejected identifier again: drop it
            let _ = crate::id::take_rejected("");
            path
        };
        if let Some(violation) = state.violation() {
            let _ = crate::id::take_rejected("");
            let path = path();
            return Err(Error::Input(match violation {
                crate::strict::Violation::ArrayForObject => {
                    InputError::ArrayForObject { document, path }
                }
                crate::strict::Violation::DuplicateKey(key) => {
                    // the path ends where the key failed (`a.?`): name the key
                    let path = path.map(|p| match p.strip_suffix('?') {
                        Some(parent) => format!("{parent}{}", mask_resident_ids(&key)),
                        None => p,
                    });
                    InputError::DuplicateKey {
                        document,
                        key,
                        path,
                    }
                }
                crate::strict::Violation::Limit { limit, value, max } => {
                    InputError::LimitExceeded {
                        limit,
                        value,
                        max,
                        path,
                    }
                }
            }));
        }
        let message = e.to_string();
        if e.is_syntax() && message.starts_with("trailing characters") {
            return Err(Error::Input(InputError::TrailingData { document, message }));
        }
        let mut err = Error::json(document, &e);
        if let Error::Input(InputError::Json { path: slot, .. }) | Error::Id { path: slot, .. } =
            &mut err
        {
            *slot = path();
        }
        Err(err)
    }

    /// Builds an [`InputError::Json`] from a serde_json error, or an [`Error::Id`] when the
    /// document failed on a malformed identifier inside it (a resident ID with a wrong check
    /// character gives `id_resident_checksum`, not `input_json`).
    ///
    /// serde's message quotes a value of the wrong type whole (an ID given as a JSON number:
    /// `invalid type: integer `141030197803100016``): every run of digits that could be a
    /// resident ID is masked here, where serde's errors become hedui's
    /// ([`mask_resident_ids`]).
    pub fn json(document: &'static str, e: &serde_json::Error) -> Self {
        let message = e.to_string();
        match crate::id::take_rejected(&message) {
            Some(error) if e.is_data() => Error::Id { error, path: None },
            _ => Error::Input(InputError::Json {
                document,
                message: mask_resident_ids(&message).into_owned(),
                path: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rulebook;
    use crate::sample::sample_case;
    use crate::verify::Case;

    fn case_json() -> serde_json::Value {
        let rb = Rulebook::default();
        serde_json::to_value(&sample_case(7, 0, &rb).case).unwrap()
    }

    #[test]
    fn a_shape_error_names_the_json_path_of_the_value() {
        let mut v = case_json();
        v["household"]["members"][0]["co_resident"] = serde_json::json!("yes");
        let e = Error::parse::<Case>("case", &v.to_string()).unwrap_err();
        assert_eq!(e.code(), "input_json");
        let d = e.detail();
        assert_eq!(d.path.as_deref(), Some("household.members[0].co_resident"));
        assert_eq!(d.fields["path"], "household.members[0].co_resident");
        assert!(
            d.message.starts_with("invalid case json: "),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_root_shape_error_has_no_path_and_an_identifier_keeps_its_code() {
        let e = Error::parse::<Case>("case", "42").unwrap_err();
        assert_eq!((e.code(), e.detail().path), ("input_json", None));
        // cut short inside a value: the path says whose
        let e = Error::parse::<Case>("case", "{\"case_id\": ").unwrap_err();
        assert_eq!(e.detail().path.as_deref(), Some("case_id"));
        let mut v = case_json();
        v["household"]["members"][0]["id"] = serde_json::json!("360426199101010072");
        let e = Error::parse::<Case>("case", &v.to_string()).unwrap_err();
        assert_eq!(e.code(), "id_resident_checksum");
        // the identifier kept for the first reading is not left over for a later one
        assert!(crate::id::take_rejected("").is_none());
    }

    #[test]
    fn every_detail_names_its_catalog_entry() {
        let e = Error::from(EntrustmentError::Missing);
        let d = e.detail();
        assert_eq!(
            (d.code, d.area, d.rule, d.clause),
            (
                "entrustment_missing",
                ErrorArea::Entrustment,
                Some("R2"),
                Some("N §二(一)")
            )
        );
        assert_eq!(d.docs, Some("docs/rules.md#r2-no-entrust-no-check"));
        assert_eq!(d.message, e.to_string());
        assert!(
            e.to_string()
                .starts_with("R2 no-entrust-no-check (N §二(一)): ")
        );
        assert_eq!(d.fields, serde_json::json!({}));
        assert!(Error::catalog().any(|i| i == e.info()));
    }
}
