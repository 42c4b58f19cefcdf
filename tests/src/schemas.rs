//! The JSON Schemas checked in under `schemas/`, generated from the core types.

use schemars::{JsonSchema, schema_for};

fn pretty<T: JsonSchema>() -> String {
    let schema = schema_for!(T);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

/// Every schema file name with its content, in a fixed order.
pub fn all() -> Vec<(&'static str, String)> {
    use hedui_core as h;
    vec![
        ("case.schema.json", pretty::<h::Case>()),
        // the Arrow tables of the batch outputs (Parquet, IPC, Python)
        ("tables.md", hedui_ops::columns::describe()),
        ("report.schema.json", pretty::<h::Report>()),
        ("rulebook.schema.json", pretty::<h::Rulebook>()),
        ("household.schema.json", pretty::<h::Household>()),
        ("authorization.schema.json", pretty::<h::Authorization>()),
        (
            "authorization-defect.schema.json",
            pretty::<h::error::AuthorizationDefect>(),
        ),
        ("entrustment.schema.json", pretty::<h::Entrustment>()),
        ("batch.schema.json", pretty::<h::Batch>()),
        ("precheck.schema.json", pretty::<h::PreCheck>()),
        (
            "recheck-request.schema.json",
            pretty::<h::appeal::RecheckRequest>(),
        ),
        (
            "report-history.schema.json",
            pretty::<h::appeal::ReportHistory>(),
        ),
        (
            "application.schema.json",
            pretty::<h::population::Application>(),
        ),
        (
            "verification-record.schema.json",
            pretty::<h::population::VerificationRecord>(),
        ),
        (
            "assisted-household.schema.json",
            pretty::<h::population::AssistedHousehold>(),
        ),
        // what `coverage_audit` and `recheck_schedule` return (the Python TypedDicts of
        // hedui-py/python/hedui/types.py are generated from these)
        (
            "coverage-report.schema.json",
            pretty::<h::population::CoverageReport>(),
        ),
        (
            "recheck-schedule.schema.json",
            pretty::<h::population::RecheckSchedule<'static>>(),
        ),
        (
            "recheck-batches.schema.json",
            pretty::<h::population::BatchPlan>(),
        ),
        (
            "recheck-summary.schema.json",
            pretty::<h::population::RecheckSummary>(),
        ),
        (
            "relief-grant.schema.json",
            pretty::<h::population::ReliefGrant>(),
        ),
        (
            "relief-ledger.schema.json",
            pretty::<h::population::ReliefLedger>(),
        ),
        (
            "archived-document.schema.json",
            pretty::<h::security::ArchivedDocument>(),
        ),
        (
            "audit-entry.schema.json",
            pretty::<h::security::AuditEntry>(),
        ),
        (
            "account-request.schema.json",
            pretty::<h::security::AccountRequest>(),
        ),
        ("session.schema.json", pretty::<h::security::Session>()),
        (
            "permissions.schema.json",
            pretty::<h::security::Permissions>(),
        ),
    ]
}

/// The folder the schemas live in.
pub fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("schemas")
}
