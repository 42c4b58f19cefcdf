//! # hedui-cli
//!
//! The `hedui` command line: one installed command for the work of a verification centre
//! (核对机构). Every subcommand calls the operations layer (`hedui-ops`), as the C ABI, uniffi
//! and Python do; nothing here decides anything.
//!
//! | subcommand | what |
//! |---|---|
//! | `verify` | the main job: verify a caseload (generated, JSONL, or office tables from an Excel workbook or CSV files), reports, errors, summary |
//! | `render` | stored reports as printable Chinese Markdown |
//! | `check` | a stored report's digest, and its signature against a keyring |
//! | `recheck-plan` | R8: due and overdue rechecks, cut into batches |
//! | `coverage` | R5: coverage of new applications, every gap |
//! | `relief` | R4: record, close and list relief follow-ups in a ledger file |
//! | `audit` | R11: append to an audit chain file, verify it and show the first break |
//! | `id` | resident IDs, credit codes and region codes, from arguments or a file's column |
//! | `rulebook` | print the built-in rulebook, validate a file, diff two |
//! | `completions` | shell completions |
//!
//! Exit codes ([`Exit`]): 0 ok; 1 input rejected or a check failed; 2 usage; 3 I/O; 4
//! internal error. Errors go to stderr with their stable code, `hedui: error[code]: message`,
//! or with `--json` as one JSON line (`{"error": {...}}`, the error's detail).
//!
//! ```
//! use clap::Parser;
//! use hedui_cli::{Cli, Exit};
//!
//! let cli = Cli::try_parse_from(["hedui", "rulebook", "show"])?;
//! assert!(!cli.json);
//! assert_eq!(Exit::Usage as u8, 2);
//! # Ok::<(), clap::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use hedui_core::Rulebook;
use hedui_ops::Failure;

pub mod audit;
pub mod id;
pub mod population;
pub mod reports;
pub mod rulebook;
pub mod tables;
pub mod verify;
pub mod workbook;

/// The exit codes of `hedui`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Everything done, every check passed.
    Ok = 0,
    /// Input was rejected (a document, an identifier, a rulebook: the error's code on stderr),
    /// or a check failed (a digest, a signature, an audit chain, a sample).
    Rejected = 1,
    /// The command line was wrong (unknown subcommand or option, a missing or bad value).
    Usage = 2,
    /// A file could not be read or written.
    Io = 3,
    /// A bug in hedui.
    Internal = 4,
}

/// How a command that ran ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every record passed.
    Ok,
    /// Some record was rejected or failed its check (each reported on stdout or stderr).
    Failed,
}

/// Why a command stopped.
#[derive(Debug)]
pub enum CliError {
    /// A hedui error (a rejected document, identifier, rulebook, time argument...).
    Failure(Failure),
    /// A file could not be read or written.
    Io(String),
    /// Options that do not go together, beyond what the parser checks.
    Usage(String),
    /// A bug in hedui.
    Internal(String),
}

impl From<Failure> for CliError {
    fn from(f: Failure) -> Self {
        match f {
            Failure::Panic(message) => CliError::Internal(message),
            other => CliError::Failure(other),
        }
    }
}

impl From<hedui_core::Error> for CliError {
    fn from(e: hedui_core::Error) -> Self {
        CliError::Failure(Failure::Core(e))
    }
}

/// The codes of the errors only the command line has (hedui's own errors keep theirs).
pub mod codes {
    /// A file could not be read or written.
    pub const IO: &str = "io_error";
    /// The command line was wrong.
    pub const USAGE: &str = "usage";
    /// A bug in hedui.
    pub const INTERNAL: &str = "internal";
}

impl CliError {
    /// The stable code: hedui's own for a [`Failure`], else [`codes`].
    pub fn code(&self) -> &'static str {
        match self {
            CliError::Failure(f) => f.code(),
            CliError::Io(_) => codes::IO,
            CliError::Usage(_) => codes::USAGE,
            CliError::Internal(_) => codes::INTERNAL,
        }
    }

    /// The exit code.
    pub fn exit(&self) -> Exit {
        match self {
            // no browser to print a PDF with, or the browser failed: the PDF file could not
            // be written
            CliError::Failure(Failure::Printer { .. }) => Exit::Io,
            CliError::Failure(_) => Exit::Rejected,
            CliError::Io(_) => Exit::Io,
            CliError::Usage(_) => Exit::Usage,
            CliError::Internal(_) => Exit::Internal,
        }
    }

    /// The error as structured data, the shape of hedui's error detail.
    pub fn detail(&self) -> serde_json::Value {
        match self {
            CliError::Failure(f) => f.detail(),
            CliError::Io(_) => {
                hedui_ops::failure::boundary_detail(self.code(), "io", &self.to_string())
            }
            CliError::Usage(_) => {
                hedui_ops::failure::boundary_detail(self.code(), "argument", &self.to_string())
            }
            CliError::Internal(_) => {
                hedui_ops::failure::boundary_detail(self.code(), "internal", &self.to_string())
            }
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Failure(e) => write!(f, "{e}"),
            CliError::Io(m) | CliError::Usage(m) => f.write_str(m),
            CliError::Internal(m) => write!(f, "internal error in hedui: {m}"),
        }
    }
}

impl std::error::Error for CliError {}

/// `hedui`: household economic-status verification (居民家庭经济状况核对) at the command line.
#[derive(Debug, Parser)]
#[command(
    name = "hedui",
    version,
    about = "Household economic-status verification (居民家庭经济状况核对): the main job and the \
             operator's tools",
    after_help = "Exit codes: 0 ok; 1 input rejected or a check failed; 2 usage; 3 I/O; \
                  4 internal error."
)]
pub struct Cli {
    /// Write results (and errors, on stderr) as JSON for scripts
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The main job: verify a caseload and write the reports, the errors and a summary
    Verify(verify::VerifyArgs),
    /// Stored reports (JSON or JSONL) as printable Chinese Markdown
    Render(reports::RenderArgs),
    /// Check stored reports: the digest, and the signature against a keyring
    Check(reports::CheckArgs),
    /// R8: due and overdue rechecks of assisted households, cut into batches
    RecheckPlan(population::RecheckArgs),
    /// R5: coverage of new applications by verification records, every gap
    Coverage(population::CoverageArgs),
    /// R4: relief before verification, against a ledger file
    Relief(population::ReliefArgs),
    /// R11: the audit chain, append-only and tamper-evident
    Audit(audit::AuditArgs),
    /// Check resident IDs, credit codes or region codes
    Id(id::IdArgs),
    /// The rulebook: print the built-in one, validate a file, diff two
    Rulebook(rulebook::RulebookArgs),
    /// Print shell completions for hedui
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Parses `args` (the first is the program's name) and runs the command: what `main` calls.
pub fn main_with<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // help and version go to stdout with 0, usage errors to stderr with 2
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Usage as u8 } else { 0 });
        }
    };
    let json = cli.json;
    let exit = match run(cli) {
        Ok(Outcome::Ok) => Exit::Ok,
        Ok(Outcome::Failed) => Exit::Rejected,
        Err(e) => {
            report_error(&e, json);
            e.exit()
        }
    };
    ExitCode::from(exit as u8)
}

/// An error on stderr: `hedui: error[code]: message`, or one JSON line with `--json`.
pub fn report_error(e: &CliError, json: bool) {
    if json {
        eprintln!("{}", serde_json::json!({ "error": e.detail() }));
    } else {
        eprintln!("hedui: error[{}]: {e}", e.code());
    }
}

/// Runs a parsed command.
///
/// # Errors
/// As the command.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    let json = cli.json;
    match cli.command {
        Command::Verify(a) => verify::run(&a, json),
        Command::Render(a) => reports::render(&a, json),
        Command::Check(a) => reports::check(&a, json),
        Command::RecheckPlan(a) => population::recheck_plan(&a, json),
        Command::Coverage(a) => population::coverage(&a, json),
        Command::Relief(a) => population::relief(&a, json),
        Command::Audit(a) => audit::run(&a, json),
        Command::Id(a) => id::run(&a, json),
        Command::Rulebook(a) => rulebook::run(&a, json),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "hedui", &mut std::io::stdout());
            Ok(Outcome::Ok)
        }
    }
}

/// A file's text.
///
/// # Errors
/// [`CliError::Io`] naming the file.
pub fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .map_err(|e| CliError::Io(format!("cannot read {}: {e}", path.display())))
}

/// A file's bytes.
///
/// # Errors
/// [`CliError::Io`] naming the file.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Io(format!("cannot read {}: {e}", path.display())))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so that
/// a ledger or chain is never left half written.
///
/// # Errors
/// [`CliError::Io`] naming the file.
pub fn write_replacing(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::Io(format!("cannot write {}: {e}", path.display()));
    let mut name = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(".hedui-tmp");
    let tmp = path.with_file_name(name);
    let mut file = std::fs::File::create(&tmp).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

/// The rulebook of `--rulebook FILE`, or the built-in one.
///
/// # Errors
/// [`CliError::Io`] for an unreadable file, the rulebook's own error (`input_json`,
/// `input_rulebook`, ...) for one that does not hold.
pub fn load_rulebook(path: Option<&Path>) -> Result<Rulebook, CliError> {
    match path {
        Some(p) => Ok(Rulebook::from_json(&read_text(p)?)?),
        None => Ok(Rulebook::default()),
    }
}

/// A JSON value on stdout, pretty, with a final newline.
///
/// # Errors
/// [`CliError::Internal`] when it cannot be written (a bug: every value serializes).
pub fn print_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Internal(format!("serializing the output: {e}")))?;
    println!("{text}");
    Ok(())
}

/// JSON bytes from an operation, pretty on stdout.
///
/// # Errors
/// [`CliError::Internal`] when the operation's output is not JSON (a bug).
pub fn print_json_bytes(bytes: &[u8]) -> Result<(), CliError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| CliError::Internal(format!("an operation wrote bad JSON: {e}")))?;
    print_json(&value)
}

/// The `--rulebook FILE` option several subcommands share.
#[derive(Debug, Clone, clap::Args)]
pub struct RulebookOption {
    /// A rulebook JSON file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub rulebook: Option<PathBuf>,
}

impl RulebookOption {
    /// The rulebook.
    ///
    /// # Errors
    /// As [`load_rulebook`].
    pub fn load(&self) -> Result<Rulebook, CliError> {
        load_rulebook(self.rulebook.as_deref())
    }
}
