//! Verification: one case, a batch (all cores, interpreter detached), the authorization
//! check, rendering, digest checks and the sample generator.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::thread::{Scope, ScopedJoinHandle};

use hedui_core::{
    Authorization, Error, Household, Report, Rulebook,
    batch::{
        BatchError, BatchOptions, BatchReport, verify_chunk_reports, verify_json_line,
        verify_json_line_report,
    },
    render_markdown,
    sample::sample_case,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use time::OffsetDateTime;

use crate::convert;
use crate::errors::{self, HeduiError, INPUT_ARGUMENT, INPUT_IO, catch, guard};
use crate::rulebook;
use crate::topy;

/// Lines verified per step of the batch pipeline (Rust on all cores, detached, while Python
/// builds the dicts of the step before): bounds the memory held as JSON bytes.
const CHUNK: usize = 512;

/// Most sample cases made by one call.
const MAX_SAMPLES: u64 = 1_000_000;

fn options(rulebook: &Rulebook, issued_at: OffsetDateTime) -> BatchOptions<'_> {
    BatchOptions {
        rulebook,
        issued_at,
        render: false,
        parallel: true,
    }
}

/// Verifies one case JSON text with the interpreter detached.
fn verify_text(
    py: Python<'_>,
    text: &str,
    rulebook: &Rulebook,
    issued_at: OffsetDateTime,
) -> PyResult<BatchReport> {
    let opts = BatchOptions {
        parallel: false,
        ..options(rulebook, issued_at)
    };
    py.detach(|| catch(|| verify_json_line(text, &opts)))
        .map_err(|m| errors::internal_from(py, &m))?
        .map_err(|e| errors::core_error(py, &e))
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
        let opts = BatchOptions {
            parallel: false,
            ..options(&rb, issued_at)
        };
        let report = py
            .detach(|| catch(|| verify_json_line_report(&text, &opts)))
            .map_err(|m| errors::internal_from(py, &m))?
            .map_err(|e| errors::core_error(py, &e))?;
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
        let out = verify_text(py, &text, &rb, issued_at)?;
        String::from_utf8(out.json)
            .map_err(|_| errors::internal_from(py, "core output is not UTF-8"))
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
    /// JSONL file, or index + 1 in the iterable), `code` and `message`.
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

/// One step of the batch pipeline: up to `CHUNK` lines, their bytes in one buffer.
#[derive(Debug, Default)]
struct Chunk {
    /// Position (1-based) of the first line.
    first: u64,
    text: Vec<u8>,
    /// Where each line is in `text` (an item that could not be encoded: an empty line).
    spans: Vec<Range<usize>>,
}

impl Chunk {
    fn new(first: u64) -> Self {
        Chunk {
            first,
            ..Chunk::default()
        }
    }

    fn push(&mut self, line: &[u8]) {
        let start = self.text.len();
        self.text.extend_from_slice(line);
        self.spans.push(start..self.text.len());
    }

    fn lines(&self) -> Vec<&[u8]> {
        self.spans
            .iter()
            .map(|r| self.text.get(r.clone()).unwrap_or_default())
            .collect()
    }
}

/// Where the lines of a batch come from. It moves from one pipeline step to the next.
#[derive(Debug)]
enum Source {
    /// A JSONL file, read a chunk at a time by the worker thread of each step, so reading
    /// overlaps with the dicts being built and the input is never held whole.
    File { reader: BufReader<File>, next: u64 },
    /// Items of an iterable, already encoded as JSON on the interpreter thread.
    Items(std::vec::IntoIter<Chunk>),
}

impl Source {
    /// The next chunk of lines; `None` at the end. UTF-8 and JSON are checked by the core,
    /// line by line, so a bad line is reported at its position like any other.
    fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        match self {
            Source::Items(chunks) => Ok(chunks.next()),
            Source::File { reader, next } => {
                let mut chunk = Chunk::new(*next);
                while chunk.spans.len() < CHUNK {
                    let start = chunk.text.len();
                    if reader.read_until(b'\n', &mut chunk.text)? == 0 {
                        break;
                    }
                    if chunk.text.last() == Some(&b'\n') {
                        chunk.text.pop();
                    }
                    chunk.spans.push(start..chunk.text.len());
                }
                *next += chunk.spans.len() as u64;
                Ok((!chunk.spans.is_empty()).then_some(chunk))
            }
        }
    }
}

/// An item that never reached the core: (position, code, message).
type Rejected = (u64, String, String);

/// Why a pipeline step stopped short.
#[derive(Debug)]
enum StepError {
    Io(std::io::Error),
    Panic(String),
}

/// The source handed back and the results of one chunk (`None`: the input is used up).
type Step = Result<(Source, Option<Vec<(u64, Result<Report, BatchError>)>>), StepError>;

fn error_dict<'py>(
    py: Python<'py>,
    position: u64,
    code: &str,
    message: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("position", position)?;
    d.set_item("code", code)?;
    d.set_item("message", message)?;
    Ok(d)
}

/// `cases` is a path when it is `str`, `bytes` or `os.PathLike`.
fn as_path(cases: &Bound<'_, PyAny>) -> PyResult<Option<PathBuf>> {
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

/// Every item of an iterable as a JSON line, in chunks, and the items that cannot be
/// encoded as (position, code, message) (each stays in its chunk as an empty line).
fn read_iterable(cases: &Bound<'_, PyAny>) -> PyResult<(Vec<Chunk>, Vec<Rejected>)> {
    let py = cases.py();
    if cases.is_instance_of::<PyDict>() {
        return Err(errors::input(
            py,
            INPUT_ARGUMENT,
            "`cases` must be an iterable of cases or a path to a JSONL file, got one dict (use `verify` for one case)",
        ));
    }
    let iter = cases.try_iter().map_err(|_| {
        errors::input(
            py,
            INPUT_ARGUMENT,
            &format!(
                "`cases` must be an iterable of cases or a path to a JSONL file, got `{}`",
                cases
                    .get_type()
                    .name()
                    .map_or_else(|_| "?".to_owned(), |n| n.to_string())
            ),
        )
    })?;
    let mut chunks = Vec::new();
    let mut chunk = Chunk::new(1);
    let mut rejected = Vec::new();
    for (i, item) in iter.enumerate() {
        let position = i as u64 + 1;
        if chunk.spans.len() == CHUNK {
            chunks.push(std::mem::replace(&mut chunk, Chunk::new(position)));
        }
        let item = item?;
        match convert::to_json(&item, "case") {
            Ok(json) => chunk.push(json.as_bytes()),
            Err(e) if e.is_instance_of::<HeduiError>(py) => {
                let value = e.value(py);
                let code: String = value.getattr("code")?.extract()?;
                rejected.push((position, code, value.to_string()));
                chunk.push(b"");
            }
            Err(e) => return Err(e),
        }
    }
    if !chunk.spans.is_empty() {
        chunks.push(chunk);
    }
    Ok((chunks, rejected))
}

/// Starts one pipeline step on a worker thread: drop the reports of an earlier step (already
/// turned into dicts, so freeing them takes no time on the interpreter thread), take the
/// next chunk from `source` and verify it on all cores.
fn spawn_step<'scope, 'env>(
    scope: &'scope Scope<'scope, 'env>,
    mut source: Source,
    opts: &'env BatchOptions<'env>,
    done: Vec<Report>,
) -> ScopedJoinHandle<'scope, Step> {
    scope.spawn(move || {
        drop(done);
        let Some(chunk) = source.next_chunk().map_err(StepError::Io)? else {
            return Ok((source, None));
        };
        let results = catch(|| verify_chunk_reports(&chunk.lines(), chunk.first, opts))
            .map_err(StepError::Panic)?;
        Ok((source, Some(results)))
    })
}

/// Verifies many cases on all cores, with the interpreter released while Rust works.
///
/// Every case gives either a report or an error; nothing is dropped, and both lists keep the
/// input order. Blank lines of a JSONL file are skipped.
///
/// Args:
///     cases: an iterable of case dicts (or JSON texts), or a path (`str`, `bytes`,
///         `os.PathLike`) to a JSONL file with one case per line.
///     rulebook: a `Rulebook`; `None` for the built-in one.
///     as_of: issue time of every report, an aware `datetime` or RFC 3339 text; `None` for
///         now (+08:00).
///
/// Returns:
///     A `BatchResult` with `.reports` (dicts) and `.errors` (dicts with `position`,
///     1-based, `code` and `message`).
///
/// Raises:
///     InputError: `cases` is neither an iterable nor a path (`input_argument`), the file
///         cannot be read (`input_io`), or a bad `rulebook` / `as_of`.
#[pyfunction]
#[pyo3(signature = (cases, rulebook=None, as_of=None))]
pub(crate) fn verify_batch(
    py: Python<'_>,
    cases: &Bound<'_, PyAny>,
    rulebook: Option<&Bound<'_, PyAny>>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> PyResult<BatchResult> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let issued_at = convert::instant(as_of, "as_of")?;
        let (source, rejected, path) = match as_path(cases)? {
            Some(path) => {
                let file = py
                    .detach(|| File::open(&path))
                    .map_err(|e| io_error(py, &path, &e))?;
                let reader = BufReader::with_capacity(1 << 20, file);
                (Source::File { reader, next: 1 }, Vec::new(), Some(path))
            }
            None => {
                let (chunks, rejected) = read_iterable(cases)?;
                (Source::Items(chunks.into_iter()), rejected, None)
            }
        };
        let opts = options(&rb, issued_at);
        // The dicts are made with the cyclic GC paused: see `convert::GcPause`.
        let _gc = convert::GcPause::new(py)?;
        let builder = convert::Builder::new(py);
        let reports = PyList::empty(py);
        let errors_out = PyList::empty(py);
        let mut rejected = rejected.iter().peekable();
        // Pipeline: a worker thread reads and verifies chunk k + 1 on all cores while this
        // thread, holding the interpreter, turns the reports of chunk k into dicts.
        std::thread::scope(|scope| -> PyResult<()> {
            let mut running = Some(spawn_step(scope, source, &opts, Vec::new()));
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
                running = Some(spawn_step(scope, source, &opts, std::mem::take(&mut done)));
                done.reserve(results.len());
                for (position, result) in results {
                    while let Some((p, code, message)) = rejected.next_if(|r| r.0 < position) {
                        errors_out.append(error_dict(py, *p, code, message)?)?;
                    }
                    match result {
                        Ok(report) => {
                            reports.append(topy::to_py(&builder, &report)?)?;
                            done.push(report);
                        }
                        Err(e) => {
                            errors_out.append(error_dict(py, e.line, &e.code, &e.message)?)?;
                        }
                    }
                }
            }
            // the last chunk's reports: freed with the interpreter released too
            py.detach(move || drop(done));
            Ok(())
        })?;
        for (p, code, message) in rejected {
            errors_out.append(error_dict(py, *p, code, message)?)?;
        }
        Ok(BatchResult {
            reports: reports.unbind(),
            errors: errors_out.unbind(),
        })
    })
}

/// A Python document read into a core serde type: shape errors are `InputError` `input_json`
/// naming `document`.
pub(crate) fn parse_document<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    document: &'static str,
) -> PyResult<T> {
    let text = convert::to_json(obj, document)?;
    serde_json::from_str(&text)
        .map_err(|e| errors::core_error(obj.py(), &Error::json(document, &e)))
}

/// Every defect of an authorization letter 核对授权书 for a household on a date (R1 先授权，后委托).
///
/// Args:
///     authorization: the letter, a dict in the JSON shape of the core's `Authorization`.
///     household: the household, a dict in the JSON shape of the core's `Household`.
///     on: the date of the check, a `datetime.date` or ISO `YYYY-MM-DD` text (an aware
///         `datetime` counts by its Beijing date).
///     rulebook: a `Rulebook`; `None` for the built-in one.
///
/// Returns:
///     One dict per defect, empty when the letter is valid: `code` (e.g.
///     `missing_signature`), the defect's own fields (masked IDs, dates) and `message`.
///
/// Raises:
///     InputError: a document or `on` that cannot be read.
#[pyfunction]
#[pyo3(signature = (authorization, household, on, rulebook=None))]
pub(crate) fn check_authorization<'py>(
    py: Python<'py>,
    authorization: &Bound<'py, PyAny>,
    household: &Bound<'py, PyAny>,
    on: &Bound<'py, PyAny>,
    rulebook: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    guard(py, || {
        let rb = rulebook::resolve(rulebook)?;
        let authorization: Authorization = parse_document(authorization, "authorization")?;
        let household: Household = parse_document(household, "household")?;
        let on = convert::date(on, "on")?;
        let defects = authorization.defects(&household, on, &rb);
        convert::defects_to_py(py, &defects)
    })
}

/// A report as printable Chinese Markdown 核对报告: header, members, findings per category,
/// aggregates, gaps with their offline tasks, limits of use and the statement that the report
/// is not a determination.
///
/// Raises:
///     InputError: `report` is not a report (`input_json`).
#[pyfunction]
pub(crate) fn render_report(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let report: Report = parse_document(report, "report")?;
        Ok(render_markdown(&report))
    })
}

/// Whether a report's recorded SHA-256 digest matches its content (canonical form
/// `hedui-report-v1`): `False` after any change to any field, or without an `integrity` block.
///
/// Raises:
///     InputError: `report` is not a report (`input_json`).
#[pyfunction]
pub(crate) fn verify_report_digest(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<bool> {
    guard(py, || {
        let report: Report = parse_document(report, "report")?;
        Ok(report.verify_digest())
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
                    let rb = rulebook::builtin();
                    (start..start + n)
                        .map(|i| {
                            let s = sample_case(seed, i, &rb);
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
