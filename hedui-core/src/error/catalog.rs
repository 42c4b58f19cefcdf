//! The error catalog: every error variant of the crate declares, in one place, its stable
//! code, its area, the rule and clause it enforces, its C result number and a short summary.
//!
//! Each area's error enum is written with [`error_catalog!`], which derives from that one
//! declaration the enum itself, its `Display` (the rule prefix rendered from the catalog,
//! then the variant's message), `code()`, `info()`, the area's `CATALOG` slice and a
//! structured serialization of its fields. A variant cannot be written without its entry:
//! the macro does not accept one. [`crate::Error::catalog`] joins the areas' slices; the C
//! result table, Python's exception classes and `docs/errors.md` are generated from it.

use std::fmt;

use serde::Serialize;

/// Which part of the work an error belongs to; the bindings map each area to one exception
/// class or result range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorArea {
    /// Malformed input: JSON, identifiers, documents that do not hold together.
    Input,
    /// R1 authorization letters 核对授权书.
    Authorization,
    /// R1/R2 entrustment letters 核对委托书 and the pre-check.
    Entrustment,
    /// Query planning, results and report assembly (R3, R6, R7, R9).
    Verification,
    /// Population rules (R4, R5, R8).
    Population,
    /// Records and security (R10, R11).
    Security,
}

impl ErrorArea {
    /// Every area, in result-range order.
    pub const ALL: [ErrorArea; 6] = [
        ErrorArea::Input,
        ErrorArea::Authorization,
        ErrorArea::Entrustment,
        ErrorArea::Verification,
        ErrorArea::Population,
        ErrorArea::Security,
    ];

    /// Lower-case name used by the bindings (`input`, `authorization`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorArea::Input => "input",
            ErrorArea::Authorization => "authorization",
            ErrorArea::Entrustment => "entrustment",
            ErrorArea::Verification => "verification",
            ErrorArea::Population => "population",
            ErrorArea::Security => "security",
        }
    }

    /// The C result number that stands for an error of this area that a host's build has no
    /// number for (`x999` of the area's range).
    pub fn catch_all_result(self) -> u32 {
        match self {
            ErrorArea::Input => 2999,
            ErrorArea::Authorization => 3999,
            ErrorArea::Entrustment => 4999,
            ErrorArea::Verification => 5999,
            ErrorArea::Population => 6999,
            ErrorArea::Security => 7999,
        }
    }
}

impl fmt::Display for ErrorArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule of `docs/rules.md` as an error cites it: its number, the aspect of the rule the
/// error is about, and the clause of the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub struct Rule {
    /// `R1` .. `R11`.
    pub id: &'static str,
    /// The rule's name, or the part of it the error concerns (`pre-check`).
    pub topic: &'static str,
    /// Source clause: `N §二(一)` is section 二(一) of the Linfen notice.
    pub clause: &'static str,
}

impl Rule {
    /// Where `docs/rules.md` describes the rule, as a path with its anchor.
    pub fn docs(&self) -> &'static str {
        match self.id {
            "R1" => "docs/rules.md#r1-authorize-before-entrust",
            "R2" => "docs/rules.md#r2-no-entrust-no-check",
            "R3" => "docs/rules.md#r3-verify-not-determine",
            "R4" => "docs/rules.md#r4-emergency-first-relief",
            "R5" => "docs/rules.md#r5-full-coverage-of-new-applicants",
            "R6" => "docs/rules.md#r6-own-level-first-upper-levels-supplement",
            "R7" => "docs/rules.md#r7-offline-fallback-never-blocking",
            "R8" => "docs/rules.md#r8-periodic-recheck",
            "R9" => "docs/rules.md#r9-appeals-become-recheck-requests",
            "R10" => "docs/rules.md#r10-records",
            "R11" => "docs/rules.md#r11-security",
            _ => "docs/rules.md",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.id, self.topic, self.clause)
    }
}

/// The rules errors cite, each once (`docs/rules.md` describes them).
pub mod rules {
    use super::Rule;

    const fn rule(id: &'static str, topic: &'static str, clause: &'static str) -> Rule {
        Rule { id, topic, clause }
    }

    /// R1 先授权，后委托.
    pub const R1: Rule = rule("R1", "authorize-before-entrust", "N §二(一)");
    /// R2 无委托，不核对.
    pub const R2: Rule = rule("R2", "no-entrust-no-check", "N §二(一)");
    /// R2: the initiating agency's pre-check.
    pub const R2_PRECHECK: Rule = rule("R2", "pre-check", "N §二(二)");
    /// R3 只核对，不认定.
    pub const R3: Rule = rule("R3", "verify-not-determine", "N §二(一) 只核对，不认定");
    /// R3: the scope of use of the shared data (使用范围).
    pub const R3_SCOPE_OF_USE: Rule =
        rule("R3", "limits of use", "N §一(三) 明确共享数据的使用范围");
    /// R4 先行救助、再行核对.
    pub const R4: Rule = rule("R4", "emergency-first-relief", "N §二(一)");
    /// R6: agreed fields only (安全、必要、最小范围).
    pub const R6_MINIMUM_SCOPE: Rule =
        rule("R6", "minimum scope", "N §一(三) 安全、必要、最小范围");
    /// R6: own level first, upper levels supplement.
    pub const R6_OWN_LEVEL: Rule = rule("R6", "own level first", "N §一(二)");
    /// R7: a field visit by two investigators, signed by them and the members present.
    pub const R7_FIELD_VISIT: Rule = rule("R7", "offline fallback", "低保审核确认办法 Art 16");
    /// R8 动态管理、定期复核.
    pub const R8: Rule = rule("R8", "periodic recheck", "N §二(一)");
    /// R9 appeal → recheck request.
    pub const R9: Rule = rule("R9", "appeal recheck", "N §二(二)");
    /// R10 核对业务资料管理.
    pub const R10: Rule = rule("R10", "records", "N §二(三)");
    /// R11 网络和数据安全.
    pub const R11: Rule = rule("R11", "security", "N §三");
}

/// One entry of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ErrorInfo {
    /// Stable snake_case code, never renamed or reused.
    pub code: &'static str,
    /// Area (exception class, result range).
    pub area: ErrorArea,
    /// The rule the error enforces, if it enforces one; its message starts with it.
    pub rule: Option<Rule>,
    /// C result number (`hedui_result`), fixed once given.
    pub result: u32,
    /// One line describing the error, without its details.
    pub summary: &'static str,
}

/// Declares an area's error enum and its catalog entries in one place.
///
/// ```text
/// error_catalog! {
///     /// docs
///     pub enum AreaError in Area {
///         /// docs
///         Variant { /// docs
///                   field: Type }
///             => "code", 1234, Some(rules::R1), "summary",
///             ("message with {field}", extra_args...);
///     }
/// }
/// ```
macro_rules! error_catalog {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident in $area:ident {
            $(
                $(#[doc = $vdoc:literal])*
                $variant:ident $({
                    $( $(#[doc = $fdoc:literal])* $field:ident : $fty:ty ),* $(,)?
                })?
                => $code:literal, $result:literal, $rule:expr, $summary:literal,
                ($($message:tt)*);
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[doc = $vdoc])*
                $variant $({ $( $(#[doc = $fdoc])* $field: $fty, )* })?,
            )*
        }

        impl $name {
            /// Every error of this area, in declaration order.
            pub const CATALOG: &'static [$crate::error::ErrorInfo] = &[$(
                $crate::error::ErrorInfo {
                    code: $code,
                    area: $crate::error::ErrorArea::$area,
                    rule: $rule,
                    result: $result,
                    summary: $summary,
                },
            )*];

            /// This error's catalog entry.
            pub fn info(&self) -> &'static $crate::error::ErrorInfo {
                match self {
                    $(
                        Self::$variant { .. } => {
                            const INFO: $crate::error::ErrorInfo = $crate::error::ErrorInfo {
                                code: $code,
                                area: $crate::error::ErrorArea::$area,
                                rule: $rule,
                                result: $result,
                                summary: $summary,
                            };
                            &INFO
                        }
                    )*
                }
            }

            /// Stable snake_case code, passed through unchanged by every binding.
            pub fn code(&self) -> &'static str {
                self.info().code
            }

            /// The message without the rule prefix.
            fn write_message(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
                match self {
                    $(
                        #[allow(unused_variables, reason = "a message need not name every field")]
                        Self::$variant $({ $($field),* })? => write!(f, $($message)*),
                    )*
                }
            }
        }

        impl std::fmt::Display for $name {
            /// The rule prefix and the message, with every resident ID that input put into
            /// it masked ([`mask_resident_ids`](crate::error::mask_resident_ids)).
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut text = String::new();
                if let Some(rule) = &self.info().rule {
                    std::fmt::Write::write_fmt(&mut text, format_args!("{rule}: "))?;
                }
                self.write_message(&mut text)?;
                f.write_str(&$crate::error::mask_resident_ids(&text))
            }
        }

        impl std::error::Error for $name {}
    };
}
pub(crate) use error_catalog;
