//! Permissions: roles → allowed actions and data categories, default deny, and what each role
//! sees of personal data (R11).
//!
//! N §三: "严控各类人员数据处理权限，持续提升对重要、核心数据和个人信息的保护力度"; 个人信息保护法
//! Arts 5–6: minimum scope. A role not in the table, an action not granted, a category not
//! granted: each is a deny with its reason.

use std::fmt;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

use super::account::{AccountStatus, OperatorAccount};
use super::audit::{AuditEvent, Decision, EventKind};
use crate::category::DataCategory;
use crate::digest::Sha256Digest;
use crate::error::SecurityError;
use crate::id::ResidentId;

/// Something an operator does in the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Action {
    /// R2: record the pre-check of an entrustment.
    Precheck,
    /// R2: start a verification.
    StartVerification,
    /// Query one data category (needs the category).
    QueryData,
    /// Read a report.
    ViewReport,
    /// R3: issue a report.
    IssueReport,
    /// Sign a report.
    SignReport,
    /// Export a report out of the system.
    ExportReport,
    /// R10: archive a document.
    ArchiveDocument,
    /// R10: read the archive.
    ViewArchive,
    /// R11: register, activate, lock or unlock accounts.
    ManageAccounts,
    /// R11: read the audit log.
    ViewAuditLog,
}

impl Action {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Precheck => "precheck",
            Action::StartVerification => "start_verification",
            Action::QueryData => "query_data",
            Action::ViewReport => "view_report",
            Action::IssueReport => "issue_report",
            Action::SignReport => "sign_report",
            Action::ExportReport => "export_report",
            Action::ArchiveDocument => "archive_document",
            Action::ViewArchive => "view_archive",
            Action::ManageAccounts => "manage_accounts",
            Action::ViewAuditLog => "view_audit_log",
        }
    }

    fn needs_category(self) -> bool {
        matches!(self, Action::QueryData)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much of one kind of personal data a role sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// As it is.
    Full,
    /// Masked: a resident ID keeps its region code and last two characters
    /// (`360426**********71`), a name or an officer's name its first character (`张*`), an
    /// address its first third (at most six characters: `临汾市******`), an amount becomes
    /// `"***"`.
    Masked,
    /// Left out: in a JSON document the key is removed from its object (an array element
    /// becomes `null`); in a report's text and its printed form, where nothing can be left
    /// out without changing the sentence, the value becomes `***`.
    Hidden,
}

/// What a role sees of resident IDs, names, addresses, officers' names and amounts.
///
/// A report is masked by the type of its personal data, wherever it stands, free text
/// included: [`mask_report`](Self::mask_report), [`report_view`](Self::report_view) (JSON) and
/// [`render_markdown`](Self::render_markdown). The report itself says what its personal data
/// is (its members' names and IDs, its officers, the addresses its facts give), so every
/// occurrence of those values is found, not only the fields named for them.
///
/// [`apply`](Self::apply) masks any other JSON document (a case) in place by key-shape rules:
///
/// - **resident IDs**: every string value that is a valid resident ID (checksum and all),
///   wherever it is. An ID already masked (`360426**********71`, as reports carry them)
///   stays as it is, unless IDs are hidden: then it is left out too. IDs inside longer text
///   are left as they are.
/// - **names**: the string under a `name` key in an object that also holds a resident ID
///   value, whole or masked (the shape of a person, member, supporter or signer in hedui
///   documents, and of a report's member).
/// - **amounts**: integer values under a key named `fen` or ending in `_fen` (hedui writes
///   money as integer fen), and the `declared`, `found` and `difference` of a declared-vs-found
///   comparison whose `item` is an amount (`income_fen`, `financial_assets_fen`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaskPolicy {
    /// Resident IDs.
    pub resident_ids: Visibility,
    /// Names of persons (household members, the people in a case).
    pub names: Visibility,
    /// Money amounts.
    pub amounts: Visibility,
    /// Addresses (a registered address, a property's location); as `names` when absent, so
    /// a table written before addresses were masked shows them no more than names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Visibility>,
    /// Names of officers (the pre-check officer, investigators); as `names` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officers: Option<Visibility>,
}

impl MaskPolicy {
    /// Sees everything the report holds (its resident IDs are held masked already): the
    /// agency's own printed copy.
    pub const FULL: MaskPolicy = MaskPolicy {
        resident_ids: Visibility::Full,
        names: Visibility::Full,
        amounts: Visibility::Full,
        addresses: Some(Visibility::Full),
        officers: Some(Visibility::Full),
    };

    /// Sees nothing: what a role outside the table gets.
    pub const NOTHING: MaskPolicy = MaskPolicy {
        resident_ids: Visibility::Hidden,
        names: Visibility::Hidden,
        amounts: Visibility::Hidden,
        addresses: Some(Visibility::Hidden),
        officers: Some(Visibility::Hidden),
    };

    /// What this role sees of addresses (`names` when the table does not say).
    pub fn addresses(&self) -> Visibility {
        self.addresses.unwrap_or(self.names)
    }

    /// What this role sees of officers' names (`names` when the table does not say).
    pub fn officers(&self) -> Visibility {
        self.officers.unwrap_or(self.names)
    }

    /// A resident ID as this role sees it; `None` when hidden.
    pub fn resident_id(&self, id: &ResidentId) -> Option<String> {
        match self.resident_ids {
            Visibility::Full => Some(id.as_str().to_owned()),
            Visibility::Masked => Some(id.masked()),
            Visibility::Hidden => None,
        }
    }

    /// A person's name as this role sees it; `None` when hidden.
    pub fn name(&self, name: &str) -> Option<String> {
        match self.names {
            Visibility::Full => Some(name.to_owned()),
            Visibility::Masked => Some(mask_name(name)),
            Visibility::Hidden => None,
        }
    }

    /// An amount in fen as this role sees it: the number, the string `"***"`, or `None`.
    pub fn amount(&self, fen: i64) -> Option<Value> {
        match self.amounts {
            Visibility::Full => Some(Value::from(fen)),
            Visibility::Masked => Some(Value::from("***")),
            Visibility::Hidden => None,
        }
    }

    /// Masks `doc` in place by the rules above.
    pub fn apply(&self, doc: &mut Value) {
        match doc {
            Value::Object(map) => {
                let person = map.values().any(|v| {
                    v.as_str()
                        .is_some_and(|s| is_masked_resident_id(s) || ResidentId::parse(s).is_ok())
                });
                let amount_item = map
                    .get("item")
                    .and_then(Value::as_str)
                    .is_some_and(is_amount_key);
                let mut hide = Vec::new();
                for (key, v) in map.iter_mut() {
                    let amount = is_amount_key(key)
                        || (amount_item
                            && matches!(key.as_str(), "declared" | "found" | "difference"));
                    let keep = if amount && (v.is_i64() || v.is_u64()) {
                        self.mask_amount(v)
                    } else if person && key == "name" && v.is_string() {
                        self.mask_name_value(v)
                    } else {
                        self.mask_nested(v)
                    };
                    if !keep {
                        hide.push(key.clone());
                    }
                }
                if !hide.is_empty() {
                    map.retain(|k, _| !hide.contains(k));
                }
            }
            Value::Array(items) => {
                for v in items {
                    if !self.mask_nested(v) {
                        *v = Value::Null;
                    }
                }
            }
            Value::String(_) => {
                let keep = self.mask_nested(doc);
                if !keep {
                    *doc = Value::Null;
                }
            }
            _ => {}
        }
    }

    /// Masks a value that may be a resident ID or contain others; `false` to drop it.
    fn mask_nested(&self, v: &mut Value) -> bool {
        match v {
            Value::String(s) => match ResidentId::parse(s) {
                Ok(id) => match self.resident_id(&id) {
                    Some(shown) => {
                        *s = shown;
                        true
                    }
                    None => false,
                },
                Err(_) => !(self.resident_ids == Visibility::Hidden && is_masked_resident_id(s)),
            },
            Value::Object(_) | Value::Array(_) => {
                self.apply(v);
                true
            }
            _ => true,
        }
    }

    fn mask_name_value(&self, v: &mut Value) -> bool {
        let Value::String(s) = v else { return true };
        match self.name(s) {
            Some(shown) => {
                *s = shown;
                true
            }
            None => false,
        }
    }

    /// Masks only the amounts of `doc` (the amount rule of [`apply`](Self::apply)); what a
    /// report's JSON view needs once its personal text is masked by type.
    pub(super) fn mask_amounts(&self, doc: &mut Value) {
        match doc {
            Value::Object(map) => {
                let amount_item = map
                    .get("item")
                    .and_then(Value::as_str)
                    .is_some_and(is_amount_key);
                let mut hide = Vec::new();
                for (key, v) in map.iter_mut() {
                    let amount = is_amount_key(key)
                        || (amount_item
                            && matches!(key.as_str(), "declared" | "found" | "difference"));
                    if amount && (v.is_i64() || v.is_u64()) {
                        if !self.mask_amount(v) {
                            hide.push(key.clone());
                        }
                    } else {
                        self.mask_amounts(v);
                    }
                }
                if !hide.is_empty() {
                    map.retain(|k, _| !hide.contains(k));
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.mask_amounts(v)),
            _ => {}
        }
    }

    fn mask_amount(&self, v: &mut Value) -> bool {
        match self.amounts {
            Visibility::Full => true,
            Visibility::Masked => {
                *v = Value::from("***");
                true
            }
            Visibility::Hidden => false,
        }
    }
}

fn is_amount_key(key: &str) -> bool {
    key == "fen" || key.ends_with("_fen")
}

/// A resident ID as [`ResidentId::masked`] writes it: the six region digits, `*` up to the
/// last two characters (18 or 15 characters in all).
pub(super) fn is_masked_resident_id(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 && b.len() != 15 {
        return false;
    }
    let (head, rest) = b.split_at(6);
    let (stars, tail) = rest.split_at(rest.len() - 2);
    head.iter().all(u8::is_ascii_digit)
        && stars.iter().all(|c| *c == b'*')
        && tail
            .iter()
            .all(|c| c.is_ascii_digit() || *c == b'X' || *c == b'x')
}

/// First character kept, every other one a `*`.
pub(super) fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            let mut out = String::with_capacity(first.len_utf8() + rest);
            out.push(first);
            out.extend(std::iter::repeat_n('*', rest));
            out
        }
    }
}

/// One role of the permissions table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleGrant {
    /// Role name, as on the operator's account.
    pub role: String,
    /// Actions allowed.
    pub actions: Vec<Action>,
    /// Data categories the role may query and see.
    #[serde(default)]
    pub categories: Vec<DataCategory>,
    /// What the role sees of personal data.
    pub view: MaskPolicy,
}

/// The permissions table: roles → actions, categories and view. Anything not granted is denied
/// (N §三 "严控各类人员数据处理权限").
///
/// The default table follows the separation of duties of 等级保护 practice (business,
/// security administration and audit apart):
///
/// | role | actions | categories | sees IDs / names / amounts / addresses / officers |
/// |---|---|---|---|
/// | `operator` 经办 | pre-check, start verification, query, view report, archive, view archive | all | masked / full / full / full / full |
/// | `reviewer` 审核 | view, issue, sign, export report; view archive | all | full / full / full / full / full |
/// | `archivist` 档案 | archive, view archive | none | masked / masked / hidden / masked / full |
/// | `security_admin` 安全管理 | manage accounts | none | hidden / masked / hidden / hidden / masked |
/// | `auditor` 审计 | view audit log | none | hidden / hidden / hidden / hidden / hidden |
///
/// The archivist sees officers' names whole: the records must show who answers for each
/// document (N §二(三) "发起核对机构对核对业务资料的有效性、合规性负责").
///
/// ```
/// use hedui_core::{DataCategory, security::{Action, Decision, Permissions}};
/// let table = Permissions::default();
/// let d = table.check("operator", Action::QueryData, Some(DataCategory::BankDeposits));
/// assert_eq!(d.decision, Decision::Permit);
/// let d = table.check("auditor", Action::QueryData, Some(DataCategory::BankDeposits));
/// assert_eq!(d.decision, Decision::Deny);
/// assert_eq!(d.reason, "role `auditor` is not granted `query_data`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Permissions {
    /// The roles.
    pub roles: Vec<RoleGrant>,
}

impl Default for Permissions {
    fn default() -> Self {
        use Visibility::{Full, Hidden, Masked};
        let view = |resident_ids, names, amounts, addresses, officers| MaskPolicy {
            resident_ids,
            names,
            amounts,
            addresses: Some(addresses),
            officers: Some(officers),
        };
        let grant = |role: &str, actions: &[Action], all: bool, v: MaskPolicy| RoleGrant {
            role: role.to_owned(),
            actions: actions.to_vec(),
            categories: if all {
                DataCategory::ALL.to_vec()
            } else {
                Vec::new()
            },
            view: v,
        };
        Permissions {
            roles: vec![
                grant(
                    "operator",
                    &[
                        Action::Precheck,
                        Action::StartVerification,
                        Action::QueryData,
                        Action::ViewReport,
                        Action::ArchiveDocument,
                        Action::ViewArchive,
                    ],
                    true,
                    view(Masked, Full, Full, Full, Full),
                ),
                grant(
                    "reviewer",
                    &[
                        Action::ViewReport,
                        Action::IssueReport,
                        Action::SignReport,
                        Action::ExportReport,
                        Action::ViewArchive,
                    ],
                    true,
                    view(Full, Full, Full, Full, Full),
                ),
                grant(
                    "archivist",
                    &[Action::ArchiveDocument, Action::ViewArchive],
                    false,
                    view(Masked, Masked, Hidden, Masked, Full),
                ),
                grant(
                    "security_admin",
                    &[Action::ManageAccounts],
                    false,
                    view(Hidden, Masked, Hidden, Hidden, Masked),
                ),
                grant(
                    "auditor",
                    &[Action::ViewAuditLog],
                    false,
                    view(Hidden, Hidden, Hidden, Hidden, Hidden),
                ),
            ],
        }
    }
}

/// The outcome of a permission check, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PermissionDecision {
    /// Permit or deny.
    pub decision: Decision,
    /// Role checked.
    pub role: String,
    /// Action asked for.
    pub action: Action,
    /// Category asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<DataCategory>,
    /// Why.
    pub reason: String,
}

impl PermissionDecision {
    /// Whether the action is permitted.
    pub fn is_permit(&self) -> bool {
        self.decision == Decision::Permit
    }

    /// The decision as a result.
    ///
    /// # Errors
    /// [`SecurityError::PermissionDenied`] for a deny.
    pub fn require(&self) -> Result<(), SecurityError> {
        match self.decision {
            Decision::Permit => Ok(()),
            Decision::Deny => Err(SecurityError::PermissionDenied {
                role: self.role.clone(),
                action: self.action.as_str(),
                reason: self.reason.clone(),
            }),
        }
    }

    /// The audit record of this check, for [`AuditChain::append`](crate::security::AuditChain::append):
    /// `actor` is the operator account, `context` the SHA-256 of the request.
    pub fn audit_event(
        &self,
        at: OffsetDateTime,
        actor: &str,
        context: Sha256Digest,
    ) -> AuditEvent {
        AuditEvent {
            at,
            event: EventKind::PermissionCheck,
            decision: self.decision,
            actor: actor.to_owned(),
            reason: self.reason.clone(),
            context,
        }
    }
}

impl Permissions {
    /// The grant of `role`, if the table has one.
    pub fn grant(&self, role: &str) -> Option<&RoleGrant> {
        self.roles.iter().find(|g| g.role == role)
    }

    /// Whether `role` may do `action` (on `category`, where given). Default deny: a role not in
    /// the table, an action or category not granted, or a data query without a category is
    /// refused, and the reason says which (N §三 "严控各类人员数据处理权限").
    pub fn check(
        &self,
        role: &str,
        action: Action,
        category: Option<DataCategory>,
    ) -> PermissionDecision {
        let decide = |decision, reason: String| PermissionDecision {
            decision,
            role: role.to_owned(),
            action,
            category,
            reason,
        };
        let Some(grant) = self.grant(role) else {
            return decide(
                Decision::Deny,
                format!("role `{role}` has no grants (default deny)"),
            );
        };
        if !grant.actions.contains(&action) {
            return decide(
                Decision::Deny,
                format!("role `{role}` is not granted `{action}`"),
            );
        }
        match category {
            None if action.needs_category() => {
                decide(Decision::Deny, format!("`{action}` needs a data category"))
            }
            Some(c) if !grant.categories.contains(&c) => decide(
                Decision::Deny,
                format!("role `{role}` is not granted category `{c}`"),
            ),
            Some(c) => decide(
                Decision::Permit,
                format!("role `{role}` is granted `{action}` on `{c}`"),
            ),
            None => decide(
                Decision::Permit,
                format!("role `{role}` is granted `{action}`"),
            ),
        }
    }

    /// [`check`](Self::check) for an operator account: an account that is not active (pending
    /// or locked) is denied whatever its role.
    pub fn check_account(
        &self,
        account: &OperatorAccount,
        action: Action,
        category: Option<DataCategory>,
    ) -> PermissionDecision {
        let status = account.status();
        if status != AccountStatus::Active {
            let state = match status {
                AccountStatus::Locked => "locked",
                _ => "not active",
            };
            return PermissionDecision {
                decision: Decision::Deny,
                role: account.role().to_owned(),
                action,
                category,
                reason: format!("account `{}` is {state}", account.account()),
            };
        }
        self.check(account.role(), action, category)
    }

    /// What `role` sees of personal data; [`MaskPolicy::NOTHING`] for a role not in the table.
    pub fn view(&self, role: &str) -> MaskPolicy {
        self.grant(role).map_or(MaskPolicy::NOTHING, |g| g.view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::security::{AuditChain, AuditKey};
    use serde_json::json;
    use time::macros::datetime;

    #[test]
    fn permissions_deny_by_default() {
        let table = Permissions::default();
        let d = table.check("nobody", Action::ViewReport, None);
        assert_eq!(d.decision, Decision::Deny);
        assert_eq!(d.reason, "role `nobody` has no grants (default deny)");
        let empty = Permissions { roles: vec![] };
        for role in ["operator", "reviewer", ""] {
            assert!(!empty.check(role, Action::ViewReport, None).is_permit());
        }
        assert!(!table.check("auditor", Action::ViewReport, None).is_permit());
        assert!(
            !table
                .check("operator", Action::IssueReport, None)
                .is_permit()
        );
        assert!(
            !table
                .check("archivist", Action::ViewArchive, Some(DataCategory::Tax))
                .is_permit()
        );
        let d = table.check("operator", Action::QueryData, None);
        assert_eq!(d.reason, "`query_data` needs a data category");
        assert!(
            table
                .check("operator", Action::QueryData, Some(DataCategory::Tax))
                .is_permit()
        );
        assert!(
            table
                .check("reviewer", Action::SignReport, None)
                .is_permit()
        );

        let mut narrow = Permissions::default();
        narrow.roles[0].categories = vec![DataCategory::HouseholdRegistration];
        let d = narrow.check(
            "operator",
            Action::QueryData,
            Some(DataCategory::BankDeposits),
        );
        assert_eq!(
            d.reason,
            "role `operator` is not granted category `bank_deposits`"
        );
        let e = d.require().unwrap_err();
        assert_eq!(e.code(), "permission_denied");
        assert_eq!(
            e.to_string(),
            "R11 security (N §三): role `operator` may not `query_data`: role `operator` is not granted category `bank_deposits`"
        );
        assert_eq!(
            serde_json::from_value::<Permissions>(serde_json::to_value(&narrow).unwrap()).unwrap(),
            narrow
        );
    }

    #[test]
    fn checks_are_audited() {
        let key = AuditKey::new("k", &[3u8; 32]).unwrap();
        let mut chain = AuditChain::new("c").unwrap();
        let table = Permissions::default();
        for (role, action) in [
            ("operator", Action::Precheck),
            ("auditor", Action::Precheck),
        ] {
            let d = table.check(role, action, None);
            chain
                .append(
                    &key,
                    d.audit_event(
                        datetime!(2026-03-02 10:00 +08:00),
                        "op-7",
                        Sha256Digest::of(b"req"),
                    ),
                )
                .unwrap();
        }
        chain.verify(&key.clone().into()).unwrap();
        let e = &chain.entries()[1];
        assert_eq!(e.event, EventKind::PermissionCheck);
        assert_eq!(e.decision, Decision::Deny);
        assert_eq!(e.reason, "role `auditor` is not granted `precheck`");
    }

    fn report() -> Value {
        json!({
            "number": "BG-1",
            "agency": { "id": "A-141002", "name": "尧都区核对中心" },
            "members": [
                { "id": "360426199101010071", "name": "张三", "relation": "applicant" },
                { "id": "11010519491231002X", "name": "欧阳娜娜", "deposits_fen": 1234567 }
            ],
            "subjects": ["360426199101010071"],
            "total_fen": 1234567,
            "note": "360426199101010071 inside text stays"
        })
    }

    #[test]
    fn masking_by_role() {
        let table = Permissions::default();
        let mut r = report();
        table.view("reviewer").apply(&mut r);
        assert_eq!(r, report());

        let mut r = report();
        table.view("operator").apply(&mut r);
        assert_eq!(r["members"][0]["id"], "360426**********71");
        assert_eq!(r["members"][0]["name"], "张三");
        assert_eq!(r["subjects"][0], "360426**********71");
        assert_eq!(r["total_fen"], 1234567);

        let mut r = report();
        table.view("archivist").apply(&mut r);
        assert_eq!(r["members"][1]["id"], "110105**********2X");
        assert_eq!(r["members"][1]["name"], "欧***");
        assert_eq!(r["agency"]["name"], "尧都区核对中心"); // not a person
        assert!(r["members"][1].get("deposits_fen").is_none());
        assert!(r.get("total_fen").is_none());

        let mut r = report();
        table.view("nobody").apply(&mut r);
        assert!(r["members"][0].get("id").is_none());
        assert!(r["members"][0].get("name").is_none());
        assert_eq!(r["subjects"][0], Value::Null);
        assert_eq!(r["number"], "BG-1");
        assert_eq!(r["note"], "360426199101010071 inside text stays");

        let masked = MaskPolicy {
            resident_ids: Visibility::Masked,
            names: Visibility::Masked,
            amounts: Visibility::Masked,
            addresses: None,
            officers: None,
        };
        assert_eq!(
            masked.addresses(),
            Visibility::Masked,
            "as names when absent"
        );
        assert_eq!(
            masked.officers(),
            Visibility::Masked,
            "as names when absent"
        );
        let mut r = report();
        masked.apply(&mut r);
        assert_eq!(r["total_fen"], "***");
        assert_eq!(masked.name("张三").unwrap(), "张*");
        assert_eq!(masked.name("李").unwrap(), "李*");
        assert_eq!(masked.name("").unwrap(), "");
        assert_eq!(masked.amount(5).unwrap(), "***");
        let mut top = json!("360426199101010071");
        MaskPolicy::NOTHING.apply(&mut top);
        assert_eq!(top, Value::Null);
    }

    const MASKED: MaskPolicy = MaskPolicy {
        resident_ids: Visibility::Masked,
        names: Visibility::Masked,
        amounts: Visibility::Masked,
        addresses: None,
        officers: None,
    };

    const AMOUNTS_HIDDEN: MaskPolicy = MaskPolicy {
        amounts: Visibility::Hidden,
        ..MASKED
    };

    /// Amounts in a document: every whole number under a `fen` or `…_fen` key at any depth
    /// (negative ones and ones past `i64` too), and the declared, found and difference of an
    /// item that is itself an amount; not a text under such a key, not a `fence`, not the
    /// differences of a count.
    fn amounts() -> Value {
        json!({
            "total_fen": 5,
            "fen": 7,
            "change_fen": -300,
            "huge_fen": u64::MAX,
            "label_fen": "text",
            "fence": 9,
            "count": 3,
            "differences": [
                { "item": "deposits_fen", "declared": 100, "found": -200, "difference": -300 },
                { "item": "members", "declared": 3, "found": 4, "difference": 1 }
            ],
            "nested": { "balance_fen": 1, "months": 12 }
        })
    }

    /// R11 least privilege (N §三): `apply` and `mask_amounts` mask the same amounts, as
    /// `"***"` for a masked view and by leaving the key out for a hidden one.
    #[test]
    fn amounts_are_found_at_every_depth_and_nothing_else_is() {
        let masked = json!({
            "total_fen": "***",
            "fen": "***",
            "change_fen": "***",
            "huge_fen": "***",
            "label_fen": "text",
            "fence": 9,
            "count": 3,
            "differences": [
                { "item": "deposits_fen", "declared": "***", "found": "***", "difference": "***" },
                { "item": "members", "declared": 3, "found": 4, "difference": 1 }
            ],
            "nested": { "balance_fen": "***", "months": 12 }
        });
        let hidden = json!({
            "label_fen": "text",
            "fence": 9,
            "count": 3,
            "differences": [
                { "item": "deposits_fen" },
                { "item": "members", "declared": 3, "found": 4, "difference": 1 }
            ],
            "nested": { "months": 12 }
        });
        for (policy, want) in [(MASKED, &masked), (AMOUNTS_HIDDEN, &hidden)] {
            let mut doc = amounts();
            policy.mask_amounts(&mut doc);
            assert_eq!(&doc, want, "mask_amounts");
            let mut doc = amounts();
            policy.apply(&mut doc);
            assert_eq!(&doc, want, "apply");
        }
        let mut doc = amounts();
        MaskPolicy::FULL.mask_amounts(&mut doc);
        assert_eq!(doc, amounts());
    }

    /// R11 least privilege: a name is a person's (and masked) in an object that also holds
    /// a resident ID, whole or already masked; other texts of that object, a name that is not
    /// text and a name in an object without an ID (an agency's) stay as they are.
    #[test]
    fn names_are_masked_beside_resident_ids_only() {
        let mut doc = json!({
            "members": [
                { "id": "360426**********71", "name": "张三", "relation": "applicant" },
                { "id": "11010519491231002X", "name": "李四", "relation": "spouse" },
                { "name": "王五", "relation": "child" },
                { "id": "360426199101010071", "name": 42 }
            ]
        });
        MASKED.apply(&mut doc);
        assert_eq!(
            doc,
            json!({
                "members": [
                    { "id": "360426**********71", "name": "张*", "relation": "applicant" },
                    { "id": "110105**********2X", "name": "李*", "relation": "spouse" },
                    { "name": "王五", "relation": "child" },
                    { "id": "360426**********71", "name": 42 }
                ]
            })
        );
    }

    /// R11 least privilege: an ID that is already masked stays for a view that masks IDs and
    /// goes for one that hides them (left out of an object, null in a list).
    #[test]
    fn a_masked_resident_id_goes_only_where_ids_are_hidden() {
        let doc = || json!({ "id": "360426**********71", "ids": ["360426*******71"] });
        let mut shown = doc();
        MASKED.apply(&mut shown);
        assert_eq!(shown, doc());
        let mut hidden = doc();
        MaskPolicy::NOTHING.apply(&mut hidden);
        assert_eq!(hidden, json!({ "ids": [null] }));
    }

    /// The shape `ResidentId::masked` writes: six digits, stars, then the last two characters
    /// (digits, or a check character X in either case), 18 or 15 characters in all.
    #[test]
    fn masked_resident_ids_are_recognised_by_their_shape() {
        for id in [
            "360426**********71",
            "110105**********2X",
            "110105**********2x",
            "360426*******71",
        ] {
            assert!(is_masked_resident_id(id), "{id}");
        }
        for id in [
            "360426*********71",  // 17 characters
            "360426********71",   // 16
            "36042a**********71", // a letter among the region digits
            "360426*****0****71", // a digit among the stars
            "360426**********7Y", // not a check character
            "360426**********A1", // a letter before the last one
            "360426199101010071", // a whole ID
            "******************", // stars only
        ] {
            assert!(!is_masked_resident_id(id), "{id}");
        }
    }

    /// R11 (N §三): a locked account is refused and the reason says it is locked.
    #[test]
    fn a_locked_account_is_denied_as_locked() {
        let account = pending_account();
        let mut doc = serde_json::to_value(&account).unwrap();
        doc["locked"] = json!(true);
        let locked: OperatorAccount = serde_json::from_value(doc).unwrap();
        assert_eq!(locked.status(), AccountStatus::Locked);
        let d = Permissions::default().check_account(&locked, Action::ViewReport, None);
        assert_eq!(d.decision, Decision::Deny);
        assert_eq!(d.reason, "account `zhangsan` is locked");
    }

    /// A registered account that has not been activated yet.
    fn pending_account() -> OperatorAccount {
        let agency = crate::Agency {
            id: "A-1".into(),
            name: "核对中心".into(),
            level: crate::AgencyLevel::County,
            region: "141002".parse().unwrap(),
        };
        OperatorAccount::register(
            crate::security::AccountRequest {
                account: "zhangsan".into(),
                name: "张三".into(),
                resident_id: "360426199101010071".parse().unwrap(),
                registration_number: "BA-1".into(),
                registered_on: time::macros::date!(2026 - 03 - 01),
                agency_id: "A-1".into(),
                role: "reviewer".into(),
                confidentiality_signed_on: None,
            },
            &[agency],
        )
        .unwrap()
    }

    #[test]
    fn inactive_accounts_are_denied() {
        let account = pending_account();
        let d = Permissions::default().check_account(&account, Action::ViewReport, None);
        assert_eq!(d.decision, Decision::Deny);
        assert_eq!(d.reason, "account `zhangsan` is not active");
    }
}
