//! Operator accounts 经办人员账号 (R11).
//!
//! N §三: "核对信息系统是核对机构开展信息核对的专用系统，各级核对机构不得将核对信息系统交由核对机构以外的
//! 其他机构和部门使用 … 实行账号实名制、备案制，账号严禁使用弱口令，严禁系统账号外借 … 核对经办人员要签订
//! 保密协议".
//!
//! An account is registered for a named person of a verification agency, gets a password,
//! and is activated only once its confidentiality agreement is signed:
//! [`OperatorAccount::register`] → [`set_password`](OperatorAccount::set_password) →
//! [`activate`](OperatorAccount::activate) → [`login`](OperatorAccount::login).

use std::fmt;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use super::password::{PasswordHash, dummy_check, weaknesses_for_holder};
use crate::agency::Agency;
use crate::error::SecurityError;
use crate::id::ResidentId;
use crate::rulebook::SecurityRules;
use crate::rulebook::floors::STORED_PBKDF2_ITERATIONS;
use crate::rulebook::{CryptoSuite, PasswordPolicy};

/// Longest salt accepted, in bytes (keeps PBKDF2 input bounded); the ceiling of the
/// rulebook's `security.min_salt_bytes`.
const MAX_SALT_BYTES: usize = 1024;

/// What a verification agency submits to open an operator account: real name and resident ID
/// (实名制) and its registration 备案 (备案制).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// Login name: 3 to 64 ASCII letters, digits, `.`, `_` or `-`.
    pub account: String,
    /// The operator's real name.
    pub name: String,
    /// The operator's resident ID (18 characters).
    pub resident_id: ResidentId,
    /// Registration number 备案号 of the account.
    pub registration_number: String,
    /// Date of registration.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub registered_on: Date,
    /// The verification agency the operator works for.
    pub agency_id: String,
    /// Role, a key of the [`Permissions`](crate::security::Permissions) table.
    pub role: String,
    /// Date the confidentiality agreement 保密协议 was signed, if it has been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    pub confidentiality_signed_on: Option<Date>,
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Registered, not yet activated (or its activation no longer holds).
    Pending,
    /// May log in.
    Active,
    /// Locked after repeated failed logins, until the lock-out ends (the first login after
    /// [`OperatorAccount::locked_until`] lifts it) or an administrator unlocks it.
    Locked,
}

/// A successful login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Login {
    /// The password is older than the rotation period and must be changed now.
    pub rotation_due: bool,
    /// The password was hashed with fewer iterations than the policy now asks; set it again
    /// (with a fresh salt) to upgrade.
    pub rehash_due: bool,
}

/// An operator account of a verification agency (R11, N §三).
///
/// Identity and state are read through accessors and changed only through the methods, which
/// keep the rules; read from JSON, the same rules are checked again at login.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OperatorAccount {
    account: String,
    name: String,
    resident_id: ResidentId,
    registration_number: String,
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    registered_on: Date,
    agency_id: String,
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    confidentiality_signed_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::IsoDate>"))]
    activated_on: Option<Date>,
    /// Current password last; older ones kept for the history rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    passwords: Vec<PasswordHash>,
    #[serde(default)]
    failed_logins: u32,
    /// Locked until an administrator unlocks it: only accounts locked before lock-outs ended
    /// by themselves carry it.
    #[serde(default)]
    locked: bool,
    /// End of the current lock-out (UTC).
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::Rfc3339>"))]
    locked_until: Option<OffsetDateTime>,
    /// Lock-outs since the last successful login: each one lasts twice as long as the one
    /// before.
    #[serde(default, skip_serializing_if = "is_zero")]
    lockouts: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

// Debug output goes to logs and panic messages: no real name, no whole resident ID (masked by
// its own Debug), no password hash (its Debug shows the iteration count and date only).

impl fmt::Debug for AccountRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccountRequest")
            .field("account", &self.account)
            .field("resident_id", &self.resident_id)
            .field("agency_id", &self.agency_id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for OperatorAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperatorAccount")
            .field("account", &self.account)
            .field("resident_id", &self.resident_id)
            .field("agency_id", &self.agency_id)
            .field("role", &self.role)
            .field("status", &self.status())
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .field("passwords", &self.passwords)
            .finish_non_exhaustive()
    }
}

impl OperatorAccount {
    /// Registers an account for an operator of one of `agencies`, the verification agencies
    /// known to the system (N §三 "不得将核对信息系统交由核对机构以外的其他机构和部门使用"; "实行账号
    /// 实名制、备案制").
    ///
    /// # Errors
    /// [`SecurityError::NotAnAgency`] when `agency_id` is not a verification agency;
    /// [`SecurityError::NotRegistered`] for a malformed login name, an empty real name,
    /// registration number or role, or a legacy 15-digit resident ID.
    pub fn register(request: AccountRequest, agencies: &[Agency]) -> Result<Self, SecurityError> {
        let not_registered = |reason: &str| SecurityError::NotRegistered {
            account: request.account.clone(),
            reason: reason.to_owned(),
        };
        let login_ok = (3..=64).contains(&request.account.len())
            && request
                .account
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if !login_ok {
            return Err(not_registered(
                "the login name must be 3 to 64 ascii letters, digits, `.`, `_` or `-`",
            ));
        }
        if request.name.trim().is_empty() {
            return Err(not_registered("no real name"));
        }
        if request.resident_id.is_legacy() {
            return Err(not_registered(
                "a legacy 15-digit resident id cannot identify an operator",
            ));
        }
        if request.registration_number.trim().is_empty() {
            return Err(not_registered("no registration (备案) number"));
        }
        if request.role.trim().is_empty() {
            return Err(not_registered("no role"));
        }
        if !agencies.iter().any(|a| a.id == request.agency_id) {
            return Err(SecurityError::NotAnAgency {
                body: request.agency_id,
            });
        }
        Ok(OperatorAccount {
            account: request.account,
            name: request.name,
            resident_id: request.resident_id,
            registration_number: request.registration_number,
            registered_on: request.registered_on,
            agency_id: request.agency_id,
            role: request.role,
            confidentiality_signed_on: request.confidentiality_signed_on,
            activated_on: None,
            passwords: Vec::new(),
            failed_logins: 0,
            locked: false,
            locked_until: None,
            lockouts: 0,
        })
    }

    /// Login name.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// Real name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Resident ID.
    pub fn resident_id(&self) -> &ResidentId {
        &self.resident_id
    }

    /// Registration number 备案号.
    pub fn registration_number(&self) -> &str {
        &self.registration_number
    }

    /// Registration date.
    pub fn registered_on(&self) -> Date {
        self.registered_on
    }

    /// The verification agency.
    pub fn agency_id(&self) -> &str {
        &self.agency_id
    }

    /// Role.
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Date the confidentiality agreement was signed.
    pub fn confidentiality_signed_on(&self) -> Option<Date> {
        self.confidentiality_signed_on
    }

    /// Date of activation.
    pub fn activated_on(&self) -> Option<Date> {
        self.activated_on
    }

    /// Consecutive failed logins.
    pub fn failed_logins(&self) -> u32 {
        self.failed_logins
    }

    /// End of the current lock-out, if the account is locked for a time (R11, GB/T
    /// 22239-2019 §8.1.4.1 b)).
    pub fn locked_until(&self) -> Option<OffsetDateTime> {
        self.locked_until
    }

    /// Lock-outs since the last successful login or unlock (the next one lasts twice as long).
    pub fn lockouts(&self) -> u32 {
        self.lockouts
    }

    /// Date the current password was set.
    pub fn password_set_on(&self) -> Option<Date> {
        self.passwords.last().map(|p| p.set_on)
    }

    /// Where the account stands. An activation without a signed agreement or a password (as
    /// could be written into JSON by hand) does not count.
    pub fn status(&self) -> AccountStatus {
        if self.locked || self.locked_until.is_some() {
            AccountStatus::Locked
        } else if self.activation_holds() {
            AccountStatus::Active
        } else {
            AccountStatus::Pending
        }
    }

    fn activation_holds(&self) -> bool {
        match (self.activated_on, self.confidentiality_signed_on) {
            (Some(active), Some(signed)) => signed <= active && !self.passwords.is_empty(),
            _ => false,
        }
    }

    /// Records the signed confidentiality agreement 保密协议.
    pub fn sign_confidentiality(&mut self, on: Date) {
        self.confidentiality_signed_on = Some(on);
    }

    /// Changes the role (the permissions follow the new role at once).
    pub fn set_role(&mut self, role: impl Into<String>) {
        self.role = role.into();
    }

    /// Checks `password` against the weak-password rules, without the history (N §三
    /// "账号严禁使用弱口令"). Cheap: no hashing.
    ///
    /// # Errors
    /// [`SecurityError::WeakPassword`] listing every reason.
    pub fn check_password(
        &self,
        password: &str,
        policy: &PasswordPolicy,
        rules: &SecurityRules,
    ) -> Result<(), SecurityError> {
        let reasons = weaknesses_for_holder(
            password,
            &self.account,
            &self.name,
            &self.resident_id,
            policy,
            rules,
        );
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(SecurityError::WeakPassword {
                account: self.account.clone(),
                reasons,
            })
        }
    }

    /// Sets a new password (N §三 "账号严禁使用弱口令"): it must pass
    /// [`check_password`](Self::check_password) and differ from the last
    /// [`PasswordPolicy::history`] passwords; it is stored as PBKDF2-HMAC-SHA256 with
    /// [`PasswordPolicy::pbkdf2_iterations`] iterations under `salt`.
    ///
    /// `salt` is fresh for every call, at least [`SecurityRules::min_salt_bytes`] (at most
    /// 1,024) bytes from the host's CSPRNG: core draws no randomness. Comparing with the
    /// history costs one PBKDF2 run per stored password. A successful change clears failed
    /// logins but does not unlock a locked account.
    ///
    /// # Errors
    /// [`SecurityError::SaltLength`], [`SecurityError::WeakPassword`] (reason
    /// [`WeakReason::Reused`](crate::security::WeakReason::Reused) for a repeat), or
    /// [`SecurityError::HashIterations`] when the policy asks for an iteration count outside
    /// [`floors::STORED_PBKDF2_ITERATIONS`](crate::rulebook::floors::STORED_PBKDF2_ITERATIONS)
    /// (a [`Rulebook`](crate::Rulebook) keeps it within the stricter
    /// [`floors::PBKDF2_ITERATIONS`](crate::rulebook::floors::PBKDF2_ITERATIONS)). A stored
    /// password whose own count is outside the bounds never matches the new one.
    pub fn set_password(
        &mut self,
        password: &str,
        salt: &[u8],
        on: Date,
        policy: &PasswordPolicy,
        rules: &SecurityRules,
    ) -> Result<(), SecurityError> {
        let min = usize::try_from(rules.min_salt_bytes).unwrap_or(usize::MAX);
        if salt.len() < min || salt.len() > MAX_SALT_BYTES {
            return Err(SecurityError::SaltLength {
                min,
                max: MAX_SALT_BYTES,
                found: salt.len(),
            });
        }
        if !STORED_PBKDF2_ITERATIONS.contains(policy.pbkdf2_iterations) {
            return Err(self.hash_iterations(policy.pbkdf2_iterations));
        }
        self.check_password(password, policy, rules)?;
        let history = policy.history.max(1);
        let keep = usize::try_from(history).unwrap_or(usize::MAX);
        let start = self.passwords.len().saturating_sub(keep);
        let recent = self.passwords.get(start..).unwrap_or_default();
        if recent.iter().any(|h| h.matches(password)) {
            return Err(SecurityError::WeakPassword {
                account: self.account.clone(),
                reasons: vec![super::WeakReason::Reused { history }],
            });
        }
        let algorithm = super::password::PasswordAlgorithm::of(rules.crypto_suite);
        let hash =
            PasswordHash::derive_with(algorithm, password, salt, policy.pbkdf2_iterations, on)
                .ok_or_else(|| self.hash_iterations(policy.pbkdf2_iterations))?;
        self.passwords.push(hash);
        let excess = self.passwords.len().saturating_sub(keep);
        self.passwords.drain(..excess);
        self.failed_logins = 0;
        Ok(())
    }

    /// Activates the account on `on` (N §三 "核对经办人员要签订保密协议": no activation without a
    /// signed agreement).
    ///
    /// # Errors
    /// [`SecurityError::ConfidentialityUnsigned`] when no agreement is signed on or before
    /// `on`; [`SecurityError::PasswordNotSet`] without a password;
    /// [`SecurityError::NotRegistered`] when `on` is before the registration date.
    pub fn activate(&mut self, on: Date) -> Result<(), SecurityError> {
        if self
            .confidentiality_signed_on
            .is_none_or(|signed| signed > on)
        {
            return Err(SecurityError::ConfidentialityUnsigned {
                account: self.account.clone(),
            });
        }
        if self.passwords.is_empty() {
            return Err(SecurityError::PasswordNotSet {
                account: self.account.clone(),
            });
        }
        if on < self.registered_on {
            return Err(SecurityError::NotRegistered {
                account: self.account.clone(),
                reason: format!(
                    "activation on {on} precedes registration on {}",
                    self.registered_on
                ),
            });
        }
        self.activated_on = Some(on);
        Ok(())
    }

    /// Checks a login with `password` at `at` (constant-time comparison,
    /// `ring::pbkdf2::verify`).
    ///
    /// Every login runs exactly one PBKDF2 derivation, whatever the account's state: a locked
    /// or pending account checks the password before refusing, and an account without a usable
    /// stored hash checks a stand-in hash with the policy's iteration count, so the time taken
    /// does not tell a guesser how the account stands (R11;
    /// [`pbkdf2_runs`](crate::security::pbkdf2_runs) counts them).
    ///
    /// A wrong password counts as a failure; the [`PasswordPolicy::lockout_failures`]-th
    /// consecutive one locks the account for [`PasswordPolicy::lockout_minutes`], each further
    /// lock-out before a successful login for twice as long as the one before, at most
    /// [`PasswordPolicy::lockout_max_minutes`] (GB/T 22239-2019 §8.1.4.1 b) 登录失败处理:
    /// limit failed logins and lock automatically; a lock-out that ends by itself means that
    /// nobody can lock another operator out for good). Attempts during a lock-out are refused
    /// and not counted; the first login at or after its end lifts it and starts the count
    /// afresh. [`unlock`](Self::unlock) ends it at once.
    ///
    /// The password's rotation is judged on `at`'s own calendar date.
    ///
    /// # Errors
    /// [`SecurityError::AccountLocked`] (also for the failure that locks it),
    /// [`SecurityError::AccountInactive`] for an account not activated,
    /// [`SecurityError::HashIterations`] when the stored hash's iteration count is outside
    /// [`floors::STORED_PBKDF2_ITERATIONS`](crate::rulebook::floors::STORED_PBKDF2_ITERATIONS)
    /// (the stand-in hash is checked instead, no failure is counted: an administrator sets a
    /// new password), [`SecurityError::WrongPassword`] for another failure.
    pub fn login(
        &mut self,
        password: &str,
        at: OffsetDateTime,
        policy: &PasswordPolicy,
    ) -> Result<Login, SecurityError> {
        // the one derivation, before anything is decided
        let usable = self.passwords.last().filter(|h| h.iterations_in_bounds());
        let matched = match usable {
            Some(current) => current.matches(password),
            None => {
                // the suite of the account's last password, if it had one
                let algorithm = self
                    .passwords
                    .last()
                    .map(PasswordHash::algorithm)
                    .unwrap_or_default();
                dummy_check(password, policy.pbkdf2_iterations, algorithm);
                false
            }
        };
        if let Some(until) = self.locked_until {
            if at < until {
                return Err(self.locked_error());
            }
            // the lock-out is over: a fresh count of failures
            self.locked_until = None;
            self.failed_logins = 0;
        }
        match self.status() {
            AccountStatus::Locked => return Err(self.locked_error()),
            AccountStatus::Pending => {
                return Err(SecurityError::AccountInactive {
                    account: self.account.clone(),
                });
            }
            AccountStatus::Active => {}
        }
        let Some(current) = self.passwords.last() else {
            return Err(SecurityError::AccountInactive {
                account: self.account.clone(),
            });
        };
        if !current.iterations_in_bounds() {
            return Err(self.hash_iterations(current.iterations()));
        }
        if !matched {
            self.failed_logins = self.failed_logins.saturating_add(1);
            if self.failed_logins >= policy.lockout_failures.max(1) {
                self.lockouts = self.lockouts.saturating_add(1);
                let minutes = lockout_minutes(policy, self.lockouts);
                self.locked_until = Some(
                    at.to_offset(UtcOffset::UTC)
                        .saturating_add(Duration::minutes(i64::from(minutes))),
                );
                return Err(self.locked_error());
            }
            return Err(SecurityError::WrongPassword {
                account: self.account.clone(),
            });
        }
        let rotation_due = current
            .set_on
            .checked_add(Duration::days(i64::from(policy.rotation_days)))
            .is_none_or(|due| at.date() >= due);
        let rehash_due = current.iterations() < policy.pbkdf2_iterations;
        self.failed_logins = 0;
        self.lockouts = 0;
        Ok(Login {
            rotation_due,
            rehash_due,
        })
    }

    /// A login to an account that does not exist: runs the one PBKDF2 derivation a real
    /// login runs (a stand-in hash with the policy's iteration count) and answers what a
    /// wrong password answers, so that neither the time taken nor the answer tells a guesser
    /// which login names exist (R11).
    ///
    /// The stand-in is PBKDF2-HMAC-SHA256, as under the international suite; use
    /// [`login_unknown_under`](Self::login_unknown_under) with the rulebook's suite.
    pub fn login_unknown(account: &str, password: &str, policy: &PasswordPolicy) -> SecurityError {
        Self::login_unknown_under(account, password, policy, CryptoSuite::International)
    }

    /// [`login_unknown`](Self::login_unknown) under the crypto suite `suite`: the stand-in is
    /// the derivation a real login under it runs (PBKDF2-HMAC-SM3 under `shangmi`), so its
    /// cost does not tell an unknown name from a known one either.
    pub fn login_unknown_under(
        account: &str,
        password: &str,
        policy: &PasswordPolicy,
        suite: CryptoSuite,
    ) -> SecurityError {
        dummy_check(
            password,
            policy.pbkdf2_iterations,
            super::password::PasswordAlgorithm::of(suite),
        );
        SecurityError::WrongPassword {
            account: account.to_owned(),
        }
    }

    fn locked_error(&self) -> SecurityError {
        SecurityError::AccountLocked {
            account: self.account.clone(),
        }
    }

    /// [`SecurityError::HashIterations`] for `iterations`.
    fn hash_iterations(&self, iterations: u32) -> SecurityError {
        SecurityError::HashIterations {
            account: self.account.clone(),
            iterations,
            bound: STORED_PBKDF2_ITERATIONS.describe(),
        }
    }

    /// Unlocks a locked account at once and clears its failures and lock-outs (an
    /// administrator's act).
    pub fn unlock(&mut self) {
        self.locked = false;
        self.locked_until = None;
        self.failed_logins = 0;
        self.lockouts = 0;
    }
}

/// Length in minutes of the `lockouts`-th lock-out in a row: the policy's
/// `lockout_minutes`, doubled for each lock-out before it, at most `lockout_max_minutes`
/// (GB/T 22239-2019 §8.1.4.1 b)).
fn lockout_minutes(policy: &PasswordPolicy, lockouts: u32) -> u32 {
    let doublings = lockouts.saturating_sub(1).min(31);
    policy
        .lockout_minutes
        .saturating_mul(1u32 << doublings)
        .min(policy.lockout_max_minutes.max(policy.lockout_minutes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::pbkdf2_runs;
    use crate::{AgencyLevel, Rulebook};
    use time::macros::{date, datetime};

    /// 09:00 Beijing time on `day`.
    fn at(day: Date) -> OffsetDateTime {
        day.with_hms(9, 0, 0)
            .unwrap()
            .assume_offset(time::macros::offset!(+8))
    }

    const SALT: &[u8] = b"sixteen byte salt";

    fn agencies() -> Vec<Agency> {
        vec![Agency {
            id: "A-141002".into(),
            name: "尧都区核对中心".into(),
            level: AgencyLevel::County,
            region: "141002".parse().unwrap(),
        }]
    }

    fn request() -> AccountRequest {
        AccountRequest {
            account: "zhangsan".into(),
            name: "张三".into(),
            resident_id: "360426199101010071".parse().unwrap(),
            registration_number: "BA-2026-001".into(),
            registered_on: date!(2026 - 03 - 01),
            agency_id: "A-141002".into(),
            role: "operator".into(),
            confidentiality_signed_on: None,
        }
    }

    /// The rulebook's policy with the smallest iteration count a stored hash may have, so
    /// tests are fast.
    fn policy() -> PasswordPolicy {
        let mut p = Rulebook::default().password;
        p.pbkdf2_iterations = STORED_PBKDF2_ITERATIONS.min;
        p
    }

    fn active() -> OperatorAccount {
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        a.set_password(
            "Tj7#kq2m",
            SALT,
            date!(2026 - 03 - 01),
            &policy(),
            &SecurityRules::default(),
        )
        .unwrap();
        a.sign_confidentiality(date!(2026 - 03 - 01));
        a.activate(date!(2026 - 03 - 02)).unwrap();
        a
    }

    /// What registration, the agreement, the password and activation recorded reads back
    /// through the accessors.
    #[test]
    fn an_account_reads_back_what_was_recorded() {
        let pending = OperatorAccount::register(request(), &agencies()).unwrap();
        assert_eq!(pending.account(), "zhangsan");
        assert_eq!(pending.name(), "张三");
        assert_eq!(pending.resident_id().as_str(), "360426199101010071");
        assert_eq!(pending.registration_number(), "BA-2026-001");
        assert_eq!(pending.registered_on(), date!(2026 - 03 - 01));
        assert_eq!(pending.agency_id(), "A-141002");
        assert_eq!(pending.role(), "operator");
        assert_eq!(pending.confidentiality_signed_on(), None);
        assert_eq!(pending.activated_on(), None);
        assert_eq!(pending.password_set_on(), None);
        let a = active();
        assert_eq!(a.confidentiality_signed_on(), Some(date!(2026 - 03 - 01)));
        assert_eq!(a.activated_on(), Some(date!(2026 - 03 - 02)));
        assert_eq!(a.password_set_on(), Some(date!(2026 - 03 - 01)));
    }

    /// An activation written into JSON by hand counts only with the agreement signed on or
    /// before it and a password set (N §三 保密协议, 实名制).
    #[test]
    fn a_hand_written_activation_needs_the_agreement_first_and_a_password() {
        let doc = serde_json::to_value(active()).unwrap();
        let read = |doc: &serde_json::Value| -> OperatorAccount {
            serde_json::from_value(doc.clone()).unwrap()
        };
        assert_eq!(read(&doc).status(), AccountStatus::Active);
        let mut no_password = doc.clone();
        no_password.as_object_mut().unwrap().remove("passwords");
        assert_eq!(read(&no_password).status(), AccountStatus::Pending);
        let mut signed_later = doc.clone();
        signed_later["confidentiality_signed_on"] = serde_json::json!("2026-03-03");
        assert_eq!(read(&signed_later).status(), AccountStatus::Pending);
        let mut signed_same_day = doc;
        signed_same_day["confidentiality_signed_on"] = serde_json::json!("2026-03-02");
        assert_eq!(read(&signed_same_day).status(), AccountStatus::Active);
    }

    /// A salt may be as long as the rulebook's minimum and at most 1,024 bytes.
    #[test]
    fn salt_lengths_from_the_minimum_to_the_maximum() {
        let rules = SecurityRules::default();
        let min = usize::try_from(rules.min_salt_bytes).unwrap();
        for (len, ok) in [
            (min - 1, false),
            (min, true),
            (MAX_SALT_BYTES, true),
            (MAX_SALT_BYTES + 1, false),
        ] {
            let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
            let salt = vec![7u8; len];
            let set = a.set_password("Tj7#kq2m", &salt, date!(2026 - 03 - 01), &policy(), &rules);
            match set {
                Ok(()) => assert!(ok, "a salt of {len} bytes was taken"),
                Err(e) => {
                    assert!(!ok, "a salt of {len} bytes was refused: {e}");
                    assert_eq!(
                        e,
                        SecurityError::SaltLength {
                            min,
                            max: MAX_SALT_BYTES,
                            found: len
                        }
                    );
                }
            }
        }
    }

    /// An account can be activated from its registration day on, not the day before.
    #[test]
    fn activation_from_the_registration_day() {
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        a.sign_confidentiality(date!(2026 - 02 - 27));
        a.set_password(
            "Tj7#kq2m",
            SALT,
            date!(2026 - 02 - 27),
            &policy(),
            &SecurityRules::default(),
        )
        .unwrap();
        let e = a.activate(date!(2026 - 02 - 28)).unwrap_err();
        assert_eq!(e.code(), "security_not_registered");
        assert_eq!(a.activated_on(), None);
        a.activate(date!(2026 - 03 - 01)).unwrap();
        assert_eq!(a.activated_on(), Some(date!(2026 - 03 - 01)));
    }

    /// A new role takes effect at once.
    #[test]
    fn set_role_changes_the_role() {
        let mut a = active();
        a.set_role("reviewer");
        assert_eq!(a.role(), "reviewer");
    }

    /// Debug output (logs, panic messages) names the account, its agency, role and state and
    /// never the real name, the whole resident ID or a password hash.
    #[test]
    fn debug_names_the_account_and_hides_the_person() {
        let r = format!("{:?}", request());
        assert!(r.starts_with("AccountRequest {"), "{r}");
        for shown in ["zhangsan", "A-141002", "operator", "360426**********71"] {
            assert!(r.contains(shown), "{shown} in {r}");
        }
        let a = format!("{:?}", active());
        assert!(a.starts_with("OperatorAccount {"), "{a}");
        for shown in [
            "zhangsan",
            "A-141002",
            "operator",
            "Active",
            "360426**********71",
        ] {
            assert!(a.contains(shown), "{shown} in {a}");
        }
        for text in [&r, &a] {
            assert!(!text.contains("张三"), "{text}");
            assert!(!text.contains("360426199101010071"), "{text}");
        }
        let hash = serde_json::to_value(active()).unwrap()["passwords"][0]["hash"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!a.contains(&hash), "{a}");
    }

    /// An account's JSON leaves out a zero count of lock-outs and keeps any other.
    #[test]
    fn lockouts_are_written_only_when_there_were_some() {
        let doc = serde_json::to_value(active()).unwrap();
        assert!(doc.get("lockouts").is_none(), "{doc}");
        let mut locked = doc.clone();
        locked["lockouts"] = serde_json::json!(2);
        let a: OperatorAccount = serde_json::from_value(locked).unwrap();
        assert_eq!(a.lockouts(), 2);
        assert_eq!(serde_json::to_value(&a).unwrap()["lockouts"], 2);
    }

    /// Under the commercial-cryptography suite the stored hash is PBKDF2-HMAC-SM3 and names
    /// it; an account hashed under the international suite keeps logging in after the switch
    /// (the stored hash, not the rulebook, says how to check it).
    #[test]
    fn the_rulebook_suite_chooses_the_password_hash() {
        let shangmi = SecurityRules {
            crypto_suite: crate::rulebook::CryptoSuite::Shangmi,
            ..SecurityRules::default()
        };
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        a.set_password("Tj7#kq2m", SALT, date!(2026 - 03 - 01), &policy(), &shangmi)
            .unwrap();
        a.sign_confidentiality(date!(2026 - 03 - 01));
        a.activate(date!(2026 - 03 - 02)).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains("\"algorithm\":\"pbkdf2-hmac-sm3\""), "{json}");
        let t = at(date!(2026 - 03 - 10));
        a.login("Tj7#kq2m", t, &policy()).unwrap();
        assert_eq!(
            a.login("Tj7#kq2M", t, &policy()).unwrap_err().code(),
            "security_wrong_password"
        );
        // the international hash names no algorithm and still verifies
        let mut old = active();
        assert!(!serde_json::to_string(&old).unwrap().contains("algorithm"));
        old.login("Tj7#kq2m", t, &policy()).unwrap();
        // the two suites store different hashes of the same password and salt
        assert_ne!(a.passwords[0].hash_bytes(), old.passwords[0].hash_bytes());
    }

    /// R11: a login that cannot check a real hash runs a stand-in of the same suite, so under
    /// `shangmi` an unknown name or a hash with a broken count costs a PBKDF2-HMAC-SM3 run like
    /// a known one, never the cheaper or dearer SHA-256 one.
    #[test]
    fn the_stand_in_hash_follows_the_suite() {
        use super::super::password::{PasswordAlgorithm, last_algorithm};
        let p = policy();
        for (suite, algorithm) in [
            (CryptoSuite::Shangmi, PasswordAlgorithm::Pbkdf2HmacSm3),
            (
                CryptoSuite::International,
                PasswordAlgorithm::Pbkdf2HmacSha256,
            ),
        ] {
            let e = OperatorAccount::login_unknown_under("x", "y", &p, suite);
            assert_eq!(e.code(), "security_wrong_password");
            assert_eq!(last_algorithm(), algorithm, "{suite:?}");
        }
        OperatorAccount::login_unknown_under("x", "y", &p, CryptoSuite::Shangmi);
        OperatorAccount::login_unknown("x", "y", &p);
        assert_eq!(last_algorithm(), PasswordAlgorithm::Pbkdf2HmacSha256);

        // an SM3 account whose stored count is out of bounds: the stand-in is SM3 as well
        let shangmi = SecurityRules {
            crypto_suite: CryptoSuite::Shangmi,
            ..SecurityRules::default()
        };
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        a.set_password("Tj7#kq2m", SALT, date!(2026 - 03 - 01), &p, &shangmi)
            .unwrap();
        a.sign_confidentiality(date!(2026 - 03 - 01));
        a.activate(date!(2026 - 03 - 02)).unwrap();
        let mut broken = with_stored_iterations(&a, u32::MAX);
        OperatorAccount::login_unknown("x", "y", &p);
        let e = broken
            .login("Tj7#kq2m", at(date!(2026 - 03 - 10)), &p)
            .unwrap_err();
        assert_eq!(e.code(), "security_hash_iterations");
        assert_eq!(last_algorithm(), PasswordAlgorithm::Pbkdf2HmacSm3);
    }

    #[test]
    fn non_agency_body_is_refused() {
        let mut r = request();
        r.agency_id = "某街道办事处".into();
        let e = OperatorAccount::register(r, &agencies()).unwrap_err();
        assert_eq!(e.code(), "security_not_agency");
        assert_eq!(
            e.to_string(),
            "R11 security (N §三): `某街道办事处` is not a verification agency; the system is for verification agencies only"
        );
        let e = OperatorAccount::register(request(), &[]).unwrap_err();
        assert_eq!(e.code(), "security_not_agency");
    }

    #[test]
    fn real_name_and_registration_are_required() {
        for change in [
            |r: &mut AccountRequest| r.name = " ".into(),
            |r: &mut AccountRequest| r.registration_number = String::new(),
            |r: &mut AccountRequest| r.account = "张三".into(),
            |r: &mut AccountRequest| r.account = "ab".into(),
            |r: &mut AccountRequest| r.role = String::new(),
            |r: &mut AccountRequest| r.resident_id = "110105491231002".parse().unwrap(),
        ] {
            let mut r = request();
            change(&mut r);
            let e = OperatorAccount::register(r, &agencies()).unwrap_err();
            assert_eq!(e.code(), "security_not_registered", "{e}");
        }
    }

    #[test]
    fn unsigned_confidentiality_agreement_blocks_activation() {
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        a.set_password(
            "Tj7#kq2m",
            SALT,
            date!(2026 - 03 - 01),
            &policy(),
            &SecurityRules::default(),
        )
        .unwrap();
        let e = a.activate(date!(2026 - 03 - 02)).unwrap_err();
        assert_eq!(e.code(), "security_confidentiality_unsigned");
        assert!(e.to_string().contains("保密协议"), "{e}");
        assert_eq!(a.status(), AccountStatus::Pending);
        // signed only later than the activation date: still blocked
        a.sign_confidentiality(date!(2026 - 03 - 05));
        assert!(a.activate(date!(2026 - 03 - 02)).is_err());
        a.activate(date!(2026 - 03 - 05)).unwrap();
        assert_eq!(a.status(), AccountStatus::Active);

        // no password: blocked too
        let mut b = OperatorAccount::register(request(), &agencies()).unwrap();
        b.sign_confidentiality(date!(2026 - 03 - 01));
        assert_eq!(
            b.activate(date!(2026 - 03 - 02)).unwrap_err().code(),
            "security_password_not_set"
        );

        // activation written into JSON by hand does not hold without the agreement
        let mut v = serde_json::to_value(&a).unwrap();
        v.as_object_mut()
            .unwrap()
            .remove("confidentiality_signed_on");
        let mut forged: OperatorAccount = serde_json::from_value(v).unwrap();
        assert_eq!(forged.status(), AccountStatus::Pending);
        assert_eq!(
            forged
                .login("Tj7#kq2m", at(date!(2026 - 03 - 06)), &policy())
                .unwrap_err()
                .code(),
            "security_account_inactive"
        );
    }

    #[test]
    fn weak_password_is_refused_with_reason() {
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        let e = a
            .set_password(
                "P@ssw0rd",
                SALT,
                date!(2026 - 03 - 01),
                &policy(),
                &SecurityRules::default(),
            )
            .unwrap_err();
        assert_eq!(e.code(), "security_weak_password");
        assert_eq!(
            e.to_string(),
            "R11 security (N §三): password for account `zhangsan` is weak: is on the common-password list"
        );
        let SecurityError::WeakPassword { reasons, .. } = &e else {
            panic!()
        };
        assert_eq!(reasons, &[crate::security::WeakReason::Common]);
        for p in ["123456", "qwerty", "a123456", "woaini1314"] {
            let e = a
                .check_password(p, &policy(), &SecurityRules::default())
                .unwrap_err();
            assert!(e.to_string().contains("common-password list"), "{e}");
        }
        assert_eq!(
            a.set_password(
                "Tj7#kq2m",
                b"short",
                date!(2026 - 03 - 01),
                &policy(),
                &SecurityRules::default()
            )
            .unwrap_err()
            .code(),
            "security_salt_length"
        );
        assert!(a.password_set_on().is_none());
    }

    #[test]
    fn correct_password_verifies_and_wrong_locks_after_limit() {
        let mut a = active();
        let p = policy();
        let ok = a.login("Tj7#kq2m", at(date!(2026 - 03 - 10)), &p).unwrap();
        assert!(!ok.rotation_due);
        assert!(!ok.rehash_due);
        // hashed with 100,000 iterations, the rulebook default asks for 600,000
        let default = Rulebook::default().password;
        assert!(
            a.login("Tj7#kq2m", at(date!(2026 - 03 - 10)), &default)
                .unwrap()
                .rehash_due
        );
        let t0 = datetime!(2026-03-10 09:00 +8);
        for n in 1..5 {
            let e = a.login("Tj7#kq2M", t0, &p).unwrap_err();
            // the message and the error tell a guesser nothing about attempts left
            assert_eq!(
                e.to_string(),
                "R11 security (N §三): wrong password for account `zhangsan`"
            );
            assert_eq!(
                e,
                SecurityError::WrongPassword {
                    account: "zhangsan".into()
                }
            );
            assert_eq!(a.failed_logins(), n);
        }
        let e = a.login("wrong", t0, &p).unwrap_err();
        assert_eq!(e.code(), "security_account_locked");
        assert_eq!(
            e.to_string(),
            "R11 security (N §三): account `zhangsan` is locked after failed logins"
        );
        assert!(!e.to_string().contains('5'), "{e}");
        assert_eq!(a.status(), AccountStatus::Locked);
        // locked: even the right password is refused
        assert_eq!(
            a.login("Tj7#kq2m", t0, &p).unwrap_err().code(),
            "security_account_locked"
        );
        a.unlock();
        assert_eq!(a.status(), AccountStatus::Active);
        a.login("Tj7#kq2m", t0, &p).unwrap();
        // a success resets the count
        a.login("x", t0, &p).unwrap_err();
        a.login("Tj7#kq2m", t0, &p).unwrap();
        assert_eq!(a.failed_logins(), 0);
        // rotation due after 90 days
        assert!(
            a.login("Tj7#kq2m", at(date!(2026 - 05 - 30)), &p)
                .unwrap()
                .rotation_due
        );
    }

    /// Five wrong passwords at `t`: the account locks.
    fn lock_out(a: &mut OperatorAccount, t: OffsetDateTime, p: &PasswordPolicy) {
        for _ in 0..p.lockout_failures {
            a.login("wrong", t, p).unwrap_err();
        }
        assert_eq!(a.status(), AccountStatus::Locked);
    }

    #[test]
    fn a_lock_out_ends_by_itself_and_doubles_up_to_the_cap() {
        // GB/T 22239-2019 §8.1.4.1 b): lock automatically; a lock-out that never ended would
        // let anyone lock anyone out for good
        let mut a = active();
        let p = policy();
        assert_eq!((p.lockout_minutes, p.lockout_max_minutes), (30, 1440));
        let t0 = datetime!(2026-03-10 09:00 +8);
        lock_out(&mut a, t0, &p);
        assert_eq!(a.locked_until(), Some(datetime!(2026-03-10 01:30 UTC)));
        assert_eq!(a.lockouts(), 1);
        // one minute before the end: refused even with the right password, and not counted
        let e = a
            .login("Tj7#kq2m", datetime!(2026-03-10 09:29 +8), &p)
            .unwrap_err();
        assert_eq!(e.code(), "security_account_locked");
        a.login("wrong", datetime!(2026-03-10 09:29 +8), &p)
            .unwrap_err();
        assert_eq!(a.locked_until(), Some(datetime!(2026-03-10 01:30 UTC)));
        // at the end: the lock-out is lifted, and the count starts afresh
        let e = a
            .login("wrong", datetime!(2026-03-10 09:30 +8), &p)
            .unwrap_err();
        assert_eq!(e.code(), "security_wrong_password");
        assert_eq!(a.failed_logins(), 1);
        assert_eq!(a.status(), AccountStatus::Active);
        // a second lock-out without a success in between lasts twice as long
        let t1 = datetime!(2026-03-10 10:00 +8);
        lock_out(&mut a, t1, &p);
        assert_eq!(a.lockouts(), 2);
        assert_eq!(a.locked_until(), Some(t1 + Duration::minutes(60)));
        let mut t = t1 + Duration::minutes(60);
        let mut expected = [120, 240, 480, 960, 1440, 1440, 1440].into_iter();
        for minutes in expected.by_ref() {
            lock_out(&mut a, t, &p);
            assert_eq!(a.locked_until(), Some(t + Duration::minutes(minutes)));
            t += Duration::minutes(minutes);
        }
        assert_eq!(a.lockouts(), 9);
        // a success after the lock-out resets the back-off
        a.login("Tj7#kq2m", t, &p).unwrap();
        assert_eq!((a.lockouts(), a.failed_logins()), (0, 0));
        lock_out(&mut a, t, &p);
        assert_eq!(a.locked_until(), Some(t + Duration::minutes(30)));
        // the lock-out survives JSON, in UTC
        let json = serde_json::to_value(&a).unwrap();
        let until = (t + Duration::minutes(30)).to_offset(UtcOffset::UTC);
        assert_eq!(
            json["locked_until"],
            until
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap()
        );
        let mut back: OperatorAccount = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        assert_eq!(
            back.login("Tj7#kq2m", t, &p).unwrap_err().code(),
            "security_account_locked"
        );
        // an administrator can still unlock at once
        back.unlock();
        back.login("Tj7#kq2m", t, &p).unwrap();
        // the rulebook's own times are used
        let mut short = p.clone();
        short.lockout_minutes = 5;
        short.lockout_max_minutes = 30;
        let mut c = active();
        lock_out(&mut c, t0, &short);
        assert_eq!(c.locked_until(), Some(t0 + Duration::minutes(5)));
    }

    #[test]
    fn an_account_locked_before_lock_outs_ended_waits_for_an_administrator() {
        let mut v = serde_json::to_value(active()).unwrap();
        v["locked"] = true.into();
        let mut a: OperatorAccount = serde_json::from_value(v).unwrap();
        assert_eq!(a.status(), AccountStatus::Locked);
        let years_later = datetime!(2030-01-01 09:00 +8);
        assert_eq!(
            a.login("Tj7#kq2m", years_later, &policy())
                .unwrap_err()
                .code(),
            "security_account_locked"
        );
        a.unlock();
        a.login("Tj7#kq2m", years_later, &policy()).unwrap();
        assert_eq!(serde_json::to_value(&a).unwrap()["locked"], false);
    }

    /// PBKDF2 runs of one call.
    fn runs<T>(f: impl FnOnce() -> T) -> (u64, T) {
        let before = pbkdf2_runs();
        let out = f();
        (pbkdf2_runs() - before, out)
    }

    #[test]
    fn every_login_runs_exactly_one_derivation_whatever_the_state() {
        let p = policy();
        let t = datetime!(2026-03-10 09:00 +8);
        let code = |r: Result<Login, SecurityError>| r.map(|_| "ok").unwrap_or_else(|e| e.code());
        // active: right and wrong password
        let mut a = active();
        assert_eq!(runs(|| code(a.login("Tj7#kq2m", t, &p))), (1, "ok"));
        assert_eq!(
            runs(|| code(a.login("wrong", t, &p))),
            (1, "security_wrong_password")
        );
        // the failure that locks, and logins during the lock-out with either password
        let mut locked = active();
        for _ in 1..p.lockout_failures {
            locked.login("wrong", t, &p).unwrap_err();
        }
        assert_eq!(
            runs(|| code(locked.login("wrong", t, &p))),
            (1, "security_account_locked")
        );
        for password in ["Tj7#kq2m", "wrong"] {
            assert_eq!(
                runs(|| code(locked.login(password, t, &p))),
                (1, "security_account_locked")
            );
        }
        // pending with a password, and pending without one (the stand-in hash)
        let mut pending = OperatorAccount::register(request(), &agencies()).unwrap();
        assert_eq!(
            runs(|| code(pending.login("Tj7#kq2m", t, &p))),
            (1, "security_account_inactive")
        );
        pending
            .set_password("Tj7#kq2m", SALT, t.date(), &p, &SecurityRules::default())
            .unwrap();
        for password in ["Tj7#kq2m", "wrong"] {
            assert_eq!(
                runs(|| code(pending.login(password, t, &p))),
                (1, "security_account_inactive")
            );
        }
        // a stored count out of bounds: the stand-in hash, not the stored count
        let mut broken = with_stored_iterations(&active(), u32::MAX);
        assert_eq!(
            runs(|| code(broken.login("Tj7#kq2m", t, &p))),
            (1, "security_hash_iterations")
        );
        // unknown: the same work and the same answer as a wrong password
        let (n, e) = runs(|| OperatorAccount::login_unknown("zhangsan", "Tj7#kq2m", &p));
        assert_eq!(n, 1);
        assert_eq!(
            e,
            a.login("wrong", t, &p).unwrap_err(),
            "an unknown account answers like a wrong password"
        );
    }

    #[test]
    fn the_stand_in_hash_costs_the_policy_iterations() {
        // the stand-in derivation must cost what a real one costs: the rulebook's count,
        // brought within the bounds of a stored hash
        for (policy_count, run) in [
            (120_000, 120_000),
            (150_000, 150_000),
            (1, STORED_PBKDF2_ITERATIONS.min),
            (u32::MAX, 10_000_000),
        ] {
            let mut p = policy();
            p.pbkdf2_iterations = policy_count;
            if policy_count == u32::MAX {
                // do not run ten million iterations in a unit test: the clamp is what counts
                assert_eq!(
                    super::super::password::stand_in_iterations(policy_count),
                    run
                );
                continue;
            }
            OperatorAccount::login_unknown("x", "y", &p);
            assert_eq!(
                super::super::password::last_iterations(),
                run,
                "{policy_count}"
            );
        }
    }

    /// The default itself: the rulebook's password history is 5 *(practice)*, so the fifth
    /// password back is refused and the sixth may come back.
    #[test]
    fn default_history_refuses_the_last_five() {
        let p = policy();
        assert_eq!(p.history, Rulebook::default().password.history);
        assert_eq!(p.history, 5);
        let mut a = active();
        let rules = SecurityRules::default();
        let on = date!(2026 - 04 - 01);
        for (n, pw) in ["Second#2x", "Third#3xy", "Fourth#4z", "Fifth#5zq"]
            .into_iter()
            .enumerate()
        {
            let n = u8::try_from(n).unwrap();
            a.set_password(pw, &[n + 2; 16], on, &p, &rules).unwrap();
        }
        // five remembered: the first is the fifth back
        let e = a
            .set_password("Tj7#kq2m", &[9; 16], on, &p, &rules)
            .unwrap_err();
        let SecurityError::WeakPassword { reasons, .. } = e else {
            panic!()
        };
        assert_eq!(
            reasons,
            [crate::security::WeakReason::Reused { history: 5 }]
        );
        a.set_password("Sixth#6qa", &[6; 16], on, &p, &rules)
            .unwrap();
        assert_eq!(a.passwords.len(), 5);
        a.set_password("Tj7#kq2m", &[7; 16], on, &p, &rules)
            .unwrap();
    }

    #[test]
    fn history_refuses_the_last_n() {
        let mut a = active();
        let mut p = policy();
        p.history = 3;
        let rules = SecurityRules::default();
        let salt = |n: u8| [n; 16];
        let on = date!(2026 - 04 - 01);
        a.set_password("Second#2x", &salt(2), on, &p, &rules)
            .unwrap();
        a.set_password("Third#3xy", &salt(3), on, &p, &rules)
            .unwrap();
        for old in ["Tj7#kq2m", "Second#2x", "Third#3xy"] {
            let e = a.set_password(old, &salt(9), on, &p, &rules).unwrap_err();
            let SecurityError::WeakPassword { reasons, .. } = e else {
                panic!()
            };
            assert_eq!(
                reasons,
                [crate::security::WeakReason::Reused { history: 3 }]
            );
        }
        a.set_password("Fourth#4z", &salt(4), on, &p, &rules)
            .unwrap();
        // the first one has left the history of 3
        a.set_password("Tj7#kq2m", &salt(5), on, &p, &rules)
            .unwrap();
        assert_eq!(a.passwords.len(), 3);
        a.login("Tj7#kq2m", at(on), &p).unwrap();
        let json = serde_json::to_string(&a).unwrap();
        let mut back: OperatorAccount = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        back.login("Tj7#kq2m", at(on), &p).unwrap();
        assert!(back.login("Fourth#4z", at(on), &p).is_err());
    }

    /// The account as JSON with the current password's stored iteration count replaced.
    fn with_stored_iterations(a: &OperatorAccount, iterations: u32) -> OperatorAccount {
        let mut v = serde_json::to_value(a).unwrap();
        let passwords = v["passwords"].as_array_mut().unwrap();
        passwords.last_mut().unwrap()["iterations"] = iterations.into();
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_stored_hash_outside_the_iteration_bounds_is_refused_at_login() {
        let on = date!(2026 - 03 - 10);
        for iterations in [0, 1, 99_999, 10_000_001, u32::MAX] {
            let mut a = with_stored_iterations(&active(), iterations);
            // refused before any PBKDF2 run (u32::MAX iterations would not finish), and not
            // counted as a failed login
            let e = a.login("Tj7#kq2m", at(on), &policy()).unwrap_err();
            assert_eq!(e.code(), "security_hash_iterations", "{iterations}");
            assert_eq!(
                e.to_string(),
                format!(
                    "R11 security (N §三): password hash of account `zhangsan` has `{iterations}` \
                     pbkdf2 iterations, it must be between `100000` and `10000000` (practice: the \
                     floor of earlier rulebooks; NIST SP 800-132 §5.2: 10000000 for especially \
                     critical keys)"
                )
            );
            assert_eq!(a.failed_logins(), 0);
            assert_eq!(a.status(), AccountStatus::Active);
            // a new password replaces it: the bad hash is not compared for the history
            a.set_password(
                "Fresh#5kq",
                &[7; 16],
                on,
                &policy(),
                &SecurityRules::default(),
            )
            .unwrap();
            a.login("Fresh#5kq", at(on), &policy()).unwrap();
        }
        // at the floor (the tests' own policy): accepted, a wrong password is a failure
        let mut a = with_stored_iterations(&active(), STORED_PBKDF2_ITERATIONS.min);
        let e = a.login("wrong", at(on), &policy()).unwrap_err();
        assert_eq!(e.code(), "security_wrong_password");
    }

    #[test]
    fn a_policy_outside_the_iteration_bounds_sets_no_password() {
        let mut a = OperatorAccount::register(request(), &agencies()).unwrap();
        for iterations in [0, 1, 99_999, 10_000_001, u32::MAX] {
            let mut p = policy();
            p.pbkdf2_iterations = iterations;
            let e = a
                .set_password(
                    "Tj7#kq2m",
                    SALT,
                    date!(2026 - 03 - 01),
                    &p,
                    &SecurityRules::default(),
                )
                .unwrap_err();
            assert_eq!(e.code(), "security_hash_iterations", "{iterations}");
            assert!(e.to_string().contains(&format!("`{iterations}`")), "{e}");
        }
        assert!(a.password_set_on().is_none());
    }
}
