//! `hedui verify`: the main job. Verifies a batch of cases (generated or read from JSONL) and
//! writes the reports, the errors and a summary.
//!
//! Writes `DIR/reports.jsonl` (one report per good case), `DIR/reports/<number>.md`,
//! `DIR/errors.jsonl` (line, code, message and, where known, the JSON `path` of the bad field
//! per rejected case), and prints a summary. With
//! `--format parquet` (or `arrow`), the tables of `hedui_ops::columns` instead of the two
//! JSONL files: `DIR/reports.parquet`, `findings`, `differences`, `gaps` and `errors` (Parquet
//! row groups of up to 1,048,576 rows, their pages spilled to a temporary file until written;
//! with `arrow`, IPC streams `DIR/<table>.arrows`, one record batch per chunk). Input is
//! streamed in chunks, so memory does not grow with the number of cases (BENCHMARKS.md).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Instant;

use hedui_core::{
    DataCategory, Rulebook,
    batch::{BatchError, BatchOptions, BatchReport, CaseReport, verify_chunk, verify_chunk_cases},
    report::OfflineMethod,
    sample::sample_case,
};
use hedui_ops::args::now_beijing;
use hedui_ops::columns::{self, Format, TableWriters, Tables, TablesBuilder};
use hedui_ops::jsonl::{self, JsonlReader};
use hedui_ops::report::report_render_markdown;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{CliError, Outcome};

/// Lines per chunk: enough work for every core (about 3 MB of input), small enough to keep
/// peak memory flat with three chunks in flight (read, verified, written; BENCHMARKS.md).
const CHUNK: usize = 256;

#[derive(Debug, Default)]
struct Summary {
    cases: u64,
    reports: u64,
    rejections: BTreeMap<String, u64>,
    offline: BTreeMap<&'static str, u64>,
    sharing_gaps: BTreeMap<&'static str, u64>,
    expected_mismatches: Vec<String>,
    defective_generated: u64,
}

/// One chunk of cases: the lines (as the one JSONL reader classifies them) and, for generated
/// samples, the error each should give.
struct Chunk {
    cases: jsonl::Chunk,
    expected: Vec<Option<&'static str>>,
}

/// A chunk's results: sealed reports as JSON lines (`--format jsonl`), or the chunk's tables
/// with what the summary and the Markdown files need of each report (rejected lines already
/// merged in), so that a chunk's `Report` values are dropped as soon as it is verified.
enum Verified {
    Json(Vec<(u64, Result<BatchReport, BatchError>)>),
    Tables(
        Result<Tables, String>,
        Vec<(u64, Result<BatchReport, BatchError>)>,
    ),
}

/// The tables of a verified chunk (see [`Verified::Tables`]); the Markdown is rendered here,
/// on all cores when `parallel`.
fn tables_of(
    chunk: &jsonl::Chunk,
    results: Vec<(u64, Result<CaseReport, BatchError>)>,
    render: bool,
    parallel: bool,
) -> Verified {
    let results = chunk.merge(results);
    let mut builder = TablesBuilder::new();
    for (n, result) in &results {
        match result {
            Ok(c) => builder.push_case_report(c),
            Err(e) => {
                let line = usize::try_from(n - chunk.first_line)
                    .ok()
                    .and_then(|i| chunk.lines.get(i));
                let case_id = line.and_then(|l| columns::case_id_of(l.as_bytes()));
                builder.push_error(*n, case_id.as_deref(), e);
            }
        }
    }
    let tables = builder.finish().map_err(|e| e.to_string());
    let brief = |(n, result): (u64, Result<CaseReport, BatchError>)| {
        let brief = result.map(|c| BatchReport {
            markdown: render.then(|| report_render_markdown(&c.report)),
            offline_methods: c
                .report
                .gaps
                .iter()
                .flat_map(|g| g.task.methods.iter().copied())
                .collect(),
            sharing_gaps: c.report.sharing_gaps.iter().map(|g| g.category).collect(),
            report_number: c.report.report_number,
            json: Vec::new(),
        });
        (n, brief)
    };
    let briefs = if parallel && render {
        use rayon::prelude::*;
        results.into_par_iter().map(brief).collect()
    } else {
        results.into_iter().map(brief).collect()
    };
    Verified::Tables(tables, briefs)
}

/// Where the cases come from: the seeded generator (also written to `cases.jsonl`) or a
/// JSONL file, a chunk at a time.
struct Cases<'a> {
    /// (how many, seed) for generated samples.
    sample: Option<(u64, u64)>,
    generated: u64,
    input: Option<JsonlReader<BufReader<File>>>,
    cases_out: Option<BufWriter<File>>,
    next_line: u64,
    rulebook: &'a Rulebook,
}

impl Cases<'_> {
    /// The next chunk (empty at the end).
    fn next_chunk(&mut self) -> Result<Chunk, String> {
        let mut chunk = Chunk {
            cases: jsonl::Chunk {
                first_line: self.next_line,
                lines: Vec::with_capacity(CHUNK),
                rejected: Vec::new(),
            },
            expected: Vec::with_capacity(CHUNK),
        };
        if let Some((n, seed)) = self.sample {
            while self.generated < n && chunk.cases.lines.len() < CHUNK {
                let s = sample_case(seed, self.generated, self.rulebook);
                let json = serde_json::to_string(&s.case)
                    .map_err(|e| format!("cannot write sample: {e}"))?;
                if let Some(w) = self.cases_out.as_mut() {
                    writeln!(w, "{json}").map_err(|e| format!("cannot write cases.jsonl: {e}"))?;
                }
                chunk.cases.lines.push(json);
                chunk.expected.push(s.expected_error);
                self.generated += 1;
            }
        } else if let Some(r) = self.input.as_mut() {
            // blank lines are numbered and skipped, a line that is not UTF-8 (or too long) is
            // rejected at its number by the reader
            chunk.cases = r
                .read_chunk(CHUNK)
                .map_err(|e| format!("cannot read input: {e}"))?;
        }
        self.next_line += chunk.cases.len() as u64;
        Ok(chunk)
    }

    /// Bytes of the input file read so far.
    fn bytes_read(&self) -> u64 {
        self.input.as_ref().map_or(0, JsonlReader::bytes_read)
    }
}

/// Where the reports and errors go: JSON lines, or the tables.
enum Output {
    /// `reports.jsonl` and `errors.jsonl`.
    Jsonl {
        reports: BufWriter<File>,
        errors: BufWriter<File>,
    },
    /// One file per table, written by a thread of its own (see [`TableThread`]).
    Tables(TableThread),
}

/// The thread that writes the tables, so that the pool's I/O task (writing Markdown, reading
/// the next chunk) does not wait for the Parquet encoder. The channel holds no chunk: a chunk
/// is handed over when the thread has written the previous one, so at most two chunks of
/// tables exist at once.
struct TableThread {
    chunks: Option<SyncSender<Tables>>,
    thread: Option<JoinHandle<Result<(), String>>>,
}

impl TableThread {
    fn start(mut writers: TableWriters) -> Result<Self, String> {
        let (chunks, received) = sync_channel::<Tables>(0);
        let thread = std::thread::Builder::new()
            .name("hedui-tables".to_owned())
            .spawn(move || {
                for tables in received {
                    writers.write(&tables).map_err(|e| e.to_string())?;
                }
                writers.finish().map_err(|e| e.to_string())
            })
            .map_err(|e| format!("cannot start the table writer: {e}"))?;
        Ok(TableThread {
            chunks: Some(chunks),
            thread: Some(thread),
        })
    }

    /// Hands a chunk over; if the thread has stopped, its error.
    fn write(&mut self, tables: Tables) -> Result<(), String> {
        match &self.chunks {
            Some(chunks) if chunks.send(tables).is_ok() => Ok(()),
            _ => Err(self
                .stop()
                .err()
                .unwrap_or_else(|| "the table writer stopped".to_owned())),
        }
    }

    /// Closes the channel and waits until every chunk is written and the files are closed.
    fn stop(&mut self) -> Result<(), String> {
        self.chunks = None;
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| "the table writer panicked".to_owned())?,
            None => Err("the table writer stopped".to_owned()),
        }
    }
}

/// Where the results go: the output files, `reports/*.md` and the summary.
struct Sink {
    output: Output,
    out: PathBuf,
    from_sample: bool,
    summary: Summary,
}

impl Summary {
    /// Counts a case and checks it against its expected outcome (generated samples).
    fn case(&mut self, n: u64, chunk: &Chunk, from_sample: bool, outcome: Result<(), &str>) {
        self.cases += 1;
        let idx = usize::try_from(n - chunk.cases.first_line).unwrap_or(usize::MAX);
        let want = chunk.expected.get(idx).copied().flatten();
        if want.is_some() {
            self.defective_generated += 1;
        }
        match outcome {
            Ok(()) => {
                self.reports += 1;
                if let Some(code) = want {
                    self.expected_mismatches
                        .push(format!("case {n}: expected {code}, got a report"));
                }
            }
            Err(code) => {
                if from_sample && want != Some(code) {
                    self.expected_mismatches
                        .push(format!("case {n}: expected {want:?}, got {code}"));
                }
                *self.rejections.entry(code.to_owned()).or_default() += 1;
            }
        }
    }

    fn offline(&mut self, methods: impl Iterator<Item = OfflineMethod>) {
        for m in methods {
            *self.offline.entry(m.label_zh()).or_default() += 1;
        }
    }

    fn sharing_gaps(&mut self, categories: impl Iterator<Item = DataCategory>) {
        for c in categories {
            *self.sharing_gaps.entry(c.label_zh()).or_default() += 1;
        }
    }
}

fn write_markdown(out: &Path, number: &str, md: &str) -> Result<(), String> {
    fs::write(out.join("reports").join(format!("{number}.md")), md)
        .map_err(|e| format!("cannot write report {number}: {e}"))
}

impl Sink {
    fn record(&mut self, chunk: &Chunk, results: Verified) -> Result<(), String> {
        let summary = &mut self.summary;
        match (&mut self.output, results) {
            (Output::Jsonl { reports, errors }, Verified::Json(results)) => {
                for (n, result) in chunk.cases.merge(results) {
                    match result {
                        Ok(r) => {
                            summary.case(n, chunk, self.from_sample, Ok(()));
                            reports
                                .write_all(&r.json)
                                .and_then(|()| reports.write_all(b"\n"))
                                .map_err(|e| e.to_string())?;
                            if let Some(md) = &r.markdown {
                                write_markdown(&self.out, &r.report_number, md)?;
                            }
                            summary.offline(r.offline_methods.iter().copied());
                            summary.sharing_gaps(r.sharing_gaps.iter().copied());
                        }
                        Err(e) => {
                            summary.case(n, chunk, self.from_sample, Err(&e.code));
                            let line = serde_json::to_string(&e).map_err(|e| e.to_string())?;
                            writeln!(errors, "{line}").map_err(|e| e.to_string())?;
                        }
                    }
                }
            }
            (Output::Tables(writers), Verified::Tables(tables, results)) => {
                for (n, result) in results {
                    match result {
                        Ok(r) => {
                            summary.case(n, chunk, self.from_sample, Ok(()));
                            if let Some(md) = &r.markdown {
                                write_markdown(&self.out, &r.report_number, md)?;
                            }
                            summary.offline(r.offline_methods.iter().copied());
                            summary.sharing_gaps(r.sharing_gaps.iter().copied());
                        }
                        Err(e) => summary.case(n, chunk, self.from_sample, Err(&e.code)),
                    }
                }
                writers.write(tables?)?;
            }
            _ => return Err("internal: results do not match the output format".to_owned()),
        }
        Ok(())
    }

    /// Flushes the files (and writes the tables' footers).
    fn finish(self) -> Result<Summary, String> {
        match self.output {
            Output::Jsonl {
                mut reports,
                mut errors,
            } => {
                for w in [&mut reports, &mut errors] {
                    w.flush().map_err(|e| e.to_string())?;
                }
            }
            Output::Tables(mut writers) => writers.stop()?,
        }
        Ok(self.summary)
    }
}

/// The table format of `--format` (`jsonl` writes JSON lines instead of tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `reports.jsonl` and `errors.jsonl`.
    Jsonl,
    /// The five tables as Parquet files.
    Parquet,
    /// The five tables as Arrow IPC streams (`.arrows`).
    Arrow,
}

/// The options of `hedui verify`.
#[derive(Debug, Clone, clap::Args)]
pub struct VerifyArgs {
    /// Generate N seeded sample cases (also written to DIR/cases.jsonl) [default: 100 when
    /// no --input or --tables is given]
    #[arg(long, value_name = "N", conflicts_with_all = ["input", "tables"])]
    pub sample: Option<u64>,
    /// Read the cases from a JSONL file, one case per line
    #[arg(long, value_name = "FILE", conflicts_with = "tables")]
    pub input: Option<PathBuf>,
    /// Read the cases from office tables: an Excel workbook (.xlsx, one sheet per table of
    /// docs/tables.md, named 家庭成员 or members), or a folder of CSV files (UTF-8, header
    /// row), one per table, named after the table or its sheet (members.csv or 家庭成员.csv);
    /// the cases assembled are written to DIR/cases.jsonl, bad rows to DIR/table-errors.jsonl
    /// and stderr
    #[arg(long, value_name = "TABLES")]
    pub tables: Option<PathBuf>,
    /// Output folder
    #[arg(long, value_name = "DIR", default_value = "hedui-out")]
    pub out: PathBuf,
    /// Issue time of the reports, RFC 3339 [default: now, +08:00]
    #[arg(long, value_name = "RFC3339")]
    pub as_of: Option<String>,
    /// Seed of the sample generator
    #[arg(long, value_name = "S", default_value_t = 2026)]
    pub seed: u64,
    /// A rulebook JSON file instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub rulebook: Option<PathBuf>,
    /// Do not write DIR/reports/*.md (for very large runs)
    #[arg(long)]
    pub no_render: bool,
    /// Also print each report to DIR/reports/REPORT_NUMBER.pdf with headless Chromium
    /// (`apt-get install chromium fonts-noto-cjk`); JSON lines output only
    #[arg(long, conflicts_with = "no_render")]
    pub pdf: bool,
    /// Threads to verify on (1: one core) [default: every core]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// What to write: JSON lines, or the report tables as Parquet or Arrow IPC
    #[arg(long, value_enum, default_value_t = OutputFormat::Jsonl)]
    pub format: OutputFormat,
}

impl VerifyArgs {
    /// The cases to generate: `--sample N`, or 100 when no `--input` or `--tables` is given.
    fn sample(&self) -> Option<u64> {
        match (self.sample, &self.input, &self.tables) {
            (Some(n), _, _) => Some(n),
            (None, None, None) => Some(100),
            (None, _, _) => None,
        }
    }

    fn tables(&self) -> Option<Format> {
        match self.format {
            OutputFormat::Jsonl => None,
            OutputFormat::Parquet => Some(Format::Parquet),
            OutputFormat::Arrow => Some(Format::ArrowIpc),
        }
    }

    fn parallel(&self) -> bool {
        self.threads != Some(1)
    }
}

fn io(e: impl std::fmt::Display) -> CliError {
    CliError::Io(e.to_string())
}

/// Runs `hedui verify`: the summary on stdout (JSON with `json`); [`Outcome::Failed`] when a
/// generated defective case did not give its expected error.
///
/// # Errors
/// A bad `--as-of` or rulebook ([`CliError::Failure`]), a file that cannot be read or written
/// ([`CliError::Io`]).
pub fn run(args: &VerifyArgs, json: bool) -> Result<Outcome, CliError> {
    if args.pdf {
        if args.format != OutputFormat::Jsonl {
            return Err(CliError::Usage(
                "--pdf prints the reports of reports.jsonl: use it with --format jsonl".to_owned(),
            ));
        }
        hedui_ops::paper::require_chromium()?;
    }
    let rulebook = crate::load_rulebook(args.rulebook.as_deref())?;
    let issued_at = match &args.as_of {
        Some(s) => hedui_ops::args::parse_time("--as-of", s)?,
        None => now_beijing(),
    };
    match args.threads {
        Some(n) if n > 1 => rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build()
            .map_err(|e| CliError::Internal(format!("cannot start {n} threads: {e}")))?
            .install(|| run_with(args, json, &rulebook, issued_at)),
        _ => run_with(args, json, &rulebook, issued_at),
    }
}

fn run_with(
    args: &VerifyArgs,
    json: bool,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> Result<Outcome, CliError> {
    let mut sink = open_output(args)?;
    // office tables are assembled into cases first, then verified as a JSONL input
    let from_tables = match &args.tables {
        Some(path) => Some(crate::tables::cases_from_tables(path, &args.out, json)?),
        None => None,
    };
    let input = args
        .input
        .clone()
        .or_else(|| from_tables.as_ref().map(|t| t.cases_jsonl.clone()));
    let mut cases = open_cases(args, input.as_deref(), rulebook)?;
    let opts = BatchOptions {
        rulebook,
        issued_at,
        render: !args.no_render,
        parallel: args.parallel(),
    };
    let started = Instant::now();
    verify_all(args, &opts, &mut cases, &mut sink).map_err(io)?;
    let summary = sink.finish().map_err(io)?;
    if let Some(w) = cases.cases_out.as_mut() {
        w.flush().map_err(io)?;
    }
    let printed = if args.pdf {
        Some(print_pdfs(&args.out, json)?)
    } else {
        None
    };
    let elapsed = started.elapsed().as_secs_f64();
    if json {
        print_summary_json(
            args,
            rulebook,
            issued_at,
            &summary,
            elapsed,
            from_tables.as_ref(),
        )?;
    } else {
        print_summary(
            args,
            rulebook,
            issued_at,
            &summary,
            elapsed,
            from_tables.as_ref(),
        );
    }
    let outcome = match sample_check(args, &summary, json) {
        // a bad table row is a rejected record: reported, the others verified, exit 1
        Outcome::Ok if from_tables.as_ref().is_some_and(|t| t.errors > 0) => Outcome::Failed,
        outcome => outcome,
    };
    match printed {
        Some((n, failed)) => {
            if !json {
                println!(
                    "PDF 报告：{n} 份，见 {}",
                    args.out.join("reports").display()
                );
            }
            Ok(if failed { Outcome::Failed } else { outcome })
        }
        None => Ok(outcome),
    }
}

/// Prints every report of DIR/reports.jsonl to DIR/reports/REPORT_NUMBER.pdf (`--pdf`): how
/// many were printed, and whether one could not be (reported with its position; the others
/// are still printed).
fn print_pdfs(out: &Path, json: bool) -> Result<(usize, bool), CliError> {
    let mut printed = 0;
    let mut failed = false;
    let dir = out.join("reports");
    crate::reports::for_each_document(&out.join("reports.jsonl"), |position, text| {
        let done = text.and_then(|t| {
            let report = hedui_ops::report::parse_report(t)
                .map_err(|e| crate::reports::Rejected::from(&e))?;
            let path = dir.join(format!("{}.pdf", report.report_number));
            hedui_ops::paper::report_render_pdf(
                &report,
                &hedui_core::security::MaskPolicy::FULL,
                &path,
            )
            .map_err(|e| crate::reports::Rejected::from(&e))
        });
        match done {
            Ok(()) => printed += 1,
            Err(rejected) => {
                crate::reports::report_rejected(&position, &rejected, json);
                failed = true;
            }
        }
        Ok(())
    })?;
    Ok((printed, failed))
}

fn create(out: &Path, name: &str) -> Result<BufWriter<File>, CliError> {
    File::create(out.join(name))
        .map(BufWriter::new)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", out.join(name).display())))
}

/// The output folder with its reports.jsonl and errors.jsonl (and reports/ when rendering).
fn open_output(args: &VerifyArgs) -> Result<Sink, CliError> {
    let out = &args.out;
    fs::create_dir_all(out)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", out.display())))?;
    if !args.no_render {
        fs::create_dir_all(out.join("reports"))
            .map_err(|e| CliError::Io(format!("cannot create reports dir: {e}")))?;
    }
    let output = match args.tables() {
        None => Output::Jsonl {
            reports: create(out, "reports.jsonl")?,
            errors: create(out, "errors.jsonl")?,
        },
        Some(format) => Output::Tables(
            TableThread::start(TableWriters::create(out, format).map_err(io)?).map_err(io)?,
        ),
    };
    Ok(Sink {
        output,
        out: out.clone(),
        from_sample: args.sample().is_some(),
        summary: Summary::default(),
    })
}

/// The cases to verify: generated (and written to cases.jsonl) or read from `input` (the
/// `--input` file, or the cases assembled from `--tables`).
fn open_cases<'a>(
    args: &VerifyArgs,
    input: Option<&Path>,
    rulebook: &'a Rulebook,
) -> Result<Cases<'a>, CliError> {
    let sample = args.sample();
    Ok(Cases {
        sample: sample.map(|n| (n, args.seed)),
        generated: 0,
        input: match input {
            Some(p) => Some(JsonlReader::for_rulebook(
                BufReader::new(
                    File::open(p)
                        .map_err(|e| CliError::Io(format!("cannot open {}: {e}", p.display())))?,
                ),
                rulebook,
            )),
            None => None,
        },
        cases_out: if sample.is_some() {
            Some(create(&args.out, "cases.jsonl")?)
        } else {
            None
        },
        next_line: 1,
        rulebook,
    })
}

/// A progress bar on stderr when it is a terminal (hidden otherwise): generated cases of
/// `--sample`, or bytes of `--input` read.
fn progress_bar(args: &VerifyArgs) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let length = match (args.sample(), &args.input) {
        (Some(n), _) => n,
        (None, Some(p)) => fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        (None, None) => 0,
    };
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "核对进度 [{bar:30}] {percent:>3}%  {msg}  {elapsed_precise}",
    ) {
        bar.set_style(style.progress_chars("#>."));
    }
    bar
}

/// Verifies every case, writing results in input order.
///
/// Pipeline: while chunk k is verified on all cores, the results of chunk k - 1 are written
/// and chunk k + 1 is read, as one more task in the same rayon pool. At most three chunks
/// are held at once.
fn verify_all(
    args: &VerifyArgs,
    opts: &BatchOptions<'_>,
    cases: &mut Cases<'_>,
    sink: &mut Sink,
) -> Result<(), String> {
    let bar = progress_bar(args);
    let tables = args.tables().is_some();
    let mut chunk = cases.next_chunk()?;
    let mut pending: Option<(Chunk, Verified)> = None;
    while !chunk.cases.is_empty() {
        let verify = || {
            let (lines, first) = (&chunk.cases.lines, chunk.cases.first_line);
            if tables {
                let results = verify_chunk_cases(lines, first, opts);
                tables_of(&chunk.cases, results, opts.render, opts.parallel)
            } else {
                Verified::Json(verify_chunk(lines, first, opts))
            }
        };
        let mut io = || -> Result<Chunk, String> {
            if let Some((done, results)) = pending.take() {
                sink.record(&done, results)?;
            }
            cases.next_chunk()
        };
        let (results, next) = if opts.parallel {
            rayon::join(verify, io)
        } else {
            (verify(), io())
        };
        pending = Some((chunk, results));
        chunk = next?;
        bar.set_position(if cases.sample.is_some() {
            cases.generated
        } else {
            cases.bytes_read()
        });
        bar.set_message(format!("{} cases", sink.summary.cases));
    }
    if let Some((done, results)) = pending.take() {
        sink.record(&done, results)?;
    }
    bar.finish_and_clear();
    Ok(())
}

/// The run's summary on stdout.
fn print_summary(
    args: &VerifyArgs,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
    summary: &Summary,
    elapsed: f64,
    from_tables: Option<&crate::tables::FromTables>,
) {
    println!(
        "hedui verify — rulebook {}, issued at {}",
        rulebook.version,
        issued_at.format(&Rfc3339).unwrap_or_default()
    );
    if let Some(t) = from_tables {
        println!(
            "table rows rejected {} (each on stderr and in table-errors.jsonl)",
            t.errors
        );
    }
    println!("cases      {}", summary.cases);
    println!("reports    {}", summary.reports);
    println!("rejected   {}", summary.cases - summary.reports);
    for (code, n) in &summary.rejections {
        println!("  {code:<36} {n}");
    }
    println!("offline tasks by method (assigned to the entrusting unit):");
    for m in OFFLINE_METHODS {
        println!(
            "  {:<8} {}",
            m.label_zh(),
            summary.offline.get(m.label_zh()).copied().unwrap_or(0)
        );
    }
    println!("sharing gaps (answered by an upper level):");
    for (c, n) in &summary.sharing_gaps {
        println!("  {c:<8} {n}");
    }
    println!("elapsed    {elapsed:.3} s");
    println!("output     {}", args.out.display());
}

const OFFLINE_METHODS: [OfflineMethod; 3] = [
    OfflineMethod::FieldVisit,
    OfflineMethod::NeighbourInterview,
    OfflineMethod::LetterEvidence,
];

/// The run's summary as one JSON document on stdout (`--json`).
fn print_summary_json(
    args: &VerifyArgs,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
    summary: &Summary,
    elapsed: f64,
    from_tables: Option<&crate::tables::FromTables>,
) -> Result<(), CliError> {
    let offline: BTreeMap<&str, u64> = OFFLINE_METHODS
        .iter()
        .map(|m| {
            let label = m.label_zh();
            (label, summary.offline.get(label).copied().unwrap_or(0))
        })
        .collect();
    let mut doc = serde_json::json!({
        "rulebook": rulebook.version,
        "issued_at": issued_at.format(&Rfc3339).unwrap_or_default(),
        "cases": summary.cases,
        "reports": summary.reports,
        "rejected": summary.cases - summary.reports,
        "rejections": summary.rejections,
        "offline_tasks": offline,
        "sharing_gaps": summary.sharing_gaps,
        "sample_check": args.sample().map(|_| serde_json::json!({
            "defective_generated": summary.defective_generated,
            "mismatches": summary.expected_mismatches,
        })),
        "elapsed_s": elapsed,
        "output": args.out.display().to_string(),
    });
    if let (Some(t), Some(map)) = (from_tables, doc.as_object_mut()) {
        map.insert("table_errors".to_owned(), t.errors.into());
    }
    crate::print_json(&doc)
}

/// For generated samples: every defective case must have been rejected with its expected
/// code ([`Outcome::Failed`] otherwise).
fn sample_check(args: &VerifyArgs, summary: &Summary, json: bool) -> Outcome {
    if args.sample().is_none() {
        return Outcome::Ok;
    }
    if summary.expected_mismatches.is_empty() {
        if !json {
            println!(
                "sample check: {} defective cases generated, each rejected with its expected code",
                summary.defective_generated
            );
        }
        Outcome::Ok
    } else {
        for m in &summary.expected_mismatches {
            eprintln!("hedui: sample check failed: {m}");
        }
        Outcome::Failed
    }
}
