//! Masking a report by the type of its personal data, wherever it stands (R11; 个人信息保护法
//! Arts 5–6 minimum scope, Art 28 sensitive data).
//!
//! N §三: "严控各类人员数据处理权限，持续提升对重要、核心数据和个人信息的保护力度". Masking by
//! JSON key names misses personal data written into free text: a member's name in an offline
//! summary, an ID in an appeal reason, an address in a fact. A report says itself what its
//! personal data is — its members' names and (masked) IDs, its officers (the pre-check officer,
//! the investigators), the addresses its facts give — so the mask takes those values from the
//! report and finds every occurrence of them in every text of the report, and masks every run
//! of 15 or more digits (an `X` right after it included: a first- or second-generation
//! resident ID) besides, wherever it stands: the report holds its members' IDs only masked,
//! so a whole ID in its text is found by its shape. A long number that is not an ID (an
//! account number, the digits of a credit code) is masked too, on the side of caution.
//!
//! Structured fields are masked by their type ([`PersonalKind`]); every other text of the
//! report is free text and masked by the values it contains. The walk over the report
//! destructures every part of it, so a field added to the report does not compile until it is
//! classed here.

use std::collections::BTreeMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::permission::{MaskPolicy, Visibility, is_masked_resident_id, mask_name};
use crate::entrustment::AppealLink;
use crate::error::VerificationError;
use crate::error::mask::{mask_run, replace_resident_id_runs};
use crate::fact::Fact;
use crate::id::ResidentId;
use crate::render::{Money, render_markdown_with};
use crate::report::{
    Aggregates, ExemptIncome, Finding, Gap, IncomeSummary, OfflineTask, Report, ReportHeader,
    ReportMember, ReportOfflineResult, StatusRecords,
};

/// What a hidden value becomes where it cannot be left out (a sentence, a printed cell).
const HIDDEN: &str = "***";

/// The kinds of personal data a report holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PersonalKind {
    /// A resident ID 居民身份证号码, whole or masked.
    ResidentId,
    /// A person's name (a household member).
    Name,
    /// An address (a registered address, a property's location).
    Address,
    /// An officer's name (the pre-check officer, an investigator).
    Officer,
}

impl MaskPolicy {
    /// What this role sees of `kind`.
    pub fn visibility(&self, kind: PersonalKind) -> Visibility {
        match kind {
            PersonalKind::ResidentId => self.resident_ids,
            PersonalKind::Name => self.names,
            PersonalKind::Address => self.addresses(),
            PersonalKind::Officer => self.officers(),
        }
    }

    /// The report as this role may see it: every resident ID, name, address and officer's
    /// name masked or hidden by the role's view, in the fields that hold them and in every
    /// free text of the report (facts, offline summaries, the appeal reason, the header's
    /// texts). A hidden value becomes `***`. Amounts are numbers in a report and stay as they
    /// are here: [`report_view`](Self::report_view) and
    /// [`render_markdown`](Self::render_markdown) mask them.
    ///
    /// Masking changes the content: the integrity block is kept as it was, so the view's
    /// digest no longer verifies. It is a view, not a report to archive.
    pub fn mask_report(&self, report: &Report) -> Report {
        let masker = Masker::new(self, report);
        let mut view = report.clone();
        masker.report(&mut view);
        view
    }

    /// The report's JSON as this role may see it: [`mask_report`](Self::mask_report), then
    /// amounts (`…_fen` values and amount differences) as `"***"` (masked) or left out
    /// (hidden).
    ///
    /// # Errors
    /// [`VerificationError::Unsealable`] when the report cannot be written as JSON (an
    /// instant whose UTC offset has seconds, a year outside 0–9999).
    pub fn report_view(&self, report: &Report) -> Result<Value, VerificationError> {
        let view = self.mask_report(report);
        let mut doc = serde_json::to_value(&view).map_err(|e| VerificationError::Unsealable {
            report: view.report_number.clone(),
            reason: e.to_string(),
        })?;
        self.mask_amounts(&mut doc);
        Ok(doc)
    }

    /// The report printed in Chinese Markdown as this role may see it:
    /// [`mask_report`](Self::mask_report), with amounts printed as `***` unless the role sees
    /// them whole.
    pub fn render_markdown(&self, report: &Report) -> String {
        render_markdown_with(
            &self.mask_report(report),
            Money {
                shown: self.amounts == Visibility::Full,
            },
        )
    }
}

/// An address as a masked view shows it: its first third, at most six characters (the
/// province or city, typically), the rest `*`.
fn mask_address(address: &str) -> String {
    let address = address.trim();
    let len = address.chars().count();
    let keep = (len / 3).min(6);
    address
        .chars()
        .enumerate()
        .map(|(i, c)| if i < keep { c } else { '*' })
        .collect()
}

/// The masks of one report for one role: the report's own personal values, each with what
/// the role sees of it, and a matcher that finds them in text.
struct Masker<'p> {
    policy: &'p MaskPolicy,
    /// Finds every known value the role may not see whole, longest first at each place;
    /// `None` when there is none.
    matcher: Option<AhoCorasick>,
    /// What each pattern of `matcher` becomes, by pattern index.
    replacements: Vec<String>,
    /// The matcher could not be built: every free text is hidden (fail closed).
    broken: bool,
}

impl<'p> Masker<'p> {
    fn new(policy: &'p MaskPolicy, report: &Report) -> Self {
        // every value the report names as personal data, with the strictest view it gets
        let mut known: BTreeMap<String, (Visibility, PersonalKind)> = BTreeMap::new();
        let mut add = |value: &str, kind: PersonalKind| {
            let value = value.trim();
            if value.is_empty() {
                return;
            }
            let seen = (policy.visibility(kind), kind);
            known
                .entry(value.to_owned())
                .and_modify(|v| {
                    if strictness(seen.0) > strictness(v.0) {
                        *v = seen;
                    }
                })
                .or_insert(seen);
        };
        for m in &report.members {
            add(&m.name, PersonalKind::Name);
            add(&m.id_masked, PersonalKind::ResidentId);
        }
        add(&report.header.precheck_officer, PersonalKind::Officer);
        for o in &report.offline_results {
            for i in &o.investigators {
                add(i, PersonalKind::Officer);
            }
        }
        for f in &report.findings {
            for fact in &f.facts {
                match fact {
                    Fact::HouseholdRegistration {
                        address: Some(a), ..
                    } => add(a, PersonalKind::Address),
                    Fact::RealEstate {
                        location: Some(l), ..
                    } => add(l, PersonalKind::Address),
                    _ => {}
                }
            }
        }
        let mut patterns = Vec::new();
        let mut replacements = Vec::new();
        for (value, (visibility, kind)) in known {
            let shown = match (visibility, kind) {
                (Visibility::Full, _) => continue,
                (Visibility::Hidden, _) => HIDDEN.to_owned(),
                // a masked ID is shown as masked already; a whole one is found as a run
                (Visibility::Masked, PersonalKind::ResidentId) => continue,
                (Visibility::Masked, PersonalKind::Name | PersonalKind::Officer) => {
                    mask_name(&value)
                }
                (Visibility::Masked, PersonalKind::Address) => mask_address(&value),
            };
            patterns.push(value);
            replacements.push(shown);
        }
        let (matcher, broken) = if patterns.is_empty() {
            (None, false)
        } else {
            match AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
            {
                Ok(m) => (Some(m), false),
                Err(_) => (None, true),
            }
        };
        Masker {
            policy,
            matcher,
            replacements,
            broken,
        }
    }

    /// Free text: every known value the role may not see whole, then every run shaped like a
    /// resident ID.
    fn text(&self, text: &str) -> String {
        if self.broken {
            return HIDDEN.to_owned();
        }
        let known = match &self.matcher {
            None => text.to_owned(),
            Some(matcher) => {
                let mut out = String::with_capacity(text.len());
                let replaced = matcher.try_replace_all_with(text, &mut out, |m, found, out| {
                    out.push_str(
                        self.replacements
                            .get(m.pattern().as_usize())
                            .map_or(found, String::as_str),
                    );
                    true
                });
                if replaced.is_err() {
                    return HIDDEN.to_owned();
                }
                out
            }
        };
        match self.policy.resident_ids {
            Visibility::Full => known,
            Visibility::Masked => replace_resident_id_runs(&known, mask_run).into_owned(),
            Visibility::Hidden => {
                replace_resident_id_runs(&known, |_| HIDDEN.to_owned()).into_owned()
            }
        }
    }

    fn text_in_place(&self, text: &mut String) {
        *text = self.text(text);
    }

    /// A field that holds one value of `kind`.
    fn field(&self, kind: PersonalKind, value: &str) -> String {
        match (self.policy.visibility(kind), kind) {
            (Visibility::Hidden, _) => HIDDEN.to_owned(),
            (Visibility::Full, _) => self.text(value),
            (Visibility::Masked, PersonalKind::Name | PersonalKind::Officer) => mask_name(value),
            (Visibility::Masked, PersonalKind::Address) => mask_address(value),
            (Visibility::Masked, PersonalKind::ResidentId) => match ResidentId::parse(value) {
                Ok(id) => id.masked(),
                Err(_) if is_masked_resident_id(value) => value.to_owned(),
                Err(_) => self.text(value),
            },
        }
    }

    fn field_in_place(&self, kind: PersonalKind, value: &mut String) {
        *value = self.field(kind, value);
    }

    fn ids_in_place(&self, ids: &mut [String]) {
        for id in ids {
            self.field_in_place(PersonalKind::ResidentId, id);
        }
    }

    fn report(&self, report: &mut Report) {
        let Report {
            report_number,
            header,
            members,
            findings,
            aggregates,
            sharing_gaps: _, // categories and levels only
            gaps,
            offline_results,
            source_wording: _, // positions, field names and the rulebook's phrases
            exempt_by_rule: _, // positions and the rules' sources
            check_start: _,    // dates and a number of working days
            limits_of_use,
            statement,
            integrity: _, // digests and a signature: kept, so the view does not verify
        } = report;
        self.text_in_place(report_number);
        self.header(header);
        for m in members {
            self.member(m);
        }
        // a member's findings share one masked ID: mask it once per distinct value
        let mut shared: Vec<(Arc<str>, Arc<str>)> = Vec::new();
        for f in findings {
            self.finding(f, &mut shared);
        }
        self.aggregates(aggregates);
        for g in gaps {
            self.gap(g);
        }
        for o in offline_results {
            self.offline_result(o);
        }
        self.text_in_place(limits_of_use);
        self.text_in_place(statement);
    }

    fn header(&self, header: &mut ReportHeader) {
        let ReportHeader {
            case_id,
            entrustment_number,
            authorization_number,
            batch,
            entrusting_unit,
            entrusting_unit_code: _, // a credit code, checked on reading
            agency_id,
            agency_name,
            agency_level: _,
            purpose: _,
            programme: _,
            household_id,
            income_window_from: _,
            income_window_to: _,
            queries_sent_at: _,
            precheck_officer,
            precheck_at: _,
            issued_at: _,
            appeal,
            relief_reference,
            rulebook_version,
        } = header;
        for t in [
            case_id,
            entrustment_number,
            authorization_number,
            entrusting_unit,
            agency_id,
            agency_name,
            household_id,
            rulebook_version,
        ] {
            self.text_in_place(t);
        }
        for t in [batch, relief_reference].into_iter().flatten() {
            self.text_in_place(t);
        }
        self.field_in_place(PersonalKind::Officer, precheck_officer);
        if let Some(AppealLink {
            disputed_report,
            disputed_digest: _,
            reason,
        }) = appeal
        {
            self.text_in_place(disputed_report);
            self.text_in_place(reason);
        }
    }

    fn member(&self, member: &mut ReportMember) {
        let ReportMember {
            id_masked,
            name,
            relation: _,
            age: _,
            sex: _,
            co_resident: _,
        } = member;
        self.field_in_place(PersonalKind::ResidentId, id_masked);
        self.field_in_place(PersonalKind::Name, name);
    }

    fn finding(&self, finding: &mut Finding, shared: &mut Vec<(Arc<str>, Arc<str>)>) {
        let Finding {
            category: _,
            member,
            status: _,
            level: _,
            deadline: _,
            deadline_estimated: _,
            responded_at: _,
            facts,
            channel: _,
        } = finding;
        let masked = match shared.iter().find(|(from, _)| from == member) {
            Some((_, to)) => to.clone(),
            None => {
                let to: Arc<str> = Arc::from(self.field(PersonalKind::ResidentId, member));
                shared.push((member.clone(), to.clone()));
                to
            }
        };
        *member = masked;
        for fact in facts {
            self.fact(fact);
        }
    }

    fn fact(&self, fact: &mut Fact) {
        match fact {
            Fact::HouseholdRegistration {
                registered_members: _,
                address,
                relation_to_head,
                death_on: _,
            } => {
                if let Some(a) = address {
                    self.field_in_place(PersonalKind::Address, a);
                }
                if let Some(r) = relation_to_head {
                    self.text_in_place(r);
                }
            }
            Fact::TaxPaid {
                tax,
                paid_on: _,
                amount_fen: _,
            } => self.text_in_place(tax),
            Fact::ProvidentFundWithdrawal {
                on: _,
                amount_fen: _,
                reason,
            } => {
                if let Some(r) = reason {
                    self.text_in_place(r);
                }
            }
            Fact::Vehicle {
                vehicle_type,
                commercial: _,
                registered_on: _,
                plate_masked,
            } => {
                self.text_in_place(vehicle_type);
                if let Some(p) = plate_masked {
                    self.text_in_place(p);
                }
            }
            Fact::Income {
                item,
                income_type: _,
                paid_on: _,
                amount_fen: _,
                exempt: _,
            } => self.text_in_place(item),
            Fact::Employment {
                employer,
                contribution_base_fen: _,
            } => self.text_in_place(employer),
            Fact::RealEstate {
                location,
                area_m2_x100: _,
                usage: _,
                acquired_on: _,
            } => {
                if let Some(l) = location {
                    self.field_in_place(PersonalKind::Address, l);
                }
            }
            Fact::Business {
                credit_code: _, // a credit code, checked on reading
                name,
                role: _,
                registered_capital_fen: _,
                status,
            } => {
                self.text_in_place(name);
                if let Some(s) = status {
                    self.text_in_place(s);
                }
            }
            Fact::ProvidentFund {
                balance_fen: _,
                monthly_contribution_fen: _,
            }
            | Fact::PropertyTransaction {
                event: _,
                on: _,
                price_fen: _,
            }
            | Fact::OrphanStatus { since: _, until: _ }
            | Fact::Imprisonment { since: _, until: _ }
            | Fact::MarriageEvent { event: _, on: _ }
            | Fact::Death { on: _ } => {}
            Fact::Deposit {
                institution,
                balance_fen: _,
                over_limit: _,
            }
            | Fact::Securities {
                institution,
                market_value_fen: _,
            } => self.text_in_place(institution),
            Fact::InsurancePolicy {
                insurer,
                product,
                cash_value_fen: _,
            } => {
                self.text_in_place(insurer);
                if let Some(p) = product {
                    self.text_in_place(p);
                }
            }
        }
    }

    fn aggregates(&self, aggregates: &mut Aggregates) {
        let Aggregates {
            financial_assets: _,
            real_estate: _,
            vehicles: _,
            businesses: _,
            income,
            status_records,
            differences: _,
        } = aggregates;
        let IncomeSummary {
            window_from: _,
            window_to: _,
            months: _,
            by_type: _,
            total_fen: _,
            members_counted: _,
            per_capita_monthly_fen: _,
            exempt,
            exempt_total_fen: _,
        } = income;
        for ExemptIncome {
            item,
            amount_fen: _,
        } in exempt
        {
            self.text_in_place(item);
        }
        let StatusRecords {
            imprisoned,
            deceased,
            public_payroll,
            orphans,
        } = status_records;
        for ids in [imprisoned, deceased, public_payroll, orphans] {
            self.ids_in_place(ids);
        }
    }

    fn gap(&self, gap: &mut Gap) {
        let Gap {
            category: _,
            reason: _,
            members,
            task,
            investigated: _,
        } = gap;
        self.ids_in_place(members);
        let OfflineTask {
            task_id,
            assigned_to,
            methods: _,
        } = task;
        self.text_in_place(task_id);
        self.text_in_place(assigned_to);
    }

    fn offline_result(&self, result: &mut ReportOfflineResult) {
        let ReportOfflineResult {
            category: _,
            method: _,
            on: _,
            investigators,
            members_present,
            summary,
            attachment_digests: _,
        } = result;
        for i in investigators {
            self.field_in_place(PersonalKind::Officer, i);
        }
        self.ids_in_place(members_present);
        self.text_in_place(summary);
    }
}

/// Hidden is stricter than masked, masked than full.
fn strictness(v: Visibility) -> u8 {
    match v {
        Visibility::Full => 0,
        Visibility::Masked => 1,
        Visibility::Hidden => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_keeps_its_first_third_at_most_six_characters() {
        assert_eq!(mask_address("临汾市某街道某小区"), "临汾市******");
        assert_eq!(
            mask_address("山西省临汾市尧都区解放路12号3单元501室"),
            "山西省临汾市****************"
        );
        assert_eq!(mask_address("临汾"), "**");
        assert_eq!(mask_address(""), "");
    }

    #[test]
    fn the_strictest_view_of_a_value_wins() {
        assert!(strictness(Visibility::Hidden) > strictness(Visibility::Masked));
        assert!(strictness(Visibility::Masked) > strictness(Visibility::Full));
        let view = MaskPolicy {
            resident_ids: Visibility::Masked,
            names: Visibility::Full,
            amounts: Visibility::Full,
            addresses: None,
            officers: Some(Visibility::Hidden),
        };
        assert_eq!(view.visibility(PersonalKind::Address), Visibility::Full);
        assert_eq!(view.visibility(PersonalKind::Officer), Visibility::Hidden);
        assert_eq!(
            view.visibility(PersonalKind::ResidentId),
            Visibility::Masked
        );
    }
}
