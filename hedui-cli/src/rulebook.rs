//! `hedui rulebook`: every number the rules use lives in a versioned rulebook. Print the
//! built-in one, validate a file, or list where two differ.

use std::path::PathBuf;

use clap::Subcommand;
use hedui_core::Rulebook;

use crate::{CliError, Outcome};

/// The options of `hedui rulebook`.
#[derive(Debug, Clone, clap::Args)]
pub struct RulebookArgs {
    /// What to do
    #[command(subcommand)]
    pub action: RulebookAction,
}

/// `hedui rulebook` actions.
#[derive(Debug, Clone, Subcommand)]
pub enum RulebookAction {
    /// Print the built-in rulebook (the defaults) as JSON
    Show,
    /// Read and validate a rulebook file (ranges, security floors)
    Check {
        /// The rulebook file
        file: PathBuf,
    },
    /// List the settings where two rulebooks differ (exit 1 when they do)
    Diff {
        /// The first rulebook file
        a: PathBuf,
        /// The second rulebook file [default: the built-in rulebook]
        b: Option<PathBuf>,
    },
}

/// One setting that differs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Difference {
    /// JSON path of the setting (`recheck.destitute_months`, `agreements[3].fields`).
    pub path: String,
    /// Its value in the first rulebook (`null` when absent there).
    pub a: serde_json::Value,
    /// Its value in the second.
    pub b: serde_json::Value,
}

/// Every setting where `a` and `b` differ, in document order.
pub fn differences(a: &serde_json::Value, b: &serde_json::Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(String::new(), a, b, &mut out);
    out
}

fn walk(path: String, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<Difference>) {
    use serde_json::Value;
    let null = Value::Null;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(p, va, y.get(k).unwrap_or(&null), out);
            }
            for (k, vb) in y.iter().filter(|(k, _)| !x.contains_key(*k)) {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(p, &null, vb, out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                walk(format!("{path}[{i}]"), va, vb, out);
            }
        }
        _ if a != b => out.push(Difference {
            path,
            a: a.clone(),
            b: b.clone(),
        }),
        _ => {}
    }
}

fn value(rulebook: &Rulebook) -> Result<serde_json::Value, CliError> {
    serde_json::to_value(rulebook)
        .map_err(|e| CliError::Internal(format!("serializing a rulebook: {e}")))
}

/// Runs `hedui rulebook`.
///
/// # Errors
/// [`CliError::Io`], and a rulebook's own error (`input_json`, `input_rulebook`,
/// `input_rulebook_out_of_bounds`, ...) for a file that does not hold.
pub fn run(a: &RulebookArgs, as_json: bool) -> Result<Outcome, CliError> {
    match &a.action {
        RulebookAction::Show => {
            println!("{}", Rulebook::default().to_json());
            Ok(Outcome::Ok)
        }
        RulebookAction::Check { file } => {
            let rulebook = crate::load_rulebook(Some(file))?;
            if as_json {
                crate::print_json(&serde_json::json!({"ok": true, "version": rulebook.version}))?;
            } else {
                println!("{}: rulebook {} is valid", file.display(), rulebook.version);
            }
            Ok(Outcome::Ok)
        }
        RulebookAction::Diff { a, b } => {
            let first = value(&crate::load_rulebook(Some(a))?)?;
            let second = value(&crate::load_rulebook(b.as_deref())?)?;
            let diffs = differences(&first, &second);
            if as_json {
                crate::print_json(&diffs)?;
            } else {
                for d in &diffs {
                    println!("{}: {} -> {}", d.path, d.a, d.b);
                }
                if diffs.is_empty() {
                    println!("no differences");
                }
            }
            Ok(if diffs.is_empty() {
                Outcome::Ok
            } else {
                Outcome::Failed
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_name_each_changed_setting_by_path() {
        let a = serde_json::json!({"x": 1, "y": {"z": [1, 2]}, "gone": true});
        let b = serde_json::json!({"x": 1, "y": {"z": [1, 3]}, "new": "v"});
        let paths: Vec<_> = differences(&a, &b).into_iter().map(|d| d.path).collect();
        assert_eq!(paths, ["y.z[1]", "gone", "new"]);
        assert!(differences(&a, &a).is_empty());
    }
}
