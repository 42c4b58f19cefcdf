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
        ("report.schema.json", pretty::<h::Report>()),
        ("rulebook.schema.json", pretty::<h::Rulebook>()),
        ("household.schema.json", pretty::<h::Household>()),
        ("authorization.schema.json", pretty::<h::Authorization>()),
        (
            "authorization-defect.schema.json",
            pretty::<h::AuthorizationDefect>(),
        ),
        ("entrustment.schema.json", pretty::<h::Entrustment>()),
        ("batch.schema.json", pretty::<h::Batch>()),
        ("precheck.schema.json", pretty::<h::PreCheck>()),
        ("recheck-request.schema.json", pretty::<h::RecheckRequest>()),
        ("report-history.schema.json", pretty::<h::ReportHistory>()),
        ("application.schema.json", pretty::<h::Application>()),
        (
            "verification-record.schema.json",
            pretty::<h::VerificationRecord>(),
        ),
        (
            "assisted-household.schema.json",
            pretty::<h::AssistedHousehold>(),
        ),
        ("relief-grant.schema.json", pretty::<h::ReliefGrant>()),
        ("relief-ledger.schema.json", pretty::<h::ReliefLedger>()),
        (
            "archived-document.schema.json",
            pretty::<h::ArchivedDocument>(),
        ),
        ("audit-entry.schema.json", pretty::<h::AuditEntry>()),
        ("account-request.schema.json", pretty::<h::AccountRequest>()),
        ("session.schema.json", pretty::<h::Session>()),
        ("permissions.schema.json", pretty::<h::Permissions>()),
    ]
}

/// The folder the schemas live in.
pub fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("schemas")
}
