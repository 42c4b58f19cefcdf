//! Authorization letters 核对授权书 and rule R1 先授权，后委托 (authorize before entrust).
//!
//! N §二(一): "委托单位没有收到核对对象授权的或者没有相关授权资料的，不能向核对机构提出委托核对。"
//! An entrustment can only be made from a [`CheckedAuthorization`], which only
//! [`Authorization::check`] produces.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::add_months_clamped;
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::error::catalog::{error_catalog, rules};
use crate::household::{CivilCapacity, Household, Member, Person};
use crate::id::ResidentId;
use crate::rulebook::Rulebook;

/// One signature on an authorization letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Who signed.
    pub signer: Person,
    /// The member signed for, when a guardian signs for a member without full civil
    /// capacity; `None` when the signer signs for themself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<ResidentId>,
}

/// What makes an authorization lapse (R1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LapseKind {
    /// 家庭成员变化: the household's membership changed.
    MembershipChange,
    /// 重新申请: the household applied again.
    Reapplication,
    /// 申请被拒: the application was refused.
    Refusal,
}

impl LapseKind {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            LapseKind::MembershipChange => "家庭成员变化",
            LapseKind::Reapplication => "重新申请",
            LapseKind::Refusal => "申请被拒",
        }
    }
}

/// An event recorded against an authorization that makes it lapse from its date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LapseEvent {
    /// What happened.
    pub kind: LapseKind,
    /// When.
    #[schemars(with = "crate::schema::IsoDate")]
    pub on: Date,
}

/// An authorization letter 核对授权书 signed by the household (R1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// Letter number.
    pub number: String,
    /// Household the letter covers.
    pub household_id: String,
    /// Signatures of members, guardians, supporters and supporters' spouses.
    pub signatures: Vec<Signature>,
    /// Authorized data categories (scope).
    pub categories: Vec<DataCategory>,
    /// Date of signing; effective from this day.
    #[schemars(with = "crate::schema::IsoDate")]
    pub signed_on: Date,
    /// Recorded events that make the letter lapse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lapse_events: Vec<LapseEvent>,
    /// SHA-256 digest of the scanned signed letter kept in the archive.
    pub letter_digest: Sha256Digest,
}

error_catalog! {
    /// R1 先授权，后委托: the authorization does not permit the verification.
    pub enum AuthorizationError in Authorization {
        /// The authorization check found defects; all of them are listed.
        Defective {
            /// The authorization number.
            number: String,
            /// Every defect found.
            defects: Vec<AuthorizationDefect>,
        }
            => "authorization_defective", 3000, Some(rules::R1),
            "R1 authorize-before-entrust: the authorization has defects",
            ("authorization `{number}` has {} defect(s): {}", defects.len(), join_defects(defects));
        /// There is no authorization letter on file.
        Missing {
            /// Household of the case.
            household: String,
        }
            => "authorization_missing", 3001, Some(rules::R1),
            "R1 authorize-before-entrust: no authorization letter on file",
            ("no authorization letter on file for household `{household}`");
        /// The authorization belongs to another household.
        WrongHousehold {
            /// The authorization number.
            number: String,
            /// Household of the case.
            expected: String,
            /// Household named by the authorization.
            found: String,
        }
            => "authorization_wrong_household", 3002, Some(rules::R1),
            "R1 authorize-before-entrust: the authorization is for another household",
            ("authorization `{number}` is for household `{found}`, not `{expected}`");
    }
}

fn join_defects(defects: &[AuthorizationDefect]) -> String {
    defects
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A defect found by [`Authorization::check`]. Every defect is reported, not only the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuthorizationDefect {
    /// The letter names another household.
    HouseholdMismatch {
        /// Household checked against.
        expected: String,
        /// Household on the letter.
        found: String,
    },
    /// The household has no single member marked as applicant.
    NoApplicant,
    /// The applicant lacks full civil capacity.
    ApplicantLacksCapacity {
        /// Masked resident ID.
        member: String,
    },
    /// A member recorded with full capacity is too young to have it (under 16).
    CapacityInconsistentWithAge {
        /// Masked resident ID.
        member: String,
        /// Age on the check date.
        age: u32,
    },
    /// A member without full capacity has no identified guardian.
    GuardianNotIdentified {
        /// Masked resident ID.
        member: String,
    },
    /// A co-resident member (or their guardian) has not signed.
    MissingSignature {
        /// Masked resident ID.
        member: String,
    },
    /// Someone signed for a member but is not that member's guardian, or signed for a member
    /// who has full capacity and must sign in person.
    SignerNotGuardian {
        /// Masked resident ID of the member.
        member: String,
        /// Masked resident ID of the signer.
        signer: String,
    },
    /// A member without full capacity signed for themself; the guardian must sign.
    SelfSignatureWithoutCapacity {
        /// Masked resident ID.
        member: String,
    },
    /// A signer who is neither a member, a guardian, a supporter nor a supporter's spouse.
    SignerUnknown {
        /// Masked resident ID.
        signer: String,
    },
    /// A legal supporter has not signed although the programme counts support.
    MissingSupporterSignature {
        /// Masked resident ID.
        supporter: String,
    },
    /// A married supporter's spouse has not signed.
    MissingSupporterSpouseSignature {
        /// Masked resident ID of the supporter.
        supporter: String,
        /// Masked resident ID of the spouse.
        spouse: String,
    },
    /// The letter is dated after the check date.
    NotYetSigned {
        /// Signing date.
        #[schemars(with = "crate::schema::IsoDate")]
        signed_on: Date,
    },
    /// A lapse event has occurred.
    Lapsed {
        /// The event.
        kind: LapseKind,
        /// Its date.
        #[schemars(with = "crate::schema::IsoDate")]
        on: Date,
    },
    /// Older than the rulebook's maximum age.
    Expired {
        /// Signing date.
        #[schemars(with = "crate::schema::IsoDate")]
        signed_on: Date,
        /// The rulebook's maximum age in months.
        max_age_months: u32,
    },
    /// A category the rulebook requires is not authorized.
    ScopeMissing {
        /// The category.
        category: DataCategory,
    },
}

impl AuthorizationDefect {
    /// Stable code of the defect.
    pub fn code(&self) -> &'static str {
        match self {
            AuthorizationDefect::HouseholdMismatch { .. } => "household_mismatch",
            AuthorizationDefect::NoApplicant => "no_applicant",
            AuthorizationDefect::ApplicantLacksCapacity { .. } => "applicant_lacks_capacity",
            AuthorizationDefect::CapacityInconsistentWithAge { .. } => {
                "capacity_inconsistent_with_age"
            }
            AuthorizationDefect::GuardianNotIdentified { .. } => "guardian_not_identified",
            AuthorizationDefect::MissingSignature { .. } => "missing_signature",
            AuthorizationDefect::SignerNotGuardian { .. } => "signer_not_guardian",
            AuthorizationDefect::SelfSignatureWithoutCapacity { .. } => {
                "self_signature_without_capacity"
            }
            AuthorizationDefect::SignerUnknown { .. } => "signer_unknown",
            AuthorizationDefect::MissingSupporterSignature { .. } => "missing_supporter_signature",
            AuthorizationDefect::MissingSupporterSpouseSignature { .. } => {
                "missing_supporter_spouse_signature"
            }
            AuthorizationDefect::NotYetSigned { .. } => "not_yet_signed",
            AuthorizationDefect::Lapsed { .. } => "lapsed",
            AuthorizationDefect::Expired { .. } => "expired",
            AuthorizationDefect::ScopeMissing { .. } => "scope_missing",
        }
    }
}

impl fmt::Display for AuthorizationDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthorizationDefect::HouseholdMismatch { expected, found } => {
                write!(f, "letter is for household `{found}`, not `{expected}`")
            }
            AuthorizationDefect::NoApplicant => f.write_str("household has no single applicant"),
            AuthorizationDefect::ApplicantLacksCapacity { member } => {
                write!(f, "applicant `{member}` lacks full civil capacity")
            }
            AuthorizationDefect::CapacityInconsistentWithAge { member, age } => {
                write!(
                    f,
                    "member `{member}` is recorded with full capacity at age {age}"
                )
            }
            AuthorizationDefect::GuardianNotIdentified { member } => {
                write!(
                    f,
                    "member `{member}` lacks full capacity and has no identified guardian"
                )
            }
            AuthorizationDefect::MissingSignature { member } => {
                write!(
                    f,
                    "member `{member}` has not signed, nor has a guardian for them"
                )
            }
            AuthorizationDefect::SignerNotGuardian { member, signer } => {
                write!(
                    f,
                    "`{signer}` signed for member `{member}` but is not their guardian"
                )
            }
            AuthorizationDefect::SelfSignatureWithoutCapacity { member } => {
                write!(
                    f,
                    "member `{member}` lacks full capacity and signed in person; the guardian must sign"
                )
            }
            AuthorizationDefect::SignerUnknown { signer } => {
                write!(
                    f,
                    "signer `{signer}` is not a member, guardian or supporter of the household"
                )
            }
            AuthorizationDefect::MissingSupporterSignature { supporter } => {
                write!(f, "legal supporter `{supporter}` has not signed")
            }
            AuthorizationDefect::MissingSupporterSpouseSignature { supporter, spouse } => {
                write!(
                    f,
                    "spouse `{spouse}` of legal supporter `{supporter}` has not signed"
                )
            }
            AuthorizationDefect::NotYetSigned { signed_on } => {
                write!(f, "letter is dated {signed_on}, after the check date")
            }
            AuthorizationDefect::Lapsed { kind, on } => {
                write!(f, "letter lapsed on {on}: {}", kind_en(*kind))
            }
            AuthorizationDefect::Expired {
                signed_on,
                max_age_months,
            } => {
                write!(
                    f,
                    "letter signed {signed_on} is older than {max_age_months} months"
                )
            }
            AuthorizationDefect::ScopeMissing { category } => {
                write!(f, "category `{category}` is not authorized")
            }
        }
    }
}

fn kind_en(kind: LapseKind) -> &'static str {
    match kind {
        LapseKind::MembershipChange => "membership changed",
        LapseKind::Reapplication => "household re-applied",
        LapseKind::Refusal => "application refused",
    }
}

/// Age from which a person may have full civil capacity (民法典 Art 18: 16 with own income).
const MIN_FULL_CAPACITY_AGE: u32 = 16;

impl Authorization {
    /// Every defect of this letter for `household` on date `on`; empty when valid.
    ///
    /// R1 (N §二(一) 先授权，后委托): every co-resident member signs, a member without full
    /// capacity through an identified guardian, the applicant has full capacity, supporters
    /// and their spouses sign where the programme counts support, the letter has not lapsed
    /// or expired, and it covers the rulebook's required scope.
    pub fn defects(
        &self,
        household: &Household,
        on: Date,
        rulebook: &Rulebook,
    ) -> Vec<AuthorizationDefect> {
        let mut out = Vec::new();
        if self.household_id != household.id {
            out.push(AuthorizationDefect::HouseholdMismatch {
                expected: household.id.clone(),
                found: self.household_id.clone(),
            });
        }
        match household.applicant() {
            None => out.push(AuthorizationDefect::NoApplicant),
            Some(a) if a.capacity != CivilCapacity::Full => {
                out.push(AuthorizationDefect::ApplicantLacksCapacity {
                    member: a.id.masked(),
                });
            }
            Some(_) => {}
        }
        for m in &household.members {
            let age = m.id.age_on(on);
            if m.capacity == CivilCapacity::Full && age < MIN_FULL_CAPACITY_AGE {
                out.push(AuthorizationDefect::CapacityInconsistentWithAge {
                    member: m.id.masked(),
                    age,
                });
            }
            if m.co_resident {
                self.member_signature_defects(m, &mut out);
            }
        }
        for s in &self.signatures {
            if s.on_behalf_of.is_none() && !is_known_signer(household, &s.signer.id) {
                out.push(AuthorizationDefect::SignerUnknown {
                    signer: s.signer.id.masked(),
                });
            }
            if let Some(target) = &s.on_behalf_of {
                match household.member(target) {
                    Some(m) if m.capacity == CivilCapacity::Full => {
                        out.push(AuthorizationDefect::SignerNotGuardian {
                            member: m.id.masked(),
                            signer: s.signer.id.masked(),
                        })
                    }
                    Some(_) => {} // checked per member above
                    None => out.push(AuthorizationDefect::SignerUnknown {
                        signer: s.signer.id.masked(),
                    }),
                }
            }
        }
        if rulebook
            .authorization
            .supporter_programmes
            .contains(&household.programme)
        {
            for sup in &household.supporters {
                if !self.signed_in_person(&sup.id) {
                    out.push(AuthorizationDefect::MissingSupporterSignature {
                        supporter: sup.id.masked(),
                    });
                }
                if let Some(sp) = &sup.spouse
                    && !self.signed_in_person(&sp.id)
                {
                    out.push(AuthorizationDefect::MissingSupporterSpouseSignature {
                        supporter: sup.id.masked(),
                        spouse: sp.id.masked(),
                    });
                }
            }
        }
        if self.signed_on > on {
            out.push(AuthorizationDefect::NotYetSigned {
                signed_on: self.signed_on,
            });
        }
        for ev in &self.lapse_events {
            if ev.on >= self.signed_on && ev.on <= on {
                out.push(AuthorizationDefect::Lapsed {
                    kind: ev.kind,
                    on: ev.on,
                });
            }
        }
        if let Some(max) = rulebook.authorization.max_age_months {
            let limit = i32::try_from(max)
                .ok()
                .and_then(|m| add_months_clamped(self.signed_on, m));
            if limit.is_none_or(|limit| on > limit) {
                out.push(AuthorizationDefect::Expired {
                    signed_on: self.signed_on,
                    max_age_months: max,
                });
            }
        }
        for &category in &rulebook.authorization.required_scope {
            if !self.categories.contains(&category) {
                out.push(AuthorizationDefect::ScopeMissing { category });
            }
        }
        out
    }

    fn member_signature_defects(&self, m: &Member, out: &mut Vec<AuthorizationDefect>) {
        if m.capacity == CivilCapacity::Full {
            if !self.signed_in_person(&m.id) {
                out.push(AuthorizationDefect::MissingSignature {
                    member: m.id.masked(),
                });
            }
            return;
        }
        if self.signed_in_person(&m.id) {
            out.push(AuthorizationDefect::SelfSignatureWithoutCapacity {
                member: m.id.masked(),
            });
        }
        let Some(guardian) = &m.guardian else {
            out.push(AuthorizationDefect::GuardianNotIdentified {
                member: m.id.masked(),
            });
            return;
        };
        let mut by_guardian = false;
        for s in self
            .signatures
            .iter()
            .filter(|s| s.on_behalf_of.as_ref() == Some(&m.id))
        {
            if s.signer.id == guardian.id {
                by_guardian = true;
            } else {
                out.push(AuthorizationDefect::SignerNotGuardian {
                    member: m.id.masked(),
                    signer: s.signer.id.masked(),
                });
            }
        }
        if !by_guardian {
            out.push(AuthorizationDefect::MissingSignature {
                member: m.id.masked(),
            });
        }
    }

    fn signed_in_person(&self, id: &ResidentId) -> bool {
        self.signatures
            .iter()
            .any(|s| s.on_behalf_of.is_none() && &s.signer.id == id)
    }

    /// Checks the letter (R1) and returns the proof that it permits an entrustment.
    ///
    /// # Errors
    /// [`AuthorizationError::Defective`] listing every defect found.
    ///
    /// ```
    /// # use hedui_core::*;
    /// # fn demo(auth: &Authorization, household: &Household) -> Result<(), Error> {
    /// let rulebook = Rulebook::default();
    /// let on = time::macros::date!(2026 - 03 - 02);
    /// let checked = auth.check(household, on, &rulebook)?; // only way to a CheckedAuthorization
    /// assert_eq!(checked.checked_on(), on);
    /// # Ok(()) }
    /// ```
    pub fn check<'a>(
        &'a self,
        household: &'a Household,
        on: Date,
        rulebook: &Rulebook,
    ) -> Result<CheckedAuthorization<'a>, AuthorizationError> {
        let defects = self.defects(household, on, rulebook);
        if defects.is_empty() {
            Ok(CheckedAuthorization {
                authorization: self,
                household,
                on,
            })
        } else {
            Err(AuthorizationError::Defective {
                number: self.number.clone(),
                defects,
            })
        }
    }
}

fn is_known_signer(household: &Household, id: &ResidentId) -> bool {
    household.has_member(id)
        || household
            .members
            .iter()
            .any(|m| m.guardian.as_ref().is_some_and(|g| &g.id == id))
        || household
            .supporters
            .iter()
            .any(|s| &s.id == id || s.spouse.as_ref().is_some_and(|sp| &sp.id == id))
}

/// Proof that an authorization passed the R1 check for a household on a date.
///
/// Only [`Authorization::check`] creates one; it is what an entrustment is issued from.
#[derive(Debug, Clone, Copy)]
pub struct CheckedAuthorization<'a> {
    authorization: &'a Authorization,
    household: &'a Household,
    on: Date,
}

impl<'a> CheckedAuthorization<'a> {
    /// The checked letter.
    pub fn authorization(&self) -> &'a Authorization {
        self.authorization
    }

    /// The household it was checked against.
    pub fn household(&self) -> &'a Household {
        self.household
    }

    /// The date of the check.
    pub fn checked_on(&self) -> Date {
        self.on
    }

    /// Whether `category` is authorized.
    pub fn covers(&self, category: DataCategory) -> bool {
        self.authorization.categories.contains(&category)
    }

    /// Whether the letter lets `member`'s data be queried (R1: no subject is checked without
    /// their own authorization). A co-resident member signed (the check made sure of it); a
    /// member who does not live with the household only if they signed too: in person with
    /// full civil capacity, or through their guardian.
    pub fn authorizes(&self, member: &Member) -> bool {
        if member.co_resident {
            return true;
        }
        if member.capacity == CivilCapacity::Full {
            return self.authorization.signed_in_person(&member.id);
        }
        member.guardian.as_ref().is_some_and(|g| {
            self.authorization
                .signatures
                .iter()
                .any(|s| s.on_behalf_of.as_ref() == Some(&member.id) && s.signer.id == g.id)
        })
    }
}
