//! Shared helpers for the cross-crate tests in `tests/`.
#![forbid(unsafe_code)]

pub mod schemas;

/// The repository README's Rust sample, compiled as a doctest (`cargo test -p hedui-tests --doc`).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct RepositoryReadme;

use hedui_core::{Case, Rulebook, verify};
use time::OffsetDateTime;
use time::macros::datetime;

/// Path of the JSON corpus shared by the Rust, Python and C tests.
pub fn corpus_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Issue time of every corpus report (`2026-11-29T10:00:00+08:00`).
pub const CORPUS_ISSUED_AT: OffsetDateTime = datetime!(2026-11-29 10:00 +08:00);

/// The outcome file content for a case: the report's compact JSON, or
/// `{"error":"<code>"}`, each followed by a newline. Bindings must produce the same.
pub fn verify_to_outcome(
    case_json: &str,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> String {
    let result = Case::from_json(case_json).and_then(|c| verify(&c, rulebook, issued_at));
    match result {
        Ok(report) => serde_json::to_string(&report).unwrap_or_default() + "\n",
        Err(e) => format!("{{\"error\":\"{}\"}}\n", e.code()),
    }
}

/// Builders for hand-made cases with known answers.
#[allow(
    clippy::unwrap_used,
    reason = "fixtures are literal, valid test data; a failure is a bug in the fixture"
)]
pub mod fixture {
    use hedui_core::*;
    use time::macros::{date, datetime};

    /// A valid resident ID from 17 leading digits.
    pub fn id(first17: &str) -> ResidentId {
        let check = ResidentId::check_char(first17).unwrap_or('0');
        ResidentId::parse(&format!("{first17}{check}")).unwrap()
    }

    /// Applicant (male, born 1971-05-12).
    pub fn applicant() -> ResidentId {
        id("14100219710512001")
    }
    /// Spouse (female, born 1973-08-30).
    pub fn spouse() -> ResidentId {
        id("14100219730830002")
    }
    /// Child (born 2015-03-01, limited capacity).
    pub fn child() -> ResidentId {
        id("14100220150301003")
    }

    /// The verifying agency: Yaodu district, county level.
    pub fn agency() -> Agency {
        Agency {
            id: "HD141002".into(),
            name: "尧都区居民家庭经济状况核对中心".into(),
            level: AgencyLevel::County,
            region: "141002".parse().unwrap(),
        }
    }

    /// A three-member 低保 household.
    pub fn household() -> Household {
        let region: RegionCode = "141002".parse().unwrap();
        Household {
            id: "H-FIX-1".into(),
            region,
            programme: Programme::MinimumLivingAllowance,
            members: vec![
                Member {
                    id: applicant(),
                    name: "王建国".into(),
                    relation: Relation::Applicant,
                    capacity: CivilCapacity::Full,
                    co_resident: true,
                    guardian: None,
                },
                Member {
                    id: spouse(),
                    name: "李秀英".into(),
                    relation: Relation::Spouse,
                    capacity: CivilCapacity::Full,
                    co_resident: true,
                    guardian: None,
                },
                Member {
                    id: child(),
                    name: "王小明".into(),
                    relation: Relation::Child,
                    capacity: CivilCapacity::Limited,
                    co_resident: true,
                    guardian: Some(Person {
                        id: applicant(),
                        name: "王建国".into(),
                    }),
                },
            ],
            supporters: vec![],
        }
    }

    /// A valid authorization for [`household`], signed 2026-09-21.
    pub fn authorization() -> Authorization {
        Authorization {
            number: "SQ-FIX-1".into(),
            household_id: "H-FIX-1".into(),
            signatures: vec![
                Signature {
                    signer: Person {
                        id: applicant(),
                        name: "王建国".into(),
                    },
                    on_behalf_of: None,
                },
                Signature {
                    signer: Person {
                        id: spouse(),
                        name: "李秀英".into(),
                    },
                    on_behalf_of: None,
                },
                Signature {
                    signer: Person {
                        id: applicant(),
                        name: "王建国".into(),
                    },
                    on_behalf_of: Some(child()),
                },
            ],
            categories: DataCategory::ALL.to_vec(),
            signed_on: date!(2026 - 09 - 21),
            lapse_events: vec![],
            letter_digest: Sha256Digest::of(b"authorization scan"),
        }
    }

    /// The entrusting unit.
    pub fn unit() -> EntrustingUnit {
        EntrustingUnit {
            name: "尧都区某街道办事处".into(),
            credit_code: "91110000600037341L".parse().unwrap(),
            region: "141002".parse().unwrap(),
        }
    }

    /// An entrustment for all categories, issued 2026-09-22.
    pub fn entrustment() -> Entrustment {
        Entrustment {
            number: "WT-FIX-1".into(),
            batch: None,
            unit: unit(),
            agency_id: "HD141002".into(),
            purpose: Purpose::NewApplication,
            programme: Programme::MinimumLivingAllowance,
            household_id: "H-FIX-1".into(),
            subjects: vec![applicant(), spouse(), child()],
            authorization_number: "SQ-FIX-1".into(),
            categories: DataCategory::ALL.to_vec(),
            issued_on: date!(2026 - 09 - 22),
            valid_until: None,
            withdrawn_on: None,
            letter_digest: Sha256Digest::of(b"entrustment scan"),
            appeal: None,
            relief_reference: None,
            requested_on: None,
        }
    }

    /// A passing pre-check made on 2026-09-23 at 08:30.
    pub fn precheck() -> PreCheck {
        PreCheck {
            entrustment_number: "WT-FIX-1".into(),
            agency_id: "HD141002".into(),
            officer: Officer {
                operator_id: "op-1".into(),
                name: "赵敏".into(),
            },
            checked_at: datetime!(2026-09-23 08:30 +08:00),
            authorization_valid: true,
            business_compliant: true,
            findings: vec![],
        }
    }

    /// The case, queries sent Wednesday 2026-09-23 09:00, with no answers yet.
    pub fn case() -> Case {
        Case {
            case_id: "C-FIX-1".into(),
            agency: agency(),
            household: household(),
            authorization: Some(authorization()),
            entrustment: Some(entrustment()),
            precheck: Some(precheck()),
            queries_sent_at: datetime!(2026-09-23 09:00 +08:00),
            responses: vec![],
            offline_results: vec![],
            declaration: None,
        }
    }

    /// An answer from `level` for `category` about `subject` at `at`.
    pub fn answer(
        category: DataCategory,
        level: AgencyLevel,
        subject: ResidentId,
        at: time::OffsetDateTime,
        facts: Vec<Fact>,
    ) -> QueryResponse {
        QueryResponse {
            category,
            level,
            subject,
            responded_at: at,
            facts,
            channel: hedui_core::report::QueryChannel::DepartmentQuery,
        }
    }
}

/// One request of the operations corpus (`corpus/ops/<operation>/<case>.json`). A case named
/// `<case>@<rulebook>` is run under the rulebook `corpus/rulebooks/<rulebook>.json` instead of
/// the built-in one, in every host.
#[derive(Debug, Clone)]
pub struct OpsCase {
    /// The operation (a name in `hedui_ops::catalog`).
    pub operation: String,
    /// `<operation>/<case>`.
    pub name: String,
    /// The request document.
    pub request: String,
    /// The rulebook's JSON for a case named `<case>@<rulebook>`; `None` for the built-in one.
    pub rulebook: Option<String>,
    /// Where its outcome is recorded: `corpus/ops-expected/<operation>/<case>.json`, the
    /// response's compact JSON or `{"error":"<code>"}`, each followed by a newline.
    pub expected_path: std::path::PathBuf,
}

/// Every request of the operations corpus, sorted by operation and case; empty when the
/// corpus cannot be read.
pub fn ops_corpus() -> Vec<OpsCase> {
    let root = corpus_dir().join("ops");
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    for dir in dirs.flatten() {
        let operation = dir.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let file_name = file.file_name().to_string_lossy().into_owned();
            let Some(stem) = file_name.strip_suffix(".json") else {
                continue;
            };
            let Ok(request) = std::fs::read_to_string(file.path()) else {
                continue;
            };
            let rulebook = stem.split_once('@').map(|(_, name)| ops_rulebook(name));
            out.push(OpsCase {
                rulebook,
                name: format!("{operation}/{stem}"),
                expected_path: corpus_dir()
                    .join("ops-expected")
                    .join(&operation)
                    .join(&file_name),
                operation: operation.clone(),
                request,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The text of `corpus/rulebooks/<name>.json`, the rulebook of the ops corpus cases named
/// `<case>@<name>`; a missing file gives text that no host reads as a rulebook, so the case
/// fails loudly rather than running under the built-in rulebook.
pub fn ops_rulebook(name: &str) -> String {
    std::fs::read_to_string(corpus_dir().join("rulebooks").join(format!("{name}.json")))
        .unwrap_or_else(|_| format!("missing rulebook `{name}`"))
}
