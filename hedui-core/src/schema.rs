//! JSON Schema helpers for `time` types, which schemars does not describe on its own.

use std::borrow::Cow;

#[cfg(feature = "schemas")]
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// A calendar date written `YYYY-MM-DD`.
pub(crate) struct IsoDate;

#[cfg(feature = "schemas")]
impl JsonSchema for IsoDate {
    fn schema_name() -> Cow<'static, str> {
        "IsoDate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
    }
}

/// An instant written in RFC 3339 with its offset (`+08:00` for a Beijing wall clock).
pub(crate) struct Rfc3339;

#[cfg(feature = "schemas")]
impl JsonSchema for Rfc3339 {
    fn schema_name() -> Cow<'static, str> {
        "Rfc3339".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }
}
