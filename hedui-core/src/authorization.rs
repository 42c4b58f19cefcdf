//! Authorization letters 核对授权书 and rule R1 先授权，后委托 (authorize before entrust).
//!
//! N §二(一): "委托单位没有收到核对对象授权的或者没有相关授权资料的，不能向核对机构提出委托核对。"
//! An entrustment can only be made from a [`CheckedAuthorization`], which only
//! [`Authorization::check`] produces.

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::add_months_clamped;
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::error::{AuthorizationDefect, AuthorizationError};
use crate::household::LapseKind;
use crate::household::{CivilCapacity, Household, Member, Person};
use crate::id::ResidentId;
use crate::rulebook::Rulebook;

/// One signature on an authorization letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Who signed.
    pub signer: Person,
    /// The member signed for, when a guardian signs for a member without full civil
    /// capacity; `None` when the signer signs for themself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<ResidentId>,
}

/// An event recorded against an authorization that makes it lapse from its date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LapseEvent {
    /// What happened.
    pub kind: LapseKind,
    /// When.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub on: Date,
}

/// An authorization letter 核对授权书 signed by the household (R1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
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
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    pub signed_on: Date,
    /// Recorded events that make the letter lapse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lapse_events: Vec<LapseEvent>,
    /// SHA-256 digest of the scanned signed letter kept in the archive.
    pub letter_digest: Sha256Digest,
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

    /// The signature defects of one co-resident member: one defect per problem (R1, N §二(一):
    /// every co-resident member signs, a member without full capacity through the guardian).
    /// A signature by the wrong person is reported as that (`signer_not_guardian`,
    /// `self_signature_without_capacity`, whose messages say who must sign), not also as a
    /// missing signature; `missing_signature` is for a member for whom nobody signed.
    fn member_signature_defects(&self, m: &Member, out: &mut Vec<AuthorizationDefect>) {
        let signed_for = self
            .signatures
            .iter()
            .any(|s| s.on_behalf_of.as_ref() == Some(&m.id));
        if m.capacity == CivilCapacity::Full {
            // someone signing for a capable member is `signer_not_guardian` (see `defects`)
            if !self.signed_in_person(&m.id) && !signed_for {
                out.push(AuthorizationDefect::MissingSignature {
                    member: m.id.masked(),
                });
            }
            return;
        }
        let self_signed = self.signed_in_person(&m.id);
        if self_signed {
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
        let mut by_other = false;
        for s in self
            .signatures
            .iter()
            .filter(|s| s.on_behalf_of.as_ref() == Some(&m.id))
        {
            if s.signer.id == guardian.id {
                by_guardian = true;
            } else {
                by_other = true;
                out.push(AuthorizationDefect::SignerNotGuardian {
                    member: m.id.masked(),
                    signer: s.signer.id.masked(),
                });
            }
        }
        if !by_guardian && !by_other && !self_signed {
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
