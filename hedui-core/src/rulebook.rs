//! The rulebook 规则配置: every number a rule uses, as one versioned serde document.
//!
//! docs/rules.md#defaults lists the defaults and their sources. Numbers marked *(local)* there are local
//! practice; a deployment changes them here, never in code.

use std::borrow::Cow;
use std::cell::RefCell;

use aho_corasick::AhoCorasick;
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::WorkCalendar;
use crate::category::DataCategory;
use crate::error::{Error, InputError};
use crate::household::Programme;
use crate::id::{IdError, IdPolicy, ResidentId};
use crate::sharing::{Availability, SharingAgreement, default_agreements};
pub use crate::strict::{DEFAULT_MAX_LINE_BYTES, DocumentLimits, LIMIT_BOUNDS};

/// Periodic recheck intervals 定期复核 (R8), in calendar months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Deadlines {
    /// Information check starts within this many working days of the request
    /// (低保审核确认办法 Art 17): 3. Where an entrustment gives the day the application was
    /// accepted (`requested_on`), the report's `check_start` says whether the queries went
    /// out within it.
    pub check_start_working_days: u32,
    /// Default data-source feedback deadline where an agreement sets none (its
    /// `feedback_working_days` is 0) *(local practice)*: 5.
    pub feedback_working_days: u32,
    /// Relief-first follow-up: authorization and entrustment within this many working days
    /// after relief *(local)*: 5.
    pub relief_followup_working_days: u32,
}

/// Authorization rules (R1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EntrustmentRules {
    /// An entrustment with no `valid_until` expires this many days after issue; `None`: no
    /// expiry beyond what the letter says.
    pub max_age_days: Option<u32>,
}

/// Password policy for operator accounts (R11; GB/T 22239-2019 level 3 §8.1.4.1 and common
/// 等级保护 assessment practice).
///
/// Every field has a policy floor and ceiling ([`floors`]); [`Rulebook::validate`] refuses a
/// value outside them with [`InputError::RulebookOutOfBounds`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PasswordPolicy {
    /// Minimum length in characters: 8. Bounds 8..=128: GB/T 22239-2019 §8.1.4.1 a)
    /// (password complexity); the numbers are *(practice)*.
    pub min_length: u32,
    /// Minimum number of character classes (lower, upper, digit, symbol): 3. Bounds 3..=4:
    /// GB/T 22239-2019 §8.1.4.1 a) (password complexity); 3 of 4 is *(practice)*.
    pub min_classes: u32,
    /// Rotation period in days: 90. Bounds 1..=90: GB/T 22239-2019 §8.1.4.1 a) (periodic
    /// change); 90 days is *(practice)*.
    pub rotation_days: u32,
    /// Lock the account after this many consecutive failures: 5. Bounds 1..=10:
    /// GB/T 22239-2019 §8.1.4.1 b) (login-failure handling, limit on failed logins); the
    /// numbers are *(practice)*.
    pub lockout_failures: u32,
    /// How long the first lock-out lasts, in minutes: 30. Each further lock-out without a
    /// successful login in between lasts twice as long as the one before, up to
    /// [`lockout_max_minutes`](Self::lockout_max_minutes); an administrator can unlock at any
    /// time. Bounds 5..=1,440: GB/T 22239-2019 §8.1.4.1 b) (login-failure handling: limit
    /// failed logins, lock automatically); the numbers are *(practice)*.
    #[serde(default = "default_lockout_minutes")]
    pub lockout_minutes: u32,
    /// The longest a lock-out lasts, in minutes: 1,440 (one day), so that nobody can lock
    /// another operator out for good by guessing. Bounds 30..=10,080 (a week), and at least
    /// [`lockout_minutes`](Self::lockout_minutes): GB/T 22239-2019 §8.1.4.1 b); the numbers are
    /// *(practice)*.
    #[serde(default = "default_lockout_max_minutes")]
    pub lockout_max_minutes: u32,
    /// A new password may not repeat any of the last N: 5. Bounds 5..=24 *(practice; each
    /// remembered password costs one PBKDF2 run per change)*.
    pub history: u32,
    /// PBKDF2-HMAC-SHA256 iterations: 600,000. Bounds 600,000..=10,000,000: OWASP Password
    /// Storage Cheat Sheet (600,000 for PBKDF2-HMAC-SHA256); NIST SP 800-132 §5.2 (10,000,000
    /// for especially critical keys). A stored hash is read back within
    /// [`floors::STORED_PBKDF2_ITERATIONS`].
    pub pbkdf2_iterations: u32,
}

/// `password.lockout_minutes` of a rulebook written before the field existed.
fn default_lockout_minutes() -> u32 {
    30
}

/// `password.lockout_max_minutes` of a rulebook written before the field existed.
fn default_lockout_max_minutes() -> u32 {
    1440
}

/// Retention of records (R10, R11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Retention {
    /// Logs: 6 months. At least 6 (网络安全法 Art 21).
    pub log_months: u32,
    /// Case documents (letters, reports) *(local)*: 60 months. At least 12 *(practice: the
    /// letters of one check are kept until the next periodic recheck, 12 months for 特困 and
    /// stable 低保 households, R8)*.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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
    /// Resident IDs: first-generation numbers and the earliest plausible birth date.
    #[serde(default)]
    pub identifiers: IdentifierRules,
    /// Limits on the documents read (nesting, strings, amounts, members, facts).
    #[serde(default)]
    pub limits: DocumentLimits,
    /// R3: the wording that states or implies an eligibility conclusion, looked for in every
    /// text a report carries.
    #[serde(default)]
    pub wording: WordingRules,
    /// Income exempt by its kind, whatever a feed's `exempt` flag says.
    #[serde(default)]
    pub exempt_income: ExemptIncomeRules,
}

/// Income the rules exempt by its kind (不计入家庭收入), whatever a department's feed says.
///
/// A feed's `exempt: true` is kept (local rules may exempt more than this list holds); a feed's
/// `exempt: false` on a kind listed here is overridden: the fact is counted as exempt, and the
/// report lists the override in `exempt_by_rule` so the disagreement stays visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExemptIncomeRules {
    /// Categories all of whose income payments are exempt: default the disability subsidies
    /// 残疾人两项补贴 (困难残疾人生活补贴 and 重度残疾人护理补贴, 国发〔2015〕52号).
    pub categories: Vec<ExemptCategory>,
    /// Items exempt wherever they are reported, matched when the fact's item contains the
    /// name.
    pub items: Vec<ExemptItem>,
}

/// A data category whose income is exempt, with the rule that exempts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExemptCategory {
    /// The category.
    pub category: DataCategory,
    /// The rule that exempts it.
    pub source: String,
}

/// An income item exempt by name, with the rule that exempts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExemptItem {
    /// The item's name (matched as a part of the fact's item).
    pub name: String,
    /// The rule that exempts it.
    pub source: String,
}

/// 国发〔2015〕52号 (关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见).
const DISABILITY_SUBSIDIES: &str = "国发〔2015〕52号";
/// 最低生活保障审核确认办法 (民发〔2021〕57号), its list of income not counted.
const MINIMUM_LIVING_RULES: &str =
    "最低生活保障审核确认办法（民发〔2021〕57号）不计入家庭收入的项目";

impl Default for ExemptIncomeRules {
    fn default() -> Self {
        let item = |name: &str, source: &str| ExemptItem {
            name: name.to_owned(),
            source: source.to_owned(),
        };
        ExemptIncomeRules {
            categories: vec![ExemptCategory {
                category: DataCategory::DisabilitySubsidies,
                source: DISABILITY_SUBSIDIES.to_owned(),
            }],
            items: vec![
                item("困难残疾人生活补贴", DISABILITY_SUBSIDIES),
                item("重度残疾人护理补贴", DISABILITY_SUBSIDIES),
                item("优待抚恤金", MINIMUM_LIVING_RULES),
                item("计划生育奖励", MINIMUM_LIVING_RULES),
                item("计划生育扶助", MINIMUM_LIVING_RULES),
                item("奖学金", MINIMUM_LIVING_RULES),
                item("见义勇为", MINIMUM_LIVING_RULES),
                item("基础养老金", MINIMUM_LIVING_RULES),
            ],
        }
    }
}

impl ExemptIncomeRules {
    /// The source of the rule exempting an income payment of `item` reported in `category`,
    /// if one does.
    ///
    /// ```
    /// use hedui_core::{DataCategory, rulebook::ExemptIncomeRules};
    /// let r = ExemptIncomeRules::default();
    /// assert!(r.exempting(DataCategory::DisabilitySubsidies, "生活补贴").is_some());
    /// assert!(r.exempting(DataCategory::SocialInsurance, "重度残疾人护理补贴").is_some());
    /// assert!(r.exempting(DataCategory::SocialInsurance, "基本养老金").is_none());
    /// ```
    pub fn exempting(&self, category: DataCategory, item: &str) -> Option<&str> {
        self.categories
            .iter()
            .find(|c| c.category == category)
            .map(|c| c.source.as_str())
            .or_else(|| {
                self.items
                    .iter()
                    .find(|i| item.contains(i.name.as_str()))
                    .map(|i| i.source.as_str())
            })
    }

    fn validate(&self) -> Result<(), String> {
        for (i, item) in self.items.iter().enumerate() {
            if item.name.trim().is_empty() {
                return Err(format!("`exempt_income.items[{i}].name` must not be blank"));
            }
        }
        Ok(())
    }
}

/// Phrases that state or imply an eligibility conclusion, a comparison with an assistance
/// standard or a benefit amount (R3 只核对，不认定, N §二(一); the report states facts only,
/// N §二(二)): the default of [`WordingRules::verdict_phrases`]. Latin words are matched without
/// regard to case.
pub const VERDICT_PHRASES: [&str; 16] = [
    "符合条件",
    "不符合",
    "合格",
    "资格",
    "准予",
    "予以救助",
    "应予",
    "救助标准",
    "低保标准",
    "低于标准",
    "高于标准",
    "救助金额",
    "补助金额",
    "认定为",
    "eligible",
    "threshold",
];

/// The rulebook's R3 wording rules (只核对，不认定, N §二(一)).
///
/// What the verifying side writes for a report (an offline result's summary) is refused when
/// it holds one of the phrases (`verdict_in_text`, naming the field): the agency controls that
/// text and the report may not state a conclusion. What a department sent as data (a fact's
/// item, name or status) is carried as the department's own words, quoted and flagged in the
/// report's `source_wording`: refusing it would hold up the report over a feed the agency
/// cannot change (R7 不影响救助业务办理), and dropping or rewriting it would make the report
/// stop reflecting the data objectively (N §二(二)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct WordingRules {
    /// The phrases, in lower case (default [`VERDICT_PHRASES`]). A deployment may add its
    /// local wording; an empty list, an empty phrase or one with capital letters is refused.
    pub verdict_phrases: Vec<String>,
}

impl Default for WordingRules {
    fn default() -> Self {
        WordingRules {
            verdict_phrases: VERDICT_PHRASES.map(str::to_owned).to_vec(),
        }
    }
}

impl WordingRules {
    /// Longest phrase accepted, in characters.
    pub const MAX_PHRASE_CHARS: usize = 64;

    /// The first phrase found in `text`, if any; letters are compared in lower case.
    ///
    /// ```
    /// use hedui_core::rulebook::WordingRules;
    /// let w = WordingRules::default();
    /// assert_eq!(w.verdict_phrase("低保标准以下补助金额"), Some("低保标准"));
    /// assert_eq!(w.verdict_phrase("Not ELIGIBLE"), Some("eligible"));
    /// assert_eq!(w.verdict_phrase("基本养老金"), None);
    /// ```
    pub fn verdict_phrase(&self, text: &str) -> Option<&str> {
        self.first_phrase_in(&lower_case(text))
    }

    /// The first phrase of the list that `lower` (a text in lower case) holds.
    fn first_phrase_in(&self, lower: &str) -> Option<&str> {
        self.verdict_phrases
            .iter()
            .find(|p| lower.contains(p.as_str()))
            .map(String::as_str)
    }

    /// A finder for [`WordingRules::verdict_phrase`] over many texts (a report's facts): one
    /// pass over each text for all the phrases at once. Building the matcher takes longer
    /// than searching one report's texts, so each thread keeps the one of the phrases it last
    /// searched for (a clone shares it) and builds another only when the list differs.
    pub(crate) fn finder(&self) -> VerdictFinder<'_> {
        thread_local! {
            static LAST: RefCell<Option<(Vec<String>, Option<AhoCorasick>)>> =
                const { RefCell::new(None) };
        }
        let matcher = LAST.with_borrow_mut(|last| match last {
            Some((phrases, matcher)) if *phrases == self.verdict_phrases => matcher.clone(),
            _ => {
                // a matcher that cannot be built leaves the search to `verdict_phrase` alone
                let matcher = AhoCorasick::new(&self.verdict_phrases).ok();
                *last = Some((self.verdict_phrases.clone(), matcher.clone()));
                matcher
            }
        });
        VerdictFinder {
            rules: self,
            matcher,
        }
    }

    fn validate(&self) -> Result<(), String> {
        if self.verdict_phrases.is_empty() {
            return Err(
                "`wording.verdict_phrases` must not be empty: R3 would not be checked".into(),
            );
        }
        for (i, p) in self.verdict_phrases.iter().enumerate() {
            let chars = p.chars().count();
            if p.trim().is_empty() || chars > Self::MAX_PHRASE_CHARS {
                return Err(format!(
                    "`wording.verdict_phrases[{i}]` must have 1 to {} characters and not be blank, got {chars}",
                    Self::MAX_PHRASE_CHARS
                ));
            }
            if p.chars().any(char::is_uppercase) {
                return Err(format!(
                    "`wording.verdict_phrases[{i}]` must be written in lower case (text is compared in lower case)"
                ));
            }
        }
        Ok(())
    }
}

/// [`WordingRules::verdict_phrase`] for many texts: an Aho–Corasick matcher of all the
/// phrases tells at once whether a text holds any of them; only a text that does is searched
/// phrase by phrase, so the phrase named is the same (the first of the list found).
pub(crate) struct VerdictFinder<'w> {
    rules: &'w WordingRules,
    matcher: Option<AhoCorasick>,
}

impl<'w> VerdictFinder<'w> {
    /// The first phrase found in `text`, as [`WordingRules::verdict_phrase`] gives it.
    pub(crate) fn find(&self, text: &str) -> Option<&'w str> {
        let lower = lower_case(text);
        if let Some(matcher) = &self.matcher
            && !matcher.is_match(lower.as_ref())
        {
            return None;
        }
        self.rules.first_phrase_in(&lower)
    }
}

/// `text` in lower case, borrowed when it has no capital letter.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_uppercase) {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// How a verification treats a first-generation fifteen-digit resident ID (GB 11643-1989).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LegacyResidentIds {
    /// Upgraded to the eighteen-character number of GB 11643-1999 (the century `19`
    /// inserted, the check character computed), so that both forms name the same person
    /// ([`ResidentId`]): the default. The first-generation cards lost their validity on
    /// 1 January 2013 (全国人大常委会关于停止使用第一代居民身份证的决定, 2011), but the
    /// number lives on in records that departments kept from before 1999 (social insurance,
    /// household registration extracts, old bank accounts); the upgrade is the one the
    /// second-generation numbers were formed by, it is exact and it names one person, so
    /// refusing would hold up a household over a data source's format (R7: never blocking)
    /// without protecting anyone.
    #[default]
    Upgrade,
    /// Refused with `id_resident_legacy`, for a deployment whose sources must give
    /// eighteen-character numbers.
    Refuse,
}

/// The rulebook's rules for resident IDs beyond their format (GB 11643-1999).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IdentifierRules {
    /// First-generation fifteen-digit numbers: upgraded (default) or refused.
    #[serde(default)]
    pub legacy_resident_ids: LegacyResidentIds,
    /// The earliest birth date a resident ID may encode: 1900-01-01 *(local)*. GB 11643 sets
    /// no floor; a date before it is taken for a typing error. A deployment that keeps older
    /// records lowers it.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub earliest_birth_date: Date,
}

impl Default for IdentifierRules {
    fn default() -> Self {
        IdentifierRules {
            legacy_resident_ids: LegacyResidentIds::Upgrade,
            earliest_birth_date: time::macros::date!(1900 - 01 - 01),
        }
    }
}

impl IdentifierRules {
    /// Checks a resident ID that parsed against these rules on the day of verification `on`:
    /// a first-generation number only where the rulebook upgrades them, and a birth date
    /// neither after `on` nor before [`IdentifierRules::earliest_birth_date`].
    ///
    /// ```
    /// use hedui_core::{ResidentId, rulebook::IdentifierRules};
    /// let rules = IdentifierRules::default();
    /// let id: ResidentId = "360426199101010071".parse()?;
    /// assert!(rules.check_resident_id(&id, time::macros::date!(2026 - 11 - 29)).is_ok());
    /// let e = rules.check_resident_id(&id, time::macros::date!(1990 - 01 - 01)).unwrap_err();
    /// assert_eq!(e.code(), "id_resident_birth_out_of_range");
    /// # Ok::<(), hedui_core::error::IdError>(())
    /// ```
    ///
    /// # Errors
    /// [`IdError::ResidentLegacy`], [`IdError::ResidentBirthOutOfRange`].
    pub fn check_resident_id(&self, id: &ResidentId, on: Date) -> Result<(), IdError> {
        self.policy(on).check(id)
    }

    /// Checks a resident ID that parsed against the one rule of these that holds whatever the
    /// day: a first-generation number only where the rulebook upgrades them. For an
    /// identifier read with no day of the work (`id_check` without `on`), where the birth-date
    /// window has no upper end to check against.
    ///
    /// ```
    /// use hedui_core::{ResidentId, rulebook::{IdentifierRules, LegacyResidentIds}};
    /// let mut rules = IdentifierRules::default();
    /// let legacy: ResidentId = "110105491231002".parse()?;
    /// assert!(rules.check_legacy(&legacy).is_ok()); // upgraded by default
    /// rules.legacy_resident_ids = LegacyResidentIds::Refuse;
    /// assert_eq!(rules.check_legacy(&legacy).unwrap_err().code(), "id_resident_legacy");
    /// # Ok::<(), hedui_core::error::IdError>(())
    /// ```
    ///
    /// # Errors
    /// [`IdError::ResidentLegacy`].
    pub fn check_legacy(&self, id: &ResidentId) -> Result<(), IdError> {
        if id.is_legacy() && self.legacy_resident_ids == LegacyResidentIds::Refuse {
            return Err(IdError::ResidentLegacy { input: id.masked() });
        }
        Ok(())
    }

    /// These rules on the day `on`, as documents are read under them
    /// ([`Rulebook::read_document`]).
    pub(crate) fn policy(&self, on: Date) -> IdPolicy {
        IdPolicy {
            refuse_legacy: self.legacy_resident_ids == LegacyResidentIds::Refuse,
            earliest: self.earliest_birth_date,
            latest: on,
        }
    }
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
                lockout_minutes: default_lockout_minutes(),
                lockout_max_minutes: default_lockout_max_minutes(),
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
            identifiers: IdentifierRules::default(),
            limits: DocumentLimits::default(),
            wording: WordingRules::default(),
            exempt_income: ExemptIncomeRules::default(),
        }
    }
}

impl Rulebook {
    /// Reads a rulebook from JSON and validates its ranges.
    ///
    /// # Errors
    /// [`InputError::Json`] for malformed JSON or unknown fields,
    /// [`InputError::RulebookOutOfBounds`] for a security setting outside its policy bounds
    /// (e.g. log retention under 6 months), [`InputError::Rulebook`] for another value out of
    /// range.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let rb: Rulebook = Error::parse("rulebook", text)?;
        rb.validate()?;
        Ok(rb)
    }

    /// Reads a `document` of type `T` from JSON `text` under this rulebook: within its
    /// [`limits`](Rulebook::limits) as [`Error::parse_with`] reads, and, when
    /// the day of the work `on` is given, with every resident ID held to the rulebook's
    /// [`identifiers`](Rulebook::identifiers) rules on that day (no
    /// first-generation number where the rulebook refuses them, no birth date after `on` or
    /// before the rulebook's floor). The first ID that breaks them fails the reading with its
    /// own code and its JSON path (`household.members[2].id`).
    ///
    /// ```
    /// use hedui_core::{Error, ResidentId, Rulebook};
    /// let rb = Rulebook::default();
    /// let on = time::macros::date!(2026 - 11 - 29);
    /// // born 2031: a birth date after the day of the work
    /// let e = rb
    ///     .read_document::<Vec<ResidentId>>("ids", r#"["110105203101010017"]"#, Some(on))
    ///     .unwrap_err();
    /// assert_eq!(e.code(), "id_resident_birth_out_of_range");
    /// assert_eq!(e.detail().path.as_deref(), Some("[0]"));
    /// # Ok::<(), Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Error::parse_with`], and [`IdError::ResidentLegacy`] or
    /// [`IdError::ResidentBirthOutOfRange`] for a resident ID the rules refuse.
    pub fn read_document<T: serde::de::DeserializeOwned>(
        &self,
        document: &'static str,
        text: &str,
        on: Option<Date>,
    ) -> Result<T, Error> {
        let policy = on.map(|on| self.identifiers.policy(on));
        crate::id::with_policy(policy, || Error::parse_inner(document, text, &self.limits))
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
    /// The security settings must meet their policy floors and ceilings ([`floors`],
    /// docs/rules.md#r11-security): a rulebook cannot switch the security policy off.
    ///
    /// # Errors
    /// [`InputError::RulebookOutOfBounds`] naming the first security setting outside its
    /// bounds, [`InputError::Rulebook`] naming the first other value out of range.
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
        self.check_policy_floors()?;
        if self.security.max_password_chars < self.password.min_length {
            return Err(Error::Input(InputError::RulebookOutOfBounds {
                field: "security.max_password_chars",
                value: u64::from(self.security.max_password_chars),
                bound: format!(
                    "at least `password.min_length` (`{}`), or no password is acceptable",
                    self.password.min_length
                ),
            }));
        }
        if self.password.lockout_max_minutes < self.password.lockout_minutes {
            return Err(Error::Input(InputError::RulebookOutOfBounds {
                field: "password.lockout_max_minutes",
                value: u64::from(self.password.lockout_max_minutes),
                bound: format!(
                    "at least `password.lockout_minutes` (`{}`), the first lock-out",
                    self.password.lockout_minutes
                ),
            }));
        }
        if self.recheck_batches.max_households == 0 {
            return bad("`recheck_batches.max_households` must be at least 1".into());
        }
        if self.deadlines.feedback_working_days == 0
            || self.deadlines.relief_followup_working_days == 0
        {
            return bad("deadlines must be at least 1 working day".into());
        }
        self.wording.validate().or_else(bad)?;
        self.exempt_income.validate().or_else(bad)?;
        if let Some((field, value, lo, hi)) = self.limits.out_of_bounds() {
            return bad(format!(
                "`{field}` must be between {lo} and {hi}, got {value}"
            ));
        }
        Ok(())
    }
}

impl Rulebook {
    /// Every security setting with its policy bound, in [`floors::ALL`] order.
    fn policy_values(&self) -> [(&'static PolicyBound, u32); 14] {
        let (p, s, r) = (&self.password, &self.security, &self.retention);
        [
            (&floors::MIN_LENGTH, p.min_length),
            (&floors::MIN_CLASSES, p.min_classes),
            (&floors::ROTATION_DAYS, p.rotation_days),
            (&floors::LOCKOUT_FAILURES, p.lockout_failures),
            (&floors::LOCKOUT_MINUTES, p.lockout_minutes),
            (&floors::LOCKOUT_MAX_MINUTES, p.lockout_max_minutes),
            (&floors::HISTORY, p.history),
            (&floors::PBKDF2_ITERATIONS, p.pbkdf2_iterations),
            (&floors::ID_DIGIT_RUN, s.id_digit_run),
            (&floors::MAX_PASSWORD_CHARS, s.max_password_chars),
            (&floors::MIN_SALT_BYTES, s.min_salt_bytes),
            (&floors::MAX_TRAVEL_KMH, s.max_travel_kmh),
            (&floors::LOG_MONTHS, r.log_months),
            (&floors::DOCUMENT_MONTHS, r.document_months),
        ]
    }

    /// [`InputError::RulebookOutOfBounds`] for the first security setting outside its bounds.
    fn check_policy_floors(&self) -> Result<(), Error> {
        for (bound, value) in self.policy_values() {
            bound.check(value)?;
        }
        Ok(())
    }
}

/// The floor and ceiling of one security setting of the rulebook (R11): a rulebook outside
/// them is refused, so a deployment cannot switch the security policy off without a word.
///
/// ```
/// use hedui_core::rulebook::floors;
/// assert_eq!((floors::LOCKOUT_FAILURES.min, floors::LOCKOUT_FAILURES.max), (1, Some(10)));
/// assert!(floors::LOCKOUT_FAILURES.contains(5));
/// assert!(!floors::LOCKOUT_FAILURES.contains(0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PolicyBound {
    /// The rulebook field, as a JSON path (`password.lockout_failures`).
    pub field: &'static str,
    /// Smallest value allowed.
    pub min: u32,
    /// Largest value allowed; `None`: no ceiling.
    pub max: Option<u32>,
    /// Where the bound comes from: a standard's clause, or *(practice)* for local practice.
    pub source: &'static str,
}

impl PolicyBound {
    /// Whether `value` is within the bound.
    pub fn contains(&self, value: u32) -> bool {
        value >= self.min && self.max.is_none_or(|max| value <= max)
    }

    /// The bound in words, with its source: ``between `1` and `10` (…)``.
    pub fn describe(&self) -> String {
        match self.max {
            Some(max) => format!("between `{}` and `{max}` ({})", self.min, self.source),
            None => format!("at least `{}` ({})", self.min, self.source),
        }
    }

    /// Checks `value` against the bound.
    ///
    /// # Errors
    /// [`InputError::RulebookOutOfBounds`] naming the field, the value and the bound.
    pub fn check(&self, value: u32) -> Result<(), InputError> {
        if self.contains(value) {
            Ok(())
        } else {
            Err(InputError::RulebookOutOfBounds {
                field: self.field,
                value: u64::from(value),
                bound: self.describe(),
            })
        }
    }
}

/// Policy floors and ceilings of the rulebook's security settings (R11), each with its source
/// (docs/rules.md#r11-security): [`Rulebook::validate`] refuses a rulebook outside them.
pub mod floors {
    use super::PolicyBound;

    const fn bound(
        field: &'static str,
        min: u32,
        max: Option<u32>,
        source: &'static str,
    ) -> PolicyBound {
        PolicyBound {
            field,
            min,
            max,
            source,
        }
    }

    /// `password.min_length`: 8..=128.
    pub const MIN_LENGTH: PolicyBound = bound(
        "password.min_length",
        8,
        Some(128),
        "GB/T 22239-2019 §8.1.4.1 a) password complexity; the numbers are practice",
    );
    /// `password.min_classes`: 3..=4.
    pub const MIN_CLASSES: PolicyBound = bound(
        "password.min_classes",
        3,
        Some(4),
        "GB/T 22239-2019 §8.1.4.1 a) password complexity; 3 of 4 classes is practice",
    );
    /// `password.rotation_days`: 1..=90.
    pub const ROTATION_DAYS: PolicyBound = bound(
        "password.rotation_days",
        1,
        Some(90),
        "GB/T 22239-2019 §8.1.4.1 a) periodic change; 90 days is practice",
    );
    /// `password.lockout_failures`: 1..=10.
    pub const LOCKOUT_FAILURES: PolicyBound = bound(
        "password.lockout_failures",
        1,
        Some(10),
        "GB/T 22239-2019 §8.1.4.1 b) login-failure handling; the numbers are practice",
    );
    /// `password.lockout_minutes`: 5..=1,440.
    pub const LOCKOUT_MINUTES: PolicyBound = bound(
        "password.lockout_minutes",
        5,
        Some(1440),
        "GB/T 22239-2019 §8.1.4.1 b) login-failure handling, automatic lock-out; the numbers \
         are practice",
    );
    /// `password.lockout_max_minutes`: 30..=10,080 (and at least `password.lockout_minutes`).
    pub const LOCKOUT_MAX_MINUTES: PolicyBound = bound(
        "password.lockout_max_minutes",
        30,
        Some(10_080),
        "GB/T 22239-2019 §8.1.4.1 b) login-failure handling; a lock-out ends, a week at most \
         is practice",
    );
    /// `password.history`: 5..=24.
    pub const HISTORY: PolicyBound = bound(
        "password.history",
        5,
        Some(24),
        "practice; each remembered password costs one PBKDF2 run per change",
    );
    /// `password.pbkdf2_iterations`: 600,000..=10,000,000.
    pub const PBKDF2_ITERATIONS: PolicyBound = bound(
        "password.pbkdf2_iterations",
        600_000,
        Some(10_000_000),
        "OWASP Password Storage Cheat Sheet: 600000 for PBKDF2-HMAC-SHA256; \
         NIST SP 800-132 §5.2: 10000000 for especially critical keys",
    );
    /// The iterations of a stored password hash read back: 100,000..=10,000,000. The floor is
    /// the one rulebooks had before these floors, so a hash made under an older rulebook still
    /// verifies (and the login says `rehash_due`); the ceiling is
    /// [`PBKDF2_ITERATIONS`]'s.
    pub const STORED_PBKDF2_ITERATIONS: PolicyBound = bound(
        "stored pbkdf2 iterations",
        100_000,
        Some(10_000_000),
        "practice: the floor of earlier rulebooks; \
         NIST SP 800-132 §5.2: 10000000 for especially critical keys",
    );
    /// `security.id_digit_run`: 4..=8.
    pub const ID_DIGIT_RUN: PolicyBound = bound(
        "security.id_digit_run",
        4,
        Some(8),
        "practice: a run of 8 still catches the birth date YYYYMMDD",
    );
    /// `security.max_password_chars`: 64..=1,024 (and at least `password.min_length`).
    pub const MAX_PASSWORD_CHARS: PolicyBound = bound(
        "security.max_password_chars",
        64,
        Some(1024),
        "NIST SP 800-63B §5.1.1.2: permit at least 64 characters; 1024 is practice",
    );
    /// `security.min_salt_bytes`: 16..=1,024.
    pub const MIN_SALT_BYTES: PolicyBound = bound(
        "security.min_salt_bytes",
        16,
        Some(1024),
        "NIST SP 800-132 §5.1: at least 128 bits; 1024 is the longest salt accepted",
    );
    /// `security.max_travel_kmh`: 1..=1,000.
    pub const MAX_TRAVEL_KMH: PolicyBound = bound(
        "security.max_travel_kmh",
        1,
        Some(1000),
        "practice: above an airliner's speed no lending would be flagged",
    );
    /// `retention.log_months`: at least 6.
    pub const LOG_MONTHS: PolicyBound = bound("retention.log_months", 6, None, "网络安全法 Art 21");
    /// `retention.document_months`: at least 12.
    pub const DOCUMENT_MONTHS: PolicyBound = bound(
        "retention.document_months",
        12,
        None,
        "practice: kept until the next periodic recheck, 12 months (R8)",
    );

    // a stored hash may be older (weaker) than a rulebook now allows, never stronger
    const _: () = assert!(STORED_PBKDF2_ITERATIONS.min <= PBKDF2_ITERATIONS.min);

    /// Every bound of a rulebook field, in the order [`Rulebook::validate`](super::Rulebook::validate)
    /// checks them (without [`STORED_PBKDF2_ITERATIONS`], which bounds stored hashes).
    pub const ALL: [PolicyBound; 14] = [
        MIN_LENGTH,
        MIN_CLASSES,
        ROTATION_DAYS,
        LOCKOUT_FAILURES,
        LOCKOUT_MINUTES,
        LOCKOUT_MAX_MINUTES,
        HISTORY,
        PBKDF2_ITERATIONS,
        ID_DIGIT_RUN,
        MAX_PASSWORD_CHARS,
        MIN_SALT_BYTES,
        MAX_TRAVEL_KMH,
        LOG_MONTHS,
        DOCUMENT_MONTHS,
    ];
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SecurityRules {
    /// A password may not contain this many consecutive characters of the operator's resident
    /// ID (birth date, sequence): 6 *(practice)*. Bounds 4..=8 *(practice: a run of 8 still
    /// catches the whole birth date YYYYMMDD; under 4, digits shared by chance are refused)*;
    /// 0 would switch the check off.
    pub id_digit_run: u32,
    /// Passwords refused as weak in addition to the built-in [`COMMON_PASSWORDS`](crate::security::COMMON_PASSWORDS).
    #[serde(default)]
    pub extra_common_passwords: Vec<String>,
    /// Longest password accepted, in characters: 128. Bounds: at least 64 (NIST SP 800-63B
    /// §5.1.1.2: verifiers should permit at least 64 characters) and at least
    /// `password.min_length`; at most 1,024 *(practice)*.
    pub max_password_chars: u32,
    /// Shortest per-account salt accepted, in bytes: 16. Bounds 16..=1,024: NIST SP 800-132
    /// §5.1 (at least 128 bits); 1,024 is the longest salt
    /// [`OperatorAccount::set_password`](crate::security::OperatorAccount::set_password)
    /// accepts.
    pub min_salt_bytes: u32,
    /// Account lending: consecutive logins of one account whose implied travel speed exceeds
    /// this many km/h are flagged: 300 *(practice: faster than high-speed rail)*. Bounds
    /// 1..=1,000 *(practice: above an airliner's speed nothing would be flagged)*.
    pub max_travel_kmh: u32,
    /// Whether a report taken as evidence by a gate (closing a relief follow-up, R4; filing an
    /// appeal, R9; recording a round in a report history, R10) must carry a signature by a
    /// key the gate's keyring trusts: `true`. A bare digest proves only that a report agrees
    /// with itself: whoever can edit a report can seal it again, so without a signature an
    /// edited report would pass (N §三 密码管理). `false` checks the digest alone, for a
    /// deployment that signs no reports yet; absent from a rulebook's JSON, it is `true`.
    #[serde(default = "signed_evidence_default")]
    pub signed_evidence: bool,
    /// The cryptographic suite of the artefacts hedui makes: `international` (SHA-256,
    /// Ed25519, PBKDF2-HMAC-SHA256), or `shangmi` (商用密码: SM3, SM2, PBKDF2-HMAC-SM3, SM4),
    /// the national algorithms a commercial-cryptography assessment (密评, GB/T 39786-2021)
    /// expects. Absent from a rulebook's JSON, it is `international`, and a rulebook that
    /// keeps the default writes no `crypto_suite` field. Every artefact names its algorithm,
    /// so artefacts of either suite stay checkable after a switch.
    #[serde(default, skip_serializing_if = "CryptoSuite::is_international")]
    pub crypto_suite: CryptoSuite,
}

/// The cryptographic suite a rulebook chooses ([`SecurityRules::crypto_suite`]).
///
/// | artefact | `international` | `shangmi` |
/// |---|---|---|
/// | report digest | SHA-256 | SM3 (GB/T 32905-2016) |
/// | report signature | Ed25519 | SM2 with SM3, ID `1234567812345678` (GB/T 32918, GB/T 35276) |
/// | password hash | PBKDF2-HMAC-SHA256 | PBKDF2-HMAC-SM3 |
/// | document sealing | — | SM4-GCM (GB/T 32907-2016, GB/T 36624-2018) |
///
/// ```
/// use hedui_core::{DigestAlgorithm, Rulebook, SignatureAlgorithm, rulebook::CryptoSuite};
/// let mut rulebook = Rulebook::default();
/// assert_eq!(rulebook.security.crypto_suite, CryptoSuite::International);
/// rulebook.security.crypto_suite = CryptoSuite::Shangmi;
/// assert_eq!(rulebook.security.crypto_suite.digest_algorithm(), DigestAlgorithm::Sm3);
/// assert_eq!(rulebook.security.crypto_suite.signature_algorithm(), SignatureAlgorithm::Sm2);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CryptoSuite {
    /// SHA-256, Ed25519 and PBKDF2-HMAC-SHA256 (ring): the default.
    #[default]
    International,
    /// SM3, SM2, PBKDF2-HMAC-SM3 and SM4 (RustCrypto), the commercial-cryptography suite
    /// (商用密码).
    Shangmi,
}

impl CryptoSuite {
    /// The digest algorithm of reports sealed under this suite.
    pub fn digest_algorithm(self) -> crate::digest::DigestAlgorithm {
        match self {
            CryptoSuite::International => crate::digest::DigestAlgorithm::Sha256,
            CryptoSuite::Shangmi => crate::digest::DigestAlgorithm::Sm3,
        }
    }

    /// The signature algorithm of report keys under this suite.
    pub fn signature_algorithm(self) -> crate::digest::SignatureAlgorithm {
        match self {
            CryptoSuite::International => crate::digest::SignatureAlgorithm::Ed25519,
            CryptoSuite::Shangmi => crate::digest::SignatureAlgorithm::Sm2,
        }
    }

    /// The MAC algorithm of audit keys under this suite.
    pub fn mac_algorithm(self) -> crate::digest::MacAlgorithm {
        match self {
            CryptoSuite::International => crate::digest::MacAlgorithm::HmacSha256,
            CryptoSuite::Shangmi => crate::digest::MacAlgorithm::HmacSm3,
        }
    }

    /// Whether this is the default suite (serde's `skip_serializing_if`).
    pub fn is_international(&self) -> bool {
        *self == CryptoSuite::International
    }
}

fn signed_evidence_default() -> bool {
    true
}

impl Default for SecurityRules {
    fn default() -> Self {
        SecurityRules {
            id_digit_run: 6,
            extra_common_passwords: Vec::new(),
            max_password_chars: 128,
            min_salt_bytes: 16,
            max_travel_kmh: 300,
            signed_evidence: true,
            crypto_suite: CryptoSuite::International,
        }
    }
}

/// How due households are cut into recheck batches.
///
/// The rulebook holds a deployment's defaults ([`Rulebook::recheck_batches`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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

    /// R3 (N §二(一)): the finder a report uses over its facts' texts names the same phrase as
    /// `verdict_phrase`, the first of the list found, for texts with none, one, several
    /// (out of list order) and capital letters, under the default and a deployment's list.
    #[test]
    fn the_verdict_finder_names_what_verdict_phrase_names() {
        let texts = [
            "基本养老金",
            "",
            "低保标准以下补助金额",
            "补助金额低于低保标准",
            "Not ELIGIBLE",
            "THRESHOLD met, not eligible",
            "资格",
            "ÄRZTE 认定为",
        ];
        let local = WordingRules {
            verdict_phrases: vec!["金额".to_owned(), "ärzte".to_owned(), "标准".to_owned()],
        };
        for rules in [WordingRules::default(), local] {
            let finder = rules.finder();
            assert!(finder.matcher.is_some());
            for text in texts {
                assert_eq!(finder.find(text), rules.verdict_phrase(text), "{text}");
            }
        }
        let w = WordingRules::default();
        let finder = w.finder();
        assert_eq!(finder.find("补助金额低于低保标准"), Some("低保标准"));
        assert_eq!(finder.find("Not ELIGIBLE"), Some("eligible"));
        assert_eq!(finder.find("基本养老金"), None);
    }

    #[test]
    fn default_roundtrips_and_validates() {
        let rb = Rulebook::default();
        rb.validate().unwrap();
        assert_eq!(Rulebook::from_json(&rb.to_json()).unwrap(), rb);
    }

    /// GB 11643 and docs/rules.md#identifiers: the youngest valid birth date is the day of
    /// verification itself, the oldest is the rulebook's floor; a day beyond either is refused.
    #[test]
    fn birth_dates_from_the_floor_to_the_day_of_verification_are_accepted() {
        use time::macros::date;
        let id = |body: &str| {
            let check = ResidentId::check_char(body).unwrap();
            ResidentId::parse(&format!("{body}{check}")).unwrap()
        };
        let rules = IdentifierRules::default();
        let born = id("14100220261129001");
        assert!(
            rules
                .check_resident_id(&born, date!(2026 - 11 - 29))
                .is_ok()
        );
        assert!(
            rules
                .check_resident_id(&born, date!(2026 - 11 - 30))
                .is_ok()
        );
        let e = rules
            .check_resident_id(&born, date!(2026 - 11 - 28))
            .unwrap_err();
        assert_eq!(e.code(), "id_resident_birth_out_of_range");
        let oldest = id("14100219000101001");
        assert!(
            rules
                .check_resident_id(&oldest, date!(2026 - 11 - 29))
                .is_ok()
        );
        let mut later_floor = rules.clone();
        later_floor.earliest_birth_date = date!(1900 - 01 - 02);
        let e = later_floor
            .check_resident_id(&oldest, date!(2026 - 11 - 29))
            .unwrap_err();
        assert_eq!(e.code(), "id_resident_birth_out_of_range");
    }

    /// docs/rules.md#identifiers: with no day of the work, the legacy rule still holds (a
    /// first-generation number refused where the rulebook refuses them), and nothing else.
    #[test]
    fn the_legacy_rule_holds_without_a_day() {
        let legacy = ResidentId::parse("110105491231002").unwrap();
        let second = ResidentId::parse("11010519491231002X").unwrap();
        let mut rules = IdentifierRules::default();
        assert!(rules.check_legacy(&legacy).is_ok());
        assert!(rules.check_legacy(&second).is_ok());
        rules.legacy_resident_ids = LegacyResidentIds::Refuse;
        let e = rules.check_legacy(&legacy).unwrap_err();
        assert_eq!(e.code(), "id_resident_legacy");
        assert!(!e.to_string().contains("110105491231002"));
        assert!(rules.check_legacy(&second).is_ok());
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
        assert_eq!(e.code(), "rulebook_out_of_bounds");
        assert!(e.to_string().contains("网络安全法 Art 21"), "{e}");
        // R11: accounts must lock after failed logins
        let mut rb = Rulebook::default();
        rb.password.lockout_failures = 0;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert_eq!(e.code(), "rulebook_out_of_bounds");
        assert!(e.to_string().contains("lockout_failures"), "{e}");
        // a value that is not a security setting keeps its own code
        let mut rb = Rulebook::default();
        rb.recheck.other_months = 0;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert_eq!(e.code(), "input_rulebook");
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

    /// The default rulebook's JSON with `field` (a dotted path) set to `value`, read back.
    fn with(field: &str, value: u64) -> Result<Rulebook, Error> {
        let mut v: serde_json::Value =
            serde_json::from_str(&Rulebook::default().to_json()).unwrap();
        let slot = field.split('.').fold(&mut v, |v, key| &mut v[key]);
        assert!(slot.is_u64(), "{field} is not a number of the rulebook");
        *slot = value.into();
        Rulebook::from_json(&v.to_string())
    }

    #[test]
    fn the_default_rulebook_is_within_every_policy_bound() {
        let rb = Rulebook::default();
        rb.validate().unwrap();
        for (bound, value) in rb.policy_values() {
            assert!(bound.contains(value), "{} = {value}", bound.field);
        }
        let fields: Vec<_> = rb.policy_values().iter().map(|(b, _)| b.field).collect();
        let all: Vec<_> = floors::ALL.iter().map(|b| b.field).collect();
        assert_eq!(fields, all);
        // the ceiling of the salt floor is the longest salt an account accepts
        assert_eq!(floors::MIN_SALT_BYTES.max, Some(1024));
        assert_eq!(
            floors::STORED_PBKDF2_ITERATIONS.max,
            floors::PBKDF2_ITERATIONS.max
        );
    }

    #[test]
    fn every_policy_bound_refuses_below_and_above_and_accepts_its_ends() {
        for bound in floors::ALL {
            let min = u64::from(bound.min);
            // every floor is at least 1: 0 and the value just under the floor are outside
            assert!(min >= 1, "{}", bound.field);
            let mut outside = vec![0, min - 1];
            let mut inside = vec![min];
            match bound.max {
                Some(max) => {
                    let max = u64::from(max);
                    outside.extend([max + 1, u64::from(u32::MAX)]);
                    inside.push(max);
                }
                None => inside.push(u64::from(u32::MAX)),
            }
            for value in outside {
                let e = with(bound.field, value).unwrap_err();
                assert_eq!(
                    e.code(),
                    "rulebook_out_of_bounds",
                    "{} = {value}",
                    bound.field
                );
                assert_eq!(e.info().rule, Some(crate::error::rules::R11));
                let text = e.to_string();
                assert!(text.starts_with("R11 security (N §三): "), "{text}");
                assert!(text.contains(&format!("`{}`", bound.field)), "{text}");
                assert!(text.contains(&format!("`{value}`")), "{text}");
                assert!(text.contains(&bound.describe()), "{text}");
                assert!(text.contains(bound.source), "{text}");
                let detail = e.detail();
                assert_eq!(detail.fields["field"], bound.field);
                assert_eq!(detail.fields["value"], value);
                assert_eq!(detail.fields["bound"], bound.describe());
            }
            for value in inside {
                with(bound.field, value)
                    .unwrap_or_else(|e| panic!("{} = {value}: {e}", bound.field));
            }
        }
    }

    #[test]
    fn the_reported_ways_to_switch_the_policy_off_are_refused() {
        for (field, value) in [
            ("password.lockout_failures", u64::from(u32::MAX)),
            ("security.id_digit_run", 0),
            ("password.rotation_days", 1_000_000),
            ("retention.document_months", 0),
            ("password.min_classes", 1),
            ("password.pbkdf2_iterations", 1),
            ("password.pbkdf2_iterations", u64::from(u32::MAX)),
            ("security.min_salt_bytes", 8),
            ("password.history", 0),
            ("security.max_travel_kmh", u64::from(u32::MAX)),
        ] {
            let e = with(field, value).unwrap_err();
            assert_eq!(e.code(), "rulebook_out_of_bounds", "{field} = {value}");
        }
        let e = with("password.lockout_failures", 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "R11 security (N §三): rulebook `password.lockout_failures` is `0`, it must be \
             between `1` and `10` (GB/T 22239-2019 §8.1.4.1 b) login-failure handling; the \
             numbers are practice)"
        );
        // lock-out for good, or never: refused
        for (field, value) in [
            ("password.lockout_minutes", 0),
            ("password.lockout_minutes", 1_000_000),
            ("password.lockout_max_minutes", u64::from(u32::MAX)),
        ] {
            let e = with(field, value).unwrap_err();
            assert_eq!(e.code(), "rulebook_out_of_bounds", "{field} = {value}");
        }
        let mut rb = Rulebook::default();
        rb.password.lockout_minutes = 120;
        rb.password.lockout_max_minutes = 60;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert!(
            e.to_string().contains(
                "rulebook `password.lockout_max_minutes` is `60`, it must be at least \
                 `password.lockout_minutes` (`120`)"
            ),
            "{e}"
        );
        // a rulebook written before the lock-out times existed reads with the defaults
        let mut v: serde_json::Value =
            serde_json::from_str(&Rulebook::default().to_json()).unwrap();
        let password = v["password"].as_object_mut().unwrap();
        password.remove("lockout_minutes");
        password.remove("lockout_max_minutes");
        let old = Rulebook::from_json(&v.to_string()).unwrap();
        assert_eq!(
            (
                old.password.lockout_minutes,
                old.password.lockout_max_minutes
            ),
            (30, 1440)
        );
        // no password could be both long enough and short enough
        let mut rb = Rulebook::default();
        rb.password.min_length = 100;
        rb.security.max_password_chars = 64;
        let e = Rulebook::from_json(&rb.to_json()).unwrap_err();
        assert_eq!(e.code(), "rulebook_out_of_bounds");
        assert!(
            e.to_string().contains(
                "rulebook `security.max_password_chars` is `64`, it must be at least \
                 `password.min_length` (`100`)"
            ),
            "{e}"
        );
    }
}
