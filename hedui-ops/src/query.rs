//! `query_plan` (R6 本级为主、上级补充): where each category is queried, and the sharing gaps.

use hedui_core::{
    AgencyLevel, DataCategory, Rulebook,
    sharing::{PlannedQuery, SharingAgreement, SharingGap, plan_queries},
};
use serde::{Deserialize, Serialize};

use crate::failure::Failure;
use crate::json;

/// The request of `query_plan`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QueryPlanRequest {
    /// The level of the agency that verifies.
    pub own_level: AgencyLevel,
    /// The entrustment's scope (authorized ∩ requested); every category when absent.
    #[serde(default)]
    pub scope: Option<Vec<DataCategory>>,
    /// The sharing agreements; the rulebook's when absent.
    #[serde(default)]
    pub agreements: Option<Vec<SharingAgreement>>,
}

/// The response of `query_plan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryPlan {
    /// One entry per category, in the core's order.
    pub plan: Vec<PlannedQuery>,
    /// Categories an upper level answers because the own level cannot: gaps to close.
    pub sharing_gaps: Vec<SharingGap>,
}

/// Operation `query_plan`: each category at the agency's own level, upper levels only as
/// supplement, offline when no level can query it (R6, R7).
pub fn query_plan(rulebook: &Rulebook, request: &QueryPlanRequest) -> QueryPlan {
    let agreements = request
        .agreements
        .as_deref()
        .unwrap_or(&rulebook.agreements);
    let scope = request.scope.as_deref().unwrap_or(&DataCategory::ALL);
    let (plan, sharing_gaps) = plan_queries(agreements, request.own_level, scope);
    QueryPlan { plan, sharing_gaps }
}

/// [`query_plan`] through the JSON adapter.
///
/// # Errors
/// `input_json` when `request_json` is not a [`QueryPlanRequest`].
pub fn query_plan_json(rulebook: &Rulebook, request_json: &str) -> Result<Vec<u8>, Failure> {
    json::call("query plan request", request_json, |r: QueryPlanRequest| {
        Ok(query_plan(rulebook, &r))
    })
}
