//! Verification: one case, a batch (all cores, interpreter detached), the authorization
//! check, the query plan, rendering, digest checks and the sample generator. Each operation is
//! the typed function of `hedui-ops`; this module only turns Python values into its request
//! and its response into Python values.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::thread::{Scope, ScopedJoinHandle};

use hedui_core::{Report, Rulebook, batch::BatchError, sample::sample_case};
use hedui_ops::{
    args, authorization,
    jsonl::{Chunk, JsonlReader},
    query, report as report_ops,
    verify::{self as verify_ops, BATCH_CHUNK_LINES},
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use time::OffsetDateTime;

use crate::arrow;
use crate::convert;
use crate::errors::{self, HeduiError, INPUT_ARGUMENT, INPUT_IO, catch, guard};
use crate::rulebook;
use crate::topy;

/// Most sample cases made by one call.
const MAX_SAMPLES: u64 = 1_000_000;

/// Runs an operation with the interpreter detached, raising a panic as `internal` and a
/// failure as its exception.
fn detached<T: Send>(
    py: Python<'_>,
    op: impl FnOnce() -> Result<T, hedui_ops::Failure> + Send,
) -> PyResult<T> {
    py.detach(|| catch(op))
        .map_err(|m| errors::internal_from(py, &m))?
        .map_err(|f| errors::failure(py, &f))
}

/// Verifies one case and returns its sealed report 核对报告 as a dict.
///
/// Runs every gate on the way: R1 authorization check, R2 entrustment and pre-check, R6 plan
/// (own level first) and minimum scope, R7 gaps with offline tasks. The same case and `as_of`
/// always give the same report.
///
/// Args:
///     case: the case file, a dict in the JSON shape of the core's `Case` (or its JSON text).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///     as_of: issue time of the report, an aware `datetime` or RFC 3339 text; `None` for now
///         on the Beijing clock (+08:00).
///
/// Returns:
///     The report dict, fields in the order of the core's `Report`, with its `integrity` digest.
///
/// Raises:
///     InputError, AuthorizationError, EntrustmentError, VerificationError: the first gate that
///     fails, with `.code` the core's stable code.
#[pyfunction]
#[pyo3(signature = (case, rulebook=None, as_of=None))]
pub(crate) fn verify<'py>(
    py: Python<'py>,
    case: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
    as_of: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let issued_at = convert::instant(as_of, "as_of")?;
        let text = convert::to_json(case, "case")?;
        let report = detached(py, || verify_ops::verify_json_report(&rb, &text, issued_at))?;
        topy::to_py(&convert::Builder::new(py), &report)
    })
}

/// Verifies one case and returns the sealed report exactly as the core writes it: compact
/// JSON, UTF-8, no trailing newline (byte for byte what the Rust and C bindings give).
///
/// Args:
///     case_json: the case as JSON text (a dict is accepted too).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///     as_of: issue time, an aware `datetime` or RFC 3339 text; `None` for now (+08:00).
///
/// Raises:
///     HeduiError: as `verify`.
#[pyfunction]
#[pyo3(signature = (case_json, rulebook=None, as_of=None))]
pub(crate) fn verify_json(
    py: Python<'_>,
    case_json: &Bound<'_, PyAny>,
    rulebook: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let issued_at = convert::instant(as_of, "as_of")?;
        let text = convert::to_json(case_json, "case")?;
        let out = detached(py, || verify_ops::verify_json(&rb, &text, issued_at))?;
        String::from_utf8(out).map_err(|_| errors::internal_from(py, "core output is not UTF-8"))
    })
}

/// The outcome of `verify_batch`: the reports of the good cases and one error per rejected
/// case, both in input order. Nothing is dropped.
#[pyclass(module = "hedui", name = "BatchResult", frozen)]
#[derive(Debug)]
pub(crate) struct BatchResult {
    reports: Py<PyList>,
    errors: Py<PyList>,
}

#[pymethods]
impl BatchResult {
    /// Sealed reports (dicts), in input order.
    #[getter]
    fn reports<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        self.reports.bind(py).clone()
    }

    /// Rejected cases, in input order: dicts with `position` (1-based: line number of a
    /// JSONL file, or index + 1 in the iterable), `code`, `message` and `path` (the JSON
    /// path of the offending value within the case, or `None`).
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        self.errors.bind(py).clone()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "BatchResult(reports={}, errors={})",
            self.reports.bind(py).len(),
            self.errors.bind(py).len()
        )
    }
}

/// Where the lines of a batch come from. It moves from one pipeline step to the next.
#[derive(Debug)]
enum Source {
    /// A JSONL file, read a chunk at a time by the worker thread of each step with the one
    /// JSONL reader of `hedui-ops` (as the main job and C read it), so reading overlaps with
    /// the dicts being built and the input is never held whole.
    File(JsonlReader<BufReader<File>>),
    /// Items of an iterable, already encoded as JSON on the interpreter thread; an item that
    /// could not be encoded is a rejected line of its chunk.
    Items(std::vec::IntoIter<Chunk>),
}

impl Source {
    /// The next chunk of lines: up to `lines` of a file, or the next chunk of an iterable
    /// (made when it was encoded); `None` at the end.
    fn next_chunk(&mut self, lines: usize) -> std::io::Result<Option<Chunk>> {
        match self {
            Source::Items(chunks) => Ok(chunks.next()),
            Source::File(reader) => {
                let chunk = reader.read_chunk(lines)?;
                Ok((!chunk.is_empty()).then_some(chunk))
            }
        }
    }
}

/// Why a pipeline step stopped short.
#[derive(Debug)]
enum StepError {
    Io(std::io::Error),
    Panic(String),
}

/// The source handed back and the results of one chunk (`None`: the input is used up).
type Step = Result<(Source, Option<Vec<(u64, Result<Report, BatchError>)>>), StepError>;

/// A rejected item of a batch as Python sees it: its 1-based `position` (the line of a
/// file, the place in an iterable), `code`, `message` and the JSON `path` of the offending
/// value within the case (`None` where there is none).
#[derive(serde::Serialize)]
struct Rejected<'a> {
    position: u64,
    code: &'a str,
    message: std::borrow::Cow<'a, str>,
    path: Option<&'a str>,
}

impl<'a> From<&'a BatchError> for Rejected<'a> {
    fn from(e: &'a BatchError) -> Self {
        Rejected {
            position: e.line,
            code: &e.code,
            // the field's path, not a column of the JSON copy of a dict
            message: hedui_ops::failure::message_at_path(&e.message, e.path.as_deref()),
            path: e.path.as_deref(),
        }
    }
}

/// What to pass instead of a table where a list of cases is expected.
const PASS_CASES: &str = "pass a list of case dicts (`df.to_dict(\"records\")` when each row is one case document), build cases from office tables with `hedui.cases_from_tables`, or verify a column of case JSON with `hedui.verify_arrow`";

/// Refuses a container of the wrong kind for `cases`: a DataFrame or Series (pandas,
/// polars, pyarrow), whose iteration gives column names or cells, not cases, or JSON text
/// (a `str` holding a case, not a path).
pub(crate) fn refuse_wrong_kind(cases: &Bound<'_, PyAny>, name: &str) -> PyResult<()> {
    let py = cases.py();
    let ty = cases.get_type();
    let module = ty.module().map(|m| m.to_string()).unwrap_or_default();
    let root = module.split('.').next().unwrap_or_default();
    if matches!(root, "pandas" | "polars" | "pyarrow" | "numpy") {
        let kind = ty.name().map(|n| n.to_string()).unwrap_or_default();
        return Err(errors::wrong_kind(
            py,
            &format!("`{name}` is a {root} `{kind}`, not a list of cases: {PASS_CASES}"),
        ));
    }
    if let Ok(s) = cases.cast::<PyString>() {
        let text = s.to_cow().unwrap_or_default();
        if text.trim_start().starts_with(['{', '[']) {
            return Err(errors::wrong_kind(
                py,
                &format!(
                    "`{name}` is JSON text, not a list of cases or a path: pass `[json.loads(text)]` for one case, `hedui.verify` for one case, or the path of a JSONL file"
                ),
            ));
        }
    }
    Ok(())
}

/// `cases` is a path when it is `str`, `bytes` or `os.PathLike`.
fn as_path(cases: &Bound<'_, PyAny>) -> PyResult<Option<PathBuf>> {
    refuse_wrong_kind(cases, "cases")?;
    if cases.is_instance_of::<PyString>()
        || cases.is_instance_of::<PyBytes>()
        || cases.hasattr("__fspath__")?
    {
        let os = cases.py().import("os")?;
        let fspath = os.call_method1("fsdecode", (cases,))?;
        return fspath.extract::<PathBuf>().map(Some).map_err(|_| {
            errors::input(
                cases.py(),
                INPUT_ARGUMENT,
                "`cases` path is not a valid file name",
            )
        });
    }
    Ok(None)
}

fn io_error(py: Python<'_>, path: &Path, e: &std::io::Error) -> PyErr {
    let err = errors::input(
        py,
        INPUT_IO,
        &format!("cannot read cases file `{}`: {e}", path.display()),
    );
    err.set_cause(
        py,
        Some(pyo3::exceptions::PyOSError::new_err(e.to_string())),
    );
    err
}

fn new_chunk(first_line: u64) -> Chunk {
    Chunk {
        first_line,
        lines: Vec::with_capacity(BATCH_CHUNK_LINES),
        rejected: Vec::new(),
    }
}

/// Every item of an iterable as a JSON line, in chunks of the `hedui-ops` reader's shape; an
/// item that cannot be encoded, or whose JSON is longer than the rulebook's
/// `limits.max_line_bytes`, is a rejected line (its code and message) at its position.
fn read_iterable(cases: &Bound<'_, PyAny>, rulebook: &Rulebook) -> PyResult<Vec<Chunk>> {
    let py = cases.py();
    if cases.is_instance_of::<PyDict>() {
        return Err(errors::wrong_kind(
            py,
            "`cases` must be an iterable of cases or a path to a JSONL file, got one dict (use `verify` for one case)",
        ));
    }
    let iter = cases.try_iter().map_err(|_| {
        errors::wrong_kind(
            py,
            &format!(
                "`cases` must be an iterable of cases or a path to a JSONL file, got `{}`",
                convert::type_name(cases)
            ),
        )
    })?;
    let mut chunks = Vec::new();
    let mut chunk = new_chunk(1);
    for (i, item) in iter.enumerate() {
        let position = i as u64 + 1;
        if chunk.len() == BATCH_CHUNK_LINES {
            chunks.push(std::mem::replace(&mut chunk, new_chunk(position)));
            // Ctrl-C while a long iterable is encoded
            py.check_signals()?;
        }
        let item = item?;
        match convert::to_json(&item, "case") {
            Ok(json) if json.len() > rulebook.limits.max_line_len() => {
                let e = hedui_core::Error::Input(hedui_core::error::InputError::LineTooLong {
                    limit: "limits.max_line_bytes",
                    value: json.len() as u64,
                    max: rulebook.limits.max_line_bytes,
                });
                chunk.rejected.push(BatchError::new(position, &e));
                chunk.lines.push(String::new());
            }
            Ok(json) => chunk.lines.push(json.into_owned()),
            Err(e) if e.is_instance_of::<HeduiError>(py) => {
                let value = e.value(py);
                let code: String = value.getattr("code")?.extract()?;
                chunk.rejected.push(BatchError {
                    line: position,
                    code,
                    message: value.to_string(),
                    path: None,
                });
                chunk.lines.push(String::new());
            }
            Err(e) => return Err(e),
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    Ok(chunks)
}

/// Starts one pipeline step on a worker thread: drop the reports of an earlier step (already
/// turned into dicts, so freeing them takes no time on the interpreter thread), take the
/// next chunk from `source` and verify it on `threads` (`hedui-ops` puts its rejected lines
/// among the results, in order).
fn spawn_step<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    mut source: Source,
    rulebook: &'env Rulebook,
    issued_at: OffsetDateTime,
    threads: &'env arrow::Threads,
    done: Vec<Report>,
) -> ScopedJoinHandle<'scope, Step> {
    scope.spawn(move || {
        drop(done);
        let Some(chunk) = source
            .next_chunk(BATCH_CHUNK_LINES)
            .map_err(StepError::Io)?
        else {
            return Ok((source, None));
        };
        let results = catch(|| {
            threads.run(|parallel| {
                verify_ops::verify_chunk_values(rulebook, &chunk, issued_at, parallel)
            })
        })
        .map_err(StepError::Panic)?;
        Ok((source, Some(results)))
    })
}

/// Verifies many cases on all cores (or `threads`), with the interpreter released while Rust
/// works.
///
/// Every case gives either a report or an error; nothing is dropped, and both keep the
/// input order. Blank lines of a JSONL file are skipped.
///
/// Args:
///     cases: an iterable of case dicts (or JSON texts), or a path (`str`, `bytes`,
///         `os.PathLike`) to a JSONL file with one case per line.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///     as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
///         now (+08:00).
///     output: `"dicts"` (default) for report dicts, `"arrow"` for Arrow tables written
///         straight from the reports (no dict is built).
///     threads: cores to use (a dedicated pool); `None` for every core, 1 for one thread.
///     progress: called with the number of cases finished (reports and errors) after each
///         chunk of cases, e.g. a tqdm bar's `update`.
///
/// Ctrl-C (`KeyboardInterrupt`) stops the call after the chunk being verified.
///
/// Returns:
///     With `output="dicts"`, a `BatchResult` with `.reports` (dicts) and `.errors` (dicts
///     with `position`, 1-based, `code` and `message`); with `output="arrow"`, an
///     `ArrowBatchResult` with the tables `.reports`, `.findings`, `.differences`, `.gaps`,
///     `.errors` (Arrow PyCapsule interface).
///
/// Raises:
///     InputError: `cases` is neither an iterable nor a path (`input_argument`), the file
///         cannot be read (`input_io`), or a bad `rulebook` / `as_of` / `output` / `threads`.
#[pyfunction]
#[pyo3(signature = (cases, rulebook=None, as_of=None, *, output="dicts", threads=None, progress=None))]
pub(crate) fn verify_batch<'py>(
    py: Python<'py>,
    cases: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
    as_of: Option<&Bound<'py, PyAny>>,
    output: &str,
    threads: Option<&Bound<'py, PyAny>>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let progress = progress.filter(|p| !p.is_none());
        if let Some(p) = progress.filter(|p| !p.is_callable()) {
            return Err(errors::wrong_kind(
                py,
                &format!(
                    "`progress` must be callable with a count (such as a tqdm bar's `update`), got `{}`",
                    convert::type_name(p)
                ),
            ));
        }
        let rb = rulebook::resolve(rulebook)?;
        let issued_at = convert::instant(as_of, "as_of")?;
        let threads = arrow::Threads::from_arg(py, threads)?;
        let arrow_out = match output {
            "dicts" => false,
            "arrow" => true,
            other => {
                return Err(errors::input(
                    py,
                    INPUT_ARGUMENT,
                    &format!("`output` must be `dicts` or `arrow`, got `{other}`"),
                ));
            }
        };
        let (source, path) = match as_path(cases)? {
            Some(path) => {
                let file = py
                    .detach(|| File::open(&path))
                    .map_err(|e| io_error(py, &path, &e))?;
                let reader =
                    JsonlReader::for_rulebook(BufReader::with_capacity(1 << 20, file), &rb);
                (Source::File(reader), Some(path))
            }
            None => (Source::Items(read_iterable(cases, &rb)?.into_iter()), None),
        };
        let rb: &Rulebook = &rb;
        if arrow_out {
            let progress = progress.map(|p| p.clone().unbind());
            return batch_to_arrow(
                py,
                source,
                path.as_deref(),
                rb,
                issued_at,
                &threads,
                progress.as_ref(),
            )
            .and_then(|r| Ok(Bound::new(py, r)?.into_any()));
        }
        // The dicts are made with the cyclic GC paused: see `convert::GcPause`.
        let _gc = convert::GcPause::new(py)?;
        let builder = convert::Builder::new(py);
        let reports = PyList::empty(py);
        let errors_out = PyList::empty(py);
        // Pipeline: a worker thread reads and verifies chunk k + 1 on all cores while this
        // thread, holding the interpreter, turns the reports of chunk k into dicts.
        std::thread::scope(|scope| -> PyResult<()> {
            let threads = &threads;
            let mut running = Some(spawn_step(
                scope,
                source,
                rb,
                issued_at,
                threads,
                Vec::new(),
            ));
            let mut done = Vec::new();
            while let Some(worker) = running.take() {
                let (source, results) = match py.detach(|| worker.join()) {
                    Ok(Ok(step)) => step,
                    Ok(Err(StepError::Io(e))) => {
                        let path = path.as_deref().unwrap_or(Path::new("?"));
                        return Err(io_error(py, path, &e));
                    }
                    Ok(Err(StepError::Panic(m))) => return Err(errors::internal_from(py, &m)),
                    Err(p) => {
                        return Err(errors::internal_from(
                            py,
                            &errors::panic_message(p.as_ref()),
                        ));
                    }
                };
                let Some(results) = results else { break };
                // Ctrl-C while this chunk was verified: stop before starting the next one
                py.check_signals()?;
                running = Some(spawn_step(
                    scope,
                    source,
                    rb,
                    issued_at,
                    threads,
                    std::mem::take(&mut done),
                ));
                done.reserve(results.len());
                let finished = results.len();
                for (_, result) in results {
                    match result {
                        Ok(report) => {
                            reports.append(topy::to_py(&builder, &report)?)?;
                            done.push(report);
                        }
                        Err(e) => errors_out.append(topy::to_py(&builder, &Rejected::from(&e))?)?,
                    }
                }
                if let Some(progress) = progress {
                    progress.call1((finished,))?;
                }
                // Ctrl-C: `KeyboardInterrupt` after this chunk, not at the end of the batch
                py.check_signals()?;
            }
            // the last chunk's reports: freed with the interpreter released too
            py.detach(move || drop(done));
            Ok(())
        })?;
        let result = BatchResult {
            reports: reports.unbind(),
            errors: errors_out.unbind(),
        };
        Ok(Bound::new(py, result)?.into_any())
    })
}

/// `verify_batch(..., output="arrow")`: every chunk verified (on `threads`) straight into the
/// Arrow tables, with the interpreter released but between two steps (for `progress` and
/// Ctrl-C); no dict is built.
fn batch_to_arrow(
    py: Python<'_>,
    mut source: Source,
    path: Option<&Path>,
    rb: &Rulebook,
    issued_at: OffsetDateTime,
    threads: &arrow::Threads,
    progress: Option<&Py<PyAny>>,
) -> PyResult<arrow::ArrowBatchResult> {
    let tables = py
        .detach(|| {
            catch(|| {
                arrow::build_tables(progress, |emit| {
                    let step = |chunk: &Chunk| arrow::chunk_step(rb, chunk, issued_at, threads);
                    if matches!(threads, arrow::Threads::One) {
                        while let Some(chunk) = source
                            .next_chunk(arrow::ROWS_PER_STEP)
                            .map_err(arrow::Stop::Io)?
                        {
                            emit(step(&chunk)?)?;
                        }
                        return Ok(());
                    }
                    // chunk k + 1 is read (and its UTF-8 checked) on a thread of its own
                    // while chunk k is verified, so the cores never wait for the file
                    std::thread::scope(|scope| {
                        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
                        let reader = scope.spawn(move || -> std::io::Result<()> {
                            while let Some(chunk) = source.next_chunk(arrow::ROWS_PER_STEP)? {
                                if tx.send(chunk).is_err() {
                                    break; // the verification stopped: nothing more to read
                                }
                            }
                            Ok(())
                        });
                        let verified = rx.iter().try_for_each(|chunk| emit(step(&chunk)?));
                        drop(rx);
                        let read = match reader.join() {
                            Ok(read) => read.map_err(arrow::Stop::Io),
                            Err(p) => Err(arrow::Stop::Other(errors::panic_message(p.as_ref()))),
                        };
                        verified.and(read)
                    })
                })
            })
        })
        .map_err(|m| errors::internal_from(py, &m))?;
    match tables {
        Ok(tables) => arrow::into_result(py, tables),
        Err(arrow::Stop::Io(e)) => Err(io_error(py, path.unwrap_or(Path::new("?")), &e)),
        Err(arrow::Stop::Other(m)) => Err(errors::internal_from(py, &m)),
        Err(arrow::Stop::Python(e)) => Err(e),
    }
}

/// Checks an authorization letter 核对授权书 against a household on a date and lists every
/// defect at once (operation `authorization_check`, R1 先授权，后委托).
///
/// Args:
///     authorization: the letter, a dict in the JSON shape of the core's `Authorization`.
///     household: the household, a dict in the JSON shape of the core's `Household`.
///     on: the date of the check, a `datetime.date` or ISO `YYYY-MM-DD` text (an aware
///         `datetime` counts by its Beijing date); `None` for today in Beijing.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `authorization_number`, `household_id`, `on`, `valid` (no defect) and
///     `defects`, one dict per defect: `code` (e.g. `missing_signature`), the defect's own
///     fields (masked IDs, dates) and `message`.
///
/// Raises:
///     InputError: a document (`input_json`) or `on` (`invalid_date`, `input_argument`) that
///         cannot be read.
#[pyfunction]
#[pyo3(signature = (authorization, household, on=None, rulebook=None))]
pub(crate) fn authorization_check<'py>(
    py: Python<'py>,
    authorization: &Bound<'py, PyAny>,
    household: &Bound<'py, PyAny>,
    on: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let on = convert::opt_date(on, "on")?;
        // every resident ID under the rulebook's identifier rules on the day of the check
        let day = Some(on.unwrap_or_else(hedui_ops::args::today_beijing));
        let request = authorization::AuthorizationCheckRequest {
            authorization: convert::document_under(authorization, "authorization", &rb, day)?,
            household: convert::document_under(household, "household", &rb, day)?,
            on,
        };
        topy::value(py, &authorization::authorization_check(&rb, request))
    })
}

/// Where each data category is queried (operation `query_plan`, R6 本级为主、上级补充): at the
/// agency's own level where it can, an upper level only as supplement, offline (R7) where no
/// level can, and the sharing gaps to close.
///
/// Args:
///     own_level: the verifying agency's level (`county`, `city`, `province`, `national`).
///     scope: the categories to query (e.g. `["bank_deposits", "vehicles"]`); `None` for every
///         category.
///     agreements: sharing-agreement dicts in the JSON shape of the core's
///         `SharingAgreement`; `None` for the rulebook's.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     A dict: `plan` (one entry per category: the level that answers, or offline) and
///     `sharing_gaps`.
///
/// Raises:
///     InputError: an unknown level or category, agreements that cannot be read
///         (`input_json`).
#[pyfunction]
#[pyo3(signature = (own_level, scope=None, agreements=None, rulebook=None))]
pub(crate) fn query_plan<'py>(
    py: Python<'py>,
    own_level: &Bound<'py, PyAny>,
    scope: Option<&Bound<'py, PyAny>>,
    agreements: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = query::QueryPlanRequest {
            own_level: convert::value(own_level, "own_level")?,
            scope: convert::opt_document(scope, "scope")?,
            agreements: convert::opt_document(agreements, "agreements")?,
        };
        topy::value(py, &query::query_plan(&rb, &request))
    })
}

/// A report as printable Chinese Markdown 核对报告 (operation `report_render_markdown`):
/// header, members, findings per category, aggregates, gaps with their offline tasks, limits
/// of use and the statement that the report is not a determination.
///
/// Raises:
///     InputError: `report` is not a report (`input_json`).
#[pyfunction]
pub(crate) fn report_render_markdown(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
) -> PyResult<String> {
    guard(py, || {
        let report: Report = convert::document(report, "report")?;
        Ok(report_ops::report_render_markdown(&report))
    })
}

/// Whether a report's recorded SHA-256 digest matches its content (operation
/// `report_verify_digest`, canonical form `hedui-report-v1`): `False` after any change to any
/// field, or without an `integrity` block.
///
/// Raises:
///     InputError: `report` is not a report (`input_json`).
#[pyfunction]
pub(crate) fn report_verify_digest(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<bool> {
    guard(py, || {
        let report: Report = convert::document(report, "report")?;
        Ok(report_ops::report_verify_digest(&report))
    })
}

/// Whether a report may serve an intended use (operation `report_check_use`; R3, N §二(一):
/// the entrusting unit for the entrusted purpose; N §一(三) 明确共享数据的使用范围: another
/// purpose or programme only where every sharing agreement behind the report's data lists the
/// programme in its `use_scope`).
///
/// Args:
///     report: the report dict, as issued.
///     use: the intended use, `{"unit_code": credit code, "purpose": ..., "programme": ...}`.
///     agreements: sharing agreement dicts whose `use_scope` applies; `None` for the
///         rulebook's.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     `{"allowed": True, "report": report number}`.
///
/// Raises:
///     EntrustmentError: `report_use_other_unit` for another unit, `report_use_outside_scope`
///         for a use the agreements do not cover.
///     InputError: a document that cannot be read (`input_json`).
#[pyfunction]
#[pyo3(signature = (report, r#use, agreements=None, rulebook=None))]
pub(crate) fn report_check_use<'py>(
    py: Python<'py>,
    report: &Bound<'py, PyAny>,
    r#use: &Bound<'py, PyAny>,
    agreements: Option<&Bound<'py, PyAny>>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let request = report_ops::ReportCheckUseRequest {
            report: convert::document(report, "report")?,
            intended: convert::document(r#use, "use")?,
            agreements: convert::opt_document(agreements, "agreements")?,
        };
        let allowed =
            report_ops::report_check_use(&rb, &request).map_err(|f| errors::failure(py, &f))?;
        topy::value(py, &allowed)
    })
}

/// Realistic generated cases: valid IDs, Linfen region codes, plausible households and
/// amounts, some late or missing feedback, and about 6% defective cases. The same `seed`
/// and index always give the same case.
///
/// Args:
///     n: how many cases (at most 1,000,000).
///     seed: generator seed (default 2026).
///     start: index of the first case (default 0).
///     with_expected: return `(case, expected_error_code_or_None)` pairs instead of cases.
#[pyfunction]
#[pyo3(signature = (n, *, seed=None, start=None, with_expected=None))]
pub(crate) fn sample_cases<'py>(
    py: Python<'py>,
    n: &Bound<'py, PyAny>,
    seed: Option<&Bound<'py, PyAny>>,
    start: Option<&Bound<'py, PyAny>>,
    with_expected: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    guard(py, || {
        let with_expected = match with_expected {
            Some(w) => w.is_truthy()?,
            None => false,
        };
        let n = convert::count(n, "n", MAX_SAMPLES)?;
        let seed = match seed {
            Some(s) if !s.is_none() => convert::count(s, "seed", u64::MAX)?,
            _ => 2026,
        };
        let start = match start {
            Some(s) if !s.is_none() => convert::count(s, "start", u64::MAX - n)?,
            _ => 0,
        };
        let made = py
            .detach(|| {
                catch(|| {
                    let rb = args::default_rulebook();
                    (start..start + n)
                        .map(|i| {
                            let s = sample_case(seed, i, rb);
                            (s.case, s.expected_error)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .map_err(|m| errors::internal_from(py, &m))?;
        let builder = convert::Builder::new(py);
        let list = PyList::empty(py);
        for (case, expected) in made {
            let case = topy::to_py(&builder, &case)?;
            if with_expected {
                list.append(PyTuple::new(
                    py,
                    [case, expected.into_pyobject(py)?.into_any()],
                )?)?;
            } else {
                list.append(case)?;
            }
        }
        Ok(list)
    })
}
