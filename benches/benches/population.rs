//! Population rules at the scale of a province: a coverage audit (R5) of 1,000,000
//! applications and a recheck schedule (R8) of 1,000,000 households, each on one core.
//!
//! Run: `cargo bench -p hedui-benches --bench population`.
#![expect(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "bench set-up over fixed sample data"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hedui_core::{
    DataCategory, Programme, RegionCode, ResidentId, Rulebook,
    population::{
        AnsweredBy, Application, ApplicationKind, AssistedHousehold, CategoryQuery, HouseholdType,
        RecheckEvent, RecheckEventKind, VerificationRecord, audit_coverage, schedule_rechecks,
    },
    rulebook::RecheckBatchOptions,
    sample::{LINFEN_COUNTIES, SampleRng},
};
use time::macros::date;
use time::{Date, Duration as Days};

const N: usize = 1_000_000;

/// The sample generator's splitmix64, plus odds per mille.
struct Rng(SampleRng);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.0.below(1000) < per_mille
    }
}

/// The Linfen county codes (GB/T 2260) of the sample data, as text.
fn linfen() -> Vec<String> {
    LINFEN_COUNTIES
        .iter()
        .map(|(code, _)| code.to_string())
        .collect()
}

fn resident(rng: &mut Rng, region: &str) -> ResidentId {
    let birth = date!(1940 - 01 - 01) + Days::days(rng.below(365 * 80) as i64);
    let body = format!(
        "{region}{:04}{:02}{:02}{:03}",
        birth.year(),
        u8::from(birth.month()),
        birth.day(),
        rng.below(1000)
    );
    let check = ResidentId::check_char(&body).unwrap();
    format!("{body}{check}").parse().unwrap()
}

fn coverage_input() -> (Vec<Application>, Vec<VerificationRecord>, Vec<RegionCode>) {
    let mut rng = Rng(SampleRng::new(0x00c0_ffee));
    let linfen = linfen();
    let regions: Vec<RegionCode> = linfen.iter().map(|r| r.parse().unwrap()).collect();
    let mut apps = Vec::with_capacity(N);
    let mut records = Vec::with_capacity(N);
    for i in 0..N {
        let r = rng.below(linfen.len() as u64) as usize;
        let members: Vec<ResidentId> = (0..1 + rng.below(4))
            .map(|_| resident(&mut rng, &linfen[r]))
            .collect();
        let applied_on = date!(2025 - 01 - 01) + Days::days(rng.below(365) as i64);
        let household_id = format!("H{i:08}");
        apps.push(Application {
            id: format!("SQ{i:08}"),
            household_id: household_id.clone(),
            region: regions[r],
            applied_on,
            programme: Programme::MinimumLivingAllowance,
            kind: if rng.chance(900) {
                ApplicationKind::New
            } else {
                ApplicationKind::Existing
            },
            members: members.clone(),
        });
        if rng.chance(5) {
            continue; // never verified
        }
        let mut verified = members;
        if rng.chance(5) && verified.len() > 1 {
            verified.pop(); // member missing
        }
        let queried = DataCategory::ALL
            .iter()
            .filter_map(|&category| {
                let answered_by = match rng.below(1000) {
                    0 => return None, // category never queried
                    1..=799 => AnsweredBy::County,
                    800..=949 => AnsweredBy::City,
                    950..=996 => AnsweredBy::Province,
                    _ => AnsweredBy::Offline,
                };
                Some(CategoryQuery {
                    category,
                    answered_by,
                })
            })
            .collect();
        records.push(VerificationRecord {
            household_id,
            number: format!("WT{i:08}"),
            // a few were verified the day before they applied (a stale check)
            verified_on: applied_on + Days::days(rng.below(10) as i64 - i64::from(rng.chance(5))),
            members: verified,
            queried,
            region: regions[r],
        });
    }
    (apps, records, regions)
}

fn recheck_input() -> Vec<AssistedHousehold> {
    let mut rng = Rng(SampleRng::new(0x5eed));
    let linfen = linfen();
    let programmes = [
        Programme::MinimumLivingAllowance,
        Programme::MinimumLivingAllowance,
        Programme::MinimumLivingAllowance,
        Programme::DestitutePersons,
        Programme::LowIncomeMargin,
    ];
    let types = [
        HouseholdType::Stable,
        HouseholdType::UnstableAbleToWork,
        HouseholdType::UrbanCategoryC,
    ];
    (0..N)
        .map(|i| {
            let last_checked: Date = date!(2025 - 01 - 01) + Days::days(rng.below(425) as i64);
            let mut events = Vec::new();
            if rng.chance(10) {
                events.push(RecheckEvent {
                    kind: RecheckEventKind::MemberDeath,
                    on: last_checked + Days::days(rng.below(200) as i64),
                });
            }
            if rng.chance(10) {
                events.push(RecheckEvent {
                    kind: RecheckEventKind::MembershipChange,
                    on: last_checked + Days::days(rng.below(200) as i64),
                });
            }
            AssistedHousehold {
                household_id: format!("H{i:08}"),
                programme: programmes[rng.below(5) as usize],
                household_type: types[rng.below(3) as usize],
                last_checked,
                authorization_signed_on: last_checked - Days::days(30),
                agency_id: format!("A-{}", linfen[rng.below(17) as usize]),
                events,
            }
        })
        .collect()
}

fn population(c: &mut Criterion) {
    let (apps, records, regions) = coverage_input();
    let households = recheck_input();
    let rulebook = Rulebook::default();
    let as_of = date!(2026 - 03 - 01);

    let report = audit_coverage(&apps, &records, &regions, &DataCategory::ALL);
    eprintln!("coverage sample:\n{report}");
    let schedule = schedule_rechecks(&households, as_of, &rulebook);
    let plan = schedule.batches(&RecheckBatchOptions::default()).unwrap();
    eprintln!(
        "recheck sample: {} scheduled, {} due, {} batches, {} households awaiting authorization",
        schedule.entries.len(),
        schedule.due().count(),
        plan.batches.len(),
        schedule.awaiting_authorization().count()
    );

    let mut group = c.benchmark_group("population");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("coverage_audit_1m_applications", |b| {
        b.iter(|| {
            audit_coverage(
                black_box(&apps),
                black_box(&records),
                &regions,
                &DataCategory::ALL,
            )
        });
    });
    group.bench_function("recheck_schedule_1m_households", |b| {
        b.iter(|| {
            schedule_rechecks(black_box(&households), as_of, &rulebook)
                .entries
                .len()
        });
    });
    group.bench_function("recheck_schedule_and_batches_1m_households", |b| {
        b.iter(|| {
            let schedule = schedule_rechecks(black_box(&households), as_of, &rulebook);
            schedule
                .batches(&RecheckBatchOptions::default())
                .unwrap()
                .batches
                .len()
        });
    });
    group.finish();
}

criterion_group!(benches, population);
criterion_main!(benches);
