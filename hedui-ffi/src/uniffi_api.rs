//! The uniffi surface (proc-macros only): the same operations as the C ABI for Kotlin,
//! Swift and Python hosts, with records, an object for the rulebook and one coarse error.
//! Each function is named after its operation in `hedui_ops::catalog` (the C symbol without
//! `hedui_`; methods of an object drop the object's name).
//!
//! Population rules (R5 coverage, R8 recheck schedule) are `coverage_audit_json` and
//! `recheck_schedule_json`, and the R11 audit chain is the [`AuditChain`] object; they call
//! the same `hedui-ops` operations as the C ABI, and their errors arrive through
//! [`HeduiError::Population`] and [`HeduiError::Security`].

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError};

use crate::failure::{Area, Failure};
use hedui_ops::{
    account, appeal, archive, args, audit, authorization, identifier, lending, population, query,
    report, security, verify,
};

/// A failed hedui call. The variant is the area; `code` is the stable snake_case code the
/// Rust, C and Python APIs report (e.g. `authorization_defective`); `message` says what is
/// wrong, naming the rule and clause for a rule error.
///
/// (Kotlin: `message` clashes with `Throwable.message`, so the field is renamed `detail`
/// there, by `uniffi.toml`.)
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum HeduiError {
    /// A malformed argument (e.g. an issue time that is not RFC 3339).
    #[error("{message}")]
    Argument {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// Malformed input: JSON, identifiers, documents that do not hold together.
    #[error("{message}")]
    Input {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// R1 authorization letters.
    #[error("{message}")]
    Authorization {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// R1/R2 entrustment letters and the pre-check.
    #[error("{message}")]
    Entrustment {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// Query results and report assembly (R3, R6, R7, R9).
    #[error("{message}")]
    Verification {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// Population rules (R4, R5, R8).
    #[error("{message}")]
    Population {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// Records and security (R10, R11).
    #[error("{message}")]
    Security {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
    /// A bug in hedui (a caught panic).
    #[error("{message}")]
    Internal {
        /// Stable code.
        code: String,
        /// What is wrong.
        message: String,
        /// The structured detail as JSON: code, area, rule, clause, docs, message, fields,
        /// path (the same object as C's `hedui_last_error_json`, without `result`).
        detail_json: String,
    },
}

impl HeduiError {
    /// The stable code, whichever the variant (a Rust caller's match on the area is not
    /// needed to read it; the foreign bindings have it as a field).
    pub fn code(&self) -> &str {
        match self {
            HeduiError::Argument { code, .. }
            | HeduiError::Input { code, .. }
            | HeduiError::Authorization { code, .. }
            | HeduiError::Entrustment { code, .. }
            | HeduiError::Verification { code, .. }
            | HeduiError::Population { code, .. }
            | HeduiError::Security { code, .. }
            | HeduiError::Internal { code, .. } => code,
        }
    }
}

impl From<Failure> for HeduiError {
    fn from(f: Failure) -> Self {
        let code = f.code().to_owned();
        let message = f.to_string();
        let detail_json = f.detail().to_string();
        match f.area() {
            Area::Argument => HeduiError::Argument {
                code,
                message,
                detail_json,
            },
            Area::Input => HeduiError::Input {
                code,
                message,
                detail_json,
            },
            Area::Authorization => HeduiError::Authorization {
                code,
                message,
                detail_json,
            },
            Area::Entrustment => HeduiError::Entrustment {
                code,
                message,
                detail_json,
            },
            Area::Verification => HeduiError::Verification {
                code,
                message,
                detail_json,
            },
            Area::Population => HeduiError::Population {
                code,
                message,
                detail_json,
            },
            Area::Security => HeduiError::Security {
                code,
                message,
                detail_json,
            },
            Area::Internal => HeduiError::Internal {
                code,
                message,
                detail_json,
            },
        }
    }
}

/// Runs `f`, turning a failure or a panic into a [`HeduiError`].
fn guard<T>(f: impl FnOnce() -> Result<T, Failure>) -> Result<T, HeduiError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.map_err(HeduiError::from),
        Err(payload) => Err(Failure::from_panic(payload.as_ref()).into()),
    }
}

fn utf8(bytes: Vec<u8>) -> Result<String, Failure> {
    String::from_utf8(bytes).map_err(|e| Failure::Panic(format!("non-utf-8 output: {e}")))
}

/// The rulebook: every number the rules use. Immutable; share it freely.
#[derive(Debug, uniffi::Object)]
pub struct Rulebook {
    inner: hedui_core::Rulebook,
}

#[uniffi::export]
impl Rulebook {
    /// The built-in rulebook (the defaults of docs/rules.md#defaults).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Rulebook {
            inner: args::default_rulebook().clone(),
        })
    }

    /// Reads a rulebook from JSON and checks every value's range.
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<Self>, HeduiError> {
        guard(|| {
            Ok(Arc::new(Rulebook {
                inner: hedui_core::Rulebook::from_json(&json)?,
            }))
        })
    }

    /// The rulebook as pretty JSON.
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The rulebook's version.
    pub fn version(&self) -> String {
        self.inner.version.clone()
    }
}

fn rulebook_or_default(rulebook: &Option<Arc<Rulebook>>) -> &hedui_core::Rulebook {
    match rulebook {
        Some(r) => &r.inner,
        None => args::default_rulebook(),
    }
}

/// The hedui version.
#[uniffi::export]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Verifies one case (JSON) and returns the sealed report as compact JSON, issued at
/// `issued_at` (RFC 3339): byte for byte the report Rust and C give. `rulebook` may be
/// `None` for the built-in one.
#[uniffi::export]
pub fn verify_json_at(
    rulebook: Option<Arc<Rulebook>>,
    case_json: String,
    issued_at: String,
) -> Result<String, HeduiError> {
    guard(|| {
        let at = args::parse_time("issued_at", &issued_at)?;
        utf8(verify::verify_json(
            rulebook_or_default(&rulebook),
            &case_json,
            at,
        )?)
    })
}

/// Verifies one case (JSON), issued now (Beijing time).
#[uniffi::export]
pub fn verify_json(
    rulebook: Option<Arc<Rulebook>>,
    case_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(verify::verify_json(
            rulebook_or_default(&rulebook),
            &case_json,
            args::now_beijing(),
        )?)
    })
}

/// One defect of an authorization letter.
#[derive(Debug, uniffi::Record)]
pub struct AuthorizationDefect {
    /// Stable code, e.g. `missing_signature`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// The defect's fields as JSON (`{"code":...,"member":...}`).
    pub detail_json: String,
}

/// The result of an authorization check (R1).
#[derive(Debug, uniffi::Record)]
pub struct AuthorizationCheck {
    /// Letter number.
    pub authorization_number: String,
    /// Household checked against.
    pub household_id: String,
    /// Date of the check, `YYYY-MM-DD`.
    pub on: String,
    /// No defect found.
    pub valid: bool,
    /// Every defect.
    pub defects: Vec<AuthorizationDefect>,
    /// The whole result as JSON, as the C call returns it.
    pub json: String,
}

/// Checks an authorization letter against a household (R1): `request_json` is
/// `{"household": ..., "authorization": ..., "on": "YYYY-MM-DD"}` (`on` optional, today in
/// Beijing). A defective letter is a successful check with `valid == false`.
#[uniffi::export]
pub fn authorization_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<AuthorizationCheck, HeduiError> {
    guard(|| {
        let check = authorization::authorization_check_parsed(
            rulebook_or_default(&rulebook),
            &request_json,
        )?;
        let json = serde_json::to_string(&check)
            .map_err(|e| Failure::Panic(format!("serializing a check: {e}")))?;
        let defects = check
            .defects
            .iter()
            .map(|d| AuthorizationDefect {
                code: d.item.code().to_owned(),
                message: d.message.clone(),
                detail_json: serde_json::to_string(d).unwrap_or_default(),
            })
            .collect();
        Ok(AuthorizationCheck {
            authorization_number: check.authorization_number,
            household_id: check.household_id,
            on: check.on.to_string(),
            valid: check.valid,
            defects,
            json,
        })
    })
}

/// The result of a batch run.
#[derive(Debug, uniffi::Record)]
pub struct BatchOutput {
    /// One sealed report per good line, as JSON lines in input order.
    pub reports_jsonl: String,
    /// One `{"line":n,"code":"...","message":"..."}` per rejected line, in input order.
    pub errors_jsonl: String,
    /// Number of reports.
    pub reports: u64,
    /// Number of rejected lines.
    pub errors: u64,
}

/// Verifies a batch of cases, one JSON document per line. Every good line gives a report,
/// every bad line an error. `issued_at` (RFC 3339) is the issue time of every report, `None`
/// for now; `parallel` uses all cores, keeping the input order.
#[uniffi::export]
pub fn verify_batch_jsonl(
    rulebook: Option<Arc<Rulebook>>,
    cases_jsonl: String,
    issued_at: Option<String>,
    parallel: bool,
) -> Result<BatchOutput, HeduiError> {
    guard(|| {
        let at = match issued_at {
            Some(t) => args::parse_time("issued_at", &t)?,
            None => args::now_beijing(),
        };
        let out =
            verify::verify_batch_jsonl(rulebook_or_default(&rulebook), &cases_jsonl, at, parallel)?;
        Ok(BatchOutput {
            reports_jsonl: utf8(out.reports_jsonl)?,
            errors_jsonl: utf8(out.errors_jsonl)?,
            reports: out.reports,
            errors: out.errors,
        })
    })
}

/// Renders a report (JSON) as Chinese Markdown for printing.
#[uniffi::export]
pub fn report_render_markdown(report_json: String) -> Result<String, HeduiError> {
    guard(|| report::report_render_markdown_json(&report_json))
}

/// Whether a report's recorded digest matches its content.
#[uniffi::export]
pub fn report_verify_digest(report_json: String) -> Result<bool, HeduiError> {
    guard(|| report::report_verify_digest_json(&report_json))
}

/// Renders a report (JSON) as a self-contained HTML document for printing on A4, with a QR
/// code on every page (print it with a browser: headless Chromium `--print-to-pdf`).
#[uniffi::export]
pub fn report_render_html(report_json: String) -> Result<String, HeduiError> {
    guard(|| hedui_ops::paper::report_render_html_json(&report_json, None))
}

/// Checks a printed copy: `request_json` is `{"payload": "<QR text>", "archived": <report>?,
/// "keyring": <keyring>?}`; the answer is `{"outcome", "signed"?, "code"}` (codes
/// `printed_matches`, `printed_unknown_report`, `printed_digest_differs`,
/// `printed_issue_time_differs`, `printed_signature_invalid`).
#[uniffi::export]
pub fn report_check_printed_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| hedui_ops::paper::report_check_printed_json(&request_json))
}

/// Audits R5 coverage 全量、全域、全网 of new applications: `request_json` is
/// `{"applications": [...], "verifications": [...], "jurisdiction": ["141002", ...],
/// "queryable": [...]}` (`queryable` optional: the categories some level can query under the
/// rulebook's sharing agreements). Returns the coverage report as compact JSON, bad records
/// listed in its `issues`.
#[uniffi::export]
pub fn coverage_audit_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(population::coverage_audit_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// Schedules the R8 periodic rechecks of a JSON array of assisted households as of
/// `as_of` (`YYYY-MM-DD`) and cuts the households due into batches with the rulebook's
/// `recheck_batches` options. Returns compact JSON: `as_of`, `entries`, `issues`, `batches`
/// (the batch plan), then the schedule's summary: `due`, `overdue`,
/// `awaiting_authorization`, `next_due_on` and `counts_by_programme` (as C and Python).
#[uniffi::export]
pub fn recheck_schedule_json(
    rulebook: Option<Arc<Rulebook>>,
    households_json: String,
    as_of: String,
) -> Result<String, HeduiError> {
    guard(|| {
        let as_of = args::parse_date("as_of", &as_of)?;
        utf8(population::recheck_schedule_json(
            rulebook_or_default(&rulebook),
            &households_json,
            as_of,
        )?)
    })
}

/// R4 先行救助、再行核对: records relief given to an emergency case before its verification in
/// the ledger `ledger_json` (`None` for a new ledger). Returns compact JSON
/// `{"reference": "<case_id>-<n>", "ledger": {...}}`; the ledger passed in is not changed.
#[uniffi::export]
pub fn relief_record_json(
    rulebook: Option<Arc<Rulebook>>,
    ledger_json: Option<String>,
    grant_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(population::relief_record_json(
            rulebook_or_default(&rulebook),
            ledger_json.as_deref(),
            &grant_json,
        )?)
    })
}

/// R4: closes the follow-up of relief `reference` with the follow-up verification's sealed
/// report (purpose `emergency_follow_up` of this relief and household, digest intact),
/// completed on `closed_on` (`YYYY-MM-DD`). Returns compact JSON `{"entry": {...},
/// "ledger": {...}}`.
///
/// Under the rulebook's `security.signed_evidence` (the default) the report must be signed by
/// a key of `keyring` (`None` trusts no key): else `evidence_unsigned`,
/// `evidence_unknown_key` or `evidence_bad_signature`.
#[uniffi::export]
pub fn relief_close_json(
    rulebook: Option<Arc<Rulebook>>,
    keyring: Option<Arc<ReportKeyring>>,
    ledger_json: String,
    reference: String,
    report_json: String,
    closed_on: String,
) -> Result<String, HeduiError> {
    guard(|| {
        let closed_on = args::parse_date("closed_on", &closed_on)?;
        utf8(population::relief_close_json(
            rulebook_or_default(&rulebook),
            keyring_or_empty(&keyring),
            &ledger_json,
            &reference,
            &report_json,
            closed_on,
        )?)
    })
}

/// R4: where every follow-up of the ledger stands on `as_of` (`YYYY-MM-DD`), in working days
/// on the rulebook's calendar. Returns the `FollowUpReport` as compact JSON.
#[uniffi::export]
pub fn relief_follow_ups_json(
    rulebook: Option<Arc<Rulebook>>,
    ledger_json: String,
    as_of: String,
) -> Result<String, HeduiError> {
    guard(|| {
        let as_of = args::parse_date("as_of", &as_of)?;
        utf8(population::relief_follow_ups_json(
            rulebook_or_default(&rulebook),
            &ledger_json,
            as_of,
        )?)
    })
}

/// An R11 keyring of audit MAC keys by id: the key added last MACs new entries, the older
/// ones verify the entries they MACed (rotation). Safe to share between threads.
#[derive(Debug, uniffi::Object)]
pub struct AuditKeyring {
    inner: Mutex<hedui_core::security::AuditKeyring>,
}

impl AuditKeyring {
    fn snapshot(&self) -> hedui_core::security::AuditKeyring {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[uniffi::export]
impl AuditKeyring {
    /// An empty keyring.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(AuditKeyring {
            inner: Mutex::new(hedui_core::security::AuditKeyring::new()),
        })
    }

    /// An empty keyring under the rulebook's crypto suite (None: the built-in rulebook): keys
    /// added with `add` are HMAC-SM3 under `shangmi`, HMAC-SHA256 otherwise.
    #[uniffi::constructor]
    pub fn new_under(rulebook: Option<Arc<Rulebook>>) -> Arc<Self> {
        Arc::new(AuditKeyring {
            inner: Mutex::new(audit::keyring_new_under(rulebook_or_default(&rulebook))),
        })
    }

    /// Adds the key `key_id` with the secret `key` (at least 32 bytes); it MACs new entries
    /// from now on. `audit_id_invalid` for a malformed or repeated id, `audit_key_length` for
    /// a short key.
    pub fn add(&self, key_id: String, key: Vec<u8>) -> Result<(), HeduiError> {
        // the copy of the key uniffi made is wiped when dropped
        let key = zeroize::Zeroizing::new(key);
        guard(|| {
            let mut ring = self
                .inner
                .lock()
                .map_err(|_| Failure::Panic("the audit keyring's lock is poisoned".to_owned()))?;
            audit::keyring_add(&mut ring, &key_id, &key)
        })
    }

    /// Adds a key of the MAC algorithm `algorithm` (`hmac-sha256`, or `hmac-sm3` for the
    /// commercial-cryptography suite): entries MACed with it name the algorithm and verify
    /// only under it. `input_json` for another name; otherwise as `add`.
    pub fn add_with(
        &self,
        key_id: String,
        algorithm: String,
        key: Vec<u8>,
    ) -> Result<(), HeduiError> {
        // the copy of the key uniffi made is wiped when dropped
        let key = zeroize::Zeroizing::new(key);
        guard(|| {
            let mut ring = self
                .inner
                .lock()
                .map_err(|_| Failure::Panic("the audit keyring's lock is poisoned".to_owned()))?;
            audit::keyring_add_with(&mut ring, &key_id, &algorithm, &key)
        })
    }
}

/// An R11 audit chain 审计日志 with the keyring that protects it: an append-only log of gate
/// decisions whose links show any change. Safe to share between threads.
#[derive(Debug, uniffi::Object)]
pub struct AuditChain {
    inner: Mutex<audit::AuditLog>,
}

impl AuditChain {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut audit::AuditLog) -> Result<T, Failure>,
    ) -> Result<T, HeduiError> {
        guard(|| {
            let mut log = self
                .inner
                .lock()
                .map_err(|_| Failure::Panic("the audit chain's lock is poisoned".to_owned()))?;
            f(&mut log)
        })
    }
}

#[uniffi::export]
impl AuditChain {
    /// An empty chain with the id `chain_id`, protected by a copy of `keyring`:
    /// `audit_keyring_empty` for a keyring without keys, `audit_id_invalid` for a bad id.
    #[uniffi::constructor]
    pub fn new(chain_id: String, keyring: Arc<AuditKeyring>) -> Result<Arc<Self>, HeduiError> {
        let keyring = keyring.snapshot();
        guard(|| {
            Ok(Arc::new(AuditChain {
                inner: Mutex::new(audit::AuditLog::new(&chain_id, keyring)?),
            }))
        })
    }

    /// Reads a chain from JSONL (as `to_jsonl` writes it) and verifies it against `keyring`
    /// and `head_json`, the head stored apart from the log: `audit_line_invalid`,
    /// `audit_format_unsupported`, `audit_chain_broken`, `audit_chain_spliced`,
    /// `audit_chain_swapped`, `audit_chain_backdated`, `audit_key_unknown`,
    /// `audit_chain_truncated`, `audit_chain_rolled_back`.
    #[uniffi::constructor]
    pub fn from_jsonl(
        keyring: Arc<AuditKeyring>,
        jsonl: String,
        head_json: String,
    ) -> Result<Arc<Self>, HeduiError> {
        let keyring = keyring.snapshot();
        guard(|| {
            Ok(Arc::new(AuditChain {
                inner: Mutex::new(audit::AuditLog::from_jsonl_json(
                    keyring, &jsonl, &head_json,
                )?),
            }))
        })
    }

    /// Reads a chain whose oldest entries were disposed of (网络安全法 Art 21 log retention)
    /// from JSONL and verifies it against `keyring`, `head_json` and `disposal_json`, the
    /// record of the last disposal (`dispose_json`) kept with the head: errors as
    /// `from_jsonl`, and `audit_chain_broken` for a record whose MAC does not verify or that
    /// the chain does not follow, `audit_chain_swapped` for another chain's record,
    /// `audit_head_disposed` for a head older than the disposal.
    #[uniffi::constructor]
    pub fn from_jsonl_after(
        keyring: Arc<AuditKeyring>,
        jsonl: String,
        head_json: String,
        disposal_json: String,
    ) -> Result<Arc<Self>, HeduiError> {
        let keyring = keyring.snapshot();
        guard(|| {
            Ok(Arc::new(AuditChain {
                inner: Mutex::new(audit::AuditLog::from_jsonl_after_json(
                    keyring,
                    &jsonl,
                    &head_json,
                    &disposal_json,
                )?),
            }))
        })
    }

    /// Which of the oldest entries may be disposed of on a day under the rulebook's
    /// `retention.log_months` (the built-in rulebook for `None`). `request_json` is
    /// `{"on": "YYYY-MM-DD"}`; returns `{"entries": n, "through_seq": n | null}`.
    pub fn disposable_json(
        &self,
        rulebook: Option<Arc<Rulebook>>,
        request_json: String,
    ) -> Result<String, HeduiError> {
        self.with(|log| utf8(log.disposable_json(rulebook_or_default(&rulebook), &request_json)?))
    }

    /// Disposes of the oldest entries through `through_seq` on a day under the rulebook's
    /// log retention and returns the record, MACed with the keyring's newest key: keep it
    /// with the head and open the log with `from_jsonl_after`. `request_json` is
    /// `{"through_seq": n, "on": "YYYY-MM-DD"}`; `log_retention_not_elapsed`,
    /// `log_disposal_unknown_entry` leave the chain unchanged.
    pub fn dispose_json(
        &self,
        rulebook: Option<Arc<Rulebook>>,
        request_json: String,
    ) -> Result<String, HeduiError> {
        self.with(|log| utf8(log.dispose_json(rulebook_or_default(&rulebook), &request_json)?))
    }

    /// Appends an audit event (JSON: `at`, `event`, `decision`, `actor`, `reason`,
    /// `context`) and returns the new head `{"chain":"<id>","entries":n,"mac":"<hex>"}` as
    /// JSON.
    pub fn append_json(&self, event_json: String) -> Result<String, HeduiError> {
        self.with(|log| utf8(log.append_json(&event_json)?))
    }

    /// Verifies the chain against `head_json`, a head stored apart from the log: the first
    /// problem's code (`audit_chain_broken`, `audit_chain_truncated`,
    /// `audit_chain_rolled_back`, ...) names the entry.
    pub fn verify_json(&self, head_json: String) -> Result<(), HeduiError> {
        self.with(|log| log.verify_against_json(&head_json))
    }

    /// The current head as JSON, to store apart from the log.
    pub fn head_json(&self) -> Result<String, HeduiError> {
        self.with(|log| utf8(log.head_json()?))
    }

    /// The chain as JSONL, one entry per line.
    pub fn to_jsonl(&self) -> Result<String, HeduiError> {
        self.with(|log| log.to_jsonl())
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        let log = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        log.len() as u64
    }

    /// Whether the chain has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// R6: where each data category is queried for an agency — own level, upper level as
/// supplement (a sharing gap), or offline. `request_json` is `{"own_level": ..., "scope":
/// [...], "agreements": [...]}` (`scope` and `agreements` optional). Returns `{"plan": [...],
/// "sharing_gaps": [...]}` as compact JSON.
#[uniffi::export]
pub fn query_plan_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(query::query_plan_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// GB 11643, GB 32100, GB/T 2260: reads one identifier as hedui reads it inside documents.
/// `request_json` is `{"kind": "resident_id"|"credit_code"|"region_code", "value": ..., "on":
/// "YYYY-MM-DD" (optional)}`; returns `{"kind", "value", ...}` (a resident ID in its
/// 18-character form, with `legacy`, `birth_date`, `sex`, `region`).
#[uniffi::export]
pub fn id_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(identifier::id_check_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// GB 11643: the verdict on one resident ID — its 18-character form, whether it is valid, the
/// code of what is wrong, and the birth date, sex and region it encodes. `request_json` is
/// `{"value": ..., "on": "YYYY-MM-DD" (optional)}`; returns `{"kind", "value", "valid",
/// "error", "legacy", "birth_date", "sex", "region"}`. An invalid number is a verdict, not an
/// error; only a request that is not the document fails (`input_json`).
#[uniffi::export]
pub fn resident_id_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(identifier::resident_id_check_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// GB 32100: the verdict on one unified social credit code — its form, whether it is valid,
/// the code of what is wrong, and the registering authority's region. `request_json` is
/// `{"value": ...}`; returns the keys of `resident_id_check_json`. An invalid code is a
/// verdict, not an error.
#[uniffi::export]
pub fn credit_code_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(identifier::credit_code_check_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// Case documents from office tables (the layout of `docs/tables.md`). `request_json` is
/// `{"tables": {"家庭": {"案件编号": [...], ...}, ...}}` (tables and columns by English or
/// Chinese name, cells as text, numbers, booleans or null); returns `{"cases": [...], "errors":
/// [...]}`, one error per bad row naming `sheet`, `row`, `column` and `header` with a stable
/// `code`. Only a request that is not the document fails (`input_json`).
#[uniffi::export]
pub fn case_tables_read_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(hedui_ops::tables::case_tables_read_json(&request_json)?))
}

/// Cases written into the office tables: `request_json` is `{"cases": [...], "labels":
/// "codes"|"chinese" (optional)}`; returns `{"tables": {"households": {"case_id": [...], ...},
/// ...}}`, which `case_tables_read_json` reads back to the same cases. `table_uncovered` for a
/// case with a value no column holds.
#[uniffi::export]
pub fn case_tables_write_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(hedui_ops::tables::case_tables_write_json(&request_json)?))
}

/// R9: the recheck request for an appeal against a sealed report. `request_json` is
/// `{"report": ..., "reason": "...", "filed_on": "YYYY-MM-DD", "trusted_keys": [...]
/// (optional)}`; `appeal_link` when the report does not verify or the reason is empty. Under
/// the rulebook's `security.signed_evidence` (the default) the report must be signed by a key
/// of `keyring` (`None`: none) or of the request's `trusted_keys`: else `evidence_unsigned`,
/// `evidence_unknown_key` or `evidence_bad_signature`.
#[uniffi::export]
pub fn appeal_file_json(
    rulebook: Option<Arc<Rulebook>>,
    keyring: Option<Arc<ReportKeyring>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(appeal::appeal_file_json(
            rulebook_or_default(&rulebook),
            keyring_or_empty(&keyring),
            &request_json,
        )?)
    })
}

/// R9/R10: records a report as the next round of its household's history. `request_json` is
/// `{"history": ... (optional), "report": ..., "trusted_keys": [...] (optional)}`; returns
/// `{"history": ..., "chain": [...]}`.
/// Signed evidence as for [`appeal_file_json`].
#[uniffi::export]
pub fn report_history_record_json(
    rulebook: Option<Arc<Rulebook>>,
    keyring: Option<Arc<ReportKeyring>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(appeal::report_history_record_json(
            rulebook_or_default(&rulebook),
            keyring_or_empty(&keyring),
            &request_json,
        )?)
    })
}

/// R10: is every letter archived? `request_json` is `{"archive": [...], "entrustments":
/// [...], "authorizations": [...]}`; returns `{"complete": bool, "gaps": [...]}`. Every
/// resident ID is read under the rulebook (`None` for the built-in one): its limits and its
/// identifier rules today (`id_resident_legacy`, `id_resident_birth_out_of_range`).
#[uniffi::export]
pub fn archive_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(archive::archive_check_json_under(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: registers an operator account. `request_json` is `{"request": <AccountRequest>,
/// "agencies": [...]}`; returns `{"status": "pending", "account": ...}`. The operator's
/// resident ID is read under the rulebook (`None` for the built-in one): its limits and its
/// identifier rules on the day of registration (`id_resident_legacy`,
/// `id_resident_birth_out_of_range`).
#[uniffi::export]
pub fn account_register_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(account::account_register_json_under(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: sets a password under the rulebook's policy. `request_json` is `{"account": ...,
/// "password": "...", "salt_hex": "...", "on": "YYYY-MM-DD"}`; returns `{"status", "account"}`.
#[uniffi::export]
pub fn account_set_password_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(account::account_set_password_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: activates an account (signed confidentiality agreement and a password needed).
/// `request_json` is `{"account": ..., "on": "YYYY-MM-DD"}`.
#[uniffi::export]
pub fn account_activate_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(account::account_activate_json(&request_json)?))
}

/// R11: checks a login. `request_json` is `{"account": ..., "password": "...", "at":
/// "<RFC 3339 time>"}`. A refused login is not an error: the result says `accepted: false`
/// with `refused` and carries the account with the failure counted, to be kept. A lock-out
/// ends by itself at `account.locked_until` (back-off per the rulebook).
#[uniffi::export]
pub fn account_login_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(account::account_login_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: the answer for a login name the host has no account for. `request_json` is
/// `{"account": "...", "password": "..."}`; returns `{"accepted": false, "refused": {"code":
/// "security_wrong_password", "message": ...}}` after the same PBKDF2 work as a real login.
#[uniffi::export]
pub fn account_login_unknown_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(account::account_login_unknown_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R3, N §一(三): whether a report may serve an intended use: the entrusting unit for the
/// entrusted purpose, or another purpose or programme that every sharing agreement behind its
/// data lists in its `use_scope` (the rulebook's agreements unless the request gives its own).
/// `request_json` is `{"report": {...}, "use": {"unit_code", "purpose", "programme"},
/// "agreements": [...] (optional)}`; returns `{"allowed": true, "report": "<number>"}`, and
/// `report_use_other_unit` or `report_use_outside_scope` when the use is not allowed.
#[uniffi::export]
pub fn report_check_use_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(hedui_ops::report::report_check_use_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: signs of account lending (overlapping sessions, impossible travel). `request_json` is
/// `{"sessions": [...], "gazetteer": {...} (optional)}`; returns `{"flags": [...]}`.
#[uniffi::export]
pub fn lending_detect_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(lending::lending_detect_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: the weak-password rules for an operator, under the rulebook's policy. `request_json`
/// is `{"password": "...", "account": "...", "resident_id": "..."}` (the host wipes its copies
/// of the password); returns `{"acceptable": bool, "weaknesses": [...]}` (a weak password is a
/// result, not an error).
#[uniffi::export]
pub fn password_check_json(
    rulebook: Option<Arc<Rulebook>>,
    request_json: String,
) -> Result<String, HeduiError> {
    guard(|| {
        utf8(security::password_check_json(
            rulebook_or_default(&rulebook),
            &request_json,
        )?)
    })
}

/// R11: default-deny permission decision. `request_json` is `{"role": ..., "action": ...,
/// "category": ... (optional), "permissions": {"roles": [...]} (optional)}`; returns
/// `{"decision": "permit"|"deny", "role", "action", "category", "reason"}`.
#[uniffi::export]
pub fn permission_check_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::permission_check_json(&request_json)?))
}

/// R11: a report as a role may see it. `request_json` is `{"report": ..., "role": ...,
/// "permissions": ... (optional)}`; returns the masked report (a view: its digest no longer
/// verifies).
#[uniffi::export]
pub fn report_mask_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::report_mask_json(&request_json)?))
}

/// R11: seals a report and signs its digest (Ed25519, deterministic). `request_json` is
/// `{"report": ..., "key_id": "...", "seed_hex": "<32-byte seed, 64 hex characters>"}`; the
/// seed is a secret the host wipes after the call. Returns the signed report.
#[uniffi::export]
pub fn report_sign_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::report_sign_json(&request_json)?))
}

/// R11: the trusted-key entry of a signing key. `request_json` is `{"key_id": "...",
/// "seed_hex": "..."}`; returns `{"key_id", "public_key"}`.
#[uniffi::export]
pub fn signing_key_trust_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::signing_key_trust_json(&request_json)?))
}

/// R11: seals a document at rest with SM4-GCM. `request_json` is `{"key_id", "key_hex",
/// "plaintext", "aad"?, "nonce_hex"?}` (the nonce is drawn from the operating system's CSPRNG
/// when absent); returns `{"key_id", "sealed_hex"}`. The key is a secret the host wipes.
#[uniffi::export]
pub fn document_seal_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::document_seal_json(&request_json)?))
}

/// R11: opens an envelope of `document_seal_json`. `request_json` is `{"key_id", "key_hex",
/// "sealed_hex", "aad"?}`; returns `{"plaintext"}`.
#[uniffi::export]
pub fn document_open_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::document_open_json(&request_json)?))
}

/// R11: checks a signed report against trusted keys; a report changed after signing fails
/// with `signature_invalid`. `request_json` is `{"report": ..., "trusted_keys": [...]}`;
/// returns `{"key_id", "digest"}`.
#[uniffi::export]
pub fn report_verify_signature_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(security::report_verify_signature_json(&request_json)?))
}

/// R11: signs an audit chain's head with the agency's signing key, a checkpoint to store apart
/// from the log. `request_json` is `{"head": {"chain", "entries", "mac"}, "key_id": "...",
/// "seed_hex": "<32-byte seed, 64 hex characters>"}`; the seed is a secret the host wipes
/// after the call. Returns `{"head": ..., "signature": {"key_id", "signature"}}`.
#[uniffi::export]
pub fn audit_head_sign_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(audit::audit_head_sign_json(&request_json)?))
}

/// R11: the head of a signed checkpoint, once a trusted key's signature verifies (else
/// `audit_head_signature_invalid`). `request_json` is `{"signed_head": ..., "trusted_keys":
/// [...]}`; returns the head to open the stored chain against.
#[uniffi::export]
pub fn audit_head_open_json(request_json: String) -> Result<String, HeduiError> {
    guard(|| utf8(audit::audit_head_open_json(&request_json)?))
}

/// R11: the agency's report signer, loaded once from the 32-byte Ed25519 seed its key store
/// holds (RFC 8032 private key) under the key id verifiers know; the seed does not pass again
/// for each report. Immutable; share it freely.
#[derive(Debug, uniffi::Object)]
pub struct ReportSigner {
    inner: hedui_core::security::ReportSigner,
}

#[uniffi::export]
impl ReportSigner {
    /// A signer from `seed` (32 bytes): `signing_key_invalid` for an empty key id or another
    /// length. hedui overwrites its copy of the seed; the caller wipes its own.
    #[uniffi::constructor]
    pub fn new(key_id: String, seed: Vec<u8>) -> Result<Arc<Self>, HeduiError> {
        let seed = security::SecretBytes::new(seed);
        guard(|| {
            Ok(Arc::new(ReportSigner {
                inner: security::report_signer_new(&key_id, seed.expose())?,
            }))
        })
    }

    /// Seals a report (JSON) and signs its digest; returns the signed report's JSON.
    pub fn sign_json(&self, report_json: String) -> Result<String, HeduiError> {
        guard(|| {
            utf8(security::report_signer_sign_json(
                &self.inner,
                &report_json,
            )?)
        })
    }

    /// The public key entry `{"key_id": ..., "public_key": "<64 hex>"}` for keyrings.
    pub fn trusted_key_json(&self) -> Result<String, HeduiError> {
        guard(|| utf8(security::report_signer_trusted_key_json(&self.inner)?))
    }
}

/// R11: a keyring of trusted report-signing keys, loaded once; what `report_keyring_verify`
/// and the evidence gates (`relief_close_json`, `appeal_file_json`,
/// `report_history_record_json`) check signatures against. Immutable; share it freely.
#[derive(Debug, uniffi::Object)]
pub struct ReportKeyring {
    inner: hedui_core::security::ReportKeyring,
}

#[uniffi::export]
impl ReportKeyring {
    /// A keyring from a JSON array of trusted keys `[{"key_id": ..., "public_key": ...}]`:
    /// `signing_key_invalid` for a key id listed twice.
    #[uniffi::constructor]
    pub fn new(trusted_keys_json: String) -> Result<Arc<Self>, HeduiError> {
        guard(|| {
            Ok(Arc::new(ReportKeyring {
                inner: security::report_keyring_new_json(&trusted_keys_json)?,
            }))
        })
    }

    /// Checks a signed report (JSON); returns `{"key_id": ..., "digest": ...}`:
    /// `signature_invalid` for an unsigned, changed or badly signed report,
    /// `signature_unknown_key` for a key the keyring does not trust.
    pub fn verify_json(&self, report_json: String) -> Result<String, HeduiError> {
        guard(|| {
            utf8(security::report_keyring_verify_json(
                &self.inner,
                &report_json,
            )?)
        })
    }
}

fn keyring_or_empty(keyring: &Option<Arc<ReportKeyring>>) -> &hedui_core::security::ReportKeyring {
    static NO_KEYS: hedui_core::security::ReportKeyring =
        hedui_core::security::ReportKeyring::EMPTY;
    match keyring {
        Some(k) => &k.inner,
        None => &NO_KEYS,
    }
}
