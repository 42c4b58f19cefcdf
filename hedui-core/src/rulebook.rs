//! The rulebook 规则配置: every number a rule uses, as one versioned serde document.
//!
//! docs/rules.md#defaults lists the defaults and their sources. Numbers marked *(local)* there are local
//! practice; a deployment changes them here, never in code.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::category::DataCategory;
use crate::error::{Error, InputError};
use crate::household::Programme;
use crate::sharing::{Availability, SharingAgreement, default_agreements};

/// Periodic recheck intervals 定期复核 (R8), in calendar months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RecheckIntervals {
    /// 特困 persons: 12 months (改革完善社会救助制度的意见 2020 §7).
    pub destitute_months: u32,
    /// 低保 households whose situation changes little: 12 months (低保审核确认办法 Art 31).
    pub minimum_living_stable_months: u32,
    /// 低保 households with unstable income and members able to work: 6 months (Art 31).
    pub minimum_living_unstable_months: u32,
    /// 低保 category C households in cities: 3 months *(local)*.
    pub minimum_living_urban_c_months: u32,
    /// Other programmes (低保边缘 …): 12 months *(local)*.
    pub other_months: u32,
    /// After a member's death the household is rechecked within this many months
    /// (2022 兜底 notice).
    pub after_death_months: u32,
}

/// Deadlines in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Deadlines {
    /// Information check starts within this many working days of the request
    /// (低保审核确认办法 Art 17): 3. Kept with the rulebook for the deployment's own
    /// scheduling; hedui does not time it, since a case carries no request date.
    pub check_start_working_days: u32,
    /// Default data-source feedback deadline where an agreement sets none (its
    /// `feedback_working_days` is 0) *(local practice)*: 5.
    pub feedback_working_days: u32,
    /// Relief-first follow-up: authorization and entrustment within this many working days
    /// after relief *(local)*: 5.
    pub relief_followup_working_days: u32,
}

/// Authorization rules (R1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuthorizationRules {
    /// Optional maximum age of an authorization in months; `None` means valid while
    /// assistance continues (national practice).
    pub max_age_months: Option<u32>,
    /// Categories every authorization must cover (全网: every category any level can query).
    pub required_scope: Vec<DataCategory>,
    /// Programmes that count support from legal supporters, whose supporters (and their
    /// spouses) must sign (特困人员认定办法 Art 10).
    pub supporter_programmes: Vec<Programme>,
}

/// Entrustment rules (R2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EntrustmentRules {
    /// An entrustment with no `valid_until` expires this many days after issue; `None`: no
    /// expiry beyond what the letter says.
    pub max_age_days: Option<u32>,
}

/// Password policy for operator accounts (R11; common 等级保护 assessment practice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PasswordPolicy {
    /// Minimum length in characters: 8.
    pub min_length: u32,
    /// Minimum number of character classes (lower, upper, digit, symbol): 3.
    pub min_classes: u32,
    /// Rotation period in days: 90.
    pub rotation_days: u32,
    /// Lock the account after this many consecutive failures: 5.
    pub lockout_failures: u32,
    /// A new password may not repeat any of the last N: 5.
    pub history: u32,
    /// PBKDF2-HMAC-SHA256 iterations: 600,000.
    pub pbkdf2_iterations: u32,
}

/// Retention of records (R10, R11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Retention {
    /// Logs at least 6 months (网络安全法 Art 21).
    pub log_months: u32,
    /// Case documents (letters, reports) *(local)*: 60 months.
    pub document_months: u32,
}

/// The rulebook: versioned configuration of every rule's numbers.
///
/// ```
/// use hedui_core::Rulebook;
/// let rb = Rulebook::default();
/// assert_eq!(rb.recheck.destitute_months, 12);
/// let back = Rulebook::from_json(&rb.to_json())?;
/// assert_eq!(back, rb);
/// # Ok::<(), hedui_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Rulebook {
    /// Version string, printed on every report.
    pub version: String,
    /// Income window in months before the month of entrustment *(local)*: 12.
    pub income_window_months: u32,
    /// R8 intervals.
    pub recheck: RecheckIntervals,
    /// Working-day deadlines.
    pub deadlines: Deadlines,
    /// R1 rules.
    pub authorization: AuthorizationRules,
    /// R2 rules.
    pub entrustment: EntrustmentRules,
    /// R11 password policy.
    pub password: PasswordPolicy,
    /// R10/R11 retention.
    pub retention: Retention,
    /// Working-day calendar: public holidays and adjusted working days 调休 by year.
    pub calendar: WorkCalendar,
    /// Data-sharing agreements per category and level (R6, N §一(三)).
    pub agreements: Vec<SharingAgreement>,
    /// R11 account rules beyond the password policy (ID digit runs, extra weak passwords,
    /// salt length, lending-detection speed limit).
    #[serde(default)]
    pub security: SecurityRules,
    /// R8 recheck batches: size, look-ahead and numbering.
    #[serde(default)]
    pub recheck_batches: RecheckBatchOptions,
}

/// Version of the built-in rulebook.
pub const DEFAULT_RULEBOOK_VERSION: &str = "hedui-default-2026.1";

impl Default for Rulebook {
    fn default() -> Self {
        Rulebook {
            version: DEFAULT_RULEBOOK_VERSION.to_owned(),
            income_window_months: 12,
            recheck: RecheckIntervals {
                destitute_months: 12,
                minimum_living_stable_months: 12,
                minimum_living_unstable_months: 6,
                minimum_living_urban_c_months: 3,
                other_months: 12,
                after_death_months: 3,
            },
            deadlines: Deadlines {
                check_start_working_days: 3,
                feedback_working_days: 5,
                relief_followup_working_days: 5,
            },
            authorization: AuthorizationRules {
                max_age_months: None,
                required_scope: DataCategory::ALL.to_vec(),
                supporter_programmes: vec![Programme::DestitutePersons],
            },
            entrustment: EntrustmentRules { max_age_days: None },
            password: PasswordPolicy {
                min_length: 8,
                min_classes: 3,
                rotation_days: 90,
                lockout_failures: 5,
                history: 5,
                pbkdf2_iterations: 600_000,
            },
            retention: Retention {
                log_months: 6,
                document_months: 60,
            },
            calendar: WorkCalendar::builtin(),
            agreements: default_agreements(),
            security: SecurityRules::default(),
            recheck_batches: RecheckBatchOptions::default(),
        }
    }
}

impl Rulebook {
    /// Reads a rulebook from JSON and validates its ranges.
    ///
    /// # Errors
    /// [`InputError::Json`] for malformed JSON or unknown fields, [`InputError::Rulebook`] for
    /// a value out of range (e.g. log retention under 6 months).
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let rb: Rulebook = Error::parse("rulebook", text)?;
        rb.validate()?;
        Ok(rb)
    }

    /// The categories some level can query under the sharing agreements (an agreement with
    /// availability `shared`), in the order of [`DataCategory::ALL`]: the default set the 全网
    /// axis of a coverage audit counts (R5, [`crate::population::audit_coverage`]'s `queryable`).
    pub fn queryable_categories(&self) -> Vec<DataCategory> {
        DataCategory::ALL
            .iter()
            .copied()
            .filter(|c| {
                self.agreements
                    .iter()
                    .any(|a| a.category == *c && a.availability == Availability::Shared)
            })
            .collect()
    }

    /// The rulebook as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks that every value is within its allowed range.
    ///
    /// # Errors
    /// [`InputError::Rulebook`] naming the first value out of range.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |message: String| Err(Error::Input(InputError::Rulebook { message }));
        if self.version.trim().is_empty() {
            return bad("version must not be empty".into());
        }
        let r = &self.recheck;
        for (name, v) in [
            ("recheck.destitute_months", r.destitute_months),
            (
                "recheck.minimum_living_stable_months",
                r.minimum_living_stable_months,
            ),
            (
                "recheck.minimum_living_unstable_months",
                r.minimum_living_unstable_months,
            ),
            (
                "recheck.minimum_living_urban_c_months",
                r.minimum_living_urban_c_months,
            ),
            ("recheck.other_months", r.other_months),
            ("recheck.after_death_months", r.after_death_months),
            ("income_window_months", self.income_window_months),
        ] {
            if !(1..=120).contains(&v) {
                return bad(format!(
                    "`{name}` must be between 1 and 120 months, got {v}"
                ));
            }
        }
        if self.retention.log_months < 6 {
            return bad(format!(
                "`retention.log_months` must be at least 6 (网络安全法 Art 21), got {}",
                self.retention.log_months
            ));
        }
        let p = &self.password;
        if p.min_length < 8 || !(1..=4).contains(&p.min_classes) || p.pbkdf2_iterations < 100_000 {
            return bad(
                "`password` needs min_length >= 8, min_classes 1..=4 and pbkdf2_iterations >= 100000"
                    .into(),
            );
        }
        if p.lockout_failures == 0 {
            // R11 (N §三, no weak passwords; graded protection's login-failure handling): an
            // account that never locks can have its password guessed without limit
            return bad("`password.lockout_failures` must be at least 1 (practice: 5)".into());
        }
        if self.security.min_salt_bytes < 16 || self.security.max_travel_kmh == 0 {
            return bad("`security` needs min_salt_bytes >= 16 and max_travel_kmh > 0".into());
        }
        if self.recheck_batches.max_households == 0 {
            return bad("`recheck_batches.max_households` must be at least 1".into());
        }
        if self.deadlines.feedback_working_days == 0
            || self.deadlines.relief_followup_working_days == 0
        {
            return bad("deadlines must be at least 1 working day".into());
        }
        Ok(())
    }
}

/// Security settings that the rulebook's [`PasswordPolicy`] does not
/// cover (R11, N §三). Every number is a default a deployment may change.
///
/// ```
/// use hedui_core::rulebook::SecurityRules;
/// let rules = SecurityRules::default();
/// assert_eq!(rules.id_digit_run, 6);
/// assert_eq!(rules.max_travel_kmh, 300);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SecurityRules {
    /// A password may not contain this many consecutive characters of the operator's resident
    /// ID (birth date, sequence): 6 *(practice)*.
    pub id_digit_run: u32,
    /// Passwords refused as weak in addition to the built-in [`COMMON_PASSWORDS`](crate::security::COMMON_PASSWORDS).
    #[serde(default)]
    pub extra_common_passwords: Vec<String>,
    /// Longest password accepted, in characters: 128.
    pub max_password_chars: u32,
    /// Shortest per-account salt accepted, in bytes: 16 (NIST SP 800-132 asks for at least
    /// 128 bits).
    pub min_salt_bytes: u32,
    /// Account lending: consecutive logins of one account whose implied travel speed exceeds
    /// this many km/h are flagged: 300 *(practice: faster than high-speed rail)*.
    pub max_travel_kmh: u32,
}

impl Default for SecurityRules {
    fn default() -> Self {
        SecurityRules {
            id_digit_run: 6,
            extra_common_passwords: Vec::new(),
            max_password_chars: 128,
            min_salt_bytes: 16,
            max_travel_kmh: 300,
        }
    }
}

/// How due households are cut into recheck batches.
///
/// The rulebook holds a deployment's defaults ([`Rulebook::recheck_batches`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RecheckBatchOptions {
    /// At most this many households per batch *(local)*: 100.
    pub max_households: usize,
    /// Also batch households due within this many days after the as-of date: 0.
    pub lookahead_days: u32,
    /// First part of every batch number: `FH` (复核).
    pub number_prefix: String,
}

impl Default for RecheckBatchOptions {
    fn default() -> Self {
        RecheckBatchOptions {
            max_households: 100,
            lookahead_days: 0,
            number_prefix: "FH".to_owned(),
        }
    }
}

impl RecheckBatchOptions {
    /// Batches of at most `max_households`, no lookahead, prefix `FH`.
    pub fn new(max_households: usize) -> Self {
        RecheckBatchOptions {
            max_households,
            ..RecheckBatchOptions::default()
        }
    }

    /// Also batch households due within `days` after the as-of date.
    pub fn with_lookahead_days(mut self, days: u32) -> Self {
        self.lookahead_days = days;
        self
    }

    /// Sets the batch number prefix.
    pub fn with_number_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.number_prefix = prefix.into();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_roundtrips_and_validates() {
        let rb = Rulebook::default();
        rb.validate().unwrap();
        assert_eq!(Rulebook::from_json(&rb.to_json()).unwrap(), rb);
    }

    #[test]
    fn queryable_categories_follow_the_shared_agreements() {
        let mut rb = Rulebook::default();
        let all = rb.queryable_categories();
        assert!(!all.is_empty());
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, all, "in DataCategory order, no repeats");
        // a category that no level shares drops out; one shared at any level stays
        let first = all[0];
        for a in rb.agreements.iter_mut().filter(|a| a.category == first) {
            a.availability = Availability::NotShared;
        }
        assert!(!rb.queryable_categories().contains(&first));
        assert_eq!(rb.queryable_categories().len(), all.len() - 1);
    }

    #[test]
    fn rejects_short_log_retention_and_unknown_fields() {
        let mut rb = Rulebook::default();
        rb.retention.log_months = 3;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert_eq!(e.code(), "input_rulebook");
        // R11: accounts must lock after failed logins
        let mut rb = Rulebook::default();
        rb.password.lockout_failures = 0;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert_eq!(e.code(), "input_rulebook");
        assert!(e.to_string().contains("lockout_failures"), "{e}");
        assert_eq!(Rulebook::default().password.history, 5); // docs/rules.md#defaults
        let e = Rulebook::from_json(r#"{"version":"x"}"#).unwrap_err();
        assert_eq!(e.code(), "input_json");
        let mut v: serde_json::Value =
            serde_json::from_str(&Rulebook::default().to_json()).unwrap();
        v["surprise"] = 1.into();
        assert_eq!(
            Rulebook::from_json(&v.to_string()).unwrap_err().code(),
            "input_json"
        );
    }
}
