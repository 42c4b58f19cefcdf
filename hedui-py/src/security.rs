//! Records and security (R11, N §三): the HMAC audit chain, the archive check, lending
//! detection, the weak-password check, permissions and masking, and report signatures, each
//! the typed operation of `hedui-ops`.

use std::sync::{Mutex, MutexGuard};

use hedui_core::security::{AuditEvent, AuditHead, AuditKeyring, LogDisposal};
use hedui_ops::audit::{self, AuditLog};
use hedui_ops::security as ops;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyType};

use crate::convert::{self, bytes_arg, str_arg};
use crate::errors::{self, guard};
use crate::rulebook;
use crate::topy::value as to_py;

/// A `str` argument read as the JSON string of a core type (`"query_data"`,
/// `"bank_deposits"`, a resident ID).
fn str_value<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    name: &'static str,
) -> PyResult<T> {
    str_arg(obj, name)?;
    convert::value(obj, name)
}

// ------------------------------------------------------------------ audit chain

/// The audit MAC keys a host holds, by id (R11): `AuditKeyring()` is empty, `add(key_id,
/// key)` adds one. The key added last MACs new entries; the older ones verify the entries
/// they MACed, so to rotate add the new key and open the chain again with the keyring.
///
/// A chain made from the keyring keeps its own copy. Safe to share between threads.
#[pyclass(module = "hedui", name = "AuditKeyring", frozen)]
pub(crate) struct PyAuditKeyring {
    keyring: Mutex<AuditKeyring>,
}

impl std::fmt::Debug for PyAuditKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKeyring(..)")
    }
}

impl PyAuditKeyring {
    fn lock(&self) -> MutexGuard<'_, AuditKeyring> {
        self.keyring
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyAuditKeyring {
    /// An empty keyring: operation `audit_keyring_new`; with `rulebook`, operation
    /// `audit_keyring_new_under`: keys added with `add` then follow the rulebook's crypto suite
    /// (HMAC-SM3 under `shangmi`, HMAC-SHA256 otherwise).
    #[new]
    #[pyo3(signature = (rulebook=None))]
    fn new(py: Python<'_>, rulebook: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        guard(py, || {
            let keyring = match rulebook.filter(|r| !r.is_none()) {
                None => AuditKeyring::new(),
                Some(_) => {
                    let rb = rulebook::resolve(rulebook)?;
                    audit::keyring_new_under(&rb)
                }
            };
            Ok(PyAuditKeyring {
                keyring: Mutex::new(keyring),
            })
        })
    }

    /// The MAC algorithm of the keys `add` adds: `"hmac-sha256"` or `"hmac-sm3"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.lock().algorithm().as_str()
    }

    /// Adds the key `key_id` (1 to 128 printable ASCII characters) with the secret `key`
    /// (bytes, at least 32, from a CSPRNG: `secrets.token_bytes(32)`); it MACs new entries
    /// from now on. Operation `audit_keyring_add`.
    ///
    /// Raises `SecurityError`: `audit_key_length` for a short key, `audit_id_invalid` for a
    /// malformed id or one already in the keyring; `InputError` for arguments of the wrong
    /// type.
    fn add(
        &self,
        py: Python<'_>,
        key_id: &Bound<'_, PyAny>,
        key: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        guard(py, || {
            let key_id = str_arg(key_id, "key_id")?;
            // the copy of the key is wiped when dropped
            let key = zeroize::Zeroizing::new(bytes_arg(key, "key")?);
            let mut ring = self.lock();
            audit::keyring_add(&mut ring, &key_id, &key).map_err(|f| errors::failure(py, &f))
        })
    }

    /// Adds the key `key_id` of the MAC algorithm `algorithm`: `"hmac-sha256"` (the
    /// international suite) or `"hmac-sm3"` (the commercial-cryptography suite,
    /// `security.crypto_suite = "shangmi"`). Entries MACed with it name the algorithm and
    /// verify only under a key of it. Operation `audit_keyring_add_with`.
    ///
    /// Raises `InputError` (`input_json`) for another algorithm name; otherwise as `add`.
    fn add_with(
        &self,
        py: Python<'_>,
        key_id: &Bound<'_, PyAny>,
        algorithm: &Bound<'_, PyAny>,
        key: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        guard(py, || {
            let key_id = str_arg(key_id, "key_id")?;
            let algorithm = str_arg(algorithm, "algorithm")?;
            // the copy of the key is wiped when dropped
            let key = zeroize::Zeroizing::new(bytes_arg(key, "key")?);
            let mut ring = self.lock();
            audit::keyring_add_with(&mut ring, &key_id, &algorithm, &key)
                .map_err(|f| errors::failure(py, &f))
        })
    }

    /// The key ids, oldest first (the last one MACs new entries).
    fn ids(&self) -> Vec<String> {
        self.lock().ids().map(str::to_owned).collect()
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    fn __repr__(&self) -> String {
        format!("AuditKeyring(ids={:?})", self.ids())
    }
}

/// A tamper-evident audit chain 审计日志 (R11): each entry carries the chain's id and the id
/// of the key that MACs it (HMAC-SHA256) and is linked to the one before, so a changed,
/// deleted, inserted, reordered or backdated entry, entries of another chain, and, against a
/// head stored apart, a log cut short or rolled back, are each found with their own code.
///
/// `AuditChain(chain_id, keyring)` starts an empty chain; `AuditChain.from_jsonl(keyring,
/// text, head)` opens a stored one, verified before anything can be appended. Safe to share
/// between threads (an internal lock).
#[pyclass(module = "hedui", name = "AuditChain", frozen)]
pub(crate) struct PyAuditChain {
    log: Mutex<AuditLog>,
}

impl std::fmt::Debug for PyAuditChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditChain(..)")
    }
}

impl PyAuditChain {
    fn lock(&self) -> MutexGuard<'_, AuditLog> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn of(log: AuditLog) -> Self {
        PyAuditChain {
            log: Mutex::new(log),
        }
    }
}

#[pymethods]
impl PyAuditChain {
    /// An empty chain with the id `chain_id` (1 to 128 printable ASCII characters, unique
    /// among the host's chains) under a copy of `keyring`: operation `audit_chain_new`.
    ///
    /// Raises `SecurityError`: `audit_keyring_empty` for a keyring without keys,
    /// `audit_id_invalid` for a malformed id; `InputError` for arguments of the wrong type.
    #[new]
    fn new(
        py: Python<'_>,
        chain_id: &Bound<'_, PyAny>,
        keyring: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let chain_id = str_arg(chain_id, "chain_id")?;
            let keyring = audit_keyring_arg(keyring)?;
            let log = AuditLog::new(&chain_id, keyring).map_err(|f| errors::failure(py, &f))?;
            Ok(Self::of(log))
        })
    }

    /// Opens a stored chain: reads JSONL text as `to_jsonl` writes it and verifies it against
    /// `keyring` and `head`, the head stored apart from the log (a dict from `append` or
    /// `head()`, whose `chain` names the chain), so that nothing is appended to a forged, cut,
    /// rolled-back or swapped past: operation `audit_chain_from_jsonl`. There is no reading
    /// without a head.
    ///
    /// Raises `SecurityError`: `audit_line_invalid` (naming the 1-based line),
    /// `audit_format_unsupported` (a format-1 log), `audit_chain_broken`,
    /// `audit_chain_spliced`, `audit_chain_swapped`, `audit_chain_backdated`,
    /// `audit_key_unknown`, `audit_chain_truncated`, `audit_chain_rolled_back`,
    /// `audit_keyring_empty`; `InputError` for a head that cannot be read.
    #[classmethod]
    fn from_jsonl(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        keyring: &Bound<'_, PyAny>,
        text: &Bound<'_, PyAny>,
        head: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let keyring = audit_keyring_arg(keyring)?;
            let text = str_arg(text, "text")?;
            let head: AuditHead = convert::document(head, "audit head")?;
            let log =
                AuditLog::from_jsonl(keyring, &text, &head).map_err(|f| errors::failure(py, &f))?;
            Ok(Self::of(log))
        })
    }

    /// Opens a stored chain whose oldest entries were disposed of (网络安全法 Art 21 log
    /// retention): as `from_jsonl`, the chain starting after `disposal`, the record of the
    /// last disposal (the dict `dispose` returned, kept with the head). Operation
    /// `audit_chain_from_jsonl_after`.
    ///
    /// Raises `SecurityError` as `from_jsonl`, and `audit_chain_broken` for a record whose MAC
    /// does not verify or that the chain does not follow, `audit_chain_swapped` for another
    /// chain's record, `audit_head_disposed` for a head older than the disposal; `InputError`
    /// for a head or record that cannot be read.
    #[classmethod]
    fn from_jsonl_after(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        keyring: &Bound<'_, PyAny>,
        text: &Bound<'_, PyAny>,
        head: &Bound<'_, PyAny>,
        disposal: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        guard(py, || {
            let keyring = audit_keyring_arg(keyring)?;
            let text = str_arg(text, "text")?;
            let head: AuditHead = convert::document(head, "audit head")?;
            let disposal: LogDisposal = convert::document(disposal, "log disposal record")?;
            let log = AuditLog::from_jsonl_after(keyring, &text, &head, Some(&disposal))
                .map_err(|f| errors::failure(py, &f))?;
            Ok(Self::of(log))
        })
    }

    /// Which of the oldest entries may be disposed of on `on` (a `datetime.date` or
    /// `YYYY-MM-DD` text) under the rulebook's `retention.log_months` (网络安全法 Art 21):
    /// `{"entries": n, "through_seq": seq or None}`. Operation `audit_chain_disposable`.
    ///
    /// Raises `InputError` for a date or rulebook that cannot be read.
    #[pyo3(signature = (on, rulebook=None))]
    fn disposable<'py>(
        &self,
        py: Python<'py>,
        on: &Bound<'py, PyAny>,
        rulebook: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let rb = rulebook::resolve(rulebook)?;
            let on = convert::date(on, "on")?;
            let plan = self.lock().disposable(&rb, on);
            to_py(py, &plan)
        })
    }

    /// Disposes of the oldest entries through `through_seq` on `on` under the rulebook's log
    /// retention and returns the record of the disposal (a dict: `chain`, `disposed_on`,
    /// `log_months`, `entries`, `first_seq`, `last_seq`, `youngest_at`, `kept_until`,
    /// `last_mac`, `key_id`, `mac`), MACed with the keyring's newest key: store it with the
    /// head and open the log with `from_jsonl_after`. Operation `audit_chain_dispose`.
    ///
    /// Raises `SecurityError`: `log_retention_not_elapsed` for an entry still within its
    /// retention, `log_disposal_unknown_entry` for a sequence number the chain does not hold
    /// (the chain is then unchanged); `InputError` for arguments that cannot be read.
    #[pyo3(signature = (through_seq, on, rulebook=None))]
    fn dispose<'py>(
        &self,
        py: Python<'py>,
        through_seq: &Bound<'py, PyAny>,
        on: &Bound<'py, PyAny>,
        rulebook: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let rb = rulebook::resolve(rulebook)?;
            let through_seq = convert::count(through_seq, "through_seq", u64::MAX)?;
            let on = convert::date(on, "on")?;
            let record = self.lock().dispose(&rb, through_seq, on);
            to_py(py, &record.map_err(|f| errors::failure(py, &f))?)
        })
    }

    /// Appends one gate decision, MACed with the keyring's newest key, and returns the new
    /// head (`{"chain", "entries", "mac"}`): store it apart from the chain and verify against
    /// it (`verify(head)`). Operation `audit_chain_append`.
    ///
    /// Args:
    ///     event: a dict in the JSON shape of the core's `AuditEvent`: `at` (RFC 3339 text or
    ///         an aware `datetime`), `event` (e.g. `login`), `decision` (`permit`/`deny`),
    ///         `actor`, `reason`, `context` (64 hex characters, the SHA-256 of the request).
    ///
    /// Raises:
    ///     InputError: `event` cannot be read.
    ///     SecurityError: `at` cannot be written in RFC 3339 (`audit_time_invalid`) or is
    ///         before the last entry's time (`audit_time_backwards`).
    fn append<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let event: AuditEvent = convert::document(event, "audit event")?;
            let head = self.lock().append(event);
            to_py(py, &head.map_err(|f| errors::failure(py, &f))?)
        })
    }

    /// Verifies the chain against `head`, a dict recorded earlier by `append` or `head()` and
    /// stored apart from the log (operation `audit_chain_verify`): every entry's chain id,
    /// sequence number, link, key, MAC and time, and that the chain is the head's and still
    /// reaches it.
    ///
    /// Returns `None` when the chain is intact.
    ///
    /// Raises:
    ///     SecurityError: the first problem, its message naming the 0-based entry:
    ///         `audit_chain_broken`, `audit_chain_spliced`, `audit_chain_swapped`,
    ///         `audit_chain_backdated`, `audit_key_unknown`, `audit_chain_truncated`,
    ///         `audit_chain_rolled_back`.
    ///     InputError: `head` cannot be read.
    fn verify(&self, py: Python<'_>, head: &Bound<'_, PyAny>) -> PyResult<()> {
        guard(py, || {
            let head: AuditHead = convert::document(head, "audit head")?;
            let result = self.lock().verify_against(&head);
            result.map_err(|f| errors::failure(py, &f))
        })
    }

    /// The current head, `{"chain": id, "entries": n, "mac": hex}` (operation
    /// `audit_chain_head`).
    fn head<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let head = self.lock().head();
            to_py(py, &head)
        })
    }

    /// The chain id.
    #[getter]
    fn chain_id(&self) -> String {
        self.lock().chain().id().to_owned()
    }

    /// The entries (dicts with `format`, `chain`, `seq`, `key_id`, `at`, `event`,
    /// `decision`, `actor`, `reason`, `context`, `prev`, `mac`), oldest first.
    fn entries<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        guard(py, || {
            let entries = self.lock().chain().entries().to_vec();
            Ok(to_py(py, &entries)?.cast_into::<PyList>()?)
        })
    }

    /// The chain as JSONL: each entry as compact JSON on its own line, each ended by `\n`
    /// (operation `audit_chain_to_jsonl`).
    fn to_jsonl(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || {
            let text = self.lock().to_jsonl();
            text.map_err(|f| errors::failure(py, &f))
        })
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }

    fn __repr__(&self) -> String {
        let log = self.lock();
        format!(
            "AuditChain(chain_id={:?}, entries={})",
            log.chain().id(),
            log.len()
        )
    }
}

/// A copy of the keyring an `AuditKeyring` argument holds.
fn audit_keyring_arg(obj: &Bound<'_, PyAny>) -> PyResult<AuditKeyring> {
    let ring = obj.cast::<PyAuditKeyring>().map_err(|_| {
        convert::argument(
            obj.py(),
            format!(
                "`keyring` must be an AuditKeyring, got `{}`",
                convert::type_name(obj)
            ),
        )
    })?;
    Ok(ring.get().lock().clone())
}

// ------------------------------------------------------------------ archive, lending

/// Checks that every letter of a set of verifications is archived under its number, batch
/// and subjects (operation `archive_check`, R10 核对业务资料, N §二(三)). An incomplete archive
/// is a result, not an exception.
///
/// Args:
///     archive: the archive dict in the JSON shape of the core's `Archive` (its documents).
///     entrustments: the entrustment letter dicts whose records must be complete.
///     authorizations: the authorization letter dicts they rest on.
///     rulebook: a `Rulebook`; `None` for the built-in one. Its limits and identifier rules
///         (`identifiers`: first-generation numbers, the birth-date window, today) apply to
///         every resident ID of the documents.
///
/// Returns:
///     A dict: `complete` (no gap) and `gaps`, every missing, wrongly kinded, misfiled or
///     unindexed letter, each with its `code`.
///
/// Raises:
///     InputError: a document that cannot be read (`input_json`), an archive holding one
///         digest twice with other metadata, a resident ID the rulebook's identifier rules
///         refuse (`id_resident_legacy`, `id_resident_birth_out_of_range`) or a bad
///         `rulebook`.
#[pyfunction]
#[pyo3(signature = (archive, entrustments, authorizations, rulebook=None))]
pub(crate) fn archive_check<'py>(
    py: Python<'py>,
    archive: &Bound<'py, PyAny>,
    entrustments: &Bound<'py, PyAny>,
    authorizations: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        // every resident ID under the rulebook's identifier rules, today
        let rb = crate::rulebook::resolve(rulebook)?;
        let day = hedui_ops::args::today_beijing();
        let today = Some(day);
        let request = hedui_ops::archive::ArchiveCheckRequest {
            archive: convert::document_under(archive, "archive", &rb, today)?,
            entrustments: convert::document_under(entrustments, "entrustments", &rb, today)?,
            authorizations: convert::document_under(authorizations, "authorizations", &rb, today)?,
        };
        let check = hedui_ops::archive::archive_check(&rb, &request, day)
            .map_err(|f| errors::failure(py, &f))?;
        to_py(py, &check)
    })
}

/// Signs of a lent account (operation `lending_detect`, R11 严禁系统账号外借): sessions of one
/// account overlapping on two terminals, and consecutive logins farther apart than the
/// rulebook's `security.max_travel_kmh` allows.
///
/// Args:
///     sessions: login session dicts in the JSON shape of the core's `Session` (`account`,
///         `terminal`, `start`, `end`, `location` with a `region` or a `point`).
///     gazetteer: places of region codes, `{region: {"lat": .., "lon": ..}}`, for sessions
///         located by region; `None` for none.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `flags`, every sign of lending by account then login (`first`/`second` index
///     `sessions`).
///
/// Raises:
///     InputError: a document that cannot be read (`input_json`).
#[pyfunction]
#[pyo3(signature = (sessions, gazetteer=None, rulebook=None))]
pub(crate) fn lending_detect<'py>(
    py: Python<'py>,
    sessions: &Bound<'py, PyAny>,
    gazetteer: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = hedui_ops::lending::LendingDetectRequest {
            sessions: convert::document(sessions, "sessions")?,
            gazetteer: convert::opt_document(gazetteer, "gazetteer")?.unwrap_or_default(),
        };
        to_py(py, &hedui_ops::lending::lending_detect(&rb, &request))
    })
}

// ------------------------------------------------------------------ passwords

/// Every weakness of a password for an operator (operation `password_check`, N §三
/// "账号严禁使用弱口令"): too short, too long, too few character classes, containing the login
/// name or a run of the resident ID's digits, or on the common-password list. The history rule
/// needs stored hashes and is checked by `account_set_password`. A weak password is a result,
/// not an exception.
///
/// Args:
///     password: the candidate password (hedui keeps no copy; the caller's own copies are
///         the caller's to discard).
///     account: the operator's login name.
///     resident_id: the operator's resident ID (18 characters).
///     rulebook: a `Rulebook`; `None` for the built-in one (its `password` policy and
///         `security` rules).
///     name: the operator's real name, when known: a password that contains it (also in
///         look-alike characters) is weak.
///
/// Returns:
///     A dict: `acceptable` (no weakness) and `weaknesses`, one dict per weakness: `code`
///     (`too_short`, `too_long`, `too_few_classes`, `contains_account`, `contains_name`,
///     `contains_id_digits`, `common`), the reason's own fields and `message`.
///
/// Raises:
///     InputError: an argument that is not a str, or an invalid resident ID (its own code,
///         e.g. `id_resident_checksum`).
#[pyfunction]
#[pyo3(signature = (password, account, resident_id, rulebook=None, name=None))]
pub(crate) fn password_check<'py>(
    py: Python<'py>,
    password: &Bound<'py, PyAny>,
    account: &Bound<'py, PyAny>,
    resident_id: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
    name: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = ops::PasswordCheckRequest {
            password: ops::SecretText::new(str_arg(password, "password")?),
            account: str_arg(account, "account")?,
            resident_id: {
                // under the rulebook's identifier rules, today
                str_arg(resident_id, "resident_id")?;
                convert::value_under(
                    resident_id,
                    "resident_id",
                    &rb,
                    hedui_ops::args::today_beijing(),
                )?
            },
            name: name
                .filter(|n| !n.is_none())
                .map(|n| str_arg(n, "name"))
                .transpose()?,
        };
        to_py(py, &ops::password_check(&rb, &request))
    })
}

// ------------------------------------------------------------------ permissions

/// Whether `role` may do `action` (on `category`) under a permission table (operation
/// `permission_check`, N §三 "严控各类人员数据处理权限"). Default deny: an unknown role, an
/// action or category not granted, or a data query without a category is refused.
///
/// Args:
///     role: the role name (`operator`, `auditor`, ... in the default table).
///     action: the action's name, e.g. `query_data`, `view_report`, `sign_report`.
///     category: a data category name (e.g. `bank_deposits`); needed for `query_data`.
///     permissions: a table dict in the JSON shape of the core's `Permissions`
///         (`{"roles": [...]}`); `None` for the default table.
///
/// Returns:
///     The `PermissionDecision` dict: `decision` (`permit`/`deny`), `role`, `action`,
///     `category` (when given) and `reason`.
///
/// Raises:
///     InputError: an unknown action or category name, or a table that cannot be read.
#[pyfunction]
#[pyo3(signature = (role, action, category=None, permissions=None))]
pub(crate) fn permission_check<'py>(
    py: Python<'py>,
    role: &Bound<'py, PyAny>,
    action: &Bound<'py, PyAny>,
    category: Option<&Bound<'py, PyAny>>,
    permissions: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::PermissionCheckRequest {
            role: str_arg(role, "role")?,
            action: str_value(action, "action")?,
            category: match category.filter(|c| !c.is_none()) {
                Some(c) => Some(str_value(c, "category")?),
                None => None,
            },
            permissions: convert::opt_document(permissions, "permissions")?,
        };
        to_py(py, &ops::permission_check(&request))
    })
}

/// A report as `role` may see it (operation `report_mask`): resident IDs, names and amounts
/// full, masked or left out by the role's view in the permission table (a role not in the
/// table sees none of them).
///
/// Args:
///     report: a report dict.
///     role: the role name.
///     permissions: a table dict (`{"roles": [...]}`); `None` for the default table.
///
/// Returns:
///     The masked report dict. Masking changes the content, so its digest no longer
///     verifies: it is a view, not a report to archive.
///
/// Raises:
///     InputError: `report` is not a report, `role` not a str, a table that cannot be read.
#[pyfunction]
#[pyo3(signature = (report, role, permissions=None))]
pub(crate) fn report_mask<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    role: &Bound<'py, PyAny>,
    permissions: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::ReportMaskRequest {
            report: convert::document(report, "report")?,
            role: str_arg(role, "role")?,
            permissions: convert::opt_document(permissions, "permissions")?,
        };
        to_py(
            py,
            &ops::report_mask(request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

// ------------------------------------------------------------------ signatures

/// A signing seed: `bytes`/`bytearray`, or hex text as in the JSON request.
fn seed_arg(obj: &Bound<'_, PyAny>) -> PyResult<ops::SecretBytes> {
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return convert::value(obj, "seed_hex");
    }
    convert::bytes_arg(obj, "seed_hex").map(ops::SecretBytes::new)
}

/// The `algorithm` argument: `"ed25519"` (absent) or `"sm2"`.
fn algorithm_arg(obj: Option<&Bound<'_, PyAny>>) -> PyResult<hedui_core::SignatureAlgorithm> {
    obj.filter(|o| !o.is_none())
        .map_or(Ok(hedui_core::SignatureAlgorithm::Ed25519), |o| {
            convert::value(o, "algorithm")
        })
}

/// Seals a report and signs its digest with an Ed25519 key, or with an SM2 key
/// (`algorithm="sm2"`: SM3 digest, SM2 signature, the commercial-cryptography suite) (operation
/// `report_sign`): the signature goes in the report's `integrity` block, outside the canonical
/// form. Both are deterministic: the same report and key give the same signature through C,
/// uniffi and Rust.
///
/// Args:
///     report: a report dict.
///     key_id: the key's id, as verifiers know it.
///     seed_hex: the 32-byte Ed25519 private key (RFC 8032 seed), as `bytes`/`bytearray` or
///         64 hex characters, from the agency's key store. It is a secret: hedui overwrites
///         its own copy after the call; the caller wipes its own (a `bytearray` can be
///         overwritten, a `bytes` or `str` cannot). For `algorithm="sm2"`, the 32-byte SM2
///         private key.
///     algorithm: `"ed25519"` (the default) or `"sm2"`.
///
/// Returns:
///     The signed report dict.
///
/// Raises:
///     InputError: `report` is not a report, a seed that is neither bytes nor hex text.
///     SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
#[pyfunction]
#[pyo3(signature = (report, key_id, seed_hex, algorithm=None))]
pub(crate) fn report_sign<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    key_id: &Bound<'py, PyAny>,
    seed_hex: &Bound<'py, PyAny>,
    algorithm: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::ReportSignRequest {
            report: convert::document(report, "report")?,
            key_id: str_arg(key_id, "key_id")?,
            seed_hex: seed_arg(seed_hex)?,
            algorithm: algorithm_arg(algorithm)?,
        };
        to_py(
            py,
            &ops::report_sign(request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// The public half of a signing key (operation `signing_key_trust`), as a trusted-key dict
/// (`key_id`, `public_key` as 64 hex characters) to hand to verifiers.
///
/// Args:
///     key_id: the key's id.
///     seed_hex: the 32-byte seed (or SM2 private key), as for `report_sign`.
///     algorithm: `"ed25519"` (the default) or `"sm2"`.
///
/// Raises:
///     InputError: a seed that is neither bytes nor hex text.
///     SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
#[pyfunction]
#[pyo3(signature = (key_id, seed_hex, algorithm=None))]
pub(crate) fn signing_key_trust<'py>(
    py: Python<'py>,
    key_id: &Bound<'py, PyAny>,
    seed_hex: &Bound<'py, PyAny>,
    algorithm: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::SigningKeyTrustRequest {
            key_id: str_arg(key_id, "key_id")?,
            seed_hex: seed_arg(seed_hex)?,
            algorithm: algorithm_arg(algorithm)?,
        };
        to_py(
            py,
            &ops::signing_key_trust(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// Checks a signed report (operation `report_verify_signature`): its digest against its
/// content and its signature against the trusted key it names. A report changed after
/// signing fails.
///
/// Args:
///     report: a signed report dict.
///     trusted_keys: trusted-key dicts (`key_id`, `public_key`), ids unique.
///
/// Returns:
///     A dict: `key_id` (the trusted key that signed) and `digest` (the report digest the
///     signature covers).
///
/// Raises:
///     SecurityError: unsigned, changed or badly signed (`signature_invalid`), an unknown key
///         id (`signature_unknown_key`), a key id trusted twice (`signing_key_invalid`).
///     InputError: a document that cannot be read.
#[pyfunction]
pub(crate) fn report_verify_signature<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    trusted_keys: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::ReportVerifySignatureRequest {
            report: convert::document(report, "report")?,
            trusted_keys: convert::document(trusted_keys, "trusted keys")?,
        };
        to_py(
            py,
            &ops::report_verify_signature(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// Secret bytes given as `bytes`/`bytearray` or hex text.
fn secret_arg(obj: &Bound<'_, PyAny>, name: &'static str) -> PyResult<ops::SecretBytes> {
    if obj.is_instance_of::<pyo3::types::PyString>() {
        return convert::value(obj, name);
    }
    convert::bytes_arg(obj, name).map(ops::SecretBytes::new)
}

/// Seals a document at rest with SM4-GCM, the commercial-cryptography suite (operation
/// `document_seal`), in hedui's versioned envelope.
///
/// Args:
///     key_id: the sealing key's id, recorded in the envelope.
///     key_hex: the 16-byte SM4 key, as `bytes`/`bytearray` or 32 hex characters. A secret:
///         hedui overwrites its own copy after the call.
///     plaintext: the document's text (a report's JSON, an export file).
///     aad: associated data bound to the envelope but not stored (e.g. the report number).
///     nonce_hex: the 12-byte nonce, never repeated under one key; by default drawn from the
///         operating system's CSPRNG. Give it only to reproduce an envelope.
///
/// Returns:
///     `{"key_id", "sealed_hex"}`.
///
/// Raises:
///     SecurityError: a key that is not 16 bytes or an empty key id (`seal_key_invalid`), a
///         nonce that is not 12 bytes (`seal_envelope_malformed`).
#[pyfunction]
#[pyo3(signature = (key_id, key_hex, plaintext, aad=None, nonce_hex=None))]
pub(crate) fn document_seal<'py>(
    py: Python<'py>,
    key_id: &Bound<'py, PyAny>,
    key_hex: &Bound<'py, PyAny>,
    plaintext: &Bound<'py, PyAny>,
    aad: Option<&Bound<'py, PyAny>>,
    nonce_hex: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::DocumentSealRequest {
            key_id: str_arg(key_id, "key_id")?,
            key_hex: secret_arg(key_hex, "key_hex")?,
            nonce_hex: nonce_hex
                .filter(|n| !n.is_none())
                .map(|n| secret_arg(n, "nonce_hex"))
                .transpose()?,
            plaintext: str_arg(plaintext, "plaintext")?,
            aad: aad
                .filter(|a| !a.is_none())
                .map(|a| str_arg(a, "aad"))
                .transpose()?
                .unwrap_or_default(),
        };
        to_py(
            py,
            &ops::document_seal(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// Signs an audit chain's head with the agency's signing key (operation `audit_head_sign`):
/// a checkpoint to store where whoever holds the audit MAC keys cannot write, so that a log
/// and a head rewritten together are still found out.
///
/// Args:
///     head: the head dict (`chain`, `entries`, `mac`), as `AuditChain.append` or
///         `AuditChain.head` give it.
///     key_id: the signing key's id, as verifiers know it.
///     seed_hex: the 32-byte Ed25519 private key, as for `report_sign` (a secret).
///
/// Returns:
///     The signed head dict: `head` and `signature` (`key_id`, `signature`).
///
/// Raises:
///     SecurityError: an empty key id or a seed that is not 32 bytes (`signing_key_invalid`).
///     InputError: a head that cannot be read, a seed that is neither bytes nor hex text.
#[pyfunction]
pub(crate) fn audit_head_sign<'py>(
    py: Python<'py>,
    head: &Bound<'py, PyAny>,
    key_id: &Bound<'py, PyAny>,
    seed_hex: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = audit::AuditHeadSignRequest {
            head: convert::document(head, "audit head")?,
            key_id: str_arg(key_id, "key_id")?,
            seed_hex: seed_arg(seed_hex)?,
        };
        to_py(
            py,
            &audit::audit_head_sign(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// Opens an envelope of `document_seal` with its key and associated data (operation
/// `document_open`).
///
/// Args:
///     key_id: the sealing key's id.
///     key_hex: the 16-byte SM4 key, as for `document_seal`.
///     sealed_hex: the envelope, as `bytes`/`bytearray` or hex text.
///     aad: the associated data given when sealing.
///
/// Returns:
///     `{"plaintext"}`.
///
/// Raises:
///     SecurityError: `seal_envelope_malformed` (truncated, unknown version or algorithm),
///         `seal_wrong_key` (another key id), `seal_open_failed` (changed bytes, other
///         associated data, other key bytes), `seal_key_invalid`.
#[pyfunction]
#[pyo3(signature = (key_id, key_hex, sealed_hex, aad=None))]
pub(crate) fn document_open<'py>(
    py: Python<'py>,
    key_id: &Bound<'py, PyAny>,
    key_hex: &Bound<'py, PyAny>,
    sealed_hex: &Bound<'py, PyAny>,
    aad: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = ops::DocumentOpenRequest {
            key_id: str_arg(key_id, "key_id")?,
            key_hex: secret_arg(key_hex, "key_hex")?,
            sealed_hex: secret_arg(sealed_hex, "sealed_hex")?,
            aad: aad
                .filter(|a| !a.is_none())
                .map(|a| str_arg(a, "aad"))
                .transpose()?
                .unwrap_or_default(),
        };
        to_py(
            py,
            &ops::document_open(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

/// The head of a signed checkpoint, once its signature verifies with a trusted key
/// (operation `audit_head_open`): what to pass to `AuditChain.from_jsonl` as the stored head.
///
/// Args:
///     signed_head: the signed head dict, as `audit_head_sign` gives it.
///     trusted_keys: trusted-key dicts (`key_id`, `public_key`), ids unique.
///
/// Returns:
///     The head dict (`chain`, `entries`, `mac`).
///
/// Raises:
///     SecurityError: a signature by an untrusted key or one that does not verify
///         (`audit_head_signature_invalid`), a key id trusted twice (`signing_key_invalid`).
///     InputError: a document that cannot be read.
#[pyfunction]
pub(crate) fn audit_head_open<'py>(
    py: Python<'py>,
    signed_head: &Bound<'py, PyAny>,
    trusted_keys: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let request = audit::AuditHeadOpenRequest {
            signed_head: convert::document(signed_head, "signed audit head")?,
            trusted_keys: convert::document(trusted_keys, "trusted keys")?,
        };
        to_py(
            py,
            &audit::audit_head_open(&request).map_err(|f| errors::failure(py, &f))?,
        )
    })
}

// ------------------------------------------------------------------ signer and keyring objects

/// The agency's report signer (R11): an Ed25519 key loaded once from the 32-byte seed its key
/// store holds (operation `report_signer_new`), then used for every report without the seed
/// passing again. hedui generates no keys.
///
/// `ReportSigner(key_id, seed)`: `key_id` is the id verifiers know the key by; `seed` the
/// RFC 8032 private key as `bytes`/`bytearray` (or 64 hex characters). hedui overwrites its
/// own copy of the seed once the key is made; the caller wipes its own (a `bytearray` can be
/// overwritten, a `bytes` or `str` cannot). Immutable: share it between threads.
#[pyclass(module = "hedui", name = "ReportSigner", frozen)]
pub(crate) struct PyReportSigner {
    inner: hedui_core::security::ReportSigner,
}

impl std::fmt::Debug for PyReportSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReportSigner(key_id={:?})", self.inner.key_id())
    }
}

#[pymethods]
impl PyReportSigner {
    /// Raises `SecurityError` (`signing_key_invalid`) for an empty key id or a seed that is not
    /// 32 bytes, `InputError` for a seed that is neither bytes nor hex text.
    #[new]
    fn new(py: Python<'_>, key_id: &Bound<'_, PyAny>, seed: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let key_id = str_arg(key_id, "key_id")?;
            let seed = seed_arg(seed)?;
            let inner = ops::report_signer_new(&key_id, seed.expose())
                .map_err(|f| errors::failure(py, &f))?;
            Ok(PyReportSigner { inner })
        })
    }

    /// The key id.
    #[getter]
    fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// Seals a report and signs its digest (operation `report_signer_sign`): the signed report
    /// dict, the signature in its `integrity` block. Ed25519 is deterministic: the same report
    /// and key give the same signature in every host.
    ///
    /// Raises `InputError` when `report` is not a report, `VerificationError`
    /// (`report_unsealable`) for a report that cannot be written whole in its canonical form.
    fn sign<'py>(
        &self,
        py: Python<'py>,
        report: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let report = convert::document(report, "report")?;
            let signed = ops::report_signer_sign(&self.inner, report)
                .map_err(|f| errors::failure(py, &f))?;
            to_py(py, &signed)
        })
    }

    /// The public half as a trusted-key dict (`key_id`, `public_key` as 64 hex characters) for
    /// a `ReportKeyring` (operation `report_signer_trusted_key`).
    fn trusted_key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            to_py(py, &ops::report_signer_trusted_key(&self.inner))
        })
    }

    fn __repr__(&self) -> String {
        format!("ReportSigner(key_id={:?})", self.inner.key_id())
    }
}

/// A keyring of trusted report-signing keys (R11), loaded once (operation
/// `report_keyring_new`): what `verify` and the gates that take a report as evidence
/// (`relief_close`, `EmergencyLedger.close`, `appeal_file`, `report_history_record`) check
/// signatures against.
///
/// `ReportKeyring(trusted_keys)`: trusted-key dicts (`key_id`, `public_key`) as
/// `ReportSigner.trusted_key` returns them, ids unique. To rotate, list the new key next to the
/// old; to revoke, leave a key out. Immutable: share it between threads.
#[pyclass(module = "hedui", name = "ReportKeyring", frozen)]
#[derive(Debug)]
pub(crate) struct PyReportKeyring {
    inner: hedui_core::security::ReportKeyring,
}

#[pymethods]
impl PyReportKeyring {
    /// Raises `SecurityError` (`signing_key_invalid`) for a key id listed twice, `InputError`
    /// for a list that cannot be read.
    #[new]
    fn new(py: Python<'_>, trusted_keys: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let keys = convert::document(trusted_keys, "trusted keys")?;
            let inner = ops::report_keyring_new(keys).map_err(|f| errors::failure(py, &f))?;
            Ok(PyReportKeyring { inner })
        })
    }

    /// Checks a signed report (operation `report_keyring_verify`): its digest against its
    /// content and its signature against the trusted key it names. Returns a dict: `key_id`
    /// and `digest`.
    ///
    /// Raises `SecurityError`: `signature_invalid` for a report unsigned, changed or badly
    /// signed, `signature_unknown_key` for a key the keyring does not trust.
    fn verify<'py>(
        &self,
        py: Python<'py>,
        report: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let report = convert::document(report, "report")?;
            let verified = ops::report_keyring_verify(&self.inner, &report)
                .map_err(|f| errors::failure(py, &f))?;
            to_py(py, &verified)
        })
    }

    /// The key ids trusted, in the order given.
    fn key_ids(&self) -> Vec<String> {
        self.inner.keys().iter().map(|k| k.key_id.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.inner.keys().len()
    }

    fn __repr__(&self) -> String {
        format!("ReportKeyring(keys={})", self.inner.keys().len())
    }
}

/// The keyring argument of an evidence gate: `None` trusts no key (every report is then
/// refused while the rulebook requires signed evidence); anything but a `ReportKeyring` is an
/// `InputError` (`input_argument`).
pub(crate) fn keyring_arg<'py>(
    obj: Option<&Bound<'py, PyAny>>,
) -> PyResult<Option<Bound<'py, PyReportKeyring>>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    match obj.cast::<PyReportKeyring>() {
        Ok(k) => Ok(Some(k.clone())),
        Err(_) => Err(convert::argument(
            obj.py(),
            format!(
                "`keyring` must be a ReportKeyring, got `{}`",
                convert::type_name(obj)
            ),
        )),
    }
}

/// The core keyring behind [`keyring_arg`]'s result.
pub(crate) fn keyring_of<'a>(
    keyring: &'a Option<Bound<'_, PyReportKeyring>>,
) -> &'a hedui_core::security::ReportKeyring {
    static NO_KEYS: hedui_core::security::ReportKeyring =
        hedui_core::security::ReportKeyring::EMPTY;
    match keyring {
        Some(k) => &k.get().inner,
        None => &NO_KEYS,
    }
}
