//! Secrets and personal data do not leak through `Debug` (R11, 个人信息保护法 Art 51): `Debug`
//! output ends up in logs and panic messages, so it shows no name, no whole resident ID, no
//! amount, no password, password hash, salt or seed.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use hedui_core::rulebook::SecurityRules;
use hedui_core::security::{AccountRequest, OperatorAccount, ReportSigner};
use hedui_core::{Agency, AgencyLevel, Rulebook, verify};
use hedui_ops::account::AccountLoginRequest;
use hedui_ops::security::{ReportSignRequest, SecretBytes, SecretText};
use hedui_tests::fixture;
use time::macros::{date, datetime};

/// Every name and whole resident ID of the fixture household.
fn personal_data() -> Vec<String> {
    let household = fixture::household();
    let mut out = Vec::new();
    for m in &household.members {
        out.push(m.name.clone());
        out.push(m.id.as_str().to_owned());
        if let Some(g) = &m.guardian {
            out.push(g.name.clone());
            out.push(g.id.as_str().to_owned());
        }
    }
    out
}

fn assert_clean(debug: &str, secrets: &[String]) {
    for s in secrets {
        assert!(!debug.contains(s.as_str()), "Debug shows `{s}`: {debug}");
    }
}

#[test]
fn household_members_and_cases_print_no_names_or_whole_ids() {
    let secrets = personal_data();
    let household = fixture::household();
    let debug = format!("{household:?}");
    assert_clean(&debug, &secrets);
    // the masked ids and the shape are still there
    assert!(
        debug.contains(household.members[0].id.masked().as_str()),
        "{debug}"
    );
    assert!(debug.contains("Applicant"), "{debug}");
    for m in &household.members {
        assert_clean(&format!("{m:?}"), &secrets);
        assert_clean(&format!("{m:#?}"), &secrets);
    }
    let guardian = household.members[2].guardian.clone().unwrap();
    assert_clean(&format!("{guardian:?}"), &secrets);
    // a whole case: household, authorization letter, entrustment, pre-check
    assert_clean(&format!("{:?}", fixture::case()), &secrets);
}

#[test]
fn a_report_prints_its_identity_not_its_content() {
    // a sample case with facts, so that the report has amounts
    let rb = Rulebook::default();
    let case = (0..100)
        .map(|i| hedui_core::sample::sample_case(2026, i, &rb))
        .find(|s| s.expected_error.is_none())
        .unwrap()
        .case;
    let report = verify(&case, &rb, datetime!(2026-11-29 10:00 +08:00)).unwrap();
    let debug = format!("{report:?}");
    let mut secrets: Vec<String> = case
        .household
        .members
        .iter()
        .flat_map(|m| [m.name.clone(), m.id.as_str().to_owned()])
        .collect();
    // the amounts: every figure of the aggregates with more than three digits
    let aggregates = serde_json::to_value(&report.aggregates).unwrap();
    fn numbers(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Number(n) if n.as_i64().is_some_and(|n| n.abs() >= 1000) => {
                out.push(n.to_string());
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| numbers(x, out)),
            _ => {}
        }
    }
    let before = secrets.len();
    numbers(&aggregates, &mut secrets);
    assert!(secrets.len() > before, "the fixture report has amounts");
    secrets.push(report.statement.clone());
    assert_clean(&debug, &secrets);
    assert!(debug.contains(&report.report_number), "{debug}");
    for m in &report.members {
        assert_clean(&format!("{m:?}"), &secrets);
    }
}

#[test]
fn an_operator_account_prints_no_name_id_or_password_hash() {
    let agency = Agency {
        id: "A-141002".into(),
        name: "尧都区核对中心".into(),
        level: AgencyLevel::County,
        region: "141002".parse().unwrap(),
    };
    let request = AccountRequest {
        account: "zhangsan".into(),
        name: "张三丰".into(),
        resident_id: "360426199101010071".parse().unwrap(),
        registration_number: "BA-2026-001".into(),
        registered_on: date!(2026 - 03 - 01),
        agency_id: "A-141002".into(),
        role: "operator".into(),
        confidentiality_signed_on: None,
    };
    let mut secrets = vec!["张三丰".to_owned(), "360426199101010071".to_owned()];
    assert_clean(&format!("{request:?}"), &secrets);
    let mut account = OperatorAccount::register(request, &[agency]).unwrap();
    let mut policy = Rulebook::default().password;
    policy.pbkdf2_iterations = hedui_core::rulebook::floors::STORED_PBKDF2_ITERATIONS.min;
    let salt = [0x5au8; 16];
    account
        .set_password(
            "Tj7#kq2m",
            &salt,
            date!(2026 - 03 - 01),
            &policy,
            &SecurityRules::default(),
        )
        .unwrap();
    let stored = serde_json::to_value(&account).unwrap();
    let hash = stored["passwords"][0]["hash"].as_str().unwrap().to_owned();
    let salt_hex = stored["passwords"][0]["salt"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 64);
    secrets.extend([hash, salt_hex, "Tj7#kq2m".to_owned()]);
    let debug = format!("{account:?}");
    assert_clean(&debug, &secrets);
    assert!(
        debug.contains("zhangsan") && debug.contains("iterations"),
        "{debug}"
    );

    // the operations' requests carry the password as a secret
    let login = AccountLoginRequest {
        account,
        password: SecretText::new("Tj7#kq2m".to_owned()),
        at: datetime!(2026-03-02 09:00 +8),
    };
    assert_clean(&format!("{login:?}"), &secrets);
    let text: serde_json::Value = serde_json::to_value(&login).unwrap();
    assert_eq!(text["password"], "Tj7#kq2m", "in JSON it is a plain string");
}

#[test]
fn seeds_and_signers_print_no_key_material() {
    let seed = [0xabu8; 32];
    let secret = SecretBytes::new(seed.to_vec());
    assert_eq!(format!("{secret:?}"), "SecretBytes(32 bytes)");
    let signer = ReportSigner::from_seed("agency-2026", &seed).unwrap();
    let debug = format!("{signer:?}");
    assert!(!debug.contains("171") && !debug.contains("ab"), "{debug}");
    let request = ReportSignRequest {
        report: verify(
            &fixture::case(),
            &Rulebook::default(),
            datetime!(2026-10-20 10:00 +08:00),
        )
        .unwrap(),
        key_id: "agency-2026".into(),
        seed_hex: secret,
        algorithm: Default::default(),
    };
    let debug = format!("{request:?}");
    assert!(!debug.contains(&"ab".repeat(32)), "{debug}");
    assert!(debug.contains("SecretBytes(32 bytes)"), "{debug}");
}
