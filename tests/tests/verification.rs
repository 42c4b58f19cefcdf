//! Verification and report scenarios with hand-computed expectations (R3, R6, R7, R9).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::{
    appeal::*, batch::*, calendar::*, error::*, report::*, rulebook::*, sample::*, security::*, *,
};
use hedui_tests::fixture::{self, answer, applicant, child, spouse};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const ISSUED: OffsetDateTime = datetime!(2026-10-20 10:00 +08:00);

fn finding<'a>(r: &'a Report, c: DataCategory, m: &ResidentId) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.category == c && *f.member == *m.masked())
        .unwrap()
}

fn monthly(item: &str, t: IncomeType, from: Date, n: u32, amount: i64, exempt: bool) -> Vec<Fact> {
    (0..n)
        .map(|i| Fact::Income {
            item: item.into(),
            income_type: t,
            paid_on: add_months_clamped(from, i as i32).unwrap(),
            amount_fen: amount,
            exempt,
        })
        .collect()
}

use time::Date;

/// The spouse's pension, 1,000 yuan a month for the 12 months from 2025-09-15, answered by the
/// county's social insurance data at `at`.
fn spouse_pension(at: OffsetDateTime) -> QueryResponse {
    answer(
        DataCategory::SocialInsurance,
        AgencyLevel::County,
        spouse(),
        at,
        monthly(
            "基本养老金",
            IncomeType::TransferNet,
            date!(2025 - 09 - 15),
            12,
            100_000,
            false,
        ),
    )
}

#[test]
fn every_status_path() {
    let mut rb = Rulebook::default();
    // make tax unqueryable anywhere but "no means" at the own level
    rb.agreements
        .retain(|a| !(a.category == DataCategory::Tax && a.level != AgencyLevel::County));
    let mut case = fixture::case();
    // orphans outside the entrustment's scope
    case.entrustment
        .as_mut()
        .unwrap()
        .categories
        .retain(|c| *c != DataCategory::Orphans);
    case.responses = vec![
        answer(
            DataCategory::BankDeposits,
            AgencyLevel::Province,
            applicant(),
            datetime!(2026-10-09 11:00 +08:00),
            vec![Fact::Deposit {
                institution: "中国银行".into(),
                balance_fen: Some(1_234_567),
                over_limit: None,
            }],
        ),
        answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            datetime!(2026-09-25 15:00 +08:00),
            vec![],
        ),
        answer(
            DataCategory::SocialInsurance,
            AgencyLevel::County,
            applicant(),
            datetime!(2026-10-09 09:00 +08:00),
            vec![Fact::Employment {
                employer: "某公司".into(),
                contribution_base_fen: None,
            }],
        ),
    ];
    let r = verify(&case, &rb, ISSUED).unwrap();
    assert_eq!(
        finding(&r, DataCategory::BankDeposits, &applicant()).status,
        QueryStatus::Returned
    );
    assert_eq!(
        finding(&r, DataCategory::BankDeposits, &applicant()).level,
        Some(AgencyLevel::Province)
    );
    assert_eq!(
        finding(&r, DataCategory::Vehicles, &applicant()).status,
        QueryStatus::NoRecord
    );
    // social insurance: deadline Thu 8 Oct (National Day week skipped); answered 9 Oct = late,
    // the facts are kept but the category is a gap
    let si = finding(&r, DataCategory::SocialInsurance, &applicant());
    assert_eq!(si.status, QueryStatus::NoFeedbackInTime);
    assert_eq!(si.deadline, Some(date!(2026 - 10 - 08)));
    assert_eq!(si.facts.len(), 1);
    assert_eq!(
        finding(&r, DataCategory::Prisoners, &spouse()).status,
        QueryStatus::NotShared
    );
    assert_eq!(
        finding(&r, DataCategory::Tax, &child()).status,
        QueryStatus::NoMeans
    );
    assert_eq!(
        finding(&r, DataCategory::Orphans, &applicant()).status,
        QueryStatus::OutsideScope
    );
    // securities: 15 working days → deadline 21 Oct, not yet due on 20 Oct
    let sec = finding(&r, DataCategory::Securities, &applicant());
    assert_eq!(sec.status, QueryStatus::AwaitingFeedback);
    assert_eq!(sec.deadline, Some(date!(2026 - 10 - 21)));
    // household registration (3 working days across the Mid-Autumn holiday) → 29 Sep, missed
    let hr = finding(&r, DataCategory::HouseholdRegistration, &spouse());
    assert_eq!(hr.deadline, Some(date!(2026 - 09 - 29)));
    assert_eq!(hr.status, QueryStatus::NoFeedbackInTime);
    // bank deposits: 10 working days counting Saturday 10 Oct (调休) → 14 Oct
    assert_eq!(
        finding(&r, DataCategory::BankDeposits, &applicant()).deadline,
        Some(date!(2026 - 10 - 14))
    );

    let gap = |c| r.gaps.iter().find(|g| g.category == c);
    assert_eq!(
        gap(DataCategory::Prisoners).unwrap().reason,
        GapReason::NotShared
    );
    assert_eq!(gap(DataCategory::Tax).unwrap().reason, GapReason::NoMeans);
    assert_eq!(
        gap(DataCategory::Securities).unwrap().reason,
        GapReason::AwaitingFeedback
    );
    assert_eq!(
        gap(DataCategory::SocialInsurance).unwrap().reason,
        GapReason::NoFeedbackInTime
    );
    assert!(
        gap(DataCategory::Orphans).is_none(),
        "out-of-scope categories are never investigated"
    );
    // the vehicles answer came for the applicant only: the others are gaps
    assert_eq!(
        gap(DataCategory::Vehicles).unwrap().members,
        vec![spouse().masked(), child().masked()]
    );
    assert!(r.verify_digest());
}

#[test]
fn upper_level_supplement_and_sharing_gaps() {
    let case = fixture::case();
    let r = verify(&case, &Rulebook::default(), ISSUED).unwrap();
    let gaps: Vec<_> = r
        .sharing_gaps
        .iter()
        .map(|g| (g.category, g.upper_level))
        .collect();
    assert_eq!(
        gaps,
        vec![
            (DataCategory::Vehicles, AgencyLevel::City),
            (DataCategory::Tax, AgencyLevel::City),
            (DataCategory::BankDeposits, AgencyLevel::Province),
            (DataCategory::Securities, AgencyLevel::Ministry),
            (DataCategory::CommercialInsurance, AgencyLevel::Ministry),
        ]
    );
    // shared at the own level: asked there, not upstairs
    assert_eq!(
        finding(&r, DataCategory::RealEstate, &applicant()).level,
        Some(AgencyLevel::County)
    );
}

#[test]
fn answers_outside_the_plan_or_agreement_are_rejected() {
    let rb = Rulebook::default();
    let at = datetime!(2026-09-24 10:00 +08:00);
    let try_one = |resp: QueryResponse| {
        let mut c = fixture::case();
        c.responses = vec![resp];
        verify(&c, &rb, ISSUED).unwrap_err().code()
    };
    let plate = Fact::Vehicle {
        vehicle_type: "小型轿车".into(),
        commercial: false,
        registered_on: None,
        plate_masked: Some("晋L***12".into()),
    };
    assert_eq!(
        try_one(answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            at,
            vec![plate]
        )),
        "field_outside_agreement"
    );
    let deposit = Fact::Deposit {
        institution: "x".into(),
        balance_fen: Some(1),
        over_limit: None,
    };
    assert_eq!(
        try_one(answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            at,
            vec![deposit]
        )),
        "fact_kind_mismatch"
    );
    // vehicles are planned at the city level; a county answer was never asked for
    assert_eq!(
        try_one(answer(
            DataCategory::Vehicles,
            AgencyLevel::County,
            applicant(),
            at,
            vec![]
        )),
        "response_unplanned"
    );
    let stranger = fixture::id("14100219800101001");
    assert_eq!(
        try_one(answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            stranger,
            at,
            vec![]
        )),
        "response_unknown_subject"
    );
    let early = datetime!(2026-09-23 08:00 +08:00);
    assert_eq!(
        try_one(answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            early,
            vec![]
        )),
        "chronology"
    );
    let mut c = fixture::case();
    c.responses = vec![
        answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            at,
            vec![],
        ),
        answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            applicant(),
            at,
            vec![],
        ),
    ];
    assert_eq!(
        verify(&c, &rb, ISSUED).unwrap_err().code(),
        "response_duplicate"
    );
    // an answer for a category outside the entrustment's scope
    let mut c = fixture::case();
    c.entrustment
        .as_mut()
        .unwrap()
        .categories
        .retain(|x| *x != DataCategory::Vehicles);
    c.responses = vec![answer(
        DataCategory::Vehicles,
        AgencyLevel::City,
        applicant(),
        at,
        vec![],
    )];
    assert_eq!(
        verify(&c, &rb, ISSUED).unwrap_err().code(),
        "response_unplanned"
    );
}

#[test]
fn offline_tasks_go_to_the_entrusting_unit() {
    let rb = Rulebook::default();
    let mut c = fixture::case();
    let r = verify(&c, &rb, ISSUED).unwrap();
    let prisoners = r
        .gaps
        .iter()
        .find(|g| g.category == DataCategory::Prisoners)
        .unwrap();
    assert_eq!(prisoners.task.assigned_to, "尧都区某街道办事处");
    assert_eq!(
        prisoners.task.methods,
        vec![
            OfflineMethod::LetterEvidence,
            OfflineMethod::NeighbourInterview
        ]
    );
    assert!(!prisoners.investigated);
    let real_estate = r
        .gaps
        .iter()
        .find(|g| g.category == DataCategory::RealEstate)
        .unwrap();
    assert!(
        real_estate
            .task
            .methods
            .contains(&OfflineMethod::FieldVisit)
    );

    c.offline_results = vec![visit(
        &[("OP-1", "钱一"), ("OP-2", "孙二")],
        vec![applicant()],
    )];
    let r = verify(&c, &rb, ISSUED).unwrap();
    assert!(
        r.gaps
            .iter()
            .find(|g| g.category == DataCategory::RealEstate)
            .unwrap()
            .investigated
    );
    assert_eq!(
        r.offline_results[0].members_present,
        vec![applicant().masked()]
    );
    assert_eq!(r.offline_results[0].investigators, vec!["钱一", "孙二"]);
    // R3 只核对，不认定: the report copies the summary, so a summary that concludes on
    // eligibility is refused rather than carried into the agency's report
    for summary in ["经入户调查，该户不符合低保条件", "Household NOT ELIGIBLE"] {
        let mut v = visit(&[("OP-1", "钱一"), ("OP-2", "孙二")], vec![applicant()]);
        v.summary = summary.into();
        c.offline_results = vec![v];
        let e = verify(&c, &rb, ISSUED).unwrap_err();
        assert_eq!(e.code(), "verdict_in_text", "{summary}");
        assert!(e.to_string().contains("R3"), "{e}");
        assert!(e.to_string().contains("offline_results[0].summary"), "{e}");
    }
}

/// A field visit (real estate, 2026-09-28, in the fixture's verification) by `investigators`
/// (operator id, name) with `present` present, each of whom signed.
fn visit(investigators: &[(&str, &str)], present: Vec<ResidentId>) -> OfflineResult {
    OfflineResult {
        category: DataCategory::RealEstate,
        method: OfflineMethod::FieldVisit,
        on: date!(2026 - 09 - 28),
        investigators: investigators
            .iter()
            .map(|(id, name)| Investigator {
                operator_id: (*id).into(),
                name: (*name).into(),
            })
            .collect(),
        signatures: present.clone(),
        members_present: present,
        summary: "入户查看".into(),
        attachment_digests: vec![Sha256Digest::of(b"photo")],
    }
}

/// R7, 最低生活保障审核确认办法 Art 16: a field visit is made by two investigators — two
/// operators, whatever their names — and its record is signed by the members present; it is
/// dated within the verification. Each defect is refused with its own code; two investigators
/// who share a name but not an operator id are two people.
#[test]
fn field_visits_as_the_rules_define_them() {
    let rb = Rulebook::default();
    let mut c = fixture::case();
    let two = [("OP-1", "钱一"), ("OP-2", "孙二")];
    let code = |c: &Case| verify(c, &rb, ISSUED).unwrap_err().code();

    c.offline_results = vec![visit(&[("OP-1", "钱一")], vec![applicant()])];
    assert_eq!(code(&c), "field_visit_understaffed");
    // the same person twice is one investigator, by operator id
    c.offline_results = vec![visit(
        &[("OP-1", "钱一"), ("OP-1", "钱一")],
        vec![applicant()],
    )];
    assert_eq!(code(&c), "field_visit_same_investigator");
    c.offline_results = vec![visit(
        &[("OP-1", "钱一"), (" OP-1 ", "钱二")],
        vec![applicant()],
    )];
    assert_eq!(code(&c), "field_visit_same_investigator");
    c.offline_results = vec![visit(
        &[("OP-1", "钱一"), ("  ", "孙二")],
        vec![applicant()],
    )];
    assert_eq!(code(&c), "field_visit_investigator_unidentified");
    // two people who share a name are two investigators
    c.offline_results = vec![visit(
        &[("OP-1", "王伟"), ("OP-2", "王伟")],
        vec![applicant()],
    )];
    assert!(verify(&c, &rb, ISSUED).is_ok());

    c.offline_results = vec![visit(&two, vec![])];
    assert_eq!(code(&c), "field_visit_no_member_present");
    let mut v = visit(&two, vec![applicant(), spouse()]);
    v.signatures = vec![applicant()];
    c.offline_results = vec![v];
    let e = verify(&c, &rb, ISSUED).unwrap_err();
    assert_eq!(e.code(), "field_visit_signature_missing");
    assert!(e.to_string().contains(&spouse().masked()), "{e}");
    let mut v = visit(&two, vec![applicant()]);
    v.signatures = vec![applicant(), spouse()];
    c.offline_results = vec![v];
    assert_eq!(code(&c), "field_visit_signer_absent");

    // the window runs from the entrustment's issue date to the report's issue date
    let issued_on = fixture::entrustment().issued_on;
    for (on, ok) in [
        (issued_on.previous_day().unwrap(), false),
        (issued_on, true),
        (ISSUED.date(), true),
        (ISSUED.date().next_day().unwrap(), false),
    ] {
        let mut v = visit(&two, vec![applicant()]);
        v.on = on;
        c.offline_results = vec![v];
        match verify(&c, &rb, ISSUED) {
            Ok(_) => assert!(ok, "{on}"),
            Err(e) => {
                assert!(!ok, "{on}: {e}");
                assert_eq!(e.code(), "field_visit_outside_window");
            }
        }
    }
    // every defect names the rule and the clause
    c.offline_results = vec![visit(&two, vec![])];
    let e = verify(&c, &rb, ISSUED).unwrap_err();
    assert!(e.to_string().starts_with("R7 "), "{e}");
    assert!(e.to_string().contains("Art 16"), "{e}");
    // a letter is not a visit: one investigator and no signature are enough
    let mut v = visit(&[("OP-1", "钱一")], vec![]);
    v.method = OfflineMethod::LetterEvidence;
    c.offline_results = vec![v];
    assert!(verify(&c, &rb, ISSUED).is_ok());
}

/// R3 reads the rulebook's phrase list: a local phrase added to it refuses a summary the
/// default list lets through, and the refusal names the field.
#[test]
fn verdict_phrases_come_from_the_rulebook() {
    let mut rb = Rulebook::default();
    let mut c = fixture::case();
    c.offline_results = vec![OfflineResult {
        category: DataCategory::RealEstate,
        method: OfflineMethod::LetterEvidence,
        on: date!(2026 - 09 - 28),
        investigators: vec![Investigator {
            operator_id: "OP-1".into(),
            name: "钱一".into(),
        }],
        members_present: vec![],
        signatures: vec![],
        summary: "住房情况够条件".into(),
        attachment_digests: vec![],
    }];
    assert!(verify(&c, &rb, ISSUED).is_ok());
    rb.wording.verdict_phrases.push("够条件".into());
    let e = verify(&c, &rb, ISSUED).unwrap_err();
    assert_eq!(e.code(), "verdict_in_text");
    assert!(
        e.to_string().contains("`offline_results[0].summary`"),
        "{e}"
    );
    assert!(e.to_string().contains("够条件"), "{e}");

    // a list that would switch R3 off, a blank phrase or one in capitals is refused
    for phrases in [vec![], vec!["  ".to_owned()], vec!["ELIGIBLE".to_owned()]] {
        let mut bad = Rulebook::default();
        bad.wording.verdict_phrases = phrases.clone();
        let e = bad.validate().unwrap_err();
        assert_eq!(e.code(), "input_rulebook", "{phrases:?}");
        assert!(e.to_string().contains("wording.verdict_phrases"), "{e}");
    }
    assert!(Rulebook::default().validate().is_ok());
}

/// R3 on a department's own words: an income item named after an assistance standard is
/// data, not the report's conclusion. The report is still issued (R7), the fact keeps the
/// text as sent, `source_wording` names it, and the rendering prints it quoted as the
/// department's words; texts without such wording are not listed.
#[test]
fn department_wording_is_quoted_not_refused() {
    let rb = Rulebook::default();
    let mut c = fixture::case();
    let at = datetime!(2026-10-05 09:00 +08:00);
    c.responses = vec![answer(
        DataCategory::SocialInsurance,
        AgencyLevel::County,
        spouse(),
        at,
        vec![
            Fact::Income {
                item: "基本养老金".into(),
                income_type: IncomeType::TransferNet,
                paid_on: date!(2026 - 03 - 15),
                amount_fen: 100_000,
                exempt: false,
            },
            Fact::Income {
                item: "低保标准以下补助金额".into(),
                income_type: IncomeType::TransferNet,
                paid_on: date!(2026 - 03 - 15),
                amount_fen: 20_000,
                exempt: false,
            },
        ],
    )];
    let r = verify(&c, &rb, ISSUED).unwrap();
    assert_eq!(r.source_wording.len(), 1, "{:?}", r.source_wording);
    let w = &r.source_wording[0];
    let f = &r.findings[w.finding as usize];
    assert_eq!(
        (f.category, &*f.member),
        (DataCategory::SocialInsurance, spouse().masked().as_str())
    );
    assert_eq!(
        (w.fact, w.field.as_str(), w.phrase.as_str()),
        (1, "item", "低保标准")
    );
    let md = render_markdown(&r);
    assert!(md.contains("部门原文：“低保标准以下补助金额”"), "{md}");
    assert!(md.contains("（含部门原文，见表后说明）"), "{md}");
    assert!(!md.contains("部门原文：“基本养老金”"), "{md}");
    // the sealed report round-trips with its list
    let json = serde_json::to_string(&r).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back.source_wording, r.source_wording);

    // a report without such wording has no list and prints no note
    c.responses = vec![spouse_pension(at)];
    let r = verify(&c, &rb, ISSUED).unwrap();
    assert!(r.source_wording.is_empty());
    assert!(!render_markdown(&r).contains("部门原文"));
    assert!(
        !serde_json::to_string(&r)
            .unwrap()
            .contains("source_wording")
    );
}

/// Income exempt by its kind is exempt whatever the feed's flag says: a disability subsidy sent
/// with `exempt: false` and a 优待抚恤金 in social insurance data are counted apart, the report
/// lists each override with its rule, and the Markdown names the item once; a feed's own
/// `exempt: true` and counted income of other kinds are left as sent.
#[test]
fn income_exempt_by_kind_whatever_the_feed_says() {
    let mut rb = Rulebook::default();
    let mut c = fixture::case();
    let at = datetime!(2026-10-05 09:00 +08:00);
    let from = date!(2025 - 09 - 15);
    let subsidy = monthly("生活补贴", IncomeType::TransferNet, from, 3, 8_000, false);
    let mut insurance = monthly(
        "基本养老金",
        IncomeType::TransferNet,
        from,
        2,
        100_000,
        false,
    );
    insurance.extend(monthly(
        "优待抚恤金",
        IncomeType::TransferNet,
        from,
        1,
        50_000,
        false,
    ));
    insurance.extend(monthly(
        "高龄津贴",
        IncomeType::TransferNet,
        from,
        1,
        10_000,
        true,
    ));
    c.responses = vec![
        answer(
            DataCategory::DisabilitySubsidies,
            AgencyLevel::County,
            applicant(),
            at,
            subsidy,
        ),
        answer(
            DataCategory::SocialInsurance,
            AgencyLevel::County,
            spouse(),
            at,
            insurance,
        ),
    ];
    let r = verify(&c, &rb, ISSUED).unwrap();
    let inc = &r.aggregates.income;
    // counted: the pension only; exempt: 3 x 80 + 500 + 100 yuan
    assert_eq!(inc.total_fen, 200_000);
    assert_eq!(inc.exempt_total_fen, 3 * 8_000 + 50_000 + 10_000);
    assert_eq!(r.exempt_by_rule.len(), 4, "{:?}", r.exempt_by_rule);
    let subsidies = finding(&r, DataCategory::DisabilitySubsidies, &applicant());
    assert!(
        subsidies
            .facts
            .iter()
            .all(|f| matches!(f, Fact::Income { exempt: true, .. }))
    );
    let category = |e: &ExemptByRule| r.findings[e.finding as usize].category;
    let (by_category, by_item): (Vec<_>, Vec<_>) = r
        .exempt_by_rule
        .iter()
        .partition(|e| category(e) == DataCategory::DisabilitySubsidies);
    assert_eq!(by_category.len(), 3);
    assert!(by_category.iter().all(|e| e.source == "国发〔2015〕52号"));
    let pension = finding(&r, DataCategory::SocialInsurance, &spouse());
    assert!(matches!(
        &pension.facts[0],
        Fact::Income { exempt: false, .. }
    ));
    assert_eq!(by_item.len(), 1);
    assert_eq!(by_item[0].fact, 2);
    assert!(
        by_item[0].source.contains("最低生活保障审核确认办法"),
        "{:?}",
        by_item[0]
    );
    let md = render_markdown(&r);
    assert_eq!(md.matches("按规定不计入的项目：").count(), 2, "{md}");
    assert!(md.contains("生活补贴（依据：国发〔2015〕52号）"), "{md}");
    assert!(
        md.contains("优待抚恤金（依据：最低生活保障审核确认办法"),
        "{md}"
    );

    // the list is the rulebook's: without it the feed's flags stand
    rb.exempt_income.categories.clear();
    rb.exempt_income.items.clear();
    let r = verify(&c, &rb, ISSUED).unwrap();
    assert!(r.exempt_by_rule.is_empty());
    assert_eq!(r.aggregates.income.exempt_total_fen, 10_000);
    assert!(
        !serde_json::to_string(&r)
            .unwrap()
            .contains("exempt_by_rule")
    );
    rb.exempt_income.items.push(ExemptItem {
        name: " ".into(),
        source: "x".into(),
    });
    assert_eq!(rb.validate().unwrap_err().code(), "input_rulebook");
}

#[test]
fn aggregates_match_hand_computation() {
    let rb = Rulebook::default();
    let mut c = fixture::case();
    // window: the 12 months before September 2026 = 2025-09-01 .. 2026-08-31
    let sep25 = date!(2025 - 09 - 15);
    let mut wages = monthly("工资薪金", IncomeType::Wages, sep25, 12, 300_000, false);
    wages.push(Fact::Income {
        item: "工资薪金".into(),
        income_type: IncomeType::Wages,
        paid_on: date!(2026 - 09 - 15),
        amount_fen: 300_000,
        exempt: false,
    });
    let at = datetime!(2026-09-24 10:00 +08:00);
    c.responses = vec![
        answer(DataCategory::Tax, AgencyLevel::City, applicant(), at, wages),
        spouse_pension(at),
        answer(
            DataCategory::DisabilitySubsidies,
            AgencyLevel::County,
            child(),
            at,
            monthly(
                "困难残疾人生活补贴",
                IncomeType::TransferNet,
                sep25,
                12,
                8_000,
                true,
            ),
        ),
        answer(
            DataCategory::BankDeposits,
            AgencyLevel::Province,
            applicant(),
            at,
            vec![Fact::Deposit {
                institution: "农行".into(),
                balance_fen: Some(1_000_000),
                over_limit: None,
            }],
        ),
        answer(
            DataCategory::BankDeposits,
            AgencyLevel::Province,
            spouse(),
            at,
            vec![Fact::Deposit {
                institution: "邮储".into(),
                balance_fen: None,
                over_limit: Some(true),
            }],
        ),
        answer(
            DataCategory::Securities,
            AgencyLevel::Ministry,
            applicant(),
            at,
            vec![Fact::Securities {
                institution: "某证券".into(),
                market_value_fen: 500_000,
            }],
        ),
        answer(
            DataCategory::RealEstate,
            AgencyLevel::County,
            applicant(),
            at,
            vec![Fact::RealEstate {
                location: None,
                area_m2_x100: 8_550,
                usage: PropertyUsage::Residential,
                acquired_on: None,
            }],
        ),
        answer(
            DataCategory::Vehicles,
            AgencyLevel::City,
            spouse(),
            at,
            vec![Fact::Vehicle {
                vehicle_type: "货车".into(),
                commercial: true,
                registered_on: None,
                plate_masked: None,
            }],
        ),
    ];
    c.declaration = Some(Declaration {
        financial_assets_fen: Some(1_000_000),
        income_fen: Some(4_000_000),
        real_estate_count: Some(1),
        vehicle_count: None,
    });
    let r = verify(&c, &rb, ISSUED).unwrap();
    let a = &r.aggregates;
    assert_eq!(a.income.window_from, date!(2025 - 09 - 01));
    assert_eq!(a.income.window_to, date!(2026 - 08 - 31));
    assert_eq!(
        a.income.by_type[0].amount_fen, 3_600_000,
        "12 wage payments in the window, the 13th is outside"
    );
    assert_eq!(a.income.by_type[3].amount_fen, 1_200_000);
    assert_eq!(a.income.total_fen, 4_800_000);
    assert_eq!(a.income.members_counted, 3);
    // 4,800,000 / 3 / 12 = 133,333.33 → 133,333 fen
    assert_eq!(a.income.per_capita_monthly_fen, 133_333);
    assert_eq!(a.income.exempt_total_fen, 96_000);
    assert_eq!(a.income.exempt[0].item, "困难残疾人生活补贴");
    assert_eq!(a.financial_assets.deposits_fen, 1_000_000);
    assert_eq!(a.financial_assets.deposits_over_limit, 1);
    assert_eq!(a.financial_assets.total_fen, 1_500_000);
    assert_eq!(a.real_estate.count, 1);
    assert_eq!(a.real_estate.total_area_m2_x100, 8_550);
    assert_eq!(a.vehicles.count, 1);
    assert_eq!(a.vehicles.commercial, 1);
    let diff: Vec<_> = a
        .differences
        .iter()
        .map(|d| (d.item, d.difference))
        .collect();
    assert_eq!(
        diff,
        vec![
            (DeclaredItem::FinancialAssetsFen, 500_000),
            (DeclaredItem::IncomeFen, 800_000),
            (DeclaredItem::RealEstateCount, 0)
        ]
    );
    let md = render_markdown(&r);
    assert!(md.contains("月人均 1333.33 元"), "{md}");
    // declared vs found prints yuan under labels that say yuan
    assert!(
        md.contains("| 金融资产（元） | 10000.00 | 15000.00 | 5000.00 |"),
        "{md}"
    );
    assert!(md.contains("| 核对期内收入（元） | 40000.00 | 48000.00 | 8000.00 |"));
    assert!(md.contains("| 不动产（处） | 1 | 1 | 0 |"));
    assert!(!md.contains("（分）"));
    // the words of the report: header labels, each member's relation and sex, each finding's
    // category, status and answering level (the labels are asserted as printed, not through
    // the functions that make them)
    assert!(
        md.contains("| 核对机构 | 尧都区居民家庭经济状况核对中心（县级） |"),
        "{md}"
    );
    assert!(md.contains("| 核对事由 | 新申请核对 |"), "{md}");
    assert!(md.contains("| 救助项目 | 最低生活保障 |"), "{md}");
    let rows: Vec<Vec<&str>> = md
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    let row = |first: &str, second: Option<&str>| {
        rows.iter()
            .find(|r| r[1] == first && second.is_none_or(|s| r[2] == s))
            .unwrap_or_else(|| panic!("no row {first} {second:?} in\n{md}"))
    };
    let applicant_row = row("王建国", None);
    assert_eq!(
        (applicant_row[3], applicant_row[5], applicant_row[6]),
        ("申请人", "男", "是")
    );
    let spouse_row = row("李秀英", None);
    assert_eq!((spouse_row[3], spouse_row[5]), ("配偶", "女"));
    assert_eq!(row("王小明", None)[3], "子女");
    let masked = |id: ResidentId| id.masked();
    for (category, member, level) in [
        ("证券、理财", masked(applicant()), "部级"),
        ("银行存款", masked(spouse()), "省级"),
        ("税务", masked(applicant()), "市级"),
        ("不动产", masked(applicant()), "县级"),
    ] {
        let r = row(category, Some(&member));
        assert_eq!((r[3], r[4]), ("已反馈", level), "{category}");
    }
    // every time in the header reads on the Beijing wall clock as `YYYY-MM-DD HH:MM`
    let precheck = md
        .lines()
        .find(|l| l.starts_with("| 核对前检查 |"))
        .unwrap();
    let at = precheck.rsplit('，').next().unwrap().trim_end_matches(" |");
    assert_eq!(at.len(), "2026-10-04 09:02".len(), "{precheck}");
    assert!(
        time::PrimitiveDateTime::parse(
            at,
            time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]")
        )
        .is_ok(),
        "{precheck}"
    );
}

fn leaves(v: &serde_json::Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn at_path<'a>(v: &'a mut serde_json::Value, path: &[String]) -> &'a mut serde_json::Value {
    path.iter().fold(v, |v, k| match v {
        serde_json::Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        other => &mut other[k.as_str()],
    })
}

#[test]
fn digest_fails_after_any_change() {
    let mut c = fixture::case();
    c.responses = vec![answer(
        DataCategory::BankDeposits,
        AgencyLevel::Province,
        applicant(),
        datetime!(2026-09-24 10:00 +08:00),
        vec![Fact::Deposit {
            institution: "中国银行".into(),
            balance_fen: Some(10),
            over_limit: None,
        }],
    )];
    let report = verify(&c, &Rulebook::default(), ISSUED).unwrap();
    assert!(report.verify_digest());
    let json = serde_json::to_value(&report).unwrap();
    let mut paths = Vec::new();
    leaves(&json, &mut Vec::new(), &mut paths);
    let mut checked = 0;
    for p in paths
        .iter()
        .filter(|p| p.first().map(String::as_str) != Some("integrity"))
    {
        let mut changed = json.clone();
        let slot = at_path(&mut changed, p);
        *slot = match slot.clone() {
            serde_json::Value::String(s) if s.ends_with("+08:00") => {
                serde_json::Value::String(s.replace("+08:00", "+09:00"))
            }
            serde_json::Value::String(s) => serde_json::Value::String(format!("{s}X")),
            serde_json::Value::Number(n) => serde_json::json!(n.as_i64().unwrap_or(0) + 1),
            serde_json::Value::Bool(b) => serde_json::Value::Bool(!b),
            other => other,
        };
        // a change that no longer parses is rejected anyway; every parsed change must fail
        if let Ok(r) = serde_json::from_value::<Report>(changed) {
            assert!(!r.verify_digest(), "change at {p:?} went unnoticed");
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} changes were checked");
    // and the digest itself
    let mut r = report.clone();
    r.integrity.as_mut().unwrap().digest = Sha256Digest::of(b"other");
    assert!(!r.verify_digest());
    let mut r = report;
    r.integrity = None;
    assert!(!r.verify_digest());
}

#[test]
fn seal_into_equals_serde_output() {
    let rb = Rulebook::default();
    for i in 0..50 {
        let s = sample_case(11, i, &rb);
        let Ok(mut report) = assemble(&s.case, &rb, ISSUED) else {
            continue;
        };
        let mut line = Vec::new();
        report.seal_into(&mut line).unwrap();
        assert_eq!(
            String::from_utf8(line).unwrap(),
            serde_json::to_string(&report).unwrap()
        );
        assert!(report.verify_digest());
    }
}

/// The report path for bindings (`verify_chunk_reports`) gives, line for line, what the
/// JSON path (`verify_chunk`) writes, and checks the bytes of every line itself.
#[test]
fn chunk_reports_equal_the_json_lines() {
    let rb = Rulebook::default();
    let mut lines: Vec<String> = (0..40)
        .map(|i| serde_json::to_string(&sample_case(5, i, &rb).case).unwrap())
        .collect();
    lines.insert(3, "   ".to_owned());
    lines.insert(7, "{not json".to_owned());
    for parallel in [false, true] {
        let opts = BatchOptions {
            rulebook: &rb,
            issued_at: ISSUED,
            render: false,
            parallel,
        };
        let json = verify_chunk(&lines, 10, &opts);
        let reports = verify_chunk_reports(&lines, 10, &opts);
        assert_eq!(json.len(), reports.len());
        assert_eq!(json.len(), lines.len() - 1, "the blank line gives no entry");
        for ((n, a), (m, b)) in json.iter().zip(&reports) {
            assert_eq!(n, m);
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.json, serde_json::to_vec(b).unwrap());
                    assert!(b.verify_digest());
                }
                (Err(a), Err(b)) => assert_eq!(a, b),
                _ => panic!("line {n}: the two paths disagree"),
            }
        }
    }
    // bytes that are not UTF-8 are rejected at their position; the other lines go on
    let good = lines[0].as_bytes().to_vec();
    let raw: Vec<Vec<u8>> = vec![good.clone(), b"\xff{}".to_vec(), Vec::new(), good];
    let opts = BatchOptions {
        rulebook: &rb,
        issued_at: ISSUED,
        render: false,
        parallel: false,
    };
    let out = verify_chunk_reports(&raw, 1, &opts);
    let positions: Vec<(u64, Option<&str>)> = out
        .iter()
        .map(|(n, r)| (*n, r.as_ref().err().map(|e| e.code.as_str())))
        .collect();
    assert_eq!(positions, [(1, None), (2, Some("input_utf8")), (4, None)]);
}

#[test]
fn appeal_becomes_a_linked_recheck_round() {
    let rb = Rulebook::default();
    let case1 = fixture::case();
    let mut report1 = verify(&case1, &rb, ISSUED).unwrap();
    // reports taken as evidence are signed by the agency's key (security.signed_evidence)
    let signer = ReportSigner::from_seed("agency-2026", &[3u8; 32]).unwrap();
    let mut keyring = ReportKeyring::default();
    keyring.add(signer.trusted_key()).unwrap();
    let trust = EvidenceTrust::new(&rb.security, &keyring);
    signer.sign_report(&mut report1).unwrap();
    let request = RecheckRequest::file(
        &report1,
        "申请人称存款已用于医疗支出",
        date!(2026 - 10 - 22),
        &trust,
    )
    .unwrap();
    assert_eq!(
        request.disputed_digest,
        report1.integrity.as_ref().unwrap().digest
    );

    // the new round: entrustment issued from a checked authorization with purpose appeal recheck
    let household = fixture::household();
    let auth = fixture::authorization();
    let checked = auth.check(&household, date!(2026 - 10 - 22), &rb).unwrap();
    let req = request.entrustment_request(
        "WT-FIX-2".into(),
        fixture::unit(),
        "HD141002".into(),
        DataCategory::ALL.to_vec(),
        Sha256Digest::of(b"letter 2"),
    );
    let entrustment2 = Entrustment::issue(&checked, req).unwrap();
    assert_eq!(entrustment2.purpose, Purpose::AppealRecheck);
    let mut case2 = fixture::case();
    case2.case_id = "C-FIX-2".into();
    case2.entrustment = Some(entrustment2);
    let mut pc = fixture::precheck();
    pc.entrustment_number = "WT-FIX-2".into();
    pc.checked_at = datetime!(2026-10-23 08:30 +08:00);
    case2.precheck = Some(pc);
    case2.queries_sent_at = datetime!(2026-10-23 09:00 +08:00);
    let mut report2 = verify(&case2, &rb, datetime!(2026-11-20 10:00 +08:00)).unwrap();
    signer.sign_report(&mut report2).unwrap();
    assert_eq!(
        report2.header.appeal.as_ref().unwrap().disputed_report,
        report1.report_number
    );
    assert!(render_markdown(&report2).contains("申诉复核"));

    let mut history = ReportHistory::new("H-FIX-1");
    // an appeal round cannot be recorded before the report it disputes
    assert_eq!(
        history.record(&report2, &trust).unwrap_err().code(),
        "appeal_link"
    );
    history.record(&report1, &trust).unwrap();
    history.record(&report2, &trust).unwrap();
    let chain: Vec<_> = history
        .chain(&report2.report_number)
        .iter()
        .map(|r| r.report_number.clone())
        .collect();
    assert_eq!(
        chain,
        vec![report1.report_number.clone(), report2.report_number.clone()]
    );
    assert_eq!(
        history.record(&report1, &trust).unwrap_err().code(),
        "appeal_link",
        "no double recording"
    );

    // a changed report cannot be disputed, and an appeal recheck needs a disputed report
    let mut tampered = report1.clone();
    tampered.aggregates.financial_assets.total_fen += 1;
    assert!(RecheckRequest::file(&tampered, "x", date!(2026 - 10 - 22), &trust).is_err());
    assert!(RecheckRequest::file(&report1, "  ", date!(2026 - 10 - 22), &trust).is_err());
    let mut e = fixture::entrustment();
    e.purpose = Purpose::AppealRecheck;
    let mut c = fixture::case();
    c.entrustment = Some(e);
    assert_eq!(
        verify(&c, &rb, ISSUED).unwrap_err().code(),
        "entrustment_purpose_invalid"
    );
}

/// R3 on the appeal reason: the header of an appeal round carries the reason the assistance
/// department gave, so a reason that concludes on eligibility is refused with its own code
/// (the department can state the disputed facts instead, as it must for offline summaries);
/// a reason stating facts is carried as given and rendered.
#[test]
fn an_appeal_reason_that_concludes_is_refused() {
    let rb = Rulebook::default();
    let appeal_case = |reason: &str| {
        let mut e = fixture::entrustment();
        e.purpose = Purpose::AppealRecheck;
        e.appeal = Some(AppealLink {
            disputed_report: "HD20261001-WT-FIX-0".into(),
            disputed_digest: Sha256Digest::of(b"disputed"),
            reason: reason.into(),
        });
        let mut c = fixture::case();
        c.entrustment = Some(e);
        c
    };
    for reason in ["申请人认为本户符合条件", "the household is ELIGIBLE"] {
        let e = verify(&appeal_case(reason), &rb, ISSUED).unwrap_err();
        assert_eq!(e.code(), "verdict_in_appeal_reason", "{reason}");
        assert!(e.to_string().starts_with("R3 "), "{e}");
        assert!(e.to_string().contains("appeal.reason"), "{e}");
    }
    let r = verify(&appeal_case("申请人称存款已用于医疗支出"), &rb, ISSUED).unwrap();
    assert_eq!(
        r.header.appeal.as_ref().unwrap().reason,
        "申请人称存款已用于医疗支出"
    );
    assert!(render_markdown(&r).contains("申请人称存款已用于医疗支出"));
}

#[test]
fn no_output_states_a_verdict() {
    let rb = Rulebook::default();
    let mut seen = 0;
    for i in 0..300 {
        let s = sample_case(5, i, &rb);
        let Ok(report) = verify(&s.case, &rb, ISSUED) else {
            continue;
        };
        seen += 1;
        let full = render_markdown(&report);
        assert!(full.contains(NOT_A_DETERMINATION));
        let md = full.replace(NOT_A_DETERMINATION, "");
        let json = serde_json::to_string(&report)
            .unwrap()
            .replace(NOT_A_DETERMINATION, "");
        for w in VERDICT_PHRASES {
            assert!(!md.contains(w), "rendered report {i} contains `{w}`");
            assert!(
                !json.to_lowercase().contains(w),
                "report json {i} contains `{w}`"
            );
        }
    }
    assert!(seen > 250);
    // the schema has no field (or enum value) for a verdict, a threshold or a benefit
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(hedui_tests::schemas::dir().join("report.schema.json")).unwrap(),
    )
    .unwrap();
    let mut names = Vec::new();
    field_names(&schema, &mut names);
    assert!(names.len() > 50);
    for bad in [
        "eligib",
        "verdict",
        "threshold",
        "benefit",
        "standard",
        "qualif",
        "determin",
        "approv",
    ] {
        assert!(
            !names.iter().any(|k| k.to_lowercase().contains(bad)),
            "report schema has a `{bad}` field"
        );
    }
}

fn field_names(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            if let Some(serde_json::Value::Array(vals)) = m.get("enum") {
                out.extend(vals.iter().filter_map(|x| x.as_str().map(String::from)));
            }
            if let Some(serde_json::Value::String(c)) = m.get("const") {
                out.push(c.clone());
            }
            m.values().for_each(|x| field_names(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| field_names(x, out)),
        _ => {}
    }
}

#[test]
fn sample_reports_validate_against_the_schema() {
    let dir = hedui_tests::schemas::dir();
    let load = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
    };
    let report_schema = jsonschema::validator_for(&load("report.schema.json")).unwrap();
    let case_schema = jsonschema::validator_for(&load("case.schema.json")).unwrap();
    let rb = Rulebook::default();
    let mut reports = 0;
    for i in 0..200 {
        let s = sample_case(3, i, &rb);
        let case_json = serde_json::to_value(&s.case).unwrap();
        assert!(
            case_schema.is_valid(&case_json),
            "case {i} does not match case.schema.json"
        );
        if let Ok(r) = verify(&s.case, &rb, ISSUED) {
            let v = serde_json::to_value(&r).unwrap();
            if let Some(e) = report_schema.iter_errors(&v).next() {
                panic!("report {i} does not match report.schema.json: {e}");
            }
            reports += 1;
        }
    }
    assert!(reports > 150);
    // the schema is strict: an extra field is invalid
    let mut v = serde_json::to_value(verify(&fixture::case(), &rb, ISSUED).unwrap()).unwrap();
    v["verdict"] = serde_json::json!("eligible");
    assert!(!report_schema.is_valid(&v));
}

#[test]
fn same_case_and_issue_time_give_identical_reports() {
    let rb = Rulebook::default();
    let s = sample_case(1, 42, &rb);
    let json = serde_json::to_string(&s.case).unwrap();
    let a = verify(&Case::from_json(&json).unwrap(), &rb, ISSUED).unwrap();
    let b = verify(&Case::from_json(&json).unwrap(), &rb, ISSUED).unwrap();
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
    let c = verify(
        &Case::from_json(&json).unwrap(),
        &rb,
        datetime!(2026-10-21 10:00 +08:00),
    )
    .unwrap();
    assert_ne!(a.integrity, c.integrity);
}

#[test]
fn signed_reports_verify_and_changes_break_them() {
    let rb = Rulebook::default();
    let mut report = verify(&fixture::case(), &rb, ISSUED).unwrap();
    let signer = ReportSigner::from_seed("linfen-2026-1", &[7u8; 32]).unwrap();
    signer.sign_report(&mut report).unwrap();
    assert!(
        report.verify_digest(),
        "the signature sits outside the canonical form"
    );
    let mut keyring = ReportKeyring::default();
    keyring.add(signer.trusted_key()).unwrap();
    keyring.verify_report(&report).unwrap();
    assert!(render_markdown(&report).contains("linfen-2026-1"));
    // a report round-trips through JSON with its signature
    let back: Report = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    keyring.verify_report(&back).unwrap();
    let mut changed = report.clone();
    changed.header.agency_name.push('X');
    assert_eq!(
        keyring.verify_report(&changed).unwrap_err().code(),
        "signature_invalid"
    );
    let other = ReportSigner::from_seed("linfen-2026-2", &[8u8; 32]).unwrap();
    let mut by_other = report.clone();
    other.sign_report(&mut by_other).unwrap();
    assert_eq!(
        keyring.verify_report(&by_other).unwrap_err().code(),
        "signature_unknown_key"
    );
    let unsigned = verify(&fixture::case(), &rb, ISSUED).unwrap();
    assert_eq!(
        keyring.verify_report(&unsigned).unwrap_err().code(),
        "signature_invalid"
    );
}

/// A malformed identifier inside a case fails with the identifier's own stable code, so a
/// batch error says what to fix (a wrong check character), not only "invalid case json".
#[test]
fn bad_identifiers_inside_a_case_keep_their_codes() {
    let good = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    assert!(Case::from_json(&good).is_ok());
    let member = "141030197803100016";
    let bad_check = "141030197803100017";
    let cases = [
        (good.replacen(member, bad_check, 1), "id_resident_checksum"),
        (
            good.replacen(member, "14103019780310001", 1),
            "id_resident_length",
        ),
        (
            good.replacen(member, "141030197802300016", 1),
            "id_resident_birth_date",
        ),
        (
            good.replacen("11141030B9E2TMJE38", "11141030B9E2TMJE39", 1),
            "id_credit_checksum",
        ),
    ];
    for (text, code) in cases {
        assert!(text != good, "the fixture no longer has the ID to replace");
        let e = Case::from_json(&text).unwrap_err();
        assert_eq!(e.code(), code, "{e}");
        assert_eq!(e.area(), ErrorArea::Input);
    }
    let e = Case::from_json(&good.replacen(member, bad_check, 1)).unwrap_err();
    assert!(e.to_string().contains("check character"), "{e}");

    // An identifier rejected where no document error follows (here: parsed on its own) is
    // never blamed for a later, unrelated error.
    assert!(serde_json::from_str::<ResidentId>(&format!("\"{bad_check}\"")).is_err());
    assert_eq!(
        Case::from_json("{not json").unwrap_err().code(),
        "input_json"
    );
    assert!(serde_json::from_str::<ResidentId>(&format!("\"{bad_check}\"")).is_err());
    let unknown = good.replacen('{', "{\"surprise\": 1,", 1);
    assert_eq!(Case::from_json(&unknown).unwrap_err().code(), "input_json");
}

fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// R11 (N §三, 严控数据处理权限; 个人信息保护法 Art 6 minimum scope): masking works on a real
/// report: the members' names (next to masked IDs), the masked IDs themselves when a role
/// sees no IDs, and the declared-vs-found amounts, which are in fen without a `_fen` key.
#[test]
fn masking_covers_a_real_report() {
    let mut case = fixture::case();
    case.declaration = Some(Declaration {
        financial_assets_fen: Some(100_000),
        income_fen: Some(200_000),
        real_estate_count: Some(1),
        vehicle_count: None,
    });
    let report = verify(&case, &Rulebook::default(), ISSUED).unwrap();
    let doc = serde_json::to_value(&report).unwrap();
    let names: Vec<String> = report.members.iter().map(|m| m.name.clone()).collect();
    let masked_ids: Vec<String> = report.members.iter().map(|m| m.id_masked.clone()).collect();
    assert!(!names.is_empty() && !report.aggregates.differences.is_empty());
    let table = Permissions::default();

    // the archivist sees masked names and no amounts
    let mut archived = doc.clone();
    table.view("archivist").apply(&mut archived);
    for (m, name) in archived["members"].as_array().unwrap().iter().zip(&names) {
        let shown = m["name"].as_str().unwrap();
        assert!(shown != name && shown.ends_with('*'), "{shown}");
    }
    for d in archived["aggregates"]["differences"].as_array().unwrap() {
        let money = d["item"].as_str().unwrap().ends_with("_fen");
        for key in ["declared", "found", "difference"] {
            assert_eq!(d.get(key).is_none(), money, "{d}");
        }
    }
    // a role outside the table sees no name and no ID, masked or not
    let mut nothing = doc.clone();
    table.view("nobody").apply(&mut nothing);
    let mut left = Vec::new();
    strings(&nothing, &mut left);
    for secret in names.iter().chain(&masked_ids) {
        assert!(!left.contains(secret), "`{secret}` is still in the report");
    }
    // the reviewer sees the report as it is
    let mut full = doc.clone();
    table.view("reviewer").apply(&mut full);
    assert_eq!(full, doc);
}

/// R1 先授权，后委托 (N §二(一)) and R3's per-capita figure: a member who does not live with
/// the household (共同生活) need not sign, but then is not queried; one who signed is queried
/// and reported, but their income is not the household's, so the aggregates count co-resident
/// members only (before, it was summed over everyone and divided by the co-resident count).
#[test]
fn members_living_elsewhere_are_queried_only_with_their_signature() {
    let rb = Rulebook::default();
    let sep25 = date!(2025 - 09 - 15);
    let at = datetime!(2026-09-24 10:00 +08:00);
    let answers = || {
        vec![
            answer(
                DataCategory::Tax,
                AgencyLevel::City,
                applicant(),
                at,
                monthly("工资薪金", IncomeType::Wages, sep25, 12, 300_000, false),
            ),
            spouse_pension(at),
        ]
    };
    let living_elsewhere = |c: &mut Case| {
        let m = c
            .household
            .members
            .iter_mut()
            .find(|m| m.id == spouse())
            .unwrap();
        m.co_resident = false;
    };

    // signed: queried and reported, not counted in the household's figures
    let mut c = fixture::case();
    living_elsewhere(&mut c);
    c.responses = answers();
    let r = verify(&c, &rb, ISSUED).unwrap();
    let pension = finding(&r, DataCategory::SocialInsurance, &spouse());
    assert_eq!(pension.status, QueryStatus::Returned);
    // 3,600,000 fen of the applicant's wages over 2 co-resident members and 12 months
    assert_eq!(r.aggregates.income.per_capita_monthly_fen, 150_000);

    // not signed: the authorization still holds (only co-resident members must sign) ...
    let mut c = fixture::case();
    living_elsewhere(&mut c);
    c.authorization
        .as_mut()
        .unwrap()
        .signatures
        .retain(|s| s.signer.id != spouse());
    let checked = c
        .authorization
        .as_ref()
        .unwrap()
        .check(&c.household, date!(2026 - 09 - 23), &rb)
        .unwrap();
    // ... but an entrustment issued from it does not name the spouse ...
    let request = EntrustmentRequest {
        number: "WT-FIX-1".into(),
        batch: None,
        unit: fixture::unit(),
        agency_id: "HD141002".into(),
        purpose: Purpose::NewApplication,
        categories: DataCategory::ALL.to_vec(),
        issued_on: date!(2026 - 09 - 22),
        valid_until: None,
        letter_digest: Sha256Digest::of(b"entrustment scan"),
        appeal: None,
        relief_reference: None,
        requested_on: None,
    };
    let issued = Entrustment::issue(&checked, request).unwrap();
    assert!(!issued.subjects.contains(&spouse()));
    assert_eq!(issued.subjects.len(), 2);
    // ... a letter that names them anyway is refused ...
    assert_eq!(
        verify(&c, &rb, ISSUED).unwrap_err().code(),
        "entrustment_subject_not_authorized"
    );
    // ... and once it does not, an answer about them was never asked for
    c.entrustment
        .as_mut()
        .unwrap()
        .subjects
        .retain(|s| *s != spouse());
    c.responses = answers();
    assert_eq!(
        verify(&c, &rb, ISSUED).unwrap_err().code(),
        "response_unknown_subject"
    );
    c.responses.retain(|a| a.subject != spouse());
    let r = verify(&c, &rb, ISSUED).unwrap();
    let spouse_masked = spouse().masked();
    assert!(r.findings.iter().all(|f| *f.member != *spouse_masked));
    assert_eq!(r.aggregates.income.per_capita_monthly_fen, 150_000);
}

/// R6 (N §一(三) 反馈时限): each category's feedback deadline is its agreement's; an agreement
/// that sets none (0 working days) gets the rulebook's default `deadlines.feedback_working_days`.
#[test]
fn agreements_without_a_deadline_get_the_rulebook_default() {
    let mut rb = Rulebook::default();
    rb.deadlines.feedback_working_days = 7;
    for a in &mut rb.agreements {
        if a.category == DataCategory::RealEstate && a.level == AgencyLevel::County {
            a.feedback_working_days = 0;
        }
    }
    let r = verify(&fixture::case(), &rb, ISSUED).unwrap();
    // queries sent Wednesday 2026-09-23; by the 2026 notice 09-25 (Mid-Autumn) and
    // 10-01..10-07 (National Day) are holidays and Saturday 10-10 a working day: 09-24,
    // 09-28, 09-29, 09-30, 10-08, 10-09, 10-10
    assert_eq!(
        finding(&r, DataCategory::RealEstate, &applicant()).deadline,
        Some(date!(2026 - 10 - 10))
    );
    // an agreement with its own number keeps it (county business registration: 3 working
    // days: 09-24, 09-28, 09-29)
    assert_eq!(
        finding(&r, DataCategory::BusinessRegistration, &applicant()).deadline,
        Some(date!(2026 - 09 - 29))
    );
}

/// The default values themselves: an agreement whose JSON omits its feedback deadline gets
/// the default rulebook's 5 working days (*local practice*), counted over the 2026 holidays:
/// queries sent Wednesday 2026-09-23, working days 09-24, 09-28, 09-29, 09-30, 10-08.
#[test]
fn an_agreement_without_a_deadline_gets_five_working_days() {
    let rb = Rulebook::default();
    assert_eq!(rb.deadlines.feedback_working_days, 5);
    let mut doc: serde_json::Value = serde_json::from_str(&rb.to_json()).unwrap();
    let mut omitted = 0;
    for a in doc["agreements"].as_array_mut().unwrap() {
        if a["category"] == "business_registration" && a["level"] == "county" {
            a.as_object_mut().unwrap().remove("feedback_working_days");
            omitted += 1;
        }
    }
    assert_eq!(omitted, 1);
    let omitting = Rulebook::from_json(&doc.to_string()).unwrap();
    let r = verify(&fixture::case(), &omitting, ISSUED).unwrap();
    assert_eq!(
        finding(&r, DataCategory::BusinessRegistration, &applicant()).deadline,
        Some(date!(2026 - 10 - 08))
    );
    // with its own 3 working days the agreement keeps them: 09-24, 09-28, 09-29
    let own = verify(&fixture::case(), &rb, ISSUED).unwrap();
    assert_eq!(
        finding(&own, DataCategory::BusinessRegistration, &applicant()).deadline,
        Some(date!(2026 - 09 - 29))
    );
}

/// 最低生活保障审核确认办法 Art 17: the information check starts within 3 working days of the
/// day the application was accepted. The report states when it started against that limit —
/// a finding, not a refusal — counted over the 2026 calendar (Sunday 09-20 is a working day,
/// 调休): queries sent Wednesday 09-23.
#[test]
fn the_check_start_is_reported_against_the_working_day_limit() {
    let rb = Rulebook::default();
    assert_eq!(rb.deadlines.check_start_working_days, 3);
    let with_request = |on: Date| {
        let mut c = fixture::case();
        c.entrustment.as_mut().unwrap().requested_on = Some(on);
        c
    };
    // accepted Sunday 09-20 (a working day): 09-21, 09-22, 09-23 — started on the last day
    let r = verify(&with_request(date!(2026 - 09 - 20)), &rb, ISSUED).unwrap();
    let c = r.check_start.as_ref().unwrap();
    assert_eq!(
        (c.requested_on, c.started_on, c.limit_working_days, c.due_on),
        (
            date!(2026 - 09 - 20),
            date!(2026 - 09 - 23),
            3,
            date!(2026 - 09 - 23)
        )
    );
    assert!(c.within_limit);
    assert!(render_markdown(&r).contains("| 核对启动时限 | 申请受理 2026-09-20，3 个工作日内应启动（2026-09-23），2026-09-23 启动，在时限内 |"));
    // accepted Saturday 09-19: 09-20, 09-21, 09-22 — one day late, and the report is issued
    let r = verify(&with_request(date!(2026 - 09 - 19)), &rb, ISSUED).unwrap();
    let c = r.check_start.as_ref().unwrap();
    assert_eq!(c.due_on, date!(2026 - 09 - 22));
    assert!(!c.within_limit);
    assert!(r.verify_digest());
    assert!(render_markdown(&r).contains("，2026-09-23 启动，超出时限 |"));
    // the limit is the rulebook's
    let mut five = Rulebook::default();
    five.deadlines.check_start_working_days = 5;
    let r = verify(&with_request(date!(2026 - 09 - 17)), &five, ISSUED).unwrap();
    let c = r.check_start.unwrap();
    assert_eq!((c.due_on, c.within_limit), (date!(2026 - 09 - 23), true));
    // a request after the start is out of time order; none given, nothing reported
    assert_eq!(
        verify(&with_request(date!(2026 - 09 - 24)), &rb, ISSUED)
            .unwrap_err()
            .code(),
        "chronology"
    );
    let r = verify(&fixture::case(), &rb, ISSUED).unwrap();
    assert!(r.check_start.is_none());
    assert!(!serde_json::to_string(&r).unwrap().contains("check_start"));
    assert!(!render_markdown(&r).contains("核对启动时限"));
}

/// Report contents with assertions of their own, hand-computed on the fixture: the limits of
/// use, the members' age, sex and relation (from the ID, as of the day the queries were sent),
/// and the business, provident-fund and status-record aggregates.
#[test]
fn report_contents_by_hand() {
    let mut rb = Rulebook::default();
    // prisoner data shared at county level, so an imprisonment can be returned
    for a in &mut rb.agreements {
        if a.category == DataCategory::Prisoners {
            a.availability = sharing::Availability::Shared;
        }
    }
    let mut c = fixture::case();
    let at = datetime!(2026-09-24 10:00 +08:00);
    let business = |capital: Option<i64>| Fact::Business {
        credit_code: "91110000600037341L".parse().unwrap(),
        name: "某某便利店".into(),
        role: BusinessRole::SoleTrader,
        registered_capital_fen: capital,
        status: Some("存续".into()),
    };
    c.responses = vec![
        answer(
            DataCategory::BusinessRegistration,
            AgencyLevel::County,
            applicant(),
            at,
            vec![business(Some(5_000_000)), business(None)],
        ),
        answer(
            DataCategory::HousingProvidentFund,
            AgencyLevel::County,
            spouse(),
            at,
            vec![Fact::ProvidentFund {
                balance_fen: 1_234_500,
                monthly_contribution_fen: Some(60_000),
            }],
        ),
        answer(
            DataCategory::PublicPayroll,
            AgencyLevel::County,
            spouse(),
            at,
            vec![Fact::Employment {
                employer: "某乡镇事业单位".into(),
                contribution_base_fen: None,
            }],
        ),
        // in prison on the day the queries were sent (2026-09-23)
        answer(
            DataCategory::Prisoners,
            AgencyLevel::County,
            applicant(),
            at,
            vec![Fact::Imprisonment {
                since: date!(2026 - 01 - 10),
                until: Some(date!(2027 - 01 - 10)),
            }],
        ),
        // released before it: not in prison now
        answer(
            DataCategory::Prisoners,
            AgencyLevel::County,
            spouse(),
            at,
            vec![Fact::Imprisonment {
                since: date!(2020 - 01 - 10),
                until: Some(date!(2026 - 09 - 22)),
            }],
        ),
    ];
    let r = verify(&c, &rb, ISSUED).unwrap();
    assert_eq!(
        r.limits_of_use,
        "本报告仅供尧都区某街道办事处用于本次委托事项（新申请核对，最低生活保障），不得用于其他用途，不得向无关单位和个人提供。"
    );
    assert_eq!(r.statement, NOT_A_DETERMINATION);
    let members: Vec<_> = r
        .members
        .iter()
        .map(|m| (m.name.as_str(), m.relation, m.age, m.sex))
        .collect();
    // born 1971-05-12 (sequence 001, odd: male), 1973-08-30 (002, even: female), 2015-03-01
    // (003: male); ages on 2026-09-23
    assert_eq!(
        members,
        vec![
            ("王建国", Relation::Applicant, 55, Sex::Male),
            ("李秀英", Relation::Spouse, 53, Sex::Female),
            ("王小明", Relation::Child, 11, Sex::Male),
        ]
    );
    let a = &r.aggregates;
    assert_eq!(
        (a.businesses.count, a.businesses.registered_capital_fen),
        (2, 5_000_000)
    );
    assert_eq!(a.financial_assets.provident_fund_fen, 1_234_500);
    // the provident fund is listed apart, not in the financial assets' total
    assert_eq!(a.financial_assets.total_fen, 0);
    assert_eq!(a.status_records.imprisoned, vec![applicant().masked()]);
    assert_eq!(a.status_records.public_payroll, vec![spouse().masked()]);
    assert!(a.status_records.deceased.is_empty());
    let md = render_markdown(&r);
    assert!(md.contains(&r.limits_of_use), "{md}");
    assert!(md.contains("李秀英"), "{md}");
}

/// Generated cases carry the business, provident-fund and status-record aggregates too: over
/// the first 2,000 sample cases some have each non-zero, one has all three, and in every case
/// each equals the sum of its co-resident members' facts.
#[test]
fn generated_cases_fill_the_business_provident_fund_and_status_aggregates() {
    let rb = Rulebook::default();
    let as_of = datetime!(2026-11-29 10:00 +08:00);
    let (mut business, mut fund, mut status, mut all) = (0, 0, 0, 0);
    for i in 0..2_000 {
        let s = sample_case(7, i, &rb);
        let Ok(r) = verify(&s.case, &rb, as_of) else {
            continue;
        };
        let counted: Vec<&str> = r
            .members
            .iter()
            .filter(|m| m.co_resident)
            .map(|m| m.id_masked.as_str())
            .collect();
        let (mut n, mut capital, mut balance, mut payroll) = (0u32, 0i64, 0i64, Vec::new());
        for f in r.findings.iter().filter(|f| counted.contains(&&*f.member)) {
            for fact in &f.facts {
                match fact {
                    Fact::Business {
                        registered_capital_fen,
                        ..
                    } => {
                        n += 1;
                        capital += registered_capital_fen.unwrap_or(0);
                    }
                    Fact::ProvidentFund { balance_fen, .. } => balance += balance_fen,
                    Fact::Employment { .. } if f.category == DataCategory::PublicPayroll => {
                        payroll.push(f.member.to_string())
                    }
                    _ => {}
                }
            }
        }
        let a = &r.aggregates;
        assert_eq!(a.businesses.count, n, "case {i}");
        assert_eq!(a.businesses.registered_capital_fen, capital, "case {i}");
        assert_eq!(a.financial_assets.provident_fund_fen, balance, "case {i}");
        assert_eq!(a.status_records.public_payroll, payroll, "case {i}");
        let flags = [n > 0, balance > 0, !payroll.is_empty()];
        business += usize::from(flags[0]);
        fund += usize::from(flags[1]);
        status += usize::from(flags[2]);
        all += usize::from(flags.iter().all(|&f| f));
    }
    assert!(
        business > 0 && fund > 0 && status > 0,
        "{business} {fund} {status}"
    );
    assert!(all > 0, "no generated case has all three");
}

/// The scope of use (N §一(三) 明确共享数据的使用范围): the entrusting unit may use the report
/// for the entrusted purpose and programme; another unit never; another purpose or programme
/// only where every agreement behind the report's data lists that programme in its scope.
#[test]
fn a_report_is_used_within_its_scope_of_use() {
    let mut rb = Rulebook::default();
    let mut c = fixture::case();
    c.responses = vec![spouse_pension(datetime!(2026-09-24 10:00 +08:00))];
    let r = verify(&c, &rb, ISSUED).unwrap();
    let unit = fixture::unit().credit_code;
    let entrusted = ReportUse {
        unit_code: unit.clone(),
        purpose: Purpose::NewApplication,
        programme: Programme::MinimumLivingAllowance,
    };
    assert!(r.check_use(&entrusted, &rb.agreements).is_ok());
    let other_unit = ReportUse {
        unit_code: "91350100M000100Y43".parse().unwrap(),
        ..entrusted.clone()
    };
    assert_eq!(
        r.check_use(&other_unit, &rb.agreements).unwrap_err().code(),
        "report_use_other_unit"
    );
    let temporary = ReportUse {
        programme: Programme::TemporaryAssistance,
        ..entrusted.clone()
    };
    let recheck = ReportUse {
        purpose: Purpose::PeriodicRecheck,
        ..entrusted.clone()
    };
    for other in [&temporary, &recheck] {
        let e = r.check_use(other, &rb.agreements).unwrap_err();
        assert_eq!(e.code(), "report_use_outside_scope");
        assert!(e.to_string().contains("social_insurance"), "{e}");
        assert!(e.to_string().contains("使用范围"), "{e}");
    }
    // the county social-insurance agreement widens its data's use to temporary assistance
    for a in &mut rb.agreements {
        if a.category == DataCategory::SocialInsurance && a.level == AgencyLevel::County {
            a.use_scope = vec![Programme::TemporaryAssistance];
        }
    }
    assert!(r.check_use(&temporary, &rb.agreements).is_ok());
    assert_eq!(
        r.check_use(&recheck, &rb.agreements).unwrap_err().code(),
        "report_use_outside_scope",
        "the scope names programmes: 低保 is not listed"
    );
    // the scope reads from and writes to the rulebook's JSON; empty is not written
    let back = Rulebook::from_json(&rb.to_json()).unwrap();
    assert_eq!(back.agreements, rb.agreements);
    assert!(!Rulebook::default().to_json().contains("use_scope"));
    // a report without department data has nothing whose scope could widen its use
    let bare = verify(&fixture::case(), &rb, ISSUED).unwrap();
    assert!(bare.findings.iter().all(|f| f.facts.is_empty()));
    assert_eq!(
        bare.check_use(&temporary, &rb.agreements)
            .unwrap_err()
            .code(),
        "report_use_outside_scope"
    );
}

/// The typical facts of their categories (docs/rules.md#data-categories): household
/// registration relations and deaths, real-estate transactions, tax paid, provident-fund
/// withdrawals, orphan status. Each is accepted under its category within the default
/// agreements' fields, rendered in Chinese, and counted where it belongs; a death ends the
/// member's co-residence from its date (the spouse, dead on 2026-09-01, leaves the per-capita
/// count and the aggregates); a fact under the wrong category is refused.
#[test]
fn typical_facts_in_their_categories() {
    let rb = Rulebook::default();
    let mut c = fixture::case();
    let at = datetime!(2026-09-24 10:00 +08:00);
    let mut pension = spouse_pension(at);
    pension.facts.truncate(3);
    c.responses = vec![
        answer(
            DataCategory::HouseholdRegistration,
            AgencyLevel::County,
            applicant(),
            at,
            vec![Fact::HouseholdRegistration {
                registered_members: Some(3),
                address: None,
                relation_to_head: Some("户主".into()),
                death_on: None,
            }],
        ),
        answer(
            DataCategory::HouseholdRegistration,
            AgencyLevel::County,
            spouse(),
            at,
            vec![Fact::HouseholdRegistration {
                registered_members: Some(3),
                address: None,
                relation_to_head: Some("配偶".into()),
                death_on: Some(date!(2026 - 09 - 01)),
            }],
        ),
        pension,
        answer(
            DataCategory::RealEstate,
            AgencyLevel::County,
            applicant(),
            at,
            vec![
                Fact::PropertyTransaction {
                    event: TransactionEvent::Transferred,
                    on: date!(2026 - 03 - 10),
                    price_fen: Some(30_000_000),
                },
                // before the income window (2025-09-01 to 2026-08-31): listed, not counted
                Fact::PropertyTransaction {
                    event: TransactionEvent::Acquired,
                    on: date!(2010 - 06 - 01),
                    price_fen: None,
                },
            ],
        ),
        answer(
            DataCategory::Tax,
            AgencyLevel::City,
            applicant(),
            at,
            vec![Fact::TaxPaid {
                tax: "个人所得税".into(),
                paid_on: date!(2026 - 04 - 15),
                amount_fen: 12_300,
            }],
        ),
        answer(
            DataCategory::HousingProvidentFund,
            AgencyLevel::County,
            applicant(),
            at,
            vec![Fact::ProvidentFundWithdrawal {
                on: date!(2026 - 05 - 20),
                amount_fen: 2_000_000,
                reason: Some("购房".into()),
            }],
        ),
        answer(
            DataCategory::Orphans,
            AgencyLevel::County,
            child(),
            at,
            vec![Fact::OrphanStatus {
                since: date!(2026 - 09 - 05),
                until: None,
            }],
        ),
    ];
    let r = verify(&c, &rb, ISSUED).unwrap();
    let a = &r.aggregates;
    assert_eq!(a.real_estate.transactions, 1);
    assert_eq!(a.financial_assets.provident_fund_withdrawn_fen, 2_000_000);
    assert_eq!(a.status_records.deceased, vec![spouse().masked()]);
    assert_eq!(a.status_records.orphans, vec![child().masked()]);
    // the spouse's co-residence ended on 2026-09-01: two members counted, and her pension
    // (3 payments within the window) is not the household's income
    assert_eq!(a.income.members_counted, 2);
    assert_eq!(a.income.total_fen, 0);
    let md = render_markdown(&r);
    for text in [
        "与户主关系：户主",
        "2026-09-01 因死亡注销户籍",
        "不动产交易：2026-03-10 转让，成交价 300000.00 元",
        "已缴税款：个人所得税 123.00 元（2026-04-15）",
        "公积金提取：2026-05-20 20000.00 元（购房）",
        "孤儿认定：自2026-09-05",
        "收入核对期内住房公积金提取 20000.00 元",
        "收入核对期内不动产交易 1 笔",
    ] {
        assert!(md.contains(text), "{text}\n{md}");
    }

    // a death after the queries were sent does not end co-residence for this report
    let mut later = c.clone();
    later.responses[1].facts = vec![Fact::HouseholdRegistration {
        registered_members: Some(3),
        address: None,
        relation_to_head: Some("配偶".into()),
        death_on: Some(date!(2026 - 10 - 01)),
    }];
    let r = verify(&later, &rb, ISSUED).unwrap();
    assert_eq!(r.aggregates.income.members_counted, 3);
    assert_eq!(r.aggregates.income.total_fen, 300_000);

    // each kind belongs to its category only
    let mut wrong = c.clone();
    wrong.responses[4].category = DataCategory::SocialInsurance;
    wrong.responses[4].level = AgencyLevel::County;
    assert_eq!(
        verify(&wrong, &rb, ISSUED).unwrap_err().code(),
        "fact_kind_mismatch"
    );
}

/// GB 11643: a first-generation number and its upgrade name one person. With the default
/// rulebook (upgrade), a case that writes a member's number in the old 15-digit form, in one
/// place or everywhere, gives the report of the 18-digit case, byte for byte; a rulebook that
/// refuses first-generation numbers fails the case with `id_resident_legacy`.
#[test]
fn a_first_generation_number_is_the_same_person_or_refused() {
    let good = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    let member = "141030197803100016";
    let legacy = "141030780310001";
    assert_eq!(ResidentId::parse(legacy).unwrap().as_str(), member);
    let rb = Rulebook::default();
    let expected = verify(&Case::from_json(&good).unwrap(), &rb, ISSUED).unwrap();
    for text in [
        good.replacen(member, legacy, 1),
        good.replace(member, legacy),
    ] {
        assert!(text != good, "the fixture no longer has the ID to replace");
        let report = verify(&Case::from_json(&text).unwrap(), &rb, ISSUED).unwrap();
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }
    let mut refusing = Rulebook::default();
    refusing.identifiers.legacy_resident_ids = LegacyResidentIds::Refuse;
    let case = Case::from_json(&good.replacen(member, legacy, 1)).unwrap();
    let e = verify(&case, &refusing, ISSUED).unwrap_err();
    assert_eq!(e.code(), "id_resident_legacy");
    assert_eq!(
        e.to_string(),
        "resident id `141030**********16` is a first-generation 15-digit number, which the rulebook refuses"
    );
    // the 18-digit case is not affected by the choice
    assert!(verify(&Case::from_json(&good).unwrap(), &refusing, ISSUED).is_ok());
}

/// GB 11643: a birth date after the day the report is issued, or before the rulebook's floor,
/// is refused with `id_resident_birth_out_of_range`, without showing the birth date.
#[test]
fn a_birth_date_after_the_day_of_verification_or_before_the_floor_is_refused() {
    let good = std::fs::read_to_string(hedui_tests::corpus_dir().join("cases/sample-good-1.json"))
        .unwrap();
    let member = "141030197803100016";
    let body = "14103020270101001";
    let future = format!("{body}{}", ResidentId::check_char(body).unwrap());
    let case = Case::from_json(&good.replace(member, &future)).unwrap();
    let rb = Rulebook::default();
    let e = verify(&case, &rb, ISSUED).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
    assert_eq!(
        e.to_string(),
        format!(
            "resident id `{}` encodes a birth date outside 1900-01-01 to 2026-10-20",
            ResidentId::parse(&future).unwrap().masked()
        )
    );
    assert!(!e.to_string().contains("20270101"));
    // issued on the birthday itself: accepted as far as the identifier goes
    let born = datetime!(2027-01-01 10:00 +08:00);
    assert_ne!(
        verify(&case, &rb, born).map(|_| ()).err().map(|e| e.code()),
        Some("id_resident_birth_out_of_range")
    );
    let mut floor = Rulebook::default();
    floor.identifiers.earliest_birth_date = date!(1980 - 01 - 01);
    let e = verify(&Case::from_json(&good).unwrap(), &floor, ISSUED).unwrap_err();
    assert_eq!(e.code(), "id_resident_birth_out_of_range");
}
