//! R11 (N §三 "严控各类人员数据处理权限"; 个人信息保护法 Arts 5–6): a report's personal data —
//! resident IDs, names, addresses and officers' names — is masked by its type for a role that
//! may not see it, wherever it stands: in the fields that hold it and in every free text (a
//! fact, an offline summary, the appeal reason, the header's texts), in the JSON view and in
//! the printed Markdown alike.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::report::{OfflineMethod, ReportOfflineResult};
use hedui_core::security::{MaskPolicy, Permissions, Visibility};
use hedui_core::{
    AppealLink, Case, DataCategory, Fact, Report, Rulebook, Sha256Digest, sample::sample_case,
    verify,
};
use proptest::prelude::*;
use time::macros::{date, datetime};

/// The good sample case at or after `start`, and its report.
fn sample(start: u64) -> (Case, Report) {
    let rb = Rulebook::default();
    let case = (start..)
        .map(|i| sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    let report = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap();
    (case, report)
}

/// The personal data of a report and its case, by kind.
struct Secrets {
    names: Vec<String>,
    whole_ids: Vec<String>,
    masked_ids: Vec<String>,
    addresses: Vec<String>,
    officers: Vec<String>,
}

const ADDRESS: &str = "山西省临汾市尧都区解放路12号3单元501室";
const INVESTIGATOR: &str = "郭建平";

fn secrets(case: &Case, report: &Report) -> Secrets {
    let mut addresses = vec![ADDRESS.to_owned()];
    for f in &report.findings {
        for fact in &f.facts {
            if let Fact::HouseholdRegistration {
                address: Some(a), ..
            }
            | Fact::RealEstate {
                location: Some(a), ..
            } = fact
            {
                addresses.push(a.clone());
            }
        }
    }
    let mut officers = vec![report.header.precheck_officer.clone()];
    for o in &report.offline_results {
        officers.extend(o.investigators.iter().cloned());
    }
    Secrets {
        names: report.members.iter().map(|m| m.name.clone()).collect(),
        whole_ids: case
            .household
            .members
            .iter()
            .map(|m| m.id.as_str().to_owned())
            .collect(),
        masked_ids: report.members.iter().map(|m| m.id_masked.clone()).collect(),
        addresses,
        officers,
    }
}

/// Writes the household's names and whole IDs, an address and an officer into the report's
/// free texts: a fact, an offline summary, the appeal reason and the limits of use.
fn sprinkle(report: &mut Report, s: &Secrets) {
    let (name, id) = (&s.names[0], &s.whole_ids[0]);
    let other = s.names.last().unwrap();
    // the report knows an address from the fact that gives it
    report.findings[0].facts.push(Fact::HouseholdRegistration {
        registered_members: None,
        address: Some(ADDRESS.to_owned()),
        relation_to_head: None,
        death_on: None,
    });
    report.findings[0].facts.push(Fact::Employment {
        employer: format!("{name}个体工商户（经营者身份证号{id}）"),
        contribution_base_fen: None,
    });
    report.offline_results.push(ReportOfflineResult {
        category: DataCategory::RealEstate,
        method: OfflineMethod::FieldVisit,
        on: date!(2026 - 11 - 20),
        investigators: vec![
            INVESTIGATOR.to_owned(),
            report.header.precheck_officer.clone(),
        ],
        members_present: vec![s.masked_ids[0].clone()],
        summary: format!(
            "入户查看{ADDRESS}，{name}（{id}）与{other}在场，{INVESTIGATOR}记录，{}",
            s.masked_ids[0]
        ),
        attachment_digests: vec![],
    });
    report.header.appeal = Some(AppealLink {
        disputed_report: "HD-PREVIOUS".into(),
        disputed_digest: Sha256Digest::of(b"previous"),
        reason: format!("申请人{name}称其身份证号{id}下的存款已用于{other}的医疗"),
    });
    report.limits_of_use = format!("{}（{name}）", report.limits_of_use);
}

/// Which kinds a role must not see whole, checked in `text`.
fn assert_unseen(view: &MaskPolicy, s: &Secrets, text: &str, what: &str) {
    let whole_ok = |v: Visibility| v == Visibility::Full;
    if !whole_ok(view.resident_ids) {
        for id in &s.whole_ids {
            assert!(!text.contains(id.as_str()), "{what}: whole ID {id}");
        }
    }
    if view.resident_ids == Visibility::Hidden {
        for id in &s.masked_ids {
            assert!(!text.contains(id.as_str()), "{what}: masked ID {id}");
        }
    }
    if !whole_ok(view.names) {
        for n in &s.names {
            assert!(!text.contains(n.as_str()), "{what}: name {n}");
        }
    }
    if !whole_ok(view.addresses()) {
        // a masked address keeps at most its first six characters (the region), which may
        // be a shorter address whole (`临汾市`): longer ones must not show
        for a in s.addresses.iter().filter(|a| a.chars().count() > 6) {
            assert!(!text.contains(a.as_str()), "{what}: address {a}");
        }
    }
    if !whole_ok(view.officers()) {
        for o in &s.officers {
            assert!(!text.contains(o.as_str()), "{what}: officer {o}");
        }
    }
}

const RESTRICTED: [&str; 5] = [
    "operator",
    "archivist",
    "security_admin",
    "auditor",
    "nobody",
];

/// The finding: a name or ID written into free text was shown to every role, since masking
/// looked at key names. Now no restricted role sees it, in JSON or in Markdown.
#[test]
fn names_and_ids_in_free_text_are_masked_for_a_role_that_may_not_see_them() {
    let (case, mut report) = sample(0);
    let s = secrets(&case, &report);
    sprinkle(&mut report, &s);
    let table = Permissions::default();

    // the old mechanism, by key names, left the free text as it was
    let archivist = table.view("archivist");
    let mut by_key = serde_json::to_value(&report).unwrap();
    archivist.apply(&mut by_key);
    let by_key = by_key.to_string();
    assert!(by_key.contains(s.whole_ids[0].as_str()) && by_key.contains(s.names[0].as_str()));

    for role in RESTRICTED {
        let view = table.view(role);
        let json = view.report_view(&report).unwrap().to_string();
        assert_unseen(&view, &s, &json, &format!("{role} JSON"));
        let markdown = view.render_markdown(&report);
        assert_unseen(&view, &s, &markdown, &format!("{role} Markdown"));
        let typed = serde_json::to_string(&view.mask_report(&report)).unwrap();
        assert_unseen(&view, &s, &typed, &format!("{role} report"));
    }

    // masked, not erased: the archivist reads the shape of what is there
    let view = archivist.mask_report(&report);
    let summary = &view.offline_results.last().unwrap().summary;
    let masked_id = &s.masked_ids[0];
    assert!(summary.contains(masked_id.as_str()), "{summary}");
    assert!(summary.starts_with("入户查看山西省临汾市*"), "{summary}");
    assert!(
        summary.contains(INVESTIGATOR),
        "officers whole for the archivist: {summary}"
    );
    let first = s.names[0].chars().next().unwrap();
    assert_eq!(view.members[0].name.chars().next(), Some(first));
    assert!(view.members[0].name.ends_with('*'));

    // hidden: `***` where a sentence cannot lose a word
    let auditor = table.view("auditor").mask_report(&report);
    assert_eq!(auditor.members[0].name, "***");
    assert_eq!(auditor.members[0].id_masked, "***");
    assert_eq!(auditor.header.precheck_officer, "***");
    assert!(
        auditor
            .header
            .appeal
            .unwrap()
            .reason
            .starts_with("申请人***称其身份证号***")
    );
}

/// A role that sees everything gets the report as it is; the operator sees names and
/// addresses but no whole ID, even in free text.
#[test]
fn the_reviewer_sees_all_and_the_operator_no_whole_id() {
    let (case, mut report) = sample(3);
    let s = secrets(&case, &report);
    sprinkle(&mut report, &s);
    let table = Permissions::default();
    let reviewer = table.view("reviewer");
    assert_eq!(reviewer.mask_report(&report), report);
    assert_eq!(
        reviewer.report_view(&report).unwrap(),
        serde_json::to_value(&report).unwrap()
    );
    assert_eq!(
        reviewer.render_markdown(&report),
        hedui_core::render_markdown(&report)
    );

    let operator = table.view("operator");
    let json = operator.report_view(&report).unwrap().to_string();
    assert!(json.contains(s.names[0].as_str()));
    assert!(json.contains(ADDRESS));
    assert!(!json.contains(s.whole_ids[0].as_str()));
    assert!(
        json.contains(
            &hedui_core::ResidentId::parse(&s.whole_ids[0])
                .unwrap()
                .masked()
        )
    );
}

/// Amounts follow the role's view in the printed report too: the archivist reads no figure.
#[test]
fn amounts_are_not_printed_for_a_role_that_may_not_see_them() {
    let (_, report) = sample(0);
    let total = hedui_core::yuan(report.aggregates.income.total_fen);
    let full = hedui_core::render_markdown(&report);
    assert!(full.contains(&format!("合计 {total} 元")));
    let archivist = Permissions::default().view("archivist");
    let masked = archivist.render_markdown(&report);
    assert!(!masked.contains(&format!("合计 {total} 元")));
    assert!(masked.contains("合计 *** 元"));
    let json = archivist.report_view(&report).unwrap();
    assert!(json["aggregates"]["income"].get("total_fen").is_none());
}

/// A permission table written before addresses and officers had their own view shows them
/// as it shows names.
#[test]
fn addresses_and_officers_follow_names_in_an_older_table() {
    let table: Permissions = serde_json::from_value(serde_json::json!({"roles": [{
        "role": "clerk", "actions": ["view_report"], "categories": [],
        "view": {"resident_ids": "masked", "names": "hidden", "amounts": "full"}}]}))
    .unwrap();
    let view = table.view("clerk");
    assert_eq!(view.addresses(), Visibility::Hidden);
    assert_eq!(view.officers(), Visibility::Hidden);
    let (case, mut report) = sample(5);
    let s = secrets(&case, &report);
    sprinkle(&mut report, &s);
    let json = view.report_view(&report).unwrap().to_string();
    assert_unseen(&view, &s, &json, "clerk JSON");
}

/// Where each secret goes in a generated report: one of its free texts.
fn put(report: &mut Report, slot: usize, text: &str) {
    match slot % 7 {
        0 => report.limits_of_use.push_str(text),
        1 => report.statement.push_str(text),
        2 => report.findings[0].facts.push(Fact::Income {
            item: text.to_owned(),
            income_type: hedui_core::IncomeType::TransferNet,
            paid_on: date!(2026 - 06 - 01),
            amount_fen: 100,
            exempt: false,
        }),
        3 => report.header.entrusting_unit.push_str(text),
        4 => match report.gaps.first_mut() {
            Some(g) => g.task.assigned_to.push_str(text),
            None => report.header.household_id.push_str(text),
        },
        5 => report.offline_results.push(ReportOfflineResult {
            category: DataCategory::Vehicles,
            method: OfflineMethod::NeighbourInterview,
            on: date!(2026 - 11 - 21),
            investigators: vec![INVESTIGATOR.to_owned()],
            members_present: vec![],
            summary: text.to_owned(),
            attachment_digests: vec![],
        }),
        _ => {
            report.header.appeal = Some(AppealLink {
                disputed_report: "HD-0".into(),
                disputed_digest: Sha256Digest::of(b"0"),
                reason: text.to_owned(),
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Generated reports with the household's names, whole IDs, an address and an officer
    /// written into random free texts, between random text, never show them to a role that
    /// may not see them, in JSON or in Markdown.
    #[test]
    fn sprinkled_personal_data_never_shows_to_a_restricted_role(
        start in 0u64..400,
        placements in proptest::collection::vec(
            (0usize..7, 0usize..4, "[a-zA-Z0-9 ，。：（）的在与\u{4e00}-\u{4e10}]{0,6}",
             "[a-zA-Z0-9 ，。：（）的在与\u{4e00}-\u{4e10}]{0,6}"),
            1..8,
        ),
        role in 0usize..RESTRICTED.len(),
    ) {
        let (case, mut report) = sample(start);
        let s = secrets(&case, &report);
        for (i, (slot, kind, before, after)) in placements.iter().enumerate() {
            let value = match kind {
                0 => s.names[i % s.names.len()].clone(),
                1 => s.whole_ids[i % s.whole_ids.len()].clone(),
                2 => ADDRESS.to_owned(),
                _ => s.officers[i % s.officers.len()].clone(),
            };
            put(&mut report, *slot, &format!("{before}{value}{after}"));
        }
        // the address and the investigator are the report's own once a fact and an offline
        // result carry them
        put(&mut report, 5, "");
        report.findings[0].facts.push(Fact::HouseholdRegistration {
            registered_members: None,
            address: Some(ADDRESS.to_owned()),
            relation_to_head: None,
            death_on: None,
        });
        let s = secrets(&case, &report);
        let view = Permissions::default().view(RESTRICTED[role]);
        let json = view.report_view(&report).unwrap().to_string();
        assert_unseen(&view, &s, &json, "JSON");
        assert_unseen(&view, &s, &view.render_markdown(&report), "Markdown");
    }
}
