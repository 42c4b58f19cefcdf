//! The operations catalog: every operation a host can call, once, with the name each binding
//! gives it. Names follow one rule, so that an operation is found under the same words in C,
//! uniffi and Python:
//!
//! - the operation is `<noun>_<verb>` (`authorization_check`, `report_verify_digest`);
//! - C: `hedui_<operation>`, plus `_json` / `_jsonl` when it exchanges JSON documents
//!   ([`Form`]); an operation with an issue time also has `..._at`, the time given;
//! - uniffi: the C name without `hedui_`;
//! - Python: the operation's name (Python takes and returns dicts, not JSON text);
//! - an operation on an object (a handle: [`Operation::object`]) is a method there: uniffi
//!   `AuditChain.append_json`, Python `AuditChain.append`; its `new` is the constructor.
//!
//! The bindings' READMEs carry [`markdown_table`], and a test compares them.

/// How an operation exchanges documents with a host that speaks text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// JSON documents in and out: C and uniffi names end in `_json`.
    Json,
    /// JSON lines in (and out): names end in `_jsonl`.
    Jsonl,
    /// Other arguments and results (a bool, Markdown, a handle): no suffix.
    Plain,
}

impl Form {
    fn suffix(self) -> &'static str {
        match self {
            Form::Json => "_json",
            Form::Jsonl => "_jsonl",
            Form::Plain => "",
        }
    }
}

/// Where the Python package stands with an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Python {
    /// `hedui.<operation>` (or the method of its object) exists under the rule's name.
    Named,
    /// It exists under an older name, to be renamed when Python moves onto hedui-ops.
    Today(&'static str),
    /// Not in Python yet.
    Missing,
    /// Python has it under an established name of its own, which it keeps
    /// (`check_resident_id` for `resident_id_check`): analysts' code already calls it so.
    Kept(&'static str),
}

/// One operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// `<noun>_<verb>`.
    pub name: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// How it exchanges documents.
    pub form: Form,
    /// The object it is a method of (`AuditChain`), if any.
    pub object: Option<&'static str>,
    /// It also takes an issue time (`..._at`).
    pub at: bool,
    /// In the C ABI.
    pub c: bool,
    /// In the uniffi bindings.
    pub uniffi: bool,
    /// In the Python package.
    pub python: Python,
}

const fn op(name: &'static str, form: Form, summary: &'static str) -> Operation {
    Operation {
        name,
        summary,
        form,
        object: None,
        at: false,
        c: true,
        uniffi: true,
        python: Python::Named,
    }
}

const fn on(object: &'static str, mut o: Operation) -> Operation {
    o.object = Some(object);
    o
}

/// An operation only the Python package has (one that writes files: C and uniffi hosts print
/// the HTML themselves).
const fn python_only(mut o: Operation) -> Operation {
    o.c = false;
    o.uniffi = false;
    o
}

/// An operation Python has under an established name of its own, which it keeps.
const fn python_as(name: &'static str, mut o: Operation) -> Operation {
    o.python = Python::Kept(name);
    o
}

const fn with_at(mut o: Operation) -> Operation {
    o.at = true;
    o
}

/// Every operation, in the order the READMEs list them.
pub const OPERATIONS: &[Operation] = &[
    with_at(op(
        "verify",
        Form::Json,
        "R1–R7: verify one case, the sealed report out",
    )),
    op(
        "verify_batch",
        Form::Jsonl,
        "verify a JSONL batch: reports and per-line errors",
    ),
    op(
        "authorization_check",
        Form::Json,
        "R1: every defect of an authorization letter",
    ),
    op(
        "report_render_markdown",
        Form::Plain,
        "a report as printable Chinese Markdown",
    ),
    op(
        "report_verify_digest",
        Form::Plain,
        "whether a report's SHA-256 digest matches it",
    ),
    op(
        "report_render_html",
        Form::Plain,
        "a report as printable HTML: A4, QR code on every page",
    ),
    python_only(op(
        "report_render_pdf",
        Form::Plain,
        "a report printed to PDF with headless Chromium",
    )),
    op(
        "report_check_printed",
        Form::Json,
        "R10: a printed copy's QR code against the archive",
    ),
    op(
        "report_check_use",
        Form::Json,
        "R3, N §一(三): a use of a report against its limits and agreements' scope",
    ),
    op(
        "coverage_audit",
        Form::Json,
        "R5: coverage of new applications, every gap",
    ),
    op(
        "recheck_schedule",
        Form::Json,
        "R8: due and overdue rechecks, cut into batches",
    ),
    op(
        "relief_record",
        Form::Json,
        "R4: record relief given before verification",
    ),
    op(
        "relief_close",
        Form::Json,
        "R4: close a follow-up with its sealed report",
    ),
    op(
        "relief_follow_ups",
        Form::Json,
        "R4: open, overdue and closed follow-ups",
    ),
    on(
        "AuditKeyring",
        op(
            "audit_keyring_new",
            Form::Plain,
            "R11: an empty keyring of audit MAC keys",
        ),
    ),
    on(
        "AuditKeyring",
        op(
            "audit_keyring_add",
            Form::Plain,
            "R11: add an audit MAC key by id; the newest MACs new entries",
        ),
    ),
    python_as(
        "AuditKeyring()",
        on(
            "AuditKeyring",
            op(
                "audit_keyring_new_under",
                Form::Plain,
                "R11: an empty audit keyring under the rulebook's crypto suite",
            ),
        ),
    ),
    on(
        "AuditKeyring",
        op(
            "audit_keyring_add_with",
            Form::Plain,
            "R11: add an audit MAC key of a named algorithm (hmac-sha256, hmac-sm3)",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_new",
            Form::Plain,
            "R11: an empty audit chain with its id, under a keyring",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_from_jsonl",
            Form::Plain,
            "R11: read a chain's JSONL, verified against its stored head",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_from_jsonl_after",
            Form::Plain,
            "R11: read a chain disposed of, verified from its disposal record and head",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_append",
            Form::Json,
            "R11: append a gate decision, the new head out",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_verify",
            Form::Json,
            "R11: verify against a stored head: cut, rolled back, spliced, swapped",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_head",
            Form::Json,
            "R11: the head (chain id, entries, last MAC) to store apart",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_to_jsonl",
            Form::Plain,
            "R11: the chain as JSONL",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_disposable",
            Form::Json,
            "R11: the oldest entries past log retention on a day (网络安全法 Art 21)",
        ),
    ),
    on(
        "AuditChain",
        op(
            "audit_chain_dispose",
            Form::Json,
            "R11: dispose of the oldest entries past retention, the MACed record out",
        ),
    ),
    op(
        "audit_head_sign",
        Form::Json,
        "R11: sign a chain's head with the agency's key, a checkpoint to store apart",
    ),
    op(
        "audit_head_open",
        Form::Json,
        "R11: the head of a signed checkpoint, once a trusted key's signature verifies",
    ),
    op(
        "id_check",
        Form::Json,
        "GB 11643, GB 32100, GB/T 2260: read one identifier",
    ),
    python_as(
        "check_resident_id",
        op(
            "resident_id_check",
            Form::Json,
            "GB 11643: the verdict on one resident ID (form, validity, code, birth date, sex, region)",
        ),
    ),
    python_as(
        "check_credit_code",
        op(
            "credit_code_check",
            Form::Json,
            "GB 32100: the verdict on one credit code (form, validity, code, region)",
        ),
    ),
    python_as(
        "cases_from_tables",
        op(
            "case_tables_read",
            Form::Json,
            "case documents from office tables (JSON columns), every bad row named by sheet, row and column",
        ),
    ),
    python_as(
        "cases_to_tables",
        op(
            "case_tables_write",
            Form::Json,
            "cases as the office tables' columns, enumerated cells as codes or Chinese labels",
        ),
    ),
    op(
        "query_plan",
        Form::Json,
        "R6: own level first, upper levels as supplement, gaps",
    ),
    op(
        "appeal_file",
        Form::Json,
        "R9: the recheck request for an appeal against a report",
    ),
    op(
        "report_history_record",
        Form::Json,
        "R9/R10: record a report as the next round",
    ),
    op(
        "archive_check",
        Form::Json,
        "R10: every letter missing or misfiled in the archive",
    ),
    op(
        "account_register",
        Form::Json,
        "R11: a real-name, registered operator account",
    ),
    op(
        "account_set_password",
        Form::Json,
        "R11: a new password under the policy",
    ),
    op(
        "account_activate",
        Form::Json,
        "R11: activate (confidentiality agreement signed)",
    ),
    op(
        "account_login",
        Form::Json,
        "R11: check a login; failures counted, lock-out with back-off",
    ),
    op(
        "account_login_unknown",
        Form::Json,
        "R11: refuse an unknown login name like a wrong password",
    ),
    op(
        "lending_detect",
        Form::Json,
        "R11: overlapping sessions and impossible travel",
    ),
    op(
        "password_check",
        Form::Json,
        "R11: the weak-password rules for an account",
    ),
    op(
        "permission_check",
        Form::Json,
        "R11: default-deny permission decision",
    ),
    op(
        "report_mask",
        Form::Json,
        "R11: a report with what a role need not see hidden",
    ),
    op(
        "report_sign",
        Form::Json,
        "R11: an Ed25519 signature of a report's digest",
    ),
    op(
        "signing_key_trust",
        Form::Json,
        "R11: the public key entry for a keyring",
    ),
    op(
        "report_verify_signature",
        Form::Json,
        "R11: check a report signature by key id",
    ),
    op(
        "document_seal",
        Form::Json,
        "R11: seal a document at rest with SM4-GCM",
    ),
    op(
        "document_open",
        Form::Json,
        "R11: open a sealed document with its key and aad",
    ),
    on(
        "ReportSigner",
        op(
            "report_signer_new",
            Form::Plain,
            "R11: a report signer loaded once from its seed",
        ),
    ),
    on(
        "ReportSigner",
        op(
            "report_signer_sign",
            Form::Json,
            "R11: seal and sign a report with the loaded signer",
        ),
    ),
    on(
        "ReportSigner",
        op(
            "report_signer_trusted_key",
            Form::Json,
            "R11: the signer's public key entry for a keyring",
        ),
    ),
    on(
        "ReportKeyring",
        op(
            "report_keyring_new",
            Form::Json,
            "R11: a keyring of trusted signing keys, loaded once",
        ),
    ),
    on(
        "ReportKeyring",
        op(
            "report_keyring_verify",
            Form::Json,
            "R11: check a report's signature against the keyring",
        ),
    ),
];

impl Operation {
    /// The C symbol, if the C ABI has the operation.
    pub fn c_symbol(&self) -> Option<String> {
        self.c
            .then(|| format!("hedui_{}{}", self.name, self.form.suffix()))
    }

    /// The C symbol with the issue time given, for an operation that takes one.
    pub fn c_symbol_at(&self) -> Option<String> {
        self.c_symbol().filter(|_| self.at).map(|s| s + "_at")
    }

    /// The method's name on its object: the operation without the object's noun.
    fn method(&self) -> Option<&'static str> {
        let object = self.object?;
        let noun = snake(object);
        self.name.strip_prefix(&noun)?.strip_prefix('_')
    }

    /// The uniffi name: a function, or `Object.method` (`Object()` for `new`).
    pub fn uniffi_name(&self) -> Option<String> {
        if !self.uniffi {
            return None;
        }
        Some(match (self.object, self.method()) {
            (Some(object), Some("new")) => format!("{object}()"),
            (Some(object), Some(method)) => format!("{object}.{method}{}", self.form.suffix()),
            _ => format!("{}{}", self.name, self.form.suffix()),
        })
    }

    /// The uniffi name with the issue time given.
    pub fn uniffi_name_at(&self) -> Option<String> {
        self.uniffi_name().filter(|_| self.at).map(|s| s + "_at")
    }

    /// The Python name under the rule (whether or not Python has it yet).
    pub fn python_name(&self) -> String {
        match (self.object, self.method()) {
            (Some(object), Some("new")) => format!("{object}()"),
            (Some(object), Some(method)) => format!("{object}.{method}"),
            _ => self.name.to_owned(),
        }
    }
}

/// `AuditChain` → `audit_chain`.
fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The operation named `name`.
pub fn find(name: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|o| o.name == name)
}

/// The table of names the bindings' READMEs carry (GitHub Markdown), one row per operation.
pub fn markdown_table() -> String {
    let code = |s: Option<String>| s.map_or_else(|| "—".to_owned(), |s| format!("`{s}`"));
    let with_at = |main: Option<String>, at: Option<String>| match (main, at) {
        (Some(m), Some(a)) => format!("`{m}`, `{a}`"),
        (m, _) => code(m),
    };
    let mut out =
        String::from("| operation | C | uniffi | Python | what |\n|---|---|---|---|---|\n");
    for o in OPERATIONS {
        let python = match o.python {
            Python::Named => format!("`{}`", o.python_name()),
            Python::Today(old) => format!("`{}` (today `{old}`)", o.python_name()),
            Python::Missing => "—".to_owned(),
            Python::Kept(name) => format!("`{name}`"),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            o.name,
            with_at(o.c_symbol(), o.c_symbol_at()),
            with_at(o.uniffi_name(), o.uniffi_name_at()),
            python,
            o.summary
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_noun_verb() {
        for (i, o) in OPERATIONS.iter().enumerate() {
            assert!(
                OPERATIONS.iter().skip(i + 1).all(|p| p.name != o.name),
                "{} twice",
                o.name
            );
            assert!(
                o.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                o.name
            );
            if o.object.is_some() {
                assert!(
                    o.method().is_some(),
                    "{} does not start with its object",
                    o.name
                );
            }
        }
    }

    #[test]
    fn the_rule_gives_the_known_names() {
        let check = find("authorization_check").unwrap();
        assert_eq!(check.c_symbol().unwrap(), "hedui_authorization_check_json");
        assert_eq!(check.uniffi_name().unwrap(), "authorization_check_json");
        assert_eq!(check.python_name(), "authorization_check");
        let verify = find("verify").unwrap();
        assert_eq!(verify.c_symbol_at().unwrap(), "hedui_verify_json_at");
        let append = find("audit_chain_append").unwrap();
        assert_eq!(append.c_symbol().unwrap(), "hedui_audit_chain_append_json");
        assert_eq!(append.uniffi_name().unwrap(), "AuditChain.append_json");
        assert_eq!(append.python_name(), "AuditChain.append");
        assert_eq!(
            find("audit_chain_new").unwrap().python_name(),
            "AuditChain()"
        );
        let sign = find("report_sign").unwrap();
        assert_eq!(sign.c_symbol().unwrap(), "hedui_report_sign_json");
        assert_eq!(sign.uniffi_name().unwrap(), "report_sign_json");
        assert_eq!(sign.python_name(), "report_sign");
    }
}
