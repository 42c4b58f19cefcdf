//! `hedui audit` (R11 安全管理): an append-only, tamper-evident chain of gate decisions in a
//! JSONL file, MACed with HMAC-SHA256 under a key kept in a file of its own (at least 32
//! bytes, read as they are: `head -c 32 /dev/urandom > audit.key`).

use std::path::PathBuf;

use clap::Subcommand;
use hedui_core::security::{AuditChain, AuditHead, AuditKey};
use hedui_ops::audit::AuditLog;
use hedui_ops::{Failure, json};

use crate::{CliError, Outcome};

/// The options of `hedui audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// The chain, one entry per line (`append` creates it when it does not exist)
    #[arg(long, value_name = "FILE", global = true)]
    pub chain: Option<PathBuf>,
    /// The HMAC key file (at least 32 bytes, used as they are)
    #[arg(long, value_name = "FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// What to do with the chain
    #[command(subcommand)]
    pub action: AuditAction,
}

/// `hedui audit` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum AuditAction {
    /// Verify the chain, then append a gate decision and print the new head
    Append {
        /// The event: {"at", "event", "decision", "actor", "reason", "context"}
        #[arg(long, value_name = "FILE")]
        event: PathBuf,
    },
    /// Check every entry's sequence, link and MAC; the first break is named
    Verify {
        /// A head recorded earlier ({"entries", "mac"}, as `append` prints it): the chain
        /// must still reach it (no entry cut off the end)
        #[arg(long, value_name = "FILE")]
        head: Option<PathBuf>,
    },
    /// List the entries and mark the first broken one
    Show,
}

fn paths(a: &AuditArgs) -> Result<(&std::path::Path, Vec<u8>), CliError> {
    let chain = a
        .chain
        .as_deref()
        .ok_or_else(|| CliError::Usage("`hedui audit` needs --chain FILE".to_owned()))?;
    let key_file = a
        .key_file
        .as_deref()
        .ok_or_else(|| CliError::Usage("`hedui audit` needs --key-file FILE".to_owned()))?;
    Ok((chain, crate::read_bytes(key_file)?))
}

/// Runs `hedui audit` (operations `audit_chain_from_jsonl`, `audit_chain_append`,
/// `audit_chain_verify`, `audit_chain_to_jsonl`).
///
/// # Errors
/// [`CliError::Usage`] without `--chain` or `--key-file`, [`CliError::Io`],
/// `audit_key_length`, `audit_line_invalid`, `audit_chain_broken` naming the first broken
/// entry, `input_json` for a bad event or head.
pub fn run(a: &AuditArgs, as_json: bool) -> Result<Outcome, CliError> {
    let (chain_path, key) = paths(a)?;
    match &a.action {
        AuditAction::Append { event } => {
            let mut log = if chain_path.exists() {
                AuditLog::from_jsonl(&key, &crate::read_text(chain_path)?)?
            } else {
                AuditLog::new(&key)?
            };
            let head = log.append_json(&crate::read_text(event)?)?;
            crate::write_replacing(chain_path, log.to_jsonl()?.as_bytes())?;
            if as_json {
                crate::print_json_bytes(&head)?;
            } else {
                println!("{}", String::from_utf8_lossy(&head));
            }
            Ok(Outcome::Ok)
        }
        AuditAction::Verify { head } => {
            let log = AuditLog::from_jsonl(&key, &crate::read_text(chain_path)?)?;
            if let Some(head) = head {
                let head: AuditHead = json::parse("audit head", &crate::read_text(head)?)?;
                log.verify_against(&head)?;
            } else {
                log.verify()?;
            }
            if as_json {
                crate::print_json(&serde_json::json!({"ok": true, "entries": log.len()}))?;
            } else {
                println!("audit chain ok: {} entries", log.len());
            }
            Ok(Outcome::Ok)
        }
        AuditAction::Show => show(chain_path, &key, as_json),
    }
}

/// Every entry, and where the chain first breaks (read without verifying, so that a broken
/// chain can be shown).
fn show(chain_path: &std::path::Path, key: &[u8], as_json: bool) -> Result<Outcome, CliError> {
    let security = |e: hedui_core::error::SecurityError| CliError::from(Failure::Core(e.into()));
    let key = AuditKey::new(key).map_err(security)?;
    let chain = AuditChain::from_jsonl(&crate::read_text(chain_path)?).map_err(security)?;
    let broken = chain.verify(&key).err().map(|e| Failure::Core(e.into()));
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
                "{:>6} {} {} {} {} {}{mark}",
                e.seq,
                e.at,
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
