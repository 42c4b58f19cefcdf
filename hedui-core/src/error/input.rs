//! Input that cannot be read or does not hold together.

use super::catalog::{error_catalog, rules};

error_catalog! {
    /// Input that cannot be read or does not hold together.
    pub enum InputError in Input {
        /// The JSON text is not valid or does not have the document's shape.
        Json {
            /// What was being read (`case`, `rulebook`, ...).
            document: &'static str,
            /// What serde_json reported, with line and column.
            message: String,
            /// The JSON path of the value that failed (`household.members[2].id`), where
            /// known.
            path: Option<String>,
        }
            => "input_json", 2000, None,
            "invalid JSON, or JSON without the document's shape",
            ("invalid {document} json: {message}");
        /// A document refers to something that is not there.
        Inconsistent {
            /// What does not hold together.
            message: String,
        }
            => "input_inconsistent", 2001, None,
            "the input does not hold together",
            ("{message}");
        /// A rulebook value is out of its allowed range.
        Rulebook {
            /// Which value and why.
            message: String,
        }
            => "input_rulebook", 2002, None,
            "a rulebook value is out of range",
            ("rulebook: {message}");
        /// A line of a JSONL input is longer than the rulebook's `limits.max_line_bytes`.
        LineTooLong {
            /// The rulebook field (`limits.max_line_bytes`).
            limit: &'static str,
            /// The line's length in bytes, without its line ending.
            value: u64,
            /// The most bytes a line may have.
            max: u64,
        }
            => "input_line_too_long", 2003, None,
            "a line of the input is longer than the reader's maximum",
            ("`{limit}` is {max}, the line has {value} bytes");
        /// R11: a security setting of the rulebook is outside its policy floor or ceiling
        /// (docs/rules.md#r11-security lists every bound and its source).
        RulebookOutOfBounds {
            /// The rulebook field (`password.lockout_failures`).
            field: &'static str,
            /// The value the rulebook gives it.
            value: u64,
            /// The bound it breaks, with its source (``between `1` and `10` (…)``).
            bound: String,
        }
            => "rulebook_out_of_bounds", 2004, Some(rules::R11),
            "R11: a security setting of the rulebook is outside its policy bounds",
            ("rulebook `{field}` is `{value}`, it must be {bound}");
        /// A document, or a part of one, given as a JSON array where an object is expected
        /// (serde would read a struct from an array of its fields in order).
        ArrayForObject {
            /// What was being read (`case`, `rulebook`, ...).
            document: &'static str,
            /// The JSON path of the array (`household.members[2]`), where known.
            path: Option<String>,
        }
            => "input_array_for_object", 2005, None,
            "a JSON array where the document's shape has an object",
            ("invalid {document} json: an array where an object is expected");
        /// A key that appears twice in one JSON object (serde_json would keep the last).
        DuplicateKey {
            /// What was being read.
            document: &'static str,
            /// The key.
            key: String,
            /// The JSON path of the object's second value, where known.
            path: Option<String>,
        }
            => "input_duplicate_key", 2006, None,
            "a key that appears twice in one JSON object",
            ("invalid {document} json: key `{key}` appears twice in one object");
        /// Text after the end of the document.
        TrailingData {
            /// What was being read.
            document: &'static str,
            /// What serde_json reported, with line and column.
            message: String,
        }
            => "input_trailing_data", 2007, None,
            "text after the end of the JSON document",
            ("invalid {document} json: text after the end of the document ({message})");
        /// A limit of the rulebook's `limits` exceeded.
        LimitExceeded {
            /// The rulebook field (`limits.max_depth`).
            limit: &'static str,
            /// The value found.
            value: i128,
            /// The limit.
            max: i128,
            /// The JSON path where it was exceeded, where known.
            path: Option<String>,
        }
            => "input_limit_exceeded", 2008, None,
            "the input exceeds a limit of the rulebook",
            ("`{limit}` is {max}, the input has {value}");
        /// Text is not valid UTF-8.
        Utf8
            => "input_utf8", 1001, None,
            "a text argument is not valid UTF-8",
            ("input is not valid utf-8");
    }
}
