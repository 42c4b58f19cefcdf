//! R1 先授权，后委托 and R2 无委托，不核对: every defect is found, and no sequence of steps
//! reaches a report without a passing authorization check and a passing pre-check.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::{calendar::*, error::*, rulebook::*, *};
use hedui_tests::fixture::{self, applicant, child, spouse};
use proptest::prelude::*;
use time::OffsetDateTime;
use time::macros::{date, datetime};

const ISSUED: OffsetDateTime = datetime!(2026-10-20 10:00 +08:00);
const ON: time::Date = date!(2026 - 09 - 23);

/// The pre-check's responsible officer in these tests.
fn officer() -> Officer {
    Officer {
        operator_id: "op-1".into(),
        name: "赵敏".into(),
    }
}

fn codes(a: &Authorization, h: &Household, rb: &Rulebook) -> Vec<&'static str> {
    a.defects(h, ON, rb)
        .iter()
        .map(AuthorizationDefect::code)
        .collect()
}

#[test]
fn valid_authorization_has_no_defects() {
    let rb = Rulebook::default();
    assert!(codes(&fixture::authorization(), &fixture::household(), &rb).is_empty());
}

#[test]
fn every_defect_is_reported_at_once() {
    let rb = Rulebook::default();
    let mut a = fixture::authorization();
    // spouse does not sign; a stranger signs for the child; the letter lapsed; scope lacks tax
    a.signatures.retain(|s| s.signer.id != spouse());
    a.signatures.retain(|s| s.on_behalf_of.is_none());
    let stranger = fixture::id("14100219800101001");
    a.signatures.push(Signature {
        signer: Person {
            id: stranger,
            name: "某人".into(),
        },
        on_behalf_of: Some(child()),
    });
    a.lapse_events.push(LapseEvent {
        kind: LapseKind::MembershipChange,
        on: date!(2026 - 09 - 22),
    });
    a.categories.retain(|c| *c != DataCategory::Tax);
    let got = codes(&a, &fixture::household(), &rb);
    for want in [
        "missing_signature",
        "signer_not_guardian",
        "lapsed",
        "scope_missing",
    ] {
        assert!(got.contains(&want), "{want} missing from {got:?}");
    }
    // one defect per problem: the spouse has not signed (missing), the child was signed for
    // by a stranger (not the guardian), and not also "missing" for the child
    assert_eq!(got.iter().filter(|c| **c == "missing_signature").count(), 1);
    assert_eq!(
        got.iter().filter(|c| **c == "signer_not_guardian").count(),
        1
    );
    let defects = a.defects(&fixture::household(), ON, &rb);
    let child_masked = child().masked();
    let about_child: Vec<_> = defects
        .iter()
        .filter(|d| d.to_string().contains(&child_masked))
        .map(AuthorizationDefect::code)
        .collect();
    assert_eq!(about_child, ["signer_not_guardian"]);
    let err = a.check(&fixture::household(), ON, &rb).unwrap_err();
    assert_eq!(err.code(), "authorization_defective");
    assert!(
        err.to_string()
            .starts_with("R1 authorize-before-entrust (N §二(一))"),
        "{err}"
    );
}

#[test]
fn capacity_and_guardian_rules() {
    let rb = Rulebook::default();
    let a = fixture::authorization();
    // a guardian must be identified for a member without full capacity
    let mut h = fixture::household();
    h.members[2].guardian = None;
    assert!(codes(&a, &h, &rb).contains(&"guardian_not_identified"));
    // the child signing in person does not count
    let mut a2 = fixture::authorization();
    a2.signatures[2].on_behalf_of = None;
    a2.signatures[2].signer = Person {
        id: child(),
        name: "王小明".into(),
    };
    let got = codes(&a2, &fixture::household(), &rb);
    // one defect: its message says the guardian must sign
    assert_eq!(got, ["self_signature_without_capacity"]);
    // an applicant without full capacity
    let mut h = fixture::household();
    h.members[0].capacity = CivilCapacity::Limited;
    h.members[0].guardian = Some(Person {
        id: spouse(),
        name: "李秀英".into(),
    });
    assert!(codes(&a, &h, &rb).contains(&"applicant_lacks_capacity"));
    // a ten-year-old recorded with full capacity
    let mut h = fixture::household();
    h.members[2].capacity = CivilCapacity::Full;
    assert!(codes(&a, &h, &rb).contains(&"capacity_inconsistent_with_age"));
    // full capacity is possible from the sixteenth birthday on (民法典 Art 18), not the day before
    let sixteen = child()
        .birth_date()
        .replace_year(child().birth_date().year() + 16)
        .unwrap();
    let inconsistent = |on| {
        a.defects(&h, on, &rb)
            .iter()
            .any(|d| d.code() == "capacity_inconsistent_with_age")
    };
    assert!(!inconsistent(sixteen));
    assert!(inconsistent(sixteen.previous_day().unwrap()));
    // someone signing for a capable adult
    let mut a3 = fixture::authorization();
    a3.signatures.push(Signature {
        signer: Person {
            id: applicant(),
            name: "王建国".into(),
        },
        on_behalf_of: Some(spouse()),
    });
    assert_eq!(
        codes(&a3, &fixture::household(), &rb),
        ["signer_not_guardian"]
    );
    // ... also when the capable adult did not sign in person: one defect, not two
    a3.signatures
        .retain(|s| !(s.signer.id == spouse() && s.on_behalf_of.is_none()));
    assert_eq!(
        codes(&a3, &fixture::household(), &rb),
        ["signer_not_guardian"]
    );
    // no applicant
    let mut h = fixture::household();
    h.members[0].relation = Relation::Spouse;
    assert!(codes(&a, &h, &rb).contains(&"no_applicant"));
    // a member who does not live with the household need not sign
    let mut h = fixture::household();
    h.members[1].co_resident = false;
    let mut a4 = fixture::authorization();
    a4.signatures.retain(|s| s.signer.id != spouse());
    assert!(codes(&a4, &h, &rb).is_empty());
}

#[test]
fn supporters_and_their_spouses_sign_where_the_programme_counts_support() {
    let rb = Rulebook::default();
    let supporter = fixture::id("14100219900101001");
    let wife = fixture::id("14100219910101002");
    let mut h = fixture::household();
    h.supporters.push(Supporter {
        id: supporter.clone(),
        name: "王大".into(),
        duty: SupportDuty::Elder,
        spouse: Some(Person {
            id: wife.clone(),
            name: "刘二".into(),
        }),
    });
    // 低保 does not require supporter signatures by default
    assert!(codes(&fixture::authorization(), &h, &rb).is_empty());
    h.programme = Programme::DestitutePersons;
    let got = codes(&fixture::authorization(), &h, &rb);
    assert_eq!(
        got,
        vec![
            "missing_supporter_signature",
            "missing_supporter_spouse_signature"
        ]
    );
    let mut a = fixture::authorization();
    a.signatures.push(Signature {
        signer: Person {
            id: supporter,
            name: "王大".into(),
        },
        on_behalf_of: None,
    });
    assert_eq!(
        codes(&a, &h, &rb),
        vec!["missing_supporter_spouse_signature"]
    );
    a.signatures.push(Signature {
        signer: Person {
            id: wife,
            name: "刘二".into(),
        },
        on_behalf_of: None,
    });
    assert!(codes(&a, &h, &rb).is_empty());
}

#[test]
fn lapse_expiry_and_dates() {
    let mut rb = Rulebook::default();
    let h = fixture::household();
    let mut a = fixture::authorization();
    for kind in [
        LapseKind::MembershipChange,
        LapseKind::Reapplication,
        LapseKind::Refusal,
    ] {
        a.lapse_events = vec![LapseEvent {
            kind,
            on: date!(2026 - 09 - 22),
        }];
        assert_eq!(codes(&a, &h, &rb), vec!["lapsed"]);
    }
    // the words a lapse is named by
    assert_eq!(
        [
            LapseKind::MembershipChange.label_zh(),
            LapseKind::Reapplication.label_zh(),
            LapseKind::Refusal.label_zh()
        ],
        ["家庭成员变化", "重新申请", "申请被拒"]
    );
    // an event after the check date does not lapse it yet
    a.lapse_events = vec![LapseEvent {
        kind: LapseKind::Refusal,
        on: date!(2026 - 09 - 24),
    }];
    assert!(codes(&a, &h, &rb).is_empty());
    a.lapse_events.clear();
    // explicit maximum age from the rulebook: signed 21 Sep 2026, 12 months → valid through 21 Sep 2027
    rb.authorization.max_age_months = Some(12);
    assert!(a.defects(&h, date!(2027 - 09 - 21), &rb).is_empty());
    assert_eq!(
        a.defects(&h, date!(2027 - 09 - 22), &rb)[0].code(),
        "expired"
    );
    assert_eq!(
        a.defects(&h, date!(2026 - 09 - 20), &rb)[0].code(),
        "not_yet_signed"
    );
    // a letter for another household
    a.household_id = "H-OTHER".into();
    assert_eq!(
        codes(&a, &h, &Rulebook::default()),
        vec!["household_mismatch"]
    );
}

#[test]
fn entrustment_is_issued_only_from_a_checked_authorization_and_never_widens_scope() {
    let mut rb = Rulebook::default();
    rb.authorization.required_scope.clear();
    let h = fixture::household();
    let mut a = fixture::authorization();
    a.categories = vec![
        DataCategory::BankDeposits,
        DataCategory::RealEstate,
        DataCategory::Vehicles,
    ];
    let checked = a.check(&h, ON, &rb).unwrap();
    let request = EntrustmentRequest {
        number: "WT-9".into(),
        batch: None,
        unit: fixture::unit(),
        agency_id: "HD141002".into(),
        purpose: Purpose::NewApplication,
        categories: vec![
            DataCategory::BankDeposits,
            DataCategory::Tax,
            DataCategory::Vehicles,
        ],
        issued_on: date!(2026 - 09 - 22),
        valid_until: None,
        letter_digest: Sha256Digest::of(b"x"),
        appeal: None,
        relief_reference: None,
        requested_on: None,
    };
    let e = Entrustment::issue(&checked, request.clone()).unwrap();
    assert_eq!(
        e.categories,
        vec![DataCategory::Vehicles, DataCategory::BankDeposits]
    );
    assert_eq!(e.subjects, vec![applicant(), spouse(), child()]);
    // a hand-made letter asking for more than was authorized is refused
    let mut wide = e.clone();
    wide.categories.push(DataCategory::Tax);
    assert_eq!(
        wide.check_against(&checked).unwrap_err().code(),
        "entrustment_scope_widened"
    );
    // an entrustment dated before the authorization was signed: authorize first
    let mut early = e.clone();
    early.issued_on = date!(2026 - 09 - 20);
    assert_eq!(
        early.check_against(&checked).unwrap_err().code(),
        "entrustment_before_authorization"
    );
    // an emergency follow-up must name the relief it follows up
    let mut r = request;
    r.purpose = Purpose::EmergencyFollowUp;
    assert_eq!(
        Entrustment::issue(&checked, r.clone()).unwrap_err().code(),
        "entrustment_purpose_invalid"
    );
    r.relief_reference = Some("JJ-1".into());
    assert!(Entrustment::issue(&checked, r).is_ok());
}

/// R2 (无委托，不核对): a letter is in force from the day it is issued, up to and including the
/// last day of its validity, and no longer from the day it is withdrawn.
#[test]
fn an_entrustment_is_in_force_from_its_issue_day_to_its_last_day() {
    let rb = Rulebook::default();
    let e = fixture::case().entrustment.unwrap();
    let day = e.issued_on;
    let next = day.next_day().unwrap();
    let code = |e: &Entrustment, on| e.check_in_force(on, &rb).err().map(|err| err.code());
    assert_eq!(code(&e, day), None);
    assert_eq!(
        code(&e, day.previous_day().unwrap()),
        Some("entrustment_not_in_force")
    );
    let mut until = e.clone();
    until.valid_until = Some(next);
    assert_eq!(code(&until, next), None);
    assert_eq!(
        code(&until, next.next_day().unwrap()),
        Some("entrustment_not_in_force")
    );
    // without a date of its own, the rulebook's maximum age bounds it
    let mut aged = e.clone();
    aged.valid_until = None;
    let mut limited = Rulebook::default();
    limited.entrustment.max_age_days = Some(30);
    let last = day + time::Duration::days(30);
    let aged_code = |on| {
        aged.check_in_force(on, &limited)
            .err()
            .map(|err| err.code())
    };
    assert_eq!(aged_code(last), None);
    assert_eq!(
        aged_code(last.next_day().unwrap()),
        Some("entrustment_not_in_force")
    );
    assert_eq!(code(&aged, last.next_day().unwrap()), None);
    let mut withdrawn = e.clone();
    withdrawn.withdrawn_on = Some(next);
    assert_eq!(code(&withdrawn, day), None);
    assert_eq!(code(&withdrawn, next), Some("entrustment_withdrawn"));
}

#[test]
fn no_entrustment_no_check() {
    let rb = Rulebook::default();
    let code = |f: &dyn Fn(&mut Case)| {
        let mut c = fixture::case();
        f(&mut c);
        verify(&c, &rb, ISSUED).map(|_| ()).unwrap_err().code()
    };
    assert_eq!(code(&|c| c.authorization = None), "authorization_missing");
    assert_eq!(code(&|c| c.entrustment = None), "entrustment_missing");
    assert_eq!(code(&|c| c.precheck = None), "precheck_missing");
    assert_eq!(
        code(&|c| c.entrustment.as_mut().unwrap().agency_id = "HD141021".into()),
        "entrustment_wrong_agency"
    );
    assert_eq!(
        code(&|c| c.entrustment.as_mut().unwrap().withdrawn_on = Some(date!(2026 - 09 - 23))),
        "entrustment_withdrawn"
    );
    assert_eq!(
        code(&|c| c.entrustment.as_mut().unwrap().valid_until = Some(date!(2026 - 09 - 22))),
        "entrustment_not_in_force"
    );
    assert_eq!(
        code(&|c| c
            .entrustment
            .as_mut()
            .unwrap()
            .subjects
            .retain(|s| *s != child())),
        "entrustment_subject_not_named"
    );
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().entrustment_number = "WT-OTHER".into()),
        "precheck_missing"
    );
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().agency_id = "HD141021".into()),
        "precheck_missing"
    );
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().authorization_valid = false),
        "precheck_failed"
    );
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().business_compliant = false),
        "precheck_failed"
    );
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().officer.name = " ".into()),
        "precheck_failed"
    );
    // a named officer without an operator account, or an account without a name, is no
    // responsible officer either, and the message says so
    let message = |f: &dyn Fn(&mut Case)| {
        let mut c = fixture::case();
        f(&mut c);
        verify(&c, &rb, ISSUED).map(|_| ()).unwrap_err().to_string()
    };
    for unnamed in [
        message(&|c| c.precheck.as_mut().unwrap().officer.operator_id = "".into()),
        message(&|c| c.precheck.as_mut().unwrap().officer.name = "".into()),
    ] {
        assert!(
            unnamed.contains("no responsible officer recorded"),
            "{unnamed}"
        );
    }
    // a pre-check dated after the queries were sent was not made "before verifying"
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().checked_at = datetime!(2026-09-24 08:00 +08:00)),
        "precheck_failed"
    );
    // ... also on the same day: queries at 09:00, pre-check at 18:00
    assert_eq!(
        code(&|c| c.precheck.as_mut().unwrap().checked_at = datetime!(2026-09-23 18:00 +08:00)),
        "precheck_failed"
    );
    // a pre-check recorded as passed does not make another level's agency the right one
    // (同级核对机构, N §二(二); no handing the work to another level, N §一(二)) ...
    assert_eq!(
        code(&|c| {
            c.agency.level = AgencyLevel::City;
            c.agency.region = "141000".parse().unwrap();
        }),
        "precheck_failed"
    );
    // ... nor a county agency of another county ...
    assert_eq!(
        code(&|c| c.agency.region = "141021".parse().unwrap()),
        "precheck_failed"
    );
    // ... nor the letter's programme the household's (the R1 supporters rule depends on it)
    assert_eq!(
        code(&|c| c.entrustment.as_mut().unwrap().programme = Programme::DestitutePersons),
        "precheck_failed"
    );
    let mut c = fixture::case();
    c.agency.level = AgencyLevel::City;
    c.agency.region = "141000".parse().unwrap();
    let e = verify(&c, &rb, ISSUED).unwrap_err().to_string();
    assert!(
        e.contains("recorded as passed") && e.contains("同级核对机构"),
        "{e}"
    );
    let mut rb2 = Rulebook::default();
    rb2.entrustment.max_age_days = Some(0);
    let mut c = fixture::case();
    c.entrustment.as_mut().unwrap().issued_on = date!(2026 - 09 - 21);
    c.authorization.as_mut().unwrap().signed_on = date!(2026 - 09 - 20);
    assert_eq!(
        verify(&c, &rb2, ISSUED).unwrap_err().code(),
        "entrustment_not_in_force"
    );
}

/// R2 (N §二(二)): the pre-check is made between the letter's issue and the start of the
/// verification, both included, and the authorization check it rests on between the
/// pre-check's day and the start's day, both included.
#[test]
fn the_precheck_falls_between_the_issue_and_the_start() {
    let rb = Rulebook::default();
    let h = fixture::household();
    let a = fixture::authorization();
    let e = fixture::entrustment();
    let agency = fixture::agency();
    let officer = officer();
    assert_eq!(e.issued_on, date!(2026 - 09 - 22));
    // the pre-check record says it passed at `precheck_at` (a record made elsewhere: accepting
    // it checks its times again)
    let accept = |checked_on, precheck_at, starts_at| {
        let checked = a.check(&h, checked_on, &rb).unwrap();
        let in_force = datetime!(2026-09-22 10:00 +08:00);
        let mut pc = PreCheck::perform(&e, Ok(&checked), &agency, officer.clone(), in_force, &rb);
        assert!(pc.passed(), "{:?}", pc.findings);
        pc.checked_at = precheck_at;
        AcceptedEntrustment::accept(&e, checked, &pc, &agency, starts_at, &rb)
            .map(|_| ())
            .map_err(|err| err.code())
    };
    // all on the day of issue
    let issue_day = datetime!(2026-09-22 10:00 +08:00);
    assert_eq!(accept(date!(2026 - 09 - 22), issue_day, issue_day), Ok(()));
    // a pre-check the day before the letter was issued
    assert_eq!(
        accept(
            date!(2026 - 09 - 21),
            datetime!(2026-09-21 16:00 +08:00),
            issue_day
        ),
        Err("precheck_failed")
    );
    // a pre-check a second after the start
    assert_eq!(
        accept(
            date!(2026 - 09 - 22),
            datetime!(2026-09-22 10:00:01 +08:00),
            issue_day
        ),
        Err("precheck_failed")
    );
    // the authorization checked on a day between the pre-check and the start
    let start = datetime!(2026-09-24 09:00 +08:00);
    assert_eq!(accept(date!(2026 - 09 - 23), issue_day, start), Ok(()));
    // ... but not after the start's day
    assert_eq!(
        accept(date!(2026 - 09 - 25), issue_day, start),
        Err("precheck_failed")
    );
}

#[test]
fn precheck_perform_records_what_it_found() {
    let rb = Rulebook::default();
    let h = fixture::household();
    let a = fixture::authorization();
    let e = fixture::entrustment();
    let agency = fixture::agency();
    let officer = officer();
    let at = datetime!(2026-09-23 08:30 +08:00);
    let checked = a.check(&h, ON, &rb);
    let pc = PreCheck::perform(&e, checked.as_ref(), &agency, officer.clone(), at, &rb);
    assert!(pc.passed(), "{:?}", pc.findings);
    let accepted = AcceptedEntrustment::accept(
        &e,
        checked.unwrap(),
        &pc,
        &agency,
        datetime!(2026-09-23 09:00 +08:00),
        &rb,
    )
    .unwrap();
    let v = Verification::start(accepted, datetime!(2026-09-23 09:00 +08:00), &rb);
    assert_eq!(v.plan().len(), DataCategory::ALL.len());

    // an authorization check older than the pre-check does not back it: a lapse (a refusal,
    // a change of members) after that check would go unseen
    let next_day = datetime!(2026-09-24 08:00 +08:00);
    let stale = a.check(&h, ON, &rb).unwrap();
    let pc = PreCheck::perform(&e, Ok(&stale), &agency, officer.clone(), next_day, &rb);
    assert!(pc.passed(), "{:?}", pc.findings);
    let refused = AcceptedEntrustment::accept(
        &e,
        stale,
        &pc,
        &agency,
        datetime!(2026-09-24 09:00 +08:00),
        &rb,
    )
    .unwrap_err();
    assert_eq!(refused.code(), "precheck_failed");
    assert!(
        refused.to_string().contains("checked on 2026-09-23"),
        "{refused}"
    );
    let fresh = a.check(&h, date!(2026 - 09 - 24), &rb).unwrap();
    assert!(
        AcceptedEntrustment::accept(
            &e,
            fresh,
            &pc,
            &agency,
            datetime!(2026-09-24 09:00 +08:00),
            &rb
        )
        .is_ok()
    );

    // a failed authorization check is recorded, not hidden
    let mut bad = fixture::authorization();
    bad.signatures.clear();
    let failed = bad.check(&h, ON, &rb);
    let pc = PreCheck::perform(&e, failed.as_ref(), &agency, officer.clone(), at, &rb);
    assert!(!pc.authorization_valid);
    assert!(pc.findings[0].contains("R1"));
    // a unit outside the agency's region fails business compliance
    let mut e2 = fixture::entrustment();
    e2.unit.region = "141021".parse().unwrap();
    let checked = a.check(&h, ON, &rb);
    let pc = PreCheck::perform(&e2, checked.as_ref(), &agency, officer.clone(), at, &rb);
    assert!(!pc.business_compliant);
    // so does an agency of another level than the unit's, even one whose region contains it
    let city = Agency {
        level: AgencyLevel::City,
        region: "141000".parse().unwrap(),
        ..fixture::agency()
    };
    let pc = PreCheck::perform(&e, checked.as_ref(), &city, officer.clone(), at, &rb);
    assert!(
        !pc.business_compliant && pc.findings[0].contains("同级"),
        "{:?}",
        pc.findings
    );
    // and a letter for another programme than the household's
    let mut e3 = fixture::entrustment();
    e3.programme = Programme::DestitutePersons;
    let pc = PreCheck::perform(&e3, checked.as_ref(), &agency, officer, at, &rb);
    assert!(!pc.business_compliant);
}

#[derive(Debug, Clone)]
enum Mutation {
    DropSignature(usize),
    Lapse,
    NarrowScope,
    WrongAgency,
    Withdraw,
    PrecheckAuthFalse,
    PrecheckBusinessFalse,
    PrecheckOtherLetter,
    PrecheckLate,
    NoPrecheck,
    NoEntrustment,
    NoAuthorization,
    EntrustBeforeAuthorize,
    WidenEntrustment,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0usize..3).prop_map(Mutation::DropSignature),
        Just(Mutation::Lapse),
        Just(Mutation::NarrowScope),
        Just(Mutation::WrongAgency),
        Just(Mutation::Withdraw),
        Just(Mutation::PrecheckAuthFalse),
        Just(Mutation::PrecheckBusinessFalse),
        Just(Mutation::PrecheckOtherLetter),
        Just(Mutation::PrecheckLate),
        Just(Mutation::NoPrecheck),
        Just(Mutation::NoEntrustment),
        Just(Mutation::NoAuthorization),
        Just(Mutation::EntrustBeforeAuthorize),
        Just(Mutation::WidenEntrustment),
    ]
}

fn apply(c: &mut Case, m: &Mutation) {
    match m {
        Mutation::DropSignature(i) => {
            if let Some(a) = c.authorization.as_mut()
                && *i < a.signatures.len()
            {
                a.signatures.remove(*i);
            }
        }
        Mutation::Lapse => {
            if let Some(a) = c.authorization.as_mut() {
                a.lapse_events.push(LapseEvent {
                    kind: LapseKind::Reapplication,
                    on: date!(2026 - 09 - 22),
                });
            }
        }
        Mutation::NarrowScope => {
            if let Some(a) = c.authorization.as_mut() {
                a.categories.truncate(3);
            }
        }
        Mutation::WrongAgency => {
            if let Some(e) = c.entrustment.as_mut() {
                e.agency_id = "HD999999".into();
            }
        }
        Mutation::Withdraw => {
            if let Some(e) = c.entrustment.as_mut() {
                e.withdrawn_on = Some(date!(2026 - 09 - 22));
            }
        }
        Mutation::PrecheckAuthFalse => {
            if let Some(p) = c.precheck.as_mut() {
                p.authorization_valid = false;
            }
        }
        Mutation::PrecheckBusinessFalse => {
            if let Some(p) = c.precheck.as_mut() {
                p.business_compliant = false;
            }
        }
        Mutation::PrecheckOtherLetter => {
            if let Some(p) = c.precheck.as_mut() {
                p.entrustment_number = "WT-X".into();
            }
        }
        Mutation::PrecheckLate => {
            if let Some(p) = c.precheck.as_mut() {
                p.checked_at = datetime!(2026-09-25 08:00 +08:00);
            }
        }
        Mutation::NoPrecheck => c.precheck = None,
        Mutation::NoEntrustment => c.entrustment = None,
        Mutation::NoAuthorization => c.authorization = None,
        Mutation::EntrustBeforeAuthorize => {
            if let Some(e) = c.entrustment.as_mut() {
                e.issued_on = date!(2026 - 09 - 01);
            }
        }
        Mutation::WidenEntrustment => {
            if let (Some(a), Some(e)) = (c.authorization.as_mut(), c.entrustment.as_mut()) {
                a.categories.retain(|x| *x != DataCategory::Tax);
                e.categories = DataCategory::ALL.to_vec();
            }
        }
    }
}

proptest! {
    /// Whatever happens to a case, a report is only issued when the authorization passes its
    /// check on the day, the entrustment rests on it and is addressed here, and a passing
    /// pre-check for that letter by this agency is on file.
    #[test]
    fn no_report_without_both_gates(muts in proptest::collection::vec(mutation(), 0..4)) {
        let rb = Rulebook::default();
        let mut c = fixture::case();
        for m in &muts {
            apply(&mut c, m);
        }
        let result = verify(&c, &rb, ISSUED);
        let gates_pass = (|| {
            let a = c.authorization.as_ref()?;
            let e = c.entrustment.as_ref()?;
            let p = c.precheck.as_ref()?;
            let on = beijing_date(c.queries_sent_at);
            let checked = a.check(&c.household, on, &rb).ok()?;
            e.check_against(&checked).ok()?;
            e.check_in_force(on, &rb).ok()?;
            (e.agency_id == c.agency.id
                && p.passed()
                && p.entrustment_number == e.number
                && p.agency_id == c.agency.id
                && beijing_date(p.checked_at) <= on)
                .then_some(())
        })()
        .is_some();
        prop_assert_eq!(result.is_ok(), gates_pass, "mutations {:?} gave {:?}", muts, result.err());
        if muts.is_empty() {
            prop_assert!(gates_pass);
        }
    }
}

#[test]
fn batch_letters_must_match_their_header() {
    let mut e = fixture::entrustment();
    e.batch = Some("PC-1".into());
    let batch = Batch {
        number: "PC-1".into(),
        unit: fixture::unit(),
        agency_id: "HD141002".into(),
        purpose: Purpose::NewApplication,
        issued_on: date!(2026 - 09 - 22),
        letter_digest: Sha256Digest::of(b"batch letter"),
        entrustments: vec![e.clone()],
    };
    assert!(batch.check_consistent().is_ok());
    let mut other = batch.clone();
    other.entrustments[0].agency_id = "HD141021".into();
    assert_eq!(
        other.check_consistent().unwrap_err().code(),
        "entrustment_wrong_agency"
    );
    let mut other = batch.clone();
    other.entrustments[0].purpose = Purpose::PeriodicRecheck;
    assert_eq!(
        other.check_consistent().unwrap_err().code(),
        "entrustment_purpose_invalid"
    );
    let mut other = batch;
    other.entrustments[0].batch = None;
    assert!(other.check_consistent().is_err());
}

/// R1 (N §二(一)): the boundaries of a letter's life. A letter signed on the day of the check
/// is in force that day; a lapse event counts from the day it happens (the check day itself
/// included) and only if it happened on or after the signing.
#[test]
fn a_letter_lapses_on_the_day_of_the_event() {
    let rb = Rulebook::default();
    let h = fixture::household();
    let mut a = fixture::authorization();
    // signed on the day of the check: valid
    assert!(a.defects(&h, a.signed_on, &rb).is_empty());
    // an event on the day of the check lapses the letter that day
    a.lapse_events = vec![LapseEvent {
        kind: LapseKind::Refusal,
        on: ON,
    }];
    assert_eq!(codes(&a, &h, &rb), vec!["lapsed"]);
    // an event on the day of signing lapses it
    a.lapse_events[0].on = a.signed_on;
    assert_eq!(codes(&a, &h, &rb), vec!["lapsed"]);
    // an event the day before signing belongs to an earlier letter
    a.lapse_events[0].on = date!(2026 - 09 - 20);
    assert!(codes(&a, &h, &rb).is_empty());
}

/// A member who does not live with the household: an adult (full capacity) and a child
/// whose guardian is the applicant.
fn household_with_members_elsewhere() -> (Household, ResidentId, ResidentId) {
    let adult = fixture::id("14100219950101001");
    let minor = fixture::id("14100220120101002");
    let mut h = fixture::household();
    h.members.push(Member {
        id: adult.clone(),
        name: "王大明".into(),
        relation: Relation::Child,
        capacity: CivilCapacity::Full,
        co_resident: false,
        guardian: None,
    });
    h.members.push(Member {
        id: minor.clone(),
        name: "王小红".into(),
        relation: Relation::Grandchild,
        capacity: CivilCapacity::Limited,
        co_resident: false,
        guardian: Some(Person {
            id: spouse(),
            name: "李秀英".into(),
        }),
    });
    (h, adult, minor)
}

/// R1: a member living elsewhere is queried only with their own signature: in person when
/// they have full capacity, through their own guardian otherwise (N §二(一)).
#[test]
fn members_living_elsewhere_are_authorized_only_by_their_own_signature() {
    let rb = Rulebook::default();
    let (h, adult, minor) = household_with_members_elsewhere();
    let member = |id: &ResidentId| h.member(id).unwrap().clone();
    let authorizes =
        |a: &Authorization, id: &ResidentId| a.check(&h, ON, &rb).unwrap().authorizes(&member(id));
    // co-resident members are covered by the checked letter
    let a = fixture::authorization();
    assert!(authorizes(&a, &applicant()));
    assert!(authorizes(&a, &child()));
    // nobody signed for the members elsewhere: neither is authorized, although the minor's
    // guardian signed the letter for herself
    assert!(!authorizes(&a, &adult));
    assert!(!authorizes(&a, &minor));
    // the adult signs in person
    let mut a2 = fixture::authorization();
    a2.signatures.push(Signature {
        signer: Person {
            id: adult.clone(),
            name: "王大明".into(),
        },
        on_behalf_of: None,
    });
    assert!(authorizes(&a2, &adult));
    assert!(!authorizes(&a2, &minor));
    // someone other than the minor's guardian signs for her: not authorized
    let mut a3 = fixture::authorization();
    a3.signatures.push(Signature {
        signer: Person {
            id: applicant(),
            name: "王建国".into(),
        },
        on_behalf_of: Some(minor.clone()),
    });
    assert!(!authorizes(&a3, &minor));
    // her guardian signs for her: authorized (and only her)
    let mut a4 = fixture::authorization();
    a4.signatures.push(Signature {
        signer: Person {
            id: spouse(),
            name: "李秀英".into(),
        },
        on_behalf_of: Some(minor.clone()),
    });
    assert!(authorizes(&a4, &minor));
    assert!(!authorizes(&a4, &adult));
}

/// R1: who may sign a letter in person: a member, a member's guardian, a supporter or a
/// supporter's spouse; anyone else is `signer_unknown`.
#[test]
fn only_members_guardians_supporters_and_their_spouses_sign() {
    let rb = Rulebook::default();
    let grandmother = fixture::id("14100219500101002");
    let supporter = fixture::id("14100219900101001");
    let wife = fixture::id("14100219910101002");
    let stranger = fixture::id("14100219800101005");
    let mut h = fixture::household();
    // the child's guardian is a grandmother who is not a member
    h.members[2].guardian = Some(Person {
        id: grandmother.clone(),
        name: "张桂兰".into(),
    });
    h.supporters.push(Supporter {
        id: supporter.clone(),
        name: "王大".into(),
        duty: SupportDuty::Elder,
        spouse: Some(Person {
            id: wife.clone(),
            name: "刘二".into(),
        }),
    });
    let in_person = |id: &ResidentId| Signature {
        signer: Person {
            id: id.clone(),
            name: "某人".into(),
        },
        on_behalf_of: None,
    };
    let mut a = fixture::authorization();
    a.signatures[2].signer.id = grandmother.clone();
    assert!(codes(&a, &h, &rb).is_empty());
    for known in [&grandmother, &supporter, &wife] {
        let mut signed = a.clone();
        signed.signatures.push(in_person(known));
        assert!(codes(&signed, &h, &rb).is_empty(), "{known:?}");
    }
    let mut signed = a.clone();
    signed.signatures.push(in_person(&stranger));
    assert_eq!(codes(&signed, &h, &rb), vec!["signer_unknown"]);
}

/// R2 (同级核对机构, N §二(二); N §一(二)): the agency of the entrusting unit's own level and
/// region does the work, for every level; another level or another region fails the
/// pre-check's business compliance.
#[test]
fn each_unit_goes_to_the_agency_of_its_own_level_and_region() {
    let rb = Rulebook::default();
    let h = fixture::household();
    let a = fixture::authorization();
    let checked = a.check(&h, ON, &rb);
    let officer = officer();
    let at = datetime!(2026-09-23 08:30 +08:00);
    let passes = |unit_region: &str, level: AgencyLevel, agency_region: &str| {
        let mut e = fixture::entrustment();
        e.unit.region = unit_region.parse().unwrap();
        let agency = Agency {
            level,
            region: agency_region.parse().unwrap(),
            ..fixture::agency()
        };
        let pc = PreCheck::perform(&e, checked.as_ref(), &agency, officer.clone(), at, &rb);
        assert!(pc.authorization_valid);
        pc.business_compliant
    };
    // each level's own agency
    assert!(passes("141002", AgencyLevel::County, "141002"));
    assert!(passes("141000", AgencyLevel::City, "141000"));
    assert!(passes("140000", AgencyLevel::Province, "140000"));
    // the right region at another level
    assert!(!passes("141002", AgencyLevel::City, "141002"));
    assert!(!passes("141000", AgencyLevel::Province, "141000"));
    assert!(!passes("140000", AgencyLevel::Ministry, "140000"));
    // the right level, a region that contains the unit's but is not it
    assert!(!passes("141002", AgencyLevel::County, "141000"));
    assert!(!passes("141000", AgencyLevel::City, "140000"));
    // another level and a containing region
    assert!(!passes("141002", AgencyLevel::Province, "140000"));
}
