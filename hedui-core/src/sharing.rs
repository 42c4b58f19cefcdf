//! Data-sharing agreements and the query plan: own level first, upper levels as supplement
//! (R6, N §一(二), §一(三)).

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::agency::AgencyLevel;
use crate::category::DataCategory;
use crate::household::Programme;

/// Whether a level can query a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Shared and queryable at this level.
    Shared,
    /// Not shared with the verification system at this level 未实现共享.
    NotShared,
    /// Shared in principle, but the agency has no means to query it 不具备查询条件.
    NoMeans,
}

/// How a category is queried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum QueryMethod {
    /// Online interface through a government data-exchange platform 政务数据交换平台.
    Online,
    /// Batch file exchange 批量交换.
    BatchExchange,
    /// Offline data exchange and comparison with the department 线下数据交换比对.
    OfflineExchange,
}

impl QueryMethod {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            QueryMethod::Online => "在线接口",
            QueryMethod::BatchExchange => "批量交换",
            QueryMethod::OfflineExchange => "线下交换比对",
        }
    }
}

/// The agreement between a level's verification agency and a data department for one
/// category: query content (the allowed fields, minimum scope), method and feedback deadline
/// (N §一(三): "依据“安全、必要、最小范围”原则 … 与信息共享部门确定合理的查询内容、方式及反馈时限").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SharingAgreement {
    /// Category.
    pub category: DataCategory,
    /// Level whose agency holds the agreement.
    pub level: AgencyLevel,
    /// Availability at this level.
    pub availability: Availability,
    /// Fields the department may return (minimum scope); any other field is rejected.
    pub fields: Vec<String>,
    /// Query method.
    pub method: QueryMethod,
    /// Feedback deadline in working days after the query is sent; 0 (or omitted) for none
    /// set, when the rulebook's `deadlines.feedback_working_days` applies.
    #[serde(default)]
    pub feedback_working_days: u32,
    /// Scope of use 使用范围 (N §一(三) 明确共享数据的使用范围): the assistance programmes, besides
    /// the one a verification was entrusted for, whose work a report carrying this data may
    /// serve. Empty (the default): the entrusted use only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub use_scope: Vec<Programme>,
}

/// Where one category is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum PlannedRoute {
    /// Queried at the agency's own level.
    OwnLevel {
        /// The level.
        level: AgencyLevel,
    },
    /// Queried at an upper level because the own level cannot (supplement only).
    UpperLevel {
        /// The upper level that answers.
        level: AgencyLevel,
    },
    /// No level can query it: the entrusting unit investigates offline at once (R7).
    Offline {
        /// Own level's availability, as the reason.
        reason: Availability,
    },
    /// Not in the entrustment's (authorized ∩ requested) scope.
    OutsideScope,
}

/// A category that an upper level can query but the own level cannot: a sharing gap the
/// agency should close (R6, N §一(二) "上级已实现查询的数据，各级仍应积极推进本级相应数据的共享查询").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SharingGap {
    /// Category.
    pub category: DataCategory,
    /// Own level.
    pub own_level: AgencyLevel,
    /// Why the own level cannot query it.
    pub own_availability: Availability,
    /// The lowest upper level that can.
    pub upper_level: AgencyLevel,
}

/// One category's place in a query plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlannedQuery {
    /// Category.
    pub category: DataCategory,
    /// Route.
    pub route: PlannedRoute,
    /// Feedback deadline in working days (0 when not queried online).
    pub feedback_working_days: u32,
}

/// Plans each category in [`DataCategory::ALL`] for an agency at `own_level` (R6).
///
/// N §一(二): "各级核对机构应以本级共享数据查询为基础开展核对工作，上级核对数据仅作为本级核对数据的补充".
/// Categories outside `scope` are [`PlannedRoute::OutsideScope`]; the others go to the own
/// level when it can query them, else to the lowest upper level that can, else offline.
pub fn plan_queries(
    agreements: &[SharingAgreement],
    own_level: AgencyLevel,
    scope: &[DataCategory],
) -> (Vec<PlannedQuery>, Vec<SharingGap>) {
    let mut plan = Vec::with_capacity(DataCategory::ALL.len());
    let mut gaps = Vec::new();
    for category in DataCategory::ALL {
        if !scope.contains(&category) {
            plan.push(PlannedQuery {
                category,
                route: PlannedRoute::OutsideScope,
                feedback_working_days: 0,
            });
            continue;
        }
        let own = find(agreements, category, own_level);
        let own_availability = own.map_or(Availability::NotShared, |a| a.availability);
        if let Some(a) = own.filter(|a| a.availability == Availability::Shared) {
            plan.push(PlannedQuery {
                category,
                route: PlannedRoute::OwnLevel { level: own_level },
                feedback_working_days: a.feedback_working_days,
            });
            continue;
        }
        let upper = AgencyLevel::ALL
            .into_iter()
            .filter(|l| *l > own_level)
            .find_map(|l| {
                find(agreements, category, l).filter(|a| a.availability == Availability::Shared)
            });
        match upper {
            Some(a) => {
                gaps.push(SharingGap {
                    category,
                    own_level,
                    own_availability,
                    upper_level: a.level,
                });
                plan.push(PlannedQuery {
                    category,
                    route: PlannedRoute::UpperLevel { level: a.level },
                    feedback_working_days: a.feedback_working_days,
                });
            }
            None => plan.push(PlannedQuery {
                category,
                route: PlannedRoute::Offline {
                    reason: own_availability,
                },
                feedback_working_days: 0,
            }),
        }
    }
    (plan, gaps)
}

/// The agreement for `category` at `level`, if any.
pub(crate) fn find(
    agreements: &[SharingAgreement],
    category: DataCategory,
    level: AgencyLevel,
) -> Option<&SharingAgreement> {
    agreements
        .iter()
        .find(|a| a.category == category && a.level == level)
}

/// The built-in agreements: a plausible Shanxi-style picture in which the county level shares
/// most internal and government data, bank deposits come through the province, securities and
/// commercial insurance through the ministry, and prisoner data is not yet shared anywhere
/// (N §一(三) names it among the data to be brought into sharing). Deployments replace this
/// table with their own agreements.
pub fn default_agreements() -> Vec<SharingAgreement> {
    use AgencyLevel::{City, County, Ministry, Province};
    use Availability::{NoMeans, NotShared, Shared};
    use DataCategory as C;
    use QueryMethod::{BatchExchange, Online};
    let f = |names: &[&str]| names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut out = Vec::new();
    let mut add = |category, level, availability, fields: Vec<String>, method, days| {
        out.push(SharingAgreement {
            category,
            level,
            availability,
            fields,
            method,
            feedback_working_days: days,
            use_scope: Vec::new(),
        });
    };
    let hr = f(&[
        "registered_members",
        "address",
        "relation_to_head",
        "death_on",
    ]);
    let veh = f(&["vehicle_type", "commercial", "registered_on"]);
    let si = f(&[
        "item",
        "income_type",
        "paid_on",
        "amount_fen",
        "exempt",
        "employer",
        "contribution_base_fen",
    ]);
    let re = f(&[
        "location",
        "area_m2_x100",
        "usage",
        "acquired_on",
        "event",
        "on",
        "price_fen",
    ]);
    let biz = f(&[
        "credit_code",
        "name",
        "role",
        "registered_capital_fen",
        "status",
    ]);
    let tax = f(&[
        "item",
        "income_type",
        "paid_on",
        "amount_fen",
        "exempt",
        "tax",
    ]);
    let pf = f(&[
        "balance_fen",
        "monthly_contribution_fen",
        "on",
        "amount_fen",
        "reason",
    ]);
    let bank = f(&["institution", "balance_fen", "over_limit"]);
    let sec = f(&["institution", "market_value_fen"]);
    let ins = f(&["insurer", "product", "cash_value_fen"]);
    let pay = f(&[
        "employer",
        "item",
        "income_type",
        "paid_on",
        "amount_fen",
        "exempt",
    ]);
    let pri = f(&["since", "until"]);
    let mar = f(&["event", "on"]);
    let fun = f(&["on"]);
    let orph = f(&[
        "item",
        "income_type",
        "paid_on",
        "amount_fen",
        "exempt",
        "since",
        "until",
    ]);
    let dis = f(&["item", "income_type", "paid_on", "amount_fen", "exempt"]);
    add(
        C::HouseholdRegistration,
        County,
        Shared,
        hr.clone(),
        Online,
        3,
    );
    add(C::HouseholdRegistration, Province, Shared, hr, Online, 3);
    add(C::Vehicles, County, NotShared, veh.clone(), Online, 5);
    add(C::Vehicles, City, Shared, veh, Online, 5);
    add(C::SocialInsurance, County, Shared, si.clone(), Online, 5);
    add(C::SocialInsurance, Province, Shared, si, Online, 5);
    add(C::RealEstate, County, Shared, re.clone(), BatchExchange, 5);
    add(C::RealEstate, Province, Shared, re, Online, 5);
    add(
        C::BusinessRegistration,
        County,
        Shared,
        biz.clone(),
        Online,
        3,
    );
    add(C::BusinessRegistration, Ministry, Shared, biz, Online, 5);
    add(C::Tax, County, NoMeans, tax.clone(), Online, 5);
    add(C::Tax, City, Shared, tax, BatchExchange, 10);
    add(
        C::HousingProvidentFund,
        County,
        Shared,
        pf,
        BatchExchange,
        5,
    );
    add(
        C::BankDeposits,
        County,
        NotShared,
        bank.clone(),
        BatchExchange,
        10,
    );
    add(C::BankDeposits, Province, Shared, bank, BatchExchange, 10);
    add(C::Securities, Ministry, Shared, sec, BatchExchange, 15);
    add(
        C::CommercialInsurance,
        Ministry,
        Shared,
        ins,
        BatchExchange,
        15,
    );
    add(C::PublicPayroll, County, Shared, pay, BatchExchange, 5);
    add(C::Prisoners, County, NotShared, pri, Online, 5);
    add(C::Marriage, County, Shared, mar.clone(), Online, 2);
    add(C::Marriage, Ministry, Shared, mar, Online, 3);
    add(C::Funeral, County, Shared, fun, Online, 2);
    add(C::Orphans, County, Shared, orph, Online, 2);
    add(C::DisabilitySubsidies, County, Shared, dis, Online, 2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Chinese names of the query methods an agreement sets (N §一(三) 查询方式).
    #[test]
    fn query_methods_have_their_chinese_names() {
        assert_eq!(
            [
                QueryMethod::Online.label_zh(),
                QueryMethod::BatchExchange.label_zh(),
                QueryMethod::OfflineExchange.label_zh(),
            ],
            ["在线接口", "批量交换", "线下交换比对"]
        );
    }

    #[test]
    fn own_level_first_then_upper_then_offline() {
        let agreements = default_agreements();
        let scope = DataCategory::ALL.to_vec();
        let (plan, gaps) = plan_queries(&agreements, AgencyLevel::County, &scope);
        let route = |c| plan.iter().find(|p| p.category == c).unwrap().route;
        // shared at both county and province: own level wins
        assert_eq!(
            route(DataCategory::HouseholdRegistration),
            PlannedRoute::OwnLevel {
                level: AgencyLevel::County
            }
        );
        // not shared at county, shared at city: upper-level supplement and a sharing gap
        assert_eq!(
            route(DataCategory::Vehicles),
            PlannedRoute::UpperLevel {
                level: AgencyLevel::City
            }
        );
        assert!(gaps.iter().any(|g| g.category == DataCategory::Vehicles
            && g.upper_level == AgencyLevel::City
            && g.own_availability == Availability::NotShared));
        // no means at county, city can
        assert_eq!(
            route(DataCategory::Tax),
            PlannedRoute::UpperLevel {
                level: AgencyLevel::City
            }
        );
        // nobody can: offline at once
        assert_eq!(
            route(DataCategory::Prisoners),
            PlannedRoute::Offline {
                reason: Availability::NotShared
            }
        );
        // no county-level agreement at all counts as not shared
        assert_eq!(
            route(DataCategory::Securities),
            PlannedRoute::UpperLevel {
                level: AgencyLevel::Ministry
            }
        );
        // categories shared at county produce no gap
        assert!(
            !gaps
                .iter()
                .any(|g| g.category == DataCategory::HouseholdRegistration)
        );
    }

    #[test]
    fn city_agency_does_not_go_down_a_level() {
        let agreements = default_agreements();
        let (plan, _) = plan_queries(&agreements, AgencyLevel::City, &DataCategory::ALL);
        let route = |c| plan.iter().find(|p| p.category == c).unwrap().route;
        // public payroll is shared only at county: a city agency cannot use a lower level
        assert_eq!(
            route(DataCategory::PublicPayroll),
            PlannedRoute::Offline {
                reason: Availability::NotShared
            }
        );
        assert_eq!(
            route(DataCategory::Vehicles),
            PlannedRoute::OwnLevel {
                level: AgencyLevel::City
            }
        );
    }

    #[test]
    fn outside_scope_is_never_queried() {
        let (plan, gaps) = plan_queries(
            &default_agreements(),
            AgencyLevel::County,
            &[DataCategory::BankDeposits],
        );
        assert_eq!(
            plan.iter()
                .filter(|p| p.route == PlannedRoute::OutsideScope)
                .count(),
            15
        );
        assert_eq!(gaps.len(), 1);
    }
}
