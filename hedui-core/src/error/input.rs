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
        /// A table given to the case-table reader that its layout does not have
        /// (docs/tables.md lists the tables by name and sheet).
        TableUnknown {
            /// The name as given.
            table: String,
        }
            => "table_unknown", 2300, None,
            "a table that the case-table layout does not have",
            ("table `{table}` is not part of the case-table layout");
        /// A column of a case table that its layout does not have, with a value in a row.
        TableUnknownColumn {
            /// The table.
            table: String,
            /// The column's header as given.
            column: String,
        }
            => "table_unknown_column", 2301, None,
            "a filled cell in a column that the table's layout does not have",
            ("table `{table}` has no column `{column}`; its value would be lost");
        /// A cell of a case table that does not read as its column's type (a number, yes or
        /// no, a date, an instant).
        TableCell {
            /// The table.
            table: String,
            /// The column.
            column: String,
            /// What is wrong with the value.
            message: String,
        }
            => "table_cell", 2302, None,
            "a cell that does not read as its column's type",
            ("table `{table}`, column `{column}`: {message}");
        /// A row of a case table without the key that joins it to its case (the case ID, the
        /// answer number).
        TableMissingKey {
            /// The table.
            table: String,
            /// The key column.
            column: String,
        }
            => "table_missing_key", 2303, None,
            "a row without the key that joins it to its case",
            ("table `{table}`: a row without `{column}`");
        /// A row of a case table whose key joins it to nothing: a case ID with no household
        /// row, an answer number with no answer row, a signature without an authorization row.
        TableOrphanRow {
            /// The table.
            table: String,
            /// What it refers to that is not there.
            message: String,
        }
            => "table_orphan_row", 2304, None,
            "a row whose key joins it to nothing",
            ("table `{table}`: {message}");
        /// A second row where a case has one (its household, authorization, entrustment or
        /// pre-check), or an answer number used twice in a case.
        TableDuplicateRow {
            /// The table.
            table: String,
            /// The key given twice.
            key: String,
        }
            => "table_duplicate_row", 2305, None,
            "a second row where a case has only one",
            ("table `{table}`: `{key}` has a row already");
        /// A column of a case table whose data type the reader does not take.
        TableColumnType {
            /// The table.
            table: String,
            /// The column.
            column: String,
            /// The Arrow data type.
            data_type: String,
        }
            => "table_column_type", 2306, None,
            "a table column whose data type the case-table reader does not take",
            ("table `{table}`, column `{column}` has type `{data_type}`; give text, numbers, booleans, dates or timestamps");
        /// A case with a value that no column of the case-table layout holds, so writing it
        /// to tables would lose it.
        TableUncovered {
            /// The JSON path of the value.
            path: String,
        }
            => "table_uncovered", 2307, None,
            "a case value that no column of the case-table layout holds",
            ("the case tables have no column for `{path}`");
        /// A file given as a workbook of case tables that cannot be read as an Excel `.xlsx`
        /// workbook (not a zip archive, no workbook in it, a sheet that does not parse).
        TableWorkbook {
            /// The file, as given.
            file: String,
            /// What the reader reported, with the sheet where one is at fault.
            message: String,
        }
            => "table_workbook", 2310, None,
            "a file that cannot be read as an Excel .xlsx workbook of case tables",
            ("`{file}` is not a readable .xlsx workbook: {message}");
    }
}
