//! The comparison runner: measures hedui's batch path against the floor of a JSON-in,
//! JSON-out job, its scaling over cores and the main job's peak memory, in one run on the
//! same data. Prints a table and, as its last line, one JSON object of ratios.
//!
//! ```text
//! cargo run --release -p hedui-benches --bin compare            # full run (several minutes)
//! cargo run --release -p hedui-benches --bin compare -- --quick # small sizes, under a minute
//! cargo run --release -p hedui-benches --bin compare -- --prepare # only generate the inputs
//! ```
//!
//! Throughput is measured on a file of 20,000 sample cases (quick: 6,000, over twenty chunks
//! of 256 lines, so that overlapping I/O has something to overlap).
//!
//! - `batch_vs_json_floor`: bytes of input per second through `verify_chunk` on one thread
//!   (read the JSONL file in chunks of lines as the main job does, verify, write every report
//!   and error line) divided by the same for a plain serde_json round trip (parse each line
//!   into a `serde_json::Value`, serialize it again). Target ≥ 0.5.
//! - `batch_scaling`: the batch throughput with `parallel` on (rayon, all cores) divided by
//!   one thread, each run as the main job runs it: on all cores, the previous chunk's results
//!   are written and the next chunk read while a chunk is verified (`rayon::join` in the same
//!   pool); on one thread (`--threads 1`), reading, verifying and writing take turns. Target
//!   ≥ 0.9 × `cores`. `batch_scaling_io_between_chunks` is the all-cores run with the I/O
//!   between chunks instead (the main job before it overlapped its I/O), for the record.
//! - `peak_rss_mb`: peak resident memory of the release `verify_batch` example streaming a
//!   file of sample cases (`--input FILE --out DIR --no-render`), at two sizes (full run:
//!   100,000 and 1,000,000 cases; quick: 2,000 and 20,000). Target < 64 MB, and not growing
//!   with the number of cases.
//! - `python_vs_reference`, `ids_vs_stdnum`, `c_vs_rust`, `audit_vs_hmac`,
//!   `audit_sm3_vs_hmac_sm3` (the same pairing for HMAC-SM3 chains): the peer
//!   comparisons (`ids_vs_stdnum`: `hedui.check_resident_ids` against python-stdnum), each measured
//!   by the piece that owns it and read from its output: `benches/python/compare.py` (Python
//!   in `HEDUI_PYTHON`, default `python3`, with `hedui` installed), and the paired
//!   measurements the `ffi` and `audit` criterion benches print after their groups. `null`
//!   when the piece is missing or does not run (never an invented number).
//!
//! Throughput runs repeat in interleaved rounds and keep each side's best round, since other
//! work on the machine can only slow a round down. Input files are generated once into
//! `target/bench-data/` and reused; the main job's output goes to a scratch directory that
//! is deleted afterwards.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use hedui_benches::{ISSUED_AT, SEED, ensure_cases_file};
use hedui_core::{
    Rulebook,
    batch::{BatchError, BatchOptions, BatchReport, verify_chunk},
};
use time::format_description::well_known::Rfc3339;

/// Lines per chunk, as in the main job (`examples/verify_batch.rs`).
const CHUNK: usize = 256;

struct Plan {
    mode: &'static str,
    /// Cases in the throughput file.
    throughput_cases: u64,
    /// Rounds of each throughput measurement (the best counts).
    rounds: usize,
    /// Case counts of the two peak-RSS runs, smaller first.
    rss_cases: [u64; 2],
    /// Arguments of `benches/python/compare.py` (the pure-Python reference is slow).
    python_args: &'static [&'static str],
}

const QUICK: Plan = Plan {
    mode: "quick",
    throughput_cases: 6_000,
    rounds: 3,
    rss_cases: [2_000, 20_000],
    python_args: &["--cases", "1000", "--repeat", "1", "--ids", "100000"],
};

const FULL: Plan = Plan {
    mode: "full",
    throughput_cases: 20_000,
    rounds: 7,
    rss_cases: [100_000, 1_000_000],
    python_args: &["--cases", "10000"],
};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compare: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut plan = &FULL;
    let mut prepare_only = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => plan = &QUICK,
            "--prepare" => prepare_only = true,
            "-h" | "--help" => {
                println!(
                    "usage: compare [--quick] [--prepare]\n  --quick    small sizes (under a minute)\n  \
                     --prepare  only generate the input files into target/bench-data/"
                );
                return Ok(());
            }
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    let root = workspace_root();
    let data = target_dir(&root).join("bench-data");
    let rulebook = Rulebook::default();
    if prepare_only {
        for n in [plan.throughput_cases, plan.rss_cases[0], plan.rss_cases[1]] {
            let path = data.join(format!("cases-{SEED}-{n}.jsonl"));
            let size = timed_note(&format!("preparing {}", path.display()), || {
                ensure_cases_file(&path, n, &rulebook)
            })
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("{}  {n} cases  {:.1} MB", path.display(), size as f64 / 1e6);
        }
        return Ok(());
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut table = Table::default();
    let load_before = load_average();

    // 1. Throughput, in process, on one file.
    let file = data.join(format!("cases-{SEED}-{}.jsonl", plan.throughput_cases));
    let bytes = timed_note(&format!("preparing {}", file.display()), || {
        ensure_cases_file(&file, plan.throughput_cases, &rulebook)
    })
    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let opts = |parallel| BatchOptions {
        rulebook: &rulebook,
        issued_at: ISSUED_AT,
        render: false,
        parallel,
    };
    // warm-up: page cache, allocator, thread pool
    json_round_trip(&file).map_err(|e| e.to_string())?;
    batch(&file, &opts(true)).map_err(|e| e.to_string())?;
    let mut floor = Best::default();
    let mut one = Best::default();
    let mut all = Best::default();
    let mut ahead = Best::default();
    for round in 1..=plan.rounds {
        eprintln!("throughput round {round}/{}", plan.rounds);
        floor.add(measure(|| json_round_trip(&file)).map_err(|e| e.to_string())?);
        one.add(measure(|| batch(&file, &opts(false))).map_err(|e| e.to_string())?);
        all.add(measure(|| batch(&file, &opts(true))).map_err(|e| e.to_string())?);
        ahead.add(measure(|| batch_read_ahead(&file, &opts(true))).map_err(|e| e.to_string())?);
    }
    let mbps = |b: &Best| b.throughput(bytes) / 1e6;
    let rows = [
        ("serde_json Value round trip (floor)", &floor),
        ("verify_chunk, 1 thread", &one),
        ("verify_chunk, all cores, I/O between chunks", &all),
        ("verify_chunk, all cores, I/O overlapped (main job)", &ahead),
    ];
    for (name, b) in rows {
        table.row(
            name,
            format!(
                "{} cases, {:.1} MB in",
                plan.throughput_cases,
                bytes as f64 / 1e6
            ),
            format!(
                "{:.1} MB/s (best of {}, {:.2} s, cpu {:.0}%, {:.1} MB out)",
                mbps(b),
                b.rounds,
                b.seconds,
                b.cpu_percent,
                b.output_bytes as f64 / 1e6
            ),
        );
    }
    // Why scaling may fall short. Amdahl: only the time inside verify_chunk runs on all
    // cores, the reading and writing between chunks on one. Work: CPU time of the parallel
    // run against the serial one (above 1 means the parallel run does more work, e.g. waits
    // in the allocator). Neither depends on what else the machine runs, unlike the wall time.
    let p = one.inner_share;
    let bound = 1.0 / ((1.0 - p) + p / cores as f64);
    table.row(
        "  share of 1-thread time in verify_chunk",
        String::new(),
        format!(
            "{:.1}% (Amdahl bound on {cores} cores: {bound:.2})",
            100.0 * p
        ),
    );
    let work = all.cpu_seconds / one.cpu_seconds.max(1e-9);
    table.row(
        "  CPU time, all cores / 1 thread",
        String::new(),
        format!(
            "{work:.3} (scaling on an idle machine at most {:.2})",
            bound / work.max(1.0)
        ),
    );
    // The overlapped loop has no serial part to speak of, so its bound is the cores divided by
    // the extra CPU time the same work takes when both cores run at once.
    let work_ahead = ahead.cpu_seconds / one.cpu_seconds.max(1e-9);
    table.row(
        "  CPU time, overlapped / 1 thread",
        String::new(),
        format!(
            "{work_ahead:.3} (overlapped scaling at most {:.2})",
            cores as f64 / work_ahead.max(1.0)
        ),
    );
    let batch_vs_json_floor = ratio(one.throughput(bytes), floor.throughput(bytes));
    let batch_scaling = ratio(ahead.throughput(bytes), one.throughput(bytes));
    let batch_scaling_io_between_chunks = ratio(all.throughput(bytes), one.throughput(bytes));

    // 2. Peak RSS of the main job, at two sizes.
    let exe = build_main_job(&root)?;
    let mut rss = Vec::new();
    for n in plan.rss_cases {
        let input = data.join(format!("cases-{SEED}-{n}.jsonl"));
        let size = timed_note(&format!("preparing {}", input.display()), || {
            ensure_cases_file(&input, n, &rulebook)
        })
        .map_err(|e| format!("cannot write {}: {e}", input.display()))?;
        let run = main_job_peak_rss(&exe, &input, &data.join(format!("out-{n}")), n)?;
        table.row(
            "verify_batch --no-render, peak RSS",
            format!("{n} cases, {:.0} MB in", size as f64 / 1e6),
            format!(
                "{:.1} MB (all cores, {:.1} s, {:.1} MB/s)",
                run.peak_rss_mb,
                run.seconds,
                size as f64 / 1e6 / run.seconds
            ),
        );
        rss.push((n, run.peak_rss_mb));
    }

    // 3. Peer comparisons: measured by the pieces that own them, once they exist.
    let python = python_compare(&root, plan.python_args, &mut table);
    let python_figure = |key: &str| python.as_ref().and_then(|v| v.get(key)?.as_f64());
    let python_vs_reference = python_figure("python_vs_reference");
    let ids_vs_stdnum = python_figure("ids_vs_stdnum");
    if python.is_some() {
        table.row(
            "ids_vs_stdnum",
            "benches/python/compare.py".to_owned(),
            ids_vs_stdnum.map_or_else(|| "failed (see stderr)".to_owned(), |v| format!("{v:.1}×")),
        );
    }
    let c_vs_rust = bench_ratio(&root, &C_VS_RUST, &mut table);
    let audit_vs_hmac = bench_ratio(&root, &AUDIT_VS_HMAC, &mut table);
    let audit_sm3_vs_hmac_sm3 = bench_ratio(&root, &AUDIT_SM3_VS_HMAC_SM3, &mut table);

    let load_after = load_average();
    println!(
        "hedui compare ({} run) — {cores} cores, load average {} before / {} after",
        plan.mode, load_before, load_after
    );
    table.print();
    println!(
        "batch_vs_json_floor {} (target ≥ 0.5); batch_scaling {} ({} with the I/O between \
         chunks) on {cores} cores (target ≥ {:.2})",
        num(batch_vs_json_floor),
        num(batch_scaling),
        num(batch_scaling_io_between_chunks),
        0.9 * cores as f64
    );

    let [(small_n, small_mb), (large_n, large_mb)] = rss.as_slice() else {
        return Err("peak RSS runs missing".to_owned());
    };
    let mut json = String::from("{");
    let mut field = |name: &str, value: String| {
        if json.len() > 1 {
            json.push(',');
        }
        let _ = write!(json, "\"{name}\":{value}");
    };
    field("mode", format!("\"{}\"", plan.mode));
    field("cores", cores.to_string());
    field("batch_vs_json_floor", num(batch_vs_json_floor));
    field("batch_scaling", num(batch_scaling));
    field(
        "batch_scaling_io_between_chunks",
        num(batch_scaling_io_between_chunks),
    );
    field("peak_rss_mb", num(Some(*large_mb)));
    field("peak_rss_cases", large_n.to_string());
    field("peak_rss_mb_small", num(Some(*small_mb)));
    field("peak_rss_cases_small", small_n.to_string());
    field("python_vs_reference", num(python_vs_reference));
    field("ids_vs_stdnum", num(ids_vs_stdnum));
    field("c_vs_rust", num(c_vs_rust));
    field("audit_vs_hmac", num(audit_vs_hmac));
    field("audit_sm3_vs_hmac_sm3", num(audit_sm3_vs_hmac_sm3));
    json.push('}');
    println!("{json}");
    Ok(())
}

/// A number with three decimals, or `null`.
fn num(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{v:.3}"),
        _ => "null".to_owned(),
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

fn timed_note<T>(what: &str, f: impl FnOnce() -> T) -> T {
    eprintln!("{what} …");
    f()
}

/// The workspace root (this package lives in `benches/`).
fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// "1.23 1.10 0.98" from `/proc/loadavg`, or "?".
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "?".to_owned())
}

// ---------------------------------------------------------------------------------------
// Throughput

/// Counts the bytes written and discards them, so both sides pay the same for output.
#[derive(Default)]
struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn output() -> BufWriter<CountingSink> {
    BufWriter::with_capacity(1 << 16, CountingSink::default())
}

fn finish(out: BufWriter<CountingSink>) -> io::Result<u64> {
    out.into_inner()
        .map(|s| s.0)
        .map_err(io::IntoInnerError::into_error)
}

/// The floor: every line parsed into a `serde_json::Value` and serialized again. Returns the
/// output bytes and the seconds spent on JSON (all of it here).
fn json_round_trip(path: &Path) -> io::Result<(u64, f64)> {
    let start = Instant::now();
    let mut input = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut out = output();
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        let text = std::str::from_utf8(&line).map_err(io::Error::other)?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(io::Error::other)?;
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
    }
    Ok((finish(out)?, start.elapsed().as_secs_f64()))
}

/// The batch path as the main job runs it, minus the file system: chunks of lines through
/// `verify_chunk`, every report and error written as a line. Returns the output bytes and the
/// seconds spent inside `verify_chunk` (the rest is the caller's reading and writing, which
/// runs on one thread between chunks).
fn batch(path: &Path, opts: &BatchOptions<'_>) -> io::Result<(u64, f64)> {
    let mut verifying = Duration::ZERO;
    let mut input = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut out = output();
    let mut line_no = 1u64;
    loop {
        let chunk = read_chunk(&mut input)?;
        if chunk.is_empty() {
            break;
        }
        let started = Instant::now();
        let results = verify_chunk(&chunk, line_no, opts);
        verifying += started.elapsed();
        write_results(&mut out, results)?;
        line_no += chunk.len() as u64;
    }
    Ok((finish(out)?, verifying.as_secs_f64()))
}

/// The batch as the main job runs it on all cores (`examples/verify_batch.rs`): while a chunk
/// is verified, the previous chunk's results are written and the next chunk is read, as one
/// more task in the same rayon pool (`rayon::join`). Output order is unchanged.
fn batch_read_ahead(path: &Path, opts: &BatchOptions<'_>) -> io::Result<(u64, f64)> {
    let started = Instant::now();
    let mut input = BufReader::with_capacity(1 << 16, File::open(path)?);
    let mut out = output();
    let mut line_no = 1u64;
    let mut chunk = read_chunk(&mut input)?;
    let mut pending = Vec::new();
    while !chunk.is_empty() {
        let (results, io) = rayon::join(
            || verify_chunk(&chunk, line_no, opts),
            || {
                write_results(&mut out, std::mem::take(&mut pending))?;
                read_chunk(&mut input)
            },
        );
        line_no += chunk.len() as u64;
        pending = results;
        chunk = io?;
    }
    write_results(&mut out, pending)?;
    Ok((finish(out)?, started.elapsed().as_secs_f64()))
}

/// Up to [`CHUNK`] lines, read as the main job reads them.
fn read_chunk(input: &mut impl BufRead) -> io::Result<Vec<String>> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while chunk.len() < CHUNK {
        let mut raw = Vec::new();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        chunk.push(String::from_utf8(raw).map_err(io::Error::other)?);
    }
    Ok(chunk)
}

fn write_results(
    out: &mut impl Write,
    results: Vec<(u64, Result<BatchReport, BatchError>)>,
) -> io::Result<()> {
    for (_, result) in results {
        match result {
            Ok(report) => out.write_all(&report.json)?,
            Err(e) => serde_json::to_writer(&mut *out, &e)?,
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

struct Sample {
    seconds: f64,
    inner_seconds: f64,
    cpu_seconds: f64,
    output_bytes: u64,
}

fn measure(f: impl FnOnce() -> io::Result<(u64, f64)>) -> io::Result<Sample> {
    let cpu = process_cpu_seconds();
    let start = Instant::now();
    let (output_bytes, inner_seconds) = f()?;
    let seconds = start.elapsed().as_secs_f64();
    Ok(Sample {
        seconds,
        inner_seconds,
        cpu_seconds: process_cpu_seconds() - cpu,
        output_bytes,
    })
}

/// CPU time of this process's threads so far: the first field of each
/// `/proc/self/task/<tid>/schedstat` (nanoseconds on a CPU). The rayon workers live as long
/// as the process, so differences between two readings are exact.
fn process_cpu_seconds() -> f64 {
    let Ok(tasks) = fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let ns: u64 = tasks
        .filter_map(Result::ok)
        .filter_map(|t| fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e9
}

#[derive(Default)]
struct Best {
    rounds: usize,
    seconds: f64,
    inner_share: f64,
    cpu_percent: f64,
    /// The least CPU time of any round (work done, whatever else ran on the machine).
    cpu_seconds: f64,
    output_bytes: u64,
}

impl Best {
    fn add(&mut self, s: Sample) {
        self.rounds += 1;
        if self.rounds == 1 || s.seconds < self.seconds {
            self.seconds = s.seconds;
            self.inner_share = s.inner_seconds / s.seconds.max(1e-9);
            self.cpu_percent = 100.0 * s.cpu_seconds / s.seconds.max(1e-9);
            self.output_bytes = s.output_bytes;
        }
        if self.rounds == 1 || s.cpu_seconds < self.cpu_seconds {
            self.cpu_seconds = s.cpu_seconds;
        }
    }

    fn throughput(&self, bytes: u64) -> f64 {
        if self.seconds > 0.0 {
            bytes as f64 / self.seconds
        } else {
            0.0
        }
    }
}

// ---------------------------------------------------------------------------------------
// Peak RSS of the main job

/// Builds the release `verify_batch` example and returns its path (from cargo's artifact
/// messages, so a custom target directory works too).
fn build_main_job(root: &Path) -> Result<PathBuf, String> {
    eprintln!("building the verify_batch example (release) …");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "hedui-examples",
            "--example",
            "verify_batch",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err("cargo build of the verify_batch example failed".to_owned());
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m.get("reason").and_then(|r| r.as_str()) == Some("compiler-artifact"))
        .filter(|m| m.pointer("/target/name").and_then(|n| n.as_str()) == Some("verify_batch"))
        .find_map(|m| m.get("executable")?.as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not report the verify_batch executable".to_owned())
}

struct JobRun {
    peak_rss_mb: f64,
    seconds: f64,
}

/// Runs the main job on `input` and samples its peak RSS.
///
/// How: the child's `VmHWM` ("high water mark" of the resident set, kept by the kernel) is
/// read from `/proc/<pid>/status` every 5 ms until the child exits; the last reading is the
/// peak. `VmHWM` only grows, so sampling cannot miss a peak that happened earlier; only
/// growth in the final few milliseconds before exit could be missed (the job is writing its
/// summary then). This needs no extra crate nor an external `time` tool. The reports are
/// written to `/dev/null` through a symlink (`DIR/reports.jsonl`), so a 12 GB run does not
/// write 15 GB of reports to a shared disk; file-system cache is not part of RSS either way.
fn main_job_peak_rss(exe: &Path, input: &Path, out: &Path, n: u64) -> Result<JobRun, String> {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    symlink_dev_null(&out.join("reports.jsonl"))?;
    eprintln!("running verify_batch on {} …", input.display());
    let as_of = ISSUED_AT.format(&Rfc3339).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut child = Command::new(exe)
        .arg("--input")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--no-render", "--as-of", &as_of])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    // The summary is small; read it after the exit (it fits the pipe buffer).
    let mut peak_kb = 0u64;
    let status = loop {
        if let Some(kb) = fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| vm_hwm_kb(&s))
        {
            peak_kb = peak_kb.max(kb);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("cannot wait for verify_batch: {e}")),
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    let mut summary = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = io::Read::read_to_string(&mut s, &mut summary);
    }
    let _ = fs::remove_dir_all(out);
    if !status.success() {
        return Err(format!("verify_batch failed ({status}): {summary}"));
    }
    // the job must have seen every case
    let cases = summary
        .lines()
        .find_map(|l| l.strip_prefix("cases"))
        .and_then(|v| v.trim().parse::<u64>().ok());
    if cases != Some(n) {
        return Err(format!(
            "verify_batch reported {cases:?} cases, expected {n}"
        ));
    }
    if peak_kb == 0 {
        return Err("could not read the peak RSS of verify_batch".to_owned());
    }
    Ok(JobRun {
        peak_rss_mb: peak_kb as f64 / 1024.0,
        seconds,
    })
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(unix)]
fn symlink_dev_null(link: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink("/dev/null", link)
        .map_err(|e| format!("cannot link {} to /dev/null: {e}", link.display()))
}

#[cfg(not(unix))]
fn symlink_dev_null(_: &Path) -> Result<(), String> {
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Peers

/// The figures of `benches/python/compare.py` (`python_vs_reference`: hedui-py against the
/// pure-Python reference; `ids_vs_stdnum`: the identifier column against python-stdnum), when
/// that script exists and the `hedui` module is importable by the Python in `HEDUI_PYTHON`
/// (default `python3`, e.g. a virtualenv's interpreter); it prints one JSON line last.
fn python_compare(root: &Path, args: &[&str], table: &mut Table) -> Option<serde_json::Value> {
    let script = root.join("benches/python/compare.py");
    if !script.exists() {
        table.row(
            "python_vs_reference",
            "-".to_owned(),
            "not measured: no benches/python/compare.py".to_owned(),
        );
        return None;
    }
    let python = std::env::var_os("HEDUI_PYTHON").unwrap_or_else(|| "python3".into());
    let importable = Command::new(&python)
        .args(["-c", "import hedui"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !importable {
        table.row(
            "python_vs_reference",
            "-".to_owned(),
            "not measured: cannot import hedui (set HEDUI_PYTHON, build with maturin)".to_owned(),
        );
        return None;
    }
    eprintln!("running {} …", script.display());
    let out = Command::new(&python)
        .arg(&script)
        .args(args)
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output();
    let value = out.ok().filter(|o| o.status.success()).and_then(|o| {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        let last = text.lines().last()?.to_owned();
        serde_json::from_str::<serde_json::Value>(&last).ok()
    });
    let ratio = value
        .as_ref()
        .and_then(|v| v.get("python_vs_reference")?.as_f64());
    table.row(
        "python_vs_reference",
        "benches/python/compare.py".to_owned(),
        ratio.map_or_else(|| "failed (see stderr)".to_owned(), |v| format!("{v:.1}×")),
    );
    value
}

/// A peer ratio printed by a criterion bench of this package after its groups: the bench is
/// run with a filter that matches no group (`cargo bench --bench NAME -- FILTER`), so only
/// its paired measurement runs, and the figure is read from the line that carries `marker`.
struct BenchRatio {
    key: &'static str,
    bench: &'static str,
    /// Text just before the figure on its line.
    marker: &'static str,
    /// The figure is a percentage (divided by 100).
    percent: bool,
    what: &'static str,
}

/// `benches/benches/ffi.rs`: `hedui_verify_json_at` through the C ABI against
/// `verify_json_line` in Rust on the same case, median of alternating rounds (target ≤ 1.2).
const C_VS_RUST: BenchRatio = BenchRatio {
    key: "c_vs_rust",
    bench: "ffi",
    marker: "C / rust verify_json_line = ",
    percent: false,
    what: "C ABI / Rust per call",
};

/// `benches/benches/audit.rs`: audit-chain appends against raw HMAC-SHA256 over the same
/// bytes, median of alternating rounds (target ≥ 0.8).
const AUDIT_VS_HMAC: BenchRatio = BenchRatio {
    key: "audit_vs_hmac",
    bench: "audit",
    marker: "append throughput vs raw hmac-sha256: ",
    percent: true,
    what: "audit append / raw HMAC throughput",
};

/// `benches/benches/audit.rs`: HMAC-SM3 audit-chain appends (the commercial-cryptography
/// suite) against raw HMAC-SM3 over the same bytes, median of alternating rounds (target ≥ 0.8).
const AUDIT_SM3_VS_HMAC_SM3: BenchRatio = BenchRatio {
    key: "audit_sm3_vs_hmac_sm3",
    bench: "audit",
    marker: "append throughput vs raw hmac-sm3: ",
    percent: true,
    what: "HMAC-SM3 audit append / raw HMAC-SM3 throughput",
};

fn bench_ratio(root: &Path, peer: &BenchRatio, table: &mut Table) -> Option<f64> {
    let source = root
        .join("benches/benches")
        .join(format!("{}.rs", peer.bench));
    if !source.exists() {
        table.row(
            peer.key,
            "-".to_owned(),
            format!("not measured: no {}", source.display()),
        );
        return None;
    }
    eprintln!("running the {} bench's paired measurement …", peer.bench);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "bench",
            "-q",
            "-p",
            "hedui-benches",
            "--bench",
            peer.bench,
            "--",
        ])
        .arg("no-criterion-group-matches-this")
        .stderr(Stdio::inherit())
        .output();
    let value = out
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            text.lines().find_map(|l| {
                let (_, rest) = l.split_once(peer.marker)?;
                let figure: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.')
                    .collect();
                figure.parse::<f64>().ok()
            })
        })
        .map(|v| if peer.percent { v / 100.0 } else { v });
    table.row(
        peer.key,
        format!("cargo bench --bench {}", peer.bench),
        value.map_or_else(
            || "failed: bench did not run or its output changed (see stderr)".to_owned(),
            |v| format!("{v:.3} ({})", peer.what),
        ),
    );
    value
}

// ---------------------------------------------------------------------------------------
// Table

#[derive(Default)]
struct Table(Vec<[String; 3]>);

impl Table {
    fn row(&mut self, what: &str, input: String, result: String) {
        self.0.push([what.to_owned(), input, result]);
    }

    fn print(&self) {
        let width = |i: usize| {
            self.0
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        };
        let (w0, w1) = (width(0), width(1));
        for [a, b, c] in &self.0 {
            println!("{a:<w0$}  {b:<w1$}  {c}");
        }
    }
}
