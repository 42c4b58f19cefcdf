//! Why an operation failed: a hedui error, or a problem with the call itself.
//!
//! Every binding (the C ABI, uniffi, Python) translates a [`Failure`]; none adds rules of its
//! own. Codes are the core's stable snake_case codes ([`hedui_core::Error::code`]); the few
//! failures that only a binding can have (a NULL pointer, a bad time argument, a panic) have
//! codes of their own, listed here and never renamed.

use std::any::Any;
use std::fmt;

use hedui_core::error::mask_resident_ids;
use hedui_core::{Error, ErrorArea};

/// Which part of the work a failure belongs to; each binding maps an area to a result range
/// (C) or an error variant (uniffi).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The call itself: a NULL pointer, text that is not UTF-8, a malformed time argument.
    Argument,
    /// [`ErrorArea::Input`].
    Input,
    /// [`ErrorArea::Authorization`].
    Authorization,
    /// [`ErrorArea::Entrustment`].
    Entrustment,
    /// [`ErrorArea::Verification`].
    Verification,
    /// [`ErrorArea::Population`].
    Population,
    /// [`ErrorArea::Security`].
    Security,
    /// A panic, an area this build does not know, output a C string cannot carry.
    Internal,
}

impl Area {
    /// Lower-case name: the core's area names, plus `argument` and `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Argument => "argument",
            Area::Input => "input",
            Area::Authorization => "authorization",
            Area::Entrustment => "entrustment",
            Area::Verification => "verification",
            Area::Population => "population",
            Area::Security => "security",
            Area::Internal => "internal",
        }
    }
}

/// The detail of a failure that is not a core error (a host's own argument, I/O or internal
/// failure): the shape of the core's
/// [`ErrorDetail`](hedui_core::error::ErrorDetail), with no rule, no fields and no path.
/// [`Failure::detail`] and the Python package's own boundary errors use it.
pub fn boundary_detail(code: &str, area: &str, message: &str) -> serde_json::Value {
    serde_json::json!({
        "code": code,
        "area": area,
        "rule": null,
        "clause": null,
        "docs": null,
        "message": message,
        "fields": {},
        "path": null,
    })
}

/// A JSON reader's message with the position of the value in a one-line JSON text
/// (`... at line 1 column 441`) replaced by the value's JSON path (`` ... at `household.members[1].capacity` ``),
/// where the path is known. A host that encodes its own values (a Python dict) as JSON
/// before reading them hands the reader a copy the caller never saw: a column in it means
/// nothing to them, the path names the field.
///
/// ```
/// use hedui_ops::failure::message_at_path;
///
/// let m = "invalid case json: missing field `name` at line 1 column 440";
/// assert_eq!(
///     message_at_path(m, Some("household.members[1]")),
///     "invalid case json: missing field `name` at `household.members[1]`"
/// );
/// assert_eq!(message_at_path(m, None), m);
/// assert_eq!(message_at_path("at line 2 column 3", Some("a")), "at line 2 column 3");
/// ```
pub fn message_at_path<'a>(message: &'a str, path: Option<&str>) -> std::borrow::Cow<'a, str> {
    let Some(path) = path else {
        return message.into();
    };
    match message.rsplit_once(" at line 1 column ") {
        Some((head, column))
            if !column.is_empty() && column.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{head} at `{path}`").into()
        }
        _ => message.into(),
    }
}

/// A failed operation.
#[derive(Debug)]
pub enum Failure {
    /// A required pointer was NULL.
    Null {
        /// Parameter name as in the header.
        argument: &'static str,
    },
    /// A text argument is not valid UTF-8.
    Utf8 {
        /// Parameter name.
        argument: &'static str,
        /// Byte offset of the first invalid byte.
        valid_up_to: usize,
    },
    /// A text argument given with its length holds a NUL byte, which would end it early for
    /// a host that reads it as a C string.
    Nul {
        /// Parameter name.
        argument: &'static str,
        /// Byte offset of the first NUL.
        offset: usize,
    },
    /// A time argument is not an RFC 3339 date-time.
    Time {
        /// Parameter name.
        argument: &'static str,
        /// What the parser reported.
        message: String,
    },
    /// A date argument is not a `YYYY-MM-DD` calendar date.
    Date {
        /// Parameter name.
        argument: &'static str,
        /// What the parser reported.
        message: String,
    },
    /// An argument that is present but not allowed (unknown flag bits).
    InvalidArgument {
        /// Which and why.
        message: String,
    },
    /// The output would hold a NUL byte, which a C string cannot carry.
    OutputNul,
    /// Printing a PDF failed: no browser to print with ([`codes::PDF_PRINTER_MISSING`]) or
    /// the browser failed ([`codes::PDF_PRINT_FAILED`]).
    Printer {
        /// [`codes::PDF_PRINTER_MISSING`] or [`codes::PDF_PRINT_FAILED`].
        code: &'static str,
        /// What happened, and for a missing browser how to install one.
        message: String,
    },
    /// A hedui error.
    Core(Error),
    /// A panic caught at the boundary (a bug in hedui).
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

/// Codes of the failures only a binding call can have (the core has codes for the rest).
pub mod codes {
    /// A required pointer argument was NULL (C only).
    pub const NULL_POINTER: &str = "null_pointer";
    /// Text is not valid UTF-8; the core's own code for it.
    pub const INPUT_UTF8: &str = "input_utf8";
    /// A text argument given with its length holds a NUL byte (C only).
    pub const INPUT_NUL: &str = "input_nul";
    /// A time argument is not RFC 3339.
    pub const INVALID_TIME: &str = "invalid_time";
    /// A date argument is not `YYYY-MM-DD`.
    pub const INVALID_DATE: &str = "invalid_date";
    /// An argument present but not allowed.
    pub const INVALID_ARGUMENT: &str = "invalid_argument";
    /// Output with a NUL byte (C only).
    pub const OUTPUT_NUL: &str = "output_nul";
    /// A caught panic.
    pub const PANIC: &str = "panic";
    /// No browser to print a PDF with (install Debian's `chromium` and `fonts-noto-cjk`).
    pub const PDF_PRINTER_MISSING: &str = "pdf_printer_missing";
    /// The browser could not print the PDF.
    pub const PDF_PRINT_FAILED: &str = "pdf_print_failed";
}

impl Failure {
    /// The stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Null { .. } => codes::NULL_POINTER,
            Failure::Utf8 { .. } => codes::INPUT_UTF8,
            Failure::Nul { .. } => codes::INPUT_NUL,
            Failure::Time { .. } => codes::INVALID_TIME,
            Failure::Date { .. } => codes::INVALID_DATE,
            Failure::InvalidArgument { .. } => codes::INVALID_ARGUMENT,
            Failure::OutputNul => codes::OUTPUT_NUL,
            Failure::Printer { code, .. } => code,
            Failure::Core(e) => e.code(),
            Failure::Panic(_) => codes::PANIC,
        }
    }

    /// The area the failure belongs to.
    pub fn area(&self) -> Area {
        match self {
            Failure::Null { .. }
            | Failure::Utf8 { .. }
            | Failure::Nul { .. }
            | Failure::Time { .. }
            | Failure::Date { .. }
            | Failure::InvalidArgument { .. } => Area::Argument,
            Failure::OutputNul | Failure::Printer { .. } | Failure::Panic(_) => Area::Internal,
            Failure::Core(e) => match e.area() {
                ErrorArea::Input => Area::Input,
                ErrorArea::Authorization => Area::Authorization,
                ErrorArea::Entrustment => Area::Entrustment,
                ErrorArea::Verification => Area::Verification,
                ErrorArea::Population => Area::Population,
                ErrorArea::Security => Area::Security,
                _ => Area::Internal,
            },
        }
    }

    /// The failure as structured data: the core's
    /// [`ErrorDetail`](hedui_core::error::ErrorDetail) for a hedui error, the same shape
    /// (no rule, no fields) for a failure of the call itself. Hosts hand it on as JSON (C
    /// `hedui_last_error_json`, uniffi `detail_json`).
    pub fn detail(&self) -> serde_json::Value {
        match self {
            Failure::Core(e) => serde_json::to_value(e.detail()).unwrap_or_default(),
            _ => boundary_detail(self.code(), self.area().as_str(), &self.to_string()),
        }
    }

    /// Builds a [`Failure::Panic`] from a caught panic payload.
    pub fn from_panic(payload: &(dyn Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_owned());
        Failure::Panic(message)
    }
}

impl fmt::Display for Failure {
    /// The message, with every resident ID that an argument put into it masked
    /// ([`mask_resident_ids`]); a core error's message is masked by the core.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Core(e) => write!(f, "{e}"),
            other => {
                let mut text = String::new();
                fmt::Write::write_fmt(&mut text, format_args!("{}", Unmasked(other)))?;
                f.write_str(&mask_resident_ids(&text))
            }
        }
    }
}

/// A failure's message as written, before masking.
struct Unmasked<'a>(&'a Failure);

impl fmt::Display for Unmasked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Failure::Null { argument } => write!(f, "`{argument}` must not be NULL"),
            Failure::Utf8 {
                argument,
                valid_up_to,
            } => write!(
                f,
                "`{argument}` is not valid utf-8 (invalid byte at offset {valid_up_to})"
            ),
            Failure::Nul { argument, offset } => write!(
                f,
                "`{argument}` holds a NUL byte at offset {offset}; text given with its length \
                 must not contain NUL"
            ),
            Failure::Time { argument, message } => {
                write!(f, "`{argument}` is not an RFC 3339 date-time: {message}")
            }
            Failure::Date { argument, message } => {
                write!(f, "`{argument}` is not a YYYY-MM-DD date: {message}")
            }
            Failure::InvalidArgument { message } | Failure::Printer { message, .. } => {
                f.write_str(message)
            }
            Failure::OutputNul => {
                f.write_str("the output holds a NUL byte, which a C string cannot carry")
            }
            Failure::Core(e) => write!(f, "{e}"),
            Failure::Panic(message) => write!(f, "internal error in hedui (panic): {message}"),
        }
    }
}

impl std::error::Error for Failure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Failure::Core(e) => Some(e),
            _ => None,
        }
    }
}
