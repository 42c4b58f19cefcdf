//! `hedui audit` (R11 安全管理): an append-only, tamper-evident chain of gate decisions in a
//! JSONL file, each entry MACed with HMAC-SHA256 under a key named by its id, and a head
//! (chain id, length, last MAC) stored apart from the chain, so that a chain cut short, rolled
//! back to an older copy or swapped for another one is refused. Keys are files of at least 32
//! bytes, read as they are (`head -c 32 /dev/urandom > k1.key`), given as `--key ID=FILE`;
//! the last one given MACs new entries, the others verify older ones (rotation).
//!
//! `dispose` applies log retention (网络安全法 Art 21, `retention.log_months`): it drops the
//! oldest entries whose retention has ended and writes the record of the disposal
//! (`--disposal FILE`); from then on the chain opens only with that record, which verifies
//! the start of what remains.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use hedui_core::security::{AuditChain, AuditHead, AuditKeyring, LogDisposal};
use hedui_ops::audit::{AuditLog, keyring_add_with};
use hedui_ops::{Failure, json};

use crate::{CliError, Outcome};

/// The options of `hedui audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// The chain, one entry per line (`append` creates it when it does not exist)
    #[arg(long, value_name = "FILE", global = true)]
    pub chain: Option<PathBuf>,
    /// The chain's stored head ({"chain", "entries", "mac"}), kept apart from the chain:
    /// `append` reads and rewrites it, `verify` checks the chain still reaches it
    #[arg(long, value_name = "FILE", global = true)]
    pub head: Option<PathBuf>,
    /// The record of the last disposal of the chain's oldest entries, kept with the head:
    /// `dispose` writes it, and a chain that was disposed of opens only with it
    #[arg(long, value_name = "FILE", global = true)]
    pub disposal: Option<PathBuf>,
    /// A MAC key as ID=FILE (the file holds at least 32 bytes); repeat for older keys, the
    /// last one MACs new entries
    #[arg(long = "key", value_name = "ID=FILE", global = true)]
    pub keys: Vec<String>,
    /// The keys' MAC algorithm: `hmac-sha256` (the default) or `hmac-sm3` (the
    /// commercial-cryptography suite, `security.crypto_suite = "shangmi"`).
    #[arg(
        long = "mac",
        value_name = "ALGORITHM",
        global = true,
        default_value = "hmac-sha256"
    )]
    pub mac: String,
    /// What to do with the chain
    #[command(subcommand)]
    pub action: AuditAction,
}

/// `hedui audit` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum AuditAction {
    /// Open the chain against its head, append a gate decision, write the chain and the new head
    Append {
        /// The event: {"at", "event", "decision", "actor", "reason", "context"}
        #[arg(long, value_name = "FILE")]
        event: PathBuf,
        /// The id of a new chain (needed only when neither the chain nor the head exists yet)
        #[arg(long, value_name = "ID")]
        chain_id: Option<String>,
    },
    /// Check every entry's chain id, sequence, link, key, time and MAC, and that the chain
    /// still reaches its stored head; the first problem is named
    Verify,
    /// Dispose of the oldest entries whose log retention has ended (网络安全法 Art 21), up to
    /// and including entry --through (default: every entry that may go); rewrites the chain
    /// and writes the record to --disposal
    Dispose {
        /// The day of the disposal, YYYY-MM-DD (default: today in Beijing)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// The sequence number of the youngest entry to dispose of
        #[arg(long, value_name = "SEQ")]
        through: Option<u64>,
        /// The rulebook whose `retention.log_months` applies (default: the built-in one)
        #[arg(long, value_name = "FILE")]
        rulebook: Option<PathBuf>,
    },
    /// List the entries and mark the first broken one (against the head when one is given)
    Show {
        /// The chain id, when no --head is given
        #[arg(long, value_name = "ID")]
        chain_id: Option<String>,
    },
}

fn chain_path(a: &AuditArgs) -> Result<&Path, CliError> {
    a.chain
        .as_deref()
        .ok_or_else(|| CliError::Usage("`hedui audit` needs --chain FILE".to_owned()))
}

fn head_path(a: &AuditArgs) -> Result<&Path, CliError> {
    a.head.as_deref().ok_or_else(|| {
        CliError::Usage(
            "`hedui audit` needs --head FILE: the chain's stored head, kept apart from it"
                .to_owned(),
        )
    })
}

/// The keyring of the `--key ID=FILE` options, in the order given.
fn keyring(a: &AuditArgs) -> Result<AuditKeyring, CliError> {
    if a.keys.is_empty() {
        return Err(CliError::Usage(
            "`hedui audit` needs at least one --key ID=FILE".to_owned(),
        ));
    }
    let mut keyring = AuditKeyring::new();
    for spec in &a.keys {
        let (id, file) = spec
            .split_once('=')
            .ok_or_else(|| CliError::Usage(format!("--key takes ID=FILE, not `{spec}`")))?;
        keyring_add_with(
            &mut keyring,
            id,
            &a.mac,
            &crate::read_bytes(Path::new(file))?,
        )?;
    }
    Ok(keyring)
}

fn read_head(path: &Path) -> Result<AuditHead, CliError> {
    Ok(json::parse("audit head", &crate::read_text(path)?)?)
}

/// The record of the last disposal, when `--disposal` names a file that exists.
fn read_disposal(a: &AuditArgs) -> Result<Option<LogDisposal>, CliError> {
    match a.disposal.as_deref() {
        Some(path) if path.exists() => Ok(Some(json::parse(
            "log disposal record",
            &crate::read_text(path)?,
        )?)),
        _ => Ok(None),
    }
}

/// Runs `hedui audit` (operations `audit_keyring_add_with`, `audit_chain_new`,
/// `audit_chain_from_jsonl`, `audit_chain_append`, `audit_chain_verify`,
/// `audit_chain_to_jsonl`).
///
/// # Errors
/// [`CliError::Usage`] without `--chain`, `--head` or `--key`, or for a new chain without
/// `--chain-id`; [`CliError::Io`]; `audit_key_length`, `audit_id_invalid`,
/// `audit_line_invalid`, `audit_format_unsupported`, `audit_chain_broken`,
/// `audit_chain_swapped`, `audit_chain_spliced`, `audit_chain_backdated`, `audit_key_unknown`,
/// `audit_chain_truncated`, `audit_chain_rolled_back` naming the first problem;
/// `audit_time_backwards` for an event dated before the last entry; `input_json` for a bad
/// event or head.
pub fn run(a: &AuditArgs, as_json: bool) -> Result<Outcome, CliError> {
    let chain_path = chain_path(a)?;
    match &a.action {
        AuditAction::Append { event, chain_id } => {
            let head_path = head_path(a)?;
            let keyring = keyring(a)?;
            let mut log = if head_path.exists() {
                // a missing chain file under an existing head is a chain cut to nothing
                let text = if chain_path.exists() {
                    crate::read_text(chain_path)?
                } else {
                    String::new()
                };
                AuditLog::from_jsonl_after(
                    keyring,
                    &text,
                    &read_head(head_path)?,
                    read_disposal(a)?.as_ref(),
                )?
            } else if chain_path.exists() {
                return Err(CliError::Usage(format!(
                    "{} exists but its head {} does not: an existing chain opens only \
                     against its stored head",
                    chain_path.display(),
                    head_path.display()
                )));
            } else {
                let id = chain_id
                    .as_deref()
                    .ok_or_else(|| CliError::Usage("a new chain needs --chain-id ID".to_owned()))?;
                AuditLog::new(id, keyring)?
            };
            let head = log.append_json(&crate::read_text(event)?)?;
            crate::write_replacing(chain_path, log.to_jsonl()?.as_bytes())?;
            crate::write_replacing(head_path, &head)?;
            if as_json {
                crate::print_json_bytes(&head)?;
            } else {
                println!("{}", String::from_utf8_lossy(&head));
            }
            Ok(Outcome::Ok)
        }
        AuditAction::Verify => {
            let head = read_head(head_path(a)?)?;
            let disposal = read_disposal(a)?;
            let log = AuditLog::from_jsonl_after(
                keyring(a)?,
                &crate::read_text(chain_path)?,
                &head,
                disposal.as_ref(),
            )?;
            let first = disposal
                .as_ref()
                .map_or(0, |d| d.last_seq.saturating_add(1));
            if as_json {
                crate::print_json(&serde_json::json!({
                    "ok": true, "chain": head.chain, "entries": log.len(), "first_seq": first
                }))?;
            } else if first > 0 {
                println!(
                    "audit chain {} ok: {} entries from entry {first} (older ones disposed of)",
                    head.chain,
                    log.len()
                );
            } else {
                println!("audit chain {} ok: {} entries", head.chain, log.len());
            }
            Ok(Outcome::Ok)
        }
        AuditAction::Dispose {
            on,
            through,
            rulebook,
        } => dispose(
            a,
            chain_path,
            on.as_deref(),
            *through,
            rulebook.as_deref(),
            as_json,
        ),
        AuditAction::Show { chain_id } => {
            let head = a.head.as_deref().map(read_head).transpose()?;
            let id = match (&head, chain_id) {
                (Some(h), _) => h.chain.clone(),
                (None, Some(id)) => id.clone(),
                (None, None) => {
                    return Err(CliError::Usage(
                        "`hedui audit show` needs --head FILE or --chain-id ID".to_owned(),
                    ));
                }
            };
            let disposal = read_disposal(a)?;
            show(
                chain_path,
                &id,
                &keyring(a)?,
                (head.as_ref(), disposal),
                as_json,
            )
        }
    }
}

/// `hedui audit dispose` (operations `audit_chain_disposable`, `audit_chain_dispose`): opens
/// the chain against its head (and the last record), disposes of the oldest entries whose
/// retention has ended, and writes the chain and the new record.
fn dispose(
    a: &AuditArgs,
    chain_path: &Path,
    on: Option<&str>,
    through: Option<u64>,
    rulebook: Option<&Path>,
    as_json: bool,
) -> Result<Outcome, CliError> {
    let record_path = a.disposal.as_deref().ok_or_else(|| {
        CliError::Usage(
            "`hedui audit dispose` needs --disposal FILE: the record of the disposal, kept \
             with the head"
                .to_owned(),
        )
    })?;
    let on = match on {
        Some(text) => hedui_ops::args::parse_date("--on", text)?,
        None => hedui_ops::args::today_beijing(),
    };
    let head = read_head(head_path(a)?)?;
    let mut log = AuditLog::from_jsonl_after(
        keyring(a)?,
        &crate::read_text(chain_path)?,
        &head,
        read_disposal(a)?.as_ref(),
    )?;
    let rulebook = crate::load_rulebook(rulebook)?;
    let through = match through {
        Some(seq) => seq,
        None => match log.disposable(&rulebook, on).through_seq {
            Some(seq) => seq,
            None => {
                if as_json {
                    crate::print_json(&serde_json::json!({ "disposed": 0 }))?;
                } else {
                    println!("nothing to dispose of on {on}: no entry is past its retention");
                }
                return Ok(Outcome::Ok);
            }
        },
    };
    let record = log.dispose(&rulebook, through, on)?;
    crate::write_replacing(record_path, &json::to_vec(&record)?)?;
    crate::write_replacing(chain_path, log.to_jsonl()?.as_bytes())?;
    if as_json {
        crate::print_json(&record)?;
    } else {
        println!(
            "disposed of entries {}..={} of audit chain {} on {} (kept until {}); record in {}",
            record.first_seq,
            record.last_seq,
            record.chain,
            record.disposed_on,
            record.kept_until,
            record_path.display()
        );
    }
    Ok(Outcome::Ok)
}

/// Every entry, and where the chain first breaks (read without verifying, so that a broken
/// chain can be shown).
fn show(
    chain_path: &Path,
    chain_id: &str,
    keyring: &AuditKeyring,
    (head, disposal): (Option<&AuditHead>, Option<LogDisposal>),
    as_json: bool,
) -> Result<Outcome, CliError> {
    let security = |e: hedui_core::error::SecurityError| CliError::from(Failure::Core(e.into()));
    let mut chain =
        AuditChain::from_jsonl(chain_id, &crate::read_text(chain_path)?).map_err(security)?;
    if let Some(d) = disposal {
        chain = chain.after_disposal(d);
    }
    let checked = match head {
        Some(head) => chain.verify_against(keyring, head),
        None => chain.verify(keyring),
    };
    let broken = checked.err().map(|e| Failure::Core(e.into()));
    let index = broken.as_ref().and_then(|f| {
        f.detail()
            .pointer("/fields/index")
            .and_then(serde_json::Value::as_u64)
    });
    if as_json {
        crate::print_json(&serde_json::json!({
            "entries": chain.entries(),
            "broken": broken.as_ref().map(Failure::detail),
        }))?;
    } else {
        for (i, e) in chain.entries().iter().enumerate() {
            let mark = if index == Some(i as u64) {
                "  <-- first break"
            } else {
                ""
            };
            println!(
                "{:>6} {} {} {} {} {} {}{mark}",
                e.seq,
                e.at,
                e.key_id,
                snake(&e.event),
                snake(&e.decision),
                e.actor,
                e.reason
            );
        }
        match &broken {
            Some(f) => println!("error[{}]: {f}", f.code()),
            None => println!("audit chain ok: {} entries", chain.len()),
        }
    }
    Ok(if broken.is_some() {
        Outcome::Failed
    } else {
        Outcome::Ok
    })
}

/// A unit enum's serde name (`authorization_check`, `permit`).
fn snake<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
